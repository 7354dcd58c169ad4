//! Pods as the kubelet and controllers write them (shapes taken from the
//! simulated cluster and from real clusters), converted and classified.

use serde_json::{Value, json};

use super::*;
use crate::model::fixtures::{checkout, info, running, single, ts};

#[test]
fn running_and_ready_is_ok_and_nothing_to_do() {
    let p = info(checkout("Running", true, running(true, 0, json!({}))));
    assert_eq!(p.status, "Running");
    assert_eq!(p.health, Health::Ok);
    assert_eq!((p.ready, p.total, p.restarts), (1, 1, 0));
    assert_eq!(p.last_termination, None);
    let e = explain(&p);
    assert!(e.meaning.contains("healthy"), "{}", e.meaning);
    assert!(e.next[0].starts_with("Nothing to do"), "{:?}", e.next);
}

#[test]
fn bad_deploy_running_but_not_ready_is_its_own_class() {
    let p = info(checkout("Running", false, running(false, 0, json!({}))));
    assert_eq!(p.status, "Running", "kubectl shows plain Running");
    assert_eq!(p.health, Health::NotReady);
    assert!(p.running_not_ready());
    assert_eq!((p.ready, p.total), (0, 1));
    assert_eq!(p.ready_changed, Some(ts("2024-05-01T11:00:09Z")));
    let ready = p.condition("Ready").unwrap();
    assert_eq!(ready.reason.as_deref(), Some("ContainersNotReady"));

    let e = explain(&p);
    assert!(
        e.meaning.starts_with(
            "Container checkout-service runs, but its readiness probe (GET :8080/ready) fails"
        ),
        "{}",
        e.meaning
    );
    assert!(e.meaning.contains("no traffic"));
    assert!(e.meaning.contains("environment variable"));
    let next = e.next.join("\n");
    assert!(
        next.contains("logs of container checkout-service (l)"),
        "{next}"
    );
    assert!(next.contains("(it sets PORT, PAYMENT_TOKEN)"), "{next}");
    assert!(
        next.contains("(h)"),
        "a Deployment's pod gets the rollout history"
    );
    assert!(
        !next.contains("(p)"),
        "no previous container to read: {next}"
    );
    assert!(
        !format!("{p:?}{e:?}").contains("s3cr3t"),
        "env values are never kept"
    );
}

