//! Workloads as the controllers write them, mid-rollout, stalled and done.

use serde_json::{Value, json};

use super::*;

fn deployment(generation: i64, spec_extra: Value, status: Value) -> WorkloadInfo {
    let mut spec = json!({
        "replicas": 3,
        "selector": {"matchLabels": {"app": "checkout-service"}},
        "template": {"metadata": {"labels": {"app": "checkout-service"}},
            "spec": {"containers": [
                {"name": "checkout-service", "image": "registry.shop.example/checkout-service:2.3.0"},
                {"name": "proxy", "image": "envoy:1.30"}]}}
    });
    if let (Some(s), Some(extra)) = (spec.as_object_mut(), spec_extra.as_object()) {
        s.extend(extra.clone());
    }
    let d: Deployment = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "checkout-service", "namespace": "production", "uid": "d1",
            "generation": generation, "creationTimestamp": "2024-05-01T10:00:00Z",
            "annotations": {"deployment.kubernetes.io/revision": "4"}},
        "spec": spec,
        "status": status
    }))
    .unwrap();
    WorkloadInfo::from_deployment(&d)
}

fn progressing(status: &str, reason: &str) -> Value {
    json!({"type": "Progressing", "status": status, "reason": reason,
           "message": "ReplicaSet \"checkout-service-7d9f8b6c5d\" has timed out progressing.",
           "lastTransitionTime": "2024-05-01T11:10:00Z"})
}

#[test]
fn deployment_complete() {
    let w = deployment(
        4,
        json!({}),
        json!({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
               "availableReplicas": 3,
               "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                              progressing("True", "NewReplicaSetAvailable")]}),
    );
    assert_eq!(w.rollout, Rollout::Complete);
    assert_eq!(
        (w.desired, w.ready, w.updated, w.available, w.unavailable),
        (3, 3, 3, 3, 0)
    );
    assert_eq!(w.revision, Some(4));
    assert_eq!(w.template.as_deref(), Some("4"));
    assert_eq!(
        w.images,
        ["registry.shop.example/checkout-service:2.3.0", "envoy:1.30"]
    );
    assert_eq!(w.selector.get("app"), Some("checkout-service"));
    assert_eq!(w.conditions.len(), 2);
    assert_eq!(w.created, Some("2024-05-01T10:00:00Z".parse().unwrap()));
    assert!(!w.has_problem());
    assert_eq!(w.key().to_string(), "production/checkout-service");
}

#[test]
fn deployment_mid_rollout_is_progressing() {
    // One new pod up, the old ReplicaSet still has three (surge).
    let w = deployment(
        5,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 1, "readyReplicas": 3,
               "availableReplicas": 3, "unavailableReplicas": 1,
               "conditions": [progressing("True", "ReplicaSetUpdated")]}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 1,
            desired: 3
        }
    );
    assert!(w.has_problem(), "an unavailable replica is worth a look");

    // All updated, but old pods still terminating.
    let w = deployment(
        5,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 3,
               "availableReplicas": 3}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 3,
            desired: 3
        }
    );

    // All updated, not all available yet (the bad deploy: never Ready):
    // the controller still tracks the rollout.
    let w = deployment(
        5,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 3,
               "availableReplicas": 2,
               "conditions": [progressing("True", "ReplicaSetUpdated")]}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 3,
            desired: 3
        }
    );

    // A rollback to a ReplicaSet that exists: the revision moved on, the
    // condition still tells of the last rollout, the replicas are not all
    // on the template yet.
    let w = deployment(
        5,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 0,
               "availableReplicas": 3,
               "conditions": [progressing("True", "NewReplicaSetAvailable")]}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 0,
            desired: 3
        }
    );

    // The controller has not seen the new spec yet.
    let w = deployment(
        6,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 3,
               "availableReplicas": 3,
               "conditions": [progressing("False", "ProgressDeadlineExceeded")]}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 3,
            desired: 3
        }
    );
}

