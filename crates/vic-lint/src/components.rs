//! `vic-lint components`: the components `check` sees, every file's place and why, and the
//! map written as `vic-lint.toml` for a team to pin.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;
use vic_lint_core::component::name_key;
use vic_lint_core::config::{self, FILE_NAME};
use vic_lint_core::discover::FileKind;
use vic_lint_rules::engine::{CheckError, MappedFile, Place};
use vic_lint_rules::{CheckOptions, Map};

use crate::cli::{Color, ComponentsArgs, ListFormat};
use crate::commands::{config_error, write_stdout};
use crate::exit;

pub(crate) fn components(args: &ComponentsArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_default();
    let loaded = match config::resolve(args.config.as_deref(), &cwd, args.isolated) {
        Ok(l) => l,
        Err(e) => return config_error(&e, Color::Auto),
    };
    let map = match vic_lint_rules::map(&CheckOptions { paths: &args.paths, config: &loaded, overlay: None })
    {
        Ok(m) => m,
        Err(CheckError::Usage(msg)) => {
            eprintln!("vic-lint: {msg}");
            return exit::CANNOT_RUN;
        }
        Err(CheckError::Config(e)) => return config_error(&e, Color::Auto),
    };
    if args.write_config {
        return write_config(args, &map);
    }
    let out = match args.format {
        ListFormat::Text => human(&map),
        ListFormat::Json => format!("{:#}\n", to_json(&map)),
    };
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

fn kind_name(kind: Option<FileKind>) -> &'static str {
    match kind {
        Some(FileKind::Unit) => "unit",
        Some(FileKind::DropIn) => "drop-in",
        Some(FileKind::Compose | FileKind::MaybeCompose) => "compose",
        Some(FileKind::VersionFile) => "version-file",
        Some(FileKind::Markdown) => "integration-doc",
        Some(FileKind::Drone) => "drone",
        Some(FileKind::Certificate) => "certificate",
        Some(FileKind::UpgradeImage) => "upgrade-image",
        None => "unreadable",
    }
}

/// The headings of the places that are no component, in the order they are printed.
const OTHERS: &[(&str, &str)] = &[
    ("infrastructure", "the appliance's own: file rules only"),
    ("shared", "read by every component, checked once as a file"),
    ("unowned", "in no component: file rules only"),
    ("ignored", "not checked"),
];

fn other_key(p: &Place) -> Option<&'static str> {
    match p {
        Place::Component(_) => None,
        Place::Infrastructure => Some("infrastructure"),
        Place::Shared => Some("shared"),
        Place::Unowned => Some("unowned"),
        Place::Ignored => Some("ignored"),
    }
}

/// Files by component index, and by the key of each other place.
fn split(map: &Map) -> (Vec<Vec<&MappedFile>>, HashMap<&'static str, Vec<&MappedFile>>) {
    let mut by_component: Vec<Vec<&MappedFile>> = vec![Vec::new(); map.components.len()];
    let mut others: HashMap<&'static str, Vec<&MappedFile>> = HashMap::new();
    for f in &map.files {
        match (&f.placement.place, other_key(&f.placement.place)) {
            (Place::Component(c), _) => {
                if let Some(list) = by_component.get_mut(*c) {
                    list.push(f);
                }
            }
            (_, Some(key)) => others.entry(key).or_default().push(f),
            (_, None) => {}
        }
    }
    (by_component, others)
}