#[test]
fn oom_loop_is_failing_with_oomkilled_and_the_limit() {
    let p = info(checkout(
        "Running",
        false,
        json!({"name": "checkout-service", "image": "x", "imageID": "", "ready": false,
               "restartCount": 5, "started": false,
               "state": {"waiting": {"reason": "CrashLoopBackOff",
                   "message": "back-off 2m40s restarting failed container=checkout-service"}},
               "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                   "startedAt": "2024-05-01T11:50:00Z", "finishedAt": "2024-05-01T11:56:00Z"}}}),
    ));
    assert_eq!(p.status, "CrashLoopBackOff");
    assert_eq!(
        p.health,
        Health::Failing,
        "failing even though also not ready"
    );
    let last = p.last_termination.as_ref().unwrap();
    assert_eq!(last.short(), "OOMKilled exit 137");
    assert_eq!(last.container, "checkout-service");
    assert_eq!(p.containers[0].limits.memory_bytes, Some(256 * 1024 * 1024));

    let e = explain(&p);
    assert!(e.meaning.contains("OOMKilled"), "{}", e.meaning);
    assert!(
        e.meaning.contains("its memory limit of 256Mi"),
        "{}",
        e.meaning
    );
    assert!(e.meaning.contains("restarted 5 times"), "{}", e.meaning);
    let next = e.next.join("\n");
    assert!(next.contains("previous container's logs (p)"), "{next}");
    assert!(next.contains("raise its memory limit of 256Mi"), "{next}");
    assert!(next.contains("leak"), "{next}");
}

#[test]
fn oomkilled_termination_is_kept_after_the_restart() {
    let p = info(checkout(
        "Running",
        true,
        running(
            true,
            3,
            json!({"terminated": {"exitCode": 137, "reason": "OOMKilled",
                "finishedAt": "2024-05-01T11:55:58Z"}}),
        ),
    ));
    assert_eq!(p.health, Health::Ok);
    assert_eq!(p.restarts, 3);
    assert_eq!(p.last_restart, Some(ts("2024-05-01T11:55:58Z")));
    let last = p.last_termination.clone().unwrap();
    assert_eq!(last.short(), "OOMKilled exit 137");
    assert_eq!(last.finished_at, Some(ts("2024-05-01T11:55:58Z")));
    assert_eq!(p.containers[0].last, Some(last));
    let e = explain(&p);
    assert!(
        e.meaning
            .contains("restarted 3 times, most recently after container checkout-service ended OOMKilled exit 137"),
        "{}",
        e.meaning
    );
}

#[test]
fn crash_loop_with_an_application_error_names_the_exit_code() {
    let p = info(checkout(
        "Running",
        false,
        json!({"name": "checkout-service", "image": "x", "imageID": "", "ready": false,
               "restartCount": 2, "state": {"waiting": {"reason": "CrashLoopBackOff"}},
               "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                   "finishedAt": "2024-05-01T11:56:00Z"}}}),
    ));
    assert_eq!(p.health, Health::Failing);
    let e = explain(&p);
    assert!(
        e.meaning
            .contains("exits with exit code 1 (an application error"),
        "{}",
        e.meaning
    );
    assert!(
        e.meaning.contains("liveness")
            || e.next
                .join(" ")
                .contains("liveness probe (GET :8080/healthz)")
    );
}

#[test]
fn every_failing_waiting_reason_is_failing() {
    for reason in [
        "ErrImagePull",
        "ImagePullBackOff",
        "InvalidImageName",
        "CreateContainerConfigError",
        "CreateContainerError",
        "RunContainerError",
        "SomethingNew",
    ] {
        let p = single("Pending", json!({"waiting": {"reason": reason}}));
        assert_eq!(p.status, reason);
        assert_eq!(p.health, Health::Failing, "{reason}");
    }
    for reason in ["ContainerCreating", "PodInitializing"] {
        let p = single("Pending", json!({"waiting": {"reason": reason}}));
        assert_eq!(p.health, Health::Progressing, "{reason}");
    }
}

#[test]
fn terminated_containers_by_exit() {
    let p = single(
        "Running",
        json!({"terminated": {"exitCode": 1, "reason": "Error"}}),
    );
    assert_eq!((p.status.as_str(), p.health), ("Error", Health::Failing));
    assert_eq!(p.last_termination.as_ref().unwrap().short(), "Error exit 1");
    let e = explain(&p);
    assert!(
        e.meaning.contains("exit code 1 (an application error"),
        "{}",
        e.meaning
    );

    let p = single(
        "Running",
        json!({"terminated": {"exitCode": 143, "signal": 15}}),
    );
    assert_eq!(
        (p.status.as_str(), p.health),
        ("Signal:15", Health::Failing)
    );
    assert_eq!(
        p.last_termination.as_ref().unwrap().short(),
        "exit 143 signal 15"
    );
    assert!(explain(&p).meaning.contains("SIGTERM"));

    let p = single(
        "Running",
        json!({"terminated": {"exitCode": 137, "reason": "OOMKilled"}}),
    );
    assert_eq!(
        (p.status.as_str(), p.health),
        ("OOMKilled", Health::Failing)
    );
    assert!(
        explain(&p)
            .meaning
            .contains("used more memory than its memory limit")
    );

    let p = single(
        "Running",
        json!({"terminated": {"exitCode": 128, "reason": "ContainerCannotRun",
        "message": "exec: \"/app/run\": no such file"}}),
    );
    assert_eq!(p.health, Health::Failing);
    assert!(explain(&p).meaning.contains("no such file"));

    let p = single(
        "Succeeded",
        json!({"terminated": {"exitCode": 0, "reason": "Completed"}}),
    );
    assert_eq!((p.status.as_str(), p.health), ("Completed", Health::Ok));
    assert_eq!(
        p.last_termination.as_ref().unwrap().short(),
        "Completed exit 0"
    );
    assert!(explain(&p).meaning.contains("Job"));
}

fn init_pod(init_statuses: Value) -> PodInfo {
    info(json!({
        "metadata": {"name": "orders-0", "namespace": "production"},
        "spec": {"nodeName": "node-1",
                 "initContainers": [{"name": "migrate", "image": "orders-migrate:4"},
                                    {"name": "proxy", "image": "envoy:1", "restartPolicy": "Always"}],
                 "containers": [{"name": "orders", "image": "orders:4"}]},
        "status": {"phase": "Pending",
            "conditions": [{"type": "Initialized", "status": "False"}],
            "initContainerStatuses": init_statuses,
            "containerStatuses": [{"name": "orders", "image": "orders:4", "imageID": "",
                "ready": false, "restartCount": 0,
                "state": {"waiting": {"reason": "PodInitializing"}}}]}
    }))
}

#[test]
fn init_progress_and_init_failures() {
    let p = init_pod(json!([
        {"name": "migrate", "image": "", "imageID": "", "ready": false, "restartCount": 0,
         "state": {"running": {"startedAt": "2024-05-01T11:59:00Z"}}}
    ]));
    assert_eq!(
        (p.status.as_str(), p.health),
        ("Init:0/2", Health::Progressing)
    );
    let names: Vec<(&str, bool, bool)> = p
        .containers
        .iter()
        .map(|c| (c.name.as_str(), c.init, c.sidecar))
        .collect();
    assert_eq!(
        names,
        [
            ("migrate", true, false),
            ("proxy", true, true),
            ("orders", false, false)
        ]
    );
    let e = explain(&p);
    assert!(
        e.meaning
            .starts_with("Init container migrate has not finished"),
        "{}",
        e.meaning
    );

    let p = init_pod(json!([
        {"name": "migrate", "image": "", "imageID": "", "ready": false, "restartCount": 4,
         "state": {"waiting": {"reason": "CrashLoopBackOff"}},
         "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
             "finishedAt": "2024-05-01T11:58:00Z"}}}
    ]));
    assert_eq!(
        (p.status.as_str(), p.health),
        ("Init:CrashLoopBackOff", Health::Failing)
    );
    assert_eq!(p.last_termination.as_ref().unwrap().short(), "Error exit 1");
    let e = explain(&p);
    assert!(
        e.meaning
            .starts_with("Init container migrate failed with exit code 1"),
        "{}",
        e.meaning
    );
    for status in [
        "Init:Error",
        "Init:ExitCode:3",
        "Init:OOMKilled",
        "Init:Signal:9",
    ] {
        assert_eq!(Health::classify(status, 0, 1), Health::Failing, "{status}");
    }
}

#[test]
fn health_of_every_status_word() {
    let cases = [
        ("Running", 2, 2, Health::Ok),
        ("Running", 1, 2, Health::NotReady),
        ("Running", 0, 0, Health::Ok),
        ("NotReady", 1, 2, Health::NotReady),
        ("Completed", 0, 1, Health::Ok),
        ("Succeeded", 0, 1, Health::Ok),
        ("Pending", 0, 1, Health::Progressing),
        ("", 0, 0, Health::Progressing),
        ("ContainerCreating", 0, 1, Health::Progressing),
        ("PodInitializing", 0, 1, Health::Progressing),
        ("Init:1/3", 0, 1, Health::Progressing),
        ("Terminating", 1, 1, Health::Progressing),
        ("SchedulingGated", 0, 1, Health::Progressing),
        ("CrashLoopBackOff", 0, 1, Health::Failing),
        ("OOMKilled", 0, 1, Health::Failing),
        ("Error", 0, 1, Health::Failing),
        ("ContainerCannotRun", 0, 1, Health::Failing),
        ("Evicted", 0, 1, Health::Failing),
        ("Failed", 0, 1, Health::Failing),
        ("Unknown", 0, 1, Health::Failing),
        ("NodeLost", 0, 1, Health::Failing),
        ("DeadlineExceeded", 0, 1, Health::Failing),
        ("ExitCode:2", 0, 1, Health::Failing),
        ("Init:", 0, 1, Health::Failing),
        ("Init:1/", 0, 1, Health::Failing),
    ];
    for (status, ready, total, want) in cases {
        assert_eq!(
            Health::classify(status, ready, total),
            want,
            "{status} {ready}/{total}"
        );
    }
}

fn owned_by(kind: &str, name: &str, hash: Option<&str>) -> Option<Owner> {
    let mut labels = json!({"app": "x"});
    if let Some(h) = hash {
        labels["pod-template-hash"] = json!(h);
    }
    info(
        json!({"metadata": {"name": "p", "labels": labels, "ownerReferences": [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "not-a-controller", "uid": "1"},
        {"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": "2", "controller": true}]}}),
    )
    .owner
}

#[test]
fn owner_resolves_replicasets_to_their_deployment() {
    let owner = |kind: &str, name: &str| {
        Some(Owner {
            kind: kind.into(),
            name: name.into(),
        })
    };
    assert_eq!(
        owned_by(
            "ReplicaSet",
            "checkout-service-7d9f8b6c5d",
            Some("7d9f8b6c5d")
        ),
        owner("Deployment", "checkout-service")
    );
    // The hash does not match the name: a hand-made ReplicaSet stays one.
    assert_eq!(
        owned_by("ReplicaSet", "checkout-service-7d9f8b6c5d", Some("abc")),
        owner("ReplicaSet", "checkout-service-7d9f8b6c5d")
    );
    assert_eq!(
        owned_by("ReplicaSet", "batch", None),
        owner("ReplicaSet", "batch")
    );
    assert_eq!(
        owned_by("ReplicaSet", "-7d9f", Some("7d9f")),
        owner("ReplicaSet", "-7d9f")
    );
    assert_eq!(
        owned_by("StatefulSet", "postgres", None),
        owner("StatefulSet", "postgres")
    );
    assert_eq!(
        owned_by("DaemonSet", "node-agent", Some("5f")),
        owner("DaemonSet", "node-agent")
    );
    assert_eq!(owned_by("Node", "node-1", None), owner("Node", "node-1"));
    // Only a controller reference counts.
    let p = info(json!({"metadata": {"name": "p", "ownerReferences": [
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "1"}]}}));
    assert_eq!(p.owner, None);
}

