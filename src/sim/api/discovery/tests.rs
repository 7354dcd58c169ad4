use super::*;

#[test]
fn core_list_has_subresources_and_short_names() {
    let list = resource_list("", "v1", &CustomResources::default());
    let names: Vec<&str> = list["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(names.contains(&"pods/log"));
    assert!(names.contains(&"pods"));
    let pods = list["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["name"] == "pods")
        .cloned()
        .unwrap_or_default();
    assert_eq!(pods["shortNames"], json!(["po"]));
    let apps = resource_list("apps", "v1", &CustomResources::default());
    let scale = apps["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["name"] == "deployments/scale")
        .cloned()
        .unwrap_or_default();
    assert_eq!(scale["kind"], "Scale");
    assert_eq!(scale["group"], "autoscaling");
}
