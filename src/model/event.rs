//! Events as the console keeps them: one row per event object, with the
//! times that decide "last seen" computed once (k9s got this wrong five times).

use jiff::Timestamp;
use k8s_openapi::api::core::v1::Event;

/// The object an event is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventInfo {
    pub namespace: String,
    pub name: String,
    /// `type == Warning`.
    pub warning: bool,
    pub reason: String,
    pub object: ObjectRef,
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
}

impl EventInfo {
    pub fn from_event(_e: &Event) -> EventInfo {
        todo!("model helper")
    }
    pub fn key(&self) -> super::ObjectKey {
        super::ObjectKey::new(&self.namespace, &self.name)
    }
}
