#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The command line as a user and a CI script see it: exit codes, configuration, hostile input,
//! the JSON contract, colour.

mod support;

use std::path::Path;

use support::{codes, partial_rules, repo_root, run, run_in, PARTIAL};

const GOOD_UNIT: &str = "fixtures/rules/U001/good/admiral.service";

fn good_unit() -> String {
    std::fs::read_to_string(repo_root().join(GOOD_UNIT)).unwrap()
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap()
}

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(run(&["check", "fixtures/reference"]).code, 0);
    assert_eq!(run(&["check", "--config", PARTIAL, "fixtures/rules/U001/bad"]).code, 1);
    // SHOULD findings are warnings: they fail the run only when asked.
    assert_eq!(run(&["check", "--config", PARTIAL, "fixtures/rules/U005/bad"]).code, 0);
    assert_eq!(
        run(&["check", "--config", PARTIAL, "--fail-on", "warning", "fixtures/rules/U005/bad"]).code,
        1
    );
    // MAY findings are infos.
    assert_eq!(
        run(&["check", "--config", PARTIAL, "--fail-on", "warning", "fixtures/rules/U004/bad"]).code,
        0
    );
    assert_eq!(run(&["check", "--config", PARTIAL, "--fail-on", "info", "fixtures/rules/U004/bad"]).code, 1);
    // A lone unit is not a whole component: without the partial configuration the rules about
    // what a component must have (an upgrade container, an integration document…) speak too.
    let whole = codes(&run(&["check", "--format", "json", "fixtures/rules/U004/good"]).stdout);
    for code in ["C007", "D001", "P001"] {
        assert!(whole.contains(&code.to_string()), "{code} missing from {whole:?}");
    }
}

#[test]
fn usage_problems_exit_2() {
    let out = run(&["check", "no/such/dir"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no/such/dir"), "{}", out.stderr);
    assert_eq!(run(&["check", "--format", "yaml", "."]).code, 2);
    assert_eq!(run(&["bogus"]).code, 2);
    let out = run(&["explain", "Z999"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("vic-lint rules"));
}

#[test]
fn invalid_configuration_is_shown_at_its_span() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("vic-lint.toml"),
        "[appliance]\ntarget = \"vic-appliance.target\"\nportz = [1]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    insta::assert_snapshot!(
        "config_unknown_key",
        out.stderr.replace(&dir.path().display().to_string(), "<tmp>")
    );

    std::fs::write(dir.path().join("vic-lint.toml"), "[rules]\nignore = [\"U999\"]\n").unwrap();
    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`U999` names no rule"), "{}", out.stderr);
}

#[test]
fn configuration_selects_rules_and_severities() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(repo_root().join("fixtures/rules/K014/bad/admiral.service"), d.join("admiral.service"))
        .unwrap();
    std::fs::write(d.join("vic-lint.toml"), partial_rules("")).unwrap();
    assert_eq!(codes(&run_in(d, &["check", "--format", "json"]).stdout), ["K014"]);

    std::fs::write(d.join("vic-lint.toml"), partial_rules("severity = { K014 = \"warning\" }\n")).unwrap();
    let out = run_in(d, &["check", "--format", "json"]);
    assert_eq!(json(&out.stdout)["findings"][0]["severity"], "warning");
    assert_eq!(out.code, 0);

    let without_ver5 = partial_rules("").replace("\"P001\"]", "\"P001\", \"VER-5\"]");
    std::fs::write(d.join("vic-lint.toml"), without_ver5).unwrap();
    assert!(codes(&run_in(d, &["check", "--format", "json"]).stdout).is_empty());

    // An explicit --config wins over discovery.
    let other = d.join("other.toml");
    std::fs::write(&other, "[rules]\nselect = [\"unit\"]\n").unwrap();
    let out = run_in(d, &["check", "--format", "json", "--config", other.to_str().unwrap()]);
    assert!(codes(&out.stdout).is_empty());
}

#[test]
fn declared_components_scope_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("admiral")).unwrap();
    std::fs::create_dir_all(d.join("appliance")).unwrap();
    std::fs::write(d.join("admiral/admiral.service"), good_unit()).unwrap();
    // Not matched by any component: syntax-checked only, so its missing dependencies do not count.
    std::fs::write(d.join("appliance/helper.service"), "[Service]\nExecStart=/usr/bin/helper\n").unwrap();
    let config =
        format!("{}[[component]]\nname = \"admiral\"\npaths = [\"admiral/**\"]\n", partial_rules(""));
    std::fs::write(d.join("vic-lint.toml"), config).unwrap();
    let out = run_in(d, &["check", "--format", "json", "--fail-on", "info"]);
    assert_eq!(codes(&out.stdout), Vec::<String>::new(), "{}", out.stdout);
    assert_eq!(json(&out.stdout)["summary"]["files"], 2);

    // The same unit under another component name breaks FS rules: paths name `admiral`.
    let config = format!("{}[[component]]\nname = \"harbor\"\npaths = [\"admiral/*\"]\n", partial_rules(""));
    std::fs::write(d.join("vic-lint.toml"), config).unwrap();
    let out = run_in(d, &["check", "--format", "json"]);
    let v = json(&out.stdout);
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["rule"] == "K010" && f["component"] == "harbor"), "{}", out.stdout);
    // Its log directory is there, but under /storage/log/admiral: misplaced (K009), not missing.
    assert!(findings.iter().any(|f| f["rule"] == "K009" && f["component"] == "harbor"), "{}", out.stdout);
    assert!(!findings.iter().any(|f| f["rule"] == "K013"), "{}", out.stdout);
}

