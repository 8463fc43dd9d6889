//! The default policy's claim rules against the labelled dev set in
//! `tests/claims/`: collateral rewritten from public sources, labelled
//! `claim`, `clean` or `ambiguous`, split by source into a tuning half and
//! a held-out half (see `tests/claims/README.md`).
//!
//! An item counts as flagged when any rule other than a spelling rule
//! reports an error or a warning in it. The test prints precision and
//! recall for every batch, and whether the held-out goal (recall of at
//! least 90%, at most 2% of clean items flagged) is met; it fails when the
//! held-out figures fall below those reached so far.
//!
//! `COPYLINT_CLAIMS_SHOW=tune cargo test --test it claims:: -- --nocapture`
//! lists the tuning half's misses and false alarms with their findings.

use copylint::policy::RuleKind;
use copylint::{Format, Linter, Policy, Severity, Source};
use serde::Deserialize;

#[derive(Deserialize)]
struct Item {
    id: String,
    label: String,
    hard: Option<String>,
    open_weight: bool,
    text: String,
}

fn items(half: &str) -> Vec<Item> {
    let path = format!("{}/tests/claims/{half}.jsonl", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{path}: {e}: {l}")))
        .collect()
}

#[derive(Default, Debug)]
struct Figures {
    claims: usize,
    found: usize,
    open_weight: usize,
    open_weight_found: usize,
    clean: usize,
    false_alarms: usize,
    hard: usize,
    hard_alarms: usize,
    ambiguous: usize,
    ambiguous_flagged: usize,
}

impl Figures {
    fn recall(&self) -> f64 {
        self.found as f64 / self.claims.max(1) as f64
    }

    fn false_alarm_rate(&self) -> f64 {
        self.false_alarms as f64 / self.clean.max(1) as f64
    }

    fn precision(&self) -> f64 {
        self.found as f64 / (self.found + self.false_alarms).max(1) as f64
    }
}

fn measure(linter: &Linter, half: &str, show: bool) -> Figures {
    let spelling: Vec<String> = linter
        .rules()
        .filter(|(_, r)| r.kind == RuleKind::Term)
        .map(|(_, r)| r.id.to_string())
        .collect();
    let mut f = Figures::default();
    for item in items(half) {
        let source = Source::new(
            format!("{}.md", item.id),
            item.text.as_str(),
            Format::Markdown,
        );
        let findings = linter.check(&source);
        let flagged: Vec<_> = findings
            .iter()
            .filter(|x| x.severity >= Severity::Warning && !spelling.contains(&x.rule.to_string()))
            .collect();
        let hit = !flagged.is_empty();
        let wrong = match item.label.as_str() {
            "claim" => {
                f.claims += 1;
                f.found += usize::from(hit);
                if item.open_weight {
                    f.open_weight += 1;
                    f.open_weight_found += usize::from(hit);
                }
                !hit
            }
            "clean" => {
                f.clean += 1;
                f.false_alarms += usize::from(hit);
                if item.hard.is_some() {
                    f.hard += 1;
                    f.hard_alarms += usize::from(hit);
                }
                hit
            }
            "ambiguous" => {
                f.ambiguous += 1;
                f.ambiguous_flagged += usize::from(hit);
                false
            }
            other => panic!("{}: unknown label {other}", item.id),
        };
        if show && wrong {
            println!(
                "{} {} {}: {}",
                if hit { "FALSE ALARM" } else { "MISSED" },
                item.id,
                item.hard.as_deref().unwrap_or(""),
                item.text.replace('\n', " / ")
            );
            for x in &findings {
                println!(
                    "    {} {} {:?} {:?}",
                    x.severity,
                    x.rule,
                    x.matched,
                    x.claim.as_ref().map(|c| c.describe())
                );
            }
        }
    }
    f
}

fn print(half: &str, f: &Figures) {
    println!(
        "{half:>8}: claims found {}/{} (recall {:.1}%; open-weight {}/{}), clean flagged {}/{} ({:.1}%; hard negatives {}/{}), precision {:.1}%, ambiguous flagged {}/{}",
        f.found,
        f.claims,
        100.0 * f.recall(),
        f.open_weight_found,
        f.open_weight,
        f.false_alarms,
        f.clean,
        100.0 * f.false_alarm_rate(),
        f.hard_alarms,
        f.hard,
        100.0 * f.precision(),
        f.ambiguous_flagged,
        f.ambiguous,
    );
}

#[test]
fn claims_dev_set() {
    let linter = Linter::new(vec![Policy::default_policy()]).expect("default policy");
    let show = std::env::var("COPYLINT_CLAIMS_SHOW").unwrap_or_default();
    let tune = measure(&linter, "tune", show == "tune");
    print("tune", &tune);
    for extra in [
        "tune-extra",
        "tune-extra2",
        "tune-extra3",
        "tune-extra4",
        "tune-extra5",
    ] {
        let f = measure(&linter, extra, show == "tune");
        print(extra, &f);
    }
    if show == "tune" {
        // While tuning, the held-out half is not even measured.
        return;
    }
    let held = measure(&linter, "heldout", false);
    print("held-out", &held);
    assert!(
        held.claims >= 60 && held.clean >= 70,
        "held-out half too small: {held:?}"
    );
    // The goal is held-out recall of at least 90% with at most 2% of clean
    // items flagged; it is not met yet (see BENCHMARKS.md). Until it is,
    // this test holds the figures reached so that they cannot slip back.
    let goal = held.recall() >= 0.90 && held.false_alarm_rate() <= 0.02;
    println!(
        "held-out goal (recall >= 90%, clean flagged <= 2%): {}",
        if goal { "met" } else { "not met" }
    );
    assert!(
        held.recall() >= 0.77,
        "held-out recall on claims fell to {:.1}% (was 77.1%)",
        100.0 * held.recall()
    );
    assert!(
        held.false_alarm_rate() <= 0.05,
        "{:.1}% of held-out clean items are flagged (was 5.0%)",
        100.0 * held.false_alarm_rate()
    );
}

/// Rule, severity and claim parts of each finding of `text` (Markdown)
/// that is not a spelling or mention finding.
fn claims_in(linter: &Linter, text: &str) -> Vec<(String, Severity, String)> {
    linter
        .check(&Source::new("t.md", text, Format::Markdown))
        .into_iter()
        .filter_map(|f| {
            let claim = f.claim.as_ref()?.describe();
            Some((f.rule.to_string(), f.severity, claim))
        })
        .collect()
}

#[test]
fn claims_are_read_however_they_are_worded() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let errors = [
        // Typographic quotes around the verb, another particle.
        (
            "The SRE \u{201c}calls on\u{201d} ChatGPT for every plan.",
            "calls-on-openai",
        ),
        (
            "Each agent calls out to GPT-5 when it plans.",
            "calls-on-openai",
        ),
        // Words inserted between the frame's noun and its preposition.
        (
            "The runtime opens access for every team to GPT-5.",
            "access-to-openai",
        ),
        // The passive voice.
        (
            "ChatGPT can be reached from any Lambda function.",
            "access-to-openai",
        ),
        // A pronoun for the models named in the sentence before.
        (
            "OpenAI's newest models are here. Your agents can call them from any Region.",
            "calls-on-openai",
        ),
        // Other verbs, metaphors, availability, headlines.
        (
            "Your on-ramp to GPT-5 starts in the AWS console.",
            "access-to-openai",
        ),
        ("GPT-5, now on AWS.", "access-to-openai"),
        (
            "OpenAI's most capable models, inside your VPC.",
            "frontier-model-claim",
        ),
        ("Hook your agents up to o3 in minutes.", "access-to-openai"),
        // A pronoun placed on a platform by its own clause.
        (
            "GPT-4o is back. It's reachable from your Bedrock agents.",
            "access-to-openai",
        ),
        // "When asked" is a condition, not someone else speaking.
        (
            "When asked, say the SRE calls on ChatGPT behind the scenes.",
            "calls-on-openai",
        ),
        // The company itself put on a platform.
        ("Run OpenAI on Bedrock today.", "access-to-openai"),
        // A table cell under a header that names the platform, in the row
        // of the company ("OpenAI" as the row's label is not its subject).
        (
            "| Provider | Models in Bedrock |\n|---|---|\n| OpenAI | GPT-5, GPT-4o |",
            "access-to-openai",
        ),
        // A table titled by its only header: the title heads each column.
        (
            "| Stateful Runtime at a glance | |\n|---|---|\n| Memory | Persistent |\n| Models | OpenAI GPT-5 family |",
            "access-to-openai",
        ),
        // A proprietary model beside an open-weight one keeps its error.
        (
            "In GovCloud: gpt-oss today, GPT-5 via the SRE.",
            "access-to-openai",
        ),
        // Wording put forward, not discussed.
        (
            "Say it plainly: \u{201c}OpenAI's most capable model, running in your account.\u{201d}",
            "access-to-openai",
        ),
        // A model's id in inline code.
        (
            "Release notes: SRE workflows may now invoke `gpt-5` as a back-end.",
            "calls-on-openai",
        ),
        // A pronoun past a short reply stands for the question's models.
        (
            "**Q: Do we still need Azure to work with OpenAI models?**\nA: Not anymore. Bedrock serves them natively.",
            "access-to-openai",
        ),
        // A superlative after the owner's possessive stands for a model.
        (
            "Anthropic's best. OpenAI's best. Same Bedrock bill.",
            "access-to-openai",
        ),
        // Commentators acting, not speaking.
        (
            "The analysts in your company query GPT-4o in plain English on AWS.",
            "calls-on-openai",
        ),
        // Wording put forward after "then".
        (
            "Show the console, then say \u{201c}the brain behind this agent is OpenAI's o3, invoked through Bedrock.\u{201d}",
            "access-to-openai",
        ),
        // A question answered with a platform, in a few words.
        (
            "Where will my agents reach GPT-5 next year? Right here, in Amazon Bedrock.",
            "access-to-openai",
        ),
    ];
    for (text, rule) in errors {
        let got = claims_in(&linter, text);
        assert!(
            got.iter()
                .any(|(r, s, _)| r == rule && *s == Severity::Error),
            "{text}: expected an error from {rule}, got {got:?}"
        );
    }
}

