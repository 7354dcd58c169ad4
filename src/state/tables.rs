//! The tables of the main screen: which rows are shown, in which order, and
//! where the cursor is. Rows are recomputed from `ClusterData` when data,
//! sort or filter change, never while drawing.

use super::cursor::Cursor;
use crate::keys::PodColumn;
use crate::model::ObjectKey;
use crate::model::event::ObjectRef;
use crate::model::pod_health::Owner;
use crate::model::workload::WorkloadKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<C> {
    pub column: C,
    pub descending: bool,
}

/// The `/` filter: words match as substrings of namespace/name/status/node;
/// `-l key=value,key2!=v,key3` restricts by labels like kubectl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// What the user typed, shown back in the title.
    pub text: String,
    /// Lower-cased substring to match.
    pub substring: String,
    pub labels: Vec<LabelTerm>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelTerm {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
}

/// A pod-table row: a pod, or with group-by-workload, a workload heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodRow {
    Group {
        namespace: String,
        /// `None`: pods without a controller.
        owner: Option<Owner>,
        pods: usize,
        not_ready: usize,
        failing: usize,
    },
    Pod(ObjectKey),
}

#[derive(Debug, Clone)]
pub struct PodsView {
    pub rows: Vec<PodRow>,
    pub sort: Sort<PodColumn>,
    pub filter: Filter,
    pub problems_only: bool,
    pub group_by_workload: bool,
    /// Only pods of this workload (after `enter` on a workload).
    pub owner: Option<(String, Owner)>,
    pub cursor: Cursor,
}

#[derive(Debug, Clone)]
pub struct WorkloadsView {
    pub rows: Vec<(WorkloadKind, ObjectKey)>,
    pub filter: Filter,
    pub problems_only: bool,
    pub cursor: Cursor,
}

#[derive(Debug, Clone)]
pub struct EventsView {
    /// Newest `last_seen` first.
    pub rows: Vec<ObjectKey>,
    pub filter: Filter,
    pub warnings_only: bool,
    /// Only events about this object.
    pub object: Option<ObjectRef>,
    pub cursor: Cursor,
}

#[derive(Debug, Clone)]
pub struct NodesView {
    pub rows: Vec<String>,
    /// Requests per node, summed when the rows are recomputed (pods
    /// changed), not per node per frame.
    /// What the pods on each node request, node-wide: summed from the
    /// watched pods when every namespace is watched, else from the last
    /// poll of every namespace's pods; `None` until that answered (or when
    /// it is not allowed, see `Resource::NodeRequests`'s watch).
    pub totals: Option<std::collections::HashMap<String, crate::model::cluster::NodeTotals>>,
    pub filter: Filter,
    pub problems_only: bool,
    pub cursor: Cursor,
}
