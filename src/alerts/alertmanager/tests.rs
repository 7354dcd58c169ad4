use std::collections::BTreeMap;
use std::io::Write as _;

use super::*;
use crate::model::alert::{AlertSeverity, AlertSource, AlertState, matchers_for};

/// A self-signed CA (prime256v1, valid until 2126), only ever parsed.
const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUK+jT7c/gVfO3aRd2GcwecxZNEnIwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPd2Fycm9vbSB0ZXN0IENBMCAXDTI2MTEyMjA1MzEyMloYDzIx
MjYxMDI5MDUzMTIyWjAaMRgwFgYDVQQDDA93YXJyb29tIHRlc3QgQ0EwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARy4MvTfkxWM/DMAl28BCBcNHofiKRSux/vLFJh
KyhlHsc9bNNU7zqYFwjnX9OhdY6zPPPMFq2lCVA9YwNLxZlXo1MwUTAdBgNVHQ4E
FgQUXkBuOJUsjHGU67P3H8/dP2BTzoUwHwYDVR0jBBgwFoAUXkBuOJUsjHGU67P3
H8/dP2BTzoUwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBsNGxo
Iw7K8a55U68Mo+5WAmyHfiHLditwaCim8kbTfQIhAL5E9tSzimntmHlYMVI7X10x
QwZdugMUSHrT/8OqiRlh
-----END CERTIFICATE-----
";

fn config(url: &str) -> AlertmanagerConfig {
    AlertmanagerConfig {
        name: "prod".into(),
        url: url.into(),
        auth: Auth::None,
        ca_file: None,
        timeout: Duration::from_secs(5),
    }
}

fn temp_file(contents: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(contents).expect("written");
    f
}

#[test]
fn urls_are_checked_and_shown_without_credentials() {
    let c = AlertmanagerClient::new(&config("http://127.0.0.1:9093")).expect("client");
    assert_eq!(c.name(), "prod");
    assert_eq!(
        c.error("connection refused"),
        "alertmanager \"prod\" (http://127.0.0.1:9093): connection refused"
    );
    let c = AlertmanagerClient::new(&config(
        "https://bob:hunter2@am.example.com/alertmanager/?token=s3cret",
    ))
    .expect("client");
    let shown = c.error("x");
    assert_eq!(
        shown,
        "alertmanager \"prod\" (https://am.example.com/alertmanager): x"
    );
    // The route prefix is kept; the query is not sent.
    assert_eq!(
        c.endpoint(&["alerts"]).expect("url").as_str(),
        "https://bob:hunter2@am.example.com/alertmanager/api/v2/alerts"
    );
    let c = AlertmanagerClient::new(&config("http://am:9093/prefix")).expect("client");
    assert_eq!(
        c.endpoint(&["silence", "a/../b"]).expect("url").as_str(),
        "http://am:9093/prefix/api/v2/silence/a%2F..%2Fb"
    );

    for (url, want) in [
        ("am:9093", "the URL must start with http:// or https://"),
        (
            "ftp://am",
            "the URL must start with http:// or https://, not ftp:",
        ),
        ("", "the URL is not a valid URL"),
        ("http://", "the URL is not a valid URL"),
        ("https://user:pw@[::1", "the URL is not a valid URL"),
    ] {
        let err = AlertmanagerClient::new(&config(url)).expect_err(url);
        assert!(err.starts_with("alertmanager \"prod\": "), "{err}");
        assert!(err.contains(want), "{url}: {err}");
        assert!(!err.contains("pw"), "{err}");
    }
}

#[test]
fn a_hostile_name_is_shown_escaped() {
    let mut cfg = config("http://am");
    cfg.name = "prod\x1b]52;c;aGk=\x07".into();
    let c = AlertmanagerClient::new(&cfg).expect("client");
    assert!(
        c.error("x")
            .starts_with("alertmanager \"prod\\x1b]52;c;aGk=\\x07\"")
    );
}

