//! Issue 15, item 4: the purge deletes the school (R-4.4a, R-8.2, A-14). 60 days after it
//! lapsed, refused or was terminated, a school's courses, files (from the media store too),
//! students with their enrolments, progress and consents, staff and sessions are gone; its own
//! record, contracts, invoices, payments and acts stay; its audit trail is pseudonymised.

use serde_json::json;
use sqlx::Row;

use crate::{
    given,
    harness::TestApp,
    learning::{mp4, student_signs_up, upload},
    staff::hire,
};

const SLUG: &str = "alma-school";
const OWNER: &str = "owner@alma.kz";

/// Rows of `sql` (with `$1` the school's id).
async fn rows(app: &TestApp, tenant: &str, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(tenant)
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// What the purge deletes, counted in the database: (courses, modules, lessons, files,
/// students, staff, enrolments, progress, consents, groups, live sessions, tokens).
async fn school_data(app: &TestApp, tenant: &str) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM courses WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM course_modules WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM lessons WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM media WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'learner'",
        "SELECT COUNT(*) FROM users WHERE tenant_id = $1 AND kind = 'staff'",
        "SELECT COUNT(*) FROM enrolments WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM lesson_progress WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM learner_consents WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM learner_groups WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM sessions WHERE tenant_id = $1",
        "SELECT COUNT(*) FROM api_tokens WHERE tenant_id = $1",
    ] {
        out.push(rows(app, tenant, sql).await);
    }
    out
}

#[tokio::test]
async fn sixty_days_after_the_lapse_the_school_is_deleted_but_its_money_records_stay() {
    // Paid on Mon 2026-11-02 for one month: 2026-11-03..2026-12-02 (L). Not renewed, the
    // contract lapses at L + 7 = 2026-12-09; the data is kept until 2027-02-07, and the owner is
    // warned on 2027-01-24 (the latest day with 10 business days before the purge).
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).licence(1).await;
    let owner = alma.owner_token.clone();
    let tenant = alma.tenant_id(&app).await;
    hire(&app, &owner, "asel@alma.kz", "teacher").await;
    let video = upload(&app, &owner, "lesson.mp4", mp4(4096), Some("video")).await;
    let algebra = given::course(&app, &owner, "Алгебра")
        .published()
        .self_enrol()
        .module("Уравнения")
        .text_lesson("Линейные", "x = 1")
        .lesson(json!({ "title": "Видео", "kind": "video", "media_id": video["id"] }))
        .create()
        .await;
    let (course, lesson) = (algebra.id, &algebra.lessons[0]);
    app.call(
        "POST",
        "/api/v1/groups",
        &owner,
        Some(json!({ "name": "7А" })),
    )
    .await;
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let res = student
        .post_form(&format!("/s/{SLUG}/lessons/{lesson}/complete"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let before = school_data(&app, &tenant).await;
    assert_eq!(&before[..10], [1, 1, 2, 1, 1, 1, 1, 1, 1, 1], "{before:?}");
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 1);

    app.set_clock("2026-12-09T00:30:00+05:00").await;
    let owner = alma.sign_in(&app).await;
    let licence = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    assert_eq!(licence["state"], "lapsed");
    assert_eq!(licence["purge_on"], "2027-02-07");
    // Lapsed: the site and its course pages answer 503 without naming the course.
    let site = app.get(&format!("/s/{SLUG}/courses/{course}")).await;
    assert_eq!(site.status, 503);
    assert!(!site.text.contains("Алгебра"));

    let warned = async || {
        app.mail_to(OWNER)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("будут удалены"))
            .collect::<Vec<_>>()
    };
    app.set_clock("2027-01-23T12:00:00+05:00").await;
    assert!(warned().await.is_empty());
    app.set_clock("2027-01-24T12:00:00+05:00").await;
    let warning = warned().await;
    assert_eq!(warning.len(), 1);
    // The warning says exactly what goes and when.
    for what in [
        "7 февраля 2027 г.",
        "курсы, модули и уроки",
        "видео, аудио, документы",
        "учётные записи учеников, их записи на курсы, прогресс и согласия",
        "учётные записи сотрудников",
        "счета, платежи и акты",
    ] {
        assert!(
            warning[0].text.contains(what),
            "{what}: {}",
            warning[0].text
        );
    }
    assert_eq!(
        school_data(&app, &tenant).await[..10],
        before[..10],
        "nothing before the day"
    );

    let student_mail = "SELECT COUNT(*) FROM mail_outbox WHERE to_address = 'dana@mail.kz' \
                        AND $1 <> ''";
    assert!(rows(&app, &tenant, student_mail).await > 0);

    app.set_clock("2027-02-07T00:30:00+05:00").await;
    assert_eq!(school_data(&app, &tenant).await, vec![0; 12]);
    // The student's mail (links, codes, the school's words to them) is gone with the school.
    assert_eq!(rows(&app, &tenant, student_mail).await, 0);
    // The audit trail keeps what happened, without anyone's address, browser or e-mail.
    let trail = sqlx::query("SELECT ip, user_agent, details, pseudonymised_at FROM audit_log WHERE tenant_id = $1 AND action <> 'tenant.purge'")
        .bind(tenant.as_str())
        .fetch_all(app.store().pool())
        .await
        .unwrap();
    assert!(trail.len() > 10);
    for row in &trail {
        assert_eq!(row.get::<Option<String>, _>("ip"), None);
        assert_eq!(row.get::<Option<String>, _>("user_agent"), None);
        assert!(row.get::<Option<i64>, _>("pseudonymised_at").is_some());
        let details: String = row.get("details");
        for personal in ["dana@mail.kz", "asel@alma.kz", "Асель", "Әлия"] {
            assert!(!details.contains(personal), "{details}");
        }
    }
    // The audit log stays append-only otherwise.
    let tampered = sqlx::query("UPDATE audit_log SET action = 'x' WHERE tenant_id = $1")
        .bind(tenant.as_str())
        .execute(app.store().pool())
        .await;
    assert!(tampered.is_err());
    let owner = alma.sign_in(&app).await;
    let licence = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    assert_eq!(licence["state"], "purged");
    // The files are gone from the media store, not only their rows.
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 0);
    // The money records and contracts stay, and the owner still reads them.
    // The paid invoice, the renewal voided at L + 7 and the new contract's invoice.
    assert_eq!(
        rows(
            &app,
            &tenant,
            "SELECT COUNT(*) FROM invoices WHERE tenant_id = $1"
        )
        .await,
        3
    );
    assert_eq!(
        rows(
            &app,
            &tenant,
            "SELECT COUNT(*) FROM payments WHERE tenant_id = $1"
        )
        .await,
        1
    );
    assert!(
        rows(
            &app,
            &tenant,
            "SELECT COUNT(*) FROM acts WHERE tenant_id = $1"
        )
        .await
            >= 1
    );
    assert_eq!(
        rows(
            &app,
            &tenant,
            "SELECT COUNT(*) FROM contracts WHERE tenant_id = $1"
        )
        .await,
        1
    );
    let invoices = app.call("GET", "/api/v1/invoices", &owner, None).await;
    assert_eq!(invoices.status, 200);
    assert_eq!(invoices.items().as_array().unwrap().len(), 3);
    // The site is gone; the student's sign-in finds no school.
    assert_eq!(app.get(&format!("/s/{SLUG}/")).await.status, 404);
    drop(student);
    app.stop().await;
}

