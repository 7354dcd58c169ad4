//! The logs pane: what is streamed, the bounded buffer of lines, and the
//! view over it (follow, wrap, timestamps, since, level, search, filter).

use crate::model::log_line::{Level, LogLine};

use super::log_buffer::{LogBuffer, QueryMode, Since};
use super::{Effect, LogTarget, LogsRequest, Severity, State};
use crate::model::log_stream::LogEvent;

use super::overlay::{Dialog, Pane};

#[derive(Debug, Clone)]
pub struct LogsPane {
    pub session: u64,
    pub request: LogsRequest,
    /// Containers of a single pod, for `c`; empty for a workload.
    pub containers: Vec<String>,
    /// The lines, and the view over them: query and its mode (search,
    /// filter, exclude), level, since, raw.
    pub buffer: LogBuffer,
    pub follow: bool,
    pub wrap: bool,
    pub timestamps: bool,
    /// Still reading the default last lines of each container (no `since`
    /// chosen yet).
    pub tail: bool,
    /// Index (among visible lines) of the selected line when paused.
    pub selected: usize,
    /// Containers streaming, and the total when capped.
    pub streaming: usize,
    pub capped: Option<(usize, usize)>,
    /// The latest stream problem, shown in the title bar.
    pub problem: Option<String>,
}

impl LogsPane {
    /// What the title calls the target: `Deployment checkout-service`,
    /// `pod checkout-7d8f-x2x9q (app)`.
    /// `last lines`, `since 5m`, `all`.
    pub fn since_label(&self) -> String {
        match (self.tail, self.buffer.since()) {
            (true, _) => "last lines".into(),
            (false, Since::All) => "all".into(),
            (false, s) => format!("since {}", s.label()),
        }
    }

    /// The buffer as the pane shows it, one line per line, for saving.
    pub fn export(&self) -> String {
        let raw = self.buffer.raw();
        let mut out = String::new();
        for l in self.buffer.window(0, self.buffer.len()) {
            let s = l.stream();
            if self.timestamps
                && let Some(at) = l.at()
            {
                out.push_str(&at.to_string());
                out.push(' ');
            }
            if !l.is_marker() {
                out.push_str(&format!("{}/{} ", s.pod, s.container));
            }
            out.push_str(&l.shown(raw).to_string());
            out.push('\n');
        }
        out
    }

    pub fn title(&self) -> String {
        match &self.request.target {
            LogTarget::Pod { pod, container, .. } => match container {
                Some(c) => format!("pod {pod} ({c})"),
                None => format!("pod {pod}"),
            },
            LogTarget::Workload { kind, name, .. } => format!("{} {name}", kind.name()),
            LogTarget::Job { name, .. } => format!("Job {name}"),
        }
    }
}

/// Opens the pane on what is selected: a pod, a group heading's workload,
/// or a workload.
pub(super) fn open(state: &mut State, previous: bool, effects: &mut Vec<Effect>) {
    let Some((target, containers)) = selected_target(state) else {
        super::update::notice(
            state,
            Severity::Warning,
            "select a pod or a workload to see its logs".into(),
        );
        return;
    };
    state.logs_session += 1;
    let request = LogsRequest {
        target,
        previous,
        since_seconds: None,
    };
    let pane = LogsPane {
        session: state.logs_session,
        request: request.clone(),
        containers,
        buffer: LogBuffer::new(state.log_buffer_lines),
        // Previous containers' logs open at their end: their last words
        // (before an OOM kill, a crash) are what one opens them for.
        follow: true,
        wrap: false,
        timestamps: false,
        tail: true,
        selected: 0,
        streaming: 0,
        capped: None,
        problem: None,
    };
    state.open_pane(Pane::Logs(Box::new(pane)), effects);
    effects.push(Effect::OpenLogs {
        session: state.logs_session,
        request,
    });
}

/// What `l` and `p` stream: the selected pod (every container; `c` picks
/// one), or every pod of the selected workload.
fn selected_target(state: &State) -> Option<(LogTarget, Vec<String>)> {
    use super::view::{Selected, selected};
    if state.view == super::View::Browse {
        return super::browse::selected_job(state).map(|j| {
            let target = LogTarget::Job {
                namespace: j.namespace.clone(),
                name: j.name.clone(),
                selector: j.selector.clone(),
            };
            (target, Vec::new())
        });
    }
    match selected(state)? {
        Selected::Pod(key) => {
            let p = state.cluster.pods.get(&key)?;
            let containers = p
                .containers
                .iter()
                .filter(|c| !c.init)
                .map(|c| c.name.clone())
                .collect();
            let target = LogTarget::Pod {
                namespace: p.namespace.clone(),
                pod: p.name.clone(),
                container: None,
            };
            Some((target, containers))
        }
        Selected::Workload(kind, key) => {
            let w = state.cluster.workloads.get(&(kind, key.clone()))?;
            let target = LogTarget::Workload {
                namespace: key.namespace,
                kind,
                name: key.name,
                selector: w.selector.clone(),
            };
            Some((target, Vec::new()))
        }
        Selected::Node(_) => None,
    }
}

