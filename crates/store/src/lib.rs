//! EduCenter's storage layer: one [`Db`] over SQLite or PostgreSQL.
//!
//! SQL is written once with `$1` placeholders and runs on both engines through sqlx's `Any`
//! driver; an engine-specific branch exists only where the SQL truly differs (job claiming, a
//! lock on PostgreSQL), and statements of many rows take their placeholders from [`Batch`].
//! On SQLite, a few reads go straight to the file instead ([`direct`]).
//! Column conventions, so that `Any` carries every value: instants are 64-bit integers of
//! microseconds since the Unix epoch (UTC), identifiers and JSON are text, local dates are
//! `YYYY-MM-DD` text.

pub mod access_log;
pub mod accounts;
pub mod assignments;
pub mod audit;
pub mod backup;
pub mod billing;
pub mod blocks;
pub mod calendar;
pub mod cases;
pub mod certificates;
pub mod content;
pub mod curriculum;
pub mod dashboard;
mod db;
mod direct;
pub mod disclosures;
pub mod documents;
pub mod erasure;
pub mod exports;
pub mod force_majeure;
pub mod incidents;
pub use db::latest_migration;
pub mod jobs;
pub mod learning;
pub mod media;
pub mod media_uploads;
pub mod mfa;
pub mod offers;
pub mod operator_staff;
pub mod outbox;
pub mod page;
pub mod privacy;
pub mod question_bank;
pub mod quizzes;
pub mod receipts;
pub mod restore;
pub mod retention;
pub mod schema;
pub mod service_items;
pub mod sessions;
pub mod settings;
pub mod signin;
pub mod tenancy;
pub mod tokens;

pub use db::{Conn, Db, Engine, Savepoint, Tx};
pub use sqlx;

use educenter_domain::named::Named;
use educenter_domain::roles::Role;
use jiff::{Timestamp, civil::Date};

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
    #[error("database error: {0}")]
    Direct(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A page was asked for after a cursor this list did not hand out.
    #[error("bad cursor: {0}")]
    BadCursor(String),
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

    /// The field a person chose whose value is already taken, when this is the violation of
    /// a unique constraint over such a field (see [`TAKEN_FIELDS`]); `None` for any other
    /// error, and for the unique keys of our own bookkeeping.
    pub fn taken_field(&self) -> Option<&'static str> {
        let StoreError::Sqlx(sqlx::Error::Database(e)) = self else {
            return None;
        };
        if !self.is_unique_violation() {
            return None;
        }
        // PostgreSQL names the constraint; SQLite lists the columns in its message
        // ("UNIQUE constraint failed: users.scope, users.email").
        let columns = e.message().rsplit_once(": ").map(|(_, c)| c);
        TAKEN_FIELDS
            .iter()
            .find(|(column, constraint, _)| {
                e.constraint() == Some(*constraint)
                    || columns.is_some_and(|c| c.split(", ").any(|c| c == *column))
            })
            .map(|(_, _, field)| *field)
    }
}

/// The values people choose that must be unique, by the constraint that keeps each so: the
/// column as SQLite names it, the constraint as PostgreSQL names it, and the field's name in
/// requests. A violation of one is the person's input (a 409 naming that field), not a
/// conflict to retry. (A bank reference is not chosen: the same one twice is the same money,
/// answered by the services as a replay; a group's name is found or made, never refused.)
pub const TAKEN_FIELDS: &[(&str, &str, &str)] = &[
    ("tenants.slug", "tenants_slug_key", "slug"),
    ("users.email", "users_scope_email_key", "email"),
    ("plans.code", "plans_pkey", "code"),
];

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

/// How many numbered parameters one statement binds at most: the ids of an `IN (...)` list, and
/// a statement of many rows on PostgreSQL ([`Batch`]). SQLite finds a numbered parameter by
/// walking the list of them, so binding n of them costs n²; past a few hundred that becomes
/// the larger cost of the statement.
pub(crate) const MAX_PARAMS: usize = 200;

/// `$first, $first+1, ...`: `n` numbered placeholders (an `IN (...)` list).
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The placeholders of a statement of many rows (`INSERT ... VALUES`, `UPDATE ... FROM
/// (VALUES ...)`) on a connection's engine, its values bound in order. On SQLite they are
/// anonymous (`?`): SQLite finds a numbered parameter's name by walking the list of them, so
/// binding n numbered parameters costs n², and anonymous ones let a statement carry a thousand
/// values for the cost of one hand-off to the driver's thread. On PostgreSQL, `$1, $2, ...`,
/// at most [`MAX_PARAMS`] a statement.
#[derive(Clone, Copy)]
pub(crate) struct Batch {
    sqlite: bool,
}

