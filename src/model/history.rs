//! Rollout history: one [`Revision`] per ReplicaSet of a Deployment, or per
//! ControllerRevision of a StatefulSet or DaemonSet, newest first, each with
//! the pod template it ran — what the history pane lists and diffs.
//!
//! As `kubectl rollout history` reads it (kubectl
//! `pkg/polymorphichelpers/history.go`): a Deployment's revisions are its
//! ReplicaSets' `deployment.kubernetes.io/revision` annotations; a
//! StatefulSet's or DaemonSet's are its ControllerRevisions' `revision`
//! field, whose `data` holds the pod template as a strategic-merge patch
//! (`{"spec":{"template":{…,"$patch":"replace"}}}`).

use std::cmp::Ordering;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::Value;

use super::action::WorkloadRef;
use super::pod_health::{POD_TEMPLATE_HASH, time};
use super::workload::{CHANGE_CAUSE_ANNOTATION, REVISION_ANNOTATION};

/// The label the StatefulSet and DaemonSet controllers put on their pods
/// (and that a template must not be compared by).
pub const CONTROLLER_REVISION_HASH: &str = "controller-revision-hash";

/// One revision of a workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    pub number: i64,
    /// The ReplicaSet or ControllerRevision that holds it.
    pub name: String,
    /// `kubernetes.io/change-cause`.
    pub change_cause: Option<String>,
    /// `container=image` for every container of the template (init
    /// containers after the others, as `init:container=image`).
    pub images: Vec<String>,
    pub created: Option<Timestamp>,
    /// Ready and desired pods of this revision (ReplicaSets only).
    pub ready: Option<i32>,
    pub desired: Option<i32>,
    /// The revision the workload runs now.
    pub current: bool,
    /// The pod template (`spec.template`), with the labels the controllers
    /// add (`pod-template-hash`, `controller-revision-hash`) removed.
    pub template: Value,
}

/// A workload's revisions, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub target: WorkloadRef,
    pub revisions: Vec<Revision>,
}

impl History {
    pub fn current(&self) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.current)
    }

    /// The revision numbered `number`.
    pub fn revision(&self, number: i64) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.number == number)
    }
}

/// A Deployment's history from ReplicaSets (any, in any order: those it
/// does not own are left out, as are those without a numeric revision
/// annotation).
///
/// The current revision is the one the Deployment's own revision annotation
/// names; when it names none of them (a controller that has not caught up,
/// or no annotation), the ReplicaSet whose template equals the
/// Deployment's, as the controller itself finds its new ReplicaSet.
pub fn deployment_history(deployment: &Deployment, replica_sets: &[ReplicaSet]) -> History {
    let meta = &deployment.metadata;
    let target = WorkloadRef::new(
        super::workload::WorkloadKind::Deployment,
        meta.namespace.as_deref().unwrap_or(""),
        meta.name.as_deref().unwrap_or(""),
    );
    let mut revisions: Vec<Revision> = replica_sets
        .iter()
        .filter(|rs| is_owned_by(&rs.metadata, meta, "Deployment"))
        .filter_map(|rs| {
            let number = annotation_number(&rs.metadata, REVISION_ANNOTATION)?;
            let template = rs
                .spec
                .as_ref()
                .and_then(|s| s.template.as_ref())
                .and_then(|t| serde_json::to_value(t).ok())
                .map_or(Value::Null, |t| without_label(t, POD_TEMPLATE_HASH));
            Some(Revision {
                number,
                name: rs.metadata.name.clone().unwrap_or_default(),
                change_cause: change_cause(&rs.metadata),
                images: template_images(&template),
                created: time(rs.metadata.creation_timestamp.as_ref()),
                ready: Some(
                    rs.status
                        .as_ref()
                        .and_then(|s| s.ready_replicas)
                        .unwrap_or(0),
                ),
                desired: rs.spec.as_ref().and_then(|s| s.replicas),
                current: false,
                template,
            })
        })
        .collect();
    revisions.sort_by(newest_first);

    let by_number = annotation_number(meta, REVISION_ANNOTATION)
        .and_then(|n| revisions.iter().position(|r| r.number == n));
    let current = by_number.or_else(|| {
        let own = deployment
            .spec
            .as_ref()
            .and_then(|s| serde_json::to_value(&s.template).ok())
            .map(|t| without_label(t, POD_TEMPLATE_HASH))?;
        revisions.iter().position(|r| r.template == own)
    });
    if let Some(r) = current.and_then(|i| revisions.get_mut(i)) {
        r.current = true;
    }
    History { target, revisions }
}

