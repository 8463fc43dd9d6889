//! Object storage: `copylint s3://bucket/prefix` checks the objects under
//! a prefix without copying them to disk first.
//!
//! The objects are listed through object_store, which follows the usual
//! AWS credential chain (environment, profile, web identity, container and
//! instance credentials) and `AWS_ENDPOINT_URL` for S3-compatible stores.
//! The listing is streamed page by page; objects whose key names a
//! supported format are fetched a chunk at a time, a few requests at once,
//! and checked on the worker pool like files, in key order. Memory holds
//! one chunk of objects, never the whole listing. Objects are only read:
//! `--fix` and `--diff` take local files.

use std::path::Path;
use std::sync::Arc;

use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt};
use rayon::prelude::*;

use super::{FileResult, Job, Tally};
use crate::feed::CHUNK;
use crate::settings::Settings;
use crate::{Failure, Streams};
use copylint::finding::{Notice, NoticeKind, NoticeLevel};
use copylint::shard::Shard;

/// Requests in flight at once while a chunk is fetched.
const FETCHES: usize = 16;

/// The bucket and the key prefix of `s3://bucket/prefix`.
fn split(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("s3://")?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    (!bucket.is_empty()).then_some((bucket, prefix.trim_end_matches('/')))
}

/// Checks every object under each root, writing results in key order.
pub fn check_roots(
    roots: &[&str],
    settings: &Settings,
    shard: Option<Shard>,
    job: &Job,
    tally: &mut Tally,
    s: &mut Streams,
) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.value.max(1))
        .build()
        .map_err(|e| std::io::Error::other(format!("cannot start worker threads: {e}")))?;
    for &root in roots {
        let failed = |message: String| {
            Notice::new(NoticeLevel::Error, NoticeKind::Unreadable, root, message)
        };
        let Some((bucket, prefix)) = split(root) else {
            tally.notice(
                &failed("not a bucket URL: write s3://BUCKET/PREFIX".into()),
                s,
            )?;
            continue;
        };
        let store = match AmazonS3Builder::from_env().with_bucket_name(bucket).build() {
            Ok(store) => Arc::new(store),
            Err(e) => {
                tally.notice(&failed(format!("cannot open the bucket: {e}")), s)?;
                continue;
            }
        };
        let prefix_str = prefix;
        let prefix = (!prefix.is_empty()).then(|| Key::from(prefix));
        let mut listing = store.list(prefix.as_ref());
        let mut chunk = Vec::new();
        loop {
            let done = match runtime.block_on(listing.next()) {
                Some(Ok(meta)) => {
                    let key = meta.location.as_ref();
                    // A shard's key is the object's key below the prefix, as
                    // a file's is its path below the folder given.
                    let relative =
                        (key.strip_prefix(prefix_str)).map_or(key, |k| k.trim_start_matches('/'));
                    let format = settings.walk.extensions.format_of(Path::new(key));
                    if let Some(format) = format
                        && shard.is_none_or(|shard| shard.contains(relative))
                    {
                        chunk.push((meta, format));
                    }
                    false
                }
                Some(Err(e)) => {
                    tally.notice(&failed(format!("cannot list: {e}")), s)?;
                    true
                }
                None => true,
            };
            if chunk.len() == CHUNK || (done && !chunk.is_empty()) {
                let batch = std::mem::take(&mut chunk);
                let results = check_chunk(&runtime, &pool, &store, bucket, batch, job);
                for r in results {
                    tally.write(r, s)?;
                }
            }
            if done {
                break;
            }
        }
    }
    Ok(())
}

/// Fetches a chunk of objects, a few at a time, and checks them on the pool.
fn check_chunk(
    runtime: &tokio::runtime::Runtime,
    pool: &rayon::ThreadPool,
    store: &Arc<object_store::aws::AmazonS3>,
    bucket: &str,
    batch: Vec<(object_store::ObjectMeta, copylint::Format)>,
    job: &Job,
) -> Vec<FileResult> {
    let fetched: Vec<_> = runtime.block_on(
        futures::stream::iter(batch)
            .map(|(meta, format)| {
                let store = Arc::clone(store);
                let too_large = meta.size > job.file.max_file_size;
                async move {
                    let bytes = if too_large {
                        None
                    } else {
                        Some(match store.get(&meta.location).await {
                            Ok(got) => got.bytes().await.map(|b| b.to_vec()),
                            Err(e) => Err(e),
                        })
                    };
                    (meta, format, bytes)
                }
            })
            .buffered(FETCHES)
            .collect(),
    );
    pool.install(|| {
        fetched
            .into_par_iter()
            .map(|(meta, format, bytes)| {
                let key = meta.location.to_string();
                let name = format!("s3://{bucket}/{key}");
                let Some(bytes) = bytes else {
                    return job.result(job.file.too_large(name, meta.size, NoticeLevel::Warning));
                };
                let bytes = bytes.map_err(std::io::Error::other);
                job.result((job.file).check_bytes(name, Path::new(&key), format, false, bytes))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_bucket_and_prefix() {
        assert_eq!(split("s3://b/docs/2026/"), Some(("b", "docs/2026")));
        assert_eq!(split("s3://b"), Some(("b", "")));
        assert_eq!(split("s3://b/"), Some(("b", "")));
        assert_eq!(split("s3:///x"), None);
        assert_eq!(split("/tmp/x"), None);
        assert!(crate::usage::is_remote(Path::new("s3://b/x")));
        assert!(!crate::usage::is_remote(Path::new("docs/s3:/x")));
    }
}
