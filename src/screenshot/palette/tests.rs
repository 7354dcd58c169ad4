use super::*;

const DEFAULT: Rgb = Rgb(1, 2, 3);

#[test]
fn the_256_palette_is_xterms() {
    assert_eq!(indexed(1), Rgb(0xcd, 0, 0));
    assert_eq!(indexed(16), Rgb(0, 0, 0));
    assert_eq!(indexed(203).to_string(), "#ff5f5f");
    assert_eq!(indexed(114).to_string(), "#87d787");
    assert_eq!(indexed(80).to_string(), "#5fd7d7");
    assert_eq!(indexed(231).to_string(), "#ffffff");
    assert_eq!(indexed(232).to_string(), "#080808");
    assert_eq!(indexed(252).to_string(), "#d0d0d0");
    assert_eq!(indexed(255).to_string(), "#eeeeee");
}

#[test]
fn named_colours_are_the_ansi_sixteen_and_reset_is_the_default() {
    assert_eq!(rgb(Color::Reset, DEFAULT), DEFAULT);
    assert_eq!(rgb(Color::Red, DEFAULT), indexed(1));
    assert_eq!(rgb(Color::DarkGray, DEFAULT), indexed(8));
    assert_eq!(rgb(Color::White, DEFAULT), indexed(15));
    assert_eq!(rgb(Color::Rgb(9, 8, 7), DEFAULT), Rgb(9, 8, 7));
}
