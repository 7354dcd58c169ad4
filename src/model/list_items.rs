//! The items of a Kubernetes list (`{"kind": "…List", …, "items": […]}`),
//! split out of the response as its bytes arrive.
//!
//! A 10,000-pod metrics list is about 4 MB of JSON; holding it whole for a
//! moment every poll was the console's peak memory. The splitter keeps only
//! the item being read (a few hundred bytes) and hands each complete item's
//! text to the caller, who decodes the few fields it needs.
//!
//! It is a lexer, not a parser: it tracks strings (with escapes) and nesting
//! depth, finds the top-level `items` key, and cuts the array's elements at
//! their closing brackets. Anything malformed yields fewer items, never a
//! panic; each item is still decoded (and may be rejected) by the caller.

/// Splits a list's `items` out of its JSON text, chunk by chunk.
#[derive(Debug, Default)]
pub struct ListItems {
    /// Earlier chunks' bytes of the element being read.
    pending: Vec<u8>,
    /// Open brackets: the list object is depth 1, inside `items` depth 2.
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The top-level string being read or last read (raw, escapes kept).
    key: Vec<u8>,
    /// The last top-level string was `"items"` and a `:` followed it.
    items_key: bool,
    /// Inside the `items` array.
    in_items: bool,
    /// Reading an element of `items`.
    in_element: bool,
    /// `items` was found (and maybe closed).
    found: bool,
    /// `items` was closed: the rest of the body is ignored.
    done: bool,
}

/// The longest top-level key worth remembering (`items` is five bytes).
const KEY_CAP: usize = 16;
/// Depth inside the `items` array.
const ITEMS: u32 = 2;

impl ListItems {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes; `each` gets every element completed by them, as
    /// text (invalid UTF-8 replaced).
    pub fn push(&mut self, chunk: &[u8], mut each: impl FnMut(&str)) {
        let mut start = 0;
        let mut i = 0;
        while i < chunk.len() {
            if self.done {
                return;
            }
            let b = chunk[i];
            i += 1;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    continue;
                } else if self.depth > 1 {
                    // Most of a list is text inside items: skip to the next
                    // quote or backslash at once.
                    i += chunk[i..]
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\')
                        .unwrap_or(chunk.len() - i);
                    continue;
                }
                if self.depth == 1 && self.key.len() < KEY_CAP {
                    self.key.push(b);
                }
                continue;
            }
            let i = i - 1;
            match b {
                b'"' => {
                    self.begin_element(i, &mut start);
                    self.in_string = true;
                    if self.depth == 1 {
                        self.key.clear();
                        self.items_key = false;
                    }
                }
                b':' => {
                    if self.depth == 1 {
                        self.items_key = self.key == b"items";
                    }
                }
                b'{' | b'[' => {
                    self.begin_element(i, &mut start);
                    self.depth += 1;
                    if b == b'[' && self.depth == ITEMS && self.items_key && !self.found {
                        self.in_items = true;
                        self.found = true;
                    }
                }
                b'}' | b']' => {
                    if self.in_element && self.depth == ITEMS + 1 {
                        self.end_element(&chunk[start..=i], &mut each);
                        start = i + 1;
                    } else if self.in_items && self.depth == ITEMS {
                        // `]` closing `items` (a scalar element may end here).
                        self.end_element(&chunk[start..i], &mut each);
                        self.in_items = false;
                        self.done = true;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                b',' => {
                    if self.in_element && self.depth == ITEMS {
                        // A scalar element (number, literal) ends at a comma.
                        self.end_element(&chunk[start..i], &mut each);
                        start = i + 1;
                    }
                }
                b if b.is_ascii_whitespace() => {}
                _ => self.begin_element(i, &mut start),
            }
        }
        if self.in_element {
            self.pending.extend_from_slice(&chunk[start..]);
        }
    }

    /// Whether the body had a top-level `items` array (a body without one is
    /// a single object, or not a list at all).
    pub fn found_items(&self) -> bool {
        self.found
    }

    /// Marks the start of an element when a value begins directly inside
    /// `items`.
    fn begin_element(&mut self, i: usize, start: &mut usize) {
        if self.in_items && !self.in_element && self.depth == ITEMS {
            self.in_element = true;
            self.pending.clear();
            *start = i;
        }
    }

    /// Hands over the element ending with `tail` (after what earlier chunks
    /// held of it).
    fn end_element(&mut self, tail: &[u8], each: &mut impl FnMut(&str)) {
        if !self.in_element {
            return;
        }
        self.in_element = false;
        let text = if self.pending.is_empty() {
            String::from_utf8_lossy(tail)
        } else {
            self.pending.extend_from_slice(tail);
            String::from_utf8_lossy(&self.pending)
        };
        let text = text.trim();
        if !text.is_empty() {
            each(text);
        }
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests;
