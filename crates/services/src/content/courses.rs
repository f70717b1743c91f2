//! Courses: creating and changing them, the list a person may see, and the teachers assigned to each.

use super::*;
use educenter_domain::roles::Role;

/// What a course is made of, as the editor sends it (absent fields keep their value).
#[derive(Debug, Clone, Default)]
pub struct CourseInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub status: Option<String>,
    pub in_order: Option<bool>,
    pub self_enrol: Option<bool>,
    /// Completing the course (and passing its graded items) earns a certificate.
    pub certificate: Option<bool>,
    /// `Some(None)` removes the cover.
    pub cover_id: Option<Option<String>>,
}

pub(crate) fn check_course(c: &CourseInput, errors: &mut Errors) {
    if let Some(t) = &c.title {
        text("title", t, 1, 200, false, errors);
    }
    if let Some(d) = &c.description {
        text("description", d, 0, 5000, true, errors);
    }
    if c.status
        .as_deref()
        .is_some_and(|s| CourseStatus::parse(s).is_none())
    {
        errors.push(("status".into(), Msg::one_of_words::<CourseStatus>()));
    }
}

/// Creates a course (a draft unless told otherwise), within the plan's course limit.
pub async fn create_course(
    services: &Services,
    who: &Principal,
    input: CourseInput,
    origin: Origin,
) -> Result<Course, ServiceError> {
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let mut errors = Vec::new();
    if input.title.is_none() {
        errors.push(("title".into(), Msg::required()));
    }
    check_course(&input, &mut errors);
    // A new course has no lessons yet: it is published once it has one (issue 17, item 9).
    if input.status.as_deref().and_then(CourseStatus::parse) == Some(CourseStatus::Published) {
        errors.push(("status".into(), Msg::new("err-publish-empty")));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    check_limit(&mut tx, &tenant, Metric::Courses, 1, now).await?;
    let cover_id = input.cover_id.flatten().map(MediaId::new);
    if let Some(c) = &cover_id {
        check_image(&mut tx, who, &tenant, c, "cover_id").await?;
    }
    let course = Course {
        id: CourseId::new(new_id()),
        tenant_id: tenant.clone(),
        title: input.title.unwrap_or_default().trim().to_owned(),
        description: input.description.unwrap_or_default().trim().to_owned(),
        status: input
            .status
            .as_deref()
            .and_then(CourseStatus::parse)
            .unwrap_or(CourseStatus::Draft),
        in_order: input.in_order.unwrap_or(false),
        self_enrol: input.self_enrol.unwrap_or(false),
        certificate: input.certificate.unwrap_or(false),
        cover_id,
        revision: 0,
        created_at: now,
        updated_at: now,
        deleted_at: None,
    };
    store::insert_course(&mut tx, &course).await?;
    // A teacher who makes a course teaches it.
    if let Some(t) = s.teacher() {
        store::assign_teacher(&mut tx, &tenant, &course.id, t, now).await?;
    }
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        "course.create",
        ("course", &course.id),
    )
    .await?;
    tx.commit().await?;
    Ok(course)
}

/// The school's courses outside the trash.
pub async fn courses(services: &Services, who: &Principal) -> Result<Vec<Course>, ServiceError> {
    let s = reader(who)?;
    let tenant = s.tenant().clone();
    let mut conn = services.db.conn().await?;
    let mut all = store::courses(&mut conn, &tenant).await?;
    if let Some(mine) = s.courses(&mut conn).await? {
        all.retain(|c| mine.contains(&c.id));
    }
    Ok(all)
}

/// A page of the school's courses outside the trash (a teacher's assigned ones), oldest first.
pub async fn courses_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Course>, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    Ok(store::courses_page(&mut conn, s.tenant(), s.teacher(), req).await?)
}

