//! The record of a run that NDJSON output ends with, before the summary:
//! everything `copylint merge` needs besides the findings and notices to
//! write any format as one run over all the shards would.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{NoticeKind, Severity};
use crate::policy::{Policy, Rule};
use crate::shard::Shard;

/// One policy a run used, and a digest of its text and the active rules'
/// ids and severities (after the configuration's overrides).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyDigest {
    pub name: String,
    pub digest: String,
}

impl PolicyDigest {
    /// The digests of the policies of the active `rules`, in rule order.
    pub fn of(rules: &[(&Policy, &Rule)]) -> Vec<PolicyDigest> {
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        for (policy, rule) in rules {
            if out.last().is_none_or(|(name, _)| *name != policy.name) {
                out.push((policy.name.clone(), policy.text.as_bytes().to_vec()));
            }
            if let Some((_, bytes)) = out.last_mut() {
                bytes.push(0);
                bytes.extend_from_slice(rule.id.as_bytes());
                bytes.push(b' ');
                bytes.extend_from_slice(rule.severity.as_str().as_bytes());
            }
        }
        out.into_iter()
            .map(|(name, bytes)| PolicyDigest {
                name,
                digest: format!("{:016x}", crate::shard::fnv1a64(&bytes)),
            })
            .collect()
    }
}

/// What a run checked, as a `{"run":{...}}` line of NDJSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The copylint version that wrote it.
    pub version: String,
    /// `--shard K/N`, when the run checked one shard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    pub policies: Vec<PolicyDigest>,
    /// `--min-severity`, when given: findings below it are not in the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_severity: Option<Severity>,
    /// Files checked, and their bytes.
    pub files: usize,
    pub bytes: u64,
    /// Files not checked, by reason, including binary files skipped
    /// silently while walking.
    pub skipped: BTreeMap<NoticeKind, usize>,
    /// The most severe finding, shown or not, which `--fail-on` looks at.
    pub worst: Option<Severity>,
    /// How many of the first notices are about paths that could not be
    /// walked (written before every file's notices).
    pub walk_notices: usize,
    /// Wall-clock time of the run.
    pub seconds: f64,
}
