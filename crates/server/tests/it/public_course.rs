//! Issue 17, item 3: a published course has a public page on the school's site. A visitor reads
//! it without signing in, and enrolling through it signs them up (or in) and brings them back
//! enrolled, at the course's first lesson. Pages carry their titles, descriptions, canonical
//! addresses and Open Graph tags, and each school has a sitemap.

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp},
    learning::STUDENT_PASSWORD,
};

#[tokio::test]
async fn a_visitor_reads_a_course_and_enrolling_signs_them_up_at_its_first_lesson() {
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).await;
    let slug = school.slug;
    let open = given::course(&app, &school.owner_token, "Алгебра 7")
        .self_enrol()
        .module("Уравнения")
        .text_lesson("Линейные уравнения", "**ax + b = 0**")
        .text_lesson("Квадратные уравнения", "Дискриминант")
        .published()
        .create()
        .await;
    let closed = given::course(&app, &school.owner_token, "Олимпиадная группа")
        .module("Задачи")
        .text_lesson("Первая задача", "Условие")
        .published()
        .create()
        .await;
    let draft = given::course(&app, &school.owner_token, "Черновик")
        .create()
        .await;
    // A description for search engines and link previews, in plain words.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{}", open.id),
            &school.owner_token,
            Some(serde_json::json!({ "description": "# Алгебра\n\n**Уравнения** для 7 класса." })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    // The visitor reads the page: the outline, the way in, and what search engines read.
    let visitor = app.browser();
    let page = visitor.get(&format!("/s/{slug}/courses/{}", open.id)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let html = &page.text;
    assert!(html.contains("Линейные уравнения") && html.contains("Квадратные уравнения"));
    assert!(html.contains("id=\"self-enrol\""));
    assert!(html.contains(&format!(
        "href=\"/s/{slug}/signup?course={}\" id=\"enrol-signup\"",
        open.id
    )));
    assert!(
        html.contains("<meta name=\"description\" content=\"Алгебра Уравнения для 7 класса.\">"),
        "{html}"
    );
    let base = app.services().school_url(slug);
    let canonical = format!("{base}courses/{}", open.id);
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\">")),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:title\" content=\"Алгебра 7\">"));
    assert!(html.contains(&format!(
        "<meta property=\"og:url\" content=\"{canonical}\">"
    )));
    assert!(html.contains("<title>Алгебра 7 · "));
    // No teacher assigned yet: none named.
    assert!(!html.contains("id=\"course-teachers\""));
    // A course the school enrols into says so, and offers no way in.
    let page = visitor
        .get(&format!("/s/{slug}/courses/{}", closed.id))
        .await
        .text;
    assert!(page.contains("id=\"by-invitation\"") && !page.contains("id=\"enrol-signup\""));
    // A draft has no page.
    assert_eq!(
        visitor
            .get(&format!("/s/{slug}/courses/{}", draft.id))
            .await
            .status,
        404
    );

    // Enrolling: the sign-up form carries the course, and the new student lands enrolled at the
    // first lesson.
    let form = visitor
        .get(&format!("/s/{slug}/signup?course={}", open.id))
        .await
        .text;
    assert!(
        form.contains(&format!("name=\"course\" value=\"{}\"", open.id)),
        "{form}"
    );
    assert!(form.contains(&format!("/s/{slug}/login?course={}", open.id)));
    let res = visitor
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "Әлия Нұрланқызы"),
                ("email", "aliya@alma.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
                ("course", &open.id),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let first = format!("/s/{slug}/lessons/{}", open.lessons[0]);
    assert_eq!(res.header("location"), first);
    let lesson = visitor.get(&first).await;
    assert_eq!(lesson.status, 200);
    assert!(lesson.text.contains("<strong>ax + b = 0</strong>"));
    assert!(
        lesson.text.contains("Вы записаны на курс"),
        "{}",
        lesson.text
    );
    let course = visitor
        .get(&format!("/s/{slug}/courses/{}", open.id))
        .await
        .text;
    assert!(
        course.contains("id=\"course-progress\""),
        "enrolled: {course}"
    );

    // Signing in from a course's page enrols too; from the closed course's, it does not.
    let other = app.browser();
    let res = other
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "Дана Серикова"),
                ("email", "dana@alma.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
                ("course", &closed.id),
            ],
        )
        .await;
    assert_eq!(res.header("location"), format!("/s/{slug}/my"));
    let fresh = app.browser();
    let res = fresh
        .post_form(
            &format!("/s/{slug}/login"),
            &[
                ("email", "dana@alma.kz"),
                ("password", STUDENT_PASSWORD),
                ("course", &open.id),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), first);
    let enrolments = app
        .call(
            "GET",
            &format!("/api/v1/courses/{}/enrolments", open.id),
            &school.owner_token,
            None,
        )
        .await
        .items();
    assert_eq!(enrolments.as_array().unwrap().len(), 2);
    let closed_enrolments = app
        .call(
            "GET",
            &format!("/api/v1/courses/{}/enrolments", closed.id),
            &school.owner_token,
            None,
        )
        .await
        .items();
    assert_eq!(closed_enrolments.as_array().unwrap().len(), 0);

    // An assigned teacher is named on the page.
    let teacher = given::staff(&app, &school, "asel@alma.kz", "teacher").await;
    let res = app
        .call(
            "PUT",
            &format!("/api/v1/courses/{}/teachers", open.id),
            &school.owner_token,
            Some(serde_json::json!({ "user_ids": [teacher.id] })),
        )
        .await;
    assert!(res.status < 300, "{}", res.text);
    let page = app
        .get(&format!("/s/{slug}/courses/{}", open.id))
        .await
        .text;
    assert!(
        page.contains("id=\"course-teachers\">Преподаватели: "),
        "{page}"
    );

    // The owner opening the page sees it as a visitor does, marked so.
    let owner = app.browser();
    owner.sign_in("owner@alma.kz", OWNER_PASSWORD, slug).await;
    let page = owner.get(&format!("/s/{slug}/courses/{}", open.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("id=\"visitor-view\""));
    assert!(!page.text.contains("id=\"enrol-signup\""));

    // The sitemap lists the site and its published courses.
    let res = app.get(&format!("/s/{slug}/sitemap.xml")).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").starts_with("application/xml"));
    assert!(
        res.text.contains(&format!("<url><loc>{base}</loc></url>")),
        "{}",
        res.text
    );
    assert!(res.text.contains(&format!(
        "<url><loc>{base}courses/{}</loc><lastmod>2026-11-02</lastmod></url>",
        open.id
    )));
    assert!(res.text.contains(&closed.id) && !res.text.contains(&draft.id));
    assert_eq!(app.get("/s/no-such-school/sitemap.xml").await.status, 404);
}

