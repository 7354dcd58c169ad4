//! Logs and events through kube-rs against the simulated cluster: tail and
//! timestamps, following as the clock moves, the previous container after
//! an OOMKill, and events de-duplicated by count as client-go records them.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use futures::AsyncBufReadExt;
use jiff::Timestamp;
use k8s_openapi::api::core::v1::{ContainerStatus, Event, Pod};
use kube::api::{Api, ListParams, LogParams};
use warroom::sim::ScenarioName;

/// Splits a `timestamps=true` log line into its time and text.
fn stamped(line: &str) -> (Timestamp, String) {
    let (ts, text) = line
        .split_once(' ')
        .unwrap_or_else(|| panic!("no timestamp in {line:?}"));
    let ts: Timestamp = ts
        .parse()
        .unwrap_or_else(|e| panic!("bad timestamp {ts:?}: {e}"));
    (ts, text.to_string())
}

async fn a_checkout_pod(pods: &Api<Pod>) -> String {
    let live = live_pods(pods, "checkout-service").await;
    live.first()
        .and_then(|p| p.metadata.name.clone())
        .expect("a checkout pod")
}

fn first_status(p: &Pod) -> ContainerStatus {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.first().cloned())
        .unwrap_or_else(|| panic!("{:?} has container statuses", p.metadata.name))
}

