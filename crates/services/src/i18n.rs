//! Message catalogs (Fluent) in Russian, Kazakh and English; Russian is the default.

use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use unic_langid::LanguageIdentifier;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Ru,
    Kk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Kk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    /// The language's own name, as shown in the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::Kk => "Қазақша",
            Lang::En => "English",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Lang::Ru),
            "kk" | "kz" => Some(Lang::Kk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut choices: Vec<(u16, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::from_code(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                // Quality is at most 3 decimals (RFC 9110); keep it as an integer.
                Some(((q.clamp(0.0, 1.0) * 1000.0) as u16, lang))
            })
            .filter(|(q, _)| *q > 0)
            .collect();
        choices.sort_by_key(|c| std::cmp::Reverse(c.0));
        choices.first().map(|(_, l)| *l)
    }
}

/// The catalogs of each language: the interface (`main.ftl`, `compliance.ftl` for the
/// compliance registers' pages, `teaching.ftl` for the question bank and what follows it), the
/// errors (`errors.ftl`), the e-mails (`mail.ftl`) and the
/// audit trail's words (`audit.ftl`).
const CATALOGS: [(Lang, [&str; 6]); 3] = [
    (
        Lang::Ru,
        [
            include_str!("../locales/ru/main.ftl"),
            include_str!("../locales/ru/errors.ftl"),
            include_str!("../locales/ru/mail.ftl"),
            include_str!("../locales/ru/audit.ftl"),
            include_str!("../locales/ru/compliance.ftl"),
            include_str!("../locales/ru/teaching.ftl"),
        ],
    ),
    (
        Lang::Kk,
        [
            include_str!("../locales/kk/main.ftl"),
            include_str!("../locales/kk/errors.ftl"),
            include_str!("../locales/kk/mail.ftl"),
            include_str!("../locales/kk/audit.ftl"),
            include_str!("../locales/kk/compliance.ftl"),
            include_str!("../locales/kk/teaching.ftl"),
        ],
    ),
    (
        Lang::En,
        [
            include_str!("../locales/en/main.ftl"),
            include_str!("../locales/en/errors.ftl"),
            include_str!("../locales/en/mail.ftl"),
            include_str!("../locales/en/audit.ftl"),
            include_str!("../locales/en/compliance.ftl"),
            include_str!("../locales/en/teaching.ftl"),
        ],
    ),
];

/// The catalogs, loaded once (for `Msg`, which renders where no `Services` is
/// at hand). They are embedded, so they load or the tests fail.
pub fn catalogs() -> &'static I18n {
    static LOADED: std::sync::LazyLock<I18n> =
        std::sync::LazyLock::new(|| I18n::load().expect("the embedded catalogs load"));
    &LOADED
}

/// The loaded catalogs.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl I18n {
    /// Loads the embedded catalogs; a syntax error in one is a bug caught by the tests.
    pub fn load() -> Result<Self, String> {
        let mut bundles = HashMap::new();
        for (lang, sources) in CATALOGS {
            let id: LanguageIdentifier = lang
                .code()
                .parse()
                .map_err(|e| format!("{}: {e}", lang.code()))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Output goes into HTML, where Unicode isolation marks only get in the way.
            bundle.set_use_isolating(false);
            for source in sources {
                let resource = FluentResource::try_new(source.to_owned())
                    .map_err(|(_, errors)| format!("{}: {errors:?}", lang.code()))?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| format!("{}: {errors:?}", lang.code()))?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(Self { bundles })
    }

    /// The message `key` in `lang`, falling back to Russian, then to the key itself.
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    pub fn t_args(&self, lang: Lang, key: &str, args: &FluentArgs) -> String {
        self.format(lang, key, Some(args))
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        for lang in [lang, Lang::Ru] {
            let Some(bundle) = self.bundles.get(&lang) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(
                    key,
                    lang = lang.code(),
                    ?errors,
                    "message formatting errors"
                );
                // A message given the wrong arguments is a bug the tests must see.
                debug_assert!(false, "{key} in {}: {errors:?}", lang.code());
            }
            return text.into_owned();
        }
        tracing::warn!(key, "missing message");
        key.to_owned()
    }

    /// Whether `lang`'s own catalog has the message `key` with a value (no fallback).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles
            .get(&lang)
            .and_then(|b| b.get_message(key))
            .is_some_and(|m| m.value().is_some())
    }

    /// Every message id of a catalog (for the test that all catalogs have the same keys).
    pub fn keys(lang: Lang) -> Vec<String> {
        let sources = CATALOGS
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(&[][..], |(_, s)| &s[..]);
        let mut keys: Vec<String> = sources
            .iter()
            .flat_map(|s| s.lines())
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect();
        keys.sort();
        keys
    }
}

