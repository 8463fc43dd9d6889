//! copylint's integration tests, in one binary: each module was a test
//! binary of its own, and each linked the whole crate. Run one module
//! with `cargo test --test it <module>::`, for example
//! `cargo test --test it claims::`.

mod common;

mod action;
mod book;
mod bulk;
mod ci_formats;
mod claims;
mod cli_tests;
mod config;
mod dask;
mod default_policy;
mod document_output;
mod documents;
mod editors;
mod extraction;
mod fix;
mod hostile;
mod html_report;
mod images;
mod judgement;
mod limits;
mod lsp_clients;
mod lsp_hostile;
mod lsp_memory;
mod matching;
mod ocr;
mod output;
mod pandoc;
mod pdf;
mod pdf_recovery;
mod policy_choice;
mod policy_files;
mod policy_language;
mod precommit;
mod prefilter;
mod properties;
mod public_documents;
mod recipes;
mod release;
mod reports;
mod s3;
mod shards;
mod snapshots;
mod source_map;
mod suppress_baseline_mdx;
mod terms;
mod wheel;
