use super::*;

#[test]
fn off_unless_the_flag_or_the_variable_asks() {
    assert_eq!(Filter::requested(false, None), Ok(None));
    for off in ["", "  ", "0", "off", "OFF", "false", "no"] {
        assert_eq!(Filter::requested(false, Some(off)), Ok(None), "{off:?}");
        // --debug wins over a variable that says off.
        assert_eq!(
            Filter::requested(true, Some(off)),
            Ok(Some(Filter::default()))
        );
    }
    for on in ["1", "on", "True", "yes", "debug"] {
        assert_eq!(
            Filter::requested(false, Some(on)),
            Ok(Some(Filter::default())),
            "{on:?}"
        );
    }
    assert_eq!(Filter::requested(true, None), Ok(Some(Filter::default())));
}

#[test]
fn the_default_keeps_warroom_and_kube_at_debug_and_the_transport_at_warn() {
    let f = Filter::default();
    assert!(f.enables("warroom::cluster::watch", Level::DEBUG));
    assert!(f.enables("warroom", Level::INFO));
    assert!(f.enables("kube_client::client::builder", Level::DEBUG));
    assert!(f.enables("kube_runtime::watcher", Level::DEBUG));
    assert!(!f.enables("kube_client::client", Level::TRACE));
    for noisy in [
        "hyper_util::client::legacy::pool",
        "h2::codec",
        "rustls::conn",
    ] {
        assert!(!f.enables(noisy, Level::INFO), "{noisy}");
        assert!(f.enables(noisy, Level::WARN), "{noisy}");
    }
    assert_eq!(f.to_string(), "warroom=debug,kube=debug; others warn");
}

#[test]
fn directives_add_to_the_default_and_a_bare_level_is_ours() {
    let f = Filter::parse("trace").unwrap();
    assert!(f.enables("kube_client::client", Level::TRACE));
    assert!(f.enables("warroom::alerts::poller", Level::TRACE));
    assert!(!f.enables("h2::proto", Level::DEBUG));

    let f = Filter::parse(" kube=off , h2=trace,warroom::cluster=trace").unwrap();
    assert!(!f.enables("kube_runtime::watcher", Level::ERROR));
    assert!(f.enables("h2::codec::framed_write", Level::TRACE));
    assert!(f.enables("warroom::cluster::connect", Level::TRACE));
    assert!(!f.enables("warroom::alerts", Level::TRACE));
    assert!(f.enables("warroom::alerts", Level::DEBUG));
    assert!(!f.enables("hyper_util", Level::INFO));

    // The last word for a target counts.
    let f = Filter::parse("kube=trace,info,kube=error").unwrap();
    assert!(!f.enables("kube_client", Level::WARN));
    assert!(f.enables("warroom", Level::INFO));
    assert!(!f.enables("warroom", Level::DEBUG));
    assert_eq!(f.to_string(), "warroom=info,kube=error; others warn");
}

#[test]
fn a_mistake_in_the_variable_is_an_error_that_quotes_it() {
    assert_eq!(
        Filter::requested(false, Some("kube=loud")),
        Err(
            "\"kube=loud\": \"loud\" is not a level (trace, debug, info, warn, error or off)"
                .into()
        )
    );
    assert!(
        Filter::parse("verbose")
            .unwrap_err()
            .contains("\"verbose\" is not a level")
    );
    assert!(
        Filter::parse("=debug")
            .unwrap_err()
            .contains("\"\" is not a target")
    );
    assert!(
        Filter::parse("my crate=debug")
            .unwrap_err()
            .contains("\"my crate\" is not a target")
    );
}
