//! The phrase-pattern language and its expansion to literals.
//!
//! A pattern is text with three kinds of group: `{a|b|c}` (one of the
//! alternatives), `[a|b]` (one of them, or nothing) and `<name>` (any term
//! of a term set). Groups nest. Two operators stand for families of
//! spellings: `~` joins two parts written together, apart or hyphenated
//! (`Chat~GPT`), and the built-in `<version>` is a version number
//! (`GPT-<version>`), which the matcher reads at match time. A pattern
//! expands to the normalized literals an automaton can search for; the
//! number of literals is computed before expanding and capped, so a hostile
//! pattern fails fast.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::source::normalize_cased;

/// Most literals one pattern may expand to.
pub const MAX_EXPANSION: u128 = 10_000;

/// Whether `name` can name a term set: letters, digits, `-` and `_`. The
/// schema and the pattern parser both ask this one function.
pub fn is_set_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// Stands for `<version>` in an expanded literal: a private-use character
/// that no policy may write, replaced by a version number at match time.
pub const VERSION: char = '\u{E000}';

/// The built-in set name for a version number.
pub const VERSION_SET: &str = "version";

/// A parse or expansion error, at byte `offset` of the pattern text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    Text(String),
    Alt {
        alts: Vec<Vec<Node>>,
        optional: bool,
    },
    Set {
        name: String,
        offset: usize,
    },
    Version,
}

/// A parsed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    nodes: Vec<Node>,
}

/// The term sets a pattern may refer to: name to expanded, normalized terms.
pub type Sets = HashMap<String, Vec<String>>;

impl Pattern {
    /// Parses `text`; `allow_sets` is false for set terms themselves.
    pub fn parse(text: &str, allow_sets: bool) -> Result<Pattern, PatternError> {
        let mut parser = Parser {
            text,
            pos: 0,
            allow_sets,
            depth: 0,
        };
        let nodes = parser.seq(None)?;
        Ok(Pattern { nodes })
    }

    /// The set names the pattern refers to, with their offsets.
    pub fn set_refs(&self) -> Vec<(&str, usize)> {
        fn walk<'a>(nodes: &'a [Node], out: &mut Vec<(&'a str, usize)>) {
            for node in nodes {
                match node {
                    Node::Text(_) | Node::Version => {}
                    Node::Alt { alts, .. } => alts.iter().for_each(|a| walk(a, out)),
                    Node::Set { name, offset } => out.push((name, *offset)),
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.nodes, &mut out);
        out
    }

    /// How many literals the pattern expands to (before removing duplicates).
    pub fn count(&self, sets: &Sets) -> u128 {
        fn seq(nodes: &[Node], sets: &Sets) -> u128 {
            nodes.iter().fold(1u128, |acc, node| {
                let n = match node {
                    Node::Text(_) | Node::Version => 1,
                    Node::Alt { alts, optional } => {
                        alts.iter().fold(u128::from(*optional), |sum, a| {
                            sum.saturating_add(seq(a, sets))
                        })
                    }
                    Node::Set { name, .. } => sets.get(name).map_or(0, |t| t.len() as u128),
                };
                acc.saturating_mul(n)
            })
        }
        seq(&self.nodes, sets)
    }

    /// Expands to the sorted, deduplicated literals, normalized but with
    /// their case as written ([`normalize_cased`]). Fails when a set is
    /// unknown, when the expansion is over [`MAX_EXPANSION`], when some
    /// expansion is empty, or when one starts with a version.
    pub fn expand(&self, sets: &Sets) -> Result<Vec<String>, PatternError> {
        for (name, offset) in self.set_refs() {
            if !sets.contains_key(name) {
                let mut known: Vec<&str> = sets.keys().map(String::as_str).collect();
                known.sort_unstable();
                return Err(PatternError {
                    offset,
                    message: format!(
                        "unknown term set `<{name}>` (defined sets: {})",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ),
                });
            }
        }
        let count = self.count(sets);
        if count > MAX_EXPANSION {
            return Err(PatternError {
                offset: 0,
                message: format!(
                    "pattern expands to {count} phrases, more than the limit of {MAX_EXPANSION}"
                ),
            });
        }
        let mut raw = vec![String::new()];
        expand_seq(&self.nodes, sets, &mut raw);
        let mut out = BTreeSet::new();
        for literal in raw {
            let n = normalize_cased(&literal);
            if n.starts_with(VERSION) {
                return Err(PatternError {
                    offset: 0,
                    message: "a phrase cannot start with `<version>`: write the name it follows (`GPT-<version>`)".to_string(),
                });
            }
            if n.is_empty() {
                return Err(PatternError {
                    offset: 0,
                    message: "pattern can match empty text (every word in it is optional)"
                        .to_string(),
                });
            }
            out.insert(n);
        }
        Ok(out.into_iter().collect())
    }
}

fn expand_seq(nodes: &[Node], sets: &Sets, acc: &mut Vec<String>) {
    for node in nodes {
        match node {
            Node::Text(t) => acc.iter_mut().for_each(|s| s.push_str(t)),
            Node::Version => acc.iter_mut().for_each(|s| s.push(VERSION)),
            Node::Alt { alts, optional } => {
                let mut next = Vec::new();
                if *optional {
                    next.extend(acc.iter().cloned());
                }
                for alt in alts {
                    let mut branch = acc.clone();
                    expand_seq(alt, sets, &mut branch);
                    next.extend(branch);
                }
                *acc = next;
            }
            Node::Set { name, .. } => {
                let terms = sets.get(name).map(Vec::as_slice).unwrap_or_default();
                *acc = acc
                    .iter()
                    .flat_map(|s| terms.iter().map(move |t| format!("{s}{t}")))
                    .collect();
            }
        }
    }
}

/// Deepest nesting of groups a pattern may use.
const MAX_DEPTH: usize = 16;

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    allow_sets: bool,
    depth: usize,
}

impl Parser<'_> {
    fn err<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, PatternError> {
        Err(PatternError {
            offset,
            message: message.into(),
        })
    }

