//! Benchmark of the school's learning pages and media (issue 6, item 12).
//!
//!     cargo run --release -p educenter --example learning_bench -- [DATABASE_URL]
//!
//! Starts the server in this process on a new SQLite file (or DATABASE_URL, whose EduCenter
//! tables must be empty), fills school A with 10 000 students and 200 lessons and school B with
//! ten times more, then drives it with `wrk` (Debian's package) from another process:
//!
//! 1. `/healthz`, school A's student lesson page and `GET /api/v1/courses/{id}/lessons`, 64
//!    connections for 10 s each, and the ratio of each to `/healthz` in the same run;
//! 2. random 1 MiB ranges of a 1 GiB file through a signed media link, and the same ranges of
//!    the same file from nginx (Debian's package) in the same run, 16 connections for 10 s
//!    each; the server's memory before and after. With `BENCH_MEDIA_STORE=s3://BUCKET/PREFIX`
//!    (and the `AWS_*` variables) the file lives on that S3-compatible store.

use std::{process::Command, time::Instant};

use bytes::Bytes;
use educenter_server::start;
use educenter_services::{
    Services,
    access::Principal,
    content::{self, CourseInput, LessonInput},
    media,
    sessions::SessionKind,
    store::audit::Origin,
};

mod support;
use support::{bench_settings, insert_students, rss, sign_in, signup_school};

