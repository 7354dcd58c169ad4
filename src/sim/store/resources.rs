//! The resource types the simulated API server knows, with what discovery and
//! routing need to know about each: group, version, kind, scope, verbs.

/// One API resource served by the sim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    /// API group; "" is the core group.
    pub group: &'static str,
    pub version: &'static str,
    /// Plural name as it appears in URLs.
    pub plural: &'static str,
    pub singular: &'static str,
    pub kind: &'static str,
    pub namespaced: bool,
    pub short_names: &'static [&'static str],
    pub verbs: &'static [&'static str],
    /// Subresources served under `<plural>/<name>/<sub>`.
    pub subresources: &'static [&'static str],
    /// Key in the object store. Two API resources sharing a key are two views of
    /// the same objects (core/v1 and events.k8s.io/v1 events).
    pub storage: &'static str,
    pub categories: &'static [&'static str],
}

impl ResourceType {
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    pub fn list_kind(&self) -> String {
        format!("{}List", self.kind)
    }

    /// The resource is stored as ordinary documents (not computed on request).
    pub fn is_stored(&self) -> bool {
        !matches!(self.group, "metrics.k8s.io" | "authorization.k8s.io")
    }

    pub fn has_verb(&self, verb: &str) -> bool {
        self.verbs.contains(&verb)
    }
}

const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

const fn core(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    namespaced: bool,
    short_names: &'static [&'static str],
    subresources: &'static [&'static str],
    categories: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group: "",
        version: "v1",
        plural,
        singular,
        kind,
        namespaced,
        short_names,
        verbs: ALL_VERBS,
        subresources,
        storage: plural,
        categories,
    }
}

const fn apps(
    plural: &'static str,
    singular: &'static str,
    kind: &'static str,
    short_names: &'static [&'static str],
    subresources: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        group: "apps",
        version: "v1",
        plural,
        singular,
        kind,
        namespaced: true,
        short_names,
        verbs: ALL_VERBS,
        subresources,
        storage: plural,
        categories: &["all"],
    }
}

