//! Time as the product sees it: instants in UTC, contract dates as local dates in Asia/Almaty.

use std::sync::{Mutex, OnceLock};

use jiff::{Span, Timestamp, civil::Date, tz::TimeZone};

/// The only source of "now" for domain and service code. Injected, never global.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;

    /// Today's local contract date in Asia/Almaty.
    fn today(&self) -> Date {
        local_date(self.now())
    }
}

/// The time zone every contract date is expressed in (SPEC: binding decisions, "Time").
/// Taken from the tz database bundled into the binary, so the host's tzdata does not matter.
pub fn almaty() -> &'static TimeZone {
    static TZ: OnceLock<TimeZone> = OnceLock::new();
    TZ.get_or_init(|| {
        TimeZone::get("Asia/Almaty").expect("the bundled tz database contains Asia/Almaty")
    })
}

/// The local calendar date in Asia/Almaty of an instant.
pub fn local_date(at: Timestamp) -> Date {
    almaty().to_datetime(at).date()
}

/// The instant a contract act done on a local date is dated by: `now` when it is that date
/// today, else the start (00:00) of that date in Asia/Almaty. A payment is dated by the
/// money's receipt (value) date, never the moment it was keyed in (R-2.2c, R-5.6).
pub fn dated(on: Date, now: Timestamp) -> Timestamp {
    if local_date(now) == on {
        return now;
    }
    almaty()
        .to_ambiguous_timestamp(on.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .unwrap_or(now)
}

/// The instant a local date begins (00:00 in Asia/Almaty); `None` only at the ends of time.
pub fn start_of_day(on: Date) -> Option<Timestamp> {
    almaty()
        .to_ambiguous_timestamp(on.to_datetime(jiff::civil::Time::midnight()))
        .compatible()
        .ok()
}

/// Why a test clock refused to move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    #[error("the clock only moves forward: it is {now} and {requested} is earlier")]
    Backwards {
        now: Timestamp,
        requested: Timestamp,
    },
    #[error("the step must not be negative")]
    NegativeStep,
    #[error("the step is too large")]
    Overflow,
}

/// A clock that stands still until it is moved, and only moves forward.
#[derive(Debug)]
pub struct TestClock {
    now: Mutex<Timestamp>,
}

impl TestClock {
    pub fn new(start: Timestamp) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock to `to`; moving to the current instant is allowed, backwards is not.
    pub fn set(&self, to: Timestamp) -> Result<(), ClockError> {
        let mut now = self.now.lock().unwrap_or_else(|e| e.into_inner());
        if to < *now {
            return Err(ClockError::Backwards {
                now: *now,
                requested: to,
            });
        }
        *now = to;
        Ok(())
    }

    /// The instant `step` after now, without moving the clock.
    pub fn after(&self, step: Span) -> Result<Timestamp, ClockError> {
        if step.is_negative() {
            return Err(ClockError::NegativeStep);
        }
        // Days are calendar days in Asia/Almaty, so a day across a DST change (none since
        // 2024, but the tz database decides) is still "the same time tomorrow".
        let zoned = self.now().to_zoned_datetime(almaty().clone());
        zoned
            .checked_add(step)
            .map(|z| z.timestamp())
            .map_err(|_| ClockError::Overflow)
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.now.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn almaty_is_utc_plus_five_in_2026() {
        let at: Timestamp = "2026-11-28T20:30:00Z".parse().unwrap();
        assert_eq!(local_date(at), jiff::civil::date(2026, 11, 29));
        let at: Timestamp = "2026-11-28T18:59:59Z".parse().unwrap();
        assert_eq!(local_date(at), jiff::civil::date(2026, 11, 28));
    }

    #[test]
    fn test_clock_moves_forward_only() {
        let start: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let clock = TestClock::new(start);
        assert!(clock.set(start).is_ok());
        let earlier: Timestamp = "2026-12-31T23:59:59Z".parse().unwrap();
        assert!(matches!(
            clock.set(earlier),
            Err(ClockError::Backwards { .. })
        ));
        assert_eq!(clock.now(), start);
        let later = clock.after(Span::new().days(2).hours(3)).unwrap();
        assert_eq!(later.to_string(), "2027-01-03T03:00:00Z");
        assert_eq!(
            clock.after(Span::new().days(-1)),
            Err(ClockError::NegativeStep)
        );
    }
}

#[cfg(test)]
mod dated_tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn an_act_of_an_earlier_day_is_dated_at_its_start_in_almaty() {
        let now: Timestamp = "2025-04-16T07:30:00Z".parse().unwrap();
        assert_eq!(dated(date(2025, 4, 16), now), now);
        assert_eq!(
            dated(date(2025, 4, 14), now),
            "2025-04-13T19:00:00Z".parse::<Timestamp>().unwrap()
        );
    }
}
