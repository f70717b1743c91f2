//! The person's phone in two-step sign-in: the authenticator app's codes, computed from the
//! secret the server keeps (as the app keeps it), at the app's test clock. Signing in again
//! at a standing test clock would repeat the step a code was already taken at, which the
//! server rightly refuses; these helpers let the step be taken again (`allow_step_again`),
//! only for the sign-ins that tests make in passing: the tests of two-step sign-in itself never
//! call it.

use educenter_store::sqlx;
use jiff::Timestamp;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::harness::{Browser, TestApp};

/// The code an app with `secret` (base32) shows at `at`.
pub fn code_at(secret: &str, at: Timestamp) -> String {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .expect("a base32 secret");
    let totp = TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some("EduCenter".into()),
        "x".into(),
    )
    .expect("a TOTP");
    totp.generate(u64::try_from(at.as_second()).expect("after 1970"))
}

/// The confirmed authenticator secret of the account of `email` (at the school `slug`, or the
/// operator's staff first when `slug` is empty or `None`).
pub async fn secret_of(app: &TestApp, email: &str, slug: Option<&str>) -> String {
    let mut conn = app.store().conn().await.expect("a connection");
    let row: (String,) = sqlx::query_as(
        "SELECT m.secret FROM mfa_totp m JOIN users u ON u.id = m.user_id \
         LEFT JOIN tenants t ON t.id = u.tenant_id \
         WHERE u.email = $1 AND m.confirmed_at IS NOT NULL AND ($2 = '' OR t.slug = $2) \
         ORDER BY CASE u.kind WHEN 'operator' THEN 0 ELSE 1 END LIMIT 1",
    )
    .bind(email.to_lowercase())
    .bind(slug.unwrap_or(""))
    .fetch_one(&mut *conn)
    .await
    .expect("an authenticator of this e-mail");
    row.0
}

/// Lets the codes of steps already taken sign in again (a standing test clock).
async fn allow_step_again(app: &TestApp, email: &str) {
    let mut conn = app.store().conn().await.expect("a connection");
    sqlx::query(
        "UPDATE mfa_totp SET last_step = 0 WHERE user_id IN \
         (SELECT id FROM users WHERE email = $1)",
    )
    .bind(email.to_lowercase())
    .execute(&mut *conn)
    .await
    .expect("step allowed again");
}

/// The code for signing in in passing as `email` now.
pub async fn passing_code(app: &TestApp, email: &str, slug: Option<&str>) -> String {
    allow_step_again(app, email).await;
    code_at(&secret_of(app, email, slug).await, app.now().await)
}

/// Whether a problem answer is `mfa-required`.
pub fn is_mfa_required(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v["type"].as_str().map(|t| t.ends_with("/mfa-required")))
        .unwrap_or(false)
}

/// A person who must sign in in two steps and has not set it up does so with `token`, as the
/// API then asks (`/api/v1/me/mfa/totp*`).
pub async fn set_up_if_required(app: &TestApp, token: &str) {
    let res = app.call("GET", "/api/v1/me/mfa/totp", token, None).await;
    if res.status != 200 {
        return;
    }
    let status = res.json();
    if status["required"] != true || status["enabled"] == true {
        return;
    }
    let res = app.call("POST", "/api/v1/me/mfa/totp", token, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let secret = res.json()["secret"].as_str().expect("a secret").to_owned();
    let code = code_at(&secret, app.now().await);
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            token,
            Some(serde_json::json!({ "code": code })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // The security e-mail goes out now, before the test's own mail.
    app.drain().await;
}

/// Whether the account of `email` (at the school `slug`, or among the operator's staff when it
/// is empty) must set up two-step sign-in and has not.
async fn must_set_up(app: &TestApp, email: &str, slug: &str) -> bool {
    let mut conn = app.store().conn().await.expect("a connection");
    let row: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id \
         WHERE u.email = $1 AND u.removed_at IS NULL AND u.mfa_enabled_at IS NULL \
         AND (($2 = '' AND u.kind = 'operator') \
           OR (t.slug = $2 AND u.kind = 'staff' AND t.staff_mfa_required = 1))",
    )
    .bind(email.to_lowercase())
    .bind(slug)
    .fetch_one(&mut *conn)
    .await
    .expect("a count");
    row.0 > 0
}

/// The value of the hidden field `name` of a page's form.
pub fn hidden_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &page[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl Browser<'_> {
    /// A browser that was asked for the second step after the password answers it.
    pub async fn second_step(
        &self,
        email: &str,
        slug: Option<&str>,
        page: &str,
    ) -> crate::harness::Res {
        let challenge = hidden_value(page, "challenge").expect("a challenge");
        let next = hidden_value(page, "next").unwrap_or_default();
        let code = passing_code(self.app(), email, slug).await;
        let action = match slug {
            Some(s) if !s.is_empty() && page.contains(&format!("/s/{s}/login/code")) => {
                format!("/s/{s}/login/code")
            }
            _ => "/login/code".to_owned(),
        };
        self.post_form(
            &action,
            &[("challenge", &challenge), ("totp", &code), ("next", &next)],
        )
        .await
    }

    /// A person who must sign in in two steps and has not set it up does so in this browser,
    /// with the security page's forms.
    pub async fn set_up_if_required(&self, email: &str, slug: &str) {
        if !must_set_up(self.app(), email, slug).await {
            return;
        }
        let page = self.get("/account/security").await;
        assert!(page.text.contains("id=\"mfa-required\""), "{}", page.text);
        let started = self.post_form("/account/security/totp", &[]).await;
        assert_eq!(started.status, 200, "{}", started.text);
        let at = started
            .text
            .find("id=\"totp-secret\">")
            .expect("the secret shown");
        let rest = &started.text[at + 17..];
        let secret = &rest[..rest.find('<').expect("the secret's end")];
        let code = code_at(secret, self.app().now().await);
        let done = self
            .post_form("/account/security/totp/confirm", &[("code", &code)])
            .await;
        assert_eq!(done.status, 200, "{}", done.text);
        assert!(done.text.contains("id=\"recovery-codes\""), "{}", done.text);
        self.app().drain().await;
    }
}

/// The clock of a server run as its own process: its test clock in test mode, else the wall
/// clock.
async fn clock_of(client: &reqwest::Client, base: &str) -> Timestamp {
    let res = client
        .get(format!("{base}/api/v1/test/clock"))
        .send()
        .await
        .expect("a request");
    if res.status() == 200 {
        let now: serde_json::Value = res.json().await.expect("the clock");
        now["now"]
            .as_str()
            .expect("an instant")
            .parse()
            .expect("an instant")
    } else {
        Timestamp::now()
    }
}

/// Sets up two-step sign-in with the token of a person who must, on a server run as its own
/// process (`base`); returns the recovery codes, which sign in later runs.
pub async fn set_up_at(client: &reqwest::Client, base: &str, token: &str) -> Vec<String> {
    let res = client
        .post(format!("{base}/api/v1/me/mfa/totp"))
        .bearer_auth(token)
        .send()
        .await
        .expect("a request");
    assert_eq!(res.status(), 201);
    let secret = res.json::<serde_json::Value>().await.expect("JSON")["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let code = code_at(&secret, clock_of(client, base).await);
    let res = client
        .post(format!("{base}/api/v1/me/mfa/totp/confirm"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .expect("a request");
    assert_eq!(res.status(), 200);
    serde_json::from_value(
        res.json::<serde_json::Value>().await.expect("JSON")["recovery_codes"].clone(),
    )
    .expect("recovery codes")
}
