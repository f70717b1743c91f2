//! Words for people: a key of the Fluent catalogs with its arguments, rendered in the reader's
//! language where it is shown (a page, a problem body, an e-mail). Errors of the service layer
//! carry these, never finished sentences, so one error reads right in Russian, Kazakh and
//! English. `Display` gives the English text, for logs and for programs that ask in no language.

use std::fmt;

use educenter_domain::money::Money;
use fluent_bundle::FluentArgs;
use jiff::civil::Date;

use crate::i18n::{self, Lang};

/// One argument of a message, formatted in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    /// A count: plural forms choose by it.
    Number(i64),
    Date(Date),
    /// An amount with its currency.
    Money(Money),
    /// Minor units without a currency ("100 000 000 000,00").
    Amount(i64),
    /// A size in bytes, shown in decimal units ("5 ГБ", "300 kB").
    Size(i64),
    /// A month, `YYYY-MM` ("декабрь 2026 г.", "December 2026").
    Month(String),
    /// A name given in each language (a plan's, a service's): Russian, Kazakh, English.
    Words([String; 3]),
    /// Another message of the catalogs (a role's or a state's name).
    Key(String),
    /// Several messages of the catalogs, joined by commas (the roles that may act).
    Keys(Vec<String>),
}

/// A message of the catalogs and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Msg {
    /// The message `key`; every key is a literal, so the catalog test finds them all.
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            args: Vec::new(),
        }
    }

    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    pub fn num(mut self, name: &'static str, value: i64) -> Self {
        self.args.push((name, Arg::Number(value)));
        self
    }

    pub fn date(mut self, name: &'static str, value: Date) -> Self {
        self.args.push((name, Arg::Date(value)));
        self
    }

    pub fn money(mut self, name: &'static str, amount: Money) -> Self {
        self.args.push((name, Arg::Money(amount)));
        self
    }

    pub fn size(mut self, name: &'static str, bytes: i64) -> Self {
        self.args.push((name, Arg::Size(bytes)));
        self
    }

    /// An argument that is itself a message (`role-teacher`, `state-overdue`).
    pub fn key(mut self, name: &'static str, key: impl Into<String>) -> Self {
        self.args.push((name, Arg::Key(key.into())));
        self
    }

    /// A name given in each language (Russian, Kazakh, English).
    pub fn words(mut self, name: &'static str, ru: &str, kk: &str, en: &str) -> Self {
        self.args.push((
            name,
            Arg::Words([ru.to_owned(), kk.to_owned(), en.to_owned()]),
        ));
        self
    }

    /// Messages of the catalogs as one argument, joined by commas.
    pub fn keys(mut self, name: &'static str, keys: Vec<String>) -> Self {
        self.args.push((name, Arg::Keys(keys)));
        self
    }

    /// The text in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        i18n::catalogs().t_args(lang, self.key, &fluent_args(&self.args, lang))
    }
}

