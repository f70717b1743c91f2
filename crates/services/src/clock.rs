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
