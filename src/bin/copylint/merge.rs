//! `copylint merge`: the NDJSON outputs of shards in, one report out, the
//! same bytes one run over the whole tree writes (apart from timings).
//!
//! The library reads and checks the outputs ([`copylint::merge`]); this
//! command loads the policies as a run does (to describe the rules in
//! SARIF and HTML, and to make sure they are the shards' policies), hands
//! each file's notices and findings to the reporter in path order, and
//! decides the exit status as a run does.

use std::time::Duration;

use copylint::error::Error;
use copylint::merge::Merged;
use copylint::report::{self, FileFindings, PolicyDigest, SummaryBuilder};

use std::path::PathBuf;

use crate::settings::Settings;
use crate::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Outcome, Streams};

/// Merges the shards' outputs `inputs`.
pub fn merge(settings: &Settings, inputs: &[PathBuf], s: &mut Streams) -> Outcome {
    let output = &settings.output;
    let merged = copylint::merge::merge(inputs)?;
    let rules: Vec<_> = settings.linter.rules().collect();
    if PolicyDigest::of(&rules) != merged.run.policies {
        let names: Vec<&str> = merged
            .run
            .policies
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        return Err(Error::usage(
            format!(
                "the shards were checked with other policies ({}) than this merge loads",
                names.join(", ")
            ),
            "run merge with the --policy, --config or --no-default-policy the shards used",
        )
        .into());
    }
    let mut reporter = report::reporter(output.format, s.out_color, &rules);
    let mut failed = false;
    let mut summary = SummaryBuilder::default();
    let Merged {
        run,
        walk_notices,
        files,
    } = merged;
    for n in &walk_notices {
        failed |= s.notice(n, output.quiet)?;
        reporter.notice(s.out, n)?;
    }
    let mut with_findings = 0;
    for file in files {
        for n in &file.notices {
            failed |= s.notice(n, output.quiet)?;
            reporter.notice(s.out, n)?;
        }
        let ocr = settings.linter.extract_options().ocr;
        summary.images_in_notices(&file.notices, ocr);
        if file.findings.is_empty() {
            continue;
        }
        with_findings += 1;
        summary.add(&file.path, 0, &file.findings);
        if !output.summary_only {
            let view = FileFindings {
                name: &file.path,
                findings: &file.findings,
                places: file.places,
            };
            let rendered = reporter.render(&view);
            reporter.write(s.out, &rendered)?;
        }
    }
    summary.add_totals(
        run.files.saturating_sub(with_findings),
        run.bytes,
        &run.skipped,
    );
    let summary = if output.summary || output.summary_only {
        summary.detailed(Duration::try_from_secs_f64(run.seconds).unwrap_or_default())
    } else {
        summary.counts()
    };
    reporter.run(s.out, &run)?;
    reporter.finish(s.out, &summary)?;
    Ok(if failed {
        EXIT_ERROR
    } else if settings.fail_on.value.fails(run.worst) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
