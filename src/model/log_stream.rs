//! Log streams: which logs to stream, and what the streams report (the
//! contract between `cluster::logs` and the logs pane).

use std::sync::Arc;

use jiff::Timestamp;

/// One container's stream: which pod and container it reads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamId {
    pub namespace: Arc<str>,
    pub pod: Arc<str>,
    pub container: Arc<str>,
}

/// A line as it came off the wire: bytes, not yet trusted. The stream has
/// already split the `timestamps=true` prefix off and cut the line at the
/// length limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLine {
    pub stream: StreamId,
    /// The kubelet's timestamp for the line (`timestamps=true`).
    pub at: Option<Timestamp>,
    /// The line without its newline; may be invalid UTF-8 or hold escapes.
    pub bytes: Box<[u8]>,
    /// Bytes cut off because the line was longer than the limit.
    pub cut: usize,
    /// From the previous (terminated) container instance.
    pub previous: bool,
}

/// What happened to the streams of one logs session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEvent {
    /// Lines in arrival order, a batch at a time.
    Lines(Vec<RawLine>),
    /// A container's stream opened (a new pod joined a workload's tail).
    Joined { stream: StreamId, previous: bool },
    /// A container's stream ended for good (pod deleted, not following).
    Left { stream: StreamId, reason: String },
    /// A followed container restarted; the stream goes on with the new one.
    Restarted {
        stream: StreamId,
        /// `OOMKilled`, `Error`, `Completed`…
        reason: String,
        exit_code: Option<i32>,
    },
    /// More containers than the stream cap: only `streaming` are followed.
    Capped { streaming: usize, total: usize },
    /// A stream failed. `retrying`: it will try again by itself.
    Failed {
        stream: Option<StreamId>,
        error: String,
        retrying: bool,
    },
}

/// Which logs to stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTarget {
    /// One pod: every container, or `container`.
    Pod {
        namespace: String,
        pod: String,
        container: Option<String>,
    },
    /// Every pod matching `selector` (a workload's `matchLabels`).
    Workload {
        namespace: String,
        kind: super::workload::WorkloadKind,
        name: String,
        selector: super::labels::Labels,
    },
    /// Every pod a Job made (its `selector`; the job-name label when the
    /// Job has none), finished ones included: a failed Job's pods have
    /// ended, and their last words are why one opens them.
    Job {
        namespace: String,
        name: String,
        selector: super::labels::Labels,
    },
}

impl LogTarget {
    pub fn namespace(&self) -> &str {
        match self {
            LogTarget::Pod { namespace, .. }
            | LogTarget::Workload { namespace, .. }
            | LogTarget::Job { namespace, .. } => namespace,
        }
    }
}
