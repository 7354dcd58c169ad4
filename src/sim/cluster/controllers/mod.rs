//! The controllers of kube-controller-manager and kube-scheduler, as far as
//! workloads need them: Deployment, ReplicaSet, StatefulSet, DaemonSet, the
//! scheduler. They run level-triggered on the keys the store marks dirty, the
//! way informers feed work queues, plus a periodic resync for time-based
//! conditions (minReadySeconds, progress deadlines).

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod endpointslice;
pub mod hpa;
pub mod ingress;
pub mod job;
pub mod replicaset;
pub mod resourcequota;
pub mod scheduler;
pub mod statefulset;

use super::queues::RESYNC;
use super::world::World;

/// The owner (kind, name) of an object from its controller ownerReference.
pub fn controller_of(obj: &serde_json::Value) -> Option<(String, String)> {
    obj["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"] == serde_json::Value::Bool(true))
        .map(|r| {
            (
                r["kind"].as_str().unwrap_or("").to_string(),
                r["name"].as_str().unwrap_or("").to_string(),
            )
        })
}

/// Routes changed keys to the queues of the controllers that care.
fn route(w: &mut World) -> bool {
    let dirty = w.store.take_dirty();
    if dirty.is_empty() {
        return false;
    }
    for d in dirty {
        route_network(w, &d);
        let (ns, name) = (d.namespace, d.name);
        let key = (ns.clone(), name.clone());
        // The object now, or its last state if it was removed: either way its
        // owner must look again.
        let obj = match &d.gone {
            Some(gone) => Some(gone.value()),
            None if matches!(d.storage, "replicasets" | "pods" | "jobs") => {
                w.store.get_value(d.storage, &ns, &name)
            }
            None => None,
        };
        let owner = obj.as_ref().and_then(controller_of);
        match d.storage {
            "deployments" => {
                w.queues.deployments.insert(key);
            }
            "statefulsets" => {
                w.queues.statefulsets.insert(key);
            }
            "daemonsets" => {
                w.queues.daemonsets.insert(key);
            }
            "replicasets" => {
                if let Some((kind, owner)) = owner
                    && kind == "Deployment"
                {
                    w.queues.deployments.insert((ns.clone(), owner));
                }
                w.queues.replicasets.insert(key);
            }
            "pods" => {
                if let Some((kind, owner)) = owner {
                    let owner_key = (ns.clone(), owner);
                    match kind.as_str() {
                        "ReplicaSet" => w.queues.replicasets.insert(owner_key),
                        "StatefulSet" => w.queues.statefulsets.insert(owner_key),
                        "DaemonSet" => w.queues.daemonsets.insert(owner_key),
                        "Job" => w.queues.jobs.insert(owner_key),
                        _ => false,
                    };
                }
                if d.gone.is_none()
                    && let Some(pod) = &obj
                    && pod["spec"]["nodeName"].as_str().unwrap_or("").is_empty()
                {
                    w.queues.unscheduled.insert(key.clone());
                }
                w.queues.kubelet.insert(key);
            }
            "horizontalpodautoscalers" => {
                w.queues.hpas.insert(key);
            }
            "jobs" => {
                if let Some((kind, owner)) = owner
                    && kind == "CronJob"
                {
                    w.queues.cronjobs.insert((ns.clone(), owner));
                }
                w.queues.jobs.insert(key);
            }
            "cronjobs" => {
                w.queues.cronjobs.insert(key);
            }
            "nodes" => {
                let all: Vec<_> = w
                    .store
                    .list("daemonsets", None, None)
                    .items
                    .iter()
                    .map(|d| (d.namespace.clone(), d.name.clone()))
                    .collect();
                w.queues.daemonsets.extend(all);
            }
            _ => {}
        }
    }
    true
}

/// Routes a changed key to the Service, quota and Ingress controllers.
fn route_network(w: &mut World, d: &crate::sim::store::Dirty) {
    let ns = d.namespace.as_str();
    if !ns.is_empty() && d.storage != "events" && w.store.count("resourcequotas") > 0 {
        w.queues.quotas.insert(ns.to_string());
    }
    let key = (ns.to_string(), d.name.clone());
    match d.storage {
        "services" => {
            w.queues.services.insert(key);
        }
        "pods" => {
            let services = endpointslice::services_in(w, ns);
            w.queues.services.extend(services);
        }
        "endpointslices" => {
            let labels = match &d.gone {
                Some(gone) => Some(gone.labels.clone()),
                None => w
                    .store
                    .get(d.storage, ns, &d.name)
                    .map(|s| s.labels.clone()),
            };
            if let Some(service) = labels
                .as_ref()
                .filter(|l| {
                    l.get(endpointslice::MANAGED_BY_LABEL).map(String::as_str)
                        == Some(endpointslice::MANAGED_BY)
                })
                .and_then(|l| l.get(endpointslice::SERVICE_NAME_LABEL))
            {
                w.queues.services.insert((ns.to_string(), service.clone()));
            }
        }
        "nodes" => {
            // Endpoints carry their node's zone.
            let all: Vec<(String, String)> = w
                .store
                .list("services", None, None)
                .items
                .iter()
                .map(|s| (s.namespace.clone(), s.name.clone()))
                .collect();
            w.queues.services.extend(all);
        }
        "ingresses" => {
            w.queues.ingresses.insert(key);
        }
        "ingressclasses" => {
            let all: Vec<(String, String)> = w
                .store
                .list("ingresses", None, None)
                .items
                .iter()
                .map(|s| (s.namespace.clone(), s.name.clone()))
                .collect();
            w.queues.ingresses.extend(all);
        }
        _ => {}
    }
}

