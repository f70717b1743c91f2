//! Plans and prices, applications and invoices, payments and the licence chain (issue 4):
//! the rules of `domain::billing` applied in one transaction per use case, audited.

pub mod catalog;
pub mod chain;
pub mod changes;
pub mod invoices;
pub mod licence;
pub mod limits;
pub mod nightly;
pub mod payments;
pub mod school;
