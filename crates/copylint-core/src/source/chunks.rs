//! Chunks: where a Markdown or text file can be cut, before it is parsed,
//! so that no prose block is cut.
//!
//! A blank line ends every block a reader of plain text or CommonMark
//! builds, with exceptions in Markdown that this module knows: front matter
//! (a YAML block scalar may hold blank lines), HTML blocks that end only at
//! a marker (`<!-- … -->`, `<? … ?>`, `<!X … >`, `<![CDATA[ … ]]>`,
//! `<pre>`, `<script>`, `<style>`, `<textarea>`), and a footnote label
//! that GitHub shows at the head of the paragraph after it. Code blocks
//! may hold blank lines too, but their text is not prose (a file whose
//! code is read as prose is not cut).
//!
//! The cut must be sound: a block that a cut splits would lose a finding
//! to the prefilter. So every opener is recognized wherever it appears
//! (a superset of the places a parser starts such a block), and each is
//! held open up to the first end marker after it, which is never before
//! the parser's own end.
//!
//! A [`Scope`] names the chunks worth reading: extraction skips the blocks
//! that start outside them.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

/// How a format's text may be cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cuts {
    /// Nowhere: the text is one chunk.
    None,
    /// At blank lines.
    BlankLines,
    /// At blank lines outside the Markdown constructs that hold them.
    Markdown,
}

/// Calls `f` with consecutive ranges of `text`, in order, that together
/// cover every line that is not blank: no block of the format's reader
/// crosses from one to another.
pub fn for_each_chunk(text: &[u8], cuts: Cuts, mut f: impl FnMut(Range<usize>)) {
    if cuts == Cuts::None {
        if !text.is_empty() {
            f(0..text.len());
        }
        return;
    }
    let mut holds = (cuts == Cuts::Markdown).then(Holds::default);
    // The chunk being read: from its first non-blank line to past its last.
    let mut chunk: Option<Range<usize>> = None;
    let mut last_line = 0..0;
    let mut line_start = 0;
    // The line that closes the last code fence.
    let mut closing = usize::MAX;
    while line_start < text.len() {
        let line_end = line_end(text, line_start);
        let line = &text[line_start..line_end];
        if !is_blank(line) {
            let start = chunk.as_ref().map_or(line_start, |c| c.start);
            // Code fenced at the margin ends the chunk, and its text is no
            // prose: the chunk after starts at its closing line.
            if let Some(h) = &mut holds
                && line_start != closing
                && let Some(close) = h.fenced(text, start, line_start, line)
            {
                f(start..line_end);
                chunk = None;
                line_start = close;
                closing = close;
                continue;
            }
            chunk = Some(start..line_end);
            last_line = line_start..line_end;
        } else if let Some(c) = &chunk {
            let cut = holds
                .as_mut()
                .is_none_or(|h| h.allow_cut(text, c.start, line_start, &text[last_line.clone()]));
            if cut {
                f(c.clone());
                chunk = None;
            }
        }
        line_start = line_end;
    }
    if let Some(c) = chunk {
        f(c);
    }
}

/// Whether `line` (with its `\n`) holds only spaces and tabs, and ends with
/// a line feed: a blank line for CommonMark (which also counts other
/// line endings and whitespace, so cutting here is never more than it
/// cuts).
fn is_blank(line: &[u8]) -> bool {
    match line.first() {
        Some(b'\n') => true,
        Some(b' ' | b'\t' | b'\r') => {
            let Some(body) = line.strip_suffix(b"\n") else {
                return false;
            };
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            body.iter().all(|&b| b == b' ' || b == b'\t')
        }
        _ => false,
    }
}

/// The Markdown constructs that hold blank lines, read up to where a cut
/// is considered.
#[derive(Default)]
struct Holds {
    /// Openers before this offset have been read.
    read: usize,
    /// No cut before this offset.
    until: usize,
    /// For each end marker, the last search for it: from where, and where
    /// the marker was found (`None`: nowhere after). A later search from
    /// up to that point finds the same one, which keeps the scan linear.
    searched: [Option<(usize, Option<usize>)>; MARKERS.len()],
    /// Fences are known up to here: a run of three backticks or tildes
    /// after it that is not a fence this reads (one in a list item, in an
    /// HTML block, inline code) may open or close a fence, and then which
    /// lines are code is no longer known.
    fences_known: usize,
    /// That happened: no fence is left out any more.
    fences_lost: bool,
}