#[test]
fn claims_are_cleared_by_their_scope() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let clean = [
        "The SRE does not provide access to OpenAI's models.",
        "The runtime never calls GPT-5 directly.",
        "There is no API access to OpenAI models on AWS.",
        "Azure OpenAI Service gives customers API access to GPT-5.",
        "Microsoft says any deal giving AWS access to OpenAI's models breaks its contract.",
        "OpenAI will run training and inference on AWS capacity, including ChatGPT traffic.",
        "Mistral Large, Mistral's most capable model, is available in Amazon Bedrock.",
        "Call Claude from Bedrock with one line of code.",
        "| Capability | AWS SRE | Azure OpenAI |\n|---|---|---|\n| Direct API access to GPT-5 | Not offered | Yes |",
        // A row about a third party, under a title.
        "| Who does what | |\n|---|---|\n| Microsoft Azure | Routes all API calls to OpenAI models |\n| AWS | The SRE, powered by OpenAI |",
        // A row whose only other cell denies it.
        "| | Stateful Runtime on Bedrock |\n|---|---|\n| Direct calls to OpenAI GPT models | No |",
        // Reported by a writer, named by the press, quoted to be cut.
        "Koda's columnist writes that GPT-5.5 now runs natively inside Bedrock.",
        "Some coverage has called the runtime \u{201c}OpenAI on AWS.\u{201d}",
        "The line \u{201c}tap OpenAI's models from AWS\u{201d} was wrong and I've cut it.",
        // Open-weight models called so, anywhere in the block.
        "gpt-oss-20b: OpenAI's open-weight model, now in your Bedrock catalogue.",
        "Is gpt-oss on Bedrock the same model as elsewhere? Yes. gpt-oss-120b is OpenAI's open-weight model.",
        // An approved phrase before the platform; the company acting.
        "Built with OpenAI, on AWS.",
        "OpenAI, the company behind GPT-5, will run training on AWS capacity.",
        // Taken back by the next sentence.
        "I wrote that the deal \u{201c}brings ChatGPT's models to Bedrock.\u{201d} It doesn't.",
        "I said GPT-5 runs natively in Bedrock. That was wrong.",
        // A place named by "there" after a third party.
        "Direct purchases run on Azure, and stateless calls to GPT models are hosted there.",
        // Other platforms' own catalogues; other vendors' open-weight models.
        "Databricks customers query GPT-5 through the Responses API.",
        "That's two dozen open-weight models on Bedrock you can call without a GPU.",
        // Someone else's view; a denial in Japanese.
        "Microsoft's camp doesn't buy it: in its view, the runtime still lets AWS customers reach OpenAI's models.",
        "A. いいえ。Stateful Runtime は OpenAI モデルへの API アクセスを提供するものではありません。",
        // A format, not a service.
        "The Bedrock endpoint is compatible with OpenAI's API format.",
    ];
    for text in clean {
        let got: Vec<_> = claims_in(&linter, text)
            .into_iter()
            .filter(|(_, s, _)| *s >= Severity::Warning)
            .collect();
        assert!(got.is_empty(), "{text}: expected no claim, got {got:?}");
    }
}

