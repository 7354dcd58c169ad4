//! The event loop: one task owns the State; watchers, input and the clock
//! send Msgs over bounded channels; each turn drains what is pending into
//! one batch, runs the reducer once, executes its effects, and draws at most
//! once — immediately-ish after a key (≤ 30 fps), and at most every
//! `DATA_FRAME` when only cluster data changed, so 50 pod updates a second
//! cost a few frames, not fifty.

use std::io;
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::alerts::{self, AlertmanagerClient};
use crate::cluster::{self, Clock, ConnectOptions, Session, WatchSet};
use crate::config::{Config, ReadonlyReason};
use crate::model::action::{ActionError, ActionOutcome, ActionRecord, Mutation};
use crate::state::{self, Change, ClusterChange, Effect, Msg, State};
use crate::ui::{self, Theme};

pub mod headless;

/// Fastest redraw after input: about 30 frames a second.
const INPUT_FRAME: Duration = Duration::from_millis(33);
/// Fastest redraw when only cluster data changed: twice a second is live
/// enough to watch a rollout and keeps a churning 10,000-pod cluster from
/// costing more than a sliver of a core.
const DATA_FRAME: Duration = Duration::from_millis(500);
/// Most Msgs applied in one turn, so a flood of deltas still lets keys in.
const BATCH_LIMIT: usize = 20_000;
/// Capacity of the watcher channel: watchers wait (back-pressure) when full.
const CLUSTER_QUEUE: usize = 1024;

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
    pub bindings: Vec<crate::state::keys::Binding>,
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
/// the flags and config say, the keymap and the config's settings. The
/// event loop and the headless renderer both start here.
fn initial_state(options: &AppOptions, session: &Session) -> State {
    let mut state = State::new((options.clock)(), session.namespace.clone());
    state.readonly = readonly_reason(options, &session.connection.context);
    state.bindings = options.bindings.clone();
    state.log_buffer_lines = options.config.logs.buffer_lines;
    state.alerts.bell = options.config.alerts.bell;
    state.alerts.silence_minutes = options.config.alerts.silence_minutes;
    state.alerts.detectors = options.config.detectors.clone();
    state
}

