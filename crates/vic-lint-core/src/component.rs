//! Grouping files into components.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::{Appliance, Loaded};

#[derive(Debug, Clone)]
pub struct Component {
    pub name: String,
    /// Declared in `vic-lint.toml`, as opposed to inferred from the units.
    pub declared: bool,
}

/// Matches files to declared components by the globs of `[[component]] paths`: one glob set for
/// all of them, so matching a file costs the same with five components or five thousand.
pub struct Matcher {
    set: GlobSet,
    /// The component each glob of the set belongs to.
    owner: Vec<usize>,
    base: std::path::PathBuf,
}

impl Matcher {
    pub fn new(loaded: &Loaded) -> Matcher {
        let mut b = GlobSetBuilder::new();
        let mut owner = Vec::new();
        for (i, decl) in loaded.config.component.iter().enumerate() {
            for p in &decl.paths {
                if let Ok(g) = Glob::new(p.get_ref()) {
                    b.add(g);
                    owner.push(i);
                }
            }
        }
        let set = b.build().unwrap_or_else(|_| GlobSet::empty());
        Matcher { set, owner, base: absolute(&loaded.base_dir) }
    }

    /// The first declared component whose globs match the file.
    pub fn component_of(&self, fs_path: &Path) -> Option<usize> {
        if self.owner.is_empty() {
            return None;
        }
        let abs = absolute(fs_path);
        let rel = abs.strip_prefix(&self.base).unwrap_or(&abs);
        self.set.matches(rel).into_iter().filter_map(|g| self.owner.get(g).copied()).min()
    }
}

fn absolute(p: &Path) -> std::path::PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The form in which names of one component compare equal: `vic_machine_server` (a folder) and
/// `vic-machine-server` (its unit).
pub fn name_key(s: &str) -> String {
    s.to_ascii_lowercase().replace('_', "-")
}

/// The component a unit belongs to by name: `configure-admiral.service` → `admiral`.
pub fn name_from_unit(unit: &str) -> &str {
    let stem = unit.rsplit_once('.').map_or(unit, |(s, _)| s);
    let stem = stem.strip_suffix('@').unwrap_or(stem);
    let stem = stem.split('@').next().unwrap_or(stem);
    stem.strip_prefix("configure-").unwrap_or(stem)
}

/// Names the implicit component from its service units: the folder's name when a unit carries
/// it (`harbor/` holding `harbor.service`), else the name most units share, the first in order
/// on a tie. Infrastructure units do not count. Also returns every candidate name, so the caller
/// can say when units of different names were put together.
pub fn infer_name<'a>(
    units: impl IntoIterator<Item = &'a str>,
    appliance: &Appliance,
    folder: Option<&str>,
) -> Option<(String, Vec<String>)> {
    // Names in order of first appearance, with an index so that counting stays linear.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for u in units {
        if !u.ends_with(".service") || appliance.is_infrastructure(u) {
            continue;
        }
        let n = name_from_unit(u);
        match index.get(n).and_then(|i| counts.get_mut(*i)) {
            Some((_, c)) => *c += 1,
            None => {
                index.insert(n, counts.len());
                counts.push((n, 1));
            }
        }
    }
    let names: Vec<String> = counts.iter().map(|(n, _)| n.to_string()).collect();
    if let Some(f) = folder.filter(|f| index.contains_key(f)) {
        return Some((f.to_string(), names));
    }
    // `admiral-startup` counts for `admiral` too: a helper is named after its service.
    let mut scores: Vec<(&str, usize)> = counts.clone();
    for (n, c) in &counts {
        let mut rest = *n;
        while let Some(cut) = rest.rfind(['-', '_']) {
            rest = rest.get(..cut).unwrap_or_default();
            if let Some(s) = index.get(rest).and_then(|i| scores.get_mut(*i)) {
                s.1 += c;
            }
        }
    }
    let best = scores.iter().map(|(_, c)| *c).max()?;
    let name = scores.into_iter().find(|(_, c)| *c == best).map(|(n, _)| n.to_string())?;
    Some((name, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_units() {
        assert_eq!(name_from_unit("admiral.service"), "admiral");
        assert_eq!(name_from_unit("configure-admiral.service"), "admiral");
        assert_eq!(name_from_unit("getty@.service"), "getty");
        assert_eq!(name_from_unit("getty@tty1.service"), "getty");
        let a = Appliance::default();
        let units = ["vic-appliance-ready.service", "configure-harbor.service", "harbor.service", "x.timer"];
        assert_eq!(infer_name(units, &a, None).map(|(n, _)| n).as_deref(), Some("harbor"));
        assert_eq!(infer_name(["vic-appliance.target"], &a, None), None);
        let helper = ["admiral-startup.service", "admiral.service"];
        assert_eq!(infer_name(helper, &a, None).map(|(n, _)| n).as_deref(), Some("admiral"));
        let mixed = ["getty@.service", "harbor.service"];
        assert_eq!(infer_name(mixed, &a, None).map(|(n, _)| n).as_deref(), Some("getty"));
        let (name, all) = infer_name(mixed, &a, Some("harbor")).unwrap();
        assert_eq!((name.as_str(), all.len()), ("harbor", 2));
    }
}
