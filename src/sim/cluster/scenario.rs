//! Scenarios: the cluster the sim starts with and the incident it then plays
//! on the virtual clock. Every scenario starts from the same calm shop (three
//! nodes; production, staging and monitoring; checkout, notifications, API,
//! workers, postgres, redis, a node agent) with two hours of history already
//! behind it — rollouts with change-causes — and then, a few seconds after
//! the console attaches, its incident begins. Same seed, same story.

use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use super::story::Step;
use super::time::secs;
use super::world::{Manager, Part, World};
use crate::sim::store::resources;

/// cert-manager's and KEDA's custom resources in the shop.
pub mod addons;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScenarioName {
    #[default]
    Calm,
    BadDeploy,
    OomLoop,
    ReadinessFlap,
    ImagePull,
    NodePressure,
    Scale,
    HpaMaxed,
    JobFail,
    ConfigMissing,
    NoEndpoints,
    QuotaFull,
}

impl ScenarioName {
    pub(crate) const ALL: [ScenarioName; 12] = [
        ScenarioName::Calm,
        ScenarioName::BadDeploy,
        ScenarioName::OomLoop,
        ScenarioName::ReadinessFlap,
        ScenarioName::ImagePull,
        ScenarioName::NodePressure,
        ScenarioName::Scale,
        ScenarioName::HpaMaxed,
        ScenarioName::JobFail,
        ScenarioName::ConfigMissing,
        ScenarioName::NoEndpoints,
        ScenarioName::QuotaFull,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ScenarioName::Calm => "calm",
            ScenarioName::BadDeploy => "bad-deploy",
            ScenarioName::OomLoop => "oom-loop",
            ScenarioName::ReadinessFlap => "readiness-flap",
            ScenarioName::ImagePull => "image-pull",
            ScenarioName::NodePressure => "node-pressure",
            ScenarioName::Scale => "scale",
            ScenarioName::HpaMaxed => "hpa-maxed",
            ScenarioName::JobFail => "job-fail",
            ScenarioName::ConfigMissing => "config-missing",
            ScenarioName::NoEndpoints => "no-endpoints",
            ScenarioName::QuotaFull => "quota-full",
        }
    }

    /// One line on what happens, for `--help` and the README.
    pub fn story(self) -> &'static str {
        match self {
            ScenarioName::Calm => "a healthy shop with rollout history; nothing goes wrong",
            ScenarioName::BadDeploy => {
                "checkout-service 2.3.0 ships without DATABASE_URL: its pods run but never become Ready"
            }
            ScenarioName::OomLoop => {
                "a traffic spike drives notification-service past its 512Mi limit: OOMKilled, then CrashLoopBackOff"
            }
            ScenarioName::ReadinessFlap => {
                "api-server's readiness probe flaps as an upstream times out; then its pods deadlock and their liveness probe restarts them"
            }
            ScenarioName::ImagePull => {
                "worker 2.5.0 points at an image that does not exist: ErrImagePull, ImagePullBackOff"
            }
            ScenarioName::NodePressure => {
                "a leak outside Kubernetes fills node-3's memory: MemoryPressure, taint, evictions"
            }
            ScenarioName::Scale => {
                "--pods N pods across N/5 deployments and 20 namespaces, with steady churn"
            }
            ScenarioName::HpaMaxed => {
                "a traffic spike on api-server: CPU saturates, its HPA climbs to its maximum of 6 and stays there while requests slow down and fail"
            }
            ScenarioName::JobFail => {
                "the db-migrate Job of release 3.6.0 fails on a missing column, is retried with back-off and ends BackoffLimitExceeded"
            }
            ScenarioName::ConfigMissing => {
                "checkout-service 2.3.1 reads payment.provider from shop-config, which has no such key: CreateContainerConfigError, rollout stuck"
            }
            ScenarioName::NoEndpoints => {
                "a typo in the checkout-service selector (app: checkout): every pod Ready, the Service has no endpoints"
            }
            ScenarioName::QuotaFull => {
                "a spike on api-server; its HPA's maximum is raised to 8 and it scales there, but production-quota allows 15 pods: two replicas refused (FailedCreate: exceeded quota)"
            }
        }
    }
}

