//! The language server under traffic an editor (or anything else on the
//! other end of the pipe) may send, through the real `copylint lsp` over
//! its standard streams: a bad request gets an error response and the
//! server goes on; an unknown request gets MethodNotFound; an oversized
//! frame is refused without being held; a body that is not JSON is logged
//! and skipped; only framing that cannot be followed ends the session, and
//! then with a message and exit status 1, never a crash.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdin, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const SERVER_NOT_INITIALIZED: i64 = -32002;

struct Server {
    child: std::process::Child,
    stdin: Option<ChildStdin>,
    /// Messages read from the server's output by a thread, so that a
    /// server that stops answering fails the test instead of hanging it.
    messages: Receiver<Value>,
    stderr: tempfile::NamedTempFile,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut child = common::bin()
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().unwrap())
            .spawn()
            .expect("copylint lsp starts");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length")];
                stdout.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            stderr,
            next_id: 0,
        }
    }

    /// A server past `initialize` and `initialized`.
    fn initialized() -> Server {
        let mut server = Server::start();
        let init = server.request("initialize", json!({ "capabilities": {} }));
        assert!(init["result"]["capabilities"].is_object(), "{init}");
        server.notify("initialized", json!({}));
        server
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("input open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send_body(&mut self, body: &[u8]) {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_bytes(&frame);
    }

    fn send(&mut self, message: Value) {
        self.send_body(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns the response to it (the whole message,
    /// `result` or `error`), skipping notifications.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(id)
    }

    fn response(&mut self, id: i64) -> Value {
        loop {
            let m = self.receive();
            if m.get("method").is_none() && m["id"] == id {
                assert_eq!(m["jsonrpc"], "2.0", "{m}");
                return m;
            }
        }
    }

    /// The error code of the response to a request.
    fn refused(&mut self, method: &str, params: Value) -> i64 {
        let r = self.request(method, params);
        assert!(r.get("result").is_none(), "{method} answered: {r}");
        r["error"]["code"].as_i64().unwrap_or_else(|| panic!("{r}"))
    }

    fn receive(&mut self) -> Value {
        match self.messages.recv_timeout(Duration::from_secs(30)) {
            Ok(m) => m,
            Err(e) => panic!("no message from the server ({e:?}); log:\n{}", self.log()),
        }
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

    /// Closes the server's input and waits for it to exit.
    fn close_and_wait(&mut self) -> ExitStatus {
        self.stdin = None;
        self.wait()
    }

    fn wait(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = self.child.kill();
                panic!("the server did not exit; log:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything the server logged to standard error so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap()
    }

    /// `shutdown`, then `exit`: the server exits with status 0.
    fn stop(mut self) -> String {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let status = self.wait();
        let log = self.log();
        assert_eq!(status.code(), Some(0), "{log}");
        log
    }

    /// The server's resident set in KiB (Linux).
    #[cfg(target_os = "linux")]
    fn rss_kib(&self) -> u64 {
        common::rss_kib(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const PAGE: &str = "# Launch\n\nEach agent calls on ChatGPT daily.\n";

/// A document open in the server, and its first diagnostics.
fn open_page(server: &mut Server, dir: &std::path::Path) -> String {
    let uri = format!("file://{}/page.md", dir.display());
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": PAGE } }),
    );
    assert_eq!(server.diagnostics(&uri).len(), 1);
    uri
}

fn hover_at(uri: &str, line: Value, character: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The hover over the finding of `PAGE` works: the server is still there.
fn still_serving(server: &mut Server, uri: &str) {
    let r = server.request("textDocument/hover", hover_at(uri, json!(2), json!(12)));
    let text = r["result"]["contents"]["value"].as_str();
    assert!(text.is_some_and(|t| t.contains("calls-on-openai")), "{r}");
}

#[test]
fn bad_requests_get_error_responses_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    let other = format!("file://{}/never-opened.md", dir.path().display());
    let hover = "textDocument/hover";
    for (params, why) in [
        (hover_at(&uri, json!(-1), json!(0)), "a negative line"),
        (hover_at(&uri, json!(0), json!(-5)), "a negative character"),
        (
            hover_at(&uri, json!(4_294_967_296_u64), json!(0)),
            "a line over u32",
        ),
        (hover_at(&uri, json!(1.5), json!(0)), "a fractional line"),
        (hover_at(&uri, json!("2"), json!(0)), "a line as a string"),
        (hover_at(&uri, json!(99), json!(0)), "a line past the end"),
        (hover_at(&uri, json!(5), json!(0)), "two lines past the end"),
        (hover_at(&other, json!(0), json!(0)), "a document not open"),
        (hover_at("not a uri", json!(0), json!(0)), "not a URI"),
        (
            json!({ "position": { "line": 0, "character": 0 } }),
            "no document",
        ),
        (json!({ "textDocument": { "uri": uri } }), "no position"),
        (json!(null), "no parameters"),
        (json!([1, 2]), "an array"),
        (json!("text"), "a string"),
    ] {
        assert_eq!(server.refused(hover, params), INVALID_PARAMS, "{why}");
        still_serving(&mut server, &uri);
    }
    // Past the end of a line is its end, as the protocol says; the start
    // of the line after the last is the end of the text.
    let r = server.request(hover, hover_at(&uri, json!(0), json!(4_000_000_000_u32)));
    assert_eq!(r["result"], Value::Null, "{r}");
    let r = server.request(hover, hover_at(&uri, json!(3), json!(0)));
    assert_eq!(r["result"], Value::Null, "{r}");

    let actions = "textDocument/codeAction";
    let range = |start: Value, end: Value| json!({ "textDocument": { "uri": uri }, "range": { "start": start, "end": end }, "context": { "diagnostics": [] } });
    for (params, why) in [
        (
            range(
                json!({ "line": 2, "character": 9 }),
                json!({ "line": 2, "character": 2 }),
            ),
            "a range that ends before it starts",
        ),
        (
            range(
                json!({ "line": 0, "character": 0 }),
                json!({ "line": 40, "character": 0 }),
            ),
            "a range past the end",
        ),
        (
            range(
                json!({ "line": -3, "character": 0 }),
                json!({ "line": 0, "character": 0 }),
            ),
            "a negative line",
        ),
        (
            json!({ "textDocument": { "uri": other }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } }, "context": { "diagnostics": [] } }),
            "a document not open",
        ),
        (
            json!({ "textDocument": { "uri": uri }, "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 0, "character": 0 } } }),
            "no context",
        ),
    ] {
        assert_eq!(server.refused(actions, params), INVALID_PARAMS, "{why}");
        still_serving(&mut server, &uri);
    }
    let whole = range(
        json!({ "line": 0, "character": 0 }),
        json!({ "line": 3, "character": 0 }),
    );
    let r = server.request(actions, whole);
    assert!(!r["result"].as_array().unwrap().is_empty(), "{r}");

    // A request id as a string is answered with that id.
    server.send(json!({ "jsonrpc": "2.0", "id": "h-1", "method": hover, "params": hover_at(&uri, json!(-1), json!(0)) }));
    let r = loop {
        let m = server.receive();
        if m["id"] == "h-1" {
            break m;
        }
    };
    assert_eq!(r["error"]["code"], INVALID_PARAMS, "{r}");
    server.stop();
}

#[test]
fn unknown_requests_get_method_not_found_and_unknown_notifications_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    for method in [
        "textDocument/completion",
        "$/customThing",
        "",
        "workspace/executeCommand",
    ] {
        assert_eq!(
            server.refused(method, json!({})),
            METHOD_NOT_FOUND,
            "{method:?}"
        );
    }
    server.notify("$/cancelRequest", json!({ "id": 99 }));
    server.notify("$/setTrace", json!({ "value": "verbose" }));
    server.notify("made/up", json!(null));
    // A second initialize is refused.
    assert_eq!(
        server.refused("initialize", json!({ "capabilities": {} })),
        INVALID_REQUEST
    );
    still_serving(&mut server, &uri);
    server.stop();
}

#[test]
fn notifications_with_bad_parameters_are_logged_and_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    for (method, params) in [
        (
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "text": 5 } }),
        ),
        ("textDocument/didOpen", json!(null)),
        (
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": -1.5 } }),
        ),
        ("textDocument/didChange", json!([])),
        ("textDocument/didSave", json!({})),
        ("textDocument/didClose", json!({ "textDocument": 7 })),
        ("workspace/didChangeConfiguration", json!(17)),
    ] {
        server.notify(method, params);
    }
    // A change to a document not open is no error, and changes nothing.
    let ghost = format!("file://{}/ghost.md", dir.path().display());
    server.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": ghost, "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );
    still_serving(&mut server, &uri);
    let log = server.stop();
    assert!(
        log.contains("invalid parameters for textDocument/didOpen"),
        "{log}"
    );
    assert!(
        log.contains("invalid parameters for workspace/didChangeConfiguration"),
        "{log}"
    );
}

