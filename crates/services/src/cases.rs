//! The compliance officer's cases (issue 18, item 7). A visitor reports a page of a school's
//! site (R-2.4: the "report content" link on every page), or an officer records a complaint
//! about a school's mailing; each opens a numbered case in the compliance queue.
//! Operators see a school's content only through a case, and every such view is recorded.
//! A case ends with no action, the school's own removal, a block, or (a complaint) telling the
//! complainant who the school is, which the disclosure register records.

use educenter_domain::{
    cases::{CaseKind, CaseOutcome, CaseTarget, ReportReason, case_number, target_of},
    ids::{CourseId, LessonId, TenantId},
    roles::OperatorAction,
    tenancy::{BlockReason, valid_email},
};
use educenter_store::{
    audit::{self, Entry, Origin},
    cases::{self, Case, CaseView, ConsentRecord, NewCase, UNSOLICITED_MAILING},
    content,
    outbox::{self, NewMail},
    sessions::Bucket,
    tenancy,
};
use fluent_bundle::FluentArgs;
use jiff::SignedDuration;
use serde_json::json;

use crate::{
    Msg, ServiceError, Services,
    access::{Principal, require_operator},
    i18n::Lang,
    input::{past_date, text},
    throttle,
};

/// Reports from one client address: 5 at once, then one every 10 minutes.
const REPORTS_PER_ADDRESS: Bucket = Bucket {
    capacity: 5,
    refill: SignedDuration::from_secs(10 * 60),
};
/// Acknowledgements to one e-mail address: 3 at once, then one every 8 hours (nobody turns the
/// form into a way to mail someone else).
const REPORTS_PER_EMAIL: Bucket = Bucket {
    capacity: 3,
    refill: SignedDuration::from_hours(8),
};
/// Reports about one school: 50 at once, then one a minute.
const REPORTS_PER_SCHOOL: Bucket = Bucket {
    capacity: 50,
    refill: SignedDuration::from_secs(60),
};

/// A visitor's report as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// The page of the school's site it is about (its path).
    pub page: String,
    pub reason: String,
    pub details: String,
    pub name: String,
    pub email: String,
}

fn email(
    field: &str,
    value: &str,
    required: bool,
    errors: &mut Vec<(String, Msg)>,
) -> Option<String> {
    let value = value.trim().to_lowercase();
    if value.is_empty() {
        if required {
            errors.push((field.into(), Msg::required()));
        }
        return None;
    }
    if value.len() > 254 || !valid_email(&value) {
        errors.push((field.into(), Msg::email()));
        return None;
    }
    Some(value)
}

