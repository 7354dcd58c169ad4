use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use super::*;

fn buffer(width: u16, height: u16) -> Buffer {
    Buffer::empty(Rect::new(0, 0, width, height))
}

fn svg(buf: &Buffer) -> String {
    to_svg(buf, "test", &Canvas::default())
}

fn texts(svg: &str) -> Vec<&str> {
    svg.lines().filter(|l| l.starts_with("<text")).collect()
}

#[test]
fn a_run_of_one_style_is_one_text_element_at_its_first_cell() {
    let mut buf = buffer(20, 1);
    buf.set_string(2, 0, "Running 1/1", Style::new().fg(Color::Indexed(114)));
    let svg = svg(&buf);
    assert_eq!(
        texts(&svg),
        [r#"<text class="t0" x="28.8" y="25" textLength="92.4">Running 1/1</text>"#]
    );
    assert!(svg.contains(".t0{fill:#87d787}"), "{svg}");
    assert!(!svg.contains("<rect class"), "no background but the canvas");
}

#[test]
fn reset_is_the_canvas_and_reversed_swaps_the_colours() {
    let mut buf = buffer(10, 1);
    buf.set_string(0, 0, "ab", Style::new().fg(Color::Reset));
    buf.set_string(
        4,
        0,
        "cd",
        Style::new()
            .fg(Color::Indexed(16))
            .bg(Color::Indexed(80))
            .add_modifier(Modifier::REVERSED),
    );
    let svg = svg(&buf);
    assert!(svg.contains(".t0{fill:#d0d0d0}"), "{svg}");
    // Reversed: cyan text on black cells.
    assert!(svg.contains(".t1{fill:#5fd7d7}"), "{svg}");
    assert!(svg.contains(".b0{fill:#000000}"), "{svg}");
    assert!(svg.contains(r#"<rect class="b0" x="45.6" y="12" width="16.8" height="17"/>"#));
}

#[test]
fn emphasis_becomes_css() {
    let mut buf = buffer(10, 1);
    let all = Modifier::BOLD
        | Modifier::ITALIC
        | Modifier::UNDERLINED
        | Modifier::CROSSED_OUT
        | Modifier::DIM;
    buf.set_string(0, 0, "x ", Style::new().add_modifier(all));
    let svg = svg(&buf);
    assert!(
        svg.contains(
            ".t0{fill:#d0d0d0;font-weight:bold;font-style:italic;text-decoration:underline line-through;opacity:.5}"
        ),
        "{svg}"
    );
    // Underlined spaces are drawn: the run keeps its trailing space.
    assert!(svg.contains(r#"textLength="16.8">x </text>"#), "{svg}");
}

#[test]
fn hidden_text_takes_the_background_colour() {
    let mut buf = buffer(4, 1);
    buf.set_string(
        0,
        0,
        "pw",
        Style::new()
            .fg(Color::Red)
            .bg(Color::Blue)
            .add_modifier(Modifier::HIDDEN),
    );
    let svg = svg(&buf);
    assert!(svg.contains(".t0{fill:#0000ee}"), "{svg}");
}

#[test]
fn text_is_escaped() {
    let mut buf = buffer(24, 1);
    buf.set_string(0, 0, "<a & b> \"c\"", Style::new());
    let svg = svg(&buf);
    assert!(svg.contains(">&lt;a &amp; b&gt; \"c\"</text>"), "{svg}");
}

#[test]
fn a_wide_character_takes_two_cells() {
    let mut buf = buffer(10, 1);
    buf.set_string(0, 0, "日本x", Style::new());
    let one_run = svg(&buf);
    // Four cells of CJK and one of x, one run of five cells.
    assert_eq!(
        texts(&one_run),
        [r#"<text class="t0" x="12" y="25" textLength="42">日本x</text>"#]
    );
    let mut buf = buffer(10, 1);
    buf.set_string(0, 0, "日", Style::new().fg(Color::Red));
    buf.set_string(2, 0, "y", Style::new().fg(Color::Green));
    let two_runs = svg(&buf);
    assert!(
        two_runs.contains(r#"x="28.8" y="25" textLength="8.4">y</text>"#),
        "{two_runs}"
    );
}

#[test]
fn a_theme_with_its_own_background_is_the_canvas() {
    let mut theme = crate::config::theme::Theme::default();
    assert_eq!(Canvas::for_theme(&theme), Canvas::default(), "on Reset");
    theme.base = Style::new().fg(Color::Indexed(236)).bg(Color::Indexed(255));
    let canvas = Canvas::for_theme(&theme);
    assert_eq!(
        (canvas.fg, canvas.bg),
        (Rgb(0x30, 0x30, 0x30), Rgb(0xee, 0xee, 0xee))
    );
    let mut buf = buffer(4, 1);
    buf.set_style(buf.area, theme.base);
    buf.set_string(0, 0, "ok", Style::new());
    let svg = to_svg(&buf, "light", &canvas);
    assert!(!svg.contains("<rect class"), "no rectangle per run: {svg}");
    assert!(svg.contains(r##"rx="6" fill="#eeeeee""##), "{svg}");
}

#[test]
fn rows_stack_and_the_size_fits_the_grid() {
    let mut buf = buffer(3, 2);
    buf.set_string(0, 1, "z", Style::new());
    let svg = svg(&buf);
    assert!(svg.starts_with(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="49.2" height="58" viewBox="0 0 49.2 58""#
    ));
    assert!(svg.contains(r#"y="42" textLength="8.4">z</text>"#), "{svg}");
    assert!(svg.contains("<title>test</title>"));
    assert!(svg.trim_end().ends_with("</svg>"));
}
