//! Themes: the shipped files are complete and say what they mean to say,
//! user files merge over them, and every broken file is an exact
//! `file:line:col: message`.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};

use super::*;

/// A config directory with `themes/NAME.toml` files (kept while it lives).
struct Dir(tempfile::TempDir);

impl Dir {
    fn new(files: &[(&str, &str)]) -> Dir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("themes")).unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join("themes").join(format!("{name}.toml")), text).unwrap();
        }
        Dir(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path().join("themes").join(format!("{name}.toml"))
    }

    fn load(&self, name: &str) -> Result<Theme, ConfigError> {
        load_theme(name, Some(self.path()))
    }

    /// The error loading `name` gives, as the user reads it.
    fn error(&self, name: &str) -> String {
        self.load(name).unwrap_err().to_string()
    }
}

fn shipped_theme(name: &str) -> Theme {
    shipped(name).unwrap().unwrap()
}

/// The slots whose style differs between `a` and `b`, `log_pods` included.
fn differing(a: &Theme, b: &Theme) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = a
        .slots()
        .into_iter()
        .zip(b.slots())
        .filter(|((_, x), (_, y))| x != y)
        .map(|((k, _), _)| k)
        .collect();
    if a.log_pods != b.log_pods {
        keys.push("log_pods");
    }
    keys
}

#[test]
fn every_shipped_theme_reads_and_sets_every_slot() {
    assert_eq!(
        shipped_names(),
        ["default", "light", "high-contrast", "colorblind", "mono"]
    );
    for (name, text) in SHIPPED {
        let file = ThemeFile::parse(text, &shipped_path(name))
            .unwrap_or_else(|e| panic!("shipped theme {name}: {e}"));
        assert_eq!(file.missing(), Vec::<&str>::new(), "{name}");
        assert_eq!(file.extends, None, "{name}");
        let theme = shipped_theme(name);
        // Not the fallback, and some slot set in every theme.
        assert_ne!(theme, Theme::plain(), "{name}");
        assert_ne!(theme.title, Style::new(), "{name}");
        // The same file on disk: the embedded copy is the repository's.
        let on_disk =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(shipped_path(name)))
                .unwrap();
        assert_eq!(on_disk, text, "{name}");
    }
}

#[test]
fn a_theme_missing_slots_is_not_complete() {
    let file =
        ThemeFile::parse("status_ok = { fg = 1 }\n", Path::new("themes/partial.toml")).unwrap();
    let e = file.complete().unwrap_err().to_string();
    assert!(
        e.starts_with("themes/partial.toml: missing slots: base, header, header_label,"),
        "{e}"
    );
    assert!(e.ends_with("log_levels.trace, log_pods"), "{e}");
    let file = ThemeFile::parse("\n  extends = \"light\"\n", Path::new("themes/x.toml")).unwrap();
    assert_eq!(
        file.complete().unwrap_err().to_string(),
        "themes/x.toml:2:13: a shipped theme sets every slot and extends nothing"
    );
}

