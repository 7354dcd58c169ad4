//! One container's log: open `pods/log`, read lines, and when a followed
//! stream ends, find out why from the pod's status — the container
//! restarted (go on with the new one), is backing off (wait for it), ended
//! for good or went with its pod (leave), or only the connection dropped
//! (resume where it stopped).

use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use jiff::{SignedDuration, Timestamp};
use kube::api::LogParams;
use tokio::sync::watch;
use tokio::time::Instant;

use super::lines::{PREFIX_ROOM, Splitter, next_line, split_timestamp};
use super::pods::Shared;
use super::view::{PodView, RunState};
use super::{Closed, LogOptions, Out, until};
use crate::cluster::errors::{describe_kube_error, describe_status};
use crate::model::log_stream::{LogEvent, RawLine, StreamId};

/// How long a stream whose pod was deleted may still deliver its last
/// lines before it is closed anyway.
const GONE_GRACE: Duration = Duration::from_secs(5);
/// Waits between attempts while a container cannot be read: from the
/// first, doubling, never longer than the longest (see [`Backoff`]).
const RETRY_FIRST: Duration = Duration::from_secs(1);
const RETRY_MAX: Duration = Duration::from_secs(30);
/// Attempts at a one-shot read before giving up.
const ONCE_ATTEMPTS: u32 = 3;

/// Which request to make next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Open {
    /// The session's own tail and since.
    First,
    /// A new container instance, from its start.
    Fresh,
    /// The same instance after a dropped connection, from this moment.
    Resume(Timestamp),
}

/// Why reading stopped.
enum End {
    /// The server ended the stream (or the connection broke).
    Eof,
    /// The pod was deleted and its stream did not end by itself.
    Gone,
}

/// What to do after a followed stream ended.
enum Next {
    Restarted {
        reason: String,
        exit_code: Option<i32>,
    },
    Resume,
    Leave(String),
}

/// Why a stream could not be opened.
enum Trouble {
    /// 404: the pod is gone.
    Gone,
    /// The container has not started yet; the text says so.
    Waiting(String),
    /// Retrying will not help (403, no previous container…).
    Fatal(String),
    /// Worth another try (5xx, transport).
    Transient(String),
}

/// Doubling waits with jitter, by `backon`: each wait is its base (1 s,
/// 2 s, 4 s… up to half the longest) plus up to as much again at random,
/// so that the streams of every pod behind one dropped connection do not
/// all ask again in the same instant. A stream that opens starts the
/// waits over.
struct Backoff {
    policy: ExponentialBuilder,
    waits: <ExponentialBuilder as BackoffBuilder>::Backoff,
}

impl Backoff {
    fn policy() -> ExponentialBuilder {
        ExponentialBuilder::new()
            .with_min_delay(RETRY_FIRST)
            .with_max_delay(RETRY_MAX / 2)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
    }

    fn new() -> Backoff {
        Backoff::with(Backoff::policy())
    }

    /// The same waits every time, for tests.
    #[cfg(test)]
    fn seeded(seed: u64) -> Backoff {
        Backoff::with(Backoff::policy().with_jitter_seed(seed))
    }

    fn with(policy: ExponentialBuilder) -> Backoff {
        Backoff {
            policy,
            waits: policy.build(),
        }
    }

    fn take(&mut self) -> Duration {
        self.waits.next().unwrap_or(RETRY_MAX).min(RETRY_MAX)
    }

    /// Back to the first wait.
    fn reset(&mut self) {
        self.waits = self.policy.build();
    }
}

pub(super) struct Stream {
    shared: Arc<Shared>,
    id: StreamId,
    view: watch::Receiver<PodView>,
    out: Out,
    splitter: Splitter,
    /// Where a dropped connection resumes.
    position: Position,
    /// A `Failed { retrying: true }` was sent for the trouble at hand.
    reported: bool,
}

impl Stream {
    pub fn new(
        shared: Arc<Shared>,
        id: StreamId,
        view: watch::Receiver<PodView>,
        out: Out,
    ) -> Stream {
        let limit = shared.options.line_limit.max(1) + PREFIX_ROOM;
        Stream {
            shared,
            id,
            view,
            out,
            splitter: Splitter::new(limit),
            position: Position::default(),
            reported: false,
        }
    }

