//! `pods/log`: `container`, `follow`, `previous`, `tailLines`, `sinceSeconds`,
//! `sinceTime`, `timestamps`, `limitBytes` — with the errors the kubelet gives
//! for a container that has not started or has no previous instance. Lines
//! come from [`crate::sim::cluster::apps::lines`]; following streams new ones as the
//! virtual clock moves and ends when the container does.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use jiff::Timestamp;
use tokio::sync::mpsc;

use super::request::Req;
use super::response::{error_response, stream_response};
use super::shared::{Shared, lock};
use crate::sim::cluster::apps::{self, Behaviour, Instance};
use crate::sim::cluster::runtime::State;
use crate::sim::store::status::ApiError;

struct Query {
    container: Option<String>,
    follow: bool,
    previous: bool,
    tail: Option<usize>,
    since: Option<Timestamp>,
    timestamps: bool,
    limit_bytes: Option<usize>,
}

fn parse(req: &Req, now: Timestamp) -> Result<Query, ApiError> {
    let num = |key: &str| -> Result<Option<i64>, ApiError> {
        match req.param(key) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::bad_request(format!("{key}: invalid value {v:?}"))),
        }
    };
    let since = match (num("sinceSeconds")?, req.param("sinceTime")) {
        (Some(s), _) if s <= 0 => {
            return Err(ApiError::bad_request(
                "sinceSeconds: Invalid value: must be greater than 0",
            ));
        }
        (Some(s), _) => Some(crate::sim::cluster::time::after(now, -s)),
        (None, Some(t)) if !t.is_empty() => Some(
            t.parse::<Timestamp>()
                .map_err(|_| ApiError::bad_request(format!("sinceTime: invalid value {t:?}")))?,
        ),
        _ => None,
    };
    Ok(Query {
        container: req
            .param("container")
            .filter(|c| !c.is_empty())
            .map(String::from),
        follow: req.flag("follow"),
        previous: req.flag("previous"),
        tail: num("tailLines")?.map(|n| n.max(0) as usize),
        since,
        timestamps: req.flag("timestamps"),
        limit_bytes: num("limitBytes")?.filter(|n| *n > 0).map(|n| n as usize),
    })
}

fn format_line(ts: Timestamp, text: &str, timestamps: bool) -> String {
    if timestamps {
        format!("{} {text}\n", crate::sim::cluster::time::rfc3339_nano(ts))
    } else {
        format!("{text}\n")
    }
}

/// What a log request reads: the behaviour and instance, or why not.
fn locate(
    sim: &Arc<Shared>,
    req: &Req,
    q: &Query,
) -> Result<(Behaviour, Instance, bool), ApiError> {
    let w = lock(&sim.world);
    let ns = req.namespace();
    let name = req.target.name.as_deref().unwrap_or("");
    let pod = w
        .store
        .get_value("pods", ns, name)
        .ok_or_else(|| ApiError::not_found("", "pods", name))?;
    let names: Vec<String> = pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(String::from))
        .collect();
    let container = match &q.container {
        Some(c) if names.contains(c) => c.clone(),
        Some(c) => {
            return Err(ApiError::bad_request(format!(
                "container {c} is not valid for pod {name}"
            )));
        }
        None if names.len() == 1 => names[0].clone(),
        None => {
            return Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {name}, choose one of: [{}]",
                names.join(" ")
            )));
        }
    };
    let rt = w.kubelet.pods.get(&(ns.to_string(), name.to_string()));
    let c = rt.and_then(|rt| rt.containers.iter().find(|c| c.name == container));
    let Some(c) = c else {
        return Err(ApiError::bad_request(format!(
            "container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating"
        )));
    };
    let instance = if q.previous {
        // The instance before the last restart (or the crashed one while backing off).
        match (&c.current, &c.previous) {
            (_, Some(p)) => Some(p.clone()),
            _ => None,
        }
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "previous terminated container \"{container}\" in pod \"{name}\" not found"
            ))
        })?
    } else {
        match (&c.current, &c.previous) {
            (Some(cur), _) => cur.clone(),
            (None, Some(prev)) => prev.clone(),
            (None, None) => {
                let why = match &c.state {
                    State::PullBackOff {
                        announced: true, ..
                    } => "trying and failing to pull image",
                    State::PullBackOff { .. } => "ErrImagePull",
                    State::ConfigError { .. } => "CreateContainerConfigError",
                    _ => "ContainerCreating",
                };
                return Err(ApiError::bad_request(format!(
                    "container \"{container}\" in pod \"{name}\" is waiting to start: {why}"
                )));
            }
        }
    };
    // Follow only while this very instance runs.
    let live = !q.previous && c.current.as_ref() == Some(&instance);
    Ok((c.beh.clone(), instance, live))
}

pub async fn answer(sim: &Arc<Shared>, req: Req) -> Response {
    let now = sim.now();
    let q = match parse(&req, now) {
        Ok(q) => q,
        Err(e) => return error_response(&e),
    };
    let (beh, inst, live) = match locate(sim, &req, &q) {
        Ok(x) => x,
        Err(e) => return error_response(&e),
    };
    let from = q.since.unwrap_or(inst.started);
    let first = apps::lines(&beh, &inst, from, now, q.tail);
    let mut budget = q.limit_bytes.unwrap_or(usize::MAX);
    let mut text = String::new();
    for (ts, line) in &first {
        let l = format_line(*ts, line, q.timestamps);
        if l.len() > budget {
            text.push_str(&l[..floor_char_boundary(&l, budget)]);
            budget = 0;
            break;
        }
        budget -= l.len();
        text.push_str(&l);
    }
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let follow = q.follow && live && budget > 0;
    let sim = sim.clone();
    let key = (
        req.namespace().to_string(),
        req.target.name.clone().unwrap_or_default(),
    );
    let container = q.container.clone();
    tokio::spawn(async move {
        if !text.is_empty() && tx.send(Bytes::from(text)).await.is_err() {
            return;
        }
        if !follow {
            return;
        }
        let mut cursor = now;
        loop {
            tokio::select! {
                _ = sim.ticked.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                _ = tx.closed() => return,
            }
            // The same instance, possibly ended since (then it is the previous one).
            let (now, latest) = {
                let w = lock(&sim.world);
                let latest = w.kubelet.pods.get(&key).and_then(|rt| {
                    rt.containers
                        .iter()
                        .filter(|c| container.as_ref().is_none_or(|n| *n == c.name))
                        .flat_map(|c| [c.current.as_ref(), c.previous.as_ref()])
                        .flatten()
                        .find(|i| i.key == inst.key)
                        .cloned()
                });
                (w.now, latest)
            };
            let Some(latest) = latest else { return };
            let mut out = String::new();
            for (ts, line) in apps::lines(&beh, &latest, cursor, now, None) {
                out.push_str(&format_line(ts, &line, q.timestamps));
            }
            cursor = now;
            if !out.is_empty() && tx.send(Bytes::from(out)).await.is_err() {
                return;
            }
            if latest.ended.is_some() {
                return;
            }
        }
    });
    let mut resp = stream_response(rx);
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    resp
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i.min(s.len())
}
