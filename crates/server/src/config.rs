//! Command line, environment and configuration file. Precedence: a flag beats its
//! `EDUCENTER_*` environment variable, which beats the configuration file, which beats the
//! built-in default.

use std::{net::SocketAddr, path::PathBuf};

use clap::{ArgAction, Args, Parser, Subcommand};
use serde::Deserialize;

/// EduCenter: the online-school platform server.
///
/// With no subcommand, `educenter` runs `serve` with its defaults: http://127.0.0.1:8080 on
/// an SQLite database under ./data.
#[derive(Debug, Parser)]
#[command(name = "educenter", version, propagate_version = true)]
pub struct Cli {
    /// A TOML configuration file whose keys are the long flag names with underscores
    /// (`listen`, `data_dir`, `database_url`, ...). Flags and environment variables win over it.
    #[arg(long, env = "EDUCENTER_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server: web pages, the JSON API, background jobs and the mail sender.
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate(DbArgs),
    /// Inspect background jobs and put dead ones back in the queue.
    Jobs {
        #[command(subcommand)]
        action: QueueAction,
    },
    /// Inspect the mail outbox and put dead messages back in the queue.
    Mail {
        #[command(subcommand)]
        action: QueueAction,
    },
    /// Fill a fresh data directory with a demo school: a plan, a school in its trial, a
    /// published course with text, audio and video lessons, a teacher and two students with
    /// some progress; prints the addresses and logins. Takes the same flags as `serve`.
    Demo(ServeArgs),
    /// Back up the database and media, list and verify sets (see docs/OPERATIONS.md).
    Backup {
        #[command(subcommand)]
        action: BackupAction,
    },
    /// Manage the operator's staff accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// Create an operator staff account. The password is read from EDUCENTER_ADMIN_PASSWORD,
    /// or else from the first line of standard input.
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// The person's e-mail, their login.
        #[arg(long)]
        email: String,
        /// super_admin, billing, support, compliance or infrastructure.
        #[arg(long)]
        role: String,
        /// The person's full name.
        #[arg(long, default_value = "")]
        full_name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupAction {
    /// Write a new backup key (an age identity) to PATH, which must not exist, readable by its
    /// owner only; prints its public half. Keep a copy off this machine: without it no set
    /// can be read.
    Keygen {
        /// Where to write the key.
        path: PathBuf,
    },
    /// Take a backup now: a consistent copy of the database and the media files it names,
    /// compressed and encrypted, into the backup target; prunes sets older than 30 days.
    Run {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        backup: BackupArgs,
    },
    /// List the finished sets in the backup target, newest first.
    List {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        backup: BackupArgs,
    },
    /// Restore the newest set (or --set ID) into scratch and check it against its manifest:
    /// every table's rows and every media file's hash; exits non-zero when it differs.
    Verify {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        backup: BackupArgs,
        /// The set to check, as `list` names it [default: the newest].
        #[arg(long)]
        set: Option<String>,
    },
    /// Restore one school from the newest set (or --set ID): the whole set into scratch, then
    /// the school's own data across. `--into live` brings back what the live school lacks
    /// (rows and files, under their own ids; nothing live changes, nobody erased since comes
    /// back); `--into copy` makes a new school beside it, `SLUG-copy-DAY`, as the set holds it.
    Restore {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        backup: BackupArgs,
        /// The school's address (its slug).
        #[arg(long)]
        tenant: String,
        /// `live` or `copy`.
        #[arg(long, value_enum)]
        into: RestoreInto,
        /// The set to restore from, as `list` names it [default: the newest].
        #[arg(long)]
        set: Option<String>,
    },
}

/// Where `backup restore` writes a school's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RestoreInto {
    /// What the live school lacks.
    Live,
    /// A new school beside it.
    Copy,
}

/// Where backups go and the key they are encrypted to.
#[derive(Debug, Clone, Default, Args)]
pub struct BackupArgs {
    /// Where backup sets go: a folder (a path or a `file://` URL) or `s3://BUCKET/PREFIX` (as
    /// for --media-store); put it on another disk, machine or bucket than the data
    /// [default: DATA_DIR/backups].
    #[arg(long, env = "EDUCENTER_BACKUP_TARGET", value_name = "URL")]
    pub backup_target: Option<String>,

