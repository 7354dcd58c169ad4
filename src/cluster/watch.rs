//! Watchers turned into Updates. One task per resource runs kube-rs's
//! `watcher` (list in pages of 500, then watch from that resourceVersion,
//! resume after a dropped connection, relist after 410) with its default
//! back-off, converts objects to the console's summaries at once, and sends:
//!
//! - the initial list (and every relist) as one `Change::Replaced`,
//! - later changes in batches: whatever has already arrived is taken
//!   together (up to [`WatchOptions::batch`]) and sent as at most one
//!   `Applied` and one `Deleted`, only the latest version of each object,
//! - `WatchUp` after each (re)sync and after recovering from an error,
//!   `WatchDown` once per outage, in words. A 410 is no outage: the watcher
//!   relists, and the relist arrives as `Replaced`.
//!
//! Sends await on the bounded channel: a slow UI slows the watchers down
//! instead of piling up memory.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{Event, Namespace, Node, Pod, ResourceQuota, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::ListParams;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, ResourceExt};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::Sender;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::errors::{describe_watch_error, is_forbidden, is_gone};
use crate::cluster::Update;
use crate::model::Clock;
use crate::model::ObjectKey;
use crate::model::api_resource::ApiKind;
use crate::model::autoscaler::HpaInfo;
use crate::model::cluster::{Change, ClusterChange, Resource};
use crate::model::event::{EVENTS_KEPT, EventInfo, keep_newest};
use crate::model::ingress::IngressInfo;
use crate::model::job::{CronJobInfo, JobInfo};
use crate::model::node::NodeInfo;
use crate::model::pod_health::PodInfo;
use crate::model::quota::QuotaInfo;
use crate::model::service::{EndpointSliceInfo, ServiceInfo};
use crate::model::workload::{ReplicaSetInfo, WorkloadInfo, WorkloadKind};

/// Knobs for [`spawn_watchers_with`]; the defaults suit a real cluster.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// The API server URL, named in "cannot reach …" errors.
    pub server: String,
    /// Most changes taken together into one Update. Each watcher's chunk
    /// buffer is allocated at this capacity of whole API objects (a Pod is
    /// about 2 KB before conversion), so it is kept modest: 256 changes per
    /// Update already make a burst cheap for the UI.
    pub batch: usize,
    /// How often metrics.k8s.io is polled.
    pub metrics_interval: Duration,
    /// How long one metrics poll may take.
    pub metrics_timeout: Duration,
    /// How often to look again for metrics.k8s.io when it is not served.
    pub metrics_recheck: Duration,
    /// How often, while the nodes view is shown in a namespaced session,
    /// the pods of every namespace are listed to sum each node's requests.
    pub node_load_interval: Duration,
}

impl Default for WatchOptions {
    fn default() -> WatchOptions {
        WatchOptions {
            server: String::new(),
            batch: 256,
            metrics_interval: Duration::from_secs(15),
            metrics_timeout: Duration::from_secs(10),
            metrics_recheck: Duration::from_secs(300),
            node_load_interval: Duration::from_secs(30),
        }
    }
}

/// The running watchers of one generation. Dropping it stops them all.
pub struct WatchSet {
    generation: u64,
    tasks: JoinSet<()>,
    /// Turns the poll of node-wide requests on and off (a namespaced
    /// session only; all namespaces' pods are watched otherwise).
    node_load: Option<tokio::sync::watch::Sender<bool>>,
    /// The resource shown with `:<resource>`, followed in the server's
    /// columns while it is shown.
    browse: tokio::sync::watch::Sender<Option<ApiKind>>,
    /// Asks discovery to look again.
    rediscover: Arc<tokio::sync::Notify>,
}

impl WatchSet {
    /// Follows `kind` in the server's columns (`None`: nothing).
    pub fn browse(&self, kind: Option<ApiKind>) {
        self.browse.send_if_modified(|now| {
            let changed = *now != kind;
            *now = kind;
            changed
        });
    }

