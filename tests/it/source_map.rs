//! The source-map property: for every finding, normalizing the file's bytes
//! `[start.offset, end.offset)` gives text that the finding's rule matches.
//! Checked over the examples and tricky spans, and, in an `#[ignore]`d test
//! that `.ci/run` runs, over the shared documentation corpus.

use crate::common;
use common::*;

use std::collections::HashMap;
use std::path::Path;

use copylint::source::normalize;
use copylint::{Linter, Policy};

/// Removes the Markdown inline markup a match may span: emphasis marks,
/// link brackets and destinations, block-quote markers, and the few
/// entities the corpus uses.
fn strip_markdown(span: &str) -> String {
    let mut s = String::new();
    for line in span.split_inclusive('\n') {
        s.push_str(if s.is_empty() {
            line
        } else {
            line.trim_start().trim_start_matches('>')
        });
    }
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find(')').map_or("", |j| &rest[i + j + 1..]);
    }
    out.push_str(rest);
    // Inline HTML tags (`<em>`, `</strong>`) join the text around them.
    let mut untagged = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find('<') {
        untagged.push_str(&rest[..i]);
        match rest[i..].find('>') {
            Some(j) => rest = &rest[i + j + 1..],
            None => {
                untagged.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    untagged.push_str(rest);
    untagged
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&#115;", "s")
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '~' | '[' | ']' | '\\' | '`'))
        .collect()
}

fn literals_by_rule() -> HashMap<String, Vec<String>> {
    let linter = Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles");
    linter
        .rules()
        .map(|(_, r)| (r.id.to_string(), r.literals.clone()))
        .collect()
}

/// Runs copylint over `path` and checks the property for every finding;
/// returns how many findings were checked.
fn check_tree(path: &Path) -> usize {
    let literals = literals_by_rule();
    let r = run(&["--format", "json", "--hidden", path.to_str().unwrap()]);
    assert!(r.code < 2, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut checked = 0;
    for d in v["diagnostics"].as_array().unwrap() {
        // In a Word, PowerPoint or OpenDocument file, offsets count in the
        // extracted text, not in the file: tests/it/documents.rs checks those.
        if ["page", "slide", "paragraph"]
            .iter()
            .any(|k| d.get(k).is_some())
        {
            continue;
        }
        let file = d["path"].as_str().unwrap();
        let bytes = std::fs::read(file).unwrap();
        let (start, end) = (
            d["start"]["offset"].as_u64().unwrap() as usize,
            d["end"]["offset"].as_u64().unwrap() as usize,
        );
        assert!(
            start < end && end <= bytes.len(),
            "{file}: span {start}..{end} outside the file"
        );
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{file}: {start}..{end}"
        );
        let span = &text[start..end];
        assert_eq!(
            d["matched"],
            span.split_whitespace().collect::<Vec<_>>().join(" "),
            "{file}"
        );
        let rule = d["rule"].as_str().unwrap();
        let normalized = if file.ends_with(".txt") || file.ends_with(".text") {
            normalize(span)
        } else {
            normalize(&strip_markdown(span))
        };
        if let Some(claim) = d.get("claim") {
            // A claim's span runs from its verb or frame to its object: it
            // holds one of the rule's names, or a pronoun standing for one.
            let pronoun = claim["object"].as_str().unwrap_or_default().contains('(');
            let words: Vec<&str> = normalized.split([' ', '\'', '-', ',', '.']).collect();
            assert!(
                pronoun
                    || literals[rule].iter().any(|l| {
                        let first = l.split([' ', '\'', '-']).next().unwrap_or_default();
                        words
                            .iter()
                            .any(|w| w.starts_with(first) || first.starts_with(*w) && !w.is_empty())
                    }),
                "{file}:{}: claim `{span}` ({normalized}) holds no name of rule {rule}",
                d["start"]["line"]
            );
            checked += 1;
            continue;
        }
        assert!(
            literals[rule]
                .iter()
                .any(|l| copylint::engine::literal_matches(l, &normalized)),
            "{file}:{}: `{span}` normalizes to `{normalized}`, which rule {rule} does not match",
            d["start"]["line"]
        );
        checked += 1;
    }
    checked
}

#[test]
fn holds_over_the_examples() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    assert!(check_tree(&examples) > 0, "the examples show findings");
}

#[test]
#[ignore = "needs the shared corpus (../shared/corpus or $COPYLINT_CORPUS)"]
fn holds_over_the_shared_corpus() {
    assert!(check_tree(&corpus()) > 100);
}

