//! Normalization of prose, and the source map that undoes it.
//!
//! Matching happens on normalized text: lower case, every whitespace run one
//! space, curly quotes straight, dashes `-`, invisible characters dropped.
//! [`BlockBuilder`] builds that text for one prose block and, beside it, a
//! run-length map from each normalized byte back to the source byte it came
//! from, so that a match in normalized text becomes an exact source span.

use std::ops::Range;

/// Character used for content that is not prose (inline code, math) inside a
/// block: it separates words so that no phrase matches across it.
pub const BARRIER: char = '\u{FFFC}';

/// Characters normalization drops: soft hyphen, zero-width space and
/// joiners, word joiner, byte-order mark. The prefilter treats each as a
/// marker that sends a file to the full check, so this one list serves both.
pub const INVISIBLE: [char; 6] = [
    '\u{AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
];

/// What a single source character becomes after normalization.
enum Norm {
    Drop,
    Space,
    Char(char),
    Lower(std::char::ToLowercase),
}

fn classify(c: char, keep_case: bool) -> Norm {
    match c {
        c if INVISIBLE.contains(&c) => Norm::Drop,
        // The one character whose lower case is two (`i` and a combining
        // dot): fold it to `i`, so that a match never ends inside it.
        '\u{130}' if !keep_case => Norm::Char('i'),
        // Greek has two lower-case sigmas, `ς` at a word's end and `σ`
        // elsewhere, and one capital: fold both to `σ`, as Unicode case
        // folding does, so that `ΤΟΥΣ` matches `τους`.
        '\u{3C2}' if !keep_case => Norm::Char('\u{3C3}'),
        '\u{2018}' | '\u{2019}' => Norm::Char('\''),
        '\u{201C}' | '\u{201D}' => Norm::Char('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => {
            Norm::Char('-')
        }
        c if c.is_whitespace() => Norm::Space,
        c if keep_case => Norm::Char(c),
        c if c.is_ascii() => Norm::Char(c.to_ascii_lowercase()),
        c => Norm::Lower(c.to_lowercase()),
    }
}

/// Normalizes a string without keeping a source map: used for policy
/// phrases and for checking that a source span matches what was found.
pub fn normalize(s: &str) -> String {
    if let Some(plain) = plain_ascii(s, false) {
        return plain;
    }
    let mut b = BlockBuilder::default();
    b.push_str(s, 0);
    b.finish()
        .map(|block| block.text.clone())
        .unwrap_or_default()
}

/// Normalizes a string like [`normalize`] but keeps its letters' case: the
/// written form of a policy phrase, for rules that match case-sensitively.
pub fn normalize_cased(s: &str) -> String {
    if let Some(plain) = plain_ascii(s, true) {
        return plain;
    }
    let mut b = BlockBuilder {
        keep_case: true,
        ..BlockBuilder::default()
    };
    b.push_str(s, 0);
    b.finish()
        .map(|block| block.text.clone())
        .unwrap_or_default()
}

/// What [`normalize`] (or with `keep_case`, [`normalize_cased`]) makes of
/// `s` when it is printable ASCII and spaces, as policy phrases mostly
/// are: its words joined by single spaces, lowered unless `keep_case`.
/// `None` for any other text. Loading a policy normalizes every literal
/// of it, so this spares a block and its source map for each.
fn plain_ascii(s: &str, keep_case: bool) -> Option<String> {
    if !s.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if !keep_case {
        out.make_ascii_lowercase();
    }
    Some(out)
}

/// One run of the source map: normalized bytes from `norm` on came from
/// source bytes `src`. When `ident` is set the run is byte-for-byte
/// (same length, offsets map linearly); otherwise all of it came from the
/// whole of `src` (a curly quote, an entity, a run of whitespace).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Run {
    norm: usize,
    src: Range<usize>,
    ident: bool,
}

/// Maps normalized byte offsets of one block back to source byte offsets.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    runs: Vec<Run>,
    /// For each run made by [`BlockBuilder::push_replaced`] (a decoded
    /// reference or escape), in order: its index in `runs` and where the
    /// decoded text it stands for lies in `decoded`. A reader is shown that
    /// text, not the raw reference (`’`, not `&rsquo;`).
    replaced: Vec<(usize, Range<usize>)>,
    decoded: String,
}

