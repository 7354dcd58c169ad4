//! Status-guide entries for what the built-in detectors
//! (`model::detectors`) raise and no single STATUS word names:
//! memory near the limit, restart spikes, stalled rollouts, unavailable
//! replicas, node pressure and NotReady nodes. They belong to the one
//! [`status_guide`](super::status_guide) table (listed there, before
//! `Other`); they live here to keep that file short. `statuses` is empty
//! and [`status_kind`](super::status_kind) never picks them; `health` is how
//! the pods concerned usually look.

use super::{GuideEntry, StatusKind, always, if_deployment};
use crate::model::pod_health::Health;

pub(super) const MEMORY_NEAR_LIMIT: GuideEntry = GuideEntry {
    kind: StatusKind::MemoryNearLimit,
    title: "Memory near its limit",
    statuses: &[],
    health: Health::Ok,
    meaning: "The pod uses nearly all of {limit|its memory limit}. That is fine while it stays below, but the moment a container crosses its limit the kernel kills it (OOMKilled, exit code 137) and the kubelet restarts it; repeated kills become CrashLoopBackOff.",
    next: &[
        always("Watch whether memory keeps climbing or levels off: a steady climb ends in a kill"),
        always(
            "Read the logs ({key.logs|l}) for what it is doing: a traffic spike, a large batch, a growing cache",
        ),
        always(
            "If the workload really needs more memory, raise {limit|the memory limit} before it is killed",
        ),
        always("If memory only ever grows, look for a leak or an unbounded cache or queue"),
    ],
};

pub(super) const RESTART_SPIKE: GuideEntry = GuideEntry {
    kind: StatusKind::RestartSpike,
    title: "Restarting repeatedly",
    statuses: &[],
    health: Health::Ok,
    meaning: "{container|The container} keeps restarting: it has exited or been killed several times, the last time only minutes ago. Between restarts the pod can look Running and even Ready, but every restart drops the requests it was serving and whatever it held in memory.",
    next: &[
        always(
            "Read the previous container's logs ({key.previous_logs|p}) for why the last run ended",
        ),
        always(
            "Check the pod's events ({key.object_events|E}) for failed liveness probes, OOM kills or evictions",
        ),
        always(
            "If its liveness probe{liveness|} kills it, check that the application answers it in time",
        ),
        if_deployment(
            "If this began with a deploy, compare with the previous revision and consider rolling back ({key.history|h})",
        ),
    ],
};

pub(super) const ROLLOUT_STALLED: GuideEntry = GuideEntry {
    kind: StatusKind::RolloutStalled,
    title: "Rollout stalled",
    statuses: &[],
    health: Health::Failing,
    meaning: "The Deployment's rollout has made no progress for longer than its progress deadline (progressDeadlineSeconds, 600 seconds unless set), or it cannot create pods at all (ReplicaFailure, often a quota or an admission webhook). The controller reports ProgressDeadlineExceeded but does not roll back by itself: the old pods keep serving while they last.",
    next: &[
        always(
            "Look at the new revision's pods: Running but not Ready, crash-looping, or unable to pull their image?",
        ),
        always("Read the Deployment's events ({key.object_events|E}) for pods it could not create"),
        always("Compare the new revision with the previous one ({key.history|h})"),
        always("If the new revision is at fault, roll back to the previous one ({key.history|h})"),
    ],
};

pub(super) const REPLICAS_UNAVAILABLE: GuideEntry = GuideEntry {
    kind: StatusKind::ReplicasUnavailable,
    title: "Replicas unavailable",
    statuses: &[],
    health: Health::NotReady,
    meaning: "Fewer of the workload's pods are available than it asks for: some are missing, not started yet, or not Ready, so they receive no traffic and the others carry the load, if there are any.",
    next: &[
        always("Look at the workload's pods: which are not Ready, and what their status says"),
        always("Read the workload's events ({key.object_events|E}) for pods it could not create"),
        always(
            "Check that the nodes have room: Pending pods wait for CPU or memory to fit their requests",
        ),
        if_deployment(
            "If this began with a deploy, compare with the previous revision and consider rolling back ({key.history|h})",
        ),
    ],
};

pub(super) const NODE_PRESSURE: GuideEntry = GuideEntry {
    kind: StatusKind::NodePressure,
    title: "Node under pressure",
    statuses: &[],
    health: Health::Failing,
    meaning: "{node|The node} is running short of memory, disk space or process IDs (MemoryPressure, DiskPressure, PIDPressure). The kubelet taints it so that no new pods are placed there, and evicts pods to reclaim what is short, first those using the most above their requests; their controllers replace them on other nodes.",
    next: &[
        always(
            "Find what uses it: the pods on {node|the node} most above their requests, or something running outside Kubernetes",
        ),
        always(
            "Read the node's events ({key.object_events|E}) for EvictionThresholdMet and the pods it evicted",
        ),
        always("Check that the other nodes have room for the evicted pods"),
        always("Set requests close to real use, so the scheduler places pods where they fit"),
    ],
};