    /// Looks again at what the server serves.
    pub fn rediscover(&self) {
        self.rediscover.notify_one();
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether what every namespace's pods request on each node is wanted
    /// (the nodes view is shown): polled while it is.
    pub fn want_node_load(&self, on: bool) {
        if let Some(tx) = &self.node_load {
            tx.send_replace(on);
        }
    }

    /// Stops every watcher now (dropping does the same).
    pub fn abort(&mut self) {
        self.tasks.abort_all();
    }
}

impl Debug for WatchSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchSet")
            .field("generation", &self.generation)
            .field("tasks", &self.tasks.len())
            .finish()
    }
}

/// Watches pods, workloads, ReplicaSets and events in `namespace` (`None`:
/// all), nodes and namespaces, and polls metrics, sending Updates tagged
/// `generation` on `tx`.
pub fn spawn_watchers(
    client: Client,
    namespace: Option<String>,
    generation: u64,
    tx: Sender<Update>,
    clock: Clock,
) -> WatchSet {
    spawn_watchers_with(
        client,
        namespace,
        generation,
        tx,
        clock,
        WatchOptions::default(),
    )
}

/// [`spawn_watchers`] with explicit options.
pub fn spawn_watchers_with(
    client: Client,
    namespace: Option<String>,
    generation: u64,
    tx: Sender<Update>,
    clock: Clock,
    options: WatchOptions,
) -> WatchSet {
    let ctx = Ctx {
        tx,
        generation,
        clock,
        server: Arc::from(options.server.as_str()),
        batch: options.batch.max(1),
    };
    let mut tasks = JoinSet::new();
    let ns = namespace.as_deref();
    tasks.spawn(run::<Pod>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<Deployment>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<ReplicaSet>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<StatefulSet>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<DaemonSet>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<Event>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<HorizontalPodAutoscaler>(
        scoped(&client, ns),
        ctx.clone(),
    ));
    tasks.spawn(run::<ResourceQuota>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<Service>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<EndpointSlice>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<Ingress>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<Job>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<CronJob>(scoped(&client, ns), ctx.clone()));
    tasks.spawn(run::<Node>(Api::all(client.clone()), ctx.clone()));
    tasks.spawn(run::<Namespace>(Api::all(client.clone()), ctx.clone()));
    // Node rows are node-wide in every view. The kubelet records a node's
    // events in `default`; watching another namespace, they are watched
    // there too. What other namespaces' pods request is polled only while
    // the nodes view is shown (a list of every pod is not free).
    let mut node_load = None;
    if let Some(ns) = ns {
        if ns != NODE_EVENTS_NAMESPACE {
            tasks.spawn(run_as::<Event>(
                Api::namespaced(client.clone(), NODE_EVENTS_NAMESPACE),
                ctx.clone(),
                Feed {
                    resource: Resource::NodeEvents,
                    config: watcher::Config::default().fields("involvedObject.kind=Node"),
                    change: ClusterChange::NodeEvents,
                },
            ));
        }
        let (on, shown) = tokio::sync::watch::channel(false);
        tasks.spawn(super::node_load::poll(
            client.clone(),
            ctx.clone(),
            shown,
            options.node_load_interval,
        ));
        node_load = Some(on);
    }
    let (browse, wanted) = tokio::sync::watch::channel(None);
    tasks.spawn(super::browse::follow(
        client.clone(),
        namespace.clone(),
        ctx.clone(),
        wanted,
    ));
    let rediscover = Arc::new(tokio::sync::Notify::new());
    tasks.spawn(super::browse::discovery(
        client.clone(),
        ctx.clone(),
        rediscover.clone(),
    ));
    tasks.spawn(super::metrics::poll(
        client,
        namespace,
        ctx,
        super::metrics::PollTiming {
            interval: options.metrics_interval,
            timeout: options.metrics_timeout,
            recheck: options.metrics_recheck,
        },
    ));
    WatchSet {
        generation,
        tasks,
        node_load,
        browse,
        rediscover,
    }
}

