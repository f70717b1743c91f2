//! The school's site for students, enrolment and progress (issue 6, second part), and the
//! upload helpers other tests share (the uploads themselves are `media`'s).

use serde_json::{Value, json};

use crate::{
    given,
    harness::{Res, TestApp},
};

/// The password every student here signs up with.
pub const STUDENT_PASSWORD: &str = "Student-2027!";

/// A file of `len` bytes whose first bytes say MP4 video.
pub fn mp4(len: usize) -> Vec<u8> {
    let mut v = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    v.extend((0..len - v.len()).map(|i| (i % 251) as u8));
    v
}

/// The first bytes of a PNG image.
pub fn png(len: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    v.resize(len, 0);
    v
}

pub async fn send_upload(
    app: &TestApp,
    token: &str,
    filename: &str,
    bytes: Vec<u8>,
    kind: Option<&str>,
) -> Res {
    let mut query = vec![("filename", filename)];
    if let Some(k) = kind {
        query.push(("kind", k));
    }
    app.send(
        reqwest::Client::new()
            .post(app.url("/api/v1/media"))
            .query(&query)
            .bearer_auth(token)
            .body(bytes),
    )
    .await
}

/// Uploads a file through the API and returns it (asserts 201).
pub async fn upload(
    app: &TestApp,
    token: &str,
    filename: &str,
    bytes: Vec<u8>,
    kind: Option<&str>,
) -> Value {
    let res = send_upload(app, token, filename, bytes, kind).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

/// Signs a student up on the school's site (a browser of their own) and returns their id.
pub async fn student_signs_up(app: &TestApp, slug: &str, email: &str) -> String {
    let b = app.browser();
    let res = b
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "Әлия Нұрланқызы"),
                ("email", email),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    let mut conn = app.store().conn().await.unwrap();
    let tenant = educenter_store::tenancy::by_slug(&mut conn, slug)
        .await
        .unwrap()
        .unwrap();
    educenter_store::accounts::find_by_email(&mut conn, &tenant.id, email)
        .await
        .unwrap()
        .expect("the student's account")
        .id
        .into_string()
}

/// A GET with these headers and no cookies: (status, headers, body).
pub(crate) async fn get_with(
    app: &TestApp,
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let mut req = reqwest::Client::new().get(app.url(url));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let h = res.headers().clone();
    (status, h, res.bytes().await.unwrap().to_vec())
}

/// A header's value, or nothing.
pub(crate) fn h<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The JSON the lesson page's player posts.
pub async fn report(
    b: &crate::harness::Browser<'_>,
    app: &TestApp,
    slug: &str,
    lesson: &str,
    body: Value,
) -> Res {
    app.send(
        b.client
            .post(app.url(&format!("/s/{slug}/lessons/{lesson}/progress")))
            .header("origin", app.url(""))
            .header("sec-fetch-site", "same-origin")
            .json(&body),
    )
    .await
}

pub fn media_link(page: &str) -> String {
    let start = page
        .find("src=\"/media/")
        .expect("a media link on the page")
        + 5;
    let end = start + page[start..].find('"').unwrap();
    page[start..end].replace("&#38;", "&").replace("&amp;", "&")
}

