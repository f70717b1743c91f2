//! Plans, applications, invoices, payments and the licence chain through the API (issue 4),
//! with the SPEC's dates and amounts and the test clock, one story a file: the licence chain
//! and its dates (`chain`), applications and quotes (`applications`), prices over time
//! (`prices`), plan changes and the operator's moves (`plan_changes`) and plan limits
//! (`limits`). This file holds the helpers they share, some of them also used by other test
//! files as `crate::billing::...`.

use serde_json::{Value, json};

use crate::harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp};

mod applications;
mod chain;
mod limits;
mod plan_changes;
mod prices;

pub(crate) const OWNER: &str = "owner@alma.kz";
pub(crate) const SLUG: &str = "alma-school";

/// The operator's super-admin and a billing officer (signing in anew each time: the test clock
/// outruns a day's token).
pub(crate) struct Operator<'a> {
    app: &'a TestApp,
}

impl Operator<'_> {
    pub(crate) async fn admin(&self) -> String {
        self.app
            .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
            .await
    }

    pub(crate) async fn billing(&self) -> String {
        self.app
            .token_for("billing@educenter.test", "Numbers-2027!", None)
            .await
    }
}

pub(crate) async fn operator(app: &TestApp) -> Operator<'_> {
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        "billing@educenter.test",
        "Бота Серикова",
        educenter_domain::roles::OperatorRole::Billing,
        "Numbers-2027!",
    )
    .await
    .unwrap();
    Operator { app }
}

/// Plans "start" (30 000.00 KZT a month, 80 000.00 for 3 months, 120.00 EUR a month) and
/// "pro" (60 000.00 KZT a month), in force from `effective_from`.
pub(crate) async fn create_plans(app: &TestApp, op: &Operator<'_>, effective_from: &str) {
    for (code, prices) in [
        (
            "start",
            json!([
                { "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": effective_from },
                { "currency": "KZT", "months": 3, "amount_minor": 8_000_000, "effective_from": effective_from },
                { "currency": "EUR", "months": 1, "amount_minor": 12_000, "effective_from": effective_from }
            ]),
        ),
        (
            "pro",
            json!([{ "currency": "KZT", "months": 1, "amount_minor": 6_000_000, "effective_from": effective_from }]),
        ),
    ] {
        let res = app
            .call(
                "POST",
                "/api/v1/operator/plans",
                &op.admin().await,
                Some(json!({
                    "code": code,
                    "name": { "ru": format!("Тариф {code}"), "kk": format!("Тариф {code}"), "en": format!("Plan {code}") },
                    "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
                    "prices": prices,
                })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
}

pub(crate) async fn owner(app: &TestApp) -> String {
    app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await
}

pub(crate) async fn apply(
    app: &TestApp,
    token: &str,
    plan: &str,
    months: i64,
    currency: &str,
) -> Value {
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            token,
            Some(json!({ "plan": plan, "months": months, "currency": currency })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["invoice"].clone()
}

pub(super) async fn pay(
    app: &TestApp,
    op: &Operator<'_>,
    number: &str,
    amount: i64,
    on: &str,
    reference: &str,
) -> (u16, Value) {
    let res = app
        .call(
            "POST",
            "/api/v1/operator/payments",
            &op.billing().await,
            Some(json!({
                "invoice_number": number, "amount_minor": amount, "currency": "KZT",
                "received_on": on, "reference": reference,
            })),
        )
        .await;
    (res.status, res.json())
}

pub(crate) async fn licence(app: &TestApp) -> Value {
    let token = owner(app).await;
    let res = app.call("GET", "/api/v1/license", &token, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

pub(super) fn periods(l: &Value) -> Vec<(String, String)> {
    l["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["from"].as_str().unwrap().to_owned(),
                p["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The example up to the first paid period: created 2027-02-01 10:00 +05, 1-month
/// plan at 30 000.00 KZT paid 2027-02-10.
pub(super) async fn first_period(app: &TestApp) -> Operator<'_> {
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(app).await;
    create_plans(app, &op, "2027-01-01").await;
    app.set_clock("2027-02-10T09:00:00+05:00").await;
    let token = owner(app).await;
    let invoice = apply(app, &token, "start", 1, "KZT").await;
    assert_eq!(invoice["number"], "2027-000001");
    assert_eq!(invoice["issued_on"], "2027-02-10");
    assert_eq!(
        invoice["due_on"], "2027-02-15",
        "3 business days, over a weekend"
    );
    assert_eq!(invoice["status"], "issued");
    assert_eq!(
        invoice["total"],
        json!({ "amount_minor": 3_000_000, "currency": "KZT" })
    );
    assert_eq!(invoice["lines"][0]["kind"], "licence");
    assert_eq!(invoice["supplier"]["bin"], "151140002258");
    assert_eq!(invoice["customer"]["bin_iin"], "123456789013");
    let (status, first) = pay(app, &op, "2027-000001", 3_000_000, "2027-02-10", "KZ-001").await;
    assert_eq!(status, 201, "{first}");
    // The same bank reference again records nothing new and answers with the first.
    let (status, again) = pay(app, &op, "2027-000001", 3_000_000, "2027-02-10", "KZ-001").await;
    assert_eq!(status, 200);
    assert_eq!(again["id"], first["id"]);
    let l = licence(app).await;
    assert_eq!(l["state"], "active");
    assert_eq!(l["plan"], "start");
    assert_eq!(periods(&l), [("2027-02-02".into(), "2027-03-01".into())]);
    assert_eq!(l["paid_through"], "2027-03-01");
    assert_eq!(l["contract"]["number"], 1);
    assert_eq!(l["credit_balance"], json!([]), "nothing was paid twice");
    op
}
