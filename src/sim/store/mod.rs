//! The sim's object store: JSON documents keyed by storage, namespace and name,
//! one cluster-wide resourceVersion, and a bounded history of changes that
//! watches replay from.
//!
//! Objects are kept serialized (`Arc<str>`), the way etcd keeps them: a LIST or a
//! watch event is written out without re-encoding, and 10,000 pods cost their
//! JSON size rather than a tree of `serde_json::Value` nodes. Labels are kept
//! beside the bytes because every selector needs them.
//!
//! The floor of the sim: it imports nothing else of it. Beside the store
//! itself: the kinds the server keeps ([`resources`]), label and field
//! selectors ([`selector`]), the `metav1.Status` errors every layer answers
//! with ([`status`]), the defaulting and validation every write passes
//! ([`validate`]), and who owns which field (`metadata.managedFields`,
//! server-side apply: [`managed`], on the paths and sets of [`fields`]).

pub mod crd;
pub mod cron;
pub mod fields;
pub mod managed;
pub mod resources;
pub mod selector;
pub mod status;
pub mod validate;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;

use status::ApiError;

/// Labels of an object, as selectors see them.
pub type Labels = BTreeMap<String, String>;

/// One stored version of one object.
#[derive(Debug)]
pub struct Stored {
    pub rv: u64,
    pub namespace: String,
    pub name: String,
    pub json: Arc<str>,
    pub labels: Labels,
    /// The uids in `metadata.ownerReferences`, so controllers find what
    /// they own without reading every object.
    pub owners: Vec<String>,
}

