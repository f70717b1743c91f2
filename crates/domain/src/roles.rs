//! Roles and what each may do (SPEC section 2). Decided here, in one place.

use crate::named::named;

use serde::{Deserialize, Serialize};

/// The operator's staff roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRole {
    SuperAdmin,
    Billing,
    Support,
    Compliance,
    /// Maintenance windows, backups, restores, incident and force-majeure notices (SPEC 2).
    Infrastructure,
}

impl OperatorRole {
    pub const ALL: [OperatorRole; 5] = [
        OperatorRole::SuperAdmin,
        OperatorRole::Billing,
        OperatorRole::Support,
        OperatorRole::Compliance,
        OperatorRole::Infrastructure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SuperAdmin => "super_admin",
            Self::Billing => "billing",
            Self::Support => "support",
            Self::Compliance => "compliance",
            Self::Infrastructure => "infrastructure",
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
    /// The platform's operations: background jobs and mail that failed for good, maintenance,
    /// backups, restores, incidents and force majeure.
    RunInfrastructure,
    /// Find tenants and read their contract, acceptances and audit trail: every role needs it.
    ViewTenants,
}

/// Whether an operator role may take an action: each role only its own actions (issue 3).
pub fn operator_may(role: OperatorRole, action: OperatorAction) -> bool {
    matches!(
        (role, action),
        (OperatorRole::SuperAdmin, OperatorAction::ManagePlatform)
            | (OperatorRole::Billing, OperatorAction::ManageBilling)
            | (OperatorRole::Support, OperatorAction::HandleSupport)
            | (OperatorRole::Compliance, OperatorAction::HandleCompliance)
            | (
                OperatorRole::Infrastructure,
                OperatorAction::RunInfrastructure
            )
            | (_, OperatorAction::ViewTenants)
    )
}

/// The roles of a school's people: its owner and the staff presets (SPEC section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantRole {
    Owner,
    Administrator,
    Teacher,
    Manager,
    Accountant,
}

impl TenantRole {
    pub const ALL: [TenantRole; 5] = [
        TenantRole::Owner,
        TenantRole::Administrator,
        TenantRole::Teacher,
        TenantRole::Manager,
        TenantRole::Accountant,
    ];
    /// The roles the owner may give staff.
    pub const STAFF: [TenantRole; 4] = [
        TenantRole::Administrator,
        TenantRole::Teacher,
        TenantRole::Manager,
        TenantRole::Accountant,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Administrator => "administrator",
            Self::Teacher => "teacher",
            Self::Manager => "manager",
            Self::Accountant => "accountant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What a school's people do in its cabinet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantAction {
    /// Invite staff, change their roles, remove them (the issue gives this to the owner).
    ManageStaff,
    /// See who the staff are.
    ViewStaff,
    /// Hold API tokens of one's own.
    UseApiTokens,
    /// Create and edit courses (a teacher: the assigned ones).
    EditContent,
    /// Learners, groups and enrolments.
    ManageLearners,
    /// Mailings to learners who consented.
    SendMailings,
    /// Reports on learning.
    ViewReports,
    /// Applications, invoices, payments and acts.
    ManageBilling,
    /// Objection to an offer version, termination notice, refusal, account deletion.
    ManageContract,
}

impl TenantAction {
    pub const ALL: [TenantAction; 9] = [
        TenantAction::ManageStaff,
        TenantAction::ViewStaff,
        TenantAction::UseApiTokens,
        TenantAction::EditContent,
        TenantAction::ManageLearners,
        TenantAction::SendMailings,
        TenantAction::ViewReports,
        TenantAction::ManageBilling,
        TenantAction::ManageContract,
    ];
}

/// The one place that decides what a school's role may do (issue 3, item 5).
pub fn tenant_may(role: TenantRole, action: TenantAction) -> bool {
    use TenantAction as A;
    use TenantRole as R;
    match role {
        R::Owner => true,
        // Everything except ownership, the contract and staff management (the owner's).
        R::Administrator => !matches!(action, A::ManageStaff | A::ManageContract),
        R::Teacher => matches!(action, A::UseApiTokens | A::EditContent | A::ViewReports),
        R::Manager => matches!(
            action,
            A::UseApiTokens | A::ManageLearners | A::SendMailings | A::ViewReports
        ),
        R::Accountant => matches!(
            action,
            A::UseApiTokens | A::ManageBilling | A::ViewReports | A::ViewStaff
        ),
    }
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
            OperatorAction::RunInfrastructure,
        ];
        for (i, role) in OperatorRole::ALL.into_iter().enumerate() {
            for (j, action) in actions.into_iter().enumerate() {
                assert_eq!(operator_may(role, action), i == j, "{role:?} {action:?}");
            }
            assert!(operator_may(role, OperatorAction::ViewTenants), "{role:?}");
            assert_eq!(OperatorRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(OperatorRole::parse("root"), None);
    }

    /// The whole role x action matrix, written out: a change to the policy must change this.
    #[test]
    fn the_tenant_permission_matrix() {
        use TenantAction as A;
        // Columns: staff, view staff, tokens, content, learners, mailings, reports, billing,
        // contract.
        let expected: [(TenantRole, [bool; 9]); 5] = [
            (TenantRole::Owner, [true; 9]),
            (
                TenantRole::Administrator,
                [false, true, true, true, true, true, true, true, false],
            ),
            (
                TenantRole::Teacher,
                [false, false, true, true, false, false, true, false, false],
            ),
            (
                TenantRole::Manager,
                [false, false, true, false, true, true, true, false, false],
            ),
            (
                TenantRole::Accountant,
                [false, true, true, false, false, false, true, true, false],
            ),
        ];
        for (role, row) in expected {
            for (action, allowed) in A::ALL.into_iter().zip(row) {
                assert_eq!(tenant_may(role, action), allowed, "{role:?} {action:?}");
            }
            assert_eq!(TenantRole::parse(role.as_str()), Some(role));
        }
    }
}

named! {
    /// Whose account a person has: the operator's staff, or a school's owner, staff member or
    /// learner (`users.kind`).
    pub enum AccountKind {
        Operator = "operator",
        Owner = "owner",
        Staff = "staff",
        Learner = "learner",
    }
}

impl AccountKind {
    /// A person of a school (its owner or staff), who works in the cabinet.
    pub fn is_school_staff(self) -> bool {
        matches!(self, Self::Owner | Self::Staff)
    }

