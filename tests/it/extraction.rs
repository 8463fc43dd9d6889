//! What Markdown and text extraction checks, and the exact positions it
//! reports.

use crate::common;
use common::*;

fn found_md(text: &str) -> Vec<String> {
    check_md(text).into_iter().map(|d| d.matched).collect()
}

const PHRASE: &str = "calls on ChatGPT";

#[test]
fn checks_every_kind_of_prose() {
    let cases = [
        ("paragraph", format!("Agents {PHRASE}.\n")),
        ("heading", format!("# Agents {PHRASE}\n")),
        ("setext heading", format!("Agents {PHRASE}\n===\n")),
        ("list item", format!("- Agents {PHRASE}\n")),
        ("ordered item", format!("1. Agents {PHRASE}\n")),
        ("block quote", format!("> Agents {PHRASE}\n")),
        (
            "table cell",
            format!("| a | b |\n|---|---|\n| x | Agents {PHRASE} |\n"),
        ),
        ("emphasis", format!("Agents *{PHRASE}*.\n")),
        ("strong", format!("Agents **{PHRASE}**.\n")),
        ("strikethrough", format!("Agents ~~{PHRASE}~~.\n")),
        (
            "link text",
            format!("Agents [{PHRASE}](https://x.example/).\n"),
        ),
        ("image alt", format!("![Agents {PHRASE}](a.png)\n")),
        ("footnote", format!("Text[^1].\n\n[^1]: Agents {PHRASE}.\n")),
        (
            "front matter title",
            format!("---\ntitle: Agents {PHRASE}\n---\nBody.\n"),
        ),
        (
            "front matter description",
            format!("---\ndescription: \"Agents {PHRASE}\"\n---\n"),
        ),
    ];
    for (what, md) in cases {
        assert_eq!(found_md(&md), [PHRASE], "{what}");
    }
}

#[test]
fn skips_code_html_destinations_and_keys() {
    let cases = [
        ("fenced code", format!("```\nAgents {PHRASE}\n```\n")),
        ("tilde fence", format!("~~~md\nAgents {PHRASE}\n~~~\n")),
        ("indented code", format!("Intro.\n\n    Agents {PHRASE}\n")),
        ("inline code", format!("Agents `{PHRASE}` here.\n")),
        (
            "link destination",
            "See [docs](https://x.example/calls-on-ChatGPT \"calls on ChatGPT\").\n".to_string(),
        ),
        (
            "image destination",
            "![logo](calls%20on%20ChatGPT.png)\n".to_string(),
        ),
        ("autolink", "<https://openai.example/chatgpt>\n".to_string()),
        ("email autolink", "<chatgpt@openai.example>\n".to_string()),
        (
            "link destination with terms",
            "[docs](https://openai.example/chatgpt)\n".to_string(),
        ),
        ("html comment", format!("<!-- Agents {PHRASE} -->\n")),
        (
            "inline html comment",
            format!("Text <!-- {PHRASE} --> more.\n"),
        ),
        (
            "front matter key",
            "---\ncalls on ChatGPT: x\n---\n".to_string(),
        ),
    ];
    for (what, md) in cases {
        assert!(found_md(&md).is_empty(), "{what}: {:?}", check_md(&md));
    }
}

#[test]
fn joins_across_soft_breaks_and_inline_markup() {
    assert_eq!(
        found_md("It **enables** access to data.\n"),
        ["enables** access to"]
    );
    assert_eq!(
        found_md("It [enables access](/x) to data.\n"),
        ["enables access](/x) to"]
    );
    assert_eq!(
        found_md("It enables\naccess to data.\n"),
        ["enables access to"]
    );
    assert_eq!(
        found_md("> It enables\n> access to data.\n"),
        ["enables > access to"]
    );
}

#[test]
fn never_joins_across_blocks() {
    let cases = [
        "It enables\n\naccess to data.\n",
        "# It enables\naccess to data.\n",
        "- It enables\n- access to data.\n",
        "> It enables\n\naccess to data.\n",
        "| It enables | access to data |\n|---|---|\n",
    ];
    for md in cases {
        assert!(found_md(md).is_empty(), "{md:?}");
    }
}

#[test]
fn plain_text_blocks_and_line_breaks() {
    assert_eq!(check_txt("It enables\naccess to data.").len(), 1);
    assert!(check_txt("It enables\n\naccess to data.").is_empty());
    assert!(check_txt("It enables\n  \t\naccess to data.").is_empty());
    // Markdown syntax is just text in a .txt file.
    assert_eq!(check_txt("```\nAgents calls on ChatGPT\n```").len(), 1);
}

#[test]
fn positions_count_characters_and_survive_crlf() {
    let d = &check_txt("🙂日本 calls on ChatGPT")[0];
    assert_eq!((d.line, d.column), (1, 5));
    assert_eq!((d.end_line, d.end_column), (1, 21));
    assert_eq!((d.offset, d.end_offset), (11, 27));

    let d = &check_md("Intro.\r\n\r\n🙂 It enables\r\naccess to data.\r\n")[0];
    assert_eq!((d.line, d.column), (3, 6));
    assert_eq!((d.end_line, d.end_column), (4, 10));
    assert_eq!(d.matched, "enables access to");
}

#[test]
fn offsets_are_bytes_of_the_file() {
    let text = "Ünïcödé first.\n\nAgents calls on ChatGPT.";
    let d = &check_txt(text)[0];
    assert_eq!(&text[d.offset as usize..d.end_offset as usize], PHRASE);
}

#[test]
fn mdx_is_markdown() {
    assert_eq!(
        check_as("page.mdx", "Agents `calls on ChatGPT`.\n").len(),
        0
    );
    assert_eq!(
        check_as("page.markdown", "# Agents calls on ChatGPT\n").len(),
        1
    );
    assert_eq!(check_as("page.text", "`calls on ChatGPT`").len(), 1);
}

#[test]
fn inline_html_separates_words() {
    assert_eq!(
        found_md("Powered by OpenAI<br>access to ChatGPT.\n"),
        ["access to ChatGPT"]
    );
    assert_eq!(
        found_md("It calls on ChatGPT<sup>1</sup> daily.\n"),
        ["calls on ChatGPT"]
    );
}

#[test]
fn hard_breaks_read_as_spaces_in_messages() {
    let r = run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--format", "short", "--stdin-filename", "a.md", "-"],
        b"It calls\\\non ChatGPT.\n",
    );
    assert!(r.stdout.contains("\"calls on ChatGPT\""), "{}", r.stdout);
}
