//! The simulated kubelet: for every pod bound to a node the sim knows, it
//! pulls images, creates and starts containers, runs readiness probes, kills
//! containers that outgrow their memory limit (OOMKilled, exit 137), restarts
//! them with CrashLoopBackOff back-off, terminates pods gracefully, evicts
//! under node memory pressure — and writes the pod status and Events a real
//! kubelet writes for each of those. A pod bound to a node that does not
//! exist is never touched, as on a real cluster.

mod config_refs;
mod containers;
mod node;
mod report;
mod status;

use containers::{advance_container, jitter, next_due};
use node::{heartbeat, node_pressure, node_ready};
use report::{event, pod_ref};
use status::pod_status;

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::apps;
use super::runtime::{Container, PodRuntime, State, Term};
use super::time::secs;
use super::world::World;

/// Probe periods and thresholds come from the pod spec: keep them sane.
const MAX_PROBE_PERIOD: i64 = 3600;

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
