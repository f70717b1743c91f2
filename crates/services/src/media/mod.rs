//! A school's media (issue 6): uploads streamed into the media store, never held whole in
//! memory; the type comes from the bytes; the SHA-256 is kept; the school's storage (plan limit
//! plus paid extra storage) is checked before a byte is stored. Files are read back through
//! short-lived signed links, only by the school's staff and by students enrolled in a course
//! that uses the file.
//!
//! The bytes live behind [`object_store::ObjectStore`]: local files under the data directory by
//! default, or a bucket of an S3-compatible store (`--media-store s3://...`, see
//! [`crate::storage`]). Uploads under way are noted in the database ([`upload`]), so that one a
//! crash cut short is cleaned up by the daily sweep.

mod upload;

pub(crate) use upload::{Limits, store_file};
pub use upload::{SweepUploads, UploadInput, sweep as sweep_uploads, upload};

use educenter_domain::ids::{MediaId, TenantId, UserId};
use educenter_domain::roles::AccountKind;
use std::sync::Arc;

use bytes::Bytes;
use educenter_domain::{clock::local_date, content::MediaKind, roles::TenantAction};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn,
    audit::{self, Origin},
    media::{self as store, Media},
};
use futures::{StreamExt, stream::BoxStream};
use hmac::{Hmac, KeyInit, Mac};
use jiff::{SignedDuration, Timestamp};
use object_store::{
    GetOptions, GetRange, GetResultPayload, ObjectStore, ObjectStoreExt, multipart::MultipartStore,
    path::Path,
};
use sha2::Sha256;
use tokio::sync::OnceCell;

use crate::Msg;
use crate::{ServiceError, Services, access::Principal};

/// How long a signed media link works.
pub const LINK_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

/// How many leading bytes decide a file's type.
const SNIFF_BYTES: usize = 8192;

/// Where the bytes are kept, and the limits of an upload.
pub struct MediaStore {
    pub(crate) store: Arc<dyn ObjectStore>,
    /// The store's multipart uploads, driven by us so that their ids can be kept (S3).
    pub(crate) multipart: Option<Arc<dyn MultipartStore>>,
    /// The largest file accepted, in bytes.
    pub max_file_bytes: u64,
    key: OnceCell<Vec<u8>>,
}

impl MediaStore {
    pub fn new(opened: crate::storage::Opened, max_file_bytes: u64) -> Self {
        Self {
            store: opened.objects,
            multipart: opened.multipart,
            max_file_bytes,
            key: OnceCell::new(),
        }
    }

    /// Local files under `dir` (created when missing).
    pub fn local(dir: &std::path::Path, max_file_bytes: u64) -> anyhow::Result<Self> {
        let opened = crate::storage::open(
            &dir.display().to_string(),
            &crate::storage::S3Options::default(),
            "--media-store",
        )?;
        Ok(Self::new(opened, max_file_bytes))
    }

    /// The store's multipart uploads, when it has them (S3), for tests and tools.
    pub fn multipart(&self) -> Option<&Arc<dyn MultipartStore>> {
        self.multipart.as_ref()
    }

    /// The objects, for tests and tools that look at what is stored.
    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// The key that signs media links: one per installation, kept in the database so every
    /// instance signs alike.
    pub(crate) async fn signing_key(&self, services: &Services) -> Result<&[u8], ServiceError> {
        self.key
            .get_or_try_init(|| async {
                let (candidate, _) = crate::accounts::new_secret()?;
                let mut conn = services.db.conn().await?;
                let v = store::shared_secret(
                    &mut conn,
                    "media_links",
                    &candidate,
                    services.clock.now(),
                )
                .await?;
                Ok::<_, ServiceError>(v.into_bytes())
            })
            .await
            .map(Vec::as_slice)
    }
}