    /// The backup key (`educenter backup keygen PATH` writes one). Without it no backup runs
    /// and the schedule is off.
    #[arg(long, env = "EDUCENTER_BACKUP_KEY_FILE", value_name = "PATH")]
    pub backup_key_file: Option<PathBuf>,

    /// Hours between scheduled backups, 1 to 72 [default: 24].
    #[arg(long, env = "EDUCENTER_BACKUP_EVERY_HOURS", value_name = "HOURS")]
    pub backup_every_hours: Option<u16>,
}

/// The resolved backup settings.
#[derive(Debug, Clone)]
pub struct BackupSettings {
    pub target: String,
    pub key_file: Option<PathBuf>,
    pub every_hours: u16,
}

impl BackupSettings {
    pub fn resolve(args: BackupArgs, file: &FileConfig, data_dir: &std::path::Path) -> Self {
        Self {
            target: args
                .backup_target
                .or_else(|| file.backup_target.clone())
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| data_dir.join("backups").display().to_string()),
            key_file: args
                .backup_key_file
                .or_else(|| file.backup_key_file.clone()),
            every_hours: args
                .backup_every_hours
                .or(file.backup_every_hours)
                .unwrap_or(24),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum QueueAction {
    /// List entries, newest first.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Only entries in this state (jobs: queued, running, done, dead; mail: queued,
        /// sending, sent, dead).
        #[arg(long)]
        state: Option<String>,
        /// At most this many entries.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Put a dead entry back in the queue with a fresh set of attempts.
    Retry {
        #[command(flatten)]
        db: DbArgs,
        /// The entry's id, as `list` shows it.
        id: String,
    },
}

/// Where the data lives.
#[derive(Debug, Clone, Default, Args)]
pub struct DbArgs {
    /// The folder for the SQLite database, outgoing mail files and uploads [default: ./data].
    #[arg(long, env = "EDUCENTER_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The database: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`
    /// [default: sqlite://DATA_DIR/educenter.db].
    #[arg(long, env = "EDUCENTER_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,

    /// Where uploaded files live: a folder, or `s3://BUCKET/PREFIX` on an S3-compatible store
    /// reached as the standard `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID` and
    /// `AWS_SECRET_ACCESS_KEY` variables say [default: DATA_DIR/media].
    #[arg(long, env = "EDUCENTER_MEDIA_STORE", value_name = "URL")]
    pub media_store: Option<String>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ServeArgs {
    /// The address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "EDUCENTER_LISTEN", value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,

    #[command(flatten)]
    pub db: DbArgs,

    /// The address people reach the product at, used in e-mailed links; an https address
    /// also turns on HSTS and Secure cookies [default: http://LISTEN].
    #[arg(long, env = "EDUCENTER_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Deliver mail over SMTP: `smtp://user:pass@host:587?tls=required` or
    /// `smtps://host:465`. Without it, mail is written as .eml files under DATA_DIR/mail.
    #[arg(long, env = "EDUCENTER_SMTP_URL", value_name = "URL")]
    pub smtp_url: Option<String>,

    /// The sender of every e-mail [default: "EduCenter <no-reply@educenter.local>"].
    #[arg(long, env = "EDUCENTER_MAIL_FROM", value_name = "MAILBOX")]
    pub mail_from: Option<String>,

    /// Test mode: a test clock that only moves through /api/v1/test/clock, captured mail at
    /// /api/v1/test/mail. Never use it in production.
    #[arg(long, env = "EDUCENTER_TEST_MODE", value_name = "BOOL", num_args = 0..=1,
          default_missing_value = "true", action = ArgAction::Set)]
    pub test_mode: Option<bool>,

    /// In test mode, the instant the test clock starts at (RFC 3339) [default: now].
    #[arg(long, env = "EDUCENTER_TEST_CLOCK_START", value_name = "INSTANT")]
    pub test_clock_start: Option<String>,

    /// At the first start, the e-mail of the operator's super-admin to create (with
    /// EDUCENTER_ADMIN_PASSWORD). Ignored once any operator account exists.
    #[arg(long, env = "EDUCENTER_ADMIN_EMAIL", value_name = "EMAIL")]
    pub admin_email: Option<String>,

    /// The first super-admin's password; prefer the environment variable to the flag, which
    /// other users of the machine can see.
    #[arg(
        long,
        env = "EDUCENTER_ADMIN_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub admin_password: Option<String>,

    /// The secret that signs the callbacks of the built-in `sandbox` payment provider, which
    /// plays a card gateway for development and tests. Without it the sandbox is off.
    #[arg(
        long,
        env = "EDUCENTER_PAYMENT_SANDBOX_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub payment_sandbox_secret: Option<String>,

    /// A domain whose subdomains are the schools' sites: with `educenter.kz`, the school
    /// `alma` is also at `alma.educenter.kz` (by the Host header) [default: none].
    #[arg(long, env = "EDUCENTER_BASE_DOMAIN", value_name = "DOMAIN")]
    pub base_domain: Option<String>,

    /// The largest file a school may upload, in MiB [default: 4096].
    #[arg(long, env = "EDUCENTER_MAX_UPLOAD_MIB", value_name = "MIB")]
    pub max_upload_mib: Option<u64>,

    /// The reverse proxies and load balancers in front of the server (addresses or networks,
    /// comma-separated: `10.0.0.0/8,127.0.0.1`). Only a request coming from one of them has its
    /// client address taken from `X-Forwarded-For` (for sign-in throttling and the audit log)
    /// [default: none: the socket's address].
    #[arg(long, env = "EDUCENTER_TRUSTED_PROXIES", value_name = "CIDRS")]
    pub trusted_proxies: Option<String>,

    /// How long a client has to send a request's header, in seconds, counted from the
    /// connection (or from the first byte of a later request on it); slower ones are
    /// disconnected [default: 10].
    #[arg(long, env = "EDUCENTER_HEADER_TIMEOUT_SECS", value_name = "SECS")]
    pub header_timeout_secs: Option<u64>,

    /// How long a kept-alive connection may wait for its next request, in seconds, before it
    /// is closed [default: 60].
    #[arg(long, env = "EDUCENTER_IDLE_TIMEOUT_SECS", value_name = "SECS")]
    pub idle_timeout_secs: Option<u64>,

    /// The most connections open at once; more wait until one closes [default: 10000, or
    /// fewer when the open-file limit would not hold them].
    #[arg(long, env = "EDUCENTER_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,

    /// Serve the Prometheus metrics (`/metrics`) on this address of their own, e.g.
    /// `127.0.0.1:9090`, not on the main listener [default: none].
    #[arg(long, env = "EDUCENTER_METRICS_LISTEN", value_name = "ADDR:PORT")]
    pub metrics_listen: Option<SocketAddr>,

    /// Serve the metrics on the main listener (and require it on --metrics-listen too) to
    /// scrapers that send `Authorization: Bearer TOKEN` [default: none]. With neither this nor
    /// --metrics-listen, `/metrics` answers 404.
    #[arg(
        long,
        env = "EDUCENTER_METRICS_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    #[command(flatten)]
    pub backup: BackupArgs,

    /// Log format: `text` for people, `json` for log collectors [default: text]. The level
    /// filter comes from EDUCENTER_LOG (e.g. `info,educenter=debug`).
    #[arg(long, env = "EDUCENTER_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub test_mode: Option<bool>,
    pub test_clock_start: Option<String>,
    pub log_format: Option<LogFormat>,
    pub payment_sandbox_secret: Option<String>,
    pub max_upload_mib: Option<u64>,
    pub base_domain: Option<String>,
    pub trusted_proxies: Option<String>,
    pub header_timeout_secs: Option<u64>,
    pub idle_timeout_secs: Option<u64>,
    pub max_connections: Option<usize>,
    pub metrics_listen: Option<SocketAddr>,
    pub metrics_token: Option<String>,
    pub backup_target: Option<String>,
    pub backup_key_file: Option<PathBuf>,
    pub backup_every_hours: Option<u16>,
    pub media_store: Option<String>,
}

impl FileConfig {
    pub fn load(path: &std::path::Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("in {}: {e}", path.display()))
    }
}

