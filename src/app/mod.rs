//! The runtime around the pure reducer. One task owns the State; keys, the
//! clock and everything the [`Executor`] runs (watchers, log streams,
//! Alertmanager polls, the journal, effect tasks) arrive as Msgs; each turn
//! drains what is pending into one batch, runs the reducer once, hands its
//! effects to the executor, and draws at most once — soon after a key (≤ 30
//! fps), and at most every `DATA_FRAME` when only cluster data changed, so
//! 50 pod updates a second cost a few frames, not fifty.
//!
//! - [`executor`]: the one effect executor (the console's and the headless
//!   renderer's), and the read-only gate.
//! - [`events`]: each I/O module's own events mapped to `Msg`.
//! - [`terminal`]: raw mode, input, drawing, bell and clipboard.
//! - [`headless`]: the console without a terminal, for `warroom screenshot`.

mod events;
pub mod executor;
mod files;
pub mod headless;
mod terminal;

use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::cluster::{self, ConnectOptions, Session};
use crate::config::Config;
use crate::config::theme::Theme;
use crate::keys::Binding;
use crate::model::Clock;
use crate::model::cluster::{Change, ClusterChange};
use crate::state::{self, Msg, State};
pub use executor::{Edge, Executor, Flow};
use terminal::TerminalGuard;

/// Fastest redraw after input: about 30 frames a second.
const INPUT_FRAME: Duration = Duration::from_millis(33);
/// Fastest redraw when only cluster data changed: twice a second is live
/// enough to watch a rollout and keeps a churning 10,000-pod cluster from
/// costing more than a sliver of a core.
const DATA_FRAME: Duration = Duration::from_millis(500);
/// Most Msgs applied in one turn, so a flood of deltas still lets keys in.
const BATCH_LIMIT: usize = 20_000;

#[derive(Clone)]
pub struct AppOptions {
    pub connect: ConnectOptions,
    /// `--readonly`: nothing may change, whatever the context.
    pub readonly: bool,
    /// `--write`: lifts the config's global and production-pattern read-only
    /// (never a context the config marks read-only, never `--readonly`).
    pub write: bool,
    pub config: Config,
    /// `--alertmanager URL`s, for every context.
    pub alertmanagers: Vec<String>,
    /// `--incident ID`: resume recording this incident.
    pub incident: Option<String>,
    /// Wall clock, or the simulated cluster's virtual clock in `demo`.
    pub clock: Clock,
    pub theme: Theme,
    /// The keymap's bindings (dispatch, help and hints all read them).
    pub bindings: Vec<Binding>,
    /// Capture the mouse (clicks and the wheel); off leaves the terminal's
    /// own selection alone.
    pub mouse: bool,
}

/// Connects, takes over the terminal, runs until the user quits, and gives
/// the terminal back — also on error, panic and SIGTERM.
pub async fn run(options: AppOptions) -> Result<(), String> {
    let session = cluster::connect(&options.connect)
        .await
        .map_err(|e| e.to_string())?;
    let mut terminal = TerminalGuard::enter(options.mouse)
        .map_err(|e| format!("cannot set up the terminal: {e}"))?;
    let result = event_loop(&mut terminal, session, options).await;
    drop(terminal);
    result
}

/// The state a console starts from: the session's namespace, read-only as
/// the flags and config say, the keymap and the config's settings, and what
/// the reducer may not read for itself (who runs it). The event loop and
/// the headless renderer both start here.
fn initial_state(options: &AppOptions, session: &Session) -> State {
    let mut state = State::new((options.clock)(), session.namespace.clone());
    state.readonly = executor::readonly_reason(options, &session.connection.context);
    state.operator = operator();
    state.time_zone = jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_string();
    state.bindings = options.bindings.clone();
    state.log_buffer_lines = options.config.logs.buffer_lines;
    state.alerts.bell = options.config.alerts.bell;
    state.alerts.silence_minutes = options.config.alerts.silence_minutes;
    state.alerts.detectors = options.config.detectors.clone();
    state
}

