use super::replicas::{Group, Sample, Target, milli_quantity, replicas};

fn ready(pod: &str, usage: i64, request: i64) -> Sample {
    Sample {
        pod: pod.into(),
        group: Group::Ready(usage),
        request: Ok(request),
    }
}

#[test]
fn usage_over_target_scales_by_the_ratio() {
    // 3 pods at 200m of 100m requested, target 50 %: 400 % → 4× → 12.
    let s: Vec<Sample> = (0..3).map(|i| ready(&format!("p{i}"), 200, 100)).collect();
    let p = replicas(&s, 3, Target::Utilization(50), "cpu").unwrap();
    assert_eq!(p.replicas, 12);
    assert_eq!(p.utilization, Some(200));
    assert_eq!(p.average_milli, 200);
}

#[test]
fn within_tolerance_keeps_the_current_count() {
    let s: Vec<Sample> = (0..4).map(|i| ready(&format!("p{i}"), 74, 100)).collect();
    let p = replicas(&s, 4, Target::Utilization(70), "cpu").unwrap();
    assert_eq!(
        p.replicas, 4,
        "74 % against 70 % is within the 0.1 tolerance"
    );
}

#[test]
fn missing_pods_count_against_a_scale_down() {
    // Two pods idle at 10 %, one without metrics: it counts as 100 % of its
    // request, so the HPA does not shrink on a missing sample.
    let mut s = vec![ready("a", 10, 100), ready("b", 10, 100)];
    s.push(Sample {
        pod: "c".into(),
        group: Group::Missing,
        request: Ok(100),
    });
    let p = replicas(&s, 3, Target::Utilization(50), "cpu").unwrap();
    assert_eq!(p.replicas, 3);
}

#[test]
fn unready_pods_count_as_idle_when_scaling_up() {
    let mut s = vec![ready("a", 200, 100), ready("b", 200, 100)];
    s.push(Sample {
        pod: "c".into(),
        group: Group::Unready { sampled: true },
        request: Ok(100),
    });
    // (200+200+0)/300 = 133 % against 100 % → ceil(1.33 × 3) = 4.
    let p = replicas(&s, 3, Target::Utilization(100), "cpu").unwrap();
    assert_eq!(p.replicas, 4);
}

#[test]
fn average_value_targets_compare_raw_usage() {
    let s: Vec<Sample> = (0..2)
        .map(|i| ready(&format!("p{i}"), 300_000, 0))
        .collect();
    let p = replicas(&s, 2, Target::AverageValue(100_000), "memory").unwrap();
    assert_eq!(p.replicas, 6);
    assert_eq!(p.utilization, None);
}

#[test]
fn no_metrics_and_missing_requests_are_errors() {
    let s = vec![Sample {
        pod: "a".into(),
        group: Group::Missing,
        request: Ok(100),
    }];
    assert_eq!(
        replicas(&s, 1, Target::Utilization(50), "cpu").unwrap_err(),
        "unable to get metrics for resource cpu: no metrics returned from resource metrics API"
    );
    let s = vec![Sample {
        pod: "a".into(),
        group: Group::Ready(10),
        request: Err("missing request for cpu in container app of Pod a".into()),
    }];
    assert!(
        replicas(&s, 1, Target::Utilization(50), "cpu")
            .unwrap_err()
            .starts_with("missing request for cpu")
    );
}

#[test]
fn quantities_print_as_the_api_does() {
    assert_eq!(milli_quantity(250), "250m");
    assert_eq!(milli_quantity(1000), "1");
    assert_eq!(milli_quantity(314_572_800_000), "314572800");
    assert_eq!(milli_quantity(12_000_000), "12k");
}

mod normalize {
    use jiff::Timestamp;
    use serde_json::json;

    use super::super::{Conditions, built_in, with_behavior};
    use crate::sim::cluster::queues::HpaMemory;

    fn conds() -> Conditions {
        Conditions {
            list: Vec::new(),
            old: Vec::new(),
            now: "2026-03-02T09:00:00Z".into(),
        }
    }

    fn reason(c: &Conditions, ty: &str) -> (String, String) {
        let c = c
            .list
            .iter()
            .find(|c| c["type"] == ty)
            .expect("condition set");
        (
            c["status"].as_str().unwrap_or("").into(),
            c["reason"].as_str().unwrap_or("").into(),
        )
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_772_442_000 + s).expect("time")
    }

    #[test]
    fn built_in_rules_limit_the_rate_and_clamp_to_max() {
        let mut m = HpaMemory::default();
        let mut c = conds();
        // 3 → 20 wanted, max 10: at most twice the replicas (6) this time.
        assert_eq!(built_in(&mut m, &mut c, at(0), 3, 20, 3, 10), 6);
        assert_eq!(
            reason(&c, "ScalingLimited"),
            ("True".into(), "ScaleUpLimit".into())
        );
        let mut c = conds();
        assert_eq!(built_in(&mut m, &mut c, at(15), 6, 20, 3, 10), 10);
        assert_eq!(
            reason(&c, "ScalingLimited"),
            ("True".into(), "TooManyReplicas".into())
        );
    }

    #[test]
    fn built_in_scale_down_waits_five_minutes() {
        let mut m = HpaMemory::default();
        let mut c = conds();
        assert_eq!(built_in(&mut m, &mut c, at(0), 8, 8, 2, 10), 8);
        let mut c = conds();
        assert_eq!(built_in(&mut m, &mut c, at(60), 8, 2, 2, 10), 8);
        assert_eq!(reason(&c, "AbleToScale").1, "ScaleDownStabilized");
        let mut c = conds();
        assert_eq!(built_in(&mut m, &mut c, at(301), 8, 2, 2, 10), 2);
        assert_eq!(reason(&c, "AbleToScale").1, "ReadyForNewScale");
        assert_eq!(
            reason(&c, "ScalingLimited"),
            ("False".into(), "DesiredWithinRange".into())
        );
    }

    #[test]
    fn behavior_policies_and_windows_apply() {
        let behavior = json!({
            "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max", "policies": [{"type": "Pods", "value": 2, "periodSeconds": 60}]},
            "scaleDown": {"stabilizationWindowSeconds": 60, "selectPolicy": "Max", "policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}]},
        });
        let mut m = HpaMemory::default();
        let mut c = conds();
        // Up by at most 2 pods a minute.
        assert_eq!(
            with_behavior(&mut m, &behavior, &mut c, at(0), 4, 10, 1, 20),
            6
        );
        assert_eq!(
            reason(&c, "ScalingLimited"),
            ("True".into(), "ScaleUpLimit".into())
        );
        m.scale_ups.push((at(0), 2));
        let mut c = conds();
        assert_eq!(
            with_behavior(&mut m, &behavior, &mut c, at(30), 6, 10, 1, 20),
            6,
            "the minute's 2 pods are spent"
        );
        // Down: the window holds the highest recommendation of the last minute.
        let mut c = conds();
        assert_eq!(
            with_behavior(&mut m, &behavior, &mut c, at(45), 6, 1, 1, 20),
            6
        );
        assert_eq!(reason(&c, "AbleToScale").1, "ScaleDownStabilized");
        let mut c = conds();
        // After the window: down by at most half a minute.
        assert_eq!(
            with_behavior(&mut m, &behavior, &mut c, at(200), 6, 1, 1, 20),
            3
        );
        assert_eq!(
            reason(&c, "ScalingLimited"),
            ("True".into(), "ScaleDownLimit".into())
        );
    }
}
