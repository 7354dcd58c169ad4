//! Keys to actions: the vocabulary shared by the keymap files
//! (`config::keymap` reads them) and the reducer (`state` dispatches on
//! them). One table of bindings serves both the dispatch and the help
//! overlay / footer hints, so help cannot drift from the keys. This module
//! says which actions exist, where each may be bound, and how keys are
//! written; it imports nothing else of the crate.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A column of the pods table, by which it can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PodColumn {
    Namespace,
    Name,
    Ready,
    /// Problems first: Failing, NotReady, Progressing, Ok; then the status text.
    Status,
    Restarts,
    LastTermination,
    Memory,
    Node,
    Age,
}

impl PodColumn {
    pub fn title(self) -> &'static str {
        match self {
            PodColumn::Namespace => "NAMESPACE",
            PodColumn::Name => "NAME",
            PodColumn::Ready => "READY",
            PodColumn::Status => "STATUS",
            PodColumn::Restarts => "RESTARTS",
            PodColumn::LastTermination => "LAST TERMINATION",
            PodColumn::Memory => "MEM/LIMIT",
            PodColumn::Node => "NODE",
            PodColumn::Age => "AGE",
        }
    }
}

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
    /// In a confirmation: change nothing. In the note editor: discard.
    Cancel,
    /// In the note editor: save the note.
    Save,
    /// The selected object's YAML (any view).
    ShowYaml,
    /// The selected object described, as `kubectl describe` reads (any view).
    Describe,
    CloseYaml,
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
            Action::Save => "save",
            Action::ShowYaml => "YAML of selected",
            Action::Describe => "describe selected",
            Action::CloseYaml => "close",
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

/// Every action with its name in keymap files, in no particular order.
pub const ACTION_NAMES: &[(Action, &str)] = &[
    (Action::Quit, "quit"),
    (Action::ShowYaml, "yaml"),
    (Action::Describe, "describe"),
    (Action::CloseYaml, "close_yaml"),
    (Action::Up, "up"),
    (Action::Down, "down"),
    (Action::PageUp, "page_up"),
    (Action::PageDown, "page_down"),
    (Action::Top, "top"),
    (Action::Bottom, "bottom"),
    (Action::Open, "open"),
    (Action::Back, "back"),
    (Action::SwitchPane, "switch_pane"),
    (Action::ShowPods, "show_pods"),
    (Action::ShowWorkloads, "show_workloads"),
    (Action::ShowEvents, "show_events"),
    (Action::ShowNodes, "show_nodes"),
    (Action::ShowAlerts, "show_alerts"),
    (Action::Silence, "silence"),
    (Action::ExpireSilence, "expire_silence"),
    (Action::ShowObjectEvents, "object_events"),
    (Action::StartFilter, "filter"),
    (Action::StartCommand, "command"),
    (Action::ToggleHelp, "help"),
    (Action::ToggleProblemsOnly, "problems_only"),
    (Action::ToggleGroupByWorkload, "group_by_workload"),
    (Action::SortBy(PodColumn::Namespace), "sort_by_namespace"),
    (Action::SortBy(PodColumn::Name), "sort_by_name"),
    (Action::SortBy(PodColumn::Ready), "sort_by_ready"),
    (Action::SortBy(PodColumn::Status), "sort_by_status"),
    (Action::SortBy(PodColumn::Restarts), "sort_by_restarts"),
    (
        Action::SortBy(PodColumn::LastTermination),
        "sort_by_last_termination",
    ),
    (Action::SortBy(PodColumn::Memory), "sort_by_memory"),
    (Action::SortBy(PodColumn::Node), "sort_by_node"),
    (Action::SortBy(PodColumn::Age), "sort_by_age"),
    (Action::OpenLogs, "logs"),
    (Action::OpenPreviousLogs, "previous_logs"),
    (Action::CloseLogs, "close_logs"),
    (Action::ToggleFollow, "follow"),
    (Action::ToggleWrap, "wrap"),
    (Action::ToggleTimestamps, "timestamps"),
    (Action::TogglePrevious, "previous_container"),
    (Action::CycleSince, "since"),
    (Action::CycleContainer, "container"),
    (Action::CycleLevel, "level"),
    (Action::ToggleRaw, "raw"),
    (Action::StartSearch, "search"),
    (Action::NextMatch, "next_match"),
    (Action::PreviousMatch, "previous_match"),
    (Action::StartLogFilter, "filter_lines"),
    (Action::SaveLogs, "save_logs"),
    (Action::CopyLine, "copy_line"),
    (Action::OpenHistory, "history"),
    (Action::CloseHistory, "close_history"),
    (Action::Reload, "reload"),
    (Action::Rollback, "rollback"),
    (Action::Scale, "scale"),
    (Action::Restart, "restart"),
    (Action::PauseResume, "pause_resume"),
    (Action::ToggleIncident, "incident"),
    (Action::Mark, "mark"),
    (Action::Note, "note"),
    (Action::ExportIncident, "export_incident"),
    (Action::OpenTimeline, "timeline"),
    (Action::CloseTimeline, "close_timeline"),
    (Action::EditNote, "edit_note"),
    (Action::StrikeEntry, "strike"),
    (Action::OpenChanges, "what_changed"),
    (Action::CloseChanges, "close_changes"),
    (Action::CycleKind, "kind"),
    (Action::Confirm, "confirm"),
    (Action::Cancel, "cancel"),
    (Action::Save, "save"),
];

