//! The one effect executor, for the live console and the headless renderer
//! alike: it owns everything that reaches outside the reducer — the
//! session and its watchers, the log streams, the Alertmanager poller, the
//! journal writer — turns each [`Effect`] into calls on them, and hands
//! back what they report as [`Msg`]s.
//!
//! Read-only is enforced here, once, whatever the reducer thinks: the
//! executor keeps its own copy ([`Executor::guard`]) and every change, dry
//! run or not, passes [`gate`].
//!
//! Where the console meets the world outside the cluster (files, the
//! terminal's bell and clipboard, the journal, exports), the [`Edge`] says
//! what happens: a [`Edge::Terminal`] does it, a [`Edge::Picture`] (the
//! screenshot) refuses or drops it, so a picture touches nothing.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::{AppOptions, files, terminal};
use crate::alerts::{self, AlertFeed, AlertmanagerClient, FeedEvent};
use crate::cluster::{self, ConnectOptions, LogSession, Session, Update, WatchSet};
use crate::config::{Config, ReadonlyReason};
use crate::model::Clock;
use crate::model::action::{ActionError, ActionOutcome, ActionRecord, Mutation};
use crate::model::cluster::ClusterChange;
use crate::model::log_stream::LogTarget;
use crate::state::{Effect, LogsRequest, Msg, Severity};
use crate::timeline::{JournalEvent, JournalWriter};

/// Capacity of the watchers' and log streams' channel: they wait
/// (back-pressure) when it is full.
pub(super) const CLUSTER_QUEUE: usize = 1024;

/// What the console may touch outside the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The live console: files, the terminal, the journal, Alertmanager.
    Terminal,
    /// A picture (`warroom screenshot`): nothing outside the cluster is
    /// touched; what would be is refused (files, journal) or dropped (bell,
    /// clipboard), and the session stays on its own cluster.
    Picture,
}

/// Whether the console goes on after an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Flow {
    Continue,
    Quit,
}

/// What an effect task leaves behind.
enum Answer {
    Msg(Msg),
    /// A context switch connected (or failed): the executor swaps its
    /// session before the reducer hears of it.
    Connected {
        generation: u64,
        context: String,
        result: Result<Session, String>,
    },
}

/// The settings the executor acts on: a copy of the options' parts it needs.
struct Settings {
    config: Config,
    readonly: bool,
    write: bool,
    alertmanagers: Vec<String>,
}

pub struct Executor {
    edge: Edge,
    settings: Settings,
    clock: Clock,
    session: Session,
    connect: ConnectOptions,
    /// The executor's own copy of read-only: it does not trust the reducer.
    guard: Option<ReadonlyReason>,
    /// The newest watchers' generation: a context that connects after a
    /// later switch was asked for is not attached.
    generation: u64,
    watchers: Option<WatchSet>,
    /// The reducer wants node-wide requests polled (the nodes view is
    /// shown); kept across namespace and context switches.
    node_load: bool,
    /// The resource the browse view follows; kept across restarts too.
    browse: Option<crate::model::api_resource::ApiKind>,
    logs: Option<LogSession>,
    feed: Option<AlertFeed>,
    feed_id: u64,
    alertmanagers: Vec<AlertmanagerClient>,
    journal: Option<JournalWriter>,
    updates_tx: mpsc::Sender<Update>,
    updates: mpsc::Receiver<Update>,
    feed_tx: mpsc::Sender<FeedEvent>,
    feed_events: mpsc::Receiver<FeedEvent>,
    journal_tx: mpsc::Sender<JournalEvent>,
    journal_events: mpsc::Receiver<JournalEvent>,
    tasks: JoinSet<Answer>,
    /// Msgs the executor itself has to say, handed out first.
    inbox: VecDeque<Msg>,
}

impl Executor {
    /// Attaches to `session`: starts its watchers (generation 0), the alert
    /// feed of its context and, at a terminal, the journal writer (resuming
    /// `--incident`, or saying which incidents were left open).
    pub fn start(session: Session, options: &AppOptions, edge: Edge) -> Executor {
        let (updates_tx, updates) = mpsc::channel(CLUSTER_QUEUE);
        let (feed_tx, feed_events) = mpsc::channel(16);
        let (journal_tx, journal_events) = mpsc::channel(64);
        let settings = Settings {
            config: options.config.clone(),
            readonly: options.readonly,
            write: options.write,
            alertmanagers: options.alertmanagers.clone(),
        };
        let mut exec = Executor {
            edge,
            guard: settings.readonly_reason(&session.connection.context),
            settings,
            generation: 0,
            clock: options.clock.clone(),
            connect: options.connect.clone(),
            watchers: None,
            node_load: false,
            browse: None,
            logs: None,
            feed: None,
            feed_id: 0,
            alertmanagers: Vec::new(),
            journal: None,
            updates_tx,
            updates,
            feed_tx,
            feed_events,
            journal_tx,
            journal_events,
            tasks: JoinSet::new(),
            inbox: VecDeque::new(),
            session,
        };
        exec.attach(0);
        if edge == Edge::Terminal {
            exec.open_journal(options.incident.clone());
        }
        exec
    }

