//! Sharding: which files one of N machines checks.
//!
//! A run with `--shard K/N` checks only the files whose key hashes into
//! shard K. The key is a file's path relative to the root it was found
//! under (the directory given on the command line or in a `--files-from`
//! list), or, for a file named itself, its path as given; components are
//! joined with `/` whatever the operating system. The hash is 64-bit
//! FNV-1a of the key's UTF-8 bytes, and the file belongs to shard
//! `hash % N + 1`. The assignment depends on nothing but the key and N,
//! so the shards of one tree cover every file exactly once, on any
//! machine, in any listing order, wherever the tree is mounted.
//! K counts from 1: `--shard 1/4` … `--shard 4/4`.

use std::fmt;
use std::path::{Component, Path};
use std::str::FromStr;

use crate::walk::{FileEntry, WalkError};

/// One shard of N, K counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Whether the file with shard key `key` belongs to this shard.
    pub fn contains(self, key: &str) -> bool {
        shard_of(key, self.count) == self.index
    }

    /// Keeps the files, and the paths that could not be walked, of this
    /// shard; `roots` are the paths given (directories and files alike).
    pub fn select(self, roots: &[&Path], files: &mut Vec<FileEntry>, errors: &mut Vec<WalkError>) {
        let dirs = directories(roots);
        files.retain(|f| self.keeps_file(f, &dirs));
        errors.retain(|e| self.keeps_problem(e, &dirs));
    }

    /// Whether this shard checks `file`, found under one of `dirs` (the
    /// directories among the paths given, as [`directories`] lists them).
    pub fn keeps_file(self, file: &FileEntry, dirs: &[&Path]) -> bool {
        self.contains(&key(&file.path, dirs, !file.explicit))
    }

    /// Whether this shard reports the path that could not be walked.
    pub fn keeps_problem(self, problem: &WalkError, dirs: &[&Path]) -> bool {
        self.contains(&key(&problem.path, dirs, true))
    }
}

/// The directories among the paths given: the roots shard keys are
/// relative to.
pub fn directories<'p>(roots: &[&'p Path]) -> Vec<&'p Path> {
    roots.iter().copied().filter(|p| p.is_dir()).collect()
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// Parses `K/N`, with 1 ≤ K ≤ N.
    fn from_str(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write K/N, such as 1/4 (K from 1 to N)");
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 {
            return Err(format!("`{text}`: the number of shards must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(format!(
                "`{text}`: shards count from 1, so K must be between 1 and {count} (a 0-based index i is shard i+1)"
            ));
        }
        Ok(Shard { index, count })
    }
}

/// 64-bit FNV-1a, fed in pieces: stable across builds and platforms,
/// unlike the standard library's hasher. Shard keys, policy digests and
/// SARIF fingerprints all use it.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a64(u64);

impl Fnv1a64 {
    pub const fn new() -> Fnv1a64 {
        Fnv1a64(0xcbf2_9ce4_8422_2325)
    }

    /// The hash after `bytes` more.
    #[must_use]
    pub fn write(self, bytes: &[u8]) -> Fnv1a64 {
        let mut hash = self.0;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Fnv1a64(hash)
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

impl Default for Fnv1a64 {
    fn default() -> Fnv1a64 {
        Fnv1a64::new()
    }
}

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    Fnv1a64::new().write(bytes).finish()
}

/// The shard (from 1) of N that the file with shard key `key` belongs to.
pub fn shard_of(key: &str, count: u64) -> u64 {
    fnv1a64(key.as_bytes()) % count.max(1) + 1
}

/// The shard key of `path`: relative to the longest of `roots` that holds
/// it (when `walked`), its normal components joined with `/`.
pub fn key(path: &Path, roots: &[&Path], walked: bool) -> String {
    let relative = walked
        .then(|| {
            roots
                .iter()
                .filter_map(|r| path.strip_prefix(r).ok().map(|rel| (r, rel)))
                .max_by_key(|(r, _)| r.components().count())
                .map(|(_, rel)| rel)
        })
        .flatten()
        .unwrap_or(path);
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
            c => Some(c.as_os_str().to_string_lossy().into_owned()),
        })
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert_eq!("1/1".parse(), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/4", "5/4", "x", "1/0", "1/", "/4", "-1/4", "1/4/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        assert!("0/4".parse::<Shard>().unwrap_err().contains("count from 1"));
    }

    #[test]
    fn hash_is_fnv1a_64() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        // In pieces, the same.
        let pieces = Fnv1a64::new().write(b"foo").write(b"").write(b"bar");
        assert_eq!(pieces.finish(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn keys_are_relative_to_the_longest_root_with_slashes() {
        let roots = [Path::new("/mnt/a/docs"), Path::new("/mnt/a/docs/sub")];
        let p = Path::new("/mnt/a/docs/sub/x/page.md");
        assert_eq!(key(p, &roots, true), "x/page.md");
        assert_eq!(key(Path::new("./docs/page.md"), &[], false), "docs/page.md");
        let elsewhere = [Path::new("/srv/b/docs")];
        assert_eq!(
            key(Path::new("/srv/b/docs/sub/x/page.md"), &elsewhere, true),
            "sub/x/page.md"
        );
    }

    #[test]
    fn every_key_is_in_exactly_one_shard() {
        for n in 1..=7 {
            for i in 0..200 {
                let k = format!("dir{}/file{i}.md", i % 5);
                let hits = (1..=n)
                    .filter(|&s| Shard { index: s, count: n }.contains(&k))
                    .count();
                assert_eq!(hits, 1);
            }
        }
    }
}
