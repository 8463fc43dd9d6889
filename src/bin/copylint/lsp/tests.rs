//! The server driven over an in-memory connection, as an editor drives it.

use std::thread;
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

use super::{Ending, serve};

struct Client {
    conn: Connection,
    server: Option<thread::JoinHandle<Ending>>,
    next_id: i32,
}

impl Client {
    fn start(encodings: &[&str], options: Value) -> Client {
        // Unbounded, as pipes are buffered: neither side blocks on a send.
        let (to_server, from_client) = crossbeam_channel::unbounded();
        let (to_client, from_server) = crossbeam_channel::unbounded();
        let server = Connection {
            sender: to_client,
            receiver: from_client,
        };
        let conn = Connection {
            sender: to_server,
            receiver: from_server,
        };
        let handle = thread::spawn(move || serve(&server).expect("the server runs"));
        let mut client = Client {
            conn,
            server: Some(handle),
            next_id: 0,
        };
        let init = client.request(
            "initialize",
            json!({
                "capabilities": { "general": { "positionEncodings": encodings } },
                "initializationOptions": options,
            }),
        );
        assert!(init["capabilities"]["hoverProvider"].as_bool().unwrap());
        client.notify("initialized", json!({}));
        client
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.conn.sender.send(Message::Notification(n)).unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let r = Request::new(id.clone(), method.to_string(), params);
        self.conn.sender.send(Message::Request(r)).unwrap();
        loop {
            match self.receive() {
                Message::Response(r) if r.id == id => return r.response_result.expect("no error"),
                _ => continue,
            }
        }
    }

    /// The code actions offered for `diagnostic` of the document `uri`.
    fn code_actions(&mut self, uri: &str, diagnostic: &Value) -> Value {
        self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": diagnostic["range"],
                "context": { "diagnostics": [diagnostic] },
            }),
        )
    }

    fn receive(&self) -> Message {
        self.conn
            .receiver
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answers")
    }

    /// The next notification with `method`, skipping others.
    fn next(&self, method: &str) -> Value {
        loop {
            if let Message::Notification(n) = self.receive()
                && n.method == method
            {
                return n.params;
            }
        }
    }

    fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let ending = self.server.take().unwrap().join().unwrap();
        assert_eq!(ending, Ending::Exit { shut_down: true });
    }
}

fn uri(dir: &std::path::Path, name: &str) -> String {
    format!("file://{}/{name}", dir.display())
}

const PAGE: &str = "# Launch\n\n🙂 Each agent calls on ChatGPT daily.\n";

#[test]
fn diagnostics_follow_the_unsaved_text_at_utf16_positions() {
    let dir = tempfile::tempdir().unwrap();
    let page = uri(dir.path(), "page.md");
    let client = Client::start(&["utf-16"], Value::Null);
    client.open(&page, PAGE);
    let d = client.next("textDocument/publishDiagnostics");
    assert_eq!(d["uri"], page.as_str());
    let diagnostics = d["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{d}");
    let line = PAGE.lines().nth(2).unwrap();
    let before = &line[..line.find("calls").unwrap()];
    let start = before.encode_utf16().count();
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({ "line": 2, "character": start })
    );
    assert_eq!(
        diagnostics[0]["range"]["end"],
        json!({ "line": 2, "character": start + "calls on ChatGPT".len() })
    );
    assert_eq!(diagnostics[0]["code"], "calls-on-openai");
    assert_eq!(diagnostics[0]["severity"], 1);
    // An edit that removes the phrase clears the squiggle.
    client.change(&page, 2, "# Launch\n\nPowered by OpenAI.\n");
    let d = client.next("textDocument/publishDiagnostics");
    assert_eq!(
        (d["version"].clone(), d["diagnostics"].clone()),
        (json!(2), json!([]))
    );
    client.stop();
}

#[test]
fn a_burst_of_changes_is_checked_once_at_its_last_version() {
    let dir = tempfile::tempdir().unwrap();
    let page = uri(dir.path(), "page.md");
    let client = Client::start(&[], Value::Null);
    client.open(&page, "Fine.\n");
    client.next("textDocument/publishDiagnostics");
    for v in 2..=30 {
        client.change(&page, v, &"It calls on ChatGPT. ".repeat(v as usize));
    }
    let d = client.next("textDocument/publishDiagnostics");
    assert_eq!(d["version"], 30, "older versions are never checked");
    assert_eq!(d["diagnostics"].as_array().unwrap().len(), 30);
    client.stop();
}

#[test]
fn code_actions_disable_the_rule_and_hover_explains_it() {
    let dir = tempfile::tempdir().unwrap();
    let page = uri(dir.path(), "page.md");
    let mut client = Client::start(&["utf-8"], Value::Null);
    client.open(&page, PAGE);
    let d = client.next("textDocument/publishDiagnostics");
    let diagnostic = d["diagnostics"][0].clone();
    let actions = client.code_actions(&page, &diagnostic);
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Disable `calls-on-openai` for this line",
            "Disable `calls-on-openai` in this file"
        ]
    );
    let edit = &actions[0]["edit"]["changes"][page.as_str()][0];
    assert_eq!(edit["range"]["start"], json!({ "line": 2, "character": 0 }));
    assert_eq!(
        edit["newText"],
        "<!-- copylint-disable-next-line calls-on-openai -->\n"
    );
    assert_eq!(actions[0]["diagnostics"][0]["code"], "calls-on-openai");
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": page }, "position": diagnostic["range"]["start"] }),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("`calls-on-openai`") && text.contains("Bad:") && text.contains("Good:"),
        "{text}"
    );
    // Nowhere near a finding: no hover.
    let none = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": page }, "position": { "line": 0, "character": 1 } }),
    );
    assert_eq!(none, Value::Null);
    client.stop();
}

