//! The console without a terminal, for `warroom screenshot`: the same
//! watchers, log streams, history loads and access reviews as [`super::run`]
//! feed the same reducer, and the same `ui::draw` paints the frame — into a
//! ratatui `TestBackend` instead of a terminal.
//!
//! It runs the event loop's pipeline rather than the loop itself: the loop
//! also owns the terminal, the incident journal, the clipboard, the bell and
//! the Alertmanager pollers, none of which a picture may touch, and it draws
//! on a timer, while a picture must be taken at one well-defined moment.
//! That moment is *settled*, decided from the data, never by sleeping: every
//! watch has listed, every effect has been answered, and an open logs pane
//! holds every line its streams' first reads return (asked of the server
//! separately, [`cluster::expected_first_reads`]). On a cluster whose clock
//! stands still (the screenshot's sim) nothing arrives after that, so the
//! same arguments give the same picture.
//!
//! Effects that would reach outside the cluster are answered as refused
//! (saving logs, journals, exports) or dropped (bell, clipboard); changes go
//! through the same read-only gate as in the console.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::{AppOptions, BATCH_LIMIT, CLUSTER_QUEUE};
use crate::cluster::{self, Clock, Session, WatchSet};
use crate::config::ReadonlyReason;
use crate::state::logs_msg::{LogEvent, StreamId};
use crate::state::{self, ClusterChange, Effect, Msg, Resource, State, View, WatchHealth};
use crate::ui::{self, Theme};

/// What to do before the picture is taken.
#[derive(Debug, Clone)]
pub struct Script {
    /// The view to show, switched to with its key in the active keymap.
    pub view: View,
    /// Keys pressed once that view is complete, one at a time, each
    /// answered (history loaded, logs read) before the next.
    pub keys: Vec<KeyEvent>,
    pub width: u16,
    pub height: u16,
    /// How long the whole run may take before it gives up, saying what it
    /// was still waiting for.
    pub timeout: Duration,
}

/// Runs the console on `session` until `script` is done and everything is
/// settled, and returns the screen it draws then.
pub async fn render(
    session: Session,
    options: AppOptions,
    script: &Script,
) -> Result<Buffer, String> {
    let mut h = Headless::start(session, options, script);
    h.settle().await?;
    // The detectors run on the clock: one tick once everything is listed,
    // as the console's first tick after its first complete view.
    let now = (h.clock)();
    h.inbox.push_back(Msg::Ticked(now));
    h.settle().await?;
    if let Some(key) = view_key(&h.state, script.view) {
        h.inbox.push_back(Msg::KeyPressed(key));
        h.settle().await?;
    }
    for key in &script.keys {
        h.inbox.push_back(Msg::KeyPressed(*key));
        h.settle().await?;
    }
    let theme = h.options.theme.clone();
    let buffer = h.draw(&theme, script.width, script.height)?;
    Ok(buffer)
}

/// The key the keymap binds to showing `view` (none needed for the first
/// view, pods).
fn view_key(state: &State, view: View) -> Option<KeyEvent> {
    use state::keys::{Action, Mode};
    let action = match view {
        View::Pods => return None,
        View::Workloads => Action::ShowWorkloads,
        View::Events => Action::ShowEvents,
        View::Nodes => Action::ShowNodes,
        View::Alerts => Action::ShowAlerts,
    };
    state
        .bindings
        .iter()
        .find(|b| b.action == action && b.mode == Mode::Table)
        .map(|b| KeyEvent::new(b.key, b.modifiers))
}

/// What an effect task left behind once it finished.
enum Answer {
    /// It sent its Msg.
    Sent,
    /// What the first reads of logs session `session` return.
    Expected {
        session: u64,
        result: Result<cluster::FirstReads, String>,
    },
}

struct Headless {
    state: State,
    options: AppOptions,
    session: Session,
    clock: Clock,
    /// The executor's own copy of read-only, as in the console.
    guard: Option<ReadonlyReason>,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
    /// Msgs to apply next: keys, and the runtime's own answers.
    inbox: VecDeque<Msg>,
    watchers: Option<WatchSet>,
    logs: Option<cluster::LogSession>,
    held: Option<HeldLogs>,
    tasks: JoinSet<Answer>,
    /// Something that makes waiting pointless (an effect task failed).
    failure: Option<String>,
    started: Instant,
    timeout: Duration,
}

