//! Benchmark of a quiz taken by a whole school at once (issue 19, item 7).
//!
//!     cargo run --release -p educenter --example quiz_bench -- [DATABASE_URL]
//!
//! Starts the server in this process on a new SQLite file (or DATABASE_URL, whose EduCenter
//! tables must be empty) and fills one school through the services: a published course of one
//! quiz lesson asking 20 multiple-choice questions of the bank (imported from GIFT), and 2 000
//! students enrolled in it (in bulk), each signed in beforehand through the API's sign-in (an
//! API session each). Then every student, each starting at its own moment spread over the same
//! 10 seconds in a scrambled order, takes the quiz through the JSON API with its bearer token
//! (what a student's program does; the attempt page's own routes do the same work behind a
//! form): starts an attempt
//! (`POST /api/v1/quizzes/{id}/attempts`), saves the 20 answers once
//! (`PUT /api/v1/attempts/{id}/answers`) and submits (`POST /api/v1/attempts/{id}/submit`).
//! It prints each kind of request's p50, p99 and slowest time, then counts what the database
//! holds: every attempt graded with full marks and every answer kept.
//! `BENCH_STUDENTS` changes the number of students (default 2 000).

use std::time::{Duration, Instant};

use educenter_server::start;
use educenter_services::{
    content::{self, CourseInput, LessonInput},
    question_bank::{self, ImportInput},
    quizzes::QuizInput,
    sessions::SessionKind,
    store::audit::Origin,
};
use educenter_store::sqlx;
use serde_json::{Value, json};

mod support;
use support::{
    bench_settings, count_statements, insert_students, rss, sign_in, signup_school, statements,
};

const QUESTIONS: usize = 20;

/// 20 questions, each with its right answer first in the file (the attempt shuffles them).
fn gift() -> String {
    (1..=QUESTIONS)
        .map(|i| {
            format!(
                "::Q{i}:: Вопрос {i}: сколько будет {i} + {i}? {{={} ~{} ~{} ~{}}}\n\n",
                2 * i,
                2 * i + 1,
                2 * i - 1,
                3 * i + 5
            )
        })
        .collect()
}

/// The answers to an attempt as the API shows it: the right choice of each question.
fn right_answers(attempt: &Value) -> Value {
    let answers: Vec<Value> = attempt["questions"]
        .as_array()
        .map(|qs| {
            qs.iter()
                .map(|q| {
                    let n: i64 = q["name"].as_str().unwrap_or("Q0")[1..].parse().unwrap_or(0);
                    let right = q["choices"]
                        .as_array()
                        .and_then(|cs| {
                            cs.iter().find(|c| {
                                c["text"]["text"].as_str().map(str::trim)
                                    == Some(&(2 * n).to_string())
                            })
                        })
                        .map(|c| c["id"].clone())
                        .unwrap_or(Value::Null);
                    json!({ "slot": q["slot"], "choices": [right] })
                })
                .collect()
        })
        .unwrap_or_default();
    json!({ "answers": answers })
}

/// The latencies of one kind of request, in order of their size.
struct Timings {
    name: &'static str,
    ms: Vec<f64>,
}

impl Timings {
    fn at(&self, share: f64) -> f64 {
        if self.ms.is_empty() {
            return 0.0;
        }
        let i = ((self.ms.len() as f64 * share).ceil() as usize).clamp(1, self.ms.len());
        self.ms[i - 1]
    }

    fn line(&self) -> String {
        format!(
            "| {} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            self.name,
            self.ms.len(),
            self.at(0.5),
            self.at(0.99),
            self.ms.last().copied().unwrap_or(0.0)
        )
    }
}

/// One student's run: start, save, submit. Each request's time (of those that answered, by
/// kind: 0 start, 1 save, 2 submit), and what went wrong, if anything.
async fn take(
    client: reqwest::Client,
    base: String,
    quiz: String,
    token: String,
    wait: Duration,
) -> (Vec<(usize, f64)>, Option<String>) {
    let mut times = Vec::new();
    let failed = steps(client, base, quiz, token, wait, &mut times)
        .await
        .err();
    (times, failed)
}

