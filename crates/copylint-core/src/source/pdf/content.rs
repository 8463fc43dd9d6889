//! PDF page content to glyphs: runs each page's content stream (and the
//! form XObjects it draws) through the text operators, and hands every
//! glyph, placed on the page, to the [`PageText`] layout.
//!
//! Content streams are read by [`lexer`](super::lexer); this module keeps the graphics
//! and text state (`q`/`Q`, `cm`, `BT`, `Tf`, `Td`/`TD`/`Tm`/`T*`, `TL`,
//! `Tc`, `Tw`, `Tz`, `Ts`) and shows strings (`Tj`, `TJ`, `'`, `"`).
//! Fonts come from [`Fonts`], read once per document, and a form drawn
//! more than once is inflated once. After a page's content, the
//! appearances of its annotations ([`annotations`]) are drawn, as viewers
//! show and print them. Paths, colours and clipping are skipped: only
//! where text lands matters. Each image a page draws (an image XObject
//! painted with `Do`, directly or in a form, or an inline image) is
//! recorded as [`Painted`], so that pictures on pages with text can be
//! counted and, with OCR, read.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::annotations;
use super::checks::{self, MAX_DEPTH};
use super::fonts::{Font, Fonts, number};
use super::layout::PageText;
use super::lexer::{self, Operand, Operations};

/// The most drawing steps one document may take: each operator run, each
/// glyph shown and each byte of a form's content read when it is drawn
/// is a step. A bound on the work that forms drawing forms many times
/// over can ask for.
pub const MAX_STEPS: u64 = 50_000_000;

/// The height of a page that gives no media box: US Letter, 11 inches.
const LETTER_HEIGHT: f64 = 792.0;

/// Why extraction stopped.
#[derive(Debug)]
pub enum Stop {
    /// A page that cannot be read, and why.
    Page(u32, String),
    /// More text than the document may hold.
    OverBudget,
    /// More than [`MAX_STEPS`] drawing steps.
    TooMuchWork,
}

/// The most images one document's drawings are recorded for; those past
/// it are neither counted nor read.
pub const MAX_PAINTED: usize = 10_000;

/// An image a page draws (which, and how, matters to OCR only).
#[derive(Debug)]
#[cfg_attr(not(feature = "ocr"), allow(dead_code))]
pub enum Drawn {
    /// An image XObject, painted with `Do`.
    XObject(ObjectId),
    /// An inline image: as a stream, when pictures are kept for OCR.
    Inline(Option<lopdf::Stream>),
}

/// An image drawn on a page (from 1).
#[derive(Debug)]
pub struct Painted {
    pub page: u32,
    #[cfg_attr(not(feature = "ocr"), allow(dead_code))]
    pub image: Drawn,
}