#[test]
fn hostile_files_are_findings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A unit that breaks SVC-8, to prove rules still run beside the broken files.
    let unit = good_unit().replace("Requires=vic-appliance-ready.target\n", "");
    std::fs::write(d.join("admiral.service"), unit).unwrap();
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(d.join("junk.service"), &junk).unwrap();
    std::fs::write(d.join("latin1.service"), b"[Unit]\nDescription=caf\xe9\n").unwrap();
    let long = format!("[Unit]\nDescription={}\n", "x".repeat(1024 * 1024 + 1));
    std::fs::write(d.join("long.timer"), long).unwrap();
    std::fs::write(d.join("huge.service"), vec![b'#'; 9 * 1024 * 1024]).unwrap();
    let deep = format!("[Service]\nExecStart=/bin/true{}\n", " \\\n  x".repeat(20_000));
    std::fs::write(d.join("deep.service"), deep).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d.join("loop-b.service"), d.join("loop-a.service")).unwrap();
        std::os::unix::fs::symlink(d.join("loop-a.service"), d.join("loop-b.service")).unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::os::unix::fs::symlink(d, d.join("sub/up")).unwrap();
    }
    let out = run_in(d, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out.stdout);
    let by_file = |name: &str| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == name)
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(by_file("junk.service"), ["E001"]);
    assert_eq!(by_file("latin1.service"), ["E001"]);
    assert_eq!(by_file("long.timer"), ["E002"]);
    assert_eq!(by_file("huge.service"), ["E001"]);
    assert!(by_file("admiral.service").contains(&"U001".to_string()));
    #[cfg(unix)]
    {
        assert_eq!(by_file("loop-a.service"), ["E001"]);
        assert_eq!(by_file("loop-b.service"), ["E001"]);
    }
    let latin1 = v["findings"].as_array().unwrap().iter().find(|f| f["path"] == "latin1.service").unwrap();
    assert_eq!((latin1["line"].as_u64(), latin1["column"].as_u64()), (Some(2), Some(16)));
    // The human renderer copes with the same files.
    let human = run_in(d, &["check"]);
    assert_eq!(human.code, 1);
    assert!(human.stdout.contains("not valid UTF-8"));
}

#[test]
fn json_follows_the_finding_contract() {
    let out = run(&["check", "--config", PARTIAL, "--format", "json", "fixtures/rules/U001/bad-dropin"]);
    let v = json(&out.stdout);
    assert_eq!(v["version"], 1);
    let f = &v["findings"][0];
    for key in [
        "rule",
        "name",
        "requirement",
        "level",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "component",
        "help",
        "fingerprint",
    ] {
        assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
    }
    assert_eq!(f["rule"], "U001");
    assert_eq!(f["requirement"], "SVC-8");
    assert_eq!(f["level"], "MUST");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["component"], "admiral");
    // The finding sits on the drop-in's reset, with the cleared value as related location.
    assert_eq!(f["path"], "fixtures/rules/U001/bad-dropin/admiral.service.d/20-override.conf");
    assert_eq!(f["related"][0]["path"], "fixtures/rules/U001/bad-dropin/admiral.service");
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn fingerprints_survive_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let bad = std::fs::read_to_string(repo_root().join("fixtures/rules/K015/bad/admiral.service")).unwrap();
    std::fs::write(d.join("admiral.service"), &bad).unwrap();
    let before = json(&run_in(d, &["check", "--format", "json"]).stdout);
    std::fs::write(d.join("admiral.service"), format!("# moved\n\n\n{bad}")).unwrap();
    let after = json(&run_in(d, &["check", "--format", "json"]).stdout);
    let (b, a) = (&before["findings"][0], &after["findings"][0]);
    assert_eq!(b["line"].as_u64().unwrap() + 3, a["line"].as_u64().unwrap());
    assert_eq!(b["fingerprint"], a["fingerprint"]);
    assert_eq!(b["fingerprint"].as_str().unwrap().len(), 16);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = run(&["check", "--config", PARTIAL, "fixtures/rules/U001/bad"]);
    assert!(!plain.stdout.contains('\u{1b}'), "escape codes in non-TTY output");
    assert!(plain.stdout.contains("https://"), "the rule's page is printed as text");
    let coloured = run(&["check", "--config", PARTIAL, "--color", "always", "fixtures/rules/U001/bad"]);
    assert!(coloured.stdout.contains('\u{1b}'));
    assert!(plain.stdout.ends_with("2 errors, 0 warnings in 1 file\n"), "{}", plain.stdout);
}

