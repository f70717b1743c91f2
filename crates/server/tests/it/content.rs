//! A school's content through the API (issue 6, first part): courses, modules and lessons in
//! order, the trash, who may edit, and the plan's course limit.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{TestApp, error_fields},
};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app.call("POST", path, token, Some(body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text);
    res.json()
}

fn titles(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn staff_build_a_course_of_modules_and_lessons_in_order_with_a_trash() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();

    // Bad input is refused field by field and creates nothing.
    let bad = app
        .call(
            "POST",
            "/api/v1/courses",
            &owner,
            Some(json!({ "title": " ", "status": "live" })),
        )
        .await;
    let mut fields = error_fields(&bad.problem(422));
    fields.sort();
    assert_eq!(fields, ["status", "title"]);
    assert_eq!(
        app.call("GET", "/api/v1/courses", &owner, None)
            .await
            .items(),
        json!([])
    );

    let course = post(
        &app,
        &owner,
        "/api/v1/courses",
        json!({ "title": "Английский для начинающих", "description": "Курс A1" }),
    )
    .await;
    assert_eq!(course["status"], "draft");
    let id = course["id"].as_str().unwrap();
    let m1 = post(
        &app,
        &owner,
        &format!("/api/v1/courses/{id}/modules"),
        json!({ "title": "Алфавит" }),
    )
    .await;
    let m2 = post(
        &app,
        &owner,
        &format!("/api/v1/courses/{id}/modules"),
        json!({ "title": "Глаголы" }),
    )
    .await;
    assert_eq!(
        (m1["position"].as_i64(), m2["position"].as_i64()),
        (Some(1), Some(2))
    );
    let lessons = format!("/api/v1/courses/{id}/lessons");
    let a = post(
        &app,
        &owner,
        &lessons,
        json!({ "module_id": m1["id"], "title": "Буквы", "body": "# A, B, C" }),
    )
    .await;
    let b = post(
        &app,
        &owner,
        &lessons,
        json!({ "module_id": m1["id"], "title": "Видео о буквах", "kind": "embed",
                "embed_url": "https://www.youtube.com/embed/abc123" }),
    )
    .await;
    post(
        &app,
        &owner,
        &lessons,
        json!({ "module_id": m2["id"], "title": "To be", "body": "I am", "available_after_days": 7 }),
    )
    .await;
    // An embed from elsewhere, a media kind without an upload, a module of another course.
    let other = post(
        &app,
        &owner,
        "/api/v1/courses",
        json!({ "title": "Другой" }),
    )
    .await;
    let om = post(
        &app,
        &owner,
        &format!("/api/v1/courses/{}/modules", other["id"].as_str().unwrap()),
        json!({ "title": "M" }),
    )
    .await;
    for (body, field) in [
        (
            json!({ "module_id": m1["id"], "title": "x", "kind": "embed", "embed_url": "http://evil.example/x" }),
            "embed_url",
        ),
        // A video lesson needs an uploaded video file.
        (
            json!({ "module_id": m1["id"], "title": "x", "kind": "video" }),
            "media_id",
        ),
        (
            json!({ "module_id": m1["id"], "title": "x", "kind": "scorm" }),
            "kind",
        ),
        (json!({ "module_id": om["id"], "title": "x" }), "module_id"),
    ] {
        let res = app.call("POST", &lessons, &owner, Some(body)).await;
        assert_eq!(error_fields(&res.problem(422)), [field]);
    }
    assert_eq!(
        titles(&app.call("GET", &lessons, &owner, None).await.items()),
        ["Буквы", "Видео о буквах", "To be"]
    );

    // Reorder: the video first; the verbs module before the alphabet.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{}", b["id"].as_str().unwrap()),
            &owner,
            Some(json!({ "position": 1 })),
        )
        .await;
    assert_eq!(res.json()["position"], 1);
    app.call(
        "PATCH",
        &format!("/api/v1/modules/{}", m2["id"].as_str().unwrap()),
        &owner,
        Some(json!({ "position": 1, "title": "Глаголы и время" })),
    )
    .await;
    assert_eq!(
        titles(&app.call("GET", &lessons, &owner, None).await.items()),
        ["To be", "Видео о буквах", "Буквы"]
    );
    let full = app
        .call("GET", &format!("/api/v1/courses/{id}"), &owner, None)
        .await
        .json();
    assert_eq!(titles(&full["modules"]), ["Глаголы и время", "Алфавит"]);
    assert_eq!(full["modules"][0]["lessons"][0]["available_after_days"], 7);

    // The trash: a deleted lesson leaves the course and comes back.
    let a_url = format!("/api/v1/lessons/{}", a["id"].as_str().unwrap());
    assert_eq!(app.call("DELETE", &a_url, &owner, None).await.status, 204);
    assert_eq!(app.call("GET", &a_url, &owner, None).await.status, 404);
    let trash = app.call("GET", "/api/v1/trash", &owner, None).await.items();
    assert_eq!(trash[0]["kind"], "lesson");
    let restore = format!("/api/v1/trash/{}/restore", a["id"].as_str().unwrap());
    let wrong = app
        .call("POST", &restore, &owner, Some(json!({ "kind": "course" })))
        .await;
    wrong.problem(404);
    assert_eq!(
        app.call("POST", &restore, &owner, Some(json!({ "kind": "lesson" })))
            .await
            .status,
        204
    );
    assert_eq!(app.call("GET", &a_url, &owner, None).await.status, 200);
    // A deleted course takes its lessons with it.
    let course_url = format!("/api/v1/courses/{id}");
    assert_eq!(
        app.call("DELETE", &course_url, &owner, None).await.status,
        204
    );
    assert_eq!(app.call("GET", &course_url, &owner, None).await.status, 404);
    assert_eq!(app.call("GET", &a_url, &owner, None).await.status, 404);
    assert_eq!(
        titles(
            &app.call("GET", "/api/v1/courses", &owner, None)
                .await
                .items()
        ),
        ["Другой"]
    );
    // After 30 days it cannot be restored (the school paid, so its owner still works then).
    app.buy_licence(&owner, 3).await;
    app.advance(31, 0, 0).await;
    let owner = alma.sign_in(&app).await;
    let late = app
        .call(
            "POST",
            &format!("/api/v1/trash/{id}/restore"),
            &owner,
            Some(json!({ "kind": "course" })),
        )
        .await;
    late.problem(404);
    app.stop().await;
}

