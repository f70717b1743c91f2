//! Enrolments by the school: one student, a group, or leaving a course; the lists of enrolments and students.

use super::*;
use educenter_domain::ids::TenantId;
use educenter_domain::learning::EnrolmentSource;

/// Staff enrol a student, with optional access dates.
#[derive(Debug, Clone, Default)]
pub struct EnrolInput {
    pub user_id: String,
    pub access_from: Option<String>,
    pub access_to: Option<String>,
}

pub(crate) fn parse_date(field: &str, v: &Option<String>, errors: &mut Errors) -> Option<Date> {
    let v = v.as_deref().filter(|s| !s.is_empty())?;
    match v.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push((field.into(), Msg::date_format()));
            None
        }
    }
}

/// Enrols one of the school's students in a course (staff with `ManageLearners`).
pub async fn enrol(
    services: &Services,
    who: &Principal,
    course_id: &str,
    input: EnrolInput,
    origin: Origin,
) -> Result<Enrolment, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let tenant = manager(who)?;
    let access = check_access(&input.access_from, &input.access_to)?;
    let mut tx = services.db.begin().await?;
    let w = who.writing(services.clock.now(), origin);
    let student = UserId::new(input.user_id.as_str());
    let e = enrol_in(&mut tx, &w, &tenant, course_id, &student, access).await?;
    tx.commit().await?;
    Ok(e)
}

pub(crate) type Access = (Option<Date>, Option<Date>);

/// Checks an enrolment's access dates: each a date, the end not before the start.
pub(crate) fn check_access(
    from: &Option<String>,
    to: &Option<String>,
) -> Result<Access, ServiceError> {
    let mut errors = Vec::new();
    let from = parse_date("access_from", from, &mut errors);
    let to = parse_date("access_to", to, &mut errors);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.push(("access_to".into(), Msg::new("err-to-before-from")));
    }
    invalid(errors)?;
    Ok((from, to))
}

/// Enrols one student in a transaction of the caller's, with its audit entry.
pub(crate) async fn enrol_in(
    tx: &mut Conn,
    w: &crate::access::WriteCtx<'_>,
    tenant: &TenantId,
    course_id: &CourseId,
    user_id: &UserId,
    (from, to): Access,
) -> Result<Enrolment, ServiceError> {
    let now = w.now;
    let course = content_store::course(tx, tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    let student = live_student(tx, tenant, user_id).await.map_err(|_| {
        ServiceError::Invalid(vec![("user_id".into(), Msg::new("err-not-a-student"))])
    })?;
    let e = store::enrol(
        tx,
        &Enrolment {
            id: new_id(),
            tenant_id: tenant.clone(),
            course_id: course.id.clone(),
            user_id: student.id.clone(),
            source: EnrolmentSource::Staff,
            access_from: from,
            access_to: to,
            enrolled_at: now,
            completed_at: None,
            removed_at: None,
        },
    )
    .await?;
    let entry = w
        .audit("enrolment.create")
        .tenant(tenant.to_owned())
        .target("enrolment", e.id.clone())
        .details(serde_json::json!({ "course": course.id, "user": student.id, "source": "staff" }));
    audit::record(tx, &entry, now).await?;
    Ok(e)
}

/// Ends an enrolment (staff); the progress is kept should the student come back.
pub async fn unenrol(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let tenant = manager(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::remove_enrolment(&mut tx, &tenant, id, now).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-enrolment")));
    }
    let entry = who
        .audit("enrolment.remove")
        .tenant(tenant)
        .target("enrolment", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A page of a course's live enrolments, oldest first (staff).
pub async fn enrolments_page(
    services: &Services,
    who: &Principal,
    course_id: &str,
    req: &PageRequest,
) -> Result<Page<Enrolment>, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    content_store::course(&mut conn, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    Ok(store::course_enrolments_page(&mut conn, &tenant, course_id, req).await?)
}

/// The school's students, by name; `query` filters by name or e-mail (staff).
pub async fn students(
    services: &Services,
    who: &Principal,
    query: Option<&str>,
) -> Result<Vec<User>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::learners(&mut conn, &tenant, query).await?)
}

/// A page of the school's students by name; `query` filters by name or e-mail (staff).
pub async fn students_page(
    services: &Services,
    who: &Principal,
    query: Option<&str>,
    req: &PageRequest,
) -> Result<Page<User>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(educenter_store::accounts::learners_page(&mut conn, &tenant, query, req).await?)
}

/// Enrols every student of a group in a course, all in one transaction; returns how many.
pub async fn enrol_group(
    services: &Services,
    who: &Principal,
    course_id: &str,
    group_id: &str,
    access: (Option<String>, Option<String>),
    origin: Origin,
) -> Result<usize, ServiceError> {
    let course_id = &CourseId::new(course_id);
    let tenant = manager(who)?;
    let access = check_access(&access.0, &access.1)?;
    let w = who.writing(services.clock.now(), origin);
    let mut tx = services.db.begin().await?;
    // The course is the school's own, even for a group with nobody in it yet.
    content_store::course(&mut tx, &tenant, course_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-course")))?;
    store::group(&mut tx, &tenant, group_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
    let members = store::group_members(&mut tx, &tenant, group_id).await?;
    for user_id in &members {
        enrol_in(&mut tx, &w, &tenant, course_id, user_id, access).await?;
    }
    tx.commit().await?;
    Ok(members.len())
}
