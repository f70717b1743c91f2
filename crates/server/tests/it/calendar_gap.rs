//! Issue 15, item 5: a calculation reaching a year with no loaded calendar counts Monday
//! to Friday minus the fixed-date holidays, marks the result provisional, and alerts the
//! super-admins once per missing year (e-mail and back-office banner). An invoice whose due date
//! is provisional says so in its JSON, on its page and in its PDF.

use serde_json::json;

use crate::{
    billing::{apply, create_plans, operator, owner},
    documents::pdf_text,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp},
};

const SLUG: &str = "alma-school";
const OWNER: &str = "owner@alma.kz";
const ADMIN: &str = "admin@educenter.test";

#[tokio::test]
async fn a_due_date_in_an_unloaded_year_is_provisional_and_the_super_admin_is_told_once() {
    // The shipped calendar covers 2024-2027. Issued Wed 2027-12-29: Thu 30 and Fri 31
    // December, then 1-2 January 2028 (New Year, a weekend anyway), so 3 business days end on
    // Mon 2028-01-03, counted without 2028's calendar.
    let app = TestApp::builder()
        .clock("2027-12-20T10:00:00+05:00")
        .start()
        .await;
    app.school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2027-01-01").await;
    app.set_clock("2027-12-29T10:00:00+05:00").await;
    let invoice = apply(&app, &owner(&app).await, "start", 1, "KZT").await;
    assert_eq!(invoice["due_on"], "2028-01-03");
    assert_eq!(invoice["due_on_provisional"], true);
    let id = invoice["id"].as_str().unwrap();
    let owner_token = owner(&app).await;
    let got = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &owner_token, None)
        .await
        .json();
    assert_eq!(got["due_on_provisional"], true);
    let pdf = app
        .download(&format!("/api/v1/invoices/{id}/pdf"), &owner_token)
        .await;
    assert!(
        pdf_text(&pdf.2).contains("предварительно"),
        "the PDF says the date is provisional"
    );
    let page = app.browser();
    page.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let html = page.get(&format!("/cabinet/billing/invoices/{id}")).await;
    assert!(
        html.text.contains("id=\"due-provisional\""),
        "{}",
        html.text
    );

    // The super-admin is told once, however many calculations reach 2028.
    let alerts = async || {
        app.mail_to(ADMIN)
            .await
            .into_iter()
            .filter(|m| m.subject.contains("2028"))
            .count()
    };
    assert_eq!(alerts().await, 1);
    let admin = app.token_for(ADMIN, ADMIN_PASSWORD, None).await;
    let notice = app
        .call("POST", "/api/v1/termination", &owner_token, None)
        .await;
    assert_eq!(notice.status, 201, "{}", notice.text);
    assert_eq!(alerts().await, 1, "once per year");
    let back_office = app.browser();
    back_office.sign_in(ADMIN, ADMIN_PASSWORD, "").await;
    let home = back_office.get("/operator").await;
    assert!(
        home.text
            .contains("Производственный календарь на 2028 год не загружен"),
        "{}",
        home.text
    );

    // Once 2028 is loaded the banner goes, and the next invoice's date is not provisional.
    let res = app
        .call(
            "PUT",
            "/api/v1/operator/calendar/2028",
            &admin,
            Some(json!({ "non_working_days": ["2028-01-03", "2028-01-07"], "working_days": [] })),
        )
        .await;
    assert!(res.status == 200 || res.status == 201, "{}", res.text);
    assert!(
        !back_office
            .get("/operator")
            .await
            .text
            .contains("2028 год не загружен")
    );
    app.call("DELETE", "/api/v1/termination", &owner(&app).await, None)
        .await;
    let other = app
        .post_json(
            "/api/v1/signup",
            &crate::harness::signup_body(
                "beta-school",
                "900101300007",
                "b@beta.kz",
                "+77019876543",
            ),
        )
        .await;
    assert_eq!(other.status, 201, "{}", other.text);
    let beta = app
        .token_for("b@beta.kz", OWNER_PASSWORD, Some("beta-school"))
        .await;
    let next = apply(&app, &beta, "start", 1, "KZT").await;
    assert_eq!(next["due_on_provisional"], false);
    drop((page, back_office));
    app.stop().await;
}
