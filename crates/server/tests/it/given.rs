//! Data builders for the set-up scenario tests share (issue 16, item 7): a school signed up, on
//! a plan, with a paid licence; a course with its modules and lessons; a student who signed up
//! on the school's site, signed in there and enrolled; a staff member signed in; an API token.
//! Each makes the requests a test would make by hand, through the public API and the harness,
//! and asserts that they succeed, so that a test states only what matters to it:
//!
//! ```ignore
//! let alma = given::alma(&app).licence(1).await;
//! let course = given::course(&app, &alma.owner_token, "Алгебра")
//!     .published()
//!     .self_enrol()
//!     .module("Уравнения")
//!     .text_lesson("Первый", "Текст")
//!     .create()
//!     .await;
//! let dana_browser = given::student(&app, &alma, "dana@mail.kz")
//!     .enrolled_in(&course.id)
//!     .create()
//!     .await;
//! ```
//!
//! A school's builder is awaited as it stands; the others are made with `create()`.

use std::future::IntoFuture;

use futures::future::LocalBoxFuture;
use serde_json::{Value, json};

use crate::{
    harness::{Browser, OWNER_PASSWORD, TestApp},
    learning::{STUDENT_PASSWORD, student_signs_up},
    staff::hire,
};

/// The password [`hire`] gives every staff member.
pub const STAFF_PASSWORD: &str = "Teacher-2027!";

/// A school as it signs up: its address, its BIN, and its owner's e-mail and phone.
#[derive(Clone, Copy)]
struct Signup {
    slug: &'static str,
    bin: &'static str,
    email: &'static str,
    phone: &'static str,
}

/// Alma, the school most tests sign up: `alma-school`, BIN 123456789013, owner@alma.kz.
pub fn alma(app: &TestApp) -> SchoolBuilder<'_> {
    SchoolBuilder::new(
        app,
        Signup {
            slug: "alma-school",
            bin: "123456789013",
            email: "owner@alma.kz",
            phone: "+77011234567",
        },
    )
}

/// Beta, the other school of a two-school story: `beta-school`, BIN 900101300007,
/// owner@beta.kz.
pub fn beta(app: &TestApp) -> SchoolBuilder<'_> {
    SchoolBuilder::new(
        app,
        Signup {
            slug: "beta-school",
            bin: "900101300007",
            email: "owner@beta.kz",
            phone: "+77019876543",
        },
    )
}

/// Gamma, a third school: `gamma-school`, BIN 880101300000, owner@gamma.kz.
pub fn gamma(app: &TestApp) -> SchoolBuilder<'_> {
    SchoolBuilder::new(
        app,
        Signup {
            slug: "gamma-school",
            bin: "880101300000",
            email: "owner@gamma.kz",
            phone: "+77019876544",
        },
    )
}

/// A school to sign up ([`alma`], [`beta`], [`gamma`]): awaiting it signs the school up and
/// its owner in ([`TestApp::school`]), then creates the plan and buys the licence asked for.
pub struct SchoolBuilder<'a> {
    app: &'a TestApp,
    signup: Signup,
    plan: Option<Plan>,
    licence_months: Option<i64>,
}

impl<'a> SchoolBuilder<'a> {
    fn new(app: &'a TestApp, signup: Signup) -> Self {
        SchoolBuilder {
            app,
            signup,
            plan: None,
            licence_months: None,
        }
    }

    /// The owner's phone, when the story needs another one.
    pub fn phone(mut self, phone: &'static str) -> Self {
        self.signup.phone = phone;
        self
    }

    /// The super-admin creates this plan once the school has signed up, before any licence.
    pub fn on_plan(mut self, plan: Plan) -> Self {
        self.plan = Some(plan);
        self
    }

    /// The school buys a licence of plan "start" for this many months today, and the billing
    /// officer records its payment ([`TestApp::buy_licence`]).
    pub fn licence(mut self, months: i64) -> Self {
        self.licence_months = Some(months);
        self
    }

    async fn create(self) -> School {
        let Signup {
            slug,
            bin,
            email,
            phone,
        } = self.signup;
        let owner_token = self.app.school(slug, bin, email, phone).await;
        if let Some(plan) = self.plan {
            plan.create(self.app).await;
        }
        let mut invoice = Value::Null;
        if let Some(months) = self.licence_months {
            invoice = self.app.buy_licence(&owner_token, months).await;
        }
        School {
            slug,
            owner_email: email,
            owner_token,
            invoice,
        }
    }
}

impl<'a> IntoFuture for SchoolBuilder<'a> {
    type Output = School;
    type IntoFuture = LocalBoxFuture<'a, School>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.create())
    }
}

/// A school signed up, its owner signed in.
pub struct School {
    pub slug: &'static str,
    owner_email: &'static str,
    /// The owner's token from the sign-up: a day's token (see [`School::sign_in`]).
    pub owner_token: String,
    /// The invoice of the licence bought at sign-up, paid; null when none was bought.
    pub invoice: Value,
}

