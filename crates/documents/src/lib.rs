//! EduCenter's documents (issue 5): the prepayment invoice («Счёт на оплату») and the act of
//! services rendered (form Р-1) as PDF, in Russian or Kazakh.
//!
//! The documents are typeset by typst from the templates in `templates/`, with the data as
//! JSON in `sys.inputs.data`. Everything a document shows arrives already formatted (amounts,
//! dates, the amount in words): this crate lays it out and nothing else. The fonts come from the
//! `typst-assets` crate and are embedded in every PDF (only the glyphs used), so a PDF reads
//! the same on a machine with no fonts: Libertinus Serif for text and New Computer Modern for
//! what Libertinus lacks (the tenge sign ₸); both cover Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і).
//!
//! The crate is kept apart from the others because typst is heavy to compile and rarely
//! changes: it builds once.

use std::sync::OnceLock;

use serde::Serialize;
use typst::{
    Library, LibraryExt, World,
    diag::{FileError, FileResult, SourceDiagnostic},
    foundations::{Bytes, Datetime, Dict, IntoValue},
    syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot},
    text::{Font, FontBook},
    utils::LazyHash,
};

/// The language of a document: Russian by default, Kazakh when the licensee chooses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ru,
    Kk,
}

/// The operator's requisites as they were on the document's date.
#[derive(Debug, Clone, Serialize)]
pub struct Supplier {
    pub name: String,
    pub bin: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub bank: String,
    pub iik: String,
    pub bik: String,
    pub kbe: String,
    pub knp: String,
    /// Who signs for the operator: position and name, e.g. "Директор Ахметов А. Б.".
    pub signer: String,
}

/// The licensee: a legal entity shows its BIN, an individual their IIN.
#[derive(Debug, Clone, Serialize)]
pub struct Customer {
    pub name: String,
    /// `bin` or `iin`: the template prints БИН/ИИН (БСН/ЖСН in Kazakh).
    pub id_kind: String,
    pub id: String,
    pub address: String,
}

/// A line of an invoice.
#[derive(Debug, Clone, Serialize)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub price: String,
    pub amount: String,
}

/// A prepayment invoice, formatted for print.
#[derive(Debug, Clone, Serialize)]
pub struct Invoice {
    pub lang: Lang,
    pub number: String,
    /// The issue date written long ("5 марта 2027 г.").
    pub date: String,
    /// The due date written long.
    pub due: String,
    /// A note beside the due date when it is provisional (counted without the year's business
    /// calendar), else empty.
    pub due_note: String,
    pub supplier: Supplier,
    pub customer: Customer,
    /// The contract: the offer accepted and the contract number, if any.
    pub contract: String,
    pub lines: Vec<InvoiceLine>,
    /// The total as people write it ("30 000,00").
    pub total: String,
    pub currency: String,
    /// The VAT line: ("В том числе НДС 16%:", "4 137,93") or ("Без НДС", "").
    pub vat_label: String,
    pub vat_amount: String,
    /// The total in words ("Тридцать тысяч тенге 00 тиын").
    pub total_words: String,
    /// The payment purpose the licensee copies into the payment order.
    pub purpose: String,
    /// "Оплачен", "Аннулирован" or empty: a stamp over a paid or void invoice.
    pub stamp: String,
}

/// A line of an act: one licence period's days in the month, or a service.
#[derive(Debug, Clone, Serialize)]
pub struct ActLine {
    pub description: String,
    /// The dates the service was rendered in the month ("08.04.2027 – 30.04.2027").
    pub period: String,
    pub unit: String,
    pub quantity: String,
    pub price: String,
    pub amount: String,
}

/// A monthly act of services rendered (form Р-1), formatted for print.
#[derive(Debug, Clone, Serialize)]
pub struct Act {
    pub lang: Lang,
    pub number: String,
    /// The date it was drawn up (dd.mm.yyyy).
    pub date: String,
    /// The month it covers, written out ("апрель 2027 г.").
    pub month: String,
    pub supplier: Supplier,
    pub customer: Customer,
    pub contract: String,
    pub lines: Vec<ActLine>,
    pub total_quantity: String,
    pub total: String,
    pub currency: String,
    pub vat_label: String,
    pub vat_amount: String,
    pub total_words: String,
    /// The date it was accepted (signed or deemed), empty while open.
    pub accepted_on: String,
}

