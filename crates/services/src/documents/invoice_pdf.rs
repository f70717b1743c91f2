//! Invoices as PDFs, for the school and for the operator, typeset on the blocking pool.

use super::*;
use educenter_domain::ids::InvoiceId;

/// An invoice as a PDF: (file name, bytes). Any of the school's billing people.
pub async fn invoice_pdf(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    let view = crate::billing::invoices::invoice(services, who, id).await?;
    render_invoice(services, view.invoice, view.lines).await
}

/// Any school's invoice as a PDF, for the billing officer.
pub async fn operator_invoice_pdf(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    require_operator(who, OperatorAction::ManageBilling)?;
    let id = &InvoiceId::new(id);
    let mut conn = services.db.conn().await?;
    let invoice = bstore::invoice_by_id(&mut conn, id)
        .await?
        .ok_or_else(|| ServiceError::NotFound(Msg::new("err-no-invoice")))?;
    let lines = bstore::lines(&mut conn, &invoice.tenant_id, id).await?;
    drop(conn);
    render_invoice(services, invoice, lines).await
}

pub(crate) async fn render_invoice(
    services: &Services,
    invoice: Invoice,
    lines: Vec<bstore::Line>,
) -> Result<(String, Vec<u8>), ServiceError> {
    let mut conn = services.db.conn().await?;
    let (lang_code, address) = store::tenant_settings(&mut conn, &invoice.tenant_id).await?;
    // Invoices issued before the requisites were versioned lack some keys: version 1 fills them.
    let mut supplier = supplier_of(&invoice.supplier);
    if supplier.kbe.is_empty()
        && let Some(v1) = store::profile_version(&mut conn, 1).await?
    {
        let fill = |field: &mut String, value: &str| {
            if field.is_empty() {
                *field = value.to_owned();
            }
        };
        fill(&mut supplier.phone, &v1.phone);
        fill(&mut supplier.email, &v1.email);
        fill(&mut supplier.kbe, &v1.kbe);
        fill(&mut supplier.knp, &v1.knp);
        fill(&mut supplier.signer, &v1.signer);
    }
    drop(conn);
    let (plang, dlang, lang) = doc_lang(lang_code);
    let vat = invoice
        .supplier
        .get("vat_percent")
        .and_then(serde_json::Value::as_i64);
    let (vat_label, vat_amount) = vat_lines(dlang, vat, invoice.total_minor);
    let unit = match dlang {
        DocLang::Ru => "усл.",
        DocLang::Kk => "қызм.",
    };
    let doc = pdf::Invoice {
        lang: plang,
        number: invoice.number.clone(),
        date: long_date(lang, &invoice.issued_on),
        due: long_date(lang, &invoice.due_on),
        // counted without the year's business calendar, the date may still move.
        due_note: if invoice.due_on_provisional {
            match dlang {
                DocLang::Ru => "предварительно: производственный календарь года ещё не загружен",
                DocLang::Kk => "алдын ала: жылдың өндірістік күнтізбесі әлі жүктелмеген",
            }
            .into()
        } else {
            String::new()
        },
        supplier,
        customer: customer_of(&invoice.customer, &address),
        contract: match dlang {
            DocLang::Ru => "Публичная оферта EduCenter (договор присоединения)".into(),
            DocLang::Kk => "EduCenter жария офертасы (қосылу шарты)".into(),
        },
        lines: lines
            .iter()
            .map(|l| pdf::InvoiceLine {
                description: l
                    .description_in(match dlang {
                        DocLang::Ru => "ru",
                        DocLang::Kk => "kk",
                    })
                    .to_owned(),
                quantity: "1".into(),
                unit: unit.into(),
                price: amount(l.amount_minor),
                amount: amount(l.amount_minor),
            })
            .collect(),
        total: amount(invoice.total_minor),
        currency: invoice.currency.as_str().to_owned(),
        vat_label,
        vat_amount,
        total_words: words(invoice.total_minor, invoice.currency.as_str(), dlang),
        purpose: {
            let service = invoice.purpose == InvoicePurpose::Service;
            match dlang {
                DocLang::Ru => format!(
                    "Оплата по счёту № {} от {} за {} EduCenter",
                    invoice.number,
                    short_date(&invoice.issued_on),
                    if service {
                        "услуги"
                    } else {
                        "лицензию"
                    }
                ),
                DocLang::Kk => format!(
                    "{} жылғы № {} шот бойынша EduCenter {} үшін төлем",
                    short_date(&invoice.issued_on),
                    invoice.number,
                    if service {
                        "қызметтері"
                    } else {
                        "лицензиясы"
                    }
                ),
            }
        },
        stamp: match (invoice.status, dlang) {
            (InvoiceStatus::Paid, DocLang::Ru) => "Оплачен".into(),
            (InvoiceStatus::Paid, DocLang::Kk) => "Төленді".into(),
            (InvoiceStatus::Void, DocLang::Ru) => "Аннулирован".into(),
            (InvoiceStatus::Void, DocLang::Kk) => "Жойылды".into(),
            (InvoiceStatus::Issued | InvoiceStatus::Overdue, _) => String::new(),
        },
    };
    let bytes = typeset(move || pdf::invoice_pdf(&doc)).await?;
    Ok((format!("invoice-{}.pdf", invoice.number), bytes))
}

/// Typesetting takes tens of milliseconds of CPU: off the async workers.
pub(crate) async fn typeset(
    f: impl FnOnce() -> Result<Vec<u8>, pdf::DocumentError> + Send + 'static,
) -> Result<Vec<u8>, ServiceError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServiceError::Internal(format!("typesetting stopped: {e}")))?
        .map_err(|e| ServiceError::Internal(e.to_string()))
}
