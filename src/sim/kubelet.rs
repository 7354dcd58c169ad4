//! The simulated kubelet: for every pod bound to a node the sim knows, it
//! pulls images, creates and starts containers, runs readiness probes, kills
//! containers that outgrow their memory limit (OOMKilled, exit 137), restarts
//! them with CrashLoopBackOff back-off, terminates pods gracefully, evicts
//! under node memory pressure — and writes the pod status and Events a real
//! kubelet writes for each of those. A pod bound to a node that does not
//! exist is never touched, as on a real cluster.

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::apps::{self, Behaviour, Instance};
use super::events::{self, Source};
use super::rng::fnv32a;
use super::world::{World, k8s_time};

/// Longest CrashLoopBackOff / ImagePullBackOff delay, as the kubelet caps it.
const MAX_BACKOFF: i64 = 300;
/// A container that ran this long before crashing starts its back-off afresh.
const BACKOFF_RESET: i64 = 600;

#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub reason: String,
    pub exit_code: i32,
    pub started: Timestamp,
    pub finished: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Pulling {
        until: Timestamp,
    },
    /// A failed pull: `ErrImagePull` until `quiet_at`, then `ImagePullBackOff` until `retry_at`.
    PullBackOff {
        quiet_at: Timestamp,
        retry_at: Timestamp,
        announced: bool,
    },
    Creating {
        until: Timestamp,
    },
    Running {
        since: Timestamp,
    },
    CrashBackOff {
        until: Timestamp,
        delay: i64,
    },
    Terminated(Term),
}

#[derive(Debug, Clone)]
pub struct Container {
    pub name: String,
    pub beh: Behaviour,
    pub has_probe: bool,
    pub probe_period: i64,
    pub state: State,
    pub restarts: u32,
    pub last: Option<Term>,
    pub ready: bool,
    pub backoff: i64,
    pub pull_backoff: i64,
    /// Next readiness-probe failure event (while failing).
    pub next_probe: Timestamp,
    pub current: Option<Instance>,
    pub previous: Option<Instance>,
}

#[derive(Debug, Clone)]
pub struct PodRuntime {
    pub uid: String,
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub ip: String,
    pub host_ip: String,
    pub started: Timestamp,
    pub containers: Vec<Container>,
    pub restart_policy: String,
    pub terminating: Option<Timestamp>,
    pub evicted: Option<String>,
    pub memory_request_mib: f64,
    pub best_effort: bool,
    pub next_due: Timestamp,
    pub dirty: bool,
}

#[derive(Default)]
pub struct Kubelet {
    pub pods: BTreeMap<(String, String), PodRuntime>,
    /// Images already on each node: no pull needed.
    images: HashSet<(String, String)>,
    /// Nodes currently under memory pressure, and when the last eviction was.
    pressure: BTreeMap<String, Timestamp>,
    last_pressure_check: Option<Timestamp>,
    /// The story version container behaviour was last decided at.
    story_version: u64,
    last_heartbeat: Option<Timestamp>,
}

/// How often a kubelet re-posts its node's conditions when nothing changed
/// (the kubelet's nodeStatusReportFrequency).
const NODE_STATUS_REPORT: SignedDuration = SignedDuration::from_secs(300);

/// Refreshes `lastHeartbeatTime` of every Ready node's conditions.
fn heartbeat(w: &mut World) {
    let now = w.now;
    if w.kubelet
        .last_heartbeat
        .is_some_and(|t| now.duration_since(t) < NODE_STATUS_REPORT)
    {
        return;
    }
    w.kubelet.last_heartbeat = Some(now);
    let stamp = k8s_time(now);
    for mut node in w.store.values("nodes", None) {
        if !node_ready(&node) {
            continue;
        }
        if let Some(conds) = node["status"]["conditions"].as_array_mut() {
            for c in conds.iter_mut() {
                c["lastHeartbeatTime"] = json!(stamp);
            }
        }
        w.put_internal("nodes", node);
    }
}

impl Container {
    pub fn running_since(&self) -> Option<Timestamp> {
        match self.state {
            State::Running { since } => Some(since),
            _ => None,
        }
    }

    /// Memory now, MiB (0 when not running).
    pub fn memory_mib(&self, now: Timestamp) -> f64 {
        match (&self.state, &self.current) {
            (State::Running { .. }, Some(inst)) => inst.memory_at(&self.beh, now),
            _ => 0.0,
        }
    }
}

