//! Limits on actions that send mail to an address someone else typed, or that use a school's
//! quota, so that nobody can turn them into a mail cannon (issue 15, item 16: one address got
//! 51 invitations; 30 sign-ups in 1.3 s each sent mail and took a student seat).
//!
//! Each limit is a token bucket in the database (`store::sessions::try_take`, as sign-in's),
//! so it holds across instances. The buckets are taken in the transaction of the action: an
//! action that fails for another reason rolls back and gives its tokens back.

use educenter_store::{
    Conn,
    sessions::{Bucket, try_take},
};
use jiff::{SignedDuration, Timestamp};

use crate::ServiceError;

/// A new invitation for the same student: once per 10 minutes...
pub const INVITATION_RESEND: Bucket = Bucket {
    capacity: 1,
    refill: SignedDuration::from_secs(10 * 60),
};
/// ... and 3 within a day (after the third, one more a day).
pub const INVITATION_RESEND_DAILY: Bucket = Bucket {
    capacity: 3,
    refill: SignedDuration::from_hours(24),
};
/// Students signing themselves up at one school: 60 at once, then one a minute.
pub const SIGNUPS_PER_SCHOOL: Bucket = Bucket {
    capacity: 60,
    refill: SignedDuration::from_secs(60),
};
/// Students' sign-ups from one client address, at any school: 10 at once, then one every 6
/// minutes (a classroom behind one address signs up 10 at once; staff add the rest, or import).
pub const SIGNUPS_PER_ADDRESS: Bucket = Bucket {
    capacity: 10,
    refill: SignedDuration::from_secs(6 * 60),
};

/// The buckets of a resend of a student's invitation.
pub fn invitation_resend(tenant_id: &str, user_id: &str) -> [(String, Bucket); 2] {
    [
        (format!("invite:{tenant_id}:{user_id}"), INVITATION_RESEND),
        (
            format!("invite-daily:{tenant_id}:{user_id}"),
            INVITATION_RESEND_DAILY,
        ),
    ]
}

/// The buckets of a student's own sign-up at a school, from a client address when known.
pub fn student_signup(tenant_id: &str, address: Option<&str>) -> Vec<(String, Bucket)> {
    let mut buckets = vec![(format!("signup:school:{tenant_id}"), SIGNUPS_PER_SCHOOL)];
    if let Some(ip) = address {
        buckets.push((format!("signup:address:{ip}"), SIGNUPS_PER_ADDRESS));
    }
    buckets
}

/// Takes a token from every bucket, or refuses with how long until all have one
/// (`TooManyRequests`); then the caller must not commit, so no token is spent.
pub async fn take(
    conn: &mut Conn,
    buckets: &[(String, Bucket)],
    now: Timestamp,
) -> Result<(), ServiceError> {
    let mut wait = None::<SignedDuration>;
    for (name, shape) in buckets {
        if let Some(w) = try_take(conn, name, *shape, now).await? {
            wait = Some(wait.map_or(w, |longest| longest.max(w)));
        }
    }
    match wait {
        None => Ok(()),
        Some(w) => {
            // Whole seconds, rounded up: a client that waits that long gets its token.
            let secs = w.as_secs() + i64::from(w.subsec_nanos() > 0);
            Err(ServiceError::TooManyRequests(
                u64::try_from(secs).unwrap_or(1).max(1),
            ))
        }
    }
}
