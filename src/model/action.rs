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
use crate::model::alert::Matcher;

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
        write!(f, "{} {}/{}", self.kind.name(), self.namespace, self.name)
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
    /// `kubectl patch hpa`: the bounds the HPA `hpa` (in the target's
    /// namespace) scales `target` between, instead of scaling by hand what
    /// the HPA would undo.
    ScaleBounds {
        target: WorkloadRef,
        hpa: String,
        /// Its minimum and maximum when the user chose.
        from: (i32, i32),
        min: i32,
        max: i32,
    },
    /// `kubectl rollout restart`: the `kubectl.kubernetes.io/restartedAt`
    /// annotation on the pod template.
    Restart { target: WorkloadRef },
    /// `kubectl rollout pause` (Deployments only).
    Pause { target: WorkloadRef },
    /// `kubectl rollout resume` (Deployments only).
    Resume { target: WorkloadRef },
    /// A silence in Alertmanager `alertmanager` for `minutes` from when it
    /// is made (`amtool silence add`).
    Silence {
        alertmanager: String,
        /// The alert it is made for, in words.
        alert: String,
        matchers: Vec<Matcher>,
        minutes: u32,
        comment: String,
        created_by: String,
    },
    /// Expire silence `id` in Alertmanager `alertmanager` (`amtool silence expire`).
    ExpireSilence {
        alertmanager: String,
        alert: String,
        id: String,
    },
}

/// The kind of a mutation, without its arguments: what the keymap offers
/// and what access is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionKind {
    Rollback,
    Scale,
    /// An HPA's minimum and maximum.
    ScaleBounds,
    Restart,
    Pause,
    Resume,
    Silence,
    ExpireSilence,
}

