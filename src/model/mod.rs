//! Pure Kubernetes domain logic, no I/O: what a pod's status means, how
//! rollouts went, what events and alerts say. Shared by the console and the
//! simulated cluster so both describe a pod the same way kubectl does.

pub mod pod_status;
pub mod quantity;