/// What can go wrong while typesetting.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("the document could not be typeset: {0}")]
    Typeset(String),
    #[error("the document data could not be encoded: {0}")]
    Data(#[from] serde_json::Error),
}

/// A certificate of completing a course: every word already in its language.
#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    /// `ru`, `kk` or `en` (hyphenation and quotes).
    pub lang: String,
    /// The school's accent colour, `#RRGGBB`.
    pub accent: String,
    pub school: String,
    pub title: String,
    /// "This certifies that".
    pub intro: String,
    pub holder: String,
    /// "has completed the course".
    pub completed: String,
    pub course: String,
    pub date_label: String,
    pub date: String,
    pub code_label: String,
    pub code: String,
    pub verify_label: String,
    pub verify_url: String,
    /// The QR code of `verify_url`, as SVG.
    pub qr_svg: String,
}

const CERTIFICATE: &str = include_str!("../templates/certificate.typ");

/// Renders a certificate to PDF.
pub fn certificate_pdf(certificate: &Certificate) -> Result<Vec<u8>, DocumentError> {
    render(CERTIFICATE, &serde_json::to_string(certificate)?)
}

const INVOICE: &str = include_str!("../templates/invoice.typ");
const ACT: &str = include_str!("../templates/act.typ");

/// Renders an invoice to PDF.
pub fn invoice_pdf(invoice: &Invoice) -> Result<Vec<u8>, DocumentError> {
    render(INVOICE, &serde_json::to_string(invoice)?)
}

/// Renders an act to PDF.
pub fn act_pdf(act: &Act) -> Result<Vec<u8>, DocumentError> {
    render(ACT, &serde_json::to_string(act)?)
}

/// The fonts, parsed once: Libertinus Serif and New Computer Modern from `typst-assets`.
fn fonts() -> &'static (LazyHash<FontBook>, Vec<Font>) {
    static FONTS: OnceLock<(LazyHash<FontBook>, Vec<Font>)> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .filter(|f| {
                let family = f.info().family.as_str();
                family.starts_with("Libertinus Serif") || family == "New Computer Modern"
            })
            .collect();
        (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
    })
}

