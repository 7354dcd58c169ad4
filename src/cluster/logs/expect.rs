//! What a logs session's first reads will hold, asked of the server the way
//! the session itself asks: the same pods (the same selector), the same
//! containers (the supervisor's own rule, [`super::pods::streamed`]), the
//! same request less `follow`.
//!
//! The screenshot's headless console (`app::headless`) waits for exactly
//! these lines before it takes its picture. On a cluster whose clock stands
//! still, a followed log holds nothing after its first read, so "every
//! stream reported and this many lines in" is the moment a person looking
//! at the pane would see it complete — no sleeping and hoping.

use std::collections::BTreeMap;
use std::sync::Arc;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, LogParams};
use kube::{Api, Client, ResourceExt};

use super::pods::{Selection, selection, streamed};
use super::stream::{Open, params};
use super::view::PodView;
use super::{LogOptions, LogTarget};
use crate::cluster::errors::describe_kube_error;
use crate::model::log_stream::StreamId;

/// What the first reads of a logs session return.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirstReads {
    /// Per stream the session opens now, what its first read gives.
    pub streams: BTreeMap<StreamId, FirstRead>,
    /// No stream, and the session says why in a failure of its own (no
    /// pods, no label selector, nothing restarted — see `Supervisor::listed`).
    pub explained: bool,
    /// The session's stream cap: containers past it wait their turn.
    pub max_streams: usize,
}

/// One stream's first read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirstRead {
    /// Lines it returns (0 when the read is refused: the stream says why).
    pub lines: usize,
    /// The stream ends after it (`Left`, or a failure it does not retry):
    /// a log read once, a container that will not run again, a refusal.
    pub ends: bool,
}

/// What the streams of a session for `target` read first, asked now.
pub async fn expected_first_reads(
    client: &Client,
    target: &LogTarget,
    options: &LogOptions,
) -> Result<FirstReads, String> {
    let ns = target.namespace();
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    let mut reads = FirstReads {
        max_streams: options.max_streams.max(1),
        ..FirstReads::default()
    };
    let list = match selection(target) {
        Ok(Selection::Fields(fields)) => ListParams::default().fields(&fields),
        Ok(Selection::Labels(labels)) => ListParams::default().labels(&labels),
        Err(_) => {
            reads.explained = true;
            return Ok(reads);
        }
    };
    let pods = api.list(&list).await.map_err(|e| {
        format!(
            "cannot list the pods to read: {}",
            describe_kube_error(&e, "")
        )
    })?;
    let out = &mut reads.streams;
    for pod in &pods.items {
        let name = pod.name_any();
        let view = PodView::from_pod(pod);
        let containers = match streamed(target, options.previous, &view) {
            Ok(cs) => cs,
            // A container the pod does not have: its stream fails at once.
            Err(_) => match target {
                LogTarget::Pod {
                    container: Some(c), ..
                } => {
                    let read = FirstRead {
                        lines: 0,
                        ends: true,
                    };
                    out.insert(stream(ns, &name, c), read);
                    continue;
                }
                _ => continue,
            },
        };
        let following = options.follow && !options.previous;
        for c in containers {
            let mut request: LogParams = params(options, &c, Open::First);
            request.follow = false;
            // Followed, a stream ends only with its container (as the
            // stream decides after its read, `Stream::after_end`).
            let finished = view
                .container(&c)
                .and_then(|cv| view.finished(cv))
                .is_some();
            let read = match api.logs(&name, &request).await {
                Ok(text) => FirstRead {
                    lines: text.lines().count(),
                    ends: !following || finished,
                },
                // Not started, no previous instance, gone: the stream says
                // so, and gives up unless it follows (it waits for a start).
                Err(kube::Error::Api(status)) if matches!(status.code, 400 | 404) => FirstRead {
                    lines: 0,
                    ends: !following,
                },
                Err(e) => {
                    return Err(format!(
                        "cannot read the log of {name}/{c}: {}",
                        describe_kube_error(&e, "")
                    ));
                }
            };
            out.insert(stream(ns, &name, &c), read);
        }
    }
    let workload = matches!(target, LogTarget::Workload { .. });
    reads.explained =
        reads.streams.is_empty() && (pods.items.is_empty() || (workload && options.previous));
    Ok(reads)
}

fn stream(namespace: &str, pod: &str, container: &str) -> StreamId {
    StreamId {
        namespace: Arc::from(namespace),
        pod: Arc::from(pod),
        container: Arc::from(container),
    }
}
