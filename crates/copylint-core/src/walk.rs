//! Discovery: command-line paths to the files to check, in path order:
//! as a sorted list ([`discover`]), or streamed from a walker thread as it
//! finds them ([`stream`]) when the paths given do not overlap.
//!
//! Directories are walked for Markdown and text files, skipping hidden
//! entries (unless asked), the `.git`, `target` and `node_modules` folders,
//! and, inside a git repository, what `.gitignore` and `.ignore` files
//! exclude; a file named on the command line is always checked. The walker
//! is the `ignore` crate's rather than walkdir's: it implements gitignore
//! semantics (nested files, negations, anchoring, the global excludes file)
//! exactly as git and ripgrep do, which hand-written filtering over walkdir
//! would only approximate. Problems (a missing path, an unreadable
//! directory) are returned beside the files, so one bad path never stops
//! the rest.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use ignore::WalkBuilder;

use crate::error::describe_io as describe;
use crate::source::{Extensions, Format};

/// Folders never walked into.
pub const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// How to walk.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Walk into hidden files and folders too.
    pub hidden: bool,
    /// Follow symbolic links (loops are detected and reported).
    pub follow: bool,
    /// Skip what `.gitignore` (inside a git repository) and `.ignore` exclude.
    pub ignore_files: bool,
    /// Which extensions are Markdown and which text.
    pub extensions: Extensions,
    /// Include and exclude globs for walked files.
    pub filter: Option<PathFilter>,
    /// Measure each walked file's size, for a progress bar: a `stat` per
    /// file. Unmeasured sizes are 0.
    pub sizes: bool,
}

/// Include and exclude globs, matched against paths relative to `base`
/// (the directory of the configuration file that set them).
#[derive(Clone, Debug)]
pub struct PathFilter {
    pub base: PathBuf,
    /// When set, only files matching one of these are checked.
    pub include: Option<GlobSet>,
    pub exclude: GlobSet,
}

impl PathFilter {
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let absolute = std::path::absolute(path).ok()?;
        absolute
            .strip_prefix(&self.base)
            .ok()
            .map(Path::to_path_buf)
    }

    /// Whether a walked file is checked.
    pub fn allows_file(&self, path: &Path) -> bool {
        let Some(rel) = self.relative(path) else {
            return self.include.is_none();
        };
        !self.exclude.is_match(&rel) && self.include.as_ref().is_none_or(|i| i.is_match(&rel))
    }

    /// Whether a directory is walked into.
    pub fn allows_dir(&self, path: &Path) -> bool {
        self.relative(path)
            .is_none_or(|rel| rel.as_os_str().is_empty() || !self.exclude.is_match(&rel))
    }
}

impl Default for WalkOptions {
    fn default() -> WalkOptions {
        WalkOptions {
            hidden: false,
            follow: false,
            ignore_files: true,
            extensions: Extensions::default(),
            filter: None,
            sizes: true,
        }
    }
}

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: PathBuf,
    pub format: Format,
    /// Named on the command line (rather than found by walking).
    pub explicit: bool,
    /// Size in bytes when discovered (0 when the walk did not measure it,
    /// see [`WalkOptions::sizes`]).
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
    // `./a.md` (walked from `.`) and `a.md` (named) are one file.
    fn key(f: &FileEntry) -> &Path {
        f.path.strip_prefix(".").unwrap_or(&f.path)
    }
    files.sort_by(|a, b| key(a).cmp(key(b)).then(b.explicit.cmp(&a.explicit)));
    files.dedup_by(|a, b| key(a) == key(b));
}

fn expand(
    paths: &[PathBuf],
    options: &WalkOptions,
    named: bool,
) -> (Vec<FileEntry>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        walk_root(root, options, named, &mut |walked| {
            match walked {
                Walked::File(f) => files.push(f),
                Walked::Problem(e) => errors.push(e),
            }
            true
        });
    }
    sort_unique(&mut files);
    (files, errors)
}

/// What a walk finds.
#[derive(Debug)]
pub enum Walked {
    File(FileEntry),
    /// A path that could not be walked.
    Problem(WalkError),
}