/// Where the kubelet records events about nodes (cluster-scoped objects).
pub const NODE_EVENTS_NAMESPACE: &str = "default";

fn scoped<K>(client: &Client, namespace: Option<&str>) -> Api<K>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    <K as kube::Resource>::DynamicType: Default,
{
    match namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    }
}

/// What every watcher task shares.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub tx: Sender<Update>,
    pub generation: u64,
    pub clock: Clock,
    pub server: Arc<str>,
    pub batch: usize,
}

/// The receiver is gone: the console quit or moved on.
pub(crate) struct Closed;

impl Ctx {
    pub async fn send(&self, change: ClusterChange) -> Result<(), Closed> {
        self.tx
            .send(Update::Watch {
                generation: self.generation,
                change,
            })
            .await
            .map_err(|_| Closed)
    }
}

/// A kind the console watches: how to summarise it and how to tell the state.
pub(crate) trait Watched:
    kube::Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static
{
    type Info: Send + 'static;
    const RESOURCE: Resource;
    fn info(&self) -> Self::Info;
    fn change(change: Change<Self::Info>) -> ClusterChange;
    /// Bounds a list in progress (events keep only the newest); returns how
    /// many summaries were dropped. `done`: the list is complete.
    fn bound(_list: &mut Vec<Self::Info>, _done: bool) -> usize {
        0
    }
}

impl Watched for Pod {
    type Info = Box<PodInfo>;
    const RESOURCE: Resource = Resource::Pods;
    fn info(&self) -> Box<PodInfo> {
        Box::new(PodInfo::from_pod(self))
    }
    fn change(change: Change<Box<PodInfo>>) -> ClusterChange {
        ClusterChange::Pods(change)
    }
}

impl Watched for Deployment {
    type Info = WorkloadInfo;
    const RESOURCE: Resource = Resource::Deployments;
    fn info(&self) -> WorkloadInfo {
        WorkloadInfo::from_deployment(self)
    }
    fn change(change: Change<WorkloadInfo>) -> ClusterChange {
        ClusterChange::Workloads(WorkloadKind::Deployment, change)
    }
}

impl Watched for StatefulSet {
    type Info = WorkloadInfo;
    const RESOURCE: Resource = Resource::StatefulSets;
    fn info(&self) -> WorkloadInfo {
        WorkloadInfo::from_statefulset(self)
    }
    fn change(change: Change<WorkloadInfo>) -> ClusterChange {
        ClusterChange::Workloads(WorkloadKind::StatefulSet, change)
    }
}

impl Watched for DaemonSet {
    type Info = WorkloadInfo;
    const RESOURCE: Resource = Resource::DaemonSets;
    fn info(&self) -> WorkloadInfo {
        WorkloadInfo::from_daemonset(self)
    }
    fn change(change: Change<WorkloadInfo>) -> ClusterChange {
        ClusterChange::Workloads(WorkloadKind::DaemonSet, change)
    }
}

impl Watched for ReplicaSet {
    type Info = ReplicaSetInfo;
    const RESOURCE: Resource = Resource::ReplicaSets;
    fn info(&self) -> ReplicaSetInfo {
        ReplicaSetInfo::from_replicaset(self)
    }
    fn change(change: Change<ReplicaSetInfo>) -> ClusterChange {
        ClusterChange::ReplicaSets(change)
    }
}

impl Watched for HorizontalPodAutoscaler {
    type Info = HpaInfo;
    const RESOURCE: Resource = Resource::Autoscalers;
    fn info(&self) -> HpaInfo {
        HpaInfo::from_hpa(self)
    }
    fn change(change: Change<HpaInfo>) -> ClusterChange {
        ClusterChange::Autoscalers(change)
    }
}

