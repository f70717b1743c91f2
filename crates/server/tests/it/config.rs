//! Settings resolution: flag-or-environment (merged by clap) over file over default.

use std::path::PathBuf;

use educenter_server::config::{DbArgs, FileConfig, ServeArgs, Settings, unknown_env};

#[test]
fn defaults_serve_sqlite_under_data_on_8080() {
    let s = Settings::resolve(ServeArgs::default(), FileConfig::default()).unwrap();
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.data_dir, PathBuf::from("./data"));
    assert_eq!(s.database_url, "sqlite://./data/educenter.db");
    assert_eq!(s.public_url, "http://127.0.0.1:8080");
    assert!(!s.test_mode);
    assert!(s.smtp_url.is_none());
    assert!(s.metrics_listen.is_none() && s.metrics_token.is_none());
    assert_eq!(s.header_timeout.as_secs(), 10);
    assert_eq!(s.idle_timeout.as_secs(), 60);
    assert_eq!(
        s.max_connections, None,
        "scaled to the open-file limit at start"
    );
}

#[test]
fn arguments_win_over_the_file_and_the_file_over_defaults() {
    let file = FileConfig {
        data_dir: Some("/srv/educenter".into()),
        public_url: Some("https://educenter.kz/".into()),
        test_mode: Some(true),
        ..FileConfig::default()
    };
    let s = Settings::resolve(ServeArgs::default(), file.clone()).unwrap();
    assert_eq!(s.database_url, "sqlite:///srv/educenter/educenter.db");
    assert_eq!(s.public_url, "https://educenter.kz");
    assert!(s.test_mode);
    let args = ServeArgs {
        db: DbArgs {
            database_url: Some("postgres://postgres@127.0.0.1/edu".into()),
            ..DbArgs::default()
        },
        test_mode: Some(false),
        ..ServeArgs::default()
    };
    let s = Settings::resolve(args, file).unwrap();
    assert_eq!(s.database_url, "postgres://postgres@127.0.0.1/edu");
    assert!(!s.test_mode);
}

#[test]
fn bad_values_are_refused_with_the_flag_named() {
    let args = ServeArgs {
        public_url: Some("educenter.kz".into()),
        ..ServeArgs::default()
    };
    let e = Settings::resolve(args, FileConfig::default()).unwrap_err();
    assert!(e.to_string().contains("--public-url"));
    let args = ServeArgs {
        test_clock_start: Some("yesterday".into()),
        ..ServeArgs::default()
    };
    let e = Settings::resolve(args, FileConfig::default()).unwrap_err();
    assert!(e.to_string().contains("--test-clock-start"));
    for (args, flag) in [
        (
            ServeArgs {
                header_timeout_secs: Some(0),
                ..ServeArgs::default()
            },
            "--header-timeout-secs",
        ),
        (
            ServeArgs {
                idle_timeout_secs: Some(0),
                ..ServeArgs::default()
            },
            "--idle-timeout-secs",
        ),
        (
            ServeArgs {
                max_connections: Some(0),
                ..ServeArgs::default()
            },
            "--max-connections",
        ),
        (
            ServeArgs {
                metrics_token: Some("guessable".into()),
                ..ServeArgs::default()
            },
            "--metrics-token",
        ),
    ] {
        let e = Settings::resolve(args, FileConfig::default()).unwrap_err();
        assert!(e.to_string().contains(flag), "{e}");
    }
}

#[test]
fn connection_limits_come_from_the_file_under_the_flags() {
    let file: FileConfig =
        toml::from_str("header_timeout_secs = 5\nidle_timeout_secs = 30\nmax_connections = 800\n")
            .unwrap();
    let s = Settings::resolve(ServeArgs::default(), file.clone()).unwrap();
    assert_eq!(
        (s.header_timeout.as_secs(), s.idle_timeout.as_secs()),
        (5, 30)
    );
    assert_eq!(s.max_connections, Some(800));
    let args = ServeArgs {
        max_connections: Some(50),
        ..ServeArgs::default()
    };
    assert_eq!(
        Settings::resolve(args, file).unwrap().max_connections,
        Some(50)
    );
}

#[test]
fn unknown_environment_variables_are_found() {
    let vars = [
        "EDUCENTER_LISTEN",
        "EDUCENTER_DATABSE_URL",
        "PATH",
        "EDUCENTER_TEST_MODE",
    ];
    assert_eq!(
        unknown_env(vars.map(String::from)),
        ["EDUCENTER_DATABSE_URL"]
    );
}
