//! The Unicode text of CIDs in Adobe's four predefined CJK character
//! collections (Adobe-Japan1, -GB1, -CNS1 and -Korea1), for composite
//! fonts with an `Identity` encoding that have neither a `ToUnicode` CMap
//! nor a Unicode `cmap` in their program: their codes are CIDs of the
//! collection their `CIDSystemInfo` names.
//!
//! The tables are made by `scripts/cid-collections.py` from Adobe's
//! `cmap-resources` (BSD-3-Clause, `collections/LICENSE.md`): one UCS-2
//! code point per CID, stored as differences and zlib-compressed (72 KB
//! for the four), unpacked on first use.

use std::io::Read;
use std::sync::OnceLock;

use lopdf::{Dictionary, Document, Object};

/// One of the predefined collections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collection {
    Japan1,
    Gb1,
    Cns1,
    Korea1,
}

const PACKED: [&[u8]; 4] = [
    include_bytes!("collections/japan1.z"),
    include_bytes!("collections/gb1.z"),
    include_bytes!("collections/cns1.z"),
    include_bytes!("collections/korea1.z"),
];

static TABLES: [OnceLock<Vec<u16>>; 4] = [const { OnceLock::new() }; 4];

impl Collection {
    /// The collection an `Ordering` names (its `Registry` must be Adobe).
    fn from_ordering(ordering: &[u8]) -> Option<Collection> {
        match ordering {
            b"Japan1" => Some(Collection::Japan1),
            b"GB1" => Some(Collection::Gb1),
            b"CNS1" => Some(Collection::Cns1),
            b"Korea1" => Some(Collection::Korea1),
            _ => None,
        }
    }

    /// The collection of a descendant font, from its `CIDSystemInfo`.
    pub fn of(doc: &Document, descendant: &Dictionary) -> Option<Collection> {
        let info = deref(doc, descendant.get(b"CIDSystemInfo").ok()?)?
            .as_dict()
            .ok()?;
        let string = |key: &[u8]| {
            deref(doc, info.get(key).ok()?)?
                .as_str()
                .ok()
                .map(<[u8]>::to_vec)
        };
        (string(b"Registry")? == b"Adobe")
            .then(|| Collection::from_ordering(&string(b"Ordering")?))
            .flatten()
    }

    /// The text of `cid`, when the collection maps it to a character.
    pub fn text(self, cid: u32) -> Option<char> {
        let table = TABLES[self as usize].get_or_init(|| unpack(PACKED[self as usize]));
        let point = *table.get(usize::try_from(cid).ok()?)?;
        (point != 0)
            .then(|| char::from_u32(u32::from(point)))
            .flatten()
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

/// The code points of a packed table: zlib, then little-endian u16
/// differences from the one before.
fn unpack(packed: &[u8]) -> Vec<u16> {
    let mut bytes = Vec::new();
    flate2::read::ZlibDecoder::new(packed)
        .read_to_end(&mut bytes)
        .expect("the built-in CID tables are valid zlib");
    let mut previous = 0u16;
    bytes
        .chunks_exact(2)
        .map(|d| {
            previous = previous.wrapping_add(u16::from_le_bytes([d[0], d[1]]));
            previous
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_collection_maps_cids_as_adobes_cmaps_do() {
        // As Adobe's Uni*-UCS2-H CMaps map them: CID 1 is the space in all
        // four; then a kana, hanzi or hangul of each.
        let cases = [
            (Collection::Japan1, 843, 'あ'),
            (Collection::Japan1, 1125, '亜'),
            (Collection::Gb1, 4559, '中'),
            (Collection::Cns1, 661, '中'),
            (Collection::Korea1, 1086, '가'),
        ];
        for (collection, cid, c) in cases {
            assert_eq!(collection.text(1), Some(' '), "{collection:?}");
            assert_eq!(collection.text(cid), Some(c), "{collection:?} {cid}");
        }
        assert_eq!(Collection::Japan1.text(0), None);
        assert_eq!(Collection::Japan1.text(1_000_000), None);
    }
}
