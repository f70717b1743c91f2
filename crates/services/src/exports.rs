//! The export of a school's data (issue 18, item 3; I-13, R-8.2). The owner asks for it (also
//! while the contract ends and until the data is purged); a background job builds a ZIP:
//! `manifest.json`, each entity as JSON Lines and CSV (the school, courses, modules, lessons
//! with their texts, students, staff, groups, enrolments, progress, consents, files, contracts,
//! invoices and acts with their lines, payments), every invoice and act as a PDF, and every
//! uploaded file. It is kept in the media store for 7 days behind a signed link, which is
//! e-mailed to the owner. One export at a time per school.

use std::io::Write;

use educenter_domain::ids::{ActId, InvoiceId, TenantId};
use educenter_domain::roles::TenantAction;
use educenter_store::{
    audit::{self, Origin},
    exports::{self, Export},
    jobs,
    outbox::{self, NewMail},
};
use futures::StreamExt;
use hmac::Mac;
use jiff::{SignedDuration, Timestamp};
use object_store::{ObjectStoreExt, path::Path};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::jobs::Job;
use crate::{Msg, ServiceError, Services, access::Principal, i18n::Lang};

/// How long an export's link works.
pub const LINK_DAYS: i64 = 7;
/// An export still on its way this long after it was asked for has died with its job.
const STALE_AFTER: SignedDuration = SignedDuration::from_hours(6);

/// The entities exported: (name in the ZIP, table, filter over its columns).
const ENTITIES: &[(&str, &str, &str)] = &[
    ("school", "tenants", ""),
    ("courses", "courses", ""),
    ("modules", "course_modules", ""),
    ("lessons", "lessons", ""),
    ("course_teachers", "course_teachers", ""),
    ("question_categories", "question_categories", ""),
    ("questions", "questions", ""),
    ("question_tags", "question_tags", ""),
    (
        "students",
        "users",
        "kind = 'learner' AND erased_at IS NULL",
    ),
    (
        "staff",
        "users",
        "kind IN ('owner', 'staff') AND erased_at IS NULL",
    ),
    ("groups", "learner_groups", ""),
    ("group_members", "group_members", ""),
    ("enrolments", "enrolments", ""),
    ("progress", "lesson_progress", ""),
    ("quizzes", "quizzes", ""),
    ("lesson_images", "lesson_images", ""),
    ("quiz_attempts", "quiz_attempts", ""),
    ("quiz_answers", "quiz_answers", ""),
    ("submissions", "submissions", ""),
    ("submission_entries", "submission_entries", ""),
    ("submission_files", "submission_files", ""),
    ("certificates", "certificates", ""),
    ("consents", "learner_consents", ""),
    ("files", "media", "deleted_at IS NULL"),
    ("contracts", "contracts", ""),
    ("invoices", "invoices", ""),
    ("invoice_lines", "invoice_lines", ""),
    ("payments", "payments", ""),
    ("acts", "acts", ""),
    ("act_lines", "act_lines", ""),
];

/// An export as its owner sees it.
#[derive(Debug, Clone)]
pub struct ExportView {
    pub id: String,
    /// `queued`, `running`, `ready`, `failed` or `expired`.
    pub status: String,
    /// Percent done.
    pub progress: i64,
    /// The signed link while it is ready (a path on this site).
    pub download_url: Option<String>,
    pub expires_at: Option<Timestamp>,
    pub bytes: Option<i64>,
    pub created_at: Timestamp,
}

fn owner_school(who: &Principal) -> Result<TenantId, ServiceError> {
    Ok(crate::access::require_tenant(who, TenantAction::ManageContract)?.to_owned())
}

fn link_message(id: &str, tenant: &str, expires: i64) -> String {
    format!("export|{id}|{tenant}|{expires}")
}

/// The signed download link of export `id` of `tenant`, working until `expires_at`.
async fn signed_link(
    services: &Services,
    id: &str,
    tenant: &TenantId,
    expires_at: Timestamp,
) -> Result<String, ServiceError> {
    let key = services.media.signing_key(services).await?;
    let expires = expires_at.as_second();
    let mac = crate::media::link_mac(key, &link_message(id, tenant, expires))?;
    Ok(format!(
        "/exports/{id}/download?e={expires}&s={}",
        hex::encode(mac.finalize().into_bytes())
    ))
}