/// What the bytes of a file are, from its first bytes: (kind, content type).
pub fn sniff(head: &[u8]) -> (MediaKind, String) {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if text.starts_with(b"WEBVTT")
        && matches!(text.get(6), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    {
        return (MediaKind::Captions, "text/vtt".into());
    }
    match infer::get(head) {
        Some(t) => {
            let mime = t.mime_type().to_owned();
            let kind = match t.matcher_type() {
                infer::MatcherType::Video => MediaKind::Video,
                infer::MatcherType::Audio => MediaKind::Audio,
                infer::MatcherType::Image => MediaKind::Image,
                _ => MediaKind::File,
            };
            (kind, mime)
        }
        None if std::str::from_utf8(head).is_ok() || looks_like_cut_utf8(head) => {
            (MediaKind::File, "text/plain; charset=utf-8".into())
        }
        None => (MediaKind::File, "application/octet-stream".into()),
    }
}

/// UTF-8 text whose sample ends in the middle of a character.
fn looks_like_cut_utf8(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && head.len() - e.valid_up_to() < 4,
    }
}

fn editor(who: &Principal) -> Result<TenantId, ServiceError> {
    who.require_write()?;
    Ok(crate::access::require_tenant(who, TenantAction::EditContent)?.clone())
}

/// The school's files (staff; a teacher, the files they uploaded or their courses use).
pub async fn list(services: &Services, who: &Principal) -> Result<Vec<Media>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(match teacher(who) {
        Some(t) => store::list_for_teacher(&mut conn, &tenant, t).await?,
        None => store::list(&mut conn, &tenant).await?,
    })
}

/// A page of the school's files, newest first (staff; a teacher's own and their courses').
pub async fn list_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Media>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::list_page(&mut conn, &tenant, teacher(who), req).await?)
}

/// One of the school's files (staff).
pub async fn get(services: &Services, who: &Principal, id: &str) -> Result<Media, ServiceError> {
    let id = &MediaId::new(id);
    let tenant = crate::access::require_tenant(who, TenantAction::EditContent)?.to_owned();
    let mut conn = services.db.conn().await?;
    let m = live(&mut conn, &tenant, id).await?;
    check_reader(&mut conn, who, &tenant, id).await?;
    Ok(m)
}

/// The person's id when they are a teacher (limited to their own courses' files).
fn teacher(who: &Principal) -> Option<&UserId> {
    (who.tenant_role() == Some(educenter_domain::roles::TenantRole::Teacher))
        .then_some(&who.user_id)
}

/// Refuses (as "not found") a file a teacher may not read: one they may not use, and no
/// student's answer in a course of theirs.
pub(crate) async fn check_reader(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    id: &MediaId,
) -> Result<(), ServiceError> {
    match teacher(who) {
        Some(t) if !store::teacher_may_read(conn, tenant, id, t).await? => {
            Err(ServiceError::NotFound(Msg::new("err-no-file")))
        }
        _ => Ok(()),
    }
}

/// Refuses (as "not found") a file that may not be shown in a lesson, on a cover or as the
/// logo: a student's upload (whoever asks), or for a teacher one they may not use.
pub(crate) async fn check_usable(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    id: &MediaId,
) -> Result<(), ServiceError> {
    if store::is_learners(conn, tenant, id).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-file")));
    }
    check_teacher(conn, who, tenant, id).await
}

/// Refuses (as "not found") a file a teacher may not use: one they did not upload and no
/// course of theirs uses.
pub(crate) async fn check_teacher(
    conn: &mut Conn,
    who: &Principal,
    tenant: &TenantId,
    id: &MediaId,
) -> Result<(), ServiceError> {
    match teacher(who) {
        Some(t) if !store::teacher_may_use(conn, tenant, id, t).await? => {
            Err(ServiceError::NotFound(Msg::new("err-no-file")))
        }
        _ => Ok(()),
    }
}

