//! Issue 19, item 5: the gradebook. A course's students × its quizzes and assignments with the
//! course grade and completion, filtered by group, as JSON, CSV and XLSX; a student sees their
//! own grades.

use serde_json::{Value, json};

use crate::{given, harness::TestApp, learning::STUDENT_PASSWORD};

/// Takes the quiz once, answering `value` to its true/false question.
async fn attempt(app: &TestApp, token: &str, quiz: &str, value: bool) {
    let started = app
        .call(
            "POST",
            &format!("/api/v1/quizzes/{quiz}/attempts"),
            token,
            None,
        )
        .await;
    assert_eq!(started.status, 201, "{}", started.text);
    let id = started.json()["id"].as_str().unwrap().to_owned();
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/attempts/{id}/answers"),
            token,
            Some(json!({ "answers": [{ "slot": 1, "value": value }] })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app
        .call(
            "POST",
            &format!("/api/v1/attempts/{id}/submit"),
            token,
            None,
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}

/// Sends an answer to the assignment; returns the submission's id.
async fn answer(app: &TestApp, token: &str, essay: &str) -> String {
    let res = app
        .call(
            "POST",
            &format!("/api/v1/assignments/{essay}/submission"),
            token,
            Some(json!({ "text": "Эссе" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()["id"].as_str().unwrap().to_owned()
}

fn row<'a>(gb: &'a Value, email: &str) -> &'a Value {
    gb["students"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["email"] == email)
        .unwrap_or_else(|| panic!("no {email} in {gb}"))
}

#[tokio::test]
async fn the_gradebook_shows_each_students_quizzes_and_assignments_by_group_and_as_files() {
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
    let quiz = json!({ "questions": [q.json()["id"]], "attempts": 2, "grading": "highest",
                       "pass_percent": 60 });
    let course = given::course(&app, &owner, "География")
        .published()
        .self_enrol()
        .module("Начало")
        .text_lesson("Введение", "Привет")
        .lesson(json!({ "title": "Проверка", "kind": "quiz", "quiz": quiz }))
        .lesson(json!({ "title": "Эссе", "kind": "assignment", "body": "Напишите эссе" }))
        .create()
        .await;
    let (quiz, essay) = (course.lessons[1].clone(), course.lessons[2].clone());
    let aliya = given::student(&app, &alma, "aliya@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    given::student(&app, &alma, "bota@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let a = app
        .token_for("aliya@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let b = app
        .token_for("bota@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    // Aliya: 0% then 100% (highest: 100%, passed); her essay accepted with 80.
    attempt(&app, &a, &quiz, false).await;
    attempt(&app, &a, &quiz, true).await;
    let work = answer(&app, &a, &essay).await;
    let res = app
        .call(
            "POST",
            &format!("/api/v1/submissions/{work}/review"),
            &owner,
            Some(json!({ "decision": "accept", "grade": 80 })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // Bota: 0% (not passed), her essay waits.
    attempt(&app, &b, &quiz, false).await;
    answer(&app, &b, &essay).await;

    let url = format!("/api/v1/courses/{}/gradebook", course.id);
    let gb = app.call("GET", &url, &owner, None).await;
    assert_eq!(gb.status, 200, "{}", gb.text);
    let gb = gb.json();
    let items: Vec<&str> = gb["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["Проверка", "Эссе"]);
    let ra = row(&gb, "aliya@mail.kz");
    assert_eq!(ra["cells"][0]["state"], "passed");
    assert_eq!(ra["cells"][0]["grade_percent"], 100.0);
    assert_eq!(ra["cells"][1]["state"], "passed");
    assert_eq!(ra["cells"][1]["grade_percent"], 80.0);
    assert_eq!(ra["grade_percent"], 90.0);
    assert_eq!(ra["done"], 2, "{ra}");
    assert_eq!(ra["required"], 3);
    let rb = row(&gb, "bota@mail.kz");
    assert_eq!(rb["cells"][0]["state"], "failed");
    assert_eq!(rb["cells"][0]["grade_percent"], 0.0);
    assert_eq!(rb["cells"][1]["state"], "waiting");
    assert_eq!(rb["cells"][1]["grade_percent"], Value::Null);
    assert_eq!(rb["grade_percent"], 0.0);

    // By group: Aliya's alone.
    let group = app
        .call(
            "POST",
            "/api/v1/groups",
            &owner,
            Some(json!({ "name": "Вечерняя" })),
        )
        .await
        .json();
    let gid = group["id"].as_str().unwrap();
    let res = app
        .call(
            "POST",
            &format!("/api/v1/groups/{gid}/members"),
            &owner,
            Some(json!({ "user_id": ra["user_id"] })),
        )
        .await;
    assert!(res.status < 300, "{}", res.text);
    let only = app
        .call("GET", &format!("{url}?group_id={gid}"), &owner, None)
        .await
        .json();
    assert_eq!(only["students"].as_array().unwrap().len(), 1, "{only}");
    assert_eq!(only["students"][0]["email"], "aliya@mail.kz");
    let nogroup = app
        .call("GET", &format!("{url}?group_id=nope"), &owner, None)
        .await;
    assert_eq!(nogroup.status, 404, "{}", nogroup.text);
    let badformat = app
        .call("GET", &format!("{url}?format=pdf"), &owner, None)
        .await;
    assert_eq!(badformat.status, 422, "{}", badformat.text);

    // CSV: the header in the asked language, numbers for grades, words for the rest.
    let (status, kind, csv) = app.download(&format!("{url}?format=csv"), &owner).await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "no byte-order mark");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Ученик,Эл. почта,Проверка,Эссе,Оценка за курс,Пройдено уроков,Курс пройден"
    );
    let aliya_line = lines.iter().find(|l| l.contains("aliya@mail.kz")).unwrap();
    assert!(aliya_line.ends_with(",100,80,90,2/3,"), "{aliya_line}");
    let bota_line = lines.iter().find(|l| l.contains("bota@mail.kz")).unwrap();
    assert!(
        bota_line.ends_with(",0,ждёт проверки,0,0/3,"),
        "{bota_line}"
    );
    // XLSX: a workbook whose sheet holds the grades as numbers.
    let (status, kind, xlsx) = app.download(&format!("{url}?format=xlsx"), &owner).await;
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let files = crate::exports::entries(&xlsx);
    let sheet = String::from_utf8(files["xl/worksheets/sheet1.xml"].clone()).unwrap();
    assert!(sheet.contains("<v>90</v>"), "{sheet}");
    assert!(sheet.contains("<v>80</v>"));
    let strings = String::from_utf8(files["xl/sharedStrings.xml"].clone()).unwrap();
    assert!(strings.contains("Оценка за курс"));
    assert!(strings.contains("ждёт проверки"));

    // A student reads their own row, on the API and on the course page.
    let mine = app.call("GET", &url, &a, None).await.json();
    assert_eq!(mine["students"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(mine["students"][0]["grade_percent"], 90.0);
    let page = aliya
        .get(&format!("/s/alma-school/courses/{}", course.id))
        .await;
    assert!(page.text.contains("id=\"my-grades\""), "{}", page.text);
    assert!(page.text.contains("<strong>100%</strong>"));
    assert!(page.text.contains("<strong>90%</strong>"));
    // Nobody else's: a teacher of other courses, a student of none, another school.
    let teacher = given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    assert_eq!(
        app.call("GET", &url, &teacher.token, None).await.status,
        404
    );
    given::student(&app, &alma, "cara@mail.kz").create().await;
    let c = app
        .token_for("cara@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    assert_eq!(app.call("GET", &url, &c, None).await.status, 404);

    // The cabinet's page and its downloads.
    let browser = app.browser();
    browser
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = browser
        .get(&format!("/cabinet/courses/{}/gradebook", course.id))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"gradebook-table\""));
    assert!(page.text.contains("<strong>90%</strong>"));
    assert!(page.text.contains("ждёт проверки"));
    let filtered = browser
        .get(&format!(
            "/cabinet/courses/{}/gradebook?group={gid}",
            course.id
        ))
        .await;
    assert!(!filtered.text.contains("bota@mail.kz"));
    assert!(
        filtered
            .text
            .contains(&format!("format=xlsx&#38;group={gid}")),
        "{}",
        filtered.text
    );
    let file = browser
        .get(&format!(
            "/cabinet/courses/{}/gradebook/export?format=csv&group={gid}",
            course.id
        ))
        .await;
    assert_eq!(file.status, 200);
    assert!(file.text.contains("aliya@mail.kz"));
    assert!(!file.text.contains("bota@mail.kz"));
    assert_eq!(
        aliya
            .get(&format!("/cabinet/courses/{}/gradebook", course.id))
            .await
            .status,
        404
    );
    app.stop().await;
}
