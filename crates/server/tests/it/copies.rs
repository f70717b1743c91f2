//! Issue 19, item 1: a lesson duplicated beside itself and a course copied as a new draft:
//! content, rules and quiz settings travel; students and their work do not.

use serde_json::{Value, json};

use crate::{given, harness::TestApp};

fn titles_and_kinds(course: &Value) -> Vec<(String, String, String)> {
    course["modules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| {
            m["lessons"].as_array().unwrap().iter().map(move |l| {
                (
                    m["title"].as_str().unwrap().to_owned(),
                    l["title"].as_str().unwrap().to_owned(),
                    l["kind"].as_str().unwrap().to_owned(),
                )
            })
        })
        .collect()
}

#[tokio::test]
async fn lessons_duplicate_beside_themselves_and_courses_copy_as_drafts_without_students() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let q = app
        .call(
            "POST",
            "/api/v1/questions",
            &owner,
            Some(json!({ "type": "truefalse", "name": "Q", "text": "Да?", "correct": true })),
        )
        .await;
    assert_eq!(q.status, 201, "{}", q.text);
    let course = given::course(&app, &owner, "Алгебра")
        .published()
        .self_enrol()
        .module("Дроби")
        .text_lesson("Числитель", "Верхнее число")
        .lesson(json!({ "title": "Тест", "kind": "quiz", "stop": true,
                        "quiz": { "questions": [q.json()["id"]], "attempts": 3, "pass_percent": 80 } }))
        .text_lesson("Знаменатель", "Нижнее число")
        .module("Уравнения")
        .lesson(json!({ "title": "Эссе", "kind": "assignment", "body": "Решите",
                        "available_after_days": 7 }))
        .create()
        .await;
    given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let quiz = &course.lessons[1];

    // The quiz duplicated: right after itself, titled as a copy, with its settings.
    let copy = app
        .call(
            "POST",
            &format!("/api/v1/lessons/{quiz}/duplicate"),
            &owner,
            None,
        )
        .await;
    assert_eq!(copy.status, 201, "{}", copy.text);
    let copy = copy.json();
    assert_eq!(copy["title"], "Тест (копия)");
    assert_eq!(copy["kind"], "quiz");
    assert_eq!(copy["stop"], true);
    assert_eq!(copy["position"], 3, "{copy}");
    let settings = |id: String| {
        let (app, owner) = (&app, owner.clone());
        async move {
            app.call("GET", &format!("/api/v1/quizzes/{id}"), &owner, None)
                .await
                .json()
        }
    };
    let copy_id = copy["id"].as_str().unwrap().to_owned();
    let (a, b) = (settings(quiz.clone()).await, settings(copy_id).await);
    assert_eq!(a["attempts"], 3);
    assert_eq!(a, b);
    let full = app
        .call(
            "GET",
            &format!("/api/v1/courses/{}", course.id),
            &owner,
            None,
        )
        .await
        .json();
    let order: Vec<String> = titles_and_kinds(&full).into_iter().map(|t| t.1).collect();
    assert_eq!(
        order,
        ["Числитель", "Тест", "Тест (копия)", "Знаменатель", "Эссе"]
    );

    // The course copied: a draft with the same modules and lessons, and no students.
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{}/copy", course.id),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let twin = res.json();
    assert_eq!(twin["title"], "Алгебра (копия)");
    assert_eq!(twin["status"], "draft");
    assert_eq!(twin["self_enrol"], true);
    let twin_id = twin["id"].as_str().unwrap().to_owned();
    let twin_full = app
        .call("GET", &format!("/api/v1/courses/{twin_id}"), &owner, None)
        .await
        .json();
    assert_eq!(titles_and_kinds(&twin_full), titles_and_kinds(&full));
    let twin_essay = &twin_full["modules"][1]["lessons"][0];
    assert_eq!(twin_essay["body"], "Решите");
    assert_eq!(twin_essay["available_after_days"], 7);
    let twin_quiz = twin_full["modules"][0]["lessons"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(settings(twin_quiz).await, a);
    let enrolled = app
        .call(
            "GET",
            &format!("/api/v1/courses/{twin_id}/enrolments"),
            &owner,
            None,
        )
        .await;
    assert_eq!(enrolled.items(), json!([]), "{}", enrolled.text);

    // A teacher copies a course of theirs and teaches the copy; another school finds none.
    let teacher = given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/courses/{}/teachers", course.id),
            &owner,
            Some(json!({ "user_ids": [teacher.id] })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let theirs = app
        .call(
            "POST",
            &format!("/api/v1/courses/{}/copy", course.id),
            &teacher.token,
            None,
        )
        .await;
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    let theirs = theirs.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/courses/{theirs}"),
            &teacher.token,
            None
        )
        .await
        .status,
        200
    );
    let beta = given::beta(&app).await;
    let foreign = app
        .call(
            "POST",
            &format!("/api/v1/courses/{}/copy", course.id),
            &beta.owner_token,
            None,
        )
        .await;
    assert_eq!(foreign.status, 404, "{}", foreign.text);

    // The editor's buttons.
    let browser = app.browser();
    browser
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let editor = browser
        .get(&format!("/cabinet/courses/{}", course.id))
        .await;
    assert!(editor.text.contains("id=\"copy-course\""));
    assert!(
        editor
            .text
            .contains(&format!("/cabinet/lessons/{quiz}/duplicate"))
    );
    let res = browser
        .post_form(
            &format!("/cabinet/lessons/{}/duplicate", course.lessons[0]),
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let res = browser
        .post_form(&format!("/cabinet/courses/{}/copy", course.id), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let to = res.header("location").to_owned();
    assert!(
        to.starts_with("/cabinet/courses/") && !to.ends_with(&course.id),
        "{to}"
    );
    let page = browser.get(&to).await;
    assert!(page.text.contains("Алгебра (копия)"));
    app.stop().await;
}
