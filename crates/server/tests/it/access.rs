//! Issue 15, items 1 and 2: what a school reaches outside its licence and under a block (SPEC
//! 3.0, R-4.1b, R-2.5a, R-2.8, R-3.5.4). The owner keeps billing, documents, the offer and the
//! contract; everyone else (the owner's own calls elsewhere, staff, programs) is refused with
//! 403 `licence_inactive` or `blocked`; the school's site, course pages, media links and
//! learner sign-up and sign-in answer a neutral 503.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{ADMIN_PASSWORD, Browser, OWNER_PASSWORD, Res, TestApp, error_fields},
    learning::{STUDENT_PASSWORD, mp4, upload},
    staff::hire,
};

const SLUG: &str = "alma-school";
const OWNER: &str = "owner@alma.kz";

/// API routes without a path parameter that the owner keeps while the school may not work
/// (GET). Every other documented GET route of a school answers 403 then.
const KEPT: &[&str] = &[
    "/api/v1/me",
    "/api/v1/license",
    "/api/v1/invoices",
    "/api/v1/acts",
    "/api/v1/documents/settings",
    "/api/v1/termination",
    // The person's own two-step sign-in.
    "/api/v1/me/mfa/totp",
    // One's own sessions.
    "/api/v1/me/sessions",
    // The deletion of the school's account, which the owner may undo.
    "/api/v1/school/deletion",
    // The school's force majeure notices and the platform's events affecting it.
    "/api/v1/force-majeure",
];

/// Routes any visitor reads (no school credentials needed), and test-mode and operator routes.
fn not_a_schools(path: &str) -> bool {
    path.starts_with("/api/v1/operator/")
        || path.starts_with("/api/v1/test/")
        || matches!(
            path,
            "/api/v1/plans"
                | "/api/v1/services"
                | "/api/v1/offer"
                | "/api/v1/embed-hosts"
                | "/healthz"
                | "/readyz"
        )
}

/// What a closed school shows: a neutral 503 page that names nothing of the school.
fn unavailable(res: &Res, names: &[&str]) {
    assert_eq!(res.status, 503, "{}", res.text);
    assert!(res.text.contains("Временно недоступно"), "{}", res.text);
    for name in names {
        assert!(!res.text.contains(name), "{name} shows: {}", res.text);
    }
}

/// A school in its trial with a teacher, a published open course «Алгебра» with a video lesson,
/// an enrolled student (signed in on the site) and the owner's read token: (owner session,
/// course id, the owner's signed link to the video, the student's browser, the owner's token).
struct School<'a> {
    owner: String,
    course: String,
    media: String,
    media_link: String,
    student: Browser<'a>,
    token: String,
}

async fn school(app: &TestApp) -> School<'_> {
    let alma = given::alma(app).await;
    let owner = alma.owner_token.clone();
    hire(app, &owner, "asel@alma.kz", "teacher").await;
    let video = upload(app, &owner, "lesson.mp4", mp4(4096), Some("video")).await;
    let course = given::course(app, &owner, "Алгебра")
        .published()
        .self_enrol()
        .module("Уравнения")
        .lesson(json!({ "title": "Линейные", "kind": "video", "media_id": video["id"] }))
        .create()
        .await
        .id;
    let media_link = given::media_link(app, &owner, &video).await;
    let student = given::student(app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let token = given::api_token(app, &owner, "sync", "read").await.secret;
    School {
        owner,
        course,
        media: video["id"].as_str().unwrap().to_owned(),
        media_link,
        student,
        token,
    }
}

/// A new signed link to the lesson's video for the owner (a link works for an hour).
async fn fresh_link<'a>(app: &TestApp, s: School<'a>) -> School<'a> {
    let owner = app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    let res = app
        .call("GET", &format!("/api/v1/media/{}", s.media), &owner, None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    School {
        media_link: res.json()["url"].as_str().unwrap().to_owned(),
        owner,
        ..s
    }
}

