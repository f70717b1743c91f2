//! The pages of issue 3 through a cookie-keeping HTTP client: sign-up, sign-in with browser
//! sessions (rotation, idle and absolute expiry, sign-out everywhere, CSRF), the cabinet's
//! staff, tokens, offer and refusal forms, the operator's search, tenant page and calendar, and
//! the one-time set-up link.

use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, Res, TestApp},
};

const OWNER: &str = "owner@alma.kz";

fn signup_form<'a>(slug: &'a str, bin: &'a str, email: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("org_name", "Alma School"),
        ("kind", "legal_entity"),
        ("bin_iin", bin),
        ("resident", "on"),
        ("full_name", "Айгерим Сапарова"),
        ("email", email),
        ("phone", "+77011234567"),
        ("password", OWNER_PASSWORD),
        ("slug", slug),
        ("accept_offer", "on"),
    ]
}

fn session_cookie(res: &Res) -> String {
    res.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("session="))
        .unwrap_or_else(|| panic!("no session cookie in {:?}", res.headers))
        .to_owned()
}

async fn tenant_count(app: &TestApp) -> usize {
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call("GET", "/api/v1/operator/tenants", &admin, None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.items().as_array().unwrap().len()
}

#[tokio::test]
async fn signing_up_through_the_form_opens_the_cabinet_with_the_trial_banner() {
    let app = TestApp::builder()
        .clock("2027-01-20T10:00:00+05:00")
        .start()
        .await;
    let b = app.browser();
    let page = b.get("/signup").await;
    assert_eq!(page.status, 200);
    for field in ["org_name", "bin_iin", "slug", "accept_offer", "password"] {
        assert!(page.text.contains(&format!("name=\"{field}\"")), "{field}");
    }

    // A bad BIN and no checkbox: the messages stand beside the fields, in Russian, and nothing
    // is created.
    let mut form = signup_form("alma-school", "123456789012", OWNER);
    form.retain(|(k, _)| *k != "accept_offer");
    let res = b.post_form("/signup", &form).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"bin_iin-error\""), "{}", res.text);
    assert!(
        res.text
            .contains("В ИИН/БИН не сходится контрольная цифра.")
    );
    assert!(
        res.text
            .contains("Чтобы зарегистрироваться, примите оферту.")
    );
    // What was typed stays in the form, the password does not.
    assert!(res.text.contains("value=\"alma-school\""));
    assert!(!res.text.contains(OWNER_PASSWORD));
    assert_eq!(tenant_count(&app).await, 0);

    let res = b
        .post_form(
            "/signup",
            &signup_form("alma-school", "123456789013", OWNER),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), "/cabinet");
    let cookie = session_cookie(&res);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http here: {cookie}");

    let cabinet = b.get("/cabinet").await;
    assert_eq!(cabinet.status, 200, "{}", cabinet.text);
    assert!(cabinet.text.contains("id=\"licence-banner\""));
    assert!(
        cabinet
            .text
            .contains("Пробный период действует по 3 февраля 2027 г. включительно"),
        "{}",
        cabinet.text
    );
    assert!(cabinet.text.contains("19 февраля 2027 г."));
    assert!(
        cabinet
            .text
            .contains("Школа создана, пробный период начался")
    );
    assert_eq!(tenant_count(&app).await, 1);

    // The same address again: 409 with the message beside the slug.
    let other = app.browser();
    let res = other
        .post_form(
            "/signup",
            &signup_form("alma-school", "900101300007", "other@alma.kz"),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert!(res.text.contains("id=\"slug-error\""));
    assert!(res.text.contains("Этот адрес занят"));
    // The same BIN with a free address: the one-trial rule.
    let res = other
        .post_form(
            "/signup",
            &signup_form("alma-two", "123456789013", "other@alma.kz"),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    assert!(res.text.contains("пробный период уже был"));

    // Kazakh and English pages.
    let kk = app
        .send(
            app.browser()
                .client
                .get(app.url("/signup"))
                .header("cookie", "lang=kk"),
        )
        .await;
    assert!(kk.text.contains("Онлайн-мектебіңізді құрыңыз"));
    let en = app
        .send(
            app.browser()
                .client
                .get(app.url("/login"))
                .header("accept-language", "en"),
        )
        .await;
    assert!(en.text.contains("Forgot your password?"));
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn browser_sessions_rotate_expire_when_idle_and_at_twelve_hours() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let b = app.browser();

    // Wrong password and unknown e-mail: the same answer.
    for email in [OWNER, "nobody@alma.kz"] {
        let res = b
            .post_form(
                "/login",
                &[
                    ("email", email),
                    ("password", "Wrong-password-1"),
                    ("school", "alma-school"),
                ],
            )
            .await;
        assert_eq!(res.status, 401, "{}", res.text);
        assert!(res.text.contains("Неверный e-mail или пароль."));
    }

    let first = session_cookie(&b.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await);
    let again = b.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let second = session_cookie(&again);
    assert_eq!(again.header("location"), "/cabinet");
    assert_ne!(first, second, "a new id at every sign-in");
    // The replaced session is ended.
    let old_secret = first
        .trim_start_matches("session=")
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let res = app
        .send(
            app.browser()
                .client
                .get(app.url("/cabinet"))
                .header("cookie", format!("session={old_secret}")),
        )
        .await;
    assert_eq!(res.status, 303, "the previous session still works");

    // A page without a session sends to the sign-in page and back; a form post, to its page.
    let anon = app.browser().get("/cabinet").await;
    assert_eq!(anon.status, 303);
    assert_eq!(anon.header("location"), "/login?next=/cabinet");
    let anon = app
        .browser()
        .post_form("/cabinet/tokens", &[("name", "x")])
        .await;
    assert_eq!(anon.header("location"), "/login?next=/cabinet");
    let next = app.browser();
    let res = next
        .post_form(
            "/login",
            &[
                ("email", OWNER),
                ("password", OWNER_PASSWORD),
                ("school", "alma-school"),
                ("next", "/cabinet#tokens"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), "/cabinet#tokens");
    let res = next
        .post_form(
            "/login",
            &[
                ("email", OWNER),
                ("password", OWNER_PASSWORD),
                ("school", "alma-school"),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), "/cabinet", "no open redirect");

    // Idle: 1 h 59 min between requests keeps it; 2 h 01 min ends it.
    assert_eq!(b.get("/cabinet").await.status, 200);
    app.advance(0, 1, 59).await;
    assert_eq!(b.get("/cabinet").await.status, 200);
    app.advance(0, 2, 1).await;
    assert_eq!(b.get("/cabinet").await.status, 303);

    // Absolute: used every hour, it still ends 12 hours after sign-in.
    b.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    for _ in 0..11 {
        app.advance(0, 1, 0).await;
        assert_eq!(b.get("/cabinet").await.status, 200);
    }
    app.advance(0, 1, 0).await;
    assert_eq!(b.get("/cabinet").await.status, 303);
    drop((b, next));
    app.stop().await;
}

#[tokio::test]
async fn signing_out_here_and_everywhere_and_forms_refuse_other_sites() {
    let app = TestApp::start().await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let laptop = app.browser();
    let phone = app.browser();
    laptop.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    phone.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;

    // A form posted from another site is refused and changes nothing.
    let res = app
        .send(
            laptop
                .client
                .post(app.url("/logout"))
                .header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(laptop.get("/cabinet").await.status, 200);

    let res = laptop.post_form("/logout", &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), "/login");
    assert!(session_cookie(&res).contains("Max-Age=0"));
    assert_eq!(laptop.get("/cabinet").await.status, 303);
    assert_eq!(phone.get("/cabinet").await.status, 200);

    laptop.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let api = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    let res = phone.post_form("/logout-everywhere", &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(laptop.get("/cabinet").await.status, 303);
    assert_eq!(phone.get("/cabinet").await.status, 303);
    assert_eq!(app.call("GET", "/api/v1/me", &api, None).await.status, 401);
    drop((laptop, phone));
    app.stop().await;
}

#[tokio::test]
async fn the_cabinet_invites_staff_manages_tokens_and_staff_lose_access_when_removed() {
    let app = TestApp::start().await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let owner = app.browser();
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;

    let res = owner
        .post_form(
            "/cabinet/staff",
            &[
                ("email", "not-an-email"),
                ("full_name", ""),
                ("role", "teacher"),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"email-error\""));
    assert!(res.text.contains("Укажите адрес e-mail с доменом"));
    assert!(res.text.contains("Должно быть от 1 до 200 символов."));

    let res = owner
        .post_form(
            "/cabinet/staff",
            &[
                ("email", "teacher@alma.kz"),
                ("full_name", "Данияр Ахметов"),
                ("role", "teacher"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let cabinet = owner.get("/cabinet/settings").await;
    assert!(cabinet.text.contains("Приглашение отправлено."));
    assert!(cabinet.text.contains("teacher@alma.kz"));
    let link = app.mail_to("teacher@alma.kz").await[0]
        .links
        .iter()
        .find(|l| l.contains("/invitation?token="))
        .expect("invitation link")
        .clone();
    let token = link.split("token=").nth(1).unwrap();
    let res = app
        .send(
            app.client
                .post(app.url("/invitation"))
                .form(&[("token", token), ("password", "Lessons-2027!")]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    let teacher = app.browser();
    teacher
        .sign_in("teacher@alma.kz", "Lessons-2027!", "alma-school")
        .await;
    let page = teacher.get("/cabinet/settings").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.text.contains("id=\"invite-form\""),
        "a teacher invites no one"
    );
    // The contract is the owner's.
    assert_eq!(teacher.get("/cabinet/contract").await.status, 403);
    // The teacher's own API token through the form: shown once, never cached.
    let res = teacher
        .post_form(
            "/cabinet/tokens",
            &[
                ("name", "Расписание"),
                ("scope", "read"),
                ("expires_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.header("cache-control"), "no-store");
    let secret = res
        .text
        .split("id=\"new-token-secret\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the secret on the page")
        .to_owned();
    assert!(secret.starts_with("edc_"), "{secret}");
    assert_eq!(
        app.call("GET", "/api/v1/me", &secret, None).await.status,
        200
    );
    assert!(
        !teacher
            .get("/cabinet/settings")
            .await
            .text
            .contains(&secret)
    );
    let res = teacher
        .post_form(
            "/cabinet/tokens",
            &[("name", ""), ("scope", "admin"), ("expires_on", "someday")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"expires_on-error\""));

    // The owner sees staff and makes the teacher a manager, then removes them: their session
    // and token end at once.
    let id = app
        .call(
            "GET",
            "/api/v1/staff",
            &app.token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
                .await,
            None,
        )
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = owner
        .post_form(&format!("/cabinet/staff/{id}/role"), &[("role", "manager")])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        owner
            .get("/cabinet/settings")
            .await
            .text
            .contains("Роль изменена.")
    );
    let res = owner
        .post_form(&format!("/cabinet/staff/{id}/remove"), &[])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(teacher.get("/cabinet").await.status, 303);
    assert_eq!(
        app.call("GET", "/api/v1/me", &secret, None).await.status,
        401
    );
    // A removed member's id, or another school's: 404, and nothing changes.
    let res = owner
        .post_form(&format!("/cabinet/staff/{id}/remove"), &[])
        .await;
    assert_eq!(res.status, 404);
    let beta = given::beta(&app).await.owner_token;
    let theirs = app
        .call(
            "POST",
            "/api/v1/staff",
            &beta,
            Some(json!({ "email": "t@beta.kz", "full_name": "T", "role": "teacher" })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let their_token = app
        .call(
            "POST",
            "/api/v1/tokens",
            &beta,
            Some(json!({ "name": "b", "scope": "read" })),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        format!("/cabinet/staff/{theirs}/remove"),
        format!("/cabinet/staff/{theirs}/role"),
        format!("/cabinet/tokens/{their_token}/revoke"),
    ] {
        let res = owner.post_form(&path, &[("role", "manager")]).await;
        assert_eq!(res.status, 404, "{path}");
    }
    let staff = app.call("GET", "/api/v1/staff", &beta, None).await.items();
    assert_eq!(staff[0]["role"], "teacher");
    let tokens = app.call("GET", "/api/v1/tokens", &beta, None).await.items();
    assert_eq!(tokens.as_array().unwrap().len(), 1);
    drop((owner, teacher));
    app.stop().await;
}

#[tokio::test]
async fn a_refusal_during_the_trial_blocks_at_once_and_keeps_the_data_sixty_days() {
    // R-4.4a: a refusal on 2025-03-10 blocks at once and schedules the purge for 2025-05-09,
    // with the warning due by 2025-04-22.
    let app = TestApp::builder()
        .clock("2025-03-03T10:00:00+05:00")
        .start()
        .await;
    let owner_api = app
        .school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let owner = app.browser();
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    app.allow_api_write(&owner_api).await;
    let tokens = app
        .call(
            "POST",
            "/api/v1/tokens",
            &owner_api,
            Some(json!({ "name": "sync", "scope": "read_write" })),
        )
        .await
        .json();
    let api_token = tokens["token"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "POST",
            "/api/v1/staff",
            &owner_api,
            Some(json!({ "email": "teacher@alma.kz", "full_name": "Данияр Ахметов", "role": "teacher" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let link = app.mail_to("teacher@alma.kz").await[0].links[0].clone();
    let invitation = link.split("token=").nth(1).unwrap().to_owned();
    app.post_json(
        "/api/v1/invitations/accept",
        &json!({ "token": invitation, "password": "Lessons-2027!" }),
    )
    .await;
    app.set_clock("2025-03-10T11:00:00+05:00").await;
    let owner_api = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;

    // The contract page offers the refusal during the trial.
    let page = owner.get("/cabinet/contract").await;
    assert!(page.text.contains("id=\"refusal-form\""), "{}", page.text);
    // Without the confirmation nothing happens.
    let res = owner.post_form("/cabinet/refusal", &[]).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"confirm-error\""));
    assert_eq!(
        app.call("GET", "/api/v1/me", &owner_api, None).await.status,
        200
    );
    // A read-only token may not refuse.
    let read = app
        .call(
            "POST",
            "/api/v1/tokens",
            &owner_api,
            Some(json!({ "name": "ro", "scope": "read" })),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call("POST", "/api/v1/refusal", &read, None)
        .await
        .problem(403);
    // Nor may a read-write token: a refusal is written by the signed-in owner.
    let rw = app
        .call(
            "POST",
            "/api/v1/tokens",
            &owner_api,
            Some(json!({ "name": "rw", "scope": "read_write" })),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call("POST", "/api/v1/refusal", &rw, None)
        .await
        .problem(403);
    let teacher_api = app
        .token_for("teacher@alma.kz", "Lessons-2027!", Some("alma-school"))
        .await;

    let res = owner
        .post_form("/cabinet/refusal", &[("confirm", "on")])
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("9 мая 2025 г."), "{}", res.text);
    assert!(session_cookie(&res).contains("Max-Age=0"));
    // Every session and token ends at once; staff and programs stay out.
    assert_eq!(owner.get("/cabinet").await.status, 303);
    for token in [&owner_api, &api_token, &teacher_api] {
        assert_eq!(app.call("GET", "/api/v1/me", token, None).await.status, 401);
    }
    app.login("teacher@alma.kz", "Lessons-2027!", Some("alma-school"))
        .await
        .problem(403);
    let teacher = app.browser();
    let res = teacher
        .post_form(
            "/login",
            &[
                ("email", "teacher@alma.kz"),
                ("password", "Lessons-2027!"),
                ("school", "alma-school"),
            ],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(res.text.contains("заблокирован"));
    // The owner still signs in (billing, documents, export and deletion stay theirs): every
    // other page of the cabinet leads to billing, whose banner says why.
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let res = owner.get("/cabinet").await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), "/cabinet/billing");
    let page = owner.get("/cabinet/billing").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"restricted-banner\""));
    assert!(
        page.text.contains("Данные хранятся до 9 мая 2025 г."),
        "{}",
        page.text
    );
    let page = owner.get("/cabinet/contract").await;
    assert_eq!(page.status, 200);
    assert!(!page.text.contains("id=\"refusal-form\""));

    let mail = app.mail_to(OWNER).await;
    assert!(
        mail[0].subject.contains("Отказ от лицензии"),
        "{}",
        mail[0].subject
    );
    assert!(mail[0].text.contains("9 мая 2025 г."));

    // The operator sees the block with its dates, and the audit entry with the address.
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let found = app
        .call("GET", "/api/v1/operator/tenants?q=alma", &admin, None)
        .await
        .items();
    let id = found[0]["id"].as_str().unwrap();
    let detail = app
        .call(
            "GET",
            &format!("/api/v1/operator/tenants/{id}"),
            &admin,
            None,
        )
        .await
        .json();
    assert_eq!(detail["blocks"][0]["reason"], "refusal");
    assert_eq!(detail["blocks"][0]["purge_on"], "2025-05-09");
    // The back office's page of the school names the reason in words.
    let office = app.browser();
    office
        .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let page = office.get(&format!("/operator/tenants/{id}")).await;
    assert!(
        page.text.contains("отказ школы от лицензии"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("block-reason-"), "{}", page.text);
    assert_eq!(detail["blocks"][0]["purge_warning_by"], "2025-04-22");
    let refusal = detail["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "tenant.refusal")
        .expect("audited");
    assert_eq!(refusal["ip"], "127.0.0.1");
    // The contract ends at the end of the refusal day.
    app.set_clock("2025-03-11T00:30:00+05:00").await;
    let detail = app
        .call(
            "GET",
            &format!("/api/v1/operator/tenants/{id}"),
            &admin,
            None,
        )
        .await
        .json();
    assert_eq!(detail["contracts"][0]["status"], "ended", "{detail}");
    // The warning goes out on 22 April; on 9 May the people's data is purged, the owner's
    // account stays (R-4.4a, R-4.4b).
    app.set_clock("2025-04-21T12:00:00+05:00").await;
    let warned = |mail: &[crate::harness::SentMail]| {
        mail.iter()
            .filter(|m| m.subject.contains("будут удалены"))
            .count()
    };
    assert_eq!(warned(&app.mail_to(OWNER).await), 0);
    app.set_clock("2025-04-22T12:00:00+05:00").await;
    let mail = app.mail_to(OWNER).await;
    assert_eq!(warned(&mail), 1);
    assert!(mail[0].text.contains("9 мая 2025 г."), "{}", mail[0].text);
    let people = async || {
        let mut conn = app.store().conn().await.unwrap();
        educenter_store::accounts::people(&mut conn, &educenter_domain::ids::TenantId::new(id))
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.email)
            .collect::<Vec<_>>()
    };
    app.set_clock("2025-05-08T12:00:00+05:00").await;
    assert_eq!(people().await, [OWNER, "teacher@alma.kz"]);
    app.set_clock("2025-05-09T00:30:00+05:00").await;
    let owner_api = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    let licence = app
        .call("GET", "/api/v1/license", &owner_api, None)
        .await
        .json();
    assert_eq!(licence["state"], "purged", "{licence}");
    assert_eq!(people().await, [OWNER]);
    assert_eq!(warned(&app.mail_to(OWNER).await), 1, "warned once");
    drop((owner, teacher));
    app.stop().await;
}

#[tokio::test]
async fn a_refusal_is_for_the_trial_only() {
    let app = TestApp::builder()
        .clock("2027-01-20T10:00:00+05:00")
        .start()
        .await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    // The trial's last day is 2027-02-03; on the 4th a refusal is a termination notice's job.
    app.set_clock("2027-02-04T09:00:00+05:00").await;
    let owner = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    let body = app
        .call("POST", "/api/v1/refusal", &owner, None)
        .await
        .problem(409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("termination notice")
    );
    assert_eq!(
        app.call("GET", "/api/v1/me", &owner, None).await.status,
        200
    );
    app.stop().await;
}

#[tokio::test]
async fn the_cabinet_shows_a_new_offer_version_and_takes_an_objection() {
    let app = TestApp::builder()
        .clock("2025-04-01T10:00:00+05:00")
        .start()
        .await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    let owner = app.browser();
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    assert!(!owner.get("/cabinet").await.text.contains("offer-banner"));
    // v2 published Wed 2025-04-02: objections until Mon 7 April (R-2.3b).
    app.set_clock("2025-04-02T10:00:00+05:00").await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/operator/offers",
            &admin,
            Some(json!({ "text_ru": "1. Новые условия.", "change_summary": "Новые тарифы" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let page = owner.get("/cabinet").await.text;
    assert!(page.contains("id=\"offer-banner\""));
    assert!(page.contains("№ 2"), "{page}");
    assert!(page.contains("7 апреля 2025 г."));
    assert!(page.contains("Новые тарифы"));

    // Objecting on Mon 7 April keeps the contract through 21 April (R-2.3c).
    app.set_clock("2025-04-07T12:00:00+05:00").await;
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    let res = owner.post_form("/cabinet/objection", &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), "/cabinet/contract");
    let page = owner.get("/cabinet/contract").await.text;
    assert!(page.contains("id=\"notice-banner\""));
    assert!(page.contains("21 апреля 2025 г."), "{page}");
    let res = owner.post_form("/cabinet/termination/withdraw", &[]).await;
    assert_eq!(res.status, 303);
    let page = owner.get("/cabinet").await.text;
    assert!(!page.contains("id=\"notice-banner\""));
    // A second objection after withdrawing is too late only when the window closed: here it
    // is still 7 April, so a notice can be given instead.
    let res = owner
        .post_form("/cabinet/termination", &[("confirm", "on")])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        owner
            .get("/cabinet")
            .await
            .text
            .contains("id=\"notice-banner\"")
    );
    drop(owner);
    app.stop().await;
}

#[tokio::test]
async fn the_operator_finds_tenants_reads_their_trail_and_edits_the_calendar() {
    let app = TestApp::builder()
        .clock("2027-01-20T10:00:00+05:00")
        .start()
        .await;
    app.school("alma-school", "123456789013", OWNER, "+77011234567")
        .await;
    given::beta(&app).await;
    let op = app.browser();
    let res = op.sign_in("admin@educenter.test", ADMIN_PASSWORD, "").await;
    assert_eq!(res.header("location"), "/operator");
    let home = op.get("/operator").await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("alma-school") && home.text.contains("beta-school"));
    for (q, found, not) in [
        ("alma", "alma-school", "beta-school"),
        ("900101300007", "beta-school", "alma-school"),
        ("OWNER@alma.kz", "alma-school", "beta-school"),
    ] {
        let page = op
            .get(&format!("/operator?q={}", q.replace('@', "%40")))
            .await;
        assert!(page.text.contains(found), "{q}");
        assert!(!page.text.contains(not), "{q}");
    }
    let none = op.get("/operator?q=zzz").await;
    assert!(none.text.contains("id=\"no-tenants\""));
    // A name in Cyrillic, found whatever the case, on both engines.
    let mut form = signup_form("gamma-school", "880101300000", "owner@gamma.kz");
    for (k, v) in &mut form {
        match *k {
            "org_name" => *v = "Гамма Скул",
            "phone" => *v = "+77015550000",
            _ => {}
        }
    }
    assert_eq!(app.browser().post_form("/signup", &form).await.status, 303);
    let page = op.get("/operator?q=%D0%B3%D0%B0%D0%BC%D0%BC%D0%B0").await; // "гамма"
    assert!(page.text.contains("gamma-school"), "{}", page.text);
    // A school's token reaches none of the operator's tenant routes.
    let school = app
        .token_for(OWNER, OWNER_PASSWORD, Some("alma-school"))
        .await;
    app.call("GET", "/api/v1/operator/tenants", &school, None)
        .await
        .problem(403);

    let id = op
        .get("/operator?q=alma")
        .await
        .text
        .split("/operator/tenants/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = op.get(&format!("/operator/tenants/{id}")).await;
    assert_eq!(page.status, 200);
    // Words, not codes: the acceptance's method and the audit trail's actions.
    assert!(
        page.text.contains("отметка при регистрации"),
        "the acceptance's method"
    );
    assert!(page.text.contains("Школа: регистрация"), "{}", page.text);
    assert!(!page.text.contains("tenant.signup"), "{}", page.text);
    assert!(page.text.contains("127.0.0.1"));
    assert!(page.text.contains("owner@alma.kz"));
    assert_eq!(page.header("cache-control"), "no-store, private");
    assert_eq!(op.get("/operator/tenants/no-such-id").await.status, 404);
    // Searches and views are on the record.
    let again = op.get(&format!("/operator/tenants/{id}")).await;
    assert!(again.text.contains("Сотрудник оператора: просмотр школы"));

    // The calendar: shown, refused with the reason beside the field, saved.
    let cal = op.get("/operator/calendar/2027").await;
    assert_eq!(cal.status, 200);
    assert!(cal.text.contains("2027-03-08"));
    let res = op
        .post_form(
            "/operator/calendar/2027",
            &[
                ("non_working_days", "2027-01-01\n8 March"),
                ("working_days", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"non_working_days-error\""));
    assert!(res.text.contains("«8»"), "{}", res.text);
    let res = op
        .post_form(
            "/operator/calendar/2027",
            &[
                ("non_working_days", "2027-01-01\n2027-01-02"),
                ("working_days", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "2 January 2027 is a Saturday");
    let res = op
        .post_form(
            "/operator/calendar/2031",
            &[
                ("non_working_days", "2031-01-01, 2031-01-02"),
                ("working_days", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let year = app
        .call("GET", "/api/v1/operator/calendar/2031", &admin, None)
        .await
        .json();
    assert_eq!(
        year["non_working_days"],
        json!(["2031-01-01", "2031-01-02"])
    );

    // An owner reaching the back office is sent to the cabinet; a billing officer may search
    // but not edit the calendar.
    let owner = app.browser();
    owner.sign_in(OWNER, OWNER_PASSWORD, "alma-school").await;
    assert_eq!(owner.get("/operator").await.header("location"), "/cabinet");
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        "billing@educenter.test",
        "Бота Серикова",
        educenter_domain::roles::OperatorRole::Billing,
        "Numbers-2027!",
    )
    .await
    .unwrap();
    let billing = app.browser();
    billing
        .sign_in("billing@educenter.test", "Numbers-2027!", "")
        .await;
    assert!(
        billing
            .get("/operator?q=beta")
            .await
            .text
            .contains("beta-school")
    );
    let res = billing
        .post_form(
            "/operator/calendar/2031",
            &[("non_working_days", ""), ("working_days", "")],
        )
        .await;
    assert_eq!(res.status, 403);
    drop((op, owner, billing));
    app.stop().await;
}
