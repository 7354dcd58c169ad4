//! The sim's HTTP face: a Kubernetes API server on loopback. Routing,
//! authentication and injected faults ([`server`]), discovery, the verbs on
//! stored objects, lists and watches, patches, Tables, protobuf bodies,
//! `pods/log`, metrics and access reviews — everything a client sees, read
//! from and written to the cluster below through one lock.

mod access_review;
mod apply;
mod discovery;
mod events_v1;
pub mod faults;
pub mod kubeconfig;
mod list;
mod logs;
mod metrics;
mod objects;
mod openapi;
mod patch;
mod protobuf;
mod request;
mod response;
mod server;
mod shared;
mod table;
pub mod tls;
mod watch;

pub use server::router;
pub use shared::{RequestRecord, Shared, lock};
