//! The console's state and the only way it changes: `update(&mut State, Msg)`
//! returns the effects the runtime should run. Pure: no I/O, no clock, no
//! terminal. Every behaviour is tested by feeding Msgs.

pub mod actions;
pub mod alerts;
pub mod browse;
pub mod changes;
pub mod command;
pub mod cursor;
pub mod editor;
mod filter;
pub mod history;
mod input;
pub mod log_buffer;
pub mod logs;
pub mod overlay;
pub mod prompt;
pub mod rows;
pub mod tables;
pub mod timeline;
mod update;
mod usage;
mod view;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
pub(crate) mod tests;

pub use cursor::Cursor;
pub use input::{active_modes, not_here};
pub use view::selected_workload;

use std::collections::VecDeque;

use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;

use crate::config::ReadonlyReason;
use crate::keys::{Binding, PodColumn};
use crate::model::action::{
    Access, AccessCheck, ActionError, ActionOutcome, ActionRecord, Mutation, WorkloadRef,
};
use crate::model::cluster::{ClusterChange, ClusterData, Connection};
use crate::model::log_stream::LogTarget;

pub use prompt::{Prompt, PromptKind};
pub use tables::{EventsView, Filter, NodesView, PodRow, PodsView, Sort, WorkloadsView};
pub use update::{update, update_batch};

/// Everything that can happen to the console. Facts, past tense.
#[derive(Debug, Clone)]
pub enum Msg {
    /// The clock moved (wall clock, or the sim's virtual clock in `demo`).
    Ticked(Timestamp),
    KeyPressed(KeyEvent),
    Mouse(MouseEvent),
    Resized {
        width: u16,
        height: u16,
    },
    /// The screen was drawn with this many table rows visible: what a page
    /// key moves; and where things went, for clicks.
    Drawn {
        table_rows: u16,
        layout: ScreenLayout,
        /// How far the detail pane can scroll; its scroll is kept within.
        detail_scroll_max: u16,
    },
    /// The session's safety changed (attached, or switched context): why it
    /// is read-only, or `None`.
    Safety(Option<ReadonlyReason>),
    /// A workload's history, for load `request`.
    HistoryLoaded {
        request: u64,
        result: Result<crate::model::history::History, String>,
    },
    /// Answers to `Effect::CheckAccess`.
    AccessReviewed(Vec<(AccessCheck, Access)>),
    /// The dry run of confirmation `id`.
    DryRunDone {
        id: u64,
        result: Result<ActionOutcome, ActionError>,
    },
    /// A change was made, or failed: who, what, target, result (the
    /// incident timeline records these).
    ActionDone {
        id: u64,
        record: ActionRecord,
    },
    /// Poller `feed` starts, asking these Alertmanagers; `failed` are the
    /// ones that could not even be set up (name, why).
    AlertsConfigured {
        feed: u64,
        names: Vec<String>,
        failed: Vec<(String, String)>,
    },
    /// A round of Alertmanager polls from poller `feed`.
    AlertsPolled {
        feed: u64,
        at: Timestamp,
        report: crate::model::alert::AlertReport,
    },
    /// The journal wrote and fsync'd these entries (seq assigned).
    JournalSaved(Vec<crate::timeline::Entry>),
    /// The journal could not write.
    JournalFailed(String),
    /// The journal of a new incident exists (its id may have been made
    /// unique on disk).
    IncidentCreated(crate::timeline::IncidentMeta),
    /// `--incident ID`: the journal read back (`report`: what recovery found).
    IncidentResumed {
        meta: crate::timeline::IncidentMeta,
        entries: Vec<crate::timeline::Entry>,
        report: Vec<String>,
    },
    IncidentExported(Result<std::path::PathBuf, String>),
    /// An object's YAML for `Effect::FetchYaml` `request`, or why not.
    YamlFetched {
        request: u64,
        result: Result<Vec<String>, String>,
    },
    /// Something the runtime wants said on screen.
    Notice(Severity, String),
    /// Incidents left open on disk (for `:incident` completion).
    Resumable(Vec<String>),
    /// A `SaveLogs` effect finished.
    LogsSaved {
        path: std::path::PathBuf,
        result: Result<usize, String>,
    },
    /// Something from the log streams of logs session `session`; messages
    /// of a closed session are dropped.
    Logs {
        session: u64,
        event: crate::model::log_stream::LogEvent,
    },
    /// Something from the cluster, tagged with the generation of the watchers
    /// that produced it: after a namespace or context switch, messages of
    /// older generations are dropped.
    Cluster {
        generation: u64,
        change: ClusterChange,
    },
}

