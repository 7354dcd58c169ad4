//! `metadata.managedFields`: who set which field of an object, kept on every
//! write as the API server keeps it (k8s.io/apimachinery
//! `pkg/util/managedfields`, sigs.k8s.io/structured-merge-diff `merge`).
//!
//! An update (create, PUT, the three patch types) gives its manager the
//! fields it changed and takes them from everyone else ([`record_update`]).
//! An apply ([`apply`]) merges the applied configuration into the object,
//! makes the applier own exactly the fields it applied, removes the fields
//! it applied last time and no longer does (when nobody else owns them),
//! and refuses to change a field another manager owns unless forced.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::fields::walk::{self, Comparison};
use super::fields::{FieldSet, Path, Pe, path_string, walk_order};
use super::status::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    Apply,
    Update,
}

impl Operation {
    fn as_str(self) -> &'static str {
        match self {
            Operation::Apply => "Apply",
            Operation::Update => "Update",
        }
    }
}

/// One entry of `metadata.managedFields`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub manager: String,
    pub operation: Operation,
    pub api_version: String,
    pub time: Option<String>,
    /// "" for the object itself.
    pub subresource: String,
    pub fields: FieldSet,
}

/// Who writes: one entry is kept per manager, operation and subresource
/// (and API version, for updates).
#[derive(Debug, Clone, Copy)]
pub struct Writer<'a> {
    pub manager: &'a str,
    pub operation: Operation,
    pub subresource: &'a str,
    pub api_version: &'a str,
}

impl Entry {
    fn is(&self, who: &Writer) -> bool {
        self.manager == who.manager
            && self.operation == who.operation
            && self.subresource == who.subresource
            && (self.operation == Operation::Apply || self.api_version == who.api_version)
    }

    /// The manager as conflicts name it: `"kubectl" using apps/v1` for an
    /// update, `"kubectl"` for an apply, with the subresource if any.
    pub fn describe(&self) -> String {
        let mut s = json!(self.manager).to_string();
        if !self.subresource.is_empty() {
            s.push_str(&format!(" with subresource {}", json!(self.subresource)));
        }
        if self.operation == Operation::Update {
            s.push_str(&format!(" using {}", self.api_version));
        }
        s
    }

    fn to_json(&self) -> Value {
        let mut v = json!({
            "manager": self.manager,
            "operation": self.operation.as_str(),
            "apiVersion": self.api_version,
        });
        if let Some(t) = &self.time {
            v["time"] = json!(t);
        }
        v["fieldsType"] = json!("FieldsV1");
        v["fieldsV1"] = self.fields.to_fields_v1();
        if !self.subresource.is_empty() {
            v["subresource"] = json!(self.subresource);
        }
        v
    }

    fn from_json(v: &Value) -> Option<Entry> {
        let operation = match v["operation"].as_str()? {
            "Apply" => Operation::Apply,
            "Update" => Operation::Update,
            _ => return None,
        };
        Some(Entry {
            manager: v["manager"].as_str().unwrap_or("").to_string(),
            operation,
            api_version: v["apiVersion"].as_str().unwrap_or("").to_string(),
            time: v["time"].as_str().map(String::from),
            subresource: v["subresource"].as_str().unwrap_or("").to_string(),
            fields: FieldSet::from_fields_v1(v.get("fieldsV1").unwrap_or(&json!({}))).ok()?,
        })
    }
}

/// The entries of an object; None when it has none or they cannot be read.
pub fn decode(obj: &Value) -> Option<Vec<Entry>> {
    let list = obj["metadata"]["managedFields"].as_array()?;
    list.iter().map(Entry::from_json).collect()
}

/// The API server's order: applies first, then by time, manager, version.
fn order(a: &Entry, b: &Entry) -> Ordering {
    let time = |e: &Entry| e.time.clone().unwrap_or_default();
    (
        a.operation,
        time(a),
        &a.manager,
        &a.api_version,
        &a.subresource,
    )
        .cmp(&(
            b.operation,
            time(b),
            &b.manager,
            &b.api_version,
            &b.subresource,
        ))
}

