//! `ToUnicode` CMaps: the text of each character code a font shows.
//!
//! A CMap is a small PostScript program; only its `codespacerange`,
//! `bfchar` and `bfrange` sections say anything about text, so they are
//! read with the content stream [`lexer`](super::lexer), which is lenient
//! where writers are loose: a dictionary closed right before a keyword
//! (`>>def`), spaces or line breaks inside hexadecimal strings (as
//! Microsoft Word writes them), comments, odd digits. `lopdf`'s CMap
//! parser refuses those CMaps whole, and their fonts lost all their text.
//! A destination is UTF-16BE; a `bfrange` with one destination string adds
//! the offset within the range to its last UTF-16 unit, as readers do.

use std::collections::HashMap;

use super::lexer::{self, Operand};

/// The widest range of codes kept from one `bfrange` line.
const MAX_RANGE: u32 = 1 << 16;

/// A `ToUnicode` CMap, read.
#[derive(Debug, Default)]
pub struct ToUnicode {
    /// `bfchar` lines and ranges with a list of destinations, keyed by the
    /// code's length in bytes and its value.
    single: HashMap<(u8, u32), Box<str>>,
    /// `bfrange` lines with one destination: the code's length, the first
    /// and last code, and the destination of the first; sorted by length
    /// and first code once read.
    ranges: Vec<(u8, u32, u32, Vec<u16>)>,
}

/// A code's length and value, from its bytes; `None` past four bytes.
fn code(bytes: &[u8]) -> Option<(u8, u32)> {
    let len = u8::try_from(bytes.len())
        .ok()
        .filter(|l| (1..=4).contains(l))?;
    Some((len, bytes.iter().fold(0u32, |c, &b| c << 8 | u32::from(b))))
}

/// UTF-16BE units from a destination's bytes (an odd last byte is dropped).
fn units(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect()
}

fn text(units: &[u16]) -> Box<str> {
    String::from_utf16_lossy(units).into()
}

impl ToUnicode {
    /// Reads a CMap; whatever cannot be read in it is skipped.
    pub fn parse(data: &[u8]) -> ToUnicode {
        let ops = lexer::operations(data);
        let mut cmap = ToUnicode::default();
        for op in &ops.list {
            let given = ops.of(op);
            match op.operator {
                b"endbfchar" => {
                    for pair in given.chunks_exact(2) {
                        if let (Operand::String(src), Operand::String(dst)) = (&pair[0], &pair[1])
                            && let Some(key) = code(src)
                        {
                            cmap.single.insert(key, text(&units(dst)));
                        }
                    }
                }
                b"endbfrange" => {
                    for triple in given.chunks_exact(3) {
                        cmap.range(&triple[0], &triple[1], &triple[2]);
                    }
                }
                _ => {}
            }
        }
        // By length and first code, for lookups in log time; a stable
        // sort keeps the later of two ranges that start alike last.
        cmap.ranges.sort_by_key(|(len, lo, _, _)| (*len, *lo));
        cmap
    }

    fn range(&mut self, lo: &Operand, hi: &Operand, dst: &Operand) {
        let (Operand::String(lo), Operand::String(hi)) = (lo, hi) else {
            return;
        };
        let (Some((len, lo)), Some((_, hi))) = (code(lo), code(hi)) else {
            return;
        };
        if hi < lo || hi - lo >= MAX_RANGE {
            return;
        }
        match dst {
            Operand::String(first) => {
                let first = units(first);
                if !first.is_empty() {
                    self.ranges.push((len, lo, hi, first));
                }
            }
            Operand::Array(each) => {
                for (c, item) in (lo..=hi).zip(each) {
                    if let Operand::String(dst) = item {
                        self.single.insert((len, c), text(&units(dst)));
                    }
                }
            }
            _ => {}
        }
    }

    /// Maps the `len`-byte code `code` to `text`.
    pub fn insert(&mut self, len: u8, code: u32, text: Box<str>) {
        self.single.insert((len, code), text);
    }

    /// Whether the CMap maps no code at all.
    pub fn is_empty(&self) -> bool {
        self.single.is_empty() && self.ranges.is_empty()
    }

