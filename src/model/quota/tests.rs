use k8s_openapi::api::core::v1::ResourceQuota;
use serde_json::json;

use super::*;

/// production-quota as the sim's quota controller leaves it in quota-full.
fn production(used_pods: &str) -> QuotaInfo {
    let q: ResourceQuota = serde_json::from_value(json!({
        "metadata": {"name": "production-quota", "namespace": "production"},
        "spec": {"hard": {"pods": "15", "requests.cpu": "2", "requests.memory": "6Gi", "limits.memory": "12Gi"}},
        "status": {
            "hard": {"pods": "15", "requests.cpu": "2", "requests.memory": "6Gi", "limits.memory": "12Gi"},
            "used": {"pods": used_pods, "requests.cpu": "1500m", "requests.memory": "3Gi", "limits.memory": "6Gi"}
        }
    }))
    .expect("quota");
    QuotaInfo::from_quota(&q)
}

#[test]
fn headroom_says_used_over_hard_in_kubernetes_units() {
    let q = production("13");
    assert_eq!(
        q.headroom(),
        "pods 13/15 · cpu 1500m/2 · memory 3Gi/6Gi · limits.memory 6Gi/12Gi"
    );
    assert_eq!(q.left(QuotaResource::Pods), Some(2));
    assert_eq!(q.left(QuotaResource::LimitsCpu), None, "not limited");
    assert!(q.exhausted().is_empty());
    assert_eq!(production("15").exhausted(), vec![QuotaResource::Pods]);
}

#[test]
fn a_scale_beyond_the_quota_says_how_much_more_it_needs_and_what_is_left() {
    let q = production("13");
    let one_pod = Resources {
        cpu_milli: Some(100),
        memory_bytes: Some(256 << 20),
    };
    let demand = Demand::pods(6, one_pod, Resources::default());
    assert_eq!(
        q.shortfall(&Demand::pods(6, Resources::default(), Resources::default()))
            .as_deref(),
        Some("needs 6 more pods; quota production-quota allows 2")
    );
    assert_eq!(
        q.shortfall(&demand).as_deref(),
        Some("needs 6 more pods, 600m more CPU requests; quota production-quota allows 2, 500m")
    );
    let big = Resources {
        cpu_milli: Some(300),
        memory_bytes: Some(1 << 30),
    };
    assert_eq!(
        q.shortfall(&Demand::pods(2, big, Resources::default()))
            .as_deref(),
        Some("needs 600m more CPU requests; quota production-quota allows 500m")
    );
    assert_eq!(q.shortfall(&Demand::pods(2, one_pod, one_pod)), None);
}

#[test]
fn the_refusal_names_its_quota() {
    let m = "pods \"api-server-7c9-x\" is forbidden: exceeded quota: production-quota, requested: pods=1, used: pods=15, limited: pods=15";
    assert_eq!(exceeded_quota(m), Some("production-quota"));
    assert_eq!(exceeded_quota("Error creating: something else"), None);
    assert_eq!(exceeded_quota("exceeded quota: "), None);
}

#[test]
fn odd_amounts_are_left_out_not_a_panic() {
    let q: ResourceQuota = serde_json::from_value(json!({
        "metadata": {"name": "q", "namespace": "n"},
        "spec": {"hard": {"pods": "many", "cpu": "1"}},
    }))
    .expect("quota");
    let q = QuotaInfo::from_quota(&q);
    assert_eq!(q.hard(QuotaResource::Pods), None);
    assert_eq!(
        q.headroom(),
        "cpu 0/1",
        "the spec's hard until the status has one"
    );
}