#[cfg(test)]
mod gb_tests {
    use super::*;

    #[test]
    fn storage_shows_in_the_unit_typed() {
        assert_eq!(format_gb(Lang::Ru, 100_000_000_000), "100");
        assert_eq!(format_gb(Lang::Ru, 2_500_000_000), "2,5");
        assert_eq!(format_gb(Lang::En, 2_500_000_000), "2.5");
        assert_eq!(format_gb(Lang::Ru, 5_000_000_000), "5");
        assert_eq!(format_size(Lang::Ru, 5_000_000_000), "5\u{a0}ГБ");
        assert_eq!(format_size(Lang::En, 300_000), "300\u{a0}kB");
        assert_eq!(format_size(Lang::Kk, 2_500_000), "2,5\u{a0}МБ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_load_and_agree_on_keys() {
        let i18n = I18n::load().unwrap();
        let ru = I18n::keys(Lang::Ru);
        assert!(!ru.is_empty());
        for lang in [Lang::Kk, Lang::En] {
            assert_eq!(
                I18n::keys(lang),
                ru,
                "{} catalog differs from ru",
                lang.code()
            );
        }
        for key in &ru {
            for lang in Lang::ALL {
                assert!(i18n.has(lang, key), "{key} in {}", lang.code());
            }
        }
    }

    /// A message edited in place once kept its old paragraphs under the new ones: each e-mail
    /// signs off once.
    #[test]
    fn every_email_signs_off_once() {
        for (lang, sources) in CATALOGS {
            let sign = match lang {
                Lang::Ru => "Команда EduCenter",
                Lang::Kk => "EduCenter командасы",
                Lang::En => "The EduCenter team",
            };
            let mut key = "";
            let mut count = 0;
            for line in sources.iter().flat_map(|s| s.lines()) {
                if let Some((k, _)) = line.split_once(" =")
                    && !line.starts_with(' ')
                    && !line.is_empty()
                {
                    key = k;
                    count = 0;
                }
                if line.trim() == sign {
                    count += 1;
                    assert!(count == 1, "{key} in {} signs off twice", lang.code());
                }
            }
        }
    }

    #[test]
    fn russian_plurals_use_one_few_many() {
        let i18n = I18n::load().unwrap();
        let n = |n: i64| {
            let mut args = FluentArgs::new();
            args.set("count", n);
            i18n.t_args(Lang::Ru, "courses-count", &args)
        };
        assert_eq!(n(1), "1 курс");
        assert_eq!(n(3), "3 курса");
        assert_eq!(n(5), "5 курсов");
        assert_eq!(n(21), "21 курс");
    }

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ru;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de;q=1, kk-KZ;q=0.5, ru;q=0.4"),
            Some(Lang::Kk)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
    }
}

/// A date as people write it: "3 февраля 2027 г.", "2027 жылғы 3 ақпан", "3 February 2027".
pub fn format_date(lang: Lang, date: jiff::civil::Date) -> String {
    const RU: [&str; 12] = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ];
    const KK: [&str; 12] = [
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = usize::try_from(date.month() - 1).unwrap_or(0);
    match lang {
        Lang::Ru => format!("{} {} {} г.", date.day(), RU[m], date.year()),
        Lang::Kk => format!("{} жылғы {} {}", date.year(), date.day(), KK[m]),
        Lang::En => format!("{} {} {}", date.day(), EN[m], date.year()),
    }
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn dates_in_three_languages() {
        let d = jiff::civil::date(2026, 11, 28);
        assert_eq!(format_date(Lang::Ru, d), "28 ноября 2026 г.");
        assert_eq!(format_date(Lang::Kk, d), "2026 жылғы 28 қараша");
        assert_eq!(format_date(Lang::En, d), "28 November 2026");
        assert_eq!(format_month(Lang::Ru, "2026-12"), "декабрь 2026 г.");
        assert_eq!(format_month(Lang::Kk, "2026-12"), "2026 жылғы желтоқсан");
        assert_eq!(format_month(Lang::En, "2026-12"), "December 2026");
    }
}

/// A month as people name it, from `YYYY-MM`: "декабрь 2026 г.", "2026 жылғы желтоқсан",
/// "December 2026" (the text as given when it is not a month).
pub fn format_month(lang: Lang, month: &str) -> String {
    const RU: [&str; 12] = [
        "январь",
        "февраль",
        "март",
        "апрель",
        "май",
        "июнь",
        "июль",
        "август",
        "сентябрь",
        "октябрь",
        "ноябрь",
        "декабрь",
    ];
    let Ok(first) = format!("{month}-01").parse::<jiff::civil::Date>() else {
        return month.to_owned();
    };
    let m = usize::try_from(first.month() - 1).unwrap_or(0);
    match lang {
        Lang::Ru => format!("{} {} г.", RU[m], first.year()),
        // The first of the month in the date's own words, without its day.
        Lang::Kk => format_date(lang, first).replacen(" 1 ", " ", 1),
        Lang::En => format_date(lang, first).trim_start_matches("1 ").to_owned(),
    }
}

