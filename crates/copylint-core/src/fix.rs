//! Fixes: findings' edits applied to a file's text, and the text written
//! back without losing anything.
//!
//! Edits are spliced from the end of the text, so earlier offsets stay
//! valid; an edit that overlaps one already taken is skipped and its
//! finding remains. The text is encoded back as the file was stored (its
//! byte-order mark, UTF-16 or Windows-1252, its line endings untouched,
//! since only the edited spans change), and a file whose bytes would not
//! survive that round trip is never rewritten. The write is atomic: a
//! temporary file in the same folder, synced, given the file's
//! permissions, then renamed over it.

use std::io::{self, Write};
use std::path::Path;

use crate::finding::{Applicability, Edit, Finding};
use crate::source::{Encoding, Format};

/// Whether copylint rewrites files of this format. Office documents and
/// PDFs are never rewritten: their findings' suggestions are display-only.
pub fn rewrites(format: Format) -> bool {
    matches!(format, Format::Markdown | Format::Mdx | Format::Text)
}

/// The result of applying one round of fixes.
#[derive(Debug, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// Fixes applied.
    pub fixed: usize,
    /// Fixes skipped because they overlapped another.
    pub skipped: usize,
}

/// Applies the fixes of `findings` at or above `min` (safe, or unsafe too).
pub fn apply(text: &str, findings: &[Finding], min: Applicability) -> Applied {
    let mut fixes: Vec<&[Edit]> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|fix| fix.applicability >= min && min > Applicability::Display)
        .map(|fix| fix.edits.as_slice())
        .filter(|edits| !edits.is_empty())
        .collect();
    // The earliest fix wins an overlap, as the findings are ordered.
    fixes.sort_by_key(|edits| edits.iter().map(|e| e.span.start()).min());
    let valid = |e: &Edit| {
        e.span.end() <= text.len()
            && text.is_char_boundary(e.span.start())
            && text.is_char_boundary(e.span.end())
    };
    let mut chosen: Vec<&Edit> = Vec::new();
    let (mut fixed, mut skipped) = (0, 0);
    for edits in fixes {
        let clash = |e: &Edit| {
            chosen
                .iter()
                .any(|c| e.span.overlaps(c.span) || e.span.start() == c.span.start())
        };
        if edits.iter().all(valid) && !edits.iter().any(clash) {
            chosen.extend(edits);
            fixed += 1;
        } else {
            skipped += 1;
        }
    }
    // Spliced from the end, so earlier offsets stay valid.
    chosen.sort_by_key(|e| std::cmp::Reverse(e.span.start()));
    let mut out = text.to_string();
    for e in chosen {
        out.replace_range(e.span.range(), &e.content);
    }
    Applied {
        text: out,
        fixed,
        skipped,
    }
}

/// `text` encoded as a file stored in `encoding` is; `None` when it cannot
/// be (a character the encoding lacks).
pub fn encode(text: &str, encoding: Encoding) -> Option<Vec<u8>> {
    let utf16 = |bom: [u8; 2], be: bool| {
        let mut out = bom.to_vec();
        for unit in text.encode_utf16() {
            out.extend(if be {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    };
    Some(match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        Encoding::Utf16Le => utf16([0xFF, 0xFE], false),
        Encoding::Utf16Be => utf16([0xFE, 0xFF], true),
        Encoding::Windows1252 | Encoding::Declared(_) => {
            let encoding = match encoding {
                Encoding::Declared(e) => e,
                _ => encoding_rs::WINDOWS_1252,
            };
            let (bytes, _, unmappable) = encoding.encode(text);
            if unmappable {
                return None;
            }
            bytes.into_owned()
        }
    })
}

/// Writes `bytes` to `path` atomically, keeping its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, bytes, |tmp, path| {
        tmp.persist(path).map(drop).map_err(|e| e.error)
    })
}

/// [`write_atomic`] with the final rename given, so a test can make it fail.
fn write_atomic_with(
    path: &Path,
    bytes: &[u8],
    rename: impl FnOnce(tempfile::NamedTempFile, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut tmp = tempfile::Builder::new()
        .prefix(".copylint-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    // On failure the temporary file is removed when dropped; the original
    // was never opened for writing.
    rename(tmp, path)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::finding::{Fix, Severity, Span};

    fn finding(start: usize, end: usize, to: &str, applicability: Applicability) -> Finding {
        Finding {
            rule: Arc::from("r"),
            severity: Severity::Warning,
            message: Arc::from("m"),
            span: Span::new(start, end),
            matched: String::new(),
            suggestions: Arc::from(Vec::new()),
            fix: Some(Fix::replace(Span::new(start, end), to, applicability)),
            context: String::new(),
            context_match: Span::new(0, 0),
            unit: None,
            claim: None,
        }
    }

    #[test]
    fn splices_from_the_end_and_skips_overlaps() {
        let text = "Open AI and Chat GPT and Open AI.";
        let findings = [
            finding(0, 7, "OpenAI", Applicability::Safe),
            finding(12, 20, "ChatGPT", Applicability::Safe),
            finding(15, 20, "X", Applicability::Safe),
            finding(25, 32, "OpenAI", Applicability::Unsafe),
        ];
        let safe = apply(text, &findings, Applicability::Safe);
        assert_eq!(safe.text, "OpenAI and ChatGPT and Open AI.");
        assert_eq!((safe.fixed, safe.skipped), (2, 1));
        let all = apply(text, &findings, Applicability::Unsafe);
        assert_eq!(all.text, "OpenAI and ChatGPT and OpenAI.");
        let none = apply(text, &findings, Applicability::Display);
        assert_eq!((none.text.as_str(), none.fixed), (text, 0));
    }

    #[test]
    fn encodes_as_the_file_was_stored() {
        let text = "Café\r\n";
        for (encoding, bytes) in [
            (Encoding::Utf8, b"Caf\xC3\xA9\r\n".to_vec()),
            (Encoding::Utf8Bom, b"\xEF\xBB\xBFCaf\xC3\xA9\r\n".to_vec()),
            (
                Encoding::Utf16Le,
                b"\xFF\xFEC\0a\0f\0\xE9\0\r\0\n\0".to_vec(),
            ),
            (
                Encoding::Utf16Be,
                b"\xFE\xFF\0C\0a\0f\0\xE9\0\r\0\n".to_vec(),
            ),
            (Encoding::Windows1252, b"Caf\xE9\r\n".to_vec()),
        ] {
            assert_eq!(encode(text, encoding), Some(bytes.clone()), "{encoding:?}");
            assert_eq!(crate::source::decode(bytes), (text.to_string(), encoding));
        }
        assert_eq!(encode("🙂", Encoding::Windows1252), None);
    }

    #[test]
    fn a_failed_rename_leaves_the_original_intact_and_no_litter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, "original").unwrap();
        let failed = write_atomic_with(&path, b"new text", |_, _| {
            Err(io::Error::other("simulated failure"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "original");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["page.md"]);
    }

    #[cfg(unix)]
    #[test]
    fn writes_keep_the_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.md");
        std::fs::write(&path, "original").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }
}
