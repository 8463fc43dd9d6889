//! Markdown extraction through pulldown-cmark.
//!
//! Prose is the text of paragraphs, headings, list items, block quotes,
//! table cells and footnotes, with emphasis and links joined into their
//! block; an image's alt text is prose set apart from the words around it,
//! as renderers show it; YAML front matter values are prose too. Where
//! GitHub reads a construct differently from pulldown-cmark (a table
//! header without a leading pipe inside a paragraph, a footnote label with
//! spaces), the text is read as GitHub renders it. HTML blocks go through
//! the HTML extractor; inline HTML follows the same rules (inline elements
//! join, `<code>` and `<script>` hide their text, `alt` and `title` are
//! blocks of their own). Code (blocks and inline), link destinations and
//! autolinks are not prose: inline code becomes a barrier no phrase can
//! span, except a model's id (`openai.gpt-5`), which is a word that only
//! claim rules read ("pick `openai.gpt-5` as the model"). Each event's text is aligned with
//! its source range, so escapes and entities map back to the bytes that
//! wrote them.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::entities;
use super::frontmatter;
use super::html::{self, Effect};
use super::normalize::{Block, BlockBuilder};
use super::tables;
use super::{ExtractOptions, Scope};

/// The one set of pulldown-cmark options copylint parses Markdown with:
/// extraction and suppression directives must see the same document.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Calls `f` with each prose block of the Markdown `text` that starts in
/// `scope` (the others are never normalized), and returns the ranges of
/// code met on the way (code blocks and spans, front matter, and `<pre>`,
/// `<code>` or `<script>` in HTML blocks; only up to the scope's last part
/// if it is [`Scope::prose_only`]): what this reading of the file calls
/// code, where a comment is an example, not a directive.
///
/// In MDX (`mdx`), indented code does not exist: text indented under a JSX
/// element is prose.
pub fn extract(
    original: &str,
    options: ExtractOptions,
    mdx: bool,
    scope: Scope,
    f: &mut dyn FnMut(&Block),
) -> Vec<Range<usize>> {
    // Blocks built elsewhere (HTML blocks, front matter) are left out here.
    let f = &mut |block: &Block| {
        if scope.keeps(block.map.start(0)) {
            f(block)
        }
    };
    // Nothing after the last part is wanted, and what is before it reads
    // the same without what follows: no block crosses a chunk, and only a
    // definition (`[label]: …`, `[^note]: …`) reaches back.
    let end = scope.end(original.len());
    let end = if memchr::memmem::find(&original.as_bytes()[end..], b"]:").is_some() {
        original.len()
    } else {
        end
    };
    let shifted = tables::split_pipeless(&original[..end]);
    let text: &str = &shifted.text;
    let at = |o: usize| shifted.original(o);
    let map = |r: std::ops::Range<usize>| at(r.start)..at(r.end);
    let mut w = Walker {
        scope,
        ..Walker::default()
    };
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Emphasis | Tag::Strong | Tag::Strikethrough => {}
                Tag::Image { .. } => w.push_space(at(range.start)..at(range.start)),
                Tag::FootnoteDefinition(label) if label.contains(char::is_whitespace) => {
                    w.flush(f);
                    let definition = &text[range.clone()];
                    w.label_opens_paragraph = match definition.find("]:") {
                        Some(end) => {
                            let label = &definition[..end + 2];
                            if let Some(b) = w.builder(at(range.start)) {
                                push_aligned(b, label, label, at(range.start));
                            }
                            true
                        }
                        None => false,
                    };
                }
                Tag::Paragraph if std::mem::take(&mut w.label_opens_paragraph) => {
                    w.push_space(at(range.start)..at(range.start));
                }
                Tag::Link { link_type, .. } => {
                    let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    w.skip += usize::from(autolink);
                    w.links.push(autolink);
                }
                Tag::CodeBlock(kind) if mdx && matches!(kind, CodeBlockKind::Indented) => {
                    w.code_as_prose = true;
                    w.flush(f)
                }
                Tag::CodeBlock(_) if options.check_code => {
                    w.code.push(map(range));
                    w.code_as_prose = true;
                    w.flush(f)
                }
                Tag::HtmlBlock => {
                    w.flush(f);
                    let skipped = html::extract(original, map(range), f);
                    w.code.extend(skipped);
                    w.skip += 1;
                }
                Tag::CodeBlock(_) => {
                    w.code.push(map(range));
                    w.flush(f);
                    w.skip += 1;
                }
                Tag::MetadataBlock(_) => {
                    w.code.push(map(range));
                    w.flush(f);
                    w.in_metadata = true;
                }
                Tag::Table(_) => {
                    w.flush(f);
                    w.table = Some(Table::default());
                }
                Tag::TableHead => {
                    w.flush(f);
                    if let Some(t) = &mut w.table {
                        t.in_head = true;
                        t.column = 0;
                    }
                }
                Tag::TableRow => {
                    w.flush(f);
                    if let Some(t) = &mut w.table {
                        t.column = 0;
                        t.row = None;
                        t.cells.clear();
                    }
                }
                _ => w.flush(f),
            },
            Event::End(tag) => w.end(tag, at(range.end), f),
            Event::Text(content) => {
                if w.in_metadata {
                    // The original text: a line inserted before a table
                    // header (see `tables`) is no part of the YAML.
                    frontmatter::extract(&original[map(range.clone())], at(range.start), f);
                } else if w.skip + w.html_skip == 0
                    && let Some(b) = w.builder(at(range.start))
                {
                    push_aligned(b, &content, &text[range.clone()], at(range.start));
                }
            }
            Event::Code(code) if options.check_code && w.skip + w.html_skip == 0 => {
                w.code.push(map(range.clone()));
                if let Some(b) = w.builder(at(range.start)) {
                    push_aligned(b, &code, &text[range.clone()], at(range.start));
                }
            }
            Event::Code(code) if w.skip + w.html_skip == 0 && model_id(&code).is_some() => {
                w.code.push(map(range.clone()));
                let raw = &text[range.clone()];
                if let Some(id) = model_id(&code)
                    && let Some(off) = raw.find(id)
                    && let Some(b) = w.builder(at(range.start))
                {
                    // The id alone, as a word; the rest of the span
                    // (`model_id="…"`) stays a barrier.
                    if off > 1 {
                        b.push_barrier(map(range.start..range.start + off));
                    }
                    b.push_str(id, at(range.start + off));
                    b.mark_code(id.len());
                }
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                w.code.push(map(range.clone()));
                if w.skip + w.html_skip == 0
                    && let Some(b) = w.builder(at(range.start))
                {
                    b.push_barrier(map(range));
                }
            }
            Event::SoftBreak | Event::HardBreak => w.push_space(map(range)),
            Event::Rule => w.flush(f),
            Event::InlineHtml(_) => {
                let range = map(range);
                for (effect, start) in html::tags(original, range.clone(), f) {
                    match effect {
                        Effect::Skip(_) if start => {
                            if w.html_skip == 0
                                && w.skip == 0
                                && let Some(b) = w.builder(range.start)
                            {
                                b.push_barrier(range.clone());
                            }
                            w.html_skip += 1;
                        }
                        Effect::Skip(_) => w.html_skip = w.html_skip.saturating_sub(1),
                        Effect::Block | Effect::Separator => w.push_space(range.clone()),
                        Effect::Inline => {}
                    }
                }
            }
            Event::Html(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    w.flush(f);
    w.code
}

