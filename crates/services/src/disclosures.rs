//! The register of disclosure requests (issue 18, item 7; R-2.5b), kept by the operator's
//! compliance officers: an authority's request names the school, its reference, the date it
//! was received, its legal basis, what it covers (`profile`, `people`, `access`, `audit`,
//! `content`, `learners`) and the dates; whether the school is told is recorded. A second
//! compliance officer approves it before its package is generated: one JSON document holding
//! exactly what the request covers, of that school only and within those dates, stored once
//! (never overwritten) with its SHA-256. Every step is audited, on the operator's side only: the
//! entries name no school, so the school's own trail (which every operator role reads, and a
//! later package may hold) never shows that an authority asked.

use educenter_domain::ids::TenantId;
use educenter_domain::roles::OperatorAction;
use educenter_store::{
    audit::{self, Origin},
    disclosures::{self, Disclosure, NewDisclosure},
    exports, tenancy,
};
use jiff::{Timestamp, civil::Date};
use object_store::{ObjectStoreExt, PutMode, PutOptions, path::Path};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::{Msg, ServiceError, Services, access::Principal, access::require_operator};

/// What a request may cover.
pub const PARTS: &[&str] = &[
    "profile", "people", "access", "audit", "content", "learners",
];

/// A request as the compliance officer types it.
#[derive(Debug, Clone, Default)]
pub struct DisclosureInput {
    pub tenant_id: String,
    pub authority: String,
    pub reference: String,
    pub received_on: String,
    pub legal_basis: String,
    pub scope: Vec<String>,
    pub from: String,
    pub to: String,
    pub school_told: bool,
    /// Why the school is not told (or how it was).
    pub told_note: String,
}

fn text(field: &str, value: &str, max: usize, errors: &mut Vec<(String, Msg)>) -> String {
    let value = value.trim();
    if let Some(m) = Msg::text_error(value, 1, max, false) {
        errors.push((field.into(), m));
    }
    value.to_owned()
}

fn date(field: &str, value: &str, errors: &mut Vec<(String, Msg)>) -> Option<Date> {
    match value.trim().parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push((field.into(), Msg::new("err-date")));
            None
        }
    }
}

/// Records a request in the register (a compliance officer). 422 naming each wrong field; 404
/// for an unknown school.
pub async fn record(
    services: &Services,
    who: &Principal,
    input: &DisclosureInput,
    origin: Origin,
) -> Result<Disclosure, ServiceError> {
    let scope_of = require_operator(who, OperatorAction::HandleCompliance)?;
    let mut errors = Vec::new();
    let authority = text("authority", &input.authority, 300, &mut errors);
    let reference = text("reference", &input.reference, 200, &mut errors);
    let legal_basis = text("legal_basis", &input.legal_basis, 1000, &mut errors);
    let received_on = date("received_on", &input.received_on, &mut errors);
    let from = date("from", &input.from, &mut errors);
    let to = date("to", &input.to, &mut errors);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.push(("to".into(), Msg::new("err-range-backwards")));
    }
    // Nothing after today: a request covers what happened, and was received already.
    let today = educenter_domain::clock::local_date(services.clock.now());
    for (field, day) in [("received_on", received_on), ("to", to)] {
        if day.is_some_and(|d| d > today) && !errors.iter().any(|(f, _)| f == field) {
            errors.push((field.into(), Msg::new("err-date-not-future")));
        }
    }
    if from.is_some_and(|d| d.year() < 2000) {
        errors.push(("from".into(), Msg::new("err-date")));
    }
    let told_note = input.told_note.trim();
    if let Some(m) = Msg::text_error(told_note, 0, 1000, true) {
        errors.push(("told_note".into(), m));
    }
    let mut scope: Vec<&str> = Vec::new();
    for part in &input.scope {
        match PARTS.iter().find(|p| **p == part.trim()) {
            Some(p) if !scope.contains(p) => scope.push(p),
            Some(_) => {}
            None => errors.push(("scope".into(), Msg::one_of(PARTS))),
        }
    }
    if scope.is_empty() && !errors.iter().any(|(f, _)| f == "scope") {
        errors.push(("scope".into(), Msg::one_of(PARTS)));
    }
    let (Some(received_on), Some(from), Some(to)) = (received_on, from, to) else {
        return Err(ServiceError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let tenant_id = scope_of.school(input.tenant_id.trim());
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if tenancy::get_in(&mut tx, &tenant_id).await?.is_none() {
        return Err(ServiceError::NotFound(Msg::new("err-no-tenant")));
    }
    let scope_json = serde_json::to_string(&scope).unwrap_or_default();
    let id = disclosures::create(
        &mut tx,
        &NewDisclosure {
            tenant_id: &tenant_id,
            authority: &authority,
            reference: &reference,
            received_on: &received_on.to_string(),
            legal_basis: &legal_basis,
            scope: &scope_json,
            range_from: &from.to_string(),
            range_to: &to.to_string(),
            school_told: input.school_told,
            told_note,
            created_by: &who.user_id,
        },
        now,
    )
    .await?;
    let entry = who
        .audit("disclosure.record")
        .target("disclosure", id.clone())
        .origin(origin)
        .details(json!({ "school": tenant_id.as_str(), "scope": scope }));
    audit::record(&mut tx, &entry, now).await?;
    let d = disclosures::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ServiceError::Internal("the request just recorded is gone".into()))?;
    tx.commit().await?;
    Ok(d)
}

