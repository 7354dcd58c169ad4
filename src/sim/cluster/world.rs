//! The sim's whole state behind one lock: the object store, the virtual clock,
//! the random source, and the runtime the simulated kubelet keeps per pod.
//! Every write — from an HTTP client or from a controller — goes through the
//! same path here: defaulting, validation, preconditions, dry-run, and the
//! garbage collection Kubernetes does through ownerReferences.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::crds::{generation_moves, tracks_generation};
use super::queues::Queues;
use super::recorder::EventRecorder;
use super::rng::Rng;
use super::runtime::Kubelet;
use super::story::Story;
use super::time::{after, k8s_time};
use crate::sim::store::crd::{self, CustomResources};
use crate::sim::store::managed::{self, Entry, Operation, Reset, Writer};
use crate::sim::store::resources::{self, ResourceType};
use crate::sim::store::status::ApiError;
use crate::sim::store::validate;
use crate::sim::store::{Store, Stored};

/// The manager the sim's controllers write as.
pub const CONTROLLER_MANAGER: &str = "kube-controller-manager";

/// Who makes a write, as `metadata.managedFields` names it: the
/// `fieldManager` of the request (or its user agent), and the subresource
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manager {
    pub name: String,
    pub subresource: Option<String>,
}

impl Manager {
    pub fn named(name: &str) -> Manager {
        Manager {
            name: name.to_string(),
            subresource: None,
        }
    }

    fn writer<'a>(&'a self, operation: Operation, api_version: &'a str) -> Writer<'a> {
        Writer {
            manager: &self.name,
            operation,
            subresource: self.subresource.as_deref().unwrap_or(""),
            api_version,
        }
    }
}

/// What a server-side apply asks for besides the configuration.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    pub manager: Manager,
    pub part: Part,
    pub force: bool,
    pub dry_run: bool,
}

