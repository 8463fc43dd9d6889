//! `--format sarif`: one SARIF 2.1.0 log, as GitHub code scanning reads it.
//!
//! One run; `tool.driver` names copylint and lists every active rule (id,
//! a name, the message as a short description, the explanation, help with
//! suggestions and the rule's examples, and the default level). Each
//! finding is a result with its rule's id and index, a level (`error`,
//! `warning`, or `note` for info), the message, one location and a partial
//! fingerprint. Locations are relative URIs against `%SRCROOT%` (absolute
//! paths become `file://` URIs) with `/` separators and every byte outside
//! the unreserved set percent-encoded. Regions use the lines and columns
//! the other formats show: `run.columnKind` is `unicodeCodePoints`, because
//! copylint's columns count Unicode scalar values, and `endColumn` is
//! exclusive, as SARIF defines it.
//!
//! The fingerprint (`copylint/v1`) hashes the rule, the URI and the matched
//! text, then appends how many earlier findings of the file had the same
//! three: it survives edits that move a finding to another line, which is
//! what GitHub needs to keep an alert open (or closed) across commits.
//!
//! The log is buffered: each file's results are rendered on the workers,
//! kept as bytes in path order, and the whole log is written at the end,
//! so an interrupted run leaves no half-written file to upload.
//!
//! # Hand-built structs rather than serde-sarif
//!
//! serde-sarif (0.8) offers a typed model of the whole schema, but it
//! generates its types at build time (a build script running schemafy_lib,
//! syn, quote and prettyplease over the schema) and adds strum and
//! typed-builder: a code generator in every clean build, for the dozen
//! objects copylint writes. Its model is made for reading any SARIF: every
//! field is an owned, optional value (some, like `version`, a
//! `serde_json::Value`), so each finding would be copied into an owned tree
//! before being serialized, and the types still would not stop a wrong
//! value (a zero column, an unencoded URI). The structs below borrow from
//! the finding, say exactly what GitHub reads, and the integration test
//! validates the output against the official SARIF 2.1.0 schema, which
//! checks what a typed model would (and the formats it cannot). Should
//! copylint ever read SARIF, or write much more of it, serde-sarif would
//! become worth its build cost.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::placed::{FileFindings, Placement};
use super::{Reporter, Summary};
use crate::finding::{Applicability, Finding, Notice, NoticeLevel, Severity};
use crate::policy::{Policy, Rule};
use crate::shard::Fnv1a64;
use crate::source::UnitFields;

mod rules;

use rules::{RuleDescriptor, describe};

/// The project's home page, which SARIF viewers link the tool to.
pub const PROJECT_URI: &str = "https://github.com/copylint/copylint";

/// The schema the log declares.
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base that relative artifact URIs resolve against.
const SRCROOT: &str = "%SRCROOT%";

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: &'a [RuleDescriptor],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation<'a> {
    uri: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    snippet: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: &'a ArtifactLocation<'a>,
    region: Region<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints,
    /// The finding's fix, when it has one that may be applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<serde_json::Value>,
    properties: ResultProperties<'a>,
}

/// The property bag of a result: the sentence around the match, for a
/// finding in a document its unit (`page`, `slide`, `notes`, `object`,
/// `master`, `layout`, `paragraph`, `part`), and for a claim its parts.
#[derive(Serialize)]
struct ResultProperties<'a> {
    context: &'a str,
    #[serde(flatten)]
    unit: UnitFields,
    /// For a claim: its actor, verb, object and frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    claim: Option<&'a crate::claims::Claim>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "copylint/v1")]
    copylint: String,
}

/// Writes one SARIF log at the end of the run.
pub struct Sarif {
    rules: Vec<RuleDescriptor>,
    /// Rule id to its index in `rules`.
    index: HashMap<Arc<str>, usize>,
    /// Every result so far, rendered and comma-separated.
    results: Vec<u8>,
    /// Notices about files, as `toolExecutionNotifications`.
    notifications: Vec<serde_json::Value>,
}

impl Sarif {
    /// A reporter describing the active `rules`.
    pub fn new(rules: &[(&Policy, &Rule)]) -> Sarif {
        let rules: Vec<RuleDescriptor> = rules
            .iter()
            .map(|(policy, rule)| describe(policy, rule))
            .collect();
        let index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Sarif {
            rules,
            index,
            results: Vec::new(),
            notifications: Vec::new(),
        }
    }
}