#[test]
fn a_deployment_losing_availability_is_not_rolling_out() {
    // Every pod on the template, the rollout done; then readiness fails
    // (or a node dies): the condition stays NewReplicaSetAvailable.
    let done = progressing("True", "NewReplicaSetAvailable");
    let w = deployment(
        4,
        json!({}),
        json!({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3,
               "readyReplicas": 0, "availableReplicas": 0, "unavailableReplicas": 3,
               "conditions": [done]}),
    );
    assert_eq!(w.rollout, Rollout::Complete);
    assert_eq!((w.ready, w.unavailable), (0, 3));
    assert!(w.has_problem(), "lost availability is still a problem");

    // A scale from 3 to 5, its new pods on their way: not a rollout either.
    let w = deployment(
        5,
        json!({"replicas": 5}),
        json!({"observedGeneration": 5, "replicas": 5, "updatedReplicas": 5,
               "availableReplicas": 3, "unavailableReplicas": 2,
               "conditions": [progressing("True", "NewReplicaSetAvailable")]}),
    );
    assert_eq!(w.rollout, Rollout::Complete);
    // … nor before the controller has seen it.
    let w = deployment(
        6,
        json!({"replicas": 5}),
        json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 3,
               "availableReplicas": 3,
               "conditions": [progressing("True", "NewReplicaSetAvailable")]}),
    );
    assert_eq!(w.rollout, Rollout::Complete);

    // Without a progress deadline there is no condition: all on the
    // template is complete, whatever is available.
    let w = deployment(
        4,
        json!({}),
        json!({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3,
               "availableReplicas": 1, "unavailableReplicas": 2}),
    );
    assert_eq!(w.rollout, Rollout::Complete);
}

#[test]
fn a_stall_left_from_before_a_new_spec_is_no_stall() {
    // Rolled back while stalled: the controller has not written its status
    // for the new template yet.
    let w = deployment(
        6,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 1,
               "availableReplicas": 3,
               "conditions": [progressing("False", "ProgressDeadlineExceeded")]}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 1,
            desired: 3
        }
    );
}

#[test]
fn deployment_past_its_deadline_is_stalled() {
    let w = deployment(
        5,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 1,
               "availableReplicas": 3, "unavailableReplicas": 1,
               "conditions": [progressing("False", "ProgressDeadlineExceeded")]}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Stalled {
            reason: "ProgressDeadlineExceeded".into(),
            message: "ReplicaSet \"checkout-service-7d9f8b6c5d\" has timed out progressing.".into()
        }
    );
    assert!(w.has_problem());

    let w = deployment(
        5,
        json!({}),
        json!({"observedGeneration": 5, "replicas": 2, "updatedReplicas": 2, "availableReplicas": 2,
               "conditions": [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
                               "message": "pods \"checkout-service-7d9f\" is forbidden: exceeded quota"}]}),
    );
    assert!(
        matches!(&w.rollout, Rollout::Stalled { reason, message } if reason == "FailedCreate" && message.contains("quota"))
    );
}

#[test]
fn paused_deployment() {
    let w = deployment(
        5,
        json!({"paused": true}),
        json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3}),
    );
    assert_eq!(w.rollout, Rollout::Paused);
}

#[test]
fn deployment_defaults_and_partial_objects() {
    let d: Deployment = serde_json::from_value(json!({"metadata": {}})).unwrap();
    let w = WorkloadInfo::from_deployment(&d);
    assert_eq!(w.desired, 1, "spec.replicas defaults to 1");
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 0,
            desired: 1
        }
    );
    assert_eq!(w.revision, None);
    assert!(w.images.is_empty());

    let w = deployment(
        1,
        json!({"replicas": -3}),
        json!({"observedGeneration": 1, "replicas": -1, "updatedReplicas": -2,
               "availableReplicas": 2147483647, "unavailableReplicas": -4}),
    );
    assert_eq!((w.desired, w.updated, w.unavailable), (0, 0, 0));
    assert_eq!(w.available, 2_147_483_647);
    assert_eq!(w.rollout, Rollout::Complete);

    let mut d = serde_json::to_value(&d).unwrap();
    d["metadata"]["annotations"] = json!({"deployment.kubernetes.io/revision": "not-a-number"});
    let d: Deployment = serde_json::from_value(d).unwrap();
    assert_eq!(WorkloadInfo::from_deployment(&d).revision, None);
}

