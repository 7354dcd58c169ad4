//! The simulated kubelet: for every pod bound to a node the sim knows, it
//! pulls images, creates and starts containers, runs readiness probes, kills
//! containers that outgrow their memory limit (OOMKilled, exit 137), restarts
//! them with CrashLoopBackOff back-off, terminates pods gracefully, evicts
//! under node memory pressure — and writes the pod status and Events a real
//! kubelet writes for each of those. A pod bound to a node that does not
//! exist is never touched, as on a real cluster.

use std::collections::{BTreeMap, HashSet};

mod containers;
mod node;
mod status;

use containers::{advance_container, next_due};
use node::{heartbeat, node_pressure, node_ready};
use status::pod_status;

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::apps::{self, Behaviour, Instance};
use super::events;
use super::rng::fnv32a;
use super::world::World;

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
    /// Liveness probe: period and failure threshold, if configured.
    pub liveness: Option<(i64, u32)>,
    pub live_failures: u32,
    pub next_live: Timestamp,
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
    last_lease_renewal: Option<Timestamp>,
}

/// Pods of one workload do not all fail in the same second: each grows
/// memory at its own pace (0.85–1.15 of the app's rate).
pub(super) fn jitter(uid: &str) -> f64 {
    0.85 + f64::from(fnv32a(uid.as_bytes()) % 31) / 100.0
}

pub(super) fn secs(n: i64) -> SignedDuration {
    SignedDuration::from_secs(n)
}

/// Probe periods and thresholds come from the pod spec: keep them sane.
const MAX_PROBE_PERIOD: i64 = 3600;

pub(super) fn hex_id(seed: &str) -> String {
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

pub(super) fn pod_ref(rt: &PodRuntime) -> Value {
    json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": rt.name, "namespace": rt.namespace, "uid": rt.uid}})
}

pub(super) fn event(
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
                .clamp(1, MAX_PROBE_PERIOD),
            liveness: c["livenessProbe"].is_object().then(|| {
                let p = &c["livenessProbe"];
                (
                    p["periodSeconds"]
                        .as_i64()
                        .unwrap_or(10)
                        .clamp(1, MAX_PROBE_PERIOD),
                    p["failureThreshold"].as_u64().unwrap_or(3).clamp(1, 100) as u32,
                )
            }),
            live_failures: 0,
            next_live: now,
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
