//! The requests the language server answers: `shutdown`, `hover` (the
//! finding under the cursor, with its rule's guidance) and `codeAction`
//! (the fixes and suppressions of the findings in a range).

use lsp_server::ErrorCode;
use lsp_types::request::{self as req, Request as _};
use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Uri};
use serde_json::Value;

use super::convert::{Text, diagnostic};
use super::{Refusal, Server, actions, params};

impl Server<'_> {
    /// The result of one request, or the error to answer it with.
    pub(super) fn answer(&mut self, method: &str, value: Value) -> Result<Value, Refusal> {
        let result = match method {
            req::Shutdown::METHOD => {
                self.shut_down = true;
                Value::Null
            }
            req::Initialize::METHOD => {
                return Err(Refusal::new(
                    ErrorCode::InvalidRequest,
                    "the server is already initialized",
                ));
            }
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(method, value)?;
                let p = p.text_document_position_params;
                serde_json::to_value(self.hover(&p.text_document.uri, p.position)?)
                    .unwrap_or_default()
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(method, value)?;
                serde_json::to_value(self.code_actions(&p)?).unwrap_or_default()
            }
            _ => {
                return Err(Refusal::new(
                    ErrorCode::MethodNotFound,
                    format!("unknown request {method}"),
                ));
            }
        };
        Ok(result)
    }

    /// The byte offset of `at` in the open document `uri`, or the error to
    /// answer a request about it with.
    fn offset(&self, uri: &Uri, at: lsp_types::Position) -> Result<usize, Refusal> {
        let doc = (self.documents.get(uri))
            .ok_or_else(|| Refusal::invalid(format!("{} is not an open document", uri.as_str())))?;
        Text::new(&doc.text, self.encoding)
            .offset(at)
            .ok_or_else(|| {
                Refusal::invalid(format!(
                    "line {} is past the end of {}",
                    at.line,
                    uri.as_str()
                ))
            })
    }

    fn hover(&mut self, uri: &Uri, at: lsp_types::Position) -> Result<Option<Hover>, Refusal> {
        let offset = self.offset(uri, at)?;
        let Some((checked, settings)) = self.findings(uri) else {
            return Ok(None);
        };
        let doc = &self.documents[uri];
        let text = Text::new(&doc.text, self.encoding);
        let Some(f) = (checked.findings)
            .iter()
            .find(|f| f.span.start() <= offset && offset <= f.span.end())
        else {
            return Ok(None);
        };
        let rule = settings
            .linter
            .rules()
            .find(|(_, r)| r.id == f.rule)
            .map(|(_, r)| r);
        Ok(Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: actions::hover(f, rule),
            }),
            range: Some(text.range(f.span.start(), f.span.end())),
        }))
    }

    fn code_actions(
        &mut self,
        params: &lsp_types::CodeActionParams,
    ) -> Result<Vec<lsp_types::CodeAction>, Refusal> {
        let uri = &params.text_document.uri;
        let start = self.offset(uri, params.range.start)?;
        let end = self.offset(uri, params.range.end)?;
        if end < start {
            return Err(Refusal::invalid("the range ends before it starts"));
        }
        let Some((checked, _)) = self.findings(uri) else {
            return Ok(Vec::new());
        };
        let doc = &self.documents[uri];
        let text = Text::new(&doc.text, self.encoding);
        let format = checked.format;
        Ok((checked.findings)
            .iter()
            .filter(|f| f.span.start() <= end && start <= f.span.end())
            .flat_map(|f| {
                let shown = diagnostic(&text, f);
                let matching = params
                    .context
                    .diagnostics
                    .iter()
                    .find(|d| d.range == shown.range && d.code == shown.code);
                actions::for_finding(uri, &text, format, f, matching)
            })
            .collect())
    }
}
