//! Issue 17, item 1: the cabinet's home. Its figures come from the school's data of the last 30
//! days, its checklist checks itself off from what the school has done, its side navigation
//! shows the sections a role may open, and the settings and the contract are pages of their
//! own.

use crate::{
    given,
    harness::{OWNER_PASSWORD, TestApp},
};

/// The text of the page between the element of this id and the end of its section.
fn part<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_home_counts_the_last_thirty_days_from_the_schools_data() {
    // Sunday 2026-11-01: Alma buys a year, publishes a course of two lessons, and a first
    // student enrols. Forty days later, on 2026-12-11, three students sign up, two enrol and
    // one completes the first lesson: the last 30 days (2026-11-12 to 2026-12-11) show 3 new
    // students, 2 enrolments and 1 lesson completed, the first student's month left out.
    let app = TestApp::builder()
        .clock("2026-11-01T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app)
        .on_plan(given::plan().price(12, 30_000_000))
        .licence(12)
        .await;
    let course = given::course(&app, &school.owner_token, "Старт")
        .self_enrol()
        .module("Введение")
        .text_lesson("Первый урок", "Привет")
        .text_lesson("Второй урок", "Ещё")
        .published()
        .create()
        .await;
    given::student(&app, &school, "first@alma.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    app.advance(40, 0, 0).await;
    let b = given::student(&app, &school, "b@alma.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    given::student(&app, &school, "c@alma.kz")
        .enrolled_in(&course.id)
        .create()
        .await;
    given::student(&app, &school, "d@alma.kz").create().await;
    let lesson = &course.lessons[0];
    let res = b
        .post_form(
            &format!("/s/{}/lessons/{lesson}/complete", school.slug),
            &[],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);

    let owner = app.browser();
    owner
        .sign_in("owner@alma.kz", OWNER_PASSWORD, school.slug)
        .await;
    let home = owner.get("/cabinet").await;
    assert_eq!(home.status, 200, "{}", home.text);
    let html = &home.text;
    assert!(
        html.contains("id=\"figure-new-students\"><strong>3</strong>"),
        "{html}"
    );
    assert!(html.contains("id=\"figure-enrolments\"><strong>2</strong>"));
    assert!(html.contains("id=\"figure-completions\"><strong>1</strong>"));
    assert!(
        html.contains("С 12 ноября 2026 г. по 11 декабря 2026 г."),
        "{html}"
    );
    // Each chart has a table behind it: 30 days, the last one today's.
    for (chart, today) in [
        ("chart-completions", 1),
        ("chart-active", 1),
        ("chart-new-students", 3),
        ("chart-enrolments", 2),
    ] {
        let part = part(html, chart, "</details>");
        assert_eq!(part.matches("<rect class=\"bar\"").count(), 30, "{part}");
        assert_eq!(part.matches("<tr><td>").count(), 30, "{part}");
        let last = part.rfind("<tr><td>").unwrap();
        assert!(
            part[last..].starts_with(&format!(
                "<tr><td>11 декабря 2026 г.</td><td class=\"amount\">{today}</td></tr>"
            )),
            "{chart}: {}",
            &part[last..]
        );
        assert_eq!(
            part.matches("<td class=\"amount\">0</td>").count(),
            29,
            "{chart}"
        );
    }
    // The lessons by the share of the course's three students who completed them.
    let most = part(html, "most-completed", "</table>");
    assert!(most.contains("Первый урок"), "{most}");
    assert!(most.contains("1 / 3 · 33%"), "{most}");
    let least = part(html, "least-completed", "</table>");
    assert!(
        least.contains("Второй урок") && least.contains("0 / 3 · 0%"),
        "{least}"
    );
    // The licence at a glance: paid through 2027-10-31, usage against the plan's limits.
    let glance = part(html, "glance", "</section>");
    assert!(glance.contains("до 1 ноября 2027 г."), "{glance}");
    assert!(glance.contains("id=\"usage-students\""));
    assert!(
        part(glance, "usage-students", "</meter>").contains("4 из"),
        "{glance}"
    );
    // The checklist: everything but the logo is done.
    let list = part(html, "checklist", "</section>");
    assert!(list.contains("Сделано 5 из 6"), "{list}");
    assert!(
        list.contains("class=\"step-todo\" id=\"step-brand\""),
        "{list}"
    );
    assert!(list.contains("class=\"step-done\" id=\"step-publish\""));

    // The same figures in Kazakh and English.
    let en = app.browser();
    en.sign_in("owner@alma.kz", OWNER_PASSWORD, school.slug)
        .await;
    en.get("/lang/en").await;
    let page = en.get("/cabinet").await.text;
    assert!(
        page.contains("From 12 November 2026 to 11 December 2026"),
        "{page}"
    );
    assert!(page.contains("Lessons completed"));
}

#[tokio::test]
async fn the_checklist_checks_itself_off_and_can_be_put_away() {
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let school = given::beta(&app).await;
    let owner = app.browser();
    owner
        .sign_in("owner@beta.kz", OWNER_PASSWORD, school.slug)
        .await;
    let html = owner.get("/cabinet").await.text;
    let list = part(&html, "checklist", "</section>");
    assert!(list.contains("Сделано 0 из 6"), "{list}");
    // Each step links to where it is done.
    for (step, href) in [
        ("brand", "/cabinet/settings/brand"),
        ("course", "/cabinet/courses"),
        ("student", "/cabinet/students"),
        ("plan", "/cabinet/billing"),
    ] {
        let item = part(list, &format!("step-{step}"), "</li>");
        assert!(item.contains(&format!("href=\"{href}\"")), "{item}");
    }
    // A course without lessons checks one step off; a lesson, a second.
    let course = given::course(&app, &school.owner_token, "Черновик")
        .create()
        .await;
    let html = owner.get("/cabinet").await.text;
    assert!(html.contains("Сделано 1 из 6"), "{html}");
    // An empty course cannot be published (item 9): the API and the editor say why.
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/courses/{}", course.id),
            &school.owner_token,
            Some(serde_json::json!({ "status": "published" })),
        )
        .await;
    let problem = res.problem(422);
    assert_eq!(crate::harness::error_fields(&problem), ["status"]);
    assert!(res.text.contains("add a lesson first") || res.text.contains("добавьте урок"));
    let res = owner
        .post_form(
            &format!("/cabinet/courses/{}", course.id),
            &[("course_title", "Черновик"), ("course_status", "published")],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.text.contains("id=\"course_status-error\""),
        "{}",
        res.text
    );
    assert!(
        res.text
            .contains("Курс без опубликованных уроков нельзя опубликовать")
    );
    given::course(&app, &school.owner_token, "С уроком")
        .module("М")
        .text_lesson("Урок", "Текст")
        .create()
        .await;
    let html = owner.get("/cabinet").await.text;
    assert!(html.contains("Сделано 2 из 6"));
    assert!(html.contains("class=\"step-done\" id=\"step-lesson\""));
    assert!(html.contains("class=\"step-todo\" id=\"step-publish\""));
    // A new school has no figures yet: its lessons are not in a published course.
    assert!(html.contains("id=\"no-lessons\""));

    // Put away, for the whole school; brought back.
    let res = owner.post_form("/cabinet/checklist", &[]).await;
    assert_eq!((res.status, res.header("location")), (303, "/cabinet"));
    let html = owner.get("/cabinet").await.text;
    assert!(!html.contains("id=\"checklist\""));
    assert!(html.contains("Список первых шагов скрыт."));
    let res = owner
        .post_form("/cabinet/checklist", &[("action", "show")])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        owner
            .get("/cabinet")
            .await
            .text
            .contains("id=\"checklist\"")
    );

    // A teacher sees neither the checklist nor the school's figures, and may not put it away.
    let teacher = given::staff(&app, &school, "asel@beta.kz", "teacher").await;
    let t = app.browser();
    t.sign_in("asel@beta.kz", "Teacher-2027!", school.slug)
        .await;
    let html = t.get("/cabinet").await.text;
    assert!(!html.contains("id=\"checklist\"") && !html.contains("id=\"figures\""));
    let nav = part(&html, "side-nav-list", "</ul>");
    assert!(nav.contains("id=\"courses-link\"") && nav.contains("id=\"settings-link\""));
    assert!(!nav.contains("id=\"billing-link\"") && !nav.contains("id=\"students-link\""));
    assert_eq!(t.post_form("/cabinet/checklist", &[]).await.status, 403);
    let _ = teacher;
    // The owner's navigation has every section, the current one marked.
    let html = owner.get("/cabinet/settings").await.text;
    let nav = part(&html, "side-nav-list", "</ul>");
    for id in [
        "nav-home",
        "courses-link",
        "students-link",
        "groups-link",
        "billing-link",
        "documents-home-link",
        "settings-link",
    ] {
        assert!(nav.contains(&format!("id=\"{id}\"")), "{id}: {nav}");
    }
    assert!(
        nav.contains("id=\"settings-link\" aria-current=\"page\""),
        "{nav}"
    );
}

#[tokio::test]
async fn notice_and_refusal_state_their_dates_and_need_a_tick() {
    // Monday 2026-11-02: a notice given today ends the contract on the 10th business day,
    // 2026-11-16; a refusal today deletes the data 60 days on, on 2027-01-01.
    let app = TestApp::builder()
        .clock("2026-11-02T10:00:00+05:00")
        .start()
        .await;
    let school = given::alma(&app).licence(1).await;
    let owner = app.browser();
    owner
        .sign_in("owner@alma.kz", OWNER_PASSWORD, school.slug)
        .await;
    let page = owner.get("/cabinet/contract").await.text;
    assert!(
        part(&page, "notice-consequences", "</p>").contains("16 ноября 2026 г."),
        "{page}"
    );
    // Without the tick: the message beside the box, and nothing filed.
    let res = owner.post_form("/cabinet/termination", &[]).await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"notice-confirm-error\""));
    assert!(
        !owner
            .get("/cabinet")
            .await
            .text
            .contains("id=\"notice-banner\"")
    );
    let res = owner
        .post_form("/cabinet/termination", &[("confirm", "on")])
        .await;
    assert_eq!(res.status, 303);
    assert!(
        owner
            .get("/cabinet")
            .await
            .text
            .contains("id=\"notice-banner\"")
    );

    // A school in its trial sees the day a refusal would delete its data.
    let beta = given::beta(&app).await;
    let b = app.browser();
    b.sign_in("owner@beta.kz", OWNER_PASSWORD, beta.slug).await;
    let page = b.get("/cabinet/contract").await.text;
    assert!(
        part(&page, "refusal-consequences", "</p>").contains("1 января 2027 г."),
        "{page}"
    );
}
