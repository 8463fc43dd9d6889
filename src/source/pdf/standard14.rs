//! Widths for simple fonts that give none: the standard fonts (Helvetica,
//! Times, Courier, and the names Word and others use for them, Arial,
//! Times New Roman, Courier New) are drawn with their Adobe metrics, so
//! that a gap between two strings on one line is measured, not guessed:
//! with a guessed width, a table's next column reads as part of the word
//! before it.
//!
//! The table (`standard14_widths.rs`) is made by
//! `scripts/standard-widths.py`; it holds printable ASCII, and any other
//! character takes the font's mean lower-case width.

include!("standard14_widths.rs");

/// The width of each of a font's 256 codes (in 1/1000 em), given their
/// text, when `base_font` names a standard font (or an alias of one).
pub fn widths(base_font: &[u8], text: &[Box<str>]) -> Option<Vec<f64>> {
    let name = String::from_utf8_lossy(base_font).to_ascii_lowercase();
    // A subset's tag: six capitals and `+`.
    let name = match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 => rest,
        _ => &name,
    };
    let family = if name.starts_with("helvetica") || name.starts_with("arial") {
        "Helvetica"
    } else if name.starts_with("times") {
        "Times"
    } else if name.starts_with("courier") {
        return Some(vec![600.0; text.len()]);
    } else {
        return None;
    };
    let bold = name.contains("bold");
    let italic = name.contains("italic") || name.contains("oblique");
    let style = match (family, bold, italic) {
        ("Times", false, false) => "Times-Roman",
        ("Times", true, false) => "Times-Bold",
        ("Times", false, true) => "Times-Italic",
        ("Times", true, true) => "Times-BoldItalic",
        (_, false, false) => "Helvetica",
        (_, true, false) => "Helvetica-Bold",
        (_, false, true) => "Helvetica-Oblique",
        (_, true, true) => "Helvetica-BoldOblique",
    };
    let table = &WIDTHS.iter().find(|(n, _)| *n == style)?.1;
    let lower = &table[usize::from(b'a' - b' ')..=usize::from(b'z' - b' ')];
    let mean = f64::from(lower.iter().map(|&w| u32::from(w)).sum::<u32>()) / lower.len() as f64;
    Some(
        text.iter()
            .map(|t| {
                let mut chars = t.chars();
                match (chars.next(), chars.next()) {
                    (Some(c @ ' '..='~'), None) => f64::from(table[c as usize - 0x20]),
                    _ => mean,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Box<str>> {
        s.chars()
            .map(|c| String::from(c).into_boxed_str())
            .collect()
    }

    #[test]
    fn standard_fonts_and_their_aliases_get_adobe_widths() {
        // Times-Roman: i 278, m 778; Helvetica: i 222, m 833; bold
        // Helvetica: i 278, m 889 (Adobe's AFM files).
        assert_eq!(
            widths(b"Times-Roman", &text("im")),
            Some(vec![278.0, 778.0])
        );
        assert_eq!(widths(b"Helvetica", &text("im")), Some(vec![222.0, 833.0]));
        assert_eq!(
            widths(b"ABCDEF+Arial,Bold", &text("im")),
            Some(vec![278.0, 889.0])
        );
        assert_eq!(
            widths(b"TimesNewRomanPS-ItalicMT", &text("m")),
            Some(vec![722.0])
        );
        assert_eq!(widths(b"CourierNew", &text("im")), Some(vec![600.0, 600.0]));
        assert_eq!(widths(b"Symbol", &text("a")), None);
        assert_eq!(widths(b"Calibri", &text("a")), None);
        // Outside ASCII, the mean lower-case width.
        let accented = widths(b"Helvetica", &text("é")).expect("Helvetica");
        assert!((400.0..600.0).contains(&accented[0]), "{accented:?}");
    }
}
