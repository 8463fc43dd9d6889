//! The editor set-ups in `examples/editors/`, against the real
//! `--format short` output.
//!
//! A fixture with one finding of each severity (and accented letters and a
//! curly apostrophe before the error, so a byte column would differ from
//! copylint's character column) is checked by the binary; the expected
//! file, line, column, severity, message and rule come from its JSON output.
//! Then each set-up, read from its file, must read every short line back:
//!
//! - VS Code: the problem matcher's regexp from `tasks.json`, with Rust's
//!   regex engine and, when `node` is installed, with JavaScript's (VS
//!   Code's own); its severities must be words VS Code knows.
//! - Vim: `errorformat` from `vim.vim`, translated to a Rust regex here; and,
//!   when `vim` is installed, real Vim in batch mode runs `:make` through
//!   the file's `makeprg`, and jumps to each quickfix entry.
//! - Emacs: `copylint-error-regexp` from `copylint.el`, translated from
//!   Emacs regexp syntax here; and, when `emacs` is installed, real Emacs in
//!   batch mode runs `M-x copylint` and plain `compile`, and visits each
//!   finding with `compile-goto-error`.
//!
//! The translation tests always run. The tests with a real tool are
//! `#[ignore]`d, so `cargo test` passes without the tools; `.ci/run`
//! installs them (node, vim-nox, emacs-nox) and runs them with
//! `--include-ignored`, where a missing tool fails the test.

use crate::common;
use common::*;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use regex::Regex;
use serde_json::Value;

const FIXTURE_PATH: &str = "docs/launch notes.md";
const FIXTURE: &str = "# Launch notes\n\
\n\
Le café’s runtime calls on ChatGPT.\n\
\n\
The SRE enables access to data.\n\
\n\
Mention ChatGPT today.\n";

fn editors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/editors")
}

fn read(name: &str) -> String {
    let path = editors().join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Debug, Clone, PartialEq)]
struct Finding {
    file: String,
    line: u64,
    column: u64,
    severity: String,
    message: String,
    rule: String,
}

struct Fixture {
    dir: tempfile::TempDir,
    /// `copylint --format short .` in the fixture's folder.
    lines: Vec<String>,
    /// The same findings, from `--format json`.
    expected: Vec<Finding>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FIXTURE_PATH);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, FIXTURE).unwrap();

    let short = run_in(dir.path(), &["--format", "short", "."], b"");
    assert_eq!(short.code, 1, "{}", short.stderr);
    let json = run_in(dir.path(), &["--format", "json", "."], b"");
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    let expected: Vec<Finding> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Finding {
            file: d["path"].as_str().unwrap().to_string(),
            line: d["start"]["line"].as_u64().unwrap(),
            column: d["start"]["column"].as_u64().unwrap(),
            severity: d["severity"].as_str().unwrap().to_string(),
            message: d["message"].as_str().unwrap().to_string(),
            rule: d["rule"].as_str().unwrap().to_string(),
        })
        .collect();
    let severities: Vec<&str> = expected.iter().map(|f| f.severity.as_str()).collect();
    assert_eq!(severities, ["error", "warning", "info"], "{expected:#?}");
    let rules: Vec<&str> = expected.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["calls-on-openai", "enables-access", "unapproved-mention"]
    );
    assert!(expected.iter().all(|f| f.file == FIXTURE_PATH));
    // The error's column counts characters: "Le café’s runtime " is 18
    // characters but 21 bytes.
    assert_eq!((expected[0].line, expected[0].column), (3, 19));

    let lines: Vec<String> = short.stdout.lines().map(str::to_string).collect();
    assert_eq!(lines.len(), expected.len(), "{}", short.stdout);
    Fixture {
        dir,
        lines,
        expected,
    }
}

/// Runs `cmd` with a time limit; (success, stdout, stderr).
fn run_limited(cmd: &mut Command, limit: Duration) -> (bool, String, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut out, &mut s).ok();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).ok();
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("{cmd:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.success(), out.join().unwrap(), err.join().unwrap())
}