/// Pods of one workload do not all fail in the same second: each grows
/// memory at its own pace (0.85–1.15 of the app's rate).
fn jitter(uid: &str) -> f64 {
    0.85 + f64::from(fnv32a(uid.as_bytes()) % 31) / 100.0
}

fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

fn hex_id(seed: &str) -> String {
    (0..4)
        .map(|i| {
            format!(
                "{:08x}{:08x}",
                fnv32a(format!("{seed}{i}").as_bytes()),
                fnv32a(format!("{i}{seed}").as_bytes())
            )
        })
        .collect()
}

fn pod_ref(rt: &PodRuntime) -> Value {
    json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": rt.name, "namespace": rt.namespace, "uid": rt.uid}})
}

fn event(
    w: &mut World,
    rt_ref: &Value,
    node: &str,
    container: Option<&str>,
    warning: bool,
    reason: &str,
    message: &str,
) {
    let fp = container.map(|c| format!("spec.containers{{{c}}}"));
    events::record(
        w,
        rt_ref,
        fp.as_deref(),
        warning,
        reason,
        message,
        events::kubelet(node),
    );
}

/// Starts tracking a pod that was just bound to one of our nodes.
fn admit(w: &mut World, pod: &Value, node: &Value) -> PodRuntime {
    let meta = &pod["metadata"];
    let namespace = meta["namespace"].as_str().unwrap_or("").to_string();
    let name = meta["name"].as_str().unwrap_or("").to_string();
    let uid = meta["uid"].as_str().unwrap_or("").to_string();
    let node_name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
    let host_ip = node["status"]["addresses"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["type"] == "InternalIP"))
        .and_then(|x| x["address"].as_str())
        .unwrap_or("10.0.0.1")
        .to_string();
    let now = w.now;
    let pod_ref = json!({"kind": "Pod", "apiVersion": "v1", "metadata": meta});
    let mut containers = Vec::new();
    let mut request = 0.0;
    let mut best_effort = true;
    for c in pod["spec"]["containers"].as_array().into_iter().flatten() {
        let cname = c["name"].as_str().unwrap_or("").to_string();
        let beh = apps::behaviour(&w.story, &namespace, c);
        request +=
            crate::model::quantity::mib(&c["resources"]["requests"]["memory"]).unwrap_or(0.0);
        if c["resources"].as_object().is_some_and(|r| !r.is_empty()) {
            best_effort = false;
        }
        let present = w
            .kubelet
            .images
            .contains(&(node_name.clone(), beh.image.clone()));
        let always = c["imagePullPolicy"] == "Always";
        let state = if present && !always && beh.pull_error.is_none() {
            let msg = format!(
                "Container image \"{}\" already present on machine",
                beh.image
            );
            event(w, &pod_ref, &node_name, Some(&cname), false, "Pulled", &msg);
            State::Creating {
                until: now + SignedDuration::from_millis(500),
            }
        } else {
            let msg = format!("Pulling image \"{}\"", beh.image);
            event(
                w,
                &pod_ref,
                &node_name,
                Some(&cname),
                false,
                "Pulling",
                &msg,
            );
            State::Pulling {
                until: now + secs(beh.pull_secs),
            }
        };
        containers.push(Container {
            name: cname,
            has_probe: c["readinessProbe"].is_object(),
            probe_period: c["readinessProbe"]["periodSeconds"]
                .as_i64()
                .unwrap_or(10)
                .max(1),
            beh,
            state,
            restarts: 0,
            last: None,
            ready: false,
            backoff: 0,
            pull_backoff: 0,
            next_probe: now,
            current: None,
            previous: None,
        });
    }
    let ip = w.alloc_pod_ip();
    PodRuntime {
        uid,
        namespace,
        name,
        node: node_name,
        ip,
        host_ip,
        started: now,
        containers,
        restart_policy: pod["spec"]["restartPolicy"]
            .as_str()
            .unwrap_or("Always")
            .to_string(),
        terminating: None,
        evicted: None,
        memory_request_mib: request,
        best_effort,
        next_due: now,
        dirty: true,
    }
}