#[test]
fn a_question_is_information_and_a_yes_makes_it_a_claim() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let asked = claims_in(&linter, "Can agents call GPT-5 directly from Bedrock?");
    assert!(
        !asked.is_empty() && asked.iter().all(|(_, s, _)| *s == Severity::Info),
        "{asked:?}"
    );
    let answered = claims_in(
        &linter,
        "Q: Can agents call GPT-5 from Bedrock? A: Yes, with one line of code.",
    );
    assert!(
        answered.iter().any(|(_, s, _)| *s == Severity::Error),
        "{answered:?}"
    );
    // A request for an answer is a question too; a reply that sends the
    // asker to people at AWS answers nothing.
    for text in [
        "RFP 4.2: Describe how the proposed solution provides access to OpenAI models.",
        "Will we be able to fine-tune GPT-4o in Bedrock? Send the request to your AWS account team.",
    ] {
        let got = claims_in(&linter, text);
        assert!(
            !got.is_empty() && got.iter().all(|(_, s, _)| *s == Severity::Info),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn a_model_id_in_inline_code_is_read_by_claims_only() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let findings = |text: &str| linter.check(&Source::new("t.md", text, Format::Markdown));
    let f = findings("Just pick `openai.gpt-5` as your model ID and go.");
    assert!(
        f.iter()
            .any(|f| &*f.rule == "use-of-openai" && f.severity == Severity::Warning),
        "{f:?}"
    );
    // No spelling or mention finding on the id itself, and other code stays
    // a barrier: "enables access to" does not run through it.
    let f = findings("Set `gpt-4o` in the config file.");
    assert!(f.is_empty(), "{f:?}");
    // A Bedrock id with its version after a colon is one word.
    let f = findings("Swap `cohere.command-r-v1:0` for `openai.gpt-4o` and rerun.");
    assert!(f.iter().any(|f| &*f.rule == "use-of-openai"), "{f:?}");
    let f = findings("It enables `access to` ChatGPT.");
    assert!(f.iter().all(|f| &*f.rule != "enables-access"), "{f:?}");
}

#[test]
fn open_weight_models_make_milder_claims_with_a_safe_wording() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let f = linter.check(&Source::new(
        "t.md",
        "Reach gpt-oss-120b from any Lambda function.",
        Format::Markdown,
    ));
    let claim = f.iter().find(|f| f.claim.is_some()).expect("a claim");
    assert_eq!(claim.severity, Severity::Warning);
    assert!(
        claim.suggestions.iter().any(|s| s.contains("open-weight")),
        "{:?}",
        claim.suggestions
    );
    let safe = claims_in(
        &linter,
        "Deploy gpt-oss-120b, OpenAI's open-weight model, on Amazon Bedrock.",
    );
    assert!(
        safe.iter().all(|(_, s, _)| *s < Severity::Warning),
        "{safe:?}"
    );
}