fn oom_killed(s: &ContainerStatus) -> bool {
    s.restart_count >= 1
        && s.last_state
            .as_ref()
            .and_then(|l| l.terminated.as_ref())
            .is_some_and(|t| t.reason.as_deref() == Some("OOMKilled"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_honour_tail_lines_since_and_timestamps() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api("production");
    let name = a_checkout_pod(&pods).await;

    let all = pods.logs(&name, &LogParams::default()).await.expect("logs");
    let all: Vec<&str> = all.lines().collect();
    assert!(
        all.len() > 10,
        "a pod running for most of an hour has logged plenty, got {}",
        all.len()
    );
    assert!(
        all[0].contains("starting checkout-service version 2.2.0"),
        "{}",
        all[0]
    );
    assert!(
        all.iter()
            .all(|l| l.contains("\"service\":\"checkout-service\"")),
        "structured JSON lines"
    );

    let tail = pods
        .logs(
            &name,
            &LogParams {
                tail_lines: Some(5),
                ..LogParams::default()
            },
        )
        .await
        .expect("tail");
    let tail: Vec<&str> = tail.lines().collect();
    assert_eq!(
        tail,
        all[all.len() - 5..],
        "tailLines=5 is the last five lines"
    );

    let stamped_tail = pods
        .logs(
            &name,
            &LogParams {
                tail_lines: Some(5),
                timestamps: true,
                ..LogParams::default()
            },
        )
        .await
        .expect("timestamps");
    let lines: Vec<(Timestamp, String)> = stamped_tail.lines().map(stamped).collect();
    assert_eq!(
        lines.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>(),
        tail,
        "the same lines, with a timestamp in front"
    );
    let now = c.sim.now();
    assert!(
        lines.windows(2).all(|w| w[0].0 <= w[1].0),
        "timestamps are in order"
    );
    assert!(
        lines
            .iter()
            .all(|(t, _)| *t <= now && *t > now - jiff::SignedDuration::from_secs(60)),
        "recent and not in the future"
    );

    let since = pods
        .logs(
            &name,
            &LogParams {
                since_seconds: Some(20),
                timestamps: true,
                ..LogParams::default()
            },
        )
        .await
        .expect("since");
    let since: Vec<(Timestamp, String)> = since.lines().map(stamped).collect();
    assert!(
        !since.is_empty() && since.len() < all.len(),
        "sinceSeconds=20 is a short window: {}",
        since.len()
    );
    assert!(
        since
            .iter()
            .all(|(t, _)| *t >= now - jiff::SignedDuration::from_secs(20))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_a_log_streams_new_lines_as_the_clock_moves() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api("production");
    let name = a_checkout_pod(&pods).await;
    let lp = LogParams {
        follow: true,
        tail_lines: Some(1),
        timestamps: true,
        ..LogParams::default()
    };
    let mut lines = pods
        .log_stream(&name, &lp)
        .await
        .expect("log stream")
        .lines();
    let first = next_within(&mut lines, 10, "the tail line")
        .await
        .expect("stream open")
        .expect("utf-8");
    let (first_ts, _) = stamped(&first);

    c.advance(Duration::from_secs(20)).await;
    let now = c.sim.now();
    let mut new = Vec::new();
    while new.len() < 3 {
        let line = next_within(&mut lines, 10, "lines logged while the clock moved")
            .await
            .expect("stream open")
            .expect("utf-8");
        new.push(stamped(&line));
    }
    assert!(
        new.iter().all(|(t, _)| *t > first_ts && *t <= now),
        "new lines are from the 20 s that passed: {new:?}"
    );
    assert!(
        new.iter()
            .all(|(_, l)| l.contains("\"service\":\"checkout-service\"")),
        "{new:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previous_log_is_served_after_an_oomkill() {
    let c = cluster(config(ScenarioName::OomLoop)).await;
    let pods: Api<Pod> = c.api("production");
    let killed = c
        .advance_until(
            Duration::from_secs(10),
            Duration::from_secs(360),
            || async {
                live_pods(&pods, "notification-service")
                    .await
                    .into_iter()
                    .find(|p| oom_killed(&first_status(p)))
            },
        )
        .await
        .expect("a notification-service pod was OOMKilled within 6 virtual minutes");
    let name = killed.metadata.name.clone().expect("name");
    let status = first_status(&killed);
    let terminated = status
        .last_state
        .and_then(|l| l.terminated)
        .expect("lastState.terminated");
    assert_eq!(terminated.exit_code, 137, "OOMKilled is exit 137");
    assert!(status.restart_count >= 1);

    let previous = pods
        .logs(
            &name,
            &LogParams {
                previous: true,
                ..LogParams::default()
            },
        )
        .await
        .expect("previous log");
    assert!(
        previous.contains("starting notification-service"),
        "the previous run's start:\n{previous}"
    );
    assert!(
        previous.contains("memory usage high"),
        "the previous run saw its memory climb:\n{previous}"
    );
    let current = pods.logs(&name, &LogParams::default()).await;
    if let Ok(current) = current {
        assert_ne!(
            current, previous,
            "the current container's log is a different run"
        );
    }

    // Only production took the traffic spike.
    let staging: Api<Pod> = c.api("staging");
    for p in live_pods(&staging, "notification-service").await {
        assert_eq!(
            first_status(&p).restart_count,
            0,
            "{:?} in staging never restarted",
            p.metadata.name
        );
    }

    // A container that never restarted has no previous log: 400, as the kubelet says.
    let steady = a_checkout_pod(&pods).await;
    let (code, _, message) = api_error(
        pods.logs(
            &steady,
            &LogParams {
                previous: true,
                ..LogParams::default()
            },
        )
        .await,
    );
    assert_eq!(code, 400);
    assert!(
        message.contains("previous terminated container"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_loop_back_off_events_are_counted_not_duplicated() {
    let c = cluster(config(ScenarioName::OomLoop)).await;
    let pods: Api<Pod> = c.api("production");
    let waiting_reason = |p: &Pod| {
        first_status(p)
            .state
            .and_then(|s| s.waiting)
            .and_then(|w| w.reason)
    };
    let mut saw_crash_loop = false;
    // Eight virtual minutes, looked at every five seconds (back-offs last 10 s and more).
    for _ in 0..96 {
        c.advance(Duration::from_secs(5)).await;
        saw_crash_loop |= live_pods(&pods, "notification-service")
            .await
            .iter()
            .any(|p| waiting_reason(p).as_deref() == Some("CrashLoopBackOff"));
    }
    assert!(
        saw_crash_loop,
        "notification-service pods showed CrashLoopBackOff between restarts"
    );

    let events: Api<Event> = c.api("production");
    let all = events
        .list(&ListParams::default())
        .await
        .expect("events")
        .items;
    for e in &all {
        let count = e.count.unwrap_or(0);
        assert!(count >= 1, "{:?} has a count", e.metadata.name);
        let (first, last) = (e.first_timestamp.as_ref(), e.last_timestamp.as_ref());
        let (first, last) = (first.expect("firstTimestamp"), last.expect("lastTimestamp"));
        assert!(first.0 <= last.0, "{:?}: first ≤ last", e.metadata.name);
        assert!(last.0 <= c.sim.now(), "no event from the future");
    }

    let backoff = events
        .list(&ListParams::default().fields("reason=BackOff"))
        .await
        .expect("events")
        .items;
    assert!(!backoff.is_empty(), "BackOff events were recorded");
    let mut per_container: BTreeMap<(String, String), Vec<&Event>> = BTreeMap::new();
    for e in &backoff {
        assert_eq!(e.type_.as_deref(), Some("Warning"));
        assert!(
            e.message
                .as_deref()
                .unwrap_or("")
                .contains("Back-off restarting failed container"),
            "{:?}",
            e.message
        );
        let o = &e.involved_object;
        let key = (
            o.uid.clone().unwrap_or_default(),
            o.field_path.clone().unwrap_or_default(),
        );
        per_container.entry(key).or_default().push(e);
    }
    for (key, list) in &per_container {
        assert_eq!(
            list.len(),
            1,
            "one BackOff Event per container, counted, not {} copies: {key:?}",
            list.len()
        );
    }
    let repeated = backoff
        .iter()
        .find(|e| e.count.unwrap_or(0) > 1)
        .expect("a BackOff event was counted more than once");
    assert!(
        repeated.last_timestamp.as_ref().map(|t| t.0)
            > repeated.first_timestamp.as_ref().map(|t| t.0),
        "a repeated event's lastTimestamp moved on"
    );
    assert!(
        repeated
            .involved_object
            .name
            .as_deref()
            .unwrap_or("")
            .starts_with("notification-service-")
    );

    let ooms = Api::<Event>::all(c.client.clone())
        .list(&ListParams::default().fields("reason=OOMKilling,involvedObject.kind=Node"))
        .await
        .expect("events")
        .items;
    assert!(!ooms.is_empty(), "the kernel's OOM kills are node events");
    let pod_names: Vec<String> = backoff
        .iter()
        .filter_map(|e| e.involved_object.name.clone())
        .collect();
    let killed = live_pods(&pods, "notification-service").await;
    assert!(
        killed
            .iter()
            .all(|p| pod_names.contains(p.metadata.name.as_ref().expect("name"))),
        "every notification pod backed off"
    );
}
