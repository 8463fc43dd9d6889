//! The server's standard input and output, as a `Connection`.
//!
//! lsp-server's own stdio transport reserves whatever a frame's
//! `Content-Length` claims and ends on the first body that is not a
//! message; this one reads frames with [`copylint::frame`] instead:
//!
//! - a body over 64 MiB is read past without being kept, and logged;
//! - a body that is not a JSON-RPC message is logged and skipped;
//! - framing that cannot be followed (a malformed header, no or a bad
//!   `Content-Length`, input ending inside a frame) ends the input, with
//!   the reason kept for [`Reader::finish`].
//!
//! Log lines go to standard error, which editors show as the server's log.

use std::io::{self, BufWriter};
use std::thread::{self, JoinHandle};

use copylint::frame::{Frame, FrameError, FrameReader, MAX_BODY, write_frame};
use crossbeam_channel::{Receiver, bounded};
use lsp_server::{Connection, Message};

/// The thread reading standard input.
pub struct Reader(JoinHandle<Option<FrameError>>);

/// The thread writing standard output.
pub struct Writer(JoinHandle<io::Result<()>>);

impl Reader {
    /// Why the input ended, once it has: `None` at its end between frames
    /// (or after `exit`), else the framing error. Call only after the
    /// server's receiver has disconnected, or this waits for more input.
    pub fn finish(self) -> Option<FrameError> {
        self.0.join().unwrap_or(None)
    }
}

impl Writer {
    /// Waits until every message sent has been written.
    pub fn finish(self) -> io::Result<()> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer panicked")))
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, Reader, Writer) {
    // Unbuffered, as lsp-server's: the reader runs at most one message
    // ahead of the server, and the pipe holds the rest.
    let (to_server, from_reader) = bounded::<Message>(0);
    let (to_writer, from_server) = bounded::<Message>(0);
    let reader = thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read(io::stdin().lock(), |m| to_server.send(m).is_ok()))
        .expect("spawning the reader thread");
    let writer = thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write(from_server, &mut BufWriter::new(io::stdout().lock())))
        .expect("spawning the writer thread");
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    (connection, Reader(reader), Writer(writer))
}

/// Reads messages from `input` and hands each to `deliver` until the input
/// ends, `exit` has been delivered, or `deliver` returns `false`; returns
/// the framing error that ended the input, if one did.
pub fn read(
    input: impl io::BufRead,
    mut deliver: impl FnMut(Message) -> bool,
) -> Option<FrameError> {
    let mut frames = FrameReader::new(input);
    loop {
        match frames.read() {
            Ok(None) => return None,
            Err(e) => return Some(e),
            Ok(Some(Frame::TooLarge { length })) => log(&format!(
                "skipped a message of {length} bytes, over the limit of {} MiB",
                MAX_BODY >> 20
            )),
            Ok(Some(Frame::Body(body))) => match parse(&body) {
                Ok(message) => {
                    let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                    if !deliver(message) || exit {
                        return None;
                    }
                }
                Err(e) => log(&format!(
                    "skipped a message that is not JSON-RPC ({e}): {}",
                    excerpt(&body)
                )),
            },
        }
    }
}

/// A body as a message. JSON-RPC messages are objects; serde would also
/// take an array for one (`["exit"]`), which no client sends.
fn parse(body: &[u8]) -> Result<Message, String> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err("not a JSON object".into());
    }
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

fn write(messages: Receiver<Message>, out: &mut impl io::Write) -> io::Result<()> {
    for message in messages {
        let body = serde_json::to_vec(&Tagged {
            jsonrpc: "2.0",
            message: &message,
        })?;
        write_frame(out, &body)?;
    }
    Ok(())
}

/// A message with the `jsonrpc` member JSON-RPC 2.0 asks for.
#[derive(serde::Serialize)]
struct Tagged<'a> {
    jsonrpc: &'static str,
    #[serde(flatten)]
    message: &'a Message,
}

/// Writes one line to the server's log (standard error).
pub fn log(line: &str) {
    eprintln!("copylint lsp: {line}");
}

/// The start of a body, for the log: at most 100 characters, escaped.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]);
    let short: String = text.chars().take(100).collect();
    format!(
        "{short:?}{}",
        if short.len() < body.len() { "…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn read_all(input: &[u8]) -> (Vec<Message>, Option<FrameError>) {
        let mut got = Vec::new();
        let end = read(input, |m| {
            got.push(m);
            true
        });
        (got, end)
    }

    #[test]
    fn bodies_that_are_not_messages_are_skipped() {
        let mut input = Vec::new();
        for body in [
            "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}",
            "{not json",
            "[1,2]",
            "[\"exit\"]",
            "{\"jsonrpc\":\"2.0\"}",
            "\u{FEFF}{}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"shutdown\"}",
        ] {
            input.extend(frame(body));
        }
        input.extend(b"Content-Length: 2\r\n\r\n\xff\xfe");
        input.extend(frame("{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"));
        input.extend(frame("{\"jsonrpc\":\"2.0\",\"method\":\"after-exit\"}"));
        let (got, end) = read_all(&input);
        assert!(end.is_none(), "{end:?}");
        let methods: Vec<&str> = got
            .iter()
            .map(|m| match m {
                Message::Request(r) => r.method.as_str(),
                Message::Notification(n) => n.method.as_str(),
                Message::Response(_) => "response",
            })
            .collect();
        // Nothing is read after `exit`.
        assert_eq!(methods, ["initialized", "shutdown", "exit"]);
    }

    #[test]
    fn broken_framing_ends_the_input_with_its_reason() {
        let mut input = frame("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}");
        input.extend(b"Content-Length: nine\r\n\r\n{}");
        let (got, end) = read_all(&input);
        assert_eq!(got.len(), 1);
        assert!(matches!(end, Some(FrameError::Length(_))), "{end:?}");
    }

    #[test]
    fn writes_jsonrpc_frames() {
        let (tx, rx) = bounded(1);
        let n = lsp_server::Notification::new("x".into(), serde_json::json!({"a": 1}));
        tx.send(n.into()).unwrap();
        drop(tx);
        let mut out = Vec::new();
        write(rx, &mut out).unwrap();
        let body = "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"a\":1}}";
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(frame(body)).unwrap()
        );
    }
}
