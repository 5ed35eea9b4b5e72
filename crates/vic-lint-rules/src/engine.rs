//! Discover → load and parse (in parallel) → group into units and components → run the rules.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vic_lint_core::component::{infer_name, Component, Matcher};
use vic_lint_core::config::{ConfigError, Loaded};
use vic_lint_core::container::ContainerSpec;
use vic_lint_core::discover::{discover, FileKind};
use vic_lint_core::rule::{ComponentCx, ContainerCx, FileCx, LoadIssue, Sink, UnitCx, UnitRole};
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
    let parsed: Vec<Option<UnitFile>> = inputs
        .par_iter()
        .map(|i| (i.issue.is_none() && i.kind.is_some()).then(|| unit::parse(&i.file.text)))
        .collect();

    let appliance = &opts.config.config.appliance;
    let (components, groups) = group(&inputs, opts.config);
    let effs: Vec<EffectiveUnit<'_>> = groups
        .iter()
        .map(|g| {
            let files: Vec<(FileId, &UnitFile)> = std::iter::once(g.main)
                .chain(g.dropins.iter().copied())
                .filter_map(|i| parsed.get(i)?.as_ref().map(|u| (FileId(i as u32), u)))
                .collect();
            EffectiveUnit::merge(&files)
        })
        .collect();
    let execs: Vec<_> = effs.par_iter().map(model::exec_entries).collect();
    let fallback = Component { name: String::new(), declared: false };
    let cxs: Vec<(usize, UnitCx<'_>)> = groups
        .iter()
        .zip(&effs)
        .zip(&execs)
        .filter(|((g, _), _)| parsed.get(g.main).is_some_and(Option::is_some))
        .filter_map(|((g, eff), execs)| {
            let c = g.component?;
            let cx = UnitCx {
                name: &g.name,
                main: &inputs.get(g.main)?.file,
                dropins: g.dropins.iter().filter_map(|i| inputs.get(*i).map(|x| &x.file)).collect(),
                eff,
                execs,
                role: role(&g.name),
                component: components.get(c).unwrap_or(&fallback),
                appliance,
            };
            Some((c, cx))
        })
        .collect();

    let component_of_file = file_components(&inputs, &groups, &components);
    let mut findings: Vec<Finding> = inputs
        .par_iter()
        .zip(&parsed)
        .flat_map_iter(|(input, unit)| {
            let cx = FileCx { file: &input.file, load_issue: input.issue.as_ref(), unit: unit.as_ref() };
            let comp = component_of_file.get(&input.file.id).map(String::as_str);
            run(&rules, comp, |r, sink| r.rule.check_file(&cx, sink))
        })
        .collect();
    findings.par_extend(cxs.par_iter().flat_map_iter(|(_, cx)| {
        let specs: Vec<ContainerSpec> = model::containers(cx);
        let comp = Some(cx.component.name.as_str());
        run(&rules, comp, |r, sink| {
            r.rule.check_unit(cx, sink);
            for spec in &specs {
                let ccx = ContainerCx { spec, component: cx.component, appliance };
                r.rule.check_container(&ccx, sink);
            }
        })
    }));
    for (ci, component) in components.iter().enumerate() {
        let units: Vec<UnitCx<'_>> = cxs.iter().filter(|(c, _)| *c == ci).map(|(_, cx)| cx.clone()).collect();
        let cx = ComponentCx { component, units: &units, appliance };
        findings.extend(run(&rules, Some(&component.name), |r, sink| r.rule.check_component(&cx, sink)));
    }

    for f in &mut findings {
        f.severity = selection.severity(f.meta);
    }
    let files: Vec<SourceFile> = inputs.into_iter().map(|i| i.file).collect();
    sort(&mut findings, &files);
    Ok(Report { files, findings, components })
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
fn group(inputs: &[Input], loaded: &Loaded) -> (Vec<Component>, Vec<Group>) {
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
    let components: Vec<Component> = if loaded.config.component.is_empty() {
        infer_name(groups.iter().map(|g| g.name.as_str()), appliance)
            .map(|name| Component { name, declared: false })
            .into_iter()
            .collect()
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
    (components, groups)
}

fn file_components(inputs: &[Input], groups: &[Group], components: &[Component]) -> BTreeMap<FileId, String> {
    let mut map = BTreeMap::new();
    for g in groups {
        let Some(c) = g.component.and_then(|c| components.get(c)) else { continue };
        for i in std::iter::once(g.main).chain(g.dropins.iter().copied()) {
            if let Some(input) = inputs.get(i) {
                map.insert(input.file.id, c.name.clone());
            }
        }
    }
    map
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