#[tokio::test]
async fn a_student_signs_up_enrols_plays_and_completes_a_course() {
    let app = TestApp::start().await;
    let owner = given::alma(&app).await.owner_token;
    let slug = "alma-school";
    // A published course open for self-enrolment: a video lesson, then a text lesson.
    let video = upload(&app, &owner, "intro.mp4", mp4(50_000), Some("video")).await;
    let course = given::course(&app, &owner, "Английский A1")
        .published()
        .self_enrol()
        .module("Начало")
        .lesson(json!({ "title": "Видео", "kind": "video", "media_id": video["id"] }))
        .lesson(json!({ "title": "Текст", "body": "# Слова\n\n**hello** — привет<script>alert(1)</script>" }))
        .lesson(json!({ "title": "Потом", "available_after_days": 7, "required": false }))
        .create()
        .await;
    let cid = course.id.as_str();
    let (vid, tid, later) = (
        course.lessons[0].as_str(),
        course.lessons[1].as_str(),
        course.lessons[2].as_str(),
    );
    // A draft course is not in the catalogue; a published one that the school enrols into is.
    given::course(&app, &owner, "Черновик").create().await;
    let closed = given::course(&app, &owner, "Закрытый")
        .module("Начало")
        .text_lesson("Первый урок", "Текст")
        .published()
        .create()
        .await;

    let b = app.browser();
    let home = b.get(&format!("/s/{slug}/")).await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("Английский A1") && home.text.contains("Закрытый"));
    assert!(!home.text.contains("Черновик"));

    // Sign-up without the privacy consent: refused beside the field, nothing created.
    let res = b
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "Әлия"),
                ("email", "aliya@mail.kz"),
                ("password", STUDENT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"privacy-error\""), "{}", res.text);
    assert_eq!(
        app.call("GET", "/api/v1/students", &owner, None)
            .await
            .items(),
        json!([])
    );
    // With it: signed in at once, a welcome e-mail with a verification link.
    let res = b
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "Әлия Нұрланқызы"),
                ("email", "aliya@mail.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
                ("marketing", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.text);
    assert_eq!(res.header("location"), format!("/s/{slug}/my"));
    let mail = app.mail_to("aliya@mail.kz").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].text.contains("/verify-email?token="),
        "{}",
        mail[0].text
    );
    let students = app
        .call("GET", "/api/v1/students?q=нұрлан", &owner, None)
        .await
        .items();
    assert_eq!(students.as_array().unwrap().len(), 1, "{students}");
    let student_id = students[0]["id"].as_str().unwrap().to_owned();
    // The consents are kept with their versions and texts.
    {
        let mut conn = app.store().conn().await.unwrap();
        let tenant = educenter_store::tenancy::by_slug(&mut conn, slug)
            .await
            .unwrap()
            .unwrap();
        let consents = educenter_store::learning::consents(
            &mut conn,
            &tenant.id,
            &educenter_domain::ids::UserId::new(student_id.clone()),
        )
        .await
        .unwrap();
        let kinds: Vec<_> = consents.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["privacy", "marketing"]);
        assert_eq!(
            consents[0].text_version,
            educenter_services::privacy::PRIVACY_VERSION
        );
    }
    // The same e-mail again: refused beside the field.
    let other = app.browser();
    let res = other
        .post_form(
            &format!("/s/{slug}/signup"),
            &[
                ("full_name", "X"),
                ("email", "aliya@mail.kz"),
                ("password", STUDENT_PASSWORD),
                ("privacy", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"email-error\""));

    let my = b.get(&format!("/s/{slug}/my")).await;
    assert_eq!(my.status, 200);
    assert!(my.text.contains("id=\"my-empty\""));
    // Before enrolling, the lessons are locked.
    let page = b.get(&format!("/s/{slug}/lessons/{vid}")).await;
    assert!(page.text.contains("id=\"lesson-locked\""), "{}", page.text);
    assert!(!page.text.contains("/media/"));
    // The closed course cannot be joined by the student.
    let res = b
        .post_form(&format!("/s/{slug}/courses/{}/enrol", closed.id), &[])
        .await;
    assert_eq!(res.status, 403);
    let res = b
        .post_form(&format!("/s/{slug}/courses/{cid}/enrol"), &[])
        .await;
    assert_eq!(res.status, 303);
    let outline = b.get(&format!("/s/{slug}/courses/{cid}")).await;
    assert!(outline.text.contains("lesson-open"));
    assert!(
        outline.text.contains("lesson-locked"),
        "the 7-days lesson is locked"
    );

    // The video lesson: a player with a signed link, which answers ranges.
    let page = b.get(&format!("/s/{slug}/lessons/{vid}")).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<video"), "{}", page.text);
    let link = media_link(&page.text);
    let (status, headers, body) = get_with(&app, &link, &[("range", "bytes=0-1023")]).await;
    assert_eq!((status, body.len()), (206, 1024));
    assert_eq!(h(&headers, "content-range"), "bytes 0-1023/50000");
    // The player saves the position; the page resumes there.
    let res = report(
        &b,
        &app,
        slug,
        vid,
        json!({ "position_ms": 30_000, "duration_ms": 100_000 }),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["lesson_complete"], false);
    let page = b.get(&format!("/s/{slug}/lessons/{vid}")).await;
    assert!(page.text.contains("data-position-ms=\"30000\""));
    // Bad reports are refused.
    let res = report(&b, &app, slug, vid, json!({ "position_ms": -5 })).await;
    assert_eq!(res.status, 422);
    // 90% played completes the lesson.
    let res = report(
        &b,
        &app,
        slug,
        vid,
        json!({ "position_ms": 90_000, "duration_ms": 100_000 }),
    )
    .await;
    assert_eq!(res.json()["lesson_complete"], true);
    assert_eq!(res.json()["course_complete"], false);

    // The text lesson: sanitized HTML, then "mark complete" completes the course (the third
    // lesson is not required).
    let page = b.get(&format!("/s/{slug}/lessons/{tid}")).await;
    assert!(page.text.contains("<strong>hello</strong>"));
    assert!(!page.text.contains("<script>alert"));
    let res = b
        .post_form(&format!("/s/{slug}/lessons/{tid}/complete"), &[])
        .await;
    assert_eq!(res.status, 303);
    // The course is complete, so it goes back to the course rather than on to the optional
    // lesson.
    assert_eq!(res.header("location"), format!("/s/{slug}/courses/{cid}"));
    let locked = b.get(&format!("/s/{slug}/lessons/{later}")).await;
    assert!(locked.text.contains("id=\"lesson-locked\""));
    let outline = b.get(&format!("/s/{slug}/courses/{cid}")).await;
    assert!(
        outline.text.contains("id=\"course-complete\""),
        "{}",
        outline.text
    );

    // The teacher's progress table.
    let table = app
        .call(
            "GET",
            &format!("/api/v1/courses/{cid}/progress"),
            &owner,
            None,
        )
        .await
        .json();
    assert_eq!(table["lesson_ids"].as_array().unwrap().len(), 3);
    let row = &table["students"][0];
    assert_eq!(row["full_name"], "Әлия Нұрланқызы");
    assert_eq!(row["done"], 2);
    assert!(row["completed_at"].is_string());

    // Unenrolled, the student's media link stops working at once.
    let enrolments = app
        .call(
            "GET",
            &format!("/api/v1/courses/{cid}/enrolments"),
            &owner,
            None,
        )
        .await
        .items();
    let eid = enrolments[0]["id"].as_str().unwrap();
    let res = app
        .call("DELETE", &format!("/api/v1/enrolments/{eid}"), &owner, None)
        .await;
    assert_eq!(res.status, 204);
    assert_eq!(get_with(&app, &link, &[]).await.0, 404);
    // Not even a lesson completed before opens without the enrolment.
    let page = b.get(&format!("/s/{slug}/lessons/{tid}")).await;
    assert!(page.text.contains("id=\"lesson-locked\""), "{}", page.text);
    assert!(!page.text.contains("<strong>hello</strong>"));
    // Staff enrol again with access dates; the progress is kept.
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{cid}/enrolments"),
            &owner,
            Some(json!({ "user_id": student_id, "access_from": "2027-03-01", "access_to": "2027-02-01" })),
        )
        .await;
    assert_eq!(
        crate::harness::error_fields(&res.problem(422)),
        ["access_to"]
    );
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{cid}/enrolments"),
            &owner,
            Some(json!({ "user_id": student_id, "access_to": "2027-12-31" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(
        get_with(&app, &link, &[("range", "bytes=0-0")]).await.0,
        206
    );
    let table = app
        .call(
            "GET",
            &format!("/api/v1/courses/{cid}/progress"),
            &owner,
            None,
        )
        .await
        .json();
    assert_eq!(table["students"][0]["done"], 2);
    app.stop().await;
}

#[tokio::test]
async fn a_student_of_one_school_reaches_nothing_of_another() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let b = given::beta(&app).await.owner_token;
    let video = upload(&app, &b, "b.mp4", mp4(5_000), Some("video")).await;
    let course = given::course(&app, &b, "B")
        .published()
        .self_enrol()
        .module("M")
        .lesson(json!({ "title": "V", "kind": "video", "media_id": video["id"] }))
        .create()
        .await;
    let bc = course.id.as_str();
    let b_link = given::media_link(&app, &b, &video).await;

    // A student of school A.
    let s = given::student(&app, &alma, "pupil@alma.kz").create().await;
    // School B's site does not know them.
    let res = app
        .browser()
        .post_form(
            "/s/beta-school/login",
            &[("email", "pupil@alma.kz"), ("password", STUDENT_PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 401);
    // B's course and lesson through A's site: not found.
    assert_eq!(
        s.get(&format!("/s/alma-school/courses/{bc}")).await.status,
        404
    );
    let lid = &course.lessons[0];
    assert_eq!(
        s.get(&format!("/s/alma-school/lessons/{lid}")).await.status,
        404
    );
    assert_eq!(
        s.post_form(&format!("/s/alma-school/courses/{bc}/enrol"), &[])
            .await
            .status,
        404
    );
    // Through B's site the session of A's student counts for nothing: the course's public
    // page, as any visitor reads it, offers to sign up.
    let res = s.get(&format!("/s/beta-school/courses/{bc}")).await;
    assert_eq!(res.status, 200);
    assert!(!res.text.contains("id=\"course-progress\"") && !res.text.contains("id=\"sign-out\""));
    // A's student signs a link with their own user id onto B's file: refused.
    let forged = b_link.replace("u=", "u=x");
    assert_eq!(get_with(&app, &forged, &[]).await.0, 404);
    // The API: a student's session is not staff.
    let token = app
        .token_for("pupil@alma.kz", STUDENT_PASSWORD, Some("alma-school"))
        .await;
    app.call("GET", "/api/v1/courses", &token, None)
        .await
        .problem(403);
    app.call(
        "GET",
        &format!("/api/v1/media/{}", video["id"].as_str().unwrap()),
        &token,
        None,
    )
    .await
    .problem(403);
    app.stop().await;
}

#[tokio::test]
async fn staff_import_students_from_csv_all_or_nothing_and_enrol_a_group() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let owner = alma.owner_token.clone();
    app.call(
        "POST",
        "/api/v1/students",
        &owner,
        Some(json!({ "full_name": "Ерлан Ахметов", "email": "erlan@mail.kz", "group": "10-А" })),
    )
    .await;
    // Three bad rows among good ones: every one reported, nothing imported.
    let csv = "full_name;email;phone;group\n\
               Дана Серикова;dana@mail.kz;+77011112233;10-А\n\
               ;no-name@mail.kz;;\n\
               Арман;not-an-email;;10-Б\n\
               Дана Серикова;dana@mail.kz;;\n\
               Ерлан;erlan@mail.kz;8701;\n";
    let res = app
        .call(
            "POST",
            "/api/v1/students/import",
            &owner,
            Some(json!({ "csv": csv })),
        )
        .await;
    let problem = res.problem(422);
    assert_eq!(
        crate::harness::error_fields(&problem),
        // Rows as the spreadsheet numbers them: the header is row 1.
        [
            "rows[3].full_name",
            "rows[4].email",
            "rows[5].email",
            "rows[6].phone"
        ],
        "{problem}"
    );
    let students = app
        .call("GET", "/api/v1/students", &owner, None)
        .await
        .items();
    assert_eq!(
        students.as_array().unwrap().len(),
        1,
        "nothing half-imported"
    );
    // A header without the needed columns.
    let res = app
        .call(
            "POST",
            "/api/v1/students/import",
            &owner,
            Some(json!({ "csv": "name,mail\nA,b@c.kz" })),
        )
        .await;
    assert_eq!(crate::harness::error_fields(&res.problem(422)), ["csv"]);

    // The good rows alone: imported, invited, grouped.
    let csv = "full_name,email,phone,group\n\
               Дана Серикова,dana@mail.kz,+7 701 111 22 33,10-А\n\
               Арман Бекұлы,arman@mail.kz,,10-Б\n";
    let res = app
        .call(
            "POST",
            "/api/v1/students/import",
            &owner,
            Some(json!({ "csv": csv })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["imported"], 2);
    let mail = app.mail_to("dana@mail.kz").await;
    assert_eq!(mail.len(), 1);
    assert!(
        mail[0].text.contains("/invitation?token="),
        "{}",
        mail[0].text
    );
    let groups = app
        .call("GET", "/api/v1/groups", &owner, None)
        .await
        .items();
    let members: Vec<(String, i64)> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_owned(),
                g["members"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(members, [("10-А".to_owned(), 2), ("10-Б".to_owned(), 1)]);

    // The group 10-А enrolled in a course with access dates.
    let course = app
        .call(
            "POST",
            "/api/v1/courses",
            &owner,
            Some(json!({ "title": "Алгебра" })),
        )
        .await
        .json();
    let cid = course["id"].as_str().unwrap();
    let group = groups[0]["id"].as_str().unwrap();
    let res = app
        .call(
            "POST",
            &format!("/api/v1/courses/{cid}/group-enrolments"),
            &owner,
            Some(json!({ "group_id": group, "access_from": "2027-03-01", "access_to": "2027-06-30" })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert_eq!(res.json()["enrolled"], 2);
    let enrolments = app
        .call(
            "GET",
            &format!("/api/v1/courses/{cid}/enrolments"),
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(enrolments.as_array().unwrap().len(), 2);
    assert_eq!(enrolments[0]["access_to"], "2027-06-30");
    // The student's page: groups and courses.
    let dana = app
        .call("GET", "/api/v1/students?q=dana", &owner, None)
        .await
        .items()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = app
        .call("GET", &format!("/api/v1/students/{dana}"), &owner, None)
        .await
        .json();
    assert_eq!(detail["groups"], json!(["10-А"]));
    assert_eq!(detail["courses"][0]["title"], "Алгебра");
    assert_eq!(detail["phone"], "+77011112233");
    // A teacher may not manage students; an accountant neither.
    let teacher = given::staff(&app, &alma, "asel@alma.kz", "teacher")
        .await
        .token;
    app.call("GET", "/api/v1/students", &teacher, None)
        .await
        .problem(403);
    app.stop().await;
}

#[tokio::test]
async fn a_teacher_builds_a_course_in_the_editor_pages_and_sees_the_progress_table() {
    let app = TestApp::start().await;
    let alma = given::alma(&app).await;
    let b = app.browser();
    b.sign_in(
        "owner@alma.kz",
        crate::harness::OWNER_PASSWORD,
        "alma-school",
    )
    .await;
    let cabinet = b.get("/cabinet").await;
    assert!(cabinet.text.contains("id=\"courses-link\""));
    // A course without a title is refused beside the field.
    let res = b
        .post_form("/cabinet/courses", &[("course_title", " ")])
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"course_title-error\""));
    let res = b
        .post_form(
            "/cabinet/courses",
            &[
                ("course_title", "Казахский язык"),
                ("course_description", "Для начинающих"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let editor = res.header("location").to_owned();
    let id = editor.rsplit('/').next().unwrap().to_owned();
    let res = b
        .post_form(&format!("{editor}/modules"), &[("module_title", "Әліпби")])
        .await;
    assert_eq!(res.status, 303);
    let page = b.get(&editor).await;
    assert!(page.text.contains("Әліпби"));
    let module_id = {
        let i = page.text.find("<option value=\"").unwrap() + 15;
        page.text[i..i + page.text[i..].find('"').unwrap()].to_owned()
    };
    // A video lesson without its file: refused beside the kind.
    let res = b
        .post_form(
            &format!("{editor}/lessons"),
            &[
                ("lesson_module", &module_id),
                ("lesson_title", "Видео"),
                ("lesson_kind", "video"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.text.contains("id=\"lesson_kind-error\""));
    // The file comes from the editor's upload (the same route the page's script posts to).
    let upload = app
        .send(
            b.client
                .post(app.url("/cabinet/media"))
                .query(&[("filename", "әріптер.mp4"), ("kind", "video")])
                .header("origin", app.url(""))
                .header("sec-fetch-site", "same-origin")
                .body(mp4(4096)),
        )
        .await;
    assert_eq!(upload.status, 201, "{}", upload.text);
    let media_id = upload.json()["id"].as_str().unwrap().to_owned();
    for (title, kind, extra) in [
        ("Әріптер", "video", ("media_id", media_id.as_str())),
        ("Сөздер", "text", ("lesson_body", "**Сәлем** — привет")),
    ] {
        let res = b
            .post_form(
                &format!("{editor}/lessons"),
                &[
                    ("lesson_module", &module_id),
                    ("lesson_title", title),
                    ("lesson_kind", kind),
                    ("lesson_required", "on"),
                    ("lesson_published", "on"),
                    extra,
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.text);
    }
    // Publish, open for self-enrolment.
    let res = b
        .post_form(
            &editor,
            &[
                ("course_title", "Казахский язык"),
                ("course_description", "Для начинающих"),
                ("course_status", "published"),
                ("self_enrol", "on"),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let page = b.get(&editor).await;
    assert!(page.text.contains("id=\"student-view\""));
    // The preview shows the player with a working link.
    let owner = alma.sign_in(&app).await;
    let lessons = app
        .call(
            "GET",
            &format!("/api/v1/courses/{id}/lessons"),
            &owner,
            None,
        )
        .await
        .items();
    let video_lesson = lessons[0]["id"].as_str().unwrap();
    let preview = b
        .get(&format!("/cabinet/lessons/{video_lesson}/preview"))
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.text.contains("id=\"preview-banner\""));
    let link = media_link(&preview.text);
    assert_eq!(
        get_with(&app, &link, &[("range", "bytes=0-15")]).await.0,
        206
    );
    // Reorder: the text lesson up.
    let text_lesson = lessons[1]["id"].as_str().unwrap();
    b.post_form(
        &format!("/cabinet/lessons/{text_lesson}/move"),
        &[("direction", "up")],
    )
    .await;
    let lessons = app
        .call(
            "GET",
            &format!("/api/v1/courses/{id}/lessons"),
            &owner,
            None,
        )
        .await
        .items();
    assert_eq!(lessons[0]["title"], "Сөздер");
    // Modules move too: a second module, then up above the first.
    b.post_form(&format!("{editor}/modules"), &[("module_title", "Сөздік")])
        .await;
    let course = app
        .call("GET", &format!("/api/v1/courses/{id}"), &owner, None)
        .await
        .json();
    let second = course["modules"][1]["id"].as_str().unwrap().to_owned();
    let res = b
        .post_form(
            &format!("/cabinet/modules/{second}/move"),
            &[("direction", "up")],
        )
        .await;
    assert_eq!(res.status, 303);
    let course = app
        .call("GET", &format!("/api/v1/courses/{id}"), &owner, None)
        .await
        .json();
    assert_eq!(course["modules"][0]["title"], "Сөздік");
    assert_eq!(course["modules"][1]["title"], "Әліпби");

    // A student completes the text lesson; the progress table shows it.
    let s = given::student(&app, &alma, "pupil@alma.kz")
        .enrolled_in(&id)
        .create()
        .await;
    assert_eq!(
        s.post_form(
            &format!("/s/alma-school/lessons/{text_lesson}/complete"),
            &[]
        )
        .await
        .status,
        303
    );
    let table = b.get(&format!("/cabinet/courses/{id}/progress")).await;
    assert_eq!(table.status, 200);
    assert!(table.text.contains("Әлия Нұрланқызы"), "{}", table.text);
    assert!(table.text.contains("cell-complete"));
    assert!(table.text.contains("cell-none"));
    // The students page lists her; her page shows the course.
    let students = b.get("/cabinet/students?q=pupil").await;
    assert!(students.text.contains("pupil@alma.kz"));
    app.stop().await;
}

#[tokio::test]
async fn the_demo_school_is_a_working_school() {
    let app = TestApp::start().await;
    let lines = educenter_server::demo::seed(app.services(), app.store(), "http://demo")
        .await
        .expect("the demo school");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("http://demo/s/demo-school/"))
    );
    let home = app.get("/s/demo-school/").await;
    assert!(
        home.text.contains("Қазақ тілі: алғашқы қадамдар"),
        "{}",
        home.text
    );
    // The generated logo and cover are on the site, as PNG images.
    for needle in ["/s/demo-school/logo?v=", "/cover?v="] {
        let at = home
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}: {}", home.text));
        let start = home.text[..at].rfind('"').unwrap() + 1;
        let end = at + home.text[at..].find('"').unwrap();
        let res = app.get(&home.text[start..end]).await;
        assert_eq!(res.status, 200, "{}", &home.text[start..end]);
        assert_eq!(res.header("content-type"), "image/png");
    }
    // The first student has some progress; the audio lesson resumes where she stopped.
    let s = app.browser();
    let res = s
        .post_form(
            "/s/demo-school/login",
            &[
                ("email", "aliya@demo.educenter.kz"),
                ("password", educenter_server::demo::PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    let my = s.get("/s/demo-school/my").await;
    assert!(my.text.contains("Пройдено уроков: 1 из"), "{}", my.text);
    let teacher = app
        .token_for(
            "teacher@demo.educenter.kz",
            educenter_server::demo::PASSWORD,
            Some("demo-school"),
        )
        .await;
    let courses = app
        .call("GET", "/api/v1/courses", &teacher, None)
        .await
        .items();
    let cid = courses[0]["id"].as_str().unwrap();
    let lessons = app
        .call(
            "GET",
            &format!("/api/v1/courses/{cid}/lessons"),
            &teacher,
            None,
        )
        .await
        .items();
    let audio = lessons[1]["id"].as_str().unwrap();
    assert_eq!(lessons[1]["kind"], "audio");
    let page = s.get(&format!("/s/demo-school/lessons/{audio}")).await;
    assert!(page.text.contains("<audio"));
    assert!(page.text.contains("data-position-ms=\"3200\""));
    let (status, headers, body) =
        get_with(&app, &media_link(&page.text), &[("range", "bytes=0-43")]).await;
    assert_eq!(status, 206);
    assert_eq!(&body[..4], b"RIFF");
    assert_eq!(h(&headers, "content-type"), "audio/x-wav");
    let table = app
        .call(
            "GET",
            &format!("/api/v1/courses/{cid}/progress"),
            &teacher,
            None,
        )
        .await
        .json();
    assert_eq!(table["students"].as_array().unwrap().len(), 2);
    app.stop().await;
}

#[tokio::test]
async fn a_schools_subdomain_is_its_site_when_a_base_domain_is_set() {
    let app = TestApp::builder()
        .base_domain("educenter.test")
        .start()
        .await;
    let owner = given::alma(&app).await.owner_token;
    given::course(&app, &owner, "Домбыра")
        .module("Начало")
        .text_lesson("Первый урок", "Текст")
        .published()
        .create()
        .await;
    let on = |path: &str, host: &str| {
        app.send(
            reqwest::Client::new()
                .get(app.url(path))
                .header("host", host),
        )
    };
    let home = on("/", "alma-school.educenter.test:8080").await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("Домбыра"), "{}", home.text);
    let login = on("/login", "alma-school.educenter.test").await;
    assert!(login.text.contains("action=\"/s/alma-school/login\""));
    // A student's e-mailed links open on the school's host as the school's own pages.
    let invitation = on("/invitation?token=unknown", "alma-school.educenter.test").await;
    assert_eq!(invitation.status, 200);
    assert!(
        invitation
            .text
            .contains("action=\"/s/alma-school/invitation\""),
        "{}",
        invitation.text
    );
    let reset = on(
        "/reset-password?token=unknown",
        "alma-school.educenter.test",
    )
    .await;
    assert!(
        reset
            .text
            .contains("action=\"/s/alma-school/reset-password\"")
    );
    let verify = on("/verify-email?token=unknown", "alma-school.educenter.test").await;
    assert_eq!(verify.status, 404);
    assert!(
        verify.text.contains("href=\"/s/alma-school/\""),
        "{}",
        verify.text
    );
    // Shared paths stay shared; the platform's own host and unknown schools are untouched.
    let css = on("/static/app.css", "alma-school.educenter.test").await;
    assert_eq!(css.status, 200);
    let platform = on("/", "educenter.test").await;
    assert!(!platform.text.contains("Домбыра"));
    assert_eq!(on("/", "nobody.educenter.test").await.status, 404);
    app.stop().await;
}
