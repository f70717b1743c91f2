//! Tenants (licensees), their contracts, acceptances of the offer and trial claims.

use educenter_domain::{
    billing::LicenceState,
    ids::{ContractId, MediaId, TenantId, UserId},
    tenancy::{AcceptanceMethod, BlockReason, ContractStatus, EndReason, LicenseeKind},
};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Cols, Conn, Db, Result, direct, new_id, to_micros};

/// A tenant to create.
#[derive(Debug, Clone)]
pub struct NewTenant<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: LicenseeKind,
    pub bin_iin: &'a str,
    pub resident: bool,
    pub locale: &'a str,
    pub created_at: Timestamp,
    pub trial_ends_on: Date,
    pub application_deadline: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub kind: LicenseeKind,
    pub bin_iin: String,
    pub resident: bool,
    pub locale: String,
    pub state: LicenceState,
    pub created_at: Timestamp,
    pub trial_ends_on: Date,
    pub application_deadline: Date,
    /// When the data of a lapsed or refused school is purged, and the warning's last day.
    pub purge_on: Option<Date>,
    pub purge_warning_on: Option<Date>,
    pub purged_at: Option<Timestamp>,
    /// An image of the school's media shown on its site.
    pub logo_id: Option<MediaId>,
    /// The reason of the block in force over the school, if any (SPEC 3.0's overlay).
    pub blocked_reason: Option<BlockReason>,
    /// How the school shows itself to its students.
    pub brand: Brand,
    /// Whether the owner requires two-step sign-in of the school's staff.
    pub staff_mfa_required: bool,
    /// When the owner asked for the school's account to be deleted (the purge is on
    /// `purge_on` unless undone); `None`: no deletion pending.
    pub deletion_requested_at: Option<Timestamp>,
}

/// The school's own face (issue 17, item 2), as its people set it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Brand {
    /// The name students see; `None`: the name given at sign-up.
    pub display_name: Option<String>,
    /// The accent colour, `#rrggbb`.
    pub accent: Option<String>,
    pub description: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_address: Option<String>,
    /// https addresses, one per line.
    pub social_links: String,
}

impl Tenant {
    /// The name the school's students see.
    pub fn display_name(&self) -> &str {
        self.brand.display_name.as_deref().unwrap_or(&self.name)
    }
}

pub(crate) const COLUMNS: &str = "id, slug, name, kind, bin_iin, resident, locale, state, created_at, \
                       trial_ends_on, application_deadline, purge_on, purge_warning_on, purged_at, \
                       logo_id, blocked_reason, display_name, accent, site_description, \
                       contact_email, contact_phone, contact_address, social_links, staff_mfa_required, deletion_requested_at";

pub(crate) fn from_row(row: &AnyRow) -> Result<Tenant> {
    from_ref(row.into())
}

/// [`from_row`] of a row read either way (see `crate::direct`).
pub(crate) fn from_ref(row: crate::RowRef<'_>) -> Result<Tenant> {
    tenant_cols(Cols::new(row, ""))
}

/// A tenant from its [`COLUMNS`] in a row.
pub(crate) fn tenant_cols(c: Cols<'_>) -> Result<Tenant> {
    Ok(Tenant {
        id: c.get("id")?,
        slug: c.get("slug")?,
        name: c.get("name")?,
        kind: c.word("kind")?,
        bin_iin: c.get("bin_iin")?,
        resident: c.get::<i64>("resident")? != 0,
        locale: c.get("locale")?,
        state: c.word("state")?,
        created_at: c.at("created_at")?,
        trial_ends_on: c.date("trial_ends_on")?,
        application_deadline: c.date("application_deadline")?,
        purge_on: c.date_opt("purge_on")?,
        purge_warning_on: c.date_opt("purge_warning_on")?,
        purged_at: c.at_opt("purged_at")?,
        logo_id: c.get("logo_id")?,
        blocked_reason: c.word_opt("blocked_reason")?,
        brand: Brand {
            display_name: c.get("display_name")?,
            accent: c.get("accent")?,
            description: c.get("site_description")?,
            contact_email: c.get("contact_email")?,
            contact_phone: c.get("contact_phone")?,
            contact_address: c.get("contact_address")?,
            social_links: c.get("social_links")?,
        },
        staff_mfa_required: c.get::<i64>("staff_mfa_required")? != 0,
        deletion_requested_at: c.at_opt("deletion_requested_at")?,
    })
}