async fn event_loop(
    terminal: &mut TerminalGuard,
    session: Session,
    options: AppOptions,
) -> Result<(), String> {
    let clock = options.clock.clone();
    let mut state = initial_state(&options, &session);
    // The executor's own copy of read-only: it does not trust the reducer.
    let mut guard = state.readonly;
    if let Ok(size) = terminal.terminal.size() {
        state.width = size.width;
        state.height = size.height;
    }

    let (cluster_tx, mut cluster_rx) = mpsc::channel::<Msg>(CLUSTER_QUEUE);
    let (input_tx, mut input_rx) = mpsc::channel::<Msg>(256);
    let (session_tx, mut session_rx) =
        mpsc::channel::<(u64, Option<String>, Result<Session, String>)>(4);
    let input_tx_for_effects = input_tx.clone();
    spawn_input_reader(input_tx);

    let _ = cluster_tx
        .send(Msg::Cluster {
            generation: 0,
            change: ClusterChange::Connected(session.connection.clone()),
        })
        .await;
    let mut watchers: Option<WatchSet> = Some(session.watch(
        session.namespace.clone(),
        0,
        cluster_tx.clone(),
        clock.clone(),
    ));
    let mut feed_id = 1;
    let (mut alert_feed, mut am_clients) = start_alert_feed(
        &options,
        &session.connection.context,
        feed_id,
        &cluster_tx,
        &clock,
        &mut state,
    );
    // The incident journal's writer: fsyncs off the event loop.
    let journal = match crate::timeline::cli::incidents_dir() {
        Ok(dir) => Some(crate::timeline::JournalWriter::spawn(
            dir,
            input_tx_for_effects.clone(),
        )),
        Err(e) => {
            state::update_batch(&mut state, [Msg::JournalFailed(e)]);
            None
        }
    };
    match (&journal, &options.incident) {
        (Some(j), Some(id)) => j.resume(id.clone()),
        // An incident left open (a crash, a closed laptop): say how to resume it.
        (Some(_), None) => {
            if let Ok(dir) = crate::timeline::cli::incidents_dir()
                && let Ok(listing) = crate::timeline::list(&dir)
            {
                let open: Vec<String> = listing
                    .into_iter()
                    .flatten()
                    .filter(|s| s.open)
                    .map(|s| s.id)
                    .collect();
                if let Some(id) = open.first() {
                    let more = if open.len() > 1 {
                        format!(" ({} more: :incident and tab lists them)", open.len() - 1)
                    } else {
                        String::new()
                    };
                    state::update_batch(
                        &mut state,
                        [Msg::Notice(
                            state::Severity::Warning,
                            format!("incident {id} is still open: :incident {id} resumes it{more}"),
                        )],
                    );
                }
                let _ = state::update_batch(&mut state, [Msg::Resumable(open)]);
            }
        }
        _ => {}
    }
    let mut session = session;
    let mut logs: Option<cluster::LogSession> = None;
    let mut connect_options = options.connect.clone();

    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut terminate = termination_signal();
    let mut last_draw = Instant::now() - DATA_FRAME;
    let mut input_pending = false;
    let mut ticks: u64 = 0;
    let mut repaint = false;
    state.refresh_view();
    draw(terminal, &mut state, &options.theme)?;

    loop {
        let deadline = if state.dirty {
            Some(
                last_draw
                    + if input_pending {
                        INPUT_FRAME
                    } else {
                        DATA_FRAME
                    },
            )
        } else {
            None
        };
        let mut batch = Vec::new();
        tokio::select! {
            Some(msg) = input_rx.recv() => { batch.push(msg); input_pending = true; }
            Some(msg) = cluster_rx.recv() => batch.push(msg),
            Some((generation, context, result)) = session_rx.recv() => {
                match result {
                    Ok(new) if generation == state.generation => {
                        if let Some(c) = context { connect_options.context = Some(c); }
                        drop(watchers.take());
                        guard = readonly_reason(&options, &new.connection.context);
                        batch.push(Msg::Safety(guard));
                        // Another context, its own Alertmanagers.
                        drop(alert_feed.take());
                        feed_id += 1;
                        (alert_feed, am_clients) = start_alert_feed(&options, &new.connection.context, feed_id, &cluster_tx, &clock, &mut state);
                        batch.push(Msg::Cluster { generation, change: ClusterChange::Connected(new.connection.clone()) });
                        watchers = Some(new.watch(state.namespace.clone(), generation, cluster_tx.clone(), clock.clone()));
                        session = new;
                    }
                    Ok(_) => {}
                    Err(error) => batch.push(Msg::Cluster { generation, change: ClusterChange::ConnectFailed { context: context.unwrap_or_default(), error } }),
                }
            }
            _ = tick.tick() => {
                batch.push(Msg::Ticked(clock()));
                // Churn frees memory in the middle of the heap; hand the
                // free pages back now and then rather than only at a relist.
                ticks += 1;
                if ticks % 10 == 0 {
                    release_free_memory();
                }
            }
            _ = sleep_until(deadline) => {}
            _ = &mut terminate => break,
        }
        // Drain whatever else is already waiting, keys first.
        while batch.len() < BATCH_LIMIT {
            match input_rx.try_recv() {
                Ok(msg) => {
                    batch.push(msg);
                    input_pending = true;
                }
                Err(_) => break,
            }
        }
        while batch.len() < BATCH_LIMIT {
            match cluster_rx.try_recv() {
                Ok(msg) => batch.push(msg),
                Err(_) => break,
            }
        }
        // A (re)list of thousands of objects leaves the allocator holding the
        // pages the API objects were decoded into; give them back.
        let relisted = batch.iter().any(|m| {
            matches!(
                m,
                Msg::Cluster {
                    change: ClusterChange::Pods(Change::Replaced(_))
                        | ClusterChange::Events(Change::Replaced(_)),
                    ..
                }
            )
        });
        // After a resize the terminal may have reflowed or kept stale cells
        // (and frames drawn for the old size may still be arriving): the next
        // frame repaints every cell rather than a diff.
        if batch.iter().any(|m| matches!(m, Msg::Resized { .. })) {
            repaint = true;
        }
        let effects = state::update_batch(&mut state, batch);
        if relisted {
            release_free_memory();
            // The first complete view (and a relist after an outage) is
            // shown at once, not at the background pace.
            input_pending = true;
        }
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::OpenLogs {
                    session: id,
                    request,
                } => {
                    // The old session's tasks stop here; its late lines carry
                    // the old session number and are dropped.
                    drop(logs.take());
                    let (target, log_options) = log_request(&request, &options.config);
                    logs = Some(session.logs(
                        target,
                        log_options,
                        id,
                        cluster_tx.clone(),
                        clock.clone(),
                    ));
                }
                Effect::CloseLogs => drop(logs.take()),
                Effect::SaveLogs { path, text } => {
                    let tx = input_tx_for_effects.clone();
                    tokio::task::spawn_blocking(move || {
                        let result = save(&path, &text);
                        let _ = tx.blocking_send(Msg::LogsSaved { path, result });
                    });
                }
                Effect::Copy(text) => copy_to_clipboard(&text),
                Effect::LoadHistory { request, target } => {
                    let client = session.client.clone();
                    let tx = input_tx_for_effects.clone();
                    tokio::spawn(async move {
                        let result = cluster::history::load_history(&client, &target).await;
                        let _ = tx.send(Msg::HistoryLoaded { request, result }).await;
                    });
                }
                Effect::CheckAccess(checks) => {
                    let client = session.client.clone();
                    let tx = input_tx_for_effects.clone();
                    tokio::spawn(async move {
                        let answers = cluster::actions::review(&client, &checks).await;
                        let _ = tx
                            .send(Msg::AccessReviewed(
                                checks.into_iter().zip(answers).collect(),
                            ))
                            .await;
                    });
                }
                Effect::StartIncident { meta, entries } => match &journal {
                    Some(j) => j.start(meta, entries),
                    None => {
                        let _ = state::update_batch(
                            &mut state,
                            [Msg::JournalFailed(
                                "no data directory: set WARROOM_DATA_DIR".into(),
                            )],
                        );
                    }
                },
                Effect::AppendJournal(entries) => {
                    if let Some(j) = &journal {
                        j.append(entries);
                    }
                }
                Effect::ResumeIncident { id } => match &journal {
                    Some(j) => j.resume(id),
                    None => {
                        let _ = state::update_batch(
                            &mut state,
                            [Msg::JournalFailed(
                                "no data directory: set WARROOM_DATA_DIR".into(),
                            )],
                        );
                    }
                },
                Effect::CloseJournal => {
                    if let Some(j) = &journal {
                        j.close();
                    }
                }
                Effect::ExportIncident { meta, entries } => {
                    let tx = input_tx_for_effects.clone();
                    tokio::task::spawn_blocking(move || {
                        let _ = tx
                            .blocking_send(Msg::IncidentExported(export_incident(&meta, &entries)));
                    });
                }
                Effect::PollAlerts => {
                    if let Some(feed) = &alert_feed {
                        feed.poll_now();
                    }
                }
                Effect::Bell => {
                    use std::io::Write;
                    let mut out = io::stdout();
                    let _ = out.write_all(b"\x07");
                    let _ = out.flush();
                }
                Effect::DryRun { id, mutation } => {
                    let change = gate(
                        guard,
                        session.client.clone(),
                        am_clients.clone(),
                        mutation,
                        true,
                        clock(),
                    );
                    let tx = input_tx_for_effects.clone();
                    tokio::spawn(async move {
                        let result = change.await;
                        let _ = tx.send(Msg::DryRunDone { id, result }).await;
                    });
                }
                Effect::Mutate { id, mutation } => {
                    let at = clock();
                    let change = gate(
                        guard,
                        session.client.clone(),
                        am_clients.clone(),
                        mutation.clone(),
                        false,
                        at,
                    );
                    tokio::spawn(action_done(
                        change,
                        id,
                        mutation,
                        at,
                        &session.connection,
                        input_tx_for_effects.clone(),
                    ));
                }
                Effect::Watch {
                    generation,
                    context,
                    namespace,
                } => {
                    // The old watchers stop now; anything they already sent
                    // carries the old generation and is dropped by the reducer.
                    drop(watchers.take());
                    match context {
                        Some(ctx) => {
                            let mut opts = connect_options.clone();
                            opts.namespace = namespace.clone();
                            opts.all_namespaces = namespace.is_none();
                            let tx = session_tx.clone();
                            tokio::spawn(async move {
                                let result = cluster::connect_context(&opts, &ctx)
                                    .await
                                    .map_err(|e| e.to_string());
                                let _ = tx.send((generation, Some(ctx), result)).await;
                            });
                        }
                        None => {
                            watchers = Some(session.watch(
                                namespace,
                                generation,
                                cluster_tx.clone(),
                                clock.clone(),
                            ));
                        }
                    }
                }
            }
        }
        let interval = if input_pending {
            INPUT_FRAME
        } else {
            DATA_FRAME
        };
        if state.dirty && last_draw.elapsed() >= interval {
            if std::mem::take(&mut repaint) {
                let _ = terminal.terminal.clear();
            }
            state.refresh_view();
            draw(terminal, &mut state, &options.theme)?;
            state.dirty = false;
            input_pending = false;
            last_draw = Instant::now();
        }
    }
    drop(watchers);
    Ok(())
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

