//! The test harness: a real `educenter` app in-process on port 0, on a fresh database of the
//! engine chosen by `EDUCENTER_TEST_DATABASE_URL` (unset: SQLite in a temporary folder; a
//! `postgres://` URL: a new database on that server, dropped afterwards), with the test
//! clock and typed request helpers.

use std::{
    net::SocketAddr,
    sync::{Arc, Once},
};

use educenter_server::{Running, Settings, config::LogFormat};
use educenter_services::{Services, jobs::JobRegistry};
use jiff::Timestamp;
use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};
use sqlx::{AnyConnection, AssertSqlSafe, Connection};

pub const PG_ENV: &str = "EDUCENTER_TEST_DATABASE_URL";
/// The first super-admin every test app creates: `admin@educenter.test` with this password.
pub const ADMIN_PASSWORD: &str = "Operator-2027!";
/// The secret that signs the sandbox payment provider's callbacks in tests.
pub const SANDBOX_SECRET: &str = "sandbox-secret-for-tests";
/// The bearer token of `/metrics` when a test asks for it ([`Builder::metrics_token`]).
pub const METRICS_TOKEN: &str = "metrics-token-for-tests";

/// Sets up the test process: its log, and the TLS provider every HTTP client needs (the S3
/// store's and the tests' own reqwest share one build of reqwest).
pub fn init_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        educenter_services::storage::install_tls();
        let filter = tracing_subscriber::EnvFilter::try_from_env("EDUCENTER_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}

/// A database of its own for one test (shared by the instances of that test).
pub struct TestDb {
    pub url: String,
    pub engine: &'static str,
    pg: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn create() -> Arc<TestDb> {
        init_logging();
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var(PG_ENV).ok().filter(|u| !u.is_empty()) {
            None => {
                let url = format!("sqlite://{}", dir.path().join("educenter.db").display());
                Arc::new(TestDb {
                    url,
                    engine: "sqlite",
                    pg: None,
                    _dir: dir,
                })
            }
            Some(admin) => {
                sqlx::any::install_default_drivers();
                let name = format!("educenter_t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = AnyConnection::connect(&admin).await.unwrap_or_else(|e| {
                    panic!("{PG_ENV} is set but PostgreSQL is unreachable at {admin}: {e}")
                });
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let _ = conn.close().await;
                let url = with_database(&admin, &name);
                Arc::new(TestDb {
                    url,
                    engine: "postgres",
                    pg: Some((admin, name)),
                    _dir: dir,
                })
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }
}

/// The same server URL with another database name.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // Drop runs outside any async context we can rely on: use a thread of its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(mut conn) = AnyConnection::connect(&admin).await {
                        let _ = sqlx::query(AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                        )))
                        .execute(&mut conn)
                        .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

type Extend = Box<dyn FnOnce(&mut JobRegistry) + Send>;

/// Options for a [`TestApp`].
pub struct Builder {
    db: Option<Arc<TestDb>>,
    clock_start: Option<Timestamp>,
    smtp_url: Option<String>,
    test_mode: bool,
    max_upload_mib: u64,
    base_domain: Option<String>,
    trusted_proxies: Vec<ipnet::IpNet>,
    header_timeout: std::time::Duration,
    idle_timeout: std::time::Duration,
    max_connections: Option<usize>,
    metrics_listen: bool,
    metrics_token: Option<String>,
    /// `(key file, target)`: backups on.
    backups: Option<(std::path::PathBuf, String)>,
    /// `--media-store`: `None` is the data folder's `media`, or a prefix of the test bucket when
    /// every test's media go to S3 ([`crate::s3::all_media`]).
    media: Option<String>,
    extend: Extend,
}

impl Builder {
    /// Share the database of another app (several instances on one database).
    pub fn db(mut self, db: &Arc<TestDb>) -> Self {
        self.db = Some(db.clone());
        self
    }

    pub fn clock(mut self, start: &str) -> Self {
        self.clock_start = Some(start.parse().expect("RFC 3339 instant"));
        self
    }

    pub fn smtp(mut self, url: String) -> Self {
        self.smtp_url = Some(url);
        self
    }

    /// The per-file upload limit, in MiB (4096 by default).
    pub fn max_upload_mib(mut self, mib: u64) -> Self {
        self.max_upload_mib = mib;
        self
    }

    /// Requests from these addresses may name the client in `X-Forwarded-For`.
    pub fn trusted_proxies(mut self, list: &str) -> Self {
        self.trusted_proxies = educenter_server::config::parse_proxies(list).expect("proxies");
        self
    }