#[test]
fn a_misspelt_name_is_fixed_by_the_preferred_quick_fix() {
    let dir = tempfile::tempdir().unwrap();
    let page = uri(dir.path(), "page.md");
    let mut client = Client::start(&["utf-16"], Value::Null);
    let text = "🙂 Teams saw Chat GPT daily.\n";
    client.open(&page, text);
    let d = client.next("textDocument/publishDiagnostics");
    let diagnostic = (d["diagnostics"].as_array().unwrap().iter())
        .find(|d| d["code"] == "chatgpt-spelling")
        .cloned()
        .unwrap_or_else(|| panic!("{d}"));
    let actions = client.code_actions(&page, &diagnostic);
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix", "{actions}");
    assert_eq!(fix["isPreferred"], true, "a safe fix is the preferred one");
    let edit = &fix["edit"]["changes"][page.as_str()][0];
    // The emoji is two UTF-16 code units.
    let start = "🙂 Teams saw ".encode_utf16().count();
    assert_eq!(
        edit["range"],
        json!({
            "start": { "line": 0, "character": start },
            "end": { "line": 0, "character": start + "Chat GPT".len() },
        })
    );
    assert_eq!(edit["newText"], "ChatGPT");
    client.stop();
}

#[test]
fn a_broken_policy_is_a_diagnostic_and_a_message_and_reloads_when_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "name = \"acme\"\n[[rules]]\nid = \"Bad Id\"\n").unwrap();
    let page = uri(dir.path(), "page.md");
    let client = Client::start(&[], json!({ "policies": [policy] }));
    client.open(&page, PAGE);
    let message = client.next("window/showMessage");
    assert_eq!(message["type"], 1);
    assert!(
        message["message"].as_str().unwrap().contains("policy.toml"),
        "{message}"
    );
    let d = client.next("textDocument/publishDiagnostics");
    assert_eq!(d["uri"], uri(dir.path(), "policy.toml"));
    assert!(!d["diagnostics"].as_array().unwrap().is_empty(), "{d}");
    // Fixed and saved: the policy's diagnostics clear, the page is checked.
    std::fs::write(&policy, "name = \"acme\"\n[[rules]]\nid = \"daily\"\nseverity = \"info\"\nmessage = \"m\"\npattern = \"daily\"\nexplanation = \"e\"\nbad = [\"daily\"]\ngood = [\"weekly\"]\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({ "textDocument": { "uri": uri(dir.path(), "policy.toml") } }),
    );
    let d = client.next("textDocument/publishDiagnostics");
    assert_eq!(
        (d["uri"].clone(), d["diagnostics"].clone()),
        (json!(uri(dir.path(), "policy.toml")), json!([]))
    );
    let d = client.next("textDocument/publishDiagnostics");
    let codes: Vec<&str> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["calls-on-openai", "daily"]);
    client.stop();
}

/// A file's findings and notices as the command line reports them in
/// JSON: each notice's kind and line, then each finding's rule and line.
fn command_line_report(path: &std::path::Path) -> Vec<(String, u64)> {
    let args = ["copylint", "--no-config", "--format", "json"];
    let cli = <crate::cli::Cli as clap::Parser>::parse_from(
        args.iter().copied().chain([path.to_str().unwrap()]),
    );
    let settings = crate::settings::Settings::from_cli(&cli).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let mut streams = crate::Streams {
        out: &mut out,
        err: &mut err,
        out_color: false,
        err_color: false,
        err_terminal: false,
    };
    crate::check::check(settings, &mut streams).unwrap();
    let report: Value = serde_json::from_slice(&out).unwrap();
    let notices = report["notices"].as_array().unwrap().iter().map(|n| {
        let line = n["line"].as_u64().unwrap_or(1);
        (n["kind"].as_str().unwrap().to_string(), line)
    });
    let findings = report["diagnostics"].as_array().unwrap().iter().map(|d| {
        let line = d["start"]["line"].as_u64().unwrap();
        (d["rule"].as_str().unwrap().to_string(), line)
    });
    notices.chain(findings).collect()
}

/// The server checks an editor's text as the command line checks the same
/// bytes in a file: the same format choice, the same findings, the same
/// notices (each a diagnostic coded by its kind, on its line). The server
/// once read a page without an extension as text where the command line
/// sniffs HTML, and said nothing of a directive naming an unknown rule.
#[test]
fn the_server_reports_a_text_as_the_command_line_reports_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "directive.md",
            "<!-- copylint-disable-next-line no-such-rule -->\nThe SRE enables access to ChatGPT.\n",
            vec![("unknown-rule", 1), ("enables-access", 2)],
        ),
        (
            "page",
            "<!doctype html>\n<p>The SRE <b>enables</b> access to ChatGPT.</p>\n",
            vec![("enables-access", 2)],
        ),
    ];
    let client = Client::start(&["utf-16"], json!({}));
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let cli = command_line_report(&path);
        let expected: Vec<(String, u64)> = expected
            .into_iter()
            .map(|(c, l)| (c.to_string(), l))
            .collect();
        assert_eq!(cli, expected, "the command line, {name}");
        client.open(&uri(dir.path(), name), text);
        let published = client.next("textDocument/publishDiagnostics");
        let server: Vec<(String, u64)> = published["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let line = d["range"]["start"]["line"].as_u64().unwrap() + 1;
                (d["code"].as_str().unwrap().to_string(), line)
            })
            .collect();
        assert_eq!(server, cli, "the server, {name}");
    }
    client.stop();
}
