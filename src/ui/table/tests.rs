use super::*;

fn cursor(selected: usize, offset: usize) -> Cursor {
    Cursor { selected, offset }
}

#[test]
fn the_window_keeps_the_selection_visible() {
    assert_eq!(window(cursor(0, 0), 10_000, 20), 0..20);
    assert_eq!(window(cursor(50, 40), 10_000, 20), 40..60);
    // The reducer thought the table was taller than it is.
    assert_eq!(window(cursor(59, 20), 10_000, 20), 40..60);
    assert_eq!(window(cursor(3, 10), 10_000, 20), 3..23);
    // The list shrank under the offset.
    assert_eq!(window(cursor(4, 90), 5, 20), 0..5);
    assert_eq!(window(cursor(0, 0), 0, 20), 0..0);
    assert_eq!(window(cursor(0, 0), 5, 0), 0..0);
}

#[test]
fn narrow_screens_shrink_text_then_drop_columns_then_cut_names() {
    let cols = [
        Column::new("NAME").shrinks_last(10),
        Column::new("STATUS"),
        Column::new("NODE").optional(2),
        Column::new("AGE").optional(1),
        Column::new("MESSAGE").shrinks_first(8),
    ];
    let natural = [30, 16, 12, 3, 40];
    let all = layout(&cols, &natural, 120);
    assert_eq!(all, [Some(30), Some(16), Some(12), Some(3), Some(40)]);
    // 105 needed: MESSAGE gives back 15.
    assert_eq!(
        layout(&cols, &natural, 90),
        [Some(30), Some(16), Some(12), Some(3), Some(25)]
    );
    // MESSAGE at its minimum is not enough: NODE goes, then AGE.
    assert_eq!(
        layout(&cols, &natural, 62),
        [Some(30), Some(16), None, Some(3), Some(10)]
    );
    assert_eq!(
        layout(&cols, &natural, 56),
        [Some(30), Some(16), None, None, Some(8)]
    );
    // Nothing left to drop: NAME is cut.
    assert_eq!(
        layout(&cols, &natural, 40),
        [Some(14), Some(16), None, None, Some(8)]
    );
}
