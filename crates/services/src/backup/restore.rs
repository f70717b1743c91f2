//! Restoring one school from a set: `educenter backup restore --tenant SLUG
//! --into live|copy`. The whole set is restored into scratch (as a check restores it), then the
//! school's own data ([`educenter_store::restore::RESTORED`]) comes across:
//!
//! - `live`: every row of the set that the live database no longer has, under its own id, and
//!   every file of those rows' that the media store no longer has. Nothing live is changed or
//!   removed; what the school erased since (a deleted person, R-9.3) never comes back.
//! - `copy`: the school as the set holds it, beside the live one as a new school
//!   (`{slug}-copy-{set date}`, every id new, its files copied), for the school to take back
//!   what it wants; its people set new passwords for it ("forgot password" at its sign-in).
//!   A blocked school is not copied. Neither brings back anything of a person the school
//!   erased since the set.
//!
//! The operator's records of the school (contracts, money, documents, the audit trail) are not
//! restored. The school's audit trail records the restore.

use std::collections::HashMap;

use educenter_domain::{
    backup::CopyFormat,
    ids::{MediaId, TenantId},
};
use educenter_store::{
    Engine, audit, backup as store,
    restore::{self as rows, RESTORED, Renaming, Row},
    schema, tenancy,
};
use object_store::{ObjectStoreExt, path::Path};
use serde_json::{Value, json};

use super::{Backups, Manifest, configured, crypt, manifests, target};
use crate::Services;

/// Where a school's data goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// What the live school lacks, under its own ids.
    Live,
    /// A new school beside it.
    Copy,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct Restored {
    pub set: String,
    /// The school written to: the live one, or the copy.
    pub slug: String,
    /// Rows written, by table (tables with none left out).
    pub rows: Vec<(String, u64)>,
    pub files: usize,
}

/// Restores the school `slug` from the newest set, or the one named.
pub async fn restore_school(
    services: &Services,
    slug: &str,
    into: Destination,
    set: Option<&str>,
) -> anyhow::Result<Restored> {
    let b = configured(services)?;
    let live = {
        let mut conn = services.db.conn().await?;
        tenancy::by_slug(&mut conn, slug)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no school {slug} in the live database"))?
    };
    if into == Destination::Copy && live.blocked_reason.is_some() {
        anyhow::bail!(
            "the school {slug} is blocked: a copy would put its content back online; unblock it first, or restore into it"
        );
    }
    if into == Destination::Copy
        && (live.deletion_requested_at.is_some() || live.purge_on.is_some())
    {
        anyhow::bail!(
            "the school {slug} is to be purged: a copy would keep what its deletion must remove"
        );
    }
    if live.purged_at.is_some() {
        anyhow::bail!(
            "the school {slug} was purged when its data's keeping ended; a restore would bring back what the contract had deleted"
        );
    }
    let (all, _) = manifests(&b).await?;
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
    let dir = tempfile::Builder::new()
        .prefix("restore-")
        .tempdir_in(&b.scratch)?;
    let sealed = dir.path().join("database.age");
    let copy = dir.path().join("database.copy");
    target::get_file(b.target.as_ref(), &m.database.object, &sealed).await?;
    {
        let (sealed, copy, key) = (sealed.clone(), copy.clone(), b.key.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let out = std::fs::File::create_new(&copy)?;
            crypt::open(&key, &sealed, out, true)?;
            std::fs::remove_file(&sealed)?;
            Ok(())
        })
        .await??;
    }
    match m.database.format {
        CopyFormat::Sqlite => {
            let url = format!("sqlite://{}", copy.display());
            across(services, &b, &m, &url, &live.id, slug, into).await
        }
        CopyFormat::PgDump => {
            if services.db.engine() != Engine::Postgres {
                anyhow::bail!("a pg_dump set is restored from an instance running on PostgreSQL");
            }
            let name = format!(
                "educenter_restore_{}",
                &uuid::Uuid::new_v4().simple().to_string()[..12]
            );
            let url = store::create_scratch_postgres(&services.db, &b.database_url, &name).await?;
            let result = async {
                store::restore_postgres(&url, &copy).await?;
                across(services, &b, &m, &url, &live.id, slug, into).await
            }
            .await;
            if let Err(e) = store::drop_scratch_postgres(&services.db, &name).await {
                tracing::warn!(database = %name, error = %e, "the scratch database of a restore was not dropped");
            }
            result
        }
    }
}