impl Batch {
    pub(crate) fn of(conn: &Conn) -> Self {
        Self {
            sqlite: conn.backend_name() == "SQLite",
        }
    }

    /// How many rows of `cols` values go into one statement.
    pub(crate) fn rows(self, cols: usize) -> usize {
        let params = if self.sqlite { 1_000 } else { MAX_PARAMS };
        (params / cols.max(1)).max(1)
    }

    /// `rows` tuples, each `row` with its `{}`s replaced by the placeholders of its values in
    /// order (a value used twice in a row is bound twice).
    pub(crate) fn tuples_of(self, rows: usize, row: &str) -> String {
        let per_row = row.matches("{}").count();
        (0..rows)
            .map(|r| {
                let mut out = String::with_capacity(row.len() + per_row * 4);
                for (i, part) in row.split("{}").enumerate() {
                    if i > 0 {
                        if self.sqlite {
                            out.push('?');
                        } else {
                            out.push_str(&format!("${}", r * per_row + i));
                        }
                    }
                    out.push_str(part);
                }
                out
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `rows` tuples of `cols` placeholders: `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`.
    pub(crate) fn tuples(self, rows: usize, cols: usize) -> String {
        self.tuples_of(rows, &format!("({})", vec!["{}"; cols].join(", ")))
    }
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

/// A row being read: from sqlx, or straight from SQLite on the [`direct`] path.
#[derive(Clone, Copy)]
pub(crate) enum RowRef<'r> {
    Any(&'r sqlx::any::AnyRow),
    Direct(&'r direct::Row<'r>),
}

impl<'r> From<&'r sqlx::any::AnyRow> for RowRef<'r> {
    fn from(row: &'r sqlx::any::AnyRow) -> Self {
        Self::Any(row)
    }
}

/// A column's value as a Rust value, from either kind of [`RowRef`] (columns hold only text and
/// 64-bit integers: see the conventions above).
pub(crate) trait Col: Sized {
    fn from_any(row: &sqlx::any::AnyRow, key: &str) -> Result<Self>;
    fn from_direct(value: direct::ValueRef<'_>, key: &str) -> Result<Self>;
}

macro_rules! col {
    ($t:ty, $variant:ident, $convert:expr) => {
        impl Col for $t {
            fn from_any(row: &sqlx::any::AnyRow, key: &str) -> Result<Self> {
                Ok(sqlx::Row::try_get(row, key)?)
            }
            fn from_direct(value: direct::ValueRef<'_>, key: &str) -> Result<Self> {
                match value {
                    direct::ValueRef::$variant(v) => $convert(v, key),
                    other => Err(mismatch(key, other)),
                }
            }
        }
        impl Col for Option<$t> {
            fn from_any(row: &sqlx::any::AnyRow, key: &str) -> Result<Self> {
                Ok(sqlx::Row::try_get(row, key)?)
            }
            fn from_direct(value: direct::ValueRef<'_>, key: &str) -> Result<Self> {
                match value {
                    direct::ValueRef::Null => Ok(None),
                    v => <$t>::from_direct(v, key).map(Some),
                }
            }
        }
    };
}

col!(String, Text, |v: &[u8], key| std::str::from_utf8(v)
    .map(str::to_owned)
    .map_err(|e| StoreError::Corrupt(format!("{key}: {e}"))));
col!(i64, Integer, |v: i64, _| Ok(v));

/// An id column read into its type (the text as stored).
macro_rules! id_col {
    ($t:ty) => {
        impl Col for $t {
            fn from_any(row: &sqlx::any::AnyRow, key: &str) -> Result<Self> {
                String::from_any(row, key).map(<$t>::new)
            }
            fn from_direct(value: direct::ValueRef<'_>, key: &str) -> Result<Self> {
                String::from_direct(value, key).map(<$t>::new)
            }
        }
        impl Col for Option<$t> {
            fn from_any(row: &sqlx::any::AnyRow, key: &str) -> Result<Self> {
                Ok(Option::<String>::from_any(row, key)?.map(<$t>::new))
            }
            fn from_direct(value: direct::ValueRef<'_>, key: &str) -> Result<Self> {
                Ok(Option::<String>::from_direct(value, key)?.map(<$t>::new))
            }
        }
    };
}

id_col!(educenter_domain::ids::TenantId);
id_col!(educenter_domain::ids::UserId);
id_col!(educenter_domain::ids::InvoiceId);
id_col!(educenter_domain::ids::ContractId);
id_col!(educenter_domain::ids::ActId);
id_col!(educenter_domain::ids::CourseId);
id_col!(educenter_domain::ids::ModuleId);
id_col!(educenter_domain::ids::LessonId);
id_col!(educenter_domain::ids::MediaId);

fn mismatch(key: &str, value: direct::ValueRef<'_>) -> StoreError {
    StoreError::Corrupt(format!("{key}: unexpected {:?}", value.data_type()))
}

/// The columns of one table in a row: those named with `prefix` before them (see
/// [`aliased`]), or as they are when the prefix is empty.
#[derive(Clone, Copy)]
pub(crate) struct Cols<'r> {
    row: RowRef<'r>,
    prefix: &'static str,
}

impl<'r> Cols<'r> {
    pub(crate) fn new(row: impl Into<RowRef<'r>>, prefix: &'static str) -> Self {
        Self::of(row.into(), prefix)
    }

    pub(crate) fn of(row: RowRef<'r>, prefix: &'static str) -> Self {
        Self { row, prefix }
    }

    pub(crate) fn get<T: Col>(&self, name: &str) -> Result<T> {
        with_key(self.prefix, name, |key| match self.row {
            RowRef::Any(row) => T::from_any(row, key),
            RowRef::Direct(row) => T::from_direct(row.value(key)?, key),
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

    /// The `role` column of an account of `kind` (`users.role`): a role that does not fit the
    /// kind is corrupt.
    pub(crate) fn role(&self, kind: educenter_domain::roles::AccountKind) -> Result<Role> {
        let text: String = self.get("role")?;
        Role::parse(kind, &text)
            .ok_or_else(|| StoreError::Corrupt(format!("role: {text:?} of a {kind} account")))
    }

    /// An amount and its currency: the columns `amount_minor` and `currency`.
    pub(crate) fn money(&self) -> Result<educenter_domain::money::Money> {
        self.money_in("amount_minor")
    }

    /// An amount in the column `minor` and its currency in `currency`.
    pub(crate) fn money_in(&self, minor: &str) -> Result<educenter_domain::money::Money> {
        Ok(educenter_domain::money::Money::new(
            self.get(minor)?,
            self.word("currency")?,
        ))
    }

    /// A status, purpose or kind column: one of the words of a [`Named`] enum.
    pub(crate) fn word<T: Named>(&self, name: &str) -> Result<T> {
        let text: String = self.get(name)?;
        T::parse_word(&text).ok_or_else(|| StoreError::Corrupt(format!("{name}: {text:?}")))
    }

    /// A column of a [`Named`] enum's words that may be empty.
    pub(crate) fn word_opt<T: Named>(&self, name: &str) -> Result<Option<T>> {
        self.get::<Option<String>>(name)?
            .map(|text| {
                T::parse_word(&text).ok_or_else(|| StoreError::Corrupt(format!("{name}: {text:?}")))
            })
            .transpose()
    }

    /// A local date column (`YYYY-MM-DD`).
    pub(crate) fn date(&self, name: &str) -> Result<Date> {
        parse_date(name, &self.get::<String>(name)?)
    }

    /// A local date column that may be empty.
    pub(crate) fn date_opt(&self, name: &str) -> Result<Option<Date>> {
        self.get::<Option<String>>(name)?
            .map(|text| parse_date(name, &text))
            .transpose()
    }
}

fn parse_date(name: &str, text: &str) -> Result<Date> {
    text.parse()
        .map_err(|e| StoreError::Corrupt(format!("{name}: {text:?}: {e}")))
}

/// Calls `f` with `prefix` and `name` joined, without allocating for the short names columns
/// have (a row of fifty columns is read on every page).
fn with_key<R>(prefix: &str, name: &str, f: impl FnOnce(&str) -> R) -> R {
    if prefix.is_empty() {
        return f(name);
    }
    let mut buf = [0u8; 64];
    let len = prefix.len() + name.len();
    if len > buf.len() {
        return f(&format!("{prefix}{name}"));
    }
    buf[..prefix.len()].copy_from_slice(prefix.as_bytes());
    buf[prefix.len()..len].copy_from_slice(name.as_bytes());
    // Two whole strings joined are a string.
    f(std::str::from_utf8(&buf[..len]).unwrap_or(name))
}

/// A fresh opaque identifier (UUIDv7: unguessable enough for URLs, ordered by creation).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