/// A workload whose status says it has converged on its current spec: every
/// replica updated and available, and (for Deployments) the rollout marked
/// complete. Nothing time-based can change for it until something changes.
fn settled(storage: &str, obj: &serde_json::Value) -> bool {
    let spec = &obj["spec"];
    let status = &obj["status"];
    let n = |v: &serde_json::Value| v.as_i64().unwrap_or(0);
    if status["observedGeneration"] != obj["metadata"]["generation"]
        || obj["metadata"].get("deletionTimestamp").is_some()
    {
        return false;
    }
    match storage {
        "deployments" => {
            let want = spec["replicas"].as_i64().unwrap_or(1);
            let complete = status["conditions"].as_array().is_some_and(|cs| {
                cs.iter()
                    .any(|c| c["type"] == "Progressing" && c["reason"] == "NewReplicaSetAvailable")
            });
            complete
                && n(&status["replicas"]) == want
                && n(&status["updatedReplicas"]) == want
                && n(&status["availableReplicas"]) == want
        }
        "replicasets" => {
            let want = spec["replicas"].as_i64().unwrap_or(1);
            n(&status["replicas"]) == want
                && n(&status["readyReplicas"]) == want
                && n(&status["availableReplicas"]) == want
        }
        _ => false,
    }
}

/// Queues every workload that has not settled once per [`RESYNC`].
fn resync(w: &mut World) {
    let now = w.now;
    if w.queues
        .last_resync
        .is_some_and(|t| now.duration_since(t) < RESYNC)
    {
        return;
    }
    w.queues.last_resync = Some(now);
    // Only objects still converging need a time-based look (minReadySeconds,
    // progress deadlines); settled ones wake up when something they own changes.
    for (storage, which) in [
        ("deployments", 0),
        ("replicasets", 1),
        ("statefulsets", 2),
        ("daemonsets", 3),
    ] {
        let keys: Vec<(String, String)> = w
            .store
            .list(storage, None, None)
            .items
            .iter()
            .filter(|o| !settled(storage, &o.value()))
            .map(|o| (o.namespace.clone(), o.name.clone()))
            .collect();
        let q = match which {
            0 => &mut w.queues.deployments,
            1 => &mut w.queues.replicasets,
            2 => &mut w.queues.statefulsets,
            _ => &mut w.queues.daemonsets,
        };
        q.extend(keys);
    }
    let pending: Vec<(String, String)> = w
        .store
        .list("pods", None, None)
        .items
        .iter()
        .filter(|p| p.json.contains("\"phase\":\"Pending\"") && !p.json.contains("\"nodeName\""))
        .map(|p| (p.namespace.clone(), p.name.clone()))
        .collect();
    w.queues.unscheduled.extend(pending);
}

/// Queues the Jobs and CronJobs whose time has come (see `Queues::due`).
fn wake_due(w: &mut World) {
    let now = w.now;
    let due: Vec<_> = w
        .queues
        .due
        .iter()
        .filter(|(_, t)| **t <= now)
        .map(|(k, _)| k.clone())
        .collect();
    for (storage, ns, name) in due {
        w.queues.due.remove(&(storage, ns.clone(), name.clone()));
        match storage {
            "jobs" => w.queues.jobs.insert((ns, name)),
            _ => w.queues.cronjobs.insert((ns, name)),
        };
    }
}

/// The Service, quota and Ingress controllers, on what is queued for them.
/// What they create takes its names from the aside random stream.
fn sync_network(w: &mut World) {
    for ns in std::mem::take(&mut w.queues.quotas) {
        resourcequota::sync(w, &ns);
    }
    w.aside(|w| {
        for key in std::mem::take(&mut w.queues.services) {
            endpointslice::sync(w, &key.0, &key.1);
            crate::sim::cluster::services::sync_load_balancer(w, &key.0, &key.1);
        }
        for key in std::mem::take(&mut w.queues.ingresses) {
            ingress::sync(w, &key.0, &key.1);
        }
    });
}

/// Runs every controller until the cluster settles (bounded, so a controller
/// bug cannot hang the clock).
pub fn reconcile(w: &mut World) {
    resync(w);
    wake_due(w);
    for _ in 0..20 {
        let changed = route(w);
        let queued = !w.queues.deployments.is_empty()
            || !w.queues.replicasets.is_empty()
            || !w.queues.statefulsets.is_empty()
            || !w.queues.daemonsets.is_empty()
            || !w.queues.unscheduled.is_empty()
            || !w.queues.jobs.is_empty()
            || !w.queues.cronjobs.is_empty()
            || !w.queues.services.is_empty()
            || !w.queues.quotas.is_empty()
            || !w.queues.ingresses.is_empty();
        if !changed && !queued {
            break;
        }
        for key in std::mem::take(&mut w.queues.deployments) {
            deployment::sync(w, &key.0, &key.1);
        }
        for key in std::mem::take(&mut w.queues.replicasets) {
            replicaset::sync(w, &key.0, &key.1);
        }
        for key in std::mem::take(&mut w.queues.statefulsets) {
            statefulset::sync(w, &key.0, &key.1);
        }
        for key in std::mem::take(&mut w.queues.daemonsets) {
            daemonset::sync(w, &key.0, &key.1);
        }
        for key in std::mem::take(&mut w.queues.cronjobs) {
            cronjob::sync(w, &key.0, &key.1);
        }
        for key in std::mem::take(&mut w.queues.jobs) {
            job::sync(w, &key.0, &key.1);
        }
        let pending = std::mem::take(&mut w.queues.unscheduled);
        scheduler::schedule(w, pending);
        sync_network(w);
    }
    // The HPA controller works on its own period, after the others settled.
    hpa::run(w);
    super::events::expire(w);
}
