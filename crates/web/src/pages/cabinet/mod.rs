//! The school's cabinet: its home `/cabinet` (issue 17, item 1) leads a new school through its
//! first steps (the onboarding checklist), shows the licence at a glance and the last 30 days
//! in figures and charts, and keeps the banners of the licence and the offer. The settings and
//! the contract are their own pages.

mod brand;
mod charts;
mod contract;
mod deletion;
mod settings;

use askama::Template;
use axum::{
    Form, Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect},
    routing::{get, post},
};
use educenter_domain::billing::LicenceState;
use educenter_domain::roles::{AccountKind, TenantAction, tenant_may};
use educenter_domain::tenancy::BlockReason;
use educenter_services::{
    access::Principal,
    dashboard::{self, Checklist, Figures, Glance, Step},
    tenancy::{self, Licence},
};
use serde::Deserialize;

use super::{Layout, PageResult, redirect_with_flash};
use crate::{
    AppState, ClientOrigin,
    auth::{KeptUser, WebUser},
};
use charts::BarChart;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cabinet", get(home))
        .route("/cabinet/checklist", post(dismiss_checklist))
        .route("/cabinet/verify-email", post(resend_verification))
        .merge(settings::routes())
        .merge(brand::routes())
        .merge(contract::routes())
}

fn may(who: &Principal, action: TenantAction) -> bool {
    who.tenant_role().is_some_and(|r| tenant_may(r, action))
}

/// A usage bar: what it counts, the use and the limit in words, and the numbers of the meter.
struct Usage {
    id: &'static str,
    label: String,
    text: String,
    used: i64,
    limit: i64,
}

/// A lesson of the "most" or "least completed" lists, in words.
struct LessonLine {
    lesson: String,
    course: String,
    completed: i64,
    enrolled: i64,
    share: String,
}

#[derive(Template)]
#[template(path = "cabinet.html")]
struct HomePage<'a> {
    l: Layout<'a>,
    licence: Licence,
    glance: Glance,
    checklist: Option<Checklist>,
    figures: Option<Figures>,
    charts: Vec<BarChart>,
    most_completed: Vec<LessonLine>,
    least_completed: Vec<LessonLine>,
    usage: Vec<Usage>,
    /// The licence's state and how long it lasts, in words.
    licence_text: String,
    /// The invoice to pay next, in words, with its address.
    next_invoice: Option<(String, String)>,
    may_manage_contract: bool,
    may_see_billing: bool,
    /// A coming price change of the school's plan, in words.
    price_change: Option<String>,
    /// Coming price changes of the additional services the school uses, in words (R-5.8a).
    service_price_changes: Vec<String>,
    /// The support address, for a blocked school.
    support: String,
    /// The signed-in person's address is not verified yet: the page offers a new link.
    unverified: bool,
    /// The school's site for its students.
    school_url: String,
}

impl HomePage<'_> {
    fn block_text(&self, b: &educenter_services::store::blocks::Block) -> String {
        let purge = b.purge_on.map(|d| self.l.date(&d)).unwrap_or_default();
        if b.reason == BlockReason::Refusal {
            self.l
                .t_args("cabinet-blocked-refusal", &[("purge", purge)])
        } else {
            self.l
                .t_args("cabinet-blocked", &[("support", self.support.clone())])
        }
    }

    fn state_text(&self) -> String {
        let t = &self.licence.tenant;
        self.l.t_args(
            "cabinet-trial",
            &[
                ("trial_ends", self.l.date(&t.trial_ends_on)),
                ("deadline", self.l.date(&t.application_deadline)),
            ],
        )
    }

    /// Where a checklist step is done.
    fn step_href(&self, step: &Step) -> &'static str {
        match step {
            Step::Brand => "/cabinet/settings/brand",
            Step::CreateCourse | Step::AddLesson | Step::Publish => "/cabinet/courses",
            Step::InviteStudent => "/cabinet/students",
            Step::ChoosePlan => "/cabinet/billing",
        }
    }

    fn plan_name(&self) -> Option<String> {
        let plan = self.glance.licence.plan.as_ref()?;
        Some(educenter_services::billing::catalog::plan_label(
            self.l.lang,
            plan,
        ))
    }

    /// The "most" and "least completed" tables: id, title's message, lines.
    fn lesson_tables(&self) -> [(&'static str, &'static str, &[LessonLine]); 2] {
        [
            (
                "most-completed",
                "home-most-completed",
                &self.most_completed,
            ),
            (
                "least-completed",
                "home-least-completed",
                &self.least_completed,
            ),
        ]
    }

    fn step_label(&self, step: &Step) -> String {
        self.l.t(&format!("checklist-{}", step.as_str()))
    }
}

