//! Puts `git describe` of the build into `--version`: the design's versioning rules (a git tag,
//! a build number for development builds) apply to vic-lint too. A build outside a git checkout
//! (a source tarball, `cargo install` from a registry) says so instead.

use std::process::Command;

fn main() {
    let describe = Command::new("git")
        .args(["describe", "--tags", "--always", "--dirty"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "not built from git".to_string());
    println!("cargo:rustc-env=VIC_LINT_GIT_DESCRIBE={describe}");
    // Rebuild when HEAD moves or the index changes (which `--dirty` reflects).
    if let Ok(out) = Command::new("git").args(["rev-parse", "--git-dir"]).output() {
        if let Ok(dir) = String::from_utf8(out.stdout) {
            let dir = dir.trim();
            if !dir.is_empty() {
                println!("cargo:rerun-if-changed={dir}/HEAD");
                println!("cargo:rerun-if-changed={dir}/index");
                println!("cargo:rerun-if-changed={dir}/refs");
            }
        }
    }
}
