//! Who a request acts as and what they may do: the principal of a session or API token, the
//! token's scope, the one access rule of SPEC 3.0 (the licence and blocks), and the role checks
//! of the school's staff and of the operator's staff. Every service begins with one of these
//! checks; nothing here reads the database.

use educenter_domain::billing::LicenceState;
use educenter_domain::ids::{TenantId, UserId};
use educenter_domain::roles::{
    AccountKind, OperatorAction, OperatorRole, TenantAction, TenantRole, tenant_may,
};
use educenter_domain::tenancy::BlockReason;
use educenter_store::audit::{Actor, Entry, Origin};
use jiff::Timestamp;

use crate::{Msg, ServiceError};

/// Who a request acts as.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: UserId,
    /// The tenant of a tenant's account; `None` for operator staff.
    pub tenant_id: Option<TenantId>,
    pub kind: AccountKind,
    pub role: Role,
    /// The hash of the session secret, to sign this session out; `None` for an API token.
    pub session: Option<String>,
    /// The API token the request came with, and its scope; `None` for a session.
    pub token: Option<(String, TokenScope)>,
    /// The licence state of the person's school as last recorded; `None` for operator staff.
    pub licence_state: Option<LicenceState>,
    /// The reason of a block in force over the person's school.
    pub blocked: Option<BlockReason>,
    /// Two-step sign-in is required of this person and not yet set up: the session reaches
    /// only the setting up of it (and signing out) until it is.
    pub mfa_missing: bool,
}

use educenter_domain::roles::Role;

/// Which part of a school a request works in (SPEC 3.0, R-4.1b, R-2.5a).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The school's work: courses, learners, staff, tokens, reports, settings.
    School,
    /// What the owner keeps while the licence does not allow use or the school is blocked:
    /// billing, documents (invoices and acts), the offer, termination and refusal, tickets,
    /// export and account deletion, and their own sign-in and sign-out.
    Kept,
}

impl Principal {
    /// An audit entry of this person's action, naming the API token it came with.
    pub fn audit(&self, action: impl Into<String>) -> Entry {
        let entry = Entry::new(self.actor(), action);
        match &self.token {
            Some((token_id, _)) => entry.token(token_id.clone()),
            None => entry,
        }
    }

    /// Whether this is operator staff whose role may take `action`.
    pub fn operator_may(&self, action: educenter_domain::roles::OperatorAction) -> bool {
        self.kind == AccountKind::Operator
            && self
                .operator_role()
                .is_some_and(|r| educenter_domain::roles::operator_may(r, action))
    }
}

pub use educenter_domain::roles::TokenScope;

impl Principal {
    /// Refuses a read-only API token on a route that changes something.
    pub fn require_write(&self) -> Result<(), ServiceError> {
        match self.token {
            Some((_, TokenScope::Read)) => {
                Err(ServiceError::Forbidden(Msg::new("err-token-read-only")))
            }
            _ => Ok(()),
        }
    }

    /// Whether the school's licence allows its work today (`trial`, `active`, `terminating`);
    /// true for operator staff.
    pub fn licence_allows(&self) -> bool {
        self.licence_state.is_none_or(LicenceState::allows_use)
    }

    /// Whether the school may work now: its licence allows use and no block is in force.
    pub fn school_open(&self) -> bool {
        self.blocked.is_none() && self.licence_allows()
    }

    /// Before anything else, a person who must sign in in two steps and has not set it up is
    /// refused (403 `mfa-required`). Then the one access rule of SPEC 3.0: while a block is in force (403 `blocked`) or the
    /// licence does not allow use (403 `licence_inactive`), staff, learners and every API token
    /// are refused everywhere, and the owner, signed in, reaches only the [`Area::Kept`] part.
    pub fn require_access(&self, area: Area) -> Result<(), ServiceError> {
        if self.mfa_missing {
            return Err(ServiceError::MfaRequired);
        }
        let owner_keeps =
            area == Area::Kept && self.kind == AccountKind::Owner && self.token.is_none();
        if owner_keeps {
            return Ok(());
        }
        if let Some(reason) = &self.blocked {
            return Err(ServiceError::Blocked(*reason));
        }
        if !self.licence_allows() {
            return Err(ServiceError::LicenceInactive(self.licence_state));
        }
        Ok(())
    }

    /// Refuses API tokens where a signed-in session is needed (managing tokens, signing out).
    pub fn require_session(&self) -> Result<&str, ServiceError> {
        self.session
            .as_deref()
            .ok_or_else(|| ServiceError::Forbidden(Msg::new("err-session-only")))
    }
}

impl Principal {
    /// The school role of an owner or staff member.
    pub fn tenant_role(&self) -> Option<TenantRole> {
        self.role.school()
    }

    /// The operator role of the operator's staff.
    pub fn operator_role(&self) -> Option<OperatorRole> {
        self.role.operator()
    }

