//! Byte offsets to lines and columns.
//!
//! Lines are 1-based and end at `\n`, `\r\n` or a lone `\r`; columns are
//! 1-based and count Unicode scalar values from the start of the line.

use serde::{Deserialize, Serialize};

/// A position in a source, as reporters show it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The start offsets of a text's lines.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            starts.push(next);
            i = next;
        }
        LineIndex { starts }
    }

    /// 0-based line index of the line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The position of byte `offset` (which must be on a character boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let line = self.line_of(offset);
        let start = self.starts[line];
        Position {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }
}

/// Positions of offsets asked for in increasing order, counting each
/// line's characters once: linear in the text even for many findings on
/// one very long line.
pub struct Cursor<'a> {
    index: LineIndex,
    text: &'a str,
    line: usize,
    offset: usize,
    column: usize,
}

impl<'a> Cursor<'a> {
    /// The line index of the text.
    pub fn lines(&self) -> &LineIndex {
        &self.index
    }

    pub fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            index: LineIndex::new(text),
            text,
            line: usize::MAX,
            offset: 0,
            column: 1,
        }
    }

    /// The position of byte `offset`; cheapest when offsets do not decrease.
    pub fn position(&mut self, offset: usize) -> Position {
        let line = self.index.line_of(offset);
        if line != self.line || offset < self.offset {
            self.line = line;
            self.offset = self.index.starts[line];
            self.column = 1;
        }
        self.column += self.text[self.offset..offset].chars().count();
        self.offset = offset;
        Position {
            line: line + 1,
            column: self.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (usize, usize) {
        let p = LineIndex::new(text).position(text, offset);
        (p.line, p.column)
    }

    #[test]
    fn counts_characters_not_bytes() {
        let text = "A🙂B 日本 x";
        assert_eq!(pos(text, text.find('B').unwrap()), (1, 3));
        assert_eq!(pos(text, text.find('x').unwrap()), (1, 8));
    }

    #[test]
    fn lf_crlf_and_lone_cr_end_lines() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(pos(text, text.find('b').unwrap()), (2, 1));
        assert_eq!(pos(text, text.find('c').unwrap()), (3, 1));
        assert_eq!(pos(text, text.find('d').unwrap()), (4, 1));
        assert_eq!(pos(text, text.len()), (4, 2));
    }

    #[test]
    fn cursor_agrees_with_position() {
        let text = "a🙂b\r\nxyz日本\rq\n\nlast";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut cursor = Cursor::new(text);
        for &o in &offsets {
            assert_eq!(cursor.position(o), index.position(text, o), "{o}");
        }
        for &o in offsets.iter().rev() {
            assert_eq!(cursor.position(o), index.position(text, o), "{o} backwards");
        }
    }

    #[test]
    fn end_of_line_offset_stays_on_its_line() {
        let text = "ab\r\ncd";
        assert_eq!(pos(text, 2), (1, 3));
        assert_eq!(pos(text, 4), (2, 1));
    }
}
