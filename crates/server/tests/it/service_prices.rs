//! Issue 15, item 6: prices of additional services get versions with decision and effective
//! dates and the same notice as plan prices (R-5.8a): the schools that use the service are told
//! at once, and a notice still unsent 5 days after the decision alerts the operator.

use serde_json::{Value, json};

use crate::{
    billing::{create_plans, operator},
    given,
    harness::{OWNER_PASSWORD, TestApp, error_fields},
};

const OWNER: &str = "owner@alma.kz";

fn price_of(services: &Value, code: &str) -> Value {
    services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .map(|s| s["prices"][0]["amount_minor"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn a_service_price_change_is_versioned_and_told_to_the_schools_that_use_it() {
    // Extra storage at 1 000,00 KZT per GB a month from the start; on 2026-11-10 the
    // super-admin decides 1 200,00 from 2026-12-01. Alma ordered it, Beta did not.
    let smtp = crate::smtp::SmtpServer::start().await;
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .smtp(smtp.url())
        .start()
        .await;
    let alma = app
        .school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let beta = given::beta(&app).await.owner_token;
    let op = operator(&app).await;
    create_plans(&app, &op, "2026-01-01").await;
    let admin = op.admin().await;
    for body in [
        json!({ "code": "extra_storage", "name": { "ru": "Доп. место", "kk": "Қосымша орын", "en": "Extra storage" },
                "unit": "gb_month", "prices": [{ "currency": "KZT", "amount_minor": 100_000 }] }),
        json!({ "code": "consulting", "name": { "ru": "Консультация", "kk": "Кеңес", "en": "Consulting" },
                "unit": "package", "price_on_request": true }),
    ] {
        let res = app
            .call("POST", "/api/v1/operator/services", &admin, Some(body))
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    for (token, services) in [
        (&alma, json!([{ "code": "extra_storage", "quantity": 2 }])),
        (&beta, json!([])),
    ] {
        let res = app
            .call(
                "POST",
                "/api/v1/applications",
                token,
                Some(json!({ "plan": "start", "months": 1, "currency": "KZT", "services": services })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }

    app.set_clock("2026-11-10T10:00:00+05:00").await;
    let admin = op.admin().await;
    let path = "/api/v1/operator/services/extra_storage/prices";
    // Never retroactive, never decided in the future; a price on request has no versions.
    for (body, field) in [
        (
            json!({ "prices": [{ "currency": "KZT", "amount_minor": 120_000, "effective_from": "2026-11-05" }] }),
            "prices[0].effective_from",
        ),
        (
            json!({ "decided_on": "2026-11-11", "prices": [{ "currency": "KZT", "amount_minor": 120_000, "effective_from": "2026-12-01" }] }),
            "decided_on",
        ),
        (
            json!({ "prices": [{ "currency": "KZT", "amount_minor": 0, "effective_from": "2026-12-01" }] }),
            "prices[0].amount_minor",
        ),
    ] {
        let res = app.call("POST", path, &admin, Some(body)).await;
        assert_eq!(error_fields(&res.problem(422)), [field]);
    }
    app.call(
        "POST",
        "/api/v1/operator/services/consulting/prices",
        &admin,
        Some(json!({ "prices": [{ "currency": "KZT", "amount_minor": 1, "effective_from": "2026-12-01" }] })),
    )
    .await
    .problem(409);
    // An existing service's prices do not change silently through the catalogue's form.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/services",
            &admin,
            Some(json!({ "code": "extra_storage", "name": { "ru": "Доп. место", "kk": "Қосымша орын", "en": "Extra storage" },
                         "unit": "gb_month", "prices": [{ "currency": "KZT", "amount_minor": 150_000 }] })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["prices"]);
    // Only the super-admin decides prices.
    app.call(
        "POST",
        path,
        &op.billing().await,
        Some(json!({ "prices": [{ "currency": "KZT", "amount_minor": 120_000, "effective_from": "2026-12-01" }] })),
    )
    .await
    .problem(403);

    // The owner's mail goes down for this one: the notice stays unsent.
    smtp.fail_next_permanent(1);
    let res = app
        .call(
            "POST",
            path,
            &admin,
            Some(json!({ "decided_on": "2026-11-10", "prices": [{ "currency": "KZT", "amount_minor": 120_000, "effective_from": "2026-12-01" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()[0]["effective_from"], "2026-12-01");
    // Beta never ordered the service: it is not told.
    let told = |to: &str| {
        smtp.received()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r.contains(to)))
            .filter(|m| {
                m.data.contains("extra")
                    || m.data.contains("=D0=94=D0=BE=D0=BF")
                    || m.data.contains("Доп")
            })
            .count()
    };
    assert_eq!(told("owner@beta.kz"), 0);
    // The cabinet shows the coming change to Alma's owner.
    let page = app.browser();
    page.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let cabinet = page.get("/cabinet").await;
    assert!(
        cabinet
            .text
            .contains("Цены услуги «Доп. место» меняются с 1 декабря 2026 г."),
        "{}",
        cabinet.text
    );
    // The operator is alerted once, on the fifth day after the decision.
    let alerts = || {
        smtp.received()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r.contains("admin@educenter.test")))
            .filter(|m| m.data.contains("extra_storage"))
            .count()
    };
    app.set_clock("2026-11-14T12:00:00+05:00").await;
    assert_eq!(alerts(), 0, "not before the fifth day");
    app.set_clock("2026-11-15T09:00:00+05:00").await;
    assert_eq!(alerts(), 1, "{:?}", smtp.received());
    app.set_clock("2026-11-17T09:00:00+05:00").await;
    assert_eq!(alerts(), 1, "once");

    // The catalogue shows the price in force: 1 000,00 until 30 November, 1 200,00 after.
    assert_eq!(
        price_of(&app.get("/api/v1/services").await.items(), "extra_storage"),
        100_000
    );
    app.set_clock("2026-12-01T09:00:00+05:00").await;
    assert_eq!(
        price_of(&app.get("/api/v1/services").await.items(), "extra_storage"),
        120_000
    );
    // An application now pays the new price: 2 GB for a month at 1 200,00.
    let gamma = given::gamma(&app).phone("+77015550011").await.owner_token;
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &gamma,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT", "services": [{ "code": "extra_storage", "quantity": 2 }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let lines = res.json()["invoice"]["lines"].clone();
    assert!(
        lines
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["kind"] == "service" && l["amount_minor"] == 240_000),
        "{lines}"
    );
    // The same through the back office's form.
    let desk = app.browser();
    desk.sign_in("admin@educenter.test", crate::harness::ADMIN_PASSWORD, "")
        .await;
    let form = desk.get("/operator/billing/service-prices").await;
    assert_eq!(form.status, 200);
    assert!(
        form.text.contains("Доп. место (extra_storage)"),
        "{}",
        form.text
    );
    assert!(
        !form.text.contains("(consulting)"),
        "no list price to version"
    );
    let fields = |amount: &'static str, from: &'static str| {
        [
            ("service", "extra_storage"),
            ("currency", "KZT"),
            ("amount", amount),
            ("decided_on", "2026-12-01"),
            ("effective_from", from),
        ]
    };
    let bad = desk
        .post_form(
            "/operator/billing/service-prices",
            &fields("1 300,00", "2026-11-30"),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.text.contains("id=\"effective_from-error\""),
        "{}",
        bad.text
    );
    let ok = desk
        .post_form(
            "/operator/billing/service-prices",
            &fields("1 300,00", "2027-01-01"),
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.text);
    app.set_clock("2027-01-01T09:00:00+05:00").await;
    assert_eq!(
        price_of(&app.get("/api/v1/services").await.items(), "extra_storage"),
        130_000
    );
    drop((page, desk));
    // It fails work on purpose.
    app.expect_leftovers();
    app.stop().await;
}
