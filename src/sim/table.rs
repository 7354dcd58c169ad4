//! Server-side `meta.k8s.io/v1` Table responses for the simulated API server.
//!
//! `kubectl get` asks for `application/json;as=Table;v=v1;g=meta.k8s.io` and
//! prints whatever columns come back, so the columns, their priorities and the
//! cell values here follow the Kubernetes printers (`pkg/printers/internalversion`)
//! for the kinds an incident console needs. Like the real API server, rows
//! always carry the wide (priority 1) cells; kubectl shows them with `-o wide`.
//! Other resources get the apiserver's default table: Name and Created At.
//!
//! Objects are read as they are stored, with the API defaults the server would
//! have applied (one replica, `ClusterIP` services, `TCP` ports, `Opaque`
//! secrets, `Active` namespaces). An object that does not decode still gets a
//! row: its name where it can be read and `<unknown>` in every other cell.

use std::collections::BTreeMap;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::core::v1::{Event, Node, Pod, PodTemplateSpec, Service, ServicePort};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde_json::{Map, Value, json};

use crate::model::pod_status::{self, age};

/// What each row's `object` holds, from `?includeObject=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeObject {
    /// No `object` in the rows.
    None,
    /// A `PartialObjectMetadata` carrying the object's metadata (the default).
    Metadata,
    /// The full object.
    Object,
}

impl IncludeObject {
    /// Parses the `includeObject` query value; absent or unrecognised means `Metadata`.
    pub fn parse(s: Option<&str>) -> IncludeObject {
        match s.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("none") => IncludeObject::None,
            Some(v) if v.eq_ignore_ascii_case("object") => IncludeObject::Object,
            _ => IncludeObject::Metadata,
        }
    }
}

/// Builds the Table for a list of `resource` (plural name) objects.
/// `list_meta` (resourceVersion, continue, remainingItemCount) becomes `.metadata`.
pub fn to_table(
    resource: &str,
    objects: &[Value],
    include: IncludeObject,
    list_meta: Value,
    now: Timestamp,
) -> Value {
    let printer = printer(resource);
    let metadata = match list_meta {
        Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    };
    let rows = objects.iter().map(|o| row(printer, o, include, now));
    table(printer, metadata, rows.collect())
}

/// Builds the Table for a single object (a GET of one object as Table); its
/// resourceVersion goes in `.metadata`, as the API server does.
pub fn to_table_one(
    resource: &str,
    object: &Value,
    include: IncludeObject,
    now: Timestamp,
) -> Value {
    let printer = printer(resource);
    let mut metadata = Map::new();
    let rv = object.pointer("/metadata/resourceVersion");
    if let Some(rv) = rv.filter(|v| v.is_string()) {
        metadata.insert("resourceVersion".into(), rv.clone());
    }
    table(printer, metadata, vec![row(printer, object, include, now)])
}

fn table(printer: Printer, metadata: Map<String, Value>, rows: Vec<Value>) -> Value {
    let columns: Vec<Value> = printer
        .columns
        .iter()
        .map(|c| json!({"name": c.name, "type": c.ty, "format": c.format, "description": c.description, "priority": c.priority}))
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": columns, "rows": rows})
}

fn row(printer: Printer, object: &Value, include: IncludeObject, now: Timestamp) -> Value {
    let (cells, conditions) = match (printer.cells)(object, now) {
        Some(cells) => cells,
        None => (fallback_cells(printer, object), None),
    };
    let mut row = Map::new();
    row.insert("cells".into(), Value::Array(cells));
    if let Some(c) = conditions {
        row.insert("conditions".into(), c);
    }
    let meta = || object.get("metadata").filter(|m| m.is_object()).cloned();
    match include {
        IncludeObject::None => None,
        IncludeObject::Object => row.insert("object".into(), object.clone()),
        IncludeObject::Metadata => row.insert(
            "object".into(),
            json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta().unwrap_or_else(|| json!({}))}),
        ),
    };
    Value::Object(row)
}

/// The name in the name column, `<unknown>` everywhere else.
fn fallback_cells(printer: Printer, object: &Value) -> Vec<Value> {
    let name = object.pointer("/metadata/name").and_then(Value::as_str);
    let name = name.unwrap_or("<unknown>");
    let cell = |c: &Col| {
        Value::from(if c.format == "name" {
            name
        } else {
            "<unknown>"
        })
    };
    printer.columns.iter().map(cell).collect()
}

