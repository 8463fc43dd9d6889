//! Public documents that nobody here made (see
//! tests/fixtures/documents/public/SOURCES.md): each shows a kind of copy
//! that was once lost, or a notice that once named the wrong reason, and
//! pins what is read from it now.

use std::path::Path;

use copylint::report::FileFindings;
use copylint::source::{Encoding, ExtractOptions, Format};
use copylint::{Linter, Policy, Source};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new("tests/fixtures/documents/public").join(name)).expect("fixture")
}

fn read(name: &str) -> Source {
    let format = Format::from_extension(Path::new(name)).expect("a known extension");
    Source::read(name, fixture(name), format, ExtractOptions::default()).expect("readable")
}

/// The normalized prose of a source, one block per line.
fn prose(source: &Source) -> String {
    let mut out = String::new();
    source.for_each_block(&mut |b| {
        out.push_str(&b.text);
        out.push('\n');
    });
    out
}

/// A policy of one rule that flags `pattern`.
fn policy_of(pattern: &str) -> Policy {
    let text = format!(
        "name = \"t\"\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\n\
         pattern = \"{pattern}\"\nexplanation = \"e\"\nbad = [\"{pattern}\"]\ngood = [\"x\"]\n"
    );
    Policy::load("t.toml", &text).expect("a valid policy")
}

#[test]
fn a_page_in_the_legacy_charset_its_meta_declares() {
    // The declaration comes after 4,900 bytes of scripts, past the prescan
    // of the first 1024: a browser's parser still meets it and reloads.
    let name = "big-preamble.html";
    let source = read(name);
    assert_eq!(
        source.encoding(),
        Encoding::Declared(encoding_rs::WINDOWS_1251)
    );
    let text = prose(&source);
    assert!(text.contains("континент-недвижимость:"), "{text}");
    assert!(
        text.contains("снять квартиру в москве наше агентство недвижимости поможет"),
        "{text}"
    );
    // Each finding points at its phrase's line, column and byte offset
    // in the file as stored, checked here against its windows-1251 bytes.
    let linter = Linter::new(vec![policy_of("агентство недвижимости")]).expect("linter");
    let findings = linter.check(&source);
    assert_eq!(findings.len(), 5, "{findings:?}");
    let placed = FileFindings::new(&source, &findings);
    let bytes = fixture(name);
    for (finding, place) in findings.iter().zip(&placed.places) {
        let (start, end) = (place.start.offset, place.end.offset);
        let (stored, _, _) = encoding_rs::WINDOWS_1251.encode(&finding.matched);
        assert_eq!(&bytes[start..end], &stored[..]);
        let line_start = bytes[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count();
        assert_eq!(
            (place.start.line, place.start.column),
            (line, start - line_start + 1)
        );
    }
}

#[test]
fn noscript_is_read_as_html_as_with_scripting_off() {
    let text = prose(&read("mozilla-2.html"));
    let blocks: Vec<&str> = text.lines().collect();
    // An image's alt text in a heading's <noscript>, and a button's label.
    assert!(blocks.contains(&"firefox developer edition"), "{text}");
    assert!(blocks.contains(&"go"), "{text}");
    // Not its markup as words.
    for junk in [
        "<img",
        "mozorg.cdn",
        "<button",
        "type=\"submit\"",
        "</noscript",
    ] {
        assert!(!text.contains(junk), "{junk} in {text}");
    }
}

#[test]
fn noscript_text_is_placed_exactly() {
    let html = "<p>Intro.</p><noscript><p>It <b>enables</b> &amp; <img alt=\"enables access to\"></p></noscript><p>Out</p>";
    let source = Source::new("x.html", html, Format::Html);
    let linter = Linter::new(vec![policy_of("enables access to")]).expect("linter");
    let findings = linter.check(&source);
    let spans: Vec<&str> = findings
        .iter()
        .map(|f| &html[f.span.start()..f.span.end()])
        .collect();
    assert_eq!(spans, ["enables access to"]);
    let blocks: Vec<String> = source.blocks().into_iter().map(|b| b.text).collect();
    // An attribute is a block of its own, out when its tag is read.
    assert_eq!(
        blocks,
        ["intro.", "enables access to", "it enables &", "out"]
    );
}

/// Each paragraph of a document's extracted text, with its unit.
fn paragraphs(source: &Source) -> Vec<(String, String)> {
    let mut offset = 0;
    let mut out = Vec::new();
    for line in source.text().split_inclusive('\n') {
        let unit = source.unit_at(offset).map(|(_, u)| u.to_string());
        out.push((unit.unwrap_or_default(), line.trim_end().to_string()));
        offset += line.len();
    }
    out
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(u, t)| (u.to_string(), t.to_string()))
        .collect()
}

