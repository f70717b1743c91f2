//! Issue 18, item 2: data-loss incidents. With the licensor at fault a loss
//! confirmed on Tuesday 29 April 2025 is due to be restored by the end of Monday 5 May (1 May is
//! a holiday, 3 and 4 May a weekend); "technically impossible" needs its reason.

use serde_json::json;

use crate::{
    given,
    harness::{TestApp, error_fields},
};

#[tokio::test]
async fn a_loss_by_the_licensors_fault_is_due_in_three_business_days_or_impossible_with_a_reason() {
    let app = TestApp::builder()
        .clock("2025-04-29T11:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let infra = given::operator_token(
        &app,
        "infra@educenter.test",
        educenter_domain::roles::OperatorRole::Infrastructure,
        "Servers-2027!",
    )
    .await;
    // Only the infrastructure staff keep the incidents.
    let admin = app
        .token_for("admin@educenter.test", crate::harness::ADMIN_PASSWORD, None)
        .await;
    let body = json!({
        "tenant_id": alma_id, "fault": "licensor",
        "description": "Диск с файлами школы вышел из строя", "confirmed_on": "2025-04-29",
    });
    let res = app
        .call(
            "POST",
            "/api/v1/operator/incidents",
            &admin,
            Some(body.clone()),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/operator/incidents",
            &infra,
            Some(json!({ "tenant_id": alma_id, "fault": "nobody", "description": "", "confirmed_on": "29.04.2025" })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(
        error_fields(&res.json()),
        ["fault", "description", "confirmed_on"]
    );

    let res = app
        .call("POST", "/api/v1/operator/incidents", &infra, Some(body))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let incident = res.json();
    assert_eq!(incident["due_on"], "2025-05-05");
    assert_eq!(incident["status"], "open");
    let id = incident["id"].as_str().unwrap();
    // The school's own fault: no deadline.
    let res = app
        .call(
            "POST",
            "/api/v1/operator/incidents",
            &infra,
            Some(json!({ "tenant_id": alma_id, "fault": "licensee", "description": "Курс удалён владельцем", "confirmed_on": "2025-04-29" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert!(res.json()["due_on"].is_null());

    // "Technically impossible" takes a reason; then it is closed for good.
    let close = format!("/api/v1/operator/incidents/{id}/close");
    let res = app
        .call(
            "POST",
            &close,
            &infra,
            Some(json!({ "status": "impossible", "reason": " " })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(error_fields(&res.json()), ["reason"]);
    let res = app
        .call(
            "POST",
            &close,
            &infra,
            Some(json!({ "status": "impossible", "reason": "Все копии за период повреждены" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["status"], "impossible");
    let res = app
        .call(
            "POST",
            &close,
            &infra,
            Some(json!({ "status": "restored" })),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    let list = app
        .call("GET", "/api/v1/operator/incidents", &infra, None)
        .await
        .items();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["status"], "open", "the open one first");
    app.stop().await;
}

#[tokio::test]
async fn the_operations_page_records_and_closes_incidents() {
    let app = TestApp::builder()
        .clock("2025-04-29T11:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let role = educenter_domain::roles::OperatorRole::Infrastructure;
    let infra = given::operator(&app, "infra@educenter.test", role, "Servers-2027!").await;
    let page = infra.get("/operator/operations").await;
    assert!(page.text.contains("id=\"incident-form\""), "{}", page.text);
    let res = infra
        .post_form(
            "/operator/operations/incidents",
            &[
                ("tenant_id", &alma_id),
                ("fault", "licensor"),
                ("description", ""),
                ("confirmed_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text.contains("id=\"description-error\""),
        "{}",
        res.text
    );
    let res = infra
        .post_form(
            "/operator/operations/incidents",
            &[
                ("tenant_id", &alma_id),
                ("fault", "licensor"),
                ("description", "Диск вышел из строя"),
                ("confirmed_on", "2025-04-29"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = infra.get("/operator/operations").await;
    assert!(page.text.contains("Диск вышел из строя"), "{}", page.text);
    let at = page.text.find("/operator/operations/incidents/").unwrap() + 31;
    let id = page.text[at..at + page.text[at..].find('/').unwrap()].to_owned();
    let close = format!("/operator/operations/incidents/{id}/close");
    let res = infra
        .post_form(&close, &[("status", "impossible"), ("reason", "")])
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text.contains(&format!("id=\"close-error-{id}\"")),
        "{}",
        res.text
    );
    let res = infra
        .post_form(&close, &[("status", "restored"), ("reason", "")])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let list = app
        .call(
            "GET",
            "/api/v1/operator/incidents",
            &app.token_for("infra@educenter.test", "Servers-2027!", None)
                .await,
            None,
        )
        .await
        .items();
    assert_eq!(list[0]["status"], "restored");
    app.stop().await;
}