impl School {
    /// Signs the owner in again and returns the new token: a token does not outlive a move of
    /// the test clock by a day or more.
    pub async fn sign_in(&self, app: &TestApp) -> String {
        app.token_for(self.owner_email, OWNER_PASSWORD, Some(self.slug))
            .await
    }

    /// The school's id ([`TestApp::tenant_of`]).
    pub async fn tenant_id(&self, app: &TestApp) -> educenter_domain::ids::TenantId {
        app.tenant_of(&self.owner_token).await
    }
}

/// A plan "start" (Старт) for 100 students, 5 staff, 10 GB of storage and 20 courses at
/// 30 000.00 KZT a month from 2024-01-01, unless changed.
pub struct Plan {
    storage_bytes: i64,
    courses: i64,
    prices: Vec<(i64, i64)>,
}

/// The plan "start", to change and then create ([`Plan::create`], [`SchoolBuilder::on_plan`]).
pub fn plan() -> Plan {
    Plan {
        storage_bytes: 10_000_000_000,
        courses: 20,
        prices: vec![(1, 3_000_000)],
    }
}

impl Plan {
    /// The storage the plan allows, in bytes.
    pub fn storage_bytes(mut self, bytes: i64) -> Self {
        self.storage_bytes = bytes;
        self
    }

    /// The courses the plan allows.
    pub fn courses(mut self, courses: i64) -> Self {
        self.courses = courses;
        self
    }

    /// One more price: this many months for this amount of KZT, in force from 2024-01-01.
    pub fn price(mut self, months: i64, amount_minor: i64) -> Self {
        self.prices.push((months, amount_minor));
        self
    }

    /// The super-admin creates the plan ([`TestApp::create_plan`]).
    pub async fn create(self, app: &TestApp) {
        let prices: Vec<Value> = self
            .prices
            .iter()
            .map(|(months, amount)| {
                json!({ "currency": "KZT", "months": months, "amount_minor": amount, "effective_from": "2024-01-01" })
            })
            .collect();
        app.create_plan(json!({
            "code": "start",
            "name": { "ru": "Старт", "kk": "Старт", "en": "Start" },
            "limits": { "students": 100, "staff": 5, "storage_bytes": self.storage_bytes, "courses": self.courses },
            "prices": prices,
        }))
        .await;
    }
}

/// A course to create through the API ([`course`]).
pub struct CourseBuilder<'a> {
    app: &'a TestApp,
    token: &'a str,
    body: Value,
    modules: Vec<(String, Vec<Value>)>,
    publish: bool,
}

/// A course of this title that the person `token` is creates: a draft, closed to
/// self-enrolment and without modules unless said otherwise.
pub fn course<'a>(app: &'a TestApp, token: &'a str, title: &str) -> CourseBuilder<'a> {
    CourseBuilder {
        app,
        token,
        body: json!({ "title": title }),
        modules: Vec::new(),
        publish: false,
    }
}

impl CourseBuilder<'_> {
    /// Published (on the school's site) once its lessons are in.
    pub fn published(mut self) -> Self {
        self.publish = true;
        self
    }

    /// Open for students to enrol themselves.
    pub fn self_enrol(mut self) -> Self {
        self.body["self_enrol"] = json!(true);
        self
    }

    /// A module of this title; the lessons named after it go in it.
    pub fn module(mut self, title: &str) -> Self {
        self.modules.push((title.to_owned(), Vec::new()));
        self
    }

    /// A lesson of the last module named, created with this body and the module's id.
    pub fn lesson(mut self, body: Value) -> Self {
        self.modules
            .last_mut()
            .expect("a module before its lessons")
            .1
            .push(body);
        self
    }

    /// A text lesson of the last module named: its title and its Markdown.
    pub fn text_lesson(self, title: &str, markdown: &str) -> Self {
        self.lesson(json!({ "title": title, "kind": "text", "body": markdown }))
    }

    /// Creates the course, then each module and its lessons in order, then publishes it if
    /// asked.
    pub async fn create(self) -> Course {
        let (app, token) = (self.app, self.token);
        let id = created(app, token, "/api/v1/courses", self.body).await;
        let mut course = Course {
            id,
            modules: Vec::new(),
            lessons: Vec::new(),
        };
        for (title, lessons) in self.modules {
            let modules = format!("/api/v1/courses/{}/modules", course.id);
            let module = created(app, token, &modules, json!({ "title": title })).await;
            let path = format!("/api/v1/courses/{}/lessons", course.id);
            for mut body in lessons {
                body["module_id"] = json!(module);
                course.lessons.push(created(app, token, &path, body).await);
            }
            course.modules.push(module);
        }
        if self.publish {
            let path = format!("/api/v1/courses/{}", course.id);
            let res = app
                .call(
                    "PATCH",
                    &path,
                    token,
                    Some(json!({ "status": "published" })),
                )
                .await;
            assert_eq!(res.status, 200, "{path}: {}", res.text);
        }
        course
    }
}

