#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `docs/rules/` is generated from `rules/` (and the requirement catalogue): one page per rule
//! with its metadata on top, and an index. This test keeps the pages current; after changing a
//! rule page run `VIC_LINT_UPDATE_DOCS=1 cargo test -p vic-lint --test docs` and commit the result.

mod support;

use support::{repo_root, run};

fn generated() -> Vec<(String, String)> {
    let rules: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["rules", "--format", "json"]).stdout).unwrap();
    let mut pages = Vec::new();
    let mut index = String::from(
        "# vic-lint rules\n\nGenerated from `rules/` by `crates/vic-lint/tests/docs.rs`; do not edit.\n\n\
         | code | name | requirement | level | kind | summary |\n|---|---|---|---|---|---|\n",
    );
    for r in &rules {
        let code = r["code"].as_str().unwrap();
        let explain = run(&["explain", code]);
        assert_eq!(explain.code, 0);
        let page = format!(
            "<!-- Generated from rules/{code}.md by crates/vic-lint/tests/docs.rs; do not edit. -->\n{}",
            explain.stdout
        );
        pages.push((format!("{code}.md"), page));
        index.push_str(&format!(
            "| [`{code}`]({code}.md) | {} | {} | {} | {} | {} |\n",
            r["name"].as_str().unwrap(),
            r["requirement"].as_str().unwrap(),
            r["level"].as_str().unwrap(),
            r["kind"].as_str().unwrap(),
            r["summary"].as_str().unwrap()
        ));
    }
    pages.push(("README.md".into(), index));
    pages
}

#[test]
fn docs_rules_are_current() {
    let dir = repo_root().join("docs/rules");
    let update = std::env::var("VIC_LINT_UPDATE_DOCS").is_ok_and(|v| v == "1");
    let pages = generated();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            std::fs::remove_file(entry.path()).unwrap();
        }
        for (name, text) in &pages {
            std::fs::write(dir.join(name), text).unwrap();
        }
        return;
    }
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| {
            panic!("docs/rules is missing: run VIC_LINT_UPDATE_DOCS=1 cargo test -p vic-lint --test docs")
        })
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = pages.iter().map(|(n, _)| n.clone()).collect();
    expected.sort();
    assert_eq!(
        on_disk, expected,
        "docs/rules is stale: run VIC_LINT_UPDATE_DOCS=1 cargo test -p vic-lint --test docs"
    );
    for (name, text) in &pages {
        let current = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            &current == text,
            "docs/rules/{name} is stale: run VIC_LINT_UPDATE_DOCS=1 cargo test -p vic-lint --test docs"
        );
    }
}
