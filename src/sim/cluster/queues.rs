//! The work queues the controllers and the kubelet take their keys from,
//! fed from the keys the store marks dirty, and the resync period.

use std::collections::BTreeSet;

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
}
