//! Zero-configuration runs on trees shaped like the repositories users have: the appliance's
//! (several component folders, a shared folder of its own units, tutorials, its pipeline) and
//! component repositories beside it (Harbor's Compose files and tests, Admiral's pipeline).
//! fixtures/layouts/expected/ holds every finding each tree must give, reviewed one by one.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use support::{repo_root, run_in};

const TREES: &[&str] = &["vic-product", "harbor-v1.5.0", "admiral-1.4.2"];

/// A copy outside the repository, so that no vic-lint.toml above it applies.
fn copy_tree(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    support::copy_dir(&repo_root().join("fixtures/layouts").join(name), &dir.path().join(name));
    dir
}

/// `path:line:col: CODE` of each finding, in report order.
fn findings(dir: &Path) -> Vec<String> {
    let out = run_in(dir, &["check", "--format", "concise"]);
    assert!(out.code == 0 || out.code == 1, "{}{}", out.stdout, out.stderr);
    out.stdout
        .lines()
        .map(|l| {
            let mut words = l.split_whitespace();
            format!("{} {}", words.next().unwrap(), words.next().unwrap())
        })
        .collect()
}

fn expected(name: &str) -> Vec<String> {
    let path = repo_root().join("fixtures/layouts/expected").join(format!("{name}.txt"));
    std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect()
}

fn map(dir: &Path) -> serde_json::Value {
    let out = run_in(dir, &["components", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap()
}

fn names(v: &serde_json::Value) -> Vec<String> {
    v["components"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_string()).collect()
}

fn paths(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_zero_configuration_check_finds_exactly_the_expected_findings() {
    for name in TREES {
        let dir = copy_tree(name);
        let root = dir.path().join(name);
        assert_eq!(findings(&root), expected(name), "{name}");
    }
}

#[test]
fn the_appliance_tree_has_one_component_per_folder_and_nothing_on_its_own_files() {
    let dir = copy_tree("vic-product");
    let root = dir.path().join("vic-product");
    let v = map(&root);
    assert_eq!(v["inferred"], true);
    assert_eq!(names(&v), ["admiral", "fileserver", "harbor", "vic-machine-server"]);
    let harbor: Vec<String> = v["components"][2]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["path"].as_str().unwrap(), f["why"].as_str().unwrap()))
        .collect();
    assert!(
        harbor.contains(
            &"installer/build/compose/docker-compose.notary.yml run by `harbor.service`".to_string()
        ),
        "{harbor:?}"
    );
    assert!(
        harbor.iter().any(|f| f.starts_with("installer/docs/integration/harbor.md named after")),
        "{harbor:?}"
    );
    let infra = paths(&v, "infrastructure");
    assert_eq!(infra.len(), 16, "{infra:?}");
    assert!(infra
        .iter()
        .all(|p| p == ".drone.yml" || p.starts_with("installer/build/scripts/systemd/units/")));
    let ignored = paths(&v, "ignored");
    assert_eq!(
        ignored,
        [
            "installer/docs/INTEGRATION.md",
            "tutorials/voting-app/docker-compose.yml",
            "tutorials/wordpress/docker-compose.yml"
        ]
    );
    // Nothing is reported on the appliance's own files or on the tutorials.
    let found = findings(&root);
    assert!(
        found.iter().all(|f| !f.starts_with("installer/build/scripts/systemd/")
            && !f.starts_with("tutorials/")
            && !f.starts_with(".drone.yml")
            && !f.starts_with("installer/docs/")),
        "{found:?}"
    );
    let out = run_in(&root, &["check", "--format", "concise"]);
    assert!(
        out.stderr.contains(
            "inferred 4 components from the layout: `admiral`, `fileserver`, `harbor`, `vic-machine-server`"
        ),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("left out `installer/docs/INTEGRATION.md` and 2 more"), "{}", out.stderr);
}

#[test]
fn component_repositories_are_named_from_their_checkout_and_leave_out_their_tests() {
    let dir = copy_tree("harbor-v1.5.0");
    let v = map(&dir.path().join("harbor-v1.5.0"));
    assert_eq!(names(&v), ["harbor"]);
    assert_eq!(paths(&v, "ignored"), ["tests/docker-compose.test.yml"]);
    let dir = copy_tree("admiral-1.4.2");
    assert_eq!(names(&map(&dir.path().join("admiral-1.4.2"))), ["admiral"]);
    let human = run_in(&dir.path().join("admiral-1.4.2"), &["components"]);
    assert!(human.stdout.starts_with("1 component inferred from the layout"), "{}", human.stdout);
    assert!(human
        .stdout
        .contains("\nadmiral (1 file)\n  .drone.yml (drone): the only component of this tree\n"));
}

#[test]
fn the_written_configuration_pins_the_same_components_and_findings() {
    for name in TREES {
        let dir = copy_tree(name);
        let root = dir.path().join(name);
        let before = map(&root);
        let out = run_in(&root, &["components", "--write-config"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let text = std::fs::read_to_string(root.join("vic-lint.toml")).unwrap();
        let after = map(&root);
        assert_eq!(after["inferred"], false, "{text}");
        assert_eq!(names(&after), names(&before), "{text}");
        assert_eq!(findings(&root), expected(name), "{name}:\n{text}");
        // Written once, kept: a second write does not replace declared components.
        let again = run_in(&root, &["components", "--write-config"]);
        assert_eq!(again.code, 2);
        assert!(again.stderr.contains("already declares [[component]]"), "{}", again.stderr);
    }
    let dir = copy_tree("vic-product");
    let root = dir.path().join("vic-product");
    let text = {
        run_in(&root, &["components", "--write-config"]);
        std::fs::read_to_string(root.join("vic-lint.toml")).unwrap()
    };
    assert!(text.contains("name = \"harbor\"\npaths = [\n    \"installer/build/compose/docker-compose.notary.yml\",\n    \"installer/build/scripts/harbor/**\",\n]\nintegration-doc = \"installer/docs/integration/harbor.md\"\n"), "{text}");
    assert!(text.contains("\"tutorials/wordpress/docker-compose.yml\" = [\"ALL\"]"), "{text}");
}

#[test]
fn writing_the_configuration_keeps_what_the_file_already_says() {
    let dir = copy_tree("harbor-v1.5.0");
    let root = dir.path().join("harbor-v1.5.0");
    let mine = "# our settings\n[rules]\nignore = [\"K003\"]\n";
    std::fs::write(root.join("vic-lint.toml"), mine).unwrap();
    let out = run_in(&root, &["components", "--write-config"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(root.join("vic-lint.toml")).unwrap();
    assert!(text.starts_with(mine), "{text}");
    assert!(text.contains("[[component]]\nname = \"harbor\""), "{text}");
    assert!(text.contains("\"tests/docker-compose.test.yml\" = [\"ALL\"]"), "{text}");
    assert!(!findings(&root).iter().any(|f| f.ends_with("K003")));
    // A file is not a folder to write into.
    let out = run_in(&root, &["components", "--write-config", ".drone.yml"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("needs a folder"), "{}", out.stderr);
}