/// Every resource the sim serves.
pub const RESOURCES: &[ResourceType] = &[
    core(
        "namespaces",
        "namespace",
        "Namespace",
        false,
        &["ns"],
        &["status"],
        &[],
    ),
    core("nodes", "node", "Node", false, &["no"], &["status"], &[]),
    core(
        "pods",
        "pod",
        "Pod",
        true,
        &["po"],
        &["status", "log"],
        &["all"],
    ),
    core("events", "event", "Event", true, &["ev"], &[], &[]),
    core(
        "services",
        "service",
        "Service",
        true,
        &["svc"],
        &["status"],
        &["all"],
    ),
    core(
        "configmaps",
        "configmap",
        "ConfigMap",
        true,
        &["cm"],
        &[],
        &[],
    ),
    core("secrets", "secret", "Secret", true, &[], &[], &[]),
    apps(
        "deployments",
        "deployment",
        "Deployment",
        &["deploy"],
        &["status", "scale"],
    ),
    apps(
        "replicasets",
        "replicaset",
        "ReplicaSet",
        &["rs"],
        &["status", "scale"],
    ),
    apps(
        "statefulsets",
        "statefulset",
        "StatefulSet",
        &["sts"],
        &["status", "scale"],
    ),
    apps("daemonsets", "daemonset", "DaemonSet", &["ds"], &["status"]),
    ResourceType {
        group: "apps",
        version: "v1",
        plural: "controllerrevisions",
        singular: "controllerrevision",
        kind: "ControllerRevision",
        namespaced: true,
        short_names: &[],
        verbs: ALL_VERBS,
        subresources: &[],
        storage: "controllerrevisions",
        categories: &[],
    },
    core(
        "endpoints",
        "endpoints",
        "Endpoints",
        true,
        &["ep"],
        &[],
        &[],
    ),
    core(
        "resourcequotas",
        "resourcequota",
        "ResourceQuota",
        true,
        &["quota"],
        &["status"],
        &[],
    ),
    core(
        "limitranges",
        "limitrange",
        "LimitRange",
        true,
        &["limits"],
        &[],
        &[],
    ),
    ResourceType {
        group: "discovery.k8s.io",
        version: "v1",
        plural: "endpointslices",
        singular: "endpointslice",
        kind: "EndpointSlice",
        namespaced: true,
        short_names: &[],
        verbs: ALL_VERBS,
        subresources: &[],
        storage: "endpointslices",
        categories: &[],
    },
    ResourceType {
        group: "networking.k8s.io",
        version: "v1",
        plural: "ingresses",
        singular: "ingress",
        kind: "Ingress",
        namespaced: true,
        short_names: &["ing"],
        verbs: ALL_VERBS,
        subresources: &["status"],
        storage: "ingresses",
        categories: &[],
    },
    ResourceType {
        group: "networking.k8s.io",
        version: "v1",
        plural: "ingressclasses",
        singular: "ingressclass",
        kind: "IngressClass",
        namespaced: false,
        short_names: &[],
        verbs: ALL_VERBS,
        subresources: &[],
        storage: "ingressclasses",
        categories: &[],
    },
    ResourceType {
        group: "autoscaling",
        version: "v2",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        kind: "HorizontalPodAutoscaler",
        namespaced: true,
        short_names: &["hpa"],
        verbs: ALL_VERBS,
        subresources: &["status"],
        storage: "horizontalpodautoscalers",
        categories: &["all"],
    },
    ResourceType {
        group: "batch",
        version: "v1",
        plural: "jobs",
        singular: "job",
        kind: "Job",
        namespaced: true,
        short_names: &[],
        verbs: ALL_VERBS,
        subresources: &["status"],
        storage: "jobs",
        categories: &["all"],
    },
    ResourceType {
        group: "batch",
        version: "v1",
        plural: "cronjobs",
        singular: "cronjob",
        kind: "CronJob",
        namespaced: true,
        short_names: &["cj"],
        verbs: ALL_VERBS,
        subresources: &["status"],
        storage: "cronjobs",
        categories: &["all"],
    },
    ResourceType {
        group: "events.k8s.io",
        version: "v1",
        plural: "events",
        singular: "event",
        kind: "Event",
        namespaced: true,
        short_names: &["ev"],
        verbs: ALL_VERBS,
        subresources: &[],
        storage: "events",
        categories: &[],
    },
    ResourceType {
        group: "coordination.k8s.io",
        version: "v1",
        plural: "leases",
        singular: "lease",
        kind: "Lease",
        namespaced: true,
        short_names: &[],
        verbs: ALL_VERBS,
        subresources: &[],
        storage: "leases",
        categories: &[],
    },
    ResourceType {
        group: "apiextensions.k8s.io",
        version: "v1",
        plural: "customresourcedefinitions",
        singular: "customresourcedefinition",
        kind: "CustomResourceDefinition",
        namespaced: false,
        short_names: &["crd", "crds"],
        verbs: ALL_VERBS,
        subresources: &["status"],
        storage: "customresourcedefinitions",
        categories: &["api-extensions"],
    },
    ResourceType {
        group: "authorization.k8s.io",
        version: "v1",
        plural: "selfsubjectaccessreviews",
        singular: "selfsubjectaccessreview",
        kind: "SelfSubjectAccessReview",
        namespaced: false,
        short_names: &[],
        verbs: &["create"],
        subresources: &[],
        storage: "selfsubjectaccessreviews",
        categories: &[],
    },
    ResourceType {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "pods",
        singular: "",
        kind: "PodMetrics",
        namespaced: true,
        short_names: &[],
        verbs: &["get", "list"],
        subresources: &[],
        storage: "podmetrics",
        categories: &[],
    },
    ResourceType {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "nodes",
        singular: "",
        kind: "NodeMetrics",
        namespaced: false,
        short_names: &[],
        verbs: &["get", "list"],
        subresources: &[],
        storage: "nodemetrics",
        categories: &[],
    },
];

/// The API groups (other than core) in the order discovery lists them.
pub const GROUPS: &[(&str, &str)] = &[
    ("apps", "v1"),
    ("autoscaling", "v2"),
    ("batch", "v1"),
    ("events.k8s.io", "v1"),
    ("coordination.k8s.io", "v1"),
    ("apiextensions.k8s.io", "v1"),
    ("discovery.k8s.io", "v1"),
    ("networking.k8s.io", "v1"),
    ("authorization.k8s.io", "v1"),
    ("metrics.k8s.io", "v1beta1"),
];

/// Looks a resource up by group, version and plural.
pub fn find(group: &str, version: &str, plural: &str) -> Option<&'static ResourceType> {
    RESOURCES
        .iter()
        .find(|r| r.group == group && r.version == version && r.plural == plural)
}

/// The resource that stores objects under `storage` in its canonical form.
pub fn by_storage(storage: &str) -> Option<&'static ResourceType> {
    RESOURCES.iter().find(|r| r.storage == storage)
}

pub fn in_group<'a>(
    group: &'a str,
    version: &'a str,
) -> impl Iterator<Item = &'static ResourceType> + 'a {
    RESOURCES
        .iter()
        .filter(move |r| r.group == group && r.version == version)
}
