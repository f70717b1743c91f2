//! The rules of money and paid time (SPEC 3.0, 3.4, 3.5 and the binding decisions): amounts in
//! minor units, the licence chain of periods, proration of a plan change, refund caps, and the
//! licence state on a date. Pure: no I/O, no clock.

use crate::named::named;

use jiff::{Span, civil::Date};
use serde::{Deserialize, Serialize};

use crate::calendar::{BusinessCalendar, BusinessDate};

named! {
    /// The currencies prices exist in. No conversion between them, ever.
    pub enum Currency {
        Kzt = "KZT",
        Eur = "EUR",
        Usd = "USD",
    }
}

impl Currency {
    /// A resident may settle only in tenge; a non-resident in any currency.
    pub fn allowed_for(self, resident: bool) -> bool {
        !resident || self == Self::Kzt
    }
}

named! {
    /// How money reached an invoice (`payments.channel`): a bank transfer matched by the billing
    /// officer, or a card payment through a provider (today the built-in `sandbox`).
    pub enum PaymentChannel {
        BankTransfer = "bank_transfer",
        Sandbox = "sandbox",
    }
}

impl PaymentChannel {
    /// The online provider named in a callback's path; `None` for any other word (a bank
    /// transfer has no callback).
    pub fn provider(word: &str) -> Option<Self> {
        Self::parse(word).filter(|c| *c != Self::BankTransfer)
    }
}

named! {
    /// What an invoice is for: the first licence, a renewal, a plan change, or a quote's
    /// services (`invoices.purpose`).
    pub enum InvoicePurpose {
        Licence = "licence",
        Renewal = "renewal",
        PlanChange = "plan_change",
        Service = "service",
    }
}

named! {
    /// Where a quote stands (`quotes.status`, R-5.3): issued, then accepted when its invoice
    /// is paid.
    pub enum QuoteStatus {
        Issued = "issued",
        AcceptedByPayment = "accepted_by_payment",
    }
}

named! {
    /// Where an invoice stands (`invoices.status`).
    pub enum InvoiceStatus {
        Issued = "issued",
        Paid = "paid",
        Overdue = "overdue",
        Void = "void",
    }
}

impl InvoiceStatus {
    /// Issued or overdue: still to be paid.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Issued | Self::Overdue)
    }

    /// Paid or void: nothing more can happen to it.
    pub fn is_closed(self) -> bool {
        !self.is_open()
    }
}

named! {
    /// What a line of an invoice is (`invoice_lines.kind`): credits and discounts are
    /// negative lines.
    pub enum LineKind {
        Licence = "licence",
        Service = "service",
        Discount = "discount",
        ProrationCredit = "proration_credit",
        CreditBalance = "credit_balance",
    }
}

named! {
    /// What an additional service is counted in (`service_items.unit`): once, by the hour, a
    /// package, or gigabytes a month of extra storage.
    pub enum ServiceUnit {
        OneOff = "one_off",
        Hour = "hour",
        Package = "package",
        GbMonth = "gb_month",
    }
}

named! {
    /// How a promotion discounts (`promotions.kind`): a percentage, or a fixed amount in one
    /// currency.
    pub enum PromotionKind {
        Percent = "percent",
        Fixed = "fixed",
    }
}