fn human(map: &Map) -> String {
    let (by_component, others) = split(map);
    let mut out = String::new();
    let n = map.components.len();
    let how = if map.inferred {
        "inferred from the layout (no [[component]] in vic-lint.toml)"
    } else {
        "declared in vic-lint.toml"
    };
    let _ = writeln!(out, "{n} component{} {how}", if n == 1 { "" } else { "s" });
    let line = |out: &mut String, f: &MappedFile| {
        let _ = writeln!(out, "  {} ({}): {}", f.path, kind_name(f.kind), f.placement.why);
    };
    for (c, files) in map.components.iter().zip(&by_component) {
        let _ =
            writeln!(out, "\n{} ({} file{})", c.name, files.len(), if files.len() == 1 { "" } else { "s" });
        for f in files {
            line(&mut out, f);
        }
    }
    for (key, what) in OTHERS {
        let Some(files) = others.get(key) else { continue };
        let _ = writeln!(
            out,
            "\n{key}: {what} ({} file{})",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        for f in files {
            line(&mut out, f);
        }
    }
    out
}

fn to_json(map: &Map) -> serde_json::Value {
    let (by_component, others) = split(map);
    let file = |f: &&MappedFile| json!({ "path": f.path, "kind": kind_name(f.kind), "unit": f.unit, "why": f.placement.why });
    let components: Vec<serde_json::Value> = map
        .components
        .iter()
        .zip(&by_component)
        .map(|(c, files)| json!({ "name": c.name, "files": files.iter().map(file).collect::<Vec<_>>() }))
        .collect();
    let mut v = json!({ "inferred": map.inferred, "components": components, "notes": map.notes });
    for (key, _) in OTHERS {
        let files: Vec<serde_json::Value> =
            others.get(key).map(|l| l.iter().map(file).collect()).unwrap_or_default();
        v[*key] = serde_json::Value::Array(files);
    }
    v
}

fn write_config(args: &ComponentsArgs, map: &Map) -> u8 {
    let Some(root) = args.paths.first().filter(|p| p.is_dir()) else {
        eprintln!("vic-lint: --write-config needs a folder as PATH: vic-lint.toml is written there");
        return exit::CANNOT_RUN;
    };
    let target = root.join(FILE_NAME);
    let text = match std::fs::read_to_string(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => config_text(root, map),
        Err(e) => {
            eprintln!("vic-lint: cannot read {}: {e}", target.display());
            return exit::CANNOT_RUN;
        }
        Ok(existing) => match merge(&existing, &config_text(root, map), args.force) {
            Ok(t) => t,
            Err(m) => {
                eprintln!("vic-lint: {}: {m}", target.display());
                return exit::CANNOT_RUN;
            }
        },
    };
    match std::fs::write(&target, text) {
        Ok(()) => {
            eprintln!("vic-lint: wrote {} component(s) to {}", map.components.len(), target.display());
            exit::CLEAN
        }
        Err(e) => {
            eprintln!("vic-lint: cannot write {}: {e}", target.display());
            exit::CANNOT_RUN
        }
    }
}

/// The written components go into an existing configuration, which keeps its other settings and
/// comments; components it already declares are replaced only with `--force`.
fn merge(existing: &str, fresh: &str, force: bool) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = existing.parse().map_err(|e| format!("not valid TOML: {e}"))?;
    let fresh: toml_edit::DocumentMut = fresh.parse().map_err(|e| format!("{e}"))?;
    if doc.contains_key("component") && !force {
        return Err("already declares [[component]]; --force replaces them with the inferred ones".into());
    }
    match fresh.get("component") {
        Some(c) => doc["component"] = c.clone(),
        None => {
            doc.remove("component");
        }
    }
    let ignores = fresh.get("rules").and_then(|r| r.get("per-path-ignores")).and_then(|t| t.as_table());
    if let Some(ignores) = ignores {
        let rules = doc.entry("rules").or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
        let table = rules
            .as_table_like_mut()
            .ok_or("`rules` is not a table")?
            .entry("per-path-ignores")
            .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
        let table = table.as_table_like_mut().ok_or("`rules.per-path-ignores` is not a table")?;
        for (k, v) in ignores.iter() {
            table.insert(k, v.clone());
        }
    }
    Ok(doc.to_string())
}

