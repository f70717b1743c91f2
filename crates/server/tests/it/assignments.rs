//! Issue 19, item 4: assignments. A student answers with text and files; the teachers of the
//! course (and the owner) review in a queue across their courses, return the work with a
//! comment or accept it with a grade; every step e-mails the student; an accepted assignment
//! that is a stop-lesson opens the lessons after it.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{Res, TestApp, error_fields},
    learning::STUDENT_PASSWORD,
};

/// Alma's course "Письмо" with an assignment that is a stop-lesson, then a text lesson; a
/// student enrolled, and a teacher assigned to the course: (course, assignment, next lesson).
pub(crate) async fn assignment_course(app: &TestApp, owner: &str) -> (String, String, String) {
    let course = given::course(app, owner, "Письмо")
        .published()
        .self_enrol()
        .module("Эссе")
        .lesson(
            json!({ "title": "Эссе о лете", "kind": "assignment", "stop": true,
                        "body": "Напишите **эссе** о лете: 300 слов." }),
        )
        .text_lesson("Дальше", "После эссе")
        .create()
        .await;
    (
        course.id.clone(),
        course.lessons[0].clone(),
        course.lessons[1].clone(),
    )
}

/// Uploads a file for an answer to an assignment through the API.
async fn upload(app: &TestApp, token: &str, lesson: &str, name: &str, bytes: &[u8]) -> Res {
    app.send(
        reqwest::Client::new()
            .post(app.url(&format!("/api/v1/assignments/{lesson}/files")))
            .query(&[("filename", name)])
            .bearer_auth(token)
            .body(bytes.to_vec()),
    )
    .await
}

/// Dana's mail, newest first.
async fn mail_of(app: &TestApp) -> Vec<crate::harness::SentMail> {
    app.mail_to("dana@mail.kz").await
}

fn answer_of(work: &Value, i: usize) -> &Value {
    &work["thread"][i]
}

