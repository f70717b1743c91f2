//! Issue 17, items 7 and 8: prices and the application as a buyer expects them. The pricing
//! page lists plans cheapest first, each with its own terms and a call to action; the
//! application offers only the terms a plan sells, with their prices, takes a promo code whose
//! discount shows before confirming, and says which licence days the payment buys.

use serde_json::json;

use crate::harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, signup_body};

const OWNER: &str = "owner@alma.kz";
const SLUG: &str = "alma-school";

#[tokio::test]
async fn the_application_offers_the_plans_terms_with_prices_a_promo_code_and_the_days_it_buys() {
    // The school signs up on Monday 2026-11-02; it applies on Thursday 2026-11-05, in its
    // trial: three months of Start run from the day after sign-up, 2026-11-03, to 2027-02-02.
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let res = app
        .post_json(
            "/api/v1/signup",
            &signup_body(SLUG, "123456789013", OWNER, "+77011234567"),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    for (code, name, prices) in [
        (
            "pro",
            "Про",
            json!([
                { "currency": "KZT", "months": 1, "amount_minor": 9_000_000, "effective_from": "2024-01-01" },
                { "currency": "KZT", "months": 12, "amount_minor": 90_000_000, "effective_from": "2024-01-01" },
            ]),
        ),
        (
            "start",
            "Старт",
            json!([
                { "currency": "KZT", "months": 1, "amount_minor": 3_000_000, "effective_from": "2024-01-01" },
                { "currency": "KZT", "months": 3, "amount_minor": 8_100_000, "effective_from": "2024-01-01" },
            ]),
        ),
    ] {
        let res = app
            .call(
                "POST",
                "/api/v1/operator/plans",
                &admin,
                Some(json!({
                    "code": code,
                    "name": { "ru": name, "kk": name, "en": name },
                    "limits": { "students": 100, "staff": 5, "storage_bytes": 10_000_000_000i64, "courses": 20 },
                    "prices": prices,
                })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let res = app
        .call(
            "POST",
            "/api/v1/operator/promotions",
            &admin,
            Some(json!({ "code": "WELCOME10", "kind": "percent", "value": 10, "plans": ["start"], "valid_from": "2026-11-01", "valid_to": "2026-12-31" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    // Pricing: Start (30 000 a month) before Pro (75 000 a month over a year), each with the
    // terms it sells and a way in.
    let pricing = app.get("/pricing").await.text;
    let (start, pro) = (
        pricing.find("<h2>Старт</h2>").expect("Start"),
        pricing.find("<h2>Про</h2>").expect("Pro"),
    );
    assert!(start < pro, "cheapest first");
    assert!(pricing.contains("href=\"/signup?plan=start\" id=\"try-start\""));
    let start_card = &pricing[start..pro];
    assert!(start_card.contains("3 месяца") && !start_card.contains("12 месяцев"));

    app.set_clock("2026-11-05T12:00:00+05:00").await;
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    // From the pricing page, the plan comes chosen.
    let page = b.get("/cabinet/billing?plan=pro").await.text;
    let select = &page[page.find("<select id=\"offer\"").expect("the offer select")..];
    let select = &select[..select.find("</select>").unwrap()];
    let values: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .map(|o| &o[..o.find('"').unwrap()])
        .collect();
    assert_eq!(
        values,
        ["start:1", "start:3", "pro:1", "pro:12"],
        "{select}"
    );
    assert!(
        select.contains("Старт — 3 месяца: 81\u{a0}000,00\u{a0}KZT"),
        "{select}"
    );
    assert!(
        select.contains("<option value=\"pro:1\" selected"),
        "{select}"
    );

    // A code that does not apply is said beside its field.
    let res = b
        .post_form(
            "/cabinet/billing/preview",
            &[
                ("offer", "pro:1"),
                ("currency", "KZT"),
                ("promo_code", "WELCOME10"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"promo_code-error\""), "{}", res.text);
    // A made-up plan: beside the plan's choice.
    let res = b
        .post_form(
            "/cabinet/billing/preview",
            &[("offer", "gold:1"), ("currency", "KZT")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"offer-error\""));

    // The discount and the days bought show before confirming.
    let res = b
        .post_form(
            "/cabinet/billing/preview",
            &[
                ("offer", "start:3"),
                ("currency", "KZT"),
                ("promo_code", "WELCOME10"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("WELCOME10"), "{}", res.text);
    assert!(
        res.text
            .contains("id=\"preview-total\">72\u{a0}900,00\u{a0}KZT"),
        "81 000 less 10%: {}",
        res.text
    );
    assert!(
        res.text.contains("с 3 ноября 2026 г. по 2 февраля 2027 г."),
        "{}",
        res.text
    );
    assert!(res.text.contains("id=\"preview-from-trial\""));
    assert!(res.text.contains("name=\"promo_code\" value=\"WELCOME10\""));
    // Confirmed, the invoice is the one shown.
    let res = b
        .post_form(
            "/cabinet/billing/apply",
            &[
                ("plan", "start"),
                ("months", "3"),
                ("currency", "KZT"),
                ("promo_code", "WELCOME10"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let token = app.token_for(OWNER, OWNER_PASSWORD, Some(SLUG)).await;
    let invoices = app
        .call("GET", "/api/v1/invoices", &token, None)
        .await
        .items();
    assert_eq!(invoices[0]["total"]["amount_minor"], 7_290_000);
}
