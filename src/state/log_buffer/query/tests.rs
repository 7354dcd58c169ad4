use super::*;

#[test]
fn lower_case_matches_any_case_and_a_capital_makes_it_exact() {
    let mut scratch = String::new();
    let q = LogQuery::new("timeout").unwrap();
    assert!(q.is_match("upstream Timeout after 30s", &mut scratch));
    assert!(q.is_match("TIMEOUT", &mut scratch));
    assert!(!q.is_match("time out", &mut scratch));
    let q = LogQuery::new("ERROR").unwrap();
    assert!(q.exact());
    assert!(q.is_match("ERROR x", &mut scratch));
    assert!(!q.is_match("error rate nominal", &mut scratch));
    assert!(LogQuery::new("").is_none());
}

#[test]
fn ranges_point_into_the_text_drawn_even_past_non_ascii() {
    let q = LogQuery::new("ab").unwrap();
    assert_eq!(q.ranges("xABab_aB"), [1..3, 3..5, 6..8]);
    // `É` folds to `é` (same length); `İ` (2 bytes) would fold to 3 bytes
    // and is compared as it is, so later offsets stay right.
    let text = "İÉcole ab";
    let r = LogQuery::new("école ab").unwrap().ranges(text);
    assert_eq!(r, vec![2..text.len()]);
    assert_eq!(&text[r[0].clone()], "École ab");
    assert_eq!(LogQuery::new("aa").unwrap().ranges("aaa"), vec![0..2]);
}
