//! The incident: declared with `i` (title and severity), back-filled from
//! the what-changed ring (incidents begin before anyone presses a key),
//! then everything the ring records plus every action, mark (`m`) and note
//! (`n`) goes to an append-only journal on disk. An entry shows as saved
//! only once the journal acknowledged it (written and fsync'd). `i` again
//! ends it; `e` exports it as Markdown; `I` opens the timeline pane.

use jiff::{SignedDuration, Timestamp};

use super::recent::{Change, ChangeKind};
use super::update::notice;
use super::{Effect, Prompt, PromptKind, Severity, State};
use crate::timeline::{Entry, EntryKind, IncidentMeta, ObjectRef};

/// How far back a new incident reaches into the what-changed ring.
pub const BACKFILL: SignedDuration = SignedDuration::from_mins(30);

#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    pub meta: IncidentMeta,
    /// Acknowledged entries (written and fsync'd), in journal order.
    pub entries: Vec<Entry>,
    /// Entries handed to the journal and not acknowledged yet.
    pub unsaved: usize,
    /// The journal's last error, shown until the next save succeeds.
    pub error: Option<String>,
    pub ended: bool,
}

/// The timeline pane (`I`): the incident's entries, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelinePane {
    pub selected: usize,
    pub kind: Option<EntryKind>,
}

/// The note editor (`n`, or `e` on a note in the timeline to correct it).
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub text: tui_textarea::TextArea<'static>,
    /// The note this corrects (a new entry amending it; nothing is rewritten).
    pub corrects: Option<u64>,
}

#[derive(Debug, Clone, Default)]
pub struct IncidentState {
    pub open: Option<Incident>,
    /// The last one that ended, for `e` after the fact.
    pub last: Option<Incident>,
    /// Entries for the journal, sent at the end of the reducer's turn.
    pub outbox: Vec<Entry>,
    pub pane: Option<TimelinePane>,
    pub editor: Option<NoteEditor>,
    /// Ids of incidents left open on disk, for `:incident` completion.
    pub resumable: Vec<String>,
}

fn object(o: &crate::model::event::ObjectRef) -> ObjectRef {
    ObjectRef::new(
        &o.kind,
        (!o.namespace.is_empty()).then_some(o.namespace.as_str()),
        &o.name,
    )
}

/// A what-changed entry as a journal entry.
pub fn entry_of(c: &Change) -> Entry {
    let kind = match c.kind {
        ChangeKind::Warning => EntryKind::Warning,
        ChangeKind::Pod => EntryKind::PodTransition,
        ChangeKind::Rollout => EntryKind::Rollout,
        ChangeKind::Scale => EntryKind::Scale,
        ChangeKind::Alert if c.bad => EntryKind::AlertFired,
        ChangeKind::Alert => EntryKind::AlertResolved,
        ChangeKind::Action => EntryKind::Action,
    };
    let mut e = Entry::new(c.at, kind, c.text.clone());
    if let Some(o) = &c.object {
        e = e.with_object(object(o));
    }
    if let Some(a) = &c.actor {
        e = e.with_actor(a.clone());
    }
    if let Some(cmd) = &c.command {
        e = e.with_command(cmd.clone());
    }
    if let Some(r) = &c.result {
        e = e.with_result(r.clone());
    }
    e
}

/// Records a change: in the ring always, in the incident while one is open.
pub fn record(state: &mut State, change: Change) {
    if state.incident.open.as_ref().is_some_and(|i| !i.ended) {
        state.incident.outbox.push(entry_of(&change));
    }
    let now = state.now;
    state.recent.push(change, now);
}

/// `i`: declare an incident (asks for severity and title), or end the open one.
pub fn toggle(state: &mut State) {
    if state.incident.open.is_some() {
        state.prompt = Some(Prompt::new(PromptKind::EndIncident, ""));
    } else {
        state.prompt = Some(Prompt::new(PromptKind::StartIncident, "SEV2 "));
    }
}

