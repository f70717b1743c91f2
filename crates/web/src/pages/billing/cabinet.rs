//! Billing in the school's cabinet: the licence, the invoice shown before it is issued, applying for a plan, and printable invoices.

use super::*;
use educenter_domain::{roles::AccountKind, tenancy::LicenseeKind};

#[derive(Template)]
#[template(path = "billing.html")]
pub(crate) struct CabinetBilling<'a> {
    l: Layout<'a>,
    licence: Licence,
    state_name: String,
    state_text: String,
    invoices: Vec<(String, String, String, String, String, String)>,
    credit: Vec<String>,
    fields: Vec<Field>,
    form_error: Option<String>,
    /// Why the school may not work now (the owner lands here).
    restricted: Option<String>,
    /// Plans' names by code, for the periods' table.
    plan_names: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct ApplyForm {
    /// The plan and the term in one choice, `{plan}:{months}` (issue 17, item 8); programs and
    /// the confirmation page send `plan` and `months` apart.
    offer: String,
    plan: String,
    months: String,
    currency: String,
    promo_code: String,
}

impl ApplyForm {
    /// The plan and the term: from `plan` and `months` when given, else from the offer.
    fn plan_and_months(&self) -> (String, String) {
        if self.plan.is_empty()
            && let Some((plan, months)) = self.offer.split_once(':')
        {
            return (plan.to_owned(), months.to_owned());
        }
        (self.plan.clone(), self.months.clone())
    }

    fn application(&self) -> Application {
        let (plan, months) = self.plan_and_months();
        Application {
            plan,
            months: months.parse().unwrap_or(0),
            currency: self.currency.clone(),
            promo_code: Some(self.promo_code.trim().to_owned()).filter(|c| !c.is_empty()),
            ..Application::default()
        }
    }
}

impl CabinetBilling<'_> {
    /// A period's plan by name.
    fn plan_of(&self, code: &str) -> String {
        self.plan_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_owned())
    }

    fn plan_label(&self) -> String {
        self.licence
            .plan
            .as_ref()
            .map(|p| plan_name(self.l.lang, p))
            .unwrap_or_default()
    }
}