impl ActionKind {
    /// The changes to a workload.
    pub const ALL: [ActionKind; 6] = [
        ActionKind::Rollback,
        ActionKind::Scale,
        ActionKind::ScaleBounds,
        ActionKind::Restart,
        ActionKind::Pause,
        ActionKind::Resume,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Rollback => "rollback",
            ActionKind::Scale => "scale",
            ActionKind::ScaleBounds => "change HPA bounds",
            ActionKind::Restart => "restart",
            ActionKind::Pause => "pause",
            ActionKind::Resume => "resume",
            ActionKind::Silence => "silence",
            ActionKind::ExpireSilence => "expire silence",
        }
    }

    /// Whether the kind of workload has this action at all (DaemonSets have
    /// no replicas; only Deployments pause).
    pub fn applies_to(self, kind: WorkloadKind) -> bool {
        match self {
            ActionKind::Rollback | ActionKind::Restart => true,
            ActionKind::Scale | ActionKind::ScaleBounds => kind != WorkloadKind::DaemonSet,
            ActionKind::Pause | ActionKind::Resume => kind == WorkloadKind::Deployment,
            ActionKind::Silence | ActionKind::ExpireSilence => false,
        }
    }

    /// What the API server must allow: `patch` on the workload, or on its
    /// `scale` subresource for scaling (what kubectl sends), or on the HPA
    /// that scales it (named after the workload here; [`Mutation::access`]
    /// names the HPA itself).
    pub fn access(self, target: &WorkloadRef) -> AccessCheck {
        if self == ActionKind::ScaleBounds {
            return AccessCheck {
                namespace: target.namespace.clone(),
                group: "autoscaling",
                resource: "horizontalpodautoscalers",
                subresource: "",
                verb: "patch",
                name: target.name.clone(),
            };
        }
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
    /// The workload it changes; `None` for silences.
    pub fn target(&self) -> Option<&WorkloadRef> {
        match self {
            Mutation::Rollback { target, .. }
            | Mutation::Scale { target, .. }
            | Mutation::ScaleBounds { target, .. }
            | Mutation::Restart { target }
            | Mutation::Pause { target }
            | Mutation::Resume { target } => Some(target),
            Mutation::Silence { .. } | Mutation::ExpireSilence { .. } => None,
        }
    }

    /// What it is about, in words: `Deployment shop/cart`, or the alert.
    pub fn subject(&self) -> String {
        match self {
            Mutation::Silence { alert, .. } | Mutation::ExpireSilence { alert, .. } => {
                alert.clone()
            }
            Mutation::ScaleBounds { target, hpa, .. } => {
                format!("HorizontalPodAutoscaler {}/{hpa}", target.namespace)
            }
            _ => self.target().map(|t| t.to_string()).unwrap_or_default(),
        }
    }

    pub fn kind(&self) -> ActionKind {
        match self {
            Mutation::Rollback { .. } => ActionKind::Rollback,
            Mutation::Scale { .. } => ActionKind::Scale,
            Mutation::ScaleBounds { .. } => ActionKind::ScaleBounds,
            Mutation::Restart { .. } => ActionKind::Restart,
            Mutation::Pause { .. } => ActionKind::Pause,
            Mutation::Resume { .. } => ActionKind::Resume,
            Mutation::Silence { .. } => ActionKind::Silence,
            Mutation::ExpireSilence { .. } => ActionKind::ExpireSilence,
        }
    }

    /// The change in words, for the confirmation and the timeline.
    pub fn describe(&self) -> String {
        let t = self.subject();
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
            Mutation::ScaleBounds {
                target,
                from,
                min,
                max,
                ..
            } => format!(
                "Change {t} to scale {target} between {min} and {max} replicas (was {} to {})",
                from.0, from.1
            ),
            Mutation::Restart { .. } => {
                format!("Restart every pod of {t}, one by one as its rollout strategy allows")
            }
            Mutation::Pause { .. } => {
                format!("Pause the rollout of {t}: template changes wait until it is resumed")
            }
            Mutation::Resume { .. } => format!("Resume the rollout of {t}"),
            Mutation::Silence {
                alertmanager,
                minutes,
                matchers,
                ..
            } => format!(
                "Silence {t} in Alertmanager {alertmanager} for {}: every alert matching {} stays quiet",
                minutes_text(*minutes),
                matchers_text(matchers)
            ),
            Mutation::ExpireSilence {
                alertmanager, id, ..
            } => format!("Expire silence {id} in Alertmanager {alertmanager}: {t} notifies again"),
        }
    }

    /// The command-line equivalent: kubectl for workloads, amtool for silences.
    pub fn kubectl(&self) -> String {
        match self {
            Mutation::Silence {
                matchers,
                minutes,
                comment,
                ..
            } => {
                return format!(
                    "amtool silence add {} --duration={} --comment={}",
                    matchers_text(matchers),
                    minutes_text(*minutes),
                    shell_quote(comment)
                );
            }
            Mutation::ExpireSilence { id, .. } => return format!("amtool silence expire {id}"),
            _ => {}
        }
        let Some(t) = self.target() else {
            return String::new();
        };
        let (name, ns) = (t.kubectl_name(), &t.namespace);
        match self {
            Mutation::Rollback { to_revision, .. } => {
                format!("kubectl rollout undo {name} --to-revision={to_revision} -n {ns}")
            }
            Mutation::Scale { replicas, .. } => {
                format!("kubectl scale {name} --replicas={replicas} -n {ns}")
            }
            Mutation::ScaleBounds { hpa, min, max, .. } => format!(
                "kubectl patch hpa {hpa} -n {ns} -p '{{\"spec\":{{\"minReplicas\":{min},\"maxReplicas\":{max}}}}}'"
            ),
            Mutation::Restart { .. } => format!("kubectl rollout restart {name} -n {ns}"),
            Mutation::Pause { .. } => format!("kubectl rollout pause {name} -n {ns}"),
            Mutation::Resume { .. } => format!("kubectl rollout resume {name} -n {ns}"),
            Mutation::Silence { .. } | Mutation::ExpireSilence { .. } => String::new(),
        }
    }

    /// What the API server must allow (workload changes only).
    pub fn access(&self) -> Option<AccessCheck> {
        let mut check = self.kind().access(self.target()?);
        if let Mutation::ScaleBounds { hpa, .. } = self {
            check.name = hpa.clone();
        }
        Some(check)
    }

    /// The object it changes: the workload, or the HPA whose bounds change.
    pub fn object(&self) -> Option<super::event::ObjectRef> {
        if let Mutation::ScaleBounds { target, hpa, .. } = self {
            return Some(super::event::ObjectRef {
                kind: "HorizontalPodAutoscaler".into(),
                namespace: target.namespace.clone(),
                name: hpa.clone(),
            });
        }
        self.target().map(|t| super::event::ObjectRef {
            kind: t.kind.name().to_string(),
            namespace: t.namespace.clone(),
            name: t.name.clone(),
        })
    }
}

/// `2h`, `90m`, `1d`.
pub fn minutes_text(minutes: u32) -> String {
    if minutes.is_multiple_of(24 * 60) {
        format!("{}d", minutes / (24 * 60))
    } else if minutes.is_multiple_of(60) {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

/// `alertname="X" pod="y"` as amtool writes matchers.
pub fn matchers_text(matchers: &[Matcher]) -> String {
    matchers
        .iter()
        .map(|m| {
            let op = match (m.is_equal, m.is_regex) {
                (true, false) => "=",
                (false, false) => "!=",
                (true, true) => "=~",
                (false, true) => "!~",
            };
            format!("{}{op}{}", m.name, shell_quote(&m.value))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Single-quoted for a POSIX shell when it needs quoting.
fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
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
mod tests;
