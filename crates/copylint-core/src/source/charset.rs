//! The character set an HTML page declares, found as a browser finds it,
//! and offsets in text decoded with it mapped back to the file's bytes.
//!
//! [`declared`] runs the HTML Standard's prescan of a byte stream: the
//! first `<meta charset>` or `<meta http-equiv="Content-Type"
//! content="…charset=…">`, skipping comments and other tags' attributes,
//! then an XML declaration's `encoding`. A browser prescans the first
//! 1024 bytes, and when its parser later meets a `<meta>` that declares
//! another encoding, it starts again with that one; a page whose bytes are
//! not UTF-8 is scanned further for the same reason. Labels are resolved
//! by encoding_rs, which implements the Encoding Standard.

use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252, X_USER_DEFINED};

use super::{Encoding as Decoded, decode};

/// How many leading bytes a browser prescans.
pub const PRESCAN: usize = 1024;

/// How far a page that is not UTF-8 is scanned for a later `<meta>`.
pub const LATE_SCAN: usize = 64 << 10;

/// The encoding the page `bytes` declares in its first `limit` bytes, if
/// it declares one that can be decoded (the "replacement" encoding, which
/// reads a whole page as one U+FFFD, is no answer).
pub fn declared(bytes: &[u8], limit: usize) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(limit)];
    prescan(head)
        .or_else(|| xml_encoding(head))
        .filter(|e| *e != REPLACEMENT)
}

fn is_space(b: u8) -> bool {
    matches!(b, 0x09 | 0x0A | 0x0C | 0x0D | 0x20)
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(bytes: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes, needle)
}

/// The prescan's loop over `b`; `None` when it runs out of bytes.
fn prescan(b: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            // The first '>' preceded by "--", which may be the opening's.
            i += 2 + find(&rest[2..], b"-->")? + 3;
            continue;
        }
        if starts_with_ignore_case(rest, b"<meta")
            && rest.get(5).is_some_and(|&c| is_space(c) || c == b'/')
        {
            i += 6;
            if let Some(found) = meta(b, &mut i)? {
                return Some(found);
            }
            continue;
        }
        let letter_at = |k: usize| rest.get(k).is_some_and(u8::is_ascii_alphabetic);
        if rest[0] == b'<' && (letter_at(1) || rest.get(1) == Some(&b'/') && letter_at(2)) {
            i += rest.iter().position(|&c| is_space(c) || c == b'>')?;
            while attribute(b, &mut i)?.is_some() {}
            i += 1;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            i += rest.iter().position(|&c| c == b'>')? + 1;
            continue;
        }
        i += 1;
    }
    None
}

/// The attributes of a `<meta>` from `i`: `Some(Some(encoding))` when they
/// declare one, `Some(None)` when not (the scan goes on after the tag's
/// last attribute), `None` when the bytes run out.
fn meta(b: &[u8], i: &mut usize) -> Option<Option<&'static Encoding>> {
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let (mut got_pragma, mut need_pragma, mut charset) = (false, None, None);
    while let Some((name, value)) = attribute(b, i)? {
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value == b"content-type",
            b"content" if charset.is_none() => {
                if let Some(found) = from_content(&value) {
                    charset = Some(found);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        seen.push(name);
    }
    *i += 1;
    let declared = match (need_pragma, charset) {
        (Some(true), _) if !got_pragma => None,
        (Some(_), Some(e)) if e == UTF_16BE || e == UTF_16LE => Some(UTF_8),
        (Some(_), Some(e)) if e == X_USER_DEFINED => Some(WINDOWS_1252),
        (Some(_), charset) => charset,
        (None, _) => None,
    };
    Some(declared)
}

/// The prescan's "get an attribute" from `i`: `Some(None)` at the tag's
/// `>` (left at `i`), `None` when the bytes run out. Names and values
/// are lowered to ASCII lower case.
#[allow(clippy::type_complexity)]
fn attribute(b: &[u8], i: &mut usize) -> Option<Option<(Vec<u8>, Vec<u8>)>> {
    let at = |i: usize| b.get(i).copied();
    while at(*i).is_some_and(|c| is_space(c) || c == b'/') {
        *i += 1;
    }
    if at(*i)? == b'>' {
        return Some(None);
    }
    let (mut name, mut value) = (Vec::new(), Vec::new());
    loop {
        let c = at(*i)?;
        match c {
            b'=' if !name.is_empty() => {
                *i += 1;
                break;
            }
            c if is_space(c) => {
                while at(*i).is_some_and(is_space) {
                    *i += 1;
                }
                if at(*i)? != b'=' {
                    return Some(Some((name, value)));
                }
                *i += 1;
                break;
            }
            b'/' | b'>' => return Some(Some((name, value))),
            c => name.push(c.to_ascii_lowercase()),
        }
        *i += 1;
    }
    while at(*i).is_some_and(is_space) {
        *i += 1;
    }
    match at(*i)? {
        quote @ (b'"' | b'\'') => loop {
            *i += 1;
            let c = at(*i)?;
            if c == quote {
                *i += 1;
                return Some(Some((name, value)));
            }
            value.push(c.to_ascii_lowercase());
        },
        b'>' => return Some(Some((name, value))),
        c => {
            value.push(c.to_ascii_lowercase());
            *i += 1;
        }
    }
    loop {
        let c = at(*i)?;
        if is_space(c) || c == b'>' {
            return Some(Some((name, value)));
        }
        value.push(c.to_ascii_lowercase());
        *i += 1;
    }
}

/// The encoding named by `charset=` in a `content` attribute's value.
fn from_content(value: &[u8]) -> Option<&'static Encoding> {
    let mut i = 0;
    loop {
        i += find(&value[i..], b"charset")? + b"charset".len();
        while value.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if value.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while value.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        let rest = &value[i..];
        return match rest.first()? {
            &quote @ (b'"' | b'\'') => {
                let end = rest[1..].iter().position(|&c| c == quote)?;
                Encoding::for_label(&rest[1..1 + end])
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|&c| is_space(c) || c == b';')
                    .unwrap_or(rest.len());
                Encoding::for_label(&rest[..end])
            }
        };
    }
}

