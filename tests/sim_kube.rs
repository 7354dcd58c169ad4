//! kube-rs against the simulated cluster over HTTP: the API machinery a
//! console depends on — list/watch and resuming, 410 and relisting,
//! pagination, selectors, the request log, and the defaults and node
//! conditions clients read back. Writes and access are in `sim_kube_writes.rs`.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Event, Pod};
use kube::api::{
    Api, DeleteParams, ListParams, Patch, PatchParams, VersionMatch, WatchEvent, WatchParams,
};
use kube::runtime::watcher;
use serde_json::json;
use warroom::sim::ScenarioName;

fn rv_number(rv: &Option<String>) -> u64 {
    rv.as_deref()
        .and_then(|r| r.parse().ok())
        .expect("a numeric resourceVersion")
}

fn label<'a>(pod: &'a Pod, key: &str) -> Option<&'a str> {
    pod.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(key))
        .map(String::as_str)
}

/// Pods named `<app>-…` in a list.
fn of_app<'a>(pods: &'a [Pod], app: &str) -> Vec<&'a Pod> {
    pods.iter()
        .filter(|p| label(p, "app") == Some(app))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_resumes_from_the_list_version_and_from_a_later_one() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api("production");
    let list = pods.list(&ListParams::default()).await.expect("pods list");
    let listed_rv = list
        .metadata
        .resource_version
        .clone()
        .expect("list has a resourceVersion");
    let checkout = of_app(&list.items, "checkout-service");
    assert!(
        checkout.len() >= 2,
        "production runs several checkout pods, got {:?}",
        names(&list.items)
    );
    let first = checkout[0].metadata.name.clone().expect("name");
    let second = checkout[1].metadata.name.clone().expect("name");

    // Watch from the list's version: the next change, and only it, arrives.
    let wp = WatchParams::default().timeout(60);
    let mut stream = pods
        .watch(&wp, &listed_rv)
        .await
        .expect("watch starts")
        .boxed();
    let label_patch = Patch::Merge(json!({"metadata": {"labels": {"triage": "investigating"}}}));
    pods.patch(&first, &PatchParams::default(), &label_patch)
        .await
        .expect("label patch");
    let event = next_within(&mut stream, 10, "the label change")
        .await
        .expect("stream open")
        .expect("event decodes");
    let labelled = match event {
        WatchEvent::Modified(p) => p,
        other => panic!("expected MODIFIED for {first}, got {other:?}"),
    };
    assert_eq!(labelled.metadata.name.as_deref(), Some(first.as_str()));
    assert_eq!(label(&labelled, "triage"), Some("investigating"));
    let seen_rv = labelled.metadata.resource_version.clone();
    assert!(
        rv_number(&seen_rv) > rv_number(&Some(listed_rv.clone())),
        "the change has a newer version than the list"
    );
    drop(stream);

    // While nobody watches, a pod is deleted. Resuming from the last version
    // seen delivers that deletion first, not the label change again.
    pods.delete(&second, &DeleteParams::default())
        .await
        .expect("delete");
    let mut resumed = pods
        .watch(&wp, seen_rv.as_deref().expect("rv"))
        .await
        .expect("watch resumes")
        .boxed();
    let event = next_within(&mut resumed, 10, "the missed deletion")
        .await
        .expect("stream open")
        .expect("event decodes");
    match event {
        WatchEvent::Modified(p) => {
            assert_eq!(
                p.metadata.name.as_deref(),
                Some(second.as_str()),
                "the first resumed event is the missed change"
            );
            assert!(
                p.metadata.deletion_timestamp.is_some(),
                "a graceful delete marks the pod Terminating first"
            );
        }
        other => panic!("expected MODIFIED (Terminating) for {second}, got {other:?}"),
    }

    // As the clock moves the kubelet finishes the pod and its ReplicaSet replaces it.
    c.advance(Duration::from_secs(15)).await;
    let old: BTreeSet<String> = names(&list.items).into_iter().collect();
    let (mut deleted, mut replacement) = (false, None);
    for _ in 0..200 {
        if deleted && replacement.is_some() {
            break;
        }
        match next_within(&mut resumed, 10, "the deletion and the replacement pod").await {
            Some(Ok(WatchEvent::Deleted(p)))
                if p.metadata.name.as_deref() == Some(second.as_str()) =>
            {
                deleted = true
            }
            Some(Ok(WatchEvent::Added(p))) if label(&p, "app") == Some("checkout-service") => {
                let name = p.metadata.name.clone().unwrap_or_default();
                assert!(!old.contains(&name), "an ADDED pod is new: {name}");
                replacement = Some(name);
            }
            Some(Ok(_)) => {}
            other => panic!("watch ended early: {other:?}"),
        }
    }
    assert!(deleted, "DELETED for {second} arrived");
    assert!(
        replacement.is_some(),
        "the ReplicaSet's replacement pod arrived as ADDED"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_versions_answer_410_and_the_watcher_relists() {
    let mut cfg = config(ScenarioName::Calm);
    // Every watch connection is closed after a moment, so the watcher must resume.
    cfg.faults.drop_watch = Some(Duration::from_millis(700));
    let c = cluster(cfg).await;
    let pods: Api<Pod> = c.api("production");
    let config_maps: Api<ConfigMap> = c.api("production");
    let touch = |value: &'static str| {
        let cms = config_maps.clone();
        async move {
            let p = Patch::Merge(json!({"data": {"currency": value}}));
            cms.patch("shop-config", &PatchParams::default(), &p)
                .await
                .expect("configmap patch");
        }
    };

    let old_rv = pods
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("rv");
    touch("USD").await;
    c.sim.expire_resource_versions();

    // A raw watch from the forgotten version is told 410 Gone.
    let mut stream = pods
        .watch(&WatchParams::default(), &old_rv)
        .await
        .expect("watch request accepted")
        .boxed();
    match next_within(&mut stream, 10, "the 410")
        .await
        .expect("an event")
    {
        Ok(WatchEvent::Error(status)) => {
            assert_eq!(status.code, 410, "{status:?}");
            assert_eq!(status.reason, "Expired", "{status:?}");
        }
        Err(kube::Error::Api(status)) => assert_eq!(status.code, 410, "{status:?}"),
        other => panic!("expected 410 Gone, got {other:?}"),
    }
    // So is an exact list at that version.
    let exact = ListParams::default()
        .at(&old_rv)
        .matching(VersionMatch::Exact);
    assert_eq!(api_error(pods.list(&exact).await).0, 410);

    // The kube-runtime watcher notices, relists, and carries on.
    let mut events = watcher(pods.clone(), watcher::Config::default()).boxed();
    let mut initial = 0;
    loop {
        match next_within(&mut events, 15, "the first InitDone")
            .await
            .expect("watcher open")
        {
            Ok(watcher::Event::InitApply(_)) => initial += 1,
            Ok(watcher::Event::InitDone) => break,
            Ok(_) => {}
            Err(e) => panic!("watcher failed before its first sync: {e}"),
        }
    }
    assert!(
        initial >= 5,
        "the initial list brought the production pods, got {initial}"
    );
    c.sim.clear_requests();
    touch("GBP").await;
    c.sim.expire_resource_versions();

    let (mut gone, mut relisted) = (false, false);
    for _ in 0..500 {
        match next_within(&mut events, 15, "a 410 and a relist")
            .await
            .expect("watcher open")
        {
            Err(watcher::Error::WatchError(status)) if status.code == 410 => gone = true,
            Err(e) => panic!("unexpected watcher error: {e}"),
            Ok(watcher::Event::InitDone) if gone => {
                relisted = true;
                break;
            }
            Ok(_) => {}
        }
    }
    assert!(gone, "the resumed watch was told 410");
    assert!(relisted, "the watcher listed again after the 410");
    let lists = c
        .sim
        .requests()
        .iter()
        .filter(|r| r.verb == "list" && r.path.ends_with("/pods"))
        .count();
    assert!(
        lists >= 1,
        "the relist is a real list request: {:?}",
        c.sim.requests()
    );

    // Events keep flowing after the relist.
    let pod = pods
        .list(&ListParams::default().labels("app=redis"))
        .await
        .expect("list")
        .items[0]
        .metadata
        .name
        .clone()
        .expect("name");
    let p = Patch::Merge(json!({"metadata": {"labels": {"after-relist": "yes"}}}));
    pods.patch(&pod, &PatchParams::default(), &p)
        .await
        .expect("label patch");
    let mut delivered = false;
    for _ in 0..500 {
        match next_within(&mut events, 15, "the change after the relist")
            .await
            .expect("watcher open")
        {
            Ok(watcher::Event::Apply(p) | watcher::Event::InitApply(p))
                if label(&p, "after-relist") == Some("yes") =>
            {
                delivered = true;
                break;
            }
            _ => {}
        }
    }
    assert!(
        delivered,
        "a change made after the relist reached the watcher"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_of_three_add_up_to_the_whole_list() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = Api::all(c.client.clone());
    let all = pods.list(&ListParams::default()).await.expect("plain list");
    let total = all.items.len();
    assert!(
        total > 6,
        "the shop has more than two pages of pods, got {total}"
    );

    let mut paged = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    let mut first_rv = None;
    loop {
        let mut lp = ListParams::default().limit(3);
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        let page = pods.list(&lp).await.expect("page");
        pages += 1;
        assert!(
            page.items.len() <= 3,
            "page {pages} has {} items",
            page.items.len()
        );
        if pages == 1 {
            assert_eq!(
                page.metadata.remaining_item_count,
                Some(total as i64 - 3),
                "remainingItemCount on the first page"
            );
            first_rv = page.metadata.resource_version.clone();
        } else {
            assert_eq!(
                page.metadata.resource_version, first_rv,
                "every page reports the first page's version"
            );
        }
        paged.extend(names(&page.items));
        token = page.metadata.continue_.clone().filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
        assert!(pages < 100, "pagination ends");
    }
    assert_eq!(pages, total.div_ceil(3));
    assert_eq!(
        paged,
        names(&all.items),
        "the pages, in order, are the plain list"
    );

    // With a selector the server cannot count what remains: no remainingItemCount.
    let page = pods
        .list(&ListParams::default().limit(1).labels("team=shop"))
        .await
        .expect("page");
    assert!(page.metadata.continue_.is_some(), "more than one shop pod");
    assert_eq!(page.metadata.remaining_item_count, None);

    // A mangled continue token is a 400, not a silent restart.
    assert_eq!(
        api_error(
            pods.list(
                &ListParams::default()
                    .limit(3)
                    .continue_token("zz-not-a-token")
            )
            .await
        )
        .0,
        400
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn label_and_field_selectors_filter_on_the_server() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = Api::all(c.client.clone());
    let all = pods.list(&ListParams::default()).await.expect("list").items;

    // Each selector must return exactly what filtering the full list would.
    let check = |selected: Vec<Pod>, want: &dyn Fn(&Pod) -> bool, what: &str| {
        let expected: Vec<String> =
            names(&all.iter().filter(|p| want(p)).cloned().collect::<Vec<_>>());
        assert!(!expected.is_empty(), "{what}: the shop has such pods");
        assert_eq!(names(&selected), expected, "{what}");
    };
    let by = |lp: ListParams| {
        let pods = pods.clone();
        async move { pods.list(&lp).await }
    };
    let by_labels = |s: &str| by(ListParams::default().labels(s));
    let by_fields = |s: &str| by(ListParams::default().fields(s));

    let checkout = by_labels("app=checkout-service").await.expect("list").items;
    check(
        checkout.clone(),
        &|p| label(p, "app") == Some("checkout-service"),
        "app=checkout-service",
    );
    let prod = checkout
        .iter()
        .filter(|p| p.metadata.namespace.as_deref() == Some("production"))
        .count();
    assert_eq!(prod, 3, "production runs 3 checkout pods");

    let set = by_labels("app in (redis,worker)")
        .await
        .expect("list")
        .items;
    check(
        set.clone(),
        &|p| matches!(label(p, "app"), Some("redis" | "worker")),
        "app in (redis,worker)",
    );
    let apps: BTreeSet<&str> = set.iter().filter_map(|p| label(p, "app")).collect();
    assert_eq!(apps, BTreeSet::from(["redis", "worker"]));

    let without = by_labels("!team").await.expect("list").items;
    check(without.clone(), &|p| label(p, "team").is_none(), "!team");
    let with = by_labels("team").await.expect("list").items;
    check(
        with.clone(),
        &|p| label(p, "team").is_some(),
        "team (exists)",
    );
    assert_eq!(
        without.len() + with.len(),
        all.len(),
        "!team and team split the pods"
    );

    let running = by_fields("status.phase=Running").await.expect("list").items;
    check(
        running,
        &|p| pod_phase(p) == "Running",
        "status.phase=Running",
    );
    let node1 = by_fields("spec.nodeName=node-1").await.expect("list").items;
    check(
        node1,
        &|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("node-1"),
        "spec.nodeName=node-1",
    );
    let staging = by_fields("metadata.namespace=staging")
        .await
        .expect("list")
        .items;
    check(
        staging,
        &|p| p.metadata.namespace.as_deref() == Some("staging"),
        "metadata.namespace=staging",
    );
    let both = pods
        .list(
            &ListParams::default()
                .labels("app=api-server")
                .fields("metadata.namespace=production"),
        )
        .await
        .expect("list")
        .items;
    check(
        both,
        &|p| {
            label(p, "app") == Some("api-server")
                && p.metadata.namespace.as_deref() == Some("production")
        },
        "labels and fields together",
    );

    let events: Api<Event> = Api::all(c.client.clone());
    let all_events = events
        .list(&ListParams::default())
        .await
        .expect("events")
        .items;
    let pod_events = events
        .list(&ListParams::default().fields("involvedObject.kind=Pod"))
        .await
        .expect("events")
        .items;
    assert!(
        !pod_events.is_empty(),
        "pods have events (Scheduled, Pulled, Started…)"
    );
    assert!(
        pod_events
            .iter()
            .all(|e| e.involved_object.kind.as_deref() == Some("Pod"))
    );
    let expected = all_events
        .iter()
        .filter(|e| e.involved_object.kind.as_deref() == Some("Pod"))
        .count();
    assert_eq!(
        pod_events.len(),
        expected,
        "involvedObject.kind=Pod selects exactly the pod events"
    );
    assert!(
        pod_events.len() < all_events.len(),
        "other kinds (Deployments, ReplicaSets) have events too"
    );

    let (code, _, message) = api_error(by_fields("spec.containers.image=redis").await);
    assert_eq!(code, 400);
    assert!(message.contains("field label not supported"), "{message}");
    assert_eq!(
        api_error(by_labels("app in (redis").await).0,
        400,
        "a malformed label selector is a 400"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streaming_list_watcher_gets_initial_events_then_changes() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let pods: Api<Pod> = c.api("production");
    let expected = names(&pods.list(&ListParams::default()).await.expect("list").items);
    // sendInitialEvents=true: the objects arrive as ADDED events, then a
    // bookmark marked k8s.io/initial-events-end.
    let cfg = watcher::Config::default().streaming_lists();
    let mut events = watcher(pods.clone(), cfg).boxed();
    let mut initial = Vec::new();
    loop {
        match next_within(&mut events, 15, "the initial events")
            .await
            .expect("watcher open")
        {
            Ok(watcher::Event::Init) => {}
            Ok(watcher::Event::InitApply(p)) => initial.push(p.metadata.name.unwrap_or_default()),
            Ok(watcher::Event::InitDone) => break,
            other => panic!("unexpected before InitDone: {other:?}"),
        }
    }
    initial.sort();
    assert_eq!(
        initial, expected,
        "the initial events are the pods a list returns"
    );
    let watch = c
        .sim
        .requests()
        .into_iter()
        .find(|r| r.verb == "watch")
        .expect("a watch request");
    assert!(
        watch.query.contains("sendInitialEvents=true"),
        "{}",
        watch.query
    );

    let p = Patch::Merge(json!({"metadata": {"labels": {"streamed": "yes"}}}));
    pods.patch(&expected[0], &PatchParams::default(), &p)
        .await
        .expect("label patch");
    match next_within(&mut events, 15, "the change")
        .await
        .expect("watcher open")
    {
        Ok(watcher::Event::Apply(p)) => assert_eq!(label(&p, "streamed"), Some("yes")),
        other => panic!("expected the labelled pod, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_log_names_list_and_watch() {
    let c = cluster(config(ScenarioName::Calm)).await;
    c.sim.clear_requests();
    let pods: Api<Pod> = c.api("production");
    let rv = pods
        .list(&ListParams::default().labels("app=redis"))
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("rv");
    let stream = pods
        .watch(&WatchParams::default().labels("app=redis").timeout(5), &rv)
        .await
        .expect("watch");
    let requests = c.sim.requests();
    let list = requests
        .iter()
        .find(|r| r.verb == "list")
        .expect("the list is logged");
    assert_eq!(
        (list.method.as_str(), list.path.as_str(), list.status),
        ("GET", "/api/v1/namespaces/production/pods", 200)
    );
    let watch = requests
        .iter()
        .find(|r| r.verb == "watch")
        .unwrap_or_else(|| panic!("the watch is logged: {requests:?}"));
    assert_eq!(
        (watch.method.as_str(), watch.path.as_str(), watch.status),
        ("GET", "/api/v1/namespaces/production/pods", 200)
    );
    assert!(watch.query.contains("watch=true"), "{}", watch.query);
    assert!(
        watch.query.contains(&format!("resourceVersion={rv}")),
        "{}",
        watch.query
    );
    assert!(
        watch.query.contains("labelSelector=app%3Dredis"),
        "{}",
        watch.query
    );
    // A timed-out watch ends cleanly, without object events.
    let events: Vec<_> =
        tokio::time::timeout(Duration::from_secs(20), stream.try_collect::<Vec<_>>())
            .await
            .expect("the watch ends at its timeoutSeconds")
            .expect("no stream error");
    for event in &events {
        match event {
            WatchEvent::Bookmark(b) => {
                let at: u64 = b.metadata.resource_version.parse().expect("numeric");
                assert!(
                    at >= rv.parse::<u64>().expect("numeric"),
                    "a bookmark never goes back in time"
                );
            }
            other => panic!("nothing changed, so only bookmarks may come: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pod_templates_get_the_api_servers_defaults() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let deployments: Api<Deployment> = c.api("production");
    let pods: Api<Pod> = c.api("production");
    let d = json(&deployments.get("checkout-service").await.expect("get"));
    let pod = json(&live_pods(&pods, "checkout-service").await[0]);
    for (what, container) in [
        (
            "deployment template",
            &d["spec"]["template"]["spec"]["containers"][0],
        ),
        ("pod", &pod["spec"]["containers"][0]),
    ] {
        // SetDefaults_ContainerPort and SetDefaults_HTTPGetAction: kubectl describe
        // prints `Port: 8080/TCP` and `http-get http://:8080/ready` from these.
        assert_eq!(
            container["ports"][0]["protocol"], "TCP",
            "{what}: ports[].protocol defaults to TCP: {}",
            container["ports"]
        );
        for probe in ["readinessProbe", "livenessProbe"] {
            assert_eq!(
                container[probe]["httpGet"]["scheme"], "HTTP",
                "{what}: {probe}.httpGet.scheme defaults to HTTP"
            );
            assert_eq!(
                container[probe]["timeoutSeconds"], 1,
                "{what}: {probe}.timeoutSeconds defaults to 1"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_conditions_carry_heartbeat_and_transition_times() {
    let c = cluster(config(ScenarioName::Calm)).await;
    c.advance(Duration::from_secs(60)).await;
    let now = c.sim.now();
    let nodes: Api<k8s_openapi::api::core::v1::Node> = Api::all(c.client.clone());
    for node in nodes
        .list(&ListParams::default())
        .await
        .expect("nodes")
        .items
    {
        let name = node.metadata.name.clone().unwrap_or_default();
        let conditions = node.status.and_then(|s| s.conditions).unwrap_or_default();
        assert_eq!(
            conditions.len(),
            4,
            "{name}: MemoryPressure, DiskPressure, PIDPressure, Ready"
        );
        for cond in conditions {
            // `kubectl describe node` prints these; without them it shows "Mon, 01 Jan 0001".
            let heartbeat = cond
                .last_heartbeat_time
                .unwrap_or_else(|| panic!("{name} {}: lastHeartbeatTime", cond.type_));
            let transition = cond
                .last_transition_time
                .unwrap_or_else(|| panic!("{name} {}: lastTransitionTime", cond.type_));
            assert!(
                transition.0 <= heartbeat.0,
                "{name} {}: transition before heartbeat",
                cond.type_
            );
            // The kubelet reports status at least every 5 minutes (nodeStatusReportFrequency).
            assert!(
                now.duration_since(heartbeat.0) <= jiff::SignedDuration::from_secs(300),
                "{name} {}: recent heartbeat",
                cond.type_
            );
        }
    }
}
