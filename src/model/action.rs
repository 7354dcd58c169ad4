//! What an engineer can change from warroom, as data: the mutation, its
//! description in words, the kubectl command that does the same, the access
//! it needs, and the record the incident timeline keeps of it.
//!
//! Nothing here talks to a cluster; `cluster::actions` executes a
//! [`Mutation`], and only the app's effect executor calls that — after the
//! read-only check, in one place.

use std::fmt;

use jiff::Timestamp;

use super::workload::WorkloadKind;

/// A Deployment, StatefulSet or DaemonSet by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkloadRef {
    pub kind: WorkloadKind,
    pub namespace: String,
    pub name: String,
}

impl WorkloadRef {
    pub fn new(kind: WorkloadKind, namespace: &str, name: &str) -> WorkloadRef {
        WorkloadRef {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// `deployments`, `statefulsets`, `daemonsets` (group `apps`).
    pub fn resource(&self) -> &'static str {
        match self.kind {
            WorkloadKind::Deployment => "deployments",
            WorkloadKind::StatefulSet => "statefulsets",
            WorkloadKind::DaemonSet => "daemonsets",
        }
    }

    /// `deployment/checkout-service`, as kubectl names it on its command line.
    pub fn kubectl_name(&self) -> String {
        let kind = match self.kind {
            WorkloadKind::Deployment => "deployment",
            WorkloadKind::StatefulSet => "statefulset",
            WorkloadKind::DaemonSet => "daemonset",
        };
        format!("{kind}/{}", self.name)
    }
}

impl fmt::Display for WorkloadRef {
    /// `Deployment production/checkout-service`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// A change to a workload. Each has a server-side dry run and a real run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Mutation {
    /// `kubectl rollout undo --to-revision=N`: the pod template of revision
    /// `to_revision` becomes the current one (a new revision number).
    Rollback {
        target: WorkloadRef,
        to_revision: i64,
        /// The revision current when the user chose, for the record.
        from_revision: Option<i64>,
    },
    /// `kubectl scale --replicas=N`, through the scale subresource.
    Scale {
        target: WorkloadRef,
        from: i32,
        replicas: i32,
    },
    /// `kubectl rollout restart`: the `kubectl.kubernetes.io/restartedAt`
    /// annotation on the pod template.
    Restart { target: WorkloadRef },
    /// `kubectl rollout pause` (Deployments only).
    Pause { target: WorkloadRef },
    /// `kubectl rollout resume` (Deployments only).
    Resume { target: WorkloadRef },
}

/// The kind of a mutation, without its arguments: what the keymap offers
/// and what access is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionKind {
    Rollback,
    Scale,
    Restart,
    Pause,
    Resume,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] = [
        ActionKind::Rollback,
        ActionKind::Scale,
        ActionKind::Restart,
        ActionKind::Pause,
        ActionKind::Resume,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Rollback => "rollback",
            ActionKind::Scale => "scale",
            ActionKind::Restart => "restart",
            ActionKind::Pause => "pause",
            ActionKind::Resume => "resume",
        }
    }

    /// Whether the kind of workload has this action at all (DaemonSets have
    /// no replicas; only Deployments pause).
    pub fn applies_to(self, kind: WorkloadKind) -> bool {
        match self {
            ActionKind::Rollback | ActionKind::Restart => true,
            ActionKind::Scale => kind != WorkloadKind::DaemonSet,
            ActionKind::Pause | ActionKind::Resume => kind == WorkloadKind::Deployment,
        }
    }

    /// What the API server must allow: `patch` on the workload, or on its
    /// `scale` subresource for scaling (what kubectl sends).
    pub fn access(self, target: &WorkloadRef) -> AccessCheck {
        AccessCheck {
            namespace: target.namespace.clone(),
            group: "apps",
            resource: target.resource(),
            subresource: if self == ActionKind::Scale {
                "scale"
            } else {
                ""
            },
            verb: "patch",
            name: target.name.clone(),
        }
    }
}

impl Mutation {
    pub fn target(&self) -> &WorkloadRef {
        match self {
            Mutation::Rollback { target, .. }
            | Mutation::Scale { target, .. }
            | Mutation::Restart { target }
            | Mutation::Pause { target }
            | Mutation::Resume { target } => target,
        }
    }

    pub fn kind(&self) -> ActionKind {
        match self {
            Mutation::Rollback { .. } => ActionKind::Rollback,
            Mutation::Scale { .. } => ActionKind::Scale,
            Mutation::Restart { .. } => ActionKind::Restart,
            Mutation::Pause { .. } => ActionKind::Pause,
            Mutation::Resume { .. } => ActionKind::Resume,
        }
    }

    /// The change in words, for the confirmation and the timeline.
    pub fn describe(&self) -> String {
        let t = self.target();
        match self {
            Mutation::Rollback {
                to_revision,
                from_revision,
                ..
            } => match from_revision {
                Some(from) => format!(
                    "Roll back {t} from revision {from} to the pod template of revision {to_revision}"
                ),
                None => format!("Roll back {t} to the pod template of revision {to_revision}"),
            },
            Mutation::Scale { from, replicas, .. } => {
                format!("Scale {t} from {from} to {replicas} replicas")
            }
            Mutation::Restart { .. } => {
                format!("Restart every pod of {t}, one by one as its rollout strategy allows")
            }
            Mutation::Pause { .. } => {
                format!("Pause the rollout of {t}: template changes wait until it is resumed")
            }
            Mutation::Resume { .. } => format!("Resume the rollout of {t}"),
        }
    }

