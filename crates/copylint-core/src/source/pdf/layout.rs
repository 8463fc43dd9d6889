//! PDF page layout to paragraphs: the glyphs a page draws, in the order
//! its content stream draws them, become lines by their baselines and
//! paragraphs by the space between lines.
//!
//! [`PageText`] receives glyphs from the content reader and writes each page's paragraphs into a [`DocumentBuilder`] as a
//! [`Unit::Page`]. Within a paragraph, lines are joined with a space, or
//! with nothing after a hyphen at the end of a line: a word broken across
//! lines (`en-` / `ables`) is whole again, and a compound (`GPT-` /
//! `4.1`) keeps its hyphen. Ligature glyphs are written as their letters.
//! A line with right-to-left letters (Hebrew, Arabic), whose glyphs come
//! in the order they sit on the page, is put in reading order by the
//! Unicode bidirectional algorithm.

use crate::source::document::{Document, DocumentBuilder, Unit};

/// A string the page shows with one text operator: where it starts, where
/// its last glyph ends, and its text.
#[derive(Clone, Debug)]
struct Run {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    /// The angle of its baseline from left-to-right, counterclockwise, in
    /// whole degrees; `x`, `y` and `end` are in a frame turned with it.
    angle: u16,
    text: String,
}

/// One line of a page: runs that share a baseline.
#[derive(Clone, Debug)]
struct Line {
    x: f64,
    y: f64,
    size: f64,
    angle: u16,
    text: String,
}

/// The output device that turns glyphs into a document's pages.
pub struct PageText {
    builder: DocumentBuilder,
    /// Pages with no glyph at all, and pages seen.
    pages: u32,
    /// Text bytes the document may hold, at most.
    budget: usize,
    /// Bytes the open page's runs hold, about.
    pending: usize,
    over_budget: bool,
    page_height: f64,
    runs: Vec<Run>,
    /// The next glyph starts a run.
    new_run: bool,
    /// The angle of the baseline of the glyphs to come, as in [`Run`].
    angle: u16,
}

impl PageText {
    pub fn new(budget: usize) -> PageText {
        PageText {
            builder: DocumentBuilder::default(),
            pages: 0,
            budget,
            pending: 0,
            over_budget: false,
            page_height: 0.0,
            runs: Vec::new(),
            new_run: true,
            angle: 0,
        }
    }

    /// Pages seen.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    pub fn finish(self) -> Document {
        self.builder.finish()
    }

    /// Writes the open page's runs as paragraphs.
    fn flush_page(&mut self) {
        let lines = lines(std::mem::take(&mut self.runs));
        let mut paragraph = String::new();
        let mut previous: Option<&Line> = None;
        for line in &lines {
            if let Some(prev) = previous {
                if !continues(prev, line) {
                    self.builder.push(&paragraph);
                    self.builder.end_paragraph();
                    paragraph.clear();
                } else if ends_in_broken_word(&paragraph, &line.text) {
                    paragraph.pop();
                } else {
                    paragraph.push_str(joiner(&paragraph, &line.text));
                }
            }
            paragraph.push_str(&line.text);
            previous = Some(line);
        }
        self.builder.push(&paragraph);
        self.builder.end_paragraph();
    }
}

/// Groups a page's runs into lines: a run continues the line when it sits
/// on the same baseline and does not start left of the line.
fn lines(runs: Vec<Run>) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let (mut last_x, mut last_end) = (f64::INFINITY, f64::INFINITY);
    for run in runs {
        let same_line = lines.last().is_some_and(|line| {
            line.angle == run.angle
                && (run.y - line.y).abs() <= line.size.max(run.size) * 0.5
                && run.x >= line.x - line.size.max(run.size)
        });
        match lines.last_mut() {
            Some(line) if same_line => {
                let size = run.size.max(line.size);
                if run.x < (last_x + last_end) / 2.0 && line.text.ends_with(char::is_whitespace) {
                    // Drawn over the blank before it (starting in its first
                    // half): that blank was an invisible glyph (a soft
                    // hyphen), not a space.
                    line.text.truncate(line.text.trim_end().len());
                }
                let spaced = line.text.ends_with(char::is_whitespace)
                    || run.text.starts_with(char::is_whitespace);
                // A gap, or a jump back left past the last run's end (the
                // next column of a page that draws its columns line by
                // line), parts words.
                let apart = run.x - last_end > size * 0.1 || run.x < last_end - size;
                if apart && !spaced {
                    line.text.push(' ');
                }
                line.text.push_str(&run.text);
                line.size = size;
            }
            _ => {
                if run.text.trim().is_empty() {
                    continue;
                }
                lines.push(Line {
                    x: run.x,
                    y: run.y,
                    size: run.size,
                    angle: run.angle,
                    text: run.text.clone(),
                });
            }
        }
        (last_x, last_end) = (run.x, run.end);
    }
    for line in &mut lines {
        if let Some(logical) = reading_order(&line.text) {
            line.text = logical;
        }
        let trimmed = line.text.trim();
        if trimmed.len() != line.text.len() {
            line.text = trimmed.to_string();
        }
    }
    lines.retain(|line| !line.text.is_empty());
    lines
}

