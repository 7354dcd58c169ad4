use super::*;

#[test]
fn truncation_counts_cells_and_ends_in_an_ellipsis() {
    assert_eq!(truncate("checkout", 8), "checkout");
    assert_eq!(truncate("checkout", 5), "chec…");
    assert_eq!(truncate("checkout", 1), "…");
    assert_eq!(truncate("checkout", 0), "");
    // Wide characters take two cells and are never split.
    assert_eq!(truncate("日本語ラベル", 5), "日本…");
    let line = Line::from(vec![Span::raw("OOMKilled"), Span::raw(" exit 137")]);
    assert_eq!(truncate_line(line, 12).to_string(), "OOMKilled e…");
}

#[test]
fn eliding_the_middle_keeps_the_workload_and_the_pod_suffix() {
    let name = "notification-service-7d8f9c6b5-x2k9p";
    assert_eq!(elide_middle(name, 40), name);
    assert_eq!(elide_middle(name, 30), "notification-service-7d…-x2k9p");
    assert_eq!(width(&elide_middle(name, 30)), 30);
    assert_eq!(elide_middle(name, 20), "notification-…-x2k9p");
    // Too little room for the whole suffix: half and half.
    assert_eq!(elide_middle(name, 10), "notif…2k9p");
    assert_eq!(elide_middle("postgres-0", 10), "postgres-0");
    assert_eq!(elide_middle(name, 2), "n…");
    assert_eq!(elide_middle(name, 0), "");
    // Wide characters are never split and the result never overflows.
    let wide = elide_middle("日本語ラベル-日本", 9);
    assert!(width(&wide) <= 9, "{wide}");
    // Styles stay with their text; the ellipsis takes the style it replaces.
    let red = Style::new().fg(ratatui::style::Color::Red);
    let line = Line::from(vec![
        Span::raw("cart-"),
        Span::styled("7d8f9c6b5-x2k9p", red),
    ]);
    let cut = elide_middle_line(line, 14);
    assert_eq!(cut.to_string(), "cart-7d…-x2k9p");
    let styles: Vec<Style> = cut.spans.iter().map(|s| s.style).collect();
    assert_eq!(styles, [Style::new(), red, red, red]);
}

#[test]
fn wrapping_breaks_at_words_and_hangs_continuations() {
    let line = Line::from(vec![Span::raw("label   "), Span::raw("one two three four")]);
    let rows: Vec<String> = wrap(line, 16, 8).iter().map(Line::to_string).collect();
    assert_eq!(rows, ["label   one two ", "        three ", "        four"]);
    // A word longer than the line is split, and nothing loops forever.
    let rows: Vec<String> = wrap(Line::raw("abcdefghij"), 4, 0)
        .iter()
        .map(Line::to_string)
        .collect();
    assert_eq!(rows, ["abcd", "efgh", "ij"]);
    assert_eq!(wrap(Line::raw("日本語"), 1, 0).len(), 3);
    assert_eq!(wrap(Line::raw("     "), 2, 1).len(), 1);
    // Indentation wider than the line does not underflow.
    assert_eq!(wrap(Line::raw("          x"), 4, 0).len(), 1);
}

#[test]
fn quantities_read_like_kubectl_top() {
    assert_eq!(mem(230 * MI + 5), "230Mi");
    assert_eq!(mem(GI + GI / 2), "1.5Gi");
    assert_eq!(mem(2 * GI), "2Gi");
    assert_eq!(mem(2048), "2Ki");
    assert_eq!(cpu(250), "250m");
    assert_eq!(cpu(4000), "4");
    assert_eq!(cpu(1500), "1500m");
}