    /// Parses a sequence up to `close` (or `|`) inside a group, or to the end.
    fn seq(&mut self, close: Option<char>) -> Result<Vec<Node>, PatternError> {
        let mut nodes = Vec::new();
        let mut text = String::new();
        while let Some(c) = self.text[self.pos..].chars().next() {
            match c {
                '{' | '[' => {
                    let open = self.pos;
                    if self.depth == MAX_DEPTH {
                        return self.err(open, format!("groups nested more than {MAX_DEPTH} deep"));
                    }
                    self.depth += 1;
                    self.pos += 1;
                    let closer = if c == '{' { '}' } else { ']' };
                    let mut alts = Vec::new();
                    loop {
                        let alt = self.seq(Some(closer))?;
                        if alt.is_empty() {
                            return self
                                .err(self.pos, format!("empty alternative in `{c}...{closer}`"));
                        }
                        alts.push(alt);
                        match self.text[self.pos..].chars().next() {
                            Some('|') => self.pos += 1,
                            Some(x) if x == closer => {
                                self.pos += 1;
                                break;
                            }
                            _ => {
                                return self
                                    .err(open, format!("`{c}` is never closed by `{closer}`"));
                            }
                        }
                    }
                    self.depth -= 1;
                    if !text.is_empty() {
                        nodes.push(Node::Text(std::mem::take(&mut text)));
                    }
                    nodes.push(Node::Alt {
                        alts,
                        optional: c == '[',
                    });
                }
                '~' => {
                    // Written together, apart or hyphenated: `[ |-]`.
                    if !text.is_empty() {
                        nodes.push(Node::Text(std::mem::take(&mut text)));
                    }
                    nodes.push(Node::Alt {
                        alts: vec![vec![Node::Text(" ".into())], vec![Node::Text("-".into())]],
                        optional: true,
                    });
                    self.pos += 1;
                }
                VERSION => return self.err(self.pos, "character U+E000 is reserved"),
                '<' => {
                    let open = self.pos;
                    let Some(len) = self.text[open..].find('>') else {
                        return self.err(open, "`<` is never closed by `>`");
                    };
                    let name = &self.text[open + 1..open + len];
                    if name == VERSION_SET {
                        if !text.is_empty() {
                            nodes.push(Node::Text(std::mem::take(&mut text)));
                        }
                        nodes.push(Node::Version);
                        self.pos = open + len + 1;
                        continue;
                    }
                    if !self.allow_sets {
                        return self.err(open, "a term set cannot refer to another set");
                    }
                    if !is_set_name(name) {
                        return self.err(open, format!("`<{name}>` is not a term set name"));
                    }
                    if !text.is_empty() {
                        nodes.push(Node::Text(std::mem::take(&mut text)));
                    }
                    nodes.push(Node::Set {
                        name: name.to_string(),
                        offset: open,
                    });
                    self.pos = open + len + 1;
                }
                '|' if close.is_some() => break,
                c if Some(c) == close => break,
                '}' | ']' | '>' | '|' => {
                    return self.err(self.pos, format!("unexpected `{c}`"));
                }
                c => {
                    text.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        if !text.is_empty() {
            nodes.push(Node::Text(text));
        }
        if close.is_none()
            && nodes
                .iter()
                .all(|n| matches!(n, Node::Text(t) if t.trim().is_empty()))
        {
            return self.err(0, "empty pattern");
        }
        Ok(nodes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(p: &str, sets: &Sets) -> Vec<String> {
        let mut out: Vec<String> = Pattern::parse(p, true)
            .unwrap()
            .expand(sets)
            .unwrap()
            .iter()
            .map(|l| crate::source::normalize(l))
            .collect();
        out.dedup();
        out
    }

    #[test]
    fn a_joint_is_together_apart_or_hyphenated_and_case_is_kept() {
        let cased = Pattern::parse("Chat~GPT", true)
            .unwrap()
            .expand(&Sets::new())
            .unwrap();
        assert_eq!(cased, ["Chat GPT", "Chat-GPT", "ChatGPT"]);
    }

    #[test]
    fn a_version_is_a_marker_after_a_name() {
        assert_eq!(
            expand("GPT-<version> [mini]", &Sets::new()),
            ["gpt-\u{E000}", "gpt-\u{E000} mini"]
        );
        assert!(Pattern::parse("o<version>", false).is_ok());
        let err = |p: &str| {
            Pattern::parse(p, true)
                .and_then(|x| x.expand(&Sets::new()))
                .unwrap_err()
                .message
        };
        assert!(err("<version> x").contains("cannot start with `<version>`"));
        assert!(err("a \u{E000}").contains("reserved"));
    }

    fn sets() -> Sets {
        let mut s = Sets::new();
        s.insert("ai".into(), vec!["openai".into(), "chatgpt".into()]);
        s
    }

    #[test]
    fn expands_alternation_optional_and_sets() {
        assert_eq!(
            expand("{Call|calls} [on|upon] [the] <ai>", &sets()),
            [
                "call chatgpt",
                "call on chatgpt",
                "call on openai",
                "call on the chatgpt",
                "call on the openai",
                "call openai",
                "call the chatgpt",
                "call the openai",
                "call upon chatgpt",
                "call upon openai",
                "call upon the chatgpt",
                "call upon the openai",
                "calls chatgpt",
                "calls on chatgpt",
                "calls on openai",
                "calls on the chatgpt",
                "calls on the openai",
                "calls openai",
                "calls the chatgpt",
                "calls the openai",
                "calls upon chatgpt",
                "calls upon openai",
                "calls upon the chatgpt",
                "calls upon the openai",
            ]
        );
    }

    #[test]
    fn groups_nest_and_join_inside_words() {
        assert_eq!(
            expand("GPT-{4[o|.1]|5}", &Sets::new()),
            ["gpt-4", "gpt-4.1", "gpt-4o", "gpt-5"]
        );
    }

    #[test]
    fn reports_errors_with_offsets() {
        let err = |p: &str| {
            Pattern::parse(p, true)
                .and_then(|x| x.expand(&sets()))
                .unwrap_err()
        };
        assert_eq!(err("").message, "empty pattern");
        assert_eq!(err("a {b|c").offset, 2);
        assert!(
            err("a <nope>")
                .message
                .contains("unknown term set `<nope>`")
        );
        assert_eq!(err("a <nope>").offset, 2);
        assert!(err("[a]").message.contains("empty text"));
        assert!(err("a {b||c}").message.contains("empty alternative"));
        assert!(err("a } b").message.contains("unexpected"));
        assert!(Pattern::parse("<x>", false).is_err());
        let deep = format!("{}a{}", "{".repeat(100_000), "}".repeat(100_000));
        assert!(err(&deep).message.contains("nested more than"));
    }

    #[test]
    fn caps_expansion_before_expanding() {
        let p = "{a|b|c|d|e|f|g|h|i|j} ".repeat(5);
        let err = Pattern::parse(&p, true)
            .unwrap()
            .expand(&Sets::new())
            .unwrap_err();
        assert!(err.message.contains("100000 phrases"), "{}", err.message);
        let huge = "{a|b|c|d|e|f|g|h|i|j} ".repeat(60);
        assert!(
            Pattern::parse(&huge, true)
                .unwrap()
                .expand(&Sets::new())
                .is_err()
        );
    }
}
