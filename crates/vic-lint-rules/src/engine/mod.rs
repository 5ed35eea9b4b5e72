//! Discover → load and parse (in parallel) → group into units and components → run the rules.

mod apps;
mod component;
mod group;
mod load;

use std::path::PathBuf;

use rayon::prelude::*;
use vic_lint_core::component::Component;
use vic_lint_core::config::{ConfigError, Loaded};
use vic_lint_core::container::ContainerSpec;
use vic_lint_core::rule::{Sink, UpgradeDecl, WorkspaceCx};
use vic_lint_core::Finding;
use vic_lint_syntax::{FileId, SourceFile};

use crate::registry::{self, RegisteredRule};
use crate::select::Selection;

pub struct CheckOptions<'a> {
    pub paths: &'a [PathBuf],
    pub config: &'a Loaded,
}

/// Everything a renderer needs: the files (for snippets and paths) and the sorted findings.
pub struct Report {
    pub files: Vec<SourceFile>,
    pub findings: Vec<Finding>,
    pub components: Vec<Component>,
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

    let inputs = load::load(opts.paths, opts.config)?;
    let layout = group::group(&inputs, opts.config, opts.paths);
    let config = &opts.config.config;
    // `[upgrade]` describes the one component a repository holds; in an appliance tree with
    // several components it names none of them.
    let upgrade = if layout.components.len() == 1 { config.upgrade_decl() } else { UpgradeDecl::default() };
    let cx =
        component::Shared { rules: &rules, inputs: &inputs, appliance: &config.appliance, upgrade: &upgrade };
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
    findings.retain(|f| {
        files.get(f.file.0 as usize).is_none_or(|file| !selection.ignored_at(f.meta.code, &file.fs_path))
    });
    sort(&mut findings, &files);
    Ok(Report { files, findings, components: layout.components, notes: layout.notes })
}

/// A container with the index of its component.
type Placed = (usize, ContainerSpec);

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

/// Deterministic order: path, line, column, rule.
fn sort(findings: &mut [Finding], files: &[SourceFile]) {
    findings.sort_by_cached_key(|f| {
        let file = files.get(f.file.0 as usize);
        let path = file.map(|x| x.path.clone()).unwrap_or_default();
        let pos = file.map(|x| x.line_col(f.span.start));
        (path, pos, f.meta.code, f.message.clone())
    });
}
