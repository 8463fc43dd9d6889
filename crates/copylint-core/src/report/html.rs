//! `--format html`: one self-contained report for reviewers.
//!
//! The page needs no network: styles, the chart (inline SVG drawn here)
//! and a short script are inline. At the top are the totals (files checked
//! and not checked by reason, findings by severity, the policies), then a
//! chart of findings per rule split by severity, a table of files (most
//! severe first), and each file's findings with the sentence, the match in
//! `<mark>`, the message, the approved phrasings and the rule's
//! explanation in `<details>`. Without script the page reads top to bottom;
//! with it, the files can be filtered (severity, rule, folder, also from the
//! address's `#severity=…&rule=…&folder=…`), sorted, and are shown 50 per
//! page so that 100,000 findings stay fast.
//!
//! Each file is rendered to HTML on the workers, behind a one-line JSON
//! header of its counts; the page is written when the run ends, because
//! the totals come first.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::placed::{FileFindings, Placement};
use super::{Reporter, Summary};
use crate::finding::{Finding, Notice, NoticeKind, Severity};
use crate::policy::{Policy, Rule};

const STYLE: &str = include_str!("assets/report.css");
/// Files per page: the first page is HTML, the rest JSON the script renders.
const PAGE: usize = 50;
const SCRIPT: &str = include_str!("assets/report.js");

/// What the page needs to know of a file besides its rendered findings.
#[derive(Serialize, Deserialize)]
struct FileHeader {
    path: String,
    /// Findings per severity: errors, warnings, infos.
    counts: [usize; 3],
    /// Findings per rule and severity.
    rules: Vec<(String, Severity, usize)>,
}

struct FileEntry {
    header: FileHeader,
    html: String,
}

impl FileEntry {
    fn worst(&self) -> Option<Severity> {
        let [e, w, i] = self.header.counts;
        [
            (e, Severity::Error),
            (w, Severity::Warning),
            (i, Severity::Info),
        ]
        .into_iter()
        .find(|(n, _)| *n > 0)
        .map(|(_, s)| s)
    }

    fn total(&self) -> usize {
        self.header.counts.iter().sum()
    }
}

/// Writes one HTML page at the end of the run.
pub struct Html {
    explanations: HashMap<String, String>,
    policies: Vec<String>,
    files: Vec<FileEntry>,
    not_checked: BTreeMap<&'static str, usize>,
}

impl Html {
    /// A reporter for the active `rules`, whose explanations it shows.
    pub fn new(rules: &[(&Policy, &Rule)]) -> Html {
        let mut policies: Vec<String> = Vec::new();
        for (p, _) in rules {
            if !policies.contains(&p.name) {
                policies.push(p.name.clone());
            }
        }
        Html {
            explanations: rules
                .iter()
                .map(|(_, r)| (r.id.to_string(), r.explanation.clone()))
                .collect(),
            policies,
            files: Vec::new(),
            not_checked: BTreeMap::new(),
        }
    }
}

/// `s` escaped for HTML text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "&#xFFFD;");
            }
            c => out.push(c),
        }
    }
    out
}

