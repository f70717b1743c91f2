//! Storing an upload: checked, hashed and typed while it streams into the media store, never
//! held whole in memory. An upload is noted in `media_uploads` before its first byte is stored
//! and forgotten in the transaction that records the file; on a store with multipart uploads
//! (S3) a large file goes up in parts whose upload id is noted too. One a client abandons is
//! aborted at once; one a crash cut short is aborted by the daily sweep ([`SweepUploads`]).

use bytes::Bytes;
use educenter_domain::{content::MediaKind, ids::MediaId, tenancy::is_clean_text};
use educenter_store::{
    audit::{self, Origin},
    media::{self as store, Media},
    media_uploads::{self, Pending},
    new_id,
};
use futures::{Stream, StreamExt, future::BoxFuture, stream::FuturesOrdered};
use jiff::SignedDuration;
use object_store::{
    ObjectStoreExt,
    buffered::BufWriter,
    multipart::{MultipartStore, PartId},
    path::Path,
};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

use super::{MediaStore, SNIFF_BYTES, editor, sniff};
use crate::{
    Msg, ServiceError, Services,
    access::Principal,
    billing::{limits::Metric, limits::check_limit},
};

/// The size of a part of a multipart upload (S3 takes 5 MiB at least, but for the last).
const PART_BYTES: usize = 8 << 20;

/// At most this many parts go up at once: an upload's memory stays flat whatever its size.
const PARTS_IN_FLIGHT: usize = 2;

/// An upload not recorded a day after it began was cut short.
pub const ABANDONED_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// What an upload says about itself.
#[derive(Debug, Clone)]
pub struct UploadInput {
    /// The file's name, shown to people (its type is not taken from it).
    pub filename: String,
    /// The length the client announced (`Content-Length`); required.
    pub length: Option<u64>,
    /// The kind the editor expects (`video`, `audio`, ...): refused when the bytes say otherwise.
    pub expect: Option<String>,
}

fn check_upload(
    input: &UploadInput,
    max: u64,
) -> Result<(String, u64, Option<MediaKind>), ServiceError> {
    let name = input.filename.trim();
    // An invisible character could make `invoice`, U+202E, `fdp.exe` read as `invoiceexe.pdf`.
    if !is_clean_text(name, false) {
        return Err(ServiceError::Invalid(vec![(
            "filename".into(),
            Msg::control_chars(),
        )]));
    }
    let name_ok = !name.is_empty() && name.chars().count() <= 255 && !name.contains(['/', '\\']);
    if !name_ok {
        return Err(ServiceError::Invalid(vec![(
            "filename".into(),
            Msg::new("err-filename"),
        )]));
    }
    let expect = match input.expect.as_deref().map(MediaKind::parse) {
        Some(None) => {
            return Err(ServiceError::Invalid(vec![(
                "kind".into(),
                Msg::one_of_words::<MediaKind>(),
            )]));
        }
        Some(Some(kind)) => Some(kind),
        None => None,
    };
    let Some(length) = input.length else {
        return Err(ServiceError::LengthRequired(Msg::new(
            "err-length-required",
        )));
    };
    if length == 0 {
        return Err(ServiceError::Invalid(vec![(
            "file".into(),
            Msg::new("err-file-empty"),
        )]));
    }
    if length > max {
        return Err(ServiceError::TooLarge(
            Msg::new("err-file-too-large")
                .size("max", i64::try_from(max).unwrap_or(i64::MAX))
                .size("size", i64::try_from(length).unwrap_or(i64::MAX)),
        ));
    }
    Ok((name.to_owned(), length, expect))
}

/// Stores an upload: checks the name, the announced length against the per-file limit and the
/// school's storage, then streams the bytes into the store while hashing them. The first bytes
/// decide the type; a body longer or shorter than announced is refused, and nothing is kept of a
/// refused upload.
pub async fn upload<S, E>(
    services: &Services,
    who: &Principal,
    input: UploadInput,
    body: S,
    origin: Origin,
) -> Result<Media, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let tenant = editor(who)?;
    let limits = Limits {
        max_bytes: services.media.max_file_bytes,
        unsent_cap: None,
    };
    store_file(services, who, &tenant, input, limits, body, origin).await
}

/// What one upload may be: its largest size, and for a student's answer file how many of
/// their files may wait unsent (checked again when the file is recorded, so uploads running
/// side by side cannot pass it together).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) max_bytes: u64,
    pub(crate) unsent_cap: Option<i64>,
}

