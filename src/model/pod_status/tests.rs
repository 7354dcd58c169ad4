use super::*;
use serde_json::{Value, json};

const NOW: &str = "2024-05-01T12:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn pod(v: Value) -> Pod {
    serde_json::from_value(v).unwrap()
}

/// A pod with the given containers (names) and statuses, phase and conditions.
fn pod_with(phase: &str, containers: &[&str], statuses: Value, conditions: Value) -> Pod {
    let containers: Vec<Value> = containers
        .iter()
        .map(|n| json!({"name": n, "image": "app:1"}))
        .collect();
    pod(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default",
                     "creationTimestamp": "2024-05-01T11:00:00Z"},
        "spec": {"containers": containers, "nodeName": "node-1"},
        "status": {"phase": phase, "conditions": conditions,
                   "containerStatuses": statuses}
    }))
}

fn ready_conditions(ready: bool) -> Value {
    let s = if ready { "True" } else { "False" };
    json!([
        {"type": "Initialized", "status": "True"},
        {"type": "Ready", "status": s},
        {"type": "ContainersReady", "status": s},
        {"type": "PodScheduled", "status": "True"}
    ])
}

#[test]
fn running_ready() {
    let p = pod_with(
        "Running",
        &["app"],
        json!([{"name": "app", "image": "app:1", "imageID": "", "ready": true,
                "restartCount": 0, "started": true,
                "state": {"running": {"startedAt": "2024-05-01T11:00:05Z"}}}]),
        ready_conditions(true),
    );
    assert_eq!(pod_status_reason(&p), "Running");
    assert_eq!(ready_count(&p), (1, 1));
    assert_eq!(restarts(&p), (0, None));
    assert_eq!(restarts_column(&p, now()), "0");
}

#[test]
fn oom_killed_then_running_again() {
    let p = pod_with(
        "Running",
        &["app"],
        json!([{"name": "app", "image": "app:1", "imageID": "", "ready": true,
                "restartCount": 3, "started": true,
                "state": {"running": {"startedAt": "2024-05-01T11:56:00Z"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                    "startedAt": "2024-05-01T11:50:00Z",
                    "finishedAt": "2024-05-01T11:55:58Z"}}}]),
        ready_conditions(true),
    );
    assert_eq!(pod_status_reason(&p), "Running");
    assert_eq!(ready_count(&p), (1, 1));
    let (n, at) = restarts(&p);
    assert_eq!(n, 3);
    assert_eq!(at, Some("2024-05-01T11:55:58Z".parse().unwrap()));
    assert_eq!(restarts_column(&p, now()), "3 (4m2s ago)");
}

#[test]
fn oom_killed_crash_loop() {
    let p = pod_with(
        "Running",
        &["app"],
        json!([{"name": "app", "image": "app:1", "imageID": "", "ready": false,
                "restartCount": 5, "started": false,
                "state": {"waiting": {"reason": "CrashLoopBackOff",
                    "message": "back-off 2m40s restarting failed container=app"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                    "finishedAt": "2024-05-01T11:56:00Z"}}}]),
        ready_conditions(false),
    );
    assert_eq!(pod_status_reason(&p), "CrashLoopBackOff");
    assert_eq!(ready_count(&p), (0, 1));
    assert_eq!(restarts_column(&p, now()), "5 (4m ago)");
}

#[test]
fn currently_oom_killed_and_exit_codes() {
    let term = |t: Value| {
        pod_with(
            "Running",
            &["app"],
            json!([{"name": "app", "image": "app:1", "imageID": "", "ready": false,
                    "restartCount": 1, "state": {"terminated": t}}]),
            ready_conditions(false),
        )
    };
    assert_eq!(
        pod_status_reason(&term(json!({"exitCode": 137, "reason": "OOMKilled"}))),
        "OOMKilled"
    );
    assert_eq!(
        pod_status_reason(&term(json!({"exitCode": 143, "signal": 15}))),
        "Signal:15"
    );
    assert_eq!(
        pod_status_reason(&term(json!({"exitCode": 2}))),
        "ExitCode:2"
    );
}

#[test]
fn image_pull_errors_and_creating() {
    for reason in [
        "ErrImagePull",
        "ImagePullBackOff",
        "ContainerCreating",
        "CreateContainerConfigError",
    ] {
        let p = pod_with(
            "Pending",
            &["app"],
            json!([{"name": "app", "image": "app:1", "imageID": "", "ready": false,
                    "restartCount": 0, "state": {"waiting": {"reason": reason}}}]),
            ready_conditions(false),
        );
        assert_eq!(pod_status_reason(&p), reason);
        assert_eq!(ready_count(&p), (0, 1));
    }
}

