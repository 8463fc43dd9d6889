//! PDF structure checks made before any text is extracted, so that a
//! hostile file is refused with a reason instead of exhausting memory or
//! recursing without end in the PDF reader.
//!
//! [`inflated_size`] bounds what the file's compressed streams inflate to,
//! read from the raw bytes before the file is parsed. [`page_tree`] walks
//! the page tree itself and refuses loops in `Kids` and `Parent` links;
//! [`forms`] refuses form XObjects that draw themselves, directly or not,
//! or nest too deep.

use std::collections::HashSet;
use std::io::{self, Read, Write};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::lexer::{self, Operand};

use crate::finding::NoticeKind;
use crate::source::document::ExtractError;

/// The deepest page tree or nesting of form XObjects accepted.
pub const MAX_DEPTH: usize = 64;

/// Counts bytes written, refusing more than a limit.
struct Counter {
    written: u64,
    limit: u64,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.written += buf.len() as u64;
        if self.written > self.limit {
            return Err(io::Error::other("over the limit"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How many bytes a zlib stream inflates to, up to `limit`; `limit + 1`
/// when it inflates to more. Like the PDF reader, a stream whose zlib
/// header is bad is read as raw deflate after it.
fn inflate_count(data: &[u8], limit: u64) -> u64 {
    let mut counter = Counter { written: 0, limit };
    let zlib = io::copy(&mut flate2::read::ZlibDecoder::new(data), &mut counter);
    if zlib.is_err() && counter.written == 0 && data.len() > 2 {
        let mut raw = flate2::read::DeflateDecoder::new(&data[2..]);
        let _ = io::copy(&mut raw.by_ref(), &mut counter);
    }
    counter.written.min(limit + 1)
}

/// Refuses a file whose compressed streams inflate to more than `entry`
/// bytes each or `document` bytes in all. Streams are found in the raw
/// bytes (`stream` … `endstream`), whatever objects hold them.
pub fn inflated_size(bytes: &[u8], entry: u64, document: u64) -> Result<(), ExtractError> {
    let mut total = 0u64;
    let mut at = 0;
    let start = memchr::memmem::Finder::new(b"stream");
    let end = memchr::memmem::Finder::new(b"endstream");
    while let Some(found) = start.find(&bytes[at..]) {
        let mut data = at + found + b"stream".len();
        if bytes[..at + found].ends_with(b"end") {
            at = data;
            continue;
        }
        if bytes[data..].starts_with(b"\r\n") {
            data += 2;
        } else if bytes[data..].starts_with(b"\n") || bytes[data..].starts_with(b"\r") {
            data += 1;
        } else {
            at = data;
            continue;
        }
        let stop = end.find(&bytes[data..]).map_or(bytes.len(), |e| data + e);
        let limit = entry.min(document - total.min(document));
        let size = inflate_count(&bytes[data..stop], limit);
        if size > limit {
            return Err(ExtractError::new(
                NoticeKind::TooLarge,
                format!(
                    "its compressed streams inflate to more than {} MiB",
                    document.min(entry) >> 20
                ),
            ));
        }
        total += size;
        at = stop;
    }
    Ok(())
}

fn damaged(message: String) -> ExtractError {
    ExtractError::damaged(message)
}

/// The dictionary `id` names, if it names one.
fn dict(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    doc.get_object(id).ok()?.as_dict().ok()
}

/// Walks the page tree from the catalogue, refusing a loop or a tree
/// deeper than [`MAX_DEPTH`]; returns the pages in order.
pub fn page_tree(doc: &Document) -> Result<Vec<ObjectId>, ExtractError> {
    let root = doc
        .catalog()
        .ok()
        .and_then(|catalog| catalog.get(b"Pages").ok())
        .and_then(|pages| pages.as_reference().ok())
        .ok_or_else(|| damaged("it has no page tree".into()))?;
    let mut seen = HashSet::from([root]);
    let mut pages = Vec::new();
    // Each entry: the kids still to visit at one level.
    let mut stack: Vec<std::vec::IntoIter<ObjectId>> = vec![kids(doc, root).into_iter()];
    while let Some(level) = stack.last_mut() {
        let Some(kid) = level.next() else {
            stack.pop();
            continue;
        };
        if !seen.insert(kid) {
            return Err(damaged(format!(
                "its page tree loops: object {} {} is reached twice",
                kid.0, kid.1
            )));
        }
        let Some(node) = dict(doc, kid) else { continue };
        if node.get(b"Kids").is_ok() {
            if stack.len() >= MAX_DEPTH {
                return Err(damaged(format!(
                    "its page tree is more than {MAX_DEPTH} levels deep"
                )));
            }
            stack.push(kids(doc, kid).into_iter());
        } else {
            parents(doc, kid)?;
            pages.push(kid);
        }
    }
    Ok(pages)
}

/// The references in a page tree node's `Kids`.
fn kids(doc: &Document, node: ObjectId) -> Vec<ObjectId> {
    dict(doc, node)
        .and_then(|d| d.get_deref(b"Kids", doc).ok())
        .and_then(|k| k.as_array().ok())
        .map(|k| k.iter().filter_map(|o| o.as_reference().ok()).collect())
        .unwrap_or_default()
}

/// Follows a page's `Parent` links (where inherited attributes are looked
/// up), refusing a loop.
fn parents(doc: &Document, page: ObjectId) -> Result<(), ExtractError> {
    let mut seen = HashSet::from([page]);
    let mut at = page;
    while let Some(parent) = dict(doc, at)
        .and_then(|d| d.get(b"Parent").ok())
        .and_then(|p| p.as_reference().ok())
    {
        if !seen.insert(parent) || seen.len() > MAX_DEPTH {
            return Err(damaged(format!(
                "the parents of page object {} {} loop",
                page.0, page.1
            )));
        }
        at = parent;
    }
    Ok(())
}

/// The names of the XObjects a content stream paints (`/Name Do`).
fn painted(content: &[u8]) -> HashSet<Vec<u8>> {
    if memchr::memmem::find(content, b"Do").is_none() {
        return HashSet::new();
    }
    let ops = lexer::operations(content);
    ops.list
        .iter()
        .filter(|op| op.operator == b"Do")
        .filter_map(|op| ops.of(op).first().and_then(Operand::name))
        .map(<[u8]>::to_vec)
        .collect()
}

/// The form XObjects a resource dictionary names under one of `names`.
fn forms_named(
    doc: &Document,
    resources: Option<&Dictionary>,
    names: &HashSet<Vec<u8>>,
) -> Vec<ObjectId> {
    forms_where(doc, resources, |name| names.contains(name))
}

/// The form XObjects a resource dictionary names.
fn forms_in(doc: &Document, resources: Option<&Dictionary>) -> Vec<ObjectId> {
    forms_where(doc, resources, |_| true)
}

/// The form XObjects a resource dictionary names under a name `keep`s.
fn forms_where(
    doc: &Document,
    resources: Option<&Dictionary>,
    keep: impl Fn(&[u8]) -> bool,
) -> Vec<ObjectId> {
    let Some(xobjects) = resources
        .and_then(|r| r.get_deref(b"XObject", doc).ok())
        .and_then(|x| x.as_dict().ok())
    else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter(|(name, _)| keep(name))
        .filter_map(|(_, o)| o.as_reference().ok())
        .filter(|id| {
            doc.get_object(*id)
                .and_then(Object::as_stream)
                .is_ok_and(|s| {
                    s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form")
                })
        })
        .collect()
}

/// Whether a page's resources name an image XObject (without reading it).
pub fn shows_image(doc: &Document, page: ObjectId) -> bool {
    let Some(xobjects) = page_resources(doc, page)
        .and_then(|r| r.get_deref(b"XObject", doc).ok())
        .and_then(|x| x.as_dict().ok())
    else {
        return false;
    };
    xobjects.iter().any(|(_, o)| {
        let stream = match o {
            Object::Reference(id) => doc.get_object(*id).and_then(Object::as_stream),
            other => other.as_stream(),
        };
        stream
            .is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
    })
}

/// Whether the page's `Contents` names a stream the file does not hold
/// (a reference to a missing object, or to something not a stream): its
/// content is lost, which is damage, not a page without text.
pub fn contents_missing(doc: &Document, page: ObjectId) -> bool {
    let Some(contents) = dict(doc, page).and_then(|p| p.get(b"Contents").ok()) else {
        return false;
    };
    let lost = |o: &Object| match o {
        Object::Reference(id) => doc.get_object(*id).and_then(Object::as_stream).is_err(),
        other => other.as_stream().is_err(),
    };
    match contents {
        Object::Reference(id) => match doc.get_object(*id) {
            Ok(Object::Array(parts)) => parts.iter().any(lost),
            Ok(Object::Stream(_)) => false,
            _ => true,
        },
        Object::Array(parts) => parts.iter().any(lost),
        other => lost(other),
    }
}

/// A page's resources, inherited from its parents when it has none.
pub fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let mut at = page;
    for _ in 0..MAX_DEPTH {
        let node = dict(doc, at)?;
        if let Ok(resources) = node.get_deref(b"Resources", doc) {
            return resources.as_dict().ok();
        }
        at = node.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

/// One level of the walk over form XObjects: the forms still to visit,
/// the resources they were named in, and the form that draws them.
struct Frame<'a> {
    forms: Vec<ObjectId>,
    resources: Option<&'a Dictionary>,
    owner: Option<(ObjectId, bool)>,
}

/// Refuses a page whose form XObjects draw themselves or nest deeper than
/// [`MAX_DEPTH`]. A form without resources of its own uses those of what
/// draws it; a form leads on only to the forms its content paints (`Do`),
/// not to every form its resources name: writers share one resource
/// dictionary between a page and all its forms, the form itself included.
/// `done` holds the forms already cleared, across pages.
pub fn forms(
    doc: &Document,
    page: ObjectId,
    done: &mut HashSet<ObjectId>,
) -> Result<(), ExtractError> {
    let resources = page_resources(doc, page);
    let mut path: Vec<ObjectId> = Vec::new();
    let mut stack = vec![Frame {
        forms: forms_in(doc, resources),
        resources,
        owner: None,
    }];
    while let Some(frame) = stack.last_mut() {
        let Some(form) = frame.forms.pop() else {
            if let Some((owner, own)) = stack.pop().and_then(|f| f.owner) {
                path.pop();
                if own {
                    done.insert(owner);
                }
            }
            continue;
        };
        if path.contains(&form) {
            return Err(damaged(format!(
                "form object {} {} draws itself",
                form.0, form.1
            )));
        }
        if done.contains(&form) {
            continue;
        }
        if path.len() >= MAX_DEPTH {
            return Err(damaged(format!(
                "its forms nest more than {MAX_DEPTH} deep"
            )));
        }
        let Ok(stream) = doc.get_object(form).and_then(Object::as_stream) else {
            continue;
        };
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let names = painted(&content);
        if names.is_empty() {
            done.insert(form);
            continue;
        }
        let own = stream
            .dict
            .get_deref(b"Resources", doc)
            .ok()
            .and_then(|r| r.as_dict().ok());
        let resources = own.or(frame.resources);
        let inner = forms_named(doc, resources, &names);
        path.push(form);
        stack.push(Frame {
            forms: inner,
            resources,
            owner: Some((form, own.is_some())),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(data: &[u8], zlib_header: bool) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(data).unwrap();
        let mut packed = z.finish().unwrap();
        if !zlib_header {
            // A broken header: the reader falls back to raw deflate.
            packed[0] = 0;
        }
        let mut pdf = b"%PDF-1.7\n4 0 obj\n<< /Filter /FlateDecode >>\nstream\r\n".to_vec();
        pdf.extend(packed);
        pdf.extend(b"\nendstream\nendobj\n");
        pdf
    }

    #[test]
    fn compressed_streams_are_measured_before_parsing() {
        let bomb = vec![0u8; 3 << 20];
        for header in [true, false] {
            let pdf = stream_of(&bomb, header);
            assert!(pdf.len() < 20_000);
            let e = inflated_size(&pdf, 1 << 20, 64 << 20).unwrap_err();
            assert_eq!(e.reason, NoticeKind::TooLarge, "{header}");
            assert_eq!(
                e.message,
                "its compressed streams inflate to more than 1 MiB"
            );
            assert_eq!(inflated_size(&pdf, 4 << 20, 64 << 20), Ok(()), "{header}");
        }
        // Two streams within the entry limit but over the document's.
        let mut two = stream_of(&bomb, true);
        two.extend(stream_of(&bomb, true));
        assert!(inflated_size(&two, 4 << 20, 5 << 20).is_err());
        assert_eq!(inflated_size(&two, 4 << 20, 7 << 20), Ok(()));
    }
}
