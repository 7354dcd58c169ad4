//! Recomputing the rows of each table from the cluster data, once per batch
//! of messages (not once per message, and never while drawing). The
//! selection follows its object when rows move.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::model::ObjectKey;
use crate::model::pod_health::{Health, Owner, PodInfo};
use crate::model::workload::WorkloadKind;

use super::tables::{PodColumn, PodRow, TableCursor};
use super::{ClusterData, State, View};

/// How far back a restart or termination keeps a healthy-looking pod among
/// the problems (an OOM loop is Running and Ready between kills).
pub const RECENT: SignedDuration = SignedDuration::from_hours(1);

/// Which tables need their rows recomputed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stale {
    pub pods: bool,
    pub workloads: bool,
    pub events: bool,
    pub nodes: bool,
}

impl Stale {
    pub const ALL: Stale = Stale {
        pods: true,
        workloads: true,
        events: true,
        nodes: true,
    };
    pub fn any(self) -> bool {
        self.pods || self.workloads || self.events || self.nodes
    }
    pub fn merge(&mut self, other: Stale) {
        self.pods |= other.pods;
        self.workloads |= other.workloads;
        self.events |= other.events;
        self.nodes |= other.nodes;
    }
}

/// A pod an on-call engineer should look at: not Ok, or Ok but restarted or
/// terminated abnormally within the last hour.
pub fn pod_has_problem(pod: &PodInfo, now: Timestamp) -> bool {
    if pod.health != Health::Ok {
        return true;
    }
    let recent = |t: Option<Timestamp>| t.is_some_and(|t| now.duration_since(t) <= RECENT);
    recent(pod.last_restart)
        || pod
            .last_termination
            .as_ref()
            .is_some_and(|t| t.reason != "Completed" && recent(t.finished_at))
}

/// Problems first: failing, running-but-not-ready, on its way, healthy but
/// restarted or killed within the hour (an OOM loop between kills), healthy.
fn health_rank(pod: &PodInfo, now: Timestamp) -> u8 {
    match pod.health {
        Health::Failing => 0,
        Health::NotReady => 1,
        Health::Progressing => 2,
        Health::Ok if pod_has_problem(pod, now) => 3,
        Health::Ok => 4,
    }
}

/// Memory use as a fraction of the limit, or raw bytes when unlimited
/// (ranked after every limited pod): what "closest to an OOMKill" sorts by.
fn memory_key(data: &ClusterData, pod: &PodInfo) -> (u8, f64) {
    let Some(usage) = data.pod_usage.get(&pod.key()) else {
        return (0, 0.0);
    };
    match pod.limits.memory_bytes {
        Some(limit) if limit > 0 => (2, usage.memory_bytes as f64 / limit as f64),
        _ => (1, usage.memory_bytes as f64),
    }
}

fn compare_pods(column: PodColumn, now: Timestamp, a: &PodInfo, b: &PodInfo) -> Ordering {
    let by_key = || {
        a.namespace
            .cmp(&b.namespace)
            .then_with(|| a.name.cmp(&b.name))
    };
    let primary = match column {
        PodColumn::Namespace | PodColumn::Name => Ordering::Equal,
        PodColumn::Ready => (a.ready, a.total).cmp(&(b.ready, b.total)),
        PodColumn::Status => health_rank(a, now)
            .cmp(&health_rank(b, now))
            .then_with(|| a.status.cmp(&b.status)),
        // Most restarts first reads naturally; descending flips it.
        PodColumn::Restarts => b.restarts.cmp(&a.restarts),
        // Most recent termination first.
        PodColumn::LastTermination => {
            let t = |p: &PodInfo| p.last_termination.as_ref().and_then(|t| t.finished_at);
            t(b).cmp(&t(a))
        }
        // Sorted with precomputed keys in `visible_pods`.
        PodColumn::Memory => Ordering::Equal,
        PodColumn::Node => a.node.cmp(&b.node),
        // Youngest first.
        PodColumn::Age => b.created.cmp(&a.created),
    };
    if column == PodColumn::Name {
        a.name
            .cmp(&b.name)
            .then_with(|| a.namespace.cmp(&b.namespace))
    } else {
        primary.then_with(by_key)
    }
}

