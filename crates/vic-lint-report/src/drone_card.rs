//! A Drone plugin card: when a step runs with `DRONE_CARD_PATH` set, Drone (2.6+) shows the JSON
//! written there in the build view, rendered through the Adaptive Card template that `schema`
//! names (`docs/drone-card.json` in this repository). The data: counts per level and the top
//! findings.

use serde_json::json;

use crate::Input;

/// How many findings the card lists; the full report is in the step's log and artifacts.
const TOP: usize = 5;

pub fn render(input: &Input<'_>, command: &str) -> String {
    let summary = input.summary();
    let top: Vec<serde_json::Value> = input
        .findings
        .iter()
        .take(TOP)
        .map(|f| {
            let (start, _) = input.position(f);
            json!({
                "rule": f.meta.code,
                "requirement": f.meta.requirement,
                "severity": f.severity.as_str(),
                "location": format!("{}:{}", input.path(f.file), start.line),
                "message": crate::concise::one_line(&f.message),
            })
        })
        .collect();
    let status = if summary.errors > 0 {
        "failed"
    } else if summary.warnings > 0 {
        "passed with warnings"
    } else {
        "passed"
    };
    let card = json!({
        "schema": format!("{}/raw/main/docs/drone-card.json", env!("CARGO_PKG_REPOSITORY")),
        "data": {
            "tool": "vic-lint",
            "version": env!("CARGO_PKG_VERSION"),
            "command": command,
            "status": status,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "files": summary.files,
            "baselined": summary.baselined,
            "scenarios": input.scenarios.len(),
            "scenarios_failed": input.scenarios.iter().filter(|s| s.status == "fail").count(),
            "findings": input.findings.len(),
            "top": top,
        },
    });
    let mut s = serde_json::to_string_pretty(&card).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
