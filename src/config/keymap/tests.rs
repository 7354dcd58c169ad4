use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::keys::{ACTION_NAMES, lookup};

fn user_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn err(name: &str, dir: &Path) -> String {
    load(name, Some(dir)).unwrap_err().to_string()
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn action(keymap: &Keymap, k: KeyEvent, mode: Mode) -> Option<Action> {
    lookup(&keymap.bindings, k, &[mode])
}

#[test]
fn every_shipped_keymap_loads_and_binds_every_action() {
    for (name, _) in SHIPPED {
        let keymap = load(name, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (action, action_name) in ACTION_NAMES {
            assert!(
                keymap.bindings.iter().any(|b| b.action == *action),
                "{name}: nothing bound to {action_name}"
            );
        }
        assert_eq!(
            keymap.sources.last().unwrap(),
            &format!("keymaps/{name}.toml (built in)")
        );
    }
}

#[test]
fn the_default_keymap_fills_every_slot() {
    let keymap = load("default", None).unwrap();
    for slot in SLOTS {
        assert!(
            keymap
                .bindings
                .iter()
                .any(|b| b.mode == slot.mode && b.action == slot.action),
            "[{}] {} unbound",
            slot.mode.name(),
            slot.action.name()
        );
    }
    assert_eq!(default_bindings(), keymap.bindings);
}

#[test]
fn the_default_keymap_keeps_k9s_habits() {
    let k = load("default", None).unwrap();
    assert_eq!(action(&k, key('?'), Mode::Table), Some(Action::ToggleHelp));
    assert_eq!(
        action(&k, key(':'), Mode::Table),
        Some(Action::StartCommand)
    );
    assert_eq!(action(&k, key('/'), Mode::Table), Some(Action::StartFilter));
    assert_eq!(
        action(
            &k,
            KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            Mode::Table
        ),
        Some(Action::Back)
    );
    assert_eq!(action(&k, key('j'), Mode::Table), Some(Action::Down));
    assert_eq!(action(&k, key('G'), Mode::Table), Some(Action::Bottom));
    assert_eq!(
        action(&k, key('l'), Mode::PodsAndWorkloads),
        Some(Action::OpenLogs)
    );
    assert_eq!(
        action(
            &k,
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
            Mode::Editor
        ),
        Some(Action::Save)
    );
}

#[test]
fn vim_adds_paging_keys_over_the_default() {
    let k = load("vim", None).unwrap();
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    assert_eq!(action(&k, ctrl('f'), Mode::Table), Some(Action::PageDown));
    assert_eq!(action(&k, ctrl('u'), Mode::Table), Some(Action::PageUp));
    assert_eq!(action(&k, key('j'), Mode::Table), Some(Action::Down));
    assert_eq!(action(&k, key('q'), Mode::Dialog), Some(Action::Cancel));
    assert_eq!(k.sources.len(), 2, "{:?}", k.sources);
}

#[test]
fn every_bound_key_reads_back_from_its_label() {
    for (name, _) in SHIPPED {
        for b in load(name, None).unwrap().bindings {
            let label = key_label(b.key, b.modifiers);
            assert_eq!(parse_key(&label), Ok((b.key, b.modifiers)), "{label}");
        }
    }
}

#[test]
fn keys_are_read_as_written() {
    let k = |t| parse_key(t);
    assert_eq!(k("ctrl-S"), Ok((KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert_eq!(k("shift-g"), Ok((KeyCode::Char('G'), KeyModifiers::NONE)));
    assert_eq!(k("shift-tab"), Ok((KeyCode::BackTab, KeyModifiers::NONE)));
    assert_eq!(k("alt-x"), Ok((KeyCode::Char('x'), KeyModifiers::ALT)));
    assert_eq!(k("-"), Ok((KeyCode::Char('-'), KeyModifiers::NONE)));
    assert_eq!(k("PgDn"), Ok((KeyCode::PageDown, KeyModifiers::NONE)));
    assert_eq!(k("f12"), Ok((KeyCode::F(12), KeyModifiers::NONE)));
    assert!(k("f99").is_err());
    assert!(k("ctrl-enterr").is_err());
    assert!(k("shift-1").is_err());
    assert!(k("").is_err());
}

#[test]
fn a_user_file_changes_single_bindings_and_keeps_the_rest() {
    let dir = user_dir(&[(
        "mine.toml",
        "extends = \"default\"\n[table]\nhelp = \"f1\"\nshow_alerts = []\n",
    )]);
    let base = load("default", None).unwrap();
    let mine = load("mine", Some(dir.path())).unwrap();
    let f1 = KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE);
    assert_eq!(action(&mine, f1, Mode::Table), Some(Action::ToggleHelp));
    assert_eq!(action(&mine, key('?'), Mode::Table), None);
    assert_eq!(action(&mine, key('5'), Mode::Table), None);
    assert_eq!(
        action(&mine, key('l'), Mode::PodsAndWorkloads),
        Some(Action::OpenLogs)
    );
    // help: ? → f1 (same count); show_alerts: 5, a → nothing.
    assert_eq!(mine.bindings.len(), base.bindings.len() - 2);
    assert_eq!(mine.sources.len(), 2);
    assert!(mine.sources[1].ends_with("mine.toml"), "{:?}", mine.sources);
}

#[test]
fn a_user_file_named_like_a_shipped_keymap_extends_it() {
    let dir = user_dir(&[("vim.toml", "[history]\nrollback = \"ctrl-u\"\n")]);
    let k = load("vim", Some(dir.path())).unwrap();
    let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(action(&k, ctrl_u, Mode::History), Some(Action::Rollback));
    // Still vim underneath (and default under that).
    assert_eq!(action(&k, ctrl_u, Mode::Table), Some(Action::PageUp));
    assert_eq!(k.sources.len(), 3, "{:?}", k.sources);
    // Without `extends`, another name builds on the default.
    let dir = user_dir(&[("solo.toml", "[table]\nquit = \"Q\"\n")]);
    let k = load("solo", Some(dir.path())).unwrap();
    assert_eq!(action(&k, key('Q'), Mode::Table), Some(Action::Quit));
    assert_eq!(action(&k, key('q'), Mode::Table), None);
}

#[test]
fn broken_files_name_the_place_and_the_action() {
    let cases: &[(&str, &str)] = &[
        (
            "[table]\nhelp = \"?\"\nquit = \n",
            "3:8: string values must be quoted, expected literal string",
        ),
        (
            "[tabel]\nhelp = \"?\"\n",
            "1:2: unknown section [tabel]; sections are table, pods, pods_and_workloads, workloads, logs, history, dialog, alerts, changes, timeline, editor",
        ),
        (
            "[table]\nhlep = \"?\"\n",
            "2:1: unknown action `hlep` in [table]",
        ),
        (
            "[logs]\nfollow = \"f\"\nnext_match = \"ctrl-enterr\"\n",
            "3:14: `next_match`: unknown key \"ctrl-enterr\"",
        ),
        (
            "[table]\nrollback = \"u\"\n",
            "2:1: `rollback` cannot be bound in [table]; it belongs in [history]",
        ),
        (
            "[table]\nmark = [\"m\", \"q\"]\n",
            "2:14: `q` in [table] is bound to both mark and quit; unbind one (e.g. quit = [])",
        ),
        (
            "[logs]\nsave_logs = \"ctrl-c\"\n",
            "2:13: `save_logs`: ctrl-c always quits and cannot be bound",
        ),
        (
            "[editor]\nsave = \"s\"\n",
            "2:8: `save`: in [editor] `s` would be typed as text; use ctrl-, alt- or a key like esc",
        ),
        (
            "extends = \"vmi\"\n",
            "1:1: no keymap `vmi`: the shipped ones are default, vim, and yours go in",
        ),
        (
            "[table]\nhelp = 3\n",
            "2:8: `help` takes a key or a list of keys, not an integer",
        ),
    ];
    for (text, expected) in cases {
        let dir = user_dir(&[("broken.toml", text)]);
        let message = err("broken", dir.path());
        let path = dir.path().join("broken.toml");
        let want = format!("{}:{expected}", path.display());
        assert!(
            message.starts_with(&want),
            "\n got: {message}\nwant: {want}"
        );
    }
}

#[test]
fn keymaps_that_extend_each_other_in_a_circle_are_refused() {
    let dir = user_dir(&[
        ("a.toml", "extends = \"b\"\n"),
        ("b.toml", "extends = \"a\"\n"),
    ]);
    let message = err("a", dir.path());
    assert!(message.contains("in a circle through `a`"), "{message}");
}

#[test]
fn an_unknown_keymap_lists_the_shipped_ones() {
    let message = load("emacs", None).unwrap_err().to_string();
    assert!(
        message.contains("no keymap `emacs`: the shipped ones are default, vim"),
        "{message}"
    );
}
