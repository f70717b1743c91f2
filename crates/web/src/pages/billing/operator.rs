//! The operator's billing page: invoices by status, money received by bank transfer recorded against them.

use super::*;
use crate::pages::account::FormPage;

#[derive(Template)]
#[template(path = "operator_billing.html")]
pub(crate) struct OperatorBilling<'a> {
    l: Layout<'a>,
    plans: Vec<PriceRow>,
    promotions: Vec<educenter_services::store::billing::Promotion>,
    /// Money not yet matched to an invoice, by grant deadline.
    receipts: Vec<educenter_services::store::receipts::Receipt>,
    /// Deadlines on or before this date are due soon.
    soon: Date,
    /// A failed match, shown beside its receipt.
    match_error: Option<MatchError>,
    /// A billing officer: invoices, payments, receipts, quotes and refunds.
    may_bill: bool,
    /// A super-admin: plans, prices and promotions.
    may_price: bool,
    invoices: Vec<InvoiceRow>,
    /// The statuses the list can be filtered by, and the one it is (`unknown`: a status no
    /// invoice has was asked for).
    statuses: &'static [InvoiceStatus],
    status: Option<InvoiceStatus>,
    unknown: bool,
    fields: Vec<Field>,
    form_error: Option<String>,
    /// Plans' names by code, for the promotions' table.
    plan_names: std::collections::BTreeMap<String, String>,
}

