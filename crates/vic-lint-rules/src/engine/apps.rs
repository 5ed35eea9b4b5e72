//! Compose applications: the files a unit passes together (`-f a.yml -f b.yml`) are one
//! application, whose services merge as Compose merges overrides. A Compose file no unit
//! names is an application of its own.

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::path::Path;

use vic_lint_core::container::ContainerSpec;
use vic_lint_core::rule::{ComposeDoc, UnitCx};
use vic_lint_syntax::command::Invocation;

use crate::model::each_command;

/// The file names Compose reads when no `-f` is given.
const DEFAULT_FILES: &[&str] = &["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// The containers of every application, each service once, in file and service order.
pub(super) fn containers(units: &[UnitCx<'_>], composes: &[ComposeDoc<'_>]) -> Vec<ContainerSpec> {
    // Indexed once, so that finding a file by name, or an override's base, is not a scan of
    // every Compose file of the component for each.
    let mut by_name: HashMap<&OsStr, usize> = HashMap::new();
    let mut base_in: HashMap<Option<&Path>, usize> = HashMap::new();
    for (i, c) in composes.iter().enumerate() {
        let Some(name) = c.source.fs_path.file_name() else { continue };
        by_name.entry(name).or_insert(i);
        if name.to_str().is_some_and(|n| DEFAULT_FILES.contains(&n)) {
            base_in.entry(c.source.fs_path.parent()).or_insert(i);
        }
    }
    let find = |named: &str| Path::new(named).file_name().and_then(|n| by_name.get(n).copied());
    let mut apps: Vec<Vec<usize>> = Vec::new();
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for unit in units {
        for exec in unit.execs {
            each_command(exec, |c| {
                let Invocation::Compose(co) = &c.invocation else { return };
                let files: Vec<usize> = if co.files.is_empty() {
                    DEFAULT_FILES.iter().find_map(|n| find(n)).into_iter().collect()
                } else {
                    co.files.iter().filter_map(|f| find(f.as_str())).collect()
                };
                if !files.is_empty() && seen.insert(files.clone()) {
                    apps.push(files);
                }
            });
        }
    }
    let run: HashSet<usize> = apps.iter().flatten().copied().collect();
    let mut out: Vec<ContainerSpec> = apps.iter().flat_map(|files| merge(files, composes)).collect();
    for i in (0..composes.len()).filter(|i| !run.contains(i)) {
        match base_of(composes, i, &base_in) {
            // An override file that no unit names extends the base file beside it, as
            // `-f docker-compose.yml -f docker-compose.notary.yml` would: its services that only
            // add to the base's are the base's, checked with it.
            Some(base) => {
                let own: HashSet<&str> = base.model.services.iter().map(|s| s.name.as_str()).collect();
                let doc = composes.get(i).into_iter().flat_map(|d| &d.model.services);
                out.extend(doc.filter(|s| !own.contains(s.name.as_str())).map(|s| s.spec.clone()));
            }
            None => out.extend(merge(&[i], composes)),
        }
    }
    out
}

/// The base file (`docker-compose.yml`) in the folder of an override (`docker-compose.notary.yml`).
fn base_of<'a, 'b>(
    composes: &'b [ComposeDoc<'a>],
    i: usize,
    base_in: &HashMap<Option<&Path>, usize>,
) -> Option<&'b ComposeDoc<'a>> {
    let path = &composes.get(i)?.source.fs_path;
    let name = path.file_name()?.to_str()?;
    let stem = ["docker-compose.", "compose."].into_iter().find_map(|p| name.strip_prefix(p))?;
    if !stem.contains('.') {
        return None;
    }
    composes.get(*base_in.get(&path.parent())?)
}

fn merge(files: &[usize], composes: &[ComposeDoc<'_>]) -> Vec<ContainerSpec> {
    let mut out: Vec<ContainerSpec> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for doc in files.iter().filter_map(|i| composes.get(*i)) {
        for svc in &doc.model.services {
            match index.get(svc.name.as_str()).and_then(|i| out.get_mut(*i)) {
                Some(spec) => spec.overlay(&svc.spec),
                None => {
                    index.insert(svc.name.as_str(), out.len());
                    out.push(svc.spec.clone());
                }
            }
        }
    }
    out
}
