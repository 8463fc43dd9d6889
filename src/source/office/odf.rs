//! OpenDocument text (`.odt`) and presentations (`.odp`).
//!
//! In text, prose is every paragraph and heading (`text:p`, `text:h`) of
//! the body, lists, tables and frames included, numbered from 1 in
//! document order; footnotes and endnotes are numbered in their own parts.
//! In a presentation, each `draw:page` is a slide in document order, and
//! its `presentation:notes` are its speaker notes. Not prose: the deleted
//! text kept for tracked changes, note citations, page-number and date fields, comments (unless asked
//! for), forms and scripts. Master pages are template, never read.

use super::xml::{Piece, attr, walk};
use crate::source::document::{Document, DocumentBuilder, ExtractError, Part, Unit};

/// Elements whose content is never prose.
const SKIPPED: &[&str] = &[
    "tracked-changes",
    "note-citation",
    "forms",
    "scripts",
    "sequence-decls",
    "desc",
    "title",
    "page-number",
    "date-time",
];

/// Extracts the prose of `content.xml`; `comments` includes annotations.
pub fn extract(xml: &str, comments: bool) -> Result<Document, ExtractError> {
    let mut doc = DocumentBuilder::default();
    let mut state = State::default();
    walk("content.xml", xml, &mut |piece| {
        state.piece(piece, comments, &mut doc)
    })?;
    Ok(doc.finish())
}

/// An open paragraph: its unit and text so far.
type Open = (Unit, String);

#[derive(Default)]
struct State {
    open: Vec<Open>,
    skip: usize,
    /// Paragraph counters: body, footnotes, endnotes, comments.
    counters: [u32; 4],
    /// The part notes and annotations put their paragraphs in.
    parts: Vec<Part>,
    /// The slide being read, and whether inside its notes.
    slide: u32,
    notes: bool,
    presentation: bool,
}

impl State {
    fn piece(&mut self, piece: Piece<'_, '_>, comments: bool, doc: &mut DocumentBuilder) {
        match piece {
            Piece::Start(tag, e) => {
                if self.skip > 0 || SKIPPED.contains(&tag) || tag == "annotation" && !comments {
                    self.skip += 1;
                    return;
                }
                match tag {
                    "presentation" => self.presentation = true,
                    "page" if self.presentation => {
                        self.slide += 1;
                        self.notes = false;
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
                    "s" | "tab" | "line-break" => self.push(" "),
                    _ => {}
                }
            }
            Piece::End(tag) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                match tag {
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
                if self.skip == 0 {
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
            _ => 0,
        };
        self.counters[i] += 1;
        Unit::Paragraph {
            paragraph: self.counters[i],
            part,
        }
    }

    fn push(&mut self, s: &str) {
        if let Some((_, text)) = self.open.last_mut() {
            text.push_str(s);
        }
    }
}
