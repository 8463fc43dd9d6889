//! Simple fonts' encodings: the text of each of a font's 256 codes from
//! its `/Encoding` (a named base encoding, `Differences`), or, where the
//! PDF leaves it to the font program, from the built-in encoding of the
//! embedded Type 1 (`FontFile`: the `/Encoding` array of its cleartext
//! part) or CFF font (`FontFile3`, read with `ttf-parser`), as TeX writes
//! its fonts.
//!
//! Glyph names become text through the Adobe Glyph List that `lopdf`
//! holds, asked one name at a time (its own `Differences` reader drops the
//! whole encoding at the first name it does not know, `.notdef` included,
//! which turned "efficient" into "efcient"), then through the `uniXXXX`
//! and `uXXXX` conventions, ligature names joined with `_`, and names with
//! a suffix (`a.sc`). Ligatures keep their Unicode ligature characters;
//! the layout writes them as letters.
//!
//! A composite TrueType font without a `ToUnicode` CMap gets one from its
//! embedded program: each code is a CID, the CID a glyph (`CIDToGIDMap`),
//! and the glyph the character the font's own `cmap` maps to it.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

use super::cmap::ToUnicode;
use super::lexer::{self, Operand};

/// Glyph names' text, each worked out once per document.
#[derive(Default)]
pub struct GlyphNames {
    known: HashMap<Vec<u8>, Box<str>>,
}

impl GlyphNames {
    /// The text of the glyph `name`; empty when it has none.
    pub fn text(&mut self, name: &[u8]) -> Box<str> {
        if let Some(text) = self.known.get(name) {
            return text.clone();
        }
        let text = glyph_text(name, 0).into_boxed_str();
        self.known.insert(name.to_vec(), text.clone());
        text
    }
}

/// The Adobe Glyph List's text for `name`, from `lopdf`.
fn listed(name: &[u8]) -> Option<String> {
    let mut differences = Dictionary::new();
    differences.set("Type", Object::Name(b"Encoding".to_vec()));
    differences.set(
        "Differences",
        vec![Object::Integer(0), Object::Name(name.to_vec())],
    );
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Encoding", differences);
    // Code 0 is nothing in the standard encoding lopdf falls back to when
    // it does not know the name.
    let doc = Document::new();
    let text = font
        .get_font_encoding(&doc)
        .ok()?
        .bytes_to_string(&[0])
        .ok()?;
    (!text.is_empty()).then_some(text)
}

/// `XXXX…` as UTF-16 code units of four hex digits each, or one code
/// point of four to six digits.
fn hex_text(digits: &[u8], units: bool) -> Option<String> {
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    if units {
        if text.is_empty() || !text.len().is_multiple_of(4) {
            return None;
        }
        let units: Vec<u16> = (0..text.len())
            .step_by(4)
            .map(|i| u16::from_str_radix(&text[i..i + 4], 16))
            .collect::<Result<_, _>>()
            .ok()?;
        return String::from_utf16(&units).ok();
    }
    if !(4..=6).contains(&text.len()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(text, 16).ok()?).map(String::from)
}

/// The text of glyph `name`, `depth` ligature or suffix steps in.
fn glyph_text(name: &[u8], depth: usize) -> String {
    if name.is_empty() || name == b".notdef" || depth > 4 {
        return String::new();
    }
    if let Some(text) = listed(name) {
        return text;
    }
    if let Some(text) = name.strip_prefix(b"uni").and_then(|d| hex_text(d, true)) {
        return text;
    }
    if let Some(text) = name.strip_prefix(b"u").and_then(|d| hex_text(d, false)) {
        return text;
    }
    if let Some(dot) = name.iter().position(|&b| b == b'.').filter(|&d| d > 0) {
        return glyph_text(&name[..dot], depth + 1);
    }
    if name.contains(&b'_') {
        return name
            .split(|&b| b == b'_')
            .map(|part| glyph_text(part, depth + 1))
            .collect();
    }
    String::new()
}

/// The glyph names of the codes the embedded font program encodes, when
/// the font is a Type 1 or CFF font embedded in the file.
pub fn builtin(doc: &Document, descriptor: Option<&Dictionary>) -> Option<Vec<(u8, Vec<u8>)>> {
    let descriptor = descriptor?;
    let file = |key: &[u8]| {
        let stream = match descriptor.get(key).ok()? {
            Object::Reference(id) => doc.get_object(*id).ok()?,
            other => other,
        }
        .as_stream()
        .ok()?;
        let data = stream.decompressed_content().ok()?;
        let cleartext = stream.dict.get(b"Length1").and_then(Object::as_i64).ok();
        Some((data, cleartext))
    };
    if let Some((data, cleartext)) = file(b"FontFile") {
        let end = cleartext
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(data.len())
            .min(data.len());
        return type1(&data[..end]);
    }
    let (data, _) = file(b"FontFile3")?;
    cff(&data)
}

/// A Type 1 font program's `/Encoding` array: `dup code /name put` lines
/// in its cleartext part; `None` for `StandardEncoding`.
fn type1(cleartext: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let start = memchr::memmem::find(cleartext, b"/Encoding")?;
    let rest = &cleartext[start..];
    let end = memchr::memmem::find(rest, b"eexec").unwrap_or(rest.len());
    let rest = &rest[..end];
    let end = memchr::memmem::find(rest, b"readonly def")
        .or_else(|| memchr::memmem::find(rest, b"def\n/"))
        .unwrap_or(rest.len());
    let ops = lexer::operations(&rest[..end]);
    let codes: Vec<(u8, Vec<u8>)> = ops
        .list
        .iter()
        .filter(|op| op.operator == b"put")
        .filter_map(|op| match ops.of(op) {
            [.., Operand::Number(code), Operand::Name(name)] => {
                let code = u8::try_from(*code as i64).ok()?;
                Some((code, name.to_vec()))
            }
            _ => None,
        })
        .collect();
    (!codes.is_empty()).then_some(codes)
}

