//! Data trees: fresh copies for each run, and snapshots that compare names, content, file modes
//! and symlink targets (never timestamps, which every copy changes).

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use sha2::{Digest, Sha256};

/// A tree larger than this is not a test fixture; stop rather than hash a disk.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File {
        len: u64,
        sha256: [u8; 32],
    },
    Symlink(String),
    /// Sockets, devices, FIFOs: kept by name and mode only.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: Kind,
    pub mode: u32,
}

/// Every path below the root, relative, `/`-separated, in sorted order.
pub type Snapshot = BTreeMap<String, Entry>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Removed(String),
    Content(String),
    Mode { path: String, before: u32, after: u32 },
    Target { path: String, before: String, after: String },
    Kind(String),
}

impl Change {
    pub fn path(&self) -> &str {
        match self {
            Change::Added(p) | Change::Removed(p) | Change::Content(p) | Change::Kind(p) => p,
            Change::Mode { path, .. } | Change::Target { path, .. } => path,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Added(p) => write!(f, "added    {p}"),
            Change::Removed(p) => write!(f, "removed  {p}"),
            Change::Content(p) => write!(f, "content  {p}"),
            Change::Mode { path, before, after } => write!(f, "mode     {path} ({before:o} -> {after:o})"),
            Change::Target { path, before, after } => {
                write!(f, "symlink  {path} ({before} -> {after})")
            }
            Change::Kind(p) => write!(f, "type     {p}"),
        }
    }
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn hash_file(path: &Path) -> std::io::Result<[u8; 32]> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hasher.finalize().into())
}

/// Walks without following symlinks, so a link loop is just a link.
pub fn snapshot(root: &Path) -> std::io::Result<Snapshot> {
    let mut out = Snapshot::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for item in std::fs::read_dir(&dir)? {
            let path = item?.path();
            let meta = std::fs::symlink_metadata(&path)?;
            let ft = meta.file_type();
            let kind = if ft.is_dir() {
                stack.push(path.clone());
                Kind::Dir
            } else if ft.is_symlink() {
                Kind::Symlink(std::fs::read_link(&path)?.to_string_lossy().into_owned())
            } else if ft.is_file() {
                Kind::File { len: meta.len(), sha256: hash_file(&path)? }
            } else {
                Kind::Other
            };
            out.insert(rel(root, &path), Entry { kind, mode: meta.mode() & 0o7777 });
            if out.len() > MAX_ENTRIES {
                return Err(std::io::Error::other(format!(
                    "{} holds more than {MAX_ENTRIES} entries; a fixture tree should be small",
                    root.display()
                )));
            }
        }
    }
    Ok(out)
}

/// What differs between two snapshots, in path order.
pub fn diff(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut changes = Vec::new();
    for (path, b) in before {
        let Some(a) = after.get(path) else {
            changes.push(Change::Removed(path.clone()));
            continue;
        };
        match (&b.kind, &a.kind) {
            (Kind::File { .. }, Kind::File { .. }) if b.kind != a.kind => {
                changes.push(Change::Content(path.clone()));
            }
            (Kind::Symlink(x), Kind::Symlink(y)) if x != y => {
                changes.push(Change::Target { path: path.clone(), before: x.clone(), after: y.clone() })
            }
            (x, y) if std::mem::discriminant(x) != std::mem::discriminant(y) => {
                changes.push(Change::Kind(path.clone()));
                continue;
            }
            _ => {}
        }
        // A symlink's own mode means nothing on Linux.
        if b.mode != a.mode && !matches!(a.kind, Kind::Symlink(_)) {
            changes.push(Change::Mode { path: path.clone(), before: b.mode, after: a.mode });
        }
    }
    for path in after.keys() {
        if !before.contains_key(path) {
            changes.push(Change::Added(path.clone()));
        }
    }
    changes.sort_by(|x, y| change_path(x).cmp(change_path(y)));
    changes
}

fn change_path(c: &Change) -> &str {
    match c {
        Change::Added(p) | Change::Removed(p) | Change::Content(p) | Change::Kind(p) => p,
        Change::Mode { path, .. } | Change::Target { path, .. } => path,
    }
}