/// A StatefulSet's or DaemonSet's history from its ControllerRevisions (the
/// caller keeps only those the workload owns).
///
/// `current_revision_name` is the ControllerRevision the workload runs:
/// a StatefulSet's `status.updateRevision`. A DaemonSet's status names
/// none: pass `None` and the highest revision is current, which is the one
/// its controller keeps in step with the template. A name that matches no
/// revision marks none current rather than guessing.
pub fn controller_history(
    target: WorkloadRef,
    current_revision_name: Option<&str>,
    revisions: &[ControllerRevision],
) -> History {
    let mut list: Vec<Revision> = revisions
        .iter()
        .map(|cr| {
            let template = cr
                .data
                .as_ref()
                .and_then(|d| d.0.get("spec"))
                .and_then(|s| s.get("template"))
                .filter(|t| t.is_object())
                .cloned()
                .map_or(Value::Null, |mut t| {
                    if let Some(m) = t.as_object_mut() {
                        m.remove("$patch");
                    }
                    without_label(t, CONTROLLER_REVISION_HASH)
                });
            Revision {
                number: cr.revision,
                name: cr.metadata.name.clone().unwrap_or_default(),
                change_cause: change_cause(&cr.metadata),
                images: template_images(&template),
                created: time(cr.metadata.creation_timestamp.as_ref()),
                ready: None,
                desired: None,
                current: false,
                template,
            }
        })
        .collect();
    list.sort_by(newest_first);
    let current = match current_revision_name.filter(|n| !n.is_empty()) {
        Some(name) => list.iter().position(|r| r.name == name),
        None => (!list.is_empty()).then_some(0),
    };
    if let Some(r) = current.and_then(|i| list.get_mut(i)) {
        r.current = true;
    }
    History {
        target,
        revisions: list,
    }
}

/// Whether `object` belongs to `owner` (of `kind`): an ownerReference with
/// the owner's uid; for an owner without a uid (built by hand, not read
/// from a server), a controller reference of that kind and name in the
/// same namespace.
pub fn is_owned_by(object: &ObjectMeta, owner: &ObjectMeta, kind: &str) -> bool {
    let refs = object.owner_references.as_deref().unwrap_or(&[]);
    match owner.uid.as_deref().filter(|u| !u.is_empty()) {
        Some(uid) => refs.iter().any(|r| r.uid == uid),
        None => {
            let same_namespace = match (&object.namespace, &owner.namespace) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let Some(name) = owner.name.as_deref() else {
                return false;
            };
            same_namespace
                && refs
                    .iter()
                    .any(|r| r.controller == Some(true) && r.kind == kind && r.name == name)
        }
    }
}

/// `container=image` for a pod template given as JSON: containers first,
/// then init containers as `init:container=image`. Containers without an
/// image are left out; anything not shaped like a template gives none.
pub fn template_images(template: &Value) -> Vec<String> {
    let spec = template.get("spec");
    let mut out = Vec::new();
    for (field, prefix) in [("containers", ""), ("initContainers", "init:")] {
        let containers = spec
            .and_then(|s| s.get(field))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for c in containers {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            if let Some(image) = c.get("image").and_then(Value::as_str) {
                out.push(format!("{prefix}{name}={image}"));
            }
        }
    }
    out
}

/// The template without the label `key`, and without its labels map once
/// that is empty (a template that had only the hash label compares equal
/// to one that had none).
fn without_label(mut template: Value, key: &str) -> Value {
    if let Some(meta) = template.get_mut("metadata").and_then(Value::as_object_mut) {
        if let Some(labels) = meta.get_mut("labels").and_then(Value::as_object_mut) {
            labels.remove(key);
        }
        if meta
            .get("labels")
            .and_then(Value::as_object)
            .is_some_and(|l| l.is_empty())
        {
            meta.remove("labels");
        }
    }
    template
}