/// The resolved settings of the server.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub public_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub test_mode: bool,
    pub test_clock_start: Option<jiff::Timestamp>,
    pub log_format: LogFormat,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
    pub payment_sandbox_secret: Option<String>,
    /// The largest upload, in MiB.
    pub max_upload_mib: u64,
    /// Schools' sites at `{slug}.{base_domain}`.
    pub base_domain: Option<String>,
    /// The proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The time a client has to send a request's header.
    pub header_timeout: std::time::Duration,
    /// The time a kept-alive connection may wait for its next request.
    pub idle_timeout: std::time::Duration,
    /// The most connections open at once; `None`: scaled to the open-file limit at start.
    pub max_connections: Option<usize>,
    /// A listener of its own for `/metrics`.
    pub metrics_listen: Option<SocketAddr>,
    /// The bearer token `/metrics` requires (and is served on the main listener with).
    pub metrics_token: Option<String>,
    pub backup: BackupSettings,
    /// Where uploaded files live (see `--media-store`).
    pub media_store: String,
    /// How to reach S3-compatible stores, over the `AWS_*` variables (tests set it).
    pub s3: educenter_services::storage::S3Options,
}

/// Parses a comma-separated list of addresses (`127.0.0.1`) and networks (`10.0.0.0/8`).
pub fn parse_proxies(text: &str) -> anyhow::Result<Vec<ipnet::IpNet>> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| {
                    anyhow::anyhow!("--trusted-proxies: {p:?} is not an address or network")
                })
        })
        .collect()
}