/// The register, the last recorded first, a page at a time.
pub async fn list(
    services: &Services,
    who: &Principal,
    page: &educenter_store::page::PageRequest,
) -> Result<educenter_store::page::Page<Disclosure>, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let mut conn = services.db.conn().await?;
    let all = disclosures::list(&mut conn).await?;
    Ok(educenter_store::page::Page::cut(all, page, |d| {
        d.id.clone()
    })?)
}

/// One request of the register.
pub async fn get(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<Disclosure, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let mut conn = services.db.conn().await?;
    disclosures::get(&mut conn, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-disclosure")))
}

/// A second compliance officer approves a request (not the one who recorded it: 403).
pub async fn approve(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<Disclosure, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let d = disclosures::get(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-disclosure")))?;
    if d.created_by == who.user_id {
        return Err(ServiceError::Forbidden(Msg::new("err-second-approver")));
    }
    if !disclosures::approve(&mut tx, id, &who.user_id, now).await? {
        return Err(ServiceError::Conflict(Msg::new("err-disclosure-approved")));
    }
    let entry = who
        .audit("disclosure.approve")
        .target("disclosure", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    let d = disclosures::get(&mut tx, id).await?.unwrap_or(d);
    tx.commit().await?;
    Ok(d)
}

/// The start of a local date (Asia/Almaty).
fn start_of(day: Date) -> Result<Timestamp, ServiceError> {
    educenter_domain::clock::almaty()
        .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// Generates the package of an approved request, once: what it covers of its school within its
/// dates, stored read-only with its SHA-256. 409 before approval or once generated.
pub async fn generate(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<Disclosure, ServiceError> {
    require_operator(who, OperatorAction::HandleCompliance)?;
    let now = services.clock.now();
    let d = get(services, who, id).await?;
    if d.approved_by.is_none() {
        return Err(ServiceError::Conflict(Msg::new(
            "err-disclosure-not-approved",
        )));
    }
    if d.package_object.is_some() {
        return Err(ServiceError::Conflict(Msg::new("err-disclosure-generated")));
    }
    let bytes = package(services, &d, now).await?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let object = format!("disclosures/{}.json", d.id);
    let opts = PutOptions {
        mode: PutMode::Create,
        ..PutOptions::default()
    };
    services
        .media
        .store
        .put_opts(&Path::from(object.as_str()), bytes.into(), opts)
        .await
        .map_err(|e| match e {
            // Another officer's request generated it a moment before.
            object_store::Error::AlreadyExists { .. } => {
                ServiceError::Conflict(Msg::new("err-disclosure-generated"))
            }
            e => ServiceError::Internal(format!("storing the package: {e}")),
        })?;
    let mut tx = services.db.begin().await?;
    if !disclosures::set_package(&mut tx, id, &object, &sha256, size, &who.user_id, now).await? {
        return Err(ServiceError::Conflict(Msg::new("err-disclosure-generated")));
    }
    let entry = who
        .audit("disclosure.package")
        .target("disclosure", id.to_owned())
        .origin(origin)
        .details(json!({ "sha256": sha256, "bytes": size }));
    audit::record(&mut tx, &entry, now).await?;
    let d = disclosures::get(&mut tx, id).await?.unwrap_or(d);
    tx.commit().await?;
    Ok(d)
}

/// What a package holds: the request, and each part it covers.
async fn package(
    services: &Services,
    d: &Disclosure,
    now: Timestamp,
) -> Result<Vec<u8>, ServiceError> {
    let tenant: &TenantId = &d.tenant_id;
    let scope: Vec<String> = serde_json::from_str(&d.scope).unwrap_or_default();
    let covers = |part: &str| scope.iter().any(|p| p == part);
    let bad = |e: jiff::Error| ServiceError::Internal(e.to_string());
    let from = start_of(d.range_from.parse::<Date>().map_err(bad)?)?;
    let to = start_of(
        d.range_to
            .parse::<Date>()
            .map_err(bad)?
            .tomorrow()
            .map_err(bad)?,
    )?;
    if covers("access") {
        // The requests still queued for the access log are written first (a writer that cannot
        // write is not waited for long).
        let queued = services.access_log.flush();
        if tokio::time::timeout(std::time::Duration::from_secs(10), queued)
            .await
            .is_err()
        {
            tracing::warn!("the access log's queue was not written before a disclosure package");
        }
    }
    let shape = educenter_store::schema::shape(&services.db).await?;
    let mut conn = services.db.conn().await?;
    let rows =
        |v: Vec<Map<String, Value>>| Value::Array(v.into_iter().map(Value::Object).collect());
    let mut doc = Map::new();
    doc.insert(
        "request".into(),
        json!({
            "id": d.id, "school": tenant.as_str(), "authority": d.authority,
            "reference": d.reference, "received_on": d.received_on,
            "legal_basis": d.legal_basis, "scope": scope,
            "from": d.range_from, "to": d.range_to,
            "school_told": d.school_told,
            "approved_by": d.approved_by, "approved_at": d.approved_at.map(|t| t.to_string()),
        }),
    );
    doc.insert("generated_at".into(), Value::from(now.to_string()));
    if covers("profile") {
        doc.insert(
            "profile".into(),
            rows(exports::rows(&mut conn, &shape, "tenants", "", tenant).await?),
        );
    }
    if covers("people") {
        let people = exports::rows(
            &mut conn,
            &shape,
            "users",
            "kind IN ('owner', 'staff') AND erased_at IS NULL",
            tenant,
        )
        .await?;
        doc.insert("people".into(), rows(people));
    }
    if covers("access") {
        // Every sign-in, failed sign-in, sign-out and request of the school's people.
        let access = educenter_store::access_log::entries(&mut conn, Some(tenant), from, to)
            .await?
            .ok_or_else(|| ServiceError::Conflict(Msg::new("err-disclosure-too-large")))?;
        doc.insert("access".into(), rows(access));
    }
    if covers("audit") {
        let all = disclosures::audit_entries(&mut conn, tenant, from, to, &[]).await?;
        doc.insert("audit".into(), rows(all));
    }
    if covers("content") {
        let mut content = Map::new();
        for (name, table) in [
            ("courses", "courses"),
            ("modules", "course_modules"),
            ("lessons", "lessons"),
        ] {
            content.insert(
                name.into(),
                rows(exports::rows(&mut conn, &shape, table, "", tenant).await?),
            );
        }
        doc.insert("content".into(), Value::Object(content));
    }
    if covers("learners") {
        let mut learners = Map::new();
        let students = exports::rows(
            &mut conn,
            &shape,
            "users",
            "kind = 'learner' AND erased_at IS NULL",
            tenant,
        )
        .await?;
        learners.insert("students".into(), rows(students));
        learners.insert(
            "enrolments".into(),
            rows(exports::rows(&mut conn, &shape, "enrolments", "", tenant).await?),
        );
        doc.insert("learners".into(), Value::Object(learners));
    }
    serde_json::to_vec_pretty(&Value::Object(doc))
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// A generated package, as stored: (bytes, SHA-256), checked against the register; audited.
pub async fn download(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(Vec<u8>, String), ServiceError> {
    let d = get(services, who, id).await?;
    let (Some(object), Some(sha256)) = (d.package_object.clone(), d.package_sha256.clone()) else {
        return Err(ServiceError::NotFound(Msg::new(
            "err-no-disclosure-package",
        )));
    };
    let bytes = services
        .media
        .store
        .get(&Path::from(object.as_str()))
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the package: {e}")))?
        .bytes()
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the package: {e}")))?;
    if hex::encode(Sha256::digest(&bytes)) != sha256 {
        return Err(ServiceError::Internal(format!(
            "the package of {id} does not match its checksum"
        )));
    }
    let now = services.clock.now();
    let mut conn = services.db.conn().await?;
    let entry = who
        .audit("disclosure.download")
        .target("disclosure", id.to_owned())
        .origin(origin);
    audit::record(&mut conn, &entry, now).await?;
    Ok((bytes.to_vec(), sha256))
}

/// The identification of a school for a complainant about its mailing (R-7.10 b), stored
/// (create-only) and waiting to be entered in the register ([`record_for_complainant`]).
pub(crate) struct ForComplainant {
    complainant: String,
    number: String,
    object: String,
    sha256: String,
    size: i64,
    identity: educenter_store::cases::Identification,
}

/// Builds the school's identification for the case's complainant and stores it read-only.
pub(crate) async fn prepare_for_complainant(
    services: &Services,
    case: &educenter_store::cases::Case,
    now: Timestamp,
) -> Result<ForComplainant, ServiceError> {
    use educenter_store::cases;
    let complainant = case
        .reporter_email
        .clone()
        .ok_or_else(|| ServiceError::Internal("a complaint without its complainant".into()))?;
    let number = educenter_domain::cases::case_number(case.number);
    let identity = {
        let mut conn = services.db.conn().await?;
        cases::identification(&mut conn, &case.tenant_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-tenant")))?
    };
    let doc = json!({
        "case": number,
        "complainant": complainant,
        "campaign": case.campaign_ref,
        "generated_at": now.to_string(),
        "licensee": identity,
    });
    let bytes =
        serde_json::to_vec_pretty(&doc).map_err(|e| ServiceError::Internal(e.to_string()))?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    // Named anew each time: a closing that fails leaves its file unnamed by any entry.
    let object = format!(
        "disclosures/complaint-{}-{}.json",
        case.id,
        educenter_store::new_id()
    );
    let opts = PutOptions {
        mode: PutMode::Create,
        ..PutOptions::default()
    };
    services
        .media
        .store
        .put_opts(&Path::from(object.as_str()), bytes.into(), opts)
        .await
        .map_err(|e| ServiceError::Internal(format!("storing the package: {e}")))?;
    Ok(ForComplainant {
        complainant,
        number,
        object,
        sha256,
        size,
        identity,
    })
}

/// Enters a prepared identification in the register as a `complaint` entry (decided and
/// generated by the officer who chose it) and e-mails it to the complainant, in the caller's
/// transaction (the one closing the case). Audited on the operator's side, naming no school.
pub(crate) async fn record_for_complainant(
    tx: &mut educenter_store::Conn,
    services: &Services,
    who: &Principal,
    case: &educenter_store::cases::Case,
    f: &ForComplainant,
    now: Timestamp,
) -> Result<(), ServiceError> {
    use educenter_store::outbox;
    let today = educenter_domain::clock::local_date(now).to_string();
    let id = disclosures::create_for_complaint(
        tx,
        &disclosures::ComplaintDisclosure {
            tenant_id: &case.tenant_id,
            case_id: &case.id,
            complainant: &f.complainant,
            reference: &f.number,
            received_on: &case.received_on,
            today: &today,
            by: &who.user_id,
            object: &f.object,
            sha256: &f.sha256,
            bytes: f.size,
        },
        now,
    )
    .await?;
    let entry = who
        .audit("disclosure.complaint")
        .target("disclosure", id)
        .details(json!({ "case": f.number, "sha256": f.sha256 }));
    audit::record(tx, &entry, now).await?;
    // The complainant reads it in Russian, the language of the offer.
    let lang = crate::i18n::Lang::Ru;
    let identity = &f.identity;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("number", f.number.clone());
    args.set("legal_name", identity.legal_name.clone());
    args.set("bin_iin", identity.bin_iin.clone());
    args.set(
        "address",
        if identity.address.is_empty() {
            "-".to_owned()
        } else {
            identity.address.clone()
        },
    );
    args.set("owner", identity.owner_name.clone());
    args.set("owner_email", identity.owner_email.clone());
    args.set(
        "owner_phone",
        identity.owner_phone.clone().unwrap_or_else(|| "-".into()),
    );
    let mail = outbox::NewMail {
        to: f.complainant.clone(),
        subject: services
            .i18n
            .t_args(lang, "mail-complaint-disclosure-subject", &args),
        text: services
            .i18n
            .t_args(lang, "mail-complaint-disclosure-body", &args),
        html: None,
        class: outbox::MailClass::Transactional,
    };
    outbox::queue(tx, &mail, now).await?;
    Ok(())
}

/// Deletes a prepared identification that no entry names (its case closed otherwise meanwhile).
pub(crate) async fn discard_for_complainant(services: &Services, f: ForComplainant) {
    if let Err(e) = services
        .media
        .store
        .delete(&Path::from(f.object.as_str()))
        .await
    {
        tracing::warn!(object = %f.object, error = %e, "an unused identification was not deleted");
    }
}