#[tokio::test]
async fn an_assignment_is_returned_once_and_accepted_the_second_time_and_opens_the_next_lesson() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let (course, essay, next) = assignment_course(&app, &owner).await;
    let teacher = given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    let other = given::staff(&app, &alma, "bota@alma.kz", "teacher").await;
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/courses/{course}/teachers"),
            &owner,
            Some(json!({ "user_ids": [teacher.id] })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let dana = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let mine = format!("/api/v1/assignments/{essay}/submission");
    let locked = |page: &Res| page.text.contains("id=\"lesson-locked\"");
    let next_page = format!("/s/alma-school/lessons/{next}");

    // Nothing sent yet; the lesson after the stop-lesson is closed; the button cannot
    // complete an assignment.
    assert_eq!(app.call("GET", &mine, &dana, None).await.status, 404);
    assert!(locked(&student.get(&next_page).await));
    let pressed = student
        .post_json(
            &format!("/s/alma-school/lessons/{essay}/progress"),
            &json!({ "position_ms": 0, "complete": true }),
        )
        .await;
    assert_eq!(pressed.status, 409, "{}", pressed.text);

    // Refused answers change nothing.
    let empty = app
        .call("POST", &mine, &dana, Some(json!({ "text": "  " })))
        .await;
    assert_eq!(error_fields(&empty.problem(422)), ["text"]);
    assert!(
        empty.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Write an answer or attach a file")
    );
    let owners_file = crate::learning::upload(&app, &owner, "plan.txt", b"plan".to_vec(), None)
        .await["id"]
        .clone();
    let foreign = app
        .call(
            "POST",
            &mine,
            &dana,
            Some(json!({ "text": "Эссе", "files": [owners_file] })),
        )
        .await;
    assert_eq!(error_fields(&foreign.problem(422)), ["files[0]"]);
    let unknown = app
        .call("POST", &mine, &dana, Some(json!({ "txt": "Эссе" })))
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.text);
    // Only students upload answers' files; the owner is told so.
    assert_eq!(
        upload(&app, &owner, &essay, "x.txt", b"x").await.status,
        403
    );
    assert_eq!(app.call("GET", &mine, &dana, None).await.status, 404);

    // The first answer: text and a file.
    let file = upload(
        &app,
        &dana,
        &essay,
        "эссе.txt",
        "Лето было жарким.".as_bytes(),
    )
    .await;
    assert_eq!(file.status, 201, "{}", file.text);
    let file_id = file.json()["id"].clone();
    let sent = app
        .call(
            "POST",
            &mine,
            &dana,
            Some(json!({ "text": "Моё эссе во вложении.", "files": [file_id] })),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let work = sent.json();
    assert_eq!(work["state"], "submitted");
    assert_eq!(answer_of(&work, 0)["kind"], "answer");
    assert_eq!(answer_of(&work, 0)["text"], "Моё эссе во вложении.");
    assert_eq!(answer_of(&work, 0)["files"][0]["filename"], "эссе.txt");
    let submission = work["id"].as_str().unwrap().to_owned();
    let mail = mail_of(&app).await;
    let receipt = &mail[0];
    assert_eq!(receipt.subject, "Работа по уроку «Эссе о лете» отправлена");
    assert!(
        receipt.text.contains("School alma-school"),
        "{}",
        receipt.text
    );
    // Her link opens her file; a second answer waits for the review.
    let url = answer_of(&work, 0)["files"][0]["url"].as_str().unwrap();
    let got = app.get(url).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.text, "Лето было жарким.");
    let again = app
        .call("POST", &mine, &dana, Some(json!({ "text": "Ещё" })))
        .await;
    assert_eq!(again.status, 409, "{}", again.text);

    // The queue: the course's teacher and the owner see it; another teacher does not, nor
    // can they read it; a student has no queue.
    let queue = |token: String| {
        let app = &app;
        async move { app.call("GET", "/api/v1/submissions", &token, None).await }
    };
    let theirs = queue(teacher.token.clone()).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    let items = theirs.items();
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    assert_eq!(items[0]["student_email"], "dana@mail.kz");
    assert_eq!(items[0]["lesson_title"], "Эссе о лете");
    assert_eq!(
        queue(owner.clone()).await.items().as_array().unwrap().len(),
        1
    );
    assert_eq!(queue(other.token.clone()).await.items(), json!([]));
    let read = format!("/api/v1/submissions/{submission}");
    assert_eq!(app.call("GET", &read, &other.token, None).await.status, 404);
    assert_eq!(queue(dana.clone()).await.status, 403);
    let bad_state = app
        .call("GET", "/api/v1/submissions?state=late", &owner, None)
        .await;
    assert_eq!(error_fields(&bad_state.problem(422)), ["state"]);
    // The teacher's link to the student's file works for them.
    let seen = app.call("GET", &read, &teacher.token, None).await.json();
    let their_url = answer_of(&seen, 0)["files"][0]["url"].as_str().unwrap();
    assert_eq!(app.get(their_url).await.text, "Лето было жарким.");

    // Refused decisions change nothing; a student cannot decide.
    let review = format!("/api/v1/submissions/{submission}/review");
    for (body, field) in [
        (json!({ "decision": "return" }), "comment"),
        (json!({ "decision": "accept", "grade": 101 }), "grade"),
        (json!({ "decision": "maybe" }), "decision"),
    ] {
        let res = app.call("POST", &review, &teacher.token, Some(body)).await;
        assert_eq!(error_fields(&res.problem(422)), [field]);
    }
    let by_student = app
        .call(
            "POST",
            &review,
            &dana,
            Some(json!({ "decision": "accept" })),
        )
        .await;
    assert_eq!(by_student.status, 403, "{}", by_student.text);
    let by_other = app
        .call(
            "POST",
            &review,
            &other.token,
            Some(json!({ "decision": "accept" })),
        )
        .await;
    assert_eq!(by_other.status, 404, "{}", by_other.text);
    assert_eq!(
        app.call("GET", &read, &teacher.token, None).await.json()["state"],
        "submitted"
    );

    // Returned once, with a comment and a grade.
    let returned = app
        .call(
            "POST",
            &review,
            &teacher.token,
            Some(json!({ "decision": "return", "grade": 60, "comment": "Добавьте вывод." })),
        )
        .await;
    assert_eq!(returned.status, 200, "{}", returned.text);
    let work = returned.json();
    assert_eq!(work["state"], "returned");
    assert_eq!(work["grade"], 60);
    assert_eq!(work["thread"][1]["kind"], "returned");
    assert_eq!(work["thread"][1]["staff"], true);
    let twice = app
        .call(
            "POST",
            &review,
            &teacher.token,
            Some(json!({ "decision": "accept" })),
        )
        .await;
    assert_eq!(twice.status, 409, "{}", twice.text);
    let mail = mail_of(&app).await;
    let back = &mail[0];
    assert_eq!(
        back.subject,
        "Работу по уроку «Эссе о лете» вернули на доработку"
    );
    assert!(back.text.contains("Добавьте вывод."), "{}", back.text);
    assert!(
        back.links
            .iter()
            .any(|l| l.ends_with(&format!("/s/alma-school/lessons/{essay}"))),
        "{:?}",
        back.links
    );
    assert!(locked(&student.get(&next_page).await));
    assert!(
        queue(teacher.token.clone())
            .await
            .items()
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Comments: hers is not mailed to her; the teacher's is.
    let comments = format!("/api/v1/submissions/{submission}/comments");
    let before = mail_of(&app).await.len();
    let hers = app
        .call(
            "POST",
            &comments,
            &dana,
            Some(json!({ "text": "Хорошо, исправлю." })),
        )
        .await;
    assert_eq!(hers.status, 201, "{}", hers.text);
    assert_eq!(mail_of(&app).await.len(), before);
    let blank = app
        .call(
            "POST",
            &comments,
            &teacher.token,
            Some(json!({ "text": "" })),
        )
        .await;
    assert_eq!(error_fields(&blank.problem(422)), ["text"]);
    let theirs = app
        .call(
            "POST",
            &comments,
            &teacher.token,
            Some(json!({ "text": "Жду." })),
        )
        .await;
    assert_eq!(theirs.status, 201, "{}", theirs.text);
    let mail = mail_of(&app).await;
    assert_eq!(mail.len(), before + 1);
    assert!(mail[0].text.contains("Жду."));

    // A file answers once; the revised answer goes back to the queue.
    let reused = app
        .call(
            "POST",
            &mine,
            &dana,
            Some(json!({ "text": "Вывод добавлен.", "files": [file_id] })),
        )
        .await;
    assert_eq!(error_fields(&reused.problem(422)), ["files[0]"]);
    let resent = app
        .call(
            "POST",
            &mine,
            &dana,
            Some(json!({ "text": "Вывод добавлен." })),
        )
        .await;
    assert_eq!(resent.status, 200, "{}", resent.text);
    assert_eq!(resent.json()["state"], "submitted");
    assert_eq!(
        queue(teacher.token.clone())
            .await
            .items()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Accepted the second time: graded, mailed, and the lesson after it opens.
    let accepted = app
        .call(
            "POST",
            &review,
            &teacher.token,
            Some(json!({ "decision": "accept", "grade": 90, "comment": "Отлично!" })),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(accepted.json()["state"], "accepted");
    assert_eq!(accepted.json()["grade"], 90);
    let mail = mail_of(&app).await;
    let done = &mail[0];
    assert_eq!(done.subject, "Работа по уроку «Эссе о лете» принята");
    assert!(done.text.contains("Оценка: 90 из 100."), "{}", done.text);
    assert!(!locked(&student.get(&next_page).await));
    let progress = app
        .call(
            "GET",
            &format!("/api/v1/courses/{course}/progress"),
            &owner,
            None,
        )
        .await;
    assert_eq!(
        progress.json()["students"][0]["done"],
        1,
        "{}",
        progress.text
    );
    // Nothing more is sent to accepted work.
    let late = app
        .call("POST", &mine, &dana, Some(json!({ "text": "Ещё" })))
        .await;
    assert_eq!(late.status, 409, "{}", late.text);
    assert_eq!(upload(&app, &dana, &essay, "y.txt", b"y").await.status, 409);
    let all = app
        .call("GET", "/api/v1/submissions?state=accepted", &owner, None)
        .await
        .items();
    assert_eq!(all[0]["grade"], 90, "{all}");
    let thread = app.call("GET", &mine, &dana, None).await.json();
    let kinds: Vec<&str> = thread["thread"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "answer", "returned", "comment", "comment", "answer", "accepted"
        ]
    );
    app.stop().await;
}

/// Whether the page shows a flash message.
fn flash_of(page: &Res) -> bool {
    page.text.contains("class=\"flash")
}

#[tokio::test]
async fn students_answer_and_teachers_review_on_the_pages() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let (course, essay, _) = assignment_course(&app, &alma.owner_token).await;
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let lesson = format!("/s/alma-school/lessons/{essay}");
    let page = student.get(&lesson).await;
    assert_eq!(page.status, 200);
    // The task, the state, the form; no "mark complete" button.
    assert!(page.text.contains("<strong>эссе</strong>"), "{}", page.text);
    assert!(page.text.contains("Ещё не отправлено"));
    assert!(page.text.contains("id=\"answer-form\""));
    assert!(!page.text.contains("id=\"mark-complete\""));

    // An empty answer is refused beside its field, nothing stored.
    let send = format!("{lesson}/submission");
    let refused = student.post_form(&send, &[("text", " ")]).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("id=\"answer-text-error\""));
    assert!(refused.text.contains("Напишите ответ или приложите файл."));
    // The script uploads a file as it is picked; a file not hers is refused beside the
    // files, the form showing again as sent.
    let uploaded = app
        .send(
            student
                .client
                .post(app.url(&format!("{lesson}/files")))
                .query(&[("filename", "черновик.txt")])
                .body("Черновик".as_bytes().to_vec()),
        )
        .await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text);
    let file = uploaded.json()["id"].as_str().unwrap().to_owned();
    let wrong = student
        .post_form(
            &send,
            &[
                ("text", "Эссе"),
                ("file", "nope"),
                ("file_name", "чужой.txt"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    assert!(wrong.text.contains("id=\"answer-files-error\""));
    assert!(wrong.text.contains(">Эссе</textarea>"), "{}", wrong.text);
    assert!(wrong.text.contains("чужой.txt"));
    let sent = student
        .post_form(
            &send,
            &[
                ("text", "Моё эссе"),
                ("file", &file),
                ("file_name", "черновик.txt"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let page = student.get(&lesson).await;
    assert!(flash_of(&page));
    assert!(
        page.text.contains("Отправлено, ждёт проверки"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Моё эссе"));
    assert!(page.text.contains(">черновик.txt</a>"));
    assert!(!page.text.contains("id=\"answer-form\""));

    // The owner's queue and review page.
    let owner = app.browser();
    owner
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    // The lesson's cabinet page edits the task.
    let editor = owner.get(&format!("/cabinet/lessons/{essay}")).await;
    assert!(
        editor.text.contains("id=\"lesson_body\""),
        "{}",
        editor.text
    );
    assert!(editor.text.contains("Напишите **эссе** о лете"));
    let queue = owner.get("/cabinet/submissions").await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    assert!(queue.text.contains("id=\"submissions-link\""));
    assert!(queue.text.contains("Эссе о лете"));
    let id = app
        .call("GET", "/api/v1/submissions", &alma.owner_token, None)
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let review = format!("/cabinet/submissions/{id}");
    let page = owner.get(&review).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Моё эссе"));
    assert!(page.text.contains("id=\"review-form\""));
    // A return without a word is refused beside the comment; a grade out of range beside it.
    let decide = format!("{review}/review");
    let refused = owner
        .post_form(
            &decide,
            &[("decision", "return"), ("grade", ""), ("comment", "")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("id=\"review-comment-error\""));
    assert!(
        refused
            .text
            .contains("value=\"return\" id=\"decision-return\" checked")
    );
    let refused = owner
        .post_form(
            &decide,
            &[("decision", "accept"), ("grade", "сто"), ("comment", "")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("id=\"grade-error\""));
    let returned = owner
        .post_form(
            &decide,
            &[
                ("decision", "return"),
                ("grade", ""),
                ("comment", "Где вывод?"),
            ],
        )
        .await;
    assert_eq!(returned.status, 303, "{}", returned.text);
    let page = owner.get(&review).await;
    assert!(page.text.contains("Возвращено на доработку"));
    assert!(page.text.contains("id=\"submission-not-waiting\""));

    // The student reads it, comments, and answers again; the owner accepts with a grade.
    let page = student.get(&lesson).await;
    assert!(page.text.contains("Где вывод?"));
    assert!(page.text.contains("Исправленный ответ"));
    let blank = student
        .post_form(
            &format!("/s/alma-school/submissions/{id}/comments"),
            &[("text", "")],
        )
        .await;
    assert_eq!(blank.status, 422, "{}", blank.text);
    assert!(blank.text.contains("id=\"comment-text-error\""));
    let noted = student
        .post_form(
            &format!("/s/alma-school/submissions/{id}/comments"),
            &[("text", "Исправлю сегодня")],
        )
        .await;
    assert_eq!(noted.status, 303, "{}", noted.text);
    let again = student
        .post_form(&send, &[("text", "Эссе с выводом")])
        .await;
    assert_eq!(again.status, 303, "{}", again.text);
    let accepted = owner
        .post_form(
            &decide,
            &[("decision", "accept"), ("grade", "95"), ("comment", "")],
        )
        .await;
    assert_eq!(accepted.status, 303, "{}", accepted.text);
    // Deciding again, as a second teacher's stale tab would, says it no longer waits.
    let stale = owner
        .post_form(&decide, &[("decision", "return"), ("comment", "Нет")])
        .await;
    assert_eq!(stale.status, 303, "{}", stale.text);
    let page = owner.get(&review).await;
    assert!(
        page.text.contains("Работа уже не ждёт проверки"),
        "{}",
        page.text
    );
    let page = student.get(&lesson).await;
    assert!(page.text.contains("Принято"));
    assert!(page.text.contains("95 / 100"));
    assert!(page.text.contains("Исправлю сегодня"));
    assert!(page.text.contains("id=\"lesson-complete\""));
    // Students find no staff page.
    assert_eq!(student.get(&review).await.status, 404);
    let empty = owner.get("/cabinet/submissions").await;
    assert!(empty.text.contains("id=\"submissions-none\""));
    let all = owner.get("/cabinet/submissions?state=all").await;
    assert!(all.text.contains("Эссе о лете"));
    app.stop().await;
}

#[tokio::test]
async fn a_students_work_goes_with_the_schools_export_and_with_the_students_erasure() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let (course, essay, _) = assignment_course(&app, &owner).await;
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let dana = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let file = upload(&app, &dana, &essay, "эссе.txt", b"Sunny-essay-file").await;
    assert_eq!(file.status, 201, "{}", file.text);
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/assignments/{essay}/submission"),
            &dana,
            Some(json!({ "text": "Sunny-essay-text", "files": [file.json()["id"]] })),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    let work = sent.json();
    let id = work["id"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "POST",
            &format!("/api/v1/submissions/{id}/review"),
            &owner,
            Some(json!({ "decision": "return", "comment": "Sunny-essay-comment", "grade": 40 })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // The owner's file list is the school's own: a student's answer is not in it, and cannot
    // be deleted while it answers.
    let media = app.call("GET", "/api/v1/media", &owner, None).await.items();
    assert_eq!(media, json!([]), "{media}");
    let fid = file.json()["id"].as_str().unwrap().to_owned();
    let delete = app
        .call("DELETE", &format!("/api/v1/media/{fid}"), &owner, None)
        .await;
    assert_eq!(delete.status, 409, "{}", delete.text);

    // The student's own data, and the school's export.
    let mine = student.get("/s/alma-school/profile/data.json").await;
    assert!(mine.text.contains("Sunny-essay-text"), "{}", mine.text);
    assert!(mine.text.contains("Sunny-essay-comment"));
    let res = app.call("POST", "/api/v1/exports", &owner, None).await;
    assert_eq!(res.status, 202, "{}", res.text);
    let export = res.json()["id"].as_str().unwrap().to_owned();
    app.drain().await;
    let status = app
        .call("GET", &format!("/api/v1/exports/{export}"), &owner, None)
        .await
        .json();
    let url = status["download_url"].as_str().unwrap().to_owned();
    let zip = app.client.get(app.url(&url)).send().await.unwrap();
    let files = crate::exports::entries(&zip.bytes().await.unwrap());
    let text = |name: &str| String::from_utf8(files[name].clone()).unwrap();
    assert!(text("submissions.jsonl").contains("\"state\":\"returned\""));
    assert!(text("submission_entries.jsonl").contains("Sunny-essay-text"));
    assert_eq!(text("submission_files.jsonl").lines().count(), 1);

    // Erased: no trace of her work is left, and the queue forgets it.
    let student_id = work["student_id"].as_str().unwrap();
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/students/{student_id}"),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    for needle in ["Sunny-essay-text", "Sunny-essay-comment", &id] {
        let left = crate::erasure::traces(&app, needle).await;
        let kept: Vec<&String> = left
            .iter()
            .filter(|t| !t.starts_with("audit_log") && !t.starts_with("exports"))
            .collect();
        assert!(kept.is_empty(), "{needle}: {left:?}");
    }
    let all = app
        .call("GET", "/api/v1/submissions?state=all", &owner, None)
        .await
        .items();
    assert_eq!(all, json!([]), "{all}");
    // Her file, in no answer now, leaves with the nightly sweep: its row and its bytes.
    let tenant = app.tenant_of(&owner).await;
    let key = format!("{tenant}/{fid}");
    assert!(app.stored_bytes(&key).await.is_some());
    app.advance(2, 0, 0).await;
    assert!(
        app.stored_bytes(&key).await.is_none(),
        "{key} is still stored"
    );
    assert!(
        crate::erasure::traces(&app, &fid)
            .await
            .iter()
            .all(|t| t.starts_with("audit_log"))
    );
    app.stop().await;
}

#[tokio::test]
async fn students_files_are_capped_kept_out_of_lessons_and_swept_when_never_sent() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let (course, essay, next) = assignment_course(&app, &owner).await;
    given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let dana = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    // As many unsent files as one answer takes, no more.
    let mut ids = Vec::new();
    for i in 0..10 {
        let res = upload(&app, &dana, &essay, &format!("{i}.txt"), b"draft").await;
        assert_eq!(res.status, 201, "{}", res.text);
        ids.push(res.json()["id"].as_str().unwrap().to_owned());
    }
    let eleventh = upload(&app, &dana, &essay, "10.txt", b"draft").await;
    assert_eq!(eleventh.status, 409, "{}", eleventh.text);
    // Removing one frees its place; the owner cannot remove a student's file for them.
    let remove = |id: &str| format!("/api/v1/assignment-files/{id}");
    assert_eq!(
        app.call("DELETE", &remove(&ids[9]), &owner, None)
            .await
            .status,
        403
    );
    let removed = app.call("DELETE", &remove(&ids[9]), &dana, None).await;
    assert_eq!(removed.status, 204, "{}", removed.text);
    assert_eq!(
        app.call("DELETE", &remove(&ids[9]), &dana, None)
            .await
            .status,
        404
    );
    let tenth = upload(&app, &dana, &essay, "9b.txt", b"draft").await;
    assert_eq!(tenth.status, 201, "{}", tenth.text);
    ids[9] = tenth.json()["id"].as_str().unwrap().to_owned();
    // A file in an answer stays.
    let sent = app
        .call(
            "POST",
            &format!("/api/v1/assignments/{essay}/submission"),
            &dana,
            Some(json!({ "text": "Эссе", "files": [ids[8]] })),
        )
        .await;
    assert_eq!(sent.status, 201, "{}", sent.text);
    assert_eq!(
        app.call("DELETE", &remove(&ids[8]), &dana, None)
            .await
            .status,
        409
    );
    // Nobody shows a student's file in a lesson, not even the owner.
    let lesson = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course}/lessons"),
            &owner,
            Some(json!({ "module_id": app.call("GET", &format!("/api/v1/lessons/{next}"), &owner, None)
                .await.json()["module_id"], "title": "Чужой файл", "kind": "file", "media_id": ids[0] })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&lesson.problem(422)),
        ["media_id"]
    );
    // A day later the unsent files are gone.
    let tenant = app.tenant_of(&owner).await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 10);
    app.advance(2, 0, 0).await;
    // The one sent stays.
    assert_eq!(
        app.stored_objects(tenant.as_str()).await,
        vec![format!("{tenant}/{}", ids[8])]
    );
    app.stop().await;
}
