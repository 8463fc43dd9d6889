//! What writers actually write, against the default policy: spelling
//! variants of names, verb forms and adverbs, version families, synonyms
//! of "frontier", the approved phrasings of the memo, abbreviations in
//! sentences, addresses, and Markdown corners. Each case runs the binary.

use crate::common;
use common::*;

/// The claim rules' findings: how names are spelt is the term rules'
/// business, tested in tests/it/terms.rs, and left out here.
fn claims(diags: Vec<Diag>) -> Vec<(String, String, String)> {
    let claims: Vec<Diag> = diags
        .into_iter()
        .filter(|d| !d.rule.ends_with("-spelling"))
        .collect();
    rules(&claims)
}

fn txt(text: &str) -> Vec<(String, String, String)> {
    claims(check_txt(text))
}

fn md(text: &str) -> Vec<(String, String, String)> {
    claims(check_md(text))
}

#[test]
fn spacing_and_hyphenation_variants_of_names_are_names() {
    assert_eq!(
        txt("The SRE brings Chat GPT to your data"),
        [triple("access-to-openai", "error", "brings Chat GPT")]
    );
    assert_eq!(
        txt("It enables access to Chat GPT."),
        [triple("enables-access", "error", "enables access to")]
    );
    for (text, matched) in [
        ("Agents call on Chat-GPT.", "call on Chat-GPT"),
        ("Agents call on chatgpt.", "call on chatgpt"),
        ("Agents call on Open AI.", "call on Open AI"),
        ("Agents call on Open-AI.", "call on Open-AI"),
        ("Agents call on GPT 4o.", "call on GPT 4o"),
        ("Agents call on GPT4o.", "call on GPT4o"),
    ] {
        assert_eq!(
            txt(text),
            [triple("calls-on-openai", "error", matched)],
            "{text}"
        );
    }
}

#[test]
fn variants_count_in_approved_phrases() {
    assert!(txt("The SRE is powered by Open AI.").is_empty());
    assert!(txt("The SRE integrates with Open-AI's models.").is_empty());
}

#[test]
fn verb_forms_of_access_are_the_access_claim() {
    for (text, matched) in [
        (
            "Customers can access OpenAI models.",
            "access OpenAI models",
        ),
        ("Agents accessing ChatGPT keep state.", "accessing ChatGPT"),
        ("The runtime accesses GPT-5 daily.", "accesses GPT-5"),
        (
            "Access OpenAI's frontier models on AWS.",
            "Access OpenAI's frontier models",
        ),
    ] {
        let got = txt(text);
        assert_eq!(
            got[0],
            triple("access-to-openai", "error", matched),
            "{text}"
        );
    }
}

#[test]
fn adverbs_between_verb_and_object() {
    assert_eq!(
        txt("Customers can now directly access GPT on AWS."),
        [triple("access-to-openai", "error", "access GPT")]
    );
    assert_eq!(
        txt("Each agent calls directly on ChatGPT."),
        [triple(
            "calls-on-openai",
            "error",
            "calls directly on ChatGPT"
        )]
    );
    assert_eq!(
        txt("The SRE gives you direct, secure access to GPT-5."),
        [triple("access-to-openai", "error", "access to GPT-5")]
    );
}

#[test]
fn model_names_are_matched_with_their_whole_version() {
    assert_eq!(
        txt("GPT-5.5 and GPT-5.4 came out this year."),
        [
            triple("unapproved-mention", "info", "GPT-5.5"),
            triple("unapproved-mention", "info", "GPT-5.4"),
        ]
    );
    for name in [
        "GPT-4o",
        "GPT-4.1-mini",
        "GPT-6",
        "o3-pro",
        "o4-mini-high",
        "GPT-3.5-turbo-0613",
    ] {
        assert_eq!(
            txt(&format!("Teams call {name} daily.")),
            [triple("calls-on-openai", "error", &format!("call {name}"))],
            "{name}"
        );
    }
    // An adjective made with a hyphen is not part of the version.
    assert_eq!(
        txt("We ship GPT-5-based tools."),
        [triple("access-to-openai", "error", "ship GPT-5")]
    );
}

#[test]
fn synonyms_of_frontier_make_the_frontier_claim() {
    assert_eq!(
        txt("AWS has secured access to OpenAI's premier models."),
        [triple(
            "access-to-openai",
            "error",
            "access to OpenAI's premier models"
        )]
    );
    for claim in [
        "flagship models",
        "leading models",
        "top models",
        "best models",
        "most powerful models",
        "flagship model",
    ] {
        let got = txt(&format!("The {claim} of OpenAI, for every team."));
        assert!(
            got.contains(&triple(
                "frontier-model-claim",
                "error",
                &format!("{claim} of OpenAI")
            )),
            "{claim}: {got:?}"
        );
        // Without OpenAI or access in the sentence, no claim.
        assert!(
            txt(&format!("We test the {claim} we build.")).is_empty(),
            "{claim}"
        );
    }
}

