//! The incident timeline: an incident declared with `i` (title and
//! severity), back-filled from the what-changed ring (incidents begin
//! before anyone presses a key), then everything the ring records plus
//! every action, mark (`m`) and note (`n`) goes to an append-only journal
//! on disk. An entry shows as saved only once the journal acknowledged it
//! (written and fsync'd). `i` again ends it; `e` exports it as Markdown;
//! `I` opens the timeline pane.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::cursor::Cursor;
use super::editor::{NoteEditor, TextBuffer};
use super::overlay::{Dialog, Pane};
use super::update::notice;
use super::{Effect, Prompt, PromptKind, Severity, State};
use crate::keys::Action;
use crate::model::changes::{Change, ChangeKind};
use crate::timeline::{Entry, EntryKind, IncidentMeta, ObjectRef, repeats};

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
    pub cursor: Cursor,
    pub kind: Option<EntryKind>,
}

/// The incident, the last one, and what is on its way to the journal.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    pub open: Option<Incident>,
    /// The last one that ended, for `e` after the fact.
    pub last: Option<Incident>,
    /// Entries for the journal, sent at the end of the reducer's turn.
    pub outbox: Vec<Entry>,
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

/// Records a change: in the ring always, in the incident while one is open
/// (after the action running now, if it waits for one).
pub fn record(state: &mut State, change: Change) {
    if super::actions::holds(state, &change) {
        state.actions.held.push(change);
        return;
    }
    if state.timeline.open.as_ref().is_some_and(|i| !i.ended) {
        state.timeline.outbox.push(entry_of(&change));
    }
    let now = state.now;
    state.changes.push(change, now);
}

/// `i`: declare an incident (asks for severity and title), or end the open one.
pub fn toggle(state: &mut State) {
    let prompt = if state.timeline.open.is_some() {
        Prompt::new(PromptKind::EndIncident, "")
    } else {
        // Nothing prefilled: a typed severity cannot end up after a default
        // one (`SEV2 SEV2 …`); the label says what is taken by default.
        Prompt::new(PromptKind::StartIncident, "")
    };
    state.overlay.dialog = Some(Dialog::Prompt(prompt));
}

/// The severities the start prompt takes, worst first.
pub const SEVERITIES: [&str; 5] = ["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"];
/// The severity of an incident declared without one.
pub const DEFAULT_SEVERITY: &str = "SEV2";
/// The start prompt's label: what it takes, and the default.
pub const START_PROMPT: &str =
    "declare incident (SEV1–SEV5, default SEV2; -30m if it began 30m ago; title): ";
/// How far back the start prompt's offset reaches: the what-changed ring.
const MAX_BACK_MINUTES: u32 = 120;

/// What the start prompt was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub severity: String,
    /// How long before now it began, as typed (`-45m`) and as a duration.
    pub began: Option<(String, SignedDuration)>,
    pub title: String,
}

/// The start prompt's text: `SEV2 -45m checkout pods not ready`. The
/// severity (SEV1–SEV5, any case) and how far back it began may come first,
/// in either order, each at most once; the rest is the title. A first word
/// that looks like a severity or an offset and is not a valid one is an
/// error, not the start of the title.
pub fn parse_declaration(text: &str) -> Result<Declaration, String> {
    let mut severity: Option<String> = None;
    let mut began: Option<(String, SignedDuration)> = None;
    let mut words = text.split_whitespace().peekable();
    while let Some(&w) = words.peek() {
        if let Some(sev) = severity_word(w)? {
            if let Some(first) = &severity {
                return Err(format!("two severities, {first} and {sev}: keep one"));
            }
            severity = Some(sev);
        } else if let Some(ago) = w
            .strip_prefix('-')
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        {
            let minutes = super::alerts::parse_duration(ago)
                .ok_or_else(|| format!("{w}: how long ago it began, e.g. -30m or -1h"))?;
            if minutes > MAX_BACK_MINUTES {
                return Err(format!("{w}: what changed reaches back two hours at most"));
            }
            if began.is_some() {
                return Err(format!("{w}: it began only once, give one offset"));
            }
            began = Some((w.to_string(), SignedDuration::from_mins(i64::from(minutes))));
        } else {
            break;
        }
        words.next();
    }
    let title = words.collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return Err(if severity.is_some() || began.is_some() {
            "and a title: what is wrong, in a few words".into()
        } else {
            "a title: what is wrong, in a few words".into()
        });
    }
    Ok(Declaration {
        severity: severity.unwrap_or_else(|| DEFAULT_SEVERITY.to_string()),
        began,
        title,
    })
}

