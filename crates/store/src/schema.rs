//! What the migrations produced, read back from the database's own catalogue, so a test can
//! check that SQLite and PostgreSQL have the same tables and columns.

use std::collections::BTreeMap;

use sqlx::Row;

use crate::{Db, Engine, Result};

/// A column's type reduced to what both engines share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColumnClass {
    Integer,
    Text,
    Real,
    Blob,
    Other,
}

fn classify(declared: &str) -> ColumnClass {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        ColumnClass::Integer
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        ColumnClass::Text
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        ColumnClass::Real
    } else if t.contains("blob") || t.contains("bytea") {
        ColumnClass::Blob
    } else {
        ColumnClass::Other
    }
}

/// Table name -> column name -> (type class, nullable), for the application's tables.
pub type Shape = BTreeMap<String, BTreeMap<String, (ColumnClass, bool)>>;

pub async fn shape(db: &Db) -> Result<Shape> {
    let mut shape = Shape::new();
    let rows = match db.engine() {
        Engine::Sqlite => {
            sqlx::query(
                "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                 p.\"notnull\" AS not_null, p.pk AS pk FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
                 AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx_%'",
            )
            .fetch_all(db.pool())
            .await?
        }
        Engine::Postgres => {
            sqlx::query(
                "SELECT c.table_name::TEXT AS table_name, c.column_name::TEXT AS column_name, \
                 c.data_type::TEXT AS data_type, \
                 CAST(CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END AS BIGINT) AS not_null, \
                 CAST(0 AS BIGINT) AS pk \
                 FROM information_schema.columns c WHERE c.table_schema = current_schema() \
                 AND c.table_name NOT LIKE '\\_sqlx\\_%'",
            )
            .fetch_all(db.pool())
            .await?
        }
    };
    for row in rows {
        let table: String = row.try_get("table_name")?;
        let column: String = row.try_get("column_name")?;
        let data_type: String = row.try_get("data_type")?;
        // SQLite lets a TEXT PRIMARY KEY hold NULL for historical reasons; the application
        // never writes one, and PostgreSQL reports primary keys as NOT NULL.
        let not_null = row.try_get::<i64, _>("not_null")? != 0 || row.try_get::<i64, _>("pk")? != 0;
        shape
            .entry(table)
            .or_default()
            .insert(column, (classify(&data_type), !not_null));
    }
    Ok(shape)
}
