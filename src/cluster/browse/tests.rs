use super::{collection, query_value};
use crate::model::api_resource::ApiKind;

fn kind(group: &str, plural: &str, namespaced: bool) -> ApiKind {
    ApiKind {
        group: group.into(),
        version: "v1".into(),
        plural: plural.into(),
        singular: String::new(),
        kind: String::new(),
        namespaced,
        short_names: Vec::new(),
        verbs: Vec::new(),
    }
}

#[test]
fn paths_follow_group_and_scope() {
    assert_eq!(
        collection(&kind("", "services", true), Some("shop")),
        "/api/v1/namespaces/shop/services"
    );
    assert_eq!(
        collection(&kind("", "services", true), None),
        "/api/v1/services"
    );
    assert_eq!(
        collection(
            &kind("cert-manager.io", "clusterissuers", false),
            Some("shop")
        ),
        "/apis/cert-manager.io/v1/clusterissuers"
    );
}

#[test]
fn continue_tokens_are_percent_encoded() {
    assert_eq!(query_value("eyJ2Ijoi+/="), "eyJ2Ijoi%2B%2F%3D");
}
