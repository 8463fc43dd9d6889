//! Markdown extraction through pulldown-cmark.
//!
//! Prose is the text of paragraphs, headings, list items, block quotes,
//! table cells and footnotes, with emphasis, links and image alt text joined
//! into their block; YAML front matter values are prose too. HTML blocks go
//! through the HTML extractor; inline HTML follows the same rules (inline
//! elements join, `<code>` and `<script>` hide their text, `alt` and
//! `title` are blocks of their own). Code (blocks and inline), link
//! destinations and autolinks are not prose: inline code becomes a barrier
//! no phrase can span. Each event's text is aligned with
//! its source range, so escapes and entities map back to the bytes that
//! wrote them.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::ExtractOptions;
use super::frontmatter;
use super::html::{self, Effect};
use super::normalize::{Block, BlockBuilder};

/// The one set of pulldown-cmark options copylint parses Markdown with:
/// extraction and suppression directives must see the same document.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Calls `f` with each prose block of the Markdown `text`.
///
/// In MDX (`mdx`), indented code does not exist: text indented under a JSX
/// element is prose.
pub fn extract(text: &str, options: ExtractOptions, mdx: bool, f: &mut dyn FnMut(&Block)) {
    let mut builder = BlockBuilder::default();
    // Depth of containers whose text is not prose (code, HTML, autolinks).
    let mut skip = 0usize;
    // Depth of inline HTML elements whose text is not prose.
    let mut html_skip = 0usize;
    let mut in_metadata = false;
    let mut code_as_prose = false;
    // For each open link, whether it is an autolink (its text is a URL).
    let mut links: Vec<bool> = Vec::new();
    let flush = |builder: &mut BlockBuilder, f: &mut dyn FnMut(&Block)| {
        if let Some(block) = builder.finish() {
            f(block);
        }
    };
    for (event, range) in Parser::new_ext(text, parser_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => match tag {
                Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Image { .. } => {}
                Tag::Link { link_type, .. } => {
                    let autolink = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    skip += usize::from(autolink);
                    links.push(autolink);
                }
                Tag::CodeBlock(kind)
                    if options.check_code || (mdx && matches!(kind, CodeBlockKind::Indented)) =>
                {
                    code_as_prose = true;
                    flush(&mut builder, f)
                }
                Tag::HtmlBlock => {
                    flush(&mut builder, f);
                    html::extract(text, range, f);
                    skip += 1;
                }
                Tag::CodeBlock(_) => {
                    flush(&mut builder, f);
                    skip += 1;
                }
                Tag::MetadataBlock(_) => {
                    flush(&mut builder, f);
                    in_metadata = true;
                }
                _ => flush(&mut builder, f),
            },
            Event::End(tag) => match tag {
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Image => {}
                TagEnd::Link => {
                    if links.pop() == Some(true) {
                        skip = skip.saturating_sub(1);
                    }
                }
                TagEnd::CodeBlock if code_as_prose => {
                    code_as_prose = false;
                    flush(&mut builder, f)
                }
                TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                    skip = skip.saturating_sub(1);
                    flush(&mut builder, f);
                }
                TagEnd::MetadataBlock(_) => in_metadata = false,
                _ => flush(&mut builder, f),
            },
            Event::Text(content) => {
                if in_metadata {
                    frontmatter::extract(&text[range.clone()], range.start, f);
                } else if skip + html_skip == 0 {
                    push_aligned(&mut builder, &content, &text[range.clone()], range.start);
                }
            }
            Event::Code(code) if options.check_code && skip + html_skip == 0 => {
                push_aligned(&mut builder, &code, &text[range.clone()], range.start);
            }
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                if skip + html_skip == 0 {
                    builder.push_barrier(range);
                }
            }
            Event::SoftBreak | Event::HardBreak => builder.push_space(range),
            Event::Rule => flush(&mut builder, f),
            Event::InlineHtml(_) => {
                for (effect, start) in html::tags(text, range.clone(), f) {
                    match effect {
                        Effect::Skip(_) if start => {
                            if html_skip == 0 && skip == 0 {
                                builder.push_barrier(range.clone());
                            }
                            html_skip += 1;
                        }
                        Effect::Skip(_) => html_skip = html_skip.saturating_sub(1),
                        Effect::Block | Effect::Separator => builder.push_space(range.clone()),
                        Effect::Inline => {}
                    }
                }
            }
            Event::Html(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    flush(&mut builder, f);
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
        } else if let Some(semi) = entity_end(rest) {
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

/// If `s` starts with an HTML entity (`&name;`, `&#123;`, `&#x1F;`), the
/// offset of its `;`.
fn entity_end(s: &str) -> Option<usize> {
    let body = s.strip_prefix('&')?;
    let semi = body.find(';')?;
    let name = &body[..semi];
    let ok = !name.is_empty()
        && name.len() <= 32
        && (name.bytes().all(|b| b.is_ascii_alphanumeric())
            || name
                .strip_prefix('#')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric())));
    ok.then_some(semi + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        extract(md, ExtractOptions::default(), false, &mut |b| {
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
    fn image_alt_and_footnotes_are_prose() {
        let md = "![Alt text](a.png)\n\nText[^1].\n\n[^1]: Foot note.\n";
        assert_eq!(texts(md), ["alt text", "text.", "foot note."]);
    }
}
