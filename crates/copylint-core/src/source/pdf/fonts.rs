//! PDF fonts as the text extractor needs them: the text and the width of
//! each character code a string shows.
//!
//! A [`Font`] is read once per document from its font dictionary and kept
//! by [`Fonts`] for every page that uses it. A simple font (one byte per
//! code) gets a table of its 256 codes, each read from its `ToUnicode`
//! CMap ([`cmap`](super::cmap)) when that maps the code, else from its
//! encoding ([`encoding`](super::encoding): a base encoding, the
//! [`symbol_fonts`](crate::source::symbol_fonts) fonts' own, or the embedded font
//! program's own, and `Differences`); a composite (`Type0`) font reads
//! two bytes per code (or as many as an embedded encoding CMap,
//! [`code_cmap`](super::code_cmap), says) through its `ToUnicode` CMap, or without one, through
//! its embedded TrueType program's own `cmap`, or, with an `Identity`
//! encoding, as a CID of the predefined collection its `CIDSystemInfo`
//! names ([`collections`](super::collections)). Widths come from
//! `Widths` (simple fonts) or the descendant's `W` and `DW` (composite);
//! a simple font without them that names a standard font gets its metrics
//! ([`standard14`](super::standard14)), any other a typical width.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object};

use super::cmap::ToUnicode;
use super::code_cmap::{self, CodeMap};
use super::collections::Collection;
use super::encoding::{self, GlyphNames};
use super::standard14;
use crate::source::symbol_fonts as symbolic;

/// The width, in text space, of a glyph a font gives no width for.
const TYPICAL_WIDTH: f64 = 0.5;

/// What a font draws for one character code.
pub struct Glyph<'a> {
    /// The code's text; empty when the font does not say.
    pub text: &'a str,
    /// The advance, in text space units (1/1000 of the glyph space of
    /// most fonts already applied).
    pub width: f64,
    /// A one-byte code 32, to which word spacing applies.
    pub space: bool,
}

/// A font read from its dictionary.
pub struct Font {
    kind: Kind,
    /// Glyph space to text space (the font matrix's first value).
    scale: f64,
}

enum Kind {
    Simple {
        text: Vec<Box<str>>,
        widths: Vec<f64>,
        first: usize,
        missing: f64,
    },
    Composite {
        cmap: Option<Composite>,
        /// The codes are UCS-2 (a `Uni…-UCS2-…` or `…-UTF16-…` CMap).
        ucs2: bool,
        /// With an `Identity` encoding, the predefined collection whose
        /// CIDs the codes are.
        collection: Option<Collection>,
        /// An embedded encoding CMap: the length of each code and its
        /// CID; without one, codes are two bytes and their own CIDs.
        codes: Option<CodeMap>,
        widths: Vec<(u32, u32, f64)>,
        default: f64,
    },
}

/// The fonts of one document, each read once.
#[derive(Default)]
pub struct Fonts {
    /// Keyed by where the font dictionary is in the parsed document.
    read: HashMap<usize, Rc<Font>>,
    /// The text and width of composite fonts' codes, read once each.
    text: HashMap<(usize, usize, u32), (Box<str>, f64)>,
    names: GlyphNames,
}

impl Fonts {
    /// The font `dict` describes, read on first use.
    pub fn get(&mut self, doc: &Document, dict: &Dictionary) -> Rc<Font> {
        let key = std::ptr::from_ref(dict) as usize;
        let names = &mut self.names;
        Rc::clone(
            self.read
                .entry(key)
                .or_insert_with(|| Rc::new(Font::read(doc, dict, names))),
        )
    }