#[test]
fn running_but_not_ready() {
    let p = pod_with(
        "Running",
        &["app"],
        json!([{"name": "app", "image": "app:1", "imageID": "", "ready": false,
                "restartCount": 0, "started": true,
                "state": {"running": {"startedAt": "2024-05-01T11:00:05Z"}}}]),
        ready_conditions(false),
    );
    assert_eq!(pod_status_reason(&p), "Running");
    assert_eq!(ready_count(&p), (0, 1));
}

#[test]
fn completed_and_completed_with_running_sibling() {
    let done = json!({"name": "job", "image": "app:1", "imageID": "", "ready": false,
        "restartCount": 0, "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}});
    let p = pod_with(
        "Succeeded",
        &["job"],
        json!([done.clone()]),
        ready_conditions(false),
    );
    assert_eq!(pod_status_reason(&p), "Completed");
    assert_eq!(ready_count(&p), (0, 1));

    // The first container finished, the second still runs ready.
    let running = json!({"name": "web", "image": "app:1", "imageID": "", "ready": true,
        "restartCount": 0, "state": {"running": {}}});
    let both = json!([done, running]);
    let p = pod_with(
        "Running",
        &["job", "web"],
        both.clone(),
        ready_conditions(true),
    );
    assert_eq!(pod_status_reason(&p), "Running");
    assert_eq!(ready_count(&p), (1, 2));
    let p = pod_with("Running", &["job", "web"], both, ready_conditions(false));
    assert_eq!(pod_status_reason(&p), "NotReady");
}

#[test]
fn evicted_uses_status_reason() {
    let p = pod(json!({
        "metadata": {"name": "api-7d9f-x2"},
        "spec": {"containers": [{"name": "api"}]},
        "status": {"phase": "Failed", "reason": "Evicted",
            "message": "The node was low on resource: memory.",
            "containerStatuses": [{"name": "api", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": 137, "reason": "ContainerStatusUnknown"}}}]}
    }));
    // Container reasons still override the pod reason, as in kubectl.
    assert_eq!(pod_status_reason(&p), "ContainerStatusUnknown");
    let p = pod(json!({
        "metadata": {"name": "api-7d9f-x2"},
        "spec": {"containers": [{"name": "api"}]},
        "status": {"phase": "Failed", "reason": "Evicted"}
    }));
    assert_eq!(pod_status_reason(&p), "Evicted");
    assert_eq!(ready_count(&p), (0, 1));
}

#[test]
fn terminating_and_node_lost() {
    let mut p = pod_with(
        "Running",
        &["app"],
        json!([{"name": "app", "ready": true, "restartCount": 0, "state": {"running": {}}}]),
        ready_conditions(true),
    );
    p.metadata.deletion_timestamp =
        Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(now()));
    assert_eq!(pod_status_reason(&p), "Terminating");
    assert_eq!(ready_count(&p), (1, 1));
    if let Some(s) = p.status.as_mut() {
        s.reason = Some("NodeLost".into());
    }
    assert_eq!(pod_status_reason(&p), "Unknown");
    // A terminal pod being deleted keeps its status.
    let mut done = pod(json!({"metadata": {"name": "j"}, "status": {"phase": "Succeeded"}}));
    done.metadata.deletion_timestamp =
        Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(now()));
    assert_eq!(pod_status_reason(&done), "Succeeded");
}

fn init_pod(init_statuses: Value, initialized: bool) -> Pod {
    pod(json!({
        "metadata": {"name": "p"},
        "spec": {"initContainers": [{"name": "migrate"}, {"name": "seed"}],
                 "containers": [{"name": "app"}]},
        "status": {"phase": "Pending",
            "conditions": [{"type": "Initialized", "status": if initialized {"True"} else {"False"}}],
            "initContainerStatuses": init_statuses,
            "containerStatuses": [{"name": "app", "ready": false, "restartCount": 0,
                "state": {"waiting": {"reason": "PodInitializing"}}}]}
    }))
}

#[test]
fn init_progress_and_failures() {
    let p = init_pod(
        json!([
            {"name": "migrate", "ready": false, "restartCount": 0,
             "state": {"running": {"startedAt": "2024-05-01T11:59:00Z"}}},
            {"name": "seed", "ready": false, "restartCount": 0,
             "state": {"waiting": {"reason": "PodInitializing"}}}
        ]),
        false,
    );
    assert_eq!(pod_status_reason(&p), "Init:0/2");
    assert_eq!(ready_count(&p), (0, 1));

    let p = init_pod(
        json!([
            {"name": "migrate", "ready": true, "restartCount": 0,
             "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}},
            {"name": "seed", "ready": false, "restartCount": 4,
             "state": {"waiting": {"reason": "CrashLoopBackOff"}},
             "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                 "finishedAt": "2024-05-01T11:58:00Z"}}}
        ]),
        false,
    );
    assert_eq!(pod_status_reason(&p), "Init:CrashLoopBackOff");
    assert_eq!(restarts_column(&p, now()), "4 (2m ago)");

    let failed = |t: Value| {
        init_pod(
            json!([{"name": "migrate", "ready": false, "restartCount": 0,
                         "state": {"terminated": t}}]),
            false,
        )
    };
    assert_eq!(
        pod_status_reason(&failed(json!({"exitCode": 137, "reason": "OOMKilled"}))),
        "Init:OOMKilled"
    );
    assert_eq!(
        pod_status_reason(&failed(json!({"exitCode": 137, "signal": 9}))),
        "Init:Signal:9"
    );
    assert_eq!(
        pod_status_reason(&failed(json!({"exitCode": 1}))),
        "Init:ExitCode:1"
    );
}

#[test]
fn sidecar_counts_toward_ready() {
    let p = pod(json!({
        "metadata": {"name": "p"},
        "spec": {"initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
                 "containers": [{"name": "app"}]},
        "status": {"phase": "Running",
            "conditions": [{"type": "Initialized", "status": "True"},
                           {"type": "Ready", "status": "True"}],
            "initContainerStatuses": [{"name": "proxy", "ready": true, "started": true,
                "restartCount": 2, "state": {"running": {}},
                "lastState": {"terminated": {"exitCode": 1,
                    "finishedAt": "2024-05-01T09:00:00Z"}}}],
            "containerStatuses": [{"name": "app", "ready": true, "restartCount": 1,
                "state": {"running": {}},
                "lastState": {"terminated": {"exitCode": 1,
                    "finishedAt": "2024-05-01T08:00:00Z"}}}]}
    }));
    let s = summarize(&p);
    assert_eq!(s.status, "Running");
    assert_eq!(s.ready_column(), "2/2");
    assert_eq!(s.restarts_column(now()), "3 (3h ago)");
}

#[test]
fn scheduling_gated_and_odd_pods() {
    let p = pod(json!({
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "app"}], "schedulingGates": [{"name": "quota"}]},
        "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled",
            "status": "False", "reason": "SchedulingGated"}]}
    }));
    assert_eq!(pod_status_reason(&p), "SchedulingGated");
    let empty = pod(json!({"metadata": {}}));
    assert_eq!(pod_status_reason(&empty), "");
    assert_eq!(ready_count(&empty), (0, 0));
    assert_eq!(restarts_column(&empty, now()), "0");
}