/// The state of one extraction.
#[derive(Default)]
struct Walker<'a> {
    builder: BlockBuilder,
    /// The blocks to build, and whether the one being built is one of them
    /// (decided by its first piece).
    scope: Scope<'a>,
    in_scope: Option<bool>,
    /// Depth of containers whose text is not prose (code, HTML, autolinks).
    skip: usize,
    /// Depth of inline HTML elements whose text is not prose.
    html_skip: usize,
    in_metadata: bool,
    code_as_prose: bool,
    /// For each open link, whether it is an autolink (its text is a URL).
    links: Vec<bool>,
    /// A footnote label GitHub shows as text opens the paragraph after it.
    label_opens_paragraph: bool,
    /// The code met so far.
    code: Vec<Range<usize>>,
    /// The table being read, if any.
    table: Option<Table>,
}

impl Walker<'_> {
    /// The builder, for a piece of the block at source byte `at`; `None`
    /// when the block starts outside the scope. A block never crosses a
    /// chunk, so its first piece decides for all of it.
    fn builder(&mut self, at: usize) -> Option<&mut BlockBuilder> {
        let scope = self.scope;
        let keep = *self.in_scope.get_or_insert_with(|| scope.keeps(at));
        keep.then_some(&mut self.builder)
    }

    fn push_space(&mut self, src: Range<usize>) {
        if let Some(b) = self.builder(src.start) {
            b.push_space(src);
        }
    }

    fn flush(&mut self, f: &mut dyn FnMut(&Block)) {
        self.in_scope = None;
        if let Some(block) = self.builder.finish() {
            f(block);
        }
    }

    /// Handles the end of `tag`, which ends at source byte `end`.
    fn end(&mut self, tag: TagEnd, end: usize, f: &mut dyn FnMut(&Block)) {
        match tag {
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {}
            TagEnd::Image => self.push_space(end..end),
            TagEnd::Link => {
                if self.links.pop() == Some(true) {
                    self.skip = self.skip.saturating_sub(1);
                }
            }
            TagEnd::CodeBlock if self.code_as_prose => {
                self.code_as_prose = false;
                self.flush(f)
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                self.skip = self.skip.saturating_sub(1);
                self.flush(f);
            }
            TagEnd::MetadataBlock(_) => self.in_metadata = false,
            TagEnd::TableCell => {
                self.end_cell();
                self.flush(f);
            }
            TagEnd::TableRow => {
                self.flush(f);
                // A row's cells are handed out once the row is known: what
                // its other cells say (a third party, a denial) bears on
                // its label.
                if let Some(t) = &mut self.table {
                    let cells = std::mem::take(&mut t.cells);
                    for (i, mut cell) in std::mem::take(&mut t.pending).into_iter().enumerate() {
                        if i == 0 && cell.row.is_none() && !cell.heading {
                            cell.row_cells = cells.clone();
                        }
                        f(&cell);
                    }
                }
            }
            TagEnd::TableHead => {
                self.flush(f);
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            TagEnd::Table => {
                self.flush(f);
                self.table = None;
            }
            _ => self.flush(f),
        }
    }

    /// Records what a table cell's text is to the cells after it, and
    /// gives the cell its headers.
    fn end_cell(&mut self) {
        let Some(t) = &mut self.table else { return };
        let text = self.builder.text().trim().to_string();
        if t.in_head {
            self.builder.set_table(None, None, true);
            t.headers.push(text);
            t.column += 1;
            return;
        }
        // Every cell of the row so far, each after its header.
        let header = t.headers.get(t.column).map_or("", |h| h.as_str());
        let cells = format!("{} {header} {text};", t.cells);
        if t.column == 0 {
            self.builder
                .set_table(Some(t.headers.join(" | ")), None, false);
            t.row = Some(text);
        } else {
            // A table whose only header is its first ("| Stateful Runtime
            // at a glance | |") is titled by it: the title heads each column.
            let titled = t.headers.first().is_some_and(|h| !h.is_empty())
                && t.headers.iter().skip(1).all(String::is_empty);
            let column = match t.headers.get(t.column) {
                Some(h) if h.is_empty() && titled => Some(t.headers[0].clone()),
                h => h.cloned(),
            };
            self.builder.set_table(column, t.row.clone(), false);
            self.builder.set_row_cells(std::mem::take(&mut t.cells));
        }
        t.cells = cells;
        t.column += 1;
        self.in_scope = None;
        if let Some(cell) = self.builder.finish() {
            t.pending.push(cell.clone());
        }
    }
}

