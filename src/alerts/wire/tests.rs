use super::*;

/// `GET /api/v2/alerts` from a real Alertmanager 0.25, one alert silenced.
const ALERTS: &str = r#"[{"annotations":{"summary":"s","description":"d","runbook_url":"https://runbooks/x"},
"endsAt":"2026-11-22T05:33:08.726Z","fingerprint":"7645e3587308a88b","receivers":[{"name":"null"}],
"startsAt":"2026-11-22T05:28:08.726Z","generatorURL":"http://prometheus/graph?g0.expr=up",
"status":{"inhibitedBy":[],"silencedBy":["37008a80-b84d-4365-bb18-9b3a8382c701"],"state":"suppressed"},
"updatedAt":"2026-11-22T05:28:08.726Z",
"labels":{"alertname":"X","namespace":"shop","pod":"p1","severity":"critical"}}]"#;

#[test]
fn reads_a_real_alerts_answer() {
    let alerts = parse_alerts(ALERTS.as_bytes(), "prod").expect("parses");
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    assert_eq!(a.fingerprint, "7645e3587308a88b");
    assert_eq!(a.name, "X");
    assert_eq!(a.severity, AlertSeverity::Critical);
    assert_eq!(a.state, AlertState::Suppressed);
    assert_eq!(a.silenced_by, ["37008a80-b84d-4365-bb18-9b3a8382c701"]);
    assert!(a.inhibited_by.is_empty());
    assert_eq!(a.summary.as_deref(), Some("s"));
    assert_eq!(a.description.as_deref(), Some("d"));
    assert_eq!(a.annotations["runbook_url"], "https://runbooks/x");
    assert_eq!(
        a.generator_url.as_deref(),
        Some("http://prometheus/graph?g0.expr=up")
    );
    assert_eq!(a.receivers, ["null"]);
    assert_eq!(
        a.starts_at,
        Some("2026-11-22T05:28:08.726Z".parse().expect("ts"))
    );
    assert_eq!(
        a.ends_at,
        Some("2026-11-22T05:33:08.726Z".parse().expect("ts"))
    );
    assert_eq!(a.source, AlertSource::Alertmanager);
    assert_eq!(a.reported_by, ["prod"]);
    assert_eq!(a.labels.len(), 4);
}

#[test]
fn missing_and_null_fields_are_tolerated() {
    let body = br#"[{}, {"labels": null, "status": null, "receivers": null,
        "annotations": {"message": "old-style text"}, "startsAt": "yesterday",
        "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "", "unknownField": [1, 2]},
        {"labels": {"alertname": "Y"}, "status": {"silencedBy": ["s"]}}]"#;
    let alerts = parse_alerts(body, "am").expect("parses");
    assert_eq!(alerts.len(), 3);
    let empty = &alerts[0];
    assert_eq!(empty.name, "");
    assert_eq!(empty.severity, AlertSeverity::None);
    assert_eq!(empty.state, AlertState::Unprocessed);
    assert_eq!(empty.starts_at, None);
    // No fingerprint sent: the one Alertmanager would compute.
    assert_eq!(empty.fingerprint, "cbf29ce484222325");
    let odd = &alerts[1];
    assert_eq!(odd.description.as_deref(), Some("old-style text"));
    assert_eq!(odd.starts_at, None, "an unreadable time is unknown");
    assert_eq!(odd.ends_at, None, "Go's zero time is unset");
    assert_eq!(odd.generator_url, None);
    // Silenced, though the state word is missing.
    assert_eq!(alerts[2].state, AlertState::Suppressed);
}

