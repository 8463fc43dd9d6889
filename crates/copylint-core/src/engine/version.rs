//! Version numbers after a model or product name, read at match time.
//!
//! A pattern's `<version>` cannot be a list of literals: model families
//! gain a release every few months. The automaton finds the name with the
//! first digit of its version; [`end`] then reads the rest of the version
//! (`4o`, `4.1-mini`, `5.5`, `3.5-turbo-instruct`) so that the whole name
//! is matched and reported.

/// Hyphenated words that turn a name into an adjective (`GPT-5-based`)
/// rather than continue its version; so do words ending in `-ed`/`-ing`.
const NOT_SUFFIXES: &[&str] = &[
    "aware",
    "capable",
    "class",
    "compatible",
    "driven",
    "first",
    "grade",
    "level",
    "like",
    "native",
    "only",
    "ready",
    "scale",
    "size",
    "specific",
    "style",
];

/// Reads a version in normalized `text` whose first digit ends just
/// before `at`: more digits, `.digits` parts, one letter (`4o`), then
/// hyphenated suffixes of letters and digits (`-mini`, `-mini-high`,
/// `-2024-08-06`). Returns the offset just past it.
pub fn end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = digits(at);
    while bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    if bytes.get(i).is_some_and(u8::is_ascii_lowercase) {
        i += 1;
    }
    while bytes.get(i) == Some(&b'-') {
        let start = i + 1;
        let mut j = start;
        while bytes
            .get(j)
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            j += 1;
        }
        let word = &text[start..j];
        let adjective = word.ends_with("ed")
            || word.ends_with("ing")
            || NOT_SUFFIXES.contains(&word)
            || bytes
                .get(j)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b >= 0x80);
        if word.is_empty() || adjective {
            break;
        }
        i = j;
    }
    i
}

/// Reads the rest of a literal after its first version, whose first digit
/// ends just before `at`: `tail` holds the literal's text after each
/// version. Returns the end of the match, or `None` if the text goes
/// another way.
pub fn match_tail(text: &str, at: usize, tail: &[String]) -> Option<usize> {
    let mut i = end(text, at);
    for (k, piece) in tail.iter().enumerate() {
        if !text[i..].starts_with(piece.as_str()) {
            return None;
        }
        i += piece.len();
        if k + 1 < tail.len() {
            if !text.as_bytes().get(i).is_some_and(u8::is_ascii_digit) {
                return None;
            }
            i = end(text, i + 1);
        }
    }
    Some(i)
}

/// Whether normalized `text` is, whole, a match of `literal`, which may
/// hold versions.
pub fn literal_matches(literal: &str, text: &str) -> bool {
    match literal.split_once(crate::policy::VERSION) {
        None => literal == text,
        Some((head, rest)) => {
            let tail: Vec<String> = rest
                .split(crate::policy::VERSION)
                .map(str::to_string)
                .collect();
            text.starts_with(head)
                && text
                    .as_bytes()
                    .get(head.len())
                    .is_some_and(u8::is_ascii_digit)
                && match_tail(text, head.len() + 1, &tail) == Some(text.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(s: &str) -> &str {
        &s[..end(s, 1)]
    }

    #[test]
    fn reads_whole_versions() {
        assert_eq!(version("5.5 and"), "5.5");
        assert_eq!(version("4o."), "4o");
        assert_eq!(version("4.1-mini,"), "4.1-mini");
        assert_eq!(version("4-mini-high x"), "4-mini-high");
        assert_eq!(version("3.5-turbo-0613"), "3.5-turbo-0613");
        assert_eq!(version("6. next"), "6");
        assert_eq!(version("5-powered agents"), "5");
        assert_eq!(version("5-based tools"), "5");
        assert_eq!(version("5-class"), "5");
        assert_eq!(version("3-scale models"), "3");
    }

    #[test]
    fn whole_texts_against_literals() {
        assert!(literal_matches("gpt-\u{E000}", "gpt-5.5"));
        assert!(literal_matches("gpt-\u{E000} mini", "gpt-4 mini"));
        assert!(!literal_matches("gpt-\u{E000}", "gpt-5 mini"));
        assert!(!literal_matches("gpt-\u{E000}", "gpt-"));
        assert!(literal_matches("calls on", "calls on"));
    }

    #[test]
    fn matches_text_between_versions() {
        let tail = ["/".to_string(), " mini".to_string()];
        assert_eq!(match_tail("2.1/3 mini", 1, &tail), Some(10));
        assert_eq!(match_tail("2.1 mini", 1, &tail), None);
        assert_eq!(match_tail("7-pro x", 1, &[String::new()]), Some(5));
    }
}
