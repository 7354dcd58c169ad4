use super::*;

fn widget_crd() -> Value {
    json!({
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wg"]},
            "versions": [
                {"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {"type": "object"}},
                 "subresources": {"status": {}},
                 "additionalPrinterColumns": [{"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"}]},
                {"name": "v1beta1", "served": true, "storage": false, "schema": {"openAPIV3Schema": {"type": "object"}}},
            ],
        },
    })
}

fn established(mut crd: Value) -> Value {
    default_crd(&mut crd);
    crd["status"] = accepted_status(&crd, None, "2026-01-01T00:00:00Z");
    crd
}

#[test]
fn a_valid_definition_passes_and_is_defaulted() {
    let mut crd = widget_crd();
    default_crd(&mut crd);
    assert_eq!(crd["spec"]["names"]["singular"], "widget");
    assert_eq!(crd["spec"]["names"]["listKind"], "WidgetList");
    assert!(validate_crd(&crd, None).is_empty());
}

#[test]
fn the_name_must_be_plural_dot_group() {
    let mut crd = widget_crd();
    crd["metadata"]["name"] = json!("widget.example.com");
    default_crd(&mut crd);
    let causes = validate_crd(&crd, None);
    assert!(
        causes.iter().any(|(f, m)| f == "metadata.name"
            && m.contains("must be spec.names.plural+\".\"+spec.group")),
        "{causes:?}"
    );
}

#[test]
fn exactly_one_storage_version_and_a_known_scope() {
    let mut crd = widget_crd();
    crd["spec"]["versions"][1]["storage"] = json!(true);
    crd["spec"]["scope"] = json!("Global");
    default_crd(&mut crd);
    let causes = validate_crd(&crd, None);
    assert!(causes.iter().any(|(f, m)| f == "spec.versions"
        && m.contains("must have exactly one version marked as storage version")));
    assert!(
        causes.iter().any(|(f, m)| f == "spec.scope"
            && m.contains("supported values: \"Cluster\", \"Namespaced\""))
    );
}

#[test]
fn scope_is_immutable_once_established() {
    let old = established(widget_crd());
    let mut new = old.clone();
    new["spec"]["scope"] = json!("Cluster");
    let causes = validate_crd(&new, Some(&old));
    assert!(
        causes
            .iter()
            .any(|(f, m)| f == "spec.scope" && m.contains("field is immutable"))
    );
}

#[test]
fn status_accepts_names_and_records_the_storage_version() {
    let crd = established(widget_crd());
    let status = &crd["status"];
    let types: Vec<&str> = status["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["type"].as_str())
        .collect();
    assert_eq!(types, ["NamesAccepted", "Established"]);
    assert_eq!(status["conditions"][1]["reason"], "InitialNamesAccepted");
    assert_eq!(status["acceptedNames"]["kind"], "Widget");
    assert_eq!(status["storedVersions"], json!(["v1"]));
}

#[test]
fn served_versions_are_interned_once_and_preferred_first() {
    let crd = established(widget_crd());
    assert!(served_versions(&widget_crd()).is_empty(), "not established");
    let a = served_versions(&crd);
    let b = served_versions(&crd);
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].rt.version, "v1");
    assert!(
        std::ptr::eq(a[0].rt, b[0].rt),
        "one leaked type per definition"
    );
    assert_eq!(a[0].rt.storage, "widgets.example.com");
    assert_eq!(a[0].rt.subresources, ["status"]);
    assert!(a[1].rt.subresources.is_empty());
    assert_eq!(a[0].columns[0].json_path, ".spec.replicas");
    assert_eq!(a[1].columns[0].name, "Age", "no columns: the age");
    let mut served = CustomResources::default();
    served.set(&crd);
    assert_eq!(
        served.groups(),
        vec![(
            "example.com".to_string(),
            vec!["v1".to_string(), "v1beta1".to_string()]
        )]
    );
    assert!(
        served
            .version("example.com", "v1beta1", "widgets")
            .is_some()
    );
    served.remove("widgets.example.com");
    assert!(served.version("example.com", "v1", "widgets").is_none());
}

#[test]
fn versions_sort_as_kubernetes_sorts_them() {
    let mut v = vec!["v1alpha1", "v2", "v1beta2", "v1", "foo", "v1beta1"];
    v.sort_by_key(|x| std::cmp::Reverse(version_priority(x)));
    assert_eq!(v, ["v2", "v1", "v1beta2", "v1beta1", "v1alpha1", "foo"]);
}