/// Writes `entries` into the object (and removes the field when there are none).
pub fn set_on(obj: &mut Value, entries: &[Entry]) {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| order(a, b));
    let list: Vec<Value> = sorted.iter().map(|e| e.to_json()).collect();
    let Some(meta) = obj.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    if list.is_empty() {
        meta.remove("managedFields");
    } else {
        meta.insert("managedFields".into(), Value::Array(list));
    }
}

/// The object without its managedFields.
pub fn strip(obj: &Value) -> Value {
    let mut v = obj.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    v
}

/// Fields the API server never gives to anyone.
fn untracked(path: &Path) -> bool {
    match path.as_slice() {
        [Pe::Field(f)] => matches!(f.as_str(), "apiVersion" | "kind" | "metadata"),
        [Pe::Field(m), Pe::Field(f)] if m == "metadata" => matches!(
            f.as_str(),
            "name"
                | "namespace"
                | "creationTimestamp"
                | "selfLink"
                | "uid"
                | "clusterName"
                | "generation"
                | "managedFields"
                | "resourceVersion"
        ),
        _ => false,
    }
}

/// Which part of the object a write may own: the status of a kind with a
/// status subresource belongs to the subresource, the rest to the object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reset {
    Nothing,
    Status,
    AllButStatus,
}

fn tracked(mut set: FieldSet, reset: Reset) -> FieldSet {
    let in_status = |p: &Path| matches!(p.first(), Some(Pe::Field(f)) if f == "status");
    set.retain(|p| {
        !untracked(p)
            && match reset {
                Reset::Nothing => true,
                Reset::Status => !in_status(p),
                Reset::AllButStatus => in_status(p),
            }
    });
    set
}

fn compare(old: &Value, new: &Value, reset: Reset) -> Comparison {
    let c = walk::compare(old, new);
    Comparison {
        added: tracked(c.added, reset),
        removed: tracked(c.removed, reset),
        modified: tracked(c.modified, reset),
    }
}

/// What a newly created object is compared with: the parts Go always has
/// (structs that are not pointers) are there, empty, so a create does not
/// own `.spec` itself, only what is in it.
pub fn empty_like(new: &Value) -> Value {
    const ALWAYS_THERE: &[&[&str]] = &[
        &["metadata"],
        &["spec"],
        &["status"],
        &["spec", "template"],
        &["spec", "template", "metadata"],
        &["spec", "template", "spec"],
        &["spec", "strategy"],
        &["spec", "updateStrategy"],
        &["status", "loadBalancer"],
        &["involvedObject"],
        &["source"],
    ];
    let mut empty = json!({});
    for path in ALWAYS_THERE {
        let there = path
            .iter()
            .try_fold(new, |v, k| v.get(*k))
            .is_some_and(Value::is_object);
        if there {
            let mut at = &mut empty;
            for k in *path {
                at = &mut at[*k];
                if !at.is_object() {
                    *at = json!({});
                }
            }
        }
    }
    empty
}

/// The entries after an update by `who` from `old` to `new` (both without
/// managedFields): `who` gets what changed, everyone loses what changed or
/// went away.
pub fn record_update(
    entries: Vec<Entry>,
    old: &Value,
    new: &Value,
    who: &Writer,
    now: &str,
) -> Vec<Entry> {
    let c = compare(old, new, Reset::Nothing);
    let changed = c.added.union(&c.modified);
    let mut out = Vec::with_capacity(entries.len() + 1);
    let mut mine = None;
    for mut e in entries {
        if e.is(who) {
            mine = Some(e);
            continue;
        }
        e.fields = e.fields.difference(&changed).difference(&c.removed);
        if !e.fields.is_empty() {
            out.push(e);
        }
    }
    let mut mine = mine.unwrap_or_else(|| Entry {
        manager: who.manager.to_string(),
        operation: Operation::Update,
        api_version: who.api_version.to_string(),
        time: None,
        subresource: who.subresource.to_string(),
        fields: FieldSet::new(),
    });
    mine.fields = mine.fields.difference(&c.removed).union(&changed);
    if !changed.is_empty() {
        mine.time = Some(now.to_string());
    }
    if !mine.fields.is_empty() {
        out.push(mine);
    }
    out
}