async fn live(conn: &mut Conn, tenant: &TenantId, id: &MediaId) -> Result<Media, ServiceError> {
    store::get(conn, tenant, id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-file")))
}

/// Deletes a file no live lesson uses; its bytes leave the store and the storage is freed.
pub async fn delete(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let id = &MediaId::new(id);
    let tenant = editor(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let m = live(&mut tx, &tenant, id).await?;
    check_teacher(&mut tx, who, &tenant, id).await?;
    let trash_since = now - SignedDuration::from_hours(24 * educenter_domain::learning::TRASH_DAYS);
    if store::in_use(&mut tx, &tenant, id, trash_since).await? {
        return Err(ServiceError::Conflict(Msg::new("err-file-in-use")));
    }
    store::mark_deleted(&mut tx, &tenant, id, now).await?;
    let entry = who
        .audit("media.delete")
        .tenant(tenant.clone())
        .target("media", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services
        .media
        .store
        .delete(&Path::from(m.storage_key.as_str()))
        .await
        .map_err(|e| ServiceError::Internal(format!("removing the file failed: {e}")))?;
    Ok(())
}

fn link_message(id: &str, tenant: &str, user: &str, expires: i64) -> String {
    format!("media|{id}|{tenant}|{user}|{expires}")
}

pub(crate) fn link_mac(key: &[u8], message: &str) -> Result<Hmac<Sha256>, ServiceError> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(key).map_err(|e| ServiceError::Internal(e.to_string()))?;
    m.update(message.as_bytes());
    Ok(m)
}

/// A signed link to a file, and the file, for the person asking: staff of the school, or a student enrolled
/// in a course that uses it. It works for [`LINK_LIFETIME`].
pub async fn link(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Media), ServiceError> {
    let id = &MediaId::new(id);
    who.require_access(crate::access::Area::School)?;
    let tenant = who
        .tenant_id
        .clone()
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-file")))?;
    let mut conn = services.db.conn().await?;
    let m = live(&mut conn, &tenant, id).await?;
    if !may_read(&mut conn, services, who, &tenant, &m.id).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-file")));
    }
    drop(conn);
    let url = signed_url(services, &tenant, &who.user_id, &m.id).await?;
    Ok((url, m))
}

/// A link to a file signed for `user` of the school `tenant`, working for [`LINK_LIFETIME`];
/// the caller has checked that the person may read it (and [`open_link`] checks again).
pub(crate) async fn signed_url(
    services: &Services,
    tenant: &TenantId,
    user: &UserId,
    id: &MediaId,
) -> Result<String, ServiceError> {
    let expires = (services.clock.now() + LINK_LIFETIME).as_second();
    let key = services.media.signing_key(services).await?;
    let mac = link_mac(key, &link_message(id, tenant, user, expires))?;
    Ok(format!(
        "/media/{id}?t={tenant}&u={user}&e={expires}&s={}",
        hex::encode(mac.finalize().into_bytes())
    ))
}

/// A lesson's HTML (see [`crate::markdown::render_markdown`]) with the school's images it
/// shows signed for the reader: `user` (a student or staff of `tenant`), or `None` for the
/// visitors of a free preview. [`open_link`] decides when each image is asked for (a student's
/// only while a lesson they may open shows it).
pub async fn sign_images(
    services: &Services,
    tenant: &TenantId,
    user: Option<&UserId>,
    html: &str,
) -> Result<String, ServiceError> {
    if !html.contains(educenter_domain::content::IMAGE_SCHEME) {
        return Ok(html.to_owned());
    }
    let expires = (services.clock.now() + LINK_LIFETIME).as_second();
    let key = services.media.signing_key(services).await?;
    let user = user.map_or(PREVIEW_USER, |u| u.as_str());
    Ok(crate::markdown::signed_images(html, |id| {
        let mac = link_mac(key, &link_message(id, tenant, user, expires)).ok()?;
        Some(format!(
            "/media/{id}?t={tenant}&u={user}&e={expires}&s={}",
            hex::encode(mac.finalize().into_bytes())
        ))
    }))
}

/// Who a link to a free preview lesson's file is signed for: nobody signed in (no account has
/// this id).
const PREVIEW_USER: &str = "preview";

/// A signed link to a free preview lesson's file, for whoever visits the school's site (issue
/// 17, item 3); any other file is "not found".
pub async fn preview_link(
    services: &Services,
    tenant: &TenantId,
    id: &MediaId,
) -> Result<(String, Media), ServiceError> {
    let mut conn = services.db.conn().await?;
    let m = live(&mut conn, tenant, id).await?;
    if !store::in_free_preview(&mut conn, tenant, &m.id).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-file")));
    }
    drop(conn);
    let expires = (services.clock.now() + LINK_LIFETIME).as_second();
    let key = services.media.signing_key(services).await?;
    let mac = link_mac(key, &link_message(&m.id, tenant, PREVIEW_USER, expires))?;
    let url = format!(
        "/media/{}?t={tenant}&u={PREVIEW_USER}&e={expires}&s={}",
        m.id,
        hex::encode(mac.finalize().into_bytes())
    );
    Ok((url, m))
}

