//! Events the simulated components emit (Scheduled, Pulling, BackOff,
//! OOMKilling, ScalingReplicaSet, …), de-duplicated the way client-go's
//! recorder does it: the same object, reason, message and source bump `count`,
//! `lastTimestamp` and `series` of one Event instead of creating another.

use jiff::SignedDuration;
use serde_json::{Value, json};

use super::recorder::Recorded;
use super::time::{k8s_micro_time, k8s_time};
use super::world::World;

/// How long events live, as the API server's default `--event-ttl`.
pub const EVENT_TTL: SignedDuration = SignedDuration::from_secs(3600);

/// How many different messages about one object and reason are recorded
/// as they are before they are combined (client-go's `maxEvents`)...
pub const AGGREGATE_AFTER: usize = 10;
/// ...within this long (`maxIntervalInSeconds`).
pub const AGGREGATE_WINDOW: SignedDuration = SignedDuration::from_secs(600);

fn hash_of(v: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// Who emits an event: `source.component` and, for the kubelet, its node.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

pub const SCHEDULER: Source<'static> = Source {
    component: "default-scheduler",
    host: None,
};
pub const DEPLOYMENT_CONTROLLER: Source<'static> = Source {
    component: "deployment-controller",
    host: None,
};
pub const REPLICASET_CONTROLLER: Source<'static> = Source {
    component: "replicaset-controller",
    host: None,
};
pub const STATEFULSET_CONTROLLER: Source<'static> = Source {
    component: "statefulset-controller",
    host: None,
};
pub const DAEMONSET_CONTROLLER: Source<'static> = Source {
    component: "daemonset-controller",
    host: None,
};

pub fn kubelet(node: &str) -> Source<'_> {
    Source {
        component: "kubelet",
        host: Some(node),
    }
}

/// Records an event about `object` (a full object JSON). `field_path` names a
/// container, as the kubelet does (`spec.containers{app}`).
pub fn record(
    w: &mut World,
    object: &Value,
    field_path: Option<&str>,
    warning: bool,
    reason: &str,
    message: &str,
    source: Source<'_>,
) {
    let meta = &object["metadata"];
    let namespace = meta["namespace"].as_str().unwrap_or("default").to_string();
    let obj_name = meta["name"].as_str().unwrap_or("").to_string();
    let uid = meta["uid"].as_str().unwrap_or("");
    let kind = object["kind"].as_str().unwrap_or("");
    let now = w.now;
    // client-go's EventAggregator: past AGGREGATE_AFTER different messages
    // for the same object, reason and source within AGGREGATE_WINDOW (pod
    // names in `Error creating: pods "x-abcde" …`), they become one event,
    // its message the latest, prefixed.
    let similar_key = hash_of((uid, kind, source.component, source.host, warning, reason));
    let message_key = hash_of(message);
    let similar = w.recorder.similar.entry(similar_key).or_default();
    if similar
        .last
        .is_some_and(|t| now.duration_since(t) > AGGREGATE_WINDOW)
    {
        similar.messages.clear();
    }
    similar.last = Some(now);
    similar.messages.insert(message_key);
    let combined;
    let (message, key) = if similar.messages.len() < AGGREGATE_AFTER {
        // The recorder's de-duplication key: same object, reason, message, source.
        let key = hash_of((uid, field_path, reason, message, source.component, warning));
        (message, key)
    } else {
        combined = format!("(combined from similar events): {message}");
        (combined.as_str(), similar_key)
    };
    if let Some(rec) = w.recorder.index.get_mut(&key)
        && let Some(mut ev) = w.store.get_value("events", &rec.namespace, &rec.name)
    {
        rec.last = now;
        let count = ev["count"].as_i64().unwrap_or(1) + 1;
        ev["count"] = json!(count);
        ev["message"] = json!(message);
        ev["lastTimestamp"] = json!(k8s_time(now));
        ev["series"] = json!({"count": count, "lastObservedTime": k8s_micro_time(now)});
        w.put_internal("events", ev);
        return;
    }
    w.recorder.seq += 1;
    // client-go names events `<object>.<unix nanos in hex>`.
    let nanos = now.as_nanosecond() as u128 + u128::from(w.recorder.seq);
    let name = format!("{obj_name}.{nanos:x}");
    let mut involved = json!({
        "kind": kind,
        "namespace": meta["namespace"],
        "name": obj_name,
        "uid": uid,
        "apiVersion": object["apiVersion"],
        "resourceVersion": meta["resourceVersion"],
    });
    if meta["namespace"].is_null() {
        involved["namespace"] = json!("");
    }
    if let Some(fp) = field_path {
        involved["fieldPath"] = json!(fp);
    }
    let mut src = json!({"component": source.component});
    if let Some(host) = source.host {
        src["host"] = json!(host);
    }
    let ev = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": w.rng.uuid(),
            "creationTimestamp": k8s_time(now),
        },
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": src,
        "firstTimestamp": k8s_time(now),
        "lastTimestamp": k8s_time(now),
        "count": 1,
        "type": if warning { "Warning" } else { "Normal" },
        "eventTime": null,
        "reportingComponent": source.component,
        "reportingInstance": source.host.unwrap_or(""),
    });
    w.put_internal("events", ev);
    w.recorder.index.insert(
        key,
        Recorded {
            namespace,
            name,
            last: now,
        },
    );
}

/// Deletes events older than [`EVENT_TTL`] (checked once a virtual minute).
pub fn expire(w: &mut World) {
    let now = w.now;
    if w.recorder
        .last_sweep
        .is_some_and(|t| now.duration_since(t) < SignedDuration::from_secs(60))
    {
        return;
    }
    w.recorder.last_sweep = Some(now);
    w.recorder.similar.retain(|_, s| {
        s.last
            .is_some_and(|t| now.duration_since(t) <= AGGREGATE_WINDOW)
    });
    let expired: Vec<u64> = w
        .recorder
        .index
        .iter()
        .filter(|(_, r)| now.duration_since(r.last) > EVENT_TTL)
        .map(|(k, _)| *k)
        .collect();
    for key in expired {
        if let Some(r) = w.recorder.index.remove(&key) {
            w.store.remove("events", &r.namespace, &r.name);
        }
    }
}