/// The folder a file is in, `.` for none.
fn folder(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

/// A file's section: its path and its findings.
fn file_section(i: usize, f: &FileEntry) -> String {
    format!(
        "<section class=\"file\" id=\"f{i}\"><h3>{}</h3><ol>{}</ol></section>",
        escape(&f.header.path),
        f.html
    )
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

impl Html {
    /// One finding; the rule's explanation is written in full for its
    /// `first` finding in the file, later ones link to the list of rules,
    /// which keeps a page of 100,000 findings to a size a browser opens.
    fn render_finding(&self, out: &mut String, place: &Placement, f: &Finding, first: bool) {
        // In a document, the line within the finding's unit.
        let pos = match f.unit {
            Some(_) => (place.start.line, place.start.column),
            None => (place.text_start().line, place.text_start().column),
        };
        let sev = f.severity.as_str();
        let _ = write!(
            out,
            "<li class=\"finding\" data-sev=\"{sev}\" data-rule=\"{rule}\">\
             <p class=\"loc\"><span class=\"badge {sev}\">{sev}</span> \
             {unit}line {line}, column {col} · <code>{rule}</code></p>",
            unit = f.unit.map(|u| format!("{u}, ")).unwrap_or_default(),
            rule = escape(&f.rule),
            line = pos.0,
            col = pos.1,
        );
        let [start, end] = place.context_match;
        let m = crate::Span::new(start, end.max(start));
        let parts = (
            f.context.get(..m.start()),
            f.context.get(m.range()),
            f.context.get(m.end()..),
        );
        match parts {
            (Some(before), Some(matched), Some(after)) if !m.is_empty() => {
                let _ = write!(
                    out,
                    "<blockquote>{}<mark>{}</mark>{}</blockquote>",
                    escape(before),
                    escape(matched),
                    escape(after)
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "<blockquote>{} (<mark>{}</mark>)</blockquote>",
                    escape(&f.context),
                    escape(&f.matched)
                );
            }
        }
        let _ = write!(out, "<p class=\"msg\">{}</p>", escape(&f.message));
        if let Some(claim) = &f.claim {
            let _ = write!(
                out,
                "<p class=\"claim\">Claim: {}</p>",
                escape(&claim.describe())
            );
        }
        if !f.suggestions.is_empty() {
            out.push_str("<p class=\"alt\">Approved: ");
            for (i, s) in f.suggestions.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "<q>{}</q>", escape(s));
            }
            out.push_str("</p>");
        }
        let explained = self.explanations.get(&*f.rule).filter(|t| !t.is_empty());
        if let (Some(_), false) = (explained, first) {
            let _ = write!(
                out,
                "<p class=\"why\"><a href=\"#rule-{0}\">Why ({0})</a></p>",
                escape(&f.rule)
            );
        } else if let Some(text) = explained {
            let _ = write!(
                out,
                "<details><summary>Why</summary><p>{}</p></details>",
                escape(text.trim())
            );
        }
        out.push_str("</li>");
    }

    fn write_page(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.files.sort_by(|a, b| {
            a.worst()
                .cmp(&b.worst())
                .reverse()
                .then(b.total().cmp(&a.total()))
                .then_with(|| a.header.path.cmp(&b.header.path))
        });
        let mut page = String::new();
        page.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>copylint report</title><style>",
        );
        page.push_str(STYLE);
        page.push_str("</style></head><body><main>\n<h1>copylint report</h1>\n");
        self.totals(&mut page, summary);
        out.write_all(page.as_bytes())?;
        page.clear();
        self.chart(&mut page);
        self.table(&mut page);
        out.write_all(page.as_bytes())?;
        write!(
            out,
            "<section aria-labelledby=\"findings-h\"><h2 id=\"findings-h\">Findings</h2>\n\
             <div id=\"sections\" data-page=\"{PAGE}\">\n"
        )?;
        for (i, f) in self.files.iter().enumerate().take(PAGE) {
            out.write_all(file_section(i, f).as_bytes())?;
            out.write_all(b"\n")?;
        }
        if self.files.is_empty() {
            out.write_all(b"<p>No findings.</p>")?;
        }
        out.write_all(b"</div>\n")?;
        self.more_files(out)?;
        out.write_all(b"</section>\n")?;
        page.clear();
        self.rule_list(&mut page);
        out.write_all(page.as_bytes())?;
        out.write_all(b"</main>\n<script>")?;
        out.write_all(SCRIPT.as_bytes())?;
        out.write_all(b"</script></body></html>\n")
    }

    /// The files after the first page, as a JSON array of their sections'
    /// HTML, which the script turns into elements when their page is shown:
    /// a browser parses JSON strings far faster than as many elements, so a
    /// report of 100,000 findings opens in seconds. Without script, a note
    /// says what is not shown.
    fn more_files(&self, out: &mut dyn Write) -> io::Result<()> {
        let rest = self.files.len().saturating_sub(PAGE);
        if rest == 0 {
            return Ok(());
        }
        let findings: usize = self.files[PAGE..].iter().map(FileEntry::total).sum();
        write!(
            out,
            "<noscript><p class=\"more\">{rest} more {files} with {findings} {noun} \
             follow in this report; they are shown with JavaScript on, or use \
             <code>--format csv</code> for every finding in a spreadsheet.</p></noscript>\n\
             <script type=\"application/json\" id=\"more\">[",
            files = if rest == 1 { "file" } else { "files" },
            noun = if findings == 1 { "finding" } else { "findings" },
        )?;
        for (i, f) in self.files.iter().enumerate().skip(PAGE) {
            if i > PAGE {
                out.write_all(b",")?;
            }
            let json = serde_json::to_string(&file_section(i, f)).map_err(io::Error::other)?;
            // "</" would end the script element early; "<\/" is the same
            // JSON string.
            out.write_all(json.replace("</", "<\\/").as_bytes())?;
        }
        out.write_all(b"]</script>\n")
    }

    /// The explanation of every rule with findings, once.
    fn rule_list(&self, page: &mut String) {
        let rules: BTreeSet<&str> = self
            .files
            .iter()
            .flat_map(|f| f.header.rules.iter().map(|r| r.0.as_str()))
            .collect();
        if rules.is_empty() {
            return;
        }
        page.push_str("<section aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">Rules</h2><dl class=\"rules\">");
        for r in rules {
            let text = self.explanations.get(r).map_or("", |t| t.trim());
            let _ = write!(
                page,
                "<dt id=\"rule-{0}\"><code>{0}</code></dt><dd>{1}</dd>",
                escape(r),
                escape(text)
            );
        }
        page.push_str("</dl></section>\n");
    }

    fn totals(&self, page: &mut String, summary: &Summary) {
        let not_checked: usize = self.not_checked.values().sum();
        let _ = write!(
            page,
            "<section aria-labelledby=\"totals-h\"><h2 id=\"totals-h\">Totals</h2><dl class=\"totals\">\
             <div><dt>Files checked</dt><dd id=\"n-files\">{}</dd></div>\
             <div><dt>Files not checked</dt><dd id=\"n-unchecked\">{not_checked}",
            summary.files
        );
        if not_checked > 0 {
            let reasons: Vec<String> = self
                .not_checked
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            let _ = write!(page, " <small>({})</small>", escape(&reasons.join(", ")));
        }
        if let Some(images) = summary.images_not_read {
            let _ = write!(
                page,
                "</dd></div><div><dt>Images not read</dt><dd id=\"n-images\">{} \
                 <small>({})</small>",
                images.images,
                escape(&images.line())
            );
        }
        let _ = write!(
            page,
            "</dd></div><div class=\"error\"><dt>Errors</dt><dd id=\"n-errors\">{}</dd></div>\
             <div class=\"warning\"><dt>Warnings</dt><dd id=\"n-warnings\">{}</dd></div>\
             <div class=\"info\"><dt>Infos</dt><dd id=\"n-infos\">{}</dd></div>\
             <div><dt>Policies</dt><dd id=\"policies\">{}</dd></div></dl></section>",
            summary.errors,
            summary.warnings,
            summary.infos,
            escape(&self.policies.join(", "))
        );
    }

    /// Findings per rule, split by severity, as horizontal stacked bars.
    fn chart(&self, page: &mut String) {
        let mut per_rule: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for f in &self.files {
            for (rule, sev, n) in &f.header.rules {
                per_rule.entry(rule).or_default()[severity_index(*sev)] += n;
            }
        }
        let mut rows: Vec<(&str, [usize; 3])> = per_rule.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        page.push_str(
            "<section aria-labelledby=\"chart-h\"><h2 id=\"chart-h\">Findings per rule</h2>\n",
        );
        if rows.is_empty() {
            page.push_str("<p>No findings.</p></section>\n");
            return;
        }
        let (label_w, bar_w, row_h) = (220.0, 440.0, 26.0);
        let max = rows
            .iter()
            .map(|(_, c)| c.iter().sum::<usize>())
            .max()
            .unwrap_or(1)
            .max(1);
        let height = row_h * rows.len() as f64 + 30.0;
        let _ = write!(
            page,
            "<svg id=\"chart\" role=\"img\" aria-labelledby=\"chart-t\" viewBox=\"0 0 {w} {height}\" \
             width=\"{w}\" height=\"{height}\"><title id=\"chart-t\">Findings per rule: errors, warnings and infos</title>",
            w = label_w + bar_w + 60.0
        );
        for (i, (rule, counts)) in rows.iter().enumerate() {
            let y = i as f64 * row_h;
            let _ = write!(
                page,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
                label_w - 8.0,
                y + 17.0,
                escape(rule)
            );
            let mut x = label_w;
            for (sev, n) in ["error", "warning", "info"].iter().zip(counts) {
                if *n == 0 {
                    continue;
                }
                let w = bar_w * *n as f64 / max as f64;
                let _ = write!(
                    page,
                    "<rect class=\"{sev}\" x=\"{x:.1}\" y=\"{}\" width=\"{w:.1}\" height=\"18\"><title>{} {sev}: {n}</title></rect>",
                    y + 4.0,
                    escape(rule)
                );
                x += w;
            }
            let _ = write!(
                page,
                "<text x=\"{:.1}\" y=\"{}\">{}</text>",
                x + 6.0,
                y + 17.0,
                counts.iter().sum::<usize>()
            );
        }
        let legend_y = row_h * rows.len() as f64 + 10.0;
        for (i, sev) in ["error", "warning", "info"].iter().enumerate() {
            let x = label_w + i as f64 * 110.0;
            let _ = write!(
                page,
                "<rect class=\"{sev}\" x=\"{x}\" y=\"{legend_y}\" width=\"14\" height=\"14\"/>\
                 <text x=\"{}\" y=\"{}\">{sev}</text>",
                x + 20.0,
                legend_y + 12.0
            );
        }
        page.push_str("</svg></section>\n");
    }

    fn table(&self, page: &mut String) {
        page.push_str(
            "<section aria-labelledby=\"files-h\"><h2 id=\"files-h\">Files</h2>\n\
             <form id=\"controls\" hidden><label>Severity <select name=\"severity\">\
             <option value=\"\">all</option><option>error</option><option>warning</option>\
             <option>info</option></select></label> <label>Rule <select name=\"rule\"><option value=\"\">all</option>",
        );
        let rules: BTreeSet<&str> = self
            .files
            .iter()
            .flat_map(|f| f.header.rules.iter().map(|r| r.0.as_str()))
            .collect();
        for r in rules {
            let _ = write!(page, "<option>{}</option>", escape(r));
        }
        page.push_str("</select></label> <label>Folder <select name=\"folder\"><option value=\"\">all</option>");
        let folders: BTreeSet<&str> = self.files.iter().map(|f| folder(&f.header.path)).collect();
        for d in folders {
            let _ = write!(page, "<option>{}</option>", escape(d));
        }
        page.push_str(
            "</select></label> <span id=\"status\" role=\"status\"></span> \
             <button type=\"button\" id=\"prev\">Previous</button> <button type=\"button\" id=\"next\">Next</button></form>\n\
             <table id=\"files\"><caption>Files with findings, most severe first</caption><thead><tr>\
             <th scope=\"col\" data-key=\"path\">File</th><th scope=\"col\" data-key=\"worst\">Most severe</th>\
             <th scope=\"col\" data-key=\"e\" class=\"num\">Errors</th><th scope=\"col\" data-key=\"w\" class=\"num\">Warnings</th>\
             <th scope=\"col\" data-key=\"i\" class=\"num\">Infos</th></tr></thead><tbody>\n",
        );
        for (i, f) in self.files.iter().enumerate() {
            let h = &f.header;
            let worst = f.worst().map_or("", Severity::as_str);
            let sevs: BTreeSet<&str> = h.rules.iter().map(|r| r.1.as_str()).collect();
            let rules: BTreeSet<&str> = h.rules.iter().map(|r| r.0.as_str()).collect();
            let _ = write!(
                page,
                "<tr data-file=\"f{i}\" data-sevs=\" {} \" data-rules=\" {} \" data-folder=\"{}\">\
                 <th scope=\"row\"><a href=\"#f{i}\">{}</a></th><td><span class=\"badge {worst}\">{worst}</span></td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                sevs.into_iter().collect::<Vec<_>>().join(" "),
                escape(&rules.into_iter().collect::<Vec<_>>().join(" ")),
                escape(folder(&h.path)),
                escape(&h.path),
                h.counts[0],
                h.counts[1],
                h.counts[2],
            );
        }
        page.push_str("</tbody></table></section>\n");
    }
}

