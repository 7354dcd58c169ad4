//! Log streams turned into `Update::Logs`: one pod's containers, or every pod
//! of a workload in one session, the way stern tails them.
//!
//! - A pod watcher (the pod by name, or the workload's label selector)
//!   decides which containers are streamed: pods that appear join, deleted
//!   ones leave, and at most [`LogOptions::max_streams`] containers are
//!   streamed at once (`Capped` says when the cap applies). Regular
//!   containers only; init and ephemeral containers are not tailed.
//! - One task per container reads `pods/log` with `timestamps=true` through
//!   a bounded line reader ([`lines`]): a line never holds more than
//!   [`LogOptions::line_limit`] bytes, the rest is counted in `RawLine::cut`.
//!   A followed container that restarts goes on with its new instance
//!   (`Restarted`, then the new container's log from its start).
//! - Every line and event goes through one bounded channel to a batcher,
//!   which sends `LogEvent::Lines` of up to [`LogOptions::batch`] lines or
//!   whatever arrived within [`LogOptions::batch_window`]. Its sends await:
//!   a slow UI makes the streams wait (and the server with them) instead of
//!   growing memory.
//!
//! Dropping the [`LogSession`] stops every task.

mod batch;
mod expect;
mod lines;
mod pods;
mod stream;
mod view;

use std::sync::Arc;
use std::time::Duration;

use kube::Client;
use tokio::sync::mpsc::{self, Sender};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::Clock;
use crate::cluster::Update;
use crate::model::log_stream::{LogEvent, RawLine};

pub use expect::{FirstRead, FirstReads, expected_first_reads};

use crate::model::log_stream::LogTarget;

/// How to tail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogOptions {
    /// Keep streaming as containers log (and across restarts).
    pub follow: bool,
    /// The previous (terminated) container's log instead, once, no follow.
    pub previous: bool,
    /// Only lines of the last this long (`sinceSeconds`, whole seconds).
    pub since: Option<Duration>,
    /// Only the last this many lines of each container (`tailLines`).
    pub tail: Option<i64>,
    /// Most containers streamed at once (stern's default is 50).
    pub max_streams: usize,
    /// Longest line kept, in bytes; the rest is counted in `RawLine::cut`.
    pub line_limit: usize,
    /// Most lines in one `LogEvent::Lines`.
    pub batch: usize,
    /// Longest a line waits for its batch to fill.
    pub batch_window: Duration,
}

impl Default for LogOptions {
    fn default() -> LogOptions {
        LogOptions {
            follow: true,
            previous: false,
            since: None,
            tail: Some(200),
            max_streams: 50,
            line_limit: 64 * 1024,
            batch: 1024,
            batch_window: Duration::from_millis(50),
        }
    }
}

impl LogOptions {
    /// The previous containers' logs, read once.
    pub fn previous() -> LogOptions {
        LogOptions {
            follow: false,
            previous: true,
            tail: None,
            ..LogOptions::default()
        }
    }

    /// `previous` reads once, whatever `follow` says.
    fn following(&self) -> bool {
        self.follow && !self.previous
    }
}

/// Lines and events waiting for the batcher, across all streams.
const QUEUE: usize = 128;

/// The tasks of one logs session. Dropping it stops them all.
pub struct LogSession {
    session: u64,
    tasks: JoinSet<()>,
}

impl LogSession {
    pub fn session(&self) -> u64 {
        self.session
    }

    /// Stops every stream now (dropping does the same).
    pub fn abort(&mut self) {
        self.tasks.abort_all();
    }
}

impl Drop for LogSession {
    fn drop(&mut self) {
        self.tasks.abort_all();
    }
}

impl std::fmt::Debug for LogSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSession")
            .field("session", &self.session)
            .field("tasks", &self.tasks.len())
            .finish()
    }
}

/// Tails `target` and sends what happens as `Update::Logs { session, .. }` on
/// `tx`. Errors name "the API server"; [`super::Session::logs`] names it.
pub fn spawn_logs(
    client: Client,
    target: LogTarget,
    options: LogOptions,
    session: u64,
    tx: Sender<Update>,
    clock: Clock,
) -> LogSession {
    spawn_logs_at(client, target, options, session, tx, clock, "")
}

pub(crate) fn spawn_logs_at(
    client: Client,
    target: LogTarget,
    options: LogOptions,
    session: u64,
    tx: Sender<Update>,
    clock: Clock,
    server: &str,
) -> LogSession {
    let (out_tx, out_rx) = mpsc::channel(QUEUE);
    let mut tasks = JoinSet::new();
    tasks.spawn(batch::run(
        out_rx,
        tx,
        session,
        options.batch.max(1),
        options.batch_window,
    ));
    let shared = Arc::new(pods::Shared {
        api: kube::Api::namespaced(client, target.namespace()),
        options,
        clock,
        server: Arc::from(server),
    });
    tasks.spawn(pods::supervise(shared, target, Out(out_tx)));
    LogSession { session, tasks }
}

impl super::Session {
    /// Tails `target` on this session's cluster, naming its server in errors.
    pub fn logs(
        &self,
        target: LogTarget,
        options: LogOptions,
        session: u64,
        tx: Sender<Update>,
        clock: Clock,
    ) -> LogSession {
        spawn_logs_at(
            self.client.clone(),
            target,
            options,
            session,
            tx,
            clock,
            &self.connection.server,
        )
    }
}

/// What the streams hand the batcher, in the order it is to be sent.
#[derive(Debug)]
enum Item {
    Line(RawLine),
    Event(LogEvent),
}

/// The batcher is gone: the session was dropped.
#[derive(Debug)]
struct Closed;

/// The streams' end of the channel to the batcher.
#[derive(Debug, Clone)]
struct Out(Sender<Item>);

impl Out {
    async fn line(&self, line: RawLine) -> Result<(), Closed> {
        self.0.send(Item::Line(line)).await.map_err(|_| Closed)
    }

    async fn event(&self, event: LogEvent) -> Result<(), Closed> {
        self.0.send(Item::Event(event)).await.map_err(|_| Closed)
    }
}

async fn until(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}
