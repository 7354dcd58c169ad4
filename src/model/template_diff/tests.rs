//! Template diffs as the history pane and the rollback confirmation show
//! them: the bad deploy, reorderings that are no change, secrets that never
//! show, and any JSON at all without a panic.

use serde_json::{Value, json};

use super::render::text;
use super::*;

const DB_URL: &str = "postgres://checkout:s3cr3t@postgres.production.svc:5432/shop";

/// The checkout-service template as the sim's scenario writes it.
fn checkout(version: &str, env: Value) -> Value {
    json!({
        "metadata": {"labels": {"app": "checkout-service", "team": "shop"}},
        "spec": {"containers": [{
            "name": "checkout-service",
            "image": format!("registry.local/shop/checkout-service:{version}"),
            "ports": [{"containerPort": 8080, "name": "http"}],
            "env": env,
            "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 5},
        }]}
    })
}

fn db_env() -> Value {
    json!([{"name": "DATABASE_URL", "value": DB_URL}, {"name": "LOG_LEVEL", "value": "info"}])
}

fn shown(d: &TemplateDiff) -> String {
    d.lines
        .iter()
        .map(|l| match l {
            DiffLine::Hunk(h) => h.clone(),
            DiffLine::Context(c) => format!(" {c}"),
            DiffLine::Added(a) => format!("+{a}"),
            DiffLine::Removed(r) => format!("-{r}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_bad_deploy_reads_as_a_new_image_without_database_url() {
    let from = checkout("2.2.0", db_env());
    let to = checkout("2.3.0", json!([{"name": "LOG_LEVEL", "value": "info"}]));
    let d = diff(&from, &to);
    assert_eq!(
        d.summary,
        [
            "image checkout-service: 2.2.0 → 2.3.0",
            "env DATABASE_URL removed from checkout-service"
        ]
    );
    assert_eq!(DB_URL.len(), 60);
    assert_eq!(
        shown(&d),
        "\
@@ -6,11 +6,9 @@
   containers:
     - name: checkout-service
       env:
-        - name: DATABASE_URL
-          value: (hidden, 60 chars)
         - name: LOG_LEVEL
           value: (hidden, 4 chars)
-      image: registry.local/shop/checkout-service:2.2.0
+      image: registry.local/shop/checkout-service:2.3.0
       ports:
         - name: http
           containerPort: 8080"
    );
    // Rolling back reads the other way round.
    let back = diff(&to, &from);
    assert_eq!(
        back.summary,
        [
            "image checkout-service: 2.3.0 → 2.2.0",
            "env DATABASE_URL added to checkout-service"
        ]
    );
}

#[test]
fn env_values_never_show_but_their_changes_do() {
    let from = checkout("2.2.0", db_env());
    let mut to = from.clone();
    to["spec"]["containers"][0]["env"][0]["value"] = json!(DB_URL.replace("s3cr3t", "hunter2"));
    to["spec"]["containers"][0]["env"][1]["value"] = json!("debug");
    let d = diff(&from, &to);
    assert_eq!(
        d.summary,
        [
            "env DATABASE_URL changed in checkout-service",
            "env LOG_LEVEL changed in checkout-service"
        ]
    );
    let text = shown(&d);
    for secret in ["s3cr3t", "hunter2", "postgres://", "info", "debug"] {
        assert!(!text.contains(secret), "{secret} shows in\n{text}");
    }
    assert!(
        text.contains("-          value: (hidden, 60 chars, before)"),
        "{text}"
    );
    assert!(
        text.contains("+          value: (hidden, 61 chars, after)"),
        "{text}"
    );
    assert!(
        text.contains("-          value: (hidden, 4 chars, before)"),
        "{text}"
    );
    assert!(
        text.contains("+          value: (hidden, 5 chars, after)"),
        "{text}"
    );

    // A whole template shown alone hides them too; references show.
    let mut alone = checkout("2.2.0", db_env());
    alone["spec"]["containers"][0]["env"][1] = json!({"name": "TOKEN",
        "valueFrom": {"secretKeyRef": {"name": "api", "key": "token"}}});
    alone["spec"]["containers"][0]["env"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "EMPTY", "value": ""}));
    let lines = render_template(&alone).join("\n");
    assert!(!lines.contains("s3cr3t"), "{lines}");
    assert!(lines.contains("value: (hidden, 60 chars)\n"), "{lines}");
    assert!(lines.contains("value: \"\""), "{lines}");
    assert!(lines.contains("name: api"), "{lines}");
}

#[test]
fn order_is_no_change() {
    let from = checkout("2.2.0", db_env());
    let mut to = checkout(
        "2.2.0",
        json!([{"value": "info", "name": "LOG_LEVEL"}, {"name": "DATABASE_URL", "value": DB_URL}]),
    );
    assert_eq!(diff(&from, &to), TemplateDiff::default());
    // Containers in another order are the same pod.
    let sidecar = json!({"name": "envoy", "image": "envoy:1.30"});
    let mut with_sidecar = from.clone();
    with_sidecar["spec"]["containers"]
        .as_array_mut()
        .unwrap()
        .push(sidecar.clone());
    to["spec"]["containers"]
        .as_array_mut()
        .unwrap()
        .insert(0, sidecar);
    assert!(diff(&with_sidecar, &to).is_empty());
    assert!(diff(&from, &from).is_empty());
    assert!(diff(&Value::Null, &Value::Null).is_empty());
}

#[test]
fn init_container_order_is_a_change() {
    let init = |names: &[&str]| {
        let list: Vec<Value> = names
            .iter()
            .map(|n| json!({"name": n, "image": "busybox"}))
            .collect();
        json!({"spec": {"initContainers": list, "containers": [{"name": "app", "image": "app:1"}]}})
    };
    let d = diff(
        &init(&["migrate", "warm-cache"]),
        &init(&["warm-cache", "migrate"]),
    );
    assert_eq!(d.summary, ["init containers reordered"]);
    assert!(!d.lines.is_empty());
    let d = diff(&init(&["migrate"]), &init(&["migrate", "warm-cache"]));
    assert_eq!(d.summary, ["init container warm-cache added"]);
}

#[test]
fn every_kind_of_change_is_named_most_important_first() {
    let from = checkout("2.2.0", db_env());
    let mut to = from.clone();
    let c = &mut to["spec"]["containers"][0];
    c["image"] = json!("ghcr.io/other/checkout:2.2.0");
    c["resources"]["limits"]["memory"] = json!("1Gi");
    c["resources"]["limits"]["cpu"] = json!("2");
    c["resources"]["requests"] = json!({"memory": "256Mi"});
    c["readinessProbe"]["periodSeconds"] = json!(10);
    c["livenessProbe"] = json!({"tcpSocket": {"port": 8080}});
    c["args"] = json!(["--token=abc"]);
    c["ports"] = json!([{"containerPort": 9090, "name": "http"}]);
    c["env"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "FEATURE", "value": "on"}));
    to["spec"]["containers"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "envoy", "image": "envoy:1.30"}));
    to["spec"]["nodeSelector"] = json!({"pool": "fast"});
    to["metadata"]["labels"]["team"] = json!("payments");
    to["metadata"]["labels"]["tier"] = json!("web");
    to["metadata"]["annotations"] = json!({
        "kubectl.kubernetes.io/restartedAt": "2026-03-02T09:10:00Z",
        "prometheus.io/scrape": "true"});
    let d = diff(&from, &to);
    assert_eq!(
        d.summary,
        [
            "image checkout-service: registry.local/shop/checkout-service:2.2.0 → ghcr.io/other/checkout:2.2.0",
            "container envoy added",
            "env FEATURE added to checkout-service",
            "args changed in checkout-service",
            "cpu request checkout-service: 100m → (none)",
            "cpu limit checkout-service: (none) → 2",
            "memory limit checkout-service: 512Mi → 1Gi",
            "readiness probe changed in checkout-service",
            "liveness probe added to checkout-service",
            "ports changed in checkout-service",
            "restarted (restartedAt annotation)",
            "nodeSelector changed",
            "label team changed",
            "label tier added",
            "annotation prometheus.io/scrape added",
        ]
    );
    let text = shown(&d);
    assert!(
        text.contains("+      args:\n+        - --token=abc"),
        "{text}"
    );
    assert!(
        text.contains("+    kubectl.kubernetes.io/restartedAt: \"2026-03-02T09:10:00Z\"")
            || text.contains("+    kubectl.kubernetes.io/restartedAt: 2026-03-02T09:10:00Z"),
        "{text}"
    );

    // The way back: removals.
    let back = diff(&to, &from);
    assert!(
        back.summary
            .contains(&"container envoy removed".to_string())
    );
    assert!(
        back.summary
            .contains(&"liveness probe removed from checkout-service".to_string())
    );
    assert!(
        back.summary
            .contains(&"annotation kubectl.kubernetes.io/restartedAt removed".to_string())
    );
}

