use super::*;

#[test]
fn movement_keys_stay_within_the_list() {
    let mut c = Cursor::default();
    assert!(c.step(Action::Up, 5, 2));
    assert_eq!(c.selected, 0);
    assert!(c.step(Action::Bottom, 5, 2));
    assert_eq!((c.selected, c.offset), (4, 3), "the last item is on screen");
    assert!(c.step(Action::Down, 5, 2));
    assert_eq!(c.selected, 4);
    assert!(c.step(Action::PageUp, 5, 2));
    assert_eq!((c.selected, c.offset), (2, 2));
    assert!(c.step(Action::Top, 5, 2));
    assert_eq!((c.selected, c.offset), (0, 0));
    assert!(c.step(Action::PageDown, 5, 10));
    assert_eq!(c.selected, 4, "a page past the end stops at the last item");
    assert!(!c.step(Action::Open, 5, 2), "not a movement");
}

#[test]
fn an_empty_list_keeps_the_cursor_at_zero() {
    let mut c = Cursor::default();
    for a in [Action::Down, Action::Bottom, Action::PageDown] {
        c.step(a, 0, 3);
        assert_eq!(c.selected, 0);
    }
}

#[test]
fn a_click_counts_from_the_oldest() {
    let mut c = Cursor::default();
    // Five items shown newest first: the oldest is index 4.
    assert!(c.select_from_oldest(0, 5));
    assert_eq!(c.selected, 4);
    assert!(!c.select_from_oldest(0, 5), "already selected");
    assert!(!c.select_from_oldest(5, 5), "no such item");
    assert!(c.select_from_oldest(4, 5));
    assert_eq!(c.selected, 0);
}

#[test]
fn settling_keeps_the_object_or_the_place() {
    let mut c = Cursor {
        selected: 7,
        offset: 5,
    };
    c.settle(Some(2), 10);
    assert_eq!((c.selected, c.offset), (2, 2));
    c.settle(None, 1);
    assert_eq!(c.selected, 0);
}