    /// Whether this person must sign in in two steps: the operator's staff always; a
    /// school's staff when its owner requires it (`school_requires`); owners and learners
    /// choose for themselves.
    pub fn mfa_required(self, school_requires: bool) -> bool {
        match self {
            Self::Operator => true,
            Self::Staff => school_requires,
            Self::Owner | Self::Learner => false,
        }
    }
}

#[cfg(test)]
mod account_kind_tests {
    use super::AccountKind;

    #[test]
    fn two_step_sign_in_is_required_of_operators_and_of_staff_when_the_owner_says() {
        for school_requires in [false, true] {
            assert!(AccountKind::Operator.mfa_required(school_requires));
            assert!(!AccountKind::Owner.mfa_required(school_requires));
            assert!(!AccountKind::Learner.mfa_required(school_requires));
            assert_eq!(
                AccountKind::Staff.mfa_required(school_requires),
                school_requires
            );
        }
    }

    #[test]
    fn kinds_read_back_as_written() {
        for k in AccountKind::ALL {
            assert_eq!(AccountKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(AccountKind::parse("Owner"), None);
    }
}

named! {
    /// How a person is signed in (`sessions.kind`): a browser's cookie, or a bearer session
    /// opened through the API.
    pub enum SessionKind {
        Web = "web",
        Api = "api",
    }
}

named! {
    /// What an API token may do (R-3.5.6, `api_tokens.scope`): read by default, write only when
    /// granted.
    pub enum TokenScope {
        Read = "read",
        ReadWrite = "read_write",
    }
}

named! {
    /// What a single-use e-mailed link is for (`email_tokens.purpose`).
    pub enum TokenPurpose {
        /// A staff member, student or operator sets the first password.
        Invitation = "invitation",
        ResetPassword = "reset_password",
        VerifyEmail = "verify_email",
    }
}

/// A person's role: an operator role for the operator's staff, a school role for its owner and
/// staff, and the one role of a student (`users.role`, read with the account's kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Operator(OperatorRole),
    School(TenantRole),
    Learner,
}

impl Role {
    /// The role of an account of `kind` as stored; `None` when the two do not fit together.
    pub fn parse(kind: AccountKind, role: &str) -> Option<Self> {
        match kind {
            AccountKind::Operator => OperatorRole::parse(role).map(Self::Operator),
            AccountKind::Owner | AccountKind::Staff => TenantRole::parse(role).map(Self::School),
            AccountKind::Learner => (role == "student").then_some(Self::Learner),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Operator(r) => r.as_str(),
            Self::School(r) => r.as_str(),
            Self::Learner => "student",
        }
    }

    /// The school role, for an owner's or staff member's account.
    pub fn school(self) -> Option<TenantRole> {
        match self {
            Self::School(r) => Some(r),
            _ => None,
        }
    }

    /// The operator role, for an operator's account.
    pub fn operator(self) -> Option<OperatorRole> {
        match self {
            Self::Operator(r) => Some(r),
            _ => None,
        }
    }
}

/// A role is its stored word in JSON (`teacher`, `super_admin`, `student`).
impl Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl Role {
    /// Every role's word: the operator's, a school's, then a student's.
    pub fn words() -> impl Iterator<Item = &'static str> {
        OperatorRole::ALL
            .into_iter()
            .map(OperatorRole::as_str)
            .chain(TenantRole::ALL.into_iter().map(TenantRole::as_str))
            .chain(["student"])
    }
}

/// In the OpenAPI document a role is one of its words.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Role {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A person's role: the operator's (`super_admin`, `billing`, `support`, \
                 `compliance`, `infrastructure`), a school's (`owner`, `administrator`, \
                 `teacher`, `manager`, `accountant`) or a student's (`student`).",
            ))
            .enum_values(Some(Role::words()))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Role {}