/// How a write's managedFields are found: computed for an update by this
/// manager, or already computed (by an apply).
#[derive(Debug, Clone, Copy)]
enum Fields<'a> {
    UpdateBy(&'a Manager),
    Given,
}

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
    /// The custom resources served, from the established definitions.
    pub crds: CustomResources,
    /// A second random stream for what the Service, Ingress and quota
    /// machinery adds (slice names, uids, node ports): drawing from it leaves
    /// the main stream, and so every pod name the shop has always had, as it was.
    aside_rng: Rng,
    /// How deep in [`World::aside`] calls we are (the streams swap at 0).
    aside_depth: u32,
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
            crds: CustomResources::default(),
            aside_rng: Rng::new(seed.rotate_left(32) ^ 0x0a51_de0a_51de_0a51),
            aside_depth: 0,
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

    /// Runs `f` with the aside random stream in place of the main one (see
    /// the field `aside_rng`): objects and events it creates take their
    /// names and uids from there.
    /// Nested calls stay on the aside stream.
    pub fn aside<T>(&mut self, f: impl FnOnce(&mut World) -> T) -> T {
        if self.aside_depth == 0 {
            std::mem::swap(&mut self.rng, &mut self.aside_rng);
        }
        self.aside_depth += 1;
        let out = f(self);
        self.aside_depth -= 1;
        if self.aside_depth == 0 {
            std::mem::swap(&mut self.rng, &mut self.aside_rng);
        }
        out
    }

    /// Creates an object as the sim's controllers do (see [`World::create_by`]).
    pub fn create(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        obj: Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let by = Manager::named(CONTROLLER_MANAGER);
        self.create_with(rt, namespace, obj, dry_run, Fields::UpdateBy(&by))
    }

    /// Creates an object, as POST does, written by `by`. Returns the stored
    /// object (or, with `dry_run`, what would have been stored).
    pub fn create_by(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        obj: Value,
        dry_run: bool,
        by: &Manager,
    ) -> Result<Value, ApiError> {
        self.create_with(rt, namespace, obj, dry_run, Fields::UpdateBy(by))
    }

    fn create_with(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        mut obj: Value,
        dry_run: bool,
        fields: Fields,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        }
        check_kind(rt, &obj)?;
        // A request routed just before its definition was deleted.
        if crd::is_custom(rt) && self.crds.version(rt.group, rt.version, rt.plural).is_none() {
            return Err(ApiError::no_such_path());
        }
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
            if tracks_generation(rt) {
                m["generation"] = json!(1);
            }
        }
        obj["apiVersion"] = json!(rt.api_version());
        obj["kind"] = json!(rt.kind);
        // A custom resource's status, when a subresource, is not written by create.
        if crd::is_custom(rt)
            && has_status(rt)
            && let Some(o) = obj.as_object_mut()
        {
            o.remove("status");
        }
        if rt.storage == "pods" {
            super::admission::limit_ranger(self, namespace, &mut obj);
        }
        validate::default_object(rt, &mut obj);
        if rt.storage == "services" && obj["spec"]["clusterIP"].as_str().unwrap_or("").is_empty() {
            let ip = self.alloc_service_ip();
            obj["spec"]["clusterIP"] = json!(ip);
            obj["spec"]["clusterIPs"] = json!([ip]);
        }
        if rt.storage == "services" {
            self.aside(|w| super::services::allocate(w, &mut obj, None));
        }
        if let Fields::UpdateBy(by) = fields {
            let base = managed::decode(&obj).unwrap_or_default();
            let new = managed::strip(&obj);
            let api_version = rt.api_version();
            let who = by.writer(Operation::Update, &api_version);
            let entries = managed::record_update(
                base,
                &managed::empty_like(&new),
                &new,
                &who,
                &self.now_text(),
            );
            managed::set_on(&mut obj, &entries);
        }
        let causes = validate::validate(rt, &obj, None);
        if !causes.is_empty() {
            return Err(ApiError::invalid(rt.group, rt.kind, &name, &causes));
        }
        self.crd_admit(rt, &mut obj, None);
        super::admission::check_quota(self, rt, namespace, &obj, dry_run)?;
        if dry_run {
            return Ok(obj);
        }
        let stored = self.store.put(rt.storage, obj).value();
        self.crd_written(rt, &stored);
        Ok(stored)
    }

    /// Replaces an object as the sim's controllers would (see [`World::replace_by`]).
    #[cfg(test)]
    pub fn replace(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        name: &str,
        obj: Value,
        part: Part,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let by = Manager::named(CONTROLLER_MANAGER);
        self.replace_by(rt, namespace, name, obj, part, dry_run, &by)
    }

    /// Replaces an object, as PUT (and PATCH, after the patch is applied)
    /// does, written by `by`. A resourceVersion in the body that is not the
    /// current one is a 409 Conflict.
    #[allow(clippy::too_many_arguments)]
    pub fn replace_by(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        name: &str,
        obj: Value,
        part: Part,
        dry_run: bool,
        by: &Manager,
    ) -> Result<Value, ApiError> {
        self.replace_with(
            rt,
            namespace,
            name,
            obj,
            part,
            dry_run,
            Fields::UpdateBy(by),
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn replace_with(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        name: &str,
        mut obj: Value,
        part: Part,
        dry_run: bool,
        fields: Fields,
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
                let given = obj["metadata"].get("managedFields").cloned();
                obj = old.clone();
                set_or_remove(&mut obj, "status", status);
                if let Fields::Given = fields {
                    set_or_remove(&mut obj["metadata"], "managedFields", given);
                }
            }
        }
        validate::default_object(rt, &mut obj);
        if rt.storage == "services" && part == Part::Main {
            self.aside(|w| super::services::allocate(w, &mut obj, Some(&old)));
        }
        if part == Part::Main && tracks_generation(rt) && generation_moves(rt, &old, &obj) {
            let generation = old["metadata"]["generation"].as_i64().unwrap_or(1);
            obj["metadata"]["generation"] = json!(generation + 1);
        }
        if let Fields::UpdateBy(by) = fields {
            // Managed fields the client sent are taken as they are (that is
            // how they are edited); a client that sent none keeps the old ones.
            let sent = match part {
                Part::Main => managed::decode(&obj).filter(|e| !e.is_empty()),
                Part::Status => None,
            };
            let base = sent.or_else(|| managed::decode(&old)).unwrap_or_default();
            let api_version = rt.api_version();
            let who = by.writer(Operation::Update, &api_version);
            let (before, after) = (managed::strip(&old), managed::strip(&obj));
            let entries = managed::record_update(base, &before, &after, &who, &self.now_text());
            managed::set_on(&mut obj, &entries);
        }
        let causes = validate::validate(rt, &obj, Some(&old));
        if !causes.is_empty() {
            return Err(ApiError::invalid(rt.group, rt.kind, name, &causes));
        }
        self.crd_admit(rt, &mut obj, Some(&old));
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
            self.crd_removed(rt, name);
        } else {
            self.crd_written(rt, &stored.value());
        }
        Ok(stored.value())
    }

    /// Server-side apply: merges `config` into the object (creating it when
    /// there is none) as `opts.manager`, keeping managedFields. Returns the
    /// object and whether it was created.
    pub fn apply(
        &mut self,
        rt: &'static ResourceType,
        namespace: &str,
        name: &str,
        mut config: Value,
        opts: &ApplyOptions,
    ) -> Result<(Value, bool), ApiError> {
        let api_version = rt.api_version();
        managed::check_config(&config, &api_version)?;
        check_kind(rt, &config)?;
        let body_name = config["metadata"]["name"].as_str().unwrap_or(name);
        if body_name != name {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        config["metadata"]["name"] = json!(name);
        let reset = match opts.part {
            Part::Status => Reset::AllButStatus,
            Part::Main if has_status(rt) => Reset::Status,
            Part::Main => Reset::Nothing,
        };
        let who = opts.manager.writer(Operation::Apply, &api_version);
        let ns = if rt.namespaced { namespace } else { "" };
        let current = self.store.get(rt.storage, ns, name).map(|s| s.value());
        let (live, entries) = match &current {
            Some(old) => (
                managed::strip(old),
                managed::decode(old).unwrap_or_default(),
            ),
            None if opts.part == Part::Main => (json!({}), Vec::<Entry>::new()),
            None => return Err(ApiError::not_found(rt.group, rt.plural, name)),
        };
        let now = self.now_text();
        let (mut obj, entries) =
            managed::apply(entries, &live, &config, &who, reset, opts.force, &now)
                .map_err(|e| e.to_api_error())?;
        managed::set_on(&mut obj, &entries);
        if current.is_none() {
            let created = self.create_with(rt, namespace, obj, opts.dry_run, Fields::Given)?;
            return Ok((created, true));
        }
        let replaced = self.replace_with(
            rt,
            namespace,
            name,
            obj,
            opts.part,
            opts.dry_run,
            Fields::Given,
        )?;
        Ok((replaced, false))
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
        self.crd_removed(rt, name);
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
        for rt in self.namespaced_custom() {
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