/// Writes the incident's Markdown next to its journal, in `exports/`
/// (0600; a later export of the same incident replaces it).
fn export_incident(
    meta: &crate::timeline::IncidentMeta,
    entries: &[crate::timeline::Entry],
) -> Result<std::path::PathBuf, String> {
    let dir = crate::timeline::cli::incidents_dir()?
        .parent()
        .map(|d| d.join("exports"))
        .ok_or("no data directory")?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let path = dir.join(format!("{}.md", meta.id));
    crate::timeline::cli::write_file(
        &path,
        &crate::timeline::export::markdown(meta, entries),
        true,
    )?;
    Ok(path)
}

/// The one gate every change passes, dry run or not: in a read-only session
/// nothing is sent to the cluster at all.
/// Waits for a change to the cluster and reports it with who, where and
/// the kubectl equivalent, for the timeline (the console and the headless
/// renderer alike).
fn action_done(
    change: impl std::future::Future<Output = Result<ActionOutcome, ActionError>> + Send + 'static,
    id: u64,
    mutation: Mutation,
    at: jiff::Timestamp,
    connection: &crate::state::Connection,
    tx: mpsc::Sender<Msg>,
) -> impl std::future::Future<Output = ()> + Send + 'static {
    let (user, context) = (connection.user.clone(), connection.context.clone());
    async move {
        let result = change.await;
        let record = ActionRecord {
            at,
            user,
            context,
            kubectl: mutation.kubectl(),
            mutation,
            result,
        };
        let _ = tx.send(Msg::ActionDone { id, record }).await;
    }
}

