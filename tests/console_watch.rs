//! The console's cluster edge against the simulated cluster over HTTP:
//! connecting through a kubeconfig, watchers turned into Updates (initial sync,
//! deltas, relist after 410, outages in words), metrics polling, and
//! generations. Time moves only when a test advances the sim's clock; waits
//! are for messages, with generous limits.

mod common;

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::{ConfigMap, Pod};
use kube::api::{Api, DeleteParams, PostParams};
use tokio::sync::mpsc;
use warroom::cluster::Update;
use warroom::cluster::{
    self, ConnectOptions, WatchOptions, WatchSet, client_for_url, spawn_watchers,
    spawn_watchers_with,
};
use warroom::model::Clock;
use warroom::model::ObjectKey;
use warroom::model::cluster::{Change, ClusterChange, Resource};
use warroom::model::pod_health::{Health, PodInfo};
use warroom::model::workload::WorkloadKind;
use warroom::sim::{ScenarioName, Sim};

use common::{Cluster, cluster, config};

/// Real seconds a test waits for one expected message.
const WAIT: u64 = 60;

fn sim_clock(sim: &Sim) -> Clock {
    let sim = sim.clone();
    Arc::new(move || sim.now())
}

/// The receiving end of one generation of watchers, keeping everything seen.
struct Watching {
    rx: mpsc::Receiver<Update>,
    set: Option<WatchSet>,
    generation: u64,
    seen: Vec<ClusterChange>,
}

impl Watching {
    fn start(c: &Cluster, namespace: Option<&str>, generation: u64) -> Watching {
        let (tx, rx) = mpsc::channel(64);
        let set = spawn_watchers(
            c.client.clone(),
            namespace.map(str::to_string),
            generation,
            tx,
            sim_clock(&c.sim),
        );
        Watching::new(rx, set, generation)
    }

    fn new(rx: mpsc::Receiver<Update>, set: WatchSet, generation: u64) -> Watching {
        assert_eq!(set.generation(), generation);
        Watching {
            rx,
            set: Some(set),
            generation,
            seen: Vec::new(),
        }
    }

    fn record(&mut self, msg: Update) -> ClusterChange {
        match msg {
            Update::Watch { generation, change } => {
                assert_eq!(
                    generation, self.generation,
                    "every message carries the watchers' generation: {change:?}"
                );
                self.seen.push(change.clone());
                change
            }
            other => panic!("watchers send only cluster messages, got {other:?}"),
        }
    }

    /// Receives until `pick` accepts a change, failing after [`WAIT`] seconds.
    async fn wait_for<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&ClusterChange) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(WAIT);
        loop {
            let msg = match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => msg,
                Ok(None) => panic!("the channel closed while waiting for {what}"),
                Err(_) => panic!(
                    "no {what} within {WAIT} s; seen: {:#?}",
                    self.seen.iter().map(brief).collect::<Vec<_>>()
                ),
            };
            let change = self.record(msg);
            if let Some(v) = pick(&change) {
                return v;
            }
        }
    }

    /// Like [`Watching::wait_for`], but a change already received counts too.
    async fn seen_or_wait<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&ClusterChange) -> Option<T>,
    ) -> T {
        if let Some(v) = self.seen.iter().find_map(&mut pick) {
            return v;
        }
        self.wait_for(what, pick).await
    }

    /// Everything already queued, without waiting.
    fn drain(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            self.record(msg);
        }
    }

    async fn replaced_pods(&mut self) -> Vec<PodInfo> {
        self.wait_for("the pods list", |c| match c {
            ClusterChange::Pods(Change::Replaced(pods)) => {
                Some(pods.iter().map(|p| (**p).clone()).collect())
            }
            _ => None,
        })
        .await
    }

    async fn watch_down(&mut self, resource: Resource) -> String {
        self.seen_or_wait(&format!("{resource:?} going down"), |c| match c {
            ClusterChange::WatchDown {
                resource: r, error, ..
            } if *r == resource => Some(error.clone()),
            _ => None,
        })
        .await
    }

    fn downs(&self, resource: Resource) -> usize {
        self.seen
            .iter()
            .filter(|c| matches!(c, ClusterChange::WatchDown { resource: r, .. } if *r == resource))
            .count()
    }
}

