//! The state every handler shares, and the log of the requests answered.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

use super::faults::Faults;
use crate::sim::cluster::rng::Rng;
use crate::sim::cluster::{self, STEP, World};

/// One request the sim answered, for tests to assert on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: String,
    /// Kubernetes verb: get, list, watch, create, update, patch, delete, …
    pub verb: String,
    pub status: u16,
}

pub const REQUEST_LOG_LIMIT: usize = 100_000;

/// What every handler shares: the cluster behind one lock, who may do
/// what, the faults to inject, and the log of the requests answered.
pub struct Shared {
    pub world: Mutex<World>,
    /// A bearer token every request must carry.
    pub token: Option<String>,
    /// Every mutating verb is refused with 403.
    pub readonly_user: bool,
    pub faults: Faults,
    pub request_log: Mutex<VecDeque<RequestRecord>>,
    /// Woken whenever the clock moved, so log followers and slow watchers look again.
    pub ticked: Notify,
    pub fault_rng: Mutex<Rng>,
}

/// A lock that survives a panicked holder: the sim keeps serving.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    /// The user every request is made as.
    pub fn user_name(&self) -> &'static str {
        if self.readonly_user {
            "warroom-viewer"
        } else {
            "warroom-admin"
        }
    }

    /// The virtual time now.
    pub fn now(&self) -> Timestamp {
        lock(&self.world).now
    }

    /// Moves the virtual clock by `d`, in steps of [`STEP`], running the
    /// controllers, the kubelet and the scenario at each step; the lock is
    /// let go between steps, so requests are answered meanwhile.
    pub fn advance(&self, d: Duration) {
        let mut left = SignedDuration::try_from(d).unwrap_or(SignedDuration::ZERO);
        while left > SignedDuration::ZERO {
            let step = left.min(STEP);
            cluster::step(&mut lock(&self.world), step);
            left -= step;
        }
        self.ticked.notify_waiters();
    }

    /// Requests answered so far, oldest first (the last 100,000).
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.request_log).iter().cloned().collect()
    }

    /// Forgets all watch history now: every older resourceVersion answers 410.
    pub fn expire_resource_versions(&self) {
        lock(&self.world).store.compact_all();
    }
}
