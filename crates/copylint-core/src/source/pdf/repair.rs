//! A damaged PDF's cross-reference table rebuilt from its objects, as
//! poppler, pdf.js and mupdf do, for what `lopdf` refuses or misreads.
//!
//! Design: `lopdf` parses objects well but trusts the cross-reference
//! table and trailer, and has no recovery of its own. Rather than parse
//! the file a second way, [`rebuild`] scans the bytes for `N G obj`
//! headers (the last definition of a number wins, as in an incremental
//! update), finds the trailer (the last `trailer` dictionary or
//! cross-reference stream dictionary naming a `/Root` that exists, else
//! the object typed `/Catalog`), and appends to a copy of the file a new
//! cross-reference section listing every object found, with a trailer and
//! a `startxref` that point at it. `lopdf` then loads that copy with all
//! its own logic (object streams, decryption). Offsets are unchanged by
//! appending, so nothing is rewritten; only a file without a readable
//! `%PDF-` header at its start gets one put in front, and its offsets
//! shift by that header's length. The same section carries a trailer
//! whose `/Encrypt` was written as a dictionary instead of a reference,
//! which `lopdf` cannot use, as an object of its own.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::xref::XrefEntry;
use lopdf::{Document, Object, ObjectId, Stream};

fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&b) = bytes.get(at) {
        if is_space(b) {
            at += 1;
        } else if b == b'%' {
            while bytes.get(at).is_some_and(|&b| b != b'\n' && b != b'\r') {
                at += 1;
            }
        } else {
            break;
        }
    }
    at
}

/// The digits that end right before `end` (after spaces), as a number,
/// and where they start.
fn number_before(bytes: &[u8], end: usize) -> Option<(u64, usize)> {
    let mut stop = end;
    while stop > 0 && is_space(bytes[stop - 1]) {
        stop -= 1;
    }
    if stop == end {
        return None;
    }
    let mut start = stop;
    while start > 0 && bytes[start - 1].is_ascii_digit() && stop - start < 10 {
        start -= 1;
    }
    if start == stop
        || (start > 0 && !is_space(bytes[start - 1]) && !is_delimiter(bytes[start - 1]))
    {
        return None;
    }
    let n = std::str::from_utf8(&bytes[start..stop])
        .ok()?
        .parse()
        .ok()?;
    Some((n, start))
}

/// Every `N G obj` header: each object number with the generation and
/// offset of its last definition.
fn objects(bytes: &[u8]) -> BTreeMap<u32, (u16, usize)> {
    let mut found = BTreeMap::new();
    for at in memchr::memmem::find_iter(bytes, b"obj") {
        let after = bytes.get(at + 3).copied();
        if after.is_some_and(|b| !is_space(b) && !is_delimiter(b)) {
            continue;
        }
        let Some((generation, g)) = number_before(bytes, at) else {
            continue;
        };
        let Some((number, start)) = number_before(bytes, g) else {
            continue;
        };
        if let (Ok(number), Ok(generation)) = (u32::try_from(number), u16::try_from(generation))
            && number > 0
            && number < 10_000_000
        {
            found.insert(number, (generation, start));
        }
    }
    found
}

