//! PDF content streams to operations: the operands and operator of each,
//! borrowed from the stream where they can be.
//!
//! The text extractor needs the operands of a dozen text operators and
//! nothing else, so this reads a content stream in one pass with no
//! allocation but for strings with escapes. An inline image (`BI` …
//! `ID` data `EI`) is one operation, `BI`, whose operands are its
//! parameters and then its data, as a string. It is lenient, as viewers are: a stray
//! delimiter or a broken number is skipped, an unclosed string or array
//! ends with the stream. `lopdf`'s content parser builds a full object
//! for every operand, which made it half the time of a PDF scan.

use std::borrow::Cow;
use std::ops::Range;

/// An operand of a content operator.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand<'a> {
    Number(f64),
    Name(Cow<'a, [u8]>),
    String(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    /// A dictionary, a boolean or null: nothing text depends on.
    Other,
}

impl Operand<'_> {
    pub fn number(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// One operation: its operator and where its operands are.
#[derive(Debug)]
pub struct Operation<'a> {
    pub operator: &'a [u8],
    pub operands: Range<usize>,
}

/// A content stream's operations, with all their operands in one list.
#[derive(Debug, Default)]
pub struct Operations<'a> {
    pub list: Vec<Operation<'a>>,
    pub operands: Vec<Operand<'a>>,
}

impl<'a> Operations<'a> {
    /// The operands of `op`.
    pub fn of(&self, op: &Operation<'a>) -> &[Operand<'a>] {
        &self.operands[op.operands.clone()]
    }
}

/// The nesting of arrays and dictionaries an operand may have.
const MAX_NESTING: usize = 32;

fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

/// Reads the operations of `data`.
pub fn operations(data: &[u8]) -> Operations<'_> {
    let mut lexer = Lexer { data, at: 0 };
    let mut out = Operations::default();
    let mut start = 0;
    while let Some(token) = lexer.next(0) {
        match token {
            Token::Operand(operand) => out.operands.push(operand),
            Token::Keyword(b"BI") => {
                let data = lexer.inline_image(&mut out.operands);
                out.operands.push(Operand::String(Cow::Borrowed(data)));
                out.list.push(Operation {
                    operator: b"BI",
                    operands: start..out.operands.len(),
                });
                start = out.operands.len();
            }
            Token::Keyword(operator) => {
                out.list.push(Operation {
                    operator,
                    operands: start..out.operands.len(),
                });
                start = out.operands.len();
            }
            Token::Close(_) => {}
        }
    }
    out
}

enum Token<'a> {
    Operand(Operand<'a>),
    Keyword(&'a [u8]),
    /// `]`, `>>` or `}`.
    Close(u8),
}

struct Lexer<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<u8> {
        self.data.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.at += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &'a [u8] {
        let start = self.at;
        while self.peek().is_some_and(is_regular) {
            self.at += 1;
        }
        &self.data[start..self.at]
    }

    /// The next token, `depth` arrays or dictionaries in.
    fn next(&mut self, depth: usize) -> Option<Token<'a>> {
        self.skip_space();
        let b = self.peek()?;
        let token = match b {
            b'(' => {
                self.at += 1;
                Token::Operand(Operand::String(self.literal()))
            }
            b'<' if self.data.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                self.skip_until(b'>', depth);
                Token::Operand(Operand::Other)
            }
            b'<' => {
                self.at += 1;
                Token::Operand(Operand::String(Cow::Owned(self.hex())))
            }
            b'>' => {
                self.at += 1;
                if self.peek() == Some(b'>') {
                    self.at += 1;
                }
                Token::Close(b'>')
            }
            b'[' => {
                self.at += 1;
                Token::Operand(Operand::Array(self.array(depth)))
            }
            b']' | b'}' | b')' => {
                self.at += 1;
                Token::Close(b)
            }
            b'{' => {
                self.at += 1;
                self.skip_until(b'}', depth);
                Token::Operand(Operand::Other)
            }
            b'/' => {
                self.at += 1;
                Token::Operand(Operand::Name(name(self.regular())))
            }
            _ => {
                let word = self.regular();
                match word {
                    b"true" | b"false" | b"null" => Token::Operand(Operand::Other),
                    // Single precision, as lopdf reads the document's other
                    // numbers (widths, matrices of forms).
                    [b'0'..=b'9' | b'+' | b'-' | b'.', ..] => Token::Operand(Operand::Number(
                        std::str::from_utf8(word)
                            .ok()
                            .and_then(|w| w.parse::<f32>().ok())
                            .map(f64::from)
                            .filter(|n| n.is_finite())
                            .unwrap_or(0.0),
                    )),
                    _ => Token::Keyword(word),
                }
            }
        };
        Some(token)
    }

    /// The items of an array, after its `[`.
    fn array(&mut self, depth: usize) -> Vec<Operand<'a>> {
        let mut items = Vec::new();
        if depth >= MAX_NESTING {
            self.skip_until(b']', depth);
            return items;
        }
        while let Some(token) = self.next(depth + 1) {
            match token {
                Token::Operand(o) => items.push(o),
                Token::Close(b']') => break,
                _ => {}
            }
        }
        items
    }

    /// Skips tokens up to the `close` (`>` for `>>`) that ends what was
    /// opened, nested ones included.
    fn skip_until(&mut self, close: u8, depth: usize) {
        if depth >= MAX_NESTING {
            // Too deep to read: skip to the stream's end.
            self.at = self.data.len();
            return;
        }
        while let Some(token) = self.next(depth + 1) {
            if let Token::Close(c) = token
                && c == close
            {
                return;
            }
        }
    }

    /// A literal string, after its `(`.
    fn literal(&mut self) -> Cow<'a, [u8]> {
        let start = self.at;
        let mut depth = 0usize;
        // Borrowed while no escape is seen.
        let mut owned: Option<Vec<u8>> = None;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b'\\' => {
                    let text = owned.get_or_insert_with(|| self.data[start..self.at - 1].to_vec());
                    if let Some(c) = self.escape() {
                        text.push(c);
                    }
                    continue;
                }
                _ => {}
            }
            if let Some(text) = owned.as_mut() {
                text.push(b);
            }
        }
        match owned {
            Some(text) => Cow::Owned(text),
            None => {
                let end = if self.data.get(self.at - 1) == Some(&b')') {
                    self.at - 1
                } else {
                    self.at
                };
                Cow::Borrowed(&self.data[start..end.max(start)])
            }
        }
    }

    /// The byte an escape (after its backslash) stands for, if any.
    fn escape(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(match b {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'b' => 8,
            b'f' => 12,
            b'0'..=b'7' => {
                let mut value = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.at += 1;
                        }
                        _ => break,
                    }
                }
                value as u8
            }
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.at += 1;
                }
                return None;
            }
            b'\n' => return None,
            other => other,
        })
    }

    /// A hexadecimal string, after its `<`.
    fn hex(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.at += 1;
            let nibble = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => bytes.push(h << 4 | nibble),
                None => high = Some(nibble),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        bytes
    }

    /// Reads an inline image after its `BI`: its parameters (pushed onto
    /// `params`), `ID`, one blank, and its data up to an `EI` between
    /// blanks, which is returned.
    fn inline_image(&mut self, params: &mut Vec<Operand<'a>>) -> &'a [u8] {
        while let Some(token) = self.next(0) {
            match token {
                Token::Keyword(b"ID") => break,
                Token::Operand(o) => params.push(o),
                _ => {}
            }
        }
        self.at = (self.at + 1).min(self.data.len());
        let start = self.at;
        while self.at < self.data.len() {
            let Some(found) = memchr::memmem::find(&self.data[self.at..], b"EI") else {
                break;
            };
            let ei = self.at + found;
            self.at = ei + 2;
            let before = ei == 0 || is_space(self.data[ei - 1]);
            let after = self.data.get(ei + 2).is_none_or(|&b| is_space(b));
            if before && after {
                return &self.data[start..ei.saturating_sub(1).max(start)];
            }
        }
        self.at = self.data.len();
        &self.data[start..]
    }
}

