//! The container state machine: pulling, creating, running, probing,
//! OOMKilled or crashed, backing off, restarting.

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::config_refs;
use super::report::{event, pod_ref};
use crate::sim::cluster::apps::{self, Instance};
use crate::sim::cluster::events::{self, Source};
use crate::sim::cluster::rng::fnv32a;
use crate::sim::cluster::runtime::{Container, PodRuntime, State, Term};
use crate::sim::cluster::time::secs;
use crate::sim::cluster::world::World;

/// Longest CrashLoopBackOff / ImagePullBackOff delay, as the kubelet caps it.
const MAX_BACKOFF: i64 = 300;
/// A container that ran this long before crashing starts its back-off afresh.
const BACKOFF_RESET: i64 = 600;
/// How soon a pod whose config is missing is synced again (the pod
/// worker's back-off after a failed sync).
const CONFIG_RETRY: i64 = 10;

/// Pods of one workload do not all fail in the same second: each grows
/// memory at its own pace (0.85–1.15 of the app's rate).
pub(super) fn jitter(uid: &str) -> f64 {
    0.85 + f64::from(fnv32a(uid.as_bytes()) % 31) / 100.0
}
/// Moves one container's state machine up to `now`. Returns true if anything changed.
pub(super) fn advance_container(
    w: &mut World,
    rt: &PodRuntime,
    c: &mut Container,
    now: Timestamp,
) -> bool {
    let pref = pod_ref(rt);
    let node = rt.node.clone();
    let cname = c.name.clone();
    // An event about this container, from this node's kubelet.
    let say = |w: &mut World, warning: bool, reason: &str, msg: &str| {
        event(w, &pref, &node, Some(&cname), warning, reason, msg);
    };
    let mut changed = false;
    for _ in 0..8 {
        let before = c.state.clone();
        match c.state.clone() {
            State::Pulling { until } if now >= until => {
                if let Some(err) = c.beh.pull_error.clone() {
                    let image = c.beh.image.clone();
                    say(
                        w,
                        true,
                        "Failed",
                        &format!("Failed to pull image \"{image}\": {err}"),
                    );
                    say(w, true, "Failed", "Error: ErrImagePull");
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
                    say(w, false, "Pulled", &msg);
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
                    say(
                        w,
                        false,
                        "Pulling",
                        &format!("Pulling image \"{}\"", c.beh.image),
                    );
                    c.state = State::Pulling {
                        until: retry_at + secs(c.beh.pull_secs),
                    };
                } else if now >= quiet_at && !announced {
                    say(
                        w,
                        false,
                        "BackOff",
                        &format!("Back-off pulling image \"{}\"", c.beh.image),
                    );
                    say(w, true, "Failed", "Error: ImagePullBackOff");
                    c.state = State::PullBackOff {
                        quiet_at,
                        retry_at,
                        announced: true,
                    };
                }
            }
            State::Creating { until } if now >= until && config_blocked(w, rt, c, until) => {}
            State::ConfigError { retry_at, .. } if now >= retry_at => {
                // The next pod sync pulls (finds the image) and tries again.
                say(
                    w,
                    false,
                    "Pulled",
                    &format!(
                        "Container image \"{}\" already present on machine",
                        c.beh.image
                    ),
                );
                c.state = State::Creating { until: retry_at };
            }
            State::Creating { until } if now >= until => {
                say(
                    w,
                    false,
                    "Created",
                    &format!("Created container: {}", c.name),
                );
                say(
                    w,
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
                    (_, Some((t, code))) if now >= t => {
                        let reason = if code == 0 { "Completed" } else { "Error" };
                        Some((t, reason.to_string(), code))
                    }
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
                } else if let Some((period, threshold)) = c.liveness
                    && let Some((onset, hang)) = c.beh.hangs_after
                    && now >= since.max(onset) + secs((hang as f64 * jitter(&rt.uid)) as i64)
                {
                    // Deadlocked: both probes time out; after `threshold`
                    // liveness failures the kubelet kills and restarts it.
                    if c.ready {
                        c.ready = false;
                        changed = true;
                    }
                    if now >= c.next_live {
                        c.next_live = now + secs(period);
                        c.live_failures += 1;
                        let msg = format!(
                            "Liveness probe failed: Get \"http://{}:8080/healthz\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
                            rt.ip
                        );
                        say(w, true, "Unhealthy", &msg);
                        if c.live_failures >= threshold {
                            c.live_failures = 0;
                            let msg = format!(
                                "Container {} failed liveness probe, will be restarted",
                                c.name
                            );
                            say(w, false, "Killing", &msg);
                            terminate(w, rt, c, now, "Error", 137, false);
                        }
                    }
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
                        say(w, true, "Unhealthy", &msg);
                        c.next_probe = now + secs(c.probe_period);
                    }
                }
            }
            State::CrashBackOff { until, .. } if now >= until => {
                c.restarts += 1;
                say(
                    w,
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

/// Before a container is created: a configMap or secret volume that is
/// missing keeps the pod in ContainerCreating (`FailedMount`), and an env
/// reference that is missing stops the container with
/// `CreateContainerConfigError` (`Failed`, `Error: <why>`); both are tried
/// again [`CONFIG_RETRY`] later. Returns true if the container is blocked.
fn config_blocked(w: &mut World, rt: &PodRuntime, c: &mut Container, at: Timestamp) -> bool {
    let Some(pod) = w.store.get_value("pods", &rt.namespace, &rt.name) else {
        return false;
    };
    let retry_at = at + secs(CONFIG_RETRY);
    if let Some((_, msg)) = config_refs::volume_error(w, &rt.namespace, &pod) {
        event(w, &pod_ref(rt), &rt.node, None, true, "FailedMount", &msg);
        c.state = State::Creating { until: retry_at };
        return true;
    }
    let spec = pod["spec"]["containers"]
        .as_array()
        .and_then(|cs| cs.iter().find(|s| s["name"] == c.name.as_str()));
    let Some(msg) = spec.and_then(|s| config_refs::env_error(w, &rt.namespace, s)) else {
        return false;
    };
    event(
        w,
        &pod_ref(rt),
        &rt.node,
        Some(&c.name),
        true,
        "Failed",
        &format!("Error: {msg}"),
    );
    c.state = State::ConfigError {
        message: msg,
        retry_at,
    };
    true
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

/// Next moment this pod needs attention.
pub(super) fn next_due(rt: &PodRuntime, now: Timestamp) -> Timestamp {
    let mut due = now + secs(3600);
    for c in &rt.containers {
        let t = match &c.state {
            State::Pulling { until }
            | State::Creating { until }
            | State::CrashBackOff { until, .. } => *until,
            State::ConfigError { retry_at, .. } => *retry_at,
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
                if let Some((after, _)) = c.beh.exits_after {
                    t = t.min((*since + secs(after)).max(now));
                }
                if c.has_probe
                    && (!c.ready || matches!(c.beh.readiness, apps::Readiness::Flap { .. }))
                {
                    t = t.min(now + secs(1));
                }
                if !c.ready || c.beh.hangs_after.is_some() {
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
