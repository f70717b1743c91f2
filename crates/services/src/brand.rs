//! The school's own face (issue 17, item 2): the name its students see, its accent colour
//! (readable on white, and white on it), a short description, contacts and social links. The
//! school's site, the pages its students see and its e-mails to them carry it.

use educenter_domain::{
    brand::{MIN_CONTRAST_HUNDREDTHS, Rgb},
    roles::TenantAction,
    tenancy::{normalise_phone, valid_email},
};
use educenter_store::{
    audit::{self, Origin},
    tenancy::{self, Brand, Tenant},
};
use serde_json::json;

use crate::{Msg, ServiceError, Services, access::Principal, content::embed_host};

/// At most this many social links.
pub const MAX_LINKS: usize = 8;

/// The brand as the settings form sends it: every field as typed.
#[derive(Debug, Clone, Default)]
pub struct BrandInput {
    pub display_name: String,
    /// `#rrggbb`, or empty for the platform's colour.
    pub accent: String,
    pub description: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_address: String,
    /// https addresses, one per line.
    pub social_links: String,
}

/// Who sets the school's face: the people who may both edit its courses and manage its students
/// (the owner and the administrators).
fn brand_tenant(who: &Principal) -> Result<&educenter_domain::ids::TenantId, ServiceError> {
    crate::access::require_tenant(who, TenantAction::ManageLearners)?;
    crate::access::require_tenant(who, TenantAction::EditContent)
}

/// The school with its brand (for the settings form).
pub async fn school(services: &Services, who: &Principal) -> Result<Tenant, ServiceError> {
    let tenant_id = brand_tenant(who)?;
    let mut conn = services.db.conn().await?;
    tenancy::get_in(&mut conn, tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))
}