    pub async fn run(mut self) {
        let _ = self.go().await;
    }

    /// `pod/container`, as every message names a stream.
    fn who(&self) -> String {
        format!("{}/{}", self.id.pod, self.id.container)
    }

    fn following(&self) -> bool {
        self.shared.options.following()
    }

    fn params(&self, open: Open) -> LogParams {
        params(&self.shared.options, &self.id.container, open)
    }

    async fn event(&self, event: LogEvent) -> Result<(), Closed> {
        self.out.event(event).await
    }

    async fn leave(&self, reason: String) -> Result<(), Closed> {
        self.event(LogEvent::Left {
            stream: self.id.clone(),
            reason,
        })
        .await
    }

    async fn fail(&self, error: String, retrying: bool) -> Result<(), Closed> {
        self.event(LogEvent::Failed {
            stream: Some(self.id.clone()),
            error,
            retrying,
        })
        .await
    }

    /// A trouble that is retried is reported once, until a stream opens.
    async fn report(&mut self, error: String) -> Result<(), Closed> {
        if !self.reported {
            self.reported = true;
            self.fail(error, true).await?;
        }
        Ok(())
    }

    fn deleted(&self) -> String {
        format!("pod {} was deleted", self.id.pod)
    }

    fn restarts(&self) -> i32 {
        self.view
            .borrow()
            .container(&self.id.container)
            .map_or(0, |c| c.restarts)
    }

    async fn go(&mut self) -> Result<(), Closed> {
        let mut open = Open::First;
        let mut joined = false;
        let mut retry = Backoff::new();
        let mut attempts = 0;
        loop {
            let seen = self.restarts();
            let opened_at = (self.shared.clock)();
            let result = self
                .shared
                .api
                .log_stream(&self.id.pod, &self.params(open))
                .await;
            let trouble = match result {
                Ok(reader) => {
                    self.reported = false;
                    retry.reset();
                    attempts = 0;
                    if !joined {
                        joined = true;
                        self.event(LogEvent::Joined {
                            stream: self.id.clone(),
                            previous: self.shared.options.previous,
                        })
                        .await?;
                    }
                    let reader = std::pin::pin!(reader);
                    if let End::Gone = self.read(reader).await? {
                        return self.leave(self.deleted()).await;
                    }
                    if !self.following() {
                        let what = if self.shared.options.previous {
                            "end of the previous log of"
                        } else {
                            "end of the log of"
                        };
                        return self.leave(format!("{what} {}", self.who())).await;
                    }
                    match self.after_end(seen).await? {
                        Next::Restarted { reason, exit_code } => {
                            tracing::info!(stream = %self.who(), %reason, ?exit_code, "container restarted: following the new one");
                            self.event(LogEvent::Restarted {
                                stream: self.id.clone(),
                                reason,
                                exit_code,
                            })
                            .await?;
                            self.position = Position::default();
                            open = Open::Fresh;
                        }
                        Next::Resume => {
                            open = Open::Resume(self.position.resume().unwrap_or(opened_at));
                            tracing::info!(stream = %self.who(), ?open, "log stream dropped: reconnecting");
                        }
                        Next::Leave(reason) => {
                            tracing::debug!(stream = %self.who(), %reason, "log stream ended");
                            return self.leave(reason).await;
                        }
                    }
                    continue;
                }
                Err(err) => {
                    tracing::debug!(stream = %self.who(), ?open, error = %err, "cannot open the log stream");
                    self.trouble(&err)
                }
            };
            attempts += 1;
            match trouble {
                Trouble::Gone if joined => return self.leave(self.deleted()).await,
                Trouble::Gone => {
                    return self
                        .leave(format!(
                            "pod {} not found in namespace {}",
                            self.id.pod, self.id.namespace
                        ))
                        .await;
                }
                Trouble::Fatal(error) => {
                    tracing::warn!(stream = %self.who(), %error, "log stream failed");
                    return self.fail(error, false).await;
                }
                // Read once: a container that has not started has no log.
                Trouble::Waiting(error) if !self.following() => {
                    return self.fail(error, false).await;
                }
                Trouble::Transient(error) if !self.following() && attempts >= ONCE_ATTEMPTS => {
                    return self.fail(error, false).await;
                }
                Trouble::Waiting(error) => {
                    self.report(format!("{error}; its log follows when it starts"))
                        .await?;
                    if !self.wait_for_start(retry.take()).await {
                        return self.leave(self.deleted()).await;
                    }
                }
                Trouble::Transient(error) => {
                    tracing::warn!(stream = %self.who(), %error, attempts, "log stream failed: retrying");
                    self.report(format!("{error}; retrying")).await?;
                    if !self.pause(retry.take()).await {
                        return self.leave(self.deleted()).await;
                    }
                }
            }
        }
    }

