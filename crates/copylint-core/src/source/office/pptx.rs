//! PowerPoint decks (`.pptx`, `.ppsx`, `.potx`): PresentationML.
//!
//! Slides are read in presentation order, the order of `p:sldIdLst` in
//! `presentation.xml` through its relationships (`slide10.xml` may well be
//! the second slide). A slide's prose is every DrawingML paragraph (`a:p`)
//! of its shapes, groups and tables; slide-number and date placeholders
//! are not prose. Then, each a unit of its own: its charts' titles, series
//! and category names (`slide 3 (chart)`); its SmartArt's text, from the
//! drawing PowerPoint stores beside the diagram or, without one, from the
//! diagram's data (`slide 3 (SmartArt)`); the descriptions of its images
//! and shapes (`slide 3 (image alt text)`). Its speaker notes are the body
//! placeholder of its notes slide and any text box added there. Every
//! picture (`a:blip`) of a slide, its notes and the templates is recorded
//! as an image of its unit.
//!
//! After the slides, the masters and layouts they use are read once each:
//! only their shapes that are not placeholders, which show on every slide
//! that uses them (a placeholder's text there is a prompt that slides
//! replace). A master whose every used layout hides its shapes
//! (`showMasterSp="0"`) is not read.

use super::archive::{Archive, rels_of, resolve, resolve_images};
use super::xml::{Piece, attr, relationships, walk, walk_until};
use crate::source::document::{Document, DocumentBuilder, ExtractError, SlideObject, Unit};

/// What kind of part a shape tree is read from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tree {
    Slide,
    Notes,
    /// A master or layout: only shapes that are not placeholders.
    Template,
}

type Rels = Vec<(String, String, String)>;

/// A master the slides use: its path, whether a used layout shows its
/// shapes, and the paths and XML of its used layouts that may show text.
type UsedMaster = (String, bool, Vec<(String, String)>);

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
    // The layouts the slides use, in the order of first use.
    let mut layouts: Vec<String> = Vec::new();
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
        let images = doc.image_count();
        let alts = shapes(&path, &slide, Tree::Slide, &mut doc)?;
        let slide_rels = rels_for(archive, &path)?;
        resolve_images(&mut doc, images, &path, &slide_rels);
        let targets = |kind: &str| -> Vec<String> {
            slide_rels
                .iter()
                .filter(|(_, t, _)| t.rsplit('/').next() == Some(kind))
                .filter_map(|(_, _, target)| resolve(&path, target))
                .collect()
        };
        for layout in targets("slideLayout") {
            if !layouts.contains(&layout) {
                layouts.push(layout);
            }
        }
        let object = |object| Unit::SlideObject {
            slide: number,
            object,
        };
        for part in targets("chart") {
            if let Some(xml) = archive.read(&part)? {
                doc.start_unit(object(SlideObject::Chart));
                chart(&part, &xml, &mut doc)?;
            }
        }
        smartart(
            archive,
            &path,
            &slide_rels,
            &mut doc,
            object(SlideObject::SmartArt),
        )?;
        for part in targets("notesSlide") {
            if let Some(xml) = archive.read(&part)? {
                doc.start_unit(Unit::Slide {
                    slide: number,
                    notes: true,
                });
                let images = doc.image_count();
                shapes(&part, &xml, Tree::Notes, &mut doc)?;
                if doc.image_count() > images {
                    let rels = rels_for(archive, &part)?;
                    resolve_images(&mut doc, images, &part, &rels);
                }
            }
        }
        doc.start_unit(object(SlideObject::AltText));
        for alt in alts {
            doc.push(&alt);
            doc.end_paragraph();
        }
    }
    templates(archive, &layouts, &mut doc)?;
    Ok(doc.finish())
}

/// Writes the SmartArt text of the slide at `path`: each drawing part
/// PowerPoint stored, and the data part of each diagram without one.
fn smartart(
    archive: &mut Archive<'_>,
    path: &str,
    rels: &Rels,
    doc: &mut DocumentBuilder,
    unit: Unit,
) -> Result<(), ExtractError> {
    let of_kind = |kind: &str| {
        rels.iter()
            .filter(move |(_, t, _)| t.rsplit('/').next() == Some(kind))
            .filter_map(|(id, _, target)| Some((id.clone(), resolve(path, target)?)))
            .collect::<Vec<_>>()
    };
    let drawings = of_kind("diagramDrawing");
    let mut drawn = Vec::new();
    for (id, part) in &drawings {
        if let Some(xml) = archive.read(part)? {
            doc.start_unit(unit);
            let images = doc.image_count();
            shapes(part, &xml, Tree::Slide, doc)?;
            if doc.image_count() > images {
                let rels = rels_for(archive, part)?;
                resolve_images(doc, images, part, &rels);
            }
            drawn.push(id.clone());
        }
    }
    for (_, part) in of_kind("diagramData") {
        let Some(xml) = archive.read(&part)? else {
            continue;
        };
        doc.start_unit(unit);
        diagram_data(&part, &xml, &drawn, doc)?;
    }
    Ok(())
}