#[test]
fn rules_and_explain() {
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    for code in ["E001", "U001", "U009", "K001", "K015"] {
        assert!(out.stdout.contains(code), "{code} missing from `vic-lint rules`");
    }
    assert!(out.stdout.contains("missing-ready-dependency") && out.stdout.contains("SVC-8"));
    let all = run(&["rules", "--all"]);
    assert!(all.stdout.contains("CI-4"), "process requirements are listed with --all");
    assert!(!out.stdout.contains("CI-4"));

    let by_code = run(&["explain", "U001"]);
    let by_name = run(&["explain", "missing-ready-dependency"]);
    assert_eq!(by_code.code, 0);
    assert_eq!(by_code.stdout, by_name.stdout);
    for part in ["# U001 missing-ready-dependency", "SVC-8", "## Rationale", "## Bad", "## Good"] {
        assert!(by_code.stdout.contains(part), "explain lacks {part}");
    }
}

#[test]
fn the_readme_names_every_rule() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let out = run(&["rules"]);
    for line in out.stdout.lines().skip(1) {
        let code = line.split_whitespace().next().unwrap();
        assert!(readme.contains(&format!("`{code}`")), "README's rule index lacks {code}");
    }
    assert!(Path::new(&repo_root().join(".ci/run")).is_file());
}

#[test]
fn inferred_component_takes_the_folder_name_and_says_when_it_merges_units() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("harbor");
    std::fs::create_dir(&d).unwrap();
    let unit = good_unit().replace("admiral", "harbor");
    std::fs::write(d.join("harbor.service"), &unit).unwrap();
    std::fs::write(d.join("aaa.service"), unit.replace("harbor.service", "aaa.service")).unwrap();
    std::fs::write(d.join("vic-lint.toml"), partial_rules("")).unwrap();
    let out = run_in(&d, &["check", "--format", "json"]);
    let v = json(&out.stdout);
    let components: Vec<&str> =
        v["findings"].as_array().unwrap().iter().filter_map(|f| f["component"].as_str()).collect();
    assert!(components.iter().all(|c| *c == "harbor"), "{components:?}");
    assert!(out.stderr.contains("checked as one component, `harbor`"), "{}", out.stderr);
    // One name, one component: one line says what was inferred.
    std::fs::remove_file(d.join("aaa.service")).unwrap();
    let out = run_in(&d, &["check"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        out.stderr.trim(),
        "note: no [[component]] in vic-lint.toml: inferred 1 component from the layout: `harbor`; \
         `vic-lint components` shows why each file went where"
    );
}

#[test]
fn hostile_yaml_is_a_finding_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let write = |name: &str, text: &[u8]| std::fs::write(d.join(name), text).unwrap();
    // Billion laughs: ten levels of ten aliases each.
    let mut bomb =
        String::from("version: \"3.3\"\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("x{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("services:\n  web:\n    image: example/web:v1.0.0\n    labels: *a9\n");
    write("docker-compose.bomb.yml", bomb.as_bytes());
    let deep = format!("version: \"3.3\"\nservices: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    write("docker-compose.deep.yml", deep.as_bytes());
    // Compact block sequences: every `- ` opens one more level.
    write("docker-compose.block.yml", format!("services:\n{}x\n", "- ".repeat(100_000)).as_bytes());
    let mut big = String::from("version: \"3.3\"\nservices:\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str("  s: {image: example/web:v1.0.0}\n");
    }
    write("docker-compose.big.yml", big.as_bytes());
    write(
        "docker-compose.dup.yml",
        b"version: \"3.3\"\nservices:\n  web:\n    image: a:v1\n    image: b:v2\n",
    );
    write("docker-compose.tabs.yml", b"version: \"3.3\"\nservices:\n\tweb:\n\t\timage: a:v1\n");
    let junk: Vec<u8> = (0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    write("docker-compose.junk.yml", &junk);
    write("docker-compose.latin1.yml", b"version: \"3.3\"\nservices:\n  caf\xe9: {image: a:v1}\n");
    // A readable file beside them still gets every rule.
    write(
        "docker-compose.yml",
        b"version: \"3.3\"\nservices:\n  web:\n    image: example/web:v1.0.0\n    privileged: true\n",
    );

    let out = run_in(d, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let v = json(&out.stdout);
    let by_file = |name: &str| -> Vec<String> {
        let mut codes: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == name)
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        codes.dedup();
        codes
    };
    assert!(
        by_file("docker-compose.bomb.yml").contains(&"E003".to_string()),
        "{:?}",
        by_file("docker-compose.bomb.yml")
    );
    assert!(by_file("docker-compose.deep.yml").contains(&"E003".to_string()));
    assert!(by_file("docker-compose.block.yml").contains(&"E003".to_string()));
    assert_eq!(by_file("docker-compose.big.yml"), ["E001"]);
    assert!(by_file("docker-compose.dup.yml").contains(&"E004".to_string()));
    assert!(by_file("docker-compose.tabs.yml").contains(&"E003".to_string()));
    assert_eq!(by_file("docker-compose.junk.yml"), ["E001"]);
    assert_eq!(by_file("docker-compose.latin1.yml"), ["E001"]);
    assert!(by_file("docker-compose.yml").contains(&"K001".to_string()));
    let human = run_in(d, &["check"]);
    assert_eq!(human.code, 1);
}

#[test]
fn compose_files_a_unit_passes_together_are_one_application() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("harbor");
    std::fs::create_dir(&d).unwrap();
    let files = "-f /etc/vmware/harbor/docker-compose.yml -f /etc/vmware/harbor/docker-compose.override.yml";
    let unit = format!(
        "[Unit]\nDescription=Harbor\nRequires=vic-appliance-ready.target\nAfter=vic-appliance-ready.target\n\n\
         [Service]\nExecStart=/usr/bin/docker-compose {files} up\nExecStop=/usr/bin/docker-compose {files} down\n\n\
         [Install]\nWantedBy=vic-appliance.target\n"
    );
    std::fs::write(d.join("harbor.service"), unit).unwrap();
    // The base file has no log limits and the override adds them: together they comply.
    std::fs::write(
        d.join("docker-compose.yml"),
        "version: \"3.3\"\nservices:\n  ui:\n    image: vmware/harbor-ui:v1.4.0\n    cap_drop: [ALL]\n    \
         user: \"10000:10000\"\n    volumes:\n      - ${DATA_DIR}:/data\n      - ${LOG_DIR}:/var/log/harbor\n",
    )
    .unwrap();
    std::fs::write(
        d.join("docker-compose.override.yml"),
        "version: \"3.3\"\nservices:\n  ui:\n    privileged: true\n    logging:\n      options:\n        \
         max-size: 10m\n        max-file: \"5\"\n",
    )
    .unwrap();
    std::fs::write(d.join(".env"), "DATA_DIR=/storage/data/harbor\nLOG_DIR=/storage/log/harbor\n").unwrap();
    std::fs::write(d.join("vic-lint.toml"), partial_rules("")).unwrap();
    let out = run_in(&d, &["check", "--format", "json"]);
    let v = json(&out.stdout);
    let found: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["path"].as_str().unwrap().to_string()))
        .collect();
    // Merged: the override's privilege is reported where it is written, and the base file's
    // missing log limits are not, because the override sets them.
    assert!(found.contains(&("K001".into(), "docker-compose.override.yml".into())), "{found:?}");
    assert!(!found.iter().any(|(r, _)| r == "K012"), "{found:?}");

    // Without the unit naming both files, each is an application of its own.
    std::fs::remove_file(d.join("harbor.service")).unwrap();
    let out = run_in(&d, &["check", "--format", "json"]);
    assert!(codes(&out.stdout).contains(&"K012".to_string()), "{}", out.stdout);
}

