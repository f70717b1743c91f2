//! Typesetting speed: renders an invoice and an act N times each (default 200) and prints the
//! time per document and the peak resident memory. Run it with
//! `cargo run --release -p educenter-documents --example render -- 200`.

use std::time::Instant;

use educenter_documents::{
    Act, ActLine, Customer, Invoice, InvoiceLine, Lang, Supplier, act_pdf, invoice_pdf,
};

fn supplier() -> Supplier {
    Supplier {
        name: "ТОО «EduCenter»".into(),
        bin: "151140002258".into(),
        address: "г. Алматы, Алмалинский район, ул. Богенбай батыра, 150".into(),
        phone: "+7 727 339 00 00".into(),
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

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let invoice = Invoice {
        lang: Lang::Ru,
        number: "2027-000001".into(),
        date: "7 апреля 2027 г.".into(),
        due: "12 апреля 2027 г.".into(),
        due_note: String::new(),
        supplier: supplier(),
        customer: customer(),
        contract: "Публичная оферта EduCenter (договор присоединения)".into(),
        lines: vec![InvoiceLine {
            description: "Лицензия «Старт», 1 мес.".into(),
            quantity: "1".into(),
            unit: "усл.".into(),
            price: "30 000,00".into(),
            amount: "30 000,00".into(),
        }],
        total: "30 000,00".into(),
        currency: "KZT".into(),
        vat_label: "Без НДС".into(),
        vat_amount: String::new(),
        total_words: "Тридцать тысяч тенге 00 тиын".into(),
        purpose: "Оплата по счёту № 2027-000001 от 07.04.2027 за лицензию EduCenter".into(),
        stamp: String::new(),
    };
    let act = Act {
        lang: Lang::Kk,
        number: "2027-000001".into(),
        date: "01.05.2027".into(),
        month: "2027 жылғы сәуір".into(),
        supplier: supplier(),
        customer: customer(),
        contract: "EduCenter жария офертасы (қосылу шарты)".into(),
        lines: vec![ActLine {
            description: "EduCenter лицензиясы, «Старт» тарифі".into(),
            period: "08.04.2027 – 30.04.2027".into(),
            unit: "күн".into(),
            quantity: "23".into(),
            price: "1 000,00".into(),
            amount: "23 000,00".into(),
        }],
        total_quantity: "23".into(),
        total: "23 000,00".into(),
        currency: "KZT".into(),
        vat_label: "ҚҚС-сыз".into(),
        vat_amount: String::new(),
        total_words: "Жиырма үш мың теңге 00 тиын".into(),
        accepted_on: String::new(),
    };
    // The first document also parses the fonts; it is timed apart.
    let start = Instant::now();
    let first = invoice_pdf(&invoice).expect("invoice").len();
    let cold = start.elapsed();
    // Every document differs (its number and amount), as in real use, so typst's memoization
    // cannot answer from its cache.
    let start = Instant::now();
    let mut bytes = 0;
    for i in 0..n {
        let mut doc = invoice.clone();
        doc.number = format!("2027-{:06}", i + 2);
        doc.lines[0].amount = format!("{} 000,00", 30 + i);
        bytes += invoice_pdf(&doc).expect("invoice").len();
    }
    let per_invoice = start.elapsed() / n;
    let start = Instant::now();
    for i in 0..n {
        let mut doc = act.clone();
        doc.number = format!("2027-{:06}", i + 2);
        doc.lines[0].quantity = format!("{}", 1 + i % 30);
        bytes += act_pdf(&doc).expect("act").len();
    }
    let per_act = start.elapsed() / n;
    println!("first invoice (fonts parsed): {cold:?}, {first} bytes");
    println!("invoice: {per_invoice:?} each over {n}");
    println!("act:     {per_act:?} each over {n}");
    println!("average size: {} bytes", bytes / (2 * n as usize));
    println!("peak RSS: {} MiB", peak_rss_kib() / 1024);
}
