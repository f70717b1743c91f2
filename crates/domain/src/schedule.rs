//! Recurring schedules of background jobs, as pure functions of time.

use jiff::{SignedDuration, Timestamp, civil::Time};

use crate::clock::almaty;

/// When a recurring job is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Every day at a local wall-clock time in Asia/Almaty.
    DailyAt { hour: i8, minute: i8 },
    /// Every N hours, on the hours divisible by N counted from the Unix epoch (UTC).
    EveryHours(u16),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("a daily time needs 0 <= hour < 24 and 0 <= minute < 60")]
    BadTime,
    #[error("an interval needs at least one hour")]
    ZeroInterval,
}

impl Schedule {
    pub fn daily_at(hour: i8, minute: i8) -> Result<Self, ScheduleError> {
        if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
            return Err(ScheduleError::BadTime);
        }
        Ok(Self::DailyAt { hour, minute })
    }

    pub fn every_hours(hours: u16) -> Result<Self, ScheduleError> {
        if hours == 0 {
            return Err(ScheduleError::ZeroInterval);
        }
        Ok(Self::EveryHours(hours))
    }

    /// The first due instant strictly after `after`.
    pub fn next_after(&self, after: Timestamp) -> Timestamp {
        match *self {
            Schedule::DailyAt { hour, minute } => {
                let tz = almaty();
                let local = tz.to_datetime(after);
                let at = Time::new(hour, minute, 0, 0).unwrap_or(Time::midnight());
                let mut date = local.date();
                loop {
                    // `to_ambiguous_timestamp(...).compatible()` resolves a gap or fold the
                    // way people expect; Asia/Almaty has had neither since 2005.
                    let candidate = tz
                        .to_ambiguous_timestamp(date.to_datetime(at))
                        .compatible()
                        .unwrap_or(after);
                    if candidate > after {
                        return candidate;
                    }
                    date = date.tomorrow().unwrap_or(date);
                }
            }
            Schedule::EveryHours(hours) => {
                let step = i64::from(hours) * 3600;
                let secs = after.as_second();
                let next = (secs.div_euclid(step) + 1) * step;
                Timestamp::from_second(next).unwrap_or(after + SignedDuration::from_secs(step))
            }
        }
    }

    /// A stable text form, stored with the schedule so a changed definition is noticed.
    pub fn describe(&self) -> String {
        match *self {
            Schedule::DailyAt { hour, minute } => {
                format!("daily {hour:02}:{minute:02} Asia/Almaty")
            }
            Schedule::EveryHours(h) => format!("every {h} hours"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn daily_at_nine_almaty_is_four_utc() {
        let s = Schedule::daily_at(9, 0).unwrap();
        assert_eq!(
            s.next_after(ts("2027-03-01T03:00:00Z")),
            ts("2027-03-01T04:00:00Z")
        );
        // Exactly at the due instant: the next one is tomorrow.
        assert_eq!(
            s.next_after(ts("2027-03-01T04:00:00Z")),
            ts("2027-03-02T04:00:00Z")
        );
        // Late in the local evening (after 19:00 UTC it is already tomorrow in Almaty).
        assert_eq!(
            s.next_after(ts("2027-03-01T20:00:00Z")),
            ts("2027-03-02T04:00:00Z")
        );
    }

    #[test]
    fn every_six_hours_aligns_to_utc_multiples() {
        let s = Schedule::every_hours(6).unwrap();
        assert_eq!(
            s.next_after(ts("2027-03-01T05:59:59Z")),
            ts("2027-03-01T06:00:00Z")
        );
        assert_eq!(
            s.next_after(ts("2027-03-01T06:00:00Z")),
            ts("2027-03-01T12:00:00Z")
        );
    }

    #[test]
    fn bad_definitions_are_refused() {
        assert_eq!(Schedule::daily_at(24, 0), Err(ScheduleError::BadTime));
        assert_eq!(Schedule::daily_at(9, 60), Err(ScheduleError::BadTime));
        assert_eq!(Schedule::every_hours(0), Err(ScheduleError::ZeroInterval));
    }
}

/// How long to wait before attempt `failed + 1` after `failed` failed attempts: 30 s, 2 min,
/// 8 min, 32 min, then about 2 h, never more than 6 h.
pub fn retry_delay(failed: i64) -> SignedDuration {
    let exp = u32::try_from(failed.saturating_sub(1).clamp(0, 10)).unwrap_or(10);
    let secs = 30i64.saturating_mul(4i64.saturating_pow(exp));
    SignedDuration::from_secs(secs.min(6 * 3600))
}

#[cfg(test)]
mod retry_tests {
    use super::*;

    #[test]
    fn retry_delay_grows_and_is_capped() {
        assert_eq!(retry_delay(1), SignedDuration::from_secs(30));
        assert_eq!(retry_delay(2), SignedDuration::from_secs(120));
        assert_eq!(retry_delay(3), SignedDuration::from_secs(480));
        assert_eq!(retry_delay(9), SignedDuration::from_secs(6 * 3600));
        assert_eq!(retry_delay(0), SignedDuration::from_secs(30));
        assert!((1..20).all(|n| retry_delay(n) <= retry_delay(n + 1)));
    }
}
