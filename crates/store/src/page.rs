//! Keyset pagination: a list is read a page at a time, in the order of a unique key, and the
//! next page starts after the key of the last row sent. Unlike `OFFSET`, a page costs the same
//! wherever it is in the list, and rows added or removed between two pages neither repeat nor
//! push others out of the walk.
//!
//! The cursor a page hands out is opaque to callers: base64url of a JSON array holding the
//! list's name and the last row's key. The name makes a cursor of one list useless for
//! another, and every value is checked against the key's kinds before it reaches SQL.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;
use sqlx::{Any, any::AnyArguments, any::AnyRow, query::Query};

use crate::{Conn, Result, StoreError};

/// The page size when none is asked for.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page size a caller may ask for.
pub const MAX_LIMIT: u32 = 200;

/// Which page to read: at most `limit` rows after the cursor `after` (the `next` of the page
/// before), or the first page without one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_LIMIT,
            after: None,
        }
    }
}

impl PageRequest {
    /// The first page of `limit` rows.
    pub fn first(limit: u32) -> Self {
        Self { limit, after: None }
    }
}

/// One page of a list and the cursor of the next (`None` on the last page).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// A page cut from a whole, short list (in its order): the items after the one whose id is
    /// the cursor. A cursor that names no item is [`crate::StoreError::BadCursor`].
    pub fn cut(all: Vec<T>, req: &PageRequest, id_of: impl Fn(&T) -> String) -> Result<Self> {
        let start = match &req.after {
            None => 0,
            Some(after) => match all.iter().position(|t| &id_of(t) == after) {
                Some(i) => i + 1,
                None => return Err(crate::StoreError::BadCursor(after.clone())),
            },
        };
        let limit = usize::try_from(req.limit).unwrap_or(usize::MAX);
        let mut items: Vec<T> = all
            .into_iter()
            .skip(start)
            .take(limit.saturating_add(1))
            .collect();
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(&id_of)
        } else {
            None
        };
        Ok(Self { items, next })
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}

/// One value of a row's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Int(i64),
    Text(String),
}

impl From<i64> for Key {
    fn from(v: i64) -> Self {
        Key::Int(v)
    }
}

impl From<&str> for Key {
    fn from(v: &str) -> Self {
        Key::Text(v.to_owned())
    }
}

impl From<&String> for Key {
    fn from(v: &String) -> Self {
        Key::Text(v.clone())
    }
}

/// The kind of a key column (what the cursor must hold for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
}

/// A value bound to a list query's own placeholders (before the cursor's).
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
    OptText(Option<String>),
}

impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(v.to_owned())
    }
}

impl From<jiff::civil::Date> for Param {
    fn from(v: jiff::civil::Date) -> Self {
        Param::Text(v.to_string())
    }
}

/// An id as a page's parameter or key: its text.
macro_rules! id_text {
    ($($t:ident),+) => {$(
        impl From<&educenter_domain::ids::$t> for Param {
            fn from(v: &educenter_domain::ids::$t) -> Self {
                v.as_str().into()
            }
        }

        impl From<Option<&educenter_domain::ids::$t>> for Param {
            fn from(v: Option<&educenter_domain::ids::$t>) -> Self {
                v.map(|v| v.as_str()).into()
            }
        }

        impl From<&educenter_domain::ids::$t> for Key {
            fn from(v: &educenter_domain::ids::$t) -> Self {
                v.as_str().into()
            }
        }
    )+};
}

id_text!(
    TenantId,
    UserId,
    CourseId,
    ModuleId,
    LessonId,
    MediaId,
    AttemptId,
    SubmissionId
);

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<Option<&str>> for Param {
    fn from(v: Option<&str>) -> Self {
        Param::OptText(v.map(str::to_owned))
    }
}

/// A list's query: `sql` up to and including its `WHERE` conditions (the tenant's first),
/// using placeholders `$1..` for `params`.
#[derive(Debug, Clone)]
pub(crate) struct Select<'a> {
    /// The query, without the cursor's condition, the order or the limit.
    pub sql: &'a str,
    /// The values bound to the query's own placeholders, in order.
    pub params: Vec<Param>,
}

/// How a list is ordered: its name (in its cursors), the key's columns (SQL expressions of
/// the query's rows) with their kinds, and the direction. The key must be unique, or rows
/// sharing a key could be skipped between two pages.
#[derive(Debug)]
pub struct Keyset {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub desc: bool,
}

