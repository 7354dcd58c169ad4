//! The journal as a document: a blameless post-mortem draft in Markdown, or
//! the data as JSON. Both redact every string field first ([`redact`]);
//! Markdown also makes cluster text harmless (control characters escaped
//! as in the console, Markdown punctuation escaped) so an event message can
//! neither drive a terminal nor add a heading.

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use super::entry::{self, Entry, EntryKind, IncidentMeta, ObjectRef};
use super::repeats::{self, Repeats};
use super::zone;
use crate::model::redact::redact;
use crate::model::sanitize::{sanitize, sanitize_lines};

/// The two shapes an export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Markdown,
    Json,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<ExportFormat, String> {
        match s {
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "json" => Ok(ExportFormat::Json),
            other => Err(format!("unknown export format {other:?}: md or json")),
        }
    }
}

/// `meta` and `entries` in `format`.
pub fn render(format: ExportFormat, meta: &IncidentMeta, entries: &[Entry]) -> String {
    match format {
        ExportFormat::Markdown => markdown(meta, entries),
        ExportFormat::Json => json(meta, entries),
    }
}

/// The incident as pretty JSON: `format`, `incident` (the header's fields,
/// `began_at` among them), `ended_at` (null while open) and `entries` as
/// recorded (corrections included, not applied; repeats not folded: each
/// keeps its own `seq` and time, which corrections and tools refer to),
/// fields in declaration order, secrets redacted.
pub fn json(meta: &IncidentMeta, entries: &[Entry]) -> String {
    #[derive(Serialize)]
    struct Export {
        format: &'static str,
        incident: IncidentMeta,
        ended_at: Option<Timestamp>,
        entries: Vec<Entry>,
    }
    let export = Export {
        format: "warroom-incident/1",
        incident: redact_meta(meta),
        ended_at: entry::ended_at(entries),
        entries: entries.iter().map(redact_entry).collect(),
    };
    // Plain structs of strings and numbers always serialize.
    let mut text = serde_json::to_string_pretty(&export).unwrap_or_default();
    text.push('\n');
    text
}

/// The incident as a blameless post-mortem draft: a summary (when the
/// impact began, when it was declared, when it ended or was resolved, how
/// long it lasted), the timeline in the incident's time zone (corrections
/// applied, struck entries crossed out, repeats folded into counted lines),
/// every action taken with its command, and the sections people write —
/// root cause, what went well and wrong, lessons, action items — as
/// placeholders marked _To be written_.
pub fn markdown(meta: &IncidentMeta, entries: &[Entry]) -> String {
    let meta = redact_meta(meta);
    let entries: Vec<Entry> = entries.iter().map(redact_entry).collect();
    let (tz, tz_note) = match zone::load(&meta.time_zone) {
        Some(tz) => (tz, meta.time_zone.clone()),
        None => (
            TimeZone::UTC,
            format!(
                "UTC ({} is not a time zone this machine knows)",
                meta.time_zone
            ),
        ),
    };
    let clock = Clock {
        start_day: meta.began().to_zoned(tz.clone()).date(),
        tz,
    };
    let rows = fold_corrections(&entries);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}
",
        md(&meta.title)
    );
    out.push_str(
        "## Summary

",
    );
    summary(&mut out, &meta, entry::ending(&entries), &clock, &tz_note);
    out.push_str("\n## Timeline\n\n");
    let _ = writeln!(out, "All times are in {}.\n", md(&tz_note));
    if rows.is_empty() {
        out.push_str("_Nothing was recorded._\n");
    }
    let lines = repeats::fold(rows.iter().map(|r| {
        (r.corrected.is_none() && r.orphan.is_none()).then_some(repeats::Shown {
            entry: r.entry,
            struck: r.struck,
        })
    }));
    for line in &lines {
        let alike: Vec<&Row<'_>> = line.iter().map(|&i| &rows[i]).collect();
        timeline_row(&mut out, &alike, &clock);
    }
    out.push_str("\n## Actions taken\n\n");
    let mut any = false;
    for row in rows.iter().filter(|r| r.entry.kind == EntryKind::Action) {
        action_row(&mut out, row, &clock);
        any = true;
    }
    if !any {
        out.push_str("_No changes were made from warroom._\n");
    }
    for (heading, ask) in [
        (
            "Root cause",
            "what made this possible: the conditions, changes and gaps in the system that let it happen (not who).",
        ),
        ("What went well", "what helped find and fix it."),
        (
            "What went wrong",
            "what made it worse, longer or harder to see.",
        ),
        (
            "Lessons for the team",
            "what the team knows now that it did not before, and where that will be written down.",
        ),
    ] {
        let _ = writeln!(out, "\n## {heading}\n\n{TO_WRITE} {ask}");
    }
    out.push_str("\n## Action items\n\n");
    out.push_str("| Action | Owner | Due |\n|---|---|---|\n");
    let _ = writeln!(
        out,
        "| {TO_WRITE} one change per row, that makes this less likely or less harmful | _name_ | _date_ |"
    );
    out
}