    /// The time on the console's clock (the wall's, or the sim's).
    pub fn now(&self) -> jiff::Timestamp {
        (self.clock)()
    }

    /// The session's connection: for the headless renderer's first key.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Effect tasks not yet answered (history loads, reviews, changes).
    pub fn busy(&self) -> usize {
        self.tasks.len()
    }

    /// The next Msg from anything the executor runs. Cancel-safe: a Msg is
    /// taken from its source only when it is returned (or queued).
    pub async fn recv(&mut self) -> Msg {
        loop {
            if let Some(msg) = self.inbox.pop_front() {
                return msg;
            }
            tokio::select! {
                Some(update) = self.updates.recv() => return update.into(),
                Some(event) = self.feed_events.recv() => return event.into(),
                Some(event) = self.journal_events.recv() => return event.into(),
                Some(done) = self.tasks.join_next() => self.answered(done),
            }
        }
    }

    /// Moves what is already waiting into `batch`, up to `limit` Msgs in all.
    pub fn drain(&mut self, batch: &mut Vec<Msg>, limit: usize) {
        while batch.len() < limit {
            let msg = match self.inbox.pop_front() {
                Some(m) => m,
                None => match self.updates.try_recv() {
                    Ok(u) => u.into(),
                    Err(_) => match self.feed_events.try_recv() {
                        Ok(e) => e.into(),
                        Err(_) => match self.journal_events.try_recv() {
                            Ok(e) => e.into(),
                            Err(_) => return,
                        },
                    },
                },
            };
            batch.push(msg);
        }
    }

    /// Runs the reducer's effects in order; `Quit` ends the console (at a
    /// terminal: a picture is taken when its keys are done).
    pub fn run_all(&mut self, effects: Vec<Effect>) -> Flow {
        for effect in effects {
            if self.run(effect) == Flow::Quit {
                return Flow::Quit;
            }
        }
        Flow::Continue
    }

    fn run(&mut self, effect: Effect) -> Flow {
        const NO_FILES: &str = "a screenshot writes no files";
        let picture = self.edge == Edge::Picture;
        match effect {
            Effect::Quit if picture => {}
            Effect::Quit => return Flow::Quit,
            Effect::Watch {
                generation,
                context,
                namespace,
            } => self.watch(generation, context, namespace),
            Effect::OpenLogs { session, request } => {
                // The old session's tasks stop here; its late lines carry
                // the old session number and are dropped.
                drop(self.logs.take());
                let (target, options) = log_request(&request, &self.settings.config);
                self.logs = Some(self.session.logs(
                    target,
                    options,
                    session,
                    self.updates_tx.clone(),
                    self.clock.clone(),
                ));
            }
            Effect::CloseLogs => drop(self.logs.take()),
            Effect::SaveLogs { path, .. } if picture => self.say(Msg::LogsSaved {
                path,
                result: Err(NO_FILES.into()),
            }),
            Effect::SaveLogs { path, text } => {
                // Reported as written: the whole path, not the relative one.
                let path = absolute(path);
                self.tasks.spawn_blocking(move || {
                    let result = files::save(&path, &text);
                    Answer::Msg(Msg::LogsSaved { path, result })
                });
            }
            Effect::Copy(_) | Effect::Bell if picture => {}
            Effect::Copy(text) => terminal::copy_to_clipboard(&text),
            Effect::Bell => terminal::bell(),
            Effect::LoadHistory { request, target } => {
                let client = self.session.client.clone();
                self.tasks.spawn(async move {
                    let result = cluster::history::load_history(&client, &target).await;
                    Answer::Msg(Msg::HistoryLoaded { request, result })
                });
            }
            Effect::CheckAccess(checks) => {
                let client = self.session.client.clone();
                self.tasks.spawn(async move {
                    let answers = cluster::actions::review(&client, &checks).await;
                    Answer::Msg(Msg::AccessReviewed(
                        checks.into_iter().zip(answers).collect(),
                    ))
                });
            }
            Effect::DryRun { id, mutation } => {
                let change = self.gate(mutation, true);
                self.tasks.spawn(async move {
                    let result = change.await;
                    Answer::Msg(Msg::DryRunDone { id, result })
                });
            }
            Effect::Mutate { id, mutation } => {
                let at = self.now();
                let change = self.gate(mutation.clone(), false);
                let connection = &self.session.connection;
                let (user, context) = (connection.user.clone(), connection.context.clone());
                self.tasks.spawn(async move {
                    let result = change.await;
                    let record = ActionRecord {
                        at,
                        user,
                        context,
                        kubectl: mutation.kubectl(),
                        mutation,
                        result,
                    };
                    Answer::Msg(Msg::ActionDone { id, record })
                });
            }
            Effect::Browse(kind) => {
                if let Some(w) = &self.watchers {
                    w.browse(kind.clone());
                }
                self.browse = kind;
            }
            Effect::Rediscover => {
                if let Some(w) = &self.watchers {
                    w.rediscover();
                }
            }
            Effect::FetchYaml {
                request,
                describe,
                kind,
                key,
            } => {
                let client = self.session.client.clone();
                let server = self.session.connection.server.clone();
                self.tasks.spawn(async move {
                    let result =
                        cluster::object_yaml(&client, &kind, &key, &server, describe).await;
                    Answer::Msg(Msg::YamlFetched { request, result })
                });
            }
            Effect::NodeLoad(on) => {
                self.node_load = on;
                if let Some(w) = &self.watchers {
                    w.want_node_load(on);
                }
            }
            Effect::PollAlerts => {
                if let Some(feed) = &self.feed {
                    feed.poll_now();
                }
            }
            Effect::StartIncident { meta, entries } => match self.journal() {
                Some(j) => j.start(meta, entries),
                None => self.no_journal(),
            },
            Effect::ResumeIncident { id } => match self.journal() {
                Some(j) => j.resume(id),
                None => self.no_journal(),
            },
            Effect::AppendJournal(entries) => {
                if let Some(j) = self.journal() {
                    j.append(entries);
                }
            }
            Effect::CloseJournal => {
                if let Some(j) = self.journal() {
                    j.close();
                }
            }
            Effect::ExportIncident { .. } if picture => {
                self.say(Msg::IncidentExported(Err(NO_FILES.into())))
            }
            Effect::ExportIncident { meta, entries } => {
                self.tasks.spawn_blocking(move || {
                    Answer::Msg(Msg::IncidentExported(files::export_incident(
                        &meta, &entries,
                    )))
                });
            }
        }
        Flow::Continue
    }