    /// Calls `each` with each glyph that `bytes`, shown in `font`, draw.
    pub fn glyphs(&mut self, font: &Font, bytes: &[u8], mut each: impl FnMut(Glyph<'_>)) {
        match &font.kind {
            Kind::Simple {
                text,
                widths,
                first,
                missing,
            } => {
                for &b in bytes {
                    let code = usize::from(b);
                    let width = code
                        .checked_sub(*first)
                        .and_then(|i| widths.get(i))
                        .copied()
                        .unwrap_or(*missing);
                    each(Glyph {
                        text: &text[code],
                        width: width * font.scale,
                        space: b == b' ',
                    });
                }
            }
            Kind::Composite {
                cmap,
                ucs2,
                collection,
                codes,
                widths,
                default,
            } => {
                let key = std::ptr::from_ref(font) as usize;
                let mut rest = bytes;
                while !rest.is_empty() {
                    let len = codes
                        .as_ref()
                        .map_or(2, |c| c.code_len(rest))
                        .min(rest.len());
                    let (bytes, after) = rest.split_at(len);
                    rest = after;
                    let code = bytes.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
                    // Codes of different lengths are different codes. A
                    // code's CID, width and text are looked up once.
                    let (text, width) = self.text.entry((key, len, code)).or_insert_with(|| {
                        let cid = codes.as_ref().map_or(code, |c| c.cid(len as u8, code));
                        let width = widths
                            .iter()
                            .find(|(lo, hi, _)| (*lo..=*hi).contains(&cid))
                            .map_or(*default, |w| w.2);
                        let text =
                            composite_text(cmap.as_ref(), *ucs2, *collection, code, cid, len);
                        (text, width)
                    });
                    each(Glyph {
                        text,
                        width: *width * font.scale,
                        space: false,
                    });
                }
            }
        }
    }
}

/// The text of one code of a composite font, of `len` bytes, that
/// selects `cid`.
fn composite_text(
    cmap: Option<&Composite>,
    ucs2: bool,
    collection: Option<Collection>,
    code: u32,
    cid: u32,
    len: usize,
) -> Box<str> {
    let by_code = |m: &ToUnicode| m.get(len as u8, code);
    match cmap {
        Some(Composite::Codes(m)) => by_code(m),
        // The program's map is by CID, two bytes each.
        Some(Composite::Cids(m)) => m.get(2, cid),
        None => None,
    }
    .or_else(|| ucs2.then(|| String::from_utf16_lossy(&[code as u16]).into()))
    .or_else(|| Some(String::from(collection?.text(cid)?).into()))
    .unwrap_or_default()
}

/// Where a composite font's codes get their text.
enum Composite {
    /// Its `ToUnicode` CMap, by code.
    Codes(ToUnicode),
    /// Its embedded TrueType program's `cmap`, by CID.
    Cids(ToUnicode),
}

/// A number, integer or real.
pub fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The numbers of an array (references followed once), or none.
fn numbers(doc: &Document, o: Option<&Object>) -> Vec<f64> {
    deref(doc, o)
        .and_then(|a| a.as_array().ok())
        .map(|a| {
            a.iter()
                .map(|n| deref(doc, Some(n)).and_then(number).unwrap_or(0.0))
                .collect()
        })
        .unwrap_or_default()
}

/// `o`, or what it refers to.
fn deref<'a>(doc: &'a Document, o: Option<&'a Object>) -> Option<&'a Object> {
    match o? {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    deref(doc, dict.get(key).ok())
}

/// The font's `ToUnicode` CMap, unless it maps nothing.
fn to_unicode(doc: &Document, dict: &Dictionary) -> Option<ToUnicode> {
    let stream = get(doc, dict, b"ToUnicode")?.as_stream().ok()?;
    let data = stream.decompressed_content().ok()?;
    Some(ToUnicode::parse(&data)).filter(|cmap| !cmap.is_empty())
}

impl Font {
    fn read(doc: &Document, dict: &Dictionary, names: &mut GlyphNames) -> Font {
        let subtype = get(doc, dict, b"Subtype").and_then(|s| s.as_name().ok());
        let scale = if subtype == Some(b"Type3") {
            get(doc, dict, b"FontMatrix")
                .and_then(|m| m.as_array().ok())
                .and_then(|m| m.first())
                .and_then(number)
                .filter(|s| s.is_finite())
                .unwrap_or(0.001)
        } else {
            0.001
        };
        let kind = if subtype == Some(b"Type0") {
            composite(doc, dict)
        } else {
            simple(doc, dict, names)
        };
        Font { kind, scale }
    }
}

/// A simple font: its 256 codes' text and its widths.
fn simple(doc: &Document, dict: &Dictionary, names: &mut GlyphNames) -> Kind {
    let descriptor = get(doc, dict, b"FontDescriptor").and_then(|d| d.as_dict().ok());
    let (base, differences) = match get(doc, dict, b"Encoding") {
        Some(Object::Name(name)) => (Some(name.as_slice()), None),
        Some(Object::Dictionary(encoding)) => (
            get(doc, encoding, b"BaseEncoding").and_then(|n| n.as_name().ok()),
            get(doc, encoding, b"Differences").and_then(|d| d.as_array().ok()),
        ),
        _ => (None, None),
    };
    // A named base encoding, else the standard one, through lopdf.
    let mut typed = Dictionary::new();
    typed.set("Type", Object::Name(b"Font".to_vec()));
    if let Some(base) = base {
        typed.set("Encoding", Object::Name(base.to_vec()));
    }
    let encoding = typed.get_font_encoding(doc).ok();
    let mut text: Vec<Box<str>> = (0..=255u8)
        .map(|code| {
            encoding
                .as_ref()
                .and_then(|e| e.bytes_to_string(&[code]).ok())
                .unwrap_or_default()
                .into_boxed_str()
        })
        .collect();
    // Without a named base, Symbol and ZapfDingbats have encodings of
    // their own.
    let base_font = get(doc, dict, b"BaseFont").and_then(|n| n.as_name().ok());
    if let Some(table) = base_font
        .filter(|_| base.is_none())
        .and_then(symbolic::table)
    {
        for (code, slot) in (0..=255u8).zip(text.iter_mut()) {
            *slot = symbolic::text(table, code);
        }
    }
    // Without a named base, a Type 1 font embedded in the file encodes
    // its codes itself.
    let type1 = matches!(
        get(doc, dict, b"Subtype").and_then(|s| s.as_name().ok()),
        Some(b"Type1" | b"MMType1")
    );
    if base.is_none() && type1 {
        for (code, name) in encoding::builtin(doc, descriptor).unwrap_or_default() {
            text[usize::from(code)] = names.text(&name);
        }
    }
    for (code, name) in differences
        .map(|d| encoding::differences(doc, d))
        .unwrap_or_default()
    {
        text[usize::from(code)] = names.text(&name);
    }
    if let Some(cmap) = to_unicode(doc, dict) {
        for (code, slot) in text.iter_mut().enumerate() {
            if let Some(mapped) = cmap.get(1, code as u32) {
                *slot = mapped;
            }
        }
    }
    let mut widths = numbers(doc, get(doc, dict, b"Widths"));
    let mut first = get(doc, dict, b"FirstChar")
        .and_then(|f| f.as_i64().ok())
        .and_then(|f| usize::try_from(f).ok())
        .unwrap_or(0);
    if widths.is_empty()
        && let Some(standard) = base_font.and_then(|name| standard14::widths(name, &text))
    {
        (widths, first) = (standard, 0);
    }
    let missing = descriptor
        .and_then(|d| get(doc, d, b"MissingWidth"))
        .and_then(number)
        .unwrap_or(if widths.is_empty() {
            TYPICAL_WIDTH * 1000.0
        } else {
            0.0
        });
    Kind::Simple {
        text,
        widths,
        first,
        missing,
    }
}

/// A composite font: its CMap and the widths of its descendant.
fn composite(doc: &Document, dict: &Dictionary) -> Kind {
    let encoding = get(doc, dict, b"Encoding")
        .and_then(|e| e.as_name().ok())
        .unwrap_or_default();
    let ucs2 = encoding.starts_with(b"Uni")
        && memchr::memmem::find(encoding, b"UCS2")
            .or_else(|| memchr::memmem::find(encoding, b"UTF16"))
            .is_some();
    let descendant = get(doc, dict, b"DescendantFonts")
        .and_then(|d| d.as_array().ok())
        .and_then(|d| deref(doc, d.first()))
        .and_then(|d| d.as_dict().ok());
    let default = descendant
        .and_then(|d| get(doc, d, b"DW"))
        .and_then(number)
        .unwrap_or(1000.0);
    let widths = descendant
        .and_then(|d| get(doc, d, b"W"))
        .and_then(|w| w.as_array().ok())
        .map(|w| code_cmap::cid_widths(doc, w))
        .unwrap_or_default();
    let cmap = to_unicode(doc, dict).map(Composite::Codes).or_else(|| {
        descendant
            .and_then(|d| encoding::truetype(doc, d))
            .map(Composite::Cids)
    });
    // An embedded CMap: its code lengths and CIDs.
    let codes = get(doc, dict, b"Encoding")
        .and_then(|e| e.as_stream().ok())
        .and_then(|s| s.decompressed_content().ok())
        .and_then(|data| CodeMap::parse(&data));
    let identity = matches!(encoding, b"Identity-H" | b"Identity-V") || codes.is_some();
    let collection = descendant
        .filter(|_| identity)
        .and_then(|d| Collection::of(doc, d));
    Kind::Composite {
        cmap,
        ucs2,
        collection,
        codes,
        widths,
        default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Stream;

    fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }

    fn cmap(doc: &mut Document, body: &str) -> Object {
        let text = format!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
        );
        Object::Reference(doc.add_object(Stream::new(Dictionary::new(), text.into_bytes())))
    }

    /// The text and widths `bytes` show in `font`.
    fn shown(doc: &Document, font: &Dictionary, bytes: &[u8]) -> (String, Vec<f64>) {
        let mut fonts = Fonts::default();
        let read = fonts.get(doc, font);
        let (mut text, mut widths) = (String::new(), Vec::new());
        fonts.glyphs(&read, bytes, |g| {
            text.push_str(g.text);
            // In thousandths of text space, as fonts write them.
            widths.push((g.width * 1000.0).round());
        });
        (text, widths)
    }

    #[test]
    fn simple_fonts_read_tounicode_then_their_encoding() {
        let mut doc = Document::with_version("1.7");
        let to_unicode = cmap(
            &mut doc,
            "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n1 beginbfchar\n<41> <0045>\nendbfchar",
        );
        let mut differences = Dictionary::new();
        differences.set("Type", name("Encoding"));
        differences.set("BaseEncoding", name("WinAnsiEncoding"));
        differences.set("Differences", vec![Object::Integer(66), name("fi")]);
        let mut font = Dictionary::new();
        font.set("Type", name("Font"));
        font.set("Subtype", name("TrueType"));
        font.set("Encoding", differences);
        font.set("ToUnicode", to_unicode);
        font.set("FirstChar", 65);
        font.set(
            "Widths",
            vec![
                Object::Integer(600),
                Object::Real(250.0),
                Object::Integer(500),
            ],
        );
        // A through ToUnicode, B through Differences, C and the euro
        // through WinAnsi; D has no width and gets none.
        let (text, widths) = shown(&doc, &font, b"ABC\x80D");
        assert_eq!(text, "E\u{FB01}C\u{20AC}D");
        assert_eq!(widths, [600.0, 250.0, 500.0, 0.0, 0.0]);
        // A standard font without widths gets its own (Helvetica's H
        // 722, i 222); any other font without them a typical width.
        let mut helvetica = Dictionary::new();
        helvetica.set("Type", name("Font"));
        helvetica.set("Subtype", name("Type1"));
        helvetica.set("BaseFont", name("Helvetica"));
        assert_eq!(
            shown(&doc, &helvetica, b"Hi"),
            ("Hi".into(), vec![722.0, 222.0])
        );
        let mut other = helvetica.clone();
        other.set("BaseFont", name("Calibri"));
        assert_eq!(
            shown(&doc, &other, b"Hi"),
            ("Hi".into(), vec![500.0, 500.0])
        );
    }

    #[test]
    fn tex_fonts_read_lenient_differences_and_the_programs_own_encoding() {
        let mut doc = Document::with_version("1.7");
        // pdfTeX: `Differences` with `.notdef` and names lopdf does not
        // list, and no base encoding; lopdf dropped all of it.
        let mut differences = Dictionary::new();
        differences.set("Type", name("Encoding"));
        differences.set(
            "Differences",
            vec![
                Object::Integer(0),
                name(".notdef"),
                Object::Integer(2),
                name("fi"),
                name("dotlessj"),
                name("f_f"),
                Object::Integer(65),
                name("A"),
            ],
        );
        let mut font = Dictionary::new();
        font.set("Type", name("Font"));
        font.set("Subtype", name("Type1"));
        font.set("Encoding", differences);
        assert_eq!(
            shown(&doc, &font, b"e\x02cient\x04A").0,
            "e\u{FB01}cient\u{FB00}A"
        );
        // No `Encoding`: the embedded Type 1 program's own, from its
        // cleartext part (`Length1` bytes), then the standard encoding.
        let program = b"%!PS-AdobeFont-1.0: CMR10\n/Encoding 256 array\n\
            0 1 255 {1 index exch /.notdef put} for\ndup 12 /fi put\n\
            dup 123 /endash put\nreadonly def\ncurrentfile eexec\n\x8b\x01binary";
        let mut file = Dictionary::new();
        file.set("Length1", (program.len() - 8) as i64);
        let file = doc.add_object(Stream::new(file, program.to_vec()));
        let mut descriptor = Dictionary::new();
        descriptor.set("Type", name("FontDescriptor"));
        descriptor.set("FontFile", Object::Reference(file));
        let descriptor = doc.add_object(descriptor);
        let mut tex = Dictionary::new();
        tex.set("Type", name("Font"));
        tex.set("Subtype", name("Type1"));
        tex.set("FontDescriptor", Object::Reference(descriptor));
        assert_eq!(
            shown(&doc, &tex, b"e\x0Ccient{x").0,
            "e\u{FB01}cient\u{2013}x"
        );
    }

    #[test]
    fn composite_fonts_read_two_bytes_a_code_with_w_widths() {
        let mut doc = Document::with_version("1.7");
        let to_unicode = cmap(
            &mut doc,
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0003> <0005> <0061>\nendbfrange",
        );
        let mut descendant = Dictionary::new();
        descendant.set("Type", name("Font"));
        descendant.set("Subtype", name("CIDFontType2"));
        descendant.set("DW", 700);
        descendant.set(
            "W",
            vec![
                Object::Integer(3),
                Object::Array(vec![Object::Integer(400), Object::Integer(450)]),
                Object::Integer(9),
                Object::Integer(12),
                Object::Integer(300),
            ],
        );
        let mut font = Dictionary::new();
        font.set("Type", name("Font"));
        font.set("Subtype", name("Type0"));
        font.set("Encoding", name("Identity-H"));
        font.set("DescendantFonts", vec![Object::Dictionary(descendant)]);
        font.set("ToUnicode", to_unicode);
        let (text, widths) = shown(&doc, &font, b"\x00\x03\x00\x04\x00\x05\x00\x0A\x00\x20");
        assert_eq!(text, "abc");
        assert_eq!(widths, [400.0, 450.0, 700.0, 300.0, 700.0]);
    }

    #[test]
    fn an_embedded_encoding_cmap_sets_code_lengths_and_cids() {
        // One byte a code, as some subsets are written, its `ToUnicode`
        // keyed by those codes; widths by the CIDs the codes select.
        let mut doc = Document::with_version("1.7");
        let to_unicode = cmap(
            &mut doc,
            "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n1 beginbfrange\n<01> <03> <0061>\nendbfrange",
        );
        let encoding = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
            1 begincodespacerange <00> <FF> endcodespacerange\n\
            1 begincidrange <01> <03> 10 endcidrange\nendcmap";
        let encoding = doc.add_object(Stream::new(Dictionary::new(), encoding.to_vec()));
        let mut descendant = Dictionary::new();
        descendant.set("Type", name("Font"));
        descendant.set("Subtype", name("CIDFontType2"));
        descendant.set(
            "W",
            vec![
                Object::Integer(10),
                Object::Integer(12),
                Object::Integer(250),
            ],
        );
        let mut font = Dictionary::new();
        font.set("Type", name("Font"));
        font.set("Subtype", name("Type0"));
        font.set("Encoding", Object::Reference(encoding));
        font.set("DescendantFonts", vec![Object::Dictionary(descendant)]);
        font.set("ToUnicode", to_unicode);
        let (text, widths) = shown(&doc, &font, b"\x01\x02\x03");
        assert_eq!(text, "abc");
        assert_eq!(widths, [250.0, 250.0, 250.0]);
    }
}
