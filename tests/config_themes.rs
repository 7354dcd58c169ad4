//! `warroom config path` and `warroom config check` with user themes,
//! through the real binary, in a home directory of its own (HOME and
//! XDG_CONFIG_HOME point at a temp dir; the theme variables are cleared).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs warroom with `home` as its home and config directory.
fn warroom(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_warroom"));
    cmd.args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env_remove("WARROOM_CONFIG")
        .env_remove("WARROOM_DATA_DIR")
        .env_remove("WARROOM_THEME")
        .env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the warroom binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The themes directory as `warroom config path` names it (the platform
/// decides where under the home directory it is).
fn themes_dir(home: &Path) -> PathBuf {
    let out = warroom(home, &[], &["config", "path"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("themes:"))
        .unwrap_or_else(|| panic!("a themes line in {text}"));
    let dir = line.trim().trim_end_matches(" (not there yet)");
    let dir = PathBuf::from(dir);
    assert!(dir.starts_with(home), "{dir:?} is under {home:?}");
    dir
}

#[test]
fn config_check_names_the_broken_user_theme_by_file_line_and_column() {
    let home = tempfile::tempdir().unwrap();
    let dir = themes_dir(home.path());
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("night.toml");
    std::fs::write(&good, "extends = \"light\"\ntitle = { fg = \"#102030\" }\n").unwrap();
    let broken = dir.join("typo.toml");
    std::fs::write(
        &broken,
        "# mine\nextends = \"colorblind\"\n  staus_error = { fg = \"red\" }\n",
    )
    .unwrap();

    let out = warroom(home.path(), &[], &["config", "check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [format!(
            "warroom: {}:3:3: unknown slot \"staus_error\" (did you mean \"status_error\"?)",
            broken.display()
        )]
    );
    let text = stdout(&out);
    assert!(text.contains(&format!("{}: ok", good.display())), "{text}");
    assert!(
        text.contains("theme default (by the default): ok"),
        "{text}"
    );

    // Fixed, it checks clean; the chosen theme is named with its files.
    std::fs::write(&broken, "extends = \"colorblind\"\n").unwrap();
    let out = warroom(
        home.path(),
        &[("WARROOM_THEME", "night")],
        &["config", "check"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("theme night (by $WARROOM_THEME): ok\n"),
        "{text}"
    );
    assert!(
        text.ends_with("keymap default (by the default): ok\n"),
        "{text}"
    );
    let out = warroom(
        home.path(),
        &[("WARROOM_THEME", "night"), ("NO_COLOR", "1")],
        &["config", "path"],
    );
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "theme:          night (by $WARROOM_THEME): {} over shipped light",
            good.display()
        )),
        "{text}"
    );
    // NO_COLOR alone picks mono.
    let out = warroom(home.path(), &[("NO_COLOR", "1")], &["config", "path"]);
    assert!(
        stdout(&out).contains("theme:          mono (by $NO_COLOR): shipped mono"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_unknown_theme_stops_the_console_before_it_starts() {
    let home = tempfile::tempdir().unwrap();
    let out = warroom(
        home.path(),
        &[],
        &["--theme", "solarized", "config", "check"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "\"solarized\" is neither a shipped theme nor a file in the themes directory; \
             the shipped themes are default, light, high-contrast, colorblind, mono"
        ),
        "{err}"
    );
    // The demo reads the theme with the config, before building the sim.
    let out = warroom(home.path(), &[("WARROOM_THEME", "solarized")], &["demo"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("\"solarized\" is neither a shipped theme"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn an_unknown_name_in_config_toml_is_reported_where_it_was_written() {
    let home = tempfile::tempdir().unwrap();
    let themes = themes_dir(home.path());
    let config = themes.parent().unwrap().join("config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        "# mine\n[ui]\ntheme = \"solarised\"\nkeymap  = \"emacs\"\n",
    )
    .unwrap();
    let out = warroom(home.path(), &[], &["config", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let at = |line: usize, col: usize| format!("{}:{line}:{col}: ", config.display());
    assert!(
        err.contains(&format!(
            "{}\"solarised\" is neither a shipped theme",
            at(3, 9)
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}no keymap `emacs`: the shipped ones are default, vim",
            at(4, 11)
        )),
        "{err}"
    );
    // The console stops at the first, before it takes the terminal.
    let out = warroom(home.path(), &[], &["demo"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains(&at(3, 9)), "{}", stderr(&out));
    // A keymap that exists but is broken is reported in its own file, not
    // where config.toml named it.
    let keymaps = themes.parent().unwrap().join("keymaps");
    std::fs::create_dir_all(&keymaps).unwrap();
    std::fs::write(keymaps.join("emacs.toml"), b"[table]\nquit = \"\xff\"\n").unwrap();
    let out = warroom(home.path(), &[], &["config", "check"]);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}", keymaps.join("emacs.toml").display())),
        "{err}"
    );
    assert!(!err.contains(&at(4, 11)), "{err}");
    // A flag names no line of the file.
    let out = warroom(home.path(), &[], &["--theme", "nord", "config", "check"]);
    let err = stderr(&out);
    assert!(err.contains("\"nord\" is neither"), "{err}");
    assert!(!err.contains(&at(3, 9)), "{err}");
}
