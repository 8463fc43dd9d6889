//! The pictures of a scan's pages, for OCR: each image XObject a page's
//! resources name, as a file Leptonica decodes. A JPEG (`DCTDecode`) is
//! passed as stored; 8-bit grey or RGB samples and 1-bit grey samples
//! (Flate-compressed or not) become a PNM file. Any other encoding
//! (JBIG2, CCITT fax, JPEG 2000, indexed colour) is named as not read.

use lopdf::{Document, Object, ObjectId, Stream};

use super::checks;

/// One picture of a page: its page (from 1) and its bytes as a file, or
/// why it cannot be read.
#[derive(Debug)]
pub struct PageImage {
    pub page: u32,
    pub image: Result<Vec<u8>, String>,
}

/// The pictures of `pages`, in page order; no more than `budget` bytes of
/// samples are inflated in all.
pub fn of_pages(doc: &Document, pages: &[ObjectId], mut budget: u64) -> Vec<PageImage> {
    let mut out = Vec::new();
    for (number, page) in (1u32..).zip(pages) {
        let Some(xobjects) = checks::page_resources(doc, *page)
            .and_then(|r| r.get_deref(b"XObject", doc).ok())
            .and_then(|x| x.as_dict().ok())
        else {
            continue;
        };
        for (_, object) in xobjects.iter() {
            let stream = match object {
                Object::Reference(id) => doc.get_object(*id).and_then(Object::as_stream),
                other => other.as_stream(),
            };
            let Ok(stream) = stream else { continue };
            if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Image") {
                continue;
            }
            out.push(PageImage {
                page: number,
                image: encoded(doc, stream, &mut budget),
            });
        }
    }
    out
}

/// An image XObject as a file Leptonica reads.
fn encoded(doc: &Document, stream: &Stream, budget: &mut u64) -> Result<Vec<u8>, String> {
    let int = |key: &[u8]| {
        stream
            .dict
            .get_deref(key, doc)
            .and_then(Object::as_i64)
            .ok()
            .and_then(|n| u64::try_from(n).ok())
    };
    let name = |o: &Object| {
        o.as_name()
            .ok()
            .map(|n| String::from_utf8_lossy(n).into_owned())
    };
    let filters: Vec<String> = match stream.dict.get_deref(b"Filter", doc) {
        Ok(Object::Array(list)) => list.iter().filter_map(name).collect(),
        Ok(o) => name(o).into_iter().collect(),
        Err(_) => Vec::new(),
    };
    let (Some(width), Some(height)) = (int(b"Width"), int(b"Height")) else {
        return Err("an image without its size".into());
    };
    if filters.iter().map(String::as_str).eq(["DCTDecode"]) {
        return Ok(stream.content.clone());
    }
    if !filters.iter().all(|f| f == "FlateDecode") {
        return Err(format!("an image encoded as {}", filters.join(" and ")));
    }
    let space = stream
        .dict
        .get_deref(b"ColorSpace", doc)
        .ok()
        .and_then(name)
        .unwrap_or_default();
    let bits = int(b"BitsPerComponent").unwrap_or(8);
    let (magic, row) = match (space.as_str(), bits) {
        ("DeviceGray", 8) => ("P5", width),
        ("DeviceRGB", 8) => ("P6", width.saturating_mul(3)),
        ("DeviceGray", 1) => ("P4", width.div_ceil(8)),
        _ => return Err(format!("a {bits}-bit {space} image")),
    };
    let size = row.saturating_mul(height);
    if size > *budget {
        return Err(format!(
            "{width} × {height} pixels, over the document's limit"
        ));
    }
    *budget -= size;
    let mut samples = if filters.is_empty() {
        stream.content.clone()
    } else {
        stream
            .decompressed_content()
            .map_err(|e| format!("its samples cannot be inflated: {e}"))?
    };
    if (samples.len() as u64) < size {
        return Err("fewer samples than its size needs".into());
    }
    samples.truncate(size as usize);
    if magic == "P4" {
        // In PDF a 1 bit is white; in PBM, black.
        samples.iter_mut().for_each(|b| *b = !*b);
    }
    let header = match magic {
        "P4" => format!("P4\n{width} {height}\n"),
        _ => format!("{magic}\n{width} {height}\n255\n"),
    };
    let mut file = header.into_bytes();
    file.extend_from_slice(&samples);
    Ok(file)
}