/// A visitor reports a page of the school `slug` (no sign-in): a case opens, the reporter gets
/// its number (and an e-mail with it, when they gave an address). 422 naming each wrong field,
/// 404 for a school that is not there, 429 past the limits (per client address, per school,
/// and per e-mail address given).
pub async fn report(
    services: &Services,
    slug: &str,
    input: &ReportInput,
    lang: Lang,
    origin: Origin,
) -> Result<String, ServiceError> {
    let mut errors = Vec::new();
    let reason = match ReportReason::parse(input.reason.trim()) {
        Some(r) => Some(r),
        None => {
            errors.push(("reason".into(), Msg::one_of_words::<ReportReason>()));
            None
        }
    };
    let details = text("details", &input.details, 10, 4000, &mut errors);
    let name = text("name", &input.name, 0, 200, &mut errors);
    let reporter = email("email", &input.email, false, &mut errors);
    let page = text("page", &input.page, 0, 500, &mut errors);
    let target = if page.is_empty() {
        Some((CaseTarget::School, None))
    } else {
        target_of(&page, slug)
    };
    if target.is_none() && !errors.iter().any(|(f, _)| f == "page") {
        errors.push(("page".into(), Msg::new("err-report-page")));
    }
    let (Some(reason), Some((kind, id))) = (reason, target) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let school = tenancy::by_slug(&mut tx, slug)
        .await?
        .filter(|t| t.purged_at.is_none())
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?;
    let mut buckets = vec![(format!("report:school:{}", school.id), REPORTS_PER_SCHOOL)];
    if let Some(ip) = &origin.ip {
        buckets.push((format!("report:address:{ip}"), REPORTS_PER_ADDRESS));
    }
    if let Some(to) = &reporter {
        buckets.push((format!("report:email:{to}"), REPORTS_PER_EMAIL));
    }
    throttle::take(&mut tx, &buckets, now).await?;
    // A course or lesson that is not the school's is reported as the site as a whole.
    let target = match (kind, id) {
        (CaseTarget::Course, Some(id))
            if content::course(&mut tx, &school.id, &CourseId::new(&id))
                .await?
                .is_some() =>
        {
            (CaseTarget::Course, Some(id))
        }
        (CaseTarget::Lesson, Some(id))
            if content::lesson(&mut tx, &school.id, &LessonId::new(&id))
                .await?
                .is_some() =>
        {
            (CaseTarget::Lesson, Some(id))
        }
        _ => (CaseTarget::School, None),
    };
    let today = educenter_domain::clock::local_date(now).to_string();
    let id = cases::open(
        &mut tx,
        &NewCase {
            kind: CaseKind::ContentReport,
            tenant_id: &school.id,
            page: Some(&page).filter(|p| !p.is_empty()).map(String::as_str),
            target: Some((target.0, target.1.as_deref())),
            reason: reason.as_str(),
            details: &details,
            reporter_name: Some(name.as_str()).filter(|n| !n.is_empty()),
            reporter_email: reporter.as_deref(),
            reporter_ip: origin.ip.as_deref(),
            campaign_ref: None,
            received_on: &today,
            created_by: None,
        },
        now,
    )
    .await?;
    let case = cases::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the case just opened is gone".into()))?;
    let number = case_number(case.number);
    let entry = Entry::new(audit::Actor::Anonymous, "case.report")
        .tenant(school.id.clone())
        .target("case", id.clone())
        .origin(origin)
        .details(json!({ "number": number, "reason": reason.as_str() }));
    audit::record(&mut tx, &entry, now).await?;
    if let Some(to) = &reporter {
        let mut args = FluentArgs::new();
        args.set("number", number.clone());
        args.set(
            "school",
            school
                .brand
                .display_name
                .clone()
                .unwrap_or(school.name.clone()),
        );
        let mail = NewMail {
            to: to.clone(),
            subject: services
                .i18n
                .t_args(lang, "mail-report-received-subject", &args),
            text: services
                .i18n
                .t_args(lang, "mail-report-received-body", &args),
            html: None,
            class: outbox::MailClass::Transactional,
        };
        outbox::queue(&mut tx, &mail, now).await?;
    }
    tx.commit().await?;
    services.mailer.wake();
    Ok(number)
}

/// A complaint about a school's mailing as the compliance officer types it.
#[derive(Debug, Clone, Default)]
pub struct ComplaintInput {
    pub tenant_id: String,
    pub name: String,
    pub email: String,
    /// What the complainant sent: the message with its headers, as text.
    pub evidence: String,
    /// The mailing it is about, as the school or the message names it.
    pub campaign_ref: String,
    pub received_on: String,
}

