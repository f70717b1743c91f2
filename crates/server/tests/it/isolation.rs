//! Tenant isolation, generated from the OpenAPI document: every documented route with
//! an object id in its path is called with school A's credentials and school B's id, and must
//! answer 404 and change nothing. A new such route without a case here fails the test.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{given, harness::TestApp};

/// Routes with a path parameter that name no tenant-owned object.
const NOT_TENANT_OWNED: &[&str] = &[
    "/api/v1/operator/calendar/{year}",
    // A payment provider's callback: authenticated by its signature, not by a school.
    "/api/v1/payments/callback/{provider}",
    // The public check of a certificate's code: anyone reads it, by design.
    "/api/v1/verify/{code}",
];

/// The operator's routes over tenants: a school's credentials are refused (403) whatever the
/// id, and only operator staff reach them.
const OPERATOR_ONLY: &[&str] = &[
    "/api/v1/operator/disclosures/{id}",
    "/api/v1/operator/disclosures/{id}/approve",
    "/api/v1/operator/disclosures/{id}/package",
    "/api/v1/operator/incidents/{id}/close",
    "/api/v1/operator/cases/{id}",
    "/api/v1/operator/cases/{id}/content",
    "/api/v1/operator/cases/{id}/close",
    "/api/v1/operator/force-majeure/{id}",
    "/api/v1/operator/force-majeure/{id}/request-evidence",
    "/api/v1/operator/force-majeure/{id}/files/{file}",
    "/api/v1/operator/staff/{id}/mfa-reset",
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
        "/api/v1/questions",
        "/api/v1/submissions?state=all",
    ] {
        out.push(app.call("GET", path, b, None).await.json());
    }
    out
}

