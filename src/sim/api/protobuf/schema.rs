//! The messages the sim can read as protobuf, field by field: number, JSON
//! name and how the bytes become JSON. Numbers are those of the Kubernetes
//! `generated.proto` files (core/v1, apps/v1, authorization/v1, meta/v1,
//! `util/intstr`, `api/resource`); fields not listed here are skipped.
//!
//! Messages refer to each other as statics rather than by name, so a typo
//! is a compile error instead of a decode-time surprise.

/// How a field's bytes become JSON.
#[derive(Clone, Copy)]
pub enum Kind {
    /// A string.
    Str,
    /// int32 or int64: a varint, shown as a number.
    Int,
    Bool,
    /// `meta.v1.Time` (seconds = 1, nanos = 2), shown as RFC 3339.
    Time,
    /// `intstr.IntOrString` (type = 1, intVal = 2, strVal = 3), shown as a
    /// number or a string.
    IntOrString,
    /// One embedded message.
    Embedded(&'static Message),
    /// A repeated message: a JSON array.
    Repeated(&'static Message),
    /// A repeated string: a JSON array.
    Strings,
    /// `map<string, …>`: entries are messages with key = 1 and value = 2.
    Map(Entry),
}

/// The value type of a map.
#[derive(Clone, Copy)]
pub enum Entry {
    Text,
    /// `[]byte`, shown base64-encoded as Kubernetes' JSON shows it.
    Bytes,
    /// `resource.Quantity` (string = 1), shown as its string.
    Quantity,
}

pub struct Field {
    pub number: u64,
    pub name: &'static str,
    pub kind: Kind,
    /// A Go pointer field (`*int32 replicas`): the generated marshaller writes
    /// it only when set, so presence means set, even to zero or empty. Value
    /// fields are always written, so their zero means "not given" and is left
    /// out of the JSON, as `omitempty` would.
    pub pointer: bool,
}

pub struct Message {
    pub fields: &'static [Field],
}

/// A value field.
pub const fn f(number: u64, name: &'static str, kind: Kind) -> Field {
    Field {
        number,
        name,
        kind,
        pointer: false,
    }
}

/// A pointer field (see [`Field::pointer`]).
pub const fn ptr(number: u64, name: &'static str, kind: Kind) -> Field {
    Field {
        number,
        name,
        kind,
        pointer: true,
    }
}

use Kind::*;

/// Every top-level kind the sim decodes from protobuf, by `apiVersion` and `kind`.
static KINDS: &[(&str, &str, &Message)] = &[
    ("v1", "Namespace", &NAMESPACE),
    ("v1", "ConfigMap", &CONFIG_MAP),
    ("v1", "Secret", &SECRET),
    ("v1", "Service", &SERVICE),
    ("v1", "Pod", &POD),
    ("apps/v1", "Deployment", &DEPLOYMENT),
    ("batch/v1", "Job", &JOB),
    (
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        &HORIZONTAL_POD_AUTOSCALER,
    ),
    (
        "authorization.k8s.io/v1",
        "SelfSubjectAccessReview",
        &SELF_SUBJECT_ACCESS_REVIEW,
    ),
];

/// The schema of a top-level object.
pub fn lookup(api_version: &str, kind: &str) -> Option<&'static Message> {
    KINDS
        .iter()
        .find(|(v, k, _)| *v == api_version && *k == kind)
        .map(|(_, _, m)| *m)
}

/// The kinds [`lookup`] knows, for messages to the user.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(_, k, _)| *k)
}

// meta/v1

static OBJECT_META: Message = Message {
    fields: &[
        f(1, "name", Str),
        f(2, "generateName", Str),
        f(3, "namespace", Str),
        f(5, "uid", Str),
        f(6, "resourceVersion", Str),
        f(7, "generation", Int),
        // Always sent (a zero Time is an empty message, so left out); the
        // server sets its own anyway.
        f(8, "creationTimestamp", Time),
        f(11, "labels", Map(Entry::Text)),
        f(12, "annotations", Map(Entry::Text)),
        f(13, "ownerReferences", Repeated(&OWNER_REFERENCE)),
        f(14, "finalizers", Strings),
    ],
};

static OWNER_REFERENCE: Message = Message {
    fields: &[
        f(1, "kind", Str),
        f(3, "name", Str),
        f(4, "uid", Str),
        f(5, "apiVersion", Str),
        ptr(6, "controller", Bool),
        ptr(7, "blockOwnerDeletion", Bool),
    ],
};

static LABEL_SELECTOR: Message = Message {
    fields: &[
        f(1, "matchLabels", Map(Entry::Text)),
        f(2, "matchExpressions", Repeated(&LABEL_SELECTOR_REQUIREMENT)),
    ],
};

static LABEL_SELECTOR_REQUIREMENT: Message = Message {
    fields: &[
        f(1, "key", Str),
        f(2, "operator", Str),
        f(3, "values", Strings),
    ],
};

