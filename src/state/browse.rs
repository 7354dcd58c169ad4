//! `:<resource>`: any resource the server serves, custom ones included,
//! read-only, in the columns the server itself prints (`kubectl get`). The
//! word resolves through discovery the way kubectl resolves it; the rows
//! come from a watch in the Table format that runs only while this view
//! is shown ([`Effect::Browse`]). And `y`: any selected object's YAML.

use std::collections::BTreeMap;

use crate::model::ObjectKey;
use crate::model::api_resource::{self, ApiKind, Unresolved};
use jiff::Timestamp;

use crate::model::cluster::{ClusterData, Resource, WatchHealth};
use crate::model::insight::{Lens, Mark};
use crate::model::server_table::{Column, TableChange};

use super::cursor::Cursor;
use super::overlay::Pane;
use super::tables::Filter;
use super::{Effect, Severity, State, View};

/// The resource shown in the browse view, and its rows.
#[derive(Debug, Clone, Default)]
pub struct Browse {
    /// What is shown (the view's title), once resolved.
    pub kind: Option<ApiKind>,
    /// A word typed before discovery answered: opened when it does.
    pub waiting: Option<String>,
    /// The server's columns (every priority; the table shows priority 0).
    pub columns: Vec<Column>,
    /// Every row, by namespace and name: the server's cells.
    pub all: BTreeMap<ObjectKey, Vec<String>>,
    /// What the filter lets through, in order.
    pub rows: Vec<ObjectKey>,
    /// An object to select once it is listed (`enter` on an alert or an
    /// entry about it).
    pub reveal: Option<ObjectKey>,
    pub filter: Filter,
    /// Only rows warroom marks as problems (kinds with a [`Lens`]).
    pub problems_only: bool,
    pub cursor: Cursor,
}

impl Browse {
    /// The selected row's key and cells.
    pub fn selected(&self) -> Option<(&ObjectKey, &Vec<String>)> {
        let key = self.cursor.pick(&self.rows)?;
        Some((key, self.all.get(key)?))
    }

    /// What warroom knows of this kind beyond the server's columns.
    pub fn lens(&self) -> Option<Lens> {
        self.kind.as_ref().and_then(Lens::of)
    }

    /// The rows the filter lets through, problems first for a kind with a
    /// [`Lens`], the selected one kept selected.
    pub(super) fn rebuild(&mut self, cluster: &ClusterData, now: Timestamp) {
        let keep = match &self.reveal {
            Some(k) if self.all.contains_key(k) => self.reveal.take(),
            _ => self.selected().map(|(k, _)| k.clone()),
        };
        let filter = &self.filter;
        self.rows = self
            .all
            .iter()
            .filter(|(key, cells)| {
                filter.matches(
                    std::iter::once(key.name.as_str())
                        .chain(std::iter::once(key.namespace.as_str()))
                        .chain(cells.iter().map(String::as_str)),
                    None,
                )
            })
            .map(|(key, _)| key.clone())
            .collect();
        if let Some(lens) = self.lens() {
            let mark = |k: &ObjectKey| lens.verdict(cluster, k, now).map_or(Mark::Ok, |v| v.mark);
            let mut marked: Vec<(Mark, ObjectKey)> =
                self.rows.drain(..).map(|k| (mark(&k), k)).collect();
            if self.problems_only {
                marked.retain(|(m, _)| m.problem());
            }
            // Stable: keys stay in order within a mark.
            marked.sort_by_key(|(m, _)| *m);
            self.rows = marked.into_iter().map(|(_, k)| k).collect();
        }
        let idx = keep.and_then(|k| self.rows.iter().position(|r| *r == k));
        self.cursor.settle(idx, self.rows.len());
    }
}

/// `:word` for a word that is no built-in command: the resource it names.
pub(super) fn open_word(
    state: &mut State,
    word: &str,
    effects: &mut Vec<Effect>,
) -> Result<(), String> {
    let Some(kinds) = &state.cluster.api_kinds else {
        if let Some(error) = &state.cluster.discovery_error {
            return Err(format!("cannot list what the server serves: {error}"));
        }
        // Discovery has not answered yet: open it when it does.
        state.browse.waiting = Some(word.to_string());
        super::update::notice(
            state,
            Severity::Info,
            format!("asking the server what {word:?} is…"),
        );
        return Ok(());
    };
    match api_resource::resolve(kinds, word) {
        Ok(kind) => {
            let kind = kind.clone();
            show(state, kind);
            Ok(())
        }
        Err(Unresolved::NotListable(name)) => Err(format!(
            "{name} cannot be listed and watched (the server does not allow list and watch on it)"
        )),
        Err(Unresolved::Unknown { near }) => {
            // It may have been created since discovery ran (a new CRD).
            effects.push(Effect::Rediscover);
            let known = if near.is_empty() {
                "try pods, deploy, events, nodes, alerts, ns NAME, ctx NAME, help, quit; tab lists the server's resources too".to_string()
            } else {
                format!("did you mean {}?", near.join(", "))
            };
            Err(format!("unknown command or resource {word:?}; {known}"))
        }
    }
}