impl Reporter for Sarif {
    fn render(&self, file: &FileFindings) -> Vec<u8> {
        let mut out = Vec::new();
        let (uri, base) = artifact_uri(file.name, cfg!(windows));
        let artifact = ArtifactLocation {
            uri: &uri,
            uri_base_id: base,
        };
        let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, (f, place)) in file.iter().enumerate() {
            let start = place.start;
            let end = place.end_in_start_unit();
            let unit = UnitFields::new(f.unit);
            let occurrence = seen.entry((&*f.rule, f.matched.as_str())).or_insert(0);
            *occurrence += 1;
            let fingerprint = format!(
                "{:016x}:{occurrence}",
                fnv1a(&[f.rule.as_bytes(), uri.as_bytes(), f.matched.as_bytes()])
            );
            let result = SarifResult {
                rule_id: &f.rule,
                rule_index: self.index.get(&f.rule).copied(),
                level: level(f.severity),
                message: Text { text: &f.message },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: &artifact,
                        region: Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: end.line,
                            end_column: end.column,
                            snippet: Text {
                                text: place.snippet(f),
                            },
                        },
                    },
                }],
                partial_fingerprints: Fingerprints {
                    copylint: fingerprint,
                },
                fixes: sarif_fixes(f, place, &artifact),
                properties: ResultProperties {
                    context: &f.context,
                    unit,
                    claim: f.claim.as_deref(),
                },
            };
            if i > 0 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, &result).expect("serializing to memory cannot fail");
        }
        out
    }

    fn write(&mut self, _out: &mut dyn Write, rendered: &[u8]) -> io::Result<()> {
        if !rendered.is_empty() {
            if !self.results.is_empty() {
                self.results.push(b',');
            }
            self.results.extend_from_slice(rendered);
        }
        Ok(())
    }

    fn notice(&mut self, _out: &mut dyn Write, notice: &Notice) -> io::Result<()> {
        let (uri, base) = artifact_uri(&notice.path, cfg!(windows));
        let mut artifact = serde_json::json!({ "uri": uri });
        if let Some(base) = base {
            artifact["uriBaseId"] = base.into();
        }
        let mut physical = serde_json::json!({ "artifactLocation": artifact });
        if let Some(line) = notice.line {
            physical["region"] = serde_json::json!({ "startLine": line });
        }
        let mut notification = serde_json::json!({
            "level": match notice.level {
                NoticeLevel::Error => "error",
                NoticeLevel::Warning => "warning",
                NoticeLevel::Note => "note",
            },
            "message": { "text": notice.message },
            "locations": [{ "physicalLocation": physical }],
            "descriptor": { "id": notice.kind },
        });
        if let Some(count) = notice.count {
            notification["properties"] = serde_json::json!({ "count": count });
        }
        self.notifications.push(notification);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let tool = Tool {
            driver: Driver {
                name: "copylint",
                version: env!("CARGO_PKG_VERSION"),
                information_uri: PROJECT_URI,
                rules: &self.rules,
            },
        };
        write!(
            out,
            "{{\"$schema\":\"{SCHEMA_URI}\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":"
        )?;
        serde_json::to_writer(&mut *out, &tool)?;
        out.write_all(b",\"columnKind\":\"unicodeCodePoints\",\"results\":[")?;
        out.write_all(&self.results)?;
        out.write_all(b"]")?;
        if !self.notifications.is_empty() {
            let failed = self.notifications.iter().any(|n| n["level"] == "error");
            let invocation = serde_json::json!([{
                "executionSuccessful": !failed,
                "toolExecutionNotifications": self.notifications,
            }]);
            out.write_all(b",\"invocations\":")?;
            serde_json::to_writer(&mut *out, &invocation)?;
        }
        out.write_all(b"}]}\n")?;
        self.results = Vec::new();
        Ok(())
    }
}

