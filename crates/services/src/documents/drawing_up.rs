//! Acts of services drawn up each month per school and currency (DOCUMENTS-KZ), published, and accepted when the objection window closes without an objection.

use super::*;
use educenter_domain::documents::{last_licence_day, previous_month};
use educenter_domain::ids::{ActId, TenantId};
use educenter_domain::roles::OperatorRole;

pub(crate) const MONTHS_RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

pub(crate) const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];

pub(crate) fn month_label(lang: DocLang, month: &str) -> String {
    let Ok(first) = format!("{month}-01").parse::<Date>() else {
        return month.to_owned();
    };
    let m = usize::try_from(first.month() - 1).unwrap_or(0);
    match lang {
        DocLang::Ru => format!("{} {} г.", MONTHS_RU[m], first.year()),
        DocLang::Kk => format!("{} жылғы {}", first.year(), MONTHS_KK[m]),
    }
}

/// What a monthly run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActsReport {
    /// Acts published.
    pub created: usize,
    /// Schools whose month was already on their acts.
    pub existing: usize,
    /// Schools whose acts failed (logged; tried again the next day until the 5th).
    pub failed: usize,
}

/// At 01:00 every day: the month's acts, drawn up from the 1st to the 5th and checked on the
/// 6th.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct MonthlyActs {}

impl crate::jobs::Job for MonthlyActs {
    const KIND: &'static str = "documents.acts";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        acts_job(ctx).await
    }
}

/// At 00:00 every day: acts whose objection window has ended are accepted.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct AcceptActs {}

impl crate::jobs::Job for AcceptActs {
    const KIND: &'static str = "documents.accept";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let accepted = accept_acts(&ctx.services.db, ctx.due_at).await?;
        if accepted > 0 {
            tracing::info!(accepted, "acts accepted after their objection window");
        }
        Ok(())
    }
}

async fn acts_job(ctx: JobContext) -> anyhow::Result<()> {
    let (db, public_url) = (&ctx.services.db, &ctx.services.public_url);
    let today = local_date(ctx.due_at);
    // From the 1st to the 5th: on the 1st it draws up the month's acts; on the next days it
    // draws up those of schools whose money for the month was recorded late (nothing twice).
    // The month is the slot's; the publication is now (a run caught up after downtime
    // publishes today, with a full window).
    let now = ctx.services.clock.now();
    if (1..=5).contains(&today.day()) {
        // The acts' e-mails link to the cabinet.
        let report = draw_up_acts(db, public_url, previous_month(today), now).await?;
        tracing::info!(
            created = report.created,
            existing = report.existing,
            failed = report.failed,
            "monthly acts"
        );
    }
    if today.day() == 6 {
        let missing = check_published(db, previous_month(today), now).await?;
        if missing > 0 {
            tracing::error!(missing, "acts not published by the end of the 5th");
        }
    }
    Ok(())
}

/// Acts whose window ended before today become `accepted`.
pub async fn accept_acts(db: &Db, at: Timestamp) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let n = store::accept_due(&mut tx, local_date(at), at).await?;
    tx.commit().await?;
    Ok(n)
}

pub(crate) fn licence_line(
    lang: DocLang,
    p: &store::PeriodInMonth,
    month_first: Date,
) -> anyhow::Result<Option<ActLine>> {
    let (from, to) = (p.from_on, p.to_on);
    let period = PaidPeriod {
        from,
        to,
        paid_minor: p.paid.minor,
    };
    let until = last_licence_day(p.contract_ended_at).map_or(to, |d| d.min(to));
    let Some(share) = month_share_until(&period, month_first, until) else {
        return Ok(None);
    };
    let description = match lang {
        DocLang::Ru => format!(
            "Лицензия EduCenter, тариф «{}», период {} – {} (счёт № {})",
            p.plan_ru,
            short_date(&p.from_on),
            short_date(&p.to_on),
            p.invoice_number
        ),
        DocLang::Kk => format!(
            "EduCenter лицензиясы, «{}» тарифі, кезең {} – {} (№ {} шот)",
            p.plan_kk,
            short_date(&p.from_on),
            short_date(&p.to_on),
            p.invoice_number
        ),
    };
    Ok(Some(ActLine {
        kind: ActLineKind::Licence,
        description,
        from_on: share.from,
        to_on: share.to,
        quantity: share.days,
        unit: match lang {
            DocLang::Ru => "дн.".into(),
            DocLang::Kk => "күн".into(),
        },
        price_minor: day_rate(&period),
        amount_minor: share.amount_minor,
        invoice_id: p.invoice_id.clone(),
        source: p.invoice_id.to_string(),
    }))
}