#[tokio::test]
async fn the_owner_previews_a_draft_course_as_a_student_and_sees_the_site_as_a_visitor() {
    let app = TestApp::start().await;
    let school = given::alma(&app).await;
    let slug = school.slug;
    let draft = given::course(&app, &school.owner_token, "Геометрия")
        .module("Треугольники")
        .text_lesson("Сумма углов", "**180°**")
        .create()
        .await;
    let owner = app.browser();
    owner.sign_in("owner@alma.kz", OWNER_PASSWORD, slug).await;
    // The editor links the preview even for a draft; the preview lists every lesson, each
    // opening as a preview that records nothing.
    let editor = owner
        .get(&format!("/cabinet/courses/{}", draft.id))
        .await
        .text;
    assert!(editor.contains(&format!(
        "href=\"/cabinet/courses/{}/preview\" id=\"course-preview\"",
        draft.id
    )));
    let preview = owner
        .get(&format!("/cabinet/courses/{}/preview", draft.id))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.text);
    assert!(preview.text.contains("id=\"preview-banner\""));
    let lesson = format!("/cabinet/lessons/{}/preview", draft.lessons[0]);
    assert!(
        preview
            .text
            .contains(&format!("href=\"{lesson}\">Сумма углов</a>"))
    );
    let page = owner.get(&lesson).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text.contains("<strong>180°</strong>") && !page.text.contains("data-progress-url")
    );
    // Visitors do not see the draft; another school's people do not reach its preview.
    assert_eq!(
        app.get(&format!("/s/{slug}/courses/{}", draft.id))
            .await
            .status,
        404
    );
    let beta = given::beta(&app).await;
    let other = app.browser();
    other
        .sign_in("owner@beta.kz", OWNER_PASSWORD, beta.slug)
        .await;
    assert_eq!(
        other
            .get(&format!("/cabinet/courses/{}/preview", draft.id))
            .await
            .status,
        404
    );
    // The school's site, opened by its owner, is the visitors' site, marked so.
    let site = owner.get(&format!("/s/{slug}/")).await.text;
    assert!(site.contains("id=\"visitor-view\""), "{site}");
    assert!(!site.contains("id=\"my-courses-link\""));
}