#[test]
fn a_charts_title_series_and_categories() {
    let got = paragraphs(&read("testPPT_charts.pptx"));
    let months = [
        "January", "February", "March", "April", "May", "June", "July", "August",
    ];
    let mut expected = vec![
        ("slide 1 (chart)", "wants a peach"),
        ("slide 1 (chart)", "NUMBER"),
    ];
    expected.extend(months.iter().map(|m| ("slide 1 (chart)", *m)));
    let charts: Vec<_> = got
        .iter()
        .filter(|(u, _)| u.ends_with("(chart)"))
        .cloned()
        .collect();
    assert_eq!(charts, pairs(&expected), "{got:?}");
}

#[test]
fn text_a_layout_shows_on_its_slides_is_read_once() {
    let got = paragraphs(&read("testPPT_masterText.pptx"));
    let templates: Vec<_> = got
        .iter()
        .filter(|(u, _)| u.starts_with("slide master"))
        .cloned()
        .collect();
    // The prompts of placeholders ("Click to edit Master title style")
    // and the date and number fields are not copy.
    assert_eq!(
        templates,
        pairs(&[(
            "slide master 1, layout 1",
            "Text that I added to the master slide"
        )]),
        "{got:?}"
    );
}

#[test]
fn word_with_another_main_part_a_drop_cap_and_alt_text() {
    // Made here (make.py): the main part is word/document2.xml.
    let got = paragraphs(&read("made-word.docx"));
    assert_eq!(
        got,
        pairs(&[
            ("paragraph 1", "Welcome to the launch."),
            ("paragraph 2", "Our new dashboard."),
            (
                "paragraph 2 (image alt text)",
                "A dashboard that enables access to every report"
            ),
            ("paragraph 3", "Last words."),
        ])
    );
}

#[test]
fn a_drop_cap_as_word_writes_it() {
    // pandoc's test/docx/drop_cap.docx, which is GPL and so not kept here,
    // has these paragraphs; this is their XML, cut to the drop cap.
    let body = r#"<w:p><w:pPr><w:framePr w:dropCap="margin" w:lines="3"/></w:pPr><w:r><w:t>D</w:t></w:r></w:p><w:p><w:r><w:t>rop cap.</w:t></w:r></w:p><w:p><w:r><w:t>Next.</w:t></w:r></w:p>"#;
    let source = Source::read(
        "x.docx",
        docx_of(body),
        Format::Office,
        ExtractOptions::default(),
    )
    .expect("readable");
    assert_eq!(
        paragraphs(&source),
        pairs(&[("paragraph 1", "Drop cap."), ("paragraph 2", "Next.")])
    );
}

#[test]
fn word_symbol_characters_are_their_characters() {
    // `w:sym`: in Symbol, a code through Symbol's own table (F073 is
    // sigma, F02D the minus sign); in another font the character itself;
    // Wingdings' private-use codes are no text.
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Stress </w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F073"/></w:r><w:r><w:t xml:space="preserve">x is n</w:t></w:r><w:r><w:sym w:font="Symbol" w:char="F02D"/></w:r><w:r><w:t xml:space="preserve">1 </w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0E0"/></w:r><w:r><w:sym w:font="Cambria Math" w:char="2248"/></w:r><w:r><w:t xml:space="preserve"> 2.</w:t></w:r></w:p>"#;
    let source = Source::read(
        "sym.docx",
        docx_of(body),
        Format::Office,
        ExtractOptions::default(),
    )
    .expect("readable");
    assert_eq!(
        paragraphs(&source),
        pairs(&[("paragraph 1", "Stress \u{3c3}x is n\u{2212}1 \u{2248} 2.")])
    );
}

fn docx_of(body: &str) -> Vec<u8> {
    docx_with_header(body, None)
}

