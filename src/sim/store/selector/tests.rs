use super::*;
use serde_json::json;

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn sel(s: &str) -> LabelSelector {
    LabelSelector::parse(s).unwrap()
}

#[test]
fn label_operators() {
    let web = labels(&[
        ("app", "web"),
        ("tier", "front"),
        ("example.com/team", "sre"),
    ]);
    let db = labels(&[("app", "db")]);
    let cases = [
        ("", true, true),
        ("app=web", true, false),
        ("app==web", true, false),
        ("app!=web", false, true),
        ("tier!=back", true, true),
        ("app in (web,db)", true, true),
        ("app in (api)", false, false),
        ("tier notin (front)", false, true),
        ("tier", true, false),
        ("!tier", false, true),
        ("example.com/team=sre", true, false),
        ("app=web,tier=front", true, false),
        ("  app  in ( web , db ) ,  !missing ", true, true),
        ("app=web,tier=back", false, false),
        ("tier=", false, false),
        ("tier!=,app", true, true),
    ];
    for (s, w, d) in cases {
        let sel = sel(s);
        assert_eq!((sel.matches(&web), sel.matches(&db)), (w, d), "{s}");
    }
    assert!(sel("").is_empty() && sel("   ").is_empty() && !sel("a").is_empty());
    assert_eq!(sel("a==b"), sel("a=b"));
}

#[test]
fn label_errors() {
    let bad = [
        ("a in (b", "')'"),
        ("=x", "'='"),
        ("a=b,", "after ','"),
        ("a=b c", "','"),
        ("a in b", "'('"),
        ("a=(", "'('"),
        ("a b", "'b'"),
        ("!", "after '!'"),
        ("a$b=c", "a$b"),
        ("a=b$", "b$"),
        ("/a=b", "/a"),
        ("a/=b", "a/"),
    ];
    for (s, needle) in bad {
        let e = LabelSelector::parse(s).unwrap_err();
        assert!(e.0.starts_with("unable to parse requirement: "), "{e}");
        assert!(e.0.contains(needle), "{s}: {e} should mention {needle}");
    }
    let long = format!("a={}", "x".repeat(64));
    assert!(LabelSelector::parse(&long).is_err());
    assert!(LabelSelector::parse(&format!("a={}", "x".repeat(63))).is_ok());
}

#[test]
fn label_display() {
    let s = sel("tier in (b, a),app=web,!gone,x notin (z),has,y!=n");
    assert_eq!(
        s.to_string(),
        "app=web,!gone,has,tier in (a,b),x notin (z),y!=n"
    );
    assert_eq!(sel(&s.to_string()), s);
    assert_eq!(sel("").to_string(), "");
    assert_eq!(sel("a in ()").to_string(), "a in ()");
}

#[test]
fn label_from_json() {
    let v = json!({"matchLabels": {"app": "web"}, "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["front", "edge"]},
        {"key": "canary", "operator": "DoesNotExist"},
        {"key": "zone", "operator": "NotIn", "values": ["b"]},
        {"key": "owner", "operator": "Exists", "values": []}]});
    let s = LabelSelector::from_json(&v).unwrap();
    assert_eq!(
        s.to_string(),
        "app=web,!canary,owner,tier in (edge,front),zone notin (b)"
    );
    assert!(s.matches(&labels(&[("app", "web"), ("tier", "edge"), ("owner", "x")])));
    assert!(!s.matches(&labels(&[("app", "web"), ("tier", "edge")])));
    assert!(!s.matches(&labels(&[
        ("app", "web"),
        ("tier", "edge"),
        ("owner", "x"),
        ("canary", "")
    ])));
    let empty = LabelSelector::from_json(&json!({})).unwrap();
    assert!(empty.is_empty() && empty.matches(&labels(&[])));
    let bad = [
        json!(null),
        json!([]),
        json!({"matchLabels": ["a"]}),
        json!({"matchLabels": {"a": 1}}),
        json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}),
        json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
        json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]}),
        json!({"matchExpressions": [{"operator": "Exists"}]}),
        json!({"matchLabels": {"bad key": "v"}}),
    ];
    for b in bad {
        assert!(LabelSelector::from_json(&b).is_err(), "{b}");
    }
}