/// Commands to the runtime. The reducer never does I/O itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Cancel all watchers and start new ones for this context (`None`: the
    /// current one) and namespace (`None`: all namespaces), tagged `generation`.
    Watch {
        generation: u64,
        context: Option<String>,
        namespace: Option<String>,
    },
    /// Start log session `session` (dropping any other).
    OpenLogs {
        session: u64,
        request: LogsRequest,
    },
    /// Stop every log stream.
    CloseLogs,
    /// Write `text` to a new file at `path`; answered by `Msg::LogsSaved`.
    SaveLogs {
        path: std::path::PathBuf,
        text: String,
    },
    /// Put `text` on the terminal's clipboard (OSC 52, written by the app,
    /// never by a pod).
    Copy(String),
    /// Load a workload's rollout history; answered by `Msg::HistoryLoaded`.
    LoadHistory {
        request: u64,
        target: WorkloadRef,
    },
    /// SelfSubjectAccessReviews; answered by `Msg::AccessReviewed`.
    CheckAccess(Vec<AccessCheck>),
    /// The server-side dry run (`dryRun=All`) of a change; answered by
    /// `Msg::DryRunDone`. Refused by the executor in a read-only session.
    DryRun {
        id: u64,
        mutation: Mutation,
    },
    /// The change itself, after the user confirmed; answered by
    /// `Msg::ActionDone`. Refused by the executor in a read-only session.
    Mutate {
        id: u64,
        mutation: Mutation,
    },
    /// Whether what every namespace's pods request on each node is wanted
    /// (the nodes view of a namespaced session): polled while it is.
    NodeLoad(bool),
    /// Follow this resource in the server's columns (`None`: stop); the
    /// browse view while it is shown. Answered by `ClusterChange::Browse`.
    Browse(Option<crate::model::api_resource::ApiKind>),
    /// Ask the server again what it serves (a word named nothing).
    Rediscover,
    /// Read one object as YAML, or described (`describe`); answered by
    /// `Msg::YamlFetched`.
    FetchYaml {
        request: u64,
        describe: bool,
        kind: crate::model::api_resource::ApiKind,
        key: crate::model::ObjectKey,
    },
    /// Ask every Alertmanager now (after a silence changed).
    PollAlerts,
    /// Create the journal of a new incident and write `entries` (the
    /// back-fill and the declaration); answered by `Msg::JournalSaved`.
    StartIncident {
        meta: crate::timeline::IncidentMeta,
        entries: Vec<crate::timeline::Entry>,
    },
    /// Append to the open incident's journal (write + fsync).
    AppendJournal(Vec<crate::timeline::Entry>),
    /// The incident ended: release the journal (and its lock).
    CloseJournal,
    /// Open an incident's journal again (`:incident ID`); answered by
    /// `Msg::IncidentResumed`.
    ResumeIncident {
        id: String,
    },
    /// Write the incident as Markdown; answered by `Msg::IncidentExported`.
    ExportIncident {
        meta: crate::timeline::IncidentMeta,
        entries: Vec<crate::timeline::Entry>,
    },
    /// Ring the terminal bell (a new critical alert, when configured).
    Bell,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsRequest {
    pub target: LogTarget,
    /// The previous (terminated) containers' logs instead of the running ones.
    pub previous: bool,
    /// `sinceSeconds`; `None` means the last lines (tail) and then follow.
    pub since_seconds: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    Pods,
    Workloads,
    Events,
    Nodes,
    Alerts,
    /// `:<resource>`: any resource, in the server's columns (not a tab of
    /// its own: what it shows is `State.browse`).
    Browse,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Pods,
        View::Workloads,
        View::Events,
        View::Nodes,
        View::Alerts,
    ];
    pub fn title(self) -> &'static str {
        match self {
            View::Pods => "Pods",
            View::Workloads => "Workloads",
            View::Events => "Events",
            View::Nodes => "Nodes",
            View::Alerts => "Alerts",
            View::Browse => "Resource",
        }
    }
}

