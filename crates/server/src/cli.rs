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
                    for j in jobs::list(&db, state.as_deref(), limit).await? {
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
                    for m in outbox::list(&db, state.as_deref(), limit).await? {
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
