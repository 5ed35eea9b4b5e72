#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `vic-lint test` on real Docker: the reference component passes every scenario, each broken
//! fixture fails exactly the scenarios it should, and nothing is left behind.
//!
//! The images come from `fixtures/harness/build-images.sh`, which the first test to need them
//! runs (see `support::images`). Without an engine or a static busybox these tests say so and
//! pass on a laptop; with `CI=true` they fail instead.

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{repo_root, run, run_in};

const IMAGES: &[&str] = &[
    "vic-lint-fixture/busybox:1",
    "example/reference-upgrade:v1.2.0",
    "example/reference:v1.2.0",
    "vic-lint-fixture/runtime-crashes:v1.2.0",
    "vic-lint-fixture/runtime-harms-neighbour:v1.2.0",
];

/// True when the engine and the fixture images are there (built on first use). Their absence
/// is a notice on a laptop and a failure in CI.
fn docker_ready() -> bool {
    support::images::ready(IMAGES)
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// The names of the failed scenarios and the codes of the findings.
fn verdict(report: &serde_json::Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let failed = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "fail")
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    let codes = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    (failed, codes)
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Runs a fixture and checks which scenarios fail and which rules speak; returns the report.
fn expect(fixture: &str, failed: &[&str], codes: &[&str], exit: i32) -> serde_json::Value {
    let out = run(&["test", fixture, "--format", "json", "--jobs", "4"]);
    assert_eq!(out.code, exit, "{fixture}: {}\n{}", out.stderr, out.stdout);
    let report = json(&out.stdout);
    let (f, c) = verdict(&report);
    assert_eq!(f, set(failed), "{fixture}: failed scenarios\n{}", out.stdout);
    assert_eq!(c, set(codes), "{fixture}: finding codes\n{}", out.stdout);
    report
}

/// Durations and temporary paths change from run to run, and so does the order of lines
/// written to stdout and to stderr (Docker keeps no order between the two streams); snapshots
/// must not.
fn redact(text: &str) -> String {
    let time = regex::Regex::new(r"(\s)\d+\.\d s\b").unwrap();
    // Each run's network hands out its own addresses.
    let address = regex::Regex::new(r"://\d+\.\d+\.\d+\.\d+:").unwrap();
    let mut out: Vec<String> = Vec::new();
    let mut log_block: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with("    | ") {
            log_block.push(line.to_string());
            continue;
        }
        log_block.sort();
        out.append(&mut log_block);
        if line.starts_with("logs: ") || line.trim_start().starts_with("full logs: ") {
            let indent = &line[..line.len() - line.trim_start().len()];
            let key = line.trim_start().split(": ").next().unwrap();
            out.push(format!("{indent}{key}: [logs]"));
            continue;
        }
        let line = address.replace_all(line, "://[address]:");
        out.push(time.replace_all(&line, "${1}#.# s").into_owned());
    }
    log_block.sort();
    out.append(&mut log_block);
    out.join("\n") + "\n"
}

fn human(fixture: &str) -> String {
    let out = run(&["test", fixture, "--color", "never", "--jobs", "4"]);
    redact(&out.stdout)
}

#[test]
fn reference_component_passes_every_scenario() {
    if !docker_ready() {
        return;
    }
    let report = expect("fixtures/reference", &[], &[], 0);
    let scenarios = report["scenarios"].as_array().unwrap();
    let names: BTreeSet<&str> = scenarios.iter().map(|s| s["name"].as_str().unwrap()).collect();
    for name in [
        "migrate",
        "golden",
        "rerun",
        "no-op",
        "refuse",
        "read-only disk",
        "logs",
        "unattended",
        "exit codes",
        "version",
        "runtime normal",
        "runtime degraded",
        "ui normal",
        "ui degraded",
        "neighbour",
        "log rotation",
    ] {
        assert!(names.contains(name), "{name} did not run: {names:?}");
    }
    assert!(scenarios.iter().all(|s| s["status"] == "pass"), "{report}");
}

