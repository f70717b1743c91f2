//! The contract's chain of paid periods as stored: the period in force.

use crate::ServiceError;
use educenter_domain::ids::TenantId;
use educenter_store::{Conn, billing as store, billing::StoredPeriod};

/// The current chain of the contract in force: its last period, if any.
pub(crate) async fn current_period(
    conn: &mut Conn,
    tenant_id: &TenantId,
    contract_id: &str,
) -> Result<Option<StoredPeriod>, ServiceError> {
    Ok(store::periods(conn, tenant_id)
        .await?
        .into_iter()
        .filter(|p| p.contract_id == contract_id)
        .max_by(|a, b| a.to_on.cmp(&b.to_on)))
}
