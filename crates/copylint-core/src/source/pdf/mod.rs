//! PDF documents: the text of each page, in reading order, as paragraphs.
//!
//! [`extract`] treats the file as hostile. Before it is parsed, its
//! compressed streams are measured against the document [`Limits`]; it is
//! parsed with `lopdf`, through a cross-reference table [`repair`] rebuilds
//! when lopdf refuses the file or loses objects; a file that needs a
//! password is refused, and the page tree
//! and form XObjects are walked here to refuse loops. The extraction
//! itself runs on a thread of its own with a large stack, inside
//! `catch_unwind`, so that a panic in the PDF parser becomes a "damaged"
//! notice for this file and the run goes on. [`content`] runs each page's
//! text operators with the fonts of [`fonts`], read once per document;
//! [`layout`] turns the glyphs into paragraphs; a document with pages but
//! no text is a scan with no text layer. A page with no text that shows a
//! picture is a scanned page; the images drawn on pages with text are
//! recorded too, at their page ([`ImageAt::Page`]).

mod annotations;
mod checks;
mod cmap;
mod code_cmap;
mod collections;
mod content;
mod encoding;
mod fonts;
#[cfg(feature = "ocr")]
mod images;
mod layout;
mod lexer;
mod repair;
mod standard14;

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use content::Stop;
#[cfg(feature = "ocr")]
pub use images::{PageImage, PagePicture, Picture};

use crate::finding::NoticeKind;
use crate::source::Unit;
use crate::source::document::{Document, ExtractError};
use crate::source::images::{ImageAt, ImageRef};
use crate::source::office::Limits;

/// The name of the threads that read PDF files; see [`silence_reader_panics`].
pub const READER_THREAD: &str = "copylint-pdf-reader";

/// The stack of a reader thread. Only reserved address space until used;
/// deep enough for any nesting the checks let through.
const READER_STACK: usize = 256 << 20;

/// Whether `bytes` start like a PDF file (`%PDF-`).
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Installs, once, a panic hook that keeps panics on PDF reader threads
/// quiet (they are reported as a damaged file) and passes every other
/// panic to the hook that was there before.
pub fn silence_reader_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(READER_THREAD) {
                previous(info);
            }
        }));
    });
}

/// Extracts the text of a PDF file, page by page.
pub fn extract(bytes: &[u8], limits: Limits) -> Result<Document, ExtractError> {
    guarded(bytes, limits, |bytes, limits| {
        read(bytes, limits, false).map(|(document, _)| document)
    })
}

/// Extracts the text of a PDF file, page by page, and the pictures drawn
/// on its pages with text (as [`Document::images`] lists them, at
/// [`ImageAt::Page`]), for OCR; none over `max_pixels` is inflated.
#[cfg(feature = "ocr")]
pub fn extract_with_pictures(
    bytes: &[u8],
    limits: Limits,
    max_pixels: u64,
) -> Result<(Document, Vec<PagePicture>), ExtractError> {
    guarded(bytes, limits, |bytes, limits| {
        let (document, parsed) = read(bytes, limits, true)?;
        let pictures = images::drawn(&parsed.doc, &parsed.painted, limits.document, max_pixels);
        Ok((document, pictures))
    })
}

/// The pictures of every page, for OCR: a page's bytes as an image file,
/// or why it cannot be read.
#[cfg(feature = "ocr")]
pub fn page_images(bytes: &[u8], limits: Limits) -> Result<Vec<PageImage>, ExtractError> {
    guarded(bytes, limits, |bytes, limits| {
        let doc = load(bytes)?;
        let pages = checks::page_tree(&doc)?;
        Ok(images::of_pages(&doc, &pages, limits.document))
    })
}

/// Runs `read` on the file within the document limits, on a reader
/// thread with a large stack, a panic in it reported as damage.
fn guarded<T: Send>(
    bytes: &[u8],
    limits: Limits,
    read: impl FnOnce(&[u8], Limits) -> Result<T, ExtractError> + Send,
) -> Result<T, ExtractError> {
    if bytes.len() as u64 > limits.document {
        return Err(ExtractError::new(
            NoticeKind::TooLarge,
            format!("larger than {} MiB", limits.document >> 20),
        ));
    }
    checks::inflated_size(bytes, limits.entry, limits.document)?;
    let spawned = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name(READER_THREAD.into())
            .stack_size(READER_STACK)
            .spawn_scoped(scope, || {
                panic::catch_unwind(AssertUnwindSafe(move || read(bytes, limits)))
            })
            .map(|reader| reader.join())
    });
    match spawned {
        Ok(Ok(Ok(result))) => result,
        Ok(Ok(Err(payload))) | Ok(Err(payload)) => Err(ExtractError::damaged(format!(
            "the PDF reader failed on it: {}",
            panic_message(payload.as_ref())
        ))),
        Err(e) => Err(ExtractError::damaged(format!(
            "could not start a PDF reader: {e}"
        ))),
    }
}

/// What a panic said.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "an internal error".into()
    }
}

