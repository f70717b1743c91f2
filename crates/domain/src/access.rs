//! The access log's words (R-2.5c): what an entry records, and how long entries are kept.

use jiff::Timestamp;

use crate::named::named;

named! {
    /// What happened: a request made by someone signed in, or a sign-in, a failed one, or a
    /// sign-out.
    pub enum AccessEvent {
        Request = "request",
        SignIn = "sign_in",
        SignInFailed = "sign_in_failed",
        SignOut = "sign_out",
    }
}

/// The instant before which entries may go at `now` (R-2.5c, A-14: kept for the contract term
/// plus three years): three calendar years before. An entry of a school goes only once the
/// school's data was purged (after its contract ended) before this instant; an entry of no
/// school (the operator's staff, a failed sign-in of an unknown address) once it was made
/// before it.
pub fn horizon(now: Timestamp) -> Timestamp {
    let utc = jiff::tz::TimeZone::UTC;
    utc.to_datetime(now)
        .checked_sub(jiff::Span::new().years(3))
        .ok()
        .and_then(|then| utc.to_timestamp(then).ok())
        .unwrap_or(Timestamp::MIN)
}

#[cfg(test)]
mod tests {
    #[test]
    fn entries_are_kept_three_calendar_years() {
        let now: jiff::Timestamp = "2028-02-29T10:00:00Z".parse().unwrap();
        assert_eq!(super::horizon(now).to_string(), "2025-02-28T10:00:00Z");
    }
}
