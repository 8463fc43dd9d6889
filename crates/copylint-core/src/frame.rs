//! Content-Length framing of JSON-RPC messages over a byte stream, as the
//! Language Server Protocol writes them: header lines, each ending in
//! `\r\n`, then an empty line, then exactly `Content-Length` bytes of body.
//!
//! ```text
//! Content-Length: 52\r\n
//! \r\n
//! {"jsonrpc":"2.0","method":"initialized","params":{}}
//! ```
//!
//! [`FrameReader`] reads such frames from input nobody vouches for, and
//! never allocates what a header only claims: a header line is read up to
//! [`MAX_HEADER_LINE`] bytes, a body over [`MAX_BODY`] is read past without
//! keeping it (and reported as [`Frame::TooLarge`], after which the next
//! frame is read as usual), and a body within the limit is buffered as its
//! bytes arrive, not reserved up front. Only input that leaves no way to
//! find the next frame is an error ([`FrameError`]): a header that is not
//! `Name: value`, a missing or unreadable `Content-Length`, or an end of
//! input inside a frame. Other headers (`Content-Type`) are ignored.
//!
//! This module knows bytes only; what a body means is the caller's affair.

use std::io::{self, BufRead, Read, Write};

/// The largest body a frame may have: 64 MiB.
pub const MAX_BODY: u64 = 64 << 20;

/// The longest header line, `\r\n` included: 8 KiB.
pub const MAX_HEADER_LINE: usize = 8 << 10;

/// What one frame held.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// The body, exactly `Content-Length` bytes.
    Body(Vec<u8>),
    /// A body over the limit ([`MAX_BODY`]), read past and dropped;
    /// `length` is what its header declared.
    TooLarge { length: u64 },
}

/// Input that cannot be read as frames: after it there is no telling
/// where the next frame starts.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error(transparent)]
    Io(#[from] io::Error),
    /// A header line over [`MAX_HEADER_LINE`] bytes.
    #[error("a header line is longer than {MAX_HEADER_LINE} bytes")]
    LongHeader,
    /// A header line that is not `Name: value` ending in `\r\n`.
    #[error("malformed header {0:?}")]
    Header(String),
    /// A `Content-Length` that is not a decimal number of bytes, or two
    /// that disagree.
    #[error("invalid Content-Length {0:?}")]
    Length(String),
    /// The headers ended without a `Content-Length`.
    #[error("a frame has no Content-Length")]
    NoLength,
    /// The input ended inside a frame.
    #[error("the input ended inside a frame")]
    Truncated,
}

/// Reads frames one after another from a buffered reader.
pub struct FrameReader<R> {
    input: R,
    line: Vec<u8>,
    max_body: u64,
}

impl<R: BufRead> FrameReader<R> {
    /// A reader that refuses bodies over [`MAX_BODY`].
    pub fn new(input: R) -> FrameReader<R> {
        FrameReader::with_max_body(input, MAX_BODY)
    }

    /// A reader that refuses bodies over `max_body` bytes (a fuzzer uses a
    /// small limit to reach the refusal cheaply).
    pub fn with_max_body(input: R, max_body: u64) -> FrameReader<R> {
        FrameReader {
            input,
            line: Vec::new(),
            max_body,
        }
    }

