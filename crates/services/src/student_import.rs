//! Importing a school's students from a CSV file as people export it from a spreadsheet
//! (issue 15, item 12): UTF-8 with or without a BOM or Windows-1251 (what Excel saves in
//! Kazakhstan), `;` or `,` between columns, column names in Russian, Kazakh or English, and
//! every refused row reported by its row number as the spreadsheet shows it. All rows or none.

use educenter_store::{accounts as users, audit::Origin};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    learning::{RowError, StudentInput, check_student, create_students, manager},
};

/// The most rows one import takes.
pub const IMPORT_MAX_ROWS: usize = 5000;

/// The text of an uploaded file: UTF-8 (a BOM is dropped), or else Windows-1251.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1251.decode(bytes).0.into_owned(),
    }
}

/// The column a header names: its English name, or the Russian and Kazakh words spreadsheets
/// use for it.
fn column(header: &str) -> Option<&'static str> {
    let h: String = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let h = h.trim_end_matches(['.', ':', '*']);
    Some(match h {
        "full_name"
        | "full name"
        | "name"
        | "фио"
        | "ф.и.о"
        | "имя"
        | "полное имя"
        | "фамилия имя"
        | "фамилия, имя"
        | "ученик"
        | "студент"
        | "аты-жөні"
        | "аты жөні"
        | "толық аты-жөні"
        | "оқушы" => "full_name",
        "email"
        | "e-mail"
        | "е-mail"
        | "почта"
        | "эл. почта"
        | "электронная почта"
        | "электрондық пошта"
        | "пошта" => "email",
        "phone" | "телефон" | "тел" | "мобильный" | "телефон нөмірі" | "ұялы телефон" => {
            "phone"
        }
        "group" | "группа" | "класс" | "топ" | "сынып" => "group",
        _ => return None,
    })
}

/// Imports students from a CSV file (a header row first). Every row is checked first: any
/// refused row (a bad field, an e-mail twice in the file or already at the school) is reported
/// and nothing is imported.
pub async fn import(
    services: &Services,
    who: &Principal,
    file: &[u8],
    origin: Origin,
) -> Result<Result<usize, Vec<RowError>>, ServiceError> {
    let tenant = manager(who)?;
    let text = decode(file);
    let delimiter = match text.lines().next() {
        Some(h) if h.matches(';').count() > h.matches(',').count() => b';',
        _ => b',',
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let unreadable = || ServiceError::Invalid(vec![("csv".into(), Msg::new("err-csv-header"))]);
    let header: Vec<Option<&'static str>> = reader
        .headers()
        .map_err(|_| unreadable())?
        .iter()
        .map(column)
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == Some(name));
    let (Some(name_col), Some(email_col)) = (col("full_name"), col("email")) else {
        return Err(unreadable());
    };
    let (phone_col, group_col) = (col("phone"), col("group"));
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut seen = std::collections::HashMap::new();
    let mut conn = services.db.conn().await?;
    for (i, record) in reader.records().enumerate() {
        // The header is the spreadsheet's row 1.
        let row = i + 2;
        if i >= IMPORT_MAX_ROWS {
            return Err(ServiceError::Invalid(vec![(
                "csv".into(),
                Msg::new("err-csv-too-many").num("max", IMPORT_MAX_ROWS as i64),
            )]));
        }
        let Ok(record) = record else {
            errors.push(RowError {
                row,
                field: "csv".into(),
                message: Msg::new("err-csv-unreadable"),
            });
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        let input = StudentInput {
            full_name: get(Some(name_col)),
            email: get(Some(email_col)),
            phone: get(phone_col),
            group: get(group_col),
        };
        match check_student(&input) {
            Err(found) => errors.extend(found.into_iter().map(|(field, message)| RowError {
                row,
                field,
                message,
            })),
            Ok(checked) => {
                if let Some(first) = seen.insert(checked.1.clone(), row) {
                    errors.push(RowError {
                        row,
                        field: "email".into(),
                        message: Msg::new("err-csv-duplicate").num("row", first as i64),
                    });
                } else if users::find_any_by_email(&mut conn, &tenant, &checked.1)
                    .await?
                    .is_some()
                {
                    errors.push(RowError {
                        row,
                        field: "email".into(),
                        message: Msg::new("err-email-taken-school"),
                    });
                } else {
                    rows.push(checked);
                }
            }
        }
    }
    drop(conn);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    if rows.is_empty() {
        return Err(ServiceError::Invalid(vec![(
            "csv".into(),
            Msg::new("err-csv-empty"),
        )]));
    }
    let n = rows.len();
    create_students(services, who, &tenant, rows, true, origin).await?;
    Ok(Ok(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_decode_from_utf8_with_or_without_a_bom_and_from_windows_1251() {
        assert_eq!(decode("ФИО;E-mail".as_bytes()), "ФИО;E-mail");
        assert_eq!(decode(b"\xef\xbb\xbfname,email"), "name,email");
        // "ФИО" in Windows-1251.
        assert_eq!(decode(b"\xd4\xc8\xce;email"), "ФИО;email");
    }

    #[test]
    fn headers_in_three_languages_name_the_columns() {
        assert_eq!(column("ФИО"), Some("full_name"));
        assert_eq!(column(" Аты-жөні "), Some("full_name"));
        assert_eq!(column("\u{feff}full_name"), Some("full_name"));
        assert_eq!(column("Электронная  почта"), Some("email"));
        assert_eq!(column("E-mail:"), Some("email"));
        assert_eq!(column("Телефон"), Some("phone"));
        assert_eq!(column("Сынып"), Some("group"));
        assert_eq!(column("Примечание"), None);
    }
}