impl Stored {
    pub fn value(&self) -> Value {
        // The store only ever holds what it serialized itself.
        serde_json::from_str(&self.json).unwrap_or(Value::Null)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

/// One change, as watches see it. `prev` is the object before a modification,
/// so that a selector watch can turn "stopped matching" into DELETED.
#[derive(Debug)]
pub struct Change {
    pub kind: EventType,
    pub storage: &'static str,
    pub object: Arc<Stored>,
    pub prev: Option<Arc<Stored>>,
}

/// The key of an object: namespace ("" for cluster-scoped) and name.
pub type Key = (String, String);

/// A key written since the controllers last looked; `gone` holds the last
/// state of a removed object, so its owner can still be found.
pub struct Dirty {
    pub storage: &'static str,
    pub namespace: String,
    pub name: String,
    pub gone: Option<Arc<Stored>>,
}

/// What a list returns: the matching objects and the store's version at the time.
pub struct Snapshot {
    pub rv: u64,
    pub items: Vec<Arc<Stored>>,
}

pub struct Store {
    rv: u64,
    objects: BTreeMap<&'static str, BTreeMap<Key, Arc<Stored>>>,
    history: VecDeque<Arc<Change>>,
    history_limit: usize,
    /// Changes up to and including this version are no longer in `history`.
    compacted: u64,
    watch_tx: broadcast::Sender<Arc<Change>>,
    /// Keys written since the controllers last looked.
    dirty: Vec<Dirty>,
    /// Writes (puts and removals) per storage since the start.
    writes: BTreeMap<&'static str, u64>,
}

impl Store {
    pub fn new(history_limit: usize) -> Store {
        let (watch_tx, _) = broadcast::channel(8192);
        Store {
            rv: 1,
            objects: BTreeMap::new(),
            history: VecDeque::new(),
            history_limit: history_limit.max(16),
            compacted: 1,
            watch_tx,
            dirty: Vec::new(),
            writes: BTreeMap::new(),
        }
    }

    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    pub fn compacted(&self) -> u64 {
        self.compacted
    }

    /// Forgets history up to the current version: every watch or list that
    /// names an older version gets `410 Gone` (the `expire-rv` fault).
    pub fn compact_all(&mut self) {
        self.history.clear();
        self.compacted = self.rv;
    }

    pub fn get(&self, storage: &str, namespace: &str, name: &str) -> Option<Arc<Stored>> {
        self.objects
            .get(storage)?
            .get(&(namespace.to_string(), name.to_string()))
            .cloned()
    }

    pub fn get_value(&self, storage: &str, namespace: &str, name: &str) -> Option<Value> {
        self.get(storage, namespace, name).map(|s| s.value())
    }

    /// Objects of one storage, optionally one namespace, in key order, starting
    /// after `after` (a continue token's last key).
    pub fn list(&self, storage: &str, namespace: Option<&str>, after: Option<&Key>) -> Snapshot {
        let mut items = Vec::new();
        if let Some(map) = self.objects.get(storage) {
            let start = match (after, namespace) {
                (Some(k), _) => std::ops::Bound::Excluded(k.clone()),
                (None, Some(ns)) => std::ops::Bound::Included((ns.to_string(), String::new())),
                (None, None) => std::ops::Bound::Unbounded,
            };
            for ((ns, _), obj) in map.range((start, std::ops::Bound::Unbounded)) {
                if let Some(want) = namespace
                    && ns != want
                {
                    if ns.as_str() > want {
                        break;
                    }
                    continue;
                }
                items.push(obj.clone());
            }
        }
        Snapshot { rv: self.rv, items }
    }

    /// Number of objects in a storage (all namespaces).
    pub fn count(&self, storage: &str) -> usize {
        self.objects.get(storage).map_or(0, |m| m.len())
    }

    /// Parsed objects of one storage, optionally one namespace.
    pub fn values(&self, storage: &str, namespace: Option<&str>) -> Vec<Value> {
        self.list(storage, namespace, None)
            .items
            .iter()
            .map(|s| s.value())
            .collect()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Change>> {
        self.watch_tx.subscribe()
    }

    /// Changes after `rv` still in history, or `410` when some were forgotten.
    pub fn changes_since(&self, rv: u64) -> Result<Vec<Arc<Change>>, ApiError> {
        if rv < self.compacted {
            return Err(ApiError::expired(format!(
                "too old resource version: {rv} ({})",
                self.compacted
            )));
        }
        // History is ordered by version; skip what the client already has.
        let start = self.history.partition_point(|c| c.object.rv <= rv);
        Ok(self.history.range(start..).cloned().collect())
    }

    /// Keys written since the last call.
    pub fn take_dirty(&mut self) -> Vec<Dirty> {
        std::mem::take(&mut self.dirty)
    }

    /// Writes `value` as the new version of the object it names, stamping
    /// `metadata.resourceVersion`. Returns the stored version. Callers have
    /// already validated, defaulted and checked preconditions.
    pub fn put(&mut self, storage: &'static str, mut value: Value) -> Arc<Stored> {
        self.rv += 1;
        let rv = self.rv;
        let meta = &mut value["metadata"];
        meta["resourceVersion"] = Value::String(rv.to_string());
        let namespace = meta["namespace"].as_str().unwrap_or("").to_string();
        let name = meta["name"].as_str().unwrap_or("").to_string();
        let labels = labels_of(&value);
        let owners = owners_of(&value);
        let json: Arc<str> = serde_json::to_string(&value)
            .unwrap_or_else(|_| "{}".to_string())
            .into();
        let stored = Arc::new(Stored {
            rv,
            namespace: namespace.clone(),
            name: name.clone(),
            json,
            labels,
            owners,
        });
        let prev = self
            .objects
            .entry(storage)
            .or_default()
            .insert((namespace.clone(), name.clone()), stored.clone());
        let kind = if prev.is_some() {
            EventType::Modified
        } else {
            EventType::Added
        };
        self.record(Change {
            kind,
            storage,
            object: stored.clone(),
            prev,
        });
        self.dirty.push(Dirty {
            storage,
            namespace,
            name,
            gone: None,
        });
        stored
    }

    /// Removes an object. The DELETED event carries the object as it was,
    /// with a new resourceVersion, as the API server sends it.
    pub fn remove(
        &mut self,
        storage: &'static str,
        namespace: &str,
        name: &str,
    ) -> Option<Arc<Stored>> {
        let key = (namespace.to_string(), name.to_string());
        let old = self.objects.get_mut(storage)?.remove(&key)?;
        self.rv += 1;
        let mut value = old.value();
        value["metadata"]["resourceVersion"] = Value::String(self.rv.to_string());
        let json: Arc<str> = serde_json::to_string(&value)
            .unwrap_or_else(|_| "{}".to_string())
            .into();
        let gone = Arc::new(Stored {
            rv: self.rv,
            namespace: old.namespace.clone(),
            name: old.name.clone(),
            json,
            labels: old.labels.clone(),
            owners: old.owners.clone(),
        });
        self.record(Change {
            kind: EventType::Deleted,
            storage,
            object: gone.clone(),
            prev: Some(old),
        });
        self.dirty.push(Dirty {
            storage,
            namespace: key.0,
            name: key.1,
            gone: Some(gone.clone()),
        });
        Some(gone)
    }

    /// Writes (creations, updates, removals) to one storage so far.
    pub fn writes(&self, storage: &str) -> u64 {
        self.writes.get(storage).copied().unwrap_or(0)
    }

    fn record(&mut self, change: Change) {
        *self.writes.entry(change.storage).or_default() += 1;
        let change = Arc::new(change);
        if self.history.len() >= self.history_limit
            && let Some(old) = self.history.pop_front()
        {
            self.compacted = old.object.rv;
        }
        self.history.push_back(change.clone());
        // No receivers is fine: nobody is watching.
        let _ = self.watch_tx.send(change);
    }
}

/// `metadata.labels` as a map (non-string values are ignored).
pub fn labels_of(value: &Value) -> Labels {
    value["metadata"]["labels"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// The uids of `metadata.ownerReferences`.
pub fn owners_of(value: &Value) -> Vec<String> {
    value["metadata"]["ownerReferences"]
        .as_array()
        .map(|refs| {
            refs.iter()
                .filter_map(|r| Some(r["uid"].as_str()?.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