#[test]
fn the_default_theme_is_the_shipped_file() {
    let theme = Theme::default();
    assert_eq!(theme, shipped_theme("default"));
    // The colours the console had before themes were files.
    assert_eq!(
        theme.oom,
        Style::new()
            .fg(Color::Indexed(231))
            .bg(Color::Indexed(124))
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(
        theme.base,
        Style::new().fg(Color::Indexed(252)).bg(Color::Reset)
    );
    assert_eq!(
        theme.selection,
        Style::new()
            .bg(Color::Indexed(237))
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(theme.log_levels.trace.fg, Some(Color::Indexed(240)));
    assert_eq!(theme.log_pods.len(), 8);
}

#[test]
fn mono_has_no_colour_and_tells_states_apart_by_emphasis() {
    let mono = shipped_theme("mono");
    assert!(!mono.has_colour());
    for (key, style) in mono.slots() {
        assert!(matches!(style.fg, None | Some(Color::Reset)), "{key}");
        assert!(matches!(style.bg, None | Some(Color::Reset)), "{key}");
    }
    let emphasis = |s: Style| s.add_modifier;
    let rows = [
        ("base", mono.base),
        ("progressing", mono.progressing),
        ("not_ready", mono.not_ready),
        ("status_error", mono.status_error),
    ];
    for (i, (a, x)) in rows.iter().enumerate() {
        for (b, y) in &rows[i + 1..] {
            assert_ne!(emphasis(*x), emphasis(*y), "{a} and {b}");
            // The selection laid over a row still shows.
            assert_ne!(
                emphasis(x.patch(mono.selection)),
                emphasis(*x),
                "selected {a}"
            );
        }
    }
    assert!(mono.oom.add_modifier.contains(Modifier::REVERSED));
}

#[test]
fn colorblind_never_tells_good_from_bad_by_colour_alone() {
    let t = shipped_theme("colorblind");
    for (good, bad) in [
        (t.status_ok, t.status_error),
        (t.base, t.status_error),
        (t.base, t.not_ready),
        (t.not_ready, t.status_error),
        (t.progressing, t.status_error),
        (t.gauge_ok, t.gauge_full),
        (t.diff_added, t.diff_removed),
        (t.event_normal, t.event_warning),
        (t.notice_info, t.notice_error),
        (t.log_levels.info, t.log_levels.error),
    ] {
        assert_ne!(good.add_modifier, bad.add_modifier, "{good:?} / {bad:?}");
    }
    // Blue for good, vermillion for bad: no red and green pair at all.
    let greens = [Color::Green, Color::LightGreen, Color::Indexed(114)];
    for (key, style) in t.slots() {
        assert!(!style.fg.is_some_and(|c| greens.contains(&c)), "{key}");
    }
}

/// sRGB of a colour of the 256-colour palette (the xterm cube and greys).
fn rgb(colour: Color) -> Option<(u8, u8, u8)> {
    match colour {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i @ 16..=231) => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let i = i - 16;
            Some((level(i / 36), level(i / 6 % 6), level(i % 6)))
        }
        Color::Indexed(i @ 232..=255) => {
            let v = 8 + 10 * (i - 232);
            Some((v, v, v))
        }
        _ => None,
    }
}

/// WCAG contrast of `colour` on white.
fn contrast_on_white(colour: Color) -> f64 {
    let (r, g, b) = rgb(colour).unwrap_or_else(|| panic!("{colour:?} has a known RGB"));
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    1.05 / (l + 0.05)
}

#[test]
fn light_text_is_readable_on_white() {
    let t = shipped_theme("light");
    for (key, style) in t.slots() {
        // Text drawn on the terminal's own (white) background; borders,
        // the empty part of gauges and trace lines may be fainter.
        let faint = ["border", "gauge_empty", "log_levels.trace"].contains(&key);
        if let (Some(fg), None | Some(Color::Reset)) = (style.fg, style.bg)
            && fg != Color::Reset
            && !faint
        {
            let c = contrast_on_white(fg);
            assert!(c >= 4.5, "{key}: {fg:?} has contrast {c:.2} on white");
        }
    }
    for fg in &t.log_pods {
        assert!(contrast_on_white(*fg) >= 4.5, "log_pods {fg:?}");
    }
}

#[test]
fn high_contrast_sets_its_own_background_and_bold_statuses() {
    let t = shipped_theme("high-contrast");
    assert_eq!(t.base.bg, Some(Color::Black));
    for s in [t.status_ok, t.status_warn, t.status_error, t.not_ready] {
        assert!(s.add_modifier.contains(Modifier::BOLD), "{s:?}");
    }
}

#[test]
fn colours_are_names_indexes_or_hex() {
    assert_eq!(parse_colour("red"), Some(Color::Red));
    assert_eq!(parse_colour("Light-Blue"), Some(Color::LightBlue));
    assert_eq!(parse_colour("dark_grey"), Some(Color::DarkGray));
    assert_eq!(parse_colour("reset"), Some(Color::Reset));
    assert_eq!(parse_colour("203"), Some(Color::Indexed(203)));
    assert_eq!(parse_colour("#E69F00"), Some(Color::Rgb(0xe6, 0x9f, 0x00)));
    for bad in ["", "256", "#12345", "#1234567", "#gggggg", "rouge", "-1"] {
        assert_eq!(parse_colour(bad), None, "{bad:?}");
    }
}

