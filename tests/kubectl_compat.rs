//! The real `kubectl` against the simulated cluster: what an on-call
//! engineer types during an incident must print what they expect to see.
//!
//! Two ways in: the real binary (`warroom sim serve --speed 20`, a child
//! process whose clock runs by itself — waits are bounded polls on a
//! condition), and an in-process sim whose clock the test moves, where an
//! outcome depends on exactly when things happen.
//!
//! Without `kubectl` on PATH the tests print a note and pass, except on CI
//! (`CI=true`), where a missing kubectl is a failure.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::kubectl::*;
use common::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use warroom::sim::ScenarioName;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_shows_namespaces_nodes_pods_and_workloads() {
    if !kubectl_on_path() {
        return;
    }
    let sim = ServedSim::start(&[]).await;
    let k = &sim.kubectl;

    let out = k.ok(&["get", "ns,nodes"]).await;
    for want in [
        "namespace/production",
        "namespace/staging",
        "namespace/monitoring",
        "node/node-1",
        "node/node-2",
        "node/node-3",
    ] {
        assert!(out.contains(want), "get ns,nodes lists {want}:\n{out}");
    }
    let node1 = out
        .lines()
        .find(|l| l.starts_with("node/node-1"))
        .expect("node-1 row");
    assert!(
        node1.split_whitespace().nth(1) == Some("Ready"),
        "node-1 is Ready: {node1}"
    );
    assert!(
        out.lines()
            .find(|l| l.starts_with("namespace/production"))
            .is_some_and(|l| l.contains("Active"))
    );

    let out = k.ok(&["get", "pods", "-A", "-o", "wide"]).await;
    let h = header(&out);
    assert_eq!(
        &h[..8],
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE"
        ],
        "{out}"
    );
    let checkout: Vec<Vec<&str>> = rows(&out)
        .into_iter()
        .filter(|r| r[0] == "production" && r[1].starts_with("checkout-service-"))
        .collect();
    assert_eq!(
        checkout.len(),
        3,
        "three checkout pods in production:\n{out}"
    );
    for r in &checkout {
        assert_eq!((r[2], r[3], r[4]), ("1/1", "Running", "0"), "{r:?}");
        assert!(r[6].starts_with("10.244."), "a pod IP: {r:?}");
        assert!(r[7].starts_with("node-"), "a node: {r:?}");
    }
    assert!(
        rows(&out).iter().any(|r| r[0] == "staging"),
        "-A includes staging"
    );

    let out = k.ok(&["get", "deploy,rs", "-n", "production"]).await;
    let deploy = out
        .lines()
        .find(|l| l.starts_with("deployment.apps/checkout-service "))
        .unwrap_or_else(|| panic!("deployment row:\n{out}"));
    let d: Vec<&str> = deploy.split_whitespace().collect();
    assert_eq!(
        &d[1..4],
        ["3/3", "3", "3"],
        "READY UP-TO-DATE AVAILABLE: {deploy}"
    );
    assert!(
        out.contains("UP-TO-DATE") && out.contains("DESIRED"),
        "both tables' headers:\n{out}"
    );
    let sets: Vec<Vec<&str>> = out
        .lines()
        .filter(|l| l.starts_with("replicaset.apps/checkout-service-"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        sets.len(),
        3,
        "one ReplicaSet per checkout revision:\n{out}"
    );
    assert_eq!(
        sets.iter().filter(|r| r[1..4] == ["3", "3", "3"]).count(),
        1,
        "one of them runs the pods:\n{out}"
    );
    assert_eq!(
        sets.iter().filter(|r| r[1..4] == ["0", "0", "0"]).count(),
        2,
        "the old ones are scaled to zero:\n{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn describe_and_logs_show_a_pod() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    let pod = k
        .ok(&[
            "get",
            "pods",
            "-l",
            "app=checkout-service",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .await;
    assert!(pod.starts_with("checkout-service-"), "{pod}");

    let out = k.ok(&["describe", "pod", &pod]).await;
    for (key, want) in [
        ("Name:", pod.as_str()),
        ("Namespace:", "production"),
        ("Status:", "Running"),
        ("State:", "Running"),
        ("Ready:", "True"),
        ("Image:", "registry.local/shop/checkout-service:2.2.0"),
    ] {
        assert!(
            described(&out, key).iter().any(|v| v == want),
            "describe pod shows {key} {want}:\n{out}"
        );
    }
    assert!(
        described(&out, "Controlled By:")
            .iter()
            .any(|v| v.starts_with("ReplicaSet/checkout-service-")),
        "{out}"
    );
    let events = out.split("Events:").nth(1).expect("an Events section");
    for reason in ["Scheduled", "Pulled", "Created", "Started"] {
        assert!(
            events.contains(reason),
            "the Events section lists {reason}:\n{events}"
        );
    }

    let out = k.ok(&["logs", &pod]).await;
    assert!(out.lines().count() > 10, "{out}");
    assert!(
        out.lines()
            .all(|l| l.contains("\"service\":\"checkout-service\"")),
        "{out}"
    );
    let out = k.ok(&["logs", &pod, "--tail=3", "--timestamps"]).await;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines.iter().all(|l| l
            .split(' ')
            .next()
            .is_some_and(|t| t.parse::<jiff::Timestamp>().is_ok())),
        "{out}"
    );
    let out = k.run(&["logs", &pod, "--previous"]).await;
    assert_ne!(out.code, Some(0), "no previous container");
    assert!(
        out.stderr.contains("previous terminated container"),
        "{}",
        out.stderr
    );

    // Read from defaulted fields of the pod spec (protocol, probe scheme).
    let out = k.ok(&["describe", "pod", &pod]).await;
    assert!(
        described(&out, "Port:").iter().any(|v| v == "8080/TCP"),
        "describe shows Port: 8080/TCP:\n{out}"
    );
    assert!(
        described(&out, "Readiness:")
            .iter()
            .any(|v| v.starts_with("http-get http://:8080/ready")),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_from_a_manifest_and_from_a_generator() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;
    // `kubectl create -f` sends JSON, as every manifest-driven client does.
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = dir.path().join("notes.json");
    std::fs::write(
        &manifest,
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"incident-notes"},"data":{"owner":"oncall"}}"#,
    )
    .expect("write manifest");
    let path = manifest.to_string_lossy().to_string();
    let out = k.run(&["create", "-f", &path]).await;
    assert_eq!(
        out.code,
        Some(0),
        "kubectl create -f failed: {}",
        out.stderr
    );
    assert!(
        out.stdout.contains("configmap/incident-notes created"),
        "{}",
        out.stdout
    );
    assert_eq!(
        k.ok(&[
            "get",
            "configmap",
            "incident-notes",
            "-o",
            "jsonpath={.data.owner}"
        ])
        .await,
        "oncall"
    );
    // The `create <kind> NAME` generators send protobuf, which the sim reads too.
    let out = k
        .ok(&["create", "configmap", "other", "--from-literal=a=b"])
        .await;
    assert!(out.contains("configmap/other created"), "{out}");
    assert_eq!(
        k.ok(&["get", "configmap", "other", "-o", "jsonpath={.data.a}"])
            .await,
        "b"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_previous_and_describe_after_an_oomkill() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::OomLoop).await;
    let k = &sim.kubectl;
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> = sim.cluster.api("production");
    let killed = sim
        .cluster
        .advance_until(
            Duration::from_secs(10),
            Duration::from_secs(360),
            || async {
                live_pods(&pods, "notification-service")
                    .await
                    .into_iter()
                    .find(|p| {
                        let s = p
                            .status
                            .as_ref()
                            .and_then(|s| s.container_statuses.as_ref())
                            .and_then(|c| c.first().cloned());
                        s.is_some_and(|s| s.restart_count >= 1)
                    })
            },
        )
        .await
        .expect("a notification-service pod restarted within 6 virtual minutes");
    let pod = killed.metadata.name.expect("name");

    let out = k.ok(&["logs", &pod, "--previous"]).await;
    assert!(out.contains("starting notification-service"), "{out}");
    assert!(out.contains("memory usage high"), "{out}");

    let out = k
        .ok(&["get", "pods", "-l", "app=notification-service"])
        .await;
    let row = rows(&out)
        .into_iter()
        .find(|r| r[0] == pod)
        .unwrap_or_else(|| panic!("{pod} listed:\n{out}"));
    let restarts: u32 = row[3]
        .parse()
        .unwrap_or_else(|_| panic!("RESTARTS is a number: {row:?}"));
    assert!(restarts >= 1, "{row:?}");
    assert!(
        row.join(" ").contains("ago)"),
        "RESTARTS says when: {row:?}"
    );

    let out = k.ok(&["describe", "pod", &pod]).await;
    for (key, want) in [
        ("Last State:", "Terminated"),
        ("Reason:", "OOMKilled"),
        ("Exit Code:", "137"),
        ("memory:", "512Mi"),
    ] {
        assert!(
            described(&out, key).iter().any(|v| v == want),
            "describe shows {key} {want}:\n{out}"
        );
    }
}

/// `kubectl rollout history` rows as (revision, change-cause).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_sorted_and_top_pods() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;

    let out = k.ok(&["get", "events", "--sort-by=.lastTimestamp"]).await;
    assert_eq!(
        header(&out),
        ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.contains("pod/checkout-service-")),
        "{out}"
    );
    assert!(out.lines().any(|l| l.contains("Normal")), "{out}");
    let stamps = k
        .ok(&[
            "get",
            "events",
            "--sort-by=.lastTimestamp",
            "-o",
            "jsonpath={range .items[*]}{.lastTimestamp}{\"\\n\"}{end}",
        ])
        .await;
    let stamps: Vec<jiff::Timestamp> = stamps
        .lines()
        .map(|s| s.parse().unwrap_or_else(|_| panic!("lastTimestamp {s:?}")))
        .collect();
    assert!(
        stamps.len() > 5 && stamps.windows(2).all(|w| w[0] <= w[1]),
        "sorted by lastTimestamp: {stamps:?}"
    );

    let out = k.ok(&["top", "pods", "-n", "production"]).await;
    assert_eq!(
        header(&out),
        ["NAME", "CPU(cores)", "MEMORY(bytes)"],
        "{out}"
    );
    let checkout: Vec<Vec<&str>> = rows(&out)
        .into_iter()
        .filter(|r| r[0].starts_with("checkout-service-"))
        .collect();
    assert_eq!(checkout.len(), 3, "{out}");
    for r in checkout {
        assert!(r[1].ends_with('m'), "CPU in millicores: {r:?}");
        let mib: u32 = r[2]
            .trim_end_matches("Mi")
            .parse()
            .unwrap_or_else(|_| panic!("MEMORY in Mi: {r:?}"));
        assert!(
            (100..512).contains(&mib),
            "checkout uses a few hundred MiB of its 512Mi: {r:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_pods_watch_prints_rows_and_then_changes() {
    if !kubectl_on_path() {
        return;
    }
    let sim = ServedSim::start(&[]).await;
    let k = &sim.kubectl;
    let pod = k
        .ok(&[
            "get",
            "pods",
            "-l",
            "app=checkout-service",
            "-o",
            "jsonpath={.items[0].metadata.name}",
        ])
        .await;

    let mut watch = k
        .command(&["get", "pods", "-w"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl get -w");
    let mut lines = BufReader::new(watch.stdout.take().expect("stdout")).lines();
    let mut seen: Vec<String> = Vec::new();
    read_until(&mut lines, &mut seen, Duration::from_secs(5), |s| {
        s.len() >= 8
    })
    .await;
    assert!(
        seen.first()
            .is_some_and(|h| h.split_whitespace().collect::<Vec<_>>()
                == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]),
        "{seen:#?}"
    );
    assert!(
        seen.iter()
            .any(|l| l.starts_with(&pod) && l.contains("Running")),
        "initial rows: {seen:#?}"
    );

    k.ok(&["delete", "pod", &pod, "--wait=false"]).await;
    read_until(&mut lines, &mut seen, Duration::from_secs(20), |s| {
        s.iter()
            .any(|l| l.starts_with(&pod) && l.contains("Terminating"))
    })
    .await;
    let _ = watch.start_kill();
    assert!(
        seen.iter()
            .any(|l| l.starts_with(&pod) && l.contains("Terminating")),
        "the watch printed the deleted pod as Terminating: {seen:#?}"
    );
    assert_eq!(
        seen.iter().filter(|l| l.starts_with("NAME")).count(),
        1,
        "one header: {seen:#?}"
    );
}

/// The generators an on-call engineer types to stand up a sandbox: each
/// sends its object as Kubernetes protobuf, and what arrives is what was asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_generators_build_a_sandbox_whose_pods_come_up() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    let k = &sim.kubectl;

    let out = k.ok(&["create", "namespace", "sandbox"]).await;
    assert!(out.contains("namespace/sandbox created"), "{out}");
    assert_eq!(
        k.ok(&["get", "ns", "sandbox", "-o", "jsonpath={.status.phase}"])
            .await,
        "Active"
    );

    let out = k
        .ok(&[
            "-n",
            "sandbox",
            "create",
            "configmap",
            "notes",
            "--from-literal=owner=oncall",
            "--from-literal=severity=SEV2",
        ])
        .await;
    assert!(out.contains("configmap/notes created"), "{out}");
    assert_eq!(
        k.ok(&[
            "-n",
            "sandbox",
            "get",
            "cm",
            "notes",
            "-o",
            "jsonpath={.data.owner} {.data.severity}"
        ])
        .await,
        "oncall SEV2"
    );

    let out = k
        .ok(&[
            "-n",
            "sandbox",
            "create",
            "deployment",
            "web",
            "--image=nginx:1.27",
            "--replicas=2",
            "--port=80",
        ])
        .await;
    assert!(out.contains("deployment.apps/web created"), "{out}");
    let spec = k
        .ok(&[
            "-n",
            "sandbox",
            "get",
            "deploy",
            "web",
            "-o",
            "jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.strategy.type}",
        ])
        .await;
    assert_eq!(spec, "2 web nginx:1.27 80 RollingUpdate", "{spec}");

    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> = sim.cluster.api("sandbox");
    let ready = sim
        .cluster
        .advance_until(Duration::from_secs(5), Duration::from_secs(120), || async {
            let live = live_pods(&pods, "web").await;
            (live.len() == 2 && live.iter().all(pod_ready)).then_some(live)
        })
        .await
        .expect("both web pods Ready within 2 virtual minutes");
    assert!(
        ready.iter().all(|p| pod_image(p) == "nginx:1.27"),
        "{:?}",
        ready.iter().map(pod_image).collect::<Vec<_>>()
    );

    let out = k.ok(&["-n", "sandbox", "get", "deploy", "web"]).await;
    let row = rows(&out)
        .into_iter()
        .find(|r| r[0] == "web")
        .unwrap_or_else(|| panic!("web listed:\n{out}"));
    assert_eq!(
        &row[1..4],
        ["2/2", "2", "2"],
        "READY UP-TO-DATE AVAILABLE: {out}"
    );
    let out = k
        .ok(&[
            "-n",
            "sandbox",
            "rollout",
            "status",
            "deploy/web",
            "--timeout=10s",
        ])
        .await;
    assert!(out.contains("successfully rolled out"), "{out}");
}

/// `sim serve --tls`: HTTPS with a throwaway CA in the kubeconfig, and a
/// token (kubectl asks for a password on an https cluster without one):
/// kubectl verifies the certificate as against a real cluster, and the
/// console connects through the same kubeconfig over rustls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_serves_kubectl_and_the_console_with_the_ca_from_the_kubeconfig() {
    if !kubectl_on_path() {
        return;
    }
    let sim = ServedSim::start(&["--tls"]).await;
    let text = std::fs::read_to_string(sim.kubeconfig()).expect("kubeconfig");
    assert!(text.contains("server: https://127.0.0.1:"), "{text}");
    assert!(text.contains("certificate-authority-data: "), "{text}");
    assert!(text.contains("token: "), "{text}");
    let k = &sim.kubectl;
    let out = k.ok(&["get", "pods", "-n", "production"]).await;
    assert!(out.contains("checkout-service-"), "{out}");

    // The console's connect: kube-rs over rustls, trusting that CA.
    let opts = warroom::cluster::ConnectOptions {
        kubeconfig: Some(sim.kubeconfig().to_path_buf()),
        ..Default::default()
    };
    let session = warroom::cluster::connect(&opts)
        .await
        .expect("the console connects over TLS");
    let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
        kube::Api::namespaced(session.client.clone(), "production");
    let list = pods.list(&Default::default()).await.expect("pods over TLS");
    assert!(!list.items.is_empty());

    // Another CA: refused, in words, by kubectl and by the console alike.
    let other = warroom::sim::Certificates::throwaway().expect("another CA");
    let wrong = sim.kubeconfig().with_file_name("wrong-ca");
    use base64::Engine;
    let data = |pem: &str| base64::engine::general_purpose::STANDARD.encode(pem);
    let theirs = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("certificate-authority-data: "))
        .expect("CA line")
        .to_string();
    std::fs::write(&wrong, text.replace(&theirs, &data(&other.ca_pem))).expect("write");
    let refused = Kubectl::new(&wrong, wrong.parent().expect("dir"))
        .run(&["get", "pods", "-n", "production"])
        .await;
    assert_ne!(refused.code, Some(0));
    let said = &refused.stderr;
    assert!(said.contains("certificate"), "{said}");
    let err = warroom::cluster::connect(&warroom::cluster::ConnectOptions {
        kubeconfig: Some(wrong),
        ..Default::default()
    })
    .await
    .expect_err("an unknown CA is refused")
    .to_string();
    assert!(
        err.starts_with("cannot reach https://127.0.0.1:") && err.contains("TLS handshake failed"),
        "{err}"
    );
}

