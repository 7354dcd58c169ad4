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
    row_of(cells, conditions, object, include)
}

/// A `TableRow`: its cells, row conditions and the object as asked for.
fn row_of(
    cells: Vec<Value>,
    conditions: Option<Value>,
    object: &Value,
    include: IncludeObject,
) -> Value {
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

/// Who fills the columns of each resource's table.
const PRINTERS: &[(&str, &[Col], CellsFn)] = &[
    ("pods", columns::PODS, pod_cells),
    ("deployments", columns::DEPLOYMENTS, deployment_cells),
    ("replicasets", columns::REPLICASETS, replicaset_cells),
    ("statefulsets", columns::STATEFULSETS, statefulset_cells),
    ("daemonsets", columns::DAEMONSETS, daemonset_cells),
    ("events", columns::EVENTS, event_cells),
    ("nodes", columns::NODES, node_cells),
    ("namespaces", columns::NAMESPACES, namespace_cells),
    ("services", columns::SERVICES, service_cells),
    ("configmaps", columns::CONFIGMAPS, configmap_cells),
    ("secrets", columns::SECRETS, secret_cells),
    (
        "horizontalpodautoscalers",
        columns::HPAS,
        autoscaling_batch::hpa_cells,
    ),
    ("jobs", columns::JOBS, autoscaling_batch::job_cells),
    (
        "cronjobs",
        columns::CRONJOBS,
        autoscaling_batch::cronjob_cells,
    ),
    ("endpoints", columns::ENDPOINTS, network::endpoints_cells),
    (
        "endpointslices",
        columns::ENDPOINTSLICES,
        network::endpointslice_cells,
    ),
    ("ingresses", columns::INGRESSES, network::ingress_cells),
    (
        "ingressclasses",
        columns::INGRESSCLASSES,
        network::ingressclass_cells,
    ),
    (
        "resourcequotas",
        columns::RESOURCEQUOTAS,
        network::resourcequota_cells,
    ),
];

fn printer(resource: &str) -> Printer {
    let known = PRINTERS.iter().find(|(r, _, _)| *r == resource);
    let (_, columns, cells) = known
        .copied()
        .unwrap_or(("", columns::DEFAULT, default_cells));
    Printer { columns, cells }
}

mod autoscaling_batch;
/// Tables of custom resources, from their printer columns.
pub mod custom;
mod jsonpath;

/// Column definitions in the printers' order and wording.
#[rustfmt::skip]
mod columns;

use columns::Col;

mod network;

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
    crate::sim::cluster::time::k8s_time(t)
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
#[rustfmt::skip]
mod tests;
