//! The events of one logs session held back until its first reads are in,
//! so that a picture shows every line the server would give at that moment,
//! in an order that does not depend on the network.

use std::collections::BTreeMap;

use crate::cluster;
use crate::model::log_stream::{LogEvent, StreamId};
use crate::state::Msg;

/// The events of one logs session, held until its first reads are in, then
/// handed on stream by stream: the order the streams' lines arrive in is
/// up to the network, and a picture must not be.
pub(super) struct HeldLogs {
    pub session: u64,
    /// What the first reads return, once asked.
    pub expected: Option<cluster::FirstReads>,
    /// Events about the whole session (a cap, "no pods"), in order.
    general: Vec<LogEvent>,
    streams: BTreeMap<StreamId, HeldStream>,
}

#[derive(Default)]
struct HeldStream {
    /// In arrival order, each batch's lines of this stream in one event.
    events: Vec<LogEvent>,
    /// Joined, failed or left: the stream said something of itself.
    reported: bool,
    /// Left, or failed for good.
    ended: bool,
    lines: usize,
}

impl HeldLogs {
    pub fn new(session: u64) -> HeldLogs {
        HeldLogs {
            session,
            expected: None,
            general: Vec::new(),
            streams: BTreeMap::new(),
        }
    }

    pub fn hold(&mut self, event: LogEvent) {
        let stream = match &event {
            LogEvent::Lines(lines) => {
                let mut by_stream: BTreeMap<StreamId, Vec<_>> = BTreeMap::new();
                for line in lines {
                    by_stream
                        .entry(line.stream.clone())
                        .or_default()
                        .push(line.clone());
                }
                for (id, lines) in by_stream {
                    let held = self.streams.entry(id).or_default();
                    held.lines += lines.len();
                    held.events.push(LogEvent::Lines(lines));
                }
                return;
            }
            LogEvent::Joined { stream, .. }
            | LogEvent::Left { stream, .. }
            | LogEvent::Restarted { stream, .. }
            | LogEvent::Failed {
                stream: Some(stream),
                ..
            } => stream.clone(),
            LogEvent::Capped { .. } | LogEvent::Failed { stream: None, .. } => {
                self.general.push(event);
                return;
            }
        };
        let held = self.streams.entry(stream).or_default();
        held.reported = true;
        held.ended |= matches!(
            event,
            LogEvent::Left { .. }
                | LogEvent::Failed {
                    retrying: false,
                    ..
                }
        );
        held.events.push(event);
    }

    /// What is not in yet, in words; `None` when complete.
    pub fn missing(&self) -> Option<String> {
        let Some(expected) = &self.expected else {
            return Some("the logs' first reads to be counted".into());
        };
        if expected.streams.is_empty() {
            return (expected.explained && self.general.is_empty())
                .then(|| "the logs pane to say why it has no stream".into());
        }
        let short: Vec<String> = expected
            .streams
            .iter()
            .filter_map(|(id, want)| {
                let held = self.streams.get(id);
                let got = held.map_or(0, |h| h.lines);
                let reported = held.is_some_and(|h| h.reported);
                let ended = held.is_some_and(|h| h.ended);
                (!reported || got < want.lines || (want.ends && !ended)).then(|| {
                    let end = if want.ends { ", then its end" } else { "" };
                    format!(
                        "{}/{} ({got} of {} lines{end})",
                        id.pod, id.container, want.lines
                    )
                })
            })
            .collect();
        // Over the stream cap, the queued containers never report: only
        // as many as are streamed need to.
        let streamed = expected.streams.len().min(expected.max_streams);
        if short.is_empty() || expected.streams.len() - short.len() >= streamed {
            None
        } else {
            Some(format!("the logs of {}", short.join(", ")))
        }
    }

    /// The held events as Msgs: the session's own first, then each stream's
    /// in the order of their names.
    pub fn release(self) -> Vec<Msg> {
        let session = self.session;
        self.general
            .into_iter()
            .chain(self.streams.into_values().flat_map(|s| s.events))
            .map(|event| Msg::Logs { session, event })
            .collect()
    }
}

#[cfg(test)]
mod tests;
