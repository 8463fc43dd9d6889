//! `--fix` and `--diff`: a file's fixes applied round after round until
//! none is left, then written back atomically or shown as a diff.
//!
//! Only the findings that suppression directives leave are fixed. A fix
//! can make a new finding (or end one), so the file is checked again after
//! each round; a file still changing after [`MAX_ROUNDS`] is an error and
//! is not written.

use crate::engine::Linter;
use crate::finding::{Applicability, Notice, NoticeKind, NoticeLevel};
use crate::fix;
use crate::source::{self, Format, Source};

/// Rounds of fixing before a file is declared unsettled.
pub const MAX_ROUNDS: usize = 10;

/// What `--fix` or `--diff` asks for.
#[derive(Clone, Copy, Debug)]
pub struct FixMode {
    /// The least safe fixes applied: safe, or unsafe too.
    pub min: Applicability,
    /// Write the file (`--fix`) or show a diff (`--diff`).
    pub write: bool,
}

/// A file after fixing.
pub struct Fixed {
    /// The file's bytes after fixing (written with `--fix`), or as they
    /// were when nothing was fixed.
    pub bytes: Vec<u8>,
    /// With `--diff`, the unified diff of the fixes.
    pub diff: Vec<u8>,
    pub notices: Vec<Notice>,
}

/// Fixes the file `name` whose stored bytes are `bytes`.
pub fn fix_file(
    linter: &Linter,
    mode: FixMode,
    (name, path): (&str, &std::path::Path),
    bytes: Vec<u8>,
    format: Format,
) -> Fixed {
    let unchanged = |bytes, notice: Option<Notice>| Fixed {
        bytes,
        diff: Vec::new(),
        notices: notice.into_iter().collect(),
    };
    if !fix::rewrites(format) {
        return unchanged(bytes, None);
    }
    let (text, encoding) = source::decode_for(bytes.clone(), format);
    let not_fixed =
        |message: String| Notice::new(NoticeLevel::Error, NoticeKind::NotFixed, name, message);
    if fix::encode(&text, encoding).as_ref() != Some(&bytes) {
        let message = format!(
            "not fixed: its bytes would not survive decoding as {}",
            encoding.name()
        );
        return unchanged(bytes, Some(not_fixed(message)));
    }
    let mut current = text.clone();
    let mut fixed = 0;
    for round in 0.. {
        let findings = linter
            .check_full(&Source::new(name, current.as_str(), format))
            .findings;
        let applied = fix::apply(&current, &findings, mode.min);
        if applied.fixed == 0 {
            break;
        }
        if round == MAX_ROUNDS {
            let message = format!(
                "not fixed: the fixes were still changing the file after {MAX_ROUNDS} rounds"
            );
            return unchanged(bytes, Some(not_fixed(message)));
        }
        fixed += applied.fixed;
        current = applied.text;
    }
    if fixed == 0 {
        return unchanged(bytes, None);
    }
    let Some(new_bytes) = fix::encode(&current, encoding) else {
        let message = format!(
            "not fixed: a replacement has characters {} cannot store",
            encoding.name()
        );
        return unchanged(bytes, Some(not_fixed(message)));
    };
    let fixed = Applied {
        before: &text,
        after: &current,
        bytes: new_bytes,
        count: fixed,
    };
    finish(mode, (name, path), bytes, fixed)
}

/// A file's text before and after its fixes.
struct Applied<'a> {
    before: &'a str,
    after: &'a str,
    /// `after`, encoded as the file is stored.
    bytes: Vec<u8>,
    count: usize,
}

/// Writes the fixed file (`--fix`) or renders its diff (`--diff`).
fn finish(
    mode: FixMode,
    (name, path): (&str, &std::path::Path),
    original: Vec<u8>,
    fixed: Applied,
) -> Fixed {
    let what = if fixed.count == 1 {
        "1 fix".to_string()
    } else {
        format!("{} fixes", fixed.count)
    };
    let note = |message: String| Notice::new(NoticeLevel::Note, NoticeKind::Fixed, name, message);
    if !mode.write {
        let diff = similar::TextDiff::from_lines(fixed.before, fixed.after)
            .unified_diff()
            .header(&format!("a/{name}"), &format!("b/{name}"))
            .to_string()
            .into_bytes();
        // Checked as fixed, so the exit status is what --fix would give.
        return Fixed {
            bytes: fixed.bytes,
            diff,
            notices: vec![note(format!("{what} would be applied"))],
        };
    }
    match fix::write_atomic(path, &fixed.bytes) {
        Ok(()) => Fixed {
            bytes: fixed.bytes,
            diff: Vec::new(),
            notices: vec![note(format!("applied {what}"))],
        },
        Err(e) => {
            let message = format!("not fixed: cannot write: {}", crate::error::describe_io(&e));
            let notice = Notice::new(NoticeLevel::Error, NoticeKind::NotFixed, name, message);
            Fixed {
                bytes: original,
                diff: Vec::new(),
                notices: vec![notice],
            }
        }
    }
}