/// Where the object starting at `at` ends: one value, any kind.
fn value_end(bytes: &[u8], at: usize, depth: usize) -> Option<usize> {
    let at = skip_space(bytes, at);
    let &b = bytes.get(at)?;
    if depth > 32 {
        return None;
    }
    match b {
        b'<' if bytes.get(at + 1) == Some(&b'<') => {
            let mut i = at + 2;
            loop {
                i = skip_space(bytes, i);
                if bytes[i..].starts_with(b">>") {
                    return Some(i + 2);
                }
                i = value_end(bytes, i, depth + 1)?;
            }
        }
        b'<' => Some(at + memchr::memchr(b'>', &bytes[at..])? + 1),
        b'[' => {
            let mut i = at + 1;
            loop {
                i = skip_space(bytes, i);
                if bytes.get(i) == Some(&b']') {
                    return Some(i + 1);
                }
                i = value_end(bytes, i, depth + 1)?;
            }
        }
        b'(' => {
            let mut nesting = 0usize;
            let mut i = at + 1;
            while let Some(&c) = bytes.get(i) {
                match c {
                    b'\\' => i += 1,
                    b'(' => nesting += 1,
                    b')' if nesting == 0 => return Some(i + 1),
                    b')' => nesting -= 1,
                    _ => {}
                }
                i += 1;
            }
            None
        }
        b'/' => {
            let mut i = at + 1;
            while bytes
                .get(i)
                .is_some_and(|&c| !is_space(c) && !is_delimiter(c))
            {
                i += 1;
            }
            Some(i)
        }
        b'>' | b']' | b')' | b'{' | b'}' => None,
        _ => {
            // A number, a keyword, or a reference `N G R`.
            let word = |i: usize| {
                let mut j = i;
                while bytes
                    .get(j)
                    .is_some_and(|&c| !is_space(c) && !is_delimiter(c))
                {
                    j += 1;
                }
                j
            };
            let end = word(at);
            let second = skip_space(bytes, end);
            let second_end = word(second);
            let third = skip_space(bytes, second_end);
            let is_int = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
            if is_int(&bytes[at..end])
                && is_int(&bytes[second..second_end])
                && bytes.get(third) == Some(&b'R')
                && bytes
                    .get(third + 1)
                    .is_none_or(|&c| is_space(c) || is_delimiter(c))
            {
                Some(third + 1)
            } else if end > at {
                Some(end)
            } else {
                None
            }
        }
    }
}

/// A dictionary's keys (without their `/`) and values, as raw bytes.
type Entries<'a> = Vec<(&'a [u8], &'a [u8])>;

/// The entries of the dictionary starting at `at`, as raw bytes.
fn entries(bytes: &[u8], at: usize) -> Option<Entries<'_>> {
    let at = skip_space(bytes, at);
    if !bytes.get(at..)?.starts_with(b"<<") {
        return None;
    }
    let mut list = Vec::new();
    let mut i = at + 2;
    loop {
        i = skip_space(bytes, i);
        if bytes.get(i..)?.starts_with(b">>") {
            return Some(list);
        }
        let key_end = value_end(bytes, i, 0)?;
        if bytes[i] != b'/' {
            return None;
        }
        let value = skip_space(bytes, key_end);
        let value_end = value_end(bytes, value, 0)?;
        list.push((&bytes[i + 1..key_end], &bytes[value..value_end]));
        i = value_end;
    }
}

fn entry<'a>(list: &[(&[u8], &'a [u8])], key: &[u8]) -> Option<&'a [u8]> {
    list.iter().rev().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The object number a raw reference `N G R` names.
fn reference(value: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(value).ok()?;
    let mut parts = text.split_ascii_whitespace();
    let n = parts.next()?.parse().ok()?;
    (parts.next()?.parse::<u16>().is_ok() && parts.next()? == "R").then_some(n)
}

/// The entries of the last trailer (or cross-reference stream
/// dictionary) whose `/Root` is among `found`.
fn trailer<'a>(
    bytes: &'a [u8],
    found: &BTreeMap<u32, (u16, usize)>,
    starts: &Starts,
) -> Option<Entries<'a>> {
    let mut candidates: Vec<(usize, Entries<'a>)> = starts
        .trailers
        .iter()
        .filter_map(|&at| Some((at, starts.dict(bytes, at + 7)?)))
        .collect();
    for &(_, offset) in found.values() {
        if let Some(list) = header_end(bytes, offset).and_then(|at| starts.dict(bytes, at))
            && entry(&list, b"Root").is_some()
        {
            candidates.push((offset, list));
        }
    }
    candidates.sort_by_key(|(at, _)| *at);
    let roots = |list: &Entries<'a>| {
        entry(list, b"Root")
            .and_then(reference)
            .is_some_and(|n| found.contains_key(&n))
    };
    candidates
        .into_iter()
        .rev()
        .find(|(_, list)| roots(list))
        .map(|(_, list)| list)
}

