//! The cluster as the console knows it: what the watchers report (a
//! [`ClusterChange`] at a time, each resource's watch with its own health)
//! and what they have told so far ([`ClusterData`]), keyed for quick
//! updates.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};

use super::ObjectKey;
use super::api_resource::ApiKind;
use super::autoscaler::HpaInfo;
use super::event::EventInfo;
use super::ingress::IngressInfo;
use super::job::{CronJobInfo, JobInfo};
use super::node::NodeInfo;
use super::pod_health::{Health, PodInfo, Resources};
use super::quota::QuotaInfo;
use super::server_table::TableChange;
use super::service::{EndpointSliceInfo, Network, ServiceInfo};
use super::usage::{NodeUsage, PodUsage, Usage};
use super::usage_history::UsageHistory;
use super::workload::{ReplicaSetInfo, WorkloadInfo, WorkloadKind};

/// A batch of changes of one kind. Watchers batch what arrived together.
#[derive(Debug, Clone)]
pub enum Change<T> {
    /// A complete (re)list: replaces everything of this kind.
    Replaced(Vec<T>),
    /// Added or modified.
    Applied(Vec<T>),
    Deleted(Vec<ObjectKey>),
}

/// The resources the console watches, each with its own health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Resource {
    Pods,
    Deployments,
    ReplicaSets,
    StatefulSets,
    DaemonSets,
    Events,
    Nodes,
    Namespaces,
    Metrics,
    /// Events about nodes, watched in `default` (where the kubelet records
    /// them) when the console watches another namespace: they are
    /// node-wide facts whatever namespace is shown.
    NodeEvents,
    /// What every pod on each node requests, all namespaces, polled while
    /// the nodes view is shown in a namespaced session.
    NodeRequests,
    /// The resource opened with `:<resource>`, in the server's columns,
    /// watched while it is shown.
    Browsed,
    /// HorizontalPodAutoscalers (`autoscaling/v2`): who decides a
    /// workload's replicas.
    Autoscalers,
    /// ResourceQuotas: how much room a namespace has left for pods.
    Quotas,
    /// Services: where traffic is sent.
    Services,
    /// EndpointSlices (`discovery.k8s.io/v1`): which pods a Service can
    /// send traffic to now.
    EndpointSlices,
    /// Ingresses (`networking.k8s.io/v1`): which host and path go to which
    /// Service.
    Ingresses,
    /// Jobs (`batch/v1`): run-to-completion work, and how it ended.
    Jobs,
    /// CronJobs (`batch/v1`): the schedules that start Jobs.
    CronJobs,
}

impl Resource {
    pub const ALL: [Resource; 16] = [
        Resource::Pods,
        Resource::Deployments,
        Resource::ReplicaSets,
        Resource::StatefulSets,
        Resource::DaemonSets,
        Resource::Events,
        Resource::Nodes,
        Resource::Namespaces,
        Resource::Metrics,
        Resource::Autoscalers,
        Resource::Quotas,
        Resource::Services,
        Resource::EndpointSlices,
        Resource::Ingresses,
        Resource::Jobs,
        Resource::CronJobs,
    ];

    /// What the console can do without: node-wide facts beside the
    /// namespace's own. A 403 there is "not allowed" where the data would
    /// be, not an outage; a namespace-only role meets it every time.
    pub fn optional(self) -> bool {
        matches!(
            self,
            Resource::Nodes
                | Resource::Namespaces
                | Resource::NodeEvents
                | Resource::NodeRequests
                | Resource::Metrics
                | Resource::Autoscalers
                | Resource::Quotas
                | Resource::Services
                | Resource::EndpointSlices
                | Resource::Ingresses
                | Resource::Jobs
                | Resource::CronJobs
        )
    }

