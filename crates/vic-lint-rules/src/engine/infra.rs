//! The appliance's own units, which are never components, and what each unit runs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use vic_lint_core::component::{name_from_unit, name_key};
use vic_lint_core::config::Appliance;
use vic_lint_syntax::command::Invocation;
use vic_lint_syntax::unit::{EffectiveUnit, UnitFile};
use vic_lint_syntax::FileId;

use super::group::Group;
use super::load::Input;
use crate::model::{each_command, exec_entries};

/// What a unit (with its drop-ins) runs, as far as placing files needs it.
#[derive(Default)]
pub(super) struct Runs {
    /// Starts a container: docker or the Compose CLI in an `Exec*=` line.
    pub containers: bool,
    /// The Compose files it passes with `-f`, as written; empty `Some` for none given (Compose
    /// then reads its default file).
    pub composes: Vec<Option<String>>,
}

pub(super) fn runs(g: &Group, units: &[Option<UnitFile>]) -> Runs {
    let files: Vec<(FileId, &UnitFile)> =
        g.files().filter_map(|i| Some((FileId(i as u32), units.get(i)?.as_ref()?))).collect();
    if files.first().is_none_or(|(id, _)| id.0 as usize != g.main) {
        return Runs::default();
    }
    let execs = || {
        files
            .iter()
            .flat_map(|(_, u)| u.sections("Service"))
            .flat_map(|s| &s.entries)
            .filter(|e| e.key.starts_with("Exec"))
    };
    // A word scan says whether docker runs; only lines that name Compose are parsed, for their
    // `-f` files, so that placing files costs little next to checking them.
    let mut out = Runs { containers: execs().any(|e| names_docker(e.value.as_str())), composes: Vec::new() };
    if !execs().any(|e| e.value.as_str().contains("compose")) {
        return out;
    }
    let eff = EffectiveUnit::merge(&files);
    for exec in exec_entries(&eff).iter().filter(|e| e.entry.value.as_str().contains("compose")) {
        each_command(exec, |c| {
            if let Invocation::Compose(co) = &c.invocation {
                if co.files.is_empty() {
                    out.composes.push(None);
                }
                out.composes.extend(co.files.iter().map(|f| Some(f.as_str().to_string())));
            }
        });
    }
    out
}

/// A word of the line is `docker` or `docker-compose`, with or without its folder.
fn names_docker(value: &str) -> bool {
    value.split(|c: char| c.is_whitespace() || c == '\'' || c == '"' || c == ';').any(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        base == "docker" || base == "docker-compose"
    })
}

/// A folder is a component's when one of its units carries its name (`harbor/harbor.service`,
/// `vic_machine_server/vic-machine-server.service`): the folder and the component's name.
pub(super) fn component_folders<'g>(
    inputs: &[Input],
    groups: impl Iterator<Item = &'g Group>,
) -> HashMap<PathBuf, String> {
    let mut out = HashMap::new();
    for g in groups {
        let Some(dir) = folder_of(inputs, g) else { continue };
        let name = name_from_unit(&g.name);
        if dir.file_name().is_some_and(|f| same_name(&f.to_string_lossy(), name)) {
            out.entry(dir).or_insert_with(|| name.to_string());
        }
    }
    out
}

pub(super) fn folder_of(inputs: &[Input], g: &Group) -> Option<PathBuf> {
    inputs.get(g.main).and_then(|i| i.file.fs_path.parent().map(Path::to_path_buf))
}

/// Why each unit is the appliance's own, or None for a unit that may be a component's:
/// - units named by `[appliance] infrastructure-units` (`vic-appliance*`), the readiness units
///   and the appliance target themselves;
/// - the units a readiness unit pulls in (`Requires=`, `Wants=`, `BindsTo=`, `Requisite=`);
/// - units the appliance target pulls in, or that sit in a shared folder (in a tree with component
///   folders, one that is no component's, such as `appliance/` or `systemd/units/`), when they
///   start no container.
pub(super) fn infrastructure(
    inputs: &[Input],
    units: &[Option<UnitFile>],
    groups: &[Group],
    runs: &[Runs],
    appliance: &Appliance,
) -> Vec<Option<String>> {
    let is_ready = |name: &str| appliance.ready_units.iter().any(|r| r == name);
    let mut from_ready: HashMap<&str, &str> = HashMap::new();
    let mut from_target: HashSet<&str> = HashSet::new();
    for g in groups {
        let Some(u) = units.get(g.main).and_then(Option::as_ref) else { continue };
        let ready = is_ready(&g.name);
        if !ready && g.name != appliance.target {
            continue;
        }
        for key in ["Requires", "Wants", "BindsTo", "Requisite"] {
            for name in u.entries("Unit", key).flat_map(|e| e.value.as_str().split_whitespace()) {
                if ready {
                    from_ready.entry(name).or_insert(g.name.as_str());
                } else {
                    from_target.insert(name);
                }
            }
        }
    }
    let owned = component_folders(inputs, groups.iter());
    // Shared folders exist only beside component folders: in a tree with none (one component's
    // repository, a single unit) every folder is the component's.
    let appliance_tree = !owned.is_empty();
    groups
        .iter()
        .enumerate()
        .map(|(n, g)| {
            let name = g.name.as_str();
            if is_ready(name) {
                return Some("a readiness unit of the appliance (`[appliance] ready-units`)".to_string());
            }
            if name == appliance.target {
                return Some("the appliance target (`[appliance] target`)".to_string());
            }
            if appliance.is_infrastructure(name) {
                return Some("named by `[appliance] infrastructure-units`".to_string());
            }
            if let Some(ready) = from_ready.get(name) {
                return Some(format!("pulled in by the readiness unit `{ready}`"));
            }
            if runs.get(n).is_some_and(|r| r.containers) {
                return None;
            }
            if from_target.contains(name) {
                return Some(format!("pulled in by `{}` and starts no container", appliance.target));
            }
            let dir = folder_of(inputs, g).filter(|d| appliance_tree && !owned.contains_key(d))?;
            Some(format!("in the shared folder `{}/`, no component's, and starts no container", shown(&dir)))
        })
        .collect()
}

/// `vic-machine-server` and `vic_machine_server` name the same component.
pub(super) fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

pub(super) fn shown(p: &Path) -> String {
    vic_lint_core::discover::display(p)
}
