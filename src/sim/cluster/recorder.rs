//! What the event recorder remembers: the Event each (object, reason,
//! message, source) became, for de-duplication and the TTL. The recording
//! itself is in `events.rs`.

use std::collections::{HashMap, HashSet};

/// Where an event went and when it last happened (for the TTL).
pub struct Recorded {
    pub namespace: String,
    pub name: String,
    pub last: jiff::Timestamp,
}

/// Different messages for one object, reason and source, and when the last came.
#[derive(Default)]
pub struct Similar {
    pub messages: HashSet<u64>,
    pub last: Option<jiff::Timestamp>,
}

/// What the event recorder remembers between steps.
#[derive(Default)]
pub struct EventRecorder {
    /// Hash of the de-duplication key → the event it was recorded as.
    pub index: HashMap<u64, Recorded>,
    /// Per object, reason and source: the different messages seen lately
    /// (client-go's EventAggregator), to combine similar events.
    pub similar: HashMap<u64, Similar>,
    /// Events recorded so far (makes names unique within a nanosecond).
    pub seq: u64,
    /// When events were last swept for TTL.
    pub last_sweep: Option<jiff::Timestamp>,
}
