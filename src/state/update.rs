//! The reducer: Msg in, State changed, Effects out.

use std::collections::HashMap;
use std::hash::Hash;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};

use crate::model::ObjectKey;
use crate::model::event::{EVENTS_KEPT, EventInfo};

use super::{Effect, Msg, NOTICE_LIMIT, Notice, Severity, State, View};
use crate::model::cluster::{Change, ClusterChange, Metrics, Resource, WatchHealth};

/// Applies one Msg and brings the visible rows up to date (what tests and
/// one-off callers want).
#[must_use = "the effects are for the executor to run"]
pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = update_batch(state, std::iter::once(msg));
    state.refresh_view();
    effects
}

/// Applies every Msg of a batch. Rows are not recomputed here: the event
/// loop calls [`State::refresh_view`] right before it draws, so a burst of
/// deltas between two frames costs one patch of the visible table.
#[must_use = "the effects are for the executor to run"]
pub fn update_batch(state: &mut State, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    let mut effects = Vec::new();
    for msg in msgs {
        apply(state, msg, &mut effects);
    }
    super::timeline::flush(state, &mut effects);
    // Node rows are node-wide: in a namespaced session the other
    // namespaces' requests are polled while the nodes view is shown.
    let node_load = state.view == View::Nodes && state.namespace.is_some();
    if node_load != state.node_load {
        state.node_load = node_load;
        effects.push(Effect::NodeLoad(node_load));
    }
    // A resource opened with `:` is watched only while it is shown.
    let browse = super::browse::wanted(state);
    if browse != state.browsing {
        match &browse {
            Some(_) => state
                .cluster
                .watches
                .insert(Resource::Browsed, WatchHealth::Syncing),
            None => state.cluster.watches.remove(&Resource::Browsed),
        };
        state.browsing = browse.clone();
        effects.push(Effect::Browse(browse));
    }
    effects
}

