//! Components without configuration, from the layouts real repositories have.
//!
//! - An appliance tree has folders of two or more components, each named like one of its units
//!   (`harbor/harbor.service`, `vic_machine_server/vic-machine-server.service`). Every file in a
//!   component folder is that component's. A Compose file belongs to the component whose unit
//!   runs it (`-f` names it by its path on the appliance, so the file name decides), a document
//!   to the component it is named after. What is in no component folder and run by no unit
//!   belongs to none: user applications (tutorials) and documents are left out, the root
//!   pipeline is the appliance's own.
//! - Any other tree is one component's repository: every file is that component's, named from
//!   its units, or with no units from the checkout folder (`harbor-1.5.0` → `harbor`) or the
//!   image name its Compose files share.
//!
//! In both, Compose files in `tutorials/`, `examples/`, `tests/` and the like that no unit runs
//! are user applications, and the appliance's own units are never a component's
//! (see `infra::infrastructure`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use vic_lint_core::component::{infer_name, name_from_unit, name_key, Component};
use vic_lint_core::config::Loaded;
use vic_lint_core::discover::FileKind;

use super::group::{loose_unit, set_group, shared_version, Group, Place, Placement, Tree};
use super::infra::{component_folders, folder_of, shown};
use super::load::Input;

/// Folders whose Compose files are user applications or test set-ups, not a component's.
const USER_APP_DIRS: &[&str] = &[
    "tutorials",
    "tutorial",
    "examples",
    "example",
    "samples",
    "sample",
    "demo",
    "demos",
    "test",
    "tests",
    "testdata",
    "e2e",
];

