//! The Alertmanager client against the real `prometheus-alertmanager`
//! (two instances, alerts posted as Prometheus posts them, a silence made
//! and expired), and against a fake for what a real one never sends:
//! auth checks, a wrong body, a hang, a flood.

mod common;

use std::time::Duration;

use common::alertmanager::{
    FakeAlertmanager, RealAlertmanager, Reply, alertmanager_binary, eventually,
};
use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use warroom::alerts::{AlertmanagerClient, fetch_all};
use warroom::config::{AlertmanagerConfig, Auth};
use warroom::model::alert::{
    Alert, AlertSeverity, AlertState, AlertTarget, NewSilence, TargetKind, matchers_for,
};

/// Alertmanager applies silences to alerts asynchronously; this bounds it.
const SETTLE: Duration = Duration::from_secs(30);

fn client(name: &str, url: &str) -> AlertmanagerClient {
    client_with(name, url, Auth::None, Duration::from_secs(5))
}

fn client_with(name: &str, url: &str, auth: Auth, timeout: Duration) -> AlertmanagerClient {
    AlertmanagerClient::new(&AlertmanagerConfig {
        name: name.into(),
        url: url.into(),
        auth,
        ca_file: None,
        timeout,
    })
    .expect("client builds")
}

fn ago(minutes: i64) -> Timestamp {
    Timestamp::now()
        .checked_sub(SignedDuration::from_mins(minutes))
        .expect("in range")
}

/// The alert a crash-looping container raises, as Prometheus sends it.
fn crashloop(started: Timestamp) -> serde_json::Value {
    json!({
        "labels": {
            "alertname": "KubePodCrashLooping",
            "severity": "Critical",
            "namespace": "shop",
            "pod": "checkout-7d9f-abcde",
            "container": "app",
        },
        "annotations": {
            "summary": "checkout-7d9f-abcde is crash looping",
            "description": "Container app restarted 5 times in 10 minutes.",
        },
        "startsAt": started.to_string(),
        "generatorURL": "http://prometheus.example/graph?g0.expr=rate",
    })
}

fn latency() -> serde_json::Value {
    json!({
        "labels": {"alertname": "HighLatency", "severity": "warning", "namespace": "shop",
                   "deployment": "checkout"},
        "annotations": {"summary": "p99 above 2s"},
    })
}

fn named<'a>(alerts: &'a [Alert], name: &str) -> Option<&'a Alert> {
    alerts.iter().find(|a| a.name == name)
}

#[tokio::test]
async fn reads_posted_alerts_with_severity_state_summary_and_targets() {
    let Some(bin) = alertmanager_binary() else {
        return;
    };
    let am = RealAlertmanager::start(&bin).await;
    let started = ago(5);
    am.post_alerts(&json!([crashloop(started), latency()]))
        .await;

    let c = client("prod", am.url());
    let alerts = eventually(SETTLE, "both alerts active", || async {
        let alerts = c.alerts().await.expect("alerts");
        let active = alerts.iter().filter(|a| a.state == AlertState::Active);
        if active.count() == 2 {
            Ok(alerts)
        } else {
            Err(alerts)
        }
    })
    .await;

    let a = named(&alerts, "KubePodCrashLooping").expect("crash loop alert");
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(
        a.summary.as_deref(),
        Some("checkout-7d9f-abcde is crash looping")
    );
    assert_eq!(
        a.description.as_deref(),
        Some("Container app restarted 5 times in 10 minutes.")
    );
    // Alertmanager keeps Prometheus' start time (to the millisecond).
    let start = a.starts_at.expect("startsAt");
    assert!(
        started.duration_until(start).abs() < SignedDuration::from_millis(2),
        "{start} vs {started}"
    );
    assert!(a.ends_at.is_some_and(|e| e > start));
    assert_eq!(a.fingerprint.len(), 16);
    assert_eq!(a.receivers, ["null"]);
    assert_eq!(a.reported_by, ["prod"]);
    assert!(
        a.generator_url
            .as_deref()
            .is_some_and(|u| u.starts_with("http://prometheus.example/"))
    );
    assert_eq!(
        a.targets(),
        [AlertTarget {
            kind: TargetKind::Pod,
            namespace: Some("shop".into()),
            name: "checkout-7d9f-abcde".into(),
            container: Some("app".into()),
        }]
    );

    let l = named(&alerts, "HighLatency").expect("latency alert");
    assert_eq!(l.severity, AlertSeverity::Warning);
    assert_eq!(l.targets()[0].kind, TargetKind::Deployment);

    let status = c.status().await.expect("status");
    assert!(status.version.is_some(), "{status:?}");
    assert_eq!(status.cluster.as_deref(), Some("disabled"));
}