/// A school with `students` students (all enrolled, each with the first lesson complete) and
/// `lessons` lessons in modules of 20; returns (course id, first lesson id, owner).
async fn school(
    s: &Services,
    db: &educenter_store::Db,
    slug: &str,
    bin: &str,
    students: usize,
    lessons: usize,
) -> anyhow::Result<(String, String, Principal)> {
    let owner = signup_school(s, slug, bin).await?;
    let tenant = owner.tenant_id.clone().expect("tenant");
    let course = content::create_course(
        s,
        &owner,
        CourseInput {
            title: Some("Курс".into()),
            self_enrol: Some(true),
            ..CourseInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let mut first = None;
    let mut module = String::new();
    for i in 0..lessons {
        if i % 20 == 0 {
            module = content::create_module(
                s,
                &owner,
                &course.id,
                &format!("Модуль {}", i / 20 + 1),
                Origin::default(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
            .id
            .into_string();
        }
        let l = content::create_lesson(
            s,
            &owner,
            &course.id,
            LessonInput {
                module_id: Some(module.clone()),
                title: Some(format!("Урок {}", i + 1)),
                body: Some(format!(
                    "# Урок {}\n\n**Текст** урока, [ссылка](https://example.kz).",
                    i + 1
                )),
                ..LessonInput::default()
            },
            Origin::default(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        first.get_or_insert(l.id);
    }
    let first = first.expect("a lesson");
    content::update_course(
        s,
        &owner,
        &course.id,
        CourseInput {
            status: Some("published".into()),
            ..CourseInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    // Students, enrolments and progress in bulk.
    insert_students(
        s,
        db,
        &tenant,
        course.id.as_str(),
        slug,
        students,
        Some(first.as_str()),
    )
    .await?;
    Ok((course.id.into_string(), first.into_string(), owner))
}

/// This process's CPU time so far (user and system, every thread), from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's name, which is in parentheses: utime and stime are the
    // 12th and 13th of them, in clock ticks of 1/100 s (USER_HZ).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: Vec<f64> = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse().ok())
        .collect();
    ticks.iter().sum::<f64>() / 100.0
}

/// The server's CPU time per request of the last run, in microseconds (set by [`wrk`]).
static CPU_PER_REQUEST: std::sync::Mutex<f64> = std::sync::Mutex::new(0.0);

/// Runs wrk and returns (requests/s, p99 in ms, transfer/s as printed); the server's CPU time
/// per request, counted until 1.5 s after the run (the access log's writer writes a second's
/// requests a second later), goes to [`CPU_PER_REQUEST`].
fn wrk(args: &[&str]) -> anyhow::Result<(f64, f64, String)> {
    let cpu_before = cpu_seconds();
    let out = Command::new("wrk").args(args).output()?;
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let cpu = cpu_seconds() - cpu_before;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    anyhow::ensure!(out.status.success(), "wrk failed: {text}");
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
            .unwrap_or_default()
    };
    let rate: f64 = field("Requests/sec:").parse().unwrap_or(0.0);
    let p99 = field("99%");
    let p99_ms = if let Some(v) = p99.strip_suffix("ms") {
        v.parse().unwrap_or(0.0)
    } else if let Some(v) = p99.strip_suffix("us") {
        v.parse::<f64>().unwrap_or(0.0) / 1000.0
    } else if let Some(v) = p99.strip_suffix('s') {
        v.parse::<f64>().unwrap_or(0.0) * 1000.0
    } else {
        0.0
    };
    let non2xx = text
        .lines()
        .find(|l| l.contains("Non-2xx"))
        .map(str::to_owned);
    anyhow::ensure!(
        non2xx.is_none(),
        "errors during the run: {non2xx:?}\n{text}"
    );
    let total = text
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .unwrap_or(0.0);
    if total > 0.0 {
        *CPU_PER_REQUEST.lock().unwrap() = cpu / total * 1e6;
    }
    Ok((rate, p99_ms, field("Transfer/sec:")))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let settings = bench_settings(dir.path(), &url)?;
    let running = start(settings, |_| {}).await?;
    let s = running.services.clone();
    let base = format!("http://{}", running.addr);
    println!("server {base} on {}", running.db.engine().name());

    let t0 = Instant::now();
    let (course_a, lesson_a, owner_a) =
        school(&s, &running.db, "bench-a", "123456789013", 10_000, 200).await?;
    school(&s, &running.db, "bench-b", "900101300007", 100_000, 2_000).await?;
    println!(
        "filled: A 10 000 students / 200 lessons, B 100 000 / 2 000 in {:.1} s",
        t0.elapsed().as_secs_f64()
    );

    let (student_cookie, _) =
        sign_in(&s, "student42@bench-a.kz", "bench-a", SessionKind::Web).await?;
    let (owner_token, _) = sign_in(&s, "owner@bench-a.kz", "bench-a", SessionKind::Api).await?;
    let cookie = format!("Cookie: session={student_cookie}");
    let bearer = format!("Authorization: Bearer {owner_token}");
    let page = format!("{base}/s/bench-a/lessons/{lesson_a}");
    let api = format!("{base}/api/v1/courses/{course_a}/lessons");
    let health = format!("{base}/healthz");
    let common = ["-t2", "-c64", "-d10s", "--latency"];
    let run = |extra: &[&str], target: &str| {
        let mut args: Vec<&str> = common.to_vec();
        args.extend_from_slice(extra);
        args.push(target);
        wrk(&args)
    };
    let (h_rate, h_p99, _) = run(&[], &health)?;
    println!(
        "| /healthz | {h_rate:.0} req/s | p99 {h_p99:.2} ms | 100% | {:.1} us CPU/request |",
        CPU_PER_REQUEST.lock().unwrap()
    );
    // One trivial query: what a single round trip to the database costs.
    let (r_rate, r_p99, _) = run(&[], &format!("{base}/readyz"))?;
    println!(
        "| /readyz (one query) | {r_rate:.0} req/s | p99 {r_p99:.2} ms | {:.0}% |",
        r_rate / h_rate * 100.0
    );
    let (p_rate, p_p99, p_transfer) = run(&["-H", &cookie], &page)?;
    println!(
        "| student lesson page | {p_rate:.0} req/s | p99 {p_p99:.2} ms | {:.0}% | {p_transfer}/s | {:.1} us CPU/request |",
        p_rate / h_rate * 100.0,
        CPU_PER_REQUEST.lock().unwrap()
    );
    let (a_rate, a_p99, a_transfer) = run(&["-H", &bearer], &api)?;
    println!(
        "| GET /api/v1/courses/{{id}}/lessons (200 lessons) | {a_rate:.0} req/s | p99 {a_p99:.2} ms | {:.0}% | {a_transfer}/s | {:.1} us CPU/request |",
        a_rate / h_rate * 100.0,
        CPU_PER_REQUEST.lock().unwrap()
    );
    if std::env::var("BENCH_SKIP_MEDIA").is_ok_and(|v| v == "1") {
        running.shutdown().await;
        return Ok(());
    }

    // A 1 GiB file through the media store.
    const GIB: u64 = 1 << 30;
    let chunk = Bytes::from(
        (0..(1 << 20))
            .map(|i| (i * 31 % 251) as u8)
            .collect::<Vec<u8>>(),
    );
    let body =
        futures::stream::iter((0..1024).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    let t0 = Instant::now();
    let m = media::upload(
        &s,
        &owner_a,
        media::UploadInput {
            filename: "big.bin".into(),
            length: Some(GIB),
            expect: None,
        },
        body,
        Origin::default(),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "uploaded 1 GiB in {:.1} s ({})",
        t0.elapsed().as_secs_f64(),
        rss()
    );
    let (link, _) = media::link(&s, &owner_a, &m.id)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let stored = dir
        .path()
        .join("media")
        .join(m.tenant_id.as_str())
        .join(m.id.as_str());
    // nginx serving the same file.
    let root = dir.path().join("nginx");
    std::fs::create_dir_all(&root)?;
    if stored.exists() {
        std::fs::hard_link(&stored, root.join("big.bin"))?;
    } else {
        // The media are on an S3-compatible store: nginx gets the same bytes from a file.
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(root.join("big.bin"))?);
        let mib: Vec<u8> = (0..(1 << 20)).map(|i| (i * 31 % 251) as u8).collect();
        for _ in 0..1024 {
            f.write_all(&mib)?;
        }
        f.flush()?;
    }
    let port = 18_000 + (std::process::id() % 1000) as u16;
    let conf = dir.path().join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "daemon off; worker_processes 2; pid {d}/nginx.pid; error_log {d}/nginx-error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; sendfile on; tcp_nopush on;\n\
               client_body_temp_path {d}; proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
               server {{ listen 127.0.0.1:{port}; root {root}; location / {{ }} }} }}\n",
            d = dir.path().display(),
            root = root.display()
        ),
    )?;
    let mut nginx = Command::new("nginx")
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(dir.path())
        .spawn()?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    let script = dir.path().join("ranges.lua");
    std::fs::write(
        &script,
        "math.randomseed(42)\nlocal size = 1073741824\nlocal len = 1048576\n\
         request = function()\n  local s = math.random(0, size - len)\n  \
         return wrk.format(\"GET\", nil, {[\"Range\"] = \"bytes=\" .. s .. \"-\" .. (s + len - 1)})\nend\n",
    )?;
    let script = script.display().to_string();
    let ranges = ["-t2", "-c16", "-d10s", "--latency", "-s", script.as_str()];
    let before = rss();
    let ours = format!("{base}{link}");
    let (o_rate, o_p99, o_transfer) = wrk(&[&ranges[..], &[ours.as_str()]].concat())?;
    let theirs = format!("http://127.0.0.1:{port}/big.bin");
    let (n_rate, n_p99, n_transfer) = wrk(&[&ranges[..], &[theirs.as_str()]].concat())?;
    // `nginx -s quit` stops the master and its workers (a killed master leaves its workers
    // running, holding the terminal's output open).
    let _ = Command::new("nginx")
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(dir.path())
        .args(["-s", "quit"])
        .status();
    let _ = nginx.wait();
    println!(
        "| educenter media link | {o_rate:.0} ranges/s | {o_transfer} | p99 {o_p99:.1} ms | {:.0}% of nginx |",
        o_rate / n_rate * 100.0
    );
    println!(
        "| nginx, same file | {n_rate:.0} ranges/s | {n_transfer} | p99 {n_p99:.1} ms | 100% |"
    );
    println!(
        "server memory before the ranges: {before}; after: {}",
        rss()
    );
    running.shutdown().await;
    Ok(())
}
