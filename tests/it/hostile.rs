//! Hostile and messy input, one row per case: the input (made in a
//! temporary directory), a fragment expected on standard error (empty: no
//! standard error at all), the exit status, and proof that the other file
//! of the run (`ok.md`, which has one finding) was still checked.

use crate::common;
use common::*;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OK: &str = "ok.md:1:8: error:";

struct Case {
    name: &'static str,
    /// Makes the input in the directory; returns the arguments (besides
    /// `--format short`), which should include `ok.md` or `.`.
    setup: fn(&Path) -> Vec<String>,
    stderr: &'static str,
    code: i32,
    /// Also expected on standard output.
    stdout: &'static [&'static str],
    /// Never expected on standard output.
    not_stdout: &'static [&'static str],
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

fn utf16(bom: [u8; 2], text: &str, le: bool) -> Vec<u8> {
    let mut v = bom.to_vec();
    for unit in text.encode_utf16() {
        v.extend(if le {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    v
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "UTF-8 with a byte-order mark",
            setup: |d| {
                write(d, "bom.txt", "\u{FEFF}Intro.\n\n🙂 Calls on ChatGPT.\n");
                args(&["bom.txt", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["bom.txt:3:3: error:"],
            not_stdout: &[],
        },
        Case {
            name: "UTF-16LE with a byte-order mark",
            setup: |d| {
                write(
                    d,
                    "le.txt",
                    utf16([0xFF, 0xFE], "Intro.\r\n\r\nIt calls on ChatGPT.", true),
                );
                args(&["le.txt", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["le.txt:3:4: error:"],
            not_stdout: &[],
        },
        Case {
            name: "UTF-16BE with a byte-order mark",
            setup: |d| {
                write(
                    d,
                    "be.md",
                    utf16([0xFE, 0xFF], "# Agents\n\nIt calls on ChatGPT.", false),
                );
                args(&["be.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["be.md:3:4: error:"],
            not_stdout: &[],
        },
        Case {
            name: "Windows-1252 text",
            setup: |d| {
                write(
                    d,
                    "legacy.txt",
                    b"Caf\xE9 \x93agents\x94 call on ChatGPT.\n".as_slice(),
                );
                args(&["legacy.txt", "ok.md"])
            },
            stderr: "copylint: note: legacy.txt: not valid UTF-8; read as Windows-1252",
            code: 1,
            stdout: &["legacy.txt:1:15: error:"],
            not_stdout: &[],
        },
        Case {
            name: "lone carriage returns end lines",
            setup: |d| {
                write(d, "cr.txt", "one\rtwo\r\rIt calls on ChatGPT.");
                args(&["cr.txt", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["cr.txt:4:4: error:"],
            not_stdout: &[],
        },
        Case {
            name: "a thread count far too high is lowered with a warning, not a hang",
            setup: |d| {
                for i in 0..12 {
                    write(d, &format!("f{i:02}.md"), "Plain words.\n");
                }
                args(&["--jobs", "100000", "."])
            },
            stderr: "copylint: warning: --jobs 100000 is more than 4 per core; using ",
            code: 1,
            stdout: &["ok.md:1:8: error:"],
            not_stdout: &["f00.md"],
        },
        Case {
            name: "--jobs 0 means one thread per core, silently",
            setup: |_| args(&["--jobs", "0", "ok.md"]),
            stderr: "",
            code: 1,
            stdout: &["ok.md:1:8: error:"],
            not_stdout: &[],
        },
        Case {
            name: "binary file found by walking is skipped silently",
            setup: |d| {
                write(d, "image.md", b"PNG\x00\x01 calls on ChatGPT".as_slice());
                args(&["."])
            },
            stderr: "",
            code: 1,
            stdout: &[],
            not_stdout: &["image.md"],
        },
        Case {
            name: "binary file named explicitly is an error: named but not checked",
            setup: |d| {
                write(d, "image.md", b"PNG\x00\x01 calls on ChatGPT".as_slice());
                args(&["image.md", "ok.md"])
            },
            stderr: "copylint: error: image.md: not checked: binary file",
            code: 2,
            stdout: &[],
            not_stdout: &["image.md"],
        },
        Case {
            name: "a FIFO is never opened when walking",
            setup: |d| {
                mkfifo(&d.join("pipe.md"));
                args(&["."])
            },
            stderr: "",
            code: 1,
            stdout: &[],
            not_stdout: &["pipe.md"],
        },
        Case {
            name: "a FIFO named explicitly is refused",
            setup: |d| {
                mkfifo(&d.join("pipe.md"));
                args(&["pipe.md", "ok.md"])
            },
            stderr: "copylint: error: pipe.md: a FIFO, not a file to check",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a socket named explicitly is refused",
            setup: |d| {
                let listener = std::os::unix::net::UnixListener::bind(d.join("sock.md")).unwrap();
                std::mem::forget(listener);
                args(&["sock.md", "ok.md"])
            },
            stderr: "copylint: error: sock.md: a socket, not a file to check",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a device named explicitly is refused",
            setup: |_| args(&["/dev/zero", "ok.md"]),
            stderr: "copylint: error: /dev/zero: a device, not a file to check",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "symbolic links are not followed by default",
            setup: |d| {
                std::fs::create_dir(d.join("outside")).unwrap();
                write(d, "outside/target.txt", "It calls on ChatGPT.");
                std::fs::create_dir(d.join("docs")).unwrap();
                std::os::unix::fs::symlink("../outside/target.txt", d.join("docs/link.md"))
                    .unwrap();
                std::os::unix::fs::symlink("../outside", d.join("docs/dir")).unwrap();
                args(&["docs", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &[],
            not_stdout: &["link.md", "docs/dir"],
        },
        Case {
            name: "symbolic links are followed with --follow",
            setup: |d| {
                std::fs::create_dir(d.join("outside")).unwrap();
                write(d, "outside/target.txt", "It calls on ChatGPT.");
                std::fs::create_dir(d.join("docs")).unwrap();
                std::os::unix::fs::symlink("../outside/target.txt", d.join("docs/link.md"))
                    .unwrap();
                std::os::unix::fs::symlink("../outside", d.join("docs/dir")).unwrap();
                args(&["--follow", "docs", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &[
                "docs/dir/target.txt:1:4: error:",
                "docs/link.md:1:4: error:",
            ],
            not_stdout: &[],
        },
        Case {
            name: "a symbolic link loop is reported, not walked forever",
            setup: |d| {
                std::fs::create_dir(d.join("docs")).unwrap();
                std::os::unix::fs::symlink("..", d.join("docs/up")).unwrap();
                args(&["--follow", "docs", "ok.md"])
            },
            stderr: "copylint: warning: docs/up: symbolic link loop back to ",
            code: 1,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a broken symbolic link found by walking is reported",
            setup: |d| {
                std::os::unix::fs::symlink("nowhere.md", d.join("dangling.md")).unwrap();
                args(&["."])
            },
            stderr: "copylint: warning: ./dangling.md: broken symbolic link",
            code: 1,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a broken symbolic link named explicitly is an error",
            setup: |d| {
                std::os::unix::fs::symlink("nowhere.md", d.join("dangling.md")).unwrap();
                args(&["dangling.md", "ok.md"])
            },
            stderr: "copylint: error: dangling.md: broken symbolic link",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a file that cannot be read",
            setup: |_| args(&["/proc/self/mem", "ok.md"]),
            stderr: "copylint: error: /proc/self/mem: cannot read: input/output error",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a missing path",
            setup: |_| args(&["missing.md", "ok.md"]),
            stderr: "copylint: error: missing.md: no such file or directory",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
        Case {
            name: "a path that is not UTF-8 is opened and shown lossily",
            setup: |d| {
                use std::os::unix::ffi::OsStrExt;
                let name = std::ffi::OsStr::from_bytes(b"caf\xE9.md");
                std::fs::write(d.join(name), "It calls on ChatGPT.").unwrap();
                args(&["."])
            },
            stderr: "",
            code: 1,
            stdout: &["caf\u{FFFD}.md:1:4: error:"],
            not_stdout: &[],
        },
        Case {
            name: "an empty file",
            setup: |d| {
                write(d, "empty.md", "");
                args(&["empty.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &[],
            not_stdout: &["empty.md"],
        },
        Case {
            name: "a file with only front matter",
            setup: |d| {
                write(d, "meta.md", "---\ntitle: It calls on ChatGPT\n---\n");
                args(&["meta.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["meta.md:2:11: error:"],
            not_stdout: &[],
        },
        Case {
            name: "a 100 MB file with no line break",
            setup: |d| {
                let mut text = "lorem ipsum dolor sit amet ".repeat(100 << 20 >> 5);
                text.push_str("It calls on ChatGPT.");
                write(d, "huge.md", &text);
                args(&["--max-file-size", "200M", "huge.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["huge.md:1:88473604: error:"],
            not_stdout: &[],
        },
        Case {
            name: "block quotes nested 10,000 deep",
            setup: |d| {
                write(
                    d,
                    "deep.md",
                    format!("{}It calls on ChatGPT.\n", "> ".repeat(10_000)),
                );
                args(&["deep.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            // After 10,000 "> ": the finding of the innermost paragraph.
            stdout: &["deep.md:1:20004: error: \"calls on ChatGPT\""],
            not_stdout: &[],
        },
        Case {
            name: "lists nested 10,000 deep",
            setup: |d| {
                write(
                    d,
                    "lists.md",
                    format!("{}It calls on ChatGPT.\n", "- ".repeat(10_000)),
                );
                write(
                    d,
                    "olists.md",
                    format!("{}It calls on ChatGPT.\n", "1. ".repeat(10_000)),
                );
                args(&["lists.md", "olists.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            // After 10,000 "- " and 10,000 "1. ": the innermost item's finding.
            stdout: &[
                "lists.md:1:20004: error: \"calls on ChatGPT\"",
                "olists.md:1:30004: error: \"calls on ChatGPT\"",
            ],
            not_stdout: &[],
        },
        Case {
            name: "a million links in one paragraph",
            setup: |d| {
                let mut text = "[x](y) ".repeat(1_000_000);
                text.push_str("It calls on [ChatGPT](z).\n");
                write(d, "links.md", &text);
                args(&["links.md", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["links.md:1:7000004: error:"],
            not_stdout: &[],
        },
        Case {
            name: "control characters in content and names are escaped",
            setup: |d| {
                write(
                    d,
                    "evil\u{1b}[31m.md",
                    "\u{1b}[2J\u{7}It c\u{1b}]0;x\u{7}alls on ChatGPT\u{8}\u{8}.\r\n",
                );
                args(&["--color", "never", "."])
            },
            stderr: "",
            code: 1,
            stdout: &["evil\\u{1b}[31m.md"],
            not_stdout: &["\u{1b}", "\u{7}", "\u{8}"],
        },
        Case {
            name: "a policy with a million terms fails with a clear message",
            setup: |d| {
                let terms: Vec<String> = (0..1_000_000).map(|i| format!("\"t{i}\"")).collect();
                let policy = format!(
                    "name = \"big\"\n[sets]\nbig = [{}]\n[[rules]]\nid = \"r\"\nseverity = \"error\"\nmessage = \"m\"\npattern = \"<big>\"\nexplanation = \"e\"\nbad = [\"t1\"]\ngood = [\"x\"]\n",
                    terms.join(",")
                );
                write(d, "big.toml", policy);
                args(&["--policy", "big.toml", "ok.md"])
            },
            stderr: "term set `big` has more than 10000 terms",
            code: 2,
            stdout: &[],
            not_stdout: &[],
        },
    ]
}

const FONT: &str = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";

/// A one-page PDF whose page dictionary ends with `page` (it has
/// `Parent 2 0 R`, and the font, object 5, in its resources, with
/// `resources`); its content is object 4, `extra` objects follow.
fn one_page(page: &str, resources: &str, extra: &[&str]) -> Vec<u8> {
    let page = format!(
        "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> {resources} >> {page} >>"
    );
    let content = pdf_text_stream("It calls on ChatGPT.");
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page.as_str(),
        content.as_str(),
        FONT,
    ];
    objects.extend_from_slice(extra);
    pdf_of(&objects)
}

/// Hostile PDF files: each is refused with its reason, and `ok.md` is
/// still checked.
fn pdf_cases() -> Vec<Case> {
    vec![
        Case {
            name: "a readable PDF, as made here, has its finding on page 1",
            setup: |d| {
                write(
                    d,
                    "plain.pdf",
                    one_page("/MediaBox [0 0 612 792] /Contents 4 0 R", "", &[]),
                );
                args(&["plain.pdf", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["plain.pdf:1:4: error: page 1: \"calls on ChatGPT\""],
            not_stdout: &[],
        },
        Case {
            name: "garbage after a PDF header",
            setup: |d| {
                write(d, "junk.pdf", "%PDF-1.7\ngarbage, not objects");
                args(&["junk.pdf", "ok.md"])
            },
            stderr: "copylint: error: junk.pdf: not checked: not a readable PDF file: failed parsing cross reference table: invalid start value",
            code: 2,
            stdout: &[],
            not_stdout: &["junk.pdf"],
        },
        Case {
            name: "a PDF whose page tree loops",
            setup: |d| {
                let pdf = pdf_of(&[
                    "<< /Type /Catalog /Pages 2 0 R >>",
                    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
                ]);
                write(d, "loop.pdf", pdf);
                args(&["loop.pdf", "ok.md"])
            },
            stderr: "copylint: error: loop.pdf: not checked: its page tree loops: object 2 0 is reached twice",
            code: 2,
            stdout: &[],
            not_stdout: &["loop.pdf"],
        },
        Case {
            name: "a PDF page whose parents loop (inherited attributes are looked up there)",
            setup: |d| {
                let pdf = one_page("/Contents 4 0 R", "", &["<< /Type /Pages /Parent 6 0 R >>"]);
                let pdf = String::from_utf8_lossy(&pdf)
                    .replace("/Type /Page /Parent 2 0 R", "/Type /Page /Parent 6 0 R");
                write(d, "parents.pdf", pdf);
                args(&["parents.pdf", "ok.md"])
            },
            stderr: "copylint: error: parents.pdf: not checked: the parents of page object 3 0 loop",
            code: 2,
            stdout: &[],
            not_stdout: &["parents.pdf"],
        },
        Case {
            name: "a PDF form that draws itself",
            setup: |d| {
                let form = "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 6 0 R >> >> /Length 6 >>\nstream\n/X Do\nendstream";
                let page = "/MediaBox [0 0 612 792] /Contents 4 0 R";
                let pdf = one_page(page, "/XObject << /X 6 0 R >>", &[form]);
                write(d, "form.pdf", pdf);
                args(&["form.pdf", "ok.md"])
            },
            stderr: "copylint: error: form.pdf: not checked: form object 6 0 draws itself",
            code: 2,
            stdout: &[],
            not_stdout: &["form.pdf"],
        },
        Case {
            name: "PDF forms that draw forms a hundred times over, six deep, stop",
            setup: |d| {
                let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>";
                let content = "BT /F1 12 Tf 72 700 Td (It calls on ChatGPT.) Tj ET /X Do";
                let content = format!(
                    "<< /Length {} >>\nstream\n{content}\nendstream",
                    content.len()
                );
                let draws = "/X Do ".repeat(100);
                let forms: Vec<String> = (6..12)
                    .map(|id| {
                        let (inner, next) = if id < 11 {
                            (draws.as_str(), id + 1)
                        } else {
                            ("q 0 0 m 10 10 l S Q", 5)
                        };
                        format!(
                            "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 5 0 R >> /XObject << /X {next} 0 R >> >> /Length {} >>\nstream\n{inner}\nendstream",
                            inner.len()
                        )
                    })
                    .collect();
                let mut objects = vec![
                    "<< /Type /Catalog /Pages 2 0 R >>",
                    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    page,
                    &content,
                    FONT,
                ];
                objects.extend(forms.iter().map(String::as_str));
                write(d, "fanout.pdf", pdf_of(&objects));
                args(&["fanout.pdf", "ok.md"])
            },
            stderr: "copylint: error: fanout.pdf: not checked: drawing it takes more than 50 million steps (operators, glyphs, bytes of forms)",
            code: 2,
            stdout: &["ok.md:1:8: error:"],
            not_stdout: &["fanout.pdf"],
        },
        Case {
            // Once a "damaged" notice; poppler reads such a page as US
            // Letter, and so does copylint now.
            name: "a PDF page with no media box is read",
            setup: |d| {
                write(d, "nobox.pdf", one_page("/Contents 4 0 R", "", &[]));
                args(&["nobox.pdf", "ok.md"])
            },
            stderr: "",
            code: 1,
            stdout: &["nobox.pdf:1:4: error: page 1: \"calls on ChatGPT\""],
            not_stdout: &["panicked", "not checked"],
        },
        Case {
            name: "a truncated PDF",
            setup: |d| {
                let pdf =
                    std::fs::read("tests/fixtures/documents/pdf/wrap-libreoffice.pdf").unwrap();
                write(d, "cut.pdf", &pdf[..pdf.len() / 2]);
                args(&["cut.pdf", "ok.md"])
            },
            stderr: "copylint: error: cut.pdf: not checked: not a readable PDF file: ",
            code: 2,
            stdout: &[],
            not_stdout: &["cut.pdf"],
        },
        Case {
            name: "an encrypted PDF",
            setup: |d| {
                let pdf = std::fs::read("tests/fixtures/documents/pdf/encrypted.pdf").unwrap();
                write(d, "locked.pdf", pdf);
                args(&["locked.pdf", "ok.md"])
            },
            stderr: "copylint: error: locked.pdf: not checked: an encrypted (password-protected) PDF file",
            code: 2,
            stdout: &[],
            not_stdout: &["locked.pdf"],
        },
        Case {
            name: "a scanned PDF with no text layer, found by walking",
            setup: |d| {
                let pdf = std::fs::read("tests/fixtures/documents/pdf/scan.pdf").unwrap();
                write(d, "scan.pdf", pdf);
                args(&["."])
            },
            stderr: "copylint: warning: scan.pdf: not checked: no text layer: 1 page of images only (a scan?)",
            code: 1,
            stdout: &[],
            not_stdout: &["scan.pdf"],
        },
    ]
}

#[test]
fn every_case() {
    let mut failures = Vec::new();
    for case in cases().into_iter().chain(pdf_cases()) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ok.md", "Agents calls on ChatGPT.\n");
        let mut all = vec!["--format".to_string(), "short".to_string()];
        all.extend((case.setup)(dir.path()));
        let started = Instant::now();
        let child = bin()
            .args(&all)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A hang (a FIFO opened, a link loop walked) fails the case.
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(child.wait_with_output()));
        let out: Run = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(out) => out.unwrap().into(),
            Err(_) => {
                let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
                failures.push(format!(
                    "{}: still running after {:?}",
                    case.name,
                    started.elapsed()
                ));
                continue;
            }
        };
        let mut problems = Vec::new();
        if out.code != case.code {
            problems.push(format!("exit {} instead of {}", out.code, case.code));
        }
        if case.stderr.is_empty() && !out.stderr.is_empty() || !out.stderr.contains(case.stderr) {
            problems.push(format!("stderr {:?} lacks {:?}", out.stderr, case.stderr));
        }
        let policy_error = case.code == 2 && case.stderr.contains("term set");
        if !policy_error && !out.stdout.contains(OK) {
            problems.push("ok.md was not checked".to_string());
        }
        for want in case.stdout {
            if !out.stdout.contains(want) {
                problems.push(format!("stdout lacks {want:?}"));
            }
        }
        for unwanted in case.not_stdout {
            if out.stdout.contains(unwanted) {
                problems.push(format!("stdout has {unwanted:?}"));
            }
        }
        if !problems.is_empty() {
            let shown: String = out.stdout.chars().take(600).collect();
            failures.push(format!(
                "{}: {}\n  stdout: {shown}",
                case.name,
                problems.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "many.md",
        "It calls on ChatGPT.\n\n".repeat(20_000),
    );
    for format in ["human", "short", "json"] {
        let mut child = bin()
            .args(["--format", format, "many.md"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 16];
        std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
}
