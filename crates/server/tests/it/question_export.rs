//! Issue 19, item 2: the question bank exported to Moodle XML and read back as it was.

use educenter_services::question_bank::{Item, moodle_xml};
use serde_json::{Value, json};

use crate::question_bank::{categories, fixture, import, named};
use crate::{given, harness::TestApp};

/// A question as the API shows it, without what names its place in one school's bank.
fn content_of(q: &Value) -> Value {
    let mut q = q.clone();
    if let Some(o) = q.as_object_mut() {
        for k in ["id", "category_id", "category", "created_at", "updated_at"] {
            o.remove(k);
        }
    }
    q
}

#[tokio::test]
async fn the_bank_exports_as_moodle_xml_that_imports_back_as_it_was() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let gift = String::from_utf8(fixture("gift/questions.gift.txt")).unwrap();
    let res = import(
        &app,
        &owner,
        json!({ "format": "gift", "category": "Экспорт/Из GIFT", "content": gift,
                "skip_invalid": true }),
    )
    .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let imported = res.json()["questions"].as_array().unwrap().clone();
    assert!(imported.len() >= 8, "{} imported", imported.len());
    // Another category stays out of a category's export.
    let other = import(
        &app,
        &owner,
        json!({ "format": "gift", "category": "Другое", "content": "::Прочее:: Да? {T}" }),
    )
    .await;
    assert_eq!(other.status, 201, "{}", other.text);

    let (status, kind, xml) = app
        .download("/api/v1/question-bank/export?category=Экспорт", &owner)
        .await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("application/xml"), "{kind}");
    let xml = String::from_utf8(xml).unwrap();
    assert!(xml.contains("$course$/top/Экспорт/Из GIFT"), "{xml}");
    assert!(!xml.contains("Прочее"));
    // Read back in-process, then imported by another school: the same questions.
    let items = moodle_xml::read_file(xml.as_bytes()).unwrap();
    let read = items
        .iter()
        .filter(|i| matches!(i, Item::Question(_)))
        .count();
    assert_eq!(read, imported.len());
    let beta = given::beta(&app).await.owner_token;
    let back = import(
        &app,
        &beta,
        json!({ "format": "moodle_xml", "content": xml }),
    )
    .await;
    assert_eq!(back.status, 201, "{}", back.text);
    let again = back.json()["questions"].as_array().unwrap().clone();
    assert_eq!(again.len(), imported.len());
    for q in &imported {
        let twin = again
            .iter()
            .find(|a| a["name"] == q["name"])
            .unwrap_or_else(|| panic!("{} not imported back", q["name"]));
        assert_eq!(content_of(twin), content_of(q), "{}", q["name"]);
    }
    assert!(named(&categories(&app, &beta).await, "Из GIFT").is_some());
    // The whole bank, and a category that is not there.
    let (_, _, all) = app.download("/api/v1/question-bank/export", &owner).await;
    assert!(String::from_utf8(all).unwrap().contains("Прочее"));
    let missing = app
        .call(
            "GET",
            "/api/v1/question-bank/export?category=Нет",
            &owner,
            None,
        )
        .await;
    assert_eq!(missing.status, 404, "{}", missing.text);
    // The cabinet's link.
    let browser = app.browser();
    browser
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = browser.get("/cabinet/questions").await;
    assert!(page.text.contains("id=\"questions-export\""));
    let file = browser.get("/cabinet/questions/export").await;
    assert_eq!(file.status, 200);
    assert!(file.text.starts_with("<?xml"));
    app.stop().await;
}
