//! Property tests: normalization, its source map, and byte offsets to
//! lines and columns against a naive reference.

use copylint::source::{BlockBuilder, LineIndex, normalize};
use proptest::prelude::*;

/// Text mixing ASCII, whitespace of every kind, quotes, dashes, invisible
/// characters, line breaks and wide characters.
fn messy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a", "B", "z", "Open", "AI", " ", "  ", "\t", "\n", "\r\n", "\r", "\u{A0}", "\u{202F}",
        "\u{2003}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2013}", "\u{2014}",
        "\u{2212}", "\u{2011}", "\u{AD}", "\u{200B}", "\u{200D}", "\u{FEFF}", "é", "É", "🙂",
        "日本", "\u{130}", ".", "-", "'",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn normalization_is_idempotent_and_tidy(s in messy()) {
        let n = normalize(&s);
        prop_assert_eq!(normalize(&n), n.clone());
        prop_assert!(!n.starts_with(' ') && !n.ends_with(' '));
        prop_assert!(!n.contains("  "));
        prop_assert!(!n.chars().any(|c| c.is_uppercase()));
        let invisible_or_curly = n.chars().any(|c| "\u{AD}\u{200B}\u{200D}\u{FEFF}\u{2018}\u{2019}\u{2013}\u{2014}".contains(c));
        prop_assert!(!invisible_or_curly, "{:?}", n);
    }

    #[test]
    fn every_normalized_word_maps_back_to_source_that_normalizes_to_it(s in messy()) {
        let mut b = BlockBuilder::default();
        b.push_str(&s, 0);
        if let Some(block) = b.finish() {
            prop_assert_eq!(&block.text, &normalize(&s));
            let text = &block.text;
            let mut start = 0;
            for word in text.split(' ') {
                let end = start + word.len();
                let r = block.source_range(start..end);
                prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                prop_assert_eq!(normalize(&s[r.clone()]), word.to_string(), "{:?} -> {:?}", word, &s[r]);
                start = end + 1;
            }
        } else {
            prop_assert_eq!(normalize(&s), "");
        }
    }

    #[test]
    fn positions_match_a_naive_count(s in messy()) {
        let index = LineIndex::new(&s);
        let (mut line, mut column) = (1, 1);
        let mut chars = s.char_indices().peekable();
        loop {
            let offset = chars.peek().map_or(s.len(), |&(i, _)| i);
            let p = index.position(&s, offset);
            prop_assert_eq!((p.line, p.column), (line, column), "offset {}", offset);
            let Some((_, c)) = chars.next() else { break };
            match c {
                '\r' if chars.peek().is_some_and(|&(_, n)| n == '\n') => {
                    chars.next();
                    line += 1;
                    column = 1;
                }
                '\n' | '\r' => {
                    line += 1;
                    column = 1;
                }
                _ => column += 1,
            }
        }
    }
}
