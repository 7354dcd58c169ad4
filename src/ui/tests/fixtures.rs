//! A small shop in trouble, built by hand (the model's converters and the
//! reducer are not used here): pods in every health, workloads mid-rollout
//! and stalled, events, and a node under memory pressure. `now` is fixed.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::model::ObjectKey;
use crate::model::event::{EventInfo, ObjectRef};
use crate::model::node::NodeInfo;
use crate::model::pod_health::{
    Condition, ContainerInfo, ContainerState, Health, Owner, PodInfo, Probe, ProbeKind, Resources,
    Termination,
};
use crate::model::usage::Usage;
use crate::model::workload::{ReplicaSetInfo, Rollout, WorkloadInfo, WorkloadKind};
use crate::state::{Connection, PodRow, Resource, State, WatchHealth};

pub const MI: u64 = 1024 * 1024;
pub const GI: u64 = 1024 * MI;

pub fn now() -> Timestamp {
    "2026-11-22T14:05:00Z".parse().expect("a timestamp")
}

/// `secs` seconds before `now`.
pub fn ago(secs: i64) -> Timestamp {
    now() - SignedDuration::from_secs(secs)
}

pub fn owner(kind: &str, name: &str) -> Owner {
    Owner {
        kind: kind.into(),
        name: name.into(),
    }
}

fn cond(
    kind: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    since: i64,
) -> Condition {
    Condition {
        kind: kind.to_string().into(),
        status: status.to_string().into(),
        reason: reason.map(Into::into),
        message: message.map(Into::into),
        since: Some(ago(since)),
    }
}

pub fn container(name: &str, image: &str) -> ContainerInfo {
    ContainerInfo {
        name: name.into(),
        image: image.into(),
        init: false,
        sidecar: false,
        ready: true,
        restarts: 0,
        state: ContainerState::Running {
            since: Some(ago(3 * 3600)),
        },
        last: None,
        probes: vec![Probe {
            kind: ProbeKind::Readiness,
            action: "GET :8080/ready".into(),
            initial_delay_s: 5,
            period_s: 5,
            failure_threshold: 3,
        }],
        requests: Resources {
            cpu_milli: Some(100),
            memory_bytes: Some(128 * MI),
        },
        limits: Resources {
            cpu_milli: Some(500),
            memory_bytes: Some(256 * MI),
        },
        env_names: vec!["LOG_LEVEL".into(), "DATABASE_URL".into()],
    }
}

/// A healthy pod of a Deployment, Running 1/1 for 3h on worker-1.
pub fn pod(ns: &str, name: &str, deployment: &str) -> PodInfo {
    let c = container(
        "app",
        &format!("registry.example.com/shop/{deployment}:1.4.2"),
    );
    PodInfo {
        namespace: ns.into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        created: Some(ago(3 * 3600)),
        deleting: false,
        deleting_since: None,
        grace_period_s: Some(30),
        finalizers: Vec::new(),
        labels: BTreeMap::from([("app".to_string(), deployment.to_string())]).into(),
        owner: Some(owner("Deployment", deployment)),
        node: Some("worker-1".into()),
        pod_ip: Some("10.4.1.17".into()),
        phase: "Running".into(),
        status_reason: None,
        status_message: None,
        status: "Running".into(),
        health: Health::Ok,
        ready: 1,
        total: 1,
        restarts: 0,
        last_restart: None,
        last_termination: None,
        ready_changed: Some(ago(3 * 3600)),
        requests: c.requests,
        limits: c.limits,
        containers: vec![c],
        conditions: vec![
            cond("PodScheduled", "True", None, None, 3 * 3600),
            cond("Initialized", "True", None, None, 3 * 3600),
            cond("ContainersReady", "True", None, None, 3 * 3600),
            cond("Ready", "True", None, None, 3 * 3600),
        ],
        qos_class: Some("Burstable".into()),
    }
}

