//! Issue 15, item 16: bad input that still got through. A NUL anywhere in a request (a JSON
//! field, a form field, a query string, a path) is a 4xx on both engines, never PostgreSQL's
//! 500; invisible characters (a right-to-left override) are refused in names, titles and file
//! names; an address mail cannot reach is refused; an unclosed `<style>` no longer hides the
//! rest of a lesson; an embed link keeps no control characters or spaces.

use serde_json::{Value, json};
use sqlx::Row;

use crate::{
    billing::{OWNER, SLUG},
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, error_fields, signup_body},
    learning::send_upload,
};

/// The right-to-left override: `invoice`, it and `fdp.exe` read as `invoiceexe.pdf`.
const RLO: char = '\u{202E}';

async fn school(app: &TestApp) -> String {
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get(0)
}

/// The English message of a problem's only field error.
fn message(p: &Value) -> String {
    p["errors"][0]["message"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn a_nul_anywhere_in_a_request_is_refused_with_a_4xx() {
    let app = TestApp::start().await;
    let token = school(&app).await;
    // In a JSON field, at any depth: the field is named.
    let p = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start\u{0}", "months": 1, "currency": "KZT" })),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["plan"]);
    assert_eq!(
        message(&p),
        "must not contain invisible or control characters"
    );
    let mut body = signup_body(
        "beta-school",
        "900101300007",
        "owner@beta.kz",
        "+77017654321",
    );
    body["organization"]["name"] = json!("Beta\u{0}School");
    let p = app.post_json("/api/v1/signup", &body).await.problem(422);
    assert_eq!(error_fields(&p), ["organization.name"]);
    let p = app
        .call(
            "POST",
            "/api/v1/courses",
            &token,
            Some(json!({ "title": "Курс", "description": "a\u{0}b" })),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["description"]);
    // In a query string: the parameter is named.
    for path in ["/api/v1/students?q=%00", "/api/v1/students?q=a&after=b%00c"] {
        let p = app.call("GET", path, &token, None).await.problem(422);
        assert_eq!(error_fields(&p).len(), 1, "{path}: {p}");
    }
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let p = app
        .call("GET", "/api/v1/operator/tenants?q=alma%00", &admin, None)
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["q"]);
    // In a path: it names nothing.
    app.call("GET", "/api/v1/invoices/%00", &token, None)
        .await
        .problem(404);
    app.call("GET", "/api/v1/courses/x%00y", &token, None)
        .await
        .problem(404);
    // In a form field: a page, not a failure.
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let res = b
        .post_form(
            "/cabinet/billing/preview",
            &[("plan", "start\u{0}"), ("months", "1"), ("currency", "KZT")],
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.text);
    assert!(res.text.contains("<html"), "{}", res.text);
    let res = b.get("/cabinet/students?q=%00").await;
    assert_eq!(res.status, 400, "{}", res.text);
    // A student who signed herself up on the school's site meets the same.
    let res = app
        .browser()
        .post_form(
            "/s/alma-school/signup",
            &[
                ("full_name", "Дана\u{0}"),
                ("email", "dana@mail.kz"),
                ("password", "Student-2027!"),
                ("privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.text);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM users WHERE email = 'dana@mail.kz'"
        )
        .await,
        0
    );
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn invisible_characters_are_refused_in_titles_and_file_names() {
    let app = TestApp::start().await;
    let token = school(&app).await;
    let disguised = format!("invoice{RLO}fdp.exe");
    // An upload's file name.
    let p = send_upload(
        &app,
        &token,
        &disguised,
        b"%PDF-1.4\n".to_vec(),
        Some("file"),
    )
    .await
    .problem(422);
    assert_eq!(error_fields(&p), ["filename"]);
    assert_eq!(
        message(&p),
        "must not contain invisible or control characters"
    );
    // A course's title, and the zero-width ones that make two titles look alike.
    for title in [
        format!("Курс {RLO}fdp.exe"),
        "Алгебра\u{200B}".to_owned(),
        "\u{FEFF}Алгебра".to_owned(),
        "Ал\u{00AD}гебра".to_owned(),
    ] {
        let p = app
            .call(
                "POST",
                "/api/v1/courses",
                &token,
                Some(json!({ "title": title })),
            )
            .await
            .problem(422);
        assert_eq!(error_fields(&p), ["title"], "{title:?}");
        assert_eq!(
            message(&p),
            "must not contain invisible or control characters"
        );
    }
    // The same in the cabinet's form, beside the field.
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let res = b
        .post_form(
            "/cabinet/courses",
            &[("course_title", &disguised), ("course_description", "")],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("course_title-error"), "{}", res.text);
    // A student's name, through the API and a school's own name at sign-up.
    let p = app
        .call(
            "POST",
            "/api/v1/students",
            &token,
            Some(json!({ "full_name": format!("Дана{RLO}"), "email": "dana@mail.kz" })),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["full_name"]);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM courses").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM media").await, 0);
    // Prose keeps what writing needs: an emoji sequence with a zero-width joiner.
    let res = app
        .call(
            "POST",
            "/api/v1/courses",
            &token,
            Some(json!({ "title": "Программирование", "description": "Для 👩\u{200D}💻 и всех" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn an_address_mail_cannot_reach_is_refused_at_sign_up_and_for_a_student() {
    let app = TestApp::start().await;
    let quoted = "\"a b\"@example.kz";
    let p = app
        .post_json(
            "/api/v1/signup",
            &signup_body(SLUG, "123456789013", quoted, "+77011234567"),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["owner.email"]);
    let token = school(&app).await;
    for email in [
        quoted,
        "a b@example.kz",
        "dana@mail\u{0}.kz",
        "dana@mail.kz\u{200B}",
    ] {
        let p = app
            .call(
                "POST",
                "/api/v1/students",
                &token,
                Some(json!({ "full_name": "Дана", "email": email })),
            )
            .await
            .problem(422);
        assert_eq!(error_fields(&p), ["email"], "{email:?}");
    }
    // The student's own sign-up on the school's site.
    let res = app
        .browser()
        .post_form(
            "/s/alma-school/signup",
            &[
                ("full_name", "Дана"),
                ("email", quoted),
                ("password", "Student-2027!"),
                ("privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM users WHERE kind = 'learner'").await,
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unclosed_style_no_longer_hides_the_rest_of_the_lesson() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let course = given::course(&app, &alma.owner_token, "Алгебра")
        .published()
        .self_enrol()
        .module("Уравнения")
        .text_lesson(
            "Первый",
            "Начало урока.\n\n<style>\nbody { display: none }\n\n## Уравнения\n\nОстаток **урока**.",
        )
        .create()
        .await;
    let s = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let page = s
        .get(&format!("/s/alma-school/lessons/{}", course.lessons[0]))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Начало урока."), "{}", page.text);
    assert!(page.text.contains("<h2>Уравнения</h2>"), "{}", page.text);
    assert!(
        page.text.contains("Остаток <strong>урока</strong>."),
        "{}",
        page.text
    );
    assert!(!page.text.contains("<style>\nbody"), "{}", page.text);
    app.stop().await;
}

#[tokio::test]
async fn an_embed_link_with_control_characters_or_spaces_is_refused() {
    let app = TestApp::start().await;
    let owner = school(&app).await;
    let course = given::course(&app, &owner, "Алгебра")
        .module("Уравнения")
        .create()
        .await;
    let module = &course.modules[0];
    let lesson = |url: &str| json!({ "module_id": module, "title": "Видео", "kind": "embed", "embed_url": url });
    let path = format!("/api/v1/courses/{}/lessons", course.id);
    for url in [
        "https://www.youtube.com/embed/abc123\u{7}",
        "https://www.youtube.com/embed/abc\n123",
        "https://www.youtube.com/embed/abc 123",
        "https://www.youtube.com/embed/abc\u{202E}123",
    ] {
        let p = app
            .call("POST", &path, &owner, Some(lesson(url)))
            .await
            .problem(422);
        assert_eq!(error_fields(&p), ["embed_url"], "{url:?}");
        assert_eq!(
            message(&p),
            "a link must not contain spaces, invisible or control characters"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM lessons").await, 0);
    // Spaces around it, as pasted, are trimmed and the link kept.
    let res = app
        .call(
            "POST",
            &path,
            &owner,
            Some(lesson("  https://www.youtube.com/embed/abc123 ")),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        res.json()["embed_url"],
        "https://www.youtube.com/embed/abc123"
    );
    // A change to a bad link is refused as well.
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let p = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{id}"),
            &owner,
            Some(json!({ "embed_url": "https://www.youtube.com/embed/x\u{0}" })),
        )
        .await
        .problem(422);
    assert_eq!(error_fields(&p), ["embed_url"]);
    app.stop().await;
}
