//! Office documents: Word, PowerPoint and OpenDocument files, all zip
//! archives of XML parts.
//!
//! [`extract`] opens the archive within [`Limits`], finds out from its
//! content (not its name) which kind of document it is, and runs that
//! kind's extractor: [`docx`], [`pptx`] or [`odf`]. A Word or PowerPoint
//! file saved with a password is not a zip archive but an OLE compound
//! file; it is reported as encrypted, and so is an OpenDocument file whose
//! manifest says its parts are encrypted.

mod archive;
mod docx;
mod odf;
mod pptx;
mod xml;

pub use archive::{DEFAULT_LIMIT, Limits};

use crate::finding::NoticeKind;
use crate::source::document::{Document, ExtractError};

/// The first bytes of an OLE compound file (how Office stores encrypted
/// documents).
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether `bytes` start like a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Whether `bytes` start like an OLE compound file.
pub fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(OLE_MAGIC)
}

/// Extracts the prose of an office document; `comments` includes
/// reviewers' comments.
pub fn extract(bytes: &[u8], limits: Limits, comments: bool) -> Result<Document, ExtractError> {
    if is_ole(bytes) {
        return Err(ExtractError::new(
            NoticeKind::Encrypted,
            "an encrypted (password-protected) Office document, or a legacy binary one",
        ));
    }
    let mut archive = archive::Archive::open(bytes, limits)?;
    if let Some(mimetype) = archive.read("mimetype")?
        && mimetype
            .trim()
            .starts_with("application/vnd.oasis.opendocument.")
    {
        if let Some(manifest) = archive.read("META-INF/manifest.xml")?
            && manifest.contains("encryption-data")
        {
            return Err(ExtractError::new(
                NoticeKind::Encrypted,
                "an encrypted (password-protected) OpenDocument file",
            ));
        }
        let content = archive
            .read("content.xml")?
            .ok_or_else(|| ExtractError::damaged("an OpenDocument file without content.xml"))?;
        let styles = archive.read("styles.xml")?;
        return odf::extract(&content, styles.as_deref(), comments, &mut |name| {
            archive.read(name)
        });
    }
    match main_part(&mut archive)? {
        Some((path, Kind::Presentation)) => pptx::extract(&mut archive, &path),
        Some((path, Kind::Word)) => docx::extract(&mut archive, &path, comments),
        None => Err(ExtractError::new(
            NoticeKind::Unsupported,
            "a zip archive that is neither a Word, PowerPoint nor OpenDocument file",
        )),
    }
}

/// The bytes of the entries `names` of an office document's archive (its
/// images), each read within `limits` as extraction reads its parts;
/// `None` for an entry that is not there.
pub fn entries(
    bytes: &[u8],
    limits: Limits,
    names: &[&str],
) -> Vec<Result<Option<Vec<u8>>, ExtractError>> {
    match archive::Archive::open(bytes, limits) {
        Ok(mut archive) => names.iter().map(|n| archive.read_bytes(n)).collect(),
        Err(e) => names.iter().map(|_| Err(e.clone())).collect(),
    }
}

/// The kinds of Office Open XML package read.
enum Kind {
    Word,
    Presentation,
}

/// The main part of an Office Open XML package, from `_rels/.rels`, and
/// its kind: told by the content type `[Content_Types].xml` gives it, as
/// the part may have any name (`word/document2.xml`), else by its name.
fn main_part(archive: &mut archive::Archive<'_>) -> Result<Option<(String, Kind)>, ExtractError> {
    let Some(rels) = archive.read("_rels/.rels")? else {
        return Ok(None);
    };
    let Some(main) = xml::relationships("_rels/.rels", &rels)?
        .into_iter()
        .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
        .and_then(|(_, _, target)| archive::resolve("", &target))
        .filter(|path| archive.has(path))
    else {
        return Ok(None);
    };
    let mut content_type = None;
    if let Some(types) = archive.read("[Content_Types].xml")? {
        let name = format!("/{main}");
        xml::walk("[Content_Types].xml", &types, &mut |piece| {
            if let xml::Piece::Start("Override", e) = piece
                && xml::attr(e, "PartName").is_some_and(|p| p.eq_ignore_ascii_case(&name))
            {
                content_type = xml::attr(e, "ContentType");
            }
        })?;
    }
    let kind = match content_type.as_deref() {
        Some(t) if t.contains("presentationml") || t.contains("ms-powerpoint") => {
            Some(Kind::Presentation)
        }
        Some(t) if t.contains("wordprocessingml") || t.contains("ms-word") => Some(Kind::Word),
        Some(_) => None,
        None if main.ends_with("presentation.xml") => Some(Kind::Presentation),
        None if main.ends_with("document.xml") => Some(Kind::Word),
        None => None,
    };
    Ok(kind.map(|kind| (main, kind)))
}
