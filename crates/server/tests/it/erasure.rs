//! Issue 18, item 4: deleting a person erases their personal data at once. A
//! student deleted by the school, a student who deletes their own account, and a staff member
//! the owner removes: each is gone from pages and API at once, and no column of any table
//! holds their e-mail or name any more (so neither does the next backup set, a copy of the
//! database); the audit trail keeps a pseudonymous id.

use educenter_store::sqlx;
use serde_json::json;

use crate::{given, harness::TestApp, learning::STUDENT_PASSWORD};

/// Every column of every table that holds `needle`, as `table.column`.
pub(crate) async fn traces(app: &TestApp, needle: &str) -> Vec<String> {
    let shape = educenter_store::schema::shape(app.store()).await.unwrap();
    let mut conn = app.store().conn().await.unwrap();
    let mut found = Vec::new();
    for (table, columns) in &shape {
        for column in columns.keys() {
            let sql = format!(
                "SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1"
            );
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(format!("%{needle}%"))
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
    }
    found
}

/// A student who signs up on Alma's site under a name of their own, gives the marketing
/// consent, and enrols in `course`; returns their id and their browser.
async fn student<'a>(
    app: &'a TestApp,
    email: &str,
    name: &str,
    course: &str,
) -> (String, crate::harness::Browser<'a>) {
    let b = app.browser();
    let res = b
        .post_form(
            "/s/alma-school/signup",
            &[
                ("full_name", name),
                ("email", email),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
                ("marketing", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let res = b
        .post_form(&format!("/s/alma-school/courses/{course}/enrol"), &[])
        .await;
    assert!(res.status == 303, "{}", res.text);
    let mut conn = app.store().conn().await.unwrap();
    let tenant = educenter_store::tenancy::by_slug(&mut conn, "alma-school")
        .await
        .unwrap()
        .unwrap();
    let id = educenter_store::accounts::find_by_email(&mut conn, &tenant.id, email)
        .await
        .unwrap()
        .expect("the student")
        .id
        .into_string();
    (id, b)
}

#[tokio::test]
async fn a_student_the_school_deletes_is_erased_at_once_everywhere() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    let school = given::alma(&app).await;
    let owner = school.owner_token.clone();
    let course = given::open_course(&app, &owner, "Алгебра").await;
    let (id, b) = student(&app, "zhanar.erase@mail.kz", "Жанар Эрасурова", &course.id).await;
    let lesson = &course.lessons[0];
    let res = b
        .post_form(&format!("/s/alma-school/lessons/{lesson}/complete"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let group = app
        .call(
            "POST",
            "/api/v1/groups",
            &owner,
            Some(json!({ "name": "Вечерняя" })),
        )
        .await
        .json();
    let gid = group["id"].as_str().unwrap();
    let res = app
        .call(
            "POST",
            &format!("/api/v1/groups/{gid}/members"),
            &owner,
            Some(json!({ "user_id": id })),
        )
        .await;
    assert!(res.status < 300, "{}", res.text);
    app.drain().await;
    assert!(!traces(&app, "zhanar.erase@mail.kz").await.is_empty());

    // A teacher may not delete; a wrong id is a 404; another school's owner finds nothing.
    let teacher = given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/students/{id}"),
            &teacher.token,
            None,
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);
    let beta = given::beta(&app).await;
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/students/{id}"),
            &beta.owner_token,
            None,
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    let res = app
        .call("DELETE", "/api/v1/students/nobody", &owner, None)
        .await;
    assert_eq!(res.status, 404, "{}", res.text);

    let res = app
        .call("DELETE", &format!("/api/v1/students/{id}"), &owner, None)
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    // Gone from the API and the pages at once; a second delete finds nothing.
    assert_eq!(
        app.call("GET", &format!("/api/v1/students/{id}"), &owner, None)
            .await
            .status,
        404
    );
    let list = app.call("GET", "/api/v1/students", &owner, None).await;
    assert!(!list.text.contains(&id), "{}", list.text);
    let enrolments = app
        .call(
            "GET",
            &format!("/api/v1/courses/{}/enrolments", course.id),
            &owner,
            None,
        )
        .await;
    assert!(!enrolments.text.contains(&id), "{}", enrolments.text);
    assert_eq!(
        app.call("DELETE", &format!("/api/v1/students/{id}"), &owner, None)
            .await
            .status,
        404
    );
    let cabinet = app.browser();
    cabinet
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = cabinet.get("/cabinet/students").await;
    assert!(!page.text.contains("Эрасурова"), "{}", page.text);
    assert_eq!(
        cabinet.get(&format!("/cabinet/students/{id}")).await.status,
        404
    );
    // Their session ended with them.
    assert_ne!(b.get("/s/alma-school/my").await.status, 200);
    // No column of any table holds their e-mail or their name.
    assert_eq!(
        traces(&app, "zhanar.erase@mail.kz").await,
        Vec::<String>::new()
    );
    assert_eq!(traces(&app, "Эрасурова").await, Vec::<String>::new());
    // The audit trail says a student was deleted, under the id alone.
    let mut conn = app.store().conn().await.unwrap();
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'learner.delete' AND target_id = $1",
    )
    .bind(&id)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(n, 1);
    drop(conn);
    // The e-mail may sign up again, as a new student.
    let res = app
        .browser()
        .post_form(
            "/s/alma-school/signup",
            &[
                ("full_name", "Жанар"),
                ("email", "zhanar.erase@mail.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn in_the_cabinet_deleting_a_student_takes_the_tick() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    let school = given::alma(&app).await;
    let course = given::open_course(&app, &school.owner_token, "Алгебра").await;
    let (id, _) = student(&app, "dana.erase@mail.kz", "Дана Эрасова", &course.id).await;
    let cabinet = app.browser();
    cabinet
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = cabinet.get(&format!("/cabinet/students/{id}")).await;
    assert!(page.text.contains("id=\"delete-student\""), "{}", page.text);
    // Without the tick nothing changes.
    let res = cabinet
        .post_form(&format!("/cabinet/students/{id}/delete"), &[])
        .await;
    assert_eq!(res.status, 303);
    let page = cabinet.get(&format!("/cabinet/students/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("flash-error"), "{}", page.text);
    let res = cabinet
        .post_form(
            &format!("/cabinet/students/{id}/delete"),
            &[("confirm", "on")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.header("location"), "/cabinet/students");
    assert_eq!(
        cabinet.get(&format!("/cabinet/students/{id}")).await.status,
        404
    );
    assert_eq!(
        traces(&app, "dana.erase@mail.kz").await,
        Vec::<String>::new()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_student_deletes_their_own_account_with_their_password() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    let school = given::alma(&app).await;
    let course = given::open_course(&app, &school.owner_token, "Алгебра").await;
    let (id, b) = student(&app, "ruslan.erase@mail.kz", "Руслан Эрасов", &course.id).await;
    let profile = b.get("/s/alma-school/profile").await;
    assert!(
        profile.text.contains("id=\"delete-account-form\""),
        "{}",
        profile.text
    );
    // A wrong password: said beside the field, nothing changes.
    let res = b
        .post_form(
            "/s/alma-school/profile/delete",
            &[("password", "Wrong-2027!")],
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("field-error"), "{}", res.text);
    assert_eq!(b.get("/s/alma-school/my").await.status, 200);
    let res = b
        .post_form(
            "/s/alma-school/profile/delete",
            &[("password", STUDENT_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), "/s/alma-school/");
    assert_ne!(b.get("/s/alma-school/my").await.status, 200);
    assert_eq!(
        app.call(
            "GET",
            &format!("/api/v1/students/{id}"),
            &school.owner_token,
            None
        )
        .await
        .status,
        404
    );
    assert_eq!(
        traces(&app, "ruslan.erase@mail.kz").await,
        Vec::<String>::new()
    );
    assert_eq!(traces(&app, "Эрасов").await, Vec::<String>::new());
    // The e-mail and password sign in no more.
    let res = b
        .post_form(
            "/s/alma-school/login",
            &[
                ("email", "ruslan.erase@mail.kz"),
                ("password", STUDENT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn a_removed_staff_member_is_erased_and_may_be_invited_anew() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00Z")
        .start()
        .await;
    let school = given::alma(&app).await;
    let owner = school.owner_token.clone();
    let teacher = given::staff(&app, &school, "marat.erase@alma.kz", "teacher").await;
    app.drain().await;
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/staff/{}", teacher.id),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/courses", &teacher.token, None)
            .await
            .status,
        401
    );
    let staff = app.call("GET", "/api/v1/staff", &owner, None).await;
    assert!(!staff.text.contains("marat.erase"), "{}", staff.text);
    assert_eq!(
        traces(&app, "marat.erase@alma.kz").await,
        Vec::<String>::new()
    );
    // Invited again, they are a new account.
    let again = given::staff(&app, &school, "marat.erase@alma.kz", "teacher").await;
    assert_ne!(again.id, teacher.id);
    app.stop().await;
}

#[tokio::test]
async fn an_archived_student_waits_30_days_in_the_trash_then_is_erased() {
    let app = TestApp::builder()
        .clock("2026-03-02T09:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).licence(3).await;
    let owner = school.owner_token.clone();
    let course = given::open_course(&app, &owner, "Алгебра").await;
    let (id, b) = student(&app, "aigul.archive@mail.kz", "Айгуль Архивова", &course.id).await;
    let path = format!("/api/v1/courses/{}/enrolments", course.id);
    let enrolled = async |app: &TestApp, token: String| {
        app.call("GET", &path, &token, None)
            .await
            .text
            .contains(&id)
    };
    assert!(enrolled(&app, owner.clone()).await);

    let res = app
        .call(
            "POST",
            &format!("/api/v1/students/{id}/archive"),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    // Out of the lists, signed out, and no sign-in; the data is kept.
    assert!(
        !app.call("GET", "/api/v1/students", &owner, None)
            .await
            .text
            .contains(&id)
    );
    assert!(!enrolled(&app, owner.clone()).await);
    assert_ne!(b.get("/s/alma-school/my").await.status, 200);
    let res = app
        .browser()
        .post_form(
            "/s/alma-school/login",
            &[
                ("email", "aigul.archive@mail.kz"),
                ("password", STUDENT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 401, "{}", res.text);
    assert!(!traces(&app, "Архивова").await.is_empty());
    // The learners' trash lists them with the day they are erased.
    let trash = app
        .call("GET", "/api/v1/students/archived", &owner, None)
        .await
        .items();
    assert_eq!(trash[0]["id"], id.as_str());
    assert_eq!(trash[0]["erased_on"], "2026-04-02");
    let cabinet = app.browser();
    cabinet
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = cabinet.get("/cabinet/trash").await;
    assert!(page.text.contains("Айгуль Архивова"), "{}", page.text);

    // Restored from the trash page: back with the course.
    let res = cabinet
        .post_form(&format!("/cabinet/trash/student/{id}/restore"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert!(enrolled(&app, owner.clone()).await);
    let back = app.browser();
    let res = back
        .post_form(
            "/s/alma-school/login",
            &[
                ("email", "aigul.archive@mail.kz"),
                ("password", STUDENT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);

    // Archived again on 3 March: still restorable on 1 April, erased by the run of 2 April.
    app.set_clock("2026-03-03T09:00:00+05:00").await;
    let owner = school.sign_in(&app).await;
    let res = app
        .call(
            "POST",
            &format!("/api/v1/students/{id}/archive"),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.set_clock("2026-04-02T08:00:00+05:00").await;
    assert!(
        !traces(&app, "Архивова").await.is_empty(),
        "not before its thirtieth day"
    );
    app.set_clock("2026-04-03T09:00:00+05:00").await;
    assert_eq!(traces(&app, "Архивова").await, Vec::<String>::new());
    assert_eq!(
        traces(&app, "aigul.archive@mail.kz").await,
        Vec::<String>::new()
    );
    let owner = school.sign_in(&app).await;
    assert!(
        app.call("GET", "/api/v1/students/archived", &owner, None)
            .await
            .items()
            .as_array()
            .unwrap()
            .is_empty()
    );
    let res = app
        .call(
            "POST",
            &format!("/api/v1/students/{id}/restore"),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    app.stop().await;
}

#[tokio::test]
async fn a_deleted_school_closes_at_once_may_be_undone_and_is_purged_after_14_days_with_its_files()
{
    let app = TestApp::builder()
        .clock("2026-03-02T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).licence(3).await;
    let owner = school.owner_token.clone();
    let teacher = given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    let tenant = school.tenant_id(&app).await;
    crate::learning::upload(
        &app,
        &owner,
        "notes.txt",
        b"the school's notes".to_vec(),
        None,
    )
    .await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 1);
    let course = given::open_course(&app, &owner, "Алгебра").await;
    student(
        &app,
        "pupil.deleted@mail.kz",
        "Пупиль Удалёнова",
        &course.id,
    )
    .await;
    app.drain().await;

    // A wrong password, or the address not typed out, is refused beside its field.
    let ask = |password: &str, confirm: &str| json!({ "password": password, "confirm": confirm });
    for (body, field) in [
        (ask("Wrong-2027!", "alma-school"), "password"),
        (ask(crate::harness::OWNER_PASSWORD, "alma"), "confirm"),
    ] {
        let res = app
            .call("POST", "/api/v1/school/deletion", &owner, Some(body))
            .await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(crate::harness::error_fields(&res.json()), [field]);
    }
    assert_eq!(
        app.call("GET", "/api/v1/courses", &teacher.token, None)
            .await
            .status,
        200
    );
    // Staff may not delete the school.
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion",
            &teacher.token,
            Some(ask("Teacher-2027!", "alma-school")),
        )
        .await;
    assert_eq!(res.status, 403, "{}", res.text);

    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion",
            &owner,
            Some(ask(crate::harness::OWNER_PASSWORD, "alma-school")),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    assert_eq!(res.json()["purge_on"], "2026-03-16");
    // Closed at once: staff are out, the licence is over, the owner keeps the contract page.
    assert_ne!(
        app.call("GET", "/api/v1/courses", &teacher.token, None)
            .await
            .status,
        200
    );
    assert_eq!(
        app.call("GET", "/api/v1/license", &owner, None)
            .await
            .json()["state"],
        "terminated"
    );
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion",
            &owner,
            Some(ask(crate::harness::OWNER_PASSWORD, "alma-school")),
        )
        .await;
    assert_eq!(res.status, 409, "{}", res.text);
    let mail = app.mail_to("owner@alma.kz").await;
    assert!(mail[0].text.contains("16"), "{}", mail[0].text);
    let cabinet = app.browser();
    cabinet
        .sign_in(
            "owner@alma.kz",
            crate::harness::OWNER_PASSWORD,
            "alma-school",
        )
        .await;
    let page = cabinet.get("/cabinet/contract").await;
    assert!(
        page.text.contains("id=\"deletion-pending\""),
        "{}",
        page.text
    );

    // Undone from the contract page: the purge day passes and nothing is deleted.
    let res = cabinet.post_form("/cabinet/deletion/undo", &[]).await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/school/deletion", &owner, None)
            .await
            .status,
        404
    );
    app.set_clock("2026-03-17T06:00:00+05:00").await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 1);
    assert!(!traces(&app, "pupil.deleted@mail.kz").await.is_empty());

    // Deleted again; the day before its purge day everything is there, on it nothing is.
    let owner = school.sign_in(&app).await;
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion",
            &owner,
            Some(ask(crate::harness::OWNER_PASSWORD, "alma-school")),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    assert_eq!(res.json()["purge_on"], "2026-03-31");
    app.set_clock("2026-03-30T23:00:00+05:00").await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 1);
    app.set_clock("2026-03-31T06:00:00+05:00").await;
    app.drain().await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 0);
    assert_eq!(
        traces(&app, "pupil.deleted@mail.kz").await,
        Vec::<String>::new()
    );
    assert_eq!(traces(&app, "asel@alma.kz").await, Vec::<String>::new());
    app.stop().await;
}

#[tokio::test]
async fn the_owner_may_have_a_deleted_school_purged_at_once() {
    let app = TestApp::builder()
        .clock("2026-03-02T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).await;
    let owner = school.owner_token.clone();
    let tenant = school.tenant_id(&app).await;
    crate::learning::upload(
        &app,
        &owner,
        "notes.txt",
        b"the school's notes".to_vec(),
        None,
    )
    .await;
    // Nothing to purge before a deletion is asked for.
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion/purge",
            &owner,
            Some(json!({ "password": crate::harness::OWNER_PASSWORD })),
        )
        .await;
    assert_eq!(res.status, 404, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion",
            &owner,
            Some(json!({ "password": crate::harness::OWNER_PASSWORD, "confirm": "alma-school" })),
        )
        .await;
    assert_eq!(res.status, 202, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion/purge",
            &owner,
            Some(json!({ "password": "Wrong-2027!" })),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    let res = app
        .call(
            "POST",
            "/api/v1/school/deletion/purge",
            &owner,
            Some(json!({ "password": crate::harness::OWNER_PASSWORD })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    app.drain().await;
    assert_eq!(app.stored_objects(tenant.as_str()).await.len(), 0);
    // Signed out with everyone.
    assert_eq!(
        app.call("GET", "/api/v1/school/deletion", &owner, None)
            .await
            .status,
        401
    );
    app.stop().await;
}
