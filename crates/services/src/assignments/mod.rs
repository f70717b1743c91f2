//! Assignments (issue 19, item 4): an assignment is a lesson kind whose text is the task; the
//! student answers with text and files, the teachers of the course (and the owner and
//! administrators) accept the work or return it for revision with a comment and a grade, and
//! the student answers again after a return. Each step is a line of the submission's thread
//! and e-mails the student in the school's name ([`mail`]); an accepted assignment completes
//! its lesson, so a stop-lesson opens the lessons after it then. The staff's side is in
//! [`review`].

use educenter_domain::assignments::{EntryKind, MAX_FILES, MAX_TEXT, SubmissionState};
use educenter_domain::clock::local_date;
use educenter_domain::content::LessonKind;
use educenter_domain::ids::{LessonId, MediaId, SubmissionId, TenantId, UserId};
use educenter_store::assignments::{self as store, Entry, Submission};
use educenter_store::audit::{self, Origin};
use educenter_store::media::{self as media_store, Media};
use educenter_store::{Conn, content::Lesson, new_id};
use jiff::Timestamp;

use crate::{Msg, ServiceError, Services, access::Principal};

mod mail;
mod review;
pub use review::*;

pub(crate) type Errors = Vec<(String, Msg)>;

/// An entry of a submission's thread as people read it.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub entry: Entry,
    /// Who wrote it (empty once they were erased).
    pub author: String,
    /// Written by the school's staff (not the student).
    pub staff: bool,
    /// The answer's files, in the order given (a file deleted since is left out).
    pub files: Vec<Media>,
}

/// A student's work on an assignment with its thread.
#[derive(Debug, Clone)]
pub struct Work {
    pub submission: Submission,
    pub thread: Vec<EntryView>,
}

impl Work {
    /// Signed links to the thread's files for `who`, who read the work (its student or the
    /// staff who review it), by file id.
    pub async fn links(
        &self,
        services: &Services,
        who: &Principal,
    ) -> Result<std::collections::HashMap<MediaId, String>, ServiceError> {
        let mut links = std::collections::HashMap::new();
        for m in self.thread.iter().flat_map(|e| &e.files) {
            let url =
                crate::media::signed_url(services, &self.submission.tenant_id, &who.user_id, &m.id)
                    .await?;
            links.insert(m.id.clone(), url);
        }
        Ok(links)
    }
}

/// What a student sends: text, files uploaded before ([`upload_file`]), or both.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    pub text: String,
    /// Ids of files the student uploaded for this answer.
    pub files: Vec<String>,
}

fn no_lesson() -> ServiceError {
    ServiceError::NotFound(Msg::new("err-no-lesson"))
}

fn no_submission() -> ServiceError {
    ServiceError::NotFound(Msg::new("err-no-submission"))
}

