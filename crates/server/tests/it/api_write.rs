//! Issue 15, item 7: API write access. New tokens read only unless the owner has
//! switched on writing through the API; switching it off makes existing read-write tokens read
//! only; every write by a token is audited with the token's id and the fields it changed.

use serde_json::{Value, json};

use crate::{
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, error_fields},
    staff::hire,
};

const SLUG: &str = "alma-school";
const OWNER: &str = "owner@alma.kz";

async fn token(app: &TestApp, session: &str, scope: &str) -> crate::harness::Res {
    app.call(
        "POST",
        "/api/v1/tokens",
        session,
        Some(json!({ "name": format!("crm {scope}"), "scope": scope })),
    )
    .await
}

/// The school's audit trail as the operator reads it.
async fn trail(app: &TestApp) -> Vec<Value> {
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let found = app
        .call("GET", "/api/v1/operator/tenants?q=alma", &admin, None)
        .await
        .items();
    let id = found[0]["id"].as_str().unwrap();
    app.call(
        "GET",
        &format!("/api/v1/operator/tenants/{id}"),
        &admin,
        None,
    )
    .await
    .json()["audit"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn tokens_write_only_while_the_owner_allows_it_and_every_write_names_its_token() {
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let owner = app
        .school(SLUG, "123456789013", OWNER, "+77011234567")
        .await;
    hire(&app, &owner, "buh@alma.kz", "administrator").await;
    let admin_staff = app
        .token_for("buh@alma.kz", "Teacher-2027!", Some(SLUG))
        .await;

    // Off by default: a new token reads only.
    assert_eq!(
        app.call("GET", "/api/v1/settings/api-write", &owner, None)
            .await
            .json(),
        json!({ "enabled": false })
    );
    let res = token(&app, &owner, "read_write").await;
    assert_eq!(error_fields(&res.problem(422)), ["scope"]);
    let read = token(&app, &owner, "read").await.json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(
        "POST",
        "/api/v1/courses",
        &read,
        Some(json!({ "title": "Алгебра" })),
    )
    .await
    .problem(403);

    // Only the owner, signed in, switches it on: not an administrator, not a token.
    for who in [&admin_staff, &read] {
        app.call(
            "PUT",
            "/api/v1/settings/api-write",
            who,
            Some(json!({ "enabled": true })),
        )
        .await
        .problem(403);
    }
    let on = app
        .call(
            "PUT",
            "/api/v1/settings/api-write",
            &owner,
            Some(json!({ "enabled": true })),
        )
        .await;
    assert_eq!(on.json(), json!({ "enabled": true }));
    let created = token(&app, &owner, "read_write").await.json();
    let (token_id, rw) = (
        created["id"].as_str().unwrap().to_owned(),
        created["token"].as_str().unwrap().to_owned(),
    );

    // A write by the token: audited with the token's id, its owner, and what changed.
    let course = app
        .call(
            "POST",
            "/api/v1/courses",
            &rw,
            Some(json!({ "title": "Алгебра" })),
        )
        .await;
    assert_eq!(course.status, 201, "{}", course.text);
    let course = course.json()["id"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{course}"),
            &rw,
            Some(json!({ "title": "Алгебра 7", "status": "archived" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let entries = trail(&app).await;
    let update = entries
        .iter()
        .find(|e| e["action"] == "course.update")
        .expect("audited");
    assert_eq!(update["token_id"], token_id.as_str());
    assert_eq!(update["actor_kind"], "owner");
    assert_eq!(
        update["details"]["changes"],
        json!({
            "title": { "old": "Алгебра", "new": "Алгебра 7" },
            "status": { "old": "draft", "new": "archived" },
        })
    );
    let create = entries
        .iter()
        .find(|e| e["action"] == "course.create")
        .expect("audited");
    assert_eq!(create["token_id"], token_id.as_str());
    // The switch itself is audited.
    let switched = entries
        .iter()
        .find(|e| e["action"] == "settings.api_write")
        .expect("audited");
    assert_eq!(
        switched["details"]["changes"]["api_write"],
        json!({ "old": false, "new": true })
    );
    // A staff member's role change records the role before and after, masked where personal.
    let staff = app.call("GET", "/api/v1/staff", &owner, None).await.items();
    let staff_id = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "buh@alma.kz")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.call(
        "PATCH",
        &format!("/api/v1/staff/{staff_id}"),
        &rw,
        Some(json!({ "role": "accountant" })),
    )
    .await;
    let role = trail(&app)
        .await
        .into_iter()
        .find(|e| e["action"] == "staff.change_role")
        .expect("audited");
    assert_eq!(role["token_id"], token_id.as_str());
    assert_eq!(
        role["details"]["changes"]["role"],
        json!({ "old": "administrator", "new": "accountant" })
    );

    // Off again: the read_write token acts as read-only at once, and still reads.
    let page = app.browser();
    page.sign_in(OWNER, OWNER_PASSWORD, SLUG).await;
    let res = page.post_form("/cabinet/api-write", &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    app.call(
        "PATCH",
        &format!("/api/v1/courses/{course}"),
        &rw,
        Some(json!({ "title": "Геометрия" })),
    )
    .await
    .problem(403);
    assert_eq!(
        app.call("GET", "/api/v1/courses", &rw, None).await.status,
        200
    );
    // The cabinet offers read-only tokens while it is off.
    let cabinet = page.get("/cabinet/settings").await.text;
    assert!(cabinet.contains("id=\"api-write-form\""));
    assert!(!cabinet.contains("value=\"read_write\""), "{cabinet}");
    let res = page
        .post_form("/cabinet/api-write", &[("enabled", "on")])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        page.get("/cabinet/settings")
            .await
            .text
            .contains("value=\"read_write\"")
    );
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{course}"),
            &rw,
            Some(json!({ "title": "Геометрия" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    drop(page);
    app.stop().await;
}
