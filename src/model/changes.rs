//! What changed: a ring of the last two hours, always on, incident or not —
//! warning events, pod transitions (became NotReady, OOMKilled,
//! CrashLoopBackOff, recovered), rollouts started / complete / stalled,
//! scale changes, alerts fired and resolved, and actions taken here. The
//! junior's answer to "what changed?", and what an incident is back-filled
//! from when someone finally declares it.
//!
//! Transitions are found by comparing each changed object with the one it
//! replaces, at the edge of the reducer; a (re)list has no "before" and
//! records nothing, so reconnecting never floods the ring.

use std::collections::VecDeque;

use jiff::{SignedDuration, Timestamp};

use crate::model::event::{EventInfo, ObjectRef};
use crate::model::pod_health::{Health, PodInfo};
use crate::model::workload::{Rollout, WorkloadInfo};

/// How far back the ring reaches.
pub const WINDOW: SignedDuration = SignedDuration::from_hours(2);
/// At most this many entries, whatever the window (a 10,000-pod churn).
pub const CAPACITY: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    Warning,
    Pod,
    Rollout,
    Scale,
    Alert,
    Action,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::Warning,
        ChangeKind::Pod,
        ChangeKind::Rollout,
        ChangeKind::Scale,
        ChangeKind::Alert,
        ChangeKind::Action,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Warning => "warning",
            ChangeKind::Pod => "pod",
            ChangeKind::Rollout => "rollout",
            ChangeKind::Scale => "scale",
            ChangeKind::Alert => "alert",
            ChangeKind::Action => "action",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: Timestamp,
    pub kind: ChangeKind,
    pub text: String,
    pub object: Option<ObjectRef>,
    /// A problem (NotReady, OOMKilled, stalled, fired) rather than a
    /// recovery or a routine change.
    pub bad: bool,
    /// Who did it (actions), or who said so (an alert's source).
    pub actor: Option<String>,
    /// The kubectl or amtool command that does the same (actions).
    pub command: Option<String>,
    /// What came of it (actions).
    pub result: Option<String>,
}

impl Change {
    pub fn new(
        at: Timestamp,
        kind: ChangeKind,
        text: String,
        object: Option<ObjectRef>,
        bad: bool,
    ) -> Change {
        Change {
            at,
            kind,
            text,
            object,
            bad,
            actor: None,
            command: None,
            result: None,
        }
    }
}

/// The ring, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Ring {
    entries: VecDeque<Change>,
    /// Entries let go for the capacity (not for age).
    pub dropped: usize,
}

