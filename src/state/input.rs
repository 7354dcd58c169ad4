//! Where a key or a click goes, decided here once: the dialog if one is
//! open, else the pane, else the view. Quitting, help and the command
//! prompt work over every pane; a view key closes the pane and shows the
//! view.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::keys::{Action, Mode, lookup};

use super::overlay::{Dialog, Pane};
use super::update::is_plain_char;
use super::view::{act, set_filter};
use super::{Effect, Focus, Prompt, PromptKind, State, View};

pub(super) fn key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) {
    let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
    match &state.overlay.dialog {
        // The note editor takes every key but its own save and cancel.
        Some(Dialog::Note(_)) => return super::timeline::editor_key(state, key),
        Some(Dialog::Prompt(_)) => return prompt_key(state, key, effects),
        Some(Dialog::Help { page }) => {
            // Page keys turn its pages; any other key closes help;
            // quitting still quits.
            let page = *page;
            if ctrl_c {
                effects.push(Effect::Quit);
            }
            state.overlay.dialog = match lookup(&state.bindings, key, &[Mode::Table]) {
                Some(Action::PageDown | Action::Down) => Some(Dialog::Help { page: page + 1 }),
                Some(Action::PageUp | Action::Up) => Some(Dialog::Help {
                    page: page.saturating_sub(1),
                }),
                _ => None,
            };
            return;
        }
        Some(Dialog::Confirm(_)) => {
            if let Some(action) = lookup(&state.bindings, key, &[Mode::Dialog]) {
                super::actions::confirm_key(state, action, effects);
            }
            return;
        }
        None => {}
    }
    if ctrl_c {
        // ctrl-c always quits at once, incident or not: the journal is
        // already safe on disk.
        effects.push(Effect::Quit);
        return;
    }
    if let Some(action) = lookup(&state.bindings, key, &active_modes(state)) {
        route(state, action, effects);
    }
}

/// An action to the open pane, or the view.
fn route(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(pane) = &state.overlay.pane else {
        return act(state, action, effects);
    };
    match over_pane(pane_mode(pane), action) {
        OverPane::Pane => match pane {
            Pane::Logs(_) => super::logs::act(state, action, effects),
            Pane::History(_) => super::history::key(state, action, effects),
            Pane::Changes(_) => super::changes::key(state, action, effects),
            Pane::Timeline(_) => super::timeline::pane_key(state, action, effects),
            Pane::Yaml(_) => super::browse::yaml_key(state, action, effects),
        },
        OverPane::ClosesIt => {
            state.close_pane(effects);
            act(state, action, effects)
        }
        OverPane::Main => act(state, action, effects),
        OverPane::Nothing => {
            // A key of the main screen that means nothing over this pane:
            // say so rather than do nothing.
            let why = format!(
                "{} works on the main screen: {}",
                action.describe(),
                close_pane_hint(state)
            );
            super::update::notice(state, super::Severity::Info, why);
        }
    }
}

/// What an action does while a pane is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OverPane {
    /// The pane's own key, or movement and `esc` in it.
    Pane,
    /// A view key: the pane closes and the view shows.
    ClosesIt,
    /// It acts as on the main screen and the pane stays (or is replaced,
    /// when it opens another pane).
    Main,
    /// A key of the main screen that means nothing over a pane.
    Nothing,
}

fn over_pane(mode: Mode, action: Action) -> OverPane {
    if action.is_movement() || crate::keys::slot_of(mode, action).is_some() {
        return OverPane::Pane;
    }
    if switches_view(action) || action == Action::ShowObjectEvents {
        return OverPane::ClosesIt;
    }
    // Help, the command prompt, the incident keys (an incident is
    // declared, marked, noted and exported from wherever the responder is
    // looking) and the keys that open a pane for the selected object.
    let main = global(action)
        || matches!(
            action,
            Action::OpenChanges
                | Action::OpenTimeline
                | Action::ToggleIncident
                | Action::Mark
                | Action::Note
                | Action::ExportIncident
                | Action::OpenLogs
                | Action::OpenPreviousLogs
                | Action::OpenHistory
        );
    if main {
        OverPane::Main
    } else {
        OverPane::Nothing
    }
}