/// How the draft marks what people still have to write.
const TO_WRITE: &str = "_To be written:_";

/// Times as people read them: `HH:MM:SS` on the day the impact began,
/// with the date on any other day.
struct Clock {
    tz: TimeZone,
    start_day: jiff::civil::Date,
}

impl Clock {
    fn at(&self, t: Timestamp) -> String {
        let z = t.to_zoned(self.tz.clone());
        if z.date() == self.start_day {
            z.strftime("%H:%M:%S").to_string()
        } else {
            self.dated(t)
        }
    }

    fn dated(&self, t: Timestamp) -> String {
        t.to_zoned(self.tz.clone())
            .strftime("%Y-%m-%d %H:%M:%S")
            .to_string()
    }
}

fn summary(out: &mut String, meta: &IncidentMeta, ending: Option<&Entry>, clock: &Clock, tz: &str) {
    let began = meta.began();
    let _ = writeln!(out, "- **Severity:** {}", md(&meta.severity));
    let _ = write!(out, "- **Began:** {} {}", clock.dated(began), md(tz));
    let early = meta.started_at.duration_since(began);
    if early.is_positive() {
        let _ = write!(out, ", {} before it was declared", duration_text(early));
    }
    match &meta.began_from {
        Some(from) => {
            let _ = write!(out, " — {}", md(from));
        }
        None if !early.is_positive() => out.push_str(", when it was declared"),
        None => {}
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "- **Declared:** {} by {}",
        clock.at(meta.started_at),
        md(&meta.created_by)
    );
    match ending {
        Some(end) => {
            let word = end.end_word();
            let _ = write!(out, "- **{}:** {}", capitalized(word), clock.at(end.at));
            if let Some(actor) = &end.actor {
                let _ = write!(out, " by {}", md(actor));
            }
            let _ = writeln!(out, "{}", firing_text(end));
            let _ = writeln!(
                out,
                "- **Duration:** {}, from began to {word}",
                duration_text(end.at.duration_since(began))
            );
        }
        None => {
            out.push_str("- **Ended:** not yet: the incident is still open (no end recorded)\n");
            out.push_str("- **Duration:** still open\n");
        }
    }
    let mut place = format!("context {}", code(&meta.context));
    if let Some(ns) = &meta.namespace {
        let _ = write!(place, ", namespace {}", code(ns));
    }
    let _ = writeln!(out, "- **Where:** {place}");
    let _ = writeln!(out, "- **Incident ID:** {}", code(&meta.id));
    let _ = writeln!(
        out,
        "- **Impact:** {TO_WRITE} who and what was affected, and how badly."
    );
}

/// What an end says about the alerts: `, with no alert firing`, `, while 2
/// alerts still fired: …`, or that nobody recorded it.
fn firing_text(end: &Entry) -> String {
    match &end.firing {
        Some(firing) if firing.is_empty() => ", with no alert firing".to_string(),
        Some(firing) => format!(
            ", while {}: {}",
            alerts_still_firing(firing.len()),
            md(&firing.join("; "))
        ),
        None => " (whether alerts still fired was not recorded)".to_string(),
    }
}