impl std::str::FromStr for ScenarioName {
    type Err = String;

    fn from_str(s: &str) -> Result<ScenarioName, String> {
        ScenarioName::ALL
            .into_iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ScenarioName::ALL.iter().map(|n| n.as_str()).collect();
                format!("unknown scenario {s:?} (known: {})", names.join(", "))
            })
    }
}

impl std::fmt::Display for ScenarioName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

mod network;

/// Who wrote the scenarios' objects: someone ran `kubectl apply` (client side).
const DEPLOYER: &str = "kubectl-client-side-apply";

mod autoscaling;
mod batch;

/// Runs `f` with a random source of its own (derived from the world's,
/// which is left as it was): objects added to the shop later in its life
/// must not change the names the rest of the story draws.
fn aside(w: &mut World, f: impl FnOnce(&mut World)) {
    let seed = w.rng.clone().next_u64();
    let main = std::mem::replace(&mut w.rng, super::rng::Rng::new(seed ^ 0xa51de));
    f(w);
    w.rng = main;
}

fn create(w: &mut World, plural: &str, group: &str, namespace: &str, obj: Value) {
    let version = if group == "autoscaling" { "v2" } else { "v1" };
    if let Some(rt) = resources::find(group, version, plural) {
        // Set-up objects are ours and valid; a failure here is a bug the tests catch.
        if let Err(e) = w.create_by(rt, namespace, obj, false, &Manager::named(DEPLOYER)) {
            debug_assert!(false, "scenario object refused: {e}");
        }
    }
}

fn node(name: &str, ip: &str, cpu: &str, memory_gi: u64, pods: u64, now: &str) -> Value {
    let mem = format!("{}Ki", memory_gi * 1024 * 1024);
    let alloc = format!("{}Ki", memory_gi * 1024 * 1024 - 500 * 1024);
    json!({
        "metadata": {"name": name, "labels": {
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "node.kubernetes.io/instance-type": "m6i.xlarge", "topology.kubernetes.io/zone": format!("eu-west-1{}", ["a", "b", "c"][(name.len() + ip.len()) % 3]),
        }},
        "spec": {"podCIDR": "10.244.0.0/24"},
        "status": {
            "capacity": {"cpu": cpu, "memory": mem, "pods": pods.to_string(), "ephemeral-storage": "104845292Ki"},
            "allocatable": {"cpu": cpu, "memory": alloc, "pods": pods.to_string(), "ephemeral-storage": "96625420948"},
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available", "lastHeartbeatTime": now, "lastTransitionTime": now},
                {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure", "lastHeartbeatTime": now, "lastTransitionTime": now},
                {"type": "PIDPressure", "status": "False", "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available", "lastHeartbeatTime": now, "lastTransitionTime": now},
                {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": now, "lastTransitionTime": now},
            ],
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "nodeInfo": {
                "machineID": format!("{:032x}", super::rng::fnv32a(name.as_bytes())), "systemUUID": format!("ec2{:029x}", super::rng::fnv32a(ip.as_bytes())),
                "bootID": "", "kernelVersion": "6.1.0-28-cloud-amd64", "osImage": "Debian GNU/Linux 12 (bookworm)",
                "containerRuntimeVersion": "containerd://1.7.24", "kubeletVersion": "v1.33.0", "kubeProxyVersion": "v1.33.0",
                "operatingSystem": "linux", "architecture": "amd64",
            },
        },
    })
}

/// A node and the Lease its kubelet renews in `kube-node-lease`.
fn add_node(w: &mut World, node: Value) {
    let name = node["metadata"]["name"].as_str().unwrap_or("").to_string();
    create(w, "nodes", "", "", node);
    let uid = w
        .store
        .get_value("nodes", "", &name)
        .map(|n| n["metadata"]["uid"].clone())
        .unwrap_or_default();
    let lease = json!({
        "metadata": {"name": name, "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": uid}]},
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": super::time::k8s_micro_time(w.now)},
    });
    if let Some(rt) = resources::find("coordination.k8s.io", "v1", "leases") {
        let _ = w.create(rt, "kube-node-lease", lease, false);
    }
}

