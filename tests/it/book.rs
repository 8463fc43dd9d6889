//! The book in `docs/`: every chapter is listed in `SUMMARY.md`, and every
//! link between its pages (to a page, or to a heading in one), and from
//! the README into it, resolves. Checked twice: on the Markdown sources,
//! with headings turned into ids as mdBook does, so that a plain
//! `cargo test` catches a broken link; and, with mdbook installed, on the
//! HTML that `mdbook build` writes.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn src() -> PathBuf {
    repo().join("docs/src")
}

/// The Markdown files under `dir`, as paths relative to it.
fn markdown_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                found.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    found
}

/// The lines of `text` outside its fenced code blocks.
fn outside_fences(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => fence = Some(m),
            (Some(f), Some(m)) if f == m => fence = None,
            (None, None) => lines.push(line),
            _ => {}
        }
    }
    lines
}

/// `text` without its fenced code blocks and code spans, which hold
/// brackets and parentheses that are not links.
fn prose(text: &str) -> String {
    let mut out = String::new();
    for line in outside_fences(text) {
        let mut inside = false;
        for c in line.chars() {
            if c == '`' {
                inside = !inside;
            } else if !inside {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The targets of the inline links and images in `text`.
fn link_targets(text: &str) -> Vec<String> {
    let text = prose(text);
    let mut targets = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let end = rest.find(')').expect("a link's target ends with `)`");
        let target = rest[..end].split_whitespace().next().unwrap_or_default();
        targets.push(target.to_string());
        rest = &rest[end..];
    }
    targets
}

/// The id mdBook gives a heading (mdbook-html's `id_from_content`), with
/// `-1`, `-2`... for repeats within a page.
fn heading_ids(text: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for line in outside_fences(text) {
        let Some(title) = line.strip_prefix('#') else {
            continue;
        };
        let title = title.trim_start_matches('#');
        if !title.starts_with(' ') {
            continue;
        }
        let id: String = title
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
                c if c.is_whitespace() => Some('-'),
                _ => None,
            })
            .collect();
        let mut unique = id.clone();
        let mut n = 0;
        while !ids.insert(unique.clone()) {
            n += 1;
            unique = format!("{id}-{n}");
        }
    }
    ids
}

/// `base` joined with the relative `target`, `..` resolved.
fn join(base: &Path, target: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for part in base.join(target).components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn is_external(target: &str) -> bool {
    target.contains("://") || target.starts_with("mailto:")
}

/// Every relative link of the Markdown file `file` (in `root`) that does
/// not resolve: to no file, or to a heading its page does not have.
fn broken_links(root: &Path, file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    let dir = file.parent().unwrap_or(Path::new(""));
    let mut broken = Vec::new();
    for target in link_targets(&text) {
        if is_external(&target) {
            continue;
        }
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target.as_str(), None),
        };
        let linked = if path.is_empty() {
            file.to_path_buf()
        } else {
            join(dir, path)
        };
        let full = root.join(&linked);
        // A folder is a fine target (GitHub lists it), but not for a heading.
        if !(full.is_file() || fragment.is_none() && full.is_dir()) {
            broken.push(format!("{}: {target}: no such file", file.display()));
            continue;
        }
        if let Some(fragment) = fragment {
            let page = std::fs::read_to_string(&full).unwrap();
            if !heading_ids(&page).contains(fragment) {
                broken.push(format!("{}: {target}: no such heading", file.display()));
            }
        }
    }
    broken
}

#[test]
fn every_chapter_is_in_the_summary() {
    let summary = std::fs::read_to_string(src().join("SUMMARY.md")).unwrap();
    let listed: BTreeSet<PathBuf> = link_targets(&summary).iter().map(PathBuf::from).collect();
    let mut chapters = markdown_files(&src());
    chapters.remove(Path::new("SUMMARY.md"));
    assert_eq!(listed, chapters, "SUMMARY.md lists exactly the chapters");
}

#[test]
fn every_link_in_the_book_resolves() {
    let mut broken = Vec::new();
    for file in markdown_files(&src()) {
        broken.extend(broken_links(&src(), &file));
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_readme_links_into_the_book_resolve() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let into_book = link_targets(&readme)
        .into_iter()
        .filter(|t| t.starts_with("docs/src/"))
        .count();
    assert!(into_book >= 5, "the README links into the book");
    let broken = broken_links(&repo(), Path::new("README.md"));
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_finds_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        "# A page\n\n## Some `code` here\n\nSee [b](b.md#missing), [c](c.md), \
         [self](#some-code-here), [out](https://example.com/x.md), `[not](a link)`.\n\
         ```\n[not](either)\n```\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b.md"), "# B\n").unwrap();
    assert_eq!(
        broken_links(dir.path(), Path::new("a.md")),
        [
            "a.md: b.md#missing: no such heading",
            "a.md: c.md: no such file"
        ]
    );
}

/// The values of attribute `name` (double-quoted, as mdBook writes them)
/// in `html`, `&amp;` decoded.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let end = rest.find('"').unwrap();
        values.push(rest[..end].replace("&amp;", "&"));
        rest = &rest[end..];
    }
    values
}

#[test]
#[ignore = "needs mdbook (.ci/run installs it)"]
fn the_book_builds_and_its_links_resolve() {
    let mdbook = common::packaging::tool("COPYLINT_MDBOOK", "mdbook");
    let out_dir = tempfile::tempdir().unwrap();
    let out = Command::new(&mdbook)
        .arg("build")
        .arg(repo().join("docs"))
        .arg("--dest-dir")
        .arg(out_dir.path())
        .output()
        .expect("mdbook runs");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "mdbook build failed:\n{log}");
    assert!(
        !log.contains("WARN") && !log.contains("ERROR"),
        "mdbook build warned:\n{log}"
    );
    let book = out_dir.path();
    let mut pages: BTreeMap<PathBuf, String> = BTreeMap::new();
    let mut todo = vec![book.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path).unwrap();
                pages.insert(path.strip_prefix(book).unwrap().to_path_buf(), html);
            }
        }
    }
    for chapter in markdown_files(&src()) {
        if chapter != Path::new("SUMMARY.md") {
            assert!(
                pages.contains_key(&chapter.with_extension("html")),
                "{} has no page",
                chapter.display()
            );
        }
    }
    let ids: BTreeMap<&PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|(p, html)| (p, attribute_values(html, "id").into_iter().collect()))
        .collect();
    let mut broken = Vec::new();
    for (page, html) in &pages {
        let dir = page.parent().unwrap_or(Path::new(""));
        let links = attribute_values(html, "href")
            .into_iter()
            .chain(attribute_values(html, "src"));
        for target in links {
            if is_external(&target) || target.starts_with("//") {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target.as_str(), None),
            };
            let path = path.split('?').next().unwrap();
            let linked = if path.is_empty() {
                page.clone()
            } else {
                join(dir, path)
            };
            if !book.join(&linked).exists() {
                broken.push(format!("{}: {target}: no such file", page.display()));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && ids.get(&linked).is_none_or(|ids| !ids.contains(fragment))
            {
                broken.push(format!("{}: {target}: no such id", page.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