/// A finding's fix as SARIF `fixes`: one fix, its replacements in one
/// artifact change. Display-only fixes are not offered.
fn sarif_fixes(
    f: &Finding,
    place: &Placement,
    artifact: &ArtifactLocation,
) -> Vec<serde_json::Value> {
    let Some(fix) = f
        .fix
        .as_ref()
        .filter(|x| x.applicability > Applicability::Display)
    else {
        return Vec::new();
    };
    let replacements: Vec<serde_json::Value> = fix
        .edits
        .iter()
        .zip(&place.edits)
        .map(|(e, at)| {
            let (start, end) = (at.text_start, at.text_end);
            serde_json::json!({
                "deletedRegion": {
                    "startLine": start.line, "startColumn": start.column,
                    "endLine": end.line, "endColumn": end.column,
                },
                "insertedContent": { "text": e.content },
            })
        })
        .collect();
    let description = match fix.edits.as_slice() {
        [one] => format!(
            "Replace with “{}” ({})",
            one.content,
            fix.applicability.as_str()
        ),
        _ => format!("Apply the fix ({})", fix.applicability.as_str()),
    };
    vec![serde_json::json!({
        "description": { "text": description },
        "artifactChanges": [{ "artifactLocation": artifact, "replacements": replacements }],
    })]
}

/// The artifact URI of a displayed path, and its base: a relative path is a
/// relative reference against `%SRCROOT%`, an absolute one a `file://` URI.
/// With `windows`, backslashes separate components and `C:` starts an
/// absolute path; elsewhere a backslash is part of a name.
fn artifact_uri(path: &str, windows: bool) -> (String, Option<&'static str>) {
    let path = if windows {
        let path = path.replace('\\', "/");
        // Verbatim paths: `\\?\C:\x` and `\\?\UNC\server\share\x`.
        if let Some(unc) = path.strip_prefix("//?/UNC/") {
            format!("//{unc}")
        } else if let Some(local) = path.strip_prefix("//?/") {
            local.to_string()
        } else {
            path
        }
    } else {
        path.to_string()
    };
    let drive = windows
        && path.len() >= 2
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1] == b':';
    if drive {
        // `C:/x` as `file:///C:/x`; a drive-relative `C:x` has no URI of
        // its own, and is kept the same way.
        (
            format!("file:///{}:{}", &path[..1], encode(&path[2..])),
            None,
        )
    } else if let Some(unc) = path.strip_prefix("//").filter(|_| windows) {
        (format!("file://{}", encode(unc)), None)
    } else if path.starts_with('/') {
        (format!("file://{}", encode(&path)), None)
    } else {
        (encode(&path), Some(SRCROOT))
    }
}

/// Every byte but the unreserved characters (RFC 3986) and `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes every byte but the unreserved characters and `/`.
fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

/// 64-bit FNV-1a of the parts, each followed by a NUL so that no two lists
/// of parts hash the same bytes. Stable across builds and platforms, unlike
/// the standard library's hasher.
fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .fold(Fnv1a64::new(), |hash, part| hash.write(part).write(&[0]))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_encoded_against_srcroot() {
        assert_eq!(
            artifact_uri("docs/a b,c.md", false),
            ("docs/a%20b%2Cc.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("x:y%é#?.md", false),
            ("x%3Ay%25%C3%A9%23%3F.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("a\\b.md", false),
            ("a%5Cb.md".to_string(), Some(SRCROOT))
        );
        assert_eq!(
            artifact_uri("<stdin>", false),
            ("%3Cstdin%3E".to_string(), Some(SRCROOT))
        );
    }

    #[test]
    fn absolute_paths_are_file_uris() {
        assert_eq!(
            artifact_uri("/tmp/my docs/a.md", false),
            ("file:///tmp/my%20docs/a.md".to_string(), None)
        );
        assert_eq!(
            artifact_uri("C:\\Users\\me\\a b.md", true),
            ("file:///C:/Users/me/a%20b.md".to_string(), None)
        );
        assert_eq!(
            artifact_uri("\\\\?\\C:\\x\\a.md", true),
            ("file:///C:/x/a.md".to_string(), None)
        );
        assert_eq!(
            artifact_uri("\\\\server\\share\\a.md", true),
            ("file://server/share/a.md".to_string(), None)
        );
        assert_eq!(
            artifact_uri("docs\\a.md", true),
            ("docs/a.md".to_string(), Some(SRCROOT))
        );
    }

    #[test]
    fn fingerprints_are_stable() {
        // FNV-1a's published test vector for the empty input, then the
        // separator keeps ("ab", "c") apart from ("a", "bc").
        assert_eq!(fnv1a(&[]), 0xcbf2_9ce4_8422_2325);
        assert_ne!(fnv1a(&[b"ab", b"c"]), fnv1a(&[b"a", b"bc"]));
        assert_eq!(fnv1a(&[b"a"]), fnv1a(&[b"a"]));
    }
}
