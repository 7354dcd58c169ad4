use super::*;

fn now() -> Timestamp { "2024-05-01T12:00:00Z".parse().unwrap() }

fn list(resource: &str, objects: &[Value]) -> Value {
    to_table(resource, objects, IncludeObject::Metadata, json!({"resourceVersion": "42"}), now())
}

/// The row's cells as compact JSON, so strings and integers are told apart.
fn row(t: &Value, i: usize) -> String { t["rows"][i]["cells"].to_string() }

/// Column names joined by `|`, then `/` and each priority.
fn columns(t: &Value) -> String {
    let defs = t["columnDefinitions"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = defs.iter().map(|c| c["name"].as_str().unwrap_or("?")).collect();
    let priorities: String = defs.iter().map(|c| c["priority"].to_string()).collect();
    format!("{}/{priorities}", names.join("|"))
}

fn meta(name: &str) -> Value {
    json!({"name": name, "namespace": "shop", "uid": "u-1", "resourceVersion": "7", "creationTimestamp": "2024-05-01T11:00:00Z"})
}

fn template() -> Value {
    json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.25"}, {"name": "proxy", "image": "envoy:1.30"}]}})
}

#[test]
fn include_object_parse() {
    assert_eq!(IncludeObject::parse(None), IncludeObject::Metadata);
    assert_eq!(IncludeObject::parse(Some("None")), IncludeObject::None);
    assert_eq!(IncludeObject::parse(Some("Object")), IncludeObject::Object);
    assert_eq!(IncludeObject::parse(Some("Metadata")), IncludeObject::Metadata);
    assert_eq!(IncludeObject::parse(Some("bogus")), IncludeObject::Metadata);
}

#[test]
fn pods_table() {
    let crashing = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta("web-7d9f-x2"),
        "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "nginx:1.25"}], "readinessGates": [{"conditionType": "example.com/lb"}]},
        "status": {"phase": "Running", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}],
            "conditions": [{"type": "Ready", "status": "False"}, {"type": "example.com/lb", "status": "True"}],
            "containerStatuses": [{"name": "web", "image": "nginx:1.25", "imageID": "", "ready": false, "restartCount": 5,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "finishedAt": "2024-05-01T11:56:00Z"}}}]}});
    let done = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta("job-abc"), "spec": {"containers": [{"name": "job"}]},
        "status": {"phase": "Succeeded", "containerStatuses": [{"name": "job", "ready": false, "restartCount": 0,
            "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}});
    let t = list("pods", &[crashing, done]);
    assert_eq!((&t["kind"], &t["apiVersion"]), (&json!("Table"), &json!("meta.k8s.io/v1")));
    assert_eq!(t["metadata"], json!({"resourceVersion": "42"}));
    assert_eq!(columns(&t), "Name|Ready|Status|Restarts|Age|IP|Node|Nominated Node|Readiness Gates/000001111");
    let defs = &t["columnDefinitions"];
    assert_eq!((&defs[0]["type"], &defs[0]["format"], &defs[1]["format"], &defs[3]["type"]), (&json!("string"), &json!("name"), &json!(""), &json!("string")));
    assert!(defs[4]["description"].as_str().is_some_and(|d| d.starts_with("CreationTimestamp is a timestamp")));
    assert_eq!(row(&t, 0), r#"["web-7d9f-x2","0/1","CrashLoopBackOff","5 (4m ago)","60m","10.244.1.7","node-1","<none>","1/1"]"#);
    assert_eq!(row(&t, 1), r#"["job-abc","0/1","Completed","0","60m","<none>","<none>","<none>","<none>"]"#);
    let object = &t["rows"][0]["object"];
    assert_eq!((&object["kind"], &object["apiVersion"]), (&json!("PartialObjectMetadata"), &json!("meta.k8s.io/v1")));
    assert_eq!(object["metadata"], meta("web-7d9f-x2"));
    assert!(t["rows"][0].get("conditions").is_none());
    assert_eq!(t["rows"][1]["conditions"], json!([{"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."}]));
}

#[test]
fn deployments_table() {
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("web"),
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template()},
        "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 2}});
    let t = to_table("deployments", std::slice::from_ref(&d), IncludeObject::Object, json!({}), now());
    assert_eq!(columns(&t), "Name|Ready|Up-to-date|Available|Age|Containers|Images|Selector/00000111");
    assert_eq!(row(&t, 0), r#"["web","2/3",3,2,"60m","web,proxy","nginx:1.25,envoy:1.30","app=web"]"#);
    assert_eq!((&t["rows"][0]["object"], &t["metadata"]), (&d, &json!({})));
    // The server's defaults: one replica; an absent selector prints empty.
    let bare = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "bare"}});
    assert_eq!(row(&list("deployments", &[bare]), 0), r#"["bare","0/1",0,0,"<unknown>","","",""]"#);
}

#[test]
fn replicasets_statefulsets_daemonsets() {
    let rs = json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta("web-7d9f"), "status": {"replicas": 3, "readyReplicas": 1},
        "spec": {"replicas": 3, "template": template(), "selector": {"matchLabels": {"app": "web"}, "matchExpressions": [
            {"key": "tier", "operator": "In", "values": ["front", "edge"]}, {"key": "canary", "operator": "DoesNotExist"}]}}});
    let t = list("replicasets", &[rs]);
    assert_eq!(columns(&t), "Name|Desired|Current|Ready|Age|Containers|Images|Selector/00000111");
    assert_eq!(t["columnDefinitions"][1]["type"], "integer");
    assert_eq!(row(&t, 0), r#"["web-7d9f",3,3,1,"60m","web,proxy","nginx:1.25,envoy:1.30","app=web,!canary,tier in (edge,front)"]"#);

    let ss = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta("db"), "status": {"replicas": 3, "readyReplicas": 1},
        "spec": {"replicas": 3, "serviceName": "db", "selector": {"matchLabels": {"app": "db"}}, "template": template()}});
    let t = list("statefulsets", &[ss]);
    assert_eq!(columns(&t), "Name|Ready|Age|Containers|Images/00011");
    assert_eq!(row(&t, 0), r#"["db","1/3","60m","web,proxy","nginx:1.25,envoy:1.30"]"#);

    let mut template = template();
    template["spec"]["nodeSelector"] = json!({"kubernetes.io/os": "linux"});
    let ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta("agent"),
        "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": template},
        "status": {"desiredNumberScheduled": 3, "currentNumberScheduled": 3, "numberReady": 2, "updatedNumberScheduled": 3,
                   "numberAvailable": 2, "numberMisscheduled": 0}});
    let t = list("daemonsets", &[ds]);
    assert_eq!(columns(&t), "Name|Desired|Current|Ready|Up-to-date|Available|Node Selector|Age|Containers|Images|Selector/00000000111");
    assert_eq!(row(&t, 0), r#"["agent",3,3,2,3,2,"kubernetes.io/os=linux","60m","web,proxy","nginx:1.25,envoy:1.30","app=agent"]"#);
}