/// Where objects and trailers start: a dictionary read at one is read no
/// further than the next, so that reading them all stays linear in the
/// file however broken they are.
struct Starts {
    trailers: Vec<usize>,
    all: Vec<usize>,
}

impl Starts {
    fn new(bytes: &[u8], found: &BTreeMap<u32, (u16, usize)>) -> Starts {
        let trailers: Vec<usize> = memchr::memmem::find_iter(bytes, b"trailer").collect();
        let mut all: Vec<usize> = found.values().map(|&(_, offset)| offset).collect();
        all.extend(&trailers);
        all.sort_unstable();
        Starts { trailers, all }
    }

    /// The entries of the dictionary at `at`, read up to the next start.
    fn dict<'a>(&self, bytes: &'a [u8], at: usize) -> Option<Entries<'a>> {
        let next = self.all.partition_point(|&s| s < at);
        let end = self.all.get(next).copied().unwrap_or(bytes.len());
        entries(&bytes[..end.max(at).min(bytes.len())], at)
    }
}

/// The header put in front of a file that has no readable one.
const HEADER: &[u8] = b"%PDF-1.7\n";

/// A copy of `bytes` with a cross-reference section appended that lists
/// every object found in them (and a header in front when theirs is not
/// one); `None` when no catalogue is found.
pub fn rebuild(bytes: &[u8]) -> Option<Vec<u8>> {
    let found = objects(bytes);
    let starts = Starts::new(bytes, &found);
    let mut entries: Vec<(&[u8], Vec<u8>)> = match trailer(bytes, &found, &starts) {
        Some(list) => list
            .into_iter()
            .filter(|(k, _)| matches!(*k, b"Root" | b"Info" | b"Encrypt" | b"ID"))
            .map(|(k, v)| (k, v.to_vec()))
            .collect(),
        None => {
            let (n, g) = catalog(bytes, &found, &starts)?;
            vec![(&b"Root"[..], format!("{n} {g} R").into_bytes())]
        }
    };
    // A file whose header lopdf cannot read (`%PDF1.4`, none at all, or
    // bytes before it) gets one in front, and every offset moves with it.
    let shift = if bytes.starts_with(b"%PDF-") {
        0
    } else {
        HEADER.len()
    };
    let mut out = Vec::with_capacity(shift + bytes.len() + 64 * found.len());
    out.extend_from_slice(&HEADER[..shift]);
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\n");
    let mut table: Vec<(u32, u16, usize)> = found
        .iter()
        .map(|(&n, &(g, o))| (n, g, o + shift))
        .collect();
    let mut next = found.keys().next_back().map_or(1, |n| n + 1);
    // A trailer's `/Encrypt` dictionary becomes an object lopdf can read.
    for (key, value) in &mut entries {
        if *key == b"Encrypt" && value.starts_with(b"<<") {
            table.push((next, 0, out.len()));
            let object = format!("{next} 0 obj\n");
            out.extend_from_slice(object.as_bytes());
            out.extend_from_slice(value);
            out.extend_from_slice(b"\nendobj\n");
            *value = format!("{next} 0 R").into_bytes();
            next += 1;
        }
    }
    let start = out.len();
    let mut section = String::from("xref\n");
    for (n, g, offset) in &table {
        let _ = write!(section, "{n} 1\n{offset:010} {g:05} n \n");
    }
    let _ = write!(section, "trailer\n<< /Size {next}");
    out.extend_from_slice(section.as_bytes());
    for (key, value) in &entries {
        out.extend_from_slice(b" /");
        out.extend_from_slice(key);
        out.push(b' ');
        out.extend_from_slice(value);
    }
    out.extend_from_slice(format!(" >>\nstartxref\n{start}\n%%EOF\n").as_bytes());
    Some(out)
}