/// The start prompt's `enter`: `SEV2 checkout pods not ready`, optionally
/// with how far back it began: `SEV2 -45m checkout pods not ready`
/// (default 30 minutes, at most the ring's two hours).
pub fn start(state: &mut State, text: &str, effects: &mut Vec<Effect>) -> Result<(), String> {
    let mut back = BACKFILL;
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut kept = Vec::with_capacity(words.len());
    for w in words {
        match w.strip_prefix('-').and_then(super::alerts::parse_duration) {
            Some(minutes) if minutes <= 120 => back = SignedDuration::from_mins(i64::from(minutes)),
            Some(_) => return Err(format!("{w}: what changed reaches back two hours at most")),
            None => kept.push(w),
        }
    }
    let joined = kept.join(" ");
    let text = joined.as_str();
    let (severity, title) = match text.split_once(' ') {
        Some((s, rest)) if is_severity(s) => (s.to_uppercase(), rest.trim()),
        _ if is_severity(text) => return Err("and a title: what is wrong, in a few words".into()),
        _ => ("SEV2".to_string(), text),
    };
    if title.is_empty() {
        return Err("a title: what is wrong, in a few words".into());
    }
    let now = state.now;
    let time_zone = jiff::tz::TimeZone::system()
        .iana_name()
        .unwrap_or("UTC")
        .to_string();
    let meta = IncidentMeta {
        id: crate::timeline::incident_id(now, &time_zone, title),
        title: title.to_string(),
        severity,
        started_at: now,
        context: state.connection.context.clone(),
        namespace: state.namespace.clone(),
        created_by: state.author(),
        time_zone,
    };
    let since = now.checked_sub(back).unwrap_or(now);
    let mut entries: Vec<Entry> = state
        .recent
        .since(since)
        .map(|c| entry_of(c).mark_backfilled())
        .collect();
    entries.push(
        Entry::new(now, EntryKind::IncidentStarted, title)
            .with_severity(meta.severity.clone())
            .with_actor(meta.created_by.clone()),
    );
    state.incident.open = Some(Incident {
        meta: meta.clone(),
        entries: Vec::new(),
        unsaved: entries.len(),
        error: None,
        ended: false,
    });
    notice(
        state,
        Severity::Info,
        format!(
            "incident declared, back-filled with {} change(s) since {}",
            entries.len() - 1,
            since.strftime("%H:%M")
        ),
    );
    effects.push(Effect::StartIncident { meta, entries });
    Ok(())
}

