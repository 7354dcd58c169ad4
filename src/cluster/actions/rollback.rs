//! `kubectl rollout undo --to-revision=N`, as kubectl's
//! `polymorphichelpers/rollback.go` does it.
//!
//! A Deployment: GET it, list the ReplicaSets its selector matches and it
//! controls (owner uid), find the one whose revision annotation is N, refuse
//! a paused Deployment, skip when the template already matches, else one
//! JSON patch replacing `/spec/template` (the ReplicaSet's, without its
//! `pod-template-hash` label) and `/metadata/annotations` (the Deployment's
//! bookkeeping ones kept, the ReplicaSet's others copied — the change-cause
//! comes back with the template). The controller then gives the reused
//! ReplicaSet the next revision number.
//!
//! A StatefulSet or DaemonSet: its ControllerRevisions (same selector and
//! owner rule), the one whose `.revision` is N, and its `.data` — the pod
//! template marked `$patch: replace` — sent back as a strategic merge patch.
//!
//! kubectl sends neither a `test` op nor a resourceVersion with these
//! patches, so neither do we: a change made between the GET and the PATCH
//! is overwritten (the template of revision N is what was asked for), and
//! a 409 can only come from the server itself.

use crate::model::semantic::normalized;
use k8s_openapi::api::apps::v1::{ControllerRevision, ReplicaSet};
use kube::api::{ApiResource, DynamicObject, ListParams, Patch};
use serde_json::{Map, Value, json};

use super::{REVISION, Workload, action_error, revision_of};
use crate::model::action::{ActionError, ActionOutcome};

/// The label the Deployment controller adds to each ReplicaSet's template.
const HASH_LABEL: &str = "pod-template-hash";

/// Annotations a rollback keeps from the Deployment rather than copying
/// from the ReplicaSet (kubectl's `annotationsToSkip`).
const KEPT_FROM_DEPLOYMENT: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

pub(super) async fn deployment(
    w: &Workload<'_>,
    to_revision: i64,
) -> Result<ActionOutcome, ActionError> {
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    let deployment = w.get().await?;
    let before = revision_of(&deployment);
    let sets = owned(w, &ApiResource::erase::<ReplicaSet>(&()), &deployment).await?;
    let numbered: Vec<(i64, &DynamicObject)> = sets
        .iter()
        .filter_map(|rs| replica_set_revision(rs).map(|n| (n, rs)))
        .collect();
    let Some(replica_set) = pick(&numbered, to_revision) else {
        return Err(if to_revision == 0 {
            ActionError::NotFound(format!(
                "no rollout history found for deployment \"{}\"",
                w.name()
            ))
        } else {
            revision_not_found(to_revision)
        });
    };
    // kubectl looks the revision up before it looks at `paused`.
    if deployment.data["spec"]["paused"] == json!(true) {
        return Err(ActionError::Failed(format!(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{}' and try again",
            w.name()
        )));
    }
    let mut template = replica_set.data["spec"]["template"].clone();
    remove_hash_label(&mut template);
    if same_template(&template, &deployment.data["spec"]["template"]) {
        return Ok(skipped(w, to_revision, before));
    }
    let ops = rollback_patch(
        template,
        deployment.metadata.annotations.as_ref(),
        replica_set.metadata.annotations.as_ref(),
    );
    // `Patch::Json` exists with kube's `jsonpatch` feature, which its
    // `runtime` feature (ours) turns on.
    let patch = Patch::Json::<()>(
        serde_json::from_value(ops)
            .map_err(|e| ActionError::Failed(format!("cannot build the rollback patch: {e}")))?,
    );
    let answer = w
        .api()
        .patch(w.name(), &w.patch_params(), &patch)
        .await
        .map_err(|e| action_error(&e))?;
    // The controller numbers the new revision after the write; the answer
    // carries it only if the server assigned it at once.
    let after = revision_of(&answer).filter(|r| !w.dry_run && before.is_none_or(|b| *r > b));
    Ok(ActionOutcome {
        message: w.done("rolled back"),
        revision_before: before,
        revision_after: after,
    })
}

pub(super) async fn from_history(
    w: &Workload<'_>,
    to_revision: i64,
) -> Result<ActionOutcome, ActionError> {
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    let workload = w.get().await?;
    let mut history = owned(w, &ApiResource::erase::<ControllerRevision>(&()), &workload).await?;
    history.sort_by_key(history_revision);
    let before = history.iter().map(history_revision).max();
    if to_revision == 0 && history.len() <= 1 {
        return Err(ActionError::NotFound(
            "no last revision to roll back to".into(),
        ));
    }
    let found = if to_revision == 0 {
        history.len().checked_sub(2).and_then(|i| history.get(i))
    } else {
        history.iter().find(|h| history_revision(h) == to_revision)
    };
    let Some(revision) = found else {
        return Err(revision_not_found(to_revision));
    };
    let data = &revision.data["data"];
    if !data.is_object() {
        return Err(ActionError::Failed(format!(
            "revision {to_revision} of {} has no pod template to restore",
            w.printed_name()
        )));
    }
    if normalized(data) == normalized(&history_data(&workload.data["spec"]["template"])) {
        return Ok(skipped(w, to_revision, before));
    }
    w.api()
        .patch(w.name(), &w.patch_params(), &Patch::Strategic(data))
        .await
        .map_err(|e| action_error(&e))?;
    Ok(ActionOutcome {
        message: w.done("rolled back"),
        revision_before: before,
        revision_after: None,
    })
}