/// A line in visual order (left to right, as drawn) that holds
/// right-to-left letters, in reading order: the bidirectional algorithm
/// reverses the right-to-left runs and keeps left-to-right ones (Latin
/// words, numbers) as they read; the line's direction is its letters'
/// majority. Reordering is its own inverse for such a
/// line, so the algorithm that turns reading order into display order
/// turns the display order back. `None` for a line without such letters.
fn reading_order(line: &str) -> Option<String> {
    use unicode_bidi::{BidiClass, BidiInfo, Level, bidi_class};
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for c in line.chars() {
        match bidi_class(c) {
            BidiClass::R | BidiClass::AL => rtl += 1,
            BidiClass::L => ltr += 1,
            _ => {}
        }
    }
    if rtl == 0 {
        return None;
    }
    // The line's direction is that of most of its letters: its first
    // letter, as drawn, may be the last word of a sentence.
    let level = if rtl >= ltr {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let info = BidiInfo::new(line, Some(level));
    let mut out = String::with_capacity(line.len());
    for paragraph in &info.paragraphs {
        out.push_str(&info.reorder_line(paragraph, paragraph.range.clone()));
    }
    Some(out)
}

/// Whether `next` continues the paragraph `prev` ends: the line right
/// below it, in a similar size, not a new list item.
fn continues(prev: &Line, next: &Line) -> bool {
    let below = next.y - prev.y;
    let size = prev.size.max(next.size);
    let similar = next.size <= prev.size * 1.2 && prev.size <= next.size * 1.2;
    let bullet = next.text.starts_with(['•', '◦', '▪', '‣', '–', '·']);
    prev.angle == next.angle && below > 0.0 && below <= size * 1.5 && similar && !bullet
}

/// What joins two lines of a paragraph: nothing after a hyphen that ends a
/// line before a letter or digit, else a space.
fn joiner(prev: &str, next: &str) -> &'static str {
    let hyphen = prev.ends_with(['-', '\u{2010}', '\u{00AD}'])
        && prev.chars().rev().nth(1).is_some_and(char::is_alphanumeric);
    if hyphen && next.starts_with(char::is_alphanumeric) {
        ""
    } else {
        " "
    }
}

/// Whether the hyphen ending `prev` breaks one word that goes on in
/// `next`: a soft hyphen always does; a hyphen does between two lower-case
/// letters (`en-` / `ables`); after a capital or digit, or before one, it is
/// part of a compound or name and stays (`GPT-` / `4.1`).
fn ends_in_broken_word(prev: &str, next: &str) -> bool {
    if !joiner(prev, next).is_empty() {
        return false;
    }
    if prev.ends_with('\u{00AD}') {
        return true;
    }
    let before = prev.chars().rev().nth(1);
    let after = next.chars().next();
    before.is_some_and(char::is_lowercase) && after.is_some_and(char::is_lowercase)
}

/// A glyph's text as copy: ligatures spelled out, control characters
/// dropped.
fn push_glyph(text: &mut String, glyph: &str) {
    for c in glyph.chars() {
        match c {
            '\u{FB00}' => text.push_str("ff"),
            '\u{FB01}' => text.push_str("fi"),
            '\u{FB02}' => text.push_str("fl"),
            '\u{FB03}' => text.push_str("ffi"),
            '\u{FB04}' => text.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => text.push_str("st"),
            c if c.is_control() => {
                if c == '\t' || c == '\n' || c == '\r' {
                    text.push(' ');
                }
            }
            c => text.push(c),
        }
    }
}

