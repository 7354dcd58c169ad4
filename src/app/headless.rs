//! The console without a terminal, for `warroom screenshot`: the same
//! [`Executor`] as [`super::run`] (watchers, log streams, history loads,
//! access reviews, the read-only gate) feeds the same reducer, and the same
//! `ui::draw` paints the frame — into a ratatui `TestBackend` instead of a
//! terminal. Its [`Edge::Picture`] refuses or drops whatever would reach
//! outside the cluster (files, journal, bell, clipboard, other contexts).
//!
//! It runs its own loop rather than the event loop: a picture must be
//! taken at one well-defined moment, not on a timer. That moment is
//! *settled*, decided from the data, never by sleeping: every watch has
//! listed, every effect has been answered, and an open logs pane holds
//! every line its streams' first reads return (asked of the server
//! separately, [`cluster::expected_first_reads`]). On a cluster whose clock
//! stands still (the screenshot's sim) nothing arrives after that, so the
//! same arguments give the same picture.

mod held_logs;

use std::time::Duration;

use crossterm::event::KeyEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::executor::{Edge, Executor, log_request};
use super::{AppOptions, BATCH_LIMIT};
use crate::cluster::{self, Session};
use crate::config::Config;
use crate::config::theme::Theme;
use crate::keys::{Action, Mode};
use crate::model::cluster::{Resource, WatchHealth};
use crate::state::{self, Effect, Msg, State, View};
use crate::ui;
use held_logs::HeldLogs;

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
    let mut h = Headless::start(session, &options, script);
    h.settle().await?;
    // The detectors run on the clock: one tick once everything is listed,
    // as the console's first tick after its first complete view.
    let now = h.exec.now();
    h.apply(vec![Msg::Ticked(now)]);
    h.settle().await?;
    if let Some(key) = view_key(&h.state, script.view) {
        h.apply(vec![Msg::KeyPressed(key)]);
        h.settle().await?;
    }
    for key in &script.keys {
        // Drawn first, as the console is between keys: page keys and `y`
        // act on what is on screen.
        h.draw(&options.theme, script.width, script.height)?;
        h.apply(vec![Msg::KeyPressed(*key)]);
        h.settle().await?;
    }
    h.draw(&options.theme, script.width, script.height)
}

/// The key the keymap binds to showing `view` (none needed for the first
/// view, pods).
fn view_key(state: &State, view: View) -> Option<KeyEvent> {
    let action = match view {
        View::Pods => return None,
        View::Workloads => Action::ShowWorkloads,
        View::Events => Action::ShowEvents,
        View::Nodes => Action::ShowNodes,
        View::Alerts => Action::ShowAlerts,
        View::Browse => return None,
    };
    state
        .bindings
        .iter()
        .find(|b| b.action == action && b.mode == Mode::Table)
        .map(|b| KeyEvent::new(b.key, b.modifiers))
}

/// What the first reads of logs session `session` return.
struct Expected {
    session: u64,
    result: Result<cluster::FirstReads, String>,
}

struct Headless {
    state: State,
    exec: Executor,
    config: Config,
    /// The log events of the open session, until its first reads are in.
    held: Option<HeldLogs>,
    /// The questions "what will the first reads return", one per session.
    expected: JoinSet<Expected>,
    started: Instant,
    timeout: Duration,
}

impl Headless {
    fn start(session: Session, options: &AppOptions, script: &Script) -> Headless {
        let mut state = super::initial_state(options, &session);
        (state.width, state.height) = (script.width, script.height);
        Headless {
            state,
            exec: Executor::start(session, options, Edge::Picture),
            config: options.config.clone(),
            held: None,
            expected: JoinSet::new(),
            started: Instant::now(),
            timeout: script.timeout,
        }
    }

    /// Applies Msgs and runs their effects until nothing is pending and
    /// nothing is missing, or the time is up.
    async fn settle(&mut self) -> Result<(), String> {
        let deadline = self.started + self.timeout;
        loop {
            let mut batch = Vec::new();
            self.exec.drain(&mut batch, BATCH_LIMIT);
            if !batch.is_empty() {
                self.apply(batch);
                continue;
            }
            let Some(missing) = self.missing() else {
                return Ok(());
            };
            tokio::select! {
                msg = self.exec.recv() => self.apply(vec![msg]),
                Some(done) = self.expected.join_next() => self.answered(done)?,
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
        // A namespaced console also watches node events (outside
        // `default`) and, in the nodes view, polls node-wide requests.
        let namespaced = self.state.namespace.as_deref();
        let node_events = namespaced
            .is_some_and(|ns| ns != cluster::NODE_EVENTS_NAMESPACE)
            .then_some(Resource::NodeEvents);
        let node_requests = self.state.node_load.then_some(Resource::NodeRequests);
        let waiting: Vec<String> = Resource::ALL
            .iter()
            .chain(node_events.iter())
            .chain(node_requests.iter())
            .filter_map(|r| match data.watches.get(r) {
                Some(WatchHealth::Live | WatchHealth::NotAllowed(_)) => None,
                Some(WatchHealth::Down { error, .. }) => Some(format!("{} ({error})", r.plural())),
                _ => Some(r.plural().to_string()),
            })
            .collect();
        if !waiting.is_empty() {
            return Some(format!("the watches of {} to list", waiting.join(", ")));
        }
        if self.exec.busy() > 0 || !self.expected.is_empty() {
            return Some(format!(
                "{} answer(s) from the cluster (history, access reviews, changes, logs)",
                self.exec.busy() + self.expected.len()
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

    /// The executor's work, plus what a picture needs to know of logs: how
    /// many lines their first reads will bring.
    fn run(&mut self, effects: Vec<Effect>) {
        for effect in &effects {
            match effect {
                Effect::OpenLogs { session, request } => {
                    let session = *session;
                    self.held = Some(HeldLogs::new(session));
                    let (target, options) = log_request(request, &self.config);
                    let client = self.exec.session().client.clone();
                    self.expected.spawn(async move {
                        let result =
                            cluster::expected_first_reads(&client, &target, &options).await;
                        Expected { session, result }
                    });
                }
                Effect::CloseLogs => self.held = None,
                _ => {}
            }
        }
        // A picture never quits: it is taken when its keys are done.
        let _flow = self.exec.run_all(effects);
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

    fn answered(&mut self, done: Result<Expected, tokio::task::JoinError>) -> Result<(), String> {
        let Expected { session, result } =
            done.map_err(|e| format!("a task of the console failed: {e}"))?;
        let reads = result?;
        if let Some(held) = self.held.as_mut().filter(|h| h.session == session) {
            held.expected = Some(reads);
        }
        self.release_logs();
        Ok(())
    }

    /// Draws as the console does: once to learn the layout (how many table
    /// rows fit), then again with the state told so.
    fn draw(&mut self, theme: &Theme, width: u16, height: u16) -> Result<Buffer, String> {
        // A picture is one moment: whether a second metrics poll landed
        // while it settled depends on the machine, so the usage history
        // (sparklines) is left out of it.
        self.state.cluster.usage_history = Default::default();
        let mut terminal = Terminal::new(TestBackend::new(width, height))
            .map_err(|e| format!("cannot make a {width}×{height} screen: {e}"))?;
        for _ in 0..2 {
            self.state.refresh_view();
            let mut drawn = ui::Drawn::default();
            terminal
                .draw(|frame| drawn = ui::draw(frame, &self.state, theme))
                .map_err(|e| format!("cannot draw: {e}"))?;
            let effects = state::update_batch(&mut self.state, [Msg::from(drawn)]);
            self.run(effects);
        }
        Ok(terminal.backend().buffer().clone())
    }
}
