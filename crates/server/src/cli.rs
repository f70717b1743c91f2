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
