//! Business days in Kazakhstan (SPEC A-2) and the counting of periods.
//!
//! A business day is Monday to Friday, minus the weekday days off of the year's calendar
//! (public holidays, days moved by law or decree), plus the weekend days a decree makes
//! working days. The calendar is data per year, edited by the operator. A computation that
//! reaches a year with no calendar falls back to Monday-Friday without the fixed-date
//! holidays and says so: its result is `provisional`.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// One year of the calendar: weekday days off and working weekend days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCalendar {
    pub year: i16,
    /// Monday-Friday dates that are days off.
    pub non_working_days: BTreeSet<Date>,
    /// Saturday/Sunday dates that are working days.
    pub working_days: BTreeSet<Date>,
}

/// Why a year's calendar was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{0} is not in {1}")]
    WrongYear(Date, i16),
    #[error("{0} is a Saturday or Sunday: list only weekdays as days off")]
    WeekendDayOff(Date),
    #[error("{0} is a weekday: list only Saturdays and Sundays as working days")]
    WeekdayWorking(Date),
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The fixed-date public holidays of A-2, for a year with no loaded calendar: New Year (1-2
/// January), Orthodox Christmas (7 January), 8 March, Nauryz (21-23 March), Unity Day (1 May),
/// Defender of the Fatherland (7 May), Victory Day (9 May), Capital Day (6 July), Republic Day
/// (25 October), Independence Day (16 December), and Constitution Day (30 August up to 2025,
/// none in 2026, 15 March from 2027). Kurban Ait (lunar) and the transfers of a year are known
/// only from its calendar.
pub fn fixed_holiday(d: Date) -> bool {
    let (m, day) = (d.month(), d.day());
    let constitution = match d.year() {
        ..=2025 => (m, day) == (8, 30),
        2026 => false,
        _ => (m, day) == (3, 15),
    };
    constitution
        || matches!(
            (m, day),
            (1, 1 | 2 | 7) | (3, 8 | 21 | 22 | 23) | (5, 1 | 7 | 9) | (7, 6) | (10, 25) | (12, 16)
        )
}

impl YearCalendar {
    /// Checks that every date is in `year`, days off are weekdays and working days weekends.
    pub fn new(
        year: i16,
        non_working_days: impl IntoIterator<Item = Date>,
        working_days: impl IntoIterator<Item = Date>,
    ) -> Result<Self, Vec<CalendarError>> {
        let non_working_days: BTreeSet<Date> = non_working_days.into_iter().collect();
        let working_days: BTreeSet<Date> = working_days.into_iter().collect();
        let mut errors = Vec::new();
        for &d in &non_working_days {
            if d.year() != year {
                errors.push(CalendarError::WrongYear(d, year));
            } else if is_weekend(d) {
                errors.push(CalendarError::WeekendDayOff(d));
            }
        }
        for &d in &working_days {
            if d.year() != year {
                errors.push(CalendarError::WrongYear(d, year));
            } else if !is_weekend(d) {
                errors.push(CalendarError::WeekdayWorking(d));
            }
        }
        if errors.is_empty() {
            Ok(Self {
                year,
                non_working_days,
                working_days,
            })
        } else {
            Err(errors)
        }
    }
}

/// A date computed from the calendar; `provisional` when a year without a loaded calendar
/// was consulted on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BusinessDate {
    pub date: Date,
    pub provisional: bool,
}

/// The business-day calendar: the loaded years.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    years: BTreeMap<i16, YearCalendar>,
}

impl BusinessCalendar {
    pub fn new(years: impl IntoIterator<Item = YearCalendar>) -> Self {
        Self {
            years: years.into_iter().map(|y| (y.year, y)).collect(),
        }
    }

    pub fn year(&self, year: i16) -> Option<&YearCalendar> {
        self.years.get(&year)
    }

    pub fn years(&self) -> impl Iterator<Item = &YearCalendar> {
        self.years.values()
    }

    /// The years from `from`'s to `to`'s that have no loaded calendar: those a provisional
    /// result between the two dates was computed over.
    pub fn missing_years(&self, from: Date, to: Date) -> Vec<i16> {
        let (a, b) = if from <= to { (from, to) } else { (to, from) };
        (a.year()..=b.year())
            .filter(|y| !self.years.contains_key(y))
            .collect()
    }