#[test]
fn report_order_does_not_depend_on_jobs() {
    if !docker_ready() {
        return;
    }
    let order = |jobs: &str| {
        let out = run(&["test", "fixtures/reference", "--format", "json", "--jobs", jobs]);
        let r = json(&out.stdout);
        r["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| format!("{} {} {}", s["name"], s["subject"], s["status"]))
            .collect::<Vec<_>>()
    };
    assert_eq!(order("1"), order("4"));
}

#[test]
fn appliance_upgrade_writes_the_data_version() {
    if !docker_ready() {
        return;
    }
    let report = expect("fixtures/harness/appliance-upgrade", &[], &[], 0);
    let dv = report["scenarios"].as_array().unwrap().iter().filter(|s| s["name"] == "data version").count();
    assert!(dv > 0, "the data version scenario did not run: {report}");
    expect("fixtures/harness/appliance-upgrade-no-data-version", &["data version"], &["T013"], 1);
}

#[test]
fn broken_upgrade_images_fail_exactly_their_scenarios() {
    if !docker_ready() {
        return;
    }
    expect("fixtures/harness/upgrade-not-idempotent", &["rerun"], &["T003"], 1);
    expect(
        "fixtures/harness/upgrade-exits-zero-on-failure",
        &["refuse", "read-only disk"],
        &["T005", "T007"],
        1,
    );
    expect("fixtures/harness/upgrade-damages-incompatible-data", &["refuse"], &["T006"], 1);
    expect("fixtures/harness/upgrade-prints-nothing", &["logs"], &["T009"], 0);
    expect("fixtures/harness/upgrade-wrong-version", &["version"], &["T012"], 1);
    expect("fixtures/harness/upgrade-undocumented-exit-code", &["exit codes"], &["T011"], 0);
    expect("fixtures/harness/upgrade-skips-data-version-check", &["refuse"], &["T005", "T006", "T008"], 1);
}

#[test]
fn test_reports_in_junit_and_sarif() {
    if !docker_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("test.xml");
    let sarif = dir.path().join("test.sarif");
    let (j, s) = (format!("junit={}", junit.display()), format!("sarif={}", sarif.display()));
    let out = run(&[
        "test",
        "fixtures/harness/upgrade-exits-zero-on-failure",
        "--format",
        "json",
        "--format",
        &j,
        "--format",
        &s,
    ]);
    let report = json(&out.stdout);
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    // One testcase per scenario; the failed ones carry their findings.
    let cases: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), report["scenarios"].as_array().unwrap().len());
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(
        failed.iter().all(|n| n.starts_with("refuse ") || n.starts_with("read-only disk ")),
        "{failed:?}"
    );
    let failure_text: String =
        doc.descendants().filter(|n| n.has_tag_name("failure")).filter_map(|n| n.text()).collect();
    assert!(failure_text.contains("T005") && failure_text.contains("T007"), "{failure_text}");
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        report["findings"].as_array().unwrap().len()
    );
}

#[test]
fn a_run_waiting_for_input_is_killed_and_only_unattended_fails() {
    if !docker_ready() {
        return;
    }
    let report = expect("fixtures/harness/upgrade-waits-for-input", &["unattended"], &["T010"], 1);
    let findings = report["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| f["message"].as_str().unwrap().ends_with("waiting for input")),
        "{report}"
    );
    // What needed the killed runs is inconclusive, not failed.
    let skipped: BTreeSet<&str> = report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "skip")
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["golden", "logs", "migrate", "read-only disk", "rerun"].into_iter().collect());
}

#[test]
fn manifest_mistakes_fail_the_migration_golden_and_noop_scenarios() {
    if !docker_ready() {
        return;
    }
    expect("fixtures/harness/migrate-fails", &["migrate"], &["T001"], 1);
    expect("fixtures/harness/golden-differs", &["golden"], &["T002"], 1);
    expect("fixtures/harness/noop-changes", &["no-op"], &["T004"], 1);
}

#[test]
fn broken_runtime_images_fail_exactly_their_scenarios() {
    if !docker_ready() {
        return;
    }
    expect("fixtures/harness/runtime-logs-errors", &["runtime normal"], &["T014"], 0);
    expect("fixtures/harness/runtime-silent-exit", &["runtime degraded"], &["T015", "T016"], 1);
    expect("fixtures/harness/runtime-crashes", &["runtime degraded"], &["T017"], 1);
    // RUN-2 and LOG-2 are SHOULDs: warnings, exit 0; RUN-4 is a MUST.
    expect("fixtures/harness/runtime-ui-dies", &["ui degraded"], &["T018"], 0);
    expect("fixtures/harness/runtime-ui-stack-trace", &["ui degraded"], &["T019"], 0);
    expect("fixtures/harness/runtime-ui-says-ok", &["ui degraded"], &["T020"], 0);
    expect("fixtures/harness/runtime-ui-always-error", &["ui normal"], &["T021"], 0);
    expect("fixtures/harness/runtime-harms-neighbour", &["neighbour"], &["T022"], 1);
    let report = expect("fixtures/harness/runtime-logs-unrotated", &["log rotation"], &["T023"], 0);
    let files = &report["findings"][0]["evidence"]["files"];
    assert_eq!(files.as_array().map(Vec::len), Some(1), "one file that only grew: {files}");
}

