//! Issue 17, item 2: the school's own face. Its people set the name students see, a colour that
//! stays readable, a description, contacts and links; the school's site, the pages its students
//! reach from its e-mails and the e-mails themselves carry them, with the platform only in the
//! footer.

use serde_json::json;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp},
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
