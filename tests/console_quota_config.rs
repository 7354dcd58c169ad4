//! Quotas and missing configuration in the real binary against the demo:
//! `quota-full` (api-server's HPA raised past what production-quota allows)
//! names the quota on the workload, in its detail and in a confirmation,
//! and raises QuotaExceeded; `config-missing` (a ConfigMap key removed)
//! raises MissingConfig naming the ConfigMap and key, and the pod's
//! detail marks that key among the ConfigMaps and Secrets it reads.

mod common;

use common::pty::demo_with;

/// The confirmation's text, its wrapped lines joined: the columns between
/// its borders, from its title row down.
fn dialog_text(s: &vt100::Screen) -> String {
    let contents = s.contents();
    let Some((row, line)) = contents
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("┌ Confirm:"))
    else {
        return String::new();
    };
    let left = line
        .split("┌ Confirm:")
        .next()
        .map_or(0, |before| before.chars().count()) as u16;
    let width = line
        .chars()
        .skip(left as usize + 1)
        .position(|c| c == '┐')
        .unwrap_or(0) as u16;
    s.rows(left + 1, width)
        .skip(row)
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_full_quota_is_named_on_the_workload_in_the_scale_confirmation_and_as_an_alert() {
    let (mut console, port) = demo_with("quota-full", 200, 55, &[], &[]);
    console.wait_for("1 of");
    console.send("2");
    console.wait_for("Workloads ·");
    console.send("/api-server");
    console.enter();
    console.wait_for("Deployment api-server");
    // The namespace's headroom, beside the namespace.
    console.wait_for("production-quota pods ");
    // The HPA scales to 8; three fit, the rest are refused.
    console.advance_until(port, "quota full: production-quota", 5, 240);
    console.wait_for("production-quota pods 15/15");
    console.wait_for("(no room left: pods)");
    console.wait_for("quota production-quota is used up");
    // Scaling further is offered (the HPA's bounds first; a count by hand
    // too), with what the quota leaves.
    console.send("s");
    console.wait_for("or a count by hand: 3-8");
    for _ in 0..3 {
        console.send("\x7f");
    }
    console.send("10");
    console.enter();
    console.wait_for("Confirm: scale");
    console.wait_until("the quota's warning in the confirmation", |s| {
        dialog_text(s).contains(
            "scaling Deployment production/api-server to 10 needs 4 more pods, 400m more CPU requests, 1.5Gi more memory requests, 3Gi more memory limits; quota production-quota allows 0, 350m, 1.4Gi, 1.8Gi: the pods it cannot fit are refused",
        )
    });
    console.send("n");
    console.wait_until("the confirmation closed", |s| {
        !s.contents().contains("Confirm:")
    });
    // The detector names the quota.
    console.send("5");
    console.wait_for("Alerts ·");
    console.advance_until(port, "QuotaExceeded", 5, 60);
    console.wait_for("cannot create pods: quota production-quota");
    console.wait_for("resourcequota production-quota");
    console.leave_and_quit("Pods");
}

#[test]
fn a_missing_configmap_key_is_an_alert_naming_it_and_the_pod_says_which() {
    let (mut console, port) = demo_with("config-missing", 220, 55, &[], &[]);
    console.wait_for("1 of");
    console.send("5");
    console.wait_for("Alerts ·");
    console.advance_until(port, "MissingConfig", 5, 180);
    console.wait_for("key payment.provider of ConfigMap shop-config does not exist");
    // The pod itself says which key of which ConfigMap.
    console.send("1");
    console.wait_for("Pods ·");
    console.send("/CreateContainerConfig");
    console.enter();
    console.enter();
    console.wait_for("couldn't find key payment.provider in ConfigMap");
    // Among what the pod reads, the key the kubelet cannot find.
    console.read_on_until("ConfigMaps and Secrets");
    console.wait_for("shop-config key payment.provider · env PAYMENT_PROVIDER");
    console.wait_for("✖ key missing");
    console.leave_and_quit("Pods");
}