async fn may_read(
    conn: &mut Conn,
    services: &Services,
    who: &Principal,
    tenant: &TenantId,
    id: &MediaId,
) -> Result<bool, ServiceError> {
    if who.kind == AccountKind::Learner {
        let today = local_date(services.clock.now());
        return Ok(store::reachable_by_learner(conn, tenant, id, &who.user_id, today).await?);
    }
    if crate::access::require_tenant(who, TenantAction::EditContent).is_err() {
        return Ok(false);
    }
    Ok(check_reader(conn, who, tenant, id).await.is_ok())
}

/// The parts of a signed link.
#[derive(Debug, Clone, Default)]
pub struct LinkParams {
    pub tenant: String,
    pub user: String,
    pub expires: i64,
    pub signature: String,
}

/// Checks a signed link and that its person may still read the file (a student still enrolled,
/// staff still there); answers the file. Any failure is "not found" (or "gone" once expired).
pub async fn open_link(
    services: &Services,
    id: &str,
    p: &LinkParams,
) -> Result<Media, ServiceError> {
    let id = &MediaId::new(id);
    let not_found = || ServiceError::NotFound(Msg::new("err-no-file"));
    let key = services.media.signing_key(services).await?;
    let sig = hex::decode(&p.signature).map_err(|_| not_found())?;
    link_mac(key, &link_message(id, &p.tenant, &p.user, p.expires))?
        .verify_slice(&sig)
        .map_err(|_| not_found())?;
    if services.clock.now().as_second() > p.expires {
        return Err(ServiceError::Gone(Msg::new("err-link-expired")));
    }
    // The school the link names: we signed it, so it is ours to trust.
    let school = TenantId::new(&*p.tenant);
    let mut conn = services.db.conn().await?;
    let m = live(&mut conn, &school, id)
        .await
        .map_err(|_| not_found())?;
    if p.user == PREVIEW_USER {
        // A free preview's file, for visitors, while the lesson stays a free preview and the
        // school's site is open.
        let tenant = educenter_store::tenancy::get_in(&mut conn, &school)
            .await?
            .ok_or_else(not_found)?;
        crate::site::open_school(tenant).map_err(|e| match e {
            ServiceError::NotFound(_) => not_found(),
            other => other,
        })?;
        if !store::in_free_preview(&mut conn, &school, id).await? {
            return Err(not_found());
        }
        return Ok(m);
    }
    let user = educenter_store::accounts::get(&mut conn, &UserId::new(p.user.as_str()))
        .await?
        .filter(|u| u.removed_at.is_none() && u.tenant_id.as_deref() == Some(&p.tenant))
        .ok_or_else(not_found)?;
    // A school whose licence does not allow work, or that is blocked, serves no file to
    // anyone, even on a link handed out before (503 like its site); a purged one is gone.
    let tenant = educenter_store::tenancy::get_in(&mut conn, &school)
        .await?
        .ok_or_else(not_found)?;
    crate::site::open_school(tenant).map_err(|e| match e {
        ServiceError::NotFound(_) => not_found(),
        other => other,
    })?;
    let allowed = match user.kind {
        AccountKind::Learner => {
            let today = local_date(services.clock.now());
            store::reachable_by_learner(&mut conn, &school, id, &user.id, today).await?
        }
        AccountKind::Owner | AccountKind::Staff => {
            let role = user.role.school();
            let edits = role
                .is_some_and(|r| educenter_domain::roles::tenant_may(r, TenantAction::EditContent));
            let teacher = role == Some(educenter_domain::roles::TenantRole::Teacher);
            edits && (!teacher || store::teacher_may_read(&mut conn, &school, id, &user.id).await?)
        }
        AccountKind::Operator => false,
    };
    if !allowed {
        return Err(not_found());
    }
    Ok(m)
}

