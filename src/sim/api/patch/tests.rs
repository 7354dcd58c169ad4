use super::*;
use serde_json::json;

fn smp(target: &Value, patch: Value) -> Result<Value, PatchError> {
    let body = patch.to_string();
    apply_patch(PatchKind::StrategicMerge, target, body.as_bytes())
}

fn ok(target: &Value, patch: Value) -> Value {
    smp(target, patch).unwrap()
}

fn jp(target: &Value, body: &str) -> Result<Value, PatchError> {
    apply_patch(PatchKind::Json, target, body.as_bytes())
}

fn pod_spec(containers: Value) -> Value {
    json!({"spec": {"template": {"spec": {"containers": containers}}}})
}

fn deployment() -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "prod", "finalizers": ["a"],
                     "annotations": {"deployment.kubernetes.io/revision": "3"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {"name": "app", "image": "x:1",
                         "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                         "ports": [{"containerPort": 8080, "name": "http"}]},
                        {"name": "sidecar", "image": "envoy:1", "env": [{"name": "C", "value": "3"}]}
                    ],
                    "tolerations": [{"key": "k", "operator": "Exists"}]
                }
            }
        }
    })
}

fn containers(v: &Value) -> Value {
    v["spec"]["template"]["spec"]["containers"].clone()
}

#[test]
fn content_types() {
    let ct = PatchKind::from_content_type;
    assert_eq!(ct("application/merge-patch+json"), Some(PatchKind::Merge));
    let smp = ct("Application/Strategic-Merge-Patch+JSON; charset=utf-8");
    assert_eq!(smp, Some(PatchKind::StrategicMerge));
    assert_eq!(ct("application/json-patch+json"), Some(PatchKind::Json));
    assert_eq!(ct("application/apply-patch+yaml"), None);
    assert_eq!(ct("application/json"), None);
    assert_eq!(ct(""), None);
}

#[test]
fn set_image_changes_only_that_container() {
    let d = deployment();
    let out = ok(&d, pod_spec(json!([{"name": "app", "image": "x:2"}])));
    let (before, after) = (containers(&d), containers(&out));
    assert_eq!(after.as_array().map(Vec::len), Some(2));
    assert_eq!(after[0]["image"], "x:2");
    assert_eq!(after[0]["env"], before[0]["env"]);
    assert_eq!(after[0]["ports"], before[0]["ports"]);
    assert_eq!(after[1], before[1]);
    assert_eq!(out["spec"]["replicas"], 3);
    assert_eq!(before[0]["image"], "x:1"); // target untouched
}

#[test]
fn env_removal_and_addition() {
    let env = json!([{"name": "A", "$patch": "delete"}, {"name": "D", "value": "4"},
                     {"name": "B", "value": "22"}]);
    let out = containers(&ok(
        &deployment(),
        pod_spec(json!([{"name": "app", "env": env}])),
    ));
    let want = json!([{"name": "B", "value": "22"}, {"name": "D", "value": "4"}]);
    assert_eq!(out[0]["env"], want);
    assert_eq!(out[1]["env"], json!([{"name": "C", "value": "3"}]));
}

#[test]
fn rollout_restart_annotation() {
    let at = "2024-05-01T10:00:00Z";
    let p = json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": at}}}}});
    let out = ok(&deployment(), p);
    let tm = &out["spec"]["template"]["metadata"];
    assert_eq!(tm["annotations"]["kubectl.kubernetes.io/restartedAt"], at);
    assert_eq!(tm["labels"]["app"], "web");
    assert_eq!(containers(&out), containers(&deployment()));
}

