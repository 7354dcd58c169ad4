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
