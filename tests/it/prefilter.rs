//! The prefilter may never change a result: every input gives the same
//! findings with and without it. Checked on generated Markdown, MDX and
//! text full of markup inside words, entities, invisible characters and
//! spelling variants, and over the shared documentation corpus that sits
//! beside the repository.

use std::path::Path;

use copylint::{Finding, Format, Linter, Policy, Source};

use crate::common;
use proptest::prelude::*;

fn linter() -> &'static Linter {
    static LINTER: std::sync::OnceLock<Linter> = std::sync::OnceLock::new();
    LINTER.get_or_init(|| Linter::new(vec![Policy::default_policy()]).expect("it compiles"))
}

/// Words of the default policy's phrases, cut into pieces, with the markup
/// and characters that can join, hide or separate them.
fn copy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "en",
        "abl",
        "es",
        "enables",
        "access",
        "to",
        "calls",
        "on",
        "Chat",
        "GPT",
        "Open",
        "AI",
        "OpenAI",
        "o3",
        "-",
        "4",
        ".",
        "5",
        "o",
        "mini",
        "latest",
        "models",
        "frontier",
        "API",
        "powered",
        "by",
        " ",
        " ",
        "\n",
        "\n\n",
        "*",
        "**",
        "_",
        "__",
        "~~",
        "[",
        "]",
        "](x)",
        "][r]",
        "(",
        ")",
        "![a](b)",
        "<",
        ">",
        "<https://x.example/>",
        "`",
        "&#115;",
        "&#x41;",
        "&amp;",
        "&shy;",
        "&ZeroWidthSpace;",
        "\u{AD}",
        "\u{200B}",
        "\u{2060}",
        "\u{FEFF}",
        "\u{212A}",
        "\u{130}",
        "\u{2011}",
        "\u{A0}",
        "\\",
        "|",
        "---",
        "> ",
        "# ",
        "- ",
        "[^1]",
        "{x}",
        "<b>",
        "</b>",
        "<br/>",
        "<span title=\"a>b\">",
        "<x y=z>",
        "<b c*d*e>",
        "<!-- c -->",
        "<!-->",
        "--!>",
        "-->",
        "[]",
        "](x \"t)\")",
        "e.g.",
        "U.S.",
        "'s",
        "\u{2019}s",
        ":",
        "\n---\n",
        "+++\n",
        "...\n",
        "title: |\n  ",
        " \t\n",
        "\r\n\r\n",
        "\r",
        "<?x >",
        "?>",
        "<pre>",
        "</pre>",
        "<TEXTAREA>",
        "</textarea>",
        "<!DOCTYPE x",
        "<![CDATA[",
        "]]>",
        "[^a b]:",
        "\n    ",
        "\n```\n",
        "\n~~~~\n",
        "```",
        "\n<div>\n",
        "&nbsp",
        "&shy",
        "&eacute",
    ]);
    prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
}

/// A sentence of the default policy with markup, entities or invisible
/// characters inserted at random places, inside words too.
fn split_phrase() -> impl Strategy<Value = String> {
    let sentences = prop::sample::select(vec![
        "It enables access to data.",
        "Agents call on ChatGPT daily.",
        "Customers get access to OpenAI models.",
        "We use Chat GPT and GPT-5.5 here.",
        "AWS reaches the latest models with access.",
        "It is powered by OpenAI.",
        "The OpenAI API calls are routed.",
    ]);
    let inserts = prop::sample::select(vec![
        "*",
        "**",
        "_",
        "~~",
        "[",
        "]",
        "](x)",
        "][r]",
        "![a](b)",
        "<https://x/>",
        "`",
        "&#115;",
        "&shy;",
        "\u{AD}",
        "\u{200B}",
        " ",
        "\n",
        "<b>",
        "</b>",
        "<span title=\"a>b\">",
        "<!-- c -->",
        "[]",
        "][r]",
        "\\",
        "[^1]",
        "{x}",
        "|",
    ]);
    (
        sentences,
        prop::collection::vec((any::<prop::sample::Index>(), inserts), 1..5),
    )
        .prop_map(|(sentence, inserts)| {
            let mut text = sentence.to_string();
            for (at, piece) in inserts {
                let i = at.index(text.len() + 1);
                if text.is_char_boundary(i) {
                    text.insert_str(i, piece);
                }
            }
            text
        })
}

