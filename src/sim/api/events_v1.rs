//! `events.k8s.io/v1`: the same Events as core/v1, in another shape. The sim
//! stores core/v1 Events and converts at the edge, both ways.

use serde_json::{Value, json};

use super::request::Req;

/// The object as this API resource shows it (events.k8s.io sees core events
/// in its own shape).
pub fn present(req: &Req, stored: &Value) -> Value {
    if req.target.rt.group == "events.k8s.io" {
        to_events_v1(stored)
    } else if req.target.custom.is_some() {
        // A custom resource stored at another version reads as this one
        // (the `None` conversion strategy: only apiVersion changes).
        let mut v = stored.clone();
        v["apiVersion"] = Value::String(req.target.rt.api_version());
        v
    } else {
        stored.clone()
    }
}

/// A core/v1 Event in its events.k8s.io/v1 shape.
pub fn to_events_v1(core: &Value) -> Value {
    let mut v = json!({
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": core["metadata"],
        "eventTime": core["eventTime"],
        "reportingController": core["reportingComponent"].as_str().filter(|s| !s.is_empty()).or(core["source"]["component"].as_str()).unwrap_or(""),
        "reportingInstance": core["reportingInstance"].as_str().filter(|s| !s.is_empty()).or(core["source"]["host"].as_str()).unwrap_or(""),
        "action": core["action"].as_str().unwrap_or(core["reason"].as_str().unwrap_or("")),
        "reason": core["reason"],
        "regarding": core["involvedObject"],
        "note": core["message"],
        "type": core["type"],
        "deprecatedSource": core["source"],
        "deprecatedFirstTimestamp": core["firstTimestamp"],
        "deprecatedLastTimestamp": core["lastTimestamp"],
        "deprecatedCount": core["count"],
    });
    if !core["series"].is_null() {
        v["series"] = core["series"].clone();
    }
    if !core["related"].is_null() {
        v["related"] = core["related"].clone();
    }
    if let Some(o) = v.as_object_mut() {
        o.retain(|_, x| !x.is_null());
    }
    v
}

/// An events.k8s.io/v1 Event in its core/v1 shape (how the sim stores it).
pub fn from_events_v1(v1: &Value) -> Value {
    let mut core = json!({
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": v1["metadata"],
        "involvedObject": v1["regarding"],
        "reason": v1["reason"],
        "message": v1["note"],
        "type": v1["type"],
        "eventTime": v1["eventTime"],
        "reportingComponent": v1["reportingController"],
        "reportingInstance": v1["reportingInstance"],
        "action": v1["action"],
        "source": v1["deprecatedSource"],
        "firstTimestamp": v1["deprecatedFirstTimestamp"],
        "lastTimestamp": v1["deprecatedLastTimestamp"],
        "count": v1["deprecatedCount"],
        "series": v1["series"],
        "related": v1["related"],
    });
    if let Some(o) = core.as_object_mut() {
        o.retain(|k, x| !x.is_null() || k == "eventTime");
    }
    core
}

#[cfg(test)]
mod tests;
