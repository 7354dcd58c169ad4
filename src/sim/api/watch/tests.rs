use super::*;
use crate::sim::store::Stored;
use crate::sim::store::selector::{FieldSelector, LabelSelector};
use std::sync::Arc;

fn stored(labels: &[(&str, &str)]) -> Arc<Stored> {
    Arc::new(Stored {
        rv: 5,
        namespace: "prod".into(),
        name: "p".into(),
        json: "{}".into(),
        owners: Vec::new(),
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    })
}

#[test]
fn leaving_a_selector_is_a_delete_for_that_watcher() {
    let filter = Filter {
        labels: LabelSelector::parse("app=web").expect("valid"),
        fields: FieldSelector::default(),
        resource: "pods",
    };
    let change = Change {
        kind: EventType::Modified,
        storage: "pods",
        object: stored(&[("app", "other")]),
        prev: Some(stored(&[("app", "web")])),
    };
    assert_eq!(visible(&change, None, &filter), Some("DELETED"));
    let joined = Change {
        object: stored(&[("app", "web")]),
        prev: Some(stored(&[])),
        ..change
    };
    assert_eq!(visible(&joined, None, &filter), Some("ADDED"));
    assert_eq!(visible(&joined, Some("staging"), &filter), None);
}
