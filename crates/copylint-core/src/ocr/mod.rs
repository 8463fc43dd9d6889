//! OCR: the text of pictures (a banner on a slide, a scanned page, the
//! labels of a diagram), read so that claims made only in pixels are
//! checked too. A stage of reading: it adds blocks to a document's
//! [`Source`](crate::Source), located at their image (`slide 2 (image "banner.png")`,
//! `page 1 (scanned)`, `image 3`).
//!
//! [`fold`] is always built: it turns OCR's look-alike misreadings
//! (`OpenAl`) into the policy's words, and only in OCR text. The reader
//! itself, [`Reader`], needs the `ocr` feature: it links Tesseract and
//! Leptonica, C libraries a default build does without. For each image it
//! reads the header first (a decompression bomb is refused before
//! anything is decoded), skips images too small to hold text, refuses
//! those over the pixel limit, and reads the rest within a time limit,
//! each distinct image (by a hash of its bytes) once per run however
//! often and in however many files it is shown.

pub mod fold;

#[cfg(feature = "ocr")]
mod reader;
#[cfg(feature = "ocr")]
mod tesseract;

#[cfg(feature = "ocr")]
pub use reader::{ImageCache, OcrLimits, Reader};
