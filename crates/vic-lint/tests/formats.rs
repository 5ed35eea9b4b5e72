#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every output format on the same findings: each parses as its readers expect, and says the same
//! as the JSON report.

mod support;

use std::collections::{BTreeSet, HashSet};

use support::{repo_root, run, PARTIAL};

/// Findings of every kind of rule, with related locations, in many files.
const ALL_BAD: &[&str] = &["check", "--config", PARTIAL, "fixtures/rules"];

fn check(format: &str) -> support::Run {
    let mut args = ALL_BAD.to_vec();
    args.extend(["--format", format]);
    run(&args)
}

fn json_findings() -> Vec<serde_json::Value> {
    let out = check("json");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

fn rule_count() -> usize {
    run(&["rules"]).stdout.lines().skip(1).filter(|l| !l.trim().is_empty()).count()
}

#[test]
fn sarif_is_valid_sarif_2_1_0_and_matches_the_json_report() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("crates/vic-lint/tests/data/sarif-schema-2.1.0.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let out = check("sarif");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject what SARIF forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));

    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), rule_count(), "every rule is described");
    for r in rules {
        assert!(r["helpUri"].as_str().unwrap().ends_with(&format!("rules/{}.md", r["id"].as_str().unwrap())));
        assert!(r["properties"]["requirement"].is_string());
        assert!(["error", "warning", "note"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = run0["results"].as_array().unwrap();
    let findings = json_findings();
    assert_eq!(results.len(), findings.len());
    assert!(results.iter().any(|r| r["relatedLocations"].is_array()), "related locations are kept");
    for (r, f) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"], f["rule"]);
        assert_eq!(r["partialFingerprints"]["vicLint/v1"], f["fingerprint"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], f["line"]);
        assert_eq!(region["startColumn"], f["column"]);
        assert_eq!(region["endColumn"], f["end_column"]);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], f["rule"]);
    }
}

#[test]
fn junit_parses_with_a_suite_per_component_and_a_failure_per_rule_and_file() {
    let out = check("junit");
    let doc = roxmltree::Document::parse(&out.stdout).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let findings = json_findings();
    let components: BTreeSet<&str> =
        findings.iter().map(|f| f["component"].as_str().unwrap_or("(no component)")).collect();
    let suites: Vec<roxmltree::Node> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    let names: BTreeSet<&str> = suites.iter().map(|s| s.attribute("name").unwrap()).collect();
    for c in &components {
        assert!(names.contains(c), "no testsuite for {c}: {names:?}");
    }
    let pairs: BTreeSet<(String, String)> = findings
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["path"].as_str().unwrap().to_string()))
        .collect();
    let failures: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.has_tag_name("failure")).collect();
    assert_eq!(failures.len(), pairs.len());
    // The counts in the attributes are what the elements say.
    let tests: usize = root.attribute("tests").unwrap().parse().unwrap();
    assert_eq!(tests, doc.descendants().filter(|n| n.has_tag_name("testcase")).count());
    assert_eq!(root.attribute("failures").unwrap().parse::<usize>().unwrap(), failures.len());
}