/// The number and generation of the last object typed `/Catalog`.
fn catalog(
    bytes: &[u8],
    found: &BTreeMap<u32, (u16, usize)>,
    starts: &Starts,
) -> Option<(u32, u16)> {
    found.iter().rev().find_map(|(&n, &(g, offset))| {
        let list = starts.dict(bytes, header_end(bytes, offset)?)?;
        (entry(&list, b"Type")? == b"/Catalog").then_some((n, g))
    })
}

/// Where the `N G obj` header at `offset` ends.
fn header_end(bytes: &[u8], offset: usize) -> Option<usize> {
    let header = bytes.get(offset..)?;
    let obj = memchr::memmem::find(&header[..header.len().min(64)], b"obj")?;
    Some(offset + obj + 3)
}

/// Streams whose `/Length` is wrong, or whose `endstream` is missing,
/// which `lopdf` reads as their bare dictionary, read again up to their
/// `endstream` (or `endobj`), as viewers do. Only
/// dictionaries with a `/Length` are looked at, and not in a decrypted
/// file (its raw stream data would still be encrypted).
pub fn restore_streams(doc: &mut Document, bytes: &[u8]) {
    if doc.encryption_state.is_some() {
        return;
    }
    let broken: Vec<(ObjectId, usize)> = doc
        .objects
        .iter()
        .filter(|(_, o)| matches!(o, Object::Dictionary(d) if d.has(b"Length")))
        .filter_map(|(id, _)| match doc.reference_table.get(id.0) {
            Some(XrefEntry::Normal { offset, generation }) if *generation == id.1 => {
                Some((*id, *offset as usize))
            }
            _ => None,
        })
        .collect();
    if broken.is_empty() {
        return;
    }
    // Every `endstream` and `endobj`, found once: each stream ends at the
    // first after its start (an `endobj` when its `endstream` is missing).
    let mut ends: Vec<usize> = memchr::memmem::find_iter(bytes, b"endstream").collect();
    ends.extend(memchr::memmem::find_iter(bytes, b"endobj"));
    ends.sort_unstable();
    for (id, offset) in broken {
        let Some(data) = stream_data(bytes, offset, &ends) else {
            continue;
        };
        if let Some(Object::Dictionary(dict)) = doc.objects.remove(&id) {
            let stream = Stream::new(dict, data.to_vec());
            doc.objects.insert(id, Object::Stream(stream));
        }
    }
}

/// The data of the stream object at `offset`: from after `stream` and its
/// line end up to the line end before the first `endstream` or `endobj`
/// (of `ends`) after the object's start, within which its dictionary is
/// read.
fn stream_data<'a>(bytes: &'a [u8], offset: usize, ends: &[usize]) -> Option<&'a [u8]> {
    let end = *ends.get(ends.partition_point(|&e| e < offset))?;
    let within = &bytes[..end];
    let dict = skip_space(within, header_end(within, offset)?);
    let after = skip_space(within, value_end(within, dict, 0)?);
    if !within.get(after..)?.starts_with(b"stream") {
        return None;
    }
    let mut start = after + b"stream".len();
    if within[start..].starts_with(b"\r\n") {
        start += 2;
    } else if within[start..].starts_with(b"\n") || within[start..].starts_with(b"\r") {
        start += 1;
    }
    let mut stop = end;
    if within.ends_with(b"\r\n") {
        stop -= 2;
    } else if within.ends_with(b"\n") || within.ends_with(b"\r") {
        stop -= 1;
    }
    Some(&bytes[start.min(stop)..stop])
}