impl Action {
    /// Moves through a list (or closes what is open): works in every pane
    /// as in the table.
    pub fn is_movement(self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Top
                | Action::Bottom
                | Action::Back
        )
    }

    /// Its name in keymap files: `rollback`, `sort_by_age`.
    pub fn name(self) -> &'static str {
        ACTION_NAMES
            .iter()
            .find(|(a, _)| *a == self)
            .map_or("?", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Action> {
        ACTION_NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(a, _)| *a)
    }
}

/// Where a binding applies. Each is a section of a keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// The main screen, any view.
    Table,
    /// Only in the pods view.
    Pods,
    /// Pods and workloads views (what logs and history open from).
    PodsAndWorkloads,
    /// Only in the workloads view: the changes a workload takes.
    Workloads,
    /// The logs pane; navigation and help keys of `Table` apply there too.
    Logs,
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
    /// The note editor: every other key is text.
    Editor,
    /// An object's YAML pane.
    Yaml,
}

impl Mode {
    pub const ALL: [Mode; 12] = [
        Mode::Table,
        Mode::Pods,
        Mode::PodsAndWorkloads,
        Mode::Workloads,
        Mode::Logs,
        Mode::History,
        Mode::Dialog,
        Mode::Alerts,
        Mode::Changes,
        Mode::Timeline,
        Mode::Editor,
        Mode::Yaml,
    ];

    /// The section of a keymap file.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Table => "table",
            Mode::Pods => "pods",
            Mode::PodsAndWorkloads => "pods_and_workloads",
            Mode::Workloads => "workloads",
            Mode::Logs => "logs",
            Mode::History => "history",
            Mode::Dialog => "dialog",
            Mode::Alerts => "alerts",
            Mode::Changes => "changes",
            Mode::Timeline => "timeline",
            Mode::Editor => "editor",
            Mode::Yaml => "yaml",
        }
    }

    pub fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }
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

/// Where an action may be bound, in the order help and the footer list
/// them, and whether the footer offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub mode: Mode,
    pub action: Action,
    pub hint: bool,
}

const fn slot(mode: Mode, action: Action, hint: bool) -> Slot {
    Slot { mode, action, hint }
}

/// Every (mode, action) a keymap may bind. The keys themselves live in
/// `keymaps/*.toml`; this table only says what makes sense where (an
/// action bound in a mode it does not belong to is an error) and in which
/// order help lists them.
pub const SLOTS: &[Slot] = &[
    slot(Mode::Table, Action::ToggleHelp, true),
    slot(Mode::Table, Action::StartCommand, true),
    slot(Mode::Table, Action::StartFilter, true),
    slot(Mode::Table, Action::ShowPods, false),
    slot(Mode::Table, Action::ShowWorkloads, false),
    slot(Mode::Table, Action::ShowEvents, false),
    slot(Mode::Table, Action::ShowNodes, false),
    slot(Mode::Table, Action::ShowAlerts, false),
    slot(Mode::Table, Action::ToggleProblemsOnly, true),
    slot(Mode::Pods, Action::ToggleGroupByWorkload, true),
    slot(Mode::Table, Action::ShowObjectEvents, true),
    slot(Mode::Table, Action::ShowYaml, false),
    slot(Mode::Table, Action::Describe, false),
    slot(Mode::Table, Action::Open, true),
    slot(Mode::Table, Action::SwitchPane, true),
    slot(Mode::Table, Action::Back, false),
    slot(Mode::Table, Action::Quit, true),
    slot(Mode::Table, Action::Up, false),
    slot(Mode::Table, Action::Down, false),
    slot(Mode::Table, Action::PageUp, false),
    slot(Mode::Table, Action::PageDown, false),
    slot(Mode::Table, Action::Top, false),
    slot(Mode::Table, Action::Bottom, false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Name), false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Namespace), false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Ready), false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Status), false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Restarts), false),
    slot(
        Mode::Pods,
        Action::SortBy(PodColumn::LastTermination),
        false,
    ),
    slot(Mode::Pods, Action::SortBy(PodColumn::Memory), false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Node), false),
    slot(Mode::Pods, Action::SortBy(PodColumn::Age), false),
    slot(Mode::PodsAndWorkloads, Action::OpenLogs, true),
    slot(Mode::PodsAndWorkloads, Action::OpenPreviousLogs, true),
    slot(Mode::Logs, Action::ToggleFollow, true),
    slot(Mode::Logs, Action::ToggleWrap, true),
    slot(Mode::Logs, Action::ToggleTimestamps, true),
    slot(Mode::Logs, Action::TogglePrevious, true),
    slot(Mode::Logs, Action::CycleSince, true),
    slot(Mode::Logs, Action::CycleContainer, false),
    slot(Mode::Logs, Action::CycleLevel, true),
    slot(Mode::Logs, Action::ToggleRaw, false),
    slot(Mode::Logs, Action::StartSearch, true),
    slot(Mode::Logs, Action::NextMatch, false),
    slot(Mode::Logs, Action::PreviousMatch, false),
    slot(Mode::Logs, Action::StartLogFilter, true),
    slot(Mode::Logs, Action::SaveLogs, false),
    slot(Mode::Logs, Action::CopyLine, false),
    slot(Mode::Logs, Action::CloseLogs, true),
    slot(Mode::PodsAndWorkloads, Action::OpenHistory, true),
    slot(Mode::Workloads, Action::Scale, true),
    slot(Mode::Workloads, Action::Restart, true),
    slot(Mode::Workloads, Action::PauseResume, false),
    slot(Mode::History, Action::Rollback, true),
    slot(Mode::History, Action::Scale, true),
    slot(Mode::History, Action::Restart, true),
    slot(Mode::History, Action::PauseResume, true),
    slot(Mode::History, Action::Reload, false),
    slot(Mode::History, Action::CloseHistory, true),
    slot(Mode::Table, Action::OpenChanges, true),
    slot(Mode::Table, Action::ToggleIncident, true),
    slot(Mode::Table, Action::Mark, false),
    slot(Mode::Table, Action::Note, false),
    slot(Mode::Table, Action::ExportIncident, false),
    slot(Mode::Table, Action::OpenTimeline, false),
    slot(Mode::Timeline, Action::CycleKind, true),
    slot(Mode::Timeline, Action::EditNote, true),
    slot(Mode::Timeline, Action::StrikeEntry, true),
    slot(Mode::Timeline, Action::Note, true),
    slot(Mode::Timeline, Action::Open, true),
    slot(Mode::Timeline, Action::CloseTimeline, true),
    slot(Mode::Changes, Action::CycleKind, true),
    slot(Mode::Changes, Action::ToggleProblemsOnly, true),
    slot(Mode::Changes, Action::Open, true),
    slot(Mode::Changes, Action::CloseChanges, true),
    slot(Mode::Yaml, Action::CloseYaml, true),
    slot(Mode::Alerts, Action::Silence, true),
    slot(Mode::Alerts, Action::ExpireSilence, true),
    slot(Mode::Dialog, Action::Confirm, true),
    slot(Mode::Dialog, Action::Cancel, true),
    slot(Mode::Editor, Action::Save, true),
    slot(Mode::Editor, Action::Cancel, true),
];