fn oom(container: &str, secs_ago: i64) -> Termination {
    Termination {
        container: container.into(),
        reason: "OOMKilled".into(),
        exit_code: 137,
        signal: None,
        finished_at: Some(ago(secs_ago)),
        message: None,
    }
}

/// Running, but the readiness probe fails: 0/1 for 4 minutes.
pub fn not_ready_pod() -> PodInfo {
    let mut p = pod("shop", "checkout-7d8f9c-9vbnm", "checkout");
    p.health = Health::NotReady;
    p.ready = 0;
    p.created = Some(ago(5 * 60));
    p.ready_changed = Some(ago(4 * 60));
    p.containers[0].ready = false;
    p.containers[0].image = "registry.example.com/shop/checkout:1.5.0".into();
    p.containers[0].state = ContainerState::Running {
        since: Some(ago(5 * 60)),
    };
    p.conditions[2] = cond(
        "ContainersReady",
        "False",
        Some("ContainersNotReady"),
        Some("containers with unready status: [app]"),
        4 * 60,
    );
    p.conditions[3] = cond(
        "Ready",
        "False",
        Some("ContainersNotReady"),
        Some("containers with unready status: [app]"),
        4 * 60,
    );
    p
}

/// CrashLoopBackOff after being OOMKilled five times.
pub fn crashing_pod() -> PodInfo {
    let mut p = pod("shop", "cart-5b6d7c-ll2zx", "cart");
    p.status = "CrashLoopBackOff".into();
    p.health = Health::Failing;
    p.ready = 0;
    p.restarts = 5;
    p.last_restart = Some(ago(2 * 60));
    p.last_termination = Some(oom("app", 2 * 60));
    p.node = Some("worker-2".into());
    let c = &mut p.containers[0];
    c.ready = false;
    c.restarts = 5;
    c.state = ContainerState::Waiting {
        reason: "CrashLoopBackOff".into(),
        message: Some(
            "back-off 2m40s restarting failed container=app pod=cart-5b6d7c-ll2zx_shop".into(),
        ),
    };
    c.last = Some(oom("app", 2 * 60));
    c.probes.push(Probe {
        kind: ProbeKind::Liveness,
        action: "GET :8080/healthz".into(),
        initial_delay_s: 0,
        period_s: 10,
        failure_threshold: 3,
    });
    p.conditions[2] = cond(
        "ContainersReady",
        "False",
        Some("ContainersNotReady"),
        None,
        20 * 60,
    );
    p.conditions[3] = cond("Ready", "False", Some("ContainersNotReady"), None, 20 * 60);
    p
}

pub fn creating_pod() -> PodInfo {
    let mut p = pod("shop", "payments-6c9f4d-abcde", "payments");
    p.status = "ContainerCreating".into();
    p.phase = "Pending".into();
    p.health = Health::Progressing;
    p.ready = 0;
    p.created = Some(ago(40));
    p.pod_ip = None;
    p.containers[0].ready = false;
    p.containers[0].state = ContainerState::Waiting {
        reason: "ContainerCreating".into(),
        message: None,
    };
    p
}

pub fn terminating_pod() -> PodInfo {
    let mut p = pod("shop", "frontend-84b7f5-qwert", "frontend");
    p.status = "Terminating".into();
    p.health = Health::Progressing;
    p.deleting = true;
    // Deleted 10s ago with the default 30s grace period.
    p.deleting_since = Some(now() + SignedDuration::from_secs(20));
    p.finalizers = vec!["example.com/drain-connections".into()];
    p.created = Some(ago(2 * 86400));
    p
}

pub fn redis_pod() -> PodInfo {
    let mut p = pod("shop", "redis-0", "redis");
    p.owner = Some(owner("StatefulSet", "redis"));
    p.node = Some("worker-3".into());
    p.restarts = 1;
    p.last_restart = Some(ago(3 * 3600 - 60));
    p.last_termination = Some(Termination {
        container: "redis".into(),
        reason: "Error".into(),
        exit_code: 1,
        signal: None,
        finished_at: Some(ago(3 * 3600 - 60)),
        message: None,
    });
    p.limits.memory_bytes = None;
    p.containers[0].limits.memory_bytes = None;
    p
}