#[test]
fn hunks_keep_three_lines_of_context_and_split_far_changes() {
    let lines = |n: usize| (1..=n).map(|i| format!("l{i}")).collect::<Vec<_>>();
    let a = lines(20);
    let mut b = a.clone();
    b[9] = "ten".into();
    let d = lines::unified(&a, &b, 3);
    assert_eq!(d[0], DiffLine::Hunk("@@ -7,7 +7,7 @@".into()));
    assert_eq!(d[4], DiffLine::Removed("l10".into()));
    assert_eq!(d[5], DiffLine::Added("ten".into()));
    assert_eq!(d.len(), 9);

    // Changes at 2 and 19: two hunks; at 2 and 8 (six apart): one.
    let mut far = a.clone();
    far[1] = "two".into();
    far[18] = "nineteen".into();
    let hunks: Vec<_> = lines::unified(&a, &far, 3)
        .into_iter()
        .filter(|l| matches!(l, DiffLine::Hunk(_)))
        .collect();
    assert_eq!(
        hunks,
        [
            DiffLine::Hunk("@@ -1,5 +1,5 @@".into()),
            DiffLine::Hunk("@@ -16,5 +16,5 @@".into())
        ]
    );
    let mut near = a.clone();
    near[1] = "two".into();
    near[8] = "nine".into();
    let near = lines::unified(&a, &near, 3);
    assert_eq!(near[0], DiffLine::Hunk("@@ -1,12 +1,12 @@".into()));

    // From nothing, to nothing, and an insertion at the end.
    assert_eq!(
        lines::unified(&[], &lines(2), 3)[0],
        DiffLine::Hunk("@@ -0,0 +1,2 @@".into())
    );
    assert_eq!(
        lines::unified(&lines(2), &[], 3)[0],
        DiffLine::Hunk("@@ -1,2 +0,0 @@".into())
    );
    assert_eq!(
        lines::unified(&lines(5), &lines(6), 3)[0],
        DiffLine::Hunk("@@ -3,3 +3,4 @@".into())
    );
    assert!(lines::unified(&a, &a, 3).is_empty());
}