/// PATH with the copylint under test first.
fn path_with_copylint() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_copylint")).parent().unwrap();
    let mut dirs = vec![bin.to_path_buf()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap()
}

/// Whether `program --version` runs, and its output.
fn version(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

// ---------------------------------------------------------------- VS Code

struct Matcher {
    regexp: String,
    /// Group numbers of file, line, column, severity, message, code.
    groups: [usize; 6],
}

fn vscode_matchers() -> Vec<Matcher> {
    let tasks: Value = serde_json::from_str(&read("tasks.json")).expect("tasks.json is JSON");
    assert_eq!(tasks["version"], "2.0.0");
    let mut matchers = Vec::new();
    for task in tasks["tasks"].as_array().unwrap() {
        let m = &task["problemMatcher"];
        assert_eq!(m["owner"], "copylint", "{task}");
        assert_eq!(task["command"], "copylint");
        let args: Vec<&str> = task["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        assert!(
            args.windows(2).any(|w| w == ["--format", "short"]),
            "{task}"
        );
        // Paths are printed relative to the working directory, which must
        // be the folder the matcher resolves them against.
        assert_eq!(
            m["fileLocation"],
            serde_json::json!(["relative", "${workspaceFolder}"])
        );
        assert_eq!(task["options"]["cwd"], "${workspaceFolder}");
        let p = &m["pattern"];
        let group = |name: &str| p[name].as_u64().unwrap_or_else(|| panic!("no {name}")) as usize;
        matchers.push(Matcher {
            regexp: p["regexp"].as_str().unwrap().to_string(),
            groups: [
                group("file"),
                group("line"),
                group("column"),
                group("severity"),
                group("message"),
                group("code"),
            ],
        });
    }
    assert!(!matchers.is_empty());
    matchers
}

/// VS Code's reading of a severity group (Severity.fromValue, then the
/// problem matcher's fallbacks); None where it would fall back to the
/// matcher's default.
fn vscode_severity(value: &str) -> Option<&'static str> {
    match value.to_ascii_lowercase().as_str() {
        "error" | "e" => Some("error"),
        "warning" | "warn" | "w" => Some("warning"),
        "info" | "i" | "hint" | "note" => Some("info"),
        _ => None,
    }
}

fn check_vscode_groups(groups: &[Option<String>], m: &Matcher, want: &Finding, line: &str) {
    let g = |i: usize| groups[m.groups[i]].clone().unwrap_or_default();
    let got = Finding {
        file: g(0),
        line: g(1).parse().unwrap(),
        column: g(2).parse().unwrap(),
        severity: vscode_severity(&g(3))
            .unwrap_or_else(|| panic!("VS Code does not know the severity {:?}", g(3)))
            .to_string(),
        message: g(4),
        rule: g(5),
    };
    assert_eq!(&got, want, "{line}");
}

#[test]
fn vscode_problem_matcher_reads_every_line() {
    let f = fixture();
    for m in vscode_matchers() {
        let re = Regex::new(&m.regexp).unwrap();
        for (line, want) in f.lines.iter().zip(&f.expected) {
            let caps = re
                .captures(line)
                .unwrap_or_else(|| panic!("{} does not match {line}", m.regexp));
            let groups: Vec<Option<String>> = caps
                .iter()
                .map(|c| c.map(|c| c.as_str().to_string()))
                .collect();
            check_vscode_groups(&groups, &m, want, line);
        }
    }
}

#[test]
#[ignore = "needs node"]
fn vscode_problem_matcher_in_javascript() {
    assert!(version("node").is_some(), "node is not installed");
    let f = fixture();
    for m in vscode_matchers() {
        let script = "const [re, lines] = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n\
             const r = new RegExp(re);\n\
             console.log(JSON.stringify(lines.map(l => { const m = r.exec(l); \
             return m && Array.from(m, g => g === undefined ? null : g); })));";
        let input = serde_json::to_string(&(&m.regexp, &f.lines)).unwrap();
        let mut child = Command::new("node")
            .args(["-e", script])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let results: Vec<Option<Vec<Option<String>>>> =
            serde_json::from_slice(&out.stdout).unwrap();
        for ((groups, line), want) in results.iter().zip(&f.lines).zip(&f.expected) {
            let groups = groups
                .as_ref()
                .unwrap_or_else(|| panic!("JavaScript: {} does not match {line}", m.regexp));
            check_vscode_groups(groups, &m, want, line);
        }
    }
}

