//! The nightly billing run over a page of schools at once (issue 16, item 8): the page is read
//! in a few queries and run in one transaction; a school whose day fails is rolled back alone,
//! its billing day kept, while the others' days happen.

use educenter_domain::ids::InvoiceId;
use serde_json::json;
use sqlx::Row;

use crate::{given, harness::TestApp};

async fn school_row(app: &TestApp, slug: &str) -> (String, Option<String>) {
    let row = sqlx::query("SELECT state, billing_due_on FROM tenants WHERE slug = $1")
        .bind(slug)
        .fetch_one(app.store().pool())
        .await
        .unwrap();
    (row.get("state"), row.get("billing_due_on"))
}

#[tokio::test]
async fn a_school_whose_day_fails_is_rolled_back_alone() {
    // Both trials started 2025-03-03 and end with 2025-03-17 (R-4.1b).
    let app = TestApp::builder()
        .clock("2025-03-03T15:20:00+05:00")
        .start()
        .await;
    given::alma(&app).await;
    given::beta(&app).await;
    let gamma = given::gamma(&app).await;
    // Gamma applies for a plan: an open invoice, one of the facts its day reads.
    given::plan().create(&app).await;
    let gamma = gamma.sign_in(&app).await;
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &gamma,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // Beta's stored trial end is damaged: its row cannot be read. Gamma's invoice is damaged:
    // the page's facts cannot be read together, so the page runs again school by school, and
    // only Gamma's day fails.
    sqlx::query("UPDATE tenants SET trial_ends_on = 'damaged' WHERE slug = 'beta-school'")
        .execute(app.store().pool())
        .await
        .unwrap();
    sqlx::query(
        "UPDATE invoices SET due_on = 'damaged' WHERE tenant_id = \
         (SELECT id FROM tenants WHERE slug = 'gamma-school')",
    )
    .execute(app.store().pool())
    .await
    .unwrap();
    let (_, beta_due) = school_row(&app, "beta-school").await;
    let gamma_before = school_row(&app, "gamma-school").await;

    let night: jiff::Timestamp = "2025-03-17T19:00:00Z".parse().unwrap();
    let report = educenter_services::billing::nightly::run_daily(app.store(), night)
        .await
        .unwrap();
    assert_eq!(
        (report.schools, report.changed, report.failed),
        (3, 1, 2),
        "{report:?}"
    );
    // Alma's day happened in full: its state, the owner's e-mail, its next billing day (the
    // application deadline, 2025-04-02, is the next thing to look at).
    let (state, due) = school_row(&app, "alma-school").await;
    assert_eq!(state, "trial_expired");
    assert_eq!(due.as_deref(), Some("2025-04-03"));
    let mail = sqlx::query("SELECT COUNT(*) AS n FROM mail_outbox WHERE to_address = $1")
        .bind("owner@alma.kz")
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get::<i64, _>("n");
    assert!(mail >= 1);
    // Beta's day left no trace, and it is looked at again the next night.
    assert_eq!(
        school_row(&app, "beta-school").await,
        ("trial".to_owned(), beta_due)
    );
    assert_eq!(school_row(&app, "gamma-school").await, gamma_before);
    let states = sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'licence.state'")
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get::<i64, _>("n");
    assert_eq!(states, 1);
    // The same night again: Alma has nothing more to do; Beta and Gamma fail again, alone.
    let again = educenter_services::billing::nightly::run_daily(app.store(), night)
        .await
        .unwrap();
    assert_eq!((again.schools, again.changed, again.failed), (2, 0, 2));
    app.stop().await;
}