/// The rows that could be read, and the schools of those that could not (each logged).
fn readable<T>(
    rows: Vec<(TenantId, educenter_store::Result<T>)>,
    month: &str,
) -> (Vec<T>, std::collections::BTreeSet<TenantId>) {
    let mut read = Vec::with_capacity(rows.len());
    let mut unreadable = std::collections::BTreeSet::new();
    for (tenant_id, row) in rows {
        match row {
            Ok(row) => read.push(row),
            Err(e) => {
                tracing::error!(tenant = %tenant_id, month, error = %e, "a row of a school's month cannot be read: no act for it");
                unreadable.insert(tenant_id);
            }
        }
    }
    (read, unreadable)
}

pub(crate) fn service_source(s: &store::ServiceInMonth) -> String {
    format!("{}#{}", s.invoice_id, s.position)
}

/// Draws up and publishes the acts of a month: every school with licence days or paid services
/// in it gets an act per currency, numbered, with both parties' details, e-mailed to its owner.
/// What is already on an act of that month is left out, so a second run creates nothing, and
/// money recorded late (a value date in the month, keyed in on the 2nd to the 5th) gets a
/// supplementary act. A school that fails is logged and rolled back alone.
pub async fn draw_up_acts(
    db: &Db,
    public_url: &str,
    month_first: Date,
    at: Timestamp,
) -> anyhow::Result<ActsReport> {
    let month_last = month_first.last_of_month();
    let month = format!("{:04}-{:02}", month_first.year(), month_first.month());
    let cal = calendar::load(db).await?;
    let run = ActsRun {
        db,
        public_url,
        cal: &cal,
        month_first,
        month: &month,
        at,
    };
    let mut report = ActsReport::default();
    let mut conn = db.conn().await?;
    let (services, mut unreadable) = readable(
        store::services_in_month(&mut conn, month_first, month_last).await?,
        &month,
    );
    drop(conn);
    let mut pending: BTreeMap<TenantId, Vec<store::ServiceInMonth>> = BTreeMap::new();
    for s in services {
        pending.entry(s.tenant_id.clone()).or_default().push(s);
    }
    let mut schools: Vec<(
        TenantId,
        Vec<store::PeriodInMonth>,
        Vec<store::ServiceInMonth>,
    )> = Vec::new();
    let mut after = String::new();
    loop {
        let mut conn = db.conn().await?;
        let rows = store::periods_in_month(&mut conn, month_first, month_last, &after, 200).await?;
        drop(conn);
        let Some((last_tenant, _)) = rows.last() else {
            break;
        };
        after = last_tenant.to_string();
        let (periods, bad) = readable(rows, &month);
        unreadable.extend(bad);
        let mut by_tenant: BTreeMap<TenantId, Vec<store::PeriodInMonth>> = BTreeMap::new();
        for p in periods {
            by_tenant.entry(p.tenant_id.clone()).or_default().push(p);
        }
        for (tenant_id, periods) in by_tenant {
            if unreadable.contains(&tenant_id) {
                continue;
            }
            let services = pending.remove(&tenant_id).unwrap_or_default();
            schools.push((tenant_id, periods, services));
        }
        for (tenant_id, periods, services) in schools.drain(..) {
            one_school_logged(&run, &tenant_id, &periods, &services, &mut report).await;
        }
    }
    // A school with a row that cannot be read gets no act this run (logged; tried again the
    // next day until the 5th, then the monitor alerts).
    report.failed += unreadable.len();
    for (tenant_id, services) in pending {
        if unreadable.contains(&tenant_id) {
            continue;
        }
        one_school_logged(&run, &tenant_id, &[], &services, &mut report).await;
    }
    Ok(report)
}

/// One month's run of the acts: what every school's acts of it share.
#[derive(Clone, Copy)]
pub(crate) struct ActsRun<'a> {
    pub db: &'a Db,
    /// The cabinet's address, for the e-mails' links.
    pub public_url: &'a str,
    pub cal: &'a educenter_domain::calendar::BusinessCalendar,
    pub month_first: Date,
    /// The month as `YYYY-MM`.
    pub month: &'a str,
    /// When the acts are published.
    pub at: Timestamp,
}