#[test]
fn holds_for_tricky_spans() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.md"),
        "🙂 It **enables**\r\naccess to [Chat*GPT*](/x). It call&#115; on GPT\u{2011}4o.\n\n\
         > It en\u{AD}ables access\n> to data.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t.txt"),
        "日本 It enables\u{A0}access\u{2003}to OpenAI\u{2019}s models.\r\n",
    )
    .unwrap();
    assert_eq!(check_tree(dir.path()), 4);
}

/// A phrase written in HTML: the raw text, and for each character of the
/// phrase the raw range it was written in.
struct Written {
    raw: String,
    chars: Vec<std::ops::Range<usize>>,
}

/// Writes `phrase` with each character in the form `forms[i]` picks
/// (itself, a decimal or hexadecimal reference with or without `;`, a named
/// one), and after it the markup `inside[i]` picks (nothing, tags, a
/// comment, a soft hyphen reference), after `before`.
fn write_html(before: &str, phrase: &str, forms: &[u8], inside: &[u8]) -> Written {
    const INSIDE: [&str; 6] = [
        "",
        "<b>",
        "</b>",
        "<!-- x -->",
        "&shy;",
        "<span title=\"a&amp;b\">",
    ];
    let mut raw = before.to_string();
    let mut chars = Vec::new();
    let cs: Vec<char> = phrase.chars().collect();
    for (i, &c) in cs.iter().enumerate() {
        let form = forms.get(i).copied().unwrap_or(0) % 5;
        let next_is_digit = cs.get(i + 1).is_some_and(char::is_ascii_digit);
        let named = match c {
            '\'' => Some("&rsquo;"),
            ' ' => Some("&nbsp"),
            '-' => Some("&hyphen;"),
            _ => None,
        };
        let start = raw.len();
        match (form, named) {
            (1, _) => raw.push_str(&format!("&#{};", c as u32)),
            (2, _) => raw.push_str(&format!("&#x{:X};", c as u32)),
            (3, _) if !next_is_digit => raw.push_str(&format!("&#{}", c as u32)),
            (4, Some(name)) => raw.push_str(name),
            _ => raw.push(c),
        }
        chars.push(start..raw.len());
        if i + 1 < cs.len() {
            raw.push_str(INSIDE[usize::from(inside.get(i).copied().unwrap_or(0)) % INSIDE.len()]);
        }
    }
    Written { raw, chars }
}

/// What html5gum makes of `raw` as text: tags and comments gone,
/// references decoded. The oracle the spans are checked against.
fn html_text(raw: &str) -> String {
    html5gum::Tokenizer::new(raw)
        .flatten()
        .filter_map(|t| match t {
            html5gum::Token::String(s) => Some(String::from_utf8_lossy(&s).into_owned()),
            _ => None,
        })
        .collect()
}

/// Phrases the default policy flags, for the HTML differential test.
const HTML_PHRASES: [&str; 5] = [
    "ChatGPT",
    "It enables access to data",
    "We call on OpenAI's latest models",
    "GPT-4o",
    "powered by o3",
];

/// Text before a phrase, in the same run of text: references that decode
/// to two letters, legacy ones without `;`, literal ampersands, CDATA.
const HTML_BEFORE: [&str; 9] = [
    "",
    "Fjords &fjlig;ord. ",
    "caf&eacute; &notit; ",
    "AT&T &amp ",
    "<![CDATA[ChatGPT]]> ",
    "x&#128512; y ",
    "a\r\nb ",
    "&ampee &#7ll &shyT&P ",
    "<!-- ChatGPT --> ",
];