/// The end markers of the HTML blocks that hold blank lines.
const MARKERS: [&str; 8] = [
    "</pre>",
    "</style>",
    "</script>",
    "</textarea>",
    "-->",
    "?>",
    "]]>",
    ">",
];

impl Holds {
    /// If `line`, at `at` in the chunk from `from`, opens a code fence at
    /// the margin, where no list item, block quote, HTML block or front
    /// matter can hold it, the start of the line that closes it (the end
    /// of `text` when none does). Such a fence ends the paragraph before
    /// it, and only its closing line or the end of the text ends it. Once
    /// a run of backticks or tildes is met that this does not read as a
    /// fence, no later fence is trusted.
    fn fenced(&mut self, text: &[u8], from: usize, at: usize, line: &[u8]) -> Option<usize> {
        let fence = *line.first().filter(|&&b| b == b'`' || b == b'~')?;
        let run = line.iter().take_while(|&&b| b == fence).count();
        if run < 3 || fence == b'`' && line[run..].contains(&b'`') {
            return None;
        }
        static RUNS: LazyLock<[Finder<'static>; 2]> =
            LazyLock::new(|| [Finder::new(b"```"), Finder::new(b"~~~")]);
        if self.fences_lost
            || RUNS
                .iter()
                .any(|r| r.find(&text[self.fences_known.min(at)..at]).is_some())
        {
            self.fences_lost = true;
            return None;
        }
        // An HTML block in this chunk, or one that holds blank lines
        // before it, may hold the line as its text.
        if memchr::memchr(b'<', &text[from..at]).is_some() {
            return None;
        }
        self.read_openers(text, from, at);
        if self.until > at {
            return None;
        }
        // A reader also ends lines at a carriage return, but not the
        // opening one (a tilde fence's info string may hold one): each part
        // of a line after it is a line of its own, which may close it.
        let opener_end = at + line.len();
        let needle = [fence; 3];
        let mut from = opener_end;
        while let Some(i) = memchr::memmem::find(&text[from..], &needle) {
            let q = from + i;
            let part_start =
                memchr::memrchr2(b'\r', b'\n', &text[from..q]).map_or(from, |j| from + j + 1);
            let part_end = memchr::memchr2(b'\r', b'\n', &text[q..]).map_or(text.len(), |j| q + j);
            if closes_fence(&text[part_start..part_end], fence, run) {
                // The chunk after starts at the line holding this part;
                // parts after it in that line are not followed.
                let start = memchr::memrchr(b'\n', &text[..part_start]).map_or(0, |j| j + 1);
                let end = line_end(text, part_end);
                let body = text[part_end..end]
                    .strip_suffix(b"\n")
                    .unwrap_or(&text[part_end..end]);
                let body = body.strip_suffix(b"\r").unwrap_or(body);
                self.fences_lost |= !body.is_empty();
                self.fences_known = end;
                self.read = start;
                return Some(start);
            }
            from = part_end;
        }
        self.read = text.len();
        Some(text.len())
    }

    /// Reads the openers of blocks that hold blank lines in the chunk from
    /// `from`, up to `at`.
    fn read_openers(&mut self, text: &[u8], from: usize, at: usize) {
        let start = self.read.max(from);
        if start >= at {
            return;
        }
        for lt in memchr::memchr_iter(b'<', &text[start..at]) {
            let lt = start + lt;
            if let Some(m) = html_end_marker(&text[lt + 1..]) {
                let end = self
                    .find(text, m, lt + 1)
                    .map_or(text.len(), |i| line_end(text, i));
                self.until = self.until.max(end);
            }
        }
        static FENCES: LazyLock<[(u8, Finder<'static>); 2]> =
            LazyLock::new(|| [(b'-', Finder::new(b"---")), (b'+', Finder::new(b"+++"))]);
        for (fence, finder) in &*FENCES {
            for p in finder.find_iter(&text[start..at]) {
                let end = front_matter_hold(text, start + p, *fence);
                self.until = self.until.max(end);
            }
        }
        self.read = at;
    }

    /// Whether the chunk from `from` may be cut at the blank line at `at`,
    /// after `last_line`, its last line.
    fn allow_cut(&mut self, text: &[u8], from: usize, at: usize, last_line: &[u8]) -> bool {
        self.read_openers(text, from, at);
        // A footnote label may open the paragraph after it.
        let label =
            memchr::memchr_iter(b']', last_line).any(|i| last_line.get(i + 1) == Some(&b':'));
        at >= self.until && !label
    }

    /// The first offset from `from` on where marker `m` is written.
    fn find(&mut self, text: &[u8], m: usize, from: usize) -> Option<usize> {
        if let Some((at, found)) = self.searched[m]
            && at <= from
            && found.is_none_or(|i| from <= i)
        {
            return found;
        }
        let found = memchr::memmem::find(&text[from..], MARKERS[m].as_bytes()).map(|i| from + i);
        self.searched[m] = Some((from, found));
        found
    }
}

/// The end marker (an index into [`MARKERS`]) of the HTML block that
/// `rest` (after a `<`) may open, the way pulldown-cmark reads them: a
/// type 1 block ends only at its own closing tag, in lower case.
fn html_end_marker(rest: &[u8]) -> Option<usize> {
    const RAW: [&[u8]; 4] = [b"pre", b"style", b"script", b"textarea"];
    for (m, name) in RAW.iter().enumerate() {
        if rest.len() >= name.len() && rest[..name.len()].eq_ignore_ascii_case(name) {
            return Some(m);
        }
    }
    if rest.starts_with(b"!--") {
        return Some(4);
    }
    if rest.starts_with(b"?") {
        return Some(5);
    }
    if rest.starts_with(b"![CDATA[") {
        return Some(6);
    }
    (rest.len() > 1 && rest[0] == b'!' && rest[1].is_ascii_alphabetic()).then_some(7)
}

/// If the three `fence` characters at `p` may open front matter (they end
/// their line, or a part of it before a carriage return, and are exactly
/// three), how far it may reach: the end of its closing line, or of the
/// text; 0 otherwise.
fn front_matter_hold(text: &[u8], p: usize, fence: u8) -> usize {
    let start = memchr::memrchr(b'\n', &text[..p]).map_or(0, |i| i + 1);
    let next = line_end(text, p);
    let line = &text[start..next];
    let body = line.strip_suffix(b"\n").unwrap_or(line);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let after = &text[p + 3..start + body.len()];
    let part_end = memchr::memchr(b'\r', after).unwrap_or(after.len());
    if p > start && text[p - 1] == fence || !after[..part_end].iter().all(u8::is_ascii_whitespace) {
        return 0;
    }
    let next_line = &text[next..line_end(text, next)];
    // Front matter's first line is neither blank nor its end; a reader
    // that also ends lines at a carriage return may see another first line.
    let interior_cr = memchr::memchr(b'\r', body).is_some();
    if !interior_cr && (is_blank(next_line) || closes_front_matter(next_line, fence)) {
        return 0;
    }
    front_matter_end(text, next, fence)
}

/// Whether `line` (without its end) closes a code fence opened at the
/// margin by `run` `fence` characters, exactly as pulldown-cmark reads it:
/// up to three spaces, at least as many fence characters, then spaces
/// only. Reading more lines as closes would be as wrong as fewer: the
/// next run of fence characters would be taken for an opening.
fn closes_fence(line: &[u8], fence: u8, run: usize) -> bool {
    let indent = line.iter().take_while(|&&b| b == b' ').count();
    let rest = &line[indent..];
    let n = rest.iter().take_while(|&&b| b == fence).count();
    indent <= 3 && n >= run && rest[n..].iter().all(|&b| b == b' ')
}

/// Whether `line` closes front matter opened by `fence` (`-` or `+`):
/// three fence characters (or `...` for `-`) and spaces, as pulldown-cmark
/// closes it (a subset of what it accepts: the line ends at a line feed).
fn closes_front_matter(line: &[u8], fence: u8) -> bool {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let closes = |c: u8| {
        line.len() >= 3 && line[..3].iter().all(|&b| b == c) && line[3..].iter().all(|&b| b == b' ')
    };
    closes(fence) || (fence == b'-' && closes(b'.'))
}

/// The end of the first line from `from` on that closes front matter
/// opened by `fence`; the end of `text` when none does.
fn front_matter_end(text: &[u8], mut from: usize, fence: u8) -> usize {
    while from < text.len() {
        let end = line_end(text, from);
        if closes_front_matter(&text[from..end], fence) {
            return end;
        }
        from = end;
    }
    text.len()
}

/// The end of the line holding byte `at`, past its `\n`.
fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i + 1)
}

/// The parts of a source that extraction reads in full: a block that
/// starts outside them is skipped before it is normalized.
#[derive(Clone, Copy, Debug, Default)]
pub struct Scope<'a> {
    /// Ascending, disjoint ranges of the text, each a union of chunks (see
    /// [`Source::for_each_chunk`]); `None`: all of it.
    parts: Option<&'a [Range<usize>]>,
    /// Only prose is wanted, not the code ranges of the whole text, so
    /// reading may stop after the last part.
    prose_only: bool,
}