/// The keymap section of a pane's own keys.
fn pane_mode(pane: &Pane) -> Mode {
    match pane {
        Pane::Logs(_) => Mode::Logs,
        Pane::History(_) => Mode::History,
        Pane::Changes(_) => Mode::Changes,
        Pane::Timeline(_) => Mode::Timeline,
        Pane::Yaml(_) => Mode::Yaml,
    }
}

/// "esc closes this pane", with the key the keymap gives.
fn close_pane_hint(state: &State) -> String {
    format!(
        "{} closes this pane",
        first_key(state, Action::Back).unwrap_or_else(|| "esc".into())
    )
}

fn first_key(state: &State, action: Action) -> Option<String> {
    state
        .bindings
        .iter()
        .find(|b| b.action == action)
        .map(|b| crate::keys::key_label(b.key, b.modifiers))
}

/// Why a key bound in `mode` to `action` does nothing where the user is,
/// and where it does something; `None` when it applies here. Help dims
/// what does not apply, with this reason. (Whether a change may be made
/// to the selected object is [`super::actions::disabled`]'s question.)
pub fn not_here(state: &State, mode: Mode, action: Action) -> Option<String> {
    if state.overlay.confirm().is_some() {
        return (mode != Mode::Dialog).then(|| "answer the confirmation first (y or esc)".into());
    }
    let view_modes = view_modes(state);
    if let Some(pane) = &state.overlay.pane {
        let pane_mode = pane_mode(pane);
        if mode == pane_mode {
            return None;
        }
        let under = view_modes.contains(&mode);
        return match (under, over_pane(pane_mode, action)) {
            (true, OverPane::Nothing) => {
                Some(format!("on the main screen: {}", close_pane_hint(state)))
            }
            (true, _) => None,
            (false, _) => Some(where_it_works(state, mode)),
        };
    }
    if view_modes.contains(&mode) {
        return None;
    }
    Some(where_it_works(state, mode))
}

/// Where the keys of `mode` work, with the key that gets there.
fn where_it_works(state: &State, mode: Mode) -> String {
    let key = |action: Action| {
        first_key(state, action)
            .map(|k| format!(" ({k})"))
            .unwrap_or_default()
    };
    match mode {
        Mode::Table => "on the main screen".into(),
        Mode::Pods => format!("in the pods view{}", key(Action::ShowPods)),
        Mode::PodsAndWorkloads => "on a pod, a workload, or an alert about one".into(),
        Mode::Workloads => format!(
            "in the workloads view{}, or the history pane{}",
            key(Action::ShowWorkloads),
            key(Action::OpenHistory)
        ),
        Mode::Logs => format!("in the logs pane{}", key(Action::OpenLogs)),
        Mode::History => format!("in the history pane{}", key(Action::OpenHistory)),
        Mode::Alerts => format!("in the alerts view{}", key(Action::ShowAlerts)),
        Mode::Changes => format!("in the what-changed pane{}", key(Action::OpenChanges)),
        Mode::Timeline => format!("in the timeline pane{}", key(Action::OpenTimeline)),
        Mode::Dialog => "in a confirmation".into(),
        Mode::Editor => format!("in the note editor{}", key(Action::Note)),
        Mode::Yaml => format!("in an object's YAML{}", key(Action::ShowYaml)),
    }
}

/// The mouse wheel: up and down to whatever is on screen.
pub(super) fn wheel(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    if state.overlay.dialog.is_none() {
        route(state, action, effects);
    }
}