#[test]
fn a_file_may_nest_log_levels_either_way_and_leave_fg_unset() {
    let dotted = "log_levels.error = { fg = \"#ff0000\" }\n\
                  selection = { modifiers = [\"reversed\", \"bold\"] }\n\
                  log_pods = []\n";
    let section = "[log_levels]\nwarn = { fg = 3, bg = \"reset\" }\n";
    let mut theme = Theme::plain();
    for text in [dotted, section] {
        let file = ThemeFile::parse(text, Path::new("t.toml")).unwrap();
        file.apply(&mut theme);
    }
    assert_eq!(
        theme.log_levels.error,
        Style::new().fg(Color::Rgb(255, 0, 0))
    );
    assert_eq!(
        theme.log_levels.warn,
        Style::new().fg(Color::Indexed(3)).bg(Color::Reset)
    );
    // No fg: the row's health colour shows through the selection.
    assert_eq!(theme.selection.fg, None);
    assert_eq!(
        theme.selection.add_modifier,
        Modifier::REVERSED | Modifier::BOLD
    );
}

#[test]
fn a_user_theme_changes_only_the_slots_it_names() {
    let dir = Dir::new(&[(
        "night",
        "# mine\nextends = \"light\"\n\
         status_error = { fg = \"#ff0000\", modifiers = [\"bold\"] }\n\
         [log_levels]\ndebug = { fg = 8 }\n",
    )]);
    let light = shipped_theme("light");
    let night = dir.load("night").unwrap();
    assert_eq!(
        differing(&light, &night),
        ["status_error", "log_levels.debug"]
    );
    assert_eq!(
        night.status_error,
        Style::new()
            .fg(Color::Rgb(255, 0, 0))
            .add_modifier(Modifier::BOLD)
    );
    assert_eq!(night.log_levels.debug, Style::new().fg(Color::Indexed(8)));
    let loaded = load_theme_layers("night", Some(dir.path())).unwrap();
    assert_eq!(
        loaded.layers,
        [Layer::User(dir.file("night")), Layer::Shipped("light")]
    );
    assert_eq!(
        loaded.describe(),
        format!("{} over shipped light", dir.file("night").display())
    );
}

#[test]
fn a_user_file_named_like_a_shipped_theme_changes_that_theme() {
    let dir = Dir::new(&[
        ("default", "oom = { modifiers = [\"reversed\"] }\n"),
        // No extends: over `default`, which is now the user's default.
        ("mine", "title = { fg = \"white\" }\n"),
        // Extending its own name is the shipped one.
        ("mono", "extends = \"mono\"\ndim = {}\n"),
    ]);
    let shipped_default = shipped_theme("default");
    let default = dir.load("default").unwrap();
    assert_eq!(differing(&shipped_default, &default), ["oom"]);
    assert_eq!(default.oom, Style::new().add_modifier(Modifier::REVERSED));
    let mine = dir.load("mine").unwrap();
    assert_eq!(differing(&shipped_default, &mine), ["title", "oom"]);
    assert_eq!(
        load_theme_layers("mine", Some(dir.path()))
            .unwrap()
            .describe(),
        format!(
            "{} over {} over shipped default",
            dir.file("mine").display(),
            dir.file("default").display()
        )
    );
    assert_eq!(
        differing(&shipped_theme("mono"), &dir.load("mono").unwrap()),
        ["dim"]
    );
    // Other shipped themes are untouched.
    assert_eq!(dir.load("light").unwrap(), shipped_theme("light"));
    // Without a config directory, only the shipped themes.
    assert_eq!(load_theme("default", None).unwrap(), shipped_default);
}

#[test]
fn a_toml_syntax_error_names_its_position() {
    let dir = Dir::new(&[("broken", "title = { fg = \"red\" }\noom = { fg = 1\n")]);
    assert_eq!(
        dir.error("broken"),
        format!(
            "{}:2:15: unclosed inline table, expected `}}`",
            dir.file("broken").display()
        )
    );
}