#[test]
fn an_image_built_from_a_folder_is_tested() {
    if !docker_ready() {
        return;
    }
    let report = expect("fixtures/harness/built", &[], &[], 0);
    let version = report["scenarios"].as_array().unwrap().iter().find(|s| s["name"] == "version").unwrap();
    assert!(version["subject"].as_str().unwrap().starts_with("vic-lint-build/"), "{version}");
}

/// The fixture that makes each harness rule fire; the reference passes them all.
const FAILING: &[(&str, &str)] = &[
    ("fixtures/harness/migrate-fails", "T001"),
    ("fixtures/harness/golden-differs", "T002"),
    ("fixtures/harness/upgrade-not-idempotent", "T003"),
    ("fixtures/harness/noop-changes", "T004"),
    ("fixtures/harness/upgrade-exits-zero-on-failure", "T005_T007"),
    ("fixtures/harness/upgrade-damages-incompatible-data", "T006"),
    ("fixtures/harness/upgrade-skips-data-version-check", "T008"),
    ("fixtures/harness/upgrade-prints-nothing", "T009"),
    ("fixtures/harness/upgrade-waits-for-input", "T010"),
    ("fixtures/harness/upgrade-undocumented-exit-code", "T011"),
    ("fixtures/harness/upgrade-wrong-version", "T012"),
    ("fixtures/harness/appliance-upgrade-no-data-version", "T013"),
    ("fixtures/harness/runtime-logs-errors", "T014"),
    ("fixtures/harness/runtime-silent-exit", "T015_T016"),
    ("fixtures/harness/runtime-crashes", "T017"),
    ("fixtures/harness/runtime-ui-dies", "T018"),
    ("fixtures/harness/runtime-ui-stack-trace", "T019"),
    ("fixtures/harness/runtime-ui-says-ok", "T020"),
    ("fixtures/harness/runtime-ui-always-error", "T021"),
    ("fixtures/harness/runtime-harms-neighbour", "T022"),
    ("fixtures/harness/runtime-logs-unrotated", "T023"),
];

#[test]
fn every_harness_rule_has_a_failing_fixture() {
    let listed: BTreeSet<String> =
        FAILING.iter().flat_map(|(_, codes)| codes.split('_')).map(str::to_string).collect();
    let out = run(&["rules"]);
    let rules: BTreeSet<String> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| c.starts_with('T'))
        .map(str::to_string)
        .collect();
    assert_eq!(listed, rules);
}

/// Each harness rule's rendered diagnostic, reviewed.
#[test]
fn rendered_diagnostics() {
    if !docker_ready() {
        return;
    }
    for (fixture, name) in FAILING.iter().chain(&[("fixtures/reference", "reference")]) {
        let text = human(fixture);
        insta::with_settings!({ description => *fixture }, {
            insta::assert_snapshot!(format!("harness_{name}"), text);
        });
    }
}

#[test]
fn findings_point_at_the_manifest_line_and_carry_the_run() {
    if !docker_ready() {
        return;
    }
    let report = expect("fixtures/harness/upgrade-undocumented-exit-code", &["exit codes"], &["T011"], 0);
    let f = &report["findings"][0];
    let manifest = std::fs::read_to_string(repo_root().join(f["path"].as_str().unwrap())).unwrap();
    let line = manifest.lines().nth(f["line"].as_u64().unwrap() as usize - 1).unwrap();
    let tree = f["evidence"]["tree"].as_str().unwrap();
    assert!(line.contains(tree), "line {line:?} does not declare {tree}");
    assert_eq!(f["evidence"]["exit_code"], 9);
    assert!(f["evidence"]["duration_ms"].as_u64().is_some());
    assert!(!f["evidence"]["log_tail"].as_array().unwrap().is_empty());
    let logs = f["evidence"]["logs"].as_str().unwrap();
    let full = std::fs::read_to_string(logs).unwrap();
    assert!(full.contains(f["evidence"]["log_tail"][0].as_str().unwrap()));
}