impl Settings {
    /// Combines flags-or-environment (already merged by clap) with the file and defaults.
    pub fn resolve(args: ServeArgs, file: FileConfig) -> anyhow::Result<Self> {
        let listen = args
            .listen
            .or(file.listen)
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
        let media_flag = args.db.media_store.clone();
        let (data_dir, database_url) = resolve_db(args.db, &file);
        let media_store = media_flag
            .or_else(|| file.media_store.clone())
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| data_dir.join("media").display().to_string());
        let backup = BackupSettings::resolve(args.backup, &file, &data_dir);
        let public_url = args
            .public_url
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            anyhow::bail!("--public-url must start with http:// or https://, not {public_url:?}");
        }
        let mail_from = args
            .mail_from
            .or(file.mail_from)
            .unwrap_or_else(|| "EduCenter <no-reply@educenter.local>".to_owned());
        let test_clock_start = args
            .test_clock_start
            .or(file.test_clock_start)
            .map(|s| {
                s.parse::<jiff::Timestamp>()
                    .map_err(|e| anyhow::anyhow!("--test-clock-start {s:?}: {e}"))
            })
            .transpose()?;
        Ok(Self {
            listen,
            data_dir,
            database_url,
            public_url,
            smtp_url: args.smtp_url.or(file.smtp_url).filter(|s| !s.is_empty()),
            mail_from,
            test_mode: args.test_mode.or(file.test_mode).unwrap_or(false),
            test_clock_start,
            log_format: args
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
            admin_email: args.admin_email.filter(|s| !s.is_empty()),
            admin_password: args.admin_password.filter(|s| !s.is_empty()),
            payment_sandbox_secret: args
                .payment_sandbox_secret
                .or(file.payment_sandbox_secret)
                .filter(|s| !s.is_empty()),
            max_upload_mib: match args.max_upload_mib.or(file.max_upload_mib) {
                Some(0) => anyhow::bail!("--max-upload-mib must be at least 1"),
                Some(n) => n,
                None => 4096,
            },
            base_domain: args
                .base_domain
                .or(file.base_domain)
                .map(|d| d.trim().trim_matches('.').to_ascii_lowercase())
                .filter(|d| !d.is_empty()),
            trusted_proxies: parse_proxies(
                &args
                    .trusted_proxies
                    .or(file.trusted_proxies)
                    .unwrap_or_default(),
            )?,
            header_timeout: seconds(
                "--header-timeout-secs",
                args.header_timeout_secs.or(file.header_timeout_secs),
                10,
            )?,
            idle_timeout: seconds(
                "--idle-timeout-secs",
                args.idle_timeout_secs.or(file.idle_timeout_secs),
                60,
            )?,
            max_connections: match args.max_connections.or(file.max_connections) {
                Some(0) => anyhow::bail!("--max-connections must be at least 1"),
                n => n,
            },
            metrics_listen: args.metrics_listen.or(file.metrics_listen),
            metrics_token: match args.metrics_token.or(file.metrics_token) {
                // A short token is guessed; say so rather than serve behind it.
                Some(t) if !t.is_empty() && t.len() < 16 => {
                    anyhow::bail!("--metrics-token must be at least 16 characters")
                }
                t => t.filter(|t| !t.is_empty()),
            },
            backup,
            media_store,
            s3: educenter_services::storage::S3Options::default(),
        })
    }
}

