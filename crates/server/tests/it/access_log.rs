//! Issue 18, item 6 (R-2.5c): the access log. Every sign-in, failed sign-in, sign-out and
//! request of someone signed in is recorded with its UTC time, school, actor, address, browser
//! and route pattern; nothing changes an entry; entries are kept for the contract term plus
//! three years; what waits in the queue is written when the server stops.

use serde_json::json;

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp},
};

/// One entry as stored: event, tenant, actor kind, actor id, token, method, route, status, ip,
/// browser.
type Line = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
);

/// Every entry made from `from` on (sign-ins and requests alike), oldest first, once the
/// requests still queued are written.
async fn entries_since(app: &TestApp, from: jiff::Timestamp) -> Vec<Line> {
    app.services().access_log.flush().await;
    let mut conn = app.store().conn().await.unwrap();
    let found = educenter_store::access_log::entries(&mut conn, None, from, jiff::Timestamp::MAX)
        .await
        .unwrap()
        .expect("fewer than the limit");
    let text =
        |m: &serde_json::Map<String, serde_json::Value>, k: &str| m[k].as_str().map(str::to_owned);
    found
        .iter()
        .map(|m| {
            (
                text(m, "event").unwrap(),
                text(m, "tenant_id"),
                text(m, "actor_kind"),
                text(m, "actor_id"),
                text(m, "token_id"),
                text(m, "method"),
                text(m, "route"),
                m["status"].as_i64(),
                text(m, "ip"),
                text(m, "user_agent"),
            )
        })
        .collect()
}

fn routes(lines: &[Line]) -> Vec<(String, String, i64)> {
    lines
        .iter()
        .filter(|l| l.0 == "request")
        .map(|l| {
            (
                l.5.clone().unwrap_or_default(),
                l.6.clone().unwrap_or_default(),
                l.7.unwrap_or_default(),
            )
        })
        .collect()
}

#[tokio::test]
async fn sign_ins_failures_sign_outs_and_every_request_of_someone_signed_in_are_logged() {
    let app = TestApp::builder()
        .clock("2026-03-05T12:00:00+05:00")
        .trusted_proxies("127.0.0.0/8")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let course = given::open_course(&app, &alma.owner_token, "Курс").await;
    // What follows happens a minute on: the entries from then are this test's.
    let since = app.advance(0, 0, 1).await;

    let from = |ip: &'static str, path: &str| {
        app.client
            .post(app.url(path))
            .header("x-forwarded-for", ip)
            .header("user-agent", "Tester/1.0")
    };
    // A wrong password for the owner's address: a failed sign-in aimed at the owner.
    let res = app
        .send(from("203.0.113.7", "/api/v1/auth/login").json(
            &json!({ "email": "owner@alma.kz", "password": "wrong", "tenant": "alma-school" }),
        ))
        .await;
    assert_eq!(res.status, 401, "{}", res.text);
    let res = app
        .send(from("203.0.113.7", "/api/v1/auth/login").json(
            &json!({ "email": "owner@alma.kz", "password": OWNER_PASSWORD, "tenant": "alma-school" }),
        ))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let token = res.json()["token"].as_str().unwrap().to_owned();
    // Two requests with the session's token, one refused; one without any token.
    let get = |path: &str| {
        app.client
            .get(app.url(path))
            .header("x-forwarded-for", "203.0.113.7")
            .bearer_auth(&token)
    };
    assert_eq!(
        app.send(get(&format!("/api/v1/courses/{}", course.id)))
            .await
            .status,
        200
    );
    assert_eq!(app.send(get("/api/v1/operator/tenants")).await.status, 403);
    assert_eq!(app.get("/healthz").await.status, 200);
    // A program's token names itself.
    let program = given::api_token(&app, &token, "CRM", "read").await;
    let res = app
        .send(
            app.client
                .get(app.url("/api/v1/courses"))
                .bearer_auth(&program.secret),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // A student reads a lesson on the school's site (a page, by the session cookie).
    let student = given::student(&app, &alma, "aigerim@alma.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let lesson = format!("/s/alma-school/lessons/{}", course.lessons[0]);
    assert_eq!(student.get(&lesson).await.status, 200);
    // Signing out.
    let res = app
        .send(from("203.0.113.7", "/api/v1/auth/logout").bearer_auth(&token))
        .await;
    assert_eq!(res.status, 204, "{}", res.text);

    let lines = entries_since(&app, since).await;
    let lines = &lines[..];
    let failed = lines.iter().find(|l| l.0 == "sign_in_failed").unwrap();
    assert_eq!(failed.1.as_deref(), Some(alma_id.as_str()));
    assert_eq!(failed.2.as_deref(), Some("owner"));
    assert_eq!(failed.8.as_deref(), Some("203.0.113.7"));
    assert_eq!(failed.9.as_deref(), Some("Tester/1.0"));
    let signed_in = lines.iter().find(|l| l.0 == "sign_in").unwrap();
    assert_eq!(signed_in.1.as_deref(), Some(alma_id.as_str()));
    assert_eq!(signed_in.3, failed.3);
    assert_eq!(signed_in.8.as_deref(), Some("203.0.113.7"));
    let requests = routes(lines);
    for expected in [
        ("GET", "/api/v1/courses/{id}", 200),
        ("GET", "/api/v1/operator/tenants", 403),
        ("POST", "/api/v1/tokens", 201),
        ("GET", "/api/v1/courses", 200),
        ("GET", "/s/{slug}/lessons/{id}", 200),
        ("POST", "/api/v1/auth/logout", 204),
    ] {
        let expected = (expected.0.to_owned(), expected.1.to_owned(), expected.2);
        assert!(requests.contains(&expected), "{expected:?} in {requests:?}");
    }
    // No route of nobody signed in; no path with its ids.
    assert!(
        requests
            .iter()
            .all(|(_, r, _)| r != "/healthz" && !r.contains(&course.id))
    );
    let by_program = lines
        .iter()
        .find(|l| l.6.as_deref() == Some("/api/v1/courses"))
        .unwrap();
    assert_eq!(by_program.4.as_deref(), Some(program.id.as_str()));
    assert_eq!(by_program.1.as_deref(), Some(alma_id.as_str()));
    let read = lines
        .iter()
        .find(|l| l.6.as_deref() == Some("/s/{slug}/lessons/{id}"))
        .unwrap();
    assert_eq!(read.2.as_deref(), Some("learner"));
    assert_eq!(read.1.as_deref(), Some(alma_id.as_str()));
    let out = lines.iter().find(|l| l.0 == "sign_out").unwrap();
    assert_eq!(out.3, signed_in.3);

    // Append-only: no entry can be changed.
    let mut conn = app.store().conn().await.unwrap();
    let changed = sqlx::query("UPDATE access_log SET ip = '10.0.0.1'")
        .execute(&mut *conn)
        .await;
    assert!(changed.is_err(), "{changed:?}");
    let changed = sqlx::query("UPDATE access_log_requests SET body = ''")
        .execute(&mut *conn)
        .await;
    assert!(changed.is_err(), "{changed:?}");
    drop(conn);
    app.stop().await;
}

#[tokio::test]
async fn what_waits_is_written_when_the_server_stops() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let me = |lines: &[Line]| {
        lines
            .iter()
            .filter(|l| l.6.as_deref() == Some("/api/v1/me"))
            .count()
    };
    let before = me(&entries_since(&app, jiff::Timestamp::MIN).await);
    for _ in 0..20 {
        assert_eq!(
            app.call("GET", "/api/v1/me", &alma.owner_token, None)
                .await
                .status,
            200
        );
    }
    let db = app.db.clone();
    app.stop().await;
    let app = TestApp::builder().db(&db).start().await;
    let after = me(&entries_since(&app, jiff::Timestamp::MIN).await);
    assert_eq!(after - before, 20);
    app.stop().await;
}