#[test]
fn strings_are_plain_unless_plain_would_mislead() {
    for (s, want) in [
        ("checkout", "checkout"),
        (
            "registry.local/shop/checkout-service:2.3.0",
            "registry.local/shop/checkout-service:2.3.0",
        ),
        ("", "\"\""),
        ("true", "\"true\""),
        ("No", "\"No\""),
        ("8080", "\"8080\""),
        ("1e3", "\"1e3\""),
        (" padded", "\" padded\""),
        ("a: b", "\"a: b\""),
        ("- x", "\"- x\""),
        ("-U", "-U"),
        ("#comment", "\"#comment\""),
        ("line\nbreak", "\"line\\nbreak\""),
        ("\u{1b}[2J", "\"\\u001b[2J\""),
        ("rtl\u{202e}txt", "\"rtl\\u{202e}txt\""),
    ] {
        assert_eq!(text(s), want, "{s:?}");
    }
}

/// A seeded xorshift generator: the same values on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.below(1_000_000) as f64) < p * 1_000_000.0
    }
}

/// A random JSON value of bounded size.
fn random_value(rng: &mut Rng, depth: u32) -> Value {
    let keys = [
        "name",
        "spec",
        "metadata",
        "containers",
        "env",
        "image",
        "value",
        "labels",
        "x",
    ];
    match rng.below(if depth == 0 { 5 } else { 8 }) {
        0 => Value::Null,
        1 => json!(rng.chance(0.5)),
        2 => json!(rng.below(1000) as f64 / 7.0 - 50.0),
        3 => json!(
            ["", "a: b", "true", "\u{1b}]52;c;x\u{7}", "checkout", "é"][rng.below(6) as usize]
        ),
        4 => json!(rng.below(10)),
        5 | 6 => {
            let mut m = serde_json::Map::new();
            for _ in 0..rng.below(5) {
                let k = keys[rng.below(keys.len() as u64) as usize];
                m.insert(k.into(), random_value(rng, depth - 1));
            }
            Value::Object(m)
        }
        _ => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
    }
}