    /// Stops the watchers and starts new ones: in another namespace on this
    /// session, or on another context once it is connected.
    fn watch(&mut self, generation: u64, context: Option<String>, namespace: Option<String>) {
        // Anything the old watchers already sent carries the old generation
        // and is dropped by the reducer.
        drop(self.watchers.take());
        self.generation = generation;
        self.session.namespace = namespace.clone();
        match context {
            None => self.start_watchers(generation),
            Some(context) if self.edge == Edge::Picture => self.say(Msg::Cluster {
                generation,
                change: ClusterChange::ConnectFailed {
                    context,
                    error: "a screenshot stays on its own cluster".into(),
                },
            }),
            Some(context) => {
                let mut options = self.connect.clone();
                options.all_namespaces = namespace.is_none();
                options.namespace = namespace;
                self.tasks.spawn(async move {
                    let result = cluster::connect_context(&options, &context)
                        .await
                        .map_err(|e| e.to_string());
                    Answer::Connected {
                        generation,
                        context,
                        result,
                    }
                });
            }
        }
    }

    fn answered(&mut self, done: Result<Answer, tokio::task::JoinError>) {
        match done {
            Ok(Answer::Msg(msg)) => self.say(msg),
            Ok(Answer::Connected {
                generation,
                context,
                result,
            }) => match result {
                Ok(_) if generation != self.generation => {}
                Ok(session) => {
                    self.connect.context = Some(context);
                    let namespace = self.session.namespace.clone();
                    self.session = Session {
                        namespace,
                        ..session
                    };
                    self.attach(generation);
                }
                Err(error) => self.say(Msg::Cluster {
                    generation,
                    change: ClusterChange::ConnectFailed { context, error },
                }),
            },
            Err(e) => self.say(Msg::Notice(
                Severity::Error,
                format!("a task of the console failed: {e}"),
            )),
        }
    }

    /// The session is (newly) attached: its safety, its Alertmanagers, its
    /// connection, its watchers.
    fn attach(&mut self, generation: u64) {
        let context = self.session.connection.context.clone();
        self.guard = self.settings.readonly_reason(&context);
        if generation > 0 {
            self.say(Msg::Safety(self.guard));
        }
        self.start_feed(&context);
        self.say(Msg::Cluster {
            generation,
            change: ClusterChange::Connected(self.session.connection.clone()),
        });
        self.start_watchers(generation);
    }

    fn start_watchers(&mut self, generation: u64) {
        let watchers = self.session.watch(
            self.session.namespace.clone(),
            generation,
            self.updates_tx.clone(),
            self.clock.clone(),
        );
        watchers.want_node_load(self.node_load);
        watchers.browse(self.browse.clone());
        self.watchers = Some(watchers);
    }

