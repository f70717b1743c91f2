//! Licensees (tenants): their legal kind, their slug, the trial and application windows, and
//! the password rule for people who sign in.

use crate::named::named;

use jiff::{Span, civil::Date};

use crate::calendar::{BusinessCalendar, BusinessDate};

/// Whether free text is fit to store: see [`crate::text`].
pub use crate::text::is_clean_text;

named! {
    /// The legal kind of a licensee.
    pub enum LicenseeKind {
        Individual = "individual",
        SoleProprietor = "sole_proprietor",
        LegalEntity = "legal_entity",
    }
}

/// Slugs the platform keeps for itself.
pub const RESERVED_SLUGS: &[&str] = &[
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "billing",
    "blog",
    "cabinet",
    "cdn",
    "dashboard",
    "docs",
    "educenter",
    "ftp",
    "help",
    "imap",
    "lang",
    "login",
    "logout",
    "mail",
    "metrics",
    "news",
    "offer",
    "operator",
    "pop",
    "pricing",
    "root",
    "s",
    "secure",
    "signup",
    "smtp",
    "static",
    "status",
    "support",
    "system",
    "test",
    "www",
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("must be 3 to 40 characters")]
    Length,
    #[error("may contain only lowercase Latin letters, digits and hyphens, not at the ends")]
    Characters,
    #[error("is reserved")]
    Reserved,
}

/// Checks a tenant slug: 3-40 characters of `[a-z0-9-]`, no hyphen at either end, not reserved.
pub fn check_slug(slug: &str) -> Result<(), SlugError> {
    if !(3..=40).contains(&slug.len()) {
        return Err(SlugError::Length);
    }
    if !slug
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        || slug.starts_with('-')
        || slug.ends_with('-')
    {
        return Err(SlugError::Characters);
    }
    if RESERVED_SLUGS.contains(&slug) {
        return Err(SlugError::Reserved);
    }
    Ok(())
}

/// The last day of the trial: creation date + 14 days.
pub fn trial_ends_on(created_on: Date) -> Date {
    created_on.saturating_add(Span::new().days(TRIAL_DAYS))
}

/// The days of a trial as the offer grants it.
pub const TRIAL_DAYS: i64 = 14;

/// The last day an application can be made: creation date + 30 days, moved to the next
/// business day when that day is a day off (R-4.2, A-3: the licensee's own action).
pub fn application_deadline(calendar: &BusinessCalendar, created_on: Date) -> BusinessDate {
    calendar.roll_forward(created_on.saturating_add(Span::new().days(30)))
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("must be at least 10 characters")]
    TooShort,
    #[error("must be at most 128 characters")]
    TooLong,
    #[error("must mix letters with digits or symbols")]
    OneKind,
    #[error("must not contain the e-mail address")]
    ContainsEmail,
}