/// Checks that `phrase`, written as `forms` and `inside` pick after
/// `before`, gives the findings it gives written plainly, each spanning
/// exactly the raw bytes of its characters.
fn check_written_phrase(phrase: &str, before: &str, forms: &[u8], inside: &[u8]) {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    let linter = LINTER.get_or_init(|| {
        Linter::new(vec![Policy::default_policy()]).expect("the default policy compiles")
    });
    let check = |html: &str| {
        let source = copylint::Source::from_bytes(
            "page.html",
            html.as_bytes().to_vec(),
            copylint::Format::Html,
        );
        linter.check(&source)
    };
    let plain = write_html("", phrase, &[], &[]);
    let plain_html = format!("<p>{}</p>", plain.raw);
    let expected = check(&plain_html);
    assert!(!expected.is_empty(), "{phrase:?} gives no finding");
    let written = write_html(before, phrase, forms, inside);
    let html = format!("<p>{} and more.</p>", written.raw);
    let got = check(&html);
    let shown: Vec<_> = got
        .iter()
        .map(|f| (&*f.rule, f.span.start(), f.span.end()))
        .collect();
    assert_eq!(got.len(), expected.len(), "{html:?}: {shown:?}");
    for (want, got) in expected.iter().zip(&got) {
        assert_eq!(want.rule, got.rule, "{html:?}");
        // The characters of the phrase the plain finding covers.
        let first = plain_html[..want.span.start()].chars().count() - "<p>".len();
        let last = plain_html[..want.span.end()].chars().count() - "<p>".len() - 1;
        let offset = "<p>".len();
        let span = offset + written.chars[first].start..offset + written.chars[last].end;
        assert_eq!(
            got.span.start()..got.span.end(),
            span,
            "{html:?}: {} found at {:?}, written at {span:?}",
            got.rule,
            &html[got.span.start()..got.span.end()],
        );
        assert_eq!(
            normalize(&html_text(&html[span])),
            normalize(&html_text(&plain_html[want.span.start()..want.span.end()])),
            "{html:?}"
        );
    }
}

#[test]
fn html_spans_are_exact_around_references_and_markup() {
    // Every phrase after every kind of text before it.
    for phrase in HTML_PHRASES {
        for before in HTML_BEFORE {
            check_written_phrase(phrase, before, &[], &[]);
            check_written_phrase(phrase, before, &[1, 2, 3, 4, 0, 4, 1], &[0, 1, 2, 3, 4, 5]);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn html_spans_are_exact_however_the_phrase_is_written(
        phrase in proptest::sample::select(HTML_PHRASES.to_vec()),
        before in proptest::sample::select(HTML_BEFORE.to_vec()),
        forms in proptest::collection::vec(0u8..5, 40),
        inside in proptest::collection::vec(proptest::prop_oneof![6 => proptest::strategy::Just(0u8), 1 => 1u8..6], 40),
    ) {
        check_written_phrase(phrase, before, &forms, &inside);
    }
}

/// The HTML tokenizer's pieces, as `fuzz_html` checks them on arbitrary
/// bytes: in order, each after the last, on char boundaries, and each one
/// not written as itself what its raw bytes decode to alone.
fn check_pieces(html: &str) -> usize {
    use copylint::source::html::{decode_text, for_each_piece};
    let mut end = 0;
    let mut n = 0;
    for_each_piece(html, &mut |piece| {
        let raw = piece.raw.clone();
        assert!(
            end <= raw.start && raw.start < raw.end,
            "{piece:?} after {end}"
        );
        end = raw.end;
        let written = html
            .get(raw.clone())
            .expect("pieces lie on char boundaries");
        if written != piece.text {
            assert_eq!(
                decode_text(written),
                piece.text,
                "{piece:?} from {written:?}"
            );
        }
        n += 1;
    });
    n
}

#[test]
fn html_pieces_are_in_order_and_decode_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages =
        vec![std::fs::read_to_string(root.join("tests/fixtures/documents/brief.html")).unwrap()];
    for seed in [
        "entities.html",
        "joined-words.html",
        "charset-noscript.html",
    ] {
        let bytes = std::fs::read(root.join("fuzz/seeds/fuzz_html").join(seed)).unwrap();
        pages.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    pages.extend(
        [
            "Open&fjlig;AI&rsquo;s &notit; &#x4F;k &amp &#0; &#x110000; &#128; &#xD800;",
            "a\r\nb\rc\0d</>e<![CDATA[x]]>f<?x>g<!x>h<!-->i<!--->j",
            "<img alt='a&amp=b &ampc &amp;d\r\ne\0'><p title=\"x&#65\">y",
            "<script>a&amp;\0<!--<script>x</script>--></script>&ampz",
            "<title>a&amp;b\r\n</title><textarea>&lt;\0</textarea><style>&amp;\r</style>",
            "<noscript><p>It en&shy;ables</p></noscript><plaintext>&amp;<b>\0\r\n",
            "&#",
            "&#x",
            "&#x;",
            "&;",
            "&",
            "\r",
            "\r\n\r\n",
            "&\r\n",
            "<\r\n",
            "&am\r\np",
        ]
        .map(String::from),
    );
    for page in &pages {
        assert!(check_pieces(page) > 0, "{page:?}");
    }
}