impl Reporter for Html {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        let mut counts = [0; 3];
        let mut rules: BTreeMap<(&str, Severity), usize> = BTreeMap::new();
        let mut html = String::new();
        let mut explained: BTreeSet<&str> = BTreeSet::new();
        for (f, place) in file.iter() {
            counts[severity_index(f.severity)] += 1;
            *rules.entry((&f.rule, f.severity)).or_default() += 1;
            let first = explained.insert(&f.rule);
            self.render_finding(&mut html, place, f, first);
        }
        let header = FileHeader {
            path: file.name.to_string(),
            counts,
            rules: rules
                .into_iter()
                .map(|((r, s), n)| (r.to_string(), s, n))
                .collect(),
        };
        let mut out = serde_json::to_vec(&header).expect("serializing to memory cannot fail");
        out.push(b'\n');
        out.extend_from_slice(html.as_bytes());
        out
    }

    fn write(&mut self, _out: &mut dyn Write, rendered: &[u8]) -> io::Result<()> {
        let Some(newline) = rendered.iter().position(|&b| b == b'\n') else {
            return Ok(());
        };
        let header: FileHeader = serde_json::from_slice(&rendered[..newline])?;
        let html = String::from_utf8_lossy(&rendered[newline + 1..]).into_owned();
        self.files.push(FileEntry { header, html });
        Ok(())
    }

    fn notice(&mut self, _out: &mut dyn Write, notice: &Notice) -> io::Result<()> {
        let reason = match notice.kind {
            NoticeKind::Binary => "binary",
            NoticeKind::TooLarge => "too large",
            NoticeKind::Unreadable => "unreadable",
            NoticeKind::Unsupported => "unsupported",
            _ => return Ok(()),
        };
        *self.not_checked.entry(reason).or_default() += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        self.write_page(out, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">Tom & 'Jerry'</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn folders_of_paths() {
        assert_eq!(folder("docs/a/b.md"), "docs/a");
        assert_eq!(folder("b.md"), ".");
        assert_eq!(folder("/b.md"), "/");
    }
}
