//! Acts as the school and the operator read them, as PDFs, objections within the window, and requests for paper copies.

use super::*;
use educenter_domain::documents::ObjectionBy;
use educenter_domain::ids::ActId;
use educenter_domain::roles::AccountKind;

/// An act with its lines.
#[derive(Debug, Clone)]
pub struct ActView {
    pub act: Act,
    pub lines: Vec<ActLine>,
}

/// The school's acts, newest first (its billing people).
pub async fn acts(services: &Services, who: &Principal) -> Result<Vec<Act>, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::acts_of(&mut conn, &tenant_id).await?)
}

/// A page of the school's acts, newest first.
pub async fn acts_page(
    services: &Services,
    who: &Principal,
    req: &PageRequest,
) -> Result<Page<Act>, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut conn = services.db.conn().await?;
    Ok(store::acts_page(&mut conn, &tenant_id, req).await?)
}

/// One of the school's acts; another school's act is not found.
pub async fn act(services: &Services, who: &Principal, id: &str) -> Result<ActView, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut conn = services.db.conn().await?;
    let act = store::act_of(&mut conn, &tenant_id, &ActId::new(id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    let lines = store::act_lines(&mut conn, &act.tenant_id, &act.id).await?;
    Ok(ActView { act, lines })
}

/// An act as a PDF: (file name, bytes).
pub async fn act_pdf(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    let view = act(services, who, id).await?;
    render_act(view).await
}

/// Any school's act as a PDF, for the billing officer.
pub async fn operator_act_pdf(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    let act = store::act_by_id(&mut conn, &ActId::new(id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    let lines = store::act_lines(&mut conn, &act.tenant_id, &act.id).await?;
    drop(conn);
    render_act(ActView { act, lines }).await
}

pub(crate) async fn render_act(view: ActView) -> Result<(String, Vec<u8>), ServiceError> {
    let ActView { act, lines } = view;
    let (plang, dlang, _) = doc_lang(act.lang);
    let vat = act
        .supplier
        .get("vat_percent")
        .and_then(serde_json::Value::as_i64);
    let (vat_label, vat_amount) = vat_lines(dlang, vat, act.total_minor);
    let accepted_on = act
        .accepted_at
        .map(|t| {
            let d = local_date(t).to_string();
            short_date(&d)
        })
        .unwrap_or_default();
    let doc = pdf::Act {
        lang: plang,
        number: act.number.clone(),
        date: short_date(&act.drawn_on),
        month: month_label(dlang, &act.month),
        supplier: supplier_of(&act.supplier),
        customer: customer_of(&act.customer, ""),
        contract: match dlang {
            DocLang::Ru => "Публичная оферта EduCenter (договор присоединения)".into(),
            DocLang::Kk => "EduCenter жария офертасы (қосылу шарты)".into(),
        },
        total_quantity: lines.iter().map(|l| l.quantity).sum::<i64>().to_string(),
        lines: lines
            .iter()
            .map(|l| pdf::ActLine {
                description: l.description.clone(),
                period: if l.from_on == l.to_on {
                    short_date(&l.from_on)
                } else {
                    format!("{} – {}", short_date(&l.from_on), short_date(&l.to_on))
                },
                unit: l.unit.clone(),
                quantity: l.quantity.to_string(),
                price: amount(l.price_minor),
                amount: amount(l.amount_minor),
            })
            .collect(),
        total: amount(act.total_minor),
        currency: act.currency.as_str().to_owned(),
        vat_label,
        vat_amount,
        total_words: words(act.total_minor, act.currency.as_str(), dlang),
        accepted_on,
    };
    let bytes = typeset(move || pdf::act_pdf(&doc)).await?;
    Ok((format!("act-{}.pdf", act.number), bytes))
}

/// The owner objects to an act within its window (cabinet or API): the act becomes
/// `objected` and the objection is e-mailed to the operator's support address.
pub async fn object(
    services: &Services,
    who: &Principal,
    id: &str,
    reason: &str,
    origin: Origin,
) -> Result<Act, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    if who.kind != AccountKind::Owner {
        return Err(ServiceError::Forbidden(Msg::new("err-owner-only")));
    }
    let reason = reason.trim();
    if let Some(m) = Msg::text_error(reason, 1, 2000, true) {
        return Err(invalid("reason", m));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let act = store::act_of(&mut tx, &tenant_id, &ActId::new(id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    check_open(&act, local_date(now))?;
    if !store::object(&mut tx, &act.id, reason, ObjectionBy::Owner, now).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-status").key("status", format!("act-status-{}", act.status)),
        ));
    }
    let support = store::current_profile(&mut tx).await?.support_email;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("number", act.number.clone());
    args.set("month", act.month.clone());
    args.set("org", text(&act.customer, "name"));
    args.set("bin", text(&act.customer, "bin_iin"));
    args.set("reason", reason.to_owned());
    let mail = educenter_store::outbox::NewMail {
        to: support,
        subject: crate::i18n::catalogs().t_args(Lang::Ru, "mail-act-objection-subject", &args),
        text: crate::i18n::catalogs().t_args(Lang::Ru, "mail-act-objection-body", &args),
        html: None,
        class: educenter_store::outbox::MailClass::Transactional,
    };
    educenter_store::outbox::queue(&mut tx, &mail, now).await?;
    let entry = who
        .audit("act.object")
        .tenant(tenant_id.clone())
        .target("act", act.id.clone())
        .origin(origin)
        .details(json!({ "reason": reason }));
    audit::record(&mut tx, &entry, now).await?;
    // Read again: the objection changed its status.
    let act = store::act_of(&mut tx, &tenant_id, &act.id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(act)
}

pub(crate) fn check_open(act: &Act, on: Date) -> Result<(), ServiceError> {
    if act.status != ActStatus::Published {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-status").key("status", format!("act-status-{}", act.status)),
        ));
    }
    if act.window_ends_on < on {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-window-ended").text("date", act.window_ends_on.to_string()),
        ));
    }
    Ok(())
}