/// `sev2` → `SEV2`; `SEV9` is an error; a word that is not `SEV` and
/// digits is not a severity (`None`).
fn severity_word(w: &str) -> Result<Option<String>, String> {
    let upper = w.to_ascii_uppercase();
    let Some(n) = upper.strip_prefix("SEV") else {
        return Ok(None);
    };
    if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    if SEVERITIES.contains(&upper.as_str()) {
        Ok(Some(upper))
    } else {
        Err(format!("{w} is not a severity: SEV1 (worst) to SEV5"))
    }
}

/// The start prompt's `enter`: `SEV2 checkout pods not ready`, optionally
/// with how far back it began: `SEV2 -45m checkout pods not ready`. The
/// timeline is back-filled with what changed since then (default: the last
/// 30 minutes). The impact began at the offset given, or else at the first
/// problem the back-fill holds, or else when it was declared.
pub fn start(state: &mut State, text: &str, effects: &mut Vec<Effect>) -> Result<(), String> {
    let Declaration {
        severity,
        began,
        title,
    } = parse_declaration(text)?;
    let now = state.now;
    let back = began.as_ref().map_or(BACKFILL, |(_, d)| *d);
    let since = now.checked_sub(back).unwrap_or(now);
    let (began_at, began_from) = match &began {
        Some((typed, _)) => (since, format!("as the declarer said ({typed})")),
        None => match state
            .changes
            .since(since)
            .filter(|c| c.bad && c.at <= now)
            .min_by_key(|c| c.at)
        {
            Some(c) => (c.at, format!("the first problem recorded: {}", c.text)),
            None => (
                now,
                format!(
                    "when it was declared: no problem was recorded in the {} minutes before",
                    back.as_mins()
                ),
            ),
        },
    };
    let time_zone = state.time_zone.clone();
    let meta = IncidentMeta {
        id: crate::timeline::incident_id(now, &time_zone, &title),
        title: title.clone(),
        severity,
        started_at: now,
        began_at: Some(began_at),
        began_from: Some(began_from),
        context: state.connection.context.clone(),
        namespace: state.namespace.clone(),
        created_by: state.author(),
        time_zone,
    };
    let mut entries: Vec<Entry> = state
        .changes
        .since(since)
        .map(|c| entry_of(c).mark_backfilled())
        .collect();
    entries.push(
        Entry::new(now, EntryKind::IncidentStarted, title)
            .with_severity(meta.severity.clone())
            .with_actor(meta.created_by.clone()),
    );
    state.timeline.open = Some(Incident {
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
            "incident declared, began {}; back-filled with {} change(s) since {}",
            began_at.strftime("%H:%M:%S"),
            entries.len() - 1,
            since.strftime("%H:%M:%S")
        ),
    );
    effects.push(Effect::StartIncident { meta, entries });
    Ok(())
}

/// The end prompt's `enter`: the closing line (may be empty).
pub fn end(state: &mut State, text: &str, effects: &mut Vec<Effect>) {
    let now = state.now;
    let author = state.author();
    let Some(incident) = state.timeline.open.as_mut() else {
        return;
    };
    // Whatever still fires is written down with the end: the post-mortem
    // says "resolved" only when nothing did.
    let firing: Vec<String> = state.alerts.feed.iter().map(still_firing).collect();
    let mut entry = Entry::ended(now, text.trim(), firing.clone()).with_actor(author);
    if entry.text.is_empty() {
        entry.text = entry.end_word().to_string();
    }
    incident.ended = true;
    incident.unsaved += 1;
    effects.push(Effect::AppendJournal(vec![entry]));
    effects.push(Effect::CloseJournal);
    if !firing.is_empty() {
        notice(
            state,
            Severity::Warning,
            format!(
                "{} alert(s) still firing: the incident is recorded as ended, not resolved",
                firing.len()
            ),
        );
    }
}

