//! Tenant isolation, generated from the OpenAPI document: every documented route with
//! an object id in its path is called with school A's credentials and school B's id, and must
//! answer 404 and change nothing. A new such route without a case here fails the test.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::harness::TestApp;

/// Routes with a path parameter that name no tenant-owned object.
const NOT_TENANT_OWNED: &[&str] = &[
    "/api/v1/operator/calendar/{year}",
    // A payment provider's callback: authenticated by its signature, not by a school.
    "/api/v1/payments/callback/{provider}",
];

/// The operator's routes over tenants: a school's credentials are refused (403) whatever the
/// id, and only operator staff reach them.
const OPERATOR_ONLY: &[&str] = &[
    "/api/v1/operator/tenants/{id}",
    "/api/v1/operator/tenants/{id}/block",
    "/api/v1/operator/tenants/{id}/unblock",
    "/api/v1/operator/tenants/{id}/terminate",
    "/api/v1/operator/tenants/{id}/plan-change",
    "/api/v1/operator/staff/{id}",
    "/api/v1/operator/plans/{code}/prices",
    "/api/v1/operator/services/{code}/prices",
    "/api/v1/operator/receipts/{id}/match",
    "/api/v1/operator/invoices/{id}/pdf",
    "/api/v1/operator/acts/{id}/pdf",
    "/api/v1/operator/acts/{id}/objection",
    "/api/v1/operator/act-copies/{id}/done",
    "/api/v1/embed-hosts/{host}",
];

/// School B's state as its owner sees it, to check that nothing changed.
async fn snapshot(app: &TestApp, b: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/staff",
        "/api/v1/tokens",
        "/api/v1/invoices",
        "/api/v1/acts",
        "/api/v1/courses",
        "/api/v1/trash",
        "/api/v1/license",
        "/api/v1/media",
        "/api/v1/students",
        "/api/v1/groups",
    ] {
        out.push(app.call("GET", path, b, None).await.json());
    }
    out
}

