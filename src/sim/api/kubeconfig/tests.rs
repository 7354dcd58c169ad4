use super::*;

#[test]
fn file_is_private_and_names_the_sim() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("kubeconfig");
    write(
        &path,
        &render("http://127.0.0.1:1234", Some("s3cret"), "production"),
    )
    .expect("written");
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains("current-context: warroom-sim"));
    assert!(text.contains("token: \"s3cret\""));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