/// A Word file of `body`, and of `header` as its header when given.
fn docx_with_header(body: &str, header: Option<&str>) -> Vec<u8> {
    use std::io::Write;
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let document = format!(r#"<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#);
    let rels = format!(
        r#"<Relationships><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let mut entries = vec![("_rels/.rels", rels), ("word/document.xml", document)];
    if let Some(header) = header {
        entries.push((
            "word/_rels/document.xml.rels",
            format!(
                r#"<Relationships><Relationship Id="rId1" Type="{REL}/header" Target="header1.xml"/></Relationships>"#
            ),
        ));
        entries.push((
            "word/header1.xml",
            format!(r#"<w:hdr xmlns:w="{W}">{header}</w:hdr>"#),
        ));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in &entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(text.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

#[test]
fn a_slides_alt_text_smartart_data_and_notes_text_box() {
    let got = paragraphs(&read("made-deck.pptx"));
    assert_eq!(
        got,
        pairs(&[
            ("slide 1", "Roadmap"),
            ("slide 1 (SmartArt)", "Plan the pilot"),
            ("slide 1 (SmartArt)", "Launch in spring"),
            ("slide 1 (speaker notes)", "Say it warmly."),
            (
                "slide 1 (speaker notes)",
                "Reminder: the demo enables access to live data."
            ),
            ("slide 1 (image alt text)", "Chart that calls on ChatGPT"),
        ])
    );
}

#[test]
fn opendocument_image_titles_and_descriptions() {
    let got = paragraphs(&read("made-alt.odt"));
    assert_eq!(
        got,
        pairs(&[
            ("paragraph 1", "First paragraph."),
            ("paragraph 2 (image alt text)", "Team photo"),
            (
                "paragraph 2 (image alt text)",
                "Our team, which calls on ChatGPT daily"
            ),
            ("paragraph 2", "Second, with an image:  and text after it."),
            ("paragraph 3", "Third."),
        ])
    );
}

#[test]
fn an_encrypted_opendocument_file_is_reported_as_encrypted() {
    let err = Source::read(
        "x.odt",
        fixture("testODTEncrypted.odt"),
        Format::Office,
        ExtractOptions::default(),
    )
    .expect_err("encrypted");
    assert_eq!(err.reason, copylint::NoticeKind::Encrypted, "{err}");
}

#[test]
fn a_presentations_master_footer_is_read_once() {
    let got = paragraphs(&read("testMasterFooter.odp"));
    assert_eq!(
        got,
        pairs(&[("slide master 1", "Master footer is here")]),
        "{got:?}"
    );
}

#[test]
fn a_presentations_footer_declaration_and_shape_descriptions() {
    let got = paragraphs(&read("made-footer.odp"));
    assert_eq!(
        got,
        pairs(&[
            ("slide 1", "Northwind enables access to AI"),
            ("slide 1", "Slide 1"),
            ("slide 2", "Slide 2"),
            ("slide 2 (image alt text)", "Arrow"),
            ("slide 2 (image alt text)", "Growth that calls on ChatGPT"),
            ("slide 2", "Up"),
        ])
    );
}

#[test]
fn greek_capitals_match_a_phrase_with_a_final_sigma() {
    // "ΤΟΥΣ" lowers to "τους" at a word's end: its Σ is a final ς.
    let linter = Linter::new(vec![policy_of("για τους πελάτες")]).expect("linter");
    for text in [
        "ΓΙΑ ΤΟΥΣ πελάτες μας.",
        "Για τους πελάτες μας.",
        "για τουσ πελάτες",
    ] {
        let source = Source::new("x.txt", text, Format::Text);
        let found: Vec<String> = linter
            .check(&source)
            .into_iter()
            .map(|f| f.matched)
            .collect();
        assert_eq!(found.len(), 1, "{text}: {found:?}");
    }
    let source = Source::new("x.txt", "ΓΙΑ ΤΟΥΣ ΠΕΛΆΤΕΣ", Format::Text);
    assert_eq!(linter.check(&source).len(), 1);
}

#[test]
fn a_spreadsheet_a_slide_embeds() {
    let got = paragraphs(&read("emb_spreadsheet.odp"));
    let mut expected = vec![("slide 1", "Embedded Spreadsheet")];
    let cells = [
        "col1", "col2", "col3", "val11", "val21", "val31", "val12", "val22", "val32", "val13",
        "val23", "val33",
    ];
    expected.extend(cells.iter().map(|c| ("slide 1 (embedded object)", *c)));
    assert_eq!(got, pairs(&expected));
}

#[test]
fn alt_text_outside_the_body_keeps_its_part() {
    let logo = r#"<w:p><w:r><w:t>Acme</w:t></w:r><w:r><w:drawing><wp:inline xmlns:wp="wp"><wp:docPr id="1" name="Logo" descr="Acme logo"/></wp:inline></w:drawing></w:r></w:p>"#;
    let body = r#"<w:p><w:r><w:t>Body.</w:t></w:r></w:p>"#;
    let source = Source::read(
        "x.docx",
        docx_with_header(body, Some(logo)),
        Format::Office,
        ExtractOptions::default(),
    )
    .expect("readable");
    assert_eq!(
        paragraphs(&source),
        pairs(&[
            ("paragraph 1", "Body."),
            ("paragraph 1 (header)", "Acme"),
            ("paragraph 1 (header)", "Acme logo"),
        ])
    );
}