/// Where the walker is in a table.
#[derive(Default)]
struct Table {
    headers: Vec<String>,
    in_head: bool,
    column: usize,
    /// The current row's first cell.
    row: Option<String>,
    /// The current row's cells so far, each after its header.
    cells: String,
    /// The row's cells, handed out at the row's end.
    pending: Vec<Block>,
}

/// Appends event text `content`, which pulldown-cmark produced from
/// `source` (starting at byte `base`): identical text maps byte for byte;
/// backslash escapes and entities map to the whole escape.
fn push_aligned(builder: &mut BlockBuilder, content: &str, source: &str, base: usize) {
    if content == source {
        builder.push_str(content, base);
        return;
    }
    let mut i = 0;
    let mut j = 0;
    while i < content.len() {
        let c = content[i..].chars().next().unwrap_or_default();
        let rest = &source[j..];
        if rest.starts_with(c) {
            builder.push_str(&content[i..i + c.len_utf8()], base + j);
            i += c.len_utf8();
            j += c.len_utf8();
        } else if rest.starts_with('\\') && rest[1..].starts_with(c) {
            let len = 1 + c.len_utf8();
            builder.push_replaced(&content[i..i + c.len_utf8()], base + j..base + j + len);
            i += c.len_utf8();
            j += len;
        } else if let Some(semi) = entities::reference_end(rest) {
            builder.push_replaced(&content[i..i + c.len_utf8()], base + j..base + j + semi + 1);
            i += c.len_utf8();
            j += semi + 1;
        } else {
            // Unexpected shape: map the rest as a whole rather than guess.
            builder.push_replaced(&content[i..], base + j..base + source.len());
            return;
        }
    }
}