fn alerts_still_firing(n: usize) -> String {
    match n {
        1 => "1 alert still fired".to_string(),
        n => format!("{n} alerts still fired"),
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// `2h 5m`, `4m 43s`, `45m`, `30s`: seconds under an hour; never negative.
pub fn duration_text(d: SignedDuration) -> String {
    let secs = d.as_secs().max(0);
    let (days, hours, minutes, seconds) = (
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        secs % 60,
    );
    if days > 0 {
        format!("{days}d {hours}h {minutes}m")
    } else if hours > 0 {
        format!("{hours}h {minutes}m")
    } else if minutes > 0 && seconds > 0 {
        format!("{minutes}m {seconds}s")
    } else if minutes > 0 {
        format!("{minutes}m")
    } else {
        format!("{secs}s")
    }
}

/// An entry with the corrections made to it applied.
struct Row<'a> {
    entry: &'a Entry,
    text: &'a str,
    /// The correction that struck it (when, by whom, why).
    struck: Option<&'a Entry>,
    /// The correction that last replaced its text.
    corrected: Option<&'a Entry>,
    /// A correction standing on its own: the entry it amends is not in
    /// the journal (`true`), or is itself a correction (`false`).
    orphan: Option<bool>,
}

/// Entries in time order (then journal order), each correction folded into
/// the entry it amends: a strike crosses it out, a new text replaces its
/// text (and lifts an earlier strike).
fn fold_corrections(entries: &[Entry]) -> Vec<Row<'_>> {
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut by_seq: HashMap<u64, usize> = HashMap::new();
    let seqs: std::collections::HashSet<u64> = entries.iter().map(|e| e.seq).collect();
    for e in entries {
        let target = e
            .corrects
            .filter(|_| e.kind == EntryKind::Correction)
            .and_then(|seq| by_seq.get(&seq).copied());
        match target {
            Some(i) => {
                let row = &mut rows[i];
                if e.struck {
                    row.struck = Some(e);
                } else {
                    row.text = &e.text;
                    row.corrected = Some(e);
                    row.struck = None;
                }
            }
            None => {
                if e.kind != EntryKind::Correction {
                    by_seq.insert(e.seq, rows.len());
                }
                rows.push(Row {
                    entry: e,
                    text: &e.text,
                    struck: None,
                    corrected: None,
                    orphan: (e.kind == EntryKind::Correction)
                        .then(|| e.corrects.is_none_or(|s| !seqs.contains(&s))),
                });
            }
        }
    }
    rows.sort_by_key(|r| (r.entry.at, r.entry.seq));
    rows
}

fn label(e: &Entry) -> &'static str {
    match e.kind {
        EntryKind::IncidentStarted => "Incident declared",
        EntryKind::IncidentEnded if e.end_word() == "resolved" => "Incident resolved",
        EntryKind::IncidentEnded => "Incident ended",
        EntryKind::Warning => "Warning",
        EntryKind::PodTransition => "Pod",
        EntryKind::Rollout => "Rollout",
        EntryKind::Scale => "Scale",
        EntryKind::AlertFired => "Alert fired",
        EntryKind::AlertResolved => "Alert resolved",
        EntryKind::Action => "Action",
        EntryKind::Mark => "Mark",
        EntryKind::Note => "Note",
        EntryKind::Correction => "Correction",
    }
}

