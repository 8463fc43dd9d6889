//! Pictures in documents, in a build that does not read them: every image
//! is recorded where it is, and each document with images says how many
//! were not read, in every output format; a run says how many across the
//! scan. The fixtures are made by tests/fixtures/images/make.py.

use crate::common;

use std::path::Path;

use common::run;
use copylint::source::images::ImageAt;
use copylint::source::{ExtractOptions, Format};
use copylint::{Source, source};
use serde_json::Value;

const DIR: &str = "tests/fixtures/images";

fn read(name: &str) -> Source {
    let path = Path::new(DIR).join(name);
    let bytes = std::fs::read(&path).expect("fixture");
    let format = source::Extensions::default().for_named(&path);
    Source::read(name, bytes, format, ExtractOptions::default()).expect("readable")
}

fn images(name: &str) -> Vec<(ImageAt, String)> {
    let source = read(name);
    assert_eq!(source.image_report().images, source.images().len());
    (source.images().iter())
        .map(|i| (i.at, i.target.clone()))
        .collect()
}

fn slide(slide: u32, notes: bool) -> ImageAt {
    ImageAt::Slide { slide, notes }
}

#[test]
fn every_picture_is_recorded_where_it_is() {
    assert_eq!(
        images("deck.pptx"),
        [
            (slide(1, false), "ppt/media/image1.png".to_string()),
            (slide(2, false), "ppt/media/image2.png".to_string()),
            (slide(2, true), "ppt/media/image3.png".to_string()),
        ]
    );
    assert_eq!(
        images("brief.docx"),
        [(ImageAt::Paragraph(2), "word/media/image1.png".to_string())]
    );
    let odt = images("brief.odt");
    assert_eq!(odt.len(), 1);
    assert_eq!(odt[0].0, ImageAt::Paragraph(2));
    assert!(odt[0].1.starts_with("Pictures/"), "{odt:?}");
    let odp = images("deck.odp");
    assert_eq!(odp.len(), 1);
    assert_eq!(odp[0].0, slide(2, false));
    assert!(images("plain.pptx").is_empty());
    let html = read("page.html");
    assert_eq!(html.format(), Format::Html);
    assert_eq!(html.image_report().images, 2);
}

/// The notices of `--format json` output, as values.
fn notices(json: &str) -> Vec<Value> {
    let out: Value = serde_json::from_str(json).expect("JSON output");
    out["notices"].as_array().expect("notices").clone()
}

#[test]
fn a_document_with_images_says_how_many_were_not_read() {
    let r = run(&["--format", "json", "tests/fixtures/images/deck.pptx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notices = notices(&r.stdout);
    assert_eq!(notices.len(), 1, "{notices:?}");
    let n = &notices[0];
    assert_eq!(n["kind"], "images-not-read");
    assert_eq!(n["level"], "note");
    assert_eq!(n["count"], 3);
    assert_eq!(
        n["message"],
        "3 images were not read: text in pictures is not checked (--ocr reads it)"
    );
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        out["summary"]["images_not_read"],
        serde_json::json!({"images": 3, "files": 1, "ocr": false})
    );
    assert!(
        r.stderr
            .contains("note: tests/fixtures/images/deck.pptx: 3 images were not read"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_document_without_images_is_silent() {
    let r = run(&["--format", "json", "tests/fixtures/images/plain.pptx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(notices(&r.stdout).is_empty());
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(out["summary"].get("images_not_read").is_none(), "{out}");
    assert_eq!(r.stderr, "");
    let human = run(&["tests/fixtures/images/plain.pptx"]);
    assert!(!human.stdout.contains("not read"), "{}", human.stdout);
}

#[test]
fn the_run_sums_up_images_and_scanned_pages_across_files() {
    let r = run(&[
        "tests/fixtures/images/deck.pptx",
        "tests/fixtures/images/brief.docx",
        "tests/fixtures/images/scan.pdf",
        "tests/fixtures/images/plain.pptx",
    ]);
    // The scan is named on the command line and cannot be checked.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("5 images in 3 files were not read; --ocr reads them"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("no text layer: 1 page of images only (a scan?); --ocr reads it"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_page_of_images_only_in_a_pdf_with_text_is_counted() {
    let pdf = read("mixed.pdf");
    assert_eq!(
        (pdf.images().iter()).map(|i| i.at).collect::<Vec<_>>(),
        [ImageAt::Scanned(2)]
    );
    assert_eq!(pdf.image_report().images, 0);
    assert_eq!(pdf.image_report().scanned_pages, 1);
    let r = run(&["--format", "json", "tests/fixtures/images/mixed.pdf"]);
    let notices = notices(&r.stdout);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["count"], 1);
    assert_eq!(
        notices[0]["message"],
        "1 page of images only was not read: text in pictures is not checked (--ocr reads it)"
    );
    // The text-only fixtures of other tests show no picture.
    let text = read("../documents/pdf/brief.pdf");
    assert!(text.images().is_empty());
}

#[test]
fn pictures_on_pdf_pages_with_text_are_counted() {
    // Drawn with `Do` (directly and in a form) or inline, whatever their
    // size or encoding; one drawn twice counts twice.
    let pdf = read("pictures.pdf");
    let page = ImageAt::Page;
    assert_eq!(
        (pdf.images().iter()).map(|i| i.at).collect::<Vec<_>>(),
        [page(1), page(1), page(2), page(3), page(3), page(3)]
    );
    assert_eq!(pdf.image_report().images, 6);
    assert_eq!(pdf.image_report().scanned_pages, 0);
    let r = run(&["--format", "json", "tests/fixtures/images/pictures.pdf"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let notices = notices(&r.stdout);
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["count"], 6);
    assert_eq!(
        notices[0]["message"],
        "6 images were not read: text in pictures is not checked (--ocr reads it)"
    );
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        out["summary"]["images_not_read"],
        serde_json::json!({"images": 6, "files": 1, "ocr": false})
    );
}

#[test]
fn machine_formats_carry_the_count() {
    let r = run(&["--format", "sarif", "tests/fixtures/images/brief.docx"]);
    let sarif: Value = serde_json::from_str(&r.stdout).expect("SARIF");
    let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications")
        .clone();
    let note = notes
        .iter()
        .find(|n| n["descriptor"]["id"] == "images-not-read")
        .expect("an images-not-read notification");
    assert_eq!(note["properties"]["count"], 1);
    assert_eq!(note["level"], "note");

    let r = run(&["--format", "ndjson", "tests/fixtures/images/brief.docx"]);
    let notice = (r.stdout.lines())
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .find(|v| v["notice"].is_object())
        .expect("a notice line");
    assert_eq!(notice["notice"]["kind"], "images-not-read");
    assert_eq!(notice["notice"]["count"], 1);
}

#[test]
fn the_html_report_counts_images_not_read() {
    let r = run(&[
        "--format",
        "html",
        "tests/fixtures/images/deck.pptx",
        "tests/fixtures/images/page.html",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "<dt>Images not read</dt><dd id=\"n-images\">5 \
             <small>(5 images in 2 files were not read; --ocr reads them)</small>"
        ),
        "{}",
        r.stdout
    );
}

#[cfg(not(feature = "ocr"))]
#[test]
fn ocr_in_a_build_without_it_is_a_usage_error() {
    let r = run(&["--ocr", "tests/fixtures/images/deck.pptx"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("built without reading images"),
        "{}",
        r.stderr
    );
}
