use super::*;

#[test]
fn the_kubelets_messages_name_the_object_and_key() {
    assert_eq!(
        missing_config("couldn't find key payment.provider in ConfigMap production/shop-config"),
        Some(MissingConfig {
            kind: ConfigKind::ConfigMap,
            name: "shop-config".into(),
            key: Some("payment.provider".into()),
        })
    );
    assert_eq!(
        missing_config("secret \"postgres-credentials\" not found").map(|m| m.describe()),
        Some("Secret postgres-credentials".into())
    );
    assert_eq!(
        missing_config("Error: configmap \"shop-config\" not found").map(|m| m.kind),
        Some(ConfigKind::ConfigMap)
    );
    assert_eq!(
        missing_config("couldn't find key password in Secret production/db").map(|m| m.describe()),
        Some("key password of Secret db".into())
    );
}

#[test]
fn other_messages_name_nothing() {
    assert_eq!(missing_config(""), None);
    assert_eq!(
        missing_config("container has runAsNonRoot and image will run as root"),
        None
    );
    assert_eq!(missing_config("couldn't find key x in Pod a/b"), None);
    assert_eq!(missing_config("configmap \"\" not found"), None);
}

#[test]
fn a_pods_spec_lists_what_it_reads_once_and_the_kubelets_complaint_marks_it() {
    let pod = crate::model::fixtures::info(serde_json::json!({
        "metadata": {"name": "checkout-1", "namespace": "production"},
        "spec": {
            "containers": [{
                "name": "app",
                "env": [
                    {"name": "PAYMENT_PROVIDER", "valueFrom": {"configMapKeyRef": {"name": "shop-config", "key": "payment.provider"}}},
                    {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password", "optional": true}}},
                    {"name": "PLAIN", "value": "x"}
                ],
                "envFrom": [{"configMapRef": {"name": "shop-config"}}]
            }],
            "volumes": [
                {"name": "tls", "secret": {"secretName": "tls-cert"}},
                {"name": "all", "projected": {"sources": [{"configMap": {"name": "extra", "items": [{"key": "a.yaml", "path": "a.yaml"}]}}]}}
            ]
        },
        "status": {"containerStatuses": [{
            "name": "app", "ready": false, "restartCount": 0, "image": "x", "imageID": "",
            "state": {"waiting": {"reason": "CreateContainerConfigError",
                "message": "couldn't find key payment.provider in ConfigMap production/shop-config"}}
        }]}
    }));
    let refs: Vec<String> = pod
        .config_refs
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}",
                r.kind.kind(),
                r.name,
                r.key.as_deref().unwrap_or("-"),
                r.optional,
                r.how
            )
        })
        .collect();
    assert_eq!(
        refs,
        [
            "ConfigMap shop-config payment.provider false env PAYMENT_PROVIDER (app)",
            "Secret db password true env DB_PASSWORD (app)",
            "ConfigMap shop-config - false envFrom (app)",
            "Secret tls-cert - false volume tls",
            "ConfigMap extra a.yaml false volume all",
        ]
    );
    let missing = missing_in(&pod);
    assert_eq!(missing.len(), 1);
    let marked: Vec<&str> = pod
        .config_refs
        .iter()
        .filter(|r| r.is(&missing[0]))
        .map(|r| r.how.as_str())
        .collect();
    assert_eq!(
        marked,
        ["env PAYMENT_PROVIDER (app)"],
        "the ConfigMap itself exists"
    );
}
