//! Keys to actions. One table of bindings serves both the dispatch and the
//! help overlay / footer hints, so help cannot drift from the keys. (Issue 8
//! loads the table from `keymaps/*.toml`; the defaults here mirror k9s habits.)

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::PodColumn;

/// What the user wants. Imperative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Drill in: a workload's pods, a group, or focus the detail pane.
    Open,
    /// Close the overlay, clear the filter, leave the drill-down.
    Back,
    SwitchPane,
    ShowPods,
    ShowWorkloads,
    ShowEvents,
    ShowNodes,
    ShowAlerts,
    /// Silence the selected alert in Alertmanager (asks first).
    Silence,
    /// Expire the silence holding the selected alert (asks first).
    ExpireSilence,
    /// Events about the selected object.
    ShowObjectEvents,
    StartFilter,
    StartCommand,
    ToggleHelp,
    ToggleProblemsOnly,
    ToggleGroupByWorkload,
    SortBy(PodColumn),
    /// Tail the selected pod (all containers) or workload (all its pods).
    OpenLogs,
    /// The previous container's log of the selected pod or workload.
    OpenPreviousLogs,
    CloseLogs,
    ToggleFollow,
    ToggleWrap,
    ToggleTimestamps,
    /// Switch between the current and the previous containers' logs.
    TogglePrevious,
    /// 1m → 5m → 15m → 1h → all.
    CycleSince,
    /// All containers → each one in turn.
    CycleContainer,
    /// error → warn → info → debug → all.
    CycleLevel,
    ToggleRaw,
    StartSearch,
    NextMatch,
    PreviousMatch,
    /// Keep only matching lines (`!` first inverts).
    StartLogFilter,
    SaveLogs,
    CopyLine,
    /// Rollout history of the selected workload (or the selected pod's).
    OpenHistory,
    CloseHistory,
    /// Reload the history.
    Reload,
    /// Roll back to the selected revision (asks first).
    Rollback,
    /// Scale the workload (asks for a number, then asks first).
    Scale,
    /// Rolling restart (asks first).
    Restart,
    /// Pause or resume the rollout (asks first).
    PauseResume,
    /// Declare an incident, or end the open one.
    ToggleIncident,
    /// A one-line mark of the screen's counts in the incident.
    Mark,
    /// A note in the incident (multi-line editor).
    Note,
    /// Export the incident as Markdown.
    ExportIncident,
    /// The incident's timeline pane.
    OpenTimeline,
    CloseTimeline,
    /// In the timeline: correct the selected note (a new entry amends it).
    EditNote,
    /// In the timeline: strike the selected entry (kept, crossed out).
    StrikeEntry,
    /// What changed in the last two hours.
    OpenChanges,
    CloseChanges,
    /// all → warning → pod → rollout → scale → alert → action.
    CycleKind,
    /// In a confirmation: go ahead.
    Confirm,
    /// In a confirmation: change nothing.
    Cancel,
}

impl Action {
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::Open => "open / details",
            Action::Back => "back / clear",
            Action::SwitchPane => "switch pane",
            Action::ShowPods => "pods",
            Action::ShowWorkloads => "workloads",
            Action::ShowEvents => "events",
            Action::ShowNodes => "nodes",
            Action::ShowAlerts => "alerts",
            Action::Silence => "silence alert",
            Action::ExpireSilence => "expire silence",
            Action::ShowObjectEvents => "events of selected",
            Action::StartFilter => "filter (-l k=v)",
            Action::StartCommand => "command",
            Action::ToggleHelp => "help",
            Action::ToggleProblemsOnly => "problems only",
            Action::ToggleGroupByWorkload => "group by workload",
            Action::OpenLogs => "logs",
            Action::OpenPreviousLogs => "previous logs",
            Action::CloseLogs => "close logs",
            Action::ToggleFollow => "follow / pause",
            Action::ToggleWrap => "wrap",
            Action::ToggleTimestamps => "timestamps",
            Action::TogglePrevious => "previous container",
            Action::CycleSince => "since 1m/5m/15m/1h/all",
            Action::CycleContainer => "container",
            Action::CycleLevel => "level filter",
            Action::ToggleRaw => "raw line",
            Action::StartSearch => "search",
            Action::NextMatch => "next match",
            Action::PreviousMatch => "previous match",
            Action::StartLogFilter => "filter lines (!inverts)",
            Action::SaveLogs => "save to file",
            Action::CopyLine => "copy line",
            Action::OpenHistory => "rollout history",
            Action::CloseHistory => "close history",
            Action::Reload => "reload",
            Action::Rollback => "roll back to selected",
            Action::Scale => "scale",
            Action::Restart => "restart",
            Action::PauseResume => "pause / resume",
            Action::ToggleIncident => "declare / end incident",
            Action::Mark => "mark",
            Action::Note => "note",
            Action::ExportIncident => "export incident",
            Action::OpenTimeline => "incident timeline",
            Action::CloseTimeline => "close",
            Action::EditNote => "correct note",
            Action::StrikeEntry => "strike",
            Action::OpenChanges => "what changed",
            Action::CloseChanges => "close",
            Action::CycleKind => "kind",
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
            Action::SortBy(PodColumn::Namespace) => "sort by namespace",
            Action::SortBy(PodColumn::Name) => "sort by name",
            Action::SortBy(PodColumn::Ready) => "sort by ready",
            Action::SortBy(PodColumn::Status) => "sort by status",
            Action::SortBy(PodColumn::Restarts) => "sort by restarts",
            Action::SortBy(PodColumn::LastTermination) => "sort by last termination",
            Action::SortBy(PodColumn::Memory) => "sort by memory",
            Action::SortBy(PodColumn::Node) => "sort by node",
            Action::SortBy(PodColumn::Age) => "sort by age",
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The main screen, any view.
    Table,
    /// Only in the pods view.
    Pods,
    /// Pods and workloads views (what logs can be opened from).
    Workloads,
    /// The logs pane; navigation and help keys of `Table` apply there too.
    Logs,
    /// Only in the workloads view: the changes a workload takes.
    WorkloadActions,
    /// The rollout history pane; navigation and help keys of `Table` too.
    History,
    /// A confirmation: only its own keys.
    Dialog,
    /// Only in the alerts view.
    Alerts,
    /// The what-changed pane; navigation and help keys of `Table` too.
    Changes,
    /// The incident timeline pane.
    Timeline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub key: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub mode: Mode,
    /// Shown in the footer.
    pub hint: bool,
}

