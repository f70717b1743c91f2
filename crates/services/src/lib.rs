//! EduCenter's use cases. Each opens one transaction, applies domain rules, calls store
//! queries, writes the audit entry and queues mail or jobs in that same transaction.
//!
//! This layer also owns the machinery that runs work later: the [`jobs::Runner`] and the
//! [`outbox::Mailer`], both driven by the server's loops and, under `--test-mode`, drained on
//! demand when the test clock moves.

pub mod access;
pub mod access_log;
pub mod accounts;
pub mod assignments;
pub mod backup;
pub mod billing;
pub mod brand;
pub mod calendar;
pub mod cases;
pub mod certificates;
pub mod clock;
pub mod compliance;
pub mod content;
pub mod dashboard;
pub mod disclosures;
pub mod documents;
pub mod erasure;
pub mod exports;
pub mod force_majeure;
pub mod gradebook;
pub mod i18n;
pub mod incidents;
mod input;
pub mod jobs;
pub mod learning;
pub mod markdown;
pub mod media;
pub mod mfa;
pub mod msg;
pub mod notify;
pub mod offers;
pub mod operator_staff;
pub mod ops;
pub mod outbox;
pub mod payments;
pub mod privacy;
pub mod question_bank;
pub mod quizzes;
pub mod receipts;
pub mod requisites;
pub mod retention;
pub mod school_deletion;
pub mod service_items;
pub mod sessions;
pub mod signin;
pub mod site;
pub mod staff;
pub mod storage;
pub mod student_import;
pub mod tenancy;
pub mod testing;
pub mod throttle;
pub mod tokens;
pub mod verification;

use std::sync::Arc;

use educenter_domain::clock::Clock;
use educenter_store::Db;

/// The rows services hand to the web layer: types only, no store function, so that the web
/// layer reaches the database through a service and nothing else (docs/ARCHITECTURE.md).
pub mod store {
    pub mod accounts {
        pub use educenter_store::accounts::User;
    }
    pub mod certificates {
        pub use educenter_store::certificates::Certificate;
    }
    pub mod assignments {
        pub use educenter_store::assignments::{Entry, QueueRow, Submission};
    }
    pub mod audit {
        pub use educenter_store::audit::{Origin, StoredEntry};
    }
    pub mod backup {
        pub use educenter_store::backup::{Alert, Run};
    }
    pub mod billing {
        pub use educenter_store::billing::{InvoiceRow, Payment, Plan, Price, Promotion};
    }
    pub mod blocks {
        pub use educenter_store::blocks::Block;
    }
    pub mod cases {
        pub use educenter_store::cases::Case;
    }
    pub mod content {
        pub use educenter_store::content::{Course, Lesson, Module, Trashed};
    }
    pub mod disclosures {
        pub use educenter_store::disclosures::Disclosure;
    }
    pub mod incidents {
        pub use educenter_store::incidents::Incident;
    }
    pub mod force_majeure {
        pub use educenter_store::force_majeure::File;
    }
    pub mod documents {
        pub use educenter_store::documents::{Act, ActLine, CopyRequest, Profile};
    }
    pub mod learning {
        pub use educenter_store::learning::{Enrolment, Group};
    }
    pub mod media {
        pub use educenter_store::media::Media;
    }
    pub mod notices {
        pub use educenter_store::offers::notices::Notice;
    }
    pub mod question_bank {
        pub use educenter_store::question_bank::{Category, Filter, Stored};
    }
    pub mod quizzes {
        pub use educenter_store::quizzes::{Attempt, SavedAnswer};
    }
    pub mod page {
        pub use educenter_store::page::{DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest};
    }
    pub mod privacy {
        pub use educenter_store::privacy::PrivacyText;
    }
    pub mod receipts {
        pub use educenter_store::receipts::Receipt;
    }
    pub mod service_items {
        pub use educenter_store::service_items::ServiceItem;
    }
    pub mod tenancy {
        pub use educenter_store::tenancy::{Acceptance, Contract, Tenant};
    }
    pub mod tokens {
        pub use educenter_store::tokens::ApiToken;
    }
}
pub use msg::Msg;

