//! The operator's requisites as everyone else reads them: the support address schools write to
//! kept in the requisites, read from there by every page and message), and the snapshot
//! an invoice or act keeps of the requisites in force. Editing them is `documents`' part.

use educenter_store::{Conn, documents as store};

use crate::{ServiceError, Services};

/// The support address schools write to.
pub async fn support_email(services: &Services) -> Result<String, ServiceError> {
    let mut conn = services.db.conn().await?;
    Ok(store::current_profile(&mut conn).await?.support_email)
}

/// The requisites in force as an invoice snapshots them.
pub async fn supplier_snapshot(conn: &mut Conn) -> Result<serde_json::Value, ServiceError> {
    Ok(store::supplier_snapshot(conn).await?)
}
