//! Images in documents: where each one is, so that a run can say which
//! pictures it did not read and, with OCR, read them.
//!
//! Extractors record every image a document shows as an [`ImageRef`]
//! (where it is, in the terms of [`ImageAt`], and where its bytes are). A
//! [`Source`](super::Source) keeps them with an [`ImageReport`] that
//! counts what was read and what was not: the check turns the report into
//! one notice per document. Text read from an image is a block of its own,
//! in a [`Unit::Image`](super::Unit::Image) that names the image; its
//! words' confidences stay with the report, so that a finding in it can
//! say how sure the reading was ([`ImageReport::annotate`]).

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use crate::finding::{Finding, Severity};

/// Where an image is, in the terms a reader navigates by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageAt {
    /// A page of a PDF that holds images only (a scan).
    Scanned(u32),
    /// A picture drawn on a page of a PDF that has text.
    Page(u32),
    /// A slide, or its speaker notes.
    Slide { slide: u32, notes: bool },
    /// A slide master or layout, from 1 in the order slides first use them.
    Master(u32),
    /// The paragraph an image is anchored in.
    Paragraph(u32),
    /// A page or document with no finer unit (an HTML page).
    Document,
}

/// An image a document shows: where, and where its bytes are (the path of
/// an entry in an Office archive, an HTML `src`; empty for a PDF's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub at: ImageAt,
    pub target: String,
}

/// The file name of an image's target, as units show it: interned, so that
/// a unit stays `Copy`. Names are few (a deck's media are `image1.png`,
/// `image2.png`, …) and each distinct one is kept once; a name over 80
/// bytes is cut.
pub fn image_name(target: &str) -> Option<&'static str> {
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let name = target.rsplit(['/', '\\']).next().unwrap_or(target);
    let name = name.split(['?', '#']).next().unwrap_or(name).trim();
    if name.is_empty() {
        return None;
    }
    let cut = (0..=name.len().min(80))
        .rev()
        .find(|&i| name.is_char_boundary(i))
        .unwrap_or(0);
    let name = &name[..cut];
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return Some(known);
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    Some(leaked)
}

/// How many `<img` tags an HTML page's text holds, told by a byte search
/// (the images of an HTML page are counted without parsing it again).
pub fn count_html_images(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'<', bytes)
        .filter(|&i| {
            bytes
                .get(i + 1..i + 4)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"img"))
                && bytes
                    .get(i + 4)
                    .is_none_or(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
        })
        .count()
}

/// One word read by OCR: where it is in the extracted text, and how sure
/// the reading was, from 0 to 100.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcrWord {
    pub span: Range<usize>,
    pub confidence: u8,
}

/// Words read with less confidence than this make a finding at most a
/// warning.
pub const LOW_CONFIDENCE: u8 = 70;

/// What became of a document's images.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageReport {
    /// Images the document shows (an image shown twice counts twice).
    pub images: usize,
    /// Pages of images only (scans).
    pub scanned_pages: usize,
    /// Images and pages read by OCR.
    pub read: usize,
    /// Images not read as too small to hold text.
    pub small: usize,
    /// Images not read for another reason: one sentence each, naming the
    /// image (over a limit, a format OCR cannot read, damaged).
    pub refused: Vec<String>,
    /// Images not read yet: an editor's check on a change reads only the
    /// images read before (new ones are read when the file is saved).
    pub pending: usize,
    /// The words read by OCR, in text order.
    pub words: Arc<[OcrWord]>,
}

impl ImageReport {
    /// Images and pages not read.
    pub fn unread(&self) -> usize {
        (self.images + self.scanned_pages).saturating_sub(self.read)
    }

    /// The sentence of the notice about the images not read, if any were
    /// not; `ocr` says whether the run read images.
    pub fn unread_message(&self) -> Option<String> {
        let unread = self.unread();
        if unread == 0 {
            return None;
        }
        let mut what = Vec::new();
        let images = unread.saturating_sub(self.scanned_pages.saturating_sub(self.read));
        let pages = unread - images;
        if images > 0 {
            what.push(crate::report::count(images, "image"));
        }
        if pages > 0 {
            what.push(format!(
                "{} of images only",
                crate::report::count(pages, "page")
            ));
        }
        let verb = if unread == 1 { "was" } else { "were" };
        let what = what.join(" and ");
        if self.read == 0 && self.small == 0 && self.refused.is_empty() && self.pending == 0 {
            return Some(format!(
                "{what} {verb} not read: text in pictures is not checked (--ocr reads it)"
            ));
        }
        let mut why = Vec::new();
        if self.small > 0 {
            why.push(format!("{} under {MIN_SIDE} px", self.small));
        }
        if !self.refused.is_empty() {
            why.push(format!("{} past a limit or unreadable", self.refused.len()));
        }
        if self.pending > 0 {
            why.push(format!(
                "{} to be read when the file is saved",
                self.pending
            ));
        }
        Some(format!("{what} {verb} not read ({})", why.join(", ")))
    }

