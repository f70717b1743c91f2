//! Offer versions: the objection window (R-2.3b, A-3) and the end of a contract after a notice
//! (R-2.3c, R-8.2, A-12).

use jiff::{
    Span, Timestamp,
    civil::{Date, Time},
};

use crate::{
    calendar::{BusinessCalendar, BusinessDate},
    clock::almaty,
};

/// The last day to object to a version published on `published_on`: publication date + 5
/// calendar days, moved to the next business day when that is a day off (R-2.3b, A-3).
pub fn objection_deadline(calendar: &BusinessCalendar, published_on: Date) -> BusinessDate {
    calendar.roll_forward(published_on.saturating_add(Span::new().days(5)))
}

/// When a licensee who did not object is deemed to accept: 00:00 in Asia/Almaty on the day
/// after the objection deadline (R-2.3b).
pub fn deemed_acceptance_at(calendar: &BusinessCalendar, published_on: Date) -> (Timestamp, bool) {
    let deadline = objection_deadline(calendar, published_on);
    let day_after = deadline.date.saturating_add(Span::new().days(1));
    let at = almaty()
        .to_ambiguous_timestamp(day_after.to_datetime(Time::midnight()))
        .compatible()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    (at, deadline.provisional)
}

/// The last day a contract stays in force after a termination notice (or an objection to a
/// new version) filed on `filed_on`: the 10th business day after it, to 23:59:59.
pub fn notice_end_date(calendar: &BusinessCalendar, filed_on: Date) -> BusinessDate {
    calendar.add_business_days(filed_on, 10)
}

/// How long a refused tenant's data is kept (R-4.4a, A-14): 60 days.
pub const REFUSAL_RETENTION_DAYS: i32 = 60;

/// What a written refusal during the trial schedules (R-4.4a).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusalDates {
    /// The day the data is purged: the refusal date + 60 days.
    pub purge_on: Date,
    /// The last day the purge warning may go out: 10 business days before the purge, so that
    /// this day + 10 business days is still before the purge day.
    pub warning_by: BusinessDate,
}

pub fn refusal_dates(calendar: &BusinessCalendar, refused_on: Date) -> RefusalDates {
    let purge_on = refused_on.saturating_add(Span::new().days(REFUSAL_RETENTION_DAYS));
    let last_day = purge_on.saturating_sub(Span::new().days(1));
    // The latest day from which 10 business days still end before the purge day.
    let mut day = last_day;
    let mut reached = calendar.add_business_days(day, 10);
    while reached.date > last_day && day > refused_on {
        day = day.saturating_sub(Span::new().days(1));
        reached = calendar.add_business_days(day, 10);
    }
    RefusalDates {
        purge_on,
        warning_by: BusinessDate {
            date: day,
            provisional: reached.provisional,
        },
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::calendar::tests::kz;

    #[test]
    fn published_on_a_wednesday_the_window_ends_on_monday() {
        // R-2.3b: v4 published Wed 2025-04-02, no objection: deemed at 2025-04-08 00:00.
        let cal = kz();
        assert_eq!(
            objection_deadline(&cal, date(2025, 4, 2)).date,
            date(2025, 4, 7)
        );
        let (at, provisional) = deemed_acceptance_at(&cal, date(2025, 4, 2));
        assert_eq!(at.to_string(), "2025-04-07T19:00:00Z"); // 00:00 on 8 April in Almaty
        assert!(!provisional);
    }

    #[test]
    fn a_fifth_day_on_a_saturday_rolls_to_monday() {
        // R-2.3b: published Mon 2025-03-10, the 5th day is Sat 15 March: the window rolls to
        // Mon 17 March and the deemed acceptance falls at 2025-03-18 00:00.
        let cal = kz();
        assert_eq!(
            objection_deadline(&cal, date(2025, 3, 10)).date,
            date(2025, 3, 17)
        );
        let (at, _) = deemed_acceptance_at(&cal, date(2025, 3, 10));
        assert_eq!(at.to_string(), "2025-03-17T19:00:00Z");
    }

    #[test]
    fn a_fifth_day_on_nauryz_rolls_past_the_holidays() {
        // Published Tue 2025-03-18: the 5th day is Sun 23 March; 24-25 March are Nauryz days
        // off, so the window ends on Wed 26 March.
        assert_eq!(
            objection_deadline(&kz(), date(2025, 3, 18)).date,
            date(2025, 3, 26)
        );
    }

    #[test]
    fn an_objection_keeps_the_contract_for_ten_business_days() {
        // R-2.3c: an objection on Mon 2025-04-07 keeps the contract in force through
        // 2025-04-21 (the 10th business day).
        assert_eq!(
            notice_end_date(&kz(), date(2025, 4, 7)).date,
            date(2025, 4, 21)
        );
        // Over the May holidays of 2025 (1, 7 and 9 May are days off).
        assert_eq!(
            notice_end_date(&kz(), date(2025, 4, 28)).date,
            date(2025, 5, 15)
        );
    }

    #[test]
    fn a_refusal_keeps_the_data_sixty_days_and_warns_ten_business_days_ahead() {
        // R-4.4a: a refusal on 2025-03-10 schedules the purge for 2025-05-09; the warning must
        // go out by 2025-04-22, since 22 April + 10 business days = 8 May (1, 7 and 9 May are
        // days off), and 23 April + 10 business days would be 12 May.
        let dates = refusal_dates(&kz(), date(2025, 3, 10));
        assert_eq!(dates.purge_on, date(2025, 5, 9));
        assert_eq!(dates.warning_by.date, date(2025, 4, 22));
        assert!(!dates.warning_by.provisional);
        assert_eq!(
            kz().add_business_days(date(2025, 4, 22), 10).date,
            date(2025, 5, 8)
        );
    }
}
