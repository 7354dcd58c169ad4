use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn press(buf: &mut TextBuffer, code: KeyCode) {
    buf.input(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ctrl(buf: &mut TextBuffer, c: char) {
    buf.input(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn typed(text: &str) -> TextBuffer {
    let mut buf = TextBuffer::default();
    for c in text.chars() {
        match c {
            '\n' => press(&mut buf, KeyCode::Enter),
            c => press(&mut buf, KeyCode::Char(c)),
        }
    }
    buf
}

#[test]
fn typing_and_new_lines_make_the_text() {
    let buf = typed("checkout pods not ready\nDATABASE_URL missing");
    assert_eq!(buf.text(), "checkout pods not ready\nDATABASE_URL missing");
    assert_eq!(buf.cursor(), (1, 20));
}

#[test]
fn backspace_joins_lines_and_delete_pulls_the_next_one_up() {
    let mut buf = typed("ab\ncd");
    press(&mut buf, KeyCode::Home);
    press(&mut buf, KeyCode::Backspace);
    assert_eq!(buf.text(), "abcd");
    assert_eq!(buf.cursor(), (0, 2));
    press(&mut buf, KeyCode::Enter);
    press(&mut buf, KeyCode::Up);
    press(&mut buf, KeyCode::End);
    press(&mut buf, KeyCode::Delete);
    assert_eq!(buf.text(), "abcd");
}

#[test]
fn the_cursor_counts_characters_not_bytes() {
    let mut buf = typed("café ☕");
    press(&mut buf, KeyCode::Left);
    press(&mut buf, KeyCode::Left);
    press(&mut buf, KeyCode::Backspace);
    assert_eq!(buf.text(), "caf ☕");
    press(&mut buf, KeyCode::Char('é'));
    assert_eq!(buf.text(), "café ☕");
}

#[test]
fn shell_keys_cut_and_move_by_word() {
    let mut buf = typed("rolled back to revision 3");
    ctrl(&mut buf, 'w');
    assert_eq!(buf.text(), "rolled back to revision ");
    buf.input(KeyEvent::new(KeyCode::Left, KeyModifiers::CONTROL));
    assert_eq!(buf.cursor(), (0, 15));
    ctrl(&mut buf, 'k');
    assert_eq!(buf.text(), "rolled back to ");
    ctrl(&mut buf, 'a');
    buf.input(KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
    assert_eq!(buf.cursor(), (0, 6));
    ctrl(&mut buf, 'u');
    assert_eq!(buf.text(), " back to ");
}

#[test]
fn moving_up_and_down_keeps_within_the_shorter_line() {
    let mut buf = typed("a long first line\nshort");
    press(&mut buf, KeyCode::Up);
    assert_eq!(buf.cursor(), (0, 5));
    press(&mut buf, KeyCode::End);
    press(&mut buf, KeyCode::Down);
    assert_eq!(buf.cursor(), (1, 5));
    press(&mut buf, KeyCode::Down);
    assert_eq!(buf.cursor(), (1, 5), "no line below");
}

#[test]
fn a_full_note_takes_no_more_text_but_still_deletes() {
    let mut buf = TextBuffer::new(&"x".repeat(MAX_BYTES - 1));
    press(&mut buf, KeyCode::Char('y'));
    press(&mut buf, KeyCode::Enter);
    assert_eq!(buf.text().len(), MAX_BYTES - 1);
    press(&mut buf, KeyCode::Backspace);
    assert_eq!(buf.text().len(), MAX_BYTES - 2);
}

#[test]
fn control_characters_are_not_text() {
    let mut buf = TextBuffer::default();
    press(&mut buf, KeyCode::Char('\u{1b}'));
    press(&mut buf, KeyCode::Char('\u{7}'));
    assert!(buf.is_empty());
    assert!(!buf.input(KeyEvent::new(KeyCode::F(5), KeyModifiers::NONE)));
}

#[test]
fn a_correction_starts_with_the_note_and_the_cursor_at_its_end() {
    let buf = TextBuffer::new("first\nsecond");
    assert_eq!(buf.lines(), ["first", "second"]);
    assert_eq!(buf.cursor(), (1, 6));
}
