//! Near misses: how far a typed name is from the ones that exist, so an
//! error can say "did you mean …" (keymap and theme keys, namespaces).

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Close enough to be the name meant: one contains the other (at least
/// two characters of it), or at most two edits apart.
pub fn near(typed: &str, known: &str) -> bool {
    (typed.len() >= 2 && known.contains(typed))
        || (known.len() >= 2 && typed.contains(known))
        || edit_distance(known, typed) <= 2
}

#[cfg(test)]
mod tests;
