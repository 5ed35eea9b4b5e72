//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Every rule is described in
//! `tool.driver.rules` (help URI, default level, requirement); results point at regions with
//! line and column and carry the finding's fingerprint as a partial fingerprint.

use serde_json::{json, Value};
use vic_lint_core::{RuleMeta, Severity};
use vic_lint_syntax::{FileId, Span};

use crate::Input;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative path as a URI reference: everything outside the unreserved set (and `/`) is
/// percent-encoded, so spaces and `#` survive.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule(m: &RuleMeta) -> Value {
    json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": { "text": m.summary },
        "helpUri": m.url(),
        "help": { "text": m.summary, "markdown": m.docs },
        "defaultConfiguration": { "level": level(m.default_severity()) },
        "properties": {
            "requirement": m.requirement,
            "requirementLevel": m.level.as_str(),
            "kind": m.kind.as_str(),
            "tags": [m.requirement, m.kind.as_str()],
        },
    })
}

fn location(input: &Input<'_>, file: FileId, span: Span, message: Option<&str>) -> Value {
    let one = vic_lint_syntax::LineCol { line: 1, column: 1 };
    let (start, end) = input.file(file).map_or((one, one), |f| f.span_lines(span));
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(input.path(file)) },
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            },
        },
    });
    if let (Some(text), Some(obj)) = (message, loc.as_object_mut()) {
        obj.insert("message".into(), json!({ "text": text }));
    }
    loc
}

pub fn render(input: &Input<'_>) -> String {
    let rules: Vec<Value> = input.rules.iter().map(rule).collect();
    let results: Vec<Value> = input
        .findings
        .iter()
        .map(|f| {
            let mut text = f.message.clone();
            if let Some(help) = &f.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": f.meta.code,
                "level": level(f.severity),
                "message": { "text": text },
                "locations": [location(input, f.file, f.span, None)],
                "partialFingerprints": { "vicLint/v1": f.fingerprint(input.path(f.file)) },
                "properties": { "requirement": f.meta.requirement },
            });
            let obj = result.as_object_mut();
            if let Some(obj) = obj {
                if let Some(i) = input.rules.iter().position(|r| r.code == f.meta.code) {
                    obj.insert("ruleIndex".into(), json!(i));
                }
                if !f.labels.is_empty() {
                    let related: Vec<Value> = f
                        .labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            let mut v = location(input, l.file, l.span, Some(&l.message));
                            if let Some(o) = v.as_object_mut() {
                                o.insert("id".into(), json!(i));
                            }
                            v
                        })
                        .collect();
                    obj.insert("relatedLocations".into(), json!(related));
                }
                if let Some(component) = f.component.as_deref() {
                    obj.insert(
                        "properties".into(),
                        json!({ "requirement": f.meta.requirement, "component": component }),
                    );
                }
            }
            result
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "vic-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("units/a b#1.service"), "units/a%20b%231.service");
    }
}