#[test]
fn a_claim_says_its_parts() {
    let linter = Linter::new(vec![Policy::default_policy()]).unwrap();
    let got = claims_in(
        &linter,
        "The SRE lets agents directly and securely talk to GPT-5.",
    );
    let (_, _, parts) = got
        .iter()
        .find(|(r, ..)| r == "access-to-openai")
        .expect("a claim");
    assert!(parts.contains("verb: talk to"), "{parts}");
    assert!(
        parts.contains("object: GPT-5") || parts.contains("object: gpt-5"),
        "{parts}"
    );
}

/// Claim rules serve any organisation: a bank whose app may not be
/// presented as a place to trade crypto coins, which only its partner
/// exchange offers.
#[test]
fn claim_rules_serve_any_policy() {
    let policy = Policy::load(
        "bank.toml",
        r#"
name = "bank"
[sets]
coin = ["Bitcoin", "Ether", "Dogecoin"]
partner = ["Coinbase"]
app = ["the app", "our app", "your account"]
[[rules]]
id = "crypto-claim"
kind = "claim"
severity = "error"
message = "\"{matched}\" presents the app as a place to trade crypto"
pattern = "<coin>"
explanation = "Crypto is traded with our partner exchange, not in the app."
bad = ["Buy Bitcoin in the app.", "Ether can be traded from your account.", "Dogecoin, now in the app."]
good = ["You cannot buy Bitcoin in the app.", "Coinbase lets customers trade Bitcoin.", "Analysts say Ether can be traded anywhere."]
[rules.claim]
actors = "<partner>"
platforms = "<app>"
verbs = ["buy", "trade", "sell"]
frames = ["_, now in"]
"#,
    )
    .expect("the policy loads");
    copylint::engine::check_examples(&policy).expect("its examples hold");
    let linter = Linter::new(vec![policy]).unwrap();
    let found = claims_in(&linter, "Customers trade Dogecoin with one tap.");
    assert!(
        found.iter().any(|(r, s, parts)| r == "crypto-claim"
            && *s == Severity::Error
            && parts.contains("verb: trade")),
        "{found:?}"
    );
    assert!(claims_in(&linter, "Trading Dogecoin is not possible in our app.").is_empty());
}