/// Restarts the streams with the pane's current request (since, previous,
/// container changed); the buffer starts empty.
fn reopen(state: &mut State, effects: &mut Vec<Effect>) {
    let now = state.now;
    state.logs_session += 1;
    let session = state.logs_session;
    let Some(pane) = state.overlay.logs_mut() else {
        return;
    };
    pane.session = session;
    pane.request.since_seconds = if pane.tail {
        None
    } else {
        // `all`: a week covers whatever a kubelet keeps.
        let d = pane.buffer.since().duration();
        Some(d.map_or(7 * 24 * 3600, |d| d.as_secs()))
    };
    // A fresh buffer with the same view settings.
    let old = &pane.buffer;
    let mut buffer = LogBuffer::new(old.capacity());
    buffer.set_raw(old.raw());
    buffer.set_min_level(old.min_level());
    buffer.set_mode(old.mode());
    buffer.set_query(old.query().unwrap_or(""));
    buffer.set_since(old.since(), now);
    pane.buffer = buffer;
    pane.selected = 0;
    pane.streaming = 0;
    pane.capped = None;
    pane.problem = None;
    effects.push(Effect::OpenLogs {
        session,
        request: pane.request.clone(),
    });
}

/// Keys of the logs pane.
pub(super) fn act(state: &mut State, action: crate::keys::Action, effects: &mut Vec<Effect>) {
    use crate::keys::Action;
    let now = state.now;
    let Some(pane) = state.overlay.logs_mut() else {
        return;
    };
    let visible = pane.buffer.len();
    let last = visible.saturating_sub(1);
    let page = usize::from(state.table_rows.max(1));
    match action {
        Action::CloseLogs | Action::Back => state.close_pane(effects),
        Action::ToggleFollow => {
            pane.follow = !pane.follow;
            pane.selected = last;
        }
        Action::ToggleWrap => pane.wrap = !pane.wrap,
        Action::ToggleTimestamps => pane.timestamps = !pane.timestamps,
        Action::ToggleRaw => {
            let raw = !pane.buffer.raw();
            pane.buffer.set_raw(raw);
        }
        Action::TogglePrevious => {
            pane.request.previous = !pane.request.previous;
            pane.follow = true;
            reopen(state, effects);
        }
        Action::CycleSince => {
            let next = if pane.tail {
                Since::CHOICES[0]
            } else {
                pane.buffer.since().next()
            };
            pane.tail = false;
            pane.buffer.set_since(next, now);
            reopen(state, effects);
        }
        Action::CycleContainer => {
            if let LogTarget::Pod { container, .. } = &mut pane.request.target {
                let names = &pane.containers;
                *container = match container.as_ref() {
                    None => names.first().cloned(),
                    Some(c) => {
                        let i = names.iter().position(|n| n == c);
                        i.and_then(|i| names.get(i + 1)).cloned()
                    }
                };
                reopen(state, effects);
            }
        }
        Action::CycleLevel => {
            let next = match pane.buffer.min_level() {
                None => Some(Level::Error),
                Some(Level::Error) => Some(Level::Warn),
                Some(Level::Warn) => Some(Level::Info),
                Some(Level::Info) => Some(Level::Debug),
                Some(_) => None,
            };
            pane.buffer.set_min_level(next);
            pane.selected = pane.buffer.len().saturating_sub(1);
        }
        Action::StartSearch | Action::StartLogFilter => {
            let (kind, current) = if action == Action::StartSearch {
                let q = match pane.buffer.mode() {
                    QueryMode::Search => pane.buffer.query().unwrap_or(""),
                    _ => "",
                };
                (super::PromptKind::LogSearch, q.to_string())
            } else {
                let q = pane.buffer.query().unwrap_or("");
                let q = match pane.buffer.mode() {
                    QueryMode::Search => String::new(),
                    QueryMode::Filter => q.to_string(),
                    QueryMode::Exclude => format!("!{q}"),
                };
                (super::PromptKind::LogFilter, q)
            };
            state.overlay.dialog = Some(Dialog::Prompt(super::Prompt::new(kind, &current)));
        }
        Action::NextMatch | Action::PreviousMatch => {
            let found = if action == Action::NextMatch {
                pane.buffer.next_match(pane.selected)
            } else {
                pane.buffer.prev_match(pane.selected)
            };
            if let Some(i) = found {
                pane.follow = false;
                pane.selected = i;
            }
        }
        Action::Up => {
            pane.follow = false;
            pane.selected = pane.selected.min(last).saturating_sub(1);
        }
        Action::Down => {
            pane.selected = (pane.selected + 1).min(last);
            pane.follow = pane.selected == last;
        }
        Action::PageUp => {
            pane.follow = false;
            pane.selected = pane.selected.min(last).saturating_sub(page);
        }
        Action::PageDown => {
            pane.selected = (pane.selected + page).min(last);
            pane.follow = pane.selected == last;
        }
        Action::Top => {
            pane.follow = false;
            pane.selected = 0;
        }
        Action::Bottom => {
            pane.selected = last;
            pane.follow = true;
        }
        Action::SaveLogs => {
            let text = pane.export();
            let stamp = now.strftime("%Y%m%d-%H%M%S");
            let name: String = pane
                .title()
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            let path = std::path::PathBuf::from(format!("warroom-{name}-{stamp}.log"));
            effects.push(Effect::SaveLogs { path, text });
        }
        Action::CopyLine => {
            if let Some(line) = pane.buffer.get(pane.selected.min(last)) {
                effects.push(Effect::Copy(line.shown(pane.buffer.raw()).to_string()));
            }
        }
        _ => {}
    }
}

