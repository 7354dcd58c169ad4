use super::*;
use serde_json::json;

#[test]
fn empties_are_nothing_at_any_depth() {
    assert_eq!(
        normalized(&json!({"a": null, "b": {}, "c": [], "d": {"e": {}, "f": 1}, "g": [{}]})),
        json!({"d": {"f": 1}, "g": [{}]})
    );
}
