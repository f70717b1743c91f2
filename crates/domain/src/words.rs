//! Money amounts in words for accounting documents (invoices and acts), in Russian and Kazakh.
//!
//! Amounts are integer minor units (tiyn or cents, 1/100 of the major unit); nothing here uses
//! floating point. The major part is written in words with its first letter capitalised, the
//! minor part as two digits followed by the minor unit word, as Kazakh accountants write it:
//! «Тридцать тысяч тенге 00 тиын», «Отыз мың теңге 00 тиын».

crate::named::named! {
    /// The language of a school's documents (`tenants.document_lang`, `acts.lang`).
    pub enum DocLang {
        /// Russian.
        Ru = "ru",
        /// Kazakh.
        Kk = "kk",
    }
}

/// An amount in words as accountants write it: the major part in words with its first letter
/// capitalised, then the minor part in two digits and the minor unit word.
///
/// `amount_minor` is in minor units (1/100). `currency` is `"KZT"`, `"EUR"` or `"USD"`
/// (exactly, upper case). Returns `None` for any other currency or a negative amount.
pub fn amount_in_words(amount_minor: i64, currency: &str, lang: DocLang) -> Option<String> {
    if amount_minor < 0 {
        return None;
    }
    let major = (amount_minor / 100) as u64;
    let minor = amount_minor % 100;
    let words = capitalise(&number_in_words(major, lang));
    let (major_word, minor_word) = match (lang, currency) {
        (DocLang::Ru, "KZT") => ("тенге", "тиын"),
        (DocLang::Ru, "EUR") => ("евро", "центов"),
        (DocLang::Ru, "USD") => (
            ru_plural(major, ["доллар США", "доллара США", "долларов США"]),
            "центов",
        ),
        (DocLang::Kk, "KZT") => ("теңге", "тиын"),
        (DocLang::Kk, "EUR") => ("еуро", "цент"),
        (DocLang::Kk, "USD") => ("АҚШ доллары", "цент"),
        _ => return None,
    };
    Some(format!("{words} {major_word} {minor:02} {minor_word}"))
}

/// A whole number in words, in lower case (0 is «ноль» / «нөл»).
///
/// Russian uses the masculine forms of 1 and 2 in the last group («один», «два»), which suit
/// all three currencies; thousands are feminine («одна тысяча», «две тысячи»). The whole `u64`
/// range is covered (up to quintillions).
pub fn number_in_words(n: u64, lang: DocLang) -> String {
    match lang {
        DocLang::Ru => ru_number(n),
        DocLang::Kk => kk_number(n),
    }
}

/// Uppercases the first character only.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The groups of three digits of `n`, lowest first.
fn groups(mut n: u64) -> Vec<u64> {
    let mut out = Vec::new();
    while n > 0 {
        out.push(n % 1000);
        n /= 1000;
    }
    out
}

