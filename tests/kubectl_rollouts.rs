//! The real `kubectl` changing the simulated cluster: rollout history, undo
//! and status, scale, restart, and what `auth can-i` answers. See
//! `kubectl_compat.rs` for how the sims are started and when tests skip.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::kubectl::*;
use warroom::sim::ScenarioName;

fn history(out: &str) -> Vec<(u32, String)> {
    out.lines()
        .skip_while(|l| !l.starts_with("REVISION"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (rev, cause) = l
                .trim()
                .split_once(char::is_whitespace)
                .unwrap_or((l.trim(), ""));
            (
                rev.parse()
                    .unwrap_or_else(|_| panic!("revision number in {l:?}")),
                cause.trim().to_string(),
            )
        })
        .collect()
}

const RS_REVISIONS: &str = "jsonpath={range .items[*]}{.metadata.name}{\" \"}{.metadata.annotations.deployment\\.kubernetes\\.io/revision}{\"\\n\"}{end}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollout_history_undo_and_status() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;

    let out = k
        .ok(&["rollout", "history", "deployment/checkout-service"])
        .await;
    assert_eq!(
        history(&out),
        vec![
            (1, "deploy 2.0.0: new payment provider".to_string()),
            (2, "deploy 2.1.0: faster cart totals".to_string()),
            (3, "deploy 2.2.0: coupon codes".to_string()),
        ],
        "{out}"
    );
    let revisions = |out: String| -> Vec<(String, u32)> {
        out.lines()
            .filter_map(|l| l.split_once(' '))
            .map(|(n, r)| (n.to_string(), r.parse().unwrap_or(0)))
            .collect()
    };
    let before = revisions(
        k.ok(&[
            "get",
            "rs",
            "-l",
            "app=checkout-service",
            "-o",
            RS_REVISIONS,
        ])
        .await,
    );
    let first = before
        .iter()
        .find(|(_, r)| *r == 1)
        .map(|(n, _)| n.clone())
        .expect("revision 1's ReplicaSet");

    let out = k
        .ok(&[
            "rollout",
            "undo",
            "deployment/checkout-service",
            "--to-revision=1",
        ])
        .await;
    assert!(
        out.contains("deployment.apps/checkout-service rolled back"),
        "{out}"
    );

    // `rollout status` watches while the test moves the clock.
    let mut status = k.command(&[
        "rollout",
        "status",
        "deployment/checkout-service",
        "--timeout=60s",
    ]);
    let status = status
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kubectl rollout status");
    let waiting = tokio::spawn(status.wait_with_output());
    let started = Instant::now();
    while !waiting.is_finished() {
        assert!(
            started.elapsed() < KUBECTL_TIMEOUT,
            "kubectl rollout status did not return"
        );
        sim.cluster.advance(Duration::from_secs(2)).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let out = waiting.await.expect("joined").expect("kubectl ran");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "rollout status failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("deployment \"checkout-service\" successfully rolled out"),
        "{stdout}"
    );

    let after = revisions(
        k.ok(&[
            "get",
            "rs",
            "-l",
            "app=checkout-service",
            "-o",
            RS_REVISIONS,
        ])
        .await,
    );
    assert_eq!(
        after.len(),
        before.len(),
        "the rollback made no new ReplicaSet: {after:?}"
    );
    let newest = after.iter().max_by_key(|(_, r)| *r).expect("replicasets");
    assert_eq!(
        newest,
        &(first.clone(), 4),
        "revision 1's ReplicaSet became revision 4: {after:?}"
    );

    let out = k
        .ok(&["rollout", "history", "deployment/checkout-service"])
        .await;
    let h = history(&out);
    assert_eq!(
        h.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
        [2, 3, 4],
        "{out}"
    );
    assert_eq!(h[2].1, "deploy 2.0.0: new payment provider", "{out}");
    let image = k
        .ok(&[
            "get",
            "deploy",
            "checkout-service",
            "-o",
            "jsonpath={.spec.template.spec.containers[0].image}",
        ])
        .await;
    assert_eq!(image, "registry.local/shop/checkout-service:2.0.0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_and_restart_change_the_running_pods() {
    if !kubectl_on_path() {
        return;
    }
    let sim = ServedSim::start(&[]).await;
    let k = &sim.kubectl;
    // notification-service has no HorizontalPodAutoscaler: one would scale
    // it back (checkout-service's HPA does, as a real one would).

    let out = k
        .ok(&["scale", "deployment/notification-service", "--replicas=5"])
        .await;
    assert!(
        out.contains("deployment.apps/notification-service scaled"),
        "{out}"
    );
    assert_eq!(
        k.ok(&[
            "get",
            "deployment",
            "notification-service",
            "-o",
            "jsonpath={.spec.replicas}"
        ])
        .await,
        "5"
    );
    k.poll(
        &[
            "get",
            "deployment",
            "notification-service",
            "-o",
            "jsonpath={.status.readyReplicas}",
        ],
        Duration::from_secs(60),
        |o| o == "5",
    )
    .await;
    let out = k
        .ok(&[
            "get",
            "pods",
            "-l",
            "app=notification-service",
            "--no-headers",
        ])
        .await;
    assert_eq!(
        out.lines().filter(|l| l.contains("Running")).count(),
        5,
        "{out}"
    );

    let sets_before = k
        .ok(&["get", "rs", "-l", "app=notification-service", "-o", "name"])
        .await;
    let out = k
        .ok(&["rollout", "restart", "deployment/notification-service"])
        .await;
    assert!(
        out.contains("deployment.apps/notification-service restarted"),
        "{out}"
    );
    let stamp = k
        .ok(&[
            "get",
            "deployment",
            "notification-service",
            "-o",
            "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}",
        ])
        .await;
    assert!(
        stamp.parse::<jiff::Timestamp>().is_ok(),
        "restartedAt is a timestamp: {stamp:?}"
    );
    let sets = k
        .poll(
            &["get", "rs", "-l", "app=notification-service", "-o", "name"],
            Duration::from_secs(60),
            |o| o.lines().count() > sets_before.lines().count(),
        )
        .await;
    let new: Vec<&str> = sets
        .lines()
        .filter(|l| !sets_before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(new.len(), 1, "one new ReplicaSet for the restart: {new:?}");
    let out = k
        .ok(&[
            "rollout",
            "status",
            "deployment/notification-service",
            "--timeout=60s",
        ])
        .await;
    assert!(out.contains("successfully rolled out"), "{out}");
    let new_hash = new[0]
        .trim_start_matches("replicaset.apps/notification-service-")
        .to_string();
    // Old pods may still be terminating for a moment after the rollout is complete.
    k.poll(
        &[
            "get",
            "pods",
            "-l",
            "app=notification-service",
            "-o",
            "jsonpath={.items[*].metadata.labels.pod-template-hash}",
        ],
        Duration::from_secs(30),
        |o| o.split_whitespace().count() == 5 && o.split_whitespace().all(|h| h == new_hash),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_can_i_says_yes_to_the_admin() {
    if !kubectl_on_path() {
        return;
    }
    let admin = ServedSim::start(&[]).await;
    let out = admin
        .kubectl
        .run(&["auth", "can-i", "patch", "deployments"])
        .await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (Some(0), "yes"),
        "{}",
        out.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_read_only_user_is_forbidden_and_auth_can_i_says_no() {
    if !kubectl_on_path() {
        return;
    }
    let viewer = ServedSim::start(&["--readonly-user"]).await;
    let k = &viewer.kubectl;
    let out = k
        .run(&["scale", "deployment/checkout-service", "--replicas=0"])
        .await;
    assert_ne!(out.code, Some(0));
    assert!(
        out.stderr.contains("Forbidden") || out.stderr.contains("forbidden"),
        "{}",
        out.stderr
    );
    assert_eq!(
        k.ok(&[
            "get",
            "deployment",
            "checkout-service",
            "-o",
            "jsonpath={.spec.replicas}"
        ])
        .await,
        "3",
        "reading still works"
    );

    // kubectl prints "no", followed by " - <reason>" when the review gives one.
    let out = k.run(&["auth", "can-i", "patch", "deployments"]).await;
    let answer = out.stdout.trim();
    assert_eq!(out.code, Some(1), "{answer}\n{}", out.stderr);
    assert!(
        answer == "no" || answer.starts_with("no - "),
        "{answer}\n{}",
        out.stderr
    );
    let out = k.run(&["auth", "can-i", "list", "pods"]).await;
    assert_eq!(
        (out.code, out.stdout.trim()),
        (Some(0), "yes"),
        "{}",
        out.stderr
    );
}
