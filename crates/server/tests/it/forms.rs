//! Forms behind a reverse proxy (issue 15, item 16): the proxy hands the server its own
//! `Host`, so a form is judged by its `Origin` against the public address (`--public-url`,
//! `http://127.0.0.1` in the tests) and, with `--base-domain`, the school's subdomain.

use crate::harness::{Browser, OWNER_PASSWORD, TestApp};

const PUBLIC: &str = "http://127.0.0.1";
const INTERNAL_HOST: &str = "educenter-web.internal:8080";
const OWNER: &str = "owner@alma.kz";

/// A form as an older browser sends it behind the proxy: no `Sec-Fetch-Site`, the page's
/// `Origin`, and the `Host` the proxy wrote.
async fn post_via_proxy(
    b: &Browser<'_>,
    app: &TestApp,
    path: &str,
    origin: &str,
    host: &str,
    form: &[(&str, &str)],
) -> crate::harness::Res {
    app.send(
        b.client
            .post(app.url(path))
            .header("host", host)
            .header("origin", origin)
            .header("accept-language", "en")
            .form(form),
    )
    .await
}

#[tokio::test]
async fn cabinet_forms_are_judged_by_the_public_address_not_the_host() {
    let app = TestApp::start().await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let b = app.browser();
    b.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;

    let accepted = post_via_proxy(
        &b,
        &app,
        "/cabinet/groups",
        PUBLIC,
        INTERNAL_HOST,
        &[("group_name", "Morning")],
    )
    .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    let refused = post_via_proxy(
        &b,
        &app,
        "/cabinet/groups",
        "https://evil.example",
        INTERNAL_HOST,
        &[("group_name", "Evil")],
    )
    .await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.text.contains("The form came from another site"),
        "{}",
        refused.text
    );
    let page = b.get("/cabinet/students").await.text;
    assert!(page.contains("Morning"));
    assert!(!page.contains("Evil"));
    app.stop().await;
}

#[tokio::test]
async fn a_schools_site_takes_its_forms_from_the_public_address_or_its_own_subdomain() {
    let app = TestApp::builder()
        .base_domain("educenter.test")
        .start()
        .await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let signup = |email: &'static str| {
        [
            ("full_name", "Әлия Нұрланқызы"),
            ("email", email),
            ("password", "Student-2027!"),
            ("privacy", "on"),
        ]
    };

    // Under the platform's address, behind the proxy.
    let b = app.browser();
    let accepted = post_via_proxy(
        &b,
        &app,
        "/s/alma-school/signup",
        PUBLIC,
        INTERNAL_HOST,
        &signup("a@alma.kz"),
    )
    .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);

    let refused = post_via_proxy(
        &b,
        &app,
        "/s/alma-school/signup",
        "http://127.0.0.1.evil.example",
        INTERNAL_HOST,
        &signup("c@alma.kz"),
    )
    .await;
    assert_eq!(refused.status, 403);
    assert!(refused.text.contains("The form came from another site"));
    // On the school's own subdomain: its origin, not another school's.
    let b = app.browser();
    let host = "alma-school.educenter.test";
    let refused = post_via_proxy(
        &b,
        &app,
        "/signup",
        "http://bota-school.educenter.test",
        host,
        &signup("b@alma.kz"),
    )
    .await;
    assert_eq!(refused.status, 403);
    let accepted = post_via_proxy(
        &b,
        &app,
        "/signup",
        "http://alma-school.educenter.test",
        host,
        &signup("b@alma.kz"),
    )
    .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    app.stop().await;
}