/// The `encoding` of an XML declaration at the very start of `b`.
fn xml_encoding(b: &[u8]) -> Option<&'static Encoding> {
    if !b.starts_with(b"<?xml") {
        return None;
    }
    let decl = &b[..b.iter().position(|&c| c == b'>')?];
    let mut i = find(decl, b"encoding")? + b"encoding".len();
    let skip = |i: &mut usize| {
        while decl.get(*i).is_some_and(|&c| c <= 0x20) {
            *i += 1;
        }
    };
    skip(&mut i);
    if decl.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    skip(&mut i);
    let quote = *decl.get(i).filter(|&&c| c == b'"' || c == b'\'')?;
    let end = decl[i + 1..].iter().position(|&c| c == quote)?;
    let found = Encoding::for_label(&decl[i + 1..i + 1 + end])?;
    Some(if found == UTF_16BE || found == UTF_16LE {
        UTF_8
    } else {
        found
    })
}

/// Decodes an HTML page's bytes as [`decode`] does, but a page that is
/// not UTF-8 text is read in the encoding it declares: in its first 1024
/// bytes, as a browser prescans it, and when it is not UTF-8 at all,
/// further on, as a browser's parser would meet a later `<meta>`. A page whose bytes are valid UTF-8 beyond
/// ASCII is read as UTF-8 whatever it declares: a file on disk has no
/// HTTP header to say otherwise, and legacy text almost never forms valid
/// UTF-8 by chance, while a stale declaration in a page saved again as
/// UTF-8 is common.
pub fn decode_html(bytes: Vec<u8>) -> (String, Decoded) {
    if bytes.starts_with(b"\xEF\xBB\xBF")
        || bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
    {
        return decode(bytes);
    }
    let (bytes, utf8) = match String::from_utf8(bytes) {
        // ASCII reads the same in every encoding a page may declare but
        // ISO-2022-JP, whose text is ASCII bytes behind escapes.
        Ok(text) if !text.is_ascii() || memchr::memchr(0x1B, text.as_bytes()).is_none() => {
            return (text, Decoded::Utf8);
        }
        Ok(text) => (text.into_bytes(), true),
        Err(e) => (e.into_bytes(), false),
    };
    let declared = declared(&bytes, PRESCAN)
        .or_else(|| (!utf8).then(|| declared(&bytes, LATE_SCAN)).flatten());
    match declared {
        Some(e) if e != encoding_rs::UTF_8 => {
            let (text, _) = e.decode_without_bom_handling(&bytes);
            (text.into_owned(), Decoded::Declared(e))
        }
        _ => decode(bytes),
    }
}

