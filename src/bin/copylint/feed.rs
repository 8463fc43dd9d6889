//! The files of a check, in path order, handed to the workers in chunks:
//! either a list discovered in full (several roots that overlap, a
//! `--files-from` list), or what the walker finds as it walks. Streamed,
//! the walk holds a bounded number of paths whatever the size of the tree,
//! and checking starts at once; the paths that cannot be walked come in
//! their place in path order.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use copylint::error::Error;
use copylint::shard::{self, Shard};
use copylint::walk::{self, FileEntry, WalkError, Walked};

use crate::Failure;
use crate::settings::Settings;

/// Files checked between two writes of output: enough to keep every
/// thread busy, few enough that waiting output stays small.
pub const CHUNK: usize = 128;

/// How many walked paths wait for the workers at most, when streamed.
const STREAM_BOUND: usize = 4 * CHUNK;

/// Where the files come from.
pub enum Feed {
    Listed(std::vec::IntoIter<FileEntry>),
    Streamed {
        walk: Receiver<Walked>,
        /// With `--shard`: the shard and the directories keys are relative to.
        shard: Option<(Shard, Vec<PathBuf>)>,
        /// A problem met while a chunk was filling: it comes after it.
        held: Option<WalkError>,
    },
}

/// The next thing to write.
pub enum Batch {
    Files(Vec<FileEntry>),
    Problem(WalkError),
}

impl Feed {
    /// How many files there are, when known before checking.
    pub fn known_len(&self) -> Option<usize> {
        match self {
            Feed::Listed(files) => Some(files.len()),
            Feed::Streamed { .. } => None,
        }
    }

    /// Their total size in bytes, when known before checking.
    pub fn known_bytes(&self) -> Option<u64> {
        match self {
            Feed::Listed(files) => Some(files.as_slice().iter().map(|f| f.size).sum()),
            Feed::Streamed { .. } => None,
        }
    }

    /// Up to `n` files, or a path that could not be walked; `None` at the end.
    pub fn next(&mut self, n: usize) -> Option<Batch> {
        match self {
            Feed::Listed(files) => {
                let chunk: Vec<FileEntry> = files.by_ref().take(n).collect();
                (!chunk.is_empty()).then_some(Batch::Files(chunk))
            }
            Feed::Streamed { walk, shard, held } => {
                if let Some(problem) = held.take() {
                    return Some(Batch::Problem(problem));
                }
                let dirs: Option<(Shard, Vec<&Path>)> = shard
                    .as_ref()
                    .map(|(s, d)| (*s, d.iter().map(PathBuf::as_path).collect()));
                let mut chunk = Vec::new();
                while chunk.len() < n {
                    match walk.recv() {
                        Ok(Walked::File(f)) => {
                            if dirs.as_ref().is_none_or(|(s, d)| s.keeps_file(&f, d)) {
                                chunk.push(f);
                            }
                        }
                        Ok(Walked::Problem(p)) => {
                            if dirs.as_ref().is_some_and(|(s, d)| !s.keeps_problem(&p, d)) {
                                continue;
                            }
                            if chunk.is_empty() {
                                return Some(Batch::Problem(p));
                            }
                            *held = Some(p);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                (!chunk.is_empty()).then_some(Batch::Files(chunk))
            }
        }
    }
}

/// The files to check: the paths given (`.` when none is and no list is
/// named) and the entries of the `--files-from` list, sorted, each once;
/// streamed from the walker when the paths given do not overlap.
pub fn discover(
    settings: &Settings,
    problem: &mut dyn FnMut(&WalkError) -> io::Result<()>,
) -> Result<Feed, Failure> {
    let inputs = &settings.inputs;
    let roots = &inputs.roots;
    let listed = match &inputs.files_from {
        Some((list, null)) => {
            let bytes = read_input(list).map_err(|e| Error::read("--files-from list", list, e))?;
            walk::parse_list(&bytes, *null)
        }
        None => Vec::new(),
    };
    if inputs.files_from.is_none()
        && let Some(feed) = stream(roots, &settings.walk, inputs.shard, STREAM_BOUND)
    {
        return Ok(feed);
    }
    let (mut files, mut walk_errors) = walk::discover(roots, &settings.walk);
    let (from_list, list_errors) = walk::discover_listed(&listed, &settings.walk);
    files.extend(from_list);
    walk::sort_unique(&mut files);
    walk_errors.extend(list_errors);
    // In path order, so that the notices of shards merge into the same order.
    walk_errors.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(shard) = inputs.shard {
        let dirs: Vec<&Path> = roots.iter().chain(&listed).map(PathBuf::as_path).collect();
        shard.select(&dirs, &mut files, &mut walk_errors);
    }
    for e in &walk_errors {
        problem(e)?;
    }
    Ok(Feed::Listed(files.into_iter()))
}

/// Reads standard input, or a file, whole.
pub fn read_input(path: &Path) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        io::stdin().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(path)?;
    }
    Ok(bytes)
}

/// A feed streamed from the walker over `roots`, or `None` when the roots
/// overlap and need sorting together.
fn stream(
    roots: &[PathBuf],
    options: &copylint::walk::WalkOptions,
    shard: Option<Shard>,
    bound: usize,
) -> Option<Feed> {
    let walk = walk::stream(roots, options, bound)?;
    let shard = shard.map(|s| {
        let roots: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
        let dirs = shard::directories(&roots);
        (s, dirs.into_iter().map(PathBuf::from).collect())
    });
    Some(Feed::Streamed {
        walk,
        shard,
        held: None,
    })
}

/// The progress bar of a check, hidden until it has run for a while; its
/// total is `total_bytes`, or grows as the walk finds files.
pub fn progress_bar(total_bytes: u64, files: Option<usize>) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::hidden());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {msg} ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(progress_message(0, files, 0));
    bar
}

/// `12/40 files, 3 findings`, without the total while the walk goes on.
pub fn progress_message(done: usize, files: Option<usize>, findings: usize) -> String {
    match files {
        Some(total) => format!("{done}/{total} files, {findings} findings"),
        None => format!("{done} files, {findings} findings"),
    }
}
