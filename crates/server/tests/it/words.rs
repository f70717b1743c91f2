//! Issue 15, items 9 and 10: people read words in their language. The rendered pages of a
//! school with a paid licence, and refusals, in Russian, Kazakh and English, carry no
//! requirement ids, raw states or codes (snake_case), ISO months or dates, raw JSON, and (in
//! Russian and Kazakh) none of the service layer's English.

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, Res, TestApp},
};

/// The text a person sees: tags, scripts and styles removed, entities kept as written.
fn visible(html: &str) -> String {
    let mut out = html.to_owned();
    // Scripts and styles are no words; a text area holds what people type, in the format
    // they type it (dates one per line).
    for tag in ["script", "style", "textarea"] {
        let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
        while let Some(i) = out.find(&open) {
            let end = out[i..]
                .find(&close)
                .map_or(out.len(), |j| i + j + close.len());
            out.replace_range(i..end, " ");
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// What is wrong with a page's words, if anything.
fn faults(lang: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",;:()«»\"'!?".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    for w in &words {
        let w = w.trim_end_matches('.');
        let b = w.as_bytes();
        // Requirement ids.
        if b.len() > 2 && (b[0] == b'R' || b[0] == b'A') && b[1] == b'-' && b[2].is_ascii_digit() {
            found.push(format!("requirement id {w}"));
        }
        // Raw codes: trial_expired, in_force, tenant.signup.
        if w.contains('_')
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
        {
            found.push(format!("raw code {w}"));
        }
        // ISO months and dates: 2026-12, 2027-01-20 (invoice numbers 2027-000001 are not).
        let parts: Vec<&str> = w.split('-').collect();
        if parts.len() >= 2
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            found.push(format!("ISO date {w}"));
        }
    }
    if text.contains("{\"") {
        found.push("raw JSON".into());
    }
    if lang != "en" {
        for english in [
            "must ",
            "may not",
            "is required",
            "no such",
            "your role",
            "only these roles",
            "Something went wrong",
            "not valid",
            "already",
            "invalid",
        ] {
            if text.contains(english) {
                found.push(format!("English: {english}"));
            }
        }
    }
    found
}

fn check(lang: &str, path: &str, res: &Res, problems: &mut Vec<String>) {
    for f in faults(lang, &visible(&res.text)) {
        problems.push(format!("{lang} {path} ({}): {f}", res.status));
    }
}

#[tokio::test]
async fn pages_in_three_languages_show_words_not_codes() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    let owner_token = given::alma(&app).licence(1).await.owner_token;
    crate::staff::hire(&app, &owner_token, "asel@alma.kz", "teacher").await;
    let admin_token = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let tenant = app
        .call("GET", "/api/v1/operator/tenants?q=alma", &admin_token, None)
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut problems = Vec::new();
    for lang in ["ru", "kk", "en"] {
        let visitor = app.browser();
        visitor.get(&format!("/lang/{lang}")).await;
        for path in [
            "/",
            "/pricing",
            "/signup",
            "/login",
            "/offer",
            "/s/alma-school/",
        ] {
            let res = visitor.get(path).await;
            assert_eq!(res.status, 200, "{path}");
            check(lang, path, &res, &mut problems);
        }
        // A sign-up with every field wrong, in the page's language.
        let res = visitor
            .post_form(
                "/signup",
                &[
                    ("org_name", ""),
                    ("kind", "legal_entity"),
                    ("bin_iin", "123"),
                    ("email", "bad"),
                    ("phone", "1"),
                    ("password", "short"),
                    ("slug", "A_B"),
                ],
            )
            .await;
        assert_eq!(res.status, 422);
        check(lang, "/signup (refused)", &res, &mut problems);

        let owner = app.browser();
        owner.get(&format!("/lang/{lang}")).await;
        owner
            .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
            .await;
        for path in [
            "/cabinet",
            "/cabinet/billing",
            "/cabinet/documents",
            "/cabinet/contract",
            "/cabinet/courses",
            "/cabinet/students",
            "/cabinet/privacy",
        ] {
            let res = owner.get(path).await;
            assert_eq!(res.status, 200, "{lang} {path}: {}", res.text);
            check(lang, path, &res, &mut problems);
        }
        // An invitation with a bad address and no name.
        let res = owner
            .post_form(
                "/cabinet/staff",
                &[("email", "x@y"), ("full_name", ""), ("role", "teacher")],
            )
            .await;
        assert_eq!(res.status, 422);
        check(lang, "/cabinet/staff (refused)", &res, &mut problems);

        // A teacher refused the students' page: the roles that may, in words.
        let teacher = app.browser();
        teacher.get(&format!("/lang/{lang}")).await;
        teacher
            .sign_in("asel@alma.kz", "Teacher-2027!", "alma-school")
            .await;
        let res = teacher.get("/cabinet/students").await;
        assert_eq!(res.status, 403);
        check(lang, "/cabinet/students (teacher)", &res, &mut problems);

        let admin = app.browser();
        admin.get(&format!("/lang/{lang}")).await;
        admin
            .sign_in("admin@educenter.test", ADMIN_PASSWORD, "")
            .await;
        for path in [
            "/operator".to_owned(),
            format!("/operator/tenants/{tenant}"),
            "/operator/billing".to_owned(),
            "/operator/documents".to_owned(),
            "/operator/staff".to_owned(),
            "/operator/calendar/2027".to_owned(),
        ] {
            let res = admin.get(&path).await;
            assert_eq!(res.status, 200, "{lang} {path}: {}", res.text);
            check(lang, &path, &res, &mut problems);
        }
        let res = admin.get("/operator/operations").await;
        assert_eq!(res.status, 403);
        check(
            lang,
            "/operator/operations (super-admin)",
            &res,
            &mut problems,
        );
        drop((visitor, owner, teacher, admin));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    app.stop().await;
}