#[test]
fn field_parse_and_escapes() {
    let f = FieldSelector::parse(r"metadata.name=a\,b\=c\\d,status.phase!=Running").unwrap();
    assert_eq!(
        f.fields().collect::<Vec<_>>(),
        ["metadata.name", "status.phase"]
    );
    assert!(f.matches(|k| {
        Some(
            if k == "metadata.name" {
                r"a,b=c\d"
            } else {
                "Pending"
            }
            .into(),
        )
    }));
    assert!(!f.matches(|k| Some(if k == "metadata.name" { "a" } else { "Pending" }.into())));
    let f = FieldSelector::parse("spec.nodeName==,").unwrap();
    assert!(f.matches(|_| None) && !f.matches(|_| Some("node-1".into())));
    assert!(FieldSelector::parse("").unwrap().is_empty());
    for bad in ["status.phase", "=x", r"a=b\", r"a=b\n", "a=b=c", "!=x"] {
        let e = FieldSelector::parse(bad).unwrap_err();
        assert!(
            e.0.starts_with("unable to parse requirement: "),
            "{bad}: {e}"
        );
    }
}

#[test]
fn field_values_for_pods_nodes_events() {
    let pod = json!({"metadata": {"name": "web-1", "namespace": "prod"},
        "spec": {"nodeName": "node-a", "restartPolicy": "Always"},
        "status": {"phase": "Running", "podIP": "10.0.0.5"}});
    let get = |f: &str| field_value("pods", &pod, f);
    assert_eq!(get("spec.nodeName").as_deref(), Some("node-a"));
    assert_eq!(get("metadata.name").as_deref(), Some("web-1"));
    assert_eq!(get("status.phase").as_deref(), Some("Running"));
    assert_eq!(get("status.nominatedNodeName").as_deref(), Some(""));
    assert_eq!(get("spec.hostNetwork").as_deref(), Some("false"));
    assert_eq!(get("spec.containers"), None);
    assert!(!field_supported("pods", "spec.foo") && field_supported("configmaps", "metadata.name"));
    let f = FieldSelector::parse("spec.nodeName=node-a,status.phase!=Succeeded").unwrap();
    assert!(f.fields().all(|k| field_supported("pods", k)));
    assert!(f.matches(get));

    let node = json!({"metadata": {"name": "n1"}, "spec": {}});
    assert_eq!(
        field_value("nodes", &node, "spec.unschedulable").as_deref(),
        Some("false")
    );
    let node = json!({"metadata": {"name": "n1"}, "spec": {"unschedulable": true}});
    assert_eq!(
        field_value("nodes", &node, "spec.unschedulable").as_deref(),
        Some("true")
    );
    assert_eq!(
        field_value("nodes", &node, "metadata.namespace").as_deref(),
        Some("")
    );

    let ev = json!({"metadata": {"name": "web-1.17a", "namespace": "prod"},
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "prod", "uid": "u1"},
        "reason": "BackOff", "type": "Warning", "source": {"component": "kubelet"}});
    let get = |f: &str| field_value("events", &ev, f);
    assert_eq!(get("involvedObject.kind").as_deref(), Some("Pod"));
    assert_eq!(get("regarding.name").as_deref(), Some("web-1"));
    assert_eq!(get("metadata.namespace").as_deref(), Some("prod"));
    assert_eq!(get("involvedObject.fieldPath").as_deref(), Some(""));
    assert_eq!(get("source").as_deref(), Some("kubelet"));
    assert_eq!(get("involvedObject.bogus"), None);
    let f = FieldSelector::parse("involvedObject.name=web-1,type=Warning,reason!=Pulled").unwrap();
    assert!(f.matches(get));

    let ev2 = json!({"regarding": {"kind": "Node", "name": "n1"}, "reportingController": "kubelet",
        "deprecatedSource": {"component": "kubelet"}, "reason": "NodeNotReady"});
    let get = |f: &str| field_value("events.events.k8s.io", &ev2, f);
    assert_eq!(get("involvedObject.kind").as_deref(), Some("Node"));
    assert_eq!(get("regarding.name").as_deref(), Some("n1"));
    assert_eq!(get("reportingComponent").as_deref(), Some("kubelet"));
    assert_eq!(get("source").as_deref(), Some("kubelet"));

    let secret = json!({"type": "kubernetes.io/tls"});
    assert_eq!(
        field_value("secrets", &secret, "type").as_deref(),
        Some("kubernetes.io/tls")
    );
    let rs = json!({"status": {"replicas": 3}});
    assert_eq!(
        field_value("replicasets", &rs, "status.replicas").as_deref(),
        Some("3")
    );
    assert_eq!(field_value("deployments", &rs, "status.replicas"), None);
}
