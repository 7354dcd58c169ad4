//! Loads a workload's rollout history: its ReplicaSets (Deployment) or
//! ControllerRevisions (StatefulSet, DaemonSet), on demand when the history
//! pane opens — templates are not kept for every workload.
//!
//! As `kubectl rollout history` finds them: the workload first, then the
//! objects its selector matches in its namespace, kept only when the
//! workload owns them (a selector can match another controller's objects).

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::api::{Api, ListParams};
use kube::{Client, Resource};

use super::errors::describe_kube_error;
use crate::model::action::WorkloadRef;
use crate::model::history::{History, controller_history, deployment_history, is_owned_by};
use crate::model::workload::WorkloadKind;

/// `target`'s revisions, newest first, or why they cannot be read, in one
/// sentence naming the workload: `cannot read the history of Deployment
/// production/checkout-service: 403 Forbidden: user "bob" cannot list
/// replicasets in namespace production`.
pub async fn load_history(client: &Client, target: &WorkloadRef) -> Result<History, String> {
    let fail = |e: kube::Error| {
        format!(
            "cannot read the history of {target}: {}",
            describe_kube_error(&e, "")
        )
    };
    let ns = target.namespace.as_str();
    match target.kind {
        WorkloadKind::Deployment => {
            let d: Deployment = Api::namespaced(client.clone(), ns)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let selector = d.spec.as_ref().map(|s| &s.selector);
            let sets: Vec<ReplicaSet> = Api::namespaced(client.clone(), ns)
                .list(&list_params(selector))
                .await
                .map_err(fail)?
                .items;
            Ok(History {
                target: target.clone(),
                ..deployment_history(&d, &sets)
            })
        }
        WorkloadKind::StatefulSet => {
            let s: StatefulSet = Api::namespaced(client.clone(), ns)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let revisions = owned_revisions(client, ns, &s, s.spec.as_ref().map(|s| &s.selector))
                .await
                .map_err(fail)?;
            let update = s.status.as_ref().and_then(|s| s.update_revision.as_deref());
            Ok(controller_history(target.clone(), update, &revisions))
        }
        WorkloadKind::DaemonSet => {
            let d: DaemonSet = Api::namespaced(client.clone(), ns)
                .get(&target.name)
                .await
                .map_err(fail)?;
            let revisions = owned_revisions(client, ns, &d, d.spec.as_ref().map(|s| &s.selector))
                .await
                .map_err(fail)?;
            Ok(controller_history(target.clone(), None, &revisions))
        }
    }
}

/// The ControllerRevisions in `namespace` that `owner` owns.
async fn owned_revisions<K>(
    client: &Client,
    namespace: &str,
    owner: &K,
    selector: Option<&LabelSelector>,
) -> Result<Vec<ControllerRevision>, kube::Error>
where
    K: Resource<DynamicType = ()>,
{
    let meta = owner.meta();
    let api: Api<ControllerRevision> = Api::namespaced(client.clone(), namespace);
    let all = api.list(&list_params(selector)).await?.items;
    let kind = K::kind(&());
    Ok(all
        .into_iter()
        .filter(|cr| is_owned_by(&cr.metadata, meta, &kind))
        .collect())
}

/// The selector's `matchLabels` as `k=v,…`. With `matchExpressions` too,
/// no selector at all: the list is filtered by owner anyway, and one
/// filter is simpler than rewriting expressions into the query syntax.
fn list_params(selector: Option<&LabelSelector>) -> ListParams {
    let params = ListParams::default();
    let Some(selector) = selector else {
        return params;
    };
    if selector
        .match_expressions
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        return params;
    }
    let labels: Vec<String> = selector
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if labels.is_empty() {
        params
    } else {
        params.labels(&labels.join(","))
    }
}

#[cfg(test)]
mod tests;