async fn gate(
    readonly: Option<ReadonlyReason>,
    client: kube::Client,
    alertmanagers: Vec<AlertmanagerClient>,
    mutation: Mutation,
    dry_run: bool,
    now: jiff::Timestamp,
) -> Result<ActionOutcome, ActionError> {
    if let Some(reason) = readonly {
        return Err(ActionError::ReadOnly(reason.describe().to_string()));
    }
    match mutation.target() {
        Some(_) => cluster::actions::execute(&client, &mutation, dry_run, now).await,
        None => alerts::silences::execute(&alertmanagers, &mutation, dry_run).await,
    }
}

/// Starts polling the Alertmanagers configured for `context` (none: the
/// feed holds the detectors' alerts only) and tells the state which they
/// are. A configuration that cannot be used (a token variable not set) is
/// shown in the alerts view as that Alertmanager's failure.
fn start_alert_feed(
    options: &AppOptions,
    context: &str,
    feed: u64,
    tx: &mpsc::Sender<Msg>,
    clock: &Clock,
    state: &mut State,
) -> (Option<alerts::AlertFeed>, Vec<AlertmanagerClient>) {
    let mut failed = Vec::new();
    let configs = match crate::config::alertmanagers_for(
        &options.config.alertmanager,
        &options.config.alerts,
        context,
        &options.alertmanagers,
    ) {
        Ok(c) => c,
        Err(e) => {
            failed.push(("config".to_string(), e));
            Vec::new()
        }
    };
    let mut clients = Vec::new();
    for c in &configs {
        match AlertmanagerClient::new(c) {
            Ok(client) => clients.push(client),
            Err(e) => failed.push((c.name.clone(), e)),
        }
    }
    state::update_batch(
        state,
        [Msg::AlertsConfigured {
            feed,
            names: configs.iter().map(|c| c.name.clone()).collect(),
            failed,
        }],
    );
    if clients.is_empty() {
        return (None, clients);
    }
    let interval = Duration::from_secs(options.config.alerts.poll_seconds);
    let handle = alerts::spawn_feed(clients.clone(), interval, feed, tx.clone(), clock.clone());
    (Some(handle), clients)
}

