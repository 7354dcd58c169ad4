use super::*;

#[test]
fn paths_map_to_resources() {
    let t = parse_target("/api/v1/namespaces/prod/pods/web-1/log")
        .expect("ok")
        .expect("resource");
    assert_eq!(
        (
            t.rt.plural,
            t.namespace.as_deref(),
            t.name.as_deref(),
            t.subresource.as_deref()
        ),
        ("pods", Some("prod"), Some("web-1"), Some("log"))
    );
    let t = parse_target("/api/v1/namespaces/prod")
        .expect("ok")
        .expect("resource");
    assert_eq!(
        (t.rt.plural, t.namespace.as_deref(), t.name.as_deref()),
        ("namespaces", None, Some("prod"))
    );
    let t = parse_target("/api/v1/namespaces/prod/status")
        .expect("ok")
        .expect("resource");
    assert_eq!(
        (t.rt.plural, t.name.as_deref(), t.subresource.as_deref()),
        ("namespaces", Some("prod"), Some("status"))
    );
    let t = parse_target("/apis/apps/v1/deployments")
        .expect("ok")
        .expect("resource");
    assert_eq!((t.rt.plural, t.namespace.as_deref()), ("deployments", None));
    let t = parse_target("/apis/apps/v1/namespaces/p/deployments/web/scale")
        .expect("ok")
        .expect("resource");
    assert_eq!(t.subresource.as_deref(), Some("scale"));
    assert!(
        parse_target("/api/v1/nodes/n1/log").is_err(),
        "nodes have no log subresource"
    );
    assert!(parse_target("/apis/apps/v1/namespaces/p/widgets").is_err());
    assert!(parse_target("/api").expect("ok").is_none());
}

#[test]
fn verbs_follow_method_and_shape() {
    let t = parse_target("/api/v1/pods").expect("ok");
    assert_eq!(verb_of(&Method::GET, t.as_ref(), &[]), "list");
    assert_eq!(
        verb_of(&Method::GET, t.as_ref(), &[("watch".into(), "true".into())]),
        "watch"
    );
    assert_eq!(
        verb_of(&Method::DELETE, t.as_ref(), &[]),
        "deletecollection"
    );
}

#[test]
fn query_decoding_is_forgiving() {
    assert_eq!(
        percent_decode("app%3Dweb%2Ctier+in+%28a%29"),
        "app=web,tier in (a)"
    );
    assert_eq!(percent_decode("50%"), "50%");
    assert_eq!(percent_decode("%zz"), "%zz");
}