/// A transformation matrix `[a b c d e f]`, as PDF writes them.
pub type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`: the matrix that applies `m`, then `n`.
fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// `m` moved by `(x, y)` in its own space.
fn translate(m: &Matrix, x: f64, y: f64) -> Matrix {
    let mut t = *m;
    t[4] += x * m[0] + y * m[2];
    t[5] += x * m[1] + y * m[3];
    t
}

/// The graphics state the text depends on; `q` saves it, `Q` restores it.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    /// Horizontal scaling, 1 for 100%.
    scaling: f64,
    leading: f64,
    rise: f64,
}

impl Default for State {
    fn default() -> State {
        State {
            ctm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scaling: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// The text matrix and the start of its line.
struct Text {
    matrix: Matrix,
    line: Matrix,
}

/// Extracts the text of `pages` (in order, numbered from 1) into `out`,
/// and records the images they draw in `painted`; with `keep_inline`, an
/// inline image's parameters and data are kept too.
pub fn extract(
    doc: &Document,
    pages: &[ObjectId],
    out: &mut PageText,
    painted: &mut Vec<Painted>,
    keep_inline: bool,
) -> Result<(), Stop> {
    let mut reader = Reader {
        doc,
        fonts: Fonts::default(),
        forms: HashMap::new(),
        out,
        work: 0,
        page: 0,
        painted,
        keep_inline,
    };
    for (page, id) in (1u32..).zip(pages) {
        reader.page = page;
        // A page without a usable media box is US Letter, as poppler
        // reads it.
        let height = media_height(doc, *id).unwrap_or(LETTER_HEIGHT);
        reader.out.begin_page(page, height);
        let data = doc
            .get_page_content(*id)
            .map_err(|e| Stop::Page(page, e.to_string()))?;
        let resources = checks::page_resources(doc, *id);
        reader.run(&lexer::operations(&data), resources, State::default(), 0)?;
        for (form, ctm) in annotations::appearances(doc, *id) {
            // A step each, even when its appearance is empty.
            reader.count(1)?;
            let state = State {
                ctm,
                ..State::default()
            };
            reader.draw(form, None, &state, 0)?;
        }
        if !reader.out.end_page() {
            return Err(Stop::OverBudget);
        }
    }
    Ok(())
}

/// The height of a page's media box, inherited from its parents.
fn media_height(doc: &Document, page: ObjectId) -> Option<f64> {
    let mut at = doc.get_dictionary(page).ok()?;
    for _ in 0..MAX_DEPTH {
        if let Ok(mediabox) = at.get_deref(b"MediaBox", doc) {
            let corners: Vec<f64> = mediabox
                .as_array()
                .ok()?
                .iter()
                .filter_map(number)
                .collect();
            return match corners[..] {
                [_, lly, _, ury] if (ury - lly).is_finite() => Some(ury - lly),
                _ => None,
            };
        }
        at = at.get_deref(b"Parent", doc).ok()?.as_dict().ok()?;
    }
    None
}

struct Reader<'a, 'o> {
    doc: &'a Document,
    fonts: Fonts,
    /// The content of form XObjects already inflated.
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
    out: &'o mut PageText,
    /// Drawing steps taken so far.
    work: u64,
    /// The page being drawn.
    page: u32,
    painted: &'o mut Vec<Painted>,
    keep_inline: bool,
}

/// The numeric operands of an operator; missing or other ones are 0.
fn operands<const N: usize>(given: &[Operand]) -> [f64; N] {
    let mut values = [0.0; N];
    for (value, operand) in values.iter_mut().zip(given) {
        *value = operand.number().unwrap_or(0.0);
    }
    values
}

impl Reader<'_, '_> {
    fn count(&mut self, n: u64) -> Result<(), Stop> {
        self.work += n;
        if self.work > MAX_STEPS {
            return Err(Stop::TooMuchWork);
        }
        Ok(())
    }

    /// Runs `ops` with `resources`, from `state`; `depth` forms deep.
    fn run(
        &mut self,
        ops: &Operations,
        resources: Option<&Dictionary>,
        mut state: State,
        depth: usize,
    ) -> Result<(), Stop> {
        let mut saved: Vec<State> = Vec::new();
        let mut text = Text {
            matrix: IDENTITY,
            line: IDENTITY,
        };
        self.count(ops.list.len() as u64)?;
        for op in &ops.list {
            let given = ops.of(op);
            match op.operator {
                b"q" => saved.push(state.clone()),
                b"Q" => state = saved.pop().unwrap_or(state),
                b"cm" => state.ctm = multiply(&operands::<6>(given), &state.ctm),
                b"BT" => {
                    text.matrix = IDENTITY;
                    text.line = IDENTITY;
                }
                b"Tf" => {
                    state.font = given
                        .first()
                        .and_then(Operand::name)
                        .and_then(|name| self.font(resources, name));
                    state.size = given.get(1).and_then(Operand::number).unwrap_or(0.0);
                }
                b"Tc" => state.char_spacing = operands::<1>(given)[0],
                b"Tw" => state.word_spacing = operands::<1>(given)[0],
                b"Tz" => state.scaling = operands::<1>(given)[0] / 100.0,
                b"TL" => state.leading = operands::<1>(given)[0],
                b"Ts" => state.rise = operands::<1>(given)[0],
                b"Td" => {
                    let [x, y] = operands(given);
                    text.next_line(x, y);
                }
                b"TD" => {
                    let [x, y] = operands(given);
                    state.leading = -y;
                    text.next_line(x, y);
                }
                b"Tm" => {
                    text.line = operands(given);
                    text.matrix = text.line;
                }
                b"T*" => text.next_line(0.0, -state.leading),
                b"Tj" => self.show(&state, &mut text, given.first())?,
                b"'" => {
                    text.next_line(0.0, -state.leading);
                    self.show(&state, &mut text, given.first())?;
                }
                b"\"" => {
                    let [word, char] = operands(given);
                    (state.word_spacing, state.char_spacing) = (word, char);
                    text.next_line(0.0, -state.leading);
                    self.show(&state, &mut text, given.get(2))?;
                }
                b"TJ" => self.show_array(&state, &mut text, given.first())?,
                b"Do" => self.xobject(given, resources, &state, depth)?,
                b"BI" => {
                    let stream = self.keep_inline.then(|| inline_stream(given));
                    self.paint(Drawn::Inline(stream.flatten()));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The font named `name` in `resources`.
    fn font(&mut self, resources: Option<&Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let doc = self.doc;
        let fonts = resources?.get_deref(b"Font", doc).ok()?.as_dict().ok()?;
        let dict = fonts.get_deref(name, doc).ok()?.as_dict().ok()?;
        Some(self.fonts.get(doc, dict))
    }

    /// `TJ`: strings, and numbers that move the next string back (in
    /// thousandths of the font size).
    fn show_array(
        &mut self,
        state: &State,
        text: &mut Text,
        array: Option<&Operand>,
    ) -> Result<(), Stop> {
        let Some(Operand::Array(items)) = array else {
            return Ok(());
        };
        for item in items {
            match item {
                Operand::String(..) => self.show(state, text, Some(item))?,
                other => {
                    let shift = other.number().unwrap_or(0.0);
                    let x = -shift / 1000.0 * state.size * state.scaling;
                    text.matrix = translate(&text.matrix, x, 0.0);
                }
            }
        }
        Ok(())
    }

    /// Shows one string: each glyph goes to the layout at its place on the
    /// page, and the text matrix moves past it.
    fn show(
        &mut self,
        state: &State,
        text: &mut Text,
        string: Option<&Operand>,
    ) -> Result<(), Stop> {
        let (Some(Operand::String(bytes)), Some(font)) = (string, &state.font) else {
            return Ok(());
        };
        self.count(bytes.len() as u64)?;
        let Reader { fonts, out, .. } = self;
        out.begin_word();
        // The baseline's direction, the same for every glyph of the string.
        let m = multiply(&text.matrix, &state.ctm);
        out.direction(m[0], m[1]);
        let (size, scaling) = (state.size, state.scaling);
        fonts.glyphs(font, bytes, |glyph| {
            let m = multiply(&text.matrix, &state.ctm);
            // The text rendering matrix, but for the font size.
            let trm = [
                scaling * m[0],
                scaling * m[1],
                m[2],
                m[3],
                state.rise * m[2] + m[4],
                state.rise * m[3] + m[5],
            ];
            // The scale of the text: on a baseline at an angle, the
            // matrix's area (its rotation leaves that unchanged).
            let scale = if trm[0] != 0.0 && trm[1] != 0.0 {
                trm[0] * trm[3] - trm[1] * trm[2]
            } else {
                (trm[0] + trm[2]) * (trm[1] + trm[3])
            };
            let em = size * scale.abs().sqrt();
            out.glyph(trm[4], trm[5], em, glyph.width, glyph.text);
            let spacing = if glyph.space { state.word_spacing } else { 0.0 };
            let advance = (glyph.width * size + state.char_spacing + spacing) * scaling;
            text.matrix = translate(&text.matrix, advance, 0.0);
        });
        if out.over_budget() {
            return Err(Stop::OverBudget);
        }
        Ok(())
    }

    /// Records an image drawn on the page.
    fn paint(&mut self, image: Drawn) {
        if self.painted.len() < MAX_PAINTED {
            self.painted.push(Painted {
                page: self.page,
                image,
            });
        }
    }

    /// `Do`: records an image XObject, or draws a form XObject, parsed on
    /// first use, with its matrix and its resources (or those it is drawn
    /// with).
    fn xobject(
        &mut self,
        given: &[Operand],
        resources: Option<&Dictionary>,
        state: &State,
        depth: usize,
    ) -> Result<(), Stop> {
        let doc = self.doc;
        let Some(id) = given.first().and_then(Operand::name).and_then(|name| {
            let xobjects = resources?.get_deref(b"XObject", doc).ok()?.as_dict().ok()?;
            xobjects.get(name).ok()?.as_reference().ok()
        }) else {
            return Ok(());
        };
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name) {
            Ok(b"Form") => self.draw(id, resources, state, depth),
            Ok(b"Image") => {
                self.paint(Drawn::XObject(id));
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Draws the form XObject `id` with its matrix and its resources (or
    /// `resources`, those it is drawn with), its content inflated once.
    fn draw(
        &mut self,
        id: ObjectId,
        resources: Option<&Dictionary>,
        state: &State,
        depth: usize,
    ) -> Result<(), Stop> {
        let doc = self.doc;
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        if depth >= MAX_DEPTH {
            return Ok(());
        }
        let content = match self.forms.get(&id) {
            Some(content) => Rc::clone(content),
            None => {
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                let content = Rc::new(data);
                self.forms.insert(id, Rc::clone(&content));
                content
            }
        };
        let matrix = form_matrix(stream);
        let own = stream
            .dict
            .get_deref(b"Resources", doc)
            .ok()
            .and_then(|r| r.as_dict().ok());
        self.count(content.len() as u64)?;
        let mut inner = state.clone();
        inner.ctm = multiply(&matrix, &state.ctm);
        self.run(
            &lexer::operations(&content),
            own.or(resources),
            inner,
            depth + 1,
        )
    }
}

/// An inline image's parameters (their abbreviations written out) and
/// data as a stream; `None` in a build that does not read images.
#[cfg(feature = "ocr")]
fn inline_stream(given: &[Operand]) -> Option<lopdf::Stream> {
    Some(super::images::inline_stream(given))
}

#[cfg(not(feature = "ocr"))]
fn inline_stream(_: &[Operand]) -> Option<lopdf::Stream> {
    None
}

/// A form XObject's `Matrix`, the identity when it has none.
pub fn form_matrix(stream: &lopdf::Stream) -> Matrix {
    stream
        .dict
        .get(b"Matrix")
        .and_then(Object::as_array)
        .map(|m| {
            let mut matrix = IDENTITY;
            for (value, n) in matrix.iter_mut().zip(m.iter().filter_map(number)) {
                *value = n;
            }
            matrix
        })
        .unwrap_or(IDENTITY)
}

impl Text {
    /// `Td`: the start of the next line, `(x, y)` from this one's.
    fn next_line(&mut self, x: f64, y: f64) {
        self.line = translate(&self.line, x, y);
        self.matrix = self.line;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrices_apply_left_to_right() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        // Scaled, then shifted: the origin lands on the shift.
        assert_eq!(multiply(&scale, &shift)[4..], [10.0, 20.0]);
        // Shifted, then scaled: the shift doubles.
        assert_eq!(multiply(&shift, &scale)[4..], [20.0, 40.0]);
        assert_eq!(translate(&scale, 1.0, 1.0)[4..], [2.0, 2.0]);
    }
}