impl Ring {
    /// Adds a change in time order (late ones slot in), then forgets what
    /// is older than the window before `now` or beyond the capacity.
    pub fn push(&mut self, change: Change, now: Timestamp) {
        let at = change.at;
        let pos = self
            .entries
            .iter()
            .rposition(|c| c.at <= at)
            .map_or(0, |i| i + 1);
        self.entries.insert(pos, change);
        let horizon = now.checked_sub(WINDOW).unwrap_or(now);
        while self.entries.front().is_some_and(|c| c.at < horizon) {
            self.entries.pop_front();
        }
        while self.entries.len() > CAPACITY {
            self.entries.pop_front();
            self.dropped += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Change> + ExactSizeIterator {
        self.entries.iter()
    }

    /// The changes at or after `since`.
    pub fn since(&self, since: Timestamp) -> impl Iterator<Item = &Change> {
        self.entries.iter().filter(move |c| c.at >= since)
    }
}

fn pod_ref(p: &PodInfo) -> ObjectRef {
    ObjectRef {
        kind: "Pod".into(),
        namespace: p.namespace.clone(),
        name: p.name.clone(),
    }
}

/// What became different between two versions of a pod.
pub fn pod_changes(old: &PodInfo, new: &PodInfo, now: Timestamp) -> Vec<Change> {
    let mut out = Vec::new();
    let change = |at: Option<Timestamp>, text: String, bad: bool| {
        Change::new(
            at.unwrap_or(now),
            ChangeKind::Pod,
            text,
            Some(pod_ref(new)),
            bad,
        )
    };
    let name = format!("{}/{}", new.namespace, new.name);
    if let Some(t) = &new.last_termination
        && t.oom_killed()
        && old
            .last_termination
            .as_ref()
            .map(|o| (o.finished_at, &o.container))
            != Some((t.finished_at, &t.container))
    {
        out.push(change(
            t.finished_at,
            format!(
                "{name}: container {} OOMKilled (exit {})",
                t.container, t.exit_code
            ),
            true,
        ));
    }
    if new.status == "CrashLoopBackOff" && old.status != "CrashLoopBackOff" {
        out.push(change(None, format!("{name}: CrashLoopBackOff"), true));
    }
    match (old.health, new.health) {
        (h, Health::NotReady) if h != Health::NotReady => out.push(change(
            new.ready_changed,
            format!(
                "{name}: Running but not Ready ({}/{})",
                new.ready, new.total
            ),
            true,
        )),
        (Health::NotReady | Health::Failing, Health::Ok) => out.push(change(
            new.ready_changed,
            format!("{name}: recovered, Ready {}/{}", new.ready, new.total),
            false,
        )),
        (h, Health::Failing) if h != Health::Failing && new.status != "CrashLoopBackOff" => {
            out.push(change(None, format!("{name}: {}", new.status), true))
        }
        _ => {}
    }
    out
}

fn workload_ref(w: &WorkloadInfo) -> ObjectRef {
    ObjectRef {
        kind: w.kind.name().to_string(),
        namespace: w.namespace.clone(),
        name: w.name.clone(),
    }
}

/// What became different between two versions of a workload.
pub fn workload_changes(old: &WorkloadInfo, new: &WorkloadInfo, now: Timestamp) -> Vec<Change> {
    let mut out = Vec::new();
    let name = format!("{} {}/{}", new.kind.name(), new.namespace, new.name);
    let change =
        |kind, text: String, bad| Change::new(now, kind, text, Some(workload_ref(new)), bad);
    if let (Some(a), Some(b)) = (old.revision, new.revision)
        && a != b
    {
        out.push(change(
            ChangeKind::Rollout,
            format!(
                "{name}: rollout started, revision {a} → {b} ({})",
                new.images.join(", ")
            ),
            false,
        ));
    }
    match (&old.rollout, &new.rollout) {
        (Rollout::Progressing { .. }, Rollout::Complete) => out.push(change(
            ChangeKind::Rollout,
            format!(
                "{name}: rollout complete, {}/{} ready",
                new.ready, new.desired
            ),
            false,
        )),
        (o, Rollout::Stalled { reason, message }) if !matches!(o, Rollout::Stalled { .. }) => out
            .push(change(
                ChangeKind::Rollout,
                format!("{name}: rollout stalled: {reason}: {message}"),
                true,
            )),
        (o, Rollout::Paused) if *o != Rollout::Paused => out.push(change(
            ChangeKind::Rollout,
            format!("{name}: rollout paused"),
            false,
        )),
        _ => {}
    }
    if old.desired != new.desired {
        out.push(change(
            ChangeKind::Scale,
            format!("{name}: scaled {} → {}", old.desired, new.desired),
            false,
        ));
    }
    out
}

/// A warning event seen for the first time, or when its count reaches 10,
/// 100, 1000… (a probe failing every 5 s would otherwise fill the ring).
pub fn warning(old: Option<&EventInfo>, new: &EventInfo, now: Timestamp) -> Option<Change> {
    if !new.warning {
        return None;
    }
    if let Some(o) = old {
        let milestone = |n: u32| if n == 0 { 0 } else { n.ilog10() };
        if new.count <= o.count || milestone(new.count) == milestone(o.count) {
            return None;
        }
    }
    let times = if new.count > 1 {
        format!(" (×{})", new.count)
    } else {
        String::new()
    };
    Some(Change::new(
        new.last_seen.unwrap_or(now),
        ChangeKind::Warning,
        format!(
            "{} {}/{}: {}{times}",
            new.reason, new.object.kind, new.object.name, new.message
        ),
        Some(new.object.clone()),
        true,
    ))
}

#[cfg(test)]
mod tests;
