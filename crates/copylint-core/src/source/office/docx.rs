//! Word documents (`.docx`, `.docm`, `.dotx`): WordprocessingML.
//!
//! Prose is every paragraph (`w:p`) of the body, tables and text boxes
//! included, then of the headers, footers, footnotes and endnotes, and of
//! the comments when asked for. Runs are joined per paragraph, so a word
//! Word split across runs is whole again. Inserted text counts, deleted
//! and moved-away text does not; field instructions and the fallback copy
//! of a drawing (`mc:Fallback`) are not prose, nor are the separator
//! lines Word stores as footnotes. A drop cap, which Word stores as a
//! paragraph of its own holding the first letter, is joined to the
//! paragraph it begins. The description of an image (`wp:docPr descr`) is
//! its alt text, read after the paragraph it is in and numbered as it
//! (`paragraph 4 (image alt text)`; outside the body, in that paragraph's
//! unit, `paragraph 1 (header)`). Paragraphs are numbered
//! from 1 in document order within each part, empty ones included; a text
//! box's paragraphs are numbered after the paragraph that anchors it.
//! Every picture (`a:blip`) is recorded as an image of its paragraph.
//! A symbol character (`w:sym`) is its character, through the Symbol
//! font's own encoding when it is set in Symbol.

use super::archive::{Archive, rels_of, resolve, resolve_images};
use super::xml::{Piece, attr, relationships, walk};
use crate::source::document::{Document, DocumentBuilder, ExtractError, Part, Unit};
use crate::source::images::ImageAt;
use crate::source::symbol_fonts;

/// Relationship types (their last path segment) of the parts read after
/// the body, in that order.
const PARTS: [(&str, Part); 5] = [
    ("header", Part::Header),
    ("footer", Part::Footer),
    ("footnotes", Part::Footnote),
    ("endnotes", Part::Endnote),
    ("comments", Part::Comment),
];

/// Extracts the prose of the Word document whose main part is `main`.
pub fn extract(
    archive: &mut Archive<'_>,
    main: &str,
    comments: bool,
) -> Result<Document, ExtractError> {
    let mut doc = DocumentBuilder::default();
    let body = archive
        .read(main)?
        .ok_or_else(|| ExtractError::damaged(format!("{main} is missing")))?;
    numbered(main, &body, Part::Body, 0, &mut doc)?;
    let rels = match archive.read(&rels_of(main))? {
        Some(rels) => relationships(&rels_of(main), &rels)?,
        None => Vec::new(),
    };
    resolve_images(&mut doc, 0, main, &rels);
    for (kind, part) in PARTS {
        if part == Part::Comment && !comments {
            continue;
        }
        let mut counter = 0;
        for (_, _, target) in rels
            .iter()
            .filter(|(_, t, _)| t.rsplit('/').next() == Some(kind))
        {
            let Some(path) = resolve(main, target) else {
                continue;
            };
            if let Some(xml) = archive.read(&path)? {
                let images = doc.image_count();
                counter = numbered(&path, &xml, part, counter, &mut doc)?;
                if doc.image_count() > images {
                    let rels = match archive.read(&rels_of(&path))? {
                        Some(rels) => relationships(&rels_of(&path), &rels)?,
                        None => Vec::new(),
                    };
                    resolve_images(&mut doc, images, &path, &rels);
                }
            }
        }
    }
    Ok(doc.finish())
}

/// Writes the paragraphs of one part, numbered on from `counter`; returns
/// the last number used. Each picture (`a:blip`) is recorded as an image
/// of the paragraph it is in, by its relationship id.
fn numbered(
    name: &str,
    xml: &str,
    part: Part,
    mut counter: u32,
    doc: &mut DocumentBuilder,
) -> Result<u32, ExtractError> {
    // Open paragraphs, innermost last: their number and text so far.
    let mut open: Vec<(u32, String)> = Vec::new();
    // The open paragraph is a drop cap; the text of the last one read.
    let mut drop_cap = false;
    let mut carried = String::new();
    // Image descriptions and the paragraph they are in, to write after it.
    let mut alts: Vec<(u32, String)> = Vec::new();
    // Depth inside elements whose content is not prose.
    let mut skip = 0usize;
    let mut in_text = false;
    walk(name, xml, &mut |piece| match piece {
        Piece::Start(tag, e) => {
            let separator = matches!(tag, "footnote" | "endnote")
                && attr(e, "type").is_some_and(|t| t != "normal");
            if skip > 0 || separator || matches!(tag, "del" | "moveFrom" | "Fallback" | "instrText")
            {
                skip += 1;
                return;
            }
            match tag {
                "p" => {
                    counter += 1;
                    open.push((counter, std::mem::take(&mut carried)));
                }
                "framePr" => drop_cap = attr(e, "dropCap").is_some_and(|d| d != "none"),
                "docPr" => {
                    if let (Some(descr), Some((n, _))) = (attr(e, "descr"), open.last())
                        && !descr.trim().is_empty()
                    {
                        alts.push((*n, descr));
                    }
                }
                "blip" => {
                    if let (Some(id), Some((n, _))) = (attr(e, "embed"), open.last()) {
                        doc.image(ImageAt::Paragraph(*n), id);
                    }
                }
                "t" => in_text = true,
                "tab" | "br" | "cr" => push(&mut open, " "),
                "noBreakHyphen" => push(&mut open, "-"),
                "sym" => push(&mut open, &symbol(attr(e, "font"), attr(e, "char"))),
                _ => {}
            }
        }
        Piece::End(tag) => {
            if skip > 0 {
                skip -= 1;
                return;
            }
            match tag {
                "t" => in_text = false,
                "p" => {
                    if let Some((n, text)) = open.pop() {
                        if std::mem::take(&mut drop_cap) && counter == n {
                            // Its letter begins the next paragraph, which
                            // takes its number.
                            carried = text;
                            counter -= 1;
                            return;
                        }
                        doc.start_unit(Unit::Paragraph { paragraph: n, part });
                        doc.push(&text);
                        for (_, alt) in alts.extract_if(.., |(at, _)| *at == n) {
                            // Outside the body, the part says more.
                            let part = if part == Part::Body {
                                Part::AltText
                            } else {
                                part
                            };
                            doc.start_unit(Unit::Paragraph { paragraph: n, part });
                            doc.push(&alt);
                            doc.end_paragraph();
                        }
                    }
                }
                _ => {}
            }
        }
        Piece::Text(t) => {
            if in_text && skip == 0 {
                push(&mut open, t);
            }
        }
    })?;
    Ok(counter)
}

/// The text of a symbol character (`w:sym`): in the Symbol font, its code
/// (written in the private-use range, `F061`) through Symbol's own table,
/// as Word draws it; in another font, the character itself, unless it is
/// a private-use code whose glyph only that font knows (Wingdings).
fn symbol(font: Option<String>, char: Option<String>) -> String {
    let Some(code) = char.and_then(|c| u32::from_str_radix(c.trim(), 16).ok()) else {
        return String::new();
    };
    let private = (0xF000..=0xF0FF).contains(&code);
    if let Some(table) = font
        .as_deref()
        .and_then(|f| symbol_fonts::table(f.as_bytes()))
        && (private || code < 0x100)
    {
        return symbol_fonts::text(table, (code & 0xFF) as u8).into();
    }
    match char::from_u32(code) {
        Some(c) if !private && !c.is_control() => c.into(),
        _ => String::new(),
    }
}

fn push(open: &mut [(u32, String)], s: &str) {
    if let Some((_, text)) = open.last_mut() {
        text.push_str(s);
    }
}