    /// Whether `d` is a business day, and whether that answer is provisional.
    pub fn is_business_day(&self, d: Date) -> (bool, bool) {
        match self.years.get(&d.year()) {
            Some(y) => {
                let open = if is_weekend(d) {
                    y.working_days.contains(&d)
                } else {
                    !y.non_working_days.contains(&d)
                };
                (open, false)
            }
            None => (!is_weekend(d) && !fixed_holiday(d), true),
        }
    }

    /// The first business day strictly after `d`.
    pub fn next_business_day(&self, d: Date) -> BusinessDate {
        let mut provisional = false;
        let mut day = d;
        loop {
            day = match day.tomorrow() {
                Ok(t) => t,
                Err(_) => {
                    return BusinessDate {
                        date: day,
                        provisional: true,
                    };
                }
            };
            let (open, prov) = self.is_business_day(day);
            provisional |= prov;
            if open {
                return BusinessDate {
                    date: day,
                    provisional,
                };
            }
        }
    }

    /// `d` itself when it is a business day, else the next one: where a deadline for the
    /// licensee's own action lands when its last day is a day off.
    pub fn roll_forward(&self, d: Date) -> BusinessDate {
        let (open, provisional) = self.is_business_day(d);
        if open {
            BusinessDate {
                date: d,
                provisional,
            }
        } else {
            let next = self.next_business_day(d);
            BusinessDate {
                date: next.date,
                provisional: next.provisional || provisional,
            }
        }
    }