/// The pods of the shop, problems first (the reducer's default STATUS sort),
/// and one in kube-system.
pub fn shop_pods() -> Vec<PodInfo> {
    vec![
        crashing_pod(),
        not_ready_pod(),
        creating_pod(),
        terminating_pod(),
        pod("shop", "checkout-7d8f9c-2xkqp", "checkout"),
        redis_pod(),
    ]
}

fn workload(kind: WorkloadKind, name: &str, desired: u32, rollout: Rollout) -> WorkloadInfo {
    WorkloadInfo {
        kind,
        namespace: "shop".into(),
        name: name.into(),
        uid: format!("uid-{name}"),
        created: Some(ago(30 * 86400)),
        desired,
        ready: desired,
        updated: desired,
        available: desired,
        unavailable: 0,
        revision: Some(3),
        images: vec![format!("registry.example.com/shop/{name}:1.4.2")],
        selector: BTreeMap::from([("app".to_string(), name.to_string())]).into(),
        conditions: vec![cond(
            "Available",
            "True",
            Some("MinimumReplicasAvailable"),
            Some("Deployment has minimum availability."),
            29 * 86400,
        )],
        rollout,
    }
}

pub fn shop_workloads() -> Vec<WorkloadInfo> {
    let mut checkout = workload(
        WorkloadKind::Deployment,
        "checkout",
        5,
        Rollout::Progressing {
            updated: 3,
            desired: 5,
        },
    );
    checkout.ready = 4;
    checkout.updated = 3;
    checkout.available = 4;
    checkout.unavailable = 1;
    checkout.revision = Some(4);
    checkout.images = vec!["registry.example.com/shop/checkout:1.5.0".into()];

    let mut cart = workload(
        WorkloadKind::Deployment,
        "cart",
        3,
        Rollout::Stalled {
            reason: "ProgressDeadlineExceeded".into(),
            message: "ReplicaSet \"cart-5b6d7c\" has timed out progressing.".into(),
        },
    );
    cart.ready = 2;
    cart.updated = 1;
    cart.available = 2;
    cart.unavailable = 1;
    cart.revision = Some(7);
    cart.conditions.push(cond(
        "Progressing",
        "False",
        Some("ProgressDeadlineExceeded"),
        Some("ReplicaSet \"cart-5b6d7c\" has timed out progressing."),
        3 * 60,
    ));

    let payments = workload(WorkloadKind::Deployment, "payments", 2, Rollout::Paused);
    let frontend = workload(WorkloadKind::Deployment, "frontend", 3, Rollout::Complete);
    let mut redis = workload(WorkloadKind::StatefulSet, "redis", 1, Rollout::Complete);
    redis.images = vec!["redis:7.2".into()];
    let mut exporter = workload(
        WorkloadKind::DaemonSet,
        "node-exporter",
        3,
        Rollout::Complete,
    );
    exporter.images = vec!["quay.io/prometheus/node-exporter:v1.8.2".into()];
    exporter.revision = None;
    vec![cart, checkout, payments, frontend, redis, exporter]
}

pub fn cart_replicasets() -> Vec<ReplicaSetInfo> {
    let rs = |name: &str, revision: i64, desired: u32, ready: u32, image: &str| ReplicaSetInfo {
        namespace: "shop".into(),
        name: name.into(),
        created: Some(ago(revision * 3600)),
        deployment: Some("cart".into()),
        revision: Some(revision),
        change_cause: None,
        desired,
        ready,
        available: ready,
        images: vec![image.into()],
        template_hash: None,
    };
    vec![
        rs(
            "cart-6f7a8b",
            6,
            2,
            2,
            "registry.example.com/shop/cart:2.0.9",
        ),
        rs(
            "cart-5b6d7c",
            7,
            1,
            0,
            "registry.example.com/shop/cart:2.1.0",
        ),
    ]
}