/// Reads `start..end` of a file as a stream of chunks.
pub async fn read_range(
    services: &Services,
    m: &Media,
    start: u64,
    end: u64,
) -> Result<BoxStream<'static, Result<Bytes, std::io::Error>>, ServiceError> {
    let opts = GetOptions {
        range: Some(GetRange::Bounded(start..end)),
        ..Default::default()
    };
    let got = services
        .media
        .store
        .get_opts(&Path::from(m.storage_key.as_str()), opts)
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the file failed: {e}")))?;
    let range = got.range.clone();
    Ok(match got.payload {
        // A local file is read in large chunks: object_store's own stream reads 8 KiB at a time,
        // each on the blocking pool, which costs more than the bytes.
        GetResultPayload::File(file, _) => file_chunks(file, range.start, range.end),
        GetResultPayload::Stream(s) => s.map(|r| r.map_err(std::io::Error::other)).boxed(),
    })
}

/// The bytes `start..end` of a local file, 256 KiB a chunk, each read on the blocking pool.
fn file_chunks(
    file: std::fs::File,
    start: u64,
    end: u64,
) -> BoxStream<'static, Result<Bytes, std::io::Error>> {
    const CHUNK: u64 = 256 * 1024;
    let file = Arc::new(std::sync::Mutex::new(file));
    futures::stream::try_unfold(start, move |at| {
        let file = file.clone();
        async move {
            if at >= end {
                return Ok(None);
            }
            let len = (end - at).min(CHUNK) as usize;
            let buf = tokio::task::spawn_blocking(move || {
                use std::io::{Read, Seek, SeekFrom};
                let mut f = file
                    .lock()
                    .map_err(|_| std::io::Error::other("the file's lock is poisoned"))?;
                f.seek(SeekFrom::Start(at))?;
                let mut buf = vec![0u8; len];
                f.read_exact(&mut buf)?;
                Ok::<_, std::io::Error>(buf)
            })
            .await
            .map_err(std::io::Error::other)??;
            Ok(Some((Bytes::from(buf), at + len as u64)))
        }
    })
    .boxed()
}

/// The moment a file was stored, for `Last-Modified`.
pub fn modified(m: &Media) -> Timestamp {
    m.created_at
}

/// Registers the deletion of a purged school's files (every object under `{tenant}/`).
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    registry.job::<crate::retention::PurgeFiles>();
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(5, 10) {
        registry.every::<SweepUploads>(at);
    }
}

impl crate::jobs::Job for crate::retention::PurgeFiles {
    const KIND: &'static str = "media.purge_school";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        purge_files(&ctx.services.media, &self.tenant_id).await
    }
}

/// Deletes every object of a school from the media store (the purge, R-4.4a); safe to run again.
async fn purge_files(media: &MediaStore, tenant: &str) -> anyhow::Result<()> {
    if tenant.is_empty() || tenant.contains('/') {
        anyhow::bail!("the job names no school");
    }
    let prefix = Path::from(tenant);
    let found: Vec<Path> = media
        .store
        .list(Some(&prefix))
        .map(|meta| meta.map(|m| m.location))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    for path in &found {
        media.store.delete(path).await?;
    }
    tracing::info!(
        tenant,
        files = found.len(),
        "deleted the files of a purged school"
    );
    Ok(())
}