/// Moves a school's trial's last day and its application deadline (the operator's decision).
pub async fn set_trial(
    conn: &mut Conn,
    id: &TenantId,
    trial_ends_on: Date,
    application_deadline: Date,
) -> Result<()> {
    sqlx::query("UPDATE tenants SET trial_ends_on = $1, application_deadline = $2 WHERE id = $3")
        .bind(trial_ends_on.to_string())
        .bind(application_deadline.to_string())
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Saves how the school shows itself to its students.
pub async fn set_brand(conn: &mut Conn, id: &TenantId, b: &Brand) -> Result<()> {
    sqlx::query(
        "UPDATE tenants SET display_name = $1, accent = $2, site_description = $3, \
         contact_email = $4, contact_phone = $5, contact_address = $6, social_links = $7 \
         WHERE id = $8",
    )
    .bind(b.display_name.as_deref())
    .bind(b.accent.as_deref())
    .bind(b.description.as_str())
    .bind(b.contact_email.as_deref())
    .bind(b.contact_phone.as_deref())
    .bind(b.contact_address.as_deref())
    .bind(b.social_links.as_str())
    .bind(id.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Sets or removes the school's logo.
pub async fn set_logo(conn: &mut Conn, id: &TenantId, media_id: Option<&MediaId>) -> Result<()> {
    sqlx::query("UPDATE tenants SET logo_id = $1 WHERE id = $2")
        .bind(media_id.map(MediaId::as_str))
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Creates a tenant in its trial; returns its id.
pub async fn create(conn: &mut Conn, t: &NewTenant<'_>) -> Result<TenantId> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO tenants (id, slug, name, kind, bin_iin, resident, locale, state, created_at, \
         trial_started_at, trial_ends_on, application_deadline, name_search) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'trial', $8, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(t.slug)
    .bind(t.name)
    .bind(t.kind.as_str())
    .bind(t.bin_iin)
    .bind(i64::from(t.resident))
    .bind(t.locale)
    .bind(to_micros(t.created_at))
    .bind(t.trial_ends_on.to_string())
    .bind(t.application_deadline.to_string())
    .bind(t.name.to_lowercase())
    .execute(&mut *conn)
    .await?;
    Ok(TenantId::new(id))
}

/// How many schools there are (purged ones too).
pub async fn count(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM tenants")
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&row, "").get("n")
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE slug = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn get(db: &Db, id: &TenantId) -> Result<Option<Tenant>> {
    get_in(&mut *db.conn().await?, id).await
}

/// Which of these trial claims (kind, value) are already taken.
pub async fn claimed(conn: &mut Conn, claims: &[(&str, &str)]) -> Result<Vec<String>> {
    let mut taken = Vec::new();
    for (kind, value) in claims {
        let row = sqlx::query("SELECT tenant_id FROM trial_claims WHERE kind = $1 AND value = $2")
            .bind(*kind)
            .bind(*value)
            .fetch_optional(&mut *conn)
            .await?;
        if row.is_some() {
            taken.push((*kind).to_owned());
        }
    }
    Ok(taken)
}

pub async fn claim_trial(
    conn: &mut Conn,
    tenant_id: &TenantId,
    kind: &str,
    value: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO trial_claims (kind, value, tenant_id) VALUES ($1, $2, $3)")
        .bind(kind)
        .bind(value)
        .bind(tenant_id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Starts contract number N of a tenant under an offer version; returns its id.
pub async fn start_contract(
    conn: &mut Conn,
    tenant_id: &TenantId,
    offer_version: i64,
    at: Timestamp,
) -> Result<ContractId> {
    let id = ContractId::new(new_id());
    let row =
        sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM contracts WHERE tenant_id = $1")
            .bind(tenant_id.as_str())
            .fetch_one(&mut *conn)
            .await?;
    let number: i64 = Cols::new(&row, "").get("n")?;
    sqlx::query(
        "INSERT INTO contracts (id, tenant_id, number, status, offer_version, started_at) \
         VALUES ($1, $2, $3, 'in_force', $4, $5)",
    )
    .bind(id.as_str())
    .bind(tenant_id.as_str())
    .bind(number)
    .bind(offer_version)
    .bind(to_micros(at))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub id: ContractId,
    pub number: i64,
    pub status: ContractStatus,
    pub offer_version: i64,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub end_reason: Option<EndReason>,
}

pub(crate) const CONTRACT_COLUMNS: &str =
    "id, number, status, offer_version, started_at, ended_at, end_reason";

pub(crate) fn contract_row(r: &AnyRow) -> Result<Contract> {
    contract_ref(r.into())
}

/// [`contract_row`] of a row read either way (see `crate::direct`).
pub(crate) fn contract_ref(r: crate::RowRef<'_>) -> Result<Contract> {
    let c = Cols::new(r, "");
    Ok(Contract {
        id: c.get("id")?,
        number: c.get("number")?,
        status: c.word("status")?,
        offer_version: c.get("offer_version")?,
        started_at: c.at("started_at")?,
        ended_at: c.at_opt("ended_at")?,
        end_reason: c.word_opt("end_reason")?,
    })
}

pub async fn contracts(db: &Db, tenant_id: &TenantId) -> Result<Vec<Contract>> {
    let sql =
        format!("SELECT {CONTRACT_COLUMNS} FROM contracts WHERE tenant_id = $1 ORDER BY number");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(contract_row).collect()
}

/// An acceptance of the offer (R-2.2a-c, R-2.3b).
#[derive(Debug, Clone, Serialize)]
pub struct Acceptance {
    pub id: String,
    pub user_id: Option<UserId>,
    pub offer_version: i64,
    pub method: AcceptanceMethod,
    pub accepted_at: Timestamp,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// An acceptance of the offer to record.
#[derive(Debug, Clone)]
pub struct NewAcceptance<'a> {
    /// The tenant that accepts the offer.
    pub tenant_id: &'a TenantId,
    /// The person who accepted it, or `None` when no one did in person (a payment, a deemed
    /// acceptance).
    pub user_id: Option<&'a UserId>,
    /// The offer version accepted.
    pub offer_version: i64,
    /// How the offer was accepted (`checkbox`, `email_verification`, `payment`, `deemed`).
    pub method: AcceptanceMethod,
    /// The IP address the acceptance came from, when a person made it.
    pub ip: Option<&'a str>,
    /// The user agent the acceptance came from, when a person made it.
    pub user_agent: Option<&'a str>,
}

/// Records an acceptance made at `at`; returns its id.
pub async fn accept(conn: &mut Conn, a: &NewAcceptance<'_>, at: Timestamp) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO acceptances (id, tenant_id, user_id, offer_version, method, accepted_at, ip, \
         user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(a.tenant_id.as_str())
    .bind(a.user_id.map(UserId::as_str))
    .bind(a.offer_version)
    .bind(a.method.as_str())
    .bind(to_micros(at))
    .bind(a.ip)
    .bind(a.user_agent)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn acceptances(conn: &mut Conn, tenant_id: &TenantId) -> Result<Vec<Acceptance>> {
    let rows = sqlx::query(
        "SELECT id, user_id, offer_version, method, accepted_at, ip, user_agent FROM acceptances \
         WHERE tenant_id = $1 ORDER BY accepted_at, id",
    )
    .bind(tenant_id.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Cols::new(r, "");
            Ok(Acceptance {
                id: c.get("id")?,
                user_id: c.get("user_id")?,
                offer_version: c.get("offer_version")?,
                method: c.word("method")?,
                accepted_at: c.at("accepted_at")?,
                ip: c.get("ip")?,
                user_agent: c.get("user_agent")?,
            })
        })
        .collect()
}

/// A tenant by id, inside a transaction.
pub async fn get_in(conn: &mut Conn, id: &TenantId) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The tenant's contract in force (`in_force` or `terminating`), if any.
pub async fn contract_in_force(conn: &mut Conn, tenant_id: &TenantId) -> Result<Option<Contract>> {
    let sql = format!(
        "SELECT {CONTRACT_COLUMNS} FROM contracts WHERE tenant_id = $1 \
         AND status IN ('in_force', 'terminating') ORDER BY number DESC LIMIT 1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(tenant_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(contract_row).transpose()
}

/// The highest offer version the tenant has accepted, in any way.
pub async fn accepted_version(conn: &mut Conn, tenant_id: &TenantId) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT MAX(offer_version) AS v FROM acceptances WHERE tenant_id = $1")
        .bind(tenant_id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Cols::new(&row, "").get("v")
}

/// Lifts a trial claim so the same IIN/BIN, e-mail or phone may start another trial (A-22,
/// an operator's exception). `false` when there was none.
pub async fn release_claim(conn: &mut Conn, kind: &str, value: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM trial_claims WHERE kind = $1 AND value = $2")
        .bind(kind)
        .bind(value)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What a search matches (`$1` the query, `$2` its LIKE pattern).
const SEARCH_WHERE: &str = "$1 = '' OR t.slug LIKE $2 ESCAPE '\\' OR t.name_search LIKE $2 \
    ESCAPE '\\' OR t.bin_iin = $1 OR EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = t.id \
    AND u.email = $1 AND u.kind IN ('owner', 'staff'))";

/// Tenants found by the operator's search (newest first): a part of the slug or the name, the
/// exact IIN/BIN, or the e-mail of its owner or staff; never its students, whose data the school
/// controls. An empty query lists the newest.
pub async fn search(db: &Db, query: &str, limit: i64) -> Result<Vec<Tenant>> {
    let q = query.trim().to_lowercase();
    let like = format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let sql = format!(
        "SELECT {COLUMNS} FROM tenants t WHERE {SEARCH_WHERE} \
         ORDER BY t.created_at DESC, t.id DESC LIMIT $3"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&q)
        .bind(&like)
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

const TENANT_PAGES: Keyset = Keyset {
    name: "tenants",
    columns: &[("t.created_at", Kind::Int), ("t.id", Kind::Text)],
    desc: true,
};

/// A page of [`search`]'s tenants, newest first.
pub async fn search_page(conn: &mut Conn, query: &str, req: &PageRequest) -> Result<Page<Tenant>> {
    let q = query.trim().to_lowercase();
    let like = format!(
        "%{}%",
        q.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    );
    let select = format!("SELECT {COLUMNS} FROM tenants t WHERE ({SEARCH_WHERE})");
    TENANT_PAGES
        .fetch(
            conn,
            req,
            &select,
            vec![q.as_str().into(), like.as_str().into()],
            from_row,
            |t| vec![to_micros(t.created_at).into(), t.id.as_str().into()],
        )
        .await
}

/// Tenants whose billing day has come by `today` (or was never set), in pages in id order:
/// each id with its row as read, so that one damaged row holds up no other school.
pub async fn billing_due_page(
    db: &Db,
    today: Date,
    after: &str,
    limit: i64,
) -> Result<Vec<(TenantId, Result<Tenant>)>> {
    static PAGE: direct::Query = direct::Query::new(|| {
        format!(
            "SELECT {COLUMNS} FROM tenants WHERE id > $1 \
             AND (billing_due_on IS NULL OR billing_due_on <= $2) ORDER BY id LIMIT $3"
        )
    });
    let today = today.to_string();
    let binds = [
        direct::Bind::Text(after),
        direct::Bind::Text(&today),
        direct::Bind::Int(limit),
    ];
    direct::fold(db, &PAGE, &binds, |page: &mut Vec<_>, r| {
        page.push((Cols::of(r, "").get("id")?, from_ref(r)));
        Ok(())
    })
    .await
}

/// Schedules (or, with `None`, cancels) the purge of a school's data (R-4.4a, R-4.4b).
pub async fn set_purge(conn: &mut Conn, id: &TenantId, dates: Option<(Date, Date)>) -> Result<()> {
    sqlx::query("UPDATE tenants SET purge_on = $1, purge_warning_on = $2 WHERE id = $3")
        .bind(dates.map(|d| d.0.to_string()))
        .bind(dates.map(|d| d.1.to_string()))
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks a school purged.
pub async fn mark_purged(conn: &mut Conn, id: &TenantId, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE tenants SET purged_at = $1, state = 'purged' WHERE id = $2")
        .bind(to_micros(at))
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records (or clears) the owner's request to delete the school's account.
pub async fn set_deletion(conn: &mut Conn, id: &TenantId, at: Option<Timestamp>) -> Result<()> {
    sqlx::query("UPDATE tenants SET deletion_requested_at = $1 WHERE id = $2")
        .bind(at.map(to_micros))
        .bind(id.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
