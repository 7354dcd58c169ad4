use serde_json::json;

use super::{decoded_len, shown, to_yaml};

#[test]
fn a_secret_shows_its_keys_and_sizes_never_its_values() {
    let secret = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "postgres-credentials", "namespace": "production",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{\"data\":{\"password\":\"czNjcjN0\"}}"},
            "managedFields": [{"manager": "kubectl"}]},
        "type": "Opaque",
        "data": {"username": "Y2hlY2tvdXQ=", "password": "czNjcjN0LXNpbS1vbmx5"},
        "stringData": {"token": "abc"},
    });
    let text = to_yaml(&shown(secret)).join("\n");
    assert!(text.contains("username: (hidden, 8 bytes)"), "{text}");
    assert!(text.contains("password: (hidden, 15 bytes)"), "{text}");
    assert!(text.contains("token: (hidden, 3 bytes)"), "{text}");
    for value in ["Y2hlY2tvdXQ", "czNjcjN0", "abc\n", "managedFields"] {
        assert!(!text.contains(value), "{value} leaked:\n{text}");
    }
}

#[test]
fn other_kinds_keep_their_data_and_lose_only_managed_fields() {
    let cm = json!({"kind": "ConfigMap", "metadata": {"name": "shop-config", "managedFields": []},
        "data": {"currency": "EUR", "feature.fast-checkout": "true"}});
    assert_eq!(
        to_yaml(&shown(cm)),
        // Keys in order, as kubectl writes them.
        vec![
            "data:",
            "  currency: EUR",
            "  feature.fast-checkout: \"true\"",
            "kind: ConfigMap",
            "metadata:",
            "  name: shop-config",
        ]
    );
}

#[test]
fn lists_nest_the_way_kubectl_writes_them() {
    let pod = json!({"spec": {"containers": [
        {"name": "app", "ports": [{"containerPort": 8080}], "args": ["--port", "8080", ""]},
        {"name": "sidecar", "env": []},
    ]}});
    assert_eq!(
        to_yaml(&pod),
        vec![
            "spec:",
            "  containers:",
            "  - args:",
            "    - \"--port\"",
            "    - \"8080\"",
            "    - \"\"",
            "    name: app",
            "    ports:",
            "    - containerPort: 8080",
            "  - env: []",
            "    name: sidecar",
        ]
    );
}

#[test]
fn strings_yaml_would_misread_are_quoted_and_hostile_text_is_escaped() {
    let v = json!({"a": "yes", "b": "key: value", "c": "line\nbreak", "d": "#x", "e": " lead",
        "f": "\u{1b}[2Jboom", "g": "12:30", "h": "plain text", "i": null});
    let lines = to_yaml(&v);
    assert_eq!(lines[0], "a: \"yes\"");
    assert_eq!(lines[1], "b: \"key: value\"");
    assert_eq!(lines[2], "c: \"line\\nbreak\"");
    assert_eq!(lines[3], "d: \"#x\"");
    assert_eq!(lines[4], "e: \" lead\"");
    assert!(!lines[5].contains('\u{1b}'), "{}", lines[5]);
    assert_eq!(lines[6], "g: \"12:30\"");
    assert_eq!(lines[7], "h: plain text");
    assert_eq!(lines[8], "i: null");
}

#[test]
fn decoded_sizes_follow_base64_padding() {
    assert_eq!(decoded_len(""), 0);
    assert_eq!(decoded_len("YQ=="), 1);
    assert_eq!(decoded_len("YWI="), 2);
    assert_eq!(decoded_len("YWJj"), 3);
}