fn is_severity(s: &str) -> bool {
    let s = s.to_uppercase();
    s.strip_prefix("SEV")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// The end prompt's `enter`: the closing line (may be empty).
pub fn end(state: &mut State, text: &str, effects: &mut Vec<Effect>) {
    let now = state.now;
    let author = state.author();
    let Some(incident) = state.incident.open.as_mut() else {
        return;
    };
    let line = if text.trim().is_empty() {
        "ended".to_string()
    } else {
        text.trim().to_string()
    };
    let entry = Entry::new(now, EntryKind::IncidentEnded, line).with_actor(author);
    incident.ended = true;
    incident.unsaved += 1;
    effects.push(Effect::AppendJournal(vec![entry]));
    effects.push(Effect::CloseJournal);
}

/// `m`: one line with what the screen counts now.
pub fn mark(state: &mut State) {
    if state.incident.open.is_none() {
        notice(state, Severity::Info, "no incident: i declares one".into());
        return;
    }
    let c = state.cluster.pod_counts(state.now);
    let firing = state.alerts.firing_counts();
    let alerts: Vec<String> = firing
        .iter()
        .map(|(s, n)| format!("{n} {}", s.label()))
        .collect();
    let mut text = format!(
        "mark: {} pods · {} not ready · {} failing · {} OOMKilled in the last hour",
        c.pods, c.not_ready, c.failing, c.oom_killed
    );
    if !alerts.is_empty() {
        text.push_str(&format!(" · alerts {}", alerts.join(", ")));
    }
    let e = Entry::new(state.now, EntryKind::Mark, text).with_actor(state.author());
    state.incident.outbox.push(e);
}

/// `n`: the note editor.
pub fn start_note(state: &mut State, corrects: Option<u64>, body: &str) {
    if state.incident.open.is_none() {
        notice(state, Severity::Info, "no incident: i declares one".into());
        return;
    }
    let mut text = tui_textarea::TextArea::new(body.lines().map(str::to_string).collect());
    text.set_placeholder_text("What do you see, what did you try? (ctrl-s saves, esc cancels)");
    state.incident.editor = Some(NoteEditor { text, corrects });
}

/// A key in the note editor: the keymap's `[editor]` save (ctrl-s) and
/// cancel (esc); every other key edits.
pub fn editor_key(state: &mut State, key: crossterm::event::KeyEvent) {
    use crate::keys::{Action, Mode, lookup};
    use crossterm::event::KeyCode;
    let action = lookup(&state.bindings, key, &[Mode::Editor]);
    let Some(editor) = state.incident.editor.as_mut() else {
        return;
    };
    match action {
        Some(Action::Cancel) => {
            state.incident.editor = None;
            notice(state, Severity::Info, "note discarded".into());
        }
        Some(Action::Save) => {
            let lines = editor.text.lines();
            let body = lines.join("\n").trim_end().to_string();
            let corrects = editor.corrects;
            state.incident.editor = None;
            if body.trim().is_empty() {
                notice(state, Severity::Info, "empty note not saved".into());
                return;
            }
            // The first line is the entry's text; the body holds the rest.
            let (first, rest) = body.split_once('\n').unwrap_or((body.as_str(), ""));
            let entry = match corrects {
                Some(seq) => Entry::correct(state.now, seq, first),
                None => Entry::new(state.now, EntryKind::Note, first),
            };
            let entry = if rest.trim().is_empty() {
                entry
            } else {
                entry.with_body(rest)
            };
            let entry = entry.with_actor(state.author());
            state.incident.outbox.push(entry);
        }
        _ => {
            // Bounded: a note is prose, not a log dump.
            if editor
                .text
                .lines()
                .iter()
                .map(|l| l.len() + 1)
                .sum::<usize>()
                < 64 * 1024
                || matches!(key.code, KeyCode::Backspace | KeyCode::Delete)
            {
                editor.text.input(key);
            }
        }
    }
}

/// The journal acknowledged these entries (seq assigned, on disk).
pub fn saved(state: &mut State, entries: Vec<Entry>) {
    let Some(incident) = state.incident.open.as_mut() else {
        return;
    };
    incident.unsaved = incident.unsaved.saturating_sub(entries.len());
    incident.error = None;
    incident.entries.extend(entries);
    if incident.ended && incident.unsaved == 0 {
        let done = state.incident.open.take();
        let id = done.as_ref().map(|i| i.meta.id.clone()).unwrap_or_default();
        state.incident.last = done;
        notice(
            state,
            Severity::Info,
            format!("incident {id} ended and saved: e exports it, warroom timeline export {id}"),
        );
    }
    state.dirty = true;
}

/// The journal could not write; nothing was acknowledged.
pub fn failed(state: &mut State, error: String) {
    if let Some(i) = state.incident.open.as_mut() {
        i.error = Some(error.clone());
    }
    notice(state, Severity::Error, format!("incident journal: {error}"));
}

/// An incident resumed from its journal (`--incident ID`).
pub fn resumed(state: &mut State, meta: IncidentMeta, entries: Vec<Entry>, report: Vec<String>) {
    let ended = entries.iter().any(|e| e.kind == EntryKind::IncidentEnded);
    let incident = Incident {
        meta,
        entries,
        unsaved: 0,
        error: None,
        ended,
    };
    let id = incident.meta.id.clone();
    state.incident.resumable.retain(|r| *r != id);
    if ended {
        state.incident.last = Some(incident);
    } else {
        state.incident.open = Some(incident);
    }
    for r in report {
        notice(state, Severity::Warning, r);
    }
    notice(
        state,
        Severity::Info,
        format!(
            "incident {id} {}",
            if ended {
                "loaded (it had ended)"
            } else {
                "resumed"
            }
        ),
    );
}

/// `e`: export the open (or last) incident as Markdown.
pub fn export(state: &mut State, effects: &mut Vec<Effect>) {
    let Some(i) = state
        .incident
        .open
        .as_ref()
        .or(state.incident.last.as_ref())
    else {
        notice(
            state,
            Severity::Info,
            "no incident to export: i declares one".into(),
        );
        return;
    };
    effects.push(Effect::ExportIncident {
        meta: i.meta.clone(),
        entries: i.entries.clone(),
    });
}

/// At the end of each reducer turn: what is waiting goes to the journal.
pub fn flush(state: &mut State, effects: &mut Vec<Effect>) {
    if state.incident.outbox.is_empty() {
        return;
    }
    let entries = std::mem::take(&mut state.incident.outbox);
    match state.incident.open.as_mut() {
        Some(i) if !i.ended => {
            i.unsaved += entries.len();
            effects.push(Effect::AppendJournal(entries));
        }
        _ => {}
    }
}

/// The timeline pane's entries in time order (the journal's order is the
/// order they were written; corrections are folded in by the renderer).
pub fn shown<'a>(incident: &'a Incident, pane: &TimelinePane) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = incident
        .entries
        .iter()
        .filter(|e| pane.kind.is_none_or(|k| e.kind == k))
        .collect();
    out.sort_by_key(|e| (e.at, e.seq));
    out
}

