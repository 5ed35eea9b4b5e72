//! Pairs units with their drop-ins and puts every file into the bucket of its component.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use vic_lint_core::component::{infer_name, name_from_unit, Component, Matcher};
use vic_lint_core::config::{Appliance, Loaded};
use vic_lint_core::discover::FileKind;
use vic_lint_syntax::unit::{self, UnitFile};

use super::load::Input;

/// A unit file with its drop-ins, before it is parsed into an effective view.
#[derive(Clone)]
pub(super) struct Group {
    pub name: String,
    pub main: usize,
    pub dropins: Vec<usize>,
}

impl Group {
    pub fn files(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.main).chain(self.dropins.iter().copied())
    }
}

/// What one component's check reads. The last bucket holds what belongs to no component: its
/// files get the file rules only.
#[derive(Default)]
pub(super) struct Bucket {
    pub units: Vec<Group>,
    /// Every other file of the bucket, checked by the file rules here.
    pub files: Vec<usize>,
    /// Version files that belong to no component: the appliance's, read by every component
    /// but checked as files only once, in the last bucket.
    pub shared: Vec<usize>,
}

pub(super) struct Layout {
    pub components: Vec<Component>,
    /// One per component, then the bucket of files that belong to none.
    pub buckets: Vec<Bucket>,
    pub notes: Vec<String>,
}

pub(super) fn group(inputs: &[Input], loaded: &Loaded, paths: &[PathBuf]) -> Layout {
    let (groups, loose) = pair_units(inputs);
    let appliance = &loaded.config.appliance;
    let infra = infrastructure(inputs, &groups, appliance);
    let mut notes = Vec::new();
    let declared = !loaded.config.component.is_empty();
    let components: Vec<Component> = if declared {
        loaded
            .config
            .component
            .iter()
            .map(|d| Component { name: d.name.get_ref().clone(), declared: true })
            .collect()
    } else {
        let components: Vec<&Group> =
            groups.iter().zip(&infra).filter(|(_, infra)| !**infra).map(|(g, _)| g).collect();
        implicit_component(inputs, &components, loaded, paths, &mut notes).into_iter().collect()
    };

    let matcher = Matcher::new(loaded);
    let component_of = |i: usize| -> Option<usize> {
        let input = inputs.get(i)?;
        if input.owner.is_some() {
            return input.owner;
        }
        if declared {
            matcher.component_of(&input.file.fs_path)
        } else {
            (!components.is_empty()).then_some(0)
        }
    };
    let mut buckets: Vec<Bucket> = (0..=components.len()).map(|_| Bucket::default()).collect();
    let last = components.len();
    for (n, g) in groups.into_iter().enumerate() {
        let is_infra = infra.get(n).copied().unwrap_or(false);
        let slot = if is_infra { None } else { component_of(g.main) };
        if let Some(b) = buckets.get_mut(slot.unwrap_or(last)) {
            b.units.push(g);
        }
    }
    for i in loose {
        let kind = inputs.get(i).and_then(Input::kind);
        let is_unit_file = matches!(kind, Some(FileKind::DropIn | FileKind::Unit) | None);
        let slot = if is_unit_file { None } else { component_of(i) };
        if slot.is_none() && kind == Some(FileKind::VersionFile) {
            for b in buckets.iter_mut().take(last) {
                b.shared.push(i);
            }
        }
        if let Some(b) = buckets.get_mut(slot.unwrap_or(last)) {
            b.files.push(i);
        }
    }
    Layout { components, buckets, notes }
}

/// Units keyed by folder and name, with the drop-ins of `<unit>.d/` in file-name order as
/// systemd applies them. Returns the groups and every input that is in none.
fn pair_units(inputs: &[Input]) -> (Vec<Group>, Vec<usize>) {
    let mut by_key: BTreeMap<(PathBuf, String), Group> = BTreeMap::new();
    let mut dropins: Vec<(PathBuf, String, usize)> = Vec::new();
    let mut loose = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let dir = input.file.fs_path.parent().map(Path::to_path_buf).unwrap_or_default();
        match &input.kind {
            Some((FileKind::Unit, name)) => {
                let g = Group { name: name.clone(), main: i, dropins: Vec::new() };
                by_key.insert((dir, name.clone()), g);
            }
            Some((FileKind::DropIn, name)) => {
                let unit_dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
                dropins.push((unit_dir, name.clone(), i));
            }
            _ => loose.push(i),
        }
    }
    for (dir, name, i) in dropins {
        match by_key.get_mut(&(dir, name)) {
            Some(g) => g.dropins.push(i),
            None => loose.push(i),
        }
    }
    let mut groups: Vec<Group> = by_key.into_values().collect();
    for g in &mut groups {
        g.dropins
            .sort_by_key(|i| inputs.get(*i).and_then(|x| x.file.fs_path.file_name().map(|n| n.to_owned())));
    }
    groups.sort_by_key(|g| g.main);
    loose.sort_unstable();
    (groups, loose)
}