/// One school's acts of the run's month, counted in `report`; a failure is logged and counted,
/// and holds up no other school.
pub(crate) async fn one_school_logged(
    run: &ActsRun<'_>,
    tenant_id: &TenantId,
    periods: &[store::PeriodInMonth],
    services: &[store::ServiceInMonth],
    report: &mut ActsReport,
) {
    match one_school(run, tenant_id, periods, services).await {
        Ok(Some(created)) => report.created += created,
        Ok(None) => report.existing += 1,
        Err(e) => {
            let month = run.month;
            tracing::error!(tenant = %tenant_id, month, error = %e, "the acts of a school failed");
            report.failed += 1;
        }
    }
}

/// One school's acts of a month: `None` when everything was on its acts already, else how many
/// acts were published.
pub(crate) async fn one_school(
    run: &ActsRun<'_>,
    tenant_id: &TenantId,
    periods: &[store::PeriodInMonth],
    services: &[store::ServiceInMonth],
) -> anyhow::Result<Option<usize>> {
    let ActsRun {
        db,
        public_url,
        cal,
        month_first,
        month,
        at,
    } = *run;
    let mut tx = db.begin().await?;
    let Some(tenant) = tenancy::get_in(&mut tx, tenant_id).await? else {
        return Ok(None);
    };
    let acted = store::acted_sources(&mut tx, tenant_id, month).await?;
    let (lang_code, address) = store::tenant_settings(&mut tx, tenant_id).await?;
    let (_, dlang, _) = doc_lang(lang_code);
    // Keyed by the currency's code: acts of one month are numbered in the order of the codes.
    let mut by_currency: BTreeMap<&'static str, (Currency, Vec<ActLine>)> = BTreeMap::new();
    for p in periods {
        if acted.contains(p.invoice_id.as_str()) {
            continue;
        }
        if let Some(line) = licence_line(dlang, p, month_first)? {
            by_currency
                .entry(p.paid.currency.as_str())
                .or_insert_with(|| (p.paid.currency, Vec::new()))
                .1
                .push(line);
        }
    }
    for s in services {
        let source = service_source(s);
        if acted.contains(&source) {
            continue;
        }
        by_currency
            .entry(s.amount.currency.as_str())
            .or_insert_with(|| (s.amount.currency, Vec::new()))
            .1
            .push(ActLine {
                kind: ActLineKind::Service,
                description: match dlang {
                    DocLang::Kk => s.description_kk.clone().unwrap_or(s.description.clone()),
                    DocLang::Ru => s.description.clone(),
                },
                from_on: s.paid_on,
                to_on: s.paid_on,
                quantity: 1,
                unit: match dlang {
                    DocLang::Ru => "усл.".into(),
                    DocLang::Kk => "қызм.".into(),
                },
                price_minor: s.amount.minor,
                amount_minor: s.amount.minor,
                invoice_id: s.invoice_id.clone(),
                source,
            });
    }
    if by_currency.is_empty() {
        return Ok(None);
    }
    let supplier = crate::requisites::supplier_snapshot(&mut tx)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let customer = json!({
        "name": tenant.name,
        "kind": tenant.kind,
        "bin_iin": tenant.bin_iin,
        "address": address,
    });
    let today = local_date(at);
    let window_ends_on = objection_window_end(cal, today);
    crate::calendar::note_gaps(&mut tx, cal, today, window_ends_on, at)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut created = 0;
    for (currency, lines) in by_currency.into_values() {
        // Shares of what was paid, each bounded by its payment: summed without wrapping.
        let total = educenter_domain::money::saturating_sum(lines.iter().map(|l| l.amount_minor));
        let act = Act {
            id: ActId::new(new_id()),
            tenant_id: tenant_id.to_owned(),
            number: store::next_act_number(&mut tx, today.year()).await?,
            month: month.to_owned(),
            currency,
            total_minor: total,
            drawn_on: today,
            published_at: at,
            window_ends_on,
            status: ActStatus::Published,
            accepted_at: None,
            objected_at: None,
            objection: None,
            objection_by: None,
            lang: lang_code,
            supplier: supplier.clone(),
            customer: customer.clone(),
        };
        // A concurrent run that stored the same lines first makes this fail and roll back,
        // giving the number back.
        store::insert_act(&mut tx, &act, &lines).await?;
        let support = store::current_profile(&mut tx).await?.support_email;
        crate::notify::mail_owner_with(
            &mut tx,
            &tenant,
            "act",
            vec![
                ("number", Arg::Text(act.number.clone())),
                ("month", Arg::Month(month.to_owned())),
                (
                    "amount",
                    Arg::Money(educenter_domain::money::Money::new(total, currency)),
                ),
                ("deadline", Arg::Date(window_ends_on)),
                (
                    "documents_url",
                    Arg::Text(format!("{public_url}/cabinet/documents")),
                ),
                ("support", Arg::Text(support)),
            ],
            educenter_store::outbox::MailClass::Bulk {
                tenant_id: tenant.id.clone(),
            },
            at,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        let entry = Entry::new(Actor::System, "act.publish")
            .tenant(tenant_id.to_owned())
            .target("act", act.id.clone())
            .details(json!({ "number": act.number, "month": month, "total_minor": total }));
        audit::record(&mut tx, &entry, at).await?;
        created += 1;
    }
    tx.commit().await?;
    Ok(Some(created))
}

/// The monitor (the 6th): schools with licence days or paid services in the month that are
/// not on an act alert the operator's super-admins and billing officers; returns how many.
pub async fn check_published(db: &Db, month_first: Date, at: Timestamp) -> anyhow::Result<usize> {
    let month_last = month_first.last_of_month();
    let month = format!("{:04}-{:02}", month_first.year(), month_first.month());
    let mut expected: BTreeMap<TenantId, Vec<String>> = BTreeMap::new();
    let mut conn = db.conn().await?;
    // A school with a row that cannot be read is reported as missing its acts.
    let (services, mut unreadable) = readable(
        store::services_in_month(&mut conn, month_first, month_last).await?,
        &month,
    );
    for s in services {
        expected
            .entry(s.tenant_id.clone())
            .or_default()
            .push(service_source(&s));
    }
    let mut missing = Vec::new();
    let mut after = String::new();
    loop {
        let rows = store::periods_in_month(&mut conn, month_first, month_last, &after, 500).await?;
        let Some((last_tenant, _)) = rows.last() else {
            break;
        };
        after = last_tenant.to_string();
        let (periods, bad) = readable(rows, &month);
        unreadable.extend(bad);
        let mut page: BTreeMap<TenantId, Vec<String>> = BTreeMap::new();
        for p in &periods {
            // A period whose contract ended before the month has no day to act.
            let until = last_licence_day(p.contract_ended_at).unwrap_or(month_last);
            if until >= month_first {
                page.entry(p.tenant_id.clone())
                    .or_default()
                    .push(p.invoice_id.to_string());
            }
        }
        for (tenant_id, mut sources) in page {
            sources.extend(expected.remove(&tenant_id).unwrap_or_default());
            let acted = store::acted_sources(&mut conn, &tenant_id, &month).await?;
            if sources.iter().any(|s| !acted.contains(s)) {
                missing.push(tenant_id);
            }
        }
    }
    for (tenant_id, sources) in expected {
        let acted = store::acted_sources(&mut conn, &tenant_id, &month).await?;
        if sources.iter().any(|s| !acted.contains(s)) {
            missing.push(tenant_id);
        }
    }
    drop(conn);
    missing.extend(
        unreadable
            .into_iter()
            .filter(|t| !missing.contains(t))
            .collect::<Vec<_>>(),
    );
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("month", month.clone());
    args.set("missing", missing.len());
    for to in
        bstore::operator_emails(&mut tx, &[OperatorRole::SuperAdmin, OperatorRole::Billing]).await?
    {
        let mail = educenter_store::outbox::NewMail {
            to,
            subject: crate::i18n::catalogs().t_args(Lang::Ru, "mail-act-alert-subject", &args),
            text: crate::i18n::catalogs().t_args(Lang::Ru, "mail-act-alert-body", &args),
            html: None,
            class: educenter_store::outbox::MailClass::Transactional,
        };
        educenter_store::outbox::queue(&mut tx, &mail, at).await?;
    }
    let entry = Entry::new(Actor::System, "act.alert")
        .details(json!({ "month": month, "missing": missing }));
    audit::record(&mut tx, &entry, at).await?;
    tx.commit().await?;
    Ok(missing.len())
}
