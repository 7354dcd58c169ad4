//! The console's log streams against the simulated cluster over HTTP: one
//! pod's lines, a workload's pods merged into one session, the previous
//! container after an OOMKill, a followed container restarting, pods leaving
//! and joining, the stream cap, a 1 MB line, refusals in words, and a
//! dropped session going quiet. Time moves only when a test advances the
//! sim's clock; waits are for messages, with generous limits.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, PostParams};
use serde_json::json;
use tokio::sync::mpsc;
use warroom::cluster::Update;
use warroom::cluster::{LogOptions, LogSession, spawn_logs};
use warroom::model::log_stream::LogTarget;
use warroom::model::log_stream::{LogEvent, RawLine, StreamId};
use warroom::model::workload::WorkloadKind;
use warroom::sim::ScenarioName;

use common::{Cluster, cluster, config, live_pods, sim_clock};

/// Real seconds a test waits for one expected message.
const WAIT: u64 = 60;

/// The receiving end of one logs session, keeping everything seen.
struct Tailing {
    rx: mpsc::Receiver<Update>,
    session: Option<LogSession>,
    number: u64,
    seen: Vec<LogEvent>,
}

impl Tailing {
    fn start(c: &Cluster, target: LogTarget, options: LogOptions, number: u64) -> Tailing {
        let (tx, rx) = mpsc::channel(64);
        let session = spawn_logs(
            c.client.clone(),
            target,
            options,
            number,
            tx,
            sim_clock(&c.sim),
        );
        assert_eq!(session.session(), number);
        Tailing {
            rx,
            session: Some(session),
            number,
            seen: Vec::new(),
        }
    }

    fn record(&mut self, msg: Update) {
        match msg {
            Update::Logs { session, event } => {
                assert_eq!(
                    session, self.number,
                    "every message carries the session number: {event:?}"
                );
                self.seen.push(event);
            }
            other => panic!("log streams send only Update::Logs, got {other:?}"),
        }
    }

    /// Everything already queued, without waiting.
    fn drain(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            self.record(msg);
        }
    }

    fn summary(&self) -> Vec<String> {
        self.seen.iter().map(brief).collect()
    }

    /// Receives until `pick` finds what it wants in everything seen so far,
    /// failing after [`WAIT`] seconds.
    async fn wait_for<T>(
        &mut self,
        what: &str,
        mut pick: impl FnMut(&[LogEvent]) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(WAIT);
        loop {
            if let Some(v) = pick(&self.seen) {
                return v;
            }
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(msg)) => self.record(msg),
                Ok(None) => panic!(
                    "the channel closed while waiting for {what}; seen: {:#?}",
                    self.summary()
                ),
                Err(_) => panic!("no {what} within {WAIT} s; seen: {:#?}", self.summary()),
            }
        }
    }

    /// Moves the sim's clock `step` at a time, taking in what arrives,
    /// until `pick` finds what it wants or `limit` of virtual time passed.
    async fn advancing<T>(
        &mut self,
        c: &Cluster,
        step: Duration,
        limit: Duration,
        what: &str,
        mut pick: impl FnMut(&[LogEvent]) -> Option<T>,
    ) -> T {
        let mut waited = Duration::ZERO;
        loop {
            self.drain();
            if let Some(v) = pick(&self.seen) {
                return v;
            }
            if waited >= limit {
                panic!(
                    "no {what} within {limit:?} of virtual time; seen: {:#?}",
                    self.summary()
                );
            }
            c.advance(step).await;
            waited += step;
            // Give what the clock produced a moment to arrive.
            if let Ok(Some(msg)) =
                tokio::time::timeout(Duration::from_millis(200), self.rx.recv()).await
            {
                self.record(msg);
            }
        }
    }
}

