//! The diagnostics log through the real binaries: `warroom sim serve`
//! asking for a bearer token, and the console attached to it in a
//! pseudo-terminal with `--debug` and `$WARROOM_LOG` at trace for every
//! crate that could see a request. The log is written, kube's own events
//! are in it, nothing of it reaches the terminal, and the token appears in
//! no file of the data directory.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::kubectl::ServedSim;
use common::pty::{Console, PATIENCE};

/// Not shaped like a JWT or anything else the redaction recognises on
/// sight: if it is missing from the log, it was never written.
const TOKEN: &str = "wr7diagQ4tok9Zx2";

/// Every target that sees a request at trace, ours and the transport's.
const EVERYTHING: &str = "trace,h2=trace,hyper=trace,hyper_util=trace,tower=trace,\
                          tower_http=trace,rustls=trace,reqwest=trace,axum=trace";

/// `warroom --debug sim serve --token`, writing its own diagnostics log
/// into `data`.
async fn serve_with_token(data: &Path) -> ServedSim {
    ServedSim::start_with_env(
        &["--debug", "--token", TOKEN],
        &[
            ("WARROOM_DATA_DIR", data.as_os_str()),
            ("WARROOM_LOG", OsStr::new(EVERYTHING)),
        ],
    )
    .await
}

/// Every file under `dir`, with its contents (lossy).
fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            found.push((path, text));
        }
    }
    found
}

/// Waits until the log at `path` holds `text` (it is written as events
/// happen); panics with what it holds after [`PATIENCE`].
fn wait_for_log(path: &Path, text: &str) {
    let start = Instant::now();
    loop {
        let log = std::fs::read_to_string(path).unwrap_or_default();
        if log.contains(text) {
            return;
        }
        assert!(
            start.elapsed() < PATIENCE,
            "{} never held {text:?}; it holds:\n{log}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_debug_console_logs_kube_to_the_data_directory_and_never_the_token() {
    let sim_data = tempfile::tempdir().unwrap();
    let served = serve_with_token(sim_data.path()).await;
    let kubeconfig = served.kubeconfig().to_str().unwrap();
    let mut console = Console::spawn_with_env(
        &["--kubeconfig", kubeconfig, "--debug"],
        160,
        40,
        &[("WARROOM_LOG", EVERYTHING)],
    );
    let data = console.home().join("data");
    let log = data.join("logs/warroom.log");
    console.wait_for("postgres-0");
    // A pod's log: one more request with the token, a streamed one.
    console.send("g");
    console.send("l");
    console.wait_for("Logs · pod");
    wait_for_log(&log, "/log?");
    console.leave_and_quit("Pods ·");

    let text = std::fs::read_to_string(&log).unwrap();
    for expected in [
        "warroom started",
        "command=\"console\"",
        "warroom::cluster::connect: connecting",
        "context=",
        "connected",
        // kube-rs's own spans and events.
        "kube_client::client::builder: requesting",
        "otel.name=\"watch\"",
        "warroom exited",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // The sim asked for the token: every request carried it.
    assert!(
        !text.contains("http.status_code=401"),
        "a request went without the token:\n{text}"
    );
    for (path, contents) in files_under(&data)
        .into_iter()
        .chain(files_under(sim_data.path()))
    {
        assert!(
            !contents.contains(TOKEN),
            "{} holds the token:\n{contents}",
            path.display()
        );
    }
    // The sim serve process wrote its own log, without its --token either.
    let sim_log = std::fs::read_to_string(sim_data.path().join("logs/warroom.log")).unwrap();
    assert!(sim_log.contains("command=\"sim serve\""), "{sim_log}");
    assert!(sim_log.contains("simulated cluster listening"), "{sim_log}");

    // Nothing of the log reached the terminal.
    let screen = String::from_utf8_lossy(&console.raw_output()).into_owned();
    assert!(!screen.contains("kube_client"), "log lines on the terminal");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&log), 0o600);
        assert_eq!(mode(log.parent().unwrap()), 0o700);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_that_cannot_be_set_up_is_said_and_the_console_runs_without_it() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve_with_token(&dir.path().join("sim-data")).await;
    let kubeconfig = served.kubeconfig().to_str().unwrap();
    let not_a_dir = dir.path().join("a-file");
    std::fs::write(&not_a_dir, "").unwrap();
    let cases = [
        (
            ("WARROOM_DATA_DIR", not_a_dir.to_str().unwrap()),
            "warroom: no diagnostics log: cannot create the directory",
        ),
        (
            ("WARROOM_LOG", "kube=loud"),
            "warroom: no diagnostics log: $WARROOM_LOG: \"kube=loud\": \"loud\" is not a level",
        ),
    ];
    for (env, notice) in cases {
        let mut console =
            Console::spawn_with_env(&["--kubeconfig", kubeconfig, "--debug"], 160, 40, &[env]);
        console.wait_for("postgres-0");
        console.send("q");
        assert!(console.wait_exit(), "warroom exits cleanly on q");
        // Said before the console took the screen: it is in the output.
        let output = String::from_utf8_lossy(&console.raw_output()).into_owned();
        assert!(output.contains(notice), "{notice:?} not in:\n{output}");
        assert!(!console.home().join("data/logs").exists());
    }
}
