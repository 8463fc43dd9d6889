#!/usr/bin/env python3
"""Word-weighted recall of copylint's extraction against standard extractors.

Over a folder of documents (scripts/recall-corpus.sh gathers the public test
corpora this is meant for), for each PDF, PPTX, ODP, DOCX, ODT and HTML file:
the words a reference tool reads, counted with repeats and lower-cased, and
the share of them that copylint's prose holds (recall), summed over files so
that each word weighs the same. For HTML also the share of copylint's words
that the reference holds (precision).

References:
  pdf        pdftotext (poppler-utils)
  docx, odt  pandoc: the text of its document tree (-t json), so that list
             numbers and table rules it draws in plain text are not words;
             equations and raw markup are left out
  html       html5lib (pip): the parts of the page copylint reads as copy,
             found by another parser: the text of <title> and <body>
             outside script, style and template, and outside pre and code
             (which copylint reads as code, as in Markdown); alt and title
             attributes; the description <meta> tags. A file that is valid
             UTF-8 is read as UTF-8 (as copylint reads it), else in the
             encoding html5lib sniffs
  pptx       python-pptx (pip): slide shapes, groups, tables and notes;
             with --office also LibreOffice's PDF export read by pdftotext
  odp        LibreOffice's PDF export read by pdftotext (--office)

Each file falls in the tuning or the held-out part by a hash of its path in
the corpus, fixed before any per-file figure was looked at. Per-file rows
(--files) are printed for the tuning part only; the held-out part gives
totals.

  cargo build --example extract_text
  scripts/recall.py CORPUS --ours $CARGO_TARGET_DIR/debug/examples/extract_text

Reference texts are cached in CORPUS/.recall-cache, keyed by tool and path.
"""

import argparse
import collections
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

FORMATS = ("pdf", "pptx", "odp", "docx", "odt", "html")
WORD = re.compile(r"[^\W_]+")


def words(text):
    """Runs of letters and digits, lower case, Greek sigmas as one."""
    return collections.Counter(
        w.lower().replace("ς", "σ") for w in WORD.findall(text)
    )


def part(rel):
    """'tune' or 'held-out', by the first byte of the path's SHA-256."""
    return "tune" if hashlib.sha256(rel.encode()).digest()[0] % 2 == 0 else "held-out"


def fmt_of(path):
    ext = path.rsplit(".", 1)[-1].lower()
    return "html" if ext == "htm" else ext


def run(argv, timeout):
    """Runs argv in a session of its own, so that a timeout ends all its
    processes (soffice forks soffice.bin)."""
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None, "timeout"
    if p.returncode != 0:
        return None, err.decode("utf-8", "replace")[-300:]
    return out.decode("utf-8", "replace"), ""


def ref_pdftotext(path, timeout):
    return run(["pdftotext", "-q", "-enc", "UTF-8", path, "-"], timeout)


def ref_pandoc(path, timeout):
    out, err = run(["pandoc", "-t", "json", path], timeout)
    if out is None:
        return None, err
    text = []

    def walk(node):
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            kind = node.get("t")
            if kind in ("Math", "RawInline", "RawBlock"):
                return
            if kind == "Str":
                text.append(node["c"])
            elif kind in ("Space", "SoftBreak", "LineBreak"):
                text.append(" ")
            elif kind in ("Code", "CodeBlock"):
                text.append(" " + node["c"][1] + " ")
            else:
                if kind in ("Para", "Plain", "Header", "Div", "Table", "Cell", "Row"):
                    text.append("\n")
                walk(node.get("c"))
                text.append("\n" if kind in ("Para", "Plain", "Header") else "")
        return

    walk(json.loads(out)["blocks"])
    return "".join(text), ""


META_COPY = {"description", "og:title", "og:description", "twitter:description"}
BLOCKS = set("""address article aside blockquote br caption dd details dialog div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav
ol option p section summary table td th title tr ul""".split())


def ref_html5lib(path, timeout):
    import html5lib

    with open(path, "rb") as f:
        data = f.read()
    try:
        data = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    root = html5lib.parse(data, namespaceHTMLElements=False)
    out = []

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "template", "pre", "code"):
            return
        for name in ("alt", "title"):
            if el.get(name):
                out.append("\n" + el.get(name) + "\n")
        if el.tag == "meta":
            kind = (el.get("name") or el.get("property") or "").lower()
            if kind in META_COPY and el.get("content"):
                out.append("\n" + el.get("content") + "\n")
        in_head = el.tag == "head"
        if el.text and not in_head:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail and not in_head:
                out.append(child.tail)
        if el.tag in BLOCKS:
            out.append("\n")

    walk(root)
    return "".join(out), ""


def ref_python_pptx(path, timeout):
    import pptx
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    out = []

    def shape_text(shape):
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            for s in shape.shapes:
                shape_text(s)
            return
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            out.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    out.append(cell.text)

    try:
        deck = pptx.Presentation(path)
        for slide in deck.slides:
            for shape in slide.shapes:
                shape_text(shape)
            if slide.has_notes_slide:
                for shape in slide.notes_slide.placeholders:
                    if shape.placeholder_format.type == 2:  # body: the notes
                        shape_text(shape)
    except Exception as e:  # a reference that cannot read the file drops it
        return None, f"python-pptx: {e!r}"[:300]
    return "\n".join(out), ""


