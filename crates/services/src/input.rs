//! Reading what people type into a register's form: free text and dates, each error kept
//! beside its field.

use jiff::civil::Date;

use crate::Msg;

/// The field's text, trimmed; an error beside it when it is not clean text of `min` to `max`
/// characters (several lines allowed past 300).
pub(crate) fn text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    errors: &mut Vec<(String, Msg)>,
) -> String {
    let value = value.trim();
    if let Some(m) = Msg::text_error(value, min, max, max > 300) {
        errors.push((field.into(), m));
    }
    value.to_owned()
}

/// A day that has come (`YYYY-MM-DD`, not after `today`, not before 2000); `None` with an
/// error beside the field otherwise.
pub(crate) fn past_date(
    field: &str,
    value: &str,
    today: Date,
    errors: &mut Vec<(String, Msg)>,
) -> Option<Date> {
    match value.trim().parse::<Date>() {
        Ok(d) if d > today => {
            errors.push((field.into(), Msg::new("err-date-not-future")));
            None
        }
        Ok(d) if d.year() >= 2000 => Some(d),
        _ => {
            errors.push((field.into(), Msg::date_format()));
            None
        }
    }
}
