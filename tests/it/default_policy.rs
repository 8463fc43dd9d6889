//! The default policy, rule by rule, through the real binary.

use crate::common;
use common::*;

fn only(text: &str) -> Vec<(String, String, String)> {
    rules(&check_txt(text))
}

#[test]
fn enables_access_is_an_error_before_an_openai_term() {
    assert_eq!(
        only("The SRE enables access to ChatGPT for agents."),
        [triple("enables-access", "error", "enables access to")]
    );
    for verb in ["enable", "enables", "enabled", "enabling"] {
        let got = only(&format!("It {verb} access to GPT-4o."));
        assert_eq!(got[0].0, "enables-access", "{verb}");
        assert_eq!(got[0].1, "error", "{verb}");
    }
}

#[test]
fn enables_access_is_a_warning_alone_or_with_openai_before_it_or_in_another_sentence() {
    assert_eq!(
        only("The SRE enables access to enterprise data."),
        [triple("enables-access", "warning", "enables access to")]
    );
    let got =
        only("Built with OpenAI, the SRE enables access to data. ChatGPT is elsewhere today.");
    assert_eq!(
        got,
        [
            triple("enables-access", "warning", "enables access to"),
            triple("unapproved-mention", "info", "ChatGPT"),
        ]
    );
}

#[test]
fn enables_access_suggests_the_approved_phrasings() {
    let r = run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--format", "json", "-"],
        b"It enables access to ChatGPT.",
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["diagnostics"][0]["suggestions"],
        serde_json::json!([
            "powered by OpenAI",
            "enabled by OpenAI",
            "integrates with OpenAI"
        ])
    );
}

#[test]
fn calls_on_openai() {
    for (text, matched) in [
        ("Agents calls on ChatGPT daily.", "calls on ChatGPT"),
        (
            "We are calling the OpenAI models now.",
            "calling the OpenAI models",
        ),
        ("Developers call into GPT-4o.", "call into GPT-4o"),
        (
            "It called upon OpenAI's models.",
            "called upon OpenAI's models",
        ),
        ("Teams call GPT-5 directly.", "call GPT-5"),
    ] {
        assert_eq!(
            only(text),
            [triple("calls-on-openai", "error", matched)],
            "{text}"
        );
    }
    assert!(only("Call on your account team.").is_empty());
}

#[test]
fn access_to_openai() {
    assert_eq!(
        only("It gives agents direct access to ChatGPT."),
        [triple("access-to-openai", "error", "access to ChatGPT")]
    );
    assert_eq!(
        only("Customers get access to the OpenAI models."),
        [triple(
            "access-to-openai",
            "error",
            "access to the OpenAI models"
        )]
    );
    assert!(only("Agents get access to enterprise data.").is_empty());
}

#[test]
fn frontier_model_claim_needs_an_openai_name_in_the_clause() {
    // Reaching the models is the access claim, which covers the words.
    assert_eq!(
        only("AWS reaches OpenAI's most advanced frontier models."),
        [triple(
            "access-to-openai",
            "error",
            "reaches OpenAI's most advanced frontier models"
        )]
    );
    assert_eq!(
        only("OpenAI's most capable models, inside your VPC."),
        [triple(
            "frontier-model-claim",
            "error",
            "OpenAI's most capable models"
        )]
    );
    // Superlatives with no OpenAI name are not about OpenAI's models.
    assert!(only("Agents get access to the latest models.").is_empty());
    assert!(only("Teams accessing state-of-the-art models move faster.").is_empty());
    assert!(only("We test the latest models each quarter.").is_empty());
    assert!(
        only("We test the latest models. OpenAI is elsewhere.")
            .iter()
            .all(|r| r.0 != "frontier-model-claim")
    );
}

#[test]
fn api_calls_need_an_openai_term() {
    // Calls to the models are the call claim.
    assert_eq!(
        only("The SRE makes API calls to OpenAI's models."),
        [triple(
            "calls-on-openai",
            "error",
            "API calls to OpenAI's models"
        )]
    );
    assert_eq!(
        only("Agents get API access with ChatGPT in the loop."),
        [triple(
            "api-access-claim",
            "warning",
            "API access with ChatGPT"
        )]
    );
    assert!(only("The SRE makes API calls to your services.").is_empty());
    // A denial is not a claim.
    assert!(
        only("The SRE makes no API calls to OpenAI's models.")
            .iter()
            .all(|(_, severity, _)| severity == "info")
    );
}

#[test]
fn unapproved_mention_only_outside_approved_phrases_and_busy_sentences() {
    assert_eq!(
        only("Our agents mention ChatGPT."),
        [triple("unapproved-mention", "info", "ChatGPT")]
    );
    // Using a model is a claim of its own, a warning.
    assert_eq!(
        only("Our agents use ChatGPT."),
        [triple("use-of-openai", "warning", "use ChatGPT")]
    );
    assert!(only("The SRE is powered by OpenAI's models.").is_empty());
    assert!(only("It is enabled by OpenAI. It integrates with OpenAI.").is_empty());
    // The approved phrasings name the company, not a product.
    assert_eq!(
        only("It is integrated with ChatGPT."),
        [triple("unapproved-mention", "info", "ChatGPT")]
    );
    // The sentence already has a finding: no mention on top of it.
    assert_eq!(
        only("It enables access to GPT-4o and ChatGPT."),
        [triple("enables-access", "error", "enables access to")]
    );
    // Each mention in a sentence with no other finding.
    assert_eq!(
        only("OpenAI and Open AI and GPT-4.1 and GPT-3.5."),
        [
            triple("unapproved-mention", "info", "OpenAI"),
            // A misspelt name is reported as such, and still mentioned.
            triple("openai-spelling", "warning", "Open AI"),
            triple("unapproved-mention", "info", "Open AI"),
            triple("unapproved-mention", "info", "GPT-4.1"),
            triple("unapproved-mention", "info", "GPT-3.5"),
        ]
    );
}

#[test]
fn openai_term_set_covers_the_model_names() {
    for term in [
        "OpenAI",
        "OpenAI's",
        "ChatGPT",
        "GPT-3.5",
        "GPT-4",
        "GPT-4o",
        "GPT-4.1",
        "GPT-5",
        "GPT-5.1",
        "OpenAI models",
        "OpenAI's models",
    ] {
        let got = only(&format!("The brief names {term} today."));
        assert_eq!(got, [triple("unapproved-mention", "info", term)], "{term}");
    }
}

#[test]
fn approved_phrases_exempt_matches_inside_them() {
    for text in [
        "Powered by OpenAI.",
        "Enabled by OpenAI.",
        "It integrates with OpenAI.",
        "Integrated with OpenAI.",
        "Integrating with OpenAI is easy.",
        "We integrate with OpenAI.",
    ] {
        assert!(only(text).is_empty(), "{text}");
    }
}

#[test]
fn messages_cite_what_was_written() {
    let r = run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--format", "short", "--stdin-filename", "a.md", "-"],
        b"Agents **call on** ChatGPT.",
    );
    assert!(r.stdout.contains("\"call on ChatGPT\""), "{}", r.stdout);
    assert!(r.stdout.contains("guidance"), "{}", r.stdout);
}
