//! Start-up wiring of the `educenter` binary: configuration, database, clock, background
//! loops (jobs and mail) and the HTTP server, with a graceful shutdown.

pub mod cli;
pub mod config;
pub mod demo;
pub mod http;

use std::{net::SocketAddr, sync::Arc};

use anyhow::Context;
use educenter_domain::clock::{Clock, TestClock};
use educenter_services::{
    Services,
    clock::SystemClock,
    jobs::{JobRegistry, Runner},
    ops,
    outbox::{Mailer, Transport},
    testing::TestControl,
};
use educenter_store::Db;
use educenter_web::WebConfig;
use tokio::{sync::watch, task::JoinHandle};

pub use config::Settings;

/// A running server.
pub struct Running {
    /// The address it listens on (useful with port 0).
    pub addr: SocketAddr,
    /// The address of the metrics' own listener (`--metrics-listen`).
    pub metrics_addr: Option<SocketAddr>,
    /// The database the services use, for shutdown and for tests and benchmarks that look
    /// under the services.
    pub db: Db,
    pub services: Services,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// The access log's writer: stopped last, once no request is left to log.
    access_writer: JoinHandle<()>,
}

impl Running {
    /// Stops accepting connections, lets in-flight requests and the running job and mail
    /// delivery finish, then returns.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        self.services.access_log.stop().await;
        let _ = self.access_writer.await;
        self.db.close().await;
    }
}

/// Connects to the database and applies migrations.
pub async fn open_db(url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(url)
        .await
        .with_context(|| format!("connecting to {}", redact(url)))?;
    db.migrate().await.context("applying migrations")?;
    Ok(db)
}

/// The services of a configured instance, with its job runner and mail sender not yet running.
pub struct Prepared {
    /// The database the services use (start-up, the CLI, the demo seed and shutdown).
    pub db: Db,
    pub services: Services,
    runner: Arc<Runner>,
    mailer: Arc<Mailer>,
    gate: educenter_services::clock::Gate,
}

