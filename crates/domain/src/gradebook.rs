//! The gradebook (issue 19, item 5): what a student has in each graded item of a course (its
//! quizzes and assignments) and the course grade made of them. Grades are kept as quizzes keep
//! them: ten-millionths of the item's maximum (10 000 000 = 100%).

use crate::assignments::{MAX_GRADE, SubmissionState};
use crate::named::named;
use crate::questions::Fraction;
use crate::quiz::{self, AttemptState, GradingMethod};

named! {
    /// Where a student stands in a graded item.
    pub enum GradeState {
        /// Nothing submitted yet.
        None = "none",
        /// Submitted; a teacher has yet to grade (an essay) or review (an assignment).
        Waiting = "waiting",
        /// An assignment returned for revision.
        Returned = "returned",
        /// A quiz below its grade to pass.
        Failed = "failed",
        /// A quiz passed, or an assignment accepted.
        Passed = "passed",
    }
}

/// A student's cell of the gradebook: where they stand and their grade, if they have one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub state: GradeState,
    /// Ten-millionths of the item's maximum.
    pub grade: Option<i64>,
}

impl Cell {
    pub const EMPTY: Self = Self {
        state: GradeState::None,
        grade: None,
    };
}

/// A quiz's cell from the student's attempts, first to last: (state, grade as
/// [`quiz::grade_of`] once graded). The grade is the quiz's over its attempts by its grading
/// method; an essay waiting for a teacher, with no grade yet, is "waiting".
pub fn quiz_cell(
    grading: GradingMethod,
    pass_percent: Option<u32>,
    attempts: &[(AttemptState, Option<i64>)],
) -> Cell {
    let ended: Vec<Option<i64>> = attempts
        .iter()
        .filter(|(s, _)| *s != AttemptState::InProgress)
        .map(|(_, g)| *g)
        .collect();
    if ended.is_empty() {
        return Cell::EMPTY;
    }
    match quiz::overall(grading, &ended) {
        Some(g) => Cell {
            state: if quiz::passes(g, pass_percent) {
                GradeState::Passed
            } else {
                GradeState::Failed
            },
            grade: Some(g),
        },
        None => Cell {
            state: GradeState::Waiting,
            grade: None,
        },
    }
}

/// An assignment's cell from the student's submission (`None`: not answered), its grade in
/// points out of [`MAX_GRADE`].
pub fn assignment_cell(submission: Option<(SubmissionState, Option<i64>)>) -> Cell {
    let Some((state, points)) = submission else {
        return Cell::EMPTY;
    };
    let grade =
        points.map(|p| p.clamp(0, MAX_GRADE) * i64::from(Fraction::FULL.units()) / MAX_GRADE);
    Cell {
        state: match state {
            SubmissionState::Submitted => GradeState::Waiting,
            SubmissionState::Returned => GradeState::Returned,
            SubmissionState::Accepted => GradeState::Passed,
        },
        grade,
    }
}

/// The course grade so far: the mean of the grades the student has (every graded item weighs
/// the same); `None` before any.
pub fn course_grade(cells: &[Cell]) -> Option<i64> {
    let graded: Vec<i64> = cells.iter().filter_map(|c| c.grade).collect();
    (!graded.is_empty()).then(|| graded.iter().sum::<i64>() / graded.len() as i64)
}

/// A grade as a percentage with one decimal, cut rather than rounded (99.96% is not 100%):
/// "87.5".
pub fn percent_text(grade: i64) -> String {
    let tenths = grade.max(0) / 10_000;
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: i64 = 10_000_000;

    #[test]
    fn a_quiz_cell_takes_the_grading_method_and_the_grade_to_pass() {
        let attempts = [
            (AttemptState::Graded, Some(FULL / 2)),
            (AttemptState::Graded, Some(FULL * 8 / 10)),
            (AttemptState::InProgress, None),
        ];
        let highest = quiz_cell(GradingMethod::Highest, Some(60), &attempts);
        assert_eq!(highest.grade, Some(FULL * 8 / 10));
        assert_eq!(highest.state, GradeState::Passed);
        let first = quiz_cell(GradingMethod::First, Some(60), &attempts);
        assert_eq!(first.grade, Some(FULL / 2));
        assert_eq!(first.state, GradeState::Failed);
        assert_eq!(quiz_cell(GradingMethod::Highest, None, &[]), Cell::EMPTY);
        let essay = quiz_cell(
            GradingMethod::Last,
            None,
            &[(AttemptState::Submitted, None)],
        );
        assert_eq!(essay.state, GradeState::Waiting);
        assert_eq!(essay.grade, None);
    }

    #[test]
    fn an_assignment_cell_follows_the_review_and_its_points() {
        assert_eq!(assignment_cell(None), Cell::EMPTY);
        let waiting = assignment_cell(Some((SubmissionState::Submitted, None)));
        assert_eq!(waiting.state, GradeState::Waiting);
        let back = assignment_cell(Some((SubmissionState::Returned, Some(40))));
        assert_eq!(
            (back.state, back.grade),
            (GradeState::Returned, Some(FULL * 4 / 10))
        );
        let ok = assignment_cell(Some((SubmissionState::Accepted, Some(90))));
        assert_eq!(
            (ok.state, ok.grade),
            (GradeState::Passed, Some(FULL * 9 / 10))
        );
    }

    #[test]
    fn the_course_grade_is_the_mean_of_the_grades_given_so_far() {
        let cells = [
            Cell {
                state: GradeState::Passed,
                grade: Some(FULL),
            },
            Cell {
                state: GradeState::Failed,
                grade: Some(FULL / 2),
            },
            Cell::EMPTY,
        ];
        assert_eq!(course_grade(&cells), Some(FULL * 3 / 4));
        assert_eq!(course_grade(&[Cell::EMPTY]), None);
        assert_eq!(percent_text(FULL * 3 / 4), "75");
        assert_eq!(percent_text(9_996_000), "99.9");
        assert_eq!(percent_text(FULL * 2 / 3), "66.6");
    }
}