impl Watched for ResourceQuota {
    type Info = QuotaInfo;
    const RESOURCE: Resource = Resource::Quotas;
    fn info(&self) -> QuotaInfo {
        QuotaInfo::from_quota(self)
    }
    fn change(change: Change<QuotaInfo>) -> ClusterChange {
        ClusterChange::Quotas(change)
    }
}
impl Watched for Service {
    type Info = ServiceInfo;
    const RESOURCE: Resource = Resource::Services;
    fn info(&self) -> ServiceInfo {
        ServiceInfo::from_service(self)
    }
    fn change(change: Change<ServiceInfo>) -> ClusterChange {
        ClusterChange::Services(change)
    }
}

impl Watched for EndpointSlice {
    type Info = EndpointSliceInfo;
    const RESOURCE: Resource = Resource::EndpointSlices;
    fn info(&self) -> EndpointSliceInfo {
        EndpointSliceInfo::from_slice(self)
    }
    fn change(change: Change<EndpointSliceInfo>) -> ClusterChange {
        ClusterChange::EndpointSlices(change)
    }
}

impl Watched for Ingress {
    type Info = IngressInfo;
    const RESOURCE: Resource = Resource::Ingresses;
    fn info(&self) -> IngressInfo {
        IngressInfo::from_ingress(self)
    }
    fn change(change: Change<IngressInfo>) -> ClusterChange {
        ClusterChange::Ingresses(change)
    }
}
impl Watched for Job {
    type Info = JobInfo;
    const RESOURCE: Resource = Resource::Jobs;
    fn info(&self) -> JobInfo {
        JobInfo::from_job(self)
    }
    fn change(change: Change<JobInfo>) -> ClusterChange {
        ClusterChange::Jobs(change)
    }
}

impl Watched for CronJob {
    type Info = CronJobInfo;
    const RESOURCE: Resource = Resource::CronJobs;
    fn info(&self) -> CronJobInfo {
        CronJobInfo::from_cronjob(self)
    }
    fn change(change: Change<CronJobInfo>) -> ClusterChange {
        ClusterChange::CronJobs(change)
    }
}

impl Watched for Event {
    type Info = EventInfo;
    const RESOURCE: Resource = Resource::Events;
    fn info(&self) -> EventInfo {
        EventInfo::from_event(self)
    }
    fn change(change: Change<EventInfo>) -> ClusterChange {
        ClusterChange::Events(change)
    }
    fn bound(list: &mut Vec<EventInfo>, done: bool) -> usize {
        // While listing, trim at a quarter over: each trim is linear, and
        // the list in progress never holds many more than it will keep.
        if done || list.len() >= EVENTS_KEPT + EVENTS_KEPT / 4 {
            keep_newest(list, EVENTS_KEPT)
        } else {
            0
        }
    }
}

impl Watched for Node {
    type Info = NodeInfo;
    const RESOURCE: Resource = Resource::Nodes;
    fn info(&self) -> NodeInfo {
        NodeInfo::from_node(self)
    }
    fn change(change: Change<NodeInfo>) -> ClusterChange {
        ClusterChange::Nodes(change)
    }
}

impl Watched for Namespace {
    type Info = String;
    const RESOURCE: Resource = Resource::Namespaces;
    fn info(&self) -> String {
        self.name_any()
    }
    fn change(change: Change<String>) -> ClusterChange {
        ClusterChange::Namespaces(change)
    }
}

fn key_of<K: kube::Resource>(obj: &K) -> ObjectKey {
    ObjectKey::new(
        obj.meta().namespace.as_deref().unwrap_or(""),
        obj.meta().name.as_deref().unwrap_or(""),
    )
}

/// Changes gathered from one batch: the latest event per object, in the
/// order objects first appeared.
struct Pending<K> {
    order: Vec<ObjectKey>,
    latest: HashMap<ObjectKey, Option<K>>,
}

impl<K: Watched> Pending<K> {
    fn new() -> Pending<K> {
        Pending {
            order: Vec::new(),
            latest: HashMap::new(),
        }
    }