/// Why a session on `context` is read-only, by the one rule of
/// [`Config::readonly_for`] with `--readonly` above it.
fn readonly_reason(options: &AppOptions, context: &str) -> Option<ReadonlyReason> {
    if options.readonly {
        return Some(ReadonlyReason::Flag);
    }
    options.config.readonly_for(context, options.write)
}

/// What the pane asked for, in the streaming side's terms.
fn log_request(
    request: &state::LogsRequest,
    config: &Config,
) -> (cluster::LogTarget, cluster::LogOptions) {
    let target = request.target.clone();
    let mut options = if request.previous {
        cluster::LogOptions::previous()
    } else {
        cluster::LogOptions::default()
    };
    options.max_streams = config.logs.max_streams;
    if let Some(secs) = request.since_seconds {
        options.since = Some(Duration::from_secs(secs.max(0) as u64));
        options.tail = None;
    }
    (target, options)
}

/// Writes a saved buffer to a new file (never over an existing one), 0600.
fn save(path: &std::path::Path, text: &str) -> Result<usize, String> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(text.lines().count())
}

/// Puts text on the clipboard with OSC 52, which terminals (and tmux with
/// set-clipboard) honour. Only the app writes this sequence; log text is
/// sanitised before it is shown, so a pod can never.
fn copy_to_clipboard(text: &str) {
    use base64::Engine as _;
    use std::io::Write;
    let mut out = io::stdout();
    let _ = write!(
        out,
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    );
    let _ = out.flush();
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Draws, and tells the state what the layout turned out to be.
fn draw(terminal: &mut TerminalGuard, state: &mut State, theme: &Theme) -> Result<(), String> {
    let mut drawn = ui::Drawn::default();
    terminal
        .terminal
        .draw(|frame| drawn = ui::draw(frame, state, theme))
        .map_err(|e| format!("cannot draw to the terminal: {e}"))?;
    if drawn.table_rows != state.table_rows
        || drawn.layout != state.layout
        || state.detail_scroll > drawn.detail_scroll_max
    {
        state::update_batch(
            state,
            [Msg::Drawn {
                table_rows: drawn.table_rows,
                layout: drawn.layout,
                detail_scroll_max: drawn.detail_scroll_max,
            }],
        );
    }
    Ok(())
}

/// Reads keys, mouse and resizes on a thread of its own (crossterm's read
/// blocks) and forwards them; ends when the app has gone.
fn spawn_input_reader(tx: mpsc::Sender<Msg>) {
    std::thread::spawn(move || {
        loop {
            let msg = match event::read() {
                Ok(Event::Key(key)) => Msg::KeyPressed(key),
                Ok(Event::Mouse(mouse)) => Msg::Mouse(mouse),
                Ok(Event::Resize(width, height)) => Msg::Resized { width, height },
                Ok(_) => continue,
                Err(_) => return,
            };
            if tx.blocking_send(msg).is_err() {
                return;
            }
        }
    });
}

/// SIGTERM and SIGHUP end the app like `q` does (the terminal is restored).
fn termination_signal() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let hup = signal(SignalKind::hangup());
        Box::pin(async move {
            match (term, hup) {
                (Ok(mut t), Ok(mut h)) => {
                    tokio::select! { _ = t.recv() => {}, _ = h.recv() => {} }
                }
                (Ok(mut t), Err(_)) => {
                    t.recv().await;
                }
                _ => std::future::pending().await,
            }
        })
    }
    #[cfg(not(unix))]
    {
        Box::pin(std::future::pending())
    }
}

/// Raw mode, alternate screen and mouse capture for as long as it lives;
/// restored on drop and by a panic hook, so a crash leaves a usable shell.
struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
}

impl TerminalGuard {
    fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        let entered = execute!(stdout, EnterAlternateScreen).and_then(|()| {
            if mouse {
                execute!(stdout, EnableMouseCapture)
            } else {
                Ok(())
            }
        });
        if let Err(e) = entered {
            restore_terminal();
            return Err(e);
        }
        let terminal =
            Terminal::new(CrosstermBackend::new(stdout)).inspect_err(|_| restore_terminal())?;
        Ok(TerminalGuard { terminal })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
        let _ = self.terminal.show_cursor();
    }
}

fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}
