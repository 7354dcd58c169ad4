//! warroom: a terminal console for the first five minutes of a Kubernetes
//! incident, and the simulated cluster it is tested against.
//!
//! The map of the code — the flow, the floors (which folder may use which)
//! and where each feature lives — is `docs/ARCHITECTURE.md`.

pub mod alerts;
pub mod app;
pub mod cluster;
pub mod config;
pub mod diagnostics;
pub mod docs;
pub mod keys;
pub mod model;
pub mod screenshot;
pub mod sim;
pub mod state;
pub mod timeline;
pub mod ui;