/// Records a complaint about a school's mailing (a compliance officer; audited). 422 naming
/// each wrong field; 404 for an unknown school.
pub async fn complain(
    services: &Services,
    who: &Principal,
    input: &ComplaintInput,
    origin: Origin,
) -> Result<Case, ServiceError> {
    let scope = require_operator(who, OperatorAction::HandleCompliance)?;
    let mut errors = Vec::new();
    let name = text("name", &input.name, 0, 200, &mut errors);
    let complainant = email("email", &input.email, true, &mut errors);
    let evidence = text("evidence", &input.evidence, 1, 20_000, &mut errors);
    let campaign = text("campaign_ref", &input.campaign_ref, 0, 200, &mut errors);
    let today = educenter_domain::clock::local_date(services.clock.now());
    let received_on = past_date("received_on", &input.received_on, today, &mut errors);
    let (Some(complainant), Some(received_on)) = (complainant, received_on) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let tenant_id = scope.school(input.tenant_id.trim());
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if tenancy::get_in(&mut tx, &tenant_id).await?.is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-tenant")));
    }
    let id = cases::open(
        &mut tx,
        &NewCase {
            kind: CaseKind::MailingComplaint,
            tenant_id: &tenant_id,
            page: None,
            target: None,
            reason: UNSOLICITED_MAILING,
            details: &evidence,
            reporter_name: Some(name.as_str()).filter(|n| !n.is_empty()),
            reporter_email: Some(&complainant),
            reporter_ip: None,
            campaign_ref: Some(campaign.as_str()).filter(|c| !c.is_empty()),
            received_on: &received_on.to_string(),
            created_by: Some(&who.user_id),
        },
        now,
    )
    .await?;
    let case = cases::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the case just opened is gone".into()))?;
    let entry = who
        .audit("case.complaint")
        .target("case", id)
        .origin(origin)
        .details(json!({ "number": case_number(case.number) }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(case)
}

/// The queue, open cases first, a page at a time (compliance officers).
pub async fn list(
    services: &Services,
    who: &Principal,
    page: &educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<Case>, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let mut conn = services.db.conn().await?;
    let all = cases::list(&mut conn).await?;
    Ok(educenter_store::page::Page::cut(all, page, |c| {
        c.id.clone()
    })?)
}

/// A case with the views of its content and, for a complaint, the complainant's marketing
/// consents at the school (none: the school had no consent to mail them).
#[derive(Debug, Clone)]
pub struct CaseDetail {
    pub case: Case,
    pub school_name: String,
    pub school_slug: String,
    pub views: Vec<CaseView>,
    pub consents: Option<Vec<ConsentRecord>>,
}

pub async fn get(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<CaseDetail, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let mut conn = services.db.conn().await?;
    let case = cases::get(&mut conn, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-case")))?;
    let school = tenancy::get_in(&mut conn, &case.tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    let views = cases::views(&mut conn, id).await?;
    let consents = match (case.kind, &case.reporter_email) {
        (CaseKind::MailingComplaint, Some(email)) => {
            Some(cases::marketing_consents(&mut conn, &case.tenant_id, email).await?)
        }
        _ => None,
    };
    Ok(CaseDetail {
        case,
        school_name: school.name,
        school_slug: school.slug,
        views,
        consents,
    })
}

/// What a reported page shows, as the officer reads it through the case.
#[derive(Debug, Clone)]
pub enum CaseContent {
    /// The site as a whole: the school's description and its published courses' titles.
    School {
        description: String,
        courses: Vec<String>,
    },
    Course {
        title: String,
        description: String,
        /// Each module's title with its lessons' titles.
        outline: Vec<(String, Vec<String>)>,
    },
    Lesson {
        title: String,
        kind: String,
        /// The lesson's text as HTML (rendered from its Markdown, cleaned).
        html: String,
        embed_url: Option<String>,
    },
    /// The course or lesson is no longer there (deleted since the report).
    Gone,
}

/// The reported content of a case, read by a compliance officer: recorded (who, what, when)
/// in the case's views and the audit trail before it is shown.
pub async fn view_content(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<CaseContent, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let case = cases::get(&mut tx, id)
        .await?
        .filter(|c| c.kind == CaseKind::ContentReport)
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-case")))?;
    // Only while the case is open: a closed case is no standing reason to read a school.
    if case.status != educenter_domain::cases::CaseStatus::Open {
        return Err(ServiceError::Conflict(Msg::new("err-case-closed")));
    }
    let tenant: &TenantId = &case.tenant_id;
    let kind = case.target_kind.unwrap_or(CaseTarget::School);
    let target_id = case.target_id.clone().unwrap_or_else(|| tenant.to_string());
    let shown = match kind {
        CaseTarget::School => {
            let school = tenancy::get_in(&mut tx, tenant)
                .await?
                .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
            let courses = content::published_course_titles(&mut tx, tenant).await?;
            CaseContent::School {
                description: school.brand.description,
                courses,
            }
        }
        CaseTarget::Course => match content::course(&mut tx, tenant, &CourseId::new(&target_id))
            .await?
            .filter(|c| c.deleted_at.is_none())
        {
            Some(course) => {
                let mut outline = Vec::new();
                for m in content::modules(&mut tx, tenant, &course.id).await? {
                    let lessons = content::module_lessons(&mut tx, tenant, &m.id).await?;
                    outline.push((m.title, lessons.into_iter().map(|l| l.title).collect()));
                }
                CaseContent::Course {
                    title: course.title,
                    description: course.description,
                    outline,
                }
            }
            None => CaseContent::Gone,
        },
        CaseTarget::Lesson => match content::lesson(&mut tx, tenant, &LessonId::new(&target_id))
            .await?
            .filter(|l| l.deleted_at.is_none())
        {
            Some(lesson) => CaseContent::Lesson {
                html: crate::markdown::render_markdown(&lesson.body),
                title: lesson.title,
                kind: lesson.kind.as_str().to_owned(),
                embed_url: lesson.embed_url,
            },
            None => CaseContent::Gone,
        },
    };
    cases::record_view(&mut tx, id, &who.user_id, (kind, &target_id), now).await?;
    let entry = who
        .audit("case.view_content")
        .target("case", id.to_owned())
        .origin(origin)
        .details(
            json!({ "number": case_number(case.number), "content": kind.as_str(),
            "content_id": target_id }),
        );
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(shown)
}

/// Closes a case with its outcome and a note (a compliance officer; audited): `no_action` and
/// `removed_by_school` only close it; `blocked` blocks the school first (for illegal content,
/// or for spam after a complaint; a block of that reason already in force is kept);
/// `disclosed` (a complaint only) tells the complainant who the school is by e-mail and enters
/// that in the disclosure register. 409 once closed.
pub async fn close(
    services: &Services,
    who: &Principal,
    id: &str,
    outcome: &str,
    note: &str,
    origin: Origin,
) -> Result<Case, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let mut errors = Vec::new();
    let note = text("note", note, 1, 2000, &mut errors);
    let outcome = CaseOutcome::parse(outcome.trim());
    if outcome.is_none() {
        errors.push(("outcome".into(), Msg::one_of_words::<CaseOutcome>()));
    }
    let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let case = {
        let mut conn = services.db.conn().await?;
        cases::get(&mut conn, id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-case")))?
    };
    if case.status != educenter_domain::cases::CaseStatus::Open {
        return Err(ServiceError::Conflict(Msg::new("err-case-closed")));
    }
    match outcome {
        CaseOutcome::Blocked => {
            let reason = match case.kind {
                CaseKind::ContentReport => BlockReason::IllegalContent,
                CaseKind::MailingComplaint => BlockReason::SpamComplaint,
            };
            // The block's note takes 2000 characters, as the case's.
            let grounds: String = format!("{}: {note}", case_number(case.number))
                .chars()
                .take(2000)
                .collect();
            match crate::compliance::block(
                services,
                who,
                case.tenant_id.as_str(),
                reason.as_str(),
                &grounds,
                origin.clone(),
            )
            .await
            {
                Ok(_) | Err(ServiceError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        CaseOutcome::Disclosed if case.kind != CaseKind::MailingComplaint => {
            return Err(ServiceError::Invalid(vec![(
                "outcome".into(),
                Msg::new("err-disclose-complaint-only"),
            )]));
        }
        _ => {}
    }
    let now = services.clock.now();
    let prepared = match outcome {
        CaseOutcome::Disclosed => {
            Some(crate::disclosures::prepare_for_complainant(services, &case, now).await?)
        }
        _ => None,
    };
    let done = async {
        let mut tx = services.db.begin().await?;
        // The case is closed, the register entered and the complainant's mail queued together:
        // of two officers closing at once, one does it all and the other nothing.
        if !cases::close(&mut tx, id, outcome, &note, &who.user_id, now).await? {
            return Err(ServiceError::Conflict(Msg::new("err-case-closed")));
        }
        if let Some(p) = prepared.as_ref() {
            crate::disclosures::record_for_complainant(&mut tx, services, who, &case, p, now)
                .await?;
        }
        let entry = who
            .audit("case.close")
            .target("case", id.to_owned())
            .origin(origin)
            .details(json!({ "number": case_number(case.number), "outcome": outcome.as_str() }));
        audit::record(&mut tx, &entry, now).await?;
        let closed = cases::get(&mut tx, id).await?;
        tx.commit().await?;
        Ok(closed)
    }
    .await;
    let closed = match done {
        Ok(closed) => closed.unwrap_or(case),
        Err(e) => {
            // An identification that no entry names is deleted, whatever failed.
            if let Some(p) = prepared {
                crate::disclosures::discard_for_complainant(services, p).await;
            }
            return Err(e);
        }
    };
    services.mailer.wake();
    Ok(closed)
}
