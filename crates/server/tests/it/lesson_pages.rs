//! The lesson page and the lesson list (issue 6, third part): a change of a lesson shows at
//! once though course contents are cached, and the page and the list read in one query keep
//! every rule of who may read them.

use serde_json::json;

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp},
    learning::STUDENT_PASSWORD,
};

#[tokio::test]
async fn a_change_of_a_lesson_shows_at_once_though_course_contents_are_cached() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let algebra = given::course(&app, &owner, "Алгебра")
        .published()
        .self_enrol()
        .module("Уравнения")
        .text_lesson("Первый", "Старый **текст**")
        .text_lesson("Второй", "Ещё")
        .create()
        .await;
    let (course, modules, lessons) = (algebra.id, algebra.modules, algebra.lessons);
    let (module, first, second) = (&modules[0], &lessons[0], &lessons[1]);
    let s = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let lesson_path = format!("/s/alma-school/lessons/{first}");
    // Read twice: the second answer comes from the cached content.
    let course_page = s.get(&format!("/s/alma-school/courses/{course}")).await;
    assert!(course_page.text.contains("Уравнения"));
    for _ in 0..2 {
        let page = s.get(&lesson_path).await;
        assert!(
            page.text.contains("Старый <strong>текст</strong>"),
            "{}",
            page.text
        );
        assert!(page.text.contains("Второй"));
    }
    let api = app
        .call(
            "GET",
            &format!("/api/v1/courses/{course}/lessons"),
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(api.as_array().unwrap().len(), 2);
    // Another instance on the same database changes the text, the module's title and the
    // lessons: this instance, holding the course in its cache, shows the change at once.
    let other = TestApp::builder().db(&app.db).start().await;
    other
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{first}"),
            &owner,
            Some(json!({ "title": "Обновлённый", "body": "Новый *текст*" })),
        )
        .await;
    other
        .call(
            "PATCH",
            &format!("/api/v1/modules/{module}"),
            &owner,
            Some(json!({ "title": "Неравенства" })),
        )
        .await;
    other
        .call("DELETE", &format!("/api/v1/lessons/{second}"), &owner, None)
        .await;
    let page = s.get(&lesson_path).await;
    assert!(page.text.contains("Новый <em>текст</em>"), "{}", page.text);
    assert!(page.text.contains("Обновлённый"));
    assert!(!page.text.contains("Второй"), "no next lesson any more");
    let course_page = s.get(&format!("/s/alma-school/courses/{course}")).await;
    assert!(course_page.text.contains("Неравенства") && !course_page.text.contains("Уравнения"));
    assert_eq!(
        s.get(&format!("/s/alma-school/lessons/{second}"))
            .await
            .status,
        404
    );
    let api = app
        .call(
            "GET",
            &format!("/api/v1/courses/{course}/lessons"),
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(api.as_array().unwrap().len(), 1);
    assert_eq!(api[0]["title"], "Обновлённый");
    other.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn the_one_query_lesson_page_and_lesson_list_keep_every_rule() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let other_owner = given::beta(&app).phone("+77017654321").await.owner_token;
    let algebra = given::course(&app, &owner, "Алгебра")
        .published()
        .self_enrol()
        .module("Уравнения")
        .text_lesson("Первый", "Текст **урока**")
        .create()
        .await;
    let (course, lesson) = (algebra.id, &algebra.lessons[0]);
    let s = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;

    // The page: the student at her school's address reads it; at another school's address
    // she is nobody there, and her school's lesson is not reachable through it.
    let page = s.get(&format!("/s/alma-school/lessons/{lesson}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Текст <strong>урока</strong>"));
    let elsewhere = s.get(&format!("/s/beta-school/lessons/{lesson}")).await;
    assert_eq!(elsewhere.status, 303);
    assert!(
        elsewhere
            .header("location")
            .starts_with("/s/beta-school/login"),
        "{}",
        elsewhere.header("location")
    );
    // A lesson id her school does not have, and a staff member on the school's site.
    assert_eq!(
        s.get("/s/alma-school/lessons/no-such-lesson").await.status,
        404
    );
    let staff = app.browser();
    staff
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let res = staff.get(&format!("/s/alma-school/lessons/{lesson}")).await;
    assert_eq!((res.status, res.header("location")), (303, "/cabinet"));
    // Signed out, the same cookie opens nothing.
    s.post_form("/s/alma-school/logout", &[]).await;
    let res = s.get(&format!("/s/alma-school/lessons/{lesson}")).await;
    assert_eq!(res.status, 303);
    assert!(res.header("location").starts_with("/s/alma-school/login"));

    // The lesson list: a session's token (one query) and an API token answer the same bytes.
    let path = format!("/api/v1/courses/{course}/lessons");
    let by_session = app.call("GET", &path, &owner, None).await;
    assert_eq!(by_session.status, 200, "{}", by_session.text);
    assert_eq!(by_session.header("content-type"), "application/json");
    assert_eq!(by_session.items()[0]["body"], "Текст **урока**");
    let api_token = given::api_token(&app, &owner, "lms", "read").await.secret;
    let by_token = app.call("GET", &path, &api_token, None).await;
    assert_eq!(
        (by_token.status, by_token.text.as_str()),
        (200, by_session.text.as_str())
    );
    // Another school's owner, a teacher not assigned, a student, a wrong token, no token.
    app.call("GET", &path, &other_owner, None)
        .await
        .problem(404);
    let given::Staff {
        id: asel,
        token: teacher,
    } = given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    app.call("GET", &path, &teacher, None).await.problem(404);
    app.call(
        "PUT",
        &format!("/api/v1/courses/{course}/teachers"),
        &owner,
        Some(json!({ "user_ids": [asel] })),
    )
    .await;
    let res = app.call("GET", &path, &teacher, None).await;
    assert_eq!(
        (res.status, res.text.as_str()),
        (200, by_session.text.as_str())
    );
    let student = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    app.call("GET", &path, &student, None).await.problem(403);
    app.call("GET", &path, "not-a-token", None)
        .await
        .problem(401);
    assert_eq!(app.get(&path).await.status, 401);
    // A change of the course is in the next answer; a course in the trash answers 404.
    app.call(
        "PATCH",
        &format!("/api/v1/lessons/{lesson}"),
        &owner,
        Some(json!({ "body": "Новый текст" })),
    )
    .await;
    let res = app.call("GET", &path, &owner, None).await;
    assert_eq!(res.items()[0]["body"], "Новый текст");
    app.call("DELETE", &format!("/api/v1/courses/{course}"), &owner, None)
        .await;
    app.call("GET", &path, &owner, None).await.problem(404);
    app.stop().await;
}
