//! A school's staff: invitation by e-mail, acceptance through the page or the API, roles from
//! one policy, removal ending sessions and tokens at once, and no reach into another school.

use serde_json::json;

use crate::{
    given,
    harness::{TestApp, error_fields},
};

/// Invites, then accepts through the e-mailed link's page; returns the staff member's id.
pub(crate) async fn hire(app: &TestApp, owner: &str, email: &str, role: &str) -> String {
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            owner,
            Some(json!({ "email": email, "full_name": "Асель Нурланова", "role": role })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let link = app.mail_to(email).await[0].links[0].clone();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let res = app
        .send(
            app.client
                .post(app.url("/invitation"))
                .form(&[("token", token.as_str()), ("password", "Teacher-2027!")]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    id
}

#[tokio::test]
async fn an_invited_teacher_sets_a_password_and_signs_in() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let res = app.call("POST",
        "/api/v1/staff",
        &owner,
        Some(json!({ "email": "Asel@Alma.kz", "full_name": "Асель Нурланова", "role": "teacher" })),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let member = res.json();
    assert_eq!(
        (member["email"].as_str(), member["status"].as_str()),
        (Some("asel@alma.kz"), Some("invited"))
    );

    let mail = app.mail_to("asel@alma.kz").await;
    assert_eq!(
        mail[0].subject,
        "Приглашение в кабинет «School alma-school» на EduCenter"
    );
    assert!(
        mail[0].text.contains("с ролью «Преподаватель»"),
        "{}",
        mail[0].text
    );
    let link = mail[0].links[0].clone();
    assert!(link.starts_with("http://127.0.0.1/invitation?token="));
    let path = link.trim_start_matches("http://127.0.0.1");
    let token = link.split("token=").nth(1).unwrap().to_owned();

    let page = app.get(path).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<label for=\"password\">"));
    assert!(page.text.contains(&format!("value=\"{token}\"")));
    // A weak password is said beside the field, and nothing changes.
    let res = app
        .send(
            app.client
                .post(app.url("/invitation"))
                .form(&[("token", token.as_str()), ("password", "short")]),
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.text
            .contains("class=\"field-error\" id=\"password-error\""),
        "{}",
        res.text
    );
    let res = app
        .send(
            app.client
                .post(app.url("/invitation"))
                .form(&[("token", token.as_str()), ("password", "Teacher-2027!")]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("Приглашение принято"));
    // Single use.
    let res = app
        .post_json(
            "/api/v1/invitations/accept",
            &json!({ "token": token, "password": "Another-2027!" }),
        )
        .await;
    res.problem(410);

    let teacher = app
        .token_for("asel@alma.kz", "Teacher-2027!", Some("alma-school"))
        .await;
    let me = app.call("GET", "/api/v1/me", &teacher, None).await.json();
    assert_eq!(
        (me["kind"].as_str(), me["role"].as_str()),
        (Some("staff"), Some("teacher"))
    );
    assert_eq!(me["email_verified"], true);
    let list = app.call("GET", "/api/v1/staff", &owner, None).await.items();
    assert_eq!(list[0]["status"], "active");
    app.stop().await;
}

#[tokio::test]
async fn roles_decide_who_manages_staff() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let given::Staff { id, token: teacher } =
        given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    app.call(
        "POST",
        "/api/v1/staff",
        &teacher,
        Some(json!({ "email": "x@alma.kz", "full_name": "X", "role": "manager" })),
    )
    .await
    .problem(403);
    app.call("GET", "/api/v1/staff", &teacher, None)
        .await
        .problem(403);

    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/staff/{id}"),
            &owner,
            Some(json!({ "role": "accountant" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["role"], "accountant");
    // The same session now acts with the new role: an accountant sees the staff list.
    assert_eq!(
        app.call("GET", "/api/v1/staff", &teacher, None)
            .await
            .status,
        200
    );
    app.call(
        "PATCH",
        &format!("/api/v1/staff/{id}"),
        &owner,
        Some(json!({ "role": "owner" })),
    )
    .await
    .problem(422);

    // Bad input and duplicates.
    let problem = app
        .call(
            "POST",
            "/api/v1/staff",
            &owner,
            Some(json!({ "email": "nope", "full_name": "", "role": "boss" })),
        )
        .await
        .problem(422);
    let fields = error_fields(&problem);
    assert_eq!(fields, ["email", "full_name", "role"]);
    app.call(
        "POST",
        "/api/v1/staff",
        &owner,
        Some(json!({ "email": "asel@alma.kz", "full_name": "A", "role": "manager" })),
    )
    .await
    .problem(409);
    app.call(
        "POST",
        "/api/v1/staff",
        &owner,
        Some(json!({ "email": "owner@alma.kz", "full_name": "A", "role": "manager" })),
    )
    .await
    .problem(409);
    app.stop().await;
}

#[tokio::test]
async fn a_removed_staff_members_next_request_and_token_get_401() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let given::Staff { id, token: session } =
        given::staff(&app, &alma, "asel@alma.kz", "manager").await;
    let api = given::api_token(&app, &session, "crm", "read").await.secret;
    assert_eq!(app.call("GET", "/api/v1/me", &api, None).await.status, 200);

    assert_eq!(
        app.call("DELETE", &format!("/api/v1/staff/{id}"), &owner, None)
            .await
            .status,
        204
    );
    app.call("GET", "/api/v1/me", &session, None)
        .await
        .problem(401);
    app.call("GET", "/api/v1/me", &api, None).await.problem(401);
    app.post_json(
        "/api/v1/auth/login",
        &json!({ "email": "asel@alma.kz", "password": "Teacher-2027!", "tenant": "alma-school" }),
    )
    .await
    .problem(401);
    assert_eq!(
        app.call("GET", "/api/v1/staff", &owner, None).await.items(),
        json!([])
    );
    app.call("DELETE", &format!("/api/v1/staff/{id}"), &owner, None)
        .await
        .problem(404);

    // Invited again later, the same address starts afresh.
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            &owner,
            Some(json!({ "email": "asel@alma.kz", "full_name": "Асель", "role": "teacher" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["status"], "invited");
    app.stop().await;
}

#[tokio::test]
async fn another_schools_staff_answer_404_and_change_nothing() {
    let app = TestApp::start().await;
    let a = given::alma(&app).await.owner_token;
    let b = given::beta(&app).await.owner_token;
    let id = hire(&app, &a, "asel@alma.kz", "teacher").await;
    app.call(
        "PATCH",
        &format!("/api/v1/staff/{id}"),
        &b,
        Some(json!({ "role": "administrator" })),
    )
    .await
    .problem(404);
    app.call("DELETE", &format!("/api/v1/staff/{id}"), &b, None)
        .await
        .problem(404);
    assert_eq!(
        app.call("GET", "/api/v1/staff", &b, None).await.items(),
        json!([])
    );
    let list = app.call("GET", "/api/v1/staff", &a, None).await.items();
    assert_eq!(list[0]["role"], "teacher");
    // The same person may work for both schools: two unrelated accounts.
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            &b,
            Some(json!({ "email": "asel@alma.kz", "full_name": "Асель", "role": "manager" })),
        )
        .await;
    assert_eq!(res.status, 201);
    assert_ne!(res.json()["id"].as_str().unwrap(), id);
    app.stop().await;
}

#[tokio::test]
async fn an_invitation_expires_after_seven_days() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    app.call(
        "POST",
        "/api/v1/staff",
        &owner,
        Some(json!({ "email": "late@alma.kz", "full_name": "Late", "role": "teacher" })),
    )
    .await;
    let link = app.mail_to("late@alma.kz").await[0].links[0].clone();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    app.advance(7, 0, 1).await;
    app.post_json(
        "/api/v1/invitations/accept",
        &json!({ "token": token, "password": "Teacher-2027!" }),
    )
    .await
    .problem(410);
    app.post_json(
        "/api/v1/invitations/accept",
        &json!({ "token": "nope", "password": "Teacher-2027!" }),
    )
    .await
    .problem(404);
    app.stop().await;
}

#[tokio::test]
async fn forms_refuse_posts_from_other_sites() {
    let app = TestApp::start().await;
    for (header, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let res = app
            .send(
                app.client
                    .post(app.url("/invitation"))
                    .header(header, value)
                    .form(&[("token", "x"), ("password", "Teacher-2027!")]),
            )
            .await;
        assert_eq!(res.status, 403, "{header}: {value}");
    }
    // From our own page it reaches the form handler (here: an unknown invitation).
    let res = app
        .send(
            app.client
                .post(app.url("/invitation"))
                .header("sec-fetch-site", "same-origin")
                .form(&[("token", "x"), ("password", "Teacher-2027!")]),
        )
        .await;
    assert_eq!(res.status, 404);
    app.stop().await;
}

#[tokio::test]
async fn a_students_address_is_not_a_new_staff_seat() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    // A student added by hand who has not set a password yet.
    let res = app
        .call(
            "POST",
            "/api/v1/students",
            &owner,
            Some(json!({ "full_name": "Дана", "email": "dana@mail.kz" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let student_link = app.mail_to("dana@mail.kz").await[0].links[0].clone();

    // Inviting the same address as a teacher is a taken address, and changes nothing.
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            &owner,
            Some(json!({ "email": "dana@mail.kz", "full_name": "Дана", "role": "teacher" })),
        )
        .await;
    let problem = res.problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("dana@mail.kz"),
        "{problem}"
    );
    assert_eq!(
        app.mail_to("dana@mail.kz").await.len(),
        1,
        "no staff invitation"
    );
    let staff = app.call("GET", "/api/v1/staff", &owner, None).await.items();
    assert!(
        staff
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["email"] != "dana@mail.kz"),
        "{staff}"
    );
    // The student's own invitation still works, and they are still a student.
    let token = student_link.split("token=").nth(1).unwrap().to_owned();
    let res = app
        .post_json(
            "/api/v1/invitations/accept",
            &json!({ "token": token, "password": "Student-2027!" }),
        )
        .await;
    assert!((200..300).contains(&res.status), "{}", res.text);
    let student = app
        .token_for("dana@mail.kz", "Student-2027!", Some("alma-school"))
        .await;
    let me = app.call("GET", "/api/v1/me", &student, None).await.json();
    assert_eq!(me["kind"], "learner", "{me}");
    app.stop().await;
}
