//! What the journal records: the incident itself ([`IncidentMeta`]) and one
//! [`Entry`] per thing that happened, and how both are written as JSON lines.
//!
//! A journal file is one header line, `{"type":"incident","format":1,…}`,
//! then one `{"type":"entry",…}` line per entry, each ending in `\n`.
//! Reading is forgiving: unknown fields are ignored (a later warroom may add
//! some), and a line that is not what it should be is reported by its line
//! number and skipped, never fatal. Only the header is required.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::model::action::ActionRecord;
use crate::model::alert::AlertTransition;

/// The version of the line format this warroom writes (the header's `format`).
pub const FORMAT: u32 = 1;

/// The incident a journal is about: its header line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentMeta {
    /// `2026-11-22-1405-checkout-not-ready`: the file name without
    /// `.jsonl`, so letters, digits, `.`, `_` and `-` only (see
    /// [`super::journal::incident_id`]).
    pub id: String,
    pub title: String,
    /// `SEV1`..`SEV5` (the console accepts no other; a journal may hold
    /// whatever the team called it).
    pub severity: String,
    /// When it was declared.
    pub started_at: Timestamp,
    /// When the impact began, at or before `started_at`: as far back as
    /// the declarer said (`SEV2 -30m …`), or else the first problem
    /// back-filled from what changed. Absent in journals of older
    /// warrooms: it began, as far as anyone knows, when it was declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began_at: Option<Timestamp>,
    /// How `began_at` was found, in words for the post-mortem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub began_from: Option<String>,
    /// The kubeconfig context the incident was declared in.
    pub context: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub created_by: String,
    /// IANA name (`Europe/Berlin`): the export writes times in this zone.
    pub time_zone: String,
}

/// What kind of thing happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    IncidentStarted,
    IncidentEnded,
    /// A Kubernetes Warning event.
    Warning,
    PodTransition,
    Rollout,
    Scale,
    AlertFired,
    AlertResolved,
    /// A change made from warroom (rollback, scale, restart, silence).
    Action,
    /// "Something happened here", one key press, text optional.
    Mark,
    Note,
    /// Edits or strikes an earlier entry (`corrects`); entries are never
    /// rewritten in place.
    Correction,
}

/// A Kubernetes object an entry is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    /// `Pod`, `Deployment`, `Node`…
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
}

impl IncidentMeta {
    /// When the impact began: `began_at`, never after the declaration.
    pub fn began(&self) -> Timestamp {
        self.began_at
            .map_or(self.started_at, |b| b.min(self.started_at))
    }
}

