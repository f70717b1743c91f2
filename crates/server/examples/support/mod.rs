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

/// With `BENCH_STATEMENTS=1`, counts the statements sqlx runs (its `sqlx::query` events), by
/// their first words, so that a run can say how many round trips it made; [`statements`] takes
/// the counts so far. Logging every statement costs time: time runs without it.
pub fn count_statements() {
    use tracing_subscriber::layer::SubscriberExt;
    if std::env::var_os("BENCH_STATEMENTS").is_none() {
        return;
    }
    let subscriber = tracing_subscriber::registry().with(Counter).with(
        tracing_subscriber::filter::Targets::new()
            .with_target("sqlx::query", tracing::Level::DEBUG),
    );
    let _ = tracing::subscriber::set_global_default(subscriber);
}

static COUNTS: std::sync::Mutex<Vec<(String, u64)>> = std::sync::Mutex::new(Vec::new());

struct Counter;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Summary(String);
        impl tracing::field::Visit for Summary {
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                if field.name() == "summary" {
                    self.0 = value.chars().take(60).collect();
                }
            }
            fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
        }
        let mut summary = Summary(String::new());
        event.record(&mut summary);
        let mut counts = COUNTS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match counts.iter_mut().find(|(s, _)| *s == summary.0) {
            Some((_, n)) => *n += 1,
            None => counts.push((summary.0, 1)),
        }
    }
}

/// The statements counted since the last call (see [`count_statements`]), most frequent first;
/// empty when not counting.
pub fn statements() -> Vec<(String, u64)> {
    let mut counts = std::mem::take(
        &mut *COUNTS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts
}