/// An amount as a person types it ("30 000,00", "30000.5", "1 234") in minor units: digits
/// grouped by spaces, a decimal comma or point with at most two digits, at most
/// [`MAX_AMOUNT_MINOR`]. `None` for anything else (a sign, letters, three decimals, more than
/// one line may carry). Exact: no floats.
pub fn parse_amount(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .collect();
    let (whole, frac) = match cleaned.find([',', '.']) {
        Some(i) => (&cleaned[..i], &cleaned[i + 1..]),
        None => (cleaned.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (cleaned.contains([',', '.']) && !digits(frac)) || frac.len() > 2 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    whole
        .checked_mul(100)?
        .checked_add(cents)
        .filter(|a| *a <= MAX_AMOUNT_MINOR)
}

/// The terms a licence is sold for, in months.
pub const TERMS: [u8; 4] = [1, 3, 6, 12];

/// The largest amount one line of a price, an invoice, a payment or a refund may carry, in minor
/// units: 100 000 000 000,00 (10^13 tiyn or cents). Inputs above it are refused (422), so that
/// no sum of lines can overflow.
pub const MAX_AMOUNT_MINOR: i64 = 10_000_000_000_000;

/// The largest total of one document (an invoice, an act, a quote), in minor units (10^14).
pub const MAX_DOCUMENT_MINOR: i64 = 100_000_000_000_000;

/// A gigabyte as plans, prices and pages count it: 10^9 bytes (decimal, as people type "100
/// GB"; never GiB).
pub const BYTES_PER_GB: i64 = 1_000_000_000;

/// What a plan limits: students, staff seats, storage in bytes, courses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub students: i64,
    pub staff: i64,
    pub storage_bytes: i64,
    pub courses: i64,
}

/// The limits of a trial when the operator has chosen no trial plan (issue 15): 100 students, 5
/// staff seats, 10 courses and 5 GB of storage.
pub const TRIAL_LIMITS: Limits = Limits {
    students: 100,
    staff: 5,
    storage_bytes: 5 * BYTES_PER_GB,
    courses: 10,
};

/// `amount x numerator / denominator`, rounded half-up to the minor unit, in exact integer
/// arithmetic. Amounts and ratios are never negative here.
pub fn prorate(amount_minor: i64, numerator: i64, denominator: i64) -> i64 {
    assert!(denominator > 0, "a ratio needs a positive denominator");
    let (a, n, d) = (
        i128::from(amount_minor.max(0)),
        i128::from(numerator.max(0)),
        i128::from(denominator),
    );
    // Within i128 for any amounts and ratios of i64 but the most extreme: those saturate.
    let rounded = a
        .checked_mul(n)
        .and_then(|x| x.checked_mul(2))
        .and_then(|x| x.checked_add(d))
        .map_or(i128::MAX, |x| x / (2 * d));
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

/// `percent` of an amount (a promotion), rounded half-up.
pub fn percent_of(amount_minor: i64, percent: u8) -> i64 {
    prorate(amount_minor, i64::from(percent.min(100)), 100)
}

/// A paid period of the licence, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// How many days the period has.
    pub fn days(&self) -> i64 {
        days_between(self.from, self.to) + 1
    }
}

/// `to - from` in calendar days.
pub fn days_between(from: Date, to: Date) -> i64 {
    // Between two civil dates the span's largest unit is days.
    i64::from(to.since(from).map_or(0, |s| s.get_days()))
}

fn plus_days(d: Date, n: i64) -> Date {
    d.saturating_add(Span::new().days(n))
}

/// `anchor + months`, the same day number or the month's last day (binding decision on
/// counting days).
pub fn add_months(anchor: Date, months: i64) -> Date {
    anchor.saturating_add(Span::new().months(months))
}

/// A chain of periods of one plan: the anchor date and the months paid since it. Its k-th
/// period ends on anchor + (months so far) months, so month ends never drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    pub anchor: Date,
    pub months: i64,
}

impl Chain {
    /// The last paid day L.
    pub fn last_day(&self) -> Date {
        add_months(self.anchor, self.months)
    }

    /// Appends a term: the new period, and the chain with it.
    pub fn extend(self, term_months: i64) -> (Period, Chain) {
        let from = plus_days(self.last_day(), 1);
        let next = Chain {
            anchor: self.anchor,
            months: self.months + term_months,
        };
        (
            Period {
                from,
                to: next.last_day(),
            },
            next,
        )
    }

    /// A new chain anchored at the event date `on`: its first period starts the day after.
    pub fn start(on: Date, term_months: i64) -> (Period, Chain) {
        Chain {
            anchor: on,
            months: 0,
        }
        .extend(term_months)
    }
}

/// How a full payment of a licence invoice places its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The chain goes on (the same contract).
    Continue { period: Period, chain: Chain },
    /// A new chain in the same contract (the first purchase, a plan change).
    NewChain { period: Period, chain: Chain },
    /// 7 days late or more: the contract ended and a new one starts with this chain.
    NewContract { period: Period, chain: Chain },
}

impl Placement {
    pub fn period(&self) -> Period {
        match self {
            Self::Continue { period, .. }
            | Self::NewChain { period, .. }
            | Self::NewContract { period, .. } => *period,
        }
    }

    pub fn chain(&self) -> Chain {
        match self {
            Self::Continue { chain, .. }
            | Self::NewChain { chain, .. }
            | Self::NewContract { chain, .. } => *chain,
        }
    }
}

