//! Discover → load and parse (in parallel) → group into units and components → run the rules.

mod apps;
mod component;
mod group;
mod infer;
mod infra;
mod load;

use std::path::PathBuf;

use rayon::prelude::*;
use vic_lint_core::component::Component;
use vic_lint_core::config::{ConfigError, Loaded};
use vic_lint_core::container::Published;
use vic_lint_core::discover::FileKind;
use vic_lint_core::rule::{Sink, UpgradeDecl, WorkspaceCx};
use vic_lint_core::Finding;
use vic_lint_syntax::{FileId, SourceFile};

use crate::registry::{self, RegisteredRule};
use crate::select::Selection;

pub use group::{Place, Placement};

pub struct CheckOptions<'a> {
    pub paths: &'a [PathBuf],
    pub config: &'a Loaded,
    /// Texts that stand in for files on disk (an editor's unsaved buffers), by absolute path.
    pub overlay: Option<&'a Overlay>,
}

/// Absolute path → the text to judge in place of the file's content on disk.
pub type Overlay = std::collections::HashMap<PathBuf, String>;

/// Everything a renderer needs: the files (for snippets and paths) and the sorted findings.
pub struct Report {
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    pub components: Vec<Component>,
    /// The kind of each file of `files`, by index (none for a file vic-lint could not place).
    pub kinds: Vec<Option<FileKind>>,
    /// Things the user should know that are not findings (how components were inferred).
    pub notes: Vec<String>,
}

impl Report {
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }
}

#[derive(Debug)]
pub enum CheckError {
    /// A path that does not exist and the like: the user's call is wrong.
    Usage(String),
    Config(ConfigError),
}

pub fn check(opts: &CheckOptions<'_>) -> Result<Report, CheckError> {
    let selection = Selection::from_config(opts.config, registry::rule_meta()).map_err(CheckError::Config)?;
    let rules: Vec<RegisteredRule> =
        registry::all().into_iter().filter(|r| selection.is_enabled(r.meta.code)).collect();

    let inputs = load::load(opts.paths, opts.config, opts.overlay)?;
    let units = load::parse_units(&inputs);
    let layout = group::group(&inputs, &units, opts.config, opts.paths);
    let config = &opts.config.config;
    // `[upgrade]` describes the one component a repository holds; in an appliance tree with
    // several components it names none of them.
    let upgrade = if layout.components.len() == 1 { config.upgrade_decl() } else { UpgradeDecl::default() };
    let cx = component::Shared {
        rules: &rules,
        inputs: &inputs,
        units: &units,
        appliance: &config.appliance,
        upgrade: &upgrade,
        alone: layout.components.len() == 1,
        overlay: opts.overlay,
    };
    // Parse trees live only while their component is checked: what stays for the renderers is
    // the text of each file and the findings.
    let (findings, containers): (Vec<Vec<Finding>>, Vec<Vec<Placed>>) = layout
        .buckets
        .par_iter()
        .enumerate()
        .map(|(c, bucket)| cx.check_component(c, layout.components.get(c), bucket))
        .unzip();
    let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
    let containers: Vec<Placed> = containers.into_iter().flatten().collect();
    let wcx =
        WorkspaceCx { components: &layout.components, containers: &containers, appliance: cx.appliance };
    findings.extend(run(&rules, None, |r, sink| r.rule.check_workspace(&wcx, sink)));

    let kinds: Vec<_> = inputs.iter().map(load::Input::kind).collect();
    let files: Vec<SourceFile> = inputs.into_iter().map(|i| i.file).collect();
    let mut findings = crate::suppress::apply(&files, &kinds, findings, config.suppressions.inline_must);
    // The suppression checks are rules like the others: `ignore = ["S002"]` turns one off.
    findings.retain(|f| selection.is_enabled(f.meta.code));
    for f in &mut findings {
        f.severity = selection.severity(f.meta);
    }
    let mut ignored: std::collections::HashMap<FileId, Vec<&str>> = std::collections::HashMap::new();
    findings.retain(|f| {
        let Some(file) = files.get(f.file.0 as usize) else { return true };
        let codes = ignored.entry(f.file).or_insert_with(|| selection.ignored_in(&file.fs_path));
        codes.binary_search(&f.meta.code).is_err()
    });
    sort(&mut findings, &files);
    // Freeing the parse trees and the layout is serial work nobody waits for: the pool is idle
    // while the report renders.
    let leftovers = (units, containers, layout.buckets, layout.placements);
    rayon::spawn(move || drop(leftovers));
    Ok(Report { files, findings, components: layout.components, kinds, notes: layout.notes })
}

