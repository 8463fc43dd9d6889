//! `copylint s3://bucket/prefix` against a real S3 API: moto's server,
//! started by the test on 127.0.0.1, holding the examples and enough
//! objects that the listing comes in more than one page (S3 pages hold
//! 1,000 keys). The findings must be those of the same files on disk.
//!
//! The server test is built only with the `s3` feature, and `#[ignore]`d: it needs moto
//! (`pip install 'moto[server]'`, which brings boto3). `.ci/run` installs
//! it in .venv-ci and runs `cargo test --features s3 --test it s3:: --
//! --include-ignored`. The server is found at `$COPYLINT_MOTO_SERVER`, else
//! `.venv-ci/bin/moto_server`; boto3 through `$COPYLINT_PYTHON`, else
//! `.venv-ci/bin/python`.

use crate::common;

/// Without the feature, an s3:// path says how to get it.
#[cfg(not(feature = "s3"))]
#[test]
fn without_the_feature_an_s3_path_is_a_usage_error() {
    let r = common::run(&["s3://bucket/docs"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("built without reading s3://") && r.stderr.contains("--features s3"),
        "{}",
        r.stderr
    );
}

/// Objects are only read.
#[cfg(feature = "s3")]
#[test]
fn fix_and_diff_refuse_objects() {
    for flag in ["--fix", "--diff"] {
        let r = common::run(&[flag, "s3://bucket/docs"]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains("objects in S3 are only read"),
            "{}",
            r.stderr
        );
    }
}

#[cfg(feature = "s3")]
mod server {
    use super::common;

    use std::net::{TcpListener, TcpStream};
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    fn tool(var: &str, venv: &str) -> PathBuf {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join(".venv-ci/bin")
                    .join(venv)
            })
    }

    /// moto's S3 server on a free port, stopped when dropped.
    struct Moto {
        child: Child,
        endpoint: String,
    }

    impl Moto {
        fn start() -> Moto {
            let port = TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let server = tool("COPYLINT_MOTO_SERVER", "moto_server");
            let child = Command::new(&server)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!(
                        "{} does not start ({e}): pip install 'moto[server]'",
                        server.display()
                    )
                });
            let started = Instant::now();
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "moto did not listen"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
            Moto {
                child,
                endpoint: format!("http://127.0.0.1:{port}"),
            }
        }

        /// Runs a Python snippet with boto3 pointed at the server.
        fn python(&self, code: &str) {
            let python = tool("COPYLINT_PYTHON", "python");
            let out = Command::new(&python)
                .args(["-c", code])
                .env("ENDPOINT", &self.endpoint)
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_DEFAULT_REGION", "us-east-1")
                .output()
                .unwrap_or_else(|e| panic!("{} does not run: {e}", python.display()));
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }

        fn copylint(&self, args: &[&str]) -> common::Run {
            let out = common::bin()
                .args(args)
                .env("AWS_ENDPOINT_URL", &self.endpoint)
                .env("AWS_ALLOW_HTTP", "true")
                .env("AWS_ACCESS_KEY_ID", "testing")
                .env("AWS_SECRET_ACCESS_KEY", "testing")
                .env("AWS_DEFAULT_REGION", "us-east-1")
                .output()
                .unwrap();
            common::Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            }
        }
    }

    impl Drop for Moto {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Uploads every file under `examples/` as `collateral/<relative path>`,
    /// and 1,100 small clean pages under `bulk/`, so the listing pages.
    const UPLOAD: &str = r#"
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["ENDPOINT"])
s3.create_bucket(Bucket="copy")
root = sys.argv[1] if len(sys.argv) > 1 else "examples"
for dirpath, _, files in os.walk(root):
    for f in files:
        path = os.path.join(dirpath, f)
        key = "collateral/" + os.path.relpath(path, root).replace(os.sep, "/")
        s3.upload_file(path, "copy", key)
for i in range(1100):
    body = "Page %d is powered by OpenAI.\n" % i
    if i == 1050:
        body = "Page 1050 calls on ChatGPT.\n"
    s3.put_object(Bucket="copy", Key="bulk/page%04d.md" % i, Body=body.encode())
s3.put_object(Bucket="copy", Key="bulk/notes.bin", Body=b"calls on ChatGPT")
"#;

    #[test]
    #[ignore = "needs moto (pip install 'moto[server]'; .ci/run installs it)"]
    fn objects_are_checked_like_the_same_files_on_disk() {
        let moto = Moto::start();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        moto.python(&UPLOAD.replace(
            "sys.argv[1] if len(sys.argv) > 1 else \"examples\"",
            &format!("{:?}", examples.display().to_string()),
        ));

        // The examples: the same findings as on disk, under s3:// names.
        let remote = moto.copylint(&["--format", "short", "s3://copy/collateral/"]);
        let local = common::run_in(&examples, &["--format", "short", "."], b"");
        assert_eq!(remote.code, local.code, "{}", remote.stderr);
        assert!(local.stdout.lines().count() > 10, "{}", local.stdout);
        assert_eq!(
            remote.stdout,
            local
                .stdout
                .lines()
                .map(|l| format!("s3://copy/collateral/{l}\n"))
                .collect::<String>()
        );

        // More than a page of keys: every object is listed, checked once, in
        // key order; a key with no supported extension is not fetched.
        let bulk = moto.copylint(&["--format", "json", "--summary", "s3://copy/bulk"]);
        assert_eq!(bulk.code, 1, "{}", bulk.stderr);
        let json: serde_json::Value = serde_json::from_str(&bulk.stdout).unwrap();
        assert_eq!(json["summary"]["files"], 1100, "{}", bulk.stdout);
        let paths: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].as_str().unwrap())
            .collect();
        assert!(paths.contains(&"s3://copy/bulk/page1050.md"), "{paths:?}");
        assert!(!paths.iter().any(|p| p.ends_with(".bin")));

        // A missing bucket is an error that names it, and exit 2.
        let missing = moto.copylint(&["s3://no-such-bucket/x"]);
        assert_eq!(missing.code, 2, "{}", missing.stderr);
        assert!(
            missing
                .stderr
                .contains("s3://no-such-bucket/x: cannot list"),
            "{}",
            missing.stderr
        );
    }
}
