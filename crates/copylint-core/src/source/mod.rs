//! Sources: a file's bytes decoded to text, and its prose extracted.
//!
//! A [`Source`] holds one file's decoded text and knows its [`Format`].
//! [`Source::blocks`] runs the format's extractor, which yields prose
//! [`Block`]s of normalized text with a map back to exact byte offsets in
//! the decoded text; [`Source::file_offset`] turns those into offsets in the
//! file as stored, and [`LineIndex`] into lines and columns.

pub mod charset;
mod chunks;
pub mod document;
pub mod entities;
mod frontmatter;
pub mod html;
pub mod images;
pub(crate) mod joins;
mod jsx;
mod lines;
mod markdown;
pub mod mdx;
pub mod normalize;
pub mod office;
pub mod pdf;
mod symbol_fonts;
mod tables;
mod text;

use std::ops::Range;
use std::path::Path;

pub use chunks::Scope;
use document::Document;
pub use document::{ExtractError, Part, SlideObject, Unit, UnitFields};
pub use lines::{Cursor, LineIndex, Position};
pub use markdown::parser_options as markdown_options;
pub use normalize::{BARRIER, Block, BlockBuilder, normalize, normalize_cased};

/// How a file's prose is extracted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    /// Markdown with ESM and JSX: imports, exports, `{…}` expressions and
    /// tags are masked, element text is prose.
    Mdx,
    Text,
    /// HTML: element text, `alt` and `title`, page descriptions.
    Html,
    /// Word, PowerPoint or OpenDocument: a zip archive of XML parts, the
    /// kind told by its content.
    Office,
    /// PDF: the text of each page.
    Pdf,
}

impl Format {
    /// Whether the format is a document whose prose is extracted from a
    /// binary container, not decoded text.
    pub fn is_document(self) -> bool {
        matches!(self, Format::Office | Format::Pdf)
    }
}

/// The format of a file by its content where its name says otherwise or
/// nothing: a zip archive or OLE compound file is an office document, a
/// file that starts with `%PDF-` is a PDF, and text that opens with `<!doctype html` or `<html` in a file without a
/// known extension is HTML.
pub fn sniff(path: &Path, bytes: &[u8], format: Format) -> Format {
    if office::is_zip(bytes) || office::is_ole(bytes) {
        return Format::Office;
    }
    if pdf::is_pdf(bytes) {
        return Format::Pdf;
    }
    if format.is_document() {
        // Named as a document, but not one: extraction says what is wrong.
        return format;
    }
    if format == Format::Text && Format::from_extension(path).is_none() {
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        let head = &bytes[start..bytes.len().min(start + 64)];
        let lower = head.to_ascii_lowercase();
        if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
            return Format::Html;
        }
    }
    format
}

/// File extensions read as Markdown.
pub const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdx"];
/// File extensions read as plain text.
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "text"];
/// File extensions read as HTML.
pub const HTML_EXTENSIONS: &[&str] = &["html", "htm", "xhtml"];
/// File extensions of Word, PowerPoint and OpenDocument files.
pub const OFFICE_EXTENSIONS: &[&str] =
    &["docx", "docm", "dotx", "pptx", "ppsx", "potx", "odt", "odp"];
/// File extensions of PDF files.
pub const PDF_EXTENSIONS: &[&str] = &["pdf"];

impl Format {
    /// The format a path's extension names, if it names one.
    pub fn from_extension(path: &Path) -> Option<Format> {
        Extensions::default().format_of(path)
    }

    /// The format for a file named explicitly: Markdown by extension, else text.
    pub fn for_named(path: &Path) -> Format {
        Extensions::default().for_named(path)
    }
}

/// Which file extensions are read as Markdown and as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extensions {
    pub markdown: Vec<String>,
    pub text: Vec<String>,
}

