//! The register of force majeure (issue 18, item 7; ). The platform's
//! infrastructure staff record an event that hits the platform (its onset, what happened, the
//! schools it affects) and every affected school's owner is told by e-mail at once; a school's
//! owner files a notice of an event that hits the school, and the support address is told.
//! Each side has 10 days from the onset, or from the day communication was restored, to tell
//! the other; the register shows the deadline and flags a late notice. Either side asks the
//! other for evidence by e-mail; a school attaches its documents (copied out of its media, so
//! they outlive the school's own deletions), which the operator's staff download.

use bytes::Bytes;
use educenter_domain::{
    clock::local_date,
    force_majeure::{Party, deadline, late},
    ids::{MediaId, TenantId},
    roles::{OperatorAction, TenantAction},
};
use educenter_store::{
    audit::{self, Origin},
    force_majeure::{self as store, Event, File, NewEvent},
    outbox::{self, NewMail},
    tenancy,
};
use fluent_bundle::FluentArgs;
use jiff::civil::Date;
use object_store::{ObjectStoreExt, path::Path};
use serde_json::json;

use crate::{
    Msg, ServiceError, Services,
    access::{Principal, require_operator, require_tenant},
    i18n::Lang,
    input::{past_date, text},
};

/// The largest file attached to a notice: 25 MiB.
const MAX_DOCUMENT_BYTES: i64 = 25 << 20;

/// An event with what the register shows beside it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub event: Event,
    /// The last day to tell the other party.
    pub deadline: Date,
    /// The notice came after the deadline.
    pub late: bool,
    /// The schools a platform's event names (empty: every school, or a school's notice).
    pub schools: Vec<TenantId>,
    pub files: Vec<File>,
}

/// What the person typing an event gives.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub onset_on: String,
    /// When communication was restored after being lost; empty when it never was.
    pub communication_restored_on: String,
    pub description: String,
    /// The platform's event: `all`, or the ids of the schools it affects.
    pub schools: Vec<String>,
}

struct Checked {
    onset: Date,
    restored: Option<Date>,
    description: String,
}

fn check(input: &EventInput, today: Date) -> Result<Checked, Vec<(String, Msg)>> {
    let mut errors = Vec::new();
    let onset = past_date("onset_on", &input.onset_on, today, &mut errors);
    let restored = if input.communication_restored_on.trim().is_empty() {
        None
    } else {
        past_date(
            "communication_restored_on",
            &input.communication_restored_on,
            today,
            &mut errors,
        )
    };
    if let (Some(o), Some(r)) = (onset, restored)
        && r < o
    {
        errors.push((
            "communication_restored_on".into(),
            Msg::new("err-range-backwards"),
        ));
    }
    let description = text("description", &input.description, 10, 4000, &mut errors);
    match onset {
        Some(onset) if errors.is_empty() => Ok(Checked {
            onset,
            restored,
            description,
        }),
        _ => Err(errors),
    }
}

async fn entry(conn: &mut educenter_store::Conn, event: Event) -> Result<Entry, ServiceError> {
    let schools = store::schools(conn, &event.id).await?;
    let files = store::files(conn, &event.id).await?;
    Ok(Entry {
        deadline: deadline(event.onset_on, event.communication_restored_on),
        late: late(
            event.onset_on,
            event.communication_restored_on,
            event.notice_on,
        ),
        event,
        schools,
        files,
    })
}

/// The message `key` (its `-subject` and `-body`) to the platform's support address, in
/// Russian, the back office's language: rendered here, so that no arguments wait across a
/// query ([`queue_to_support`]).
fn support_mail(services: &Services, key: &str, args: &FluentArgs<'_>) -> (String, String) {
    (
        services
            .i18n
            .t_args(Lang::Ru, &format!("{key}-subject"), args),
        services.i18n.t_args(Lang::Ru, &format!("{key}-body"), args),
    )
}

