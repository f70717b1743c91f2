//! The rules of documents (issue 5): how a paid period is spread over monthly acts,
//! the act's objection window, and VAT included in a price.

use crate::named::named;

use jiff::{Span, civil::Date};

use crate::{
    billing::{days_between, prorate},
    calendar::BusinessCalendar,
};

/// A paid period as acts see it: both days included, and what was paid for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidPeriod {
    pub from: Date,
    pub to: Date,
    pub paid_minor: i64,
}

/// The part of a period that falls in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthShare {
    pub from: Date,
    pub to: Date,
    pub days: i64,
    pub amount_minor: i64,
}

fn total_days(p: &PaidPeriod) -> i64 {
    days_between(p.from, p.to) + 1
}

/// The days of the period in the month that `first` begins, up to `until` (included).
fn days_in(p: &PaidPeriod, first: Date, until: Date) -> Option<(Date, Date)> {
    let from = p.from.max(first);
    let to = p.to.min(first.last_of_month()).min(until);
    (from <= to).then_some((from, to))
}

/// The share of a period in the month that `month_first` (the 1st) begins: its days there x
/// the paid amount / the period's days, rounded half-up, the last month of the period taking
/// what is left so that the shares add up to exactly what was paid. `None` when the
/// period has no day in that month.
pub fn month_share(p: &PaidPeriod, month_first: Date) -> Option<MonthShare> {
    month_share_until(p, month_first, p.to)
}

/// [`month_share`] for a period whose contract ended on `until`: no day after it is counted,
/// and the value of the days after it is not acted (it was refunded or forfeited).
pub fn month_share_until(p: &PaidPeriod, month_first: Date, until: Date) -> Option<MonthShare> {
    let (from, to) = days_in(p, month_first, until)?;
    let days = days_between(from, to) + 1;
    let amount_minor = if to == p.to {
        // The last month: what was paid less the earlier months' rounded shares.
        let mut earlier = 0;
        let mut month = p.from.first_of_month();
        while month < month_first {
            if let Some((f, t)) = days_in(p, month, p.to) {
                earlier += prorate(p.paid_minor, days_between(f, t) + 1, total_days(p));
            }
            month = month.saturating_add(Span::new().months(1));
        }
        p.paid_minor - earlier
    } else {
        prorate(p.paid_minor, days, total_days(p))
    };
    Some(MonthShare {
        from,
        to,
        days,
        amount_minor,
    })
}

/// The day rate of a period, rounded half-up (shown on the act as the unit price).
pub fn day_rate(p: &PaidPeriod) -> i64 {
    prorate(p.paid_minor, 1, days_between(p.from, p.to) + 1)
}

/// The last day to object to an act published on `published_on`: 3 calendar days after it
/// (the window runs from the next day), moved to the next business day when it is a day off
/// . The act is accepted at 00:00 of the day after.
pub fn objection_window_end(cal: &BusinessCalendar, published_on: Date) -> Date {
    cal.roll_forward(published_on.saturating_add(Span::new().days(3)))
        .date
}

/// The first day of the month before `today`'s: the month whose acts are drawn up.
pub fn previous_month(today: Date) -> Date {
    today.first_of_month().saturating_sub(Span::new().months(1))
}

/// The last day a contract's licence days count: the local day before the instant it ended
/// (a contract ends at the end of its last day, so it ends at 00:00 of the next).
pub fn last_licence_day(ended_at: Option<jiff::Timestamp>) -> Option<Date> {
    ended_at.map(|t| {
        crate::clock::local_date(
            t.checked_sub(jiff::SignedDuration::from_micros(1))
                .unwrap_or(t),
        )
    })
}

