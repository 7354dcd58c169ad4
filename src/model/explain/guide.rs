//! The status guide's table: one entry per situation [`explain`](super::explain)
//! tells apart, in the order a guide lists them — the pod statuses here,
//! the detectors' situations from [`detector_entries`](super::detector_entries),
//! and `Other` last (the fallback).

use super::{
    GuideEntry, StatusKind, Step, always, batch_entries, detector_entries, if_deployment,
    if_restarted,
};
use crate::model::pod_health::Health;

/// What to check after an OOM kill, whether or not it is looping yet.
const OOM_STEPS: [Step; 3] = [
    always(
        "Read the previous container's logs ({key.previous_logs|p}) for what it did just before it was killed",
    ),
    always("If the workload really needs more memory, raise {limit|the memory limit}"),
    always(
        "If memory grows steadily until the kill, look for a leak or an unbounded cache or queue",
    ),
];

pub(super) static GUIDE: &[GuideEntry] = &[
    GuideEntry {
        kind: StatusKind::Healthy,
        title: "Running and Ready",
        statuses: &["Running"],
        health: Health::Ok,
        meaning: "All containers run and pass their readiness checks, so the pod receives traffic from its Services. This pod is healthy.{history|}",
        next: &[always(
            "Nothing to do here; if users still see errors, look at the other pods of the workload and the events ({key.object_events|E})",
        )],
    },
    GuideEntry {
        kind: StatusKind::NotReady,
        title: "Running, not Ready",
        statuses: &["Running", "NotReady"],
        health: Health::NotReady,
        meaning: "{container|The container} runs, but its readiness probe{probe|} fails, so the Service sends it no traffic.{cause| The process is alive but does not answer that it is ready: often something it needs is missing (an environment variable, a config file), or something it depends on (a database, another service) does not answer in time.}{history|}",
        next: &[
            always(
                "Read the logs of {container|the container} ({key.logs|l}) for what it waits for or fails on",
            ),
            if_restarted("Read the previous container's logs too ({key.previous_logs|p})"),
            always(
                "Check the readiness probe{probe|}: does the application serve that path and port, and answer within the probe's timeout?",
            ),
            always(
                "Check that the configuration it needs is present: environment variables{env|}, ConfigMaps and Secrets",
            ),
            if_deployment(
                "If this began with a deploy, compare with the previous revision and consider rolling back ({key.history|h})",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::CrashLoopOom,
        title: "CrashLoopBackOff after OOMKilled",
        statuses: &["CrashLoopBackOff"],
        health: Health::Failing,
        meaning: "{container|The container} keeps being killed for using more memory than {limit|its memory limit} (OOMKilled, exit code 137), and the kubelet now waits longer before each restart (CrashLoopBackOff).{restarted|}",
        next: &[
            OOM_STEPS[0],
            OOM_STEPS[1],
            OOM_STEPS[2],
            if_deployment(
                "Check whether a deploy started it ({key.history|h}) and roll back if so",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::CrashLoop,
        title: "CrashLoopBackOff",
        statuses: &["CrashLoopBackOff"],
        health: Health::Failing,
        meaning: "{container|The container} starts and then exits{exit|} again and again; the kubelet restarts it with a growing delay, up to five minutes, between attempts.{restarted|}",
        next: &[
            always(
                "Read the previous container's logs ({key.previous_logs|p}): the last lines before the exit usually say why",
            ),
            always(
                "Check the command and the configuration it starts with: environment variables{env|}, ConfigMaps, Secrets",
            ),
            always(
                "If its liveness probe{liveness|} kills it, check that the application answers it in time",
            ),
            always("Check the pod's events ({key.object_events|E})"),
            if_deployment(
                "If this began with a deploy, roll back to the previous revision ({key.history|h})",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::OomKilled,
        title: "OOMKilled",
        statuses: &["OOMKilled", "Init:OOMKilled"],
        health: Health::Failing,
        meaning: "{container|The container} used more memory than {limit|its memory limit} and the kernel killed it (exit code 137). The kubelet restarts it; if that keeps happening the pod goes into CrashLoopBackOff.",
        next: &[OOM_STEPS[0], OOM_STEPS[1], OOM_STEPS[2]],
    },
    GuideEntry {
        kind: StatusKind::Exited,
        title: "Error, ExitCode, Signal",
        statuses: &[
            "Error",
            "ExitCode:N",
            "Signal:N",
            "StartError",
            "ContainerStatusUnknown",
        ],
        health: Health::Failing,
        meaning: "{container|The container} has stopped{exit|EXIT_CODES}.",
        next: &[
            always(
                "Read the logs of {container|the container} ({key.logs|l}), and of the previous run ({key.previous_logs|p}) if it restarted",
            ),
            always(
                "Check the pod's events ({key.object_events|E}) for a failed liveness probe or a kill",
            ),
            always(
                "Check the command and configuration it starts with: environment variables{env|}, ConfigMaps, Secrets",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::ImagePull,
        title: "ErrImagePull, ImagePullBackOff",
        statuses: &[
            "ErrImagePull",
            "ImagePullBackOff",
            "InvalidImageName",
            "ErrImageNeverPull",
        ],
        health: Health::Failing,
        meaning: "The kubelet cannot download {image|the container's image}, so {container|the container} cannot start. It keeps retrying with a growing delay (ImagePullBackOff).{message|}",
        next: &[
            always(
                "Check the image name and tag{image_ref|} for typos, and that this tag was pushed to the registry",
            ),
            always(
                "For a private registry, check the pod's imagePullSecrets and that those credentials still work",
            ),
            always(
                "Read the pod's events ({key.object_events|E}) for the registry's exact answer: not found, unauthorized, or a timeout",
            ),
            if_deployment(
                "If a deploy changed the image, roll back to the previous revision ({key.history|h})",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::ConfigError,
        title: "CreateContainerConfigError",
        statuses: &["CreateContainerConfigError"],
        health: Health::Failing,
        meaning: "The kubelet cannot assemble the configuration of {container|the container}, so it never starts: usually a ConfigMap or Secret it uses (in env, envFrom or a volume) does not exist, or lacks the key it names.{message|}",
        next: &[
            always(
                "Find the ConfigMap, Secret or key the message names, and check that it exists in {namespace|the pod's namespace}",
            ),
            always("Create or fix it; the kubelet retries by itself"),
            always("Check the pod's events ({key.object_events|E})"),
        ],
    },
    GuideEntry {
        kind: StatusKind::CannotRun,
        title: "CreateContainerError, RunContainerError, ContainerCannotRun",
        statuses: &[
            "CreateContainerError",
            "RunContainerError",
            "ContainerCannotRun",
        ],
        health: Health::Failing,
        meaning: "The container runtime could not create or start {container|the container}: often its command does not exist in the image, a volume mount is invalid, or a security setting forbids it.{message|}",
        next: &[
            always("Read the runtime's message in the pod's events ({key.object_events|E})"),
            always("Check the command and args against {image|the image}"),
            always("Check volume mounts and the securityContext"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Creating,
        title: "ContainerCreating, PodInitializing",
        statuses: &["ContainerCreating", "PodInitializing", "Pending"],
        health: Health::Progressing,
        meaning: "The pod has been placed on {node|a node} and the kubelet is preparing it: downloading images, mounting volumes, setting up the network. This normally takes seconds; minutes mean something is stuck.{history|}",
        next: &[
            always(
                "Check the pod's events ({key.object_events|E}) for FailedMount, FailedAttachVolume or a slow image pull",
            ),
            always(
                "Check that the volumes, PersistentVolumeClaims, ConfigMaps and Secrets it mounts exist",
            ),
            always("A large image can take minutes to download; wait for a Pulled event"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Unscheduled,
        title: "Pending",
        statuses: &["Pending"],
        health: Health::Progressing,
        meaning: "The pod is waiting for a node: the scheduler has not found one that fits it, usually because none has enough free CPU or memory for its requests{requests|}, or its node selector, affinity or tolerations rule the nodes out.{scheduler|}",
        next: &[
            always(
                "Read the pod's events ({key.object_events|E}) for FailedScheduling and the reason it gives",
            ),
            always("Compare its requests{requests|} with what the nodes have allocatable and free"),
            always(
                "Check its nodeSelector, affinity, and the nodes' taints against its tolerations",
            ),
            always("If the cluster autoscales, check whether a node is being added"),
        ],
    },
    GuideEntry {
        kind: StatusKind::SchedulingGated,
        title: "SchedulingGated",
        statuses: &["SchedulingGated"],
        health: Health::Progressing,
        meaning: "The pod has scheduling gates: the scheduler will not place it until the controller that set them (often a queue or quota system) removes them.",
        next: &[always(
            "Check spec.schedulingGates and the controller that manages them",
        )],
    },
    GuideEntry {
        kind: StatusKind::InitRunning,
        title: "Init:N/M",
        statuses: &["Init:N/M"],
        health: Health::Progressing,
        meaning: "{init|An init container} has not finished yet. Init containers run one after another before the main containers start, and the pod stays in Init until each has exited successfully.",
        next: &[
            always(
                "Read the logs of {init|the init container} ({key.logs|l}): it often waits for a dependency such as a database or a migration",
            ),
            always("Check the pod's events ({key.object_events|E}) if it is not even running yet"),
        ],
    },
    GuideEntry {
        kind: StatusKind::InitFailing,
        title: "Init:CrashLoopBackOff, Init:Error, Init:ExitCode:N",
        statuses: &[
            "Init:CrashLoopBackOff",
            "Init:Error",
            "Init:ExitCode:N",
            "Init:Signal:N",
        ],
        health: Health::Failing,
        meaning: "{init|An init container} failed{exit|}, so the pod's main containers never start. The kubelet retries it, waiting longer after each failure.",
        next: &[
            always(
                "Read the logs of {init|the init container} ({key.logs|l}) and of its previous attempt ({key.previous_logs|p})",
            ),
            always(
                "Check what it needs: a reachable dependency, credentials, a migration that can succeed",
            ),
            always("Check the pod's events ({key.object_events|E})"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Evicted,
        title: "Evicted",
        statuses: &["Evicted"],
        health: Health::Failing,
        meaning: "The kubelet on {node|its node} evicted the pod to protect the node, which was running short of memory, disk or process IDs.{message|} An evicted pod never restarts; its controller creates a replacement.",
        next: &[
            always(
                "Check {node|the node}'s conditions for MemoryPressure, DiskPressure or PIDPressure",
            ),
            always(
                "Compare the pod's usage with its requests{requests|}: pods using most above their requests are evicted first",
            ),
            always("Delete evicted pods once understood; they are only a record"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Terminating,
        title: "Terminating",
        statuses: &["Terminating"],
        health: Health::Progressing,
        meaning: "The pod is being deleted. Its containers get SIGTERM, and SIGKILL when the grace period{grace|} ends. A pod that stays Terminating long after that is held by a finalizer{finalizers|} or by a node that stopped reporting.",
        next: &[
            always("Check how long ago the deletion started against the grace period"),
            always("Check metadata.finalizers and the controller that should remove them"),
            always(
                "Check whether {node|its node} is Ready; force deletion is only safe once you know the containers have stopped",
            ),
        ],
    },
    GuideEntry {
        kind: StatusKind::Completed,
        title: "Completed",
        statuses: &["Completed", "Succeeded"],
        health: Health::Ok,
        meaning: "The containers ran to the end and exited with code 0. That is the expected end of a Job or a one-off task; for a long-running service it means the process exited when it should not have.",
        next: &[
            always("If this is a Job, nothing to do"),
            always("If it should keep running, read its logs ({key.logs|l}) to see why it exited"),
        ],
    },
    GuideEntry {
        kind: StatusKind::Failed,
        title: "Failed, DeadlineExceeded",
        statuses: &["Failed", "DeadlineExceeded"],
        health: Health::Failing,
        meaning: "The pod has stopped for good: its containers failed and its restart policy does not restart them, or the system stopped it.{message|}",
        next: &[
            always("Read the logs ({key.logs|l}) of the containers that failed"),
            always("Check the pod's events ({key.object_events|E})"),
            always("Check the owning Job or controller: it decides whether a new pod is made"),
        ],
    },
    GuideEntry {
        kind: StatusKind::NodeLost,
        title: "Unknown, NodeLost",
        statuses: &["Unknown", "NodeLost"],
        health: Health::Failing,
        meaning: "{node|The pod's node} stopped reporting to the control plane, so nobody knows whether the containers still run. Kubernetes deletes the pod and its controller starts a replacement elsewhere.",
        next: &[
            always("Check {node|the node}'s Ready condition and when it last reported"),
            always("Check the machine itself: power, network, the kubelet"),
            always(
                "StatefulSet pods are not replaced until the node is known to be gone: delete the Node object once it is",
            ),
        ],
    },
    // Entries without a STATUS word, raised by the built-in detectors.
    detector_entries::MEMORY_NEAR_LIMIT,
    detector_entries::RESTART_SPIKE,
    detector_entries::ROLLOUT_STALLED,
    detector_entries::REPLICAS_UNAVAILABLE,
    detector_entries::NODE_PRESSURE,
    detector_entries::NODE_NOT_READY,
    detector_entries::HPA_AT_MAX,
    detector_entries::QUOTA_EXCEEDED,
    detector_entries::MEMORY_LIMIT_SOON,
    detector_entries::SERVICE_NO_ENDPOINTS,
    batch_entries::JOB_FAILED,
    GuideEntry {
        kind: StatusKind::Other,
        title: "Other statuses",
        statuses: &[],
        health: Health::Failing,
        meaning: "Kubernetes reports {status|a status not listed here} for this pod.{message|}",
        next: &[
            always("Read the pod's events ({key.object_events|E})"),
            always(
                "Read the logs of its containers ({key.logs|l}), and of the previous run ({key.previous_logs|p}) if one restarted",
            ),
        ],
    },
];