/// Why an apply was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyError {
    /// The configuration cannot be applied (a list element without its key…).
    Invalid(String),
    /// Fields other managers own would change: (manager, path) each.
    Conflicts(Vec<(String, Path)>),
}

impl ApplyError {
    pub fn to_api_error(&self) -> ApiError {
        match self {
            ApplyError::Invalid(why) => ApiError::bad_request(why.clone()),
            ApplyError::Conflicts(list) => {
                let list: Vec<(String, String)> = list
                    .iter()
                    .map(|(m, p)| (m.clone(), path_string(p)))
                    .collect();
                ApiError::apply_conflict(&list)
            }
        }
    }
}

/// Applies `config` by `who` to `live` (without managedFields; `{}` when
/// the object does not exist yet). Returns the new object (without
/// managedFields) and the new entries.
pub fn apply(
    entries: Vec<Entry>,
    live: &Value,
    config: &Value,
    who: &Writer,
    reset: Reset,
    force: bool,
    now: &str,
) -> Result<(Value, Vec<Entry>), ApplyError> {
    let set = tracked(
        walk::applied_set(config).map_err(ApplyError::Invalid)?,
        reset,
    );
    let mut merged = walk::merge(live, config);
    let (mine, mut others): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| e.is(who));
    let previous = mine.into_iter().next();
    let last = previous
        .as_ref()
        .map(|e| e.fields.clone())
        .unwrap_or_default();

    // What this manager applied last time and no longer does goes, unless
    // someone else owns it too.
    let owned = others
        .iter()
        .fold(set.clone(), |all, e| all.union(&e.fields));
    let dropped = last.difference(&owned);
    for path in dropped.iter().rev() {
        walk::remove(&mut merged, path);
    }

    let c = compare(live, &merged, reset);
    let changed = c.added.union(&c.modified);
    if !force {
        let mut conflicts: Vec<(&Entry, Vec<Path>)> = others
            .iter()
            .filter_map(|e| {
                let mut paths: Vec<Path> =
                    e.fields.intersection(&changed).iter().cloned().collect();
                paths.sort_by(|a, b| walk_order(a, b));
                (!paths.is_empty()).then_some((e, paths))
            })
            .collect();
        if !conflicts.is_empty() {
            conflicts.sort_by(|(a, _), (b, _)| {
                (&a.manager, a.operation, &a.api_version, &a.subresource).cmp(&(
                    &b.manager,
                    b.operation,
                    &b.api_version,
                    &b.subresource,
                ))
            });
            let list = conflicts
                .into_iter()
                .flat_map(|(e, paths)| paths.into_iter().map(|p| (e.describe(), p)))
                .collect();
            return Err(ApplyError::Conflicts(list));
        }
    }
    for e in &mut others {
        e.fields = e.fields.difference(&changed).difference(&c.removed);
    }
    others.retain(|e| !e.fields.is_empty());

    let object_changed = merged != *live;
    let time = match &previous {
        Some(p) if !object_changed => p.time.clone(),
        _ => Some(now.to_string()),
    };
    if !set.is_empty() {
        others.push(Entry {
            manager: who.manager.to_string(),
            operation: Operation::Apply,
            api_version: config["apiVersion"]
                .as_str()
                .unwrap_or(who.api_version)
                .to_string(),
            time,
            subresource: who.subresource.to_string(),
            fields: set,
        });
    }
    Ok((merged, others))
}

/// The applied configuration's own checks, before anything is merged.
pub fn check_config(config: &Value, api_version: &str) -> Result<(), ApiError> {
    let Some(obj) = config.as_object() else {
        return Err(ApiError::bad_request(
            "error decoding YAML: the apply configuration must be an object",
        ));
    };
    if obj
        .get("metadata")
        .and_then(Value::as_object)
        .is_some_and(|m: &Map<String, Value>| m.get("managedFields").is_some_and(|f| !f.is_null()))
    {
        return Err(ApiError::bad_request("metadata.managedFields must be nil"));
    }
    let sent = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if sent != api_version {
        return Err(ApiError::bad_request(format!(
            "Incorrect version specified in apply patch. Specified patch version: {sent}, expected: {api_version}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
