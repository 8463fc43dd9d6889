//! The pictures of a PDF's pages, for OCR, as files Leptonica decodes: the
//! image XObjects of a scan's pages, and the images drawn on pages with
//! text (XObjects painted with `Do`, and inline images).
//!
//! A JPEG (`DCTDecode`) is passed as stored (inflated first when it is
//! Flate-compressed too); 8-bit grey, RGB or indexed samples (an
//! `ICCBased` space of one or three components counts as grey or RGB; an
//! indexed one's base must be one of those) and 1-bit grey samples,
//! compressed with Flate, LZW or ASCII85 or not at all, become a PNM
//! file. Any other encoding (JBIG2, CCITT fax, JPEG 2000, CMYK colour) is
//! named as not read. A drawn
//! image's size is read from its dictionary first: one too small to hold
//! text, or over the pixel limit, is not inflated at all.

use std::collections::HashMap;
use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::checks;
use super::content::{Drawn, Painted};
use super::lexer::Operand;
use crate::source::images::MIN_SIDE;

/// One picture of a page: its page (from 1) and its bytes as a file, or
/// why it cannot be read.
#[derive(Debug)]
pub struct PageImage {
    pub page: u32,
    pub image: Result<Vec<u8>, String>,
}

/// What an image drawn on a page with text comes to, before OCR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Picture {
    /// Its bytes as a file Leptonica reads.
    File(Vec<u8>),
    /// Under [`MIN_SIDE`] pixels on a side: not inflated.
    Small,
    /// More pixels than the limit: not inflated.
    TooLarge { width: u64, height: u64 },
    /// Not read: why.
    Refused(String),
}