#[tokio::test]
async fn the_same_alert_from_two_alertmanagers_is_one_and_a_dead_one_is_named() {
    let Some(bin) = alertmanager_binary() else {
        return;
    };
    let (a, b) = tokio::join!(RealAlertmanager::start(&bin), RealAlertmanager::start(&bin));
    let shared = crashloop(ago(3));
    a.post_alerts(&json!([shared, latency()])).await;
    b.post_alerts(&json!([shared])).await;

    // Nothing listens on a port just found free.
    let dead_url = format!("http://127.0.0.1:{}", common::alertmanager::free_port());
    let clients = [
        client("prod-a", a.url()),
        client("prod-b", b.url()),
        client("prod-c", &dead_url),
    ];
    let report = eventually(SETTLE, "both alerts reported", || async {
        let report = fetch_all(&clients).await;
        if report.alerts.len() == 2 {
            Ok(report)
        } else {
            Err(report)
        }
    })
    .await;

    // Critical first.
    let merged = &report.alerts[0];
    assert_eq!(merged.name, "KubePodCrashLooping");
    assert_eq!(merged.reported_by, ["prod-a", "prod-b"]);
    assert_eq!(merged.state, AlertState::Active);
    assert_eq!(report.alerts[1].name, "HighLatency");
    assert_eq!(report.alerts[1].reported_by, ["prod-a"]);

    assert_eq!(report.failures.len(), 1, "{:?}", report.failures);
    assert_eq!(
        report.failures[0],
        format!("alertmanager \"prod-c\" ({dead_url}): connection refused")
    );
}

#[tokio::test]
async fn a_silence_mutes_the_alert_and_expiring_it_brings_it_back() {
    let Some(bin) = alertmanager_binary() else {
        return;
    };
    let (a, b) = tokio::join!(RealAlertmanager::start(&bin), RealAlertmanager::start(&bin));
    let alert = crashloop(ago(1));
    a.post_alerts(&json!([alert])).await;
    b.post_alerts(&json!([alert])).await;
    let ca = client("prod-a", a.url());
    let cb = client("prod-b", b.url());

    let target = eventually(SETTLE, "the alert", || async {
        let alerts = ca.alerts().await.expect("alerts");
        alerts.into_iter().next().ok_or("none yet")
    })
    .await;
    let now = Timestamp::now();
    let id = ca
        .create_silence(&NewSilence {
            matchers: matchers_for(&target),
            starts_at: now,
            ends_at: now
                .checked_add(SignedDuration::from_hours(1))
                .expect("in range"),
            created_by: "warroom test".into(),
            comment: "deploying the fix".into(),
        })
        .await
        .expect("silence created");
    assert!(!id.is_empty());

    let silenced = eventually(SETTLE, "the alert suppressed by the silence", || async {
        let alerts = ca.alerts().await.expect("alerts");
        match alerts.first() {
            Some(a) if a.state == AlertState::Suppressed && a.silenced_by.contains(&id) => {
                Ok(a.clone())
            }
            _ => Err(alerts),
        }
    })
    .await;
    assert_eq!(silenced.fingerprint, target.fingerprint);

    let silences = ca.silences().await.expect("silences");
    let s = silences.iter().find(|s| s.id == id).expect("our silence");
    assert_eq!(s.state, "active");
    assert_eq!(s.created_by, "warroom test");
    assert_eq!(s.comment, "deploying the fix");
    assert_eq!(s.matchers, matchers_for(&target));

    // The silence lives in prod-a only (no HA cluster): prod-b still pages,
    // so the merged alert is active and names the silence that covers it
    // in prod-a.
    let report = fetch_all(&[ca.clone(), cb.clone()]).await;
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.alerts.len(), 1);
    assert_eq!(report.alerts[0].state, AlertState::Active);
    assert_eq!(report.alerts[0].reported_by, ["prod-a", "prod-b"]);
    assert_eq!(report.alerts[0].silenced_by, std::slice::from_ref(&id));

    ca.expire_silence(&id).await.expect("silence expired");
    let back = eventually(SETTLE, "the alert active again", || async {
        let alerts = ca.alerts().await.expect("alerts");
        match alerts.first() {
            Some(a) if a.state == AlertState::Active && a.silenced_by.is_empty() => Ok(a.clone()),
            _ => Err(alerts),
        }
    })
    .await;
    assert_eq!(back.fingerprint, target.fingerprint);
    let silences = ca.silences().await.expect("silences");
    let s = silences.iter().find(|s| s.id == id).expect("our silence");
    assert_eq!(s.state, "expired");

    // Alertmanager refuses a silence without matchers; the sentence says why.
    let err = ca
        .create_silence(&NewSilence {
            matchers: vec![],
            starts_at: now,
            ends_at: now
                .checked_add(SignedDuration::from_hours(1))
                .expect("in range"),
            created_by: "warroom test".into(),
            comment: String::new(),
        })
        .await
        .expect_err("no matchers");
    assert!(
        err.starts_with(&format!(
            "alertmanager \"prod-a\" ({}): answered 4",
            a.url()
        )),
        "{err}"
    );
    assert!(err.contains("matchers"), "{err}");

    // An ID it does not know.
    let err = ca
        .expire_silence("00000000-0000-0000-0000-000000000000")
        .await
        .expect_err("unknown silence");
    assert!(err.contains("silence not found"), "{err}");
}