fn snapshot(path: &Path) -> vic_lint_harness::tree::Snapshot {
    vic_lint_harness::tree::snapshot(path).unwrap()
}

#[test]
fn fixture_trees_on_disk_are_never_modified() {
    if !docker_ready() {
        return;
    }
    let trees = repo_root().join("fixtures/reference/harness");
    let before = snapshot(&trees);
    // The two images that write into incompatible data, and the full reference run.
    expect("fixtures/harness/upgrade-skips-data-version-check", &["refuse"], &["T005", "T006", "T008"], 1);
    expect("fixtures/harness/upgrade-damages-incompatible-data", &["refuse"], &["T006"], 1);
    expect("fixtures/reference", &[], &[], 0);
    assert_eq!(vic_lint_harness::tree::diff(&before, &snapshot(&trees)), vec![]);
}

/// The run id the harness announces on stderr.
fn run_id(stderr: &str) -> String {
    let line = stderr.lines().find(|l| l.starts_with("note: run ")).unwrap_or_else(|| panic!("{stderr}"));
    line.trim_start_matches("note: run ").split(':').next().unwrap().to_string()
}

fn containers_of(run_id: &str) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("label=vic-lint.run={run_id}")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

fn tree_copies(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vic-lint-tree-"))
        .collect()
}