/// `PodNotReady (warning) on production/checkout-7d8f`, for the end entry.
fn still_firing(a: &crate::model::alert::Alert) -> String {
    let mut text = format!("{} ({})", a.name, a.severity.label());
    let subject = super::alerts::subject(a);
    if !subject.is_empty() {
        text.push(' ');
        text.push_str(&subject);
    }
    if a.state == crate::model::alert::AlertState::Suppressed {
        text.push_str(", silenced");
    }
    text
}

/// `m`: one line with what the screen counts now.
pub fn mark(state: &mut State) {
    if state.timeline.open.is_none() {
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
        c.pods,
        c.not_ready,
        c.failing,
        match c.oom_killed {
            1 => "1 pod".to_string(),
            n => format!("{n} pods"),
        }
    );
    if !alerts.is_empty() {
        text.push_str(&format!(" · alerts {}", alerts.join(", ")));
    }
    let e = Entry::new(state.now, EntryKind::Mark, text).with_actor(state.author());
    state.timeline.outbox.push(e);
}

/// `n`: the note editor.
pub fn start_note(state: &mut State, corrects: Option<u64>, body: &str) {
    if state.timeline.open.is_none() {
        notice(state, Severity::Info, "no incident: i declares one".into());
        return;
    }
    let text = TextBuffer::new(body);
    state.overlay.dialog = Some(Dialog::Note(NoteEditor { text, corrects }));
}

/// A key in the note editor: the keymap's `[editor]` save (ctrl-s) and
/// cancel (esc); every other key edits.
pub fn editor_key(state: &mut State, key: crossterm::event::KeyEvent) {
    use crate::keys::{Mode, lookup};
    let action = lookup(&state.bindings, key, &[Mode::Editor]);
    let Some(editor) = state.overlay.note_mut() else {
        return;
    };
    match action {
        Some(Action::Cancel) => {
            state.overlay.dialog = None;
            notice(state, Severity::Info, "note discarded".into());
        }
        Some(Action::Save) => {
            let body = editor.text.text().trim_end().to_string();
            let corrects = editor.corrects;
            state.overlay.dialog = None;
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
            state.timeline.outbox.push(entry);
        }
        _ => {
            editor.text.input(key);
        }
    }
}

/// The journal acknowledged these entries (seq assigned, on disk).
pub fn saved(state: &mut State, entries: Vec<Entry>) {
    let Some(incident) = state.timeline.open.as_mut() else {
        return;
    };
    incident.unsaved = incident.unsaved.saturating_sub(entries.len());
    incident.error = None;
    incident.entries.extend(entries);
    if incident.ended && incident.unsaved == 0 {
        let done = state.timeline.open.take();
        let id = done.as_ref().map(|i| i.meta.id.clone()).unwrap_or_default();
        state.timeline.last = done;
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
    if let Some(i) = state.timeline.open.as_mut() {
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
    state.timeline.resumable.retain(|r| *r != id);
    if ended {
        state.timeline.last = Some(incident);
    } else {
        state.timeline.open = Some(incident);
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
        .timeline
        .open
        .as_ref()
        .or(state.timeline.last.as_ref())
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
    if state.timeline.outbox.is_empty() {
        return;
    }
    let entries = std::mem::take(&mut state.timeline.outbox);
    match state.timeline.open.as_mut() {
        Some(i) if !i.ended => {
            i.unsaved += entries.len();
            effects.push(Effect::AppendJournal(entries));
        }
        _ => {}
    }
}

/// One line of the timeline pane: an entry, with the corrections made to
/// it, and the later entries just like it folded in.
#[derive(Debug, Clone)]
pub struct PaneLine<'a> {
    pub entry: &'a Entry,
    /// `entry` and the ones folded into it, in time order.
    pub all: Vec<&'a Entry>,
    /// The correction that struck it (a later replacement lifts a strike).
    pub struck: Option<&'a Entry>,
    /// The correction that last replaced its text.
    pub corrected: Option<&'a Entry>,
}

/// The timeline pane's lines in time order (the journal's order is the
/// order they were written), corrections looked up, repeats folded
/// ([`crate::timeline::repeats`]).
pub fn shown<'a>(incident: &'a Incident, pane: &TimelinePane) -> Vec<PaneLine<'a>> {
    type Fixes<'a> = (Option<&'a Entry>, Option<&'a Entry>);
    let mut fixes: HashMap<u64, Fixes<'a>> = HashMap::new();
    for c in incident
        .entries
        .iter()
        .filter(|c| c.kind == EntryKind::Correction)
    {
        if let Some(seq) = c.corrects {
            let (struck, corrected) = fixes.entry(seq).or_default();
            if c.struck {
                *struck = Some(c);
            } else {
                *corrected = Some(c);
                *struck = None;
            }
        }
    }
    let mut entries: Vec<&Entry> = incident
        .entries
        .iter()
        .filter(|e| pane.kind.is_none_or(|k| e.kind == k))
        .collect();
    entries.sort_by_key(|e| (e.at, e.seq));
    let fixes_of = |e: &Entry| fixes.get(&e.seq).copied().unwrap_or_default();
    let lines = repeats::fold(entries.iter().map(|&entry| {
        let (struck, corrected) = fixes_of(entry);
        corrected
            .is_none()
            .then_some(repeats::Shown { entry, struck })
    }));
    lines
        .into_iter()
        .map(|line| {
            let all: Vec<&Entry> = line.iter().map(|&i| entries[i]).collect();
            let entry = all[0];
            let (struck, corrected) = fixes_of(entry);
            PaneLine {
                entry,
                all,
                struck,
                corrected,
            }
        })
        .collect()
}