    /// The plural resource name, as kubectl spells it.
    pub fn plural(self) -> &'static str {
        match self {
            Resource::Pods => "pods",
            Resource::Deployments => "deployments",
            Resource::ReplicaSets => "replicasets",
            Resource::StatefulSets => "statefulsets",
            Resource::DaemonSets => "daemonsets",
            Resource::Events => "events",
            Resource::Nodes => "nodes",
            Resource::Namespaces => "namespaces",
            Resource::Metrics => "metrics",
            Resource::NodeEvents => "node events",
            Resource::NodeRequests => "node requests",
            Resource::Browsed => "listed resource",
            Resource::Autoscalers => "horizontalpodautoscalers",
            Resource::Quotas => "resourcequotas",
            Resource::Services => "services",
            Resource::EndpointSlices => "endpointslices",
            Resource::Ingresses => "ingresses",
            Resource::Jobs => "jobs",
            Resource::CronJobs => "cronjobs",
        }
    }
}

/// Where the console is attached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    pub context: String,
    pub cluster: String,
    pub user: String,
    /// The API server URL.
    pub server: String,
    /// Every context in the kubeconfig, for `:ctx` completion.
    pub contexts: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum ClusterChange {
    /// Boxed from the edge on: a 10,000-pod list moves as pointers, and
    /// the boxes become the state's own without a copy.
    Pods(Change<Box<PodInfo>>),
    Workloads(WorkloadKind, Change<WorkloadInfo>),
    ReplicaSets(Change<ReplicaSetInfo>),
    Autoscalers(Change<HpaInfo>),
    Quotas(Change<QuotaInfo>),
    Services(Change<ServiceInfo>),
    EndpointSlices(Change<EndpointSliceInfo>),
    Ingresses(Change<IngressInfo>),
    Jobs(Change<JobInfo>),
    CronJobs(Change<CronJobInfo>),
    Events(Change<EventInfo>),
    Nodes(Change<NodeInfo>),
    Namespaces(Change<String>),
    /// A complete metrics.k8s.io poll, taken at `at` (the cluster's
    /// clock: the sim's virtual one in `demo`).
    Metrics {
        pods: Vec<PodUsage>,
        nodes: Vec<NodeUsage>,
        at: Timestamp,
    },
    /// A list was longer than the console keeps (events beyond
    /// `EVENTS_KEPT`): this many of the oldest were let go.
    Dropped {
        resource: Resource,
        count: usize,
    },
    /// Events about nodes from `default` (see [`Resource::NodeEvents`]).
    NodeEvents(Change<EventInfo>),
    /// A complete poll of what the pods of every namespace request, per
    /// node (see [`Resource::NodeRequests`]).
    NodeRequests(Vec<(String, NodeTotals)>),
    /// This user may not read what a node-wide watch or poll needs (a
    /// namespace-only role, 403): said where the data would be, never as
    /// stale. The server's words.
    NotAllowed {
        resource: Resource,
        error: String,
    },
    /// What the server serves (discovery), and the group versions that did
    /// not answer; `Err` when discovery failed as a whole.
    Discovered(Result<(Vec<ApiKind>, Vec<String>), String>),
    /// The resource opened with `:<resource>` (its qualified name), in the
    /// server's columns.
    Browse {
        resource: String,
        change: TableChange,
    },
    /// metrics.k8s.io is not served: no MEM gauge, and no error either.
    MetricsUnavailable,
    /// metrics.k8s.io is served but this user may not read it (403): no
    /// gauge, said as "not allowed" (nothing is stale); the server's words.
    MetricsForbidden(String),
    /// A watch (re)synced and is delivering changes.
    WatchUp(Resource),
    /// A watch failed; it retries with back-off. `error` is for people:
    /// "403 Forbidden: cannot list pods in namespace shop".
    WatchDown {
        resource: Resource,
        error: String,
        at: Timestamp,
    },
    Connected(Connection),
    /// The client could not be built or the server not reached at all.
    ConnectFailed {
        context: String,
        error: String,
    },
}

