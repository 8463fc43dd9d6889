//! Documents: the prose of a file whose positions are not lines of the
//! file (Word, PowerPoint, OpenDocument, PDF).
//!
//! An extractor reads such a file and writes its prose, paragraph by
//! paragraph, into a [`DocumentBuilder`]: the result is a plain text with
//! one paragraph per line, divided into [`Unit`]s (a page, a slide or its
//! speaker notes, a paragraph) that a person can navigate to. That text is
//! the [`super::Source`]'s text: each line is a prose block, and offsets,
//! lines and columns count in it. An extractor fails with an
//! [`ExtractError`] that says why the file could not be checked.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::finding::NoticeKind;
use crate::source::images::{ImageAt, ImageRef, image_name};

/// The part of a word-processing document a paragraph is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Body,
    Header,
    Footer,
    Footnote,
    Endnote,
    Comment,
    /// The description of an image (its alt text), numbered as the
    /// paragraph the image is anchored in.
    #[serde(rename = "image-alt-text")]
    AltText,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Body => "body",
            Part::Header => "header",
            Part::Footer => "footer",
            Part::Footnote => "footnote",
            Part::Endnote => "endnote",
            Part::Comment => "comment",
            Part::AltText => "image alt text",
        }
    }
}

/// What on a slide a block is read from, besides its shapes' text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SlideObject {
    /// A chart's titles, series and category names.
    Chart,
    /// A SmartArt graphic's text.
    #[serde(rename = "smartart")]
    SmartArt,
    /// The descriptions (alt text) of its images and shapes.
    #[serde(rename = "image-alt-text")]
    AltText,
    /// An object it embeds (an OpenDocument spreadsheet or chart).
    Embedded,
}

impl SlideObject {
    pub fn as_str(self) -> &'static str {
        match self {
            SlideObject::Chart => "chart",
            SlideObject::SmartArt => "SmartArt",
            SlideObject::AltText => "image alt text",
            SlideObject::Embedded => "embedded object",
        }
    }
}

/// Where a block of a document is, in the terms a reader navigates by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A page of a PDF, from 1.
    Page(u32),
    /// A slide, from 1 in presentation order, or its speaker notes.
    Slide { slide: u32, notes: bool },
    /// A chart, SmartArt graphic or alt text of a slide.
    SlideObject { slide: u32, object: SlideObject },
    /// A slide master, from 1 in the order slides first use them, or one
    /// of its layouts, from 1 in its order: text they show on the slides
    /// that use them, checked once per deck.
    Master { master: u32, layout: Option<u32> },
    /// A paragraph of a word-processing document, from 1 in document order
    /// within its part (table cells and text boxes included).
    Paragraph { paragraph: u32, part: Part },
    /// Text read by OCR from an image: where the image is, its number
    /// among the document's images (from 1), and its file name.
    Image {
        at: ImageAt,
        image: u32,
        name: Option<&'static str>,
    },
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Unit::Page(n) => write!(f, "page {n}"),
            Unit::Slide { slide, notes } => {
                write!(f, "slide {slide}")?;
                if notes {
                    f.write_str(" (speaker notes)")?;
                }
                Ok(())
            }
            Unit::SlideObject { slide, object } => write!(f, "slide {slide} ({})", object.as_str()),
            Unit::Master { master, layout } => {
                write!(f, "slide master {master}")?;
                if let Some(layout) = layout {
                    write!(f, ", layout {layout}")?;
                }
                Ok(())
            }
            Unit::Paragraph { paragraph, part } => {
                write!(f, "paragraph {paragraph}")?;
                if part != Part::Body {
                    write!(f, " ({})", part.as_str())?;
                }
                Ok(())
            }
            Unit::Image { at, image, name } => {
                let image = match name {
                    Some(name) => format!("image \"{name}\""),
                    None => format!("image {image}"),
                };
                match at {
                    ImageAt::Scanned(page) => write!(f, "page {page} (scanned)"),
                    ImageAt::Page(page) => write!(f, "page {page} ({image})"),
                    ImageAt::Slide { slide, notes } => {
                        let notes = if notes { "speaker notes, " } else { "" };
                        write!(f, "slide {slide} ({notes}{image})")
                    }
                    ImageAt::Master(master) => write!(f, "slide master {master} ({image})"),
                    ImageAt::Paragraph(paragraph) => write!(f, "paragraph {paragraph} ({image})"),
                    ImageAt::Document => match name {
                        Some(name) => write!(f, "image {} (\"{name}\")", self.image_number()),
                        None => f.write_str(&image),
                    },
                }
            }
        }
    }
}