/// Moves one container's state machine up to `now`. Returns true if anything changed.
fn advance_container(w: &mut World, rt: &PodRuntime, c: &mut Container, now: Timestamp) -> bool {
    let pref = pod_ref(rt);
    let node = rt.node.clone();
    let mut changed = false;
    for _ in 0..8 {
        let before = c.state.clone();
        match c.state.clone() {
            State::Pulling { until } if now >= until => {
                if let Some(err) = c.beh.pull_error.clone() {
                    let image = c.beh.image.clone();
                    event(
                        w,
                        &pref,
                        &node,
                        Some(&c.name),
                        true,
                        "Failed",
                        &format!("Failed to pull image \"{image}\": {err}"),
                    );
                    event(
                        w,
                        &pref,
                        &node,
                        Some(&c.name),
                        true,
                        "Failed",
                        "Error: ErrImagePull",
                    );
                    c.pull_backoff = if c.pull_backoff == 0 {
                        10
                    } else {
                        (c.pull_backoff * 2).min(MAX_BACKOFF)
                    };
                    c.state = State::PullBackOff {
                        quiet_at: until + secs(1),
                        retry_at: until + secs(c.pull_backoff),
                        announced: false,
                    };
                } else {
                    let took = c.beh.pull_secs as f64 + 0.123;
                    let size = 20_000_000 + u64::from(fnv32a(c.beh.image.as_bytes()) % 200_000_000);
                    let msg = format!(
                        "Successfully pulled image \"{}\" in {took:.3}s ({took:.3}s including waiting). Image size: {size} bytes.",
                        c.beh.image
                    );
                    event(w, &pref, &node, Some(&c.name), false, "Pulled", &msg);
                    w.kubelet.images.insert((node.clone(), c.beh.image.clone()));
                    c.state = State::Creating {
                        until: until + SignedDuration::from_millis(500),
                    };
                }
            }
            State::PullBackOff {
                quiet_at,
                retry_at,
                announced,
            } => {
                if now >= retry_at {
                    event(
                        w,
                        &pref,
                        &node,
                        Some(&c.name),
                        false,
                        "Pulling",
                        &format!("Pulling image \"{}\"", c.beh.image),
                    );
                    c.state = State::Pulling {
                        until: retry_at + secs(c.beh.pull_secs),
                    };
                } else if now >= quiet_at && !announced {
                    event(
                        w,
                        &pref,
                        &node,
                        Some(&c.name),
                        false,
                        "BackOff",
                        &format!("Back-off pulling image \"{}\"", c.beh.image),
                    );
                    event(
                        w,
                        &pref,
                        &node,
                        Some(&c.name),
                        true,
                        "Failed",
                        "Error: ImagePullBackOff",
                    );
                    c.state = State::PullBackOff {
                        quiet_at,
                        retry_at,
                        announced: true,
                    };
                }
            }
            State::Creating { until } if now >= until => {
                event(
                    w,
                    &pref,
                    &node,
                    Some(&c.name),
                    false,
                    "Created",
                    &format!("Created container: {}", c.name),
                );
                event(
                    w,
                    &pref,
                    &node,
                    Some(&c.name),
                    false,
                    "Started",
                    &format!("Started container {}", c.name),
                );
                let mut inst = Instance::new(
                    format!("{}/{}/{}", rt.uid, c.name, c.restarts),
                    until,
                    &c.beh,
                );
                inst.growth *= jitter(&rt.uid);
                c.current = Some(inst);
                c.state = State::Running { since: until };
                c.next_probe = until + secs(c.beh.start_secs);
            }
            State::Running { since } => {
                let up = now.duration_since(since);
                let oom = c.current.as_ref().and_then(|i| i.oom_at(&c.beh));
                let exit = c.beh.exits_after.map(|(t, code)| (since + secs(t), code));
                let end = match (oom, exit) {
                    (Some(o), _) if now >= o => Some((o, "OOMKilled".to_string(), 137)),
                    (_, Some((t, code))) if now >= t => Some((t, "Error".to_string(), code)),
                    _ => None,
                };
                if let Some((at, reason, code)) = end {
                    if reason == "OOMKilled" {
                        let node_ref = json!({"kind": "Node", "apiVersion": "v1", "metadata": {"name": node, "uid": node, "namespace": ""}});
                        let pid = 1000 + fnv32a(rt.uid.as_bytes()) % 30_000;
                        let comm: String =
                            apps::image_name(&c.beh.image).0.chars().take(15).collect();
                        let rss = c.beh.limit_mib.unwrap_or(0.0) * 1024.0;
                        let msg = format!(
                            "Memory cgroup out of memory: Killed process {pid} ({comm}) total-vm:{}kB, anon-rss:{rss:.0}kB, file-rss:0kB, shmem-rss:0kB",
                            (rss * 1.6) as u64
                        );
                        events::record(
                            w,
                            &node_ref,
                            None,
                            true,
                            "OOMKilling",
                            &msg,
                            Source {
                                component: "kernel-monitor",
                                host: Some(&node),
                            },
                        );
                    }
                    terminate(w, rt, c, at, &reason, code, up.as_secs() >= BACKOFF_RESET);
                } else {
                    let ready = if c.has_probe {
                        c.beh.ready_at(up.as_secs())
                    } else {
                        up.as_secs() >= 0
                    };
                    if ready != c.ready {
                        c.ready = ready;
                        changed = true;
                    }
                    if c.has_probe
                        && !ready
                        && up.as_secs() >= c.beh.start_secs
                        && now >= c.next_probe
                    {
                        let msg = if c.beh.missing_env.is_some() {
                            "Readiness probe failed: HTTP probe failed with statuscode: 503"
                                .to_string()
                        } else {
                            format!(
                                "Readiness probe failed: Get \"http://{}:8080/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                                rt.ip
                            )
                        };
                        event(w, &pref, &node, Some(&c.name), true, "Unhealthy", &msg);
                        c.next_probe = now + secs(c.probe_period);
                    }
                }
            }
            State::CrashBackOff { until, .. } if now >= until => {
                c.restarts += 1;
                event(
                    w,
                    &pref,
                    &node,
                    Some(&c.name),
                    false,
                    "Pulled",
                    &format!(
                        "Container image \"{}\" already present on machine",
                        c.beh.image
                    ),
                );
                c.state = State::Creating {
                    until: until + SignedDuration::from_millis(300),
                };
            }
            _ => {}
        }
        if c.state == before {
            break;
        }
        changed = true;
    }
    changed
}

