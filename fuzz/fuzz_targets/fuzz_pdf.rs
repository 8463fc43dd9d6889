//! PDF extraction on arbitrary bytes: as a whole file, and as the content
//! stream of the one page of a valid PDF. Never panics in copylint's own
//! code (a panic in the PDF libraries is contained and reported as a
//! damaged file, by design); a document read has one paragraph per line,
//! each block on a page numbered from 1, mapped inside the extracted text.
#![no_main]

use std::sync::Once;

use copylint::source::office::Limits;
use copylint::source::pdf::READER_THREAD;
use copylint::source::{ExtractOptions, Format, Source, Unit};
use libfuzzer_sys::fuzz_target;

/// A one-page PDF whose page draws `content`, with a correct
/// cross-reference table.
fn pdf_with_content(content: &[u8]) -> Vec<u8> {
    let font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec();
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content);
    stream.extend_from_slice(b"\nendstream");
    let objects: [Vec<u8>; 5] = [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream,
        font,
    ];
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").bytes());
    pdf
}

/// Panics in the PDF libraries on a reader thread are expected and
/// contained; any other panic aborts, as libFuzzer's own hook does.
fn hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let on_reader = std::thread::current().name() == Some(READER_THREAD);
            let in_library = info.location().is_some_and(|l| {
                let file = l.file();
                // A dependency (lopdf and the crates it uses)
                // or the standard library on its behalf.
                file.contains("/registry/src/") || file.starts_with("/rustc/")
            });
            if !(on_reader && in_library) {
                previous(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    hook();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = match mode % 2 {
        0 => rest.to_vec(),
        _ => pdf_with_content(rest),
    };
    let options = ExtractOptions {
        limits: Limits { entry: 1 << 20, document: 1 << 20, ratio: 200 },
        ..ExtractOptions::default()
    };
    if let Ok(source) = Source::read("x.pdf", bytes, Format::Pdf, options) {
        let text = source.text();
        assert!(text.ends_with('\n'));
        source.for_each_block_with(options, &mut |block| {
            assert!(matches!(block.unit, Some(Unit::Page(n)) if n >= 1));
            let range = block.source_range(0..block.text.len());
            assert!(range.end <= text.len());
        });
    }
});
