//! The rule trait and the contexts rules see. A rule implements only the hooks of the scopes it
//! needs; the engine calls every hook of every selected rule.

use vic_lint_syntax::command::Command;
use vic_lint_syntax::exec::ExecLine;
use vic_lint_syntax::markdown::Doc;
use vic_lint_syntax::unit::{EffectiveUnit, Entry, UnitFile};
use vic_lint_syntax::version::VersionFile;
use vic_lint_syntax::yaml::{Node, Stream};
use vic_lint_syntax::{FileId, SourceFile, Span};

use crate::component::Component;
use crate::compose::ComposeFile;
use crate::config::Appliance;
use crate::container::ContainerSpec;
use crate::discover::FileKind;
use crate::finding::Finding;
use crate::meta::RuleMeta;

pub trait Rule: Send + Sync {
    /// The code of the rule's page in `rules/`, which holds its metadata.
    fn code(&self) -> &'static str;

    fn check_file(&self, _cx: &FileCx<'_>, _sink: &mut Sink) {}
    fn check_unit(&self, _cx: &UnitCx<'_>, _sink: &mut Sink) {}
    fn check_compose(&self, _cx: &ComposeCx<'_>, _sink: &mut Sink) {}
    fn check_container(&self, _cx: &ContainerCx<'_>, _sink: &mut Sink) {}
    fn check_component(&self, _cx: &ComponentCx<'_>, _sink: &mut Sink) {}
    /// Across components: conflicts no single component can see (two components publishing
    /// the same host port).
    fn check_workspace(&self, _cx: &WorkspaceCx<'_>, _sink: &mut Sink) {}
}

/// Why a file could not be read, with the span of the first bad byte where there is one.
#[derive(Debug, Clone)]
pub struct LoadIssue {
    pub message: String,
    pub span: Span,
}

pub struct FileCx<'a> {
    pub file: &'a SourceFile,
    pub kind: Option<FileKind>,
    pub load_issue: Option<&'a LoadIssue>,
    pub unit: Option<&'a UnitFile>,
    pub yaml: Option<&'a Stream>,
    pub version: Option<&'a VersionFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitRole {
    /// `<component>.service` and the like: the component's own services.
    Main,
    /// `configure-<service>.service`.
    Configure,
    /// Timers, targets, sockets: not services, so only the generic checks apply.
    Other,
}

/// One `Exec*=` assignment in effect, parsed.
pub struct ExecEntry<'a> {
    pub key: &'a str,
    /// Which occurrence of the key this is, counting from 0, for anchors.
    pub index: usize,
    pub file: FileId,
    pub entry: &'a Entry,
    pub line: ExecLine,
    /// What each command of the line runs.
    pub commands: Vec<Command>,
}

impl ExecEntry<'_> {
    pub fn anchor(&self) -> String {
        format!("Service/{}#{}", self.key, self.index)
    }
}

pub struct UnitCx<'a> {
    /// The unit's name, e.g. `admiral.service`.
    pub name: &'a str,
    pub main: &'a SourceFile,
    pub dropins: Vec<&'a SourceFile>,
    pub eff: &'a EffectiveUnit<'a>,
    pub execs: &'a [ExecEntry<'a>],
    pub role: UnitRole,
    pub component: &'a Component,
    pub appliance: &'a Appliance,
}

impl UnitCx<'_> {
    /// Where a finding about something missing from a section points: that section's header,
    /// else the first section header, else the start of the file.
    pub fn section_or_top(&self, section: &str) -> (FileId, Span) {
        self.eff
            .section_span(section)
            .or_else(|| self.eff.first_section_span())
            .unwrap_or((self.main.id, Span::empty(0)))
    }
}

pub struct ContainerCx<'a> {
    pub spec: &'a ContainerSpec,
    pub component: &'a Component,
    pub appliance: &'a Appliance,
    /// The text of the files the spec was read from, for fixes that must match their layout.
    pub texts: &'a dyn TextOf,
}

/// The text of a checked file by id.
pub trait TextOf: Sync {
    fn text_of(&self, file: FileId) -> Option<&str>;
}

