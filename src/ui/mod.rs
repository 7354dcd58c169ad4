//! Drawing: pure functions of `&State` and `&Theme` into a ratatui frame.

pub mod theme;

use ratatui::Frame;

use crate::state::State;
pub use theme::Theme;

/// Draws the whole screen.
pub fn draw(_frame: &mut Frame, _state: &State, _theme: &Theme) {
    todo!("ui helper")
}
