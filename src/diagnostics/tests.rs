use super::*;

#[test]
fn events_are_filtered_and_their_secrets_redacted_on_the_way_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("logs/warroom.log");
    let filter = Filter::parse("trace,h2=trace").unwrap();
    let subscriber = subscriber(&file, &filter).unwrap();
    // What a failed exec credential plugin leaves in kube's error.
    let output = std::process::Output {
        status: std::process::ExitStatus::default(),
        stdout: br#"{"status":{"token":"plugin-tok-1234"}}"#.to_vec(),
        stderr: b"Enter MFA code: 987654".to_vec(),
    };
    tracing::subscriber::with_default(subscriber, || {
        tracing::trace!(
            target: "h2::codec",
            headers = ?[("authorization", "Basic dXNlcjpodW50ZXIy")],
            "send"
        );
        tracing::debug!(target: "kube_runtime::watcher", "watcher error: {output:?}");
        let span = tracing::debug_span!(target: "kube_client", "HTTP", token = "span-tok-5678");
        span.in_scope(|| tracing::info!(target: "warroom::cluster", bearer = "Bearer abcdef123"));
        // Below the level asked for: not written.
        tracing::debug!(target: "hyper_util::client", "pooling idle connection");
    });
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    for secret in [
        "dXNlcjpodW50ZXIy",
        "plugin-tok-1234",
        "987654",
        "span-tok-5678",
        "abcdef123",
    ] {
        assert!(!text.contains(secret), "{secret} written:\n{text}");
    }
    assert!(text.contains("h2::codec: send"), "{text}");
    assert!(
        text.contains("kube_runtime::watcher: watcher error: Output {"),
        "{text}"
    );
    assert!(!text.contains("pooling"), "{text}");
}