/// Everything a use case needs, shared by the web layer and the server's background loops.
#[derive(Clone)]
pub struct Services {
    /// The database: only service functions reach it (the web layer cannot; the server keeps
    /// the handle it opened for start-up, the CLI and shutdown).
    pub(crate) db: Db,
    pub clock: Arc<dyn Clock>,
    /// Present only under `--test-mode`: moves the clock that `clock` reads.
    pub test: Option<Arc<testing::TestControl>>,
    pub jobs: Arc<jobs::Runner>,
    pub mailer: Arc<outbox::Mailer>,
    /// The message catalogs, for e-mails as for pages (the one copy, [`i18n::catalogs`]).
    pub i18n: &'static i18n::I18n,
    /// Where people reach the product (`https://educenter.kz`), for links in e-mails.
    pub public_url: String,
    /// With `--base-domain`, schools' sites live at `{slug}.{base_domain}`.
    pub base_domain: Option<String>,
    /// The secret of the `sandbox` payment provider; `None` turns it off.
    pub payment_sandbox_secret: Option<String>,
    /// Where uploaded files live.
    pub media: Arc<media::MediaStore>,
    /// Courses' modules and lessons kept between requests (checked against each course's
    /// revision on every use).
    pub content: Arc<content::ContentCache>,
    /// Where backup sets go and the key they are encrypted to; `None`: backups are off.
    pub backups: Option<Arc<backup::Backups>>,
    /// The queue of requests for the access log and its writer (R-2.5c).
    pub access_log: Arc<access_log::AccessLog>,
}

impl Services {
    /// The services over `db`, with the clock, job runner, mailer and media store the server
    /// wired; the rest (addresses, the sandbox secret, test control) start empty and are set
    /// by the caller, the content cache at 64 MiB.
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        jobs: Arc<jobs::Runner>,
        mailer: Arc<outbox::Mailer>,
        media: Arc<media::MediaStore>,
    ) -> Self {
        Self {
            db,
            clock,
            test: None,
            jobs,
            mailer,
            i18n: i18n::catalogs(),
            public_url: String::new(),
            base_domain: None,
            payment_sandbox_secret: None,
            media,
            // 64 MiB of course outlines and lesson texts.
            content: Arc::new(content::ContentCache::new(64 << 20)),
            backups: None,
            access_log: Arc::default(),
        }
    }

    /// The address of a school's site for its students: `https://{slug}.{base_domain}/` with
    /// `--base-domain`, else `{public_url}/s/{slug}/`.
    pub fn school_url(&self, slug: &str) -> String {
        match &self.base_domain {
            Some(domain) => {
                let scheme = self.public_url.split("://").next().unwrap_or("https");
                format!("{scheme}://{slug}.{domain}/")
            }
            None => format!("{}/s/{slug}/", self.public_url),
        }
    }

    /// Where the school's people sign in: the cabinet's sign-in page.
    pub fn login_url(&self) -> String {
        format!("{}/login", self.public_url)
    }
}