/// The VAT included in an amount at `percent`: amount x percent / (100 + percent), half-up.
pub fn vat_included(amount_minor: i64, percent: u8) -> i64 {
    prorate(amount_minor, i64::from(percent), 100 + i64::from(percent))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn acts_are_drawn_up_for_the_month_before_and_a_contract_counts_to_the_day_before_its_end() {
        assert_eq!(previous_month(date(2027, 3, 1)), date(2027, 2, 1));
        assert_eq!(previous_month(date(2027, 1, 31)), date(2026, 12, 1));
        // Ended at 00:00 of 2027-03-10 in Almaty (UTC+5): its last day is 2027-03-09.
        let ended: jiff::Timestamp = "2027-03-09T19:00:00Z".parse().unwrap();
        assert_eq!(last_licence_day(Some(ended)), Some(date(2027, 3, 9)));
        // Ended a second later: 2027-03-10 counts.
        let later: jiff::Timestamp = "2027-03-09T19:00:01Z".parse().unwrap();
        assert_eq!(last_licence_day(Some(later)), Some(date(2027, 3, 10)));
        assert_eq!(last_licence_day(None), None);
    }

    fn shares(p: &PaidPeriod) -> Vec<MonthShare> {
        let mut out = Vec::new();
        let mut month = p.from.first_of_month();
        while month <= p.to {
            out.extend(month_share(p, month));
            month = month.saturating_add(Span::new().months(1));
        }
        out
    }

    #[test]
    fn a_one_month_period_over_april_and_may() {
        // SPEC R-5.9 / issue 5: 30 000.00 KZT for 2027-04-08..2027-05-07.
        let p = PaidPeriod {
            from: date(2027, 4, 8),
            to: date(2027, 5, 7),
            paid_minor: 3_000_000,
        };
        let s = shares(&p);
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].days, s[0].amount_minor), (23, 2_300_000));
        assert_eq!((s[1].days, s[1].amount_minor), (7, 700_000));
        assert_eq!(day_rate(&p), 100_000);
    }

    #[test]
    fn a_three_month_period_adds_up_to_the_tiyn() {
        // Issue 5: 100 000.00 KZT over 2027-01-15..2027-04-14 (90 days).
        let p = PaidPeriod {
            from: date(2027, 1, 15),
            to: date(2027, 4, 14),
            paid_minor: 10_000_000,
        };
        let s = shares(&p);
        let amounts: Vec<i64> = s.iter().map(|m| m.amount_minor).collect();
        assert_eq!(amounts, [1_888_889, 3_111_111, 3_444_444, 1_555_556]);
        assert_eq!(amounts.iter().sum::<i64>(), 10_000_000);
        assert_eq!(s.iter().map(|m| m.days).sum::<i64>(), 90);
    }

    #[test]
    fn the_last_month_absorbs_the_rounding() {
        // 10.00 over 2027-01-31..2027-03-01 (30 days): January 1 day (0.33), February 28 days
        // (9.33), March what is left (0.34).
        let p = PaidPeriod {
            from: date(2027, 1, 31),
            to: date(2027, 3, 1),
            paid_minor: 1_000,
        };
        let amounts: Vec<i64> = shares(&p).iter().map(|m| m.amount_minor).collect();
        assert_eq!(amounts, [33, 933, 34]);
    }

    #[test]
    fn a_contract_ended_early_acts_no_day_after_its_end() {
        let p = PaidPeriod {
            from: date(2027, 4, 8),
            to: date(2027, 5, 7),
            paid_minor: 3_000_000,
        };
        let s = month_share_until(&p, date(2027, 4, 1), date(2027, 4, 20)).unwrap();
        assert_eq!((s.days, s.amount_minor), (13, 1_300_000));
        assert_eq!(
            month_share_until(&p, date(2027, 5, 1), date(2027, 4, 20)),
            None
        );
    }

    #[test]
    fn a_twelve_month_period_adds_up_over_thirteen_months() {
        // 360 000.00 KZT over 2027-01-15..2028-01-14 (365 days): 13 monthly shares.
        let p = PaidPeriod {
            from: date(2027, 1, 15),
            to: date(2028, 1, 14),
            paid_minor: 36_000_000,
        };
        let s = shares(&p);
        assert_eq!(s.len(), 13);
        assert_eq!(s.iter().map(|m| m.days).sum::<i64>(), 365);
        assert_eq!(s.iter().map(|m| m.amount_minor).sum::<i64>(), 36_000_000);
        // January: 17 days of 365 → 1 676 712.33 (half-up).
        assert_eq!(s[0].amount_minor, 1_676_712);
    }

    #[test]
    fn the_objection_window_rolls_over_days_off() {
        let cal = BusinessCalendar::new([]);
        // Published Fri 2025-05-02: the window's last day is Mon 5 May (a working day).
        assert_eq!(
            objection_window_end(&cal, date(2025, 5, 2)),
            date(2025, 5, 5)
        );
        // Published Wed 2027-04-07: +3 is Sat 10 April, rolled to Mon 12 April.
        assert_eq!(
            objection_window_end(&cal, date(2027, 4, 7)),
            date(2027, 4, 12)
        );
    }

    #[test]
    fn vat_included_at_16_percent() {
        // DOCUMENTS-KZ §3: 25 000,00 → 3 448,28; 1 234 567,89 → 170 285,23.
        assert_eq!(vat_included(2_500_000, 16), 344_828);
        assert_eq!(vat_included(123_456_789, 16), 17_028_523);
    }

    proptest! {
        #[test]
        fn the_shares_of_a_period_add_up_to_what_was_paid(
            start in 0i64..3000, days in 1i64..400, paid in 0i64..10_000_000_000
        ) {
            let from = date(2025, 1, 1).saturating_add(Span::new().days(start));
            let p = PaidPeriod { from, to: from.saturating_add(Span::new().days(days - 1)), paid_minor: paid };
            let s = shares(&p);
            prop_assert_eq!(s.iter().map(|m| m.amount_minor).sum::<i64>(), paid);
            prop_assert_eq!(s.iter().map(|m| m.days).sum::<i64>(), days);
            prop_assert!(s.iter().all(|m| m.amount_minor >= 0));
        }
    }
}

named! {
    /// Where a monthly act stands (`acts.status`): published, then objected to within its window
    /// or accepted (by the owner, or by silence when the window ends).
    pub enum ActStatus {
        Published = "published",
        Objected = "objected",
        Accepted = "accepted",
    }
}

named! {
    /// Who recorded an objection to an act (`acts.objection_by`): the owner, from the cabinet or
    /// the API, or the billing officer, for an objection that came by e-mail.
    pub enum ObjectionBy {
        Owner = "owner",
        Email = "email",
    }
}

named! {
    /// What a line of an act is for (`act_lines.kind`): a licence period or a service.
    pub enum ActLineKind {
        Licence = "licence",
        Service = "service",
    }
}

named! {
    /// The form of a copy of an act a school asks for (`act_copy_requests.kind`).
    pub enum CopyKind {
        Paper = "paper",
        Electronic = "electronic",
    }
}
