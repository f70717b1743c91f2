//! The command-line actions besides `serve`.

use educenter_domain::clock::Clock;
use educenter_services::clock::SystemClock;
use educenter_store::{
    audit::{self, Actor, Entry},
    jobs, outbox,
};

use crate::{config::QueueAction, open_db};

/// Which queue a `jobs` or `mail` command acts on.
#[derive(Debug, Clone, Copy)]
pub enum Queue {
    Jobs,
    Mail,
}

pub async fn queue_command(
    queue: Queue,
    action: QueueAction,
    file: &crate::config::FileConfig,
) -> anyhow::Result<()> {
    match action {
        QueueAction::List { db, state, limit } => {
            let (_, url) = crate::config::resolve_db(db, file);
            let db = open_db(&url).await?;
            match queue {
                Queue::Jobs => {
                    for j in jobs::list(&db, state_of(state.as_deref())?, limit).await? {
                        println!(
                            "{}  {:<8} {:<32} attempts {}/{}  run_at {}{}",
                            j.id,
                            j.state,
                            j.kind,
                            j.attempts,
                            j.max_attempts,
                            j.run_at,
                            j.last_error
                                .map(|e| format!("  error: {e}"))
                                .unwrap_or_default()
                        );
                    }
                }
                Queue::Mail => {
                    for m in outbox::list(&db, state_of(state.as_deref())?, limit).await? {
                        println!(
                            "{}  {:<8} to {:<32} attempts {}  {:?}{}",
                            m.id,
                            m.state,
                            m.to,
                            m.attempts,
                            m.subject,
                            m.last_error
                                .map(|e| format!("  error: {e}"))
                                .unwrap_or_default()
                        );
                    }
                }
            }
        }
        QueueAction::Retry { db, id } => {
            let (_, url) = crate::config::resolve_db(db, file);
            let db = open_db(&url).await?;
            let now = SystemClock.now();
            let mut tx = db.begin().await?;
            let (retried, kind) = match queue {
                Queue::Jobs => (jobs::retry_dead(&mut tx, &id, now).await?, "job"),
                Queue::Mail => (outbox::retry_dead(&mut tx, &id, now).await?, "mail"),
            };
            if !retried {
                anyhow::bail!("no dead {kind} with id {id}");
            }
            let entry = Entry::new(Actor::System, format!("{kind}.retry")).target(kind, id.clone());
            audit::record(&mut tx, &entry, now).await?;
            tx.commit().await?;
            println!("{kind} {id} queued again");
        }
    }
    Ok(())
}

