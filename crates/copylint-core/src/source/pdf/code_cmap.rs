//! A composite font's `Encoding` given as an embedded CMap stream rather
//! than a predefined name: its `codespacerange` sections say how many
//! bytes each code of a string takes (one byte each, in the subsets some
//! writers make), and its `cidchar` and `cidrange` sections which CID each
//! code selects. Without it every code was read as two bytes, and the
//! text of such fonts came out as pairs of wrong characters. The widths
//! of a descendant font's CIDs (its `W` array) are read here too.

use lopdf::{Document, Object};

use super::fonts::number;
use super::lexer::{self, Operand};

/// The widest range of codes kept from one `cidrange` line.
const MAX_RANGE: u32 = 1 << 16;

/// The most CID lines kept from one CMap.
const MAX_LINES: usize = 1 << 16;

/// The most codespace ranges kept from one CMap (the format allows 100 a
/// section; each code of a string is tried against them).
const MAX_SPACES: usize = 256;

/// An embedded encoding CMap, read.
#[derive(Debug, Default)]
pub struct CodeMap {
    /// Codespace ranges: each byte's low and high bound, per code length.
    spaces: Vec<Vec<(u8, u8)>>,
    /// `cidrange` and `cidchar` lines: the code's length, first and last
    /// code, and the CID of the first; sorted by length and first code
    /// once read.
    cids: Vec<(u8, u32, u32, u32)>,
}

fn value(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |c, &b| c << 8 | u32::from(b))
}

impl CodeMap {
    /// Reads a CMap; whatever cannot be read in it is skipped. `None` when
    /// it has no codespace range.
    pub fn parse(data: &[u8]) -> Option<CodeMap> {
        let ops = lexer::operations(data);
        let mut map = CodeMap::default();
        for op in &ops.list {
            let given = ops.of(op);
            match op.operator {
                b"endcodespacerange" => {
                    for pair in given.chunks_exact(2) {
                        if let (Operand::String(lo), Operand::String(hi)) = (&pair[0], &pair[1])
                            && lo.len() == hi.len()
                            && (1..=4).contains(&lo.len())
                            && map.spaces.len() < MAX_SPACES
                        {
                            map.spaces
                                .push(lo.iter().zip(hi.iter()).map(|(&l, &h)| (l, h)).collect());
                        }
                    }
                }
                b"endcidrange" => {
                    for triple in given.chunks_exact(3) {
                        if let (Operand::String(lo), Operand::String(hi), Some(cid)) =
                            (&triple[0], &triple[1], triple[2].number())
                        {
                            map.cid_line(lo, hi, cid);
                        }
                    }
                }
                b"endcidchar" => {
                    for pair in given.chunks_exact(2) {
                        if let (Operand::String(code), Some(cid)) = (&pair[0], pair[1].number()) {
                            map.cid_line(code, code, cid);
                        }
                    }
                }
                _ => {}
            }
        }
        // A stable sort keeps the later of two lines that start alike last.
        map.cids.sort_by_key(|(len, lo, _, _)| (*len, *lo));
        (!map.spaces.is_empty()).then_some(map)
    }

    fn cid_line(&mut self, lo: &[u8], hi: &[u8], cid: f64) {
        if lo.len() != hi.len() || !(1..=4).contains(&lo.len()) || self.cids.len() >= MAX_LINES {
            return;
        }
        let (lo_code, hi_code) = (value(lo), value(hi));
        if hi_code < lo_code || hi_code - lo_code >= MAX_RANGE || !(0.0..=65_535.0).contains(&cid) {
            return;
        }
        self.cids
            .push((lo.len() as u8, lo_code, hi_code, cid as u32));
    }

    /// The length in bytes of the code that starts `bytes`: the shortest
    /// codespace range that holds it, else the shortest range's length.
    pub fn code_len(&self, bytes: &[u8]) -> usize {
        let fits = |space: &Vec<(u8, u8)>| {
            bytes.len() >= space.len()
                && space
                    .iter()
                    .zip(bytes)
                    .all(|(&(lo, hi), &b)| (lo..=hi).contains(&b))
        };
        self.spaces
            .iter()
            .filter(|s| fits(s))
            .map(Vec::len)
            .min()
            .or_else(|| self.spaces.iter().map(Vec::len).min())
            .unwrap_or(1)
            .clamp(1, bytes.len().max(1))
    }