/// [`upload`] for one the caller has let upload into the school `tenant` (a student's answer
/// to an assignment: [`crate::assignments::upload_file`]).
pub(crate) async fn store_file<S, E>(
    services: &Services,
    who: &Principal,
    tenant: &educenter_domain::ids::TenantId,
    input: UploadInput,
    limits: Limits,
    body: S,
    origin: Origin,
) -> Result<Media, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let tenant = tenant.clone();
    let (filename, length, expect) = check_upload(&input, limits.max_bytes)?;
    let size = i64::try_from(length).unwrap_or(i64::MAX);
    {
        let mut conn = services.db.conn().await?;
        check_limit(
            &mut conn,
            &tenant,
            Metric::StorageBytes,
            size,
            services.clock.now(),
        )
        .await?;
    }
    let id = new_id();
    let key = format!("{tenant}/{id}");
    let path = Path::from(key.as_str());
    let mut sink = Sink::open(&services.media, &path, length).await?;
    let upload_id = sink.upload_id();
    let noted = async {
        let mut conn = services.db.conn().await?;
        let pending = Pending {
            storage_key: key.clone(),
            tenant_id: tenant.clone(),
            upload_id,
            started_at: services.clock.now(),
        };
        media_uploads::begin(&mut conn, &pending).await?;
        Ok::<_, ServiceError>(())
    }
    .await;
    if let Err(e) = noted {
        // Nothing was noted: an abort that fails here leaves the upload to the store's own
        // expiry of incomplete uploads (docs/OPERATIONS.md).
        sink.abort().await;
        return Err(e);
    }
    let written = match stream_into(&mut sink, body, length, expect).await {
        Ok(v) => sink.finish().await.map(|()| v),
        Err(e) => Err(e),
    };
    let (kind, content_type, sha256) = match written {
        Ok(v) => v,
        Err(e) => {
            let aborted = sink.abort().await;
            forget(services, &path, &key, aborted).await;
            return Err(e);
        }
    };
    let now = services.clock.now();
    let row = Media {
        id: MediaId::new(id.clone()),
        tenant_id: tenant.clone(),
        kind,
        filename,
        content_type,
        size_bytes: size,
        sha256,
        storage_key: key.clone(),
        uploaded_by: who.user_id.clone(),
        created_at: now,
        deleted_at: None,
    };
    let recorded = async {
        let mut tx = services.db.begin().await?;
        // Again inside the transaction: a concurrent upload may have taken the room meanwhile.
        check_limit(&mut tx, &tenant, Metric::StorageBytes, size, now).await?;
        if let Some(cap) = limits.unsent_cap
            && educenter_store::assignments::unattached(&mut tx, &tenant, &who.user_id).await?
                >= cap
        {
            return Err(ServiceError::Conflict(
                Msg::new("err-too-many-uploads").num("max", cap),
            ));
        }
        store::insert(&mut tx, &row).await?;
        // The note is still there unless the sweep took the upload for abandoned (a day).
        if !media_uploads::finish(&mut tx, &key).await? {
            return Err(ServiceError::Conflict(Msg::new("err-upload-too-long")));
        }
        let entry = who
            .audit("media.upload")
            .tenant(tenant.clone())
            .target("media", row.id.clone())
            .origin(origin)
            .details(serde_json::json!({
                "kind": row.kind, "bytes": row.size_bytes, "sha256": row.sha256,
            }));
        audit::record(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok::<_, ServiceError>(())
    }
    .await;
    if let Err(e) = recorded {
        forget(services, &path, &key, true).await;
        return Err(e);
    }
    Ok(row)
}

/// Deletes what a refused upload stored, then its note; when the abort before failed, or the
/// delete does, the note stays for the sweep to finish the job.
async fn forget(services: &Services, path: &Path, key: &str, aborted: bool) {
    match services.media.store.delete(path).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) if aborted => {}
        Ok(()) | Err(object_store::Error::NotFound { .. }) => return,
        Err(e) => {
            tracing::warn!(key, error = %e, "a refused upload's object stays for the sweep");
            return;
        }
    }
    if let Ok(mut conn) = services.db.conn().await {
        let _ = media_uploads::finish(&mut conn, key).await;
    }
}

/// Where an upload's bytes go: through a buffered writer (one request for a small file, or the
/// store's own multipart upload), or in parts of a multipart upload whose id we hold.
enum Sink {
    /// `shut`: completing was tried; a buffered writer cannot be aborted after that.
    Buffered {
        w: BufWriter,
        shut: bool,
    },
    Parts(Parts),
}

