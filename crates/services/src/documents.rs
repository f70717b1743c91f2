//! Documents (issue 5): the operator's versioned requisites, a school's document
//! settings, invoice and act PDFs in Russian or Kazakh, and the monthly acts
//! with their objection window.

use std::collections::BTreeMap;

use educenter_documents as pdf;
use educenter_domain::{
    clock::local_date,
    documents::{PaidPeriod, day_rate, month_share_until, objection_window_end, vat_included},
    roles::{OperatorAction, TenantAction},
    words::{DocLang, amount_in_words},
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Db,
    audit::{self, Actor, Entry, Origin},
    billing::{self as bstore, Invoice},
    calendar,
    documents::{self as store, Act, ActLine, CopyRequest, Profile},
    new_id, tenancy,
};
use jiff::{Span, Timestamp, civil::Date};
use serde_json::json;

use crate::Msg;
use crate::msg::Arg;
use crate::{
    ServiceError, Services,
    access::Principal,
    access::require_operator,
    i18n::{Lang, format_date},
    invalid,
    jobs::{JobContext, JobRegistry},
};

pub const ACTS_JOB: &str = "documents.acts";
pub const ACCEPT_JOB: &str = "documents.accept";

pub fn register(registry: &mut JobRegistry, public_url: String) {
    // The acts' e-mails link to the cabinet.
    registry.handle(ACTS_JOB, move |ctx| acts_job(ctx, public_url.clone()));
    registry.handle(ACCEPT_JOB, accept_job);
    // Acts are drawn up at 01:00 on the 1st (the job runs daily and acts on the 1st and, for
    // the monitor, the 6th); acceptance happens at 00:00 after the window.
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(1, 0) {
        registry.schedule(ACTS_JOB, ACTS_JOB, at);
    }
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(0, 0) {
        registry.schedule(ACCEPT_JOB, ACCEPT_JOB, at);
    }
}

// ---------------------------------------------------------------- the operator's requisites

/// The requisites in force (any operator staff).
pub async fn profile(services: &Services, who: &Principal) -> Result<Profile, ServiceError> {
    if who.kind != "operator" {
        return Err(ServiceError::Forbidden(Msg::new("err-operator-only")));
    }
    let mut conn = services.db.conn().await?;
    Ok(store::current_profile(&mut conn).await?)
}