/// A live assignment lesson of the school.
pub(crate) async fn live_assignment(
    conn: &mut Conn,
    tenant: &TenantId,
    lesson_id: &LessonId,
) -> Result<Lesson, ServiceError> {
    let lesson = educenter_store::content::lesson(conn, tenant, lesson_id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(no_lesson)?;
    if lesson.kind != LessonKind::Assignment {
        return Err(ServiceError::NotFound(Msg::new("err-no-assignment")));
    }
    Ok(lesson)
}

/// The school of a student acting on an assignment lesson. Anyone else is refused: "not
/// found" when the lesson is not of their school (as any other school's object answers),
/// "students only" when it is.
async fn learner_of(
    conn: &mut Conn,
    who: &Principal,
    lesson_id: &LessonId,
) -> Result<TenantId, ServiceError> {
    let refused = match crate::access::require_learner(who) {
        Ok(t) => return Ok(t.clone()),
        Err(e) => e,
    };
    let Some(tenant) = &who.tenant_id else {
        return Err(refused);
    };
    match live_assignment(conn, tenant, lesson_id).await {
        Ok(_) => Err(refused),
        Err(e) => Err(e),
    }
}

/// The student's school, and the assignment lesson they may open now (enrolled, the lesson
/// not closed to them); anything else is refused as the lesson page refuses it.
async fn open_assignment(
    services: &Services,
    conn: &mut Conn,
    who: &Principal,
    lesson_id: &LessonId,
    now: Timestamp,
) -> Result<(TenantId, Lesson), ServiceError> {
    let tenant = learner_of(conn, who, lesson_id).await?;
    let lesson = live_assignment(conn, &tenant, lesson_id).await?;
    let course = crate::learning::published_course(conn, &tenant, &lesson.course_id).await?;
    let outline = crate::learning::outline_in(
        services,
        conn,
        &tenant,
        &who.user_id,
        course,
        local_date(now),
    )
    .await?;
    let view = outline
        .lessons()
        .find(|v| v.lesson.id == *lesson_id)
        .ok_or_else(no_lesson)?;
    if outline.enrolment.is_none() || view.state.is_locked() {
        return Err(ServiceError::Forbidden(Msg::new("err-lesson-locked")));
    }
    Ok((tenant, lesson))
}

/// Why a student may not answer now (`None`: they may).
fn refusal(state: Option<SubmissionState>) -> Option<ServiceError> {
    match state {
        s if SubmissionState::may_answer(s) => None,
        Some(SubmissionState::Accepted) => {
            Some(ServiceError::Conflict(Msg::new("err-submission-accepted")))
        }
        _ => Some(ServiceError::Conflict(Msg::new("err-submission-waiting"))),
    }
}

/// A submission's thread with its authors and files, read by `conn`.
pub(crate) async fn work_of(conn: &mut Conn, submission: Submission) -> Result<Work, ServiceError> {
    let tenant = submission.tenant_id.clone();
    let entries = store::thread(conn, &tenant, &submission.id).await?;
    let mut authors: Vec<UserId> = entries.iter().map(|e| e.author_id.clone()).collect();
    authors.sort();
    authors.dedup();
    let people = educenter_store::accounts::of_school(conn, &tenant, &authors).await?;
    let ids: Vec<MediaId> = entries.iter().flat_map(|e| e.files.clone()).collect();
    let files = media_store::get_many(conn, &tenant, &ids).await?;
    let thread = entries
        .into_iter()
        .map(|entry| {
            let files = entry
                .files
                .iter()
                .filter_map(|id| {
                    files
                        .iter()
                        .find(|m| m.id == *id && m.deleted_at.is_none())
                        .cloned()
                })
                .collect();
            let author = people.iter().find(|u| u.id == entry.author_id);
            EntryView {
                author: author.map(|u| u.full_name.clone()).unwrap_or_default(),
                staff: entry.author_id != submission.user_id,
                files,
                entry,
            }
        })
        .collect();
    Ok(Work { submission, thread })
}

/// The student's own work on an assignment lesson (`None`: not answered yet).
pub async fn my_work(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
) -> Result<Option<Work>, ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let mut conn = services.db.conn().await?;
    let tenant = learner_of(&mut conn, who, lesson_id).await?;
    live_assignment(&mut conn, &tenant, lesson_id).await?;
    match store::of_student(&mut conn, &tenant, lesson_id, &who.user_id).await? {
        Some(s) => Ok(Some(work_of(&mut conn, s).await?)),
        None => Ok(None),
    }
}

/// Checks an answer or a comment's text (`field` names it in errors).
fn check_text(field: &str, text: &str, required: bool, errors: &mut Errors) {
    if let Some(m) = Msg::text_error(text, usize::from(required), MAX_TEXT, true) {
        errors.push((field.into(), m));
    }
}