impl Headless {
    fn start(session: Session, options: AppOptions, script: &Script) -> Headless {
        let clock = options.clock.clone();
        let mut state = super::initial_state(&options, &session);
        let guard = state.readonly;
        state.width = script.width;
        state.height = script.height;
        let (tx, rx) = mpsc::channel::<Msg>(CLUSTER_QUEUE);
        let mut inbox = VecDeque::new();
        inbox.push_back(Msg::Cluster {
            generation: 0,
            change: ClusterChange::Connected(session.connection.clone()),
        });
        let watchers = Some(session.watch(session.namespace.clone(), 0, tx.clone(), clock.clone()));
        // No Alertmanager is asked (the options name none): this tells the
        // state so, as the console does.
        let (_feed, _clients) = super::start_alert_feed(
            &options,
            &session.connection.context,
            1,
            &tx,
            &clock,
            &mut state,
        );
        Headless {
            state,
            options,
            session,
            clock,
            guard,
            tx,
            rx,
            inbox,
            watchers,
            logs: None,
            held: None,
            tasks: JoinSet::new(),
            failure: None,
            started: Instant::now(),
            timeout: script.timeout,
        }
    }

    /// Applies Msgs and runs their effects until nothing is pending and
    /// nothing is missing, or the time is up.
    async fn settle(&mut self) -> Result<(), String> {
        let deadline = self.started + self.timeout;
        loop {
            let mut batch: Vec<Msg> = self.inbox.drain(..).collect();
            while batch.len() < BATCH_LIMIT {
                match self.rx.try_recv() {
                    Ok(msg) => batch.push(msg),
                    Err(_) => break,
                }
            }
            if !batch.is_empty() {
                self.apply(batch);
                continue;
            }
            if let Some(e) = self.failure.take() {
                return Err(e);
            }
            let Some(missing) = self.missing() else {
                return Ok(());
            };
            tokio::select! {
                Some(msg) = self.rx.recv() => self.inbox.push_back(msg),
                Some(done) = self.tasks.join_next() => self.answered(done),
                () = tokio::time::sleep_until(deadline) => {
                    return Err(format!(
                        "the console was not ready after {} s: still waiting for {missing}",
                        self.timeout.as_secs()
                    ));
                }
            }
        }
    }

    /// What the picture would still lack, in words; `None` when settled.
    fn missing(&self) -> Option<String> {
        let data = &self.state.cluster;
        let waiting: Vec<String> = Resource::ALL
            .iter()
            .filter_map(|r| match data.watches.get(r) {
                Some(WatchHealth::Live) => None,
                Some(WatchHealth::Down { error, .. }) => Some(format!("{} ({error})", r.plural())),
                _ => Some(r.plural().to_string()),
            })
            .collect();
        if !waiting.is_empty() {
            return Some(format!("the watches of {} to list", waiting.join(", ")));
        }
        if !self.tasks.is_empty() {
            return Some(format!(
                "{} answer(s) from the cluster (history, access reviews, changes)",
                self.tasks.len()
            ));
        }
        self.held.as_ref().and_then(HeldLogs::missing)
    }

    /// Runs a batch through the reducer, holding back the log events of a
    /// session whose first reads are not all in yet.
    fn apply(&mut self, batch: Vec<Msg>) {
        let mut pass = Vec::with_capacity(batch.len());
        for msg in batch {
            match (msg, self.held.as_mut()) {
                (Msg::Logs { session, event }, Some(held)) if held.session == session => {
                    held.hold(event)
                }
                (msg, _) => pass.push(msg),
            }
        }
        let effects = state::update_batch(&mut self.state, pass);
        self.run(effects);
        self.release_logs();
    }

    /// Hands the held log events to the reducer once they are complete.
    fn release_logs(&mut self) {
        if self.held.as_ref().is_some_and(|h| h.missing().is_none())
            && let Some(held) = self.held.take()
        {
            let effects = state::update_batch(&mut self.state, held.release());
            self.run(effects);
        }
    }

    fn answered(&mut self, done: Result<Answer, tokio::task::JoinError>) {
        match done {
            Ok(Answer::Sent) => {}
            Ok(Answer::Expected { session, result }) => match result {
                Ok(reads) => {
                    if let Some(held) = self.held.as_mut().filter(|h| h.session == session) {
                        held.expected = Some(reads);
                    }
                    self.release_logs();
                }
                Err(e) => self.failure = Some(e),
            },
            Err(e) => self.failure = Some(format!("a task of the console failed: {e}")),
        }
    }