impl PageText {
    /// Starts page `page` (numbered from 1), `height` points high.
    pub fn begin_page(&mut self, page: u32, height: f64) {
        self.pages += 1;
        self.page_height = height;
        self.runs.clear();
        self.pending = 0;
        self.builder.start_unit(Unit::Page(page));
    }

    /// Ends the page; false when the document's text is now over budget.
    pub fn end_page(&mut self) -> bool {
        self.flush_page();
        self.pending = 0;
        if self.builder.len() > self.budget {
            self.over_budget = true;
        }
        !self.over_budget
    }

    /// Whether the text, the open page's included, grew past its budget.
    pub fn over_budget(&self) -> bool {
        self.over_budget
    }

    /// A glyph whose origin is at `(x, y)` on the page (y up), `size`
    /// points high, `width` ems wide, drawing `glyph`.
    pub fn glyph(&mut self, x: f64, y: f64, size: f64, width: f64, glyph: &str) {
        // The glyph's origin with y growing down the page, in a frame
        // turned with the baseline, so that turned text reads along it.
        let (x, y) = if self.angle == 0 {
            (x, self.page_height - y)
        } else {
            let (sin, cos) = f64::from(self.angle).to_radians().sin_cos();
            (x * cos + y * sin, x * sin - y * cos)
        };
        if !(x.is_finite() && y.is_finite() && size.is_finite()) {
            return;
        }
        let end = x + width * size;
        self.pending += glyph.len();
        if self.new_run {
            self.pending += std::mem::size_of::<Run>();
        }
        if self.builder.len() + self.pending > self.budget {
            self.over_budget = true;
        }
        match self.runs.last_mut() {
            Some(run) if !self.new_run => {
                push_glyph(&mut run.text, glyph);
                run.end = end;
            }
            _ => {
                let mut text = String::new();
                push_glyph(&mut text, glyph);
                self.runs.push(Run {
                    x,
                    y,
                    end,
                    size,
                    angle: self.angle,
                    text,
                });
            }
        }
        self.new_run = false;
    }

    /// The next glyph starts a run (a string the page shows).
    pub fn begin_word(&mut self) {
        self.new_run = true;
    }

