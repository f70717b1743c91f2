//! Paying an invoice online through the provider, and the built-in sandbox provider's page.

use super::*;

/// Pays an open invoice online: off to the provider's checkout page.
pub(crate) async fn pay_online(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    Path(id): Path<String>,
) -> PageResult {
    let c = educenter_services::payments::start_checkout(state.services(), &who, &id).await?;
    let mut res = Redirect::to(&format!(
        "/sandbox/checkout?invoice={}&amount={}&currency={}&token={}",
        c.invoice_id, c.amount_minor, c.currency, c.token
    ))
    .into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    Ok(res)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct SandboxQuery {
    invoice: String,
    amount: i64,
    currency: String,
    token: String,
}

#[derive(Template)]
#[template(path = "sandbox.html")]
pub(crate) struct SandboxPage<'a> {
    l: Layout<'a>,
    q: SandboxQuery,
    amount: String,
}

/// The sandbox provider's checkout page: it plays a card gateway's part.
pub(crate) async fn sandbox_page(
    State(state): State<AppState>,
    Query(q): Query<SandboxQuery>,
    headers: HeaderMap,
) -> PageResult {
    if !educenter_services::payments::sandbox_intent_valid(
        state.services(),
        &q.invoice,
        q.amount,
        &q.currency,
        &q.token,
    ) {
        return Err(PageError::not_found());
    }
    let l = Layout::new(&state, &headers, "/sandbox/checkout");
    let page = SandboxPage {
        amount: format_money(l.lang, q.amount, &q.currency),
        q,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// "Pay" at the sandbox provider: it captures and calls back, signed, like a real gateway, then
/// sends the person back to the invoice.
pub(crate) async fn sandbox_pay(
    State(state): State<AppState>,
    Form(q): Form<SandboxQuery>,
) -> PageResult {
    let services = state.services();
    if !educenter_services::payments::sandbox_intent_valid(
        services,
        &q.invoice,
        q.amount,
        &q.currency,
        &q.token,
    ) {
        return Err(PageError::not_found());
    }
    educenter_services::payments::sandbox_capture(services, &q.invoice, q.amount, &q.currency)
        .await?;
    Ok(redirect_with_flash(
        &state,
        &format!("/cabinet/billing/invoices/{}", q.invoice),
        "payment-recorded",
    ))
}