/// Queues a message of [`support_mail`] to the platform's support address.
async fn queue_to_support(
    tx: &mut educenter_store::Conn,
    (subject, text): (String, String),
    now: jiff::Timestamp,
) -> Result<(), ServiceError> {
    let support = educenter_store::documents::current_profile(tx)
        .await?
        .support_email;
    let mail = NewMail {
        to: support,
        subject,
        text,
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(tx, &mail, now).await?;
    Ok(())
}

/// The operator's staff who keep the register (infrastructure) or read it (compliance); 403
/// for anyone else (the operator's routes call it first).
pub fn require_reader(who: &Principal) -> Result<(), ServiceError> {
    if who.operator_may(OperatorAction::HandleCompliance) {
        return Ok(());
    }
    require_operator(who, OperatorAction::RunInfrastructure).map(|_| ())
}

/// Records an event hitting the platform (infrastructure staff; audited) and tells the owner
/// of every school it affects at once, by e-mail: that day is the notice's. 422 naming each
/// wrong field; 404 for a school that is not there.
pub async fn record(
    services: &Services,
    who: &Principal,
    input: &EventInput,
    origin: Origin,
) -> Result<Entry, ServiceError> {
    let scope = require_operator(who, OperatorAction::RunInfrastructure)?;
    let now = services.clock.now();
    let today = local_date(now);
    let mut errors = Vec::new();
    let checked = check(input, today).map_err(|e| errors.extend(e));
    let all = input.schools.iter().any(|s| s.trim() == "all");
    let listed: Vec<TenantId> = input
        .schools
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty() && *s != "all")
        .map(|s| scope.school(s))
        .collect();
    if (!all && listed.is_empty()) || (all && !listed.is_empty()) || listed.len() > 1000 {
        errors.push(("schools".into(), Msg::new("err-fm-schools")));
    }
    let Ok(c) = checked else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let mut listed = listed;
    listed.sort();
    listed.dedup();
    let mut tx = services.db.begin().await?;
    for school in &listed {
        if tenancy::get_in(&mut tx, school).await?.is_none() {
            return Err(ServiceError::NotFound(Msg::new("err-no-tenant")));
        }
    }
    let id = store::create(
        &mut tx,
        &NewEvent {
            party: Party::Licensor,
            tenant_id: None,
            all_schools: all,
            schools: &listed,
            onset_on: c.onset,
            communication_restored_on: c.restored,
            notice_on: today,
            description: &c.description,
            recorded_by: &who.user_id,
        },
        now,
    )
    .await?;
    let event = store::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the event just recorded is gone".into()))?;
    let mut told = 0;
    for school in store::reached(&mut tx, &event).await? {
        let Some(t) = tenancy::get_in(&mut tx, &school).await? else {
            continue;
        };
        crate::compliance::mail_owner(
            &mut tx,
            &t,
            services,
            "force-majeure",
            &[
                ("onset", c.onset.to_string()),
                ("description", c.description.clone()),
            ],
            now,
        )
        .await?;
        told += 1;
    }
    let audit_entry = who
        .audit("force_majeure.record")
        .target("force_majeure", id)
        .origin(origin)
        .details(
            json!({ "onset": c.onset.to_string(), "all": all, "schools": listed.len(),
            "told": told }),
        );
    audit::record(&mut tx, &audit_entry, now).await?;
    let out = entry(&mut tx, event).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(out)
}

/// A school's owner files a notice of an event hitting the school (audited): the notice is
/// dated today, flagged late past the deadline, and the platform's support address is told.
pub async fn notify(
    services: &Services,
    who: &Principal,
    input: &EventInput,
    origin: Origin,
) -> Result<Entry, ServiceError> {
    let tenant = require_tenant(who, TenantAction::ManageContract)?.clone();
    let now = services.clock.now();
    let today = local_date(now);
    let c = check(input, today).map_err(ServiceError::Invalid)?;
    let mut tx = services.db.begin().await?;
    let school = tenancy::get_in(&mut tx, &tenant)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
    let id = store::create(
        &mut tx,
        &NewEvent {
            party: Party::Licensee,
            tenant_id: Some(&tenant),
            all_schools: false,
            schools: &[],
            onset_on: c.onset,
            communication_restored_on: c.restored,
            notice_on: today,
            description: &c.description,
            recorded_by: &who.user_id,
        },
        now,
    )
    .await?;
    let event = store::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the notice just filed is gone".into()))?;
    let out = entry(&mut tx, event).await?;
    let mut args = FluentArgs::new();
    args.set("org", school.name.clone());
    args.set("onset", c.onset.to_string());
    args.set("deadline", out.deadline.to_string());
    let late_key = if out.late {
        "mail-fm-late"
    } else {
        "mail-fm-in-time"
    };
    args.set("late", services.i18n.t(Lang::Ru, late_key));
    args.set("description", c.description.clone());
    let mail = support_mail(services, "mail-fm-notice", &args);
    drop(args);
    queue_to_support(&mut tx, mail, now).await?;
    let audit_entry = who
        .audit("force_majeure.notify")
        .target("force_majeure", id)
        .origin(origin)
        .details(json!({ "onset": c.onset.to_string(), "late": out.late }));
    audit::record(&mut tx, &audit_entry, now).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(out)
}