/// How long the impact has lasted: from when it began to its end (a
/// struck end does not count), or to `now` while it is open.
pub fn duration(incident: &Incident, now: Timestamp) -> SignedDuration {
    let end = crate::timeline::entry::ended_at(&incident.entries).unwrap_or(now);
    end.duration_since(incident.meta.began())
}

/// `I`: the timeline pane of the open (or last) incident.
pub fn open(state: &mut State, effects: &mut Vec<Effect>) {
    if state.timeline.open.is_some() || state.timeline.last.is_some() {
        state.open_pane(Pane::Timeline(TimelinePane::default()), effects);
    } else {
        notice(
            state,
            Severity::Info,
            "no incident: i declares one (c shows what changed without one)".into(),
        );
    }
}

/// The kinds the pane's `k` cycles through (after all of them).
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

/// Keys while the timeline pane is open.
pub fn pane_key(state: &mut State, action: Action, effects: &mut Vec<Effect>) {
    let Some(pane) = state.overlay.timeline().cloned() else {
        return;
    };
    let incident = state
        .timeline
        .open
        .as_ref()
        .or(state.timeline.last.as_ref());
    // The selected line: its entry, and all the entries it stands for.
    let lines: Vec<(Entry, Vec<Entry>)> = incident
        .map(|i| {
            shown(i, &pane)
                .into_iter()
                .map(|l| (l.entry.clone(), l.all.into_iter().cloned().collect()))
                .collect()
        })
        .unwrap_or_default();
    let n = lines.len();
    let (selected, all) = lines
        .into_iter()
        .nth(pane.cursor.selected.min(n.saturating_sub(1)))
        .unzip();
    let Some(p) = state.overlay.timeline_mut() else {
        return;
    };
    if p.cursor.step(action, n, 10) {
        return;
    }
    match action {
        Action::CycleKind => {
            p.kind = match p.kind {
                None => Some(KINDS[0]),
                Some(k) => KINDS
                    .iter()
                    .position(|x| *x == k)
                    .and_then(|i| KINDS.get(i + 1).copied()),
            };
            p.cursor = Cursor::default();
        }
        Action::CloseTimeline | Action::Back => state.close_pane(effects),
        Action::Note => start_note(state, None, ""),
        Action::EditNote => match selected {
            Some(e) if e.kind == EntryKind::Note && state.timeline.open.is_some() => {
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
        // A folded line strikes every entry it stands for.
        Action::StrikeEntry => match selected {
            Some(e) if state.timeline.open.is_some() && e.kind != EntryKind::IncidentStarted => {
                for one in all.unwrap_or_default() {
                    let strike = Entry::strike(state.now, one.seq, format!("struck: {}", one.text))
                        .with_actor(state.author());
                    state.timeline.outbox.push(strike);
                }
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
                let namespace = o.namespace.clone().unwrap_or_default();
                if super::view::reveal(state, &o.kind, &namespace, &o.name) {
                    state.close_pane(effects);
                } else {
                    notice(state, Severity::Info, format!("{o} is gone or not watched"));
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
