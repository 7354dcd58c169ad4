use super::*;

/// Each input redacts to what is paired with it.
fn assert_redacts(cases: &[(&str, &str)]) {
    for (input, want) in cases {
        assert_eq!(redact(input), *want, "redacting {input:?}");
    }
}

/// Each input comes back as it was, borrowed.
fn assert_untouched(inputs: &[&str]) {
    for input in inputs {
        let out = redact(input);
        assert!(matches!(out, Cow::Borrowed(_)), "{input:?} became {out:?}");
    }
}

#[test]
fn secrets_are_redacted() {
    let cases = [
        // Bearer tokens, alone and in headers.
        ("Bearer abc123def456", "Bearer REDACTED"),
        (
            "curl -H 'Authorization: Bearer sk_live_9f8e7d' https://api",
            "curl -H 'Authorization: REDACTED' https://api",
        ),
        (
            "authorization: Basic dXNlcjpwYXNz",
            "authorization: REDACTED",
        ),
        (
            "-H \"Authorization: token ghp_16C7e42F292c6912E7710c838347Ae178B4a\" -X GET",
            "-H \"Authorization: REDACTED\" -X GET",
        ),
        ("got bearer ZXhhbXBsZQ== back", "got bearer REDACTED back"),
        // Passwords in URLs; the user stays.
        (
            "https://admin:hunter2@grafana.example.com/d/x",
            "https://admin:REDACTED@grafana.example.com/d/x",
        ),
        (
            "DATABASE_URL=postgres://app:s3cr%40t@db:5432/shop",
            "DATABASE_URL=postgres://app:REDACTED@db:5432/shop",
        ),
        // key=value pairs and query parameters.
        ("password=hunter2", "password=REDACTED"),
        (
            "GET /hook?token=abc123&user=ops",
            "GET /hook?token=REDACTED&user=ops",
        ),
        ("DB_PASSWORD=x y", "DB_PASSWORD=REDACTED y"),
        (
            "kubectl --token=eyJx.y.z get pods",
            "kubectl --token=REDACTED get pods",
        ),
        (
            "client_secret='a b c' next",
            "client_secret='REDACTED' next",
        ),
        ("X-Api-Key=12345", "X-Api-Key=REDACTED"),
        ("apikey=k1, secret=k2;", "apikey=REDACTED, secret=REDACTED;"),
        (
            "AWS_SECRET_ACCESS_KEY=wJalrXUt",
            "AWS_SECRET_ACCESS_KEY=REDACTED",
        ),
        // JWTs anywhere.
        (
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U in logs",
            "token REDACTED in logs",
        ),
        // kubectl create secret: every literal value, whatever its key.
        (
            "kubectl create secret generic db --from-literal=username=admin --from-literal=pw='p a s s' -n shop",
            "kubectl create secret generic db --from-literal=username=REDACTED --from-literal=pw='REDACTED' -n shop",
        ),
        (
            "kubectl create secret generic x --from-literal \"api=k3y\"",
            "kubectl create secret generic x --from-literal \"api=REDACTED\"",
        ),
    ];
    assert_redacts(&cases);
}

#[test]
fn ordinary_text_is_left_alone() {
    let untouched = [
        "token-bucket rate limiter dropped 5 requests",
        "token-bucket=5 max_tokens=10 tokens=3",
        "secretName=db-credentials",
        "kubectl create secret generic db --from-file=./creds",
        "kubectl create configmap cfg --from-literal=mode=fast",
        "the client sent a bearer token that expired",
        "Bearer tokens are rotated daily",
        "https://grafana.example.com/d/abc?orgId=1",
        "ssh://git@github.com/org/repo",
        "Readiness probe failed: HTTP probe failed with statuscode: 503",
        "passwords must be rotated; see the secret store",
        "eyJ alone, and eyJhbGciOiJIUzI1NiJ9 without dots",
        "password=REDACTED",
        "café 日本 password",
        "",
    ];
    assert_untouched(&untouched);
}

