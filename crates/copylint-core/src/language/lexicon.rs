//! Word lists: the closed classes of English that reading a claim needs
//! (determiners, pronouns, prepositions, auxiliaries, negators,
//! conjunctions, reporting verbs), and the inflections of a verb.
//!
//! Open-class words (nouns, adjectives, most verbs) are not listed: a claim
//! rule names its own verbs, and everything else is only "some word".

/// Words that open or fill a noun phrase before its head.
pub const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "every", "each", "all", "any", "some",
    "your", "our", "their", "its", "my", "his", "her", "both", "either", "whole", "entire", "more",
    "most", "many", "other", "another", "such", "same", "own", "full", "one", "two", "three",
];

/// Personal pronouns that can stand for an object named before.
pub const OBJECT_PRONOUNS: &[&str] = &["it", "them", "they", "these", "those", "both", "each"];

/// Prepositions. The few a claim reads through (`of`, `for`, `to`) are
/// told apart by the reader.
pub const PREPOSITIONS: &[&str] = &[
    "of",
    "to",
    "for",
    "with",
    "in",
    "on",
    "at",
    "from",
    "by",
    "via",
    "through",
    "into",
    "onto",
    "inside",
    "within",
    "across",
    "over",
    "under",
    "about",
    "like",
    "than",
    "alongside",
    "using",
    "without",
    "around",
    "behind",
    "between",
    "among",
    "beyond",
    "during",
    "after",
    "before",
    "per",
    "toward",
    "towards",
    "upon",
    "out",
    "up",
    "against",
    "beside",
    "besides",
    "throughout",
    "except",
    "including",
    "versus",
    "vs",
    "vs.",
    "amid",
];

/// Forms of "be" and "get" that make a passive.
pub const PASSIVE_AUX: &[&str] = &[
    "be", "is", "are", "was", "were", "been", "being", "am", "'s", "'re", "get", "gets", "got",
    "getting", "gotten", "become", "becomes",
];

/// Auxiliaries and modals that may stand between a subject and its verb.
pub const AUXILIARIES: &[&str] = &[
    "can", "could", "will", "would", "shall", "should", "may", "might", "must", "do", "does",
    "did", "has", "have", "had", "'ll", "'d", "'ve", "to", "be", "is", "are", "was", "were",
    "been", "being", "now", "also", "still", "already", "just", "then", "finally", "soon",
];

/// Words that deny what follows them in their clause.
pub const NEGATORS: &[&str] = &[
    "opposed",
    "zero",
    "unavailable",
    "excluded",
    "excludes",
    "excluding",
    "lacks",
    "lack",
    "off-limits",
    "not",
    "never",
    "no",
    "none",
    "nothing",
    "neither",
    "nor",
    "without",
    "cannot",
    "nobody",
    "nowhere",
    "n't",
    "instead",
    "rather",
    "avoid",
    "avoids",
    "prevent",
    "prevents",
    "prohibit",
    "prohibits",
    "forbid",
    "forbids",
    "forbidden",
    "prohibited",
];

/// Words that start a new clause.
pub const CLAUSE_OPENERS: &[&str] = &[
    "but", "while", "whereas", "although", "though", "yet", "because", "since", "unless",
    "however", "unlike", "whilst", "except",
];

/// Words that open a clause that ends at its first comma: "If Nova Lite
/// doesn't …, the next step …".
pub const CONDITIONS: &[&str] = &["if", "when", "whether", "unless", "once", "whenever"];

/// Words that set what follows apart from the main claim until the next
/// comma: "Unlike Azure, …", "Instead of X, …".
pub const CONTRASTS: &[&str] = &[
    "against",
    "replace",
    "replacing",
    "leave",
    "leaving",
    "unlike",
    "instead",
    "rather",
    "versus",
    "vs",
    "vs.",
    "compared",
    "bypass",
    "bypasses",
    "bypassing",
    "around",
    "beyond",
    "outside",
    "without",
    "not",
    "sidestep",
    "sidesteps",
    "skip",
    "skips",
    "skipping",
    "avoid",
    "avoids",
    "avoiding",
];

