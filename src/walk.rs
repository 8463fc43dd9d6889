//! Discovery: command-line paths to the sorted list of files to check.
//!
//! Directories are walked (walkdir) for Markdown and text files, skipping
//! hidden entries (unless asked) and the `.git`, `target` and
//! `node_modules` folders; a file named on the command line is always
//! checked. Problems (a missing path, an unreadable directory) are returned
//! beside the files, so one bad path never stops the rest.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::source::Format;

/// Folders never walked into.
pub const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// How to walk.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Walk into hidden files and folders too.
    pub hidden: bool,
    /// Follow symbolic links (loops are detected and reported).
    pub follow: bool,
}

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: PathBuf,
    pub format: Format,
    /// Named on the command line (rather than found by walking).
    pub explicit: bool,
    /// Size in bytes when discovered.
    pub size: u64,
}

impl FileEntry {
    /// The path as shown in output: as given or as walked, without a
    /// leading `./`.
    pub fn display(&self) -> String {
        let path = self.path.strip_prefix(".").unwrap_or(&self.path);
        path.to_string_lossy().into_owned()
    }
}

/// A path that could not be walked.
#[derive(Debug)]
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
    /// Only worth a warning (a broken link, a link loop): nothing that was
    /// asked for is lost.
    pub warning: bool,
}

impl WalkError {
    fn error(path: &Path, message: impl Into<String>) -> WalkError {
        WalkError {
            path: path.to_path_buf(),
            message: message.into(),
            warning: false,
        }
    }

    fn warning(path: &Path, message: impl Into<String>) -> WalkError {
        WalkError {
            warning: true,
            ..WalkError::error(path, message)
        }
    }
}

/// What kind of special file `file_type` is, if it is one.
fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    (!file_type.is_file() && !file_type.is_dir()).then_some("not a regular file")
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.') && name != "." && name != ".."
}

/// Expands `paths` named on the command line into the files to check,
/// sorted by path, each once.
pub fn discover(paths: &[PathBuf], options: &WalkOptions) -> (Vec<FileEntry>, Vec<WalkError>) {
    expand(paths, options, true)
}

/// Expands the entries of a `--files-from` list: like [`discover`], but a
/// listed file is checked only when its extension is a Markdown or text one
/// (a list from `git ls-files` names every file of a repository).
pub fn discover_listed(
    paths: &[PathBuf],
    options: &WalkOptions,
) -> (Vec<FileEntry>, Vec<WalkError>) {
    expand(paths, options, false)
}

/// Sorts files by path and keeps one entry per path (an explicitly named
/// one when there are several).
pub fn sort_unique(files: &mut Vec<FileEntry>) {
    files.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    files.dedup_by(|a, b| a.path == b.path);
}

fn expand(
    paths: &[PathBuf],
    options: &WalkOptions,
    named: bool,
) -> (Vec<FileEntry>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(err) => {
                let broken = err.kind() == std::io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(root).is_ok();
                let message = if broken {
                    "broken symbolic link".to_string()
                } else {
                    describe(&err)
                };
                errors.push(WalkError::error(root, message));
                continue;
            }
        };
        if let Some(kind) = special_kind(meta.file_type()) {
            // Never opened: reading a FIFO could block forever.
            errors.push(WalkError::error(
                root,
                format!("{kind}, not a file to check"),
            ));
            continue;
        }
        if !meta.is_dir() {
            let format = if named {
                Some(Format::for_named(root))
            } else {
                Format::from_extension(root)
            };
            if let Some(format) = format {
                files.push(FileEntry {
                    path: root.clone(),
                    format,
                    explicit: named,
                    size: meta.len(),
                });
            }
            continue;
        }
        walk_dir(root, options, &mut files, &mut errors);
    }
    sort_unique(&mut files);
    (files, errors)
}

fn walk_dir(
    root: &Path,
    options: &WalkOptions,
    files: &mut Vec<FileEntry>,
    errors: &mut Vec<WalkError>,
) {
    let walker = WalkDir::new(root)
        .follow_links(options.follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name();
            if entry.file_type().is_dir() && SKIPPED_DIRS.iter().any(|d| name == *d) {
                return false;
            }
            options.hidden || !is_hidden(name)
        });
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.path_is_symlink() && !options.follow {
                    // Not followed; only a broken one is worth a word.
                    if std::fs::metadata(entry.path()).is_err() {
                        errors.push(WalkError::warning(entry.path(), "broken symbolic link"));
                    }
                    continue;
                }
                // Only regular files: FIFOs, sockets and devices are never opened.
                if !entry.file_type().is_file() {
                    continue;
                }
                if let Some(format) = Format::from_extension(entry.path()) {
                    let size = entry.metadata().map_or(0, |m| m.len());
                    files.push(FileEntry {
                        path: entry.into_path(),
                        format,
                        explicit: false,
                        size,
                    });
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(root);
                if let Some(ancestor) = err.loop_ancestor() {
                    let message = format!(
                        "symbolic link loop back to {}, not followed",
                        ancestor.to_string_lossy()
                    );
                    errors.push(WalkError::warning(path, message));
                } else if err
                    .io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
                {
                    errors.push(WalkError::warning(path, "broken symbolic link"));
                } else {
                    let message = err
                        .io_error()
                        .map(describe)
                        .unwrap_or_else(|| err.to_string());
                    errors.push(WalkError::error(path, message));
                }
            }
        }
    }
}

/// Splits a list of paths (`--files-from`): one per line, or separated by
/// NUL bytes when `nul` is set. Empty entries are skipped; a trailing
/// carriage return is dropped from lines.
pub fn parse_list(bytes: &[u8], nul: bool) -> Vec<PathBuf> {
    let sep = if nul { b'\0' } else { b'\n' };
    bytes
        .split(|&b| b == sep)
        .map(|entry| {
            if nul {
                entry
            } else {
                entry.strip_suffix(b"\r").unwrap_or(entry)
            }
        })
        .filter(|entry| !entry.is_empty())
        .map(path_from_bytes)
        .collect()
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// An I/O error as a short, lower-case phrase.
pub fn describe(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file or directory".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => {
            let s = err.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_newline_and_nul_lists() {
        assert_eq!(
            parse_list(b"a.md\r\n\nb c.txt\n", false),
            [PathBuf::from("a.md"), PathBuf::from("b c.txt")]
        );
        assert_eq!(
            parse_list(b"a\nb.md\0c.md\0", true),
            [PathBuf::from("a\nb.md"), PathBuf::from("c.md")]
        );
    }
}