/// A left click. On a tab: that view (as its key would). On a row of the
/// table: select it; on the selected row: open it (as enter). On a pane's
/// list: select the item (never more: opening or acting stays with the
/// keys). A click closes help; over a prompt, a confirmation or the note
/// editor it does nothing, so a stray click never answers a question.
pub(super) fn click(state: &mut State, x: u16, y: u16, effects: &mut Vec<Effect>) {
    match state.overlay.dialog {
        Some(Dialog::Help { .. }) => {
            state.overlay.dialog = None;
            return;
        }
        Some(_) => return,
        None => {}
    }
    let layout = state.layout.clone();
    if y == layout.tab_y {
        let tab = layout.tabs.iter().position(|(a, b)| (*a..*b).contains(&x));
        if let Some(view) = tab.and_then(|i| View::ALL.get(i)) {
            route(state, view_action(*view), effects);
        }
        return;
    }
    if let Some(item) = layout.list.as_ref().and_then(|l| l.item_at(x, y)) {
        match &mut state.overlay.pane {
            Some(Pane::History(_)) => super::history::select(state, item),
            Some(Pane::Timeline(p)) => p.cursor.selected = item,
            Some(Pane::Changes(_)) => super::changes::select(state, item),
            Some(Pane::Logs(_) | Pane::Yaml(_)) | None => {}
        }
        return;
    }
    let Some(rows) = layout.rows else {
        return;
    };
    let inside = (rows.x..rows.x.saturating_add(rows.width)).contains(&x)
        && (rows.y..rows.y.saturating_add(rows.height)).contains(&y);
    if !inside {
        return;
    }
    let index = rows.first + usize::from(y - rows.y);
    if index >= state.row_count() {
        return;
    }
    if state.focus == Focus::Table && state.cursor_mut().selected == index {
        act(state, Action::Open, effects);
    } else {
        state.focus = Focus::Table;
        let page = super::view::page(state);
        state.cursor_mut().select(index, page);
        state.detail_scroll = 0;
    }
}

/// The key action that shows `view`.
fn view_action(view: View) -> Action {
    match view {
        View::Pods => Action::ShowPods,
        View::Workloads => Action::ShowWorkloads,
        View::Events => Action::ShowEvents,
        View::Nodes => Action::ShowNodes,
        View::Alerts => Action::ShowAlerts,
        // Not a tab: it is reached with `:` and a resource's name.
        View::Browse => Action::StartCommand,
    }
}

/// Help, the command prompt and quit work over every pane.
fn global(action: Action) -> bool {
    matches!(
        action,
        Action::Quit | Action::ToggleHelp | Action::StartCommand
    )
}

fn switches_view(action: Action) -> bool {
    View::ALL.into_iter().any(|v| view_action(v) == action)
}

/// The modes whose bindings apply to what is on screen, in priority order:
/// a confirmation takes every key, then the open pane, then the view.
pub fn active_modes(state: &State) -> Vec<Mode> {
    if state.overlay.confirm().is_some() {
        return vec![Mode::Dialog];
    }
    let view = view_modes(state);
    let mut modes = Vec::with_capacity(view.len() + 1);
    if let Some(pane) = &state.overlay.pane {
        modes.push(pane_mode(pane));
    }
    modes.extend_from_slice(view);
    modes
}

/// The view's own modes, most specific first.
fn view_modes(state: &State) -> &'static [Mode] {
    match state.view {
        // A Job's pods: `l` streams their logs.
        View::Browse if state.browse.lens().is_some_and(|l| l.has_pods()) => {
            &[Mode::PodsAndWorkloads, Mode::Table]
        }
        View::Pods => &[Mode::Pods, Mode::PodsAndWorkloads, Mode::Table],
        View::Workloads => &[Mode::Workloads, Mode::PodsAndWorkloads, Mode::Table],
        // An alert's object: its logs, history and events open from here.
        View::Alerts => &[Mode::Alerts, Mode::PodsAndWorkloads, Mode::Table],
        View::Events | View::Nodes | View::Browse => &[Mode::Table],
    }
}

