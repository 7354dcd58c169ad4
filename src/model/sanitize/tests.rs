use super::*;

fn expand(bytes: &[u8]) -> String {
    let mut out = String::new();
    push_sanitized(&mut out, bytes, Tabs::Expand);
    out
}

#[test]
fn escapes_are_made_visible() {
    assert_eq!(sanitize("web-1"), "web-1");
    assert!(matches!(sanitize("web-1"), Cow::Borrowed(_)));
    assert!(matches!(sanitize("café 日本"), Cow::Borrowed(_)));
    assert_eq!(sanitize("a\x1b[2Jb"), "a\\x1b[2Jb");
    assert_eq!(sanitize("x\ny\tz\r"), "x\\ny\\tz\\r");
    assert_eq!(sanitize("\u{9b}31m"), "\\x9b31m");
    assert_eq!(sanitize("evil\u{202e}txt"), "evil\\u{202e}txt");
    assert_eq!(sanitize("\u{7f}"), "\\x7f");
    assert_eq!(
        sanitize("a\u{200b}b\u{2066}c\u{feff}"),
        "a\\u{200b}b\\u{2066}c\\u{feff}"
    );
    let lines: Vec<_> = sanitize_lines("one\r\ntwo\x07").collect();
    assert_eq!(lines, ["one", "two\\x07"]);
}