/// Arguments formatted for `lang`, as Fluent takes them.
pub fn fluent_args(list: &[(&'static str, Arg)], lang: Lang) -> FluentArgs<'static> {
    let catalogs = i18n::catalogs();
    let mut args = FluentArgs::new();
    for (name, arg) in list {
        match arg {
            Arg::Text(v) => args.set(*name, v.clone()),
            Arg::Number(n) => args.set(*name, *n),
            Arg::Date(d) => args.set(*name, i18n::format_date(lang, *d)),
            Arg::Money(m) => args.set(*name, i18n::format_money_of(lang, *m)),
            Arg::Amount(minor) => args.set(*name, i18n::format_amount(lang, *minor)),
            Arg::Size(bytes) => args.set(*name, i18n::format_size(lang, *bytes)),
            Arg::Key(key) => args.set(*name, catalogs.t(lang, key)),
            Arg::Keys(keys) => {
                let names: Vec<String> = keys.iter().map(|k| catalogs.t(lang, k)).collect();
                args.set(*name, names.join(", "))
            }
            Arg::Month(month) => args.set(*name, i18n::format_month(lang, month)),
            Arg::Words(words) => args.set(
                *name,
                match lang {
                    Lang::Ru => words[0].clone(),
                    Lang::Kk => words[1].clone(),
                    Lang::En => words[2].clone(),
                },
            ),
        }
    }
    args
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// The domain's reasons, as messages.
mod reasons {
    use educenter_domain::{
        calendar::CalendarError,
        clock::ClockError,
        iin::IinBinError,
        tenancy::{PasswordError, SlugError},
    };

    use super::Msg;

    impl From<PasswordError> for Msg {
        fn from(e: PasswordError) -> Self {
            Msg::new(match e {
                PasswordError::TooShort => "err-password-short",
                PasswordError::TooLong => "err-password-long",
                PasswordError::OneKind => "err-password-one-kind",
                PasswordError::ContainsEmail => "err-password-email",
            })
        }
    }

    impl From<SlugError> for Msg {
        fn from(e: SlugError) -> Self {
            Msg::new(match e {
                SlugError::Length => "err-slug-length",
                SlugError::Characters => "err-slug-characters",
                SlugError::Reserved => "err-slug-reserved",
            })
        }
    }

    impl From<IinBinError> for Msg {
        fn from(e: IinBinError) -> Self {
            Msg::new(match e {
                IinBinError::Format => "err-iin-format",
                IinBinError::CheckDigit => "err-iin-check",
            })
        }
    }

    impl From<CalendarError> for Msg {
        fn from(e: CalendarError) -> Self {
            match e {
                CalendarError::WrongYear(date, year) => Msg::new("err-calendar-wrong-year")
                    .date("date", date)
                    .num("year", i64::from(year)),
                CalendarError::WeekendDayOff(date) => {
                    Msg::new("err-calendar-weekend-day-off").date("date", date)
                }
                CalendarError::WeekdayWorking(date) => {
                    Msg::new("err-calendar-weekday-working").date("date", date)
                }
            }
        }
    }

    impl From<ClockError> for Msg {
        fn from(e: ClockError) -> Self {
            match e {
                ClockError::Backwards { now, requested } => Msg::new("err-clock-backwards")
                    .text("now", now.to_string())
                    .text("requested", requested.to_string()),
                ClockError::NegativeStep => Msg::new("err-clock-negative"),
                ClockError::Overflow => Msg::new("err-clock-overflow"),
            }
        }
    }
}

/// Messages many fields share.
impl Msg {
    /// "must be 1 to 200 characters".
    pub fn length(min: i64, max: i64) -> Self {
        Msg::new("err-length").num("min", min).num("max", max)
    }

    /// "must be an e-mail address".
    pub fn email() -> Self {
        Msg::new("err-email")
    }

    /// "must be a phone number".
    pub fn phone() -> Self {
        Msg::new("err-phone")
    }

    /// "must be one of: a, b, c" (codes a program sends; forms offer them as choices).
    pub fn one_of(values: &[&str]) -> Self {
        Msg::new("err-one-of").text("values", values.join(", "))
    }

    /// "must be one of" the words of an enum.
    pub fn one_of_words<T: educenter_domain::named::Named>() -> Self {
        Self::one_of_these(T::all())
    }

    /// "must be one of" these values of an enum (the ones a field accepts).
    pub fn one_of_these<T: educenter_domain::named::Named>(values: &[T]) -> Self {
        let words: Vec<&str> = values.iter().map(|w| w.word()).collect();
        Self::one_of(&words)
    }

    /// "is required".
    pub fn required() -> Self {
        Msg::new("err-required")
    }

    /// "must be a date, YYYY-MM-DD".
    pub fn date_format() -> Self {
        Msg::new("err-date")
    }

    /// "must be positive".
    pub fn positive() -> Self {
        Msg::new("err-positive")
    }

    /// "must be a positive amount, at most 100 000 000 000,00" (the bound of one line, so that
    /// no sum of lines overflows).
    pub fn amount() -> Self {
        let mut m = Msg::new("err-amount");
        m.args.push((
            "max",
            Arg::Amount(educenter_domain::billing::MAX_AMOUNT_MINOR),
        ));
        m
    }

    /// "the document's total would be more than 1 000 000 000 000,00" (an invoice or a quote
    /// whose lines add up past [`MAX_DOCUMENT_MINOR`](educenter_domain::billing::MAX_DOCUMENT_MINOR)).
    pub fn document_total() -> Self {
        let mut m = Msg::new("err-document-total");
        m.args.push((
            "max",
            Arg::Amount(educenter_domain::billing::MAX_DOCUMENT_MINOR),
        ));
        m
    }

    /// "this line would come to more than 100 000 000 000,00" (a price times a quantity).
    pub fn line_total() -> Self {
        let mut m = Msg::new("err-line-total");
        m.args.push((
            "max",
            Arg::Amount(educenter_domain::billing::MAX_AMOUNT_MINOR),
        ));
        m
    }

    /// "must not contain invisible or control characters".
    pub fn control_chars() -> Self {
        Msg::new("err-control-chars")
    }

    /// What is wrong with a text field, if anything: invisible or control characters (see
    /// [`educenter_domain::text`]), else a length outside `min..=max` characters once trimmed.
    pub fn text_error(value: &str, min: usize, max: usize, multiline: bool) -> Option<Self> {
        let value = value.trim();
        let n = value.chars().count();
        if !educenter_domain::text::is_clean_text(value, multiline) {
            Some(Msg::control_chars())
        } else if n < min || n > max {
            Some(if min == 0 {
                Msg::new("err-max-length").num("max", max as i64)
            } else {
                Msg::length(min as i64, max as i64)
            })
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use educenter_domain::billing::Currency;

    use super::*;

    /// Every `"err-…"` key the code of any crate names, and every prefix it completes at run
    /// time (`format!("err-kind-{kind}")`).
    fn keys_in_code() -> (Vec<String>, Vec<String>) {
        fn walk(dir: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut sources = Vec::new();
        for krate in ["domain", "store", "services", "web", "server"] {
            walk(&crates.join(krate).join("src"), &mut sources);
        }
        let (mut keys, mut prefixes) = (Vec::new(), Vec::new());
        for source in &sources {
            for (i, _) in source.match_indices("\"err-") {
                let rest = &source[i + 1..];
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                    .unwrap_or(rest.len());
                let key = &rest[..end];
                if key.ends_with('-') && !rest[end..].starts_with('{') {
                    continue;
                }
                if rest[end..].starts_with('{') {
                    prefixes.push(key.to_owned());
                } else if rest[end..].starts_with('"') {
                    keys.push(key.to_owned());
                }
            }
        }
        keys.sort();
        keys.dedup();
        prefixes.sort();
        prefixes.dedup();
        (keys, prefixes)
    }

    #[test]
    fn every_error_the_code_names_is_in_all_three_catalogs() {
        let (keys, prefixes) = keys_in_code();
        assert!(keys.len() > 100, "the scan found only {} keys", keys.len());
        for lang in Lang::ALL {
            let have = i18n::I18n::keys(lang);
            let missing: Vec<&String> = keys.iter().filter(|k| !have.contains(k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
            for prefix in &prefixes {
                assert!(
                    have.iter().any(|k| k.starts_with(prefix.as_str())),
                    "{} has no key starting {prefix}",
                    lang.code()
                );
            }
        }
        // The values completed at run time.
        for kind in ["video", "audio", "image", "file", "captions"] {
            for lang in Lang::ALL {
                assert!(i18n::I18n::keys(lang).contains(&format!("err-kind-{kind}")));
            }
        }
        for claim in ["bin_iin", "email", "phone"] {
            for lang in Lang::ALL {
                assert!(i18n::I18n::keys(lang).contains(&format!("err-claim-{claim}")));
            }
        }
    }

    #[test]
    fn messages_render_their_arguments_in_each_language() {
        let m = Msg::new("err-refund-cap")
            .money("amount", Money::new(1_234_500, Currency::Kzt))
            .text("number", "2027-000001");
        assert_eq!(
            m.render(Lang::Ru),
            "По счёту 2027-000001 можно вернуть не больше 12\u{a0}345,00\u{a0}KZT."
        );
        assert_eq!(
            m.to_string(),
            "at most 12,345.00\u{a0}KZT may be refunded on invoice 2027-000001"
        );
        let roles = Msg::new("err-role-needed").keys(
            "roles",
            vec![
                "operator-role-billing".into(),
                "operator-role-super_admin".into(),
            ],
        );
        assert_eq!(
            roles.render(Lang::Kk),
            "Мұны тек мыналар жасай алады: биллинг қызметкері, бас әкімші."
        );
        let storage = Msg::new("err-limit-storage")
            .size("limit", 5_000_000_000)
            .size("used", 4_500_000_000);
        assert!(
            storage
                .render(Lang::En)
                .contains("allows 5\u{a0}GB of storage and 4.5\u{a0}GB")
        );
    }
}