    /// Says, in the message of each finding in text read by OCR, that it
    /// was, and how sure the reading of the matched words was (the least
    /// sure of them); a finding whose words were read with less than
    /// [`LOW_CONFIDENCE`] is at most a warning.
    pub fn annotate(&self, findings: &mut [Finding]) {
        if self.words.is_empty() {
            return;
        }
        for f in findings {
            let span = f.span.range();
            let start = self.words.partition_point(|w| w.span.end <= span.start);
            let Some(confidence) = self.words[start..]
                .iter()
                .take_while(|w| w.span.start < span.end)
                .map(|w| w.confidence)
                .min()
            else {
                continue;
            };
            f.message = format!("{} (read by OCR, confidence {confidence}%)", f.message).into();
            if confidence < LOW_CONFIDENCE && f.severity > Severity::Warning {
                f.severity = Severity::Warning;
            }
        }
    }
}

#[cfg(feature = "ocr")]
/// Appends to `source` the text read from one image, shown in `unit`: each
/// paragraph of `words` a block, each word folded by `fold` and recorded
/// with its confidence.
pub(crate) fn append_read(
    source: &mut super::Source,
    unit: super::Unit,
    paragraphs: &[Vec<(String, u8)>],
    fold: &dyn Fn(&str) -> String,
) {
    let mut words: Vec<OcrWord> = source.image_report.words.to_vec();
    if !source.text.is_empty() && !source.text.ends_with('\n') {
        source.text.push('\n');
    }
    let start = source.text.len();
    let mut wrote = false;
    for paragraph in paragraphs {
        if paragraph.is_empty() {
            continue;
        }
        if !wrote {
            let line = source.text.matches('\n').count();
            source.units.push((start, unit));
            source.unit_lines.push(line);
            wrote = true;
        }
        for (i, (word, confidence)) in paragraph.iter().enumerate() {
            if i > 0 {
                source.text.push(' ');
            }
            let word = fold(word).replace(['\n', '\r'], " ");
            let at = source.text.len();
            source.text.push_str(&word);
            words.push(OcrWord {
                span: at..source.text.len(),
                confidence: *confidence,
            });
        }
        source.text.push('\n');
    }
    source.image_report.words = words.into();
}

/// Images narrower or lower than this many pixels are icons and rules,
/// not text: OCR skips them.
pub const MIN_SIDE: u32 = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_images_are_counted_by_their_tags() {
        let page = "<p>Hi <IMG src=a.png> <img/> <image> <imgx> <img\nsrc=b.png>";
        assert_eq!(count_html_images(page), 3);
        assert_eq!(count_html_images("<p>no pictures</p>"), 0);
    }

    #[test]
    fn names_are_file_names_kept_once() {
        let a = image_name("ppt/media/banner.png").unwrap();
        let b = image_name("../media/banner.png?v=2").unwrap();
        assert_eq!(a, "banner.png");
        assert!(std::ptr::eq(a, b));
        assert_eq!(image_name("pics/"), None);
        assert_eq!(image_name(&"é".repeat(100)).unwrap().len(), 80);
    }

    fn finding(start: usize, end: usize, severity: Severity) -> Finding {
        Finding {
            rule: "r".into(),
            severity,
            message: "m".into(),
            span: crate::Span::new(start, end),
            matched: String::new(),
            suggestions: Arc::new([]),
            fix: None,
            context: String::new(),
            context_match: crate::Span::new(0, 0),
            unit: None,
            claim: None,
        }
    }

    #[test]
    fn findings_in_ocr_text_say_so_and_unsure_ones_are_warnings_at_most() {
        let word = |span: Range<usize>, confidence| OcrWord { span, confidence };
        let report = ImageReport {
            words: vec![word(10..14, 95), word(15..21, 88), word(22..26, 40)].into(),
            ..ImageReport::default()
        };
        let mut findings = [
            finding(0, 5, Severity::Error),
            finding(10, 21, Severity::Error),
            finding(15, 26, Severity::Error),
            finding(22, 26, Severity::Info),
        ];
        report.annotate(&mut findings);
        let got: Vec<(&str, Severity)> =
            findings.iter().map(|f| (&*f.message, f.severity)).collect();
        assert_eq!(
            got,
            [
                ("m", Severity::Error),
                ("m (read by OCR, confidence 88%)", Severity::Error),
                ("m (read by OCR, confidence 40%)", Severity::Warning),
                ("m (read by OCR, confidence 40%)", Severity::Info),
            ]
        );
    }

    #[test]
    fn the_notice_counts_what_was_not_read() {
        let mut r = ImageReport {
            images: 3,
            ..ImageReport::default()
        };
        assert_eq!(
            r.unread_message().unwrap(),
            "3 images were not read: text in pictures is not checked (--ocr reads it)"
        );
        r.scanned_pages = 1;
        assert_eq!(
            r.unread_message().unwrap(),
            "3 images and 1 page of images only were not read: \
             text in pictures is not checked (--ocr reads it)"
        );
        r.read = 2;
        r.small = 1;
        r.refused.push("too big".into());
        assert_eq!(
            r.unread_message().unwrap(),
            "2 images were not read (1 under 64 px, 1 past a limit or unreadable)"
        );
        r.read = 4;
        assert_eq!(r.unread_message(), None);
        assert_eq!(ImageReport::default().unread_message(), None);
    }
}