fn statefulset(spec_extra: Value, status: Value) -> WorkloadInfo {
    let mut spec = json!({"replicas": 3, "serviceName": "postgres",
        "selector": {"matchLabels": {"app": "postgres"}},
        "template": {"spec": {"containers": [{"name": "postgres", "image": "postgres:16.2"}]}}});
    if let (Some(s), Some(extra)) = (spec.as_object_mut(), spec_extra.as_object()) {
        s.extend(extra.clone());
    }
    let s: StatefulSet = serde_json::from_value(json!({
        "metadata": {"name": "postgres", "namespace": "production", "generation": 2},
        "spec": spec, "status": status
    }))
    .unwrap();
    WorkloadInfo::from_statefulset(&s)
}

#[test]
fn statefulset_rolling_and_complete() {
    let w = statefulset(
        json!({}),
        json!({"observedGeneration": 2, "replicas": 3, "readyReplicas": 3, "availableReplicas": 3,
               "currentReplicas": 2, "updatedReplicas": 1,
               "currentRevision": "postgres-5d8b9c", "updateRevision": "postgres-7f6d4b"}),
    );
    assert_eq!(w.kind, WorkloadKind::StatefulSet);
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 1,
            desired: 3
        }
    );
    assert_eq!(w.revision, None);
    assert_eq!(w.images, ["postgres:16.2"]);

    let w = statefulset(
        json!({}),
        json!({"observedGeneration": 2, "replicas": 3, "readyReplicas": 3, "availableReplicas": 2,
               "currentReplicas": 3, "updatedReplicas": 3,
               "currentRevision": "postgres-7f6d4b", "updateRevision": "postgres-7f6d4b"}),
    );
    assert_eq!(w.rollout, Rollout::Complete);
    assert_eq!(w.unavailable, 1, "desired minus available");

    assert_eq!(w.template.as_deref(), Some("postgres-7f6d4b"));

    // Every pod updated, one not ready yet: the controller keeps the
    // revisions apart until all are ready, so the rollout still runs.
    let w = statefulset(
        json!({}),
        json!({"observedGeneration": 2, "replicas": 3, "readyReplicas": 2, "availableReplicas": 2,
               "updatedReplicas": 3,
               "currentRevision": "postgres-5d8b9c", "updateRevision": "postgres-7f6d4b"}),
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 3,
            desired: 3
        }
    );

    // Revisions match, a pod stopped being ready: kubectl would wait, but
    // no template changed: lost availability.
    let w = statefulset(
        json!({}),
        json!({"observedGeneration": 2, "replicas": 3, "readyReplicas": 2, "availableReplicas": 2,
               "updatedReplicas": 3,
               "currentRevision": "postgres-7f6d4b", "updateRevision": "postgres-7f6d4b"}),
    );
    assert_eq!(w.rollout, Rollout::Complete);
    assert_eq!(w.unavailable, 1);
}

#[test]
fn statefulset_partition_completes_at_the_partition() {
    let partitioned = json!({"updateStrategy": {"type": "RollingUpdate",
        "rollingUpdate": {"partition": 2}}});
    let status = |updated: i32| {
        json!({"observedGeneration": 2, "replicas": 3, "readyReplicas": 3, "availableReplicas": 3,
               "updatedReplicas": updated,
               "currentRevision": "postgres-5d8b9c", "updateRevision": "postgres-7f6d4b"})
    };
    let w = statefulset(partitioned.clone(), status(1));
    assert_eq!(
        w.rollout,
        Rollout::Complete,
        "only ordinals >= 2 are updated"
    );
    let w = statefulset(partitioned, status(0));
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 0,
            desired: 1
        }
    );
}

