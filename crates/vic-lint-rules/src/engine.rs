//! Discover → load and parse (in parallel) → group into units and components → run the rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vic_lint_core::component::{infer_name, Component, Matcher};
use vic_lint_core::config::{Appliance, ConfigError, Loaded};
use vic_lint_core::container::ContainerSpec;
use vic_lint_core::discover::{discover, FileKind};
use vic_lint_core::rule::{
    ComponentCx, ContainerCx, ExecEntry, FileCx, LoadIssue, Sink, UnitCx, UnitRole, WorkspaceCx,
};
use vic_lint_core::Finding;
use vic_lint_syntax::unit::{self, EffectiveUnit, UnitFile};
use vic_lint_syntax::{FileId, SourceFile, Span};

use crate::model;
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

struct Input {
    file: SourceFile,
    issue: Option<LoadIssue>,
    kind: Option<(FileKind, String)>,
}

/// A unit file with its drop-ins, before it is parsed into an effective view.
#[derive(Clone)]
struct Group {
    name: String,
    main: usize,
    dropins: Vec<usize>,
    component: Option<usize>,
}

pub fn check(opts: &CheckOptions<'_>) -> Result<Report, CheckError> {
    let selection = Selection::from_config(opts.config, registry::rule_meta()).map_err(CheckError::Config)?;
    let rules: Vec<RegisteredRule> =
        registry::all().into_iter().filter(|r| selection.is_enabled(r.meta.code)).collect();

    let inputs = load(opts.paths)?;
    let (components, groups, notes) = group(&inputs, opts.config, opts.paths);

    // Parse trees live only while their component is checked: what stays for the renderers is
    // the text of each file and the findings.
    let mut buckets: Vec<Vec<&Group>> = vec![Vec::new(); components.len() + 1];
    let mut grouped = vec![false; inputs.len()];
    for g in &groups {
        let slot = g.component.unwrap_or(components.len());
        if let Some(b) = buckets.get_mut(slot) {
            b.push(g);
        }
        for i in g.files() {
            if let Some(flag) = grouped.get_mut(i) {
                *flag = true;
            }
        }
    }
    let cx = Shared { rules: &rules, inputs: &inputs, appliance: &opts.config.config.appliance };
    let (findings, containers): (Vec<Vec<Finding>>, Vec<Vec<Placed>>) = buckets
        .par_iter()
        .enumerate()
        .map(|(c, groups)| cx.check_component(c, components.get(c), groups))
        .unzip();
    let mut findings: Vec<Finding> = findings.into_iter().flatten().collect();
    let containers: Vec<Placed> = containers.into_iter().flatten().collect();
    let wcx = WorkspaceCx { components: &components, containers: &containers, appliance: cx.appliance };
    findings.extend(run(&rules, None, |r, sink| r.rule.check_workspace(&wcx, sink)));
    // Files that belong to no unit (a drop-in whose unit is elsewhere, an unreadable path).
    findings.par_extend(
        inputs
            .par_iter()
            .zip(&grouped)
            .filter(|(_, grouped)| !**grouped)
            .flat_map_iter(|(input, _)| cx.check_file(input, None)),
    );

    for f in &mut findings {
        f.severity = selection.severity(f.meta);
    }
    let files: Vec<SourceFile> = inputs.into_iter().map(|i| i.file).collect();
    sort(&mut findings, &files);
    Ok(Report { files, findings, components, notes })
}

impl Group {
    fn files(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.main).chain(self.dropins.iter().copied())
    }
}

/// A container with the index of its component.
type Placed = (usize, ContainerSpec);

/// What every component's check reads.
struct Shared<'a> {
    rules: &'a [RegisteredRule],
    inputs: &'a [Input],
    appliance: &'a Appliance,
}