fn apply(state: &mut State, msg: Msg, effects: &mut Vec<Effect>) {
    match msg {
        Msg::Ticked(now) => {
            // Ages and "(4m ago)" move with the clock; problems-only depends on it.
            if now.as_second() != state.now.as_second() {
                state.dirty = true;
            }
            // "Restarted within the hour" ages out: re-rank once a minute.
            if now.as_second() / 60 != state.now.as_second() / 60 {
                state.pending.pods.everything();
            }
            state.now = now;
            super::actions::tick(state);
            super::alerts::tick(state, effects);
        }
        Msg::Drawn {
            table_rows,
            layout,
            detail_scroll_max,
        } => {
            state.table_rows = table_rows;
            // Whether `y` is offered follows what was drawn: draw again.
            if layout.confirm != state.layout.confirm {
                state.dirty = true;
            }
            state.layout = layout;
            state.detail_scroll = state.detail_scroll.min(detail_scroll_max);
        }
        Msg::Safety(readonly) => {
            state.readonly = readonly;
            // A read-only session offers no change: close what was pending.
            if readonly.is_some() {
                state.overlay.close_confirm();
            }
            state.dirty = true;
        }
        Msg::HistoryLoaded { request, result } => {
            super::history::loaded(state, request, result, effects)
        }
        Msg::JournalSaved(entries) => super::timeline::saved(state, entries),
        Msg::JournalFailed(error) => super::timeline::failed(state, error),
        Msg::Notice(severity, text) => notice(state, severity, text),
        Msg::Resumable(ids) => state.timeline.resumable = ids,
        Msg::IncidentCreated(meta) => {
            if let Some(i) = state.timeline.open.as_mut() {
                i.meta = meta;
            }
        }
        Msg::IncidentResumed {
            meta,
            entries,
            report,
        } => super::timeline::resumed(state, meta, entries, report),
        Msg::YamlFetched { request, result } => super::browse::yaml_fetched(state, request, result),
        Msg::IncidentExported(result) => {
            let (severity, text) = match result {
                Ok(path) => (Severity::Info, format!("exported to {}", path.display())),
                Err(e) => (Severity::Error, e),
            };
            notice(state, severity, text);
        }
        Msg::AlertsConfigured {
            feed,
            names,
            failed,
        } => {
            let a = &mut state.alerts;
            a.feed_id = feed;
            a.configured = names;
            a.failed = failed;
            a.polled_at = None;
            a.from_alertmanagers.clear();
            let now = state.now;
            super::alerts::rebuild_now(state, now, effects);
        }
        Msg::AlertsPolled { feed, at, report } => {
            super::alerts::polled(state, feed, at, report, effects)
        }
        Msg::AccessReviewed(answers) => super::actions::access_reviewed(state, answers),
        Msg::DryRunDone { id, result } => super::actions::dry_run_done(state, id, result),
        Msg::ActionDone { id, record } => super::actions::action_done(state, id, record, effects),
        Msg::Resized { width, height } => {
            state.width = width;
            state.height = height;
            state.dirty = true;
        }
        Msg::KeyPressed(key) => {
            if key.kind == KeyEventKind::Release {
                return;
            }
            // Keys act on current rows: apply what arrived before them first.
            state.refresh_view();
            super::input::key(state, key, effects);
            state.refresh_view();
            state.dirty = true;
        }
        Msg::Mouse(mouse) => {
            if let MouseEventKind::Down(MouseButton::Left) = mouse.kind {
                state.refresh_view();
                super::input::click(state, mouse.column, mouse.row, effects);
                state.refresh_view();
                state.dirty = true;
                return;
            }
            let action = match mouse.kind {
                MouseEventKind::ScrollDown => Some(crate::keys::Action::Down),
                MouseEventKind::ScrollUp => Some(crate::keys::Action::Up),
                _ => None,
            };
            if let Some(action) = action {
                state.refresh_view();
                // The wheel scrolls whatever is on screen: the open pane,
                // else the table.
                super::input::wheel(state, action, effects);
                state.dirty = true;
            }
        }
        Msg::Logs { session, event } => super::logs::event(state, session, event),
        Msg::LogsSaved { path, result } => {
            let (severity, text) = match result {
                Ok(lines) => (
                    Severity::Info,
                    format!("saved {lines} lines to {}", path.display()),
                ),
                Err(e) => (Severity::Error, e),
            };
            notice(state, severity, text);
        }
        Msg::Cluster { generation, change } => {
            // Late messages from watchers of a previous namespace/context.
            if generation != state.generation {
                return;
            }
            let change = match change {
                ClusterChange::Discovered(found) => {
                    return super::browse::discovered(state, found, effects);
                }
                ClusterChange::Browse { resource, change } => {
                    return super::browse::changed(state, &resource, change);
                }
                other => other,
            };
            let workloads = matches!(change, ClusterChange::Workloads(..));
            // The detectors look again at the next second.
            if matches!(
                change,
                ClusterChange::Pods(_)
                    | ClusterChange::Workloads(..)
                    | ClusterChange::Autoscalers(_)
                    | ClusterChange::Quotas(_)
                    | ClusterChange::Services(_)
                    | ClusterChange::EndpointSlices(_)
                    | ClusterChange::Jobs(_)
                    | ClusterChange::Nodes(_)
                    | ClusterChange::Metrics { .. }
                    | ClusterChange::WatchUp(_)
            ) {
                state.alerts.detect_pending = true;
            }
            if let ClusterChange::Connected(_) = &change {
                // Another cluster or user: earlier answers say nothing.
                state.actions.access.clear();
                state.actions.asked.clear();
            }
            record_changes(state, &change);
            cluster_change(state, change);
            if workloads {
                super::history::workloads_changed(state, effects);
            }
        }
    }
}

