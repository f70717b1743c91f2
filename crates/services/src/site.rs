//! The school's public site: which school a site's address names, and whether its site is open
//! (SPEC 3.0, R-2.5a). The pages, the sign-up and sign-in of students, the course pages and the
//! media links all begin here.

use educenter_domain::text::is_clean_text;
use educenter_store::tenancy::{self, Tenant};

use crate::{Msg, ServiceError, Services};

/// The address of the demo school `educenter demo` makes.
pub const DEMO_SLUG: &str = "demo-school";

/// The demo school's site, when there is one and it is open (the landing page links it).
pub async fn demo_school(services: &Services) -> Result<Option<String>, ServiceError> {
    match school(services, DEMO_SLUG).await {
        Ok(t) => Ok(Some(services.school_url(&t.slug))),
        Err(
            ServiceError::NotFound(_) | ServiceError::Blocked(_) | ServiceError::LicenceInactive(_),
        ) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A school by the slug of its site, while its site is open (licence in use, not purged).
pub async fn school(services: &Services, slug: &str) -> Result<Tenant, ServiceError> {
    let not_found = || ServiceError::NotFound(Msg::new("err-no-school"));
    if !is_clean_text(slug, false) {
        return Err(not_found());
    }
    let mut conn = services.db.conn().await?;
    let t = tenancy::by_slug(&mut conn, slug)
        .await?
        .ok_or_else(not_found)?;
    open_school(t)
}

/// The school, when its site is open: not purged (404), not blocked and with a licence that
/// allows use (otherwise the site, its courses, media links, sign-up and sign-in are
/// "temporarily unavailable", SPEC 3.0, R-2.5a).
pub fn open_school(t: Tenant) -> Result<Tenant, ServiceError> {
    if t.purged_at.is_some() {
        return Err(ServiceError::NotFound(Msg::new("err-no-school")));
    }
    if let Some(reason) = t.blocked_reason {
        return Err(ServiceError::Blocked(reason));
    }
    if !t.state.allows_use() {
        return Err(ServiceError::LicenceInactive(Some(t.state)));
    }
    Ok(t)
}