/// The brand the input describes, or every field's error.
pub fn check(input: &BrandInput) -> Result<Brand, ServiceError> {
    let mut errors: Vec<(String, Msg)> = Vec::new();
    let mut text = |field: &str, value: &str, min: usize, max: usize, multiline: bool| {
        if let Some(m) = Msg::text_error(value, min, max, multiline) {
            errors.push((field.into(), m));
        }
        value.trim().to_owned()
    };
    let display_name = text("display_name", &input.display_name, 1, 120, false);
    let description = text("description", &input.description, 0, 500, true);
    let address = text("contact_address", &input.contact_address, 0, 300, false);
    let links_text = text("social_links", &input.social_links, 0, 2500, true);
    let accent = match input.accent.trim() {
        "" => None,
        typed => match Rgb::parse(typed) {
            None => {
                errors.push(("accent".into(), Msg::new("err-accent-format")));
                None
            }
            Some(rgb) if !rgb.readable_on_white() => {
                let ratio = rgb.contrast_with_white_hundredths();
                errors.push((
                    "accent".into(),
                    Msg::new("err-accent-contrast")
                        .text("ratio", format!("{}.{:02}", ratio / 100, ratio % 100))
                        .text(
                            "min",
                            format!(
                                "{}.{}",
                                MIN_CONTRAST_HUNDREDTHS / 100,
                                MIN_CONTRAST_HUNDREDTHS % 100 / 10
                            ),
                        ),
                ));
                None
            }
            Some(rgb) => Some(rgb.hex()),
        },
    };
    let email = input.contact_email.trim().to_lowercase();
    if !email.is_empty() && (email.len() > 254 || !valid_email(&email)) {
        errors.push(("contact_email".into(), Msg::email()));
    }
    let phone = match input.contact_phone.trim() {
        "" => None,
        typed => match normalise_phone(typed) {
            Some(p) => Some(p),
            None => {
                errors.push(("contact_phone".into(), Msg::phone()));
                None
            }
        },
    };
    let links: Vec<&str> = links_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if links.len() > MAX_LINKS {
        errors.push((
            "social_links".into(),
            Msg::new("err-links-many").num("max", MAX_LINKS as i64),
        ));
    } else if let Some(bad) = links
        .iter()
        .find(|l| l.len() > 300 || embed_host(l).is_none())
    {
        errors.push((
            "social_links".into(),
            Msg::new("err-link-https").text("link", (*bad).to_owned()),
        ));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(Brand {
        display_name: Some(display_name),
        accent,
        description,
        contact_email: Some(email).filter(|e| !e.is_empty()),
        contact_phone: phone,
        contact_address: Some(address).filter(|a| !a.is_empty()),
        social_links: links.join("\n"),
    })
}

/// Saves the school's brand (the owner and administrators); audited with what changed.
pub async fn save(
    services: &Services,
    who: &Principal,
    input: &BrandInput,
    origin: Origin,
) -> Result<Brand, ServiceError> {
    who.require_write()?;
    let tenant_id = brand_tenant(who)?.clone();
    let brand = check(input)?;
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let before = tenancy::get_in(&mut tx, &tenant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-school")))?
        .brand;
    tenancy::set_brand(&mut tx, &tenant_id, &brand).await?;
    let entry = who
        .audit("school.brand")
        .tenant(tenant_id)
        .origin(origin)
        .changes(&json!(before), &json!(brand));
    audit::record(&mut tx, &entry, now).await?;
    tx.commit().await?;
    Ok(brand)
}

/// Social links given one per item (the API) as the form's text, one per line; an item that
/// holds a line break is refused rather than read as two links.
pub fn links_text(links: &[String]) -> Result<String, ServiceError> {
    if let Some(bad) = links.iter().find(|l| l.contains(['\n', '\r'])) {
        return Err(ServiceError::Invalid(vec![(
            "social_links".into(),
            Msg::new("err-link-https").text("link", bad.trim().to_owned()),
        )]));
    }
    Ok(links.join("\n"))
}

/// The kind of a social link, by its host, for its label on the site.
pub fn link_kind(url: &str) -> &'static str {
    let host = embed_host(url).unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    match host {
        "instagram.com" => "instagram",
        "t.me" | "telegram.me" => "telegram",
        "wa.me" | "api.whatsapp.com" => "whatsapp",
        "youtube.com" | "youtu.be" | "m.youtube.com" => "youtube",
        "facebook.com" | "fb.com" => "facebook",
        "vk.com" => "vk",
        "tiktok.com" => "tiktok",
        _ => "website",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> BrandInput {
        BrandInput {
            display_name: "  Alma Math  ".into(),
            accent: "#0B5FFF".into(),
            description: "Математика для 5–11 классов.".into(),
            contact_email: "Hello@Alma.kz".into(),
            contact_phone: "8 701 123 45 67".into(),
            contact_address: "Алматы, ул. Абая, 1".into(),
            social_links: "https://instagram.com/alma\n\nhttps://t.me/alma\n".into(),
        }
    }

    fn fields(e: ServiceError) -> Vec<String> {
        match e {
            ServiceError::Invalid(found) => found.into_iter().map(|(f, _)| f).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_brand_is_checked_and_kept_as_people_read_it() {
        let b = check(&input()).unwrap();
        assert_eq!(b.display_name.as_deref(), Some("Alma Math"));
        assert_eq!(b.accent.as_deref(), Some("#0b5fff"));
        assert_eq!(b.contact_email.as_deref(), Some("hello@alma.kz"));
        assert_eq!(b.contact_phone.as_deref(), Some("+77011234567"));
        assert_eq!(
            b.social_links,
            "https://instagram.com/alma\nhttps://t.me/alma"
        );
        assert_eq!(link_kind("https://www.instagram.com/alma"), "instagram");
        assert_eq!(link_kind("https://alma.kz"), "website");
        // Empty optional fields: the platform's colour, no contacts.
        let b = check(&BrandInput {
            display_name: "Alma".into(),
            ..BrandInput::default()
        })
        .unwrap();
        assert_eq!(
            (b.accent, b.contact_email, b.contact_phone),
            (None, None, None)
        );
    }

    #[test]
    fn a_bad_brand_names_each_field() {
        let bad = BrandInput {
            display_name: " ".into(),
            // Light cyan: 2.62:1 against white.
            accent: "#00afca".into(),
            contact_email: "not-an-address".into(),
            contact_phone: "12".into(),
            social_links: "http://insecure.kz".into(),
            ..input()
        };
        assert_eq!(
            fields(check(&bad).unwrap_err()),
            [
                "display_name",
                "accent",
                "contact_email",
                "contact_phone",
                "social_links"
            ]
        );
        let many = (0..9).map(|i| format!("https://e{i}.kz\n")).collect();
        let bad = BrandInput {
            accent: "teal".into(),
            social_links: many,
            ..input()
        };
        assert_eq!(fields(check(&bad).unwrap_err()), ["accent", "social_links"]);
    }
}