/// The files an answer names: the student's own uploads, live, not in another answer, each
/// once and at most [`MAX_FILES`].
async fn answer_files(
    conn: &mut Conn,
    tenant: &TenantId,
    who: &UserId,
    ids: &[String],
    errors: &mut Errors,
) -> Result<Vec<MediaId>, ServiceError> {
    let mut wanted: Vec<MediaId> = Vec::new();
    for id in ids {
        let id = MediaId::new(id.trim());
        if !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    if wanted.len() > MAX_FILES {
        errors.push((
            "files".into(),
            Msg::new("err-range")
                .num("min", 0)
                .num("max", MAX_FILES as i64),
        ));
        return Ok(Vec::new());
    }
    let found = media_store::get_many(conn, tenant, &wanted).await?;
    let taken = store::attached(conn, tenant, &wanted).await?;
    for (i, id) in wanted.iter().enumerate() {
        let own = found
            .iter()
            .any(|m| m.id == *id && m.uploaded_by == *who && m.deleted_at.is_none());
        if !own {
            errors.push((format!("files[{i}]"), Msg::new("err-no-file")));
        } else if taken.contains(id) {
            errors.push((format!("files[{i}]"), Msg::new("err-file-in-answer")));
        }
    }
    Ok(wanted)
}

/// Sends a student's answer to an assignment they may open: their first, or again after a
/// return (refused while it waits for a teacher and once accepted). Text, files or both.
pub async fn answer(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
    input: AnswerInput,
    origin: Origin,
) -> Result<Work, ServiceError> {
    let lesson_id = &LessonId::new(lesson_id);
    let now = services.clock.now();
    let mut tx = services.db.begin().await?;
    let (tenant, lesson) = open_assignment(services, &mut tx, who, lesson_id, now).await?;
    let current = store::of_student(&mut tx, &tenant, lesson_id, &who.user_id).await?;
    if let Some(e) = refusal(current.as_ref().map(|s| s.state)) {
        return Err(e);
    }
    let text = input.text.trim();
    let mut errors = Vec::new();
    check_text("text", text, false, &mut errors);
    let files = answer_files(&mut tx, &tenant, &who.user_id, &input.files, &mut errors).await?;
    if errors.is_empty() && text.is_empty() && files.is_empty() {
        errors.push(("text".into(), Msg::new("err-answer-empty")));
    }
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let submission = match current {
        Some(s) => {
            if !store::resubmit(&mut tx, &tenant, &s.id, now).await? {
                return Err(ServiceError::Conflict(Msg::new("err-submission-waiting")));
            }
            s.id
        }
        None => {
            let s = Submission {
                id: SubmissionId::new(new_id()),
                tenant_id: tenant.clone(),
                lesson_id: lesson_id.clone(),
                course_id: lesson.course_id.clone(),
                user_id: who.user_id.clone(),
                state: SubmissionState::Submitted,
                grade: None,
                created_at: now,
                submitted_at: now,
                reviewed_at: None,
                reviewed_by: None,
            };
            match store::insert(&mut tx, &s).await {
                Ok(()) => {}
                // Another request sent the first answer meanwhile.
                Err(e) if e.is_unique_violation() => {
                    return Err(ServiceError::Conflict(Msg::new("err-submission-waiting")));
                }
                Err(e) => return Err(e.into()),
            }
            s.id
        }
    };
    let entry = Entry {
        id: new_id(),
        submission_id: submission.clone(),
        author_id: who.user_id.clone(),
        kind: EntryKind::Answer,
        body: text.to_owned(),
        grade: None,
        created_at: now,
        files,
    };
    match store::add_entry(&mut tx, &tenant, &who.user_id, &entry).await {
        Ok(()) => {}
        // Another answer took one of the files meanwhile.
        Err(e) if e.is_unique_violation() => {
            return Err(ServiceError::Invalid(vec![(
                "files".into(),
                Msg::new("err-file-in-answer"),
            )]));
        }
        Err(e) => return Err(e.into()),
    }
    let audit = who
        .audit("assignment.submit")
        .tenant(tenant.clone())
        .target("submission", submission.clone())
        .origin(origin);
    audit::record(&mut tx, &audit, now).await?;
    let s = store::get(&mut tx, &tenant, &submission)
        .await?
        .ok_or_else(no_submission)?;
    mail::queue(services, &mut tx, &s, &lesson, mail::Step::Submitted, None).await?;
    let work = work_of(&mut tx, s).await?;
    tx.commit().await?;
    services.mailer.wake();
    Ok(work)
}

/// Stores a file for a student's answer to an assignment they may answer now, counted in the
/// school's storage like any of its files; the answer then names it ([`AnswerInput::files`]).
pub async fn upload_file<S, E>(
    services: &Services,
    who: &Principal,
    lesson_id: &str,
    input: crate::media::UploadInput,
    body: S,
    origin: Origin,
) -> Result<Media, ServiceError>
where
    S: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let lesson_id = &LessonId::new(lesson_id);
    let tenant = {
        let now = services.clock.now();
        let mut conn = services.db.conn().await?;
        let (tenant, _) = open_assignment(services, &mut conn, who, lesson_id, now).await?;
        let current = store::of_student(&mut conn, &tenant, lesson_id, &who.user_id).await?;
        if let Some(e) = refusal(current.map(|s| s.state)) {
            return Err(e);
        }
        // Files picked and not sent yet: as many as one answer takes.
        if store::unattached(&mut conn, &tenant, &who.user_id).await? >= MAX_FILES as i64 {
            return Err(ServiceError::Conflict(
                Msg::new("err-too-many-uploads").num("max", MAX_FILES as i64),
            ));
        }
        tenant
    };
    let limits = crate::media::Limits {
        max_bytes: services.media.max_file_bytes.min(MAX_FILE_BYTES),
        unsent_cap: Some(MAX_FILES as i64),
    };
    crate::media::store_file(services, who, &tenant, input, limits, body, origin).await
}

