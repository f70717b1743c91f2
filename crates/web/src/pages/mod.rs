//! Server-rendered pages: the layout, the landing page, the language switch, flash messages,
//! error pages and static assets.

pub(super) mod account;
mod back_office;
mod billing;
mod cabinet;
mod cases;
mod certificates;
pub(crate) mod courses;
pub(crate) mod csrf;
mod disclosures;
mod documents;
mod force_majeure;
mod forms;
mod links;
mod operations;
mod operator;
mod operator_school;
mod operator_staff;
mod privacy;
mod question_edit;
mod questions;
mod school;
mod security;
mod service_prices;
mod students;

use askama::Template;
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect},
    routing::get,
};
use serde::Deserialize;

use crate::{AppState, i18n::Lang};

use crate::base::{FLASH_COOKIE, LANG_COOKIE, assets};
pub use crate::base::{
    Flash,
    assets::asset_url,
    chosen_lang, cookie, encode_param,
    failure::{PageError, PageResult},
    layout::{Layout, closed_page, error_page, error_page_with, restricted_banner},
    redirect_with_flash, request_lang,
};
pub(crate) use crate::base::{is_local_path, layout::MessagePage};

pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/", get(landing))
        .route("/lang/{code}", get(switch_lang))
        .route("/offer", get(offer_current))
        .route("/offer/{version}", get(offer_version))
        .merge(account::routes())
        .merge(links::routes())
        .merge(billing::routes())
        .merge(back_office::routes())
        .merge(documents::routes())
        .merge(cabinet::routes())
        .merge(courses::routes())
        .merge(operator::routes())
        .merge(operator_staff::routes())
        .merge(operator_school::routes())
        .merge(operations::routes())
        .merge(school::routes())
        .merge(privacy::routes())
        .merge(certificates::routes())
        .merge(service_prices::routes())
        .merge(questions::routes())
        .merge(students::routes())
        .merge(security::routes())
        .merge(disclosures::routes())
        .merge(cases::routes())
        .merge(force_majeure::routes())
        .route("/static/{name}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        // A handler's refusal (`PageError`) becomes the page its section gives.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::base::failure::render_failures,
        ))
        // Every form post must come from our own pages (Sec-Fetch-Site, or Origin against the
        // public address); the JSON API uses bearer tokens instead of cookies.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::check,
        ))
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage<'a> {
    l: Layout<'a>,
    features: Vec<(String, String)>,
    /// The demo school's site, when there is one to visit.
    demo: Option<String>,
}

async fn landing(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    let l = Layout::new(&state, &headers, "/");
    // A failing read of the demo school leaves its link out, not the page.
    let demo = educenter_services::site::demo_school(state.services())
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "reading the demo school failed");
            None
        });
    let features = [
        "courses",
        "site",
        "students",
        "home",
        "billing",
        "languages",
    ]
    .iter()
    .map(|f| {
        (
            l.t(&format!("feature-{f}-title")),
            l.t(&format!("feature-{f}-text")),
        )
    })
    .collect();
    let page = LandingPage { l, features, demo };
    Ok(page.l.render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
struct SwitchQuery {
    next: Option<String>,
}

/// Sets the interface language and goes back to the page the person was on.
async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<SwitchQuery>,
) -> PageResult {
    let Some(lang) = Lang::from_code(&code) else {
        return Err(PageError::not_found());
    };
    let next = q
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    let secure = crate::base::secure_attr(&state);
    let mut res = Redirect::to(&next).into_response();
    *res.status_mut() = StatusCode::SEE_OTHER;
    for cookie in [
        format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
            lang.code()
        ),
        format!("{FLASH_COOKIE}=lang-changed; Path=/; Max-Age=60; HttpOnly; SameSite=Lax{secure}"),
    ] {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res)
}