/// The file names Compose reads when no `-f` is given.
const DEFAULT_COMPOSE: &[&str] =
    &["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

type Placed = (Vec<Component>, Vec<Placement>, Vec<String>);

pub(super) fn place(tree: &Tree<'_>, loaded: &Loaded, paths: &[PathBuf]) -> Placed {
    let candidates = || tree.groups.iter().zip(&tree.infra).filter(|(_, i)| i.is_none()).map(|(g, _)| g);
    let folders = component_folders(tree.inputs, candidates());
    let names: BTreeSet<&str> = folders.values().map(String::as_str).collect();
    let mut cx = Cx {
        tree,
        paths,
        folders: &folders,
        placements: vec![Placement::new(Place::Unowned, ""); tree.inputs.len()],
    };
    for (g, why) in tree.groups.iter().zip(&tree.infra) {
        if let Some(why) = why {
            set_group(&mut cx.placements, g, Placement::new(Place::Infrastructure, why.clone()));
        }
    }
    let (components, notes) =
        if names.len() >= 2 { cx.appliance_tree() } else { cx.component_repo(loaded, paths) };
    let mut notes = notes;
    if !components.is_empty() {
        let shown: Vec<String> = components.iter().take(6).map(|c| format!("`{}`", c.name)).collect();
        let more = components.len().saturating_sub(shown.len());
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let n = components.len();
        notes.push(format!(
            "no [[component]] in vic-lint.toml: inferred {n} component{} from the layout: {}{more}; \
             `vic-lint components` shows why each file went where",
            if n == 1 { "" } else { "s" },
            shown.join(", ")
        ));
    }
    let left_out: Vec<&str> = cx
        .placements
        .iter()
        .zip(tree.inputs)
        .filter(|(p, _)| p.place == Place::Ignored)
        .map(|(_, i)| i.file.path.as_str())
        .collect();
    if let Some(first) = left_out.first() {
        let more = match left_out.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        notes.push(format!(
            "left out `{first}`{more}: user applications and documents of no component are not checked \
             (`vic-lint components` lists them)"
        ));
    }
    (components, cx.placements, notes)
}

struct Cx<'a, 't> {
    tree: &'a Tree<'t>,
    paths: &'a [PathBuf],
    folders: &'a HashMap<PathBuf, String>,
    placements: Vec<Placement>,
}

impl Cx<'_, '_> {
    fn input(&self, i: usize) -> Option<&Input> {
        self.tree.inputs.get(i)
    }

    fn kind(&self, i: usize) -> Option<FileKind> {
        self.input(i).and_then(Input::kind)
    }

    fn set(&mut self, i: usize, p: Placement) {
        if let Some(slot) = self.placements.get_mut(i) {
            *slot = p;
        }
    }

    fn candidates(&self) -> impl Iterator<Item = (usize, &Group)> + '_ {
        self.tree
            .groups
            .iter()
            .enumerate()
            .filter(|(n, _)| self.tree.infra.get(*n).is_some_and(Option::is_none))
    }

    /// The nearest folder above the file that is a component's.
    fn folder_above(&self, file: &Path) -> Option<(&Path, &str)> {
        file.ancestors()
            .skip(1)
            .find_map(|d| self.folders.get_key_value(d))
            .map(|(d, n)| (d.as_path(), n.as_str()))
    }

    /// The user-application folder the file is in, below the checked path.
    fn user_app_dir(&self, file: &Path) -> Option<String> {
        let root = self.paths.iter().find(|p| file.starts_with(p));
        let rel = root.and_then(|r| file.strip_prefix(r).ok()).unwrap_or(file);
        let dir = rel.parent()?;
        dir.components().find_map(|c| {
            let s = c.as_os_str().to_string_lossy();
            USER_APP_DIRS.contains(&s.to_ascii_lowercase().as_str()).then(|| s.into_owned())
        })
    }

    /// The Compose files outside every component folder that a unit runs, with the unit's
    /// component and name. A unit names a file by its path on the appliance
    /// (`/etc/vmware/harbor/docker-compose.yml`); a file of the component's own folder with that
    /// name is the one it means. Otherwise the file whose folder also matches is, or the only
    /// file of that name that is not in a user-application folder: a tutorial's
    /// `docker-compose.yml` is never taken for a component's by its name alone.
    fn run_by(
        &self,
        component_of: &[Option<usize>],
        index_of: impl Fn(&str) -> Option<usize>,
    ) -> HashMap<usize, (usize, String)> {
        let mut inside: HashSet<(usize, OsString)> = HashSet::new();
        let mut by_folder: HashMap<(OsString, OsString), Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<OsString, Vec<usize>> = HashMap::new();
        for &i in &self.tree.loose {
            let Some(input) = self.input(i).filter(|x| x.kind() == Some(FileKind::Compose)) else { continue };
            let file = &input.file.fs_path;
            let Some(base) = file.file_name().map(|b| b.to_os_string()) else { continue };
            if let Some((_, name)) = self.folder_above(file) {
                if let Some(c) = index_of(name) {
                    inside.insert((c, base));
                }
                continue;
            }
            if let Some(dir) = file.parent().and_then(Path::file_name) {
                by_folder.entry((dir.to_os_string(), base.clone())).or_default().push(i);
            }
            if self.user_app_dir(file).is_none() {
                by_name.entry(base).or_default().push(i);
            }
        }
        let mut out: HashMap<usize, (usize, String)> = HashMap::new();
        for (n, g) in self.candidates() {
            let (Some(c), Some(runs)) = (component_of.get(n).copied().flatten(), self.tree.runs.get(n))
            else {
                continue;
            };
            let named: Vec<&str> = runs
                .composes
                .iter()
                .flat_map(|f| match f {
                    Some(f) => vec![f.as_str()],
                    None => DEFAULT_COMPOSE.to_vec(),
                })
                .collect();
            for f in named {
                let path = Path::new(f);
                let Some(base) = path.file_name().map(|b| b.to_os_string()) else { continue };
                if inside.contains(&(c, base.clone())) {
                    continue;
                }
                let dir = path.parent().and_then(Path::file_name).map(|d| d.to_os_string());
                let same_folder = dir.and_then(|d| by_folder.get(&(d, base.clone())));
                let picks = match same_folder.filter(|v| v.len() == 1) {
                    Some(v) => v,
                    None => match by_name.get(&base).filter(|v| v.len() == 1) {
                        Some(v) => v,
                        None => continue,
                    },
                };
                for &i in picks {
                    out.entry(i).or_insert_with(|| (c, g.name.clone()));
                }
            }
        }
        out
    }

    fn appliance_tree(&mut self) -> (Vec<Component>, Vec<String>) {
        // Units outside every component folder: by name, then the folder above, then their own.
        let mut names: BTreeSet<String> = self.folders.values().cloned().collect();
        let folder_names: HashMap<String, String> = names.iter().map(|n| (name_key(n), n.clone())).collect();
        let mut chosen: Vec<Option<(String, String)>> = vec![None; self.tree.groups.len()];
        for (n, g) in self.candidates() {
            let file = self.input(g.main).map(|i| i.file.fs_path.clone()).unwrap_or_default();
            let dir = folder_of(self.tree.inputs, g).unwrap_or_default();
            let unit_name = name_from_unit(&g.name);
            let pick = if let Some(c) = self.folders.get(&dir) {
                (c.clone(), format!("in the component folder `{}/`", shown(&dir)))
            } else if let Some(c) = folder_names.get(&name_key(unit_name)) {
                (c.clone(), format!("named after the component `{c}`"))
            } else if let Some((d, c)) = self.folder_above(&file) {
                (c.to_string(), format!("under the component folder `{}/`", shown(d)))
            } else {
                (
                    unit_name.to_string(),
                    "outside every component folder: a component of its own, named from the unit".into(),
                )
            };
            if let Some(slot) = chosen.get_mut(n) {
                *slot = Some(pick);
            }
        }
        names.extend(chosen.iter().flatten().map(|(c, _)| c.clone()));
        let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
        let by_norm: HashMap<String, &str> = names.iter().map(|n| (name_key(n), n.as_str())).collect();
        let component_of: Vec<Option<usize>> = chosen
            .iter()
            .map(|c| c.as_ref().and_then(|(name, _)| index.get(name.as_str()).copied()))
            .collect();
        for ((g, pick), c) in self.tree.groups.iter().zip(&chosen).zip(&component_of) {
            if let (Some((_, why)), Some(c)) = (pick, c) {
                set_group(&mut self.placements, g, Placement::new(Place::Component(*c), why.clone()));
            }
        }
        let run_by = self.run_by(&component_of, |name| index.get(name).copied());
        for &i in &self.tree.loose {
            let Some(input) = self.input(i) else { continue };
            let file = input.file.fs_path.clone();
            let above = self.folder_above(&file).and_then(|(d, c)| Some((shown(d), *index.get(c)?)));
            let in_folder = |(d, c): (String, usize)| {
                Placement::new(Place::Component(c), format!("in the component folder `{d}/`"))
            };
            let p = match self.kind(i) {
                Some(FileKind::Unit | FileKind::DropIn) | None => loose_unit(self.tree, i),
                Some(FileKind::Compose) => match (run_by.get(&i), above) {
                    (_, Some(a)) => in_folder(a),
                    (Some((c, unit)), None) => {
                        Placement::new(Place::Component(*c), format!("run by `{unit}`"))
                    }
                    (None, None) => self.user_app(&file).unwrap_or_else(|| {
                        Placement::new(
                            Place::Ignored,
                            "run by no unit and in no component folder: a user application",
                        )
                    }),
                },
                Some(FileKind::Markdown) => {
                    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    match (by_norm.get(&name_key(&stem)), above) {
                        (Some(c), _) => match index.get(*c) {
                            Some(i) => Placement::new(
                                Place::Component(*i),
                                format!("named after the component `{c}`"),
                            ),
                            None => unowned_doc(),
                        },
                        (None, Some(a)) => in_folder(a),
                        (None, None) => unowned_doc(),
                    }
                }
                Some(FileKind::Drone) => match above {
                    Some(a) => in_folder(a),
                    None => Placement::new(
                        Place::Infrastructure,
                        "the appliance's own pipeline: in no component folder",
                    ),
                },
                Some(FileKind::VersionFile) => above.map_or_else(shared_version, in_folder),
                Some(FileKind::Certificate | FileKind::MaybeCompose | FileKind::UpgradeImage) => above
                    .map_or_else(
                        || Placement::new(Place::Unowned, "in no component folder: file rules only"),
                        in_folder,
                    ),
            };
            self.set(i, p);
        }
        let components = names.into_iter().map(|name| Component { name, declared: false }).collect();
        (components, Vec::new())
    }

    /// A Compose file in a user-application folder that no unit runs is left out.
    fn user_app(&self, file: &Path) -> Option<Placement> {
        let dir = self.user_app_dir(file)?;
        Some(Placement::new(Place::Ignored, format!("in `{dir}/` and run by no unit: a user application")))
    }

    fn component_repo(&mut self, loaded: &Loaded, paths: &[PathBuf]) -> (Vec<Component>, Vec<String>) {
        let mut notes = Vec::new();
        let ours: Vec<Group> = self.candidates().map(|(_, g)| g.clone()).collect();
        let component_of: Vec<Option<usize>> = self.tree.groups.iter().map(|_| Some(0)).collect();
        let run_by = self.run_by(&component_of, |_| Some(0));
        // User applications first: they name no component and do not count for its name.
        let mut claimed = false;
        for &i in &self.tree.loose {
            let Some(input) = self.input(i) else { continue };
            let file = input.file.fs_path.clone();
            let kind = self.kind(i);
            if matches!(kind, Some(FileKind::Unit | FileKind::DropIn) | None) {
                self.set(i, loose_unit(self.tree, i));
                continue;
            }
            let app = if kind == Some(FileKind::Compose) && !run_by.contains_key(&i) {
                self.user_app(&file)
            } else {
                None
            };
            match app {
                Some(p) => self.set(i, p),
                None => {
                    claimed |= matches!(kind, Some(FileKind::Compose | FileKind::Markdown | FileKind::Drone))
                }
            }
        }
        let folder = self.folders.values().next().cloned().or_else(|| root_name(paths));
        let named =
            infer_name(ours.iter().map(|g| g.name.as_str()), &loaded.config.appliance, folder.as_deref());
        if let Some((name, all)) = named.as_ref().filter(|(_, all)| all.len() > 1) {
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
        let name = match named {
            Some((name, _)) => {
                Some((name, "a unit of the only component of this tree, which is named from its units"))
            }
            None if claimed || !ours.is_empty() => {
                self.image_name(folder.as_deref()).map(|n| (n, "the component of this repository"))
            }
            None => None,
        };
        let Some((name, why)) = name else {
            for &i in &self.tree.loose {
                if self.placements.get(i).is_some_and(|p| p.why.is_empty()) {
                    let p = if self.kind(i) == Some(FileKind::VersionFile) {
                        shared_version()
                    } else {
                        Placement::new(Place::Unowned, "no component in this tree: file rules only")
                    };
                    self.set(i, p);
                }
            }
            return (Vec::new(), notes);
        };
        for g in &ours {
            set_group(&mut self.placements, g, Placement::new(Place::Component(0), why));
        }
        for &i in &self.tree.loose {
            if self.placements.get(i).is_some_and(|p| p.why.is_empty()) {
                self.set(i, Placement::new(Place::Component(0), "the only component of this tree"));
            }
        }
        (vec![Component { name, declared: false }], notes)
    }

    /// A repository without units is named after its checkout folder (without a version
    /// suffix), unless its images share another name (`vmware/harbor-db`, `vmware/harbor-ui`).
    fn image_name(&self, folder: Option<&str>) -> Option<String> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut images = 0;
        for (i, input) in self.tree.inputs.iter().enumerate() {
            let kept = self.placements.get(i).is_some_and(|p| p.place != Place::Ignored);
            if !kept || input.kind() != Some(FileKind::Compose) {
                continue;
            }
            for token in input.file.text.lines().filter_map(image_token) {
                images += 1;
                *counts.entry(token).or_default() += 1;
            }
        }
        if let Some(f) = folder.filter(|f| counts.contains_key(*f) || counts.is_empty()) {
            return Some(f.to_string());
        }
        let (best, n) = counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
        if n * 2 >= images {
            Some(best)
        } else {
            folder.map(str::to_string).or(Some(best))
        }
    }
}