    /// Starts polling the Alertmanagers configured for `context` (none: the
    /// feed holds the detectors' alerts only) and tells the state which they
    /// are. A configuration that cannot be used (a token variable not set)
    /// is shown in the alerts view as that Alertmanager's failure.
    fn start_feed(&mut self, context: &str) {
        drop(self.feed.take());
        self.feed_id += 1;
        let mut failed = Vec::new();
        let configs = match crate::config::alertmanagers_for(
            &self.settings.config.alertmanager,
            &self.settings.config.alerts,
            context,
            &self.settings.alertmanagers,
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
        self.say(Msg::AlertsConfigured {
            feed: self.feed_id,
            names: configs.iter().map(|c| c.name.clone()).collect(),
            failed,
        });
        // A picture lists them but asks none: what they say would change
        // with the moment the picture is taken.
        if !clients.is_empty() && self.edge == Edge::Terminal {
            let interval = Duration::from_secs(self.settings.config.alerts.poll_seconds);
            self.feed = Some(alerts::spawn_feed(
                clients.clone(),
                interval,
                self.feed_id,
                self.feed_tx.clone(),
                self.clock.clone(),
            ));
        }
        self.alertmanagers = clients;
    }

    /// The journal writer, and what the data directory says at start: the
    /// incident to resume, or those left open (a crash, a closed laptop).
    fn open_journal(&mut self, resume: Option<String>) {
        let dir = match crate::timeline::cli::incidents_dir() {
            Ok(dir) => dir,
            Err(e) => return self.say(Msg::JournalFailed(e)),
        };
        let journal = JournalWriter::spawn(dir.clone(), self.journal_tx.clone());
        if let Some(id) = resume {
            journal.resume(id);
        } else if let Ok(listing) = crate::timeline::list(&dir) {
            let open: Vec<String> = listing
                .into_iter()
                .flatten()
                .filter(|s| s.open)
                .map(|s| s.id)
                .collect();
            if let Some(id) = open.first() {
                let more = match open.len() {
                    1 => String::new(),
                    n => format!(" ({} more: :incident and tab lists them)", n - 1),
                };
                self.say(Msg::Notice(
                    Severity::Warning,
                    format!("incident {id} is still open: :incident {id} resumes it{more}"),
                ));
            }
            self.say(Msg::Resumable(open));
        }
        self.journal = Some(journal);
    }

    fn journal(&self) -> Option<&JournalWriter> {
        self.journal.as_ref()
    }

    fn no_journal(&mut self) {
        let why = match self.edge {
            Edge::Picture => "a screenshot keeps no journal",
            Edge::Terminal => "no data directory: set WARROOM_DATA_DIR",
        };
        self.say(Msg::JournalFailed(why.into()));
    }

    fn say(&mut self, msg: Msg) {
        self.inbox.push_back(msg);
    }

    /// The one gate every change passes, dry run or not: in a read-only
    /// session nothing is sent to the cluster or to Alertmanager at all.
    fn gate(
        &self,
        mutation: Mutation,
        dry_run: bool,
    ) -> impl Future<Output = Result<ActionOutcome, ActionError>> + Send + 'static {
        let readonly = self.guard;
        let client = self.session.client.clone();
        let alertmanagers = self.alertmanagers.clone();
        let now = self.now();
        async move {
            if let Some(reason) = readonly {
                return Err(ActionError::ReadOnly(reason.describe().to_string()));
            }
            match mutation.target() {
                Some(_) => cluster::actions::execute(&client, &mutation, dry_run, now).await,
                None => alerts::silences::execute(&alertmanagers, &mutation, dry_run).await,
            }
        }
    }
}

impl Settings {
    /// Why a session on `context` is read-only, by the one rule of
    /// [`Config::readonly_for`] with `--readonly` above it.
    fn readonly_reason(&self, context: &str) -> Option<ReadonlyReason> {
        if self.readonly {
            return Some(ReadonlyReason::Flag);
        }
        self.config.readonly_for(context, self.write)
    }
}

/// Why a session on `context` is read-only, for the state a console starts
/// from (the executor keeps its own copy).
pub(super) fn readonly_reason(options: &AppOptions, context: &str) -> Option<ReadonlyReason> {
    if options.readonly {
        return Some(ReadonlyReason::Flag);
    }
    options.config.readonly_for(context, options.write)
}

/// What the pane asked for, in the streaming side's terms.
pub(super) fn log_request(
    request: &LogsRequest,
    config: &Config,
) -> (LogTarget, cluster::LogOptions) {
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
    (request.target.clone(), options)
}

/// Where a relative path lands.
fn absolute(path: PathBuf) -> PathBuf {
    std::env::current_dir()
        .map(|d| d.join(&path))
        .unwrap_or(path)
}