/// Copies the school's rows from the restored copy at `url` into the live database, then its
/// files from the set.
async fn across(
    services: &Services,
    b: &Backups,
    m: &Manifest,
    url: &str,
    live_id: &TenantId,
    slug: &str,
    into: Destination,
) -> anyhow::Result<Restored> {
    let scratch = educenter_store::Db::connect(url).await?;
    let read = async {
        // The copy is brought to this program's schema first, as a live database would be.
        scratch.migrate().await?;
        let shape = schema::shape(&scratch).await?;
        let mut conn = scratch.conn().await?;
        let school = tenancy::by_slug(&mut conn, slug)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the set {} holds no school {slug}", m.set))?;
        let tenant = rows::rows(&mut conn, &shape, "tenants", &school.id)
            .await?
            .pop()
            .ok_or_else(|| anyhow::anyhow!("the set {} holds no school {slug}", m.set))?;
        let mut tables = Vec::new();
        for table in RESTORED {
            tables.push((
                *table,
                rows::rows(&mut conn, &shape, table, &school.id).await?,
            ));
        }
        Ok::<_, anyhow::Error>((school.id, tenant, tables))
    }
    .await;
    scratch.close().await;
    let (old_id, tenant, tables) = read?;
    if into == Destination::Live && old_id != *live_id {
        anyhow::bail!(
            "the set's school {slug} is another school than the live one of that address"
        );
    }
    let shape = schema::shape(&services.db).await?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let erased = rows::erased_people(&mut tx, live_id).await?;
    let (target_id, target_slug, renaming) = match into {
        Destination::Live => (live_id.clone(), slug.to_owned(), None),
        Destination::Copy => {
            let new_id = TenantId::new(educenter_store::new_id());
            // The set's day, `20270301`.
            let day = m.set.get(..8).unwrap_or("set");
            let mut copy_slug = format!("{slug}-copy-{day}");
            let mut n = 2;
            while tenancy::by_slug(&mut tx, &copy_slug).await?.is_some() {
                copy_slug = format!("{slug}-copy-{day}-{n}");
                n += 1;
            }
            let mut row: Row = tenant.clone();
            row.insert("id".into(), Value::from(new_id.to_string()));
            row.insert("slug".into(), Value::from(copy_slug.clone()));
            let name = row.get("name").and_then(Value::as_str).unwrap_or(slug);
            let name = format!("{name} ({day})");
            row.insert("name".into(), Value::from(name));
            for cleared in [
                "logo_id",
                "blocked_reason",
                "purge_on",
                "purge_warning_on",
                "purged_at",
                "deletion_requested_at",
            ] {
                if row.contains_key(cleared) {
                    row.insert(cleared.into(), Value::Null);
                }
            }
            rows::insert_missing(&mut tx, &shape, "tenants", &row).await?;
            let mut renaming = Renaming::new(&old_id, &new_id);
            // What named a person erased since names nobody in the copy.
            renaming.forget(erased.iter().cloned());
            (new_id.clone(), copy_slug, Some(renaming))
        }
    };
    let mut renaming = renaming;
    if let Some(r) = renaming.as_mut() {
        for (_, list) in &tables {
            for row in list {
                r.learn(row);
            }
        }
    }
    // Erased students' files (their answers to assignments) stay gone too.
    let erased_learners: std::collections::HashSet<&str> = tables
        .iter()
        .filter(|(t, _)| *t == "users")
        .flat_map(|(_, list)| list.iter())
        .filter(|u| u.get("kind").and_then(Value::as_str) == Some("learner"))
        .filter_map(|u| u.get("id").and_then(Value::as_str))
        .filter(|id| erased.contains(*id))
        .collect();
    let mut written = Vec::new();
    // The files to put back: (storage key to write, content hash).
    let mut files: Vec<(String, String)> = Vec::new();
    for (table, list) in &tables {
        // Who teaches a course is the school's decision of now: a teacher removed since the
        // set is not given the course back.
        if into == Destination::Live && *table == "course_teachers" {
            continue;
        }
        // Certificates' codes are the original school's: a copy issues none of its own.
        if into == Destination::Copy && *table == "certificates" {
            continue;
        }
        let mut n = 0;
        for row in list {
            // Nothing of a person erased since the set comes back, into the school or a copy.
            let person = match *table {
                "users" => row.get("id"),
                _ => row.get("user_id"),
            };
            if person
                .and_then(Value::as_str)
                .is_some_and(|p| erased.contains(p))
            {
                continue;
            }
            if *table == "media"
                && row
                    .get("uploaded_by")
                    .and_then(Value::as_str)
                    .is_some_and(|u| erased_learners.contains(u))
            {
                continue;
            }
            let mut row = match &renaming {
                Some(r) => r.apply(row, |column| {
                    shape
                        .get(*table)
                        .and_then(|c| c.get(column))
                        .is_some_and(|(_, nullable)| *nullable)
                }),
                None => row.clone(),
            };
            // A copy's people choose new passwords ("forgot password" at the copy's sign-in):
            // one changed since the set, after a leak perhaps, must not open it.
            if renaming.is_some() && *table == "users" {
                row.insert("password_hash".into(), Value::Null);
            }
            if rows::insert_missing(&mut tx, &shape, table, &row).await? {
                n += 1;
                if *table == "media"
                    && row.get("deleted_at").is_none_or(Value::is_null)
                    && let (Some(key), Some(sha)) = (
                        row.get("storage_key").and_then(Value::as_str),
                        row.get("sha256").and_then(Value::as_str),
                    )
                {
                    files.push((key.to_owned(), sha.to_owned()));
                }
            }
        }
        if n > 0 {
            written.push(((*table).to_owned(), n));
        }
    }
    // Live, files whose rows were there all along but whose bytes are gone come back too.
    if into == Destination::Live
        && let Some((_, media)) = tables.iter().find(|(t, _)| *t == "media")
    {
        for row in media {
            let (Some(id), Some(key), Some(sha)) = (
                row.get("id").and_then(Value::as_str),
                row.get("storage_key").and_then(Value::as_str),
                row.get("sha256").and_then(Value::as_str),
            ) else {
                continue;
            };
            // Only a file the school still has (not one it deleted since).
            let kept = educenter_store::media::get(&mut tx, live_id, &MediaId::new(id))
                .await?
                .is_some_and(|m| m.deleted_at.is_none());
            // Whether the store still has its bytes is asked after the commit.
            if kept && !files.iter().any(|(k, _)| k == key) {
                files.push((key.to_owned(), sha.to_owned()));
            }
        }
    }
    if let (Some(r), Some(Value::String(logo))) = (&renaming, tenant.get("logo_id")) {
        let logo = r.apply(
            &Row::from_iter([("id".to_owned(), Value::from(logo.clone()))]),
            |_| true,
        );
        rows::set_logo(&mut tx, &target_id, logo["id"].as_str()).await?;
    }
    // Courses whose modules or lessons came back are read afresh by every instance.
    rows::bump_courses(&mut tx, &target_id).await?;
    // The rows are in; the files (downloads that may take long) come after, so that the
    // database's writers never wait on them.
    tx.commit().await?;
    let rows_written: HashMap<String, u64> = written.iter().cloned().collect();
    let into_word = match into {
        Destination::Live => "live",
        Destination::Copy => "copy",
    };
    let mut conn = services.db.conn().await?;
    let entry = audit::Entry::new(audit::Actor::System, "backup.restore_school")
        .tenant(target_id.to_string())
        .details(json!({
            "set": m.set,
            "into": into_word,
            "from_school": old_id.as_str(),
            "rows": rows_written,
        }));
    audit::record(&mut conn, &entry, now).await?;
    drop(conn);
    let by_hash: HashMap<&str, &str> = m
        .media
        .iter()
        .map(|f| (f.sha256.as_str(), f.object.as_str()))
        .collect();
    let mut missing = Vec::new();
    let mut put = 0;
    for (key, sha) in &files {
        // A file the store still has keeps its bytes.
        if services
            .media
            .store
            .head(&Path::from(key.as_str()))
            .await
            .is_ok()
        {
            continue;
        }
        match by_hash.get(sha.as_str()) {
            Some(object) => {
                put_back(services, b, object, key).await?;
                put += 1;
            }
            None => missing.push(key.clone()),
        }
    }
    if put > 0 || !missing.is_empty() {
        let mut conn = services.db.conn().await?;
        let entry = audit::Entry::new(audit::Actor::System, "backup.restore_files")
            .tenant(target_id.to_string())
            .details(json!({ "set": m.set, "files": put, "files_not_in_set": missing }));
        audit::record(&mut conn, &entry, services.clock.now()).await?;
    }
    Ok(Restored {
        set: m.set.clone(),
        slug: target_slug,
        rows: written,
        files: put,
    })
}

/// Decrypts the set's copy of a file into the media store at `key`, through scratch files
/// (a file may be larger than memory).
async fn put_back(services: &Services, b: &Backups, object: &str, key: &str) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("restore-file-")
        .tempdir_in(&b.scratch)?;
    let sealed = dir.path().join("file.age");
    let plain = dir.path().join("file");
    target::get_file(b.target.as_ref(), object, &sealed).await?;
    {
        let (sealed, plain, k) = (sealed.clone(), plain.clone(), b.key.clone());
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let out = std::fs::File::create_new(&plain)?;
            crypt::open(&k, &sealed, out, false)?;
            Ok(())
        })
        .await??;
    }
    target::put_file(services.media.store.clone(), key, &plain).await
}
