//! The Events the kubelet reports about a pod and its containers.

use serde_json::{Value, json};

use crate::sim::cluster::events;
use crate::sim::cluster::runtime::PodRuntime;
use crate::sim::cluster::world::World;

/// The pod an Event is about.
pub(super) fn pod_ref(rt: &PodRuntime) -> Value {
    json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": rt.name, "namespace": rt.namespace, "uid": rt.uid}})
}

/// Records an Event from `node`'s kubelet, about one container when named.
pub(super) fn event(
    w: &mut World,
    rt_ref: &Value,
    node: &str,
    container: Option<&str>,
    warning: bool,
    reason: &str,
    message: &str,
) {
    let fp = container.map(|c| format!("spec.containers{{{c}}}"));
    events::record(
        w,
        rt_ref,
        fp.as_deref(),
        warning,
        reason,
        message,
        events::kubelet(node),
    );
}
