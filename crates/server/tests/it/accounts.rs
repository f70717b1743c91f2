//! Licensee sign-up (R-4.1a, R-2.2a, A-4, A-22) and e-mail verification (R-2.2b).

use educenter_domain::ids::TenantId;
use educenter_store::{
    accounts::{self, NewUser},
    audit,
    tenancy::{self, NewTenant},
};
use serde_json::{Value, json};
use sqlx::Row;

use educenter_services::ServiceError;

use crate::harness::{TestApp, error_fields, signup_body};

fn alma() -> Value {
    let mut body = signup_body(
        "alma-school",
        "123456789013",
        "owner@alma.kz",
        "+7 701 123 45 67",
    );
    body["organization"]["name"] = json!("Alma School");
    body
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) AS n FROM {table}");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}

#[tokio::test]
async fn signup_creates_the_trial_with_contract_acceptance_and_access_mail() {
    // 2027-01-20 10:00 in Almaty.
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/signup"))
                .header("user-agent", "signup-test/1.0")
                .json(&alma()),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let body = res.json();
    assert_eq!(body["tenant"]["slug"], "alma-school");
    assert_eq!(
        body["license"],
        json!({ "state": "trial", "trial_ends_on": "2027-02-03", "application_deadline": "2027-02-19" })
    );
    let tenant_id = TenantId::new(body["tenant"]["id"].as_str().unwrap());

    let db = app.store();
    let tenant = tenancy::get(db, &tenant_id).await.unwrap().unwrap();
    assert_eq!(
        (tenant.state.as_str(), tenant.kind.as_str()),
        ("trial", "legal_entity")
    );
    assert_eq!(tenant.bin_iin, "123456789013");
    let contracts = tenancy::contracts(db, &tenant_id).await.unwrap();
    assert_eq!(contracts.len(), 1);
    assert_eq!((contracts[0].number, contracts[0].offer_version), (1, 1));
    assert_eq!(contracts[0].started_at.to_string(), "2027-01-20T05:00:00Z");
    let mut conn = db.pool().acquire().await.unwrap();
    let acceptances = tenancy::acceptances(&mut conn, &tenant_id).await.unwrap();
    assert_eq!(acceptances.len(), 1);
    let a = &acceptances[0];
    assert_eq!((a.method.as_str(), a.offer_version), ("checkbox", 1));
    assert_eq!(a.accepted_at.to_string(), "2027-01-20T05:00:00Z");
    assert_eq!(a.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(a.user_agent.as_deref(), Some("signup-test/1.0"));
    let owner = accounts::get(&mut conn, a.user_id.as_ref().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (owner.kind.as_str(), owner.email.as_str()),
        ("owner", "owner@alma.kz")
    );
    assert_eq!(owner.phone.as_deref(), Some("+77011234567"));
    assert!(
        owner
            .password_hash
            .as_deref()
            .unwrap()
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$")
    );
    assert!(owner.email_verified_at.is_none());
    drop(conn);

    let signups = audit::recent(db, Some("tenant.signup"), 5).await.unwrap();
    assert_eq!(signups.len(), 1);
    assert_eq!(signups[0].tenant_id.as_deref(), Some(tenant_id.as_str()));
    assert_eq!(signups[0].user_agent.as_deref(), Some("signup-test/1.0"));

    // The access e-mail, in Russian by default, with the login, the dates and the link.
    let mail = app.mail_to("owner@alma.kz").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Доступ к кабинету EduCenter: Alma School");
    assert!(
        mail[0].text.contains("Логин для входа: owner@alma.kz"),
        "{}",
        mail[0].text
    );
    // Where to sign in, and the school's site for its students.
    assert!(
        mail[0]
            .text
            .contains("Вход в кабинет: http://127.0.0.1/login")
    );
    assert!(
        mail[0]
            .text
            .contains("Сайт школы для учеников: http://127.0.0.1/s/alma-school/")
    );
    assert!(
        mail[0].text.contains("по 3 февраля 2027 г. включительно"),
        "{}",
        mail[0].text
    );
    assert!(
        mail[0].text.contains("до 19 февраля 2027 г."),
        "{}",
        mail[0].text
    );
    // The verification link, the sign-in page and the school's site.
    assert_eq!(mail[0].links.len(), 3);
    assert!(mail[0].links[0].starts_with("http://127.0.0.1/verify-email?token="));
    app.stop().await;
}

#[tokio::test]
async fn dates_are_local_almaty_dates() {
    // 19:30 UTC on the 20th is already 00:30 on the 21st in Almaty.
    let app = TestApp::builder()
        .clock("2027-01-20T19:30:00Z")
        .start()
        .await;
    let res = app.post_json("/api/v1/signup", &alma()).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["license"]["trial_ends_on"], "2027-02-04");
    // Day 30, Sat 2027-02-20, is a day off: the deadline moves to Mon 2027-02-22.
    assert_eq!(res.json()["license"]["application_deadline"], "2027-02-22");
    app.stop().await;
}

