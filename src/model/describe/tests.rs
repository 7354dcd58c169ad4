use serde_json::json;

use super::*;

#[test]
fn any_object_reads_as_kubectl_describe_with_conditions_as_a_table() {
    let hpa = json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {
            "name": "api-server",
            "namespace": "production",
            "labels": {"app": "api-server", "tier": "web"},
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{…}"},
            "creationTimestamp": "2026-12-07T22:16:00Z",
        },
        "spec": {
            "minReplicas": 3,
            "maxReplicas": 6,
            "scaleTargetRef": {"kind": "Deployment", "name": "api-server"},
            "metrics": [{"type": "Resource", "resource": {"name": "cpu"}}],
        },
        "status": {
            "currentReplicas": 6,
            "conditions": [
                {"type": "ScalingLimited", "status": "True", "reason": "TooManyReplicas",
                 "lastTransitionTime": "2026-12-07T22:30:00Z",
                 "message": "the desired replica count is more than the maximum replica count"},
            ],
        },
    });
    let lines = describe(&hpa);
    let text = lines.join("\n");
    for expected in [
        "Name:          api-server",
        "Namespace:     production",
        "Kind:          HorizontalPodAutoscaler (autoscaling/v2)",
        "Labels:        app=api-server",
        "               tier=web",
        "Annotations:   <none>",
        "Spec:",
        "  Max Replicas:  6",
        "  Scale Target Ref:",
        "    Kind:  Deployment",
        "  Metrics:",
        "    - Resource:",
        "Status:",
        "  Current Replicas:  6",
        "Conditions:",
        "  Type            Status  Reason           Since                 Message",
        "  ScalingLimited  True    TooManyReplicas  2026-12-07T22:30:00Z  the desired replica count",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Conditions are the table, not also a field list.
    assert_eq!(text.matches("TooManyReplicas").count(), 1, "{text}");
}

#[test]
fn long_and_multi_line_values_are_cut_and_hostile_text_is_made_safe() {
    let cm = json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "x\u{1b}[2J", "namespace": "shop"},
        "data": {"script.sh": "#!/bin/sh\necho hi\n", "big": "a".repeat(5000)},
    });
    let text = describe(&cm).join("\n");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("Data:"), "{text}");
    assert!(
        text.contains("  script.sh:  #!/bin/sh… (18 bytes; y shows it whole)"),
        "{text}"
    );
    assert!(text.contains("(5000 bytes; y shows it whole)"), "{text}");
}

#[test]
fn a_secret_described_after_shown_has_no_value() {
    let secret = json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "db", "namespace": "shop"},
        "data": {"password": "aHVudGVyMg=="},
    });
    let text = describe(&crate::model::yaml::shown(secret)).join("\n");
    assert!(!text.contains("aHVudGVyMg"), "{text}");
    assert!(text.contains("(hidden, 7 bytes)"), "{text}");
}

#[test]
fn events_end_the_description_made_safe_for_the_terminal() {
    use crate::model::event::{EventInfo, ObjectRef};
    let now: jiff::Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
    let e = EventInfo {
        namespace: "shop".into(),
        name: "e1".into(),
        warning: true,
        reason: "Unhealthy".into(),
        object: ObjectRef {
            kind: "Pod".into(),
            namespace: "shop".into(),
            name: "p".into(),
        },
        field_path: None,
        count: 3,
        first_seen: None,
        last_seen: Some("2026-12-07T09:58:00Z".parse().unwrap()),
        message: "probe failed \u{1b}]52;c;aGk=\u{7}\u{1b}[2J".into(),
        source: "kubelet".into(),
        source_host: None,
    };
    let lines = events(&[&e], now);
    let text = lines.join("\n");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("Warning  Unhealthy"), "{text}");
    assert!(text.contains("(x3)"), "{text}");
    assert_eq!(
        events(&[], now)[1],
        "Events:        <none> (among the events the console watches)"
    );
}
