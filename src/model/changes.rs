//! What changed: a ring of the last two hours, always on, incident or not —
//! warning events, pod transitions (became NotReady, OOMKilled,
//! CrashLoopBackOff, recovered), rollouts started / complete / stalled,
//! scale changes, alerts fired and resolved, and actions taken here. The
//! junior's answer to "what changed?", and what an incident is back-filled
//! from when someone finally declares it.
//!
//! Transitions are found by comparing each changed object with the one it
//! replaces, at the edge of the reducer. A list has no "before": what it
//! tells of the past is back-filled ([`backfill_pod`], [`backfill_revisions`],
//! [`backfill_warning`]) — warning events at their last time, rollouts
//! started at their ReplicaSet's creation, containers' last terminations
//! at their finish, pods not Ready since their condition changed — and the
//! ring says from when on it holds everything ([`Ring::complete_since`]).
//! Back-filled entries already in the ring are not added again, so
//! reconnecting never floods it.

use std::collections::{HashMap, VecDeque};

use jiff::{SignedDuration, Timestamp};

use crate::model::event::{EventInfo, ObjectRef};
use crate::model::pod_health::{ContainerState, Health, PodInfo, Termination};
use crate::model::workload::{ReplicaSetInfo, Rollout, WorkloadInfo, WorkloadKind};

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
    /// From when on every change was seen as it happened: the last time the
    /// watches listed from scratch. Before it the ring holds only what the
    /// lists could tell of the past. `None` before the first list.
    pub complete_since: Option<Timestamp>,
    /// The newest problem the ring holds about each pod, by namespace and
    /// name (what a new spell of unreadiness is told against).
    told: HashMap<(String, String), Timestamp>,
}

impl Ring {
    /// Whether the ring holds this change (kind, text, object) at most
    /// `slack` away from its time.
    pub fn contains(&self, change: &Change, slack: SignedDuration) -> bool {
        let from = change.at.checked_sub(slack).unwrap_or(change.at);
        let to = change.at.checked_add(slack).unwrap_or(change.at);
        let first = self.entries.partition_point(|c| c.at < from);
        self.entries
            .range(first..)
            .take_while(|c| c.at <= to)
            .any(|c| c.kind == change.kind && c.text == change.text && c.object == change.object)
    }

    /// Adds a change in time order (late ones slot in), then forgets what
    /// is older than the window before `now` or beyond the capacity.
    pub fn push(&mut self, change: Change, now: Timestamp) {
        let at = change.at;
        if let Some(key) = told_key(&change) {
            let t = self.told.entry(key).or_insert(at);
            *t = (*t).max(at);
        }
        let pos = self
            .entries
            .iter()
            .rposition(|c| c.at <= at)
            .map_or(0, |i| i + 1);
        self.entries.insert(pos, change);
        let horizon = now.checked_sub(WINDOW).unwrap_or(now);
        while self.entries.front().is_some_and(|c| c.at < horizon) {
            self.pop_front();
        }
        while self.entries.len() > CAPACITY {
            self.pop_front();
            self.dropped += 1;
        }
    }

    fn pop_front(&mut self) {
        let Some(gone) = self.entries.pop_front() else {
            return;
        };
        if let Some(key) = told_key(&gone)
            && self.told.get(&key) == Some(&gone.at)
        {
            self.told.remove(&key);
        }
    }

