//! The terminal: raw mode and the alternate screen for as long as the
//! console runs (restored on drop, on panic and on SIGTERM), the thread that
//! reads keys, drawing a frame, and the two things only the app writes to
//! the terminal itself — the bell and the clipboard (OSC 52).

use std::io::{self, Write};

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc;

use crate::config::theme::Theme;
use crate::state::{self, Msg, State};
use crate::ui;

/// Raw mode, alternate screen and mouse capture for as long as it lives;
/// restored on drop and by a panic hook, so a crash leaves a usable shell.
pub(super) struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
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

    /// The terminal's size now, as columns and rows.
    pub fn size(&self) -> Option<(u16, u16)> {
        self.terminal.size().ok().map(|s| (s.width, s.height))
    }

    /// Draws a frame (after a resize: every cell, not a diff) and tells the
    /// state what the layout turned out to be.
    pub fn draw(&mut self, state: &mut State, theme: &Theme, repaint: bool) -> Result<(), String> {
        if repaint {
            let _ = self.terminal.clear();
        }
        state.refresh_view();
        let mut drawn = ui::Drawn::default();
        self.terminal
            .draw(|frame| drawn = ui::draw(frame, state, theme))
            .map_err(|e| format!("cannot draw to the terminal: {e}"))?;
        if drawn.table_rows != state.table_rows
            || drawn.layout != state.layout
            || state.detail_scroll > drawn.detail_scroll_max
        {
            // A layout answer never asks for effects.
            let _effects = state::update_batch(state, [Msg::from(drawn)]);
        }
        Ok(())
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

/// Reads keys, mouse and resizes on a thread of its own (crossterm's read
/// blocks) and forwards them; ends when the app has gone.
pub(super) fn spawn_input_reader(tx: mpsc::Sender<Msg>) {
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
pub(super) fn termination_signal() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
{
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

/// Rings the terminal bell (a new critical alert, when configured).
pub(super) fn bell() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x07");
    let _ = out.flush();
}

/// Puts text on the clipboard with OSC 52, which terminals (and tmux with
/// set-clipboard) honour. Only the app writes this sequence; log text is
/// sanitised before it is shown, so a pod can never.
pub(super) fn copy_to_clipboard(text: &str) {
    use base64::Engine as _;
    let mut out = io::stdout();
    let _ = write!(
        out,
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(text)
    );
    let _ = out.flush();
}