/// Picks the Russian form for a count: `[one, few, many]` (1 / 2–4 / 0 and 5–20), decided by
/// the last two digits, so 11–14 take the third form.
fn ru_plural(n: u64, forms: [&'static str; 3]) -> &'static str {
    let last_two = n % 100;
    let last = n % 10;
    if (11..=14).contains(&last_two) {
        forms[2]
    } else if last == 1 {
        forms[0]
    } else if (2..=4).contains(&last) {
        forms[1]
    } else {
        forms[2]
    }
}

const RU_UNITS_MASC: [&str; 10] = [
    "",
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];
const RU_UNITS_FEM: [&str; 10] = [
    "",
    "одна",
    "две",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
];
const RU_TEENS: [&str; 10] = [
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
];
const RU_TENS: [&str; 10] = [
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
];
const RU_HUNDREDS: [&str; 10] = [
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
];
/// Scale words by group index (1 = thousands), each as `[one, few, many]`.
const RU_SCALES: [[&str; 3]; 7] = [
    ["", "", ""],
    ["тысяча", "тысячи", "тысяч"],
    ["миллион", "миллиона", "миллионов"],
    ["миллиард", "миллиарда", "миллиардов"],
    ["триллион", "триллиона", "триллионов"],
    ["квадриллион", "квадриллиона", "квадриллионов"],
    ["квинтиллион", "квинтиллиона", "квинтиллионов"],
];

fn ru_number(n: u64) -> String {
    if n == 0 {
        return "ноль".to_owned();
    }
    let mut words: Vec<&str> = Vec::new();
    for (idx, &g) in groups(n).iter().enumerate().rev() {
        if g == 0 {
            continue;
        }
        let (h, t, u) = (
            (g / 100) as usize,
            (g / 10 % 10) as usize,
            (g % 10) as usize,
        );
        words.push(RU_HUNDREDS[h]);
        if t == 1 {
            words.push(RU_TEENS[u]);
        } else {
            words.push(RU_TENS[t]);
            // Thousands are feminine; every other group takes the masculine forms.
            words.push(if idx == 1 {
                RU_UNITS_FEM[u]
            } else {
                RU_UNITS_MASC[u]
            });
        }
        if idx > 0 {
            words.push(ru_plural(g, RU_SCALES[idx]));
        }
    }
    join_words(&words)
}

const KK_UNITS: [&str; 10] = [
    "",
    "бір",
    "екі",
    "үш",
    "төрт",
    "бес",
    "алты",
    "жеті",
    "сегіз",
    "тоғыз",
];
const KK_TENS: [&str; 10] = [
    "",
    "он",
    "жиырма",
    "отыз",
    "қырық",
    "елу",
    "алпыс",
    "жетпіс",
    "сексен",
    "тоқсан",
];
/// Scale words by group index (1 = thousands).
const KK_SCALES: [&str; 7] = [
    "",
    "мың",
    "миллион",
    "миллиард",
    "триллион",
    "квадриллион",
    "квинтиллион",
];

fn kk_number(n: u64) -> String {
    if n == 0 {
        return "нөл".to_owned();
    }
    let mut words: Vec<&str> = Vec::new();
    for (idx, &g) in groups(n).iter().enumerate().rev() {
        if g == 0 {
            continue;
        }
        // A thousands group of exactly 1 is plain «мың», without «бір».
        if !(idx == 1 && g == 1) {
            let (h, t, u) = (
                (g / 100) as usize,
                (g / 10 % 10) as usize,
                (g % 10) as usize,
            );
            if h > 0 {
                // A hundreds digit of 1 is plain «жүз», without «бір».
                if h > 1 {
                    words.push(KK_UNITS[h]);
                }
                words.push("жүз");
            }
            words.push(KK_TENS[t]);
            words.push(KK_UNITS[u]);
        }
        words.push(KK_SCALES[idx]);
    }
    join_words(&words)
}

/// Joins the non-empty words with single spaces.
fn join_words(words: &[&str]) -> String {
    words
        .iter()
        .copied()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru(amount_minor: i64, currency: &str) -> String {
        amount_in_words(amount_minor, currency, DocLang::Ru).unwrap()
    }

    fn kk(amount_minor: i64, currency: &str) -> String {
        amount_in_words(amount_minor, currency, DocLang::Kk).unwrap()
    }

    #[test]
    fn russian_tenge_examples() {
        assert_eq!(ru(2_500_000, "KZT"), "Двадцать пять тысяч тенге 00 тиын");
        assert_eq!(
            ru(123_456_789, "KZT"),
            "Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь тенге 89 тиын"
        );
        assert_eq!(ru(3_000_000, "KZT"), "Тридцать тысяч тенге 00 тиын");
        assert_eq!(ru(105, "KZT"), "Один тенге 05 тиын");
        assert_eq!(
            ru(200_100_000, "KZT"),
            "Два миллиона одна тысяча тенге 00 тиын"
        );
        assert_eq!(ru(1_100_000, "KZT"), "Одиннадцать тысяч тенге 00 тиын");
        assert_eq!(ru(0, "KZT"), "Ноль тенге 00 тиын");
        assert_eq!(ru(100_000, "KZT"), "Одна тысяча тенге 00 тиын");
        assert_eq!(ru(200, "KZT"), "Два тенге 00 тиын");
        assert_eq!(ru(2_100, "KZT"), "Двадцать один тенге 00 тиын");
    }

    #[test]
    fn russian_foreign_currencies() {
        assert_eq!(ru(12_100, "USD"), "Сто двадцать один доллар США 00 центов");
        assert_eq!(ru(350, "USD"), "Три доллара США 50 центов");
        assert_eq!(ru(1_100, "USD"), "Одиннадцать долларов США 00 центов");
        assert_eq!(ru(500, "USD"), "Пять долларов США 00 центов");
        assert_eq!(ru(0, "USD"), "Ноль долларов США 00 центов");
        assert_eq!(ru(199, "EUR"), "Один евро 99 центов");
        assert_eq!(ru(20_000, "EUR"), "Двести евро 00 центов");
    }

    #[test]
    fn russian_last_two_digits_rule() {
        let w = |n| number_in_words(n, DocLang::Ru);
        assert_eq!(w(12_000_000), "двенадцать миллионов");
        assert_eq!(w(22_000), "двадцать две тысячи");
        assert_eq!(w(1_001), "одна тысяча один");
        assert_eq!(w(11_000), "одиннадцать тысяч");
        assert_eq!(w(14_000), "четырнадцать тысяч");
        assert_eq!(w(111_000), "сто одиннадцать тысяч");
        assert_eq!(w(21_000), "двадцать одна тысяча");
        assert_eq!(w(24_000_000), "двадцать четыре миллиона");
        assert_eq!(w(1_000_000_000), "один миллиард");
        assert_eq!(w(5_000_000_000), "пять миллиардов");
        assert_eq!(
            w(999_999_999_999),
            "девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов \
             девятьсот девяносто девять тысяч девятьсот девяносто девять"
        );
        assert_eq!(w(2_000_000_000_000), "два триллиона");
        assert_eq!(w(0), "ноль");
    }

    #[test]
    fn kazakh_examples() {
        assert_eq!(kk(2_500_000, "KZT"), "Жиырма бес мың теңге 00 тиын");
        assert_eq!(
            kk(123_456_789, "KZT"),
            "Бір миллион екі жүз отыз төрт мың бес жүз алпыс жеті теңге 89 тиын"
        );
        assert_eq!(kk(3_000_000, "KZT"), "Отыз мың теңге 00 тиын");
        assert_eq!(
            kk(253_468_700, "KZT"),
            "Екі миллион бес жүз отыз төрт мың алты жүз сексен жеті теңге 00 тиын"
        );
        assert_eq!(kk(0, "KZT"), "Нөл теңге 00 тиын");
        assert_eq!(kk(12_100, "USD"), "Жүз жиырма бір АҚШ доллары 00 цент");
        assert_eq!(kk(4_550, "EUR"), "Қырық бес еуро 50 цент");
        assert_eq!(kk(810, "KZT"), "Сегіз теңге 10 тиын");
    }

    #[test]
    fn kazakh_hundreds_and_thousands() {
        let w = |n| number_in_words(n, DocLang::Kk);
        assert_eq!(w(100), "жүз");
        assert_eq!(w(1_000), "мың");
        assert_eq!(w(1_100), "мың жүз");
        assert_eq!(w(101_000), "жүз бір мың");
        assert_eq!(w(11), "он бір");
        assert_eq!(w(19), "он тоғыз");
        assert_eq!(w(1_000_000), "бір миллион");
        assert_eq!(w(1_000_000_000), "бір миллиард");
        assert_eq!(w(1_001_000), "бір миллион мың");
        assert_eq!(w(21_000), "жиырма бір мың");
        assert_eq!(w(2_000_000_000_000), "екі триллион");
    }

    #[test]
    fn rejects_other_currencies_and_negatives() {
        assert_eq!(amount_in_words(100, "RUB", DocLang::Ru), None);
        assert_eq!(amount_in_words(100, "RUB", DocLang::Kk), None);
        assert_eq!(amount_in_words(-1, "KZT", DocLang::Ru), None);
        assert_eq!(amount_in_words(-100, "USD", DocLang::Kk), None);
    }

    #[test]
    fn extremes_do_not_panic() {
        assert!(ru(i64::MAX, "KZT").starts_with("Девяносто два квадриллиона "));
        assert!(kk(i64::MAX, "KZT").starts_with("Тоқсан екі квадриллион "));
        assert!(number_in_words(u64::MAX, DocLang::Ru).starts_with("восемнадцать квинтиллионов "));
        assert!(number_in_words(u64::MAX, DocLang::Kk).starts_with("он сегіз квинтиллион "));
    }

    #[test]
    fn capitalises_cyrillic() {
        assert_eq!(capitalise("өте"), "Өте");
        assert_eq!(capitalise("әке"), "Әке");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn no_stray_spaces_up_to_2000() {
        for n in 0..=2000u64 {
            for lang in [DocLang::Ru, DocLang::Kk] {
                let w = number_in_words(n, lang);
                assert!(!w.is_empty(), "{n} {lang:?}");
                assert!(!w.contains("  "), "{n} {lang:?}: {w:?}");
                assert_eq!(w.trim(), w, "{n} {lang:?}: {w:?}");
            }
        }
    }
}
