//! The operator's back office pages (issue 3, items 8 and 9): `/operator` finds tenants by
//! slug, name, IIN/BIN or e-mail; a tenant's page shows its contract, acceptances, blocks and
//! audit trail; `/operator/calendar/{year}` edits the business-day calendar.

use askama::Template;
use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Redirect,
    routing::get,
};
use educenter_domain::tenancy::{BlockReason, LicenseeKind};
use educenter_domain::{
    clock::local_date,
    roles::{OperatorAction, OperatorRole, operator_may},
};
use educenter_services::{
    ServiceError,
    access::Principal,
    calendar, content,
    store::tenancy::Tenant,
    tenancy::{self, Overview},
};
use serde::Deserialize;

use super::{
    Layout, PageResult,
    forms::{Field, FieldErrors},
    redirect_with_flash,
};
use crate::{AppState, ClientOrigin, auth::OperatorUser};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/operator", get(home))
        .route("/operator/tenants/{id}", get(tenant))
        .route("/operator/tenants/{id}/block", axum::routing::post(block))
        .route(
            "/operator/tenants/{id}/unblock",
            axum::routing::post(unblock),
        )
        .route(
            "/operator/tenants/{id}/terminate",
            axum::routing::post(terminate),
        )
        .route("/operator/calendar", get(calendar_now))
        .route("/operator/embeds", get(embeds).post(add_embed))
        .route(
            "/operator/embeds/{host}/remove",
            axum::routing::post(remove_embed),
        )
        .route(
            "/operator/calendar/{year}",
            get(calendar_form).post(calendar_submit),
        )
}

#[derive(Template)]
#[template(path = "operator.html")]
struct HomePage<'a> {
    l: Layout<'a>,
    /// Years a calculation reached that have no loaded business calendar.
    gaps: Vec<i16>,
    /// Backup alerts not yet resolved (super-admin and infrastructure).
    backup_alerts: Vec<educenter_services::store::backup::Alert>,
    /// The alerts link to the Operations page, which is the infrastructure role's.
    may_run_infrastructure: bool,
    query: String,
    tenants: Vec<Tenant>,
    role: String,
    may_edit_calendar: bool,
    /// Every section of the back office: the ones this role may not use say which roles may,
    /// rather than vanish.
    sections: Vec<NavItem>,
}

/// A section of the back office as the home page lists it.
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub allowed: bool,
    /// The roles that may use it, in words.
    pub roles: String,
}

/// The back office's sections and the actions each is for.
const SECTIONS: [(&str, &str, &[OperatorAction]); 10] = [
    (
        "/operator/billing",
        "operator-billing",
        &[
            OperatorAction::ManageBilling,
            OperatorAction::ManagePlatform,
        ],
    ),
    (
        "/operator/documents",
        "operator-documents",
        &[
            OperatorAction::ManageBilling,
            OperatorAction::ManagePlatform,
        ],
    ),
    (
        "/operator/calendar",
        "operator-calendar",
        &[OperatorAction::ManagePlatform],
    ),
    (
        "/operator/billing/promotions",
        "operator-promotions",
        &[OperatorAction::ManagePlatform],
    ),
    (
        "/operator/embeds",
        "embeds-title",
        &[OperatorAction::ManagePlatform],
    ),
    (
        "/operator/staff",
        "operator-staff-title",
        &[OperatorAction::ManagePlatform],
    ),
    (
        "/operator/operations",
        "operations-title",
        &[OperatorAction::RunInfrastructure],
    ),
    (
        "/operator/disclosures",
        "disclosures-title",
        &[OperatorAction::HandleCompliance],
    ),
    (
        "/operator/cases",
        "cases-title",
        &[OperatorAction::HandleCompliance],
    ),
    (
        "/operator/force-majeure",
        "fm-title",
        &[
            OperatorAction::RunInfrastructure,
            OperatorAction::HandleCompliance,
        ],
    ),
];

fn sections(l: &Layout<'_>, who: &Principal) -> Vec<NavItem> {
    SECTIONS
        .iter()
        .map(|(href, key, actions)| {
            let roles: Vec<String> = OperatorRole::ALL
                .into_iter()
                .filter(|r| actions.iter().any(|a| operator_may(*r, *a)))
                .map(|r| l.t(&format!("operator-role-{}", r.as_str())))
                .collect();
            NavItem {
                href,
                label: l.t(key),
                allowed: actions.iter().any(|a| who.operator_may(*a)),
                roles: roles.join(", "),
            }
        })
        .collect()
}

