//! `[detectors]` of config.toml: defaults, every key, ranges and names
//! reported at file:line:col.

use std::path::Path;

use jiff::SignedDuration;
use serde::Deserialize;

use crate::config::{ConfigError, toml_error};
use crate::model::detectors::{Detector, DetectorConfig};

/// `[detectors]` as it will sit in `config.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    detectors: DetectorConfig,
}

fn parse(text: &str) -> Result<DetectorConfig, ConfigError> {
    toml::from_str::<File>(text)
        .map(|f| f.detectors)
        .map_err(|e| toml_error(text, Path::new("/cfg/config.toml"), &e))
}

#[test]
fn nothing_written_is_the_defaults() {
    let d = DetectorConfig::default();
    assert_eq!(parse("").unwrap(), d);
    assert_eq!(parse("[detectors]\n").unwrap(), d);
    assert!(d.enabled && d.disabled.is_empty());
    assert_eq!(d.oom_window, SignedDuration::from_secs(900));
    assert_eq!(d.not_ready_after, SignedDuration::from_secs(60));
    assert_eq!(d.unavailable_after, SignedDuration::from_secs(300));
    assert_eq!(d.memory_fraction, 0.9);
    assert_eq!(d.restart_spike_count, 3);
    assert_eq!(d.restart_spike_window, SignedDuration::from_secs(600));
    assert_eq!(d.memory_limit_soon, SignedDuration::from_mins(10));
    assert!(Detector::ALL.into_iter().all(|x| d.runs(x)));
}

#[test]
fn every_key_is_read() {
    let d = parse(
        "[detectors]\nenabled = true\ndisabled = [\"RestartSpike\", \"deploymentreplicasunavailable\"]\n\
         oom_window_minutes = 30\nnot_ready_after_seconds = 0\nunavailable_after_seconds = 600\n\
         memory_fraction = 0.95\nrestart_spike_count = 5\nrestart_spike_window_minutes = 60\n\
         memory_limit_soon_minutes = 5\n",
    )
    .unwrap();
    assert_eq!(
        d.disabled,
        [Detector::RestartSpike, Detector::ReplicasUnavailable]
    );
    assert!(!d.runs(Detector::RestartSpike) && d.runs(Detector::OomKilled));
    assert_eq!(d.oom_window, SignedDuration::from_mins(30));
    assert_eq!(d.not_ready_after, SignedDuration::ZERO);
    assert_eq!(d.unavailable_after, SignedDuration::from_mins(10));
    assert_eq!(d.memory_fraction, 0.95);
    assert_eq!(d.restart_spike_count, 5);
    assert_eq!(d.restart_spike_window, SignedDuration::from_hours(1));
    assert_eq!(d.memory_limit_soon, SignedDuration::from_mins(5));
    // A whole number is a fraction too.
    assert_eq!(
        parse("[detectors]\nmemory_fraction = 1\n")
            .unwrap()
            .memory_fraction,
        1.0
    );
    let off = parse("[detectors]\nenabled = false\n").unwrap();
    assert!(Detector::ALL.into_iter().all(|x| !off.runs(x)));
}

#[test]
fn out_of_range_values_name_file_line_and_column() {
    let e = parse("[detectors]\noom_window_minutes = 0\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 22), "{e}");
    assert!(e.to_string().starts_with("/cfg/config.toml:2:22: "), "{e}");
    assert!(e.message.contains("between 1 and 1440, got 0"), "{e}");

    let e = parse("[detectors]\n\nrestart_spike_count = 5000\n").unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("between 1 and 1000, got 5000"), "{e}");

    let e = parse("[detectors]\nnot_ready_after_seconds = -5\n").unwrap_err();
    assert!(e.message.contains("between 0 and 86400, got -5"), "{e}");

    let e = parse("[detectors]\nmemory_fraction = 90\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("0.9 is 90%"), "{e}");

    let e = parse("[detectors]\nnot_ready_after_seconds = \"2m\"\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

#[test]
fn unknown_names_and_keys_are_errors() {
    let e = parse("[detectors]\ndisabled = [\"OOMKilled\", \"OOMKiled\"]\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("unknown detector \"OOMKiled\""), "{e}");
    assert!(
        e.message
            .contains("known: OOMKilled, CrashLoopBackOff, ImagePullBackOff"),
        "{e}"
    );
    let e = parse("[detectors]\noom_window = 15\n").unwrap_err();
    assert_eq!((e.line, e.column), (2, 1), "{e}");
    assert!(e.message.contains("oom_window"), "{e}");
}

#[test]
fn names_and_ids_are_distinct_and_round_trip() {
    for d in Detector::ALL {
        assert_eq!(Detector::from_alertname(d.alertname()), Some(d));
        assert_eq!(Detector::ALL[d as usize], d, "ALL is in declaration order");
        assert_eq!(d.to_string(), d.alertname());
    }
    let mut ids: Vec<&str> = Detector::ALL.iter().map(|d| d.id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), Detector::ALL.len());
    assert_eq!(Detector::from_alertname("Nope"), None);
}