/// A running container ended at `at` with `reason`/`code`: record it and
/// decide on the restart, as the restart policy says.
fn terminate(
    w: &mut World,
    rt: &PodRuntime,
    c: &mut Container,
    at: Timestamp,
    reason: &str,
    code: i32,
    reset: bool,
) {
    let started = c.running_since().unwrap_or(at);
    let term = Term {
        reason: reason.to_string(),
        exit_code: code,
        started,
        finished: at,
    };
    if let Some(mut inst) = c.current.take() {
        inst.ended = Some((at, reason.to_string()));
        c.previous = Some(inst);
    }
    c.ready = false;
    c.last = Some(term.clone());
    let restart = match rt.restart_policy.as_str() {
        "Never" => false,
        "OnFailure" => code != 0,
        _ => true,
    };
    if !restart || rt.terminating.is_some() {
        c.state = State::Terminated(term);
        return;
    }
    if reset {
        c.backoff = 0;
    }
    // The first restart is immediate; then 10s, 20s, 40s … 5m.
    let delay = if c.backoff == 0 && c.restarts == 0 {
        1
    } else if c.backoff == 0 {
        10
    } else {
        (c.backoff * 2).min(MAX_BACKOFF)
    };
    c.backoff = if delay == 1 { 0 } else { delay };
    if delay >= 10 {
        let msg = format!(
            "Back-off restarting failed container {} in pod {}_{}({})",
            c.name, rt.name, rt.namespace, rt.uid
        );
        event(
            w,
            &pod_ref(rt),
            &rt.node.clone(),
            Some(&c.name),
            true,
            "BackOff",
            &msg,
        );
    }
    c.state = State::CrashBackOff {
        until: at + secs(delay),
        delay,
    };
}

fn term_json(t: &Term, container_id: &str) -> Value {
    json!({"terminated": {
        "exitCode": t.exit_code,
        "reason": t.reason,
        "startedAt": k8s_time(t.started),
        "finishedAt": k8s_time(t.finished),
        "containerID": container_id,
    }})
}