/// The days of delay that end a contract.
pub const LATE_DAYS: i64 = 7;

/// How many days before the last paid day L the renewal invoice is issued.
pub const RENEWAL_LEAD_DAYS: i64 = 10;

/// Whether the renewal of a period paid through `paid_through` is due on `today`: from
/// L - 10 on (issued once; the caller knows whether an invoice is open already).
pub fn renewal_due(paid_through: Date, today: Date) -> bool {
    today >= plus_days(paid_through, -RENEWAL_LEAD_DAYS)
}

/// The day a trial is counted from: the creation date, or, when the operator moved the trial's
/// last day later, 14 days before that last day (so a longer trial stays free and a first
/// purchase never buys days already gone).
pub fn trial_start(created_on: Date, trial_ends_on: Date) -> Date {
    created_on.max(plus_days(trial_ends_on, -crate::tenancy::TRIAL_DAYS))
}

/// Where the first purchase's period falls (A-5, R-4.3, R-4.4b): paid during the trial or fewer
/// than 7 days after its last day, the chain is anchored at the trial's start ([`trial_start`]:
/// the creation date unless the trial was moved later); later, at the payment date.
pub fn first_purchase(
    created_on: Date,
    trial_ends_on: Date,
    paid_on: Date,
    term: i64,
) -> Placement {
    let anchor = if days_between(trial_ends_on, paid_on) < LATE_DAYS {
        trial_start(created_on, trial_ends_on)
    } else {
        paid_on
    };
    let (period, chain) = Chain::start(anchor, term);
    Placement::NewChain { period, chain }
}

/// Where a renewal of the same plan falls (R-4.5a, R-5.1.1, R-5.1.2): paid before L or fewer
/// than 7 days after it, the chain goes on with no day lost or gained; at 7 days or more the
/// contract has ended and a new chain is anchored at the payment date.
pub fn renewal(chain: Chain, paid_on: Date, term: i64) -> Placement {
    if days_between(chain.last_day(), paid_on) < LATE_DAYS {
        let (period, chain) = chain.extend(term);
        Placement::Continue { period, chain }
    } else {
        let (period, chain) = Chain::start(paid_on, term);
        Placement::NewContract { period, chain }
    }
}

/// The credit of a plan change (R-4.5b, A-8): what was actually paid for the current period x
/// its unused days (L - I, I the invoice date) / its days, rounded half-up. Zero when the
/// invoice date is on or after L.
pub fn proration_credit(paid_minor: i64, period: Period, invoiced_on: Date) -> i64 {
    let unused = days_between(invoiced_on, period.to).clamp(0, period.days());
    prorate(paid_minor, unused, period.days())
}

/// The largest refund of a promotional payment for a contract ended early: paid minus
/// the used time at the regular monthly price (whole months at the monthly price, leftover days
/// pro rata over that month's days), never below 0.
pub fn refund_cap(
    paid_minor: i64,
    monthly_price_minor: i64,
    period_start: Chain,
    ended_on: Date,
) -> i64 {
    // The period starts after anchor + months (its chain so far); months are counted on the
    // chain's anchor, so month ends never drift.
    let at = |k: i64| add_months(period_start.anchor, period_start.months + k);
    let mut whole = 0;
    while at(whole + 1) <= ended_on {
        whole += 1;
    }
    let month_from = plus_days(at(whole), 1);
    let month_days = days_between(month_from, at(whole + 1)) + 1;
    let leftover = days_between(month_from, ended_on) + 1;
    let used =
        monthly_price_minor
            .saturating_mul(whole)
            .saturating_add(if ended_on >= month_from {
                prorate(monthly_price_minor, leftover.min(month_days), month_days)
            } else {
                0
            });
    paid_minor.saturating_sub(used).max(0)
}

/// The due date of an invoice: 3 business days after issue.
pub fn due_on(calendar: &BusinessCalendar, issued_on: Date) -> BusinessDate {
    calendar.add_business_days(issued_on, 3)
}

named! {
    /// The licence states of SPEC 3.0 (`blocked` is an overlay, kept apart).
    pub enum LicenceState {
        Trial = "trial",
        TrialExpired = "trial_expired",
        Active = "active",
        Overdue = "overdue",
        Lapsed = "lapsed",
        Terminating = "terminating",
        Terminated = "terminated",
        /// The data was deleted after the retention period (R-4.4a).
        Purged = "purged",
    }
}

