//! Pairs units with their drop-ins and puts every file into the bucket of its component.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use vic_lint_core::component::{Component, Matcher};
use vic_lint_core::config::Loaded;
use vic_lint_core::discover::FileKind;
use vic_lint_syntax::unit::UnitFile;

use super::infer;
use super::infra::{self, Runs};
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

/// Where one file went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Component(usize),
    /// The appliance's own unit or pipeline: file rules only.
    Infrastructure,
    /// A version file of no component: the appliance's, read by every component and checked as
    /// a file once.
    Shared,
    /// In no component: file rules only.
    Unowned,
    /// Not checked: a user application or a document of no component.
    Ignored,
}

/// Where a file went and why, in words for `vic-lint components`.
#[derive(Clone, Debug)]
pub struct Placement {
    pub place: Place,
    pub why: String,
}

impl Placement {
    pub(super) fn new(place: Place, why: impl Into<String>) -> Placement {
        Placement { place, why: why.into() }
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
    /// One per input.
    pub placements: Vec<Placement>,
    pub notes: Vec<String>,
}

/// The facts both ways of placing files start from.
pub(super) struct Tree<'a> {
    pub inputs: &'a [Input],
    pub groups: Vec<Group>,
    /// Inputs in no group: every file but units and their drop-ins.
    pub loose: Vec<usize>,
    pub runs: Vec<Runs>,
    /// Per group: why it is the appliance's own, if it is.
    pub infra: Vec<Option<String>>,
}

pub(super) fn group(
    inputs: &[Input],
    units: &[Option<UnitFile>],
    loaded: &Loaded,
    paths: &[PathBuf],
) -> Layout {
    let (groups, loose) = pair_units(inputs);
    let runs: Vec<Runs> = groups.par_iter().map(|g| infra::runs(g, units)).collect();
    let infra = infra::infrastructure(inputs, units, &groups, &runs, &loaded.config.appliance);
    let tree = Tree { inputs, groups, loose, runs, infra };
    let (components, placements, notes) = if loaded.config.component.is_empty() {
        infer::place(&tree, loaded, paths)
    } else {
        let (components, placements) = declared(&tree, loaded);
        (components, placements, Vec::new())
    };
    let mut buckets: Vec<Bucket> = (0..=components.len()).map(|_| Bucket::default()).collect();
    let last = components.len();
    let slot = |p: &Place| match p {
        Place::Component(c) => Some(*c),
        Place::Infrastructure | Place::Unowned | Place::Shared => Some(last),
        Place::Ignored => None,
    };
    for g in tree.groups {
        let place = placements.get(g.main).map(|p| &p.place);
        if let Some(b) = place.and_then(slot).and_then(|s| buckets.get_mut(s)) {
            b.units.push(g);
        }
    }
    for &i in &tree.loose {
        let Some(place) = placements.get(i).map(|p| &p.place) else { continue };
        if *place == Place::Shared {
            for b in buckets.iter_mut().take(last) {
                b.shared.push(i);
            }
        }
        if let Some(b) = slot(place).and_then(|s| buckets.get_mut(s)) {
            b.files.push(i);
        }
    }
    Layout { components, buckets, placements, notes }
}

/// With `[[component]]` in the configuration: the files each one names, then its path globs.
fn declared(tree: &Tree<'_>, loaded: &Loaded) -> (Vec<Component>, Vec<Placement>) {
    let decls = &loaded.config.component;
    let components: Vec<Component> =
        decls.iter().map(|d| Component { name: d.name.get_ref().clone(), declared: true }).collect();
    let matcher = Matcher::new(loaded);
    let name = |c: usize| components.get(c).map(|c| c.name.as_str()).unwrap_or_default();
    let place_of = |i: usize| -> Placement {
        let Some(input) = tree.inputs.get(i) else { return unowned() };
        if let Some(c) = input.owner {
            let key =
                if input.kind() == Some(FileKind::VersionFile) { "version-file" } else { "integration-doc" };
            return Placement::new(
                Place::Component(c),
                format!("the `{key}` of `[[component]]` `{}`", name(c)),
            );
        }
        match matcher.component_of(&input.file.fs_path) {
            Some(c) => Placement::new(Place::Component(c), format!("matches the `paths` of `{}`", name(c))),
            None => unowned(),
        }
    };
    // Matching paths against every component's globs is the cost: in parallel, set in order.
    let of_groups: Vec<Placement> = tree
        .groups
        .par_iter()
        .zip(&tree.infra)
        .map(|(g, why)| match why {
            Some(why) => Placement::new(Place::Infrastructure, why.clone()),
            None => place_of(g.main),
        })
        .collect();
    let of_loose: Vec<Placement> = tree
        .loose
        .par_iter()
        .map(|&i| {
            let p = match tree.inputs.get(i).and_then(Input::kind) {
                Some(FileKind::Unit | FileKind::DropIn) | None => loose_unit(tree, i),
                Some(_) => place_of(i),
            };
            let version = tree.inputs.get(i).and_then(Input::kind) == Some(FileKind::VersionFile);
            if p.place == Place::Unowned && version {
                shared_version()
            } else {
                p
            }
        })
        .collect();
    let mut placements = vec![unowned(); tree.inputs.len()];
    for (g, p) in tree.groups.iter().zip(of_groups) {
        set_group(&mut placements, g, p);
    }
    for (&i, p) in tree.loose.iter().zip(of_loose) {
        if let Some(slot) = placements.get_mut(i) {
            *slot = p;
        }
    }
    (components, placements)
}

pub(super) fn unowned() -> Placement {
    Placement::new(Place::Unowned, "matches no `[[component]]`: file rules only")
}

pub(super) fn shared_version() -> Placement {
    Placement::new(Place::Shared, "a version file of no component: the appliance's, read by every component")
}

/// A unit or drop-in in no group: a drop-in whose unit is not checked, or a file that could not
/// be read.
pub(super) fn loose_unit(tree: &Tree<'_>, i: usize) -> Placement {
    let why = match tree.inputs.get(i) {
        Some(x) if x.issue.is_some() => "could not be read: reported, not checked further",
        _ => "a drop-in whose unit is not among the checked files: file rules only",
    };
    Placement::new(Place::Unowned, why)
}

/// A unit's drop-ins go where the unit goes.
pub(super) fn set_group(placements: &mut [Placement], g: &Group, p: Placement) {
    for i in g.dropins.iter().copied() {
        if let Some(slot) = placements.get_mut(i) {
            *slot = Placement::new(p.place.clone(), format!("a drop-in of `{}`", g.name));
        }
    }
    if let Some(slot) = placements.get_mut(g.main) {
        *slot = p;
    }
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
