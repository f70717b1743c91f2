//! What the benchmark examples share: bulk inserts and memory readings.
#![allow(dead_code)]

use educenter_store::sqlx;

/// This process's resident memory now and at its peak, from /proc/self/status.
pub fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value of a bulk insert.
pub enum Value {
    T(String),
    N(i64),
    Null,
}

pub fn t(s: impl Into<String>) -> Value {
    Value::T(s.into())
}

/// Runs one multi-row INSERT of `rows` (each a list of text-or-integer values).
pub async fn insert(tx: &mut educenter_store::Tx, table: &str, columns: &str, rows: &[Vec<Value>]) {
    if rows.is_empty() {
        return;
    }
    let width = rows[0].len();
    let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
    for (r, _) in rows.iter().enumerate() {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", r * width + c + 1));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        for v in row {
            q = match v {
                Value::T(s) => q.bind(s.clone()),
                Value::N(n) => q.bind(*n),
                Value::Null => q.bind(None::<String>),
            };
        }
    }
    q.execute(&mut **tx).await.expect("insert");
}