#[test]
fn before_initialize_requests_are_refused_and_a_bad_initialize_can_be_retried() {
    let mut server = Server::start();
    assert_eq!(
        server.refused("textDocument/hover", json!({})),
        SERVER_NOT_INITIALIZED
    );
    assert_eq!(
        server.refused("shutdown", Value::Null),
        SERVER_NOT_INITIALIZED
    );
    server.notify("textDocument/didOpen", json!({}));
    assert_eq!(
        server.refused("initialize", json!({ "capabilities": 3 })),
        INVALID_PARAMS
    );
    assert_eq!(server.refused("initialize", json!(null)), INVALID_PARAMS);
    let init = server.request("initialize", json!({ "capabilities": {} }));
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    server.notify("initialized", json!({}));
    let dir = tempfile::tempdir().unwrap();
    let uri = open_page(&mut server, dir.path());
    still_serving(&mut server, &uri);
    server.stop();
}

#[test]
fn after_shutdown_requests_are_refused_until_exit() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    let r = server.request("shutdown", Value::Null);
    assert_eq!(r["result"], Value::Null, "{r}");
    assert_eq!(
        server.refused("textDocument/hover", hover_at(&uri, json!(2), json!(12))),
        INVALID_REQUEST
    );
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    server.notify("exit", Value::Null);
    assert_eq!(server.wait().code(), Some(0));
}

