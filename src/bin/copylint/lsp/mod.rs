//! `copylint lsp`: a language server over standard input and output.
//!
//! Open documents are checked from their unsaved text on open, on change
//! and on save, as the command line checks the same text in a file
//! ([`copylint::file`]): the same format choice, size limit, findings and
//! notices; a notice becomes a diagnostic on its line, coded by its kind
//! (`unknown-rule`, `too-large`, ...). Changes
//! are debounced: after one arrives the server keeps reading messages for
//! a short while, so a burst of keystrokes is checked once, at its last
//! version, and older versions are never checked at all. Each document
//! uses the settings `copylint.toml` gives its folder, as on the command
//! line, plus the client's settings; a change to a configuration or policy
//! file reloads them, and a broken policy becomes a diagnostic on the
//! policy file and a message, never a crash. With `ocr = true`, an HTML
//! page's local pictures are read on open and save ([`images`]).
//!
//! Nothing a client sends ends the server but `exit` or input that cannot
//! be read as frames ([`transport`]): a request with bad parameters, for a
//! document not open or at a position outside it gets an error response;
//! an unknown request gets `MethodNotFound`; a notification with bad
//! parameters is logged and dropped; a request that panics gets
//! `InternalError`. The process exits 0 after `shutdown` and `exit`, and 1
//! when the session ends any other way, as the protocol asks.

mod actions;
mod convert;
mod images;
mod requests;
mod transport;

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use copylint::{Error, Finding, Format, Notice, Source};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity, HoverProviderCapability,
    InitializeParams, MessageType, PublishDiagnosticsParams, ServerCapabilities, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::cli::Cli;
use crate::settings::Settings;
use convert::{Encoding, Text, diagnostic, notice_diagnostic, path_to_uri, uri_to_path};
use transport::log;

/// How long the server waits for more changes before checking.
const DEBOUNCE: Duration = Duration::from_millis(40);
/// The longest a burst of changes can delay a check.
const MAX_DELAY: Duration = Duration::from_millis(250);

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The client sent `exit`, after `shutdown` or not.
    Exit { shut_down: bool },
    /// The input ended, or could no longer be read as frames.
    InputEnded { shut_down: bool },
}

/// Runs the server on standard input and output until the session ends;
/// returns the exit status: 0 after `shutdown`, 1 without.
pub fn run() -> Result<u8, Failure> {
    let (connection, reader, writer) = transport::stdio();
    let ending = serve(&connection);
    // The writer ends once it has written what the server sent.
    drop(connection);
    let written = writer.finish();
    let ending = ending?;
    written?;
    let shut_down = match ending {
        Ending::Exit { shut_down } => shut_down,
        Ending::InputEnded { shut_down } => {
            // The input has ended, so the reader has too.
            if let Some(e) = reader.finish() {
                log(&format!(
                    "ending the session: the input cannot be read as messages: {e}"
                ));
                return Ok(1);
            }
            shut_down
        }
    };
    Ok(if shut_down { 0 } else { 1 })
}

/// An error response to a request.
struct Refusal {
    code: ErrorCode,
    message: String,
}

impl Refusal {
    fn new(code: ErrorCode, message: impl Into<String>) -> Refusal {
        Refusal {
            code,
            message: message.into(),
        }
    }

    fn invalid(message: impl Into<String>) -> Refusal {
        Refusal::new(ErrorCode::InvalidParams, message)
    }
}

/// A request's or notification's parameters, or why they do not fit.
fn params<T: DeserializeOwned>(method: &str, value: Value) -> Result<T, Refusal> {
    serde_json::from_value(value)
        .map_err(|e| Refusal::invalid(format!("invalid parameters for {method}: {e}")))
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
        let mut cli = Cli::default();
        cli.policy.config = self.config.clone();
        cli.policy.policies = self.policies.clone();
        cli.policy.no_default_policy = self.no_default_policy;
        cli
    }
}

