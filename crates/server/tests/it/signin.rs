//! Issue 15, item 11: signing in without the school's address. The e-mail and the password find
//! the person; when they match people of several schools, the next step asks which, naming
//! only the schools where that password is right.

use serde_json::json;

use crate::{
    harness::{OWNER_PASSWORD, TestApp, signup_body},
    staff::hire,
};

/// Alma's owner teaches at Beta with the same password; Gamma has the same e-mail with another
/// password.
async fn three_schools(app: &TestApp) {
    let alma = app
        .school(
            "alma-school",
            "123456789013",
            "aigerim@mail.kz",
            "+77011234567",
        )
        .await;
    let beta = app
        .school(
            "beta-school",
            "900101300007",
            "owner@beta.kz",
            "+77019876543",
        )
        .await;
    hire(app, &beta, "aigerim@mail.kz", "teacher").await;
    let res = app
        .post_json(
            "/api/v1/signup",
            &signup_body(
                "gamma-school",
                "880101300000",
                "gamma@mail.kz",
                "+77015550011",
            ),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let gamma = app
        .token_for("gamma@mail.kz", OWNER_PASSWORD, Some("gamma-school"))
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            &gamma,
            Some(json!({ "email": "aigerim@mail.kz", "full_name": "Айгерим", "role": "manager" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let link = app
        .mail_to("aigerim@mail.kz")
        .await
        .iter()
        .find(|m| m.text.contains("gamma"))
        .expect("the invitation")
        .links[0]
        .clone();
    let res = app
        .post_json(
            "/api/v1/invitations/accept",
            &json!({ "token": link.split("token=").nth(1).unwrap(), "password": "Other-pass-2027" }),
        )
        .await;
    assert!(res.status < 300, "{}", res.text);
    drop(alma);
}

#[tokio::test]
async fn the_api_signs_in_with_the_email_alone_or_asks_which_school() {
    let app = TestApp::start().await;
    three_schools(&app).await;
    // Kazakh-2027! is right at Alma (owner) and Beta (the teacher's password is Teacher-2027!).
    let res = app.login("aigerim@mail.kz", "Teacher-2027!", None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.login("aigerim@mail.kz", OWNER_PASSWORD, None).await;
    assert_eq!(res.status, 200, "only Alma matches: {}", res.text);
    // The same password at two schools: 409 with those two, not Gamma.
    let beta_owner = app
        .token_for("owner@beta.kz", OWNER_PASSWORD, Some("beta-school"))
        .await;
    let staff = app
        .call("GET", "/api/v1/staff", &beta_owner, None)
        .await
        .items();
    let id = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "aigerim@mail.kz")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Make the teacher's password the owner's one: through a reset link to Beta only.
    app.post_json(
        "/api/v1/auth/password-reset",
        &json!({ "email": "aigerim@mail.kz", "tenant": "beta-school" }),
    )
    .await;
    let link = app
        .mail_to("aigerim@mail.kz")
        .await
        .into_iter()
        .find(|m| m.subject.contains("School beta-school"))
        .expect("a reset link for Beta")
        .links[0]
        .clone();
    let res = app
        .post_json(
            "/api/v1/auth/password-reset/confirm",
            &json!({ "token": link.split("token=").nth(1).unwrap(), "password": OWNER_PASSWORD }),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let res = app.login("aigerim@mail.kz", OWNER_PASSWORD, None).await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert_eq!(
        res.json(),
        json!({ "schools": [
            { "slug": "alma-school", "name": "School alma-school" },
            { "slug": "beta-school", "name": "School beta-school" },
        ] })
    );
    // The client repeats with the school.
    let t = app
        .token_for("aigerim@mail.kz", OWNER_PASSWORD, Some("beta-school"))
        .await;
    let me = app.call("GET", "/api/v1/me", &t, None).await.json();
    assert_eq!(me["id"], id.as_str());
    // Nothing is said about others: an unknown e-mail and a wrong password get the same 401.
    let unknown = app.login("nobody@mail.kz", OWNER_PASSWORD, None).await;
    let wrong = app.login("aigerim@mail.kz", "Wrong-pass-2027", None).await;
    assert_eq!((unknown.status, wrong.status), (401, 401));
    assert_eq!(unknown.json()["detail"], wrong.json()["detail"]);
    app.stop().await;
}

#[tokio::test]
async fn a_browser_signs_in_chooses_the_school_and_resets_without_it() {
    let app = TestApp::start().await;
    three_schools(&app).await;
    // One match: straight to the cabinet (no school field on the form).
    let page = app.browser();
    let form = page.get("/login").await;
    assert!(!form.text.contains("name=\"school\""), "{}", form.text);
    let res = page
        .post_form(
            "/login",
            &[("email", "aigerim@mail.kz"), ("password", "Teacher-2027!")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), "/cabinet");
    let cabinet = page.get("/cabinet").await;
    assert!(
        cabinet.text.contains("School beta-school"),
        "{}",
        cabinet.text
    );

    // Two matches (Gamma's password is another): the choice names Alma and Beta only.
    app.post_json(
        "/api/v1/auth/password-reset",
        &json!({ "email": "aigerim@mail.kz", "tenant": "gamma-school" }),
    )
    .await;
    let link = app
        .mail_to("aigerim@mail.kz")
        .await
        .into_iter()
        .find(|m| m.subject.contains("School gamma-school"))
        .unwrap()
        .links[0]
        .clone();
    app.post_json(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": link.split("token=").nth(1).unwrap(), "password": "Teacher-2027!" }),
    )
    .await;
    let other = app.browser();
    let res = other
        .post_form(
            "/login",
            &[
                ("email", "aigerim@mail.kz"),
                ("password", "Teacher-2027!"),
                ("next", "/cabinet/courses"),
            ],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("id=\"school-choices\""));
    assert!(res.text.contains("School beta-school") && res.text.contains("School gamma-school"));
    assert!(!res.text.contains("School alma-school"), "{}", res.text);
    let choice = res
        .text
        .split("name=\"choice\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // A school the password does not match cannot be chosen.
    let bad = other
        .post_form(
            "/login/choose",
            &[("choice", choice.as_str()), ("school", "alma-school")],
        )
        .await;
    assert_eq!(bad.status, 401);
    // The choice is spent: sign in again and choose Gamma.
    let res = other
        .post_form(
            "/login",
            &[
                ("email", "aigerim@mail.kz"),
                ("password", "Teacher-2027!"),
                ("next", "/cabinet/courses"),
            ],
        )
        .await;
    let choice = res
        .text
        .split("name=\"choice\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let res = other
        .post_form(
            "/login/choose",
            &[
                ("choice", choice.as_str()),
                ("school", "gamma-school"),
                ("next", "/cabinet/students"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), "/cabinet/students");
    let again = other
        .post_form(
            "/login/choose",
            &[("choice", choice.as_str()), ("school", "gamma-school")],
        )
        .await;
    assert_eq!(again.status, 401, "a choice works once");

    // A forgotten password without the school: a link for each account, naming its school.
    let before = app.mail_to("aigerim@mail.kz").await.len();
    let res = other
        .post_form("/forgot-password", &[("email", "aigerim@mail.kz")])
        .await;
    assert_eq!(res.status, 202);
    let mail = app.mail_to("aigerim@mail.kz").await;
    let mut schools: Vec<String> = mail[..mail.len() - before]
        .iter()
        .map(|m| m.subject.clone())
        .collect();
    schools.sort();
    assert_eq!(
        schools,
        [
            "Сброс пароля EduCenter: School alma-school",
            "Сброс пароля EduCenter: School beta-school",
            "Сброс пароля EduCenter: School gamma-school",
        ]
    );

    // The session ends after 2 idle hours: back through the same sign-in, to the page asked.
    app.advance(0, 2, 1).await;
    let res = page.get("/cabinet/courses").await;
    assert_eq!(res.header("location"), "/login?next=/cabinet/courses");
    let res = page
        .post_form(
            "/login",
            &[
                ("email", "owner@beta.kz"),
                ("password", OWNER_PASSWORD),
                ("next", "/cabinet/courses"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), "/cabinet/courses");
    drop((page, other));
    app.stop().await;
}
