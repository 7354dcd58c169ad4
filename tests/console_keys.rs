//! Keymaps and the mouse in the real binary: a user keymap file beside the
//! config changes what keys do and what help says; clicks switch tabs and
//! select rows; a broken keymap stops warroom before it takes the terminal.

mod common;

use std::path::Path;

use common::pty::demo_with;

/// A config directory with `config.toml` and `keymaps/mine.toml`; returns
/// the config file.
fn config_dir(dir: &Path, config: &str, keymap: &str) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("keymaps")).unwrap();
    std::fs::write(dir.join("keymaps/mine.toml"), keymap).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(&file, config).unwrap();
    file
}

#[test]
fn a_user_keymap_changes_the_keys_the_footer_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_dir(
        dir.path(),
        "[ui]\nkeymap = \"mine\"\n",
        "extends = \"default\"\n[pods_and_workloads]\nlogs = \"o\"\n[table]\nhelp = \"f1\"\n",
    );
    let config = config.to_str().unwrap();
    let (mut console, _port) = demo_with("calm", 200, 50, &["--config", config], &[]);
    console.wait_for("production");
    console.wait_for("o logs");
    console.wait_for("f1 help");
    // The pods listed and one selected: `o` has something to open.
    console.wait_for("1 of 12");
    // `l` no longer opens logs; `o` does.
    console.send("l");
    console.send("o");
    console.wait_for("Logs");
    console.send("q");
    console.wait_for("o logs");
    // f1 (xterm: ESC O P) opens help, listing the new keys.
    console.send("\x1bOP");
    console.wait_for("note editor");
    let help = console.screen();
    assert!(help.contains(" o "), "{help}");
    assert!(!help.contains(" ? "), "{help}");
    console.send("q");
    console.leave_and_quit("production");
}

/// An SGR mouse report of a left click at a 0-based cell: button down, then up.
fn click(c: u16, r: u16) -> String {
    format!("\x1b[<0;{};{}M\x1b[<0;{};{}m", c + 1, r + 1, c + 1, r + 1)
}

#[test]
fn clicks_switch_tabs_and_select_rows() {
    let (mut console, _port) = demo_with("bad-deploy", 160, 40, &[], &[]);
    console.wait_for("production");
    let (row, text) = console.row_with("Events").expect("the tab line");
    let col = text.find("Events").unwrap() as u16;
    console.send(&click(col, row));
    console.wait_for("Events ·");
    let (row, text) = console.row_with("Workloads").expect("the tab line");
    let col = text.find("Workloads").unwrap() as u16;
    console.send(&click(col, row));
    console.wait_for("Workloads ·");
    // The third workload row: selected by a click, then shown in the title's "3 of".
    let (header, _) = console.row_with("NAME").expect("the column header");
    console.send(&click(5, header + 3));
    console.wait_until("row 3 selected", |s| {
        (0..s.size().0).any(|r| s.contents_between(r, 0, r, s.size().1).contains("─ 3 of "))
    });
    console.leave_and_quit("production");
}

#[test]
fn a_click_on_a_revision_selects_it_and_its_diff() {
    let (mut console, _port) = demo_with("bad-deploy", 160, 45, &[], &[]);
    console.wait_for("production");
    console.send("2");
    console.wait_for("Workloads ·");
    let (row, text) = console.row_with("checkout-service").expect("the workload");
    let col = text.find("checkout-service").unwrap() as u16;
    console.send(&click(col, row));
    console.send("h");
    // Before the bad deploy: revision 3 runs, 2 is compared with it.
    console.wait_for("revision 2 → current 3");
    // Revision 1 (image 2.0.0): its line in the list, clicked.
    let (row, text) = console.row_with("service:2.0.0").expect("revision 1");
    let col = text.find("service:2.0.0").unwrap() as u16;
    console.send(&click(col, row));
    console.wait_for("revision 1 → current 3");
    // The diff under the list is not a revision: nothing changes.
    let (row, _) = console.row_with("revision 1 → current 3").unwrap();
    console.send(&click(5, row));
    console.send("R");
    console.wait_for("revision 1 → current 3");
    console.send("q");
    console.leave_and_quit("production");
}

#[test]
fn without_the_mouse_the_terminal_keeps_its_own_selection() {
    let (mut console, _port) = demo_with("calm", 120, 30, &["--no-mouse"], &[]);
    console.wait_for("production");
    console.leave_and_quit("production");
    let raw = String::from_utf8_lossy(&console.raw_output()).to_string();
    assert!(!raw.contains("\x1b[?1000h"), "mouse capture was enabled");
}

#[test]
fn a_broken_keymap_stops_warroom_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let config = config_dir(
        dir.path(),
        "[ui]\nkeymap = \"mine\"\n",
        "[table]\nmark = [\"m\", \"q\"]\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["demo", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "{}:2:14: `q` in [table] is bound to both mark and quit",
        dir.path().join("keymaps/mine.toml").display()
    );
    assert!(stderr.contains(&want), "{stderr}");
}
