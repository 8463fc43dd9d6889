//! The matching rules: case, whole words, normalization, sentences.

use crate::common;
use common::*;

/// The rules that fired, but for spelling (tests/it/terms.rs).
fn found(text: &str) -> Vec<String> {
    check_txt(text)
        .into_iter()
        .map(|d| d.rule)
        .filter(|rule| !rule.ends_with("-spelling"))
        .collect()
}

#[test]
fn case_insensitive() {
    assert_eq!(found("It ENABLES Access TO chatgpt."), ["enables-access"]);
}

#[test]
fn whole_words_only() {
    assert!(found("It reenables access to data.").is_empty());
    assert!(found("It enables access tokens.").is_empty());
    assert!(found("It enables access to2 data.").is_empty());
    assert_eq!(found("(enables access to)"), ["enables-access"]);
}

#[test]
fn whitespace_runs_are_one_space() {
    for ws in [
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\u{A0}",
        "\u{202F}",
        "\u{2003}",
        " \u{A0}\t ",
    ] {
        assert_eq!(
            found(&format!("It enables{ws}access to data.")),
            ["enables-access"],
            "{ws:?}"
        );
    }
}

#[test]
fn curly_quotes_are_straight() {
    let got = check_txt("Agents call on OpenAI\u{2019}s models.");
    assert_eq!(got[0].rule, "calls-on-openai");
    assert_eq!(got[0].matched, "call on OpenAI\u{2019}s models");
    let got = check_txt("Agents call on OpenAI\u{2018}s models.");
    assert_eq!(got[0].matched, "call on OpenAI\u{2018}s models");
}

#[test]
fn dashes_are_hyphens() {
    for dash in ['\u{2013}', '\u{2014}', '\u{2212}', '\u{2011}'] {
        let got = check_txt(&format!("Agents call GPT{dash}4o."));
        assert_eq!(got.len(), 1, "{dash:?}");
        assert_eq!(got[0].matched, format!("call GPT{dash}4o"));
    }
}

#[test]
fn invisible_characters_are_dropped() {
    for c in [
        '\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
    ] {
        let got = check_txt(&format!("It en{c}ables access to data."));
        assert_eq!(got.len(), 1, "{c:?}");
        assert_eq!(got[0].matched, format!("en{c}ables access to"));
    }
}

#[test]
fn html_entities_in_markdown_are_decoded() {
    let got = check_md("It enables&nbsp;access to data.\n\nIt call&#115; on ChatGPT.\n");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].matched, "enables&nbsp;access to");
    assert_eq!(got[1].matched, "call&#115; on ChatGPT");
    // In plain text an entity is just text.
    assert!(check_txt("It enables&nbsp;access to data.").is_empty());
}

#[test]
fn sentences_end_at_terminal_punctuation_followed_by_space() {
    // Context does not cross a sentence end...
    for end in [". ", "! ", "? ", ".\n"] {
        let got = check_txt(&format!(
            "It enables access to data{end}ChatGPT is separate."
        ));
        assert_eq!(got[0].severity, "warning", "{end:?}");
    }
    // ...but a dot inside a token does not end one.
    let got = check_txt("It enables access to v2.5 and GPT-4.1 together.");
    assert_eq!(got[0].severity, "error");
}

#[test]
fn context_never_crosses_a_block() {
    let got = check_txt("It enables access to\n\nChatGPT.");
    assert_eq!(
        got.iter().map(|d| d.severity.as_str()).collect::<Vec<_>>(),
        ["warning", "info"]
    );
}

#[test]
fn a_sentence_ends_inside_closing_quotes_and_brackets() {
    let got = check_txt(
        "A customer said \u{201C}it enables access to our data.\u{201D} Our SRE is powered by OpenAI.",
    );
    assert_eq!(got[0].severity, "warning");
    let got = check_txt("Ask (what are the latest models?) Access is easy.");
    assert!(got.is_empty(), "{got:?}");
}

/// Found by fuzzing: `İ` lowercases to `i` plus a combining dot, and a phrase
/// ending in `i` once matched with its span ending inside that character.
#[test]
fn dotted_capital_i_is_a_plain_i() {
    let got = check_txt("Agents use OpenA\u{130} now.");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].matched, "OpenA\u{130}");
    assert!(check_txt("Agents call on OpenA\u{130}x.").is_empty());
}