impl SourceMap {
    fn run_of(&self, norm: usize) -> &Run {
        let i = self.runs.partition_point(|r| r.norm <= norm);
        &self.runs[i.saturating_sub(1)]
    }

    /// Source offset of the character that produced normalized byte `norm`.
    pub fn start(&self, norm: usize) -> usize {
        let run = self.run_of(norm);
        if run.ident {
            run.src.start + (norm - run.norm)
        } else {
            run.src.start
        }
    }

    /// Source offset just past the character that produced normalized byte
    /// `norm - 1`; `norm` must be greater than zero.
    pub fn end(&self, norm: usize) -> usize {
        let run = self.run_of(norm - 1);
        if run.ident {
            run.src.start + (norm - run.norm)
        } else {
            run.src.end
        }
    }

    /// When a reference or escape made normalized byte `norm`: the text
    /// it decodes to, and where its normalized form starts.
    fn decoded_at(&self, norm: usize) -> Option<(&str, usize)> {
        let i = self
            .runs
            .partition_point(|r| r.norm <= norm)
            .checked_sub(1)?;
        let run = &self.runs[i];
        (!run.ident).then_some(())?;
        Some((self.decoded(i)?, run.norm))
    }

    /// The decoded text that run `i` stands for, if a reference or escape
    /// made it.
    fn decoded(&self, i: usize) -> Option<&str> {
        let k = self
            .replaced
            .binary_search_by_key(&i, |(run, _)| *run)
            .ok()?;
        self.decoded.get(self.replaced[k].1.clone())
    }

    /// Number of runs, a measure of how compact the map is.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// A block of prose: normalized text and its map back to the source.
#[derive(Clone, Debug, Default)]
pub struct Block {
    pub text: String,
    pub map: SourceMap,
    /// Where the block is, for a document (a page, a slide, a paragraph).
    pub unit: Option<super::Unit>,
    /// For a table cell, the headers that govern it, normalized: its
    /// column's header, or every header for a cell of the first column
    /// (the row's label).
    pub column: Option<String>,
    /// For a table cell after the first column: the row's label (its first
    /// cell), normalized.
    pub row: Option<String>,
    /// A table's header cell: a label for the cells below it.
    pub heading: bool,
    /// For a table cell after the first column: the row's cells before
    /// it, each after its header, normalized.
    pub row_cells: String,
    /// Inline code read as words for claim rules only, normalized: a
    /// model's id (`openai.gpt-5`). Other rules' matches there are dropped.
    pub code: Vec<Range<usize>>,
}

impl Block {
    /// The character a reader sees at normalized byte `norm`, when a
    /// reference or escape made it: the decoded character at the same
    /// place (`C` for `&#67;`, `j` for the second letter of `&fjlig;`).
    pub fn decoded_char(&self, norm: usize) -> Option<char> {
        let (decoded, start) = self.map.decoded_at(norm)?;
        let nth = self.text.get(start..norm)?.chars().count();
        decoded.chars().nth(nth)
    }

    /// The source span of normalized range `norm`.
    pub fn source_range(&self, norm: Range<usize>) -> Range<usize> {
        let start = self.map.start(norm.start);
        let end = if norm.end > norm.start {
            self.map.end(norm.end)
        } else {
            start
        };
        start..end
    }

