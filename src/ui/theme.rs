//! Semantic colour slots. Passed in, never global: render tests build their own
//! `Theme` and a later issue loads them from `themes/*.toml`.
//!
//! Slots are named for what they mean (`not_ready`, `stale`), never for the
//! colour they happen to have, so a theme file can change any of them alone.

use ratatui::style::{Color, Modifier, Style};

use crate::model::pod_health::Health;

/// Styles for log levels (used by the log pane of a later issue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLevelStyles {
    pub error: Style,
    pub warn: Style,
    pub info: Style,
    pub debug: Style,
    pub trace: Style,
}

/// The console's colours by meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Foreground and background of everything not styled otherwise.
    pub base: Style,
    /// The header lines (context, counts, clock).
    pub header: Style,
    /// Labels in the header (`ctx`, `ns`) next to their values.
    pub header_label: Style,
    pub border: Style,
    /// Border of the pane that takes the keys.
    pub border_focused: Style,
    /// Pane titles.
    pub title: Style,
    /// The selected row; patched over the row's own style, so set a
    /// background and leave the foreground alone to keep health colours.
    pub selection: Style,
    pub table_header: Style,
    /// Group headings in the pods table (group by workload).
    pub group_heading: Style,
    /// Secondary text: ages, labels, empty gauge cells.
    pub dim: Style,
    pub status_ok: Style,
    pub status_warn: Style,
    pub status_error: Style,
    /// Running but not Ready: distinct from `status_error`, it is the incident
    /// warroom is named after.
    pub not_ready: Style,
    /// Pending, ContainerCreating, Terminating, a rollout in progress.
    pub progressing: Style,
    /// OOMKilled in a last termination.
    pub oom: Style,
    /// "stale since": the data shown is older than it looks.
    pub stale: Style,
    pub readonly_badge: Style,
    pub gauge_ok: Style,
    /// At or above 80 %.
    pub gauge_warn: Style,
    /// At or above 95 %.
    pub gauge_full: Style,
    /// The unfilled part of a gauge or progress bar.
    pub gauge_empty: Style,
    /// The tab line: other views, and the current one.
    pub tab: Style,
    pub tab_active: Style,
    pub hint_key: Style,
    pub hint_text: Style,
    /// The `/` and `:` prompt line.
    pub prompt: Style,
    /// The completion `tab` would take.
    pub completion_first: Style,
    pub notice_info: Style,
    pub notice_warn: Style,
    pub notice_error: Style,
    pub event_warning: Style,
    pub event_normal: Style,
    pub diff_added: Style,
    pub diff_removed: Style,
    pub log_levels: LogLevelStyles,
    /// One colour per pod in interleaved logs, used round-robin.
    pub log_pods: Vec<Color>,
}

impl Theme {
    /// The style of a pod row (and its marker) by health.
    pub fn health(&self, health: Health) -> Style {
        match health {
            Health::Ok => self.base,
            Health::Progressing => self.progressing,
            Health::NotReady => self.not_ready,
            Health::Failing => self.status_error,
        }
    }

    /// Gauge colour for a used fraction: ok, warn from 80 %, full from 95 %.
    pub fn gauge(&self, fraction: f64) -> Style {
        if fraction >= 0.95 {
            self.gauge_full
        } else if fraction >= 0.8 {
            self.gauge_warn
        } else {
            self.gauge_ok
        }
    }
}

fn fg(c: Color) -> Style {
    Style::new().fg(c)
}

impl Default for Theme {
    /// A dark theme in the 256-colour palette (no true colour needed), on the
    /// terminal's own background.
    fn default() -> Theme {
        let red = Color::Indexed(203);
        let yellow = Color::Indexed(221);
        let green = Color::Indexed(114);
        let cyan = Color::Indexed(80);
        let magenta = Color::Indexed(213);
        let grey = Color::Indexed(244);
        let text = Color::Indexed(252);
        Theme {
            base: Style::new().fg(text).bg(Color::Reset),
            header: fg(text),
            header_label: fg(grey),
            border: fg(Color::Indexed(240)),
            border_focused: fg(cyan),
            title: fg(Color::Indexed(255)).add_modifier(Modifier::BOLD),
            selection: Style::new()
                .bg(Color::Indexed(237))
                .add_modifier(Modifier::BOLD),
            table_header: fg(grey).add_modifier(Modifier::BOLD),
            group_heading: fg(Color::Indexed(153)).add_modifier(Modifier::BOLD),
            dim: fg(grey),
            status_ok: fg(green),
            status_warn: fg(yellow),
            status_error: fg(red),
            not_ready: fg(magenta),
            progressing: fg(cyan),
            oom: Style::new()
                .fg(Color::Indexed(231))
                .bg(Color::Indexed(124))
                .add_modifier(Modifier::BOLD),
            stale: Style::new()
                .fg(Color::Indexed(16))
                .bg(yellow)
                .add_modifier(Modifier::BOLD),
            readonly_badge: Style::new()
                .fg(Color::Indexed(16))
                .bg(Color::Indexed(75))
                .add_modifier(Modifier::BOLD),
            gauge_ok: fg(green),
            gauge_warn: fg(yellow),
            gauge_full: fg(red),
            gauge_empty: fg(Color::Indexed(239)),
            tab: fg(grey),
            tab_active: Style::new()
                .fg(Color::Indexed(16))
                .bg(cyan)
                .add_modifier(Modifier::BOLD),
            hint_key: fg(cyan).add_modifier(Modifier::BOLD),
            hint_text: fg(grey),
            prompt: fg(Color::Indexed(255)),
            completion_first: fg(cyan).add_modifier(Modifier::UNDERLINED),
            notice_info: fg(cyan),
            notice_warn: fg(yellow),
            notice_error: fg(red).add_modifier(Modifier::BOLD),
            event_warning: fg(yellow),
            event_normal: fg(text),
            diff_added: fg(green),
            diff_removed: fg(red),
            log_levels: LogLevelStyles {
                error: fg(red),
                warn: fg(yellow),
                info: fg(text),
                debug: fg(grey),
                trace: fg(Color::Indexed(240)),
            },
            log_pods: vec![
                Color::Indexed(81),
                Color::Indexed(150),
                Color::Indexed(222),
                Color::Indexed(175),
                Color::Indexed(110),
                Color::Indexed(180),
                Color::Indexed(141),
                Color::Indexed(116),
            ],
        }
    }
}
