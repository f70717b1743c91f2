//! Issue 18, item 7: the compliance officers' cases. A visitor's report of a school's page
//! opens case C-1; operators read the reported content only through the case, and each
//! view is recorded; a complaint about a mailing shows the complainant's consent or none, and
//! telling the complainant who the school is enters the disclosure register and e-mails them
//!

use serde_json::{Value, json};

use crate::{
    given,
    harness::{TestApp, error_fields},
};

async fn officer(app: &TestApp, email: &str) -> String {
    let role = educenter_domain::roles::OperatorRole::Compliance;
    given::operator_token(app, email, role, "Records-2027!").await
}

async fn report(app: &TestApp, body: Value) -> crate::harness::Res {
    app.send(app.client.post(app.url("/api/v1/reports")).json(&body))
        .await
}

#[tokio::test]
async fn a_visitors_report_opens_a_case_and_its_content_is_read_only_through_it() {
    let app = TestApp::builder()
        .clock("2026-04-06T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let course = given::open_course(&app, &alma.owner_token, "Курс").await;
    let lesson = format!("/s/alma-school/lessons/{}", course.lessons[0]);

    // Every page of the school's site links to the report form, naming itself.
    let home = app.get("/s/alma-school/").await;
    assert!(
        home.text
            .contains("/s/alma-school/report?page=/s/alma-school/"),
        "{}",
        home.text
    );
    let encoded = lesson.replace('/', "%2F");
    let form = app
        .get(&format!("/s/alma-school/report?page={encoded}"))
        .await;
    assert_eq!(form.status, 200);
    assert!(form.text.contains(&lesson), "{}", form.text);

    // Bad input names its fields and opens nothing.
    let res = report(
        &app,
        json!({ "school": "alma-school", "page": lesson, "reason": "spam", "details": "плохо" }),
    )
    .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(error_fields(&res.json()), ["reason", "details"]);
    let res = report(
        &app,
        json!({ "school": "alma-school", "page": "/s/beta-school/lessons/1", "reason": "other",
            "details": "Чужая страница тут ни при чём" }),
    )
    .await;
    assert_eq!(error_fields(&res.json()), ["page"]);
    let res = report(
        &app,
        json!({ "school": "nobody-school", "reason": "other", "details": "Такой школы нет вовсе" }),
    )
    .await;
    assert_eq!(res.status, 404, "{}", res.text);

    let res = report(
        &app,
        json!({ "school": "alma-school", "page": lesson, "reason": "copyright",
            "details": "Урок скопирован из моей книги без разрешения.",
            "name": "Арман", "email": "Reporter@Example.kz" }),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["number"], "C-1");
    let mail = app.mail_to("reporter@example.kz").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].subject.contains("C-1"), "{}", mail[0].subject);
    // The form does the same, and says the number.
    let res = app
        .browser()
        .post_form(
            "/s/alma-school/report",
            &[
                ("page", "/s/alma-school/"),
                ("reason", "illegal"),
                ("details", "На главной странице реклама казино."),
            ],
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert!(res.text.contains("C-2"), "{}", res.text);

    // The compliance queue; other roles have none.
    let first = officer(&app, "first@educenter.test").await;
    let admin = app
        .token_for("admin@educenter.test", crate::harness::ADMIN_PASSWORD, None)
        .await;
    assert_eq!(
        app.call("GET", "/api/v1/operator/cases", &admin, None)
            .await
            .status,
        403
    );
    let queue = app
        .call("GET", "/api/v1/operator/cases", &first, None)
        .await
        .items();
    let c1 = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["number"] == "C-1")
        .unwrap()
        .clone();
    assert_eq!(c1["tenant_id"], alma_id.as_str());
    assert_eq!(c1["target_kind"], "lesson");
    assert_eq!(c1["status"], "open");
    let id = c1["id"].as_str().unwrap().to_owned();
    let case = format!("/api/v1/operator/cases/{id}");
    let detail = app.call("GET", &case, &first, None).await.json();
    assert_eq!(detail["views"], json!([]));

    // The content, read through the case, is recorded as seen by this officer.
    let res = app
        .call("GET", &format!("{case}/content"), &first, None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["shows"], "lesson");
    assert!(res.json()["html"].as_str().unwrap().contains("Текст"));
    assert_eq!(
        app.call("GET", &format!("{case}/content"), &admin, None)
            .await
            .status,
        403
    );
    let detail = app.call("GET", &case, &first, None).await.json();
    let views = detail["views"].as_array().unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0]["target_id"], course.lessons[0].as_str());
    // The page shows the content too, and records that view as well.
    let officer_browser = app.browser();
    officer_browser
        .sign_in("first@educenter.test", "Records-2027!", "")
        .await;
    let page = officer_browser
        .get(&format!("/operator/cases/{id}/content"))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Текст"), "{}", page.text);
    let detail = app.call("GET", &case, &first, None).await.json();
    assert_eq!(detail["views"].as_array().unwrap().len(), 2);

    // Closing: a report cannot be answered by disclosure; a block closes the cabinet.
    let close = format!("{case}/close");
    let res = app
        .call(
            "POST",
            &close,
            &first,
            Some(json!({ "outcome": "disclosed", "note": "Не тот случай" })),
        )
        .await;
    assert_eq!(error_fields(&res.json()), ["outcome"]);
    let res = app
        .call(
            "POST",
            &close,
            &first,
            Some(json!({ "outcome": "blocked", "note": "Нарушение авторских прав подтверждено" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["outcome"], "blocked");
    // A closed case is no standing reason to read the school's content.
    assert_eq!(
        app.call("GET", &format!("{case}/content"), &first, None)
            .await
            .status,
        409
    );
    let res = app
        .call("GET", "/api/v1/courses", &alma.owner_token, None)
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    let res = app
        .call(
            "POST",
            &close,
            &first,
            Some(json!({ "outcome": "no_action", "note": "Ещё раз" })),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);

    // Five reports from one address, then one every ten minutes.
    for i in 0..3 {
        let res = report(
            &app,
            json!({ "school": "alma-school", "reason": "other",
                "details": format!("Жалоба номер {i} на сайт школы") }),
        )
        .await;
        assert_eq!(res.status, 201, "{}", res.text);
    }
    let res = report(
        &app,
        json!({ "school": "alma-school", "reason": "other", "details": "Шестая жалоба подряд" }),
    )
    .await;
    assert_eq!(res.status, 429, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn a_complaint_shows_the_consent_or_none_and_disclosure_enters_the_register() {
    let app = TestApp::builder()
        .clock("2026-04-06T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    // A student who consented to the school's mailings at sign-up.
    let res = app
        .browser()
        .post_form(
            "/s/alma-school/signup",
            &[
                ("full_name", "Ринат Ахметов"),
                ("email", "consented@example.kz"),
                ("password", crate::learning::STUDENT_PASSWORD),
                ("privacy", "on"),
                ("marketing", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let first = officer(&app, "first@educenter.test").await;

    let complaint = |email: &str| {
        json!({ "tenant_id": alma_id, "name": "Ринат", "email": email,
            "evidence": "From: news@alma.kz\nSubject: Скидки!\n\nКупите курс.",
            "campaign_ref": "C-77", "received_on": "2026-04-05" })
    };
    let mut bad = complaint("not-an-address");
    bad["received_on"] = json!("2026-04-07");
    let res = app
        .call("POST", "/api/v1/operator/cases", &first, Some(bad))
        .await;
    assert_eq!(error_fields(&res.json()), ["email", "received_on"]);

    let res = app
        .call(
            "POST",
            "/api/v1/operator/cases",
            &first,
            Some(complaint("consented@example.kz")),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let detail = app
        .call("GET", &format!("/api/v1/operator/cases/{id}"), &first, None)
        .await
        .json();
    assert_eq!(detail["consents"].as_array().unwrap().len(), 1, "{detail}");

    let res = app
        .call(
            "POST",
            "/api/v1/operator/cases",
            &first,
            Some(complaint("r@example.kz")),
        )
        .await;
    let case = res.json();
    let id = case["id"].as_str().unwrap().to_owned();
    let detail = app
        .call("GET", &format!("/api/v1/operator/cases/{id}"), &first, None)
        .await
        .json();
    assert_eq!(detail["consents"], json!([]), "none: no consent on record");
    // A complaint has no content to read.
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/operator/cases/{id}/content"),
            &first,
            None
        )
        .await
        .status,
        404
    );

    let res = app
        .call(
            "POST",
            &format!("/api/v1/operator/cases/{id}/close"),
            &first,
            Some(json!({ "outcome": "disclosed", "note": "Согласия нет, сообщаем данные школы" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mail = app.mail_to("r@example.kz").await;
    assert_eq!(mail.len(), 1);
    let number = case["number"].as_str().unwrap();
    assert!(mail[0].subject.contains(number), "{}", mail[0].subject);
    assert!(mail[0].text.contains("owner@alma.kz"), "{}", mail[0].text);
    let register = app
        .call("GET", "/api/v1/operator/disclosures", &first, None)
        .await
        .items();
    let entry = register
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "complaint")
        .expect("a register entry")
        .clone();
    assert_eq!(entry["case_id"], id.as_str());
    assert_eq!(entry["authority"], "r@example.kz");
    assert_eq!(entry["reference"], number);
    let sha = entry["package_sha256"].as_str().unwrap().to_owned();
    let package = app
        .call(
            "GET",
            &format!(
                "/api/v1/operator/disclosures/{}/package",
                entry["id"].as_str().unwrap()
            ),
            &first,
            None,
        )
        .await;
    assert_eq!(package.status, 200, "{}", package.text);
    assert_eq!(package.headers["x-content-sha256"], sha.as_str());
    let doc: Value = serde_json::from_str(&package.text).unwrap();
    assert_eq!(doc["licensee"]["owner_email"], "owner@alma.kz");
    app.stop().await;
}