/// Puts what became different into the what-changed ring, comparing each
/// applied object with the one it replaces (before it is replaced); a list
/// from scratch back-fills what it tells of the past.
fn record_changes(state: &mut State, change: &ClusterChange) {
    use crate::model::changes;
    let now = state.now;
    let data = &state.cluster;
    let ring = &state.changes;
    let found: Vec<changes::Change> = match change {
        ClusterChange::Pods(Change::Applied(items)) => items
            .iter()
            .filter_map(|new| Some((data.pods.get(&new.key())?, new)))
            .flat_map(|(old, new)| {
                let told = ring.pod_problem(&new.namespace, &new.name);
                changes::pod_changes(old, new, now, told)
            })
            .collect(),
        ClusterChange::Workloads(kind, Change::Applied(items)) => items
            .iter()
            .filter_map(|new| Some((data.workloads.get(&(*kind, new.key()))?, new)))
            .flat_map(|(old, new)| changes::workload_changes(old, new, now))
            .collect(),
        ClusterChange::Autoscalers(Change::Applied(items)) => items
            .iter()
            .filter_map(|new| Some((data.hpas.get(&new.key())?, new)))
            .flat_map(|(old, new)| changes::hpa_changes(old, new, now))
            .collect(),
        // Events are news in themselves: a warning seen for the first
        // time, or reaching ×10, ×100….
        ClusterChange::Events(Change::Applied(items)) => items
            .iter()
            .filter_map(|new| changes::warning(data.events.get(&new.key()).map(|b| &**b), new, now))
            .collect(),
        // A node's warnings (memory pressure, evictions) are news in a
        // namespaced session too.
        ClusterChange::NodeEvents(Change::Applied(items)) => items
            .iter()
            .filter_map(|new| {
                changes::warning(data.node_events.get(&new.key()).map(|b| &**b), new, now)
            })
            .collect(),
        ClusterChange::Pods(Change::Replaced(_))
        | ClusterChange::Workloads(_, Change::Replaced(_))
        | ClusterChange::ReplicaSets(Change::Replaced(_))
        | ClusterChange::Events(Change::Replaced(_)) => {
            super::changes::listed(state, change);
            return;
        }
        _ => Vec::new(),
    };
    for c in found {
        super::timeline::record(state, c);
    }
}

