//! Issue 6, third part: teachers limited to their courses, the trash page and its purge job,
//! a group's progress table, resending a student's invitation, course covers and the school's
//! logo on its site, and the embed hosts the operator keeps.

use serde_json::{Value, json};
use sqlx::Row;

use crate::{
    given,
    harness::{ADMIN_PASSWORD, OWNER_PASSWORD, TestApp},
    learning::{STUDENT_PASSWORD, mp4, png, upload},
    staff::hire,
};

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let res = app.call("POST", path, token, Some(body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text);
    res.json()["id"].as_str().unwrap().to_owned()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.store().pool())
        .await
        .unwrap()
        .get::<i64, _>(0)
}

#[tokio::test]
async fn a_teacher_sees_and_edits_only_the_courses_assigned_to_them() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let algebra = given::course(&app, &owner, "Алгебра").create().await.id;
    let given::Staff {
        id: asel,
        token: teacher,
    } = given::staff(&app, &alma, "asel@alma.kz", "teacher").await;
    let buh = hire(&app, &owner, "buh@alma.kz", "accountant").await;

    // Not assigned: the course is not there for her, by list, id, progress or the editor.
    let list = app.call("GET", "/api/v1/courses", &teacher, None).await;
    assert_eq!(list.json(), json!({ "items": [], "next": null }));
    for path in [
        format!("/api/v1/courses/{algebra}"),
        format!("/api/v1/courses/{algebra}/progress"),
        format!("/api/v1/courses/{algebra}/teachers"),
    ] {
        app.call("GET", &path, &teacher, None).await.problem(404);
    }
    app.call(
        "PATCH",
        &format!("/api/v1/courses/{algebra}"),
        &teacher,
        Some(json!({ "title": "Моя" })),
    )
    .await
    .problem(404);
    app.call(
        "POST",
        &format!("/api/v1/courses/{algebra}/modules"),
        &teacher,
        Some(json!({ "title": "М" })),
    )
    .await
    .problem(404);
    let b = app.browser();
    b.sign_in("asel@alma.kz", "Teacher-2027!", "alma-school")
        .await;
    assert_eq!(
        b.get(&format!("/cabinet/courses/{algebra}")).await.status,
        404
    );

    // The owner assigns her; only teachers can be assigned; a teacher cannot assign.
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/courses/{algebra}/teachers"),
            &owner,
            Some(json!({ "user_ids": [buh] })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["user_ids"]
    );
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/courses/{algebra}/teachers"),
            &owner,
            Some(json!({ "user_ids": [asel] })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()[0]["assigned"], true);
    let list = app
        .call("GET", "/api/v1/courses", &teacher, None)
        .await
        .items();
    assert_eq!(list[0]["id"], algebra.as_str());
    let module = created(
        &app,
        &teacher,
        &format!("/api/v1/courses/{algebra}/modules"),
        json!({ "title": "Уравнения" }),
    )
    .await;
    app.call(
        "PUT",
        &format!("/api/v1/courses/{algebra}/teachers"),
        &teacher,
        Some(json!({ "user_ids": [] })),
    )
    .await
    .problem(403);
    let editor = b.get(&format!("/cabinet/courses/{algebra}")).await;
    assert_eq!(editor.status, 200);
    assert!(
        !editor.text.contains("id=\"course-teachers\""),
        "a teacher sees no assignment form"
    );

    // A course she creates is hers at once; the owner sees both.
    let geometry = created(
        &app,
        &teacher,
        "/api/v1/courses",
        json!({ "title": "Геометрия" }),
    )
    .await;
    assert_eq!(
        app.call("GET", "/api/v1/courses", &teacher, None)
            .await
            .items()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Files: she sees hers and those her courses use, not the school's others, and cannot put
    // another's file in her lessons or on her cover.
    let secret = upload(&app, &owner, "secret.mp4", mp4(4096), Some("video")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = upload(&app, &teacher, "mine.mp4", mp4(4096), Some("video")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let files = app
        .call("GET", "/api/v1/media", &teacher, None)
        .await
        .items();
    let ids: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [mine.as_str()]);
    app.call("GET", &format!("/api/v1/media/{secret}"), &teacher, None)
        .await
        .problem(404);
    app.call("DELETE", &format!("/api/v1/media/{secret}"), &teacher, None)
        .await
        .problem(404);
    let geo_module = created(
        &app,
        &teacher,
        &format!("/api/v1/courses/{geometry}/modules"),
        json!({ "title": "Треугольники" }),
    )
    .await;
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{geometry}/lessons"),
            &teacher,
            Some(json!({ "module_id": geo_module, "title": "Видео", "kind": "video", "media_id": secret })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["media_id"]
    );
    created(
        &app,
        &teacher,
        &format!("/api/v1/courses/{geometry}/lessons"),
        json!({ "module_id": geo_module, "title": "Видео", "kind": "video", "media_id": mine }),
    )
    .await;
    let cover = upload(&app, &owner, "cover.png", png(2048), Some("image")).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{geometry}"),
            &teacher,
            Some(json!({ "cover_id": cover })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["cover_id"]
    );
    // The owner's editor page lists her ticked, and the form takes her off again.
    let ob = app.browser();
    ob.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let page = ob.get(&format!("/cabinet/courses/{algebra}")).await;
    assert!(
        page.text.contains(&format!("value=\"{asel}\" checked")),
        "{}",
        page.text
    );
    let res = ob
        .post_form(&format!("/cabinet/courses/{algebra}/teachers"), &[])
        .await;
    assert_eq!(res.status, 303);
    app.call("GET", &format!("/api/v1/courses/{algebra}"), &teacher, None)
        .await
        .problem(404);
    // Her trash holds only what belongs to her courses.
    app.call("DELETE", &format!("/api/v1/modules/{module}"), &owner, None)
        .await;
    app.call(
        "DELETE",
        &format!("/api/v1/courses/{geometry}"),
        &teacher,
        None,
    )
    .await;
    let trash = app
        .call("GET", "/api/v1/trash", &teacher, None)
        .await
        .items();
    assert_eq!(trash.as_array().unwrap().len(), 1, "{trash}");
    assert_eq!(trash[0]["id"], geometry.as_str());
    assert_eq!(
        app.call("GET", "/api/v1/trash", &owner, None)
            .await
            .items()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    app.stop().await;
}

#[tokio::test]
async fn the_trash_page_restores_and_the_daily_job_purges_after_thirty_days() {
    // 2027-03-01 10:00 in Almaty.
    let app = TestApp::builder()
        .clock("2027-03-01T05:00:00Z")
        .start()
        .await;
    let alma = given::alma(&app).licence(3).await;
    let algebra = given::course(&app, &alma.owner_token, "Алгебра")
        .published()
        .self_enrol()
        .module("Уравнения")
        .text_lesson("Первый", "Текст")
        .text_lesson("Второй", "Текст")
        .create()
        .await;
    let (course, lessons) = (algebra.id, algebra.lessons);
    let other = given::course(&app, &alma.owner_token, "Геометрия")
        .create()
        .await
        .id;
    // A student completes the first lesson.
    let s = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course)
        .create()
        .await;
    let student = app
        .token_for("dana@mail.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    assert_eq!(
        s.post_form(
            &format!("/s/alma-school/lessons/{}/complete", lessons[0]),
            &[]
        )
        .await
        .status,
        303
    );
    drop(student);

    // The editor deletes the second lesson and the other course; the trash page lists both and
    // restores the lesson.
    assert_eq!(
        b.post_form(&format!("/cabinet/lessons/{}/delete", lessons[1]), &[])
            .await
            .status,
        303
    );
    let res = b
        .post_form(&format!("/cabinet/courses/{other}/delete"), &[])
        .await;
    assert_eq!(res.header("location"), "/cabinet/trash");
    let trash = b.get("/cabinet/trash").await;
    assert!(
        trash.text.contains("Второй") && trash.text.contains("Геометрия"),
        "{}",
        trash.text
    );
    let res = b
        .post_form(
            &format!("/cabinet/trash/lesson/{}/restore", lessons[1]),
            &[],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(!b.get("/cabinet/trash").await.text.contains("Второй"));
    // Restoring what is not in the trash is "not found", and changes nothing.
    assert_eq!(
        b.post_form(
            &format!("/cabinet/trash/lesson/{}/restore", lessons[1]),
            &[]
        )
        .await
        .status,
        404
    );

    // Ten days later the course with the student's progress goes to the trash too.
    app.advance(10, 0, 0).await;
    let owner = alma.sign_in(&app).await;
    let res = app
        .call("DELETE", &format!("/api/v1/courses/{course}"), &owner, None)
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM courses").await, 2);
    // Day 31 after the first deletion: "Геометрия" is purged, the course of day 10 stays.
    app.advance(21, 0, 0).await;
    assert_eq!(count(&app, "SELECT COUNT(*) FROM courses").await, 1);
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM courses WHERE id = '{other}'")
        )
        .await,
        0
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM lesson_progress").await, 1);
    // Twenty days more: the course goes with its module, lessons, enrolment and progress.
    app.advance(20, 0, 0).await;
    for table in [
        "courses",
        "course_modules",
        "lessons",
        "enrolments",
        "lesson_progress",
    ] {
        assert_eq!(
            count(&app, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_groups_progress_table_and_a_new_invitation_for_a_student_who_has_not_joined() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let algebra = given::course(&app, &owner, "Алгебра")
        .published()
        .module("Уравнения")
        .text_lesson("Первый", "Текст")
        .text_lesson("Второй", "Текст")
        .create()
        .await;
    let (course, lesson) = (algebra.id, algebra.lessons[0].clone());
    let dana = created(
        &app,
        &owner,
        "/api/v1/students",
        json!({ "full_name": "Дана Серикова", "email": "dana@mail.kz", "group": "10-А" }),
    )
    .await;
    let erlan = created(
        &app,
        &owner,
        "/api/v1/students",
        json!({ "full_name": "Ерлан Ахметов", "email": "erlan@mail.kz", "group": "10-А" }),
    )
    .await;
    let groups = app
        .call("GET", "/api/v1/groups", &owner, None)
        .await
        .items();
    let group = groups[0]["id"].as_str().unwrap().to_owned();
    // Before any enrolment the table has no courses.
    let table = app
        .call(
            "GET",
            &format!("/api/v1/groups/{group}/progress"),
            &owner,
            None,
        )
        .await
        .json();
    assert_eq!(table["course_ids"], json!([]));
    assert_eq!(table["students"].as_array().unwrap().len(), 2);
    created(
        &app,
        &owner,
        &format!("/api/v1/courses/{course}/enrolments"),
        json!({ "user_id": dana }),
    )
    .await;

    // Dana never used the first invitation: the owner sends a new one; the old link is dead.
    let first = app.mail_to("dana@mail.kz").await[0].links[0].clone();
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let page = b.get(&format!("/cabinet/students/{dana}")).await;
    assert!(page.text.contains("id=\"resend-invitation\""));
    let res = b
        .post_form(&format!("/cabinet/students/{dana}/invitation"), &[])
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let mail = app.mail_to("dana@mail.kz").await;
    assert_eq!(mail.len(), 2);
    let second = mail[0].links[0].clone();
    assert_ne!(first, second);
    let token = |link: &str| link.split("token=").nth(1).unwrap().to_owned();
    let old = app
        .send(app.client.post(app.url("/invitation")).form(&[
            ("token", token(&first).as_str()),
            ("password", STUDENT_PASSWORD),
        ]))
        .await;
    assert_eq!(old.status, 410);
    // The new one works, and sends the student to the school's site, not the cabinet.
    let accepted = app
        .send(app.client.post(app.url("/invitation")).form(&[
            ("token", token(&second).as_str()),
            ("password", STUDENT_PASSWORD),
        ]))
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert!(
        accepted.text.contains("href=\"/s/alma-school/login\""),
        "{}",
        accepted.text
    );
    // A student with a password gets no invitation: 409, nothing sent.
    app.call(
        "POST",
        &format!("/api/v1/students/{dana}/invitation"),
        &owner,
        None,
    )
    .await
    .problem(409);
    assert_eq!(app.mail_to("dana@mail.kz").await.len(), 2);
    app.call(
        "POST",
        &format!("/api/v1/students/{erlan}/invitation"),
        &owner,
        None,
    )
    .await;
    assert_eq!(app.mail_to("erlan@mail.kz").await.len(), 2);

    // Dana completes one lesson of two.
    let s = app.browser();
    let res = s
        .post_form(
            "/s/alma-school/login",
            &[("email", "dana@mail.kz"), ("password", STUDENT_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(
        s.post_form(&format!("/s/alma-school/lessons/{lesson}/complete"), &[])
            .await
            .status,
        303
    );
    let table = app
        .call(
            "GET",
            &format!("/api/v1/groups/{group}/progress"),
            &owner,
            None,
        )
        .await
        .json();
    assert_eq!(table["course_ids"], json!([course]));
    let row = |id: &str| {
        table["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["user_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        row(&dana)["courses"],
        json!([{ "course_id": course, "done": 1, "required": 2, "complete": false }])
    );
    assert_eq!(row(&erlan)["courses"], json!([]));
    let page = b.get(&format!("/cabinet/groups/{group}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("1/2") && page.text.contains("Ерлан Ахметов"),
        "{}",
        page.text
    );
    // Another school's group is not found.
    app.call("GET", "/api/v1/groups/nope/progress", &owner, None)
        .await
        .problem(404);
    app.stop().await;
}

#[tokio::test]
async fn covers_and_the_logo_show_on_the_schools_site_to_anyone() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let image = upload(&app, &owner, "cover.png", png(2048), Some("image")).await;
    let image_id = image["id"].as_str().unwrap().to_owned();
    let video = upload(&app, &owner, "intro.mp4", mp4(4096), Some("video")).await;
    let course = given::course(&app, &owner, "Алгебра")
        .module("Введение")
        .text_lesson("Первый урок", "Текст")
        .create()
        .await
        .id;
    // Only an image may be a cover or a logo.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{course}"),
            &owner,
            Some(json!({ "cover_id": video["id"] })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["cover_id"]
    );
    let res = app
        .call(
            "PUT",
            "/api/v1/school/logo",
            &owner,
            Some(json!({ "media_id": video["id"] })),
        )
        .await;
    assert_eq!(crate::harness::error_fields(&res.problem(422)), ["logo_id"]);
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{course}"),
            &owner,
            Some(json!({ "cover_id": image_id })),
        )
        .await;
    assert_eq!(res.json()["cover_id"], image_id.as_str());
    // A draft's cover is not public.
    let cover_path = format!("/s/alma-school/courses/{course}/cover");
    assert_eq!(app.get(&cover_path).await.status, 404);
    app.call(
        "PATCH",
        &format!("/api/v1/courses/{course}"),
        &owner,
        Some(json!({ "status": "published" })),
    )
    .await;
    let home = app.get("/s/alma-school/").await;
    assert!(
        home.text.contains(&format!("{cover_path}?v={image_id}")),
        "{}",
        home.text
    );
    let res = app.get(&cover_path).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.header("content-type"), "image/png");
    assert!(res.header("cache-control").starts_with("public"));
    // The logo: none yet, then set, shown in the header of every page.
    assert_eq!(app.get("/s/alma-school/logo").await.status, 404);
    let res = app
        .call(
            "PUT",
            "/api/v1/school/logo",
            &owner,
            Some(json!({ "media_id": image_id })),
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    let home = app.get("/s/alma-school/").await;
    assert!(
        home.text
            .contains(&format!("/s/alma-school/logo?v={image_id}"))
    );
    assert_eq!(app.get("/s/alma-school/logo").await.status, 200);
    // A file in use as a cover or logo cannot be deleted.
    app.call("DELETE", &format!("/api/v1/media/{image_id}"), &owner, None)
        .await
        .problem(409);
    // Removing the cover and the logo takes them off the site; then the file may go.
    app.call(
        "PATCH",
        &format!("/api/v1/courses/{course}"),
        &owner,
        Some(json!({ "cover_id": null })),
    )
    .await;
    // The cabinet's form removes the logo (and its page's title holds no markup).
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let page = b.get("/cabinet/settings/brand").await;
    let title =
        &page.text[page.text.find("<title>").unwrap() + 7..page.text.find("</title>").unwrap()];
    assert!(!title.contains('<'), "{title}");
    assert!(page.text.contains("id=\"remove_logo\""));
    let res = b
        .post_form("/cabinet/school/logo", &[("remove_logo", "on")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(app.get(&cover_path).await.status, 404);
    assert_eq!(app.get("/s/alma-school/logo").await.status, 404);
    assert_eq!(
        app.call("DELETE", &format!("/api/v1/media/{image_id}"), &owner, None)
            .await
            .status,
        204
    );
    app.stop().await;
}

#[tokio::test]
async fn the_operator_keeps_the_hosts_embed_lessons_may_show() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let admin = app
        .token_for("admin@educenter.test", ADMIN_PASSWORD, None)
        .await;
    let algebra = given::course(&app, &owner, "Алгебра")
        .published()
        .module("Уравнения")
        .text_lesson("Вводный урок", "Текст")
        .create()
        .await;
    let (course, module) = (algebra.id, &algebra.modules[0]);
    let embed = json!({
        "module_id": module, "title": "Лекция", "kind": "embed",
        "embed_url": "https://rutube.ru/play/embed/abc",
    });
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{course}/lessons"),
            &owner,
            Some(embed.clone()),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["embed_url"]
    );
    // Only the operator's platform admin changes the list; bad hosts are refused.
    app.call(
        "POST",
        "/api/v1/embed-hosts",
        &owner,
        Some(json!({ "host": "rutube.ru" })),
    )
    .await
    .problem(403);
    let res = app
        .call(
            "POST",
            "/api/v1/embed-hosts",
            &admin,
            Some(json!({ "host": "https://x/" })),
        )
        .await;
    assert_eq!(crate::harness::error_fields(&res.problem(422)), ["host"]);
    let res = app
        .call(
            "POST",
            "/api/v1/embed-hosts",
            &admin,
            Some(json!({ "host": "RuTube.ru" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(
        res.json()["hosts"]
            .as_array()
            .unwrap()
            .contains(&json!("rutube.ru"))
    );
    app.call(
        "POST",
        "/api/v1/embed-hosts",
        &admin,
        Some(json!({ "host": "rutube.ru" })),
    )
    .await
    .problem(409);
    let lesson = created(
        &app,
        &owner,
        &format!("/api/v1/courses/{course}/lessons"),
        embed,
    )
    .await;
    // The preview frames that host alone.
    let b = app.browser();
    b.sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let page = b.get(&format!("/cabinet/lessons/{lesson}/preview")).await;
    assert!(
        page.text
            .contains("src=\"https://rutube.ru/play/embed/abc\""),
        "{}",
        page.text
    );
    assert!(
        page.header("content-security-policy")
            .contains("frame-src https://rutube.ru;")
    );
    // Removed: the player goes from the lesson.
    let res = app
        .call("DELETE", "/api/v1/embed-hosts/rutube.ru", &admin, None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let page = b.get(&format!("/cabinet/lessons/{lesson}/preview")).await;
    assert!(!page.text.contains("rutube.ru/play"));
    // The lesson can still be edited, its link sent back unchanged (as the editor's form does).
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{lesson}"),
            &owner,
            Some(json!({ "title": "Лекция 2", "embed_url": "https://rutube.ru/play/embed/abc" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // A new link to the removed host is refused.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{lesson}"),
            &owner,
            Some(json!({ "embed_url": "https://rutube.ru/play/embed/other" })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["embed_url"]
    );
    // The back-office page lists the hosts and adds one.
    let ob = app.browser();
    let res = ob.sign_in("admin@educenter.test", ADMIN_PASSWORD, "").await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = ob.get("/operator/embeds").await;
    assert!(page.text.contains("player.vimeo.com"));
    let res = ob
        .post_form("/operator/embeds", &[("host", "bad host")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"host-error\""));
    assert_eq!(
        ob.post_form("/operator/embeds", &[("host", "video.example.kz")])
            .await
            .status,
        303
    );
    assert!(
        ob.get("/operator/embeds")
            .await
            .text
            .contains("video.example.kz")
    );
    app.stop().await;
}
