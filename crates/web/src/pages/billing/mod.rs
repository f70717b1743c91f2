//! Billing pages (issue 4, item 9): the public price list `/pricing`, the cabinet's billing
//! (the licence, its periods, the credit balance, invoices, an application with its lines shown
//! before confirming), an invoice to print, and the billing officer's page (invoices of every
//! school, recording a bank transfer).

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};
use educenter_domain::{
    billing::{Currency, InvoiceStatus, PromotionKind, parse_amount},
    clock::local_date,
    roles::OperatorAction,
};
use educenter_services::{
    ServiceError,
    access::Principal,
    billing::{
        self, invoices::Application, invoices::InvoiceView, licence::Licence,
        payments::BankTransfer,
    },
    i18n::{Lang, format_money},
    store::billing::{InvoiceRow, Plan, Price},
};
use jiff::civil::Date;
use serde::Deserialize;

use super::{
    Layout, PageError, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{
    AppState, ClientOrigin,
    auth::{KeptUser, OperatorUser},
};

mod cabinet;
mod online;
mod operator;
mod operator_forms;
pub(crate) use cabinet::*;
pub(crate) use online::*;
pub(crate) use operator::*;
pub(crate) use operator_forms::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/pricing", get(pricing))
        .route("/cabinet/billing", get(cabinet))
        .route("/cabinet/billing/preview", post(preview))
        .route("/cabinet/billing/apply", post(apply))
        .route("/cabinet/billing/invoices/{id}", get(invoice))
        .route("/cabinet/billing/invoices/{id}/pay", post(pay_online))
        .route("/sandbox/checkout", get(sandbox_page).post(sandbox_pay))
        .route("/operator/billing", get(operator))
        .route("/operator/billing/payments", post(record_payment))
        .route(
            "/operator/billing/refunds",
            get(refund_form).post(refund_submit),
        )
        .route(
            "/operator/billing/quotes",
            get(quote_form).post(quote_submit),
        )
        .route(
            "/operator/billing/promotions",
            get(promotion_form).post(promotion_submit),
        )
}

pub(crate) fn plan_name(lang: Lang, p: &Plan) -> String {
    match lang {
        Lang::Ru => p.name_ru.clone(),
        Lang::Kk => p.name_kk.clone(),
        Lang::En => p.name_en.clone(),
    }
}

/// A row of the price list: a plan's code, name, limits, and price per (currency, months).
pub struct PriceRow {
    code: String,
    name: String,
    limits: String,
    prices: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "pricing.html")]
pub(crate) struct PricingPage<'a> {
    l: Layout<'a>,
    plans: Vec<PriceRow>,
}

/// The plans cheapest first (issue 17, items 7 and 8): by their lowest price per month in
/// tenge, the plans without a tenge price last, then by code.
pub(crate) fn by_price(catalogue: &[(Plan, Vec<Price>)]) -> Vec<(&Plan, &[Price])> {
    let mut plans: Vec<(&Plan, &[Price])> = catalogue
        .iter()
        .map(|(plan, prices)| (plan, prices.as_slice()))
        .collect();
    plans.sort_by_key(|(plan, prices)| {
        let per_month = prices
            .iter()
            .filter(|p| p.amount.currency == Currency::Kzt && p.months > 0)
            .map(|p| p.amount.minor / p.months)
            .min();
        (
            per_month.is_none(),
            per_month.unwrap_or(0),
            plan.code.clone(),
        )
    });
    plans
}

pub(crate) fn price_rows(l: &Layout<'_>, catalogue: &[(Plan, Vec<Price>)]) -> Vec<PriceRow> {
    by_price(catalogue)
        .into_iter()
        .map(|(plan, prices)| PriceRow {
            code: plan.code.clone(),
            name: plan_name(l.lang, plan),
            limits: l.t_args(
                "pricing-limits",
                &[
                    ("students", plan.limit_students.to_string()),
                    ("staff", plan.limit_staff.to_string()),
                    ("courses", plan.limit_courses.to_string()),
                    (
                        "storage",
                        educenter_services::i18n::format_gb(l.lang, plan.limit_storage_bytes),
                    ),
                ],
            ),
            prices: prices
                .iter()
                .map(|p| {
                    (
                        l.months(p.months),
                        educenter_services::i18n::format_money_of(l.lang, p.amount),
                    )
                })
                .collect(),
        })
        .collect()
}

pub(crate) async fn pricing(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let l = Layout::new(&state, &headers, "/pricing");
    let today = local_date(state.services().clock.now());
    let catalogue = billing::catalog::catalogue(state.services(), today).await?;
    let page = PricingPage {
        plans: price_rows(&l, &catalogue),
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}