// -------------------------------------------------------------------- Vim

/// The value of `option` as set in vim.vim (`set` or `CompilerSet`), with
/// the `:set` escapes (`\ `, `\\`, `\|`, `\"`) undone.
fn vim_option(option: &str) -> String {
    let source = read("vim.vim");
    let prefix = format!("{option}=");
    let line = source
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('"'))
        .find_map(|l| {
            let rest = l
                .strip_prefix("CompilerSet ")
                .or_else(|| l.strip_prefix("setlocal "))
                .or_else(|| l.strip_prefix("set "))?;
            rest.strip_prefix(prefix.as_str())
        })
        .unwrap_or_else(|| panic!("vim.vim sets no {option}"));
    let mut value = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ (' ' | '\\' | '|' | '"')) => value.push(e),
                Some(e) => {
                    value.push('\\');
                    value.push(e);
                }
                None => value.push('\\'),
            },
            ' ' | '\t' => break, // an unescaped blank ends the value
            _ => value.push(c),
        }
    }
    value
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Efm {
    File,
    Line,
    Column,
    VirtualColumn,
    Type,
    Message,
}

/// One `errorformat` pattern as a Rust regex, and what its groups are.
/// Only the conversions copylint's format needs are supported; anything
/// else fails the test rather than being guessed at.
fn efm_to_regex(pattern: &str) -> (Regex, Vec<Efm>) {
    let mut re = String::from("^");
    let mut kinds = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '%' {
            let conv = *chars.get(i + 1).expect("% at the end");
            i += 2;
            let (group, kind) = match conv {
                // Vim: a %f followed by a character matches lazily up to it.
                'f' if i < chars.len() => (".+?", Efm::File),
                'f' => (".+", Efm::File),
                'l' => ("[0-9]+", Efm::Line),
                'c' => ("[0-9]+", Efm::Column),
                'v' => ("[0-9]+", Efm::VirtualColumn),
                't' => (".", Efm::Type),
                'm' => (".+", Efm::Message),
                '%' => {
                    re.push('%');
                    continue;
                }
                other => panic!("errorformat conversion %{other} is not translated"),
            };
            re.push_str(&format!("({group})"));
            kinds.push(kind);
            continue;
        }
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | ':' | ' ' | '-' => re.push(c),
            other => panic!("errorformat character {other:?} is not translated"),
        }
        i += 1;
    }
    re.push('$');
    (Regex::new(&re).unwrap(), kinds)
}

/// Splits `errorformat` at its unescaped commas.
fn efm_patterns(efm: &str) -> Vec<String> {
    let mut patterns = vec![String::new()];
    let mut chars = efm.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next().unwrap();
                if next != ',' {
                    patterns.last_mut().unwrap().push('\\');
                }
                patterns.last_mut().unwrap().push(next);
            }
            ',' => patterns.push(String::new()),
            _ => patterns.last_mut().unwrap().push(c),
        }
    }
    patterns
}

/// Vim's name for a quickfix type letter.
fn vim_type(letter: &str) -> &'static str {
    match letter.to_ascii_lowercase().as_str() {
        "e" => "error",
        "w" => "warning",
        "i" => "info",
        "n" => "note",
        other => panic!("unknown quickfix type {other:?}"),
    }
}

