//! The annotations a page shows: the appearance stream of each (a form
//! XObject) and where it lands, as viewers draw and print them: the text
//! of free-text comments, stamps and filled-in form fields. Hidden
//! annotations and pop-up windows are not shown.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::content::{Matrix, form_matrix};
use super::fonts::number;

/// The `F` flags that keep an annotation off the page: hidden, no view.
const NOT_SHOWN: i64 = 2 | 32;

/// The most annotations drawn on one page.
const MAX_ANNOTATIONS: usize = 10_000;

/// Each shown annotation's normal appearance, with the matrix that maps
/// it onto the annotation's rectangle on the page.
pub fn appearances(doc: &Document, page: ObjectId) -> Vec<(ObjectId, Matrix)> {
    let Some(annots) = doc
        .get_dictionary(page)
        .ok()
        .and_then(|p| p.get_deref(b"Annots", doc).ok())
        .and_then(|a| a.as_array().ok())
    else {
        return Vec::new();
    };
    annots
        .iter()
        .take(MAX_ANNOTATIONS)
        .filter_map(|annot| {
            let annot = match annot {
                Object::Reference(id) => doc.get_dictionary(*id).ok()?,
                Object::Dictionary(d) => d,
                _ => return None,
            };
            appearance(doc, annot)
        })
        .collect()
}

fn appearance(doc: &Document, annot: &Dictionary) -> Option<(ObjectId, Matrix)> {
    let flags = annot.get(b"F").and_then(Object::as_i64).unwrap_or(0);
    let subtype = annot.get(b"Subtype").and_then(Object::as_name).ok();
    if flags & NOT_SHOWN != 0 || subtype == Some(b"Popup") {
        return None;
    }
    let normal = annot
        .get_deref(b"AP", doc)
        .ok()?
        .as_dict()
        .ok()?
        .get(b"N")
        .ok()?;
    // A stream, or a dictionary of states of which `AS` names the one shown.
    let id = match normal {
        Object::Reference(id) if doc.get_object(*id).ok()?.as_stream().is_ok() => *id,
        other => {
            let states = match other {
                Object::Reference(id) => doc.get_dictionary(*id).ok()?,
                Object::Dictionary(d) => d,
                _ => return None,
            };
            let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
            states.get(state).ok()?.as_reference().ok()?
        }
    };
    let stream = doc.get_object(id).ok()?.as_stream().ok()?;
    let rect = corners(annot.get_deref(b"Rect", doc).ok()?)?;
    let bbox = corners(stream.dict.get_deref(b"BBox", doc).ok()?)?;
    // The box as the form's matrix puts it, mapped onto the rectangle.
    let matrix = form_matrix(stream);
    let points = [
        (bbox[0], bbox[1]),
        (bbox[2], bbox[1]),
        (bbox[0], bbox[3]),
        (bbox[2], bbox[3]),
    ]
    .map(|(x, y)| apply(&matrix, x, y));
    let (x0, x1) = span(points.iter().map(|p| p.0));
    let (y0, y1) = span(points.iter().map(|p| p.1));
    let scale = |to: f64, from: f64| {
        if from.abs() > f64::EPSILON {
            to / from
        } else {
            1.0
        }
    };
    let (sx, sy) = (
        scale(rect[2] - rect[0], x1 - x0),
        scale(rect[3] - rect[1], y1 - y0),
    );
    let onto = [sx, 0.0, 0.0, sy, rect[0] - x0 * sx, rect[1] - y0 * sy];
    // The form's own matrix is applied when it is drawn.
    Some((id, onto))
}

/// A rectangle `[x0 y0 x1 y1]`, normalized so that x0 <= x1, y0 <= y1.
fn corners(o: &Object) -> Option<[f64; 4]> {
    let n: Vec<f64> = o.as_array().ok()?.iter().filter_map(number).collect();
    let [a, b, c, d] = n[..] else { return None };
    let r = [a.min(c), b.min(d), a.max(c), b.max(d)];
    r.iter().all(|v| v.is_finite()).then_some(r)
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}
