//! Reading a file with the text of its pictures: the document as
//! extraction reads it, then each of its images through the checks and
//! the cache, then Tesseract.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use super::fold::Fold;
use super::tesseract::{self, Outcome};
use crate::Linter;
use crate::finding::NoticeKind;
use crate::source::images::{self, ImageAt, MIN_SIDE};
use crate::source::{ExtractError, ExtractOptions, Format, Source, Unit, office, pdf};

/// How much one image may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OcrLimits {
    /// Pixels (width × height) at most; a larger image is refused on its
    /// header, before it is decoded.
    pub max_pixels: u64,
    /// Time to read one image, at most.
    pub timeout: Duration,
}

impl Default for OcrLimits {
    fn default() -> OcrLimits {
        OcrLimits {
            // An A4 page at 600 dpi is 35 million pixels.
            max_pixels: 40_000_000,
            timeout: Duration::from_secs(30),
        }
    }
}

/// What reading one distinct image came to.
#[derive(Debug)]
enum Reading {
    /// Its paragraphs, each a list of words and their confidence.
    Text(Vec<Vec<(String, u8)>>),
    /// Under [`MIN_SIDE`] pixels on a side.
    Small,
    /// Not read: why.
    Refused(String),
    /// Not in the cache, and this reader reads no new images.
    Pending,
}

type Slot = Arc<OnceLock<Arc<Reading>>>;

/// The readings of images, by a hash of their bytes: shared by the
/// readers of a run, or of a language server's session, so that each
/// distinct image is given to Tesseract once. It keeps words as read,
/// before folding, so readers with different policies can share it.
#[derive(Clone, Default)]
pub struct ImageCache(Arc<CacheInner>);

#[derive(Default)]
struct CacheInner {
    hasher: RandomState,
    slots: Mutex<HashMap<(u64, usize), Slot>>,
    recognized: AtomicUsize,
}

impl ImageCache {
    pub fn new() -> ImageCache {
        ImageCache::default()
    }

    /// Distinct images given to Tesseract so far.
    pub fn recognized(&self) -> usize {
        self.0.recognized.load(Ordering::Relaxed)
    }
}

/// Reads files with the text of their images, sharing one cache of
/// images read across the files of a run (and its threads).
pub struct Reader {
    fold: Arc<Fold>,
    limits: OcrLimits,
    cache: ImageCache,
    /// Whether images not in the cache are read (else they are left for
    /// later, and counted as such).
    read_new: bool,
    images: AtomicUsize,
}

impl Reader {
    /// A reader that folds OCR text towards the words of `linter`'s rules.
    pub fn new(linter: &Linter, limits: OcrLimits) -> Reader {
        Reader::with_cache(linter, limits, ImageCache::new())
    }

    /// A reader as [`Reader::new`], whose readings are kept in `cache`
    /// (and found there).
    pub fn with_cache(linter: &Linter, limits: OcrLimits, cache: ImageCache) -> Reader {
        let phrases: Vec<&str> = linter
            .rules()
            .flat_map(|(_, rule)| rule.cased.iter().map(String::as_str))
            .collect();
        Reader {
            fold: Arc::new(Fold::new(phrases)),
            limits,
            cache,
            read_new: true,
            images: AtomicUsize::new(0),
        }
    }

    /// This reader, but one that only finds images in the cache: an image
    /// not read yet is left for a reader that reads new ones (an editor's
    /// check on each change uses this one; the check on open and save the
    /// other).
    pub fn cached_only(&self) -> Reader {
        Reader {
            fold: Arc::clone(&self.fold),
            limits: self.limits,
            cache: self.cache.clone(),
            read_new: false,
            images: AtomicUsize::new(0),
        }
    }

    /// The cache this reader keeps its readings in.
    pub fn cache(&self) -> &ImageCache {
        &self.cache
    }

    /// Images looked at so far (read, skipped or refused; an image shown
    /// again counts again), for a progress bar.
    pub fn images_seen(&self) -> usize {
        self.images.load(Ordering::Relaxed)
    }

