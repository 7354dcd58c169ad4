//! The guide table is the single source of the explanations: these tests
//! keep it complete and well-formed, and check that a pod picks its entry.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::model::fixtures::{checkout, info, running, single, ts};
use crate::model::pod_health::{Health, PodInfo};

/// Every `{name|…}` slot name used in a template.
fn slot_names(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("closed slot");
        let inner = &rest[open + 1..close];
        names.push(inner.split_once('|').map_or(inner, |(n, _)| n));
        rest = &rest[close + 1..];
    }
    names
}

use StatusKind::*;

/// Every kind; the match below stops compiling when one is added and not listed.
const ALL_KINDS: [StatusKind; 31] = [
    Healthy,
    NotReady,
    CrashLoopOom,
    CrashLoop,
    OomKilled,
    Exited,
    ImagePull,
    ConfigError,
    CannotRun,
    Creating,
    Unscheduled,
    SchedulingGated,
    InitRunning,
    InitFailing,
    Evicted,
    Terminating,
    Completed,
    Failed,
    NodeLost,
    Other,
    MemoryNearLimit,
    RestartSpike,
    RolloutStalled,
    ReplicasUnavailable,
    NodePressure,
    NodeNotReady,
    HpaAtMax,
    QuotaExceeded,
    MemoryLimitSoon,
    ServiceNoEndpoints,
    JobFailed,
];

/// The kinds only the built-in detectors raise.
const DETECTOR_KINDS: [StatusKind; 11] = [
    MemoryNearLimit,
    RestartSpike,
    RolloutStalled,
    ReplicasUnavailable,
    NodePressure,
    NodeNotReady,
    HpaAtMax,
    QuotaExceeded,
    MemoryLimitSoon,
    ServiceNoEndpoints,
    JobFailed,
];

#[allow(dead_code)]
fn listed(k: StatusKind) -> bool {
    match k {
        Healthy | NotReady | CrashLoopOom | CrashLoop | OomKilled | Exited | ImagePull
        | ConfigError | CannotRun | Creating | Unscheduled | SchedulingGated | InitRunning
        | InitFailing | Evicted | Terminating | Completed | Failed | NodeLost | Other
        | MemoryNearLimit | RestartSpike | RolloutStalled | ReplicasUnavailable | NodePressure
        | NodeNotReady | HpaAtMax | QuotaExceeded | MemoryLimitSoon | ServiceNoEndpoints
        | JobFailed => true,
    }
}

#[test]
fn guide_has_one_entry_per_kind_and_readable_generic_texts() {
    let kinds: BTreeSet<StatusKind> = status_guide().iter().map(|e| e.kind).collect();
    assert_eq!(kinds.len(), status_guide().len(), "one entry per kind");
    assert_eq!(
        kinds,
        ALL_KINDS.into_iter().collect(),
        "every kind has an entry"
    );
    for e in status_guide() {
        let meaning = e.generic_meaning();
        assert!(meaning.len() > 40, "{}: {meaning}", e.title);
        assert!(!meaning.contains(['{', '}', '|']), "{}: {meaning}", e.title);
        assert!(meaning.ends_with('.'), "{}: {meaning}", e.title);
        assert!(meaning.chars().next().unwrap().is_uppercase());
        assert!(!e.next.is_empty(), "{}", e.title);
        for step in e.generic_next() {
            assert!(!step.contains(['{', '}', '|']), "{}: {step}", e.title);
            assert!(!step.ends_with('.'), "steps are short imperatives: {step}");
        }
        for t in std::iter::once(e.meaning).chain(e.next.iter().map(|s| s.text)) {
            for name in slot_names(t) {
                assert!(SLOTS.contains(&name), "{}: unknown slot {name}", e.title);
            }
        }
    }
}

#[test]
fn detector_entries_name_no_status_and_other_stays_the_fallback() {
    for k in DETECTOR_KINDS {
        let e = status_guide().iter().find(|e| e.kind == k).unwrap();
        assert!(e.statuses.is_empty(), "{}: no STATUS word", e.title);
    }
    // `entry` falls back to the last entry for a kind without one.
    assert_eq!(status_guide().last().map(|e| e.kind), Some(Other));
    // No pod status picks a detector's entry.
    for status in [
        "Running",
        "CrashLoopBackOff",
        "OOMKilled",
        "Pending",
        "Mystery",
    ] {
        let p = single("Running", json!({"waiting": {"reason": status}}));
        assert!(!DETECTOR_KINDS.contains(&status_kind(&p)), "{status}");
    }
}