#[test]
fn reference_with_its_own_manifest_is_clean() {
    // From inside the component, its vic-lint.toml (with [upgrade] and [runtime]) applies.
    let out = run_in(&repo_root().join("fixtures/reference"), &["check"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("0 errors, 0 warnings in 8 files"), "{}", out.stdout);
}

/// A folder holding a copy of the K001 bad unit at `units/` and at `legacy/`, and `vic-lint.toml`.
fn two_privileged_units(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(repo_root().join("fixtures/rules/K001/bad/admiral.service")).unwrap();
    for sub in ["units", "legacy"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("admiral.service"), &unit).unwrap();
    }
    std::fs::write(dir.path().join("vic-lint.toml"), config).unwrap();
    dir
}

fn paths_and_codes(out: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(out).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap().to_string(), f["rule"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn extend_select_and_per_path_ignores() {
    let dir = two_privileged_units(
        "[rules]\nselect = [\"U001\"]\nextend-select = [\"privileged-container\"]\n\
         per-path-ignores = { \"legacy/**\" = [\"K001\"] }\n",
    );
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    let found = paths_and_codes(&out.stdout);
    assert_eq!(found, vec![("units/admiral.service".to_string(), "K001".to_string())], "{}", out.stdout);
    // --isolated forgets all of it: every rule, everywhere.
    let out = run_in(dir.path(), &["check", "--isolated", "--format", "json"]);
    let found = paths_and_codes(&out.stdout);
    assert!(found.contains(&("legacy/admiral.service".to_string(), "K001".to_string())));
    assert!(found.iter().any(|(_, c)| c != "K001" && c != "U001"), "{found:?}");
}

#[test]
fn per_path_ignores_are_checked_like_the_rest() {
    let dir = two_privileged_units("[rules]\nper-path-ignores = { \"legacy/**\" = [\"K999\"] }\n");
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`K999` names no rule"), "{}", out.stderr);
    assert!(out.stderr.contains("vic-lint.toml:2:"), "{}", out.stderr);
    let dir = two_privileged_units("[rules]\nper-path-ignores = { \"legacy/[\" = [\"K001\"] }\n");
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("invalid glob"), "{}", out.stderr);
}

#[test]
fn config_show_prints_the_effective_configuration() {
    let dir = two_privileged_units("[rules]\nignore = [\"U\"]\nseverity = { K001 = \"error\" }\n");
    let out = run_in(dir.path(), &["config", "--show"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let body: String = out.stdout.lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join("\n");
    let shown: toml::Table = toml::from_str(&body).unwrap();
    assert_eq!(shown["rules"]["select"], toml::Value::Array(vec!["ALL".into()]));
    assert_eq!(shown["rules"]["severity"]["K001"], toml::Value::from("error"));
    assert_eq!(shown["appliance"]["target"], toml::Value::from("vic-appliance.target"));
    let listed = run(&["rules"]).stdout;
    let total = listed.lines().skip(1).count();
    // Rules of the design's MAY requirements are off unless `select` names them.
    let on = listed.lines().skip(1).filter(|l| !l.starts_with('U') && !l.contains("(off by default")).count();
    assert!(on < total - 1, "{listed}");
    assert!(out.stdout.contains(&format!("# {on} of {total} rules enabled")), "{}", out.stdout);
    let out = run_in(dir.path(), &["config", "--show", "--isolated"]);
    assert!(out.stdout.contains("--isolated") && !out.stdout.contains("K001"), "{}", out.stdout);
}

fn codes_in(dir: &Path) -> Vec<String> {
    support::codes(&run_in(dir, &["check", "--format", "json"]).stdout)
}

#[test]
fn suppressions_in_yaml_markdown_and_whole_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("")).unwrap();
    let compose =
        "version: \"3.3\"\nservices:\n  ui:\n    image: vmware/admiral:v1.5.0\n    privileged: true\n";
    std::fs::write(dir.path().join("docker-compose.yml"), compose).unwrap();
    let before = codes_in(dir.path());
    assert!(before.contains(&"K001".to_string()), "{before:?}");

    // At the end of the line, in YAML.
    let trailing =
        compose.replace("privileged: true", "privileged: true  # vic-lint: ignore[K001] USB token");
    std::fs::write(dir.path().join("docker-compose.yml"), &trailing).unwrap();
    let after = codes_in(dir.path());
    assert!(!after.contains(&"K001".to_string()) && !after.contains(&"S002".to_string()), "{after:?}");

    // For the whole file, by name, at the top.
    let whole = format!("# vic-lint: ignore-file[privileged-container] USB token\n{compose}");
    std::fs::write(dir.path().join("docker-compose.yml"), &whole).unwrap();
    assert_eq!(codes_in(dir.path()), before.iter().filter(|c| *c != "K001").cloned().collect::<Vec<_>>());

    // Not at the top: it does not work, and says so.
    let late = format!("{compose}# vic-lint: ignore-file[K001] USB token\n");
    std::fs::write(dir.path().join("docker-compose.yml"), &late).unwrap();
    let codes = codes_in(dir.path());
    assert!(codes.contains(&"K001".to_string()) && codes.contains(&"S001".to_string()), "{codes:?}");
}

#[test]
fn must_rules_are_silenced_inline_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(repo_root().join("fixtures/rules/U001/bad/admiral.service")).unwrap();
    let suppressed = format!("# vic-lint: ignore-file[U001] started by the appliance's own unit\n{unit}");
    std::fs::write(dir.path().join("admiral.service"), &suppressed).unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("")).unwrap();
    let codes = codes_in(dir.path());
    assert!(codes.contains(&"U001".to_string()) && codes.contains(&"S001".to_string()), "{codes:?}");
    let config = format!("{}\n[suppressions]\ninline-must = true\n", partial_rules(""));
    std::fs::write(dir.path().join("vic-lint.toml"), config).unwrap();
    let codes = codes_in(dir.path());
    assert!(!codes.contains(&"U001".to_string()) && !codes.contains(&"S001".to_string()), "{codes:?}");
}