/// A whole number of seconds, at least 1 (0 would close every connection at once).
fn seconds(flag: &str, value: Option<u64>, default: u64) -> anyhow::Result<std::time::Duration> {
    match value {
        Some(0) => anyhow::bail!("{flag} must be at least 1"),
        v => Ok(std::time::Duration::from_secs(v.unwrap_or(default))),
    }
}

/// The data folder and database URL from flags-or-environment, the file and defaults.
pub fn resolve_db(args: DbArgs, file: &FileConfig) -> (PathBuf, String) {
    let data_dir = args
        .data_dir
        .or_else(|| file.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from("./data"));
    let database_url = args
        .database_url
        .or_else(|| file.database_url.clone())
        .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("educenter.db").display()));
    (data_dir, database_url)
}

/// Every `EDUCENTER_*` variable the program reads. Others are reported at start, since
/// they are usually typos.
pub const KNOWN_ENV: &[&str] = &[
    "EDUCENTER_CONFIG",
    "EDUCENTER_LISTEN",
    "EDUCENTER_DATA_DIR",
    "EDUCENTER_DATABASE_URL",
    "EDUCENTER_PUBLIC_URL",
    "EDUCENTER_SMTP_URL",
    "EDUCENTER_MAIL_FROM",
    "EDUCENTER_TEST_MODE",
    "EDUCENTER_TEST_CLOCK_START",
    "EDUCENTER_LOG",
    "EDUCENTER_LOG_FORMAT",
    "EDUCENTER_ADMIN_EMAIL",
    "EDUCENTER_ADMIN_PASSWORD",
    "EDUCENTER_PAYMENT_SANDBOX_SECRET",
    "EDUCENTER_BASE_DOMAIN",
    "EDUCENTER_MAX_UPLOAD_MIB",
    "EDUCENTER_TRUSTED_PROXIES",
    "EDUCENTER_HEADER_TIMEOUT_SECS",
    "EDUCENTER_IDLE_TIMEOUT_SECS",
    "EDUCENTER_MAX_CONNECTIONS",
    "EDUCENTER_METRICS_LISTEN",
    "EDUCENTER_METRICS_TOKEN",
    "EDUCENTER_BACKUP_TARGET",
    "EDUCENTER_BACKUP_KEY_FILE",
    "EDUCENTER_BACKUP_EVERY_HOURS",
    // Read by the test suite, not by the server.
    "EDUCENTER_TEST_DATABASE_URL",
];

/// The `EDUCENTER_*` names among `vars` that the program does not know.
pub fn unknown_env(vars: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut unknown: Vec<String> = vars
        .into_iter()
        .filter(|k| k.starts_with("EDUCENTER_") && !KNOWN_ENV.contains(&k.as_str()))
        .collect();
    unknown.sort();
    unknown
}
