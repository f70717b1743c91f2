//! Backups (issue 18, items 1 and 2; R-7.6a, R-7.7, A-13): a set is a consistent copy of the
//! database, compressed and encrypted, with the media files it names, each stored once by its
//! content, and a manifest written last; sets go to a backup target of their own, are never
//! overwritten, and are deleted after 30 days. A verification restores a set into scratch and
//! checks it against its manifest. The scheduled job, the alerts when none succeeds and the
//! monthly drill are in `schedule`.

mod crypt;
pub mod manifest;
mod restore;
mod schedule;
mod target;
mod verify;

use std::{collections::HashSet, path::PathBuf, sync::Arc};

use educenter_domain::backup::{CopyFormat, RunKind, expired};
use educenter_store::{Engine, backup as store};
use jiff::{SignedDuration, Timestamp};
use object_store::ObjectStore;

pub use crypt::Key;
pub use manifest::Manifest;
pub use restore::{Destination, Restored, restore_school};
pub use schedule::{Status, arm_alerts, last_success_age, open_alerts, register, request, status};
pub use verify::{Verified, verify};

use crate::Services;
use manifest::{MediaObject, Object, manifest_key, media_key, set_prefix};

/// A run whose heartbeat (its start, then each file it stores or checks) is this old died with
/// its process.
pub(super) const STALE_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// A set left without its manifest this long is an interrupted run's leftovers: pruned.
pub(super) const UNFINISHED_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The last step of a check, given by the program that serves pages: it opens the restored
/// database at the URL (scratch files under the folder) as the web application and renders a
/// school's page; it answers what it rendered.
pub type PageProbe = Arc<
    dyn Fn(String, PathBuf) -> futures::future::BoxFuture<'static, anyhow::Result<String>>
        + Send
        + Sync,
>;

/// Where sets go and the key they are encrypted to: present only when a key is configured.
pub struct Backups {
    target: Arc<dyn ObjectStore>,
    /// The target as configured (a folder), for pages and messages.
    pub target_name: String,
    key: Key,
    /// A folder on the data's disk for the copy being made or checked.
    scratch: PathBuf,
    /// Hours between scheduled backups.
    pub every_hours: u16,
    /// The database's URL, for `pg_dump` and the scratch database of a check (never shown).
    database_url: String,
    /// Renders a school's page from a restored copy (see [`PageProbe`]).
    probe: Option<PageProbe>,
}

impl Backups {
    /// The backups of a configured instance: the target (`--backup-target`), the key read from
    /// `--backup-key-file`, scratch space under `scratch`.
    pub fn new(
        target_name: &str,
        s3: &crate::storage::S3Options,
        key_file: &std::path::Path,
        scratch: PathBuf,
        every_hours: u16,
        database_url: &str,
    ) -> anyhow::Result<Self> {
        if !(1..=72).contains(&every_hours) {
            anyhow::bail!(
                "--backup-every-hours must be 1 to 72 (the contract allows at most 72 hours)"
            );
        }
        std::fs::create_dir_all(&scratch)?;
        // A process that stopped mid-run left its plain copies here: they go now.
        for entry in std::fs::read_dir(&scratch)?.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Only a day-old one: a command run beside the server must not take the server's.
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|d| d.as_secs() > 24 * 3600));
            if (name.starts_with("backup-") || name.starts_with("verify-"))
                && entry.path().is_dir()
                && old
            {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        Ok(Self {
            target: target::open(target_name, s3)?,
            target_name: target_name.to_owned(),
            key: Key::load(key_file)?,
            scratch,
            every_hours,
            database_url: database_url.to_owned(),
            probe: None,
        })
    }

    /// Checks end by rendering a school's page from the restored copy with `probe`.
    pub fn with_probe(mut self, probe: PageProbe) -> Self {
        self.probe = Some(probe);
        self
    }

    /// The key's public half, `age1...`.
    pub fn key_public(&self) -> String {
        self.key.public()
    }
}

