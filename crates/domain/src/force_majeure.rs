//! Force majeure: a party hit by it is excused if it tells the other
//! within 10 days of the event, counted from when communication allows.

use jiff::{ToSpan, civil::Date};

use crate::named::named;

named! {
    /// Who was hit: the platform (it tells the schools) or a school (it tells the platform).
    pub enum Party {
        Licensor = "licensor",
        Licensee = "licensee",
    }
}

/// How many days a party has to tell the other.
pub const NOTICE_DAYS: i64 = 10;

/// The last day to tell the other party of an event of `onset`: 10 calendar days on, counted
/// from the day communication was restored when it was lost (that pauses the clock).
pub fn deadline(onset: Date, communication_restored: Option<Date>) -> Date {
    let from = communication_restored.map_or(onset, |r| r.max(onset));
    from.checked_add(NOTICE_DAYS.days()).unwrap_or(Date::MAX)
}

/// Whether a notice given on `notice` was late.
pub fn late(onset: Date, communication_restored: Option<Date>, notice: Date) -> bool {
    notice > deadline(onset, communication_restored)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn ten_days_from_the_onset_or_from_restored_communication() {
        // SPEC: onset 2025-07-01, deadline 2025-07-11; a broadcast on 07-02 is in time, a
        // school's notice on 07-15 is late.
        assert_eq!(deadline(date(2025, 7, 1), None), date(2025, 7, 11));
        assert!(!late(date(2025, 7, 1), None, date(2025, 7, 2)));
        assert!(!late(date(2025, 7, 1), None, date(2025, 7, 11)));
        assert!(late(date(2025, 7, 1), None, date(2025, 7, 15)));
        // Communication restored on 07-10: the clock starts again there.
        assert_eq!(
            deadline(date(2025, 7, 1), Some(date(2025, 7, 10))),
            date(2025, 7, 20)
        );
        assert!(!late(
            date(2025, 7, 1),
            Some(date(2025, 7, 10)),
            date(2025, 7, 15)
        ));
        // A restored date before the onset changes nothing.
        assert_eq!(
            deadline(date(2025, 7, 1), Some(date(2025, 6, 1))),
            date(2025, 7, 11)
        );
    }
}