impl Default for Extensions {
    fn default() -> Extensions {
        Extensions {
            markdown: MARKDOWN_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
            text: TEXT_EXTENSIONS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl Extensions {
    /// The format a path's extension names, if it names one.
    pub fn format_of(&self, path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        if ext == "mdx" {
            Some(Format::Mdx)
        } else if self.markdown.iter().any(|e| e.eq_ignore_ascii_case(&ext)) {
            Some(Format::Markdown)
        } else if self.text.iter().any(|e| e.eq_ignore_ascii_case(&ext)) {
            Some(Format::Text)
        } else if HTML_EXTENSIONS.contains(&ext.as_str()) {
            Some(Format::Html)
        } else if OFFICE_EXTENSIONS.contains(&ext.as_str()) {
            Some(Format::Office)
        } else if PDF_EXTENSIONS.contains(&ext.as_str()) {
            Some(Format::Pdf)
        } else {
            None
        }
    }

    /// The format for a file named explicitly: Markdown by extension, else text.
    pub fn for_named(&self, path: &Path) -> Format {
        self.format_of(path).unwrap_or(Format::Text)
    }
}

/// Choices in what extraction treats as prose, and how much of a
/// document it may read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Check Markdown code blocks and inline code as prose too.
    pub check_code: bool,
    /// Check reviewers' comments in Word and OpenDocument files too.
    pub comments: bool,
    /// What may be inflated from one document.
    pub limits: office::Limits,
    /// Read the text of images with OCR (`--ocr`; a build with the `ocr`
    /// feature reads them, see `copylint::ocr`).
    pub ocr: bool,
}

/// How the file's bytes were decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8 and no byte-order mark: read as Windows-1252.
    Windows1252,
    /// The legacy encoding an HTML page declares (`<meta charset>`).
    Declared(&'static encoding_rs::Encoding),
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
            Encoding::Declared(e) => e.name(),
        }
    }
}

/// How many leading bytes are searched for a NUL to call a file binary.
pub const BINARY_SNIFF: usize = 8192;

/// Whether `bytes` look binary: a NUL byte in the first 8 KiB, unless a
/// UTF-16 byte-order mark explains it.
pub fn is_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF)]).is_some()
}

/// Decodes a file's bytes: UTF-8 (with or without BOM), UTF-16 with a BOM,
/// else Windows-1252.
pub fn decode(bytes: Vec<u8>) -> (String, Encoding) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(&bytes[3..]);
        return (text.into_owned(), Encoding::Utf8Bom);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(&bytes[2..]);
        return (text.into_owned(), Encoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(&bytes[2..]);
        return (text.into_owned(), Encoding::Utf16Be);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, Encoding::Utf8),
        Err(err) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(err.as_bytes());
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}

/// Decodes a file's bytes as [`decode`] does, but an HTML page that is
/// not UTF-8 in the encoding it declares (see [`charset::decode_html`]).
pub fn decode_for(bytes: Vec<u8>, format: Format) -> (String, Encoding) {
    match format {
        Format::Html => charset::decode_html(bytes),
        _ => decode(bytes),
    }
}

/// One file's decoded text, ready for extraction.
#[derive(Clone, Debug)]
pub struct Source {
    name: String,
    text: String,
    format: Format,
    encoding: Encoding,
    /// For a document, where each unit starts in `text`.
    units: Vec<(usize, Unit)>,
    /// For a document, the 0-based line each unit starts on.
    unit_lines: Vec<usize>,
    /// For a document, the images it shows.
    images: Vec<images::ImageRef>,
    /// What became of its images (and an HTML page's).
    image_report: images::ImageReport,
}

