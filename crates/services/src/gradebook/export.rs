//! A gradebook as a file, in the reader's language: CSV (UTF-8 with a byte-order mark, so
//! spreadsheets read the Cyrillic right; no cell starts a formula) and XLSX (grades as numbers,
//! the header row bold and frozen).

use educenter_domain::clock::almaty;
use educenter_domain::gradebook::{Cell, GradeState, percent_text};
use rust_xlsxwriter::{Format, Workbook};

use super::*;
use crate::i18n::Lang;

/// A value of the table: text, or a number (a percentage).
enum Value {
    Text(String),
    Number(f64, String),
}

impl Value {
    fn text(&self) -> &str {
        match self {
            Self::Text(t) | Self::Number(_, t) => t,
        }
    }
}

fn percent(grade: i64) -> Value {
    let text = percent_text(grade);
    Value::Number(text.parse().unwrap_or(0.0), text)
}

fn cell(services: &Services, lang: Lang, c: &Cell) -> Value {
    match (c.grade, c.state) {
        (Some(g), _) => percent(g),
        (None, GradeState::None) => Value::Text(String::new()),
        (None, s) => Value::Text(
            services
                .i18n
                .t(lang, &format!("grade-state-{}", s.as_str())),
        ),
    }
}

/// The table: a header, then a line per student.
fn table(services: &Services, lang: Lang, gb: &Gradebook) -> Vec<Vec<Value>> {
    let t = |key: &str| Value::Text(services.i18n.t(lang, key));
    let mut header = vec![t("gradebook-student"), t("gradebook-email")];
    header.extend(gb.items.iter().map(|i| Value::Text(i.title.clone())));
    header.extend([
        t("gradebook-course-grade"),
        t("gradebook-done"),
        t("gradebook-completed"),
    ]);
    let mut out = vec![header];
    for r in &gb.rows {
        let mut line = vec![
            Value::Text(r.full_name.clone()),
            Value::Text(r.email.clone()),
        ];
        line.extend(r.cells.iter().map(|c| cell(services, lang, c)));
        line.push(r.grade.map_or(Value::Text(String::new()), percent));
        line.push(Value::Text(format!("{}/{}", r.done, r.required)));
        line.push(Value::Text(
            r.completed_at
                .map(|t| almaty().to_datetime(t).date().to_string())
                .unwrap_or_default(),
        ));
        out.push(line);
    }
    out
}

/// The gradebook as CSV.
pub fn to_csv(services: &Services, lang: Lang, gb: &Gradebook) -> Result<Vec<u8>, ServiceError> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for line in table(services, lang, gb) {
        let cells: Vec<String> = line
            .iter()
            .map(|v| crate::exports::csv_cell(&serde_json::Value::from(v.text())))
            .collect();
        w.write_record(&cells)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
    }
    w.into_inner()
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

/// The gradebook as an XLSX workbook of one sheet.
pub fn to_xlsx(services: &Services, lang: Lang, gb: &Gradebook) -> Result<Vec<u8>, ServiceError> {
    let fail = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    // A sheet's name: at most 31 characters, none of []:*?/\.
    let name: String = gb
        .course
        .title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .take(31)
        .collect();
    // Nor may it start or end with an apostrophe; a name refused keeps the sheet's own.
    let name = name.trim().trim_matches('\'').trim();
    if !name.is_empty() {
        let _ = sheet.set_name(name);
    }
    let bold = Format::new().set_bold();
    for (r, line) in table(services, lang, gb).iter().enumerate() {
        let row = u32::try_from(r).unwrap_or(u32::MAX);
        for (c, v) in line.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            match (r, v) {
                (0, v) => sheet.write_string_with_format(row, col, v.text(), &bold),
                (_, Value::Number(n, _)) => sheet.write_number(row, col, *n),
                (_, Value::Text(t)) => sheet.write_string(row, col, t),
            }
            .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 1).map_err(fail)?;
    sheet.set_column_width(0, 28).map_err(fail)?;
    sheet.set_column_width(1, 28).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
