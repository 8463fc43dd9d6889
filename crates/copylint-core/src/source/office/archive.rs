//! Zip archives as untrusted input: entries are read by name, never
//! extracted, and every read is bounded before and while inflating.
//!
//! Before an entry is inflated, its declared size is checked against the
//! per-entry and per-document limits and its declared compression ratio
//! against the largest a real document reaches; while inflating, no more
//! than the limit is read, whatever the header declared. Paths from
//! relationship files are resolved inside the archive and dropped when
//! they would leave it.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::finding::NoticeKind;
use crate::source::document::DocumentBuilder;
use crate::source::document::ExtractError;

/// How much of an archive may be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes inflated from one entry, at most.
    pub entry: u64,
    /// Bytes inflated from one document, at most.
    pub document: u64,
    /// The highest compression ratio accepted for entries over 1 MiB.
    pub ratio: u64,
}

/// The default per-entry and per-document limit: 256 MiB.
pub const DEFAULT_LIMIT: u64 = 256 << 20;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            entry: DEFAULT_LIMIT,
            document: DEFAULT_LIMIT,
            ratio: 200,
        }
    }
}

/// An open archive and how much of it has been read.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    read: u64,
}

impl<'a> Archive<'a> {
    pub fn open(bytes: &'a [u8], limits: Limits) -> Result<Archive<'a>, ExtractError> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ExtractError::damaged(format!("not a valid zip archive: {e}")))?;
        Ok(Archive {
            zip,
            limits,
            read: 0,
        })
    }

    /// Whether the archive has an entry named `name`.
    pub fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// The entry named `name` as text, or `None` when there is none.
    pub fn read(&mut self, name: &str) -> Result<Option<String>, ExtractError> {
        Ok(self
            .read_bytes(name)?
            .map(|bytes| match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }))
    }

    /// The bytes of the entry named `name`, or `None` when there is none.
    pub fn read_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, ExtractError> {
        let too_large = |what: &str| {
            ExtractError::new(
                NoticeKind::TooLarge,
                format!("{name} in the archive {what}"),
            )
        };
        let mut entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED)) => {
                return Err(ExtractError::new(
                    NoticeKind::Encrypted,
                    format!("{name} in the archive is encrypted"),
                ));
            }
            Err(e) => return Err(ExtractError::damaged(format!("cannot read {name}: {e}"))),
        };
        if entry.encrypted() {
            return Err(ExtractError::new(
                NoticeKind::Encrypted,
                format!("{name} in the archive is encrypted"),
            ));
        }
        let limits = self.limits;
        let (size, packed) = (entry.size(), entry.compressed_size());
        if size > limits.entry {
            return Err(too_large(&format!(
                "declares {size} bytes, over the limit of {} per entry",
                limits.entry
            )));
        }
        if size > 1 << 20 && size / packed.max(1) > limits.ratio {
            return Err(too_large(&format!(
                "declares a compression ratio over {}:1 (a zip bomb?)",
                limits.ratio
            )));
        }
        let budget = limits.entry.min(limits.document.saturating_sub(self.read));
        if size > budget {
            return Err(too_large(&format!(
                "would take the document over its limit of {} bytes",
                limits.document
            )));
        }
        let mut bytes = Vec::with_capacity(size.min(budget) as usize);
        (&mut entry)
            .take(budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ExtractError::damaged(format!("cannot inflate {name}: {e}")))?;
        if bytes.len() as u64 > budget {
            return Err(too_large(&format!(
                "inflates to more than its {size} declared bytes, over the limit"
            )));
        }
        self.read += bytes.len() as u64;
        Ok(Some(bytes))
    }
}

/// Resolves the relationship ids recorded as the targets of the images
/// from the `from`th on, read from the part at `path`, to archive paths;
/// an id with no target inside the archive leaves the target empty.
/// `rels` are a part's relationships: (id, type, target).
pub fn resolve_images(
    doc: &mut DocumentBuilder,
    from: usize,
    path: &str,
    rels: &[(String, String, String)],
) {
    for image in doc.images_from(from) {
        image.target = rels
            .iter()
            .find(|(id, _, _)| *id == image.target)
            .and_then(|(_, _, target)| resolve(path, target))
            .unwrap_or_default();
    }
}

/// The archive path that `target`, written in the part at `from`, points
/// to; `None` when it leaves the archive.
pub fn resolve(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !target.starts_with('/') {
        parts.extend(from.split('/'));
        parts.pop();
    }
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            piece => parts.push(piece),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The directory-and-name of the relationships part of the part at `path`.
pub fn rels_of(path: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{path}.rels"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_inside_the_archive_only() {
        assert_eq!(
            resolve("ppt/slides/slide1.xml", "../notesSlides/n1.xml").as_deref(),
            Some("ppt/notesSlides/n1.xml")
        );
        assert_eq!(
            resolve("ppt/presentation.xml", "slides/slide2.xml").as_deref(),
            Some("ppt/slides/slide2.xml")
        );
        assert_eq!(
            resolve("word/document.xml", "/word/header1.xml").as_deref(),
            Some("word/header1.xml")
        );
        assert_eq!(resolve("word/document.xml", "../../etc/passwd"), None);
        assert_eq!(
            rels_of("ppt/slides/slide1.xml"),
            "ppt/slides/_rels/slide1.xml.rels"
        );
    }
}