/// One line of the timeline: `alike` are the rows it stands for (one, or
/// repeats of the first, counted with the first and last time).
fn timeline_row(out: &mut String, alike: &[&Row<'_>], clock: &Clock) {
    let Some(row) = alike.first() else {
        return;
    };
    let e = row.entry;
    let repeats = Repeats::of(alike.iter().map(|r| r.entry));
    let counted = repeats.map_or(String::new(), |r| r.counted(|t| clock.at(t)));
    let _ = write!(out, "- {}  **{}**", clock.at(e.at), label(e));
    if let Some(sev) = &e.severity {
        let _ = write!(out, " ({})", md(sev));
    }
    if let Some(actor) = &e.actor {
        let _ = write!(out, " by {}", md(actor));
    }
    if let Some(missing) = row.orphan {
        match e.corrects {
            Some(seq) => {
                let _ = write!(out, " of entry {seq}");
            }
            None => out.push_str(" of an unnamed entry"),
        }
        if missing && e.corrects.is_some() {
            out.push_str(", which is not in the journal");
        }
    }
    let mut what = md(row.text);
    if let Some(object) = object_suffix(e.object.as_ref(), row.text) {
        let _ = write!(what, " — {object}");
    }
    if let Some(result) = &e.result {
        let _ = write!(what, " — result: {}", md(result));
    }
    match row.struck {
        Some(c) => {
            let _ = write!(out, ": ~~{what}~~");
            if !counted.is_empty() {
                let _ = write!(out, " {counted}");
            }
            let _ = write!(out, " _(struck at {}{}", clock.at(c.at), by(c));
            if !c.text.is_empty() {
                let _ = write!(out, ": {}", md(&c.text));
            }
            out.push_str(")_");
        }
        None if what.is_empty() && counted.is_empty() => {}
        None if what.is_empty() => {
            let _ = write!(out, ": {counted}");
        }
        None if counted.is_empty() => {
            let _ = write!(out, ": {what}");
        }
        None => {
            let _ = write!(out, ": {what} {counted}");
        }
    }
    if let Some(c) = row.corrected {
        let _ = write!(
            out,
            " _(corrected at {}{}; first written: “{}”)_",
            clock.at(c.at),
            by(c),
            md(&e.text)
        );
    }
    // The summary names them; here the count.
    if e.kind == EntryKind::IncidentEnded
        && let Some(firing) = e.firing.as_ref().filter(|f| !f.is_empty())
    {
        let _ = write!(out, " _({})_", alerts_still_firing(firing.len()));
    }
    if let Some(before) = repeats.and_then(|r| r.before("the incident was declared")) {
        let _ = write!(out, " _({before})_");
    }
    out.push('\n');
    if let Some(body) = &e.body {
        for line in sanitize_lines(body) {
            let line = escape_md(&line);
            if line.is_empty() {
                out.push_str("  >\n");
            } else {
                let _ = writeln!(out, "  > {line}");
            }
        }
    }
}

/// ` by bob`, for who made a correction.
fn by(correction: &Entry) -> String {
    correction
        .actor
        .as_deref()
        .map_or(String::new(), |a| format!(" by {}", md(a)))
}

fn action_row(out: &mut String, row: &Row<'_>, clock: &Clock) {
    let e = row.entry;
    let who = e.actor.as_deref().map_or("someone".to_string(), md);
    let mut what = md(row.text);
    if row.struck.is_some() {
        what = format!("~~{what}~~ (struck)");
    }
    let _ = write!(out, "- {}  **{who}**: {what}", clock.at(e.at));
    if let Some(object) = &e.object {
        let _ = write!(out, " — target: {}", md(&object.to_string()));
    }
    let result = e.result.as_deref().map_or("not recorded".to_string(), md);
    let _ = writeln!(out, " — result: {result}");
    if let Some(cmd) = &e.command {
        let _ = writeln!(out, "  - command: {}", code(cmd));
    }
}

/// ` — Pod production/web-1`, unless the text already names the object.
fn object_suffix(object: Option<&ObjectRef>, text: &str) -> Option<String> {
    let object = object?;
    (!text.contains(&object.name)).then(|| md(&object.to_string()))
}

/// One line of cluster or user text, safe in Markdown: control characters
/// escaped visibly, and the punctuation that could start emphasis, a link,
/// code or HTML escaped. (A line never starts with the text, so `#`, `>`
/// and list markers cannot act.)
fn md(s: &str) -> String {
    escape_md(&sanitize(s))
}

fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span holding `s` as is (control characters escaped): fenced with
/// more backticks than any run inside it.
fn code(s: &str) -> String {
    let s = sanitize(s);
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

fn redact_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| redact(s).into_owned())
}

/// The header with every string redacted.
pub fn redact_meta(meta: &IncidentMeta) -> IncidentMeta {
    let r = |s: &str| redact(s).into_owned();
    IncidentMeta {
        id: r(&meta.id),
        title: r(&meta.title),
        severity: r(&meta.severity),
        started_at: meta.started_at,
        began_at: meta.began_at,
        began_from: redact_opt(&meta.began_from),
        context: r(&meta.context),
        namespace: redact_opt(&meta.namespace),
        created_by: r(&meta.created_by),
        time_zone: r(&meta.time_zone),
    }
}

/// An entry with every string redacted.
pub fn redact_entry(e: &Entry) -> Entry {
    Entry {
        text: redact(&e.text).into_owned(),
        body: redact_opt(&e.body),
        object: e.object.as_ref().map(|o| ObjectRef {
            kind: redact(&o.kind).into_owned(),
            namespace: redact_opt(&o.namespace),
            name: redact(&o.name).into_owned(),
        }),
        severity: redact_opt(&e.severity),
        actor: redact_opt(&e.actor),
        command: redact_opt(&e.command),
        result: redact_opt(&e.result),
        firing: e
            .firing
            .as_ref()
            .map(|f| f.iter().map(|s| redact(s).into_owned()).collect()),
        ..e.clone()
    }
}

#[cfg(test)]
mod tests;