#[test]
fn an_unknown_slot_names_the_key_and_the_nearest_slot() {
    let dir = Dir::new(&[
        ("typo", "title = {}\n  staus_error = { fg = \"red\" }\n"),
        ("nested", "[log_levels]\nerror = {}\nfatal = {}\n"),
        ("level", "[log_levels]\nwarning = {}\n"),
    ]);
    assert_eq!(
        dir.error("level"),
        format!(
            "{}:2:1: unknown slot \"log_levels.warning\" (did you mean \"log_levels.warn\"?)",
            dir.file("level").display()
        )
    );
    assert_eq!(
        dir.error("typo"),
        format!(
            "{}:2:3: unknown slot \"staus_error\" (did you mean \"status_error\"?)",
            dir.file("typo").display()
        )
    );
    assert_eq!(
        dir.error("nested"),
        format!(
            "{}:3:1: unknown slot \"log_levels.fatal\"; themes/default.toml lists every slot",
            dir.file("nested").display()
        )
    );
}

#[test]
fn a_bad_colour_names_the_slot_and_the_value() {
    let dir = Dir::new(&[
        ("hex", "oom = { bg = 1, fg = \"#12345\" }\n"),
        ("index", "oom = { fg = 300 }\n"),
        ("name", "log_pods = [1, \"rouge\"]\n"),
        ("kind", "oom = { fg = true }\n"),
    ]);
    assert_eq!(
        dir.error("hex"),
        format!(
            "{}:1:22: oom.fg: \"#12345\" is not a colour: \"#rrggbb\" takes six hex digits",
            dir.file("hex").display()
        )
    );
    assert_eq!(
        dir.error("index"),
        format!(
            "{}:1:14: oom.fg: 300 is not a colour index (0-255)",
            dir.file("index").display()
        )
    );
    assert_eq!(
        dir.error("name"),
        format!(
            "{}:1:16: log_pods[1]: \"rouge\" is not a colour; use a name (red, lightblue, ...), \
             \"reset\", an index 0-255 or \"#rrggbb\"",
            dir.file("name").display()
        )
    );
    assert_eq!(
        dir.error("kind"),
        format!(
            "{}:1:14: oom.fg: a colour is a name, an index 0-255 or \"#rrggbb\", not a boolean",
            dir.file("kind").display()
        )
    );
}

#[test]
fn a_bad_modifier_or_style_names_the_slot() {
    let dir = Dir::new(&[
        (
            "modifier",
            "title = { modifiers = [\"bold\", \"blink\"] }\n",
        ),
        ("key", "title = { fg = 1, colour = 2 }\n"),
        ("string", "title = \"bold\"\n"),
    ]);
    assert_eq!(
        dir.error("modifier"),
        format!(
            "{}:1:32: title.modifiers: \"blink\" is not a modifier; use bold, dim, italic, \
             underlined, reversed, crossed_out, slow_blink, rapid_blink, hidden",
            dir.file("modifier").display()
        )
    );
    assert_eq!(
        dir.error("key"),
        format!(
            "{}:1:19: title: unknown key \"colour\"; a style has fg, bg and modifiers",
            dir.file("key").display()
        )
    );
    assert_eq!(
        dir.error("string"),
        format!(
            "{}:1:9: title must be a table such as {{ fg = \"red\", modifiers = [\"bold\"] }}, \
             not a string",
            dir.file("string").display()
        )
    );
}

#[test]
fn an_unknown_extends_names_what_there_is() {
    let dir = Dir::new(&[
        ("mine", "\nextends = \"solarized\"\n"),
        ("other", "extends = \"mine\"\n"),
    ]);
    let expected = format!(
        "{}:2:11: extends = \"solarized\", which is neither a shipped theme nor a file in the \
         themes directory; the shipped themes are default, light, high-contrast, colorblind, \
         mono; yours are mine, other",
        dir.file("mine").display()
    );
    assert_eq!(dir.error("mine"), expected);
    // Reached through another theme, the error is still in the file that has it.
    assert_eq!(dir.error("other"), expected);
}

