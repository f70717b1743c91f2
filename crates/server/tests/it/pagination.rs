//! Lists answer pages: `{"items": [...], "next": cursor-or-null}` with `?limit=` (50 by
//! default, at most 200) and `?after=` (the `next` of the page before). A walk along `next`
//! gives every item once and in order, and never another school's.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{ADMIN_PASSWORD, TestApp, error_fields},
};

/// Lets trials run under a plan of many courses, so one school can hold more than a page.
async fn roomy_trials(app: &TestApp) {
    app.create_plan(json!({
        "code": "roomy",
        "name": { "ru": "Простор", "kk": "Кең", "en": "Roomy" },
        "limits": { "students": 1000, "staff": 50, "storage_bytes": 10_000_000_000i64, "courses": 1000 },
        "prices": [{ "currency": "KZT", "months": 1, "amount_minor": 5_000_000, "effective_from": "2024-01-01" }],
    }))
    .await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let res = app
        .call(
            "PUT",
            "/api/v1/operator/trial-plan",
            &admin,
            Some(json!({ "plan": "roomy" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

async fn create_courses(app: &TestApp, token: &str, prefix: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let res = app
            .call(
                "POST",
                "/api/v1/courses",
                token,
                Some(json!({ "title": format!("{prefix} {i:03}") })),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        ids.push(res.json()["id"].as_str().expect("id").to_owned());
    }
    ids
}

/// Walks a list from its first page along `next`; returns every item's id in the order the
/// pages gave them, and how many pages there were.
async fn walk(app: &TestApp, token: &str, path: &str, limit: u32) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut url = format!("{path}?limit={limit}");
        if let Some(a) = &after {
            url.push_str(&format!("&after={a}"));
        }
        let res = app.call("GET", &url, token, None).await;
        assert_eq!(res.status, 200, "{url}: {}", res.text);
        let page = res.json();
        let items = page["items"].as_array().expect("items");
        assert!(
            items.len() <= limit as usize,
            "{url}: {} items",
            items.len()
        );
        ids.extend(
            items
                .iter()
                .map(|c| c["id"].as_str().expect("id").to_owned()),
        );
        pages += 1;
        assert!(pages < 1000, "the walk does not end");
        match &page["next"] {
            Value::Null => break,
            Value::String(next) => {
                assert!(!items.is_empty(), "{url}: an empty page with a next cursor");
                after = Some(next.clone());
            }
            other => panic!("{url}: next is {other}"),
        }
    }
    (ids, pages)
}

#[tokio::test]
async fn a_walk_along_next_gives_every_course_once_in_order_and_only_the_schools_own() {
    let app = TestApp::start().await;
    roomy_trials(&app).await;
    let a = given::alma(&app).await.owner_token;
    let b = given::beta(&app).await.owner_token;
    let b_ids = create_courses(&app, &b, "Beta", 3).await;
    let a_ids = create_courses(&app, &a, "Alma", 120).await;

    // 120 courses in pages of 7: 18 pages, each course once, oldest first.
    let (walked, pages) = walk(&app, &a, "/api/v1/courses", 7).await;
    assert_eq!(pages, 18);
    assert_eq!(walked, a_ids);
    assert!(walked.iter().all(|id| !b_ids.contains(id)));

    // Without a limit a page holds 50: 120 courses never come back in one answer.
    let first = app.call("GET", "/api/v1/courses", &a, None).await.json();
    assert_eq!(first["items"].as_array().expect("items").len(), 50);
    assert!(first["next"].is_string(), "{first}");
    let (walked, pages) = walk(&app, &a, "/api/v1/courses", 200).await;
    assert_eq!((walked.len(), pages), (120, 1));

    // Another school's walk from A's cursor still gives only its own courses.
    let cursor = first["next"].as_str().expect("next");
    let res = app
        .call("GET", &format!("/api/v1/courses?after={cursor}"), &b, None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    for c in res.json()["items"].as_array().expect("items") {
        assert!(b_ids.contains(&c["id"].as_str().unwrap().to_owned()), "{c}");
    }
    let (walked, _) = walk(&app, &b, "/api/v1/courses", 2).await;
    assert_eq!(walked, b_ids);

    // A course created between two pages shows at the end, and none repeats.
    let res = app
        .call("GET", "/api/v1/courses?limit=100", &a, None)
        .await
        .json();
    let cursor = res["next"].as_str().expect("next").to_owned();
    let late = create_courses(&app, &a, "Late", 1).await;
    let rest = app
        .call("GET", &format!("/api/v1/courses?after={cursor}"), &a, None)
        .await
        .items();
    let rest: Vec<&str> = rest
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let mut expected: Vec<&str> = a_ids[100..].iter().map(String::as_str).collect();
    expected.push(&late[0]);
    assert_eq!(rest, expected);
    app.stop().await;
}

#[tokio::test]
async fn bad_limits_and_cursors_are_422_problems() {
    let app = TestApp::start().await;
    let a = given::alma(&app).await.owner_token;
    create_courses(&app, &a, "Alma", 3).await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=-1", "limit"),
        ("limit=ten", "limit"),
        ("after=not-a-cursor", "after"),
        // Base64 of something that is not a cursor of this list.
        ("after=WyJpbnZvaWNlcyIsMSwiMiJd", "after"),
        ("after=WyJjb3Vyc2VzIiwidGV4dCIsMV0", "after"),
        // ["courses",1,"\u0000"]: the right shape with a NUL, which PostgreSQL refuses in text.
        ("after=WyJjb3Vyc2VzIiwxLCJcdTAwMDAiXQ", "after"),
    ] {
        let res = app
            .call("GET", &format!("/api/v1/courses?{query}"), &a, None)
            .await;
        let problem = res.problem(422);
        assert_eq!(error_fields(&problem), vec![field], "{query}: {problem}");
    }
    // A cursor handed out by another list is refused by this one.
    let tokens = app.call("GET", "/api/v1/tokens?limit=1", &a, None).await;
    assert_eq!(tokens.status, 200, "{}", tokens.text);
    let page = app
        .call("GET", "/api/v1/courses?limit=1", &a, None)
        .await
        .json();
    let cursor = page["next"].as_str().expect("next");
    let res = app
        .call(
            "GET",
            &format!("/api/v1/embed-hosts?after={cursor}"),
            &a,
            None,
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), vec!["after"]);
    app.stop().await;
}

/// Every list of the document answers a page and takes `limit`: called with `limit=1` by
/// someone who may read it, it answers at most one item and a `next`.
#[tokio::test]
async fn every_list_of_the_document_answers_pages() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).licence(1).await.owner_token;
    let course = given::course(&app, &owner, "Курс").create().await.id;
    let (_, quiz) = crate::quizzes::quiz_lesson(&app, &owner).await;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let billing = app
        .token_for("cashier@educenter.test", "Numbers-2027!", None)
        .await;
    let compliance = given::operator_token(
        &app,
        "dana.compliance@educenter.test",
        educenter_domain::roles::OperatorRole::Compliance,
        "Records-2027!",
    )
    .await;
    let infrastructure = given::operator_token(
        &app,
        "infra@educenter.test",
        educenter_domain::roles::OperatorRole::Infrastructure,
        "Servers-2027!",
    )
    .await;
    let doc = app.get("/api/openapi.json").await.json();
    let mut checked = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        // The test-mode tools (the clock, captured mail) are not the product's API.
        let Some(op) = item
            .get("get")
            .filter(|_| !path.starts_with("/api/v1/test/"))
        else {
            continue;
        };
        let pages = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "limit"));
        let schema = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .unwrap_or("");
        assert_eq!(
            pages,
            schema.ends_with("Page"),
            "{path}: a list takes `limit` and answers a page ({schema})"
        );
        if !pages {
            // No list answers a bare array any more.
            assert_ne!(
                op["responses"]["200"]["content"]["application/json"]["schema"]["type"], "array",
                "{path} answers an array"
            );
            continue;
        }
        let token = if path.contains("/receipts") || path.contains("/promotions") {
            &billing
        } else if path.contains("/disclosures")
            || path.contains("/cases")
            || path.contains("/operator/force-majeure")
        {
            &compliance
        } else if path.contains("/incidents") {
            &infrastructure
        } else if path.starts_with("/api/v1/operator/") {
            &admin
        } else {
            &owner
        };
        let id = if path.starts_with("/api/v1/quizzes/") {
            &quiz
        } else {
            &course
        };
        let url = format!("{}?limit=1", path.replace("{id}", id));
        let res = app.call("GET", &url, token, None).await;
        assert_eq!(res.status, 200, "{url}: {}", res.text);
        let page = res.json();
        assert!(
            page["items"].as_array().is_some_and(|i| i.len() <= 1),
            "{url}: {page}"
        );
        assert!(
            page["next"].is_null() || page["next"].is_string(),
            "{url}: {page}"
        );
        checked.push(path.clone());
    }
    assert!(checked.len() >= 18, "{checked:?}");
    app.stop().await;
}