#[tokio::test]
async fn a_terminated_school_gets_the_same_sixty_days_and_purge() {
    // Notice filed Mon 2026-11-09: in force through the 10th business day, Mon 2026-11-23;
    // terminated at 2026-11-24 00:00, the data kept until 2027-01-23.
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).licence(3).await;
    let tenant = alma.tenant_id(&app).await;
    let owner = &alma.owner_token;
    upload(&app, owner, "notes.mp4", mp4(2048), Some("video")).await;
    student_signs_up(&app, SLUG, "dana@mail.kz").await;
    app.set_clock("2026-11-09T10:00:00+05:00").await;
    let owner = alma.sign_in(&app).await;
    let notice = app.call("POST", "/api/v1/termination", &owner, None).await;
    assert_eq!(notice.status, 201, "{}", notice.text);
    assert_eq!(notice.json()["effective_on"], "2026-11-23");
    app.set_clock("2026-11-24T00:30:00+05:00").await;
    let owner = alma.sign_in(&app).await;
    let licence = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    assert_eq!(licence["state"], "terminated");
    assert_eq!(licence["purge_on"], "2027-01-23");
    app.set_clock("2027-01-23T00:30:00+05:00").await;
    assert!(
        app.mail_to(OWNER)
            .await
            .iter()
            .any(|m| m.subject.contains("будут удалены")),
        "warned"
    );
    let data = school_data(&app, &tenant).await;
    assert_eq!(data, vec![0; 12]);
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 0);
    app.stop().await;
}