/// A Compose file: its YAML (the first document) and its model.
pub struct ComposeDoc<'a> {
    pub source: &'a SourceFile,
    pub root: &'a Node,
    pub model: ComposeFile,
}

pub struct ComposeCx<'a> {
    pub doc: &'a ComposeDoc<'a>,
    pub component: &'a Component,
    pub appliance: &'a Appliance,
}

pub struct VersionDoc<'a> {
    pub source: &'a SourceFile,
    pub parsed: &'a VersionFile,
}

pub struct MarkdownDoc<'a> {
    pub source: &'a SourceFile,
    pub parsed: &'a Doc,
}

pub struct DroneDoc<'a> {
    pub source: &'a SourceFile,
    pub stream: &'a Stream,
}

/// What `vic-lint.toml` says about the component's upgrade container (`[upgrade]`).
#[derive(Debug, Default)]
pub struct UpgradeDecl {
    /// An `[upgrade]` section applies to the component (the only one checked).
    pub declared: bool,
    pub image: Option<String>,
    pub version: Option<String>,
    /// Non-zero exit codes and their messages.
    pub exit_codes: Vec<(i64, String)>,
}

pub struct ComponentCx<'a> {
    pub component: &'a Component,
    pub units: &'a [UnitCx<'a>],
    pub composes: &'a [ComposeDoc<'a>],
    pub versions: &'a [VersionDoc<'a>],
    pub docs: &'a [MarkdownDoc<'a>],
    pub drones: &'a [DroneDoc<'a>],
    /// Every container of the component: `docker run` lines and Compose services (merged as
    /// the units combine Compose files).
    pub containers: &'a [ContainerSpec],
    pub upgrade: &'a UpgradeDecl,
    /// Dockerfiles of the component's upgrade container (`upgrade/Dockerfile`, `tools/migration/Dockerfile`).
    pub upgrade_images: &'a [&'a SourceFile],
    pub appliance: &'a Appliance,
    /// The only component of the run: its repository is what is checked. With several (an
    /// appliance tree), what a component keeps in its own repository (pipeline, upgrade
    /// container, integration document) and the version file the appliance build writes may
    /// be elsewhere, so their absence proves nothing.
    pub alone: bool,
}

impl ComponentCx<'_> {
    /// Where a finding about something the component lacks points: the main unit's first
    /// line, else the first Compose file's, else nothing.
    pub fn anchor_point(&self) -> Option<(FileId, Span)> {
        self.units
            .iter()
            .find(|u| u.role == UnitRole::Main)
            .or_else(|| self.units.first())
            .map(|u| (u.main.id, u.eff.first_section_span().map_or(Span::empty(0), |(_, s)| s)))
            .or_else(|| {
                self.composes.first().map(|c| {
                    let first = c.root.as_map().and_then(|m| m.first()).map_or(c.root.span, |p| p.key.span);
                    (c.source.id, first)
                })
            })
    }
}

pub struct WorkspaceCx<'a> {
    pub components: &'a [Component],
    /// Every container of every component that publishes a port, with the index of its
    /// component.
    pub containers: &'a [(usize, crate::container::Published)],
    pub appliance: &'a Appliance,
}

/// Collects one rule's findings, stamping each with the rule and the component.
pub struct Sink {
    meta: &'static RuleMeta,
    component: Option<std::sync::Arc<str>>,
    findings: Vec<Finding>,
}

impl Sink {
    pub fn new(meta: &'static RuleMeta, component: Option<&str>) -> Sink {
        Sink { meta, component: component.map(std::sync::Arc::from), findings: Vec::new() }
    }

    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    /// Reports a finding and returns it for help, labels, anchor and fix.
    pub fn report(&mut self, file: FileId, span: Span, message: impl Into<String>) -> &mut Finding {
        let mut f = Finding::new(self.meta, file, span, message);
        f.component.clone_from(&self.component);
        self.findings.push(f);
        match self.findings.last_mut() {
            Some(last) => last,
            None => unreachable!("a finding was just pushed"),
        }
    }

    pub fn len(&self) -> usize {
        self.findings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// The finding reported last, to add a label a rule only knows afterwards.
    pub fn last_mut(&mut self) -> Option<&mut Finding> {
        self.findings.last_mut()
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}