/// Applies the typed search or filter (live while typing).
pub(super) fn prompt_changed(state: &mut State, kind: super::PromptKind, text: &str) {
    let Some(pane) = state.overlay.logs_mut() else {
        return;
    };
    match kind {
        super::PromptKind::LogSearch => {
            pane.buffer.set_mode(QueryMode::Search);
            pane.buffer.set_query(text);
            if let Some(i) = pane.buffer.prev_match(pane.buffer.len()) {
                pane.follow = false;
                pane.selected = i;
            }
        }
        super::PromptKind::LogFilter => {
            let (inverted, query) = match text.strip_prefix('!') {
                Some(q) => (true, q),
                None => (false, text),
            };
            pane.buffer.set_mode(if inverted {
                QueryMode::Exclude
            } else {
                QueryMode::Filter
            });
            pane.buffer.set_query(query);
            pane.selected = pane.buffer.len().saturating_sub(1);
        }
        _ => {}
    }
}

/// What the streams of the open session say.
pub(super) fn event(state: &mut State, session: u64, event: LogEvent) {
    let Some(pane) = state.overlay.logs_mut() else {
        return;
    };
    if pane.session != session {
        return;
    }
    let now = state.now;
    match event {
        LogEvent::Lines(raw) => {
            pane.buffer
                .push_batch(raw.into_iter().map(LogLine::from_raw).collect());
        }
        LogEvent::Joined { stream, previous } => {
            pane.streaming += 1;
            let what = if previous {
                "previous container"
            } else {
                "joined"
            };
            let text = format!("{}/{} {what}", stream.pod, stream.container);
            pane.buffer
                .push_batch(vec![LogLine::marker(&text, stream, Some(now))]);
        }
        LogEvent::Left { stream, reason } => {
            pane.streaming = pane.streaming.saturating_sub(1);
            let text = format!("{}/{} left: {reason}", stream.pod, stream.container);
            pane.buffer
                .push_batch(vec![LogLine::marker(&text, stream, Some(now))]);
        }
        LogEvent::Restarted {
            stream,
            reason,
            exit_code,
        } => {
            let code = exit_code
                .map(|c| format!(" (exit {c})"))
                .unwrap_or_default();
            let text = format!("{} restarted: {reason}{code}", stream.pod);
            pane.buffer
                .push_batch(vec![LogLine::marker(&text, stream, Some(now))]);
        }
        LogEvent::Capped { streaming, total } => pane.capped = Some((streaming, total)),
        LogEvent::Failed {
            stream,
            error,
            retrying,
        } => {
            let who = stream
                .map(|s| format!("{}/{}: ", s.pod, s.container))
                .unwrap_or_default();
            let tail = if retrying { " (retrying)" } else { "" };
            pane.problem = Some(format!("{who}{error}{tail}"));
        }
    }
    if pane.follow {
        pane.selected = pane.buffer.len().saturating_sub(1);
    }
    state.dirty = true;
}

#[cfg(test)]
mod tests;
