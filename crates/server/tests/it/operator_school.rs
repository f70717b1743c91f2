//! Issue 17, item 6: a school's page in the back office shows its licence, periods, usage,
//! invoices, payments and acts, with the billing officer's actions there: a payment recorded
//! after a confirmation that repeats the amount and the school, the trial moved with a reason,
//! and a move to another plan. Lists of invoices name the school, not its address.

use crate::{
    billing::{create_plans, operator},
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp},
};

/// The text of the page from the element of this id to the end of its table or form.
fn part<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_billing_officer_works_a_schools_money_from_its_page() {
    // Monday 2026-11-02: Alma applies for a month of Start (30 000 KZT); the billing officer
    // records the transfer received on Tuesday 2026-11-03 from the school's page.
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let op = operator(&app).await;
    create_plans(&app, &op, "2024-01-01").await;
    let alma = given::alma(&app).await;
    let alma_id = app.tenant_of(&alma.owner_token).await;
    let owner = app.browser();
    owner
        .sign_in("owner@alma.kz", OWNER_PASSWORD, alma.slug)
        .await;
    let res = owner
        .post_form(
            "/cabinet/billing/apply",
            &[("plan", "start"), ("months", "1"), ("currency", "KZT")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let invoices = app
        .call("GET", "/api/v1/invoices", &alma.owner_token, None)
        .await
        .items();
    let number = invoices[0]["number"].as_str().unwrap().to_owned();

    app.set_clock("2026-11-03T12:00:00+05:00").await;
    let officer = app.browser();
    officer
        .sign_in("billing@educenter.test", "Numbers-2027!", "")
        .await;
    let page = officer.get(&format!("/operator/tenants/{alma_id}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let html = &page.text;
    assert!(
        part(html, "school-licence", "</dl>").contains("пробный период"),
        "{html}"
    );
    assert!(part(html, "school-usage", "</dl>").contains("0 из 100"));
    assert!(part(html, "school-invoices", "</table>").contains(&number));
    let form = part(html, "school-payment-form", "</form>");
    assert!(
        form.contains(&format!("<option value=\"{number}\"")),
        "{form}"
    );

    // A bad amount is said beside the field and nothing is recorded.
    let res = officer
        .post_form(
            &format!("/operator/tenants/{alma_id}/payments/confirm"),
            &[
                ("invoice_number", &number),
                ("amount", "тридцать"),
                ("received_on", "2026-11-03"),
                ("reference", "PP-17"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"amount-error\""));
    // The confirmation repeats the amount, the school and the invoice; still nothing recorded.
    let form = [
        ("invoice_number", number.as_str()),
        ("amount", "30000"),
        ("received_on", "2026-11-03"),
        ("reference", "PP-17"),
    ];
    let res = officer
        .post_form(
            &format!("/operator/tenants/{alma_id}/payments/confirm"),
            &form,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let summary = part(&res.text, "payment-summary", "</p>");
    for needle in [
        "30\u{a0}000,00\u{a0}KZT",
        "School alma-school",
        "123456789013",
        number.as_str(),
        "3 ноября 2026 г.",
    ] {
        assert!(summary.contains(needle), "{needle}: {summary}");
    }
    let page = officer
        .get(&format!("/operator/tenants/{alma_id}"))
        .await
        .text;
    assert!(page.contains("Платежей нет."));
    let res = officer
        .post_form(&format!("/operator/tenants/{alma_id}/payments"), &form)
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = officer
        .get(&format!("/operator/tenants/{alma_id}"))
        .await
        .text;
    let payments = part(&page, "school-payments", "</table>");
    assert!(
        payments.contains("PP-17") && payments.contains("банковский перевод"),
        "{payments}"
    );
    assert!(part(&page, "school-periods", "</table>").contains("Тариф start"));

    // The school, paid, keeps its trial as it was; moved to Pro, it gets the invoice.
    let res = officer
        .post_form(
            &format!("/operator/tenants/{alma_id}/trial"),
            &[("ends_on", "2026-11-30"), ("trial_reason", "Просьба школы")],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    let res = officer
        .post_form(
            &format!("/operator/tenants/{alma_id}/plan"),
            &[("plan", "pro"), ("months", "1")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let token = alma.sign_in(&app).await;
    let invoices = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(invoices.as_array().unwrap().len(), 2, "{invoices}");

    // A school in its trial: the trial moved to Monday 2026-11-30 with a reason; the deadline
    // moves with it (30 November + 16 days is Wednesday 2026-12-16, Independence Day, so
    // Thursday 2026-12-17); the owner is told why.
    let beta = given::beta(&app).await;
    let beta_id = app.tenant_of(&beta.owner_token).await;
    // Another school's invoice is not paid from this school's page: said beside the field.
    let res = officer
        .post_form(
            &format!("/operator/tenants/{beta_id}/payments"),
            &[
                ("invoice_number", invoices[0]["number"].as_str().unwrap()),
                ("amount", "60000"),
                ("received_on", "2026-11-03"),
                ("reference", "PP-18"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"invoice_number-error\""));
    let res = officer
        .post_form(
            &format!("/operator/tenants/{beta_id}/trial"),
            &[("ends_on", "2026-10-01"), ("trial_reason", "Просьба школы")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"ends_on-error\""), "{}", res.text);
    let res = officer
        .post_form(
            &format!("/operator/tenants/{beta_id}/trial"),
            &[
                ("ends_on", "2026-11-30"),
                ("trial_reason", "Просьба школы: переезд"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let licence = app
        .call("GET", "/api/v1/license", &beta.owner_token, None)
        .await
        .json();
    assert_eq!(licence["trial_ends_on"], "2026-11-30");
    assert_eq!(licence["application_deadline"], "2026-12-17");
    let mail = app.mail_to("owner@beta.kz").await;
    let told = mail
        .iter()
        .find(|m| m.subject.contains("Пробный период"))
        .expect("the owner is told");
    assert!(
        told.text.contains("Просьба школы: переезд") && told.text.contains("30 ноября 2026 г.")
    );

    // The super-admin reads the page but leaves the money to the billing officer.
    let admin = app.browser();
    admin
        .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let page = admin
        .get(&format!("/operator/tenants/{alma_id}"))
        .await
        .text;
    assert!(page.contains("id=\"billing-role\"") && !page.contains("id=\"school-payment-form\""));
    assert_eq!(
        admin
            .post_form(
                &format!("/operator/tenants/{beta_id}/trial"),
                &[("ends_on", "2026-12-01"), ("trial_reason", "x y z")]
            )
            .await
            .status,
        403
    );
    // The invoice list names the school and its BIN.
    let list = officer.get("/operator/billing").await.text;
    let table = part(&list, "operator-invoices", "</table>");
    assert!(
        table.contains("School alma-school") && table.contains("123456789013"),
        "{table}"
    );
}