    /// The next frame; `None` when the input ends between frames.
    pub fn read(&mut self) -> Result<Option<Frame>, FrameError> {
        let mut length: Option<u64> = None;
        let mut first = true;
        loop {
            if !self.read_line()? {
                return if first {
                    Ok(None)
                } else {
                    Err(FrameError::Truncated)
                };
            }
            first = false;
            let Some(line) = self.line.strip_suffix(b"\r\n") else {
                return Err(FrameError::Header(lossy(&self.line)));
            };
            if line.is_empty() {
                break;
            }
            let Some(colon) = line.iter().position(|&b| b == b':') else {
                return Err(FrameError::Header(lossy(line)));
            };
            let (name, value) = (&line[..colon], trim(&line[colon + 1..]));
            if name.is_empty() || name.iter().any(|b| !b.is_ascii_graphic()) {
                return Err(FrameError::Header(lossy(line)));
            }
            if !name.eq_ignore_ascii_case(b"Content-Length") {
                continue;
            }
            let parsed = Some(value)
                .filter(|v| !v.is_empty() && v.iter().all(u8::is_ascii_digit))
                .and_then(|v| std::str::from_utf8(v).ok()?.parse::<u64>().ok())
                .filter(|n| length.is_none_or(|l| l == *n));
            match parsed {
                Some(n) => length = Some(n),
                None => return Err(FrameError::Length(lossy(value))),
            }
        }
        let length = length.ok_or(FrameError::NoLength)?;
        let mut body = (&mut self.input).take(length);
        if length > self.max_body {
            if io::copy(&mut body, &mut io::sink())? < length {
                return Err(FrameError::Truncated);
            }
            return Ok(Some(Frame::TooLarge { length }));
        }
        let mut bytes = Vec::new();
        body.read_to_end(&mut bytes)?;
        if (bytes.len() as u64) < length {
            return Err(FrameError::Truncated);
        }
        Ok(Some(Frame::Body(bytes)))
    }

    /// Reads one line, its `\n` included, into `self.line`; `false` at the
    /// end of the input with nothing read. A last line without `\n` is
    /// returned as it is (and is then not a header).
    fn read_line(&mut self) -> Result<bool, FrameError> {
        self.line.clear();
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            };
            if buf.is_empty() {
                return Ok(!self.line.is_empty());
            }
            let (take, done) = match memchr::memchr(b'\n', buf) {
                Some(at) => (at + 1, true),
                None => (buf.len(), false),
            };
            if self.line.len() + take > MAX_HEADER_LINE {
                return Err(FrameError::LongHeader);
            }
            self.line.extend_from_slice(&buf[..take]);
            self.input.consume(take);
            if done {
                return Ok(true);
            }
        }
    }
}

/// Writes `body` as one frame and flushes.
pub fn write_frame(out: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(body)?;
    out.flush()
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !matches!(b, b' ' | b'\t'));
    let end = bytes.iter().rposition(|b| !matches!(b, b' ' | b'\t'));
    match (start, end) {
        (Some(s), Some(e)) => &bytes[s..=e],
        _ => &[],
    }
}