struct Document {
    text: String,
    version: i32,
    path: Option<PathBuf>,
    /// The next check reads images not read yet (it follows an open or a
    /// save, not a change).
    read_images: bool,
    /// What checking `version` found, once checked.
    checked: Option<Rc<Checked>>,
}

/// What checking a document found.
struct Checked {
    findings: Vec<Finding>,
    /// Findings in the text of pictures, which has no place in the text.
    in_pictures: Vec<Finding>,
    /// Pictures left to be read when the file is saved.
    pending: usize,
    notices: Vec<Notice>,
    /// The format its text was read as.
    format: Format,
}

impl Document {
    /// The name findings are reported under: the path, or the URI.
    fn name(&self, uri: &Uri) -> String {
        self.path.as_ref().map_or_else(
            || uri.as_str().to_string(),
            |p| p.to_string_lossy().into_owned(),
        )
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
    /// `shutdown` was answered: requests are refused, `exit` awaited.
    shut_down: bool,
    /// A message could not be sent: the output is gone.
    output_lost: bool,
    #[cfg(feature = "ocr")]
    images: images::Session,
}

/// Waits for `initialize` and answers it, then serves until the session
/// ends.
pub fn serve(connection: &Connection) -> Result<Ending, Failure> {
    let (id, params) = loop {
        let Ok(message) = connection.receiver.recv() else {
            return Ok(Ending::InputEnded { shut_down: false });
        };
        match message {
            Message::Request(r) if r.method == req::Initialize::METHOD => {
                match params::<InitializeParams>(&r.method, r.params) {
                    Ok(p) => break (r.id, p),
                    Err(refusal) => respond(connection, r.id, Err(refusal))?,
                }
            }
            Message::Request(r) => {
                let refusal = Refusal::new(
                    ErrorCode::ServerNotInitialized,
                    format!("{} before initialize", r.method),
                );
                respond(connection, r.id, Err(refusal))?;
            }
            Message::Notification(n) if n.method == note::Exit::METHOD => {
                return Ok(Ending::Exit { shut_down: false });
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    };
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
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "copylint", "version": env!("CARGO_PKG_VERSION") },
    });
    respond(connection, id, Ok(result))?;
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
        shut_down: false,
        output_lost: false,
        #[cfg(feature = "ocr")]
        images: images::Session::default(),
    };
    server.main_loop()
}

