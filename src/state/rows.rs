//! Recomputing the rows of each table from the cluster data, once per batch
//! of messages (not once per message, and never while drawing). The
//! selection follows its object when rows move.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};

use crate::model::ObjectKey;
use crate::model::event::EventInfo;
use crate::model::pod_health::{Health, Owner, PodInfo};
use crate::model::workload::WorkloadKind;

use super::cursor::Cursor;
use super::tables::PodRow;
use super::{State, View};
use crate::keys::PodColumn;
use crate::model::cluster::ClusterData;

/// How far back a restart or termination keeps a healthy-looking pod among
/// the problems (an OOM loop is Running and Ready between kills).
pub const RECENT: SignedDuration = SignedDuration::from_hours(1);

/// What changed in one kind of object since its rows were last computed.
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// Everything: recompute from scratch (a relist, a new sort or filter).
    pub all: bool,
    /// Only these objects: patched into the sorted rows.
    pub keys: HashSet<ObjectKey>,
}

impl Changed {
    pub fn any(&self) -> bool {
        self.all || !self.keys.is_empty()
    }
    pub fn everything(&mut self) {
        self.all = true;
        self.keys.clear();
    }
    pub fn object(&mut self, key: ObjectKey) {
        if !self.all {
            self.keys.insert(key);
        }
    }
}

/// Which tables need their rows recomputed. Rows are brought up to date
/// only for the view on screen and only when it is drawn, so 50 pod updates
/// a second cost a few small patches, not fifty sorts of 10,000 rows.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    pub pods: Changed,
    pub workloads: bool,
    pub events: Changed,
    pub nodes: bool,
    pub alerts: bool,
    /// The browse view's rows: its kind's [`Lens`] reads the watched data.
    pub browse: bool,
}