#[test]
fn a_unit_has_no_end_of_line_comments() {
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(repo_root().join("fixtures/rules/U005/bad/admiral.service")).unwrap();
    let trailing = unit.replace(
        "ExecStart=/etc/vmware/admiral/start.sh",
        "ExecStart=/etc/vmware/admiral/start.sh # vic-lint: ignore[U005] wrapper",
    );
    std::fs::write(dir.path().join("admiral.service"), trailing).unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("")).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    let codes = support::codes(&out.stdout);
    assert!(codes.contains(&"U005".to_string()) && codes.contains(&"S001".to_string()), "{codes:?}");
    assert!(out.stdout.contains("systemd has no end-of-line comments"), "{}", out.stdout);
}

#[test]
fn an_unused_suppression_comes_with_a_fix_that_removes_it() {
    let out = run(&["check", "--config", PARTIAL, "--format", "json", "fixtures/rules/S002/bad"]);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "S002");
    let edit = &f["fix"]["edits"][0];
    assert_eq!(f["fix"]["safe"], true);
    assert_eq!(edit["replacement"], "");
    // The edit spans the whole comment line, newline included.
    assert_eq!((edit["line"].as_u64(), edit["column"].as_u64()), (Some(13), Some(1)));
    assert_eq!((edit["end_line"].as_u64(), edit["end_column"].as_u64()), (Some(14), Some(1)));
}