fn container_status(rt: &PodRuntime, c: &Container) -> Value {
    let id = format!(
        "containerd://{}",
        hex_id(&format!("{}/{}/{}", rt.uid, c.name, c.restarts))
    );
    let last_id = format!(
        "containerd://{}",
        hex_id(&format!(
            "{}/{}/{}",
            rt.uid,
            c.name,
            c.restarts.saturating_sub(1)
        ))
    );
    let waiting = |reason: &str, message: Option<String>| {
        let mut w = json!({"reason": reason});
        if let Some(m) = message {
            w["message"] = json!(m);
        }
        json!({"waiting": w})
    };
    let (state, started) = match &c.state {
        State::Pulling { .. } | State::Creating { .. } => {
            (waiting("ContainerCreating", None), false)
        }
        State::PullBackOff { announced, .. } => {
            let reason = if *announced {
                "ImagePullBackOff"
            } else {
                "ErrImagePull"
            };
            let msg = if *announced {
                format!(
                    "Back-off pulling image \"{}\": ErrImagePull: {}",
                    c.beh.image,
                    c.beh.pull_error.clone().unwrap_or_default()
                )
            } else {
                c.beh.pull_error.clone().unwrap_or_default()
            };
            (waiting(reason, Some(msg)), false)
        }
        State::Running { since } => (json!({"running": {"startedAt": k8s_time(*since)}}), true),
        State::CrashBackOff { delay, .. } => (
            waiting(
                "CrashLoopBackOff",
                Some(format!(
                    "back-off {delay}s restarting failed container={} pod={}_{}({})",
                    c.name, rt.name, rt.namespace, rt.uid
                )),
            ),
            false,
        ),
        State::Terminated(t) => (term_json(t, &id), false),
    };
    let pulled =
        !matches!(c.state, State::Pulling { .. } | State::PullBackOff { .. }) || c.restarts > 0;
    let mut s = json!({
        "name": c.name,
        "state": state,
        "lastState": c.last.as_ref().filter(|_| !matches!(c.state, State::Terminated(_)) || c.restarts > 0).map_or(json!({}), |t| term_json(t, &last_id)),
        "ready": c.ready,
        "restartCount": c.restarts,
        "image": c.beh.image,
        "imageID": if pulled { json!(format!("{}@sha256:{}", c.beh.image.split(':').next().unwrap_or(""), hex_id(&c.beh.image))) } else { json!("") },
        "started": started,
    });
    if pulled && !matches!(c.state, State::Pulling { .. } | State::Creating { .. }) {
        s["containerID"] = json!(id);
    }
    s
}

