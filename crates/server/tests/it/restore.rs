//! Issue 18, item 2: one school restored from a backup set. After a loss, `live`
//! brings back the rows and files the school lacks, under their own ids, and nothing of a
//! person erased since; `copy` makes the school as the set holds it, beside the live one, for
//! its owner to sign in to.

use educenter_services::backup::{self, Destination};
use serde_json::Value;

use crate::{
    backups::key_and_target,
    given,
    harness::{OWNER_PASSWORD, TestApp},
    learning::upload,
};

async fn bytes_of(app: &TestApp, token: &str, media: &Value) -> Vec<u8> {
    let link = given::media_link(app, token, media).await;
    let res = app.client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.bytes().await.unwrap().to_vec()
}

async fn lessons(app: &TestApp, token: String, id: String) -> Value {
    app.call(
        "GET",
        &format!("/api/v1/courses/{id}/lessons"),
        &token,
        None,
    )
    .await
    .items()
}

/// The first column of every row `sql` (with `$1` bound to `bind`) answers, as text.
async fn strings(app: &TestApp, sql: &'static str, bind: String) -> Vec<String> {
    use sqlx::Row;
    sqlx::query(sql)
        .bind(bind)
        .fetch_all(app.store().pool())
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.try_get::<Option<String>, _>(0)
                .unwrap()
                .unwrap_or_default()
        })
        .collect()
}