    /// Schools' sites also at `{slug}.{domain}`.
    pub fn base_domain(mut self, domain: &str) -> Self {
        self.base_domain = Some(domain.to_owned());
        self
    }

    /// The time a client has to send a request's header (10 s by default).
    pub fn header_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// The time a kept-alive connection may wait for its next request (60 s by default).
    pub fn idle_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// The most connections open at once.
    pub fn max_connections(mut self, n: usize) -> Self {
        self.max_connections = Some(n);
        self
    }

    /// Serves `/metrics` on the main listener behind [`METRICS_TOKEN`] (see
    /// [`TestApp::metrics`]).
    pub fn metrics_token(mut self) -> Self {
        self.metrics_token = Some(METRICS_TOKEN.to_owned());
        self
    }

    /// Serves `/metrics` on a listener of its own, on a port of its own.
    pub fn metrics_listen(mut self) -> Self {
        self.metrics_listen = true;
        self
    }

    /// Backups on, encrypted to the key in `key_file`, into the folder `target`, every 24 hours.
    pub fn backups(self, key_file: &std::path::Path, target: &std::path::Path) -> Self {
        self.backups_to(key_file, target.display().to_string())
    }

    /// Backups on, encrypted to the key in `key_file`, into the target `url` names.
    pub fn backups_to(mut self, key_file: &std::path::Path, url: String) -> Self {
        self.backups = Some((key_file.to_owned(), url));
        self
    }

    /// The media on the test S3-compatible server, under a prefix of their own.
    pub fn media_on_s3(mut self) -> Self {
        self.media = Some(crate::s3::fresh_url());
        self
    }

    pub fn without_test_mode(mut self) -> Self {
        self.test_mode = false;
        self
    }

    pub fn jobs(mut self, extend: impl FnOnce(&mut JobRegistry) + Send + 'static) -> Self {
        self.extend = Box::new(extend);
        self
    }

    pub async fn start(self) -> TestApp {
        init_logging();
        let db = match self.db {
            Some(db) => db,
            None => TestDb::create().await,
        };
        let data_dir = tempfile::tempdir().expect("temp dir");
        let settings = Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.path().to_owned(),
            database_url: db.url.clone(),
            public_url: "http://127.0.0.1".to_owned(),
            smtp_url: self.smtp_url,
            mail_from: "EduCenter <no-reply@educenter.test>".to_owned(),
            test_mode: self.test_mode,
            test_clock_start: Some(
                self.clock_start
                    .unwrap_or_else(|| "2027-03-01T00:00:00Z".parse().expect("instant")),
            ),
            log_format: LogFormat::Text,
            admin_email: Some("admin@educenter.test".to_owned()),
            admin_password: Some(ADMIN_PASSWORD.to_owned()),
            payment_sandbox_secret: Some(SANDBOX_SECRET.to_owned()),
            max_upload_mib: self.max_upload_mib,
            base_domain: self.base_domain,
            trusted_proxies: self.trusted_proxies,
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections,
            metrics_listen: self
                .metrics_listen
                .then(|| SocketAddr::from(([127, 0, 0, 1], 0))),
            metrics_token: self.metrics_token,
            backup: educenter_server::config::BackupSettings {
                target: match &self.backups {
                    Some((_, target)) => target.clone(),
                    None => data_dir.path().join("backups").display().to_string(),
                },
                key_file: self.backups.as_ref().map(|(key, _)| key.clone()),
                every_hours: 24,
            },
            media_store: self
                .media
                .or_else(|| crate::s3::all_media().then(crate::s3::fresh_url))
                .unwrap_or_else(|| data_dir.path().join("media").display().to_string()),
            s3: crate::s3::options(),
        };
        let running = educenter_server::start(settings, self.extend)
            .await
            .expect("app starts");
        let base = format!("http://{}", running.addr);
        TestApp {
            base,
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            running: Some(running),
            db,
            data_dir,
            test_mode: self.test_mode,
            leftovers_expected: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

/// A running app and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    running: Option<Running>,
    pub db: Arc<TestDb>,
    pub data_dir: tempfile::TempDir,
    test_mode: bool,
    /// Set by [`TestApp::expect_leftovers`]: the test leaves failed work behind on purpose.
    leftovers_expected: std::sync::atomic::AtomicBool,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// The `items` of a page of a list (`{"items": [...], "next": ...}`); panics when the
    /// body is not a page.
    pub fn items(&self) -> Value {
        let body = self.json();
        assert!(
            body["items"].is_array() && body.get("next").is_some(),
            "not a page: {}",
            self.text
        );
        body["items"].clone()
    }

    pub fn parse<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("unexpected body ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json answer with this status and returns its body.
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            "application/problem+json",
            "{}",
            self.text
        );
        let body = self.json();
        assert_eq!(body["status"], status);
        assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        body
    }
}