impl State {
    /// Recomputes the rows of the tables marked stale and keeps each cursor
    /// on the object it was on.
    pub fn refresh(&mut self, stale: Stale) {
        if stale.pods {
            let keep = self.selected_pod_row();
            self.pods.rows = self.pod_rows();
            let idx = keep.and_then(|k| self.pods.rows.iter().position(|r| *r == k));
            settle(&mut self.pods.cursor, idx, self.pods.rows.len());
        }
        if stale.workloads {
            let keep = self
                .workloads
                .rows
                .get(self.workloads.cursor.selected)
                .cloned();
            self.workloads.rows = self.workload_rows();
            let idx = keep.and_then(|k| self.workloads.rows.iter().position(|r| *r == k));
            settle(&mut self.workloads.cursor, idx, self.workloads.rows.len());
        }
        if stale.events {
            let keep = self.events.rows.get(self.events.cursor.selected).cloned();
            self.events.rows = self.event_rows();
            let idx = keep.and_then(|k| self.events.rows.iter().position(|r| *r == k));
            settle(&mut self.events.cursor, idx, self.events.rows.len());
        }
        if stale.nodes {
            let keep = self.nodes.rows.get(self.nodes.cursor.selected).cloned();
            self.nodes.rows = self.node_rows();
            let idx = keep.and_then(|k| self.nodes.rows.iter().position(|r| *r == k));
            settle(&mut self.nodes.cursor, idx, self.nodes.rows.len());
        }
        if stale.any() {
            self.dirty = true;
        }
    }

    fn selected_pod_row(&self) -> Option<PodRow> {
        self.pods.rows.get(self.pods.cursor.selected).cloned()
    }

    /// The pods the pods view shows, before grouping.
    fn visible_pods(&self) -> Vec<&PodInfo> {
        let view = &self.pods;
        let now = self.now;
        let mut pods: Vec<&PodInfo> = self
            .cluster
            .pods
            .values()
            .filter(|p| {
                if let Some((ns, owner)) = &view.owner
                    && (p.namespace != *ns || p.owner.as_ref() != Some(owner))
                {
                    return false;
                }
                if view.problems_only && !pod_has_problem(p, now) {
                    return false;
                }
                view.filter.matches(
                    [
                        p.name.as_str(),
                        p.namespace.as_str(),
                        p.status.as_str(),
                        p.node.as_deref().unwrap_or(""),
                    ],
                    Some(&p.labels),
                )
            })
            .collect();
        let sort = view.sort;
        let flip = |o: Ordering| if sort.descending { o.reverse() } else { o };
        if sort.column == PodColumn::Memory {
            // Closest to its limit first; keys computed once, not per comparison.
            let mut keyed: Vec<_> = pods
                .into_iter()
                .map(|p| (memory_key(&self.cluster, p), p))
                .collect();
            keyed.sort_by(|(ka, a), (kb, b)| {
                flip(
                    kb.0.cmp(&ka.0)
                        .then_with(|| kb.1.partial_cmp(&ka.1).unwrap_or(Ordering::Equal))
                        .then_with(|| compare_pods(PodColumn::Namespace, now, a, b)),
                )
            });
            return keyed.into_iter().map(|(_, p)| p).collect();
        }
        pods.sort_by(|a, b| flip(compare_pods(sort.column, now, a, b)));
        pods
    }

