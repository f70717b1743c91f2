//! What the benchmark examples share: the server's settings, schools, students in bulk, bulk
//! inserts and memory readings.
#![allow(dead_code)]

use educenter_server::{Settings, config::LogFormat};
use educenter_services::{
    Services,
    access::Principal,
    accounts::{self, SignupInput},
    i18n::Lang,
    sessions::{self, SessionKind},
    store::audit::Origin,
};
use educenter_store::sqlx;

/// Every benchmark account's password.
pub const PASSWORD: &str = "Bench-School-2027!";

/// The settings of a benchmark's server: on `url`, its files under `dir`, no mail, no test mode.
pub fn bench_settings(dir: &std::path::Path, url: &str) -> anyhow::Result<Settings> {
    Ok(Settings {
        listen: "127.0.0.1:0".parse()?,
        data_dir: dir.to_owned(),
        database_url: url.to_owned(),
        public_url: "http://127.0.0.1".into(),
        smtp_url: None,
        mail_from: "EduCenter <no-reply@educenter.local>".into(),
        test_mode: false,
        test_clock_start: None,
        log_format: LogFormat::Text,
        admin_email: None,
        admin_password: None,
        payment_sandbox_secret: None,
        max_upload_mib: 2048,
        base_domain: None,
        trusted_proxies: Vec::new(),
        header_timeout: std::time::Duration::from_secs(10),
        idle_timeout: std::time::Duration::from_secs(60),
        max_connections: None,
        metrics_listen: None,
        metrics_token: None,
        backup: educenter_server::config::BackupSettings {
            target: dir.join("backups").display().to_string(),
            key_file: None,
            every_hours: 24,
        },
        // BENCH_MEDIA_STORE=s3://BUCKET/PREFIX (with the AWS_* variables) serves the media
        // from an S3-compatible store.
        media_store: std::env::var("BENCH_MEDIA_STORE")
            .unwrap_or_else(|_| dir.join("media").display().to_string()),
        s3: Default::default(),
    })
}

/// Signs in with [`PASSWORD`]: the session's token and who it is.
pub async fn sign_in(
    s: &Services,
    email: &str,
    slug: &str,
    kind: SessionKind,
) -> anyhow::Result<(String, Principal)> {
    let issued = educenter_services::signin::login_at(
        s,
        email,
        PASSWORD,
        slug,
        None,
        kind,
        Origin::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?
    .session()
    .ok_or_else(|| anyhow::anyhow!("one step signs in"))?;
    let who = sessions::authenticate(s, &issued.token)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .expect("a session");
    Ok((issued.token, who))
}

/// A school signed up (`owner@{slug}.kz`, its trial running) and its owner signed in.
pub async fn signup_school(s: &Services, slug: &str, bin: &str) -> anyhow::Result<Principal> {
    let email = format!("owner@{slug}.kz");
    accounts::signup_licensee(
        s,
        SignupInput {
            organization_name: format!("School {slug}"),
            kind: "legal_entity".into(),
            bin_iin: bin.into(),
            resident: true,
            owner_full_name: "Owner".into(),
            owner_email: email.clone(),
            owner_phone: format!("+7701{}", &bin[..7]),
            owner_password: PASSWORD.into(),
            slug: slug.into(),
            accept_offer: true,
            locale: Lang::Ru,
        },
        Origin::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(sign_in(s, &email, slug, SessionKind::Api).await?.1)
}

/// `count` students of the school (`student{i}@{slug}.kz`, password [`PASSWORD`]), each
/// enrolled in `course` and, when given, with `first_lesson` complete; in bulk, 400 a
/// transaction.
pub async fn insert_students(
    s: &Services,
    db: &educenter_store::Db,
    tenant: &educenter_domain::ids::TenantId,
    course: &str,
    slug: &str,
    count: usize,
    first_lesson: Option<&str>,
) -> anyhow::Result<()> {
    let hash = accounts::hash_password(PASSWORD.into())
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let now = educenter_store::to_micros(s.clock.now());
    for chunk in (0..count).collect::<Vec<_>>().chunks(400) {
        let mut tx = db.begin().await?;
        let (mut users, mut enrolments, mut progress) = (Vec::new(), Vec::new(), Vec::new());
        for i in chunk {
            let id = educenter_store::new_id();
            users.push(vec![
                t(&id),
                t(tenant.as_str()),
                t(tenant.as_str()),
                t("learner"),
                t("student"),
                t(format!("student{i}@{slug}.kz")),
                t(format!("Student {i}")),
                t(&hash),
                t("ru"),
                Value::N(now),
            ]);
            enrolments.push(vec![
                t(educenter_store::new_id()),
                t(tenant.as_str()),
                t(course),
                t(&id),
                t("self"),
                Value::N(now),
            ]);
            if let Some(first) = first_lesson {
                progress.push(vec![
                    t(tenant.as_str()),
                    t(&id),
                    t(first),
                    t(course),
                    Value::N(0),
                    Value::N(now),
                    Value::N(now),
                ]);
            }
        }
        insert(
            &mut tx,
            "users",
            "id, tenant_id, scope, kind, role, email, full_name, password_hash, locale, created_at",
            &users,
        )
        .await;
        insert(
            &mut tx,
            "enrolments",
            "id, tenant_id, course_id, user_id, source, enrolled_at",
            &enrolments,
        )
        .await;
        insert(
            &mut tx,
            "lesson_progress",
            "tenant_id, user_id, lesson_id, course_id, position_ms, completed_at, updated_at",
            &progress,
        )
        .await;
        tx.commit().await?;
    }
    Ok(())
}

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
