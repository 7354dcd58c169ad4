//! HorizontalPodAutoscalers, Jobs and CronJobs in the sim, through kube-rs
//! over HTTP and on the virtual clock: the HPA scales on the sim's own pod
//! metrics with the real controller's conditions and events, Jobs retry with
//! back-off until their limit, CronJobs start Jobs on schedule and keep
//! their history, and the `hpa-maxed` and `job-fail` scenarios tell the
//! same story for the same seed.

mod common;

use std::time::Duration;

use common::*;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, LogParams, Patch, PatchParams, PostParams};
use serde_json::{Value, json};
use warroom::sim::{ScenarioName, Sim};

fn condition<'a>(hpa: &'a Value, ty: &str) -> Option<&'a Value> {
    hpa["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == ty)
}

fn cond_of(obj: &Value, ty: &str) -> (String, String, String) {
    let c = condition(obj, ty).cloned().unwrap_or_default();
    let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
    (s("status"), s("reason"), s("message"))
}

fn events_of(sim: &Sim, name: &str, reason: &str) -> Vec<String> {
    sim.objects("events", None)
        .into_iter()
        .filter(|e| e["involvedObject"]["name"] == name && e["reason"] == reason)
        .map(|e| e["message"].as_str().unwrap_or("").to_string())
        .collect()
}

fn one(sim: &Sim, storage: &str, ns: &str, name: &str) -> Value {
    sim.objects(storage, Some(ns))
        .into_iter()
        .find(|o| o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("{storage} {ns}/{name} exists"))
}

fn replicas(sim: &Sim, ns: &str, deploy: &str) -> i64 {
    one(sim, "deployments", ns, deploy)["spec"]["replicas"]
        .as_i64()
        .unwrap_or(0)
}

#[test]
fn the_calm_shops_hpas_hold_steady() {
    let sim = Sim::new(config(ScenarioName::Calm));
    sim.advance(Duration::from_secs(120));
    let sim = &sim;
    for (name, max) in [("api-server", 6), ("checkout-service", 10)] {
        let hpa = one(sim, "horizontalpodautoscalers", "production", name);
        assert_eq!(hpa["spec"]["minReplicas"], 3);
        assert_eq!(hpa["spec"]["maxReplicas"], max);
        assert_eq!(hpa["status"]["currentReplicas"], 3, "{hpa}");
        assert_eq!(hpa["status"]["desiredReplicas"], 3);
        let (status, reason, _) = cond_of(&hpa, "ScalingActive");
        assert_eq!(
            (status.as_str(), reason.as_str()),
            ("True", "ValidMetricFound")
        );
        let util = hpa["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"]
            .as_i64()
            .expect("a CPU utilization");
        assert!((20..70).contains(&util), "calm CPU under target: {util}");
        assert_eq!(replicas(sim, "production", name), 3);
        assert!(events_of(sim, name, "SuccessfulRescale").is_empty());
    }
}

async fn hpa_maxed_story(sim: &Sim) -> Vec<String> {
    let mut story = Vec::new();
    for _ in 0..12 {
        advance(sim, Duration::from_secs(15)).await;
        let hpa = one(sim, "horizontalpodautoscalers", "production", "api-server");
        story.push(format!(
            "{} {} {}",
            hpa["status"]["currentReplicas"],
            hpa["status"]["desiredReplicas"],
            hpa["status"]["currentMetrics"]
        ));
    }
    story
}

