use super::*;

fn entry(url: &str) -> AlertmanagerEntry {
    AlertmanagerEntry {
        name: None,
        url: url.into(),
        contexts: Vec::new(),
        bearer_token_env: None,
        bearer_token_file: None,
        basic_user: None,
        basic_password_env: None,
        basic_password_file: None,
        ca_file: None,
    }
}

#[test]
fn names_come_from_the_host_without_credentials() {
    assert_eq!(name_from_url("http://127.0.0.1:9093/"), "127.0.0.1:9093");
    assert_eq!(
        name_from_url("https://user:secret@am.example.com/prefix"),
        "am.example.com"
    );
    assert_eq!(name_from_url(""), "alertmanager");
}

#[test]
fn entries_apply_to_their_contexts_and_urls_to_all() {
    let mut prod = entry("https://am.prod");
    prod.contexts = vec!["prod".into()];
    let all = entry("https://am.shared");
    let cfg = AlertsConfig::default();
    let got = alertmanagers_for(
        &[prod.clone(), all.clone()],
        &cfg,
        "staging",
        &["http://localhost:9093".into()],
    )
    .unwrap();
    let names: Vec<_> = got.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["am.shared", "localhost:9093"]);
    let got = alertmanagers_for(&[prod, all], &cfg, "prod", &[]).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].timeout, Duration::from_secs(5));
}

#[test]
fn secrets_come_from_files_and_missing_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "s3cret\n").unwrap();
    let mut e = entry("https://am");
    e.bearer_token_file = Some(file);
    let cfg = e.resolve(Duration::from_secs(1)).unwrap();
    assert_eq!(cfg.auth, Auth::Bearer("s3cret".into()));

    let mut e = entry("https://am");
    e.bearer_token_env = Some("WARROOM_TEST_SURELY_UNSET_TOKEN".into());
    let err = e.resolve(Duration::from_secs(1)).unwrap_err();
    assert!(err.contains("WARROOM_TEST_SURELY_UNSET_TOKEN"), "{err}");

    let mut e = entry("https://am");
    e.basic_user = Some("oncall".into());
    assert!(e.resolve(Duration::from_secs(1)).is_err());
}