/// A printer: its column definitions and how to fill a row's cells
/// (`None` when the object does not decode).
#[derive(Clone, Copy)]
struct Printer {
    columns: &'static [Col],
    cells: CellsFn,
}

/// A row's cells and its row conditions.
type Cells = (Vec<Value>, Option<Value>);
type CellsFn = fn(&Value, Timestamp) -> Option<Cells>;

fn printer(resource: &str) -> Printer {
    let known = columns::PRINTERS.iter().find(|(r, _, _)| *r == resource);
    let (_, columns, cells) = known.copied().unwrap_or(columns::DEFAULT);
    Printer { columns, cells }
}

/// Column definitions in the printers' order and wording, and who fills them.
#[rustfmt::skip]
mod columns {
    use super::CellsFn;

    /// One `metav1.TableColumnDefinition`.
    pub struct Col { pub name: &'static str, pub ty: &'static str, pub format: &'static str, pub priority: i32, pub description: &'static str }

    /// A normal column.
    const fn c(name: &'static str, ty: &'static str, description: &'static str) -> Col {
        Col { name, ty, format: "", priority: 0, description }
    }

    /// A priority 1 column, shown by `kubectl get -o wide`.
    const fn w(name: &'static str, ty: &'static str, description: &'static str) -> Col {
        Col { name, ty, format: "", priority: 1, description }
    }

    pub const PRINTERS: &[(&str, &[Col], CellsFn)] = &[
        ("pods", PODS, super::pod_cells),
        ("deployments", DEPLOYMENTS, super::deployment_cells),
        ("replicasets", REPLICASETS, super::replicaset_cells),
        ("statefulsets", STATEFULSETS, super::statefulset_cells),
        ("daemonsets", DAEMONSETS, super::daemonset_cells),
        ("events", EVENTS, super::event_cells),
        ("nodes", NODES, super::node_cells),
        ("namespaces", NAMESPACES, super::namespace_cells),
        ("services", SERVICES, super::service_cells),
        ("configmaps", CONFIGMAPS, super::configmap_cells),
        ("secrets", SECRETS, super::secret_cells),
    ];

