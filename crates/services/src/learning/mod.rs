//! The school's students (issue 6): sign-up on the school's site with the privacy consent,
//! enrolment (by the student or by staff), the lessons a student may open, progress per lesson
//! and course completion, and the progress table staff read.
//!
//! A student is a `learner` account of one tenant only: every query here takes the
//! tenant from the signed-in person, never from the request.

use educenter_domain::ids::{CourseId, LessonId, TenantId, UserId};
use std::collections::HashMap;

use educenter_domain::{
    clock::local_date,
    learning::{LessonState, Release, lesson_state, played_enough},
    roles::TenantAction,
    tenancy::check_password,
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Conn,
    accounts::{self as users, NewUser, User},
    audit::{self, Actor, Entry, Origin},
    content::{self as content_store, Course, Lesson, Module},
    learning::{self as store, Enrolment, Progress},
    new_id,
    outbox::{self, NewMail},
    tenancy::{self, Tenant},
};
use fluent_bundle::FluentArgs;
use jiff::{Timestamp, civil::Date};

use crate::Msg;
use crate::{
    ServiceError, Services,
    access::Principal,
    accounts::{hash_password, new_secret},
    billing::{limits::Metric, limits::check_limit},
    i18n::Lang,
};

mod enrolment;
mod lessons;
mod reports;
mod signup;
mod students;
pub use enrolment::*;
pub use lessons::*;
pub use reports::*;
pub use signup::*;
pub use students::*;

/// The version of the optional marketing consent text (`learner-marketing-consent`).
pub const MARKETING_VERSION: &str = "learner-marketing-2026-11";

pub(crate) type Errors = Vec<(String, Msg)>;

pub(crate) fn invalid(errors: Errors) -> Result<(), ServiceError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Invalid(errors))
    }
}

pub(crate) fn manager(who: &Principal) -> Result<TenantId, ServiceError> {
    who.require_write()?;
    Ok(crate::access::require_tenant(who, TenantAction::ManageLearners)?.clone())
}
