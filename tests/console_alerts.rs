//! End-to-end: the alert feed in the real `warroom demo` binary against a
//! real `prometheus-alertmanager` — an alert about a simulated pod shows
//! in the feed and the header, `enter` finds the pod (whose detail pane
//! lists the alert), and a silence is made and expired through the
//! confirmation, as Alertmanager itself then reports.

mod common;

use std::time::Duration;

use common::alertmanager::{RealAlertmanager, alertmanager_binary, eventually};
use common::pty::demo_with;
use serde_json::json;
use warroom::alerts::AlertmanagerClient;
use warroom::config::{AlertmanagerConfig, Auth};

#[test]
fn an_alert_about_a_sim_pod_links_to_it_and_is_silenced_and_unsilenced() {
    let Some(bin) = alertmanager_binary() else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let am = rt.block_on(RealAlertmanager::start(&bin));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[alerts]\npoll_seconds = 2\n\n[[alertmanager]]\nname = \"prod\"\nurl = \"{}\"\n",
            am.url()
        ),
    )
    .unwrap();
    let (mut console, _port) = demo_with(
        "oom-loop",
        200,
        50,
        &[],
        &[("WARROOM_CONFIG", config.to_str().unwrap())],
    );
    console.wait_for("notification-service-");
    let (_, row) = console.row_with("notification-service-").unwrap();
    let pod = row
        .split_whitespace()
        .find(|w| w.starts_with("notification-service-"))
        .unwrap()
        .to_string();

    rt.block_on(am.post_alerts(&json!([{
        "labels": {"alertname": "KubeContainerOOMKilled", "severity": "critical",
                   "namespace": "production", "pod": pod, "container": "notification-service"},
        "annotations": {"summary": "notification-service was OOMKilled"}
    }])));
    // The header counts it; the alerts view lists it under its severity.
    console.wait_for("alerts: 1 critical");
    console.send("5");
    console.wait_for("Alerts · 1 firing of 1");
    console.wait_for("KubeContainerOOMKilled");
    // enter: the pod it is about, whose detail pane lists the alert.
    console.send("\r");
    console.wait_for("Pods ·");
    console.wait_until("the pod's detail lists the alert", |s| {
        let c = s.contents();
        c.contains(&format!("Pod {pod}")) && c.contains("✖ KubeContainerOOMKilled · active")
    });

    // S: how long and why, then the confirmation, then y.
    console.send("5");
    console.wait_for("Alerts ·");
    console.send("S");
    console.wait_for("silence for (30m/2h/1d) and why: 2h");
    console.send("\x15"); // ctrl-u: clear the default
    console.send("30m e2e test silence");
    console.send("\r");
    console.wait_for("Confirm: silence");
    console.wait_for("amtool silence add");
    console.wait_for("checked here");
    console.send("y");
    console.wait_for("created in prod for 30m");
    console.wait_for("suppressed");
    console.wait_for("Alerts · 0 firing of 1");

    let client = AlertmanagerClient::new(&AlertmanagerConfig {
        name: "prod".into(),
        url: am.url().to_string(),
        auth: Auth::None,
        ca_file: None,
        timeout: Duration::from_secs(5),
    })
    .unwrap();
    let silences = rt.block_on(client.silences()).unwrap();
    assert_eq!(silences.len(), 1, "{silences:?}");
    assert_eq!(silences[0].comment, "e2e test silence");
    assert_eq!(silences[0].created_by, "warroom-sim");
    assert!(
        silences[0]
            .matchers
            .iter()
            .any(|m| m.name == "pod" && m.value == pod)
    );

    // X: expire it, confirmed the same way; the alert fires again.
    console.send("X");
    console.wait_for("Confirm: expire silence");
    console.wait_for("checked here");
    console.send("y");
    console.wait_for("expired in prod");
    console.wait_for("Alerts · 1 firing of 1");
    rt.block_on(eventually(
        Duration::from_secs(30),
        "the silence expired",
        || async {
            let s = client.silences().await?;
            match s.first() {
                Some(s) if s.state == "expired" => Ok(()),
                other => Err(format!("{other:?}")),
            }
        },
    ));
    console.send("q");
    assert!(console.wait_exit());
}
