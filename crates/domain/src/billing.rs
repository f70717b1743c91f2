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

/// Where the first purchase's period falls (A-5, R-4.3, R-4.4b): paid during the trial or fewer
/// than 7 days after its last day, the chain is anchored at the creation date; later, at the
/// payment date.
pub fn first_purchase(
    created_on: Date,
    trial_ends_on: Date,
    paid_on: Date,
    term: i64,
) -> Placement {
    let anchor = if days_between(trial_ends_on, paid_on) < LATE_DAYS {
        created_on
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
                for offset in [-10, 0, 1, 3, LATE_DAYS] {
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

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;
    use crate::calendar::tests::kz;

    #[test]
    fn the_issue_example_first_period_renewal_and_seven_days_late() {
        // Created 2027-02-01, trial to 2027-02-15; 1 month paid 2027-02-10.
        let first = first_purchase(date(2027, 2, 1), date(2027, 2, 15), date(2027, 2, 10), 1);
        assert_eq!(
            first.period(),
            Period {
                from: date(2027, 2, 2),
                to: date(2027, 3, 1)
            }
        );
        // Renewal paid 2027-03-07 (L + 6): the chain goes on to 2027-04-01.
        let on_time = renewal(first.chain(), date(2027, 3, 7), 1);
        assert!(matches!(on_time, Placement::Continue { .. }));
        assert_eq!(
            on_time.period(),
            Period {
                from: date(2027, 3, 2),
                to: date(2027, 4, 1)
            }
        );
        // Paid 2027-03-08 (L + 7): a new contract, 2027-03-09 to 2027-04-08.
        let late = renewal(first.chain(), date(2027, 3, 8), 1);
        assert!(matches!(late, Placement::NewContract { .. }));
        assert_eq!(
            late.period(),
            Period {
                from: date(2027, 3, 9),
                to: date(2027, 4, 8)
            }
        );
    }

    #[test]
    fn spec_scenarios_of_the_first_purchase() {
        // created 2025-03-03, paid 2025-03-12 -> 2025-03-04 to 2025-04-03.
        let p = first_purchase(date(2025, 3, 3), date(2025, 3, 17), date(2025, 3, 12), 1);
        assert_eq!(
            (p.period().from, p.period().to),
            (date(2025, 3, 4), date(2025, 4, 3))
        );
        // R-4.4b: trial ended 2025-03-17, paid 2025-03-28 -> 2025-03-29 to 2025-04-28.
        let p = first_purchase(date(2025, 3, 3), date(2025, 3, 17), date(2025, 3, 28), 1);
        assert_eq!(
            (p.period().from, p.period().to),
            (date(2025, 3, 29), date(2025, 4, 28))
        );
        // Six days after the trial still anchors at creation; seven does not.
        let p = first_purchase(date(2025, 3, 3), date(2025, 3, 17), date(2025, 3, 23), 3);
        assert_eq!(
            (p.period().from, p.period().to),
            (date(2025, 3, 4), date(2025, 6, 3))
        );
        let p = first_purchase(date(2025, 3, 3), date(2025, 3, 17), date(2025, 3, 24), 3);
        assert_eq!(p.period().from, date(2025, 3, 25));
    }

    #[test]
    fn spec_scenarios_of_renewals() {
        // R-4.5a: anchored 2025-03-31, 1 month: 04-01..04-30, 05-01..05-31, 06-01..06-30.
        let (p, chain) = Chain::start(date(2025, 3, 31), 1);
        assert_eq!((p.from, p.to), (date(2025, 4, 1), date(2025, 4, 30)));
        let r = renewal(chain, date(2025, 4, 25), 1);
        assert_eq!(
            (r.period().from, r.period().to),
            (date(2025, 5, 1), date(2025, 5, 31))
        );
        let r = renewal(r.chain(), date(2025, 5, 30), 1);
        assert_eq!(
            (r.period().from, r.period().to),
            (date(2025, 6, 1), date(2025, 6, 30))
        );
        // L = 2025-03-31, paid 2025-04-06 -> 2025-04-01 to 2025-04-30.
        let chain = Chain {
            anchor: date(2025, 2, 28),
            months: 1,
        };
        assert_eq!(chain.last_day(), date(2025, 3, 28));
        let chain = Chain {
            anchor: date(2024, 12, 31),
            months: 3,
        };
        assert_eq!(chain.last_day(), date(2025, 3, 31));
        let r = renewal(chain, date(2025, 4, 6), 1);
        assert_eq!(
            (r.period().from, r.period().to),
            (date(2025, 4, 1), date(2025, 4, 30))
        );
        // paid 2025-04-07 -> contract #2, 2025-04-08 to 2025-05-07.
        let r = renewal(chain, date(2025, 4, 7), 1);
        assert!(matches!(r, Placement::NewContract { .. }));
        assert_eq!(
            (r.period().from, r.period().to),
            (date(2025, 4, 8), date(2025, 5, 7))
        );
    }

    #[test]
    fn plan_change_credits_and_rounding() {
        // R-4.5b: 30 000 KZT for 2025-04-01..04-30, invoiced 2025-04-20 -> 10 000.00.
        let period = Period {
            from: date(2025, 4, 1),
            to: date(2025, 4, 30),
        };
        assert_eq!(
            proration_credit(3_000_000, period, date(2025, 4, 20)),
            1_000_000
        );
        // 29 990 KZT for a 31-day period with 7 unused days -> 6 771.94.
        let period = Period {
            from: date(2025, 5, 1),
            to: date(2025, 5, 31),
        };
        assert_eq!(
            proration_credit(2_999_000, period, date(2025, 5, 24)),
            677_194
        );
        assert_eq!(proration_credit(2_999_000, period, date(2025, 6, 2)), 0);
        assert_eq!(prorate(5, 1, 2), 3, "half rounds up");
        assert_eq!(prorate(4, 1, 3), 1);
    }

    #[test]
    fn refund_caps_of_a_promotion() {
        // 12 months at 240 000 (regular 30 000/month), ended after exactly 4 months:
        // cap 120 000; after 8 months, 0.
        let chain = Chain {
            anchor: date(2025, 1, 31),
            months: 0,
        };
        assert_eq!(
            refund_cap(24_000_000, 3_000_000, chain, date(2025, 5, 31)),
            12_000_000
        );
        assert_eq!(
            refund_cap(24_000_000, 3_000_000, chain, date(2025, 9, 30)),
            0
        );
        // A chain anchored on 31 January whose period starts after its first month: March is
        // a whole month by 31 March, not by 28 March.
        let later = Chain {
            anchor: date(2025, 1, 31),
            months: 1,
        };
        assert_eq!(
            refund_cap(3_000_000, 3_000_000, later, date(2025, 3, 31)),
            0
        );
        assert_eq!(
            refund_cap(3_000_000, 3_000_000, later, date(2025, 3, 28)),
            prorate(3_000_000, 3, 31)
        );
        // Four months and 15 of June's 30 days: 135 000 used.
        assert_eq!(
            refund_cap(24_000_000, 3_000_000, chain, date(2025, 6, 15)),
            10_500_000
        );
    }

    #[test]
    fn due_dates_skip_days_off() {
        // issued Thu 2025-03-20 -> due Fri 2025-03-28 (Nauryz and a weekend between).
        assert_eq!(due_on(&kz(), date(2025, 3, 20)).date, date(2025, 3, 28));
    }

    #[test]
    fn states_through_a_licence() {
        let f = LicenceFacts {
            trial_ends_on: date(2025, 3, 17),
            application_deadline: date(2025, 4, 2),
            paid_through: None,
            open_licence_invoice: false,
            notice_pending: false,
            ended: None,
            purged: false,
        };
        assert_eq!(state_on(&f, date(2025, 3, 17)), LicenceState::Trial);
        assert_eq!(state_on(&f, date(2025, 3, 18)), LicenceState::TrialExpired);
        assert_eq!(state_on(&f, date(2025, 4, 2)), LicenceState::TrialExpired);
        assert_eq!(state_on(&f, date(2025, 4, 3)), LicenceState::Lapsed);
        let waiting = LicenceFacts {
            open_licence_invoice: true,
            ..f
        };
        assert_eq!(
            state_on(&waiting, date(2025, 4, 3)),
            LicenceState::TrialExpired
        );
        let paid = LicenceFacts {
            paid_through: Some(date(2025, 3, 31)),
            ..f
        };
        assert_eq!(state_on(&paid, date(2025, 3, 31)), LicenceState::Active);
        assert_eq!(state_on(&paid, date(2025, 4, 1)), LicenceState::Overdue);
        assert_eq!(state_on(&paid, date(2025, 4, 6)), LicenceState::Overdue);
        assert_eq!(state_on(&paid, date(2025, 4, 7)), LicenceState::Lapsed);
        let leaving = LicenceFacts {
            notice_pending: true,
            ..paid
        };
        assert_eq!(
            state_on(&leaving, date(2025, 3, 20)),
            LicenceState::Terminating
        );
        assert_eq!(state_on(&leaving, date(2025, 4, 2)), LicenceState::Overdue);
        let gone = LicenceFacts {
            ended: Some(Ending::of_reason(Some(crate::tenancy::EndReason::Notice))),
            ..paid
        };
        assert_eq!(state_on(&gone, date(2025, 3, 20)), LicenceState::Terminated);
        let unpaid = LicenceFacts {
            ended: Some(Ending::of_reason(Some(
                crate::tenancy::EndReason::LatePayment,
            ))),
            ..paid
        };
        assert_eq!(state_on(&unpaid, date(2025, 3, 20)), LicenceState::Lapsed);
        assert!(!LicenceState::Overdue.allows_use());
        assert!(LicenceState::Terminating.allows_use());
    }

    #[test]
    fn amounts_as_people_type_them() {
        assert_eq!(parse_amount("30 000,00"), Some(3_000_000));
        assert_eq!(parse_amount("30000"), Some(3_000_000));
        assert_eq!(parse_amount("6771.94"), Some(677_194));
        assert_eq!(parse_amount("0,5"), Some(50));
        assert_eq!(parse_amount("1\u{a0}234,05"), Some(123_405));
        for bad in ["", "-5", "1,234.56", "12.345", "abc", "1e5", ",50", "5,"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
        // One line's maximum, and no more (nor a number past i64).
        assert_eq!(parse_amount("100 000 000 000,00"), Some(MAX_AMOUNT_MINOR));
        assert_eq!(parse_amount("100 000 000 000,01"), None);
        assert_eq!(parse_amount("92233720368547758,07"), None);
        assert_eq!(parse_amount("99999999999999999999"), None);
    }

    #[test]
    fn the_next_event_of_a_school() {
        let trial = LicenceFacts {
            trial_ends_on: date(2025, 3, 17),
            application_deadline: date(2025, 4, 2),
            paid_through: None,
            open_licence_invoice: false,
            notice_pending: false,
            ended: None,
            purged: false,
        };
        assert_eq!(
            next_event(&trial, None, None, None, date(2025, 3, 3)),
            Some(date(2025, 3, 18))
        );
        assert_eq!(
            next_event(&trial, None, None, None, date(2025, 3, 18)),
            Some(date(2025, 4, 3))
        );
        assert_eq!(next_event(&trial, None, None, None, date(2025, 4, 3)), None);
        let paid = LicenceFacts {
            paid_through: Some(date(2025, 4, 30)),
            ..trial
        };
        assert_eq!(
            next_event(&paid, None, None, None, date(2025, 4, 1)),
            Some(date(2025, 4, 20))
        );
        assert_eq!(
            next_event(
                &paid,
                Some(date(2025, 4, 23)),
                None,
                None,
                date(2025, 4, 20)
            ),
            Some(date(2025, 4, 23))
        );
        assert_eq!(
            next_event(&paid, None, None, None, date(2025, 5, 1)),
            Some(date(2025, 5, 3))
        );
        assert_eq!(
            next_event(&paid, None, None, None, date(2025, 5, 3)),
            Some(date(2025, 5, 7))
        );
        assert_eq!(
            next_event(
                &paid,
                None,
                Some(date(2025, 4, 25)),
                None,
                date(2025, 4, 21)
            ),
            Some(date(2025, 4, 26))
        );
        let gone = LicenceFacts {
            ended: Some(Ending::Lapsed),
            ..paid
        };
        assert_eq!(
            next_event(&gone, Some(date(2025, 5, 12)), None, None, date(2025, 5, 7)),
            None
        );
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (2024i16..2030, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
            let last = date(y, m, 1).last_of_month().day();
            date(y, m, d.min(last))
        })
    }

    proptest! {
        /// Inside one chain, periods never overlap and leave no gap, whatever the terms.
        #[test]
        fn a_chain_has_no_gaps_or_overlaps(anchor in any_date(), terms in proptest::collection::vec(0usize..4, 1..30)) {
            let (mut last, mut chain) = Chain::start(anchor, i64::from(TERMS[terms[0]]));
            prop_assert_eq!(last.from, plus_days(anchor, 1));
            for t in &terms[1..] {
                let (p, next) = chain.extend(i64::from(TERMS[*t]));
                prop_assert_eq!(p.from, plus_days(last.to, 1));
                prop_assert!(p.to > p.from);
                last = p;
                chain = next;
            }
            prop_assert_eq!(last.to, add_months(anchor, chain.months));
        }

        /// A renewal paid before L + 7 continues right after L; from L + 7 it starts after P.
        #[test]
        fn renewals_continue_or_restart(anchor in any_date(), months in 1i64..24, late in -40i64..40) {
            let chain = Chain { anchor, months };
            let paid = plus_days(chain.last_day(), late);
            let r = renewal(chain, paid, 1);
            if late < LATE_DAYS {
                prop_assert_eq!(r.period().from, plus_days(chain.last_day(), 1));
            } else {
                prop_assert_eq!(r.period().from, plus_days(paid, 1));
            }
        }

        /// A credit never exceeds what was paid, and shrinks as the period is used.
        #[test]
        fn credits_never_exceed_the_payment(paid in 0i64..10_000_000_000, anchor in any_date(), months in 1i64..13, used in 0i64..400) {
            let (period, _) = Chain::start(anchor, months);
            let on = plus_days(period.from, used);
            let credit = proration_credit(paid, period, on);
            prop_assert!(credit >= 0 && credit <= paid);
            let later = proration_credit(paid, period, plus_days(on, 1));
            prop_assert!(later <= credit);
        }

        /// Half-up rounding of a ratio is within half a minor unit of the exact value.
        #[test]
        fn proration_rounds_half_up(a in 0i64..1_000_000_000_000, n in 0i64..1000, d in 1i64..1000) {
            let r = i128::from(prorate(a, n, d));
            let exact2 = 2 * i128::from(a) * i128::from(n);
            let d = i128::from(d);
            prop_assert!(2 * r * d - exact2 <= d && exact2 - 2 * r * d < d);
        }
    }
}