    /// Distinct images given to Tesseract so far, by the readers that
    /// share this one's cache.
    pub fn images_recognized(&self) -> usize {
        self.cache.recognized()
    }

    /// Reads a file as [`Source::read`] does, and the text of its images:
    /// those of a Word, PowerPoint or OpenDocument file, the pages of a
    /// PDF with no text layer, and the local `<img>` files of an HTML
    /// page at `path`.
    pub fn read(
        &self,
        name: impl Into<String>,
        path: Option<&Path>,
        bytes: Vec<u8>,
        format: Format,
        options: ExtractOptions,
    ) -> Result<Source, ExtractError> {
        let name = name.into();
        match format {
            Format::Office => {
                let mut source = Source::read_document(name, &bytes, format, options)?;
                let refs = source.images().to_vec();
                let targets: Vec<&str> = refs.iter().map(|r| r.target.as_str()).collect();
                let entries = office::entries(&bytes, options.limits, &targets);
                for (n, (r, entry)) in (1u32..).zip(refs.iter().zip(entries)) {
                    let image = match entry {
                        Ok(Some(bytes)) => Ok(bytes),
                        Ok(None) => Err("it is not in the document".to_string()),
                        Err(e) => Err(e.message),
                    };
                    let unit = Unit::Image {
                        at: r.at,
                        image: n,
                        name: images::image_name(&r.target),
                    };
                    self.add(&mut source, unit, image);
                }
                Ok(source)
            }
            Format::Pdf => {
                match pdf::extract_with_pictures(&bytes, options.limits, self.limits.max_pixels) {
                    Err(e) if e.reason == NoticeKind::NoTextLayer => {
                        let mut source = Source::new(name, "", Format::Pdf);
                        source.image_report_mut().scanned_pages = e.pages.unwrap_or(0);
                        self.read_pages(&mut source, &bytes, options, None)?;
                        Ok(source)
                    }
                    Ok((doc, pictures)) => {
                        let mut source = Source::from_document(name, doc, format);
                        if source.image_report().scanned_pages > 0 {
                            let pages: Vec<u32> = (source.images().iter())
                                .filter_map(|i| match i.at {
                                    ImageAt::Scanned(page) => Some(page),
                                    _ => None,
                                })
                                .collect();
                            self.read_pages(&mut source, &bytes, options, Some(&pages))?;
                        }
                        self.add_pictures(&mut source, pictures);
                        Ok(source)
                    }
                    Err(e) => Err(e),
                }
            }
            Format::Html => {
                let mut source = Source::from_bytes(name, bytes, format);
                self.add_html_images(&mut source, path, options);
                Ok(source)
            }
            _ => Source::read(name, bytes, format, options),
        }
    }

    /// Reads the local images of an HTML page's `source`, the page at
    /// `path` (an editor's unsaved text, say), and adds their text to it.
    pub fn add_html_images(
        &self,
        source: &mut Source,
        path: Option<&Path>,
        options: ExtractOptions,
    ) {
        let sources = html_images(source.text());
        source.image_report_mut().images = sources.len();
        let dir = path.and_then(Path::parent);
        for (n, src) in (1u32..).zip(sources) {
            let image = local_image(dir, &src, options.limits.entry);
            let unit = Unit::Image {
                at: ImageAt::Document,
                image: n,
                name: images::image_name(&src),
            };
            self.add(source, unit, image);
        }
    }

    /// Reads the pictures of a PDF's pages (of `only` these, when given)
    /// into `source`; a page counts as read once one of its pictures is.
    fn read_pages(
        &self,
        source: &mut Source,
        bytes: &[u8],
        options: ExtractOptions,
        only: Option<&[u32]>,
    ) -> Result<(), ExtractError> {
        let pages = pdf::page_images(bytes, options.limits)?;
        let mut done = Vec::new();
        let wanted = pages
            .into_iter()
            .filter(|p| only.is_none_or(|only| only.contains(&p.page)));
        for (n, pdf::PageImage { page, image }) in (1u32..).zip(wanted) {
            let unit = Unit::Image {
                at: ImageAt::Scanned(page),
                image: n,
                name: None,
            };
            let before = source.image_report().read;
            self.add(source, unit, image);
            if source.image_report().read > before {
                done.push(page);
            }
        }
        done.dedup();
        source.image_report_mut().read = done.len();
        Ok(())
    }

