//! Which files under the given paths vic-lint reads, and as what.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Unit,
    /// `<unit>.d/*.conf`; the unit's name is kept in `Discovered::unit`.
    DropIn,
    Compose,
    /// The appliance version file (`name=value` lines), named `version`.
    VersionFile,
    /// A Markdown file that may be the component's integration document; the engine keeps it
    /// only if its headings follow the template or the configuration names it.
    Markdown,
    /// `.drone.yml`.
    Drone,
    /// A YAML file that is a Compose file if it has a top-level `services:` key.
    MaybeCompose,
    /// One of the documented files of a certificate directory (`certs/server.crt`, ...).
    Certificate,
    /// A Dockerfile in an `upgrade/` or `migration/` folder (or named `Dockerfile.upgrade`):
    /// the component builds an upgrade container. Read only to know it is there.
    UpgradeImage,
}

/// The files the design document lists in `/storage/data/certs/` that hold PEM data.
pub const CERT_FILES: &[&str] = &["ca.crt", "ca.key", "server.crt", "server.key"];

#[derive(Debug, Clone)]
pub struct Discovered {
    /// As the user would write it: the given path joined with the walked part.
    pub path: String,
    pub fs_path: PathBuf,
    pub kind: FileKind,
    /// The unit name a file belongs to (`admiral.service`, for a unit or its drop-in).
    pub unit: String,
}

/// Something found during the walk that cannot be read (permissions, a symlink loop).
#[derive(Debug, Clone)]
pub struct WalkIssue {
    pub path: String,
    pub message: String,
}

const UNIT_SUFFIXES: &[&str] =
    &[".service", ".socket", ".target", ".timer", ".path", ".mount", ".automount", ".swap", ".slice"];

pub fn is_unit_name(name: &str) -> bool {
    UNIT_SUFFIXES.iter().any(|s| name.len() > s.len() && name.ends_with(s))
}

/// Classifies a file by its name and its folder's name.
fn is_upgrade_dockerfile(path: &Path, lower: &str) -> bool {
    let upgrade = |s: &str| s.contains("upgrade") || s.contains("migrat");
    let Some(rest) = lower.strip_prefix("dockerfile") else { return false };
    if !rest.is_empty() {
        return rest.starts_with('.') && upgrade(rest);
    }
    path.ancestors()
        .skip(1)
        .take(2)
        .filter_map(Path::file_name)
        .any(|d| upgrade(&d.to_string_lossy().to_ascii_lowercase()))
}

pub fn classify(path: &Path) -> Option<(FileKind, String)> {
    let name = path.file_name()?.to_str()?;
    if is_unit_name(name) {
        return Some((FileKind::Unit, name.to_string()));
    }
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    let kind = if lower == ".drone.yml" || lower == ".drone.yaml" {
        Some(FileKind::Drone)
    } else if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose")) {
        Some(FileKind::Compose)
    } else if yaml {
        Some(FileKind::MaybeCompose)
    } else if name == "version" {
        Some(FileKind::VersionFile)
    } else if lower.ends_with(".md") {
        Some(FileKind::Markdown)
    } else if CERT_FILES.contains(&name) && in_certs_dir(path) {
        Some(FileKind::Certificate)
    } else if is_upgrade_dockerfile(path, &lower) {
        Some(FileKind::UpgradeImage)
    } else {
        None
    };
    if let Some(kind) = kind {
        return Some((kind, name.to_string()));
    }
    if name.ends_with(".conf") {
        let dir = path.parent()?.file_name()?.to_str()?;
        let unit = dir.strip_suffix(".d")?;
        if is_unit_name(unit) {
            return Some((FileKind::DropIn, unit.to_string()));
        }
    }
    None
}

fn in_certs_dir(path: &Path) -> bool {
    path.parent().and_then(Path::file_name).is_some_and(|d| d == "certs")
}