    fn trouble(&self, err: &kube::Error) -> Trouble {
        let who = self.who();
        let kube::Error::Api(status) = err else {
            return Trouble::Transient(format!(
                "cannot read the log of {who}: {}",
                describe_kube_error(err, &self.shared.server)
            ));
        };
        let message = status.message.as_str();
        match status.code {
            404 => Trouble::Gone,
            400 if message.contains("previous terminated container") => {
                Trouble::Fatal(format!("no previous container: {who} has not restarted"))
            }
            400 if message.contains("is waiting to start") => {
                let why = message
                    .split_once("is waiting to start:")
                    .map(|(_, why)| why.trim())
                    .filter(|why| !why.is_empty())
                    .unwrap_or("not started yet");
                Trouble::Waiting(format!("{who} is waiting to start ({why})"))
            }
            400 | 401 | 403 | 405 | 406 | 422 => Trouble::Fatal(format!(
                "cannot read the log of {who}: {}",
                describe_status(status)
            )),
            _ => Trouble::Transient(format!(
                "cannot read the log of {who}: {}",
                describe_status(status)
            )),
        }
    }

    /// Reads lines until the stream ends, or a little after the pod is
    /// deleted if the stream does not end by itself.
    async fn read<R>(&mut self, mut reader: R) -> Result<End, Closed>
    where
        R: futures::AsyncBufRead + Unpin,
    {
        let limit = self.shared.options.line_limit.max(1);
        let previous = self.shared.options.previous;
        let mut gone_by: Option<Instant> = None;
        loop {
            let next = tokio::select! {
                line = next_line(&mut reader, &mut self.splitter, |bytes, cut| cut_line(bytes, cut, limit)) => line,
                changed = self.view.changed(), if gone_by.is_none() => {
                    if changed.is_err() || self.view.borrow().gone {
                        gone_by = Some(Instant::now() + GONE_GRACE);
                    }
                    continue;
                }
                () = until(gone_by) => return Ok(End::Gone),
            };
            let (at, bytes, cut) = match next {
                Ok(Some(line)) => line,
                // A broken connection ends the stream like the server
                // would; what follows is decided from the pod's status.
                Ok(None) | Err(_) => return Ok(End::Eof),
            };
            if self.position.repeated(at) {
                continue;
            }
            self.out
                .line(RawLine {
                    stream: self.id.clone(),
                    at,
                    bytes,
                    cut,
                    previous,
                })
                .await?;
        }
    }

    /// A followed stream ended: decide from the pod's status whether the
    /// container restarted, will restart, ended for good, or still runs.
    async fn after_end(&mut self, seen: i32) -> Result<Next, Closed> {
        let mut wait = Backoff::new();
        let mut due = Instant::now() + wait.take();
        let mut waited = false;
        loop {
            {
                let view = self.view.borrow_and_update().clone();
                if view.gone {
                    return Ok(Next::Leave(self.deleted()));
                }
                let Some(c) = view.container(&self.id.container) else {
                    return Ok(Next::Leave(format!(
                        "{} is no longer in the pod",
                        self.who()
                    )));
                };
                if let Some(exit) = view.finished(c) {
                    return Ok(Next::Leave(if view.deleting {
                        self.deleted()
                    } else {
                        format!(
                            "{} exited: {} (exit {})",
                            self.who(),
                            exit.reason,
                            exit.code
                        )
                    }));
                }
                match c.state {
                    RunState::Running if c.restarts > seen => {
                        return Ok(match &c.last {
                            Some(exit) => Next::Restarted {
                                reason: exit.reason.clone(),
                                exit_code: Some(exit.code),
                            },
                            None => Next::Restarted {
                                reason: "unknown".to_string(),
                                exit_code: None,
                            },
                        });
                    }
                    // Still the same instance: the connection dropped (or
                    // the status is late; a resumed read then ends again).
                    RunState::Running if waited => return Ok(Next::Resume),
                    _ => {}
                }
            }
            // Backing off, or the status has not caught up yet: the pod
            // watcher says when it changes; the timer is for a quiet one.
            tokio::select! {
                changed = self.view.changed() => {
                    if changed.is_err() {
                        return Ok(Next::Leave(self.deleted()));
                    }
                }
                () = tokio::time::sleep_until(due) => {
                    waited = true;
                    due = Instant::now() + wait.take();
                }
            }
        }
    }