/// Walks `paths` as [`discover`] does, on a thread of its own, and sends
/// what it finds through a channel that holds at most `bound` items, in the
/// order `discover` sorts files; `None` when that order needs every path
/// first, because one path lies inside another (or is named twice). The
/// memory a walk holds then no longer grows with the number of files, and
/// checking starts while the walk goes on.
///
/// A directory's entries are walked sorted by name, and path order compares
/// one component at a time, so walking disjoint roots in sorted order, depth
/// first, gives every file in path order.
pub fn stream(
    paths: &[PathBuf],
    options: &WalkOptions,
    bound: usize,
) -> Option<std::sync::mpsc::Receiver<Walked>> {
    let key = |p: &PathBuf| {
        p.strip_prefix(".")
            .map(Path::to_path_buf)
            .unwrap_or(p.clone())
    };
    let mut roots: Vec<(PathBuf, PathBuf)> = paths.iter().map(|p| (key(p), p.clone())).collect();
    roots.sort_by(|a, b| a.0.cmp(&b.0));
    if roots.windows(2).any(|w| w[1].0.starts_with(&w[0].0)) {
        return None;
    }
    let (tx, rx) = std::sync::mpsc::sync_channel(bound);
    let options = options.clone();
    std::thread::Builder::new()
        .name("copylint-walk".into())
        .spawn(move || {
            for (_, root) in roots {
                let mut open = true;
                walk_root(&root, &options, true, &mut |walked| {
                    open = tx.send(walked).is_ok();
                    open
                });
                if !open {
                    return;
                }
            }
        })
        .ok()?;
    Some(rx)
}

/// Walks one path named on the command line (`named`) or in a list.
fn walk_root(
    root: &Path,
    options: &WalkOptions,
    named: bool,
    sink: &mut dyn FnMut(Walked) -> bool,
) {
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
            sink(Walked::Problem(WalkError::error(root, message)));
            return;
        }
    };
    if let Some(kind) = special_kind(meta.file_type()) {
        // Never opened: reading a FIFO could block forever.
        let message = format!("{kind}, not a file to check");
        sink(Walked::Problem(WalkError::error(root, message)));
        return;
    }
    if meta.is_dir() {
        return walk_dir(root, options, sink);
    }
    let format = if named {
        Some(options.extensions.for_named(root))
    } else {
        options
            .extensions
            .format_of(root)
            .filter(|_| options.filter.as_ref().is_none_or(|f| f.allows_file(root)))
    };
    if let Some(format) = format {
        sink(Walked::File(FileEntry {
            path: root.to_path_buf(),
            format,
            explicit: named,
            size: meta.len(),
        }));
    }
}

/// Walks the directory `root`, handing `sink` what it finds in path order
/// until `sink` returns false.
fn walk_dir(root: &Path, options: &WalkOptions, sink: &mut dyn FnMut(Walked) -> bool) {
    let filter = options.filter.clone();
    let walker = WalkBuilder::new(root)
        .hidden(!options.hidden)
        .follow_links(options.follow)
        .git_ignore(options.ignore_files)
        .git_exclude(options.ignore_files)
        .git_global(options.ignore_files)
        .ignore(options.ignore_files)
        .parents(options.ignore_files)
        .require_git(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir && SKIPPED_DIRS.iter().any(|d| entry.file_name() == *d) {
                return false;
            }
            !is_dir || filter.as_ref().is_none_or(|f| f.allows_dir(entry.path()))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.path_is_symlink() && !options.follow {
                    // Not followed; only a broken one is worth a word.
                    if std::fs::metadata(entry.path()).is_err()
                        && !sink(Walked::Problem(WalkError::warning(
                            entry.path(),
                            "broken symbolic link",
                        )))
                    {
                        return;
                    }
                    continue;
                }
                // Only regular files: FIFOs, sockets and devices are never opened.
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let path = entry.path();
                let Some(format) = options.extensions.format_of(path) else {
                    continue;
                };
                if options
                    .filter
                    .as_ref()
                    .is_some_and(|f| !f.allows_file(path))
                {
                    continue;
                }
                let size = if options.sizes {
                    entry.metadata().map_or(0, |m| m.len())
                } else {
                    0
                };
                let file = FileEntry {
                    path: entry.into_path(),
                    format,
                    explicit: false,
                    size,
                };
                if !sink(Walked::File(file)) {
                    return;
                }
            }
            Err(err) => {
                let mut errors = Vec::new();
                report(&err, root, &mut errors);
                for e in errors {
                    if !sink(Walked::Problem(e)) {
                        return;
                    }
                }
            }
        }
    }
}