#[test]
fn detector_entries_read_well_without_a_pod() {
    let entry = |k| status_guide().iter().find(|e| e.kind == k).unwrap();
    assert_eq!(
        entry(MemoryNearLimit).generic_meaning(),
        "The pod uses nearly all of its memory limit. That is fine while it stays below, but the \
         moment a container crosses its limit the kernel kills it (OOMKilled, exit code 137) and \
         the kubelet restarts it; repeated kills become CrashLoopBackOff."
    );
    assert!(
        entry(RestartSpike)
            .generic_meaning()
            .starts_with("The container keeps restarting")
    );
    assert!(
        entry(NodePressure)
            .generic_meaning()
            .starts_with("The node is running short")
    );
    assert!(
        entry(NodeNotReady)
            .generic_meaning()
            .starts_with("The node is not Ready")
    );
    assert!(
        entry(RolloutStalled)
            .generic_meaning()
            .contains("ProgressDeadlineExceeded")
    );
    let next = entry(RolloutStalled).generic_next().join("\n");
    assert!(next.contains("roll back to the previous one (h)"), "{next}");
}

#[test]
fn generic_texts_read_well_without_a_pod() {
    let entry = |k| status_guide().iter().find(|e| e.kind == k).unwrap();
    assert_eq!(
        entry(StatusKind::NotReady).generic_meaning(),
        "The container runs, but its readiness probe fails, so the Service sends it no traffic. \
         The process is alive but does not answer that it is ready: often something it needs is \
         missing (an environment variable, a config file), or something it depends on (a database, \
         another service) does not answer in time."
    );
    let exited = entry(StatusKind::Exited).generic_meaning();
    assert!(
        exited.starts_with(
            "The container has stopped with a non-zero exit code (1 is an application error, 137"
        ),
        "{exited}"
    );
    let oom = entry(StatusKind::CrashLoopOom).generic_meaning();
    assert!(oom.contains("more memory than its memory limit"), "{oom}");
}

#[test]
fn keys_in_steps_are_warroom_keys() {
    for e in status_guide() {
        for step in e.generic_next() {
            let mut rest = step.as_str();
            while let Some(open) = rest.find('(') {
                let close = open + rest[open..].find(')').unwrap();
                let inner = &rest[open + 1..close];
                if inner.len() == 1 {
                    assert!(["l", "p", "E", "h"].contains(&inner), "{step}");
                }
                rest = &rest[close + 1..];
            }
        }
    }
}

#[test]
fn render_fills_slots_and_capitalises() {
    let fill = |name: &str| (name == "container").then(|| "container api".to_string());
    assert_eq!(
        render("{container|the container} stopped{exit|}.", &fill),
        "Container api stopped."
    );
    assert_eq!(
        render("{container|the container} ok", &|_| None),
        "The container ok"
    );
    assert_eq!(render("broken {slot", &|_| None), "Broken {slot");
}

#[test]
fn exit_codes_in_words() {
    assert!(exit_code_meaning(137).contains("SIGKILL"));
    assert!(exit_code_meaning(143).contains("SIGTERM"));
    assert!(exit_code_meaning(1).contains("application error"));
    assert!(exit_code_meaning(127).contains("not found"));
    assert!(exit_code_meaning(130).contains("signal"));
    assert!(exit_code_meaning(-1).contains("application's own"));
}

#[test]
fn each_status_picks_its_entry() {
    let with_status = |phase: &str, state: serde_json::Value, node: bool| {
        let mut spec = json!({"containers": [{"name": "app", "image": "app:1"}]});
        if node {
            spec["nodeName"] = json!("node-1");
        }
        PodInfo::from_pod(
            &serde_json::from_value(json!({
                "metadata": {"name": "p", "namespace": "ns"},
                "spec": spec,
                "status": {"phase": phase, "containerStatuses": [{"name": "app",
                    "image": "app:1", "imageID": "", "ready": false, "restartCount": 0,
                    "state": state}]}
            }))
            .unwrap(),
        )
    };
    let waiting = |r: &str| json!({"waiting": {"reason": r}});
    let cases = [
        ("Running", json!({"running": {}}), StatusKind::NotReady),
        ("Pending", waiting("ErrImagePull"), StatusKind::ImagePull),
        (
            "Pending",
            waiting("InvalidImageName"),
            StatusKind::ImagePull,
        ),
        (
            "Pending",
            waiting("CreateContainerConfigError"),
            StatusKind::ConfigError,
        ),
        (
            "Pending",
            waiting("CreateContainerError"),
            StatusKind::CannotRun,
        ),
        (
            "Pending",
            waiting("ContainerCreating"),
            StatusKind::Creating,
        ),
        (
            "Running",
            waiting("CrashLoopBackOff"),
            StatusKind::CrashLoop,
        ),
        ("Running", waiting("Mystery"), StatusKind::Other),
        (
            "Failed",
            json!({"terminated": {"exitCode": 2}}),
            StatusKind::Exited,
        ),
        (
            "Failed",
            json!({"terminated": {"exitCode": 137, "reason": "OOMKilled"}}),
            StatusKind::OomKilled,
        ),
        (
            "Succeeded",
            json!({"terminated": {"exitCode": 0, "reason": "Completed"}}),
            StatusKind::Completed,
        ),
    ];
    for (phase, state, want) in cases {
        let p = with_status(phase, state.clone(), true);
        assert_eq!(status_kind(&p), want, "{phase} {state}");
        assert_eq!(
            status_guide()
                .iter()
                .find(|e| e.kind == want)
                .unwrap()
                .health,
            p.health,
            "the guide's health agrees with the pod's for {phase} {state}"
        );
    }
    let other = with_status("Running", waiting("Mystery"), true);
    assert_eq!(
        explain(&other).meaning,
        "Kubernetes reports Mystery for this pod."
    );
}

