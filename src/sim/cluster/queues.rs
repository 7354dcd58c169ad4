//! The work queues the controllers and the kubelet take their keys from,
//! fed from the keys the store marks dirty, and the resync period.

use std::collections::{BTreeMap, BTreeSet};

use jiff::SignedDuration;

/// How often every workload is looked at even when nothing changed.
pub const RESYNC: SignedDuration = SignedDuration::from_secs(5);

/// Work queues, one per controller, of (namespace, name).
#[derive(Default)]
pub struct Queues {
    pub deployments: BTreeSet<(String, String)>,
    pub replicasets: BTreeSet<(String, String)>,
    pub statefulsets: BTreeSet<(String, String)>,
    pub daemonsets: BTreeSet<(String, String)>,
    /// Services whose EndpointSlices and Endpoints (and load balancer) to bring up to date.
    pub services: BTreeSet<(String, String)>,
    /// Namespaces whose ResourceQuotas' usage to recompute.
    pub quotas: BTreeSet<String>,
    pub ingresses: BTreeSet<(String, String)>,
    /// Pods waiting for a node.
    pub unscheduled: BTreeSet<(String, String)>,
    /// Pods the kubelet must look at (new, changed, being deleted).
    pub kubelet: BTreeSet<(String, String)>,
    pub last_resync: Option<jiff::Timestamp>,
    /// HPAs whose object changed (synced at once when their spec is new).
    pub hpas: BTreeSet<(String, String)>,
    /// When every HPA was last synced (they all sync every 15 s).
    pub last_hpa_sync: Option<jiff::Timestamp>,
    pub jobs: BTreeSet<(String, String)>,
    pub cronjobs: BTreeSet<(String, String)>,
    /// When a Job or CronJob must be looked at again even if nothing
    /// changes (a pod failure back-off ending, a deadline, the next schedule).
    pub due: BTreeMap<(&'static str, String, String), jiff::Timestamp>,
    /// What the HPA controller remembers per HPA between syncs.
    pub hpa_memory: BTreeMap<(String, String), HpaMemory>,
}

/// The HPA controller's memory of one HPA: its recent recommendations (for
/// the stabilisation windows) and its recent rescales (for the rate policies).
#[derive(Default, Debug, Clone)]
pub struct HpaMemory {
    pub recommendations: Vec<(jiff::Timestamp, i64)>,
    /// (when, replicas added); scale-downs as (when, replicas removed).
    pub scale_ups: Vec<(jiff::Timestamp, i64)>,
    pub scale_downs: Vec<(jiff::Timestamp, i64)>,
}