impl ObjectRef {
    pub fn new(kind: &str, namespace: Option<&str>, name: &str) -> ObjectRef {
        ObjectRef {
            kind: kind.to_string(),
            namespace: namespace.map(str::to_string),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for ObjectRef {
    /// `Pod production/checkout-7d8f`, `Node node-3`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {ns}/{}", self.kind, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// One thing that happened during the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the journal, from 1; assigned by [`super::Journal::append`].
    #[serde(default)]
    pub seq: u64,
    pub at: Timestamp,
    pub kind: EntryKind,
    /// One line.
    #[serde(default)]
    pub text: String,
    /// A note's further lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Who: the kubeconfig user for actions and notes, the Alertmanager or
    /// detector for alerts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The kubectl or amtool command that does the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// For an [`EntryKind::IncidentEnded`]: the alerts that still fired
    /// when it was ended (empty: none did, it was resolved). Absent when
    /// nobody knew (a journal of an older warroom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firing: Option<Vec<String>>,
    /// For a [`EntryKind::Correction`]: the `seq` of the entry it amends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<u64>,
    /// For a correction: strikes the entry (`text` says why) rather than
    /// replacing its text with `text`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub struck: bool,
    /// Came from the recent-history ring when the incident was declared:
    /// it happened before anyone was looking.
    #[serde(default, skip_serializing_if = "is_false")]
    pub backfilled: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Entry {
    /// An entry with only the essentials; the `with_*` methods add the rest.
    pub fn new(at: Timestamp, kind: EntryKind, text: impl Into<String>) -> Entry {
        Entry {
            seq: 0,
            at,
            kind,
            text: text.into(),
            body: None,
            object: None,
            severity: None,
            actor: None,
            command: None,
            result: None,
            firing: None,
            corrects: None,
            struck: false,
            backfilled: false,
        }
    }

    /// Strikes entry `seq`: it stays in the record, crossed out, with `why`.
    pub fn strike(at: Timestamp, seq: u64, why: impl Into<String>) -> Entry {
        Entry {
            corrects: Some(seq),
            struck: true,
            ..Entry::new(at, EntryKind::Correction, why)
        }
    }

    /// Replaces the text of entry `seq` with `text` (the first text is kept
    /// and shown as what was first written).
    pub fn correct(at: Timestamp, seq: u64, text: impl Into<String>) -> Entry {
        Entry {
            corrects: Some(seq),
            ..Entry::new(at, EntryKind::Correction, text)
        }
    }

    pub fn with_body(mut self, body: impl Into<String>) -> Entry {
        self.body = Some(body.into());
        self
    }

    pub fn with_object(mut self, object: ObjectRef) -> Entry {
        self.object = Some(object);
        self
    }

    pub fn with_severity(mut self, severity: impl Into<String>) -> Entry {
        self.severity = Some(severity.into());
        self
    }

    pub fn with_actor(mut self, actor: impl Into<String>) -> Entry {
        self.actor = Some(actor.into());
        self
    }

    pub fn with_command(mut self, command: impl Into<String>) -> Entry {
        self.command = Some(command.into());
        self
    }

    pub fn with_result(mut self, result: impl Into<String>) -> Entry {
        self.result = Some(result.into());
        self
    }

    /// The end of an incident, with the alerts that still fired then.
    pub fn ended(at: Timestamp, text: impl Into<String>, firing: Vec<String>) -> Entry {
        Entry {
            firing: Some(firing),
            ..Entry::new(at, EntryKind::IncidentEnded, text)
        }
    }

    /// How an end reads: `resolved` only when it recorded that no alert
    /// still fired, `ended` otherwise (alerts firing, or not known).
    pub fn end_word(&self) -> &'static str {
        match &self.firing {
            Some(firing) if firing.is_empty() => "resolved",
            _ => "ended",
        }
    }

    /// Marks the entry as recovered from the recent history when the
    /// incident was declared.
    pub fn mark_backfilled(mut self) -> Entry {
        self.backfilled = true;
        self
    }

    /// The timeline's record of an action taken from warroom: who, what,
    /// on which object, with which kubectl/amtool command, and how it ended.
    pub fn from_action(record: &ActionRecord) -> Entry {
        let mut entry = Entry::new(record.at, EntryKind::Action, record.mutation.describe())
            .with_actor(record.user.clone())
            .with_result(match &record.result {
                Ok(outcome) => outcome.message.clone(),
                Err(e) => format!("failed: {e}"),
            });
        if !record.kubectl.is_empty() {
            entry = entry.with_command(record.kubectl.clone());
        }
        if let Some(o) = record.mutation.object() {
            entry = entry.with_object(ObjectRef::new(&o.kind, Some(&o.namespace), &o.name));
        }
        entry
    }

    /// An alert that fired or resolved, with its severity, the object it
    /// names first, and who reported it (`Alertmanager prod`).
    pub fn from_alert(t: &AlertTransition) -> Entry {
        let kind = if t.fired {
            EntryKind::AlertFired
        } else {
            EntryKind::AlertResolved
        };
        let text = match &t.summary {
            Some(s) if !s.is_empty() => format!("{}: {s}", t.name),
            _ => t.name.clone(),
        };
        let mut entry = Entry::new(t.at, kind, text)
            .with_severity(t.severity.label())
            .with_actor(t.source.clone());
        if let Some(target) = t.targets.first() {
            entry = entry.with_object(ObjectRef::new(
                target.kind.name(),
                target.namespace.as_deref(),
                &target.name,
            ));
        }
        entry
    }
}

/// When the incident ended: the last `IncidentEnded` entry no correction
/// struck, `None` while it is open.
pub fn ended_at(entries: &[Entry]) -> Option<Timestamp> {
    ending(entries).map(|e| e.at)
}

/// The entry that ended the incident: the last `IncidentEnded` no
/// correction struck (the last correction of an entry decides).
pub fn ending(entries: &[Entry]) -> Option<&Entry> {
    let struck = |seq: u64| {
        entries
            .iter()
            .rev()
            .find(|c| c.kind == EntryKind::Correction && c.corrects == Some(seq))
            .is_some_and(|c| c.struck)
    };
    entries
        .iter()
        .rev()
        .find(|e| e.kind == EntryKind::IncidentEnded && !struck(e.seq))
}

/// The header line, `\n` included.
pub(crate) fn header_line(meta: &IncidentMeta) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Header<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        format: u32,
        #[serde(flatten)]
        meta: &'a IncidentMeta,
    }
    let mut line = serde_json::to_string(&Header {
        kind: "incident",
        format: FORMAT,
        meta,
    })?;
    line.push('\n');
    Ok(line)
}

/// An entry's line, `\n` included. JSON escapes every control character,
/// so the line holds exactly one `\n`: its end.
pub(crate) fn entry_line(entry: &Entry) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Line<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(flatten)]
        entry: &'a Entry,
    }
    let mut line = serde_json::to_string(&Line {
        kind: "entry",
        entry,
    })?;
    line.push('\n');
    Ok(line)
}

