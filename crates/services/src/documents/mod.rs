//! Documents (issue 5): the operator's versioned requisites, a school's document
//! settings, invoice and act PDFs in Russian or Kazakh, and the monthly acts
//! with their objection window.

use std::collections::BTreeMap;

use educenter_documents as pdf;
use educenter_domain::{
    billing::{Currency, InvoicePurpose, InvoiceStatus},
    clock::local_date,
    documents::{
        ActLineKind, ActStatus, CopyKind, PaidPeriod, day_rate, month_share_until,
        objection_window_end, vat_included,
    },
    roles::{OperatorAction, TenantAction},
    words::{DocLang, amount_in_words},
};
use educenter_store::page::{Page, PageRequest};
use educenter_store::{
    Db,
    audit::{self, Actor, Entry, Origin},
    billing::{self as bstore, Invoice},
    calendar,
    documents::{self as store, Act, ActLine, CopyRequest, Profile},
    new_id, tenancy,
};
use jiff::{Timestamp, civil::Date};
use serde_json::json;

use crate::Msg;
use crate::i18n::LocalDate;
use crate::msg::Arg;
use crate::{
    ServiceError, Services,
    access::Principal,
    access::require_operator,
    i18n::{Lang, format_date},
    invalid,
    jobs::{JobContext, JobRegistry},
};

mod acts;
mod drawing_up;
mod format;
mod invoice_pdf;
mod profile;
pub use acts::*;
pub use drawing_up::*;
use format::*;
pub use invoice_pdf::*;
pub use profile::*;

pub fn register(registry: &mut JobRegistry) {
    // Acts are drawn up at 01:00 on the 1st (the job runs daily and acts on the 1st and, for
    // the monitor, the 6th); acceptance happens at 00:00 after the window.
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(1, 0) {
        registry.every::<MonthlyActs>(at);
    }
    if let Ok(at) = educenter_domain::schedule::Schedule::daily_at(0, 0) {
        registry.every::<AcceptActs>(at);
    }
}
