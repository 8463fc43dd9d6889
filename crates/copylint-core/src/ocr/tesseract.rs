//! Tesseract, through its C API (`tesseract-sys`, `leptonica-sys`): one
//! engine per thread, loaded with its English data on first use, reading
//! one encoded image at a time within a deadline.
//!
//! The higher-level bindings do not pass Tesseract a monitor, which its
//! deadline needs, so the few calls used are made here, each pointer
//! checked and every object freed on every path.

use std::cell::RefCell;
use std::ffi::CStr;
use std::ptr;
use std::sync::Once;
use std::time::{Duration, Instant};

use leptonica_sys as lept;
use tesseract_sys as tess;

/// One word read, with its place in the layout Tesseract found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// 0 to 100.
    pub confidence: u8,
    /// Block and paragraph: words of one paragraph are one block of text.
    pub paragraph: (u32, u32),
}

/// What reading one image came to.
#[derive(Debug)]
pub enum Outcome {
    Words(Vec<Word>),
    /// The deadline passed first.
    TimedOut,
    /// It could not be read: why.
    Failed(String),
}

/// A Tesseract engine, ended and freed when dropped.
struct Engine(*mut tess::TessBaseAPI);

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: the handle came from TessBaseAPICreate and is freed once.
        unsafe {
            tess::TessBaseAPIEnd(self.0);
            tess::TessBaseAPIDelete(self.0);
        }
    }
}

thread_local! {
    static ENGINE: RefCell<Option<Result<Engine, String>>> = const { RefCell::new(None) };
}

/// A new engine with the English data (Tesseract finds it where the
/// distribution installed it, or in `TESSDATA_PREFIX`).
fn engine() -> Result<Engine, String> {
    static QUIET: Once = Once::new();
    // SAFETY: plain calls with valid C strings; the handle is checked and
    // owned by `Engine` from here on, so it is freed on the error path.
    unsafe {
        QUIET.call_once(|| {
            // Leptonica's complaints about an image are reported as a notice.
            lept::setMsgSeverity(lept::L_SEVERITY_NONE as i32);
        });
        let handle = tess::TessBaseAPICreate();
        if handle.is_null() {
            return Err("Tesseract could not start".into());
        }
        let engine = Engine(handle);
        if tess::TessBaseAPIInit3(handle, ptr::null(), c"eng".as_ptr()) != 0 {
            return Err(
                "Tesseract has no English data (install tesseract-ocr-eng, or set TESSDATA_PREFIX)"
                    .into(),
            );
        }
        tess::TessBaseAPISetVariable(handle, c"debug_file".as_ptr(), c"/dev/null".as_ptr());
        Ok(engine)
    }
}

/// Reads the text of one encoded image (PNG, JPEG, GIF, TIFF, BMP, WebP,
/// PNM), giving up at `timeout`. Its size must have been checked.
pub fn read(image: &[u8], timeout: Duration) -> Outcome {
    ENGINE.with(|cell| {
        let mut cell = cell.borrow_mut();
        match cell.get_or_insert_with(engine) {
            Ok(engine) => recognize(engine, image, timeout),
            Err(e) => Outcome::Failed(e.clone()),
        }
    })
}

fn recognize(engine: &Engine, image: &[u8], timeout: Duration) -> Outcome {
    let started = Instant::now();
    // Tesseract sets no deadline at all for 0 ms.
    let ms = i32::try_from(timeout.as_millis())
        .unwrap_or(i32::MAX)
        .max(1);
    // SAFETY: `image` outlives the call that copies it into a Pix; the Pix,
    // monitor and text are checked for null and freed below; the engine is
    // cleared before the Pix it was given is destroyed.
    unsafe {
        let mut pix = lept::pixReadMem(image.as_ptr(), image.len());
        if pix.is_null() {
            return Outcome::Failed("its image data cannot be decoded".into());
        }
        tess::TessBaseAPISetImage2(engine.0, pix);
        if lept::pixGetXRes(pix) < 50 {
            // No resolution recorded: a screen image, about 100 dpi.
            tess::TessBaseAPISetSourceResolution(engine.0, 100);
        }
        let monitor = tess::TessMonitorCreate();
        if !monitor.is_null() {
            tess::TessMonitorSetDeadlineMSecs(monitor, ms);
        }
        let status = tess::TessBaseAPIRecognize(engine.0, monitor);
        if !monitor.is_null() {
            tess::TessMonitorDelete(monitor);
        }
        let outcome = if status != 0 {
            if started.elapsed() >= timeout {
                Outcome::TimedOut
            } else {
                Outcome::Failed("Tesseract could not read it".into())
            }
        } else {
            let tsv = tess::TessBaseAPIGetTsvText(engine.0, 0);
            if tsv.is_null() {
                Outcome::Failed("Tesseract gave no text for it".into())
            } else {
                let words = parse_tsv(&CStr::from_ptr(tsv).to_string_lossy());
                tess::TessDeleteText(tsv);
                Outcome::Words(words)
            }
        };
        tess::TessBaseAPIClear(engine.0);
        lept::pixDestroy(&mut pix);
        outcome
    }
}

/// The words of Tesseract's TSV output (`level page block paragraph line
/// word left top width height confidence text`; words are level 5).
pub fn parse_tsv(tsv: &str) -> Vec<Word> {
    tsv.lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 12 || cols[0] != "5" {
                return None;
            }
            let text = cols[11].trim();
            let confidence = cols[10].parse::<f32>().ok()?;
            if text.is_empty() || confidence < 0.0 {
                return None;
            }
            Some(Word {
                text: text.to_string(),
                confidence: confidence.round().clamp(0.0, 100.0) as u8,
                paragraph: (cols[2].parse().ok()?, cols[3].parse().ok()?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_their_confidence_come_from_the_tsv() {
        let tsv = "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n\
                   5\t1\t1\t1\t1\t1\t10\t10\t40\t20\t96.4\tOpenAl\n\
                   5\t1\t1\t1\t1\t2\t60\t10\t40\t20\t41.5\tmodels\n\
                   5\t1\t2\t1\t1\t1\t10\t40\t40\t20\t-1\t \n\
                   5\t1\t2\t1\t1\t2\t10\t40\t40\t20\t88\tx";
        let words = parse_tsv(tsv);
        let got: Vec<(&str, u8, (u32, u32))> = words
            .iter()
            .map(|w| (w.text.as_str(), w.confidence, w.paragraph))
            .collect();
        assert_eq!(
            got,
            [
                ("OpenAl", 96, (1, 1)),
                ("models", 42, (1, 1)),
                ("x", 88, (2, 1))
            ]
        );
    }
}