/// Writes a new key file for `educenter backup keygen`; returns its public half.
pub fn keygen(path: &std::path::Path, now: Timestamp) -> anyhow::Result<String> {
    Key::generate(path, now).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

fn configured(services: &Services) -> anyhow::Result<Arc<Backups>> {
    services.backups.clone().ok_or_else(|| {
        anyhow::anyhow!(
            "backups are off: give --backup-key-file (`educenter backup keygen PATH` writes a key)"
        )
    })
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub set: String,
    /// Bytes added to the target: the database's copy and the media files not stored before.
    pub bytes: u64,
    pub tables: usize,
    pub media: usize,
    pub media_added: usize,
    /// Files the database names that the media store no longer had (deleted meanwhile).
    pub media_missing: usize,
}

/// Takes a backup now: prunes sets past keeping, writes a set, records the run and resolves
/// open alerts. One runs at a time across instances and the command line; a failure is
/// recorded and alerts stay due.
pub async fn run(services: &Services) -> anyhow::Result<Written> {
    let backups = configured(services)?;
    let run_id = educenter_store::new_id();
    let started = services.clock.now();
    {
        let mut conn = services.db.conn().await?;
        let stale = started - STALE_AFTER;
        if !store::start_run(&mut conn, &run_id, RunKind::Backup, started, stale).await? {
            anyhow::bail!("another backup is running; try again when it has finished");
        }
    }
    // Pruning happens while this run holds the one running slot, so no other run is storing
    // files a manifest does not name yet.
    if let Err(e) = prune(services, &backups).await {
        tracing::warn!(error = %format!("{e:#}"), "pruning old backup sets failed");
    }
    let result = write_set(services, &backups, &run_id, started).await;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match &result {
        Ok(w) => {
            let detail = (w.media_missing > 0).then(|| {
                format!(
                    "{} files were deleted while the backup ran",
                    w.media_missing
                )
            });
            let outcome = store::Outcome {
                ok: true,
                set_id: Some(&w.set),
                bytes: Some(w.bytes as i64),
                media_added: Some(w.media_added as i64),
                detail: detail.as_deref(),
            };
            store::finish_run(&mut tx, &run_id, &outcome, now).await?;
            store::resolve_alerts(&mut tx, now).await?;
            tracing::info!(set = %w.set, bytes = w.bytes, media_added = w.media_added, "backup written");
        }
        Err(e) => {
            let detail = format!("{e:#}");
            let outcome = store::Outcome {
                ok: false,
                detail: Some(&detail),
                ..store::Outcome::default()
            };
            store::finish_run(&mut tx, &run_id, &outcome, now).await?;
            tracing::error!(error = %detail, "backup failed");
        }
    }
    tx.commit().await?;
    if let Err(e) = schedule::arm_alerts(services).await {
        tracing::error!(error = %format!("{e:#}"), "queueing the backup alerts failed");
    }
    result
}

async fn write_set(
    services: &Services,
    b: &Arc<Backups>,
    run_id: &str,
    now: Timestamp,
) -> anyhow::Result<Written> {
    let set = format!(
        "{}-{}",
        now.strftime("%Y%m%dT%H%M%SZ"),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let dir = tempfile::Builder::new()
        .prefix("backup-")
        .tempdir_in(&b.scratch)?;
    let (format, copy, digest, files) = match services.db.engine() {
        Engine::Sqlite => {
            let copy = dir.path().join("database.sqlite");
            store::snapshot_sqlite(&services.db, &copy).await?;
            let read = copy.clone();
            let (digest, files) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                Ok((
                    store::digest_sqlite_file(&read)?,
                    store::media_in_sqlite_file(&read)?,
                ))
            })
            .await??;
            (CopyFormat::Sqlite, copy, digest, files)
        }
        Engine::Postgres => {
            let copy = dir.path().join("database.pgdump");
            let dump = store::dump_postgres(&services.db, &b.database_url, &copy).await?;
            (CopyFormat::PgDump, copy, dump.digest, dump.media)
        }
    };
    let sealed = {
        let (b, sealed) = (b.clone(), dir.path().join("database.age"));
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let written = crypt::seal(&b.key, &copy, &sealed, true)?;
            std::fs::remove_file(&copy)?;
            Ok((sealed, written))
        })
        .await??
    };
    let (sealed, sealed_written) = sealed;
    let db_key = format!("{}/database.{format}.zst.age", set_prefix(&set));
    target::put_file(b.target.clone(), &db_key, &sealed).await?;
    tokio::fs::remove_file(&sealed).await?;
    let mut written = Written {
        set: set.clone(),
        bytes: sealed_written.bytes,
        tables: digest.tables.len(),
        media: 0,
        media_added: 0,
        media_missing: 0,
    };

    // One object per content: the first live file of each content is copied (checked against
    // its hash); a file gone from the media store is lost unless the database deleted it
    // meanwhile.
    let mut media = Vec::new();
    let mut stored = HashSet::new();
    let mut missing = Vec::new();
    let key_id = b.key.id();
    for (storage_key, sha256, size) in files {
        if stored.contains(&sha256) {
            continue;
        }
        let object = media_key(&key_id, &sha256);
        if !target::exists(b.target.as_ref(), &object).await? {
            match copy_media(services, b, dir.path(), &storage_key, &sha256, &object).await? {
                Some(bytes) => {
                    written.bytes += bytes;
                    written.media_added += 1;
                }
                None => {
                    missing.push(storage_key);
                    continue;
                }
            }
        }
        stored.insert(sha256.clone());
        store::touch_run(&services.db, run_id, services.clock.now()).await?;
        media.push(MediaObject {
            sha256,
            bytes: size.max(0) as u64,
            object,
        });
    }
    if !missing.is_empty() {
        let lost = store::live_media(&services.db, &missing).await?;
        if let Some(first) = lost.first() {
            anyhow::bail!(
                "{} files the database names are missing from the media store (the first: {first})",
                lost.len()
            );
        }
        written.media_missing = missing.len();
    }
    written.media = media.len();

    let manifest = Manifest {
        format: manifest::FORMAT,
        set: set.clone(),
        created_at: now,
        engine: services.db.engine().name().to_owned(),
        schema_version: digest.schema_version,
        key: b.key.public(),
        database: Object {
            object: db_key,
            bytes: sealed_written.bytes,
            sha256: sealed_written.sha256,
            format,
        },
        tables: digest.tables,
        media,
        mac: None,
    };
    target::put_new(
        b.target.as_ref(),
        &manifest_key(&set),
        manifest::seal(manifest, &b.key)?,
    )
    .await?;
    Ok(written)
}

