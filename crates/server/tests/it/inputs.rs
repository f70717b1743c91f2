//! Issue 15, item 12: inputs as people type them. Kazakh phone numbers in the local way, CSV
//! files as spreadsheets save them (Russian or Kazakh headers, `;` or `,`, UTF-8 with or without
//! a BOM, Windows-1251) with rows numbered as the spreadsheet shows them, e-mails without a
//! domain refused, and storage shown in the unit typed (a gigabyte is 10^9 bytes).

use serde_json::json;
use sqlx::Row;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, error_fields, signup_body},
};

async fn phone_of(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query("SELECT phone FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get("phone")
}

#[tokio::test]
async fn kazakh_phone_numbers_are_taken_as_typed_and_stored_in_e164() {
    let app = TestApp::start().await;
    // Sign-up through the API with the local form.
    let res = app
        .post_json(
            "/api/v1/signup",
            &signup_body(
                "alma-school",
                "123456789013",
                "owner@alma.kz",
                "8 701 123 45 67",
            ),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        phone_of(&app, "owner@alma.kz").await.as_deref(),
        Some("+77011234567")
    );
    // The sign-up form, with brackets and hyphens.
    let page = app.browser();
    let res = page
        .post_form(
            "/signup",
            &[
                ("org_name", "Beta"),
                ("kind", "legal_entity"),
                ("bin_iin", "900101300007"),
                ("resident", "on"),
                ("full_name", "Бота Серикова"),
                ("email", "owner@beta.kz"),
                ("phone", "+7 (702) 765-43-21"),
                ("password", OWNER_PASSWORD),
                ("slug", "beta-school"),
                ("accept_offer", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(
        phone_of(&app, "owner@beta.kz").await.as_deref(),
        Some("+77027654321")
    );
    // A student added by hand, in eleven digits.
    let owner = app
        .token_for("owner@alma.kz", OWNER_PASSWORD, Some("alma-school"))
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/students",
            &owner,
            Some(json!({ "full_name": "Дана", "email": "dana@mail.kz", "phone": "87071234567" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        phone_of(&app, "dana@mail.kz").await.as_deref(),
        Some("+77071234567")
    );
    // Not a phone, and an e-mail without a domain: refused beside the field.
    let res = app
        .call(
            "POST",
            "/api/v1/students",
            &owner,
            Some(json!({ "full_name": "Ерлан", "email": "erlan@mail", "phone": "8701" })),
        )
        .await;
    let mut fields = error_fields(&res.problem(422));
    fields.sort();
    assert_eq!(fields, ["email", "phone"]);
    drop(page);
    app.stop().await;
}

/// Windows-1251 bytes of a text (Cyrillic and ASCII only).
fn cp1251(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
            'Ё' => 0xA8,
            'ё' => 0xB8,
            c if c.is_ascii() => c as u8,
            other => panic!("{other} is not in this table"),
        })
        .collect()
}

#[tokio::test]
async fn csv_files_import_as_spreadsheets_save_them() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let send = |body: Vec<u8>| {
        app.send(
            app.client
                .post(app.url("/api/v1/students/import"))
                .bearer_auth(&owner)
                .header("content-type", "text/csv")
                .body(body),
        )
    };
    // Excel in Kazakhstan: Windows-1251, semicolons, Russian headers.
    let file = cp1251(
        "ФИО;Электронная почта;Телефон;Группа\nДана Серикова;dana@mail.kz;8 701 111 22 33;10-А\n",
    );
    let res = send(file).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let students = app
        .call("GET", "/api/v1/students", &owner, None)
        .await
        .items();
    let dana = students
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == "dana@mail.kz")
        .unwrap()
        .clone();
    assert_eq!(dana["full_name"], "Дана Серикова");
    assert_eq!(
        phone_of(&app, "dana@mail.kz").await.as_deref(),
        Some("+77011112233")
    );
    // UTF-8 with a BOM, commas, Kazakh headers.
    let mut file = b"\xef\xbb\xbf".to_vec();
    file.extend(
        "Аты-жөні,Электрондық пошта,Телефон,Топ\nАрман Бекұлы,arman@mail.kz,,10-Б\n".as_bytes(),
    );
    let res = send(file).await;
    assert_eq!(res.status, 201, "{}", res.text);
    // Refused rows, numbered as the spreadsheet shows them (the header is row 1).
    let res = send(
        "ФИО;E-mail\nЕрлан;erlan@mail\nАсель;asel@mail.kz\nДана;dana@mail.kz\n"
            .as_bytes()
            .to_vec(),
    )
    .await;
    assert_eq!(
        error_fields(&res.problem(422)),
        ["rows[2].email", "rows[4].email"]
    );
    // The cabinet's form takes the file itself.
    let page = app.browser();
    page.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(cp1251(
                "ФИО;E-mail\nАйгерим;aigerim@mail\nБота;bota@mail.kz\nБота;bota@mail.kz\n",
            ))
            .file_name("students.csv")
            .mime_str("text/csv")
            .unwrap(),
        )
        .text("csv", "");
    let res = app
        .send(
            page.client
                .post(app.url("/cabinet/students/import"))
                .multipart(form),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text
            .contains("Строка 2, «E-mail»: Укажите адрес e-mail с доменом"),
        "{}",
        res.text
    );
    assert!(
        res.text
            .contains("Строка 4, «E-mail»: этот e-mail уже есть в строке 3."),
        "{}",
        res.text
    );
    // The file's text comes back readable in the form.
    assert!(res.text.contains("Айгерим;aigerim@mail"));
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(cp1251("ФИО;E-mail\nБота;bota@mail.kz\n"))
            .file_name("students.csv"),
    );
    let res = app
        .send(
            page.client
                .post(app.url("/cabinet/students/import"))
                .multipart(form),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    drop(page);
    app.stop().await;
}

#[tokio::test]
async fn storage_shows_in_the_unit_typed() {
    let app = TestApp::start().await;
    let page = app.browser();
    page.sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
        .await;
    let res = page
        .post_form(
            "/operator/billing/plans",
            &[
                ("code", "big"),
                ("name_ru", "Большой"),
                ("name_kk", "Үлкен"),
                ("name_en", "Big"),
                ("limit_students", "1000"),
                ("limit_staff", "50"),
                ("limit_storage_gb", "100"),
                ("limit_courses", "500"),
                ("effective_from", "2027-01-01"),
                ("price_kzt_1", "90 000,00"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let plans = app.get("/api/v1/plans").await.items();
    let big = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == "big")
        .unwrap()
        .clone();
    assert_eq!(big["limits"]["storage_bytes"], 100_000_000_000i64);
    let pricing = app.get("/pricing").await;
    assert!(pricing.text.contains("100 ГБ"), "{}", pricing.text);
    drop(page);
    app.stop().await;
}
