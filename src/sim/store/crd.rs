//! CustomResourceDefinitions (`apiextensions.k8s.io/v1`): what the API
//! server checks in one, the status it sets (`NamesAccepted`,
//! `Established`, `acceptedNames`, `storedVersions`), and the registry of
//! the custom resources served while their definition exists.
//!
//! Every other layer takes a resource as `&'static ResourceType`. A custom
//! resource gets one too: [`intern`] leaks one `ResourceType` per distinct
//! definition (group, version, names, scope, subresources) and hands the
//! same one back when it is seen again, so memory is bounded by the
//! distinct definitions ever created in the process, not by writes, and no
//! code that takes `&'static ResourceType` had to change. Whether a custom
//! resource is *served* is per world: [`CustomResources`], kept beside the
//! store, maps the established definitions to their served versions.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};

use super::resources::ResourceType;

/// Where the definitions themselves are stored.
pub const CRD_STORAGE: &str = "customresourcedefinitions";

/// A custom resource (its storage key is `<plural>.<group>`, which no
/// built-in kind's has).
pub fn is_custom(rt: &ResourceType) -> bool {
    rt.storage.contains('.')
}

/// One `additionalPrinterColumns` entry of a served version.
#[derive(Debug, Clone, PartialEq)]
pub struct PrinterColumn {
    pub name: String,
    /// integer, number, string, boolean or date.
    pub ty: String,
    pub format: String,
    pub description: String,
    pub priority: i64,
    pub json_path: String,
}

/// One served version of one custom resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ServedVersion {
    pub rt: &'static ResourceType,
    /// The definition's name, `<plural>.<group>`.
    pub crd: String,
    pub columns: Vec<PrinterColumn>,
    /// `schema.openAPIV3Schema` of this version (`{}` when none).
    pub schema: Value,
}

/// The custom resources a world serves, by definition name, in the order
/// of their versions' priority (the preferred version first).
#[derive(Debug, Clone, Default)]
pub struct CustomResources {
    served: BTreeMap<String, Vec<Arc<ServedVersion>>>,
}

impl CustomResources {
    /// Serves what an established definition declares (replacing what it
    /// declared before).
    pub fn set(&mut self, crd: &Value) {
        let name = crd["metadata"]["name"].as_str().unwrap_or("").to_string();
        let versions = served_versions(crd);
        if versions.is_empty() {
            self.served.remove(&name);
        } else {
            self.served.insert(name, versions);
        }
    }

    /// Stops serving a definition's resources.
    pub fn remove(&mut self, crd_name: &str) {
        self.served.remove(crd_name);
    }

    pub fn version(&self, group: &str, version: &str, plural: &str) -> Option<Arc<ServedVersion>> {
        self.served
            .values()
            .flatten()
            .find(|v| v.rt.group == group && v.rt.version == version && v.rt.plural == plural)
            .cloned()
    }

    /// Every served version.
    pub fn all(&self) -> impl Iterator<Item = &Arc<ServedVersion>> {
        self.served.values().flatten()
    }

    /// The storage keys of the served definitions with their scope.
    pub fn storages(&self) -> Vec<(&'static ResourceType, String)> {
        self.served
            .iter()
            .filter_map(|(name, v)| Some((v.first()?.rt, name.clone())))
            .collect()
    }

    /// Custom API groups and their versions, preferred first, by group name.
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for v in self.all() {
            let versions = groups.entry(v.rt.group.to_string()).or_default();
            if !versions.iter().any(|x| x == v.rt.version) {
                versions.push(v.rt.version.to_string());
            }
        }
        for versions in groups.values_mut() {
            versions.sort_by_key(|v| std::cmp::Reverse(version_priority(v)));
        }
        groups.into_iter().collect()
    }

    pub fn in_group(&self, group: &str, version: &str) -> Vec<&'static ResourceType> {
        self.all()
            .filter(|v| v.rt.group == group && v.rt.version == version)
            .map(|v| v.rt)
            .collect()
    }
}