/// A copy of fixtures/baseline, where the tests may edit the unit.
fn baseline_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["admiral.service", "vic-lint.toml", "current.json", "stale.json"] {
        std::fs::copy(repo_root().join("fixtures/baseline").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

#[test]
fn a_baseline_hides_known_findings_even_after_lines_move() {
    let dir = baseline_fixture();
    let unit_path = dir.path().join("admiral.service");
    let unit = std::fs::read_to_string(&unit_path).unwrap();
    // Blank lines and a comment on top, and ExecStart= moved above Type=.
    let exec = unit.lines().find(|l| l.starts_with("ExecStart=")).unwrap().to_string();
    let moved =
        unit.replace(&format!("{exec}\n"), "").replace("Type=simple", &format!("{exec}\n\nType=simple"));
    std::fs::write(&unit_path, format!("\n\n# moved around\n{moved}")).unwrap();
    let out = run_in(dir.path(), &["check", "--baseline", "current.json", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["summary"]["baselined"], 1);

    // A new finding is not in the baseline: it is reported.
    let systemctl = std::fs::read_to_string(&unit_path)
        .unwrap()
        .replace("Type=simple", "Type=simple\nExecStartPost=/usr/bin/systemctl start harbor.service");
    std::fs::write(&unit_path, systemctl).unwrap();
    let out = run_in(dir.path(), &["check", "--baseline", "current.json", "--format", "json"]);
    assert_eq!(support::codes(&out.stdout), ["U006"]);
}

#[test]
fn stale_baseline_entries_are_reported_where_they_stand() {
    let dir = baseline_fixture();
    let out = run_in(dir.path(), &["check", "--baseline", "stale.json", "--color", "never"]);
    assert_eq!(out.code, 0, "SHOULD: a warning");
    insta::assert_snapshot!("baseline_stale_human", out.stdout);
    // Rewriting the baseline drops the stale entry.
    let out = run_in(dir.path(), &["check", "--write-baseline", "stale.json"]);
    assert_eq!(out.code, 0);
    let out = run_in(dir.path(), &["check", "--baseline", "stale.json", "--format", "json"]);
    assert_eq!(support::codes(&out.stdout), Vec::<String>::new());
}

#[test]
fn a_broken_baseline_stops_the_run() {
    let dir = baseline_fixture();
    std::fs::write(dir.path().join("bad.json"), "{\"version\": 1, \"findings\": [{}]}").unwrap();
    let out = run_in(dir.path(), &["check", "--baseline", "bad.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a vic-lint baseline"), "{}", out.stderr);
    let out = run_in(dir.path(), &["check", "--baseline", "missing.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot read baseline"), "{}", out.stderr);
}

/// A copy of one rule fixture's file in a folder with the partial configuration.
fn fixture_copy(fixture: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = repo_root().join(fixture);
    let path = dir.path().join(src.file_name().unwrap());
    std::fs::copy(&src, &path).unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("")).unwrap();
    (dir, path)
}

#[test]
fn fixes_apply_keep_comments_and_are_idempotent() {
    let (dir, unit) = fixture_copy("fixtures/rules/U001/bad/admiral.service");
    let with_comment = format!("# keep me\n{}", std::fs::read_to_string(&unit).unwrap());
    std::fs::write(&unit, &with_comment).unwrap();

    // U001's fix is unsafe: plain --fix leaves it, and says so.
    let out = run_in(dir.path(), &["check", "--fix"]);
    assert_eq!(std::fs::read_to_string(&unit).unwrap(), with_comment);
    assert!(out.stderr.contains("2 unsafe fix(es) not applied"), "{}", out.stderr);

    let out = run_in(dir.path(), &["check", "--fix", "--unsafe-fixes", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(support::codes(&out.stdout).is_empty(), "{}", out.stdout);
    let fixed = std::fs::read_to_string(&unit).unwrap();
    assert!(fixed.starts_with("# keep me\n[Unit]\n"), "{fixed}");
    assert!(
        fixed.contains("\nRequires=vic-appliance-ready.target\n")
            && fixed.contains("\nAfter=vic-appliance-ready.target\n")
    );
    // Everything else is as it was, in the same order.
    let kept: Vec<&str> = fixed.lines().filter(|l| !l.contains("vic-appliance-ready")).collect();
    assert_eq!(kept, with_comment.lines().collect::<Vec<_>>());
    run_in(dir.path(), &["check", "--fix", "--unsafe-fixes"]);
    assert_eq!(std::fs::read_to_string(&unit).unwrap(), fixed, "a second --fix changes nothing");
}

#[test]
fn the_install_section_is_completed_or_added_by_the_fix() {
    let (dir, unit) = fixture_copy("fixtures/rules/U002/bad/admiral.service");
    let before = std::fs::read_to_string(&unit).unwrap();
    let diff = run_in(dir.path(), &["check", "--diff"]);
    assert_eq!(diff.code, 1);
    assert!(diff.stdout.starts_with("--- a/admiral.service\n+++ b/admiral.service\n"), "{}", diff.stdout);
    assert!(diff.stdout.contains("+WantedBy=multi-user.target vic-appliance.target"), "{}", diff.stdout);
    assert_eq!(std::fs::read_to_string(&unit).unwrap(), before, "--diff writes nothing");
    let out = run_in(dir.path(), &["check", "--fix", "--format", "json"]);
    assert!(!support::codes(&out.stdout).contains(&"U002".to_string()), "{}", out.stdout);
    assert_eq!(run_in(dir.path(), &["check", "--diff"]).code, 0, "nothing left to fix");

    // Without [Install] at all, the section is added at the end.
    let cut = before.split("[Install]").next().unwrap().trim_end().to_string();
    std::fs::write(&unit, &cut).unwrap();
    run_in(dir.path(), &["check", "--fix"]);
    assert_eq!(
        std::fs::read_to_string(&unit).unwrap(),
        format!("{cut}\n\n[Install]\nWantedBy=vic-appliance.target\n")
    );
}

#[test]
fn the_fix_removes_an_unused_suppression() {
    let (dir, unit) = fixture_copy("fixtures/rules/S002/bad/admiral.service");
    run_in(dir.path(), &["check", "--fix"]);
    let text = std::fs::read_to_string(&unit).unwrap();
    assert!(!text.contains("vic-lint:"), "{text}");
    assert_eq!(
        text,
        std::fs::read_to_string(repo_root().join("fixtures/rules/U005/good/admiral.service")).unwrap()
    );
}

#[test]
fn certificate_mounts_become_read_only() {
    for fixture in
        ["fixtures/rules/K008/bad/admiral.service", "fixtures/rules/K008/bad-compose/docker-compose.yml"]
    {
        let (dir, file) = fixture_copy(fixture);
        if fixture.ends_with(".yml") {
            std::fs::copy(repo_root().join("fixtures/rules/K008/bad-compose/.env"), dir.path().join(".env"))
                .ok();
        }
        let out = run_in(dir.path(), &["check", "--fix", "--format", "json"]);
        assert!(!support::codes(&out.stdout).contains(&"K008".to_string()), "{fixture}: {}", out.stdout);
        let fixed = std::fs::read_to_string(&file).unwrap();
        assert!(fixed.contains("certs:ro") || fixed.contains("certs:/certs:ro"), "{fixed}");
        run_in(dir.path(), &["check", "--fix"]);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), fixed, "idempotent");
    }
    // A quoted item keeps its quotes around the whole volume.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("")).unwrap();
    let compose = "version: \"3.3\"\nservices:\n  ui:\n    image: vmware/harbor-ui:v1.5.0\n    volumes:\n      - \"/storage/data/certs:/etc/ui/certs\"\n";
    std::fs::write(dir.path().join("docker-compose.yml"), compose).unwrap();
    run_in(dir.path(), &["check", "--fix"]);
    let fixed = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    assert!(fixed.contains("- \"/storage/data/certs:/etc/ui/certs:ro\"\n"), "{fixed}");
}

#[test]
fn docker_run_gets_the_missing_log_limits() {
    let (dir, unit) = fixture_copy("fixtures/rules/K012/bad/admiral.service");
    let out = run_in(dir.path(), &["check", "--fix", "--format", "json"]);
    assert!(!support::codes(&out.stdout).contains(&"K012".to_string()), "{}", out.stdout);
    let fixed = std::fs::read_to_string(&unit).unwrap();
    assert!(fixed.contains("docker run --log-opt max-file=5 --rm"), "{fixed}");
    // Only what was missing: max-size was there already.
    assert_eq!(fixed.matches("max-size").count(), 1);
}

#[test]
fn a_compose_service_gets_a_logging_block_indented_like_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("select = [\"K012\"]")).unwrap();
    // Four-space indentation, a comment line, and a second service that already has limits.
    let compose = "version: \"3.3\"\nservices:\n    ui:\n        # the portal\n        image: vmware/harbor-ui:v1.5.0\n    db:\n        image: vmware/harbor-db:v1.5.0\n        logging:\n            options:\n                max-size: \"10m\"\n                max-file: \"5\"\n";
    std::fs::write(dir.path().join("docker-compose.yml"), compose).unwrap();
    let out = run_in(dir.path(), &["check", "--fix", "--format", "json"]);
    assert!(support::codes(&out.stdout).is_empty(), "{}", out.stdout);
    let fixed = std::fs::read_to_string(dir.path().join("docker-compose.yml")).unwrap();
    let expected = compose.replace(
        "    ui:\n",
        "    ui:\n        logging:\n            driver: json-file\n            options:\n                max-size: \"10m\"\n                max-file: \"5\"\n",
    );
    assert_eq!(fixed, expected);
}