#[test]
fn any_json_is_diffed_without_a_panic() {
    let fixed = [
        Value::Null,
        json!(0),
        json!("template"),
        json!([]),
        json!([[1, [2, [3]]], {"name": null}, null]),
        json!({}),
        json!({"spec": null, "metadata": 7}),
        json!({"spec": {"containers": "none", "initContainers": [1, "x", null]}}),
        json!({"spec": {"containers": [{"name": 3, "env": {"name": "X"}}, {"env": [{"value": 1}]}]}}),
        json!({"spec": {"containers": [{"name": "a", "env": [{"name": "X", "value": ["secret"]}],
               "resources": {"limits": "lots", "requests": {"memory": 5}}, "image": 4}]}}),
        json!({"metadata": {"labels": [1], "annotations": {"kubectl.kubernetes.io/restartedAt": null}}}),
        checkout("2.2.0", db_env()),
    ];
    for a in &fixed {
        for b in &fixed {
            let d = diff(a, b);
            assert_eq!(
                d.is_empty(),
                a == b || render::render(a) == render::render(b),
                "{a} vs {b}"
            );
            assert_eq!(d.summary.is_empty(), d.lines.is_empty(), "{a} vs {b}");
        }
    }
    let mut deep = json!("bottom");
    for _ in 0..200 {
        deep = json!({"x": [deep]});
    }
    let mut other = deep.clone();
    other["y"] = json!(1);
    assert!(!diff(&deep, &other).lines.is_empty());
    assert!(diff(&deep, &deep).is_empty());

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let a = random_value(&mut rng, 5);
        let b = random_value(&mut rng, 5);
        let d = diff(&a, &b);
        assert_eq!(d.summary.is_empty(), d.lines.is_empty(), "{a} vs {b}");
        assert!(diff(&a, &a).is_empty());
    }
}

#[test]
fn big_templates_diff_line_by_line() {
    // 3,000 lines changed on each side: every old line removed, then
    // every new one added, as one valid hunk.
    let a: Vec<String> = (0..3000).map(|i| format!("a{i}")).collect();
    let b: Vec<String> = (0..3000).map(|i| format!("b{i}")).collect();
    let d = lines::unified(&a, &b, 3);
    assert_eq!(d[0], DiffLine::Hunk("@@ -1,3000 +1,3000 @@".into()));
    assert_eq!(d.len(), 6001);
    assert_eq!(d[1], DiffLine::Removed("a0".into()));
    assert_eq!(d[3001], DiffLine::Added("b0".into()));

    // 5,000 lines with a change near each end: two small hunks. (The
    // hand-written diff before `similar` gave up past 4 million table
    // cells and showed the whole middle as removed, then added.)
    let mut far = a.clone();
    far.extend((0..2000).map(|i| format!("c{i}")));
    let mut near_ends = far.clone();
    near_ends[10] = "ten".into();
    near_ends[4990] = "almost the end".into();
    let d = lines::unified(&far, &near_ends, 3);
    let hunks: Vec<_> = d
        .iter()
        .filter(|l| matches!(l, DiffLine::Hunk(_)))
        .collect();
    assert_eq!(
        hunks,
        [
            &DiffLine::Hunk("@@ -8,7 +8,7 @@".into()),
            &DiffLine::Hunk("@@ -4988,7 +4988,7 @@".into())
        ]
    );
    assert_eq!(d.len(), 2 * 9);
    assert!(d.contains(&DiffLine::Removed("c1990".into())));
    assert!(d.contains(&DiffLine::Added("almost the end".into())));
}