/// A sentence of the default policy cut in two by blank lines inside a
/// construct that may hold them (front matter, an HTML block that ends
/// only at a marker, a footnote label and its paragraph), or by nothing
/// that holds them, after a paragraph or not.
fn across_blank_lines() -> impl Strategy<Value = String> {
    let sentences = prop::sample::select(vec![
        "It enables access to data.",
        "Agents call on ChatGPT daily.",
        "Customers get access to OpenAI models.",
        "AWS reaches the latest models with access.",
        "The OpenAI API calls are routed.",
        "reaches the latest models.",
    ]);
    let constructs = prop::sample::select(vec![
        ("---\ntitle: x\nd: |\n  ", "\n---\n"),
        ("---\nd: >\n  ", "\n...\n"),
        ("<!-- x -->\n<!--", "-->"),
        ("<?x >", "?>"),
        ("<!DOCTYPE x\n", ">"),
        ("<![CDATA[>", "]]>"),
        ("<pre>", "</pre>"),
        ("<textarea>", "</textarea>"),
        ("<script>x</script>\n<style>", "</style>"),
        ("[^a b]:", ""),
        ("[^access x]:\n\n    It", ""),
        ("- ", ""),
        ("> ", ""),
        ("```\ncode\n```\n", ""),
        ("- a\n\n  ```\n  code\n", "\n  ```"),
        ("<div>\n```\n", "\n```"),
        ("", ""),
    ]);
    let lead = prop::sample::select(vec!["", "Intro.\n\n", "- item\n\n", "# Title\n"]);
    let gap = prop::sample::select(vec!["\n\n", "\n \t\n\n", "\r\n\r\n", "\n\n    "]);
    (
        sentences,
        constructs,
        lead,
        gap,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(sentence, (open, close), lead, gap, at)| {
            let cuts: Vec<usize> = sentence.match_indices(' ').map(|(i, _)| i).collect();
            let cut = cuts[at.index(cuts.len())];
            format!(
                "{lead}{open}{}{gap}{}{close}\n\nEnd.\n",
                &sentence[..cut],
                &sentence[cut + 1..]
            )
        })
}

fn same_with_and_without(text: &str) {
    let linter = linter();
    for (name, format) in [
        ("p.md", Format::Markdown),
        ("p.mdx", Format::Mdx),
        ("p.txt", Format::Text),
        ("p.html", Format::Html),
    ] {
        let source = Source::new(name, text, format);
        assert_eq!(
            linter.check(&source),
            linter.check_unfiltered(&source),
            "{format:?}: {text:?}"
        );
    }
}

proptest! {
    // PROPTEST_CASES raises the number of cases for a longer run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn the_prefilter_never_changes_the_findings(text in copy()) {
        same_with_and_without(&text);
    }

    #[test]
    fn nor_for_phrases_split_by_markup(text in split_phrase()) {
        same_with_and_without(&text);
    }

    #[test]
    fn nor_for_phrases_across_blank_lines(text in across_blank_lines()) {
        same_with_and_without(&text);
    }
}

#[test]
fn known_hiding_places() {
    for text in [
        "It en*abl*es access to data.",
        "It en**abl**es access to data.",
        "It [en](x)ables access to data.",
        "It en<https://x>ables access to data.",
        "We call on Chat_GPT_ and [Chat][r]GPT.",
        "We call on Chat&#x47;PT.",
        "We call on Chat\u{AD}GPT.",
        "We call on \u{212A}.",
        "We call on GPT5.5 and o3.",
        "It en<b>abl</b>es access to data.",
        "It en<span title=\"a>b\">abl</span>es access to data.",
        "It en<!-- a > b -->ables access to data.",
        "It [en][]ables access to data.",
        "It [en][r]ables access to data.\n\n[r]: https://x.example/\n[en]: https://y.example/",
        "It [en][ab](x)les access to data.\n\n[en]: https://y.example/",
        "We call on Chat[^1]GPT.\n\n[^1]: A note.",
        "It en&shyables access to data.",
        "We call on Open&nbspAI.",
        "We call on &nbspOpenAI.",
        "<div>We call on Open&nbspAI.</div>",
        "AWS reaches the latest mo<!--<h<!-- c -->ttps://x/> c -->dels with access.",
    ] {
        same_with_and_without(text);
    }
    // HTML ends a legacy reference without its `;`: these are findings.
    for text in ["It en&shyables access to data.", "We call on Open&nbspAI."] {
        let source = Source::new("p.html", text, Format::Html);
        assert!(!linter().check(&source).is_empty(), "{text}");
    }
    let source = Source::new("p.md", "It en*abl*es access to data.", Format::Markdown);
    assert_eq!(linter().check(&source).len(), 1);
}

