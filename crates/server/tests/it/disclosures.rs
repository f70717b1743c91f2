//! Issue 18, item 7 (R-2.5b): the register of disclosure requests. A package for school X over
//! a date range holds X's sign-ins with their addresses in that range and nothing of school Y,
//! and cannot be generated before a second compliance officer approves the request.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp, error_fields},
};

async fn compliance_officer(app: &TestApp, email: &str) -> String {
    let role = educenter_domain::roles::OperatorRole::Compliance;
    given::operator_token(app, email, role, "Records-2027!").await
}

#[tokio::test]
async fn a_package_holds_the_schools_sign_ins_in_range_only_and_needs_a_second_approver() {
    let app = TestApp::builder()
        .clock("2026-03-02T10:00:00+05:00")
        .trusted_proxies("127.0.0.0/8")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let beta = given::beta(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let beta_id = beta.tenant_id(&app).await.to_string();
    // Sign-ins on 5 March (in range) and 10 March (out of it).
    app.set_clock("2026-03-05T12:00:00+05:00").await;
    let res = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/login"))
                .header("x-forwarded-for", "203.0.113.7")
                .json(
                    &json!({ "email": "owner@alma.kz", "password": OWNER_PASSWORD,
                    "tenant": "alma-school" }),
                ),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    app.token_for("owner@beta.kz", OWNER_PASSWORD, Some("beta-school"))
        .await;
    app.set_clock("2026-03-10T12:00:00+05:00").await;
    app.token_for("owner@alma.kz", OWNER_PASSWORD, Some("alma-school"))
        .await;

    let first = compliance_officer(&app, "first@educenter.test").await;
    let second = compliance_officer(&app, "second@educenter.test").await;
    let request = json!({
        "tenant_id": alma_id, "authority": "Департамент полиции г. Алматы",
        "reference": "№ 12-3/456", "received_on": "2026-03-10",
        "legal_basis": "ст. 122 УПК РК", "scope": ["access", "people"],
        "from": "2026-03-04", "to": "2026-03-06",
        "school_told": false, "told_note": "Запрет на уведомление в запросе",
    });
    // Bad input names its field; a school's owner and other roles have no register.
    let mut bad = request.clone();
    bad["to"] = json!("2026-03-01");
    bad["scope"] = json!(["everything"]);
    let res = app
        .call("POST", "/api/v1/operator/disclosures", &first, Some(bad))
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(error_fields(&res.json()), ["to", "scope"]);
    let owner = alma.sign_in(&app).await;
    let admin = app
        .token_for("admin@educenter.test", crate::harness::ADMIN_PASSWORD, None)
        .await;
    for token in [&owner, &admin] {
        let res = app
            .call(
                "POST",
                "/api/v1/operator/disclosures",
                token,
                Some(request.clone()),
            )
            .await;
        assert_eq!(res.status, 403, "{}", res.text);
    }

    let res = app
        .call(
            "POST",
            "/api/v1/operator/disclosures",
            &first,
            Some(request),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let id = res.json()["id"].as_str().unwrap().to_owned();
    let package = format!("/api/v1/operator/disclosures/{id}/package");
    let approve = format!("/api/v1/operator/disclosures/{id}/approve");
    // Not without a second approver: the recorder cannot approve, nothing is generated before.
    assert_eq!(app.call("POST", &package, &first, None).await.status, 409);
    assert_eq!(app.call("POST", &approve, &first, None).await.status, 403);
    assert_eq!(app.call("GET", &package, &first, None).await.status, 404);
    let res = app.call("POST", &approve, &second, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(app.call("POST", &approve, &second, None).await.status, 409);
    let res = app.call("POST", &package, &first, None).await;
    assert_eq!(res.status, 201, "{}", res.text);
    let sha = res.json()["package_sha256"].as_str().unwrap().to_owned();
    // Stored once, read-only.
    assert_eq!(app.call("POST", &package, &second, None).await.status, 409);

    let res = app.call("GET", &package, &second, None).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.headers["x-content-sha256"], sha.as_str());
    assert_eq!(hex::encode(Sha256::digest(res.text.as_bytes())), sha);
    let doc: Value = serde_json::from_str(&res.text).unwrap();
    let access = doc["access"].as_array().unwrap();
    let sign_ins: Vec<&Value> = access.iter().filter(|e| e["event"] == "sign_in").collect();
    assert_eq!(sign_ins.len(), 1, "{access:?}");
    // The UTC time and the school's local time (Almaty, UTC+5) of the same instant.
    assert_eq!(sign_ins[0]["at"], "2026-03-05T07:00:00Z");
    assert_eq!(sign_ins[0]["at_local"], "2026-03-05T12:00:00");
    assert_eq!(sign_ins[0]["ip"], "203.0.113.7");
    assert_eq!(sign_ins[0]["actor_kind"], "owner");
    assert!(
        doc["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["email"] == "owner@alma.kz")
    );
    assert!(
        doc["people"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p.get("password_hash").is_none())
    );
    // Nothing of the other school, nothing outside the scope.
    assert!(!res.text.contains("owner@beta.kz") && !res.text.contains(&beta_id));
    assert!(doc.get("content").is_none() && doc.get("learners").is_none());
    // The school's trail, which every operator role reads, does not show that it was asked.
    let trail = app
        .call(
            "GET",
            &format!("/api/v1/operator/tenants/{alma_id}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(trail.status, 200, "{}", trail.text);
    assert!(!trail.text.contains("disclosure"), "{}", trail.text);
    // A request cannot cover days to come.
    let mut later = serde_json::json!({
        "tenant_id": alma_id, "authority": "КНБ", "reference": "№ 2", "received_on": "2026-03-10",
        "legal_basis": "ст. 122 УПК РК", "scope": ["access"], "from": "2026-03-01", "to": "2027-01-01",
    });
    let res = app
        .call(
            "POST",
            "/api/v1/operator/disclosures",
            &first,
            Some(later.clone()),
        )
        .await;
    assert_eq!(error_fields(&res.problem(422)), ["to"]);
    later["to"] = serde_json::json!("2026-03-09");
    assert_eq!(
        app.call("POST", "/api/v1/operator/disclosures", &first, Some(later))
            .await
            .status,
        201
    );
    // The register lists it, approved, with its checksum.
    let list = app
        .call("GET", "/api/v1/operator/disclosures", &first, None)
        .await
        .items();
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id.as_str())
        .expect("the request listed");
    assert_eq!(listed["package_sha256"], sha.as_str());
    assert!(listed["approved_by"].is_string());
    app.stop().await;
}

#[tokio::test]
async fn the_register_works_from_the_back_office() {
    let app = TestApp::builder()
        .clock("2026-03-02T10:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let alma_id = alma.tenant_id(&app).await.to_string();
    let role = educenter_domain::roles::OperatorRole::Compliance;
    let first = given::operator(&app, "aida@educenter.test", role, "Registry-2027!").await;
    let second = given::operator(&app, "bolat@educenter.test", role, "Registry-2027!").await;
    let page = first.get("/operator/disclosures").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("id=\"disclosures-empty\""));
    let mut form = vec![
        ("tenant_id", alma_id.as_str()),
        ("authority", "КНБ РК"),
        ("reference", "№ 7"),
        ("received_on", "2026-03-02"),
        ("legal_basis", "ст. 122 УПК РК"),
        ("from", "2026-03-01"),
        ("to", "2026-03-02"),
    ];
    // Nothing ticked: said beside the boxes, nothing recorded.
    let res = first.post_form("/operator/disclosures", &form).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"scope-error\""), "{}", res.text);
    form.push(("access", "on"));
    let res = first.post_form("/operator/disclosures", &form).await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = first.get("/operator/disclosures").await;
    assert!(
        !page.text.contains("/approve\""),
        "the recorder has no approve button"
    );
    let page = second.get("/operator/disclosures").await;
    let at = page.text.find("/operator/disclosures/").unwrap() + 22;
    let id = page.text[at..at + page.text[at..].find('/').unwrap()].to_owned();
    let res = second
        .post_form(&format!("/operator/disclosures/{id}/approve"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let res = first
        .post_form(&format!("/operator/disclosures/{id}/package"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let res = first
        .get(&format!("/operator/disclosures/{id}/package"))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let doc: Value = serde_json::from_str(&res.text).unwrap();
    assert!(
        doc["access"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["event"] == "sign_in")
    );
    app.stop().await;
}