fn node(name: &str) -> NodeInfo {
    NodeInfo {
        name: name.into(),
        created: Some(ago(90 * 86400)),
        ready: Some(true),
        pressures: Vec::new(),
        unschedulable: false,
        allocatable: Resources {
            cpu_milli: Some(3920),
            memory_bytes: Some(15 * GI / 2),
        },
        allocatable_pods: Some(110),
        conditions: vec![
            cond(
                "MemoryPressure",
                "False",
                Some("KubeletHasSufficientMemory"),
                None,
                90 * 86400,
            ),
            cond(
                "DiskPressure",
                "False",
                Some("KubeletHasNoDiskPressure"),
                None,
                90 * 86400,
            ),
            cond("Ready", "True", Some("KubeletReady"), None, 90 * 86400),
        ],
        kubelet_version: "v1.33.1".into(),
        roles: vec!["worker".into()],
        internal_ip: Some("10.0.0.11".into()),
    }
}

pub fn nodes() -> Vec<NodeInfo> {
    let w1 = node("worker-1");
    let mut w2 = node("worker-2");
    w2.pressures = vec!["MemoryPressure".into()];
    w2.internal_ip = Some("10.0.0.12".into());
    w2.conditions[0] = cond(
        "MemoryPressure",
        "True",
        Some("KubeletHasInsufficientMemory"),
        Some("kubelet has insufficient memory available"),
        6 * 60,
    );
    let mut w3 = node("worker-3");
    w3.ready = None;
    w3.unschedulable = true;
    w3.conditions[2] = cond(
        "Ready",
        "Unknown",
        Some("NodeStatusUnknown"),
        Some("Kubelet stopped posting node status."),
        90,
    );
    vec![w1, w2, w3]
}

/// An event: `count` times, first and last seen that many seconds ago.
fn event(
    name: &str,
    warning: bool,
    reason: &str,
    object: (&str, &str),
    (count, first, last): (u32, i64, i64),
    message: &str,
) -> EventInfo {
    let (kind, obj) = object;
    EventInfo {
        namespace: if kind == "Node" {
            "default".into()
        } else {
            "shop".into()
        },
        name: name.into(),
        warning,
        reason: reason.into(),
        object: ObjectRef {
            kind: kind.into(),
            namespace: if kind == "Node" {
                String::new()
            } else {
                "shop".into()
            },
            name: obj.into(),
        },
        field_path: (kind == "Pod").then(|| "spec.containers{app}".to_string()),
        count,
        first_seen: Some(ago(first)),
        last_seen: Some(ago(last)),
        message: message.into(),
        source_host: (kind == "Pod" || kind == "Node").then(|| "worker-2".to_string()),
        source: if kind == "Pod" || kind == "Node" {
            "kubelet".into()
        } else {
            "deployment-controller".into()
        },
    }
}

/// Events, newest first (the order the reducer keeps).
pub fn shop_events() -> Vec<EventInfo> {
    vec![
        event(
            "cart-5b6d7c-ll2zx.1",
            true,
            "BackOff",
            ("Pod", "cart-5b6d7c-ll2zx"),
            (12, 20 * 60, 30),
            "Back-off restarting failed container app in pod cart-5b6d7c-ll2zx_shop(0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e)",
        ),
        event(
            "checkout-7d8f9c-9vbnm.1",
            true,
            "Unhealthy",
            ("Pod", "checkout-7d8f9c-9vbnm"),
            (48, 4 * 60, 45),
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
        ),
        event(
            "payments-6c9f4d-abcde.1",
            false,
            "Scheduled",
            ("Pod", "payments-6c9f4d-abcde"),
            (1, 40, 40),
            "Successfully assigned shop/payments-6c9f4d-abcde to worker-1",
        ),
        event(
            "cart.1",
            true,
            "ProgressDeadlineExceeded",
            ("Deployment", "cart"),
            (1, 3 * 60, 3 * 60),
            "ReplicaSet \"cart-5b6d7c\" has timed out progressing.",
        ),
        event(
            "cart-5b6d7c-ll2zx.2",
            true,
            "OOMKilling",
            ("Pod", "cart-5b6d7c-ll2zx"),
            (5, 20 * 60, 2 * 60),
            "Memory cgroup out of memory: Killed process 4242 (cart) \x1b[31mtotal-vm:1048576kB\x1b[0m",
        ),
        event(
            "worker-2.1",
            true,
            "NodeHasInsufficientMemory",
            ("Node", "worker-2"),
            (3, 6 * 60, 5 * 60),
            "Node worker-2 status is now: NodeHasInsufficientMemory",
        ),
        event(
            "checkout.1",
            false,
            "ScalingReplicaSet",
            ("Deployment", "checkout"),
            (1, 5 * 60, 5 * 60),
            "Scaled up replica set checkout-7d8f9c from 2 to 3",
        ),
    ]
}

