//! The licence chain's and the money's rules, by example and by property.

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
fn a_trial_moved_later_counts_from_fourteen_days_before_its_end() {
    // Created 2026-11-02, the trial moved to end on 2027-01-31 (90 days); paid on 2027-01-20
    // for a month: the period runs from the day after the trial's start (2027-01-17), 2027-01-18,
    // to 2027-02-17, never into days already gone.
    assert_eq!(
        trial_start(date(2026, 11, 2), date(2027, 1, 31)),
        date(2027, 1, 17)
    );
    let p = first_purchase(date(2026, 11, 2), date(2027, 1, 31), date(2027, 1, 20), 1);
    assert_eq!(
        (p.period().from, p.period().to),
        (date(2027, 1, 18), date(2027, 2, 17))
    );
    // A trial moved earlier (or kept) counts from the creation date, as before.
    assert_eq!(
        trial_start(date(2026, 11, 2), date(2026, 11, 10)),
        date(2026, 11, 2)
    );
    assert_eq!(
        trial_start(date(2026, 11, 2), date(2026, 11, 16)),
        date(2026, 11, 2)
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

#[test]
fn rights_are_granted_within_three_business_days_of_the_money() {
    let cal = kz();
    // Received on Wednesday 2027-03-03: Thursday, Friday, then Monday 2027-03-08 is
    // International Women's Day, so Tuesday 2027-03-09.
    assert_eq!(grant_deadline(&cal, date(2027, 3, 3)), date(2027, 3, 9));
    // Received on Monday 2027-02-15: Thursday 2027-02-18.
    assert_eq!(grant_deadline(&cal, date(2027, 2, 15)), date(2027, 2, 18));
}

#[test]
fn a_renewal_is_due_from_ten_days_before_the_last_paid_day() {
    // Paid through 2027-03-31: due from 2027-03-21 on, not on 2027-03-20.
    assert!(!renewal_due(date(2027, 3, 31), date(2027, 3, 20)));
    assert!(renewal_due(date(2027, 3, 31), date(2027, 3, 21)));
    assert!(renewal_due(date(2027, 3, 31), date(2027, 4, 2)));
}
