//! The SARIF description of each rule (`reportingDescriptor`): its name,
//! short and full descriptions, help in text and Markdown with what to
//! write instead and the rule's examples, its default level and policy.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use super::level;
use crate::policy::{Policy, Rule};

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    policy: String,
    pattern: String,
    tags: Vec<String>,
}

/// A `reportingDescriptor`: one rule in `tool.driver.rules`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RuleDescriptor {
    pub(super) id: Arc<str>,
    name: String,
    short_description: OwnedText,
    full_description: OwnedText,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct OwnedText {
    text: String,
}

/// The `reportingDescriptor` of one rule.
pub(super) fn describe(policy: &Policy, rule: &Rule) -> RuleDescriptor {
    let short = short_description(&rule.message);
    let explanation = rule.explanation.trim();
    let full = if explanation.is_empty() {
        short.clone()
    } else {
        explanation.to_string()
    };
    RuleDescriptor {
        id: rule.id.clone(),
        name: pascal_case(&rule.id),
        short_description: OwnedText { text: short },
        full_description: OwnedText { text: full.clone() },
        help: help(&full, rule),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            policy: policy.name.clone(),
            pattern: rule.pattern.clone(),
            tags: vec!["copylint".to_string(), policy.name.clone()],
        },
    }
}

/// `enables-access` as `EnablesAccess`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
        })
        .collect()
}

/// A rule's message without its `{matched}` placeholder: the placeholder
/// and any quotes around it become "the phrase".
fn short_description(message: &str) -> String {
    const QUOTES: &[(char, char)] = &[
        ('"', '"'),
        ('\'', '\''),
        ('`', '`'),
        ('\u{201C}', '\u{201D}'),
        ('\u{2018}', '\u{2019}'),
        ('\u{AB}', '\u{BB}'),
    ];
    let mut out = String::new();
    let mut rest = message;
    while let Some(at) = rest.find("{matched}") {
        let mut before = &rest[..at];
        let mut after = &rest[at + "{matched}".len()..];
        for &(open, close) in QUOTES {
            if let (Some(b), Some(a)) = (before.strip_suffix(open), after.strip_prefix(close)) {
                (before, after) = (b, a);
                break;
            }
        }
        out.push_str(before);
        let starts_sentence =
            out.trim_end().is_empty() || out.trim_end().ends_with(['.', '!', '?']);
        out.push_str(if starts_sentence {
            "The phrase"
        } else {
            "the phrase"
        });
        rest = after;
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Help text and Markdown: the explanation, what to write instead, and the
/// rule's examples.
fn help(explanation: &str, rule: &Rule) -> Help {
    let mut text = explanation.to_string();
    let mut markdown = explanation.to_string();
    if !rule.suggestions.is_empty() {
        let _ = write!(text, "\n\nWrite instead: {}", rule.suggestions.join("; "));
        markdown.push_str("\n\n**Write instead:**\n");
        for s in rule.suggestions.iter() {
            let _ = write!(markdown, "\n- {}", markdown_escape(s));
        }
    }
    for (title, examples) in [("Bad", &rule.bad), ("Good", &rule.good)] {
        if examples.is_empty() {
            continue;
        }
        let _ = write!(text, "\n\n{title}:");
        let _ = write!(markdown, "\n\n**{title}:**\n");
        for e in examples {
            let _ = write!(text, "\n  {}", e.text);
            let _ = write!(markdown, "\n- {}", markdown_escape(&e.text));
        }
    }
    Help { text, markdown }
}

/// `s` with Markdown's special characters backslash-escaped and line
/// breaks made spaces, to show as written in a list item.
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A list marker, heading or quote at the start would change the item.
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    for (i, c) in s.chars().enumerate() {
        let starts_block = (i == 0 && matches!(c, '#' | '-' | '+' | '=' | '>'))
            || (digits > 0 && i == digits && matches!(c, '.' | ')'));
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if starts_block => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_descriptions_drop_the_placeholder() {
        assert_eq!(
            short_description("\"{matched}\" promises a cure"),
            "The phrase promises a cure"
        );
        assert_eq!(
            short_description("do not write \u{201C}{matched}\u{201D}; it misleads"),
            "do not write the phrase; it misleads"
        );
        assert_eq!(short_description("no placeholder"), "no placeholder");
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(pascal_case("enables-access"), "EnablesAccess");
        assert_eq!(pascal_case("no-2x-claims"), "No2xClaims");
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(markdown_escape("*x* [y]\nz."), "\\*x\\* \\[y\\] z.");
        assert_eq!(markdown_escape("- a-b"), "\\- a-b");
        assert_eq!(markdown_escape("10. x"), "10\\. x");
    }
}