/// The password rule: 10-128 characters, letters mixed with digits or symbols, not built
/// from the e-mail address.
pub fn check_password(password: &str, email: &str) -> Result<(), PasswordError> {
    let len = password.chars().count();
    if len < 10 {
        return Err(PasswordError::TooShort);
    }
    if len > 128 {
        return Err(PasswordError::TooLong);
    }
    let letters = password.chars().any(char::is_alphabetic);
    let others = password.chars().any(|c| !c.is_alphabetic());
    if !(letters && others) {
        return Err(PasswordError::OneKind);
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if local.len() >= 4 && password.to_lowercase().contains(&local) {
        return Err(PasswordError::ContainsEmail);
    }
    Ok(())
}

/// A phone number as people type it, in E.164 (`+77011234567`): international form (`+7 (701)
/// 123-45-67`, spaces, hyphens, dots and brackets dropped), or a Kazakh number written the
/// local way, `8 701 123 45 67` or `87011234567` (the trunk 8 is the country code +7), or its
/// ten digits `7011234567`. `None` for anything else.
pub fn normalise_phone(phone: &str) -> Option<String> {
    let kept: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = match kept.strip_prefix('+') {
        Some(rest) => rest.to_owned(),
        None if !kept.bytes().all(|b| b.is_ascii_digit()) => return None,
        // 8 701 ...: the trunk prefix of a Kazakh number.
        None if kept.len() == 11 && kept.starts_with('8') => format!("7{}", &kept[1..]),
        None if kept.len() == 11 && kept.starts_with('7') => kept,
        // 701 123 45 67: the ten digits after +7.
        None if kept.len() == 10 && (kept.starts_with('7') || kept.starts_with('6')) => {
            format!("7{kept}")
        }
        None => return None,
    };
    ((10..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+{digits}"))
}

/// Whether an e-mail address is one mail can reach: `local@domain.tld` in plain ASCII, with no
/// spaces, quotes or comments (RFC 5322 allows `"a b"@example.kz`, which mail servers reject
/// silently), a domain with a dot and a top-level name of letters. Expects it trimmed and in
/// lower case.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = email.len() <= 254
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn trial_and_application_windows_follow_a3() {
        // Issue 3: created 2027-01-20 -> trial ends 2027-02-03, applications until 2027-02-19.
        let cal = crate::calendar::tests::kz();
        assert_eq!(trial_ends_on(date(2027, 1, 20)), date(2027, 2, 3));
        // 2027 is not in this calendar: Monday to Friday, provisional.
        let d = application_deadline(&cal, date(2027, 1, 20));
        assert_eq!((d.date, d.provisional), (date(2027, 2, 19), true));
        // Created Thu 2026-11-05: day 30 is Sat 5 December, so the deadline is Mon 7 December.
        let d = application_deadline(&cal, date(2026, 11, 5));
        assert_eq!((d.date, d.provisional), (date(2026, 12, 7), false));
        // Created Mon 2026-11-16: day 30 is Independence Day, Wed 16 December.
        assert_eq!(
            application_deadline(&cal, date(2026, 11, 16)).date,
            date(2026, 12, 17)
        );
        // Across a leap day.
        assert_eq!(trial_ends_on(date(2028, 2, 20)), date(2028, 3, 5));
    }

    #[test]
    fn slugs() {
        assert!(check_slug("alma-school").is_ok());
        assert!(check_slug("a1b").is_ok());
        assert_eq!(check_slug("ab"), Err(SlugError::Length));
        assert_eq!(check_slug(&"a".repeat(41)), Err(SlugError::Length));
        assert_eq!(check_slug("Alma"), Err(SlugError::Characters));
        assert_eq!(check_slug("alma_school"), Err(SlugError::Characters));
        assert_eq!(check_slug("-alma"), Err(SlugError::Characters));
        assert_eq!(check_slug("алма"), Err(SlugError::Characters));
        assert_eq!(check_slug("admin"), Err(SlugError::Reserved));
        assert_eq!(check_slug("www"), Err(SlugError::Reserved));
    }

    #[test]
    fn passwords() {
        assert!(check_password("Kazakh-2027!", "owner@alma.kz").is_ok());
        assert_eq!(
            check_password("short1", "a@b.kz"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_password("onlylettershere", "a@b.kz"),
            Err(PasswordError::OneKind)
        );
        assert_eq!(
            check_password("1234567890123", "a@b.kz"),
            Err(PasswordError::OneKind)
        );
        assert_eq!(
            check_password("aigerim2027!", "aigerim@alma.kz"),
            Err(PasswordError::ContainsEmail)
        );
        assert_eq!(
            check_password(&"ab1".repeat(50), "a@b.kz"),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn phones_as_people_type_them() {
        for typed in [
            "+7 (701) 123-45-67",
            "8 701 123 45 67",
            "87011234567",
            "+77011234567",
            "8 (701) 123-45-67",
            "7011234567",
            "7 701 123 45 67",
        ] {
            assert_eq!(
                normalise_phone(typed).as_deref(),
                Some("+77011234567"),
                "{typed}"
            );
        }
        assert_eq!(
            normalise_phone("+49 30 1234567").as_deref(),
            Some("+49301234567")
        );
        assert_eq!(normalise_phone("+7701"), None);
        assert_eq!(normalise_phone("8701123"), None);
        assert_eq!(normalise_phone("phone"), None);
        assert_eq!(normalise_phone("1234567890123456"), None);
    }

    #[test]
    fn emails_mail_can_reach() {
        for ok in ["aigerim@alma.kz", "a.b+tag@mail.example.com", "o'neil@x.kz"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "aigerim",
            "aigerim@",
            "aigerim@alma",
            "\"a b\"@example.kz",
            "a b@example.kz",
            "a@b.c",
            "a@-alma.kz",
            "a..b@alma.kz",
            "айгерим@alma.kz",
            "a@alma.k2",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}

named! {
    /// Where a contract stands (`contracts.status`): in force, terminating after a notice, or
    /// ended.
    pub enum ContractStatus {
        InForce = "in_force",
        Terminating = "terminating",
        Ended = "ended",
    }
}

impl ContractStatus {
    /// In force or terminating: the school works under it.
    pub fn is_live(self) -> bool {
        self != Self::Ended
    }
}

named! {
    /// Why a contract ended (`contracts.end_reason`).
    pub enum EndReason {
        /// Seven days late with a renewal.
        LatePayment = "late_payment",
        /// No application by the trial's deadline.
        NoApplication = "no_application",
        /// The licensee's notice took effect.
        Notice = "notice",
        /// The licensee objected to a new version of the offer.
        Objection = "objection",
        /// The licensee refused the licence.
        Refusal = "refusal",
        /// The operator terminated it on stated grounds (a breach).
        Breach = "breach",
        /// Ended by agreement the day the owner deleted the school's account.
        Agreement = "agreement",
    }
}

impl BlockReason {
    /// The reasons the operator blocks a school for (SPEC 3.0); a refusal is the owner's own.
    pub const BY_OPERATOR: &'static [BlockReason] = &[
        Self::IllegalContent,
        Self::LicenceBreach,
        Self::SpamComplaint,
        Self::OverLimit,
    ];
}

named! {
    /// How the offer was accepted (`acceptances.method`, R-2.2a-c, R-2.3b): the sign-up's
    /// checkbox, paying an invoice, confirming the e-mail address, or deemed by silence when a
    /// new version's objection window ended.
    pub enum AcceptanceMethod {
        Checkbox = "checkbox",
        Payment = "payment",
        EmailVerification = "email_verification",
        Deemed = "deemed",
    }
}

named! {
    /// Why a school is blocked (`tenant_blocks.reason`).
    pub enum BlockReason {
        IllegalContent = "illegal_content",
        LicenceBreach = "licence_breach",
        SpamComplaint = "spam_complaint",
        OverLimit = "over_limit",
        Refusal = "refusal",
    }
}