/// A course as created: its id, and its modules' and lessons' ids in order.
pub struct Course {
    pub id: String,
    pub modules: Vec<String>,
    pub lessons: Vec<String>,
}

/// `POST` of this body; asserts 201 and returns the new object's id.
async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> String {
    let res = app.call("POST", path, token, Some(body)).await;
    assert_eq!(res.status, 201, "{path}: {}", res.text);
    res.json()["id"].as_str().expect("an id").to_owned()
}

/// A student to sign up on a school's site ([`student`]).
pub struct StudentBuilder<'a> {
    app: &'a TestApp,
    slug: &'static str,
    email: String,
    course: Option<String>,
}

/// A student who signs up on the school's site with this e-mail
/// ([`crate::learning::student_signs_up`]), then signs in there in a browser of their own:
/// `create` returns that browser.
pub fn student<'a>(app: &'a TestApp, school: &School, email: &str) -> StudentBuilder<'a> {
    StudentBuilder {
        app,
        slug: school.slug,
        email: email.to_owned(),
        course: None,
    }
}

impl<'a> StudentBuilder<'a> {
    /// The student enrols in this course on the site (it must be open for self-enrolment).
    pub fn enrolled_in(mut self, course: &str) -> Self {
        self.course = Some(course.to_owned());
        self
    }

    /// Signs the student up and in, and enrols them if asked; returns their browser.
    pub async fn create(self) -> Browser<'a> {
        let (app, slug, email) = (self.app, self.slug, self.email.as_str());
        student_signs_up(app, slug, email).await;
        let browser = app.browser();
        let res = browser
            .post_form(
                &format!("/s/{slug}/login"),
                &[("email", email), ("password", STUDENT_PASSWORD)],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.text);
        if let Some(course) = &self.course {
            let res = browser
                .post_form(&format!("/s/{slug}/courses/{course}/enrol"), &[])
                .await;
            assert_eq!(res.status, 303, "{}", res.text);
        }
        browser
    }
}

/// A published course students enrol in themselves, with one module and one text lesson.
pub async fn open_course(app: &TestApp, token: &str, title: &str) -> Course {
    course(app, token, title)
        .published()
        .self_enrol()
        .module("Модуль 1")
        .text_lesson("Урок 1", "Текст")
        .create()
        .await
}

/// A staff member signed in: their id and their token.
pub struct Staff {
    pub id: String,
    pub token: String,
}

/// A staff member of the school in this role, invited by its owner and accepted through the
/// e-mailed link ([`hire`]), then signed in.
pub async fn staff(app: &TestApp, school: &School, email: &str, role: &str) -> Staff {
    let id = hire(app, &school.owner_token, email, role).await;
    let token = app
        .token_for(email, STAFF_PASSWORD, Some(school.slug))
        .await;
    Staff { id, token }
}

/// An API token: its id and its secret.
pub struct ApiToken {
    pub id: String,
    pub secret: String,
}

/// An API token of this name and scope ("read" or "read_write") that the person `token` is
/// creates.
pub async fn api_token(app: &TestApp, token: &str, name: &str, scope: &str) -> ApiToken {
    let res = app
        .call(
            "POST",
            "/api/v1/tokens",
            token,
            Some(json!({ "name": name, "scope": scope })),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    let created = res.json();
    ApiToken {
        id: created["id"].as_str().expect("an id").to_owned(),
        secret: created["token"].as_str().expect("a secret").to_owned(),
    }
}

/// The signed link to an uploaded file that the API gives the person `token` is.
pub async fn media_link(app: &TestApp, token: &str, media: &Value) -> String {
    let id = media["id"].as_str().expect("a file's id");
    let res = app
        .call("GET", &format!("/api/v1/media/{id}"), token, None)
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["url"].as_str().expect("a link").to_owned()
}

/// An operator staff member of this role, created as the command line does it, and signed in
/// through the API (two-step sign-in set up): their token.
pub async fn operator_token(
    app: &TestApp,
    email: &str,
    role: educenter_domain::roles::OperatorRole,
    password: &str,
) -> String {
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        email,
        "Дана Омарова",
        role,
        password,
    )
    .await
    .expect("an operator");
    app.token_for(email, password, None).await
}

/// An operator staff member of this role, created and signed in with a browser of their own.
pub async fn operator<'a>(
    app: &'a TestApp,
    email: &str,
    role: educenter_domain::roles::OperatorRole,
    password: &str,
) -> Browser<'a> {
    educenter_services::operator_staff::create_operator(
        app.store(),
        app.now().await,
        email,
        "Дана Омарова",
        role,
        password,
    )
    .await
    .expect("an operator");
    let b = app.browser();
    b.sign_in(email, password, "").await;
    b
}
