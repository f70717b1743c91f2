//! EduCenter's storage layer: one [`Db`] over SQLite or PostgreSQL.
//!
//! SQL is written once with `$1` placeholders and runs on both engines through sqlx's `Any`
//! driver; an engine-specific branch exists only where the SQL truly differs (job claiming).
//! Column conventions, so that `Any` carries every value: instants are 64-bit integers of
//! microseconds since the Unix epoch (UTC), identifiers and JSON are text, local dates are
//! `YYYY-MM-DD` text.

pub mod accounts;
pub mod audit;
pub mod billing;
pub mod blocks;
pub mod calendar;
pub mod content;
mod db;
pub mod documents;
pub use db::latest_migration;
pub mod jobs;
pub mod learning;
pub mod media;
pub mod notices;
pub mod offers;
pub mod outbox;
pub mod receipts;
pub mod schema;
pub mod sessions;
pub mod tenancy;
pub mod tokens;

pub use db::{Conn, Db, Engine, Tx};
pub use sqlx;

use jiff::Timestamp;

/// What can go wrong in the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// Whether this is a unique-constraint violation (a concurrent insert of the same key).
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlx(sqlx::Error::Database(e)) => {
                e.is_unique_violation()
                    || e.code()
                        .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
            }
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An instant as stored: microseconds since the Unix epoch.
pub fn to_micros(at: Timestamp) -> i64 {
    // Timestamps are bounded to years -9999..=9999, so microseconds always fit in i64.
    at.as_microsecond()
}

/// The inverse of [`to_micros`].
pub fn from_micros(micros: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(micros)
        .map_err(|e| StoreError::Corrupt(format!("instant {micros}: {e}")))
}

/// `columns` of a table ("a, b") as `alias.a AS alias_a, alias.b AS alias_b`: a query that joins
/// tables whose columns share names selects each table's columns this way and reads them back
/// with [`Cols`] and the prefix `"alias_"`.
pub(crate) fn aliased(columns: &str, alias: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{alias}.{c} AS {alias}_{c}", c = c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns of one table in a row: those named with `prefix` before them (see
/// [`aliased`]), or as they are when the prefix is empty.
#[derive(Clone, Copy)]
pub(crate) struct Cols<'r> {
    row: &'r sqlx::any::AnyRow,
    prefix: &'static str,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: &'r sqlx::any::AnyRow, prefix: &'static str) -> Self {
        Self { row, prefix }
    }

    pub(crate) fn get<T>(&self, name: &str) -> Result<T>
    where
        T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        use sqlx::Row;
        Ok(if self.prefix.is_empty() {
            self.row.try_get(name)?
        } else {
            self.row
                .try_get(format!("{}{name}", self.prefix).as_str())?
        })
    }

    /// An instant column (see [`to_micros`]).
    pub(crate) fn at(&self, name: &str) -> Result<Timestamp> {
        from_micros(self.get(name)?)
    }

    /// An instant column that may be empty.
    pub(crate) fn at_opt(&self, name: &str) -> Result<Option<Timestamp>> {
        self.get::<Option<i64>>(name)?.map(from_micros).transpose()
    }
}

/// A fresh opaque identifier (UUIDv7: unguessable enough for URLs, ordered by creation).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
