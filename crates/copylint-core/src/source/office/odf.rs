//! OpenDocument text (`.odt`) and presentations (`.odp`).
//!
//! In text, prose is every paragraph and heading (`text:p`, `text:h`) of
//! the body, lists, tables and frames included, numbered from 1 in
//! document order; footnotes and endnotes are numbered in their own parts.
//! In a presentation, each `draw:page` is a slide in document order, and
//! its `presentation:notes` are its speaker notes. The title and
//! description of an image or shape (`svg:title`, `svg:desc`) are its alt
//! text, a unit of their own; each image (`draw:image`) is recorded with
//! its slide or paragraph. Not prose: the deleted
//! text kept for tracked changes, note citations, page-number and date fields, comments (unless asked
//! for), forms and scripts.
//!
//! A text document's headers and footers live in `styles.xml`, in its
//! master pages (`style:header`, `style:footer` and their `-left` and
//! `-first` variants): they are read after the body, like Word's, each
//! numbered in its own part. Everything else in `styles.xml`, and the
//! master pages of a presentation, is template and never read, but for
//! the frames of a presentation's master pages that are not placeholders
//! (a footer, a text box): they show on the slides that use them, and are
//! read once per deck, after the slides (`slide master 1`). A footer or
//! header declaration (`presentation:footer-decl`) is read in the first
//! slide that uses it. The objects a slide embeds (a spreadsheet, a chart,
//! each a folder of the archive with its own `content.xml`) are read after
//! the slides (`slide 2 (embedded object)`).

use super::xml::{Piece, attr, walk};
use crate::source::document::{Document, DocumentBuilder, ExtractError, Part, SlideObject, Unit};
use crate::source::images::ImageAt;

/// Elements whose content is never prose.
const SKIPPED: &[&str] = &[
    "tracked-changes",
    "note-citation",
    "forms",
    "scripts",
    "sequence-decls",
    "page-number",
    "date-time",
];

/// Extracts the prose of `content.xml`, then the headers and footers of
/// `styles` (when given) if it is a text document; `comments` includes
/// annotations.
pub fn extract(
    content: &str,
    styles: Option<&str>,
    comments: bool,
    read: &mut dyn FnMut(&str) -> Result<Option<String>, ExtractError>,
) -> Result<Document, ExtractError> {
    let mut doc = DocumentBuilder::default();
    let mut state = State::default();
    walk("content.xml", content, &mut |piece| {
        state.piece(piece, comments, &mut doc)
    })?;
    for (slide, href) in std::mem::take(&mut state.objects) {
        let dir = href.trim_start_matches("./").trim_end_matches('/');
        if dir.is_empty() || dir.contains("..") || dir.starts_with('/') || dir.contains(':') {
            continue;
        }
        let name = format!("{dir}/content.xml");
        if let Some(xml) = read(&name)? {
            doc.start_unit(Unit::SlideObject {
                slide,
                object: SlideObject::Embedded,
            });
            paragraphs(&name, &xml, &mut doc)?;
        }
    }
    if let Some(styles) = styles {
        if state.presentation {
            masters(styles, &state.masters, &mut doc)?;
        } else {
            state.styles = true;
            walk("styles.xml", styles, &mut |piece| {
                state.piece(piece, comments, &mut doc)
            })?;
        }
    }
    Ok(doc.finish())
}

/// Writes every paragraph and heading of an embedded object's part (a
/// spreadsheet's cells, a chart's titles), one line each.
fn paragraphs(name: &str, xml: &str, doc: &mut DocumentBuilder) -> Result<(), ExtractError> {
    let (mut skip, mut in_p) = (0usize, 0usize);
    walk(name, xml, &mut |piece| match piece {
        Piece::Start(tag, _) if skip > 0 || SKIPPED.contains(&tag) || tag == "annotation" => {
            skip += 1
        }
        Piece::End(_) if skip > 0 => skip -= 1,
        Piece::Start("p" | "h", _) => {
            doc.end_paragraph();
            in_p += 1;
        }
        Piece::End("p" | "h") => {
            doc.end_paragraph();
            in_p = in_p.saturating_sub(1);
        }
        Piece::Start("s" | "tab" | "line-break", _) if in_p > 0 => doc.push(" "),
        Piece::Text(t) if in_p > 0 && skip == 0 => doc.push(t),
        _ => {}
    })
}