/// A version's priority as Kubernetes sorts them: GA over beta over
/// alpha, then by number; names that are not of that form last.
pub fn version_priority(v: &str) -> (u8, u64, u64) {
    let Some(rest) = v.strip_prefix('v') else {
        return (0, 0, 0);
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let Ok(major) = digits.parse::<u64>() else {
        return (0, 0, 0);
    };
    let tail = &rest[digits.len()..];
    let (level, minor) = if tail.is_empty() {
        (3, 0)
    } else if let Some(n) = tail.strip_prefix("beta") {
        (2, n.parse().unwrap_or(u64::MAX))
    } else if let Some(n) = tail.strip_prefix("alpha") {
        (1, n.parse().unwrap_or(u64::MAX))
    } else {
        return (0, 0, 0);
    };
    // Lower minor numbers (beta1 < beta2) rank lower; unparsable tails lowest.
    (level, major, if minor == u64::MAX { 0 } else { minor })
}

fn str_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn leak_str(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

fn leak_list(items: &[String]) -> &'static [&'static str] {
    let v: Vec<&'static str> = items.iter().map(|s| leak_str(s)).collect();
    Box::leak(v.into_boxed_slice())
}

/// What makes two custom resource types the same.
type InternKey = (
    String,
    String,
    String,
    String,
    String,
    bool,
    Vec<String>,
    Vec<String>,
    bool,
);

const CUSTOM_VERBS: &[&str] = &[
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "create",
    "update",
    "watch",
];

/// The one `&'static ResourceType` for this definition of a resource,
/// leaked the first time it is seen (see the module's documentation).
#[allow(clippy::too_many_arguments)]
pub fn intern(
    group: &str,
    version: &str,
    plural: &str,
    singular: &str,
    kind: &str,
    namespaced: bool,
    short_names: &[String],
    categories: &[String],
    status: bool,
) -> &'static ResourceType {
    static TYPES: OnceLock<Mutex<HashMap<InternKey, &'static ResourceType>>> = OnceLock::new();
    let key: InternKey = (
        group.into(),
        version.into(),
        plural.into(),
        singular.into(),
        kind.into(),
        namespaced,
        short_names.to_vec(),
        categories.to_vec(),
        status,
    );
    let mut types = TYPES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(rt) = types.get(&key) {
        return rt;
    }
    let rt: &'static ResourceType = Box::leak(Box::new(ResourceType {
        group: leak_str(group),
        version: leak_str(version),
        plural: leak_str(plural),
        singular: leak_str(singular),
        kind: leak_str(kind),
        namespaced,
        short_names: leak_list(short_names),
        verbs: CUSTOM_VERBS,
        subresources: if status { &["status"] } else { &[] },
        storage: intern_storage(&format!("{plural}.{group}")),
        categories: leak_list(categories),
    }));
    types.insert(key, rt);
    rt
}

/// The storage key of a definition, `<plural>.<group>`, one leaked string
/// per distinct name.
fn intern_storage(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(s) = names.get(name) {
        return s;
    }
    let s = leak_str(name);
    names.insert(name.to_string(), s);
    s
}

/// The served versions a definition declares, preferred first; none when
/// it is not established.
pub fn served_versions(crd: &Value) -> Vec<Arc<ServedVersion>> {
    let established = crd["status"]["conditions"].as_array().is_some_and(|c| {
        c.iter()
            .any(|c| c["type"] == "Established" && c["status"] == "True")
    });
    if !established {
        return Vec::new();
    }
    let spec = &crd["spec"];
    let names = &spec["names"];
    let (Some(group), Some(plural), Some(kind)) = (
        spec["group"].as_str(),
        names["plural"].as_str(),
        names["kind"].as_str(),
    ) else {
        return Vec::new();
    };
    let singular = names["singular"].as_str().unwrap_or("");
    let namespaced = spec["scope"] != "Cluster";
    let short_names = str_list(&names["shortNames"]);
    let categories = str_list(&names["categories"]);
    let crd_name = crd["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut out: Vec<Arc<ServedVersion>> = spec["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v["served"] == true)
        .filter_map(|v| {
            let version = v["name"].as_str()?;
            let status = v["subresources"]["status"].is_object();
            let rt = intern(
                group,
                version,
                plural,
                singular,
                kind,
                namespaced,
                &short_names,
                &categories,
                status,
            );
            Some(Arc::new(ServedVersion {
                rt,
                crd: crd_name.clone(),
                columns: printer_columns(&v["additionalPrinterColumns"]),
                schema: v["schema"]["openAPIV3Schema"].clone(),
            }))
        })
        .collect();
    out.sort_by_key(|v| std::cmp::Reverse(version_priority(v.rt.version)));
    out
}

