//! How documents write things: the document's language, amounts, dates, the parties and VAT lines, amounts in words.

use super::*;
use educenter_domain::tenancy::LicenseeKind;

/// A document language as the typesetter and the message catalog name it.
pub(crate) fn doc_lang(lang: DocLang) -> (pdf::Lang, DocLang, Lang) {
    match lang {
        DocLang::Kk => (pdf::Lang::Kk, DocLang::Kk, Lang::Kk),
        DocLang::Ru => (pdf::Lang::Ru, DocLang::Ru, Lang::Ru),
    }
}

/// An amount as documents write it: "30 000,00" (no currency, spaces that do not break).
pub(crate) fn amount(minor: i64) -> String {
    crate::i18n::format_amount(Lang::Ru, minor)
}

pub(crate) fn short_date<D: LocalDate + ?Sized>(d: &D) -> String {
    d.local_date()
        .map(|d| format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()))
        .unwrap_or_else(|| d.to_string())
}

pub(crate) fn long_date<D: LocalDate + ?Sized>(lang: Lang, d: &D) -> String {
    d.local_date()
        .map(|d| format_date(lang, d))
        .unwrap_or_else(|| d.to_string())
}

pub(crate) fn text(v: &serde_json::Value, key: &str) -> String {
    v.get(key)
        .and_then(|x| x.as_str())
        .unwrap_or_default()
        .to_owned()
}

pub(crate) fn supplier_of(v: &serde_json::Value) -> pdf::Supplier {
    pdf::Supplier {
        name: text(v, "name"),
        bin: text(v, "bin"),
        address: text(v, "address"),
        phone: text(v, "phone"),
        email: text(v, "email"),
        bank: text(v, "bank"),
        iik: text(v, "iik"),
        bik: text(v, "bik"),
        kbe: text(v, "kbe"),
        knp: text(v, "knp"),
        signer: text(v, "signer"),
    }
}

pub(crate) fn customer_of(v: &serde_json::Value, address: &str) -> pdf::Customer {
    let snapshot_address = text(v, "address");
    pdf::Customer {
        name: text(v, "name"),
        // A legal entity shows its BIN; an individual and a sole proprietor their IIN.
        id_kind: if LicenseeKind::parse(&text(v, "kind")) == Some(LicenseeKind::LegalEntity) {
            "bin".into()
        } else {
            "iin".into()
        },
        id: text(v, "bin_iin"),
        address: if snapshot_address.is_empty() {
            address.to_owned()
        } else {
            snapshot_address
        },
    }
}

pub(crate) fn vat_lines(lang: DocLang, percent: Option<i64>, total: i64) -> (String, String) {
    match percent.and_then(|p| u8::try_from(p).ok()) {
        Some(p) => (
            match lang {
                DocLang::Ru => format!("В том числе НДС {p}%:"),
                DocLang::Kk => format!("Оның ішінде ҚҚС {p}%:"),
            },
            amount(vat_included(total, p)),
        ),
        None => (
            match lang {
                DocLang::Ru => "Без НДС".into(),
                DocLang::Kk => "ҚҚС-сыз".into(),
            },
            String::new(),
        ),
    }
}

pub(crate) fn words(minor: i64, currency: &str, lang: DocLang) -> String {
    amount_in_words(minor.max(0), currency, lang).unwrap_or_default()
}
