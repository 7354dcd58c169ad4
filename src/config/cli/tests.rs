use super::*;

/// Places in a temp home: `config.toml` with `config`, themes `files`.
fn places(
    config: Option<&str>,
    files: &[(&str, &str)],
    flag: Option<&str>,
) -> (tempfile::TempDir, Places) {
    let home = tempfile::tempdir().unwrap();
    let config_dir = home.path().join("config");
    std::fs::create_dir_all(config_dir.join("themes")).unwrap();
    for (name, text) in files {
        std::fs::write(config_dir.join("themes").join(name), text).unwrap();
    }
    let config_file = config_dir.join("config.toml");
    if let Some(text) = config {
        std::fs::write(&config_file, text).unwrap();
    }
    let places = Places {
        config: Some((config_file, false)),
        paths: Some(Paths {
            config_dir,
            data_dir: home.path().join("data"),
        }),
        theme_flag: flag.map(str::to_string),
        theme_env: ThemeEnv::default(),
        keymap_flag: None,
    };
    (home, places)
}

#[test]
fn check_reports_every_broken_file_once() {
    let (home, places) = places(
        Some("[ui]\ntheme = \"mine\"\n[logs]\nbuffer_lines = 5\n"),
        &[
            ("mine.toml", "oom = { fg = \"#12345\" }\n"),
            ("ok.toml", "extends = \"mono\"\n"),
            ("notes.txt", "not a theme"),
        ],
        None,
    );
    let themes = home.path().join("config/themes");
    let report = check(&places);
    assert_eq!(
        report.errors,
        [
            format!(
                "{}:4:16: must be between 100 and 1000000, got 5",
                home.path().join("config/config.toml").display()
            ),
            format!(
                "{}:1:14: oom.fg: \"#12345\" is not a colour: \"#rrggbb\" takes six hex digits",
                themes.join("mine.toml").display()
            ),
        ]
    );
    // The config could not be read, so its theme was not chosen.
    assert_eq!(
        report.lines,
        [
            format!("{}: ok", themes.join("ok.toml").display()),
            "theme default (by the default): ok".to_string(),
            "keymap default (by the default): ok".to_string(),
        ]
    );
}

#[test]
fn the_chosen_theme_is_checked_once_and_by_its_source() {
    let (home, places) = places(
        Some("[ui]\ntheme = \"mine\"\n"),
        &[("mine.toml", "title = { modifiers = [\"loud\"] }\n")],
        None,
    );
    let report = check(&places);
    assert_eq!(report.errors.len(), 1, "{report:?}");
    assert!(report.errors[0].starts_with(&format!(
        "{}:1:24: title.modifiers: \"loud\" is not a modifier",
        home.path().join("config/themes/mine.toml").display()
    )));
    let lines = path_lines(&places);
    assert!(
        lines[3]
            .starts_with("theme:          mine (by [ui] theme in config.toml): cannot be used: "),
        "{lines:?}"
    );
    // --theme wins over the config.
    let places = Places {
        theme_flag: Some("light".into()),
        ..places
    };
    let lines = check(&places).lines;
    assert!(
        lines.contains(&"theme light (by --theme): ok".to_string()),
        "{lines:?}"
    );
    assert_eq!(
        path_lines(&places)[3],
        "theme:          light (by --theme): shipped light"
    );
}

#[test]
fn path_names_the_themes_directory_and_what_it_cannot_tell() {
    let (home, places) = places(Some("[ui\n"), &[], None);
    let lines = path_lines(&places);
    assert_eq!(
        lines[2],
        format!(
            "themes:         {}",
            home.path().join("config/themes").display()
        )
    );
    assert_eq!(
        lines[3],
        "theme:          unknown: the config file cannot be read (warroom config check)"
    );
    let none = Places {
        config: None,
        paths: None,
        theme_flag: None,
        theme_env: ThemeEnv::default(),
        keymap_flag: None,
    };
    assert_eq!(
        path_lines(&none),
        [
            "config file:    none (no home directory; --config or $WARROOM_CONFIG)",
            "data directory: none (no home directory; $WARROOM_DATA_DIR)",
            "themes:         none (no home directory)",
            "theme:          default (by the default): shipped default",
            "keymaps:        none (no home directory)",
            "keymap:         default (by the default): keymaps/default.toml (built in)",
            "diagnostics:    none (no home directory; $WARROOM_DATA_DIR)",
        ]
    );
}

#[test]
fn keymaps_are_listed_and_checked_beside_the_themes() {
    let (home, places) = places(Some("[ui]\nkeymap = \"mine\"\n"), &[], None);
    let keymaps = home.path().join("config/keymaps");
    std::fs::create_dir_all(&keymaps).unwrap();
    std::fs::write(keymaps.join("mine.toml"), "extends = \"vim\"\n").unwrap();
    std::fs::write(keymaps.join("bad.toml"), "[table]\nnope = \"x\"\n").unwrap();
    let lines = path_lines(&places);
    assert_eq!(lines[4], format!("keymaps:        {}", keymaps.display()));
    assert_eq!(
        lines[6],
        format!(
            "diagnostics:    {} (not there yet; written with --debug or $WARROOM_LOG)",
            home.path().join("data/logs/warroom.log").display()
        )
    );
    assert_eq!(
        lines[5],
        format!(
            "keymap:         mine (by [ui] keymap in config.toml): keymaps/default.toml (built in) + keymaps/vim.toml (built in) + {}",
            keymaps.join("mine.toml").display()
        )
    );
    let report = check(&places);
    assert_eq!(
        report.errors,
        [format!(
            "{}:2:1: unknown action `nope` in [table]",
            keymaps.join("bad.toml").display()
        )]
    );
    assert!(
        report
            .lines
            .contains(&format!("{}: ok", keymaps.join("mine.toml").display()))
    );
    assert!(
        report
            .lines
            .contains(&"keymap mine (by [ui] keymap in config.toml): ok".to_string())
    );
}
