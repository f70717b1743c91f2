//! Roles and what each may do (SPEC section 2). Decided here, in one place.

use serde::{Deserialize, Serialize};

/// The operator's staff roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    SuperAdmin,
    Billing,
    Support,
    Compliance,
}

impl OperatorRole {
    pub const ALL: [OperatorRole; 4] = [
        OperatorRole::SuperAdmin,
        OperatorRole::Billing,
        OperatorRole::Support,
        OperatorRole::Compliance,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SuperAdmin => "super_admin",
            Self::Billing => "billing",
            Self::Support => "support",
            Self::Compliance => "compliance",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Operator actions that need a particular role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatorAction {
    /// Offer versions, plans and prices, the business calendar, requisites, operator staff.
    ManagePlatform,
    /// Invoices, payments, refunds, acts and objections, credit balances.
    ManageBilling,
    /// Tickets and support sessions.
    HandleSupport,
    /// Blocks, authority requests, complaints.
    HandleCompliance,
}

/// Whether an operator role may take an action: each role only its own actions (issue 3).
pub fn operator_may(role: OperatorRole, action: OperatorAction) -> bool {
    matches!(
        (role, action),
        (OperatorRole::SuperAdmin, OperatorAction::ManagePlatform)
            | (OperatorRole::Billing, OperatorAction::ManageBilling)
            | (OperatorRole::Support, OperatorAction::HandleSupport)
            | (OperatorRole::Compliance, OperatorAction::HandleCompliance)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operator_role_may_exactly_its_own_action() {
        let actions = [
            OperatorAction::ManagePlatform,
            OperatorAction::ManageBilling,
            OperatorAction::HandleSupport,
            OperatorAction::HandleCompliance,
        ];
        for (i, role) in OperatorRole::ALL.into_iter().enumerate() {
            for (j, action) in actions.into_iter().enumerate() {
                assert_eq!(operator_may(role, action), i == j, "{role:?} {action:?}");
            }
            assert_eq!(OperatorRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(OperatorRole::parse("root"), None);
    }
}