/// Copies one stored file into the target, encrypted, after checking its content against the
/// hash the database recorded; `None` when the media store no longer has it. Returns the bytes
/// stored.
async fn copy_media(
    services: &Services,
    b: &Arc<Backups>,
    dir: &std::path::Path,
    storage_key: &str,
    sha256: &str,
    object: &str,
) -> anyhow::Result<Option<u64>> {
    let plain = dir.join("media.plain");
    let sealed = dir.join("media.age");
    match target::get_file(services.media.store.as_ref(), storage_key, &plain).await {
        Ok(()) => {}
        Err(e)
            if e.downcast_ref::<object_store::Error>()
                .is_some_and(|e| matches!(e, object_store::Error::NotFound { .. })) =>
        {
            tracing::warn!(
                storage_key,
                "a file the database names is not in the media store"
            );
            return Ok(None);
        }
        Err(e) => return Err(e),
    }
    let written = {
        let (b, plain, sealed) = (b.clone(), plain.clone(), sealed.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let content = crypt::digest(&plain)?;
            Ok((content, crypt::seal(&b.key, &plain, &sealed, false)?))
        })
        .await??
    };
    let (content, sealed_written) = written;
    tokio::fs::remove_file(&plain).await?;
    if content.sha256 != sha256 {
        tokio::fs::remove_file(&sealed).await?;
        anyhow::bail!(
            "the stored file {storage_key} is damaged: its SHA-256 is {}, the database recorded {sha256}",
            content.sha256
        );
    }
    target::put_file(b.target.clone(), object, &sealed).await?;
    tokio::fs::remove_file(&sealed).await?;
    Ok(Some(sealed_written.bytes))
}

/// Every finished set in the target whose manifest reads and is sealed with the configured
/// key, newest first; the sets whose manifest does not are logged and left out.
pub async fn list(services: &Services) -> anyhow::Result<Vec<Manifest>> {
    let b = configured(services)?;
    Ok(manifests(&b).await?.0)
}

/// The readable manifests, newest first, and the names of the sets whose manifest is not.
async fn manifests(b: &Backups) -> anyhow::Result<(Vec<Manifest>, HashSet<String>)> {
    manifests_among(b, &target::keys(b.target.as_ref(), "sets").await?).await
}