/// What a page reads for its renewals at once (`RenewalReads`) is what each school's own reads
/// give, on both engines: the months of the school's own last invoice only, the credit balance
/// by currency (0 without entries), the address and the operator's requisites.
#[tokio::test]
async fn a_pages_renewal_reads_are_the_schools_own() {
    use educenter_domain::{billing::Currency, money::Money};
    use educenter_store::billing as store;
    let app = TestApp::builder()
        .clock("2027-02-10T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).licence(3).await;
    let beta = given::beta(&app).await;
    let invoice_id = InvoiceId::new(alma.invoice["id"].as_str().unwrap());
    let (a, b) = (alma.tenant_id(&app).await, beta.tenant_id(&app).await);
    let res = app
        .call(
            "PUT",
            "/api/v1/documents/settings",
            &alma.owner_token,
            Some(json!({ "lang": "ru", "address": "Алматы, пр. Абая, 1" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let db = app.store();
    let now = app.now().await;
    let mut tx = db.begin().await.unwrap();
    for (amount, currency) in [
        (50_000, Currency::Kzt),
        (-20_000, Currency::Kzt),
        (1_000, Currency::Eur),
    ] {
        store::add_credit(
            &mut tx,
            &a,
            Money::new(amount, currency),
            "test",
            None,
            None,
            now,
        )
        .await
        .unwrap();
    }
    let reads = store::RenewalReads::read(
        &mut tx,
        None,
        &[(&a, &invoice_id), (&b, &InvoiceId::new("nothing"))],
    )
    .await
    .unwrap();
    let own = store::invoice(&mut tx, &a, &invoice_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reads.months.get(&invoice_id), Some(&own.months));
    assert_eq!(own.months, 3);
    for (school, currency) in [
        (&a, Currency::Kzt),
        (&a, Currency::Eur),
        (&b, Currency::Kzt),
    ] {
        let balance = store::credit_balance(&mut tx, school, currency)
            .await
            .unwrap();
        let read = reads
            .credit
            .get(&(school.clone(), currency))
            .copied()
            .unwrap_or(0);
        assert_eq!(read, balance, "{school} {currency}");
    }
    assert_eq!(reads.credit.get(&(a.clone(), Currency::Kzt)), Some(&30_000));
    for school in [&a, &b] {
        let (_, address) = educenter_store::documents::tenant_settings(&mut tx, school)
            .await
            .unwrap();
        assert_eq!(reads.address.get(school.as_str()), Some(&address));
    }
    assert_eq!(reads.address[a.as_str()], "Алматы, пр. Абая, 1");
    let supplier = reads.supplier.as_ref().expect("the requisites");
    assert_eq!(supplier["bin"], "151140002258");
    // Another school's invoice is not the asking school's.
    let other = store::RenewalReads::read(&mut tx, None, &[(&b, &invoice_id)])
        .await
        .unwrap();
    assert!(other.months.is_empty());
    drop(tx);
    app.stop().await;
}

/// A night's renewals take their invoice numbers together, one for each renewal issued and none
/// for a renewal whose term is no longer sold, so the numbers stay gapless: the three
/// schools' renewals come due the same night, two are issued with the next two numbers, and the
/// next invoice issued after the night takes the number after them.
#[tokio::test]
async fn a_nights_renewals_take_the_next_numbers_and_leave_no_gap() {
    let app = TestApp::builder()
        .clock("2027-02-01T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).licence(1).await;
    let beta = given::beta(&app).licence(1).await;
    let gamma = given::gamma(&app).licence(1).await;
    let numbers = [&alma, &beta, &gamma].map(|s| s.invoice["number"].clone());
    assert_eq!(numbers, ["2027-000001", "2027-000002", "2027-000003"]);
    // Gamma's last invoice is for a term the plan is not sold for (2 months): its renewal
    // comes due but cannot be issued.
    sqlx::query(
        "UPDATE invoices SET months = 2 WHERE tenant_id = \
         (SELECT id FROM tenants WHERE slug = 'gamma-school')",
    )
    .execute(app.store().pool())
    .await
    .unwrap();
    let paid_through = |token: String| {
        let app = &app;
        async move {
            app.call("GET", "/api/v1/license", &token, None)
                .await
                .json()["paid_through"]
                .clone()
        }
    };
    // The three schools' last paid day L is the same: their renewals come due together, at
    // 00:00 on L - 10.
    for school in [&alma, &beta, &gamma] {
        assert_eq!(paid_through(school.owner_token.clone()).await, "2027-03-01");
    }
    app.set_clock("2027-02-19T00:05:00+05:00").await;
    let mut renewals = Vec::new();
    for school in [&alma, &beta, &gamma] {
        let token = school.sign_in(&app).await;
        let list = app
            .call("GET", "/api/v1/invoices", &token, None)
            .await
            .items();
        let list = list.as_array().unwrap().clone();
        for i in list.iter().filter(|i| i["purpose"] == "renewal") {
            // A month of "start" at 30 000.00 KZT, issued that night, due 3 business days on.
            assert_eq!(i["total"]["amount_minor"], 3_000_000);
            assert_eq!(
                (&i["issued_on"], &i["due_on"]),
                (&json!("2027-02-19"), &json!("2027-02-24"))
            );
            renewals.push((school.slug, i["number"].as_str().unwrap().to_owned()));
        }
    }
    renewals.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        renewals,
        [
            ("alma-school", "2027-000004".to_owned()),
            ("beta-school", "2027-000005".to_owned())
        ]
    );
    // Each owner's e-mail names its school's own invoice.
    for (owner, number) in [
        ("owner@alma.kz", "2027-000004"),
        ("owner@beta.kz", "2027-000005"),
    ] {
        let mail = app.mail_to(owner).await;
        assert!(
            mail.iter().any(|m| m.subject.contains(number)),
            "{owner}: {:?}",
            mail.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
    }
    // The next invoice after the night takes the next number: none was taken for Gamma.
    let token = gamma.sign_in(&app).await;
    let res = app
        .call(
            "POST",
            "/api/v1/applications",
            &token,
            Some(json!({ "plan": "start", "months": 1, "currency": "KZT" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["invoice"]["number"], "2027-000006");
    app.stop().await;
}
