//! One component's check: parse its files, build the models, run every hook.

use std::path::Path;

use rayon::prelude::*;
use vic_lint_core::component::Component;
use vic_lint_core::compose;
use vic_lint_core::config::Appliance;
use vic_lint_core::container::ContainerSpec;
use vic_lint_core::discover::FileKind;
use vic_lint_core::rule::{
    ComponentCx, ComposeCx, ComposeDoc, ContainerCx, DroneDoc, ExecEntry, FileCx, MarkdownDoc, UnitCx,
    UnitRole, UpgradeDecl, VersionDoc,
};
use vic_lint_core::Finding;
use vic_lint_syntax::markdown::{self, Doc};
use vic_lint_syntax::unit::{EffectiveUnit, UnitFile};
use vic_lint_syntax::version::{self, VersionFile};
use vic_lint_syntax::yaml::{self, ErrorKind, Limits, Stream};
use vic_lint_syntax::FileId;

use super::group::Bucket;
use super::load::Input;
use super::{apps, run, Placed};
use crate::model;
use crate::registry::RegisteredRule;

/// What every component's check reads.
pub(super) struct Shared<'a> {
    pub rules: &'a [RegisteredRule],
    pub inputs: &'a [Input],
    /// Every unit and drop-in, parsed once, by input index.
    pub units: &'a [Option<UnitFile>],
    pub appliance: &'a Appliance,
    pub upgrade: &'a UpgradeDecl,
    pub alone: bool,
    pub overlay: Option<&'a super::Overlay>,
}

/// A file other than a unit, parsed by its kind.
enum Parsed {
    Yaml(Stream),
    Version(VersionFile),
    Markdown(Doc),
    Nothing,
}

impl Shared<'_> {
    fn unit(&self, i: usize) -> Option<&UnitFile> {
        self.units.get(i)?.as_ref()
    }

    fn parse_other(&self, i: usize) -> Parsed {
        let Some(input) = self.inputs.get(i).filter(|x| x.issue.is_none()) else { return Parsed::Nothing };
        let text = &input.file.text;
        match input.kind() {
            Some(FileKind::Compose | FileKind::Drone) => Parsed::Yaml(yaml::parse(text, &Limits::default())),
            Some(FileKind::VersionFile) => Parsed::Version(version::parse(text)),
            Some(FileKind::Markdown) => Parsed::Markdown(markdown::parse(text)),
            _ => Parsed::Nothing,
        }
    }

    fn check_file(
        &self,
        i: usize,
        unit: Option<&UnitFile>,
        other: Option<&Parsed>,
        name: Option<&str>,
    ) -> Vec<Finding> {
        let Some(input) = self.inputs.get(i) else { return Vec::new() };
        let cx = FileCx {
            file: &input.file,
            kind: input.kind(),
            load_issue: input.issue.as_ref(),
            unit,
            yaml: match other {
                Some(Parsed::Yaml(s)) => Some(s),
                _ => None,
            },
            version: match other {
                Some(Parsed::Version(v)) => Some(v),
                _ => None,
            },
        };
        run(self.rules, name, |r, sink| r.rule.check_file(&cx, sink))
    }

    /// Every rule on the files of one bucket; with `component` None (the last bucket), file
    /// rules only. Also returns the component's containers, for workspace rules.
    pub fn check_component(
        &self,
        index: usize,
        component: Option<&Component>,
        bucket: &Bucket,
    ) -> (Vec<Finding>, Vec<Placed>) {
        let name = component.map(|c| c.name.as_str());
        let parsed: Vec<Vec<(usize, Option<&UnitFile>)>> =
            bucket.units.iter().map(|g| g.files().map(|i| (i, self.unit(i))).collect()).collect();
        let others: Vec<(usize, Parsed)> =
            bucket.files.par_iter().map(|&i| (i, self.parse_other(i))).collect();
        let mut findings: Vec<Finding> = Vec::new();
        for (i, unit) in parsed.iter().flatten() {
            findings.extend(self.check_file(*i, *unit, None, name));
        }
        for (i, p) in &others {
            findings.extend(self.check_file(*i, None, Some(p), name));
        }
        let Some(component) = component else { return (findings, Vec::new()) };

        let effs: Vec<Option<EffectiveUnit<'_>>> = parsed
            .iter()
            .map(|files| {
                // A unit whose main file cannot be read is only reported, never checked.
                files.first().and_then(|(_, main)| *main)?;
                let files: Vec<(FileId, &UnitFile)> =
                    files.iter().filter_map(|(i, u)| u.map(|u| (FileId(*i as u32), u))).collect();
                Some(EffectiveUnit::merge(&files))
            })
            .collect();
        let execs: Vec<Vec<ExecEntry<'_>>> =
            effs.par_iter().map(|e| e.as_ref().map(model::exec_entries).unwrap_or_default()).collect();
        // Units another unit of the component pulls in: a oneshot among them is a helper.
        let pulled: std::collections::HashSet<&str> = effs
            .iter()
            .flatten()
            .flat_map(|e| ["Requires", "Wants"].into_iter().flat_map(move |k| e.items("Unit", k)))
            .map(|(name, _, _)| name)
            .collect();
        let units: Vec<UnitCx<'_>> = bucket
            .units
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
                    role: role(&g.name, eff.as_ref()?, &pulled),
                    component,
                    appliance: self.appliance,
                })
            })
            .collect();
        let check_containers =
            |specs: &[ContainerSpec], sink: &mut vic_lint_core::rule::Sink, r: &RegisteredRule| {
                for spec in specs {
                    let ccx = ContainerCx { spec, component, appliance: self.appliance, texts: self };
                    r.rule.check_container(&ccx, sink);
                }
            };
        let (unit_findings, specs): (Vec<Vec<Finding>>, Vec<Vec<ContainerSpec>>) = units
            .par_iter()
            .map(|cx| {
                let specs: Vec<ContainerSpec> = model::containers(cx);
                let found = run(self.rules, name, |r, sink| {
                    r.rule.check_unit(cx, sink);
                    check_containers(&specs, sink, r);
                });
                (found, specs)
            })
            .unzip();
        findings.extend(unit_findings.into_iter().flatten());

        let shared: Vec<(usize, Parsed)> = bucket.shared.iter().map(|&i| (i, self.parse_other(i))).collect();
        let files = |kind: FileKind| {
            others.iter().chain(&shared).filter_map(move |(i, p)| {
                let input = self.inputs.get(*i).filter(|x| x.kind() == Some(kind))?;
                Some((&input.file, p))
            })
        };
        let composes: Vec<ComposeDoc<'_>> = files(FileKind::Compose)
            .filter_map(|(source, p)| {
                let Parsed::Yaml(stream) = p else { return None };
                // A document cut short reads as one without the settings that follow the break;
                // E003 reports it, and the model rules wait for the whole file.
                if stream.errors.iter().any(|e| matches!(e.kind, ErrorKind::Syntax | ErrorKind::Tab)) {
                    return None;
                }
                let root = stream.docs.first()?.root.as_ref()?;
                let env = model::last_wins(dot_env(&source.fs_path, self.overlay));
                let lookup = |n: &str| env.get(n).cloned();
                Some(ComposeDoc { source, root, model: compose::build(source.id, root, &lookup) })
            })
            .collect();
        let versions: Vec<VersionDoc<'_>> = files(FileKind::VersionFile)
            .filter_map(|(source, p)| match p {
                Parsed::Version(parsed) => Some(VersionDoc { source, parsed }),
                _ => None,
            })
            .collect();
        let docs: Vec<MarkdownDoc<'_>> = files(FileKind::Markdown)
            .filter_map(|(source, p)| match p {
                Parsed::Markdown(parsed) => Some(MarkdownDoc { source, parsed }),
                _ => None,
            })
            .collect();
        let drones: Vec<DroneDoc<'_>> = files(FileKind::Drone)
            .filter_map(|(source, p)| match p {
                Parsed::Yaml(stream) => Some(DroneDoc { source, stream }),
                _ => None,
            })
            .collect();

        let upgrade_images: Vec<&vic_lint_syntax::SourceFile> =
            files(FileKind::UpgradeImage).map(|(source, _)| source).collect();
        let services = apps::containers(&units, &composes);
        findings.extend(run(self.rules, name, |r, sink| {
            check_containers(&services, sink, r);
            for doc in &composes {
                r.rule.check_compose(&ComposeCx { doc, component, appliance: self.appliance }, sink);
            }
        }));
        let mut containers: Vec<ContainerSpec> = specs.into_iter().flatten().collect();
        containers.extend(services);
        let cx = ComponentCx {
            component,
            units: &units,
            composes: &composes,
            versions: &versions,
            docs: &docs,
            drones: &drones,
            containers: &containers,
            upgrade: self.upgrade,
            upgrade_images: &upgrade_images,
            appliance: self.appliance,
            alone: self.alone,
        };
        findings.extend(run(self.rules, name, |r, sink| r.rule.check_component(&cx, sink)));
        // Kept until every component is checked, for the workspace rules, which compare
        // published ports: only what they read stays, so memory does not grow with the tree.
        let published = containers.into_iter().filter(|s| !s.publishes.is_empty());
        (findings, published.map(|s| (index, s.into_published())).collect())
    }
}