#[test]
fn vim_makeprg_and_errorformat_read_every_line() {
    let makeprg = vim_option("makeprg");
    assert!(
        makeprg.starts_with("copylint ") && makeprg.contains("--format short"),
        "{makeprg}"
    );
    let patterns: Vec<(Regex, Vec<Efm>)> = efm_patterns(&vim_option("errorformat"))
        .iter()
        .map(|p| efm_to_regex(p))
        .collect();
    let f = fixture();
    for (line, want) in f.lines.iter().zip(&f.expected) {
        // Vim uses the first pattern that matches.
        let (caps, kinds) = patterns
            .iter()
            .find_map(|(re, kinds)| re.captures(line).map(|c| (c, kinds)))
            .unwrap_or_else(|| panic!("no errorformat pattern matches {line}"));
        let mut got = Finding {
            file: String::new(),
            line: 0,
            column: 0,
            severity: String::new(),
            message: String::new(),
            rule: want.rule.clone(),
        };
        for (kind, value) in kinds.iter().zip(caps.iter().skip(1)) {
            let value = value.unwrap().as_str();
            match kind {
                Efm::File => got.file = value.to_string(),
                Efm::Line => got.line = value.parse().unwrap(),
                Efm::Column => panic!("%c reads a byte column; copylint's are characters"),
                Efm::VirtualColumn => got.column = value.parse().unwrap(),
                Efm::Type => got.severity = vim_type(value).to_string(),
                Efm::Message => got.message = value.to_string(),
            }
        }
        // Vim's message is the rest of the line, rule id included.
        let mut want = want.clone();
        want.message = format!("{} [{}]", want.message, want.rule);
        assert_eq!(got, want, "{line}");
    }
}

#[test]
#[ignore = "needs vim with +eval (apt-get install vim-nox)"]
fn vim_quickfix_with_the_real_vim() {
    let vim = version("vim").expect("vim is not installed (apt-get install vim-nox)");
    assert!(vim.contains("+eval"), "this vim has no +eval (vim-tiny?)");
    let f = fixture();
    let result = f.dir.path().join("quickfix.json");
    let script = f.dir.path().join("test.vim");
    fs::write(
        &script,
        format!(
            "set encoding=utf-8\n\
             execute 'source ' . fnameescape({plugin})\n\
             silent make .\n\
             let s:out = []\n\
             let s:list = getqflist()\n\
             for s:i in range(1, len(s:list))\n\
             \x20 let s:e = s:list[s:i - 1]\n\
             \x20 execute 'silent cc ' . s:i\n\
             \x20 call add(s:out, {{'file': bufname(s:e.bufnr), 'lnum': s:e.lnum, \
             'vcol': s:e.vcol, 'type': s:e.type, 'text': s:e.text, 'valid': s:e.valid, \
             'at_file': expand('%'), 'at_line': line('.'), 'at_char': charcol('.')}})\n\
             endfor\n\
             call writefile([json_encode(s:out)], {result})\n\
             qa!\n",
            plugin = vim_string(&editors().join("vim.vim")),
            result = vim_string(&result),
        ),
    )
    .unwrap();
    let (ok, stdout, stderr) = run_limited(
        Command::new("vim")
            .args(["-N", "-u", "NONE", "-i", "NONE", "-n", "-Es", "-S"])
            .arg(&script)
            .current_dir(f.dir.path())
            .env("PATH", path_with_copylint()),
        Duration::from_secs(60),
    );
    let json = fs::read_to_string(&result)
        .unwrap_or_else(|_| panic!("vim wrote nothing (ok: {ok}):\n{stdout}\n{stderr}"));
    let entries: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(entries.len(), f.expected.len(), "{json}");
    for (e, want) in entries.iter().zip(&f.expected) {
        assert_eq!(e["valid"], 1, "{e}");
        assert_eq!(e["file"], want.file.as_str(), "{e}");
        assert_eq!(e["lnum"], want.line, "{e}");
        assert_eq!(e["vcol"], 1, "a screen column: {e}");
        assert_eq!(vim_type(e["type"].as_str().unwrap()), want.severity, "{e}");
        assert_eq!(
            e["text"],
            format!("{} [{}]", want.message, want.rule).as_str()
        );
        // :cc put the cursor on the finding's first character.
        assert_eq!(e["at_file"], want.file.as_str(), "{e}");
        assert_eq!(e["at_line"], want.line, "{e}");
        assert_eq!(e["at_char"], want.column, "{e}");
    }
}

