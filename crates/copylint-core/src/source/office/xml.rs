//! XML parts of documents, read as a stream of element starts, ends and
//! text with quick-xml.
//!
//! No DTD is processed and no entity is expanded: a `<!DOCTYPE>` is
//! ignored, the five predefined entities and character references are
//! decoded, and any other entity reference is dropped. So there is no
//! external entity to fetch and no billion laughs. Elements are named by
//! their local name (`w:p` is `p`), as each format's namespace is fixed.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use crate::source::document::ExtractError;

/// One piece of an XML part.
pub enum Piece<'a, 'e> {
    /// An element starts (empty elements start and end).
    Start(&'a str, &'a BytesStart<'e>),
    /// An element ends.
    End(&'a str),
    /// Text, decoded.
    Text(&'a str),
}

/// Calls `f` with each piece of the XML `part` (named `name` in errors).
pub fn walk(name: &str, part: &str, f: &mut dyn FnMut(Piece<'_, '_>)) -> Result<(), ExtractError> {
    walk_until(name, part, &mut |piece| {
        f(piece);
        true
    })
}

/// As [`walk`], but stops, without reading further, once `f` returns
/// false.
pub fn walk_until(
    name: &str,
    part: &str,
    f: &mut dyn FnMut(Piece<'_, '_>) -> bool,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_str(part);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.trim_text(false);
    let damaged = |reader: &Reader<&[u8]>, e: &dyn std::fmt::Display| {
        ExtractError::damaged(format!(
            "malformed XML in {name} at byte {}: {e}",
            reader.buffer_position()
        ))
    };
    loop {
        let go_on = match reader.read_event() {
            Ok(Event::Start(e)) => {
                let local = e.local_name();
                f(Piece::Start(local.as_ref(), &e))
            }
            Ok(Event::End(e)) => f(Piece::End(e.local_name().as_ref())),
            Ok(Event::Text(t)) => f(Piece::Text(&t.xml10_content())),
            Ok(Event::CData(t)) => f(Piece::Text(&t)),
            Ok(Event::GeneralRef(r)) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined(&r),
                    Err(e) => return Err(damaged(&reader, &e)),
                };
                c.is_none_or(|c| f(Piece::Text(c.encode_utf8(&mut [0; 4]))))
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => true,
            Err(e) => return Err(damaged(&reader, &e)),
        };
        if !go_on {
            return Ok(());
        }
    }
}

/// The character of a predefined entity (`amp`, `lt`…).
fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// The value of the attribute whose local name is `local`, decoded.
pub fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local).then(|| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
    })
}

/// The relationships of a part: `(id, type, target)`, external ones left out.
pub fn relationships(
    name: &str,
    rels: &str,
) -> Result<Vec<(String, String, String)>, ExtractError> {
    let mut out = Vec::new();
    walk(name, rels, &mut |piece| {
        if let Piece::Start("Relationship", e) = piece
            && attr(e, "TargetMode").as_deref() != Some("External")
            && let (Some(id), Some(kind), Some(target)) =
                (attr(e, "Id"), attr(e, "Type"), attr(e, "Target"))
        {
            out.push((id, kind, target));
        }
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(xml: &str) -> Result<String, ExtractError> {
        let mut out = String::new();
        walk("part.xml", xml, &mut |p| {
            if let Piece::Text(t) = p {
                out.push_str(t)
            }
        })?;
        Ok(out)
    }

    #[test]
    fn entities_are_never_expanded() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>x&b;y &amp; &#x41;&lt;</d>"#;
        assert_eq!(text_of(xml).unwrap(), "xy & A<");
    }

    #[test]
    fn walking_stops_when_asked_to() {
        let mut seen = Vec::new();
        walk_until(
            "part.xml",
            "<a><b>x</b><c>y</c></a><broken",
            &mut |p| match p {
                Piece::Start(tag, _) => {
                    seen.push(tag.to_string());
                    tag != "c"
                }
                _ => true,
            },
        )
        .expect("stopped before the damage");
        assert_eq!(seen, ["a", "b", "c"]);
    }

    #[test]
    fn malformed_xml_is_an_error_that_says_where() {
        let err = text_of("<a><b></a>").unwrap_err();
        assert!(err.message.contains("malformed XML in part.xml"), "{err}");
    }
}