/// kubectl 1.27 reads `/openapi/v2` (protobuf) and 1.33 `/openapi/v3`
/// before `apply` and `explain` (without them 1.27 gave up with 404):
/// both apply a Deployment, apply it again changed (a removed container
/// goes, a changed value lands, what the server defaulted stays), and
/// explain its fields with their descriptions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_and_explain_with_kubectl_1_27_and_1_33() {
    if !kubectl_on_path() {
        return;
    }
    let sim = LocalSim::start(ScenarioName::Calm).await;
    for minor in [27, 33] {
        let Some(binary) = kubectl_version(minor) else {
            continue;
        };
        let k = sim.kubectl.with_binary(&binary);
        let name = format!("apply-{minor}");
        let manifest = |containers: &str| {
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: production\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n{containers}"
            )
        };
        let web = "      - name: web\n        image: registry.local/web:1\n        env:\n        - {name: MODE, value: a}\n";
        let side = "      - name: side\n        image: registry.local/side:1\n";
        let file = sim.kubectl_dir().join(format!("{name}.yaml"));
        std::fs::write(&file, manifest(&format!("{web}{side}"))).expect("manifest");
        let file_arg = file.to_str().expect("utf-8 path");
        let out = k.ok(&["apply", "-f", file_arg]).await;
        assert!(
            out.contains(&format!("deployment.apps/{name} created")),
            "1.{minor}: {out}"
        );
        let changed = web.replace("value: a", "value: b");
        std::fs::write(&file, manifest(&changed)).expect("manifest");
        let out = k.ok(&["apply", "-f", file_arg]).await;
        assert!(out.contains("configured"), "1.{minor}: {out}");
        let got = k
            .ok(&[
                "get",
                "deployment",
                &name,
                "-n",
                "production",
                "-o",
                "jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].env[0].value} {.spec.template.spec.containers[0].imagePullPolicy}",
            ])
            .await;
        assert_eq!(got, "web b IfNotPresent", "1.{minor}");

        let out = k.ok(&["explain", "pods.spec.containers.env"]).await;
        assert!(out.contains("valueFrom"), "1.{minor}: {out}");
        assert!(out.contains("FIELD"), "1.{minor}: {out}");
    }
}
