//! Issue 15, items 13 and 10: the operator's first hour (the super-admin creates the back
//! office's staff, each role sees every section and is told which role may use the ones it may
//! not) and refusals in the reader's language.

use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, error_fields},
};

const PASSWORD: &str = "Operator-2027!";

/// Accepts the invitation e-mailed to `email` through its page.
async fn accept(app: &TestApp, email: &str) {
    let mail = app.mail_to(email).await;
    let link = mail.last().expect("an invitation").links[0].clone();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let res = app
        .send(
            app.client
                .post(app.url("/invitation"))
                .form(&[("token", token.as_str()), ("password", PASSWORD)]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.text.contains("Войдите в бэк-офис с адресом"),
        "{}",
        res.text
    );
}

#[tokio::test]
async fn the_super_admin_creates_each_operator_role_from_the_back_office() {
    let app = TestApp::start().await;
    let admin = app.browser();
    admin
        .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let page = admin.get("/operator/staff").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("admin@educenter.test"));
    // One of each role, through the page's form.
    let roles = [
        ("billing", "buh@educenter.test", "сотрудник биллинга"),
        ("support", "help@educenter.test", "агент поддержки"),
        ("compliance", "law@educenter.test", "комплаенс-офицер"),
        (
            "infrastructure",
            "ops@educenter.test",
            "инженер инфраструктуры",
        ),
    ];
    for (role, email, name) in roles {
        let res = admin
            .post_form(
                "/operator/staff",
                &[
                    ("email", email),
                    ("full_name", "Ержан Серикович"),
                    ("role", role),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.text);
        let mail = app.mail_to(email).await;
        assert_eq!(mail[0].subject, "Приглашение в бэк-офис EduCenter");
        assert!(
            mail[0].text.contains(&format!("с ролью «{name}»")),
            "{}",
            mail[0].text
        );
        accept(&app, email).await;
    }
    // A bad role and a taken address are said beside their fields, and nothing is created.
    let res = admin
        .post_form(
            "/operator/staff",
            &[
                ("email", "x@educenter.test"),
                ("full_name", "Икс"),
                ("role", "root"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"role-error\""), "{}", res.text);
    let res = admin
        .post_form(
            "/operator/staff",
            &[
                ("email", "buh@educenter.test"),
                ("full_name", "Дубль"),
                ("role", "billing"),
            ],
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert!(res.text.contains("уже есть"), "{}", res.text);
    assert!(app.mail_to("x@educenter.test").await.is_empty());

    // Each signs in with the e-mail alone and lands in the back office, which lists every
    // section: those the role may not use say who may, none is hidden.
    let ops = app.browser();
    ops.sign_in("ops@educenter.test", PASSWORD, "").await;
    let home = ops.get("/operator").await;
    assert_eq!(home.status, 200, "{}", home.text);
    assert!(
        home.text.contains("инженер инфраструктуры"),
        "{}",
        home.text
    );
    assert!(home.text.contains("href=\"/operator/operations\""));
    assert!(
        home.text
            .contains("Сотрудники оператора — для ролей: суперадминистратор"),
        "{}",
        home.text
    );
    assert!(
        home.text
            .contains("Биллинг — для ролей: суперадминистратор, сотрудник биллинга"),
        "{}",
        home.text
    );
    let operations = ops.get("/operator/operations").await;
    assert_eq!(operations.status, 200, "{}", operations.text);
    assert!(operations.text.contains("id=\"no-dead-mail\""));
    // A section of another role answers 403 naming the role that may.
    let refused = ops.get("/operator/staff").await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(
        refused
            .text
            .contains("Это может сделать только: суперадминистратор."),
        "{}",
        refused.text
    );
    let billing = app.browser();
    billing.sign_in("buh@educenter.test", PASSWORD, "").await;
    let refused = billing.get("/operator/operations").await;
    assert_eq!(refused.status, 403);
    assert!(
        refused
            .text
            .contains("Это может сделать только: инженер инфраструктуры."),
        "{}",
        refused.text
    );
    // The same refusal in Kazakh and English.
    billing.get("/lang/kk").await;
    let refused = billing.get("/operator/operations").await;
    assert!(
        refused
            .text
            .contains("Мұны тек мыналар жасай алады: инфрақұрылым инженері."),
        "{}",
        refused.text
    );
    drop((admin, ops, billing));
    app.stop().await;
}

#[tokio::test]
async fn the_api_manages_the_operators_staff_and_keeps_a_super_admin() {
    let app = TestApp::start().await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/operator/staff",
            &admin,
            Some(json!({ "email": "Ops@EduCenter.test", "full_name": "Дина", "role": "infrastructure" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let ops = res.json();
    assert_eq!(ops["email"], "ops@educenter.test");
    assert_eq!(ops["status"], "invited");
    let res = app
        .call(
            "POST",
            "/api/v1/operator/staff",
            &admin,
            Some(json!({ "email": "bad", "full_name": "", "role": "root" })),
        )
        .await;
    let mut fields = error_fields(&res.problem(422));
    fields.sort();
    assert_eq!(fields, ["email", "full_name", "role"]);
    let list = app
        .call("GET", "/api/v1/operator/staff", &admin, None)
        .await
        .items();
    assert_eq!(list.as_array().unwrap().len(), 2);
    // Accept, sign in without a school, see the failures; the staff list is refused.
    accept(&app, "ops@educenter.test").await;
    let token = app.token_for("ops@educenter.test", PASSWORD, None).await;
    let me = app.call("GET", "/api/v1/me", &token, None).await.json();
    assert_eq!(me["role"], "infrastructure");
    let refused = app
        .call("GET", "/api/v1/operator/staff", &token, None)
        .await
        .problem(403);
    assert_eq!(
        refused["detail"],
        "only these roles may do this: super-administrator"
    );
    // The last super-admin can neither step down nor be removed, and no one removes
    // themselves.
    let me = app.call("GET", "/api/v1/me", &admin, None).await.json();
    let admin_id = me["id"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/operator/staff/{admin_id}"),
            &admin,
            Some(json!({ "role": "billing" })),
        )
        .await;
    assert_eq!(
        res.problem(409)["detail"],
        "this is the last super-administrator: appoint another first"
    );
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/operator/staff/{admin_id}"),
            &admin,
            None,
        )
        .await;
    res.problem(409);
    // Removing a member ends their tokens at once.
    let ops_id = ops["id"].as_str().unwrap();
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/operator/staff/{ops_id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/me", &token, None).await.status,
        401
    );
    let list = app
        .call("GET", "/api/v1/operator/staff", &admin, None)
        .await
        .items();
    assert_eq!(list.as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn refusals_read_in_the_readers_language_with_the_roles_that_may() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    crate::staff::hire(&app, &owner, "asel@alma.kz", "teacher").await;
    let teacher = app.browser();
    teacher
        .sign_in("asel@alma.kz", "Teacher-2027!", "alma-school")
        .await;
    // A teacher opening the students' page is told, in the page's language, who may.
    for (lang, words) in [
        (
            "ru",
            "Это может сделать только: Владелец, Администратор, Менеджер.",
        ),
        ("kk", "Мұны тек мыналар жасай алады:"),
        ("en", "only these roles may do this:"),
    ] {
        teacher.get(&format!("/lang/{lang}")).await;
        let res = teacher.get("/cabinet/students").await;
        assert_eq!(res.status, 403, "{}", res.text);
        assert!(res.text.contains(words), "{lang}: {}", res.text);
    }
    // The pages' own script (an upload with the session) reads problems in the page's
    // language too, here a file of the wrong kind.
    let owner_page = app.browser();
    owner_page
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    owner_page.get("/lang/kk").await;
    let res = app
        .send(
            owner_page
                .client
                .post(app.url("/cabinet/media?filename=a.mp4&kind=video"))
                .header("content-type", "application/octet-stream")
                .body(b"just text, not a video".to_vec()),
        )
        .await;
    assert_eq!(res.status, 415, "{}", res.text);
    let detail = res.json()["detail"].as_str().unwrap().to_owned();
    assert!(detail.starts_with("Бұл бейне емес"), "{detail}");
    drop((teacher, owner_page));
    app.stop().await;
}
