//! Render tests: whole screens into a `TestBackend`, snapshotted with insta
//! (`src/ui/snapshots/`), plus cell-colour checks that snapshots cannot see.
//! States are built by hand in `crate::state::fixtures`; `now` is fixed.

mod logs;
mod mouse;
mod narrow;
mod pods;
mod rollouts;
mod scenarios;
mod screens;
mod themes;
mod views;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::draw;
use crate::config::theme::Theme;
use crate::state::State;

/// Snapshots live next to the drawing code, in `src/ui/snapshots/`.
macro_rules! snap {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}
pub(crate) use snap;

/// Draws `state` on a `width`×`height` terminal with the default theme.
pub fn render(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    render_with(state, width, height, &Theme::default())
}

/// Draws `state` on a `width`×`height` terminal with `theme`.
pub fn render_with(state: &State, width: u16, height: u16, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| {
            draw(frame, state, theme);
        })
        .expect("drawing never fails");
    terminal
}

/// The screen as text, one quoted line per row.
pub fn screen(state: &State, width: u16, height: u16) -> String {
    render(state, width, height).backend().to_string()
}

/// Where `needle` starts on the screen: (x, y).
/// Types `keys` into the reducer, one key each (`\n` is enter).
pub fn press(state: &mut State, keys: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in keys.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        let _ = crate::state::update(
            state,
            crate::state::Msg::KeyPressed(KeyEvent::new(code, KeyModifiers::NONE)),
        );
    }
}

pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let row: Vec<&str> = (area.left()..area.right())
            .map(|x| buf[(x, y)].symbol())
            .collect();
        let line: String = row.concat();
        if let Some(byte) = line.find(needle) {
            // Cells hold one symbol each; count symbols up to the match.
            let mut acc = 0;
            for (x, sym) in row.iter().enumerate() {
                if acc == byte {
                    return Some((area.left() + x as u16, y));
                }
                acc += sym.len();
            }
        }
    }
    None
}

/// The style of the cell where `needle` starts.
pub fn style_at(buf: &Buffer, needle: &str) -> Style {
    let (x, y) = find(buf, needle).unwrap_or_else(|| panic!("{needle:?} is on screen"));
    buf[(x, y)].style()
}
