//! Helpers shared by the integration tests: run the real binary.
#![allow(dead_code)]

pub mod packaging;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copylint"));
    cmd.env_remove("NO_COLOR");
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs copylint with `args` in `dir`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = bin()
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("copylint runs");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("copylint finishes");
    writer.join().unwrap();
    out.into()
}

pub fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, b"")
}

/// One finding as the JSON output shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    pub rule: String,
    pub severity: String,
    pub matched: String,
    pub line: u64,
    pub column: u64,
    pub end_line: u64,
    pub end_column: u64,
    pub offset: u64,
    pub end_offset: u64,
}

pub fn diags(json: &str) -> Vec<Diag> {
    let v: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("bad JSON ({e}): {json}"));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| Diag {
            rule: d["rule"].as_str().unwrap().to_string(),
            severity: d["severity"].as_str().unwrap().to_string(),
            matched: d["matched"].as_str().unwrap().to_string(),
            line: d["start"]["line"].as_u64().unwrap(),
            column: d["start"]["column"].as_u64().unwrap(),
            end_line: d["end"]["line"].as_u64().unwrap(),
            end_column: d["end"]["column"].as_u64().unwrap(),
            offset: d["start"]["offset"].as_u64().unwrap(),
            end_offset: d["end"]["offset"].as_u64().unwrap(),
        })
        .collect()
}

/// Checks `text` read from standard input as a file named `name` with the
/// default policy; returns the findings.
pub fn check_as(name: &str, text: &str) -> Vec<Diag> {
    let r = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--format", "json", "--stdin-filename", name, "-"],
        text.as_bytes(),
    );
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    diags(&r.stdout)
}

pub fn check_md(text: &str) -> Vec<Diag> {
    check_as("page.md", text)
}

pub fn check_txt(text: &str) -> Vec<Diag> {
    check_as("page.txt", text)
}

/// (rule, severity, matched) of each finding.
pub fn rules(diags: &[Diag]) -> Vec<(String, String, String)> {
    diags
        .iter()
        .map(|d| (d.rule.clone(), d.severity.clone(), d.matched.clone()))
        .collect()
}

pub fn triple(rule: &str, severity: &str, matched: &str) -> (String, String, String) {
    (rule.to_string(), severity.to_string(), matched.to_string())
}

/// The Markdown documentation corpus the corpus tests read (1,590 files,
/// 17 MB, too big to vendor): `$COPYLINT_CORPUS`, else `shared/corpus`
/// beside the clone. Those tests are `#[ignore]`d; `.ci/run` runs them, and
/// a missing corpus fails them rather than passing in silence.
pub fn corpus() -> std::path::PathBuf {
    let path = std::env::var_os("COPYLINT_CORPUS")
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        path.is_dir(),
        "the corpus {} is absent: set COPYLINT_CORPUS to a folder of Markdown files",
        path.display()
    );
    path
}

/// A PDF file of `objects` (object `i + 1` is `objects[i]`, the first the
/// catalogue), with a correct cross-reference table.
pub fn pdf_of(objects: &[&str]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

/// A text-drawing content stream object showing `text`.
pub fn pdf_text_stream(text: &str) -> String {
    let content = format!("BT /F1 12 Tf 72 700 Td ({text}) Tj ET");
    format!(
        "<< /Length {} >>\nstream\n{content}\nendstream",
        content.len()
    )
}

/// The resident set of process `pid` in KiB, from `/proc/PID/status`
/// (Linux).
pub fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status")
}