/// Which pane of the main screen takes the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Table,
    Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// A message on screen: an error from the cluster, a hint after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub severity: Severity,
    pub text: String,
    pub at: Timestamp,
}

/// How many notices are kept; older ones fall off.
pub const NOTICE_LIMIT: usize = 50;

/// Where the last draw put what a click can land on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScreenLayout {
    /// The tab line's row.
    pub tab_y: u16,
    /// Each view's tab (in `View::ALL` order) as columns `start..end`.
    pub tabs: [(u16, u16); 5],
    /// The table's rows on screen, when no pane covers them.
    pub rows: Option<RowsArea>,
    /// The open pane's list (revisions, timeline entries, changes).
    pub list: Option<ListArea>,
    /// The confirmation as the last draw showed it, whole (its keys line
    /// included); `None` when none was drawn or it did not fit. `y`
    /// confirms only a confirmation that is on screen as it stands.
    pub confirm: Option<Box<actions::Confirm>>,
}

/// A pane's list on screen: lines from `y` between columns `x` and
/// `x + width`; each line shows the item at that index, or none (a note's
/// body under its entry, say). The what-changed and history panes count
/// their items from the oldest, so a change or revision arriving before
/// the click shifts nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListArea {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub items: Vec<Option<usize>>,
}

impl ListArea {
    /// The item at a screen cell, if any.
    pub fn item_at(&self, x: u16, y: u16) -> Option<usize> {
        if !(self.x..self.x.saturating_add(self.width)).contains(&x) || y < self.y {
            return None;
        }
        self.items.get(usize::from(y - self.y)).copied().flatten()
    }
}

/// The rows of the table on screen: `height` lines from `y`, between
/// columns `x` and `x + width`, showing rows from index `first`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowsArea {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
    pub first: usize,
}

#[derive(Debug, Clone)]
pub struct State {
    pub now: Timestamp,
    pub connection: Connection,
    /// `None`: all namespaces.
    pub namespace: Option<String>,
    /// Why nothing may be changed, or `None` when actions are allowed
    /// (still subject to access review and confirmation).
    pub readonly: Option<ReadonlyReason>,
    /// Who runs the console (the OS user), given by the runtime: the
    /// reducer reads no environment.
    pub operator: String,
    /// The local time zone's IANA name, given by the runtime (incidents
    /// record it).
    pub time_zone: String,
    /// Lines kept per log view (config `logs.buffer_lines`).
    pub log_buffer_lines: usize,
    /// Generation of the current watchers; older messages are dropped.
    pub generation: u64,
    pub cluster: ClusterData,
    pub view: View,
    /// The node-wide requests poll was last asked for (see
    /// [`Effect::NodeLoad`]).
    pub node_load: bool,
    /// `:<resource>`: what it shows.
    pub browse: browse::Browse,
    /// The resource last asked to be followed (see [`Effect::Browse`]).
    pub browsing: Option<crate::model::api_resource::ApiKind>,
    /// Number of the newest YAML request; older answers are dropped.
    pub yaml_request: u64,
    pub focus: Focus,
    pub pods: PodsView,
    pub workloads: WorkloadsView,
    pub events: EventsView,
    pub nodes: NodesView,
    /// Scroll position in the detail pane.
    pub detail_scroll: u16,
    pub notices: VecDeque<Notice>,
    /// The active keymap: dispatch, help overlay and footer hints all read it.
    pub bindings: Vec<Binding>,
    pub width: u16,
    pub height: u16,
    /// Visible table rows at the last draw (0 before the first).
    pub table_rows: u16,
    /// Where the last draw put the tabs and the rows, for the mouse.
    pub layout: ScreenLayout,
    /// Something visible changed since the last draw.
    pub dirty: bool,
    /// Rows to recompute before the next draw.
    pub pending: rows::Pending,
    /// The pane over the main area and the dialog over everything, if any.
    pub overlay: overlay::Overlay,
    /// Number of the newest log session; lines of older ones are dropped.
    pub logs_session: u64,
    /// Changes running, access reviews, actions taken.
    pub actions: actions::Actions,
    /// Alertmanagers' and detectors' alerts, merged, and their transitions.
    pub alerts: alerts::AlertsData,
    pub alerts_view: AlertsView,
    /// The last two hours of what changed (always on).
    pub changes: crate::model::changes::Ring,
    /// The declared incident and its journal's acknowledgements.
    pub timeline: timeline::Timeline,
}

