//! The HTTP listener: hyper's HTTP/1 connections under a cap on how many are open at once,
//! each closed when its client is too slow to send a request's header or leaves it idle
//! between requests too long.
//!
//! `axum::serve` has neither: a client that never finishes its header, or thousands that
//! connect and say nothing, keep their sockets for ever, and once the process runs out of
//! file descriptors nobody else gets in. hyper's own `header_read_timeout` cannot be the
//! answer alone: it also runs while a kept-alive connection waits for its next request, so the
//! header and idle limits could not differ.

use std::{
    net::SocketAddr,
    pin::{Pin, pin},
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use axum::{Router, extract::ConnectInfo};
use http_body_util::BodyExt;
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::rt::TokioIo;
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{Notify, OwnedSemaphorePermit, Semaphore, watch},
    time::Instant,
};
use tower::ServiceExt;

/// How long clients may take and how many may be connected at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From the connection (or the first byte of a later request) to the end of the header.
    pub header_timeout: Duration,
    /// Between the end of a response and the first byte of the next request.
    pub idle_timeout: Duration,
    /// Connections open at once; more wait in the kernel's accept queue.
    pub max_connections: usize,
}

/// Serves `app` on `listener` until `stop` turns true, then lets every open connection finish
/// its request (idle ones close at once) and returns when all are closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    // Counted in u32 below (acquire_many); no server holds more connections than that.
    let max = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let slots = Arc::new(Semaphore::new(max as usize));
    loop {
        // A slot first, then accept: over the cap, new clients wait in the kernel's backlog
        // (refused once it is full) instead of using up the process's file descriptors.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = stopped(&mut stop) => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            _ = stopped(&mut stop) => break,
        };
        tokio::spawn(connection(
            stream,
            peer,
            app.clone(),
            limits,
            stop.clone(),
            slot,
        ));
    }
    drop(listener);
    // Every connection holds a slot until it closes: all of them back means all are closed.
    let _ = slots.acquire_many(max).await;
}

/// Errors of `accept` that concern one client (it hung up before we took it) are skipped;
/// others (out of file descriptors) are logged and waited out, as axum does.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: activity.clone(),
    });
    let seen = activity.clone();
    let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        let done = seen.request_started();
        let app = app.clone();
        async move {
            let res = app.oneshot(req).await?;
            // The request counts as in flight until hyper drops the body, after its last byte.
            Ok::<_, std::convert::Infallible>(res.map(|body| {
                axum::body::Body::new(body.map_frame(move |frame| {
                    let _ = &done;
                    frame
                }))
            }))
        }
    });
    let mut conn = pin!(http1::Builder::new().serve_connection(io, service));
    let mut stopping = false;
    loop {
        let deadline = activity.deadline(&limits);
        tokio::select! {
            served = conn.as_mut() => {
                if let Err(e) = served {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
                return;
            }
            _ = sleep_until(deadline) => {
                if activity.deadline(&limits).is_some_and(|d| d <= Instant::now()) {
                    // Dropping the connection closes the socket; no request is in flight.
                    tracing::debug!(%peer, "closing a connection that was too slow or idle");
                    return;
                }
            }
            // A request began to arrive: its header has less time than the idle wait had.
            _ = activity.header_started.notified() => {}
            _ = stopped(&mut stop), if !stopping => {
                stopping = true;
                // Idle connections close now; one with a request finishes it first.
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Returns once the server is told to stop (or whoever could tell it is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// What a connection is doing, for its timeouts.
struct Activity {
    state: Mutex<Phase>,
    /// Woken when a request's first byte arrives on an idle connection.
    header_started: Notify,
}

#[derive(Debug, Clone, Copy)]
struct Phase {
    /// Requests handed to the app whose response body has not been dropped yet.
    in_flight: usize,
    /// Bytes of a request header have arrived since the last response (or the connection is
    /// new): the header timeout runs, not the idle one.
    reading_header: bool,
    /// When the current wait began.
    since: Instant,
}

impl Activity {
    fn new() -> Self {
        Self {
            state: Mutex::new(Phase {
                in_flight: 0,
                reading_header: true,
                since: Instant::now(),
            }),
            header_started: Notify::new(),
        }
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        // A panic while holding this lock cannot leave the phase half-written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bytes_read(&self) {
        let mut p = self.phase();
        if p.in_flight == 0 && !p.reading_header {
            p.reading_header = true;
            p.since = Instant::now();
            drop(p);
            self.header_started.notify_one();
        }
    }

    fn request_started(self: &Arc<Self>) -> RequestDone {
        let mut p = self.phase();
        p.in_flight += 1;
        p.reading_header = false;
        RequestDone(self.clone())
    }

    /// When the connection is to be closed, unless something happens first.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        let p = *self.phase();
        if p.in_flight > 0 {
            // The app's own request timeout applies (uploads and media links are exempt).
            return None;
        }
        Some(
            p.since
                + if p.reading_header {
                    limits.header_timeout
                } else {
                    limits.idle_timeout
                },
        )
    }
}

/// Marks its request finished when dropped.
struct RequestDone(Arc<Activity>);

impl Drop for RequestDone {
    fn drop(&mut self) {
        let mut p = self.0.phase();
        p.in_flight = p.in_flight.saturating_sub(1);
        if p.in_flight == 0 {
            p.reading_header = false;
            p.since = Instant::now();
        }
    }
}

/// The socket, telling [`Activity`] when bytes arrive.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.bytes_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The default cap on connections: 10,000, or fewer when the open-file limit would not hold
/// them. Each connection may hold two descriptors (its socket, and a media file it streams);
/// 256 stay for the database, the mail sender and the rest of the process.
pub fn default_max_connections(file_limit: Option<u64>) -> usize {
    const MOST: usize = 10_000;
    match file_limit {
        None => MOST,
        Some(n) => usize::try_from(n.saturating_sub(256) / 2)
            .unwrap_or(MOST)
            .clamp(16, MOST),
    }
}

/// The process's open-file limit (soft), when it has one.
pub fn file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rustix::process::getrlimit(rustix::process::Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Raises the open-file limit (soft) to the hard limit, as far as the system allows, and logs
/// what it is: many systems start processes at 1,024, which a busy server outgrows.
pub fn raise_file_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let before = getrlimit(Resource::Nofile);
        if before.current.is_some() && before.current != before.maximum {
            // An unlimited hard limit still has a ceiling the kernel enforces: ask for a
            // million, not infinity, which would be refused.
            let wanted = Rlimit {
                current: before.maximum.or(Some(1 << 20)),
                maximum: before.maximum,
            };
            if let Err(e) = setrlimit(Resource::Nofile, wanted) {
                tracing::warn!(error = %e, "could not raise the open-file limit");
            }
        }
        let now = getrlimit(Resource::Nofile);
        let show = |v: Option<u64>| v.map_or_else(|| "unlimited".to_owned(), |n| n.to_string());
        tracing::info!(
            soft = %show(now.current),
            hard = %show(now.maximum),
            "open-file limit"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::default_max_connections;

    #[test]
    fn the_default_cap_fits_the_file_limit() {
        assert_eq!(default_max_connections(None), 10_000);
        assert_eq!(default_max_connections(Some(1_048_576)), 10_000);
        assert_eq!(default_max_connections(Some(1024)), 384);
        assert_eq!(default_max_connections(Some(100)), 16);
    }
}
