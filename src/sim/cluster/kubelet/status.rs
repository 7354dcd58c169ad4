//! Pod and container status as the kubelet writes it.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::sim::cluster::rng::fnv32a;
use crate::sim::cluster::runtime::{Container, PodRuntime, State, Term};
use crate::sim::cluster::time::k8s_time;

/// A container or sandbox ID: 64 hex digits from `seed`.
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
        State::ConfigError { message, .. } => (
            waiting("CreateContainerConfigError", Some(message.clone())),
            false,
        ),
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
    let pulled = !matches!(
        c.state,
        State::Pulling { .. } | State::PullBackOff { .. } | State::ConfigError { .. }
    ) || c.restarts > 0;
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
    if pulled
        && !matches!(
            c.state,
            State::Pulling { .. } | State::Creating { .. } | State::ConfigError { .. }
        )
    {
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

pub(super) fn pod_status(rt: &PodRuntime, old: &Value, now: Timestamp) -> Value {
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
