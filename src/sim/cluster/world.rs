//! The sim's whole state behind one lock: the object store, the virtual clock,
//! the random source, and the runtime the simulated kubelet keeps per pod.
//! Every write — from an HTTP client or from a controller — goes through the
//! same path here: defaulting, validation, preconditions, dry-run, and the
//! garbage collection Kubernetes does through ownerReferences.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::queues::Queues;
use super::recorder::EventRecorder;
use super::rng::Rng;
use super::runtime::Kubelet;
use super::story::Story;
use super::time::{after, k8s_time};
use crate::sim::store::resources::{self, ResourceType};
use crate::sim::store::status::ApiError;
use crate::sim::store::validate;
use crate::sim::store::{Store, Stored};

/// Which part of an object a write may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The object itself: status is kept as it was (for kinds with a status subresource).
    Main,
    /// The `status` subresource: only status changes.
    Status,
}

/// What DELETE was asked to do.
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub grace_period_seconds: Option<i64>,
    /// "Orphan" leaves dependents alone; anything else deletes them.
    pub propagation: Option<String>,
    pub precondition_rv: Option<String>,
    pub precondition_uid: Option<String>,
    pub dry_run: bool,
}

pub struct World {
    pub store: Store,
    pub now: Timestamp,
    pub rng: Rng,
    pub kubelet: Kubelet,
    pub story: Story,
    pub queues: Queues,
    pub recorder: EventRecorder,
    next_pod_ip: u32,
    next_service_ip: u32,
}

/// The part of a path after the resource: `status`, `scale`, `log`.
fn has_status(rt: &ResourceType) -> bool {
    rt.subresources.contains(&"status")
}

impl World {
    pub fn new(seed: u64, start: Timestamp, history_limit: usize) -> World {
        World {
            store: Store::new(history_limit),
            now: start,
            rng: Rng::new(seed),
            kubelet: Kubelet::default(),
            story: Story::default(),
            queues: Queues::default(),
            recorder: EventRecorder::default(),
            next_pod_ip: 0,
            next_service_ip: 10,
        }
    }

    pub fn now_text(&self) -> String {
        k8s_time(self.now)
    }

    pub fn alloc_pod_ip(&mut self) -> String {
        self.next_pod_ip += 1;
        let n = self.next_pod_ip;
        format!("10.244.{}.{}", (n / 250) % 250, n % 250 + 2)
    }

    fn alloc_service_ip(&mut self) -> String {
        self.next_service_ip += 1;
        let n = self.next_service_ip;
        format!("10.96.{}.{}", (n / 250) % 250, n % 250)
    }

