//! The operator's own staff (SPEC section 2): accounts without a tenant, in the platform's
//! scope, each with one operator role.

use educenter_domain::roles::OperatorRole;
use jiff::Timestamp;
use sqlx::AssertSqlSafe;

use crate::accounts::{COLUMNS, User, from_row};
use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Conn, Result, to_micros};

const PAGES: Keyset = Keyset {
    name: "operator-staff",
    columns: &[("created_at", Kind::Int), ("id", Kind::Text)],
    desc: false,
};

/// A page of the live operator staff, in order of arrival.
pub async fn page(conn: &mut Conn, req: &PageRequest) -> Result<Page<User>> {
    let select =
        format!("SELECT {COLUMNS} FROM users WHERE kind = 'operator' AND removed_at IS NULL");
    PAGES
        .fetch(conn, req, &select, Vec::new(), from_row, |u| {
            vec![to_micros(u.created_at).into(), (&u.id).into()]
        })
        .await
}

/// A live operator staff member.
pub async fn get(conn: &mut Conn, id: &str) -> Result<Option<User>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE id = $1 AND kind = 'operator' AND removed_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// How many live operator staff have `role`.
/// How many operator members hold `role`. On PostgreSQL their rows stay locked to the end of
/// the transaction, so that two removals (or demotions) at once cannot both see a second holder
/// and leave none; SQLite's write transactions are one at a time already.
pub async fn count_with_role(conn: &mut Conn, role: OperatorRole) -> Result<i64> {
    let lock = if conn.backend_name() == "PostgreSQL" {
        " FOR UPDATE"
    } else {
        ""
    };
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT id FROM users WHERE kind = 'operator' AND role = $1 AND removed_at IS NULL{lock}"
    )))
    .bind(role.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.len() as i64)
}

pub async fn set_role(conn: &mut Conn, id: &str, role: OperatorRole) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET role = $1 WHERE id = $2 AND kind = 'operator' AND removed_at IS NULL",
    )
    .bind(role.as_str())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove(conn: &mut Conn, id: &str, at: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET removed_at = $1 WHERE id = $2 AND kind = 'operator' \
         AND removed_at IS NULL",
    )
    .bind(to_micros(at))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