/// File bytes of `text`, decoded from a legacy encoding: exact for every
/// character of a single-byte encoding, and for every character read from
/// well-formed bytes of a multi-byte one (a U+FFFD, which stands for
/// malformed bytes there, counts one byte). `encoder` is kept from call to
/// call, as ISO-2022-JP's escapes depend on what came before.
pub fn encoded_len(
    encoding: &'static Encoding,
    encoder: &mut Option<encoding_rs::Encoder>,
    text: &str,
) -> usize {
    if encoding.is_single_byte() {
        return text.chars().count();
    }
    let encoder = encoder.get_or_insert_with(|| encoding.new_encoder());
    let mut total = 0;
    let mut buf = [0u8; 64];
    let mut rest = text;
    while !rest.is_empty() {
        let (result, read, written) =
            encoder.encode_from_utf8_without_replacement(rest, &mut buf, false);
        total += written;
        rest = &rest[read..];
        if let encoding_rs::EncoderResult::Unmappable(_) = result {
            total += 1;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Format, Source};

    fn name(bytes: &[u8]) -> Option<&'static str> {
        declared(bytes, PRESCAN).map(Encoding::name)
    }

    #[test]
    fn meta_charset_and_pragma_are_found() {
        assert_eq!(name(b"<meta charset=shift_jis>"), Some("Shift_JIS"));
        assert_eq!(name(b"<META CharSet='KOI8-R'/>"), Some("KOI8-R"));
        assert_eq!(
            name(br#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">"#),
            Some("windows-1251")
        );
        // The content is read only with the pragma, in either order.
        assert_eq!(
            name(br#"<meta content="text/html; charset=iso-8859-2" http-equiv=content-type>"#),
            Some("ISO-8859-2")
        );
        assert_eq!(
            name(br#"<meta content="text/html; charset=iso-8859-2">"#),
            None
        );
        assert_eq!(
            name(br#"<meta http-equiv="Content-Type" content="text/html; charset = 'gbk'">"#),
            Some("GBK")
        );
        // Labels resolve as the Encoding Standard says.
        assert_eq!(name(b"<meta charset=latin1>"), Some("windows-1252"));
        assert_eq!(name(b"<meta charset=utf-16le>"), Some("UTF-8"));
        assert_eq!(name(b"<meta charset=x-user-defined>"), Some("windows-1252"));
    }

    #[test]
    fn what_is_not_a_declaration_is_skipped() {
        assert_eq!(name(b"<!-- <meta charset=koi8-r> --><p>"), None);
        assert_eq!(
            name(b"<!--><meta charset=koi8-r>"),
            Some("KOI8-R"),
            "'<!-->' is a whole comment"
        );
        // A '<meta' inside another tag's attribute value is not a tag.
        assert_eq!(
            name(b"<a title='<meta charset=koi8-r>'><meta charset=gbk>"),
            Some("GBK")
        );
        assert_eq!(name(b"<metal charset=koi8-r>"), None);
        assert_eq!(name(b"<meta charset=nonsense>"), None);
        assert_eq!(name(b"<meta charset=iso-2022-kr>"), None, "replacement");
        // A repeated attribute keeps its first value.
        assert_eq!(name(b"<meta charset=gbk charset=koi8-r>"), Some("GBK"));
        // Unfinished.
        assert_eq!(name(b"<meta charset='koi8-r"), None);
        assert_eq!(name(b"<!-- <meta charset=koi8-r>"), None);
    }

    #[test]
    fn only_the_limit_is_scanned() {
        let mut page = vec![b' '; PRESCAN];
        page.extend_from_slice(b"<meta charset=koi8-r>");
        assert_eq!(name(&page), None);
        assert_eq!(
            declared(&page, LATE_SCAN).map(Encoding::name),
            Some("KOI8-R")
        );
    }

    #[test]
    fn an_xml_declaration_counts_when_no_meta_does() {
        assert_eq!(
            name(br#"<?xml version="1.0" encoding="ISO-8859-7"?><html>"#),
            Some("ISO-8859-7")
        );
        assert_eq!(
            name(br#"<?xml version="1.0" encoding="ISO-8859-7"?><meta charset=koi8-r>"#),
            Some("KOI8-R")
        );
    }

    #[test]
    fn html_is_read_in_the_encoding_it_declares() {
        let page = |body: &str, encoding: &'static Encoding| {
            let head = b"<meta charset=shift_jis>\n<p>".to_vec();
            let (body, _, _) = encoding.encode(body);
            [head, body.into_owned()].concat()
        };
        let bytes = page("日本語 x", encoding_rs::SHIFT_JIS);
        let source = Source::from_bytes("x", bytes.clone(), Format::Html);
        assert_eq!(source.text(), "<meta charset=shift_jis>\n<p>日本語 x");
        assert_eq!(source.encoding(), Decoded::Declared(encoding_rs::SHIFT_JIS));
        let at = source.text().find('x').unwrap();
        assert_eq!(source.file_offsets().get(at), bytes.len() - 1);
        // Text is not read so, nor a page that is UTF-8 beyond ASCII.
        let as_text = Source::from_bytes("x", bytes, Format::Text);
        assert_eq!(as_text.encoding(), Decoded::Windows1252);
        let utf8 = Source::from_bytes("x", page("日本語 x", encoding_rs::UTF_8), Format::Html);
        assert_eq!(utf8.encoding(), Decoded::Utf8);
    }

    #[test]
    fn encoded_lengths_count_the_files_bytes() {
        let mut state = None;
        assert_eq!(encoded_len(encoding_rs::KOI8_R, &mut state, "Привет x"), 8);
        let mut state = None;
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("日本語 x");
        assert_eq!(
            encoded_len(encoding_rs::SHIFT_JIS, &mut state, "日本語 x"),
            bytes.len()
        );
        let mut state = None;
        let (bytes, _, _) = encoding_rs::ISO_2022_JP.encode("日本 x 語");
        let first = encoded_len(encoding_rs::ISO_2022_JP, &mut state, "日本 x");
        let second = encoded_len(encoding_rs::ISO_2022_JP, &mut state, " 語");
        // The escape back to ASCII is written before the space: only the
        // final one, which a file ends with, is left out.
        assert_eq!(first + second + 3, bytes.len());
    }
}
