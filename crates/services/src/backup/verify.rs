//! Checking a set by restoring it: its database copy is fetched, checked against
//! the size and hash the manifest recorded, decrypted and decompressed into scratch, checked
//! for integrity, and every table's rows are compared with the manifest; every media file is
//! fetched and decrypted and its content hash compared; then the program opens the restored
//! copy as it opens a live database (migrations included) and reads its schools.

use educenter_domain::backup::{CopyFormat, RunKind};
use educenter_store::backup as store;

use super::{Backups, Manifest, configured, crypt, manifest, manifests, target};
use crate::Services;

/// What a verification found.
#[derive(Debug, Clone)]
pub struct Verified {
    pub set: String,
    pub tables: usize,
    pub rows: i64,
    pub media: usize,
    pub schools: i64,
    /// The school's page rendered from the restored copy, when the serving program checks one.
    pub rendered: Option<String>,
    /// Every difference from the manifest; empty when the set is whole.
    pub problems: Vec<String>,
}

impl Verified {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies the newest set, or the one named; records the run (`verify`, or `drill` for the
/// monthly drill). Fails when no set can be read at all; a set that reads but differs from its
/// manifest comes back with its problems, recorded as a failed run.
pub async fn verify(
    services: &Services,
    set: Option<&str>,
    kind: RunKind,
) -> anyhow::Result<Verified> {
    let b = configured(services)?;
    let run_id = educenter_store::new_id();
    {
        let mut conn = services.db.conn().await?;
        let now = services.clock.now();
        if !store::start_run(&mut conn, &run_id, kind, now, now - super::STALE_AFTER).await? {
            anyhow::bail!(
                "another {} is running; try again when it has finished",
                kind.as_str()
            );
        }
    }
    let result = check(services, &b, &run_id, set).await;
    let now = services.clock.now();
    let mut conn = services.db.conn().await?;
    let (detail, ok, set_id) = match &result {
        Ok(v) if v.ok() => (
            format!(
                "{} tables, {} rows, {} files, {} schools",
                v.tables, v.rows, v.media, v.schools
            ),
            true,
            Some(v.set.as_str()),
        ),
        Ok(v) => (v.problems.join("; "), false, Some(v.set.as_str())),
        Err(e) => (format!("{e:#}"), false, set),
    };
    let outcome = store::Outcome {
        ok,
        set_id,
        detail: Some(&detail),
        ..store::Outcome::default()
    };
    store::finish_run(&mut conn, &run_id, &outcome, now).await?;
    if !ok {
        tracing::error!(kind = kind.as_str(), problems = %detail, "a backup set failed its check");
    }
    result
}

async fn check(
    services: &Services,
    b: &Backups,
    run_id: &str,
    set: Option<&str>,
) -> anyhow::Result<Verified> {
    let (all, unreadable) = manifests(b).await?;
    if let Some(id) = set
        && unreadable.contains(id)
    {
        anyhow::bail!("the manifest of set {id} does not open (see the log)");
    }
    let m: Manifest = match set {
        Some(id) => all
            .into_iter()
            .find(|m| m.set == id)
            .ok_or_else(|| anyhow::anyhow!("no finished set {id} in {}", b.target_name))?,
        None => all
            .into_iter()
            .next()
            .ok_or_else(|| anyhow::anyhow!("no finished set in {}", b.target_name))?,
    };
    // Named at once, so a backup's prune leaves this set alone while it is read.
    store::reading_set(&services.db, run_id, &m.set, services.clock.now()).await?;
    let mut problems = Vec::new();
    let dir = tempfile::Builder::new()
        .prefix("verify-")
        .tempdir_in(&b.scratch)?;
    let sealed = dir.path().join("database.age");
    let copy = dir.path().join("database.copy");
    target::get_file(b.target.as_ref(), &m.database.object, &sealed).await?;
    let (stored, opened) = {
        let (sealed, copy, b_key) = (sealed.clone(), copy.clone(), b.key.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let stored = crypt::digest(&sealed)?;
            let opened = std::fs::File::create_new(&copy)
                .and_then(|out| crypt::open(&b_key, &sealed, out, true));
            std::fs::remove_file(&sealed)?;
            Ok((stored, opened))
        })
        .await??
    };
    if stored.bytes != m.database.bytes || stored.sha256 != m.database.sha256 {
        problems.push(format!(
            "{}: {} bytes with SHA-256 {}, the manifest says {} bytes with {}",
            m.database.object, stored.bytes, stored.sha256, m.database.bytes, m.database.sha256
        ));
    }
    let restored = match opened {
        Err(e) => Err(anyhow::anyhow!("it does not decrypt: {e}")),
        Ok(_) => match m.database.format {
            CopyFormat::Sqlite => restore_sqlite(b, &copy, dir.path()).await,
            CopyFormat::PgDump => restore_postgres(services, b, &copy, dir.path()).await,
        },
    };
    let (found, (schools, rendered)) = match restored {
        Ok(r) => {
            problems.extend(manifest::differences(&m, &r.0));
            r
        }
        Err(e) => {
            problems.push(format!("the database copy does not restore: {e:#}"));
            (
                store::CopyDigest {
                    schema_version: 0,
                    tables: Vec::new(),
                },
                (0, None),
            )
        }
    };

    for f in &m.media {
        store::touch_run(&services.db, run_id, services.clock.now()).await?;
        let file = dir.path().join("media.age");
        if let Err(e) = target::get_file(b.target.as_ref(), &f.object, &file).await {
            problems.push(format!("{}: {e:#}", f.object));
            let _ = tokio::fs::remove_file(&file).await;
            continue;
        }
        let plain = {
            let (file, b_key) = (file.clone(), b.key.clone());
            tokio::task::spawn_blocking(move || crypt::open(&b_key, &file, std::io::sink(), false))
                .await?
        };
        match plain {
            Ok(p) if p.sha256 == f.sha256 && p.bytes == f.bytes => {}
            Ok(p) => problems.push(format!(
                "{}: {} bytes with SHA-256 {}, the manifest says {} bytes with {}",
                f.object, p.bytes, p.sha256, f.bytes, f.sha256
            )),
            Err(e) => problems.push(format!("{}: {e}", f.object)),
        }
        tokio::fs::remove_file(&file).await?;
    }

    Ok(Verified {
        set: m.set.clone(),
        tables: found.tables.len(),
        rows: found.tables.iter().map(|t| t.rows).sum(),
        media: m.media.len(),
        schools,
        rendered,
        problems,
    })
}

/// An SQLite copy: its integrity and digest, then the smoke check.
async fn restore_sqlite(
    b: &Backups,
    copy: &std::path::Path,
    dir: &std::path::Path,
) -> anyhow::Result<(store::CopyDigest, Smoked)> {
    let read = copy.to_owned();
    let digest = tokio::task::spawn_blocking(move || store::digest_sqlite_file(&read)).await??;
    let smoked = smoke(b, &format!("sqlite://{}", copy.display()), dir).await?;
    Ok((digest, smoked))
}

/// A `pg_dump` copy: restored into a scratch database beside the live one (dropped after),
/// its digest read there, then the smoke check.
async fn restore_postgres(
    services: &Services,
    b: &Backups,
    copy: &std::path::Path,
    dir: &std::path::Path,
) -> anyhow::Result<(store::CopyDigest, Smoked)> {
    if services.db.engine() != educenter_store::Engine::Postgres {
        anyhow::bail!("a pg_dump set is checked from an instance running on PostgreSQL");
    }
    let name = format!(
        "educenter_verify_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let url = store::create_scratch_postgres(&services.db, &b.database_url, &name).await?;
    let result = async {
        store::restore_postgres(&url, copy).await?;
        let db = educenter_store::Db::connect(&url).await?;
        let digest = store::digest_postgres(&db).await;
        db.close().await;
        let digest = digest?;
        let smoked = smoke(b, &url, dir).await?;
        Ok::<_, anyhow::Error>((digest, smoked))
    }
    .await;
    if let Err(e) = store::drop_scratch_postgres(&services.db, &name).await {
        tracing::warn!(database = %name, error = %e, "the scratch database of a check was not dropped");
    }
    result
}

/// The program opens the restored copy as it opens a live database (migrations included) and
/// reads its schools; then, where the serving program gave one, the probe renders a school's
/// page from it.
async fn smoke(b: &Backups, url: &str, dir: &std::path::Path) -> anyhow::Result<Smoked> {
    let db = educenter_store::Db::connect(url).await?;
    let result = async {
        db.migrate().await?;
        Ok::<_, anyhow::Error>(store::count_schools(&db).await?)
    }
    .await;
    db.close().await;
    let schools = result?;
    let rendered = match &b.probe {
        Some(probe) => Some(probe(url.to_owned(), dir.join("probe")).await?),
        None => None,
    };
    Ok((schools, rendered))
}

/// How many schools the restored copy holds, and the page rendered from it.
type Smoked = (i64, Option<String>);
