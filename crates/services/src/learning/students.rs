//! Students added by the school: by hand or from a file, invited to set a password (again when asked), their groups and their page.

use super::*;
use educenter_domain::ids::TenantId;
use educenter_domain::roles::AccountKind;
use educenter_domain::roles::TokenPurpose;

/// Makes an invitation to set a password for a student and queues its e-mail (`class`: bulk
/// for an import's many, transactional for one person added or invited again).
pub(crate) async fn queue_invitation(
    services: &Services,
    conn: &mut Conn,
    tenant: &Tenant,
    user_id: &UserId,
    learner: &Learner<'_>,
    class: outbox::MailClass,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let Learner {
        full_name,
        email,
        lang,
    } = *learner;
    let (secret, hash) = new_secret()?;
    users::create_token(
        conn,
        &hash,
        TokenPurpose::Invitation,
        user_id,
        Some(&tenant.id),
        now,
        now + crate::staff::INVITATION_VALIDITY,
    )
    .await?;
    let mut args = FluentArgs::new();
    args.set("name", full_name.to_owned());
    args.set("school", tenant.display_name().to_owned());
    args.set(
        "accept_url",
        format!(
            "{}invitation?token={secret}",
            services.school_url(&tenant.slug)
        ),
    );
    args.set("school_url", services.school_url(&tenant.slug));
    outbox::queue(
        conn,
        &NewMail {
            to: email.to_owned(),
            subject: services
                .i18n
                .t_args(lang, "mail-learner-invite-subject", &args),
            text: services
                .i18n
                .t_args(lang, "mail-learner-invite-body", &args),
            html: None,
            class,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Sends a student who has not set a password yet a new invitation; the earlier links stop
/// working. A student with a password is told to reset it instead.
pub async fn resend_invitation(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let id = &UserId::new(id);
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let user = live_student(&mut tx, &tenant_id, id).await?;
    if user.password_hash.is_some() {
        return Err(ServiceError::Conflict(Msg::new("err-student-has-password")));
    }
    let tenant = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    crate::throttle::take(
        &mut tx,
        &crate::throttle::invitation_resend(&tenant_id, &user.id),
        now,
    )
    .await?;
    let lang = Lang::from_code(&user.locale)
        .or_else(|| Lang::from_code(&tenant.locale))
        .unwrap_or(Lang::Ru);
    users::use_all_tokens(&mut tx, &user.id, TokenPurpose::Invitation, now).await?;
    let learner = Learner {
        full_name: &user.full_name,
        email: &user.email,
        lang,
    };
    queue_invitation(
        services,
        &mut tx,
        &tenant,
        &user.id,
        &learner,
        outbox::MailClass::Transactional,
        now,
    )
    .await?;
    let entry = who
        .audit("learner.reinvite")
        .tenant(tenant_id.clone())
        .target("user", user.id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(())
}

/// A student staff add by hand or by a CSV row.
#[derive(Debug, Clone, Default)]
pub struct StudentInput {
    pub full_name: String,
    pub email: String,
    pub phone: String,
    /// A group to put the student in (created when missing); empty for none.
    pub group: String,
}

/// A refused row of an import: its row as a spreadsheet numbers it (the header is row 1, the
/// first student row 2), the field and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub field: String,
    pub message: Msg,
}

/// Checks one student; returns (full name, e-mail, phone) or the field errors.
pub(crate) fn check_student(
    s: &StudentInput,
) -> Result<(String, String, Option<String>, Option<String>), Errors> {
    let mut errors = Vec::new();
    let full_name = s.full_name.trim().to_owned();
    if let Some(m) = Msg::text_error(&full_name, 1, 200, false) {
        errors.push(("full_name".into(), m));
    }
    let email = s.email.trim().to_lowercase();
    if email.len() > 254 || !educenter_domain::tenancy::valid_email(&email) {
        errors.push(("email".into(), Msg::email()));
    }
    let phone = match s.phone.trim() {
        "" => None,
        p => match educenter_domain::tenancy::normalise_phone(p) {
            Some(p) => Some(p),
            None => {
                errors.push(("phone".into(), Msg::phone()));
                None
            }
        },
    };
    let group = match s.group.trim() {
        "" => None,
        g => match Msg::text_error(g, 0, 100, false) {
            None => Some(g.to_owned()),
            Some(m) => {
                errors.push(("group".into(), m));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok((full_name, email, phone, group))
    } else {
        Err(errors)
    }
}

/// Creates checked students in one transaction, each with an invitation to set a password:
/// bulk mail for an import (`bulk`), so that it never holds up what people wait for.
pub(crate) async fn create_students(
    services: &Services,
    who: &Principal,
    tenant_id: &TenantId,
    rows: Vec<(String, String, Option<String>, Option<String>)>,
    bulk: bool,
    origin: Origin,
) -> Result<Vec<UserId>, ServiceError> {
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let tenant = tenancy::get_in(&mut tx, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    check_limit(&mut tx, tenant_id, Metric::Students, rows.len() as i64, now).await?;
    let lang = Lang::from_code(&tenant.locale).unwrap_or(Lang::Ru);
    let mut ids = Vec::new();
    for (full_name, email, phone, group) in rows {
        if users::find_any_by_email(&mut tx, tenant_id, &email)
            .await?
            .is_some()
        {
            return Err(ServiceError::Invalid(vec![(
                "email".into(),
                Msg::new("err-email-taken-school"),
            )]));
        }
        let learner = Learner {
            full_name: &full_name,
            email: &email,
            lang,
        };
        let id = create_learner(&mut tx, &tenant, &learner, phone.as_deref(), None, now).await?;
        if let Some(g) = group {
            let gid = store::group_named(&mut tx, tenant_id, &g, now).await?;
            store::add_member(&mut tx, tenant_id, &gid, &id, now).await?;
        }
        let class = if bulk {
            outbox::MailClass::Bulk {
                tenant_id: tenant_id.clone(),
            }
        } else {
            outbox::MailClass::Transactional
        };
        queue_invitation(services, &mut tx, &tenant, &id, &learner, class, now).await?;
        let entry = who
            .audit("learner.add")
            .tenant(tenant_id.to_owned())
            .target("user", id.clone())
            .origin(origin.clone());
        audit::record(&mut tx, &entry, now).await?;
        ids.push(id);
    }
    tx.commit().await?;
    services.mailer.wake();
    Ok(ids)
}

/// Staff add a student by hand: the account and an e-mailed invitation to set a password.
pub async fn add_student(
    services: &Services,
    who: &Principal,
    input: StudentInput,
    origin: Origin,
) -> Result<UserId, ServiceError> {
    let tenant = manager(who)?;
    let row = check_student(&input).map_err(ServiceError::Invalid)?;
    let ids = create_students(services, who, &tenant, vec![row], false, origin).await?;
    ids.into_iter()
        .next()
        .ok_or_else(|| ServiceError::Internal("no student was made".into()))
}

/// The school's groups.
pub async fn groups(
    services: &Services,
    who: &Principal,
) -> Result<Vec<store::Group>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::groups(&mut conn, &tenant).await?)
}

/// A page of the school's groups by name, with their sizes (staff).
pub async fn groups_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<store::Group>, ServiceError> {
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::groups_page(&mut conn, &tenant, req).await?)
}

/// Creates a group (or finds the one of that name).
pub async fn create_group(
    services: &Services,
    who: &Principal,
    name: &str,
    origin: Origin,
) -> Result<store::Group, ServiceError> {
    let tenant = manager(who)?;
    let name = name.trim();
    if let Some(m) = Msg::text_error(name, 1, 100, false) {
        return Err(ServiceError::Invalid(vec![("name".into(), m)]));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let id = store::group_named(&mut tx, &tenant, name, now).await?;
    let entry = who
        .audit("group.create")
        .tenant(tenant.clone())
        .target("group", id.clone())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    let g = store::group(&mut tx, &tenant, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the group just made is missing".into()))?;
    tx.commit().await?;
    Ok(g)
}

pub(crate) async fn live_student(
    conn: &mut Conn,
    tenant: &TenantId,
    id: &UserId,
) -> Result<User, ServiceError> {
    users::get(conn, id)
        .await?
        .filter(|u| {
            u.kind == AccountKind::Learner
                && u.removed_at.is_none()
                && u.tenant_id.as_deref() == Some(tenant)
        })
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-student")))
}

/// Puts a student in a group.
pub async fn add_to_group(
    services: &Services,
    who: &Principal,
    group_id: &str,
    user_id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    let user_id = &UserId::new(user_id);
    let tenant = manager(who)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    store::group(&mut tx, &tenant, group_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-group")))?;
    live_student(&mut tx, &tenant, user_id).await.map_err(|_| {
        ServiceError::Invalid(vec![("user_id".into(), Msg::new("err-not-a-student"))])
    })?;
    store::add_member(&mut tx, &tenant, group_id, user_id, now).await?;
    let entry = who
        .audit("group.add_member")
        .tenant(tenant)
        .target("group", group_id.to_owned())
        .origin(origin)
        .details(serde_json::json!({ "user": user_id }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A student's page for staff: the account, groups, and each enrolment with its progress.
pub struct StudentDetail {
    pub user: User,
    pub groups: Vec<String>,
    /// (course, enrolment, required lessons done, required lessons).
    pub courses: Vec<(Course, Enrolment, usize, usize)>,
}

pub async fn student(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<StudentDetail, ServiceError> {
    let id = &UserId::new(id);
    let tenant = crate::access::require_tenant(who, TenantAction::ManageLearners)?.to_owned();
    let mut conn = services.db.conn().await?;
    let user = live_student(&mut conn, &tenant, id).await?;
    let groups = store::user_groups(&mut conn, &tenant, id).await?;
    let today = local_date(services.clock.now());
    let mut courses = Vec::new();
    for e in store::user_enrolments(&mut conn, &tenant, id).await? {
        if let Some(c) = content_store::course(&mut conn, &tenant, &e.course_id)
            .await?
            .filter(|c| c.deleted_at.is_none())
        {
            let o = outline_in(services, &mut conn, &tenant, id, c.clone(), today).await?;
            courses.push((c, e, o.done, o.required));
        }
    }
    Ok(StudentDetail {
        user,
        groups,
        courses,
    })
}
