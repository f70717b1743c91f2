//! Sums of money that cannot wrap (issue 15, item 16). Every amount a person or a program
//! enters is one line, bounded by [`MAX_AMOUNT_MINOR`]; every document (an invoice, a quote, an
//! act) is bounded by [`MAX_DOCUMENT_MINOR`], so that a document is refused before it is
//! written rather than issued for a wrapped total. Sums of what is already stored (a credit
//! ledger, earlier refunds, an act's lines) are taken exactly in `i128` and clamped to `i64`: a
//! page that shows them never fails for good, whatever the database holds.

use serde::{Deserialize, Serialize};

pub use crate::billing::{Currency, MAX_AMOUNT_MINOR, MAX_DOCUMENT_MINOR};

/// An amount of one currency in minor units (tiyn or cents). Sums of two currencies do not
/// exist: [`Money::checked_add`] refuses them, as it refuses a sum that would not fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Minor units: 1/100 of the currency's unit.
    #[serde(rename = "amount_minor")]
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// `self + other`, when both are of one currency and the sum fits.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Self::new(minor, self.currency))
    }

    /// `self - other`, when both are of one currency and the difference fits.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_sub(other.minor))
            .flatten()
            .map(|minor| Self::new(minor, self.currency))
    }
}

/// Whether an amount entered as one line (a price, a payment, a refund, a receipt, a fixed
/// discount, an item of a quote) is positive and within [`MAX_AMOUNT_MINOR`].
pub fn is_line_amount(amount_minor: i64) -> bool {
    (1..=MAX_AMOUNT_MINOR).contains(&amount_minor)
}

/// `unit_minor x quantity`, when the product is a line within [`MAX_AMOUNT_MINOR`]; `None` when
/// it is negative, larger, or would not fit in `i64` at all.
pub fn line_amount(unit_minor: i64, quantity: i64) -> Option<i64> {
    unit_minor
        .checked_mul(quantity)
        .filter(|a| (0..=MAX_AMOUNT_MINOR).contains(a))
}

/// The total of a document's lines (credits and discounts are negative lines), when its size is
/// within [`MAX_DOCUMENT_MINOR`]; `None` otherwise. Exact for any number of lines.
pub fn document_total(lines: impl IntoIterator<Item = i64>) -> Option<i64> {
    let total = exact_sum(lines);
    (total.unsigned_abs() <= u128::from(MAX_DOCUMENT_MINOR.unsigned_abs()))
        .then(|| i64::try_from(total).ok())
        .flatten()
}

/// The sum of stored amounts, exact, clamped to the range of `i64` (never a panic or a wrap).
pub fn saturating_sum(amounts: impl IntoIterator<Item = i64>) -> i64 {
    let total = exact_sum(amounts);
    i64::try_from(total).unwrap_or(if total < 0 { i64::MIN } else { i64::MAX })
}

/// `a + b` clamped to `i64` (a stored amount and another).
pub fn add(a: i64, b: i64) -> i64 {
    a.saturating_add(b)
}

/// An exact sum: `i128` holds the sum of 2^64 amounts of `i64`, more than any list can have.
fn exact_sum(amounts: impl IntoIterator<Item = i64>) -> i128 {
    amounts
        .into_iter()
        .fold(0i128, |acc, a| acc + i128::from(a))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn money_adds_only_within_one_currency() {
        let kzt = |m| Money::new(m, Currency::Kzt);
        assert_eq!(kzt(3_000_000).checked_add(kzt(50)), Some(kzt(3_000_050)));
        assert_eq!(kzt(100).checked_sub(kzt(250)), Some(kzt(-150)));
        assert_eq!(kzt(100).checked_add(Money::new(100, Currency::Eur)), None);
        assert_eq!(kzt(100).checked_sub(Money::new(1, Currency::Usd)), None);
        assert_eq!(kzt(i64::MAX).checked_add(kzt(1)), None);
        assert_eq!(kzt(i64::MIN).checked_sub(kzt(1)), None);
        assert_eq!(
            serde_json::to_value(kzt(150)).ok(),
            Some(serde_json::json!({"amount_minor": 150, "currency": "KZT"}))
        );
    }

    #[test]
    fn one_line_is_bounded() {
        assert!(is_line_amount(1));
        assert!(is_line_amount(MAX_AMOUNT_MINOR));
        assert!(!is_line_amount(MAX_AMOUNT_MINOR + 1));
        assert!(!is_line_amount(0));
        assert!(!is_line_amount(-1));
        assert!(!is_line_amount(i64::MAX));
    }

    #[test]
    fn a_line_of_units_is_bounded_and_never_wraps() {
        assert_eq!(line_amount(1_000_000, 12), Some(12_000_000));
        assert_eq!(line_amount(MAX_AMOUNT_MINOR, 1), Some(MAX_AMOUNT_MINOR));
        assert_eq!(line_amount(MAX_AMOUNT_MINOR, 2), None);
        assert_eq!(line_amount(i64::MAX / 2 + 1, 2), None);
        assert_eq!(line_amount(-5, 2), None);
    }

    #[test]
    fn a_document_total_is_refused_past_its_maximum() {
        assert_eq!(
            document_total([MAX_AMOUNT_MINOR; 10]),
            Some(MAX_DOCUMENT_MINOR)
        );
        assert_eq!(document_total([MAX_AMOUNT_MINOR; 11]), None);
        // What once wrapped to 0.01: two lines adding past i64::MAX.
        assert_eq!(document_total([i64::MAX, 2]), None);
        assert_eq!(document_total([i64::MAX, i64::MAX, 1]), None);
        assert_eq!(document_total([3_000_000, -500_000, -2_500_000]), Some(0));
        assert_eq!(document_total([]), Some(0));
    }

    #[test]
    fn stored_sums_saturate() {
        assert_eq!(saturating_sum([i64::MAX, i64::MAX]), i64::MAX);
        assert_eq!(saturating_sum([i64::MIN, -1]), i64::MIN);
        assert_eq!(saturating_sum([i64::MAX, i64::MAX, i64::MIN, i64::MIN]), -2);
        assert_eq!(add(i64::MAX, 1), i64::MAX);
    }

    proptest! {
        #[test]
        fn bounded_lines_add_up_exactly(lines in proptest::collection::vec(-MAX_AMOUNT_MINOR..=MAX_AMOUNT_MINOR, 0..10)) {
            let exact: i128 = lines.iter().map(|&a| i128::from(a)).sum();
            prop_assert_eq!(document_total(lines.clone()).map(i128::from), Some(exact));
            prop_assert_eq!(i128::from(saturating_sum(lines)), exact);
        }
    }
}