const fn bind(key: KeyCode, action: Action, mode: Mode, hint: bool) -> Binding {
    Binding {
        key,
        modifiers: KeyModifiers::NONE,
        action,
        mode,
        hint,
    }
}

const fn ch(c: char, action: Action, mode: Mode, hint: bool) -> Binding {
    bind(KeyCode::Char(c), action, mode, hint)
}

/// The default bindings (k9s habits, vim movement).
pub const DEFAULT_BINDINGS: &[Binding] = &[
    ch('?', Action::ToggleHelp, Mode::Table, true),
    ch(':', Action::StartCommand, Mode::Table, true),
    ch('/', Action::StartFilter, Mode::Table, true),
    ch('1', Action::ShowPods, Mode::Table, false),
    ch('2', Action::ShowWorkloads, Mode::Table, false),
    ch('3', Action::ShowEvents, Mode::Table, false),
    ch('4', Action::ShowNodes, Mode::Table, false),
    ch('5', Action::ShowAlerts, Mode::Table, false),
    ch('a', Action::ShowAlerts, Mode::Table, false),
    ch('!', Action::ToggleProblemsOnly, Mode::Table, true),
    ch('w', Action::ToggleGroupByWorkload, Mode::Pods, true),
    ch('E', Action::ShowObjectEvents, Mode::Table, true),
    bind(KeyCode::Enter, Action::Open, Mode::Table, true),
    bind(KeyCode::Tab, Action::SwitchPane, Mode::Table, true),
    bind(KeyCode::Esc, Action::Back, Mode::Table, false),
    ch('q', Action::Quit, Mode::Table, true),
    ch('k', Action::Up, Mode::Table, false),
    bind(KeyCode::Up, Action::Up, Mode::Table, false),
    ch('j', Action::Down, Mode::Table, false),
    bind(KeyCode::Down, Action::Down, Mode::Table, false),
    bind(KeyCode::PageUp, Action::PageUp, Mode::Table, false),
    bind(KeyCode::PageDown, Action::PageDown, Mode::Table, false),
    ch('g', Action::Top, Mode::Table, false),
    bind(KeyCode::Home, Action::Top, Mode::Table, false),
    ch('G', Action::Bottom, Mode::Table, false),
    bind(KeyCode::End, Action::Bottom, Mode::Table, false),
    ch('N', Action::SortBy(PodColumn::Name), Mode::Pods, false),
    ch('P', Action::SortBy(PodColumn::Namespace), Mode::Pods, false),
    ch('R', Action::SortBy(PodColumn::Ready), Mode::Pods, false),
    ch('S', Action::SortBy(PodColumn::Status), Mode::Pods, false),
    ch('T', Action::SortBy(PodColumn::Restarts), Mode::Pods, false),
    ch(
        'L',
        Action::SortBy(PodColumn::LastTermination),
        Mode::Pods,
        false,
    ),
    ch('M', Action::SortBy(PodColumn::Memory), Mode::Pods, false),
    ch('O', Action::SortBy(PodColumn::Node), Mode::Pods, false),
    ch('A', Action::SortBy(PodColumn::Age), Mode::Pods, false),
    ch('l', Action::OpenLogs, Mode::Workloads, true),
    ch('p', Action::OpenPreviousLogs, Mode::Workloads, true),
    ch('f', Action::ToggleFollow, Mode::Logs, true),
    ch('w', Action::ToggleWrap, Mode::Logs, true),
    ch('t', Action::ToggleTimestamps, Mode::Logs, true),
    ch('p', Action::TogglePrevious, Mode::Logs, true),
    ch('s', Action::CycleSince, Mode::Logs, true),
    ch('c', Action::CycleContainer, Mode::Logs, false),
    ch('L', Action::CycleLevel, Mode::Logs, true),
    ch('v', Action::ToggleRaw, Mode::Logs, false),
    ch('/', Action::StartSearch, Mode::Logs, true),
    ch('n', Action::NextMatch, Mode::Logs, false),
    ch('N', Action::PreviousMatch, Mode::Logs, false),
    ch('&', Action::StartLogFilter, Mode::Logs, true),
    Binding {
        key: KeyCode::Char('s'),
        modifiers: KeyModifiers::CONTROL,
        action: Action::SaveLogs,
        mode: Mode::Logs,
        hint: false,
    },
    ch('y', Action::CopyLine, Mode::Logs, false),
    bind(KeyCode::Esc, Action::CloseLogs, Mode::Logs, true),
    ch('q', Action::CloseLogs, Mode::Logs, false),
    ch('h', Action::OpenHistory, Mode::Workloads, true),
    ch('s', Action::Scale, Mode::WorkloadActions, true),
    ch('r', Action::Restart, Mode::WorkloadActions, true),
    ch('z', Action::PauseResume, Mode::WorkloadActions, false),
    ch('u', Action::Rollback, Mode::History, true),
    ch('s', Action::Scale, Mode::History, true),
    ch('r', Action::Restart, Mode::History, true),
    ch('z', Action::PauseResume, Mode::History, true),
    ch('R', Action::Reload, Mode::History, false),
    bind(KeyCode::Esc, Action::CloseHistory, Mode::History, true),
    ch('q', Action::CloseHistory, Mode::History, false),
    ch('c', Action::OpenChanges, Mode::Table, true),
    ch('i', Action::ToggleIncident, Mode::Table, true),
    ch('m', Action::Mark, Mode::Table, false),
    ch('n', Action::Note, Mode::Table, false),
    ch('e', Action::ExportIncident, Mode::Table, false),
    ch('I', Action::OpenTimeline, Mode::Table, false),
    ch('K', Action::CycleKind, Mode::Timeline, true),
    ch('e', Action::EditNote, Mode::Timeline, true),
    ch('x', Action::StrikeEntry, Mode::Timeline, true),
    ch('n', Action::Note, Mode::Timeline, true),
    bind(KeyCode::Enter, Action::Open, Mode::Timeline, true),
    bind(KeyCode::Esc, Action::CloseTimeline, Mode::Timeline, true),
    ch('q', Action::CloseTimeline, Mode::Timeline, false),
    ch('K', Action::CycleKind, Mode::Changes, true),
    ch('!', Action::ToggleProblemsOnly, Mode::Changes, true),
    bind(KeyCode::Enter, Action::Open, Mode::Changes, true),
    bind(KeyCode::Esc, Action::CloseChanges, Mode::Changes, true),
    ch('q', Action::CloseChanges, Mode::Changes, false),
    ch('S', Action::Silence, Mode::Alerts, true),
    ch('X', Action::ExpireSilence, Mode::Alerts, true),
    ch('y', Action::Confirm, Mode::Dialog, true),
    ch('n', Action::Cancel, Mode::Dialog, true),
    bind(KeyCode::Esc, Action::Cancel, Mode::Dialog, false),
];