/// Parses the file, through a rebuilt cross-reference table when `lopdf`
/// cannot read it or loses objects with it ([`repair`]).
fn load(bytes: &[u8]) -> Result<lopdf::Document, ExtractError> {
    let fixed;
    let (mut doc, read) = match lopdf::Document::load_mem(bytes) {
        Ok(doc) if sound(&doc) => (doc, bytes),
        first => {
            fixed = repair::rebuild(bytes);
            match fixed
                .as_deref()
                .and_then(|fixed| Some((lopdf::Document::load_mem(fixed).ok()?, fixed)))
                .filter(|(doc, _)| checks::page_tree(doc).is_ok_and(|pages| !pages.is_empty()))
            {
                Some(rebuilt) => rebuilt,
                None => first
                    .map(|doc| (doc, bytes))
                    .map_err(|e| ExtractError::damaged(format!("not a readable PDF file: {e}")))?,
            }
        }
    };
    // The bytes the cross-reference offsets point into.
    repair::restore_streams(&mut doc, read);
    repair::resolve_filters(&mut doc);
    Ok(doc)
}

/// Whether `lopdf` read the file whole: every object the cross-reference
/// table lists is loaded (but the encryption dictionary, dropped once
/// used), and the trailer's `Encrypt`, if any, is a reference (lopdf can
/// use no other) that a password is missing for.
fn sound(doc: &lopdf::Document) -> bool {
    match doc.trailer.get(b"Encrypt") {
        Ok(lopdf::Object::Reference(_)) => return true,
        Ok(_) => return false,
        Err(_) => {}
    }
    let missing = doc
        .reference_table
        .entries
        .iter()
        .filter(|(n, entry)| match entry {
            lopdf::xref::XrefEntry::Normal { generation, .. } => {
                !doc.objects.contains_key(&(**n, *generation))
            }
            _ => false,
        })
        .count();
    missing <= usize::from(doc.encryption_state.is_some())
        && checks::page_tree(doc).is_ok_and(|pages| !pages.is_empty())
}

/// The parsed file, and the images drawn on its pages with text.
struct Parsed {
    #[cfg_attr(not(feature = "ocr"), allow(dead_code))]
    doc: lopdf::Document,
    #[cfg_attr(not(feature = "ocr"), allow(dead_code))]
    painted: Vec<content::Painted>,
}

/// Parses, checks and extracts; runs on a reader thread. With
/// `keep_inline`, the data of inline images drawn on pages with text is
/// kept, for OCR.
fn read(
    bytes: &[u8],
    limits: Limits,
    keep_inline: bool,
) -> Result<(Document, Parsed), ExtractError> {
    let doc = load(bytes)?;
    if doc.trailer.get(b"Encrypt").is_ok() {
        // lopdf drops `Encrypt` once it has decrypted the file, which it
        // does whenever the user password is empty.
        return Err(ExtractError::new(
            NoticeKind::Encrypted,
            "an encrypted (password-protected) PDF file",
        ));
    }
    let pages = checks::page_tree(&doc)?;
    if pages.is_empty() {
        return Err(ExtractError::damaged("a PDF file with no pages"));
    }
    let page_ids = pages.clone();
    let mut cleared = HashSet::new();
    for page in &pages {
        checks::forms(&doc, *page, &mut cleared)?;
    }
    let budget = usize::try_from(limits.document).unwrap_or(usize::MAX);
    let mut text = layout::PageText::new(budget);
    let mut painted = Vec::new();
    match content::extract(&doc, &pages, &mut text, &mut painted, keep_inline) {
        Ok(()) => {}
        Err(Stop::OverBudget) => {
            return Err(ExtractError::new(
                NoticeKind::TooLarge,
                format!("more than {} MiB of text", limits.document >> 20),
            ));
        }
        Err(Stop::TooMuchWork) => {
            return Err(ExtractError::new(
                NoticeKind::TooLarge,
                format!(
                    "drawing it takes more than {} million steps (operators, glyphs, bytes of forms)",
                    content::MAX_STEPS / 1_000_000
                ),
            ));
        }
        Err(Stop::Page(page, e)) => {
            return Err(ExtractError::damaged(format!(
                "its page {page} cannot be read: {e}"
            )));
        }
    }
    let pages = text.pages();
    let mut document = text.finish();
    if !document.text.trim().is_empty() {
        // Pages with no text that show a picture: scanned pages.
        let with_text: HashSet<u32> = (document.units.iter())
            .filter_map(|(_, unit)| match unit {
                Unit::Page(n) => Some(*n),
                _ => None,
            })
            .collect();
        for (n, id) in (1u32..).zip(&page_ids) {
            if !with_text.contains(&n) && checks::shows_image(&doc, *id) {
                document.images.push(ImageRef {
                    at: ImageAt::Scanned(n),
                    target: String::new(),
                });
            }
        }
        // Pictures drawn on pages with text, each time drawn.
        painted.retain(|p| with_text.contains(&p.page));
        document.images.extend(painted.iter().map(|p| ImageRef {
            at: ImageAt::Page(p.page),
            target: String::new(),
        }));
    }
    if document.text.trim().is_empty() {
        // No text because a page's content stream is lost: damage.
        if let Some(n) = (1u32..)
            .zip(&page_ids)
            .find_map(|(n, id)| checks::contents_missing(&doc, *id).then_some(n))
        {
            return Err(ExtractError::damaged(format!(
                "the content of its page {n} is missing"
            )));
        }
        let mut e = ExtractError::new(
            NoticeKind::NoTextLayer,
            format!(
                "no text layer: {pages} page{} of images only (a scan?)",
                if pages == 1 { "" } else { "s" }
            ),
        );
        e.pages = Some(pages as usize);
        return Err(e);
    }
    Ok((document, Parsed { doc, painted }))
}