#[test]
fn the_ca_file_is_read_and_named_when_it_fails() {
    let ca = temp_file(CA_PEM.as_bytes());
    let mut cfg = config("https://am.example.com");
    cfg.ca_file = Some(ca.path().to_path_buf());
    AlertmanagerClient::new(&cfg).expect("a PEM CA makes a client");

    cfg.ca_file = Some("/nonexistent/ca.pem".into());
    let err = AlertmanagerClient::new(&cfg).expect_err("missing file");
    assert!(
        err.starts_with("alertmanager \"prod\": cannot read the CA file /nonexistent/ca.pem: "),
        "{err}"
    );

    let garbage = temp_file(b"not a certificate\n");
    cfg.ca_file = Some(garbage.path().to_path_buf());
    let err = AlertmanagerClient::new(&cfg).expect_err("no PEM");
    let name = garbage.path().display().to_string();
    assert!(err.contains(&format!("the CA file {name} ")), "{err}");

    let broken = temp_file(b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    cfg.ca_file = Some(broken.path().to_path_buf());
    let err = AlertmanagerClient::new(&cfg).expect_err("bad DER");
    let name = broken.path().display().to_string();
    assert!(
        err.starts_with(&format!(
            "alertmanager \"prod\": the CA file {name} holds a certificate that cannot be used: "
        )),
        "{err}"
    );
}

#[test]
fn secrets_never_show() {
    let cfg = AlertmanagerConfig {
        auth: Auth::Basic {
            user: "bob".into(),
            password: "hunter2".into(),
        },
        ..config("http://am")
    };
    let debug = format!("{cfg:?}");
    assert!(
        debug.contains("bob") && !debug.contains("hunter2"),
        "{debug}"
    );
    let c = AlertmanagerClient::new(&cfg).expect("client");
    assert!(!format!("{c:?}").contains("hunter2"));
    assert_eq!(
        c.refusal(
            StatusCode::UNAUTHORIZED,
            b"bad credentials bob:hunter2 for realm"
        ),
        "answered 401 Unauthorized: bad credentials bob:<redacted> for realm"
    );
    assert_eq!(
        c.refusal(
            StatusCode::FORBIDDEN,
            b"header was Authorization: Basic Ym9iOmh1bnRlcjI="
        ),
        "answered 403 Forbidden: header was Authorization: Basic <redacted>"
    );
    let token = Auth::Bearer("eyJhbGciOi.secret".into());
    assert_eq!(format!("{token:?}"), "Bearer(<redacted>)");
}

#[test]
fn refusals_quote_a_short_sanitized_answer() {
    let c = AlertmanagerClient::new(&config("http://am")).expect("client");
    assert_eq!(
        c.refusal(StatusCode::NOT_FOUND, b""),
        "answered 404 Not Found"
    );
    assert_eq!(
        c.refusal(StatusCode::INTERNAL_SERVER_ERROR, br#""silence not found""#),
        "answered 500 Internal Server Error: silence not found"
    );
    let long = format!("\x1b[2J{}", "x".repeat(1000));
    let said = c.refusal(StatusCode::BAD_GATEWAY, long.as_bytes());
    assert!(
        said.starts_with("answered 502 Bad Gateway: \\x1b[2Jxxx"),
        "{said}"
    );
    assert!(said.ends_with("x…"), "{said}");
    assert!(said.chars().count() < 240, "{said}");
    let odd = c.refusal(StatusCode::from_u16(599).expect("code"), b"\xff\xfe");
    assert_eq!(odd, "answered 599: \u{fffd}\u{fffd}");
}

#[test]
fn durations_read_naturally() {
    assert_eq!(seconds(Duration::from_secs(5)), "5s");
    assert_eq!(seconds(Duration::from_millis(1500)), "1.5s");
    assert_eq!(seconds(Duration::from_millis(250)), "250ms");
}

#[test]
fn a_silence_from_an_alert_matches_all_its_labels() {
    let labels: BTreeMap<String, String> = [
        ("alertname", "KubePodCrashLooping"),
        ("namespace", "shop"),
        ("pod", "web-1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let alert = Alert {
        fingerprint: "f".into(),
        name: "KubePodCrashLooping".into(),
        severity: AlertSeverity::Warning,
        state: AlertState::Active,
        starts_at: None,
        updated_at: None,
        ends_at: None,
        labels,
        annotations: BTreeMap::new(),
        summary: None,
        description: None,
        generator_url: None,
        receivers: vec![],
        silenced_by: vec![],
        inhibited_by: vec![],
        source: AlertSource::Alertmanager,
        reported_by: vec![],
    };
    let m = matchers_for(&alert);
    assert_eq!(m.len(), 3);
    assert!(m.iter().all(|m| m.is_equal && !m.is_regex));
    assert_eq!(
        m.iter()
            .map(|m| format!("{}={}", m.name, m.value))
            .collect::<Vec<_>>(),
        [
            "alertname=KubePodCrashLooping",
            "namespace=shop",
            "pod=web-1"
        ]
    );
}

#[tokio::test]
async fn a_strange_silence_id_is_refused_before_sending() {
    // Port 9 (discard) is never asked: the ID is checked first.
    let c = AlertmanagerClient::new(&config("http://127.0.0.1:9")).expect("client");
    for id in ["", "../status", "a b", "x\u{1b}"] {
        let err = c.expire_silence(id).await.expect_err(id);
        assert!(err.contains("is not a silence ID"), "{err}");
    }
}