    fn record(&mut self, key: ObjectKey, obj: Option<K>) {
        // A key seen before keeps its place; only its latest event counts.
        if self.latest.insert(key.clone(), obj).is_none() {
            self.order.push(key);
        }
    }

    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Sends the batch: one `Applied` and one `Deleted` at most. An object
    /// applied and then deleted within the batch is only deleted; deleted
    /// and then re-created, only applied.
    async fn flush(
        &mut self,
        ctx: &Ctx,
        change: fn(Change<K::Info>) -> ClusterChange,
    ) -> Result<(), Closed> {
        if self.is_empty() {
            return Ok(());
        }
        let mut applied = Vec::new();
        let mut deleted = Vec::new();
        for key in self.order.drain(..) {
            match self.latest.remove(&key) {
                Some(Some(obj)) => applied.push(obj.info()),
                Some(None) => deleted.push(key),
                None => {}
            }
        }
        if !applied.is_empty() {
            ctx.send(change(Change::Applied(applied))).await?;
        }
        if !deleted.is_empty() {
            ctx.send(change(Change::Deleted(deleted))).await?;
        }
        Ok(())
    }
}

/// First wait before checking whether a silently failing watch is back;
/// doubled after each failed check, up to [`PROBE_MAX`].
const PROBE_FIRST: Duration = Duration::from_secs(2);
const PROBE_MAX: Duration = Duration::from_secs(30);

/// Whether a watch is down, and how to notice that it is back.
///
/// kube's watcher says nothing when a watch restarts from its
/// resourceVersion after a failure: the next sign of life is the next
/// change, which for namespaces may be days away. So while down after such
/// a failure, a one-object list checks now and then whether the server
/// answers again. A failed list is different: the next list that works
/// ends in `InitDone`, which says so.
struct Outage {
    down: bool,
    probe_at: Option<Instant>,
    probe_in: Duration,
}

impl Outage {
    fn new() -> Outage {
        Outage {
            down: false,
            probe_at: None,
            probe_in: PROBE_FIRST,
        }
    }

    /// Marks the watch up; true if it was down.
    fn up(&mut self) -> bool {
        let was = self.down;
        *self = Outage::new();
        was
    }

    /// Marks the watch down; true if it was up (a new outage to report).
    fn failed(&mut self, err: &watcher::Error) -> bool {
        let new = !self.down;
        self.down = true;
        let silent_recovery = !matches!(err, watcher::Error::InitialListFailed(_));
        if silent_recovery {
            if self.probe_at.is_none() {
                self.probe_at = Some(Instant::now() + self.probe_in);
            }
        } else {
            self.probe_at = None;
        }
        new
    }

    fn probe_failed(&mut self) {
        self.probe_in = (self.probe_in * 2).min(PROBE_MAX);
        self.probe_at = Some(Instant::now() + self.probe_in);
    }
}

