//! The alert feed's I/O: Alertmanager's API v2 (alerts and silences) over
//! HTTP, polled at an interval. The alerts themselves, their merge and the
//! built-in detectors are pure and live in [`crate::model::alert`] and
//! [`crate::model::detectors`].
//!
//! - [`alertmanager`]: the HTTP client for one Alertmanager, and
//!   [`fetch_all`] for a set of them.
//! - [`poller`]: asks them every few seconds, answering with [`FeedEvent`]s.
//! - [`silences`]: creates and expires silences for the effect executor.

pub mod alertmanager;
pub mod poller;
pub mod silences;
mod wire;

pub use alertmanager::{AlertmanagerClient, fetch_all};
pub use poller::{AlertFeed, FeedEvent, spawn_feed};
