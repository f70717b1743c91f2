//! Signing in and out through the API: tokens, the same 401 for unknown and wrong, throttled
//! failures, expiry, sign-out here and everywhere.

use educenter_store::audit;
use serde_json::Value;

use crate::{
    given,
    harness::{Res, TestApp},
};

async fn me(app: &TestApp, token: &str) -> Res {
    app.send(app.client.get(app.url("/api/v1/me")).bearer_auth(token))
        .await
}

async fn ask_reset(app: &TestApp, email: &str) -> Res {
    app.post_json(
        "/api/v1/auth/password-reset",
        &serde_json::json!({ "email": email, "tenant": "alma-school" }),
    )
    .await
}

fn token(res: &Res) -> String {
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_owner_signs_in_and_the_token_names_the_tenant() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    given::alma(&app).await;
    let res = app
        .login("OWNER@alma.kz", "Kazakh-2027!", Some("alma-school"))
        .await;
    let t = token(&res);
    assert_eq!(res.json()["expires_at"], "2027-01-21T05:00:00Z");
    let res = me(&app, &t).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body: Value = res.json();
    assert_eq!(body["email"], "owner@alma.kz");
    assert_eq!(
        (body["kind"].as_str(), body["role"].as_str()),
        (Some("owner"), Some("owner"))
    );
    assert_eq!(body["tenant"]["slug"], "alma-school");
    assert_eq!(body["email_verified"], false);

    // The e-mail and password alone find the owner's school (issue 15, item 11).
    let alone = app.login("owner@alma.kz", "Kazakh-2027!", None).await;
    let alone = me(&app, &token(&alone)).await.json();
    assert_eq!(alone["tenant"]["slug"], "alma-school");
    app.login("owner@alma.kz", "Wrong-2027!!", None)
        .await
        .problem(401);

    // Expired after a day.
    app.advance(1, 0, 0).await;
    let res = me(&app, &t).await;
    res.problem(401);
    assert_eq!(res.header("www-authenticate"), "Bearer");
    app.stop().await;
}

#[tokio::test]
async fn unknown_and_wrong_get_the_same_answer_and_are_audited() {
    let app = TestApp::start().await;
    given::alma(&app).await;
    let wrong = app
        .login("owner@alma.kz", "not-the-password-1", Some("alma-school"))
        .await;
    let unknown = app
        .login("nobody@alma.kz", "not-the-password-1", Some("alma-school"))
        .await;
    let no_school = app
        .login("owner@alma.kz", "Kazakh-2027!", Some("no-such-school"))
        .await;
    for res in [&wrong, &unknown, &no_school] {
        assert_eq!(res.problem(401), wrong.json());
    }
    for res in [me(&app, "made-up").await, app.get("/api/v1/me").await] {
        res.problem(401);
    }
    let failed = audit::recent(app.store(), Some("auth.login_failed"), 10)
        .await
        .unwrap();
    assert_eq!(failed.len(), 3);
    assert_eq!(failed[0].ip.as_deref(), Some("127.0.0.1"));
    token(
        &app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
            .await,
    );
    // The sign-in of `school` and this one.
    assert_eq!(
        audit::recent(app.store(), Some("auth.login"), 10)
            .await
            .unwrap()
            .len(),
        2
    );
    app.stop().await;
}

#[tokio::test]
async fn failures_are_throttled_per_account_with_retry_after() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    given::alma(&app).await;
    for _ in 0..5 {
        app.login("owner@alma.kz", "wrong-password-1", Some("alma-school"))
            .await
            .problem(401);
    }
    // Five failures never lock the right password out: from the sixth try on, the e-mail
    // needs a code e-mailed to it as well, and the answer is the same for a wrong password.
    let code_required = |res: &crate::harness::Res| {
        let body = res.problem(403);
        assert!(
            body["type"].as_str().unwrap().ends_with("/code-required"),
            "{body}"
        );
    };
    code_required(
        &app.login("owner@alma.kz", "wrong-password-1", Some("alma-school"))
            .await,
    );
    assert!(
        app.mail_to("owner@alma.kz")
            .await
            .iter()
            .all(|m| !m.subject.contains("Код"))
    );
    code_required(
        &app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
            .await,
    );
    let mail = app.mail_to("owner@alma.kz").await;
    let code_mail = mail
        .iter()
        .find(|m| m.subject.contains("Код для входа"))
        .expect("the code is e-mailed");
    let code: String = code_mail
        .text
        .split_whitespace()
        .find(|w| w.len() == 6 && w.bytes().all(|b| b.is_ascii_digit()))
        .expect("six digits")
        .to_owned();
    // Without the school too; a wrong code is refused; the password and the code sign in.
    let with_code = |code: &str| serde_json::json!({ "email": "owner@alma.kz", "password": "Kazakh-2027!", "code": code });
    let wrong_code = if code == "000000" { "111111" } else { "000000" };
    code_required(
        &app.post_json("/api/v1/auth/login", &with_code(wrong_code))
            .await,
    );
    // A code is e-mailed at most once a minute.
    let codes = |mail: &[crate::harness::SentMail]| {
        mail.iter()
            .filter(|m| m.subject.contains("Код для входа"))
            .count()
    };
    assert_eq!(codes(&app.mail_to("owner@alma.kz").await), 1);
    token(&app.post_json("/api/v1/auth/login", &with_code(&code)).await);
    // Signed in, the e-mail's failures are forgotten: the password alone works again.
    token(
        &app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
            .await,
    );
    app.stop().await;
}

