#!/usr/bin/env python3
"""Makes src/source/pdf/collections/*.bin: CID -> Unicode for the four
predefined CJK character collections (Adobe-Japan1, -GB1, -CNS1, -Korea1),
for CID fonts that have neither a ToUnicode CMap nor a Unicode cmap.

Source: Adobe's cmap-resources (https://github.com/adobe-type-tools/cmap-resources,
BSD-3-Clause), the Uni*-UCS2-H and -V CMaps, which map UCS-2 to CIDs. Each
CID takes the lowest code point that maps to it, except that a unified
ideograph or a horizontal form is taken before a radical (U+2E80-U+2FDF),
a compatibility ideograph (U+F900-U+FAFF) or a vertical presentation form
(U+FE10-U+FE1F, U+FE30-U+FE4F); the -V CMap adds the vertical forms' CIDs.

  git clone --depth 1 https://github.com/adobe-type-tools/cmap-resources /tmp/cmap-resources
  scripts/cid-collections.py /tmp/cmap-resources

Output, per collection (NAME.z): the code point of every CID from 0 to the
highest mapped, 0 where none, as little-endian u16, each stored as its
difference from the one before (wrapping), the whole zlib-compressed: about
72 KB for the four, 163 KB unpacked.
"""

import os
import re
import struct
import sys
import zlib

COLLECTIONS = {
    "japan1": ("Adobe-Japan1-7", "UniJIS-UCS2"),
    "gb1": ("Adobe-GB1-6", "UniGB-UCS2"),
    "cns1": ("Adobe-CNS1-7", "UniCNS-UCS2"),
    "korea1": ("Adobe-Korea1-2", "UniKS-UCS2"),
}
RANGE = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\d+)")
CHAR = re.compile(r"<([0-9a-fA-F]+)>\s*(\d+)")


def read(path):
    """code point -> CID, from a UCS-2 CMap."""
    out = {}
    text = open(path, encoding="latin-1").read()
    for block in re.findall(r"begincidrange(.*?)endcidrange", text, re.S):
        for lo, hi, cid in RANGE.findall(block):
            for i, u in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[u] = int(cid) + i
    for block in re.findall(r"begincidchar(.*?)endcidchar", text, re.S):
        for u, cid in CHAR.findall(block):
            out[int(u, 16)] = int(cid)
    return out


def rank(u):
    """Which of the code points mapping to one CID it takes: the least."""
    variant = (0x2E80 <= u <= 0x2FDF or 0xF900 <= u <= 0xFAFF
               or 0xFE10 <= u <= 0xFE1F or 0xFE30 <= u <= 0xFE4F)
    return (variant, u)


def main():
    src = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    dest = os.path.join(here, "..", "src", "source", "pdf", "collections")
    os.makedirs(dest, exist_ok=True)
    for name, (folder, cmap) in COLLECTIONS.items():
        cid_to_u = {}
        for suffix in ("H", "V"):
            for u, cid in read(os.path.join(src, folder, "CMap", f"{cmap}-{suffix}")).items():
                if cid != 0 and (cid not in cid_to_u or rank(u) < rank(cid_to_u[cid])):
                    cid_to_u[cid] = u
        count = max(cid_to_u) + 1
        deltas, previous = [], 0
        for cid in range(count):
            u = cid_to_u.get(cid, 0)
            deltas.append((u - previous) & 0xFFFF)
            previous = u
        packed = zlib.compress(struct.pack(f"<{count}H", *deltas), 9)
        with open(os.path.join(dest, f"{name}.z"), "wb") as f:
            f.write(packed)
        print(f"{name}: {len(cid_to_u)} CIDs mapped of {count}, {len(packed)} bytes")

if __name__ == "__main__":
    main()