/// The billing officer records an objection that came by e-mail, received on `received_on`
/// (within the window, R-5.9.1).
pub async fn record_objection(
    services: &Services,
    who: &Principal,
    id: &str,
    reason: &str,
    received_on: &str,
    origin: Origin,
) -> Result<Act, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManageBilling)?;
    let now = services.clock.now();
    let mut errors = Vec::new();
    let reason = reason.trim();
    if let Some(m) = Msg::text_error(reason, 1, 2000, true) {
        errors.push(("reason".into(), m));
    }
    let received = match received_on.parse::<Date>() {
        Ok(d) if d <= local_date(now) => Some(d),
        _ => {
            errors.push(("received_on".into(), Msg::new("err-date-not-future")));
            None
        }
    };
    let (Some(received), true) = (received, errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let mut tx = services.db.begin().await?;
    let act = store::act_by_id(&mut tx, &ActId::new(id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    // An e-mail that came within the window counts even when it is keyed in after the act
    // was accepted at 00:00.
    if act.status == ActStatus::Objected {
        return Err(ServiceError::Conflict(Msg::new("err-act-objected")));
    }
    if received > act.window_ends_on || received < act.drawn_on {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-window")
                .text("from", act.drawn_on.to_string())
                .text("to", act.window_ends_on.to_string()),
        ));
    }
    if !store::object(&mut tx, &act.id, reason, ObjectionBy::Email, now).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-status").key("status", format!("act-status-{}", act.status)),
        ));
    }
    let entry = who
        .audit("act.object")
        .tenant(act.tenant_id.clone())
        .target("act", act.id.clone())
        .origin(origin)
        .details(json!({ "reason": reason, "received_on": received.to_string(), "by": ObjectionBy::Email }));
    audit::record(&mut tx, &entry, now).await?;
    let act = store::act_by_id(&mut tx, &ActId::new(id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    tx.commit().await?;
    Ok(act)
}

/// A one-click request for a paper or electronic copy of an act, recorded for the operator.
pub async fn request_copy(
    services: &Services,
    who: &Principal,
    id: &str,
    kind: &str,
    origin: Origin,
) -> Result<String, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let Some(kind) = CopyKind::parse(kind) else {
        return Err(invalid("kind", Msg::one_of_words::<CopyKind>()));
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let act = store::act_of(&mut tx, &tenant_id, &ActId::new(id))
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    let (request, created) = store::request_copy(&mut tx, &act, kind, &who.user_id, now).await?;
    if !created {
        return Ok(request);
    }
    let entry = who
        .audit("act.copy_request")
        .tenant(tenant_id)
        .target("act", act.id.clone())
        .origin(origin)
        .details(json!({ "kind": kind }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(request)
}

/// The billing officer marks a copy request handled (sent by post or as an e-document).
pub async fn copy_done(
    services: &Services,
    who: &Principal,
    id: &str,
    origin: Origin,
) -> Result<(), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    who.require_write()?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::copy_done(&mut tx, id, &who.user_id, now).await? {
        return Err(ServiceError::NotFound(Msg::new("err-no-copy-request")));
    }
    let entry = who
        .audit("act.copy_done")
        .target("act_copy_request", id.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Copy requests waiting for the operator, and the newest acts, for the back office.
pub async fn operator_acts(
    services: &Services,
    who: &Principal,
) -> Result<(Vec<Act>, Vec<CopyRequest>), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    Ok((
        store::recent_acts(&mut conn, 100).await?,
        store::open_copy_requests(&mut conn).await?,
    ))
}
