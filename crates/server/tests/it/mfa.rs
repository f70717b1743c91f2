//! Issue 18, item 5: two-step sign-in (TOTP, RFC 6238, with recovery codes) and one's
//! sessions. Required of the operator's staff: one without it signs in to a session that only
//! sets it up; optional for a school's people, and the owner may require it of the staff.
//! Codes are checked against the test clock, one 30-second step either side, and none signs in
//! twice.

use jiff::SignedDuration;
use serde_json::{Value, json};

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp, error_fields},
    two_step::{code_at, hidden_value, is_mfa_required},
};

const CLERK: &str = "clerk@educenter.test";
const CLERK_PASSWORD: &str = "Ledger-2027!";

fn problem_type(text: &str) -> String {
    serde_json::from_str::<Value>(text).unwrap_or_default()["type"]
        .as_str()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn login(
    app: &TestApp,
    email: &str,
    password: &str,
    totp: Option<&str>,
) -> crate::harness::Res {
    app.post_json(
        "/api/v1/auth/login",
        &json!({ "email": email, "password": password, "totp": totp }),
    )
    .await
}

/// A billing officer, created as the command line does it, not yet signed in.
async fn clerk(app: &TestApp) {
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        CLERK,
        "Бота Серикова",
        educenter_domain::roles::OperatorRole::Billing,
        CLERK_PASSWORD,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn an_operator_without_two_step_sign_in_can_only_set_it_up_and_then_works() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    clerk(&app).await;

    // The password alone signs in, to a session that reaches nothing but the setting up.
    let res = login(&app, CLERK, CLERK_PASSWORD, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let token = res.json()["token"].as_str().unwrap().to_owned();
    for (method, path) in [
        ("GET", "/api/v1/operator/acts"),
        ("GET", "/api/v1/operator/tenants"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/me/sessions"),
    ] {
        let res = app.call(method, path, &token, None).await;
        assert_eq!(res.status, 403, "{path}: {}", res.text);
        assert_eq!(problem_type(&res.text), "mfa-required", "{path}");
    }
    let status = app
        .call("GET", "/api/v1/me/mfa/totp", &token, None)
        .await
        .json();
    assert_eq!(status["required"], true);
    assert_eq!(status["enabled"], false);

    let res = app.call("POST", "/api/v1/me/mfa/totp", &token, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let enrolment = res.json();
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    let url = enrolment["otpauth_url"].as_str().unwrap();
    assert!(url.starts_with("otpauth://totp/EduCenter:"), "{url}");
    assert!(url.contains(&format!("secret={secret}")), "{url}");
    assert!(url.contains("issuer=EduCenter"), "{url}");

    // A wrong code is a 422 beside `code`, and nothing is switched on.
    let now = app.now().await;
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            &token,
            Some(json!({ "code": "000000" })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(error_fields(&res.json()), ["code"]);
    // A code two steps away (a minute) is wrong too.
    let far = code_at(&secret, now + SignedDuration::from_secs(61));
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            &token,
            Some(json!({ "code": far })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/operator/acts", &token, None)
            .await
            .status,
        403
    );

    // The app's code now switches it on and gives ten recovery codes; the same token works.
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            &token,
            Some(json!({ "code": code_at(&secret, now) })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let codes: Vec<String> = serde_json::from_value(res.json()["recovery_codes"].clone()).unwrap();
    assert_eq!(codes.len(), 10);
    let res = app.call("GET", "/api/v1/operator/acts", &token, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mail = app.mail_to(CLERK).await;
    assert!(
        mail[0].subject.contains("two-step") || mail[0].subject.contains("два шага"),
        "{:?}",
        mail[0].subject
    );

    // Signing in now needs the code: none is 401 `mfa-required`, a wrong one 401.
    let res = login(&app, CLERK, CLERK_PASSWORD, None).await;
    assert_eq!(res.status, 401, "{}", res.text);
    assert!(is_mfa_required(&res.text), "{}", res.text);
    let res = login(&app, CLERK, CLERK_PASSWORD, Some("123456")).await;
    assert_eq!(res.status, 401, "{}", res.text);
    assert_eq!(problem_type(&res.text), "unauthorized");
    // The code that switched it on has been used: it does not sign in again.
    let res = login(&app, CLERK, CLERK_PASSWORD, Some(&code_at(&secret, now))).await;
    assert_eq!(res.status, 401, "{}", res.text);
    // The next step's code is accepted (one step of drift), once.
    let next = code_at(&secret, now + SignedDuration::from_secs(30));
    let res = login(&app, CLERK, CLERK_PASSWORD, Some(&next)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = login(&app, CLERK, CLERK_PASSWORD, Some(&next)).await;
    assert_eq!(res.status, 401, "{}", res.text);

    // A recovery code signs in once, and its use is e-mailed.
    let res = login(&app, CLERK, CLERK_PASSWORD, Some(&codes[3].to_uppercase())).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = login(&app, CLERK, CLERK_PASSWORD, Some(&codes[3])).await;
    assert_eq!(res.status, 401, "{}", res.text);
    let mail = app.mail_to(CLERK).await;
    assert!(mail[0].text.contains(": 9."), "{}", mail[0].text);
    let status = app
        .call("GET", "/api/v1/me/mfa/totp", &token, None)
        .await
        .json();
    assert_eq!(status["recovery_codes_left"], 9);

    // Required of the operator's staff: it cannot be switched off.
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/disable",
            &token,
            Some(json!({ "code": codes[0] })),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);

    // A minute and a half later (the test clock) the code of that moment signs in.
    app.set_clock("2026-03-02T09:01:30Z").await;
    let later = code_at(&secret, app.now().await);
    let res = login(&app, CLERK, CLERK_PASSWORD, Some(&later)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn an_operator_in_a_browser_is_led_to_set_it_up_and_then_signs_in_in_two_steps() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    clerk(&app).await;
    let b = app.browser();
    let res = b
        .post_form("/login", &[("email", CLERK), ("password", CLERK_PASSWORD)])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    // Every back-office page leads to the security page until it is set up.
    for path in ["/operator", "/operator/billing", "/operator/documents"] {
        let res = b.get(path).await;
        assert_eq!(res.status, 303, "{path}");
        assert_eq!(res.headers["location"], "/account/security", "{path}");
    }
    let page = b.get("/account/security").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"mfa-required\""), "{}", page.text);
    let started = b.post_form("/account/security/totp", &[]).await;
    assert_eq!(started.status, 200, "{}", started.text);
    assert!(started.text.contains("<svg"), "the QR code is drawn");
    let at = started.text.find("id=\"totp-secret\">").unwrap() + 17;
    let secret = started.text[at..at + started.text[at..].find('<').unwrap()].to_owned();
    // A wrong code is said beside the field; the same secret waits.
    let wrong = b
        .post_form("/account/security/totp/confirm", &[("code", "999999")])
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    assert!(wrong.text.contains("field-error"), "{}", wrong.text);
    assert!(wrong.text.contains(&secret));
    let now = app.now().await;
    let done = b
        .post_form(
            "/account/security/totp/confirm",
            &[("code", &code_at(&secret, now))],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(done.text.contains("id=\"recovery-codes\""));
    assert_eq!(b.get("/operator").await.status, 200);

    // A new browser: the password, then the code; a wrong one asks again.
    let other = app.browser();
    let first = other
        .post_form("/login", &[("email", CLERK), ("password", CLERK_PASSWORD)])
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let challenge = hidden_value(&first.text, "challenge").expect("a challenge");
    let again = other
        .post_form(
            "/login/code",
            &[("challenge", &challenge), ("totp", "111111")],
        )
        .await;
    assert_eq!(again.status, 401, "{}", again.text);
    assert!(again.text.contains("field-error"), "{}", again.text);
    // The challenge of the wrong try is spent; the page gave a new one.
    let spent = other
        .post_form(
            "/login/code",
            &[("challenge", &challenge), ("totp", &code_at(&secret, now))],
        )
        .await;
    assert_eq!(spent.status, 410, "{}", spent.text);
    let first = other
        .post_form("/login", &[("email", CLERK), ("password", CLERK_PASSWORD)])
        .await;
    let challenge = hidden_value(&first.text, "challenge").expect("a challenge");
    let next = code_at(&secret, now + SignedDuration::from_secs(30));
    let res = other
        .post_form("/login/code", &[("challenge", &challenge), ("totp", &next)])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.headers["location"], "/operator");
    assert_eq!(other.get("/operator").await.status, 200);
    app.stop().await;
}

#[tokio::test]
async fn the_owner_may_require_it_of_the_staff_and_everyone_sees_and_ends_their_sessions() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    let school = given::alma(&app).await;
    let teacher = given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    let owner = school.owner_token.clone();

    // Only the owner sets the rule.
    let res = app
        .call(
            "PUT",
            "/api/v1/school/security",
            &teacher.token,
            Some(json!({ "staff_mfa_required": true })),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    let res = app
        .call(
            "PUT",
            "/api/v1/school/security",
            &owner,
            Some(json!({ "staff_mfa_required": true })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/school/security", &owner, None)
            .await
            .json()["staff_mfa_required"],
        true
    );
    // The teacher's session now only sets it up; the owner's works on (optional for owners).
    let res = app
        .call("GET", "/api/v1/courses", &teacher.token, None)
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    assert_eq!(problem_type(&res.text), "mfa-required");
    assert_eq!(
        app.call("GET", "/api/v1/courses", &owner, None)
            .await
            .status,
        200
    );
    let res = app
        .call("POST", "/api/v1/me/mfa/totp", &teacher.token, None)
        .await;
    let secret = res.json()["secret"].as_str().unwrap().to_owned();
    let now = app.now().await;
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            &teacher.token,
            Some(json!({ "code": code_at(&secret, now) })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/courses", &teacher.token, None)
            .await
            .status,
        200
    );
    // Required for the teacher: not switched off.
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/disable",
            &teacher.token,
            Some(json!({ "code": code_at(&secret, now + SignedDuration::from_secs(30)) })),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);

    // The owner switches it on for themself, then off again with a code.
    let res = app.call("POST", "/api/v1/me/mfa/totp", &owner, None).await;
    let owner_secret = res.json()["secret"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            &owner,
            Some(json!({ "code": code_at(&owner_secret, now) })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let owner_codes = res.json()["recovery_codes"].clone();
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "owner@alma.kz", "password": OWNER_PASSWORD, "tenant": "alma-school" }),
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(is_mfa_required(&res.text));
    // From another device (a user agent never seen): signed in, and told by e-mail.
    let phone = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)")
        .build()
        .unwrap();
    let res = app
        .send(phone.post(app.url("/api/v1/auth/login")).json(&json!({
            "email": "owner@alma.kz", "password": OWNER_PASSWORD, "tenant": "alma-school",
            "totp": code_at(&owner_secret, now + SignedDuration::from_secs(30)),
        })))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let phone_token = res.json()["token"].as_str().unwrap().to_owned();
    let mail = app.mail_to("owner@alma.kz").await;
    assert!(mail[0].text.contains("iPhone"), "{}", mail[0].text);

    // The sessions: the owner sees both, this one marked, and ends the phone's.
    let res = app.call("GET", "/api/v1/me/sessions", &owner, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let list = res.items();
    let list = list.as_array().unwrap();
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    let phone_session = list
        .iter()
        .find(|s| s["device"].as_str().is_some_and(|d| d.contains("iPhone")))
        .expect("the phone's session");
    assert!(phone_session["id"].as_str().unwrap().len() >= 16);
    assert!(!res.text.contains(&phone_token), "no secret in the list");
    let id = phone_session["id"].as_str().unwrap();
    assert_eq!(
        app.call("GET", "/api/v1/courses", &phone_token, None)
            .await
            .status,
        200
    );
    let res = app
        .call("DELETE", &format!("/api/v1/me/sessions/{id}"), &owner, None)
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/courses", &phone_token, None)
            .await
            .status,
        401
    );
    // Another person's session is not theirs to end.
    let teacher_sessions = app
        .call("GET", "/api/v1/me/sessions", &teacher.token, None)
        .await
        .items();
    let teacher_session = teacher_sessions[0]["id"].as_str().unwrap();
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/me/sessions/{teacher_session}"),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/courses", &teacher.token, None)
            .await
            .status,
        200
    );

    // Switching off needs a right code (a recovery code does); the owner may.
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/disable",
            &owner,
            Some(json!({ "code": "000000" })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/disable",
            &owner,
            Some(json!({ "code": owner_codes[0] })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "owner@alma.kz", "password": OWNER_PASSWORD, "tenant": "alma-school" }),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn the_super_admin_and_a_schools_owner_reset_a_lost_second_step() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    clerk(&app).await;
    // The clerk set it up, then lost the phone and the codes.
    let clerk_token = app.token_for(CLERK, CLERK_PASSWORD, None).await;
    assert_eq!(
        app.call("GET", "/api/v1/me/mfa/totp", &clerk_token, None)
            .await
            .json()["enabled"],
        true
    );
    let admin = app
        .token_for("admin@educenter.test", crate::harness::ADMIN_PASSWORD, None)
        .await;
    let me = app.call("GET", "/api/v1/me", &admin, None).await.json();
    let admin_id = me["id"].as_str().unwrap().to_owned();
    let clerk_id = app
        .call("GET", "/api/v1/me", &clerk_token, None)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Not one's own, and not by the clerk.
    let own = format!("/api/v1/operator/staff/{admin_id}/mfa-reset");
    assert_eq!(app.call("POST", &own, &admin, None).await.status, 403);
    assert_eq!(app.call("POST", &own, &clerk_token, None).await.status, 403);
    let res = app
        .call(
            "POST",
            &format!("/api/v1/operator/staff/{clerk_id}/mfa-reset"),
            &admin,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    // Signed out; the password alone signs in again, to setting it up anew.
    assert_eq!(
        app.call("GET", "/api/v1/me", &clerk_token, None)
            .await
            .status,
        401
    );
    let res = login(&app, CLERK, CLERK_PASSWORD, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let fresh = res.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(
        problem_type(&app.call("GET", "/api/v1/me", &fresh, None).await.text),
        "mfa-required"
    );
    assert!(app.mail_to(CLERK).await[0].subject.contains("сброшен"));

    // A school's owner resets a teacher's; another school's owner finds no such person.
    let school = given::alma(&app).await;
    let beta = given::beta(&app).await;
    let teacher = given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    let res = app
        .call("POST", "/api/v1/me/mfa/totp", &teacher.token, None)
        .await;
    let secret = res.json()["secret"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "POST",
            "/api/v1/me/mfa/totp/confirm",
            &teacher.token,
            Some(json!({ "code": code_at(&secret, app.now().await) })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let path = format!("/api/v1/staff/{}/mfa-reset", teacher.id);
    assert_eq!(
        app.call("POST", &path, &beta.owner_token, None)
            .await
            .status,
        404
    );
    let res = app.call("POST", &path, &school.owner_token, None).await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &json!({ "email": "asel@alma.kz", "password": given::STAFF_PASSWORD, "tenant": "alma-school" }),
        )
        .await;
    assert_eq!(res.status, 200, "the code is no longer asked: {}", res.text);
    app.stop().await;
}
