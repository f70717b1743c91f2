//! Issue 15, item 9: what the texts promise exists. An expired verification link gets a new
//! one (from its own page, the cabinet or the API); an invitation not yet accepted can be sent
//! again; invoice lines read in the reader's language.

use serde_json::json;

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp},
};

#[tokio::test]
async fn an_expired_verification_link_gets_a_new_one() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let old = app.mail_to("owner@alma.kz").await[0].links[0].clone();
    let old_path = old.trim_start_matches("http://127.0.0.1").to_owned();
    let token = old.split("token=").nth(1).unwrap().to_owned();
    app.advance(7, 0, 1).await;
    // The expired link's page offers a new link, sent without signing in.
    let page = app.get(&old_path).await;
    assert_eq!(page.status, 410);
    assert!(
        page.text.contains("id=\"verify-resend-form\""),
        "{}",
        page.text
    );
    let res = app
        .send(
            app.client
                .post(app.url("/verify-email/resend"))
                .form(&[("token", token.as_str())]),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // The new links, in the order sent (the list comes newest first, in no order within one
    // instant of the test clock).
    let resent = |mail: Vec<crate::harness::SentMail>| -> Vec<String> {
        mail.into_iter()
            .filter(|m| m.subject == "Подтвердите адрес e-mail на EduCenter")
            .map(|m| m.links[0].trim_start_matches("http://127.0.0.1").to_owned())
            .collect()
    };
    let first = resent(app.mail_to("owner@alma.kz").await);
    assert_eq!(first.len(), 1);
    let fresh = first[0].clone();
    // The cabinet says the address is not verified, and sends a link too; the one before stops
    // working.
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let cabinet = b.get("/cabinet").await;
    assert!(cabinet.text.contains("id=\"unverified-banner\""));
    let res = b.post_form("/cabinet/verify-email", &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let links = resent(app.mail_to("owner@alma.kz").await);
    assert_eq!(links.len(), 2);
    let newest = links.into_iter().find(|l| *l != fresh).unwrap();
    assert_eq!(
        app.get(&fresh).await.status,
        410,
        "an earlier link stops working"
    );
    assert_eq!(app.get(&newest).await.status, 200);
    assert!(
        !b.get("/cabinet")
            .await
            .text
            .contains("id=\"unverified-banner\"")
    );
    // Through the API, once verified: 409.
    let owner = alma.sign_in(&app).await;
    let res = app
        .call("POST", "/api/v1/me/verification", &owner, None)
        .await;
    assert_eq!(
        res.problem(409)["detail"],
        "the e-mail address is verified already"
    );
    // An unknown token: nothing is sent.
    let res = app
        .send(
            app.client
                .post(app.url("/verify-email/resend"))
                .form(&[("token", "nonsense")]),
        )
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(resent(app.mail_to("owner@alma.kz").await).len(), 2);
    drop(b);
    app.stop().await;
}

#[tokio::test]
async fn an_invitation_not_yet_accepted_is_sent_again() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let a = &app;
    let invite = |owner: String| async move {
        a.call(
            "POST",
            "/api/v1/staff",
            &owner,
            Some(json!({ "email": "asel@alma.kz", "full_name": "Асель", "role": "teacher" })),
        )
        .await
    };
    assert_eq!(invite(alma.owner_token.clone()).await.status, 201);
    app.advance(8, 0, 0).await;
    let owner = alma.sign_in(&app).await;
    // The link expired; inviting the same address again sends a fresh one.
    let res = invite(owner.clone()).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let mail = app.mail_to("asel@alma.kz").await;
    assert_eq!(mail.len(), 2);
    // Newest first (the clock moved between them).
    let second = mail[0].links[0].split("token=").nth(1).unwrap().to_owned();
    let first = mail[1].links[0].split("token=").nth(1).unwrap().to_owned();
    let accept = |token: String| {
        app.send(
            app.client
                .post(app.url("/invitation"))
                .form(&[("token", token.as_str()), ("password", "Teacher-2027!")]),
        )
    };
    assert_eq!(accept(first).await.status, 410);
    assert_eq!(accept(second).await.status, 200);
    // Accepted: inviting again is a conflict, as before.
    assert_eq!(invite(owner).await.status, 409);
    app.stop().await;
}

#[tokio::test]
async fn invoice_lines_read_in_the_readers_language() {
    let app = TestApp::builder()
        .clock("2027-01-20T05:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).licence(1).await;
    let (owner, invoice) = (alma.owner_token, alma.invoice);
    let id = invoice["id"].as_str().unwrap().to_owned();
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let page = b.get(&format!("/cabinet/billing/invoices/{id}")).await;
    assert!(
        page.text.contains("Лицензия «Старт», 1 мес."),
        "{}",
        page.text
    );
    b.get("/lang/kk").await;
    let page = b.get(&format!("/cabinet/billing/invoices/{id}")).await;
    assert!(
        page.text.contains("«Старт» лицензиясы, 1 ай"),
        "{}",
        page.text
    );
    // Programs name their language; without one, English.
    let res = app
        .send(
            app.client
                .get(app.url(&format!("/api/v1/invoices/{id}")))
                .bearer_auth(&owner)
                .header("accept-language", "kk"),
        )
        .await;
    assert_eq!(
        res.json()["lines"][0]["description"],
        "«Старт» лицензиясы, 1 ай"
    );
    let res = app
        .call("GET", &format!("/api/v1/invoices/{id}"), &owner, None)
        .await;
    assert_eq!(
        res.json()["lines"][0]["description"],
        "Licence \"Start\", 1 mo."
    );
    drop(b);
    app.stop().await;
}
