//! Issue 19, item 4: stop-lessons. Any lesson can be a stop-lesson: the lessons after it stay
//! closed to a student until it is complete (a quiz: passed), combined with the release rules,
//! and the student's outline says which lesson to complete.

use serde_json::json;

use crate::{given, harness::TestApp, learning::STUDENT_PASSWORD};

#[tokio::test]
async fn the_lessons_after_a_stop_lesson_open_only_once_its_quiz_is_passed() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let q = app
        .call(
            "POST",
            "/api/v1/questions",
            &owner,
            Some(json!({ "type": "truefalse", "name": "Q", "text": "Земля круглая?", "correct": true })),
        )
        .await;
    assert_eq!(q.status, 201, "{}", q.text);
    let quiz = json!({ "questions": [q.json()["id"]], "attempts": 2, "pass_percent": 100 });
    let course = given::course(&app, &owner, "География")
        .published()
        .self_enrol()
        .module("Начало")
        .text_lesson("Введение", "Привет")
        .lesson(json!({ "title": "Проверка", "kind": "quiz", "quiz": quiz, "stop": true }))
        .text_lesson("Дальше", "После проверки")
        .module("Позже")
        .lesson(json!({ "title": "Итог", "kind": "text", "body": "Конец",
                        "available_from": "2027-04-01" }))
        .create()
        .await;
    let (intro, check, next, last) = (
        &course.lessons[0],
        &course.lessons[1],
        &course.lessons[2],
        &course.lessons[3],
    );
    let lesson = app
        .call("GET", &format!("/api/v1/lessons/{check}"), &owner, None)
        .await
        .json();
    assert_eq!(lesson["stop"], true, "{lesson}");
    // The course editor marks it.
    let teacher = app.browser();
    teacher
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let editor = teacher
        .get(&format!("/cabinet/courses/{}", course.id))
        .await;
    assert!(editor.text.contains("стоп-урок"), "{}", editor.text);

    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let course_page = format!("/s/alma-school/courses/{}", course.id);
    let reason = "Откроется, когда будет пройден стоп-урок «Проверка».";
    let page = student.get(&course_page).await;
    assert_eq!(page.text.matches(reason).count(), 1, "{}", page.text);
    assert!(
        page.text
            .contains(&format!("href=\"/s/alma-school/lessons/{intro}\""))
    );
    assert!(
        page.text
            .contains(&format!("href=\"/s/alma-school/lessons/{check}\""))
    );
    let after = student.get(&format!("/s/alma-school/lessons/{next}")).await;
    assert!(
        after.text.contains("id=\"lesson-locked\""),
        "{}",
        after.text
    );
    assert!(after.text.contains(reason));
    let quiz_page = student
        .get(&format!("/s/alma-school/lessons/{check}"))
        .await;
    assert!(quiz_page.text.contains("id=\"stop-lesson-note\""));
    // The date rule still says when, whatever the stop-lesson.
    assert!(
        page.text.contains("Откроется 1 апреля 2027"),
        "{}",
        page.text
    );

    let token = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let attempt_with = |value: bool| {
        let (app, token) = (&app, token.clone());
        async move {
            let started = app
                .call(
                    "POST",
                    &format!("/api/v1/quizzes/{check}/attempts"),
                    &token,
                    None,
                )
                .await;
            assert_eq!(started.status, 201, "{}", started.text);
            let id = started.json()["id"].as_str().unwrap().to_owned();
            let res = app
                .call(
                    "PUT",
                    &format!("/api/v1/attempts/{id}/answers"),
                    &token,
                    Some(json!({ "answers": [{ "slot": 1, "value": value }] })),
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
            app.call(
                "POST",
                &format!("/api/v1/attempts/{id}/submit"),
                &token,
                None,
            )
            .await
            .json()
        }
    };
    // A wrong answer: submitted, not passed, still closed.
    let first = attempt_with(false).await;
    assert_eq!(first["passed"], false, "{first}");
    let page = student.get(&course_page).await;
    assert_eq!(page.text.matches(reason).count(), 1);
    // Passed: the lesson after it opens; the dated one still waits for its day.
    let second = attempt_with(true).await;
    assert_eq!(second["passed"], true, "{second}");
    let page = student.get(&course_page).await;
    assert!(!page.text.contains(reason), "{}", page.text);
    assert!(
        page.text
            .contains(&format!("href=\"/s/alma-school/lessons/{next}\""))
    );
    assert!(
        !page
            .text
            .contains(&format!("href=\"/s/alma-school/lessons/{last}\""))
    );
    let after = student.get(&format!("/s/alma-school/lessons/{next}")).await;
    assert!(
        !after.text.contains("id=\"lesson-locked\""),
        "{}",
        after.text
    );

    // Taken off, a stop-lesson closes nothing: another student reads on at once.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{check}"),
            &owner,
            Some(json!({ "stop": false })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let other = given::student(&app, &alma, "erlan@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let page = other.get(&course_page).await;
    assert!(!page.text.contains(reason));
    assert!(
        page.text
            .contains(&format!("href=\"/s/alma-school/lessons/{next}\""))
    );
}