/// [`manifests`] among keys already listed.
async fn manifests_among(
    b: &Backups,
    keys: &[String],
) -> anyhow::Result<(Vec<Manifest>, HashSet<String>)> {
    let mut out = Vec::new();
    let mut unreadable = HashSet::new();
    for key in keys {
        let Some(set) = key.strip_suffix("/manifest.json") else {
            continue;
        };
        let bytes = target::get_bytes(b.target.as_ref(), key).await?;
        match manifest::open(&bytes, &b.key) {
            Ok(m) => out.push(m),
            Err(e) => {
                tracing::warn!(manifest = %key, error = %e, "a backup manifest is left out");
                unreadable.insert(set.trim_start_matches("sets/").to_owned());
            }
        }
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.set.cmp(&a.set)));
    Ok((out, unreadable))
}

/// When a set began, from its name (`20270301T010000Z-...`).
fn set_began(set: &str) -> Option<Timestamp> {
    let t = jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", set.get(..16)?).ok()?;
    jiff::tz::TimeZone::UTC.to_timestamp(t).ok()
}

/// Deletes sets older than 30 days (by the instant their name carries), sets an interrupted
/// run left without a manifest for a day, and stored files no kept set names, so that what a
/// school deleted leaves the backups within 30 days. A set's manifest goes first, so a prune
/// cut short never leaves a listed set without its parts. Runs while its caller holds the one
/// running backup slot.
async fn prune(services: &Services, b: &Backups) -> anyhow::Result<()> {
    let now = services.clock.now();
    let every = SignedDuration::from_hours(i64::from(b.every_hours));
    let gone_now = |set: &str| set_began(set).is_some_and(|t| expired(t, now, every));
    let keys = target::keys(b.target.as_ref(), "sets").await?;
    let (sets, unreadable) = manifests_among(b, &keys).await?;
    let finished: HashSet<&str> = sets.iter().map(|m| m.set.as_str()).collect();
    // The newest set is kept whatever its age (after 30 days of failed runs it is all there is),
    // and so is a set a running check is reading.
    let mut spared: HashSet<String> = sets.first().map(|m| m.set.clone()).into_iter().collect();
    {
        let mut conn = services.db.conn().await?;
        spared.extend(store::sets_in_use(&mut conn).await?);
    }
    let mut manifests_doomed = Vec::new();
    let mut doomed = Vec::new();
    for key in keys {
        let Some(set) = key.split('/').nth(1) else {
            continue;
        };
        let Some(began) = set_began(set) else {
            continue;
        };
        let gone = if spared.contains(set) {
            false
        } else if finished.contains(set) || unreadable.contains(set) {
            gone_now(set)
        } else {
            now.duration_since(began) > UNFINISHED_AFTER
        };
        if gone {
            if key.ends_with("/manifest.json") {
                manifests_doomed.push(key);
            } else {
                doomed.push(key);
            }
        }
    }
    // Files are pruned only when every kept set's manifest reads: one that does not might name
    // any of them.
    let kept: Vec<&Manifest> = sets
        .iter()
        .filter(|m| spared.contains(&m.set) || !gone_now(&m.set))
        .collect();
    let kept_unreadable = unreadable.iter().any(|s| !gone_now(s));
    if !kept_unreadable {
        let named: HashSet<&str> = kept
            .iter()
            .flat_map(|m| m.media.iter().map(|f| f.object.as_str()))
            .collect();
        for key in target::keys(b.target.as_ref(), "media").await? {
            if !named.contains(key.as_str()) {
                doomed.push(key);
            }
        }
    }
    if !manifests_doomed.is_empty() || !doomed.is_empty() {
        tracing::info!(
            objects = manifests_doomed.len() + doomed.len(),
            "pruning backup objects past keeping"
        );
        target::delete(b.target.as_ref(), &manifests_doomed).await?;
        target::delete(b.target.as_ref(), &doomed).await?;
    }
    Ok(())
}

/// A school of the database behind `services` (its address and the name its students see), to
/// render its page in a check's last step; `None` when it holds none.
pub async fn any_school(services: &Services) -> anyhow::Result<Option<(String, String)>> {
    Ok(store::any_school(&services.db).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_set_began_at_the_instant_its_name_carries() {
        assert_eq!(
            super::set_began("20270301T010000Z-0a1b2c3d"),
            Some("2027-03-01T01:00:00Z".parse().unwrap())
        );
        assert_eq!(super::set_began("garbage"), None);
    }
}
