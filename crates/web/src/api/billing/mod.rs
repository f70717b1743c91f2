//! Plans, applications, invoices, payments and the licence through the API (issue 4), by what
//! they do: the catalogue, invoices, payments and the licence.

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

mod catalog;
mod invoices;
mod licence;
mod payments;

/// A payment as the API shows it (also in a receipt).
pub(crate) use payments::PaymentOut;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(catalog::routes())
        .merge(invoices::routes())
        .merge(payments::routes())
        .merge(licence::routes())
}
