//! The post-mortem export of a fixed incident, compared with files checked
//! in under `tests/golden/`: what an engineer pastes into the post-mortem
//! document must not change by accident. A change that is meant is made by
//! editing the golden file in the same commit (the test writes what it got
//! next to the temp dir and names it, to diff against).

use jiff::Timestamp;
use warroom::timeline::export::{json, markdown};
use warroom::timeline::{Entry, EntryKind, IncidentMeta, ObjectRef};

fn at(time: &str) -> Timestamp {
    // The incident is on 2026-11-22 in Europe/Berlin (UTC+1 in November).
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_string()
    };
    format!("2026-11-22T{time}+01:00").parse().unwrap()
}

fn incident() -> (IncidentMeta, Vec<Entry>) {
    let meta = IncidentMeta {
        id: "2026-11-22-1405-checkout-not-ready".into(),
        title: "Checkout pods Running but not Ready after deploy".into(),
        severity: "SEV2".into(),
        started_at: at("14:05:20"),
        // The warning back-filled from what changed: 7 minutes earlier.
        began_at: Some(at("13:58:04")),
        began_from: Some(
            "the first problem recorded: Readiness probe failed: HTTP probe failed with statuscode: 503".into(),
        ),
        context: "prod-eu".into(),
        namespace: Some("production".into()),
        created_by: "alice".into(),
        time_zone: "Europe/Berlin".into(),
    };
    let pod = ObjectRef::new("Pod", Some("production"), "checkout-7d8f9c-x2k4q");
    let deploy = ObjectRef::new("Deployment", Some("production"), "checkout-service");
    let not_ready = |t: &str| {
        Entry::new(
            at(t),
            EntryKind::PodTransition,
            "production/checkout-7d8f9c-x2k4q: Running but not Ready (0/1)",
        )
        .with_object(pod.clone())
    };
    let entries = vec![
        Entry::new(at("14:05:20"), EntryKind::IncidentStarted, "Checkout pods not ready")
            .with_actor("alice"),
        // From the recent-history ring: it happened before anyone looked.
        Entry::new(
            at("13:58:04"),
            EntryKind::Warning,
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
        )
        .with_object(pod.clone())
        .mark_backfilled(),
        // The pod flaps: the same transition three times, two of them
        // before the incident was declared; one line in the post-mortem.
        not_ready("13:58:30").mark_backfilled(),
        not_ready("14:01:45").mark_backfilled(),
        not_ready("14:07:05"),
        Entry::new(
            at("14:06:42"),
            EntryKind::AlertFired,
            "KubePodNotReady: Pod production/checkout-7d8f9c-x2k4q has been in a non-ready state for longer than 15 minutes",
        )
        .with_severity("warning")
        .with_actor("Alertmanager prod")
        .with_object(pod.clone()),
        Entry::new(
            at("14:08"),
            EntryKind::Note,
            "Payment callbacks fail; the webhook log shows the token in the URL",
        )
        .with_actor("alice")
        .with_body(
            "GET https://payments.example.com/hook?token=tok_live_51HxQ2&order=9921 -> 503\n\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.Xk1c2t9mL0z-8vQ\ncheckout config: DATABASE_URL=postgres://checkout:Sup3rS3cret@db.internal:5432/shop",
        ),
        Entry::new(at("14:10"), EntryKind::Note, "The node pool is out of memory")
            .with_actor("bob"),
        Entry::new(at("14:11"), EntryKind::Rollout, "Deployment production/checkout-service at revision 5 (image checkout:1.8.0), 0 of 3 pods ready"),
        Entry::new(at("14:12"), EntryKind::Note, "Revision 5 turned on the new readiness path /healthz/deep")
            .with_actor("bob"),
        // 11: bob takes back his guess (entry 8).
        Entry::strike(at("14:13"), 8, "it was the readiness probe, not memory").with_actor("bob"),
        Entry::new(at("14:14"), EntryKind::Mark, ""),
        Entry::new(
            at("14:15"),
            EntryKind::Action,
            "Roll back Deployment production/checkout-service from revision 5 to the pod template of revision 4",
        )
        .with_actor("alice")
        .with_object(deploy.clone())
        .with_command(
            "kubectl rollout undo deployment/checkout-service --to-revision=4 -n production",
        )
        .with_result("deployment.apps/checkout-service rolled back"),
        Entry::new(
            at("14:16"),
            EntryKind::Action,
            "Create secret production/payments-webhook",
        )
        .with_actor("alice")
        .with_command("kubectl create secret generic payments-webhook --from-literal=token=whsec_9bd1 -n production")
        .with_result("failed: forbidden (403): secrets is forbidden"),
        Entry::new(at("14:19"), EntryKind::PodTransition, "checkout-6b5d4f-q9w8e Ready")
            .with_object(ObjectRef::new("Pod", Some("production"), "checkout-6b5d4f-q9w8e")),
        Entry::new(at("14:21"), EntryKind::AlertResolved, "KubePodNotReady")
            .with_severity("warning")
            .with_actor("Alertmanager prod")
            .with_object(pod),
        Entry::new(at("14:24"), EntryKind::Scale, "Deployment production/checkout-service scaled from 3 to 5")
            .with_object(deploy),
        // 18: bob makes entry 10 say what it should have said.
        Entry::correct(
            at("14:26"),
            10,
            "Revision 5 pointed the readiness probe at /healthz/deep, which needs the payments API",
        )
        .with_actor("bob"),
        // Nothing fired any more when it was ended: resolved.
        Entry::ended(at("14:30:15"), "Checkout healthy for 10 minutes", Vec::new())
            .with_actor("alice"),
    ];
    // Numbered as the journal would: in the order they were appended.
    let numbered = entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| Entry {
            seq: i as u64 + 1,
            ..e
        })
        .collect();
    (meta, numbered)
}

fn compare(name: &str, got: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got != want {
        let actual = std::env::temp_dir().join(format!("warroom-golden-{name}"));
        std::fs::write(&actual, got).expect("the actual output can be written");
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(g, w)| g != w)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "{name} differs from {} at line {}: got {:?}, want {:?}\n\
             (the whole output is in {}: diff it, and if the change is meant, copy it over)",
            path.display(),
            first + 1,
            got.lines().nth(first),
            want.lines().nth(first),
            actual.display()
        );
    }
}

#[test]
fn markdown_matches_the_golden_post_mortem() {
    let (meta, entries) = incident();
    compare("incident.md", &markdown(&meta, &entries));
}

#[test]
fn json_matches_the_golden_file() {
    let (meta, entries) = incident();
    compare("incident.json", &json(&meta, &entries));
}

#[test]
fn no_secret_survives_either_export() {
    let (meta, entries) = incident();
    for out in [markdown(&meta, &entries), json(&meta, &entries)] {
        for secret in [
            "tok_live_51HxQ2",
            "Sup3rS3cret",
            "eyJhbGciOiJIUzI1NiJ9",
            "Xk1c2t9mL0z",
            "whsec_9bd1",
        ] {
            assert!(!out.contains(secret), "{secret} leaked:\n{out}");
        }
        assert!(out.contains("REDACTED"));
    }
}