#[tokio::test]
async fn school_a_never_reaches_school_bs_objects() {
    let app = TestApp::start().await;
    // School A works all along (a lapsed school's owner reaches only billing, SPEC 3.0).
    let alma = given::alma(&app).licence(3).await;
    let beta = given::beta(&app).await;
    let b = beta.owner_token.clone();

    // School B's objects, one per tenant-scoped route.
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    app.allow_api_write(&b).await;
    let token = given::api_token(&app, &b, "b", "read_write").await;
    ids.insert("/api/v1/tokens/{id}", token.id.clone());
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
    ids.insert(
        "/api/v1/staff/{id}/mfa-reset",
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
    let a = alma.sign_in(&app).await;
    let b = beta.sign_in(&app).await;
    let acts = app.call("GET", "/api/v1/acts", &b, None).await.items();
    let act = acts[0]["id"].as_str().expect("school B's act").to_owned();
    // School B's content: a course with a module and a lesson, and a lesson in its trash.
    let course = given::course(&app, &b, "B")
        .module("M")
        .lesson(json!({ "title": "L" }))
        .lesson(json!({ "title": "T" }))
        .create()
        .await;
    let (course_id, modules, lessons) = (course.id, course.modules, course.lessons);
    let trashed_id = lessons[1].clone();
    app.call("DELETE", &format!("/api/v1/lessons/{trashed_id}"), &b, None)
        .await;
    for path in [
        "/api/v1/courses/{id}",
        "/api/v1/courses/{id}/modules",
        "/api/v1/courses/{id}/lessons",
    ] {
        ids.insert(path, course_id.clone());
    }
    ids.insert("/api/v1/modules/{id}", modules[0].clone());
    ids.insert("/api/v1/lessons/{id}", lessons[0].clone());
    ids.insert("/api/v1/lessons/{id}/duplicate", lessons[0].clone());
    ids.insert("/api/v1/trash/{id}/restore", trashed_id);
    // School B's file, a student who signed up on its site, and the student's enrolment.
    let media =
        crate::learning::upload(&app, &b, "b.txt", b"school B's notes".to_vec(), None).await;
    ids.insert(
        "/api/v1/media/{id}",
        media["id"].as_str().unwrap().to_owned(),
    );
    // School B's question.
    let question = app
        .call(
            "POST",
            "/api/v1/questions",
            &b,
            Some(json!({ "type": "truefalse", "name": "B's", "text": "School B asks?", "correct": true })),
        )
        .await;
    assert_eq!(question.status, 201, "{}", question.text);
    ids.insert(
        "/api/v1/questions/{id}",
        question.json()["id"].as_str().unwrap().to_owned(),
    );
    // Its category (the bank's default).
    let categories = app
        .call("GET", "/api/v1/question-bank/categories", &b, None)
        .await
        .items();
    ids.insert(
        "/api/v1/question-bank/categories/{id}",
        categories[0]["id"].as_str().unwrap().to_owned(),
    );
    // School B's quiz and a student's attempt at it.
    let (quiz_course, quiz) = crate::quizzes::quiz_lesson(&app, &b).await;
    given::student(&app, &beta, "quiz@beta.kz")
        .enrolled_in(&quiz_course)
        .create()
        .await;
    let pupil = app
        .token_for(
            "quiz@beta.kz",
            crate::learning::STUDENT_PASSWORD,
            Some("beta-school"),
        )
        .await;
    let attempt = app
        .call(
            "POST",
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            &pupil,
            None,
        )
        .await;
    assert_eq!(attempt.status, 201, "{}", attempt.text);
    let attempt = attempt.json()["id"].as_str().unwrap().to_owned();
    for path in ["/api/v1/quizzes/{id}", "/api/v1/quizzes/{id}/attempts"] {
        ids.insert(path, quiz.clone());
    }
    for path in [
        "/api/v1/attempts/{id}",
        "/api/v1/attempts/{id}/answers",
        "/api/v1/attempts/{id}/submit",
        "/api/v1/attempts/{id}/grades",
    ] {
        ids.insert(path, attempt.clone());
    }
    // School B's assignment and a student's work on it.
    let (essay_course, essay, _) = crate::assignments::assignment_course(&app, &b).await;
    given::student(&app, &beta, "essay@beta.kz")
        .enrolled_in(&essay_course)
        .create()
        .await;
    let writer = app
        .token_for(
            "essay@beta.kz",
            crate::learning::STUDENT_PASSWORD,
            Some("beta-school"),
        )
        .await;
    let unsent = app
        .send(
            reqwest::Client::new()
                .post(app.url(&format!("/api/v1/assignments/{essay}/files")))
                .query(&[("filename", "b.txt")])
                .bearer_auth(&writer)
                .body(b"B's draft".to_vec()),
        )
        .await;
    assert_eq!(unsent.status, 201, "{}", unsent.text);
    ids.insert(
        "/api/v1/assignment-files/{id}",
        unsent.json()["id"].as_str().unwrap().to_owned(),
    );
    let work = app
        .call(
            "POST",
            &format!("/api/v1/assignments/{essay}/submission"),
            &writer,
            Some(json!({ "text": "B's essay" })),
        )
        .await;
    assert_eq!(work.status, 201, "{}", work.text);
    let work = work.json()["id"].as_str().unwrap().to_owned();
    for path in [
        "/api/v1/assignments/{id}/submission",
        "/api/v1/assignments/{id}/files",
    ] {
        ids.insert(path, essay.clone());
    }
    for path in [
        "/api/v1/submissions/{id}",
        "/api/v1/submissions/{id}/review",
        "/api/v1/submissions/{id}/comments",
    ] {
        ids.insert(path, work.clone());
    }
    // School B's certificate: a course that issues one, completed by a student.
    let diploma = given::course(&app, &b, "Диплом")
        .published()
        .self_enrol()
        .module("Один")
        .text_lesson("Единственный", "Урок")
        .create()
        .await;
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{}", diploma.id),
            &b,
            Some(json!({ "certificate": true })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let graduate = given::student(&app, &beta, "diploma@beta.kz")
        .enrolled_in(&diploma.id)
        .create()
        .await;
    let res = graduate
        .post_form(
            &format!("/s/beta-school/lessons/{}/complete", diploma.lessons[0]),
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let graduate = app
        .token_for(
            "diploma@beta.kz",
            crate::learning::STUDENT_PASSWORD,
            Some("beta-school"),
        )
        .await;
    let certificate = app
        .call("GET", "/api/v1/certificates", &graduate, None)
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        "/api/v1/certificates/{id}",
        "/api/v1/certificates/{id}/pdf",
        "/api/v1/certificates/{id}/revoke",
    ] {
        ids.insert(path, certificate.clone());
    }
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
        "/api/v1/courses/{id}/gradebook",
        "/api/v1/courses/{id}/copy",
        "/api/v1/courses/{id}/outline",
        "/api/v1/courses/{id}/group-enrolments",
        "/api/v1/courses/{id}/teachers",
    ] {
        ids.insert(path, course_id.clone());
    }
    ids.insert("/api/v1/students/{id}", student.clone());
    // School B's export.
    let export = app.call("POST", "/api/v1/exports", &b, None).await;
    assert_eq!(export.status, 202, "{}", export.text);
    ids.insert(
        "/api/v1/exports/{id}",
        export.json()["id"].as_str().unwrap().to_owned(),
    );
    // School B's owner's session: another person's, which A cannot end.
    let b_sessions = app
        .call("GET", "/api/v1/me/sessions", &b, None)
        .await
        .items();
    ids.insert(
        "/api/v1/me/sessions/{id}",
        b_sessions[0]["id"].as_str().unwrap().to_owned(),
    );
    ids.insert("/api/v1/students/{id}/invitation", student.clone());
    ids.insert("/api/v1/students/{id}/archive", student.clone());
    ids.insert("/api/v1/students/{id}/restore", student.clone());
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
    // School B's notice of force majeure.
    let notice = app
        .call(
            "POST",
            "/api/v1/force-majeure",
            &b,
            Some(json!({ "onset_on": educenter_domain::clock::local_date(app.now().await).to_string(),
                "description": "School B's flood, its own notice" })),
        )
        .await;
    assert_eq!(notice.status, 201, "{}", notice.text);
    let notice = notice.json()["id"].as_str().unwrap().to_owned();
    for path in [
        "/api/v1/force-majeure/{id}",
        "/api/v1/force-majeure/{id}/files",
        "/api/v1/force-majeure/{id}/files/{file}",
        "/api/v1/force-majeure/{id}/request-evidence",
    ] {
        ids.insert(path, notice.clone());
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
        (
            "/api/v1/submissions/{id}/review",
            json!({ "decision": "accept", "grade": 1 }),
        ),
        (
            "/api/v1/submissions/{id}/comments",
            json!({ "text": "A's" }),
        ),
        (
            "/api/v1/assignments/{id}/submission",
            json!({ "text": "A's" }),
        ),
        (
            "/api/v1/attempts/{id}/answers",
            json!({ "answers": [{ "slot": 1, "value": false }] }),
        ),
        (
            "/api/v1/attempts/{id}/grades",
            json!({ "grades": [{ "slot": 1, "fraction": 1 }] }),
        ),
        ("/api/v1/staff/{id}", json!({ "role": "administrator" })),
        (
            "/api/v1/questions/{id}",
            json!({ "type": "truefalse", "name": "A's", "text": "A's now?", "correct": false }),
        ),
        (
            "/api/v1/question-bank/categories/{id}",
            json!({ "name": "A's", "parent_id": null }),
        ),
        (
            "/api/v1/force-majeure/{id}/files",
            json!({ "media_id": "x" }),
        ),
        (
            "/api/v1/force-majeure/{id}/request-evidence",
            json!({ "note": "A's question" }),
        ),
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
        ("/api/v1/courses/{id}/outline", json!({ "modules": [] })),
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

    let b_tenant = app.tenant_of(&b).await;
    let before = snapshot(&app, &b).await;
    let attempt_url = format!("/api/v1/attempts/{attempt}");
    let attempt_before = app.call("GET", &attempt_url, &b, None).await.json();
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
    assert_eq!(
        app.call("GET", &attempt_url, &b, None).await.json(),
        attempt_before,
        "school B's attempt changed"
    );

    // The same through the pages, in school A's owner's browser.
    let objects: BTreeMap<&str, String> = [
        ("acts", act.clone()),
        ("invoices", invoice["id"].as_str().unwrap().to_owned()),
        ("courses", course_id.clone()),
        ("groups", group["id"].as_str().unwrap().to_owned()),
        ("lessons", lessons[0].clone()),
        ("modules", modules[0].clone()),
        ("staff", member["id"].as_str().unwrap().to_owned()),
        ("students", student.clone()),
        ("force-majeure", notice.clone()),
        ("tokens", token.id.clone()),
        ("trash", ids["/api/v1/trash/{id}/restore"].clone()),
        ("sessions", ids["/api/v1/me/sessions/{id}"].clone()),
        ("questions", ids["/api/v1/questions/{id}"].clone()),
        (
            "categories",
            ids["/api/v1/question-bank/categories/{id}"].clone(),
        ),
        ("attempts", ids["/api/v1/attempts/{id}"].clone()),
        ("submissions", ids["/api/v1/submissions/{id}"].clone()),
        ("certificates", ids["/api/v1/certificates/{id}"].clone()),
        ("files", ids["/api/v1/assignment-files/{id}"].clone()),
    ]
    .into_iter()
    .collect();
    pages_of_another_school(&app, &a, &objects).await;
    assert_eq!(snapshot(&app, &b).await, before, "school B changed");
    app.stop().await;
}

/// Page routes with a parameter that names no school's object (or one reached only by the
/// operator's staff: every `/operator/...` page, checked apart).
const PAGES_NOT_TENANT_OWNED: &[&str] = &[
    "/lang/{code}",
    "/offer/{version}",
    "/static/{name}",
    // The public check of a certificate's code: anyone reads it, by design.
    "/verify/{code}",
];

/// Every page route of `crates/web/src/pages` with a parameter, and its methods, read from the
/// source (`.route("/path", get(a).post(b))`): a new page with an id is checked without
/// anyone remembering to add it.
fn page_routes() -> Vec<(String, Vec<&'static str>)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let mut sources = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/pages"),
        &mut sources,
    );
    let mut routes = Vec::new();
    for source in &sources {
        for (at, _) in source.match_indices(".route(") {
            let rest = &source[at + ".route(".len()..];
            let Some(open) = rest.find('"') else { continue };
            let Some(len) = rest[open + 1..].find('"') else {
                continue;
            };
            let path = &rest[open + 1..open + 1 + len];
            if !path.contains('{') {
                continue;
            }
            // The handlers: up to the parenthesis that closes `.route(`.
            let mut depth = 1;
            let end = rest
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '(' => 1,
                        ')' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(rest.len(), |(i, _)| i);
            let handlers = &rest[open + 1 + len..end];
            let calls = |name: &str| {
                handlers.match_indices(name).any(|(i, _)| {
                    handlers[..i]
                        .chars()
                        .last()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
                })
            };
            let methods: Vec<&str> = [("get(", "GET"), ("post(", "POST")]
                .into_iter()
                .filter(|(call, _)| calls(call))
                .map(|(_, method)| method)
                .collect();
            assert!(!methods.is_empty(), "{path}: no method read");
            routes.push((path.to_owned(), methods));
        }
    }
    routes.sort();
    routes.dedup();
    routes
}

/// School A's owner, signed in in a browser, asks every page of the cabinet with an id for
/// school B's object, and a student of school A every page of school A's site: each answers
/// 404, and the forms change nothing. Every form posts all the fields of the cabinet's forms
/// at once (each takes the ones it knows), valid and naming school A's own course, module and
/// group, so that only the id in the address can refuse it. The back office's pages send them
/// to the cabinet whatever the parameter.
async fn pages_of_another_school(app: &TestApp, a: &str, objects: &BTreeMap<&str, String>) {
    // School A's own course, module and group, which the forms name.
    let course = app
        .call("POST", "/api/v1/courses", a, Some(json!({ "title": "A" })))
        .await
        .json();
    let course_id = course["id"].as_str().unwrap().to_owned();
    let module = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course_id}/modules"),
            a,
            Some(json!({ "title": "A's module" })),
        )
        .await
        .json();
    let module_id = module["id"].as_str().unwrap().to_owned();
    let group = app
        .call("POST", "/api/v1/groups", a, Some(json!({ "name": "A-1" })))
        .await
        .json();
    let group_id = group["id"].as_str().unwrap().to_owned();
    let form: Vec<(&str, &str)> = vec![
        ("course_title", "A's now"),
        ("module_title", "A's module"),
        ("lesson_module", &module_id),
        ("lesson_title", "A's lesson"),
        ("lesson_kind", "text"),
        ("lesson_body", "text"),
        ("course_id", &course_id),
        ("group_id", &group_id),
        ("role", "administrator"),
        ("kind", "paper"),
        ("reason", "not mine"),
        ("direction", "up"),
    ];

    let browser = app.browser();
    browser
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    // A student of school A, signed in on school A's site.
    crate::learning::student_signs_up(app, "alma-school", "pupil@alma.kz").await;
    let student = app.browser();
    let res = student
        .post_form(
            "/s/alma-school/login",
            &[
                ("email", "pupil@alma.kz"),
                ("password", crate::learning::STUDENT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let mut checked = 0;
    for (path, methods) in page_routes() {
        let operator = path.starts_with("/operator/");
        if PAGES_NOT_TENANT_OWNED.contains(&path.as_str()) {
            continue;
        }
        let id = if let Some(at) = path.find("{id}") {
            // The object's kind: the last word before the id (`/cabinet/trash/{kind}/{id}`:
            // trash).
            let kind = path[..at]
                .trim_end_matches('/')
                .rsplit('/')
                .find(|w| !w.starts_with('{'))
                .unwrap();
            match objects.get(kind) {
                Some(id) => id.clone(),
                None if operator => "any".to_owned(),
                None => panic!("{path} takes an id but has no tenant-isolation case: add one here"),
            }
        } else if operator || path.starts_with("/s/{slug}") {
            // The back office by its own parameters; school A's site by its own address.
            String::new()
        } else {
            panic!("{path} takes a parameter but has no tenant-isolation case: add one here")
        };
        if !operator && id.is_empty() {
            continue;
        }
        let url = path
            .replace("{id}", &id)
            .replace("{slug}", "alma-school")
            .replace("{kind}", "lesson")
            .replace("{queue}", "jobs")
            .replace("{year}", "2027")
            .replace("{host}", "example.com");
        let browser = if path.starts_with("/s/") {
            &student
        } else {
            &browser
        };
        for method in methods {
            let res = match method {
                "GET" => browser.get(&url).await,
                // The player's report of where the student is (a script's JSON).
                _ if path.ends_with("/progress") => {
                    let body = json!({ "position_ms": 1000, "duration_ms": 60000 });
                    browser.post_json(&url, &body).await
                }
                _ => browser.post_form(&url, &form).await,
            };
            if operator {
                assert!(
                    res.status == 303 && res.header("location").starts_with("/cabinet"),
                    "{method} {url} in a school's browser: {} {}",
                    res.status,
                    res.header("location")
                );
            } else {
                assert_eq!(
                    res.status, 404,
                    "{method} {path} with another school's id: {}",
                    res.text
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} page operations were checked");
}