    /// The audit trail's actor for this person (without the token: see [`Principal::audit`]).
    pub fn actor(&self) -> Actor {
        Actor::Principal {
            kind: self.kind.as_str().to_owned(),
            id: self.user_id.to_string(),
        }
    }
}

/// Who makes a change, when, and from where: what a write needs besides its own input, and
/// what its audit entry records.
#[derive(Debug, Clone)]
pub struct WriteCtx<'a> {
    pub who: &'a Principal,
    pub now: Timestamp,
    pub origin: Origin,
}

impl Principal {
    /// The context of a change this person makes now, from `origin`.
    pub fn writing(&self, now: Timestamp, origin: Origin) -> WriteCtx<'_> {
        WriteCtx {
            who: self,
            now,
            origin,
        }
    }
}

impl WriteCtx<'_> {
    /// The audit entry of this change, made by its person from its origin.
    pub fn audit(&self, action: impl Into<String>) -> Entry {
        self.who.audit(action).origin(self.origin.clone())
    }
}

/// The operator's reach over every school: the cross-tenant side of the store, visibly apart
/// from a school's own [`TenantScope`]. Only [`require_operator`] makes one, for operator staff
/// whose role may take the action it was asked for; it turns the school an operator names (a
/// path's id) into the [`TenantId`] the store takes.
#[derive(Debug)]
pub struct OperatorScope(());

impl OperatorScope {
    /// The school with this id, reached by the operator. Whether it exists is the store's
    /// answer (a 404 for an unknown id).
    pub fn school(&self, id: &str) -> TenantId {
        TenantId::new(id)
    }
}

/// Refuses anyone but operator staff whose role may take `action`; the scope of their reach.
pub fn require_operator(
    who: &Principal,
    action: OperatorAction,
) -> Result<OperatorScope, ServiceError> {
    if who.operator_may(action) {
        Ok(OperatorScope(()))
    } else {
        // Says which role may, rather than hiding that the action exists (issue 15, item 13).
        let roles = educenter_domain::roles::OperatorRole::ALL
            .into_iter()
            .filter(|r| educenter_domain::roles::operator_may(*r, action))
            .map(|r| format!("operator-role-{}", r.as_str()))
            .collect();
        Err(ServiceError::Forbidden(
            Msg::new("err-role-needed").keys("roles", roles),
        ))
    }
}

/// The tenant of a school's person whose role may take `action`; 403 otherwise. Billing and the
/// contract are the part the owner keeps while the school may not work (SPEC 3.0).
pub fn require_tenant(who: &Principal, action: TenantAction) -> Result<&TenantId, ServiceError> {
    who.require_access(match action {
        TenantAction::ManageBilling | TenantAction::ManageContract => Area::Kept,
        _ => Area::School,
    })?;
    let role = who.tenant_role();
    match (&who.tenant_id, who.kind.is_school_staff(), role) {
        (Some(t), true, Some(role)) if tenant_may(role, action) => Ok(t),
        _ => {
            let roles = TenantRole::ALL
                .into_iter()
                .filter(|r| tenant_may(*r, action))
                .map(|r| format!("role-{}", r.as_str()))
                .collect();
            Err(ServiceError::Forbidden(
                Msg::new("err-role-needed").keys("roles", roles),
            ))
        }
    }
}

/// The part of one school a person works in: the school, from the person's own account (never
/// from the request), and for a teacher the teacher's id, as a teacher sees and edits only the
/// courses assigned to them. Only this module makes one ([`scope`]), from a person whose role
/// may take the action, so a store function that takes the scope's [`TenantScope::tenant`]
/// reads and writes the signed-in person's own school.
#[derive(Debug, Clone)]
pub struct TenantScope {
    tenant: TenantId,
    teacher: Option<UserId>,
}

impl TenantScope {
    /// The school.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// The teacher whose assigned courses are all the person reaches; `None` for the roles
    /// that reach every course of the school.
    pub fn teacher(&self) -> Option<&UserId> {
        self.teacher.as_ref()
    }
}

/// The part of their school a school's person whose role may take `action` works in; 403
/// otherwise ([`require_tenant`]).
pub fn scope(who: &Principal, action: TenantAction) -> Result<TenantScope, ServiceError> {
    let tenant = require_tenant(who, action)?.clone();
    let teacher = (who.tenant_role() == Some(TenantRole::Teacher)).then(|| who.user_id.clone());
    Ok(TenantScope { tenant, teacher })
}

/// The school of a student working in it (their courses, lessons, profile); 403 otherwise.
pub fn require_learner(who: &Principal) -> Result<&TenantId, ServiceError> {
    who.require_access(Area::School)?;
    match (&who.tenant_id, who.kind) {
        (Some(t), AccountKind::Learner) => Ok(t),
        _ => Err(ServiceError::Forbidden(Msg::new("err-students-only"))),
    }
}