#[test]
fn human_duration_table() {
    let cases: &[(i64, &str)] = &[
        (-5, "<invalid>"),
        (-2, "<invalid>"),
        (-1, "0s"),
        (0, "0s"),
        (45, "45s"),
        (119, "119s"),
        (120, "2m"),
        (150, "2m30s"),
        (330, "5m30s"),
        (599, "9m59s"),
        (600, "10m"),
        (659, "10m"),
        (3600, "60m"),
        (10799, "179m"),
        (10800, "3h"),
        (11100, "3h5m"),
        (28799, "7h59m"),
        (28800, "8h"),
        (47 * 3600, "47h"),
        (48 * 3600, "2d"),
        (51 * 3600, "2d3h"),
        (8 * 86400 - 1, "7d23h"),
        (8 * 86400, "8d"),
        (400 * 86400, "400d"),
        (729 * 86400, "729d"),
        (730 * 86400, "2y"),
        (3 * 365 * 86400 + 10 * 86400, "3y10d"),
        (8 * 365 * 86400, "8y"),
        (20 * 365 * 86400 + 86400, "20y"),
    ];
    for (secs, want) in cases {
        assert_eq!(
            human_duration(SignedDuration::from_secs(*secs)),
            *want,
            "{secs}s"
        );
    }
    // Sub-second negatives are clock skew, not invalid.
    assert_eq!(human_duration(SignedDuration::from_millis(-1500)), "0s");
}

#[test]
fn age_column() {
    let created: Timestamp = "2024-05-01T11:55:00Z".parse().unwrap();
    assert_eq!(age(Some(created), now()), "5m");
    assert_eq!(age(None, now()), "<unknown>");
    assert_eq!(
        age(Some("2024-05-01T12:05:00Z".parse().unwrap()), now()),
        "<invalid>"
    );
    assert_eq!(
        age(Some("0001-01-01T00:00:00Z".parse().unwrap()), now()),
        "<unknown>"
    );
}