/// The newest start time of anything, for tests and the pane title.
pub fn duration(incident: &Incident, now: Timestamp) -> SignedDuration {
    let end = incident
        .entries
        .iter()
        .rev()
        .find(|e| e.kind == EntryKind::IncidentEnded)
        .map_or(now, |e| e.at);
    end.duration_since(incident.meta.started_at)
}

/// Keys while the timeline pane is open.
pub fn pane_key(state: &mut State, action: crate::keys::Action) {
    use crate::keys::Action;
    let Some(pane) = state.incident.pane.clone() else {
        return;
    };
    let incident = state
        .incident
        .open
        .as_ref()
        .or(state.incident.last.as_ref());
    let entries: Vec<Entry> = incident
        .map(|i| shown(i, &pane).into_iter().cloned().collect())
        .unwrap_or_default();
    let n = entries.len();
    let selected = entries.get(pane.selected.min(n.saturating_sub(1))).cloned();
    let Some(p) = state.incident.pane.as_mut() else {
        return;
    };
    match action {
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::Down => p.selected = (p.selected + 1).min(n.saturating_sub(1)),
        Action::PageUp => p.selected = p.selected.saturating_sub(10),
        Action::PageDown => p.selected = (p.selected + 10).min(n.saturating_sub(1)),
        Action::Top => p.selected = 0,
        Action::Bottom => p.selected = n.saturating_sub(1),
        Action::CycleKind => {
            const KINDS: [EntryKind; 8] = [
                EntryKind::Note,
                EntryKind::Action,
                EntryKind::AlertFired,
                EntryKind::PodTransition,
                EntryKind::Rollout,
                EntryKind::Warning,
                EntryKind::Mark,
                EntryKind::Correction,
            ];
            p.kind = match p.kind {
                None => Some(KINDS[0]),
                Some(k) => KINDS
                    .iter()
                    .position(|x| *x == k)
                    .and_then(|i| KINDS.get(i + 1).copied()),
            };
            p.selected = 0;
        }
        Action::CloseTimeline | Action::Back => state.incident.pane = None,
        Action::Note => start_note(state, None, ""),
        Action::EditNote => match selected {
            Some(e) if e.kind == EntryKind::Note && state.incident.open.is_some() => {
                let body = match &e.body {
                    Some(b) => format!("{}\n{b}", e.text),
                    None => e.text.clone(),
                };
                start_note(state, Some(e.seq), &body);
            }
            Some(_) => notice(
                state,
                Severity::Info,
                "only notes are corrected; x strikes any entry".into(),
            ),
            None => {}
        },
        Action::StrikeEntry => match selected {
            Some(e) if state.incident.open.is_some() && e.kind != EntryKind::IncidentStarted => {
                let strike = Entry::strike(state.now, e.seq, format!("struck: {}", e.text))
                    .with_actor(state.author());
                state.incident.outbox.push(strike);
            }
            Some(_) => notice(
                state,
                Severity::Info,
                "nothing to strike here (the incident has ended or this is its start)".into(),
            ),
            None => {}
        },
        Action::Open => {
            if let Some(o) = selected.and_then(|e| e.object) {
                let ns = o.namespace.clone().unwrap_or_default();
                use crate::model::workload::WorkloadKind;
                let found = match o.kind.as_str() {
                    "Pod" => super::input::reveal_pod(state, &ns, &o.name),
                    "Deployment" => {
                        super::input::reveal_workload(state, WorkloadKind::Deployment, &ns, &o.name)
                    }
                    "StatefulSet" => super::input::reveal_workload(
                        state,
                        WorkloadKind::StatefulSet,
                        &ns,
                        &o.name,
                    ),
                    "DaemonSet" => {
                        super::input::reveal_workload(state, WorkloadKind::DaemonSet, &ns, &o.name)
                    }
                    "Node" => super::input::reveal_node(state, &o.name),
                    _ => false,
                };
                if found {
                    state.incident.pane = None;
                } else {
                    notice(state, Severity::Info, format!("{o} is gone or not watched"));
                }
            }
        }
        _ => {}
    }
}