pub(crate) async fn render_cabinet(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: ApplyForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let services = state.services();
    let l = Layout::for_user(state, headers, "/cabinet/billing", who);
    let licence = billing::licence::licence(services, who).await?;
    let invoices = billing::invoices::invoices(services, who).await?;
    let today = local_date(services.clock.now());
    let catalogue = billing::catalog::catalogue(services, today).await?;
    let resident = educenter_services::tenancy::own(services, who)
        .await?
        .is_none_or(|t| t.resident);
    let offers = offers_of(&l, &catalogue, resident);
    let currencies = Currency::ALL
        .iter()
        .filter(|c| c.allowed_for(resident))
        .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
        .collect();
    // The plan in force (or the one the pricing page sent) for a month, unless chosen otherwise.
    let (plan, months) = form.plan_and_months();
    let wanted = if plan.is_empty() {
        licence
            .plan
            .as_ref()
            .map(|p| p.code.clone())
            .unwrap_or_default()
    } else {
        plan
    };
    let exact = format!("{wanted}:{}", months.trim());
    let chosen = offers
        .iter()
        .find(|(v, _)| *v == exact)
        .or_else(|| {
            offers
                .iter()
                .find(|(v, _)| v.starts_with(&format!("{wanted}:")))
        })
        .map(|(v, _)| v.clone())
        .unwrap_or_default();
    let mut fields = vec![
        Field::new(&l, "offer", "select")
            .value(chosen)
            .options(offers),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT".to_owned()
            } else {
                form.currency.clone()
            })
            .options(currencies),
        Field::new(&l, "promo_code", "text")
            .value(form.promo_code.clone())
            .hint(&l)
            .optional(),
    ];
    errors.apply(&mut fields);
    let status_label = |s: InvoiceStatus| l.t(&format!("invoice-status-{s}"));
    let restricted = if who.school_open() {
        None
    } else {
        let support = educenter_services::requisites::support_email(services).await?;
        crate::pages::restricted_banner(&l, who, licence.purge_on, &support)
    };
    let plan_names = billing::catalog::plan_names(services, l.lang).await?;
    let page = CabinetBilling {
        plan_names,
        restricted,
        state_name: l.t(&format!("state-{}", licence.state.as_str())),
        state_text: l.t(&format!("state-{}-text", licence.state.as_str())),
        invoices: invoices
            .into_iter()
            .map(|i| {
                (
                    i.id.to_string(),
                    i.number.clone(),
                    l.date(&i.issued_on),
                    l.date(&i.due_on),
                    format_money(l.lang, i.total_minor, i.currency),
                    status_label(i.status),
                )
            })
            .collect(),
        credit: licence
            .credit
            .iter()
            .map(|m| educenter_services::i18n::format_money_of(l.lang, *m))
            .collect(),
        licence,
        fields,
        form_error: errors.form.clone(),
        l,
    };
    Ok(page.l.render(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct PlanQuery {
    /// The plan the pricing page sent the person here to choose.
    plan: String,
}

pub(crate) async fn cabinet(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Query(q): Query<PlanQuery>,
    headers: HeaderMap,
) -> PageResult {
    if who.kind == AccountKind::Operator {
        return Ok(Redirect::to("/operator/billing").into_response());
    }
    render_cabinet(
        &state,
        &headers,
        &who,
        ApplyForm {
            plan: q.plan,
            ..ApplyForm::default()
        },
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

pub(crate) const APPLY_FIELDS: &[(&str, &str)] = &[
    ("plan", "offer"),
    ("months", "offer"),
    ("currency", "currency"),
    ("promo_code", "promo_code"),
];

/// The plans' terms on sale, cheapest plan first, each with its prices in the currencies the
/// school may pay in: (`{plan}:{months}`, "Старт — 3 месяца: 81 000 KZT · 150 EUR").
fn offers_of(
    l: &Layout<'_>,
    catalogue: &[(Plan, Vec<Price>)],
    resident: bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (plan, prices) in by_price(catalogue) {
        let mut terms: Vec<i64> = prices.iter().map(|p| p.months).collect();
        terms.sort_unstable();
        terms.dedup();
        for months in terms {
            let amounts = prices
                .iter()
                .filter(|p| p.months == months && p.amount.currency.allowed_for(resident))
                .map(|p| educenter_services::i18n::format_money_of(l.lang, p.amount))
                .collect::<Vec<_>>();
            if amounts.is_empty() {
                continue;
            }
            out.push((
                format!("{}:{months}", plan.code),
                format!(
                    "{} — {}: {}",
                    plan_name(l.lang, plan),
                    l.months(months),
                    amounts.join(" · ")
                ),
            ));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "billing_confirm.html")]
pub(crate) struct ConfirmPage<'a> {
    l: Layout<'a>,
    /// The plan and the term, apart.
    plan: String,
    months: String,
    form: ApplyForm,
    lines: Vec<(String, String)>,
    total: String,
    /// The licence days the payment buys if paid today, in words, and the trial's rule when it
    /// applies.
    period: String,
    from_trial: Option<String>,
}

/// Shows the invoice an application would issue (a plan change's credit included) before the
/// person confirms it.
pub(crate) async fn preview(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ApplyForm>,
) -> PageResult {
    match billing::invoices::preview(state.services(), &who, form.application(), origin.0).await {
        Ok(view) => {
            let l = Layout::for_user(&state, &headers, "/cabinet/billing", &who);
            let currency = view.invoice.currency;
            let today = local_date(state.services().clock.now());
            let (period, from_trial) =
                billing::licence::period_if_paid(state.services(), &view.invoice, today).await?;
            let (plan, months) = form.plan_and_months();
            let page = ConfirmPage {
                period: l.t_args(
                    "billing-confirm-period",
                    &[("from", l.date(&period.from)), ("to", l.date(&period.to))],
                ),
                from_trial: from_trial.then(|| {
                    l.t_args(
                        "billing-confirm-from-trial",
                        &[("from", l.date(&period.from))],
                    )
                }),
                plan,
                months,
                lines: view
                    .lines
                    .iter()
                    .map(|x| {
                        (
                            x.description_in(l.lang.code()).to_owned(),
                            format_money(l.lang, x.amount_minor, currency),
                        )
                    })
                    .collect(),
                total: format_money(l.lang, view.invoice.total_minor, currency),
                form,
                l,
            };
            Ok(page.l.render(StatusCode::OK, &page))
        }
        Err(e) => apply_error(&state, &headers, &who, form, e).await,
    }
}

pub(crate) async fn apply_error(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: ApplyForm,
    e: ServiceError,
) -> PageResult {
    let l = Layout::new(state, headers, "/cabinet/billing");
    match e {
        ServiceError::Invalid(errors) => {
            let errors = FieldErrors::from_service(&l, errors, APPLY_FIELDS);
            render_cabinet(
                state,
                headers,
                who,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        ServiceError::Conflict(message) => {
            let mut errors = FieldErrors::default();
            errors.form = Some(l.say(&message));
            render_cabinet(state, headers, who, form, errors, StatusCode::CONFLICT).await
        }
        e => Err(e.into()),
    }
}

pub(crate) async fn apply(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<ApplyForm>,
) -> PageResult {
    match billing::invoices::apply(state.services(), &who, form.application(), origin.0).await {
        Ok(view) => Ok(
            Redirect::to(&format!("/cabinet/billing/invoices/{}", view.invoice.id)).into_response(),
        ),
        Err(e) => apply_error(&state, &headers, &who, form, e).await,
    }
}

#[derive(Template)]
#[template(path = "invoice.html")]
pub(crate) struct InvoicePage<'a> {
    l: Layout<'a>,
    v: InvoiceView,
    lines: Vec<(String, String)>,
    total: String,
    paid: String,
    status: String,
}

impl InvoicePage<'_> {
    /// The customer's legal kind, as the invoice recorded it at issue.
    fn customer_kind(&self) -> Option<LicenseeKind> {
        LicenseeKind::parse(&self.field("customer", "kind"))
    }

    fn field(&self, side: &str, name: &str) -> String {
        let v = if side == "supplier" {
            &self.v.invoice.supplier
        } else {
            &self.v.invoice.customer
        };
        v[name].as_str().unwrap_or("").to_owned()
    }
}

pub(crate) async fn invoice(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    let v = billing::invoices::invoice(state.services(), &who, &id).await?;
    let l = Layout::for_user(&state, &headers, "/cabinet/billing", &who);
    let c = v.invoice.currency;
    let page = InvoicePage {
        lines: v
            .lines
            .iter()
            .map(|x| {
                (
                    x.description_in(l.lang.code()).to_owned(),
                    format_money(l.lang, x.amount_minor, c),
                )
            })
            .collect(),
        total: format_money(l.lang, v.invoice.total_minor, c),
        paid: format_money(l.lang, v.invoice.paid_minor, c),
        status: l.t(&format!("invoice-status-{}", v.invoice.status)),
        v,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}