/// Reads the masters and layouts used, once each: a master (numbered in
/// the order first used) before its layouts (numbered in its order).
fn templates(
    archive: &mut Archive<'_>,
    layouts: &[String],
    doc: &mut DocumentBuilder,
) -> Result<(), ExtractError> {
    let mut masters: Vec<UsedMaster> = Vec::new();
    for layout in layouts {
        let Some(xml) = archive.read(layout)? else {
            continue;
        };
        // An attribute of the root element: the first start read.
        let mut shows_master = true;
        walk_until(layout, &xml, &mut |piece| match piece {
            Piece::Start(_, e) => {
                shows_master = attr(e, "showMasterSp").as_deref() != Some("0");
                false
            }
            _ => true,
        })?;
        let Some(master) = rels_for(archive, layout)?
            .iter()
            .find(|(_, t, _)| t.ends_with("/slideMaster"))
            .and_then(|(_, _, target)| resolve(layout, target))
        else {
            continue;
        };
        let used: Vec<_> = may_show_text(&xml)
            .then(|| (layout.clone(), xml))
            .into_iter()
            .collect();
        match masters.iter_mut().find(|(path, _, _)| *path == master) {
            Some((_, shown, with_text)) => {
                *shown |= shows_master;
                with_text.extend(used);
            }
            None => masters.push((master, shows_master, used)),
        }
    }
    for (number, (master, shown, used)) in (1u32..).zip(masters) {
        let Some(xml) = archive.read(&master)? else {
            continue;
        };
        let shown = shown && may_show_text(&xml);
        if !shown && used.is_empty() {
            continue;
        }
        // The master's layouts in its order, as PowerPoint lists them; the
        // text styles that follow the list are most of the part.
        let mut ids = Vec::new();
        walk_until(&master, &xml, &mut |piece| match piece {
            Piece::Start("sldLayoutId", e) => {
                ids.extend(rel_id(e));
                true
            }
            Piece::End("sldLayoutIdLst") => false,
            _ => true,
        })?;
        let master_rels = rels_for(archive, &master)?;
        let images = doc.image_count();
        let position = |layout: &str| {
            ids.iter().position(|id| {
                master_rels.iter().any(|(rid, _, target)| {
                    rid == id && resolve(&master, target).as_deref() == Some(layout)
                })
            })
        };
        if shown {
            doc.start_unit(Unit::Master {
                master: number,
                layout: None,
            });
            shapes(&master, &xml, Tree::Template, doc)?;
            resolve_images(doc, images, &master, &master_rels);
        }
        let mut used: Vec<_> = used
            .into_iter()
            .map(|(path, xml)| {
                (
                    position(&path).map_or(u32::MAX, |i| i as u32 + 1),
                    path,
                    xml,
                )
            })
            .collect();
        used.sort_by_key(|(n, _, _)| *n);
        for (n, path, xml) in used {
            doc.start_unit(Unit::Master {
                master: number,
                layout: (n != u32::MAX).then_some(n),
            });
            let images = doc.image_count();
            shapes(&path, &xml, Tree::Template, doc)?;
            if doc.image_count() > images {
                let rels = rels_for(archive, &path)?;
                resolve_images(doc, images, &path, &rels);
            }
        }
    }
    Ok(())
}

