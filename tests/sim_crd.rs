//! CustomResourceDefinitions over HTTP, as kube-rs and plain HTTP clients
//! see them: a definition is created and established, discovery lists its
//! group, its resources take every verb (status apart, selectors, watch),
//! their Table has the printer columns, the OpenAPI v3 document has the
//! schema, and deleting the definition deletes the objects and the API.

mod common;

use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{
    Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams, WatchEvent,
    WatchParams,
};
use kube::discovery::{self, Discovery, Scope};
use serde_json::{Value, json};
use warroom::sim::ScenarioName;

fn widget_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "kind": "Widget", "shortNames": ["wg"]},
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "subresources": {"status": {}},
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "description": "What the widget should be.", "properties": {
                        "replicas": {"type": "integer", "description": "How many widgets."},
                        "color": {"type": "string"},
                    }},
                    "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                }}},
                "additionalPrinterColumns": [
                    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
                    {"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"},
                    {"name": "Color", "type": "string", "jsonPath": ".spec.color", "priority": 1},
                    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                ],
            }],
        },
    })
}

async fn get_json(url: &str, accept: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(url)
        .header("Accept", accept)
        .send()
        .await
        .expect("request");
    let code = resp.status().as_u16();
    (code, resp.json().await.unwrap_or(Value::Null))
}

