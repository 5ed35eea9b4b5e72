//! The harness's fixture images, built on demand by the tests themselves: once per run, however
//! many test processes ask (nextest runs each test in its own), under a lock file in the target
//! folder. A stamp of the fixtures' content tells whether the images on the engine are current.

use std::collections::hash_map::DefaultHasher;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// True when the engine has current images, building them if needed. When it cannot (no engine,
/// no static busybox) it says why: a notice on a laptop, a failure with `CI=true`.
pub fn ready(images: &[&str]) -> bool {
    match ensure(images) {
        Ok(()) => true,
        Err(why) => {
            super::unavailable(&format!("harness tests need a Docker engine and the fixture images: {why}"));
            false
        }
    }
}

fn ensure(images: &[&str]) -> Result<(), String> {
    let stamp_path = target().join("fixture-images.stamp");
    let want = fixtures_hash();
    let current = || std::fs::read_to_string(&stamp_path).is_ok_and(|s| s.trim() == want) && present(images);
    engine()?;
    if current() {
        return Ok(());
    }
    let lock = File::create(target().join("fixture-images.lock")).map_err(|e| e.to_string())?;
    lock.lock().map_err(|e| format!("cannot lock the image build: {e}"))?;
    // Another test process may have built them while this one waited.
    if current() {
        return Ok(());
    }
    if !Path::new("/bin/busybox").exists() {
        return Err("no static busybox to build them from: install Debian's `busybox-static` package \
                    (apt-get install busybox-static)"
            .into());
    }
    eprintln!("building the fixture images (fixtures/harness/build-images.sh) …");
    let out = Command::new("bash")
        .arg(super::repo_root().join("fixtures/harness/build-images.sh"))
        .output()
        .map_err(|e| format!("cannot run bash: {e}"))?;
    if !out.status.success() {
        return Err(format!("build-images.sh failed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    if !present(images) {
        return Err("build-images.sh succeeded but the images are not on the engine".into());
    }
    std::fs::write(&stamp_path, want).map_err(|e| e.to_string())
}

fn target() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

fn engine() -> Result<(), String> {
    match Command::new("docker").args(["version", "--format", "{{.Server.Version}}"]).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => {
            Err(format!("the Docker engine does not answer: {}", String::from_utf8_lossy(&o.stderr).trim()))
        }
        Err(e) => Err(format!("cannot run docker: {e}")),
    }
}

fn present(images: &[&str]) -> bool {
    Command::new("docker").args(["image", "inspect"]).args(images).output().is_ok_and(|o| o.status.success())
}

/// Every file the images are built from, names and content, and the busybox they wrap.
fn fixtures_hash() -> String {
    fn walk(dir: &Path, h: &mut DefaultHasher) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            p.hash(h);
            if p.is_dir() {
                walk(&p, h);
            } else if let Ok(bytes) = std::fs::read(&p) {
                bytes.hash(h);
            }
        }
    }
    let mut h = DefaultHasher::new();
    let root = super::repo_root();
    walk(&root.join("fixtures/harness"), &mut h);
    walk(&root.join("fixtures/reference/upgrade"), &mut h);
    walk(&root.join("fixtures/reference/runtime"), &mut h);
    std::fs::metadata("/bin/busybox").ok().map(|m| (m.len(), m.modified().ok())).hash(&mut h);
    format!("{:016x}", h.finish())
}