impl Unit {
    /// An image unit's number; 0 for any other unit.
    fn image_number(&self) -> u32 {
        match self {
            Unit::Image { image, .. } => *image,
            _ => 0,
        }
    }
}

/// A unit as the machine formats carry it: top-level `page`, `slide` and
/// `notes` or `object` (`chart`, `smartart`, `image-alt-text`,
/// `embedded`), `master`
/// and `layout`, or `paragraph` and (outside the body) `part`, only where
/// they apply; text read from an image adds `image` (its number) and
/// `image_name`, or `scanned` for a scanned page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slide: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<SlideObject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_name: Option<ImageName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scanned: Option<bool>,
}

/// An image's file name in JSON, interned as units keep it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ImageName(pub &'static str);

impl<'de> Deserialize<'de> for ImageName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ImageName, D::Error> {
        let name = String::deserialize(d)?;
        image_name(&name)
            .map(ImageName)
            .ok_or_else(|| serde::de::Error::custom("an empty image name"))
    }
}

impl UnitFields {
    pub fn new(unit: Option<Unit>) -> UnitFields {
        let mut fields = UnitFields::default();
        match unit {
            None => {}
            Some(Unit::Page(n)) => fields.page = Some(n),
            Some(Unit::Slide { slide, notes }) => {
                fields.slide = Some(slide);
                fields.notes = Some(notes);
            }
            Some(Unit::SlideObject { slide, object }) => {
                fields.slide = Some(slide);
                fields.object = Some(object);
            }
            Some(Unit::Master { master, layout }) => {
                fields.master = Some(master);
                fields.layout = layout;
            }
            Some(Unit::Paragraph { paragraph, part }) => {
                fields.paragraph = Some(paragraph);
                fields.part = (part != Part::Body).then_some(part);
            }
            Some(Unit::Image { at, image, name }) => {
                fields.image = Some(image);
                fields.image_name = name.map(ImageName);
                match at {
                    ImageAt::Scanned(page) => {
                        fields.page = Some(page);
                        fields.scanned = Some(true);
                    }
                    ImageAt::Page(page) => fields.page = Some(page),
                    ImageAt::Slide { slide, notes } => {
                        fields.slide = Some(slide);
                        fields.notes = Some(notes);
                    }
                    ImageAt::Master(master) => fields.master = Some(master),
                    ImageAt::Paragraph(paragraph) => fields.paragraph = Some(paragraph),
                    ImageAt::Document => {}
                }
            }
        }
        fields
    }

    pub fn is_empty(&self) -> bool {
        *self == UnitFields::default()
    }

    /// The unit these fields describe, read back from JSON.
    pub fn unit(&self) -> Option<Unit> {
        if let Some(image) = self.image {
            let at = match *self {
                UnitFields {
                    page: Some(page),
                    scanned: Some(true),
                    ..
                } => ImageAt::Scanned(page),
                UnitFields {
                    page: Some(page), ..
                } => ImageAt::Page(page),
                UnitFields {
                    slide: Some(slide),
                    notes,
                    ..
                } => ImageAt::Slide {
                    slide,
                    notes: notes.unwrap_or(false),
                },
                UnitFields {
                    master: Some(master),
                    ..
                } => ImageAt::Master(master),
                UnitFields {
                    paragraph: Some(paragraph),
                    ..
                } => ImageAt::Paragraph(paragraph),
                _ => ImageAt::Document,
            };
            let name = self.image_name.map(|n| n.0);
            return Some(Unit::Image { at, image, name });
        }
        match *self {
            UnitFields { page: Some(n), .. } => Some(Unit::Page(n)),
            UnitFields {
                slide: Some(slide),
                object: Some(object),
                ..
            } => Some(Unit::SlideObject { slide, object }),
            UnitFields {
                master: Some(master),
                layout,
                ..
            } => Some(Unit::Master { master, layout }),
            UnitFields {
                slide: Some(slide),
                notes,
                ..
            } => Some(Unit::Slide {
                slide,
                notes: notes.unwrap_or(false),
            }),
            UnitFields {
                paragraph: Some(paragraph),
                part,
                ..
            } => Some(Unit::Paragraph {
                paragraph,
                part: part.unwrap_or(Part::Body),
            }),
            _ => None,
        }
    }
}

