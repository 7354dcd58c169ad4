//! Any resource the server serves, in the real binary against the demo:
//! `:svc` lists Services in the server's own columns (as `kubectl get`),
//! enter shows every column and the object's events, `y` its YAML; a
//! Secret's values never reach the terminal; a typo says what is near.

mod common;

use common::pty::demo_with;

#[test]
fn services_open_by_short_name_in_the_servers_columns_with_their_yaml() {
    let (mut console, _port) = demo_with("calm", 200, 50, &[], &[]);
    console.wait_for("production");
    console.wait_for("1 of 12");
    console.send(":svc");
    console.enter();
    console.wait_for("services · production");
    // kubectl's columns for Services, from the server's Table.
    console.wait_for("CLUSTER-IP");
    console.wait_for("PORT(S)");
    console.wait_for("checkout-service");
    console.wait_for("read-only");
    // enter: every column, the wide ones too.
    console.enter();
    console.wait_for("selector");
    console.wait_for("app=");
    // y: the whole object.
    console.send("y");
    console.wait_for("YAML · managedFields left out");
    console.wait_for("kind: Service");
    console.wait_for("apiVersion: v1");
    console.send("q");
    console.wait_for("services · production");
    // d: described, as kubectl describe reads, ending with its events.
    console.send("d");
    console.wait_for("described · managedFields left out");
    console.wait_for("Kind:          Service (v1)");
    console.wait_for("Cluster IP:");
    console.wait_for("Events:");
    console.send("q");
    console.wait_for("services · production");
    console.leave_and_quit("Pods");
}

#[test]
fn a_secrets_values_never_reach_the_terminal() {
    let (mut console, _port) = demo_with("calm", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send(":secrets");
    console.enter();
    console.wait_for("postgres-credentials");
    console.send("y");
    console.wait_for("values hidden");
    console.wait_for("username: (hidden, 8 bytes)");
    console.wait_for("password: (hidden, 15 bytes)");
    console.send("q");
    // Described, the values stay hidden too.
    console.send("d");
    console.wait_for("described");
    console.wait_for("password:  (hidden, 15 bytes)");
    let raw = String::from_utf8_lossy(&console.raw_output()).into_owned();
    // The scenario's values, in base64 and decoded.
    for secret in ["Y2hlY2tvdXQ", "czNjcjN0", "s3cr3t-sim-only"] {
        assert!(!raw.contains(secret), "{secret} reached the terminal");
    }
    console.send("q");
    console.leave_and_quit("Pods");
}

#[test]
fn a_misspelt_resource_says_what_is_near_and_problems_only_says_why_not() {
    let (mut console, _port) = demo_with("calm", 200, 50, &[], &[]);
    console.wait_for("1 of 12");
    console.send(":servics");
    console.enter();
    console.wait_for("did you mean services?");
    console.esc();
    console.send(":configmaps");
    console.enter();
    console.wait_for("shop-config");
    console.send("!");
    console.wait_for("warroom knows no problems of it to filter");
    console.leave_and_quit("Pods");
}

#[test]
fn an_hpa_pinned_at_its_maximum_shows_on_its_workload_warns_a_scale_by_hand_and_alerts() {
    let (mut console, port) = demo_with("hpa-maxed", 200, 55, &[], &[]);
    console.wait_for("1 of");
    console.send("2");
    console.wait_for("Workloads ·");
    console.send("/api-server");
    console.enter();
    console.wait_for("Deployment api-server");
    console.wait_for("HPA api-server: 3 to 6 replicas");
    // The spike: the HPA climbs to 6 and stays pinned there.
    console.advance_until(port, "at its maximum", 5, 180);
    console.wait_for("ScalingLimited TooManyReplicas");
    // `s` offers the HPA's bounds first; a count by hand is still
    // possible, and told what the HPA will do with it.
    console.send("s");
    console
        .wait_for("the HPA api-server decides the replicas; its MIN-MAX, or a count by hand: 3-6");
    for _ in 0..3 {
        console.send("\x7f");
    }
    console.send("8");
    console.enter();
    console.wait_for("Confirm: scale");
    console.wait_for("the HPA api-server manages the replicas");
    console.wait_for("its next sync (every 15 s)");
    console.send("n");
    console.wait_until("the confirmation closed", |s| {
        !s.contents().contains("Confirm:")
    });
    // Its bounds instead, through the same confirmation and dry run.
    console.send("s");
    console.wait_for("its MIN-MAX, or a count by hand: 3-6");
    console.send("\x7f");
    console.send("7");
    console.enter();
    console.wait_for("Confirm: change HPA bounds");
    console.wait_for("between 3 and 7 replicas (was 3 to 6)");
    console.wait_for("kubectl patch hpa api-server -n production -p");
    console.wait_for(r#"'{"spec":{"minReplicas":3,"maxReplicas":7}}'"#);
    console.wait_for("it will add up to 1 pod(s) at once");
    // production-quota (15 pods) is full: the seventh pod would be refused.
    console.wait_for("at 7 needs 1 more pod; quota");
    console.wait_for("production-quota allows 0");
    console.wait_for("(server dry run)");
    console.send("y");
    console.wait_for("horizontalpodautoscaler.autoscaling/api-server patched");
    console.wait_for("HPA api-server: 3 to 7 replicas");
    // Pinned five minutes: the detector says so, and enter on its alert
    // opens the HPA in the server's columns.
    console.send("5");
    console.wait_for("Alerts ·");
    console.advance_until(port, "HPAAtMax", 30, 600);
    console.send("/HPAAtMax");
    console.enter();
    console.enter();
    console.wait_for("horizontalpodautoscalers.autoscaling · production");
    console.wait_for("REFERENCE");
    console.wait_for("Deployment/api-server");
    // warroom's own columns beside the server's: pinned, and for how long.
    console.wait_for("the server's columns and warroom's");
    console.wait_for("STATE");
    console.wait_for("at max for");
    // It knows the problems of HPAs, so `!` filters to them.
    console.send("!");
    console.wait_for("problems only");
    console.wait_for("at max for");
    // The detail says what the conditions and the state mean.
    console.enter();
    console.wait_for("Conditions");
    console.wait_for("min 3 · max 7 · current 7");
    console.wait_for("What it means");
    // What changed says what the HPA decided, and why.
    console.send("c");
    console.wait_for("HPA production/api-server: wants");
    console.wait_for("at its maximum (6) and the load wants more");
    console.send("q");
    console.leave_and_quit("Pods");
}
