//! The language server's memory stays flat while a document is edited:
//! 10,000 edits of a 20 KB Markdown document, checked in bursts as a
//! writer types, through the real `copylint lsp` over its standard streams.
//! The server's resident set is read from /proc (Linux) after 1,000 edits
//! and after 10,000; what it holds for one document must not grow with the
//! number of edits.

#![cfg(target_os = "linux")]

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, ChildStdout, Stdio};

use serde_json::{Value, json};

struct Server {
    child: std::process::Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Server {
    fn start() -> Server {
        let mut child = common::bin()
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("copylint lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Server {
            child,
            stdin,
            stdout,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "server closed"
            );
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

    /// The next diagnostics published for version `version` or later.
    fn diagnostics_from(&mut self, version: i64) -> Value {
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"].as_i64().unwrap_or(0) >= version
            {
                return m["params"].clone();
            }
        }
    }

    /// The server's resident set, in KiB.
    fn rss_kib(&self) -> u64 {
        common::rss_kib(self.child.id())
    }
}

/// The document at edit `n`: 20 KB of Markdown whose wording, and so whose
/// findings, change from one edit to the next.
fn text(n: usize) -> String {
    let mut text = String::from("# Launch notes\n\n");
    for p in 0..80 {
        if (p + n).is_multiple_of(7) {
            text.push_str(&format!(
                "Edit {n}: each agent calls on ChatGPT for step {p}.\n\n"
            ));
        } else {
            text.push_str(&format!(
                "Paragraph {p} of edit {n} describes the runtime, which keeps state on AWS and is powered by OpenAI.\n\n"
            ));
        }
        text.push_str("A second sentence keeps the paragraph at a realistic length for copy.\n\n");
    }
    text
}

#[test]
fn memory_stays_flat_over_ten_thousand_edits() {
    let dir = tempfile::tempdir().unwrap();
    let uri = format!("file://{}/launch.md", dir.path().display());
    let mut server = Server::start();
    server.send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": null, "capabilities": {}}}));
    assert!(server.receive()["result"]["capabilities"].is_object());
    server.send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    server.send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 0, "text": text(0)}}}),
    );
    server.diagnostics_from(0);

    // Bursts of 100 keystrokes, each burst checked (at its last version)
    // before the next: 100 bursts make 10,000 edits.
    let mut rss = Vec::new();
    let mut checked = 0;
    for burst in 0..100 {
        let mut last = 0;
        for i in 1..=100 {
            last = burst * 100 + i;
            server.send(
                json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": last},
                "contentChanges": [{"text": text(last)}]}}),
            );
        }
        let d = server.diagnostics_from(last as i64);
        let found = d["diagnostics"].as_array().unwrap().len();
        assert!(found >= 11, "edit {last}: {found} diagnostics");
        checked += 1;
        if burst == 9 || burst == 99 {
            rss.push(server.rss_kib());
        }
    }
    assert_eq!(checked, 100);
    let (after_1k, after_10k) = (rss[0], rss[1]);
    println!("resident set: {after_1k} KiB after 1,000 edits, {after_10k} KiB after 10,000");
    // Flat: 9,000 more edits of a 20 KB document (180 MB of text received)
    // may not add more than 4 MiB, allocator slack included.
    assert!(
        after_10k <= after_1k + 4096,
        "grew from {after_1k} KiB to {after_10k} KiB"
    );

    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}));
    assert_eq!(server.receive()["id"], 2);
    server.send(json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    assert!(server.child.wait().unwrap().success());
}