// core/v1

static NAMESPACE: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&NAMESPACE_SPEC)),
    ],
};

static NAMESPACE_SPEC: Message = Message {
    fields: &[f(1, "finalizers", Strings)],
};

static CONFIG_MAP: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "data", Map(Entry::Text)),
        f(3, "binaryData", Map(Entry::Bytes)),
        ptr(4, "immutable", Bool),
    ],
};

static SECRET: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "data", Map(Entry::Bytes)),
        f(3, "type", Str),
        f(4, "stringData", Map(Entry::Text)),
        ptr(5, "immutable", Bool),
    ],
};

static SERVICE: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&SERVICE_SPEC)),
    ],
};

static SERVICE_SPEC: Message = Message {
    fields: &[
        f(1, "ports", Repeated(&SERVICE_PORT)),
        f(2, "selector", Map(Entry::Text)),
        f(3, "clusterIP", Str),
        f(4, "type", Str),
        f(5, "externalIPs", Strings),
        f(7, "sessionAffinity", Str),
        f(8, "loadBalancerIP", Str),
        f(10, "externalName", Str),
        f(11, "externalTrafficPolicy", Str),
        f(12, "healthCheckNodePort", Int),
        f(13, "publishNotReadyAddresses", Bool),
        ptr(17, "ipFamilyPolicy", Str),
        f(18, "clusterIPs", Strings),
        f(19, "ipFamilies", Strings),
        ptr(20, "allocateLoadBalancerNodePorts", Bool),
        ptr(22, "internalTrafficPolicy", Str),
    ],
};

static SERVICE_PORT: Message = Message {
    fields: &[
        f(1, "name", Str),
        f(2, "protocol", Str),
        f(3, "port", Int),
        f(4, "targetPort", IntOrString),
        f(5, "nodePort", Int),
        ptr(6, "appProtocol", Str),
    ],
};

static POD: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&POD_SPEC)),
    ],
};

static POD_TEMPLATE_SPEC: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&POD_SPEC)),
    ],
};

// Not read: volumes (1), securityContext (14), affinity (18) and the rarer
// scheduling and runtime fields.
static POD_SPEC: Message = Message {
    fields: &[
        f(2, "containers", Repeated(&CONTAINER)),
        f(3, "restartPolicy", Str),
        ptr(4, "terminationGracePeriodSeconds", Int),
        ptr(5, "activeDeadlineSeconds", Int),
        f(6, "dnsPolicy", Str),
        f(7, "nodeSelector", Map(Entry::Text)),
        f(8, "serviceAccountName", Str),
        f(9, "serviceAccount", Str),
        f(10, "nodeName", Str),
        f(11, "hostNetwork", Bool),
        f(15, "imagePullSecrets", Repeated(&LOCAL_OBJECT_REFERENCE)),
        f(16, "hostname", Str),
        f(17, "subdomain", Str),
        f(19, "schedulerName", Str),
        f(20, "initContainers", Repeated(&CONTAINER)),
        ptr(21, "automountServiceAccountToken", Bool),
        f(22, "tolerations", Repeated(&TOLERATION)),
        f(24, "priorityClassName", Str),
        ptr(25, "priority", Int),
        ptr(30, "enableServiceLinks", Bool),
    ],
};

// Not read: envFrom (19), volumeMounts (9), probes (10, 11, 22), lifecycle
// (12), securityContext (15).
static CONTAINER: Message = Message {
    fields: &[
        f(1, "name", Str),
        f(2, "image", Str),
        f(3, "command", Strings),
        f(4, "args", Strings),
        f(5, "workingDir", Str),
        f(6, "ports", Repeated(&CONTAINER_PORT)),
        f(7, "env", Repeated(&ENV_VAR)),
        f(8, "resources", Embedded(&RESOURCE_REQUIREMENTS)),
        f(13, "terminationMessagePath", Str),
        f(14, "imagePullPolicy", Str),
        f(16, "stdin", Bool),
        f(17, "stdinOnce", Bool),
        f(18, "tty", Bool),
        f(20, "terminationMessagePolicy", Str),
        ptr(24, "restartPolicy", Str),
    ],
};

static CONTAINER_PORT: Message = Message {
    fields: &[
        f(1, "name", Str),
        f(2, "hostPort", Int),
        f(3, "containerPort", Int),
        f(4, "protocol", Str),
        f(5, "hostIP", Str),
    ],
};

// Not read: valueFrom (3).
static ENV_VAR: Message = Message {
    fields: &[f(1, "name", Str), f(2, "value", Str)],
};

static RESOURCE_REQUIREMENTS: Message = Message {
    fields: &[
        f(1, "limits", Map(Entry::Quantity)),
        f(2, "requests", Map(Entry::Quantity)),
    ],
};

static TOLERATION: Message = Message {
    fields: &[
        f(1, "key", Str),
        f(2, "operator", Str),
        f(3, "value", Str),
        f(4, "effect", Str),
        ptr(5, "tolerationSeconds", Int),
    ],
};

