//! Events as the console keeps them: one row per event object, with the
//! times that decide "last seen" computed once (k9s got this wrong five times).
//!
//! An Event written by the old core/v1 recorder carries `firstTimestamp`,
//! `lastTimestamp` and `count`; one written through events.k8s.io/v1 carries
//! `eventTime` and a `series` instead, and leaves the others zero. Both kinds
//! arrive through the core/v1 API, so every time and count is read from
//! whichever field the writer filled.

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Event;

use super::pod_health::{non_empty, time};

/// The object an event is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// One event object as a row of the events pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInfo {
    pub namespace: String,
    pub name: String,
    /// `type == Warning`.
    pub warning: bool,
    pub reason: String,
    pub object: ObjectRef,
    /// `involvedObject.fieldPath`: the container an event is about, written
    /// `spec.containers{app}` by the kubelet.
    pub field_path: Option<String>,
    /// `count`, or `series.count`, at least 1.
    pub count: u32,
    /// firstTimestamp, else eventTime, else creationTimestamp.
    pub first_seen: Option<Timestamp>,
    /// The latest of lastTimestamp, series.lastObservedTime, eventTime,
    /// firstTimestamp, creationTimestamp.
    pub last_seen: Option<Timestamp>,
    pub message: String,
    /// `source.component` or `reportingController`.
    pub source: String,
    /// `source.host` or `reportingInstance`: the node, for kubelet events.
    pub source_host: Option<String>,
}

impl EventInfo {
    /// Converts an Event. Never panics; a zero or negative count is 1 (the
    /// event happened at least once), Go zero times are no times.
    pub fn from_event(e: &Event) -> EventInfo {
        let meta = &e.metadata;
        let created = time(meta.creation_timestamp.as_ref());
        let first = time(e.first_timestamp.as_ref());
        let last = time(e.last_timestamp.as_ref());
        let event_time = e.event_time.as_ref().map(|t| t.0).filter(|t| !is_zero(*t));
        let series_last = e
            .series
            .as_ref()
            .and_then(|s| s.last_observed_time.as_ref())
            .map(|t| t.0)
            .filter(|t| !is_zero(*t));
        let count = e
            .count
            .unwrap_or(0)
            .max(e.series.as_ref().and_then(|s| s.count).unwrap_or(0))
            .max(1);
        let source = e.source.as_ref();
        let obj = &e.involved_object;
        EventInfo {
            namespace: meta.namespace.clone().unwrap_or_default(),
            name: meta.name.clone().unwrap_or_default(),
            warning: e.type_.as_deref() == Some("Warning"),
            reason: e.reason.clone().unwrap_or_default(),
            object: ObjectRef {
                kind: obj.kind.clone().unwrap_or_default(),
                namespace: obj.namespace.clone().unwrap_or_default(),
                name: obj.name.clone().unwrap_or_default(),
            },
            field_path: non_empty(obj.field_path.as_deref()),
            count: u32::try_from(count).unwrap_or(1),
            first_seen: first.or(event_time).or(created),
            last_seen: [last, series_last, event_time, first, created]
                .into_iter()
                .flatten()
                .max(),
            message: e.message.clone().unwrap_or_default(),
            source: non_empty(source.and_then(|s| s.component.as_deref()))
                .or_else(|| non_empty(e.reporting_component.as_deref()))
                .unwrap_or_default(),
            source_host: non_empty(source.and_then(|s| s.host.as_deref()))
                .or_else(|| non_empty(e.reporting_instance.as_deref())),
        }
    }

    pub fn key(&self) -> super::ObjectKey {
        super::ObjectKey::new(&self.namespace, &self.name)
    }

    /// The SOURCE column as kubectl prints it: `kubelet, node-1`, or just
    /// `default-scheduler` when there is no host.
    pub fn source_column(&self) -> String {
        match &self.source_host {
            Some(h) => format!("{}, {h}", self.source),
            None => self.source.clone(),
        }
    }

    /// The container named in `fieldPath` (`spec.containers{app}` → `app`).
    pub fn container(&self) -> Option<&str> {
        let fp = self.field_path.as_deref()?;
        let start = fp.find('{')? + 1;
        let end = fp[start..].find('}')? + start;
        Some(&fp[start..end]).filter(|c| !c.is_empty())
    }
}

fn is_zero(t: Timestamp) -> bool {
    super::pod_status::is_go_zero(t)
}

#[cfg(test)]
mod tests;

/// How many events the console keeps, newest by last seen. A 10,000-pod
/// cluster holds 60,000 events or more within the API server's one-hour TTL;
/// the first minutes of an incident need the recent ones, and memory stays
/// bounded (the view says how many older ones were let go).
pub const EVENTS_KEPT: usize = 10_000;

/// Keeps the `limit` newest events (by last seen, then name for a stable
/// choice); returns how many were dropped.
pub fn keep_newest(events: &mut Vec<EventInfo>, limit: usize) -> usize {
    if events.len() <= limit {
        return 0;
    }
    let dropped = events.len() - limit;
    events.select_nth_unstable_by(limit, |a, b| {
        b.last_seen
            .cmp(&a.last_seen)
            .then_with(|| a.namespace.cmp(&b.namespace))
            .then_with(|| a.name.cmp(&b.name))
    });
    events.truncate(limit);
    events.shrink_to_fit();
    dropped
}