/// The condition list, keeping transition times of conditions that did not change.
fn condition(
    old: &Value,
    kind: &str,
    ok: bool,
    reason: Option<&str>,
    message: Option<String>,
    now: Timestamp,
) -> Value {
    let status = if ok { "True" } else { "False" };
    let prev = old["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == kind));
    let since = match prev {
        Some(p) if p["status"] == status => p["lastTransitionTime"].clone(),
        _ => json!(k8s_time(now)),
    };
    let mut c =
        json!({"type": kind, "status": status, "lastProbeTime": null, "lastTransitionTime": since});
    if let Some(r) = reason {
        c["reason"] = json!(r);
    }
    if let Some(m) = message {
        c["message"] = json!(m);
    }
    c
}

fn pod_status(rt: &PodRuntime, old: &Value, now: Timestamp) -> Value {
    let statuses: Vec<Value> = rt
        .containers
        .iter()
        .map(|c| container_status(rt, c))
        .collect();
    let unready: Vec<&str> = rt
        .containers
        .iter()
        .filter(|c| !c.ready)
        .map(|c| c.name.as_str())
        .collect();
    let all_done = rt
        .containers
        .iter()
        .all(|c| matches!(c.state, State::Terminated(_)));
    let any_started = rt
        .containers
        .iter()
        .any(|c| c.current.is_some() || c.last.is_some());
    let phase = if rt.evicted.is_some() {
        "Failed"
    } else if all_done && !rt.containers.is_empty() {
        let failed = rt
            .containers
            .iter()
            .any(|c| matches!(&c.state, State::Terminated(t) if t.exit_code != 0));
        if rt.terminating.is_some() || failed {
            "Failed"
        } else {
            "Succeeded"
        }
    } else if any_started {
        "Running"
    } else {
        "Pending"
    };
    let ready = unready.is_empty() && rt.evicted.is_none();
    let unready_msg =
        (!ready).then(|| format!("containers with unready status: [{}]", unready.join(" ")));
    let reason = (!ready).then_some(if phase == "Succeeded" || phase == "Failed" {
        "PodCompleted"
    } else {
        "ContainersNotReady"
    });
    let scheduled = old["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "PodScheduled").cloned())
        .unwrap_or_else(|| condition(old, "PodScheduled", true, None, None, now));
    let mut status = json!({
        "phase": phase,
        "conditions": [
            condition(old, "PodReadyToStartContainers", phase != "Failed" || rt.terminating.is_none(), None, None, now),
            condition(old, "Initialized", true, None, None, now),
            condition(old, "Ready", ready, reason, unready_msg.clone(), now),
            condition(old, "ContainersReady", ready, reason, unready_msg, now),
            scheduled,
        ],
        "hostIP": rt.host_ip,
        "hostIPs": [{"ip": rt.host_ip}],
        "podIP": rt.ip,
        "podIPs": [{"ip": rt.ip}],
        "startTime": k8s_time(rt.started),
        "containerStatuses": statuses,
        "qosClass": old["qosClass"].as_str().unwrap_or(if rt.best_effort { "BestEffort" } else { "Burstable" }),
    });
    if let Some(msg) = &rt.evicted {
        status["reason"] = json!("Evicted");
        status["message"] = json!(msg);
    }
    status
}

/// Next moment this pod needs attention.
fn next_due(rt: &PodRuntime, now: Timestamp) -> Timestamp {
    let mut due = now + secs(3600);
    for c in &rt.containers {
        let t = match &c.state {
            State::Pulling { until }
            | State::Creating { until }
            | State::CrashBackOff { until, .. } => *until,
            State::PullBackOff {
                quiet_at,
                retry_at,
                announced,
            } => {
                if *announced {
                    *retry_at
                } else {
                    *quiet_at
                }
            }
            State::Running { since } => {
                let mut t = now + secs(60);
                if let Some(o) = c.current.as_ref().and_then(|i| i.oom_at(&c.beh)) {
                    t = t.min(o.max(*since));
                }
                if c.has_probe
                    && (!c.ready || matches!(c.beh.readiness, apps::Readiness::Flap { .. }))
                {
                    t = t.min(now + secs(1));
                }
                if !c.ready {
                    t = t.min(now + secs(1));
                }
                t
            }
            State::Terminated(_) => continue,
        };
        due = due.min(t);
    }
    if let Some(t) = rt.terminating {
        due = due.min(t);
    }
    due
}

fn node_ready(node: &Value) -> bool {
    node["status"]["conditions"].as_array().is_some_and(|cs| {
        cs.iter()
            .any(|c| c["type"] == "Ready" && c["status"] == "True")
    })
}

/// The scenario changed what apps do (a traffic spike, a flapping
/// dependency): running containers carry on under the new behaviour.
fn refresh_behaviour(w: &mut World) {
    if w.kubelet.story_version == w.story.version {
        return;
    }
    w.kubelet.story_version = w.story.version;
    let now = w.now;
    let keys: Vec<(String, String)> = w.kubelet.pods.keys().cloned().collect();
    for key in keys {
        let Some(pod) = w.store.get_value("pods", &key.0, &key.1) else {
            continue;
        };
        let Some(rt) = w.kubelet.pods.get_mut(&key) else {
            continue;
        };
        for c in &mut rt.containers {
            let spec = pod["spec"]["containers"]
                .as_array()
                .and_then(|cs| cs.iter().find(|s| s["name"] == c.name.as_str()));
            let Some(spec) = spec else { continue };
            let beh = apps::behaviour(&w.story, &key.0, spec);
            if let Some(inst) = c.current.as_mut() {
                inst.regrow(&beh, now, beh.memory.growth_mib_per_min * jitter(&rt.uid));
            }
            c.beh = beh;
        }
        rt.dirty = true;
    }
}

/// One step of every kubelet.
pub fn tick(w: &mut World) {
    let now = w.now;
    refresh_behaviour(w);
    heartbeat(w);
    // Pods that changed: new ones are admitted, deleted ones start terminating.
    for key in std::mem::take(&mut w.queues.kubelet) {
        let Some(pod) = w.store.get_value("pods", &key.0, &key.1) else {
            w.kubelet.pods.remove(&key);
            continue;
        };
        let node_name = pod["spec"]["nodeName"].as_str().unwrap_or("").to_string();
        if node_name.is_empty() {
            continue;
        }
        let Some(node) = w.store.get_value("nodes", "", &node_name) else {
            continue;
        };
        if !w.kubelet.pods.contains_key(&key) {
            let phase = pod["status"]["phase"].as_str().unwrap_or("Pending");
            if !node_ready(&node) || matches!(phase, "Succeeded" | "Failed") {
                continue;
            }
            let rt = admit(w, &pod, &node);
            w.kubelet.pods.insert(key.clone(), rt);
        }
        let uid = pod["metadata"]["uid"].as_str().unwrap_or("").to_string();
        if let Some(rt) = w.kubelet.pods.get_mut(&key) {
            if rt.uid != uid {
                // Same name, new pod (StatefulSets): start over next step.
                w.kubelet.pods.remove(&key);
                w.queues.kubelet.insert(key);
                continue;
            }
            if pod["metadata"].get("deletionTimestamp").is_some() && rt.terminating.is_none() {
                let grace = pod["metadata"]["deletionGracePeriodSeconds"]
                    .as_i64()
                    .unwrap_or(30);
                // Our apps exit promptly on SIGTERM.
                rt.terminating = Some(now + secs(grace.clamp(0, 2)));
                rt.dirty = true;
                rt.next_due = now;
                let rt = rt.clone();
                for c in rt.containers.iter().filter(|c| c.running_since().is_some()) {
                    event(
                        w,
                        &pod_ref(&rt),
                        &rt.node,
                        Some(&c.name),
                        false,
                        "Killing",
                        &format!("Stopping container {}", c.name),
                    );
                }
            }
        }
    }
    node_pressure(w);
    // Advance every pod that is due.
    let due: Vec<(String, String)> = w
        .kubelet
        .pods
        .iter()
        .filter(|(_, rt)| rt.dirty || rt.next_due <= now)
        .map(|(k, _)| k.clone())
        .collect();
    for key in due {
        let Some(mut rt) = w.kubelet.pods.remove(&key) else {
            continue;
        };
        let mut changed = std::mem::take(&mut rt.dirty);
        if let Some(deadline) = rt.terminating
            && now >= deadline
        {
            w.remove_pod(&key.0, &key.1);
            continue;
        }
        let mut containers = std::mem::take(&mut rt.containers);
        for c in &mut containers {
            if rt.evicted.is_none() && rt.terminating.is_none() {
                changed |= advance_container(w, &rt, c, now);
            } else if let Some(since) = c.running_since() {
                let mut term = Term {
                    reason: "Error".into(),
                    exit_code: 137,
                    started: since,
                    finished: now,
                };
                if rt.terminating.is_some() {
                    term.reason = "Completed".into();
                    term.exit_code = 0;
                }
                if let Some(mut inst) = c.current.take() {
                    inst.ended = Some((now, term.reason.clone()));
                    c.previous = Some(inst);
                }
                c.ready = false;
                c.state = State::Terminated(term);
                changed = true;
            } else if !matches!(c.state, State::Terminated(_)) && rt.evicted.is_some() {
                c.state = State::Terminated(Term {
                    reason: "ContainerStatusUnknown".into(),
                    exit_code: 137,
                    started: now,
                    finished: now,
                });
                changed = true;
            }
        }
        rt.containers = containers;
        rt.next_due = next_due(&rt, now);
        if changed && let Some(mut pod) = w.store.get_value("pods", &key.0, &key.1) {
            let status = pod_status(&rt, &pod["status"], now);
            if pod["status"] != status {
                pod["status"] = status;
                w.put_internal("pods", pod);
            }
        }
        w.kubelet.pods.insert(key, rt);
    }
}

/// Memory pressure: when a node's free memory falls under the eviction
/// threshold, it reports MemoryPressure, taints itself, and evicts the pod
/// using the most memory above its request, one every ten seconds.
fn node_pressure(w: &mut World) {
    let now = w.now;
    if w.kubelet
        .last_pressure_check
        .is_some_and(|t| now.duration_since(t) < secs(5))
    {
        return;
    }
    w.kubelet.last_pressure_check = Some(now);
    if w.story.node_leaks.is_empty() && w.kubelet.pressure.is_empty() {
        return;
    }
    for node in w.store.values("nodes", None) {
        let name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
        let capacity =
            crate::model::quantity::mib(&node["status"]["capacity"]["memory"]).unwrap_or(0.0);
        let used = super::metrics::node_memory_mib(w, &name);
        let available = capacity - used;
        let under = available < 100.0;
        let was = w.kubelet.pressure.contains_key(&name);
        if under && !was {
            set_pressure(w, &node, true);
            w.kubelet.pressure.insert(name.clone(), now - secs(60));
        } else if !under
            && was
            && w.kubelet
                .pressure
                .get(&name)
                .is_some_and(|t| now.duration_since(*t) > secs(30))
        {
            set_pressure(w, &node, false);
            w.kubelet.pressure.remove(&name);
            continue;
        }
        if !under
            || w.kubelet
                .pressure
                .get(&name)
                .is_some_and(|t| now.duration_since(*t) < secs(10))
        {
            continue;
        }
        // Pick the victim: BestEffort first, then the largest use above request.
        let victim = w
            .kubelet
            .pods
            .iter()
            .filter(|(_, rt)| rt.node == name && rt.evicted.is_none() && rt.terminating.is_none())
            .map(|(k, rt)| {
                let used: f64 = rt.containers.iter().map(|c| c.memory_mib(now)).sum();
                (
                    k.clone(),
                    rt.best_effort,
                    used - rt.memory_request_mib,
                    used,
                    rt.memory_request_mib,
                    rt.containers
                        .first()
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                )
            })
            .filter(|v| v.3 > 0.0)
            .max_by(|a, b| {
                (a.1, a.2)
                    .partial_cmp(&(b.1, b.2))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        let Some((key, _, _, used_mib, req, cname)) = victim else {
            continue;
        };
        let msg = format!(
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: {}Ki. Container {cname} was using {}Ki, request is {}Mi, has larger consumption of memory.",
            (available.max(0.0) * 1024.0) as i64,
            (used_mib * 1024.0) as i64,
            req.round() as i64
        );
        if let Some(rt) = w.kubelet.pods.get_mut(&key) {
            rt.evicted = Some(msg.clone());
            rt.dirty = true;
            let rt = rt.clone();
            event(w, &pod_ref(&rt), &name, None, true, "Evicted", &msg);
            event(
                w,
                &pod_ref(&rt),
                &name,
                Some(&cname),
                false,
                "Killing",
                &format!("Stopping container {cname}"),
            );
        }
        w.kubelet.pressure.insert(name, now);
    }
}

fn set_pressure(w: &mut World, node: &Value, on: bool) {
    let mut node = node.clone();
    let name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
    let now = k8s_time(w.now);
    if let Some(conds) = node["status"]["conditions"].as_array_mut() {
        for c in conds.iter_mut().filter(|c| c["type"] == "MemoryPressure") {
            c["status"] = json!(if on { "True" } else { "False" });
            c["reason"] = json!(if on {
                "KubeletHasInsufficientMemory"
            } else {
                "KubeletHasSufficientMemory"
            });
            c["message"] = json!(if on {
                "kubelet has insufficient memory available"
            } else {
                "kubelet has sufficient memory available"
            });
            c["lastTransitionTime"] = json!(now);
            c["lastHeartbeatTime"] = json!(now);
        }
    }
    let taint = json!({"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule", "timeAdded": now});
    let mut taints: Vec<Value> = node["spec"]["taints"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    taints.retain(|t| t["key"] != "node.kubernetes.io/memory-pressure");
    if on {
        taints.push(taint);
    }
    node["spec"]["taints"] = json!(taints);
    if taints.is_empty()
        && let Some(spec) = node["spec"].as_object_mut()
    {
        spec.remove("taints");
    }
    let node_ref =
        json!({"kind": "Node", "apiVersion": "v1", "metadata": {"name": name, "uid": name}});
    if on {
        events::record(
            w,
            &node_ref,
            None,
            false,
            "NodeHasInsufficientMemory",
            &format!("Node {name} status is now: NodeHasInsufficientMemory"),
            events::kubelet(&name),
        );
        events::record(
            w,
            &node_ref,
            None,
            true,
            "EvictionThresholdMet",
            "Attempting to reclaim memory",
            events::kubelet(&name),
        );
    } else {
        events::record(
            w,
            &node_ref,
            None,
            false,
            "NodeHasSufficientMemory",
            &format!("Node {name} status is now: NodeHasSufficientMemory"),
            events::kubelet(&name),
        );
    }
    w.put_internal("nodes", node);
}
