use jiff::Timestamp;

use super::*;
use crate::model::api_resource::ApiKind;
use crate::model::autoscaler::HpaInfo;
use crate::model::pod_health::Condition;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn hpa_kind(group: &str) -> ApiKind {
    ApiKind {
        group: group.into(),
        version: "v2".into(),
        plural: "horizontalpodautoscalers".into(),
        singular: "horizontalpodautoscaler".into(),
        kind: "HorizontalPodAutoscaler".into(),
        namespaced: true,
        short_names: vec!["hpa".into()],
        verbs: vec!["list".into(), "watch".into()],
    }
}

fn hpa(current: i32, desired: i32, conditions: Vec<Condition>) -> HpaInfo {
    HpaInfo {
        namespace: "production".into(),
        name: "api-server".into(),
        target_kind: "Deployment".into(),
        target_name: "api-server".into(),
        min: 3,
        max: 6,
        current,
        desired,
        metrics: vec!["cpu 246%/70%".into()],
        conditions,
        last_scale: Some(t("2026-12-07T10:00:00Z")),
        created: None,
    }
}

fn cluster(h: HpaInfo) -> ClusterData {
    let mut c = ClusterData::default();
    c.hpas.insert(h.key(), h);
    c
}

fn limited(since: &str) -> Condition {
    Condition {
        kind: "ScalingLimited".into(),
        status: "True".into(),
        reason: Some("TooManyReplicas".into()),
        message: Some("the desired replica count is more than the maximum replica count".into()),
        since: Some(t(since)),
    }
}

#[test]
fn the_lens_is_found_by_group_and_plural_whatever_the_version() {
    assert_eq!(Lens::of(&hpa_kind("autoscaling")), Some(Lens::Hpa));
    assert_eq!(Lens::of(&hpa_kind("example.com")), None);
}

#[test]
fn an_hpa_pinned_at_its_maximum_is_a_warning_saying_for_how_long() {
    let c = cluster(hpa(6, 6, vec![limited("2026-12-07T10:00:00Z")]));
    let key = ObjectKey::new("production", "api-server");
    let v = Lens::Hpa
        .verdict(&c, &key, t("2026-12-07T10:12:00Z"))
        .unwrap();
    assert_eq!(v.mark, Mark::Warn);
    assert_eq!(v.cells, vec!["6".to_string(), "at max for 12m".to_string()]);
    let detail = Lens::Hpa.detail(&c, &key, t("2026-12-07T10:12:00Z"));
    let headings: Vec<_> = detail.iter().map(|s| s.heading.as_str()).collect();
    assert_eq!(headings, ["Autoscaling", "Conditions", "What it means"]);
    let text: Vec<_> = detail
        .iter()
        .flat_map(|s| &s.facts)
        .map(|f| f.text.as_str())
        .collect();
    assert!(
        text.contains(&"min 3 · max 6 · current 6 · desired 6"),
        "{text:?}"
    );
    assert!(
        text.iter().any(|l| l.contains("TooManyReplicas")),
        "{text:?}"
    );
}

#[test]
fn an_hpa_that_cannot_read_its_metrics_is_bad_and_one_scaling_is_busy() {
    let failed = Condition {
        kind: "ScalingActive".into(),
        status: "False".into(),
        reason: Some("FailedGetResourceMetric".into()),
        message: Some("unable to get metrics".into()),
        since: None,
    };
    let key = ObjectKey::new("production", "api-server");
    let now = t("2026-12-07T10:12:00Z");
    let v = Lens::Hpa
        .verdict(&cluster(hpa(3, 3, vec![failed])), &key, now)
        .unwrap();
    assert_eq!(v.mark, Mark::Bad);
    assert_eq!(v.cells[1], "cannot scale: FailedGetResourceMetric");
    let v = Lens::Hpa
        .verdict(&cluster(hpa(3, 5, vec![])), &key, now)
        .unwrap();
    assert_eq!((v.mark, v.cells[1].as_str()), (Mark::Busy, "scaling 3→5"));
    let v = Lens::Hpa
        .verdict(&cluster(hpa(3, 3, vec![])), &key, now)
        .unwrap();
    assert_eq!(v.mark, Mark::Ok);
    assert!(
        Lens::Hpa
            .verdict(&ClusterData::default(), &key, now)
            .is_none()
    );
}