fn annotation_number(meta: &ObjectMeta, key: &str) -> Option<i64> {
    meta.annotations.as_ref()?.get(key)?.trim().parse().ok()
}

fn change_cause(meta: &ObjectMeta) -> Option<String> {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(CHANGE_CAUSE_ANNOTATION))
        .filter(|c| !c.trim().is_empty())
        .cloned()
}

/// Highest number first; equal numbers (which controllers do not make)
/// newest first, then by name, so the order never depends on the input's.
fn newest_first(a: &Revision, b: &Revision) -> Ordering {
    b.number
        .cmp(&a.number)
        .then_with(|| b.created.cmp(&a.created))
        .then_with(|| a.name.cmp(&b.name))
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::{ControllerRevision, Deployment, ReplicaSet};
    use serde_json::{Value, json};

    use super::*;
    use crate::model::workload::WorkloadKind;

    const IMAGE: &str = "registry.local/shop/checkout-service";

    fn template(version: &str, hash: Option<&str>) -> Value {
        let mut labels = json!({"app": "checkout-service"});
        if let Some(h) = hash {
            labels["pod-template-hash"] = json!(h);
        }
        json!({"metadata": {"labels": labels}, "spec": {
            "initContainers": [{"name": "migrate", "image": format!("{IMAGE}-migrate:{version}")}],
            "containers": [{"name": "checkout-service", "image": format!("{IMAGE}:{version}")}]}})
    }

    fn deployment(uid: Option<&str>, revision: Option<&str>, version: &str) -> Deployment {
        let mut meta = json!({"name": "checkout-service", "namespace": "production"});
        if let Some(u) = uid {
            meta["uid"] = json!(u);
        }
        if let Some(r) = revision {
            meta["annotations"] = json!({"deployment.kubernetes.io/revision": r});
        }
        serde_json::from_value(json!({
            "metadata": meta,
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "checkout-service"}},
                     "template": template(version, None)}
        }))
        .unwrap()
    }

    /// A ReplicaSet of the Deployment `owner` (uid `owner_uid`).
    fn rs(
        owner: &str,
        owner_uid: &str,
        revision: Option<&str>,
        version: &str,
        hash: &str,
    ) -> ReplicaSet {
        let mut annotations = json!({"kubernetes.io/change-cause": format!("deploy {version}")});
        if let Some(r) = revision {
            annotations["deployment.kubernetes.io/revision"] = json!(r);
        }
        serde_json::from_value(json!({
            "metadata": {"name": format!("{owner}-{hash}"), "namespace": "production",
                "creationTimestamp": "2026-03-02T08:00:00Z",
                "labels": {"app": "checkout-service", "pod-template-hash": hash},
                "annotations": annotations,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": owner,
                    "uid": owner_uid, "controller": true}]},
            "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "checkout-service"}},
                     "template": template(version, Some(hash))},
            "status": {"replicas": 0}
        }))
        .unwrap()
    }

    fn numbers(h: &History) -> Vec<(i64, bool)> {
        h.revisions.iter().map(|r| (r.number, r.current)).collect()
    }

    #[test]
    fn replica_sets_become_revisions_newest_first_with_the_current_marked() {
        let d = deployment(Some("d1"), Some("3"), "2.2.0");
        let mut current = rs("checkout-service", "d1", Some("3"), "2.2.0", "ccc");
        current.spec.as_mut().unwrap().replicas = Some(3);
        current.status.as_mut().unwrap().ready_replicas = Some(2);
        let sets = [
            rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa"),
            current,
            rs("checkout-service", "d1", Some("2"), "2.1.0", "bbb"),
        ];
        let h = deployment_history(&d, &sets);
        assert_eq!(
            h.target,
            WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service")
        );
        assert_eq!(numbers(&h), [(3, true), (2, false), (1, false)]);
        let r = h.current().unwrap();
        assert_eq!(r.name, "checkout-service-ccc");
        assert_eq!(r.change_cause.as_deref(), Some("deploy 2.2.0"));
        assert_eq!(
            r.images,
            [
                format!("checkout-service={IMAGE}:2.2.0"),
                format!("init:migrate={IMAGE}-migrate:2.2.0")
            ]
        );
        assert_eq!((r.ready, r.desired), (Some(2), Some(3)));
        assert_eq!(
            h.revision(1).unwrap().ready,
            Some(0),
            "absent readyReplicas is 0"
        );
        assert_eq!(r.created, Some("2026-03-02T08:00:00Z".parse().unwrap()));
    }

    #[test]
    fn templates_lose_the_hash_label_and_match_the_deployment() {
        let d = deployment(Some("d1"), Some("1"), "2.0.0");
        let h = deployment_history(
            &d,
            &[rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa")],
        );
        let t = &h.revisions[0].template;
        assert_eq!(t["metadata"]["labels"], json!({"app": "checkout-service"}));
        assert_eq!(
            *t,
            serde_json::to_value(&d.spec.as_ref().unwrap().template).unwrap()
        );

        // Only the hash label: the labels map goes with it.
        let mut only_hash = rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa");
        let tpl = only_hash.spec.as_mut().unwrap().template.as_mut().unwrap();
        tpl.metadata.as_mut().unwrap().labels =
            Some([("pod-template-hash".to_string(), "aaa".to_string())].into());
        let h = deployment_history(&d, &[only_hash]);
        assert_eq!(h.revisions[0].template["metadata"], json!({}));
    }

    #[test]
    fn other_deployments_replica_sets_are_left_out() {
        let d = deployment(Some("d1"), Some("2"), "2.1.0");
        let sets = [
            rs("checkout-service", "d1", Some("2"), "2.1.0", "bbb"),
            // Same name, other uid: a deleted and recreated deployment's leftover.
            rs("checkout-service", "old-uid", Some("5"), "1.0.0", "zzz"),
            rs("checkout-service-canary", "d2", Some("7"), "2.2.0", "ccc"),
        ];
        let h = deployment_history(&d, &sets);
        assert_eq!(numbers(&h), [(2, true)]);

        // Without a uid, the controller reference's kind and name decide.
        let d = deployment(None, Some("2"), "2.1.0");
        let h = deployment_history(&d, &sets);
        assert_eq!(numbers(&h), [(5, false), (2, true)]);
        let mut not_controller = rs("checkout-service", "d1", Some("9"), "2.1.0", "ddd");
        not_controller.metadata.owner_references.as_mut().unwrap()[0].controller = None;
        assert_eq!(numbers(&deployment_history(&d, &[not_controller])), []);
    }

    #[test]
    fn missing_annotations_are_tolerated() {
        // No revision on the deployment: its template finds the current one.
        let d = deployment(Some("d1"), None, "2.1.0");
        let mut bare = rs("checkout-service", "d1", Some("1"), "2.0.0", "aaa");
        bare.metadata.annotations = Some(
            [(
                "deployment.kubernetes.io/revision".to_string(),
                "1".to_string(),
            )]
            .into(),
        );
        let sets = [
            rs("checkout-service", "d1", Some("2"), "2.1.0", "bbb"),
            rs("checkout-service", "d1", None, "2.2.0", "ccc"),
            rs("checkout-service", "d1", Some("next"), "2.2.0", "ddd"),
            bare,
        ];
        let h = deployment_history(&d, &sets);
        assert_eq!(numbers(&h), [(2, true), (1, false)]);
        assert_eq!(h.revisions[1].change_cause, None);

        // A revision annotation naming no ReplicaSet falls back the same way.
        let d = deployment(Some("d1"), Some("8"), "2.1.0");
        assert_eq!(
            numbers(&deployment_history(&d, &sets)),
            [(2, true), (1, false)]
        );

        // Nothing matches: nothing is current.
        let d = deployment(Some("d1"), None, "9.9.9");
        assert_eq!(
            numbers(&deployment_history(&d, &sets)),
            [(2, false), (1, false)]
        );

        // No spec at all anywhere.
        let empty = Deployment::default();
        let hollow = ReplicaSet {
            metadata: sets[0].metadata.clone(),
            ..ReplicaSet::default()
        };
        let h = deployment_history(&empty, &[hollow]);
        assert!(h.revisions.is_empty(), "no uid, no name: owns nothing");
        let mut named = Deployment::default();
        named.metadata.name = Some("checkout-service".into());
        let hollow = ReplicaSet {
            metadata: sets[0].metadata.clone(),
            ..ReplicaSet::default()
        };
        let h = deployment_history(&named, &[hollow]);
        assert_eq!(h.revisions[0].template, Value::Null);
        assert_eq!(h.revisions[0].desired, None);
        assert!(h.revisions[0].images.is_empty());
    }

    fn cr(
        name: &str,
        revision: i64,
        data: Option<Value>,
        cause: Option<&str>,
    ) -> ControllerRevision {
        let mut meta = json!({"name": name, "namespace": "production",
            "creationTimestamp": format!("2026-03-02T0{revision}:00:00Z")});
        if let Some(c) = cause {
            meta["annotations"] = json!({"kubernetes.io/change-cause": c});
        }
        let mut v = json!({"metadata": meta, "revision": revision});
        if let Some(d) = data {
            v["data"] = d;
        }
        serde_json::from_value(v).unwrap()
    }

    fn sts_data(image: &str) -> Value {
        json!({"spec": {"template": {
            "$patch": "replace",
            "metadata": {"labels": {"app": "postgres", "controller-revision-hash": "postgres-abc"}},
            "spec": {"containers": [{"name": "postgres", "image": image}]}}}})
    }

    #[test]
    fn controller_revisions_become_revisions_with_plain_templates() {
        let target = WorkloadRef::new(WorkloadKind::StatefulSet, "production", "postgres");
        let crs = [
            cr(
                "postgres-6b8f",
                1,
                Some(sts_data("postgres:16.3")),
                Some("16.3"),
            ),
            cr("postgres-7c9d", 3, Some(sts_data("postgres:16.5")), None),
            cr(
                "postgres-5d4c",
                2,
                Some(sts_data("postgres:16.4")),
                Some("16.4"),
            ),
        ];
        let h = controller_history(target.clone(), Some("postgres-5d4c"), &crs);
        assert_eq!(h.target, target);
        assert_eq!(numbers(&h), [(3, false), (2, true), (1, false)]);
        let r = h.current().unwrap();
        assert_eq!(r.change_cause.as_deref(), Some("16.4"));
        assert_eq!(r.images, ["postgres=postgres:16.4"]);
        assert_eq!((r.ready, r.desired), (None, None));
        assert_eq!(
            r.template,
            json!({"metadata": {"labels": {"app": "postgres"}},
                   "spec": {"containers": [{"name": "postgres", "image": "postgres:16.4"}]}})
        );
        assert_eq!(r.created, Some("2026-03-02T02:00:00Z".parse().unwrap()));

        // A DaemonSet names no revision: the highest is current.
        let ds = WorkloadRef::new(WorkloadKind::DaemonSet, "monitoring", "node-agent");
        assert_eq!(
            numbers(&controller_history(ds.clone(), None, &crs)),
            [(3, true), (2, false), (1, false)]
        );
        // A name matching nothing marks nothing.
        assert!(
            controller_history(ds.clone(), Some("gone"), &crs)
                .current()
                .is_none()
        );
        assert!(controller_history(ds, None, &[]).revisions.is_empty());
    }

    #[test]
    fn garbage_controller_revision_data_still_lists_the_revision() {
        let target = WorkloadRef::new(WorkloadKind::StatefulSet, "production", "postgres");
        let crs = [
            cr("a", 1, None, None),
            cr("b", 2, Some(json!("not an object")), None),
            cr("c", 3, Some(json!({"spec": {"template": [1, 2]}})), None),
            cr("d", 4, Some(json!({"spec": null})), None),
            cr(
                "e",
                5,
                Some(json!({"spec": {"template": {"spec": {"containers": "x"}}}})),
                None,
            ),
            cr(
                "f",
                6,
                Some(json!({"spec": {"template": {"$patch": "replace"}}})),
                None,
            ),
        ];
        let h = controller_history(target, Some("c"), &crs);
        assert_eq!(
            numbers(&h),
            [
                (6, false),
                (5, false),
                (4, false),
                (3, true),
                (2, false),
                (1, false)
            ]
        );
        for r in &h.revisions[2..] {
            assert_eq!(r.template, Value::Null, "{}", r.name);
            assert!(r.images.is_empty());
        }
        assert_eq!(h.revisions[0].template, json!({}));
        assert!(h.revisions[1].images.is_empty());
    }
}