impl Pending {
    pub fn everything() -> Pending {
        Pending {
            pods: Changed {
                all: true,
                keys: HashSet::new(),
            },
            workloads: true,
            events: Changed {
                all: true,
                keys: HashSet::new(),
            },
            nodes: true,
            alerts: true,
            browse: true,
        }
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
    /// Brings the rows of the view on screen up to date with what changed.
    /// Called before drawing and around keys; other views wait until shown.
    pub fn refresh_view(&mut self) {
        match self.view {
            View::Pods if self.pending.pods.any() => {
                let changed = std::mem::take(&mut self.pending.pods);
                let keep = self.selected_pod_row();
                let full = changed.all
                    || self.pods.group_by_workload
                    || self.pods.sort.column == PodColumn::Memory;
                if full {
                    self.pods.rows = self.pod_rows();
                } else {
                    self.patch_pod_rows(&changed.keys);
                }
                let idx = keep.and_then(|k| self.pods.rows.iter().position(|r| *r == k));
                self.pods.cursor.settle(idx, self.pods.rows.len());
            }
            View::Workloads if self.pending.workloads => {
                self.pending.workloads = false;
                let keep = self
                    .workloads
                    .rows
                    .get(self.workloads.cursor.selected)
                    .cloned();
                self.workloads.rows = self.workload_rows();
                let idx = keep.and_then(|k| self.workloads.rows.iter().position(|r| *r == k));
                self.workloads.cursor.settle(idx, self.workloads.rows.len());
            }
            View::Events if self.pending.events.any() => {
                let changed = std::mem::take(&mut self.pending.events);
                let keep = self.events.rows.get(self.events.cursor.selected).cloned();
                if changed.all {
                    self.events.rows = self.event_rows();
                } else {
                    self.patch_event_rows(&changed.keys);
                }
                let idx = keep.and_then(|k| self.events.rows.iter().position(|r| *r == k));
                self.events.cursor.settle(idx, self.events.rows.len());
            }
            View::Nodes if self.pending.nodes => {
                self.pending.nodes = false;
                let keep = self.nodes.rows.get(self.nodes.cursor.selected).cloned();
                self.nodes.rows = self.node_rows();
                self.nodes.totals = match self.namespace {
                    None => Some(self.cluster.node_requests()),
                    Some(_) => self.cluster.node_requests_polled.clone(),
                };
                let idx = keep.and_then(|k| self.nodes.rows.iter().position(|r| *r == k));
                self.nodes.cursor.settle(idx, self.nodes.rows.len());
            }
            View::Alerts if self.pending.alerts => {
                self.pending.alerts = false;
                let keep = super::alerts::selected(self).map(|a| a.fingerprint.clone());
                self.alerts_view.rows = super::alerts::rows(self);
                let idx = keep.and_then(|fp| {
                    self.alerts_view.rows.iter().position(|r| match r {
                        super::alerts::AlertRow::Alert(i) => self
                            .alerts
                            .feed
                            .get(*i)
                            .is_some_and(|a| a.fingerprint == fp),
                        super::alerts::AlertRow::Heading(..) => false,
                    })
                });
                let len = self.alerts_view.rows.len();
                self.alerts_view.cursor.settle(idx, len);
                // A heading is not something to act on: start on its first alert.
                let c = &mut self.alerts_view.cursor;
                if matches!(
                    self.alerts_view.rows.get(c.selected),
                    Some(super::alerts::AlertRow::Heading(..))
                ) && c.selected + 1 < len
                {
                    c.selected += 1;
                }
            }
            View::Browse if self.pending.browse => {
                self.pending.browse = false;
                self.browse.rebuild(&self.cluster, self.now);
            }
            _ => return,
        }
        self.dirty = true;
    }

    /// Everything the current view shows must be recomputed (its filter,
    /// sort or toggles changed).
    pub fn rows_changed(&mut self) {
        match self.view {
            View::Pods => self.pending.pods.everything(),
            View::Workloads => self.pending.workloads = true,
            View::Events => self.pending.events.everything(),
            View::Nodes => self.pending.nodes = true,
            View::Alerts => self.pending.alerts = true,
            View::Browse => self.pending.browse = true,
        }
    }

    fn pod_visible(&self, p: &PodInfo) -> bool {
        let view = &self.pods;
        if let Some((ns, owner)) = &view.owner
            && (p.namespace != *ns || p.owner.as_ref() != Some(owner))
        {
            return false;
        }
        if view.problems_only && !pod_has_problem(p, self.now) {
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
    }

    /// Takes the changed pods out of the sorted rows and puts back those
    /// still shown, each at its place: O(rows) moves, O(changed · log rows)
    /// comparisons, no full sort.
    fn patch_pod_rows(&mut self, changed: &HashSet<ObjectKey>) {
        let sort = self.pods.sort;
        let now = self.now;
        let order = |a: &PodInfo, b: &PodInfo| {
            let o = compare_pods(sort.column, now, a, b);
            if sort.descending { o.reverse() } else { o }
        };
        let mut rows = std::mem::take(&mut self.pods.rows);
        rows.retain(|r| !matches!(r, PodRow::Pod(k) if changed.contains(k)));
        let mut added: Vec<&PodInfo> = changed
            .iter()
            .filter_map(|k| self.cluster.pods.get(k).map(Box::as_ref))
            .filter(|p| self.pod_visible(p))
            .collect();
        added.sort_by(|a, b| order(a, b));
        let pods = &self.cluster.pods;
        let at: Vec<usize> = added
            .iter()
            .map(|p| {
                rows.partition_point(|r| match r {
                    PodRow::Pod(k) => pods.get(k).is_some_and(|q| order(q, p).is_le()),
                    PodRow::Group { .. } => true,
                })
            })
            .collect();
        self.pods.rows = splice_sorted(rows, at, added.iter().map(|p| PodRow::Pod(p.key())));
    }

    fn event_visible(&self, e: &EventInfo) -> bool {
        let view = &self.events;
        (!view.warnings_only || e.warning)
            && view.object.as_ref().is_none_or(|o| e.object == *o)
            && view.filter.matches(
                [
                    e.reason.as_str(),
                    e.object.name.as_str(),
                    e.object.kind.as_str(),
                    e.message.as_str(),
                    e.namespace.as_str(),
                ],
                None,
            )
    }

    /// As [`Self::patch_pod_rows`], for events newest first.
    fn patch_event_rows(&mut self, changed: &HashSet<ObjectKey>) {
        let mut rows = std::mem::take(&mut self.events.rows);
        rows.retain(|k| !changed.contains(k));
        let mut added: Vec<&EventInfo> = changed
            .iter()
            .filter_map(|k| self.cluster.events.get(k).map(Box::as_ref))
            .filter(|e| self.event_visible(e))
            .collect();
        added.sort_by(|a, b| newest_first(a, b));
        let events = &self.cluster.events;
        let at: Vec<usize> = added
            .iter()
            .map(|e| {
                rows.partition_point(|k| events.get(k).is_some_and(|q| newest_first(q, e).is_le()))
            })
            .collect();
        self.events.rows = splice_sorted(rows, at, added.iter().map(|e| e.key()));
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
            .map(Box::as_ref)
            .filter(|p| self.pod_visible(p))
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
        let mut rows: Vec<&EventInfo> = self
            .cluster
            .events
            .values()
            .map(Box::as_ref)
            .filter(|e| self.event_visible(e))
            .collect();
        rows.sort_by(|a, b| newest_first(a, b));
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
            View::Alerts => self.alerts_view.rows.len(),
            View::Browse => self.browse.rows.len(),
        }
    }

    pub fn cursor_mut(&mut self) -> &mut Cursor {
        match self.view {
            View::Pods => &mut self.pods.cursor,
            View::Workloads => &mut self.workloads.cursor,
            View::Events => &mut self.events.cursor,
            View::Nodes => &mut self.nodes.cursor,
            View::Alerts => &mut self.alerts_view.cursor,
            View::Browse => &mut self.browse.cursor,
        }
    }

    /// The selected pod in the pods view (not a group heading).
    pub fn selected_pod(&self) -> Option<&PodInfo> {
        match self.pods.rows.get(self.pods.cursor.selected)? {
            PodRow::Pod(k) => self.cluster.pods.get(k).map(Box::as_ref),
            PodRow::Group { .. } => None,
        }
    }
}

/// Newest first by the time an event was last seen; events with no time at
/// all go last; ties by namespace and name so the order is stable.
fn newest_first(a: &EventInfo, b: &EventInfo) -> Ordering {
    b.last_seen
        .cmp(&a.last_seen)
        .then_with(|| a.namespace.cmp(&b.namespace))
        .then_with(|| a.name.cmp(&b.name))
}

/// Inserts `items` (sorted, with their non-decreasing insertion points `at`
/// in `rows`) in one pass.
fn splice_sorted<T>(rows: Vec<T>, at: Vec<usize>, items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out = Vec::with_capacity(rows.len() + at.len());
    let mut inserts = at.into_iter().zip(items).peekable();
    for (i, row) in rows.into_iter().enumerate() {
        while let Some((_, item)) = inserts.next_if(|(idx, _)| *idx <= i) {
            out.push(item);
        }
        out.push(row);
    }
    out.extend(inserts.map(|(_, item)| item));
    out
}