    /// The kubectl command that does the same.
    pub fn kubectl(&self) -> String {
        let t = self.target();
        let (name, ns) = (t.kubectl_name(), &t.namespace);
        match self {
            Mutation::Rollback { to_revision, .. } => {
                format!("kubectl rollout undo {name} --to-revision={to_revision} -n {ns}")
            }
            Mutation::Scale { replicas, .. } => {
                format!("kubectl scale {name} --replicas={replicas} -n {ns}")
            }
            Mutation::Restart { .. } => format!("kubectl rollout restart {name} -n {ns}"),
            Mutation::Pause { .. } => format!("kubectl rollout pause {name} -n {ns}"),
            Mutation::Resume { .. } => format!("kubectl rollout resume {name} -n {ns}"),
        }
    }

    pub fn access(&self) -> AccessCheck {
        self.kind().access(self.target())
    }
}

/// One question for a SelfSubjectAccessReview.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccessCheck {
    pub namespace: String,
    pub group: &'static str,
    pub resource: &'static str,
    /// Empty for the object itself.
    pub subresource: &'static str,
    pub verb: &'static str,
    /// Empty for any object of the resource.
    pub name: String,
}

impl AccessCheck {
    /// `patch deployments/scale in production`.
    pub fn describe(&self) -> String {
        let sub = if self.subresource.is_empty() {
            String::new()
        } else {
            format!("/{}", self.subresource)
        };
        format!(
            "{} {}{} in {}",
            self.verb, self.resource, sub, self.namespace
        )
    }
}

/// The API server's answer to an [`AccessCheck`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Allowed,
    /// Not allowed, with the server's reason (RBAC's words) when it gave one.
    Denied(String),
    /// The review itself failed; the action stays possible (the server
    /// still decides), and the confirmation says it was not verified.
    Unknown(String),
}

/// What a mutation did, in words, for the pane and the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOutcome {
    /// kubectl's wording: `deployment.apps/checkout-service rolled back`.
    pub message: String,
    /// The workload's revision before, when it has one.
    pub revision_before: Option<i64>,
    /// What was asked for or, when the answer says, the revision after.
    pub revision_after: Option<i64>,
}

/// Why a mutation (or its dry run) did not happen, said plainly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    /// The session is read-only; nothing was sent.
    ReadOnly(String),
    /// 403 from the API server.
    Forbidden(String),
    /// 404: the workload or the revision is gone.
    NotFound(String),
    /// 409: someone else changed it first.
    Conflict(String),
    /// 422 or 400: the server rejected the change, with its reasons.
    Invalid(String),
    /// Anything else: unreachable, 5xx, a paused deployment.
    Failed(String),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::ReadOnly(why) => write!(f, "refused: the session is read-only ({why})"),
            ActionError::Forbidden(m) => write!(f, "forbidden (403): {m}"),
            ActionError::NotFound(m) => write!(f, "not found (404): {m}"),
            ActionError::Conflict(m) => {
                write!(
                    f,
                    "conflict (409): {m} — someone changed it first; look again"
                )
            }
            ActionError::Invalid(m) => write!(f, "rejected by the API server: {m}"),
            ActionError::Failed(m) => write!(f, "{m}"),
        }
    }
}

/// An action taken from warroom and what came of it: the incident
/// timeline's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRecord {
    pub at: Timestamp,
    /// The kubeconfig user (who).
    pub user: String,
    pub context: String,
    pub mutation: Mutation,
    /// The kubectl equivalent.
    pub kubectl: String,
    pub result: Result<ActionOutcome, ActionError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkout() -> WorkloadRef {
        WorkloadRef::new(WorkloadKind::Deployment, "production", "checkout-service")
    }

    #[test]
    fn kubectl_equivalents() {
        let t = checkout();
        let m = Mutation::Rollback {
            target: t.clone(),
            to_revision: 3,
            from_revision: Some(4),
        };
        assert_eq!(
            m.kubectl(),
            "kubectl rollout undo deployment/checkout-service --to-revision=3 -n production"
        );
        assert_eq!(
            m.describe(),
            "Roll back Deployment production/checkout-service from revision 4 to the pod template of revision 3"
        );
        let s = Mutation::Scale {
            target: t.clone(),
            from: 3,
            replicas: 5,
        };
        assert_eq!(
            s.kubectl(),
            "kubectl scale deployment/checkout-service --replicas=5 -n production"
        );
        assert_eq!(
            s.access().describe(),
            "patch deployments/scale in production"
        );
        assert_eq!(
            Mutation::Restart { target: t.clone() }.kubectl(),
            "kubectl rollout restart deployment/checkout-service -n production"
        );
        assert_eq!(
            Mutation::Pause { target: t }.access().describe(),
            "patch deployments in production"
        );
    }

    #[test]
    fn actions_apply_to_the_kinds_that_have_them() {
        assert!(!ActionKind::Scale.applies_to(WorkloadKind::DaemonSet));
        assert!(!ActionKind::Pause.applies_to(WorkloadKind::StatefulSet));
        assert!(ActionKind::Rollback.applies_to(WorkloadKind::DaemonSet));
        assert!(ActionKind::Restart.applies_to(WorkloadKind::StatefulSet));
    }
}
