use std::io::IsTerminal;

use clap::Parser;
use educenter_server::{
    cli::{Queue, admin_create, backup_command, queue_command},
    config::{AdminAction, Cli, Command, FileConfig, LogFormat, ServeArgs, Settings, unknown_env},
    open_db, redact, start,
};
use tracing_subscriber::EnvFilter;

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("EDUCENTER_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    educenter_services::storage::install_tls();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("educenter: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let file = match &cli.config {
        Some(path) => FileConfig::load(path)?,
        None => FileConfig::default(),
    };
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    match command {
        Command::Serve(args) => {
            let settings = Settings::resolve(args, file)?;
            init_logging(settings.log_format);
            for name in unknown_env(std::env::vars().map(|(k, _)| k)) {
                tracing::warn!(variable = %name, "unknown EDUCENTER_* environment variable ignored; check its spelling");
            }
            tracing::info!(database = %redact(&settings.database_url), "starting");
            educenter_server::http::raise_file_limit();
            let running = start(settings, |_| {}).await?;
            shutdown_signal().await;
            tracing::info!("shutting down: finishing in-flight requests and the running job");
            running.shutdown().await;
            tracing::info!("stopped");
        }
        Command::Migrate(db) => {
            init_logging(file.log_format.unwrap_or(LogFormat::Text));
            let (_, url) = educenter_server::config::resolve_db(db, &file);
            open_db(&url).await?;
            println!(
                "database {} is at migration {}",
                redact(&url),
                educenter_store::latest_migration()
            );
        }
        Command::Demo(args) => {
            let settings = Settings::resolve(args, file)?;
            init_logging(settings.log_format);
            let made = educenter_server::demo::run(&settings).await?;
            for line in made.lines {
                println!("{line}");
            }
        }
        Command::Jobs { action } => queue_command(Queue::Jobs, action, &file).await?,
        Command::Mail { action } => queue_command(Queue::Mail, action, &file).await?,
        Command::Backup { action } => {
            init_logging(file.log_format.unwrap_or(LogFormat::Text));
            backup_command(action, &file).await?
        }
        Command::Admin {
            action:
                AdminAction::Create {
                    db,
                    email,
                    role,
                    full_name,
                },
        } => admin_create(db, &email, &role, &full_name, &file).await?,
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
