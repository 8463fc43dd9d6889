//! Office documents: Word, PowerPoint and OpenDocument files, all zip
//! archives of XML parts.
//!
//! [`extract`] opens the archive within [`Limits`], finds out from its
//! content (not its name) which kind of document it is, and runs that
//! kind's extractor: [`docx`], [`pptx`] or [`odf`]. A Word or PowerPoint
//! file saved with a password is not a zip archive but an OLE compound
//! file; it is reported as encrypted.

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
        let content = archive
            .read("content.xml")?
            .ok_or_else(|| ExtractError::damaged("an OpenDocument file without content.xml"))?;
        let styles = archive.read("styles.xml")?;
        return odf::extract(&content, styles.as_deref(), comments);
    }
    let main = main_part(&mut archive)?;
    match main.as_deref() {
        Some(path) if path.ends_with("presentation.xml") => pptx::extract(&mut archive, path),
        Some(path) => docx::extract(&mut archive, path, comments),
        None => Err(ExtractError::new(
            NoticeKind::Unsupported,
            "a zip archive that is neither a Word, PowerPoint nor OpenDocument file",
        )),
    }
}

/// The main part of an Office Open XML package, from `_rels/.rels`.
fn main_part(archive: &mut archive::Archive<'_>) -> Result<Option<String>, ExtractError> {
    let Some(rels) = archive.read("_rels/.rels")? else {
        return Ok(None);
    };
    let main = xml::relationships("_rels/.rels", &rels)?
        .into_iter()
        .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
        .and_then(|(_, _, target)| archive::resolve("", &target));
    Ok(main.filter(|path| {
        (path.ends_with("document.xml") || path.ends_with("presentation.xml")) && archive.has(path)
    }))
}