impl<'a> Scope<'a> {
    /// All of the text.
    pub const ALL: Scope<'static> = Scope {
        parts: None,
        prose_only: false,
    };

    /// Only the blocks that start in `parts`.
    pub fn only(parts: &'a [Range<usize>]) -> Scope<'a> {
        Scope {
            parts: Some(parts),
            prose_only: false,
        }
    }

    /// The same, with no code ranges wanted beyond the last part.
    pub fn prose_only(self) -> Scope<'a> {
        Scope {
            prose_only: true,
            ..self
        }
    }

    /// Whether a block starting at byte `at` is read.
    pub fn keeps(&self, at: usize) -> bool {
        match self.parts {
            None => true,
            Some(ranges) => {
                let i = ranges.partition_point(|r| r.end <= at);
                ranges.get(i).is_some_and(|r| r.start <= at)
            }
        }
    }

    /// Where reading a text of `len` bytes may stop: after the last part
    /// when only prose is wanted, else at its end.
    pub(super) fn end(&self, len: usize) -> usize {
        match self.parts {
            Some(ranges) if self.prose_only => ranges.last().map_or(0, |r| r.end),
            _ => len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(text: &str, cuts: Cuts) -> Vec<&str> {
        let mut out = Vec::new();
        for_each_chunk(text.as_bytes(), cuts, |r| out.push(&text[r]));
        out
    }

    fn md(text: &str) -> Vec<&str> {
        chunks(text, Cuts::Markdown)
    }

    #[test]
    fn cuts_at_blank_lines() {
        assert_eq!(
            md("a\nb\n\n \t\r\n\nc\n"),
            ["a\nb\n", "c\n"],
            "a run of blank lines is one cut"
        );
        assert_eq!(md("\n\na\n\n"), ["a\n"]);
        assert_eq!(md(""), Vec::<&str>::new());
        assert_eq!(md("a\n\u{A0}\nb"), ["a\n\u{A0}\nb"], "only spaces and tabs");
        assert_eq!(md("a\r\rb"), ["a\r\rb"], "only line feeds end lines");
        assert_eq!(chunks("a\n\nb", Cuts::None), ["a\n\nb"]);
        assert_eq!(chunks("a\n\nb", Cuts::BlankLines), ["a\n", "b"]);
    }

    #[test]
    fn holds_html_blocks_that_end_at_a_marker() {
        assert_eq!(md("<!--\n\n-->\n\nb\n"), ["<!--\n\n-->\n", "b\n"]);
        assert_eq!(md("<!-- a\n\nb -->\n\nc"), ["<!-- a\n\nb -->\n", "c"]);
        assert_eq!(
            md("<!-->a\n\nb -->\n\nc"),
            ["<!-->a\n", "b -->\n", "c"],
            "the end marker may be in the opener's line"
        );
        assert_eq!(md("<?x > a\n\nb ?>\n\nc"), ["<?x > a\n\nb ?>\n", "c"]);
        assert_eq!(md("<!DOC\n\n>x\n\nc"), ["<!DOC\n\n>x\n", "c"]);
        assert_eq!(md("<![CDATA[\n\n]]>\n\nc"), ["<![CDATA[\n\n]]>\n", "c"]);
        assert_eq!(
            md("<TextArea>a\n\n</TEXTAREA>\n\nb</textarea>\n\nc"),
            ["<TextArea>a\n\n</TEXTAREA>\n\nb</textarea>\n", "c"],
            "a raw block ends at its closing tag in lower case"
        );
        assert_eq!(md("x <!-- a\n\nb"), ["x <!-- a\n\nb"], "no end: no cut");
        assert_eq!(
            md("<!-- a\n\n<!-- b\n\n-->\n\nc\n\n<!-- d\n\ne -->\n\nf"),
            ["<!-- a\n\n<!-- b\n\n-->\n", "c\n", "<!-- d\n\ne -->\n", "f"],
            "each opener reaches the first end after it"
        );
        assert_eq!(md("<b>a</b>\n\nb"), ["<b>a</b>\n", "b"]);
    }

    #[test]
    fn holds_front_matter() {
        assert_eq!(
            md("---\nd: |\n  a\n\n  b\n---\n\nc\n"),
            ["---\nd: |\n  a\n\n  b\n---\n", "c\n"]
        );
        assert_eq!(
            md("x\n\n- ---\n  a\n\n  b\n...  \n\nc"),
            ["x\n", "- ---\n  a\n\n  b\n...  \n", "c"],
            "anywhere a block starts, and closed by dots"
        );
        assert_eq!(
            md("+++\na\n\n----\n\n +++\n\n+++\n\nb"),
            ["+++\na\n\n----\n\n +++\n\n+++\n", "b"],
            "closed only by three fence characters in the first column"
        );
        assert_eq!(md("a ----\n\nb"), ["a ----\n", "b"]);
        assert_eq!(
            md("a\n\n---\n\nb\n\n---\n---\n\nc"),
            ["a\n", "---\n", "b\n", "---\n---\n", "c"],
            "front matter's first line is neither blank nor its end"
        );
        assert_eq!(
            md("---\rd: |\n  a\n\n  b\n---\n\nc"),
            ["---\rd: |\n  a\n\n  b\n---\n", "c"],
            "a line may end at a carriage return"
        );
    }

    #[test]
    fn keeps_a_footnote_label_with_the_paragraph_after_it() {
        assert_eq!(md("[^a b]:\n\n\n    c\n\nd"), ["[^a b]:\n\n\n    c\n", "d"]);
        assert_eq!(md("[^a\nb]:\n\nc\n\nd"), ["[^a\nb]:\n\nc\n", "d"]);
        assert_eq!(md("x[^1]\n\nd"), ["x[^1]\n", "d"]);
    }

    #[test]
    fn code_fenced_at_the_margin_is_left_out() {
        assert_eq!(
            md("a\n```sh\nx\n\ny\n```\nb\n\nc"),
            ["a\n```sh\n", "```\nb\n", "c"]
        );
        assert_eq!(
            md("~~~\nx\n```\n\n~~~~ \nb"),
            ["~~~\n", "~~~~ \nb"],
            "closed by the same character, at least as many"
        );
        assert_eq!(md("```\nx\n\ny"), ["```\n"], "open to the end");
        assert_eq!(
            md("a\n```\nx\n``` \rb\n\nc"),
            ["a\n```\n", "``` \rb\n", "c"],
            "a line may end at a carriage return"
        );
        assert_eq!(
            md("``` a`b\nx\n\ny"),
            ["``` a`b\nx\n", "y"],
            "a backtick after backticks is inline code"
        );
        assert_eq!(
            md("  ```\nx\n\ny"),
            ["  ```\nx\n", "y"],
            "indented: a list item may end it early"
        );
        assert_eq!(
            md("<div>\n```\nx\n```\n\ny"),
            ["<div>\n```\nx\n```\n", "y"],
            "an HTML block holds it as text"
        );
        assert_eq!(
            md("<?x\n\n```\nx\n```\n?>\n\ny"),
            ["<?x\n\n```\nx\n```\n?>\n", "y"],
            "so does one that holds blank lines"
        );
        assert_eq!(
            md("<\n```\n\n```\nx"),
            ["<\n```\n", "```\nx"],
            "after a fence not left out, a fence may close rather than open"
        );
        assert_eq!(
            md("```\na\n    ```\nb\n```\nc\n\n```\nd"),
            ["```\n", "```\nc\n", "```\n"],
            "indented four spaces, no close"
        );
        assert_eq!(
            md("```\na\n``` \t\nb\n```\nc\n\n~~~\nd"),
            ["```\n", "```\nc\n", "~~~\n"],
            "a tab after it: no close"
        );
        assert_eq!(
            md("```\na\n```\rb\n```\nc\n\n```\nd"),
            ["```\n", "```\rb\n```\nc\n", "```\nd"],
            "closed before a carriage return: the rest of the line is not followed"
        );
        assert_eq!(
            md("```\na\n```\nb\n\n~~~\nc\n~~~\nd"),
            ["```\n", "```\nb\n", "~~~\n", "~~~\nd"],
            "fences one after another"
        );
    }

    #[test]
    fn text_knows_no_markdown() {
        assert_eq!(
            chunks("<!--\n\n---\n\n[^a]\n\nb", Cuts::BlankLines),
            ["<!--\n", "---\n", "[^a]\n", "b"]
        );
    }
}
