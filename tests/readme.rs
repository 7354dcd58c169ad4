//! The README's generated sections match the code: the key table is the
//! default keymap, the status guide is the detail pane's texts. Run with
//! `WARROOM_UPDATE_README=1` to rewrite them.

use warroom::docs::{readme_sections, replace_section};

#[test]
fn the_readme_matches_the_keymap_and_the_status_guide() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let text = std::fs::read_to_string(path).unwrap();
    let mut want = text.clone();
    for (name, body) in readme_sections() {
        want = replace_section(&want, name, &body).unwrap_or_else(|| {
            panic!("README.md lacks <!-- generated:{name} --> … <!-- end:{name} -->")
        });
    }
    if want == text {
        return;
    }
    if std::env::var_os("WARROOM_UPDATE_README").is_some() {
        std::fs::write(path, &want).unwrap();
        return;
    }
    let first = text
        .lines()
        .zip(want.lines())
        .position(|(a, b)| a != b)
        .map_or(0, |i| i + 1);
    panic!(
        "README.md's generated sections are out of date (first difference on line {first}); \
         run `WARROOM_UPDATE_README=1 cargo test --test readme`"
    );
}

#[test]
fn every_action_and_every_status_is_in_the_readme() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (_, name) in warroom::keys::ACTION_NAMES {
        assert!(text.contains(&format!("`{name}`")), "{name} missing");
    }
    for entry in warroom::model::explain::status_guide() {
        assert!(
            text.contains(&format!("#### {}", entry.title)),
            "{} missing",
            entry.title
        );
    }
}

#[test]
fn every_screenshot_is_shown_and_every_picture_shown_exists() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(format!("{root}/screenshots"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in &files {
        assert!(
            text.contains(&format!("(screenshots/{file})")),
            "screenshots/{file} is not shown in the README"
        );
    }
    for link in text.split("](screenshots/").skip(1) {
        let name = link.split(')').next().unwrap();
        if name.is_empty() {
            continue; // the folder itself
        }
        assert!(
            files.iter().any(|f| f == name),
            "README shows screenshots/{name}, which does not exist"
        );
    }
}