/// Verb forms that report what someone else says.
pub const REPORTING: &[&str] = &[
    "says",
    "said",
    "say",
    "argues",
    "argued",
    "argue",
    "insists",
    "insisted",
    "insist",
    "contends",
    "contended",
    "alleges",
    "alleged",
    "asserts",
    "asserted",
    "claims",
    "claimed",
    "told",
    "tells",
    "warns",
    "warned",
    "believes",
    "believed",
    "reportedly",
    "according",
    "wrote",
    "noted",
    "observed",
    "observes",
    "disputes",
    "disputed",
    "accused",
    "accuses",
    "alleging",
    "arguing",
    "claiming",
    "saying",
    "insisting",
    "asked",
    "asks",
    "quipped",
    "claim",
    "allege",
    "contend",
    "assert",
    "warn",
    "reckon",
    "reckons",
    "writes",
    "describes",
    "described",
    "characterizes",
    "characterises",
    "characterized",
    "characterised",
    "summarizes",
    "summarises",
    "summarized",
    "summarised",
    "sums",
    "portrays",
    "portrayed",
    "predicts",
    "predicted",
    "speculates",
    "speculated",
];

/// Heads that make an owner's possessive an object: "OpenAI's models".
pub const MODEL_HEADS: &[&str] = &[
    "series",
    "o-series",
    "system",
    "systems",
    "model",
    "models",
    "lineup",
    "family",
    "flagship",
    "gpt",
    "llm",
    "llms",
    "api",
    "apis",
    "endpoint",
    "endpoints",
    "catalog",
    "catalogue",
    "stack",
    "reasoning",
];

/// Adverbs that may stand anywhere in a verb phrase.
pub const ADVERBS: &[&str] = &[
    "now",
    "directly",
    "straight",
    "right",
    "also",
    "even",
    "just",
    "instantly",
    "easily",
    "seamlessly",
    "natively",
    "securely",
    "quickly",
    "today",
    "finally",
    "already",
    "simply",
    "safely",
    "fully",
    "finally",
    "immediately",
    "privately",
    "effectively",
    "literally",
];

/// Nouns that attribute words to someone else: "one analyst put it".
pub const ATTRIBUTION: &[&str] = &[
    "dubbed",
    "reportedly",
    "allegedly",
    "framing",
    "rumour",
    "rumor",
    "rumours",
    "rumors",
];

/// Commentators, who attribute what follows only when they say or think
/// something ("analysts expect …"), not when they act.
pub const COMMENTATORS: &[&str] = &[
    "analyst",
    "analysts",
    "commentator",
    "commentators",
    "critic",
    "critics",
    "pundit",
    "pundits",
    "observers",
    "reporters",
    "journalists",
];

/// Verbs of thinking and describing after a commentator: "analysts see
/// …", "critics call it …".
pub const THINKING: &[&str] = &[
    "see",
    "sees",
    "saw",
    "think",
    "thinks",
    "thought",
    "view",
    "views",
    "viewed",
    "expect",
    "expects",
    "expected",
    "predict",
    "predicts",
    "predicted",
    "call",
    "calls",
    "called",
    "describe",
    "describes",
    "described",
    "note",
    "notes",
    "noted",
    "read",
    "reads",
    "suggest",
    "suggests",
    "suggested",
    "frame",
    "frames",
    "framed",
    "worry",
    "worried",
    "fear",
    "feared",
    "question",
    "questioned",
    "doubt",
    "doubted",
    "point",
    "pointed",
    "characterize",
    "characterized",
    "characterise",
    "characterised",
    "label",
    "labelled",
    "labeled",
    "interpret",
    "interpreted",
    "consider",
    "considered",
];

/// Words that present a quotation as wording to discuss: "delete the
/// bullet \"…\"", "never say \"…\"".
pub const WORDING: &[&str] = &[
    "bullet",
    "phrase",
    "phrasing",
    "wording",
    "line",
    "claim",
    "say",
    "saying",
    "write",
    "writing",
    "delete",
    "remove",
    "avoid",
    "replace",
    "tagline",
    "slogan",
    "copy",
    "words",
    "as",
    "called",
    "term",
    "like",
    "tell",
    "telling",
    "stop",
    "describe",
    "describing",
];

/// Signs that deny a table cell or clause: "❌ Not offered".
pub const NEGATION_SIGNS: &[&str] = &["❌", "✗", "✘", "🚫", "⛔", "✕"];