/// Each component as a `[[component]]`: a glob for each folder named after it, the other files
/// by their path, its one integration document and version file by their keys. Files that are
/// not checked become `per-path-ignores` of every rule, so `check` with the written file reports
/// what it reported without one.
fn config_text(root: &Path, map: &Map) -> String {
    let rel = |f: &MappedFile| -> String {
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let r = abs(&f.fs_path);
        let base = abs(root);
        vic_lint_core::discover::display(r.strip_prefix(&base).unwrap_or(&r))
    };
    let (by_component, others) = split(map);
    let names: HashSet<String> = map.components.iter().map(|c| name_key(&c.name)).collect();
    // A folder named after one component but holding another's file cannot be globbed whole.
    let mut folder_owner: HashMap<PathBuf, Option<usize>> = HashMap::new();
    for f in &map.files {
        let Place::Component(c) = f.placement.place else { continue };
        for dir in named_folders(&rel(f), &names) {
            let e = folder_owner.entry(dir.clone()).or_insert(Some(c));
            if *e != Some(c) {
                *e = None;
            }
        }
    }
    for f in &map.files {
        if matches!(f.placement.place, Place::Component(_)) {
            continue;
        }
        for dir in PathBuf::from(rel(f)).ancestors().skip(1) {
            if let Some(e) = folder_owner.get_mut(dir) {
                *e = None;
            }
        }
    }
    let mut out = String::from(
        "# Written by `vic-lint components --write-config` from the layout vic-lint inferred.\n\
         # Edit it to pin the components; `vic-lint components` shows where each file goes.\n",
    );
    for (c, (component, files)) in map.components.iter().zip(&by_component).enumerate() {
        let mut globs: BTreeMap<String, ()> = BTreeMap::new();
        let mut doc: Option<String> = None;
        let mut version: Option<String> = None;
        let count = |k: FileKind| files.iter().filter(|f| f.kind == Some(k)).count();
        let (one_doc, one_version) = (count(FileKind::Markdown) == 1, count(FileKind::VersionFile) == 1);
        for f in files {
            let path = rel(f);
            if f.kind == Some(FileKind::Markdown) && one_doc {
                doc = Some(path);
                continue;
            }
            if f.kind == Some(FileKind::VersionFile) && one_version {
                version = Some(path);
                continue;
            }
            let folder =
                named_folders(&path, &names).into_iter().find(|d| folder_owner.get(d) == Some(&Some(c)));
            // One component's repository: everything checked is the component's.
            let glob = match folder {
                _ if map.components.len() == 1 => "**".to_string(),
                Some(d) => format!("{}/**", glob_escape(&vic_lint_core::discover::display(&d))),
                None => glob_escape(&path),
            };
            globs.insert(glob, ());
        }
        let _ = writeln!(out, "\n[[component]]\nname = {}", quote(&component.name));
        let _ = writeln!(out, "paths = [");
        for g in globs.keys() {
            let _ = writeln!(out, "    {},", quote(g));
        }
        let _ = writeln!(out, "]");
        if let Some(d) = doc {
            let _ = writeln!(out, "integration-doc = {}", quote(&d));
        }
        if let Some(v) = version {
            let _ = writeln!(out, "version-file = {}", quote(&v));
        }
    }
    if let Some(ignored) = others.get("ignored") {
        let _ =
            writeln!(out, "\n[rules.per-path-ignores]\n# user applications and documents of no component");
        for f in ignored {
            let _ = writeln!(out, "{} = [\"ALL\"]", quote(&glob_escape(&rel(f))));
        }
    }
    out
}

/// The folders above a file (relative to the root) named after some component, nearest first.
/// The checked folder itself counts when its name is the component's.
fn named_folders(rel: &str, names: &HashSet<String>) -> Vec<PathBuf> {
    Path::new(rel)
        .ancestors()
        .skip(1)
        .filter(|d| d.file_name().is_some_and(|n| names.contains(&name_key(&n.to_string_lossy()))))
        .map(Path::to_path_buf)
        .collect()
}

fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A path as a glob that matches only itself.
fn glob_escape(p: &str) -> String {
    p.chars().map(|c| if "*?[]{}".contains(c) { format!("[{c}]") } else { c.to_string() }).collect()
}
