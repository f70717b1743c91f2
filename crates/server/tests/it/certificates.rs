//! Issue 19, item 6, and the acceptance scenario through the API with the test clock:
//! a 10-minute quiz with 2 attempts graded by highest is a stop-lesson; the student runs out of
//! time (the attempt is submitted with what was saved), then passes on the second attempt, and
//! only then the assignment after it opens; the assignment is returned once and accepted the
//! second time; completing the course issues the certificate, which its public page verifies
//! until the school revokes it.

use serde_json::json;

use crate::{documents::pdf_text, given, harness::TestApp, learning::STUDENT_PASSWORD};

#[tokio::test]
async fn a_student_passes_a_timed_quiz_has_an_assignment_accepted_and_earns_a_certificate_that_is_then_revoked()
 {
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
            Some(json!({ "type": "truefalse", "name": "Q", "text": "Алматы — южная столица?", "correct": true })),
        )
        .await;
    assert_eq!(q.status, 201, "{}", q.text);
    let quiz = json!({ "questions": [q.json()["id"]], "time_limit_minutes": 10, "attempts": 2,
                       "grading": "highest", "pass_percent": 60 });
    let course = given::course(&app, &owner, "Казахский язык")
        .published()
        .self_enrol()
        .module("Основы")
        .lesson(json!({ "title": "Тест", "kind": "quiz", "quiz": quiz, "stop": true }))
        .lesson(json!({ "title": "Эссе", "kind": "assignment", "body": "Напишите о себе" }))
        .text_lesson("Финал", "Спасибо!")
        .create()
        .await;
    let (quiz, essay, last) = (
        course.lessons[0].clone(),
        course.lessons[1].clone(),
        course.lessons[2].clone(),
    );
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{}", course.id),
            &owner,
            Some(json!({ "certificate": true })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["certificate"], true);
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let dana = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let start = || {
        let (app, dana, quiz) = (&app, dana.clone(), quiz.clone());
        async move {
            let res = app
                .call(
                    "POST",
                    &format!("/api/v1/quizzes/{quiz}/attempts"),
                    &dana,
                    None,
                )
                .await;
            assert_eq!(res.status, 201, "{}", res.text);
            res.json()["id"].as_str().unwrap().to_owned()
        }
    };
    let save = |id: String, value: bool| {
        let (app, dana) = (&app, dana.clone());
        async move {
            app.call(
                "PUT",
                &format!("/api/v1/attempts/{id}/answers"),
                &dana,
                Some(json!({ "answers": [{ "slot": 1, "value": value }] })),
            )
            .await
        }
    };
    let answer = |text: &'static str| {
        let (app, dana, essay) = (&app, dana.clone(), essay.clone());
        async move {
            app.call(
                "POST",
                &format!("/api/v1/assignments/{essay}/submission"),
                &dana,
                Some(json!({ "text": text })),
            )
            .await
        }
    };

    // The first attempt: a wrong answer saved, then the time runs out.
    let first = start().await;
    assert_eq!(save(first.clone(), false).await.status, 200);
    app.advance(0, 0, 11).await;
    assert_eq!(save(first.clone(), true).await.status, 409);
    let done = app
        .call("GET", &format!("/api/v1/attempts/{first}"), &dana, None)
        .await
        .json();
    assert_eq!(done["state"], "graded");
    assert_eq!(done["submitted_at"], "2027-03-01T04:10:00Z");
    assert_eq!(done["passed"], false);
    // The assignment after the stop-lesson stays closed.
    assert_eq!(answer("Рано").await.status, 403);

    // The second attempt passes; the assignment opens.
    let second = start().await;
    assert_eq!(save(second.clone(), true).await.status, 200);
    let submitted = app
        .call(
            "POST",
            &format!("/api/v1/attempts/{second}/submit"),
            &dana,
            None,
        )
        .await
        .json();
    assert_eq!(submitted["passed"], true, "{submitted}");
    let sent = answer("Меня зовут Дана.").await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let work = sent.json()["id"].as_str().unwrap().to_owned();
    let review = |decision: &'static str, comment: &'static str| {
        let (app, owner, work) = (&app, owner.clone(), work.clone());
        async move {
            let res = app
                .call(
                    "POST",
                    &format!("/api/v1/submissions/{work}/review"),
                    &owner,
                    Some(json!({ "decision": decision, "comment": comment, "grade": 85 })),
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
    };
    review("return", "Подробнее, пожалуйста.").await;
    assert_eq!(answer("Меня зовут Дана, я из Алматы.").await.status, 200);
    review("accept", "").await;

    // No certificate before the course is complete; the last lesson completes it.
    let mine = app.call("GET", "/api/v1/certificates", &dana, None).await;
    assert_eq!(mine.items(), json!([]), "{}", mine.text);
    let res = student
        .post_form(&format!("/s/alma-school/lessons/{last}/complete"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let mine = app
        .call("GET", "/api/v1/certificates", &dana, None)
        .await
        .items();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    let cert = &mine[0];
    let (id, code) = (
        cert["id"].as_str().unwrap().to_owned(),
        cert["code"].as_str().unwrap().to_owned(),
    );
    assert_eq!(cert["course_title"], "Казахский язык");
    assert_eq!(cert["issued_on"], "2027-03-01");
    assert!(
        cert["verify_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/verify/{code}"))
    );

    // The PDF names her, the course and the code; her profile offers it.
    let (status, kind, pdf) = app
        .download(&format!("/api/v1/certificates/{id}/pdf"), &dana)
        .await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let text = pdf_text(&pdf);
    let name = app.call("GET", "/api/v1/me", &dana, None).await.json()["full_name"]
        .as_str()
        .unwrap()
        .to_owned();
    for needle in [name.as_str(), "Казахский язык", code.as_str(), "СЕРТИФИКАТ"]
    {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
    let profile = student.get("/s/alma-school/profile").await;
    assert!(
        profile
            .text
            .contains(&format!("/s/alma-school/certificates/{id}"))
    );
    let download = student
        .get(&format!("/s/alma-school/certificates/{id}"))
        .await;
    assert_eq!(download.status, 200);

    // Anyone verifies it, without signing in.
    let page = app.get(&format!("/verify/{code}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"verify-valid\""));
    assert!(page.text.contains(&name));
    assert!(page.text.contains("Казахский язык"));
    assert!(page.text.contains("1 марта 2027"));
    let api = app.get(&format!("/api/v1/verify/{code}")).await.json();
    assert_eq!(api["revoked_at"], serde_json::Value::Null);
    assert_eq!(app.get("/verify/0000-0000-0000").await.status, 404);

    // Revoked by the owner (not by the student, nor a teacher of other courses).
    let revoke = format!("/api/v1/certificates/{id}/revoke");
    assert_eq!(app.call("POST", &revoke, &dana, None).await.status, 403);
    let teacher = given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    assert_eq!(
        app.call("POST", &revoke, &teacher.token, None).await.status,
        404
    );
    let revoked = app.call("POST", &revoke, &owner, None).await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    assert!(revoked.json()["revoked_at"].is_string());
    assert_eq!(app.call("POST", &revoke, &owner, None).await.status, 409);
    let page = app.get(&format!("/verify/{code}")).await;
    assert!(page.text.contains("id=\"verify-revoked\""), "{}", page.text);
    assert!(!page.text.contains("id=\"verify-valid\""));
    let (status, _, _) = app
        .download(&format!("/api/v1/certificates/{id}/pdf"), &dana)
        .await;
    assert_eq!(status, 410);
    // The staff's lists: the school's, and the course's.
    let all = app
        .call("GET", "/api/v1/certificates", &owner, None)
        .await
        .items();
    assert_eq!(all[0]["code"], code.as_str(), "{all}");
    let listed = app
        .call(
            "GET",
            &format!("/api/v1/certificates?course_id={}", course.id),
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let theirs = app
        .call("GET", "/api/v1/certificates", &teacher.token, None)
        .await
        .items();
    assert_eq!(theirs, json!([]), "a teacher of other courses reads none");
    // The cabinet's list says so too.
    let browser = app.browser();
    browser
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let list = browser
        .get(&format!("/cabinet/courses/{}/certificates", course.id))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert!(list.text.contains(&code));
    assert!(list.text.contains("Сертификат отозван школой"));
    app.stop().await;
}