fn cluster_change(state: &mut State, change: ClusterChange) {
    let data = &mut state.cluster;
    let pending = &mut state.pending;
    if !matches!(change, ClusterChange::WatchUp(_)) {
        state.dirty = true;
    }
    match change {
        ClusterChange::Pods(c) => {
            mark(&mut pending.pods, &c, |p| p.key());
            apply_change(&mut data.pods, c, |p| p.key());
            // Node requests are sums over pods.
            pending.nodes = true;
        }
        ClusterChange::Workloads(kind, c) => {
            match c {
                Change::Replaced(items) => {
                    data.workloads.retain(|(k, _), _| *k != kind);
                    data.workloads
                        .extend(items.into_iter().map(|w| ((w.kind, w.key()), w)));
                }
                Change::Applied(items) => data
                    .workloads
                    .extend(items.into_iter().map(|w| ((w.kind, w.key()), w))),
                Change::Deleted(keys) => {
                    for k in keys {
                        data.workloads.remove(&(kind, k));
                    }
                }
            }
            pending.workloads = true;
        }
        ClusterChange::ReplicaSets(c) => apply_change(&mut data.replicasets, c, |r| r.key()),
        ClusterChange::Autoscalers(c) => {
            apply_change(&mut data.hpas, c, |h| h.key());
            pending.workloads = true;
            pending.browse = true;
        }
        ClusterChange::Quotas(c) => {
            apply_change(&mut data.quotas, c, |q| q.key());
            pending.workloads = true;
        }
        ClusterChange::Services(c) => {
            data.network.apply_services(c, state.now);
            pending.browse = true;
        }
        ClusterChange::EndpointSlices(c) => {
            let lost = data.network.apply_slices(c, state.now);
            pending.browse = true;
            for l in lost {
                super::timeline::record(state, l.change(state.now));
            }
        }
        ClusterChange::Ingresses(c) => {
            data.network.apply_ingresses(c);
            pending.browse = true;
        }
        ClusterChange::Jobs(c) => {
            apply_change(&mut data.jobs, c, |j| j.key());
            pending.browse = true;
        }
        ClusterChange::CronJobs(c) => {
            apply_change(&mut data.cronjobs, c, |j| j.key());
            pending.browse = true;
        }
        ClusterChange::Events(c) => {
            if matches!(c, Change::Replaced(_)) {
                data.events_dropped = 0;
            }
            mark(&mut pending.events, &c, |e| e.key());
            apply_change(&mut data.events, c, |e| e.key());
            let gone = evict_oldest_events(&mut data.events);
            if gone > 0 {
                data.events_dropped += gone;
                pending.events.everything();
            }
        }
        ClusterChange::NodeEvents(c) => {
            apply_change(&mut data.node_events, c, |e| e.key());
            evict_oldest_events(&mut data.node_events);
            pending.nodes = true;
        }
        ClusterChange::NodeRequests(totals) => {
            data.node_requests_polled = Some(totals.into_iter().collect());
            pending.nodes = true;
        }
        ClusterChange::NotAllowed { resource, error } => {
            data.watches
                .insert(resource, WatchHealth::NotAllowed(error));
            if resource == Resource::Nodes {
                data.nodes.clear();
            }
            pending.nodes = true;
            state.dirty = true;
        }
        ClusterChange::Dropped { resource, count } => {
            if resource == Resource::Events {
                data.events_dropped += count;
            }
        }
        ClusterChange::Nodes(c) => {
            apply_change(&mut data.nodes, c, |n| n.name.clone());
            pending.nodes = true;
        }
        ClusterChange::Namespaces(c) => {
            match c {
                Change::Replaced(items) => data.namespaces = items.into_iter().collect(),
                Change::Applied(items) => data.namespaces.extend(items),
                Change::Deleted(keys) => {
                    for k in keys {
                        data.namespaces.remove(&k.name);
                    }
                }
            }
            state.dirty = true;
        }
        ClusterChange::Metrics { pods, nodes, at } => {
            // Updated in place (the poll's strings become the keys): no
            // second 10,000-entry map next to the first.
            let polled: Vec<(ObjectKey, crate::model::usage::Usage)> = pods
                .into_iter()
                .map(|u| {
                    let key = ObjectKey {
                        namespace: u.namespace,
                        name: u.name,
                    };
                    (key, u.usage)
                })
                .collect();
            super::usage::record(data, &polled, at);
            for (key, usage) in polled {
                data.pod_usage.insert(key, usage);
            }
            // Usage of pods that are gone is let go — once the pods are
            // listed: a poll that answers before the first list keeps
            // everything (else the gauges stay empty until the next poll).
            if data.watches.get(&Resource::Pods) == Some(&WatchHealth::Live) {
                let pods_now = &data.pods;
                data.pod_usage.retain(|k, _| pods_now.contains_key(k));
                data.usage_history.retain_pods(|k| pods_now.contains_key(k));
            }
            data.node_usage = nodes.into_iter().map(|u| (u.name, u.usage)).collect();
            data.metrics = Metrics::Served;
            data.watches.insert(Resource::Metrics, WatchHealth::Live);
            if state.pods.sort.column == crate::keys::PodColumn::Memory {
                pending.pods.everything();
            }
            pending.nodes = true;
        }
        // Taken before (they need the effects).
        ClusterChange::Discovered(_) | ClusterChange::Browse { .. } => {}
        ClusterChange::MetricsUnavailable | ClusterChange::MetricsForbidden(_) => {
            data.metrics = match change {
                ClusterChange::MetricsForbidden(why) => Metrics::Forbidden(why),
                _ => Metrics::NotServed,
            };
            data.pod_usage.clear();
            data.node_usage.clear();
            data.usage_history.clear();
            // Not a watch that is down: nothing shown is stale.
            data.watches.insert(Resource::Metrics, WatchHealth::Live);
            pending.nodes = true;
            state.dirty = true;
        }
        ClusterChange::WatchUp(resource) => {
            let was = data.watches.insert(resource, WatchHealth::Live);
            if matches!(was, Some(WatchHealth::Down { .. })) {
                let text = format!("{} watch recovered", resource.plural());
                notice(state, Severity::Info, text);
            }
            state.dirty = true;
        }
        ClusterChange::WatchDown {
            resource,
            error,
            at,
        } => {
            // The outage started at the first failure; retries keep that time.
            let since = match data.watches.get(&resource) {
                Some(WatchHealth::Down { since, .. }) => *since,
                _ => at,
            };
            let first = !matches!(data.watches.get(&resource), Some(WatchHealth::Down { .. }));
            if resource == Resource::Metrics {
                // No usage for a while: a gap in the history, not a zero.
                data.usage_history.failed(at);
            }
            data.watches.insert(
                resource,
                WatchHealth::Down {
                    since,
                    error: error.clone(),
                },
            );
            if first {
                let text = format!("{}: {error}", resource.plural());
                notice(state, Severity::Error, text);
            }
            state.dirty = true;
        }
        ClusterChange::Connected(connection) => {
            state.connection = connection;
            for r in Resource::ALL {
                state
                    .cluster
                    .watches
                    .entry(r)
                    .or_insert(WatchHealth::Syncing);
            }
            state.dirty = true;
        }
        ClusterChange::ConnectFailed { context, error } => {
            let text = if context.is_empty() {
                error
            } else {
                format!("context {context}: {error}")
            };
            notice(state, Severity::Error, text);
        }
    }
}

