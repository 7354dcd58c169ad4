use super::*;

fn selector(v: serde_json::Value) -> LabelSelector {
    serde_json::from_value(v).unwrap()
}

#[test]
fn match_labels_become_the_query_and_expressions_none() {
    let s = selector(serde_json::json!({"matchLabels": {"app": "checkout", "tier": "web"}}));
    assert_eq!(
        list_params(Some(&s)).label_selector.as_deref(),
        Some("app=checkout,tier=web")
    );
    let s = selector(serde_json::json!({"matchLabels": {"app": "checkout"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]}));
    assert_eq!(list_params(Some(&s)).label_selector, None);
    assert_eq!(
        list_params(Some(&selector(serde_json::json!({})))).label_selector,
        None
    );
    assert_eq!(list_params(None).label_selector, None);
}