#[test]
fn only_the_memos_phrasings_are_approved() {
    for ok in [
        "The SRE is powered by OpenAI.",
        "The SRE is enabled by OpenAI.",
        "The SRE integrates with OpenAI.",
        "The SRE is integrated with OpenAI.",
        "The SRE, integrating with OpenAI, keeps state.",
        "The SRE is powered by OpenAI's models.",
        "An OpenAI-powered runtime.",
        "An OpenAI-enabled runtime.",
        "An OpenAI-integrated runtime.",
    ] {
        assert!(txt(ok).is_empty(), "{ok}: {:?}", txt(ok));
    }
    assert_eq!(
        txt("The SRE is powered by ChatGPT."),
        [triple("access-to-openai", "error", "ChatGPT")]
    );
    assert_eq!(
        txt("The SRE is powered by GPT-5."),
        [triple("access-to-openai", "error", "GPT-5")]
    );
}

#[test]
fn abbreviations_do_not_end_sentences() {
    // "e.g." never ends one: the context after it still counts.
    assert_eq!(
        txt("Our agents enable access to tools, e.g. ChatGPT."),
        [triple("enables-access", "error", "enable access to")]
    );
    // Titles never do.
    assert_eq!(
        txt("Dr. Smith enables access to ChatGPT."),
        [triple("enables-access", "error", "enables access to")]
    );
    // "etc." before a lower-case word does not; before a capital it does.
    assert_eq!(
        txt("It enables access to tools etc. and ChatGPT."),
        [triple("enables-access", "error", "enables access to")]
    );
    assert_eq!(
        txt("It enables access to tools etc. ChatGPT is elsewhere."),
        [
            triple("enables-access", "warning", "enables access to"),
            triple("unapproved-mention", "info", "ChatGPT"),
        ]
    );
    // "U.S." before a digit does not end a sentence.
    assert_eq!(
        txt("It enables access to U.S. 2 regions through ChatGPT."),
        [triple("enables-access", "error", "enables access to")]
    );
}

#[test]
fn addresses_are_not_mentions() {
    assert!(md("[openai.com](https://openai.com)").is_empty());
    assert!(md("Write to help@openai.com or see chat.openai.com/x today.").is_empty());
    assert!(txt("See https://platform.openai.com/docs for more.").is_empty());
    // A name at the end of a sentence is still a name.
    assert_eq!(
        txt("We use OpenAI. Next."),
        [triple("unapproved-mention", "info", "OpenAI")]
    );
}

#[test]
fn an_image_separates_words() {
    assert_eq!(
        md("![logo](a.png)calls on ChatGPT daily."),
        [triple("calls-on-openai", "error", "calls on ChatGPT")]
    );
    assert_eq!(
        md("Each agent calls on ChatGPT![logo](a.png) daily."),
        [triple("calls-on-openai", "error", "calls on ChatGPT")]
    );
    assert_eq!(
        md("| a | b |\n|---|---|\n| x | calls on ChatGPT![logo](a.png) daily |\n"),
        [triple("calls-on-openai", "error", "calls on ChatGPT")]
    );
    assert_eq!(
        md("See [calls on ChatGPT![logo](a.png)](/x) daily."),
        [triple("calls-on-openai", "error", "calls on ChatGPT")]
    );
    // The alt text is a word of its own.
    assert_eq!(
        md("Agents call on ![ChatGPT](a.png)daily."),
        [triple("calls-on-openai", "error", "call on ![ChatGPT")]
    );
}

#[test]
fn a_table_header_without_a_leading_pipe_ends_the_paragraph() {
    let got = check_md("The agent calls on\nChatGPT | Notes |\n--- | ---\n");
    assert_eq!(
        rules(&got),
        [triple("unapproved-mention", "info", "ChatGPT")]
    );
    assert_eq!((got[0].line, got[0].column), (2, 1));
    // Positions after the table stay exact.
    let got = check_md("Intro\nA | B\n--- | ---\nx | y\n\nWe call on ChatGPT.\n");
    assert_eq!(
        rules(&got),
        [triple("calls-on-openai", "error", "call on ChatGPT")]
    );
    assert_eq!((got[0].line, got[0].column), (6, 4));
}

#[test]
fn a_footnote_label_with_spaces_is_text() {
    let got = check_md("Intro.\n\n[^calls on ChatGPT 1]: a note\n");
    assert_eq!(
        rules(&got),
        [triple("calls-on-openai", "error", "calls on ChatGPT")]
    );
    assert_eq!((got[0].line, got[0].column), (3, 3));
    // A label without spaces is a footnote, whose text is checked.
    assert!(check_md("Text[^1].\n\n[^1]: powered by OpenAI\n").is_empty());
}