impl HomePage<'_> {
    fn kind_label(&self, kind: &LicenseeKind) -> String {
        self.l.t(&format!("kind-{kind}"))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SearchQuery {
    q: String,
}

async fn home(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Query(q): Query<SearchQuery>,
    headers: HeaderMap,
) -> PageResult {
    let found = tenancy::search(state.services(), &who, &q.q, origin.0).await?;
    let gaps = calendar::open_gaps(state.services(), &who).await?;
    let backup_alerts = educenter_services::backup::open_alerts(state.services(), &who).await?;
    let l = Layout::for_user(&state, &headers, "/operator", &who);
    let page = HomePage {
        gaps,
        backup_alerts,
        may_run_infrastructure: who.operator_may(OperatorAction::RunInfrastructure),
        may_edit_calendar: who.operator_may(OperatorAction::ManagePlatform),
        sections: sections(&l, &who),
        role: l.t(&format!("operator-role-{}", who.role.as_str())),
        query: q.q,
        tenants: found,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "operator_tenant.html")]
struct TenantPage<'a> {
    l: Layout<'a>,
    o: Overview,
    /// The school's money and the billing officer's forms.
    m: super::operator_school::MoneySection,
    /// The signed-in role may block, unblock and terminate (compliance officer).
    may_comply: bool,
    block_fields: Vec<Field>,
    terminate_fields: Vec<Field>,
    /// A `licence_breach` block is in force over a contract in force: it may become a
    /// termination.
    may_terminate: bool,
    form_error: Option<String>,
}

impl TenantPage<'_> {
    fn kind_label(&self, kind: &LicenseeKind) -> String {
        self.l.t(&format!("kind-{kind}"))
    }

    fn block_text(&self, b: &educenter_services::store::blocks::Block) -> String {
        let reason = self.l.t(&format!("block-reason-{}", b.reason));
        let since = self.l.instant(&b.blocked_at);
        match b.purge_on {
            Some(purge) => self.l.t_args(
                "operator-blocked",
                &[
                    ("reason", reason),
                    ("since", since),
                    ("purge", self.l.date(&purge)),
                ],
            ),
            None => self.l.t_args(
                "operator-blocked-since",
                &[("reason", reason), ("since", since)],
            ),
        }
    }

    /// An audit action in words: what it concerns and what happened ("Курс: создание").
    fn action(&self, action: &str) -> String {
        audit_action(&self.l, action)
    }

    /// An entry's details as `label: value` pairs, never JSON.
    fn details(&self, details: &serde_json::Value) -> String {
        audit_details(&self.l, details)
    }
}

/// The compliance forms' values and errors when the page is shown again.
#[derive(Default)]
struct TenantForms {
    money: super::operator_school::MoneyForms,
    block: BlockForm,
    terminate: TerminateForm,
    errors: FieldErrors,
}