/// Whether a master or layout may have a shape that is not a placeholder,
/// told without parsing it: PowerPoint writes the `p` prefix, and a part
/// where every `p:sp` holds a `p:ph`, with no table, has none. Any other
/// part is read.
fn may_show_text(xml: &str) -> bool {
    let count = |needle: &str| memchr::memmem::find_iter(xml.as_bytes(), needle).count();
    let shapes = count("<p:sp>") + count("<p:sp ");
    let placeholders = count("<p:ph ") + count("<p:ph/>") + count("<p:ph>");
    shapes == 0 || shapes > placeholders || xml.contains("<p:graphicFrame")
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

fn rels_for(archive: &mut Archive<'_>, part: &str) -> Result<Rels, ExtractError> {
    let name = rels_of(part);
    match archive.read(&name)? {
        Some(xml) => relationships(&name, &xml),
        None => Ok(Vec::new()),
    }
}

/// Writes the paragraphs of the shapes of one part read as `tree`, and
/// returns the descriptions (alt text) of a slide's images and shapes.
fn shapes(
    name: &str,
    xml: &str,
    tree: Tree,
    doc: &mut DocumentBuilder,
) -> Result<Vec<String>, ExtractError> {
    // For each open shape: whether its text is prose.
    let mut shapes: Vec<bool> = Vec::new();
    let mut in_text = false;
    let mut alts = Vec::new();
    // A master's or layout's shapes end with its `p:cSld`; what follows
    // (text styles) is most of the part.
    walk_until(name, xml, &mut |piece| {
        if tree == Tree::Template && matches!(piece, Piece::End("cSld")) {
            return false;
        }
        shape_piece(piece, tree, &mut shapes, &mut in_text, &mut alts, doc);
        true
    })?;
    Ok(alts)
}

/// One piece of a shape tree, for [`shapes`].
fn shape_piece(
    piece: Piece<'_, '_>,
    tree: Tree,
    shapes: &mut Vec<bool>,
    in_text: &mut bool,
    alts: &mut Vec<String>,
    doc: &mut DocumentBuilder,
) {
    match piece {
        Piece::Start("sp", _) => shapes.push(true),
        Piece::End("sp") => {
            shapes.pop();
        }
        Piece::Start("ph", e) => {
            let kind = attr(e, "type");
            if let Some(prose) = shapes.last_mut() {
                *prose = match tree {
                    Tree::Slide => {
                        !matches!(kind.as_deref(), Some("sldNum" | "dt" | "sldImg" | "hdr"))
                    }
                    Tree::Notes => kind.as_deref() == Some("body"),
                    Tree::Template => false,
                };
            }
        }
        Piece::Start("cNvPr", e) if tree == Tree::Slide => {
            if let Some(descr) = attr(e, "descr").filter(|d| !d.trim().is_empty()) {
                alts.push(descr);
            }
        }
        Piece::Start("blip", e) => {
            if let Some(id) = attr(e, "embed") {
                doc.image_here(id);
            }
        }
        Piece::Start("p", _) => doc.end_paragraph(),
        Piece::End("p") => doc.end_paragraph(),
        Piece::Start("t", _) => *in_text = shapes.last().copied().unwrap_or(tree == Tree::Slide),
        Piece::End("t") => *in_text = false,
        Piece::Start("br", _) if in_text_shape(shapes, tree) => doc.push(" "),
        Piece::Text(t) if *in_text => doc.push(t),
        _ => {}
    }
}

fn in_text_shape(shapes: &[bool], tree: Tree) -> bool {
    shapes.last().copied().unwrap_or(tree == Tree::Slide)
}

/// Writes a chart's text: the paragraphs of its titles and rich labels,
/// and each string its series names and categories cache (`c:strCache`,
/// `c:strLit`, a literal `c:tx`), one paragraph each. Numbers are not read.
fn chart(name: &str, xml: &str, doc: &mut DocumentBuilder) -> Result<(), ExtractError> {
    let mut strings = 0usize;
    let (mut in_text, mut in_value) = (false, false);
    walk(name, xml, &mut |piece| match piece {
        Piece::Start("strCache" | "strLit" | "multiLvlStrCache" | "tx", _) => strings += 1,
        Piece::End("strCache" | "strLit" | "multiLvlStrCache" | "tx") => {
            strings = strings.saturating_sub(1)
        }
        Piece::Start("p", _) | Piece::End("p") => doc.end_paragraph(),
        Piece::Start("t", _) => in_text = true,
        Piece::End("t") => in_text = false,
        Piece::Start("v", _) => in_value = strings > 0,
        Piece::End("v") => {
            in_value = false;
            doc.end_paragraph();
        }
        Piece::Text(t) if in_text || in_value => doc.push(t),
        _ => {}
    })?;
    doc.end_paragraph();
    Ok(())
}

/// Writes a SmartArt diagram's text from its data part: the paragraphs of
/// its points, but not of presentation and transition points, which hold
/// no copy. Nothing when the diagram names, as its drawing, one of the
/// relationships in `drawn`, already read.
fn diagram_data(
    name: &str,
    xml: &str,
    drawn: &[String],
    doc: &mut DocumentBuilder,
) -> Result<(), ExtractError> {
    let mut has_drawing = false;
    walk(name, xml, &mut |piece| {
        if let Piece::Start("dataModelExt", e) = piece
            && attr(e, "relId").is_some_and(|id| drawn.contains(&id))
        {
            has_drawing = true;
        }
    })?;
    if has_drawing {
        return Ok(());
    }
    // Whether the point being read holds copy.
    let mut copy = false;
    let mut in_text = false;
    walk(name, xml, &mut |piece| match piece {
        Piece::Start("pt", e) => {
            copy = !matches!(
                attr(e, "type").as_deref(),
                Some("pres" | "parTrans" | "sibTrans")
            );
        }
        Piece::End("pt") => copy = false,
        Piece::Start("p", _) | Piece::End("p") => doc.end_paragraph(),
        // `dgm:t` holds a point's text body; `a:t` its runs' text.
        Piece::Start("t", e) => in_text = copy && !e.name().0.starts_with("dgm:"),
        Piece::End("t") => in_text = false,
        Piece::Text(t) if in_text => doc.push(t),
        _ => {}
    })?;
    doc.end_paragraph();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_parsed_only_when_it_may_show_text() {
        let ph = r#"<p:sp><p:nvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr></p:sp>"#;
        let text_box =
            "<p:sp><p:txBody><a:p><a:r><a:t>Confidential</a:t></a:r></a:p></p:txBody></p:sp>";
        assert!(!may_show_text(&format!("<p:spTree>{ph}{ph}</p:spTree>")));
        assert!(may_show_text(&format!(
            "<p:spTree>{ph}{text_box}</p:spTree>"
        )));
        assert!(may_show_text("<p:spTree><p:graphicFrame/></p:spTree>"));
        // Another prefix: nothing is told, so the part is read.
        assert!(may_show_text("<x:spTree><x:sp><x:ph/></x:sp></x:spTree>"));
    }
}