/// Turns a walker error into a reported problem.
fn report(err: &ignore::Error, root: &Path, errors: &mut Vec<WalkError>) {
    match err {
        ignore::Error::Partial(errs) => errs.iter().for_each(|e| report(e, root, errors)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            report(err, root, errors)
        }
        ignore::Error::WithPath { path, err } => match &**err {
            ignore::Error::Loop { ancestor, .. } => errors.push(WalkError::warning(
                path,
                format!(
                    "symbolic link loop back to {}, not followed",
                    ancestor.to_string_lossy()
                ),
            )),
            ignore::Error::Io(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && std::fs::symlink_metadata(path)
                        .is_ok_and(|m| m.file_type().is_symlink()) =>
            {
                errors.push(WalkError::warning(path, "broken symbolic link"));
            }
            ignore::Error::Io(e) => errors.push(WalkError::error(path, describe(e))),
            other => errors.push(WalkError::error(path, other.to_string())),
        },
        ignore::Error::Loop { ancestor, child } => errors.push(WalkError::warning(
            child,
            format!(
                "symbolic link loop back to {}, not followed",
                ancestor.to_string_lossy()
            ),
        )),
        ignore::Error::Io(e) => errors.push(WalkError::error(root, describe(e))),
        other => errors.push(WalkError::warning(root, other.to_string())),
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

    fn paths(walked: impl IntoIterator<Item = Walked>) -> Vec<String> {
        walked
            .into_iter()
            .map(|w| match w {
                Walked::File(f) => f.path.to_string_lossy().into_owned(),
                Walked::Problem(p) => format!("problem {}", p.path.to_string_lossy()),
            })
            .collect()
    }

    #[test]
    fn a_stream_comes_in_the_order_discover_sorts() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let root = dir.path();
        // Names that sort differently as strings and as paths: `a/…`
        // comes before `a-b/…` and `a.md` in path order.
        for file in [
            "a/z.md",
            "a/b/c.md",
            "a-b/x.md",
            "a.md",
            "b.txt",
            "a/b.md",
            "c/d/e/f.md",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
            std::fs::write(&path, "x").expect("a file");
        }
        let roots = [
            root.join("c"),
            root.join("a"),
            root.join("a.md"),
            root.join("missing"),
            root.join("a-b"),
            root.join("b.txt"),
        ];
        let (files, errors) = discover(&roots, &WalkOptions::default());
        let mut expected: Vec<Walked> = files.into_iter().map(Walked::File).collect();
        expected.extend(errors.into_iter().map(Walked::Problem));
        let key = |w: &Walked| match w {
            Walked::File(f) => f.path.clone(),
            Walked::Problem(p) => p.path.clone(),
        };
        expected.sort_by_key(key);
        let streamed = stream(&roots, &WalkOptions::default(), 2).expect("disjoint roots stream");
        assert_eq!(paths(streamed), paths(expected));
    }

    #[test]
    fn overlapping_roots_are_not_streamed() {
        let options = WalkOptions::default();
        for roots in [
            vec![PathBuf::from("docs"), PathBuf::from("docs/a.md")],
            vec![PathBuf::from("./docs"), PathBuf::from("docs")],
            vec![PathBuf::from("."), PathBuf::from("docs")],
        ] {
            assert!(stream(&roots, &options, 2).is_none(), "{roots:?}");
        }
        assert!(
            stream(
                &[PathBuf::from("docs"), PathBuf::from("docs-old")],
                &options,
                2
            )
            .is_some()
        );
    }
}
