//! The compliance officer's cases: what opens one, why, and how it ends.

use crate::named::named;

named! {
    /// What a case is about: a visitor's report of a school's content, or a complaint about a
    /// school's mailing.
    pub enum CaseKind {
        ContentReport = "content_report",
        MailingComplaint = "mailing_complaint",
    }
}

named! {
    /// Why a visitor reports a page.
    pub enum ReportReason {
        /// Against the law of Kazakhstan (extremism, drugs, fraud...).
        Illegal = "illegal",
        /// Someone else's work published without their leave.
        Copyright = "copyright",
        /// Someone's personal data published without their consent.
        PersonalData = "personal_data",
        /// Harmful to children.
        Children = "children",
        Other = "other",
    }
}

named! {
    /// What a reported page shows: the school's site as a whole, a course or a lesson.
    pub enum CaseTarget {
        School = "school",
        Course = "course",
        Lesson = "lesson",
    }
}

named! {
    /// Where a case stands.
    pub enum CaseStatus {
        Open = "open",
        Closed = "closed",
    }
}

named! {
    /// How a case ended.
    pub enum CaseOutcome {
        /// Nothing to act on.
        NoAction = "no_action",
        /// The school took the content down itself.
        RemovedBySchool = "removed_by_school",
        /// The school was blocked (R-2.5a, R-7.10 a).
        Blocked = "blocked",
        /// The complainant was told who the school is (R-7.10 b).
        Disclosed = "disclosed",
    }
}

named! {
    /// Who a disclosure answers: an authority's request (R-2.5b), or a complaint about a
    /// school's mailing answered by telling the complainant who the school is (R-7.10 b).
    pub enum DisclosureKind {
        Authority = "authority",
        Complaint = "complaint",
    }
}

/// The number people read for case `n`: `C-12`.
pub fn case_number(n: i64) -> String {
    format!("C-{n}")
}

/// What a path of a school's site (`/s/{slug}/...`, or the same without the prefix on the
/// school's own host) shows: a course (`courses/{id}`), a lesson (`lessons/{id}`), or the site
/// as a whole (anything else). `None` when the path is of another school's site.
pub fn target_of(path: &str, slug: &str) -> Option<(CaseTarget, Option<String>)> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let rest = match path.strip_prefix("/s/") {
        Some(rest) => {
            let (site, rest) = rest.split_once('/').unwrap_or((rest, ""));
            if site != slug {
                return None;
            }
            rest
        }
        None => path.trim_start_matches('/'),
    };
    let mut parts = rest.split('/');
    let target = match (parts.next(), parts.next()) {
        (Some("courses"), Some(id)) if is_id(id) => (CaseTarget::Course, Some(id.to_owned())),
        (Some("lessons"), Some(id)) if is_id(id) => (CaseTarget::Lesson, Some(id.to_owned())),
        _ => (CaseTarget::School, None),
    };
    Some(target)
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reported_path_names_what_it_shows() {
        assert_eq!(
            target_of("/s/alma/lessons/01ab?x=1", "alma"),
            Some((CaseTarget::Lesson, Some("01ab".into())))
        );
        assert_eq!(
            target_of("/courses/c-1/enrol", "alma"),
            Some((CaseTarget::Course, Some("c-1".into())))
        );
        assert_eq!(
            target_of("/s/alma", "alma"),
            Some((CaseTarget::School, None))
        );
        assert_eq!(
            target_of("/s/alma/my", "alma"),
            Some((CaseTarget::School, None))
        );
        assert_eq!(target_of("/s/beta/lessons/1", "alma"), None);
        assert_eq!(case_number(12), "C-12");
    }
}