fn unowned_doc() -> Placement {
    Placement::new(Place::Ignored, "a document named after no component and in no component folder")
}

/// `image: vmware/harbor-db:v1.5.0` → `harbor`.
fn image_token(line: &str) -> Option<String> {
    let value = line.trim_start().strip_prefix("image:")?.trim().trim_matches(['"', '\'']);
    if value.starts_with('$') || value.is_empty() {
        return None;
    }
    let name = value.rsplit('/').next()?;
    let name = name.split(['@', ':']).next()?;
    let token = name.split(['-', '_', '.']).next()?.to_ascii_lowercase();
    (!token.is_empty()).then_some(token)
}

/// The checkout folder's name, without a version suffix: `harbor-1.5.0`, `admiral-v1.4`,
/// `vic-product-master` → `harbor`, `admiral`, `vic-product`.
fn root_name(paths: &[PathBuf]) -> Option<String> {
    let p = std::path::absolute(paths.first()?).ok()?;
    let dir = if p.is_file() { p.parent()?.to_path_buf() } else { p };
    let name = dir.file_name()?.to_string_lossy().into_owned();
    let mut parts: Vec<&str> = name.split(['-', '_']).collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| is_version_part(p)) {
        parts.pop();
    }
    Some(parts.join("-"))
}