/// The shop in namespace `shop`, pods view, all watches live.
pub fn shop() -> State {
    let mut s = State::new(now(), Some("shop".into()));
    s.connection = Connection {
        context: "prod-eu".into(),
        cluster: "gke-prod-eu".into(),
        user: "oncall".into(),
        server: "https://10.0.0.1".into(),
        contexts: vec!["prod-eu".into(), "staging".into()],
    };
    for r in Resource::ALL {
        s.cluster.watches.insert(r, WatchHealth::Live);
    }
    s.cluster.metrics_available = Some(true);
    for p in shop_pods() {
        let key = p.key();
        s.pods.rows.push(PodRow::Pod(key.clone()));
        s.cluster.pods.insert(key, Box::new(p));
    }
    let usage = |mem: u64, cpu: u64| Usage {
        cpu_milli: cpu,
        memory_bytes: mem * MI,
    };
    for (name, u) in [
        ("cart-5b6d7c-ll2zx", usage(250, 310)),
        ("checkout-7d8f9c-9vbnm", usage(200, 40)),
        ("frontend-84b7f5-qwert", usage(90, 12)),
        ("checkout-7d8f9c-2xkqp", usage(120, 85)),
        ("redis-0", usage(80, 20)),
    ] {
        s.cluster.pod_usage.insert(ObjectKey::new("shop", name), u);
    }
    for w in shop_workloads() {
        let key = (w.kind, w.key());
        s.workloads.rows.push(key.clone());
        s.cluster.workloads.insert(key, w);
    }
    for rs in cart_replicasets() {
        s.cluster.replicasets.insert(rs.key(), rs);
    }
    for e in shop_events() {
        s.events.rows.push(e.key());
        s.cluster.events.insert(e.key(), Box::new(e));
    }
    for n in nodes() {
        s.nodes.rows.push(n.name.clone());
        s.cluster.node_usage.insert(
            n.name.clone(),
            Usage {
                cpu_milli: 900,
                memory_bytes: if n.name == "worker-2" { 7 * GI } else { 3 * GI },
            },
        );
        s.cluster.nodes.insert(n.name.clone(), n);
    }
    s.cluster.node_usage.remove("worker-3");
    // What the reducer sums when it recomputes the nodes rows.
    s.nodes.totals = s.cluster.node_requests();
    s.cluster.namespaces = ["default", "kube-system", "shipping", "shop"]
        .into_iter()
        .map(String::from)
        .collect();
    s
}

/// The shop seen from all namespaces, with a kube-system pod.
pub fn shop_all_namespaces() -> State {
    let mut s = shop();
    s.namespace = None;
    let mut dns = pod("kube-system", "coredns-5d78c9869d-4hx7p", "coredns");
    dns.node = Some("worker-3".into());
    dns.created = Some(ago(90 * 86400));
    s.pods.rows.push(PodRow::Pod(dns.key()));
    s.cluster.pods.insert(dns.key(), Box::new(dns));
    s
}
