use std::time::Duration;

use super::*;

#[test]
fn parses_the_documented_spec() {
    let f: Faults = "drop-watch=5s,error-rate=0.1,latency=200ms,expire-rv=30s"
        .parse()
        .expect("valid");
    assert_eq!(f.drop_watch, Some(Duration::from_secs(5)));
    assert_eq!(f.latency, Some(Duration::from_millis(200)));
    assert_eq!(f.expire_rv, Some(Duration::from_secs(30)));
    assert!((f.error_rate - 0.1).abs() < 1e-9);
    assert!(f.forbid.is_empty());
}

#[test]
fn forbid_names_resources_by_plural_and_group() {
    let f: Faults = "forbid=nodes+deployments.apps+nodes.metrics.k8s.io"
        .parse()
        .expect("valid");
    assert!(f.forbids("", "nodes"));
    assert!(f.forbids("apps", "deployments"));
    assert!(f.forbids("metrics.k8s.io", "nodes"));
    assert!(!f.forbids("", "pods"));
    assert!(!f.forbids("metrics.k8s.io", "pods"));
    let logs: Faults = "forbid=pods/log".parse().expect("valid");
    assert!(logs.forbids_sub("", "pods", Some("log")));
    assert!(!logs.forbids_sub("", "pods", None));
    assert!(!logs.forbids_sub("", "pods", Some("status")));
    let pods: Faults = "forbid=pods".parse().expect("valid");
    assert!(pods.forbids_sub("", "pods", Some("log")));
    let only_core: Faults = "forbid=nodes".parse().expect("valid");
    assert!(!only_core.forbids("metrics.k8s.io", "nodes"));
    assert!("forbid=".parse::<Faults>().is_err());
    assert!("forbid=Nodes".parse::<Faults>().is_err());
}

#[test]
fn rejects_nonsense_with_a_reason() {
    assert!(
        "latency=fast"
            .parse::<Faults>()
            .unwrap_err()
            .contains("fast")
    );
    assert!("error-rate=2".parse::<Faults>().is_err());
    assert!(
        "explode=1s"
            .parse::<Faults>()
            .unwrap_err()
            .contains("unknown fault")
    );
    assert!(
        "latency"
            .parse::<Faults>()
            .unwrap_err()
            .contains("key=value")
    );
    assert!(parse_duration("5").is_err());
    assert!(parse_duration("-5s").is_err());
    assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
    assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
    assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
    assert_eq!(parse_duration(" 2h "), Ok(Duration::from_secs(7200)));
}

#[test]
fn namespace_only_allows_that_namespace_and_nothing_else() {
    let f: Faults = "namespace-only=production".parse().expect("valid");
    assert_eq!(f.namespace_only.as_deref(), Some("production"));
    assert!(!f.outside_namespace(Some("production")));
    assert!(f.outside_namespace(Some("default")));
    // All namespaces, or a cluster-scoped resource (nodes).
    assert!(f.outside_namespace(None));
    assert!(!Faults::default().outside_namespace(None));
    assert!("namespace-only=".parse::<Faults>().is_err());
    assert!("namespace-only=Prod".parse::<Faults>().is_err());
}