/// An event in one line, for failure messages.
fn brief(e: &LogEvent) -> String {
    match e {
        LogEvent::Lines(lines) => format!(
            "Lines({}: {})",
            lines.len(),
            lines
                .iter()
                .take(2)
                .map(|l| format!(
                    "{}/{}: {}",
                    l.stream.pod,
                    l.stream.container,
                    String::from_utf8_lossy(&l.bytes[..l.bytes.len().min(60)])
                ))
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        other => format!("{other:?}"),
    }
}

fn lines(seen: &[LogEvent]) -> impl Iterator<Item = &RawLine> {
    seen.iter()
        .filter_map(|e| match e {
            LogEvent::Lines(l) => Some(l.iter()),
            _ => None,
        })
        .flatten()
}

fn text(l: &RawLine) -> String {
    String::from_utf8_lossy(&l.bytes).into_owned()
}

fn joined(seen: &[LogEvent]) -> Vec<StreamId> {
    seen.iter()
        .filter_map(|e| match e {
            LogEvent::Joined { stream, .. } => Some(stream.clone()),
            _ => None,
        })
        .collect()
}

fn pod_target(pod: &str) -> LogTarget {
    LogTarget::Pod {
        namespace: "production".into(),
        pod: pod.into(),
        container: None,
    }
}

fn workload(app: &str) -> LogTarget {
    LogTarget::Workload {
        namespace: "production".into(),
        kind: WorkloadKind::Deployment,
        selector: [("app", app)].into_iter().collect(),
        name: app.into(),
    }
}

async fn pod_names(c: &Cluster, app: &str) -> Vec<String> {
    let pods: Api<Pod> = c.api("production");
    live_pods(&pods, app)
        .await
        .iter()
        .filter_map(|p| p.metadata.name.clone())
        .collect()
}

fn oom_killed(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|cs| cs.first())
        .is_some_and(|s| {
            s.restart_count >= 1
                && s.last_state
                    .as_ref()
                    .and_then(|l| l.terminated.as_ref())
                    .is_some_and(|t| t.reason.as_deref() == Some("OOMKilled"))
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pods_lines_arrive_stamped_and_in_order() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pod = pod_names(&c, "checkout-service").await.remove(0);
    let options = LogOptions {
        tail: Some(5),
        ..LogOptions::default()
    };
    let mut t = Tailing::start(&c, pod_target(&pod), options, 11);
    let tail: Vec<RawLine> = t
        .wait_for("the last five lines", |seen| {
            let l: Vec<RawLine> = lines(seen).cloned().collect();
            (l.len() >= 5).then_some(l)
        })
        .await;
    assert_eq!(
        joined(&t.seen),
        vec![StreamId {
            namespace: "production".into(),
            pod: pod.as_str().into(),
            container: "checkout-service".into(),
        }],
        "the pod's one container joined first: {:#?}",
        t.summary()
    );
    assert!(matches!(
        t.seen[0],
        LogEvent::Joined {
            previous: false,
            ..
        }
    ));
    assert_eq!(tail.len(), 5, "tailLines=5");

    c.advance(Duration::from_secs(20)).await;
    let now = c.sim.now();
    let all: Vec<RawLine> = t
        .wait_for("lines logged while the clock moved", |seen| {
            let l: Vec<RawLine> = lines(seen).cloned().collect();
            (l.len() >= 8).then_some(l)
        })
        .await;
    let times: Vec<jiff::Timestamp> = all
        .iter()
        .map(|l| {
            l.at.unwrap_or_else(|| panic!("a timestamp on {:?}", text(l)))
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "in order: {times:?}");
    assert!(times.iter().all(|t| *t <= now), "none from the future");
    let newest_tail = tail.last().and_then(|l| l.at).expect("stamped");
    assert!(
        all[5..].iter().all(|l| l.at > Some(newest_tail)),
        "new lines come after the tail"
    );
    for l in &all {
        let text = text(l);
        assert!(
            text.starts_with('{') && text.contains("\"service\":\"checkout-service\""),
            "the text without its timestamp: {text}"
        );
        assert_eq!((l.cut, l.previous), (0, false));
        assert_eq!(&*l.stream.pod, pod.as_str());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployments_pods_are_merged_and_the_bad_one_joins() {
    let c = cluster(config(ScenarioName::BadDeploy)).await;
    let before: BTreeSet<String> = pod_names(&c, "checkout-service")
        .await
        .into_iter()
        .collect();
    assert_eq!(before.len(), 3, "three checkout pods before the deploy");
    let options = LogOptions {
        tail: Some(3),
        ..LogOptions::default()
    };
    let mut t = Tailing::start(&c, workload("checkout-service"), options, 12);
    t.wait_for("every pod joined", |seen| {
        let pods: BTreeSet<String> = joined(seen).iter().map(|s| s.pod.to_string()).collect();
        (pods == before).then_some(())
    })
    .await;
    // The 2.3.0 rollout starts 20 s in; its pod runs but cannot work.
    let bad = t
        .advancing(
            &c,
            Duration::from_secs(5),
            Duration::from_secs(180),
            "the new pod's DATABASE_URL line",
            |seen| {
                lines(seen)
                    .find(|l| {
                        !before.contains(&*l.stream.pod)
                            && text(l).contains("DATABASE_URL environment variable not set")
                    })
                    .map(|l| l.stream.clone())
            },
        )
        .await;
    assert!(bad.pod.starts_with("checkout-service-"), "{bad:?}");
    let joined_at = t
        .seen
        .iter()
        .position(|e| matches!(e, LogEvent::Joined { stream, .. } if *stream == bad))
        .expect("the new pod joined");
    let first_line = t
        .seen
        .iter()
        .position(|e| matches!(e, LogEvent::Lines(l) if l.iter().any(|l| l.stream == bad)))
        .expect("its lines");
    assert!(joined_at < first_line, "joined before its lines");
    let with_lines: BTreeSet<String> = lines(&t.seen).map(|l| l.stream.pod.to_string()).collect();
    assert!(
        with_lines.is_superset(&before) && with_lines.contains(&*bad.pod),
        "lines from every pod in one session: {with_lines:?}"
    );
    assert!(
        lines(&t.seen).any(|l| before.contains(&*l.stream.pod) && text(l).contains("order placed")),
        "the old pods' own lines"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_container_after_an_oomkill() {
    let c = cluster(config(ScenarioName::OomLoop)).await;
    let pods: Api<Pod> = c.api("production");
    let killed = c
        .advance_until(
            Duration::from_secs(10),
            Duration::from_secs(360),
            || async {
                live_pods(&pods, "notification-service")
                    .await
                    .into_iter()
                    .find(oom_killed)
            },
        )
        .await
        .expect("a notification-service pod was OOMKilled within 6 virtual minutes");
    let name = killed.metadata.name.clone().expect("name");
    let mut t = Tailing::start(&c, pod_target(&name), LogOptions::previous(), 13);
    let reason = t
        .wait_for("the end of the previous log", |seen| {
            seen.iter().find_map(|e| match e {
                LogEvent::Left { reason, .. } => Some(reason.clone()),
                _ => None,
            })
        })
        .await;
    assert_eq!(
        reason,
        format!("end of the previous log of {name}/notification-service")
    );
    assert!(
        matches!(t.seen[0], LogEvent::Joined { previous: true, .. }),
        "{:#?}",
        t.summary()
    );
    let prev: Vec<&RawLine> = lines(&t.seen).collect();
    assert!(!prev.is_empty());
    assert!(
        prev.iter().all(|l| l.previous),
        "every line marked previous"
    );
    assert!(text(prev[0]).contains("starting notification-service"));
    assert!(
        prev.iter().any(|l| text(l).contains("memory usage high")),
        "the killed run saw its memory climb"
    );

    // A container that never restarted has no previous log, and says so.
    let steady = pod_names(&c, "checkout-service").await.remove(0);
    let mut t = Tailing::start(&c, pod_target(&steady), LogOptions::previous(), 14);
    let (error, retrying) = t
        .wait_for("the refusal", |seen| {
            seen.iter().find_map(|e| match e {
                LogEvent::Failed {
                    error, retrying, ..
                } => Some((error.clone(), *retrying)),
                _ => None,
            })
        })
        .await;
    assert_eq!(
        error,
        format!("no previous container: {steady}/checkout-service has not restarted")
    );
    assert!(!retrying);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_container_restarts_and_the_stream_goes_on() {
    let c = cluster(config(ScenarioName::OomLoop)).await;
    let pod = pod_names(&c, "notification-service").await.remove(0);
    let options = LogOptions {
        tail: Some(1),
        ..LogOptions::default()
    };
    let mut t = Tailing::start(&c, pod_target(&pod), options, 15);
    t.wait_for("joined", |seen| (!joined(seen).is_empty()).then_some(()))
        .await;
    let at = t
        .advancing(
            &c,
            Duration::from_secs(5),
            Duration::from_secs(400),
            "the restart",
            |seen| {
                seen.iter()
                    .position(|e| matches!(e, LogEvent::Restarted { .. }))
            },
        )
        .await;
    let LogEvent::Restarted {
        stream,
        reason,
        exit_code,
    } = t.seen[at].clone()
    else {
        unreachable!()
    };
    assert_eq!(&*stream.pod, pod.as_str());
    assert_eq!(reason, "OOMKilled");
    assert_eq!(exit_code, Some(137));
    assert!(
        lines(&t.seen[..at]).any(|l| text(l).contains("memory usage high")),
        "the old container's last lines came first: {:#?}",
        t.summary()
    );
    let first = t
        .advancing(
            &c,
            Duration::from_secs(2),
            Duration::from_secs(60),
            "the new container's first line",
            |seen| lines(&seen[at + 1..]).next().cloned(),
        )
        .await;
    assert!(
        text(&first).contains("starting notification-service"),
        "the new container from its start: {}",
        text(&first)
    );
    assert!(!first.previous);
    assert!(
        !t.seen
            .iter()
            .any(|e| matches!(e, LogEvent::Left { .. } | LogEvent::Failed { .. })),
        "{:#?}",
        t.summary()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_pod_leaves_and_its_replacement_joins() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let before: BTreeSet<String> = pod_names(&c, "checkout-service")
        .await
        .into_iter()
        .collect();
    let mut t = Tailing::start(&c, workload("checkout-service"), LogOptions::default(), 16);
    t.wait_for("every pod joined", |seen| {
        (joined(seen).len() == 3).then_some(())
    })
    .await;
    let victim = before.first().expect("a pod").clone();
    let api: Api<Pod> = c.api("production");
    api.delete(&victim, &DeleteParams::default().grace_period(0))
        .await
        .expect("delete");
    let reason = t
        .advancing(
            &c,
            Duration::from_secs(1),
            Duration::from_secs(30),
            "the deleted pod leaving",
            |seen| {
                seen.iter().find_map(|e| match e {
                    LogEvent::Left { stream, reason } if *stream.pod == *victim => {
                        Some(reason.clone())
                    }
                    _ => None,
                })
            },
        )
        .await;
    assert_eq!(reason, format!("pod {victim} was deleted"));
    let new = t
        .advancing(
            &c,
            Duration::from_secs(1),
            Duration::from_secs(60),
            "the replacement joining",
            |seen| joined(seen).into_iter().find(|s| !before.contains(&*s.pod)),
        )
        .await;
    assert!(new.pod.starts_with("checkout-service-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_are_capped_and_a_freed_slot_goes_to_the_next_pod() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let options = LogOptions {
        max_streams: 2,
        ..LogOptions::default()
    };
    let mut t = Tailing::start(&c, workload("checkout-service"), options, 17);
    let capped = t
        .wait_for("the cap", |seen| {
            seen.iter().find_map(|e| match e {
                LogEvent::Capped { streaming, total } => Some((*streaming, *total)),
                _ => None,
            })
        })
        .await;
    assert_eq!(capped, (2, 3));
    t.wait_for("two streams", |seen| {
        (joined(seen).len() == 2).then_some(())
    })
    .await;
    c.advance(Duration::from_secs(10)).await;
    t.wait_for("lines", |seen| (lines(seen).count() > 0).then_some(()))
        .await;
    let streamed: BTreeSet<String> = joined(&t.seen).iter().map(|s| s.pod.to_string()).collect();
    assert!(
        lines(&t.seen).all(|l| streamed.contains(&*l.stream.pod)),
        "only the streamed pods' lines"
    );
    let all: BTreeSet<String> = pod_names(&c, "checkout-service")
        .await
        .into_iter()
        .collect();
    let waiting = all
        .difference(&streamed)
        .next()
        .expect("one not streamed")
        .clone();

    let victim = streamed.first().expect("streamed").clone();
    let api: Api<Pod> = c.api("production");
    api.delete(&victim, &DeleteParams::default().grace_period(0))
        .await
        .expect("delete");
    t.advancing(
        &c,
        Duration::from_secs(1),
        Duration::from_secs(30),
        "the waiting pod taking the free stream",
        |seen| {
            joined(seen)
                .iter()
                .any(|s| *s.pod == *waiting)
                .then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_megabyte_line_arrives_cut_at_the_limit() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api("default");
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "long-line"},
        "spec": {"containers": [{
            "name": "writer",
            "image": "busybox",
            "env": [{"name": "WARROOM_SIM_LINE_BYTES", "value": "1048576"}],
        }]},
    }))
    .expect("a pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("created");
    let target = LogTarget::Pod {
        namespace: "default".into(),
        pod: "long-line".into(),
        container: Some("writer".into()),
    };
    let mut t = Tailing::start(&c, target, LogOptions::default(), 18);
    let long = t
        .advancing(
            &c,
            Duration::from_secs(1),
            Duration::from_secs(60),
            "the long line",
            |seen| lines(seen).find(|l| l.cut > 0).cloned(),
        )
        .await;
    let limit = LogOptions::default().line_limit;
    assert_eq!(long.bytes.len(), limit);
    assert_eq!(long.cut, 1_048_576 - limit);
    assert!(long.bytes.starts_with(b"long line of 1048576 bytes: xxx"));
    assert!(long.at.is_some(), "the timestamp was split off first");
    let next = t
        .advancing(
            &c,
            Duration::from_secs(2),
            Duration::from_secs(30),
            "the line after it",
            |seen| lines(seen).skip_while(|l| l.cut == 0).nth(1).cloned(),
        )
        .await;
    assert_eq!((text(&next).as_str(), next.cut), ("heartbeat 4", 0));
    // Before the container ran, the stream said why it waited, once.
    let failed: Vec<&LogEvent> = t
        .seen
        .iter()
        .filter(|e| matches!(e, LogEvent::Failed { .. }))
        .collect();
    assert_eq!(
        failed,
        vec![&LogEvent::Failed {
            stream: Some(StreamId {
                namespace: "default".into(),
                pod: "long-line".into(),
                container: "writer".into(),
            }),
            error: "long-line/writer is waiting to start (ContainerCreating); its log follows when it starts".into(),
            retrying: true,
        }]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_log_is_a_403_in_words_and_not_retried() {
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "forbid=pods/log".parse().expect("valid faults");
    let c = cluster(cfg).await;
    let pod = pod_names(&c, "checkout-service").await.remove(0);
    let mut t = Tailing::start(&c, pod_target(&pod), LogOptions::default(), 19);
    let failed = t
        .wait_for("the refusal", |seen| {
            seen.iter()
                .find(|e| matches!(e, LogEvent::Failed { .. }))
                .cloned()
        })
        .await;
    let LogEvent::Failed {
        stream,
        error,
        retrying,
    } = failed
    else {
        unreachable!()
    };
    assert_eq!(stream.map(|s| s.pod.to_string()), Some(pod.clone()));
    assert_eq!(
        error,
        format!(
            "cannot read the log of {pod}/checkout-service: 403 Forbidden: \
             user \"warroom-admin\" cannot get pods/log in namespace production"
        )
    );
    assert!(!retrying);
    assert!(joined(&t.seen).is_empty());

    // Without the pods themselves, the session cannot tell which
    // containers there are; the pod watcher retries and says so once.
    let mut cfg = config(ScenarioName::Calm);
    cfg.faults = "forbid=pods".parse().expect("valid faults");
    let c = cluster(cfg).await;
    let mut t = Tailing::start(&c, workload("checkout-service"), LogOptions::default(), 21);
    let failed = t
        .wait_for("the refusal", |seen| seen.first().cloned())
        .await;
    assert_eq!(
        failed,
        LogEvent::Failed {
            stream: None,
            error: "cannot watch the pods of checkout-service: 403 Forbidden: \
                    user \"warroom-admin\" cannot list pods in namespace production"
                .into(),
            retrying: true,
        }
    );
    let refused = || {
        c.sim
            .requests()
            .iter()
            .filter(|r| r.path == "/api/v1/namespaces/production/pods" && r.status == 403)
            .count()
    };
    let retried = tokio::time::timeout(Duration::from_secs(WAIT), async {
        while refused() < 3 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    assert!(retried.is_ok(), "the pod watcher retries");
    t.drain();
    assert_eq!(t.seen.len(), 1, "once per outage: {:#?}", t.summary());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_session_stops_every_message() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let mut t = Tailing::start(&c, workload("checkout-service"), LogOptions::default(), 20);
    t.wait_for("lines", |seen| (lines(seen).count() > 0).then_some(()))
        .await;
    drop(t.session.take());
    c.advance(Duration::from_secs(20)).await;
    // Every task ended, so every sender is gone: the channel closes once
    // what was already queued has been read.
    let closed = tokio::time::timeout(Duration::from_secs(WAIT), async {
        while let Some(msg) = t.rx.recv().await {
            t.record(msg);
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the channel closes after the session is dropped"
    );
}
