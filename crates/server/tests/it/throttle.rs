//! Mail on someone else's behalf is throttled (issue 15, item 16): a student's invitation is
//! sent again at most once per 10 minutes and 3 times a day; students sign themselves up at
//! most 60 at once per school and 10 at once per client address.

use serde_json::json;

use crate::harness::{OWNER_PASSWORD, TestApp};

const OWNER: &str = "owner@alma.kz";

#[tokio::test]
async fn a_students_invitation_is_sent_again_at_most_every_10_minutes_and_3_times_a_day() {
    let app = TestApp::start().await;
    let owner = app
        .school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/students",
            &owner,
            Some(json!({ "full_name": "Дана Серикова", "email": "dana@mail.kz" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let dana = res.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/students/{dana}/invitation");
    let resend = || app.call("POST", &path, &owner, None);
    assert_eq!(resend().await.status, 204);
    // At once again: refused, with how long to wait.
    let res = resend().await;
    res.problem(429);
    let wait: u64 = res.header("retry-after").parse().unwrap();
    assert!((1..=600).contains(&wait), "{wait}");
    // The cabinet's button says the same in the owner's language.
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let page = app
        .send(
            b.client
                .post(app.url(&format!("/cabinet/students/{dana}/invitation")))
                .header("accept-language", "en")
                .header("sec-fetch-site", "same-origin"),
        )
        .await;
    assert_eq!(page.status, 429);
    assert!(
        page.text.contains("This was done too often just now"),
        "{}",
        page.text
    );
    assert_eq!(app.mail_to("dana@mail.kz").await.len(), 2);

    // Every 10 minutes one more, up to 3 in a day.
    app.advance(0, 0, 10).await;
    assert_eq!(resend().await.status, 204);
    app.advance(0, 0, 10).await;
    assert_eq!(resend().await.status, 204);
    app.advance(0, 0, 10).await;
    let res = resend().await;
    res.problem(429);
    let wait: u64 = res.header("retry-after").parse().unwrap();
    assert!(wait > 600, "the day's limit, not the 10 minutes: {wait}");
    // The first invitation and three resends; none of the refused ones.
    assert_eq!(app.mail_to("dana@mail.kz").await.len(), 4);
    app.advance(1, 0, 0).await;
    // A day later (with a new sign-in: the first one has expired) one more goes.
    let owner = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    let res = app.call("POST", &path, &owner, None).await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(app.mail_to("dana@mail.kz").await.len(), 5);
    app.stop().await;
}

/// A student's sign-up form posted on the school's site from `address` (the proxy's
/// `X-Forwarded-For`).
async fn sign_up(app: &TestApp, email: &str, address: &str) -> crate::harness::Res {
    app.send(
        app.browser()
            .client
            .post(app.url("/s/alma-school/signup"))
            .header("x-forwarded-for", address)
            .header("accept-language", "en")
            .form(&[
                ("full_name", "Әлия Нұрланқызы"),
                ("email", email),
                ("password", "Student-2027!"),
                ("privacy", "on"),
            ]),
    )
    .await
}

#[tokio::test]
async fn students_sign_up_at_most_10_at_once_per_address_and_60_per_school() {
    let app = TestApp::builder()
        .trusted_proxies("127.0.0.1")
        .start()
        .await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    for i in 0..10 {
        let res = sign_up(&app, &format!("s{i}@mail.kz"), "10.0.0.1").await;
        assert_eq!(res.status, 303, "{}", res.text);
    }
    // The 11th from the same address: refused on the form, nothing created or sent.
    let res = sign_up(&app, "s10@mail.kz", "10.0.0.1").await;
    assert_eq!(res.status, 429);
    assert!(res.header("retry-after").parse::<u64>().unwrap() > 0);
    assert!(
        res.text.contains("Too many sign-ups at this school"),
        "{}",
        res.text
    );
    assert!(app.mail_to("s10@mail.kz").await.is_empty());
    // Another address is not held up by the first one.
    for i in 10..60 {
        let address = format!("10.0.1.{i}");
        let res = sign_up(&app, &format!("s{i}@mail.kz"), &address).await;
        assert_eq!(res.status, 303, "{}", res.text);
    }
    // The school has had 60 at once: the 61st waits, whatever its address.
    let res = sign_up(&app, "s60@mail.kz", "10.0.2.1").await;
    assert_eq!(res.status, 429);
    let owner = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    let licence = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    assert_eq!(licence["usage"]["students"], 60, "{licence}");
    // A minute later one more may come.
    app.advance(0, 0, 1).await;
    assert_eq!(sign_up(&app, "s60@mail.kz", "10.0.2.1").await.status, 303);
    app.stop().await;
}