fn show(state: &mut State, kind: ApiKind) {
    let same = state.browse.kind.as_ref() == Some(&kind);
    // Its watch starts (and says "syncing") once `update_batch` sees the
    // view wants it.
    if !same {
        state.browse = Browse {
            kind: Some(kind),
            ..Browse::default()
        };
    }
    state.view = View::Browse;
    state.focus = super::Focus::Table;
    state.dirty = true;
}

/// Shows the object `kind` `namespace/name` in its resource's view, when
/// the server serves that kind and the console watches its namespace;
/// false otherwise. It is selected once listed.
pub(super) fn reveal(state: &mut State, kind: &str, namespace: &str, name: &str) -> bool {
    let Some(kinds) = &state.cluster.api_kinds else {
        return false;
    };
    let found = kinds
        .iter()
        .filter(|k| k.kind == kind && k.browsable())
        .min_by_key(|k| !k.group.is_empty());
    let Some(found) = found.cloned() else {
        return false;
    };
    let watched = match &state.namespace {
        Some(ns) => !found.namespaced || ns == namespace,
        None => true,
    };
    if !watched {
        return false;
    }
    let key = ObjectKey::new(if found.namespaced { namespace } else { "" }, name);
    show(state, found);
    state.browse.filter = Filter::default();
    state.browse.reveal = Some(key);
    state.browse.rebuild(&state.cluster, state.now);
    true
}

/// What the server serves arrived (or discovery failed).
pub(super) fn discovered(
    state: &mut State,
    found: Result<(Vec<ApiKind>, Vec<String>), String>,
    effects: &mut Vec<Effect>,
) {
    match found {
        Ok((kinds, failed)) => {
            state.cluster.api_kinds = Some(kinds);
            state.cluster.discovery_failed = failed;
            state.cluster.discovery_error = None;
        }
        Err(e) => state.cluster.discovery_error = Some(e),
    }
    if let Some(word) = state.browse.waiting.take()
        && let Err(e) = open_word(state, &word, effects)
    {
        super::update::notice(state, Severity::Warning, e);
    }
}

/// Rows of the followed resource; those of one followed before are late.
pub(super) fn changed(state: &mut State, resource: &str, change: TableChange) {
    let (browse, cluster) = (&mut state.browse, &state.cluster);
    if browse.kind.as_ref().map(ApiKind::qualified).as_deref() != Some(resource) {
        return;
    }
    let health = match change {
        TableChange::Listed { columns, rows } => {
            browse.columns = columns;
            browse.all = rows.into_iter().map(|r| (r.key, r.cells)).collect();
            Some(WatchHealth::Live)
        }
        TableChange::Applied(rows) => {
            browse
                .all
                .extend(rows.into_iter().map(|r| (r.key, r.cells)));
            None
        }
        TableChange::Deleted(keys) => {
            for k in keys {
                browse.all.remove(&k);
            }
            None
        }
        TableChange::Failed { error, forbidden } => Some(if forbidden {
            browse.all.clear();
            WatchHealth::NotAllowed(error)
        } else {
            WatchHealth::Down {
                since: state.now,
                error,
            }
        }),
    };
    browse.rebuild(cluster, state.now);
    // Listed, and the object asked for is not there: say so rather than
    // leave another row selected as if it were it.
    let listed = matches!(health, Some(WatchHealth::Live));
    if listed && let Some(missing) = browse.reveal.take() {
        let kind = browse.kind.as_ref().map_or("object", |k| k.kind.as_str());
        let text = format!("{kind} {missing} is not there (deleted, or never created)");
        super::update::notice(state, Severity::Warning, text);
    }
    if let Some(h) = health {
        // An outage keeps the time it began.
        let keep = matches!(
            (&h, state.cluster.watches.get(&Resource::Browsed)),
            (WatchHealth::Down { .. }, Some(WatchHealth::Down { .. }))
        );
        if !keep {
            state.cluster.watches.insert(Resource::Browsed, h);
        }
    }
    state.dirty = true;
}

/// The resource the runtime should follow now: the shown one, only while
/// its view is shown.
pub(super) fn wanted(state: &State) -> Option<ApiKind> {
    (state.view == View::Browse)
        .then(|| state.browse.kind.clone())
        .flatten()
}

/// The built-in kinds the other views show, for `y` before (or without)
/// discovery: their group, version and plural are fixed.
fn builtin(kind: &str) -> Option<ApiKind> {
    let (group, plural) = match kind {
        "Pod" => ("", "pods"),
        "Node" => ("", "nodes"),
        "Event" => ("", "events"),
        "Deployment" => ("apps", "deployments"),
        "StatefulSet" => ("apps", "statefulsets"),
        "DaemonSet" => ("apps", "daemonsets"),
        "ReplicaSet" => ("apps", "replicasets"),
        _ => return None,
    };
    Some(ApiKind {
        group: group.into(),
        version: "v1".into(),
        plural: plural.into(),
        singular: kind.to_lowercase(),
        kind: kind.into(),
        namespaced: kind != "Node",
        short_names: Vec::new(),
        verbs: vec!["get".into()],
    })
}