/// An image drawn on a page with text: its page (from 1) and its picture.
#[derive(Debug)]
pub struct PagePicture {
    pub page: u32,
    pub picture: Picture,
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

/// The pictures of the images `painted` on pages with text, in the order
/// they are drawn. An XObject drawn more than once is inflated once; at
/// most `budget` bytes of samples are inflated in all, and no image over
/// `max_pixels` is.
pub fn drawn(
    doc: &Document,
    painted: &[Painted],
    mut budget: u64,
    max_pixels: u64,
) -> Vec<PagePicture> {
    let mut seen: HashMap<ObjectId, Picture> = HashMap::new();
    let mut out = Vec::with_capacity(painted.len());
    for p in painted {
        let picture = match &p.image {
            Drawn::XObject(id) => match seen.get(id) {
                Some(known) => known.clone(),
                None => {
                    let picture = match doc.get_object(*id).and_then(Object::as_stream) {
                        Ok(stream) => picture(doc, stream, &mut budget, max_pixels),
                        Err(_) => Picture::Refused("its image is missing from the file".into()),
                    };
                    seen.insert(*id, picture.clone());
                    picture
                }
            },
            Drawn::Inline(Some(stream)) => picture(doc, stream, &mut budget, max_pixels),
            Drawn::Inline(None) => Picture::Refused("an inline image that was not kept".into()),
        };
        out.push(PagePicture {
            page: p.page,
            picture,
        });
    }
    out
}

/// One drawn image's picture: its size checked before it is inflated.
fn picture(doc: &Document, stream: &Stream, budget: &mut u64, max_pixels: u64) -> Picture {
    let Some((width, height)) = size(doc, stream) else {
        return Picture::Refused("an image without its size".into());
    };
    if width < u64::from(MIN_SIDE) || height < u64::from(MIN_SIDE) {
        return Picture::Small;
    }
    if width.saturating_mul(height) > max_pixels {
        return Picture::TooLarge { width, height };
    }
    match encoded(doc, stream, budget) {
        Ok(file) => Picture::File(file),
        Err(why) => Picture::Refused(why),
    }
}

/// An image's `Width` and `Height`.
fn size(doc: &Document, stream: &Stream) -> Option<(u64, u64)> {
    let int = |key: &[u8]| {
        (stream
            .dict
            .get_deref(key, doc)
            .and_then(Object::as_i64)
            .ok())
        .and_then(|n| u64::try_from(n).ok())
    };
    Some((int(b"Width")?, int(b"Height")?))
}

/// An inline image's parameters and data (the operands of a `BI`
/// operation) as an image XObject's stream, the abbreviations of its keys
/// and names written out.
pub fn inline_stream(given: &[Operand]) -> Stream {
    let Some((Operand::String(data), params)) = given.split_last() else {
        return Stream::new(Dictionary::new(), Vec::new());
    };
    let mut dict = Dictionary::new();
    for pair in params.chunks_exact(2) {
        let Some(key) = pair[0].name() else { continue };
        let key: &[u8] = match key {
            b"W" => b"Width",
            b"H" => b"Height",
            b"BPC" => b"BitsPerComponent",
            b"CS" => b"ColorSpace",
            b"F" => b"Filter",
            b"DP" => b"DecodeParms",
            other => other,
        };
        let value = match &pair[1] {
            Operand::Number(n) => Object::Integer(*n as i64),
            Operand::Name(n) => Object::Name(inline_name(n).to_vec()),
            Operand::Array(items) => Object::Array(
                (items.iter())
                    .filter_map(|i| i.name().map(|n| Object::Name(inline_name(n).to_vec())))
                    .collect(),
            ),
            _ => continue,
        };
        dict.set(key.to_vec(), value);
    }
    Stream::new(dict, data.to_vec())
}

/// An inline image's abbreviated name of a colour space or filter,
/// written out.
fn inline_name(name: &[u8]) -> &[u8] {
    match name {
        b"G" => b"DeviceGray",
        b"RGB" => b"DeviceRGB",
        b"CMYK" => b"DeviceCMYK",
        b"I" => b"Indexed",
        b"AHx" => b"ASCIIHexDecode",
        b"A85" => b"ASCII85Decode",
        b"LZW" => b"LZWDecode",
        b"Fl" => b"FlateDecode",
        b"RL" => b"RunLengthDecode",
        b"CCF" => b"CCITTFaxDecode",
        b"DCT" => b"DCTDecode",
        other => other,
    }
}

/// An image's colour space as the name of a device space: an `ICCBased`
/// one by its number of components; anything else by its family's name.
fn colour_space(doc: &Document, stream: &Stream) -> String {
    let name = |o: &Object| {
        o.as_name()
            .ok()
            .map(|n| String::from_utf8_lossy(n).into_owned())
    };
    match stream.dict.get_deref(b"ColorSpace", doc) {
        Ok(Object::Array(parts)) => {
            let family = parts.first().and_then(name).unwrap_or_default();
            if family != "ICCBased" {
                return family;
            }
            let n = (parts.get(1))
                .and_then(|p| match p {
                    Object::Reference(id) => doc.get_object(*id).ok(),
                    other => Some(other),
                })
                .and_then(|p| p.as_stream().ok())
                .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok());
            match n {
                Some(1) => "DeviceGray".into(),
                Some(3) => "DeviceRGB".into(),
                _ => family,
            }
        }
        Ok(o) => name(o).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// An indexed colour space's base (grey or RGB, as its number of
/// components) and colour table.
fn palette(doc: &Document, stream: &Stream) -> Option<(usize, Vec<u8>)> {
    let parts = stream
        .dict
        .get_deref(b"ColorSpace", doc)
        .ok()?
        .as_array()
        .ok()?;
    let deref = |o: &Object| match o {
        Object::Reference(id) => doc.get_object(*id).ok().cloned(),
        other => Some(other.clone()),
    };
    let base = deref(parts.get(1)?)?;
    let components = match &base {
        Object::Name(n) if n == b"DeviceGray" => 1,
        Object::Name(n) if n == b"DeviceRGB" => 3,
        Object::Array(a) if a.first()?.as_name().ok()? == b"ICCBased" => {
            match deref(a.get(1)?)?
                .as_stream()
                .ok()?
                .dict
                .get(b"N")
                .ok()?
                .as_i64()
                .ok()?
            {
                1 => 1,
                3 => 3,
                _ => return None,
            }
        }
        _ => return None,
    };
    let table = match deref(parts.get(3)?)? {
        Object::String(bytes, _) => bytes,
        Object::Stream(s) => s.decompressed_content().ok()?,
        _ => return None,
    };
    Some((components, table))
}

/// An image XObject as a file Leptonica reads.
fn encoded(doc: &Document, stream: &Stream, budget: &mut u64) -> Result<Vec<u8>, String> {
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
    let Some((width, height)) = size(doc, stream) else {
        return Err("an image without its size".into());
    };
    let lossless = |f: &String| matches!(f.as_str(), "FlateDecode" | "LZWDecode" | "ASCII85Decode");
    if let Some((last, before)) = filters.split_last()
        && last == "DCTDecode"
        && before.iter().all(lossless)
    {
        if before.is_empty() {
            return Ok(stream.content.clone());
        }
        // A JPEG compressed again: undo that, and pass the JPEG on.
        let mut dict = Dictionary::new();
        let names = before.iter().map(|f| Object::Name(f.clone().into_bytes()));
        dict.set("Filter", Object::Array(names.collect()));
        return Stream::new(dict, stream.content.clone())
            .decompressed_content()
            .map_err(|e| format!("its data cannot be inflated: {e}"));
    }
    if let Some(other) = filters.iter().find(|f| !lossless(f)) {
        return Err(format!("unsupported image encoding ({other})"));
    }
    let mask = matches!(stream.dict.get(b"ImageMask"), Ok(Object::Boolean(true)));
    let space = if mask {
        "DeviceGray".to_string()
    } else {
        colour_space(doc, stream)
    };
    let bits = (stream.dict.get_deref(b"BitsPerComponent", doc))
        .and_then(Object::as_i64)
        .unwrap_or(if mask { 1 } else { 8 });
    let palette = (space == "Indexed").then(|| palette(doc, stream)).flatten();
    let (magic, row) = match (space.as_str(), bits) {
        ("DeviceGray", 8) => ("P5", width),
        ("DeviceRGB", 8) => ("P6", width.saturating_mul(3)),
        ("Indexed", 8) if palette.is_some() => ("P6", width),
        ("DeviceGray", 1) => ("P4", width.div_ceil(8)),
        ("", _) => return Err("unsupported image encoding (no colour space)".into()),
        _ => {
            return Err(format!("unsupported image encoding ({bits}-bit {space})"));
        }
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
    if let Some((components, table)) = &palette {
        // Each index becomes its colour, as RGB.
        let colour = |i: u8| {
            let at = usize::from(i) * components;
            let c = |k: usize| table.get(at + k.min(components - 1)).copied().unwrap_or(0);
            [c(0), c(1), c(2)]
        };
        samples = samples.iter().flat_map(|&i| colour(i)).collect();
    }
    if magic == "P4" {
        // In PDF a 1 bit is white (and an image mask paints its 0 bits);
        // in PBM, black.
        samples.iter_mut().for_each(|b| *b = !*b);
    }
    let mut header = String::new();
    let _ = match magic {
        "P4" => write!(header, "P4\n{width} {height}\n"),
        _ => write!(header, "{magic}\n{width} {height}\n255\n"),
    };
    let mut file = header.into_bytes();
    file.extend_from_slice(&samples);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn image(dict: Vec<(&str, Object)>, content: Vec<u8>) -> Stream {
        let mut d = Dictionary::new();
        for (k, v) in dict {
            d.set(k, v);
        }
        Stream::new(d, content)
    }

    fn read(stream: &Stream) -> Picture {
        picture(&Document::new(), stream, &mut u64::MAX.clone(), 40_000_000)
    }

    #[test]
    fn grey_and_rgb_samples_become_pnm_files() {
        let grey = image(
            vec![
                ("Width", 64.into()),
                ("Height", 64.into()),
                ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
                ("BitsPerComponent", 8.into()),
            ],
            vec![200; 64 * 64],
        );
        let Picture::File(file) = read(&grey) else {
            panic!("{:?}", read(&grey));
        };
        assert!(file.starts_with(b"P5\n64 64\n255\n"));
        assert_eq!(file.len(), 13 + 64 * 64);
        let mut rgb = grey.clone();
        rgb.dict
            .set("ColorSpace", Object::Name(b"DeviceRGB".to_vec()));
        rgb.set_content(vec![1; 64 * 64 * 3]);
        rgb.compress().unwrap();
        assert!(rgb.dict.get(b"Filter").is_ok());
        let Picture::File(file) = read(&rgb) else {
            panic!("{:?}", read(&rgb));
        };
        assert!(file.starts_with(b"P6\n64 64\n255\n"));
    }

    #[test]
    fn small_large_and_unsupported_images_are_not_inflated() {
        let sized = |w: i64, h: i64, filter: &str| {
            image(
                vec![
                    ("Width", w.into()),
                    ("Height", h.into()),
                    ("ColorSpace", Object::Name(b"DeviceGray".to_vec())),
                    ("Filter", Object::Name(filter.as_bytes().to_vec())),
                ],
                // Not Flate data: inflating it would fail.
                b"not deflated".to_vec(),
            )
        };
        assert_eq!(read(&sized(40, 400, "FlateDecode")), Picture::Small);
        assert_eq!(
            read(&sized(100_000, 100_000, "FlateDecode")),
            Picture::TooLarge {
                width: 100_000,
                height: 100_000
            }
        );
        assert_eq!(
            read(&sized(100, 100, "JBIG2Decode")),
            Picture::Refused("unsupported image encoding (JBIG2Decode)".into())
        );
        let mut indexed = sized(100, 100, "FlateDecode");
        indexed
            .dict
            .set("ColorSpace", Object::Name(b"DeviceCMYK".to_vec()));
        assert_eq!(
            read(&indexed),
            Picture::Refused("unsupported image encoding (8-bit DeviceCMYK)".into())
        );
    }

    #[test]
    fn indexed_colours_and_a_compressed_jpeg_are_read() {
        let mut indexed = image(
            vec![
                ("Width", 64.into()),
                ("Height", 64.into()),
                ("BitsPerComponent", 8.into()),
            ],
            vec![1; 64 * 64],
        );
        let table = Object::String(vec![0, 0, 0, 10, 20, 30], lopdf::StringFormat::Hexadecimal);
        let space = vec![
            Object::Name(b"Indexed".to_vec()),
            Object::Name(b"DeviceRGB".to_vec()),
            1.into(),
            table,
        ];
        indexed.dict.set("ColorSpace", Object::Array(space));
        let Picture::File(file) = read(&indexed) else {
            panic!("{:?}", read(&indexed));
        };
        assert!(file.starts_with(b"P6\n64 64\n255\n"));
        assert_eq!(&file[13..19], [10, 20, 30, 10, 20, 30]);

        // Long and repetitive enough for compress() to deflate it.
        let jpeg = [&b"\xff\xd8\xff\xe0"[..], &[b'x'; 200]].concat();
        let mut packed = image(
            vec![("Width", 64.into()), ("Height", 64.into())],
            jpeg.clone(),
        );
        packed.compress().unwrap();
        assert_ne!(packed.content, jpeg);
        let filters = ["FlateDecode", "DCTDecode"].map(|f| Object::Name(f.as_bytes().to_vec()));
        packed.dict.set("Filter", Object::Array(filters.to_vec()));
        assert_eq!(read(&packed), Picture::File(jpeg));
    }

    #[test]
    fn an_inline_image_is_read_as_a_stream() {
        let n = |s: &'static [u8]| Operand::Name(Cow::Borrowed(s));
        let given = [
            n(b"W"),
            Operand::Number(64.0),
            n(b"H"),
            Operand::Number(64.0),
            n(b"CS"),
            n(b"G"),
            n(b"BPC"),
            Operand::Number(8.0),
            Operand::String(Cow::Owned(vec![0; 64 * 64])),
        ];
        let stream = inline_stream(&given);
        assert_eq!(
            stream.dict.get(b"ColorSpace").unwrap().as_name().unwrap(),
            b"DeviceGray"
        );
        let Picture::File(file) = read(&stream) else {
            panic!("{:?}", read(&stream));
        };
        assert!(file.starts_with(b"P5\n64 64\n255\n"));
    }
}