#[test]
fn nothing_a_pod_writes_can_drive_the_terminal() {
    // Clear the screen and home the cursor.
    assert_eq!(expand(b"\x1b[2J\x1b[H"), "\\x1b[2J\\x1b[H");
    // OSC 52: write "hello" to the clipboard, BEL- and ST-terminated.
    assert_eq!(
        expand(b"\x1b]52;c;aGVsbG8=\x07"),
        "\\x1b]52;c;aGVsbG8=\\x07"
    );
    assert_eq!(
        expand(b"\x1b]52;c;aGVsbG8=\x1b\\"),
        "\\x1b]52;c;aGVsbG8=\\x1b\\"
    );
    // OSC 0 sets the window title; DCS asks the terminal to answer.
    assert_eq!(expand(b"\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
    assert_eq!(expand(b"\x1bP$q\"p\x1b\\"), "\\x1bP$q\"p\\x1b\\");
    // C1 CSI and OSC written as UTF-8 (U+009B, U+009D): no ESC needed.
    assert_eq!(
        expand("\u{9b}2J\u{9d}0;t\u{9c}".as_bytes()),
        "\\x9b2J\\x9d0;t\\x9c"
    );
    // Backspace and carriage return would overwrite what was drawn.
    assert_eq!(expand(b"ok\rFAIL\x08"), "ok\\rFAIL\\x08");
}

#[test]
fn invalid_utf8_is_shown_byte_by_byte() {
    // A lone C1 byte, a truncated sequence, an overlong slash, a surrogate.
    assert_eq!(expand(b"a\x9bb"), "a\\x9bb");
    assert_eq!(expand(b"x\xe6\x97"), "x\\xe6\\x97");
    assert_eq!(expand(b"\xc0\xaf"), "\\xc0\\xaf");
    assert_eq!(expand(b"\xed\xa0\x80!"), "\\xed\\xa0\\x80!");
    // Latin-1 text reads as what it was.
    assert_eq!(expand(b"caf\xe9 ok"), "caf\\xe9 ok");
    // Valid text around it is kept.
    let mixed = ["日本\u{1F600}".as_bytes(), b"\xff"].concat();
    assert_eq!(expand(&mixed), "日本\u{1F600}\\xff");
}

#[test]
fn tabs_are_expanded_to_the_next_stop_by_display_cells() {
    assert_eq!(expand(b"\t"), " ".repeat(8));
    assert_eq!(expand(b"ab\tc"), format!("ab{}c", " ".repeat(6)));
    assert_eq!(
        expand(b"12345678\tx"),
        format!("12345678{}x", " ".repeat(8))
    );
    // A wide character takes two cells.
    assert_eq!(expand("日\tx".as_bytes()), format!("日{}x", " ".repeat(6)));
    // An escape takes the cells it is drawn in.
    assert_eq!(expand(b"\x1b\tx"), format!("\\x1b{}x", " ".repeat(4)));
    // zap's console encoder: columns line up whatever the level's length.
    let a = expand(b"2024-01-02T15:04:05Z\tINFO\tmain.go:42\tstarted");
    let b = expand(b"2024-01-02T15:04:05Z\tERROR\tmain.go:42\tfailed");
    assert_eq!(a.find("main.go"), b.find("main.go"));
    // Stops count from where this text starts, not from the buffer's start.
    let mut out = String::from("prefix: ");
    push_sanitized(&mut out, b"a\tb", Tabs::Expand);
    assert_eq!(out, format!("prefix: a{}b", " ".repeat(7)));
    // Cluster strings keep tabs visible.
    let mut out = String::new();
    push_sanitized(&mut out, b"a\tb", Tabs::Escape);
    assert_eq!(out, "a\\tb");
}

/// A deterministic source of test bytes (no dependency needed for this).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Pieces hostile log lines are made of, to mix with random bytes so the
/// property test meets real escape sequences, not only noise.
const HOSTILE: &[&[u8]] = &[
    b"\x1b[2J",
    b"\x1b[31mred\x1b[0m",
    b"\x1b]52;c;aGVsbG8=\x07",
    b"\x1b]0;title\x1b\\",
    b"\x1bP1$r\x1b\\",
    "\u{9b}6n".as_bytes(),
    b"\x9b",
    "\u{202e}".as_bytes(),
    "\u{2067}".as_bytes(),
    "\u{200d}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{e0041}".as_bytes(),
    b"\t",
    b"\r",
    b"\n",
    b"\x7f",
    b"\x00",
    "é".as_bytes(),
    "日本語".as_bytes(),
    "👨‍👩‍👧".as_bytes(),
    b"\xf0\x9f",
    b"\xff",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"level=info msg=\"ok\"",
    b"{\"msg\":\"\\u001b[2J\"}",
];

pub(crate) fn hostile_bytes(rng: &mut Lcg) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..rng.next(24) {
        match rng.next(3) {
            0 => bytes.extend_from_slice(HOSTILE[rng.next(HOSTILE.len())]),
            1 => bytes.extend((0..rng.next(6)).map(|_| rng.next(256) as u8)),
            _ => bytes.extend((0..rng.next(12)).map(|_| b'a' + rng.next(26) as u8)),
        }
    }
    bytes
}

#[test]
fn no_output_of_any_bytes_holds_a_control_or_invisible_character() {
    let mut rng = Lcg(3);
    for case in 0..20_000 {
        let bytes = hostile_bytes(&mut rng);
        for tabs in [Tabs::Escape, Tabs::Expand] {
            let mut out = String::new();
            push_sanitized(&mut out, &bytes, tabs);
            if let Some(c) = out.chars().find(|&c| needs_escape(c)) {
                panic!("case {case}: {c:?} left in {out:?} from {bytes:?}");
            }
            assert!(
                out.len() <= TAB_STOP * bytes.len(),
                "case {case}: {} bytes from {}",
                out.len(),
                bytes.len()
            );
            // What comes out is clean, so a second pass changes nothing.
            assert!(is_clean(&out), "case {case}");
        }
    }
}

#[test]
fn printable_text_passes_through_unchanged() {
    let alphabet: Vec<char> = "abcXYZ019 -_=:/\\\"'{}[]()~€éüßç日本語한국어😀👍🏽ŀĳ"
        .chars()
        .collect();
    let mut rng = Lcg(5);
    for _ in 0..5_000 {
        let text: String = (0..rng.next(80))
            .map(|_| alphabet[rng.next(alphabet.len())])
            .collect();
        assert!(matches!(sanitize(&text), Cow::Borrowed(_)), "{text:?}");
        assert_eq!(expand(text.as_bytes()), text);
    }
}