impl Source {
    /// A source from text already in memory (standard input, a test).
    pub fn new(name: impl Into<String>, text: impl Into<String>, format: Format) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
            format,
            encoding: Encoding::Utf8,
            units: Vec::new(),
            unit_lines: Vec::new(),
            images: Vec::new(),
            image_report: images::ImageReport::default(),
        }
    }

    /// A source from a file's bytes as stored, its prose extracted when it
    /// is a document; the error says why it cannot be checked.
    pub fn read(
        name: impl Into<String>,
        bytes: Vec<u8>,
        format: Format,
        options: ExtractOptions,
    ) -> Result<Source, ExtractError> {
        if !format.is_document() {
            return Ok(Source::from_bytes(name, bytes, format));
        }
        Source::read_document(name.into(), &bytes, format, options)
    }

    /// A document's source from its bytes, borrowed.
    pub(crate) fn read_document(
        name: String,
        bytes: &[u8],
        format: Format,
        options: ExtractOptions,
    ) -> Result<Source, ExtractError> {
        let doc = match format {
            Format::Pdf => pdf::extract(bytes, options.limits)?,
            _ => office::extract(bytes, options.limits, options.comments)?,
        };
        Ok(Source::from_document(name, doc, format))
    }

    /// A source from a document's extracted text, units and images.
    pub(crate) fn from_document(name: String, doc: Document, format: Format) -> Source {
        let mut unit_lines = Vec::with_capacity(doc.units.len());
        let (mut line, mut counted) = (0, 0);
        for (start, _) in &doc.units {
            line += memchr::memchr_iter(b'\n', &doc.text.as_bytes()[counted..*start]).count();
            counted = *start;
            unit_lines.push(line);
        }
        let scanned = (doc.images.iter())
            .filter(|i| matches!(i.at, images::ImageAt::Scanned(_)))
            .count();
        let image_report = images::ImageReport {
            images: doc.images.len() - scanned,
            scanned_pages: scanned,
            ..images::ImageReport::default()
        };
        Source {
            name,
            text: doc.text,
            format,
            encoding: Encoding::Utf8,
            units: doc.units,
            unit_lines,
            images: doc.images,
            image_report,
        }
    }

    /// A source from a file's bytes as stored.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>, format: Format) -> Source {
        let (text, encoding) = decode_for(bytes, format);
        let image_report = images::ImageReport {
            images: match format {
                Format::Html => images::count_html_images(&text),
                _ => 0,
            },
            ..images::ImageReport::default()
        };
        Source {
            name: name.into(),
            text,
            format,
            encoding,
            units: Vec::new(),
            unit_lines: Vec::new(),
            images: Vec::new(),
            image_report,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// For a document, the images it shows, in document order.
    pub fn images(&self) -> &[images::ImageRef] {
        &self.images
    }

    /// What became of the images the file shows.
    pub fn image_report(&self) -> &images::ImageReport {
        &self.image_report
    }

    /// The report on its images, to fill in as they are read.
    pub fn image_report_mut(&mut self) -> &mut images::ImageReport {
        &mut self.image_report
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// For a document, the unit the text at `offset` belongs to, and the
    /// offset where that unit starts.
    pub fn unit_at(&self, offset: usize) -> Option<(usize, Unit)> {
        let i = self.units.partition_point(|(start, _)| *start <= offset);
        i.checked_sub(1).map(|i| self.units[i])
    }

    /// The 0-based line of the extracted text where the unit holding
    /// `offset` starts; 0 for a file that is not a document.
    pub fn unit_first_line(&self, offset: usize) -> usize {
        let i = self.units.partition_point(|(start, _)| *start <= offset);
        i.checked_sub(1).map_or(0, |i| self.unit_lines[i])
    }

    /// `position`, of the text at `offset`, counted within its unit for a
    /// document (the unit's first paragraph is line 1); unchanged otherwise.
    pub fn in_unit(&self, offset: usize, position: Position) -> Position {
        Position {
            line: position.line - self.unit_first_line(offset),
            column: position.column,
        }
    }

    /// Calls `f` with each prose block of the source, in order.
    pub fn for_each_block(&self, f: &mut dyn FnMut(&Block)) {
        self.for_each_block_with(ExtractOptions::default(), f);
    }

    /// Calls `f` with each prose block of the source, extracted with
    /// `options`. Returns the byte ranges that the format's reader calls
    /// code (Markdown code blocks and spans, front matter, HTML `<pre>`,
    /// `<code>` and `<script>`…), where a comment is an example rather than
    /// a suppression directive; empty for formats without comments.
    pub fn for_each_block_with(
        &self,
        options: ExtractOptions,
        f: &mut dyn FnMut(&Block),
    ) -> Vec<Range<usize>> {
        self.for_each_block_where(options, Scope::ALL, f)
    }

    /// As [`Source::for_each_block_with`], but Markdown and plain text
    /// leave out the blocks that start outside `scope`, before normalizing
    /// them; the code ranges returned are all of them unless the scope is
    /// [`Scope::prose_only`].
    pub fn for_each_block_where(
        &self,
        options: ExtractOptions,
        scope: Scope,
        f: &mut dyn FnMut(&Block),
    ) -> Vec<Range<usize>> {
        match self.format {
            Format::Markdown => markdown::extract(&self.text, options, false, scope, f),
            Format::Mdx => self.mdx_blocks(options, f),
            Format::Text => {
                text::extract_where(&self.text, scope, f);
                Vec::new()
            }
            Format::Html => {
                // Text read from the page's images (by OCR) follows it.
                let end = self
                    .units
                    .first()
                    .map_or(self.text.len(), |(start, _)| *start);
                let code = html::extract(&self.text, 0..end, f);
                self.document_blocks(end, f);
                code
            }
            Format::Office | Format::Pdf => {
                self.document_blocks(0, f);
                Vec::new()
            }
        }
    }

    /// Calls `f` with consecutive ranges of the text, in order, that
    /// together hold all of its prose as extracted with `options`, cut so
    /// that no block crosses from one range to another: at blank lines in
    /// Markdown (outside front matter and the HTML blocks that hold them,
    /// and around code fenced at the margin, which no range holds) and in
    /// plain text; nowhere in other formats.
    pub fn for_each_chunk(&self, options: ExtractOptions, f: impl FnMut(Range<usize>)) {
        let cuts = match self.format {
            // Code read as prose keeps its blank lines in one block.
            Format::Markdown if options.check_code => chunks::Cuts::None,
            Format::Markdown => chunks::Cuts::Markdown,
            Format::Text => chunks::Cuts::BlankLines,
            Format::Mdx | Format::Html | Format::Office | Format::Pdf => chunks::Cuts::None,
        };
        chunks::for_each_chunk(self.text.as_bytes(), cuts, f);
    }

    /// MDX's blocks: the Markdown left when ESM, expressions and tags are
    /// masked (the same length as the text: offsets stay those of the
    /// file), and in order among them, the `alt` and `title` strings of
    /// the tags.
    fn mdx_blocks(&self, options: ExtractOptions, f: &mut dyn FnMut(&Block)) -> Vec<Range<usize>> {
        let (masked, tags) = mdx::mask_tags(&self.text);
        let mut values = tags
            .into_iter()
            .flat_map(|tag| mdx::copy_attributes(&self.text, tag))
            .peekable();
        let text = masked.as_deref().unwrap_or(&self.text);
        let code = markdown::extract(text, options, true, Scope::ALL, &mut |block| {
            let at = block.map.start(0);
            while let Some(value) = values.next_if(|v| v.start < at) {
                html::attribute_value(&self.text, value, f);
            }
            f(block);
        });
        for value in values {
            html::attribute_value(&self.text, value, f);
        }
        code
    }

    /// A document's blocks from `from` on: one per line of its extracted
    /// text, each with its unit.
    fn document_blocks(&self, from: usize, f: &mut dyn FnMut(&Block)) {
        let mut builder = BlockBuilder::default();
        let mut offset = from;
        for line in self.text[from..].split_inclusive('\n') {
            builder.set_unit(self.unit_at(offset).map(|(_, unit)| unit));
            builder.push_str(line, offset);
            offset += line.len();
            if let Some(block) = builder.finish() {
                f(block);
            }
        }
    }

    /// The prose blocks of the source, in order.
    pub fn blocks(&self) -> Vec<Block> {
        let mut blocks = Vec::new();
        self.for_each_block(&mut |b| blocks.push(b.clone()));
        blocks
    }

    /// Converts byte offsets in the decoded text to byte offsets in the file
    /// as stored.
    pub fn file_offsets(&self) -> FileOffsets<'_> {
        FileOffsets {
            source: self,
            text: 0,
            file: self.base(),
            encoder: None,
        }
    }

    /// Bytes before the decoded text starts (a byte-order mark).
    fn base(&self) -> usize {
        match self.encoding {
            Encoding::Utf8 | Encoding::Windows1252 | Encoding::Declared(_) => 0,
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
        }
    }
}