#[test]
fn events_table_both_apis() {
    let core = json!({"apiVersion": "v1", "kind": "Event", "metadata": {"name": "web-7d9f-x2.17c8", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "web-7d9f-x2", "namespace": "shop", "fieldPath": "spec.containers{web}"},
        "reason": "BackOff", "message": "Back-off restarting failed container web\n", "type": "Warning",
        "source": {"component": "kubelet", "host": "node-1"}, "count": 5,
        "firstTimestamp": "2024-05-01T11:50:00Z", "lastTimestamp": "2024-05-01T11:57:00Z"});
    let series = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "web.17c9", "namespace": "shop"},
        "regarding": {"kind": "Deployment", "name": "web", "namespace": "shop"}, "action": "Scale",
        "reason": "ScalingReplicaSet", "note": "Scaled up replica set web-7d9f to 3", "type": "Normal",
        "reportingController": "deployment-controller", "reportingInstance": "", "eventTime": "2024-05-01T11:30:00.000000Z",
        "series": {"count": 4, "lastObservedTime": "2024-05-01T11:58:00.000000Z"}});
    let single = json!({"apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": {"name": "n.1"}, "regarding": {"kind": "Node"},
        "reason": "Starting", "type": "Normal", "eventTime": "2024-05-01T11:59:30.000000Z",
        "reportingController": "kubelet", "reportingInstance": "node-1"});
    let t = to_table("events", &[core, series, single], IncludeObject::None, json!({}), now());
    assert_eq!(columns(&t), "Last Seen|Type|Reason|Object|Subobject|Source|Message|First Seen|Count|Name/0000110111");
    assert_eq!(t["columnDefinitions"][9]["format"], "name");
    assert_eq!(row(&t, 0), r#"["3m","Warning","BackOff","pod/web-7d9f-x2","spec.containers{web}","kubelet, node-1","Back-off restarting failed container web","10m",5,"web-7d9f-x2.17c8"]"#);
    assert_eq!(row(&t, 1), r#"["2m","Normal","ScalingReplicaSet","deployment/web","","deployment-controller","Scaled up replica set web-7d9f to 3","30m",4,"web.17c9"]"#);
    assert_eq!(row(&t, 2), r#"["30s","Normal","Starting","node","","kubelet, node-1","","30s",1,"n.1"]"#);
    assert!(t["rows"][0].get("object").is_none());
}

#[test]
fn nodes_table() {
    let cp = json!({"apiVersion": "v1", "kind": "Node", "spec": {"unschedulable": true},
        "metadata": {"name": "cp-1", "creationTimestamp": "2024-04-01T12:00:00Z",
            "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "master", "kubernetes.io/os": "linux"}},
        "status": {"conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
            "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}, {"type": "Hostname", "address": "cp-1"}],
            "nodeInfo": {"kubeletVersion": "v1.33.1", "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.8.0",
                "containerRuntimeVersion": "containerd://2.1.1"}}});
    let lost = json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "w-2", "creationTimestamp": "2024-05-01T09:00:00Z"},
        "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}});
    let t = list("nodes", &[cp, lost, json!({"metadata": {"name": "n"}})]);
    assert_eq!(columns(&t), "Name|Status|Roles|Age|Version|Internal-IP|External-IP|OS-Image|Kernel-Version|Container-Runtime/0000011111");
    assert_eq!(row(&t, 0), r#"["cp-1","Ready,SchedulingDisabled","control-plane,master","30d","v1.33.1","172.18.0.2","<none>","Debian GNU/Linux 12 (bookworm)","6.8.0","containerd://2.1.1"]"#);
    assert_eq!(row(&t, 1), r#"["w-2","NotReady","<none>","3h","","<none>","<none>","<unknown>","<unknown>","<unknown>"]"#);
    assert!(row(&t, 2).starts_with(r#"["n","Unknown","<none>","<unknown>","#));
}

#[test]
fn namespaces_services_configmaps_secrets() {
    let t = list("namespaces", &[json!({"metadata": meta("shop"), "status": {"phase": "Terminating"}}), json!({"metadata": meta("new")})]);
    assert_eq!(columns(&t), "Name|Status|Age/000");
    assert_eq!((row(&t, 0), row(&t, 1)), (r#"["shop","Terminating","60m"]"#.into(), r#"["new","Active","60m"]"#.into()));

    let svc = |spec: Value, status: Value| json!({"metadata": meta("web"), "spec": spec, "status": status});
    let t = list("services", &[
        svc(json!({"type": "ClusterIP", "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"], "selector": {"tier": "front", "app": "web"},
            "ports": [{"port": 80, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]}), json!({})),
        svc(json!({"type": "NodePort", "clusterIP": "10.96.3.4", "ports": [{"port": 80, "nodePort": 30080}]}), json!({})),
        svc(json!({"type": "LoadBalancer", "clusterIP": "10.96.5.6", "ports": [{"port": 443, "protocol": "TCP", "nodePort": 31443}]}),
            json!({"loadBalancer": {"ingress": [{"hostname": "lb.example.com"}, {"ip": "203.0.113.9"}]}})),
        svc(json!({"type": "LoadBalancer", "clusterIPs": ["10.96.5.7"]}), json!({})),
        svc(json!({"type": "ExternalName", "externalName": "db.example.com"}), json!({})),
        svc(json!({"clusterIP": "None", "externalIPs": ["198.51.100.1"]}), json!({})),
    ]);
    assert_eq!(columns(&t), "Name|Type|Cluster-IP|External-IP|Port(s)|Age|Selector/0000001");
    assert_eq!(row(&t, 0), r#"["web","ClusterIP","10.96.0.10","<none>","80/TCP,53/UDP","60m","app=web,tier=front"]"#);
    assert_eq!(row(&t, 1), r#"["web","NodePort","10.96.3.4","<none>","80:30080/TCP","60m","<none>"]"#);
    assert_eq!(row(&t, 2), r#"["web","LoadBalancer","10.96.5.6","203.0.113.9,lb.example.com","443:31443/TCP","60m","<none>"]"#);
    assert_eq!(row(&t, 3), r#"["web","LoadBalancer","10.96.5.7","<pending>","<none>","60m","<none>"]"#);
    assert_eq!(row(&t, 4), r#"["web","ExternalName","<none>","db.example.com","<none>","60m","<none>"]"#);
    assert_eq!(row(&t, 5), r#"["web","ClusterIP","None","198.51.100.1","<none>","60m","<none>"]"#);

    let t = list("configmaps", &[json!({"metadata": meta("cfg"), "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AAE="}})]);
    assert_eq!((columns(&t), row(&t, 0)), ("Name|Data|Age/000".into(), r#"["cfg",3,"60m"]"#.into()));

    let tls = json!({"metadata": meta("tls"), "type": "kubernetes.io/tls", "data": {"tls.crt": "YQ==", "tls.key": "Yg=="}});
    let t = list("secrets", &[tls, json!({"metadata": meta("empty")})]);
    assert_eq!(columns(&t), "Name|Type|Data|Age/0000");
    assert_eq!(row(&t, 0), r#"["tls","kubernetes.io/tls",2,"60m"]"#);
    assert_eq!(row(&t, 1), r#"["empty","Opaque",0,"60m"]"#);
}

#[test]
fn default_table_and_single_object() {
    let lease = json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": meta("leader")});
    let list_meta = json!({"resourceVersion": "9", "continue": "abc", "remainingItemCount": 3});
    let objects = [lease.clone(), json!({"metadata": {"name": "x"}})];
    let t = to_table("leases", &objects, IncludeObject::Metadata, list_meta.clone(), now());
    assert_eq!((columns(&t), &t["columnDefinitions"][1]["type"]), ("Name|Created At/00".into(), &json!("date")));
    assert_eq!(row(&t, 0), r#"["leader","2024-05-01T11:00:00Z"]"#);
    assert_eq!(row(&t, 1), r#"["x","0001-01-01T00:00:00Z"]"#);
    assert_eq!(t["metadata"], list_meta);

    let one = to_table_one("leases", &lease, IncludeObject::Metadata, now());
    assert_eq!(one["metadata"], json!({"resourceVersion": "7"}));
    assert_eq!(one["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["rows"][0]["object"]["metadata"]["name"], "leader");
    let pod = to_table_one("pods", &json!({"metadata": {"name": "p"}}), IncludeObject::None, now());
    assert_eq!(pod["metadata"], json!({}));
    assert_eq!(row(&pod, 0), r#"["p","0/0","","0","<unknown>","<none>","<none>","<none>","<none>"]"#);
}

#[test]
fn undecodable_objects_fall_back() {
    let t = list("pods", &[json!({"metadata": {"name": "weird"}, "spec": "not-an-object"})]);
    assert_eq!(row(&t, 0), format!("[\"weird\",{}]", ["\"<unknown>\""; 8].join(",")));
    let t = list("events", &[json!({"metadata": {"name": "e"}, "count": "many"})]);
    assert!(row(&t, 0).starts_with(r#"["<unknown>","#) && row(&t, 0).ends_with(r#","e"]"#));
    let t = list("secrets", &[json!({"metadata": {"name": "s"}, "data": ["x"]})]);
    assert_eq!(row(&t, 0), r#"["s","<unknown>","<unknown>","<unknown>"]"#);
    let rs = json!({"metadata": {"name": "r"}, "spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}}});
    assert!(row(&list("replicasets", &[rs]), 0).ends_with(r#""<error>"]"#));
    // Empty and non-object values still render one row each, without panicking.
    for r in ["pods", "deployments", "replicasets", "statefulsets", "daemonsets", "events", "nodes", "namespaces", "services",
              "configmaps", "secrets", "widgets"] {
        let t = list(r, &[json!({}), Value::Null, json!([1, 2])]);
        assert_eq!(t["rows"].as_array().map(Vec::len), Some(3), "{r}");
    }
}