#[test]
fn version_names_the_build() {
    let out = run(&["--version"]);
    assert_eq!(out.code, 0);
    // `vic-lint 0.1.0 (<git describe>)`, or says it was not built from git.
    let re =
        regex::Regex::new(r"^vic-lint \d+\.\d+\.\d+ \((not built from git|[0-9A-Za-z._-]+)\)\n$").unwrap();
    assert!(re.is_match(&out.stdout), "{:?}", out.stdout);
}

#[test]
fn completions_and_man_pages_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout.contains("vic-lint") && out.stdout.contains("requirements"), "{shell}");
    }
    let out = run(&["man"]);
    assert!(out.stdout.contains(".TH vic-lint 1"), "{}", out.stdout);
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(&["man", "--dir", dir.path().to_str().unwrap()]).code, 0);
    for sub in ["check", "test", "rules", "requirements", "explain", "config", "completions", "man"] {
        let page = std::fs::read_to_string(dir.path().join(format!("vic-lint-{sub}.1"))).unwrap();
        assert!(page.contains(&format!(".TH vic-lint-{sub} 1")), "{sub}");
    }
    // Every subcommand's help has examples.
    for sub in ["check", "test", "rules", "explain", "config", "requirements", "completions", "man"] {
        let out = run(&[sub, "--help"]);
        assert!(out.stdout.contains("Examples:"), "{sub} --help has no examples");
    }
}