#[test]
fn nothing_is_left_behind_and_keep_keeps_it() {
    if !docker_ready() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let tmp_str = tmp.path().to_str().unwrap();
    let out = support::vic_lint()
        .env("TMPDIR", tmp_str)
        .args(["test", "fixtures/harness/upgrade-not-idempotent", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(containers_of(&run_id(&stderr)).is_empty());
    assert!(tree_copies(tmp.path()).is_empty());

    let out = support::vic_lint()
        .env("TMPDIR", tmp_str)
        .args(["test", "fixtures/harness/upgrade-not-idempotent", "--format", "json", "--keep"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let kept = containers_of(&run_id(&stderr));
    let report = json(&String::from_utf8_lossy(&out.stdout));
    let unattended =
        report["scenarios"].as_array().unwrap().iter().find(|s| s["name"] == "unattended").unwrap();
    let runs = unattended["subject"].as_str().unwrap().split(' ').next().unwrap().parse::<usize>().unwrap();
    assert_eq!(kept.len(), runs, "every run's container is kept: {stderr}");
    assert!(!tree_copies(tmp.path()).is_empty());
    // A kept container shows how every run is confined.
    let inspect = Command::new("docker").args(["inspect"]).args(&kept).output().unwrap();
    let all = json(&String::from_utf8_lossy(&inspect.stdout));
    for c in all.as_array().unwrap() {
        let host = &c["HostConfig"];
        assert_eq!(host["NetworkMode"], "none");
        assert_eq!(host["Privileged"], false);
        assert_eq!(host["Memory"], 512 * 1024 * 1024);
        assert_eq!(host["PidsLimit"], 256);
        assert_eq!(host["CapDrop"], serde_json::json!(["ALL"]));
        assert_eq!(host["SecurityOpt"], serde_json::json!(["no-new-privileges"]));
        assert_eq!(c["Config"]["Tty"], false);
        assert_eq!(c["Config"]["OpenStdin"], false);
        assert_eq!(c["Config"]["Labels"]["vic-lint.harness"], "true");
    }
    Command::new("docker").args(["rm", "-f"]).args(&kept).output().unwrap();
}

#[test]
fn ctrl_c_removes_containers_and_trees() {
    if !docker_ready() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("vic-lint"))
        .current_dir(repo_root())
        .env("TMPDIR", tmp.path())
        .args(["test", "fixtures/harness/upgrade-waits-for-input", "--jobs", "4"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let id = run_id(&first);
    // Let the containers start and hang on their prompt.
    let mut waited = 0;
    while containers_of(&id).len() < 2 && waited < 100 {
        std::thread::sleep(Duration::from_millis(100));
        waited += 1;
    }
    assert!(!containers_of(&id).is_empty(), "no container started");
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
    assert_eq!(status.code(), Some(130), "{rest}");
    assert!(rest.contains("interrupted"), "{rest}");
    assert!(containers_of(&id).is_empty(), "containers left: {:?}", containers_of(&id));
    assert!(tree_copies(tmp.path()).is_empty(), "{:?}", tree_copies(tmp.path()));
}

#[test]
fn no_engine_exits_3_and_names_docker_host() {
    for host in ["unix:///nonexistent/docker.sock", "tcp://127.0.0.1:1"] {
        let out = support::vic_lint()
            .env("DOCKER_HOST", host)
            .args(["test", "fixtures/reference"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(stderr.contains("DOCKER_HOST") && stderr.contains(host), "{stderr}");
    }
}

#[test]
fn a_missing_image_is_never_pulled() {
    if !docker_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("old")).unwrap();
    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[upgrade]\nimage = \"vic-lint-fixture/absent:v0\"\nversion = \"v0\"\nfrom = [\"old\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["test"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("vic-lint-fixture/absent:v0") && out.stderr.contains("never"),
        "{}",
        out.stderr
    );
}

#[test]
fn manifest_mistakes_are_shown_at_their_span_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("old")).unwrap();
    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[upgrade]\nimage = \"example/x:v1\"\nversion = \"v1\"\ntimeout = \"ten seconds\"\n\
         from = [\"old\", \"missing\"]\nbogus = 1\n",
    )
    .unwrap();
    // An unknown key stops the read at once: it is the first thing reported.
    let out = run_in(dir.path(), &["test"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("unknown field `bogus`"), "{}", out.stderr);

    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[upgrade]\nimage = \"example/x:v1\"\nversion = \"v1\"\ntimeout = \"ten seconds\"\n\
         from = [\"old\", \"missing\"]\n[upgrade.exit-codes]\nabc = \"x\"\n\n[runtime]\nimage = \"example/y:v1\"\n\
         error-pattern = \"(\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["test", "--color", "never"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let stderr = out.stderr.replace(dir.path().to_str().unwrap(), "[dir]");
    insta::assert_snapshot!("harness_manifest_errors", stderr);
}

#[test]
fn ui_rotation_and_limit_mistakes_are_shown_at_their_span() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[runtime]\nimage = \"example/y:v1\"\ndata = \"data\"\nmemory = \"1k\"\npids = 0\n\n\
         [runtime.ui]\nport = 70000\nscheme = \"ftp\"\npath = \"status\"\nerror-pattern = \"[\"\n\n\
         [runtime.rotation]\nworkload = []\nlog-dir = \"../etc\"\nmax-size = \"10x\"\nmax-files = 0\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["test", "--color", "never"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    for said in [
        "`memory` must be at least 6m",
        "`pids` must be at least 1",
        "`port` must be a TCP port",
        "`scheme` is `http` or `https`, not `ftp`",
        "`path` must start with `/`",
        "`error-pattern` is not a valid regular expression",
        "`workload` must name a command",
        "`log-dir` names a folder under /storage/log",
        "`max-size`: unknown unit `x`",
        "`max-files` must be at least 1",
    ] {
        assert!(out.stderr.contains(said), "{said}: {}", out.stderr);
    }
    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[runtime]\nimage = \"example/y:v1\"\ndata = \"data\"\n[runtime.ui]\nport = 80\nbogus = 1\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["test", "--color", "never"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("unknown field `bogus`"), "{}", out.stderr);
}

#[test]
fn a_data_version_check_needs_the_system_version_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("old")).unwrap();
    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[upgrade]\nimage = \"example/x:v1\"\nversion = \"v1\"\nfrom = [\"old\"]\nwrites-data-version = true\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["test", "--color", "never"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("old needs etc/vmware/version"), "{}", out.stderr);
    assert!(out.stderr.contains("vic-lint.toml:4:9"), "{}", out.stderr);
}

