//! `[detectors]` in `config.toml`: which built-in detectors run and their
//! thresholds. Every key is optional; a value out of range or an unknown
//! detector name is an error that toml places at `file:line:col`.
//!
//! ```toml
//! [detectors]
//! enabled = true                     # false: no built-in alerts at all
//! disabled = ["RestartSpike"]        # alert names, see Detector::ALL
//! oom_window_minutes = 15            # OOMKilled: kills this recent
//! not_ready_after_seconds = 60       # PodNotReady: Running, not Ready this long
//! unavailable_after_seconds = 300    # DeploymentReplicasUnavailable: this long
//! memory_fraction = 0.9              # MemoryNearLimit: this share of the limit
//! restart_spike_count = 3            # RestartSpike: at least this many restarts…
//! restart_spike_window_minutes = 10  # …the last one this recent
//! memory_limit_soon_minutes = 10     # MemoryLimitSoon: the limit this near at the current rate
//! ```

use std::fmt;

use jiff::SignedDuration;
use serde::{Deserialize, Deserializer};

/// The built-in detectors, one per alert name they raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Detector {
    OomKilled,
    CrashLoopBackOff,
    ImagePullBackOff,
    PodNotReady,
    MemoryNearLimit,
    RestartSpike,
    RolloutStalled,
    /// `DeploymentReplicasUnavailable`, for Deployments and StatefulSets.
    ReplicasUnavailable,
    NodeNotReady,
    /// `NodePressure`: one alert per pressure condition of a node.
    NodePressure,
    /// `HPAAtMax`: an HPA pinned at its maximum replicas.
    HpaAtMax,
    /// `QuotaExceeded`: a ResourceQuota refuses a workload's pods.
    QuotaExceeded,
    /// `MissingConfig`: a container waits for a ConfigMap, Secret or key.
    MissingConfig,
    /// `MemoryLimitSoon`: memory climbing that reaches the limit soon.
    MemoryLimitSoon,
    /// `ServiceNoEndpoints`: a Service with a selector and no ready endpoint.
    ServiceNoEndpoints,
    /// `JobFailed`: a Job that recently gave up (condition Failed).
    JobFailed,
}

impl Detector {
    pub const ALL: [Detector; 16] = [
        Detector::OomKilled,
        Detector::CrashLoopBackOff,
        Detector::ImagePullBackOff,
        Detector::PodNotReady,
        Detector::MemoryNearLimit,
        Detector::RestartSpike,
        Detector::RolloutStalled,
        Detector::ReplicasUnavailable,
        Detector::NodeNotReady,
        Detector::NodePressure,
        Detector::HpaAtMax,
        Detector::QuotaExceeded,
        Detector::MissingConfig,
        Detector::MemoryLimitSoon,
        Detector::ServiceNoEndpoints,
        Detector::JobFailed,
    ];

    /// The `alertname` of its alerts, and its name in `disabled`.
    pub fn alertname(self) -> &'static str {
        match self {
            Detector::OomKilled => "OOMKilled",
            Detector::CrashLoopBackOff => "CrashLoopBackOff",
            Detector::ImagePullBackOff => "ImagePullBackOff",
            Detector::PodNotReady => "PodNotReady",
            Detector::MemoryNearLimit => "MemoryNearLimit",
            Detector::RestartSpike => "RestartSpike",
            Detector::RolloutStalled => "RolloutStalled",
            Detector::ReplicasUnavailable => "DeploymentReplicasUnavailable",
            Detector::NodeNotReady => "NodeNotReady",
            Detector::NodePressure => "NodePressure",
            Detector::HpaAtMax => "HPAAtMax",
            Detector::QuotaExceeded => "QuotaExceeded",
            Detector::MissingConfig => "MissingConfig",
            Detector::MemoryLimitSoon => "MemoryLimitSoon",
            Detector::ServiceNoEndpoints => "ServiceNoEndpoints",
            Detector::JobFailed => "JobFailed",
        }
    }

    /// Its id in [`AlertSource::Detector`](crate::model::alert::AlertSource) and
    /// at the start of its fingerprints (`detector/oom-killed/…`).
    pub fn id(self) -> &'static str {
        match self {
            Detector::OomKilled => "oom-killed",
            Detector::CrashLoopBackOff => "crash-loop",
            Detector::ImagePullBackOff => "image-pull",
            Detector::PodNotReady => "pod-not-ready",
            Detector::MemoryNearLimit => "memory-near-limit",
            Detector::RestartSpike => "restart-spike",
            Detector::RolloutStalled => "rollout-stalled",
            Detector::ReplicasUnavailable => "replicas-unavailable",
            Detector::NodeNotReady => "node-not-ready",
            Detector::NodePressure => "node-pressure",
            Detector::HpaAtMax => "hpa-at-max",
            Detector::QuotaExceeded => "quota-exceeded",
            Detector::MissingConfig => "missing-config",
            Detector::MemoryLimitSoon => "memory-limit-soon",
            Detector::ServiceNoEndpoints => "service-no-endpoints",
            Detector::JobFailed => "job-failed",
        }
    }

    /// A detector by its alert name, ignoring ASCII case (`oomkilled` is
    /// plainly `OOMKilled`; a misspelt name is not guessed at).
    pub fn from_alertname(name: &str) -> Option<Detector> {
        Detector::ALL
            .into_iter()
            .find(|d| d.alertname().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Detector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alertname())
    }
}

