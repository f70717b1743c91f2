//! Issue 18, item 7: the register of force majeure. An event of the platform
//! with onset 2025-07-01 has its deadline on 2025-07-11 and, told on 07-02, is in time; a
//! school's notice on 07-15 for a 07-01 onset is flagged late, unless communication was
//! restored on 07-10; a PDF certificate the owner attaches is downloaded by the compliance
//! officer; either side asks the other for evidence by e-mail.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{TestApp, error_fields},
    learning::upload,
};

async fn operator(
    app: &TestApp,
    email: &str,
    role: educenter_domain::roles::OperatorRole,
) -> String {
    given::operator_token(app, email, role, "Weather-2027!").await
}

#[tokio::test]
async fn notices_are_due_in_ten_days_documents_are_attached_and_evidence_asked_for() {
    use educenter_domain::roles::OperatorRole;
    let app = TestApp::builder()
        .clock("2025-07-02T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let beta = given::beta(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let infra = operator(&app, "infra@educenter.test", OperatorRole::Infrastructure).await;
    let compliance = operator(&app, "rules@educenter.test", OperatorRole::Compliance).await;

    // Bad input names its fields; the compliance officer reads the register but records nothing.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/force-majeure",
            &infra,
            Some(json!({ "onset_on": "2025-07-03", "description": "Пожар" })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        error_fields(&res.json()),
        ["onset_on", "description", "schools"]
    );
    let event = json!({ "onset_on": "2025-07-01", "schools": ["all"],
        "description": "Пожар в центре обработки данных в Алматы, серверы отключены." });
    let res = app
        .call(
            "POST",
            "/api/v1/operator/force-majeure",
            &compliance,
            Some(event.clone()),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/force-majeure",
            &infra,
            Some(event),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let platform = res.json();
    assert_eq!(platform["deadline"], "2025-07-11");
    assert_eq!(platform["notice_on"], "2025-07-02");
    assert_eq!(platform["late"], false);
    // Every school's owner is told at once.
    for owner in ["owner@alma.kz", "owner@beta.kz"] {
        let mail = app.mail_to(owner).await;
        assert!(
            mail.iter().any(|m| m.text.contains("2025-07-01")),
            "{owner}: {:?}",
            mail.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
    }
    let platform_id = platform["id"].as_str().unwrap().to_owned();

    // The school's own notice on 07-15 of a 07-01 onset is late; with communication restored on
    // 07-10 it is not.
    app.set_clock("2025-07-15T10:00:00+05:00").await;
    let owner = alma.sign_in(&app).await;
    let infra = app
        .token_for("infra@educenter.test", "Weather-2027!", None)
        .await;
    let compliance = app
        .token_for("rules@educenter.test", "Weather-2027!", None)
        .await;
    let res = app
        .call(
            "POST",
            "/api/v1/force-majeure",
            &owner,
            Some(json!({ "onset_on": "2025-07-01",
                "description": "Наводнение: учебный центр затоплен, занятия остановлены." })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let late = res.json();
    assert_eq!(late["deadline"], "2025-07-11");
    assert_eq!(late["late"], true);
    assert!(
        app.mail_to("info@educenter.kz")
            .await
            .iter()
            .any(|m| m.subject.contains("School alma-school") && m.text.contains("2025-07-11")),
        "the support address is told"
    );
    let res = app
        .call(
            "POST",
            "/api/v1/force-majeure",
            &owner,
            Some(
                json!({ "onset_on": "2025-07-01", "communication_restored_on": "2025-07-10",
                "description": "Наводнение: связи не было до 10 июля." }),
            ),
        )
        .await;
    assert_eq!(res.json()["deadline"], "2025-07-20");
    assert_eq!(res.json()["late"], false);
    let notice = late["id"].as_str().unwrap().to_owned();

    // The owner sees the platform's event and the school's notices; another school sees
    // neither of Alma's notices.
    let mine = app
        .call("GET", "/api/v1/force-majeure", &owner, None)
        .await
        .items();
    assert_eq!(mine.as_array().unwrap().len(), 3, "{mine}");
    let beta_owner = beta.sign_in(&app).await;
    let theirs = app
        .call("GET", "/api/v1/force-majeure", &beta_owner, None)
        .await
        .items();
    assert_eq!(theirs.as_array().unwrap().len(), 1, "{theirs}");
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/force-majeure/{notice}"),
            &beta_owner,
            None
        )
        .await
        .status,
        404
    );

    // A PDF certificate attached by the owner is downloaded by the compliance officer.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let media: Value = upload(&app, &owner, "spravka.pdf", pdf.clone(), None).await;
    let media_id = media["id"].as_str().unwrap();
    let res = app
        .call(
            "POST",
            &format!("/api/v1/force-majeure/{platform_id}/files"),
            &owner,
            Some(json!({ "media_id": media_id })),
        )
        .await;
    assert_eq!(
        res.status, 403,
        "only to the school's own notice: {}",
        res.text
    );
    let res = app
        .call(
            "POST",
            &format!("/api/v1/force-majeure/{notice}/files"),
            &beta_owner,
            Some(json!({ "media_id": media_id })),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    let res = app
        .call(
            "POST",
            &format!("/api/v1/force-majeure/{notice}/files"),
            &owner,
            Some(json!({ "media_id": media_id })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let file = res.json()["files"][0]["id"].as_str().unwrap().to_owned();
    // The school deleting the file from its media keeps the register's copy.
    let res = app
        .call("DELETE", &format!("/api/v1/media/{media_id}"), &owner, None)
        .await;
    assert!(res.status < 300, "{}", res.text);
    let res = app
        .send(
            app.client
                .get(app.url(&format!(
                    "/api/v1/operator/force-majeure/{notice}/files/{file}"
                )))
                .bearer_auth(&compliance),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.headers["content-type"], "application/pdf");
    assert_eq!(res.text.as_bytes(), pdf.as_slice());

    // Evidence: the platform asks the school about its notice, the school the platform about
    // its event; not the other way round.
    let ask = |path: String, token: &str| {
        let token = token.to_owned();
        let app = &app;
        async move {
            app.call(
                "POST",
                &path,
                &token,
                Some(json!({ "note": "Справка МЧС, пожалуйста" })),
            )
            .await
        }
    };
    let res = ask(
        format!("/api/v1/operator/force-majeure/{notice}/request-evidence"),
        &infra,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.json()["evidence_requested_at"].is_string());
    assert!(
        app.mail_to("owner@alma.kz")
            .await
            .iter()
            .any(|m| m.text.contains("Справка МЧС")),
    );
    let res = ask(
        format!("/api/v1/operator/force-majeure/{platform_id}/request-evidence"),
        &infra,
    )
    .await;
    assert_eq!(res.status, 409, "{}", res.text);
    let res = ask(
        format!("/api/v1/force-majeure/{platform_id}/request-evidence"),
        &owner,
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        app.mail_to("info@educenter.kz")
            .await
            .iter()
            .any(|m| m.text.contains("Справка МЧС")),
    );

    // An event naming schools: a school sees it, not which other schools it names.
    let beta_id = app.tenant_of(&beta_owner).await.to_string();
    let res = app
        .call(
            "POST",
            "/api/v1/operator/force-majeure",
            &infra,
            Some(
                json!({ "onset_on": "2025-07-14", "schools": [alma_id, beta_id],
                "description": "Отключение электричества в двух городах." }),
            ),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["schools"].as_array().unwrap().len(), 2);
    let named = res.json()["id"].as_str().unwrap().to_owned();
    let seen = app
        .call(
            "GET",
            &format!("/api/v1/force-majeure/{named}"),
            &owner,
            None,
        )
        .await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    assert_eq!(seen.json()["schools"], json!([]));

    // The register, as the compliance officer reads it: the late notice is flagged.
    let register = app
        .call("GET", "/api/v1/operator/force-majeure", &compliance, None)
        .await
        .items();
    let flagged: Vec<&Value> = register
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["late"] == true)
        .collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0]["tenant_id"], alma_id.as_str());
    app.stop().await;
}
