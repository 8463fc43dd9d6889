//! Character references, the markup knowledge every reader shares: which
//! names HTML lets a writer end without `;`, which references can hide a
//! word's letters from a search of the raw bytes, and how a reference is
//! decoded (as html5gum decodes it, the tokenizer of the HTML reader).
//!
//! The HTML reader decodes through the tokenizer itself, the Markdown
//! reader through pulldown-cmark; both map a decoded reference back to the
//! whole of it. The prefilter and the joins it searches ([`super::joins`])
//! read the raw bytes with the tables here: see the contract in
//! [`crate::engine`]'s prefilter module.

pub use super::html::decode_text as decode;

/// The named references that HTML lets a writer end without `;` (`&nbsp`,
/// `&shy`, `&eacute`), as its tokenizer reads them in text: the letters
/// after one start the next word (`Open&nbspAI`), or continue this one
/// when it decodes to nothing (`en&shyables`).
pub const LEGACY: [&str; 106] = [
    "AElig", "AMP", "Aacute", "Acirc", "Agrave", "Aring", "Atilde", "Auml", "COPY", "Ccedil",
    "ETH", "Eacute", "Ecirc", "Egrave", "Euml", "GT", "Iacute", "Icirc", "Igrave", "Iuml", "LT",
    "Ntilde", "Oacute", "Ocirc", "Ograve", "Oslash", "Otilde", "Ouml", "QUOT", "REG", "THORN",
    "Uacute", "Ucirc", "Ugrave", "Uuml", "Yacute", "aacute", "acirc", "acute", "aelig", "agrave",
    "amp", "aring", "atilde", "auml", "brvbar", "ccedil", "cedil", "cent", "copy", "curren", "deg",
    "divide", "eacute", "ecirc", "egrave", "eth", "euml", "frac12", "frac14", "frac34", "gt",
    "iacute", "icirc", "iexcl", "igrave", "iquest", "iuml", "laquo", "lt", "macr", "micro",
    "middot", "nbsp", "not", "ntilde", "oacute", "ocirc", "ograve", "ordf", "ordm", "oslash",
    "otilde", "ouml", "para", "plusmn", "pound", "quot", "raquo", "reg", "sect", "shy", "sup1",
    "sup2", "sup3", "szlig", "thorn", "times", "uacute", "ucirc", "ugrave", "uml", "uuml",
    "yacute", "yen", "yuml",
];

/// The starts of the references that can hide a word's letters, in ASCII
/// lower case: numeric ones (any letter), the ones that decode to a
/// character normalization drops (soft hyphen, zero-width space and
/// joiners, word joiner), to letters (`&fjlig;`), or to a letter whose
/// lower case is ASCII (`&Idot;`). The legacy `&shy` is in [`LEGACY`].
pub const HIDING: [&str; 9] = [
    "&#",
    "&shy;",
    "&zwj;",
    "&zwnj;",
    "&nobreak;",
    "&zerowidthspace;",
    "&negative",
    "&fjlig;",
    "&idot;",
];

/// The end of the legacy reference name (the longest) after the `&` at
/// `text[at]`, if one follows it.
pub fn legacy_end(text: &[u8], at: usize) -> Option<usize> {
    let rest = text.get(at + 1..)?;
    LEGACY
        .iter()
        .filter(|name| rest.starts_with(name.as_bytes()))
        .map(|name| at + 1 + name.len())
        .max()
}

/// If `s` starts with a reference written as CommonMark reads one
/// (`&name;`, `&#123;`, `&#x1F;`), the offset of its `;`.
pub fn reference_end(s: &str) -> Option<usize> {
    let body = s.strip_prefix('&')?;
    let semi = body.find(';')?;
    let name = &body[..semi];
    let ok = !name.is_empty()
        && name.len() <= 32
        && (name.bytes().all(|b| b.is_ascii_alphanumeric())
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric())));
    ok.then_some(semi + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::normalize::INVISIBLE;

    /// Every name the tokenizer knows (`scripts/entity-names.py` wrote
    /// the list from its table).
    fn names() -> impl Iterator<Item = &'static str> {
        include_str!("../../tests/fixtures/entities/names.txt").lines()
    }

    #[test]
    fn the_legacy_names_are_those_without_a_semicolon() {
        let mut legacy: Vec<&str> = names().filter(|n| !n.ends_with(';')).collect();
        legacy.sort_unstable();
        let mut ours = LEGACY.to_vec();
        ours.sort_unstable();
        assert_eq!(legacy, ours);
        assert_eq!(names().count(), 2231);
    }

    #[test]
    fn every_reference_that_can_hide_letters_is_known() {
        // A reference hides letters when it decodes to nothing once
        // normalized, or to something with an ASCII letter or digit.
        let hides = |decoded: &str| {
            decoded.chars().all(|c| INVISIBLE.contains(&c))
                || decoded
                    .chars()
                    .flat_map(char::to_lowercase)
                    .any(|c| c.is_ascii_alphanumeric())
        };
        let mut hiding = Vec::new();
        for name in names() {
            let written = format!("&{name}");
            let decoded = decode(&written);
            assert_ne!(decoded, written, "{written} decodes");
            if hides(&decoded) {
                hiding.push(written);
            }
        }
        assert!(hiding.len() > 10, "{hiding:?}");
        for written in hiding {
            let lower = written.to_ascii_lowercase();
            let known = HIDING.iter().any(|h| lower.starts_with(h))
                || (!written.ends_with(';') && LEGACY.contains(&&written[1..]));
            assert!(known, "{written} can hide letters and is not in HIDING");
        }
    }

    #[test]
    fn numeric_references_decode() {
        assert_eq!(decode("&#x4F;&#112;&#X65n"), "Open");
    }

    #[test]
    fn ends() {
        assert_eq!(legacy_end(b"x&notin;", 1), Some(5));
        assert_eq!(legacy_end(b"&ampee", 0), Some(4));
        assert_eq!(legacy_end(b"&zz", 0), None);
        assert_eq!(reference_end("&amp; x"), Some(4));
        assert_eq!(reference_end("&#x1F;"), Some(5));
        assert_eq!(reference_end("& x;"), None);
    }
}
