//! The alert feed: Alertmanager's API v2 (alerts and silences) and the
//! console's own alert model, which the built-in detectors share.
//!
//! - [`model`]: alerts, severities, the Kubernetes objects an alert is
//!   about, and the merge of several Alertmanagers' reports. Pure.
//! - [`alertmanager`]: the HTTP client for one Alertmanager, and
//!   [`fetch_all`] for a set of them.
//! - [`detectors`]: alerts computed from the watched state, for clusters
//!   without Prometheus. Pure.

pub mod alertmanager;
pub mod detectors;
pub mod model;
pub mod poller;
pub mod silences;
mod wire;

pub use alertmanager::{
    AlertReport, AlertmanagerClient, AlertmanagerConfig, AlertmanagerStatus, Auth, Matcher,
    NewSilence, Silence, fetch_all, matchers_for,
};
pub use detectors::{Detector, DetectorConfig, detect};
pub use model::{Alert, AlertSeverity, AlertSource, AlertState, AlertTarget, TargetKind, merge};
pub use poller::{AlertFeed, spawn_feed};
