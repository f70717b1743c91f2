//! The operator's requisites as the super-admin edits them (versioned), and a school's document settings: language and postal address.

use super::*;
use educenter_domain::roles::AccountKind;

/// The requisites in force (any operator staff).
pub async fn profile(services: &Services, who: &Principal) -> Result<Profile, ServiceError> {
    if who.kind != AccountKind::Operator {
        return Err(ServiceError::Forbidden(Msg::new("err-operator-only")));
    }
    let mut conn = services.db.conn().await?;
    Ok(store::current_profile(&mut conn).await?)
}

pub(crate) fn check_profile(p: &Profile) -> Vec<(String, Msg)> {
    let mut errors = Vec::new();
    let mut text = |field: &str, value: &str, max: usize| {
        if let Some(m) = Msg::text_error(value, 1, max, false) {
            errors.push((field.to_owned(), m));
        }
    };
    text("name", &p.name, 200);
    text("address", &p.address, 300);
    text("phone", &p.phone, 50);
    text("bank", &p.bank, 200);
    text("signer", &p.signer, 200);
    if educenter_domain::iin::IinBin::parse(&p.bin).is_err() {
        errors.push(("bin".into(), Msg::new("err-iin-format")));
    }
    let iik = p.iik.trim();
    if !(iik.len() == 20
        && iik.starts_with("KZ")
        && iik
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    {
        errors.push(("iik".into(), Msg::new("err-iik")));
    }
    let bik = p.bik.trim();
    if !(bik.len() == 8
        && bik
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    {
        errors.push(("bik".into(), Msg::new("err-bik")));
    }
    if !(p.kbe.trim().len() == 2 && p.kbe.trim().bytes().all(|b| b.is_ascii_digit())) {
        errors.push(("kbe".into(), Msg::new("err-digits").num("count", 2)));
    }
    if !(p.knp.trim().len() == 3 && p.knp.trim().bytes().all(|b| b.is_ascii_digit())) {
        errors.push(("knp".into(), Msg::new("err-digits").num("count", 3)));
    }
    for (field, value) in [("email", &p.email), ("support_email", &p.support_email)] {
        let email = value.trim();
        if email.len() > 200 || !educenter_domain::tenancy::valid_email(email) {
            errors.push((field.into(), Msg::email()));
        }
    }
    if p.vat_percent.is_some_and(|v| !(1..=30).contains(&v)) {
        errors.push(("vat_percent".into(), Msg::new("err-vat")));
    }
    errors
}

/// Saves new requisites as the next version (super-admin); documents already issued keep the
/// version they were issued with.
pub async fn put_profile(
    services: &Services,
    who: &Principal,
    p: Profile,
    origin: Origin,
) -> Result<Profile, ServiceError> {
    who.require_write()?;
    require_operator(who, OperatorAction::ManagePlatform)?;
    let errors = check_profile(&p);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let trimmed = Profile {
        version: 0,
        name: p.name.trim().into(),
        bin: p.bin.trim().into(),
        address: p.address.trim().into(),
        phone: p.phone.trim().into(),
        email: p.email.trim().into(),
        support_email: p.support_email.trim().into(),
        bank: p.bank.trim().into(),
        iik: p.iik.trim().into(),
        bik: p.bik.trim().into(),
        kbe: p.kbe.trim().into(),
        knp: p.knp.trim().into(),
        signer: p.signer.trim().into(),
        vat_percent: p.vat_percent,
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let current = store::current_profile(&mut tx).await?;
    let unchanged = Profile {
        version: 0,
        ..current.clone()
    } == trimmed;
    if unchanged {
        return Ok(current);
    }
    let version = store::add_profile(&mut tx, &trimmed, now, Some(&who.user_id)).await?;
    let entry = who
        .audit("operator_profile.update")
        .target("operator_profile", version.to_string())
        .origin(origin)
        .details(json!({ "version": version }));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Profile { version, ..trimmed })
}

/// A school's document settings: language and postal address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub lang: String,
    pub address: String,
}

pub async fn settings(services: &Services, who: &Principal) -> Result<Settings, ServiceError> {
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut conn = services.db.conn().await?;
    let (lang, address) = store::tenant_settings(&mut conn, &tenant_id).await?;
    Ok(Settings {
        lang: lang.as_str().to_owned(),
        address,
    })
}

/// Sets the language of the school's documents (`ru` or `kk`) and its address.
pub async fn put_settings(
    services: &Services,
    who: &Principal,
    s: Settings,
    origin: Origin,
) -> Result<Settings, ServiceError> {
    who.require_write()?;
    let tenant_id = crate::access::require_tenant(who, TenantAction::ManageBilling)?.to_owned();
    let mut errors = Vec::new();
    let lang = DocLang::parse(&s.lang);
    if lang.is_none() {
        errors.push(("lang".into(), Msg::one_of_words::<DocLang>()));
    }
    let address = s.address.trim().to_owned();
    if let Some(m) = Msg::text_error(&address, 0, 300, false) {
        errors.push(("address".into(), m));
    }
    let Some(lang) = lang.filter(|_| errors.is_empty()) else {
        return Err(ServiceError::Invalid(errors));
    };
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let (old_lang, old_address) = store::tenant_settings(&mut tx, &tenant_id).await?;
    store::set_tenant_settings(&mut tx, &tenant_id, lang, &address).await?;
    let entry = who
        .audit("documents.settings")
        .tenant(tenant_id.clone())
        .origin(origin)
        .details(json!({ "lang": s.lang }))
        .changes(
            &json!({ "lang": old_lang, "address": old_address }),
            &json!({ "lang": s.lang, "address": address }),
        );
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(Settings {
        lang: s.lang,
        address,
    })
}