/// The findings of Markdown `text`, the same with and without the
/// prefilter.
fn findings_either_way(text: &str) -> Vec<Finding> {
    let source = Source::new("p.md", text, Format::Markdown);
    let findings = linter().check(&source);
    assert_eq!(findings, linter().check_unfiltered(&source), "{text:?}");
    findings
}

/// Markdown `text` gives one finding, the same with and without the
/// prefilter.
fn one_finding_either_way(text: &str) {
    let findings = findings_either_way(text);
    assert_eq!(findings.len(), 1, "{text:?}: {findings:?}");
}

/// Words that only markup makes, with no anchor written in the raw text
/// (the prefilter looks for a few of each rule's words first): in a file
/// with no anchor, and in a chunk without one next to a chunk with one.
#[test]
fn anchors_that_only_markup_makes() {
    for text in [
        "We call on O*pen*AI.",
        "We call on [Ch](x)atGPT.",
        "We call on D<b>ALL</b>-E.",
        "Some ChatGPT history.\n\nWe call on O*pen*AI.",
        "We call on O*pen*AI.\n\nSome ChatGPT history.",
    ] {
        let findings = findings_either_way(text);
        assert!(
            findings.iter().any(|f| &*f.rule == "calls-on-openai"),
            "{text:?}: {findings:?}"
        );
    }
}

/// Blocks that hold blank lines: the prefilter reads a file chunk by chunk,
/// cut at blank lines, so each of these must be read as one chunk.
#[test]
fn blocks_that_hold_blank_lines() {
    for text in [
        "Intro.\n\n---\ntitle: x\nd: |\n  It enables\n\n  access to data\n---\n",
        "Intro.\n\n<?x > It enables\n\naccess to data ?>\n",
        "Intro.\n\n<textarea>It enables\n\naccess to data</textarea>\n",
        "Intro.\n\n<!-- a --!> It enables\n\naccess to data -->\n",
        "Intro.\n\n[^access x]:\n\n    It reaches OpenAI's latest models.\n\nx[^access x]\n",
    ] {
        one_finding_either_way(text);
    }
}

