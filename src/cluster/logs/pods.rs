//! Which containers a session streams: a pod watcher (one pod by name, or a
//! workload's label selector) starts a stream per container, hands each
//! stream its pod's status as it changes, lets new pods join and deleted
//! ones leave, and holds the stream cap.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, ResourceExt};
use tokio::sync::watch;
use tokio::task::{self, JoinSet};

use super::view::{ContainerView, PodView};
use super::{Closed, LogOptions, LogTarget, Out};
use crate::cluster::errors::{describe_watch_error, is_gone};
use crate::model::Clock;
use crate::model::log_stream::{LogEvent, StreamId};

/// What every stream of a session shares.
pub(super) struct Shared {
    pub api: Api<Pod>,
    pub options: LogOptions,
    pub clock: Clock,
    /// The API server URL, for "cannot reach …" (empty: "the API server").
    pub server: Arc<str>,
}

/// Runs the session's pod watcher and its streams until every stream is
/// done (not following) or the session is dropped.
pub(super) async fn supervise(shared: Arc<Shared>, target: LogTarget, out: Out) {
    let mut s = Supervisor {
        shared,
        target,
        out,
        pods: BTreeMap::new(),
        tasks: JoinSet::new(),
        keys: HashMap::new(),
        streaming: 0,
        order: 0,
        listing: true,
        cap_sent: None,
        cap_shown: false,
    };
    let _ = s.run().await;
}

/// `app=checkout-service,tier=web`: matchLabels as a label selector.
fn selector_text(selector: &crate::model::labels::Labels) -> String {
    let terms: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    terms.join(",")
}

/// The containers of a pod that a session for `target` streams now, or
/// why the pod cannot give the one asked for. The supervisor follows this
/// rule, and [`super::expect`] predicts a session's streams with it.
pub(super) fn streamed(
    target: &LogTarget,
    previous: bool,
    view: &PodView,
) -> Result<Vec<String>, String> {
    let names = wanted(target, view)?;
    Ok(names
        .into_iter()
        .filter(|c| {
            view.container(c)
                .is_some_and(|c| eligible(target, previous, c))
        })
        .collect())
}

/// Containers of the pod the target asks for, and whether it names one
/// the pod does not have.
fn wanted(target: &LogTarget, view: &PodView) -> Result<Vec<String>, String> {
    match target {
        LogTarget::Pod {
            container: Some(c),
            pod,
            ..
        } => {
            if view.container(c).is_some() {
                Ok(vec![c.clone()])
            } else {
                let names: Vec<&str> = view.containers.iter().map(|c| c.name.as_str()).collect();
                Err(format!(
                    "pod {pod} has no container {c} (it has {})",
                    names.join(", ")
                ))
            }
        }
        LogTarget::Pod { .. } | LogTarget::Workload { .. } | LogTarget::Job { .. } => {
            Ok(view.containers.iter().map(|c| c.name.clone()).collect())
        }
    }
}

/// Whether a container of a pod is worth a stream now. A pod asked for
/// by name streams every container (a stream says when one has not
/// started); a workload's pods join once their containers have run.
fn eligible(target: &LogTarget, previous: bool, c: &ContainerView) -> bool {
    match (target, previous) {
        (LogTarget::Pod { .. }, _) => true,
        (LogTarget::Workload { .. } | LogTarget::Job { .. }, true) => c.restarted(),
        (LogTarget::Workload { .. } | LogTarget::Job { .. }, false) => c.started(),
    }
}

/// Which pods a session watches: a field selector for one pod by name, a
/// label selector for a workload's, or why there is none.
pub(super) fn selection(target: &LogTarget) -> Result<Selection, String> {
    match target {
        LogTarget::Pod { pod, .. } => Ok(Selection::Fields(format!("metadata.name={pod}"))),
        LogTarget::Workload { selector, name, .. } => {
            if selector.is_empty() {
                Err(format!(
                    "{name} has no label selector: cannot tell which pods are its"
                ))
            } else {
                Ok(Selection::Labels(selector_text(selector)))
            }
        }
        // The Job controller's own selector (controller-uid) when it has
        // one; else the label it puts on every pod it makes.
        LogTarget::Job { selector, name, .. } => Ok(Selection::Labels(if selector.is_empty() {
            format!("{}={name}", crate::model::job::JOB_NAME_LABEL)
        } else {
            selector_text(selector)
        })),
    }
}