#[tokio::test]
async fn an_unreachable_alertmanager_is_an_error_never_an_empty_list() {
    let url = format!("http://127.0.0.1:{}", common::alertmanager::free_port());
    let err = client("prod", &url)
        .alerts()
        .await
        .expect_err("nothing listens");
    assert_eq!(
        err,
        format!("alertmanager \"prod\" ({url}): connection refused")
    );
    let err = client("prod", &url).silences().await.expect_err("silences");
    assert!(err.starts_with("alertmanager \"prod\""), "{err}");
}

#[tokio::test]
async fn bearer_and_basic_credentials_are_sent_and_never_shown() {
    let fake = FakeAlertmanager::start(Reply::Json(200, "[]".into())).await;
    let token = "tok-3f9a8b7c6d5e";
    let bearer = client_with(
        "prod",
        &fake.url,
        Auth::Bearer(token.into()),
        Duration::from_secs(5),
    );
    assert!(bearer.alerts().await.expect("empty list").is_empty());
    let basic = client_with(
        "prod",
        &fake.url,
        Auth::Basic {
            user: "bob".into(),
            password: "hunter2".into(),
        },
        Duration::from_secs(5),
    );
    assert!(basic.silences().await.expect("empty list").is_empty());

    let requests = fake.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    let header = |req: &str, name: &str| {
        req.lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    assert!(
        requests[0].starts_with(
            "GET /api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true HTTP/1.1"
        ),
        "{}",
        requests[0]
    );
    assert_eq!(
        header(&requests[0], "authorization"),
        format!("Bearer {token}")
    );
    assert!(requests[1].starts_with("GET /api/v2/silences HTTP/1.1"));
    // base64("bob:hunter2")
    assert_eq!(
        header(&requests[1], "authorization"),
        "Basic Ym9iOmh1bnRlcjI="
    );

    // A proxy that refuses the token and echoes it back.
    let refusing = FakeAlertmanager::start(Reply::Json(
        401,
        format!(r#"{{"message":"token {token} is not valid"}}"#),
    ))
    .await;
    let err = client_with(
        "prod",
        &refusing.url,
        Auth::Bearer(token.into()),
        Duration::from_secs(5),
    )
    .alerts()
    .await
    .expect_err("401");
    assert_eq!(
        err,
        format!(
            "alertmanager \"prod\" ({}): answered 401 Unauthorized: token <redacted> is not valid",
            refusing.url
        )
    );
}

#[tokio::test]
async fn a_body_that_is_not_the_alerts_list_is_an_error() {
    let fake = FakeAlertmanager::start(Reply::Json(200, r#"{"not":"a list"}"#.into())).await;
    let err = client("prod", &fake.url)
        .alerts()
        .await
        .expect_err("not a list");
    assert!(
        err.starts_with(&format!(
            "alertmanager \"prod\" ({}): sent something that is not the v2 alerts list: invalid type: map",
            fake.url
        )),
        "{err}"
    );

    let hostile = FakeAlertmanager::start(Reply::Json(500, "\u{1b}]0;pwned\u{7}oops".into())).await;
    let err = client("prod", &hostile.url)
        .alerts()
        .await
        .expect_err("500");
    assert!(
        err.ends_with("answered 500 Internal Server Error: \\x1b]0;pwned\\x07oops"),
        "{err}"
    );
}

#[tokio::test]
async fn a_silent_alertmanager_times_out_and_a_flood_is_refused() {
    let silent = FakeAlertmanager::start(Reply::Silent).await;
    let c = client_with("prod", &silent.url, Auth::None, Duration::from_millis(300));
    let err = c.alerts().await.expect_err("no answer");
    assert_eq!(
        err,
        format!(
            "alertmanager \"prod\" ({}): timed out after 300ms",
            silent.url
        )
    );

    let flood = FakeAlertmanager::start(Reply::Huge(1 << 40)).await;
    let err = client("prod", &flood.url).alerts().await.expect_err("1 TB");
    assert!(err.contains("larger than 32 MB"), "{err}");
}