/// Without `[[component]]`, everything checked is one component, named from its units (the
/// folder's name wins a tie), or from the folder when there are component files but no units.
fn implicit_component(
    inputs: &[Input],
    groups: &[&Group],
    loaded: &Loaded,
    paths: &[PathBuf],
    notes: &mut Vec<String>,
) -> Option<Component> {
    let appliance = &loaded.config.appliance;
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
    let name = match inferred {
        Some((name, _)) => name,
        None => {
            let has_component_files = inputs
                .iter()
                .any(|i| matches!(i.kind(), Some(FileKind::Compose | FileKind::Markdown | FileKind::Drone)));
            folder.filter(|_| has_component_files)?
        }
    };
    Some(Component { name, declared: false })
}

/// The appliance's own units, which are never components, one flag per group:
/// - units named by `[appliance] infrastructure-units` (`vic-appliance*`), the readiness units
///   and the appliance target themselves;
/// - the units a readiness unit pulls in (`Requires=`, `Wants=`, `BindsTo=`, `Requisite=`);
/// - units the appliance target pulls in, or that sit in a shared folder (in a tree with component
///   folders, one whose name is none of its units' names, such as `appliance/` or
///   `systemd/units/`), when they start no container.
fn infrastructure(inputs: &[Input], groups: &[Group], appliance: &Appliance) -> Vec<bool> {
    let parsed: Vec<Option<UnitFile>> = groups
        .iter()
        .map(|g| inputs.get(g.main).filter(|i| i.issue.is_none()).map(|i| unit::parse(&i.file.text)))
        .collect();
    let is_ready = |name: &str| appliance.ready_units.iter().any(|r| r == name);
    let mut from_ready: HashSet<&str> = HashSet::new();
    let mut from_target: HashSet<&str> = HashSet::new();
    for (g, u) in groups.iter().zip(&parsed) {
        let Some(u) = u else { continue };
        let into = if is_ready(&g.name) {
            &mut from_ready
        } else if g.name == appliance.target {
            &mut from_target
        } else {
            continue;
        };
        for key in ["Requires", "Wants", "BindsTo", "Requisite"] {
            into.extend(u.entries("Unit", key).flat_map(|e| e.value.as_str().split_whitespace()));
        }
    }
    // A folder is a component's when one of its units carries its name (`harbor/harbor.service`).
    let folder_of =
        |g: &Group| inputs.get(g.main).and_then(|i| i.file.fs_path.parent().map(Path::to_path_buf));
    let mut owned: HashMap<PathBuf, bool> = HashMap::new();
    for g in groups {
        let Some(dir) = folder_of(g) else { continue };
        let named = dir.file_name().is_some_and(|f| same_name(&f.to_string_lossy(), name_from_unit(&g.name)));
        *owned.entry(dir).or_insert(false) |= named;
    }
    // Shared folders exist only beside component folders: in a tree with none (one component's
    // repository, a single unit) every folder is the component's.
    let appliance_tree = owned.values().any(|o| *o);
    groups
        .iter()
        .zip(&parsed)
        .map(|(g, u)| {
            let name = g.name.as_str();
            if appliance.is_infrastructure(name) || is_ready(name) || name == appliance.target {
                return true;
            }
            if from_ready.contains(name) {
                return true;
            }
            let shared =
                appliance_tree && folder_of(g).is_some_and(|d| !owned.get(&d).copied().unwrap_or(false));
            (from_target.contains(name) || shared) && !u.as_ref().is_some_and(starts_container)
        })
        .collect()
}

/// `vic-machine-server` and `vic_machine_server` name the same component.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    norm(a) == norm(b)
}

/// An `Exec*=` line of the unit runs docker or the Compose CLI.
fn starts_container(u: &UnitFile) -> bool {
    u.sections("Service").flat_map(|s| &s.entries).filter(|e| e.key.starts_with("Exec")).any(|e| {
        e.value.as_str().split(|c: char| c.is_whitespace() || c == '\'' || c == '"').any(|w| {
            let base = w.rsplit('/').next().unwrap_or(w);
            base == "docker" || base == "docker-compose"
        })
    })
}