async fn home(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    headers: HeaderMap,
) -> PageResult {
    if who.kind == AccountKind::Operator {
        return Ok(Redirect::to("/operator").into_response());
    }
    let l = Layout::for_user(&state, &headers, "/cabinet", &who);
    let services = state.services();
    let licence = tenancy::licence(services, &who).await?;
    let support = if licence.blocks.is_empty() {
        String::new()
    } else {
        educenter_services::requisites::support_email(services).await?
    };
    let (user, _) = educenter_services::accounts::me(services, &who).await?;
    let unverified = user.email_verified_at.is_none();
    let school_url = services.school_url(&licence.tenant.slug);
    let price_change =
        match educenter_services::billing::catalog::upcoming_prices(services, &who).await? {
            Some((plan, prices)) => {
                let first = prices[0].effective_from;
                let list = prices
                    .iter()
                    .filter(|p| p.effective_from == first)
                    .map(|p| {
                        format!(
                            "{} — {}",
                            l.months(p.months),
                            educenter_services::i18n::format_money(
                                l.lang,
                                p.amount.minor,
                                p.amount.currency
                            )
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                Some(l.t_args(
                    "cabinet-price-change",
                    &[
                        (
                            "plan",
                            educenter_services::billing::catalog::plan_label(l.lang, &plan),
                        ),
                        ("date", l.date(&first)),
                        ("prices", list),
                    ],
                ))
            }
            None => None,
        };
    let service_price_changes = educenter_services::service_items::upcoming_for(services, &who)
        .await?
        .into_iter()
        .map(|(item, prices)| {
            let first = prices[0].effective_from;
            let list = prices
                .iter()
                .filter(|p| p.effective_from == first)
                .map(|p| {
                    educenter_services::i18n::format_money(
                        l.lang,
                        p.amount.minor,
                        p.amount.currency,
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            l.t_args(
                "cabinet-service-price-change",
                &[
                    (
                        "service",
                        educenter_services::service_items::name(l.lang, &item),
                    ),
                    ("date", l.date(&first)),
                    ("prices", list),
                ],
            )
        })
        .collect();
    let glance = dashboard::glance(services, &who).await?;
    let checklist = dashboard::checklist(services, &who).await?;
    let figures = dashboard::figures(services, &who).await?;
    let licence_text = licence_words(&l, &glance, services.clock.now());
    let next_invoice = glance.next_invoice.as_ref().map(|i| {
        (
            l.t_args(
                "home-next-invoice-text",
                &[
                    ("number", i.number.clone()),
                    (
                        "amount",
                        educenter_services::i18n::format_money_of(l.lang, i.total()),
                    ),
                    ("due", l.date(&i.due_on)),
                ],
            ),
            format!("/cabinet/billing/invoices/{}", i.id),
        )
    });
    let usage = usage_bars(&l, &glance);
    let (charts, most_completed, least_completed) = match &figures {
        Some(f) => (
            charts_of(&l, f),
            lesson_lines(&l, &f.most_completed),
            lesson_lines(&l, &f.least_completed),
        ),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let page = HomePage {
        may_manage_contract: may(&who, TenantAction::ManageContract),
        may_see_billing: may(&who, TenantAction::ManageBilling),
        licence,
        glance,
        checklist,
        figures,
        charts,
        most_completed,
        least_completed,
        usage,
        licence_text,
        next_invoice,
        price_change,
        service_price_changes,
        support,
        unverified,
        school_url,
        l,
    };
    Ok(page.l.render(StatusCode::OK, &page))
}

/// The licence's state in words with the days it has left: the trial's last day, or the paid
/// period's.
fn licence_words(l: &Layout<'_>, glance: &Glance, now: jiff::Timestamp) -> String {
    let lic = &glance.licence;
    let today = educenter_domain::clock::local_date(now);
    let state = l.state_name(&lic.state);
    let until = match lic.state {
        LicenceState::Trial => Some(lic.trial_ends_on),
        _ => lic.paid_through,
    };
    match until {
        Some(last) if last >= today => {
            let days = (last - today).get_days() + 1;
            l.t_args(
                "home-licence-until",
                &[
                    ("state", state),
                    ("date", l.date(&last)),
                    ("days", days.to_string()),
                ],
            )
        }
        _ => l.t_args("home-licence-state", &[("state", state)]),
    }
}

fn usage_bars(l: &Layout<'_>, glance: &Glance) -> Vec<Usage> {
    let (u, lim) = (&glance.licence.usage, &glance.licence.limits);
    let storage_limit = lim.storage_bytes + glance.licence.extra_storage_bytes;
    let count = |id, key: &str, used: i64, limit: i64| Usage {
        id,
        label: l.t(key),
        text: l.t_args(
            "home-usage-of",
            &[("used", used.to_string()), ("limit", limit.to_string())],
        ),
        used,
        limit,
    };
    vec![
        count(
            "usage-students",
            "home-usage-students",
            u.students,
            lim.students,
        ),
        count("usage-staff", "home-usage-staff", u.staff, lim.staff),
        count(
            "usage-courses",
            "home-usage-courses",
            u.courses,
            lim.courses,
        ),
        Usage {
            id: "usage-storage",
            label: l.t("home-usage-storage"),
            text: l.t_args(
                "home-usage-of",
                &[
                    (
                        "used",
                        educenter_services::i18n::format_size(l.lang, u.storage_bytes),
                    ),
                    (
                        "limit",
                        educenter_services::i18n::format_size(l.lang, storage_limit),
                    ),
                ],
            ),
            used: u.storage_bytes,
            limit: storage_limit,
        },
    ]
}

/// A short day name under the charts and in their tables ("6 дек.").
fn day_name(l: &Layout<'_>, on: jiff::civil::Date) -> String {
    l.date(&on)
}

fn charts_of(l: &Layout<'_>, f: &Figures) -> Vec<BarChart> {
    let series = |id, key: &str, pick: fn(&dashboard::Day) -> i64| {
        BarChart::new(
            id,
            l.t(key),
            f.days
                .iter()
                .map(|d| (day_name(l, d.on), pick(d)))
                .collect(),
        )
    };
    vec![
        series("chart-active", "home-active", |d| d.active),
        series("chart-new-students", "home-new-students", |d| {
            d.new_students
        }),
        series("chart-enrolments", "home-enrolments", |d| d.enrolments),
        series("chart-completions", "home-completions", |d| d.completions),
    ]
}

fn lesson_lines(
    l: &Layout<'_>,
    lessons: &[educenter_services::dashboard::LessonReach],
) -> Vec<LessonLine> {
    lessons
        .iter()
        .map(|r| LessonLine {
            lesson: r.lesson_title.clone(),
            course: r.course_title.clone(),
            completed: r.completed,
            enrolled: r.enrolled,
            // Whole percent, rounded half up, in integers.
            share: l.t_args(
                "home-share",
                &[(
                    "percent",
                    ((r.completed * 200 + r.enrolled) / (2 * r.enrolled.max(1))).to_string(),
                )],
            ),
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChecklistForm {
    /// "show" brings a put-away checklist back; anything else puts it away.
    action: String,
}

/// Puts the onboarding checklist away (for the whole school), or brings it back.
async fn dismiss_checklist(
    State(state): State<AppState>,
    WebUser(who): WebUser,
    origin: ClientOrigin,
    Form(form): Form<ChecklistForm>,
) -> PageResult {
    let dismiss = form.action != "show";
    dashboard::dismiss_checklist(state.services(), &who, dismiss, origin.0).await?;
    Ok(redirect_with_flash(
        &state,
        "/cabinet",
        if dismiss {
            "checklist-dismissed"
        } else {
            "checklist-shown"
        },
    ))
}

/// E-mails a new verification link to the signed-in person.
async fn resend_verification(
    State(state): State<AppState>,
    KeptUser(who): KeptUser,
    origin: ClientOrigin,
) -> PageResult {
    educenter_services::verification::resend_verification(state.services(), &who, origin.0).await?;
    Ok(redirect_with_flash(&state, "/cabinet", "verification-sent"))
}