/// How a key is written in help and hints: `?`, `enter`, `ctrl-c`, `pgdn`.
pub fn key_label(key: KeyCode, modifiers: KeyModifiers) -> String {
    let base = match key {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::F(n) => format!("f{n}"),
        other => format!("{other:?}").to_lowercase(),
    };
    if modifiers.contains(KeyModifiers::CONTROL) {
        format!("ctrl-{base}")
    } else {
        base
    }
}

/// The action bound to a key where `modes` apply, earlier modes first (the
/// logs pane's own keys win over the table's).
pub fn lookup(bindings: &[Binding], key: KeyEvent, modes: &[Mode]) -> Option<Action> {
    // Shifted letters arrive as uppercase chars, sometimes with SHIFT set.
    let modifiers = key.modifiers - KeyModifiers::SHIFT;
    if modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    modes.iter().find_map(|mode| {
        bindings
            .iter()
            .find(|b| b.key == key.code && b.modifiers == modifiers && b.mode == *mode)
            .map(|b| b.action)
    })
}

/// The modes whose bindings apply to what is on screen, in priority order:
/// a confirmation takes every key, then the history pane, then the logs
/// pane, then the view.
pub fn active_modes(state: &super::State) -> &'static [Mode] {
    use super::View;
    if state.rollouts.confirm.is_some() {
        return &[Mode::Dialog];
    }
    if state.rollouts.pane.is_some() {
        return &[Mode::History, Mode::Table];
    }
    if state.changes.is_some() {
        return &[Mode::Changes, Mode::Table];
    }
    if state.incident.pane.is_some() {
        return &[Mode::Timeline, Mode::Table];
    }
    if state.logs.is_some() {
        return &[Mode::Logs, Mode::Table];
    }
    match state.view {
        View::Pods => &[Mode::Pods, Mode::Workloads, Mode::Table],
        View::Workloads => &[Mode::WorkloadActions, Mode::Workloads, Mode::Table],
        View::Alerts => &[Mode::Alerts, Mode::Table],
        _ => &[Mode::Table],
    }
}
