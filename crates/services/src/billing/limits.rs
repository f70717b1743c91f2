//! The plan's limits: usage against the plan in force or the trial plan, the one check every growth action goes through, and the warnings at 80% and 100%.

use crate::{
    Msg, ServiceError, Services, access::Principal, access::require_operator,
    billing::chain::current_period, notify::mail_owner, notify::owner_lang,
};
use educenter_domain::ids::TenantId;
use educenter_domain::{
    billing::Limits, billing::TRIAL_LIMITS, clock::local_date, roles::OperatorAction,
};
use educenter_store::{Conn, audit, audit::Origin, billing as store, billing::Plan, tenancy};
use jiff::Timestamp;
use serde_json::json;

/// The largest value of a plan's limit (a count, or bytes: about 1 PB).
pub const MAX_LIMIT: i64 = 1_000_000_000_000_000;

/// The metered quantities of a school: live staff and students, the bytes of its
/// files not deleted, and its courses outside the trash.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub students: i64,
    pub staff: i64,
    pub storage_bytes: i64,
    pub courses: i64,
}

/// The limits in force and the code of the plan they come from: the plan of the paid period in
/// force; while nothing is paid (the trial), the operator's trial plan, or the built-in
/// [`TRIAL_LIMITS`] under the code `trial` when none is chosen (issue 15).
pub(crate) async fn limits_of(
    conn: &mut Conn,
    tenant_id: &TenantId,
) -> Result<(String, Limits), ServiceError> {
    let paid = match tenancy::contract_in_force(conn, tenant_id).await? {
        Some(contract) => current_period(conn, tenant_id, &contract.id).await?,
        None => None,
    };
    let code = match paid {
        Some(current) => Some(current.plan_code),
        None => educenter_store::settings::get(conn, educenter_store::settings::TRIAL_PLAN).await?,
    };
    if let Some(code) = code
        && let Some(plan) = store::plan(conn, &code).await?
    {
        return Ok((plan.code.clone(), plan_limits(&plan)));
    }
    Ok(("trial".to_owned(), TRIAL_LIMITS))
}

/// A plan's limits.
pub fn plan_limits(plan: &Plan) -> Limits {
    Limits {
        students: plan.limit_students,
        staff: plan.limit_staff,
        storage_bytes: plan.limit_storage_bytes,
        courses: plan.limit_courses,
    }
}

pub(crate) async fn usage_of(conn: &mut Conn, tenant_id: &TenantId) -> Result<Usage, ServiceError> {
    let (staff, students) = store::usage_counts(conn, tenant_id).await?;
    Ok(Usage {
        students,
        staff,
        storage_bytes: educenter_store::media::total_bytes(conn, tenant_id).await?,
        courses: educenter_store::content::count_courses(conn, tenant_id).await?,
    })
}

/// A metric the plan limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Students,
    Staff,
    StorageBytes,
    Courses,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Students => "students",
            Self::Staff => "staff",
            Self::StorageBytes => "storage_bytes",
            Self::Courses => "courses",
        }
    }
}

/// The one check every growth action goes through: adding `adding` to `metric` must stay
/// within the plan's limit, else 403 naming the limit; existing use goes on. Crossing 80% and
/// reaching 100% e-mail the owner once per paid period.
pub async fn check_limit(
    conn: &mut Conn,
    tenant_id: &TenantId,
    metric: Metric,
    adding: i64,
    now: Timestamp,
) -> Result<(), ServiceError> {
    // Two transactions adding at once (two uploads, two sign-ups) must not both pass the check
    // on PostgreSQL's READ COMMITTED: the tenant's row is locked until the caller commits.
    store::lock_tenant(conn, tenant_id).await?;
    let (plan_code, limits) = limits_of(conn, tenant_id).await?;
    let usage = usage_of(conn, tenant_id).await?;
    let (used, limit) = match metric {
        Metric::Students => (usage.students, limits.students),
        Metric::Staff => (usage.staff, limits.staff),
        Metric::StorageBytes => (
            usage.storage_bytes,
            limits
                .storage_bytes
                .saturating_add(store::storage_granted(conn, tenant_id, local_date(now)).await?),
        ),
        Metric::Courses => (usage.courses, limits.courses),
    };
    let after = used.saturating_add(adding);
    if after > limit {
        return Err(ServiceError::Forbidden(match metric {
            Metric::StorageBytes => Msg::new("err-limit-storage")
                .size("limit", limit)
                .size("used", used),
            _ => Msg::new("err-limit")
                .num("limit", limit)
                .num("used", used)
                .key("metric", format!("metric-{}", metric.as_str())),
        }));
    }
    // Warnings at 80% and 100% (R-3.5.4), once per level and plan.
    for level in [80, 100] {
        if i128::from(after) * 100 >= i128::from(limit) * level
            && limit > 0
            && store::claim_notice(
                conn,
                tenant_id,
                "limit",
                &format!("{plan_code}:{}:{level}", metric.as_str()),
                now,
            )
            .await?
            && let Some(tenant) = tenancy::get_in(conn, tenant_id).await?
        {
            let lang = owner_lang(&tenant);
            mail_owner(
                conn,
                &tenant,
                "limit",
                &[
                    (
                        "metric",
                        crate::i18n::catalogs().t(lang, &format!("metric-{}", metric.as_str())),
                    ),
                    ("used", amount_of(metric, lang, after)),
                    ("limit", amount_of(metric, lang, limit)),
                    ("level", level.to_string()),
                ],
                now,
            )
            .await?;
        }
    }
    Ok(())
}

/// A figure of `metric` in words: sizes in bytes, KB, MB or GB, counts as numbers.
pub(crate) fn amount_of(metric: Metric, lang: crate::i18n::Lang, value: i64) -> String {
    match metric {
        Metric::StorageBytes => crate::i18n::format_size(lang, value),
        _ => value.to_string(),
    }
}

/// The plan whose limits trials run under (super-admin's setting); `None`: the built-in
/// [`TRIAL_LIMITS`].
pub async fn trial_plan(
    services: &Services,
    who: &Principal,
) -> Result<Option<Plan>, ServiceError> {
    require_operator(who, OperatorAction::ViewTenants)?;
    let mut conn = services.db.conn().await?;
    let Some(code) =
        educenter_store::settings::get(&mut conn, educenter_store::settings::TRIAL_PLAN).await?
    else {
        return Ok(None);
    };
    Ok(store::plan(&mut conn, &code).await?)
}

/// Chooses the plan whose limits trials run under, or the built-in limits with `None`
/// (super-admin; audited).
pub async fn set_trial_plan(
    services: &Services,
    who: &Principal,
    code: Option<&str>,
    origin: Origin,
) -> Result<Option<Plan>, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let plan = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(store::plan(&mut tx, code).await?.ok_or_else(|| {
            ServiceError::Invalid(vec![("plan".into(), Msg::new("err-no-plan"))])
        })?),
        None => None,
    };
    educenter_store::settings::put(
        &mut tx,
        educenter_store::settings::TRIAL_PLAN,
        plan.as_ref().map(|p| p.code.as_str()),
        Some(&who.user_id),
        now,
    )
    .await?;
    let entry = who
        .audit("settings.trial_plan")
        .origin(origin)
        .details(json!({ "plan": plan.as_ref().map(|p| p.code.clone()) }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(plan)
}