/// Keys of a stream dictionary, with the values to set them to.
type Changes = Vec<(&'static [u8], Object)>;

/// Stream filters given by reference (`/Filter 6 0 R`, or references in
/// its array), which `lopdf` does not follow and so cannot decode, put in
/// place; the same for `/DecodeParms`.
pub fn resolve_filters(doc: &mut Document) {
    let resolved: Vec<(ObjectId, Changes)> = doc
        .objects
        .iter()
        .filter_map(|(id, object)| {
            let Object::Stream(stream) = object else {
                return None;
            };
            let changes: Changes = [&b"Filter"[..], b"DecodeParms"]
                .into_iter()
                .filter_map(|key| {
                    let value = stream.dict.get(key).ok()?;
                    let resolved = resolve(doc, value)?;
                    Some((key, resolved))
                })
                .collect();
            (!changes.is_empty()).then_some((*id, changes))
        })
        .collect();
    for (id, changes) in resolved {
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            for (key, value) in changes {
                stream.dict.set(key, value);
            }
        }
    }
}

/// `value` with its references (and those of its array) followed, a few
/// links deep at most; `None` when it has none, or they lead nowhere.
fn resolve(doc: &Document, value: &Object) -> Option<Object> {
    let follow = |o: &Object| {
        let mut at = o.clone();
        for _ in 0..8 {
            match at {
                Object::Reference(id) => at = doc.get_object(id).ok()?.clone(),
                other => return Some(other),
            }
        }
        None
    };
    match value {
        Object::Reference(_) => follow(value),
        Object::Array(items) if items.iter().any(|o| matches!(o, Object::Reference(_))) => {
            Some(Object::Array(
                items
                    .iter()
                    .map(|o| follow(o).unwrap_or(Object::Null))
                    .collect(),
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_object_headers_and_the_last_definition_wins() {
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
                    2 0 obj\n(12 0 objection)\nendobj 2 1 obj [] endobj\nx3 0 obj\n";
        let found = objects(pdf);
        assert_eq!(found.keys().copied().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(found[&1], (0, 9));
        // The later definition of 2, in generation 1.
        assert_eq!(found[&2].0, 1);
    }

    #[test]
    fn reads_raw_dictionaries() {
        let dict = b"<< /Root 1 0 R /ID [<ab> <cd>] /S (a >> \\) b) /D << /X /Y >> /N 3 >>";
        let list = entries(dict, 0).unwrap();
        let keys: Vec<&[u8]> = list.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, [&b"Root"[..], b"ID", b"S", b"D", b"N"]);
        assert_eq!(entry(&list, b"Root"), Some(&b"1 0 R"[..]));
        assert_eq!(entry(&list, b"S"), Some(&b"(a >> \\) b)"[..]));
        assert_eq!(entry(&list, b"N"), Some(&b"3"[..]));
        assert_eq!(reference(b"1 0 R"), Some(1));
        for broken in [
            &b"<< /A"[..],
            b"<< /A [1 2",
            b"<< 1 2 >>",
            b"<< /A (x",
            b"[",
        ] {
            assert_eq!(entries(broken, 0), None, "{broken:?}");
        }
    }

    #[test]
    fn a_trailer_encrypt_dictionary_becomes_an_object() {
        let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\
                    trailer\n<< /Root 1 0 R /Encrypt << /Filter /Standard /V 1 >> /Prev 7 >>\n";
        let out = String::from_utf8(rebuild(pdf).unwrap()).unwrap();
        let added = &out[pdf.len()..];
        assert!(
            added.starts_with("\n2 0 obj\n<< /Filter /Standard /V 1 >>\nendobj\nxref\n1 1\n0000000009 00000 n \n2 1\n"),
            "{added}"
        );
        assert!(
            added.contains("trailer\n<< /Size 3 /Root 1 0 R /Encrypt 2 0 R >>"),
            "{added}"
        );
        let start = out.rfind("startxref\n").unwrap() + 10;
        let xref: usize = out[start..].lines().next().unwrap().parse().unwrap();
        assert!(out[xref..].starts_with("xref\n"));
        // No catalogue, no trailer: nothing to rebuild.
        assert_eq!(rebuild(b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n"), None);
    }
}
