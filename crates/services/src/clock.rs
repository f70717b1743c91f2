//! The production clock. Domain code only ever sees the [`Clock`] trait.

use educenter_domain::clock::Clock;
use jiff::Timestamp;

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Real time, for leases and timeouts that concern running processes rather than the
/// contract (a job's lease must expire in real seconds even while a test clock stands still).
pub fn wall_now() -> Timestamp {
    Timestamp::now()
}

/// Held for reading by the background loops around each piece of work, and for writing by a
/// test-mode clock move, so the loops of this process stand still while the clock is moved
/// and due work is drained in time order. Production never takes the write side.
pub type Gate = std::sync::Arc<tokio::sync::RwLock<()>>;
