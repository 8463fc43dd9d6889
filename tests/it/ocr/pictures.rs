//! `--ocr` on pictures drawn on PDF pages that have text, the time limit
//! on one image, and look-alike letters read by OCR. The fixtures are made
//! by tests/fixtures/images/make_pictures.py.

use std::path::Path;

use copylint::ocr::{OcrLimits, Reader};
use copylint::source::{Extensions, ExtractOptions};
use copylint::{Linter, Policy};
use serde_json::Value;

use super::{DIR, check, diagnostics};
use crate::common::{run, run_in};

/// `(page, image)` of each finding of `rule`.
fn places(out: &Value, rule: &str) -> Vec<(Value, Value)> {
    (diagnostics(out, rule).iter())
        .map(|d| (d["page"].clone(), d["image"].clone()))
        .collect()
}

fn notice<'a>(out: &'a Value, kind: &str) -> Vec<&'a Value> {
    (out["notices"].as_array().unwrap().iter())
        .filter(|n| n["kind"] == kind)
        .collect()
}

#[test]
#[ignore = "needs tesseract"]
fn a_banner_on_a_page_with_text_is_read_at_its_page_and_image() {
    let out = check(&["pictures.pdf"]);
    // The JPEG banner on page 2 (image 3), drawn again on page 3 (image 6).
    assert_eq!(
        places(&out, "access-to-openai"),
        [(2.into(), 3.into()), (3.into(), 6.into())],
        "{out}"
    );
    // The RGB banner, drawn by a form on page 3.
    assert_eq!(places(&out, "enables-access"), [(3.into(), 4.into())]);
    let access = diagnostics(&out, "access-to-openai")[0];
    assert!(access.get("scanned").is_none(), "{access}");
    assert_eq!(access["matched"], "Access GPT-5");
    let message = access["message"].as_str().unwrap();
    assert!(message.contains("(read by OCR, confidence "), "{message}");
    // The JBIG2 image is named; the logo and the inline image are too small.
    let refused = notice(&out, "image-not-read");
    assert_eq!(refused.len(), 1, "{out}");
    assert_eq!(
        refused[0]["message"],
        "page 3 (image 5) was not read: unsupported image encoding (JBIG2Decode)"
    );
    let unread = notice(&out, "images-not-read");
    assert_eq!(unread[0]["count"], 3);
    assert_eq!(
        unread[0]["message"],
        "3 images were not read (2 under 64 px, 1 past a limit or unreadable)"
    );
    // People see the place as `page 2 (image 3)`.
    let human = run(&[
        "--ocr",
        "--fail-on",
        "never",
        &format!("{DIR}/pictures.pdf"),
    ]);
    assert!(
        human.stdout.contains("page 2 (image 3)"),
        "{}",
        human.stdout
    );
}

#[test]
#[ignore = "needs tesseract"]
fn a_picture_drawn_twice_is_read_once() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let reader = Reader::new(&linter, OcrLimits::default());
    let path = Path::new(DIR).join("pictures.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let format = Extensions::default().for_named(&path);
    let options = ExtractOptions {
        ocr: true,
        ..ExtractOptions::default()
    };
    for _ in 0..2 {
        let source = reader
            .read("pictures.pdf", Some(&path), bytes.clone(), format, options)
            .expect("readable");
        assert_eq!(source.image_report().read, 3);
        assert_eq!(source.image_report().small, 2);
    }
    // Six pictures, twice; two distinct banners given to Tesseract.
    assert_eq!(reader.images_seen(), 12);
    assert_eq!(reader.images_recognized(), 2);
}

#[test]
fn a_picture_over_the_pixel_limit_is_refused_before_it_is_inflated() {
    // No image is read here: both banners are over this limit.
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let limits = OcrLimits {
        max_pixels: 50_000,
        ..OcrLimits::default()
    };
    let reader = Reader::new(&linter, limits);
    let path = Path::new(DIR).join("pictures.pdf");
    let options = ExtractOptions {
        ocr: true,
        ..ExtractOptions::default()
    };
    let source = reader
        .read(
            "pictures.pdf",
            Some(&path),
            std::fs::read(&path).unwrap(),
            copylint::Format::Pdf,
            options,
        )
        .expect("readable");
    let refused = &source.image_report().refused;
    assert_eq!(refused.len(), 4, "{refused:?}");
    assert_eq!(
        refused[1],
        "page 3 (image 4) was not read: 1100 × 110 pixels is over the limit of 50000 \
         (a decompression bomb?)"
    );
    assert_eq!(reader.images_recognized(), 0);
}

#[test]
#[ignore = "needs tesseract"]
fn an_image_that_takes_longer_than_the_time_limit_is_named() {
    // Tesseract is given the deadline: with 1 ms it stops recognizing and
    // fails; an image read in full would give its words instead, however
    // long it took.
    let expected = "slide 2 (image \"image2.png\") was not read: reading it took longer than \
                    the limit of 1 ms (ocr-timeout)";
    let deck = format!("{DIR}/deck.pptx");
    let by_flag = run(&[
        "--ocr",
        "--ocr-timeout",
        "0.001",
        "--format",
        "json",
        "--fail-on",
        "never",
        &deck,
    ]);
    let out: Value = serde_json::from_str(&by_flag.stdout).expect("JSON");
    let refused: Vec<&Value> = notice(&out, "image-not-read");
    assert!(
        refused.iter().any(|n| n["message"] == expected),
        "{refused:?}"
    );
    assert!(diagnostics(&out, "enables-access").is_empty(), "{out}");

    // The same from the configuration.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&deck, dir.path().join("deck.pptx")).unwrap();
    std::fs::write(
        dir.path().join("copylint.toml"),
        "ocr = true\nocr-timeout = 0.001\n",
    )
    .unwrap();
    let by_file = run_in(
        dir.path(),
        &["--format", "json", "--fail-on", "never", "deck.pptx"],
        b"",
    );
    let out: Value = serde_json::from_str(&by_file.stdout).expect("JSON");
    let refused: Vec<&Value> = notice(&out, "image-not-read");
    assert!(
        refused.iter().any(|n| n["message"] == expected),
        "{refused:?}"
    );
}

#[test]
fn a_time_limit_must_be_a_positive_number_of_seconds() {
    let r = run(&["--ocr-timeout", "0", "README.md"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("more than 0"), "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copylint.toml"), "ocr-timeout = \"soon\"\n").unwrap();
    std::fs::write(dir.path().join("a.md"), "Hello.\n").unwrap();
    let r = run_in(dir.path(), &["a.md"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("ocr-timeout is a number of seconds"),
        "{}",
        r.stderr
    );
}

#[test]
#[ignore = "needs tesseract"]
fn a_claim_misread_with_a_look_alike_letter_is_still_found() {
    // The banner says "OpenAl" (a lower-case L), which OCR reads as
    // written; folded towards the policy's "OpenAI", the claim is found.
    // The same words as prose are not folded.
    let out = check(&["misread.html", "misread.md"]);
    let found = diagnostics(&out, "access-to-openai");
    assert_eq!(found.len(), 1, "{out}");
    let d = found[0];
    assert_eq!(d["path"], format!("{DIR}/misread.html"));
    assert_eq!(d["image_name"], "misread.png");
    assert_eq!(d["matched"], "OpenAI models");
    let message = d["message"].as_str().unwrap();
    assert!(message.contains("(read by OCR, confidence "), "{message}");
    let prose = run(&["--format", "json", &format!("{DIR}/misread.md")]);
    assert_eq!(prose.code, 0, "{}", prose.stdout);
}