async fn pod_logs(c: &Cluster, ns: &str, pod: &str) -> String {
    let pods: kube::Api<Pod> = c.api(ns);
    pods.logs(pod, &LogParams::default())
        .await
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hpa_maxed_climbs_to_its_maximum_and_stays() {
    let c = cluster(config(ScenarioName::HpaMaxed)).await;
    let sim = &c.sim;
    let story = hpa_maxed_story(sim).await;
    let hpa = one(sim, "horizontalpodautoscalers", "production", "api-server");
    assert_eq!(hpa["status"]["currentReplicas"], 6, "{hpa}");
    assert_eq!(hpa["status"]["desiredReplicas"], 6);
    assert_eq!(replicas(sim, "production", "api-server"), 6);
    assert_eq!(
        cond_of(&hpa, "ScalingLimited"),
        (
            "True".into(),
            "TooManyReplicas".into(),
            "the desired replica count is more than the maximum replica count".into()
        )
    );
    let util = hpa["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"]
        .as_i64()
        .unwrap_or(0);
    assert!(util > 70, "still above target at max: {util}");
    assert!(hpa["status"]["lastScaleTime"].is_string());
    let rescales = events_of(sim, "api-server", "SuccessfulRescale");
    assert_eq!(
        rescales,
        vec!["New size: 6; reason: cpu resource utilization (percentage of request) above target"]
    );
    // The pods' logs tell of the overload.
    let pod = sim
        .objects("pods", Some("production"))
        .into_iter()
        .find(|p| {
            p["metadata"]["labels"]["app"] == "api-server" && p["status"]["phase"] == "Running"
        })
        .expect("a running api-server pod");
    let name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let logs = pod_logs(&c, "production", &name).await;
    assert!(logs.contains("\"status\":503"), "5xx in the logs:\n{logs}");
    assert!(
        logs.contains("slow request"),
        "latency in the logs:\n{logs}"
    );
    // Same seed, same story.
    let again = hpa_maxed_story(&build(config(ScenarioName::HpaMaxed)).await).await;
    assert_eq!(story, again);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_fail_retries_with_back_off_then_gives_up() {
    let c = cluster(config(ScenarioName::JobFail)).await;
    c.advance(Duration::from_secs(240)).await;
    let sim = &c.sim;
    let job = one(sim, "jobs", "production", "db-migrate");
    assert_eq!(job["status"]["failed"], 4, "{job}");
    assert_eq!(
        cond_of(&job, "Failed"),
        (
            "True".into(),
            "BackoffLimitExceeded".into(),
            "Job has reached the specified backoff limit".into()
        )
    );
    assert_eq!(cond_of(&job, "FailureTarget").1, "BackoffLimitExceeded");
    assert!(job["status"].get("active").is_none());
    let pods: Vec<Value> = sim
        .objects("pods", Some("production"))
        .into_iter()
        .filter(|p| p["metadata"]["labels"]["job-name"] == "db-migrate")
        .collect();
    assert_eq!(pods.len(), 4);
    for p in &pods {
        assert_eq!(p["status"]["phase"], "Failed");
        let labels = &p["metadata"]["labels"];
        assert_eq!(labels["batch.kubernetes.io/job-name"], "db-migrate");
        assert_eq!(labels["controller-uid"], job["metadata"]["uid"]);
        assert_eq!(
            p["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"],
            1
        );
    }
    // The back-off doubles: 10 s, 20 s, 40 s between a failure and the next pod.
    let mut starts: Vec<String> = pods
        .iter()
        .map(|p| {
            p["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    starts.sort();
    let secs: Vec<i64> = starts
        .iter()
        .map(|s| {
            s.parse::<jiff::Timestamp>()
                .map(|t| t.as_second())
                .unwrap_or(0)
        })
        .collect();
    assert!(
        secs[1] - secs[0] >= 15 && secs[2] - secs[1] > secs[1] - secs[0],
        "{secs:?}"
    );
    assert_eq!(events_of(sim, "db-migrate", "SuccessfulCreate").len(), 4);
    assert_eq!(
        events_of(sim, "db-migrate", "BackoffLimitExceeded"),
        vec!["Job has reached the specified backoff limit"]
    );
    let name = pods[0]["metadata"]["name"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let logs = pod_logs(&c, "production", &name).await;
    assert!(
        logs.contains("column \"region\" of relation \"orders\" does not exist"),
        "{logs}"
    );
    let again = build(config(ScenarioName::JobFail)).await;
    advance(&again, Duration::from_secs(240)).await;
    assert_eq!(
        one(&again, "jobs", "production", "db-migrate")["status"],
        job["status"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hpa_made_by_a_client_scales_up_then_stabilises_down() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let hpas: kube::Api<HorizontalPodAutoscaler> = c.api("staging");
    // staging's api-server: one pod at ~45 % of its 100m request.
    let hpa: HorizontalPodAutoscaler = serde_json::from_value(json!({
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "api-server"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api-server"},
            "minReplicas": 1, "maxReplicas": 5,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 15}}}],
        },
    }))
    .expect("hpa");
    hpas.create(&PostParams::default(), &hpa)
        .await
        .expect("created");
    let deploys: kube::Api<Deployment> = c.api("staging");
    let scaled = c
        .advance_until(Duration::from_secs(5), Duration::from_secs(60), || async {
            let d = deploys.get("api-server").await.ok()?;
            d.spec.and_then(|s| s.replicas).filter(|r| *r > 1)
        })
        .await
        .expect("the HPA scales api-server up");
    assert!(
        (2..=4).contains(&scaled),
        "45 % over 15 % → ~3 pods: {scaled}"
    );
    let got = json(&hpas.get("api-server").await.expect("get"));
    assert_eq!(cond_of(&got, "AbleToScale").0, "True");
    assert!(got["status"]["lastScaleTime"].is_string(), "{got}");
    assert!(
        events_of(&c.sim, "api-server", "SuccessfulRescale")
            .iter()
            .any(|m| m.starts_with(&format!(
                "New size: {scaled}; reason: cpu resource utilization"
            )))
    );
    // A relaxed target asks for fewer pods; the 5-minute window holds them.
    let patch = json!({"spec": {"metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 300}}}]}});
    hpas.patch("api-server", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patched");
    c.advance(Duration::from_secs(60)).await;
    let got = json(&hpas.get("api-server").await.expect("get"));
    assert_eq!(
        cond_of(&got, "AbleToScale").1,
        "ScaleDownStabilized",
        "{got}"
    );
    let held = deploys
        .get("api-server")
        .await
        .expect("get")
        .spec
        .and_then(|s| s.replicas);
    assert_eq!(held, Some(scaled));
    c.advance(Duration::from_secs(300)).await;
    let after = deploys
        .get("api-server")
        .await
        .expect("get")
        .spec
        .and_then(|s| s.replicas);
    assert_eq!(after, Some(1), "scaled down once the window passed");
    let got = json(&hpas.get("api-server").await.expect("get"));
    assert_eq!(
        got["status"]["observedGeneration"],
        got["metadata"]["generation"]
    );
    assert!(
        events_of(&c.sim, "api-server", "SuccessfulRescale")
            .iter()
            .any(|m| m == "New size: 1; reason: All metrics below target")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hpa_without_metrics_or_target_says_why() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let hpas: kube::Api<HorizontalPodAutoscaler> = c.api("production");
    for (name, target) in [("ghost", "ghost"), ("worker", "worker")] {
        let hpa: HorizontalPodAutoscaler = serde_json::from_value(json!({
            "metadata": {"name": name},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
                "maxReplicas": 4,
                "metrics": [{"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "64Mi"}}}],
            },
        }))
        .expect("hpa");
        hpas.create(&PostParams::default(), &hpa)
            .await
            .expect("created");
    }
    // A Deployment whose image does not pull: its pod never runs, so
    // metrics-server has nothing for it.
    let deploys: kube::Api<Deployment> = c.api("production");
    let dep: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "stuck"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "stuck"}},
            "template": {"metadata": {"labels": {"app": "stuck"}}, "spec": {"containers": [{
                "name": "stuck", "image": "registry.local/shop/stuck:does-not-exist",
                "resources": {"requests": {"cpu": "100m"}},
            }]}},
        },
    }))
    .expect("deployment");
    deploys
        .create(&PostParams::default(), &dep)
        .await
        .expect("created");
    let hpa: HorizontalPodAutoscaler = serde_json::from_value(json!({
        "metadata": {"name": "stuck"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "stuck"}, "maxReplicas": 3},
    }))
    .expect("hpa");
    hpas.create(&PostParams::default(), &hpa)
        .await
        .expect("created");
    c.advance(Duration::from_secs(16)).await;
    let stuck = json(&hpas.get("stuck").await.expect("get"));
    assert_eq!(
        stuck["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 80,
        "the default metric"
    );
    assert_eq!(
        cond_of(&stuck, "ScalingActive"),
        (
            "False".into(),
            "FailedGetResourceMetric".into(),
            "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API".into()
        )
    );
    assert!(!events_of(&c.sim, "stuck", "FailedGetResourceMetric").is_empty());
    assert!(
        events_of(&c.sim, "stuck", "FailedComputeMetricsReplicas")
            .iter()
            .any(|m| m.starts_with("invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value:"))
    );
    let ghost = json(&hpas.get("ghost").await.expect("get"));
    assert_eq!(
        cond_of(&ghost, "AbleToScale"),
        (
            "False".into(),
            "FailedGetScale".into(),
            "the HPA controller was unable to get the target's current scale: deployments.apps \"ghost\" not found".into()
        )
    );
    // worker (2 pods, ~260Mi each) against 64Mi: up, by at most 2× (to 4 = max).
    let worker = json(&hpas.get("worker").await.expect("get"));
    assert_eq!(worker["spec"]["minReplicas"], 1, "defaulted");
    assert_eq!(worker["status"]["desiredReplicas"], 4, "{worker}");
    let avg = worker["status"]["currentMetrics"][0]["resource"]["current"]["averageValue"]
        .as_str()
        .unwrap_or("");
    assert!(!avg.is_empty() && !avg.ends_with('%'), "{avg}");
}

fn job_manifest(name: &str, exit: &str, backoff: i64, completions: i64) -> Job {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "spec": {
            "backoffLimit": backoff, "completions": completions,
            "template": {"spec": {"restartPolicy": "Never", "containers": [{
                "name": "work", "image": "busybox:1.36",
                "env": [{"name": "WARROOM_SIM_EXIT_AFTER", "value": exit}],
            }]}},
        },
    }))
    .expect("job")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_complete_or_fail_on_the_virtual_clock() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let jobs: kube::Api<Job> = c.api("staging");
    jobs.create(&PostParams::default(), &job_manifest("ok", "5:0", 6, 2))
        .await
        .expect("created");
    jobs.create(&PostParams::default(), &job_manifest("bad", "2:3", 1, 1))
        .await
        .expect("created");
    let created = jobs.get("ok").await.expect("get");
    let selector = created
        .spec
        .as_ref()
        .and_then(|s| s.selector.clone())
        .expect("generated selector");
    let uid = created.metadata.uid.clone().unwrap_or_default();
    assert_eq!(
        selector
            .match_labels
            .unwrap_or_default()
            .get("batch.kubernetes.io/controller-uid"),
        Some(&uid)
    );
    c.advance(Duration::from_secs(120)).await;
    let ok = json(&jobs.get("ok").await.expect("get"));
    assert_eq!(ok["status"]["succeeded"], 2, "{ok}");
    assert_eq!(cond_of(&ok, "Complete").1, "CompletionsReached");
    assert_eq!(cond_of(&ok, "SuccessCriteriaMet").0, "True");
    assert!(ok["status"]["completionTime"].is_string());
    let bad = json(&jobs.get("bad").await.expect("get"));
    assert_eq!(bad["status"]["failed"], 2, "{bad}");
    assert_eq!(cond_of(&bad, "Failed").1, "BackoffLimitExceeded");
    let pods: kube::Api<Pod> = c.api("staging");
    let ok_pods = pods
        .list(&ListParams::default().labels("job-name=ok"))
        .await
        .expect("list");
    assert_eq!(ok_pods.items.len(), 2);
    for p in &ok_pods.items {
        assert_eq!(pod_phase(p), "Succeeded");
        let term = p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|cs| cs[0].state.clone())
            .and_then(|s| s.terminated);
        assert_eq!(
            term.map(|t| t.reason.unwrap_or_default()),
            Some("Completed".into())
        );
        let name = p.metadata.name.clone().unwrap_or_default();
        let logs = pods.logs(&name, &LogParams::default()).await.expect("logs");
        assert!(!logs.is_empty());
    }
    // A deadline fails a Job that runs too long.
    let mut slow = job_manifest("slow", "600:0", 6, 1);
    if let Some(s) = slow.spec.as_mut() {
        s.active_deadline_seconds = Some(30);
    }
    jobs.create(&PostParams::default(), &slow)
        .await
        .expect("created");
    c.advance(Duration::from_secs(45)).await;
    let slow = json(&jobs.get("slow").await.expect("get"));
    assert_eq!(
        cond_of(&slow, "Failed"),
        (
            "True".into(),
            "DeadlineExceeded".into(),
            "Job was active longer than specified deadline".into()
        ),
        "{slow}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cronjobs_start_jobs_on_schedule_and_keep_their_history() {
    let c = cluster(config(ScenarioName::Calm)).await;
    // The shop's nightly backup: last night's run done, nothing running now.
    let cjs: kube::Api<CronJob> = c.api("production");
    let backup = json(&cjs.get("db-backup").await.expect("db-backup"));
    assert_eq!(backup["spec"]["schedule"], "0 2 * * *");
    assert_eq!(backup["status"]["lastScheduleTime"], "2026-03-02T02:00:00Z");
    assert!(backup["status"]["lastSuccessfulTime"].is_string());
    let jobs: kube::Api<Job> = c.api("production");
    let last_night = json(
        &jobs
            .get(&format!("db-backup-{}", 1_772_416_800 / 60))
            .await
            .expect("last night's job"),
    );
    assert_eq!(cond_of(&last_night, "Complete").0, "True");

    let cjs: kube::Api<CronJob> = c.api("staging");
    let cj: CronJob = serde_json::from_value(json!({
        "metadata": {"name": "tick"},
        "spec": {
            "schedule": "*/1 * * * *", "successfulJobsHistoryLimit": 2,
            "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{
                "name": "tick", "image": "busybox:1.36", "env": [{"name": "WARROOM_SIM_EXIT_AFTER", "value": "5:0"}],
            }]}}}},
        },
    }))
    .expect("cronjob");
    cjs.create(&PostParams::default(), &cj)
        .await
        .expect("created");
    c.advance(Duration::from_secs(5 * 60 + 30)).await;
    let jobs: kube::Api<Job> = c.api("staging");
    let listed = jobs.list(&ListParams::default()).await.expect("list");
    let done: Vec<Value> = listed
        .items
        .iter()
        .map(json)
        .filter(|j| {
            j["metadata"]["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("tick-"))
        })
        .filter(|j| cond_of(j, "Complete").0 == "True")
        .collect();
    assert_eq!(done.len(), 2, "history limit 2: {done:?}");
    for j in listed.items.iter().filter(|j| {
        j.metadata
            .name
            .as_deref()
            .is_some_and(|n| n.starts_with("tick-"))
    }) {
        let ts = annotation(j, "batch.kubernetes.io/cronjob-scheduled-timestamp")
            .expect("scheduled timestamp");
        let t: jiff::Timestamp = ts.parse().expect("time");
        assert_eq!(
            j.metadata.name.clone().unwrap_or_default(),
            format!("tick-{}", t.as_second() / 60)
        );
    }
    let got = json(&cjs.get("tick").await.expect("get"));
    assert!(got["status"]["lastScheduleTime"].is_string());
    assert!(got["status"]["lastSuccessfulTime"].is_string(), "{got}");
    assert!(!events_of(&c.sim, "tick", "SawCompletedJob").is_empty());
    assert!(!events_of(&c.sim, "tick", "SuccessfulDelete").is_empty());
    // Suspended, it starts nothing more.
    cjs.patch(
        "tick",
        &PatchParams::default(),
        &Patch::Merge(&json!({"spec": {"suspend": true}})),
    )
    .await
    .expect("patched");
    let before = events_of(&c.sim, "tick", "SuccessfulCreate").len();
    c.advance(Duration::from_secs(180)).await;
    assert_eq!(events_of(&c.sim, "tick", "SuccessfulCreate").len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubectl_gets_describes_autoscales_and_creates_jobs_from_cronjobs() {
    if !common::kubectl::kubectl_on_path() {
        return;
    }
    let sim = common::kubectl::LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let out = k.ok(&["get", "hpa,jobs,cronjobs"]).await;
    let line = |prefix: &str| {
        out.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("a row for {prefix}:\n{out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert!(
        out.contains("REFERENCE") && out.contains("TARGETS") && out.contains("MINPODS"),
        "{out}"
    );
    let hpa = line("horizontalpodautoscaler.autoscaling/api-server");
    assert_eq!(hpa[1], "Deployment/api-server", "{out}");
    assert_eq!(hpa[2], "cpu:", "{out}");
    assert!(hpa[3].ends_with("/70%"), "{out}");
    assert_eq!(&hpa[4..7], ["3", "6", "3"], "{out}");
    let cj = line("cronjob.batch/db-backup");
    assert_eq!(
        &cj[1..8],
        ["0", "2", "*", "*", "*", "<none>", "False"],
        "{out}"
    );
    let job = line("job.batch/db-backup-");
    assert_eq!(&job[1..3], ["Complete", "1/1"], "{out}");

    let out = k.ok(&["describe", "hpa", "api-server"]).await;
    for (key, want) in [
        ("Reference:", "Deployment/api-server"),
        ("Min replicas:", "3"),
        ("Max replicas:", "6"),
    ] {
        assert!(
            common::kubectl::described(&out, key)
                .iter()
                .any(|v| v == want),
            "describe hpa shows {key} {want}:\n{out}"
        );
    }
    assert!(
        out.contains("ScalingActive") && out.contains("ValidMetricFound"),
        "{out}"
    );

    let out = k
        .ok(&[
            "autoscale",
            "deployment",
            "worker",
            "--min=2",
            "--max=5",
            "--cpu-percent=80",
        ])
        .await;
    assert!(
        out.contains("horizontalpodautoscaler.autoscaling/worker autoscaled"),
        "{out}"
    );
    let got = sim
        .cluster
        .sim
        .object("horizontalpodautoscalers", "production", "worker")
        .expect("the HPA kubectl made");
    assert_eq!(got["spec"]["maxReplicas"], 5);
    assert_eq!(got["spec"]["scaleTargetRef"]["name"], "worker");

    let out = k
        .ok(&["create", "job", "--from=cronjob/db-backup", "manual-1"])
        .await;
    assert!(out.contains("job.batch/manual-1 created"), "{out}");
    sim.cluster.advance(Duration::from_secs(90)).await;
    let out = k.ok(&["get", "job", "manual-1"]).await;
    let row = common::kubectl::rows(&out);
    assert_eq!(&row[0][1..3], ["Complete", "1/1"], "{out}");
    let logs = k.ok(&["logs", "job/manual-1"]).await;
    assert!(logs.contains("backup complete"), "{logs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_suspend_resume_and_expire_after_their_ttl() {
    let c = cluster(config(ScenarioName::Calm)).await;
    let jobs: kube::Api<Job> = c.api("staging");
    let pods: kube::Api<Pod> = c.api("staging");
    let mut held = job_manifest("held", "3:0", 6, 1);
    if let Some(s) = held.spec.as_mut() {
        s.suspend = Some(true);
        s.ttl_seconds_after_finished = Some(120);
    }
    jobs.create(&PostParams::default(), &held)
        .await
        .expect("created");
    c.advance(Duration::from_secs(20)).await;
    let got = json(&jobs.get("held").await.expect("get"));
    assert_eq!(
        cond_of(&got, "Suspended"),
        ("True".into(), "JobSuspended".into(), "Job suspended".into())
    );
    assert!(got["status"].get("startTime").is_none(), "{got}");
    let listed = pods
        .list(&ListParams::default().labels("job-name=held"))
        .await
        .expect("list");
    assert!(listed.items.is_empty(), "a suspended Job runs nothing");

    jobs.patch(
        "held",
        &PatchParams::default(),
        &Patch::Merge(&json!({"spec": {"suspend": false}})),
    )
    .await
    .expect("resumed");
    c.advance(Duration::from_secs(40)).await;
    let got = json(&jobs.get("held").await.expect("get"));
    assert_eq!(cond_of(&got, "Suspended").1, "JobResumed");
    assert_eq!(cond_of(&got, "Complete").0, "True", "{got}");
    assert!(!events_of(&c.sim, "held", "Resumed").is_empty());
    // 2 minutes after it finished, the TTL controller deletes it and its pods.
    assert!(jobs.get_opt("held").await.expect("get").is_some());
    c.advance(Duration::from_secs(120)).await;
    assert!(
        jobs.get_opt("held").await.expect("get").is_none(),
        "expired"
    );
    let listed = pods
        .list(&ListParams::default().labels("job-name=held"))
        .await
        .expect("list");
    assert!(
        listed
            .items
            .iter()
            .all(|p| p.metadata.deletion_timestamp.is_some()),
        "{:?}",
        names(&listed.items)
    );
}
