//! The e-mails of an assignment's steps, to its student, in the student's language (else the
//! school's), in the school's name and with a link to the lesson on the school's site.

use educenter_store::outbox::{self, MailClass, NewMail};
use fluent_bundle::FluentArgs;

use super::*;
use crate::i18n::Lang;

/// Which step the e-mail tells of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// The answer reached the school.
    Submitted,
    Returned,
    Accepted,
    /// A teacher commented.
    Comment,
}

impl Step {
    fn key(self) -> &'static str {
        match self {
            Self::Submitted => "mail-assignment-submitted",
            Self::Returned => "mail-assignment-returned",
            Self::Accepted => "mail-assignment-accepted",
            Self::Comment => "mail-assignment-comment",
        }
    }
}

/// Queues the e-mail of `step` to the submission's student in the caller's transaction (none
/// when the student or the school is no longer there).
pub(super) async fn queue(
    services: &Services,
    conn: &mut Conn,
    s: &Submission,
    lesson: &Lesson,
    step: Step,
    comment: Option<&str>,
) -> Result<(), ServiceError> {
    let Some(student) = educenter_store::accounts::get(conn, &s.user_id)
        .await?
        .filter(|u| u.removed_at.is_none())
    else {
        return Ok(());
    };
    let Some(school) = educenter_store::tenancy::get_in(conn, &s.tenant_id).await? else {
        return Ok(());
    };
    let course = educenter_store::content::course(conn, &s.tenant_id, &s.course_id)
        .await?
        .map(|c| c.title)
        .unwrap_or_default();
    let lang = Lang::from_code(&student.locale)
        .or_else(|| Lang::from_code(&school.locale))
        .unwrap_or(Lang::Ru);
    let mut args = FluentArgs::new();
    args.set("name", student.full_name.clone());
    args.set("school", school.display_name().to_owned());
    args.set("lesson", lesson.title.clone());
    args.set("course", course);
    args.set(
        "url",
        format!("{}lessons/{}", services.school_url(&school.slug), lesson.id),
    );
    // The teacher's words and the grade, each on its own lines when there are any.
    let comment = comment.map(str::trim).unwrap_or_default();
    let mut extra = String::new();
    if let Some(g) = s.grade.filter(|_| step == Step::Accepted) {
        let mut a = FluentArgs::new();
        a.set("grade", g);
        a.set("max", educenter_domain::assignments::MAX_GRADE);
        extra.push_str(&services.i18n.t_args(lang, "mail-assignment-grade", &a));
        extra.push_str("\n\n");
    }
    if !comment.is_empty() {
        extra.push_str(comment);
        extra.push_str("\n\n");
    }
    args.set("details", extra);
    let key = step.key();
    let mail = NewMail {
        to: student.email.clone(),
        subject: services.i18n.t_args(lang, &format!("{key}-subject"), &args),
        text: services.i18n.t_args(lang, &format!("{key}-body"), &args),
        html: None,
        class: MailClass::Transactional,
    };
    outbox::queue(conn, &mail, services.clock.now()).await?;
    Ok(())
}