/// kubectl's `skipped rollback (current template already matches revision N)`.
fn skipped(w: &Workload<'_>, to_revision: i64, before: Option<i64>) -> ActionOutcome {
    ActionOutcome {
        message: w.done(&format!(
            "skipped rollback (current template already matches revision {to_revision})"
        )),
        revision_before: before,
        revision_after: before,
    }
}

fn revision_not_found(to_revision: i64) -> ActionError {
    ActionError::NotFound(format!(
        "unable to find specified revision {to_revision} in history"
    ))
}

/// Objects of `resource` that `owner`'s selector matches and that name it
/// as their controller (by uid): its ReplicaSets or ControllerRevisions.
async fn owned(
    w: &Workload<'_>,
    resource: &ApiResource,
    owner: &DynamicObject,
) -> Result<Vec<DynamicObject>, ActionError> {
    let selector = selector_string(&owner.data["spec"]["selector"])?;
    let uid = owner.metadata.uid.as_deref().unwrap_or_default();
    let list = w
        .namespaced(resource)
        .list(&ListParams::default().labels(&selector))
        .await
        .map_err(|e| action_error(&e))?;
    Ok(list
        .items
        .into_iter()
        .filter(|o| !uid.is_empty() && controller_uid(o) == Some(uid))
        .collect())
}

fn controller_uid(obj: &DynamicObject) -> Option<&str> {
    obj.metadata
        .owner_references
        .as_ref()?
        .iter()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

/// A `LabelSelector` as a list/watch `labelSelector`: `app=web,tier in (a,b)`.
/// A missing selector selects by owner alone.
pub(super) fn selector_string(selector: &Value) -> Result<String, ActionError> {
    let mut parts = Vec::new();
    if let Some(labels) = selector["matchLabels"].as_object() {
        for (k, v) in labels {
            parts.push(format!("{k}={}", v.as_str().unwrap_or_default()));
        }
    }
    for e in selector["matchExpressions"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let key = e["key"].as_str().unwrap_or_default();
        let values: Vec<&str> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        parts.push(match e["operator"].as_str().unwrap_or_default() {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.to_string(),
            "DoesNotExist" => format!("!{key}"),
            other => {
                return Err(ActionError::Failed(format!(
                    "the workload's selector has an operator kubectl does not know: {other:?}"
                )));
            }
        });
    }
    Ok(parts.join(","))
}

/// A ReplicaSet's revision; a missing annotation is revision 0 and one
/// that is not a number is no revision (kubectl's `deploymentutil.Revision`).
fn replica_set_revision(rs: &DynamicObject) -> Option<i64> {
    match rs
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(REVISION))
    {
        None => Some(0),
        Some(text) => text.trim().parse().ok(),
    }
}

/// The ReplicaSet of `to_revision`, or for 0 the one before the newest.
fn pick<'a>(numbered: &[(i64, &'a DynamicObject)], to_revision: i64) -> Option<&'a DynamicObject> {
    if to_revision > 0 {
        return numbered
            .iter()
            .find(|(n, _)| *n == to_revision)
            .map(|(_, rs)| *rs);
    }
    let mut sorted: Vec<&(i64, &DynamicObject)> = numbered.iter().collect();
    sorted.sort_by_key(|(n, _)| *n);
    sorted.len().checked_sub(2).map(|i| sorted[i].1)
}

fn history_revision(cr: &DynamicObject) -> i64 {
    cr.data["revision"].as_i64().unwrap_or(0)
}

/// What a ControllerRevision records of a template (the controllers'
/// `getPatch`): `{"spec":{"template":{…,"$patch":"replace"}}}`.
fn history_data(template: &Value) -> Value {
    let mut template = template.clone();
    if let Some(t) = template.as_object_mut() {
        t.insert("$patch".into(), json!("replace"));
    }
    json!({"spec": {"template": template}})
}

fn remove_hash_label(template: &mut Value) {
    if let Some(labels) = template
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        labels.remove(HASH_LABEL);
    }
}

/// kubectl's `equalIgnoreHash`: equal pod templates but for the hash label.
pub(super) fn same_template(a: &Value, b: &Value) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    remove_hash_label(&mut a);
    remove_hash_label(&mut b);
    normalized(&a) == normalized(&b)
}

/// The JSON patch kubectl sends: the template, and the annotations — the
/// Deployment's bookkeeping ones, then every other one of the ReplicaSet.
pub(super) fn rollback_patch(
    template: Value,
    deployment: Option<&std::collections::BTreeMap<String, String>>,
    replica_set: Option<&std::collections::BTreeMap<String, String>>,
) -> Value {
    let mut annotations = Map::new();
    for key in KEPT_FROM_DEPLOYMENT {
        if let Some(v) = deployment.and_then(|a| a.get(key)) {
            annotations.insert(key.to_string(), json!(v));
        }
    }
    for (k, v) in replica_set.into_iter().flatten() {
        if !KEPT_FROM_DEPLOYMENT.contains(&k.as_str()) {
            annotations.insert(k.clone(), json!(v));
        }
    }
    json!([
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": "replace", "path": "/metadata/annotations", "value": annotations},
    ])
}

#[cfg(test)]
mod tests;