/// A path as a Vim string literal.
fn vim_string(path: &Path) -> String {
    format!("'{}'", path.to_str().unwrap().replace('\'', "''"))
}

// ------------------------------------------------------------------ Emacs

/// The string literal after `marker` in copylint.el, read as Emacs reads it.
fn elisp_string_after(source: &str, marker: &str) -> String {
    let start = source.find(marker).unwrap_or_else(|| panic!("no {marker}")) + marker.len();
    let rest = &source[start..];
    let open = rest.find('"').unwrap();
    let mut value = String::new();
    let mut chars = rest[open + 1..].chars();
    loop {
        match chars.next().expect("unterminated string") {
            '"' => return value,
            '\\' => match chars.next().unwrap() {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                '\n' => {} // an escaped newline is nothing
                c => value.push(c),
            },
            c => value.push(c),
        }
    }
}

/// An Emacs regexp as a Rust regex: `\(`, `\(?:`, `\)`, `\|` are groups and
/// alternation, bare `(`, `)`, `|`, `{`, `}` are literal, and a bracket
/// expression has no escapes (a `]` first in it is literal).
fn emacs_to_rust(emacs: &str) -> String {
    let chars: Vec<char> = emacs.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let next = chars[i + 1];
                i += 2;
                match next {
                    '(' if chars.get(i) == Some(&'?') && chars.get(i + 1) == Some(&':') => {
                        out.push_str("(?:");
                        i += 2;
                    }
                    '(' => out.push('('),
                    ')' => out.push(')'),
                    '|' => out.push('|'),
                    '[' | ']' | '.' | '*' | '+' | '?' | '^' | '$' | '\\' => {
                        out.push('\\');
                        out.push(next);
                    }
                    other => panic!("Emacs regexp escape \\{other} is not translated"),
                }
            }
            '[' => {
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                let mut first = true;
                loop {
                    let c = *chars.get(i).expect("unterminated bracket expression");
                    i += 1;
                    if c == ']' && !first {
                        break;
                    }
                    first = false;
                    if c == '[' && chars.get(i) == Some(&':') {
                        panic!("character classes are not translated");
                    }
                    if matches!(c, '\\' | '[' | ']' | '&' | '~') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push(']');
            }
            c @ ('(' | ')' | '|' | '{' | '}') => {
                out.push('\\');
                out.push(c);
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[test]
fn emacs_regexp_reads_every_line() {
    let source = read("copylint.el");
    let regexp = elisp_string_after(&source, "(defconst copylint-error-regexp");
    // The entry of compilation-error-regexp-alist-alist: FILE LINE COLUMN
    // (WARNING-GROUP . INFO-GROUP).
    let entry =
        Regex::new(r"\(copylint ,copylint-error-regexp (\d+) (\d+) (\d+) \((\d+) \. (\d+)\)\)")
            .unwrap();
    let caps = entry.captures(&source).expect("the alist entry");
    let n = |i: usize| caps[i].parse::<usize>().unwrap();
    let (file, line, column, warning, info) = (n(1), n(2), n(3), n(4), n(5));
    // Message and rule groups, as the docstring documents them.
    assert!(source.contains("6 message, 7 rule id"));
    let (message, rule) = (6, 7);

    let re = Regex::new(&emacs_to_rust(&regexp)).unwrap();
    let f = fixture();
    for (text, want) in f.lines.iter().zip(&f.expected) {
        let c = re
            .captures(text)
            .unwrap_or_else(|| panic!("{regexp} does not match {text}"));
        let g = |i: usize| c.get(i).map(|m| m.as_str().to_string());
        let severity = match (g(warning), g(info)) {
            (Some(_), None) => "warning",
            (None, Some(_)) => "info",
            (None, None) => "error",
            _ => unreachable!(),
        };
        let got = Finding {
            file: g(file).unwrap(),
            line: g(line).unwrap().parse().unwrap(),
            column: g(column).unwrap().parse().unwrap(),
            severity: severity.to_string(),
            message: g(message).unwrap(),
            rule: g(rule).unwrap(),
        };
        assert_eq!(&got, want, "{text}");
    }
}

#[test]
#[ignore = "needs emacs (apt-get install emacs-nox)"]
fn emacs_compilation_with_the_real_emacs() {
    assert!(
        version("emacs").is_some(),
        "emacs is not installed (apt-get install emacs-nox)"
    );
    let f = fixture();
    let dir = format!("{}/", f.dir.path().to_str().unwrap());
    let script = f.dir.path().join("test.el");
    // For each way of running it, walk the findings with
    // compilation-next-error and visit each with compile-goto-error.
    fs::write(
        &script,
        format!(
            r#"(require 'json)
(defun copylint-test-walk (buf)
  (with-current-buffer buf
    (while (get-buffer-process buf) (accept-process-output nil 0.05))
    (goto-char (point-min))
    (let (out)
      (condition-case nil
          (while t
            (compilation-next-error 1)
            (let ((msg (get-text-property (point) 'compilation-message))
                  (text (buffer-substring-no-properties
                         (line-beginning-position) (line-end-position))))
              (save-excursion
                (compile-goto-error)
                (push (list (cons 'file (file-relative-name buffer-file-name {dir}))
                            (cons 'line (line-number-at-pos))
                            (cons 'char (1+ (- (point) (line-beginning-position))))
                            (cons 'type (compilation--message->type msg))
                            (cons 'text text))
                      out))
              (set-buffer buf)))
        (error nil))
      (nreverse out))))
(let ((default-directory {dir}))
  (princ (json-encode
          (list (cons 'copylint
                      (copylint-test-walk
                       (copylint "copylint --format short --fail-on never .")))
                (cons 'compile
                      (let ((compilation-skip-threshold 0))
                        (copylint-test-walk
                         (compilation-start
                          "copylint --format short --fail-on never ."))))))))
"#,
            dir = serde_json::to_string(&dir).unwrap(),
        ),
    )
    .unwrap();
    let (ok, stdout, stderr) = run_limited(
        Command::new("emacs")
            .args(["--batch", "-Q", "-l"])
            .arg(editors().join("copylint.el"))
            .arg("-l")
            .arg(&script)
            .current_dir(f.dir.path())
            .env("PATH", path_with_copylint()),
        Duration::from_secs(60),
    );
    assert!(ok, "emacs failed:\n{stdout}\n{stderr}");
    let v: Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    for way in ["copylint", "compile"] {
        let found = v[way].as_array().unwrap();
        assert_eq!(found.len(), f.expected.len(), "{way}: {found:?}");
        for ((e, want), line) in found.iter().zip(&f.expected).zip(&f.lines) {
            let severity = match e["type"].as_u64().unwrap() {
                2 => "error",
                1 => "warning",
                0 => "info",
                t => panic!("type {t}"),
            };
            assert_eq!(severity, want.severity, "{way}: {e}");
            assert_eq!(e["file"], want.file.as_str(), "{way}: {e}");
            assert_eq!(e["line"], want.line, "{way}: {e}");
            assert_eq!(e["char"], want.column, "{way}: {e}");
            assert_eq!(e["text"], line.as_str(), "{way}: {e}");
        }
    }
}

#[test]
fn readme_snippets_match_the_files() {
    let readme = read("README.md");
    let regexp = &vscode_matchers()[0].regexp;
    let json = serde_json::to_string(regexp).unwrap();
    assert!(readme.contains(&json), "README's VS Code regexp is {json}");
    let vim = read("vim.vim");
    for option in ["makeprg", "errorformat"] {
        let line = vim
            .lines()
            .find(|l| l.starts_with(&format!("CompilerSet {option}=")))
            .unwrap()
            .replacen("CompilerSet", "set", 1);
        assert!(readme.contains(&line), "README's Vim {option}: {line}");
    }
    let source = read("copylint.el");
    let start = source.find("(defconst copylint-error-regexp").unwrap();
    let literal = source[start..].lines().nth(1).unwrap().trim();
    assert!(readme.contains(literal), "README's Emacs regexp: {literal}");
}
