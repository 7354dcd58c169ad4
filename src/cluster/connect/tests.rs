//! kubeconfig, context and namespace resolution, on temporary files.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::*;

const TWO_CONTEXTS: &str = "\
apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod-cluster
  cluster:
    server: https://prod.example:6443
- name: staging-cluster
  cluster:
    server: https://staging.example:6443
contexts:
- name: prod
  context:
    cluster: prod-cluster
    user: alice
    namespace: shop
- name: staging
  context:
    cluster: staging-cluster
    user: alice
users:
- name: alice
  user:
    token: t0k3n
";

const SECOND_FILE: &str = "\
apiVersion: v1
kind: Config
current-context: lab
clusters:
- name: lab-cluster
  cluster:
    server: http://127.0.0.1:9
- name: prod-cluster
  cluster:
    server: https://shadowed.example
contexts:
- name: lab
  context:
    cluster: lab-cluster
    namespace: experiments
users: []
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file written");
    path
}

fn load_one(path: &Path) -> LoadedKubeconfig {
    load_kubeconfig(Some(path), None, None).expect("kubeconfig loads")
}

#[test]
fn current_context_and_its_namespace_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "config", TWO_CONTEXTS);
    let r = resolve(&load_one(&path), &ConnectOptions::default()).expect("resolves");
    assert_eq!(r.connection.context, "prod");
    assert_eq!(r.connection.cluster, "prod-cluster");
    assert_eq!(r.connection.user, "alice");
    assert_eq!(r.connection.server, "https://prod.example:6443");
    assert_eq!(r.connection.contexts, vec!["prod", "staging"]);
    assert_eq!(r.namespace.as_deref(), Some("shop"));
}

#[test]
fn flags_override_context_and_namespace_and_all_namespaces_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load_one(&write(dir.path(), "config", TWO_CONTEXTS));
    let staging = ConnectOptions {
        context: Some("staging".into()),
        ..ConnectOptions::default()
    };
    let r = resolve(&loaded, &staging).expect("resolves");
    assert_eq!(r.connection.server, "https://staging.example:6443");
    assert_eq!(
        r.namespace.as_deref(),
        Some("default"),
        "no namespace in the context: default"
    );
    let flagged = ConnectOptions {
        namespace: Some("payments".into()),
        ..ConnectOptions::default()
    };
    assert_eq!(
        resolve(&loaded, &flagged)
            .expect("resolves")
            .namespace
            .as_deref(),
        Some("payments")
    );
    let all = ConnectOptions {
        namespace: Some("payments".into()),
        all_namespaces: true,
        ..ConnectOptions::default()
    };
    assert_eq!(resolve(&loaded, &all).expect("resolves").namespace, None);
    let switched = flagged.with_context("staging");
    assert_eq!(switched.context.as_deref(), Some("staging"));
    assert_eq!(switched.namespace.as_deref(), Some("payments"));
}

#[test]
fn an_unknown_context_lists_the_available_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = load_one(&write(dir.path(), "config", TWO_CONTEXTS));
    let opts = ConnectOptions {
        context: Some("prdo".into()),
        ..ConnectOptions::default()
    };
    let err = resolve(&loaded, &opts).expect_err("unknown context");
    assert_eq!(
        err.to_string(),
        "no context \"prdo\" in the kubeconfig (available: prod, staging)"
    );
}

#[test]
fn malformed_yaml_names_the_file_and_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "broken",
        "apiVersion: v1\nclusters:\n- name: a\n  cluster: [unclosed\ncontexts: []\n",
    );
    let err = load_kubeconfig(Some(&path), None, None).expect_err("malformed");
    let text = err.to_string();
    match &err {
        ConnectError::Malformed { position, .. } => {
            let (line, col) = position.expect("the parser gives a position");
            assert!(line >= 4, "points at or after the unclosed list: {text}");
            assert!(
                text.contains(&format!("{}:{line}:{col}: ", path.display())),
                "{text}"
            );
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    assert!(text.starts_with("malformed kubeconfig "), "{text}");
    assert!(!text.contains('\n'), "one line: {text}");

    // Valid YAML of the wrong shape is malformed too.
    let path = write(dir.path(), "shape", "clusters: 5\n");
    let err = load_kubeconfig(Some(&path), None, None).expect_err("not a kubeconfig");
    assert!(
        matches!(err, ConnectError::Malformed { .. }),
        "{err:?}: {err}"
    );
}

#[test]
fn kubeconfig_lists_merge_first_wins_and_skip_missing_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a", TWO_CONTEXTS);
    let b = write(dir.path(), "b", SECOND_FILE);
    let missing = dir.path().join("missing");
    let env: OsString = std::env::join_paths([&missing, &a, &b]).expect("joins");
    let loaded = load_kubeconfig(None, Some(&env), None).expect("merged");
    assert_eq!(loaded.paths, vec![a.clone(), b.clone()]);
    let r = resolve(&loaded, &ConnectOptions::default()).expect("resolves");
    assert_eq!(
        r.connection.context, "prod",
        "the first current-context wins"
    );
    assert_eq!(
        r.connection.server, "https://prod.example:6443",
        "the first definition of prod-cluster wins"
    );
    assert_eq!(r.connection.contexts, vec!["lab", "prod", "staging"]);
    let lab = resolve(&loaded, &ConnectOptions::default().with_context("lab")).expect("lab");
    assert_eq!(lab.connection.server, "http://127.0.0.1:9");
    assert_eq!(lab.namespace.as_deref(), Some("experiments"));
    assert_eq!(lab.connection.user, "");

    // --kubeconfig ignores KUBECONFIG.
    let only_b = load_kubeconfig(Some(&b), Some(&env), None).expect("b alone");
    assert_eq!(only_b.paths, vec![b]);
}