pub(super) const NODE_NOT_READY: GuideEntry = GuideEntry {
    kind: StatusKind::NodeNotReady,
    title: "Node NotReady",
    statuses: &[],
    health: Health::Failing,
    meaning: "{node|The node} is not Ready: its kubelet reports a problem (False), or has stopped reporting at all (Unknown). No new pods are placed there, and after about five minutes Kubernetes evicts its pods so that their controllers replace them elsewhere; until then nobody knows whether they still run.",
    next: &[
        always("Read the Ready condition's reason and message, and when it last changed"),
        always("Check the machine itself: power, network, the kubelet and the container runtime"),
        always(
            "Check that its pods were replaced elsewhere; StatefulSet pods wait until the Node object is deleted",
        ),
    ],
};

pub(super) const HPA_AT_MAX: GuideEntry = GuideEntry {
    kind: StatusKind::HpaAtMax,
    title: "Autoscaler at its maximum",
    statuses: &[],
    health: Health::NotReady,
    meaning: "The HorizontalPodAutoscaler runs the workload at its maximum replicas and its metrics still ask for more (ScalingLimited, TooManyReplicas): the load is beyond what it may add, so each pod carries more than its target, and requests slow down or fail.",
    next: &[
        always(
            "Look at the workload's pods: CPU or memory at their limits, latency and errors in their logs",
        ),
        always(
            "Find where the load comes from: a traffic spike, a retry storm, a slow dependency holding requests",
        ),
        always(
            "If the cluster and the namespace's quota have room, raise the HPA's maximum (spec.maxReplicas, e.g. with kubectl edit hpa); scaling the workload by hand is undone at the HPA's next sync",
        ),
        if_deployment(
            "If this began with a deploy, compare with the previous revision: a slower release needs more pods for the same load ({key.history|h})",
        ),
    ],
};

pub(super) const QUOTA_EXCEEDED: GuideEntry = GuideEntry {
    kind: StatusKind::QuotaExceeded,
    title: "Quota exceeded",
    statuses: &[],
    health: Health::Failing,
    meaning: "A ResourceQuota in the namespace caps how many pods, how much CPU and memory its pods may take, and that cap is reached: the API server refuses every new pod (FailedCreate: exceeded quota), so the ReplicaSet cannot create the replicas it lacks. The pods that exist keep running; the missing ones never start, and nothing retries on its own until room is freed or the quota is raised.",
    next: &[
        always(
            "See what the quota allows and what is used (kubectl describe quota -n <namespace>); the workload's detail shows it beside the namespace",
        ),
        always(
            "Free room: scale down or delete what the namespace no longer needs, or lower requests that are larger than the pods use",
        ),
        always(
            "If the namespace really needs more, ask whoever owns the quota to raise it; scaling further only adds refused pods",
        ),
        if_deployment(
            "If a deploy or a raised HPA maximum began it, undo that change ({key.history|h})",
        ),
    ],
};
/// Memory climbing towards the limit (`MemoryLimitSoon`): the warning
/// before the kill that `MemoryNearLimit` and `OOMKilled` describe.
pub(super) const MEMORY_LIMIT_SOON: GuideEntry = GuideEntry {
    kind: StatusKind::MemoryLimitSoon,
    title: "Memory will reach its limit soon",
    statuses: &[],
    health: Health::Ok,
    meaning: "The pod's memory has been climbing steadily, and at this rate it reaches {limit|its memory limit} within minutes. When it does, the kernel kills the container (OOMKilled, exit code 137) and the kubelet restarts it: the requests it was serving fail and whatever it held in memory is lost. The estimate is a straight line through the last few minutes of usage, so a climb that levels off never gets there; this warns while there is still time to act.",
    next: &[
        always(
            "Look at the memory line (mem history) in the pod's detail: a climb since the pod started points to a leak or an unbounded cache or queue, a climb since a moment to load or a large batch",
        ),
        always("Read the logs ({key.logs|l}) for what it is doing right now"),
        always(
            "If the workload really needs more memory, raise {limit|the memory limit} before it is killed; restarting the pod only buys time when it leaks",
        ),
        if_deployment(
            "If the climb began with a deploy, compare with the previous revision ({key.history|h}) and consider rolling back",
        ),
    ],
};
pub(super) const SERVICE_NO_ENDPOINTS: GuideEntry = GuideEntry {
    kind: StatusKind::ServiceNoEndpoints,
    title: "Service without ready endpoints",
    statuses: &[],
    health: Health::Ok,
    meaning: "The Service has no ready endpoint: kube-proxy has no pod to send its traffic to, so every request to it is refused or times out, and callers see errors (502/503 behind an ingress) even though its pods may all be Running and Ready. Either its selector matches no pod, or none of the pods it matches is ready.",
    next: &[
        always(
            "Compare the Service's selector with the pods' labels (kubectl get pods --show-labels): a renamed label on either side selects nothing",
        ),
        always(
            "If it selects pods that are not Ready, look at their readiness probes, events and logs",
        ),
        always(
            "Look at the EndpointSlices behind it (kubectl get endpointslices -l kubernetes.io/service-name=<service>): each endpoint's ready, serving and terminating",
        ),
        always(
            "If a deploy changed the selector or the pod template's labels, roll it back ({key.history|h} on the workload)",
        ),
    ],
};