/// The columns a version declares; with none, the apiserver shows the age
/// (`Age`, `.metadata.creationTimestamp`, as a date).
fn printer_columns(v: &Value) -> Vec<PrinterColumn> {
    let declared: Vec<PrinterColumn> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| {
            Some(PrinterColumn {
                name: c["name"].as_str()?.to_string(),
                ty: c["type"].as_str()?.to_string(),
                format: c["format"].as_str().unwrap_or("").to_string(),
                description: c["description"].as_str().unwrap_or("").to_string(),
                priority: c["priority"].as_i64().unwrap_or(0),
                json_path: c["jsonPath"].as_str()?.to_string(),
            })
        })
        .collect();
    if !declared.is_empty() {
        return declared;
    }
    vec![PrinterColumn {
        name: "Age".into(),
        ty: "date".into(),
        format: String::new(),
        description: String::new(),
        priority: 0,
        json_path: ".metadata.creationTimestamp".into(),
    }]
}

/// Fills in what the API server defaults in a definition: `singular`
/// (the lowercased kind) and `listKind` (`<Kind>List`), `served`/`storage`
/// left as given.
pub fn default_crd(obj: &mut Value) {
    let names = &mut obj["spec"]["names"];
    if !names.is_object() {
        return;
    }
    let kind = names["kind"].as_str().unwrap_or("").to_string();
    if kind.is_empty() {
        return;
    }
    if names["singular"].as_str().is_none_or(str::is_empty) {
        names["singular"] = json!(kind.to_lowercase());
    }
    if names["listKind"].as_str().is_none_or(str::is_empty) {
        names["listKind"] = json!(format!("{kind}List"));
    }
}

/// An RFC 1035 label: lower case alphanumerics and '-', starting with a
/// letter, ending alphanumeric, at most 63 characters.
fn is_dns1035_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-'
}