    /// The text that produced normalized range `norm` as a reader sees it:
    /// the source without the markup between its pieces (`**enables**
    /// access` gives `enables access`), references and escapes decoded
    /// (`OpenAI&rsquo;s` gives `OpenAI’s`), case kept and whitespace runs
    /// collapsed.
    pub fn source_text(&self, source: &str, norm: Range<usize>) -> String {
        let runs = &self.map.runs;
        let first = runs
            .partition_point(|r| r.norm <= norm.start)
            .saturating_sub(1);
        let mut out = String::new();
        for (i, run) in runs.iter().enumerate().skip(first) {
            if run.norm >= norm.end {
                break;
            }
            if !run.ident && self.text[run.norm..].starts_with(' ') {
                // A word separator that stood for markup (a hard break).
                out.push(' ');
                continue;
            }
            let piece = if let Some(decoded) = (!run.ident).then(|| self.map.decoded(i)).flatten() {
                Some(decoded)
            } else if run.ident {
                let run_end = runs.get(i + 1).map_or(usize::MAX, |next| next.norm);
                let from = norm.start.max(run.norm) - run.norm;
                let to = norm.end.min(run_end).min(run.norm + run.src.len()) - run.norm;
                source.get(run.src.start + from..run.src.start + to)
            } else {
                source.get(run.src.clone())
            };
            out.push_str(piece.unwrap_or_default());
        }
        super::collapse_whitespace(&out)
    }
}

/// Builds one [`Block`] after another from pieces of source text, reusing
/// its buffers from block to block.
#[derive(Debug, Default)]
pub struct BlockBuilder {
    block: Block,
    /// The block was handed out by `finish`: clear it before the next piece.
    done: bool,
    /// Source range of the first character of pending whitespace.
    pending_space: Option<Range<usize>>,
    /// Keep letters' case (for policy phrases of case-sensitive rules).
    keep_case: bool,
}

impl BlockBuilder {
    fn start_piece(&mut self) {
        if self.done {
            self.done = false;
            self.block.text.clear();
            self.block.map.runs.clear();
            self.block.column = None;
            self.block.row = None;
            self.block.heading = false;
            self.block.row_cells.clear();
            self.block.code.clear();
            self.block.map.replaced.clear();
            self.block.map.decoded.clear();
        }
    }

    /// Appends `s`, which is exactly the source text starting at byte `src`.
    pub fn push_str(&mut self, s: &str, src: usize) {
        self.start_piece();
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_graphic() {
                // The common case: a run of printable ASCII, lowered in bulk.
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_graphic() {
                    i += 1;
                }
                self.flush_space();
                let norm = self.block.text.len();
                self.block.text.push_str(&s[start..i]);
                if !self.keep_case {
                    self.block.text[norm..].make_ascii_lowercase();
                }
                self.add_run(norm, src + start..src + i, true);
                continue;
            }
            let c = s[i..].chars().next().unwrap_or_default();
            let range = src + i..src + i + c.len_utf8();
            i += c.len_utf8();
            match classify(c, self.keep_case) {
                Norm::Drop => {}
                Norm::Space => self.space(range),
                Norm::Char(n) => self.emit_char(n, range),
                Norm::Lower(mut lower) => {
                    if lower.len() == 1 {
                        let n = lower.next().unwrap_or(c);
                        self.emit_char(n, range);
                    } else {
                        self.flush_space();
                        let s: String = lower.collect();
                        self.emit(&s, range, false);
                    }
                }
            }
        }
    }

    /// Appends `s`, which stands for the whole source range `src` (a decoded
    /// entity or escape): every normalized byte maps to all of `src`.
    pub fn push_replaced(&mut self, s: &str, src: Range<usize>) {
        self.start_piece();
        let mut out = String::new();
        // Where in `s` the characters that make `out` begin.
        let mut from = 0;
        for (i, c) in s.char_indices() {
            match classify(c, self.keep_case) {
                Norm::Drop => {}
                Norm::Space => {
                    if !out.is_empty() {
                        self.emit_decoded(&out, &s[from..i], src.clone());
                        out.clear();
                    }
                    self.space(src.clone());
                }
                Norm::Char(n) => out.push(n),
                Norm::Lower(lower) => out.extend(lower),
            }
            if out.is_empty() {
                from = i + c.len_utf8();
            }
        }
        if !out.is_empty() {
            self.emit_decoded(&out, &s[from..], src);
        }
    }

    /// Emits `out`, the normalized form of `decoded`, as standing for the
    /// whole of `src`, and keeps `decoded` to show a reader.
    fn emit_decoded(&mut self, out: &str, decoded: &str, src: Range<usize>) {
        self.flush_space();
        self.emit(out, src, false);
        let map = &mut self.block.map;
        let at = map.decoded.len();
        map.decoded.push_str(decoded);
        map.replaced
            .push((map.runs.len() - 1, at..map.decoded.len()));
    }

    /// Sets the unit of the block being built (and of the next ones).
    pub fn set_unit(&mut self, unit: Option<super::Unit>) {
        self.block.unit = unit;
    }

    /// Appends a word separator standing for `src` (a soft break).
    pub fn push_space(&mut self, src: Range<usize>) {
        self.start_piece();
        self.space(src);
    }