/// A course with its modules, each with its lessons in order.
pub async fn course(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(Course, Vec<(Module, Vec<Lesson>)>), ServiceError> {
    let id = &CourseId::new(id);
    let s = reader(who)?;
    let tenant = s.tenant().clone();
    let mut conn = services.db.conn().await?;
    let course = live_course(&mut conn, &s, id).await?;
    let mut out = Vec::new();
    for m in store::modules(&mut conn, &tenant, id).await? {
        let lessons = store::module_lessons(&mut conn, &tenant, &m.id).await?;
        out.push((m, lessons));
    }
    Ok((course, out))
}

pub async fn update_course(
    services: &Services,
    who: &Principal,
    id: &str,
    input: CourseInput,
    origin: Origin,
) -> Result<Course, ServiceError> {
    let id = &CourseId::new(id);
    let s = editor(who)?;
    let tenant = s.tenant().clone();
    let mut errors = Vec::new();
    check_course(&input, &mut errors);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let mut course = live_course(&mut tx, &s, id).await?;
    let before = serde_json::to_value(&course).unwrap_or_default();
    if let Some(t) = input.title {
        course.title = t.trim().to_owned();
    }
    if let Some(d) = input.description {
        course.description = d.trim().to_owned();
    }
    if let Some(s) = input.status.as_deref().and_then(CourseStatus::parse) {
        // Students would find an empty course: one with no published lesson is not published.
        let publishing = s == CourseStatus::Published && course.status != CourseStatus::Published;
        if publishing
            && !store::course_outline(&mut tx, &tenant, id)
                .await?
                .iter()
                .any(|l| l.status.is_published())
        {
            return Err(ServiceError::Invalid(vec![(
                "status".into(),
                Msg::new("err-publish-empty"),
            )]));
        }
        course.status = s;
    }
    if let Some(o) = input.in_order {
        course.in_order = o;
    }
    if let Some(o) = input.self_enrol {
        course.self_enrol = o;
    }
    if let Some(o) = input.certificate {
        course.certificate = o;
    }
    if let Some(cover) = input.cover_id.map(|c| c.map(MediaId::new)) {
        if let Some(c) = &cover {
            check_image(&mut tx, who, &tenant, c, "cover_id").await?;
        }
        course.cover_id = cover;
    }
    course.updated_at = now;
    store::update_course(&mut tx, &course).await?;
    audit_update(
        &mut tx,
        &who.writing(now, origin),
        &tenant,
        "course.update",
        ("course", id),
        (&before, &course),
    )
    .await?;
    tx.commit().await?;
    Ok(course)
}

/// A course's teachers: (user id, full name), and the school's teachers who could be assigned.
pub async fn teachers(
    services: &Services,
    who: &Principal,
    course_id: &str,
) -> Result<Vec<TeacherChoice>, ServiceError> {
    teachers_of(services, who, &CourseId::new(course_id)).await
}

async fn teachers_of(
    services: &Services,
    who: &Principal,
    course_id: &CourseId,
) -> Result<Vec<TeacherChoice>, ServiceError> {
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_course(&mut conn, &s, course_id).await?;
    let assigned: HashSet<UserId> = store::course_teachers(&mut conn, s.tenant(), course_id)
        .await?
        .into_iter()
        .collect();
    let staff = educenter_store::accounts::staff(&mut conn, s.tenant()).await?;
    Ok(staff
        .into_iter()
        .filter(|u| u.removed_at.is_none() && u.role == Role::School(TenantRole::Teacher))
        .map(|u| TeacherChoice {
            assigned: assigned.contains(&u.id),
            id: u.id,
            full_name: u.full_name,
            email: u.email,
        })
        .collect())
}

/// A page of the school's teachers (in order of arrival), each with whether they teach the
/// course.
pub async fn teachers_page(
    services: &Services,
    who: &Principal,
    course_id: &str,
    req: &PageRequest,
) -> Result<Page<TeacherChoice>, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let s = reader(who)?;
    let mut conn = services.db.conn().await?;
    live_course(&mut conn, &s, course_id).await?;
    let assigned: HashSet<UserId> = store::course_teachers(&mut conn, s.tenant(), course_id)
        .await?
        .into_iter()
        .collect();
    let teacher = Some(TenantRole::Teacher);
    let page = educenter_store::accounts::staff_page(&mut conn, s.tenant(), teacher, req).await?;
    Ok(page.map(|u| TeacherChoice {
        assigned: assigned.contains(&u.id),
        id: u.id,
        full_name: u.full_name,
        email: u.email,
    }))
}

/// One of the school's teachers, and whether they teach a course.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TeacherChoice {
    pub id: UserId,
    pub full_name: String,
    pub email: String,
    pub assigned: bool,
}

/// Sets who teaches a course: exactly the teachers named (staff other than teachers may edit
/// every course and are not assigned). Teachers cannot change it.
pub async fn set_teachers(
    services: &Services,
    who: &Principal,
    course_id: &str,
    user_ids: &[String],
    origin: Origin,
) -> Result<Vec<TeacherChoice>, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let s = editor(who)?;
    if s.teacher().is_some() {
        return Err(ServiceError::Forbidden(Msg::new("err-teacher-assign")));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    live_course(&mut tx, &s, course_id).await?;
    let school_teachers: HashSet<UserId> = educenter_store::accounts::staff(&mut tx, s.tenant())
        .await?
        .into_iter()
        .filter(|u| u.removed_at.is_none() && u.role == Role::School(TenantRole::Teacher))
        .map(|u| u.id)
        .collect();
    let wanted: HashSet<UserId> = user_ids.iter().map(UserId::new).collect();
    if wanted.iter().any(|id| !school_teachers.contains(id)) {
        return Err(ServiceError::Invalid(vec![(
            "user_ids".into(),
            Msg::new("err-not-a-teacher"),
        )]));
    }
    for id in store::course_teachers(&mut tx, s.tenant(), course_id).await? {
        if !wanted.contains(&id) {
            store::unassign_teacher(&mut tx, s.tenant(), course_id, &id).await?;
        }
    }
    for id in &wanted {
        store::assign_teacher(&mut tx, s.tenant(), course_id, id, now).await?;
    }
    audit_entry(
        &mut tx,
        &who.writing(now, origin),
        s.tenant(),
        "course.teachers",
        ("course", course_id),
    )
    .await?;
    tx.commit().await?;
    teachers_of(services, who, course_id).await
}