/// The problem type's last segment.
fn problem_type(res: &Res, status: u16) -> String {
    let body = res.problem(status);
    body["type"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// The site, a course page, sign-up, sign-in and a media link of a closed school: 503 with
/// nothing of the school's content.
async fn site_is_closed(app: &TestApp, s: &School<'_>) {
    let visitor = app.browser();
    for path in [
        format!("/s/{SLUG}/"),
        format!("/s/{SLUG}/courses/{}", s.course),
        format!("/s/{SLUG}/signup"),
        format!("/s/{SLUG}/login"),
    ] {
        unavailable(
            &visitor.get(&path).await,
            &["Алгебра", "School alma-school"],
        );
    }
    let res = visitor
        .post_form(
            &format!("/s/{SLUG}/signup"),
            &[
                ("full_name", "Ерлан"),
                ("email", "erlan@mail.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
            ],
        )
        .await;
    unavailable(&res, &["Алгебра"]);
    let res = visitor
        .post_form(
            &format!("/s/{SLUG}/login"),
            &[("email", "dana@mail.kz"), ("password", STUDENT_PASSWORD)],
        )
        .await;
    unavailable(&res, &["Алгебра"]);
    // The signed-in student is shut out too.
    unavailable(&s.student.get(&format!("/s/{SLUG}/my")).await, &["Алгебра"]);
    let res = app.get(&s.media_link).await;
    assert_eq!(res.status, 503, "{}", res.text);
}

#[tokio::test]
async fn outside_the_licence_the_owner_keeps_billing_and_the_site_is_unavailable() {
    // R-4.1b: created Mon 2026-11-02 10:00 -> the trial runs through 2026-11-16; at
    // 2026-11-17 00:00 the school is trial_expired.
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let s = school(&app).await;
    let owner_page = app.browser();
    owner_page.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    assert_eq!(app.get(&format!("/s/{SLUG}/")).await.status, 200);
    app.set_clock("2026-11-16T23:30:00+05:00").await;
    let s = fresh_link(&app, s).await;
    assert_eq!(app.get(&s.media_link).await.status, 200);

    app.set_clock("2026-11-17T00:00:00+05:00").await;
    let owner = app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    let teacher = app
        .token_for("asel@alma.kz", "Teacher-2027!", Some(SLUG))
        .await;
    assert_eq!(
        app.call("GET", "/api/v1/license", &owner, None)
            .await
            .json()["state"],
        "trial_expired"
    );
    // Every documented GET of a school: the owner's session reaches the kept part only.
    let doc = app.get("/api/openapi.json").await.json();
    let mut refused = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path.contains('{') || item.get("get").is_none() || not_a_schools(path) {
            continue;
        }
        let res = app.call("GET", path, &owner, None).await;
        if KEPT.contains(&path.as_str()) {
            assert!(
                res.status == 200 || res.status == 404,
                "{path} is the owner's: {}",
                res.text
            );
        } else {
            assert_eq!(res.status, 403, "{path} is not kept: {}", res.text);
            assert_eq!(problem_type(&res, 403), "licence_inactive", "{path}");
            refused += 1;
        }
    }
    assert!(refused >= 6, "only {refused} routes were refused");
    // Staff and programs, the owner's own token included, are refused everywhere.
    for token in [&teacher, &s.token] {
        for path in ["/api/v1/me", "/api/v1/invoices", "/api/v1/courses"] {
            let res = app.call("GET", path, token, None).await;
            assert_eq!(problem_type(&res, 403), "licence_inactive", "{path}");
        }
    }
    // In the browser every other cabinet page leads to billing, whose banner says why.
    owner_page.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    for path in [
        "/cabinet",
        "/cabinet/courses",
        "/cabinet/students",
        "/cabinet/trash",
        &format!("/cabinet/courses/{}", s.course),
    ] {
        let res = owner_page.get(path).await;
        assert_eq!(res.status, 303, "{path}: {}", res.text);
        assert_eq!(res.header("location"), "/cabinet/billing", "{path}");
    }
    let billing = owner_page.get("/cabinet/billing").await;
    assert_eq!(billing.status, 200);
    assert!(
        billing
            .text
            .contains("Пробный период закончился. Пока вы не подадите заявку"),
        "{}",
        billing.text
    );
    for path in ["/cabinet/documents", "/cabinet/contract", "/offer"] {
        assert_eq!(owner_page.get(path).await.status, 200, "{path}");
    }
    let staff_page = app.browser();
    staff_page
        .sign_in("asel@alma.kz", "Teacher-2027!", SLUG)
        .await;
    let res = staff_page.get("/cabinet/courses").await;
    assert_eq!(res.status, 403);
    assert!(res.text.contains("Школа ждёт оплаты"));
    site_is_closed(&app, &s).await;

    // Paid on 2026-11-20: everything works again, and the site shows the course.
    app.set_clock("2026-11-20T10:00:00+05:00").await;
    let owner = app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    app.buy_licence(&owner, 1).await;
    let teacher = app
        .token_for("asel@alma.kz", "Teacher-2027!", Some(SLUG))
        .await;
    owner_page.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let site = app.get(&format!("/s/{SLUG}/")).await;
    assert_eq!(site.status, 200);
    assert!(site.text.contains("Алгебра"));
    assert_eq!(
        app.call("GET", "/api/v1/courses", &teacher, None)
            .await
            .status,
        200
    );
    // Each button says what it saves.
    let courses = owner_page.get("/cabinet/settings/brand").await;
    assert_eq!(courses.status, 200);
    assert!(
        courses
            .text
            .contains(r#"id="save-logo">Сохранить логотип</button>"#),
        "{}",
        courses.text
    );
    let s = fresh_link(&app, s).await;
    assert_eq!(app.get(&s.media_link).await.status, 200);
    drop((owner_page, staff_page));
    app.stop().await;
}

#[tokio::test]
async fn a_trial_runs_under_the_trial_plans_limits() {
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let owner = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    // Without a trial plan: the built-in limits, 10 courses.
    for n in 1..=10 {
        let res = app
            .call(
                "POST",
                "/api/v1/courses",
                &owner,
                Some(json!({ "title": format!("Курс {n}") })),
            )
            .await;
        assert_eq!(res.status, 201, "{n}: {}", res.text);
    }
    let res = app
        .call(
            "POST",
            "/api/v1/courses",
            &owner,
            Some(json!({ "title": "Курс 11" })),
        )
        .await;
    assert!(res.problem(403)["detail"].as_str().unwrap().contains("10"));

    // The super-admin chooses a small trial plan: 4 KB of storage, so a trial cannot upload
    // without bound.
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans",
            &admin,
            Some(json!({
                "code": "probe",
                "name": { "ru": "Проба", "kk": "Сынақ", "en": "Probe" },
                "limits": { "students": 3, "staff": 1, "storage_bytes": 4096, "courses": 20 },
                "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 1_000_000, "effective_from": "2026-01-01" }],
            })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let bad = app
        .call(
            "PUT",
            "/api/v1/operator/trial-plan",
            &admin,
            Some(json!({ "plan": "nope" })),
        )
        .await;
    assert_eq!(error_fields(&bad.problem(422)), ["plan"]);
    let set = app
        .call(
            "PUT",
            "/api/v1/operator/trial-plan",
            &admin,
            Some(json!({ "plan": "probe" })),
        )
        .await;
    assert_eq!(set.json(), json!({ "plan": "probe" }));
    // Only the super-admin chooses it.
    app.call(
        "PUT",
        "/api/v1/operator/trial-plan",
        &owner,
        Some(json!({ "plan": null })),
    )
    .await
    .problem(403);
    let licence = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    assert_eq!(licence["limits"]["storage_bytes"], 4096);
    upload(&app, &owner, "a.mp4", mp4(3000), Some("video")).await;
    let res = crate::learning::send_upload(&app, &owner, "b.mp4", mp4(2000), Some("video")).await;
    assert!(
        res.problem(403)["detail"]
            .as_str()
            .unwrap()
            .contains("allows 4.09\u{a0}kB of storage")
    );
    // Back to the built-in limits through the back office's page.
    let page = app.browser();
    page.sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let form = page.get("/operator/billing/trial-plan").await;
    assert!(form.text.contains("Встроенные лимиты"), "{}", form.text);
    let res = page
        .post_form("/operator/billing/trial-plan", &[("plan", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/operator/trial-plan", &admin, None)
            .await
            .json(),
        json!({ "plan": null })
    );
    drop(page);
    app.stop().await;
}

/// Creates a compliance officer and returns their token.
async fn compliance(app: &TestApp) -> String {
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        "compliance@educenter.test",
        "Комплаенс",
        educenter_domain::roles::OperatorRole::Compliance,
        "Rules-2027!!",
    )
    .await
    .unwrap();
    app.token_for("compliance@educenter.test", "Rules-2027!!", None)
        .await
}

#[tokio::test]
async fn a_block_closes_the_school_and_a_breach_becomes_a_termination() {
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let s = school(&app).await;
    app.buy_licence(&s.owner, 3).await;
    let officer = compliance(&app).await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let tenant = app.tenant_of(&s.owner).await;
    let block = format!("/api/v1/operator/tenants/{tenant}/block");

    // Only the compliance officer blocks, and never without an internal note.
    app.call(
        "POST",
        &block,
        &admin,
        Some(json!({ "reason": "illegal_content", "note": "Жалоба №7" })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            &block,
            &officer,
            Some(json!({ "reason": "illegal_content" })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["note"]);
    assert_eq!(app.get(&format!("/s/{SLUG}/")).await.status, 200);

    // Blocked at 12:00 for illegal content.
    app.set_clock("2026-11-10T12:00:00+05:00").await;
    let s = fresh_link(&app, s).await;
    let staff_page = app.browser();
    staff_page
        .sign_in("asel@alma.kz", "Teacher-2027!", SLUG)
        .await;
    let officer = app
        .token_for("compliance@educenter.test", "Rules-2027!!", None)
        .await;
    let teacher = app
        .token_for("asel@alma.kz", "Teacher-2027!", Some(SLUG))
        .await;
    let res = app
        .call(
            "POST",
            &block,
            &officer,
            Some(json!({ "reason": "illegal_content", "note": "Жалоба №7: урок 3 копирует чужой курс" })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    // Staff and programs get 403 `blocked`, the owner's own calls outside billing too.
    for (token, path) in [
        (&teacher, "/api/v1/me"),
        (&teacher, "/api/v1/courses"),
        (&s.token, "/api/v1/invoices"),
        (&s.owner, "/api/v1/courses"),
        (&s.owner, "/api/v1/staff"),
    ] {
        let res = app.call("GET", path, token, None).await;
        assert_eq!(problem_type(&res, 403), "blocked", "{path}");
    }
    for path in [
        "/api/v1/invoices",
        "/api/v1/license",
        "/api/v1/acts",
        "/api/v1/me",
    ] {
        let res = app.call("GET", path, &s.owner, None).await;
        assert_eq!(res.status, 200, "{path}: {}", res.text);
    }
    let res = app.login("asel@alma.kz", "Teacher-2027!", Some(SLUG)).await;
    assert_eq!(problem_type(&res, 403), "blocked");
    site_is_closed(&app, &s).await;
    // The owner's message says the cabinet is blocked and how to reach support, not why.
    let mail = app.mail_to(OWNER).await;
    let blocked = mail
        .iter()
        .find(|m| m.subject.contains("заблокирован"))
        .expect("the owner is told");
    assert!(
        blocked.text.contains("info@educenter.kz"),
        "{}",
        blocked.text
    );
    for why in ["незаконн", "Жалоба", "причина"] {
        assert!(!blocked.text.contains(why), "{}", blocked.text);
    }
    // The staff's browser says the school is blocked; the owner lands on billing.
    let res = staff_page.get("/cabinet/courses").await;
    assert_eq!(res.status, 403);
    assert!(
        res.text.contains("Доступ к школе заблокирован"),
        "{}",
        res.text
    );
    let res = app
        .browser()
        .post_form(
            "/login",
            &[
                ("email", "asel@alma.kz"),
                ("password", "Teacher-2027!"),
                ("school", SLUG),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    let owner_page = app.browser();
    owner_page.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    assert_eq!(
        owner_page.get("/cabinet").await.header("location"),
        "/cabinet/billing"
    );
    let billing = owner_page.get("/cabinet/billing").await;
    assert!(
        billing.text.contains("Кабинет заблокирован"),
        "{}",
        billing.text
    );

    // The back office: the billing officer sees who may act; the officer lifts the block.
    let cashier = app.browser();
    cashier
        .sign_in("cashier@educenter.test", "Numbers-2027!", "")
        .await;
    let page = cashier.get(&format!("/operator/tenants/{tenant}")).await;
    assert!(page.text.contains("id=\"compliance-role\""));
    assert!(!page.text.contains("id=\"block-form\""));
    let desk = app.browser();
    desk.sign_in("compliance@educenter.test", "Rules-2027!!", "")
        .await;
    let page = desk.get(&format!("/operator/tenants/{tenant}")).await;
    assert!(
        page.text.contains("Жалоба №7"),
        "the note is the operator's"
    );
    app.set_clock("2026-11-10T15:00:00+05:00").await;
    desk.sign_in("compliance@educenter.test", "Rules-2027!!", "")
        .await;
    let res = desk
        .post_form(
            &format!("/operator/tenants/{tenant}/unblock"),
            &[("reason", "illegal_content")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(
        res.header("location"),
        format!("/operator/tenants/{tenant}")
    );
    let res = app.call("GET", "/api/v1/courses", &teacher, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(app.get(&format!("/s/{SLUG}/")).await.status, 200);
    // The paid period is not extended by the blocked hours.
    let licence = app
        .call("GET", "/api/v1/license", &s.owner, None)
        .await
        .json();
    assert_eq!(licence["paid_through"], "2027-02-02");

    // A licence breach: blocked from the page (the note is required there too), then the
    // contract is terminated on stated grounds on 2026-11-20.
    let res = desk
        .post_form(
            &format!("/operator/tenants/{tenant}/block"),
            &[("reason", "licence_breach"), ("note", "")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"note-error\""));
    let res = desk
        .post_form(
            &format!("/operator/tenants/{tenant}/block"),
            &[
                ("reason", "licence_breach"),
                ("note", "Перепродажа доступа третьим лицам"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let mail = app.mail_to(OWNER).await;
    assert!(
        mail[0].text.contains("нарушение лицензии"),
        "{}",
        mail[0].text
    );
    app.set_clock("2026-11-20T11:00:00+05:00").await;
    let officer = app
        .token_for("compliance@educenter.test", "Rules-2027!!", None)
        .await;
    let s = School {
        owner: app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await,
        ..s
    };
    desk.sign_in("compliance@educenter.test", "Rules-2027!!", "")
        .await;
    let page = desk.get(&format!("/operator/tenants/{tenant}")).await;
    assert!(page.text.contains("id=\"terminate-form\""), "{}", page.text);
    let res = desk
        .post_form(
            &format!("/operator/tenants/{tenant}/terminate"),
            &[(
                "grounds",
                "Доступ к курсам продавался другим организациям (п. 2.1, 2.8 оферты)",
            )],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let licence = app
        .call("GET", "/api/v1/license", &s.owner, None)
        .await
        .json();
    assert_eq!(licence["state"], "terminated", "{licence}");
    assert_eq!(licence["contract"], Value::Null);
    assert_eq!(licence["purge_on"], "2027-01-19");
    let detail = app
        .call(
            "GET",
            &format!("/api/v1/operator/tenants/{tenant}"),
            &officer,
            None,
        )
        .await
        .json();
    assert_eq!(detail["contracts"][0]["status"], "ended");
    assert_eq!(detail["contracts"][0]["end_reason"], "breach");
    assert!(
        detail["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "contract.terminate"),
        "{detail}"
    );
    let mail = app.mail_to(OWNER).await;
    let terminated = mail
        .iter()
        .find(|m| m.subject.starts_with("Договор с"))
        .expect("the owner is told");
    assert!(terminated.text.contains("продавался другим организациям"));
    assert!(
        terminated.text.contains("19 января 2027 г."),
        "{}",
        terminated.text
    );
    // A second termination has nothing to end.
    app.call(
        "POST",
        &format!("/api/v1/operator/tenants/{tenant}/terminate"),
        &officer,
        Some(json!({ "grounds": "ещё раз" })),
    )
    .await
    .problem(409);
    drop((staff_page, owner_page, cashier, desk));
    app.stop().await;
}
