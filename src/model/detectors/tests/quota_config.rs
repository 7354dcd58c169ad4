//! QuotaExceeded and MissingConfig.

use super::*;
use crate::model::workload::Rollout;

pub(super) const REFUSED: &str = "pods \"api-6c7d-x\" is forbidden: exceeded quota: shop-quota, requested: pods=1, used: pods=10, limited: pods=10";

/// `api`, scaled to 8 with 6 pods: its ReplicaSet is refused by `shop-quota`.
pub(super) fn refused_workload() -> WorkloadInfo {
    let mut w = shop_workloads().remove(3);
    w.name = "api".into();
    w.desired = 8;
    w.ready = 6;
    w.available = 6;
    w.updated = 6;
    w.unavailable = 2;
    w.conditions = vec![
        cond("Available", "False", "MinimumReplicasUnavailable", "", 120),
        cond("ReplicaFailure", "True", "FailedCreate", REFUSED, 90),
    ];
    w.rollout = Rollout::Stalled {
        reason: "FailedCreate".into(),
        message: REFUSED.into(),
    };
    w
}

/// A pod of `worker` whose container waits for a ConfigMap key.
pub(super) fn config_error_pod() -> PodInfo {
    let mut p = fx::pod("shop", "worker-2", "worker");
    p.containers[0].state = ContainerState::Waiting {
        reason: "CreateContainerConfigError".into(),
        message: Some("couldn't find key payment.provider in ConfigMap shop/shop-config".into()),
    };
    p
}

#[test]
fn a_quota_that_refuses_the_pods_is_named_in_place_of_the_stall() {
    let d = data(Vec::new(), vec![refused_workload()], Vec::new());
    let alerts = run(&d);
    assert_eq!(
        names(&alerts),
        ["QuotaExceeded detector/quota-exceeded/shop/deployment/api"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(a.starts_at, Some(ago(90)), "the condition's transition");
    assert_eq!(a.labels["resourcequota"], "shop-quota");
    assert_eq!(a.labels["deployment"], "api");
    assert_eq!(
        summary(a),
        format!(
            "Deployment api cannot create pods: quota shop-quota exceeded since 14:03:30; 6 of 8 replicas exist; {REFUSED}"
        )
    );
    assert!(description(a).starts_with("A ResourceQuota in the namespace caps"));

    // Off, the stall is told as before.
    let alerts = with(&d, &only(&[Detector::QuotaExceeded]));
    assert_eq!(
        names(&alerts),
        ["RolloutStalled detector/rollout-stalled/shop/deployment/api"]
    );
}

#[test]
fn another_replica_failure_is_a_stall_not_a_quota() {
    let mut w = refused_workload();
    let webhook = "admission webhook \"policy.example.com\" denied the request";
    w.conditions[1] = cond("ReplicaFailure", "True", "FailedCreate", webhook, 90);
    let d = data(Vec::new(), vec![w], Vec::new());
    assert_eq!(
        names(&run(&d)),
        ["RolloutStalled detector/rollout-stalled/shop/deployment/api"]
    );
}

#[test]
fn missing_config_names_the_configmap_and_key() {
    let d = pods(vec![config_error_pod()]);
    let alerts = run(&d);
    assert_eq!(
        names(&alerts),
        ["MissingConfig detector/missing-config/shop/worker-2/app"]
    );
    let a = &alerts[0];
    assert_eq!(a.severity, AlertSeverity::Warning);
    assert_eq!(
        summary(a),
        "worker-2 container app cannot start: key payment.provider of ConfigMap shop-config does not exist (CreateContainerConfigError)"
    );
    assert_eq!(a.labels["configmap"], "shop-config");
    assert_eq!(a.labels["pod"], "worker-2");
    assert_eq!(a.labels["deployment"], "worker");
    assert!(!a.labels.contains_key("secret"));
    assert!(
        description(a).contains("ConfigMap or Secret"),
        "{}",
        description(a)
    );

    // A message that names nothing is said as the kubelet wrote it.
    let mut p = config_error_pod();
    p.containers[0].state = ContainerState::Waiting {
        reason: "CreateContainerConfigError".into(),
        message: Some("container has runAsNonRoot and image will run as root".into()),
    };
    let a = run(&pods(vec![p])).remove(0);
    assert_eq!(
        summary(&a),
        "worker-2 container app CreateContainerConfigError: container has runAsNonRoot and image will run as root"
    );
    assert!(!a.labels.contains_key("configmap"));
}