#[test]
#[ignore = "needs the shared corpus (../shared/corpus or $COPYLINT_CORPUS)"]
fn over_the_shared_corpus() {
    let corpus = common::corpus();
    let mut files = 0;
    for path in walk(&corpus) {
        let path = path.as_path();
        let Some(format) = Format::from_extension(path) else {
            continue;
        };
        let source =
            Source::from_bytes(path.to_string_lossy(), std::fs::read(path).unwrap(), format);
        assert_eq!(
            linter().check(&source),
            linter().check_unfiltered(&source),
            "{}",
            path.display()
        );
        files += 1;
    }
    assert!(files > 1000, "only {files} files in the corpus");
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Lines that look like code fences but hold prose: the prefilter leaves
/// out only code fenced at the margin, where nothing else can hold it.
#[test]
fn fences_that_hold_prose() {
    for text in [
        "<div>\n```\nIt enables access to data.\n```\n</div>\n",
        "Intro.\n\n<?x >\n\n```\nIt enables access to data.\n```\n?>\n",
        "- a\n\n  ```\n  code\nIt enables access to data.\n  ```\n",
        "``` a`b It enables access to data.\n",
        "```\ncode\n```\rIt enables access to data.\n",
        "~~~\ncode\n~~~~\nIt enables access to data.\n```\n",
        "<\n```\n\n```\nIt enables access to data.\n",
        "```\ncode\n    ```\n```\nIt enables access to data.\n",
        "```\ncode\n```\t\n```\nIt enables access to data.\n",
        "~~~\r~~~\ncode\n~~~\nIt enables access to data.\n",
    ] {
        one_finding_either_way(text);
    }
    let fenced = Source::new(
        "p.md",
        "```\nIt enables access to data.\n```\n",
        Format::Markdown,
    );
    assert!(linter().check(&fenced).is_empty(), "code is no prose");
}

/// Reading stops after the last chunk that may match, unless the file may
/// hold a directive: whether a directive is one depends on the code around
/// it, to the end of the file.
#[test]
fn directives_after_the_last_chunk_that_may_match() {
    let text = "It enables access to data.\n\nMore.\n\n```\n<!-- copylint-disable-file -->\n```\n";
    let source = Source::new("p.md", text, Format::Markdown);
    assert_eq!(
        linter().check(&source).len(),
        1,
        "an example is not a directive"
    );
    let text = text.replace("```", "");
    let source = Source::new("p.md", &text, Format::Markdown);
    assert!(linter().check(&source).is_empty(), "a directive is obeyed");
}

/// The prefilter's contract, construct by construct (see the design note
/// at the top of the prefilter module): each raw-byte predicate it relies
/// on is checked against what extraction makes of the same bytes.
mod contract {
    use super::*;

    /// Sentences of the default policy whose words the constructs cut.
    const SENTENCES: [&str; 5] = [
        "It enables access to data.",
        "Agents call on ChatGPT daily.",
        "We call on OpenAI now.",
        "It is powered by OpenAI.",
        "We use GPT-4o here.",
    ];

    /// Every character reference the tokenizer knows, with and without
    /// its `;` where it has both, in place of a letter and between two:
    /// the ones that decode to letters (`&#x4F;`, `&fjlig;`, `&Idot;`) or
    /// to nothing (`&shy;`, `&ZeroWidthSpace;`) must be markers, legacy
    /// ones without `;` must join.
    #[test]
    fn character_references() {
        let names = include_str!("../fixtures/entities/names.txt");
        for name in names.lines() {
            let r = format!("&{name}");
            for text in [
                format!("It en{r}ables access to data."),
                format!("We call on OpenA{r} now."),
                format!("We call on {r}penAI now."),
                format!("Agents call on Chat{r}GPT daily."),
            ] {
                same_with_and_without(&text);
            }
        }
        for text in [
            "We call on OpenA&Idot; now.",
            "We call on &#x4F;penAI now.",
            "It en&shy;ables access to data.",
        ] {
            let source = Source::new("p.html", text, Format::Html);
            assert!(!linter().check(&source).is_empty(), "{text}");
        }
    }

    /// `text` with `inserts` put at character boundaries `at` picks.
    fn inserted(text: &str, inserts: Vec<(prop::sample::Index, &str)>) -> String {
        let mut text = text.to_string();
        for (at, piece) in inserts {
            let i = at.index(text.len() + 1);
            if text.is_char_boundary(i) {
                text.insert_str(i, piece);
            }
        }
        text
    }

    fn cut_by(inserts: Vec<&'static str>) -> impl Strategy<Value = String> {
        (
            prop::sample::select(SENTENCES.to_vec()),
            prop::collection::vec(
                (any::<prop::sample::Index>(), prop::sample::select(inserts)),
                1..4,
            ),
        )
            .prop_map(|(sentence, inserts)| inserted(sentence, inserts))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(500)
        ))]

        /// Tags, comments and the like inside words (HTML, and inline HTML
        /// in Markdown): the ones whose end is certain join the words
        /// around them, the others send the file to the full check.
        #[test]
        fn tags_and_comments_inside_words(text in cut_by(vec![
            "<b>", "</b>", "<br>", "<span title=\"a>b\">", "<a href='x'>", "<x y=z>",
            "<!-- c -->", "<!---->", "<!-->", "</>", "<![CDATA[x]]>", "<?x>", "<!x>",
            "<b c*d*e>", "</b x>", "<img alt=\"It enables access\">", "<sup>1</sup>",
            "<script>x</script>", "<noscript>", "<textarea>", "</textarea>", "<",
        ])) {
            same_with_and_without(&text);
        }

        /// MDX: expressions, ESM and JSX tags, masked before Markdown reads
        /// the rest.
        #[test]
        fn mdx_masking(text in cut_by(vec![
            "{x}", "{'a}b'}", "<Foo />", "<Foo a=\"b\">", "</Foo>", "<Foo alt=\"It enables access\" />",
            "\nimport x from 'y'\n", "\nexport const a = 1\n", "{/* c */}", "<>", "</>",
        ])) {
            same_with_and_without(&text);
        }

        /// Markdown escapes and emphasis: an escaped delimiter is text, an
        /// escaped `&` keeps a reference from being read.
        #[test]
        fn markdown_escapes(text in cut_by(vec![
            "\\*", "\\_", "\\[", "\\]", "\\&", "\\\\", "\\<", "\\`", "*", "_", "&amp;",
            "\\&shy;", "&shy;", "\\&#65;", "&#65;", "`", "``",
        ])) {
            same_with_and_without(&text);
        }
    }
}