#[test]
fn probes_in_words_with_api_defaults() {
    let p = info(json!({
        "metadata": {"name": "p"},
        "spec": {"containers": [
            {"name": "web",
             "readinessProbe": {"httpGet": {"path": "ready", "port": "http", "scheme": "HTTPS"}},
             "livenessProbe": {"tcpSocket": {"port": 5432}, "periodSeconds": 0, "failureThreshold": -1},
             "startupProbe": {"exec": {"command": ["cat", "/tmp/ready"]}, "initialDelaySeconds": 15,
                              "periodSeconds": 2, "failureThreshold": 30}},
            {"name": "grpc", "livenessProbe": {"grpc": {"port": 9090}},
             "readinessProbe": {"grpc": {"port": 9090, "service": "orders"}}}
        ]}
    }));
    let web = p.container("web").unwrap();
    let actions: Vec<(&str, &str, i32, i32, i32)> = web
        .probes
        .iter()
        .map(|pr| {
            (
                pr.kind.as_str(),
                pr.action.as_str(),
                pr.initial_delay_s,
                pr.period_s,
                pr.failure_threshold,
            )
        })
        .collect();
    assert_eq!(
        actions,
        [
            ("liveness", "TCP :5432", 0, 10, 3),
            ("readiness", "GET https://:http/ready", 0, 10, 3),
            ("startup", "exec cat /tmp/ready", 15, 2, 30),
        ]
    );
    assert_eq!(
        web.probe(ProbeKind::Startup).unwrap().describe(),
        "startup exec cat /tmp/ready every 2s, 1s timeout, fails after 30, first after 15s"
    );
    let grpc = p.container("grpc").unwrap();
    assert_eq!(
        grpc.probe(ProbeKind::Liveness).unwrap().action,
        "gRPC :9090"
    );
    assert_eq!(
        grpc.probe(ProbeKind::Readiness).unwrap().action,
        "gRPC :9090 service orders"
    );

    let checkout = info(checkout("Running", true, running(true, 0, json!({}))));
    assert_eq!(
        checkout.containers[0]
            .probe(ProbeKind::Readiness)
            .unwrap()
            .describe(),
        "readiness GET :8080/ready every 5s, 1s timeout, fails after 3, first after 2s"
    );
}