async fn until(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

impl Ctx {
    async fn up(&self, resource: Resource) -> Result<(), Closed> {
        self.send(ClusterChange::WatchUp(resource)).await
    }
}

/// Marks the watch up; true (and said in the diagnostics log) if it was down.
fn recovered(resource: Resource, outage: &mut Outage) -> bool {
    let was_down = outage.up();
    if was_down {
        tracing::info!(?resource, "watch recovered");
    }
    was_down
}

/// What one watcher watches and how it tells of it: for a kind watched
/// twice (events of the namespace, and events of nodes).
struct Feed<K: Watched> {
    resource: Resource,
    config: watcher::Config,
    change: fn(Change<K::Info>) -> ClusterChange,
}

/// One watcher, until the receiver goes away or the task is aborted.
async fn run<K: Watched>(api: Api<K>, ctx: Ctx) {
    let feed = Feed {
        resource: K::RESOURCE,
        config: watcher::Config::default(),
        change: K::change,
    };
    run_as(api, ctx, feed).await;
}

async fn run_as<K: Watched>(api: Api<K>, ctx: Ctx, feed: Feed<K>) {
    let _ = watch_loop(api, ctx, feed).await;
}

async fn watch_loop<K: Watched>(api: Api<K>, ctx: Ctx, feed: Feed<K>) -> Result<(), Closed> {
    let resource = feed.resource;
    let mut outage = Outage::new();
    loop {
        let stream = watcher(api.clone(), feed.config.clone())
            .default_backoff()
            .ready_chunks(ctx.batch);
        let mut stream = std::pin::pin!(stream);
        // Summaries of the list in progress; `Some` between Init and InitDone.
        let mut listing: Option<Vec<K::Info>> = None;
        let mut dropped = 0;
        let mut pending = Pending::<K>::new();
        let mut restart = false;
        loop {
            let chunk = tokio::select! {
                chunk = stream.next() => chunk,
                () = until(outage.probe_at) => {
                    match api.list(&ListParams::default().limit(1)).await {
                        Ok(_) => {
                            recovered(resource, &mut outage);
                            ctx.up(resource).await?;
                        }
                        Err(e) => {
                            tracing::debug!(resource = ?resource, error = %e, "watch still down");
                            outage.probe_failed();
                        }
                    }
                    continue;
                }
            };
            let Some(chunk) = chunk else { break };
            for item in chunk {
                match item {
                    Ok(watcher::Event::Init) => {
                        pending.flush(&ctx, feed.change).await?;
                        listing = Some(Vec::new());
                        dropped = 0;
                    }
                    Ok(watcher::Event::InitApply(obj)) => {
                        // Converted at once: 10,000 pods are kept as
                        // summaries, not as API objects.
                        let list = listing.get_or_insert_with(Vec::new);
                        list.push(obj.info());
                        dropped += K::bound(list, false);
                    }
                    Ok(watcher::Event::InitDone) => {
                        let mut all = listing.take().unwrap_or_default();
                        dropped += K::bound(&mut all, true);
                        ctx.send((feed.change)(Change::Replaced(all))).await?;
                        if dropped > 0 {
                            let count = std::mem::take(&mut dropped);
                            ctx.send(ClusterChange::Dropped { resource, count }).await?;
                        }
                        recovered(resource, &mut outage);
                        ctx.up(resource).await?;
                    }
                    Ok(watcher::Event::Apply(obj)) => {
                        if recovered(resource, &mut outage) {
                            ctx.up(resource).await?;
                        }
                        pending.record(key_of(&obj), Some(obj));
                    }
                    Ok(watcher::Event::Delete(obj)) => {
                        if recovered(resource, &mut outage) {
                            ctx.up(resource).await?;
                        }
                        pending.record(key_of(&obj), None);
                    }
                    Err(err) => {
                        pending.flush(&ctx, feed.change).await?;
                        // A watch that cannot even start because its version
                        // is gone (410 on the request itself, rather than as
                        // a watch event) would retry that version forever:
                        // start over with a fresh list.
                        if matches!(&err, watcher::Error::WatchStartFailed(kube::Error::Api(s)) if s.code == 410)
                        {
                            restart = true;
                        }
                        if is_gone(&err) {
                            tracing::debug!(resource = ?resource, "resourceVersion expired (410): listing again");
                            continue;
                        }
                        if outage.failed(&err) {
                            let error = describe_watch_error(&err, &ctx.server)
                                .unwrap_or_else(|| err.to_string());
                            if resource.optional() && is_forbidden(&err) {
                                // Not an outage: this user may not read it.
                                tracing::info!(?resource, %error, "not allowed");
                                ctx.send(ClusterChange::NotAllowed { resource, error })
                                    .await?;
                                continue;
                            }
                            tracing::warn!(resource = ?resource, %error, detail = %err, "watch down");
                            ctx.send(ClusterChange::WatchDown {
                                resource,
                                error,
                                at: (ctx.clock)(),
                            })
                            .await?;
                        }
                    }
                }
            }
            pending.flush(&ctx, feed.change).await?;
            if restart {
                break;
            }
        }
        // The watcher stream never ends by itself; if it did, or needs a
        // fresh start, begin again after a pause.
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests;