/// Paragraphs of a contract text. Texts taken from a PDF break lines mid-sentence, so a line
/// continues the paragraph unless it starts a numbered clause ("2.", "4.1.") or the previous
/// line ended a sentence.
fn paragraphs(text: &str) -> Vec<String> {
    let starts_clause = |line: &str| {
        let head: String = line
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        head.len() >= 2 && head.ends_with('.') && head.starts_with(|c: char| c.is_ascii_digit())
    };
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let ended = current.ends_with(['.', ':', ';', '!', '?']);
        if !current.is_empty() && (starts_clause(line) || ended) {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{encode_param, is_local_path, paragraphs};

    #[test]
    fn query_parameters_are_percent_encoded_but_paths_keep_their_slashes() {
        assert_eq!(
            encode_param("/s/a-b_c.d~/урок?x=1&y=2 z"),
            "/s/a-b_c.d~/%D1%83%D1%80%D0%BE%D0%BA%3Fx%3D1%26y%3D2%20z"
        );
    }

    #[test]
    fn contract_text_is_split_into_clauses() {
        let pdf = "1. Термины\n\n1.1. Оферта — публичное\n\nпредложение.\n\n1.2. Акцепт —\n\nполное принятие.";
        assert_eq!(
            paragraphs(pdf),
            [
                "1. Термины",
                "1.1. Оферта — публичное предложение.",
                "1.2. Акцепт — полное принятие."
            ]
        );
        assert_eq!(
            paragraphs("First one.\n\nSecond one."),
            ["First one.", "Second one."]
        );
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        for ok in ["/", "/courses?page=2", "/s/alma-school/", "/a%20b"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil",
            "https://evil.example",
            "/\n",
            "/a b",
            "evil",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage<'a> {
    l: Layout<'a>,
    heading: String,
    is_current: bool,
    summary: String,
    note: Option<String>,
    text_lang: &'static str,
    paragraphs: Vec<String>,
    archive: Vec<(String, String)>,
}

/// The offer in force (R-2.3a).
async fn offer_current(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    render_offer(&state, &headers, None).await
}

/// An earlier (or the current) version, `/offer/v3`; every published version stays readable.
async fn offer_version(
    State(state): State<AppState>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    match version
        .strip_prefix('v')
        .and_then(|n| n.parse::<i64>().ok())
    {
        Some(n) => render_offer(&state, &headers, Some(n)).await,
        None => Err(PageError::not_found()),
    }
}

async fn render_offer(state: &AppState, headers: &HeaderMap, number: Option<i64>) -> PageResult {
    let services = state.services();
    let lang = request_lang(headers);
    let published = educenter_services::offers::published(services).await?;
    let Some(&(current, _)) = published.first() else {
        return Err(PageError::not_found());
    };
    let number = number.unwrap_or(current);
    if !published.iter().any(|(n, _)| *n == number) {
        return Err(PageError::not_found());
    }
    let Some(offer) = educenter_services::offers::version(services, number).await? else {
        return Err(PageError::not_found());
    };
    let path = if number == current {
        "/offer".to_owned()
    } else {
        format!("/offer/v{number}")
    };
    let l = Layout::new(state, headers, &path);
    let version_label = |n: i64, on: jiff::civil::Date| {
        let mut args = fluent_bundle::FluentArgs::new();
        args.set("number", n);
        args.set("date", educenter_services::i18n::format_date(lang, on));
        state.i18n().t_args(lang, "offer-version", &args)
    };
    let (text, text_lang, note) = match (&offer.text_kk, lang) {
        (Some(kk), Lang::Kk) => (kk.clone(), "kk", None),
        (None, Lang::Kk) => (offer.text_ru.clone(), "ru", Some(l.t("offer-kk-missing"))),
        (_, Lang::En) => (offer.text_ru.clone(), "ru", Some(l.t("offer-en-missing"))),
        _ => (offer.text_ru.clone(), "ru", None),
    };
    let paragraphs = paragraphs(&text);
    let archive = published
        .iter()
        .map(|(n, on)| (format!("/offer/v{n}"), version_label(*n, *on)))
        .collect();
    let page = OfferPage {
        heading: version_label(offer.number, offer.published_on),
        is_current: number == current,
        // The shipped first version has no change summary worth showing.
        summary: if offer.number == 1 {
            String::new()
        } else {
            offer.change_summary.clone()
        },
        note,
        text_lang,
        paragraphs,
        archive,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}