    /// The CID the `len`-byte code `code` selects; the code itself when
    /// no line maps it (as in an `Identity` CMap).
    pub fn cid(&self, len: u8, code: u32) -> u32 {
        // The line starting closest below the code that holds it; of
        // lines that overlap, a few before it are looked at.
        let before = self
            .cids
            .partition_point(|(l, lo, _, _)| (*l, *lo) <= (len, code));
        self.cids[..before]
            .iter()
            .rev()
            .take(8)
            .find(|(l, _, hi, _)| *l == len && code <= *hi)
            .map_or(code, |(_, lo, _, cid)| cid + (code - lo))
    }
}

/// A descendant font's `W` array as ranges of codes with their width:
/// `c [w1 w2 …]` and `first last w`.
pub fn cid_widths(doc: &Document, w: &[Object]) -> Vec<(u32, u32, f64)> {
    let mut ranges = Vec::new();
    let mut at = 0;
    let code = |o: Option<&Object>| {
        deref(doc, o)
            .and_then(number)
            .filter(|c| (0.0..=f64::from(u32::MAX)).contains(c))
            .map(|c| c as u32)
    };
    while let Some(first) = code(w.get(at)) {
        match deref(doc, w.get(at + 1)) {
            Some(Object::Array(list)) => {
                for (i, width) in list.iter().enumerate() {
                    let c = first.saturating_add(i as u32);
                    let width = deref(doc, Some(width)).and_then(number).unwrap_or(0.0);
                    ranges.push((c, c, width));
                }
                at += 2;
            }
            Some(_) => {
                let (Some(last), Some(width)) = (
                    code(w.get(at + 1)),
                    deref(doc, w.get(at + 2)).and_then(number),
                ) else {
                    break;
                };
                ranges.push((first, last, width));
                at += 3;
            }
            None => break,
        }
    }
    ranges
}

/// `o`, or what it refers to.
fn deref<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    match o? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_codes_and_their_cids() {
        let map = CodeMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <00> <FF> endcodespacerange\n\
              1 begincidrange <20> <7E> 3 endcidrange\n\
              2 begincidchar <A0> 200 <41> 500 endcidchar\nendcmap",
        )
        .unwrap();
        assert_eq!(map.code_len(b"AB"), 1);
        assert_eq!(map.cid(1, 0x20), 3);
        assert_eq!(map.cid(1, 0x40), 35);
        // A line inside a range, read after it, wins.
        assert_eq!(map.cid(1, 0x41), 500);
        assert_eq!(map.cid(1, 0x42), 37);
        assert_eq!(map.cid(1, 0xA0), 200);
        assert_eq!(map.cid(1, 0xF0), 0xF0);
    }

    #[test]
    fn mixed_code_lengths() {
        // Shift-JIS-like: one byte below 0x80, two from 0x81.
        let map =
            CodeMap::parse(b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange")
                .unwrap();
        assert_eq!(map.code_len(b"A\x81\x40"), 1);
        assert_eq!(map.code_len(b"\x81\x40A"), 2);
        // A byte no range holds takes the shortest length.
        assert_eq!(map.code_len(b"\xF0"), 1);
        assert_eq!(map.code_len(b"\x81"), 1);
    }

    #[test]
    fn refuses_nonsense_without_failing() {
        for data in [
            &b"1 begincodespacerange <00> <FFFF> endcodespacerange"[..],
            b"1 begincodespacerange <0102030405> <0102030405> endcodespacerange",
            b"endcidrange",
            b"<<<<[[[(",
        ] {
            assert!(CodeMap::parse(data).is_none(), "{data:?}");
        }
        let map = CodeMap::parse(
            b"1 begincodespacerange <00> <FF> endcodespacerange\n\
              1 begincidrange <FF> <00> 5 <00> <FF> -1 endcidrange",
        )
        .unwrap();
        assert_eq!(map.cid(1, 7), 7);
    }
}