#[test]
fn an_extends_loop_is_an_error_where_it_closes() {
    let dir = Dir::new(&[
        ("a", "extends = \"b\"\n"),
        ("b", "title = {}\nextends = \"a\"\n"),
        ("me", "extends = \"me\"\n"),
        // The user's default extends a theme that (by default) extends default.
        ("default", "extends = \"c\"\n"),
        ("c", "title = {}\n"),
    ]);
    assert_eq!(
        dir.error("a"),
        format!(
            "{}:2:11: extends = \"a\" makes a loop: a → b → a",
            dir.file("b").display()
        )
    );
    assert_eq!(
        dir.error("me"),
        format!(
            "{}:1:11: extends = \"me\" makes a loop: me → me",
            dir.file("me").display()
        )
    );
    assert_eq!(
        dir.error("default"),
        format!(
            "{}: extends \"default\" when it says nothing, which makes a loop: \
             default → c → default",
            dir.file("c").display()
        )
    );
}

#[test]
fn an_unknown_or_unsafe_name_is_an_error() {
    let dir = Dir::new(&[]);
    assert_eq!(
        dir.error("nope"),
        format!(
            "{}: \"nope\" is neither a shipped theme nor a file in the themes directory; \
             the shipped themes are default, light, high-contrast, colorblind, mono",
            dir.file("nope").display()
        )
    );
    assert_eq!(
        dir.error("../config"),
        "--theme: \"../config\" is not a theme's name (letters, digits, '-', '_' and '.'); \
         the shipped themes are default, light, high-contrast, colorblind, mono"
    );
    let dir = Dir::new(&[("x", "extends = \"../../etc/x\"\n")]);
    assert_eq!(
        dir.error("x"),
        format!(
            "{}:1:11: extends: \"../../etc/x\" is not a theme's name (letters, digits, '-', \
             '_' and '.')",
            dir.file("x").display()
        )
    );
}

fn env(theme: Option<&str>, no_color: Option<&str>) -> ThemeEnv {
    ThemeEnv {
        theme: theme.map(Into::into),
        no_color: no_color.map(Into::into),
    }
}

#[test]
fn the_flag_beats_the_environment_beats_the_config_beats_no_color() {
    let pick = |flag, env_theme, config, no_color| {
        let c = choose_theme(flag, config, &env(env_theme, no_color));
        let forces = c.forces_colour();
        (c.name, c.source, forces)
    };
    use ThemeSource::*;
    let s = |n: &str| n.to_string();
    assert_eq!(pick(None, None, None, None), (s("default"), Default, false));
    assert_eq!(
        pick(None, None, None, Some("1")),
        (s("mono"), NoColor, false)
    );
    // NO_COLOR set but empty does not count (no-color.org).
    assert_eq!(
        pick(None, None, None, Some("")),
        (s("default"), Default, false)
    );
    assert_eq!(
        pick(None, None, Some("light"), None),
        (s("light"), Config, false)
    );
    // Any explicit choice beats NO_COLOR, and crossterm must write colour.
    assert_eq!(
        pick(None, None, Some("light"), Some("1")),
        (s("light"), Config, true)
    );
    assert_eq!(
        pick(None, Some("colorblind"), Some("light"), Some("1")),
        (s("colorblind"), Env, true)
    );
    assert_eq!(
        pick(Some("mono"), Some("colorblind"), Some("light"), None),
        (s("mono"), Flag, false)
    );
    assert_eq!(
        pick(Some("high-contrast"), Some("colorblind"), None, Some("yes")),
        (s("high-contrast"), Flag, true)
    );
    // An empty WARROOM_THEME is unset.
    assert_eq!(
        pick(None, Some(""), Some("light"), None),
        (s("light"), Config, false)
    );
}

#[test]
fn no_color_takes_out_colours_even_from_a_users_mono() {
    let dir = Dir::new(&[(
        "mono",
        "title = { fg = \"red\", modifiers = [\"bold\"] }\nlog_pods = [1, 2]\n",
    )]);
    let by_no_color = choose_theme(None, None, &env(None, Some("1")));
    let theme = select(&by_no_color, Some(dir.path())).unwrap().theme;
    assert!(!theme.has_colour());
    assert_eq!(theme.title, Style::new().add_modifier(Modifier::BOLD));
    // Chosen by name, the user's mono is what they wrote.
    let by_name = choose_theme(Some("mono"), None, &env(None, Some("1")));
    let theme = select(&by_name, Some(dir.path())).unwrap().theme;
    assert_eq!(theme.title.fg, Some(Color::Red));
}
