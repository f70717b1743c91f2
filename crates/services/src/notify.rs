//! E-mails to a school's owner, in their language, with the school's name and the sign-off of the operator (the billing run, documents and service prices use them).

use crate::ServiceError;
use educenter_store::{Conn, accounts, tenancy};
use jiff::Timestamp;

/// Queues a message to the school's owner, in their language, with the school's name and the
/// owner's name as `org` and `name`.
pub(crate) async fn mail_owner(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: &[(&'static str, String)],
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let class = educenter_store::outbox::MailClass::Transactional;
    mail_owner_as(conn, tenant, key, args, class, now).await
}

/// [`mail_owner`] for a notice sent to many schools at once (price changes, monthly acts): bulk
/// mail, after what people wait for, taking turns between schools.
pub(crate) async fn mail_owner_bulk(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: &[(&'static str, String)],
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let class = educenter_store::outbox::MailClass::Bulk {
        tenant_id: tenant.id.clone(),
    };
    mail_owner_as(conn, tenant, key, args, class, now).await
}

pub(crate) async fn mail_owner_as(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: &[(&'static str, String)],
    class: educenter_store::outbox::MailClass,
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let args = args
        .iter()
        .map(|(k, v)| (*k, crate::msg::Arg::Text(v.clone())))
        .collect();
    mail_owner_with(conn, tenant, key, args, class, now).await
}

/// E-mails the school's owner `mail-{key}-*` with arguments formatted in the owner's language
/// (dates, money and months as that language writes them).
pub(crate) async fn mail_owner_with(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    key: &str,
    args: Vec<(&'static str, crate::msg::Arg)>,
    class: educenter_store::outbox::MailClass,
    now: Timestamp,
) -> Result<Option<String>, ServiceError> {
    let Some(owner) = accounts::owner_of(conn, &tenant.id).await? else {
        return Ok(None);
    };
    queue_to_owner(conn, tenant, &owner, key, args, class, now)
        .await
        .map(Some)
}

/// The message [`mail_owner`] queues, for an owner read already (the nightly run reads a
/// page's owners at once and writes their mail together).
pub(crate) fn owner_mail(
    tenant: &tenancy::Tenant,
    owner: &accounts::User,
    key: &str,
    args: &[(&'static str, String)],
) -> educenter_store::outbox::NewMail {
    let args = args
        .iter()
        .map(|(k, v)| (*k, crate::msg::Arg::Text(v.clone())))
        .collect();
    let class = educenter_store::outbox::MailClass::Transactional;
    mail_to(tenant, owner, key, args, class)
}

async fn queue_to_owner(
    conn: &mut Conn,
    tenant: &tenancy::Tenant,
    owner: &accounts::User,
    key: &str,
    args: Vec<(&'static str, crate::msg::Arg)>,
    class: educenter_store::outbox::MailClass,
    now: Timestamp,
) -> Result<String, ServiceError> {
    let mail = mail_to(tenant, owner, key, args, class);
    Ok(educenter_store::outbox::queue(conn, &mail, now).await?)
}

fn mail_to(
    tenant: &tenancy::Tenant,
    owner: &accounts::User,
    key: &str,
    args: Vec<(&'static str, crate::msg::Arg)>,
    class: educenter_store::outbox::MailClass,
) -> educenter_store::outbox::NewMail {
    let lang = crate::i18n::Lang::from_code(&owner.locale).unwrap_or(crate::i18n::Lang::Ru);
    let mut fa = crate::msg::fluent_args(&args, lang);
    fa.set("name", owner.full_name.clone());
    fa.set("org", tenant.name.clone());
    let i18n = crate::i18n::catalogs();
    educenter_store::outbox::NewMail {
        to: owner.email.clone(),
        subject: i18n.t_args(lang, &format!("mail-{key}-subject"), &fa),
        text: i18n.t_args(lang, &format!("mail-{key}-body"), &fa),
        html: None,
        class,
    }
}

pub(crate) fn owner_lang(tenant: &tenancy::Tenant) -> crate::i18n::Lang {
    crate::i18n::Lang::from_code(&tenant.locale).unwrap_or(crate::i18n::Lang::Ru)
}
