//! Watches, as the API server streams them: newline-delimited JSON events,
//! resumable from a resourceVersion, `410` (as an ERROR event) when that
//! version is gone, bookmarks, `sendInitialEvents`, `timeoutSeconds`, and
//! selector transitions (an object that stops matching is DELETED for this
//! watcher).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::response::Response;
use serde_json::json;
use tokio::sync::{broadcast, mpsc};

use super::events_v1::present;
use super::list::Filter;
use super::request::Req;
use super::response::{error_response, stream_response};
use super::shared::{Shared, lock};
use super::table::{self, IncludeObject};
use crate::sim::store::status::ApiError;
use crate::sim::store::{Change, EventType, Stored};

/// How often a watch that asked for bookmarks gets one (real time).
const BOOKMARK_EVERY: Duration = Duration::from_secs(5);

/// How a watch presents objects.
struct Presenter {
    req: Req,
    table: bool,
    include: IncludeObject,
}

impl Presenter {
    fn line(&self, kind: &str, obj: &Stored, now: jiff::Timestamp) -> Bytes {
        let object = if self.table {
            let shown = present(&self.req, &obj.value());
            match &self.req.target.custom {
                Some(cr) => table::custom::to_table_one(&cr.columns, &shown, self.include, now),
                None => table::to_table_one(self.req.target.rt.plural, &shown, self.include, now),
            }
            .to_string()
        } else if self.req.target.rt.group == "events.k8s.io" || self.req.target.custom.is_some() {
            present(&self.req, &obj.value()).to_string()
        } else {
            obj.json.to_string()
        };
        Bytes::from(format!("{{\"type\":\"{kind}\",\"object\":{object}}}\n"))
    }

    fn bookmark(&self, rv: u64, initial_end: bool) -> Bytes {
        let rt = self.req.target.rt;
        let mut meta = json!({"resourceVersion": rv.to_string()});
        if initial_end {
            meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
        }
        let obj = json!({"kind": rt.kind, "apiVersion": rt.api_version(), "metadata": meta});
        Bytes::from(format!("{}\n", json!({"type": "BOOKMARK", "object": obj})))
    }
}

fn error_line(e: &ApiError) -> Bytes {
    Bytes::from(format!(
        "{}\n",
        json!({"type": "ERROR", "object": e.to_status()})
    ))
}

/// What this watcher sees of a change, after namespace and selector filtering.
fn visible(change: &Change, ns: Option<&str>, filter: &Filter) -> Option<&'static str> {
    if let Some(ns) = ns
        && change.object.namespace != ns
    {
        return None;
    }
    let now = filter.matches(&change.object);
    match change.kind {
        EventType::Added => now.then_some("ADDED"),
        EventType::Deleted => change
            .prev
            .as_ref()
            .map_or(now, |p| filter.matches(p))
            .then_some("DELETED"),
        EventType::Modified => {
            let before = change.prev.as_ref().is_some_and(|p| filter.matches(p));
            match (before, now) {
                (true, true) => Some("MODIFIED"),
                (false, true) => Some("ADDED"),
                (true, false) => Some("DELETED"),
                (false, false) => None,
            }
        }
    }
}

pub fn watch(sim: &Arc<Shared>, req: Req) -> Response {
    let filter = match Filter::from_req(&req) {
        Ok(f) => f,
        Err(e) => return error_response(&e),
    };
    let rv_param = req
        .param("resourceVersion")
        .filter(|s| !s.is_empty())
        .map(String::from);
    let initial_events = req.flag("sendInitialEvents");
    let bookmarks = req.flag("allowWatchBookmarks");
    let timeout = req
        .param("timeoutSeconds")
        .and_then(|t| t.parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::from_secs(1800));
    let storage = req.target.rt.storage;
    let ns = req.target.namespace.clone();
    let presenter = Presenter {
        table: req.wants_table(),
        include: IncludeObject::parse(req.param("includeObject")),
        req,
    };

    // Under one lock: the starting point, the history after it, and the
    // subscription, so that nothing is missed and nothing comes twice.
    let (initial, mut rx, mut last_rv, now, failure) = {
        let w = lock(&sim.world);
        let current = w.store.resource_version();
        let rx = w.store.subscribe();
        let from_scratch = initial_events || matches!(rv_param.as_deref(), None | Some("0"));
        let mut lines = Vec::new();
        let mut failure = None;
        let mut start = current;
        if from_scratch {
            for obj in w.store.list(storage, ns.as_deref(), None).items {
                if filter.matches(&obj) {
                    lines.push(presenter.line("ADDED", &obj, w.now));
                }
            }
            if initial_events {
                lines.push(presenter.bookmark(current, true));
            }
        } else {
            match rv_param.as_deref().map(str::parse::<u64>) {
                Some(Ok(n)) if n > current => {
                    failure = Some(ApiError::too_large_resource_version(n))
                }
                Some(Ok(n)) => match w.store.changes_since(n) {
                    Ok(changes) => {
                        start = n;
                        for c in changes.iter().filter(|c| c.storage == storage) {
                            if let Some(kind) = visible(c, ns.as_deref(), &filter) {
                                lines.push(presenter.line(kind, &c.object, w.now));
                            }
                        }
                        start = start.max(changes.last().map_or(n, |c| c.object.rv));
                    }
                    Err(e) => failure = Some(e),
                },
                _ => failure = Some(ApiError::bad_request("invalid resourceVersion")),
            }
        }
        (lines, rx, start, w.now, failure)
    };
    let _ = now;

    let (tx, body_rx) = mpsc::channel::<Bytes>(256);
    let sim = sim.clone();
    let drop_after = sim.faults.drop_watch;
    tokio::spawn(async move {
        if let Some(e) = failure {
            let _ = tx.send(error_line(&e)).await;
            return;
        }
        for line in initial {
            if tx.send(line).await.is_err() {
                return;
            }
        }
        let deadline = tokio::time::sleep(drop_after.map_or(timeout, |d| d.min(timeout)));
        tokio::pin!(deadline);
        let mut bookmark = tokio::time::interval(BOOKMARK_EVERY);
        bookmark.tick().await;
        loop {
            tokio::select! {
                change = rx.recv() => match change {
                    Ok(c) => {
                        if c.object.rv <= last_rv {
                            continue;
                        }
                        last_rv = c.object.rv;
                        if c.storage != storage {
                            continue;
                        }
                        if let Some(kind) = visible(&c, ns.as_deref(), &filter) {
                            // Only Tables need the clock (for ages): don't take the world lock per event otherwise.
                            let now = if presenter.table { sim.now() } else { jiff::Timestamp::UNIX_EPOCH };
                            if tx.send(presenter.line(kind, &c.object, now)).await.is_err() {
                                return;
                            }
                        }
                    }
                    // Too slow to keep up: end the watch; the client resumes
                    // from the last version it saw (or relists on 410).
                    Err(broadcast::error::RecvError::Lagged(_)) | Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = bookmark.tick(), if bookmarks => {
                    if tx.send(presenter.bookmark(last_rv, false)).await.is_err() {
                        return;
                    }
                }
                _ = &mut deadline => return,
                _ = tx.closed() => return,
            }
        }
    });
    stream_response(body_rx)
}

#[cfg(test)]
mod tests;
