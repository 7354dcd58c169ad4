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

fn measure(full: usize, short: usize) -> Measure {
    Measure {
        full,
        short,
        empty: false,
    }
}

/// The widths of a layout, `None` for a dropped column.
fn widths(cols: &[Column], natural: &[usize], avail: usize) -> Vec<Option<usize>> {
    let measures: Vec<Measure> = natural.iter().map(|&w| measure(w, w)).collect();
    layout(cols, &measures, avail)
        .into_iter()
        .map(|s| s.map(|s| s.width))
        .collect()
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
    let all = widths(&cols, &natural, 120);
    assert_eq!(all, [Some(30), Some(16), Some(12), Some(3), Some(40)]);
    // 105 needed: MESSAGE gives back 15.
    assert_eq!(
        widths(&cols, &natural, 90),
        [Some(30), Some(16), Some(12), Some(3), Some(25)]
    );
    // MESSAGE at its minimum is not enough: NODE goes, then AGE.
    assert_eq!(
        widths(&cols, &natural, 62),
        [Some(30), Some(16), None, Some(3), Some(10)]
    );
    assert_eq!(
        widths(&cols, &natural, 56),
        [Some(30), Some(16), None, None, Some(8)]
    );
    // Nothing left to drop: NAME is cut.
    assert_eq!(
        widths(&cols, &natural, 40),
        [Some(14), Some(16), None, None, Some(8)]
    );
}

#[test]
fn columns_go_short_and_narrow_in_their_rank_and_room_left_goes_back() {
    let cols = [
        Column::new("NAME").shrinks_at(5, 20).shrinks_at(2, 10),
        Column::new("LAST").compacts_at(6).optional(1),
        Column::new("MEM").optional(4),
        Column::new("AGE").optional(7),
    ];
    let measures = [
        measure(36, 36),
        measure(28, 16),
        measure(17, 17),
        measure(4, 4),
    ];
    let at = |avail| layout(&cols, &measures, avail);
    let shown = |width, compact| Some(Shown { width, compact });
    // Everything fits: 85 + 3 gaps.
    assert_eq!(
        at(88),
        [
            shown(36, false),
            shown(28, false),
            shown(17, false),
            shown(4, false)
        ]
    );
    // AGE alone is enough for 83.
    assert_eq!(
        at(83),
        [shown(36, false), shown(28, false), shown(17, false), None]
    );
    // At 80 LAST takes its short form too; the 9 cells it frees beyond
    // the need bring AGE back.
    assert_eq!(
        at(80),
        [
            shown(36, false),
            shown(16, true),
            shown(17, false),
            shown(4, false)
        ]
    );
    // Then NAME loses up to 16 cells before MEM is dropped.
    assert_eq!(
        at(68),
        [shown(33, false), shown(16, true), shown(17, false), None]
    );
    assert_eq!(
        at(55),
        [shown(20, false), shown(16, true), shown(17, false), None]
    );
    // MEM dropped: the room it leaves goes back to NAME, not to AGE.
    assert_eq!(at(50), [shown(33, false), shown(16, true), None, None]);
    // Last of all, once NAME is down to 10, the short LAST goes.
    assert_eq!(at(27), [shown(10, false), shown(16, true), None, None]);
    assert_eq!(at(20), [shown(20, false), None, None, None]);
}

#[test]
fn an_optional_column_with_nothing_to_show_goes_first() {
    let cols = [
        Column::new("NAME").shrinks_last(10),
        Column::new("LAST TERMINATION").optional(1),
        Column::new("AGE").optional(9),
    ];
    let mut measures = [measure(30, 30), measure(16, 16), measure(4, 4)];
    let at = |m: &[Measure], avail| -> Vec<Option<usize>> {
        layout(&cols, m, avail)
            .into_iter()
            .map(|s| s.map(|s| s.width))
            .collect()
    };
    // With room, its title stays.
    assert_eq!(at(&measures, 60), [Some(30), Some(16), Some(4)]);
    assert_eq!(at(&measures, 50), [Some(30), Some(16), None]);
    // Empty in every visible row, it goes before AGE and before NAME shrinks.
    measures[1].empty = true;
    assert_eq!(at(&measures, 60), [Some(30), Some(16), Some(4)]);
    assert_eq!(at(&measures, 50), [Some(30), None, Some(4)]);
}
