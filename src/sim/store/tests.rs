use super::*;
use serde_json::json;

fn pod(ns: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"namespace": ns, "name": name, "labels": {"app": name}}})
}

#[test]
fn versions_increase_and_list_is_key_ordered() {
    let mut s = Store::new(100);
    s.put("pods", pod("b", "x"));
    s.put("pods", pod("a", "y"));
    s.put("pods", pod("a", "x"));
    let all = s.list("pods", None, None);
    let keys: Vec<_> = all
        .items
        .iter()
        .map(|o| format!("{}/{}", o.namespace, o.name))
        .collect();
    assert_eq!(keys, ["a/x", "a/y", "b/x"]);
    assert_eq!(all.rv, 4);
    let a = s.list("pods", Some("a"), None);
    assert_eq!(a.items.len(), 2);
    let after = s.list("pods", None, Some(&("a".into(), "y".into())));
    assert_eq!(after.items.len(), 1);
}

#[test]
fn history_window_expires_old_versions() {
    let mut s = Store::new(16);
    for i in 0..40 {
        s.put("pods", pod("a", &format!("p{i}")));
    }
    assert!(
        s.changes_since(2).is_err(),
        "version 2 fell out of the window"
    );
    let recent = s.changes_since(s.resource_version() - 3).expect("recent");
    assert_eq!(recent.len(), 3);
    s.compact_all();
    assert_eq!(
        s.changes_since(s.resource_version())
            .expect("current")
            .len(),
        0
    );
    let err = s.changes_since(s.resource_version() - 1).expect_err("gone");
    assert_eq!(err.code, 410);
}

#[test]
fn delete_emits_the_last_state_with_a_new_version() {
    let mut s = Store::new(100);
    s.put("pods", pod("a", "x"));
    let gone = s.remove("pods", "a", "x").expect("existed");
    assert_eq!(gone.rv, 3);
    assert!(gone.json.contains("\"resourceVersion\":\"3\""));
    let changes = s.changes_since(2).expect("in window");
    assert_eq!(changes[0].kind, EventType::Deleted);
    assert!(s.get("pods", "a", "x").is_none());
}