/// The `.env` file beside a Compose file: the defaults Compose interpolates from.
fn dot_env(compose_path: &Path, overlay: Option<&super::Overlay>) -> Vec<(String, String)> {
    let Some(path) = compose_path.parent().map(|d| d.join(".env")) else { return Vec::new() };
    let buffer = overlay.and_then(|o| o.get(&std::path::absolute(&path).ok()?));
    if let Some(text) = buffer.filter(|t| t.len() as u64 <= vic_lint_syntax::source::MAX_FILE_BYTES) {
        return compose::parse_env(text);
    }
    let small = std::fs::metadata(&path)
        .is_ok_and(|m| m.is_file() && m.len() <= vic_lint_syntax::source::MAX_FILE_BYTES);
    if !small {
        return Vec::new();
    }
    std::fs::read(&path).map(|b| compose::parse_env(&String::from_utf8_lossy(&b))).unwrap_or_default()
}

/// `configure-<service>.service`, or a oneshot unit that another unit of the component pulls in
/// (`admiral-startup.service`, required by `admiral.service`), prepares the service.
fn role(name: &str, eff: &EffectiveUnit<'_>, pulled: &std::collections::HashSet<&str>) -> UnitRole {
    let oneshot = eff.last("Service", "Type").is_some_and(|t| t.entry.value.as_str().trim() == "oneshot");
    if !name.ends_with(".service") {
        UnitRole::Other
    } else if name.starts_with("configure-") || (oneshot && pulled.contains(name)) {
        UnitRole::Configure
    } else {
        UnitRole::Main
    }
}

impl vic_lint_core::rule::TextOf for Shared<'_> {
    fn text_of(&self, file: vic_lint_syntax::FileId) -> Option<&str> {
        self.inputs.get(file.0 as usize).map(|i| i.file.text.as_str())
    }
}
