use super::*;

#[test]
fn every_served_kind_has_its_schema_tagged_with_its_group_version_kind() {
    let defs = &definitions().schemas;
    let tagged: Vec<String> = defs
        .values()
        .filter_map(|d| d.get("x-kubernetes-group-version-kind"))
        .map(|g| {
            format!(
                "{}/{}",
                g[0]["group"].as_str().unwrap_or(""),
                g[0]["kind"].as_str().unwrap_or("")
            )
        })
        .collect();
    for want in [
        "/Pod",
        "apps/Deployment",
        "/ConfigMap",
        "events.k8s.io/Event",
        "/Event",
    ] {
        assert!(tagged.iter().any(|t| t == want), "{want} in {tagged:?}");
    }
    // A kind's schema refers to others, and every one is there.
    let pod = &defs["io.k8s.api.core.v1.Pod"];
    assert_eq!(
        pod["properties"]["spec"]["$ref"],
        "#/definitions/io.k8s.api.core.v1.PodSpec"
    );
    let text = serde_json::to_string(defs).unwrap();
    for r in text.split("\"#/definitions/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(defs.contains_key(name), "{name} is referred to and defined");
    }
}

#[test]
fn v3_wraps_references_with_siblings_in_all_of() {
    let doc = v3_group("apis/apps/v1").expect("apps/v1");
    let schemas = &doc["components"]["schemas"];
    let spec = &schemas["io.k8s.api.apps.v1.Deployment"]["properties"]["spec"];
    assert_eq!(
        spec["allOf"][0]["$ref"],
        "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"
    );
    assert!(spec["description"].is_string());
    let patch = &doc["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
    assert_eq!(
        patch["x-kubernetes-group-version-kind"]["kind"],
        "Deployment"
    );
    assert_eq!(patch["parameters"][0]["name"], "fieldValidation");
    assert!(v3_group("apis/nope/v1").is_none());
}

/// Reads a protobuf message's fields back: (field number, wire type,
/// payload bytes or value).
fn fields(mut b: &[u8]) -> Vec<(u64, u64, Vec<u8>)> {
    fn varint(b: &mut &[u8]) -> u64 {
        let mut v = 0;
        let mut shift = 0;
        loop {
            let byte = b[0];
            *b = &b[1..];
            v |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return v;
            }
            shift += 7;
        }
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let key = varint(&mut b);
        let (field, wire) = (key >> 3, key & 7);
        let payload = match wire {
            0 => varint(&mut b).to_le_bytes().to_vec(),
            1 => {
                let v = b[..8].to_vec();
                b = &b[8..];
                v
            }
            2 => {
                let n = varint(&mut b) as usize;
                let v = b[..n].to_vec();
                b = &b[n..];
                v
            }
            other => panic!("wire type {other}"),
        };
        out.push((field, wire, payload));
    }
    out
}

fn field(b: &[u8], n: u64) -> Vec<Vec<u8>> {
    fields(b)
        .into_iter()
        .filter(|(f, _, _)| *f == n)
        .map(|(_, _, p)| p)
        .collect()
}

#[test]
fn the_protobuf_document_holds_paths_with_their_kind_and_the_definitions() {
    let doc = v2_protobuf();
    assert_eq!(field(doc, 1), [b"2.0".to_vec()]);
    // paths (8) → NamedPathItem (2): the deployment's patch names its kind
    // in a YAML extension and takes fieldValidation.
    let paths = &field(doc, 8)[0];
    let deployment = field(paths, 2)
        .into_iter()
        .find(|named| {
            field(named, 1)[0] == b"/apis/apps/v1/namespaces/{namespace}/deployments/{name}"
        })
        .expect("the deployment path");
    let patch = &field(&field(&deployment, 2)[0], 8)[0];
    let ext = field(patch, 13);
    let gvk = ext
        .iter()
        .find(|e| field(e, 1)[0] == b"x-kubernetes-group-version-kind")
        .expect("gvk extension");
    let yaml = String::from_utf8(field(&field(gvk, 2)[0], 2)[0].clone()).unwrap();
    let value: Value = serde_json::from_str(&yaml).unwrap();
    assert_eq!(value["kind"], "Deployment");
    let query = &field(&field(&field(&field(patch, 8)[0], 1)[0], 2)[0], 3)[0];
    assert_eq!(field(query, 4)[0], b"fieldValidation");
    // definitions (9) → NamedSchema (1): PodSpec's containers are an array
    // of references.
    let defs = &field(doc, 9)[0];
    let pod_spec = field(defs, 1)
        .into_iter()
        .find(|named| field(named, 1)[0] == b"io.k8s.api.core.v1.PodSpec")
        .expect("PodSpec");
    let schema = &field(&pod_spec, 2)[0];
    let containers = field(&field(schema, 25)[0], 1)
        .into_iter()
        .find(|named| field(named, 1)[0] == b"containers")
        .expect("containers");
    let containers = &field(&containers, 2)[0];
    assert_eq!(field(&field(containers, 22)[0], 1)[0], b"array");
    let item = &field(&field(containers, 23)[0], 1)[0];
    assert_eq!(
        field(item, 1)[0],
        b"#/definitions/io.k8s.api.core.v1.Container"
    );
}

#[test]
fn lists_merged_by_key_say_so_as_the_api_server_does() {
    let defs = &definitions().schemas;
    let containers = &defs["io.k8s.api.core.v1.PodSpec"]["properties"]["containers"];
    assert_eq!(containers["x-kubernetes-patch-merge-key"], "name");
    assert_eq!(containers["x-kubernetes-patch-strategy"], "merge");
    assert_eq!(containers["x-kubernetes-list-map-keys"], json!(["name"]));
    // Every entry of the table names a property that exists.
    for (definition, property, _, _) in MERGED_LISTS {
        assert!(
            defs[*definition]["properties"][*property]
                .get("x-kubernetes-patch-merge-key")
                .is_some(),
            "{definition}.{property}"
        );
    }
}