/// Opens the database (migrating it), wires the clock, jobs, mail and media store, seeds the
/// offer and the calendar and the first super-admin: everything but the HTTP server and the
/// loops (`educenter demo` uses it alone).
pub async fn prepare(
    settings: &Settings,
    extend: impl FnOnce(&mut JobRegistry),
) -> anyhow::Result<Prepared> {
    educenter_services::storage::install_tls();
    let db = open_db(&settings.database_url).await?;

    let gate: educenter_services::clock::Gate = Arc::default();
    let (clock, test): (Arc<dyn Clock>, _) = if settings.test_mode {
        let start = match settings.test_clock_start {
            Some(start) => start,
            // Whole seconds, so instants in test output read cleanly.
            None => jiff::Timestamp::from_second(jiff::Timestamp::now().as_second())?,
        };
        let test_clock = Arc::new(TestClock::new(start));
        tracing::warn!(%start, "TEST MODE: the clock only moves through /api/v1/test/clock");
        (
            test_clock.clone(),
            Some(Arc::new(TestControl::new(test_clock, gate.clone()))),
        )
    } else {
        (Arc::new(SystemClock), None)
    };

    let opened =
        educenter_services::storage::open(&settings.media_store, &settings.s3, "--media-store")
            .context("opening the media store")?;
    educenter_services::storage::check(&opened, "--media-store").await?;
    let media = Arc::new(educenter_services::media::MediaStore::new(
        opened,
        settings.max_upload_mib.saturating_mul(1024 * 1024),
    ));
    let backups = match &settings.backup.key_file {
        Some(key) => Some(Arc::new(
            educenter_services::backup::Backups::new(
                &settings.backup.target,
                &settings.s3,
                key,
                settings.data_dir.join("tmp"),
                settings.backup.every_hours,
                &settings.database_url,
            )
            .context("configuring backups")?
            .with_probe(page_probe()),
        )),
        None => None,
    };
    let mut registry = JobRegistry::new();
    ops::register(&mut registry);
    educenter_services::backup::register(&mut registry, backups.as_ref().map(|b| b.every_hours));
    educenter_services::media::register(&mut registry);
    educenter_services::offers::register(&mut registry);
    educenter_services::billing::nightly::register(&mut registry);
    educenter_services::documents::register(&mut registry);
    educenter_services::content::register(&mut registry);
    educenter_services::erasure::register(&mut registry);
    educenter_services::quizzes::register(&mut registry);
    educenter_services::assignments::register(&mut registry);
    educenter_services::exports::register(&mut registry);
    educenter_services::access_log::register(&mut registry);
    extend(&mut registry);
    let runner = Arc::new(Runner::new(db.clone(), clock.clone(), registry));
    runner
        .register_schedules()
        .await
        .context("registering job schedules")?;

    let transport = match &settings.smtp_url {
        Some(url) => Transport::smtp(url).context("--smtp-url")?,
        None => Transport::Files(settings.data_dir.join("mail")),
    };
    let from = settings
        .mail_from
        .parse()
        .with_context(|| format!("--mail-from {:?} is not a mailbox", settings.mail_from))?;
    tracing::info!(transport = %transport.describe(), "mail delivery");
    let mailer = Arc::new(Mailer::new(db.clone(), clock.clone(), transport, from));

    let mut services = Services::new(db.clone(), clock, runner.clone(), mailer.clone(), media);
    services.test = test;
    services.public_url = settings.public_url.clone();
    services.base_domain = settings.base_domain.clone();
    services.payment_sandbox_secret = settings.payment_sandbox_secret.clone();
    services.backups = backups;
    educenter_services::accounts::prepare(&services)
        .await
        .context("seeding the offer and the business calendar")?;
    educenter_services::operator_staff::bootstrap_operator(
        &services,
        settings.admin_email.as_deref(),
        settings.admin_password.as_deref(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("creating the first super-admin: {e:?}"))?;
    if let Some(b) = &services.backups {
        tracing::info!(target = %b.target_name, key = %b.key_public(), every_hours = b.every_hours, "backups on");
        educenter_services::backup::arm_alerts(&services)
            .await
            .context("queueing the backup alerts")?;
    } else {
        tracing::warn!("backups are off: no --backup-key-file");
    }
    Ok(Prepared {
        db,
        services,
        runner,
        mailer,
        gate,
    })
}

/// Starts the server; `extend` may register more jobs and schedules (the tests use it).
pub async fn start(
    settings: Settings,
    extend: impl FnOnce(&mut JobRegistry),
) -> anyhow::Result<Running> {
    let Prepared {
        db,
        services,
        runner,
        mailer,
        gate,
    } = prepare(&settings, extend).await?;
    let web = WebConfig {
        public_url: settings.public_url.clone(),
        test_mode: settings.test_mode,
        base_domain: settings.base_domain.clone(),
        trusted_proxies: settings.trusted_proxies.clone(),
        metrics_token: settings.metrics_token.clone(),
        ..WebConfig::default()
    };
    let app = educenter_web::app(services.clone(), web).map_err(anyhow::Error::msg)?;

    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    let (shutdown, _) = watch::channel(false);

    let limits = connection_limits(&settings);
    let mut tasks = vec![tokio::spawn(http::serve(
        listener,
        app,
        limits,
        shutdown.subscribe(),
    ))];
    let metrics_addr = match settings.metrics_listen {
        Some(at) => {
            let listener = tokio::net::TcpListener::bind(at)
                .await
                .with_context(|| format!("--metrics-listen {at}"))?;
            let addr = listener.local_addr()?;
            let exporter =
                educenter_web::metrics::router(services.clone(), settings.metrics_token.clone());
            // Scrapers are few: a small cap, the same timeouts.
            let limits = http::Limits {
                max_connections: 64,
                ..limits
            };
            tasks.push(tokio::spawn(http::serve(
                listener,
                exporter,
                limits,
                shutdown.subscribe(),
            )));
            tracing::info!(%addr, "serving metrics");
            Some(addr)
        }
        None => None,
    };
    let jobs = {
        let stop = shutdown.subscribe();
        let gate = gate.clone();
        let services = services.clone();
        tokio::spawn(async move { runner.run_loop(&services, gate, stop).await })
    };
    let mail = {
        let stop = shutdown.subscribe();
        tokio::spawn(async move { mailer.run_loop(gate, stop).await })
    };
    tracing::info!(%addr, public_url = %settings.public_url, database = db.engine().name(), "serving");
    tasks.extend([jobs, mail]);
    let access_writer = {
        let services = services.clone();
        let db = db.clone();
        tokio::spawn(async move { services.access_log.run_loop(db).await })
    };
    Ok(Running {
        addr,
        metrics_addr,
        db,
        services,
        shutdown,
        tasks,
        access_writer,
    })
}

/// The connection limits of the settings, the cap scaled to the open-file limit unless set.
fn connection_limits(settings: &Settings) -> http::Limits {
    let files = http::file_limit();
    let max_connections = settings
        .max_connections
        .unwrap_or_else(|| http::default_max_connections(files));
    if let Some(files) = files
        && max_connections as u64 > files
    {
        tracing::warn!(
            max_connections,
            open_file_limit = files,
            "--max-connections is above the open-file limit: connections may be refused"
        );
    }
    tracing::info!(
        max_connections,
        header_timeout_secs = settings.header_timeout.as_secs_f64(),
        idle_timeout_secs = settings.idle_timeout.as_secs_f64(),
        "connection limits"
    );
    http::Limits {
        header_timeout: settings.header_timeout,
        idle_timeout: settings.idle_timeout,
        max_connections,
    }
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// The last step of a backup check: the web application over the restored database renders the
/// oldest school's site (`/s/{slug}/`), which must answer 200 with the school's name. Its files
/// (media, mail) go under the check's scratch folder; nothing runs in the background.
pub fn page_probe() -> educenter_services::backup::PageProbe {
    Arc::new(|url: String, dir: std::path::PathBuf| {
        Box::pin(async move {
            use tower::ServiceExt;
            std::fs::create_dir_all(&dir)?;
            let db = Db::connect(&url).await?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let runner = Arc::new(Runner::new(db.clone(), clock.clone(), JobRegistry::new()));
            let mailer = Arc::new(Mailer::new(
                db.clone(),
                clock.clone(),
                Transport::Files(dir.join("mail")),
                "EduCenter <no-reply@educenter.local>".parse()?,
            ));
            let media = Arc::new(educenter_services::media::MediaStore::local(
                &dir.join("media"),
                1 << 20,
            )?);
            let services = Services::new(db.clone(), clock, runner, mailer, media);
            let result = async {
                let Some((slug, name)) = educenter_services::backup::any_school(&services).await?
                else {
                    return Ok("no school to render".to_owned());
                };
                let app = educenter_web::app(services.clone(), WebConfig::default())
                    .map_err(anyhow::Error::msg)?;
                let req = axum::http::Request::get(format!("/s/{slug}/"))
                    .header("host", "127.0.0.1:8080")
                    .body(axum::body::Body::empty())?;
                let res = app.oneshot(req).await?;
                let status = res.status();
                let body = http_body_util::BodyExt::collect(res.into_body())
                    .await?
                    .to_bytes();
                let html = String::from_utf8_lossy(&body);
                let shown = name
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('"', "&#34;")
                    .replace('\'', "&#39;");
                if status != axum::http::StatusCode::OK || !html.contains(&shown) {
                    anyhow::bail!("/s/{slug}/ answered {status} without the school's name");
                }
                Ok(format!("/s/{slug}/ ({name})"))
            }
            .await;
            db.close().await;
            result
        })
    })
}