#[test]
fn a_drone_card_summarises_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.json");
    let out = support::vic_lint()
        .env("DRONE_CARD_PATH", &card)
        .args(["check", "--config", PARTIAL, "--format", "json", "fixtures/rules"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let card: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&card).unwrap()).unwrap();
    assert!(card["schema"].as_str().unwrap().ends_with("docs/drone-card.json"));
    let data = &card["data"];
    assert_eq!(data["errors"], report["summary"]["errors"]);
    assert_eq!(data["warnings"], report["summary"]["warnings"]);
    assert_eq!(data["status"], "failed");
    let top = data["top"].as_array().unwrap();
    assert_eq!(top.len(), 5);
    assert_eq!(top[0]["rule"], report["findings"][0]["rule"]);
    // The template the card names is in the repository and is valid JSON.
    let template: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("docs/drone-card.json")).unwrap())
            .unwrap();
    assert_eq!(template["type"], "AdaptiveCard");
}

#[test]
fn the_pre_commit_hook_runs_the_whole_check() {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let doc = vic_lint_syntax::yaml::parse(&text, &vic_lint_syntax::yaml::Limits::default());
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert!(text.contains("entry: vic-lint check") && text.contains("pass_filenames: false"));
    let files = regex::Regex::new(r"files: '([^']+)'").unwrap().captures(&text).unwrap()[1].to_string();
    let re = regex::Regex::new(&files).unwrap();
    for path in [
        "units/admiral.service",
        "admiral.service.d/10-x.conf",
        "docker-compose.yml",
        "version",
        ".drone.yml",
        "docs/INTEGRATION.md",
    ] {
        assert!(re.is_match(path), "{path}");
    }
    assert!(!re.is_match("src/main.rs"));
}

#[test]
fn init_refuses_to_overwrite_and_bad_names() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), &["init", "Bad_Name"]).code, 2);
    assert_eq!(run_in(dir.path(), &["init", "vic-appliance-x"]).code, 2);
    assert_eq!(run_in(dir.path(), &["init", "demo", "out"]).code, 0);
    let unit = dir.path().join("out/demo.service");
    std::fs::write(&unit, "edited\n").unwrap();
    let again = run_in(dir.path(), &["init", "demo", "out"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("nothing was written") && again.stderr.contains("--force"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&unit).unwrap(), "edited\n");
    assert_eq!(run_in(dir.path(), &["init", "demo", "out", "--force"]).code, 0);
    assert!(std::fs::read_to_string(&unit).unwrap().starts_with("[Unit]"));
    // The scripts the images run are executable, the Dockerfiles use the base image asked for.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dir.path().join("out/upgrade/upgrade.sh")).unwrap().permissions().mode();
    assert_eq!(mode & 0o111, 0o111);
    let dockerfile = std::fs::read_to_string(dir.path().join("out/upgrade/Dockerfile")).unwrap();
    assert!(dockerfile.contains("FROM busybox:1.36\n"), "{dockerfile}");
}

#[test]
fn appliance_infrastructure_units_get_no_component_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("scripts");
    for sub in ["admiral", "appliance", "units"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    std::fs::write(d.join("admiral/admiral.service"), good_unit()).unwrap();
    // A native helper in the shared folder: no readiness dependency, no WantedBy, a script.
    let helper = "[Unit]\nDescription=Firewall\n\n[Service]\nType=oneshot\nExecStart=/etc/vmware/ova-firewall.sh\n\n[Install]\nWantedBy=multi-user.target\n";
    std::fs::write(d.join("units/ova-firewall.service"), helper).unwrap();
    std::fs::write(d.join("units/toolbox.service"), helper.replace("ova-firewall", "toolbox")).unwrap();
    // Pulled in by the readiness target, though it sits in no shared folder.
    std::fs::create_dir_all(d.join("tls")).unwrap();
    std::fs::write(d.join("tls/appliance-tls.service"), helper.replace("ova-firewall", "tls")).unwrap();
    let ready = "[Unit]\nDescription=Ready\nRequires=appliance-tls.service ova-firewall.service\nAfter=appliance-tls.service\n";
    std::fs::write(d.join("appliance/vic-appliance-ready.target"), ready).unwrap();
    // A unit of the shared folder that runs a container is a component's: it is checked.
    let container =
        "[Unit]\nDescription=UI\n\n[Service]\nExecStart=/usr/bin/docker run --rm vmware/ui:v1.0.0\n";
    std::fs::write(d.join("units/ui.service"), container).unwrap();
    std::fs::write(dir.path().join("vic-lint.toml"), partial_rules("")).unwrap();
    let out = run_in(dir.path(), &["check", "--format", "json"]);
    let v = json(&out.stdout);
    let paths: Vec<&str> =
        v["findings"].as_array().unwrap().iter().filter_map(|f| f["path"].as_str()).collect();
    assert!(
        paths.iter().all(|p| !p.contains("ova-firewall") && !p.contains("toolbox") && !p.contains("tls")),
        "{paths:?}"
    );
    assert!(paths.iter().any(|p| p.ends_with("units/ui.service")), "{paths:?}");
}