/// A session's pods, as the API selects them.
pub(super) enum Selection {
    Fields(String),
    Labels(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Streaming,
    /// Over the cap, waiting for a free stream; first queued, first served.
    Queued(u64),
    /// Its stream ended (left, failed for good, or read once).
    Ended,
}

/// A pod the watcher reported: its status for its streams, and its
/// containers' slots.
struct Tracked {
    view: watch::Sender<PodView>,
    slots: BTreeMap<String, Slot>,
}

struct Supervisor {
    shared: Arc<Shared>,
    target: LogTarget,
    out: Out,
    pods: BTreeMap<String, Tracked>,
    tasks: JoinSet<()>,
    keys: HashMap<task::Id, (String, String)>,
    streaming: usize,
    /// Next queue number for a container over the cap.
    order: u64,
    /// The first list is still arriving: the cap is reported after it.
    listing: bool,
    cap_sent: Option<(usize, usize)>,
    /// The last `Capped` sent said some containers were not streamed.
    cap_shown: bool,
}

impl Supervisor {
    /// What is watched, for errors: `pod checkout-7d8f` or `the pods of
    /// checkout-service`.
    fn watched(&self) -> String {
        match &self.target {
            LogTarget::Pod { pod, .. } => format!("pod {pod}"),
            LogTarget::Workload { name, .. } => format!("the pods of {name}"),
            LogTarget::Job { name, .. } => format!("the pods of Job {name}"),
        }
    }

    async fn failed(&self, error: String, retrying: bool) -> Result<(), Closed> {
        self.out
            .event(LogEvent::Failed {
                stream: None,
                error,
                retrying,
            })
            .await
    }

    async fn run(&mut self) -> Result<(), Closed> {
        let config = match selection(&self.target) {
            Ok(Selection::Fields(fields)) => watcher::Config::default().fields(&fields),
            Ok(Selection::Labels(labels)) => watcher::Config::default().labels(&labels),
            Err(error) => return self.failed(error, false).await,
        };
        let following = self.shared.options.following();
        let events = watcher(self.shared.api.clone(), config).default_backoff();
        let mut events = std::pin::pin!(events);
        let mut watching = true;
        // Pods of a list in progress, to tell which went while not watching.
        let mut listed: Option<BTreeSet<String>> = None;
        let mut first_list = true;
        let mut down = false;
        loop {
            tokio::select! {
                event = events.next(), if watching => match event {
                    Some(Ok(watcher::Event::Init)) => listed = Some(BTreeSet::new()),
                    Some(Ok(watcher::Event::InitApply(pod))) => {
                        listed.get_or_insert_with(BTreeSet::new).insert(pod.name_any());
                        self.apply(&pod).await?;
                    }
                    Some(Ok(watcher::Event::InitDone)) => {
                        down = false;
                        let listed = listed.take().unwrap_or_default();
                        let went: Vec<String> =
                            self.pods.keys().filter(|p| !listed.contains(*p)).cloned().collect();
                        for pod in went {
                            self.delete(&pod);
                        }
                        self.listing = false;
                        if first_list {
                            first_list = false;
                            self.listed().await?;
                        }
                        self.report_cap().await?;
                        // Read once: the pods listed now are all there is to read.
                        watching = following;
                    }
                    Some(Ok(watcher::Event::Apply(pod))) => {
                        down = false;
                        self.apply(&pod).await?;
                        self.report_cap().await?;
                    }
                    Some(Ok(watcher::Event::Delete(pod))) => {
                        self.delete(&pod.name_any());
                        self.report_cap().await?;
                    }
                    Some(Err(err)) => {
                        if !down && !is_gone(&err) {
                            down = true;
                            let why = describe_watch_error(&err, &self.shared.server)
                                .unwrap_or_else(|| err.to_string());
                            let error = format!("cannot watch {}: {why}", self.watched());
                            self.failed(error, true).await?;
                        }
                    }
                    None => watching = false,
                },
                Some(done) = self.tasks.join_next_with_id() => {
                    let id = match done {
                        Ok((id, ())) => id,
                        Err(e) => e.id(),
                    };
                    self.ended(id);
                    self.report_cap().await?;
                }
                else => return Ok(()),
            }
            if !watching && self.tasks.is_empty() {
                return Ok(());
            }
        }
    }

    /// The first list is in: say so when there is nothing to stream.
    async fn listed(&mut self) -> Result<(), Closed> {
        let following = self.shared.options.following();
        let previous = self.shared.options.previous;
        let ns = self.target.namespace().to_string();
        match &self.target {
            LogTarget::Pod { pod, .. } if self.pods.is_empty() => {
                let more = if following {
                    "; waiting for it to appear"
                } else {
                    ""
                };
                self.failed(
                    format!("pod {pod} not found in namespace {ns}{more}"),
                    following,
                )
                .await
            }
            LogTarget::Workload { name, selector, .. } if self.pods.is_empty() => {
                let more = if following {
                    "; its pods join when they appear"
                } else {
                    ""
                };
                self.failed(
                    format!(
                        "no pods of {name} in namespace {ns} (selector {}){more}",
                        selector_text(selector)
                    ),
                    following,
                )
                .await
            }
            LogTarget::Workload { name, .. }
                if previous && self.pods.values().all(|t| t.slots.is_empty()) =>
            {
                self.failed(
                    format!("no previous container: no container of {name} has restarted"),
                    false,
                )
                .await
            }
            _ => Ok(()),
        }
    }

