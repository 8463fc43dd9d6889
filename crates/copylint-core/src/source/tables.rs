//! Tables whose header row has no leading pipe, right after a paragraph.
//!
//! GitHub's parser and markdown-it start a table there (`text\nA | B |\n--- | ---`);
//! pulldown-cmark keeps the lines as paragraph text, so a phrase could
//! match across the table boundary. Before parsing, a blank line is
//! inserted in front of such a header row, which makes pulldown-cmark see
//! the table GitHub renders; [`Shifted`] maps offsets in the edited text
//! back to the original.

use std::borrow::Cow;

/// The text to parse, and where blank lines were inserted.
pub struct Shifted<'a> {
    pub text: Cow<'a, str>,
    /// Offsets in the edited text of each inserted `\n`, ascending.
    inserted: Vec<usize>,
}

impl Shifted<'_> {
    /// The original offset of edited offset `at` (never an inserted byte's
    /// own offset for text that was prose).
    pub fn original(&self, at: usize) -> usize {
        at - self.inserted.partition_point(|&p| p < at)
    }
}

/// Splits `text` where GitHub would start a table inside a paragraph.
pub fn split_pipeless(text: &str) -> Shifted<'_> {
    let mut inserts = Vec::new();
    // The two lines before this one, since the last fence, with where
    // each starts.
    let (mut before, mut header): (Option<&str>, Option<(usize, &str)>) = (None, None);
    let mut offset = 0;
    let mut fence: Option<(u8, usize)> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start_matches(' ');
        let indent = content.len() - trimmed.len();
        if indent < 4 {
            for marker in [b'`', b'~'] {
                let run = trimmed.bytes().take_while(|&b| b == marker).count();
                if run >= 3 {
                    fence = match fence {
                        None => Some((marker, run)),
                        Some((m, n)) if m == marker && run >= n => None,
                        open => open,
                    };
                }
            }
        }
        if fence.is_none()
            && let (Some(before), Some((header_at, header))) = (before, header)
            && memchr::memchr(b'|', content.as_bytes()).is_some()
            && cells(content).is_some_and(|n| header_cells(header) == Some(n))
            && !before.trim().is_empty()
        {
            inserts.push(header_at);
        }
        (before, header) = match fence {
            Some(_) => (None, None),
            None => (header.map(|(_, h)| h), Some((start, content))),
        };
    }
    if inserts.is_empty() {
        return Shifted {
            text: Cow::Borrowed(text),
            inserted: Vec::new(),
        };
    }
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut inserted = Vec::new();
    let mut from = 0;
    for at in inserts {
        out.push_str(&text[from..at]);
        inserted.push(out.len());
        out.push('\n');
        from = at;
    }
    out.push_str(&text[from..]);
    Shifted {
        text: Cow::Owned(out),
        inserted,
    }
}

/// The number of cells of a delimiter row (`--- | :-:`), if `line` is one
/// with at least one pipe.
fn cells(line: &str) -> Option<usize> {
    let t = line.trim();
    if !t.contains('|') || !t.contains('-') || line.len() - line.trim_start().len() >= 4 {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut n = 0;
    for cell in inner.split('|') {
        let c = cell.trim();
        let c = c.strip_prefix(':').unwrap_or(c);
        let c = c.strip_suffix(':').unwrap_or(c);
        if c.is_empty() || !c.bytes().all(|b| b == b'-') {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The number of cells of a header row without a leading pipe, inside a
/// paragraph (not a quote, list item, heading or indented code).
fn header_cells(line: &str) -> Option<usize> {
    let t = line.trim();
    let indent = line.len() - line.trim_start().len();
    if indent >= 4 || t.is_empty() || t.starts_with(['|', '>', '#', '-', '*', '+']) {
        return None;
    }
    let inner = t.strip_suffix('|').unwrap_or(t);
    let mut n = 1;
    let mut escaped = false;
    for b in inner.bytes() {
        match b {
            b'\\' => escaped = !escaped,
            b'|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    (n > 1 || t.ends_with('|')).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_a_blank_line_before_a_pipeless_header_inside_a_paragraph() {
        let md = "The agent calls on\nChatGPT | Notes |\n--- | ---\n";
        let s = split_pipeless(md);
        assert_eq!(
            s.text,
            "The agent calls on\n\nChatGPT | Notes |\n--- | ---\n"
        );
        let at = s.text.find("ChatGPT").unwrap();
        assert_eq!(s.original(at), md.find("ChatGPT").unwrap());
        assert_eq!(s.original(3), 3);
    }

    #[test]
    fn leaves_other_text_alone() {
        for md in [
            "| a | b |\n|---|---|\n",
            "para\n\na | b\n--- | ---\n",
            "Title\n---\n",
            "one\na | b | c\n--- | ---\n",
            "```\nx\na | b\n--- | ---\n```\n",
        ] {
            assert!(matches!(split_pipeless(md).text, Cow::Borrowed(_)), "{md}");
        }
    }
}