/// Where `check` puts every file: `vic-lint components`.
pub struct Map {
    /// No `[[component]]` in the configuration: the components come from the layout.
    pub inferred: bool,
    pub components: Vec<Component>,
    /// Every file `check` would read, in discovery order.
    pub files: Vec<MappedFile>,
    pub notes: Vec<String>,
}

pub struct MappedFile {
    pub path: String,
    pub fs_path: PathBuf,
    pub kind: Option<FileKind>,
    /// The unit a unit file or drop-in is, or belongs to.
    pub unit: Option<String>,
    pub placement: Placement,
}

/// The components and where each file went, without running a rule.
pub fn map(opts: &CheckOptions<'_>) -> Result<Map, CheckError> {
    let inputs = load::load(opts.paths, opts.config, opts.overlay)?;
    let units = load::parse_units(&inputs);
    let layout = group::group(&inputs, &units, opts.config, opts.paths);
    let files = inputs
        .into_iter()
        .zip(layout.placements)
        .map(|(i, placement)| MappedFile {
            kind: i.kind(),
            unit: i
                .kind
                .as_ref()
                .filter(|(k, _)| matches!(k, FileKind::Unit | FileKind::DropIn))
                .map(|(_, u)| u.clone()),
            path: i.file.path,
            fs_path: i.file.fs_path,
            placement,
        })
        .collect();
    Ok(Map {
        inferred: opts.config.config.component.is_empty(),
        components: layout.components,
        files,
        notes: layout.notes,
    })
}

/// A container with the index of its component.
type Placed = (usize, Published);

fn run(
    rules: &[RegisteredRule],
    component: Option<&str>,
    f: impl Fn(&RegisteredRule, &mut Sink),
) -> Vec<Finding> {
    let mut out = Vec::new();
    for r in rules {
        let mut sink = Sink::new(r.meta, component);
        f(r, &mut sink);
        out.extend(sink.into_findings());
    }
    out
}

/// Deterministic order: path, line, column, rule, message. Paths are ranked once and messages
/// compared in place, so that sorting copies no string per finding.
fn sort(findings: &mut Vec<Finding>, files: &[SourceFile]) {
    let mut by_path: Vec<usize> = (0..files.len()).collect();
    by_path.sort_by(|a, b| files.get(*a).map(|f| &f.path).cmp(&files.get(*b).map(|f| &f.path)));
    let mut rank = vec![0usize; files.len()];
    for (r, i) in by_path.into_iter().enumerate() {
        if let Some(slot) = rank.get_mut(i) {
            *slot = r;
        }
    }
    let keys: Vec<(usize, Option<vic_lint_syntax::LineCol>)> = findings
        .par_iter()
        .map(|f| {
            let i = f.file.0 as usize;
            (rank.get(i).copied().unwrap_or(usize::MAX), files.get(i).map(|x| x.line_col(f.span.start)))
        })
        .collect();
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.par_sort_by(|&a, &b| {
        let (fa, fb) = (findings.get(a), findings.get(b));
        keys.get(a)
            .cmp(&keys.get(b))
            .then_with(|| fa.map(|f| f.meta.code).cmp(&fb.map(|f| f.meta.code)))
            .then_with(|| fa.map(|f| &f.message).cmp(&fb.map(|f| &f.message)))
    });
    let mut slots: Vec<Option<Finding>> = std::mem::take(findings).into_iter().map(Some).collect();
    *findings = order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)).collect();
}
