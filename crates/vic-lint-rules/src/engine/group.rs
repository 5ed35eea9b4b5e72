//! Pairs units with their drop-ins and puts every file into the bucket of its component.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use vic_lint_core::component::{infer_name, Component, Matcher};
use vic_lint_core::config::Loaded;
use vic_lint_core::discover::FileKind;

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
        implicit_component(inputs, &groups, loaded, paths, &mut notes).into_iter().collect()
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
    for g in groups {
        let slot = if appliance.is_infrastructure(&g.name) { None } else { component_of(g.main) };
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
    groups: &[Group],
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
