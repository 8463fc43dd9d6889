//! OCR in the language server: an open HTML page's local pictures are
//! read when the configuration says `ocr = true`, on open and on save, each
//! distinct image once per session; a change only finds images already
//! read. Drives the real `copylint lsp` over its standard streams.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use serde_json::{Value, json};

use super::DIR;
use crate::common;

struct Server {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start(dir: &std::path::Path) -> Server {
        let mut child = common::bin()
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("copylint lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            stdin,
            stdout,
        };
        server.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
        assert!(server.receive()["result"]["capabilities"].is_object());
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(self.stdout.read_line(&mut line).unwrap() > 0, "closed");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// Ends the session; what the server logged.
    fn finish(mut self) -> String {
        self.send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}));
        self.notify("exit", Value::Null);
        let mut log = String::new();
        self.child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        assert!(self.child.wait().unwrap().success());
        log
    }
}

fn of_rule<'a>(diagnostics: &'a [Value], rule: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == rule).collect()
}

#[test]
#[ignore = "needs tesseract"]
fn an_html_pages_pictures_are_read_on_open_and_save_each_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copylint.toml"), "ocr = true\n").unwrap();
    for image in ["banner.png", "misread.png"] {
        std::fs::copy(format!("{DIR}/{image}"), dir.path().join(image)).unwrap();
    }
    let page = "<h1>Launch</h1>\n<p>See the banner.</p>\n<img src=\"banner.png\" alt=\"\">\n";
    let uri = format!("file://{}/page.html", dir.path().display());
    let mut server = Server::start(dir.path());
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "html", "version": 1, "text": page}}),
    );
    let opened = server.diagnostics(&uri);
    let banner = of_rule(&opened, "enables-access");
    assert_eq!(banner.len(), 1, "{opened:?}");
    // On the picture's tag, led by the picture.
    assert_eq!(
        banner[0]["range"]["start"],
        json!({"line": 2, "character": 0})
    );
    assert_eq!(
        banner[0]["range"]["end"],
        json!({"line": 2, "character": 29})
    );
    let message = banner[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("image 1 (\"banner.png\"): "),
        "{message}"
    );
    assert!(message.contains("(read by OCR, confidence "), "{message}");

    // A second page showing the same picture: found, and not read again.
    let other = format!("file://{}/other.html", dir.path().display());
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": other, "languageId": "html", "version": 1, "text": page}}),
    );
    assert_eq!(
        of_rule(&server.diagnostics(&other), "enables-access").len(),
        1
    );

    // Typing a new picture in: the known one is still found, the new one
    // waits for the save.
    let typed = format!("{page}<img src=\"misread.png\">\n");
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": typed}]}),
    );
    let changed = server.diagnostics(&uri);
    assert_eq!(of_rule(&changed, "enables-access").len(), 1, "{changed:?}");
    assert!(
        of_rule(&changed, "access-to-openai").is_empty(),
        "{changed:?}"
    );
    let waiting = of_rule(&changed, "images-not-read");
    assert_eq!(waiting.len(), 1, "{changed:?}");
    assert_eq!(
        waiting[0]["message"],
        "1 image was not read (1 to be read when the file is saved)"
    );

    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let saved = server.diagnostics(&uri);
    let misread = of_rule(&saved, "access-to-openai");
    assert_eq!(misread.len(), 1, "{saved:?}");
    assert_eq!(misread[0]["range"]["start"]["line"], 3);
    assert!(of_rule(&saved, "images-not-read").is_empty(), "{saved:?}");

    // Two distinct pictures, each read once: on the first open, and on
    // the save.
    let log = server.finish();
    let reads: Vec<&str> = log.lines().filter(|l| l.contains("with OCR")).collect();
    assert_eq!(reads.len(), 2, "{log}");
    assert!(
        reads[0].ends_with("page.html: read 1 image with OCR"),
        "{log}"
    );
}

#[test]
fn a_page_without_ocr_in_its_configuration_has_its_pictures_counted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(format!("{DIR}/banner.png"), dir.path().join("banner.png")).unwrap();
    let uri = format!("file://{}/page.html", dir.path().display());
    let mut server = Server::start(dir.path());
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "html", "version": 1,
            "text": "<p>Hi</p><img src=\"banner.png\">\n"}}),
    );
    let d = server.diagnostics(&uri);
    assert!(of_rule(&d, "enables-access").is_empty(), "{d:?}");
    let unread = of_rule(&d, "images-not-read");
    assert_eq!(unread.len(), 1, "{d:?}");
    let log = server.finish();
    assert!(!log.contains("with OCR"), "{log}");
}