#[test]
fn image_pull_explains_image_and_credentials() {
    let msg = "rpc error: code = NotFound desc = failed to pull and unpack image \"registry.shop.example/worker:2.5.0\": not found";
    let p = single(
        "Pending",
        json!({"waiting": {"reason": "ImagePullBackOff", "message": msg}}),
    );
    let e = explain(&p);
    assert!(
        e.meaning.starts_with("The kubelet cannot download image registry.shop.example/worker:2.5.0, so container worker cannot start"),
        "{}",
        e.meaning
    );
    assert!(e.meaning.contains("NotFound"));
    let next = e.next.join("\n");
    assert!(next.contains("imagePullSecrets"), "{next}");
    assert!(
        next.contains("(registry.shop.example/worker:2.5.0)"),
        "{next}"
    );
    assert!(
        !next.contains("(h)"),
        "no Deployment owner known here: {next}"
    );
}

#[test]
fn config_error_points_at_the_missing_key() {
    let p = single(
        "Pending",
        json!({"waiting": {"reason": "CreateContainerConfigError",
            "message": "couldn't find key DATABASE_URL in Secret production/checkout-db"}}),
    );
    let e = explain(&p);
    assert!(e.meaning.contains("ConfigMap or Secret"), "{}", e.meaning);
    assert!(
        e.meaning.contains("couldn't find key DATABASE_URL"),
        "{}",
        e.meaning
    );
    assert!(e.next.join(" ").contains("namespace production"));
}

#[test]
fn pending_without_a_node_quotes_the_scheduler() {
    let p = info(json!({
        "metadata": {"name": "api-1", "namespace": "production"},
        "spec": {"containers": [{"name": "api", "resources": {"requests": {"cpu": "4", "memory": "16Gi"}}}]},
        "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
            "reason": "Unschedulable",
            "message": "0/3 nodes are available: 3 Insufficient memory."}]}
    }));
    assert_eq!(
        (p.status.as_str(), p.health),
        ("Pending", Health::Progressing)
    );
    let e = explain(&p);
    assert!(e.meaning.contains("waiting for a node"), "{}", e.meaning);
    assert!(e.meaning.contains("(cpu 4, memory 16Gi)"), "{}", e.meaning);
    assert!(e.meaning.contains("3 Insufficient memory"), "{}", e.meaning);
    assert!(e.next[0].contains("FailedScheduling"));
}

#[test]
fn creating_on_a_node_mentions_volumes_and_images() {
    let p = single(
        "Pending",
        json!({"waiting": {"reason": "ContainerCreating"}}),
    );
    let e = explain(&p);
    assert!(e.meaning.contains("node node-1"), "{}", e.meaning);
    assert!(e.next.join(" ").contains("FailedMount"));
}

#[test]
fn evicted_names_the_node_and_the_pressure() {
    let p = info(json!({
        "metadata": {"name": "api-7d9f-x2", "namespace": "production"},
        "spec": {"nodeName": "node-3", "containers": [{"name": "api"}]},
        "status": {"phase": "Failed", "reason": "Evicted",
            "message": "The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.",
            "containerStatuses": [{"name": "api", "image": "", "imageID": "", "ready": false,
                "restartCount": 0, "state": {"terminated": {"exitCode": 137,
                "reason": "ContainerStatusUnknown"}}}]}
    }));
    assert_eq!(p.health, Health::Failing);
    assert_eq!(p.status_reason.as_deref(), Some("Evicted"));
    let e = explain(&p);
    assert!(
        e.meaning
            .contains("The kubelet on node node-3 evicted the pod"),
        "{}",
        e.meaning
    );
    assert!(
        e.meaning.contains("low on resource: memory"),
        "{}",
        e.meaning
    );
    assert!(e.next[0].contains("MemoryPressure"));
}