impl Sink {
    async fn open(media: &MediaStore, path: &Path, length: u64) -> Result<Self, ServiceError> {
        match &media.multipart {
            Some(multipart) if length >= PART_BYTES as u64 => {
                let id = multipart
                    .create_multipart(path)
                    .await
                    .map_err(store_failed)?;
                Ok(Self::Parts(Parts {
                    store: multipart.clone(),
                    path: path.clone(),
                    id,
                    buf: Vec::with_capacity(PART_BYTES),
                    done: Vec::new(),
                    in_flight: FuturesOrdered::new(),
                    next: 0,
                }))
            }
            // A file that fits one part is one request; a local file is written to a staging
            // file and renamed.
            _ => Ok(Self::Buffered {
                w: BufWriter::with_capacity(media.store.clone(), path.clone(), PART_BYTES)
                    .with_max_concurrency(PARTS_IN_FLIGHT),
                shut: false,
            }),
        }
    }

    fn upload_id(&self) -> Option<String> {
        match self {
            Self::Buffered { .. } => None,
            Self::Parts(p) => Some(p.id.clone()),
        }
    }

    async fn write(&mut self, bytes: &[u8]) -> Result<(), ServiceError> {
        match self {
            Self::Buffered { w, .. } => w.write_all(bytes).await.map_err(store_failed),
            Self::Parts(p) => p.write(bytes).await,
        }
    }

    /// Completes the object.
    async fn finish(&mut self) -> Result<(), ServiceError> {
        match self {
            Self::Buffered { w, shut } => {
                *shut = true;
                w.shutdown().await.map_err(store_failed)
            }
            Self::Parts(p) => p.finish().await,
        }
    }

    /// Drops what was sent (the parts uploaded so far, or the staging file); answers whether
    /// that worked.
    async fn abort(self) -> bool {
        let result = match self {
            // Nothing of a failed single request stays; a local staging file may.
            Self::Buffered { shut: true, .. } => Ok(()),
            Self::Buffered { mut w, .. } => w.abort().await,
            Self::Parts(p) => p.abort().await,
        };
        match result {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!(error = %e, "aborting an upload failed; the sweep will retry");
                false
            }
        }
    }
}

fn store_failed(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("storing the file failed: {e}"))
}

/// A multipart upload driven part by part.
struct Parts {
    store: Arc<dyn MultipartStore>,
    path: Path,
    id: String,
    buf: Vec<u8>,
    done: Vec<PartId>,
    in_flight: FuturesOrdered<BoxFuture<'static, object_store::Result<PartId>>>,
    next: usize,
}

impl Parts {
    async fn write(&mut self, mut bytes: &[u8]) -> Result<(), ServiceError> {
        while !bytes.is_empty() {
            let take = (PART_BYTES - self.buf.len()).min(bytes.len());
            self.buf.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.buf.len() == PART_BYTES {
                self.send().await?;
            }
        }
        Ok(())
    }

    /// Sends the buffer as the next part, once fewer than [`PARTS_IN_FLIGHT`] are under way.
    async fn send(&mut self) -> Result<(), ServiceError> {
        while self.in_flight.len() >= PARTS_IN_FLIGHT {
            if let Some(part) = self.in_flight.next().await {
                self.done.push(part.map_err(store_failed)?);
            }
        }
        let buf = std::mem::replace(&mut self.buf, Vec::with_capacity(PART_BYTES));
        let (store, path, id, index) = (
            self.store.clone(),
            self.path.clone(),
            self.id.clone(),
            self.next,
        );
        self.next += 1;
        self.in_flight.push_back(Box::pin(async move {
            store
                .put_part(&path, &id, index, Bytes::from(buf).into())
                .await
        }));
        Ok(())
    }

    async fn finish(&mut self) -> Result<(), ServiceError> {
        if !self.buf.is_empty() || self.next == 0 {
            self.send().await?;
        }
        while let Some(part) = self.in_flight.next().await {
            self.done.push(part.map_err(store_failed)?);
        }
        let parts = std::mem::take(&mut self.done);
        self.store
            .complete_multipart(&self.path, &self.id, parts)
            .await
            .map_err(store_failed)?;
        Ok(())
    }

    async fn abort(self) -> object_store::Result<()> {
        // Parts still under way are dropped first: none may land after the abort.
        drop(self.in_flight);
        self.store.abort_multipart(&self.path, &self.id).await
    }
}

