//! EduCenter's domain: the rules of the contract as pure functions and types.
//!
//! Nothing here performs I/O, spawns tasks or reads the system clock: time comes in through
//! [`clock::Clock`], which the outer layers implement (the system clock in production, a
//! [`clock::TestClock`] under `--test-mode` and in tests).

pub mod access;
pub mod assignments;
pub mod backup;
pub mod billing;
pub mod brand;
pub mod calendar;
pub mod cases;
pub mod clock;
pub mod content;
pub mod documents;
pub mod force_majeure;
pub mod gradebook;
pub mod ids;
pub mod iin;
pub mod learning;
pub mod money;
pub mod named;
pub mod offers;
pub mod questions;
pub mod queues;
pub mod quiz;
pub mod roles;
pub mod schedule;
pub mod tenancy;
pub mod text;
pub mod words;