/// Writes the text of a presentation's master pages that its slides use
/// (named in `used`, in the order first used), once each: the frames that
/// are not placeholders (a footer, a text box), not their notes pages.
fn masters(styles: &str, used: &[String], doc: &mut DocumentBuilder) -> Result<(), ExtractError> {
    // Depth inside a used master page, inside what is not copy there, and
    // whether inside a paragraph.
    let (mut master, mut skip, mut in_p) = (0usize, 0usize, false);
    walk("styles.xml", styles, &mut |piece| match piece {
        Piece::Start("master-page", e) => {
            let number = attr(e, "name").and_then(|n| used.iter().position(|u| *u == n));
            if let Some(i) = number {
                doc.start_unit(Unit::Master {
                    master: i as u32 + 1,
                    layout: None,
                });
                master = 1;
            }
        }
        Piece::End("master-page") => master = 0,
        Piece::Start(tag, e) if master > 0 => {
            master += 1;
            let placeholder = attr(e, "placeholder").as_deref() == Some("true");
            if skip > 0 || placeholder || tag == "notes" || SKIPPED.contains(&tag) {
                skip += 1;
            } else if matches!(tag, "p" | "h") {
                doc.end_paragraph();
                in_p = true;
            } else if matches!(tag, "s" | "tab" | "line-break") && in_p {
                doc.push(" ");
            }
        }
        Piece::End(tag) if master > 0 => {
            master -= 1;
            if skip > 0 {
                skip -= 1;
            } else if matches!(tag, "p" | "h") {
                doc.end_paragraph();
                in_p = false;
            }
        }
        Piece::Text(t) if master > 0 && skip == 0 && in_p => doc.push(t),
        _ => {}
    })
}

/// The part of a master page's element, for the header and footer
/// elements.
fn header_or_footer(tag: &str) -> Option<Part> {
    match tag {
        "header" | "header-left" | "header-first" => Some(Part::Header),
        "footer" | "footer-left" | "footer-first" => Some(Part::Footer),
        _ => None,
    }
}

/// An open paragraph: its unit and text so far.
type Open = (Unit, String);

#[derive(Default)]
struct State {
    open: Vec<Open>,
    skip: usize,
    /// Paragraph counters: body, footnotes, endnotes, comments, headers,
    /// footers.
    counters: [u32; 6],
    /// The part notes and annotations put their paragraphs in.
    parts: Vec<Part>,
    /// The slide being read, and whether inside its notes.
    slide: u32,
    notes: bool,
    presentation: bool,
    /// Reading `styles.xml`: only headers and footers are prose.
    styles: bool,
    /// Depth inside headers and footers of `styles.xml`.
    margins: usize,
    /// Inside an image's or shape's title or description (`svg:title`,
    /// `svg:desc`), read as its alt text.
    alt: bool,
    /// A presentation's master pages its slides use, in the order first
    /// used.
    masters: Vec<String>,
    /// A presentation's footer and header declarations, and whether each
    /// has been written, in the first slide that uses it.
    decls: Vec<(String, String, bool)>,
    /// Inside a declaration.
    in_decl: bool,
    /// The objects a presentation's slides embed (`draw:object`): the
    /// slide, and the folder of the object in the archive.
    objects: Vec<(u32, String)>,
}