/// Word classes as bits, so that a sentence's tokens are classed once
/// and each test is a bit test (see [`crate::language::Sentence::has`]).
pub mod tag {
    pub const DET: u32 = 1;
    pub const PRONOUN: u32 = 1 << 1;
    pub const PREP: u32 = 1 << 2;
    pub const PASSIVE: u32 = 1 << 3;
    pub const AUX: u32 = 1 << 4;
    pub const NEG: u32 = 1 << 5;
    pub const OPENER: u32 = 1 << 6;
    pub const CONDITION: u32 = 1 << 7;
    pub const CONTRAST: u32 = 1 << 8;
    pub const REPORT: u32 = 1 << 9;
    pub const MODEL_HEAD: u32 = 1 << 10;
    pub const ADVERB: u32 = 1 << 11;
    pub const ATTRIBUTION: u32 = 1 << 12;
    pub const WORDING: u32 = 1 << 13;
    pub const NEG_SIGN: u32 = 1 << 14;
    pub const COMMENTATOR: u32 = 1 << 15;
    pub const THINKING: u32 = 1 << 16;
}

/// The classes of `word` (normalized), as [`tag`] bits.
pub fn tags(word: &str) -> u32 {
    static TABLE: std::sync::LazyLock<std::collections::HashMap<&'static str, u32>> =
        std::sync::LazyLock::new(|| {
            let lists: [(&[&str], u32); 17] = [
                (DETERMINERS, tag::DET),
                (OBJECT_PRONOUNS, tag::PRONOUN),
                (PREPOSITIONS, tag::PREP),
                (PASSIVE_AUX, tag::PASSIVE),
                (AUXILIARIES, tag::AUX),
                (NEGATORS, tag::NEG),
                (CLAUSE_OPENERS, tag::OPENER),
                (CONDITIONS, tag::CONDITION),
                (CONTRASTS, tag::CONTRAST),
                (REPORTING, tag::REPORT),
                (MODEL_HEADS, tag::MODEL_HEAD),
                (ADVERBS, tag::ADVERB),
                (ATTRIBUTION, tag::ATTRIBUTION),
                (WORDING, tag::WORDING),
                (NEGATION_SIGNS, tag::NEG_SIGN),
                (COMMENTATORS, tag::ATTRIBUTION | tag::COMMENTATOR),
                (THINKING, tag::THINKING),
            ];
            let mut table = std::collections::HashMap::new();
            for (list, bit) in lists {
                for w in list {
                    *table.entry(*w).or_insert(0) |= bit;
                }
            }
            table
        });
    match TABLE.get(word) {
        Some(&t) => t,
        // Japanese writes a word's negation inside it: "提供するものではあ
        // りません", "いいえ".
        None if !word.is_ascii() && JAPANESE_NEGATIONS.iter().any(|n| word.contains(n)) => tag::NEG,
        None => 0,
    }
}

/// Japanese negations, found inside a longer run of characters.
const JAPANESE_NEGATIONS: &[&str] = &["ません", "ない", "いいえ", "ではなく", "不可"];

/// Irregular verbs: base, past, past participle. Regular verbs are
/// inflected by rule.
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("be", "was", "been"),
    ("bring", "brought", "brought"),
    ("buy", "bought", "bought"),
    ("come", "came", "come"),
    ("do", "did", "done"),
    ("draw", "drew", "drawn"),
    ("feed", "fed", "fed"),
    ("find", "found", "found"),
    ("get", "got", "gotten"),
    ("give", "gave", "given"),
    ("go", "went", "gone"),
    ("grant", "granted", "granted"),
    ("have", "had", "had"),
    ("hit", "hit", "hit"),
    ("hold", "held", "held"),
    ("keep", "kept", "kept"),
    ("lead", "led", "led"),
    ("let", "let", "let"),
    ("make", "made", "made"),
    ("put", "put", "put"),
    ("read", "read", "read"),
    ("ride", "rode", "ridden"),
    ("run", "ran", "run"),
    ("see", "saw", "seen"),
    ("seek", "sought", "sought"),
    ("sell", "sold", "sold"),
    ("send", "sent", "sent"),
    ("set", "set", "set"),
    ("ship", "shipped", "shipped"),
    ("speak", "spoke", "spoken"),
    ("spin", "spun", "spun"),
    ("take", "took", "taken"),
    ("teach", "taught", "taught"),
    ("tell", "told", "told"),
    ("think", "thought", "thought"),
    ("throw", "threw", "thrown"),
    ("win", "won", "won"),
    ("write", "wrote", "written"),
];

/// How a verb form is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Inflection {
    /// "call": also the imperative and the infinitive.
    Base,
    /// "calls".
    Third,
    /// "called" as a simple past.
    Past,
    /// "called" after "be", "get" or "have".
    Participle,
    /// "calling".
    Gerund,
}

