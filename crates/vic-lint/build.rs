//! Puts `git describe` of the build into `--version`: the design's versioning rules (a git tag,
//! a build number for development builds) apply to vic-lint too. A build outside a git checkout
//! (a source tarball, `cargo install` from a registry) says so instead.

use std::process::Command;

fn main() {
    templates();
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

/// `vic-lint init` writes the reference component (fixtures/reference), renamed: the one
/// component the tests prove compliant. Its files are compiled in, so the binary needs nothing
/// beside it. The manifest and the Dockerfiles are written by init itself.
fn templates() {
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../../fixtures/reference");
    println!("cargo:rerun-if-changed={}", root.display());
    let skip = ["README.md", "vic-lint.toml", "upgrade/Dockerfile", "runtime/Dockerfile"];
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for entry in rd.flatten() {
            let path = entry.path();
            if path.is_dir() {
                println!("cargo:rerun-if-changed={}", path.display());
                stack.push(path);
                continue;
            }
            let rel =
                path.strip_prefix(&root).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            if skip.contains(&rel.as_str()) {
                continue;
            }
            files.push((rel, path));
        }
    }
    files.sort();
    let mut out = String::from("pub static TEMPLATE: &[(&str, &str)] = &[\n");
    for (rel, path) in files {
        out.push_str(&format!("    ({rel:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    out.push_str("];\n");
    let dest = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("template.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