/// Walks each path (honouring .gitignore, keeping hidden files, never entering `.git`).
/// A path that does not exist is an error for the caller to report as a usage problem.
pub fn discover(paths: &[PathBuf]) -> Result<(Vec<Discovered>, Vec<WalkIssue>), String> {
    let found = std::sync::Mutex::new(Vec::new());
    let issues = std::sync::Mutex::new(Vec::new());
    for root in paths {
        if std::fs::symlink_metadata(root).is_err() {
            return Err(format!("{}: no such file or directory", root.display()));
        }
        // Folders are read on every core; the order is restored by the sort below.
        ignore::WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build_parallel()
            .run(|| {
                Box::new(|entry| {
                    match entry {
                        Ok(e) if e.file_type().is_some_and(|t| t.is_dir()) => {}
                        Ok(e) => {
                            if let Some((kind, unit)) = classify(e.path()) {
                                let d = Discovered {
                                    path: display(e.path()),
                                    fs_path: e.path().to_path_buf(),
                                    kind,
                                    unit,
                                };
                                found.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(d);
                            }
                        }
                        Err(err) => {
                            let issue = WalkIssue {
                                path: err_path(&err).unwrap_or_else(|| display(root)),
                                message: err.to_string(),
                            };
                            issues.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(issue);
                        }
                    }
                    ignore::WalkState::Continue
                })
            });
    }
    let mut found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut issues = issues.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|a, b| a.path == b.path);
    issues.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    Ok((found, issues))
}

fn err_path(err: &ignore::Error) -> Option<String> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(display(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => err_path(err),
        ignore::Error::Loop { child, .. } => Some(display(child)),
        _ => None,
    }
}

/// Paths print with forward slashes and without a leading `./`.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_units_and_dropins() {
        assert_eq!(
            classify(Path::new("a/admiral.service")),
            Some((FileKind::Unit, "admiral.service".into()))
        );
        assert_eq!(
            classify(Path::new("a/admiral.service.d/10-x.conf")),
            Some((FileKind::DropIn, "admiral.service".into()))
        );
        assert_eq!(classify(Path::new("a/foo.d/10-x.conf")), None);
        assert_eq!(classify(Path::new(".service")), None);
        assert_eq!(classify(Path::new("a/docker-compose.notary.yml")).map(|c| c.0), Some(FileKind::Compose));
        assert_eq!(classify(Path::new("a/.drone.yml")).map(|c| c.0), Some(FileKind::Drone));
        assert_eq!(classify(Path::new("a/app.yaml")).map(|c| c.0), Some(FileKind::MaybeCompose));
        assert_eq!(classify(Path::new("a/version")).map(|c| c.0), Some(FileKind::VersionFile));
        assert_eq!(classify(Path::new("a/version.txt")), None);
        assert_eq!(classify(Path::new("README.md")).map(|c| c.0), Some(FileKind::Markdown));
        assert_eq!(classify(Path::new("d/certs/server.key")).map(|c| c.0), Some(FileKind::Certificate));
        let upgrade = Some(FileKind::UpgradeImage);
        assert_eq!(classify(Path::new("tools/migration/Dockerfile")).map(|c| c.0), upgrade);
        assert_eq!(classify(Path::new("upgrade/Dockerfile")).map(|c| c.0), upgrade);
        assert_eq!(classify(Path::new("make/Dockerfile.upgrade")).map(|c| c.0), upgrade);
        assert_eq!(classify(Path::new("make/photon/ui/Dockerfile")), None);
        assert_eq!(classify(Path::new("d/keys/server.key")), None);
    }

    #[test]
    fn walks_hidden_skips_git_and_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join(".hidden")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        std::fs::create_dir_all(d.join("skip")).unwrap();
        std::fs::write(d.join(".hidden/a.service"), "").unwrap();
        std::fs::write(d.join(".git/b.service"), "").unwrap();
        std::fs::write(d.join("skip/c.service"), "").unwrap();
        std::fs::write(d.join(".gitignore"), "skip/\n").unwrap();
        let (found, issues) = discover(&[d.to_path_buf()]).unwrap();
        let names: Vec<_> = found.iter().map(|f| f.unit.as_str()).collect();
        assert_eq!(names, vec!["a.service"]);
        assert!(issues.is_empty());
        assert!(discover(&[d.join("nope")]).is_err());
    }
}
