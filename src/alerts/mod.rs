//! The Alertmanager v2 client and the built-in detectors. Filled by the
//! alert-feed issue.