/// The alerts view: severity headings and alerts.
#[derive(Debug, Clone, Default)]
pub struct AlertsView {
    pub rows: Vec<alerts::AlertRow>,
    pub filter: tables::Filter,
    /// Hide silenced and inhibited alerts.
    pub problems_only: bool,
    pub cursor: Cursor,
}

impl State {
    /// Shows `pane` over the main area, in place of the open one (whose
    /// log streams stop, if it was the logs pane).
    pub(crate) fn open_pane(&mut self, pane: overlay::Pane, effects: &mut Vec<Effect>) {
        self.close_pane(effects);
        self.overlay.pane = Some(pane);
    }

    /// Closes the open pane (a logs pane's streams stop).
    pub(crate) fn close_pane(&mut self, effects: &mut Vec<Effect>) {
        if let Some(overlay::Pane::Logs(_)) = self.overlay.pane.take() {
            effects.push(Effect::CloseLogs);
        }
    }

    /// Who writes a note or a silence: the kubeconfig user, else whoever
    /// runs the console.
    pub fn author(&self) -> String {
        if self.connection.user.is_empty() {
            self.operator.clone()
        } else {
            self.connection.user.clone()
        }
    }

    /// A fresh console attached to nothing yet; the runtime sends
    /// `Connected` and the watchers fill it.
    pub fn new(now: Timestamp, namespace: Option<String>) -> State {
        State {
            now,
            connection: Connection::default(),
            namespace,
            readonly: None,
            operator: "warroom".into(),
            time_zone: "UTC".into(),
            log_buffer_lines: crate::config::LogsConfig::default().buffer_lines,
            generation: 0,
            cluster: ClusterData::default(),
            view: View::Pods,
            node_load: false,
            browse: Default::default(),
            browsing: None,
            yaml_request: 0,
            focus: Focus::Table,
            pods: PodsView {
                rows: Vec::new(),
                sort: Sort {
                    column: PodColumn::Status,
                    descending: false,
                },
                filter: Filter::default(),
                problems_only: false,
                group_by_workload: false,
                owner: None,
                cursor: Cursor::default(),
            },
            workloads: WorkloadsView {
                rows: Vec::new(),
                filter: Filter::default(),
                problems_only: false,
                cursor: Cursor::default(),
            },
            events: EventsView {
                rows: Vec::new(),
                filter: Filter::default(),
                warnings_only: false,
                object: None,
                cursor: Cursor::default(),
            },
            nodes: NodesView {
                rows: Vec::new(),
                totals: Default::default(),
                filter: Filter::default(),
                problems_only: false,
                cursor: Cursor::default(),
            },
            detail_scroll: 0,
            notices: VecDeque::new(),
            bindings: crate::config::keymap::default_bindings(),
            width: 80,
            height: 24,
            table_rows: 0,
            layout: ScreenLayout::default(),
            dirty: true,
            pending: rows::Pending::everything(),
            overlay: overlay::Overlay::default(),
            logs_session: 0,
            actions: actions::Actions::default(),
            alerts: alerts::AlertsData {
                silence_minutes: 120,
                ..Default::default()
            },
            alerts_view: AlertsView::default(),
            changes: Default::default(),
            timeline: timeline::Timeline::default(),
        }
    }
}