    /// The direction `(dx, dy)` of the baseline of the glyphs to come, on
    /// the page (y up), to whole degrees; within 3 degrees of a quarter
    /// turn, that turn (a page scanned a little askew is still level).
    pub fn direction(&mut self, dx: f64, dy: f64) {
        let degrees = dy.atan2(dx).to_degrees();
        if !degrees.is_finite() {
            self.angle = 0;
            return;
        }
        let quarter = (degrees / 90.0).round() * 90.0;
        let degrees = if (degrees - quarter).abs() <= 3.0 {
            quarter
        } else {
            degrees.round()
        };
        self.angle = degrees.rem_euclid(360.0) as u16 % 360;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(y: f64, text: &str) -> Line {
        Line {
            x: 0.0,
            y,
            size: 10.0,
            angle: 0,
            text: text.into(),
        }
    }

    #[test]
    fn right_to_left_lines_read_in_reading_order() {
        // As drawn, left to right: the end of the sentence first.
        let drawn = "?םלוכ םולש המ םלוע םולש";
        assert_eq!(
            reading_order(drawn).as_deref(),
            Some("שלום עולם מה שלום כולם?")
        );
        // A Latin word and the number after it are one left-to-right run,
        // kept in its own order inside the sentence.
        assert_eq!(
            reading_order("GPT 2024 הדובע םע").as_deref(),
            Some("עם עבודה GPT 2024")
        );
        // A Latin line with a Hebrew word: only the word turns.
        assert_eq!(
            reading_order("the word םולש here").as_deref(),
            Some("the word שלום here")
        );
        assert_eq!(reading_order("plain Latin"), None);
    }

    #[test]
    fn hyphens_at_line_ends() {
        for (prev, next, joined, broken) in [
            ("It en-", "ables access", "", true),
            ("Built on GPT-", "4.1 today", "", false),
            ("the OpenAI-", "powered agent", "", false),
            ("soft\u{00AD}", "ware", "", true),
            ("a dash -", "then", " ", false),
            ("plain", "next", " ", false),
            ("state-", "Of", "", false),
        ] {
            assert_eq!(joiner(prev, next), joined, "{prev} / {next}");
            assert_eq!(ends_in_broken_word(prev, next), broken, "{prev} / {next}");
        }
    }

    #[test]
    fn paragraphs_by_line_spacing_size_and_bullets() {
        let first = line(100.0, "one");
        assert!(continues(&first, &line(112.0, "two")));
        assert!(!continues(&first, &line(125.0, "far below")));
        assert!(!continues(&first, &line(80.0, "next column")));
        assert!(!continues(&first, &line(112.0, "• item")));
        let heading = Line {
            size: 20.0,
            ..line(80.0, "Heading")
        };
        assert!(!continues(&heading, &first));
    }

    #[test]
    fn turned_text_reads_along_its_baseline() {
        // An axis label drawn a glyph at a time up the page (a quarter
        // turn), then one down it (three quarters), beside level lines
        // (the last a degree askew).
        let mut text = PageText::new(1 << 20);
        text.begin_page(1, 792.0);
        text.direction(1.0, 0.0);
        text.begin_word();
        text.glyph(100.0, 700.0, 10.0, 2.0, "Level");
        text.direction(0.0, 1.0);
        for (i, c) in ["F", "e", "b", " ", "1", "3"].iter().enumerate() {
            text.begin_word();
            text.glyph(50.0, 100.0 + 5.0 * i as f64, 10.0, 0.5, c);
        }
        text.direction(0.0, -1.0);
        for (i, c) in ["U", "p"].iter().enumerate() {
            text.begin_word();
            text.glyph(400.0, 500.0 - 5.0 * i as f64, 10.0, 0.5, c);
        }
        // A word a third of a turn up, as chart labels are drawn.
        text.direction(0.5, 0.866);
        for (i, c) in ["M", "a", "y"].iter().enumerate() {
            text.begin_word();
            text.glyph(
                300.0 + 2.5 * i as f64,
                300.0 + 4.33 * i as f64,
                10.0,
                0.5,
                c,
            );
        }
        text.direction(1.0, 0.02);
        text.begin_word();
        text.glyph(100.0, 690.0, 10.0, 2.0, "line");
        text.end_page();
        let doc = text.finish();
        let paragraphs: Vec<&str> = doc.text.lines().collect();
        assert_eq!(paragraphs, ["Level", "Feb 13", "Up", "May", "line"]);
    }

    #[test]
    fn a_page_over_the_budget_stops_before_it_ends() {
        let mut text = PageText::new(1000);
        text.begin_page(1, 792.0);
        for i in 0..10 {
            text.begin_word();
            text.glyph(f64::from(i) * 10.0, 700.0, 12.0, 0.5, "a");
        }
        assert!(!text.over_budget());
        for i in 0..100 {
            text.begin_word();
            text.glyph(f64::from(i) * 10.0, 700.0, 12.0, 0.5, "a");
        }
        assert!(text.over_budget());
        assert!(!text.end_page());
    }

    #[test]
    fn runs_on_one_baseline_are_parted_by_gaps_and_jumps_back() {
        let run = |x: f64, end: f64, text: &str| Run {
            x,
            y: 100.0,
            end,
            size: 10.0,
            angle: 0,
            text: text.into(),
        };
        let joined = |runs: Vec<Run>| {
            let lines = lines(runs);
            assert_eq!(lines.len(), 1, "{lines:?}");
            lines[0].text.clone()
        };
        // Kerned pieces of a word touch or overlap a little: no space.
        assert_eq!(
            joined(vec![run(0.0, 20.0, "the"), run(19.5, 40.0, "se")]),
            "these"
        );
        // A gap parts them.
        assert_eq!(
            joined(vec![run(0.0, 20.0, "the"), run(23.0, 40.0, "se")]),
            "the se"
        );
        // Columns drawn line by line: the third column's words, then the
        // second's, further left, on the same baseline.
        assert_eq!(
            joined(vec![
                run(0.0, 150.0, "first column"),
                run(400.0, 560.0, "would meet"),
                run(220.0, 380.0, "You are"),
            ]),
            "first column would meet You are"
        );
    }

    #[test]
    fn ligatures_are_letters() {
        let mut s = String::new();
        push_glyph(&mut s, "\u{FB01}nd \u{FB02}ow e\u{FB03}cient\u{0}");
        assert_eq!(s, "find flow efficient");
    }
}
