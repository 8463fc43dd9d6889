//! `copylint lsp`: a language server over standard input and output.
//!
//! Open documents are checked from their unsaved text on open, on change
//! and on save (Markdown, MDX and text, by the document's path). Changes
//! are debounced: after one arrives the server keeps reading messages for
//! a short while, so a burst of keystrokes is checked once, at its last
//! version, and older versions are never checked at all. Each document
//! uses the settings `copylint.toml` gives its folder, as on the command
//! line, plus the client's settings; a change to a configuration or policy
//! file reloads them, and a broken policy becomes a diagnostic on the
//! policy file and a message, never a crash.

mod actions;
mod convert;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use copylint::{Error, Finding, Severity, Source};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, Hover, HoverContents,
    HoverProviderCapability, InitializeParams, MarkupContent, MarkupKind, MessageType,
    NumberOrString, PublishDiagnosticsParams, ServerCapabilities, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::Deserialize;

use crate::cli::Cli;
use crate::settings::Settings;
use convert::{Encoding, Text, path_to_uri, uri_to_path};

/// How long the server waits for more changes before checking.
const DEBOUNCE: Duration = Duration::from_millis(40);
/// The longest a burst of changes can delay a check.
const MAX_DELAY: Duration = Duration::from_millis(250);

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Runs the server on standard input and output until the client exits.
pub fn run() -> Result<(), Failure> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// What the client may set, at start-up (`initializationOptions`) or later
/// (`workspace/didChangeConfiguration`, under a `copylint` key or bare).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ClientSettings {
    /// A configuration file to use instead of searching for one.
    config: Option<PathBuf>,
    /// Policy files to load besides the configuration's.
    policies: Vec<PathBuf>,
    /// Do not load the embedded default policy.
    no_default_policy: bool,
}

impl ClientSettings {
    fn from_value(value: serde_json::Value) -> ClientSettings {
        let value = match value.get("copylint") {
            Some(inner) => inner.clone(),
            None => value,
        };
        serde_json::from_value(value).unwrap_or_default()
    }

    /// The command line these settings amount to.
    fn cli(&self) -> Cli {
        let mut args = vec!["copylint".into()];
        if let Some(config) = &self.config {
            args.extend(["--config".into(), config.clone().into_os_string()]);
        }
        for p in &self.policies {
            args.extend(["--policy".into(), p.clone().into_os_string()]);
        }
        if self.no_default_policy {
            args.push("--no-default-policy".into());
        }
        <Cli as clap::Parser>::try_parse_from(args)
            .unwrap_or_else(|_| <Cli as clap::Parser>::parse_from(["copylint"]))
    }
}

struct Document {
    text: String,
    version: i32,
    path: Option<PathBuf>,
    /// The findings of `version`, once checked.
    findings: Option<Rc<Vec<Finding>>>,
}

impl Document {
    /// The name findings are reported under: the path, or the URI.
    fn name(&self, uri: &Uri) -> String {
        self.path.as_ref().map_or_else(
            || uri.as_str().to_string(),
            |p| p.to_string_lossy().into_owned(),
        )
    }

    /// The format the document is read as, by its name's extension.
    fn format(&self, uri: &Uri, settings: &Settings) -> copylint::Format {
        settings
            .walk
            .extensions
            .for_named(Path::new(&self.name(uri)))
    }
}

struct Server<'a> {
    connection: &'a Connection,
    encoding: Encoding,
    client: ClientSettings,
    documents: HashMap<Uri, Document>,
    /// Settings by the directory they were resolved for.
    settings: HashMap<PathBuf, Rc<Settings>>,
    /// Documents changed since they were last checked.
    dirty: Vec<Uri>,
    /// Policy or configuration files that have a diagnostic showing.
    broken: Vec<Uri>,
}

