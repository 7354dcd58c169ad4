use serde_json::json;

use super::parse;

#[test]
fn a_custom_resource_table_keeps_its_columns_rows_and_list_metadata() {
    let t = parse(&json!({
        "kind": "Table", "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": "42", "continue": "abc"},
        "columnDefinitions": [
            {"name": "Name", "type": "string", "format": "name", "description": "name", "priority": 0},
            {"name": "Ready", "type": "string", "description": "", "priority": 0},
            {"name": "Secret", "type": "string", "description": "", "priority": 1},
            {"name": "Age", "type": "date", "description": "", "priority": 0},
        ],
        "rows": [
            {"cells": ["shop-tls", "True", "shop-tls", "5m"], "object": {"kind": "PartialObjectMetadata", "metadata": {"name": "shop-tls", "namespace": "production"}}},
            {"cells": ["api-tls", null, 3, true], "object": {"metadata": {"name": "api-tls", "namespace": "production"}}},
            {"cells": ["short"]},
        ],
    }))
    .unwrap();
    assert_eq!(t.columns.len(), 4);
    assert_eq!(t.columns[2].priority, 1);
    assert_eq!(t.resource_version.as_deref(), Some("42"));
    assert_eq!(t.next.as_deref(), Some("abc"));
    assert_eq!(t.rows[0].key.to_string(), "production/shop-tls");
    assert_eq!(t.rows[1].cells, vec!["api-tls", "", "3", "true"]);
    // A row without metadata is named by its first cell and padded.
    assert_eq!(t.rows[2].key.name, "short");
    assert_eq!(t.rows[2].cells.len(), 4);
    assert_eq!(t.name_column(), Some(0));
}

#[test]
fn a_cell_cannot_drive_the_terminal_and_a_non_table_is_an_error() {
    let t = parse(
        &json!({"kind": "Table", "columnDefinitions": [{"name": "Name"}],
        "rows": [{"cells": ["\u{1b}]52;c;aGk=\u{7}"]}]}),
    )
    .unwrap();
    assert!(!t.rows[0].cells[0].contains('\u{1b}'));
    let err = parse(&json!({"kind": "ServiceList", "items": []})).unwrap_err();
    assert!(err.contains("ServiceList"), "{err}");
}
