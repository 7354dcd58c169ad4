//! Runs the real `warroom` binary in a pseudo-terminal and reads its screen
//! through a VT100 parser, the way a user's terminal would show it. Later
//! tests drive keys through the same harness.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A running console.
pub struct Console {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Everything the program wrote, for failure messages.
    raw: Arc<Mutex<Vec<u8>>>,
    /// The program's working directory and config home: saved files land
    /// here, and the user's own config never leaks into a test.
    home: tempfile::TempDir,
}

/// How long a test waits for the screen to show something before failing
/// with the screen it saw. The virtual clock, not this, decides what happens.
pub const PATIENCE: Duration = Duration::from_secs(60);

impl Console {
    /// Starts `warroom ARGS` in a `cols`×`rows` terminal.
    pub fn spawn(args: &[&str], cols: u16, rows: u16) -> Console {
        Console::spawn_with_env(args, cols, rows, &[])
    }

    pub fn spawn_with_env(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Console {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let home = tempfile::tempdir().expect("a home for the console");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_warroom"));
        cmd.args(args);
        cmd.cwd(home.path());
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
        cmd.env("WARROOM_DATA_DIR", home.path().join("data"));
        cmd.env_remove("WARROOM_CONFIG");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("start warroom");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        {
            let parser = parser.clone();
            let raw = raw.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => {
                            parser.lock().unwrap().process(&buf[..n]);
                            let mut raw = raw.lock().unwrap();
                            raw.extend_from_slice(&buf[..n]);
                            // Keep the tail only: failure messages need the end.
                            if raw.len() > 1 << 20 {
                                let cut = raw.len() - (1 << 19);
                                raw.drain(..cut);
                            }
                        }
                    }
                }
            });
        }
        Console {
            child,
            master: pair.master,
            writer,
            parser,
            raw,
            home,
        }
    }

    /// The console's working directory (where it saves files).
    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }

    /// The screen's text, one line per row, trailing spaces trimmed.
    pub fn screen(&self) -> String {
        let parser = self.parser.lock().unwrap();
        parser
            .screen()
            .rows(0, parser.screen().size().1)
            .map(|r| r.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Waits until `check` holds on the screen; panics with the screen if it
    /// never does.
    pub fn wait_until(&mut self, what: &str, check: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            if check(self.parser.lock().unwrap().screen()) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "warroom exited ({status:?}) while waiting for {what}; screen:\n{}\noutput tail:\n{}",
                    self.screen(),
                    self.output_tail()
                );
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for {what}; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the raw output (escapes and all) contains `bytes`:
    /// for what a terminal acts on without showing, like OSC 52.
    pub fn wait_for_output(&mut self, bytes: &[u8]) {
        let start = Instant::now();
        while !self
            .raw
            .lock()
            .unwrap()
            .windows(bytes.len())
            .any(|w| w == bytes)
        {
            if start.elapsed() > PATIENCE {
                panic!(
                    "timed out waiting for {:?} in the output:\n{}",
                    String::from_utf8_lossy(bytes),
                    self.output_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_for(&mut self, text: &str) {
        let text = text.to_string();
        self.wait_until(&format!("{text:?}"), |s| s.contents().contains(&text));
    }

    /// Moves the demo's virtual clock `step` seconds at a time (at most
    /// `max` in all) until the screen shows `text`; returns the virtual
    /// seconds it took. The story is seeded, so the same run sees the same.
    pub fn advance_until(&mut self, port: u16, text: &str, step: u32, max: u32) -> u32 {
        let mut moved = 0;
        loop {
            let shown = self
                .parser
                .lock()
                .unwrap()
                .screen()
                .contents()
                .contains(text);
            if shown {
                return moved;
            }
            if moved >= max {
                // Give the last advance time to reach the screen.
                self.wait_for(text);
                return moved;
            }
            advance_demo(port, step);
            moved += step;
            // Let the watch deliver and the console draw before judging.
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    /// `pgdn` (in a focused detail pane: read on) until the screen shows
    /// `text`, a few pages at most.
    pub fn read_on_until(&mut self, text: &str) {
        for _ in 0..6 {
            if self.screen().contains(text) {
                return;
            }
            self.send("\x1b[6~");
            std::thread::sleep(Duration::from_millis(200));
        }
        self.wait_for(text);
    }

    /// The row on screen (index and text) that contains `text`.
    pub fn row_with(&self, text: &str) -> Option<(u16, String)> {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        screen
            .rows(0, screen.size().1)
            .enumerate()
            .find(|(_, r)| r.contains(text))
            .map(|(i, r)| (i as u16, r))
    }

    /// Foreground colour of the cell at `row`, `col`.
    pub fn fg(&self, row: u16, col: u16) -> Option<vt100::Color> {
        let parser = self.parser.lock().unwrap();
        parser.screen().cell(row, col).map(|c| c.fgcolor())
    }

    /// Types text (each char a key press).
    pub fn send(&mut self, text: &str) {
        self.writer
            .write_all(text.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    pub fn enter(&mut self) {
        self.send("\r");
    }

    /// Esc, then a pause: a terminal sends Esc as a lone byte, and a key
    /// written right behind it in the same read is taken as Alt+key (or the
    /// start of an escape sequence), as it would be from a real keyboard.
    pub fn esc(&mut self) {
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(25));
    }

    pub fn ctrl_c(&mut self) {
        self.send("\x03");
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
        self.parser.lock().unwrap().set_size(rows, cols);
    }

    /// `esc` back to the view titled `back_to`, then `q`: the program must
    /// exit successfully.
    pub fn leave_and_quit(&mut self, back_to: &str) {
        self.esc();
        self.wait_for(back_to);
        self.send("q");
        assert!(self.wait_exit(), "warroom did not exit cleanly");
    }

    /// Waits for the program to exit; returns whether it succeeded.
    pub fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            if start.elapsed() > PATIENCE {
                panic!("warroom did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the program wrote last, escapes shown, for failure messages.
    pub fn output_tail(&self) -> String {
        let raw = self.raw.lock().unwrap();
        let tail = &raw[raw.len().saturating_sub(4000)..];
        String::from_utf8_lossy(tail).escape_debug().to_string()
    }

    /// Everything written to the terminal so far (raw bytes).
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `warroom demo --scenario SCENARIO` (plus `extra` arguments) on a
/// stopped clock, listening on a known port so the test moves time itself.
pub fn demo_with(
    scenario: &str,
    cols: u16,
    rows: u16,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Console, u16) {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec![
        "demo",
        "--scenario",
        scenario,
        "--speed",
        "0",
        "--listen",
        &listen,
    ];
    args.extend_from_slice(extra);
    (Console::spawn_with_env(&args, cols, rows, env), port)
}

/// A free loopback port (bound and released; good enough for tests).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Moves a demo's virtual clock by `seconds` through the sim's control
/// endpoint, retrying until the sim listens.
pub fn advance_demo(port: u16, seconds: u32) {
    sim_control(port, "POST", &format!("/_sim/advance?seconds={seconds}"));
}

/// The demo's request log: `(method, path, query)` of every API request the
/// simulated cluster answered, oldest first (the test's own `/_sim/` control
/// calls left out).
pub fn sim_requests(port: u16) -> Vec<(String, String, String)> {
    let body = sim_control(port, "GET", "/_sim/requests");
    let list: Vec<serde_json::Value> = serde_json::from_str(&body).expect("request log JSON");
    list.iter()
        .map(|r| {
            let field = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (field("method"), field("path"), field("query"))
        })
        .filter(|(_, path, _)| !path.starts_with("/_sim/"))
        .collect()
}

/// One request to the sim's control endpoints; returns the body of a 200.
fn sim_control(port: u16, method: &str, path: &str) -> String {
    let start = Instant::now();
    loop {
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) {
            let request = format!(
                "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream
                .write_all(request.as_bytes())
                .expect("send to the sim");
            let mut response = String::new();
            let _ = stream.read_to_string(&mut response);
            assert!(
                response.starts_with("HTTP/1.1 200"),
                "{method} {path} failed: {response}"
            );
            return response
                .split_once("\r\n\r\n")
                .map(|(_, body)| body.to_string())
                .unwrap_or_default();
        }
        if start.elapsed() > PATIENCE {
            panic!("the demo's simulated cluster never listened on {port}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
