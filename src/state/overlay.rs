//! What covers the views: at most one pane over the main area (logs,
//! rollout history, what changed, the incident timeline), and over it at
//! most one dialog (help, a prompt, a confirmation, the note editor).
//!
//! Keys go to the dialog, else the pane, else the view — in that one order
//! ([`super::input`]); drawing goes the other way (the view or the pane,
//! then the dialog on top). Opening a pane replaces the one that was open.

use super::actions::Confirm;
use super::browse::YamlPane;
use super::changes::ChangesPane;
use super::editor::NoteEditor;
use super::history::HistoryPane;
use super::logs::LogsPane;
use super::prompt::Prompt;
use super::timeline::TimelinePane;

/// A pane over the main area, in place of the table and detail pane.
#[derive(Debug, Clone)]
pub enum Pane {
    Logs(Box<LogsPane>),
    History(Box<HistoryPane>),
    Changes(ChangesPane),
    Timeline(TimelinePane),
    Yaml(Box<YamlPane>),
}

/// A dialog over whatever is shown: it takes every key first.
#[derive(Debug, Clone)]
pub enum Dialog {
    /// The help overlay, on this page.
    Help { page: usize },
    /// The one-line prompt at the bottom (`/`, `:`, scale, silence, incident).
    Prompt(Prompt),
    /// A change waiting for `y`.
    Confirm(Box<Confirm>),
    /// The note editor.
    Note(NoteEditor),
}

#[derive(Debug, Clone, Default)]
pub struct Overlay {
    pub pane: Option<Pane>,
    pub dialog: Option<Dialog>,
}

/// `pane_ref`/`pane_mut` pairs for each kind of pane.
macro_rules! pane_access {
    ($get:ident, $get_mut:ident, $variant:ident, $ty:ty) => {
        pub fn $get(&self) -> Option<&$ty> {
            match &self.pane {
                Some(Pane::$variant(p)) => Some(p),
                _ => None,
            }
        }

        pub fn $get_mut(&mut self) -> Option<&mut $ty> {
            match &mut self.pane {
                Some(Pane::$variant(p)) => Some(p),
                _ => None,
            }
        }
    };
}

/// The same for each kind of dialog.
macro_rules! dialog_access {
    ($get:ident, $get_mut:ident, $variant:ident, $ty:ty) => {
        pub fn $get(&self) -> Option<&$ty> {
            match &self.dialog {
                Some(Dialog::$variant(d)) => Some(d),
                _ => None,
            }
        }

        pub fn $get_mut(&mut self) -> Option<&mut $ty> {
            match &mut self.dialog {
                Some(Dialog::$variant(d)) => Some(d),
                _ => None,
            }
        }
    };
}

impl Overlay {
    pane_access!(logs, logs_mut, Logs, LogsPane);
    pane_access!(history, history_mut, History, HistoryPane);
    pane_access!(changes, changes_mut, Changes, ChangesPane);
    pane_access!(timeline, timeline_mut, Timeline, TimelinePane);
    dialog_access!(prompt, prompt_mut, Prompt, Prompt);
    dialog_access!(confirm, confirm_mut, Confirm, Confirm);
    dialog_access!(note, note_mut, Note, NoteEditor);

    /// The help overlay's page, when it is open.
    pub fn help_page(&self) -> Option<usize> {
        match self.dialog {
            Some(Dialog::Help { page }) => Some(page),
            _ => None,
        }
    }

    /// Closes the dialog if it is a confirmation.
    pub fn close_confirm(&mut self) {
        if self.confirm().is_some() {
            self.dialog = None;
        }
    }

    /// Closes the dialog if it is a prompt.
    pub fn close_prompt(&mut self) {
        if self.prompt().is_some() {
            self.dialog = None;
        }
    }
}