/// The state of one watch, for the header's "stale since" warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchHealth {
    /// Listing for the first time.
    Syncing,
    Live,
    /// Failed and retrying; the data shown is from before `since`.
    Down {
        since: Timestamp,
        error: String,
    },
    /// RBAC does not let this user read it (403): nothing is stale, there
    /// is nothing to show. The server's words.
    NotAllowed(String),
}

#[derive(Debug, Clone, Default)]
pub struct ClusterData {
    /// Boxed: a hash table holds a power of two of slots, each the size of
    /// its value; 16,384 inline PodInfos would cost 11 MB of slots alone.
    pub pods: HashMap<ObjectKey, Box<PodInfo>>,
    pub workloads: HashMap<(WorkloadKind, ObjectKey), WorkloadInfo>,
    pub replicasets: HashMap<ObjectKey, ReplicaSetInfo>,
    pub hpas: HashMap<ObjectKey, HpaInfo>,
    pub quotas: HashMap<ObjectKey, QuotaInfo>,
    /// Services, their EndpointSlices (indexed by Service) and Ingresses.
    pub network: Network,
    pub jobs: HashMap<ObjectKey, JobInfo>,
    pub cronjobs: HashMap<ObjectKey, CronJobInfo>,
    pub events: HashMap<ObjectKey, Box<EventInfo>>,
    /// Older events let go to stay within `EVENTS_KEPT` since the last list.
    pub events_dropped: usize,
    /// Events about nodes from `default`, when the console watches another
    /// namespace (else they are among `events`).
    pub node_events: HashMap<ObjectKey, Box<EventInfo>>,
    pub nodes: HashMap<String, NodeInfo>,
    /// What the pods of every namespace request per node, from the last
    /// poll (a namespaced session; `None` until one answered).
    pub node_requests_polled: Option<HashMap<String, NodeTotals>>,
    pub namespaces: BTreeSet<String>,
    pub pod_usage: HashMap<ObjectKey, Usage>,
    pub node_usage: HashMap<String, Usage>,
    /// The last 30 minutes of polls, per pod and per workload.
    pub usage_history: UsageHistory,
    /// Whether usage can be shown, and why not.
    pub metrics: Metrics,
    pub watches: BTreeMap<Resource, WatchHealth>,
    /// What the server serves (discovery); `None` until it answered.
    pub api_kinds: Option<Vec<ApiKind>>,
    /// Group versions discovery could not read, in words.
    pub discovery_failed: Vec<String>,
    /// Why discovery failed as a whole, if it did.
    pub discovery_error: Option<String>,
}

/// Where the MEM and CPU usage stand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Metrics {
    /// Not polled yet.
    #[default]
    Unknown,
    Served,
    /// metrics.k8s.io is not served (no metrics-server).
    NotServed,
    /// RBAC does not let this user read it; the server's message.
    Forbidden(String),
}

impl Metrics {
    /// Why there is no usage to show, in a few words, or `None` when it is
    /// served.
    pub fn missing(&self) -> Option<&'static str> {
        match self {
            Metrics::Served => None,
            Metrics::Unknown => Some("no metrics yet"),
            Metrics::NotServed => Some("no metrics-server"),
            Metrics::Forbidden(_) => Some("metrics: not allowed"),
        }
    }
}

impl ClusterData {
    /// The oldest moment since which some watch has been down, with its resource.
    pub fn stale_since(&self) -> Option<(Resource, Timestamp)> {
        self.watches
            .iter()
            .filter_map(|(r, h)| match h {
                WatchHealth::Down { since, .. } => Some((*r, *since)),
                _ => None,
            })
            .min_by_key(|(_, since)| *since)
    }

    /// Per node, the requests of the pods scheduled there that still hold
    /// resources (not Succeeded/Failed), summed in one pass over the
    /// watched pods: node-wide only when every namespace is watched.
    pub fn node_requests(&self) -> HashMap<String, NodeTotals> {
        let mut out: HashMap<String, NodeTotals> = HashMap::new();
        for p in self.pods.values() {
            if let Some(node) = p.node.as_deref() {
                out.entry(node.to_string())
                    .or_default()
                    .add(&p.phase, p.requests);
            }
        }
        out
    }