/// The register, the latest onset first, a page at a time (infrastructure and compliance).
pub async fn list(
    services: &Services,
    who: &Principal,
    page: &educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<Entry>, ServiceError> {
    require_reader(who)?;
    let mut conn = services.db.conn().await?;
    let events = store::list(&mut conn).await?;
    let page = educenter_store::page::Page::cut(events, page, |e| e.id.clone())?;
    let mut items = Vec::with_capacity(page.items.len());
    for e in page.items {
        items.push(entry(&mut conn, e).await?);
    }
    Ok(educenter_store::page::Page {
        items,
        next: page.next,
    })
}

/// What a school's owner sees: its own notices and the platform's events affecting it.
pub async fn of_school(services: &Services, who: &Principal) -> Result<Vec<Entry>, ServiceError> {
    let tenant = require_tenant(who, TenantAction::ManageContract)?.clone();
    let mut conn = services.db.conn().await?;
    let mut out = Vec::new();
    for e in store::of_school(&mut conn, &tenant).await? {
        out.push(for_school(entry(&mut conn, e).await?));
    }
    Ok(out)
}

/// An event as the person may see it: the operator's readers any; a school's owner its own
/// notices and the platform's events affecting the school (404 otherwise).
async fn visible(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(Event, Option<TenantId>), ServiceError> {
    let not_found = || ServiceError::NotFound(Msg::new("err-no-force-majeure"));
    let mut conn = services.db.conn().await?;
    let event = store::get(&mut conn, id).await?.ok_or_else(not_found)?;
    if who.tenant_id.is_none() {
        require_reader(who)?;
        return Ok((event, None));
    }
    let tenant = require_tenant(who, TenantAction::ManageContract)?.clone();
    // Its own notice, or a platform's event for every school or naming this one (not a list
    // of every school to look through).
    let reaches = event.tenant_id.as_ref() == Some(&tenant)
        || (event.party == Party::Licensor
            && (event.all_schools
                || store::schools(&mut conn, &event.id)
                    .await?
                    .contains(&tenant)));
    if !reaches {
        return Err(not_found());
    }
    Ok((event, Some(tenant)))
}

/// One event of the register.
pub async fn get(services: &Services, who: &Principal, id: &str) -> Result<Entry, ServiceError> {
    let (event, school) = visible(services, who, id).await?;
    let mut conn = services.db.conn().await?;
    let e = entry(&mut conn, event).await?;
    Ok(if school.is_some() { for_school(e) } else { e })
}

/// An entry as a school sees it: which other schools a platform's event affects is not its
/// business.
fn for_school(mut e: Entry) -> Entry {
    e.schools.clear();
    e
}

/// The school's owner attaches a file of the school's media (a certificate, a photo) to the
/// school's own notice: a copy of its bytes is kept with the register (audited). 404 for an
/// event or file that is not the school's.
pub async fn attach(
    services: &Services,
    who: &Principal,
    id: &str,
    media_id: &str,
    origin: Origin,
) -> Result<Entry, ServiceError> {
    let (event, tenant) = visible(services, who, id).await?;
    let Some(tenant) = tenant.filter(|t| event.tenant_id.as_ref() == Some(t)) else {
        return Err(ServiceError::Forbidden(Msg::new("err-fm-own-notice")));
    };
    let now = services.clock.now();
    let media = {
        let mut conn = services.db.conn().await?;
        educenter_store::media::get(&mut conn, &tenant, &MediaId::new(media_id.trim()))
            .await?
            .filter(|m| m.deleted_at.is_none())
            .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-file")))?
    };
    // A document, not a film: read whole when downloaded.
    if media.size_bytes > MAX_DOCUMENT_BYTES {
        return Err(ServiceError::Invalid(vec![(
            "media_id".into(),
            Msg::new("err-fm-file-too-large").num("max_mib", MAX_DOCUMENT_BYTES >> 20),
        )]));
    }
    let file_id = store::new_file_id();
    let object = format!("force-majeure/{}/{file_id}", event.id);
    services
        .media
        .store
        .copy(
            &Path::from(media.storage_key.as_str()),
            &Path::from(object.as_str()),
        )
        .await
        .map_err(|e| ServiceError::Internal(format!("copying the attachment: {e}")))?;
    let mut tx = services.db.begin().await?;
    store::add_file(
        &mut tx,
        &File {
            id: file_id.clone(),
            event_id: event.id.clone(),
            tenant_id: tenant.clone(),
            object,
            filename: media.filename.clone(),
            content_type: media.content_type.clone(),
            bytes: media.size_bytes,
            added_by: who.user_id.clone(),
            added_at: now,
        },
    )
    .await?;
    let audit_entry = who
        .audit("force_majeure.attach")
        .tenant(tenant)
        .target("force_majeure", event.id.clone())
        .origin(origin)
        .details(json!({ "file": file_id, "name": media.filename }));
    audit::record(&mut tx, &audit_entry, now).await?;
    let out = entry(&mut tx, event).await?;
    tx.commit().await?;
    Ok(out)
}

/// An attached file's bytes, to whoever may see the event.
pub async fn download(
    services: &Services,
    who: &Principal,
    id: &str,
    file_id: &str,
) -> Result<(File, Bytes), ServiceError> {
    let (event, _) = visible(services, who, id).await?;
    let file = {
        let mut conn = services.db.conn().await?;
        store::file(&mut conn, &event.id, file_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-file")))?
    };
    let bytes = services
        .media
        .store
        .get(&Path::from(file.object.as_str()))
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the attachment: {e}")))?
        .bytes()
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the attachment: {e}")))?;
    Ok((file, bytes))
}

/// Asks the other party for evidence of an event, by e-mail with `note`: the
/// infrastructure staff ask a school's owner about the school's notice; a school's owner asks
/// the platform's support about its event. Recorded on the event; audited.
pub async fn request_evidence(
    services: &Services,
    who: &Principal,
    id: &str,
    note: &str,
    origin: Origin,
) -> Result<Entry, ServiceError> {
    let (event, tenant) = visible(services, who, id).await?;
    let note = note.trim();
    if let Some(m) = Msg::text_error(note, 1, 2000, true) {
        return Err(ServiceError::Invalid(vec![("note".into(), m)]));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    match (&tenant, event.party, &event.tenant_id) {
        // The operator's side asks the school that filed the notice.
        (None, Party::Licensee, Some(school)) => {
            require_operator(who, OperatorAction::RunInfrastructure)?;
            let t = tenancy::get_in(&mut tx, school)
                .await?
                .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
            crate::compliance::mail_owner(
                &mut tx,
                &t,
                services,
                "fm-evidence",
                &[
                    ("onset", event.onset_on.to_string()),
                    ("note", note.to_owned()),
                ],
                now,
            )
            .await?;
        }
        // A school asks the platform about its event.
        (Some(school), Party::Licensor, _) => {
            let t = tenancy::get_in(&mut tx, school)
                .await?
                .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?;
            let mut args = FluentArgs::new();
            args.set("org", t.name);
            args.set("onset", event.onset_on.to_string());
            args.set("note", note.to_owned());
            let mail = support_mail(services, "mail-fm-evidence-asked", &args);
            drop(args);
            queue_to_support(&mut tx, mail, now).await?;
        }
        _ => return Err(ServiceError::Conflict(Msg::new("err-fm-evidence-side"))),
    }
    store::evidence_requested(&mut tx, &event.id, now).await?;
    let mut audit_entry = who
        .audit("force_majeure.request_evidence")
        .target("force_majeure", event.id.clone())
        .origin(origin);
    if let Some(t) = tenant {
        audit_entry = audit_entry.tenant(t);
    }
    audit::record(&mut tx, &audit_entry, now).await?;
    let event = store::get(&mut tx, id).await?.unwrap_or(event);
    let out = entry(&mut tx, event).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(out)
}
