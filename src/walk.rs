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
}

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: PathBuf,
    pub format: Format,
    /// Named on the command line (rather than found by walking).
    pub explicit: bool,
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
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.') && name != "." && name != ".."
}

/// Expands `paths` into the files to check, sorted by path, each once.
pub fn discover(paths: &[PathBuf], options: &WalkOptions) -> (Vec<FileEntry>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(meta) => meta,
            Err(err) => {
                errors.push(WalkError {
                    path: root.clone(),
                    message: describe(&err),
                });
                continue;
            }
        };
        if !meta.is_dir() {
            files.push(FileEntry {
                path: root.clone(),
                format: Format::for_named(root),
                explicit: true,
            });
            continue;
        }
        walk_dir(root, options, &mut files, &mut errors);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path).then(b.explicit.cmp(&a.explicit)));
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}

fn walk_dir(
    root: &Path,
    options: &WalkOptions,
    files: &mut Vec<FileEntry>,
    errors: &mut Vec<WalkError>,
) {
    let walker = WalkDir::new(root)
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
                if !entry.file_type().is_file() {
                    continue;
                }
                if let Some(format) = Format::from_extension(entry.path()) {
                    files.push(FileEntry {
                        path: entry.into_path(),
                        format,
                        explicit: false,
                    });
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                let message = err
                    .io_error()
                    .map(describe)
                    .unwrap_or_else(|| err.to_string());
                errors.push(WalkError { path, message });
            }
        }
    }
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
