//! Built-in detectors (placeholder until the detectors land).

use jiff::Timestamp;
use serde::Deserialize;

use super::Alert;
use crate::state::cluster_data::ClusterData;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectorConfig {}

pub fn detect(_cluster: &ClusterData, _now: Timestamp, _cfg: &DetectorConfig) -> Vec<Alert> {
    Vec::new()
}