    /// Appends a barrier: non-prose content that no phrase may span.
    pub fn push_barrier(&mut self, src: Range<usize>) {
        self.start_piece();
        self.space(src.start..src.start);
        self.flush_space();
        let mut buf = [0u8; 4];
        self.emit(BARRIER.encode_utf8(&mut buf), src.clone(), false);
        self.space(src.end..src.end);
    }

    /// Marks the last `len` normalized bytes as inline code that claim
    /// rules read (see [`Block::code`]).
    pub fn mark_code(&mut self, len: usize) {
        let end = self.block.text.len();
        self.block.code.push(end.saturating_sub(len)..end);
    }

    /// The normalized text of the block being built.
    pub fn text(&self) -> &str {
        if self.done { "" } else { &self.block.text }
    }

    /// Sets the table headers of the block being built (see [`Block`]).
    pub fn set_table(&mut self, column: Option<String>, row: Option<String>, heading: bool) {
        self.block.column = column;
        self.block.row = row;
        self.block.heading = heading;
    }

    /// Sets the row's cells before the cell being built (see [`Block`]).
    pub fn set_row_cells(&mut self, cells: String) {
        self.block.row_cells = cells;
    }

    /// Ends the block; returns it unless it holds nothing but barriers. The
    /// next piece appended starts a new block.
    pub fn finish(&mut self) -> Option<&Block> {
        self.pending_space = None;
        let was_done = std::mem::replace(&mut self.done, true);
        let text = &self.block.text;
        if was_done || text.chars().all(|c| c == BARRIER || c == ' ') {
            return None;
        }
        Some(&self.block)
    }

    fn space(&mut self, range: Range<usize>) {
        if self.pending_space.is_none() {
            self.pending_space = Some(range);
        }
    }

    fn flush_space(&mut self) {
        if let Some(range) = self.pending_space.take()
            && !self.block.text.is_empty()
        {
            let ident = range.len() == 1;
            self.emit(" ", range, ident);
        }
    }

    fn emit_char(&mut self, n: char, range: Range<usize>) {
        self.flush_space();
        let mut buf = [0u8; 4];
        let s = n.encode_utf8(&mut buf);
        let ident = s.len() == range.len();
        self.emit(s, range, ident);
    }

    fn emit(&mut self, s: &str, src: Range<usize>, ident: bool) {
        let norm = self.block.text.len();
        self.block.text.push_str(s);
        self.add_run(norm, src, ident);
    }

