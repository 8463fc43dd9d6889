//! Rule messages: templates with placeholders, checked when a policy loads
//! and filled in for each finding.
//!
//! `{matched}` stands for the text found, as written in the source; `{{`
//! and `}}` are literal braces. Any other `{name}` is an error in the
//! policy file, so a misspelled placeholder is caught at once instead of
//! being printed as is.

/// The placeholders a message may use.
pub const PLACEHOLDERS: &[&str] = &["matched"];

/// A piece of a message template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Matched,
}

/// A parsed message template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// A problem in a template, at byte `offset` of the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub offset: usize,
    pub message: String,
}

impl Template {
    /// Parses `text`, rejecting unknown placeholders and unmatched braces.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text.char_indices().peekable();
        while let Some((i, c)) = rest.next() {
            match c {
                '{' | '}' if rest.peek().map(|&(_, n)| n) == Some(c) => {
                    rest.next();
                    literal.push(c);
                }
                '{' => {
                    let Some(len) = text[i..].find('}') else {
                        return Err(TemplateError {
                            offset: i,
                            message: "`{` is never closed by `}` (write `{{` for a brace)"
                                .to_string(),
                        });
                    };
                    let name = &text[i + 1..i + len];
                    if !PLACEHOLDERS.contains(&name) {
                        return Err(TemplateError {
                            offset: i,
                            message: format!(
                                "unknown placeholder `{{{name}}}` (known: {}; write `{{{{` for a brace)",
                                PLACEHOLDERS
                                    .iter()
                                    .map(|p| format!("`{{{p}}}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        });
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Matched);
                    while rest.peek().is_some_and(|&(j, _)| j < i + len + 1) {
                        rest.next();
                    }
                }
                '}' => {
                    return Err(TemplateError {
                        offset: i,
                        message: "unexpected `}` (write `}}` for a brace)".to_string(),
                    });
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template { pieces })
    }

    /// Whether the template uses `{matched}`.
    pub fn uses_matched(&self) -> bool {
        self.pieces.contains(&Piece::Matched)
    }

    /// The message for a finding whose source text is `matched`.
    pub fn render(&self, matched: &str) -> String {
        self.pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.as_str(),
                Piece::Matched => matched,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders_and_unescapes_braces() {
        let t = Template::parse("\"{matched}\" in {{braces}}").unwrap();
        assert!(t.uses_matched());
        assert_eq!(t.render("X"), "\"X\" in {braces}");
        assert!(!Template::parse("plain").unwrap().uses_matched());
    }

    #[test]
    fn rejects_unknown_placeholders_and_stray_braces() {
        let e = Template::parse("a \"{match}\"").unwrap_err();
        assert_eq!(e.offset, 3);
        assert!(
            e.message.contains("unknown placeholder `{match}`"),
            "{}",
            e.message
        );
        assert!(Template::parse("a {matched").is_err());
        assert!(Template::parse("a } b").is_err());
    }
}