static LOCAL_OBJECT_REFERENCE: Message = Message {
    fields: &[f(1, "name", Str)],
};

// apps/v1

static DEPLOYMENT: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&DEPLOYMENT_SPEC)),
    ],
};

static DEPLOYMENT_SPEC: Message = Message {
    fields: &[
        ptr(1, "replicas", Int),
        ptr(2, "selector", Embedded(&LABEL_SELECTOR)),
        f(3, "template", Embedded(&POD_TEMPLATE_SPEC)),
        f(4, "strategy", Embedded(&DEPLOYMENT_STRATEGY)),
        f(5, "minReadySeconds", Int),
        ptr(6, "revisionHistoryLimit", Int),
        f(7, "paused", Bool),
        ptr(9, "progressDeadlineSeconds", Int),
    ],
};

static DEPLOYMENT_STRATEGY: Message = Message {
    fields: &[
        f(1, "type", Str),
        ptr(2, "rollingUpdate", Embedded(&ROLLING_UPDATE_DEPLOYMENT)),
    ],
};

static ROLLING_UPDATE_DEPLOYMENT: Message = Message {
    fields: &[
        ptr(1, "maxUnavailable", IntOrString),
        ptr(2, "maxSurge", IntOrString),
    ],
};

// batch/v1 (`kubectl create job`, `--from=cronjob/…`)

static JOB: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&JOB_SPEC)),
    ],
};

// Not read: podFailurePolicy (11), successPolicy (16), the per-index limits.
static JOB_SPEC: Message = Message {
    fields: &[
        ptr(1, "parallelism", Int),
        ptr(2, "completions", Int),
        ptr(3, "activeDeadlineSeconds", Int),
        ptr(4, "selector", Embedded(&LABEL_SELECTOR)),
        ptr(5, "manualSelector", Bool),
        f(6, "template", Embedded(&POD_TEMPLATE_SPEC)),
        ptr(7, "backoffLimit", Int),
        ptr(8, "ttlSecondsAfterFinished", Int),
        ptr(9, "completionMode", Str),
        ptr(10, "suspend", Bool),
        ptr(14, "podReplacementPolicy", Str),
        ptr(15, "managedBy", Str),
    ],
};

// autoscaling/v2 (`kubectl autoscale`)

static HORIZONTAL_POD_AUTOSCALER: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&HPA_SPEC)),
    ],
};

// Not read: behavior (5).
static HPA_SPEC: Message = Message {
    fields: &[
        f(
            1,
            "scaleTargetRef",
            Embedded(&CROSS_VERSION_OBJECT_REFERENCE),
        ),
        ptr(2, "minReplicas", Int),
        f(3, "maxReplicas", Int),
        f(4, "metrics", Repeated(&METRIC_SPEC)),
    ],
};

static CROSS_VERSION_OBJECT_REFERENCE: Message = Message {
    fields: &[
        f(1, "kind", Str),
        f(2, "name", Str),
        f(3, "apiVersion", Str),
    ],
};

// Not read: object (2), pods (3), external (5), containerResource (7).
static METRIC_SPEC: Message = Message {
    fields: &[
        f(1, "type", Str),
        ptr(4, "resource", Embedded(&RESOURCE_METRIC_SOURCE)),
    ],
};

static RESOURCE_METRIC_SOURCE: Message = Message {
    fields: &[f(1, "name", Str), f(2, "target", Embedded(&METRIC_TARGET))],
};

// Not read: value (2) and averageValue (3), quantities kubectl's autoscale
// generator does not write.
static METRIC_TARGET: Message = Message {
    fields: &[f(1, "type", Str), ptr(4, "averageUtilization", Int)],
};

// authorization.k8s.io/v1 (`kubectl auth can-i`)

static SELF_SUBJECT_ACCESS_REVIEW: Message = Message {
    fields: &[
        f(1, "metadata", Embedded(&OBJECT_META)),
        f(2, "spec", Embedded(&SELF_SUBJECT_ACCESS_REVIEW_SPEC)),
    ],
};

static SELF_SUBJECT_ACCESS_REVIEW_SPEC: Message = Message {
    fields: &[
        ptr(1, "resourceAttributes", Embedded(&RESOURCE_ATTRIBUTES)),
        ptr(
            2,
            "nonResourceAttributes",
            Embedded(&NON_RESOURCE_ATTRIBUTES),
        ),
    ],
};

static RESOURCE_ATTRIBUTES: Message = Message {
    fields: &[
        f(1, "namespace", Str),
        f(2, "verb", Str),
        f(3, "group", Str),
        f(4, "version", Str),
        f(5, "resource", Str),
        f(6, "subresource", Str),
        f(7, "name", Str),
    ],
};

static NON_RESOURCE_ATTRIBUTES: Message = Message {
    fields: &[f(1, "path", Str), f(2, "verb", Str)],
};