async fn tenant(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> PageResult {
    render_tenant(
        &state,
        &headers,
        &who,
        &id,
        origin,
        TenantForms::default(),
        StatusCode::OK,
    )
    .await
}

/// The school's page again with the billing forms' values and errors.
pub(super) async fn render_tenant_with(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    origin: ClientOrigin,
    money: super::operator_school::MoneyForms,
    status: StatusCode,
) -> PageResult {
    let forms = TenantForms {
        money,
        ..TenantForms::default()
    };
    render_tenant(state, headers, who, id, origin, forms, status).await
}

async fn render_tenant(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    origin: ClientOrigin,
    forms: TenantForms,
    status: StatusCode,
) -> PageResult {
    let o = tenancy::overview(state.services(), who, id, origin.0).await?;
    let l = Layout::for_user(state, headers, "/operator", who);
    let reasons = BlockReason::BY_OPERATOR
        .iter()
        .filter(|r| !o.blocks.iter().any(|b| b.reason == **r))
        .map(|r| (r.as_str().to_owned(), l.t(&format!("block-reason-{r}"))))
        .collect();
    let mut block_fields = vec![
        Field::new(&l, "reason", "select")
            .value(forms.block.reason)
            .options(reasons),
        Field::new(&l, "note", "textarea")
            .value(forms.block.note)
            .hint(&l),
    ];
    forms.errors.apply(&mut block_fields);
    let mut terminate_fields = vec![
        Field::new(&l, "grounds", "textarea")
            .value(forms.terminate.grounds)
            .hint(&l),
    ];
    forms.errors.apply(&mut terminate_fields);
    let in_force = o.contracts.iter().any(|c| c.status.is_live());
    let m = super::operator_school::section(state, &l, who, id, forms.money).await?;
    let page = TenantPage {
        m,
        form_error: forms.errors.form.clone(),
        may_comply: who.operator_may(educenter_domain::roles::OperatorAction::HandleCompliance),
        may_terminate: in_force
            && o.blocks
                .iter()
                .any(|b| b.reason == BlockReason::LicenceBreach),
        block_fields,
        terminate_fields,
        l,
        o,
    };
    Ok(page.l.render(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BlockForm {
    reason: String,
    note: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TerminateForm {
    grounds: String,
}

/// Blocks the school with an internal note (compliance officer).
async fn block(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<BlockForm>,
) -> PageResult {
    let result = educenter_services::compliance::block(
        state.services(),
        &who,
        &id,
        &form.reason,
        &form.note,
        origin.0.clone(),
    )
    .await;
    compliance_done(
        &state,
        &headers,
        &who,
        &id,
        origin,
        result.map(|_| "tenant-blocked"),
        |errors| TenantForms {
            block: form,
            errors,
            ..TenantForms::default()
        },
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UnblockForm {
    reason: String,
}

/// Lifts a block (compliance officer).
async fn unblock(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<UnblockForm>,
) -> PageResult {
    let result = educenter_services::compliance::unblock(
        state.services(),
        &who,
        &id,
        &form.reason,
        origin.0.clone(),
    )
    .await;
    compliance_done(
        &state,
        &headers,
        &who,
        &id,
        origin,
        result.map(|()| "tenant-unblocked"),
        |errors| TenantForms {
            errors,
            ..TenantForms::default()
        },
    )
    .await
}

/// Terminates the contract of a school blocked for a licence breach (compliance officer).
async fn terminate(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<TerminateForm>,
) -> PageResult {
    let result = educenter_services::compliance::terminate_for_breach(
        state.services(),
        &who,
        &id,
        &form.grounds,
        origin.0.clone(),
    )
    .await;
    compliance_done(
        &state,
        &headers,
        &who,
        &id,
        origin,
        result.map(|_| "tenant-terminated"),
        |errors| TenantForms {
            terminate: form,
            errors,
            ..TenantForms::default()
        },
    )
    .await
}

/// After a compliance action: back to the school's page with a flash, or the page again with
/// the errors beside the fields (a conflict above the forms).
async fn compliance_done(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    id: &str,
    origin: ClientOrigin,
    result: Result<&'static str, ServiceError>,
    again: impl FnOnce(FieldErrors) -> TenantForms,
) -> PageResult {
    let l = Layout::new(state, headers, "/operator");
    let (errors, status) = match result {
        Ok(flash) => {
            return Ok(redirect_with_flash(
                state,
                &format!("/operator/tenants/{id}"),
                flash,
            ));
        }
        Err(ServiceError::Invalid(errors)) => (
            FieldErrors::from_service(
                &l,
                errors,
                &[
                    ("reason", "reason"),
                    ("note", "note"),
                    ("grounds", "grounds"),
                ],
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(ServiceError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add_form(l.t("error-compliance-conflict"));
            (errors, StatusCode::CONFLICT)
        }
        Err(e) => return Err(e.into()),
    };
    render_tenant(state, headers, who, id, origin, again(errors), status).await
}

async fn calendar_now(State(state): State<AppState>, OperatorUser(_): OperatorUser) -> Redirect {
    let year = local_date(state.services().clock.now()).year();
    Redirect::to(&format!("/operator/calendar/{year}"))
}

#[derive(Template)]
#[template(path = "operator_calendar.html")]
struct CalendarPage<'a> {
    l: Layout<'a>,
    year: i16,
    fields: Vec<Field>,
    form_error: Option<String>,
    loaded: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CalendarForm {
    non_working_days: String,
    working_days: String,
}

fn calendar_page<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    who: &Principal,
    year: i16,
    form: CalendarForm,
    errors: &FieldErrors,
    loaded: bool,
) -> CalendarPage<'a> {
    let l = Layout::for_user(state, headers, "/operator/calendar", who);
    let mut fields = vec![
        Field::new(&l, "non_working_days", "textarea")
            .value(form.non_working_days)
            .hint(&l)
            .optional(),
        Field::new(&l, "working_days", "textarea")
            .value(form.working_days)
            .hint(&l)
            .optional(),
    ];
    errors.apply(&mut fields);
    CalendarPage {
        year,
        fields,
        form_error: errors.form.clone(),
        loaded,
        l,
    }
}

fn lines(days: &std::collections::BTreeSet<jiff::civil::Date>) -> String {
    days.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

async fn calendar_form(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    Path(year): Path<i16>,
    headers: HeaderMap,
) -> PageResult {
    let (form, loaded) = match calendar::get_year(state.services(), &who, year).await {
        Ok(y) => (
            CalendarForm {
                non_working_days: lines(&y.non_working_days),
                working_days: lines(&y.working_days),
            },
            true,
        ),
        Err(ServiceError::NotFound(_)) => (CalendarForm::default(), false),
        Err(e) => return Err(e.into()),
    };
    let page = calendar_page(
        &state,
        &headers,
        &who,
        year,
        form,
        &FieldErrors::default(),
        loaded,
    );
    Ok(page.l.render(StatusCode::OK, &page))
}

/// Dates one per line (or separated by commas or spaces); the first that is not a date is
/// named.
fn parse_dates(text: &str) -> Result<Vec<jiff::civil::Date>, String> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| s.to_owned()))
        .collect()
}

async fn calendar_submit(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(year): Path<i16>,
    headers: HeaderMap,
    Form(form): Form<CalendarForm>,
) -> PageResult {
    let l = Layout::new(&state, &headers, "/operator/calendar");
    let mut errors = FieldErrors::default();
    let non_working = parse_dates(&form.non_working_days).map_err(|bad| {
        errors.set(
            "non_working_days",
            l.t_args("error-not-a-date", &[("value", bad)]),
        )
    });
    let working = parse_dates(&form.working_days).map_err(|bad| {
        errors.set(
            "working_days",
            l.t_args("error-not-a-date", &[("value", bad)]),
        )
    });
    let errors = match (non_working, working) {
        (Ok(non_working), Ok(working)) => {
            match calendar::put_year(state.services(), &who, year, non_working, working, origin.0)
                .await
            {
                Ok(_) => {
                    return Ok(redirect_with_flash(
                        &state,
                        &format!("/operator/calendar/{year}"),
                        "calendar-saved",
                    ));
                }
                Err(ServiceError::Invalid(found)) => {
                    // The calendar's own words name the offending dates.
                    let mut errors = FieldErrors::default();
                    for (field, message) in found {
                        let field = match field.as_str() {
                            "working_days" => "working_days",
                            _ => "non_working_days",
                        };
                        errors.set(
                            field,
                            l.t_args("error-calendar", &[("detail", l.say(&message))]),
                        );
                    }
                    errors
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => errors,
    };
    let page = calendar_page(&state, &headers, &who, year, form, &errors, true);
    Ok(page.l.render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

#[derive(Template)]
#[template(path = "operator_embeds.html")]
struct EmbedsPage<'a> {
    l: Layout<'a>,
    hosts: Vec<String>,
    fields: Vec<Field>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmbedForm {
    host: String,
}

async fn render_embeds(
    state: &AppState,
    headers: &HeaderMap,
    who: &Principal,
    form: EmbedForm,
    errors: FieldErrors,
    status: StatusCode,
) -> PageResult {
    let hosts = content::embed_hosts(state.services()).await?;
    let l = Layout::for_user(state, headers, "/operator/embeds", who);
    let mut fields = vec![Field::new(&l, "host", "text").value(form.host).hint(&l)];
    errors.apply(&mut fields);
    let page = EmbedsPage { hosts, fields, l };
    Ok(page.l.render(status, &page))
}

/// The hosts embed lessons may link to, and a form to allow one more.
async fn embeds(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    headers: HeaderMap,
) -> PageResult {
    render_embeds(
        &state,
        &headers,
        &who,
        EmbedForm::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn add_embed(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    headers: HeaderMap,
    Form(form): Form<EmbedForm>,
) -> PageResult {
    match content::add_embed_host(state.services(), &who, &form.host, origin.0).await {
        Ok(_) => Ok(redirect_with_flash(
            &state,
            "/operator/embeds",
            "embed-hosts-saved",
        )),
        Err(e @ (ServiceError::Invalid(_) | ServiceError::Conflict(_))) => {
            let l = Layout::new(&state, &headers, "/operator/embeds");
            let mut errors = FieldErrors::default();
            let message = match e {
                ServiceError::Conflict(_) => l.t("error-host-known"),
                _ => l.t("error-host"),
            };
            errors.set("host", message);
            render_embeds(
                &state,
                &headers,
                &who,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove_embed(
    State(state): State<AppState>,
    OperatorUser(who): OperatorUser,
    origin: ClientOrigin,
    Path(host): Path<String>,
) -> PageResult {
    content::remove_embed_host(state.services(), &who, &host, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/operator/embeds",
        "embed-hosts-saved",
    ))
}

/// An audit action (`course.create`) in words: "Курс: создание".
pub fn audit_action(l: &Layout<'_>, action: &str) -> String {
    let (object, verb) = action.split_once('.').unwrap_or((action, ""));
    let i18n = l.state_i18n();
    let object_key = format!("audit-object-{object}");
    let verb_key = format!("audit-verb-{verb}");
    if i18n.has(l.lang, &object_key) && i18n.has(l.lang, &verb_key) {
        format!("{}: {}", l.t(&object_key), l.t(&verb_key))
    } else {
        action.to_owned()
    }
}

/// The words of a code an audit entry records (`kind: legal_entity`, `role: teacher`).
fn code_word(l: &Layout<'_>, key: &str, code: &str) -> Option<String> {
    let families: &[&str] = match key {
        "kind" => &["kind"],
        "role" => &["role", "operator-role"],
        "state" | "from" | "to" => &["state"],
        "reason" => &["block-reason", "notice-reason"],
        "scope" => &["scope"],
        "status" => &["invoice-status", "act-status", "contract-status"],
        "method" => &["acceptance-method"],
        "purpose" => &["invoice-purpose"],
        _ => &[],
    };
    families
        .iter()
        .map(|f| format!("{f}-{code}"))
        .find(|k| l.state_i18n().has(l.lang, k))
        .map(|k| l.t(&k))
}

/// An audit entry's details in words: each field's label from the catalogs, amounts (`*_minor`)
/// grouped, dates written out, changes as `old → new`; never JSON.
pub fn audit_details(l: &Layout<'_>, details: &serde_json::Value) -> String {
    let label = |key: &str| {
        let k = format!("audit-field-{key}");
        if l.state_i18n().has(l.lang, &k) {
            l.t(&k)
        } else {
            key.replace('_', " ")
        }
    };
    fn value(l: &Layout<'_>, key: &str, v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s)
                if s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok() =>
            {
                l.date(s)
            }
            // A code of a known family (a kind, a role, a state) in words.
            serde_json::Value::String(s) if code_word(l, key, s).is_some() => {
                code_word(l, key, s).unwrap_or_default()
            }
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) if key.ends_with("_minor") => n
                .as_i64()
                .map(|m| educenter_services::i18n::format_amount(l.lang, m))
                .unwrap_or_else(|| n.to_string()),
            serde_json::Value::Bool(b) => l.t(if *b { "audit-yes" } else { "audit-no" }),
            serde_json::Value::Null => "—".to_owned(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|x| value(l, key, x))
                .collect::<Vec<_>>()
                .join(", "),
            serde_json::Value::Object(m) => {
                if let (Some(old), Some(new)) = (m.get("old"), m.get("new")) {
                    return format!("{} → {}", value(l, key, old), value(l, key, new));
                }
                m.iter()
                    .map(|(k, v)| format!("{k}: {}", value(l, k, v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
            other => other.to_string(),
        }
    }
    match details {
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{}: {}", label(k), value(l, k, v)))
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Null => String::new(),
        other => value(l, "", other),
    }
}