    /// When the ring last told of a problem with this pod.
    pub fn pod_problem(&self, namespace: &str, name: &str) -> Option<Timestamp> {
        self.told
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
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

/// The pod a problem entry is about, if it is one.
fn told_key(c: &Change) -> Option<(String, String)> {
    let o = c.object.as_ref().filter(|o| c.bad && o.kind == "Pod")?;
    Some((o.namespace.clone(), o.name.clone()))
}

fn pod_ref(p: &PodInfo) -> ObjectRef {
    ObjectRef {
        kind: "Pod".into(),
        namespace: p.namespace.clone(),
        name: p.name.clone(),
    }
}

fn pod_name(p: &PodInfo) -> String {
    format!("{}/{}", p.namespace, p.name)
}

/// A container's OOM kill, at the time it ended.
fn oom_kill(p: &PodInfo, t: &Termination, now: Timestamp) -> Change {
    Change::new(
        t.finished_at.unwrap_or(now),
        ChangeKind::Pod,
        format!(
            "{}: container {} OOMKilled (exit {})",
            pod_name(p),
            t.container,
            t.exit_code
        ),
        Some(pod_ref(p)),
        true,
    )
}

/// A pod found Running but not Ready, at the time its readiness changed.
fn not_ready(p: &PodInfo, now: Timestamp) -> Change {
    Change::new(
        p.ready_changed.unwrap_or(now),
        ChangeKind::Pod,
        format!(
            "{}: Running but not Ready ({}/{})",
            pod_name(p),
            p.ready,
            p.total
        ),
        Some(pod_ref(p)),
        true,
    )
}

/// How long after a container's end its pod's Ready condition may turn
/// False: a spell of unreadiness that begins this soon after a told problem
/// (a kill, a back-off) is part of it.
const READY_LAG: SignedDuration = SignedDuration::from_secs(5);

/// What became different between two versions of a pod, in the order it
/// happened: a kill before the back-off it causes. What the object does not
/// date is stamped `now`, but never before the termination that led to it.
/// `told`: when the ring last told of a problem with this pod; Running but
/// not Ready is told once a spell (the pod's Ready condition unchanged), and
/// not when the spell came with a problem already told (a container killed,
/// backing off, then running again but not Ready yet).
pub fn pod_changes(
    old: &PodInfo,
    new: &PodInfo,
    now: Timestamp,
    told: Option<Timestamp>,
) -> Vec<Change> {
    let mut out = Vec::new();
    let killed = new.last_termination.as_ref().filter(|t| t.oom_killed());
    if let Some(t) = killed
        && old
            .last_termination
            .as_ref()
            .map(|o| (o.finished_at, &o.container))
            != Some((t.finished_at, &t.container))
    {
        out.push(oom_kill(new, t, now));
    }
    let after = new
        .last_termination
        .as_ref()
        .and_then(|t| t.finished_at)
        .map_or(now, |t| t.max(now));
    let change = |text: String, bad: bool| {
        Change::new(after, ChangeKind::Pod, text, Some(pod_ref(new)), bad)
    };
    let name = pod_name(new);
    if new.status == "CrashLoopBackOff" && old.status != "CrashLoopBackOff" {
        out.push(change(format!("{name}: CrashLoopBackOff"), true));
    }
    let spell = new.ready_changed.unwrap_or(now);
    let told =
        !out.is_empty() || told.is_some_and(|t| t.checked_add(READY_LAG).is_ok_and(|t| t >= spell));
    // A pod on its way out (a rollout or a scale-down ending it) is no
    // longer becoming anything; one that finished (Completed) did not recover.
    let serving = new.total > 0 && new.ready >= new.total;
    match (old.health, new.health) {
        _ if new.deleting => {}
        (h, Health::NotReady) if h != Health::NotReady && !told => out.push(not_ready(new, now)),
        (Health::NotReady | Health::Failing, Health::Ok) if serving => out.push(Change::new(
            new.ready_changed.unwrap_or(now),
            ChangeKind::Pod,
            format!("{name}: recovered, Ready {}/{}", new.ready, new.total),
            Some(pod_ref(new)),
            false,
        )),
        // A CrashLoopBackOff is told above, an OOM kill by its termination.
        (h, Health::Failing)
            if h != Health::Failing
                && new.status != "CrashLoopBackOff"
                && !(new.status == "OOMKilled" && killed.is_some()) =>
        {
            out.push(change(format!("{name}: {}", new.status), true))
        }
        _ => {}
    }
    out
}

/// What a pod seen for the first time (listed) tells of the last `since`:
/// its containers' OOM kills, current and last, and since when it has been
/// Running but not Ready.
pub fn backfill_pod(p: &PodInfo, since: Timestamp, now: Timestamp) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for c in &p.containers {
        let current = match &c.state {
            ContainerState::Terminated(t) => Some(t),
            _ => None,
        };
        for t in c.last.iter().chain(current) {
            if t.oom_killed() && t.finished_at.is_some_and(|f| f >= since) {
                out.push(oom_kill(p, t, now));
            }
        }
    }
    if p.health == Health::NotReady && p.ready_changed.is_some_and(|t| t >= since) {
        out.push(not_ready(p, now));
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

fn workload_name(w: &WorkloadInfo) -> String {
    format!("{} {}/{}", w.kind.name(), w.namespace, w.name)
}

fn rollout_started(name: &str, from: Option<&str>, to: Option<&str>, images: &[String]) -> String {
    let revision = match (from, to) {
        (Some(a), Some(b)) => format!(", revision {a} → {b}"),
        (None, Some(b)) => format!(", revision {b}"),
        _ => String::new(),
    };
    format!("{name}: rollout started{revision} ({})", images.join(", "))
}

/// What became different between two versions of a workload. A rollout
/// starts when the template the controller rolls towards changes (a
/// DaemonSet names none: when pods of an older template appear), and
/// completes or stalls from there; replicas that stop being ready are not
/// a rollout (see [`Rollout`]).
pub fn workload_changes(old: &WorkloadInfo, new: &WorkloadInfo, now: Timestamp) -> Vec<Change> {
    let mut out = Vec::new();
    let name = workload_name(new);
    let change =
        |kind, text: String, bad| Change::new(now, kind, text, Some(workload_ref(new)), bad);
    let rolling = |w: &WorkloadInfo| matches!(w.rollout, Rollout::Progressing { .. });
    let new_template = new.template.is_some() && new.template != old.template;
    let started = match new.kind {
        WorkloadKind::DaemonSet => rolling(new) && !rolling(old),
        _ => new_template,
    };
    if started {
        out.push(change(
            ChangeKind::Rollout,
            rollout_started(
                &name,
                old.template.as_deref(),
                new.template.as_deref(),
                &new.images,
            ),
            false,
        ));
    }
    match (&old.rollout, &new.rollout) {
        (Rollout::Progressing { .. } | Rollout::Stalled { .. }, Rollout::Complete) => {
            out.push(change(
                ChangeKind::Rollout,
                format!(
                    "{name}: rollout complete, {}/{} ready",
                    new.ready, new.desired
                ),
                false,
            ))
        }
        // A stall read off the same update that moved to a new template
        // belongs to the template left behind.
        (o, Rollout::Stalled { reason, message })
            if !matches!(o, Rollout::Stalled { .. }) && !new_template =>
        {
            out.push(change(
                ChangeKind::Rollout,
                format!("{name}: rollout stalled: {reason}: {message}"),
                true,
            ))
        }
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

/// What an HPA decided: a new replica count (with the metrics that made
/// it), reaching its maximum while it wants more, and losing the ability
/// to scale. The workload's own "scaled 3 → 6" follows from the watch of
/// the workload; this says why.
pub fn hpa_changes(
    old: &crate::model::autoscaler::HpaInfo,
    new: &crate::model::autoscaler::HpaInfo,
    now: Timestamp,
) -> Vec<Change> {
    let mut out = Vec::new();
    let object = ObjectRef {
        kind: "HorizontalPodAutoscaler".into(),
        namespace: new.namespace.clone(),
        name: new.name.clone(),
    };
    let change =
        |text: String, bad| Change::new(now, ChangeKind::Scale, text, Some(object.clone()), bad);
    let name = format!("HPA {}/{}", new.namespace, new.name);
    if old.desired != new.desired && new.desired > 0 {
        let why = if new.metrics.is_empty() {
            String::new()
        } else {
            format!(" ({})", new.metrics.join(", "))
        };
        out.push(change(
            format!(
                "{name}: wants {} → {} replicas of {} {}{why}",
                old.desired, new.desired, new.target_kind, new.target_name
            ),
            false,
        ));
    }
    if new.pinned_at_max().is_some() && old.pinned_at_max().is_none() {
        out.push(change(
            format!(
                "{name}: at its maximum ({}) and the load wants more (ScalingLimited TooManyReplicas)",
                new.max
            ),
            true,
        ));
    }
    if let Some(why) = new.not_scaling()
        && old.not_scaling().is_none()
    {
        out.push(change(format!("{name}: cannot scale: {why}"), true));
    }
    out
}

/// What a list of ReplicaSets tells of the last `since`: each revision of
/// a Deployment whose ReplicaSet was made in that time is a rollout started
/// then. (A rollback takes an old ReplicaSet back: when is not written
/// down, so it is told only from when the console watches.)
pub fn backfill_revisions<'a>(
    sets: impl IntoIterator<Item = &'a ReplicaSetInfo>,
    since: Timestamp,
) -> Vec<Change> {
    let sets: Vec<&ReplicaSetInfo> = sets.into_iter().collect();
    let mut out = Vec::new();
    for rs in &sets {
        let (Some(deployment), Some(created)) = (&rs.deployment, rs.created) else {
            continue;
        };
        if created < since {
            continue;
        }
        // The revision it was made as: its first, if a rollback renumbered it.
        let Some(made_as) = rs.revision_history.iter().copied().chain(rs.revision).min() else {
            continue;
        };
        let before = sets
            .iter()
            .filter(|o| o.namespace == rs.namespace && o.deployment == rs.deployment)
            .flat_map(|o| o.revision_history.iter().copied().chain(o.revision))
            .filter(|r| *r < made_as)
            .max();
        let name = format!("Deployment {}/{deployment}", rs.namespace);
        out.push(Change::new(
            created,
            ChangeKind::Rollout,
            rollout_started(
                &name,
                before.map(|r| r.to_string()).as_deref(),
                Some(&made_as.to_string()),
                &rs.images,
            ),
            Some(ObjectRef {
                kind: "Deployment".into(),
                namespace: rs.namespace.clone(),
                name: deployment.clone(),
            }),
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

/// A warning event of a first list, if it was last seen within `since`.
pub fn backfill_warning(e: &EventInfo, since: Timestamp, now: Timestamp) -> Option<Change> {
    warning(None, e, now).filter(|c| c.at >= since && e.last_seen.is_some())
}

#[cfg(test)]
mod tests;
