//! Text in pictures, in the language server. An editor sends text
//! documents: of the formats copylint checks, only an HTML page can show
//! pictures (its `<img>` files beside it). Word, PowerPoint, OpenDocument
//! and PDF files are not text an editor opens, and are not read here.
//!
//! In a build with the `ocr` feature, when the configuration a page gets
//! says `ocr = true`, the local images of an open HTML page are read with
//! OCR, as `copylint --ocr` reads them: on open and on save. A check on a
//! change (each burst of keystrokes) only finds images already read, in
//! the session's cache, keyed by a hash of each image's bytes, so that
//! typing never waits for Tesseract; an image first named since the last
//! save is read when the file is saved, and until then counted as such.
//! Each distinct image is read once per session, whatever page shows it.
//!
//! A finding in a picture's text has no place in the page's text: its
//! diagnostic is put on the picture's `<img>` tag, its message led by the
//! image it was read from (`image 1 ("banner.png"): …`).

use std::ops::Range;

use copylint::Finding;
use lsp_types::Diagnostic;

use super::convert::{Text, diagnostic};

/// A finding in the text of a picture of `text`, a page, as a diagnostic
/// on the picture's `<img>` tag (else at the start of the page).
pub fn in_picture(text: &Text, f: &Finding) -> Diagnostic {
    let mut d = diagnostic(text, f);
    let (image, place) = match f.unit {
        Some(unit @ copylint::source::Unit::Image { image, .. }) => (image, unit.to_string()),
        _ => (0, "an image".to_string()),
    };
    let tags = image_tags(text.text);
    let tag = (image as usize)
        .checked_sub(1)
        .and_then(|i| tags.get(i).cloned())
        .unwrap_or(0..0);
    d.range = text.range(tag.start, tag.end);
    d.message = format!("{place}: {}", d.message);
    d
}

/// Where each `<img …>` tag of an HTML page is, in order: the tags
/// `copylint::source::images::count_html_images` counts.
fn image_tags(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    (text.match_indices('<').map(|(i, _)| i))
        .filter(|&i| {
            bytes
                .get(i + 1..i + 4)
                .is_some_and(|t| t.eq_ignore_ascii_case(b"img"))
                && bytes
                    .get(i + 4)
                    .is_none_or(|c| c.is_ascii_whitespace() || *c == b'/' || *c == b'>')
        })
        .map(|i| {
            let end = text[i..].find('>').map_or(text.len(), |e| i + e + 1);
            i..end
        })
        .collect()
}

#[cfg(feature = "ocr")]
pub use readers::Session;

/// Logs how many images a check of `name` gave to Tesseract, if any.
#[cfg(feature = "ocr")]
pub fn log_read(name: &str, images: usize) {
    if images > 0 {
        let images = copylint::report::count(images, "image");
        super::transport::log(&format!("{name}: read {images} with OCR"));
    }
}

#[cfg(feature = "ocr")]
mod readers {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::rc::Rc;

    use copylint::ocr::{ImageCache, Reader};

    use crate::settings::Settings;

    /// The two readers of one configuration: one that reads new images
    /// (on open and save), and one that only finds them in the cache (on
    /// a change).
    pub struct Readers {
        pub fresh: Reader,
        pub cached: Reader,
    }

    /// The images a session has read, and a pair of readers for each
    /// folder's settings that asks for OCR.
    #[derive(Default)]
    pub struct Session {
        cache: ImageCache,
        readers: HashMap<PathBuf, Rc<Readers>>,
    }

    impl Session {
        /// The readers for the settings of `dir`, if they ask for OCR.
        pub fn readers(&mut self, dir: &Path, settings: &Settings) -> Option<Rc<Readers>> {
            if !settings.linter.extract_options().ocr {
                return None;
            }
            let cache = &self.cache;
            let readers = self.readers.entry(dir.to_path_buf()).or_insert_with(|| {
                let fresh =
                    Reader::with_cache(&settings.linter, settings.ocr_limits(), cache.clone());
                let cached = fresh.cached_only();
                Rc::new(Readers { fresh, cached })
            });
            Some(readers.clone())
        }

        /// Forgets the readers (the settings changed); the images read
        /// stay read.
        pub fn clear(&mut self) {
            self.readers.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags_are_found_in_order() {
        let page = "<p>x</p><IMG src=a.png>\n<imgx> <img\nsrc=\"b.png\" alt=\"\"/>";
        let tags = image_tags(page);
        let got: Vec<&str> = tags.iter().map(|r| &page[r.clone()]).collect();
        assert_eq!(got, ["<IMG src=a.png>", "<img\nsrc=\"b.png\" alt=\"\"/>"]);
    }
}
