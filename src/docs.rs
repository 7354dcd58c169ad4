//! Parts of the README generated from the code, so the documentation
//! cannot drift from the program: the key table (from the default keymap)
//! and the status guide for newcomers (from the texts the detail pane
//! shows). `tests/readme.rs` fails when README.md differs from these and
//! rewrites it when run with `WARROOM_UPDATE_README=1`.

use crate::keys::{Binding, Mode, key_label};
use crate::model::explain::status_guide;
use crate::model::pod_health::Health;

/// What a keymap section is for, as the key table heads it.
fn mode_heading(mode: Mode) -> &'static str {
    match mode {
        Mode::Table => "Everywhere on the main screen",
        Mode::Pods => "Pods view",
        Mode::PodsAndWorkloads => "Pods and workloads views",
        Mode::Workloads => "Workloads view (each change asks first)",
        Mode::Logs => "Logs pane",
        Mode::History => "Rollout history pane (each change asks first)",
        Mode::Dialog => "Confirmation",
        Mode::Alerts => "Alerts view",
        Mode::Changes => "What changed pane",
        Mode::Timeline => "Incident timeline pane",
        Mode::Editor => "Note editor",
        Mode::Yaml => "An object's YAML pane",
    }
}

/// Markdown for a key: `` `q` ``, `` `ctrl-s` ``; a backtick key is
/// wrapped so the code span survives.
fn key_code(label: &str) -> String {
    if label.contains('`') {
        format!("`` {label} ``")
    } else if label == "|" {
        "`\\|`".to_string()
    } else {
        format!("`{label}`")
    }
}

/// The key table: one Markdown table per mode, actions in keymap order,
/// every key bound to each.
pub fn key_table(bindings: &[Binding]) -> String {
    let mut out = String::new();
    for mode in Mode::ALL {
        let mut rows: Vec<(Vec<String>, &str, &str)> = Vec::new();
        for b in bindings.iter().filter(|b| b.mode == mode) {
            let label = key_code(&key_label(b.key, b.modifiers));
            match rows
                .iter_mut()
                .find(|(_, name, _)| *name == b.action.name())
            {
                Some((keys, _, _)) => keys.push(label),
                None => rows.push((vec![label], b.action.name(), b.action.describe())),
            }
        }
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "**{}** (`[{}]`)\n\n| Keys | Action | Does |\n|---|---|---|\n",
            mode_heading(mode),
            mode.name()
        ));
        for (keys, name, what) in rows {
            out.push_str(&format!("| {} | `{name}` | {what} |\n", keys.join(" ")));
        }
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

fn health_word(health: Health) -> &'static str {
    match health {
        Health::Ok => "healthy",
        Health::Progressing => "on its way",
        Health::NotReady => "running, not ready",
        Health::Failing => "failing",
    }
}

/// The status guide: for each situation, the STATUS words it covers, what
/// it means and what to check next — the detail pane's texts with their
/// generic words.
pub fn status_guide_markdown() -> String {
    let mut out = String::new();
    for entry in status_guide() {
        out.push_str(&format!("#### {}\n\n", entry.title));
        if entry.statuses.is_empty() {
            out.push_str(&format!(
                "*Raised by warroom's detectors · {}*\n\n",
                health_word(entry.health)
            ));
        } else {
            let words: Vec<String> = entry.statuses.iter().map(|s| format!("`{s}`")).collect();
            out.push_str(&format!(
                "*STATUS {} · {}*\n\n",
                words.join(", "),
                health_word(entry.health)
            ));
        }
        out.push_str(&entry.generic_meaning());
        out.push_str("\n\nWhat to check next:\n\n");
        for (i, step) in entry.generic_next().iter().enumerate() {
            out.push_str(&format!("{}. {step}\n", i + 1));
        }
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

/// `text` with the lines between `<!-- generated:NAME -->` and
/// `<!-- end:NAME -->` replaced by `body`; `None` when the markers are missing.
pub fn replace_section(text: &str, name: &str, body: &str) -> Option<String> {
    let start_marker = format!("<!-- generated:{name} -->\n");
    let end_marker = format!("<!-- end:{name} -->");
    let start = text.find(&start_marker)? + start_marker.len();
    let end = start + text[start..].find(&end_marker)?;
    Some(format!("{}\n{body}\n{}", &text[..start], &text[end..]))
}

/// What the README's generated sections should be: `(name, body)`.
pub fn readme_sections() -> Vec<(&'static str, String)> {
    vec![
        (
            "keys",
            key_table(&crate::config::keymap::default_bindings()),
        ),
        ("statuses", status_guide_markdown()),
    ]
}
