//! Production context patterns.
//!
//! A pattern without `*` matches a context whose name has it as one of its
//! words (split at anything not a letter or digit), ignoring case: `prod`
//! matches `gke_acme-prod_europe-west1` and `prod`, but not `product-demo`.
//! A pattern with `*` is a glob over the whole name (`*-live`, `eks-*`).

/// Whether `context` matches any of `patterns`.
pub fn matches_production(context: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| matches(context, p))
}

fn matches(context: &str, pattern: &str) -> bool {
    let context = context.to_lowercase();
    let pattern = pattern.to_lowercase();
    if pattern.is_empty() {
        return false;
    }
    if pattern.contains('*') {
        return glob(context.as_bytes(), pattern.as_bytes());
    }
    context
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == pattern)
}

/// `*` matches any run of bytes; everything else matches itself.
fn glob(text: &[u8], pattern: &[u8]) -> bool {
    // Iterative with one back-tracking point: linear for the patterns people write.
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests;
