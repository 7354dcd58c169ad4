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
        missing_config("secret \"postgres-credentials\" not found")
            .map(|m| m.describe()),
        Some("Secret postgres-credentials".into())
    );
    assert_eq!(
        missing_config("Error: configmap \"shop-config\" not found").map(|m| m.kind),
        Some(ConfigKind::ConfigMap)
    );
    assert_eq!(
        missing_config("couldn't find key password in Secret production/db")
            .map(|m| m.describe()),
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