/// Text offsets to file offsets, counting each character once when the
/// offsets asked for do not decrease.
pub struct FileOffsets<'a> {
    source: &'a Source,
    text: usize,
    file: usize,
    /// A stateful encoding's state at `text`.
    encoder: Option<encoding_rs::Encoder>,
}

impl FileOffsets<'_> {
    pub fn get(&mut self, offset: usize) -> usize {
        let source = self.source;
        match source.encoding {
            Encoding::Utf8 | Encoding::Utf8Bom => source.base() + offset,
            Encoding::Utf16Le
            | Encoding::Utf16Be
            | Encoding::Windows1252
            | Encoding::Declared(_) => {
                if offset < self.text {
                    self.text = 0;
                    self.file = source.base();
                    self.encoder = None;
                }
                let between = &source.text[self.text..offset];
                self.file += match source.encoding {
                    Encoding::Windows1252 => between.chars().count(),
                    Encoding::Declared(e) => charset::encoded_len(e, &mut self.encoder, between),
                    _ => 2 * between.chars().map(char::len_utf16).sum::<usize>(),
                };
                self.text = offset;
                self.file
            }
        }
    }
}

/// `text` with every whitespace run collapsed to one space.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets_of(bytes: Vec<u8>, needle: &str) -> (Encoding, usize) {
        let source = Source::from_bytes("x", bytes, Format::Text);
        let at = source.text().find(needle).unwrap();
        let mut offsets = source.file_offsets();
        // Ask out of order too: the answer must not depend on history.
        let _ = offsets.get(source.text().len());
        (source.encoding(), offsets.get(at))
    }

    #[test]
    fn decodes_and_maps_offsets_back_to_stored_bytes() {
        assert_eq!(offsets_of("é x".into(), "x"), (Encoding::Utf8, 3));
        assert_eq!(
            offsets_of(b"\xEF\xBB\xBF\xC3\xA9 x".to_vec(), "x"),
            (Encoding::Utf8Bom, 6)
        );
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("é🙂 x".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(offsets_of(utf16le, "x"), (Encoding::Utf16Le, 2 + 2 * 4));
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a x".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(offsets_of(utf16be, "x"), (Encoding::Utf16Be, 2 + 2 * 2));
        assert_eq!(
            offsets_of(b"caf\xE9 \x93x\x94".to_vec(), "x"),
            (Encoding::Windows1252, 6)
        );
        assert_eq!(
            Source::from_bytes("x", b"caf\xE9 \x93q\x94".to_vec(), Format::Text).text(),
            "café \u{201C}q\u{201D}"
        );
    }

    #[test]
    fn binary_is_a_nul_in_the_first_8_kib() {
        assert!(is_binary(b"PK\x03\x04\x00\x00"));
        assert!(!is_binary(b"plain text"));
        assert!(!is_binary(&[0xFF, 0xFE, b'a', 0]));
        let mut late = vec![b'a'; BINARY_SNIFF];
        late.push(0);
        assert!(!is_binary(&late));
    }
}