    /// The HPA that scales `target`, if one does.
    pub fn hpa_for(&self, target: &super::action::WorkloadRef) -> Option<&HpaInfo> {
        self.hpas
            .values()
            .find(|h| h.scales(target.kind.name(), &target.namespace, &target.name))
    }

    /// The ResourceQuotas of `namespace`, by name (a namespace has a
    /// handful at most).
    pub fn quotas_in(&self, namespace: &str) -> Vec<&QuotaInfo> {
        let mut out: Vec<&QuotaInfo> = self
            .quotas
            .values()
            .filter(|q| q.namespace == namespace)
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The pods a workload owns (through its ReplicaSet for a Deployment).
    pub fn pods_of<'a, 't>(
        &'a self,
        target: &'t super::action::WorkloadRef,
    ) -> impl Iterator<Item = &'a PodInfo> + use<'a, 't> {
        self.pods.values().map(Box::as_ref).filter(move |p| {
            p.namespace == target.namespace
                && p.owner
                    .as_ref()
                    .is_some_and(|o| o.kind == target.kind.name() && o.name == target.name)
        })
    }

    /// Events about one object, newest first.
    pub fn events_for(&self, kind: &str, namespace: &str, name: &str) -> Vec<&EventInfo> {
        let node_events = (kind == "Node").then_some(&self.node_events);
        let mut out: Vec<&EventInfo> = self
            .events
            .values()
            .chain(node_events.into_iter().flat_map(|m| m.values()))
            .map(Box::as_ref)
            // The name first: it tells most events apart at once.
            .filter(|e| {
                e.object.name == name && e.object.namespace == namespace && e.object.kind == kind
            })
            .collect();
        out.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| a.name.cmp(&b.name))
        });
        out
    }
}

/// What the pods on one node request, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeTotals {
    pub cpu_milli: u64,
    pub memory_bytes: u64,
    pub pods: u32,
}

impl NodeTotals {
    /// Counts a pod in `phase` requesting `requests`, as the scheduler
    /// does: a pod that ended (Succeeded, Failed) holds nothing.
    pub fn add(&mut self, phase: &str, requests: Resources) {
        if phase == "Succeeded" || phase == "Failed" {
            return;
        }
        self.cpu_milli += requests.cpu_milli.unwrap_or(0);
        self.memory_bytes += requests.memory_bytes.unwrap_or(0);
        self.pods += 1;
    }
}

/// What "recently" means for the restart and OOM counts.
const RECENT: SignedDuration = SignedDuration::from_hours(1);

/// Counts over the pods the console watches (the current namespace, or all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PodCounts {
    pub pods: usize,
    /// Running but not Ready.
    pub not_ready: usize,
    pub failing: usize,
    /// Pods restarted within the last hour (pods, not restarts).
    pub restarted: usize,
    /// Pods whose last termination, within the last hour, was an OOM kill
    /// (pods, not kills: a pod killed six times counts once).
    pub oom_killed: usize,
}

impl ClusterData {
    /// One pass over the watched pods, at `now`.
    // O(pods) per frame; cheap next to a frame, and cacheable in the reducer
    // if a profile ever says otherwise.
    pub fn pod_counts(&self, now: Timestamp) -> PodCounts {
        let recent =
            |t: Option<jiff::Timestamp>| t.is_some_and(|t| now.duration_since(t) <= RECENT);
        let mut c = PodCounts::default();
        for pod in self.pods.values() {
            c.pods += 1;
            match pod.health {
                Health::NotReady => c.not_ready += 1,
                Health::Failing => c.failing += 1,
                _ => {}
            }
            if pod.restarts > 0 && recent(pod.last_restart) {
                c.restarted += 1;
            }
            if pod
                .last_termination
                .as_ref()
                .is_some_and(|t| t.oom_killed() && recent(t.finished_at))
            {
                c.oom_killed += 1;
            }
        }
        c
    }
}
