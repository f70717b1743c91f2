//! Issue 19, item 1: the course builder. Draft lessons are the teachers' only; the curriculum
//! takes a new order at once (API and the page's script) or a step at a time (↑/↓); a text
//! lesson shows the school's images through links signed for each reader, never another site's.

use serde_json::{Value, json};

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp},
    learning::{media_link, png, report, upload},
};

/// The course's (module title, [lesson titles]) in order, as the API reads them.
async fn outline_of(app: &TestApp, token: &str, course: &str) -> Vec<(String, Vec<String>)> {
    let c = app
        .call("GET", &format!("/api/v1/courses/{course}"), token, None)
        .await;
    assert_eq!(c.status, 200, "{}", c.text);
    c.json()["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["title"].as_str().unwrap().to_owned(),
                m["lessons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["title"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn titles(spec: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    spec.iter()
        .map(|(m, ls)| (m.to_string(), ls.iter().map(|l| l.to_string()).collect()))
        .collect()
}

#[tokio::test]
async fn a_draft_lesson_is_the_teachers_only_until_it_is_published() {
    let app = TestApp::builder()
        .clock("2027-03-01T09:00:00+05:00")
        .start()
        .await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let video = upload(&app, &owner, "intro.mp4", crate::learning::mp4(4096), None).await;
    let course = given::course(&app, &owner, "Физика")
        .published()
        .self_enrol()
        .module("Механика")
        .text_lesson("Скорость", "v = s / t")
        .lesson(
            json!({ "title": "Ускорение", "kind": "text", "body": "a = v / t",
                        "status": "draft" }),
        )
        .lesson(
            json!({ "title": "Опыт", "kind": "video", "media_id": video["id"],
                        "status": "draft", "free_preview": true }),
        )
        .create()
        .await;
    let (speed, accel, film) = (&course.lessons[0], &course.lessons[1], &course.lessons[2]);
    let lesson = app
        .call("GET", &format!("/api/v1/lessons/{accel}"), &owner, None)
        .await
        .json();
    assert_eq!(lesson["status"], "draft", "{lesson}");
    // A bad status is refused beside its field, and changes nothing.
    let bad = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{accel}"),
            &owner,
            Some(json!({ "status": "hidden", "title": "Другое" })),
        )
        .await
        .problem(422);
    assert_eq!(crate::harness::error_fields(&bad), ["status"], "{bad}");
    let again = app
        .call("GET", &format!("/api/v1/lessons/{accel}"), &owner, None)
        .await
        .json();
    assert_eq!(again["title"], "Ускорение");

    // The editor marks the drafts and offers to publish them.
    let teacher = app.browser();
    teacher
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let editor = teacher
        .get(&format!("/cabinet/courses/{}", course.id))
        .await
        .text;
    assert_eq!(editor.matches("class=\"badge badge-draft\"").count(), 2);
    assert!(editor.contains("class=\"badge badge-preview\""), "{editor}");
    assert!(editor.contains(&format!("action=\"/cabinet/lessons/{accel}/status\"")));

    // The student sees no trace of the drafts: not in the outline, not openable, not counted.
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let course_page = format!("/s/alma-school/courses/{}", course.id);
    let page = student.get(&course_page).await.text;
    assert!(page.contains("Скорость"), "{page}");
    assert!(
        !page.contains("Ускорение") && !page.contains("Опыт"),
        "{page}"
    );
    for draft in [accel, film] {
        let res = student
            .get(&format!("/s/alma-school/lessons/{draft}"))
            .await;
        assert_eq!(res.status, 404, "{draft}");
    }
    // Nor do visitors, though the draft is marked as a free preview.
    let visitor = app.browser();
    let public = visitor.get(&course_page).await.text;
    assert!(!public.contains("free-preview-link"), "{public}");
    let res = visitor.get(&format!("/s/alma-school/lessons/{film}")).await;
    assert_ne!(res.status, 200, "{}", res.text);
    // Completing the only published lesson completes the course.
    let res = report(
        &student,
        &app,
        "alma-school",
        speed,
        json!({ "position_ms": 0, "complete": true }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["course_complete"], true, "{}", res.text);

    // Published from the outline: the student now sees it (their finished course stays so).
    let res = teacher
        .post_form(
            &format!("/cabinet/lessons/{accel}/status"),
            &[("status", "published")],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let flash = teacher.get(res.header("location")).await.text;
    assert!(flash.contains("Урок опубликован"), "{flash}");
    let page = student.get(&course_page).await.text;
    assert!(page.contains("Ускорение"), "{page}");
    let opened = student
        .get(&format!("/s/alma-school/lessons/{accel}"))
        .await;
    assert_eq!(opened.status, 200);
    // Back to draft through the API: gone again.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{accel}"),
            &owner,
            Some(json!({ "status": "draft" })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["status"], "draft");
    assert_eq!(
        student
            .get(&format!("/s/alma-school/lessons/{accel}"))
            .await
            .status,
        404
    );
    // A published lesson's file opens for the student through its link until the lesson is a
    // draft again.
    let set_status = |status: &'static str| {
        let (app, owner, film) = (&app, owner.clone(), film.clone());
        async move {
            let res = app
                .call(
                    "PATCH",
                    &format!("/api/v1/lessons/{film}"),
                    &owner,
                    Some(json!({ "status": status })),
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
    };
    set_status("published").await;
    let page = student.get(&format!("/s/alma-school/lessons/{film}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let link = media_link(&page.text);
    assert_eq!(app.get(&link).await.status, 200, "{link}");
    set_status("draft").await;
    assert_eq!(app.get(&link).await.status, 404, "{link}");
    // A duplicate starts as a draft; a new lesson in a published course's form too.
    let copy = app
        .call(
            "POST",
            &format!("/api/v1/lessons/{speed}/duplicate"),
            &owner,
            None,
        )
        .await;
    assert_eq!(copy.status, 201, "{}", copy.text);
    assert_eq!(copy.json()["status"], "draft");
    let form = teacher
        .get(&format!("/cabinet/courses/{}", course.id))
        .await
        .text;
    assert!(
        form.contains(
            "<input type=\"checkbox\" id=\"lesson_published\" name=\"lesson_published\">"
        ),
        "{form}"
    );
    // A course of drafts only would be empty for its students: it is not published.
    let drafts = given::course(&app, &owner, "Черновики")
        .module("М")
        .lesson(json!({ "title": "Пока нет", "kind": "text", "status": "draft" }))
        .create()
        .await;
    let p = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{}", drafts.id),
            &owner,
            Some(json!({ "status": "published" })),
        )
        .await
        .problem(422);
    assert_eq!(crate::harness::error_fields(&p), ["status"], "{p}");
    app.stop().await;
}

#[tokio::test]
async fn the_curriculum_takes_a_new_order_at_once_or_a_step_at_a_time() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let course = given::course(&app, &owner, "История")
        .module("Древность")
        .text_lesson("Саки", "…")
        .text_lesson("Гунны", "…")
        .module("Средние века")
        .text_lesson("Тюрки", "…")
        .create()
        .await;
    let (m1, m2) = (&course.modules[0], &course.modules[1]);
    let (saki, hunny, tyurki) = (&course.lessons[0], &course.lessons[1], &course.lessons[2]);
    // A trashed lesson leaves a gap in the numbers: moves still go one step.
    let extra = app
        .call(
            "POST",
            &format!("/api/v1/courses/{}/lessons", course.id),
            &owner,
            Some(json!({ "module_id": m1, "title": "Удалённый", "position": 1 })),
        )
        .await
        .json();
    let res = app
        .call(
            "DELETE",
            &format!("/api/v1/lessons/{}", extra["id"].as_str().unwrap()),
            &owner,
            None,
        )
        .await;
    assert_eq!(res.status, 204);

    // The whole order at once: modules swapped, a lesson moved to the other module.
    let put = |body: Value| {
        let (app, owner, id) = (&app, owner.clone(), course.id.clone());
        async move {
            app.call(
                "PUT",
                &format!("/api/v1/courses/{id}/outline"),
                &owner,
                Some(body),
            )
            .await
        }
    };
    let res = put(json!({ "modules": [
        { "id": m2, "lessons": [tyurki, hunny] },
        { "id": m1, "lessons": [saki] },
    ] }))
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let moved = titles(&[
        ("Средние века", &["Тюрки", "Гунны"]),
        ("Древность", &["Саки"]),
    ]);
    assert_eq!(outline_of(&app, &owner, &course.id).await, moved);
    // A list that misses a lesson, names one twice or another's: 409, nothing moves.
    for stale in [
        json!({ "modules": [{ "id": m1, "lessons": [saki, hunny] }, { "id": m2, "lessons": [] }] }),
        json!({ "modules": [{ "id": m1, "lessons": [saki, hunny, tyurki, saki] }, { "id": m2, "lessons": [] }] }),
        json!({ "modules": [{ "id": m1, "lessons": [saki, hunny, tyurki, extra["id"]] }, { "id": m2, "lessons": [] }] }),
        json!({ "modules": [{ "id": m1, "lessons": [saki, hunny, tyurki] }] }),
    ] {
        let p = put(stale).await.problem(409);
        assert!(p["detail"].as_str().unwrap().contains("changed"), "{p}");
    }
    let bad = put(json!({ "modules": "all" })).await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(outline_of(&app, &owner, &course.id).await, moved);
    // Another school's course is not found.
    let beta = given::beta(&app).await;
    let theirs = app
        .call(
            "PUT",
            &format!("/api/v1/courses/{}/outline", course.id),
            &beta.owner_token,
            Some(json!({ "modules": [] })),
        )
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.text);

    // The page's script sends the order as a form (m, then its l's); a stale one answers 409
    // with the reason in the person's language.
    let teacher = app.browser();
    teacher
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let outline_url = format!("/cabinet/courses/{}/outline", course.id);
    let res = teacher
        .post_form(
            &outline_url,
            &[
                ("m", m1),
                ("l", saki),
                ("l", hunny),
                ("m", m2),
                ("l", tyurki),
            ],
        )
        .await;
    assert_eq!(res.status, 204, "{}", res.text);
    assert_eq!(
        outline_of(&app, &owner, &course.id).await,
        titles(&[
            ("Древность", &["Саки", "Гунны"]),
            ("Средние века", &["Тюрки"])
        ])
    );
    let res = teacher
        .post_form(&outline_url, &[("m", m1), ("l", saki)])
        .await;
    let p = res.problem(409);
    assert!(
        p["detail"].as_str().unwrap().contains("Курс изменился"),
        "{p}"
    );

    // ↑/↓ without the script: one step, across the module's edge at its ends.
    let step = |what: &'static str, id: String, direction: &'static str| {
        let teacher = &teacher;
        async move {
            let res = teacher
                .post_form(
                    &format!("/cabinet/{what}/{id}/move"),
                    &[("direction", direction)],
                )
                .await;
            assert_eq!(res.status, 303, "{}", res.text);
        }
    };
    step("lessons", tyurki.clone(), "up").await;
    assert_eq!(
        outline_of(&app, &owner, &course.id).await,
        titles(&[
            ("Древность", &["Саки", "Гунны", "Тюрки"]),
            ("Средние века", &[])
        ])
    );
    step("lessons", saki.clone(), "down").await;
    step("modules", m2.clone(), "up").await;
    assert_eq!(
        outline_of(&app, &owner, &course.id).await,
        titles(&[
            ("Средние века", &[]),
            ("Древность", &["Гунны", "Саки", "Тюрки"])
        ])
    );
    // Up from a module's top: to the end of the module before; at the very top nothing moves.
    step("lessons", hunny.clone(), "up").await;
    step("lessons", hunny.clone(), "up").await;
    assert_eq!(
        outline_of(&app, &owner, &course.id).await,
        titles(&[
            ("Средние века", &["Гунны"]),
            ("Древность", &["Саки", "Тюрки"])
        ])
    );
    // The builder's page carries what its script needs.
    let editor = teacher
        .get(&format!("/cabinet/courses/{}", course.id))
        .await
        .text;
    assert!(editor.contains(&format!("data-url=\"{outline_url}\"")));
    assert!(editor.contains(&format!("data-lesson=\"{saki}\"")));
    assert!(editor.contains("id=\"md-toolbar\""));
    assert!(editor.contains("data-kinds=\"embed\""));
    // Two orders sent at once (two tabs) take turns: the course ends in one of them whole,
    // every lesson numbered once, never a mix.
    let first = json!({ "modules": [
        { "id": m1, "lessons": [saki, tyurki] },
        { "id": m2, "lessons": [hunny] },
    ] });
    let second = json!({ "modules": [
        { "id": m2, "lessons": [tyurki, saki, hunny] },
        { "id": m1, "lessons": [] },
    ] });
    let (a, b) = tokio::join!(put(first), put(second));
    assert!(a.status == 200 || a.status == 409, "{}", a.text);
    assert!(b.status == 200 || b.status == 409, "{}", b.text);
    let after = outline_of(&app, &owner, &course.id).await;
    let one = titles(&[
        ("Древность", &["Саки", "Тюрки"]),
        ("Средние века", &["Гунны"]),
    ]);
    let other = titles(&[
        ("Средние века", &["Тюрки", "Саки", "Гунны"]),
        ("Древность", &[]),
    ]);
    assert!(after == one || after == other, "{after:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_lesson_shows_the_schools_images_through_signed_links_and_no_other_sites() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    let image = upload(&app, &owner, "схема.png", png(2048), Some("image")).await;
    let id = image["id"].as_str().unwrap().to_owned();
    let course = given::course(&app, &owner, "Химия")
        .published()
        .self_enrol()
        .module("Атомы")
        .text_lesson("Строение", "Вводный текст")
        .create()
        .await;
    let lesson = &course.lessons[0];
    let body =
        format!("Смотрите:\n\n![Схема атома](media:{id})\n\n![чужая](https://evil.example/x.png)");
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{lesson}"),
            &owner,
            Some(json!({ "body": body })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    // While a lesson shows it, the image is not deleted.
    app.call("DELETE", &format!("/api/v1/media/{id}"), &owner, None)
        .await
        .problem(409);

    // A student enrolled sees it through a link signed for them; the other site's never.
    let student = given::student(&app, &alma, "dana@mail.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    let page = student
        .get(&format!("/s/alma-school/lessons/{lesson}"))
        .await
        .text;
    assert!(!page.contains("evil.example"), "{page}");
    assert!(page.contains("alt=\"Схема атома\""), "{page}");
    let link = media_link(&page);
    assert!(link.starts_with(&format!("/media/{id}?")), "{link}");
    let file = app.get(&link).await;
    assert_eq!(file.status, 200, "{link}");
    // A student of a lesson no longer showing it can no longer read it.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{lesson}"),
            &owner,
            Some(json!({ "body": "Без картинки" })),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(app.get(&link).await.status, 404);
    let res = app
        .call("DELETE", &format!("/api/v1/media/{id}"), &owner, None)
        .await;
    assert_eq!(res.status, 204, "{}", res.text);

    // An image that is not the school's (another school's, a file that is no image) is refused beside the text, and the lesson keeps its text.
    let beta = given::beta(&app).await;
    let theirs = upload(&app, &beta.owner_token, "b.png", png(512), Some("image")).await;
    let doc = upload(&app, &owner, "doc.pdf", b"%PDF-1.4 test".to_vec(), None).await;
    for other in [&theirs, &doc] {
        let p = app
            .call(
                "PATCH",
                &format!("/api/v1/lessons/{lesson}"),
                &owner,
                Some(json!({ "body": format!("![x](media:{})", other["id"].as_str().unwrap()) })),
            )
            .await
            .problem(422);
        assert_eq!(crate::harness::error_fields(&p), ["body"], "{p}");
    }
    let kept = app
        .call("GET", &format!("/api/v1/lessons/{lesson}"), &owner, None)
        .await
        .json();
    assert_eq!(kept["body"], "Без картинки");

    // The editor's live preview: the same sanitiser, the image signed for the editor.
    let fresh = upload(&app, &owner, "new.png", png(1024), Some("image")).await;
    let fid = fresh["id"].as_str().unwrap();
    let teacher = app.browser();
    teacher
        .sign_in("owner@alma.kz", OWNER_PASSWORD, "alma-school")
        .await;
    let preview = teacher
        .post_form(
            "/cabinet/markdown",
            &[(
                "text",
                &format!(
                    "**Жирный**\n\n![Новая](media:{fid})\n\n<script>x()</script>\n\n![z](http://x.kz/a.png)"
                ),
            )],
        )
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert!(preview.text.contains("<strong>Жирный</strong>"));
    assert!(!preview.text.contains("script") && !preview.text.contains("x.kz"));
    let link = media_link(&preview.text);
    assert_eq!(app.get(&link).await.status, 200, "{link}");
    // A student may not use the preview.
    let refused = student
        .post_form("/cabinet/markdown", &[("text", "x")])
        .await;
    assert_ne!(refused.status, 200);
    // Through the lesson editor's form: saved, and the students' page shows it.
    let res = teacher
        .post_form(
            &format!("/cabinet/lessons/{lesson}"),
            &[
                ("lesson_title", "Строение"),
                ("lesson_body", &format!("![Новая](media:{fid})")),
                ("lesson_required", "on"),
                ("lesson_published", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let page = student
        .get(&format!("/s/alma-school/lessons/{lesson}"))
        .await
        .text;
    assert_eq!(app.get(&media_link(&page)).await.status, 200);
    app.stop().await;
}