impl LicenceState {
    /// Whether staff, learners and the API may work (the binding decision on access).
    pub fn allows_use(self) -> bool {
        matches!(self, Self::Trial | Self::Active | Self::Terminating)
    }
}

/// What the state of a licence on a date depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenceFacts {
    pub trial_ends_on: Date,
    pub application_deadline: Date,
    /// The last paid day L of the contract in force, if anything was ever paid in it.
    pub paid_through: Option<Date>,
    /// An unpaid licence invoice that is not void (an application is being paid).
    pub open_licence_invoice: bool,
    /// A termination notice is pending.
    pub notice_pending: bool,
    /// No contract is in force: how the last one ended.
    pub ended: Option<Ending>,
    /// The school's data was purged.
    pub purged: bool,
}

/// How a contract ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Not paid: no application by the deadline, or 7 days late.
    Lapsed,
    /// A notice, an objection or a refusal took effect.
    Terminated,
}

impl Ending {
    /// From a contract's end reason (none recorded: terminated).
    pub fn of_reason(reason: Option<crate::tenancy::EndReason>) -> Self {
        use crate::tenancy::EndReason;
        match reason {
            Some(EndReason::LatePayment | EndReason::NoApplication) => Self::Lapsed,
            _ => Self::Terminated,
        }
    }
}

/// The first day after `today` on which the daily run has something to do for a school: a state
/// change (the trial's end, the application deadline, L + 1, L + 7, a notice's end), a renewal
/// invoice (L - 10) or a reminder (the due date, L, L + 3). `None`: nothing until something
/// else happens (a payment, a notice), which brings the school back at once.
pub fn next_event(
    f: &LicenceFacts,
    open_invoice_due: Option<Date>,
    notice_ends: Option<Date>,
    purge: Option<(Date, Date)>,
    today: Date,
) -> Option<Date> {
    let mut days: Vec<Date> = Vec::new();
    // The purge warning's last day and the purge day (R-4.4a), whatever else ended.
    if let (Some((warning, purge_on)), false) = (purge, f.purged) {
        days.push(warning);
        days.push(purge_on);
    }
    if f.ended.is_none() {
        match f.paid_through {
            None => {
                days.push(plus_days(f.trial_ends_on, 1));
                days.push(plus_days(f.application_deadline, 1));
            }
            Some(l) => {
                for offset in [-RENEWAL_LEAD_DAYS, 0, 1, 3, LATE_DAYS] {
                    days.push(plus_days(l, offset));
                }
            }
        }
        if let Some(due) = open_invoice_due {
            days.push(due);
            days.push(plus_days(due, 1));
        }
        if let Some(end) = notice_ends {
            days.push(plus_days(end, 1));
        }
    }
    days.into_iter().filter(|d| *d > today).min()
}

/// The state on local date `on` (SPEC 3.0; transitions at 00:00 of the day named).
pub fn state_on(f: &LicenceFacts, on: Date) -> LicenceState {
    if f.purged {
        return LicenceState::Purged;
    }
    match f.ended {
        Some(Ending::Lapsed) => return LicenceState::Lapsed,
        Some(Ending::Terminated) => return LicenceState::Terminated,
        None => {}
    }
    // Unpaid time comes before a pending notice: a school past its paid period does not work
    // on by giving notice.
    if let Some(l) = f.paid_through
        && on > l
    {
        return if days_between(l, on) < LATE_DAYS {
            LicenceState::Overdue
        } else {
            LicenceState::Lapsed
        };
    }
    if f.notice_pending {
        return LicenceState::Terminating;
    }
    match f.paid_through {
        Some(l) if on <= l => LicenceState::Active,
        Some(l) if days_between(l, on) < LATE_DAYS => LicenceState::Overdue,
        Some(_) => LicenceState::Lapsed,
        None if on <= f.trial_ends_on => LicenceState::Trial,
        None if on <= f.application_deadline || f.open_licence_invoice => {
            LicenceState::TrialExpired
        }
        None => LicenceState::Lapsed,
    }
}

/// The last day to grant the rights money pays for: 3 business days after the day it reached
/// the account, the receipt's deadline.
pub fn grant_deadline(cal: &BusinessCalendar, received_on: Date) -> Date {
    cal.add_business_days(received_on, 3).date
}

#[cfg(test)]
mod tests;
