//! Assignments (issue 19, item 4): a task the student answers with text and files; a teacher
//! accepts the work or returns it for revision, with comments and a grade; the student answers
//! again after a return. An accepted assignment completes its lesson.

use crate::named::named;

named! {
    /// Where a student's work on an assignment stands (`submissions.state`).
    pub enum SubmissionState {
        /// Answered; waits for a teacher.
        Submitted = "submitted",
        /// Returned for revision: the student answers again.
        Returned = "returned",
        /// Accepted: the lesson is complete.
        Accepted = "accepted",
    }
}

named! {
    /// What a teacher decides on work that waits.
    pub enum Decision {
        Accept = "accept",
        Return = "return",
    }
}

named! {
    /// What an entry of a submission's thread is (`submission_entries.kind`).
    pub enum EntryKind {
        /// The student's answer (text and files).
        Answer = "answer",
        /// A comment, by the student or the school's staff, that changes nothing.
        Comment = "comment",
        /// A teacher returned the work, saying why.
        Returned = "returned",
        /// A teacher accepted the work.
        Accepted = "accepted",
    }
}

/// The highest grade of an assignment (a grade is 0 to this, in points).
pub const MAX_GRADE: i64 = 100;
/// The most files one answer carries.
pub const MAX_FILES: usize = 10;
/// The longest answer or comment, in characters.
pub const MAX_TEXT: usize = 20_000;

impl SubmissionState {
    /// Whether the student may send an answer: their first, or again after a return.
    pub fn may_answer(state: Option<Self>) -> bool {
        matches!(state, None | Some(Self::Returned))
    }

    /// Whether a teacher may decide on the work now: only while it waits.
    pub fn may_decide(self) -> bool {
        self == Self::Submitted
    }

    /// Where the work stands after a decision.
    pub fn after(decision: Decision) -> Self {
        match decision {
            Decision::Accept => Self::Accepted,
            Decision::Return => Self::Returned,
        }
    }
}

impl EntryKind {
    /// The thread's entry a decision leaves.
    pub fn of(decision: Decision) -> Self {
        match decision {
            Decision::Accept => Self::Accepted,
            Decision::Return => Self::Returned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_student_answers_first_and_again_only_after_a_return() {
        assert!(SubmissionState::may_answer(None));
        assert!(SubmissionState::may_answer(Some(SubmissionState::Returned)));
        assert!(!SubmissionState::may_answer(Some(
            SubmissionState::Submitted
        )));
        assert!(!SubmissionState::may_answer(Some(
            SubmissionState::Accepted
        )));
    }

    #[test]
    fn only_waiting_work_is_decided_and_a_decision_says_where_it_goes() {
        assert!(SubmissionState::Submitted.may_decide());
        assert!(!SubmissionState::Returned.may_decide());
        assert!(!SubmissionState::Accepted.may_decide());
        assert_eq!(
            SubmissionState::after(Decision::Return),
            SubmissionState::Returned
        );
        assert_eq!(EntryKind::of(Decision::Accept), EntryKind::Accepted);
    }
}