    /// Waits until the container has started (or `wait` passed). False if
    /// the pod was deleted meanwhile.
    async fn wait_for_start(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            {
                let view = self.view.borrow_and_update();
                if view.gone {
                    return false;
                }
                if view
                    .container(&self.id.container)
                    .is_some_and(|c| c.started())
                {
                    return true;
                }
            }
            tokio::select! {
                changed = self.view.changed() => {
                    if changed.is_err() {
                        return false;
                    }
                }
                () = tokio::time::sleep_until(deadline) => return true,
            }
        }
    }

    /// Waits `wait` before another attempt. False if the pod was deleted
    /// meanwhile.
    async fn pause(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        loop {
            if self.view.borrow_and_update().gone {
                return false;
            }
            tokio::select! {
                changed = self.view.changed() => {
                    if changed.is_err() {
                        return false;
                    }
                }
                () = tokio::time::sleep_until(deadline) => return true,
            }
        }
    }
}

/// The `pods/log` request of one container for `open`.
pub(super) fn params(o: &LogOptions, container: &str, open: Open) -> LogParams {
    let mut lp = LogParams {
        container: Some(container.to_string()),
        follow: o.following(),
        previous: o.previous,
        timestamps: true,
        ..LogParams::default()
    };
    match open {
        Open::First => {
            lp.tail_lines = o.tail.map(|n| n.max(0));
            lp.since_seconds = o
                .since
                .map(|d| d.as_secs().clamp(1, i64::MAX as u64) as i64);
        }
        Open::Fresh => {}
        // kube-rs sends sinceTime rounded to the second: a second early
        // never misses a line, and the repeats are skipped.
        Open::Resume(t) => lp.since_time = Some(t - SignedDuration::from_secs(1)),
    }
    lp
}

/// How far a stream got, so that a dropped connection resumes without
/// repeating lines: the newest line's time, how many lines carried exactly
/// that time, and while resuming, what is still to skip.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Position {
    last: Option<(Timestamp, usize)>,
    skip: Option<(Timestamp, usize)>,
}

impl Position {
    /// Where to ask the server to start again (lines from then on are
    /// skipped until the first new one).
    fn resume(&mut self) -> Option<Timestamp> {
        self.skip = self.last;
        self.last.map(|(t, _)| t)
    }

    /// Whether a line was already delivered before the connection was
    /// resumed; otherwise notes its time as the newest.
    fn repeated(&mut self, at: Option<Timestamp>) -> bool {
        if let (Some((t, n)), Some(at)) = (&mut self.skip, at) {
            if at < *t {
                return true;
            }
            if at == *t && *n > 0 {
                *n -= 1;
                return true;
            }
        }
        self.skip = None;
        if let Some(at) = at {
            self.last = match self.last {
                Some((t, n)) if t == at => Some((t, n + 1)),
                _ => Some((at, 1)),
            };
        }
        false
    }
}

/// A line as the session keeps it: its time, at most `limit` bytes of its
/// text (after the timestamp), and how many bytes were cut.
fn cut_line(bytes: &[u8], cut: usize, limit: usize) -> (Option<Timestamp>, Box<[u8]>, usize) {
    let (at, start) = split_timestamp(bytes);
    let text = &bytes[start..];
    let keep = text.len().min(limit);
    (at, Box::from(&text[..keep]), cut + (text.len() - keep))
}

#[cfg(test)]
mod tests;