impl<'de> Deserialize<'de> for Detector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Detector, D::Error> {
        let name = String::deserialize(d)?;
        Detector::from_alertname(&name).ok_or_else(|| {
            let known: Vec<&str> = Detector::ALL.iter().map(|d| d.alertname()).collect();
            serde::de::Error::custom(format!(
                "unknown detector {name:?} (known: {})",
                known.join(", ")
            ))
        })
    }
}

/// Which detectors run and their thresholds; see the module docs for the
/// keys. Durations are whole minutes or seconds in the file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectorConfig {
    /// `false` turns every built-in detector off (a cluster whose
    /// Prometheus already raises the same alerts).
    pub enabled: bool,
    /// Detectors turned off, by alert name.
    pub disabled: Vec<Detector>,
    /// OOMKilled: a kill at most this long ago (1–1440 minutes).
    #[serde(rename = "oom_window_minutes", deserialize_with = "oom_window")]
    pub oom_window: SignedDuration,
    /// PodNotReady: Running but not Ready at least this long (0–86400 s).
    #[serde(
        rename = "not_ready_after_seconds",
        deserialize_with = "not_ready_after"
    )]
    pub not_ready_after: SignedDuration,
    /// DeploymentReplicasUnavailable: unavailable at least this long
    /// (0–86400 s).
    #[serde(
        rename = "unavailable_after_seconds",
        deserialize_with = "unavailable_after"
    )]
    pub unavailable_after: SignedDuration,
    /// MemoryNearLimit: memory in use at least this share of the pod's
    /// limit (0.5–1.0).
    #[serde(deserialize_with = "memory_fraction")]
    pub memory_fraction: f64,
    /// RestartSpike: at least this many restarts (1–1000)…
    #[serde(deserialize_with = "restart_spike_count")]
    pub restart_spike_count: u32,
    /// …while the last one is at most this long ago (1–1440 minutes).
    #[serde(
        rename = "restart_spike_window_minutes",
        deserialize_with = "restart_spike_window"
    )]
    pub restart_spike_window: SignedDuration,
    /// MemoryLimitSoon: memory that reaches the pod's limit within this
    /// long at its current rate (1–1440 minutes).
    #[serde(
        rename = "memory_limit_soon_minutes",
        deserialize_with = "memory_limit_soon"
    )]
    pub memory_limit_soon: SignedDuration,
}

impl Default for DetectorConfig {
    fn default() -> DetectorConfig {
        DetectorConfig {
            enabled: true,
            disabled: Vec::new(),
            oom_window: SignedDuration::from_mins(15),
            not_ready_after: SignedDuration::from_secs(60),
            unavailable_after: SignedDuration::from_mins(5),
            memory_fraction: 0.9,
            restart_spike_count: 3,
            restart_spike_window: SignedDuration::from_mins(10),
            memory_limit_soon: SignedDuration::from_mins(10),
        }
    }
}

impl DetectorConfig {
    /// Whether `detector` runs.
    pub fn runs(&self, detector: Detector) -> bool {
        self.enabled && !self.disabled.contains(&detector)
    }

    /// [`runs`](Self::runs) for every detector, indexed by `Detector as
    /// usize`, worked out once per [`detect`](super::detect) call.
    pub(super) fn running(&self) -> [bool; Detector::ALL.len()] {
        Detector::ALL.map(|d| self.runs(d))
    }
}

fn bounded<'de, D: Deserializer<'de>>(d: D, min: i64, max: i64) -> Result<i64, D::Error> {
    let n = i64::deserialize(d)?;
    if n < min || n > max {
        return Err(serde::de::Error::custom(format!(
            "must be between {min} and {max}, got {n}"
        )));
    }
    Ok(n)
}

fn oom_window<'de, D: Deserializer<'de>>(d: D) -> Result<SignedDuration, D::Error> {
    bounded(d, 1, 1440).map(SignedDuration::from_mins)
}

fn not_ready_after<'de, D: Deserializer<'de>>(d: D) -> Result<SignedDuration, D::Error> {
    bounded(d, 0, 86_400).map(SignedDuration::from_secs)
}

fn unavailable_after<'de, D: Deserializer<'de>>(d: D) -> Result<SignedDuration, D::Error> {
    bounded(d, 0, 86_400).map(SignedDuration::from_secs)
}

fn restart_spike_count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    bounded(d, 1, 1000).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

fn restart_spike_window<'de, D: Deserializer<'de>>(d: D) -> Result<SignedDuration, D::Error> {
    bounded(d, 1, 1440).map(SignedDuration::from_mins)
}

fn memory_limit_soon<'de, D: Deserializer<'de>>(d: D) -> Result<SignedDuration, D::Error> {
    bounded(d, 1, 1440).map(SignedDuration::from_mins)
}

fn memory_fraction<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let x = f64::deserialize(d)?;
    if !(0.5..=1.0).contains(&x) {
        return Err(serde::de::Error::custom(format!(
            "must be between 0.5 and 1.0 (a share of the limit: 0.9 is 90%), got {x}"
        )));
    }
    Ok(x)
}