#[test]
fn exit_without_shutdown_and_an_input_that_ends_exit_with_status_1() {
    let mut server = Server::initialized();
    server.notify("exit", Value::Null);
    assert_eq!(server.wait().code(), Some(1));

    let mut server = Server::initialized();
    assert_eq!(server.close_and_wait().code(), Some(1));
    // The log has nothing to say about an input that ends between frames.
    assert_eq!(server.log(), "");

    // Closed after `shutdown`: as good as `exit`.
    let mut server = Server::initialized();
    server.request("shutdown", Value::Null);
    assert_eq!(server.close_and_wait().code(), Some(0));
}

#[test]
fn bodies_that_are_not_json_rpc_are_logged_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    for body in [
        &b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "[..],
        b"not json at all",
        b"",
        b"\xff\xfe\x00{}",
        b"[{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}]",
        b"[\"exit\"]",
        b"{\"jsonrpc\":\"2.0\",\"result\":1}",
        b"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"shutdown\"}",
        b"{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"shutdown\"}",
        b"null",
        b"42",
    ] {
        server.send_body(body);
        still_serving(&mut server, &uri);
    }
    let log = server.stop();
    assert!(log.contains("not JSON-RPC"), "{log}");
    assert!(log.contains("not json at all"), "{log}");
}

#[test]
fn an_oversized_frame_is_refused_without_being_held() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    let limit: usize = 64 << 20;
    #[cfg(target_os = "linux")]
    let before = server.rss_kib();
    // 80 MiB declared and sent, a chunk at a time.
    let length: usize = 80 << 20;
    server.send_bytes(format!("Content-Length: {length}\r\n\r\n").as_bytes());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..length / chunk.len() {
        server.send_bytes(&chunk);
    }
    // Read past, and the next message is answered.
    still_serving(&mut server, &uri);
    #[cfg(target_os = "linux")]
    {
        let after = server.rss_kib();
        assert!(
            after < before + (limit as u64 >> 10) / 4,
            "resident set grew from {before} KiB to {after} KiB"
        );
    }
    // One byte over the limit is over it; exactly the limit is not.
    server.send_bytes(format!("Content-Length: {}\r\n\r\n", limit + 1).as_bytes());
    server.send_bytes(&vec![b' '; limit + 1]);
    still_serving(&mut server, &uri);
    let log = server.stop();
    assert!(
        log.contains(&format!("skipped a message of {length} bytes")),
        "{log}"
    );
    assert!(
        log.contains(&format!("skipped a message of {} bytes", limit + 1)),
        "{log}"
    );
}

