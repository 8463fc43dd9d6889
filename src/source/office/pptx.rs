//! PowerPoint decks (`.pptx`, `.ppsx`, `.potx`): PresentationML.
//!
//! Slides are read in presentation order, the order of `p:sldIdLst` in
//! `presentation.xml` through its relationships (`slide10.xml` may well be
//! the second slide). A slide's prose is every DrawingML paragraph (`a:p`)
//! of its shapes, groups and tables, then of its SmartArt drawing where
//! the text is stored there; slide-number and date placeholders are not
//! prose. Its speaker notes are the body placeholder of its notes slide.
//! Layouts and masters are template, never read.

use super::archive::{Archive, rels_of, resolve};
use super::xml::{Piece, attr, relationships, walk};
use crate::source::document::{Document, DocumentBuilder, ExtractError, Unit};

/// Extracts the prose of the deck whose main part is `main`.
pub fn extract(archive: &mut Archive<'_>, main: &str) -> Result<Document, ExtractError> {
    let presentation = archive
        .read(main)?
        .ok_or_else(|| ExtractError::damaged(format!("{main} is missing")))?;
    let mut order = Vec::new();
    walk(main, &presentation, &mut |piece| {
        if let Piece::Start("sldId", e) = piece
            && let Some(id) = rel_id(e)
        {
            order.push(id);
        }
    })?;
    let rels = rels_for(archive, main)?;
    let mut doc = DocumentBuilder::default();
    for (number, id) in (1u32..).zip(&order) {
        let Some(path) = rels
            .iter()
            .find(|(rid, _, _)| rid == id)
            .and_then(|(_, _, target)| resolve(main, target))
        else {
            continue;
        };
        let Some(slide) = archive.read(&path)? else {
            continue;
        };
        doc.start_unit(Unit::Slide {
            slide: number,
            notes: false,
        });
        shapes(&path, &slide, false, &mut doc)?;
        let slide_rels = rels_for(archive, &path)?;
        for kind in ["diagramDrawing", "notesSlide"] {
            for (_, _, target) in slide_rels.iter().filter(|(_, t, _)| t.ends_with(kind)) {
                let Some(part) = resolve(&path, target) else {
                    continue;
                };
                let Some(xml) = archive.read(&part)? else {
                    continue;
                };
                let notes = kind == "notesSlide";
                doc.start_unit(Unit::Slide {
                    slide: number,
                    notes,
                });
                shapes(&part, &xml, notes, &mut doc)?;
            }
        }
    }
    Ok(doc.finish())
}

/// The `r:id` of a slide id entry.
fn rel_id(e: &quick_xml::events::BytesStart<'_>) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        a.key
            .as_ref()
            .ends_with(":id")
            .then(|| a.value.clone().into_owned())
    })
}

fn rels_for(
    archive: &mut Archive<'_>,
    part: &str,
) -> Result<Vec<(String, String, String)>, ExtractError> {
    let name = rels_of(part);
    match archive.read(&name)? {
        Some(xml) => relationships(&name, &xml),
        None => Ok(Vec::new()),
    }
}

/// Writes the paragraphs of the shapes of one slide part; of a notes slide
/// (`notes`), only those of its body placeholder.
fn shapes(
    name: &str,
    xml: &str,
    notes: bool,
    doc: &mut DocumentBuilder,
) -> Result<(), ExtractError> {
    // For each open shape: whether its text is prose.
    let mut shapes: Vec<bool> = Vec::new();
    let mut in_text = false;
    walk(name, xml, &mut |piece| match piece {
        Piece::Start("sp", _) => shapes.push(!notes),
        Piece::End("sp") => {
            shapes.pop();
        }
        Piece::Start("ph", e) => {
            let kind = attr(e, "type");
            if let Some(prose) = shapes.last_mut() {
                *prose = match kind.as_deref() {
                    Some("sldNum" | "dt" | "sldImg" | "hdr") => false,
                    Some("body") if notes => true,
                    _ => *prose,
                };
            }
        }
        Piece::Start("p", _) => doc.end_paragraph(),
        Piece::End("p") => doc.end_paragraph(),
        Piece::Start("t", _) => in_text = shapes.last().copied().unwrap_or(!notes),
        Piece::End("t") => in_text = false,
        Piece::Start("br", _) if in_shape(&shapes, notes) => doc.push(" "),
        Piece::Text(t) if in_text => doc.push(t),
        _ => {}
    })?;
    Ok(())
}

fn in_shape(shapes: &[bool], notes: bool) -> bool {
    shapes.last().copied().unwrap_or(!notes)
}