/// A CFF font's encoding, through its charset, as glyph names.
fn cff(data: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let table = ttf_parser::cff::Table::parse(data)?;
    let codes: Vec<(u8, Vec<u8>)> = (0..=255u8)
        .filter_map(|code| {
            let glyph = table.glyph_index(code).filter(|g| g.0 != 0)?;
            Some((code, table.glyph_name(glyph)?.as_bytes().to_vec()))
        })
        .collect();
    (!codes.is_empty()).then_some(codes)
}

/// `o`, or what it refers to.
fn deref<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    match o? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

/// The text of a composite font's two-byte codes, from the `cmap` table
/// of its descendant's embedded TrueType program; `None` when it has no
/// program or no Unicode `cmap`.
pub fn truetype(doc: &Document, descendant: &Dictionary) -> Option<ToUnicode> {
    let descriptor = deref(doc, descendant.get(b"FontDescriptor").ok())?
        .as_dict()
        .ok()?;
    let program = deref(doc, descriptor.get(b"FontFile2").ok())?
        .as_stream()
        .ok()?
        .decompressed_content()
        .ok()?;
    let face = ttf_parser::Face::parse(&program, 0).ok()?;
    let mut characters: HashMap<u16, char> = HashMap::new();
    for subtable in face.tables().cmap?.subtables {
        if !subtable.is_unicode() {
            continue;
        }
        subtable.codepoints(|point| {
            if let (Some(glyph), Some(c)) = (subtable.glyph_index(point), char::from_u32(point)) {
                characters.entry(glyph.0).or_insert(c);
            }
        });
    }
    let mut cmap = ToUnicode::default();
    let text = |c: &char| String::from(*c).into_boxed_str();
    match deref(doc, descendant.get(b"CIDToGIDMap").ok()) {
        Some(Object::Stream(map)) => {
            let map = map.decompressed_content().ok()?;
            for (cid, glyph) in (0u32..).zip(map.chunks_exact(2)) {
                let glyph = u16::from_be_bytes([glyph[0], glyph[1]]);
                if let Some(c) = characters.get(&glyph).filter(|_| glyph != 0) {
                    cmap.insert(2, cid, text(c));
                }
            }
        }
        // `Identity`, or no map: the CID is the glyph.
        _ => {
            for (glyph, c) in &characters {
                cmap.insert(2, u32::from(*glyph), text(c));
            }
        }
    }
    (!cmap.is_empty()).then_some(cmap)
}

/// A `Differences` array as codes and names; what is neither a code nor a
/// name is skipped.
pub fn differences(doc: &Document, array: &[Object]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    let mut code: Option<u8> = None;
    for item in array {
        let item = match item {
            Object::Reference(id) => doc.get_object(*id).unwrap_or(item),
            other => other,
        };
        match item {
            Object::Integer(n) => code = u8::try_from(*n).ok(),
            Object::Name(name) => {
                if let Some(c) = code {
                    out.push((c, name.clone()));
                }
                code = code.and_then(|c| c.checked_add(1));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_to_text() {
        let mut names = GlyphNames::default();
        for (name, text) in [
            (&b"A"[..], "A"),
            (b"fi", "\u{FB01}"),
            (b"quoteright", "\u{2019}"),
            (b".notdef", ""),
            (b"uni0041", "A"),
            (b"uni00410042", "AB"),
            (b"u1F600", "\u{1F600}"),
            (b"f_f_i", "\u{FB03}"),
            (b"T_h", "Th"),
            (b"a.sc", "a"),
            (b"g123", ""),
            (b"uniD800", ""),
            (b"u110000", ""),
        ] {
            assert_eq!(
                &*names.text(name),
                text,
                "{}",
                String::from_utf8_lossy(name)
            );
        }
    }

    #[test]
    fn a_type1_programs_encoding_array() {
        let cleartext = b"%!PS-AdobeFont-1.0: CMR10\n/FontName /CMR10 def\n\
            /Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\n\
            dup 12 /fi put\ndup 123 /endash put\ndup 65 /A put\nreadonly def\n\
            currentdict end\ncurrentfile eexec\n";
        let codes = type1(cleartext).unwrap();
        assert_eq!(
            codes,
            [
                (12, b"fi".to_vec()),
                (123, b"endash".to_vec()),
                (65, b"A".to_vec())
            ]
        );
        assert_eq!(
            type1(b"/Encoding StandardEncoding def\ncurrentfile eexec"),
            None
        );
    }

    #[test]
    fn differences_skip_what_is_not_a_code_or_name() {
        let doc = Document::new();
        let array = [
            Object::Integer(1),
            Object::Name(b"a".to_vec()),
            Object::Real(2.0),
            Object::Name(b"b".to_vec()),
            Object::Integer(300),
            Object::Name(b"c".to_vec()),
            Object::Integer(255),
            Object::Name(b"d".to_vec()),
            Object::Name(b"e".to_vec()),
        ];
        assert_eq!(
            differences(&doc, &array),
            [(1, b"a".to_vec()), (2, b"b".to_vec()), (255, b"d".to_vec())]
        );
    }
}