    /// Reads the pictures drawn on a PDF's pages with text into `source`,
    /// each located at its page as `page 3 (image 2)`.
    fn add_pictures(&self, source: &mut Source, pictures: Vec<pdf::PagePicture>) {
        for (n, p) in (1u32..).zip(pictures) {
            let unit = Unit::Image {
                at: ImageAt::Page(p.page),
                image: n,
                name: None,
            };
            let reading = match p.picture {
                pdf::Picture::File(bytes) => self.reading(&bytes),
                pdf::Picture::Small => Arc::new(Reading::Small),
                pdf::Picture::TooLarge { width, height } => {
                    Arc::new(Reading::Refused(self.too_large(width, height)))
                }
                pdf::Picture::Refused(why) => Arc::new(Reading::Refused(why)),
            };
            self.images.fetch_add(1, Ordering::Relaxed);
            self.record(source, unit, &reading);
        }
    }

    /// Reads one image (or finds it read) and adds its text, or the reason
    /// it was not read, to `source`.
    fn add(&self, source: &mut Source, unit: Unit, image: Result<Vec<u8>, String>) {
        self.images.fetch_add(1, Ordering::Relaxed);
        let reading = match image {
            Ok(bytes) => self.reading(&bytes),
            Err(why) => Arc::new(Reading::Refused(why)),
        };
        self.record(source, unit, &reading);
    }

    /// Adds what reading one image came to to `source`.
    fn record(&self, source: &mut Source, unit: Unit, reading: &Reading) {
        match reading {
            Reading::Text(paragraphs) => {
                images::append_read(source, unit, paragraphs, &|w| self.fold.apply(w));
                source.image_report_mut().read += 1;
            }
            Reading::Small => source.image_report_mut().small += 1,
            Reading::Refused(why) => {
                let message = crate::report::escape_control(&format!("{unit} was not read: {why}"))
                    .into_owned();
                source.image_report_mut().refused.push(message);
            }
            Reading::Pending => source.image_report_mut().pending += 1,
        }
    }

    /// The reading of an image, from the cache or done now.
    fn reading(&self, bytes: &[u8]) -> Arc<Reading> {
        let cache = &self.cache.0;
        let key = (cache.hasher.hash_one(bytes), bytes.len());
        let slot = {
            let mut slots = cache.slots.lock().unwrap_or_else(|e| e.into_inner());
            if !self.read_new && slots.get(&key).is_none_or(|s| s.get().is_none()) {
                return Arc::new(self.checked(bytes).unwrap_or(Reading::Pending));
            }
            slots.entry(key).or_default().clone()
        };
        slot.get_or_init(|| Arc::new(self.read_image(bytes)))
            .clone()
    }

    /// Why an image of `width` × `height` pixels is not read.
    fn too_large(&self, width: u64, height: u64) -> String {
        let max = self.limits.max_pixels;
        let limit = if max >= 1_000_000 && max.is_multiple_of(1_000_000) {
            format!("{} million", max / 1_000_000)
        } else {
            max.to_string()
        };
        format!("{width} × {height} pixels is over the limit of {limit} (a decompression bomb?)")
    }

    /// What an image comes to on its header alone: skipped as small, or
    /// refused; `None` when it is to be read.
    fn checked(&self, bytes: &[u8]) -> Option<Reading> {
        let (width, height) = match header_size(bytes) {
            Ok(size) => size,
            Err(why) => return Some(Reading::Refused(why)),
        };
        if width < u64::from(MIN_SIDE) || height < u64::from(MIN_SIDE) {
            return Some(Reading::Small);
        }
        if width.saturating_mul(height) > self.limits.max_pixels {
            return Some(Reading::Refused(self.too_large(width, height)));
        }
        None
    }

