//! Issue 15, item 8: privacy (R-9.2, R-9.4.1, R-2.6b). The operator's search never matches
//! students; a school sets its own privacy text for students, versioned, and each consent keeps
//! the version shown; a student withdraws the marketing consent from their profile.

use serde_json::json;
use sqlx::Row;

use crate::{
    harness::{ADMIN_PASSWORD, TestApp, error_fields},
    learning::{STUDENT_PASSWORD, student_signs_up},
    staff::hire,
};

const SLUG: &str = "alma-school";
const OWNER: &str = "owner@alma.kz";

/// (kind, text version, text, withdrawn) of a student's consents, oldest first.
async fn consents(app: &TestApp, email: &str) -> Vec<(String, String, String, bool)> {
    sqlx::query(
        "SELECT c.kind, c.text_version, c.text, c.withdrawn_at FROM learner_consents c \
         JOIN users u ON u.id = c.user_id WHERE u.email = $1 ORDER BY c.accepted_at, c.id",
    )
    .bind(email)
    .fetch_all(app.store().pool())
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("kind"),
            r.get("text_version"),
            r.get("text"),
            r.get::<Option<i64>, _>("withdrawn_at").is_some(),
        )
    })
    .collect()
}

#[tokio::test]
async fn the_operators_search_finds_schools_owners_and_staff_never_students() {
    let app = TestApp::start().await;
    let owner = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    hire(&app, &owner, "asel@alma.kz", "teacher").await;
    student_signs_up(&app, SLUG, "dana@mail.kz").await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let found = |q: &str| {
        let q = q.to_owned();
        let admin = admin.clone();
        let app = &app;
        async move {
            app.send(
                app.client
                    .get(app.url("/api/v1/operator/tenants"))
                    .query(&[("q", q.as_str())])
                    .bearer_auth(&admin),
            )
            .await
            .items()
            .as_array()
            .unwrap()
            .len()
        }
    };
    assert_eq!(found("owner@alma.kz").await, 1);
    assert_eq!(found("asel@alma.kz").await, 1);
    assert_eq!(found("alma").await, 1);
    // The student's e-mail or name finds nothing: the school controls its students' data.
    assert_eq!(found("dana@mail.kz").await, 0);
    assert_eq!(found("Әлия").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_school_versions_its_privacy_text_and_students_withdraw_marketing() {
    let app = TestApp::start().await;
    let owner = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    hire(&app, &owner, "asel@alma.kz", "teacher").await;
    // Without a text of its own, the platform's default.
    student_signs_up(&app, SLUG, "first@mail.kz").await;
    assert_eq!(
        consents(&app, "first@mail.kz").await[0].1,
        "learner-privacy-2026-11"
    );

    let v1 = "Школа Alma обрабатывает имя, e-mail и прогресс учеников только для обучения.";
    let teacher = app
        .token_for("asel@alma.kz", "Teacher-2027!", Some(SLUG))
        .await;
    app.call(
        "PUT",
        "/api/v1/school/privacy",
        &teacher,
        Some(json!({ "text": v1 })),
    )
    .await
    .problem(403);
    let short = app
        .call(
            "PUT",
            "/api/v1/school/privacy",
            &owner,
            Some(json!({ "text": "Коротко." })),
        )
        .await;
    assert_eq!(error_fields(&short.problem(422)), ["text"]);
    let res = app
        .call(
            "PUT",
            "/api/v1/school/privacy",
            &owner,
            Some(json!({ "text": v1 })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["version"], 1);
    let page = app.get(&format!("/s/{SLUG}/privacy")).await;
    assert!(page.text.contains("только для обучения"), "{}", page.text);
    let signup = app.get(&format!("/s/{SLUG}/signup")).await;
    assert!(signup.text.contains(&format!("/s/{SLUG}/privacy")));
    student_signs_up(&app, SLUG, "second@mail.kz").await;
    let c = consents(&app, "second@mail.kz").await;
    assert_eq!((c[0].1.as_str(), c[0].2.as_str()), ("school-v1", v1));

    // A new version in the cabinet: new students record v2; earlier consents keep v1.
    let v2 =
        "Школа Alma обрабатывает имя, e-mail, телефон и прогресс учеников для обучения и отчётов.";
    let cabinet = app.browser();
    cabinet
        .sign_in(OWNER, crate::harness::OWNER_PASSWORD, SLUG)
        .await;
    let res = cabinet.post_form("/cabinet/privacy", &[("text", v2)]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let edit = cabinet.get("/cabinet/privacy").await;
    assert!(edit.text.contains("Редакция № 2"), "{}", edit.text);
    let bad = cabinet
        .post_form("/cabinet/privacy", &[("text", "x")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.text.contains("id=\"text-error\""));
    let b = app.browser();
    let res = b
        .post_form(
            &format!("/s/{SLUG}/signup"),
            &[
                ("full_name", "Ерлан"),
                ("email", "third@mail.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
                ("marketing", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let c = consents(&app, "third@mail.kz").await;
    assert_eq!((c[0].1.as_str(), c[0].2.as_str()), ("school-v2", v2));
    assert_eq!(consents(&app, "second@mail.kz").await[0].1, "school-v1");
    let versions = app
        .call("GET", "/api/v1/school/privacy", &owner, None)
        .await
        .json();
    assert_eq!(versions["current"]["version"], 2);
    assert_eq!(versions["versions"].as_array().unwrap().len(), 2);

    // The student withdraws the marketing consent from the profile.
    let profile = b.get(&format!("/s/{SLUG}/profile")).await;
    assert_eq!(profile.status, 200, "{}", profile.text);
    assert!(profile.text.contains("id=\"withdraw-marketing\""));
    let res = b
        .post_form(&format!("/s/{SLUG}/profile/marketing"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let c = consents(&app, "third@mail.kz").await;
    assert!(
        c.iter()
            .any(|(kind, _, _, withdrawn)| kind == "marketing" && *withdrawn)
    );
    assert!(
        c.iter()
            .any(|(kind, _, _, withdrawn)| kind == "privacy" && !*withdrawn)
    );
    let profile = b.get(&format!("/s/{SLUG}/profile")).await;
    assert!(profile.text.contains("id=\"no-marketing\""));
    assert!(profile.text.contains("отозвано"), "{}", profile.text);
    // Signed out, the profile asks to sign in.
    let visitor = app.browser();
    assert_eq!(visitor.get(&format!("/s/{SLUG}/profile")).await.status, 303);
    drop((cabinet, b, visitor));
    app.stop().await;
}
