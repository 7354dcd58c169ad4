//! What the event recorder remembers: the Event each (object, reason,
//! message, source) became, for de-duplication and the TTL. The recording
//! itself is in `events.rs`.

use std::collections::HashMap;

/// Where an event went and when it last happened (for the TTL).
pub struct Recorded {
    pub namespace: String,
    pub name: String,
    pub last: jiff::Timestamp,
}

/// What the event recorder remembers between steps.
#[derive(Default)]
pub struct EventRecorder {
    /// Hash of the de-duplication key → the event it was recorded as.
    pub index: HashMap<u64, Recorded>,
    /// Events recorded so far (makes names unique within a nanosecond).
    pub seq: u64,
    /// When events were last swept for TTL.
    pub last_sweep: Option<jiff::Timestamp>,
}