def ref_libreoffice(path, timeout):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None, "no soffice"
    with tempfile.TemporaryDirectory() as tmp:
        profile = "file://" + os.path.join(tmp, "profile")
        text, err = run(
            [soffice, f"-env:UserInstallation={profile}", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, path],
            timeout,
        )
        pdf = os.path.join(tmp, os.path.splitext(os.path.basename(path))[0] + ".pdf")
        if not os.path.exists(pdf):
            return None, err or "no PDF written"
        return ref_pdftotext(pdf, timeout)


REFERENCES = {
    "pdf": [("pdftotext", ref_pdftotext)],
    "docx": [("pandoc", ref_pandoc)],
    "odt": [("pandoc", ref_pandoc)],
    "html": [("html5lib", ref_html5lib)],
    "pptx": [("python-pptx", ref_python_pptx), ("libreoffice", ref_libreoffice)],
    "odp": [("libreoffice", ref_libreoffice)],
}


def cached(cache, tool, rel, make):
    key = hashlib.sha256(f"{tool}\0{rel}".encode()).hexdigest()
    p = os.path.join(cache, key + ".json")
    if os.path.exists(p):
        with open(p) as f:
            d = json.load(f)
        return d["text"], d["err"]
    text, err = make()
    with open(p, "w") as f:
        json.dump({"rel": rel, "tool": tool, "text": text, "err": err}, f)
    return text, err


def ours(binary, path, timeout):
    start = time.perf_counter()
    try:
        p = subprocess.run([binary, path], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "timeout", timeout
    elapsed = time.perf_counter() - start
    err = p.stderr.decode("utf-8", "replace")
    if "panicked" in err or p.returncode not in (0, 1):
        return None, "CRASH " + err[-300:], elapsed
    return p.stdout.decode("utf-8", "replace"), err.strip()[-300:], elapsed


def measure(args, rel, tools):
    path = os.path.join(args.corpus, rel)
    fmt = fmt_of(rel)
    text, err, secs = ours(args.ours, path, args.timeout)
    mine = words(text or "")
    rows = []
    for tool, make in REFERENCES[fmt]:
        if tool not in tools:
            continue
        ref_text, ref_err = cached(args.cache, tool, rel, lambda: make(path, args.timeout))
        if ref_text is None:
            rows.append(dict(rel=rel, fmt=fmt, tool=tool, skipped=ref_err))
            continue
        ref = words(ref_text)
        hit = sum(min(n, mine[w]) for w, n in ref.items())
        lost = collections.Counter({w: n - mine[w] for w, n in ref.items() if n > mine[w]})
        rows.append(dict(
            rel=rel, fmt=fmt, tool=tool, ref=sum(ref.values()), ours=sum(mine.values()),
            hit=hit, err=err, secs=secs, crash=err.startswith("CRASH") or err == "timeout",
            lost=" ".join(w for w, _ in lost.most_common(args.lost_words)),
        ))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--ours", required=True, help="the extract_text example binary")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--office", action="store_true", help="also LibreOffice (slow)")
    ap.add_argument("--only", help="regular expression on the corpus path")
    ap.add_argument("--files", type=int, default=0,
                    help="print the N tuning files that lose most words")
    ap.add_argument("--lost-words", type=int, default=12)
    ap.add_argument("--json", help="write every row here")
    ap.add_argument("--by-corpus", action="store_true",
                    help="totals per corpus (the path's first folder) too")
    args = ap.parse_args()
    args.cache = os.path.join(args.corpus, ".recall-cache")
    os.makedirs(args.cache, exist_ok=True)
    tools = {"pdftotext", "pandoc", "html5lib", "python-pptx"}
    if args.office:
        tools.add("libreoffice")

    rels = []
    for root, dirs, files in os.walk(args.corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(root, name), args.corpus)
            if fmt_of(rel) in FORMATS and not (args.only and not re.search(args.only, rel)):
                rels.append(rel)

    rows = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for result in pool.map(lambda r: measure(args, r, tools), rels):
            rows.extend(result)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=0)

    totals = collections.defaultdict(lambda: collections.Counter())
    for r in rows:
        key = (r["fmt"], r["tool"], part(r["rel"]))
        if args.by_corpus:
            key = (r["fmt"], r["tool"] + " " + r["rel"].split(os.sep)[0], key[2])
        t = totals[key]
        t["files"] += 1
        if "skipped" in r:
            t["skipped"] += 1
            continue
        t["ref"] += r["ref"]
        t["hit"] += r["hit"]
        t["ours"] += r["ours"]
        t["crash"] += r["crash"]
        t["unread"] += bool(r["err"]) and not r["crash"]
    print("| format | reference | part | files | reference words | recall | precision | ref. failed | ours not read | crash/hang |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (fmt, tool, p), t in sorted(totals.items(), key=lambda kv: (FORMATS.index(kv[0][0]), kv[0][1], kv[0][2] != "tune")):
        recall = t["hit"] / t["ref"] if t["ref"] else float("nan")
        precision = f"{t['hit'] / t['ours']:.3f}" if fmt == "html" and t["ours"] else ""
        print(f"| {fmt} | {tool} | {p} | {t['files']} | {t['ref']:,} | {recall:.3f} | {precision} "
              f"| {t['skipped']} | {t['unread']} | {t['crash']} |")

    if args.files:
        tune = [r for r in rows if "skipped" not in r and part(r["rel"]) == "tune"]
        tune.sort(key=lambda r: r["hit"] - r["ref"])
        print(f"\nTuning files losing most words (of {len(tune)}):")
        for r in tune[: args.files]:
            print(f"{r['ref'] - r['hit']:6} {r['hit'] / max(r['ref'], 1):.3f} {r['tool']:11} "
                  f"{r['rel']}  [{r['err'][:60]}] {r['lost']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