#[test]
fn a_body_of_the_wrong_shape_is_an_error() {
    for body in [
        &br#"{"not":"a list"}"#[..],
        b"",
        b"<html>502 Bad Gateway</html>",
        br#"[{"labels": {"severity": 1}}]"#,
        br#"[{"labels": ["a"]}]"#,
        br#"[1, 2]"#,
        b"[{\"labels\":{\"a\":\"\xff\"}}]",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ] {
        assert!(
            parse_alerts(body, "am").is_err(),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn go_timestamps() {
    assert_eq!(
        timestamp("2026-03-02T09:00:00.123456789Z").map(|t| t.subsec_nanosecond()),
        Some(123_456_789)
    );
    assert_eq!(
        timestamp("2026-03-02T10:00:00+01:00"),
        Some("2026-03-02T09:00:00Z".parse().expect("ts"))
    );
    assert_eq!(timestamp("0001-01-01T00:00:00Z"), None);
    assert_eq!(timestamp(""), None);
    assert_eq!(timestamp("soon"), None);
}

#[test]
fn a_new_silence_is_written_as_alertmanager_reads_it() {
    let silence = NewSilence {
        matchers: vec![
            Matcher {
                name: "alertname".into(),
                value: "X".into(),
                is_regex: false,
                is_equal: true,
            },
            Matcher {
                name: "pod".into(),
                value: "web-.*".into(),
                is_regex: true,
                is_equal: false,
            },
        ],
        starts_at: "2026-03-02T09:00:00Z".parse().expect("ts"),
        ends_at: "2026-03-02T11:00:00.5Z".parse().expect("ts"),
        created_by: "alice".into(),
        comment: "deploying the fix".into(),
    };
    let body: serde_json::Value =
        serde_json::from_slice(&silence_body(&silence).expect("encodes")).expect("json");
    assert_eq!(
        body,
        serde_json::json!({
            "matchers": [
                {"name": "alertname", "value": "X", "isRegex": false, "isEqual": true},
                {"name": "pod", "value": "web-.*", "isRegex": true, "isEqual": false},
            ],
            "startsAt": "2026-03-02T09:00:00Z",
            "endsAt": "2026-03-02T11:00:00.5Z",
            "createdBy": "alice",
            "comment": "deploying the fix",
        })
    );
}

#[test]
fn reads_silences_and_their_answers() {
    // From a real Alertmanager 0.25, plus one written before isEqual existed.
    let body = br#"[{"id":"37008a80-b84d-4365-bb18-9b3a8382c701","status":{"state":"active"},
        "updatedAt":"2026-11-22T05:28:08.748Z","comment":"c","createdBy":"me",
        "endsAt":"2099-01-01T00:00:00.000Z",
        "matchers":[{"isEqual":true,"isRegex":false,"name":"alertname","value":"X"}],
        "startsAt":"2026-11-22T05:28:08.748Z"},
        {"id":"old","matchers":[{"name":"job","value":"a|b","isRegex":true}]}]"#;
    let silences = parse_silences(body).expect("parses");
    assert_eq!(silences.len(), 2);
    assert_eq!(silences[0].id, "37008a80-b84d-4365-bb18-9b3a8382c701");
    assert_eq!(silences[0].state, "active");
    assert_eq!(silences[0].created_by, "me");
    assert_eq!(
        silences[0].ends_at,
        Some("2099-01-01T00:00:00Z".parse().expect("ts"))
    );
    assert_eq!(
        silences[1].matchers,
        [Matcher {
            name: "job".into(),
            value: "a|b".into(),
            is_regex: true,
            is_equal: true,
        }]
    );
    assert_eq!(silences[1].starts_at, None);
    assert!(parse_silences(br#"{"silences": []}"#).is_err());

    assert_eq!(
        parse_silence_created(br#"{"silenceID":"abc-1"}"#).expect("parses"),
        "abc-1"
    );
    assert!(parse_silence_created(br#"{"id":"abc-1"}"#).is_err());
}

#[test]
fn reads_the_status() {
    let body = br#"{"cluster":{"peers":[],"status":"disabled"},"config":{"original":"..."},
        "uptime":"2026-11-22T05:28:08.501Z","versionInfo":{"branch":"debian/sid","version":"0.25.0"}}"#;
    let s = parse_status(body).expect("parses");
    assert_eq!(s.version.as_deref(), Some("0.25.0"));
    assert_eq!(s.cluster.as_deref(), Some("disabled"));
    assert_eq!(s.peers, 0);
    assert!(s.up_since.is_some());
}

#[test]
fn error_answers_say_what_alertmanager_said() {
    assert_eq!(
        error_detail(br#"{"code":612,"message":"matchers in body should have at least 1 items"}"#),
        "matchers in body should have at least 1 items"
    );
    assert_eq!(error_detail(br#""silence not found""#), "silence not found");
    assert_eq!(error_detail(b"  Unauthorized\n"), "Unauthorized");
    assert_eq!(error_detail(b""), "");
}
