//! Issue 18, item 3: the export of a school. The owner asks for it; a background job builds a
//! ZIP that opens and holds every entity (JSON Lines and CSV), the invoices and acts as PDFs and
//! every uploaded file, listed in its manifest with their checksums; the signed link is
//! e-mailed, works for 7 days without a sign-in, and only for that export.

use std::io::Read;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{given, harness::TestApp};

/// The ZIP's entries: name -> bytes.
pub(crate) fn entries(zip: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).expect("a ZIP that opens");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        out.insert(file.name().to_owned(), bytes);
    }
    out
}

#[tokio::test]
async fn the_owner_exports_the_school_as_a_zip_of_every_entity_document_and_file() {
    let app = TestApp::builder()
        .clock("2027-04-07T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).licence(1).await;
    given::beta(&app).await;
    given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    // The April act is drawn up on 1 May.
    app.set_clock("2027-05-01T10:00:00+05:00").await;
    let owner = school.sign_in(&app).await;
    let course = given::course(&app, &owner, "Дроби")
        .published()
        .self_enrol()
        .module("Модуль 1")
        .text_lesson("Урок 1", "Числитель и знаменатель дроби")
        .create()
        .await;
    let notes = b"the school's own notes".to_vec();
    let file = crate::learning::upload(&app, &owner, "notes.txt", notes.clone(), None).await;
    let student = given::student(&app, &school, "export.pupil@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let res = student
        .post_form(
            &format!("/s/alma-school/lessons/{}/complete", course.lessons[0]),
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let teacher = app
        .token_for("asel@alma.kz", given::STAFF_PASSWORD, Some("alma-school"))
        .await;

    // Only the owner asks; one export at a time.
    let res = app.call("POST", "/api/v1/exports", &teacher, None).await;
    assert_eq!(res.status, 403, "{}", res.text);
    let res = app.call("POST", "/api/v1/exports", &owner, None).await;
    assert_eq!(res.status, 202, "{}", res.text);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(res.json()["status"], "queued");
    assert_eq!(
        app.call("POST", "/api/v1/exports", &owner, None)
            .await
            .status,
        409
    );
    let beta = school_owner_of_beta(&app).await;
    assert_eq!(
        app.call("GET", &format!("/api/v1/exports/{id}"), &beta, None)
            .await
            .status,
        404
    );

    app.drain().await;
    let status = app
        .call("GET", &format!("/api/v1/exports/{id}"), &owner, None)
        .await
        .json();
    assert_eq!(status["status"], "ready", "{status}");
    assert_eq!(status["progress"], 100);
    let url = status["download_url"].as_str().unwrap().to_owned();
    assert!(app.mail_to("owner@alma.kz").await[0].text.contains(&url));

    // The link needs no sign-in, and works only as signed.
    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let zip = res.bytes().await.unwrap().to_vec();
    let tampered = url.replace("&s=", "&s=00");
    assert_eq!(
        app.client
            .get(app.url(&tampered))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    let files = entries(&zip);
    for entity in [
        "school",
        "courses",
        "modules",
        "lessons",
        "students",
        "staff",
        "groups",
        "enrolments",
        "progress",
        "consents",
        "files",
        "contracts",
        "invoices",
        "invoice_lines",
        "payments",
        "acts",
        "act_lines",
    ] {
        assert!(
            files.contains_key(&format!("{entity}.jsonl")),
            "{entity}.jsonl"
        );
        assert!(files.contains_key(&format!("{entity}.csv")), "{entity}.csv");
    }
    let text = |name: &str| String::from_utf8(files[name].clone()).unwrap();
    assert!(text("lessons.jsonl").contains("Числитель и знаменатель дроби"));
    assert!(text("students.jsonl").contains("export.pupil@mail.kz"));
    assert!(text("students.csv").contains("export.pupil@mail.kz"));
    assert!(text("staff.jsonl").contains("asel@alma.kz"));
    assert!(
        !text("students.jsonl").contains("password"),
        "no password hash"
    );
    assert_eq!(text("progress.jsonl").lines().count(), 1);
    assert_eq!(text("enrolments.jsonl").lines().count(), 1);
    // Nothing of the other school.
    assert!(
        !files
            .values()
            .any(|b| String::from_utf8_lossy(b).contains("beta-school"))
    );
    let pdfs = |dir: &str| {
        files
            .iter()
            .filter(|(n, b)| n.starts_with(dir) && b.starts_with(b"%PDF"))
            .count()
    };
    assert!(
        pdfs("invoices/") >= 1,
        "{:?}",
        files.keys().collect::<Vec<_>>()
    );
    assert!(pdfs("acts/") >= 1, "{:?}", files.keys().collect::<Vec<_>>());
    let file_id = file["id"].as_str().unwrap();
    assert_eq!(files[&format!("files/{file_id}/notes.txt")], notes);
    // The manifest lists every file with its size and SHA-256.
    let manifest: Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), files.len() - 1);
    for f in listed {
        let bytes = &files[f["path"].as_str().unwrap()];
        assert_eq!(f["sha256"], hex::encode(Sha256::digest(bytes)));
        assert_eq!(f["bytes"], bytes.len());
    }
    assert_eq!(manifest["entities"]["students"], 1);

    // Seven days on the link has expired.
    app.set_clock("2027-05-08T10:01:00+05:00").await;
    let owner = school.sign_in(&app).await;
    let status = app
        .call("GET", &format!("/api/v1/exports/{id}"), &owner, None)
        .await
        .json();
    assert_eq!(status["status"], "expired");
    assert!(status["download_url"].is_null());
    assert_eq!(
        app.client.get(app.url(&url)).send().await.unwrap().status(),
        410
    );
    // The contract page offers a new one.
    let cabinet = app.browser();
    cabinet
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = cabinet.get("/cabinet/contract").await;
    assert!(page.text.contains("id=\"export-form\""), "{}", page.text);
    let res = cabinet.post_form("/cabinet/export", &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = cabinet.get("/cabinet/contract").await;
    assert!(
        page.text.contains("id=\"export-progress\""),
        "{}",
        page.text
    );
    app.stop().await;
}

async fn school_owner_of_beta(app: &TestApp) -> String {
    app.token_for(
        "owner@beta.kz",
        crate::harness::OWNER_PASSWORD,
        Some("beta-school"),
    )
    .await
}

#[tokio::test]
async fn a_student_downloads_their_own_data_from_their_profile() {
    let app = TestApp::builder()
        .clock("2026-03-02T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).await;
    let course = given::open_course(&app, &school.owner_token, "Дроби").await;
    let student = given::student(&app, &school, "my.data@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let profile = student.get("/s/alma-school/profile").await;
    assert!(
        profile.text.contains("id=\"my-data-json\""),
        "{}",
        profile.text
    );
    let res = student.get("/s/alma-school/profile/data.json").await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-disposition").contains("attachment"));
    let doc: Value = serde_json::from_str(&res.text).unwrap();
    assert_eq!(doc["account"][0]["email"], "my.data@mail.kz");
    assert!(doc["account"][0].get("password_hash").is_none());
    assert_eq!(doc["enrolments"].as_array().unwrap().len(), 1);
    assert!(!doc["consents"].as_array().unwrap().is_empty());
    let csv = student.get("/s/alma-school/profile/data.csv").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.text.starts_with("entity,row,field,value"),
        "{}",
        csv.text
    );
    assert!(
        csv.text.contains("account,1,email,my.data@mail.kz"),
        "{}",
        csv.text
    );
    // Signed out, there is nothing to download.
    let res = app.get("/s/alma-school/profile/data.json").await;
    assert_eq!(res.status, 303);
    app.stop().await;
}