impl State {
    fn piece(&mut self, piece: Piece<'_, '_>, comments: bool, doc: &mut DocumentBuilder) {
        match piece {
            Piece::Start(tag, e) => {
                let svg = e.name().0.starts_with("svg:");
                let alt = matches!(tag, "title" | "desc");
                if self.skip > 0
                    || SKIPPED.contains(&tag)
                    || tag == "annotation" && !comments
                    || alt && (!svg || self.styles || self.alt)
                {
                    self.skip += 1;
                    return;
                }
                if alt {
                    self.alt = true;
                    let unit = self.alt_unit();
                    self.open.push((unit, String::new()));
                    return;
                }
                if self.styles {
                    if let Some(part) = header_or_footer(tag) {
                        self.parts.push(part);
                        self.margins += 1;
                    } else if self.margins == 0 {
                        return;
                    }
                }
                match tag {
                    "presentation" => self.presentation = true,
                    "page" if self.presentation => {
                        self.slide += 1;
                        self.notes = false;
                        if let Some(name) = attr(e, "master-page-name")
                            && !self.masters.contains(&name)
                        {
                            self.masters.push(name);
                        }
                        self.declared(e, doc);
                    }
                    "object" if self.presentation && !self.notes => {
                        if let Some(href) = attr(e, "href") {
                            self.objects.push((self.slide.max(1), href));
                        }
                    }
                    "footer-decl" | "header-decl" => {
                        let name = attr(e, "name").unwrap_or_default();
                        self.decls.push((name, String::new(), false));
                        self.in_decl = true;
                    }
                    "notes" if self.presentation => self.notes = true,
                    "note" => self.parts.push(match attr(e, "note-class").as_deref() {
                        Some("endnote") => Part::Endnote,
                        _ => Part::Footnote,
                    }),
                    "annotation" => self.parts.push(Part::Comment),
                    "p" | "h" => {
                        let unit = self.unit();
                        self.open.push((unit, String::new()));
                    }
                    "image" => {
                        if let Some(href) = attr(e, "href") {
                            let at = self.image_at();
                            doc.image(at, href);
                        }
                    }
                    "s" | "tab" | "line-break" => self.push(" "),
                    _ => {}
                }
            }
            Piece::End(tag) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                if self.styles && header_or_footer(tag).is_some() {
                    self.parts.pop();
                    self.margins -= 1;
                    return;
                }
                match tag {
                    "footer-decl" | "header-decl" => self.in_decl = false,
                    "title" | "desc" if self.alt => {
                        self.alt = false;
                        if let Some((unit, text)) = self.open.pop() {
                            doc.start_unit(unit);
                            doc.push(&text);
                            doc.end_paragraph();
                        }
                    }
                    "notes" if self.presentation => self.notes = false,
                    "note" | "annotation" => {
                        self.parts.pop();
                    }
                    "p" | "h" => {
                        if let Some((unit, text)) = self.open.pop() {
                            doc.start_unit(unit);
                            doc.push(&text);
                            doc.end_paragraph();
                        }
                    }
                    _ => {}
                }
            }
            Piece::Text(t) => {
                if self.in_decl {
                    if let Some((_, text, _)) = self.decls.last_mut() {
                        text.push_str(t);
                    }
                } else if self.skip == 0 {
                    self.push(t);
                }
            }
        }
    }

    /// The unit of a paragraph starting now.
    fn unit(&mut self) -> Unit {
        if self.presentation {
            return Unit::Slide {
                slide: self.slide.max(1),
                notes: self.notes,
            };
        }
        let part = self.parts.last().copied().unwrap_or(Part::Body);
        let i = match part {
            Part::Footnote => 1,
            Part::Endnote => 2,
            Part::Comment => 3,
            Part::Header => 4,
            Part::Footer => 5,
            Part::Body | Part::AltText => 0,
        };
        self.counters[i] += 1;
        Unit::Paragraph {
            paragraph: self.counters[i],
            part,
        }
    }

    /// Writes the footer and header declarations the slide starting with
    /// `e` uses, in its unit, unless an earlier slide did.
    fn declared(&mut self, e: &quick_xml::events::BytesStart<'_>, doc: &mut DocumentBuilder) {
        for key in ["use-footer-name", "use-header-name"] {
            let Some(name) = attr(e, key) else { continue };
            if let Some((_, text, written)) = self.decls.iter_mut().find(|d| d.0 == name)
                && !*written
            {
                *written = true;
                doc.start_unit(Unit::Slide {
                    slide: self.slide,
                    notes: false,
                });
                doc.push(text);
                doc.end_paragraph();
            }
        }
    }

    /// Where an image starting now is: on its slide (or notes), or in the
    /// paragraph it is anchored in (the last one when it is anchored to
    /// the page).
    fn image_at(&self) -> ImageAt {
        if self.presentation {
            return ImageAt::Slide {
                slide: self.slide.max(1),
                notes: self.notes,
            };
        }
        match self.open.last() {
            Some((Unit::Paragraph { paragraph, .. }, _)) => ImageAt::Paragraph(*paragraph),
            _ => ImageAt::Paragraph(self.counters[0].max(1)),
        }
    }

    /// The unit of an image's alt text starting now: of its slide, or
    /// numbered as the paragraph it is anchored in (the last one when it
    /// is anchored to the page).
    fn alt_unit(&self) -> Unit {
        if self.presentation {
            return Unit::SlideObject {
                slide: self.slide.max(1),
                object: SlideObject::AltText,
            };
        }
        match self.open.last() {
            // Outside the body, the part says more.
            Some((Unit::Paragraph { paragraph, part }, _)) if *part != Part::Body => {
                Unit::Paragraph {
                    paragraph: *paragraph,
                    part: *part,
                }
            }
            Some((Unit::Paragraph { paragraph, .. }, _)) => Unit::Paragraph {
                paragraph: *paragraph,
                part: Part::AltText,
            },
            _ => Unit::Paragraph {
                paragraph: self.counters[0].max(1),
                part: Part::AltText,
            },
        }
    }

    fn push(&mut self, s: &str) {
        if let Some((_, text)) = self.open.last_mut() {
            text.push_str(s);
        }
    }
}
