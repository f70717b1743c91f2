use std::{borrow::Cow, path::Path, str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    AnyConnection, AnyPool, AssertSqlSafe, Executor, SqlSafeStr, Transaction,
    any::{Any, AnyPoolOptions},
    migrate::{Migration, MigrationType, Migrator},
};

use crate::{Result, StoreError, direct};

/// The two database engines the product runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// A transaction; write transactions on SQLite start with `BEGIN IMMEDIATE`.
pub type Tx = Transaction<'static, Any>;
/// A connection or a transaction, as store functions take it: `&mut *tx` or `&mut *conn`.
pub type Conn = AnyConnection;

/// A savepoint of the caller's transaction, by its name: what is written after it can be
/// undone alone ([`Savepoint::rollback`]) or kept ([`Savepoint::release`]).
#[derive(Debug)]
pub struct Savepoint(&'static str);

impl Savepoint {
    /// Sets the savepoint `name` (a plain SQL identifier) in the transaction `conn` is in.
    pub async fn set(conn: &mut Conn, name: &'static str) -> Result<Self> {
        let point = Self(name);
        point.run(conn, "SAVEPOINT").await?;
        Ok(point)
    }

    /// Keeps what was written since the savepoint.
    pub async fn release(self, conn: &mut Conn) -> Result<()> {
        self.run(conn, "RELEASE SAVEPOINT").await
    }

    /// Undoes what was written since the savepoint; the transaction goes on.
    pub async fn rollback(self, conn: &mut Conn) -> Result<()> {
        self.run(conn, "ROLLBACK TO SAVEPOINT").await
    }

    async fn run(&self, conn: &mut Conn, verb: &str) -> Result<()> {
        let sql = format!("{verb} {}", self.0);
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

/// The database, cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// On SQLite, the connections of the reads that skip the pool (see `direct`).
    direct: Option<Arc<direct::Connections>>,
}

impl Db {
    /// Connects to `sqlite://PATH` (the file and its folder are created) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        let mut direct = None;
        let pool = match engine {
            Engine::Sqlite => {
                let url = sqlite_url(url)?;
                // The file as sqlx opens it (the URL's path percent-decoded).
                let path = sqlx::sqlite::SqliteConnectOptions::from_str(&url)?
                    .get_filename()
                    .to_owned();
                let pool = AnyPoolOptions::new()
                    .max_connections(8)
                    // A file on this machine does not hang up: no ping before every use (it
                    // would cost a round trip to the connection's thread per acquire).
                    .test_before_acquire(false)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // Per connection: money lives here, so every commit reaches the
                            // disk; foreign keys are enforced; writers wait instead of failing.
                            conn.execute("PRAGMA journal_mode = WAL").await?;
                            conn.execute("PRAGMA synchronous = FULL").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA busy_timeout = 15000").await?;
                            // Reads come from the OS page cache through a memory map rather
                            // than a copy per page, and each connection keeps 16 MiB of pages.
                            conn.execute("PRAGMA mmap_size = 1073741824").await?;
                            conn.execute("PRAGMA cache_size = -16384").await?;
                            Ok(())
                        })
                    })
                    .connect(&url)
                    .await?;
                // The pool has made the file; the direct reads open it as it is.
                direct = Some(Arc::new(direct::Connections::new(path)));
                pool
            }
            Engine::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?
            }
        };
        Ok(Self {
            pool,
            engine,
            direct,
        })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The SQLite database's file (`None` on PostgreSQL).
    pub fn sqlite_file(&self) -> Option<&Path> {
        self.direct.as_deref().map(direct::Connections::path)
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The direct reads' connections (SQLite only; none once the pool is closed, so that a
    /// closed database answers as sqlx does).
    pub(crate) fn direct(&self) -> Option<&direct::Connections> {
        self.direct.as_deref().filter(|_| !self.pool.is_closed())
    }

    /// Applies the embedded migrations of this engine. Safe to run from several instances
    /// at once on PostgreSQL (sqlx takes an advisory lock).
    pub async fn migrate(&self) -> Result<()> {
        migrator(self.engine)?.run(&self.pool).await?;
        Ok(())
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so it waits for other writers instead of failing on upgrade.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Engine::Postgres => self.pool.begin().await?,
        })
    }

    /// A pooled connection for reads (and single-statement writes) outside a transaction.
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(d) = &self.direct {
            d.close();
        }
    }
}