    fn read_image(&self, bytes: &[u8]) -> Reading {
        if let Some(reading) = self.checked(bytes) {
            return reading;
        }
        self.cache.0.recognized.fetch_add(1, Ordering::Relaxed);
        match tesseract::read(bytes, self.limits.timeout) {
            Outcome::Words(words) => {
                let mut paragraphs: Vec<Vec<(String, u8)>> = Vec::new();
                let mut last = None;
                for w in words {
                    if last != Some(w.paragraph) {
                        paragraphs.push(Vec::new());
                        last = Some(w.paragraph);
                    }
                    if let Some(p) = paragraphs.last_mut() {
                        p.push((w.text, w.confidence));
                    }
                }
                Reading::Text(paragraphs)
            }
            Outcome::TimedOut => Reading::Refused(format!(
                "reading it took longer than the limit of {} (ocr-timeout)",
                seconds(self.limits.timeout)
            )),
            Outcome::Failed(why) => Reading::Refused(why),
        }
    }
}

/// A time limit as a person writes it: `30 s`, `0.5 s`, `1 ms`.
fn seconds(d: Duration) -> String {
    if d < Duration::from_millis(100) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{} s", d.as_secs_f64())
    }
}

/// An image's width and height from its header, without decoding it; an
/// error for a format OCR does not read (a vector drawing, an unknown
/// one).
fn header_size(bytes: &[u8]) -> Result<(u64, u64), String> {
    use imagesize::ImageType;
    let kind = imagesize::image_type(bytes)
        .map_err(|_| "it is not an image format OCR reads".to_string())?;
    if !matches!(
        kind,
        ImageType::Png
            | ImageType::Jpeg
            | ImageType::Gif
            | ImageType::Tiff
            | ImageType::Bmp
            | ImageType::Webp
            | ImageType::Pnm
    ) {
        return Err(format!("OCR does not read {kind:?} images"));
    }
    let size = imagesize::blob_size(bytes).map_err(|e| format!("its header is damaged: {e}"))?;
    Ok((size.width as u64, size.height as u64))
}

/// The `src` of each `<img>` of an HTML page, in order.
fn html_images(text: &str) -> Vec<String> {
    use html5gum::{Token, Tokenizer};
    let mut out = Vec::new();
    for token in Tokenizer::new(text).flatten() {
        if let Token::StartTag(tag) = token
            && tag.name.as_slice().eq_ignore_ascii_case(b"img")
        {
            let src = tag
                .attributes
                .get(b"src".as_slice())
                .map(|v| String::from_utf8_lossy(v).into_owned())
                .unwrap_or_default();
            out.push(src);
        }
    }
    out
}

/// The bytes of an HTML page's image `src`, a file beside the page:
/// never fetched from the network, nor read from outside the page's
/// folder tree by an absolute path.
fn local_image(dir: Option<&Path>, src: &str, limit: u64) -> Result<Vec<u8>, String> {
    let src = src.trim();
    if src.is_empty() {
        return Err("it has no src".into());
    }
    if src.contains("://") || src.starts_with("//") || src.starts_with("data:") {
        return Err("it is not a local file (images are never fetched)".into());
    }
    if src.starts_with('/') {
        return Err("its path starts at the site's root, which is not known".into());
    }
    let Some(dir) = dir else {
        return Err("the page has no folder to find it in".into());
    };
    let file = src.split(['?', '#']).next().unwrap_or(src);
    let file = percent_encoding::percent_decode_str(file).decode_utf8_lossy();
    let path = dir.join(&*file);
    let size = std::fs::metadata(&path)
        .map_err(|e| format!("cannot read it: {}", crate::error::describe_io(&e)))?
        .len();
    if size > limit {
        return Err(format!("it is larger than {} MiB", limit >> 20));
    }
    std::fs::read(&path).map_err(|e| format!("cannot read it: {}", crate::error::describe_io(&e)))
}