#[test]
fn redacting_twice_changes_nothing_more() {
    let once =
        redact("Authorization: Bearer abc123 https://u:p@h password=x eyJabcdefghij.eyJx.sig");
    assert_eq!(redact(&once), once);
    assert!(!once.contains("abc123") && !once.contains(":p@") && !once.contains("sig"));
}

#[test]
fn multibyte_text_around_secrets_stays_whole() {
    assert_eq!(
        redact("Ünïcode password=pässwörd ✓"),
        "Ünïcode password=REDACTED ✓"
    );
    assert_eq!(redact("https://ü:ß@höst/"), "https://ü:REDACTED@höst/");
}

#[test]
fn secrets_in_the_shapes_of_debug_output_and_yaml_are_redacted() {
    let cases = [
        // A header map's `{:?}`: the value in quotes, whatever its scheme.
        (
            r#"{"authorization": "Basic dXNlcjpwYXNz", "accept": "application/json"}"#,
            r#"{"authorization": "REDACTED", "accept": "application/json"}"#,
        ),
        // A struct's `{:?}` and JSON.
        (
            r#"AuthInfo { token: Some("s3cr3t-value"), username: Some("ops") }"#,
            r#"AuthInfo { token: Some("REDACTED"), username: Some("ops") }"#,
        ),
        (
            r#"{"apiVersion":"v1","status":{"token":"abc.def"}}"#,
            r#"{"apiVersion":"v1","status":{"token":"REDACTED"}}"#,
        ),
        // JSON quoted inside a quoted string.
        (
            r#"text: "{\"password\":\"hunter2\",\"user\":\"ops\"}""#,
            r#"text: "{\"password\":\"REDACTED\",\"user\":\"ops\"}""#,
        ),
        // Kubeconfig YAML.
        ("    token: 9f8e7d6c5b4a", "    token: REDACTED"),
        (
            "    client-key-data: bm90IGEga2V5",
            "    client-key-data: REDACTED",
        ),
        // Basic credentials wherever they are: base64 of `user:password`.
        (
            r#"[("authorization", "Basic dXNlcjpodW50ZXIy")]"#,
            r#"[("authorization", "Basic REDACTED")]"#,
        ),
        ("basic YWRtaW46czNjcjN0IQ==", "basic REDACTED"),
        // A failed exec plugin, as kube's error quotes it: both streams.
        (
            r#"auth exec command 'aws' failed with status exit status: 1: Output { status: ExitStatus(unix_wait_status(256)), stdout: "{\"status\":{\"token\":\"k8s-aws-v1.abc\"}}", stderr: "prompt: secret answer\n" }"#,
            r#"auth exec command 'aws' failed with status exit status: 1: Output { status: ExitStatus(unix_wait_status(256)), stdout: "REDACTED", stderr: "REDACTED" }"#,
        ),
        (
            "Output { status: ExitStatus(unix_wait_status(0)), stdout: [255, 0, 107], stderr: [] }",
            "Output { status: ExitStatus(unix_wait_status(0)), stdout: [REDACTED], stderr: [] }",
        ),
        // PEM private keys, whole or cut off, and base64 of a PEM block.
        (
            "key -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- done",
            "key -----BEGIN RSA PRIVATE KEY-----REDACTED-----END RSA PRIVATE KEY----- done",
        ),
        (
            "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg",
            "-----BEGIN PRIVATE KEY-----REDACTED",
        ),
        (
            "data LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t end",
            "data REDACTED end",
        ),
    ];
    assert_redacts(&cases);
    let untouched = [
        "the token: rotated yesterday",
        "http.url=https://10.0.0.1:6443/api/v1/pods?limit=500",
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "Output { status: ExitStatus(unix_wait_status(0)) }",
        "stdout is a terminal",
        "Basic Authentication is off; basic auth1234 too",
        "Basic QmFzaWNBdXRoZW50aWNhdGlvbg==",
    ];
    assert_untouched(&untouched);
}
