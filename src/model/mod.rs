//! Pure Kubernetes domain logic, no I/O: what a pod's status means, how
//! rollouts went, what events and alerts say. Shared by the console and the
//! simulated cluster so both describe a pod the same way kubectl does.

/// Any API object's condition list (`Option<&[XCondition]>`; every kind has
/// the same fields) as [`pod_health::Condition`]s.
macro_rules! conditions {
    ($list:expr) => {
        $list
            .unwrap_or(&[])
            .iter()
            .map(|c| {
                $crate::model::pod_health::Condition::new(
                    &c.type_,
                    &c.status,
                    c.reason.as_deref(),
                    c.message.as_deref(),
                    c.last_transition_time.as_ref(),
                )
            })
            .collect::<Vec<_>>()
    };
}

pub mod action;
pub mod alert;
pub mod api_resource;
pub mod autoscaler;
pub mod changes;
pub mod cluster;
pub mod config_ref;
pub mod describe;
pub mod detectors;
pub mod event;
pub mod explain;
pub mod history;
pub mod ingress;
pub mod insight;
pub mod job;
pub mod labels;
pub mod list_items;
pub mod log_line;
pub mod log_stream;
pub mod node;
pub mod pod_health;
pub mod pod_status;
pub mod quantity;
pub mod quota;
pub mod redact;
pub mod sanitize;
pub mod semantic;
pub mod server_table;
pub mod service;
pub mod spelling;
pub mod template_diff;
pub mod usage;
pub mod usage_history;
pub mod workload;
pub mod yaml;

#[cfg(test)]
pub(crate) mod fixtures;

use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;

/// `namespace/name` (an empty namespace for cluster-scoped objects).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectKey {
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(namespace: &str, name: &str) -> ObjectKey {
        ObjectKey {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// Where "now" comes from: the wall clock, or the simulated cluster's
/// virtual clock in `warroom demo`. The reducer never reads it: the runtime
/// sends the time in `Msg::Ticked`.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;
