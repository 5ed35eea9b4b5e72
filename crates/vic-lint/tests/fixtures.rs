#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every rule against its fixtures: each bad case triggers its rule and no other, each good case
//! and the reference component are clean. The rendered output of each is a reviewed snapshot.

mod support;

use std::path::Path;

use support::{codes, repo_root, run};

fn fixture_dirs(code: &str) -> Vec<(String, String)> {
    let dir = repo_root().join("fixtures/rules").join(code);
    let mut cases: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("rule {code} has no fixtures/rules/{code}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let case = e.file_name().to_string_lossy().into_owned();
            (case.clone(), format!("fixtures/rules/{code}/{case}"))
        })
        .collect();
    cases.sort();
    cases
}

/// Rules about what a whole component must have; every other rule's fixtures are fragments and
/// run without them (fixtures/rules/partial.toml).
const COMPLETENESS: &[&str] = &["C007", "V001", "D001", "P001"];

/// A fixture's own `vic-lint.toml` when it has one (to declare several components, whose `paths`
/// are relative to that file), else the shared configuration for the rule's kind of fixture.
fn config_for(code: &str, fixture: &str) -> String {
    let own = format!("{fixture}/vic-lint.toml");
    if repo_root().join(&own).is_file() {
        own
    } else if COMPLETENESS.contains(&code) {
        "fixtures/rules/all.toml".into()
    } else {
        "fixtures/rules/partial.toml".into()
    }
}

/// The static rules; the harness's `T` rules have their fixtures in fixtures/harness/ and their
/// tests in harness.rs, the baseline's S003 in fixtures/baseline/ and cli.rs.
fn codes_of_rules() -> Vec<String> {
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    out.stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| !c.starts_with('T') && *c != "S003")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rule_has_a_failing_and_a_passing_fixture() {
    let rules = codes_of_rules();
    assert!(rules.len() >= 26, "{rules:?}");
    for code in &rules {
        let cases = fixture_dirs(code);
        assert!(cases.iter().any(|(c, _)| c.starts_with("bad")), "{code}: no bad fixture");
        assert!(cases.iter().any(|(c, _)| c == "good"), "{code}: no good fixture");
    }
}

#[test]
fn bad_fixtures_trigger_only_their_rule() {
    for code in codes_of_rules() {
        for (case, path) in fixture_dirs(&code).into_iter().filter(|(c, _)| c.starts_with("bad")) {
            let config = config_for(&code, &path);
            let json = run(&["check", "--config", &config, "--format", "json", "--fail-on", "info", &path]);
            let found = codes(&json.stdout);
            assert!(!found.is_empty(), "{path}: {code} did not fire");
            assert!(found.iter().all(|c| *c == code), "{path}: expected only {code}, got {found:?}");
            assert_eq!(json.code, 1, "{path}: a finding must fail the run");
            insta::assert_snapshot!(format!("{code}_{case}_json"), json.stdout);
            let human = run(&["check", "--config", &config, &path]);
            insta::assert_snapshot!(format!("{code}_{case}_human"), human.stdout);
        }
    }
}

#[test]
fn good_fixtures_and_the_reference_are_clean() {
    let mut paths: Vec<(String, String)> = codes_of_rules()
        .iter()
        .flat_map(|code| {
            fixture_dirs(code).into_iter().filter(|(c, _)| c.starts_with("good")).map(|(_, p)| {
                let config = config_for(code, &p);
                (p, config)
            })
        })
        .collect();
    paths.push(("fixtures/reference".into(), "fixtures/rules/all.toml".into()));
    for (path, config) in paths {
        let out = run(&["check", "--config", &config, "--format", "json", "--fail-on", "info", &path]);
        assert_eq!(codes(&out.stdout), Vec::<String>::new(), "{path} is not clean");
        assert_eq!(out.code, 0, "{path}");
    }
    let human = run(&["check", "fixtures/reference"]);
    insta::assert_snapshot!("reference_human", human.stdout);
    let json = run(&["check", "--format", "json", "fixtures/reference"]);
    insta::assert_snapshot!("reference_json", json.stdout);
    assert!(Path::new(&repo_root().join("fixtures/reference/reference.service")).is_file());
}
