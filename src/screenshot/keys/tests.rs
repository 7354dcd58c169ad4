use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn characters_are_keys_and_names_in_brackets_are_special_keys() {
    let keys = parse("/api<enter>G<lt><down><c-s>").expect("valid");
    assert_eq!(
        keys,
        [
            key(KeyCode::Char('/')),
            key(KeyCode::Char('a')),
            key(KeyCode::Char('p')),
            key(KeyCode::Char('i')),
            key(KeyCode::Enter),
            KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT),
            key(KeyCode::Char('<')),
            key(KeyCode::Down),
            KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        ]
    );
    assert_eq!(
        parse("<ESC><tab><f5><space>").expect("valid"),
        [
            key(KeyCode::Esc),
            key(KeyCode::Tab),
            key(KeyCode::F(5)),
            key(KeyCode::Char(' '))
        ]
    );
    assert_eq!(parse("").expect("valid"), []);
}

#[test]
fn unknown_names_and_unclosed_brackets_are_errors_that_say_what_is_known() {
    let e = parse("<entr>").expect_err("unknown");
    assert!(
        e.contains("unknown key <entr>") && e.contains("pgdn"),
        "{e}"
    );
    let e = parse("a<b").expect_err("unclosed");
    assert!(e.contains("<lt>"), "{e}");
    assert!(parse("<f13>").is_err());
}
