//! The contract's rules for backups (R-7.6a, A-13): a full backup of the databases and media at
//! most 72 hours apart, a warning when none has succeeded for 48 hours and a critical alert at
//! 72, and no set kept longer than 30 days, so that what a school deletes leaves every backup
//! within 30 days.

use jiff::{SignedDuration, Timestamp};

use crate::named::named;

/// The longest the contract lets pass between two backups.
pub const MAX_INTERVAL: SignedDuration = SignedDuration::from_hours(72);
/// How old the last success may grow before the super-admin is warned.
pub const WARN_AFTER: SignedDuration = SignedDuration::from_hours(48);
/// How long a set is kept.
pub const RETENTION: SignedDuration = SignedDuration::from_hours(30 * 24);

named! {
    /// What a backup run does: write a set, check one by restoring it into scratch, or the
    /// monthly drill that does the check on the newest set.
    pub enum RunKind {
        Backup = "backup",
        Verify = "verify",
        Drill = "drill",
    }
}

named! {
    /// How a set's database copy was made: an SQLite file written by `VACUUM INTO`, or
    /// `pg_dump`'s custom format.
    pub enum CopyFormat {
        Sqlite = "sqlite",
        PgDump = "pg_dump",
    }
}

named! {
    /// Where a run is.
    pub enum RunStatus {
        Running = "running",
        Ok = "ok",
        Failed = "failed",
    }
}

named! {
    /// How grave an alert about backups is.
    pub enum AlertLevel {
        /// No success for 48 hours.
        Warning = "warning",
        /// No success for 72 hours: the contract's limit is passed.
        Critical = "critical",
    }
}

impl AlertLevel {
    /// How long after the last success this alert is raised.
    pub fn after(self) -> SignedDuration {
        match self {
            Self::Warning => WARN_AFTER,
            Self::Critical => MAX_INTERVAL,
        }
    }

    /// The instant this alert is due for a last success at `since`.
    pub fn due(self, since: Timestamp) -> Timestamp {
        since + self.after()
    }
}

/// Whether a set written at `written` must go at a run at `now`, when runs come `every` apart:
/// one that would be past 30 days before the next run goes now, so no set outlives 30 days.
pub fn expired(written: Timestamp, now: Timestamp, every: SignedDuration) -> bool {
    now.duration_since(written) > RETENTION - every
}

named! {
    /// Whose fault a loss of a school's data was.
    pub enum Fault {
        /// The licensor's: restored within 3 business days of the loss's confirmation, when
        /// technically possible.
        Licensor = "licensor",
        /// The school's own: restored on request as best we can, with no deadline.
        Licensee = "licensee",
    }
}

named! {
    /// Where a data-loss incident stands.
    pub enum IncidentStatus {
        Open = "open",
        Restored = "restored",
        /// Recorded with its reason: the data cannot be restored.
        Impossible = "impossible",
    }
}

/// The last day to restore data lost through `fault`, confirmed on `confirmed_on`: the
/// third business day after the confirmation when the licensor is at fault (the end of that
/// day, Almaty); none when the school is.
pub fn restore_deadline(
    cal: &crate::calendar::BusinessCalendar,
    fault: Fault,
    confirmed_on: jiff::civil::Date,
) -> Option<crate::calendar::BusinessDate> {
    match fault {
        Fault::Licensor => Some(cal.add_business_days(confirmed_on, 3)),
        Fault::Licensee => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_loss_confirmed_on_tuesday_29_april_2025_is_restored_by_monday_5_may() {
        // 1 May is a holiday, 3 and 4 May a weekend (SPEC ).
        let cal = crate::calendar::tests::kz();
        let due =
            super::restore_deadline(&cal, super::Fault::Licensor, jiff::civil::date(2025, 4, 29))
                .unwrap();
        assert_eq!(due.date, jiff::civil::date(2025, 5, 5));
        assert!(!due.provisional);
        assert!(
            super::restore_deadline(&cal, super::Fault::Licensee, jiff::civil::date(2025, 4, 29))
                .is_none()
        );
    }

    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn alerts_fall_48_and_72_hours_after_the_last_success() {
        let since = at("2027-03-01T02:00:00Z");
        assert_eq!(AlertLevel::Warning.due(since), at("2027-03-03T02:00:00Z"));
        assert_eq!(AlertLevel::Critical.due(since), at("2027-03-04T02:00:00Z"));
    }

    #[test]
    fn a_set_goes_at_the_last_run_before_it_turns_30_days_old() {
        let written = at("2027-03-01T02:00:00Z");
        let daily = SignedDuration::from_hours(24);
        assert!(!expired(written, at("2027-03-30T02:00:00Z"), daily));
        assert!(expired(written, at("2027-03-30T02:00:00.000001Z"), daily));
        assert!(!expired(written, at("2027-03-28T02:00:00Z"), MAX_INTERVAL));
        assert!(expired(written, at("2027-03-28T02:00:01Z"), MAX_INTERVAL));
    }
}
