use super::*;

#[test]
fn lookups_on_sorted_pairs() {
    let l: Labels = [
        ("tier", "web"),
        ("app", "checkout"),
        ("pod-template-hash", "7d8f"),
    ]
    .into_iter()
    .collect();
    assert_eq!(l.get("app"), Some("checkout"));
    assert_eq!(l.get("tier"), Some("web"));
    assert_eq!(l.get("zzz"), None);
    assert!(l.contains_key("pod-template-hash"));
    assert_eq!(
        l.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        ["app", "pod-template-hash", "tier"]
    );
    assert!(Labels::default().is_empty());
}