    /// Records that normalized bytes from `norm` on came from `src`,
    /// extending the last run when both continue it byte for byte.
    fn add_run(&mut self, norm: usize, src: Range<usize>, ident: bool) {
        let runs = &mut self.block.map.runs;
        if ident
            && let Some(last) = runs.last_mut()
            && last.ident
            && last.norm + last.src.len() == norm
            && last.src.end == src.start
        {
            last.src.end = src.end;
            return;
        }
        runs.push(Run { norm, src, ident });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(s: &str) -> Block {
        let mut b = BlockBuilder::default();
        b.push_str(s, 0);
        b.finish().unwrap().clone()
    }

    /// [`normalize`] or [`normalize_cased`] through a block, never the
    /// ASCII shortcut.
    fn through_block(s: &str, keep_case: bool) -> String {
        let mut b = BlockBuilder {
            keep_case,
            ..BlockBuilder::default()
        };
        b.push_str(s, 0);
        b.finish().map(|b| b.text.clone()).unwrap_or_default()
    }

    proptest::proptest! {
        #[test]
        fn plain_ascii_normalizes_as_a_block_does(
            s in "[ a-zA-Z0-9'<>~|{}\\[\\]-]{0,24}|[ -~]{0,24}",
            keep_case: bool,
        ) {
            let plain = plain_ascii(&s, keep_case).expect("printable ASCII and spaces");
            proptest::prop_assert_eq!(plain, through_block(&s, keep_case));
        }
    }

    #[test]
    fn plain_ascii_is_only_for_printable_ascii_and_spaces() {
        for s in ["a\tb", "a\nb", "caf\u{E9}", "Open\u{A0}AI", "x\u{AD}y"] {
            assert_eq!(plain_ascii(s, false), None, "{s:?}");
        }
        assert_eq!(
            plain_ascii("  Open  AI's ", false).as_deref(),
            Some("open ai's")
        );
        assert_eq!(normalize_cased("  Open  AI "), "Open AI");
    }

    #[test]
    fn folds_case_space_quotes_dashes_and_invisibles() {
        assert_eq!(
            normalize(
                "  Enables\u{A0}\u{202F}ACCESS\r\n\tto OpenAI\u{2019}s GPT\u{2011}4 \u{2014} x"
            ),
            "enables access to openai's gpt-4 - x"
        );
        assert_eq!(normalize("en\u{AD}ab\u{200B}les"), "enables");
        assert_eq!(normalize("\u{201C}quoted\u{201D}"), "\"quoted\"");
        assert_eq!(normalize("ΤΟΥΣ τους"), "τουσ τουσ");
        assert_eq!(normalize_cased("ΤΟΥΣ τους"), "ΤΟΥΣ τους");
    }

    #[test]
    fn plain_ascii_is_one_run() {
        let b = build("Powered by OpenAI");
        assert_eq!(b.map.len(), 1);
        assert_eq!(b.source_range(11..17), 11..17);
    }

    #[test]
    fn maps_back_across_replacements() {
        let src = "a \u{201C}Enables\u{201D}\r\n  access to";
        let b = build(src);
        assert_eq!(b.text, "a \"enables\" access to");
        let at = b.text.find("enables").unwrap();
        let r = b.source_range(at..at + "enables\" access".len());
        assert_eq!(&src[r], "Enables\u{201D}\r\n  access");
    }

    #[test]
    fn source_text_drops_markup_between_pieces() {
        let src = "**Enables**\n  access to *ChatGPT*";
        let mut b = BlockBuilder::default();
        b.push_str("Enables", 2);
        b.push_space(11..14);
        b.push_str("access to ", 14);
        b.push_str("ChatGPT", 25);
        let block = b.finish().unwrap().clone();
        assert_eq!(block.text, "enables access to chatgpt");
        assert_eq!(
            block.source_text(src, 0..block.text.len()),
            "Enables access to ChatGPT"
        );
        assert_eq!(block.source_text(src, 8..14), "access");
    }

    #[test]
    fn source_text_shows_references_decoded() {
        let src = "OpenAI&rsquo;s&nbsp;&fjlig;ord &#x41;&shy;I";
        let mut b = BlockBuilder::default();
        b.push_str("OpenAI", 0);
        b.push_replaced("\u{2019}", 6..13);
        b.push_str("s", 13);
        b.push_replaced("\u{A0}", 14..20);
        b.push_replaced("fj", 20..27);
        b.push_str("ord ", 27);
        b.push_replaced("A\u{AD}", 31..37);
        b.push_replaced("\u{AD}", 37..42);
        b.push_str("I", 42);
        let block = b.finish().unwrap().clone();
        assert_eq!(block.text, "openai's fjord ai");
        assert_eq!(
            block.source_text(src, 0..block.text.len()),
            "OpenAI\u{2019}s fjord A\u{AD}I"
        );
        assert_eq!(block.source_text(src, 9..14), "fjord");
        // A match stays raw: its span is the source's.
        let at = block.text.find("fjord").unwrap();
        assert_eq!(&src[block.source_range(at..at + 5)], "&fjlig;ord");
        // The builder reuses its buffers: the next block shows its own text.
        b.push_replaced("\u{E9}", 0..6);
        assert_eq!(b.finish().unwrap().source_text("&eacute;", 0..2), "\u{E9}");
    }

    #[test]
    fn dotted_capital_i_folds_to_i() {
        let src = "x \u{130}stanbul";
        let b = build(src);
        assert_eq!(b.text, "x istanbul");
        let r = b.source_range(2..b.text.len());
        assert_eq!(&src[r], "\u{130}stanbul");
        // Found by fuzzing: a phrase ending in `i` matched inside `İ`.
        assert_eq!(normalize("OpenA\u{130}"), "openai");
    }

    #[test]
    fn barrier_separates_words() {
        let mut b = BlockBuilder::default();
        b.push_str("enables", 0);
        b.push_barrier(7..12);
        b.push_str("access", 12);
        let block = b.finish().unwrap().clone();
        assert_eq!(block.text, format!("enables {BARRIER} access"));
    }

    #[test]
    fn empty_and_barrier_only_blocks_vanish() {
        let mut b = BlockBuilder::default();
        b.push_str(" \n ", 0);
        assert!(b.finish().is_none());
        b.push_barrier(0..3);
        assert!(b.finish().is_none());
    }
}