/// Errors of the service layer, mapped by the web layer to HTTP answers. What a person may
/// read is a [`Msg`] of the catalogs, rendered in their language where it is shown.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(educenter_store::StoreError),
    #[error("{0}")]
    Conflict(Msg),
    /// The value of this field (a slug, an e-mail, a plan's code...) is already someone's.
    #[error("{0}: {1}")]
    Taken(String, Msg),
    #[error("{0}")]
    NotFound(Msg),
    /// Fields and what is wrong with each.
    #[error("invalid input")]
    Invalid(Vec<(String, Msg)>),
    /// Not signed in, or the credentials are wrong (the same answer for both).
    #[error("{0}")]
    Unauthorized(Msg),
    /// Signed in, but the role may not do this.
    #[error("{0}")]
    Forbidden(Msg),
    /// The school's licence is not in a state that allows work (trial, active, terminating):
    /// staff, learners and programs wait until it is paid.
    #[error("the licence of this school is {}: only the owner may sign in, to billing", .0.map_or("unknown", |s| s.as_str()))]
    LicenceInactive(Option<educenter_domain::billing::LicenceState>),
    /// A block is in force over the school (SPEC 3.0's overlay; the reason): its staff,
    /// learners and programs are refused, the owner keeps billing and documents.
    #[error("this school is blocked ({0})")]
    Blocked(educenter_domain::tenancy::BlockReason),
    /// The password needs the code e-mailed to the address as well (after too many failures;
    /// said whether the password was right or not).
    #[error("a sign-in code was e-mailed to this address: sign in with it")]
    CodeRequired,
    /// Two-step sign-in is required of this person and not set up yet: only setting it up
    /// (and signing out) works (403 `mfa-required`).
    #[error("two-step sign-in is required: set it up first")]
    MfaRequired,
    /// The password was right; the code of the person's authenticator (or a recovery code) is
    /// needed as well (401 `mfa-required`).
    #[error("the code of the authenticator app is needed")]
    MfaCodeRequired,
    /// Too many attempts (failed sign-ins, or mail to one address or from one school too
    /// often); try again after this many seconds.
    #[error("too many attempts; retry in {0} s")]
    TooManyRequests(u64),
    /// The body is larger than allowed (a file over the per-file limit).
    #[error("{0}")]
    TooLarge(Msg),
    /// The body's bytes are not of a type this route takes.
    #[error("{0}")]
    Unsupported(Msg),
    /// The request must say how long its body is.
    #[error("{0}")]
    LengthRequired(Msg),
    /// It existed, but no longer works (an expired link).
    #[error("{0}")]
    Gone(Msg),
    /// Our failure: logged, never shown.
    #[error("{0}")]
    Internal(String),
}

/// A 422 naming one field.
pub(crate) fn invalid(field: &str, message: Msg) -> ServiceError {
    ServiceError::Invalid(vec![(field.to_owned(), message)])
}

impl ServiceError {
    /// What a person reads about this error (`None` for our own failures, which show a
    /// generic page and are logged).
    pub fn message(&self) -> Option<Msg> {
        Some(match self {
            Self::Conflict(m)
            | Self::Taken(_, m)
            | Self::NotFound(m)
            | Self::Unauthorized(m)
            | Self::Forbidden(m)
            | Self::TooLarge(m)
            | Self::Unsupported(m)
            | Self::LengthRequired(m)
            | Self::Gone(m) => m.clone(),
            Self::Invalid(_) => Msg::new("err-invalid"),
            Self::LicenceInactive(state) => {
                let state = state.map_or("", |s| s.as_str());
                Msg::new("err-licence-inactive").key("state", format!("state-{state}"))
            }
            Self::Blocked(_) => Msg::new("err-blocked"),
            Self::CodeRequired => Msg::new("err-code-required"),
            Self::MfaRequired => Msg::new("err-mfa-required"),
            Self::MfaCodeRequired => Msg::new("err-mfa-code-required"),
            Self::TooManyRequests(secs) => {
                Msg::new("err-too-many").num("seconds", i64::try_from(*secs).unwrap_or(60))
            }
            Self::Store(_) | Self::Internal(_) => return None,
        })
    }
}

/// A unique-constraint violation is a concurrent request that created the same thing first:
/// over a value the person chose (a slug, an e-mail, a plan's code) [`ServiceError::Taken`]
/// naming that field, else a conflict for the caller;
/// never a 500 (the one place this mapping lives).
impl From<educenter_store::StoreError> for ServiceError {
    fn from(e: educenter_store::StoreError) -> Self {
        if let Some(field) = e.taken_field() {
            Self::Taken(field.to_owned(), Msg::new("err-value-taken"))
        } else if e.is_unique_violation() {
            Self::Conflict(Msg::new("err-conflict-retry"))
        } else if let educenter_store::StoreError::BadCursor(_) = e {
            // The cursor comes from the caller (`?after=`): their input, not our failure.
            Self::Invalid(vec![("after".into(), Msg::new("err-bad-cursor"))])
        } else {
            Self::Store(e)
        }
    }
}

impl From<educenter_store::sqlx::Error> for ServiceError {
    fn from(e: educenter_store::sqlx::Error) -> Self {
        educenter_store::StoreError::from(e).into()
    }
}