/// Longest inline code read as a model's id.
const MAX_MODEL_ID: usize = 64;

/// The model id an inline code span names (`openai.gpt-5`, `gpt-4o`,
/// `model_id="openai.gpt-5"`): one word of lower-case letters, digits and
/// `.-:/`, with a letter and a digit, after any `name=`.
fn model_id(code: &str) -> Option<&str> {
    let value = code.rsplit('=').next()?.trim().trim_matches(['"', '\'']);
    let id_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-:/".contains(c);
    let id = (2..=MAX_MODEL_ID).contains(&value.len())
        && value.chars().all(id_char)
        && value.contains(|c: char| c.is_ascii_lowercase())
        && value.contains(|c: char| c.is_ascii_digit());
    id.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        extract(md, ExtractOptions::default(), false, Scope::ALL, &mut |b| {
            out.push(b.clone())
        });
        out.into_iter()
            .map(|b| {
                let words = b
                    .text
                    .match_indices(|c: char| c.is_alphanumeric())
                    .map(|(i, _)| md[b.source_range(i..i + 1)].to_string())
                    .collect();
                (b.text, words)
            })
            .collect()
    }

    fn texts(md: &str) -> Vec<String> {
        blocks(md).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn joins_inline_markup_and_soft_breaks() {
        assert_eq!(
            texts("**Enables** access\nto [Chat*GPT*](/x 'title').\n"),
            ["enables access to chatgpt."]
        );
    }

    #[test]
    fn separates_blocks() {
        assert_eq!(
            texts("# Title\n\n- one\n- two\n\n> quote\n\n| a | b |\n|---|---|\n| c | d |\n"),
            ["title", "one", "two", "quote", "a", "b", "c", "d"]
        );
    }

    #[test]
    fn skips_code_and_autolinks() {
        let md = "```\nenables access to\n```\n\n    indented code\n\nsee `code` and <https://x.example/> and <!-- c --> end\n";
        assert_eq!(
            texts(md),
            [format!("see {0} and and end", super::super::BARRIER)]
        );
    }

    #[test]
    fn html_is_prose_under_the_html_rules() {
        let md = "<div class=\"hero\">The SRE enables access</div>\n\n<pre>\nhidden\n</pre>\n\nIt <strong>en</strong>ables <code>x y</code> <img alt=\"Alt words\"> and<br>more <script>no</script>end.\n";
        assert_eq!(
            texts(md),
            [
                "the sre enables access".to_string(),
                "alt words".to_string(),
                format!("it enables {0} and more {0} end.", super::super::BARRIER),
            ]
        );
        let got = blocks("<p>caf&eacute; <b>x</b></p>\n");
        assert_eq!(got[0].1, ["c", "a", "f", "&eacute;", "x"]);
    }

    #[test]
    fn entities_and_escapes_map_to_their_source() {
        let md = "A&amp;B \\*x\\* caf&eacute;";
        let got = blocks(md);
        assert_eq!(got[0].0, "a&b *x* café");
        assert_eq!(got[0].1, ["A", "B", "x", "c", "a", "f", "&eacute;"]);
    }

    #[test]
    fn front_matter_values_are_prose() {
        let md = "---\ntitle: Calls on ChatGPT\n---\n\nBody.\n";
        assert_eq!(texts(md), ["calls on chatgpt", "body."]);
    }

    #[test]
    fn front_matter_maps_to_its_own_text() {
        // A table header without a leading pipe is set apart from the line
        // before it by an inserted line; front matter is read as written.
        for (text, words) in blocks("---\n\"\nc|OpenAI\n-|-\n---\n") {
            let letters: String = text.chars().filter(|c| c.is_alphanumeric()).collect();
            assert_eq!(letters, words.concat().to_lowercase(), "{text}");
        }
    }

    #[test]
    fn image_alt_and_footnotes_are_prose() {
        let md = "![Alt text](a.png)\n\nText[^1].\n\n[^1]: Foot note.\n";
        assert_eq!(texts(md), ["alt text", "text.", "foot note."]);
    }
}
