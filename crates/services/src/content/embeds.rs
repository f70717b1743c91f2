//! Embedded lessons: the hosts the operator allows (the platform's list) and the check of a lesson's embed link.

use super::*;

/// Whether a link may be embedded: https to an allowed host.
/// The host of an https link, lower-cased; `None` for anything else.
pub fn embed_host(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && !host.contains(['@', ':'])).then(|| host.to_ascii_lowercase())
}

/// The hosts embed lessons may link to, as the operator keeps them.
pub async fn embed_hosts(services: &Services) -> Result<Vec<String>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(store::embed_hosts(&mut conn).await?)
}

/// A page of the hosts embed lessons may link to, in order.
pub async fn embed_hosts_page(
    services: &Services,
    req: &PageRequest,
) -> Result<Page<String>, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(store::embed_hosts_page(&mut conn, req).await?)
}

pub(crate) fn platform_admin(who: &Principal) -> Result<(), ServiceError> {
    who.require_write()?;
    crate::access::require_operator(who, educenter_domain::roles::OperatorAction::ManagePlatform)
        .map(|_| ())
}

/// A host name as an operator types it: letters, digits, dots and hyphens, with a dot.
pub(crate) fn check_host(host: &str) -> Result<String, ServiceError> {
    let h = host.trim().to_ascii_lowercase();
    let labels_ok = h.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if h.len() <= 253 && h.contains('.') && labels_ok {
        Ok(h)
    } else {
        Err(ServiceError::Invalid(vec![(
            "host".into(),
            Msg::new("err-host"),
        )]))
    }
}

/// The operator allows embed lessons to link to one more host.
pub async fn add_embed_host(
    services: &Services,
    who: &Principal,
    host: &str,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    platform_admin(who)?;
    let host = check_host(host)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::add_embed_host(&mut tx, &host, &who.user_id, now).await? {
        return Err(ServiceError::Conflict(
            Msg::new("err-host-allowed").text("host", host),
        ));
    }
    let entry = who
        .audit("embed_host.add")
        .target("embed_host", host)
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    embed_hosts(services).await
}

/// The operator stops allowing a host; lessons already linking there stop showing the player.
pub async fn remove_embed_host(
    services: &Services,
    who: &Principal,
    host: &str,
    origin: Origin,
) -> Result<Vec<String>, ServiceError> {
    platform_admin(who)?;
    let host = host.trim().to_ascii_lowercase();
    let host = host.as_str();
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    if !store::remove_embed_host(&mut tx, host).await? {
        return Err(ServiceError::NotFound(
            Msg::new("err-host-not-allowed").text("host", host),
        ));
    }
    let entry = who
        .audit("embed_host.remove")
        .target("embed_host", host.to_owned())
        .origin(origin);
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    embed_hosts(services).await
}

/// Whether a link is one token: no whitespace, control or invisible characters anywhere in it
/// (a player's address with a line break or a NUL is refused where it is typed, not kept).
pub(crate) fn is_clean_url(url: &str) -> bool {
    is_clean_text(url, false) && !url.chars().any(char::is_whitespace)
}

/// Whether an embed link may be shown: https, to a host the operator allows.
pub fn embed_allowed(url: &str, hosts: &[String]) -> bool {
    embed_host(url).is_some_and(|h| hosts.contains(&h))
}