async fn steps(
    client: reqwest::Client,
    base: String,
    quiz: String,
    token: String,
    wait: Duration,
    times: &mut Vec<(usize, f64)>,
) -> Result<(), String> {
    tokio::time::sleep(wait).await;
    let call = |method: reqwest::Method, path: String, body: Option<Value>| {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        async move {
            let t0 = Instant::now();
            let mut req = client
                .request(method, format!("{base}{path}"))
                .bearer_auth(token);
            if let Some(b) = body {
                req = req.json(&b);
            }
            let res = req.send().await.map_err(|e| format!("{path}: {e}"))?;
            let status = res.status();
            let text = res.text().await.map_err(|e| format!("{path}: {e}"))?;
            let ms = t0.elapsed().as_secs_f64() * 1000.0;
            if !status.is_success() {
                return Err(format!("{path}: {status} {text}"));
            }
            let v: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            Ok::<_, String>((ms, v))
        }
    };
    let (ms, attempt) = call(
        reqwest::Method::POST,
        format!("/api/v1/quizzes/{quiz}/attempts"),
        None,
    )
    .await?;
    times.push((0, ms));
    let id = attempt["id"].as_str().unwrap_or_default().to_owned();
    let (ms, _) = call(
        reqwest::Method::PUT,
        format!("/api/v1/attempts/{id}/answers"),
        Some(right_answers(&attempt)),
    )
    .await?;
    times.push((1, ms));
    let (ms, done) = call(
        reqwest::Method::POST,
        format!("/api/v1/attempts/{id}/submit"),
        None,
    )
    .await?;
    times.push((2, ms));
    if done["passed"] != json!(true) {
        return Err(format!("attempt {id} not passed: {}", done["score"]));
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // BENCH_STATEMENTS=1 counts the statements of the students' requests (slower: time runs
    // without it).
    count_statements();
    let students: usize = std::env::var("BENCH_STUDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir()?;
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let running = start(bench_settings(dir.path(), &url)?, |_| {}).await?;
    let s = running.services.clone();
    let base = format!("http://{}", running.addr);
    println!("server {base} on {}", running.db.engine().name());

    let t0 = Instant::now();
    let slug = "bench-quiz";
    let owner = signup_school(&s, slug, "123456789013").await?;
    let tenant = owner.tenant_id.clone().expect("tenant");
    let fail = |e| anyhow::anyhow!("{e:?}");
    let imported = question_bank::import(
        &s,
        &owner,
        ImportInput {
            format: educenter_domain::questions::ImportFormat::Gift,
            category: Some("Бенчмарк".into()),
            content: gift().into_bytes(),
            skip_invalid: false,
        },
        Origin::default(),
    )
    .await
    .map_err(fail)?
    .map_err(|r| anyhow::anyhow!("refused: {}", r.len()))?;
    let ids: Vec<String> = imported.imported.iter().map(|q| q.id.clone()).collect();
    anyhow::ensure!(ids.len() == QUESTIONS, "{} questions imported", ids.len());
    let course = content::create_course(
        &s,
        &owner,
        CourseInput {
            title: Some("Курс".into()),
            self_enrol: Some(true),
            ..CourseInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(fail)?;
    let module = content::create_module(&s, &owner, &course.id, "Модуль", Origin::default())
        .await
        .map_err(fail)?;
    let lesson = content::create_lesson(
        &s,
        &owner,
        &course.id,
        LessonInput {
            module_id: Some(module.id.to_string()),
            title: Some("Итоговый тест".into()),
            kind: Some("quiz".into()),
            quiz: Some(QuizInput {
                questions: Some(ids),
                time_limit_minutes: Some(30),
                pass_percent: Some(60),
                ..QuizInput::default()
            }),
            ..LessonInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(fail)?;
    content::update_course(
        &s,
        &owner,
        &course.id,
        CourseInput {
            status: Some("published".into()),
            ..CourseInput::default()
        },
        Origin::default(),
    )
    .await
    .map_err(fail)?;
    insert_students(
        &s,
        &running.db,
        &tenant,
        course.id.as_str(),
        slug,
        students,
        None,
    )
    .await?;
    println!(
        "filled: {students} students, one quiz of {QUESTIONS} questions in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    // Each student signed in beforehand (an API session each), two at a time.
    let t0 = Instant::now();
    let mut tokens = Vec::with_capacity(students);
    for pair in (0..students).collect::<Vec<_>>().chunks(2) {
        let mut signed = Vec::new();
        for i in pair {
            let email = format!("student{i}@{slug}.kz");
            let s = s.clone();
            signed.push(tokio::spawn(async move {
                sign_in(&s, &email, slug, SessionKind::Api).await
            }));
        }
        for h in signed {
            tokens.push(h.await??.0);
        }
    }
    println!(
        "signed in {students} students in {:.1} s ({})",
        t0.elapsed().as_secs_f64(),
        rss()
    );

    statements();
    // Every student within the same 10 seconds, at random moments.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(120))
        .build()?;
    let t0 = Instant::now();
    let mut runs = Vec::with_capacity(students);
    for (i, token) in tokens.into_iter().enumerate() {
        // Spread over the 10 seconds in a scrambled order (7 919 is prime).
        let slot = (i * 7_919) % students;
        let wait = Duration::from_millis((slot * 10_000 / students) as u64);
        runs.push(tokio::spawn(take(
            client.clone(),
            base.clone(),
            lesson.id.to_string(),
            token,
            wait,
        )));
    }
    let mut timings = [
        Timings {
            name: "start an attempt",
            ms: Vec::new(),
        },
        Timings {
            name: "save 20 answers",
            ms: Vec::new(),
        },
        Timings {
            name: "submit",
            ms: Vec::new(),
        },
    ];
    let mut failures = Vec::new();
    for r in runs {
        let (times, failed) = r.await?;
        for (kind, ms) in times {
            timings[kind].ms.push(ms);
        }
        failures.extend(failed);
    }
    let took = t0.elapsed().as_secs_f64();
    let mut all = Timings {
        name: "every request",
        ms: timings.iter().flat_map(|t| t.ms.clone()).collect(),
    };
    for t in timings.iter_mut().chain(std::iter::once(&mut all)) {
        t.ms.sort_by(f64::total_cmp);
    }
    println!(
        "{students} students took the quiz in {took:.1} s ({:.0} requests/s; {})",
        all.ms.len() as f64 / took,
        rss()
    );
    if let Some(first) = failures.first() {
        println!("{} students failed; the first: {first}", failures.len());
    }
    let counted = statements();
    if !counted.is_empty() {
        let all: u64 = counted.iter().map(|(_, n)| n).sum();
        println!(
            "statements per student: {:.1}; the most: {:?}",
            all as f64 / students as f64,
            counted.iter().take(12).collect::<Vec<_>>()
        );
    }
    println!("| Request | Count | p50 | p99 | Slowest |\n|---|---|---|---|---|");
    for t in timings.iter().chain(std::iter::once(&all)) {
        println!("{}", t.line());
    }
    // What the database holds: each attempt graded with full marks, each answer kept (a
    // question left blank would have its grade's row too, with no response).
    let mut conn = running.db.conn().await?;
    let graded: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM quiz_attempts WHERE tenant_id = $1 AND state = 'graded' \
         AND score = max_score",
    )
    .bind(tenant.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let answers: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM quiz_answers WHERE tenant_id = $1 AND response IS NOT NULL \
         AND fraction IS NOT NULL",
    )
    .bind(tenant.as_str())
    .fetch_one(&mut *conn)
    .await?;
    drop(conn);
    println!(
        "stored: {graded} attempts graded in full of {students}, {answers} answers kept and graded of {}",
        students * QUESTIONS
    );
    running.shutdown().await;
    anyhow::ensure!(
        failures.is_empty()
            && graded == students as i64
            && answers == (students * QUESTIONS) as i64,
        "something was lost"
    );
    Ok(())
}
