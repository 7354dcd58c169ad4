//! The splitter against lists cut at every byte, and against JSON that tries
//! to look like brackets.

use super::*;

fn split(body: &[u8], chunk: usize) -> (Vec<String>, bool) {
    let mut items = Vec::new();
    let mut s = ListItems::new();
    for part in body.chunks(chunk.max(1)) {
        s.push(part, |t| items.push(t.to_string()));
    }
    (items, s.found_items())
}

/// Every cut of the body into two pieces, and byte by byte, gives what the
/// whole body gives.
fn same_at_every_cut(body: &str) -> Vec<String> {
    let bytes = body.as_bytes();
    let whole = split(bytes, bytes.len());
    assert_eq!(split(bytes, 1), whole, "byte by byte");
    for cut in 0..=bytes.len() {
        let mut items = Vec::new();
        let mut s = ListItems::new();
        s.push(&bytes[..cut], |t| items.push(t.to_string()));
        s.push(&bytes[cut..], |t| items.push(t.to_string()));
        assert_eq!((items, s.found_items()), whole, "cut at {cut}");
    }
    whole.0
}

#[test]
fn items_come_out_whole_wherever_the_body_is_cut() {
    let body = r#"{"kind":"PodMetricsList","apiVersion":"metrics.k8s.io/v1beta1","metadata":{},"items":[{"metadata":{"name":"a","namespace":"n"},"containers":[{"usage":{"cpu":"1m","memory":"1Ki"}}]}, {"metadata":{"name":"b"}}]}"#;
    let items = same_at_every_cut(body);
    assert_eq!(items.len(), 2);
    assert!(items[0].starts_with(r#"{"metadata":{"name":"a""#) && items[0].ends_with("]}"));
    assert_eq!(items[1], r#"{"metadata":{"name":"b"}}"#);
    for item in &items {
        assert!(
            serde_json::from_str::<serde_json::Value>(item).is_ok(),
            "{item}"
        );
    }
}

#[test]
fn brackets_quotes_and_escapes_inside_strings_do_not_count() {
    let body = r#"{"items":[{"n":"}]{[\"\\"},{"n":"\\\"]"},{"n":"é ] } 日本"}]}"#;
    let items = same_at_every_cut(body);
    assert_eq!(
        items,
        [
            r#"{"n":"}]{[\"\\"}"#,
            r#"{"n":"\\\"]"}"#,
            r#"{"n":"é ] } 日本"}"#
        ]
    );
}

#[test]
fn only_the_top_level_items_key_is_the_list() {
    // `items` nested in metadata, and "items" as a value, are not the list;
    // the list's items may come before or after the rest.
    let body = r#"{"metadata":{"items":[{"x":1}]},"kind":"items","items":[{"y":2}],"more":{"items":[{"z":3}]}}"#;
    assert_eq!(same_at_every_cut(body), [r#"{"y":2}"#]);
    let first = r#"{"items":[{"y":2}],"metadata":{"continue":""}}"#;
    assert_eq!(same_at_every_cut(first), [r#"{"y":2}"#]);
}

#[test]
fn empty_null_and_scalar_elements() {
    assert_eq!(same_at_every_cut(r#"{"items":[]}"#), Vec::<String>::new());
    let (items, found) = split(br#"{"items":null}"#, 3);
    assert!(items.is_empty() && !found);
    assert_eq!(
        same_at_every_cut(r#"{"items":[ 1 , null,"s", [2,3] ,{}]}"#),
        ["1", "null", r#""s""#, "[2,3]", "{}"]
    );
}

#[test]
fn a_single_object_or_garbage_has_no_items() {
    for body in [
        r#"{"metadata":{"name":"p"},"containers":[]}"#,
        "",
        "not json at all ]]]}}}",
        "[[[[{{{{",
        r#"{"kind":"Status","code":500}"#,
    ] {
        let (items, found) = split(body.as_bytes(), 2);
        assert!(items.is_empty() && !found, "{body}");
    }
}

#[test]
fn a_cut_off_body_yields_the_items_it_completed() {
    let body = br#"{"items":[{"a":1},{"b":2},{"c":"#;
    let (items, found) = split(body, 5);
    assert!(found);
    assert_eq!(items, [r#"{"a":1}"#, r#"{"b":2}"#]);
}

#[test]
fn invalid_utf8_is_replaced_not_fatal() {
    let mut body = br#"{"items":[{"n":""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe]);
    body.extend_from_slice(br#""},{"m":1}]}"#);
    let (items, _) = split(&body, 4);
    assert_eq!(items, ["{\"n\":\"\u{fffd}\u{fffd}\"}", r#"{"m":1}"#]);
}

#[test]
fn memory_stays_at_one_item_however_long_the_list() {
    let mut body = String::from(r#"{"kind":"PodMetricsList","items":["#);
    for i in 0..10_000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"metadata":{{"name":"pod-{i}","namespace":"ns"}},"containers":[{{"name":"app","usage":{{"cpu":"{i}n","memory":"{i}Ki"}}}}]}}"#
        ));
    }
    body.push_str("]}");
    let mut s = ListItems::new();
    let mut n = 0;
    for part in body.as_bytes().chunks(8192) {
        s.push(part, |_| n += 1);
        assert!(s.pending.capacity() <= 1024, "{}", s.pending.capacity());
    }
    assert_eq!(n, 10_000);
}