    async fn apply(&mut self, pod: &Pod) -> Result<(), Closed> {
        let name = pod.name_any();
        let view = PodView::from_pod(pod);
        let wanted = streamed(&self.target, self.shared.options.previous, &view);
        let tracked = self.pods.entry(name.clone()).or_insert_with(|| Tracked {
            view: watch::Sender::new(view.clone()),
            slots: BTreeMap::new(),
        });
        tracked.view.send_replace(view.clone());
        let wanted = match wanted {
            Ok(w) => w,
            Err(error) => {
                let LogTarget::Pod {
                    container: Some(c), ..
                } = &self.target
                else {
                    return Ok(());
                };
                if tracked.slots.insert(c.clone(), Slot::Ended).is_none() {
                    let stream = self.stream_id(&name, c);
                    return self
                        .out
                        .event(LogEvent::Failed {
                            stream: Some(stream),
                            error,
                            retrying: false,
                        })
                        .await;
                }
                return Ok(());
            }
        };
        let new: Vec<String> = wanted
            .into_iter()
            .filter(|c| !tracked.slots.contains_key(c))
            .collect();
        for c in new {
            if self.streaming < self.shared.options.max_streams.max(1) {
                self.spawn(&name, &c);
            } else {
                self.order += 1;
                let order = self.order;
                if let Some(t) = self.pods.get_mut(&name) {
                    t.slots.insert(c, Slot::Queued(order));
                }
            }
        }
        Ok(())
    }

    fn stream_id(&self, pod: &str, container: &str) -> StreamId {
        StreamId {
            namespace: Arc::from(self.target.namespace()),
            pod: Arc::from(pod),
            container: Arc::from(container),
        }
    }

    fn spawn(&mut self, pod: &str, container: &str) {
        let Some(tracked) = self.pods.get_mut(pod) else {
            return;
        };
        tracked.slots.insert(container.to_string(), Slot::Streaming);
        let view = tracked.view.subscribe();
        let id = self.stream_id(pod, container);
        let stream = super::stream::Stream::new(self.shared.clone(), id, view, self.out.clone());
        let handle = self.tasks.spawn(stream.run());
        self.keys
            .insert(handle.id(), (pod.to_string(), container.to_string()));
        self.streaming += 1;
    }

    /// The pod is gone: its streams read what is left and leave; its
    /// queued containers are forgotten.
    fn delete(&mut self, pod: &str) {
        if let Some(tracked) = self.pods.remove(pod) {
            tracked.view.send_modify(|v| v.gone = true);
        }
    }

    /// A stream ended: its slot is free for the first queued container.
    fn ended(&mut self, id: task::Id) {
        let Some((pod, container)) = self.keys.remove(&id) else {
            return;
        };
        self.streaming = self.streaming.saturating_sub(1);
        if let Some(t) = self.pods.get_mut(&pod) {
            t.slots.insert(container, Slot::Ended);
        }
        while self.streaming < self.shared.options.max_streams.max(1) {
            let next = self
                .pods
                .iter()
                .flat_map(|(p, t)| {
                    t.slots.iter().filter_map(move |(c, s)| match s {
                        Slot::Queued(n) => Some((*n, p.clone(), c.clone())),
                        _ => None,
                    })
                })
                .min();
            let Some((_, p, c)) = next else { break };
            self.spawn(&p, &c);
        }
    }

    /// `Capped` when some containers are not streamed, again whenever the
    /// numbers change, and once more (streaming = total) when all are.
    async fn report_cap(&mut self) -> Result<(), Closed> {
        if self.listing {
            return Ok(());
        }
        let queued = self
            .pods
            .values()
            .flat_map(|t| t.slots.values())
            .filter(|s| matches!(s, Slot::Queued(_)))
            .count();
        let now = (self.streaming, self.streaming + queued);
        if (queued > 0 || self.cap_shown) && self.cap_sent != Some(now) {
            self.cap_sent = Some(now);
            self.cap_shown = queued > 0;
            self.out
                .event(LogEvent::Capped {
                    streaming: now.0,
                    total: now.1,
                })
                .await?;
        }
        Ok(())
    }
}
