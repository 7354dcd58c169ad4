use super::*;

fn checkout() -> WorkloadRef {
    WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service")
}

#[test]
fn kubectl_equivalents() {
    let t = checkout();
    let m = Mutation::Rollback {
        target: t.clone(),
        to_revision: 3,
        from_revision: Some(4),
    };
    assert_eq!(
        m.kubectl(),
        "kubectl rollout undo deployment/checkout-service --to-revision=3 -n production"
    );
    assert_eq!(
        m.describe(),
        "Roll back Deployment production/checkout-service from revision 4 to the pod template of revision 3"
    );
    let s = Mutation::Scale {
        target: t.clone(),
        from: 3,
        replicas: 5,
    };
    assert_eq!(
        s.kubectl(),
        "kubectl scale deployment/checkout-service --replicas=5 -n production"
    );
    assert_eq!(
        s.access().unwrap().describe(),
        "patch deployments/scale in production"
    );
    assert_eq!(
        Mutation::Restart { target: t.clone() }.kubectl(),
        "kubectl rollout restart deployment/checkout-service -n production"
    );
    assert_eq!(
        Mutation::Pause { target: t }.access().unwrap().describe(),
        "patch deployments in production"
    );
}

#[test]
fn silences_in_words_and_as_amtool() {
    let m = Mutation::Silence {
        alertmanager: "prod".into(),
        alert: "KubePodNotReady on production/checkout-7d8f".into(),
        matchers: vec![
            Matcher {
                name: "alertname".into(),
                value: "KubePodNotReady".into(),
                is_regex: false,
                is_equal: true,
            },
            Matcher {
                name: "pod".into(),
                value: "checkout 7d8f".into(),
                is_regex: false,
                is_equal: true,
            },
        ],
        minutes: 120,
        comment: "it's SHOP-4521".into(),
        created_by: "oncall".into(),
    };
    assert_eq!(
        m.kubectl(),
        "amtool silence add alertname=KubePodNotReady pod='checkout 7d8f' --duration=2h --comment='it'\\''s SHOP-4521'"
    );
    assert!(m.describe().contains("for 2h"), "{}", m.describe());
    assert_eq!(m.target(), None);
    assert_eq!(m.access(), None);
    assert_eq!(minutes_text(90), "90m");
    assert_eq!(minutes_text(2880), "2d");
}

#[test]
fn actions_apply_to_the_kinds_that_have_them() {
    assert!(!ActionKind::Scale.applies_to(WorkloadKind::DaemonSet));
    assert!(!ActionKind::Pause.applies_to(WorkloadKind::StatefulSet));
    assert!(ActionKind::Rollback.applies_to(WorkloadKind::DaemonSet));
    assert!(ActionKind::Restart.applies_to(WorkloadKind::StatefulSet));
}