/// `educenter admin create`.
pub async fn admin_create(
    db: crate::config::DbArgs,
    email: &str,
    role: &str,
    full_name: &str,
    file: &crate::config::FileConfig,
) -> anyhow::Result<()> {
    use educenter_domain::roles::OperatorRole;
    let role = OperatorRole::parse(role).ok_or_else(|| {
        let all: Vec<&str> = OperatorRole::ALL.iter().map(|r| r.as_str()).collect();
        anyhow::anyhow!("--role must be one of {}", all.join(", "))
    })?;
    let password = match std::env::var("EDUCENTER_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let (_, url) = crate::config::resolve_db(db, file);
    let db = open_db(&url).await?;
    let name = if full_name.trim().is_empty() {
        email
    } else {
        full_name
    };
    match educenter_services::operator_staff::create_operator(
        &db,
        SystemClock.now(),
        email,
        name,
        role,
        &password,
    )
    .await
    {
        Ok(id) => {
            println!("operator {email} ({}) created: {id}", role.as_str());
            Ok(())
        }
        Err(educenter_services::ServiceError::Invalid(errors)) => {
            let text: Vec<String> = errors.iter().map(|(f, m)| format!("{f} {m}")).collect();
            anyhow::bail!("{}", text.join("; "))
        }
        Err(e) => anyhow::bail!("{e}"),
    }
}

/// The state `--state` names, one of the queue's words; `None` when not given.
fn state_of<S: educenter_domain::named::Named>(given: Option<&str>) -> anyhow::Result<Option<S>> {
    given
        .map(|word| {
            S::parse_word(word).ok_or_else(|| {
                let words: Vec<&str> = S::all().iter().map(|s| s.word()).collect();
                anyhow::anyhow!("no such state: {word:?} (one of: {})", words.join(", "))
            })
        })
        .transpose()
}

/// `educenter backup ...`.
pub async fn backup_command(
    action: crate::config::BackupAction,
    file: &crate::config::FileConfig,
) -> anyhow::Result<()> {
    use crate::config::{BackupAction, ServeArgs, Settings};
    use educenter_services::backup;
    enum What {
        Run,
        List,
        Verify(Option<String>),
        Restore(String, backup::Destination, Option<String>),
    }
    let (db, args, what) = match action {
        BackupAction::Keygen { path } => {
            let public = backup::keygen(&path, SystemClock.now())?;
            println!("backup key written to {}", path.display());
            println!("public key: {public}");
            println!("keep a copy of this file off this machine: without it no set can be read");
            return Ok(());
        }
        BackupAction::Run { db, backup } => (db, backup, What::Run),
        BackupAction::List { db, backup } => (db, backup, What::List),
        BackupAction::Verify { db, backup, set } => (db, backup, What::Verify(set)),
        BackupAction::Restore {
            db,
            backup,
            tenant,
            into,
            set,
        } => {
            let into = match into {
                crate::config::RestoreInto::Live => backup::Destination::Live,
                crate::config::RestoreInto::Copy => backup::Destination::Copy,
            };
            (db, backup, What::Restore(tenant, into, set))
        }
    };
    let settings = Settings::resolve(
        ServeArgs {
            db,
            backup: args,
            ..ServeArgs::default()
        },
        file.clone(),
    )?;
    if settings.backup.key_file.is_none() {
        anyhow::bail!(
            "no backup key: give --backup-key-file (or EDUCENTER_BACKUP_KEY_FILE); \
             `educenter backup keygen PATH` writes one"
        );
    }
    let prepared = crate::prepare(&settings, |_| {}).await?;
    let services = &prepared.services;
    let result = match what {
        What::Run => backup::run(services).await.map(|w| {
            println!(
                "set {}: {} bytes written, {} tables, {} media files ({} new{})",
                w.set,
                w.bytes,
                w.tables,
                w.media,
                w.media_added,
                if w.media_missing > 0 {
                    format!(", {} named but gone from the media store", w.media_missing)
                } else {
                    String::new()
                }
            );
        }),
        What::List => backup::list(services).await.map(|sets| {
            if sets.is_empty() {
                println!("no finished set in the backup target");
            }
            for m in sets {
                println!(
                    "{}  {}  {} at migration {}  database {} bytes  {} tables  {} media files",
                    m.set,
                    m.created_at,
                    m.engine,
                    m.schema_version,
                    m.database.bytes,
                    m.tables.len(),
                    m.media.len()
                );
            }
        }),
        What::Verify(set) => {
            match backup::verify(
                services,
                set.as_deref(),
                educenter_domain::backup::RunKind::Verify,
            )
            .await
            {
                Ok(v) if v.ok() => {
                    println!(
                        "set {} is whole: {} tables, {} rows, {} media files, {} schools open{}",
                        v.set,
                        v.tables,
                        v.rows,
                        v.media,
                        v.schools,
                        v.rendered
                            .map(|r| format!("; rendered {r}"))
                            .unwrap_or_default()
                    );
                    Ok(())
                }
                Ok(v) => Err(anyhow::anyhow!(
                    "set {} differs from its manifest:\n  {}",
                    v.set,
                    v.problems.join("\n  ")
                )),
                Err(e) => Err(e),
            }
        }
        What::Restore(slug, into, set) => {
            backup::restore_school(services, &slug, into, set.as_deref())
                .await
                .map(|r| {
                    let rows: Vec<String> =
                        r.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
                    println!(
                        "school {} restored from set {}: {} rows ({}), {} files",
                        r.slug,
                        r.set,
                        r.rows.iter().map(|(_, n)| n).sum::<u64>(),
                        if rows.is_empty() {
                            "none missing".to_owned()
                        } else {
                            rows.join(", ")
                        },
                        r.files
                    );
                })
        }
    };
    prepared.db.close().await;
    result
}