/// A journal's bytes, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub meta: IncidentMeta,
    pub entries: Vec<Entry>,
    /// `(line, why)` of lines that were skipped (1-based line numbers).
    pub skipped: Vec<(usize, String)>,
    /// The highest `seq` any line claimed, skipped ones included, so a
    /// resumed journal never hands out a number twice.
    pub last_seq: u64,
    /// Where the intact part ends: everything from here on is a torn tail
    /// (an unfinished last line, or lines at the end that are not JSON).
    pub good_len: usize,
}

/// Why a journal's bytes have no usable header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeaderProblem(pub String);

/// Reads a journal's bytes. Never panics, whatever the bytes: the only
/// failure is a missing or unreadable header; every other problem is a
/// skipped line or the torn tail.
pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, HeaderProblem> {
    // Complete lines, as (start, end without the `\n`).
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            lines.push((start, i));
            start = i + 1;
        }
    }
    let Some(&(h_start, h_end)) = lines.first() else {
        return Err(HeaderProblem(if bytes.is_empty() {
            "the file is empty".to_string()
        } else {
            "its first line is unfinished (it was being created when warroom stopped)".to_string()
        }));
    };
    let meta = read_header(&bytes[h_start..h_end])?;
    let values: Vec<Option<serde_json::Value>> = lines[1..]
        .iter()
        .map(|&(s, e)| serde_json::from_slice(&bytes[s..e]).ok())
        .collect();
    // The intact part ends after the last complete line that is JSON; what
    // follows is a write that did not finish.
    let intact = values
        .iter()
        .rposition(Option::is_some)
        .map_or(0, |i| i + 1);
    let good_len = lines[intact].1 + 1;
    let mut parsed = Parsed {
        meta,
        entries: Vec::new(),
        skipped: Vec::new(),
        last_seq: 0,
        good_len,
    };
    for (i, value) in values.into_iter().take(intact).enumerate() {
        // Line numbers count from 1 and the header is line 1.
        let line = i + 2;
        match value {
            None => parsed.skipped.push((line, "not valid JSON".to_string())),
            Some(v) => {
                if let Err(why) = parsed.take(v) {
                    parsed.skipped.push((line, why));
                }
            }
        }
    }
    Ok(parsed)
}

impl Parsed {
    /// Adds one line's value, or says why it is skipped.
    fn take(&mut self, value: serde_json::Value) -> Result<(), String> {
        let kind = value.get("type").and_then(|t| t.as_str()).unwrap_or("");
        match kind {
            "entry" => {}
            "incident" => return Err("a second incident header".to_string()),
            "" => return Err("not a journal line (no \"type\")".to_string()),
            other => {
                return Err(format!(
                    "a line of type {other:?}, unknown to this warroom (written by a newer one?)"
                ));
            }
        }
        let claimed = value.get("seq").and_then(|s| s.as_u64());
        let last = self.last_seq;
        if let Some(seq) = claimed {
            self.last_seq = self.last_seq.max(seq);
        }
        let entry: Entry =
            serde_json::from_value(value).map_err(|e| format!("not a readable entry: {e}"))?;
        if entry.seq == 0 {
            return Err("an entry without a seq".to_string());
        }
        if entry.seq <= last {
            return Err(format!(
                "entry {} out of order (after entry {last})",
                entry.seq
            ));
        }
        self.entries.push(entry);
        Ok(())
    }
}

fn read_header(line: &[u8]) -> Result<IncidentMeta, HeaderProblem> {
    let value: serde_json::Value = serde_json::from_slice(line)
        .map_err(|e| HeaderProblem(format!("its first line is not JSON ({e})")))?;
    if value.get("type").and_then(|t| t.as_str()) != Some("incident") {
        return Err(HeaderProblem(
            "its first line is not an incident header".to_string(),
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| HeaderProblem(format!("its incident header is incomplete ({e})")))
}

#[cfg(test)]
mod tests;