#[test]
fn daemonset_rollout() {
    let ds = |status: Value| {
        let d: DaemonSet = serde_json::from_value(json!({
            "metadata": {"name": "node-agent", "namespace": "kube-system", "generation": 3},
            "spec": {"selector": {"matchLabels": {"app": "node-agent"}},
                     "template": {"spec": {"containers": [{"name": "agent", "image": "node-agent:1.4"}]}}},
            "status": status
        }))
        .unwrap();
        WorkloadInfo::from_daemonset(&d)
    };
    let w = ds(json!({"observedGeneration": 3, "desiredNumberScheduled": 4,
        "currentNumberScheduled": 4, "numberMisscheduled": 0, "numberReady": 3,
        "updatedNumberScheduled": 2, "numberAvailable": 3, "numberUnavailable": 1}));
    assert_eq!(w.kind, WorkloadKind::DaemonSet);
    assert_eq!(
        (w.desired, w.ready, w.updated, w.available, w.unavailable),
        (4, 3, 2, 3, 1)
    );
    assert_eq!(
        w.rollout,
        Rollout::Progressing {
            updated: 2,
            desired: 4
        }
    );
    assert!(w.has_problem());

    let w = ds(json!({"observedGeneration": 3, "desiredNumberScheduled": 4,
        "currentNumberScheduled": 4, "numberMisscheduled": 0, "numberReady": 4,
        "updatedNumberScheduled": 4, "numberAvailable": 4}));
    assert_eq!(w.rollout, Rollout::Complete);
    assert_eq!((w.revision, w.template), (None, None));

    // A node joined and has no pod yet, another's pod is not ready: every
    // pod runs the template, so this is lost availability.
    let w = ds(json!({"observedGeneration": 3, "desiredNumberScheduled": 5,
        "currentNumberScheduled": 4, "numberMisscheduled": 0, "numberReady": 3,
        "updatedNumberScheduled": 4, "numberAvailable": 3, "numberUnavailable": 2}));
    assert_eq!(w.rollout, Rollout::Complete);
    assert_eq!(w.unavailable, 2);

    let empty: DaemonSet = serde_json::from_value(json!({"metadata": {}})).unwrap();
    let w = WorkloadInfo::from_daemonset(&empty);
    assert_eq!((w.desired, w.rollout.clone()), (0, Rollout::Complete));
}

#[test]
fn replicaset_ties_revision_to_deployment() {
    let rs: ReplicaSet = serde_json::from_value(json!({
        "metadata": {"name": "checkout-service-7d9f8b6c5d", "namespace": "production",
            "creationTimestamp": "2024-05-01T11:00:00Z",
            "labels": {"app": "checkout-service", "pod-template-hash": "7d9f8b6c5d"},
            "annotations": {"deployment.kubernetes.io/revision": "5",
                            "deployment.kubernetes.io/revision-history": "1,3",
                            "kubernetes.io/change-cause": "deploy 2.3.0: read config from env (SHOP-4521)"},
            "ownerReferences": [
                {"apiVersion": "v1", "kind": "Deployment", "name": "someone-else", "uid": "0"},
                {"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout-service",
                 "uid": "d1", "controller": true}]},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "checkout-service"}},
            "template": {"spec": {"containers": [{"name": "c", "image": "checkout-service:2.3.0"}]}}},
        "status": {"replicas": 3, "readyReplicas": 0, "availableReplicas": 0}
    }))
    .unwrap();
    let r = ReplicaSetInfo::from_replicaset(&rs);
    assert_eq!(r.deployment.as_deref(), Some("checkout-service"));
    assert_eq!(r.revision, Some(5));
    assert_eq!(r.revision_history, [1, 3]);
    assert_eq!(
        r.change_cause.as_deref(),
        Some("deploy 2.3.0: read config from env (SHOP-4521)")
    );
    assert_eq!(r.template_hash.as_deref(), Some("7d9f8b6c5d"));
    assert_eq!((r.desired, r.ready, r.available), (3, 0, 0));
    assert_eq!(r.images, ["checkout-service:2.3.0"]);

    let bare: ReplicaSet = serde_json::from_value(json!({"metadata": {"name": "x",
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "d",
            "uid": "1"}]}}))
    .unwrap();
    let r = ReplicaSetInfo::from_replicaset(&bare);
    assert_eq!(r.deployment, None, "not a controller reference");
    assert_eq!(
        (r.revision, r.change_cause, r.template_hash),
        (None, None, None)
    );
    assert_eq!(r.desired, 1);
}
