//! Connections: a client too slow with its request header, or idle too long between requests,
//! is disconnected; past the cap, new connections wait until one closes (issue 15, item 16).

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
    time::timeout,
};

use crate::harness::TestApp;

const REQUEST: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: educenter.test\r\n\r\n";

async fn connect(app: &TestApp) -> TcpStream {
    TcpStream::connect(app.base.trim_start_matches("http://"))
        .await
        .expect("connect")
}

/// Sends one request on a kept-alive connection and reads its whole answer; returns the
/// status line.
async fn exchange(stream: &mut TcpStream) -> String {
    stream.write_all(REQUEST).await.expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).await.expect("read");
        assert!(n > 0, "closed before the answer was complete");
        got.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&got).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().expect("length"))
                })
                .expect("a content-length");
            if got.len() >= end + 4 + length {
                return text.lines().next().unwrap_or_default().to_owned();
            }
        }
    }
}

/// Whether the server closes the connection within `within` (end of stream or a reset).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 64];
    match timeout(within, stream.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(n)) => panic!("unexpected bytes: {:?}", String::from_utf8_lossy(&buf[..n])),
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_client_that_never_finishes_its_header_is_disconnected() {
    let app = TestApp::builder()
        .header_timeout(Duration::from_secs(1))
        .idle_timeout(Duration::from_secs(600))
        .start()
        .await;
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: educenter.test\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(10)).await);

    // A connection that sends nothing at all has the same time for its first header.
    let mut silent = connect(&app).await;
    assert!(closed_within(&mut silent, Duration::from_secs(10)).await);

    // A client that sends its header in time is served as always.
    let mut quick = connect(&app).await;
    assert_eq!(exchange(&mut quick).await, "HTTP/1.1 200 OK");
    app.stop().await;
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let app = TestApp::builder()
        .header_timeout(Duration::from_secs(600))
        .idle_timeout(Duration::from_secs(1))
        .start()
        .await;
    let mut client = connect(&app).await;
    assert_eq!(exchange(&mut client).await, "HTTP/1.1 200 OK");
    // Kept alive: a second request on the same connection is served.
    assert_eq!(exchange(&mut client).await, "HTTP/1.1 200 OK");
    assert!(closed_within(&mut client, Duration::from_secs(10)).await);
    app.stop().await;
}

#[tokio::test]
async fn past_the_cap_a_new_connection_waits_until_one_closes() {
    let app = TestApp::builder().max_connections(5).start().await;
    let mut open = Vec::new();
    for _ in 0..5 {
        let mut c = connect(&app).await;
        assert_eq!(exchange(&mut c).await, "HTTP/1.1 200 OK");
        open.push(c);
    }
    // The sixth reaches the kernel's queue, but the server does not take it while five are
    // open: its request gets no answer.
    let mut sixth = connect(&app).await;
    sixth.write_all(REQUEST).await.unwrap();
    let mut buf = [0u8; 64];
    assert!(
        timeout(Duration::from_secs(1), sixth.read(&mut buf))
            .await
            .is_err(),
        "the sixth connection was served while five were open"
    );
    // One closes: the sixth is taken and answered.
    drop(open.pop());
    let n = timeout(Duration::from_secs(10), sixth.read(&mut buf))
        .await
        .expect("the sixth connection is served once one closes")
        .unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200 OK"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    drop(open);
    app.stop().await;
}