impl Keyset {
    /// `ORDER BY` of the list (without the words).
    fn order_by(&self) -> String {
        let dir = if self.desc { "DESC" } else { "ASC" };
        self.columns
            .iter()
            .map(|(c, _)| format!("{c} {dir}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The rows after the cursor, with its values at placeholders from `$first` on. A row
    /// value comparison: both engines order tuples column by column.
    fn condition(&self, first: usize) -> String {
        let cols: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        let params: Vec<String> = (0..cols.len()).map(|i| format!("${}", first + i)).collect();
        let op = if self.desc { "<" } else { ">" };
        format!("({}) {op} ({})", cols.join(", "), params.join(", "))
    }

    /// The key a cursor holds, checked against this list's name and kinds.
    fn decode(&self, cursor: &str) -> Result<Vec<Key>> {
        let bad = || StoreError::BadCursor(format!("not a cursor of this list ({})", self.name));
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
        let Ok(Value::Array(values)) = serde_json::from_slice::<Value>(&bytes) else {
            return Err(bad());
        };
        let (name, key) = values.split_first().ok_or_else(bad)?;
        if name.as_str() != Some(self.name) || key.len() != self.columns.len() {
            return Err(bad());
        }
        key.iter()
            .zip(self.columns)
            .map(|(v, (_, kind))| match (kind, v) {
                (Kind::Int, Value::Number(n)) => n.as_i64().map(Key::Int).ok_or_else(bad),
                // No key of ours holds a NUL (PostgreSQL refuses it in text) or runs long.
                (Kind::Text, Value::String(s)) if !s.contains('\0') && s.len() <= 1024 => {
                    Ok(Key::Text(s.clone()))
                }
                _ => Err(bad()),
            })
            .collect()
    }

    /// The cursor of the row whose key is `key`.
    fn encode(&self, key: &[Key]) -> String {
        let mut values = vec![Value::from(self.name)];
        values.extend(key.iter().map(|k| match k {
            Key::Int(i) => Value::from(*i),
            Key::Text(s) => Value::from(s.as_str()),
        }));
        URL_SAFE_NO_PAD.encode(Value::Array(values).to_string())
    }

    /// Reads one page: `select` is the list's query up to and including its `WHERE` conditions
    /// (the tenant's first), using placeholders `$1..` for `params`; this adds the cursor's
    /// condition, the order and the limit, reads one row more than asked to know whether
    /// another page follows, and parses rows with `parse` and their keys with `key`.
    pub(crate) async fn fetch<T>(
        &self,
        conn: &mut Conn,
        req: &PageRequest,
        select: &str,
        params: Vec<Param>,
        parse: impl Fn(&AnyRow) -> Result<T>,
        key: impl Fn(&T) -> Vec<Key>,
    ) -> Result<Page<T>> {
        let after = req.after.as_deref().map(|c| self.decode(c)).transpose()?;
        let limit = req.limit.max(1);
        let rows = self
            .read(conn, after.as_deref(), select, &params, limit + 1, &parse)
            .await?;
        Ok(self.page(rows, limit, key))
    }

    /// [`Self::fetch`] of the query `select`, keeping only the rows `keep` accepts, for a
    /// filter SQL cannot apply on both engines alike: rows are read in batches along the key
    /// until the page is full or the list ends, so memory holds a batch, never the list.
    pub(crate) async fn fetch_filtered<T>(
        &self,
        conn: &mut Conn,
        req: &PageRequest,
        select: Select<'_>,
        parse: impl Fn(&AnyRow) -> Result<T>,
        key: impl Fn(&T) -> Vec<Key>,
        keep: impl Fn(&T) -> bool,
    ) -> Result<Page<T>> {
        let mut after = req.after.as_deref().map(|c| self.decode(c)).transpose()?;
        let limit = req.limit.max(1);
        let batch = (limit + 1).max(100);
        let mut kept = Vec::new();
        loop {
            let rows = self
                .read(
                    conn,
                    after.as_deref(),
                    select.sql,
                    &select.params,
                    batch,
                    &parse,
                )
                .await?;
            let read = rows.len();
            if let Some(last) = rows.last() {
                after = Some(key(last));
            }
            kept.extend(rows.into_iter().filter(|r| keep(r)));
            if kept.len() > limit as usize || read < batch as usize {
                break;
            }
        }
        Ok(self.page(kept, limit, key))
    }

    /// Up to `n` rows after the key `after` (from the start without one), in this order.
    async fn read<T>(
        &self,
        conn: &mut Conn,
        after: Option<&[Key]>,
        select: &str,
        params: &[Param],
        n: u32,
        parse: &impl Fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut sql = select.to_owned();
        let mut next = params.len() + 1;
        if after.is_some() {
            sql.push_str(" AND ");
            sql.push_str(&self.condition(next));
            next += self.columns.len();
        }
        sql.push_str(&format!(" ORDER BY {} LIMIT ${next}", self.order_by()));
        let mut q: Query<'_, Any, AnyArguments> = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in params {
            q = match p.clone() {
                Param::Int(v) => q.bind(v),
                Param::Text(v) => q.bind(v),
                Param::OptText(v) => q.bind(v),
            };
        }
        for k in after.into_iter().flatten() {
            q = match k.clone() {
                Key::Int(v) => q.bind(v),
                Key::Text(v) => q.bind(v),
            };
        }
        let rows = q.bind(i64::from(n)).fetch_all(&mut *conn).await?;
        rows.iter().map(parse).collect()
    }

    /// The page of `items` (up to one more than `limit`, in this list's order): the first
    /// `limit`, and the cursor after the last of them when more follow.
    fn page<T>(&self, mut items: Vec<T>, limit: u32, key: impl Fn(&T) -> Vec<Key>) -> Page<T> {
        let limit = limit as usize;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| self.encode(&key(last)))
        } else {
            None
        };
        Page { items, next }
    }

    /// A page of a list already in memory and sorted in this list's order (a course's
    /// lessons, kept whole per revision for the course's pages): the rows after the cursor
    /// are found by binary search on their keys, as the index would in SQL.
    pub fn slice<T: Clone>(
        &self,
        sorted: &[T],
        req: &PageRequest,
        key: impl Fn(&T) -> Vec<Key>,
    ) -> Result<Page<T>> {
        let start = match req.after.as_deref().map(|c| self.decode(c)).transpose()? {
            Some(after) => sorted.partition_point(|item| {
                let k = key(item);
                if self.desc { k >= after } else { k <= after }
            }),
            None => 0,
        };
        let limit = req.limit.max(1);
        let end = sorted.len().min(start + limit as usize + 1);
        Ok(self.page(sorted[start..end].to_vec(), limit, key))
    }
}