async fn stream_into<S, E>(
    sink: &mut Sink,
    mut body: S,
    length: u64,
    expect: Option<MediaKind>,
) -> Result<(MediaKind, String, String), ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut hasher = Sha256::new();
    let mut seen: u64 = 0;
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut sniffed: Option<(MediaKind, String)> = None;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            tracing::info!(error = %e, "an upload broke off");
            ServiceError::Invalid(vec![("file".into(), Msg::new("err-upload-broke"))])
        })?;
        seen += chunk.len() as u64;
        if seen > length {
            return Err(ServiceError::Invalid(vec![(
                "file".into(),
                Msg::new("err-upload-longer").num("bytes", length as i64),
            )]));
        }
        hasher.update(&chunk);
        if sniffed.is_none() {
            let take = (SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            if head.len() == SNIFF_BYTES || seen == length {
                let found = sniff(&head);
                check_expected(found.0, expect)?;
                sink.write(&head).await?;
                sink.write(&chunk[take..]).await?;
                sniffed = Some(found);
            }
        } else {
            sink.write(&chunk).await?;
        }
    }
    if seen != length {
        return Err(ServiceError::Invalid(vec![(
            "file".into(),
            Msg::new("err-upload-shorter")
                .num("seen", seen as i64)
                .num("bytes", length as i64),
        )]));
    }
    let (kind, mime) = sniffed
        .ok_or_else(|| ServiceError::Invalid(vec![("file".into(), Msg::new("err-file-empty"))]))?;
    Ok((kind, mime, hex::encode(hasher.finalize())))
}

fn check_expected(kind: MediaKind, expect: Option<MediaKind>) -> Result<(), ServiceError> {
    match expect {
        Some(e) if e != kind && e != MediaKind::File => Err(ServiceError::Unsupported(
            Msg::new("err-file-kind")
                .key("expected", format!("err-kind-{e}"))
                .key("found", format!("err-kind-{kind}")),
        )),
        _ => Ok(()),
    }
}

/// Cleans up uploads a crash or a lost connection cut short, daily at 05:10: each noted more
/// than [`ABANDONED_AFTER`] ago and never recorded has its multipart upload aborted and any
/// object it left deleted (unless a file names it).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SweepUploads {}

impl crate::jobs::Job for SweepUploads {
    const KIND: &'static str = "media.sweep_uploads";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let swept = sweep(&ctx.services).await?;
        if swept > 0 {
            tracing::info!(uploads = swept, "cleaned up uploads cut short");
        }
        Ok(())
    }
}

/// Cleans up the abandoned uploads; answers how many. Each is claimed first (so an upload
/// still running cannot record its file afterwards, and two instances never clean the same
/// one), and its note goes only once it is clean: one whose store fails, or whose sweep dies,
/// is taken again by a later sweep.
pub async fn sweep(services: &Services) -> anyhow::Result<usize> {
    let now = services.clock.now();
    let stale = {
        let mut conn = services.db.conn().await?;
        media_uploads::stale(&mut conn, now - ABANDONED_AFTER, 10_000).await?
    };
    let mut swept = 0;
    for p in &stale {
        let mut conn = services.db.conn().await?;
        if !media_uploads::claim(&mut conn, &p.storage_key, now, now - CLAIM_LEASE).await? {
            continue;
        }
        drop(conn);
        match clean_up(services, p).await {
            Ok(()) => {
                let mut conn = services.db.conn().await?;
                media_uploads::forget(&mut conn, &p.storage_key).await?;
                swept += 1;
            }
            Err(e) => {
                tracing::warn!(key = %p.storage_key, error = %e, "an abandoned upload stays for a later sweep");
            }
        }
    }
    Ok(swept)
}

/// How long a sweep's claim on an upload holds: a claim older than this died with its sweep.
const CLAIM_LEASE: SignedDuration = SignedDuration::from_hours(1);

/// Aborts an abandoned upload's multipart upload and deletes any object no file names.
async fn clean_up(services: &Services, p: &Pending) -> anyhow::Result<()> {
    let path = Path::from(p.storage_key.as_str());
    if let (Some(id), Some(multipart)) = (&p.upload_id, &services.media.multipart) {
        match multipart.abort_multipart(&path, id).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            // s3s-fs answers 403 for an upload it no longer knows; AWS answers 404.
            Err(e @ object_store::Error::PermissionDenied { .. }) => {
                tracing::warn!(key = %p.storage_key, error = %e, "the store refused to abort an upload; taken as gone");
            }
            Err(e) => anyhow::bail!("aborting the upload of {}: {e}", p.storage_key),
        }
    }
    let named = {
        let mut conn = services.db.conn().await?;
        media_uploads::named(&mut conn, &p.tenant_id, &p.storage_key).await?
    };
    if !named {
        match services.media.store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => anyhow::bail!("deleting {}: {e}", p.storage_key),
        }
    }
    Ok(())
}