#[tokio::test]
async fn the_access_mail_follows_the_signup_language() {
    let app = TestApp::start().await;
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/signup"))
                .header("accept-language", "kk-KZ")
                .json(&alma()),
        )
        .await;
    assert_eq!(res.status, 201);
    let mail = app.mail_to("owner@alma.kz").await;
    assert_eq!(mail[0].subject, "EduCenter кабинетіне кіру: Alma School");
    assert!(mail[0].text.contains("Кіру логині: owner@alma.kz"));
    app.stop().await;
}

#[tokio::test]
async fn bad_input_is_422_with_field_errors_and_creates_nothing() {
    let app = TestApp::start().await;
    let cases: Vec<(Value, Vec<&str>)> = vec![
        (
            {
                let mut b = alma();
                b["accept_offer"] = json!(false);
                b
            },
            vec!["accept_offer"],
        ),
        (
            {
                let mut b = alma();
                b.as_object_mut().unwrap().remove("accept_offer");
                b
            },
            vec!["accept_offer"],
        ),
        // a resident LLP with an 11-digit BIN.
        (
            {
                let mut b = alma();
                b["organization"]["bin_iin"] = json!("12345678901");
                b
            },
            vec!["organization.bin_iin"],
        ),
        (
            {
                let mut b = alma();
                b["organization"]["bin_iin"] = json!("123456789012");
                b
            },
            vec!["organization.bin_iin"],
        ),
        (
            {
                let mut b = alma();
                b["slug"] = json!("admin");
                b
            },
            vec!["slug"],
        ),
        (
            {
                let mut b = alma();
                b["slug"] = json!("Alma School");
                b
            },
            vec!["slug"],
        ),
        (
            {
                let mut b = alma();
                b["owner"]["password"] = json!("password");
                b
            },
            vec!["owner.password"],
        ),
        (
            {
                let mut b = alma();
                b["organization"]["kind"] = json!("llp");
                b
            },
            vec!["organization.kind"],
        ),
        (
            json!({ "owner": { "email": "not-an-email", "phone": "8701" } }),
            vec![
                "organization.name",
                "organization.kind",
                "organization.bin_iin",
                "owner.full_name",
                "owner.email",
                "owner.phone",
                "owner.password",
                "slug",
                "accept_offer",
            ],
        ),
    ];
    for (body, fields) in cases {
        let res = app.post_json("/api/v1/signup", &body).await;
        let problem = res.problem(422);
        let got = error_fields(&problem);
        assert_eq!(got, fields, "{body}");
    }
    // A non-resident's foreign number is not checked against the Kazakh rule.
    let mut foreign = alma();
    foreign["organization"]["resident"] = json!(false);
    foreign["organization"]["bin_iin"] = json!("DE-811569869");
    assert_eq!(app.post_json("/api/v1/signup", &foreign).await.status, 201);
    assert_eq!(count(&app, "tenants").await, 1);
    assert_eq!(count(&app, "users WHERE kind = 'owner'").await, 1);
    assert_eq!(count(&app, "acceptances").await, 1);
    assert_eq!(count(&app, "mail_outbox").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn taken_slugs_and_repeat_trials_are_409() {
    let app = TestApp::start().await;
    assert_eq!(app.post_json("/api/v1/signup", &alma()).await.status, 201);
    // the same slug.
    let res = app
        .post_json(
            "/api/v1/signup",
            &signup_body("alma-school", "900101300007", "b@b.kz", "+77012222222"),
        )
        .await;
    let problem = res.problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("alma-school"));
    assert_eq!(error_fields(&problem), ["slug"]);
    // the same IIN/BIN, e-mail or phone under another slug.
    for (bin, email, phone, what) in [
        ("123456789013", "c@c.kz", "+77013333333", "IIN/BIN"),
        ("900101300007", "OWNER@alma.kz", "+77014444444", "e-mail"),
        ("900101300007", "d@d.kz", "+77011234567", "phone"),
    ] {
        let res = app
            .post_json(
                "/api/v1/signup",
                &signup_body("beta-school", bin, email, phone),
            )
            .await;
        let detail = res.problem(409)["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(what), "{detail}");
    }
    assert_eq!(count(&app, "tenants").await, 1);
    assert_eq!(count(&app, "mail_outbox").await, 1);
    app.stop().await;
}

/// Two requests at the same moment both pass their checks; the unique key refuses the second
/// insert, and the answer names the field whose value is taken, as the check would have (on
/// both engines: SQLite names the columns, PostgreSQL the constraint). A key of our own
/// bookkeeping stays a plain conflict.
#[tokio::test]
async fn a_value_taken_at_the_same_moment_names_its_field() {
    let app = TestApp::start().await;
    let db = app.store();
    let now: jiff::Timestamp = "2025-03-01T04:00:00Z".parse().unwrap();
    let tenant = |slug: &'static str| NewTenant {
        slug,
        name: "Alma",
        kind: educenter_domain::tenancy::LicenseeKind::Individual,
        bin_iin: "900101300007",
        resident: true,
        locale: "ru",
        created_at: now,
        trial_ends_on: jiff::civil::date(2025, 3, 15),
        application_deadline: jiff::civil::date(2025, 3, 31),
    };
    let owner = |tenant_id| NewUser {
        tenant_id: Some(tenant_id),
        kind: educenter_domain::roles::AccountKind::Owner,
        role: educenter_domain::roles::Role::School(educenter_domain::roles::TenantRole::Owner),
        email: "owner@alma.kz",
        full_name: "Alma Owner",
        phone: None,
        password_hash: None,
        locale: "ru",
        created_at: now,
    };
    let taken = |e: educenter_store::StoreError| match ServiceError::from(e) {
        ServiceError::Taken(field, _) => field,
        other => panic!("not taken: {other:?}"),
    };

    let mut tx = db.begin().await.unwrap();
    let tenant_id = tenancy::create(&mut tx, &tenant("alma")).await.unwrap();
    accounts::create(&mut tx, &owner(&tenant_id)).await.unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    let e = tenancy::create(&mut tx, &tenant("alma")).await.unwrap_err();
    assert_eq!(taken(e), "slug");
    drop(tx);
    let mut tx = db.begin().await.unwrap();
    let e = accounts::create(&mut tx, &owner(&tenant_id))
        .await
        .unwrap_err();
    assert_eq!(taken(e), "email");
    drop(tx);
    // A trial claim twice is a conflict the sign-up words itself, not a field of a form.
    let mut tx = db.begin().await.unwrap();
    tenancy::claim_trial(&mut tx, &tenant_id, "phone", "+77011234567")
        .await
        .unwrap();
    let e = tenancy::claim_trial(&mut tx, &tenant_id, "phone", "+77011234567")
        .await
        .unwrap_err();
    assert!(e.is_unique_violation() && e.taken_field().is_none(), "{e}");
    drop(tx);
    app.stop().await;
}

#[tokio::test]
async fn the_verification_link_works_once_and_for_seven_days() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    app.post_json("/api/v1/signup", &alma()).await;
    let link = app.mail_to("owner@alma.kz").await[0].links[0].clone();
    let path = link.trim_start_matches("http://127.0.0.1");

    let res = app.get(path).await;
    assert_eq!(res.status, 200);
    assert!(res.text.contains("Адрес электронной почты подтверждён"));
    let db = app.store();
    let verified: Option<i64> =
        sqlx::query("SELECT email_verified_at FROM users WHERE kind = 'owner'")
            .fetch_one(db.pool())
            .await
            .unwrap()
            .get(0);
    assert_eq!(verified, Some(1_800_421_200_000_000)); // 2027-01-20T05:00:00Z
    // The tenant already accepted by checkbox: no second acceptance.
    assert_eq!(count(&app, "acceptances").await, 1);

    let res = app.get(path).await;
    assert_eq!(res.status, 410);
    assert!(res.text.contains("уже использована"));
    assert_eq!(app.get("/verify-email?token=deadbeef").await.status, 404);

    // A second tenant's link, followed 7 days and 1 minute later, has expired.
    app.post_json(
        "/api/v1/signup",
        &signup_body("beta-school", "900101300007", "b@b.kz", "+77012222222"),
    )
    .await;
    let link = app.mail_to("b@b.kz").await[0].links[0].clone();
    app.advance(7, 0, 1).await;
    let res = app.get(link.trim_start_matches("http://127.0.0.1")).await;
    assert_eq!(res.status, 410);
    assert!(res.text.contains("Срок действия ссылки истёк"));
    app.stop().await;
}