#[tokio::test]
async fn entries_go_three_years_after_the_school_was_purged_or_they_were_made() {
    let app = TestApp::builder()
        .clock("2030-06-01T00:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let beta = given::beta(&app).await;
    let (alma_id, beta_id) = (alma.tenant_id(&app).await, beta.tenant_id(&app).await);
    app.services().access_log.flush().await;
    let old = jiff::Timestamp::from_second(1_500_000_000).unwrap(); // 2017-07-14
    let mut conn = app.store().conn().await.unwrap();
    let entry = |tenant: Option<&educenter_domain::ids::TenantId>| {
        educenter_store::access_log::AccessEntry {
            at: old,
            event: educenter_domain::access::AccessEvent::SignIn,
            tenant_id: tenant.cloned(),
            actor_kind: None,
            actor_id: None,
            token_id: None,
            method: None,
            route: None,
            status: None,
            ip: Some("198.51.100.1".into()),
            user_agent: None,
        }
    };
    educenter_store::access_log::append(
        &mut conn,
        &[entry(Some(&alma_id)), entry(Some(&beta_id)), entry(None)],
    )
    .await
    .unwrap();
    // And a request of each, as the writer packs them.
    let requests = [Some(&alma_id), Some(&beta_id), None].map(|t| {
        educenter_store::access_log::QueuedRequest::new(
            t.cloned(),
            educenter_store::access_log::RequestFields {
                at: old,
                actor_kind: "owner",
                actor_id: "u-1",
                token_id: None,
                method: "GET",
                route: "/api/v1/me",
                status: 200,
                ip: Some("198.51.100.1".parse().unwrap()),
                user_agent: None,
            },
        )
    });
    educenter_store::access_log::append_packed(
        app.store(),
        educenter_store::access_log::pack(requests.into_iter().collect()),
    )
    .await
    .unwrap();
    // The next run is at 04:40 in Almaty, 2030-06-01T23:40Z: Alma was purged more than three
    // years before it, Beta less: Beta's entry stays.
    for (id, purged) in [
        (&alma_id, "2027-05-31T04:00:00Z"),
        (&beta_id, "2027-06-02T04:00:00Z"),
    ] {
        let at: jiff::Timestamp = purged.parse().unwrap();
        sqlx::query("UPDATE tenants SET purged_at = $1 WHERE id = $2")
            .bind(at.as_microsecond())
            .bind(id.as_str())
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    drop(conn);
    app.advance(1, 0, 0).await;
    let mut conn = app.store().conn().await.unwrap();
    let left: Vec<(String, Option<String>)> = educenter_store::access_log::entries(
        &mut conn,
        None,
        jiff::Timestamp::MIN,
        jiff::Timestamp::MAX,
    )
    .await
    .unwrap()
    .expect("fewer than the limit")
    .into_iter()
    .filter(|m| m["ip"] == "198.51.100.1")
    .map(|m| {
        (
            m["event"].as_str().unwrap().to_owned(),
            m["tenant_id"].as_str().map(str::to_owned),
        )
    })
    .collect();
    let beta = Some(beta_id.to_string());
    assert_eq!(
        left,
        [
            ("sign_in".to_owned(), beta.clone()),
            ("request".to_owned(), beta)
        ]
    );
    drop(conn);
    app.stop().await;
}