/// A name's bytes, `#xx` escapes decoded.
fn name(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'#') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'#', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let ops = operations(data);
        ops.list
            .iter()
            .map(|op| {
                (
                    String::from_utf8_lossy(op.operator).into_owned(),
                    ops.of(op).to_vec(),
                )
            })
            .collect()
    }

    fn s(bytes: &[u8]) -> Operand<'_> {
        Operand::String(Cow::Borrowed(bytes))
    }

    #[test]
    fn operators_with_their_operands() {
        use Operand::*;
        let got = ops(
            b"BT /F#31 12 Tf 1 0 0 1 72.5 -.5 Tm % a comment ( not a string\n\
            (a \\(b\\) c\\\nd\\101\\n) Tj [(x) -250 <00410042>] TJ ET",
        );
        assert_eq!(
            got,
            [
                ("BT".into(), vec![]),
                ("Tf".into(), vec![Name(Cow::Borrowed(b"F1")), Number(12.0)]),
                (
                    "Tm".into(),
                    [1.0, 0.0, 0.0, 1.0, 72.5, -0.5].map(Number).to_vec()
                ),
                ("Tj".into(), vec![s(b"a (b) cdA\n")]),
                (
                    "TJ".into(),
                    vec![Array(vec![s(b"x"), Number(-250.0), s(b"\0A\0B")])]
                ),
                ("ET".into(), vec![]),
            ]
        );
    }

    #[test]
    fn nested_strings_dictionaries_and_inline_images() {
        use Operand::*;
        let got = ops(b"/Span << /ActualText (x) /A << /B [1 2] >> >> BDC \
            BI /W 2 /H 1 /F /AHx ID \x00EI\xffTj EI Q (a (b) c) Tj ] >> ) 5 Tz");
        assert_eq!(
            got,
            [
                ("BDC".into(), vec![Name(Cow::Borrowed(b"Span")), Other]),
                (
                    "BI".into(),
                    vec![
                        Name(Cow::Borrowed(b"W")),
                        Number(2.0),
                        Name(Cow::Borrowed(b"H")),
                        Number(1.0),
                        Name(Cow::Borrowed(b"F")),
                        Name(Cow::Borrowed(b"AHx")),
                        s(b"\x00EI\xffTj"),
                    ]
                ),
                ("Q".into(), vec![]),
                ("Tj".into(), vec![s(b"a (b) c")]),
                ("Tz".into(), vec![Number(5.0)]),
            ]
        );
    }

    #[test]
    fn broken_content_ends_quietly() {
        for data in [
            &b"(unclosed"[..],
            b"[1 2 (a",
            b"<< /A << /B",
            b"<41",
            b"BI /W 1 ID \x00\x01",
            b"\\ ) ] >> } 1..2 --3 Td",
        ] {
            let _ = ops(data);
        }
        assert_eq!(ops(b"<41")[..], []);
        assert_eq!(ops(b"1..2 --3 Td")[0].1, vec![Operand::Number(0.0); 2]);
        let deep = "[".repeat(100_000) + "(x) Tj";
        assert_eq!(ops(deep.as_bytes()).len(), 0);
    }
}