#[test]
fn merge_patch_semantics() {
    let d = deployment();
    let out = apply_patch(PatchKind::Merge, &d, br#"{"spec":{"replicas":5}}"#).unwrap();
    assert_eq!(out["spec"]["replicas"], 5);
    assert_eq!(out["spec"]["template"], d["spec"]["template"]);
    let p = br#"{"metadata":{"annotations":{"deployment.kubernetes.io/revision":null,"n":"v"}},
                "spec":{"template":{"spec":{"containers":[{"name":"only"}]}}}}"#;
    let out = apply_patch(PatchKind::Merge, &d, p).unwrap();
    assert_eq!(out["metadata"]["annotations"], json!({"n": "v"}));
    assert_eq!(containers(&out), json!([{"name": "only"}]));
    // nulls inside new objects are dropped
    let out = apply_patch(PatchKind::Merge, &json!({}), br#"{"a":{"b":null,"c":1}}"#);
    assert_eq!(out.unwrap(), json!({"a": {"c": 1}}));
    for bad in [&b"[1]"[..], b"5", b"null", b"\"x\""] {
        let e = apply_patch(PatchKind::Merge, &d, bad).unwrap_err();
        assert_eq!(e.0, "patch must be a JSON object");
    }
}

#[test]
fn json_patch_replace_and_escapes() {
    let p = r#"[{"op":"test","path":"/spec/replicas","value":3},
                {"op":"replace","path":"/spec/replicas","value":7},
                {"op":"add","path":"/metadata/annotations/example.com~1owner","value":"me"},
                {"op":"remove","path":"/metadata/annotations/deployment.kubernetes.io~1revision"},
                {"op":"add","path":"/metadata/finalizers/-","value":"b"},
                {"op":"add","path":"/metadata/finalizers/0","value":"z"},
                {"op":"copy","from":"/metadata/name","path":"/metadata/labels"},
                {"op":"move","from":"/metadata/labels","path":"/metadata/a~0b"},
                {"op":"add","path":"/spec/paused","value":true}]"#;
    let out = jp(&deployment(), p).unwrap();
    assert_eq!(out["spec"]["replicas"], 7);
    assert_eq!(out["spec"]["paused"], true);
    let annotations = json!({"example.com/owner": "me"});
    assert_eq!(out["metadata"]["annotations"], annotations);
    assert_eq!(out["metadata"]["finalizers"], json!(["z", "a", "b"]));
    assert_eq!(out["metadata"]["a~b"], "web");
    assert!(out["metadata"].get("labels").is_none());
    let root = jp(&deployment(), r#"[{"op":"replace","path":"","value":{}}]"#);
    assert_eq!(root.unwrap(), json!({}));
}

#[test]
fn json_patch_failures_are_atomic() {
    let d = deployment();
    let p = r#"[{"op":"replace","path":"/spec/replicas","value":9},
                {"op":"test","path":"/spec/replicas","value":3}]"#;
    let e = jp(&d, p).unwrap_err();
    assert!(
        e.0.contains("operation 1") && e.0.contains("/spec/replicas"),
        "{e}"
    );
    assert_eq!(d["spec"]["replicas"], 3);
    let cases = [
        (r#"[{"op":"remove","path":"/spec/nope"}]"#, "/spec/nope"),
        (
            r#"[{"op":"replace","path":"/nope/x","value":1}]"#,
            "/nope/x",
        ),
        (r#"[{"op":"add","path":"/nope/x","value":1}]"#, "parent"),
        (r#"[{"op":"add","path":"spec","value":1}]"#, "pointer"),
        (
            r#"[{"op":"add","path":"/metadata/finalizers/5","value":1}]"#,
            "out of range",
        ),
        (
            r#"[{"op":"remove","path":"/metadata/finalizers/01"}]"#,
            "index",
        ),
        (r#"[{"op":"add","path":"/a~2b","value":1}]"#, "escape"),
        (r#"[{"op":"frob","path":"/a"}]"#, "unknown op"),
        (
            r#"[{"op":"move","from":"/spec","path":"/spec/x"}]"#,
            "children",
        ),
        (r#"[{"op":"add","path":"/x"}]"#, "value"),
    ];
    for (body, needle) in cases {
        let e = jp(&d, body).unwrap_err();
        assert!(e.0.contains(needle), "{e} should mention {needle}");
    }
}

#[test]
fn malformed_bodies_error() {
    let d = deployment();
    let bodies = [
        "",
        "{",
        "\u{1}",
        "nul",
        "{}",
        "[1]",
        "[{}]",
        r#"[{"op":1}]"#,
        "[[]]",
    ];
    for kind in [PatchKind::Merge, PatchKind::StrategicMerge, PatchKind::Json] {
        for b in bodies
            .iter()
            .map(|b| b.as_bytes())
            .chain([&b"\xff\xfe"[..]])
        {
            let r = apply_patch(kind, &d, b);
            // `{}` is a valid no-op merge patch; everything else must error
            if b == b"{}" && kind != PatchKind::Json {
                assert_eq!(r.unwrap(), d);
            } else {
                assert!(r.is_err(), "{kind:?} {:?}", String::from_utf8_lossy(b));
            }
        }
    }
    let bad = [
        json!({"$patch": "bogus"}),
        json!({"$patch": "delete"}),
        json!({"metadata": {"$retainKeys": "x"}}),
        pod_spec(json!([{"image": "no-name"}])),
        pod_spec(json!(["str"])),
    ];
    for p in bad {
        assert!(smp(&d, p.clone()).is_err(), "{p}");
    }
}

#[test]
fn set_element_order_and_finalizers() {
    let d = deployment();
    let mut p = pod_spec(json!([{"name": "sidecar", "image": "envoy:2"}]));
    p["spec"]["template"]["spec"]["$setElementOrder/containers"] =
        json!([{"name": "sidecar"}, {"name": "app"}]);
    p["metadata"] = json!({"finalizers": ["b", "a", "c"]});
    let out = ok(&d, p);
    assert_eq!(out["metadata"]["finalizers"], json!(["a", "b", "c"]));
    let cs = containers(&out);
    assert_eq!(
        (&cs[0]["name"], &cs[0]["image"]),
        (&json!("sidecar"), &json!("envoy:2"))
    );
    assert_eq!(cs[1]["name"], "app");
    assert!(!out.to_string().contains('$'));
    let p = json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"],
                                "finalizers": ["q"]}});
    assert_eq!(ok(&d, p)["metadata"]["finalizers"], json!(["q"]));
}

#[test]
fn strategic_directives() {
    let d = deployment();
    // list-level and map-level replace
    let p = pod_spec(json!([{"$patch": "replace"}, {"name": "n", "image": "i"}]));
    assert_eq!(containers(&ok(&d, p)), json!([{"name": "n", "image": "i"}]));
    let p = json!({"spec": {"selector": {"$patch": "replace", "matchLabels": {"x": "y"}}}});
    assert_eq!(
        ok(&d, p)["spec"]["selector"],
        json!({"matchLabels": {"x": "y"}})
    );
    // retainKeys
    let t = json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {}}}});
    let p = json!({"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}});
    assert_eq!(
        ok(&t, p),
        json!({"spec": {"strategy": {"type": "Recreate"}}})
    );
    // non-keyed lists are replaced; null deletes
    let p = json!({"spec": {"replicas": null,
                            "template": {"spec": {"tolerations": [{"key": "z"}]}}}});
    let out = ok(&d, p);
    assert!(out["spec"].get("replicas").is_none());
    assert_eq!(
        out["spec"]["template"]["spec"]["tolerations"],
        json!([{"key": "z"}])
    );
    // container ports keyed by containerPort, service ports by port
    let ports = json!([{"containerPort": 8080, "protocol": "TCP"}, {"containerPort": 9090}]);
    let out = containers(&ok(&d, pod_spec(json!([{"name": "app", "ports": ports}]))));
    let want = json!([{"containerPort": 8080, "name": "http", "protocol": "TCP"},
                      {"containerPort": 9090}]);
    assert_eq!(out[0]["ports"], want);
    let svc = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443}]}});
    let p = json!({"spec": {"ports": [{"port": 443, "$patch": "delete"},
                                      {"port": 80, "targetPort": 9}]}});
    assert_eq!(
        ok(&svc, p),
        json!({"spec": {"ports": [{"port": 80, "targetPort": 9}]}})
    );
    // conditions keyed by type; new elements appended with directives stripped
    let st = json!({"status": {"conditions": [{"type": "Ready", "status": "False"},
                                              {"type": "A", "status": "True"}]}});
    let p = json!({"status": {"conditions": [
        {"type": "B", "status": "True", "x": {"$patch": "merge", "y": 1}},
        {"type": "Ready", "status": "True"}]}});
    let want = json!([{"type": "Ready", "status": "True"}, {"type": "A", "status": "True"},
                      {"type": "B", "status": "True", "x": {"y": 1}}]);
    assert_eq!(ok(&st, p)["status"]["conditions"], want);
    // a keyed list added to an object that lacks it
    let p = json!({"metadata": {"ownerReferences": [{"uid": "u1", "kind": "ReplicaSet"}]}});
    assert_eq!(ok(&json!({}), p.clone()), p);
}