/// R-2.2b: a tenant with no acceptance yet (as an operator creates one) accepts by
/// following the verification link; the acceptance is dated at that moment.
#[tokio::test]
async fn verification_accepts_the_offer_for_a_tenant_without_acceptance() {
    let app = TestApp::builder()
        .clock("2025-03-05T04:00:00Z")
        .start()
        .await;
    let db = app.store();
    let now: jiff::Timestamp = "2025-03-01T04:00:00Z".parse().unwrap();
    let mut tx = db.begin().await.unwrap();
    let tenant_id = tenancy::create(
        &mut tx,
        &NewTenant {
            slug: "op-made",
            name: "Operator Made",
            kind: educenter_domain::tenancy::LicenseeKind::Individual,
            bin_iin: "900101300007",
            resident: true,
            locale: "ru",
            created_at: now,
            trial_ends_on: jiff::civil::date(2025, 3, 15),
            application_deadline: jiff::civil::date(2025, 3, 31),
        },
    )
    .await
    .unwrap();
    let user_id = accounts::create(
        &mut tx,
        &NewUser {
            tenant_id: Some(&tenant_id),
            kind: educenter_domain::roles::AccountKind::Owner,
            role: educenter_domain::roles::Role::School(educenter_domain::roles::TenantRole::Owner),
            email: "op@made.kz",
            full_name: "Op Made",
            phone: None,
            password_hash: None,
            locale: "ru",
            created_at: now,
        },
    )
    .await
    .unwrap();
    let (secret, hash) = educenter_services::accounts::new_secret().unwrap();
    accounts::create_token(
        &mut tx,
        &hash,
        educenter_domain::roles::TokenPurpose::VerifyEmail,
        &user_id,
        Some(&tenant_id),
        now,
        now + jiff::SignedDuration::from_hours(168),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let res = app.get(&format!("/verify-email?token={secret}")).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mut conn = db.pool().acquire().await.unwrap();
    let acceptances = tenancy::acceptances(&mut conn, &tenant_id).await.unwrap();
    assert_eq!(acceptances.len(), 1);
    assert_eq!(acceptances[0].method.as_str(), "email_verification");
    assert_eq!(
        acceptances[0].accepted_at.to_string(),
        "2025-03-05T04:00:00Z"
    );
    assert_eq!(acceptances[0].user_id.as_deref(), Some(user_id.as_str()));
    drop(conn);
    app.stop().await;
}

#[tokio::test]
async fn the_super_admin_may_allow_a_repeat_trial() {
    let app = TestApp::start().await;
    assert_eq!(app.post_json("/api/v1/signup", &alma()).await.status, 201);
    let again = signup_body("alma-two", "123456789013", "second@alma.kz", "+77012223344");
    app.post_json("/api/v1/signup", &again).await.problem(409);

    let op = app
        .token_for("admin@educenter.test", crate::harness::ADMIN_PASSWORD, None)
        .await;
    let owner = app
        .token_for(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            Some("alma-school"),
        )
        .await;
    let body = json!({ "kind": "bin_iin", "value": "123456789013", "reason": "Second branch, agreed by phone" });
    app.call(
        "POST",
        "/api/v1/operator/trial-exceptions",
        &owner,
        Some(body.clone()),
    )
    .await
    .problem(403);
    let problem = app
        .call(
            "POST",
            "/api/v1/operator/trial-exceptions",
            &op,
            Some(json!({ "kind": "inn", "value": "1", "reason": "" })),
        )
        .await
        .problem(422);
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/trial-exceptions",
            &op,
            Some(body.clone()),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.call("POST", "/api/v1/operator/trial-exceptions", &op, Some(body))
        .await
        .problem(404);

    assert_eq!(app.post_json("/api/v1/signup", &again).await.status, 201);
    let granted = audit::recent(app.store(), Some("trial.allow_repeat"), 5)
        .await
        .unwrap();
    assert_eq!(
        granted[0].details["reason"],
        "Second branch, agreed by phone"
    );
    app.stop().await;
}