/// A document that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExtractError {
    /// Why: encrypted, no text layer, damaged, too large.
    pub reason: NoticeKind,
    pub message: String,
    /// For a scan with no text layer, its pages of images only.
    pub pages: Option<usize>,
}

impl ExtractError {
    pub fn new(reason: NoticeKind, message: impl Into<String>) -> ExtractError {
        ExtractError {
            reason,
            message: message.into(),
            pages: None,
        }
    }

    pub fn damaged(message: impl Into<String>) -> ExtractError {
        ExtractError::new(NoticeKind::Damaged, message)
    }
}

/// The extracted prose of a document: one paragraph per line, and where
/// each unit starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    /// Byte offset in `text` where each unit starts, in order.
    pub units: Vec<(usize, Unit)>,
    /// The images it shows, in document order.
    pub images: Vec<ImageRef>,
}

impl Document {
    /// The unit the byte at `offset` belongs to.
    pub fn unit_at(&self, offset: usize) -> Option<(usize, Unit)> {
        let i = self.units.partition_point(|(start, _)| *start <= offset);
        i.checked_sub(1).map(|i| self.units[i])
    }
}

/// Writes a [`Document`] paragraph by paragraph.
#[derive(Debug, Default)]
pub struct DocumentBuilder {
    doc: Document,
    /// Where the open paragraph starts in the text.
    paragraph: usize,
}

impl DocumentBuilder {
    /// Starts a unit: what follows belongs to it.
    pub fn start_unit(&mut self, unit: Unit) {
        self.end_paragraph();
        if self.doc.units.last().is_some_and(|last| last.1 == unit) {
            return;
        }
        if let Some(last) = self.doc.units.last_mut()
            && last.0 == self.doc.text.len()
        {
            // The previous unit holds no text: replace it.
            last.1 = unit;
            return;
        }
        self.doc.units.push((self.doc.text.len(), unit));
    }

    /// Appends text to the open paragraph; line breaks become spaces.
    pub fn push(&mut self, s: &str) {
        let start = self.doc.text.len();
        self.doc.text.push_str(s);
        if s.contains(['\n', '\r']) {
            let tail: String = self.doc.text[start..]
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect();
            self.doc.text.truncate(start);
            self.doc.text.push_str(&tail);
        }
    }

    /// Ends the open paragraph, if it holds anything but whitespace.
    pub fn end_paragraph(&mut self) {
        if self.doc.text[self.paragraph..].trim().is_empty() {
            self.doc.text.truncate(self.paragraph);
        } else {
            self.doc.text.push('\n');
            self.paragraph = self.doc.text.len();
        }
    }

    /// Records an image shown at `at`, whose bytes are at `target`.
    pub fn image(&mut self, at: ImageAt, target: String) {
        self.doc.images.push(ImageRef { at, target });
    }

    /// Records an image shown in the unit started last.
    pub fn image_here(&mut self, target: String) {
        let at = match self.doc.units.last().map(|(_, unit)| *unit) {
            Some(Unit::Slide { slide, notes }) => ImageAt::Slide { slide, notes },
            Some(Unit::SlideObject { slide, .. }) => ImageAt::Slide {
                slide,
                notes: false,
            },
            Some(Unit::Master { master, .. }) => ImageAt::Master(master),
            Some(Unit::Paragraph { paragraph, .. }) => ImageAt::Paragraph(paragraph),
            Some(Unit::Page(page)) => ImageAt::Scanned(page),
            Some(Unit::Image { at, .. }) => at,
            None => ImageAt::Document,
        };
        self.image(at, target);
    }

    /// The images recorded from the `from`th on, to resolve their targets.
    pub fn images_from(&mut self, from: usize) -> &mut [ImageRef] {
        let from = from.min(self.doc.images.len());
        &mut self.doc.images[from..]
    }

    /// How many images have been recorded.
    pub fn image_count(&self) -> usize {
        self.doc.images.len()
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.doc.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.doc.text.is_empty()
    }