fn check_profile(p: &Profile) -> Vec<(String, Msg)> {
    let mut errors = Vec::new();
    let mut text = |field: &str, value: &str, max: usize| {
        if let Some(m) = Msg::text_error(value, 1, max, false) {
            errors.push((field.to_owned(), m));
        }
    };
    text("name", &p.name, 200);
    text("address", &p.address, 300);
    text("phone", &p.phone, 50);
    text("bank", &p.bank, 200);
    text("signer", &p.signer, 200);
    if educenter_domain::iin::IinBin::parse(&p.bin).is_err() {
        errors.push(("bin".into(), Msg::new("err-iin-format")));
    }
    let iik = p.iik.trim();
    if !(iik.len() == 20
        && iik.starts_with("KZ")
        && iik
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    {
        errors.push(("iik".into(), Msg::new("err-iik")));
    }
    let bik = p.bik.trim();
    if !(bik.len() == 8
        && bik
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    {
        errors.push(("bik".into(), Msg::new("err-bik")));
    }
    if !(p.kbe.trim().len() == 2 && p.kbe.trim().bytes().all(|b| b.is_ascii_digit())) {
        errors.push(("kbe".into(), Msg::new("err-digits").num("count", 2)));
    }
    if !(p.knp.trim().len() == 3 && p.knp.trim().bytes().all(|b| b.is_ascii_digit())) {
        errors.push(("knp".into(), Msg::new("err-digits").num("count", 3)));
    }
    for (field, value) in [("email", &p.email), ("support_email", &p.support_email)] {
        let email = value.trim();
        if email.len() > 200 || !educenter_domain::tenancy::valid_email(email) {
            errors.push((field.into(), Msg::email()));
        }
    }
    if p.vat_percent.is_some_and(|v| !(1..=30).contains(&v)) {
        errors.push(("vat_percent".into(), Msg::new("err-vat")));
    }
    errors
}

/// Saves new requisites as the next version (super-admin); documents already issued keep the
/// version they were issued with.
pub async fn put_profile(
    services: &Services,
    who: &Principal,
    p: Profile,
    origin: Origin,
) -> Result<Profile, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let errors = check_profile(&p);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let trimmed = Profile {
        version: 0,
        name: p.name.trim().into(),
        bin: p.bin.trim().into(),
        address: p.address.trim().into(),
        phone: p.phone.trim().into(),
        email: p.email.trim().into(),
        support_email: p.support_email.trim().into(),
        bank: p.bank.trim().into(),
        iik: p.iik.trim().into(),
        bik: p.bik.trim().into(),
        kbe: p.kbe.trim().into(),
        knp: p.knp.trim().into(),
        signer: p.signer.trim().into(),
        vat_percent: p.vat_percent,
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let current = store::current_profile(&mut tx).await?;
    let unchanged = Profile {
        version: 0,
        ..current.clone()
    } == trimmed;
    if unchanged {
        return Ok(current);
    }
    let version = store::add_profile(&mut tx, &trimmed, now, Some(&who.user_id)).await?;
    let entry = who
        .audit("operator_profile.update")
        .target("operator_profile", version.to_string())
        .origin(origin)
        .details(json!({ "version": version }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Profile { version, ..trimmed })
}

// ---------------------------------------------------------------- a school's settings

/// A school's document settings: language and postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub lang: String,
    pub address: String,
}

pub async fn settings(services: &Services, who: &Principal) -> Result<Settings, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut conn = services.db.conn().await?;
    let (lang, address) = store::tenant_settings(&mut conn, &tenant_id).await?;
    Ok(Settings { lang, address })
}

/// Sets the language of the school's documents (`ru` or `kk`) and its address.
pub async fn put_settings(
    services: &Services,
    who: &Principal,
    s: Settings,
    origin: Origin,
) -> Result<Settings, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut errors = Vec::new();
    if s.lang != "ru" && s.lang != "kk" {
        errors.push(("lang".into(), Msg::one_of(&["ru", "kk"])));
    }
    let address = s.address.trim().to_owned();
    if let Some(m) = Msg::text_error(&address, 0, 300, false) {
        errors.push(("address".into(), m));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let (old_lang, old_address) = store::tenant_settings(&mut tx, &tenant_id).await?;
    store::set_tenant_settings(&mut tx, &tenant_id, &s.lang, &address).await?;
    let entry = who
        .audit("documents.settings")
        .tenant(tenant_id.clone())
        .origin(origin)
        .details(json!({ "lang": s.lang }))
        .changes(
            &json!({ "lang": old_lang, "address": old_address }),
            &json!({ "lang": s.lang, "address": address }),
        );
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Settings {
        lang: s.lang,
        address,
    })
}

// ---------------------------------------------------------------- formatting

fn doc_lang(code: &str) -> (pdf::Lang, DocLang, Lang) {
    if code == "kk" {
        (pdf::Lang::Kk, DocLang::Kk, Lang::Kk)
    } else {
        (pdf::Lang::Ru, DocLang::Ru, Lang::Ru)
    }
}

/// An amount as documents write it: "30 000,00" (no currency, spaces that do not break).
fn amount(minor: i64) -> String {
    crate::i18n::format_amount(Lang::Ru, minor)
}

fn short_date(d: &str) -> String {
    d.parse::<Date>()
        .map(|d| format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()))
        .unwrap_or_else(|_| d.to_owned())
}

fn long_date(lang: Lang, d: &str) -> String {
    d.parse::<Date>()
        .map(|d| format_date(lang, d))
        .unwrap_or_else(|_| d.to_owned())
}

