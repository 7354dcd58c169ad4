//! The guide table is the single source of the explanations: these tests
//! keep it complete and well-formed, and check that a pod picks its entry.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::model::pod_health::PodInfo;

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
const ALL_KINDS: [StatusKind; 20] = [
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
];

#[allow(dead_code)]
fn listed(k: StatusKind) -> bool {
    match k {
        Healthy | NotReady | CrashLoopOom | CrashLoop | OomKilled | Exited | ImagePull
        | ConfigError | CannotRun | Creating | Unscheduled | SchedulingGated | InitRunning
        | InitFailing | Evicted | Terminating | Completed | Failed | NodeLost | Other => true,
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
fn generic_texts_read_well_without_a_pod() {
    let entry = |k| status_guide().iter().find(|e| e.kind == k).unwrap();
    assert_eq!(
        entry(StatusKind::NotReady).generic_meaning(),
        "The container runs, but its readiness probe fails, so the Service sends it no traffic. \
         The process is alive but does not consider itself ready to serve, often because something \
         it needs is missing: an environment variable, a config file, or a database or service it connects to."
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
    assert!(oom.contains("restarted several times"), "{oom}");
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