    /// The text of the `len`-byte code `code`, if the CMap maps it.
    pub fn get(&self, len: u8, code: u32) -> Option<Box<str>> {
        if let Some(text) = self.single.get(&(len, code)) {
            return Some(text.clone());
        }
        // The range starting closest below the code that holds it; of
        // ranges that overlap, a few before it are looked at.
        let before = self
            .ranges
            .partition_point(|(l, lo, _, _)| (*l, *lo) <= (len, code));
        let (_, lo, _, first) = self.ranges[..before]
            .iter()
            .rev()
            .take(8)
            .find(|(l, _, hi, _)| *l == len && code <= *hi)?;
        let mut units = first.clone();
        let last = units.last_mut()?;
        *last = last.wrapping_add((code - lo) as u16);
        Some(text(&units))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chars_ranges_and_lists() {
        let cmap = ToUnicode::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar\n\
              2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<0078> <D835DC00>] endbfrange\n\
              endcmap CMapName currentdict /CMap defineresource pop end end",
        );
        let get = |code| cmap.get(2, code).map(String::from);
        assert_eq!(get(0x03).as_deref(), Some(" "));
        assert_eq!(get(0x11).as_deref(), Some("fi"));
        assert_eq!(get(0x20).as_deref(), Some("A"));
        assert_eq!(get(0x22).as_deref(), Some("C"));
        assert_eq!(get(0x23), None);
        assert_eq!(get(0x30).as_deref(), Some("x"));
        assert_eq!(get(0x31).as_deref(), Some("\u{1D400}"));
        // A one-byte code is another code.
        assert_eq!(cmap.get(1, 0x20), None);
    }

    #[test]
    fn reads_what_word_writes() {
        // `>>def` with no space, spaces and a line break inside hex
        // strings: lopdf's parser refuses this CMap.
        let cmap = ToUnicode::parse(
            b"/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n\
              /CMapName/Adobe-Identity-UCS def/CMapType 2 def\n\
              1 begincodespacerange\n<00><FF>\nendcodespacerange\n\
              2 beginbfchar\n<20><0020>\n<4c><00 4C>\nendbfchar\n\
              1 beginbfrange\n<61><63><00\n61>\nendbfrange\nendcmap",
        );
        let get = |code| cmap.get(1, code).map(String::from);
        assert_eq!(get(0x20).as_deref(), Some(" "));
        assert_eq!(get(0x4c).as_deref(), Some("L"));
        assert_eq!(get(0x62).as_deref(), Some("b"));
    }

    #[test]
    fn many_ranges_are_looked_up_by_their_start() {
        // 20,000 one-code ranges, written backwards, then one that
        // overlaps the last, which wins for the code they share.
        let mut data = String::from("20001 beginbfrange\n");
        for code in (0..20_000u32).rev() {
            data.push_str(&format!(
                "<{code:04X}> <{code:04X}> <{:04X}>\n",
                code % 26 + 0x41
            ));
        }
        data.push_str("<4E1F> <4E21> <0061>\nendbfrange");
        let cmap = ToUnicode::parse(data.as_bytes());
        let get = |code| cmap.get(2, code).map(String::from);
        assert_eq!(get(0).as_deref(), Some("A"));
        assert_eq!(get(19_998).as_deref(), Some("E"));
        // The later of two ranges that start at 19,999 (0x4E1F).
        assert_eq!(get(19_999).as_deref(), Some("a"));
        assert_eq!(get(0x4E20).as_deref(), Some("b"));
        assert_eq!(get(0x4E21).as_deref(), Some("c"));
        assert_eq!(get(0x4E22), None);
        let started = std::time::Instant::now();
        for _ in 0..10 {
            for code in 0..65_536 {
                std::hint::black_box(cmap.get(2, code));
            }
        }
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn refuses_nonsense_without_failing() {
        for data in [
            &b"1 beginbfrange <0000> <FFFFFF> <0041> endbfrange"[..],
            b"1 beginbfrange <0010> <0001> <0041> endbfrange",
            b"1 beginbfchar <0102030405> <0041> endbfchar",
            b"1 beginbfchar <01> endbfchar",
            b"endbfrange",
            b"<<<<[[[(",
        ] {
            assert!(ToUnicode::parse(data).is_empty(), "{data:?}");
        }
    }
}