/// A Deployment of one container with probes and resources.
#[allow(clippy::too_many_arguments)]
fn deployment(
    name: &str,
    image: &str,
    replicas: u32,
    mem_req: &str,
    mem_limit: &str,
    env: Value,
    cause: &str,
    probe: bool,
) -> Value {
    let mut container = json!({
        "name": name, "image": image,
        "ports": [{"containerPort": 8080, "name": "http"}],
        "env": env,
        "resources": {"requests": {"cpu": "100m", "memory": mem_req}, "limits": {"memory": mem_limit}},
    });
    if probe {
        container["readinessProbe"] = json!({"httpGet": {"path": "/ready", "port": 8080}, "initialDelaySeconds": 2, "periodSeconds": 5, "failureThreshold": 3});
        container["livenessProbe"] = json!({"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 10});
    }
    json!({
        "metadata": {"name": name, "labels": {"app": name, "team": "shop"}, "annotations": {"kubernetes.io/change-cause": cause}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "progressDeadlineSeconds": 120,
            "template": {"metadata": {"labels": {"app": name, "team": "shop"}}, "spec": {"containers": [container]}},
        },
    })
}

fn service(name: &str, port: u16) -> Value {
    json!({"metadata": {"name": name, "labels": {"app": name}}, "spec": {"selector": {"app": name}, "ports": [{"name": "http", "port": port, "targetPort": port}]}})
}

const REGISTRY: &str = "registry.local/shop";

fn db_env() -> Value {
    json!([
        {"name": "DATABASE_URL", "value": "postgres://checkout@postgres.production.svc:5432/shop"},
        {"name": "LOG_LEVEL", "value": "info"},
    ])
}

/// Builds the calm shop, with its history, ending at `start`.
fn shop(w: &mut World, start: Timestamp) {
    let t0 = start - secs(2 * 3600);
    w.now = t0;
    for ns in [
        "default",
        "kube-system",
        "kube-node-lease",
        "production",
        "staging",
        "monitoring",
    ] {
        create(w, "namespaces", "", "", json!({"metadata": {"name": ns}}));
    }
    let now = w.now_text();
    for (i, (name, gi)) in [("node-1", 16), ("node-2", 16), ("node-3", 8)]
        .iter()
        .enumerate()
    {
        add_node(
            w,
            node(name, &format!("10.0.1.{}", 11 + i), "4", *gi, 110, &now),
        );
    }
    for ns in ["production", "staging"] {
        let replicas = if ns == "production" { 3 } else { 1 };
        let small = if ns == "production" { 2 } else { 1 };
        let shop_env = json!([{"name": "LOG_LEVEL", "value": "info"}]);
        // (name, image, replicas, memory request, limit, env, change-cause, probes)
        let apps = [
            (
                "checkout-service",
                format!("{REGISTRY}/checkout-service:2.0.0"),
                replicas,
                "256Mi",
                "512Mi",
                db_env(),
                "deploy 2.0.0: new payment provider",
                true,
            ),
            (
                "notification-service",
                format!("{REGISTRY}/notification-service:1.8.1"),
                small,
                "256Mi",
                "512Mi",
                shop_env.clone(),
                "deploy 1.8.1",
                true,
            ),
            (
                "api-server",
                format!("{REGISTRY}/api-server:3.4.0"),
                replicas,
                "384Mi",
                "768Mi",
                shop_env.clone(),
                "deploy 3.4.0",
                true,
            ),
            (
                "worker",
                format!("{REGISTRY}/worker:2.4.0"),
                small,
                "256Mi",
                "1Gi",
                shop_env,
                "deploy 2.4.0",
                false,
            ),
            (
                "redis",
                "redis:7.2.4".to_string(),
                1,
                "64Mi",
                "256Mi",
                json!([]),
                "redis 7.2.4",
                false,
            ),
        ];
        for (name, image, n, request, limit, env, cause, probes) in apps {
            create(
                w,
                "deployments",
                "apps",
                ns,
                deployment(name, &image, n, request, limit, env, cause, probes),
            );
        }
        for (svc, port) in [
            ("checkout-service", 8080),
            ("notification-service", 8080),
            ("api-server", 8080),
            ("redis", 6379),
            ("postgres", 5432),
        ] {
            create(w, "services", "", ns, service(svc, port));
        }
        create(
            w,
            "configmaps",
            "",
            ns,
            json!({"metadata": {"name": "shop-config"}, "data": {"currency": "EUR", "feature.fast-checkout": "true"}}),
        );
        create(
            w,
            "secrets",
            "",
            ns,
            json!({"metadata": {"name": "postgres-credentials"}, "type": "Opaque", "data": {"username": "Y2hlY2tvdXQ=", "password": "czNjcjN0LXNpbS1vbmx5"}}),
        );
        create(
            w,
            "statefulsets",
            "apps",
            ns,
            json!({
                "metadata": {"name": "postgres", "labels": {"app": "postgres"}},
                "spec": {
                    "replicas": 1, "serviceName": "postgres",
                    "selector": {"matchLabels": {"app": "postgres"}},
                    "template": {"metadata": {"labels": {"app": "postgres"}}, "spec": {"containers": [{
                        "name": "postgres", "image": "postgres:16.4",
                        "env": network::postgres_env(),
                        "ports": [{"containerPort": 5432, "name": "postgres"}],
                        "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"memory": "1Gi"}},
                        "readinessProbe": {"exec": {"command": ["pg_isready", "-U", "postgres"]}, "periodSeconds": 10},
                    }]}},
                },
            }),
        );
    }
    let mut node_agent = json!({
        "metadata": {"name": "node-agent", "labels": {"app": "node-agent"}},
        "spec": {
            "selector": {"matchLabels": {"app": "node-agent"}},
            "template": {"metadata": {"labels": {"app": "node-agent"}}, "spec": {"containers": [{
                "name": "node-agent", "image": "registry.local/ops/node-agent:0.9.3",
                "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
            }]}},
        },
    });
    network::node_agent_config(&mut node_agent["spec"]["template"]["spec"]);
    create(w, "daemonsets", "apps", "monitoring", node_agent);
    create(
        w,
        "deployments",
        "apps",
        "monitoring",
        deployment(
            "alertmanager",
            "prom/alertmanager:v0.27.0",
            1,
            "64Mi",
            "256Mi",
            json!([]),
            "alertmanager 0.27.0",
            false,
        ),
    );

    // Added beside the shop with a random source of their own, so that the
    // names and uids of everything else stay what they were.
    aside(w, |w| batch::add_backup(w, start));
    w.story.at(t0 + secs(300), autoscaling::add_hpas());
    addons::install(w);
    network::add_to_shop(w);

    // Two hours of ordinary releases, so the history pane has something to show.
    let history = [
        (
            20 * 60,
            "checkout-service",
            "2.1.0",
            "deploy 2.1.0: faster cart totals",
        ),
        (
            35 * 60,
            "api-server",
            "3.5.0",
            "deploy 3.5.0: pagination for /v1/items",
        ),
        (
            50 * 60,
            "notification-service",
            "1.8.2",
            "deploy 1.8.2: retry SMTP timeouts",
        ),
        (
            70 * 60,
            "checkout-service",
            "2.2.0",
            "deploy 2.2.0: coupon codes",
        ),
        (
            95 * 60,
            "api-server",
            "3.5.1",
            "deploy 3.5.1: fix N+1 query",
        ),
    ];
    for (at, name, version, cause) in history {
        for ns in ["production", "staging"] {
            w.story.at(
                t0 + secs(at),
                Step::Deploy {
                    namespace: ns.into(),
                    name: name.into(),
                    image: format!("{REGISTRY}/{name}:{version}"),
                    drop_env: None,
                    cause: cause.into(),
                },
            );
        }
    }
}

/// Builds the starting cluster for `name`, from the world's clock on.
/// Returns when the scenario starts: the clock must be played up to then in
/// one-second steps (the shop's two hours of history, the scale scenario's
/// pods coming up) before [`schedule`].
pub fn build(w: &mut World, name: ScenarioName, pods: usize) -> Timestamp {
    if name == ScenarioName::Scale {
        return scale(w, pods);
    }
    let start = w.now;
    shop(w, start);
    start
}

/// Schedules the incident of `name`, from now (the scenario's start).
pub fn schedule(w: &mut World, name: ScenarioName) {
    let start = w.now;
    let t = |s: i64| start + secs(s);
    match name {
        ScenarioName::BadDeploy => w.story.at(
            t(20),
            Step::Deploy {
                namespace: "production".into(),
                name: "checkout-service".into(),
                image: format!("{REGISTRY}/checkout-service:2.3.0"),
                drop_env: Some("DATABASE_URL".into()),
                cause: "deploy 2.3.0: read config from env (SHOP-4521)".into(),
            },
        ),
        ScenarioName::OomLoop => w.story.at(
            t(10),
            Step::Load {
                namespace: "production".into(),
                app: "notification-service".into(),
                growth: 240.0,
            },
        ),
        ScenarioName::ReadinessFlap => w.story.at(
            t(15),
            Step::Flap {
                app: "api-server".into(),
            },
        ),
        ScenarioName::ImagePull => {
            let image = format!("{REGISTRY}/worker:2.5.0");
            w.story.missing_images.push(image.clone());
            w.story.at(
                t(20),
                Step::Deploy {
                    namespace: "production".into(),
                    name: "worker".into(),
                    image,
                    drop_env: None,
                    cause: "deploy 2.5.0: new report format".into(),
                },
            );
        }
        ScenarioName::NodePressure => w.story.at(
            t(15),
            Step::NodeLeak {
                node: "node-3".into(),
                initial_mib: 5000.0,
                mib_per_min: 900.0,
                max_mib: 7000.0,
            },
        ),
        ScenarioName::HpaMaxed => w.story.at(t(10), autoscaling::spike()),
        ScenarioName::JobFail => w.story.at(t(15), batch::migration()),
        ScenarioName::ConfigMissing => network::config_missing(w, t(20)),
        ScenarioName::NoEndpoints => network::no_endpoints(w, t(20)),
        ScenarioName::QuotaFull => network::quota_full(w, t(15)),
        ScenarioName::Calm | ScenarioName::Scale => {}
    }
}

/// `--scenario scale`: many small deployments across 20 namespaces, enough
/// nodes to hold them, and churn. Returns when the scenario starts.
fn scale(w: &mut World, pods: usize) -> Timestamp {
    w.story.scale = true;
    let pods = pods.max(5);
    let deployments = pods.div_ceil(5);
    let nodes = pods.div_ceil(100).max(3);
    let now = w.now_text();
    create(
        w,
        "namespaces",
        "",
        "",
        json!({"metadata": {"name": "kube-node-lease"}}),
    );
    for n in 0..nodes {
        let name = format!("node-{:03}", n + 1);
        add_node(
            w,
            node(
                &name,
                &format!("10.1.{}.{}", n / 250, n % 250 + 1),
                "64",
                256,
                110,
                &now,
            ),
        );
    }
    for ns in 0..20 {
        create(
            w,
            "namespaces",
            "",
            "",
            json!({"metadata": {"name": format!("team-{:02}", ns + 1)}}),
        );
    }
    for d in 0..deployments {
        let replicas = 5.min(pods - d * 5) as u32;
        let ns = format!("team-{:02}", d % 20 + 1);
        let name = format!("svc-{d:04}");
        let mut dep = deployment(
            &name,
            &format!("{REGISTRY}/api-server:3.5.1"),
            replicas,
            "64Mi",
            "512Mi",
            json!([]),
            "initial",
            false,
        );
        dep["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"] =
            json!("10m");
        create(w, "deployments", "apps", &ns, dep);
    }
    w.story.churn_per_sec = 10.0;
    // Let the pods come up before anyone looks.
    w.now + secs(8)
}

/// Plays due steps and the churn. Called at every clock step.
pub fn tick(w: &mut World, step: SignedDuration) {
    while w.story.script.last().is_some_and(|(t, _)| *t <= w.now) {
        let Some((_, s)) = w.story.script.pop() else {
            break;
        };
        play(w, s);
    }
    if w.story.churn_per_sec > 0.0 {
        w.story.churn_owed += w.story.churn_per_sec * step.as_secs_f64();
        let n = w.story.churn_owed.floor() as usize;
        w.story.churn_owed -= n as f64;
        churn(w, n);
    }
}

fn play(w: &mut World, step: Step) {
    match step {
        Step::Deploy {
            namespace,
            name,
            image,
            drop_env,
            cause,
        } => {
            let Some(mut d) = w.store.get_value("deployments", &namespace, &name) else {
                return;
            };
            // Someone may have rewritten the deployment by hand: change only
            // what is still shaped as expected.
            if let Some(a) = d
                .pointer_mut("/metadata/annotations")
                .and_then(Value::as_object_mut)
            {
                a.insert("kubernetes.io/change-cause".into(), json!(cause));
            }
            let Some(c) = d
                .pointer_mut("/spec/template/spec/containers/0")
                .filter(|c| c.is_object())
            else {
                return;
            };
            c["image"] = json!(image);
            if let Some(var) = drop_env
                && let Some(env) = c.get_mut("env").and_then(Value::as_array_mut)
            {
                env.retain(|e| e["name"] != var.as_str());
            }
            if let Some(rt) = resources::find("apps", "v1", "deployments") {
                let by = Manager::named(DEPLOYER);
                let _ = w.replace_by(rt, &namespace, &name, d, Part::Main, false, &by);
            }
        }
        Step::Load {
            namespace,
            app,
            growth,
        } => {
            w.story.growth.push((namespace, app, growth));
            w.story.version += 1;
        }
        Step::Create {
            group,
            plural,
            namespace,
            object,
        } => aside(w, |w| create(w, plural, group, &namespace, object)),
        Step::CreateAll(objects) => aside(w, |w| {
            for (group, plural, namespace, object) in objects {
                create(w, plural, group, &namespace, object);
            }
        }),
        Step::Traffic {
            namespace,
            app,
            cpu_millis,
        } => {
            let now = w.now;
            w.story.cpu_load.push((namespace, app, cpu_millis, now));
            w.story.version += 1;
        }
        Step::Flap { app } => {
            let now = w.now;
            w.story.hanging.push((app.clone(), now));
            w.story.flapping.push(app);
            w.story.version += 1;
        }
        Step::NodeLeak {
            node,
            initial_mib,
            mib_per_min,
            max_mib,
        } => {
            let now = w.now;
            w.story
                .node_leaks
                .push((node, now, initial_mib, mib_per_min, max_mib));
            w.story.version += 1;
        }
        Step::Edit {
            storage,
            namespace,
            name,
            manager,
            subresource,
            patch,
        } => network::edit_now(w, storage, &namespace, &name, manager, subresource, &patch),
    }
}

/// Deletes `n` random running pods (their ReplicaSets replace them).
fn churn(w: &mut World, n: usize) {
    if n == 0 {
        return;
    }
    let total = w.store.count("pods");
    if total == 0 {
        return;
    }
    let Some(rt) = resources::find("", "v1", "pods") else {
        return;
    };
    let all = w.store.list("pods", None, None).items;
    for _ in 0..n {
        let i = w.rng.below(total as u64) as usize;
        if let Some(p) = all.get(i)
            && !p.json.contains("\"deletionTimestamp\"")
        {
            let _ = w.delete(
                rt,
                &p.namespace.clone(),
                &p.name.clone(),
                &super::world::DeleteOptions::default(),
            );
        }
    }
}

#[cfg(test)]
mod tests;