    /// The `n`-th business day after `d` (counting starts on d+1, A-3): "due within 3 business
    /// days of issue" is `add_business_days(issued_on, 3)`. `n = 0` gives `d`.
    pub fn add_business_days(&self, d: Date, n: u32) -> BusinessDate {
        let mut at = BusinessDate {
            date: d,
            provisional: false,
        };
        for _ in 0..n {
            let next = self.next_business_day(at.date);
            at = BusinessDate {
                date: next.date,
                provisional: at.provisional || next.provisional,
            };
        }
        at
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    /// The 2025 and 2026 calendars as seeded (weekday days off; no working weekends).
    pub(crate) fn kz() -> BusinessCalendar {
        let y2025 = YearCalendar::new(
            2025,
            [
                date(2025, 1, 1),
                date(2025, 1, 2),
                date(2025, 1, 7),
                date(2025, 3, 10),
                date(2025, 3, 21),
                date(2025, 3, 24),
                date(2025, 3, 25),
                date(2025, 5, 1),
                date(2025, 5, 7),
                date(2025, 5, 9),
                date(2025, 6, 6),
                date(2025, 7, 7),
                date(2025, 9, 1),
                date(2025, 10, 27),
                date(2025, 12, 16),
            ],
            [],
        )
        .unwrap();
        let y2026 = YearCalendar::new(
            2026,
            [
                date(2026, 1, 1),
                date(2026, 1, 2),
                date(2026, 1, 7),
                date(2026, 3, 9),
                date(2026, 3, 23),
                date(2026, 3, 24),
                date(2026, 3, 25),
                date(2026, 5, 1),
                date(2026, 5, 7),
                date(2026, 5, 11),
                date(2026, 5, 27),
                date(2026, 7, 6),
                date(2026, 10, 26),
                date(2026, 12, 16),
            ],
            [],
        )
        .unwrap();
        BusinessCalendar::new([y2025, y2026])
    }

    #[test]
    fn three_business_days_over_nauryz_2026() {
        // Issued Friday 2026-03-20: Mon 23, Tue 24, Wed 25 are Nauryz days off.
        let due = kz().add_business_days(date(2026, 3, 20), 3);
        assert_eq!(
            due,
            BusinessDate {
                date: date(2026, 3, 30),
                provisional: false
            }
        );
    }

    #[test]
    fn a_deadline_on_a_holiday_rolls_to_the_next_business_day() {
        // Saturday 2026-05-09 (Victory Day on a weekend): Mon 11 is the day off for it.
        let cal = kz();
        assert_eq!(cal.roll_forward(date(2026, 5, 9)).date, date(2026, 5, 12));
        assert_eq!(cal.roll_forward(date(2026, 5, 12)).date, date(2026, 5, 12));
        assert_eq!(
            cal.next_business_day(date(2026, 5, 12)).date,
            date(2026, 5, 13)
        );
    }

    #[test]
    fn a_decreed_working_saturday_counts() {
        let y = YearCalendar::new(2024, [date(2024, 3, 8)], [date(2024, 3, 2)]).unwrap();
        let cal = BusinessCalendar::new([y]);
        assert_eq!(cal.is_business_day(date(2024, 3, 2)), (true, false));
        assert_eq!(cal.is_business_day(date(2024, 3, 8)), (false, false));
        // Thu 2024-03-07 + 1 BD skips the Friday holiday and the weekend.
        assert_eq!(
            cal.add_business_days(date(2024, 3, 7), 1).date,
            date(2024, 3, 11)
        );
    }

    #[test]
    fn an_unloaded_year_is_provisional() {
        // SPEC A-2 test: an invoice issued 2025-12-30 before 2026 is loaded.
        // Monday to Friday minus the fixed-date holidays: 31 December, then 1-2 January are
        // New Year, 3-4 a weekend, so the 3rd business day is Tue 6 January, provisional.
        let cal = BusinessCalendar::new(kz().year(2025).cloned());
        let due = cal.add_business_days(date(2025, 12, 30), 3);
        assert_eq!(
            due,
            BusinessDate {
                date: date(2026, 1, 6),
                provisional: true
            }
        );
        assert_eq!(cal.missing_years(date(2025, 12, 30), due.date), [2026]);
        assert!(kz().missing_years(date(2025, 12, 30), due.date).is_empty());
        // With 2026 loaded, 1-2 January are days off.
        let due = kz().add_business_days(date(2025, 12, 30), 3);
        assert_eq!(
            due,
            BusinessDate {
                date: date(2026, 1, 6),
                provisional: false
            }
        );
    }

    #[test]
    fn without_a_calendar_the_fixed_date_holidays_are_days_off() {
        let none = BusinessCalendar::default();
        // Independence Day (Thu 2026-12-16), Nauryz (Tue 2027-03-23), Constitution Day from
        // 2027 (Mon 2027-03-15, none in 2026: Fri 2026-08-28 is a plain Friday).
        for day in [date(2026, 12, 16), date(2027, 3, 23), date(2027, 3, 15)] {
            assert_eq!(none.is_business_day(day), (false, true), "{day}");
        }
        for day in [date(2026, 12, 17), date(2027, 3, 16), date(2025, 8, 29)] {
            assert_eq!(none.is_business_day(day), (true, true), "{day}");
        }
        assert!(fixed_holiday(date(2025, 8, 30)));
        assert!(!fixed_holiday(date(2026, 8, 30)));
    }

    #[test]
    fn bad_years_are_refused() {
        let e = YearCalendar::new(
            2026,
            [date(2026, 3, 7), date(2025, 3, 9)],
            [date(2026, 3, 9)],
        )
        .unwrap_err();
        assert_eq!(
            e,
            [
                CalendarError::WrongYear(date(2025, 3, 9), 2026),
                CalendarError::WeekendDayOff(date(2026, 3, 7)),
                CalendarError::WeekdayWorking(date(2026, 3, 9)),
            ]
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i32..(4 * 366)).prop_map(|n| {
            date(2024, 1, 1)
                .checked_add(jiff::Span::new().days(n))
                .unwrap()
        })
    }

    proptest! {
        #[test]
        fn business_day_arithmetic_is_monotone(d in any_date(), n in 0u32..40, m in 0u32..40) {
            let cal = kz();
            let a = cal.add_business_days(d, n);
            let b = cal.add_business_days(d, n + m);
            prop_assert!(a.date <= b.date);
            if n > 0 {
                prop_assert!(a.date > d);
                prop_assert!(cal.is_business_day(a.date).0);
            }
            // Adding in two steps is adding once.
            let two = cal.add_business_days(a.date, m);
            prop_assert_eq!(two.date, b.date);
        }

        #[test]
        fn roll_forward_lands_on_a_business_day_within_two_weeks(d in any_date()) {
            let cal = kz();
            let r = cal.roll_forward(d);
            prop_assert!(r.date >= d);
            prop_assert!(cal.is_business_day(r.date).0);
            prop_assert!(r.date <= d.checked_add(jiff::Span::new().days(14)).unwrap());
        }
    }
}