#[derive(Deserialize)]
struct Now {
    now: Timestamp,
}

#[derive(Debug, Deserialize)]
pub struct SentMail {
    pub subject: String,
    pub text: String,
    pub links: Vec<String>,
    pub sent_at: Timestamp,
}

impl TestApp {
    pub fn builder() -> Builder {
        Builder {
            db: None,
            clock_start: None,
            smtp_url: None,
            test_mode: true,
            max_upload_mib: 4096,
            base_domain: None,
            trusted_proxies: Vec::new(),
            header_timeout: std::time::Duration::from_secs(10),
            idle_timeout: std::time::Duration::from_secs(60),
            max_connections: None,
            metrics_listen: false,
            metrics_token: None,
            backups: None,
            media: None,
            extend: Box::new(|_| {}),
        }
    }

    pub async fn start() -> TestApp {
        Self::builder().start().await
    }

    pub fn services(&self) -> &Services {
        &self.running.as_ref().expect("running").services
    }

    /// The keys of the media store's objects under `prefix` (a school's id, say; `""`: all).
    pub async fn stored_objects(&self, prefix: &str) -> Vec<String> {
        use futures::TryStreamExt;
        let prefix = (!prefix.is_empty()).then(|| object_store::path::Path::from(prefix));
        let mut keys: Vec<String> = self
            .services()
            .media
            .objects()
            .list(prefix.as_ref())
            .map_ok(|m| m.location.to_string())
            .try_collect()
            .await
            .expect("listing the media store");
        keys.sort();
        keys
    }

    /// The bytes of an object of the media store, `None` when it is not there.
    pub async fn stored_bytes(&self, key: &str) -> Option<Vec<u8>> {
        use object_store::ObjectStoreExt;
        let store = self.services().media.objects();
        match store.get(&object_store::path::Path::from(key)).await {
            Ok(got) => Some(got.bytes().await.expect("reading an object").to_vec()),
            Err(object_store::Error::NotFound { .. }) => None,
            Err(e) => panic!("reading {key}: {e}"),
        }
    }

    /// Deletes an object of the media store, as a lost disk or a careless hand would.
    pub async fn delete_stored(&self, key: &str) {
        use object_store::ObjectStoreExt;
        self.services()
            .media
            .objects()
            .delete(&object_store::path::Path::from(key))
            .await
            .expect("deleting an object");
    }

