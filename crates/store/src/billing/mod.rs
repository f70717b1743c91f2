//! Plans and prices, invoices with gapless numbers, payments, the ledger of paid periods and
//! the credit balance. Every query of tenant-owned rows filters by the tenant.

use educenter_domain::billing::{
    Currency, InvoicePurpose, InvoiceStatus, LicenceState, LineKind, PaymentChannel, PromotionKind,
};
use educenter_domain::ids::{ContractId, InvoiceId, TenantId, UserId};
use educenter_domain::money::Money;
use educenter_domain::roles::{AccountKind, OperatorRole, Role};
use educenter_domain::tenancy::{ContractStatus, EndReason};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::any::AnyRow;

use crate::page::{Keyset, Kind, Page, PageRequest};
use crate::{Cols, Conn, Db, Result, new_id, to_micros};

mod catalog;
mod chain;
mod invoices;
mod money;
mod night;
pub use catalog::*;
pub use chain::*;
pub use invoices::*;
pub use money::*;
pub use night::*;
