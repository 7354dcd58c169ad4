//! What the apiextensions API server does around the writes of a
//! CustomResourceDefinition: it sets the status its controllers would
//! (names accepted, established, stored versions) at once, starts serving
//! the resources when the definition is stored, and when the definition
//! goes, deletes every object of its resources and stops serving them.

use serde_json::Value;

use super::world::World;
use crate::sim::store::crd::{self, CRD_STORAGE};
use crate::sim::store::resources::ResourceType;

impl World {
    /// Gives a definition about to be written the status the API server's
    /// naming and establishing controllers set.
    pub(super) fn crd_admit(&self, rt: &ResourceType, obj: &mut Value, old: Option<&Value>) {
        if rt.storage != CRD_STORAGE {
            return;
        }
        let old_status = old.map(|o| &o["status"]);
        obj["status"] = crd::accepted_status(obj, old_status, &self.now_text());
    }

    /// A definition was stored: serve what it declares now.
    pub(super) fn crd_written(&mut self, rt: &ResourceType, stored: &Value) {
        if rt.storage == CRD_STORAGE {
            self.crds.set(stored);
        }
    }

    /// A definition was removed: its objects go with it (each with its
    /// DELETED watch event) and its resources are no longer served.
    pub(super) fn crd_removed(&mut self, rt: &ResourceType, name: &str) {
        if rt.storage != CRD_STORAGE {
            return;
        }
        if let Some((custom, _)) = self.crds.storages().into_iter().find(|(_, n)| n == name) {
            for obj in self.store.list(custom.storage, None, None).items {
                self.store.remove(custom.storage, &obj.namespace, &obj.name);
            }
        }
        self.crds.remove(name);
    }

    /// The namespaced custom resources served now, for a namespace's deletion.
    pub(super) fn namespaced_custom(&self) -> Vec<&'static ResourceType> {
        self.crds
            .storages()
            .into_iter()
            .map(|(rt, _)| rt)
            .filter(|rt| rt.namespaced)
            .collect()
    }
}

/// Whether a write changes `metadata.generation`: created objects of these
/// kinds start at 1.
pub(super) fn tracks_generation(rt: &ResourceType) -> bool {
    (matches!(rt.group, "apps" | "autoscaling" | "batch") && rt.subresources.contains(&"status"))
        || rt.storage == CRD_STORAGE
        || crd::is_custom(rt)
}

/// Whether a write moves `metadata.generation` on: workloads, autoscalers
/// and jobs when their spec changes; custom resources and definitions when anything but
/// metadata (and status, when it is a subresource) changes.
pub(super) fn generation_moves(rt: &ResourceType, old: &Value, new: &Value) -> bool {
    if matches!(rt.group, "apps" | "autoscaling" | "batch") {
        return old.get("spec") != new.get("spec");
    }
    if !(rt.storage == CRD_STORAGE || crd::is_custom(rt)) {
        return false;
    }
    let status_apart = rt.subresources.contains(&"status");
    let body = |v: &Value| -> Vec<(String, Value)> {
        v.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != "metadata" && !(status_apart && k.as_str() == "status"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    body(old) != body(new)
}