    /// Creates an object, as POST does. Returns the stored object (or, with
    /// `dry_run`, what would have been stored).
    pub fn create(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        mut obj: Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        }
        check_kind(rt, &obj)?;
        let shape = validate::check_shape(&obj);
        if !shape.is_empty() {
            let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
            return Err(ApiError::invalid(rt.group, rt.kind, &name, &shape));
        }
        let meta = obj["metadata"].as_object().cloned().unwrap_or_default();
        let mut name = meta
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        if name.is_empty() {
            let generate = meta
                .get("generateName")
                .and_then(Value::as_str)
                .unwrap_or("");
            if generate.is_empty() {
                return Err(ApiError::invalid(
                    rt.group,
                    rt.kind,
                    "",
                    &[(
                        "metadata.name".into(),
                        "Required value: name or generateName is required".into(),
                    )],
                ));
            }
            name = format!("{generate}{}", self.rng.name_suffix(5));
        }
        if rt.namespaced {
            let body_ns = meta.get("namespace").and_then(Value::as_str).unwrap_or("");
            if !body_ns.is_empty() && body_ns != namespace {
                return Err(ApiError::bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            if self.store.get("namespaces", "", namespace).is_none() {
                return Err(ApiError::not_found("", "namespaces", namespace));
            }
        }
        if self
            .store
            .get(
                rt.storage,
                if rt.namespaced { namespace } else { "" },
                &name,
            )
            .is_some()
        {
            return Err(ApiError::already_exists(rt.group, rt.plural, &name));
        }
        {
            let m = &mut obj["metadata"];
            if !m.is_object() {
                *m = json!({});
            }
            m["name"] = json!(name);
            if rt.namespaced {
                m["namespace"] = json!(namespace);
            } else if let Some(o) = m.as_object_mut() {
                o.remove("namespace");
            }
            m["uid"] = json!(self.rng.uuid());
            m["creationTimestamp"] = json!(self.now_text());
            if let Some(o) = m.as_object_mut() {
                o.remove("deletionTimestamp");
                o.remove("resourceVersion");
            }
            if has_status(rt) && rt.group == "apps" {
                m["generation"] = json!(1);
            }
        }
        obj["apiVersion"] = json!(rt.api_version());
        obj["kind"] = json!(rt.kind);
        validate::default_object(rt, &mut obj);
        if rt.storage == "services" && obj["spec"]["clusterIP"].as_str().unwrap_or("").is_empty() {
            let ip = self.alloc_service_ip();
            obj["spec"]["clusterIP"] = json!(ip);
            obj["spec"]["clusterIPs"] = json!([ip]);
        }
        let causes = validate::validate(rt, &obj, None);
        if !causes.is_empty() {
            return Err(ApiError::invalid(rt.group, rt.kind, &name, &causes));
        }
        if dry_run {
            return Ok(obj);
        }
        Ok(self.store.put(rt.storage, obj).value())
    }

    /// Replaces an object, as PUT (and PATCH, after the patch is applied) does.
    /// `expected_rv` is the resourceVersion the client sent, if any: a stale one
    /// is a 409 Conflict.
    pub fn replace(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        name: &str,
        mut obj: Value,
        part: Part,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let ns = if rt.namespaced { namespace } else { "" };
        let Some(current) = self.store.get(rt.storage, ns, name) else {
            return Err(ApiError::not_found(rt.group, rt.plural, name));
        };
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        }
        check_kind(rt, &obj)?;
        let shape = validate::check_shape(&obj);
        if !shape.is_empty() {
            return Err(ApiError::invalid(rt.group, rt.kind, name, &shape));
        }
        if obj["metadata"].is_null() {
            obj["metadata"] = json!({});
        }
        let body_name = obj["metadata"]["name"].as_str().unwrap_or(name);
        if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        if let Some(rv) = obj["metadata"]["resourceVersion"].as_str()
            && !rv.is_empty()
            && rv != current.rv.to_string()
        {
            return Err(ApiError::conflict(
                rt.group,
                rt.plural,
                name,
                "the object has been modified; please apply your changes to the latest version and try again",
            ));
        }
        let old = current.value();
        // Fields the server owns.
        for key in [
            "uid",
            "creationTimestamp",
            "generation",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ] {
            match old["metadata"].get(key) {
                Some(v) => obj["metadata"][key] = v.clone(),
                None => {
                    if let Some(m) = obj["metadata"].as_object_mut() {
                        m.remove(key);
                    }
                }
            }
        }
        obj["metadata"]["name"] = json!(name);
        if rt.namespaced {
            obj["metadata"]["namespace"] = json!(ns);
        }
        obj["apiVersion"] = json!(rt.api_version());
        obj["kind"] = json!(rt.kind);
        match part {
            Part::Main if has_status(rt) => {
                set_or_remove(&mut obj, "status", old.get("status").cloned());
            }
            Part::Main => {}
            Part::Status => {
                let status = obj.get("status").cloned();
                obj = old.clone();
                set_or_remove(&mut obj, "status", status);
            }
        }
        validate::default_object(rt, &mut obj);
        if part == Part::Main && rt.group == "apps" && old.get("spec") != obj.get("spec") {
            let generation = old["metadata"]["generation"].as_i64().unwrap_or(1);
            obj["metadata"]["generation"] = json!(generation + 1);
        }
        let causes = validate::validate(rt, &obj, Some(&old));
        if !causes.is_empty() {
            return Err(ApiError::invalid(rt.group, rt.kind, name, &causes));
        }
        // Finalizers emptied on an object being deleted: now it goes.
        let terminating = obj["metadata"].get("deletionTimestamp").is_some();
        let finalizers_left = obj["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty());
        if dry_run {
            return Ok(obj);
        }
        if obj == old {
            // A no-op write does not bump the version, as on a real server.
            return Ok(current.value());
        }
        let stored = self.store.put(rt.storage, obj);
        if terminating && !finalizers_left && rt.storage != "pods" {
            self.store.remove(rt.storage, ns, name);
        }
        Ok(stored.value())
    }

    /// Deletes an object, as DELETE does. Pods on a node are terminated
    /// gracefully by their kubelet; everything else goes at once, and its
    /// dependents are collected unless the propagation policy is Orphan.
    pub fn delete(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        name: &str,
        opts: &DeleteOptions,
    ) -> Result<Value, ApiError> {
        let ns = if rt.namespaced { namespace } else { "" };
        let Some(current) = self.store.get(rt.storage, ns, name) else {
            return Err(ApiError::not_found(rt.group, rt.plural, name));
        };
        let mut obj = current.value();
        if let Some(rv) = &opts.precondition_rv
            && *rv != current.rv.to_string()
        {
            return Err(ApiError::conflict(
                rt.group,
                rt.plural,
                name,
                "the ResourceVersion in the precondition does not match",
            ));
        }
        if let Some(uid) = &opts.precondition_uid
            && obj["metadata"]["uid"].as_str() != Some(uid)
        {
            return Err(ApiError::conflict(
                rt.group,
                rt.plural,
                name,
                "the UID in the precondition does not match",
            ));
        }
        if opts.dry_run {
            return Ok(obj);
        }
        let orphan = opts.propagation.as_deref() == Some("Orphan");
        let uid = obj["metadata"]["uid"].as_str().unwrap_or("").to_string();
        if rt.storage == "pods"
            && obj["spec"]["nodeName"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        {
            let grace = opts
                .grace_period_seconds
                .or_else(|| obj["spec"]["terminationGracePeriodSeconds"].as_i64())
                .unwrap_or(30)
                .max(0);
            // A grace period of 0 (`kubectl delete --force`) removes the pod
            // at once; otherwise its kubelet terminates it — and a pod on a
            // node that is gone stays Terminating, as on a real cluster.
            if grace > 0 {
                if obj["metadata"].get("deletionTimestamp").is_none() {
                    let when = after(self.now, grace);
                    obj["metadata"]["deletionTimestamp"] = json!(k8s_time(when));
                    obj["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
                    return Ok(self.store.put("pods", obj).value());
                }
                return Ok(obj);
            }
        }
        if obj["metadata"]["finalizers"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
        {
            if obj["metadata"].get("deletionTimestamp").is_none() {
                obj["metadata"]["deletionTimestamp"] = json!(self.now_text());
                return Ok(self.store.put(rt.storage, obj).value());
            }
            return Ok(obj);
        }
        let gone = self
            .store
            .remove(rt.storage, ns, name)
            .map(|s| s.value())
            .unwrap_or(obj);
        if rt.storage == "namespaces" {
            self.delete_namespace_contents(name);
        } else if !uid.is_empty() {
            self.collect_dependents(&uid, orphan);
        }
        Ok(gone)
    }

    /// Removes a pod for good (the kubelet's last step after termination).
    pub fn remove_pod(&mut self, namespace: &str, name: &str) {
        self.store.remove("pods", namespace, name);
    }

    /// The garbage collector: objects whose owner is gone are deleted (or, for
    /// Orphan, lose their ownerReference).
    fn collect_dependents(&mut self, owner_uid: &str, orphan: bool) {
        for storage in ["replicasets", "pods", "controllerrevisions", "leases"] {
            let Some(rt) = resources::by_storage(storage) else {
                continue;
            };
            let owned: Vec<Arc<Stored>> = self
                .store
                .list(storage, None, None)
                .items
                .into_iter()
                .filter(|s| s.json.contains(owner_uid))
                .collect();
            for dep in owned {
                let mut v = dep.value();
                let refs = v["metadata"]["ownerReferences"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if !refs.iter().any(|r| r["uid"].as_str() == Some(owner_uid)) {
                    continue;
                }
                if orphan {
                    let kept: Vec<Value> = refs
                        .into_iter()
                        .filter(|r| r["uid"].as_str() != Some(owner_uid))
                        .collect();
                    v["metadata"]["ownerReferences"] = Value::Array(kept);
                    self.store.put(storage, v);
                } else {
                    let _ = self.delete(rt, &dep.namespace, &dep.name, &DeleteOptions::default());
                }
            }
        }
    }

    fn delete_namespace_contents(&mut self, namespace: &str) {
        for rt in resources::RESOURCES
            .iter()
            .filter(|r| r.namespaced && r.is_stored())
        {
            if rt.group == "events.k8s.io" {
                continue;
            }
            for obj in self.store.list(rt.storage, Some(namespace), None).items {
                self.store.remove(rt.storage, namespace, &obj.name);
            }
        }
    }

    /// Writes an object the sim itself owns (controllers, kubelet) without the
    /// client-facing checks; the caller keeps `generation` right.
    pub fn put_internal(&mut self, storage: &'static str, obj: Value) -> Arc<Stored> {
        self.store.put(storage, obj)
    }
}

fn set_or_remove(obj: &mut Value, key: &str, v: Option<Value>) {
    match v {
        Some(v) => obj[key] = v,
        None => {
            if let Some(m) = obj.as_object_mut() {
                m.remove(key);
            }
        }
    }
}

/// `kind` and `apiVersion`, when the body names them, must be this resource's.
fn check_kind(rt: &ResourceType, obj: &Value) -> Result<(), ApiError> {
    if let Some(kind) = obj["kind"].as_str()
        && !kind.is_empty()
        && kind != rt.kind
    {
        return Err(ApiError::bad_request(format!(
            "the object provided is unrecognized (must be of type {}): kind {kind} does not match",
            rt.kind
        )));
    }
    Ok(())
}
