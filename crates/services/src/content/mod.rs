//! A school's content (issue 6, first part): courses, their modules and lessons in order, and
//! the 30-day trash. Staff with `EditContent` write; a course counts against the plan's
//! `courses` limit through [`crate::billing::limits::check_limit`].

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use educenter_domain::ids::{CourseId, LessonId, MediaId, ModuleId, UserId};
use educenter_domain::schedule::Schedule;
use educenter_domain::{
    content::{CourseStatus, LessonKind, LessonStatus, MediaKind, TrashKind},
    roles::{TenantAction, TenantRole},
    tenancy::is_clean_text,
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn,
    audit::{self, Origin},
    content::{self as store, Course, Lesson, Module, Trashed},
    new_id,
};
use jiff::{SignedDuration, Timestamp, civil::Date};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    billing::{limits::Metric, limits::check_limit},
    jobs::{JobContext, JobRegistry},
};

/// Lessons' Markdown as sanitized HTML (kept in [`crate::markdown`]).
pub use crate::markdown::render_markdown;

pub use educenter_domain::learning::TRASH_DAYS;

mod cache;
mod copies;
mod courses;
mod embeds;
mod images;
mod lessons;
mod outline;
mod trash;
pub use cache::*;
pub use copies::*;
pub use courses::*;
pub use embeds::*;
pub use images::*;
pub use lessons::*;
pub use outline::*;
pub use trash::*;

pub(crate) type Errors = Vec<(String, Msg)>;

pub(crate) fn text(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    multiline: bool,
    errors: &mut Errors,
) {
    if let Some(m) = Msg::text_error(value, min, max, multiline) {
        errors.push((field.into(), m));
    }
}

/// What a person may reach of the school's content ([`crate::access::TenantScope`]): the
/// school, and for a teacher only the courses assigned to them.
pub(crate) use crate::access::TenantScope as Scope;

impl Scope {
    /// A teacher's assigned courses; `None` for roles that see every course.
    pub(crate) async fn courses(
        &self,
        conn: &mut Conn,
    ) -> Result<Option<HashSet<CourseId>>, ServiceError> {
        Ok(match self.teacher() {
            Some(t) => Some(
                store::teacher_courses(conn, self.tenant(), t)
                    .await?
                    .into_iter()
                    .collect(),
            ),
            None => None,
        })
    }

    /// Refuses (as "not found") a course a teacher is not assigned to.
    pub(crate) async fn check(
        &self,
        conn: &mut Conn,
        course_id: &CourseId,
    ) -> Result<(), ServiceError> {
        let assigned = match self.teacher() {
            Some(t) => store::is_teacher(conn, self.tenant(), course_id, t).await?,
            None => true,
        };
        self.check_assigned(assigned)
    }

    /// [`Self::check`] when whether the person teaches the course is already known.
    fn check_assigned(&self, assigned: bool) -> Result<(), ServiceError> {
        if self.teacher().is_none() || assigned {
            Ok(())
        } else {
            Err(not_found("err-no-course"))
        }
    }
}

pub(crate) fn editor(who: &Principal) -> Result<Scope, ServiceError> {
    who.require_write()?;
    reader(who)
}

pub(crate) fn reader(who: &Principal) -> Result<Scope, ServiceError> {
    crate::access::scope(who, TenantAction::EditContent)
}

pub(crate) fn not_found(key: &'static str) -> ServiceError {
    ServiceError::NotFound(Msg::new(key))
}

pub(crate) async fn live_course(
    conn: &mut Conn,
    s: &Scope,
    id: &CourseId,
) -> Result<Course, ServiceError> {
    let c = store::course(conn, s.tenant(), id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or_else(|| not_found("err-no-course"))?;
    s.check(conn, id).await?;
    Ok(c)
}

pub(crate) async fn live_module(
    conn: &mut Conn,
    s: &Scope,
    id: &ModuleId,
) -> Result<Module, ServiceError> {
    let m = store::module(conn, s.tenant(), id)
        .await?
        .filter(|m| m.deleted_at.is_none())
        .ok_or_else(|| not_found("err-no-module"))?;
    live_course(conn, s, &m.course_id).await?;
    Ok(m)
}

pub(crate) async fn live_lesson(
    conn: &mut Conn,
    s: &Scope,
    id: &LessonId,
) -> Result<Lesson, ServiceError> {
    let l = store::lesson(conn, s.tenant(), id)
        .await?
        .filter(|l| l.deleted_at.is_none())
        .ok_or_else(|| not_found("err-no-lesson"))?;
    live_module(conn, s, &l.module_id).await?;
    Ok(l)
}

/// The audit entry of a change to one of the school's objects.
pub(crate) async fn audit_entry(
    conn: &mut Conn,
    w: &crate::access::WriteCtx<'_>,
    tenant: &str,
    action: &str,
    target: (&str, &str),
) -> Result<(), ServiceError> {
    let entry = w
        .audit(action)
        .tenant(tenant.to_owned())
        .target(target.0, target.1.to_owned());
    audit::record(conn, &entry, w.now).await?;
    Ok(())
}

/// The audit entry of an update: what changed, field by field, old and new.
pub(crate) async fn audit_update<T: serde::Serialize>(
    conn: &mut Conn,
    w: &crate::access::WriteCtx<'_>,
    tenant: &str,
    action: &str,
    target: (&str, &str),
    (old, new): (&serde_json::Value, &T),
) -> Result<(), ServiceError> {
    let new = serde_json::to_value(new).unwrap_or_default();
    let entry = w
        .audit(action)
        .tenant(tenant.to_owned())
        .target(target.0, target.1.to_owned())
        .changes(old, &new);
    audit::record(conn, &entry, w.now).await?;
    Ok(())
}