#[tokio::test]
async fn a_visitor_opens_the_free_preview_lessons_and_their_files_and_nothing_else() {
    use crate::learning::{mp4, upload};
    let app = TestApp::start().await;
    let school = given::alma(&app).await;
    let slug = school.slug;
    let video = upload(
        &app,
        &school.owner_token,
        "intro.mp4",
        mp4(4096),
        Some("video"),
    )
    .await;
    let closed_video = upload(
        &app,
        &school.owner_token,
        "deep.mp4",
        mp4(4096),
        Some("video"),
    )
    .await;
    let course = given::course(&app, &school.owner_token, "Алгебра 7")
        .self_enrol()
        .module("Уравнения")
        .lesson(serde_json::json!({ "title": "Знакомство", "kind": "video", "media_id": video["id"], "free_preview": true }))
        .text_lesson("Линейные уравнения", "**ax + b = 0**")
        .lesson(serde_json::json!({ "title": "Разбор", "kind": "video", "media_id": closed_video["id"] }))
        .published()
        .create()
        .await;
    let [intro, text, deep] = [&course.lessons[0], &course.lessons[1], &course.lessons[2]];
    // The API says which lessons are free previews.
    let lessons = app
        .call(
            "GET",
            &format!("/api/v1/courses/{}/lessons", course.id),
            &school.owner_token,
            None,
        )
        .await
        .items();
    assert_eq!(lessons[0]["free_preview"], true);
    assert_eq!(lessons[1]["free_preview"], false);
    // The public page links the free lesson; the others stay closed.
    let visitor = app.browser();
    let page = visitor
        .get(&format!("/s/{slug}/courses/{}", course.id))
        .await
        .text;
    assert!(
        page.contains(&format!(
            "href=\"/s/{slug}/lessons/{intro}\" class=\"free-preview-link\""
        )),
        "{page}"
    );
    assert!(!page.contains(&format!("/s/{slug}/lessons/{text}\"")));
    // The free lesson plays for the visitor, records nothing, and invites to enrol.
    let lesson = visitor.get(&format!("/s/{slug}/lessons/{intro}")).await;
    assert_eq!(lesson.status, 200, "{}", lesson.text);
    assert!(lesson.text.contains("id=\"free-preview-banner\""));
    assert!(
        !lesson.text.contains("data-progress-url") && !lesson.text.contains("id=\"mark-complete\"")
    );
    let src = lesson.text.split("<source src=\"").nth(1).unwrap();
    let link = src[..src.find('"').unwrap()].replace("&#38;", "&");
    assert!(link.contains("u=preview"), "{link}");
    let file = app.get(&link).await;
    assert_eq!(file.status, 200, "{link}");
    // Its link opens no other file; the other lessons ask the visitor to sign in.
    let forged = link.replace(
        video["id"].as_str().unwrap(),
        closed_video["id"].as_str().unwrap(),
    );
    assert_eq!(app.get(&forged).await.status, 404);
    for other in [text, deep] {
        let res = visitor.get(&format!("/s/{slug}/lessons/{other}")).await;
        assert_eq!(res.status, 303, "{other}");
        assert!(
            res.header("location")
                .starts_with(&format!("/s/{slug}/login"))
        );
    }
    // A student of the school not enrolled in the course opens it too, signed in.
    let student = given::student(&app, &school, "dana@alma.kz").create().await;
    let page = student
        .get(&format!("/s/{slug}/courses/{}", course.id))
        .await
        .text;
    assert!(page.contains(&format!(
        "href=\"/s/{slug}/lessons/{intro}\" class=\"free-preview-link\""
    )));
    let lesson = student.get(&format!("/s/{slug}/lessons/{intro}")).await;
    assert_eq!(lesson.status, 200);
    assert!(
        lesson.text.contains("id=\"free-preview-banner\"")
            && lesson.text.contains("id=\"sign-out\"")
    );
    assert!(!lesson.text.contains("data-progress-url"));
    // Once no longer a free preview, the lesson and its signed link close.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/lessons/{intro}"),
            &school.owner_token,
            Some(serde_json::json!({ "free_preview": false })),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(
        visitor
            .get(&format!("/s/{slug}/lessons/{intro}"))
            .await
            .status,
        303
    );
    assert_eq!(app.get(&link).await.status, 404);
}