async fn execute(app: &TestApp, sql: &str, id: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id.to_owned())
        .execute(app.store().pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_school_comes_back_into_itself_or_as_a_copy_beside_it() {
    let (_dir, key, target) = key_and_target();
    let app = TestApp::builder().backups(&key, &target).start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let tenant = alma.tenant_id(&app).await.to_string();
    let course = given::open_course(&app, &owner, "Алгебра").await;
    let lesson = course.lessons[0].clone();
    let notes = upload(&app, &owner, "notes.txt", b"Alma's notes".to_vec(), None).await;
    let notes_id = notes["id"].as_str().unwrap().to_owned();
    given::student(&app, &alma, "aigerim@alma.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let gone = crate::learning::student_signs_up(&app, "alma-school", "gone@alma.kz").await;
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{}/enrolments", course.id),
            &owner,
            Some(serde_json::json!({ "user_id": gone })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    // The question bank: a category named after its child (PostgreSQL then keeps the parent's
    // row after the child's; a restore puts parents first).
    let bank = serde_json::json!({ "format": "gift", "content":
        "$CATEGORY: Sigma/Tau\n\n::T:: Tau? {T}\n\n$CATEGORY: Sigma\n\n::S:: Sigma? {F}\n" });
    let res = app
        .call("POST", "/api/v1/question-bank/import", &owner, Some(bank))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    execute(
        &app,
        "UPDATE question_categories SET info = 'Sigma' WHERE tenant_id = $1 AND name = 'Sigma'",
        &tenant,
    )
    .await;
    let written = backup::run(app.services()).await.expect("a backup");

    // After the set: the school deletes a student (erased, R-9.3), then a loss takes the
    // lesson, every enrolment, and the file with its bytes.
    let res = app
        .call("DELETE", &format!("/api/v1/students/{gone}"), &owner, None)
        .await;
    assert!(res.status < 300, "{}", res.text);
    execute(
        &app,
        "DELETE FROM lesson_progress WHERE tenant_id = $1",
        &tenant,
    )
    .await;
    execute(&app, "DELETE FROM enrolments WHERE tenant_id = $1", &tenant).await;
    execute(&app, "DELETE FROM lessons WHERE id = $1", &lesson).await;
    execute(
        &app,
        "UPDATE tenants SET logo_id = NULL WHERE id = $1",
        &tenant,
    )
    .await;
    execute(&app, "DELETE FROM media WHERE id = $1", &notes_id).await;
    app.delete_stored(&format!("{tenant}/{notes_id}")).await;
    assert_eq!(
        lessons(&app, owner.clone(), course.id.clone()).await,
        serde_json::json!([])
    );

    let restored = backup::restore_school(app.services(), "alma-school", Destination::Live, None)
        .await
        .expect("a restore");
    assert_eq!(restored.set, written.set);
    assert_eq!(restored.slug, "alma-school");
    let rows: std::collections::HashMap<String, u64> = restored.rows.iter().cloned().collect();
    assert_eq!(rows.get("lessons"), Some(&1), "{rows:?}");
    assert_eq!(rows.get("media"), Some(&1), "{rows:?}");
    // Aigerim's enrolment; nothing of the student erased since.
    assert_eq!(rows.get("enrolments"), Some(&1), "{rows:?}");
    assert_eq!(rows.get("users"), None, "{rows:?}");
    assert_eq!(restored.files, 1);
    let back = lessons(&app, owner.clone(), course.id.clone()).await;
    assert_eq!(back[0]["id"], lesson.as_str(), "{back}");
    assert_eq!(bytes_of(&app, &owner, &notes).await, b"Alma's notes");
    let students = app.call("GET", "/api/v1/students", &owner, None).await.text;
    assert!(
        students.contains("aigerim@alma.kz") && !students.contains("gone@alma.kz"),
        "{students}"
    );
    // Again: nothing is missing any more.
    let again = backup::restore_school(app.services(), "alma-school", Destination::Live, None)
        .await
        .unwrap();
    assert!(again.rows.is_empty(), "{:?}", again.rows);
    assert_eq!(again.files, 0);

    // A copy beside the school, as the set holds it; its people choose new passwords.
    let copy = backup::restore_school(app.services(), "alma-school", Destination::Copy, None)
        .await
        .expect("a copy");
    assert_eq!(copy.slug, format!("alma-school-copy-{}", &written.set[..8]));
    let res = app
        .login("owner@alma.kz", OWNER_PASSWORD, Some(&copy.slug))
        .await;
    assert_eq!(
        res.status, 401,
        "the set's password does not open the copy: {}",
        res.text
    );
    let copy_tenant = strings(
        &app,
        "SELECT id FROM tenants WHERE slug = $1",
        copy.slug.clone(),
    )
    .await;
    let copy_tenant = copy_tenant[0].clone();
    assert_ne!(copy_tenant, tenant);
    let titles = strings(
        &app,
        "SELECT title FROM courses WHERE tenant_id = $1",
        copy_tenant.clone(),
    )
    .await;
    assert_eq!(titles, ["Алгебра"]);
    let questions = strings(
        &app,
        "SELECT name FROM questions WHERE tenant_id = $1 ORDER BY name",
        copy_tenant.clone(),
    )
    .await;
    assert_eq!(questions, ["S", "T"]);
    let copied_lessons = strings(
        &app,
        "SELECT id FROM lessons WHERE tenant_id = $1",
        copy_tenant.clone(),
    )
    .await;
    assert_eq!(copied_lessons.len(), 1);
    assert_ne!(copied_lessons[0], lesson);
    let emails = strings(
        &app,
        "SELECT email FROM users WHERE tenant_id = $1 ORDER BY email",
        copy_tenant.clone(),
    )
    .await;
    // Nobody erased since the set comes back in the copy either.
    assert!(emails.contains(&"aigerim@alma.kz".to_owned()), "{emails:?}");
    assert!(!emails.contains(&"gone@alma.kz".to_owned()), "{emails:?}");
    let passwords = strings(
        &app,
        "SELECT password_hash FROM users WHERE tenant_id = $1 AND password_hash IS NOT NULL",
        copy_tenant.clone(),
    )
    .await;
    assert!(passwords.is_empty());
    let keys = strings(
        &app,
        "SELECT storage_key FROM media WHERE tenant_id = $1 AND filename = 'notes.txt'",
        copy_tenant.clone(),
    )
    .await;
    assert!(keys[0].starts_with(&format!("{copy_tenant}/")), "{keys:?}");
    let copied = app.stored_bytes(&keys[0]).await.expect("the copied file");
    assert_eq!(copied, b"Alma's notes");
    // The live school's own data is untouched by the copy.
    let live_courses = app
        .call("GET", "/api/v1/courses", &owner, None)
        .await
        .items();
    assert_eq!(live_courses.as_array().unwrap().len(), 1);

    let e = backup::restore_school(app.services(), "nobody-school", Destination::Live, None)
        .await
        .unwrap_err();
    assert!(
        format!("{e:#}").contains("no school nobody-school"),
        "{e:#}"
    );
    app.stop().await;
}

/// Every table holding a school's rows is either restored with the school or deliberately left
/// as it is live: a migration that adds one must say which.
#[tokio::test]
async fn every_table_of_a_schools_rows_is_restored_or_deliberately_not() {
    use educenter_store::restore::{NOT_RESTORED, RESTORED};
    let app = TestApp::start().await;
    let shape = educenter_store::schema::shape(app.store()).await.unwrap();
    for (table, columns) in &shape {
        if !columns.contains_key("tenant_id") {
            continue;
        }
        let restored = RESTORED.contains(&table.as_str());
        let kept = NOT_RESTORED.contains(&table.as_str());
        assert!(
            restored ^ kept,
            "{table} holds a school's rows: list it in store::restore::RESTORED or NOT_RESTORED"
        );
    }
    for table in RESTORED.iter().chain(NOT_RESTORED) {
        assert!(shape.contains_key(*table), "{table} is not a table");
    }
    app.stop().await;
}