struct DocumentWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.clone()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().1.get(index).cloned()
    }

    /// Documents carry their own dates; `today()` is not for them.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn render(template: &str, data: &str) -> Result<Vec<u8>, DocumentError> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data.into_value());
    let path = VirtualPath::new("main.typ")
        .map_err(|e| DocumentError::Typeset(format!("template path: {e:?}")))?;
    let id = RootedPath::new(VirtualRoot::Project, path).intern();
    let world = DocumentWorld {
        library: LazyHash::new(Library::builder().with_inputs(inputs).build()),
        main: Source::new(id, template.to_owned()),
    };
    let document: typst_layout::PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| DocumentError::Typeset(describe(&errors)))?;
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| DocumentError::Typeset(describe(&errors)));
    // typst memoizes across compilations in a process-wide cache: results unused for a few
    // documents are dropped, so a long-running server's memory stays flat (what every document
    // shares, like shaped label text, keeps being hit and stays).
    typst::comemo::evict(3);
    pdf
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn supplier() -> Supplier {
        Supplier {
            name: "ТОО «EduCenter»".into(),
            bin: "151140002258".into(),
            address: "г. Алматы, Алмалинский район, ул. Богенбай батыра, 150".into(),
            phone: "+7 727 000 00 00".into(),
            email: "billing@educenter.kz".into(),
            bank: "АО «ForteBank»".into(),
            iik: "KZ4796502F0008883813".into(),
            bik: "IRTYKZKA".into(),
            kbe: "17".into(),
            knp: "859".into(),
            signer: "Директор Ахметов А. Б.".into(),
        }
    }

    fn customer() -> Customer {
        Customer {
            name: "ТОО «Әлем оқу орталығы»".into(),
            id_kind: "bin".into(),
            id: "123456789013".into(),
            address: "Қарағанды қ., Бұқар жырау даңғылы, 1".into(),
        }
    }

    #[test]
    fn a_certificate_typesets_with_its_qr_code() {
        let c = Certificate {
            lang: "kk".into(),
            accent: "#0f766e".into(),
            school: "Әлем оқу орталығы".into(),
            title: "Сертификат".into(),
            intro: "Осы сертификат растайды:".into(),
            holder: "Әлия Нұрланқызы".into(),
            completed: "курсты сәтті аяқтады".into(),
            course: "Қазақ тілі".into(),
            date_label: "Күні".into(),
            date: "2027 жылғы 1 наурыз".into(),
            code_label: "Тексеру коды".into(),
            code: "ABCD-EFGH-JK".into(),
            verify_label: "Тексеру".into(),
            verify_url: "https://educenter.kz/verify/ABCD-EFGH-JK".into(),
            qr_svg: "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"5\" height=\"5\"/></svg>".into(),
        };
        let pdf = certificate_pdf(&c).expect("the certificate typesets");
        assert!(pdf.starts_with(b"%PDF-"));
        if let Ok(dir) = std::env::var("EDUCENTER_DOCUMENT_SAMPLES") {
            std::fs::write(format!("{dir}/certificate.pdf"), &pdf).unwrap();
        }
    }

    #[test]
    fn an_invoice_and_an_act_typeset_in_both_languages() {
        for lang in [Lang::Ru, Lang::Kk] {
            let invoice = Invoice {
                lang,
                number: "2027-000001".into(),
                date: "8 апреля 2027 г.".into(),
                due: "13 апреля 2027 г.".into(),
                due_note: String::new(),
                supplier: supplier(),
                customer: customer(),
                contract: "Публичная оферта, редакция 1".into(),
                lines: vec![InvoiceLine {
                    description: "Лицензия EduCenter, тариф «Старт», 1 мес. — қ ғ ү ұ ә ө һ і ң"
                        .into(),
                    quantity: "1".into(),
                    unit: "мес.".into(),
                    price: "30 000,00".into(),
                    amount: "30 000,00".into(),
                }],
                total: "30 000,00".into(),
                currency: "KZT".into(),
                vat_label: "Без НДС".into(),
                vat_amount: String::new(),
                total_words: "Тридцать тысяч тенге 00 тиын ₸".into(),
                purpose: "Оплата по счёту № 2027-000001".into(),
                stamp: String::new(),
            };
            let pdf = invoice_pdf(&invoice).expect("the invoice typesets");
            assert!(pdf.starts_with(b"%PDF-"));
            if let Ok(dir) = std::env::var("EDUCENTER_DOCUMENT_SAMPLES") {
                std::fs::write(format!("{dir}/invoice-{lang:?}.pdf"), &pdf).unwrap();
            }
            let act = Act {
                lang,
                number: "2027-000001".into(),
                date: "01.05.2027".into(),
                month: "апрель 2027 г.".into(),
                supplier: supplier(),
                customer: customer(),
                contract: "Публичная оферта, редакция 1".into(),
                lines: vec![ActLine {
                    description: "Лицензия EduCenter, тариф «Старт»".into(),
                    period: "08.04.2027 – 30.04.2027".into(),
                    unit: "дн.".into(),
                    quantity: "23".into(),
                    price: "1 000,00".into(),
                    amount: "23 000,00".into(),
                }],
                total_quantity: "23".into(),
                total: "23 000,00".into(),
                currency: "KZT".into(),
                vat_label: "Без НДС".into(),
                vat_amount: String::new(),
                total_words: "Двадцать три тысячи тенге 00 тиын".into(),
                accepted_on: String::new(),
            };
            let pdf = act_pdf(&act).expect("the act typesets");
            assert!(pdf.starts_with(b"%PDF-"));
            if let Ok(dir) = std::env::var("EDUCENTER_DOCUMENT_SAMPLES") {
                std::fs::write(format!("{dir}/act-{lang:?}.pdf"), &pdf).unwrap();
            }
        }
    }
}
