//! API tokens: created once with the secret shown once, scoped to their tenant, expiring by
//! local date, revoked at once, never managed by another token.

use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, TestApp, error_fields},
};

#[tokio::test]
async fn a_token_is_shown_once_reads_and_expires_at_the_end_of_its_day() {
    // 2027-03-01 10:00 in Almaty.
    let app = TestApp::builder()
        .clock("2027-03-01T05:00:00Z")
        .start()
        .await;
    let owner = given::alma(&app).await.owner_token;
    let res = app
        .call(
            "POST",
            "/api/v1/tokens",
            &owner,
            Some(json!({ "name": "1C export", "scope": "read", "expires_on": "2027-03-05" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let created = res.json();
    let secret = created["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("edc_") && secret.len() == 68);
    assert_eq!(
        (created["scope"].as_str(), created["expires_on"].as_str()),
        (Some("read"), Some("2027-03-05"))
    );

    let me = app.call("GET", "/api/v1/me", &secret, None).await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.json()["tenant"]["slug"], "alma-school");
    let list = app.call("GET", "/api/v1/tokens", &owner, None).await;
    assert!(
        !list.text.contains(&secret[4..]),
        "the secret must never be listed"
    );
    let list = list.items();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["last_used_at"], "2027-03-01T05:00:00Z");

    // A token manages no tokens and signs nothing out.
    app.call(
        "POST",
        "/api/v1/tokens",
        &secret,
        Some(json!({ "name": "x", "scope": "read" })),
    )
    .await
    .problem(403);
    app.call("POST", "/api/v1/auth/logout", &secret, None)
        .await
        .problem(403);

    // Valid through 2027-03-05 local (18:59 UTC), not a minute after midnight.
    app.set_clock("2027-03-05T23:59:00+05:00").await;
    assert_eq!(
        app.call("GET", "/api/v1/me", &secret, None).await.status,
        200
    );
    app.set_clock("2027-03-06T00:01:00+05:00").await;
    app.call("GET", "/api/v1/me", &secret, None)
        .await
        .problem(401);
    app.stop().await;
}

#[tokio::test]
async fn revocation_is_immediate_and_tenants_never_see_each_others_tokens() {
    let app = TestApp::start().await;
    let a = given::alma(&app).await.owner_token;
    let b = given::beta(&app).await.owner_token;
    app.allow_api_write(&a).await;
    let given::ApiToken { id, secret } = given::api_token(&app, &a, "crm", "read_write").await;

    // School B sees none of A's tokens and cannot revoke one: 404, and nothing changes.
    assert_eq!(
        app.call("GET", "/api/v1/tokens", &b, None).await.items(),
        json!([])
    );
    app.call("DELETE", &format!("/api/v1/tokens/{id}"), &b, None)
        .await
        .problem(404);
    assert_eq!(
        app.call("GET", "/api/v1/me", &secret, None).await.status,
        200
    );

    let res = app
        .call("DELETE", &format!("/api/v1/tokens/{id}"), &a, None)
        .await;
    assert_eq!(res.status, 204);
    app.call("GET", "/api/v1/me", &secret, None)
        .await
        .problem(401);
    app.call("DELETE", &format!("/api/v1/tokens/{id}"), &a, None)
        .await
        .problem(404);
    assert_eq!(
        app.call("GET", "/api/v1/tokens", &a, None).await.items(),
        json!([])
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_tokens_are_refused_with_field_errors_and_operators_hold_none() {
    let app = TestApp::builder()
        .clock("2027-03-01T05:00:00Z")
        .start()
        .await;
    let owner = given::alma(&app).await.owner_token;
    let res = app
        .call(
            "POST",
            "/api/v1/tokens",
            &owner,
            Some(json!({ "name": " ", "scope": "admin", "expires_on": "2027-02-28" })),
        )
        .await;
    let problem = res.problem(422);
    let fields = error_fields(&problem);
    assert_eq!(fields, ["name", "scope", "expires_on"]);
    app.call(
        "POST",
        "/api/v1/tokens",
        &owner,
        Some(json!({ "name": "x", "scope": "read", "expires_on": "soon" })),
    )
    .await
    .problem(422);
    assert_eq!(
        app.call("GET", "/api/v1/tokens", &owner, None)
            .await
            .items(),
        json!([])
    );

    let op = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "admin@educenter.test", "password": ADMIN_PASSWORD }),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(
        "POST",
        "/api/v1/tokens",
        &op,
        Some(json!({ "name": "x", "scope": "read" })),
    )
    .await
    .problem(403);
    app.call("GET", "/api/v1/tokens", &op, None)
        .await
        .problem(403);
    app.stop().await;
}
