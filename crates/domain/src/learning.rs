//! When a student may open a lesson (issue 6): release rules, the "in order" rule, and when a
//! played lesson counts as complete.

use crate::named::named;

use jiff::{ToSpan, civil::Date};

/// How long deleted content can be restored.
pub const TRASH_DAYS: i64 = 30;

/// A lesson's release rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Release {
    /// Opens on this local date.
    pub from: Option<Date>,
    /// Opens this many days after the student's enrolment.
    pub after_days: Option<i64>,
}

impl Release {
    /// The first day the lesson is open to a student enrolled on `enrolled_on`: the later of
    /// the two rules; `None` when no rule holds it back.
    pub fn opens_on(self, enrolled_on: Date) -> Option<Date> {
        let by_days = self
            .after_days
            .filter(|d| *d > 0)
            .and_then(|d| enrolled_on.checked_add(d.days()).ok());
        match (self.from, by_days) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Why a lesson is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locked {
    /// It opens on this date.
    Until(Date),
    /// The course goes in order and the lesson before this one is not complete.
    PreviousIncomplete,
    /// A stop-lesson before this one is not complete (its quiz not passed).
    Stop,
    /// The student is not enrolled, or the enrolment's access dates do not cover today.
    NotEnrolled,
}

/// What a student sees of a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonState {
    Open,
    Complete,
    Locked(Locked),
}

impl LessonState {
    /// The state's word (`open`, `complete`, `locked`), as pages name it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Complete => "complete",
            Self::Locked(_) => "locked",
        }
    }

    pub fn is_locked(self) -> bool {
        matches!(self, Self::Locked(_))
    }

    pub fn is_complete(self) -> bool {
        self == Self::Complete
    }
}

impl std::fmt::Display for LessonState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// Where a student is in a course as its outline goes lesson by lesson: whether the lesson
/// before is complete, and whether a stop-lesson before is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Before {
    pub previous_complete: bool,
    pub stopped: bool,
}

/// The state of a lesson for a student enrolled on `enrolled_on`, on `today`. A complete lesson
/// stays open to review; a date lock wins over the stop-lesson's and the order's (it says
/// when), and a stop-lesson's over the order's (it names the lesson to complete).
pub fn lesson_state(
    release: Release,
    enrolled_on: Date,
    today: Date,
    in_order: bool,
    before: Before,
    complete: bool,
) -> LessonState {
    if complete {
        return LessonState::Complete;
    }
    if let Some(on) = release.opens_on(enrolled_on)
        && today < on
    {
        return LessonState::Locked(Locked::Until(on));
    }
    if before.stopped {
        return LessonState::Locked(Locked::Stop);
    }
    let previous_complete = before.previous_complete;
    if in_order && !previous_complete {
        return LessonState::Locked(Locked::PreviousIncomplete);
    }
    LessonState::Open
}

/// Share of a video or audio a student must play for the lesson to count as complete.
pub const AUTO_COMPLETE_PERCENT: i64 = 90;

/// Whether a position in a recording of `duration_ms` completes the lesson (90% played).
pub fn played_enough(position_ms: i64, duration_ms: i64) -> bool {
    duration_ms > 0
        && position_ms.saturating_mul(100) >= duration_ms.saturating_mul(AUTO_COMPLETE_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_later_rule_decides_when_a_lesson_opens() {
        let enrolled = date(2027, 3, 10);
        let both = Release {
            from: Some(date(2027, 3, 12)),
            after_days: Some(7),
        };
        assert_eq!(both.opens_on(enrolled), Some(date(2027, 3, 17)));
        let date_only = Release {
            from: Some(date(2027, 3, 12)),
            after_days: None,
        };
        assert_eq!(date_only.opens_on(enrolled), Some(date(2027, 3, 12)));
        assert_eq!(Release::default().opens_on(enrolled), None);
        assert_eq!(
            Release {
                from: None,
                after_days: Some(0)
            }
            .opens_on(enrolled),
            None
        );
    }

    #[test]
    fn a_lesson_locked_by_days_opens_on_that_day() {
        let r = Release {
            from: None,
            after_days: Some(3),
        };
        let enrolled = date(2027, 3, 10);
        assert_eq!(
            lesson_state(r, enrolled, date(2027, 3, 12), false, after(true), false),
            LessonState::Locked(Locked::Until(date(2027, 3, 13)))
        );
        assert_eq!(
            lesson_state(r, enrolled, date(2027, 3, 13), false, after(true), false),
            LessonState::Open
        );
    }

    #[test]
    fn in_order_waits_for_the_previous_lesson_and_complete_stays_open() {
        let d = date(2027, 3, 10);
        assert_eq!(
            lesson_state(Release::default(), d, d, true, after(false), false),
            LessonState::Locked(Locked::PreviousIncomplete)
        );
        assert_eq!(
            lesson_state(Release::default(), d, d, true, after(true), false),
            LessonState::Open
        );
        assert_eq!(
            lesson_state(Release::default(), d, d, true, after(false), true),
            LessonState::Complete
        );
        assert_eq!(
            lesson_state(Release::default(), d, d, false, after(false), false),
            LessonState::Open
        );
    }

    #[test]
    fn a_stop_lesson_closes_what_follows_until_it_is_complete_and_dates_still_say_when() {
        let d = date(2027, 3, 10);
        let stopped = Before {
            previous_complete: true,
            stopped: true,
        };
        assert_eq!(
            lesson_state(Release::default(), d, d, false, stopped, false),
            LessonState::Locked(Locked::Stop)
        );
        // In order too: the stop-lesson is named rather than "the previous one".
        let both = Before {
            previous_complete: false,
            stopped: true,
        };
        assert_eq!(
            lesson_state(Release::default(), d, d, true, both, false),
            LessonState::Locked(Locked::Stop)
        );
        let later = Release {
            from: Some(date(2027, 3, 20)),
            after_days: None,
        };
        assert_eq!(
            lesson_state(later, d, d, false, stopped, false),
            LessonState::Locked(Locked::Until(date(2027, 3, 20)))
        );
        // Done before the stop-lesson was set: it stays open to review.
        assert_eq!(
            lesson_state(Release::default(), d, d, false, stopped, true),
            LessonState::Complete
        );
    }

    fn after(previous_complete: bool) -> Before {
        Before {
            previous_complete,
            stopped: false,
        }
    }

    #[test]
    fn ninety_percent_played_completes() {
        assert!(!played_enough(89_999, 100_000));
        assert!(played_enough(90_000, 100_000));
        assert!(!played_enough(5_000, 0));
    }
}

named! {
    /// What a student consented to (`learner_consents.kind`): the school's privacy text, or its
    /// marketing mailings.
    pub enum ConsentKind {
        Privacy = "privacy",
        Marketing = "marketing",
    }
}

named! {
    /// How a student came to a course (`enrolments.source`): signed up on the school's site,
    /// or enrolled by the school's staff.
    pub enum EnrolmentSource {
        SelfSignUp = "self",
        Staff = "staff",
    }
}
