//! How server-side apply merges each list and object of the sim's kinds:
//! the `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`,
//! `x-kubernetes-map-type` and `x-kubernetes-struct-type` of the Kubernetes
//! OpenAPI schema, for the fields the sim's kinds have. A list not named
//! here is atomic (owned and replaced whole), as the API server treats a
//! list it knows nothing about.
//!
//! A field is named by the field names on its path; an element of a list
//! adds [`ELEMENT`], so `ports` in a container is
//! `[…, "containers", "[]", "ports"]` and in a Service `["spec", "ports"]`.

/// The name a list element adds to the names of a path.
pub const ELEMENT: &str = "[]";

/// A key field of an associative list, with the default the schema gives
/// it (a port's protocol is TCP when not written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyField {
    pub name: &'static str,
    pub default: Option<&'static str>,
}

const fn key(name: &'static str) -> KeyField {
    KeyField {
        name,
        default: None,
    }
}

const TCP: Option<&str> = Some("TCP");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListType {
    /// Owned and replaced whole.
    Atomic,
    /// Scalars, each owned on its own (`v:`).
    Set,
    /// Objects, each owned on its own by its key fields (`k:`).
    Map(&'static [KeyField]),
}

const BY_NAME: &[KeyField] = &[key("name")];
const BY_MOUNT_PATH: &[KeyField] = &[key("mountPath")];
const BY_DEVICE_PATH: &[KeyField] = &[key("devicePath")];
const BY_IP: &[KeyField] = &[key("ip")];
const BY_UID: &[KeyField] = &[key("uid")];
const BY_TYPE: &[KeyField] = &[key("type")];
const SPREAD: &[KeyField] = &[key("topologyKey"), key("whenUnsatisfiable")];
const CONTAINER_PORTS: &[KeyField] = &[
    key("containerPort"),
    KeyField {
        name: "protocol",
        default: TCP,
    },
];
const SERVICE_PORTS: &[KeyField] = &[
    key("port"),
    KeyField {
        name: "protocol",
        default: TCP,
    },
];
const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// The list type of the list at the end of `names`.
pub fn list_type(names: &[&str]) -> ListType {
    // No kind the sim serves has a list at the top level.
    let [.., parent, field] = names else {
        return ListType::Atomic;
    };
    let elem_of = match names {
        [.., list, ELEMENT, _] => Some(*list),
        _ => None,
    };
    let in_container = elem_of.is_some_and(|l| CONTAINER_LISTS.contains(&l));
    match *field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates"
            if *parent == "spec" =>
        {
            ListType::Map(BY_NAME)
        }
        "env" if in_container => ListType::Map(BY_NAME),
        "ports" if in_container => ListType::Map(CONTAINER_PORTS),
        "ports" if *parent == "spec" => ListType::Map(SERVICE_PORTS),
        "volumeMounts" if in_container => ListType::Map(BY_MOUNT_PATH),
        "volumeDevices" if in_container => ListType::Map(BY_DEVICE_PATH),
        "hostAliases" if *parent == "spec" => ListType::Map(BY_IP),
        "topologySpreadConstraints" if *parent == "spec" => ListType::Map(SPREAD),
        "ownerReferences" if *parent == "metadata" => ListType::Map(BY_UID),
        "finalizers" if *parent == "metadata" => ListType::Set,
        "conditions" if *parent == "status" => ListType::Map(BY_TYPE),
        "podIPs" | "hostIPs" if *parent == "status" => ListType::Map(BY_IP),
        _ => ListType::Atomic,
    }
}

/// The object at the end of `names` is owned and replaced whole: label
/// selectors (`+structType=atomic`) and the selector maps marked
/// `+mapType=atomic`.
pub fn atomic_object(names: &[&str]) -> bool {
    matches!(
        names.last(),
        Some(&("selector" | "labelSelector" | "namespaceSelector" | "nodeSelector"))
    )
}
