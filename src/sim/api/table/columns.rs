/// One `metav1.TableColumnDefinition`.
pub struct Col { pub name: &'static str, pub ty: &'static str, pub format: &'static str, pub priority: i32, pub description: &'static str }

/// A normal column.
const fn c(name: &'static str, ty: &'static str, description: &'static str) -> Col {
    Col { name, ty, format: "", priority: 0, description }
}

/// A priority 1 column, shown by `kubectl get -o wide`.
const fn w(name: &'static str, ty: &'static str, description: &'static str) -> Col {
    Col { name, ty, format: "", priority: 1, description }
}

/// `events.k8s.io` field names and the core/v1 names they convert to.
pub const EVENT_FIELDS: &[(&str, &str)] = &[
    ("metadata", "metadata"), ("regarding", "involvedObject"), ("related", "related"), ("note", "message"),
    ("reason", "reason"), ("type", "type"), ("action", "action"), ("eventTime", "eventTime"), ("series", "series"),
    ("reportingController", "reportingComponent"), ("reportingInstance", "reportingInstance"),
    ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
];

/// The apiserver's default table convertor's columns, for every other resource.
pub const DEFAULT: &[Col] = &[NAME, c("Created At", "date", D_CREATED)];

pub(super) const D_NAME: &str = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
pub(super) const D_CREATED: &str = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const D_CONTAINERS: &str = "Names of each container in the template.";
const D_IMAGES: &str = "Images referenced by each container in the template.";
const D_READY: &str = "Number of the pod with ready state";
const D_NODE_ADDRESSES: &str = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";
const NAME: Col = Col { name: "Name", ty: "string", format: "name", priority: 0, description: D_NAME };
const AGE: Col = c("Age", "string", D_CREATED);

pub const PODS: &[Col] = &[
    NAME,
    c("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    c("Status", "string", "The aggregate status of the containers in this pod."),
    c("Restarts", "string", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
    AGE,
    w("IP", "string", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
    w("Node", "string", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename"),
    w("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled."),
    w("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates"),
];

pub const DEPLOYMENTS: &[Col] = &[
    NAME,
    c("Ready", "string", D_READY),
    c("Up-to-date", "string", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
    c("Available", "string", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
    AGE,
    w("Containers", "string", D_CONTAINERS),
    w("Images", "string", D_IMAGES),
    w("Selector", "string", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."),
];

pub const REPLICASETS: &[Col] = &[
    NAME,
    c("Desired", "integer", "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
    c("Current", "integer", "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller"),
    c("Ready", "integer", "The number of ready replicas for this replica set."),
    AGE,
    w("Containers", "string", D_CONTAINERS),
    w("Images", "string", D_IMAGES),
    w("Selector", "string", "Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
];

pub const STATEFULSETS: &[Col] = &[
    NAME,
    c("Ready", "string", D_READY),
    AGE,
    w("Containers", "string", D_CONTAINERS),
    w("Images", "string", D_IMAGES),
];

pub const DAEMONSETS: &[Col] = &[
    NAME,
    c("Desired", "integer", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    c("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/"),
    c("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
    c("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
    c("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
    c("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    AGE,
    w("Containers", "string", D_CONTAINERS),
    w("Images", "string", D_IMAGES),
    w("Selector", "string", "A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
];

pub const EVENTS: &[Col] = &[
    c("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
    c("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
    c("Reason", "string", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    c("Object", "string", "The object that this event is about."),
    w("Subobject", "string", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object."),
    w("Source", "string", "The component reporting this event. Should be a short machine understandable string."),
    c("Message", "string", "A human-readable description of the status of this operation."),
    w("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
    w("Count", "string", "The number of times this event has occurred."),
    Col { name: "Name", ty: "string", format: "name", priority: 1, description: D_NAME },
];

pub const NODES: &[Col] = &[
    NAME,
    c("Status", "string", "The status of the node"),
    c("Roles", "string", "The roles of the node"),
    AGE,
    c("Version", "string", "Kubelet Version reported by the node."),
    w("Internal-IP", "string", D_NODE_ADDRESSES),
    w("External-IP", "string", D_NODE_ADDRESSES),
    w("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
    w("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    w("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2)."),
];

pub const NAMESPACES: &[Col] = &[NAME, c("Status", "string", "The status of the namespace"), AGE];

pub const SERVICES: &[Col] = &[
    NAME,
    c("Type", "string", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"),
    c("Cluster-IP", "string", "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
    c("External-IP", "string", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system."),
    c("Port(s)", "string", "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies"),
    AGE,
    w("Selector", "string", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/"),
];

pub const CONFIGMAPS: &[Col] = &[
    NAME,
    c("Data", "string", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
    AGE,
];

pub const SECRETS: &[Col] = &[
    NAME,
    c("Type", "string", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
    c("Data", "string", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    AGE,
];

pub const HPAS: &[Col] = &[
    NAME,
    c("Reference", "string", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
    c("Targets", "string", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization."),
    c("MinPods", "string", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."),
    c("MaxPods", "integer", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."),
    c("Replicas", "integer", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
    AGE,
];

pub const JOBS: &[Col] = &[
    NAME,
    c("Status", "string", "Status of the job."),
    c("Completions", "string", "The desired number of successfully finished pods the job should be run with."),
    c("Duration", "string", "Time required to complete the job."),
    AGE,
    w("Containers", "string", D_CONTAINERS),
    w("Images", "string", D_IMAGES),
    w("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
];

pub const CRONJOBS: &[Col] = &[
    NAME,
    c("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    c("Timezone", "string", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones"),
    c("Suspend", "boolean", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false."),
    c("Active", "integer", "A list of pointers to currently running jobs."),
    c("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
    AGE,
    w("Containers", "string", D_CONTAINERS),
    w("Images", "string", D_IMAGES),
    w("Selector", "string", "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
];

pub const ENDPOINTS: &[Col] = &[
    NAME,
    c("Endpoints", "string", "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service."),
    AGE,
];

pub const ENDPOINTSLICES: &[Col] = &[
    NAME,
    c("AddressType", "string", "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType \"IPv4\" and \"IPv6\". No semantics are defined for the \"FQDN\" type."),
    c("Ports", "string", "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list."),
    c("Endpoints", "string", "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints."),
    AGE,
];

pub const INGRESSES: &[Col] = &[
    NAME,
    c("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
    c("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    c("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    c("Ports", "string", "Ports of TLS configurations that open"),
    AGE,
];

pub const INGRESSCLASSES: &[Col] = &[
    NAME,
    c("Controller", "string", "Controller that is responsible for handling this class"),
    c("Parameters", "string", "A reference to a resource with additional parameters"),
    AGE,
];

pub const RESOURCEQUOTAS: &[Col] = &[
    NAME,
    AGE,
    c("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
    c("Limit", "string", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
];