    /// The database under the services, for tests that look at or arrange rows directly.
    pub fn store(&self) -> &educenter_store::Db {
        &self.running.as_ref().expect("running").db
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Res {
        let res = req.send().await.expect("request");
        Res {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            text: res.text().await.expect("body"),
        }
    }

    /// A browser of its own: a cookie jar, no redirects followed.
    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    pub async fn get(&self, path: &str) -> Res {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Res {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    pub async fn now(&self) -> Timestamp {
        self.get("/api/v1/test/clock").await.parse::<Now>().now
    }

    /// Moves the test clock to an instant; returns when everything due has run.
    pub async fn set_clock(&self, to: &str) -> Timestamp {
        let res = self
            .post_json("/api/v1/test/clock", &json!({ "now": to }))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.parse::<Now>().now
    }

    /// Runs everything due now (mail included) in test mode; nothing otherwise.
    pub async fn drain(&self) {
        if self.test_mode {
            self.advance(0, 0, 0).await;
        }
    }

    /// Advances the test clock; returns when everything due has run.
    pub async fn advance(&self, days: i64, hours: i64, minutes: i64) -> Timestamp {
        let res = self
            .post_json(
                "/api/v1/test/clock/advance",
                &json!({ "days": days, "hours": hours, "minutes": minutes }),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.parse::<Now>().now
    }

    /// The Prometheus metrics, read with [`METRICS_TOKEN`] (the app must be built with
    /// [`Builder::metrics_token`]).
    pub async fn metrics(&self) -> String {
        let res = self
            .send(
                self.client
                    .get(self.url("/metrics"))
                    .bearer_auth(METRICS_TOKEN),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.text
    }

    /// The address of the metrics' own listener ([`Builder::metrics_listen`]).
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.running.as_ref().and_then(|r| r.metrics_addr)
    }

    /// Messages sent to an address, newest first.
    pub async fn mail_to(&self, to: &str) -> Vec<SentMail> {
        let res = self
            .send(
                self.client
                    .get(self.url("/api/v1/test/mail"))
                    .query(&[("to", to)]),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
        res.parse()
    }

    /// Graceful stop: in-flight requests and the running job finish first.
    /// Stops the app. A test fails here when it leaves work behind that it did not mean to:
    /// once everything due has run, no job or e-mail may be waiting for a retry or dead (a
    /// background failure the test's own checks would not see), unless the test said so with
    /// [`TestApp::expect_leftovers`].
    pub async fn stop(mut self) {
        let leftovers = if self.test_mode
            && !self
                .leftovers_expected
                .load(std::sync::atomic::Ordering::Relaxed)
        {
            self.advance(0, 0, 0).await;
            self.leftovers().await
        } else {
            Vec::new()
        };
        self.shut_down().await;
        assert!(
            leftovers.is_empty(),
            "the test left failed work behind (call app.expect_leftovers() if it means to): {leftovers:#?}"
        );
    }

    /// Stops the app as it is: nothing due is run first and nothing is checked (a test of the
    /// shutdown itself, which must find the job it watches still running).
    pub async fn stop_now(mut self) {
        self.shut_down().await;
    }

    async fn shut_down(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
    }

    /// The id of the school whose person `token` is (`GET /api/v1/me`).
    pub async fn tenant_of(&self, token: &str) -> educenter_domain::ids::TenantId {
        educenter_domain::ids::TenantId::new(
            self.call("GET", "/api/v1/me", token, None).await.json()["tenant"]["id"]
                .as_str()
                .expect("a school's person"),
        )
    }

    /// Says that this test leaves failed jobs or e-mails behind on purpose.
    pub fn expect_leftovers(&self) {
        self.leftovers_expected
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Jobs and e-mails not done that were due by now or have failed an attempt: each as
    /// "kind or address: state, attempts, last error".
    async fn leftovers(&self) -> Vec<String> {
        use sqlx::Row;
        let now = educenter_store::to_micros(self.now().await);
        let db = self.store();
        let mut conn = db.conn().await.expect("a connection");
        let mut found = Vec::new();
        for sql in [
            "SELECT kind AS what, state, attempts, last_error FROM jobs \
             WHERE state <> 'done' AND (attempts > 0 OR run_at <= $1)",
            "SELECT to_address AS what, state, attempts, last_error FROM mail_outbox \
             WHERE state <> 'sent' AND (attempts > 0 OR next_attempt_at <= $1)",
        ] {
            let rows = sqlx::query(sql)
                .bind(now)
                .fetch_all(&mut *conn)
                .await
                .expect("reading what is left");
            for row in rows {
                found.push(format!(
                    "{}: {}, {} attempts, {:?}",
                    row.get::<String, _>("what"),
                    row.get::<String, _>("state"),
                    row.get::<i64, _>("attempts"),
                    row.get::<Option<String>, _>("last_error"),
                ));
            }
        }
        found
    }
}

/// The sign-up body of a school (a legal entity, resident) with its owner.
pub fn signup_body(slug: &str, bin_iin: &str, email: &str, phone: &str) -> Value {
    json!({
        "organization": { "name": format!("School {slug}"), "kind": "legal_entity", "bin_iin": bin_iin, "resident": true },
        "owner": { "full_name": "Айгерим Сапарова", "email": email, "phone": phone, "password": OWNER_PASSWORD },
        "slug": slug,
        "accept_offer": true
    })
}

/// The password of every owner `TestApp::school` signs up.
pub const OWNER_PASSWORD: &str = "Kazakh-2027!";

impl TestApp {
    /// Signs a school up and its owner in; returns the owner's token.
    pub async fn school(&self, slug: &str, bin_iin: &str, email: &str, phone: &str) -> String {
        let res = self
            .post_json("/api/v1/signup", &signup_body(slug, bin_iin, email, phone))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        self.token_for(email, OWNER_PASSWORD, Some(slug)).await
    }

    /// `POST /api/v1/auth/login`.
    pub async fn login(&self, email: &str, password: &str, tenant: Option<&str>) -> Res {
        self.post_json(
            "/api/v1/auth/login",
            &json!({ "email": email, "password": password, "tenant": tenant }),
        )
        .await
    }

    /// Signs in and returns the token; panics when sign-in fails. A person with two-step
    /// sign-in on gives their app's code; one who must and has not set it up does so first.
    pub async fn token_for(&self, email: &str, password: &str, tenant: Option<&str>) -> String {
        let mut res = self.login(email, password, tenant).await;
        if res.status == 401 && crate::two_step::is_mfa_required(&res.text) {
            let code = crate::two_step::passing_code(self, email, tenant).await;
            res = self
                .post_json(
                    "/api/v1/auth/login",
                    &json!({ "email": email, "password": password, "tenant": tenant, "totp": code }),
                )
                .await;
        }
        assert_eq!(res.status, 200, "{}", res.text);
        let token = res.json()["token"].as_str().expect("token").to_owned();
        crate::two_step::set_up_if_required(self, &token).await;
        token
    }

    /// The owner switches writing through the API on for their school.
    pub async fn allow_api_write(&self, owner_token: &str) {
        let res = self
            .call(
                "PUT",
                "/api/v1/settings/api-write",
                owner_token,
                Some(json!({ "enabled": true })),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }

    /// A download with a bearer token: (status, content type, bytes).
    pub async fn download(&self, path: &str, token: &str) -> (u16, String, Vec<u8>) {
        let res = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let kind = res
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        (status, kind, res.bytes().await.expect("body").to_vec())
    }

    /// A request with a bearer token and an optional JSON body.
    pub async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Res {
        let mut req = self
            .client
            .request(method.parse().expect("method"), self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        self.send(req).await
    }
}

/// The `field` of every entry of a problem's `errors`, in order.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A person in a browser: pages and forms with the cookies the server set.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub client: reqwest::Client,
}

impl Browser<'_> {
    pub async fn get(&self, path: &str) -> Res {
        self.app.send(self.client.get(self.app.url(path))).await
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Res {
        self.app
            .send(self.client.post(self.app.url(path)).form(form))
            .await
    }

    /// Posts JSON, as a page's script does.
    pub async fn post_json(&self, path: &str, body: &Value) -> Res {
        self.app
            .send(self.client.post(self.app.url(path)).json(body))
            .await
    }

    /// Signs in through the `/login` form (with the second step when it is asked for) and
    /// checks where it leads; a person who must sign in in two steps and has not set it up
    /// does so first.
    pub async fn sign_in(&self, email: &str, password: &str, school: &str) -> Res {
        let mut res = self
            .post_form(
                "/login",
                &[("email", email), ("password", password), ("school", school)],
            )
            .await;
        if res.status == 200 && res.text.contains("name=\"challenge\"") {
            res = self
                .second_step(email, Some(school), &res.text.clone())
                .await;
        }
        assert_eq!(res.status, 303, "{}", res.text);
        self.set_up_if_required(email, school).await;
        res
    }

    pub fn app(&self) -> &TestApp {
        self.app
    }
}

impl TestApp {
    /// Creates a plan as the super-admin (`POST /api/v1/operator/plans` with this body).
    pub async fn create_plan(&self, body: Value) {
        let admin = self
            .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
            .await;
        let res = self
            .call("POST", "/api/v1/operator/plans", &admin, Some(body))
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }

    /// Buys and pays a licence of plan `start` (30 000.00 KZT a month, 80 000.00 for 3 months)
    /// for the owner's school today, creating the plan and a billing officer the first time.
    pub async fn buy_licence(&self, owner_token: &str, months: i64) -> Value {
        let admin = self
            .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
            .await;
        if !self
            .get("/api/v1/plans")
            .await
            .items()
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["code"] == "start"))
        {
            let res = self
                .call(
                    "POST",
                    "/api/v1/operator/plans",
                    &admin,
                    Some(json!({
                        "code": "start",
                        "name": { "ru": "Старт", "kk": "Старт", "en": "Start" },
                        "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
                        "prices": [
                            { "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": "2024-01-01" },
                            { "currency": "KZT", "months": 3, "amount_minor": 8_000_000, "effective_from": "2024-01-01" }
                        ],
                    })),
                )
                .await;
            assert_eq!(res.status, 201, "{}", res.text);
        }
        let _ = educenter_services::operator_staff::create_operator(
            self.store(),
            self.now().await,
            "cashier@educenter.test",
            "Кассир",
            educenter_domain::roles::OperatorRole::Billing,
            "Numbers-2027!",
        )
        .await;
        let billing = self
            .token_for("cashier@educenter.test", "Numbers-2027!", None)
            .await;
        let res = self
            .call(
                "POST",
                "/api/v1/applications",
                owner_token,
                Some(json!({ "plan": "start", "months": months, "currency": "KZT" })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let invoice = res.json()["invoice"].clone();
        let today = educenter_domain::clock::local_date(self.now().await);
        let res = self
            .call(
                "POST",
                "/api/v1/operator/payments",
                &billing,
                Some(json!({
                    "invoice_number": invoice["number"], "amount_minor": invoice["total"]["amount_minor"],
                    "currency": "KZT", "received_on": today.to_string(),
                    "reference": format!("ref-{}", invoice["number"].as_str().unwrap_or("")),
                })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        invoice
    }
}