    fn pod_rows(&self) -> Vec<PodRow> {
        let pods = self.visible_pods();
        if !self.pods.group_by_workload {
            return pods.into_iter().map(|p| PodRow::Pod(p.key())).collect();
        }
        // Groups keep the pods' sort order inside; groups with failing pods
        // come first, then not-ready ones, then by name.
        let mut groups: BTreeMap<(String, Option<Owner>), Vec<&PodInfo>> = BTreeMap::new();
        for p in pods {
            groups
                .entry((p.namespace.clone(), p.owner.clone()))
                .or_default()
                .push(p);
        }
        let mut groups: Vec<_> = groups.into_iter().collect();
        let count = |ps: &[&PodInfo], h: Health| ps.iter().filter(|p| p.health == h).count();
        groups.sort_by_key(|(_, ps)| {
            (
                count(ps, Health::Failing) == 0,
                count(ps, Health::NotReady) == 0,
            )
        });
        let mut rows = Vec::new();
        for ((namespace, owner), ps) in groups {
            rows.push(PodRow::Group {
                namespace,
                owner,
                pods: ps.len(),
                not_ready: count(&ps, Health::NotReady),
                failing: count(&ps, Health::Failing),
            });
            rows.extend(ps.into_iter().map(|p| PodRow::Pod(p.key())));
        }
        rows
    }

    fn workload_rows(&self) -> Vec<(WorkloadKind, ObjectKey)> {
        let view = &self.workloads;
        let mut rows: Vec<_> = self
            .cluster
            .workloads
            .iter()
            .filter(|(_, w)| !view.problems_only || w.has_problem())
            .filter(|(_, w)| {
                view.filter
                    .matches([w.name.as_str(), w.namespace.as_str()], Some(&w.selector))
            })
            .map(|(k, w)| (!w.has_problem(), k.clone()))
            .collect();
        rows.sort();
        rows.into_iter().map(|(_, k)| k).collect()
    }

    fn event_rows(&self) -> Vec<ObjectKey> {
        let view = &self.events;
        let mut rows: Vec<_> = self
            .cluster
            .events
            .values()
            .filter(|e| !view.warnings_only || e.warning)
            .filter(|e| view.object.as_ref().is_none_or(|o| e.object == *o))
            .filter(|e| {
                view.filter.matches(
                    [
                        e.reason.as_str(),
                        e.object.name.as_str(),
                        e.object.kind.as_str(),
                        e.message.as_str(),
                        e.namespace.as_str(),
                    ],
                    None,
                )
            })
            .collect();
        // Newest first by the time the event was last seen; events with no
        // time at all go last; ties by name so the order is stable.
        rows.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| a.namespace.cmp(&b.namespace))
                .then_with(|| a.name.cmp(&b.name))
        });
        rows.into_iter().map(|e| e.key()).collect()
    }

    fn node_rows(&self) -> Vec<String> {
        let view = &self.nodes;
        let mut rows: Vec<_> = self
            .cluster
            .nodes
            .values()
            .filter(|n| !view.problems_only || n.has_problem())
            .filter(|n| view.filter.matches([n.name.as_str()], None))
            .map(|n| (!n.has_problem(), n.name.clone()))
            .collect();
        rows.sort();
        rows.into_iter().map(|(_, n)| n).collect()
    }

    /// How many rows the current view has.
    pub fn row_count(&self) -> usize {
        match self.view {
            View::Pods => self.pods.rows.len(),
            View::Workloads => self.workloads.rows.len(),
            View::Events => self.events.rows.len(),
            View::Nodes => self.nodes.rows.len(),
        }
    }

    pub fn cursor_mut(&mut self) -> &mut TableCursor {
        match self.view {
            View::Pods => &mut self.pods.cursor,
            View::Workloads => &mut self.workloads.cursor,
            View::Events => &mut self.events.cursor,
            View::Nodes => &mut self.nodes.cursor,
        }
    }

    /// The selected pod in the pods view (not a group heading).
    pub fn selected_pod(&self) -> Option<&PodInfo> {
        match self.pods.rows.get(self.pods.cursor.selected)? {
            PodRow::Pod(k) => self.cluster.pods.get(k),
            PodRow::Group { .. } => None,
        }
    }
}

/// Puts the cursor on `idx` if the object is still there, else keeps the
/// index within bounds.
fn settle(cursor: &mut TableCursor, idx: Option<usize>, len: usize) {
    cursor.selected = match idx {
        Some(i) => i,
        None => cursor.selected.min(len.saturating_sub(1)),
    };
    if cursor.offset > cursor.selected {
        cursor.offset = cursor.selected;
    }
}