#[test]
fn terminating_mentions_finalizers_and_grace() {
    let mut v = checkout("Running", true, running(true, 0, json!({})));
    v["metadata"]["deletionTimestamp"] = json!("2024-05-01T12:00:30Z");
    v["metadata"]["deletionGracePeriodSeconds"] = json!(30);
    v["metadata"]["finalizers"] = json!(["shop.example/drain"]);
    let p = info(v);
    assert_eq!(
        (p.status.as_str(), p.health),
        ("Terminating", Health::Progressing)
    );
    assert!(p.deleting);
    assert_eq!(p.deleting_since, Some(ts("2024-05-01T12:00:30Z")));
    let e = explain(&p);
    assert!(e.meaning.contains("grace period (30s)"), "{}", e.meaning);
    assert!(
        e.meaning.contains("(it has shop.example/drain)"),
        "{}",
        e.meaning
    );
    assert!(e.next.join(" ").contains("node node-2"));
}

#[test]
fn node_lost_is_failing_and_says_the_node_stopped_reporting() {
    let mut v = checkout("Running", true, running(true, 0, json!({})));
    v["metadata"]["deletionTimestamp"] = json!("2024-05-01T12:00:30Z");
    v["status"]["reason"] = json!("NodeLost");
    let p = info(v);
    assert_eq!((p.status.as_str(), p.health), ("Unknown", Health::Failing));
    let e = explain(&p);
    assert!(
        e.meaning.starts_with("Node node-2 stopped reporting"),
        "{}",
        e.meaning
    );
}

#[test]
fn not_ready_after_an_oom_kill_says_so() {
    let p = info(checkout(
        "Running",
        false,
        running(
            false,
            2,
            serde_json::json!({"terminated": {"exitCode": 137, "reason": "OOMKilled",
                "finishedAt": "2024-05-01T11:58:00Z"}}),
        ),
    ));
    assert_eq!(p.health, Health::NotReady);
    let e = explain(&p);
    assert!(
        e.meaning.ends_with(
            "It has restarted 2 times, most recently after container checkout-service ended OOMKilled exit 137; watch whether that recurs."
        ),
        "{}",
        e.meaning
    );
    assert!(e.next.iter().any(|s| s.contains("(p)")), "{:?}", e.next);
}

#[test]
fn a_probe_that_times_out_or_a_liveness_kill_is_not_called_missing_config() {
    // Not ready, never restarted, the kubelet's probe timed out.
    let p = info(checkout("Running", false, running(false, 0, json!({}))));
    let timeout = "Readiness probe failed: Get \"http://10.0.0.7:8080/ready\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
    let e = explain_in(&p, &|_| None, Some(timeout));
    assert!(
        e.meaning.contains(
            "The probe gets no answer within its 1s timeout: the process is alive but too slow"
        ),
        "{}",
        e.meaning
    );
    assert!(!e.meaning.contains("environment variable"), "{}", e.meaning);
    // A wrong answer keeps the generic words.
    let e = explain_in(
        &p,
        &|_| None,
        Some("Readiness probe failed: HTTP probe failed with statuscode: 503"),
    );
    assert!(e.meaning.contains("environment variable"), "{}", e.meaning);

    // Restarted by its liveness probe (exit 137, not OOMKilled).
    let p = info(checkout(
        "Running",
        false,
        running(
            false,
            3,
            json!({"terminated": {"exitCode": 137, "reason": "Error",
                "finishedAt": "2024-05-01T11:58:00Z"}}),
        ),
    ));
    let e = explain_in(&p, &|_| None, None);
    assert!(
        e.meaning.contains(
            "Its liveness probe (GET :8080/healthz) fails too, and the kubelet has killed and restarted it 3 times"
        ),
        "{}",
        e.meaning
    );
    assert!(!e.meaning.contains("environment variable"), "{}", e.meaning);
}

#[test]
fn a_probe_line_says_its_timeout() {
    let p = info(checkout("Running", false, running(false, 0, json!({}))));
    let c = &p.containers[0];
    assert_eq!(
        c.probe(ProbeKind::Readiness).unwrap().describe(),
        "readiness GET :8080/ready every 5s, 1s timeout, fails after 3, first after 2s"
    );
}
