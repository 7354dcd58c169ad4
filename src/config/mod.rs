//! Paths, theme and keymap loading and validation. Filled by the themes and
//! keymaps issue.
