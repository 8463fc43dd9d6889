//! Office extraction on arbitrary bytes: as a whole archive, and as the
//! main XML part of a Word, PowerPoint or OpenDocument file wrapped in a
//! valid zip; with bit 8 of the mode, as every part a slide reaches (a
//! chart, SmartArt data, a layout and its master) or every part an
//! OpenDocument presentation reads (content, styles, an embedded object). Never panics; a document read has one paragraph per line,
//! and each of its units starts inside its text.
#![no_main]

use std::io::Write;

use copylint::source::office::Limits;
use copylint::source::{ExtractOptions, Format, Source};
use libfuzzer_sys::fuzz_target;

const RELS: &[u8] = br#"<Relationships><Relationship Id="rId1" Type="x/officeDocument" Target="MAIN"/></Relationships>"#;

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
    out.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let rels = |main: &str| String::from_utf8_lossy(RELS).replace("MAIN", main);
    let bytes = match mode % 4 {
        0 => rest.to_vec(),
        1 => zip_of(&[("_rels/.rels", rels("word/document.xml").as_bytes()), ("word/document.xml", rest)]),
        2 if mode & 8 != 0 => {
            let presentation = br#"<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>"#;
            let prels = br#"<Relationships><Relationship Id="rId1" Type="x/slide" Target="slides/slide1.xml"/></Relationships>"#;
            let srels = br#"<Relationships><Relationship Id="rId1" Type="x/chart" Target="../charts/chart1.xml"/><Relationship Id="rId2" Type="x/diagramData" Target="../diagrams/data1.xml"/><Relationship Id="rId3" Type="x/slideLayout" Target="../slideLayouts/slideLayout1.xml"/></Relationships>"#;
            let lrels = br#"<Relationships><Relationship Id="rId1" Type="x/slideMaster" Target="../slideMasters/slideMaster1.xml"/></Relationships>"#;
            zip_of(&[
                ("_rels/.rels", rels("ppt/presentation.xml").as_bytes()),
                ("ppt/presentation.xml", presentation),
                ("ppt/_rels/presentation.xml.rels", prels),
                ("ppt/slides/slide1.xml", rest),
                ("ppt/slides/_rels/slide1.xml.rels", srels),
                ("ppt/charts/chart1.xml", rest),
                ("ppt/diagrams/data1.xml", rest),
                ("ppt/slideLayouts/slideLayout1.xml", rest),
                ("ppt/slideLayouts/_rels/slideLayout1.xml.rels", lrels),
                ("ppt/slideMasters/slideMaster1.xml", rest),
            ])
        }
        3 if mode & 8 != 0 => zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.presentation"),
            ("content.xml", rest),
            ("styles.xml", rest),
            ("Object 1/content.xml", rest),
        ]),
        2 => {
            let presentation = br#"<p:presentation xmlns:p="p" xmlns:r="r"><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>"#;
            let prels = br#"<Relationships><Relationship Id="rId1" Type="x/slide" Target="slides/slide1.xml"/></Relationships>"#;
            zip_of(&[
                ("_rels/.rels", rels("ppt/presentation.xml").as_bytes()),
                ("ppt/presentation.xml", presentation),
                ("ppt/_rels/presentation.xml.rels", prels),
                ("ppt/slides/slide1.xml", rest),
            ])
        }
        _ => zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", rest),
        ]),
    };
    let options = ExtractOptions {
        comments: mode & 4 != 0,
        limits: Limits { entry: 1 << 20, document: 1 << 20, ratio: 200 },
        ..ExtractOptions::default()
    };
    if let Ok(source) = Source::read("x.docx", bytes, Format::Office, options) {
        let text = source.text();
        assert!(text.is_empty() || text.ends_with('\n'));
        source.for_each_block_with(options, &mut |block| {
            assert!(block.unit.is_some());
            let range = block.source_range(0..block.text.len());
            assert!(range.end <= text.len());
        });
    }
});