async fn view(services: &Services, e: Export) -> Result<ExportView, ServiceError> {
    let now = services.clock.now();
    let expired = e.expires_at.is_some_and(|at| at <= now);
    let status = if e.status == "ready" && expired {
        "expired".to_owned()
    } else {
        e.status.clone()
    };
    let download_url = match (status.as_str(), e.expires_at) {
        ("ready", Some(at)) => Some(signed_link(services, &e.id, &e.tenant_id, at).await?),
        _ => None,
    };
    Ok(ExportView {
        id: e.id,
        status,
        progress: e.progress,
        download_url,
        expires_at: e.expires_at,
        bytes: e.bytes,
        created_at: e.created_at,
    })
}

/// Asks for an export of the school (the owner); 409 while one is queued or running.
pub async fn request(
    services: &Services,
    who: &Principal,
    origin: Origin,
) -> Result<ExportView, ServiceError> {
    who.require_write()?;
    let tenant_id = owner_school(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    // Until the data is purged; after that there is nothing to export.
    if educenter_store::tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .is_none_or(|t| t.purged_at.is_some())
    {
        return Err(ServiceError::NotFound(Msg::new("err-no-school")));
    }
    // An export whose job died long ago no longer holds the school's one place.
    exports::fail_stale(&mut tx, &tenant_id, now - STALE_AFTER, now).await?;
    let id = match exports::create(&mut tx, &tenant_id, Some(&who.user_id), now).await {
        Ok(id) => id,
        Err(e) if e.is_unique_violation() => {
            return Err(ServiceError::Conflict(Msg::new("err-export-running")));
        }
        Err(e) => return Err(e.into()),
    };
    jobs::enqueue(&mut tx, &BuildExport { id: id.clone() }.job(now), now).await?;
    let entry = who
        .audit("export.request")
        .tenant(tenant_id.clone())
        .target("export", id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    let e = exports::get(&mut tx, &tenant_id, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the export just made is gone".into()))?;
    tx.commit().await?;
    services.jobs.wake();
    view(services, e).await
}

/// The school's export `id`.
pub async fn status(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<ExportView, ServiceError> {
    let tenant_id = owner_school(who)?;
    let mut conn = services.db.conn().await?;
    let e = exports::get(&mut conn, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-export")))?;
    drop(conn);
    view(services, e).await
}

/// The school's latest export, if any.
pub async fn latest(
    services: &Services,
    who: &Principal,
) -> Result<Option<ExportView>, ServiceError> {
    let tenant_id = owner_school(who)?;
    let mut conn = services.db.conn().await?;
    let e = exports::latest(&mut conn, &tenant_id).await?;
    drop(conn);
    match e {
        Some(e) => Ok(Some(view(services, e).await?)),
        None => Ok(None),
    }
}

/// A ready export's ZIP behind its signed link: (file name, size, bytes as a stream). Any
/// failure of the signature is "not found"; an expired link is "gone".
pub async fn download(
    services: &Services,
    id: &str,
    expires: i64,
    signature: &str,
) -> Result<
    (
        String,
        u64,
        futures::stream::BoxStream<'static, Result<bytes::Bytes, std::io::Error>>,
    ),
    ServiceError,
> {
    let not_found = || ServiceError::NotFound(Msg::new("err-no-export"));
    let mut conn = services.db.conn().await?;
    let e = exports::by_id(&mut conn, id).await?.ok_or_else(not_found)?;
    let slug = educenter_store::tenancy::get_in(&mut conn, &e.tenant_id)
        .await?
        .map(|t| t.slug)
        .unwrap_or_default();
    drop(conn);
    let key = services.media.signing_key(services).await?;
    let sig = hex::decode(signature).map_err(|_| not_found())?;
    crate::media::link_mac(key, &link_message(&e.id, &e.tenant_id, expires))?
        .verify_slice(&sig)
        .map_err(|_| not_found())?;
    if services.clock.now().as_second() >= expires || e.status != "ready" {
        return Err(ServiceError::Gone(Msg::new("err-link-expired")));
    }
    let object = e.object.ok_or_else(not_found)?;
    let got = services
        .media
        .store
        .get(&Path::from(object.as_str()))
        .await
        .map_err(|_| not_found())?;
    let size = got.meta.size;
    let stream = got
        .into_stream()
        .map(|r| r.map_err(std::io::Error::other))
        .boxed();
    let day = educenter_domain::clock::local_date(e.created_at);
    Ok((format!("educenter-{slug}-{day}.zip"), size, stream))
}

/// Builds an export.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildExport {
    pub id: String,
}

impl crate::jobs::Job for BuildExport {
    const KIND: &'static str = "export.build";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let services = &ctx.services;
        let e = {
            let mut conn = services.db.conn().await?;
            exports::by_id(&mut conn, &self.id).await?
        };
        let Some(e) = e.filter(|e| matches!(e.status.as_str(), "queued" | "running")) else {
            return Ok(());
        };
        if let Err(err) = build(services, &e).await {
            // Told to the owner as failed (they may ask again); the cause is ours, in the log.
            tracing::error!(export = %e.id, error = %format!("{err:#}"), "an export failed");
            let mut conn = services.db.conn().await?;
            exports::fail(&mut conn, &e.id, "the export failed", services.clock.now()).await?;
        }
        Ok(())
    }
}

/// Deletes the ZIPs whose links expired.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ExpireExports {}

impl crate::jobs::Job for ExpireExports {
    const KIND: &'static str = "export.expire";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let services = &ctx.services;
        let mut conn = services.db.conn().await?;
        for e in exports::expired(&mut conn, services.clock.now()).await? {
            if let Some(object) = &e.object {
                match services
                    .media
                    .store
                    .delete(&Path::from(object.as_str()))
                    .await
                {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(err) => return Err(err.into()),
                }
            }
            exports::mark_expired(&mut conn, &e.id).await?;
        }
        Ok(())
    }
}

/// Registers the export's jobs: building one, and the daily deletion of expired ones.
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    registry.job::<BuildExport>();
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(4, 20) {
        registry.every::<ExpireExports>(at);
    }
}

async fn progress(services: &Services, id: &str, percent: i64) -> anyhow::Result<()> {
    let mut conn = services.db.conn().await?;
    exports::set_progress(&mut conn, id, "running", percent).await?;
    Ok(())
}

/// One file of the ZIP: its path and where its bytes are (in memory or a scratch file).
enum Entry {
    Bytes(String, Vec<u8>),
    File(String, std::path::PathBuf),
}

async fn build(services: &Services, e: &Export) -> anyhow::Result<()> {
    progress(services, &e.id, 1).await?;
    let tenant = e.tenant_id.clone();
    let shape = educenter_store::schema::shape(&services.db).await?;
    let mut entries = Vec::new();
    let mut counts = Map::new();
    let mut invoices = Vec::new();
    let mut acts = Vec::new();
    let mut files = Vec::new();
    {
        let mut conn = services.db.conn().await?;
        for (name, table, filter) in ENTITIES {
            let rows = exports::rows(&mut conn, &shape, table, filter, &tenant).await?;
            let ids = |rows: &[Map<String, Value>], key: &str| -> Vec<String> {
                rows.iter()
                    .filter_map(|r| r.get(key).and_then(Value::as_str).map(str::to_owned))
                    .collect()
            };
            match *name {
                "invoices" => invoices = ids(&rows, "id"),
                "acts" => acts = ids(&rows, "id"),
                "files" => {
                    files = rows
                        .iter()
                        .filter_map(|r| {
                            Some((
                                r.get("id")?.as_str()?.to_owned(),
                                r.get("filename")?.as_str()?.to_owned(),
                            ))
                        })
                        .collect();
                }
                _ => {}
            }
            counts.insert((*name).to_owned(), Value::from(rows.len()));
            entries.push(Entry::Bytes(format!("{name}.jsonl"), json_lines(&rows)?));
            entries.push(Entry::Bytes(format!("{name}.csv"), csv_of(&rows)?));
        }
    }
    progress(services, &e.id, 30).await?;
    for id in &invoices {
        let mut conn = services.db.conn().await?;
        let id = InvoiceId::new(id);
        let Some(invoice) = educenter_store::billing::invoice_by_id(&mut conn, &id)
            .await?
            .filter(|i| i.tenant_id == tenant)
        else {
            continue;
        };
        let lines = educenter_store::billing::lines(&mut conn, &tenant, &id).await?;
        drop(conn);
        let (name, pdf) = crate::documents::render_invoice(services, invoice, lines).await?;
        entries.push(Entry::Bytes(format!("invoices/{name}"), pdf));
    }
    for id in &acts {
        let mut conn = services.db.conn().await?;
        let Some(act) = educenter_store::documents::act_by_id(&mut conn, &ActId::new(id))
            .await?
            .filter(|a| a.tenant_id == tenant)
        else {
            continue;
        };
        let lines = educenter_store::documents::act_lines(&mut conn, &tenant, &act.id).await?;
        drop(conn);
        let view = crate::documents::ActView { act, lines };
        let (name, pdf) = crate::documents::render_act(view).await?;
        entries.push(Entry::Bytes(format!("acts/{name}"), pdf));
    }
    progress(services, &e.id, 60).await?;
    let scratch = tempfile::tempdir()?;
    let mut missing = Vec::new();
    for (i, (id, filename)) in files.iter().enumerate() {
        let key = {
            let mut conn = services.db.conn().await?;
            educenter_store::media::get(
                &mut conn,
                &tenant,
                &educenter_domain::ids::MediaId::new(id),
            )
            .await?
            .map(|m| m.storage_key)
        };
        let Some(key) = key else { continue };
        let path = scratch.path().join(format!("media-{i}"));
        let got = match services.media.store.get(&Path::from(key.as_str())).await {
            Ok(got) => got,
            // A file whose bytes are gone is named in the manifest; the rest is exported.
            Err(object_store::Error::NotFound { .. }) => {
                missing.push(Value::from(id.clone()));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let mut out = tokio::fs::File::create(&path).await?;
        let mut stream = got.into_stream();
        while let Some(chunk) = stream.next().await {
            let chunk: bytes::Bytes = chunk?;
            tokio::io::AsyncWriteExt::write_all(&mut out, &chunk).await?;
        }
        tokio::io::AsyncWriteExt::flush(&mut out).await?;
        entries.push(Entry::File(
            format!("files/{id}/{}", safe_name(filename)),
            path,
        ));
    }
    progress(services, &e.id, 85).await?;
    let now = services.clock.now();
    let manifest_base = json!({
        "format": 1,
        "school": tenant.as_str(),
        "created_at": now.to_string(),
        "entities": Value::Object(counts),
        "missing_files": Value::Array(missing),
    });
    let zip_path = scratch.path().join("export.zip");
    let written = {
        let zip_path = zip_path.clone();
        tokio::task::spawn_blocking(move || write_zip(&zip_path, entries, manifest_base)).await??
    };
    // A school purged meanwhile gets no export of what it held.
    {
        let mut conn = services.db.conn().await?;
        if educenter_store::tenancy::get_in(&mut conn, &tenant)
            .await?
            .is_none_or(|t| t.purged_at.is_some())
        {
            anyhow::bail!("the school was purged while its export was built");
        }
    }
    let object = format!("{tenant}/exports/{}.zip", e.id);
    crate::storage::upload_file(services.media.store.clone(), &object, &zip_path).await?;
    let expires_at = now + SignedDuration::from_hours(24 * LINK_DAYS);
    // Signed before the transaction: the signing key may need a write of its own.
    let link = signed_link(services, &e.id, &tenant, expires_at).await?;
    let mut tx = services.db.begin().await?;
    let purged = educenter_store::tenancy::get_in(&mut tx, &tenant)
        .await?
        .is_none_or(|t| t.purged_at.is_some());
    let finished = !purged
        && exports::finish(
            &mut tx,
            &e.id,
            &exports::Finished {
                object: &object,
                bytes: i64::try_from(written).unwrap_or(i64::MAX),
                expires_at,
            },
            now,
        )
        .await?;
    if !finished {
        // Purged, stalled or expired meanwhile: the ZIP goes, and nobody is told of it.
        tx.rollback().await?;
        match services
            .media
            .store
            .delete(&Path::from(object.as_str()))
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(err) => return Err(err.into()),
        }
        return Ok(());
    }
    if let Some(owner) = educenter_store::accounts::owner_of(&mut tx, &tenant).await? {
        let lang = Lang::from_code(&owner.locale).unwrap_or(Lang::Ru);
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("name", owner.full_name.clone());
        args.set("link", format!("{}{link}", services.public_url));
        args.set(
            "until",
            crate::i18n::format_date(lang, educenter_domain::clock::local_date(expires_at)),
        );
        let mail = NewMail {
            to: owner.email.clone(),
            subject: services
                .i18n
                .t_args(lang, "mail-export-ready-subject", &args),
            text: services.i18n.t_args(lang, "mail-export-ready-body", &args),
            html: None,
            class: outbox::MailClass::Transactional,
        };
        outbox::queue(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// A file name safe as a path inside the ZIP on any system: letters, digits, spaces and
/// `.-_()` only (anything else becomes `_`), no leading or trailing dots or spaces, at most 120
/// characters.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    match cleaned.trim_matches(|c| c == '.' || c == ' ') {
        "" => "file".to_owned(),
        s => s.to_owned(),
    }
}

/// A CSV cell a spreadsheet will not run as a formula: text starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return gets a leading `'`.
pub(crate) fn csv_cell(v: &Value) -> String {
    let text = match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => return other.to_string(),
    };
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

fn json_lines(rows: &[Map<String, Value>]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    for row in rows {
        serde_json::to_writer(&mut out, row)?;
        out.push(b'\n');
    }
    Ok(out)
}

fn csv_of(rows: &[Map<String, Value>]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(first) = rows.first() {
        w.write_record(first.keys())?;
        for row in rows {
            w.write_record(row.values().map(csv_cell))?;
        }
    }
    Ok(w.into_inner()?)
}

/// Writes the ZIP (every entry stored as is, then `manifest.json` with each file's size and
/// SHA-256); answers its size.
fn write_zip(
    path: &std::path::Path,
    entries: Vec<Entry>,
    mut manifest: Value,
) -> anyhow::Result<u64> {
    let out = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let mut listed = Vec::new();
    for entry in entries {
        let (name, size, digest) = match entry {
            Entry::Bytes(name, bytes) => {
                zip.start_file(name.as_str(), options)?;
                zip.write_all(&bytes)?;
                (name, bytes.len() as u64, Sha256::digest(&bytes))
            }
            Entry::File(name, path) => {
                // Copied a chunk at a time: a video need not fit in memory.
                zip.start_file(name.as_str(), options)?;
                let mut file = std::fs::File::open(&path)?;
                let mut hasher = Sha256::new();
                let mut buf = vec![0u8; 256 * 1024];
                let mut size = 0u64;
                loop {
                    let n = std::io::Read::read(&mut file, &mut buf)?;
                    if n == 0 {
                        break;
                    }
                    hasher.update(&buf[..n]);
                    zip.write_all(&buf[..n])?;
                    size += n as u64;
                }
                std::fs::remove_file(&path)?;
                (name, size, hasher.finalize())
            }
        };
        listed.push(json!({
            "path": name,
            "bytes": size,
            "sha256": hex::encode(digest),
        }));
    }
    manifest["files"] = Value::Array(listed);
    zip.start_file("manifest.json", options)?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    let file = zip.finish()?;
    Ok(file.metadata()?.len())
}

/// What a student's own data is made of: (name, table) of the school's rows about them.
const MY_DATA: &[(&str, &str)] = &[
    ("account", "users"),
    ("consents", "learner_consents"),
    ("enrolments", "enrolments"),
    ("progress", "lesson_progress"),
    ("quiz_answers", "quiz_answers"),
    ("submissions", "submissions"),
    ("submission_entries", "submission_entries"),
    ("submission_files", "submission_files"),
    ("certificates", "certificates"),
    ("groups", "group_members"),
    ("days", "learner_days"),
];

/// A student's own data at the school, for their profile's download: as one JSON
/// document (`{"account": [...], "consents": [...], ...}`) and as CSV (`entity, row, field,
/// value`, one line a value).
pub async fn my_data(
    services: &Services,
    who: &Principal,
) -> Result<(Value, String), ServiceError> {
    who.require_session()?;
    let tenant = crate::access::require_learner(who)?.clone();
    let shape = educenter_store::schema::shape(&services.db).await?;
    let mut conn = services.db.conn().await?;
    let mut doc = Map::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    let header = ["entity", "row", "field", "value"];
    csv.write_record(header)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    for (name, table) in MY_DATA {
        let rows = exports::rows_of_person(&mut conn, &shape, table, &tenant, &who.user_id).await?;
        for (i, row) in rows.iter().enumerate() {
            for (field, v) in row {
                let text = csv_cell(v);
                csv.write_record([*name, &(i + 1).to_string(), field.as_str(), &text])
                    .map_err(|e| ServiceError::Internal(e.to_string()))?;
            }
        }
        doc.insert(
            (*name).to_owned(),
            Value::Array(rows.into_iter().map(Value::Object).collect()),
        );
    }
    let csv = csv
        .into_inner()
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok((
        Value::Object(doc),
        String::from_utf8_lossy(&csv).into_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_the_zip_stay_in_their_folder_on_any_system() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("a.txt:stream"), "a.txt_stream");
        assert_eq!(safe_name(".."), "file");
        assert_eq!(safe_name("Урок 1 (конспект).pdf"), "Урок 1 (конспект).pdf");
        assert_eq!(safe_name(&"x".repeat(300)).chars().count(), 120);
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_cell(&json!("=HYPERLINK(\"x\")")), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell(&json!("-1")), "'-1");
        assert_eq!(csv_cell(&json!("\tcmd")), "'\tcmd");
        assert_eq!(csv_cell(&json!(-1)), "-1");
        assert_eq!(csv_cell(&json!("Алия")), "Алия");
        assert_eq!(csv_cell(&Value::Null), "");
    }
}