/// Deletes a file the student picked for an answer and has not sent (its row, then its
/// bytes): the "remove" beside a picked file. A file in an answer stays (409); anyone else's
/// file is "not found" (a school's staff are told the files are the students').
pub async fn remove_unsent_file(
    services: &Services,
    who: &Principal,
    id: &str,
) -> Result<(), ServiceError> {
    let id = &MediaId::new(id);
    let no_file = || ServiceError::NotFound(Msg::new("err-no-file"));
    let mut conn = services.db.conn().await?;
    let tenant = match crate::access::require_learner(who) {
        Ok(t) => t.clone(),
        Err(refused) => {
            let ours = match &who.tenant_id {
                Some(t) => media_store::is_learners(&mut conn, t, id).await?,
                None => false,
            };
            return Err(if ours { refused } else { no_file() });
        }
    };
    let m = media_store::get(&mut conn, &tenant, id)
        .await?
        .filter(|m| m.uploaded_by == who.user_id && m.deleted_at.is_none())
        .ok_or_else(no_file)?;
    if !store::forget_unsent_file(&mut conn, &tenant, id).await? {
        return Err(ServiceError::Conflict(Msg::new("err-file-in-answer")));
    }
    let path = object_store::path::Path::from(m.storage_key.as_str());
    match object_store::ObjectStoreExt::delete(services.media.objects(), &path).await {
        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
        Err(e) => {
            tracing::warn!(key = %m.storage_key, error = %e, "a removed file's bytes stay in the store");
            Ok(())
        }
    }
}

/// The largest file of an answer (the school's per-file limit when it is lower).
pub const MAX_FILE_BYTES: u64 = 100 << 20;

/// How long a student's file waits to be sent in an answer before the nightly sweep deletes it.
pub const UNSENT_FILES_KEPT: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Deletes students' files that no answer holds (picked and never sent, or left by an erased
/// student's or a purged lesson's answers) once they are older than [`UNSENT_FILES_KEPT`]:
/// their bytes, then their rows. Answers how many went.
pub async fn sweep_unsent_files(services: &Services) -> Result<usize, ServiceError> {
    let before = services.clock.now() - UNSENT_FILES_KEPT;
    let stale = {
        let mut conn = services.db.conn().await?;
        store::unsent_files(&mut conn, before, 1000).await?
    };
    let mut gone = 0;
    for m in &stale {
        // The row first, unless an answer took the file meanwhile; then its bytes.
        let forgotten = {
            let mut conn = services.db.conn().await?;
            store::forget_unsent_file(&mut conn, &m.tenant_id, &m.id).await
        };
        match forgotten {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(file = %m.id, error = %e, "an unsent file stays for the next sweep");
                continue;
            }
        }
        let path = object_store::path::Path::from(m.storage_key.as_str());
        match object_store::ObjectStoreExt::delete(services.media.objects(), &path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => gone += 1,
            Err(e) => {
                tracing::warn!(key = %m.storage_key, error = %e, "an unsent file's bytes could not be deleted");
            }
        }
    }
    Ok(gone)
}

/// The nightly sweep of students' unsent files (at 04:00, with the other nightly sweeps).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SweepUnsentFiles {}

impl crate::jobs::Job for SweepUnsentFiles {
    const KIND: &'static str = "assignments.sweep_unsent_files";

    async fn run(self, ctx: crate::jobs::JobContext) -> anyhow::Result<()> {
        let gone = sweep_unsent_files(&ctx.services).await?;
        if gone > 0 {
            tracing::info!(files = gone, "deleted students' files no answer holds");
        }
        Ok(())
    }
}

/// Registers the nightly sweep of unsent files.
pub fn register(registry: &mut crate::jobs::JobRegistry) {
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(4, 0) {
        registry.every::<SweepUnsentFiles>(at);
    }
}
