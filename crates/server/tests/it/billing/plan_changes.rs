//! Plan changes: the school changing plan with credit for the unused days, and the operator
//! moving, blocking and unblocking a school.

use serde_json::{Value, json};

use super::{OWNER, SLUG, apply, create_plans, licence, operator, owner, pay, periods};
use crate::harness::{OWNER_PASSWORD, TestApp, error_fields};

#[tokio::test]
async fn a_plan_change_credits_the_unused_days() {
    // R-4.5b: Start 30 000 for 2025-04-01..04-30, Pro 60 000 invoiced and paid 2025-04-20:
    // credit 10 000.00, invoice 50 000.00, Pro covers 2025-04-21..2025-05-20.
    let app = TestApp::builder()
        .clock("2025-03-10T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    // The trial ends 2025-03-24; paid 2025-03-31 (7 days later): anchored at the payment.
    app.set_clock("2025-03-31T10:00:00+05:00").await;
    let start = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    pay(
        &app,
        &op,
        start["number"].as_str().unwrap(),
        3_000_000,
        "2025-03-31",
        "S",
    )
    .await;
    assert_eq!(
        periods(&licence(&app).await),
        [("2025-04-01".into(), "2025-04-30".into())]
    );
    app.set_clock("2025-04-20T10:00:00+05:00").await;
    let token = owner(&app).await;
    let pro = apply(&app, &token, "pro", 1, "KZT").await;
    assert_eq!(pro["purpose"], "plan_change");
    // The renewal issued that night gave way to the owner's choice.
    let list = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(list[1]["purpose"], "renewal");
    assert_eq!(list[1]["status"], "void");
    assert_eq!(pro["lines"][1]["kind"], "proration_credit");
    assert_eq!(pro["lines"][1]["amount_minor"], -1_000_000);
    assert_eq!(pro["total"]["amount_minor"], 5_000_000);
    // Another currency may not change the plan mid-period; a resident may not pay in EUR.
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start", "months": 1, "currency": "EUR" })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["currency"]);
    pay(
        &app,
        &op,
        pro["number"].as_str().unwrap(),
        5_000_000,
        "2025-04-20",
        "P",
    )
    .await;
    let l = licence(&app).await;
    assert_eq!(l["plan"], "pro");
    assert_eq!(
        periods(&l),
        [
            ("2025-04-01".into(), "2025-04-20".into()),
            ("2025-04-21".into(), "2025-05-20".into())
        ]
    );
    // A later price version of Pro shows in the cabinet (R-5.8a); the paid period keeps its
    // price.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/plans/pro/prices",
            &op.admin().await,
            Some(json!({ "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 6_600_000, "effective_from": "2025-06-01" }] })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let page = b.get("/cabinet").await.text;
    assert!(page.contains("id=\"price-banner\""), "{page}");
    assert!(page.contains("1 июня 2025 г."));
    assert!(page.contains("66\u{a0}000,00\u{a0}KZT"));
    assert_eq!(
        periods(&licence(&app).await).len(),
        2,
        "no re-billing of a paid period"
    );
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn the_operator_moves_a_school_to_another_plan_and_blocks_and_unblocks_it() {
    // an operator move from Start to Pro on 2025-04-20 gives the R-4.5b invoice of
    // 50 000 KZT; a block is a manual, audited decision.
    let app = TestApp::builder()
        .clock("2025-03-10T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2025-01-01").await;
    app.set_clock("2025-03-31T10:00:00+05:00").await;
    let start = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    pay(
        &app,
        &op,
        start["number"].as_str().unwrap(),
        3_000_000,
        "2025-03-31",
        "S",
    )
    .await;
    app.set_clock("2025-04-20T10:00:00+05:00").await;
    let tenant_id = app
        .call(
            "GET",
            "/api/v1/operator/tenants?q=alma",
            &op.admin().await,
            None,
        )
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/operator/tenants/{tenant_id}/plan-change");
    app.call(
        "POST",
        &path,
        &op.admin().await,
        Some(json!({ "plan": "pro", "months": 1 })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            &path,
            &op.billing().await,
            Some(json!({ "plan": "start", "months": 1 })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["plan"]);
    let res = app
        .call(
            "POST",
            &path,
            &op.billing().await,
            Some(json!({ "plan": "pro", "months": 1 })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["total_minor"], 5_000_000);
    assert!(app.mail_to(OWNER).await.iter().any(|m| {
        m.subject
            .contains(res.json()["invoice_number"].as_str().unwrap())
    }));

    // A compliance officer blocks the school: staff are out, the owner still signs in.
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
    let compliance = app
        .token_for("compliance@educenter.test", "Rules-2027!!", None)
        .await;
    let owner_token = owner(&app).await;
    app.call(
        "POST",
        "/api/v1/staff",
        &owner_token,
        Some(json!({ "email": "t@alma.kz", "full_name": "T", "role": "teacher" })),
    )
    .await;
    let link = app.mail_to("t@alma.kz").await[0].links[0].clone();
    app.post_json(
        "/api/v1/invitations/accept",
        &json!({ "token": link.split("token=").nth(1).unwrap(), "password": "Lessons-2027!" }),
    )
    .await;
    let teacher = app
        .token_for("t@alma.kz", "Lessons-2027!", Some(SLUG))
        .await;
    let block = format!("/api/v1/operator/tenants/{tenant_id}/block");
    let unblock = format!("/api/v1/operator/tenants/{tenant_id}/unblock");
    app.call(
        "POST",
        &block,
        &op.billing().await,
        Some(json!({ "reason": "over_limit" })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            &block,
            &compliance,
            Some(json!({ "reason": "refusal", "note": "x" })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["reason"]);
    // The internal note is required (R-2.5a).
    let res = app
        .call(
            "POST",
            &block,
            &compliance,
            Some(json!({ "reason": "over_limit", "note": "  " })),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["note"]);
    let res = app
        .call(
            "POST",
            &block,
            &compliance,
            Some(json!({ "reason": "over_limit", "note": "Storage at 180% for a month" })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    // A program tells a block from a bad token: 403 `blocked`, not 401.
    let body = app
        .call("GET", "/api/v1/me", &teacher, None)
        .await
        .problem(403);
    assert!(
        body["type"].as_str().unwrap().ends_with("/blocked"),
        "{body}"
    );
    let body = app
        .login("t@alma.kz", "Lessons-2027!", Some(SLUG))
        .await
        .problem(403);
    assert!(
        body["type"].as_str().unwrap().ends_with("/blocked"),
        "{body}"
    );
    let owner_again = owner(&app).await;
    assert_eq!(licence(&app).await["blocked"], "over_limit");
    assert!(
        app.mail_to(OWNER)
            .await
            .iter()
            .any(|m| m.subject.contains("заблокирован"))
    );
    let res = app
        .call(
            "POST",
            &unblock,
            &compliance,
            Some(json!({ "reason": "over_limit" })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.call(
        "POST",
        &unblock,
        &compliance,
        Some(json!({ "reason": "over_limit" })),
    )
    .await
    .problem(404);
    let teacher = app
        .token_for("t@alma.kz", "Lessons-2027!", Some(SLUG))
        .await;
    assert_eq!(
        app.call("GET", "/api/v1/me", &teacher, None).await.status,
        200
    );
    assert_eq!(
        app.call("GET", "/api/v1/license", &owner_again, None)
            .await
            .json()["blocked"],
        Value::Null
    );
    app.stop().await;
}
