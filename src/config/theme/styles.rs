//! Semantic colour slots. Passed in, never global: render tests build their own
//! `Theme`, and the console gets the one `config::theme` loaded from
//! `themes/*.toml` (issue 8).
//!
//! Slots are named for what they mean (`not_ready`, `stale`), never for the
//! colour they happen to have, so a theme file can change any of them alone.
//! The names here are the keys of the theme files ([`Theme::slots_mut`]).
//! `Theme::default()` is the shipped `themes/default.toml`, embedded in the
//! binary (see `config::theme`): the file is the source of truth.

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
///
/// A style's `fg` or `bg` left unset keeps whatever is underneath (the
/// row's health colour under the selection); `Color::Reset` is the
/// terminal's own colour.
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

impl Theme {
    /// No colour and no emphasis, except a reversed selection so the cursor
    /// can be found: what the console falls back to if the embedded default
    /// theme could not be read (a test makes sure it can), and the base
    /// every theme file is laid over.
    pub fn plain() -> Theme {
        let none = Style::new();
        Theme {
            base: none,
            header: none,
            header_label: none,
            border: none,
            border_focused: none,
            title: none,
            selection: Style::new().add_modifier(Modifier::REVERSED),
            table_header: none,
            group_heading: none,
            dim: none,
            status_ok: none,
            status_warn: none,
            status_error: none,
            not_ready: none,
            progressing: none,
            oom: none,
            stale: none,
            readonly_badge: none,
            gauge_ok: none,
            gauge_warn: none,
            gauge_full: none,
            gauge_empty: none,
            tab: none,
            tab_active: none,
            hint_key: none,
            hint_text: none,
            prompt: none,
            completion_first: none,
            notice_info: none,
            notice_warn: none,
            notice_error: none,
            event_warning: none,
            event_normal: none,
            diff_added: none,
            diff_removed: none,
            log_levels: LogLevelStyles {
                error: none,
                warn: none,
                info: none,
                debug: none,
                trace: none,
            },
            log_pods: Vec::new(),
        }
    }

    /// Every style slot with its key in a theme file (`log_levels.error`
    /// for the nested ones), in the order the shipped files list them.
    /// `log_pods` is a list of colours, not a style, and is not here.
    ///
    /// The pattern names every field: a new slot does not compile until it
    /// has a key here, so the theme files cannot silently miss it.
    pub fn slots_mut(&mut self) -> Vec<(&'static str, &mut Style)> {
        let Theme {
            base,
            header,
            header_label,
            border,
            border_focused,
            title,
            selection,
            table_header,
            group_heading,
            dim,
            status_ok,
            status_warn,
            status_error,
            not_ready,
            progressing,
            oom,
            stale,
            readonly_badge,
            gauge_ok,
            gauge_warn,
            gauge_full,
            gauge_empty,
            tab,
            tab_active,
            hint_key,
            hint_text,
            prompt,
            completion_first,
            notice_info,
            notice_warn,
            notice_error,
            event_warning,
            event_normal,
            diff_added,
            diff_removed,
            log_levels:
                LogLevelStyles {
                    error,
                    warn,
                    info,
                    debug,
                    trace,
                },
            log_pods: _,
        } = self;
        vec![
            ("base", base),
            ("header", header),
            ("header_label", header_label),
            ("border", border),
            ("border_focused", border_focused),
            ("title", title),
            ("selection", selection),
            ("table_header", table_header),
            ("group_heading", group_heading),
            ("dim", dim),
            ("status_ok", status_ok),
            ("status_warn", status_warn),
            ("status_error", status_error),
            ("not_ready", not_ready),
            ("progressing", progressing),
            ("oom", oom),
            ("stale", stale),
            ("readonly_badge", readonly_badge),
            ("gauge_ok", gauge_ok),
            ("gauge_warn", gauge_warn),
            ("gauge_full", gauge_full),
            ("gauge_empty", gauge_empty),
            ("tab", tab),
            ("tab_active", tab_active),
            ("hint_key", hint_key),
            ("hint_text", hint_text),
            ("prompt", prompt),
            ("completion_first", completion_first),
            ("notice_info", notice_info),
            ("notice_warn", notice_warn),
            ("notice_error", notice_error),
            ("event_warning", event_warning),
            ("event_normal", event_normal),
            ("diff_added", diff_added),
            ("diff_removed", diff_removed),
            ("log_levels.error", error),
            ("log_levels.warn", warn),
            ("log_levels.info", info),
            ("log_levels.debug", debug),
            ("log_levels.trace", trace),
        ]
    }

    /// The slots by key, as values (see [`Theme::slots_mut`]).
    pub fn slots(&self) -> Vec<(&'static str, Style)> {
        self.clone()
            .slots_mut()
            .into_iter()
            .map(|(key, style)| (key, *style))
            .collect()
    }

    /// The style of the slot named `key`, if there is one.
    pub fn slot(&self, key: &str) -> Option<Style> {
        self.slots()
            .into_iter()
            .find_map(|(k, style)| (k == key).then_some(style))
    }

    /// The same emphasis with every colour taken out: what `NO_COLOR`
    /// gets even from a user's own `mono` that added some.
    pub fn without_colour(mut self) -> Theme {
        for (_, style) in self.slots_mut() {
            *style = Style {
                fg: None,
                bg: None,
                ..*style
            };
        }
        self.log_pods.clear();
        self
    }

    /// Whether any slot or pod colour sets a colour other than the
    /// terminal's own (`Reset`).
    pub fn has_colour(&self) -> bool {
        let coloured = |c: Option<Color>| c.is_some_and(|c| c != Color::Reset);
        !self.log_pods.is_empty()
            || self
                .slots()
                .iter()
                .any(|(_, s)| coloured(s.fg) || coloured(s.bg))
    }
}