/// A change in one line, for failure messages (10,000 pods do not fit).
fn brief(c: &ClusterChange) -> String {
    fn n<T>(c: &Change<T>) -> String {
        match c {
            Change::Replaced(v) => format!("Replaced({})", v.len()),
            Change::Applied(v) => format!("Applied({})", v.len()),
            Change::Deleted(v) => format!("Deleted({v:?})"),
        }
    }
    match c {
        ClusterChange::Pods(x) => format!("Pods {}", n(x)),
        ClusterChange::Workloads(k, x) => format!("{k:?} {}", n(x)),
        ClusterChange::ReplicaSets(x) => format!("ReplicaSets {}", n(x)),
        ClusterChange::Events(x) => format!("Events {}", n(x)),
        ClusterChange::Nodes(x) => format!("Nodes {}", n(x)),
        ClusterChange::Namespaces(x) => format!("Namespaces {}", n(x)),
        ClusterChange::Metrics { pods, nodes, .. } => {
            format!("Metrics({} pods, {} nodes)", pods.len(), nodes.len())
        }
        other => format!("{other:?}"),
    }
}

/// A port on loopback that nobody listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_deploy_syncs_running_but_not_ready_checkout_pods() {
    let c = cluster(config(ScenarioName::BadDeploy)).await;
    c.advance(Duration::from_secs(180)).await;
    let mut w = Watching::start(&c, Some("production"), 7);
    let pods = w.replaced_pods().await;
    let not_ready: Vec<&PodInfo> = pods
        .iter()
        .filter(|p| p.name.starts_with("checkout-service-") && p.health == Health::NotReady)
        .collect();
    assert!(
        !not_ready.is_empty(),
        "checkout pods running but not Ready: {:?}",
        pods.iter()
            .map(|p| (&p.name, &p.status, p.health))
            .collect::<Vec<_>>()
    );
    for p in &not_ready {
        assert_eq!(p.phase, "Running", "{}", p.name);
        assert!(p.running_not_ready(), "{}", p.name);
        assert!(p.ready < p.total, "{}: {}/{}", p.name, p.ready, p.total);
    }
    assert!(
        pods.iter().all(|p| p.namespace == "production"),
        "only the chosen namespace"
    );
    w.seen_or_wait("pods up", |c| {
        matches!(c, ClusterChange::WatchUp(Resource::Pods)).then_some(())
    })
    .await;
    let deployments = w
        .seen_or_wait("the deployments list", |c| match c {
            ClusterChange::Workloads(WorkloadKind::Deployment, Change::Replaced(d)) => {
                Some(d.clone())
            }
            _ => None,
        })
        .await;
    assert!(
        deployments.iter().any(|d| d.name == "checkout-service"),
        "{:?}",
        deployments.iter().map(|d| &d.name).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_pod_arrives_as_deleted() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let mut w = Watching::start(&c, Some("production"), 1);
    let pods = w.replaced_pods().await;
    let victim = pods.first().expect("production has pods").name.clone();
    let api: Api<Pod> = c.api("production");
    api.delete(&victim, &DeleteParams::default().grace_period(0))
        .await
        .expect("delete");
    let want = ObjectKey::new("production", &victim);
    w.wait_for("the deletion", |c| match c {
        ClusterChange::Pods(Change::Deleted(keys)) if keys.contains(&want) => Some(()),
        _ => None,
    })
    .await;
    // The ReplicaSet replaces it once the clock moves: an Applied pod.
    c.advance(Duration::from_secs(2)).await;
    let added = w
        .wait_for("the replacement pod", |c| match c {
            ClusterChange::Pods(Change::Applied(p)) => p
                .iter()
                .find(|p| !pods.iter().any(|o| o.name == p.name))
                .cloned(),
            _ => None,
        })
        .await;
    assert_eq!(added.namespace, "production");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_resource_version_relists_without_an_outage() {
    let mut cfg = config(ScenarioName::Calm);
    // Watches reconnect every second, from the version they last saw.
    cfg.faults = "drop-watch=1s".parse().expect("valid faults");
    let c = cluster(cfg).await;
    let mut w = Watching::start(&c, Some("production"), 2);
    let first = w.replaced_pods().await;
    w.seen_or_wait("pods up", |c| {
        matches!(c, ClusterChange::WatchUp(Resource::Pods)).then_some(())
    })
    .await;
    // A write elsewhere moves the cluster's version past the pods watch's;
    // then the history is forgotten: its next reconnect answers 410.
    let cms: Api<ConfigMap> = c.api("production");
    let mut cm = ConfigMap::default();
    cm.metadata.name = Some("bump".into());
    cms.create(&PostParams::default(), &cm)
        .await
        .expect("create");
    c.sim.expire_resource_versions();
    let relisted = w.replaced_pods().await;
    assert_eq!(
        relisted.iter().map(|p| &p.name).collect::<Vec<_>>(),
        first.iter().map(|p| &p.name).collect::<Vec<_>>(),
        "the relist has the same pods"
    );
    w.drain();
    let downs: Vec<String> = w
        .seen
        .iter()
        .filter(|c| matches!(c, ClusterChange::WatchDown { .. }))
        .map(brief)
        .collect();
    assert!(downs.is_empty(), "a 410 is not an outage: {downs:?}");
    let gone = c
        .sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/pods") && r.verb == "list")
        .count();
    assert!(gone >= 2, "the pods were listed again ({gone} lists)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forbidden_nodes_are_not_allowed_once_while_pods_sync() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "forbid=nodes+nodes.metrics.k8s.io+pods.metrics.k8s.io"
        .parse()
        .expect("valid faults");
    let c = cluster(cfg).await;
    let mut w = Watching::start(&c, None, 3);
    // Not an outage: nothing is stale, this user may not read nodes.
    let error = w
        .seen_or_wait("nodes not allowed", |c| match c {
            ClusterChange::NotAllowed {
                resource: Resource::Nodes,
                error,
            } => Some(error.clone()),
            _ => None,
        })
        .await;
    assert_eq!(
        error,
        "403 Forbidden: user \"warroom-admin\" cannot list nodes at the cluster scope"
    );
    let pods = w
        .seen_or_wait("the pods list", |c| match c {
            ClusterChange::Pods(Change::Replaced(p)) => Some(p.clone()),
            _ => None,
        })
        .await;
    assert!(!pods.is_empty(), "pods sync although nodes are forbidden");
    // Usage this user may not read is "not allowed", not an outage.
    let metrics = w
        .seen_or_wait("metrics not allowed", |c| match c {
            ClusterChange::MetricsForbidden(why) => Some(why.clone()),
            _ => None,
        })
        .await;
    assert!(metrics.contains("403 Forbidden"), "{metrics}");
    // An access review tells the same story as the 403.
    let may_list = |resource: &'static str| {
        let reviews: Api<SelfSubjectAccessReview> = Api::all(c.client.clone());
        async move {
            let review = SelfSubjectAccessReview {
                spec: SelfSubjectAccessReviewSpec {
                    resource_attributes: Some(ResourceAttributes {
                        verb: Some("list".into()),
                        resource: Some(resource.into()),
                        ..ResourceAttributes::default()
                    }),
                    ..SelfSubjectAccessReviewSpec::default()
                },
                ..SelfSubjectAccessReview::default()
            };
            reviews
                .create(&PostParams::default(), &review)
                .await
                .expect("access review")
                .status
                .expect("status")
                .allowed
        }
    };
    assert!(!may_list("nodes").await, "nodes are forbidden");
    assert!(may_list("pods").await, "pods are not");

    // The watcher retries with back-off; the outage is reported once.
    let node_lists = || {
        c.sim
            .requests()
            .iter()
            .filter(|r| r.path == "/api/v1/nodes" && r.status == 403)
            .count()
    };
    let waited = tokio::time::timeout(Duration::from_secs(WAIT), async {
        while node_lists() < 3 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "the nodes watch retries");
    w.drain();
    let told = w
        .seen
        .iter()
        .filter(|c| {
            matches!(
                c,
                ClusterChange::NotAllowed {
                    resource: Resource::Nodes,
                    ..
                }
            )
        })
        .count();
    assert_eq!(told, 1, "told once, not per retry");
    assert_eq!(w.downs(Resource::Nodes), 0, "never down");
    assert!(
        !w.seen.iter().any(|c| matches!(
            c,
            ClusterChange::Nodes(_) | ClusterChange::WatchUp(Resource::Nodes)
        )),
        "no nodes while forbidden"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespaced_console_sees_node_events_and_node_wide_requests() {
    let c = cluster(config(ScenarioName::NodePressure)).await;
    let mut w = Watching::start(&c, Some("production"), 1);
    w.replaced_pods().await;
    // node-3 comes under memory pressure: the kubelet records it in
    // `default`, which this console does not watch for its own events.
    c.advance(Duration::from_secs(20 * 60)).await;
    let reason = w
        .seen_or_wait("a node event from default", |c| match c {
            ClusterChange::NodeEvents(Change::Replaced(e) | Change::Applied(e)) => e
                .iter()
                .find(|e| e.object.kind == "Node" && e.reason == "NodeHasInsufficientMemory")
                .map(|e| e.object.name.clone()),
            _ => None,
        })
        .await;
    assert_eq!(reason, "node-3");
    assert!(
        !w.seen.iter().any(|c| matches!(
            c,
            ClusterChange::Events(Change::Replaced(e) | Change::Applied(e))
                if e.iter().any(|e| e.object.kind == "Node")
        )),
        "node events come apart from the namespace's own"
    );

    // Node-wide requests are polled only while wanted (the nodes view).
    let polls = || {
        c.sim
            .requests()
            .iter()
            .filter(|r| r.path == "/api/v1/pods" && r.verb == "list")
            .count()
    };
    assert_eq!(polls(), 0, "no list of every pod until the nodes view");
    w.set.as_ref().expect("watching").want_node_load(true);
    let totals = w
        .wait_for("node-wide requests", |c| match c {
            ClusterChange::NodeRequests(t) => Some(t.clone()),
            _ => None,
        })
        .await;
    // Against the sim's own pods of every namespace: staging's pods count.
    let all: Api<Pod> = Api::all(c.client.clone());
    let pods = all.list(&Default::default()).await.expect("pods");
    let on = |node: &str, ns: Option<&str>| {
        pods.items
            .iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
            .filter(|p| ns.is_none_or(|ns| p.metadata.namespace.as_deref() == Some(ns)))
            .filter(|p| {
                let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
                !matches!(phase, Some("Succeeded" | "Failed"))
            })
            .count() as u32
    };
    for (node, t) in &totals {
        assert_eq!(t.pods, on(node, None), "{node}: every namespace's pods");
    }
    assert!(
        totals
            .iter()
            .any(|(node, t)| t.pods > on(node, Some("production"))),
        "more than production's pods: {totals:?}"
    );
    let first = polls();
    assert!(first >= 1);
    // Left: no more polls, however long the view stays away.
    w.set.as_ref().expect("watching").want_node_load(false);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let after = polls();
    c.advance(Duration::from_secs(120)).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(polls(), after, "the poll stops with the view");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_namespace_only_user_is_told_not_allowed_not_stale() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "namespace-only=production".parse().expect("valid faults");
    let c = cluster(cfg).await;
    let mut w = Watching::start(&c, Some("production"), 1);
    let pods = w.replaced_pods().await;
    assert!(!pods.is_empty(), "the namespace's own pods sync");
    w.set.as_ref().expect("watching").want_node_load(true);
    for resource in [
        Resource::Nodes,
        Resource::Namespaces,
        Resource::NodeEvents,
        Resource::NodeRequests,
    ] {
        let error = w
            .seen_or_wait(&format!("{resource:?} not allowed"), |c| match c {
                ClusterChange::NotAllowed { resource: r, error } if *r == resource => {
                    Some(error.clone())
                }
                _ => None,
            })
            .await;
        assert!(error.starts_with("403 Forbidden"), "{resource:?}: {error}");
    }
    // Usage of the namespace's pods is allowed; of nodes it is not.
    w.seen_or_wait("pod metrics", |c| match c {
        ClusterChange::Metrics { pods, .. } if !pods.is_empty() => Some(()),
        _ => None,
    })
    .await;
    w.drain();
    assert!(
        !w.seen
            .iter()
            .any(|c| matches!(c, ClusterChange::WatchDown { .. })),
        "nothing is down: {:#?}",
        w.seen.iter().map(brief).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_server_is_down_in_words() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let client = client_for_url(&url, None).expect("client builds without a server");
    let (tx, rx) = mpsc::channel(64);
    let set = spawn_watchers_with(
        client,
        Some("production".into()),
        4,
        tx,
        cluster::system_clock(),
        WatchOptions {
            server: url.clone(),
            ..WatchOptions::default()
        },
    );
    let mut w = Watching::new(rx, set, 4);
    assert_eq!(
        w.watch_down(Resource::Pods).await,
        format!("cannot reach {url}: connection refused")
    );
    let metrics = w.watch_down(Resource::Metrics).await;
    assert!(metrics.contains("connection refused"), "{metrics}");

    // connect() says so before any watcher starts.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config");
    warroom::sim::kubeconfig::write(&path, &warroom::sim::kubeconfig::render(&url, None, "x"))
        .expect("kubeconfig written");
    let err = cluster::connect(&ConnectOptions {
        kubeconfig: Some(path),
        ..ConnectOptions::default()
    })
    .await
    .expect_err("nobody listens");
    assert_eq!(
        err.to_string(),
        format!("cannot reach {url}: connection refused")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_checked_at_connect_and_a_wrong_one_reads_401() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.token = Some("s3cret".into());
    let c = cluster(cfg).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, token: &str| {
        let path = dir.path().join(name);
        warroom::sim::kubeconfig::write(
            &path,
            &warroom::sim::kubeconfig::render(&c.url(), Some(token), "production"),
        )
        .expect("kubeconfig written");
        path
    };

    let wrong = ConnectOptions {
        kubeconfig: Some(write("wrong", "guess")),
        ..ConnectOptions::default()
    };
    let err = cluster::connect(&wrong).await.expect_err("wrong token");
    let text = err.to_string();
    assert!(text.starts_with("401 Unauthorized: "), "{text}");
    assert!(text.contains("warroom-sim"), "names the context: {text}");

    let client = client_for_url(&c.url(), Some("guess")).expect("client");
    let (tx, rx) = mpsc::channel(64);
    let set = spawn_watchers(client, Some("production".into()), 5, tx, sim_clock(&c.sim));
    let mut w = Watching::new(rx, set, 5);
    assert_eq!(
        w.watch_down(Resource::Pods).await,
        "401 Unauthorized: credentials rejected or expired"
    );
    drop(w);

    // The right token: connect() picks the sim's context and namespace, and
    // the session's watchers sync.
    let right = ConnectOptions {
        kubeconfig: Some(write("right", "s3cret")),
        ..ConnectOptions::default()
    };
    let session = cluster::connect(&right).await.expect("connects");
    assert_eq!(session.connection.context, "warroom-sim");
    assert_eq!(session.connection.contexts, vec!["warroom-sim"]);
    assert_eq!(session.connection.server, c.url());
    assert_eq!(session.namespace.as_deref(), Some("production"));
    let (tx, rx) = mpsc::channel(64);
    let set = session.watch(session.namespace.clone(), 6, tx, sim_clock(&c.sim));
    let mut w = Watching::new(rx, set, 6);
    assert!(!w.replaced_pods().await.is_empty());

    // `:ctx` to a context that does not exist lists the ones that do.
    let err = cluster::connect_context(&right, "prod")
        .await
        .expect_err("no such context");
    assert_eq!(
        err.to_string(),
        "no context \"prod\" in the kubeconfig (available: warroom-sim)"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_arrive_with_memory_for_running_pods() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let mut w = Watching::start(&c, Some("production"), 8);
    let (pods, nodes) = w
        .wait_for("metrics", |c| match c {
            ClusterChange::Metrics { pods, nodes, .. } => Some((pods.clone(), nodes.clone())),
            _ => None,
        })
        .await;
    assert!(!pods.is_empty(), "pod metrics");
    assert!(
        pods.iter().all(|p| p.namespace == "production"),
        "only the chosen namespace"
    );
    assert!(
        pods.iter().all(|p| p.usage.memory_bytes > 0),
        "running pods use memory: {pods:?}"
    );
    assert_eq!(nodes.len(), 3, "three nodes: {nodes:?}");
    assert!(nodes.iter().all(|n| n.usage.memory_bytes > 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_namespaces_then_dropping_the_set_stops_every_message() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let mut w = Watching::start(&c, None, 9);
    let pods = w.replaced_pods().await;
    for ns in ["production", "staging", "monitoring"] {
        assert!(pods.iter().any(|p| p.namespace == ns), "pods of {ns}");
    }
    let namespaces = w
        .seen_or_wait("the namespaces", |c| match c {
            ClusterChange::Namespaces(Change::Replaced(n)) => Some(n.clone()),
            _ => None,
        })
        .await;
    assert!(
        namespaces.contains(&"production".to_string()),
        "{namespaces:?}"
    );
    let nodes = w
        .seen_or_wait("the nodes", |c| match c {
            ClusterChange::Nodes(Change::Replaced(n)) => Some(n.clone()),
            _ => None,
        })
        .await;
    assert_eq!(nodes.len(), 3);

    // Dropped: every task ends, so every sender is gone and the channel
    // closes once what was already queued has been read.
    drop(w.set.take());
    let api: Api<Pod> = c.api("production");
    let victim = pods
        .iter()
        .find(|p| p.namespace == "production")
        .expect("a production pod")
        .name
        .clone();
    api.delete(&victim, &DeleteParams::default().grace_period(0))
        .await
        .expect("delete");
    let closed = tokio::time::timeout(Duration::from_secs(WAIT), async {
        while let Some(msg) = w.rx.recv().await {
            w.record(msg);
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the channel closes after the set is dropped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_is_down_then_up_again_without_a_relist() {
    let mut cfg = config(ScenarioName::Calm);
    // Watches end every second, so they notice the server is gone.
    cfg.faults = "drop-watch=1s".parse().expect("valid faults");
    let sim = common::build(cfg).await;
    let serve = |listener: tokio::net::TcpListener| {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let sim = sim.clone();
        tokio::spawn(async move {
            let _ = sim
                .serve(listener, async move {
                    let _ = stopped.await;
                })
                .await;
        });
        stop
    };
    let (addr, listener) = sim
        .bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let stop = serve(listener);
    let url = format!("http://{addr}");
    let (tx, rx) = mpsc::channel(64);
    let set = spawn_watchers_with(
        client_for_url(&url, None).expect("client"),
        None,
        10,
        tx,
        sim_clock(&sim),
        WatchOptions {
            server: url.clone(),
            ..WatchOptions::default()
        },
    );
    let mut w = Watching::new(rx, set, 10);
    let up =
        |c: &ClusterChange| matches!(c, ClusterChange::WatchUp(Resource::Namespaces)).then_some(());
    w.seen_or_wait("namespaces up", up).await;

    let _ = stop.send(());
    let error = w.watch_down(Resource::Namespaces).await;
    // Refused, reset, or closed under a request already on its way: which
    // one depends on timing; each names the server it could not reach.
    assert!(
        error.starts_with(&format!("cannot reach {url}: ")),
        "{error}"
    );

    // Back on the same address: the watch resumes from its resourceVersion
    // with nothing new to say, and the console still learns it is up.
    let listener = tokio::net::TcpListener::bind(addr).await.expect("rebind");
    let _stop = serve(listener);
    w.wait_for("namespaces up again", up).await;
    let relists = w
        .seen
        .iter()
        .filter(|c| matches!(c, ClusterChange::Namespaces(Change::Replaced(_))))
        .count();
    assert_eq!(relists, 1, "resumed, not relisted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_without_metrics_server_is_not_an_error() {
    // A server that knows no path at all: every watch fails with 404, and
    // metrics.k8s.io is simply absent.
    let app = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({
                "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": "the server could not find the requested resource",
                "reason": "NotFound", "code": 404
            })),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let (tx, rx) = mpsc::channel(64);
    let set = spawn_watchers(
        client_for_url(&url, None).expect("client"),
        None,
        11,
        tx,
        cluster::system_clock(),
    );
    let mut w = Watching::new(rx, set, 11);
    w.seen_or_wait("metrics unavailable", |c| {
        matches!(c, ClusterChange::MetricsUnavailable).then_some(())
    })
    .await;
    assert_eq!(
        w.watch_down(Resource::Pods).await,
        "404 Not Found: the server could not find the requested resource"
    );
    w.drain();
    assert_eq!(
        w.downs(Resource::Metrics),
        0,
        "absent metrics are no outage"
    );
}
