//! What the editor offers on a finding: code actions (apply its fix,
//! disable its rule for the line or the file) and a hover with the rule's
//! explanation and examples.
//!
//! Directives are written in the document's own comment syntax, so the
//! inserted line is what a writer would have typed.

use std::collections::HashMap;

use copylint::Finding;
use copylint::finding::Applicability;
use copylint::policy::Rule;
use copylint::source::Format;
use lsp_types::{CodeAction, CodeActionKind, Diagnostic, TextEdit, Uri, WorkspaceEdit};

use super::convert::Text;

/// A suppression directive for `rule` in the comment syntax of `format`.
pub fn directive(format: Format, word: &str, rule: &str) -> String {
    match format {
        Format::Markdown | Format::Html => format!("<!-- {word} {rule} -->"),
        Format::Mdx => format!("{{/* {word} {rule} */}}"),
        // Documents are not edited in an editor; their text is extracted.
        Format::Text | Format::Office | Format::Pdf => format!("{word} {rule}"),
    }
}

/// Where a file-wide directive goes: after YAML front matter, else at the top.
fn file_directive_offset(text: &str) -> usize {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return 0;
    };
    let body = text.len() - rest.len();
    let mut at = body;
    for line in rest.split_inclusive('\n') {
        at += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return at;
        }
    }
    0
}

fn edit_action(
    title: String,
    uri: &Uri,
    edit: TextEdit,
    diagnostic: Option<&Diagnostic>,
    preferred: bool,
) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: diagnostic.map(|d| vec![d.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        }),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    }
}

/// The actions for one finding of the document `uri`.
pub fn for_finding(
    uri: &Uri,
    text: &Text,
    format: Format,
    f: &Finding,
    diagnostic: Option<&Diagnostic>,
) -> Vec<CodeAction> {
    let mut actions = Vec::new();
    if let Some(fix) = f
        .fix
        .as_ref()
        .filter(|x| x.applicability > Applicability::Display)
    {
        for e in &fix.edits {
            let edit = TextEdit::new(text.range(e.span.start(), e.span.end()), e.content.clone());
            let safe = fix.applicability == Applicability::Safe;
            actions.push(edit_action(
                format!("Replace with “{}”", e.content),
                uri,
                edit,
                diagnostic,
                safe,
            ));
        }
    }
    let line_start = text.line_start_of(f.span.start());
    let indent: String = text.text[line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let newline = if text.text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let line = directive(format, "copylint-disable-next-line", &f.rule);
    let at = text.position(line_start);
    actions.push(edit_action(
        format!("Disable `{}` for this line", f.rule),
        uri,
        TextEdit::new(
            lsp_types::Range::new(at, at),
            format!("{indent}{line}{newline}"),
        ),
        diagnostic,
        false,
    ));
    let top = text.position(file_directive_offset(text.text));
    let line = directive(format, "copylint-disable-file", &f.rule);
    actions.push(edit_action(
        format!("Disable `{}` in this file", f.rule),
        uri,
        TextEdit::new(lsp_types::Range::new(top, top), format!("{line}{newline}")),
        diagnostic,
        false,
    ));
    actions
}

/// The hover text of a finding: message, rule, explanation and examples.
pub fn hover(f: &Finding, rule: Option<&Rule>) -> String {
    let mut out = format!("**{}** `{}` ({})\n\n", f.message, f.rule, f.severity);
    if let Some(claim) = &f.claim {
        out.push_str(&format!("Claim: {}\n\n", claim.describe()));
    }
    if !f.suggestions.is_empty() {
        out.push_str(&format!("Use instead: {}\n\n", f.suggestions.join("; ")));
    }
    if let Some(rule) = rule {
        out.push_str(rule.explanation.trim());
        out.push_str("\n\n");
        let list = |examples: &[copylint::policy::Example]| {
            examples
                .iter()
                .map(|e| format!("- {}\n", e.text))
                .collect::<String>()
        };
        out.push_str(&format!(
            "Bad:\n{}\nGood:\n{}",
            list(&rule.bad),
            list(&rule.good)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_use_the_formats_comments() {
        assert_eq!(
            directive(
                Format::Markdown,
                "copylint-disable-next-line",
                "calls-on-openai"
            ),
            "<!-- copylint-disable-next-line calls-on-openai -->"
        );
        assert_eq!(
            directive(Format::Mdx, "copylint-disable-file", "x"),
            "{/* copylint-disable-file x */}"
        );
        assert_eq!(
            directive(Format::Text, "copylint-disable-file", "x"),
            "copylint-disable-file x"
        );
    }

    #[test]
    fn file_directives_go_after_front_matter() {
        assert_eq!(file_directive_offset("# Title\n"), 0);
        let text = "---\ntitle: x\n---\n# Title\n";
        assert_eq!(&text[file_directive_offset(text)..], "# Title\n");
        // Unclosed: the top.
        assert_eq!(file_directive_offset("---\ntitle: x\n"), 0);
    }
}