#[test]
fn pod_requests_and_limits_sum_regular_containers() {
    let p = info(json!({
        "metadata": {"name": "p"},
        "spec": {
            "initContainers": [{"name": "migrate",
                "resources": {"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}}],
            "containers": [
                {"name": "app", "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                                              "limits": {"cpu": "1", "memory": "512Mi"}}},
                {"name": "proxy", "resources": {"requests": {"cpu": "0.1"},
                                                "limits": {"memory": "64Mi"}}}
            ]
        }
    }));
    assert_eq!(p.requests.cpu_milli, Some(350));
    assert_eq!(p.requests.memory_bytes, Some(256 << 20));
    assert_eq!(p.limits.memory_bytes, Some(576 << 20));
    assert_eq!(
        p.limits.cpu_milli, None,
        "proxy has no CPU limit: unbounded"
    );
    assert_eq!(p.requests.describe(), "cpu 350m, memory 256Mi");

    let bare = info(json!({"metadata": {"name": "p"}, "spec": {"containers": [{"name": "a"}]}}));
    assert_eq!(bare.requests, Resources::default());
    assert_eq!(bare.limits, Resources::default());
}

#[test]
fn last_termination_is_the_most_recent_anywhere() {
    let p = info(json!({
        "metadata": {"name": "p"},
        "spec": {"initContainers": [{"name": "migrate"}],
                 "containers": [{"name": "app"}, {"name": "sidecar"}]},
        "status": {"phase": "Running",
            "initContainerStatuses": [{"name": "migrate", "image": "", "imageID": "",
                "ready": false, "restartCount": 1,
                "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                    "finishedAt": "2024-05-01T11:59:00Z"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                    "finishedAt": "2024-05-01T11:00:00Z"}}}],
            "containerStatuses": [
                {"name": "app", "image": "", "imageID": "", "ready": true, "restartCount": 1,
                 "state": {"running": {}},
                 "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                     "finishedAt": "2024-05-01T11:30:00Z"}}},
                {"name": "sidecar", "image": "", "imageID": "", "ready": true, "restartCount": 1,
                 "state": {"running": {}},
                 "lastState": {"terminated": {"exitCode": 143,
                     "finishedAt": "2024-05-01T11:40:00Z"}}}
            ]}
    }));
    // The init container's successful exit at 11:59 is how init containers
    // end, not news; the sidecar's SIGTERM at 11:40 is the latest.
    let last = p.last_termination.unwrap();
    assert_eq!(
        (last.container.as_str(), last.short()),
        ("sidecar", "exit 143".to_string())
    );

    // Unknown finish times: a known one wins, else the first found.
    let p = info(json!({
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]},
        "status": {"containerStatuses": [
            {"name": "a", "image": "", "imageID": "", "ready": false, "restartCount": 1,
             "lastState": {"terminated": {"exitCode": 2}}},
            {"name": "b", "image": "", "imageID": "", "ready": false, "restartCount": 1,
             "lastState": {"terminated": {"exitCode": 3}}},
            {"name": "c", "image": "", "imageID": "", "ready": false, "restartCount": 1,
             "lastState": {"terminated": {"exitCode": 4, "finishedAt": "0001-01-01T00:00:00Z"}}}
        ]}
    }));
    assert_eq!(p.last_termination.unwrap().container, "a");
}

#[test]
fn termination_short_forms() {
    let t = |reason: &str, exit_code: i32, signal: Option<i32>| Termination {
        container: "app".into(),
        reason: reason.into(),
        exit_code,
        signal,
        finished_at: None,
        message: None,
    };
    assert_eq!(t("OOMKilled", 137, None).short(), "OOMKilled exit 137");
    assert_eq!(t("Error", 1, None).short(), "Error exit 1");
    assert_eq!(t("Completed", 0, None).short(), "Completed exit 0");
    assert_eq!(t("", 143, None).short(), "exit 143");
    assert_eq!(t("", 137, Some(9)).short(), "exit 137 signal 9");
    assert_eq!(t("Error", 137, Some(9)).short(), "Error exit 137 signal 9");
}

#[test]
fn partial_and_odd_pods_never_panic() {
    let odd = [
        json!({}),
        json!({"metadata": {}}),
        json!({"metadata": {"name": "p"}, "spec": {"containers": []}, "status": {}}),
        json!({"metadata": {"name": "p", "creationTimestamp": "0001-01-01T00:00:00Z",
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                "name": "", "uid": "", "controller": true}],
                            "labels": {"pod-template-hash": ""}},
               "spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": "-1Gi", "cpu": "9e99"}},
                                        "readinessProbe": {}}]},
               "status": {"phase": "Running",
                   "containerStatuses": [
                       {"name": "a", "image": "", "imageID": "", "ready": true,
                        "restartCount": -5, "state": {}, "lastState": {}},
                       {"name": "ghost", "image": "", "imageID": "", "ready": true,
                        "restartCount": 2147483647, "state": {"running": {}}}],
                   "conditions": [{"type": "Ready", "status": "True",
                                   "lastTransitionTime": "0001-01-01T00:00:00Z"}]}}),
    ];
    for v in odd {
        let p = info(v.clone());
        let e = explain(&p);
        assert!(!e.meaning.is_empty(), "{v}");
        assert!(!e.meaning.contains('{'), "unfilled slot: {}", e.meaning);
    }
    let p = info(json!({}));
    assert_eq!((p.name.as_str(), p.status.as_str()), ("", ""));
    assert_eq!(p.health, Health::Progressing);
    assert_eq!(
        explain(&p).kind,
        crate::model::explain::StatusKind::Unscheduled
    );

    let p = info(
        json!({"metadata": {"name": "p", "creationTimestamp": "0001-01-01T00:00:00Z"},
        "spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": "-1Gi", "cpu": "9e99"}},
                                 "readinessProbe": {}}]},
        "status": {"containerStatuses": [{"name": "a", "image": "", "imageID": "", "ready": false,
            "restartCount": -5}]}}),
    );
    assert_eq!(p.created, None, "the Go zero time is no time");
    assert_eq!(p.containers[0].restarts, 0);
    assert_eq!(p.containers[0].state, ContainerState::Unknown);
    assert_eq!(p.containers[0].limits.memory_bytes, Some(0));
    assert_eq!(p.containers[0].limits.cpu_milli, Some(u64::MAX));
    assert_eq!(p.containers[0].probes[0].action, "(no action)");
}