impl Shared<'_> {
    fn parse(&self, i: usize) -> Option<UnitFile> {
        let input = self.inputs.get(i)?;
        (input.issue.is_none() && input.kind.is_some()).then(|| unit::parse(&input.file.text))
    }

    fn check_file(&self, input: &Input, component: Option<&str>) -> Vec<Finding> {
        let parsed = (input.issue.is_none() && input.kind.is_some()).then(|| unit::parse(&input.file.text));
        let cx = FileCx { file: &input.file, load_issue: input.issue.as_ref(), unit: parsed.as_ref() };
        run(self.rules, component, |r, sink| r.rule.check_file(&cx, sink))
    }

    /// File, unit, container and component rules for the units of one component (or, with
    /// `component` None, file rules only for units that belong to no component).
    /// Also returns the component's containers, for workspace rules.
    fn check_component(
        &self,
        index: usize,
        component: Option<&Component>,
        groups: &[&Group],
    ) -> (Vec<Finding>, Vec<Placed>) {
        let name = component.map(|c| c.name.as_str());
        let parsed: Vec<Vec<(usize, Option<UnitFile>)>> =
            groups.par_iter().map(|g| g.files().map(|i| (i, self.parse(i))).collect()).collect();
        let mut findings: Vec<Finding> = Vec::new();
        for (i, unit) in parsed.iter().flatten() {
            let Some(input) = self.inputs.get(*i) else { continue };
            let cx = FileCx { file: &input.file, load_issue: input.issue.as_ref(), unit: unit.as_ref() };
            findings.extend(run(self.rules, name, |r, sink| r.rule.check_file(&cx, sink)));
        }
        let Some(component) = component else { return (findings, Vec::new()) };

        let effs: Vec<Option<EffectiveUnit<'_>>> = parsed
            .iter()
            .map(|files| {
                // A unit whose main file cannot be read is only reported, never checked.
                files.first().and_then(|(_, main)| main.as_ref())?;
                let files: Vec<(FileId, &UnitFile)> =
                    files.iter().filter_map(|(i, u)| u.as_ref().map(|u| (FileId(*i as u32), u))).collect();
                Some(EffectiveUnit::merge(&files))
            })
            .collect();
        let execs: Vec<Vec<ExecEntry<'_>>> =
            effs.par_iter().map(|e| e.as_ref().map(model::exec_entries).unwrap_or_default()).collect();
        let units: Vec<UnitCx<'_>> = groups
            .iter()
            .zip(&effs)
            .zip(&execs)
            .filter_map(|((g, eff), execs)| {
                Some(UnitCx {
                    name: &g.name,
                    main: &self.inputs.get(g.main)?.file,
                    dropins: g.dropins.iter().filter_map(|i| self.inputs.get(*i).map(|x| &x.file)).collect(),
                    eff: eff.as_ref()?,
                    execs,
                    role: role(&g.name),
                    component,
                    appliance: self.appliance,
                })
            })
            .collect();
        let (unit_findings, specs): (Vec<Vec<Finding>>, Vec<Vec<ContainerSpec>>) = units
            .par_iter()
            .map(|cx| {
                let specs: Vec<ContainerSpec> = model::containers(cx);
                let found = run(self.rules, name, |r, sink| {
                    r.rule.check_unit(cx, sink);
                    for spec in &specs {
                        let ccx = ContainerCx { spec, component, appliance: self.appliance };
                        r.rule.check_container(&ccx, sink);
                    }
                });
                (found, specs)
            })
            .unzip();
        findings.extend(unit_findings.into_iter().flatten());
        let cx = ComponentCx { component, units: &units, appliance: self.appliance };
        findings.extend(run(self.rules, name, |r, sink| r.rule.check_component(&cx, sink)));
        (findings, specs.into_iter().flatten().map(|s| (index, s)).collect())
    }
}

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