#[test]
fn nothing_found_suggests_the_demo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env: OsString = dir.path().join("nope").into_os_string();
    let err = load_kubeconfig(None, Some(&env), Some(dir.path())).expect_err("nothing");
    let text = err.to_string();
    assert!(text.starts_with("no kubeconfig found"), "{text}");
    assert!(text.contains("warroom demo"), "{text}");
    assert!(
        text.contains("nope"),
        "names what KUBECONFIG listed: {text}"
    );
    let err = load_kubeconfig(None, None, Some(dir.path())).expect_err("nothing");
    assert!(err.to_string().contains(".kube/config"), "{err}");

    // Home is used when KUBECONFIG is unset.
    std::fs::create_dir_all(dir.path().join(".kube")).expect("mkdir");
    write(&dir.path().join(".kube"), "config", TWO_CONTEXTS);
    let loaded = load_kubeconfig(None, None, Some(dir.path())).expect("home config");
    assert_eq!(loaded.paths, vec![dir.path().join(".kube/config")]);

    // An explicit file that does not exist is an error, not a fallback.
    let err = load_kubeconfig(Some(&dir.path().join("gone")), None, Some(dir.path()))
        .expect_err("explicit missing");
    assert!(err.to_string().contains("gone"), "{err}");
}

#[test]
fn empty_or_contextless_files_say_what_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = load_one(&write(dir.path(), "empty", ""));
    let err = resolve(&empty, &ConnectOptions::default()).expect_err("no contexts");
    assert!(err.to_string().contains("defines no contexts"), "{err}");

    let no_current = TWO_CONTEXTS.replace("current-context: prod\n", "");
    let loaded = load_one(&write(dir.path(), "nocurrent", &no_current));
    let err = resolve(&loaded, &ConnectOptions::default()).expect_err("no current");
    assert_eq!(
        err.to_string(),
        "the kubeconfig sets no current-context; choose one with --context (available: prod, staging)"
    );

    let dangling = TWO_CONTEXTS.replace("cluster: staging-cluster", "cluster: gone-cluster");
    let loaded = load_one(&write(dir.path(), "dangling", &dangling));
    let err = resolve(&loaded, &ConnectOptions::default().with_context("staging"))
        .expect_err("no such cluster");
    assert!(err.to_string().contains("\"gone-cluster\""), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_reported_with_the_server() {
    // A port nobody listens on: bind, note it, close.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let text = crate::sim::kubeconfig::render(&format!("http://127.0.0.1:{port}"), None, "prod");
    let path = write(dir.path(), "config", &text);
    let opts = ConnectOptions {
        kubeconfig: Some(path),
        ..ConnectOptions::default()
    };
    let err = connect(&opts).await.expect_err("nobody listens");
    assert_eq!(
        err.to_string(),
        format!("cannot reach http://127.0.0.1:{port}: connection refused")
    );
}

#[tokio::test]
async fn a_missing_certificate_authority_file_is_one_cause_once_with_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("ca.crt");
    let text = TWO_CONTEXTS.replace(
        "    server: https://prod.example:6443\n",
        &format!(
            "    server: https://prod.example:6443\n    certificate-authority: {}\n",
            ca.display()
        ),
    );
    let path = write(dir.path(), "config", &text);
    let opts = ConnectOptions {
        kubeconfig: Some(path),
        ..ConnectOptions::default()
    };
    let err = connect(&opts).await.expect_err("no CA file").to_string();
    assert_eq!(
        err,
        format!(
            "context \"prod\" cannot be used: cannot read its certificate authority file {}: no such file",
            ca.display()
        )
    );
    assert!(!err.contains("TLS"), "nothing was sent: {err}");
}