#[test]
fn rules_configuration_applies_to_scenarios() {
    if !docker_ready() {
        return;
    }
    let tree = repo_root().join("fixtures/reference/harness/upgrade/v1.1.0");
    let manifest = |rules: &str| {
        format!(
            "[upgrade]\nimage = \"vic-lint-fixture/upgrade-prints-nothing:v1.2.0\"\nversion = \"v1.2.0\"\n\
             from = [\"{}\"]\n[upgrade.exit-codes]\n5 = \"The disk is not writable.\"\n{rules}",
            tree.display()
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("vic-lint.toml");
    // T009 is a SHOULD: a warning, exit 0, until configured otherwise.
    std::fs::write(&toml, manifest("[rules]\nseverity = { upgrade-silent = \"error\" }\n")).unwrap();
    let out = run_in(dir.path(), &["test", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(json(&out.stdout)["findings"][0]["severity"], "error");
    std::fs::write(&toml, manifest("[rules]\nignore = [\"UPG-8\"]\n")).unwrap();
    let out = run_in(dir.path(), &["test", "--format", "json"]);
    assert_eq!(out.code, 0);
    assert!(json(&out.stdout)["findings"].as_array().unwrap().is_empty(), "{}", out.stdout);
}

#[test]
fn the_container_image_checks_a_mounted_component() {
    if !docker_ready() {
        return;
    }
    // The static release build takes a few minutes the first time; cargo caches it after.
    let built = Command::new("bash")
        .args(["docker/build-image.sh", "vic-lint:test"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let docker_run = |mount: &str, args: &[&str]| {
        let volume = format!("{}:/src:ro", repo_root().join(mount).display());
        Command::new("docker")
            .args(["run", "--rm", "--network", "none", "-v", &volume, "vic-lint:test"])
            .args(args)
            .output()
            .unwrap()
    };
    let clean = docker_run("fixtures/reference", &["check", "--format", "json"]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stderr));
    let report = json(&String::from_utf8_lossy(&clean.stdout));
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["files"], 8);
    let bad = docker_run("fixtures/rules/U001/bad", &["check", "--isolated", "--format", "json"]);
    assert_eq!(bad.status.code(), Some(1));
    let report = json(&String::from_utf8_lossy(&bad.stdout));
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "U001"), "{report}");
    // No arguments: the image checks its working folder.
    let default = docker_run("fixtures/reference", &[]);
    assert_eq!(default.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&default.stdout).contains("0 errors, 0 warnings in 8 files"));
}

#[test]
fn init_scaffolds_a_component_that_passes_check_and_test() {
    if !docker_ready() {
        return;
    }
    for style in ["--docker-run", "--compose"] {
        let dir = tempfile::tempdir().unwrap();
        let out = run_in(dir.path(), &["init", "demo", style, "--base-image", "vic-lint-fixture/busybox:1"]);
        assert_eq!(out.code, 0, "{style}: {}", out.stderr);
        let component = dir.path().join("demo");
        let check = run_in(&component, &["check", "--format", "json"]);
        assert_eq!(check.code, 0, "{style}: {}", check.stdout);
        let report = json(&check.stdout);
        assert_eq!(
            (report["summary"]["errors"].as_u64(), report["summary"]["warnings"].as_u64()),
            (Some(0), Some(0)),
            "{style}"
        );
        // The guessed answers are reported until the team confirms them, as information only.
        let codes: BTreeSet<&str> =
            report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
        assert_eq!(codes, ["D005"].into_iter().collect(), "{style}");
        let test = run_in(&component, &["test", "--format", "json", "--jobs", "4"]);
        assert_eq!(test.code, 0, "{style}: {}\n{}", test.stdout, test.stderr);
        let report = json(&test.stdout);
        let scenarios = report["scenarios"].as_array().unwrap();
        assert!(
            scenarios.len() >= 18 && scenarios.iter().all(|s| s["status"] == "pass"),
            "{style}: {report}"
        );
        let names: BTreeSet<&str> = scenarios.iter().map(|s| s["name"].as_str().unwrap()).collect();
        for name in ["ui normal", "ui degraded", "neighbour", "log rotation"] {
            assert!(names.contains(name), "{style}: {name} did not run: {names:?}");
        }
    }
}

/// On a terminal the run shows which jobs are running, done and left; piped, it prints only
/// the plain report, as before. `script` (util-linux) gives the run a pseudo-terminal.
#[test]
fn a_terminal_shows_live_progress_and_a_pipe_does_not() {
    if !docker_ready() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_vic-lint");
    let line = format!("{bin} test fixtures/harness/runtime-crashes --color never --jobs 1");
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(repo_root())
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("0 done, 1 running, 1 left: runtime normal"), "{shown}");
    assert!(shown.contains("done runtime normal"), "{shown}");
    assert!(shown.contains("runtime degraded fail"), "{shown}");
    assert!(shown.contains("T017"), "the report follows: {shown}");

    let piped = run(&["test", "fixtures/harness/runtime-crashes", "--color", "never", "--jobs", "1"]);
    assert_eq!(piped.code, 1, "{}", piped.stderr);
    for text in [&piped.stdout, &piped.stderr] {
        assert!(!text.contains("running") && !text.contains('\r'), "no live display off a terminal: {text}");
    }
    assert!(piped.stdout.contains("T017"), "{}", piped.stdout);
}