#[test]
fn a_huge_declared_length_ends_cleanly_when_the_input_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    still_serving(&mut server, &uri);
    // Before the framing reader, this aborted the process (SIGABRT) on a
    // failed allocation.
    server.send_bytes(b"Content-Length: 99999999999\r\n\r\n{}");
    let status = server.close_and_wait();
    let log = server.log();
    assert_eq!(status.code(), Some(1), "{status:?}\n{log}");
    assert!(log.contains("input ended inside a frame"), "{log}");
}

#[test]
fn only_broken_framing_ends_the_session_and_cleanly() {
    for (bytes, reason) in [
        (
            &b"Content-Length: nine\r\n\r\n{}"[..],
            "invalid Content-Length",
        ),
        (b"Content-Length: -4\r\n\r\n{}", "invalid Content-Length"),
        (b"Content-Length 2\r\n\r\n{}", "malformed header"),
        (b"Content-Length: 2\n\n{}", "malformed header"),
        (b"Content-Type: text/plain\r\n\r\n{}", "no Content-Length"),
        (b"\r\n", "no Content-Length"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "malformed header"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Server::initialized();
        let uri = open_page(&mut server, dir.path());
        still_serving(&mut server, &uri);
        server.send_bytes(bytes);
        // The server ends by itself, without its input being closed.
        let status = server.wait();
        let log = server.log();
        assert_eq!(status.code(), Some(1), "{bytes:?}: {status:?}\n{log}");
        assert!(
            log.contains("ending the session: the input cannot be read as messages")
                && log.contains(reason),
            "{bytes:?}: {log}"
        );
    }
    // A header line that never ends is broken framing too, however long.
    let mut server = Server::initialized();
    let line = vec![b'a'; 1 << 20];
    let stdin = server.stdin.as_mut().unwrap();
    // The server stops reading once the line is too long: the write may
    // then fail on a closed pipe, which is fine.
    let _ = stdin.write_all(&line);
    let status = server.wait();
    assert_eq!(status.code(), Some(1), "{}", server.log());
    assert!(
        server.log().contains("header line is longer"),
        "{}",
        server.log()
    );
}

/// Many requests at once, some bad, each answered in order, none lost.
#[test]
fn a_flood_of_mixed_requests_is_answered_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::initialized();
    let uri = open_page(&mut server, dir.path());
    let mut frames = Vec::new();
    for id in 1000..1300 {
        let params = match id % 3 {
            0 => hover_at(&uri, json!(2), json!(12)),
            1 => hover_at(&uri, json!(-1), json!(0)),
            _ => json!("garbage"),
        };
        let body =
            json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": params })
                .to_string();
        frames.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
        frames.extend(b"Content-Length: 5\r\n\r\n{oops");
    }
    server.send_bytes(&frames);
    for id in 1000..1300 {
        let r = server.response(id);
        if id % 3 == 0 {
            assert!(r["result"].is_object(), "{r}");
        } else {
            assert_eq!(r["error"]["code"], INVALID_PARAMS, "{r}");
        }
    }
    server.stop();
}

/// A refused frame is not read: a request inside one gets no response,
/// and the server answers the next request as usual.
#[test]
fn a_request_inside_an_oversized_frame_is_never_answered() {
    let mut server = Server::initialized();
    let request = json!({ "jsonrpc": "2.0", "id": 77, "method": "shutdown" }).to_string();
    let padding = (64 << 20) + 1 - request.len();
    server.send_bytes(
        format!(
            "Content-Length: {}\r\n\r\n{request}",
            request.len() + padding
        )
        .as_bytes(),
    );
    server.send_bytes(&vec![b' '; padding]);
    server.notify("made/up", json!(null));
    match server.messages.recv_timeout(Duration::from_millis(500)) {
        Err(RecvTimeoutError::Timeout) => {}
        other => panic!("{other:?}"),
    }
    server.stop();
}