/// The slot of `action` in `mode`, if it may be bound there.
pub fn slot_of(mode: Mode, action: Action) -> Option<&'static Slot> {
    SLOTS.iter().find(|s| s.mode == mode && s.action == action)
}

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
    let mut label = String::new();
    if modifiers.contains(KeyModifiers::CONTROL) {
        label.push_str("ctrl-");
    }
    if modifiers.contains(KeyModifiers::ALT) {
        label.push_str("alt-");
    }
    label.push_str(&base);
    label
}

/// Reads a key as keymap files write it: `q`, `G` (shift-g), `enter`,
/// `ctrl-s`, `alt-x`, `shift-tab`, `pgdn`, `f5`, `up` (or `↑`).
pub fn parse_key(text: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let mut modifiers = KeyModifiers::NONE;
    let mut rest = text;
    let mut shift = false;
    // A lone `-` is the minus key, not a modifier separator.
    while rest.chars().count() > 1 {
        let Some((prefix, after)) = rest.split_once('-') else {
            break;
        };
        match prefix.to_ascii_lowercase().as_str() {
            "ctrl" => modifiers |= KeyModifiers::CONTROL,
            "alt" | "meta" => modifiers |= KeyModifiers::ALT,
            "shift" => shift = true,
            _ => break,
        }
        rest = after;
    }
    let lower = rest.to_ascii_lowercase();
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if shift => {
            shift = false;
            KeyCode::BackTab
        }
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" | "↑" => KeyCode::Up,
        "down" | "↓" => KeyCode::Down,
        "left" | "←" => KeyCode::Left,
        "right" | "→" => KeyCode::Right,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=24).contains(&n)) =>
        {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => {
                    if shift && c.is_ascii_lowercase() {
                        shift = false;
                        KeyCode::Char(c.to_ascii_uppercase())
                    } else if shift && !c.is_ascii_alphabetic() {
                        return Err(format!(
                            "{text:?}: shift with {c:?} is the shifted character itself; write it directly"
                        ));
                    } else {
                        shift = false;
                        KeyCode::Char(c)
                    }
                }
                _ => {
                    return Err(format!(
                        "unknown key {text:?} (a character, or enter, esc, tab, space, backspace, up, down, left, right, pgup, pgdn, home, end, delete, insert, f1…f24, with ctrl-, alt-, shift-)"
                    ));
                }
            }
        }
    };
    if shift {
        return Err(format!(
            "{text:?}: shift only goes with letters and tab (write `G` for shift-g)"
        ));
    }
    // Terminals send ctrl with a letter as the lowercase letter.
    let code = match code {
        KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    Ok((code, modifiers))
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