    /// `events.k8s.io` field names and the core/v1 names they convert to.
    pub const EVENT_FIELDS: &[(&str, &str)] = &[
        ("metadata", "metadata"), ("regarding", "involvedObject"), ("related", "related"), ("note", "message"),
        ("reason", "reason"), ("type", "type"), ("action", "action"), ("eventTime", "eventTime"), ("series", "series"),
        ("reportingController", "reportingComponent"), ("reportingInstance", "reportingInstance"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ];

    /// The apiserver's default table convertor, for every other resource.
    pub const DEFAULT: (&str, &[Col], CellsFn) = ("", &[NAME, c("Created At", "date", D_CREATED)], super::default_cells);

    const D_NAME: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
    const D_CREATED: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    const D_CONTAINERS: &str = "Names of each container in the template.";
    const D_IMAGES: &str = "Images referenced by each container in the template.";
    const D_READY: &str = "Number of the pod with ready state";
    const D_NODE_ADDRESSES: &str = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";
    const NAME: Col = Col { name: "Name", ty: "string", format: "name", priority: 0, description: D_NAME };
    const AGE: Col = c("Age", "string", D_CREATED);

    const PODS: &[Col] = &[
        NAME,
        c("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
        c("Status", "string", "The aggregate status of the containers in this pod."),
        c("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        AGE,
        w("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
        w("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename"),
        w("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled."),
        w("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates"),
    ];

    const DEPLOYMENTS: &[Col] = &[
        NAME,
        c("Ready", "string", D_READY),
        c("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        c("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        AGE,
        w("Containers", "string", D_CONTAINERS),
        w("Images", "string", D_IMAGES),
        w("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
    ];

    const REPLICASETS: &[Col] = &[
        NAME,
        c("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
        c("Current", "integer", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
        c("Ready", "integer", "The number of ready replicas for this replica set."),
        AGE,
        w("Containers", "string", D_CONTAINERS),
        w("Images", "string", D_IMAGES),
        w("Selector", "string", "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
    ];

    const STATEFULSETS: &[Col] = &[
        NAME,
        c("Ready", "string", D_READY),
        AGE,
        w("Containers", "string", D_CONTAINERS),
        w("Images", "string", D_IMAGES),
    ];

    const DAEMONSETS: &[Col] = &[
        NAME,
        c("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        c("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
        c("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
        c("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
        c("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
        c("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
        AGE,
        w("Containers", "string", D_CONTAINERS),
        w("Images", "string", D_IMAGES),
        w("Selector", "string", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
    ];

    const EVENTS: &[Col] = &[
        c("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
        c("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
        c("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        c("Object", "string", "The object that this event is about."),
        w("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object."),
        w("Source", "string", "The component reporting this event. Should be a short machine understandable string."),
        c("Message", "string", "A human-readable description of the status of this operation."),
        w("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
        w("Count", "string", "The number of times this event has occurred."),
        Col { name: "Name", ty: "string", format: "name", priority: 1, description: D_NAME },
    ];

    const NODES: &[Col] = &[
        NAME,
        c("Status", "string", "The status of the node"),
        c("Roles", "string", "The roles of the node"),
        AGE,
        c("Version", "string", "Kubelet Version reported by the node."),
        w("Internal-IP", "string", D_NODE_ADDRESSES),
        w("External-IP", "string", D_NODE_ADDRESSES),
        w("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
        w("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
        w("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
    ];

    const NAMESPACES: &[Col] = &[NAME, c("Status", "string", "The status of the namespace"), AGE];

    const SERVICES: &[Col] = &[
        NAME,
        c("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
        c("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
        c("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."),
        c("Port(s)", "string", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
        AGE,
        w("Selector", "string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/"),
    ];

    const CONFIGMAPS: &[Col] = &[
        NAME,
        c("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
        AGE,
    ];

    const SECRETS: &[Col] = &[
        NAME,
        c("Type", "string", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
        c("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
        AGE,
    ];

}

use columns::Col;

fn parse<T: k8s_openapi::serde::de::DeserializeOwned>(o: &Value) -> Option<T> {
    serde_json::from_value(o.clone()).ok()
}

/// A string field: `Some(None)` when absent or null, `None` when not a string.
fn raw_str<'a>(o: &'a Value, pointer: &str) -> Option<Option<&'a str>> {
    match o.pointer(pointer) {
        None | Some(Value::Null) => Some(None),
        Some(v) => v.as_str().map(Some),
    }
}

fn raw_name(o: &Value) -> Option<Value> {
    Some(raw_str(o, "/metadata/name")?.unwrap_or("").into())
}

fn raw_age(o: &Value, now: Timestamp) -> Option<Value> {
    let created = match raw_str(o, "/metadata/creationTimestamp")? {
        Some(s) => Some(s.parse().ok()?),
        None => None,
    };
    Some(age(created, now).into())
}

/// Number of keys in an optional JSON map; `None` if it is not a map.
fn map_len(v: Option<&Value>) -> Option<i64> {
    match v {
        None | Some(Value::Null) => Some(0),
        Some(Value::Object(m)) => i64::try_from(m.len()).ok(),
        Some(_) => None,
    }
}

fn rfc3339(t: Timestamp) -> String {
    jiff::fmt::strtime::format("%Y-%m-%dT%H:%M:%SZ", t).unwrap_or_else(|_| t.to_string())
}

fn name(m: &ObjectMeta) -> Value {
    m.name.clone().unwrap_or_default().into()
}

fn created(m: &ObjectMeta, now: Timestamp) -> Value {
    age(m.creation_timestamp.as_ref().map(|t| t.0), now).into()
}

fn or_none(s: Option<&str>) -> Value {
    or(s.unwrap_or(""), "<none>")
}

/// The text, or `placeholder` when it is empty.
fn or(s: &str, placeholder: &str) -> Value {
    if s.is_empty() { placeholder } else { s }.into()
}

fn plain(cells: Vec<Value>) -> Option<Cells> {
    Some((cells, None))
}

fn namespace_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let phase = raw_str(o, "/status/phase")?.unwrap_or("Active");
    plain(vec![raw_name(o)?, phase.into(), raw_age(o, now)?])
}

fn configmap_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let n = map_len(o.get("data"))? + map_len(o.get("binaryData"))?;
    plain(vec![raw_name(o)?, n.into(), raw_age(o, now)?])
}

fn secret_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let ty = raw_str(o, "/type")?.unwrap_or("Opaque");
    let n = map_len(o.get("data"))?;
    plain(vec![raw_name(o)?, ty.into(), n.into(), raw_age(o, now)?])
}

/// Name and creation time in RFC 3339, Go's zero time when there is none.
fn default_cells(o: &Value, _now: Timestamp) -> Option<Cells> {
    let created = match raw_str(o, "/metadata/creationTimestamp")? {
        Some(s) => rfc3339(s.parse().ok()?),
        None => "0001-01-01T00:00:00Z".to_string(),
    };
    plain(vec![raw_name(o)?, created.into()])
}

fn pod_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let pod: &Pod = &parse(o)?;
    let summary = pod_status::summarize(pod);
    let status = pod.status.clone().unwrap_or_default();
    let spec = pod.spec.clone().unwrap_or_default();
    // podIP wins over podIPs, as in the v1 to internal conversion.
    let first_ip = status.pod_ips.as_ref().and_then(|ips| ips.first());
    let ip = status.pod_ip.as_deref().filter(|ip| !ip.is_empty());
    let ip = ip.or(first_ip.map(|p| p.ip.as_str()));
    let conditions = status.conditions.as_deref().unwrap_or(&[]);
    let gates = spec.readiness_gates.as_deref().unwrap_or(&[]);
    let gate_ok = |t: &str| {
        conditions
            .iter()
            .find(|c| c.type_ == t)
            .is_some_and(|c| c.status == "True")
    };
    let readiness = match gates.iter().filter(|g| gate_ok(&g.condition_type)).count() {
        _ if gates.is_empty() => "<none>".to_string(),
        ok => format!("{ok}/{}", gates.len()),
    };
    let cells = vec![
        name(&pod.metadata),
        summary.ready_column().into(),
        summary.status.clone().into(),
        summary.restarts_column(now).into(),
        created(&pod.metadata, now),
        or_none(ip),
        or_none(spec.node_name.as_deref()),
        or_none(status.nominated_node_name.as_deref()),
        readiness.into(),
    ];
    let (reason, message) = match status.phase.as_deref() {
        Some("Succeeded") => ("Succeeded", "The pod has completed successfully."),
        Some("Failed") => ("Failed", "The pod failed."),
        _ => return Some((cells, None)),
    };
    let condition =
        json!({"type": "Completed", "status": "True", "reason": reason, "message": message});
    Some((cells, Some(json!([condition]))))
}

/// Container names and images, comma-separated (`layoutContainerCells`).
fn container_cells(template: Option<&PodTemplateSpec>) -> [Value; 2] {
    let spec = template.and_then(|t| t.spec.as_ref());
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or(&[]);
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or(""))
        .collect();
    [names.join(",").into(), images.join(",").into()]
}

/// `labels.FormatLabels`: sorted `k=v` pairs, `<none>` when empty.
fn format_labels(labels: Option<&BTreeMap<String, String>>) -> Value {
    let pairs = labels
        .into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"));
    or(&pairs.collect::<Vec<_>>().join(","), "<none>")
}

/// `LabelSelectorAsSelector(sel).String()`; `None` for an invalid selector.
fn selector_string(sel: Option<&LabelSelector>) -> Option<String> {
    let Some(sel) = sel else {
        return Some(String::new());
    };
    let mut reqs: Vec<(&str, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k, format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        values.sort();
        let (k, vs) = (&e.key, values.join(","));
        let s = match (e.operator.as_str(), values.is_empty()) {
            ("In", false) => format!("{k} in ({vs})"),
            ("NotIn", false) => format!("{k} notin ({vs})"),
            ("Exists", true) => k.clone(),
            ("DoesNotExist", true) => format!("!{k}"),
            _ => return None,
        };
        reqs.push((k, s));
    }
    reqs.sort_by(|a, b| a.0.cmp(b.0));
    let reqs: Vec<String> = reqs.into_iter().map(|(_, s)| s).collect();
    Some(reqs.join(","))
}

/// `metav1.FormatLabelSelector`: `<none>` when empty, `<error>` when invalid.
fn format_label_selector(sel: Option<&LabelSelector>) -> Value {
    match selector_string(sel) {
        Some(s) => or(&s, "<none>"),
        None => "<error>".into(),
    }
}

fn deployment_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let d: &Deployment = &parse(o)?;
    let spec = d.spec.as_ref();
    let status = d.status.clone().unwrap_or_default();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let ready = status.ready_replicas.unwrap_or(0);
    let [names, images] = container_cells(spec.map(|s| &s.template));
    let selector = selector_string(spec.map(|s| &s.selector));
    plain(vec![
        name(&d.metadata),
        format!("{ready}/{desired}").into(),
        status.updated_replicas.unwrap_or(0).into(),
        status.available_replicas.unwrap_or(0).into(),
        created(&d.metadata, now),
        names,
        images,
        selector.unwrap_or_else(|| "<invalid>".into()).into(),
    ])
}

fn replicaset_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let rs: &ReplicaSet = &parse(o)?;
    let spec = rs.spec.as_ref();
    let status = rs.status.clone().unwrap_or_default();
    let [names, images] = container_cells(spec.and_then(|s| s.template.as_ref()));
    plain(vec![
        name(&rs.metadata),
        spec.and_then(|s| s.replicas).unwrap_or(1).into(),
        status.replicas.into(),
        status.ready_replicas.unwrap_or(0).into(),
        created(&rs.metadata, now),
        names,
        images,
        format_label_selector(spec.map(|s| &s.selector)),
    ])
}

fn statefulset_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let ss: &StatefulSet = &parse(o)?;
    let spec = ss.spec.as_ref();
    let desired = spec.and_then(|s| s.replicas).unwrap_or(1);
    let status = ss.status.clone().unwrap_or_default();
    let ready = format!("{}/{desired}", status.ready_replicas.unwrap_or(0));
    let [names, images] = container_cells(spec.map(|s| &s.template));
    let (name, created) = (name(&ss.metadata), created(&ss.metadata, now));
    plain(vec![name, ready.into(), created, names, images])
}

fn daemonset_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let ds: &DaemonSet = &parse(o)?;
    let spec = ds.spec.as_ref();
    let st = ds.status.clone().unwrap_or_default();
    let template = spec.map(|s| &s.template);
    let pod_spec = template.and_then(|t| t.spec.as_ref());
    let [names, images] = container_cells(template);
    plain(vec![
        name(&ds.metadata),
        st.desired_number_scheduled.into(),
        st.current_number_scheduled.into(),
        st.number_ready.into(),
        st.updated_number_scheduled.unwrap_or(0).into(),
        st.number_available.unwrap_or(0).into(),
        format_labels(pod_spec.and_then(|s| s.node_selector.as_ref())),
        created(&ds.metadata, now),
        names,
        images,
        format_label_selector(spec.map(|s| &s.selector)),
    ])
}

/// An `events.k8s.io` event renamed to the core/v1 fields, as the API server
/// converts both to one internal type before printing.
fn core_event_shape(o: &Value) -> Value {
    let api_version = o.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if !api_version.starts_with("events.k8s.io/") {
        return o.clone();
    }
    let pick = |&(from, to): &(&str, &str)| Some((to.to_string(), o.get(from)?.clone()));
    Value::Object(columns::EVENT_FIELDS.iter().filter_map(pick).collect())
}

fn event_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let e: &Event = &parse(&core_event_shape(o))?;
    let zero = |t: Option<Timestamp>| t.is_none_or(pod_status::is_go_zero);
    let first = e.first_timestamp.as_ref().map(|t| t.0);
    let last = e.last_timestamp.as_ref().map(|t| t.0);
    let event_time = e.event_time.as_ref().map(|t| t.0);
    let first = if zero(first) { event_time } else { first };
    let first_seen = age(first, now);
    let mut last_seen = age(if zero(last) { first } else { last }, now);
    let mut count = e.count.unwrap_or(0);
    if let Some(series) = &e.series {
        last_seen = age(series.last_observed_time.as_ref().map(|t| t.0), now);
        count = series.count.unwrap_or(0);
    } else if count == 0 {
        count = 1; // singleton events carry no count in the new API
    }
    let object = &e.involved_object;
    let kind = object.kind.as_deref().unwrap_or("").to_lowercase();
    let target = match object.name.as_deref().filter(|n| !n.is_empty()) {
        Some(n) => format!("{kind}/{n}"),
        None => kind,
    };
    let source = e.source.clone().unwrap_or_default();
    let pick = |a: Option<String>, b: &Option<String>| {
        a.filter(|s| !s.is_empty())
            .or_else(|| b.clone())
            .unwrap_or_default()
    };
    let component = pick(source.component, &e.reporting_component);
    let source = match pick(source.host, &e.reporting_instance) {
        host if host.is_empty() => component,
        host => format!("{component}, {host}"),
    };
    plain(vec![
        last_seen.into(),
        e.type_.clone().unwrap_or_default().into(),
        e.reason.clone().unwrap_or_default().into(),
        target.into(),
        object.field_path.clone().unwrap_or_default().into(),
        source.into(),
        e.message.as_deref().unwrap_or("").trim().into(),
        first_seen.into(),
        i64::from(count).into(),
        name(&e.metadata),
    ])
}

fn node_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let n: &Node = &parse(o)?;
    let status = n.status.clone().unwrap_or_default();
    // The last Ready condition wins, as in the printer's condition map.
    let conditions = status.conditions.as_deref().unwrap_or(&[]);
    let mut state = vec![match conditions.iter().rev().find(|c| c.type_ == "Ready") {
        Some(c) if c.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true) {
        state.push("SchedulingDisabled");
    }
    let mut roles: Vec<&str> = Vec::new();
    for (k, v) in n.metadata.labels.iter().flatten() {
        match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => roles.push(role),
            _ if k == "kubernetes.io/role" && !v.is_empty() => roles.push(v),
            _ => {}
        }
    }
    roles.sort_unstable();
    roles.dedup();
    let addresses = status.addresses.as_deref().unwrap_or(&[]);
    let address = |ty: &str| {
        addresses
            .iter()
            .find(|a| a.type_ == ty)
            .map(|a| a.address.as_str())
    };
    let info = status.node_info.unwrap_or_default();
    plain(vec![
        name(&n.metadata),
        state.join(",").into(),
        or(&roles.join(","), "<none>"),
        created(&n.metadata, now),
        info.kubelet_version.clone().into(),
        address("InternalIP").unwrap_or("<none>").into(),
        address("ExternalIP").unwrap_or("<none>").into(),
        or(&info.os_image, "<unknown>"),
        or(&info.kernel_version, "<unknown>"),
        or(&info.container_runtime_version, "<unknown>"),
    ])
}

fn service_cells(o: &Value, now: Timestamp) -> Option<Cells> {
    let svc: &Service = &parse(o)?;
    let spec = svc.spec.clone().unwrap_or_default();
    let ty = spec.type_.clone().filter(|t| !t.is_empty());
    let ty = ty.unwrap_or_else(|| "ClusterIP".into());
    // clusterIP wins over clusterIPs, as in the v1 to internal conversion.
    let first_ip = spec.cluster_ips.as_ref().and_then(|ips| ips.first());
    let cluster_ip = spec
        .cluster_ip
        .as_ref()
        .filter(|ip| !ip.is_empty())
        .or(first_ip);
    let external_ips = spec.external_ips.clone().unwrap_or_default();
    let external = match ty.as_str() {
        "ClusterIP" | "NodePort" if external_ips.is_empty() => "<none>".to_string(),
        "ClusterIP" | "NodePort" => external_ips.join(","),
        "LoadBalancer" => {
            let lb = svc.status.as_ref().and_then(|s| s.load_balancer.as_ref());
            let ingress = lb.and_then(|l| l.ingress.as_deref()).unwrap_or(&[]);
            let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
            let mut ips: Vec<String> = ingress
                .iter()
                .filter_map(|i| non_empty(&i.ip).or_else(|| non_empty(&i.hostname)))
                .collect();
            ips.sort();
            ips.dedup();
            ips.extend(external_ips);
            if ips.is_empty() {
                "<pending>".into()
            } else {
                ips.join(",")
            }
        }
        "ExternalName" => spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".to_string(),
    };
    let port = |p: &ServicePort| {
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        match p.node_port {
            Some(node_port) if node_port > 0 => format!("{}:{node_port}/{proto}", p.port),
            _ => format!("{}/{proto}", p.port),
        }
    };
    let ports: Vec<String> = spec.ports.iter().flatten().map(port).collect();
    plain(vec![
        name(&svc.metadata),
        ty.into(),
        or_none(cluster_ip.map(String::as_str)),
        external.into(),
        or(&ports.join(","), "<none>"),
        created(&svc.metadata, now),
        format_labels(spec.selector.as_ref()),
    ])
}
#[cfg(test)]
#[rustfmt::skip] // table-driven fixtures read best one object or row per line
mod tests {
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
}
