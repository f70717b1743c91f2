//! Offer versions (R-2.3a-c, A-3, A-12) and termination notices, with the 2025
//! calendar of Kazakhstan as seeded.

use educenter_store::tenancy;
use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, TestApp},
};

async fn publish(app: &TestApp, summary: &str) -> serde_json::Value {
    let op = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call("POST", "/api/v1/operator/offers", &op,
            Some(json!({ "text_ru": "Лицензионный договор-оферта, редакция 2", "change_summary": summary })))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

async fn acceptances(app: &TestApp, slug: &str) -> Vec<(i64, String, String)> {
    let db = app.store();
    let mut conn = db.conn().await.unwrap();
    let t = tenancy::by_slug(&mut conn, slug).await.unwrap().unwrap();
    tenancy::acceptances(&mut conn, &t.id)
        .await
        .unwrap()
        .into_iter()
        .map(|a| {
            (
                a.offer_version,
                a.method.to_string(),
                a.accepted_at.to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_version_published_on_wednesday_is_deemed_accepted_on_tuesday_unless_objected() {
    let app = TestApp::builder()
        .clock("2025-03-27T05:00:00Z")
        .start()
        .await;
    given::alma(&app).await;
    let beta = given::beta(&app).await;

    // v2 published Wed 2025-04-02 10:00 +05.
    app.set_clock("2025-04-02T10:00:00+05:00").await;
    let v2 = publish(&app, "Новые тарифы на хранилище").await;
    assert_eq!(v2["number"], 2);
    assert_eq!(v2["objection_deadline"], "2025-04-07");
    assert_eq!(v2["deemed_acceptance_at"], "2025-04-07T19:00:00Z");
    assert_eq!(
        (v2["provisional"].as_bool(), v2["notified"].as_i64()),
        (Some(false), Some(2))
    );
    assert_eq!(app.get("/api/v1/offer").await.json()["number"], 2);
    let mail = app.mail_to("owner@alma.kz").await;
    assert_eq!(mail[0].subject, "Новая редакция оферты EduCenter № 2");
    assert!(
        mail[0].text.contains("до 7 апреля 2025 г. включительно"),
        "{}",
        mail[0].text
    );
    assert!(mail[0].text.contains("Новые тарифы на хранилище"));

    // A school that signs up after publication accepts v2 directly and has nothing to object to.
    let c = given::gamma(&app).phone("+77015550000").await.owner_token;
    app.call("POST", "/api/v1/offer/objection", &c, None)
        .await
        .problem(409);

    // School B objects on the last day, Mon 2025-04-07: in force through the 10th business
    // day, 2025-04-21, under v1.
    app.set_clock("2025-04-07T18:00:00+05:00").await;
    let b = beta.sign_in(&app).await;
    let res = app.call("POST", "/api/v1/offer/objection", &b, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let notice = res.json();
    assert_eq!(notice["effective_on"], "2025-04-21");
    assert_eq!(
        (
            notice["governing_version"].as_i64(),
            notice["offer_version"].as_i64()
        ),
        (Some(1), Some(2))
    );
    app.call("POST", "/api/v1/offer/objection", &b, None)
        .await
        .problem(409);

    // 00:00 on 8 April: A is deemed to accept v2; B, who objected, and C are not touched.
    app.set_clock("2025-04-08T00:00:00+05:00").await;
    assert_eq!(
        acceptances(&app, "alma-school").await,
        [
            (1, "checkbox".to_owned(), "2025-03-27T05:00:00Z".to_owned()),
            (2, "deemed".to_owned(), "2025-04-07T19:00:00Z".to_owned()),
        ]
    );
    assert_eq!(acceptances(&app, "beta-school").await.len(), 1);
    assert_eq!(acceptances(&app, "gamma-school").await.len(), 1);
    assert_eq!(
        app.call("GET", "/api/v1/termination", &b, None)
            .await
            .json()["reason"],
        "objection"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_window_ending_on_saturday_rolls_to_monday_and_then_closes() {
    let app = TestApp::builder()
        .clock("2025-03-03T05:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).await;
    // Published Mon 2025-03-10: the 5th day is Sat 15 March, so the window ends Mon 17 March.
    app.set_clock("2025-03-10T09:00:00+05:00").await;
    let v2 = publish(&app, "Уточнён порядок возврата").await;
    assert_eq!(v2["objection_deadline"], "2025-03-17");
    assert_eq!(v2["deemed_acceptance_at"], "2025-03-17T19:00:00Z");
    app.set_clock("2025-03-18T09:00:00+05:00").await;
    let a = alma.sign_in(&app).await;
    let problem = app
        .call("POST", "/api/v1/offer/objection", &a, None)
        .await
        .problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("closed on 17 March 2025")
    );
    assert_eq!(
        acceptances(&app, "alma-school").await[1],
        (2, "deemed".to_owned(), "2025-03-17T19:00:00Z".to_owned())
    );
    app.stop().await;
}

#[tokio::test]
async fn a_termination_notice_runs_ten_business_days_and_can_be_withdrawn() {
    let app = TestApp::builder()
        .clock("2025-04-28T05:00:00Z")
        .start()
        .await;
    let a = given::alma(&app).await.owner_token;
    app.call("GET", "/api/v1/termination", &a, None)
        .await
        .problem(404);
    // Filed Mon 2025-04-28; 1, 7 and 9 May are days off: in force through 15 May.
    let res = app.call("POST", "/api/v1/termination", &a, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["effective_on"], "2025-05-15");
    app.call("POST", "/api/v1/termination", &a, None)
        .await
        .problem(409);
    let db = app.store();
    let t = tenancy::by_slug(&mut db.conn().await.unwrap(), "alma-school")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        tenancy::contracts(db, &t.id).await.unwrap()[0].status,
        educenter_domain::tenancy::ContractStatus::Terminating
    );

    assert_eq!(
        app.call("DELETE", "/api/v1/termination", &a, None)
            .await
            .status,
        204
    );
    app.call("GET", "/api/v1/termination", &a, None)
        .await
        .problem(404);
    assert_eq!(
        tenancy::contracts(db, &t.id).await.unwrap()[0].status,
        educenter_domain::tenancy::ContractStatus::InForce
    );

    // Only the owner decides on the contract; only the super-admin publishes.
    app.call(
        "POST",
        "/api/v1/operator/offers",
        &a,
        Some(json!({ "text_ru": "x", "change_summary": "y" })),
    )
    .await
    .problem(403);
    let op = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let problem = app
        .call(
            "POST",
            "/api/v1/operator/offers",
            &op,
            Some(json!({ "text_ru": " ", "change_summary": "" })),
        )
        .await
        .problem(422);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);
    app.call("POST", "/api/v1/termination", &op, None)
        .await
        .problem(403);
    app.stop().await;
}

#[tokio::test]
async fn the_offer_and_every_earlier_version_are_public_pages() {
    let app = TestApp::builder()
        .clock("2025-04-02T05:00:00Z")
        .start()
        .await;
    let page = app.get("/offer").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("Редакция № 1 от 1 января 2024 г."),
        "{}",
        &page.text[..2000.min(page.text.len())]
    );
    assert!(
        page.text.contains("<p>1.1. Оферта"),
        "clauses are paragraphs"
    );
    publish(&app, "Новые тарифы на хранилище").await;
    let page = app.get("/offer").await;
    assert!(page.text.contains("Редакция № 2 от 2 апреля 2025 г."));
    assert!(page.text.contains("Новые тарифы на хранилище"));
    assert!(page.text.contains("href=\"/offer/v1\""));
    let old = app.get("/offer/v1").await;
    assert_eq!(old.status, 200);
    assert!(old.text.contains("Редакция № 1"));
    assert!(
        !old.text.contains("badge-trial"),
        "v1 is no longer the one in force"
    );
    assert_eq!(app.get("/offer/v3").await.status, 404);
    assert_eq!(app.get("/offer/latest").await.status, 404);
    let kk = app
        .send(
            app.client
                .get(app.url("/offer"))
                .header("accept-language", "kk"),
        )
        .await;
    assert!(kk.text.contains("Қазақ тіліндегі мәтін дайындалуда"));
    app.stop().await;
}

#[tokio::test]
async fn a_notice_ends_the_contract_after_its_last_day_and_a_withdrawn_objection_is_deemed() {
    let app = TestApp::builder()
        .clock("2025-03-27T05:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).await;
    // A paid quarter keeps the contract in force past the application deadline.
    let owner = alma.sign_in(&app).await;
    app.buy_licence(&owner, 3).await;
    app.set_clock("2025-04-02T10:00:00+05:00").await;
    publish(&app, "Новые тарифы").await;
    let a = alma.sign_in(&app).await;
    assert_eq!(
        app.call("POST", "/api/v1/offer/objection", &a, None)
            .await
            .status,
        201
    );
    // The window passes with the objection standing: no deemed acceptance...
    app.set_clock("2025-04-09T10:00:00+05:00").await;
    assert_eq!(acceptances(&app, "alma-school").await.len(), 1);
    // ...until the owner withdraws it: then v2 is deemed accepted at that moment.
    let a = alma.sign_in(&app).await;
    assert_eq!(
        app.call("DELETE", "/api/v1/termination", &a, None)
            .await
            .status,
        204
    );
    assert_eq!(
        acceptances(&app, "alma-school").await[1],
        (2, "deemed".to_owned(), "2025-04-09T05:00:00Z".to_owned())
    );

    // A notice filed Mon 2025-04-28 runs through Thu 15 May; at 00:00 on the 16th it ends.
    app.set_clock("2025-04-28T10:00:00+05:00").await;
    let a = alma.sign_in(&app).await;
    assert_eq!(
        app.call("POST", "/api/v1/termination", &a, None)
            .await
            .json()["effective_on"],
        "2025-05-15"
    );
    let db = app.store();
    let t = tenancy::by_slug(&mut db.conn().await.unwrap(), "alma-school")
        .await
        .unwrap()
        .unwrap();
    app.set_clock("2025-05-15T23:59:00+05:00").await;
    assert_eq!(
        tenancy::contracts(db, &t.id).await.unwrap()[0].status,
        educenter_domain::tenancy::ContractStatus::Terminating
    );
    app.set_clock("2025-05-16T00:00:00+05:00").await;
    assert_eq!(
        tenancy::contracts(db, &t.id).await.unwrap()[0].status,
        educenter_domain::tenancy::ContractStatus::Ended
    );
    app.stop().await;
}

#[tokio::test]
async fn control_characters_are_refused_not_crashing_postgres() {
    let app = TestApp::start().await;
    let mut body = crate::harness::signup_body(
        "alma-school",
        "123456789013",
        "owner@alma.kz",
        "+77011234567",
    );
    body["organization"]["name"] = json!("Alma\u{0}School");
    let problem = app.post_json("/api/v1/signup", &body).await.problem(422);
    assert_eq!(problem["errors"][0]["field"], "organization.name");
    // A NUL anywhere in a JSON body is refused before any account is looked up (issue 15,
    // item 16): the same 422 whether the address exists or not.
    let problem = app
        .login("a\u{0}@alma.kz", "Kazakh-2027!", Some("alma\u{0}"))
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "email");
    let problem = app
        .post_json(
            "/api/v1/auth/password-reset",
            &json!({ "email": "a\u{0}@alma.kz" }),
        )
        .await
        .problem(422);
    assert_eq!(problem["errors"][0]["field"], "email");
    app.stop().await;
}