/// Who runs the console, as silences and incidents record it: `$USER`
/// (`$USERNAME` on Windows), else "warroom".
fn operator() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "warroom".into())
}

async fn event_loop(
    terminal: &mut TerminalGuard,
    session: Session,
    options: AppOptions,
) -> Result<(), String> {
    let mut state = initial_state(&options, &session);
    if let Some((width, height)) = terminal.size() {
        (state.width, state.height) = (width, height);
    }
    let mut exec = Executor::start(session, &options, Edge::Terminal);
    let (input_tx, mut input) = mpsc::channel::<Msg>(256);
    terminal::spawn_input_reader(input_tx);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut terminate = terminal::termination_signal();
    let mut frames = Frames::new();
    let mut ticks: u64 = 0;
    terminal.draw(&mut state, &options.theme, false)?;
    loop {
        let mut batch = Vec::new();
        tokio::select! {
            Some(msg) = input.recv() => { batch.push(msg); frames.input = true; }
            msg = exec.recv() => batch.push(msg),
            _ = tick.tick() => {
                batch.push(Msg::Ticked(exec.now()));
                // Churn frees memory in the middle of the heap; hand the
                // free pages back now and then rather than only at a relist.
                ticks += 1;
                if ticks.is_multiple_of(10) {
                    release_free_memory();
                }
            }
            _ = sleep_until(frames.deadline(state.dirty)) => {}
            _ = &mut terminate => return Ok(()),
        }
        // Whatever else is already waiting, keys first.
        while batch.len() < BATCH_LIMIT
            && let Ok(msg) = input.try_recv()
        {
            batch.push(msg);
            frames.input = true;
        }
        exec.drain(&mut batch, BATCH_LIMIT);
        frames.saw(&batch);
        let relisted = relisted(&batch);
        let effects = state::update_batch(&mut state, batch);
        if relisted {
            release_free_memory();
            // The first complete view (and a relist after an outage) is
            // shown at once, not at the background pace.
            frames.input = true;
        }
        if exec.run_all(effects) == Flow::Quit {
            return Ok(());
        }
        if frames.due(state.dirty) {
            terminal.draw(&mut state, &options.theme, frames.take_repaint())?;
            state.dirty = false;
            frames.drawn();
        }
    }
}

/// When to draw: soon after input, at a slower pace for data alone.
struct Frames {
    last: Instant,
    /// Input (or a first complete view) arrived since the last frame.
    input: bool,
    /// The next frame repaints every cell rather than a diff.
    repaint: bool,
}

impl Frames {
    fn new() -> Frames {
        Frames {
            last: Instant::now() - DATA_FRAME,
            input: false,
            repaint: false,
        }
    }

    fn interval(&self) -> Duration {
        if self.input { INPUT_FRAME } else { DATA_FRAME }
    }

    /// When the next frame is due, if something changed.
    fn deadline(&self, dirty: bool) -> Option<Instant> {
        dirty.then(|| self.last + self.interval())
    }

    fn due(&self, dirty: bool) -> bool {
        dirty && self.last.elapsed() >= self.interval()
    }

    /// After a resize the terminal may have reflowed or kept stale cells
    /// (and frames drawn for the old size may still be arriving).
    fn saw(&mut self, batch: &[Msg]) {
        if batch.iter().any(|m| matches!(m, Msg::Resized { .. })) {
            self.repaint = true;
        }
    }

    fn take_repaint(&mut self) -> bool {
        std::mem::take(&mut self.repaint)
    }

    fn drawn(&mut self) {
        self.input = false;
        self.last = Instant::now();
    }
}

/// A (re)list of thousands of objects leaves the allocator holding the pages
/// the API objects were decoded into.
fn relisted(batch: &[Msg]) -> bool {
    batch.iter().any(|m| {
        matches!(
            m,
            Msg::Cluster {
                change: ClusterChange::Pods(Change::Replaced(_))
                    | ClusterChange::Events(Change::Replaced(_)),
                ..
            }
        )
    })
}

/// Returns freed heap pages to the system (glibc keeps them otherwise).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim only releases free memory; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
