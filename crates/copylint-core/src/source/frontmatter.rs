//! YAML front matter: the string values of a Markdown file's metadata.
//!
//! Titles and descriptions are copy; keys are not. This reads the subset of
//! YAML that front matter uses in practice (`key: value`, quoted and plain
//! scalars, `- item` lists, `[a, b]` flow lists, `|` and `>` block scalars)
//! and keeps each value's exact source position, which no general YAML
//! parser exposes for scalar contents. Anything it does not understand
//! (flow mappings, anchors, aliases) is skipped, never misreported.

use super::normalize::{Block, BlockBuilder};

/// Calls `f` with one block per string value of the YAML in `yaml`, which
/// starts at byte `base` of the source.
pub fn extract(yaml: &str, base: usize, f: &mut dyn FnMut(&Block)) {
    let mut scalar_block: Option<(usize, BlockBuilder)> = None;
    let mut offset = base;
    for line in yaml.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let trimmed = content.trim();

        if let Some((key_indent, builder)) = scalar_block.as_mut() {
            if trimmed.is_empty() {
                builder.push_space(start..start);
                continue;
            }
            if indent > *key_indent {
                builder.push_str(&line[indent..], start + indent);
                continue;
            }
            if let Some(block) = builder.finish() {
                f(block);
            }
            scalar_block = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" || trimmed == "..." {
            continue;
        }

        // Strip list markers: "- value", "- key: value".
        let mut at = indent;
        while content[at..].starts_with("- ") || &content[at..] == "-" {
            at += 1;
            at += content[at..].len() - content[at..].trim_start().len();
        }
        let entry = &content[at..];
        let (value, value_at) = match key_end(entry) {
            Some(colon) => {
                let after = &entry[colon + 1..];
                let skip = after.len() - after.trim_start().len();
                (after.trim_start(), at + colon + 1 + skip)
            }
            None => (entry, at),
        };
        if value.is_empty() {
            continue;
        }
        let value_start = start + value_at;
        match value.as_bytes()[0] {
            b'|' | b'>' => scalar_block = Some((indent, BlockBuilder::default())),
            b'[' => {
                let inner = value[1..].trim_end().trim_end_matches(']');
                let mut item_at = value_start + 1;
                for item in inner.split(',') {
                    let lead = item.len() - item.trim_start().len();
                    scalar(item.trim(), item_at + lead, f);
                    item_at += item.len() + 1;
                }
            }
            b'{' | b'&' | b'*' | b'!' => {}
            _ => scalar(value, value_start, f),
        }
    }
    if let Some((_, mut builder)) = scalar_block
        && let Some(block) = builder.finish()
    {
        f(block);
    }
}

/// The offset of the colon that ends a mapping key, if `entry` is `key: ...`.
fn key_end(entry: &str) -> Option<usize> {
    if entry.starts_with(['"', '\'']) {
        let quote = entry.as_bytes()[0] as char;
        let close = entry[1..].find(quote)? + 1;
        return entry[close + 1..]
            .starts_with(':')
            .then_some(close + 1)
            .filter(|&c| is_key_colon(entry, c));
    }
    let bytes = entry.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && is_key_colon(entry, i))
}

fn is_key_colon(entry: &str, i: usize) -> bool {
    matches!(entry.as_bytes().get(i + 1), None | Some(b' ') | Some(b'\t'))
}

/// Emits one scalar value as a block: quotes stripped, comments cut.
fn scalar(value: &str, at: usize, f: &mut dyn FnMut(&Block)) {
    let (inner, inner_at) = match value.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => {
            let body = &value[1..];
            let end = body.rfind(q as char).unwrap_or(body.len());
            (&body[..end], at + 1)
        }
        _ => {
            let cut = value.find(" #").unwrap_or(value.len());
            (value[..cut].trim_end(), at)
        }
    };
    let mut builder = BlockBuilder::default();
    builder.push_str(inner, inner_at);
    if let Some(block) = builder.finish() {
        f(block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(yaml: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        extract(yaml, 0, &mut |b| {
            let r = b.source_range(0..b.text.len());
            out.push((b.text.clone(), yaml[r].to_string()));
        });
        out
    }

    #[test]
    fn reads_values_not_keys() {
        let yaml = "title: \"Enables access to ChatGPT\"\ndescription: Powered by OpenAI # note\ntags: [one, 'two words']\nlist:\n  - item one\n  - key: nested value\n";
        let got = values(yaml);
        let texts: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            texts,
            [
                "enables access to chatgpt",
                "powered by openai",
                "one",
                "two words",
                "item one",
                "nested value"
            ]
        );
        assert_eq!(got[0].1, "Enables access to ChatGPT");
        assert_eq!(got[3].1, "two words");
    }

    #[test]
    fn block_scalars_are_one_block() {
        let yaml = "summary: >\n  Our agents call\n  on ChatGPT.\nnext: x\n";
        let got = values(yaml);
        assert_eq!(got[0].0, "our agents call on chatgpt.");
        assert_eq!(got[0].1, "Our agents call\n  on ChatGPT.");
        assert_eq!(got[1].0, "x");
    }

    #[test]
    fn urls_and_times_are_not_keys() {
        let got = values("link: https://example.com/a\ntime: 10:30\n");
        assert_eq!(got[0].0, "https://example.com/a");
        assert_eq!(got[1].0, "10:30");
    }
}
