//! `--ocr`: claims written only in pictures are found at their slide,
//! paragraph or page, in decks, Word and OpenDocument files, scanned PDFs
//! and HTML pages; a logo is skipped, a decompression bomb refused on its
//! header, and each distinct image read once. Needs a build with the
//! `ocr` feature and Tesseract with its English data (`.ci/run` installs
//! them). The fixtures are made by tests/fixtures/images/make.py and
//! make_pictures.py.
#![cfg(feature = "ocr")]

mod lsp;
mod pictures;

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::run;
use copylint::ocr::{OcrLimits, Reader};
use copylint::source::{Extensions, ExtractOptions};
use copylint::{Linter, Policy};
use serde_json::Value;

const DIR: &str = "tests/fixtures/images";

/// The JSON output of `--ocr --format json` on the fixtures `names`.
fn check(names: &[&str]) -> Value {
    let mut args = vec!["--ocr", "--format", "json", "--fail-on", "never"];
    let paths: Vec<String> = names.iter().map(|n| format!("{DIR}/{n}")).collect();
    args.extend(paths.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("JSON output")
}

fn diagnostics<'a>(out: &'a Value, rule: &str) -> Vec<&'a Value> {
    out["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

#[test]
#[ignore = "needs tesseract"]
fn a_banner_on_a_slide_and_a_picture_in_its_notes_are_read() {
    let out = check(&["deck.pptx"]);
    let found = diagnostics(&out, "enables-access");
    assert_eq!(found.len(), 2, "{out}");
    let banner = found[0];
    assert_eq!(banner["slide"], 2);
    assert_eq!(banner["notes"], false);
    assert_eq!(banner["image"], 2);
    assert_eq!(banner["image_name"], "image2.png");
    assert_eq!(banner["severity"], "error");
    let message = banner["message"].as_str().unwrap();
    assert!(message.contains("(read by OCR, confidence "), "{message}");
    let notes = found[1];
    assert_eq!(
        (notes["slide"].clone(), notes["notes"].clone()),
        (2.into(), true.into())
    );
    // The 48 px logo on slide 1 is skipped, and said to be.
    let notices = out["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["kind"], "images-not-read");
    assert_eq!(notices[0]["count"], 1);
    assert_eq!(
        notices[0]["message"],
        "1 image was not read (1 under 64 px)"
    );
}

#[test]
#[ignore = "needs tesseract"]
fn a_labelled_diagram_is_read_in_word_and_opendocument_files() {
    let out = check(&["brief.docx", "brief.odt"]);
    let found = diagnostics(&out, "chatgpt-spelling");
    let got: Vec<(&str, &Value, &Value, &str)> = found
        .iter()
        .map(|d| {
            let name = d["image_name"].as_str().unwrap_or_default();
            (
                d["path"].as_str().unwrap(),
                &d["paragraph"],
                &d["image"],
                name,
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{out}");
    assert_eq!(got[0].0, "tests/fixtures/images/brief.docx");
    assert_eq!(
        (got[0].1, got[0].2, got[0].3),
        (&2.into(), &1.into(), "image1.png")
    );
    assert_eq!(got[1].0, "tests/fixtures/images/brief.odt");
    assert_eq!((got[1].1, got[1].2), (&2.into(), &1.into()));
    assert!(got[1].3.ends_with(".png"), "{out}");
}

#[test]
#[ignore = "needs tesseract"]
fn a_slide_of_an_opendocument_presentation_is_read() {
    let out = check(&["deck.odp"]);
    let found = diagnostics(&out, "enables-access");
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(found[0]["slide"], 2);
}

#[test]
#[ignore = "needs tesseract"]
fn a_scanned_page_is_read_and_found_at_its_page() {
    let out = check(&["scan.pdf"]);
    let found = diagnostics(&out, "enables-access");
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(found[0]["page"], 1);
    assert_eq!(found[0]["scanned"], true);
    assert!(out["notices"].as_array().unwrap().is_empty(), "{out}");
    assert!(out["summary"].get("images_not_read").is_none(), "{out}");
}

#[test]
#[ignore = "needs tesseract"]
fn a_page_of_images_only_in_a_pdf_with_text_is_read() {
    let out = check(&["mixed.pdf"]);
    let found = diagnostics(&out, "enables-access");
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(found[0]["page"], 2);
    assert_eq!(found[0]["scanned"], true);
    assert!(out["notices"].as_array().unwrap().is_empty(), "{out}");
}

#[test]
#[ignore = "needs tesseract"]
fn an_html_page_has_its_local_images_read_and_none_fetched() {
    let out = check(&["page.html"]);
    let found = diagnostics(&out, "enables-access");
    assert_eq!(found.len(), 1, "{out}");
    assert_eq!(found[0]["image"], 1);
    assert_eq!(found[0]["image_name"], "banner.png");
    let notices = out["notices"].as_array().unwrap();
    let remote = notices
        .iter()
        .find(|n| n["kind"] == "image-not-read")
        .expect("a notice for the remote image");
    assert_eq!(remote["level"], "warning");
    assert!(
        remote["message"]
            .as_str()
            .unwrap()
            .contains("image 2 (\"remote.png\") was not read: it is not a local file"),
        "{remote}"
    );
}

#[test]
#[ignore = "needs tesseract"]
fn a_decompression_bomb_is_refused_on_its_header() {
    let started = Instant::now();
    let out = check(&["bomb.docx"]);
    // Decoding 10 gigapixels would take far longer than this.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(out["diagnostics"].as_array().unwrap().is_empty(), "{out}");
    let notices = out["notices"].as_array().unwrap();
    let refused = notices
        .iter()
        .find(|n| n["kind"] == "image-not-read")
        .expect("a notice for the bomb");
    assert_eq!(
        refused["message"],
        "paragraph 2 (image \"image1.png\") was not read: 100000 × 100000 pixels is over \
         the limit of 40 million (a decompression bomb?)"
    );
    assert_eq!(out["summary"]["images_not_read"]["images"], 1);
}

#[test]
#[ignore = "needs tesseract"]
fn each_distinct_image_is_read_once_per_run() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let reader = Reader::new(&linter, OcrLimits::default());
    let options = ExtractOptions {
        ocr: true,
        ..ExtractOptions::default()
    };
    let path = Path::new(DIR).join("deck.pptx");
    let bytes = std::fs::read(&path).unwrap();
    let format = Extensions::default().for_named(&path);
    for _ in 0..3 {
        let source = reader
            .read("deck.pptx", Some(&path), bytes.clone(), format, options)
            .expect("readable");
        assert_eq!(source.image_report().read, 2);
        assert_eq!(source.image_report().small, 1);
    }
    // Three images, three times: the banner and the notes' picture were
    // given to Tesseract once each; the logo never (too small).
    assert_eq!(reader.images_seen(), 9);
    assert_eq!(reader.images_recognized(), 2);
}

#[test]
fn without_ocr_nothing_is_read_and_everything_counted() {
    // The same files without --ocr: nothing is read, everything counted.
    let r = run(&[
        "--format",
        "json",
        "--fail-on",
        "never",
        "tests/fixtures/images/deck.pptx",
    ]);
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(out["diagnostics"].as_array().unwrap().is_empty(), "{out}");
    assert_eq!(out["summary"]["images_not_read"]["images"], 3);
}