impl OperatorBilling<'_> {
    /// The plans a promotion covers, by name.
    fn plans_of(&self, codes: &[String]) -> String {
        codes
            .iter()
            .map(|c| self.plan_names.get(c).cloned().unwrap_or_else(|| c.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn money(&self, minor: &i64, currency: impl std::fmt::Display) -> String {
        format_money(self.l.lang, *minor, currency)
    }

    fn status_label(&self, status: &InvoiceStatus) -> String {
        self.l.t(&format!("invoice-status-{status}"))
    }

    fn selected(&self, status: &InvoiceStatus) -> bool {
        self.status == Some(*status)
    }

    /// The failed match of this receipt: (typed invoice number, message).
    fn match_error_of(&self, id: &str) -> Option<(&str, &str)> {
        self.match_error
            .as_ref()
            .filter(|e| e.receipt == id)
            .map(|e| (e.typed.as_str(), e.message.as_str()))
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(crate) struct PaymentForm {
    invoice_number: String,
    amount: String,
    currency: String,
    received_on: String,
    reference: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StatusQuery {
    status: String,
}

/// A receipt's failed match to an invoice.
pub(crate) struct MatchError {
    /// The receipt's id.
    pub(crate) receipt: String,
    /// The invoice number typed.
    pub(crate) typed: String,
    pub(crate) message: String,
}

/// What the billing page shows again after a refused form.
#[derive(Default)]
pub(crate) struct Again {
    /// The invoice status the list is filtered by (empty: every status).
    pub(crate) status_filter: String,
    pub(crate) form: PaymentForm,
    pub(crate) errors: FieldErrors,
    pub(crate) match_error: Option<MatchError>,
}

pub(crate) async fn render_operator(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    again: Again,
    status: StatusCode,
) -> PageResult {
    let Again {
        status_filter,
        form,
        errors,
        match_error,
    } = again;
    let filter = InvoiceStatus::parse(&status_filter);
    // A status no invoice can have lists none.
    let unknown = filter.is_none() && !status_filter.is_empty();
    // Each officer sees the parts that are theirs: invoices, payments and receipts are the
    // billing officer's; plans, prices and promotions the super-admin's.
    let may_bill = who.operator_may(OperatorAction::ManageBilling);
    let invoices = if may_bill && !unknown {
        billing::invoices::operator_invoices(state.services(), who, filter).await?
    } else {
        Vec::new()
    };
    let l = Layout::for_user(state, headers, "/operator/billing", who);
    let today = local_date(state.services().clock.now());
    let catalogue = billing::catalog::catalogue(state.services(), today).await?;
    let plans = price_rows(&l, &catalogue);
    let promotions = billing::catalog::promotions(state.services(), who).await?;
    let receipts = if may_bill {
        educenter_services::receipts::list(state.services(), who, true).await?
    } else {
        Vec::new()
    };
    // Due soon: the deadline is at most one business day away (when the alert goes out).
    let soon =
        educenter_services::calendar::business_days_after(state.services(), today, 1).await?;
    let mut fields = vec![
        Field::new(&l, "invoice_number", "text").value(form.invoice_number),
        Field::new(&l, "amount", "text").value(form.amount).hint(&l),
        Field::new(&l, "currency", "select")
            .value(if form.currency.is_empty() {
                "KZT".to_owned()
            } else {
                form.currency
            })
            .options(currency_options()),
        Field::new(&l, "received_on", "date").value(form.received_on),
        Field::new(&l, "reference", "text").value(form.reference),
    ];
    errors.apply(&mut fields);
    let plan_names = billing::catalog::plan_names(state.services(), l.lang).await?;
    let page = OperatorBilling {
        plan_names,
        plans,
        promotions,
        receipts,
        soon,
        match_error,
        may_bill,
        may_price: who.operator_may(OperatorAction::ManagePlatform),
        invoices,
        statuses: &[
            InvoiceStatus::Issued,
            InvoiceStatus::Overdue,
            InvoiceStatus::Paid,
            InvoiceStatus::Void,
        ],
        status: filter,
        unknown,
        fields,
        form_error: errors.form.clone(),
        l,
    };
    Ok(page.l.render(status, &page))
}

pub(crate) async fn operator(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    Query(q): Query<StatusQuery>,
    headers: HeaderMap,
) -> PageResult {
    render_operator(
        &state,
        &headers,
        &who,
        Again {
            status_filter: q.status,
            ..Again::default()
        },
        StatusCode::OK,
    )
    .await
}

/// Records a bank transfer from the form; the amount is typed as people write it.
pub(crate) async fn record_payment(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<PaymentForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/billing");
    let Some(amount_minor) = parse_amount(&form.amount) else {
        let mut errors = FieldErrors::default();
        errors.set("amount", l.t("error-amount"));
        return render_operator(
            &state,
            &headers,
            &who,
            Again {
                form,
                errors,
                ..Again::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let transfer = BankTransfer {
        invoice_number: form.invoice_number.clone(),
        amount_minor,
        currency: form.currency.clone(),
        received_on: form.received_on.clone(),
        reference: form.reference.clone(),
    };
    match billing::payments::record_transfer(state.services(), &who, transfer, origin.0).await {
        Ok((_, true)) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "payment-recorded",
        )),
        Ok((_, false)) => Ok(redirect_with_flash(
            &state,
            "/operator/billing",
            "payment-known",
        )),
        Err(ServiceError::Invalid(errors)) => {
            let errors = FieldErrors::from_service(
                &l,
                errors,
                &[
                    ("amount_minor", "amount"),
                    ("currency", "currency"),
                    ("received_on", "received_on"),
                    ("reference", "reference"),
                ],
            );
            render_operator(
                &state,
                &headers,
                &who,
                Again {
                    form,
                    errors,
                    ..Again::default()
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(ServiceError::NotFound(_)) => {
            let mut errors = FieldErrors::default();
            errors.set("invoice_number", l.t("error-invoice_number"));
            render_operator(
                &state,
                &headers,
                &who,
                Again {
                    form,
                    errors,
                    ..Again::default()
                },
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(ServiceError::Conflict(message)) => {
            let mut errors = FieldErrors::default();
            errors.form = Some(l.say(&message));
            render_operator(
                &state,
                &headers,
                &who,
                Again {
                    form,
                    errors,
                    ..Again::default()
                },
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The back office's form pages: `{name}-title`, `{name}-lead`, `{name}-submit`, posting to
/// `/operator/billing/{name}s`, with a link back to the billing page.
pub(crate) fn back_office_form<'a>(
    l: Layout<'a>,
    name: &str,
    mut fields: Vec<Field>,
    errors: &FieldErrors,
) -> FormPage<'a> {
    errors.apply(&mut fields);
    FormPage {
        title: l.t(&format!("{name}-title")),
        lead: l.t(&format!("{name}-lead")),
        action: format!("/operator/billing/{name}s"),
        submit: l.t(&format!("{name}-submit")),
        fields,
        hidden: Vec::new(),
        form_error: errors.form.clone(),
        links: vec![("/operator/billing".into(), l.t("operator-billing"))],
        l,
    }
}

/// The currencies of a select.
pub(crate) fn currency_options() -> Vec<(String, String)> {
    Currency::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), c.as_str().to_owned()))
        .collect()
}