/// A header for an error message: lossy, and at most 80 characters.
fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Frame>, Option<FrameError>) {
        let mut reader = FrameReader::new(input);
        let mut out = Vec::new();
        loop {
            match reader.read() {
                Ok(Some(frame)) => out.push(frame),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    fn body(s: &str) -> Frame {
        Frame::Body(s.as_bytes().to_vec())
    }

    #[test]
    fn reads_frames_back_to_back() {
        let mut input = Vec::new();
        write_frame(&mut input, b"{}").unwrap();
        write_frame(&mut input, "{\"a\":\"é\"}".as_bytes()).unwrap();
        write_frame(&mut input, b"").unwrap();
        let (got, error) = frames(&input);
        assert!(error.is_none(), "{error:?}");
        assert_eq!(got, [body("{}"), body("{\"a\":\"é\"}"), body("")]);
    }

    #[test]
    fn headers_are_case_blind_and_others_ignored() {
        let input = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\
                      content-length:3\r\nX-Other:\r\n\r\nabcContent-Length:  1 \r\n\r\nd";
        let (got, error) = frames(input);
        assert!(error.is_none(), "{error:?}");
        assert_eq!(got, [body("abc"), body("d")]);
        // The same length twice is fine; two lengths are not.
        let (got, _) = frames(b"Content-Length: 1\r\nContent-Length: 1\r\n\r\nx");
        assert_eq!(got, [body("x")]);
        let (_, error) = frames(b"Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy");
        assert!(matches!(error, Some(FrameError::Length(_))), "{error:?}");
    }

    #[test]
    fn the_end_of_input_between_frames_is_no_error() {
        assert!(matches!(frames(b""), (v, None) if v.is_empty()));
        let (got, error) = frames(b"Content-Length: 1\r\n\r\nx");
        assert_eq!((got.len(), error.is_none()), (1, true));
    }

    #[test]
    fn an_oversized_body_is_skipped_and_reading_goes_on() {
        let length = MAX_BODY + 1;
        let mut input = format!("Content-Length: {length}\r\n\r\n").into_bytes();
        input.resize(input.len() + length as usize, b'x');
        write_frame(&mut input, b"{}").unwrap();
        let (got, error) = frames(&input);
        assert!(error.is_none(), "{error:?}");
        assert_eq!(got, [Frame::TooLarge { length }, body("{}")]);
    }

    #[test]
    fn a_huge_declared_length_allocates_nothing() {
        // Declared, never sent: the input ends inside the frame.
        let (got, error) = frames(b"Content-Length: 99999999999\r\n\r\n{}");
        assert!(got.is_empty());
        assert!(matches!(error, Some(FrameError::Truncated)), "{error:?}");
        // Within the limit but not sent: buffered as it arrives, so the
        // buffer holds what came, not what was declared.
        let mut reader = FrameReader::new(&b"Content-Length: 60000000\r\n\r\n{}"[..]);
        assert!(matches!(reader.read(), Err(FrameError::Truncated)));
        // Too long to count in bytes at all.
        let (_, error) = frames(b"Content-Length: 99999999999999999999999\r\n\r\n");
        assert!(matches!(error, Some(FrameError::Length(_))), "{error:?}");
    }

    #[test]
    fn broken_framing_is_an_error() {
        for (input, what) in [
            (&b"Content-Length: 2\n\n{}"[..], "header"),
            (b"Content-Length 2\r\n\r\n{}", "header"),
            (b": 2\r\n\r\n{}", "header"),
            (b"Content Length: 2\r\n\r\n{}", "header"),
            (b"Content-Length: -1\r\n\r\n", "length"),
            (b"Content-Length: 0x10\r\n\r\n", "length"),
            (b"Content-Length: \r\n\r\n", "length"),
            (b"Content-Length: +2\r\n\r\n{}", "length"),
            (b"\r\n", "no length"),
            (b"Content-Type: x\r\n\r\n{}", "no length"),
            (b"Content-Length: 2\r\n", "truncated"),
            (b"Content-Length: 2\r\n\r\n{", "truncated"),
            (b"Content-Le", "header"),
        ] {
            let (got, error) = frames(input);
            assert!(got.is_empty(), "{what}: {input:?}");
            let kind = match error {
                Some(FrameError::Header(_)) => "header",
                Some(FrameError::Length(_)) => "length",
                Some(FrameError::NoLength) => "no length",
                Some(FrameError::Truncated) => "truncated",
                other => panic!("{input:?}: {other:?}"),
            };
            assert_eq!(kind, what, "{input:?}");
        }
    }

    #[test]
    fn a_header_line_is_bounded() {
        let mut input = b"X-Padding: ".to_vec();
        input.resize(MAX_HEADER_LINE - 2, b'a');
        input.extend_from_slice(b"\r\nContent-Length: 1\r\n\r\nx");
        assert_eq!(frames(&input).0, [body("x")]);
        // One byte more, or a line that never ends, is refused.
        let mut input = b"X-Padding: ".to_vec();
        input.resize(MAX_HEADER_LINE - 1, b'a');
        input.extend_from_slice(b"\r\n");
        assert!(matches!(frames(&input).1, Some(FrameError::LongHeader)));
        let endless = vec![b'a'; 10 * MAX_HEADER_LINE];
        assert!(matches!(frames(&endless).1, Some(FrameError::LongHeader)));
    }

    #[test]
    fn reads_across_short_reads() {
        // A reader that hands out one byte at a time, as a pipe may.
        let mut input = Vec::new();
        write_frame(&mut input, b"{\"x\":1}").unwrap();
        write_frame(&mut input, b"[]").unwrap();
        let slow = io::BufReader::with_capacity(1, &input[..]);
        let mut reader = FrameReader::new(slow);
        assert_eq!(reader.read().unwrap(), Some(body("{\"x\":1}")));
        assert_eq!(reader.read().unwrap(), Some(body("[]")));
        assert_eq!(reader.read().unwrap(), None);
    }
}