/// Every written form of the verb `lemma`, with how it is used. A form may
/// be both a past and a participle; both are listed.
pub fn inflections(lemma: &str) -> Vec<(String, Inflection)> {
    let lemma = lemma.to_lowercase();
    let (past, participle) = match IRREGULAR.iter().find(|(b, ..)| *b == lemma) {
        Some((_, past, pp)) => (past.to_string(), pp.to_string()),
        None => {
            let ed = regular_past(&lemma);
            (ed.clone(), ed)
        }
    };
    vec![
        (lemma.clone(), Inflection::Base),
        (third_person(&lemma), Inflection::Third),
        (past, Inflection::Past),
        (participle, Inflection::Participle),
        (gerund(&lemma), Inflection::Gerund),
    ]
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// A one-syllable verb ending consonant, vowel, consonant doubles its last
/// letter before a suffix: "tap", "tapped", "tapping".
fn doubles(verb: &str) -> bool {
    let b = verb.as_bytes();
    let n = b.len();
    if n < 3 || !b.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let vowel_groups = b
        .iter()
        .enumerate()
        .filter(|&(i, &c)| is_vowel(c) && (i == 0 || !is_vowel(b[i - 1])))
        .count();
    vowel_groups == 1
        && !is_vowel(b[n - 1])
        && !matches!(b[n - 1], b'w' | b'x' | b'y')
        && is_vowel(b[n - 2])
        && !is_vowel(b[n - 3])
}

fn regular_past(verb: &str) -> String {
    if verb.ends_with('e') {
        format!("{verb}d")
    } else if let Some(stem) = verb
        .strip_suffix('y')
        .filter(|s| s.bytes().last().is_some_and(|c| !is_vowel(c)))
    {
        format!("{stem}ied")
    } else if doubles(verb) {
        format!("{verb}{}ed", &verb[verb.len() - 1..])
    } else {
        format!("{verb}ed")
    }
}

fn third_person(verb: &str) -> String {
    if let Some(stem) = verb
        .strip_suffix('y')
        .filter(|s| s.bytes().last().is_some_and(|c| !is_vowel(c)))
    {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh", "o"]
        .iter()
        .any(|end| verb.ends_with(end))
    {
        format!("{verb}es")
    } else {
        format!("{verb}s")
    }
}

fn gerund(verb: &str) -> String {
    if verb.ends_with("ee") || verb.ends_with("ye") || verb.ends_with("oe") {
        format!("{verb}ing")
    } else if verb == "be" {
        "being".to_string()
    } else if let Some(stem) = verb.strip_suffix("ie") {
        format!("{stem}ying")
    } else if let Some(stem) = verb.strip_suffix('e') {
        format!("{stem}ing")
    } else if doubles(verb) {
        format!("{verb}{}ing", &verb[verb.len() - 1..])
    } else {
        format!("{verb}ing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(lemma: &str) -> Vec<String> {
        inflections(lemma).into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn regular_verbs_inflect_by_rule() {
        for (lemma, want) in [
            ("call", ["call", "calls", "called", "called", "calling"]),
            ("tap", ["tap", "taps", "tapped", "tapped", "tapping"]),
            (
                "query",
                ["query", "queries", "queried", "queried", "querying"],
            ),
            ("route", ["route", "routes", "routed", "routed", "routing"]),
            (
                "reach",
                ["reach", "reaches", "reached", "reached", "reaching"],
            ),
            (
                "access",
                ["access", "accesses", "accessed", "accessed", "accessing"],
            ),
            ("open", ["open", "opens", "opened", "opened", "opening"]),
            ("plug", ["plug", "plugs", "plugged", "plugged", "plugging"]),
            (
                "connect",
                [
                    "connect",
                    "connects",
                    "connected",
                    "connected",
                    "connecting",
                ],
            ),
        ] {
            assert_eq!(forms(lemma), want, "{lemma}");
        }
    }

    #[test]
    fn irregular_verbs_come_from_the_table() {
        assert_eq!(
            forms("bring"),
            ["bring", "brings", "brought", "brought", "bringing"]
        );
        assert_eq!(forms("get"), ["get", "gets", "got", "gotten", "getting"]);
        assert_eq!(forms("hit"), ["hit", "hits", "hit", "hit", "hitting"]);
        assert_eq!(forms("give"), ["give", "gives", "gave", "given", "giving"]);
    }
}