/// An amount with its currency as people read it ([`format_money`] of its parts).
pub fn format_money_of(lang: Lang, amount: educenter_domain::money::Money) -> String {
    format_money(lang, amount.minor, amount.currency)
}

/// An amount as people write it: "30 000,00 KZT" in Russian and Kazakh, "30,000.00 KZT" in
/// English. Minor units in, no floats.
pub fn format_money(lang: Lang, amount_minor: i64, currency: impl std::fmt::Display) -> String {
    format!("{}\u{a0}{currency}", format_amount(lang, amount_minor))
}

/// A storage size in gigabytes of 10^9 bytes, as typed: "100" for 100 GB, "2,5" (Russian,
/// Kazakh) or "2.5" (English) for 2.5 GB, to two decimals at most. No floats.
pub fn format_gb(lang: Lang, bytes: i64) -> String {
    in_units(lang, bytes, educenter_domain::billing::BYTES_PER_GB)
}

/// A size as people read it, in the largest decimal unit it reaches: "100 ГБ", "300 КБ",
/// "2.5 MB" (gigabytes of 10^9 bytes, megabytes of 10^6, kilobytes of 10^3).
pub fn format_size(lang: Lang, bytes: i64) -> String {
    let (unit, size) = match bytes {
        b if b >= 1_000_000_000 => (["ГБ", "ГБ", "GB"], 1_000_000_000),
        b if b >= 1_000_000 => (["МБ", "МБ", "MB"], 1_000_000),
        _ => (["КБ", "КБ", "kB"], 1_000),
    };
    let unit = match lang {
        Lang::Ru => unit[0],
        Lang::Kk => unit[1],
        Lang::En => unit[2],
    };
    format!("{}\u{a0}{unit}", in_units(lang, bytes, size))
}

/// `bytes` in units of `size`, to two decimals at most.
fn in_units(lang: Lang, bytes: i64, size: i64) -> String {
    let gb = size;
    let (whole, rest) = (bytes / gb, bytes % gb);
    let hundredths = rest * 100 / gb;
    if hundredths == 0 {
        return whole.to_string();
    }
    let decimal = if lang == Lang::En { "." } else { "," };
    let frac = format!("{hundredths:02}");
    format!("{whole}{decimal}{}", frac.trim_end_matches('0'))
}

/// An amount without its currency, grouped as the language writes it ("30 000,00" with
/// non-breaking spaces in Russian and Kazakh, "30,000.00" in English).
pub fn format_amount(lang: Lang, amount_minor: i64) -> String {
    let sign = if amount_minor < 0 { "-" } else { "" };
    let abs = amount_minor.unsigned_abs();
    let (whole, cents) = (abs / 100, abs % 100);
    let digits = whole.to_string();
    let (group, decimal) = match lang {
        Lang::En => (",", "."),
        Lang::Ru | Lang::Kk => ("\u{a0}", ","),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{decimal}{cents:02}")
}

#[cfg(test)]
mod money_tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_per_language() {
        assert_eq!(
            format_money(Lang::Ru, 3_000_000, "KZT"),
            "30\u{a0}000,00\u{a0}KZT"
        );
        assert_eq!(format_money(Lang::En, 677_194, "KZT"), "6,771.94\u{a0}KZT");
        assert_eq!(format_money(Lang::Kk, 5, "EUR"), "0,05\u{a0}EUR");
        assert_eq!(
            format_money(Lang::En, -100_000, "USD"),
            "-1,000.00\u{a0}USD"
        );
        assert_eq!(
            format_money(Lang::Ru, 12_345_678_900, "KZT"),
            "123\u{a0}456\u{a0}789,00\u{a0}KZT"
        );
    }
}

/// What is shown as a local date: a date, or text that should hold one (shown as it is when it
/// does not).
pub trait LocalDate: std::fmt::Display {
    fn local_date(&self) -> Option<jiff::civil::Date>;
}

impl LocalDate for jiff::civil::Date {
    fn local_date(&self) -> Option<jiff::civil::Date> {
        Some(*self)
    }
}

impl LocalDate for str {
    fn local_date(&self) -> Option<jiff::civil::Date> {
        self.parse().ok()
    }
}

impl LocalDate for String {
    fn local_date(&self) -> Option<jiff::civil::Date> {
        self.parse().ok()
    }
}

impl<T: LocalDate + ?Sized> LocalDate for &T {
    fn local_date(&self) -> Option<jiff::civil::Date> {
        (**self).local_date()
    }
}
