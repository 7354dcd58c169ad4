use super::{ApiKind, Unresolved, completions, resolve};

fn kind(group: &str, plural: &str, kind: &str, short: &[&str]) -> ApiKind {
    ApiKind {
        group: group.into(),
        version: "v1".into(),
        plural: plural.into(),
        singular: kind.to_lowercase(),
        kind: kind.into(),
        namespaced: true,
        short_names: short.iter().map(|s| s.to_string()).collect(),
        verbs: ["get", "list", "watch"].map(String::from).to_vec(),
    }
}

fn served() -> Vec<ApiKind> {
    let mut bindings = kind("", "bindings", "Binding", &[]);
    bindings.verbs = vec!["create".into()];
    vec![
        kind("", "services", "Service", &["svc"]),
        kind("", "events", "Event", &["ev"]),
        bindings,
        kind("events.k8s.io", "events", "Event", &["ev"]),
        kind(
            "autoscaling",
            "horizontalpodautoscalers",
            "HorizontalPodAutoscaler",
            &["hpa"],
        ),
        kind(
            "cert-manager.io",
            "certificates",
            "Certificate",
            &["cert", "certs"],
        ),
    ]
}

#[test]
fn words_resolve_as_kubectl_resolves_them() {
    let kinds = served();
    for (word, want) in [
        ("svc", "services"),
        ("service", "services"),
        ("Services", "services"),
        ("hpa", "horizontalpodautoscalers.autoscaling"),
        (
            "HorizontalPodAutoscaler",
            "horizontalpodautoscalers.autoscaling",
        ),
        ("certs", "certificates.cert-manager.io"),
        (
            "certificates.cert-manager.io",
            "certificates.cert-manager.io",
        ),
        (
            "certificate.v1.cert-manager.io",
            "certificates.cert-manager.io",
        ),
        // Core first, as kubectl does.
        ("ev", "events"),
        ("events.events.k8s.io", "events.events.k8s.io"),
    ] {
        assert_eq!(
            resolve(&kinds, word).map(|k| k.qualified()),
            Ok(want.into()),
            "{word}"
        );
    }
}

#[test]
fn unknown_and_unlistable_words_say_why() {
    let kinds = served();
    assert_eq!(
        resolve(&kinds, "servics"),
        Err(Unresolved::Unknown {
            near: vec!["services".into()]
        })
    );
    assert_eq!(
        resolve(&kinds, "bindings"),
        Err(Unresolved::NotListable("bindings".into()))
    );
    assert!(
        matches!(resolve(&kinds, "zzzzzzzzz"), Err(Unresolved::Unknown { near }) if near.is_empty())
    );
}

#[test]
fn completion_qualifies_plurals_two_groups_share() {
    assert_eq!(
        completions(&served()),
        vec![
            "certificates",
            "events",
            "events.events.k8s.io",
            "horizontalpodautoscalers",
            "services"
        ]
    );
}
