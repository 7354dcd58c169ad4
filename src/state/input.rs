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
    if let Some(action) = lookup(&state.bindings, key, active_modes(state)) {
        route(state, action, effects);
    }
}

/// An action to the open pane, or the view.
fn route(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    if global(action) || state.overlay.pane.is_none() {
        return act(state, action, effects);
    }
    if switches_view(action) {
        state.close_pane(effects);
        return act(state, action, effects);
    }
    match &state.overlay.pane {
        Some(Pane::Logs(_)) => super::logs::act(state, action, effects),
        Some(Pane::History(_)) => super::history::key(state, action, effects),
        Some(Pane::Changes(_)) => super::changes::key(state, action, effects),
        Some(Pane::Timeline(_)) => super::timeline::pane_key(state, action, effects),
        None => act(state, action, effects),
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
            Some(Pane::Logs(_)) | None => {}
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
pub fn active_modes(state: &State) -> &'static [Mode] {
    if state.overlay.confirm().is_some() {
        return &[Mode::Dialog];
    }
    match &state.overlay.pane {
        Some(Pane::History(_)) => return &[Mode::History, Mode::Table],
        Some(Pane::Changes(_)) => return &[Mode::Changes, Mode::Table],
        Some(Pane::Timeline(_)) => return &[Mode::Timeline, Mode::Table],
        Some(Pane::Logs(_)) => return &[Mode::Logs, Mode::Table],
        None => {}
    }
    match state.view {
        View::Pods => &[Mode::Pods, Mode::PodsAndWorkloads, Mode::Table],
        View::Workloads => &[Mode::Workloads, Mode::PodsAndWorkloads, Mode::Table],
        View::Alerts => &[Mode::Alerts, Mode::Table],
        _ => &[Mode::Table],
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
    match key.code {
        KeyCode::Esc => return state.overlay.close_prompt(),
        KeyCode::Char('c') if ctrl => return state.overlay.close_prompt(),
        KeyCode::Enter => return prompt_entered(state, effects),
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
        | PromptKind::EndIncident => {}
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
    };
    if let Err(e) = result {
        state.overlay.dialog = Some(Dialog::Prompt(Prompt {
            error: Some(e),
            ..prompt
        }));
    }
}
