//! From paths to loaded inputs: discovery, the files the configuration names, and the filter
//! that keeps only the Markdown and YAML files that are what vic-lint checks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vic_lint_core::config::Loaded;
use vic_lint_core::discover::{discover, display, Discovered, FileKind};
use vic_lint_core::rule::LoadIssue;
use vic_lint_syntax::unit::{self, UnitFile};
use vic_lint_syntax::{markdown, FileId, SourceFile, Span};

use super::{CheckError, Overlay};

pub(super) struct Input {
    pub file: SourceFile,
    pub issue: Option<LoadIssue>,
    pub kind: Option<(FileKind, String)>,
    /// The component whose `[[component]]` names this file (`integration-doc`, `version-file`),
    /// which wins over the path globs.
    pub owner: Option<usize>,
}

impl Input {
    pub fn kind(&self) -> Option<FileKind> {
        self.kind.as_ref().map(|(k, _)| *k)
    }
}

pub(super) fn load(
    paths: &[PathBuf],
    loaded: &Loaded,
    overlay: Option<&Overlay>,
) -> Result<Vec<Input>, CheckError> {
    let (mut found, issues) = discover(paths).map_err(CheckError::Usage)?;
    let mut owners: Vec<Option<usize>> = vec![None; found.len()];
    let configured = configured_files(loaded);
    // Each found file's identity once, so that finding a configured file among them is a lookup.
    let mut by_identity: HashMap<PathBuf, usize> = if configured.is_empty() {
        HashMap::new()
    } else {
        let ids: Vec<PathBuf> = found.par_iter().map(|d| identity(&d.fs_path)).collect();
        ids.into_iter().enumerate().map(|(i, id)| (id, i)).rev().collect()
    };
    for (fs_path, kind, component) in configured {
        let name = fs_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let id = identity(&fs_path);
        match by_identity.get(&id).copied() {
            Some(i) => {
                if let (Some(d), Some(o)) = (found.get_mut(i), owners.get_mut(i)) {
                    d.kind = kind;
                    *o = Some(component);
                }
            }
            None => {
                by_identity.insert(id, found.len());
                found.push(Discovered { path: display(&fs_path), fs_path, kind, unit: name });
                owners.push(Some(component));
            }
        }
    }
    let mut inputs: Vec<Input> = found
        .par_iter()
        .zip(owners)
        .filter_map(|(d, owner)| {
            let buffer = overlay.filter(|o| !o.is_empty()).and_then(|o| {
                let abs = std::path::absolute(&d.fs_path).ok()?;
                o.get(&abs)
            });
            let (file, err) = match buffer {
                Some(text) => SourceFile::from_bytes_lenient(
                    FileId(0),
                    d.path.clone(),
                    &d.fs_path,
                    text.as_bytes().to_vec(),
                ),
                None => SourceFile::load_lenient(FileId(0), d.path.clone(), &d.fs_path),
            };
            let issue = err.map(|(e, span)| LoadIssue { message: e.to_string(), span });
            let kind = if owner.is_some() { Some(d.kind) } else { keep(d.kind, &file, issue.is_some())? };
            Some(Input { file, issue, kind: kind.map(|k| (k, d.unit.clone())), owner })
        })
        .collect();
    for issue in issues {
        let fs = PathBuf::from(&issue.path);
        inputs.push(Input {
            file: SourceFile::new(FileId(0), issue.path, fs, String::new()),
            issue: Some(LoadIssue { message: issue.message, span: Span::empty(0) }),
            kind: None,
            owner: None,
        });
    }
    for (i, input) in inputs.iter_mut().enumerate() {
        input.file.id = FileId(i as u32);
    }
    Ok(inputs)
}

/// Every unit and drop-in parsed once, by input index: placing files and the rules both read them.
pub(super) fn parse_units(inputs: &[Input]) -> Vec<Option<UnitFile>> {
    inputs
        .par_iter()
        .map(|i| {
            let is_unit = matches!(i.kind(), Some(FileKind::Unit | FileKind::DropIn));
            (i.issue.is_none() && is_unit).then(|| unit::parse(&i.file.text))
        })
        .collect()
}

/// Markdown files are integration documents only when their headings follow the template; a
/// YAML file of another name is a Compose file only when it has a top-level `services:` key.
/// Anything else is not vic-lint's business, even when it cannot be read.
fn keep(kind: FileKind, file: &SourceFile, unreadable: bool) -> Option<Option<FileKind>> {
    match kind {
        FileKind::Markdown if unreadable || !markdown::follows_template(&markdown::parse(&file.text)) => None,
        FileKind::MaybeCompose if unreadable || !file.text.lines().any(|l| l.starts_with("services:")) => {
            None
        }
        FileKind::MaybeCompose => Some(Some(FileKind::Compose)),
        k => Some(Some(k)),
    }
}

/// `integration-doc` and `version-file` of each `[[component]]`, relative to the configuration.
fn configured_files(loaded: &Loaded) -> Vec<(PathBuf, FileKind, usize)> {
    let mut out = Vec::new();
    for (i, decl) in loaded.config.component.iter().enumerate() {
        if let Some(p) = &decl.integration_doc {
            out.push((loaded.base_dir.join(p.get_ref()), FileKind::Markdown, i));
        }
        if let Some(p) = &decl.version_file {
            out.push((loaded.base_dir.join(p.get_ref()), FileKind::VersionFile, i));
        }
    }
    out
}

/// What makes two paths the same file: the resolved path, or for a file that cannot be
/// resolved (it does not exist) the absolute path as written.
fn identity(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).or_else(|_| std::path::absolute(p)).unwrap_or_else(|_| p.to_path_buf())
}
