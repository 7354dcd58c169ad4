//! Entries that say the same thing again: a pod OOMKilled six times in a
//! loop is one line with a count and the first and last time, in the
//! post-mortem and in the timeline pane. Only what the cluster and the
//! alert feed report repeats; what a person wrote or did (notes, marks,
//! actions, corrections, the declaration and the end) always stands on its
//! own line, and so does an entry with more to it than its line (a body, a
//! command, a result). The journal and the JSON export keep every entry.

use std::collections::HashMap;

use jiff::Timestamp;

use super::entry::{Entry, EntryKind, ObjectRef};

/// An entry as it is shown: with the correction that struck it, if one did
/// (entries struck alike still fold together; struck and not never do).
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub entry: &'a Entry,
    pub struck: Option<&'a Entry>,
}

/// What makes two entries the same happening.
#[derive(PartialEq, Eq, Hash)]
struct Key<'a> {
    kind: EntryKind,
    text: &'a str,
    object: Option<&'a ObjectRef>,
    severity: Option<&'a str>,
    actor: Option<&'a str>,
    /// The strike: why, when, by whom.
    struck: Option<(&'a str, Timestamp, Option<&'a str>)>,
}

/// Whether an entry may fold into others like it.
pub fn repeatable(e: &Entry) -> bool {
    let reported = matches!(
        e.kind,
        EntryKind::Warning
            | EntryKind::PodTransition
            | EntryKind::Rollout
            | EntryKind::Scale
            | EntryKind::AlertFired
            | EntryKind::AlertResolved
    );
    reported && e.body.is_none() && e.command.is_none() && e.result.is_none()
}

fn key<'a>(s: &Shown<'a>) -> Key<'a> {
    let e = s.entry;
    Key {
        kind: e.kind,
        text: &e.text,
        object: e.object.as_ref(),
        severity: e.severity.as_deref(),
        actor: e.actor.as_deref(),
        struck: s
            .struck
            .map(|c| (c.text.as_str(), c.at, c.actor.as_deref())),
    }
}

/// Folds `items` (in the order they are shown) into lines: each line is
/// the indices of the items it stands for, in order, and sits where its
/// first item was. `None` is an item that stands alone whatever it says
/// (one whose text a correction replaced, say).
pub fn fold<'a>(items: impl IntoIterator<Item = Option<Shown<'a>>>) -> Vec<Vec<usize>> {
    let mut lines: Vec<Vec<usize>> = Vec::new();
    let mut line_of: HashMap<Key<'a>, usize> = HashMap::new();
    for (i, item) in items.into_iter().enumerate() {
        match item.filter(|s| repeatable(s.entry)) {
            Some(s) => match line_of.get(&key(&s)) {
                Some(&l) => lines[l].push(i),
                None => {
                    line_of.insert(key(&s), lines.len());
                    lines.push(vec![i]);
                }
            },
            None => lines.push(vec![i]),
        }
    }
    lines
}

/// What a folded line says about the entries it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeats {
    pub count: usize,
    pub first: Timestamp,
    pub last: Timestamp,
    /// How many were back-filled (happened before it was declared).
    pub backfilled: usize,
}

impl Repeats {
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Option<Repeats> {
        let mut out: Option<Repeats> = None;
        for e in entries {
            let r = out.get_or_insert(Repeats {
                count: 0,
                first: e.at,
                last: e.at,
                backfilled: 0,
            });
            r.count += 1;
            r.first = r.first.min(e.at);
            r.last = r.last.max(e.at);
            r.backfilled += usize::from(e.backfilled);
        }
        out
    }

    /// `×6 (08:47:12 – 09:02:40)` with `time` writing each time; empty for
    /// one entry.
    pub fn counted(&self, time: impl Fn(Timestamp) -> String) -> String {
        if self.count < 2 {
            return String::new();
        }
        format!(
            "×{} ({} – {})",
            self.count,
            time(self.first),
            time(self.last)
        )
    }

    /// How many were back-filled: `before {declared}` (all of them),
    /// `4 of them before {declared}`, or nothing.
    pub fn before(&self, declared: &str) -> Option<String> {
        match self.backfilled {
            0 => None,
            n if n == self.count => Some(format!("before {declared}")),
            n => Some(format!("{n} of them before {declared}")),
        }
    }
}

#[cfg(test)]
mod tests;