    /// The event loop's effect executor, less what reaches outside the
    /// cluster.
    fn run(&mut self, effects: Vec<Effect>) {
        const NO_FILES: &str = "a screenshot writes no files";
        for effect in effects {
            match effect {
                // The picture is taken when the keys are done.
                Effect::Quit => {}
                Effect::OpenLogs {
                    session: id,
                    request,
                } => {
                    drop(self.logs.take());
                    let (target, log_options) = super::log_request(&request, &self.options.config);
                    self.held = Some(HeldLogs::new(id));
                    let client = self.session.client.clone();
                    let (t, o) = (target.clone(), log_options.clone());
                    self.tasks.spawn(async move {
                        let result = cluster::expected_first_reads(&client, &t, &o).await;
                        Answer::Expected {
                            session: id,
                            result,
                        }
                    });
                    self.logs = Some(self.session.logs(
                        target,
                        log_options,
                        id,
                        self.tx.clone(),
                        self.clock.clone(),
                    ));
                }
                Effect::CloseLogs => {
                    drop(self.logs.take());
                    self.held = None;
                }
                Effect::SaveLogs { path, .. } => self.inbox.push_back(Msg::LogsSaved {
                    path,
                    result: Err(NO_FILES.into()),
                }),
                Effect::Copy(_) | Effect::Bell | Effect::PollAlerts => {}
                Effect::LoadHistory { request, target } => {
                    let client = self.session.client.clone();
                    let tx = self.tx.clone();
                    self.tasks.spawn(async move {
                        let result = cluster::history::load_history(&client, &target).await;
                        let _ = tx.send(Msg::HistoryLoaded { request, result }).await;
                        Answer::Sent
                    });
                }
                Effect::CheckAccess(checks) => {
                    let client = self.session.client.clone();
                    let tx = self.tx.clone();
                    self.tasks.spawn(async move {
                        let answers = cluster::actions::review(&client, &checks).await;
                        let reviewed = checks.into_iter().zip(answers).collect();
                        let _ = tx.send(Msg::AccessReviewed(reviewed)).await;
                        Answer::Sent
                    });
                }
                Effect::DryRun { id, mutation } => {
                    let change = super::gate(
                        self.guard,
                        self.session.client.clone(),
                        Vec::new(),
                        mutation,
                        true,
                        (self.clock)(),
                    );
                    let tx = self.tx.clone();
                    self.tasks.spawn(async move {
                        let result = change.await;
                        let _ = tx.send(Msg::DryRunDone { id, result }).await;
                        Answer::Sent
                    });
                }
                Effect::Mutate { id, mutation } => {
                    let at = (self.clock)();
                    let change = super::gate(
                        self.guard,
                        self.session.client.clone(),
                        Vec::new(),
                        mutation.clone(),
                        false,
                        at,
                    );
                    let done = super::action_done(
                        change,
                        id,
                        mutation,
                        at,
                        &self.session.connection,
                        self.tx.clone(),
                    );
                    self.tasks.spawn(async move {
                        done.await;
                        Answer::Sent
                    });
                }
                Effect::StartIncident { .. } | Effect::ResumeIncident { .. } => self
                    .inbox
                    .push_back(Msg::JournalFailed("a screenshot keeps no journal".into())),
                Effect::AppendJournal(_) | Effect::CloseJournal => {}
                Effect::ExportIncident { .. } => self
                    .inbox
                    .push_back(Msg::IncidentExported(Err(NO_FILES.into()))),
                Effect::Watch {
                    generation,
                    context,
                    namespace,
                } => {
                    drop(self.watchers.take());
                    match context {
                        Some(context) => self.inbox.push_back(Msg::Cluster {
                            generation,
                            change: ClusterChange::ConnectFailed {
                                context,
                                error: "a screenshot stays on its own cluster".into(),
                            },
                        }),
                        None => {
                            self.watchers = Some(self.session.watch(
                                namespace,
                                generation,
                                self.tx.clone(),
                                self.clock.clone(),
                            ))
                        }
                    }
                }
            }
        }
    }

    /// Draws as the console does: once to learn the layout (how many table
    /// rows fit), then again with the state told so.
    fn draw(&mut self, theme: &Theme, width: u16, height: u16) -> Result<Buffer, String> {
        let mut terminal = Terminal::new(TestBackend::new(width, height))
            .map_err(|e| format!("cannot make a {width}×{height} screen: {e}"))?;
        for _ in 0..2 {
            self.state.refresh_view();
            let mut drawn = ui::Drawn::default();
            terminal
                .draw(|frame| drawn = ui::draw(frame, &self.state, theme))
                .map_err(|e| format!("cannot draw: {e}"))?;
            let effects = state::update_batch(
                &mut self.state,
                [Msg::Drawn {
                    table_rows: drawn.table_rows,
                    layout: drawn.layout,
                    detail_scroll_max: drawn.detail_scroll_max,
                }],
            );
            self.run(effects);
        }
        Ok(terminal.backend().buffer().clone())
    }
}

/// The events of one logs session, held until its first reads are in, then
/// handed on stream by stream: the order the streams' lines arrive in is
/// up to the network, and a picture must not be.
struct HeldLogs {
    session: u64,
    /// What the first reads return, once asked.
    expected: Option<cluster::FirstReads>,
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
    fn new(session: u64) -> HeldLogs {
        HeldLogs {
            session,
            expected: None,
            general: Vec::new(),
            streams: BTreeMap::new(),
        }
    }

    fn hold(&mut self, event: LogEvent) {
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
    fn missing(&self) -> Option<String> {
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
    fn release(self) -> Vec<Msg> {
        let session = self.session;
        self.general
            .into_iter()
            .chain(self.streams.into_values().flat_map(|s| s.events))
            .map(|event| Msg::Logs { session, event })
            .collect()
    }
}

#[cfg(test)]
#[path = "headless_tests.rs"]
mod tests;
