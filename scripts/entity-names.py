#!/usr/bin/env python3
"""Writes the names of HTML's character references, one a line, as the
html5gum tokenizer copylint uses knows them (its generated table in the
cargo registry), to tests/fixtures/entities/names.txt.

    python3 scripts/entity-names.py [path/to/html5gum/src/entities.rs]

The test of copylint's reference tables decodes every name through the
tokenizer and checks that each one that can hide a word's letters is known.
"""
import glob
import os
import re
import sys

home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
paths = sys.argv[1:] or sorted(glob.glob(f"{home}/registry/src/*/html5gum-0.9.*/src/entities.rs"))
if not paths:
    sys.exit("html5gum's entities.rs not found: run `cargo fetch` first, or give its path")
source = open(paths[-1], encoding="utf-8").read()

names = set()
first = second = None
for line in source.splitlines():
    outer = re.match(r"^\s*'(.)' => \{$", line)
    if outer:
        first = outer.group(1)
        continue
    inner = re.match(r"^\s*'(.)' => &\[(.*)$", line)
    if inner:
        second = inner.group(1)
        line = inner.group(2)
    if first and second:
        for rest in re.findall(r'\("([^"]*)", "[^"]*"\)', line):
            names.add(first + second + rest)
    if line.rstrip().endswith("],"):
        second = None

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "tests", "fixtures", "entities", "names.txt")
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w", encoding="utf-8") as f:
    for name in sorted(names):
        f.write(name + "\n")
print(f"{len(names)} names from {paths[-1]} to {out}")