    pub fn finish(mut self) -> Document {
        self.end_paragraph();
        // Units left with no text at the end.
        let len = self.doc.text.len();
        self.doc.units.retain(|(start, _)| *start < len);
        self.doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_are_lines_and_empty_units_vanish() {
        let mut b = DocumentBuilder::default();
        b.start_unit(Unit::Page(1));
        b.push("one\ntwo");
        b.end_paragraph();
        b.push("  ");
        b.start_unit(Unit::Page(2));
        b.start_unit(Unit::Page(3));
        b.push("three");
        b.start_unit(Unit::Page(4));
        let doc = b.finish();
        assert_eq!(doc.text, "one two\nthree\n");
        assert_eq!(doc.units, [(0, Unit::Page(1)), (8, Unit::Page(3))]);
        assert_eq!(doc.unit_at(9), Some((8, Unit::Page(3))));
        assert_eq!(doc.unit_at(7), Some((0, Unit::Page(1))));
    }

    #[test]
    fn units_name_themselves() {
        let notes = Unit::Slide {
            slide: 3,
            notes: true,
        };
        assert_eq!(notes.to_string(), "slide 3 (speaker notes)");
        let footnote = Unit::Paragraph {
            paragraph: 2,
            part: Part::Footnote,
        };
        assert_eq!(footnote.to_string(), "paragraph 2 (footnote)");
        assert_eq!(Unit::Page(2).to_string(), "page 2");
        let chart = Unit::SlideObject {
            slide: 3,
            object: SlideObject::Chart,
        };
        assert_eq!(chart.to_string(), "slide 3 (chart)");
        let layout = Unit::Master {
            master: 1,
            layout: Some(2),
        };
        assert_eq!(layout.to_string(), "slide master 1, layout 2");
        let alt = Unit::Paragraph {
            paragraph: 4,
            part: Part::AltText,
        };
        assert_eq!(alt.to_string(), "paragraph 4 (image alt text)");
    }

    #[test]
    fn image_units_name_their_image_and_survive_json() {
        let banner = image_name("ppt/media/banner.png");
        let units = [
            (
                Unit::Image {
                    at: ImageAt::Slide {
                        slide: 2,
                        notes: false,
                    },
                    image: 1,
                    name: banner,
                },
                "slide 2 (image \"banner.png\")",
                r#"{"slide":2,"notes":false,"image":1,"image_name":"banner.png"}"#,
            ),
            (
                Unit::Image {
                    at: ImageAt::Scanned(1),
                    image: 1,
                    name: None,
                },
                "page 1 (scanned)",
                r#"{"page":1,"image":1,"scanned":true}"#,
            ),
            (
                Unit::Image {
                    at: ImageAt::Page(3),
                    image: 2,
                    name: None,
                },
                "page 3 (image 2)",
                r#"{"page":3,"image":2}"#,
            ),
            (
                Unit::Image {
                    at: ImageAt::Document,
                    image: 3,
                    name: None,
                },
                "image 3",
                r#"{"image":3}"#,
            ),
            (
                Unit::Image {
                    at: ImageAt::Slide {
                        slide: 4,
                        notes: true,
                    },
                    image: 2,
                    name: banner,
                },
                "slide 4 (speaker notes, image \"banner.png\")",
                r#"{"slide":4,"notes":true,"image":2,"image_name":"banner.png"}"#,
            ),
        ];
        for (unit, shown, json) in units {
            assert_eq!(unit.to_string(), shown);
            assert_eq!(
                serde_json::to_string(&UnitFields::new(Some(unit))).unwrap(),
                json
            );
            let back: UnitFields = serde_json::from_str(json).unwrap();
            assert_eq!(back.unit(), Some(unit), "{json}");
        }
    }

    #[test]
    fn new_units_survive_their_machine_fields() {
        let units = [
            Unit::SlideObject {
                slide: 2,
                object: SlideObject::SmartArt,
            },
            Unit::Master {
                master: 1,
                layout: None,
            },
            Unit::Master {
                master: 2,
                layout: Some(5),
            },
            Unit::Paragraph {
                paragraph: 3,
                part: Part::AltText,
            },
        ];
        for unit in units {
            let json = serde_json::to_string(&UnitFields::new(Some(unit))).unwrap();
            let back: UnitFields = serde_json::from_str(&json).unwrap();
            assert_eq!(back.unit(), Some(unit), "{json}");
        }
        let json = serde_json::to_string(&UnitFields::new(Some(units[0]))).unwrap();
        assert_eq!(json, r#"{"slide":2,"object":"smartart"}"#);
    }
}
