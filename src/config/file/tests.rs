use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/cfg/config.toml"))
}

#[test]
fn empty_file_is_the_defaults() {
    assert_eq!(parse("").unwrap(), Config::default());
    assert_eq!(Config::default().logs.buffer_lines, 10_000);
    assert_eq!(Config::default().logs.max_streams, 50);
}

#[test]
fn every_key_is_read() {
    let c = parse(
        "[logs]\nbuffer_lines = 500\nmax_streams = 7\n\
         [safety]\nreadonly = true\nproduction_patterns = [\"live\"]\n\
         [contexts.\"kind-dev\"]\nreadonly = false\n",
    )
    .unwrap();
    assert_eq!(c.logs.buffer_lines, 500);
    assert_eq!(c.logs.max_streams, 7);
    assert!(c.safety.readonly);
    assert_eq!(c.safety.production_patterns, vec!["live".to_string()]);
    assert_eq!(c.contexts["kind-dev"].readonly, Some(false));
}

#[test]
fn detector_thresholds_are_read_with_positions() {
    let c = parse("[detectors]\noom_window_minutes = 30\ndisabled = [\"RestartSpike\"]\n").unwrap();
    assert_eq!(c.detectors.oom_window, jiff::SignedDuration::from_mins(30));
    let e = parse("[detectors]\ndisabled = [\"NoSuchThing\"]\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn alertmanagers_and_alert_settings_are_read() {
    let c = parse(
        "[alerts]\npoll_seconds = 30\nbell = true\n\
         [[alertmanager]]\nname = \"prod\"\nurl = \"https://am\"\ncontexts = [\"prod-eu\"]\n\
         [[alertmanager]]\nurl = \"http://127.0.0.1:9093\"\n",
    )
    .unwrap();
    assert_eq!(c.alerts.poll_seconds, 30);
    assert!(c.alerts.bell);
    assert_eq!(c.alertmanager.len(), 2);
    assert_eq!(c.alertmanager[0].contexts, vec!["prod-eu".to_string()]);
    let e = parse("[[alertmanager]]\nurl = \"x\"\ntoken = \"inline\"\n").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    let e = parse("[alerts]\npoll_seconds = 1\n").unwrap_err();
    assert!(e.message.contains("between 2 and 3600"), "{e}");
}

#[test]
fn errors_name_file_line_and_column() {
    let e = parse("[logs]\nbuffer_lines = 5\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 16), "{e}");
    assert!(e.to_string().starts_with("/cfg/config.toml:2:16: "), "{e}");
    assert!(e.message.contains("between 100 and 1000000"), "{e}");

    let e = parse("[logs]\nbufer_lines = 500\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 1), "{e}");
    assert!(e.message.contains("bufer_lines"), "{e}");

    let e = parse("[safety]\nreadonly = yes\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");

    let e = parse("[safety\n").unwrap_err();
    assert_eq!(e.line, 1, "{e}");
}

#[test]
fn line_col_counts_characters() {
    assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    assert_eq!(line_col("", 10), (1, 1));
}

#[test]
fn readonly_rules() {
    let mut c = Config::default();
    assert_eq!(
        c.readonly_for("gke_acme-prod_eu", false),
        Some(ReadonlyReason::Production)
    );
    assert_eq!(c.readonly_for("gke_acme-prod_eu", true), None);
    assert_eq!(c.readonly_for("warroom-sim", false), None);
    c.contexts.insert(
        "gke_acme-prod_eu".into(),
        ContextConfig {
            readonly: Some(false),
        },
    );
    assert_eq!(c.readonly_for("gke_acme-prod_eu", false), None);
    c.contexts.insert(
        "warroom-sim".into(),
        ContextConfig {
            readonly: Some(true),
        },
    );
    assert_eq!(
        c.readonly_for("warroom-sim", true),
        Some(ReadonlyReason::ContextConfig)
    );
    c.safety.readonly = true;
    assert_eq!(
        c.readonly_for("kind", false),
        Some(ReadonlyReason::GlobalConfig)
    );
    assert_eq!(c.readonly_for("kind", true), None);
}

mod detectors;
