use super::*;

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
    for (input, want) in cases {
        assert_eq!(redact(input), want, "redacting {input:?}");
    }
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
    for input in untouched {
        let out = redact(input);
        assert!(matches!(out, Cow::Borrowed(_)), "{input:?} became {out:?}");
    }
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