/// Sends the response to request `id`.
fn respond(
    connection: &Connection,
    id: RequestId,
    result: Result<Value, Refusal>,
) -> Result<(), Failure> {
    let response = match result {
        Ok(value) => Response::new_ok(id, value),
        Err(r) => Response::new_err(id, r.code as i32, r.message),
    };
    connection.sender.send(response.into())?;
    Ok(())
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<Ending, Failure> {
        while let Ok(message) = self.connection.receiver.recv() {
            if let Some(ending) = self.handle(message) {
                return Ok(ending);
            }
            // Debounce: take what else has arrived before checking.
            let burst = Instant::now();
            while !self.dirty.is_empty() && burst.elapsed() < MAX_DELAY {
                match self.connection.receiver.recv_timeout(DEBOUNCE) {
                    Ok(message) => {
                        if let Some(ending) = self.handle(message) {
                            return Ok(ending);
                        }
                    }
                    Err(_) => break,
                }
            }
            self.publish_dirty();
            if self.output_lost {
                return Err("the output closed".into());
            }
        }
        Ok(Ending::InputEnded {
            shut_down: self.shut_down,
        })
    }

    /// Handles one message; the ending when the client said `exit`.
    fn handle(&mut self, message: Message) -> Option<Ending> {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) if n.method == note::Exit::METHOD => {
                return Some(Ending::Exit {
                    shut_down: self.shut_down,
                });
            }
            // After `shutdown`, only `exit` counts.
            Message::Notification(_) if self.shut_down => {}
            Message::Notification(n) => {
                let method = n.method.clone();
                let handled = catch_unwind(AssertUnwindSafe(|| self.notification(n)));
                match handled {
                    Ok(Ok(())) => {}
                    Ok(Err(Refusal { message, .. })) => log(&format!("ignored: {message}")),
                    Err(_) => log(&format!("{method} failed (a panic), ignored")),
                }
            }
            Message::Response(_) => {}
        }
        None
    }

    fn request(&mut self, r: Request) {
        let result = if self.shut_down {
            Err(Refusal::new(
                ErrorCode::InvalidRequest,
                format!("{} after shutdown", r.method),
            ))
        } else {
            let method = r.method.clone();
            catch_unwind(AssertUnwindSafe(|| self.answer(&r.method, r.params))).unwrap_or_else(
                |_| {
                    Err(Refusal::new(
                        ErrorCode::InternalError,
                        format!("{method} failed (a panic in copylint; please report it)"),
                    ))
                },
            )
        };
        if respond(self.connection, r.id, result).is_err() {
            self.output_lost = true;
        }
    }

    /// Handles a notification; unknown ones are ignored, as the protocol
    /// asks.
    fn notification(&mut self, n: Notification) -> Result<(), Refusal> {
        let method = n.method.as_str();
        match method {
            note::DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = params(method, n.params)?;
                let d = p.text_document;
                let path = uri_to_path(&d.uri);
                let doc = Document {
                    text: d.text,
                    version: d.version,
                    path,
                    read_images: true,
                    checked: None,
                };
                self.documents.insert(d.uri.clone(), doc);
                self.mark(d.uri);
            }
            note::DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = params(method, n.params)?;
                if let (Some(doc), Some(change)) = (
                    self.documents.get_mut(&p.text_document.uri),
                    p.content_changes.into_iter().last(),
                ) {
                    // Full sync: the last change holds the whole text.
                    doc.text = change.text;
                    doc.version = p.text_document.version;
                    doc.checked = None;
                    self.mark(p.text_document.uri);
                }
            }
            note::DidSaveTextDocument::METHOD => {
                let p: lsp_types::DidSaveTextDocumentParams = params(method, n.params)?;
                if is_settings_file(&p.text_document.uri) {
                    self.reload();
                } else {
                    // The saved text is checked reading new images, if a
                    // check of it is still to come or left some waiting.
                    if let Some(doc) = self.documents.get_mut(&p.text_document.uri)
                        && doc.checked.as_ref().is_none_or(|c| c.pending > 0)
                    {
                        doc.checked = None;
                        doc.read_images = true;
                    }
                    self.mark(p.text_document.uri);
                }
            }
            note::DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = params(method, n.params)?;
                self.documents.remove(&p.text_document.uri);
                self.dirty.retain(|u| u != &p.text_document.uri);
                self.send_diagnostics(p.text_document.uri, Vec::new(), None);
            }
            note::DidChangeConfiguration::METHOD => {
                let p: lsp_types::DidChangeConfigurationParams = params(method, n.params)?;
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
        #[cfg(feature = "ocr")]
        self.images.clear();
        // A policy that was broken may be fixed: clear its diagnostics; it
        // gets them again if it still is.
        for uri in std::mem::take(&mut self.broken) {
            self.send_diagnostics(uri, Vec::new(), None);
        }
        let open: Vec<Uri> = self.documents.keys().cloned().collect();
        for uri in open {
            if let Some(doc) = self.documents.get_mut(&uri) {
                doc.checked = None;
            }
            self.mark(uri);
        }
    }

    /// The settings for a document at `path`, resolved once per folder.
    fn settings_for(&mut self, path: Option<&Path>) -> Result<Rc<Settings>, Error> {
        let dir = settings_dir(path);
        if let Some(s) = self.settings.get(&dir) {
            return Ok(s.clone());
        }
        let cli = self.client.cli();
        let settings = Rc::new(Settings::resolve(&cli, Some(&dir))?);
        self.settings.insert(dir, settings.clone());
        Ok(settings)
    }

    /// Checks a document's current text, once per version.
    fn findings(&mut self, uri: &Uri) -> Option<(Rc<Checked>, Rc<Settings>)> {
        let path = self.documents.get(uri)?.path.clone();
        let settings = match self.settings_for(path.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                self.show_setup_error(&e);
                return None;
            }
        };
        #[cfg(feature = "ocr")]
        let readers = self
            .images
            .readers(&settings_dir(path.as_deref()), &settings);
        let doc = self.documents.get_mut(uri)?;
        if doc.checked.is_none() {
            let name = doc.name(uri);
            let path = PathBuf::from(&name);
            #[allow(unused_mut)]
            let mut file = settings.file_check();
            let fresh = std::mem::take(&mut doc.read_images);
            #[cfg(feature = "ocr")]
            let before = readers.as_ref().map_or(0, |r| r.fresh.images_recognized());
            #[cfg(feature = "ocr")]
            {
                file.ocr = (readers.as_deref()).map(|r| if fresh { &r.fresh } else { &r.cached });
            }
            let _ = fresh;
            let outcome = file.check_text(name, &path, &doc.text);
            #[cfg(feature = "ocr")]
            if let Some(r) = &readers {
                images::log_read(&outcome.name, r.fresh.images_recognized() - before);
            }
            let (in_pictures, findings) = (outcome.findings.into_iter())
                .partition(|f| matches!(f.unit, Some(copylint::source::Unit::Image { .. })));
            doc.checked = Some(Rc::new(Checked {
                format: (outcome.source.as_ref())
                    .map_or_else(|| file.format_of(&path), Source::format),
                pending: (outcome.source.as_ref()).map_or(0, |s| s.image_report().pending),
                findings,
                in_pictures,
                notices: outcome.notices,
            }));
        }
        Some((doc.checked.clone()?, settings))
    }

    /// Checks and publishes the documents changed since the last time. A
    /// check that panics publishes nothing for its document.
    fn publish_dirty(&mut self) {
        for uri in std::mem::take(&mut self.dirty) {
            let checked = catch_unwind(AssertUnwindSafe(|| self.findings(&uri)));
            let Ok(Some((checked, _))) = checked else {
                if checked.is_err() {
                    log(&format!("checking {} failed (a panic)", uri.as_str()));
                }
                continue;
            };
            let doc = &self.documents[&uri];
            let text = Text::new(&doc.text, self.encoding);
            let notices = checked.notices.iter().map(|n| notice_diagnostic(&text, n));
            let findings = checked.findings.iter().map(|f| diagnostic(&text, f));
            let pictures = (checked.in_pictures.iter()).map(|f| images::in_picture(&text, f));
            let diagnostics = notices.chain(findings).chain(pictures).collect();
            let version = Some(doc.version);
            self.send_diagnostics(uri, diagnostics, version);
        }
    }

    fn send_diagnostics(&mut self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let n = Notification::new(note::PublishDiagnostics::METHOD.to_string(), params);
        self.send(n.into());
    }

    /// Sends a message; a failure means the output is gone, and ends the
    /// session at the main loop.
    fn send(&mut self, message: Message) {
        if self.connection.sender.send(message).is_err() {
            self.output_lost = true;
        }
    }

    /// A setup error as a message, and as diagnostics on the file it is about.
    fn show_setup_error(&mut self, e: &Error) {
        let message = ShowMessageParams {
            typ: MessageType::ERROR,
            message: format!("copylint: {e}"),
        };
        let n = Notification::new(note::ShowMessage::METHOD.to_string(), message);
        self.send(n.into());
        let (Error::Policy(p) | Error::Config(p) | Error::DuplicateRule { error: p, .. }) = e
        else {
            return;
        };
        let Some(uri) = path_to_uri(Path::new(&p.origin)) else {
            return;
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
}

/// The folder whose settings a document at `path` gets.
fn settings_dir(path: Option<&Path>) -> PathBuf {
    path.and_then(Path::parent)
        .map(Path::to_path_buf)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// Whether saving this file can change what copylint checks against.
fn is_settings_file(uri: &Uri) -> bool {
    uri.as_str().ends_with(".toml")
}

#[cfg(test)]
mod tests;
