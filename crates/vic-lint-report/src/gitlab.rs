//! `--format gitlab`: GitLab Code Quality JSON, an array of issues with unique fingerprints.

use std::collections::HashMap;

use serde_json::json;
use vic_lint_core::Severity;

use crate::concise::one_line;
use crate::Input;

pub fn render(input: &Input<'_>) -> String {
    // GitLab drops an issue whose fingerprint it has seen; two findings at one semantic place
    // (two volumes of a service written the same way) must stay two issues.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<serde_json::Value> = input
        .findings
        .iter()
        .map(|f| {
            let path = input.path(f.file);
            let base = f.fingerprint(path);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let fingerprint = if *n == 1 { base } else { format!("{base}-{n}") };
            let (start, end) = input.position(f);
            json!({
                "description": format!("{} [{}] {}", f.meta.code, f.meta.requirement, one_line(&f.message)),
                "check_name": f.meta.code,
                "fingerprint": fingerprint,
                "severity": match f.severity {
                    Severity::Error => "critical",
                    Severity::Warning => "major",
                    Severity::Info => "minor",
                },
                "location": {
                    "path": path,
                    "lines": { "begin": start.line, "end": end.line },
                },
                "categories": ["Compliance"],
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}
