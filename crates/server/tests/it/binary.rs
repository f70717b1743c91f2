//! The real `educenter` binary as a separate process: configuration precedence, SIGKILL with
//! queued mail, SIGTERM, and the command-line actions.

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use educenter_domain::queues::MailState;
use educenter_store::{Db, outbox};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::{harness::TestDb, smtp::SmtpServer};

const BIN: &str = env!("CARGO_BIN_EXE_educenter");

/// A spawned server whose JSON log lines are collected.
struct Proc {
    child: Child,
    lines: Arc<Mutex<Vec<Value>>>,
    addr: String,
}

pub(crate) fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("EDUCENTER_") {
            cmd.env_remove(k);
        }
    }
    cmd.args(args).envs(envs.iter().copied());
    cmd
}

impl Proc {
    fn spawn(args: &[&str], envs: &[(&str, &str)]) -> Proc {
        let mut cmd = command(args, envs);
        cmd.args(["--log-format", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().expect("spawn educenter");
        let stdout = child.stdout.take().expect("stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let l = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    l.lock().unwrap().push(v);
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let addr = lines.lock().unwrap().iter().find_map(|v| {
                (v["fields"]["message"] == "serving")
                    .then(|| v["fields"]["addr"].as_str().unwrap_or("").to_owned())
            });
            if let Some(addr) = addr {
                return Proc { child, lines, addr };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("educenter exited with {status} before serving");
            }
            assert!(Instant::now() < deadline, "educenter did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn logged(&self, message: &str) -> Vec<Value> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|v| {
                v["fields"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(message))
            })
            .cloned()
            .collect()
    }

    fn sigkill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("wait");
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn flags_beat_environment_beat_the_config_file() {
    let (p_file, p_env, p_flag) = (free_port(), free_port(), free_port());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("educenter.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{p_file}\"\ndata_dir = \"{}\"\n",
            data.display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let env_listen = format!("127.0.0.1:{p_env}");
    let flag_listen = format!("127.0.0.1:{p_flag}");

    let p = Proc::spawn(&["serve", "--config", config], &[]);
    assert_eq!(p.addr, format!("127.0.0.1:{p_file}"));
    assert!(data.join("educenter.db").exists(), "data_dir from the file");
    drop(p);
    let p = Proc::spawn(
        &["serve", "--config", config],
        &[("EDUCENTER_LISTEN", &env_listen)],
    );
    assert_eq!(p.addr, env_listen);
    drop(p);
    let p = Proc::spawn(
        &["serve", "--config", config, "--listen", &flag_listen],
        &[
            ("EDUCENTER_LISTEN", &env_listen),
            ("EDUCENTER_LISTN", "typo"),
        ],
    );
    assert_eq!(p.addr, flag_listen);
    let warned = p.logged("unknown EDUCENTER_* environment variable");
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0]["fields"]["variable"], "EDUCENTER_LISTN");
    drop(p);

    // A bad file is a clear error, not a silent default.
    std::fs::write(dir.path().join("bad.toml"), "lisen = \"x\"\n").unwrap();
    let out = command(
        &[
            "serve",
            "--config",
            dir.path().join("bad.toml").to_str().unwrap(),
        ],
        &[],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lisen"));
}

#[tokio::test]
async fn sigkill_with_queued_mail_loses_nothing_and_sends_nothing_twice() {
    let db = TestDb::create().await;
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_owned();
    let refused = format!("smtp://127.0.0.1:{}", free_port());
    let args = |smtp: &str| {
        vec![
            "serve".to_owned(),
            "--test-mode".to_owned(),
            "--listen".to_owned(),
            "127.0.0.1:0".to_owned(),
            "--database-url".to_owned(),
            db.url.clone(),
            "--data-dir".to_owned(),
            data_dir.clone(),
            "--smtp-url".to_owned(),
            smtp.to_owned(),
            "--test-clock-start".to_owned(),
            "2027-03-01T00:00:00Z".to_owned(),
        ]
    };
    let spawn = |smtp: &str| {
        let a = args(smtp);
        Proc::spawn(&a.iter().map(String::as_str).collect::<Vec<_>>(), &[])
    };
    let client = reqwest::Client::new();

    // 1. Mail is queued while the SMTP server refuses connections; then SIGKILL.
    let p = spawn(&refused);
    for i in 0..3 {
        let res = client
            .post(p.url("/api/v1/test/mail"))
            .json(&json!({ "to": format!("user{i}@alma.kz"), "subject": format!("Message {i}"), "text": "x" }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    // Once every message has had its first (refused) attempt, none is mid-delivery: kill.
    let check = Db::connect(&db.url).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !outbox::list(&check, None, 10)
        .await
        .unwrap()
        .iter()
        .all(|m| m.state == MailState::Queued && m.attempts >= 1)
    {
        assert!(Instant::now() < deadline, "first attempts did not happen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    p.sigkill();
    let rows = outbox::list(&check, None, 10).await.unwrap();
    assert_eq!(rows.len(), 3, "committed outbox rows survive SIGKILL");
    assert!(
        rows.iter()
            .all(|m| m.state == MailState::Queued && m.last_error.is_some())
    );

    // 2. Restarted with a working SMTP server: delivery resumes.
    let smtp = SmtpServer::start().await;
    let p = spawn(&smtp.url());
    let res = client
        .post(p.url("/api/v1/test/clock/advance"))
        .json(&json!({ "hours": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    for i in 0..3 {
        let res = client
            .get(p.url("/api/v1/test/mail"))
            .query(&[("to", format!("user{i}@alma.kz"))])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let sent: Vec<Value> = res.json().await.unwrap();
        assert_eq!(sent.len(), 1, "user{i}");
    }
    assert_eq!(smtp.received().len(), 3);
    p.sigkill();

    // 3. Killed and restarted again: nothing is sent a second time.
    let p = spawn(&smtp.url());
    client
        .post(p.url("/api/v1/test/clock/advance"))
        .json(&json!({ "days": 1 }))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.received().len(), 3);
    let rows = outbox::list(&check, None, 10).await.unwrap();
    assert!(rows.iter().all(|m| m.state == MailState::Sent));
    check.close().await;
    drop(p);
}

#[tokio::test]
async fn sigterm_stops_gracefully() {
    let data = tempfile::tempdir().unwrap();
    let p = Proc::spawn(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.path().to_str().unwrap(),
        ],
        &[],
    );
    let res = reqwest::get(p.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), 200);
    // The open-file limit is logged at start (raised to the hard limit where allowed).
    assert_eq!(p.logged("open-file limit").len(), 1);
    // A kept-alive connection waiting for its next request does not hold the stop up (the
    // idle timeout is a minute; the stop must come well before).
    let mut idle = tokio::net::TcpStream::connect(&p.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 1024];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let pid = p.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let mut p = p;
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = p.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    assert_eq!(p.logged("stopped").len(), 1);
}

#[tokio::test]
async fn migrate_and_queue_commands() {
    let db = TestDb::create().await;
    let out = command(&["migrate", "--database-url", &db.url], &[])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("is at migration 39"));

    let out = command(
        &["jobs", "list", "--state", "dead", "--database-url", &db.url],
        &[],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());

    // A state the queue does not have is refused with the words it has.
    let out = command(
        &[
            "mail",
            "list",
            "--state",
            "running",
            "--database-url",
            &db.url,
        ],
        &[],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("no such state: \"running\" (one of: queued, sending, sent, dead)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = command(
        &["mail", "retry", "no-such-id", "--database-url", &db.url],
        &[],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no dead mail with id no-such-id"));

    let out = command(&["serve", "--help"], &[]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--listen",
        "--data-dir",
        "--database-url",
        "--public-url",
        "--smtp-url",
        "--test-mode",
        "--config",
    ] {
        assert!(help.contains(flag), "{flag} missing from serve --help");
    }
}

#[tokio::test]
async fn admin_create_makes_operator_staff_from_standard_input() {
    use std::io::Write;
    let db = TestDb::create().await;
    let run = |role: &str, email: &str, password: &str| {
        let mut child = command(
            &[
                "admin",
                "create",
                "--database-url",
                &db.url,
                "--email",
                email,
                "--role",
                role,
                "--full-name",
                "Бота Серикова",
            ],
            &[],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("billing", "bota@educenter.kz", "Billing-2027!");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("operator bota@educenter.kz (billing) created")
    );
    let out = run("billing", "bota@educenter.kz", "Billing-2027!");
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists"));
    // The infrastructure role of SPEC section 2.
    let out = run("infrastructure", "ops@educenter.kz", "Infra-2027!!");
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("operator ops@educenter.kz (infrastructure) created"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run("root", "x@educenter.kz", "Billing-2027!");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--role must be"));
    let out = run("support", "weak@educenter.kz", "short");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("password must be at least 10 characters")
    );

    let check = Db::connect(&db.url).await.unwrap();
    let rows = sqlx::query(
        "SELECT email, role, full_name, password_hash FROM users WHERE kind = 'operator' \
         AND role = 'billing'",
    )
    .fetch_all(check.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    use sqlx::Row;
    assert_eq!(rows[0].get::<String, _>("role"), "billing");
    assert_eq!(rows[0].get::<String, _>("full_name"), "Бота Серикова");
    assert!(
        rows[0]
            .get::<String, _>("password_hash")
            .starts_with("$argon2id$")
    );
    check.close().await;
}

#[tokio::test]
async fn without_an_administrator_the_first_start_logs_a_one_time_set_up_link() {
    let db = TestDb::create().await;
    let listen = format!("127.0.0.1:{}", free_port());
    // A data folder of its own: the security e-mail of setting up two-step sign-in is written
    // there (no mail server).
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_owned();
    let args = [
        "serve",
        "--database-url",
        &db.url,
        "--listen",
        &listen,
        "--data-dir",
        &data_dir,
    ];
    let p = Proc::spawn(&args, &[]);
    let logged = p.logged("no operator account yet");
    assert_eq!(logged.len(), 1, "one link at the first start");
    let link = logged[0]["fields"]["link"]
        .as_str()
        .expect("the link")
        .to_owned();
    let token = link
        .split("/setup?token=")
        .nth(1)
        .expect("a set-up link")
        .to_owned();

    let client = reqwest::Client::new();
    let page = client
        .get(p.url(&format!("/setup?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    // A made-up link sets nothing up.
    let res = client
        .post(p.url("/setup"))
        .form(&[
            ("token", "0".repeat(64).as_str()),
            ("email", "root@educenter.kz"),
            ("full_name", "X"),
            ("password", "Platform-2027!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    let form = |password: &str| {
        vec![
            ("token", token.clone()),
            ("email", "root@educenter.kz".to_owned()),
            ("full_name", "Асель Нурланова".to_owned()),
            ("password", password.to_owned()),
        ]
    };
    // A weak password changes nothing and leaves the link usable.
    let res = client
        .post(p.url("/setup"))
        .form(&form("short"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = client
        .post(p.url("/setup"))
        .form(&form("Platform-2027!"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    // Once only.
    let res = client
        .post(p.url("/setup"))
        .form(&form("Platform-2027!"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 410);
    let res = client
        .post(p.url("/api/v1/auth/login"))
        .json(&json!({ "email": "root@educenter.kz", "password": "Platform-2027!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let token: Value = res.json().await.unwrap();
    // Two-step sign-in is set up first: nothing else answers before it.
    crate::two_step::set_up_at(&client, &p.url(""), token["token"].as_str().unwrap()).await;
    let me: Value = client
        .get(p.url("/api/v1/me"))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "super_admin", "{me}");
    // Once set up, the page is gone.
    let res = client.get(p.url("/setup")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    drop(p);

    // With an operator in place, a restart logs no link.
    let p = Proc::spawn(&args, &[]);
    assert!(p.logged("no operator account yet").is_empty());
    drop(p);
}

/// `educenter demo` fills a fresh data directory and prints the logins; a second run refuses.
#[tokio::test]
async fn demo_fills_a_fresh_data_directory_once() {
    let db = TestDb::create().await;
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "demo",
        "--database-url",
        &db.url,
        "--data-dir",
        dir.path().to_str().unwrap(),
    ];
    let out = command(&args, &[]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for needle in [
        "/s/demo-school/",
        "teacher@demo.educenter.kz",
        "aliya@demo.educenter.kz",
        "Demo-School-2027!",
    ] {
        assert!(stdout.contains(needle), "{needle} missing from:\n{stdout}");
    }
    // The media were stored under the data directory.
    assert!(
        dir.path()
            .join("media")
            .read_dir()
            .unwrap()
            .next()
            .is_some()
    );
    let again = command(&args, &[]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has the demo school"));
}

/// Issue 18, item 1: `educenter backup` from a shell. Without a key nothing runs; `keygen`
/// writes one and never overwrites it; `run`, `list` and `verify` work on the database the
/// suite runs on; `verify` exits non-zero once the stored copy is damaged.
#[tokio::test]
async fn backup_commands_write_list_and_verify_sets() {
    let db = TestDb::create().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let key = dir.path().join("backup.key").display().to_string();
    let target = dir.path().join("target");
    let target_arg = target.display().to_string();
    let text = |out: &std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let base = ["--data-dir", &data, "--database-url", &db.url];
    let with_key = [
        &base[..],
        &["--backup-key-file", &key, "--backup-target", &target_arg],
    ]
    .concat();

    let out = command(&[&["backup", "run"], &base[..]].concat(), &[])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out).contains("no backup key"), "{}", text(&out));

    let out = command(&["backup", "keygen", &key], &[]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("public key: age1"), "{}", text(&out));
    let out = command(&["backup", "keygen", &key], &[]).output().unwrap();
    assert!(!out.status.success(), "a key is never overwritten");

    let out = command(&[&["backup", "run"], &with_key[..]].concat(), &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let set = text(&out)
        .lines()
        .find_map(|l| l.strip_prefix("set ").and_then(|l| l.split(':').next()))
        .expect("the set's id")
        .to_owned();
    let out = command(&[&["backup", "list"], &with_key[..]].concat(), &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains(&set), "{}", text(&out));
    let out = command(&[&["backup", "verify"], &with_key[..]].concat(), &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("is whole"), "{}", text(&out));

    let sets = target.join("sets").join(&set);
    let copy = std::fs::read_dir(&sets)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.display().to_string().contains("database."))
        .expect("the database's copy");
    let mut bytes = std::fs::read(&copy).unwrap();
    let last = bytes.len() - 30;
    bytes[last] ^= 0x55;
    std::fs::write(&copy, bytes).unwrap();
    let out = command(
        &[&["backup", "verify", "--set", &set], &with_key[..]].concat(),
        &[],
    )
    .output()
    .unwrap();
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("differs from its manifest"),
        "{}",
        text(&out)
    );
}

/// Issue 18, item 10: ten times over, a client creates plans through the API as fast as the
/// server acknowledges them and the server is killed with SIGKILL mid-stream; after each
/// restart, and at the end, every plan the server acknowledged (201) is in the database, on the
/// engine the suite runs on.
#[tokio::test]
async fn sigkill_ten_times_while_a_client_writes_loses_no_acknowledged_record() {
    let db = TestDb::create().await;
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_owned();
    let args = [
        "serve",
        "--test-mode",
        "--listen",
        "127.0.0.1:0",
        "--database-url",
        &db.url,
        "--data-dir",
        &data_dir,
        "--admin-email",
        "admin@educenter.test",
    ];
    let envs = [("EDUCENTER_ADMIN_PASSWORD", crate::harness::ADMIN_PASSWORD)];
    let client = reqwest::Client::new();
    let mut acknowledged: Vec<String> = Vec::new();
    // The super-admin sets up two-step sign-in in the first run and signs in with a recovery
    // code in each later one (the test clock may stand still across runs).
    let mut recovery: Vec<String> = Vec::new();
    for round in 0..10 {
        let p = Proc::spawn(&args, &envs);
        let login = client
            .post(p.url("/api/v1/auth/login"))
            .json(&json!({ "email": "admin@educenter.test", "password": crate::harness::ADMIN_PASSWORD, "totp": recovery.pop() }))
            .send()
            .await
            .unwrap();
        assert_eq!(login.status(), 200);
        let token = login.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        if round == 0 {
            recovery = crate::two_step::set_up_at(&client, &p.url(""), &token).await;
        }
        let writer = {
            let (client, url, token) = (client.clone(), p.url("/api/v1/operator/plans"), token);
            tokio::spawn(async move {
                let mut done = Vec::new();
                for i in 0.. {
                    let code = format!("r{round}-{i}");
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({
                            "code": code,
                            "name": { "ru": "Тариф", "kk": "Тариф", "en": "Plan" },
                            "limits": { "students": 10, "staff": 2, "storage_bytes": 1_000_000_000i64, "courses": 3 },
                            "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 1_000_000, "effective_from": "2024-01-01" }],
                        }))
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status() == 201 => done.push(code),
                        Ok(r) => panic!("plan {code}: HTTP {} before the kill", r.status()),
                        // The server died mid-request: this one was never acknowledged.
                        Err(_) => return done,
                    }
                }
                done
            })
        };
        // Let some writes land, then kill the server in the middle of the stream.
        tokio::time::sleep(Duration::from_millis(150 + 40 * round)).await;
        p.sigkill();
        let done = writer.await.unwrap();
        assert!(!done.is_empty(), "round {round} acknowledged nothing");
        acknowledged.extend(done);
    }
    let p = Proc::spawn(&args, &envs);
    let check = Db::connect(&db.url).await.unwrap();
    let stored: Vec<String> = {
        use sqlx::Row;
        sqlx::query("SELECT code FROM plans")
            .fetch_all(check.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String, _>("code").unwrap())
            .collect()
    };
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|c| !stored.contains(c))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged plans were lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
    eprintln!(
        "{} plans acknowledged across 10 kills, all stored",
        acknowledged.len()
    );
    check.close().await;
    drop(p);
}
