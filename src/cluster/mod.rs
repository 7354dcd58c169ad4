//! All kube-rs I/O: the client from kubeconfig and context, watchers, the
//! metrics poller and log streams turned into [`Update`]s. Objects are
//! converted to the model's summaries here, at the edge; nothing from
//! `k8s_openapi` reaches the UI. This module knows nothing of the console's
//! state: the app maps each `Update` to a `Msg`.
//!
//! - [`connect`]: kubectl's rules for kubeconfig, context and namespace,
//!   errors as sentences ([`ConnectError`]).
//! - [`spawn_watchers`]: one watcher per resource plus the metrics poll,
//!   all stopped when the returned [`WatchSet`] is dropped.
//! - [`spawn_logs`]: a pod's or a workload's log streams, batched, all
//!   stopped when the returned [`LogSession`] is dropped.
//! - [`load_history`]: a workload's rollout history, read on demand.

pub mod actions;
mod browse;
mod connect;
mod errors;
pub mod history;
mod logs;
mod metrics;
mod node_load;
mod snapshot;
mod watch;

use crate::model::Clock;
use crate::model::cluster::ClusterChange;
use crate::model::log_stream::LogEvent;

pub use browse::object_yaml;
pub use connect::{
    ConnectOptions, LoadedKubeconfig, Resolved, Session, client_for_url, connect, connect_context,
    connect_with, load_kubeconfig, resolve,
};
pub use errors::{ConnectError, describe_kube_error, describe_status, describe_watch_error};
pub use history::load_history;
pub use logs::{FirstRead, FirstReads, LogOptions, LogSession, expected_first_reads, spawn_logs};
pub use snapshot::{Replay, initial_sync, node_wide};
pub use watch::{
    NODE_EVENTS_NAMESPACE, WatchOptions, WatchSet, spawn_watchers, spawn_watchers_with,
};

/// What the cluster side reports, tagged so that late reports of stopped
/// watchers or closed log sessions can be told apart and dropped.
#[derive(Debug, Clone)]
pub enum Update {
    /// From the watchers of `generation` (a namespace or context switch
    /// starts a new generation).
    Watch {
        generation: u64,
        change: ClusterChange,
    },
    /// From the streams of logs session `session`.
    Logs { session: u64, event: LogEvent },
}

/// The wall clock.
pub fn system_clock() -> Clock {
    std::sync::Arc::new(jiff::Timestamp::now)
}

impl Session {
    /// Starts the watchers for this session's cluster in `namespace`
    /// (`None`: all), naming its server in errors.
    pub fn watch(
        &self,
        namespace: Option<String>,
        generation: u64,
        tx: tokio::sync::mpsc::Sender<crate::cluster::Update>,
        clock: Clock,
    ) -> WatchSet {
        spawn_watchers_with(
            self.client.clone(),
            namespace,
            generation,
            tx,
            clock,
            WatchOptions {
                server: self.connection.server.clone(),
                ..WatchOptions::default()
            },
        )
    }
}