fn text(v: &serde_json::Value, key: &str) -> String {
    v.get(key)
        .and_then(|x| x.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn supplier_of(v: &serde_json::Value) -> pdf::Supplier {
    pdf::Supplier {
        name: text(v, "name"),
        bin: text(v, "bin"),
        address: text(v, "address"),
        phone: text(v, "phone"),
        email: text(v, "email"),
        bank: text(v, "bank"),
        iik: text(v, "iik"),
        bik: text(v, "bik"),
        kbe: text(v, "kbe"),
        knp: text(v, "knp"),
        signer: text(v, "signer"),
    }
}

fn customer_of(v: &serde_json::Value, address: &str) -> pdf::Customer {
    let snapshot_address = text(v, "address");
    pdf::Customer {
        name: text(v, "name"),
        // A legal entity shows its BIN; an individual and a sole proprietor their IIN.
        id_kind: if text(v, "kind") == "legal_entity" {
            "bin".into()
        } else {
            "iin".into()
        },
        id: text(v, "bin_iin"),
        address: if snapshot_address.is_empty() {
            address.to_owned()
        } else {
            snapshot_address
        },
    }
}

fn vat_lines(lang: DocLang, percent: Option<i64>, total: i64) -> (String, String) {
    match percent.and_then(|p| u8::try_from(p).ok()) {
        Some(p) => (
            match lang {
                DocLang::Ru => format!("В том числе НДС {p}%:"),
                DocLang::Kk => format!("Оның ішінде ҚҚС {p}%:"),
            },
            amount(vat_included(total, p)),
        ),
        None => (
            match lang {
                DocLang::Ru => "Без НДС".into(),
                DocLang::Kk => "ҚҚС-сыз".into(),
            },
            String::new(),
        ),
    }
}

fn words(minor: i64, currency: &str, lang: DocLang) -> String {
    amount_in_words(minor.max(0), currency, lang).unwrap_or_default()
}

// ---------------------------------------------------------------- invoice PDFs

/// An invoice as a PDF: (file name, bytes). Any of the school's billing people.
pub async fn invoice_pdf(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    let view = crate::billing::invoices::invoice(services, who, id).await?;
    render_invoice(services, view.invoice, view.lines).await
}

/// Any school's invoice as a PDF, for the billing officer.
pub async fn operator_invoice_pdf(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let mut conn = services.db.conn().await?;
    let invoice = bstore::invoice_by_id(&mut conn, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-invoice")))?;
    let lines = bstore::lines(&mut conn, &invoice.tenant_id, id).await?;
    drop(conn);
    render_invoice(services, invoice, lines).await
}

async fn render_invoice(
    services: &Services,
    invoice: Invoice,
    lines: Vec<bstore::Line>,
) -> Result<(String, Vec<u8>), ServiceError> {
    let mut conn = services.db.conn().await?;
    let (lang_code, address) = store::tenant_settings(&mut conn, &invoice.tenant_id).await?;
    // Invoices issued before the requisites were versioned lack some keys: version 1 fills them.
    let mut supplier = supplier_of(&invoice.supplier);
    if supplier.kbe.is_empty()
        && let Some(v1) = store::profile_version(&mut conn, 1).await?
    {
        let fill = |field: &mut String, value: &str| {
            if field.is_empty() {
                *field = value.to_owned();
            }
        };
        fill(&mut supplier.phone, &v1.phone);
        fill(&mut supplier.email, &v1.email);
        fill(&mut supplier.kbe, &v1.kbe);
        fill(&mut supplier.knp, &v1.knp);
        fill(&mut supplier.signer, &v1.signer);
    }
    drop(conn);
    let (plang, dlang, lang) = doc_lang(&lang_code);
    let vat = invoice
        .supplier
        .get("vat_percent")
        .and_then(serde_json::Value::as_i64);
    let (vat_label, vat_amount) = vat_lines(dlang, vat, invoice.total_minor);
    let unit = match dlang {
        DocLang::Ru => "усл.",
        DocLang::Kk => "қызм.",
    };
    let doc = pdf::Invoice {
        lang: plang,
        number: invoice.number.clone(),
        date: long_date(lang, &invoice.issued_on),
        due: long_date(lang, &invoice.due_on),
        // counted without the year's business calendar, the date may still move.
        due_note: if invoice.due_on_provisional {
            match dlang {
                DocLang::Ru => "предварительно: производственный календарь года ещё не загружен",
                DocLang::Kk => "алдын ала: жылдың өндірістік күнтізбесі әлі жүктелмеген",
            }
            .into()
        } else {
            String::new()
        },
        supplier,
        customer: customer_of(&invoice.customer, &address),
        contract: match dlang {
            DocLang::Ru => "Публичная оферта EduCenter (договор присоединения)".into(),
            DocLang::Kk => "EduCenter жария офертасы (қосылу шарты)".into(),
        },
        lines: lines
            .iter()
            .map(|l| pdf::InvoiceLine {
                description: l
                    .description_in(match dlang {
                        DocLang::Ru => "ru",
                        DocLang::Kk => "kk",
                    })
                    .to_owned(),
                quantity: "1".into(),
                unit: unit.into(),
                price: amount(l.amount_minor),
                amount: amount(l.amount_minor),
            })
            .collect(),
        total: amount(invoice.total_minor),
        currency: invoice.currency.clone(),
        vat_label,
        vat_amount,
        total_words: words(invoice.total_minor, &invoice.currency, dlang),
        purpose: {
            let service = invoice.purpose == "service";
            match dlang {
                DocLang::Ru => format!(
                    "Оплата по счёту № {} от {} за {} EduCenter",
                    invoice.number,
                    short_date(&invoice.issued_on),
                    if service {
                        "услуги"
                    } else {
                        "лицензию"
                    }
                ),
                DocLang::Kk => format!(
                    "{} жылғы № {} шот бойынша EduCenter {} үшін төлем",
                    short_date(&invoice.issued_on),
                    invoice.number,
                    if service {
                        "қызметтері"
                    } else {
                        "лицензиясы"
                    }
                ),
            }
        },
        stamp: match (invoice.status.as_str(), dlang) {
            ("paid", DocLang::Ru) => "Оплачен".into(),
            ("paid", DocLang::Kk) => "Төленді".into(),
            ("void", DocLang::Ru) => "Аннулирован".into(),
            ("void", DocLang::Kk) => "Жойылды".into(),
            _ => String::new(),
        },
    };
    let bytes = typeset(move || pdf::invoice_pdf(&doc)).await?;
    Ok((format!("invoice-{}.pdf", invoice.number), bytes))
}

/// Typesetting takes tens of milliseconds of CPU: off the async workers.
async fn typeset(
    f: impl FnOnce() -> Result<Vec<u8>, pdf::DocumentError> + Send + 'static,
) -> Result<Vec<u8>, ServiceError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::Internal(format!("typesetting stopped: {e}")))?
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

// ---------------------------------------------------------------- acts

const MONTHS_RU: [&str; 12] = [
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
const MONTHS_KK: [&str; 12] = [
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

fn month_label(lang: DocLang, month: &str) -> String {
    let Ok(first) = format!("{month}-01").parse::<Date>() else {
        return month.to_owned();
    };
    let m = usize::try_from(first.month() - 1).unwrap_or(0);
    match lang {
        DocLang::Ru => format!("{} {} г.", MONTHS_RU[m], first.year()),
        DocLang::Kk => format!("{} жылғы {}", first.year(), MONTHS_KK[m]),
    }
}

/// The first day of the month before the local day of `at`.
fn previous_month(today: Date) -> Date {
    today.first_of_month().saturating_sub(Span::new().months(1))
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

async fn acts_job(ctx: JobContext, public_url: String) -> anyhow::Result<()> {
    let today = local_date(ctx.due_at);
    // From the 1st to the 5th: on the 1st it draws up the month's acts; on the next days it
    // draws up those of schools whose money for the month was recorded late (nothing twice).
    // The month is the slot's; the publication is now (a run caught up after downtime
    // publishes today, with a full window).
    let now = ctx.clock.now();
    if (1..=5).contains(&today.day()) {
        let report = draw_up_acts(&ctx.db, &public_url, previous_month(today), now).await?;
        tracing::info!(
            created = report.created,
            existing = report.existing,
            failed = report.failed,
            "monthly acts"
        );
    }
    if today.day() == 6 {
        let missing = check_published(&ctx.db, previous_month(today), now).await?;
        if missing > 0 {
            tracing::error!(missing, "acts not published by the end of the 5th");
        }
    }
    Ok(())
}

async fn accept_job(ctx: JobContext) -> anyhow::Result<()> {
    let accepted = accept_acts(&ctx.db, ctx.due_at).await?;
    if accepted > 0 {
        tracing::info!(accepted, "acts accepted after their objection window");
    }
    Ok(())
}

/// Acts whose window ended before today become `accepted`.
pub async fn accept_acts(db: &Db, at: Timestamp) -> anyhow::Result<u64> {
    let mut tx = db.begin().await?;
    let n = store::accept_due(&mut tx, &local_date(at).to_string(), at).await?;
    tx.commit().await?;
    Ok(n)
}

/// The last day a contract's licence days count: the local day before the instant it ended
/// (a contract ends at the end of its last day).
fn last_day(ended_at: Option<Timestamp>) -> Option<Date> {
    ended_at.map(|t| {
        local_date(
            t.checked_sub(jiff::SignedDuration::from_micros(1))
                .unwrap_or(t),
        )
    })
}

fn licence_line(
    lang: DocLang,
    p: &store::PeriodInMonth,
    month_first: Date,
) -> anyhow::Result<Option<ActLine>> {
    let from = p.from_on.parse::<Date>()?;
    let to = p.to_on.parse::<Date>()?;
    let period = PaidPeriod {
        from,
        to,
        paid_minor: p.paid_minor,
    };
    let until = last_day(p.contract_ended_at).map_or(to, |d| d.min(to));
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
        kind: "licence".into(),
        description,
        from_on: share.from.to_string(),
        to_on: share.to.to_string(),
        quantity: share.days,
        unit: match lang {
            DocLang::Ru => "дн.".into(),
            DocLang::Kk => "күн".into(),
        },
        price_minor: day_rate(&period),
        amount_minor: share.amount_minor,
        invoice_id: p.invoice_id.clone(),
        source: p.invoice_id.clone(),
    }))
}

fn service_source(s: &store::ServiceInMonth) -> String {
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
    let (first, last) = (month_first.to_string(), month_last.to_string());
    let month = format!("{:04}-{:02}", month_first.year(), month_first.month());
    let cal = calendar::load(db).await?;
    let mut report = ActsReport::default();
    let mut conn = db.conn().await?;
    let services = store::services_in_month(&mut conn, &first, &last).await?;
    drop(conn);
    let mut pending: BTreeMap<String, Vec<store::ServiceInMonth>> = BTreeMap::new();
    for s in services {
        pending.entry(s.tenant_id.clone()).or_default().push(s);
    }
    let mut schools: Vec<(
        String,
        Vec<store::PeriodInMonth>,
        Vec<store::ServiceInMonth>,
    )> = Vec::new();
    let mut after = String::new();
    loop {
        let mut conn = db.conn().await?;
        let periods = store::periods_in_month(&mut conn, &first, &last, &after, 200).await?;
        drop(conn);
        let Some(last_row) = periods.last() else {
            break;
        };
        after = last_row.tenant_id.clone();
        let mut by_tenant: BTreeMap<String, Vec<store::PeriodInMonth>> = BTreeMap::new();
        for p in periods {
            by_tenant.entry(p.tenant_id.clone()).or_default().push(p);
        }
        for (tenant_id, periods) in by_tenant {
            let services = pending.remove(&tenant_id).unwrap_or_default();
            schools.push((tenant_id, periods, services));
        }
        for (tenant_id, periods, services) in schools.drain(..) {
            one_school_logged(
                db,
                public_url,
                &cal,
                &tenant_id,
                &periods,
                &services,
                month_first,
                &month,
                at,
                &mut report,
            )
            .await;
        }
    }
    for (tenant_id, services) in pending {
        one_school_logged(
            db,
            public_url,
            &cal,
            &tenant_id,
            &[],
            &services,
            month_first,
            &month,
            at,
            &mut report,
        )
        .await;
    }
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn one_school_logged(
    db: &Db,
    public_url: &str,
    cal: &educenter_domain::calendar::BusinessCalendar,
    tenant_id: &str,
    periods: &[store::PeriodInMonth],
    services: &[store::ServiceInMonth],
    month_first: Date,
    month: &str,
    at: Timestamp,
    report: &mut ActsReport,
) {
    match one_school(
        db,
        public_url,
        cal,
        tenant_id,
        periods,
        services,
        month_first,
        month,
        at,
    )
    .await
    {
        Ok(Some(created)) => report.created += created,
        Ok(None) => report.existing += 1,
        Err(e) => {
            tracing::error!(tenant = %tenant_id, month, error = %e, "the acts of a school failed");
            report.failed += 1;
        }
    }
}

/// One school's acts of a month: `None` when everything was on its acts already, else how many
/// acts were published.
#[allow(clippy::too_many_arguments)]
async fn one_school(
    db: &Db,
    public_url: &str,
    cal: &educenter_domain::calendar::BusinessCalendar,
    tenant_id: &str,
    periods: &[store::PeriodInMonth],
    services: &[store::ServiceInMonth],
    month_first: Date,
    month: &str,
    at: Timestamp,
) -> anyhow::Result<Option<usize>> {
    let mut tx = db.begin().await?;
    let Some(tenant) = tenancy::get_in(&mut tx, tenant_id).await? else {
        return Ok(None);
    };
    let acted = store::acted_sources(&mut tx, tenant_id, month).await?;
    let (lang_code, address) = store::tenant_settings(&mut tx, tenant_id).await?;
    let (_, dlang, _) = doc_lang(&lang_code);
    let mut by_currency: BTreeMap<String, Vec<ActLine>> = BTreeMap::new();
    for p in periods {
        if acted.contains(&p.invoice_id) {
            continue;
        }
        if let Some(line) = licence_line(dlang, p, month_first)? {
            by_currency
                .entry(p.currency.clone())
                .or_default()
                .push(line);
        }
    }
    for s in services {
        let source = service_source(s);
        if acted.contains(&source) {
            continue;
        }
        by_currency
            .entry(s.currency.clone())
            .or_default()
            .push(ActLine {
                kind: "service".into(),
                description: match dlang {
                    DocLang::Kk => s.description_kk.clone().unwrap_or(s.description.clone()),
                    DocLang::Ru => s.description.clone(),
                },
                from_on: s.paid_on.clone(),
                to_on: s.paid_on.clone(),
                quantity: 1,
                unit: match dlang {
                    DocLang::Ru => "усл.".into(),
                    DocLang::Kk => "қызм.".into(),
                },
                price_minor: s.amount_minor,
                amount_minor: s.amount_minor,
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
    for (currency, lines) in by_currency {
        // Shares of what was paid, each bounded by its payment: summed without wrapping.
        let total = educenter_domain::money::saturating_sum(lines.iter().map(|l| l.amount_minor));
        let act = Act {
            id: new_id(),
            tenant_id: tenant_id.to_owned(),
            number: store::next_act_number(&mut tx, today.year()).await?,
            month: month.to_owned(),
            currency: currency.clone(),
            total_minor: total,
            drawn_on: today.to_string(),
            published_at: at,
            window_ends_on: window_ends_on.to_string(),
            status: "published".into(),
            accepted_at: None,
            objected_at: None,
            objection: None,
            objection_by: None,
            lang: lang_code.clone(),
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
                ("amount", Arg::Money(total, currency.clone())),
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
    let (first, last) = (month_first.to_string(), month_last.to_string());
    let month = format!("{:04}-{:02}", month_first.year(), month_first.month());
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut conn = db.conn().await?;
    for s in store::services_in_month(&mut conn, &first, &last).await? {
        expected
            .entry(s.tenant_id.clone())
            .or_default()
            .push(service_source(&s));
    }
    let mut missing = Vec::new();
    let mut after = String::new();
    loop {
        let periods = store::periods_in_month(&mut conn, &first, &last, &after, 500).await?;
        let Some(last_row) = periods.last() else {
            break;
        };
        after = last_row.tenant_id.clone();
        let mut page: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in &periods {
            // A period whose contract ended before the month has no day to act.
            let until = last_day(p.contract_ended_at).unwrap_or(month_last);
            if until >= month_first {
                page.entry(p.tenant_id.clone())
                    .or_default()
                    .push(p.invoice_id.clone());
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
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let mut args = fluent_bundle::FluentArgs::new();
    args.set("month", month.clone());
    args.set("missing", missing.len());
    for to in bstore::operator_emails(&mut tx, &["super_admin", "billing"]).await? {
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
    let act = store::act_of(&mut conn, &tenant_id, id)
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
    let act = store::act_by_id(&mut conn, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    let lines = store::act_lines(&mut conn, &act.tenant_id, &act.id).await?;
    drop(conn);
    render_act(ActView { act, lines }).await
}

async fn render_act(view: ActView) -> Result<(String, Vec<u8>), ServiceError> {
    let ActView { act, lines } = view;
    let (plang, dlang, _) = doc_lang(&act.lang);
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
        currency: act.currency.clone(),
        vat_label,
        vat_amount,
        total_words: words(act.total_minor, &act.currency, dlang),
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
    if who.kind != "owner" {
        return Err(ServiceError::Forbidden(Msg::new("err-owner-only")));
    }
    let reason = reason.trim();
    if let Some(m) = Msg::text_error(reason, 1, 2000, true) {
        return Err(invalid("reason", m));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let act = store::act_of(&mut tx, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    check_open(&act, local_date(now))?;
    if !store::object(&mut tx, &act.id, reason, "owner", now).await? {
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
    let act = store::act_of(&mut tx, &tenant_id, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(act)
}

fn check_open(act: &Act, on: Date) -> Result<(), ServiceError> {
    if act.status != "published" {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-status").key("status", format!("act-status-{}", act.status)),
        ));
    }
    if act.window_ends_on.as_str() < on.to_string().as_str() {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-window-ended").text("date", act.window_ends_on.clone()),
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
    let act = store::act_by_id(&mut tx, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-act")))?;
    // An e-mail that came within the window counts even when it is keyed in after the act
    // was accepted at 00:00.
    if act.status == "objected" {
        return Err(ServiceError::Conflict(Msg::new("err-act-objected")));
    }
    if received.to_string().as_str() > act.window_ends_on.as_str()
        || received.to_string().as_str() < act.drawn_on.as_str()
    {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-window")
                .text("from", act.drawn_on.clone())
                .text("to", act.window_ends_on.clone()),
        ));
    }
    if !store::object(&mut tx, &act.id, reason, "email", now).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-act-status").key("status", format!("act-status-{}", act.status)),
        ));
    }
    let entry = who
        .audit("act.object")
        .tenant(act.tenant_id.clone())
        .target("act", act.id.clone())
        .origin(origin)
        .details(json!({ "reason": reason, "received_on": received.to_string(), "by": "email" }));
    audit::record(&mut tx, &entry, now).await?;
    let act = store::act_by_id(&mut tx, id)
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
    if kind != "paper" && kind != "electronic" {
        return Err(invalid("kind", Msg::one_of(&["paper", "electronic"])));
    }
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let act = store::act_of(&mut tx, &tenant_id, id)
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
