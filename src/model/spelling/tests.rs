use super::edit_distance;

#[test]
fn counts_insertions_deletions_and_substitutions() {
    assert_eq!(edit_distance("production", "production"), 0);
    assert_eq!(edit_distance("production", "prodution"), 1);
    assert_eq!(edit_distance("shop", "shpo"), 2);
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("naïve", "naive"), 1, "characters, not bytes");
}