/// Keeps `events` within `EVENTS_KEPT`; returns how many went. Evicts in
/// batches (a twentieth over the bound) so it stays rare, in place: the
/// oldest by last seen (then by name, as many events share a second) go.
fn evict_oldest_events(events: &mut HashMap<ObjectKey, Box<EventInfo>>) -> usize {
    if events.len() <= EVENTS_KEPT + EVENTS_KEPT / 20 {
        return 0;
    }
    let mut order: Vec<(Option<jiff::Timestamp>, &ObjectKey)> =
        events.iter().map(|(k, e)| (e.last_seen, k)).collect();
    order.select_nth_unstable_by(EVENTS_KEPT, |a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let gone: Vec<ObjectKey> = order[EVENTS_KEPT..]
        .iter()
        .map(|(_, k)| (*k).clone())
        .collect();
    for k in &gone {
        events.remove(k);
    }
    gone.len()
}

/// Records which objects a change touches, for the row patch.
fn mark<T>(changed: &mut super::rows::Changed, change: &Change<T>, key: impl Fn(&T) -> ObjectKey) {
    match change {
        Change::Replaced(_) => changed.everything(),
        Change::Applied(items) => items.iter().for_each(|t| changed.object(key(t))),
        Change::Deleted(keys) => keys.iter().for_each(|k| changed.object(k.clone())),
    }
}

/// Applies a change to a map keyed by `key`.
fn apply_change<T, V, K>(map: &mut HashMap<K, V>, change: Change<T>, key: impl Fn(&T) -> K)
where
    K: Eq + Hash + From<ObjectKey>,
    V: From<T>,
{
    match change {
        Change::Replaced(items) => {
            map.clear();
            map.shrink_to(items.len());
            map.extend(items.into_iter().map(|t| (key(&t), V::from(t))));
        }
        Change::Applied(items) => map.extend(items.into_iter().map(|t| (key(&t), V::from(t)))),
        Change::Deleted(keys) => {
            for k in keys {
                map.remove(&K::from(k));
            }
        }
    }
}

/// Puts a message on screen (bounded).
pub fn notice(state: &mut State, severity: Severity, text: String) {
    if state.notices.len() >= NOTICE_LIMIT {
        state.notices.pop_front();
    }
    state.notices.push_back(Notice {
        severity,
        text,
        at: state.now,
    });
    state.dirty = true;
}

impl From<ObjectKey> for String {
    fn from(k: ObjectKey) -> String {
        k.name
    }
}

/// Keys that are not actions (typing into the prompt) go through here too.
pub(super) fn is_plain_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key.modifiers.intersects(
                crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
            ) =>
        {
            Some(c)
        }
        _ => None,
    }
}