/// Answers `initialize`, then serves until `exit`.
pub fn serve(connection: &Connection) -> Result<(), Failure> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "copylint", "version": env!("CARGO_PKG_VERSION") },
        }),
    )?;
    let mut server = Server {
        connection,
        encoding,
        client: params
            .initialization_options
            .map(ClientSettings::from_value)
            .unwrap_or_default(),
        documents: HashMap::new(),
        settings: HashMap::new(),
        dirty: Vec::new(),
        broken: Vec::new(),
    };
    server.main_loop()
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), Failure> {
        while let Ok(message) = self.connection.receiver.recv() {
            if self.handle(message)? {
                return Ok(());
            }
            // Debounce: take what else has arrived before checking.
            let burst = Instant::now();
            while !self.dirty.is_empty() && burst.elapsed() < MAX_DELAY {
                match self.connection.receiver.recv_timeout(DEBOUNCE) {
                    Ok(message) => {
                        if self.handle(message)? {
                            return Ok(());
                        }
                    }
                    Err(_) => break,
                }
            }
            self.publish_dirty()?;
        }
        Ok(())
    }

    /// Handles one message; `true` when the client said `exit`.
    fn handle(&mut self, message: Message) -> Result<bool, Failure> {
        match message {
            Message::Request(r) => {
                // Answers `shutdown` and waits for `exit`.
                if self.connection.handle_shutdown(&r)? {
                    return Ok(true);
                }
                self.request(r)?;
            }
            Message::Notification(n) if n.method == note::Exit::METHOD => return Ok(true),
            Message::Notification(n) => self.notification(n)?,
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn request(&mut self, r: Request) -> Result<(), Failure> {
        let response = match r.method.as_str() {
            req::HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = serde_json::from_value(r.params)?;
                let p = params.text_document_position_params;
                Response::new_ok(r.id, self.hover(&p.text_document.uri, p.position))
            }
            req::CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams = serde_json::from_value(r.params)?;
                Response::new_ok(r.id, self.code_actions(&params))
            }
            _ => Response::new_err(
                r.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("unknown request {}", r.method),
            ),
        };
        self.connection.sender.send(response.into())?;
        Ok(())
    }

    fn notification(&mut self, n: Notification) -> Result<(), Failure> {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                let d = p.text_document;
                let path = uri_to_path(&d.uri);
                let doc = Document {
                    text: d.text,
                    version: d.version,
                    path,
                    findings: None,
                };
                self.documents.insert(d.uri.clone(), doc);
                self.mark(d.uri);
            }
            note::DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                if let (Some(doc), Some(change)) = (
                    self.documents.get_mut(&p.text_document.uri),
                    p.content_changes.into_iter().last(),
                ) {
                    // Full sync: the last change holds the whole text.
                    doc.text = change.text;
                    doc.version = p.text_document.version;
                    doc.findings = None;
                    self.mark(p.text_document.uri);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                if is_settings_file(&p.text_document.uri) {
                    self.reload();
                } else {
                    self.mark(p.text_document.uri);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                self.documents.remove(&p.text_document.uri);
                self.dirty.retain(|u| u != &p.text_document.uri);
                self.send_diagnostics(p.text_document.uri, Vec::new(), None)?;
            }
            note::DidChangeConfiguration::METHOD => {
                let p: lsp_types::DidChangeConfigurationParams = serde_json::from_value(n.params)?;
                if !p.settings.is_null() {
                    self.client = ClientSettings::from_value(p.settings);
                }
                self.reload();
            }
            note::DidChangeWatchedFiles::METHOD => self.reload(),
            _ => {}
        }
        Ok(())
    }

    fn mark(&mut self, uri: Uri) {
        if !self.dirty.contains(&uri) {
            self.dirty.push(uri);
        }
    }

    /// Forgets every resolved setting and re-checks every open document.
    fn reload(&mut self) {
        self.settings.clear();
        // A policy that was broken may be fixed: clear its diagnostics; it
        // gets them again if it still is.
        for uri in std::mem::take(&mut self.broken) {
            let _ = self.send_diagnostics(uri, Vec::new(), None);
        }
        let open: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in open {
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.findings = None;
            }
            self.mark(uri);
        }
    }

    /// The settings for a document at `path`, resolved once per folder.
    fn settings_for(&mut self, path: Option<&Path>) -> Result<Rc<Settings>, Error> {
        let dir = path
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        if let Some(s) = self.settings.get(&dir) {
            return Ok(s.clone());
        }
        let cli = self.client.cli();
        let settings = Rc::new(Settings::resolve(&cli.policy, &cli.check, Some(&dir))?);
        self.settings.insert(dir, settings.clone());
        Ok(settings)
    }

    /// Checks a document's current text, once per version.
    fn findings(&mut self, uri: &Uri) -> Option<(Rc<Vec<Finding>>, Rc<Settings>)> {
        let path = self.documents.get(uri)?.path.clone();
        let settings = match self.settings_for(path.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                let _ = self.show_setup_error(&e);
                return None;
            }
        };
        let doc = self.documents.get_mut(uri)?;
        if doc.findings.is_none() {
            let source = Source::new(doc.name(uri), doc.text.as_str(), doc.format(uri, &settings));
            doc.findings = Some(Rc::new(settings.linter.check(&source)));
        }
        Some((doc.findings.clone()?, settings))
    }

    fn publish_dirty(&mut self) -> Result<(), Failure> {
        for uri in std::mem::take(&mut self.dirty) {
            let Some((findings, _)) = self.findings(&uri) else {
                continue;
            };
            let doc = &self.documents[&uri];
            let text = Text::new(&doc.text, self.encoding);
            let diagnostics = findings.iter().map(|f| diagnostic(&text, f)).collect();
            let version = Some(doc.version);
            self.send_diagnostics(uri, diagnostics, version)?;
        }
        Ok(())
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), Failure> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let n = Notification::new(note::PublishDiagnostics::METHOD.to_string(), params);
        self.connection.sender.send(n.into())?;
        Ok(())
    }

    /// A setup error as a message, and as diagnostics on the file it is about.
    fn show_setup_error(&mut self, e: &Error) -> Result<(), Failure> {
        let message = ShowMessageParams {
            typ: MessageType::ERROR,
            message: format!("copylint: {e}"),
        };
        let n = Notification::new(note::ShowMessage::METHOD.to_string(), message);
        self.connection.sender.send(n.into())?;
        let (Error::Policy(p) | Error::Config(p) | Error::DuplicateRule { error: p, .. }) = e
        else {
            return Ok(());
        };
        let Some(uri) = path_to_uri(Path::new(&p.origin)) else {
            return Ok(());
        };
        let text = Text::new(&p.text, self.encoding);
        let diagnostics = p
            .problems
            .iter()
            .map(|problem| {
                let span = problem.span.clone().unwrap_or(0..0);
                let mut message = problem.message.clone();
                for note in &problem.notes {
                    message.push_str(&format!("\n{note}"));
                }
                Diagnostic {
                    range: text.range(span.start, span.end),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("copylint".into()),
                    message,
                    ..Diagnostic::default()
                }
            })
            .collect();
        self.broken.push(uri.clone());
        self.send_diagnostics(uri, diagnostics, None)
    }

    fn hover(&mut self, uri: &Uri, at: lsp_types::Position) -> Option<Hover> {
        let (findings, settings) = self.findings(uri)?;
        let doc = &self.documents[uri];
        let text = Text::new(&doc.text, self.encoding);
        let offset = text.offset(at);
        let f = findings
            .iter()
            .find(|f| f.span.start() <= offset && offset <= f.span.end())?;
        let rule = settings
            .linter
            .rules()
            .find(|(_, r)| r.id == f.rule)
            .map(|(_, r)| r);
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: actions::hover(f, rule),
            }),
            range: Some(text.range(f.span.start(), f.span.end())),
        })
    }

    fn code_actions(&mut self, params: &lsp_types::CodeActionParams) -> Vec<lsp_types::CodeAction> {
        let uri = &params.text_document.uri;
        let Some((findings, settings)) = self.findings(uri) else {
            return Vec::new();
        };
        let doc = &self.documents[uri];
        let text = Text::new(&doc.text, self.encoding);
        let (start, end) = (
            text.offset(params.range.start),
            text.offset(params.range.end),
        );
        let format = doc.format(uri, &settings);
        findings
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
            .collect()
    }
}

/// Whether saving this file can change what copylint checks against.
fn is_settings_file(uri: &Uri) -> bool {
    uri.as_str().ends_with(".toml")
}

fn diagnostic(text: &Text, f: &Finding) -> Diagnostic {
    let severity = match f.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = f.message.to_string();
    if !f.suggestions.is_empty() {
        message.push_str(&format!("\nUse instead: {}", f.suggestions.join("; ")));
    }
    Diagnostic {
        range: text.range(f.span.start(), f.span.end()),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.rule.to_string())),
        source: Some("copylint".into()),
        message,
        ..Diagnostic::default()
    }
}

#[cfg(test)]
mod tests;
