//! Generates the rule metadata table from `rules/<CODE>.md` (TOML front matter + Markdown body),
//! so that the pages are the single source of truth and a malformed page fails the build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    code: String,
    name: String,
    requirement: String,
    level: String,
    kind: String,
    summary: String,
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("../../rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    pages.retain(|p| p.extension().is_some_and(|e| e == "md"));
    pages.sort();

    let mut out = String::from("pub static RULE_META: &[RuleMeta] = &[\n");
    for page in &pages {
        let (front, body) = read_page(page);
        let level = match front.level.as_str() {
            "MUST" => "Must",
            "MUST NOT" => "MustNot",
            "SHOULD" => "Should",
            "SHOULD NOT" => "ShouldNot",
            "MAY" => "May",
            other => fail(page, &format!("unknown level `{other}`")),
        };
        let kind = match front.kind.as_str() {
            "syntax" => "Syntax",
            "unit" => "Unit",
            "container" => "Container",
            "compose" => "Compose",
            "version" => "Version",
            "docs" => "Docs",
            "drone" => "Drone",
            "layout" => "Layout",
            "harness" => "Harness",
            other => fail(page, &format!("unknown kind `{other}`")),
        };
        let stem = page.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if stem != front.code {
            fail(page, &format!("the file name must be the code `{}`", front.code));
        }
        let file = format!("{stem}.md");
        let _ = writeln!(
            out,
            "    RuleMeta {{ code: {:?}, name: {:?}, requirement: {:?}, level: Level::{level}, kind: Kind::{kind}, summary: {:?}, docs: {:?}, file: {:?} }},",
            front.code, front.name, front.requirement, front.summary, body, file
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("rule_meta.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        fail(&dest, &e.to_string());
    }
}

fn read_page(page: &Path) -> (Front, String) {
    let text = std::fs::read_to_string(page).unwrap_or_else(|e| fail(page, &e.to_string()));
    let rest = text
        .strip_prefix("+++\n")
        .unwrap_or_else(|| fail(page, "a rule page starts with `+++` front matter"));
    let (front, body) =
        rest.split_once("\n+++\n").unwrap_or_else(|| fail(page, "the front matter is not closed by `+++`"));
    let front: Front = toml::from_str(front).unwrap_or_else(|e| fail(page, &e.to_string()));
    (front, body.trim().to_string())
}

fn fail(page: &Path, msg: &str) -> ! {
    panic!("{}: {msg}", page.display())
}