const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// What the API server refuses in a definition, as (field, message).
pub fn validate_crd(obj: &Value, old: Option<&Value>) -> Vec<(String, String)> {
    let mut causes: Vec<(String, String)> = Vec::new();
    let mut push = |f: &str, m: String| causes.push((f.to_string(), m));
    let spec = &obj["spec"];
    let names = &spec["names"];
    let name = obj["metadata"]["name"].as_str().unwrap_or("");
    let group = spec["group"].as_str().unwrap_or("");
    let plural = names["plural"].as_str().unwrap_or("");
    if name != format!("{plural}.{group}") {
        push(
            "metadata.name",
            format!("Invalid value: {name:?}: must be spec.names.plural+\".\"+spec.group"),
        );
    }
    if group.is_empty() {
        push("spec.group", "Required value".into());
    } else if !group.contains('.') {
        push(
            "spec.group",
            format!("Invalid value: {group:?}: should be a domain with at least one dot"),
        );
    }
    match spec["scope"].as_str() {
        Some("Cluster" | "Namespaced") => {}
        None | Some("") => push("spec.scope", "Required value".into()),
        Some(s) => push(
            "spec.scope",
            format!("Unsupported value: {s:?}: supported values: \"Cluster\", \"Namespaced\""),
        ),
    }
    for field in ["plural", "singular", "kind", "listKind"] {
        let v = names[field].as_str().unwrap_or("");
        if v.is_empty() {
            push(&format!("spec.names.{field}"), "Required value".into());
            continue;
        }
        let lower = v.to_lowercase();
        let mixed = matches!(field, "kind" | "listKind");
        if !is_dns1035_label(if mixed { &lower } else { v }) {
            let prefix = if mixed {
                "may have mixed case, but should otherwise match: "
            } else {
                ""
            };
            push(
                &format!("spec.names.{field}"),
                format!("Invalid value: {v:?}: {prefix}{DNS1035_MSG}"),
            );
        }
    }
    if names["kind"].as_str().is_some_and(|k| !k.is_empty()) && names["kind"] == names["listKind"] {
        push(
            "spec.names.listKind",
            format!(
                "Invalid value: {}: kind and listKind may not be the same",
                names["listKind"]
            ),
        );
    }
    for (list, field) in [
        (&names["shortNames"], "shortNames"),
        (&names["categories"], "categories"),
    ] {
        for (i, s) in str_list(list).iter().enumerate() {
            if !is_dns1035_label(s) {
                push(
                    &format!("spec.names.{field}[{i}]"),
                    format!("Invalid value: {s:?}: {DNS1035_MSG}"),
                );
            }
        }
    }
    let versions = spec["versions"].as_array().cloned().unwrap_or_default();
    if versions.is_empty() {
        push(
            "spec.versions",
            "Invalid value: null: must have exactly one version marked as storage version".into(),
        );
    } else {
        let mut seen = Vec::new();
        for (i, v) in versions.iter().enumerate() {
            let vname = v["name"].as_str().unwrap_or("");
            if !is_dns1035_label(vname) {
                push(
                    &format!("spec.versions[{i}].name"),
                    format!("Invalid value: {vname:?}: {DNS1035_MSG}"),
                );
            }
            if seen.contains(&vname) {
                push(
                    "spec.versions",
                    "Invalid value: must contain unique version names".into(),
                );
            }
            seen.push(vname);
            if !v["schema"]["openAPIV3Schema"].is_object() {
                push(
                    &format!("spec.versions[{i}].schema.openAPIV3Schema"),
                    "Required value: schemas are required".into(),
                );
            }
        }
        let storage = versions.iter().filter(|v| v["storage"] == true).count();
        if storage != 1 {
            push(
                "spec.versions",
                "Invalid value: must have exactly one version marked as storage version".into(),
            );
        }
        if !versions.iter().any(|v| v["served"] == true) {
            push(
                "spec.versions",
                "Invalid value: must have at least one served version".into(),
            );
        }
    }
    if let Some(old) = old {
        let established = !served_versions(old).is_empty();
        let checks: &[(&str, &str)] = if established {
            &[
                ("/spec/group", "spec.group"),
                ("/spec/names/plural", "spec.names.plural"),
                ("/spec/scope", "spec.scope"),
                ("/spec/names/kind", "spec.names.kind"),
            ]
        } else {
            &[
                ("/spec/group", "spec.group"),
                ("/spec/names/plural", "spec.names.plural"),
            ]
        };
        for (pointer, field) in checks {
            let (now, before) = (obj.pointer(pointer), old.pointer(pointer));
            if now != before {
                let shown = now.cloned().unwrap_or(Value::Null);
                push(field, format!("Invalid value: {shown}: field is immutable"));
            }
        }
    }
    causes
}

/// The status the API server's controllers give an accepted definition:
/// its names accepted, established, and the storage version recorded.
pub fn accepted_status(obj: &Value, old_status: Option<&Value>, now: &str) -> Value {
    let spec = &obj["spec"];
    let storage = spec["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["storage"] == true)
        .and_then(|v| v["name"].as_str())
        .unwrap_or("");
    let mut stored = old_status
        .map(|s| str_list(&s["storedVersions"]))
        .unwrap_or_default();
    if !storage.is_empty() && !stored.iter().any(|s| s == storage) {
        stored.push(storage.to_string());
    }
    let old_conditions = old_status
        .and_then(|s| s["conditions"].as_array().cloned())
        .unwrap_or_default();
    let condition = |ty: &str, reason: &str, message: &str| {
        // The transition time stays while the condition holds.
        let since = old_conditions
            .iter()
            .find(|c| c["type"] == ty && c["status"] == "True")
            .and_then(|c| c["lastTransitionTime"].as_str())
            .unwrap_or(now)
            .to_string();
        json!({"type": ty, "status": "True", "lastTransitionTime": since, "reason": reason, "message": message})
    };
    let mut accepted = spec["names"].clone();
    if let Some(o) = accepted.as_object_mut() {
        o.retain(|k, _| {
            matches!(
                k.as_str(),
                "plural" | "singular" | "shortNames" | "kind" | "listKind" | "categories"
            )
        });
    }
    json!({
        "conditions": [
            condition("NamesAccepted", "NoConflicts", "no conflicts found"),
            condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
        ],
        "acceptedNames": accepted,
        "storedVersions": stored,
    })
}

#[cfg(test)]
mod tests;