fn is_version_part(p: &str) -> bool {
    let digits = p.strip_prefix(['v', 'V']).unwrap_or(p);
    digits.starts_with(|c: char| c.is_ascii_digit())
        || ["master", "main", "head", "dev", "develop", "release", "rc"]
            .contains(&p.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_folders_lose_their_version() {
        let name = |p: &str| root_name(&[PathBuf::from("/tmp").join(p)]);
        assert_eq!(name("harbor-1.5.0").as_deref(), Some("harbor"));
        assert_eq!(name("admiral-v1.4.2").as_deref(), Some("admiral"));
        assert_eq!(name("vic-product-master").as_deref(), Some("vic-product"));
        assert_eq!(name("vic_machine_server").as_deref(), Some("vic-machine-server"));
        assert_eq!(name("v1").as_deref(), Some("v1"));
    }

    #[test]
    fn image_names_give_their_first_word() {
        assert_eq!(image_token("    image: vmware/harbor-db:v1.5.0").as_deref(), Some("harbor"));
        assert_eq!(image_token("  image: \"goharbor/harbor-core@sha256:ab\"").as_deref(), Some("harbor"));
        assert_eq!(image_token("  image: redis").as_deref(), Some("redis"));
        assert_eq!(image_token("  image: ${IMAGE}"), None);
        assert_eq!(image_token("  labels: x"), None);
    }
}
