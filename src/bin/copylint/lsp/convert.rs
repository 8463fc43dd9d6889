//! Between copylint's byte offsets and LSP positions, between file paths
//! and `file:` URIs, and from findings and notices to diagnostics.
//!
//! LSP positions count a line's code units in the encoding negotiated at
//! start-up: UTF-16 unless the client offers UTF-8 or UTF-32. A line with
//! an emoji before a match is where the encodings differ.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use copylint::source::LineIndex;
use copylint::{Finding, Notice, NoticeLevel, Severity};
use lsp_types::{
    Diagnostic, DiagnosticSeverity, NumberOrString, Position, PositionEncodingKind, Range, Uri,
};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// The unit a position's `character` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The server's pick from the encodings the client offers, in the
    /// client's order of preference; UTF-16 when it offers none.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        offered
            .unwrap_or_default()
            .iter()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, s: &str) -> usize {
        match self {
            Encoding::Utf8 => s.len(),
            Encoding::Utf16 => s.encode_utf16().count(),
            Encoding::Utf32 => s.chars().count(),
        }
    }
}

/// A document's text with its line starts, for converting positions.
pub struct Text<'a> {
    pub text: &'a str,
    lines: LineIndex,
    encoding: Encoding,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Text<'a> {
        Text {
            text,
            lines: LineIndex::new(text),
            encoding,
        }
    }

    /// The LSP position of byte `offset`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.text.floor_char_boundary(offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        let character = self.encoding.units(&self.text[start..offset]);
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of an LSP position. A `character` past the end of
    /// its line means the line's end, as the protocol says; so does one
    /// inside a character that takes two UTF-16 units. A `line` past the
    /// last is `None`, except the start of the line after the last (the
    /// end of the text, as an exclusive range end may put it).
    pub fn offset(&self, p: Position) -> Option<usize> {
        let line = p.line as usize;
        if line >= self.lines.len() {
            return (line == self.lines.len() && p.character == 0).then_some(self.text.len());
        }
        let start = self.lines.line_start(line);
        let end = if line + 1 < self.lines.len() {
            self.lines.line_start(line + 1)
        } else {
            self.text.len()
        };
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= p.character as usize || c == '\n' || c == '\r' {
                return Some(start + i);
            }
            units += match self.encoding {
                Encoding::Utf8 => c.len_utf8(),
                Encoding::Utf16 => c.len_utf16(),
                Encoding::Utf32 => 1,
            };
        }
        Some(end)
    }

    /// The byte offset where the line holding `offset` starts.
    pub fn line_start_of(&self, offset: usize) -> usize {
        self.lines.line_start(self.lines.line_of(offset))
    }
}

/// Characters escaped in a `file:` URI's path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'^')
    .add(b'|');

/// The path a `file:` URI names.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///x` (empty authority) or `file://localhost/x`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.into_owned()))
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let path = std::path::absolute(path).ok()?;
    let encoded = utf8_percent_encode(path.to_str()?, PATH).to_string();
    Uri::from_str(&format!("file://{encoded}")).ok()
}

/// A finding as a diagnostic: its rule as the code, the suggestions
/// after the message.
pub fn diagnostic(text: &Text, f: &Finding) -> Diagnostic {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = f.message.to_string();
    if !f.suggestions.is_empty() {
        message.push_str(&format!("\nUse instead: {}", f.suggestions.join("; ")));
    }
    Diagnostic {
        range: text.range(f.span.start(), f.span.end()),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.to_string())),
        source: Some("copylint".into()),
        message,
        ..Diagnostic::default()
    }
}

/// A notice about a document, on the line it names (else the first).
pub fn notice_diagnostic(text: &Text, n: &Notice) -> Diagnostic {
    let line = n.line.map_or(0, |l| l.saturating_sub(1)) as u32;
    let at = |character| text.offset(Position { line, character });
    let start = at(0).unwrap_or(0);
    let end = at(u32::MAX).unwrap_or(start);
    let severity = match n.level {
        NoticeLevel::Error => DiagnosticSeverity::ERROR,
        NoticeLevel::Warning => DiagnosticSeverity::WARNING,
        NoticeLevel::Note => DiagnosticSeverity::INFORMATION,
    };
    let code = serde_json::to_value(n.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    Diagnostic {
        range: text.range(start, end),
        severity: Some(severity),
        code: code.map(NumberOrString::String),
        source: Some("copylint".into()),
        message: n.message.clone(),
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_the_negotiated_units() {
        let text = "# T\n🙂 It calls on ChatGPT.\n";
        let at = text.find("calls").unwrap();
        for (encoding, character) in [
            (Encoding::Utf16, 6),
            (Encoding::Utf8, 8),
            (Encoding::Utf32, 5),
        ] {
            let t = Text::new(text, encoding);
            assert_eq!(t.position(at), Position::new(1, character), "{encoding:?}");
            assert_eq!(
                t.offset(Position::new(1, character)),
                Some(at),
                "{encoding:?}"
            );
        }
    }

    #[test]
    fn offsets_clamp_to_the_line_and_stop_at_the_text() {
        let t = Text::new("ab\r\ncd", Encoding::Utf16);
        assert_eq!(t.offset(Position::new(0, 99)), Some(2));
        assert_eq!(t.offset(Position::new(1, 1)), Some(5));
        assert_eq!(t.offset(Position::new(1, u32::MAX)), Some(6));
        // Just past the last line: only its start, the end of the text.
        assert_eq!(t.offset(Position::new(2, 0)), Some(6));
        assert_eq!(t.offset(Position::new(2, 1)), None);
        assert_eq!(t.offset(Position::new(7, 0)), None);
        assert_eq!(t.offset(Position::new(u32::MAX, 0)), None);
        // A text ending in a line break has an empty last line.
        let t = Text::new("ab\n", Encoding::Utf8);
        assert_eq!(t.offset(Position::new(1, 5)), Some(3));
        assert_eq!(t.offset(Position::new(2, 0)), Some(3));
        assert_eq!(t.offset(Position::new(3, 0)), None);
        // Inside a surrogate pair: the end of the character.
        let t = Text::new("🙂x", Encoding::Utf16);
        assert_eq!(t.offset(Position::new(0, 1)), Some(4));
    }

    #[test]
    fn negotiates_the_clients_first_known_encoding() {
        let offered = [
            PositionEncodingKind::new("utf-7"),
            PositionEncodingKind::UTF8,
        ];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/launch notes/a#1.md");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/launch%20notes/a%231.md");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
    }
}
