//! Helpers shared by the CLI tests: run the built binary from the repository root.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod images;

use std::path::{Path, PathBuf};
use std::process::Output;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap_or_default()
}

pub fn vic_lint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("vic-lint").unwrap();
    cmd.current_dir(repo_root()).env("NO_COLOR", "1").env_remove("COLUMNS");
    cmd
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = vic_lint().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run(args: &[&str]) -> Run {
    run_in(&repo_root(), args)
}

/// The codes of the findings of a JSON report, in order.
pub fn codes(json: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

/// For a test that checks a fragment of a component (one unit): leaves out the rules about what
/// a whole component must have, as the rule fixtures do.
pub const PARTIAL: &str = "fixtures/rules/partial.toml";

/// The `[rules]` table of `fixtures/rules/partial.toml`, for a `vic-lint.toml` written by a test;
/// `extra` adds keys to the table.
pub fn partial_rules(extra: &str) -> String {
    format!("[rules]\nignore = [\"C007\", \"V001\", \"D001\", \"P001\"]\n{extra}")
}

/// A tool a test needs is missing: a notice on a laptop, a failure in CI (`CI=true`).
pub fn unavailable(why: &str) {
    assert!(!std::env::var("CI").is_ok_and(|v| v == "true"), "{why}");
    eprintln!("skipped: {why}");
}

/// Copies a folder tree (regular files and folders).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
