//! `--format junit`: JUnit XML, which Drone's and Jenkins' test reports read. `check`: one
//! testsuite per component, one testcase per rule and file with findings (a failure each), and
//! a passing testcase for every file without findings. `test`: one testcase per scenario.

use std::collections::BTreeMap;

use vic_lint_core::Finding;

use crate::xml::escape;
use crate::{Input, ScenarioLine};

struct Case {
    classname: String,
    name: String,
    file: Option<String>,
    failures: Vec<String>,
    skipped: Option<String>,
    seconds: f64,
}

fn failure_text(input: &Input<'_>, f: &Finding) -> String {
    let (start, _) = input.position(f);
    let mut s = format!(
        "{}:{}:{}: {} [{} {}] {}",
        input.path(f.file),
        start.line,
        start.column,
        f.meta.code,
        f.meta.requirement,
        f.meta.level.family(),
        f.message
    );
    if let Some(help) = &f.help {
        s.push_str(&format!("\nhelp: {help}"));
    }
    s
}

fn check_cases(input: &Input<'_>) -> BTreeMap<String, Vec<Case>> {
    let mut suites: BTreeMap<String, BTreeMap<(String, &str), Vec<&Finding>>> = BTreeMap::new();
    for f in input.findings {
        let component = f.component.as_deref().unwrap_or("(no component)").to_string();
        suites
            .entry(component)
            .or_default()
            .entry((input.path(f.file).to_string(), f.meta.code))
            .or_default()
            .push(f);
    }
    let mut out: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for (component, cases) in suites {
        let list = out.entry(component.clone()).or_default();
        for ((path, _), findings) in cases {
            let Some(first) = findings.first() else { continue };
            list.push(Case {
                classname: format!("{component}.{}", first.meta.kind.as_str()),
                name: format!("{} {} [{}] {path}", first.meta.code, first.meta.name, first.meta.requirement),
                file: Some(path.clone()),
                failures: findings.iter().map(|f| failure_text(input, f)).collect(),
                skipped: None,
                seconds: 0.0,
            });
        }
    }
    let with_findings: std::collections::HashSet<_> = input.findings.iter().map(|f| f.file).collect();
    let clean: Vec<Case> = input
        .files
        .iter()
        .filter(|file| !with_findings.contains(&file.id))
        .map(|file| Case {
            classname: "vic-lint.files".into(),
            name: format!("all rules {}", file.path),
            file: Some(file.path.clone()),
            failures: Vec::new(),
            skipped: None,
            seconds: 0.0,
        })
        .collect();
    if !clean.is_empty() {
        out.entry("files without findings".into()).or_default().extend(clean);
    }
    out
}

/// The findings a scenario line reported: same scenario name, and the same tree when the
/// findings name one (aggregate scenarios such as `exit codes` name the run's tree instead).
fn scenario_findings<'a>(input: &'a Input<'_>, line: &ScenarioLine) -> Vec<&'a Finding> {
    let named: Vec<&Finding> = input
        .findings
        .iter()
        .filter(|f| {
            f.evidence.as_ref().is_some_and(|e| e.scenario.split(" (").next() == Some(line.name.as_str()))
        })
        .collect();
    let on_tree: Vec<&Finding> = named
        .iter()
        .copied()
        .filter(|f| f.evidence.as_ref().and_then(|e| e.tree.as_deref()) == Some(line.subject.as_str()))
        .collect();
    if on_tree.is_empty() {
        named
    } else {
        on_tree
    }
}

fn test_cases(input: &Input<'_>) -> BTreeMap<String, Vec<Case>> {
    let component =
        input.findings.iter().find_map(|f| f.component.as_deref()).unwrap_or("vic-lint test").to_string();
    let cases = input
        .scenarios
        .iter()
        .map(|line| Case {
            classname: format!("{component}.{}", line.requirements.replace(", ", "+")),
            name: format!("{} {}", line.name, line.subject),
            file: None,
            failures: if line.status == "fail" {
                let found: Vec<String> =
                    scenario_findings(input, line).into_iter().map(|f| failure_text(input, f)).collect();
                if found.is_empty() {
                    vec![format!("{} failed", line.name)]
                } else {
                    found
                }
            } else {
                Vec::new()
            },
            skipped: (line.status == "skip").then(|| line.reason.clone().unwrap_or_default()),
            seconds: line.duration_ms.map_or(0.0, |ms| ms as f64 / 1000.0),
        })
        .collect();
    BTreeMap::from([(component, cases)])
}

pub fn render(input: &Input<'_>) -> String {
    let suites = if input.scenarios.is_empty() { check_cases(input) } else { test_cases(input) };
    let count = |f: &dyn Fn(&Case) -> bool| suites.values().flatten().filter(|c| f(c)).count();
    let total = count(&|_| true);
    let failed = count(&|c| !c.failures.is_empty());
    let skipped = count(&|c| c.skipped.is_some());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"vic-lint\" tests=\"{total}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\">\n"
    ));
    for (name, cases) in &suites {
        let failed = cases.iter().filter(|c| !c.failures.is_empty()).count();
        let skipped = cases.iter().filter(|c| c.skipped.is_some()).count();
        let time: f64 = cases.iter().map(|c| c.seconds).sum();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\" time=\"{time:.3}\">\n",
            escape(name),
            cases.len()
        ));
        for c in cases {
            let file = c.file.as_ref().map(|f| format!(" file=\"{}\"", escape(f))).unwrap_or_default();
            out.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\"{file} time=\"{:.3}\"",
                escape(&c.classname),
                escape(&c.name),
                c.seconds
            ));
            if c.failures.is_empty() && c.skipped.is_none() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            if let Some(why) = &c.skipped {
                out.push_str(&format!("      <skipped message=\"{}\"/>\n", escape(why)));
            }
            if let Some(first) = c.failures.first() {
                let message = first.lines().next().unwrap_or_default();
                out.push_str(&format!(
                    "      <failure message=\"{}\" type=\"vic-lint\">{}</failure>\n",
                    escape(message),
                    escape(&c.failures.join("\n\n"))
                ));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