/// A key in the prompt: text, `tab` completion, `enter` to act, `esc` to
/// close.
fn prompt_key(state: &mut State, key: KeyEvent, effects: &mut Vec<Effect>) {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let Some(prompt) = state.overlay.prompt_mut() else {
        return;
    };
    let kind = prompt.kind;
    if kind == PromptKind::Quit {
        if matches!(key.code, KeyCode::Char('y' | 'q')) || (ctrl && key.code == KeyCode::Char('c'))
        {
            effects.push(Effect::Quit);
        }
        return state.overlay.close_prompt();
    }
    match key.code {
        KeyCode::Esc => return state.overlay.close_prompt(),
        KeyCode::Char('c') if ctrl => return state.overlay.close_prompt(),
        KeyCode::Enter => return prompt_entered(state, effects),
        KeyCode::Tab if prompt.completions.len() > 1 => {
            // Several candidates: each tab takes the next, the list stays.
            let next = prompt
                .cycle
                .map_or(0, |i| (i + 1) % prompt.completions.len());
            prompt.input = prompt.completions[next].clone();
            prompt.cycle = Some(next);
            prompt.error = None;
            return;
        }
        KeyCode::Tab => {
            if let Some(first) = prompt.completions.first().cloned() {
                prompt.input = first;
                // `ns` completes to `ns ` and waits for a name.
                if kind == PromptKind::Command
                    && !prompt.input.contains(' ')
                    && super::command::takes_argument(&prompt.input)
                {
                    prompt.input.push(' ');
                }
            }
        }
        KeyCode::Backspace => {
            prompt.input.pop();
        }
        KeyCode::Char('u') if ctrl => prompt.input.clear(),
        _ => match is_plain_char(&key) {
            Some(c) if prompt.input.chars().count() < 256 => prompt.input.push(c),
            _ => return,
        },
    }
    let input = prompt.input.clone();
    prompt.error = None;
    prompt.cycle = None;
    match kind {
        // The filter applies while typing; a half-typed selector waits.
        PromptKind::Filter => {
            let view = state.view;
            let _ = set_filter(state, view, &input);
            if view == View::Pods {
                state.pods.cursor = Default::default();
            }
        }
        PromptKind::Command => {
            let completions = super::command::completions(state, &input);
            if let Some(p) = state.overlay.prompt_mut() {
                p.completions = completions;
            }
        }
        PromptKind::LogSearch | PromptKind::LogFilter => {
            super::logs::prompt_changed(state, kind, &input)
        }
        PromptKind::Scale
        | PromptKind::Silence
        | PromptKind::StartIncident
        | PromptKind::EndIncident
        | PromptKind::Quit => {}
    }
}

/// `enter` in the prompt: what it was for. An answer that cannot be used
/// keeps the prompt open with the reason.
fn prompt_entered(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(Dialog::Prompt(prompt)) = state.overlay.dialog.take() else {
        return;
    };
    let input = prompt.input.clone();
    let result = match prompt.kind {
        PromptKind::Filter => {
            let view = state.view;
            set_filter(state, view, &input)
        }
        PromptKind::Command => super::command::run(state, &input, effects),
        // Applied while typing; enter only closes the prompt.
        PromptKind::LogSearch | PromptKind::LogFilter => Ok(()),
        PromptKind::EndIncident => {
            super::timeline::end(state, &input, effects);
            Ok(())
        }
        PromptKind::Scale => {
            super::actions::scale_entered(state, prompt.target.clone(), &input, effects)
        }
        PromptKind::Silence => super::alerts::silence_entered(state, &input, effects),
        PromptKind::StartIncident => super::timeline::start(state, &input, effects),
        PromptKind::Quit => Ok(()),
    };
    if let Err(e) = result {
        state.overlay.dialog = Some(Dialog::Prompt(Prompt {
            error: Some(e),
            ..prompt
        }));
    }
}

#[cfg(test)]
mod tests;