fn load(paths: &[PathBuf]) -> Result<Vec<Input>, CheckError> {
    let (found, issues) = discover(paths).map_err(CheckError::Usage)?;
    let mut inputs: Vec<Input> = found
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let (file, err) = SourceFile::load_lenient(FileId(i as u32), d.path.clone(), &d.fs_path);
            let issue = err.map(|(e, span)| LoadIssue { message: e.to_string(), span });
            Input { file, issue, kind: Some((d.kind, d.unit.clone())) }
        })
        .collect();
    for issue in issues {
        let id = FileId(inputs.len() as u32);
        let fs = PathBuf::from(&issue.path);
        inputs.push(Input {
            file: SourceFile::new(id, issue.path, fs, String::new()),
            issue: Some(LoadIssue { message: issue.message, span: Span::empty(0) }),
            kind: None,
        });
    }
    Ok(inputs)
}

/// Pairs units with their drop-ins (`dir/x.service` with `dir/x.service.d/*.conf`, applied in
/// file-name order as systemd does) and assigns components.
fn group(inputs: &[Input], loaded: &Loaded, paths: &[PathBuf]) -> (Vec<Component>, Vec<Group>, Vec<String>) {
    let mut by_key: BTreeMap<(PathBuf, String), Group> = BTreeMap::new();
    let mut orphans: Vec<(PathBuf, String, usize)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let Some((kind, name)) = &input.kind else { continue };
        let dir = input.file.fs_path.parent().map(Path::to_path_buf).unwrap_or_default();
        match kind {
            FileKind::Unit => {
                let g = Group { name: name.clone(), main: i, dropins: Vec::new(), component: None };
                by_key.insert((dir, name.clone()), g);
            }
            FileKind::DropIn => {
                let unit_dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
                orphans.push((unit_dir, name.clone(), i));
            }
        }
    }
    for (dir, name, i) in orphans {
        if let Some(g) = by_key.get_mut(&(dir, name)) {
            g.dropins.push(i);
        }
    }
    let mut groups: Vec<Group> = by_key.into_values().collect();
    for g in &mut groups {
        g.dropins
            .sort_by_key(|i| inputs.get(*i).and_then(|x| x.file.fs_path.file_name().map(|n| n.to_owned())));
    }
    groups.sort_by_key(|g| g.main);

    let appliance = &loaded.config.appliance;
    let mut notes = Vec::new();
    let components: Vec<Component> = if loaded.config.component.is_empty() {
        let folder = paths.first().and_then(|p| std::path::absolute(p).ok()).and_then(|p| {
            let p = if p.is_file() { p.parent()?.to_path_buf() } else { p };
            p.file_name().map(|n| n.to_string_lossy().into_owned())
        });
        let inferred = infer_name(groups.iter().map(|g| g.name.as_str()), appliance, folder.as_deref());
        if let Some((name, all)) = inferred.as_ref().filter(|(_, all)| all.len() > 1) {
            let mut shown: Vec<String> = all.iter().take(4).map(|n| format!("`{n}`")).collect();
            if all.len() > shown.len() {
                shown.push(format!("{} more", all.len() - shown.len()));
            }
            notes.push(format!(
                "no [[component]] in vic-lint.toml: the units of {} are checked as one component, `{name}`; \
                 declare components to check them separately",
                shown.join(", ")
            ));
        }
        inferred.map(|(name, _)| Component { name, declared: false }).into_iter().collect()
    } else {
        loaded
            .config
            .component
            .iter()
            .map(|d| Component { name: d.name.get_ref().clone(), declared: true })
            .collect()
    };
    let matcher = Matcher::new(loaded);
    for g in &mut groups {
        if appliance.is_infrastructure(&g.name) {
            continue;
        }
        g.component = if loaded.config.component.is_empty() {
            (!components.is_empty()).then_some(0)
        } else {
            inputs.get(g.main).and_then(|x| matcher.component_of(&x.file.fs_path))
        };
    }
    (components, groups, notes)
}

fn role(name: &str) -> UnitRole {
    if !name.ends_with(".service") {
        UnitRole::Other
    } else if name.starts_with("configure-") {
        UnitRole::Configure
    } else {
        UnitRole::Main
    }
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