#[tokio::test]
async fn tries_are_throttled_per_client_address_behind_trusted_proxies() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .trusted_proxies("127.0.0.0/8")
        .start()
        .await;
    given::alma(&app).await;
    let from = |ip: &str, email: String| {
        app.send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", ip)
                .json(&serde_json::json!({ "email": email, "password": "wrong" })),
        )
    };
    // 20 tries per client address (whatever the e-mails), then one more every 45 seconds.
    for i in 0..20 {
        from("203.0.113.7", format!("nobody{i}@alma.kz"))
            .await
            .problem(401);
    }
    let res = from("203.0.113.7", "nobody@alma.kz".into()).await;
    res.problem(429);
    assert_eq!(res.header("retry-after"), "45");
    // Another client behind the same load balancer is not held back.
    from("198.51.100.9", "nobody@alma.kz".into())
        .await
        .problem(401);
    let ok = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", "198.51.100.9")
                .json(&serde_json::json!({ "email": "owner@alma.kz", "password": "Kazakh-2027!" })),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    app.advance(0, 0, 1).await;
    from("203.0.113.7", "late@alma.kz".into())
        .await
        .problem(401);
    app.stop().await;
}

#[tokio::test]
async fn sign_out_here_and_everywhere() {
    let app = TestApp::start().await;
    given::alma(&app).await;
    let a = token(
        &app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
            .await,
    );
    let b = token(
        &app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
            .await,
    );
    let c = token(
        &app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
            .await,
    );
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/logout"))
                .bearer_auth(&a),
        )
        .await;
    assert_eq!(res.status, 204);
    me(&app, &a).await.problem(401);
    assert_eq!(me(&app, &b).await.status, 200);
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/logout-everywhere"))
                .bearer_auth(&b),
        )
        .await;
    assert_eq!(res.status, 204);
    me(&app, &b).await.problem(401);
    me(&app, &c).await.problem(401);
    app.stop().await;
}

#[tokio::test]
async fn a_password_reset_link_sets_a_new_password_and_ends_every_session() {
    let app = TestApp::start().await;
    let old = given::alma(&app).await.owner_token;
    assert_eq!(ask_reset(&app, "nobody@alma.kz").await.status, 202);
    assert!(app.mail_to("nobody@alma.kz").await.is_empty());
    assert_eq!(ask_reset(&app, "owner@alma.kz").await.status, 202);
    let mail = app.mail_to("owner@alma.kz").await;
    let reset = mail
        .iter()
        .find(|m| m.subject == "Сброс пароля EduCenter: School alma-school")
        .expect("reset mail");
    let link = reset.links[0].clone();
    assert!(link.starts_with("http://127.0.0.1/reset-password?token="));
    let secret = link.split("token=").nth(1).unwrap().to_owned();

    let page = app.get(link.trim_start_matches("http://127.0.0.1")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("action=\"/reset-password\""));
    let res = app
        .send(
            app.client
                .post(app.url("/reset-password"))
                .form(&[("token", secret.as_str()), ("password", "weak")]),
        )
        .await;
    assert_eq!(res.status, 422);
    let res = app
        .send(
            app.client
                .post(app.url("/reset-password"))
                .form(&[("token", secret.as_str()), ("password", "Brand-new-2027")]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("Пароль изменён"));

    me(&app, &old).await.problem(401);
    app.login("owner@alma.kz", "Kazakh-2027!", Some("alma-school"))
        .await
        .problem(401);
    token(
        &app.login("owner@alma.kz", "Brand-new-2027", Some("alma-school"))
            .await,
    );
    app.post_json(
        "/api/v1/auth/password-reset/confirm",
        &serde_json::json!({ "token": secret, "password": "Another-2027!" }),
    )
    .await
    .problem(410);

    // Links last an hour; requests are limited to 3 per 20 minutes per account.
    assert_eq!(ask_reset(&app, "owner@alma.kz").await.status, 202);
    assert_eq!(ask_reset(&app, "owner@alma.kz").await.status, 202);
    assert_eq!(ask_reset(&app, "owner@alma.kz").await.status, 202);
    let resets = |m: &Vec<crate::harness::SentMail>| {
        m.iter()
            .filter(|m| m.subject.starts_with("Сброс пароля EduCenter"))
            .count()
    };
    assert_eq!(
        resets(&app.mail_to("owner@alma.kz").await),
        3,
        "the third request in 20 minutes sends nothing"
    );
    let late = app.mail_to("owner@alma.kz").await[0].links[0]
        .split("token=")
        .nth(1)
        .unwrap()
        .to_owned();
    app.advance(0, 1, 1).await;
    app.post_json(
        "/api/v1/auth/password-reset/confirm",
        &serde_json::json!({ "token": late, "password": "Another-2027!" }),
    )
    .await
    .problem(410);
    app.stop().await;
}