const TABLE: &str = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_definition_serves_its_resources_until_it_is_deleted() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let base = c.url();
    let crds: Api<CustomResourceDefinition> = Api::all(c.client.clone());
    let crd: CustomResourceDefinition = serde_json::from_value(widget_crd()).expect("crd");
    let created = crds
        .create(&PostParams::default(), &crd)
        .await
        .expect("created");
    let status = created.status.expect("status at once");
    let conds: Vec<(String, String)> = status
        .conditions
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.type_, c.status))
        .collect();
    assert!(
        conds.contains(&("Established".into(), "True".into())),
        "{conds:?}"
    );
    assert!(conds.contains(&("NamesAccepted".into(), "True".into())));
    assert_eq!(status.stored_versions, Some(vec!["v1".to_string()]));
    assert_eq!(
        status.accepted_names.expect("accepted names").kind,
        "Widget"
    );

    // A definition the server refuses.
    let mut bad = widget_crd();
    bad["metadata"]["name"] = json!("gadgets.example.com");
    let bad: CustomResourceDefinition = serde_json::from_value(bad).expect("crd");
    let (code, _, message) = api_error(crds.create(&PostParams::default(), &bad).await);
    assert_eq!(code, 422);
    assert!(
        message.contains("must be spec.names.plural+\".\"+spec.group"),
        "{message}"
    );

    // Discovery finds it, as kube-rs runs it.
    let discovery = Discovery::new(c.client.clone())
        .run()
        .await
        .expect("discovery");
    let (ar, caps) = discovery
        .groups()
        .flat_map(|g| g.recommended_resources())
        .find(|(ar, _)| ar.kind == "Widget")
        .expect("Widget discovered");
    assert_eq!(ar.group, "example.com");
    assert_eq!(ar.plural, "widgets");
    assert_eq!(caps.scope, Scope::Namespaced);
    let (ar, _) = discovery::pinned_kind(
        &c.client,
        &kube::api::GroupVersionKind::gvk("example.com", "v1", "Widget"),
    )
    .await
    .expect("pinned kind");
    let widgets: Api<DynamicObject> = Api::namespaced_with(c.client.clone(), "production", &ar);

    // Every verb.
    let w: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "example.com/v1", "kind": "Widget",
        "metadata": {"name": "blue", "labels": {"tier": "front"}},
        "spec": {"replicas": 2, "color": "blue"},
        "status": {"ignored": true},
    }))
    .expect("widget");
    let blue = widgets
        .create(&PostParams::default(), &w)
        .await
        .expect("create");
    assert!(blue.data.get("status").is_none(), "status is a subresource");
    assert_eq!(blue.metadata.generation, Some(1));
    let mut red = w.clone();
    red.metadata.name = Some("red".into());
    red.metadata.labels = None;
    widgets
        .create(&PostParams::default(), &red)
        .await
        .expect("create red");
    let listed = widgets
        .list(&ListParams::default().labels("tier=front"))
        .await
        .expect("list");
    assert_eq!(names(&listed.items), ["blue"]);
    let listed = widgets
        .list(&ListParams::default().fields("metadata.name=red"))
        .await
        .expect("list by field");
    assert_eq!(names(&listed.items), ["red"]);

    let patched = widgets
        .patch(
            "blue",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 3}})),
        )
        .await
        .expect("merge patch");
    assert_eq!(patched.data["spec"]["replicas"], 3);
    assert_eq!(patched.metadata.generation, Some(2));
    let patched = widgets
        .patch(
            "blue",
            &PatchParams::default(),
            &Patch::<Value>::Json(
                serde_json::from_value(
                    json!([{"op": "replace", "path": "/spec/color", "value": "navy"}]),
                )
                .expect("json patch"),
            ),
        )
        .await
        .expect("json patch");
    assert_eq!(patched.data["spec"]["color"], "navy");
    let status = widgets
        .patch_status(
            "blue",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}, "spec": {"replicas": 99}})),
        )
        .await
        .expect("status patch");
    assert_eq!(status.data["status"]["conditions"][0]["status"], "True");
    assert_eq!(
        status.data["spec"]["replicas"], 3,
        "status writes leave spec alone"
    );
    let applied = widgets
        .patch(
            "green",
            &PatchParams::apply("widget-test"),
            &Patch::Apply(json!({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "green"}, "spec": {"replicas": 1}})),
        )
        .await
        .expect("server-side apply");
    assert_eq!(applied.data["spec"]["replicas"], 1);

    // A watch sees changes.
    let rv = widgets
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version;
    let mut stream = widgets
        .watch(&WatchParams::default(), &rv.unwrap_or_default())
        .await
        .expect("watch")
        .boxed();
    widgets
        .patch(
            "red",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"color": "crimson"}})),
        )
        .await
        .expect("patch red");
    let event = tokio::time::timeout(Duration::from_secs(10), stream.try_next())
        .await
        .expect("an event in time")
        .expect("watch ok")
        .expect("an event");
    match event {
        WatchEvent::Modified(o) => assert_eq!(o.metadata.name.as_deref(), Some("red")),
        other => panic!("expected MODIFIED, got {other:?}"),
    }

    // The Table, with the printer columns.
    c.advance(Duration::from_secs(300)).await;
    let url = format!("{base}/apis/example.com/v1/namespaces/production/widgets");
    let (code, table) = get_json(&url, TABLE).await;
    assert_eq!(code, 200);
    let columns: Vec<&str> = table["columnDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(columns, ["Name", "Replicas", "Ready", "Color", "Age"]);
    let blue_row = table["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["cells"][0] == "blue")
        .expect("blue row");
    assert_eq!(blue_row["cells"], json!(["blue", 3, "True", "navy", "5m"]));
    assert_eq!(table["rows"].as_array().map(Vec::len), Some(3));

    // The Table of a watch.
    let resp = reqwest::Client::new()
        .get(format!("{url}?watch=true&timeoutSeconds=1"))
        .header("Accept", TABLE)
        .send()
        .await
        .expect("watch as table");
    let text = resp.text().await.expect("body");
    let first: Value = serde_json::from_str(text.lines().next().expect("a line")).expect("json");
    assert_eq!(first["type"], "ADDED");
    assert_eq!(first["object"]["kind"], "Table");
    assert_eq!(first["object"]["columnDefinitions"][1]["name"], "Replicas");

    // OpenAPI v3: the index and the group's document.
    let (_, index) = get_json(&format!("{base}/openapi/v3"), "application/json").await;
    assert!(
        index["paths"].get("apis/example.com/v1").is_some(),
        "{index}"
    );
    let (code, doc) = get_json(
        &format!("{base}/openapi/v3/apis/example.com/v1"),
        "application/json",
    )
    .await;
    assert_eq!(code, 200);
    let schema = &doc["components"]["schemas"]["com.example.v1.Widget"];
    assert_eq!(
        schema["properties"]["spec"]["properties"]["replicas"]["type"],
        "integer"
    );
    assert_eq!(
        schema["x-kubernetes-group-version-kind"][0]["kind"],
        "Widget"
    );

    // deletecollection, then delete the definition: the objects and the API go.
    widgets
        .delete_collection(
            &DeleteParams::default(),
            &ListParams::default().labels("tier=front"),
        )
        .await
        .expect("deletecollection");
    assert_eq!(
        widgets
            .list(&ListParams::default())
            .await
            .expect("list")
            .items
            .len(),
        2
    );
    crds.delete("widgets.example.com", &DeleteParams::default())
        .await
        .expect("delete crd");
    let (code, _) = get_json(&url, "application/json").await;
    assert_eq!(code, 404);
    let (code, _) = get_json(&format!("{base}/apis/example.com/v1"), "application/json").await;
    assert_eq!(code, 404);
    let (_, groups) = get_json(&format!("{base}/apis"), "application/json").await;
    assert!(!groups.to_string().contains("example.com"));
    // Recreated, it is empty: the objects went with the definition.
    crds.create(&PostParams::default(), &crd)
        .await
        .expect("created again");
    let (code, list) = get_json(&url, "application/json").await;
    assert_eq!(code, 200);
    assert_eq!(list["items"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_has_certificates_and_a_scaled_object() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let base = c.url();
    let (code, table) = get_json(
        &format!("{base}/apis/cert-manager.io/v1/namespaces/production/certificates"),
        TABLE,
    )
    .await;
    assert_eq!(code, 200);
    let rows: Vec<Value> = table["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| r["cells"].clone())
        .collect();
    assert_eq!(rows[0][0], "api-tls");
    assert_eq!(rows[0][1], "False");
    assert_eq!(rows[0][2], "api-tls");
    assert!(
        rows[0][4]
            .as_str()
            .is_some_and(|s| s.starts_with("Certificate expired on "))
    );
    assert_eq!(rows[0][5], "120m");
    assert_eq!(rows[1][0], "shop-tls");
    assert_eq!(rows[1][1], "True");

    let (code, table) = get_json(
        &format!("{base}/apis/keda.sh/v1alpha1/namespaces/production/scaledobjects"),
        TABLE,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(
        table["rows"][0]["cells"],
        json!([
            "worker",
            "apps/v1.Deployment",
            "worker",
            1,
            8,
            "prometheus",
            null,
            "True",
            "False",
            "False",
            "False",
            "120m"
        ])
    );
}
