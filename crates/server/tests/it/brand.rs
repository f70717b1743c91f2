//! Issue 17, item 2: the school's own face. Its people set the name students see, a colour that
//! stays readable, a description, contacts and links; the school's site, the pages its students
//! reach from its e-mails and the e-mails themselves carry them, with the platform only in the
//! footer.

use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp, error_fields},
    learning::STUDENT_PASSWORD,
};

const BRAND: &[(&str, &str)] = &[
    ("display_name", "Alma Math"),
    ("accent", "#0B5FFF"),
    ("site_description", "Математика для 5–11 классов."),
    ("contact_email", "hello@alma.kz"),
    ("contact_phone", "8 701 123 45 67"),
    ("contact_address", "Алматы, ул. Абая, 1"),
    (
        "social_links",
        "https://instagram.com/almamath\nhttps://t.me/almamath",
    ),
];

#[tokio::test]
async fn the_schools_brand_shows_on_its_site_its_students_pages_and_mail() {
    let app = TestApp::start().await;
    let school = given::alma(&app).await;
    let slug = school.slug;
    let owner = app.browser();
    owner.sign_in("owner@alma.kz", OWNER_PASSWORD, slug).await;
    let form = owner.get("/cabinet/settings/brand").await;
    assert_eq!(form.status, 200);
    // The name students see starts as the name given at sign-up.
    assert!(
        form.text.contains("value=\"School alma-school\""),
        "{}",
        form.text
    );

    // A colour that does not read on white is refused beside the field, and nothing changes.
    let mut bad: Vec<(&str, &str)> = BRAND.to_vec();
    bad[1] = ("accent", "#00AFCA");
    let res = owner.post_form("/cabinet/settings/brand", &bad).await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"accent-error\""), "{}", res.text);
    assert!(res.text.contains("контраст 2.62:1"), "{}", res.text);
    assert!(
        !app.get(&format!("/s/{slug}/"))
            .await
            .text
            .contains("Alma Math")
    );
    let res = owner.post_form("/cabinet/settings/brand", BRAND).await;
    assert_eq!(res.status, 303, "{}", res.text);

    // The site: the name, the colour's stylesheet, the description, contacts and links; the
    // platform in the footer only.
    let home = app.get(&format!("/s/{slug}/")).await.text;
    assert!(home.contains("<h1>Alma Math</h1>"), "{home}");
    assert!(!home.contains("School alma-school"));
    assert!(home.contains(&format!(
        "<link rel=\"stylesheet\" href=\"/s/{slug}/brand.css?v=0b5fff\">"
    )));
    assert!(home.contains("id=\"school-description\">Математика для 5–11 классов.</p>"));
    assert!(home.contains("<a href=\"mailto:hello@alma.kz\">"));
    assert!(home.contains("<a href=\"tel:+77011234567\">"));
    assert!(
        home.contains(
            "<a href=\"https://t.me/almamath\" rel=\"noopener noreferrer me\">Telegram</a>"
        )
    );
    assert_eq!(
        home.matches("EduCenter").count(),
        1,
        "only in the footer: {home}"
    );
    assert!(home.contains("id=\"powered-by\""));
    let css = app.get(&format!("/s/{slug}/brand.css")).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.text.contains("--accent: #0b5fff;"));
    // The change is in the audit trail, the contact address masked.
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let id = app.tenant_of(&school.owner_token).await;
    let overview = app
        .call(
            "GET",
            &format!("/api/v1/operator/tenants/{id}"),
            &admin,
            None,
        )
        .await
        .json();
    let entry = overview["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "school.brand")
        .expect("audited")
        .clone();
    let changes = &entry["details"]["changes"];
    assert_eq!(changes["display_name"]["new"], "Alma Math");
    assert_eq!(changes["contact_email"]["new"], "h***@alma.kz");
    assert_eq!(changes["accent"]["new"], "#0b5fff");

    // A student's welcome mail names the school so, and its link opens on the school's site.
    let student = app.browser();
    let res = student
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "Әлия Нұрланқызы"),
                ("email", "aliya@alma.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let mail = app.mail_to("aliya@alma.kz").await;
    assert_eq!(mail[0].subject, "Добро пожаловать в Alma Math");
    assert!(
        mail[0].text.ends_with("Работает на EduCenter"),
        "{}",
        mail[0].text
    );
    let link = mail[0]
        .links
        .iter()
        .find(|l| l.contains(&format!("/s/{slug}/verify-email?token=")))
        .expect("the verification link on the school's site")
        .clone();
    let path = &link[link.find("/s/").unwrap()..];
    let page = app.get(path).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("Alma Math") && page.text.contains("flash-success"));
    assert!(
        !page.text.contains("href=\"/signup\""),
        "no platform sign-up: {}",
        page.text
    );

    // A forgotten password: the mail and the page are the school's.
    let res = app
        .browser()
        .post_form(&format!("/s/{slug}/reset"), &[("email", "aliya@alma.kz")])
        .await;
    assert!(res.status < 400, "{}", res.text);
    let mail = app.mail_to("aliya@alma.kz").await;
    let reset = mail
        .iter()
        .find(|m| m.subject == "Сброс пароля: Alma Math")
        .expect("the school's reset mail");
    let link = reset
        .links
        .iter()
        .find(|l| l.contains(&format!("/s/{slug}/reset-password?token=")))
        .expect("the reset link on the school's site")
        .clone();
    let path = &link[link.find("/s/").unwrap()..];
    let page = app.get(path).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Alma Math"));
    let token = path.split("token=").nth(1).unwrap();
    let done = app
        .browser()
        .post_form(
            &format!("/s/{slug}/reset-password"),
            &[("token", token), ("password", "Новый-пароль-2027!")],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(
        done.text.contains(&format!("href=\"/s/{slug}/login\"")),
        "{}",
        done.text
    );

    // A student the school adds is invited on its site.
    let res = app
        .call(
            "POST",
            "/api/v1/students",
            &school.owner_token,
            Some(json!({ "full_name": "Ерлан Ахметов", "email": "erlan@mail.kz" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let mail = app.mail_to("erlan@mail.kz").await;
    assert_eq!(mail[0].subject, "Alma Math приглашает вас на обучение");
    let link = mail[0]
        .links
        .iter()
        .find(|l| l.contains(&format!("/s/{slug}/invitation?token=")))
        .expect("the invitation on the school's site")
        .clone();
    let path = &link[link.find("/s/").unwrap()..];
    let page = app.get(path).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("Alma Math") && page.text.contains("brand.css"));
    let token = path.split("token=").nth(1).unwrap();
    let weak = app
        .browser()
        .post_form(
            &format!("/s/{slug}/invitation"),
            &[("token", token), ("password", "short")],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.text.contains("id=\"password-error\"") && weak.text.contains("Alma Math"));
    let accepted = app
        .browser()
        .post_form(
            &format!("/s/{slug}/invitation"),
            &[("token", token), ("password", "Algebra-Lessons-2027!")],
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert!(accepted.text.contains(&format!("href=\"/s/{slug}/login\"")));

    // A teacher does not set the school's face.
    given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    let teacher = app.browser();
    teacher.sign_in("asel@alma.kz", "Teacher-2027!", slug).await;
    assert_eq!(teacher.get("/cabinet/settings/brand").await.status, 403);
    assert_eq!(
        teacher
            .post_form("/cabinet/settings/brand", BRAND)
            .await
            .status,
        403
    );
    // A school without a colour has no stylesheet of its own.
    let beta = given::beta(&app).await;
    assert_eq!(
        app.get(&format!("/s/{}/brand.css", beta.slug)).await.status,
        404
    );
}

/// The brand through the API: read, replaced as a whole, every bad field named with nothing
/// changed, an item holding two links refused, closed to a teacher and to another school's
/// owner, and what was saved is what the school's site wears.
#[tokio::test]
async fn the_brand_is_read_and_replaced_through_the_api() {
    let app = TestApp::start().await;
    let school = given::alma(&app).await;
    let beta = given::beta(&app).await;
    let owner = &school.owner_token;
    let url = "/api/v1/school/brand";

    let first = app.call("GET", url, owner, None).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let first = first.json();
    assert_eq!(first["display_name"], first["legal_name"]);
    assert_eq!(first["accent"], serde_json::Value::Null);
    assert_eq!(first["social_links"], json!([]));

    let good = json!({
        "display_name": "Alma Math",
        "accent": "#0b5fff",
        "description": "Математика для 5–11 классов.",
        "contact_email": "Hello@Alma.kz",
        "contact_phone": "8 701 123 45 67",
        "contact_address": "Алматы, ул. Абая, 1",
        "social_links": ["https://instagram.com/almamath", "https://t.me/almamath"],
    });
    let saved = app.call("PUT", url, owner, Some(good)).await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let saved = saved.json();
    assert_eq!(saved["display_name"], "Alma Math");
    assert_eq!(saved["accent"], "#0b5fff");
    assert_eq!(saved["contact_email"], "hello@alma.kz");
    assert_eq!(saved["contact_phone"], "+77011234567");
    assert_eq!(
        saved["social_links"],
        json!(["https://instagram.com/almamath", "https://t.me/almamath"])
    );
    assert_eq!(app.call("GET", url, owner, None).await.json(), saved);

    // Yellow on white reads at 1.07:1; an empty name, a bad e-mail and a http link are each
    // named, and nothing changes.
    let bad = app
        .call(
            "PUT",
            url,
            owner,
            Some(json!({
                "display_name": " ", "accent": "#ffff00", "contact_email": "not-mail",
                "social_links": ["http://example.kz"],
            })),
        )
        .await;
    let mut fields = error_fields(&bad.problem(422));
    fields.sort();
    assert_eq!(
        fields,
        ["accent", "contact_email", "display_name", "social_links"]
    );
    assert!(bad.text.contains("1.07"), "{}", bad.text);
    let two_in_one = app
        .call(
            "PUT",
            url,
            owner,
            Some(json!({
                "display_name": "Alma",
                "social_links": ["https://t.me/a\nhttps://t.me/b"],
            })),
        )
        .await;
    assert_eq!(error_fields(&two_in_one.problem(422)), ["social_links"]);
    assert_eq!(app.call("GET", url, owner, None).await.json(), saved);

    // A teacher may not set the school's face; another school reads its own.
    let teacher = given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    assert_eq!(app.call("GET", url, &teacher.token, None).await.status, 403);
    let put = app
        .call(
            "PUT",
            url,
            &teacher.token,
            Some(json!({ "display_name": "X" })),
        )
        .await;
    assert_eq!(put.status, 403, "{}", put.text);
    let theirs = app.call("GET", url, &beta.owner_token, None).await.json();
    assert_ne!(theirs["display_name"], "Alma Math");

    // A field left out is cleared: the site loses its colour and links.
    let bare = app
        .call(
            "PUT",
            url,
            owner,
            Some(json!({ "display_name": "Alma Math" })),
        )
        .await;
    assert_eq!(bare.status, 200, "{}", bare.text);
    assert_eq!(bare.json()["accent"], serde_json::Value::Null);
    let home = app.get(&format!("/s/{}/", school.slug)).await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("Alma Math") && !home.text.contains("t.me/almamath"));
    assert!(
        !home.text.contains("brand.css"),
        "no accent, no brand style"
    );
}