#[test]
fn checkstyle_parses_and_lists_every_finding_under_its_file() {
    let out = check("checkstyle");
    let doc = roxmltree::Document::parse(&out.stdout).unwrap();
    let findings = json_findings();
    let errors: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .map(|e| {
            (
                e.parent().unwrap().attribute("name").unwrap().to_string(),
                e.attribute("line").unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> =
        findings.iter().map(|f| (f["path"].as_str().unwrap().to_string(), f["line"].to_string())).collect();
    let mut a = errors.clone();
    let mut b = expected.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn github_annotations_one_per_finding() {
    let out = check("github");
    let findings = json_findings();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (l, f) in lines.iter().zip(&findings) {
        let command = match f["severity"].as_str().unwrap() {
            "error" => "::error ",
            "warning" => "::warning ",
            _ => "::notice ",
        };
        assert!(l.starts_with(command), "{l}");
        assert!(l.contains(&format!(",line={},", f["line"])), "{l}");
        assert!(!l.contains('\n'));
    }
}

#[test]
fn gitlab_code_quality_has_unique_fingerprints() {
    let out = check("gitlab");
    let issues: Vec<serde_json::Value> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(issues.len(), json_findings().len());
    let fps: HashSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fps.len(), issues.len(), "fingerprints must be unique");
    for i in &issues {
        assert!(["info", "minor", "major", "critical", "blocker"].contains(&i["severity"].as_str().unwrap()));
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn concise_and_json_lines_one_line_per_finding() {
    let findings = json_findings();
    let concise = check("concise");
    let re = regex::Regex::new(r"^[^:]+:\d+:\d+: [A-Z]\d{3} \[[A-Z]+-\d+\] \S").unwrap();
    let lines: Vec<&str> = concise.stdout.lines().collect();
    assert_eq!(lines.len(), findings.len());
    assert!(lines.iter().all(|l| re.is_match(l)), "{}", concise.stdout);
    let jl = check("json-lines");
    let objects: Vec<serde_json::Value> =
        jl.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(objects, findings);
}

#[test]
fn several_formats_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out/report.sarif");
    let junit = dir.path().join("report.xml");
    let mut args = ALL_BAD.to_vec();
    let s = format!("sarif={}", sarif.display());
    let j = format!("junit={}", junit.display());
    args.extend(["--format", "concise", "--format", &s, "--format", &j]);
    let out = run(&args);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout.lines().count(), json_findings().len(), "concise on stdout");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    roxmltree::Document::parse(&std::fs::read_to_string(&junit).unwrap()).unwrap();

    let mut two = ALL_BAD.to_vec();
    two.extend(["--format", "json", "--format", "human"]);
    let out = run(&two);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("only one --format"), "{}", out.stderr);
    let out = run(&["check", "--format", "yaml", "fixtures/reference"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("unknown format `yaml`"), "{}", out.stderr);
}

#[test]
fn a_clean_run_is_a_valid_empty_report_in_every_format() {
    for format in ["concise", "json-lines", "github"] {
        let out = run(&["check", "fixtures/reference", "--format", format]);
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{format}");
    }
    let out = run(&["check", "fixtures/reference", "--format", "junit"]);
    let doc = roxmltree::Document::parse(&out.stdout).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("failure")).count(), 0);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("testcase")).count(), 8, "one per clean file");
    let out = run(&["check", "fixtures/reference", "--format", "gitlab"]);
    assert_eq!(out.stdout.trim(), "[]");
}

#[test]
fn statistics_count_findings_per_rule() {
    let out = check("human");
    let stats = run(&[ALL_BAD, &["--statistics"]].concat());
    assert_eq!(stats.code, out.code);
    let mut total = 0;
    let mut codes = Vec::new();
    for line in stats.stdout.lines() {
        let mut cols = line.split_whitespace();
        total += cols.next().unwrap().parse::<usize>().unwrap();
        codes.push(cols.next().unwrap().to_string());
    }
    let findings = json_findings();
    assert_eq!(total, findings.len());
    let distinct: BTreeSet<&str> = findings.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), distinct.len());
}

#[test]
fn rules_and_requirements_as_json() {
    let rules: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["rules", "--format", "json"]).stdout).unwrap();
    assert_eq!(rules.len(), rule_count());
    assert!(rules.iter().all(|r| r["url"].as_str().unwrap().contains(r["code"].as_str().unwrap())));

    let reqs: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["requirements", "--format", "json"]).stdout).unwrap();
    let text = run(&["requirements"]).stdout;
    for r in &reqs {
        let id = r["id"].as_str().unwrap();
        let line = text.lines().find(|l| l.split_whitespace().next() == Some(id)).unwrap();
        if r["machine_checkable"] == false {
            assert!(line.contains("process: not machine-checkable"), "{line}");
        } else {
            // Every machine-checkable requirement is checked by something.
            let rules = r["rules"].as_array().unwrap();
            assert!(!rules.is_empty() || r["checked_by"].is_string(), "{id} is checked by nothing");
            for code in rules {
                assert!(line.contains(code.as_str().unwrap()), "{line}");
            }
        }
    }
    assert!(reqs.iter().any(|r| r["id"] == "SVC-8" && r["rules"] == serde_json::json!(["U001"])));
    // The design calls these process; the harness observes them on a running container.
    for (id, codes) in [
        ("RUN-2", serde_json::json!(["T018", "T019", "T020", "T021"])),
        ("LOG-2", serde_json::json!(["T023"])),
    ] {
        let r = reqs.iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(r["rules"], codes, "{id}");
        assert_eq!(r["machine_checkable"], true, "{id}");
    }
}