/// `y`: the selected object's YAML in a pane; `d` (`describe`): the same
/// object described, with its events.
pub(super) fn open_yaml(state: &mut State, describe: bool, effects: &mut Vec<Effect>) {
    let target = match state.view {
        View::Browse => state
            .browse
            .selected()
            .and_then(|(key, _)| Some((state.browse.kind.clone()?, key.clone()))),
        View::Events => {
            super::view::selected_event(state).and_then(|key| Some((builtin("Event")?, key)))
        }
        _ => super::view::selected_object(state)
            .and_then(|o| Some((builtin(&o.kind)?, ObjectKey::new(&o.namespace, &o.name)))),
    };
    let Some((kind, key)) = target else {
        super::update::notice(
            state,
            Severity::Warning,
            format!(
                "select an object to see its {}",
                if describe { "description" } else { "YAML" }
            ),
        );
        return;
    };
    state.yaml_request += 1;
    let request = state.yaml_request;
    state.open_pane(
        Pane::Yaml(Box::new(YamlPane {
            request,
            describe,
            kind: kind.kind.clone(),
            key: key.clone(),
            lines: None,
            error: None,
            cursor: Cursor::default(),
        })),
        effects,
    );
    effects.push(Effect::FetchYaml {
        request,
        describe,
        kind,
        key,
    });
}

/// An object's YAML over the main area.
#[derive(Debug, Clone)]
pub struct YamlPane {
    pub request: u64,
    /// Described (`d`) rather than YAML (`y`).
    pub describe: bool,
    pub kind: String,
    pub key: ObjectKey,
    /// `None` while it is being read.
    pub lines: Option<Vec<String>>,
    pub error: Option<String>,
    /// The top line shown.
    pub cursor: Cursor,
}

/// The YAML arrived (or could not be read).
pub(super) fn yaml_fetched(state: &mut State, request: u64, result: Result<Vec<String>, String>) {
    let Some(Pane::Yaml(pane)) = &mut state.overlay.pane else {
        return;
    };
    if pane.request != request {
        return;
    }
    match result {
        Ok(mut lines) => {
            if pane.describe {
                let events =
                    state
                        .cluster
                        .events_for(&pane.kind, &pane.key.namespace, &pane.key.name);
                lines.extend(crate::model::describe::events(&events, state.now));
            }
            pane.lines = Some(lines);
        }
        Err(e) => pane.error = Some(e),
    }
    state.dirty = true;
}

/// Why a key of the main screen does nothing in the browse view, for the
/// footer (dimmed) and as the answer when pressed.
pub fn not_here(state: &State, action: crate::keys::Action) -> Option<String> {
    use crate::keys::Action;
    if state.view != View::Browse {
        return None;
    }
    match action {
        Action::ToggleProblemsOnly if state.browse.lens().is_none() => Some(
            "this resource is shown in the server's columns; warroom knows no problems of it to filter".into(),
        ),
        Action::OpenLogs if !state.browse.lens().is_some_and(Lens::has_pods) => {
            Some("logs: on a Job (:jobs), a pod or a workload".into())
        }
        Action::OpenLogs if selected_job(state).is_none() => Some(match state.browse.selected() {
            None => "select a Job to stream its pods' logs".into(),
            Some(_) => "this Job is not in warroom's own watch of Jobs (not allowed, or not listed yet): its pods are unknown".into(),
        }),
        Action::OpenPreviousLogs => Some(
            "previous logs: on a pod or a workload; a Job's failed attempts are pods of their own, l shows them all".into(),
        ),
        Action::OpenHistory => {
            Some("history: on a Deployment, StatefulSet or DaemonSet (a Job has no revisions)".into())
        }
        _ => None,
    }
}

/// The Job of the selected row in `:jobs`, as the console's own watch
/// knows it.
pub(super) fn selected_job(state: &State) -> Option<&crate::model::job::JobInfo> {
    if state.view != View::Browse || state.browse.lens() != Some(Lens::Job) {
        return None;
    }
    let (key, _) = state.browse.selected()?;
    state.cluster.jobs.get(key)
}

/// Keys in the YAML pane: movement scrolls, its close key closes it.
pub(super) fn yaml_key(state: &mut State, action: crate::keys::Action, effects: &mut Vec<Effect>) {
    use crate::keys::Action;
    let page = super::view::page(state);
    let Some(Pane::Yaml(pane)) = &mut state.overlay.pane else {
        return;
    };
    match action {
        Action::CloseYaml | Action::Back => state.close_pane(effects),
        a if a.is_movement() => {
            let n = pane.lines.as_ref().map_or(0, Vec::len);
            pane.cursor.step(a, n, page);
        }
        _ => {}
    }
    state.dirty = true;
}

/// The words `:` completes besides the commands: the server's resources.
pub(super) fn completions(state: &State) -> Vec<String> {
    state
        .cluster
        .api_kinds
        .as_deref()
        .map(api_resource::completions)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