/// Copies `src` into the existing folder `dst`: folders, files with their modes, symlinks as
/// symlinks. Anything else (a device, a socket) is refused: it cannot be a fixture.
pub fn copy(src: &Path, dst: &Path) -> std::io::Result<()> {
    let mut stack = vec![(src.to_path_buf(), dst.to_path_buf())];
    let mut count = 0usize;
    while let Some((from, to)) = stack.pop() {
        for item in std::fs::read_dir(&from)? {
            let path = item?.path();
            let target = to.join(path.file_name().unwrap_or_default());
            let meta = std::fs::symlink_metadata(&path)?;
            let ft = meta.file_type();
            if ft.is_dir() {
                std::fs::create_dir(&target)?;
                stack.push((path, target.clone()));
            } else if ft.is_symlink() {
                std::os::unix::fs::symlink(std::fs::read_link(&path)?, &target)?;
            } else if ft.is_file() {
                std::fs::copy(&path, &target)?;
            } else {
                return Err(std::io::Error::other(format!(
                    "{} is neither a file, a folder nor a symlink",
                    path.display()
                )));
            }
            if !ft.is_symlink() {
                std::fs::set_permissions(&target, std::fs::Permissions::from_mode(meta.mode() & 0o7777))?;
            }
            count += 1;
            if count > MAX_ENTRIES {
                return Err(std::io::Error::other(format!(
                    "{} holds more than {MAX_ENTRIES} entries; a fixture tree should be small",
                    src.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn sample() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("storage/data/x")).unwrap();
        fs::write(d.path().join("storage/data/x/config"), "port=1\n").unwrap();
        fs::write(d.path().join("storage/data/x/run.sh"), "#!/bin/sh\n").unwrap();
        fs::set_permissions(d.path().join("storage/data/x/run.sh"), fs::Permissions::from_mode(0o755))
            .unwrap();
        std::os::unix::fs::symlink("config", d.path().join("storage/data/x/link")).unwrap();
        std::os::unix::fs::symlink("loop", d.path().join("storage/data/x/loop")).unwrap();
        d
    }

    #[test]
    fn copy_is_identical_and_source_untouched() {
        let src = sample();
        let before = snapshot(src.path()).unwrap();
        let dst = tempfile::tempdir().unwrap();
        copy(src.path(), dst.path()).unwrap();
        assert_eq!(snapshot(dst.path()).unwrap(), before);
        assert_eq!(snapshot(src.path()).unwrap(), before);
        assert_eq!(before.len(), 7, "{before:?}");
    }

    #[test]
    fn every_kind_of_change_is_named() {
        let d = sample();
        let before = snapshot(d.path()).unwrap();
        let x = d.path().join("storage/data/x");
        fs::write(x.join("config"), "port=2\n").unwrap();
        fs::set_permissions(x.join("run.sh"), fs::Permissions::from_mode(0o700)).unwrap();
        fs::remove_file(x.join("link")).unwrap();
        std::os::unix::fs::symlink("run.sh", x.join("link")).unwrap();
        fs::write(x.join("new"), "").unwrap();
        fs::remove_file(x.join("loop")).unwrap();
        let changes: Vec<String> =
            diff(&before, &snapshot(d.path()).unwrap()).iter().map(ToString::to_string).collect();
        assert_eq!(
            changes,
            [
                "content  storage/data/x/config",
                "symlink  storage/data/x/link (config -> run.sh)",
                "removed  storage/data/x/loop",
                "added    storage/data/x/new",
                "mode     storage/data/x/run.sh (755 -> 700)",
            ]
        );
    }

    #[test]
    fn same_content_new_timestamp_is_no_change() {
        let d = sample();
        let before = snapshot(d.path()).unwrap();
        fs::write(d.path().join("storage/data/x/config"), "port=1\n").unwrap();
        assert!(diff(&before, &snapshot(d.path()).unwrap()).is_empty());
    }

    #[test]
    fn a_file_replaced_by_a_folder_is_a_type_change() {
        let d = sample();
        let before = snapshot(d.path()).unwrap();
        let p = d.path().join("storage/data/x/config");
        fs::remove_file(&p).unwrap();
        fs::create_dir(&p).unwrap();
        let changes = diff(&before, &snapshot(d.path()).unwrap());
        assert_eq!(changes, vec![Change::Kind("storage/data/x/config".into())]);
    }
}
