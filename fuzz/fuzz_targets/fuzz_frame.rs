//! The language server's transport on arbitrary bytes: `copylint lsp`
//! reads its standard input with `copylint::frame::FrameReader`, so these
//! bytes are what a client (or anything on the other end of the pipe) may
//! send.
//!
//! The first byte picks the reader's buffer size (1 to 256 bytes, so frames
//! and header lines straddle refills as they do on a pipe) and the largest
//! body it accepts (0 to 255 bytes, so that refusing an oversized frame is
//! reached without 64 MiB inputs). Then, frame by frame until the input
//! ends or an error: never a panic, and each frame is exactly the bytes the
//! input holds there:
//!
//! - a body is the `length` bytes just before where the reader stands, and
//!   fits the limit; a refused frame declared more than the limit, and the
//!   reader stands just past its declared length;
//! - the bytes before the body are header lines, each ending in `\r\n` and
//!   no longer than `MAX_HEADER_LINE`, then an empty line, and one of them
//!   is a `Content-Length` that gives the length.
//!
//! The frames read, written again with `write_frame`, read back the same.
#![no_main]

use std::io::{BufRead, BufReader, Read};

use copylint::frame::{Frame, FrameReader, MAX_HEADER_LINE, write_frame};
use libfuzzer_sys::fuzz_target;

/// A buffered reader that counts the bytes its user has consumed.
struct Counting<R> {
    inner: R,
    consumed: std::rc::Rc<std::cell::Cell<usize>>,
}

impl<R: Read> Read for Counting<BufReader<R>> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.set(self.consumed.get() + n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Counting<BufReader<R>> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed.set(self.consumed.get() + amount);
        self.inner.consume(amount);
    }
}

/// The value of the `Content-Length` header among `headers`, as the
/// protocol defines it: the name in any case, the value decimal digits.
fn declared_length(headers: &[u8]) -> Option<u64> {
    let mut found = None;
    for line in headers.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        if line[..colon].eq_ignore_ascii_case(b"content-length") {
            let value = std::str::from_utf8(&line[colon + 1..]).ok()?;
            let n: u64 = value.trim_matches([' ', '\t']).parse().ok()?;
            assert!(found.is_none_or(|f| f == n), "two lengths accepted: {headers:?}");
            found = Some(n);
        }
    }
    found
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else {
        return;
    };
    let capacity = usize::from(mode) + 1;
    let max_body = u64::from(mode);
    let consumed = std::rc::Rc::new(std::cell::Cell::new(0));
    let reader = Counting {
        inner: BufReader::with_capacity(capacity, input),
        consumed: consumed.clone(),
    };
    let mut frames = FrameReader::with_max_body(reader, max_body);
    let mut bodies = Vec::new();
    let mut at = 0;
    loop {
        let frame = match frames.read() {
            Ok(Some(frame)) => frame,
            Ok(None) => {
                assert_eq!(consumed.get(), input.len(), "ended before the input did");
                break;
            }
            Err(_) => break,
        };
        let now = consumed.get();
        assert!(now <= input.len());
        let length = match &frame {
            Frame::Body(body) => {
                assert!(body.len() as u64 <= max_body, "a body over the limit");
                assert_eq!(&input[now - body.len()..now], &body[..], "not the input's bytes");
                bodies.push(body.clone());
                body.len() as u64
            }
            Frame::TooLarge { length } => {
                assert!(*length > max_body, "refused within the limit");
                *length
            }
        };
        let headers = &input[at..now - length as usize];
        assert!(headers.ends_with(b"\r\n\r\n"), "headers {headers:?}");
        for line in headers.split_inclusive(|&b| b == b'\n') {
            assert!(line.ends_with(b"\r\n") && line.len() <= MAX_HEADER_LINE, "{line:?}");
        }
        assert_eq!(declared_length(headers), Some(length), "headers {headers:?}");
        at = now;
    }

    // Written again, the bodies read back the same.
    let mut written = Vec::new();
    for body in &bodies {
        write_frame(&mut written, body).unwrap();
    }
    let mut again = FrameReader::with_max_body(&written[..], max_body);
    for body in &bodies {
        assert_eq!(again.read().unwrap(), Some(Frame::Body(body.clone())));
    }
    assert_eq!(again.read().unwrap(), None);
});