#[tokio::test]
async fn teachers_edit_accountants_and_read_only_tokens_do_not_and_the_plan_limits_courses() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let teacher = given::staff(&app, &alma, "asel@alma.kz", "teacher")
        .await
        .token;
    let accountant = given::staff(&app, &alma, "buh@alma.kz", "accountant")
        .await
        .token;
    post(
        &app,
        &teacher,
        "/api/v1/courses",
        json!({ "title": "Курс учителя" }),
    )
    .await;
    let refused = app
        .call(
            "POST",
            "/api/v1/courses",
            &accountant,
            Some(json!({ "title": "x" })),
        )
        .await;
    refused.problem(403);
    let read_only = given::api_token(&app, &owner, "site", "read").await.secret;
    assert_eq!(
        app.call("GET", "/api/v1/courses", &read_only, None)
            .await
            .items()[0]["title"],
        "Курс учителя"
    );
    app.call(
        "POST",
        "/api/v1/courses",
        &read_only,
        Some(json!({ "title": "x" })),
    )
    .await
    .problem(403);

    // A plan of 2 courses, paid: the second fits, the third is refused naming the limit, and
    // the usage shows in the licence.
    given::plan()
        .storage_bytes(1_000_000_000)
        .courses(2)
        .create(&app)
        .await;
    app.buy_licence(&owner, 1).await;
    let second = post(
        &app,
        &owner,
        "/api/v1/courses",
        json!({ "title": "Второй" }),
    )
    .await;
    let third = app
        .call(
            "POST",
            "/api/v1/courses",
            &owner,
            Some(json!({ "title": "Третий" })),
        )
        .await;
    let problem = third.problem(403);
    assert!(
        problem["detail"].as_str().unwrap().contains("2 courses"),
        "{problem}"
    );
    let licence = app
        .call("GET", "/api/v1/license", &owner, None)
        .await
        .json();
    assert_eq!(licence["usage"]["courses"], 2);
    // Deleting one frees its place; restoring it past the limit is refused.
    let second_id = second["id"].as_str().unwrap();
    app.call(
        "DELETE",
        &format!("/api/v1/courses/{second_id}"),
        &owner,
        None,
    )
    .await;
    post(
        &app,
        &owner,
        "/api/v1/courses",
        json!({ "title": "Третий" }),
    )
    .await;
    app.call(
        "POST",
        &format!("/api/v1/trash/{second_id}/restore"),
        &owner,
        Some(json!({ "kind": "course" })),
    )
    .await
    .problem(403);
    app.stop().await;
}