/// `sqlite://./data/x.db`, `sqlite:data/x.db` or `sqlite:///abs/x.db`: makes sure the folder
/// exists and asks sqlx to create the file.
fn sqlite_url(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::UnsupportedUrl(format!(
            "{url} (an in-memory database would lose everything on restart)"
        )));
    }
    if let Some(parent) = Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)?;
    }
    if query.split('&').any(|kv| kv == "mode=memory") {
        return Err(StoreError::UnsupportedUrl(format!(
            "{url} (an in-memory database would lose everything on restart)"
        )));
    }
    let mut query = query.to_owned();
    if !query.split('&').any(|kv| kv.starts_with("mode=")) {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{query}"))
}

struct EmbeddedMigration {
    version: i64,
    description: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Every migration, for both engines, in order. Add a pair of files and a line here.
const MIGRATIONS: &[EmbeddedMigration] = &[
    EmbeddedMigration {
        version: 1,
        description: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    EmbeddedMigration {
        version: 2,
        description: "accounts",
        sqlite: include_str!("../migrations/sqlite/0002_accounts.sql"),
        postgres: include_str!("../migrations/postgres/0002_accounts.sql"),
    },
    EmbeddedMigration {
        version: 3,
        description: "blocks and setup",
        sqlite: include_str!("../migrations/sqlite/0003_blocks_setup.sql"),
        postgres: include_str!("../migrations/postgres/0003_blocks_setup.sql"),
    },
    EmbeddedMigration {
        version: 4,
        description: "billing",
        sqlite: include_str!("../migrations/sqlite/0004_billing.sql"),
        postgres: include_str!("../migrations/postgres/0004_billing.sql"),
    },
    EmbeddedMigration {
        version: 5,
        description: "receipts",
        sqlite: include_str!("../migrations/sqlite/0005_receipts.sql"),
        postgres: include_str!("../migrations/postgres/0005_receipts.sql"),
    },
    EmbeddedMigration {
        version: 6,
        description: "documents",
        sqlite: include_str!("../migrations/sqlite/0006_documents.sql"),
        postgres: include_str!("../migrations/postgres/0006_documents.sql"),
    },
    EmbeddedMigration {
        version: 7,
        description: "content",
        sqlite: include_str!("../migrations/sqlite/0007_content.sql"),
        postgres: include_str!("../migrations/postgres/0007_content.sql"),
    },
    EmbeddedMigration {
        version: 8,
        description: "learning",
        sqlite: include_str!("../migrations/sqlite/0008_learning.sql"),
        postgres: include_str!("../migrations/postgres/0008_learning.sql"),
    },
    EmbeddedMigration {
        version: 9,
        description: "school site",
        sqlite: include_str!("../migrations/sqlite/0009_school_site.sql"),
        postgres: include_str!("../migrations/postgres/0009_school_site.sql"),
    },
    EmbeddedMigration {
        version: 10,
        description: "access",
        sqlite: include_str!("../migrations/sqlite/0010_access.sql"),
        postgres: include_str!("../migrations/postgres/0010_access.sql"),
    },
    EmbeddedMigration {
        version: 11,
        description: "requisites",
        sqlite: include_str!("../migrations/sqlite/0011_requisites.sql"),
        postgres: include_str!("../migrations/postgres/0011_requisites.sql"),
    },
    EmbeddedMigration {
        version: 12,
        description: "purge",
        sqlite: include_str!("../migrations/sqlite/0012_purge.sql"),
        postgres: include_str!("../migrations/postgres/0012_purge.sql"),
    },
    EmbeddedMigration {
        version: 13,
        description: "calendar gaps",
        sqlite: include_str!("../migrations/sqlite/0013_calendar_gaps.sql"),
        postgres: include_str!("../migrations/postgres/0013_calendar_gaps.sql"),
    },
    EmbeddedMigration {
        version: 14,
        description: "service prices",
        sqlite: include_str!("../migrations/sqlite/0014_service_prices.sql"),
        postgres: include_str!("../migrations/postgres/0014_service_prices.sql"),
    },
    EmbeddedMigration {
        version: 15,
        description: "api write access",
        sqlite: include_str!("../migrations/sqlite/0015_api_write.sql"),
        postgres: include_str!("../migrations/postgres/0015_api_write.sql"),
    },
    EmbeddedMigration {
        version: 16,
        description: "privacy texts",
        sqlite: include_str!("../migrations/sqlite/0016_privacy.sql"),
        postgres: include_str!("../migrations/postgres/0016_privacy.sql"),
    },
    EmbeddedMigration {
        version: 17,
        description: "sign-in",
        sqlite: include_str!("../migrations/sqlite/0017_signin.sql"),
        postgres: include_str!("../migrations/postgres/0017_signin.sql"),
    },
    EmbeddedMigration {
        version: 18,
        description: "mail priority",
        sqlite: include_str!("../migrations/sqlite/0018_mail_priority.sql"),
        postgres: include_str!("../migrations/postgres/0018_mail_priority.sql"),
    },
    EmbeddedMigration {
        version: 19,
        description: "invoice lines in three languages",
        sqlite: include_str!("../migrations/sqlite/0019_line_words.sql"),
        postgres: include_str!("../migrations/postgres/0019_line_words.sql"),
    },
    EmbeddedMigration {
        version: 20,
        description: "the cabinet's home",
        sqlite: include_str!("../migrations/sqlite/0020_dashboard.sql"),
        postgres: include_str!("../migrations/postgres/0020_dashboard.sql"),
    },
    EmbeddedMigration {
        version: 21,
        description: "the school's brand",
        sqlite: include_str!("../migrations/sqlite/0021_brand.sql"),
        postgres: include_str!("../migrations/postgres/0021_brand.sql"),
    },
    EmbeddedMigration {
        version: 22,
        description: "free preview lessons",
        sqlite: include_str!("../migrations/sqlite/0022_free_preview.sql"),
        postgres: include_str!("../migrations/postgres/0022_free_preview.sql"),
    },
    EmbeddedMigration {
        version: 23,
        description: "backups",
        sqlite: include_str!("../migrations/sqlite/0023_backups.sql"),
        postgres: include_str!("../migrations/postgres/0023_backups.sql"),
    },
    EmbeddedMigration {
        version: 24,
        description: "mfa",
        sqlite: include_str!("../migrations/sqlite/0024_mfa.sql"),
        postgres: include_str!("../migrations/postgres/0024_mfa.sql"),
    },
    EmbeddedMigration {
        version: 25,
        description: "erasure",
        sqlite: include_str!("../migrations/sqlite/0025_erasure.sql"),
        postgres: include_str!("../migrations/postgres/0025_erasure.sql"),
    },
    EmbeddedMigration {
        version: 26,
        description: "school deletion",
        sqlite: include_str!("../migrations/sqlite/0026_school_deletion.sql"),
        postgres: include_str!("../migrations/postgres/0026_school_deletion.sql"),
    },
    EmbeddedMigration {
        version: 27,
        description: "exports",
        sqlite: include_str!("../migrations/sqlite/0027_exports.sql"),
        postgres: include_str!("../migrations/postgres/0027_exports.sql"),
    },
    EmbeddedMigration {
        version: 28,
        description: "disclosures",
        sqlite: include_str!("../migrations/sqlite/0028_disclosures.sql"),
        postgres: include_str!("../migrations/postgres/0028_disclosures.sql"),
    },
    EmbeddedMigration {
        version: 29,
        description: "data incidents",
        sqlite: include_str!("../migrations/sqlite/0029_data_incidents.sql"),
        postgres: include_str!("../migrations/postgres/0029_data_incidents.sql"),
    },
    EmbeddedMigration {
        version: 30,
        description: "access log",
        sqlite: include_str!("../migrations/sqlite/0030_access_log.sql"),
        postgres: include_str!("../migrations/postgres/0030_access_log.sql"),
    },
    EmbeddedMigration {
        version: 31,
        description: "compliance cases",
        sqlite: include_str!("../migrations/sqlite/0031_compliance_cases.sql"),
        postgres: include_str!("../migrations/postgres/0031_compliance_cases.sql"),
    },
    EmbeddedMigration {
        version: 32,
        description: "force majeure",
        sqlite: include_str!("../migrations/sqlite/0032_force_majeure.sql"),
        postgres: include_str!("../migrations/postgres/0032_force_majeure.sql"),
    },
    EmbeddedMigration {
        version: 33,
        description: "media uploads under way",
        sqlite: include_str!("../migrations/sqlite/0033_media_uploads.sql"),
        postgres: include_str!("../migrations/postgres/0033_media_uploads.sql"),
    },
    EmbeddedMigration {
        version: 34,
        description: "question bank",
        sqlite: include_str!("../migrations/sqlite/0034_question_bank.sql"),
        postgres: include_str!("../migrations/postgres/0034_question_bank.sql"),
    },
    EmbeddedMigration {
        version: 35,
        description: "quizzes",
        sqlite: include_str!("../migrations/sqlite/0035_quizzes.sql"),
        postgres: include_str!("../migrations/postgres/0035_quizzes.sql"),
    },
    EmbeddedMigration {
        version: 36,
        description: "stop-lessons",
        sqlite: include_str!("../migrations/sqlite/0036_stop_lessons.sql"),
        postgres: include_str!("../migrations/postgres/0036_stop_lessons.sql"),
    },
    EmbeddedMigration {
        version: 37,
        description: "assignments",
        sqlite: include_str!("../migrations/sqlite/0037_assignments.sql"),
        postgres: include_str!("../migrations/postgres/0037_assignments.sql"),
    },
    EmbeddedMigration {
        version: 38,
        description: "certificates",
        sqlite: include_str!("../migrations/sqlite/0038_certificates.sql"),
        postgres: include_str!("../migrations/postgres/0038_certificates.sql"),
    },
    EmbeddedMigration {
        version: 39,
        description: "lesson status and images",
        sqlite: include_str!("../migrations/sqlite/0039_lesson_status.sql"),
        postgres: include_str!("../migrations/postgres/0039_lesson_status.sql"),
    },
];

fn migrator(engine: Engine) -> Result<Migrator> {
    let migrations = MIGRATIONS
        .iter()
        .map(|m| {
            let sql = match engine {
                Engine::Sqlite => m.sqlite,
                Engine::Postgres => m.postgres,
            };
            Migration::new(
                m.version,
                Cow::Borrowed(m.description),
                MigrationType::Simple,
                AssertSqlSafe(sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Ok(Migrator::with_migrations(migrations))
}

/// The highest migration version this binary knows.
pub fn latest_migration() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

impl FromStr for Engine {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_url(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_are_normalised() {
        let dir = std::env::temp_dir().join(format!("educenter-url-{}", std::process::id()));
        let path = dir.join("x.db");
        let url = sqlite_url(&format!("sqlite://{}", path.display())).unwrap();
        assert_eq!(url, format!("sqlite://{}?mode=rwc", path.display()));
        assert!(dir.is_dir());
        std::fs::remove_dir_all(dir).unwrap();
        assert!(sqlite_url("sqlite::memory:").is_err());
        assert!(sqlite_url("sqlite://x.db?mode=memory").is_err());
        assert!(Engine::from_url("mysql://x").is_err());
    }
}