#[tokio::test]
async fn school_a_never_reaches_school_bs_objects() {
    let app = TestApp::start().await;
    let a = app
        .school(
            "alma-school",
            "123456789013",
            "owner@alma.kz",
            "+77011234567",
        )
        .await;
    // School A works all along (a lapsed school's owner reaches only billing, SPEC 3.0).
    app.buy_licence(&a, 3).await;
    let b = app
        .school(
            "beta-school",
            "900101300007",
            "owner@beta.kz",
            "+77019876543",
        )
        .await;

    // School B's objects, one per tenant-scoped route.
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    app.allow_api_write(&b).await;
    let token = app
        .call(
            "POST",
            "/api/v1/tokens",
            &b,
            Some(json!({ "name": "b", "scope": "read_write" })),
        )
        .await
        .json();
    ids.insert(
        "/api/v1/tokens/{id}",
        token["id"].as_str().unwrap().to_owned(),
    );
    let member = app
        .call(
            "POST",
            "/api/v1/staff",
            &b,
            Some(json!({ "email": "t@beta.kz", "full_name": "T", "role": "teacher" })),
        )
        .await
        .json();
    ids.insert(
        "/api/v1/staff/{id}",
        member["id"].as_str().unwrap().to_owned(),
    );

    let invoice = app.buy_licence(&b, 1).await;
    for path in ["/api/v1/invoices/{id}", "/api/v1/invoices/{id}/pdf"] {
        ids.insert(path, invoice["id"].as_str().unwrap().to_owned());
    }
    // School B's first act: drawn up at 01:00 on the 1st of the next month.
    let first = educenter_domain::clock::local_date(app.now().await)
        .first_of_month()
        .saturating_add(jiff::Span::new().months(1));
    app.set_clock(&format!("{first}T02:00:00+05:00")).await;
    let a = app
        .token_for(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            Some("alma-school"),
        )
        .await;
    let b = app
        .token_for(
            "owner@beta.kz",
            crate::harness::OWNER_PASSWORD,
            Some("beta-school"),
        )
        .await;
    let acts = app.call("GET", "/api/v1/acts", &b, None).await.items();
    let act = acts[0]["id"].as_str().expect("school B's act").to_owned();
    // School B's content: a course with a module and a lesson, and a lesson in its trash.
    let course = app
        .call("POST", "/api/v1/courses", &b, Some(json!({ "title": "B" })))
        .await
        .json();
    let course_id = course["id"].as_str().unwrap().to_owned();
    let module = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course_id}/modules"),
            &b,
            Some(json!({ "title": "M" })),
        )
        .await
        .json();
    let lesson = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course_id}/lessons"),
            &b,
            Some(json!({ "module_id": module["id"], "title": "L" })),
        )
        .await
        .json();
    let trashed = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course_id}/lessons"),
            &b,
            Some(json!({ "module_id": module["id"], "title": "T" })),
        )
        .await
        .json();
    let trashed_id = trashed["id"].as_str().unwrap().to_owned();
    app.call("DELETE", &format!("/api/v1/lessons/{trashed_id}"), &b, None)
        .await;
    for path in [
        "/api/v1/courses/{id}",
        "/api/v1/courses/{id}/modules",
        "/api/v1/courses/{id}/lessons",
    ] {
        ids.insert(path, course_id.clone());
    }
    ids.insert(
        "/api/v1/modules/{id}",
        module["id"].as_str().unwrap().to_owned(),
    );
    ids.insert(
        "/api/v1/lessons/{id}",
        lesson["id"].as_str().unwrap().to_owned(),
    );
    ids.insert("/api/v1/trash/{id}/restore", trashed_id);
    // School B's file, a student who signed up on its site, and the student's enrolment.
    let media =
        crate::learning::upload(&app, &b, "b.txt", b"school B's notes".to_vec(), None).await;
    ids.insert(
        "/api/v1/media/{id}",
        media["id"].as_str().unwrap().to_owned(),
    );
    let student = crate::learning::student_signs_up(&app, "beta-school", "pupil@beta.kz").await;
    let enrolment = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course_id}/enrolments"),
            &b,
            Some(json!({ "user_id": student })),
        )
        .await;
    assert_eq!(enrolment.status, 201, "{}", enrolment.text);
    ids.insert(
        "/api/v1/enrolments/{id}",
        enrolment.json()["id"].as_str().unwrap().to_owned(),
    );
    for path in [
        "/api/v1/courses/{id}/enrolments",
        "/api/v1/courses/{id}/progress",
        "/api/v1/courses/{id}/group-enrolments",
        "/api/v1/courses/{id}/teachers",
    ] {
        ids.insert(path, course_id.clone());
    }
    ids.insert("/api/v1/students/{id}", student.clone());
    ids.insert("/api/v1/students/{id}/invitation", student.clone());
    let group = app
        .call("POST", "/api/v1/groups", &b, Some(json!({ "name": "B-1" })))
        .await
        .json();
    for path in [
        "/api/v1/groups/{id}/members",
        "/api/v1/groups/{id}/progress",
    ] {
        ids.insert(path, group["id"].as_str().unwrap().to_owned());
    }
    for path in [
        "/api/v1/acts/{id}",
        "/api/v1/acts/{id}/pdf",
        "/api/v1/acts/{id}/objection",
        "/api/v1/acts/{id}/copy-request",
    ] {
        ids.insert(path, act.clone());
    }

    let bodies: BTreeMap<&str, Value> = BTreeMap::from([
        ("/api/v1/staff/{id}", json!({ "role": "administrator" })),
        (
            "/api/v1/acts/{id}/objection",
            json!({ "reason": "not mine" }),
        ),
        ("/api/v1/acts/{id}/copy-request", json!({ "kind": "paper" })),
        ("/api/v1/courses/{id}", json!({ "title": "A's now" })),
        (
            "/api/v1/courses/{id}/modules",
            json!({ "title": "A's module" }),
        ),
        (
            "/api/v1/courses/{id}/lessons",
            json!({ "module_id": "x", "title": "A's" }),
        ),
        ("/api/v1/modules/{id}", json!({ "title": "A's now" })),
        ("/api/v1/lessons/{id}", json!({ "title": "A's now" })),
        ("/api/v1/trash/{id}/restore", json!({ "kind": "lesson" })),
        ("/api/v1/courses/{id}/teachers", json!({ "user_ids": [] })),
        (
            "/api/v1/courses/{id}/enrolments",
            json!({ "user_id": "nobody" }),
        ),
        (
            "/api/v1/courses/{id}/group-enrolments",
            json!({ "group_id": "nobody" }),
        ),
        (
            "/api/v1/groups/{id}/members",
            json!({ "user_id": "nobody" }),
        ),
    ]);

    let b_tenant = app.call("GET", "/api/v1/me", &b, None).await.json()["tenant"]["id"]
        .as_str()
        .expect("school B's id")
        .to_owned();
    let before = snapshot(&app, &b).await;
    let doc = app.get("/api/openapi.json").await.json();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.contains('{') || NOT_TENANT_OWNED.contains(&path.as_str()) {
            continue;
        }
        if OPERATOR_ONLY.contains(&path.as_str()) {
            let own = app.call("GET", "/api/v1/me", &a, None).await.json();
            let tenants = [own["tenant"]["id"].as_str(), Some(b_tenant.as_str())];
            for id in tenants.into_iter().flatten() {
                let param = &path[path.find('{').unwrap()..=path.find('}').unwrap()];
                let url = path.replace(param, id);
                for method in ["get", "post", "put", "patch", "delete"] {
                    if item.get(method).is_none() {
                        continue;
                    }
                    let res = app
                        .call(&method.to_uppercase(), &url, &a, Some(json!({})))
                        .await;
                    assert_eq!(
                        res.status, 403,
                        "{method} {url} with a school's token: {}",
                        res.text
                    );
                }
            }
            checked += 1;
            continue;
        }
        let Some(id) = ids.get(path.as_str()) else {
            panic!("{path} takes an id but has no tenant-isolation case: add one here");
        };
        let param = path
            .find('{')
            .map(|i| &path[i..=path[i..].find('}').unwrap() + i])
            .unwrap();
        let url = path.replace(param, id);
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            let res = app
                .call(
                    &method.to_uppercase(),
                    &url,
                    &a,
                    bodies.get(path.as_str()).cloned(),
                )
                .await;
            assert_eq!(
                res.status, 404,
                "{method} {path} with another school's id: {}",
                res.text
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} operations were checked");
    assert_eq!(snapshot(&app, &b).await, before, "school B changed");
    app.stop().await;
}
