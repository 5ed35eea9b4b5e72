//! `--format json`: the Finding contract of ARCHITECTURE.md, `{"version": 1, ...}`.

use serde::Serialize;
use vic_lint_core::Finding;
use vic_lint_syntax::{FileId, LineCol, Span};

use crate::{Input, Summary};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    scenarios: &'a [crate::ScenarioLine],
}

#[derive(Serialize)]
struct Position<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    name: &'a str,
    requirement: &'a str,
    level: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    position: Position<'a>,
    component: Option<&'a str>,
    help: Option<&'a str>,
    fingerprint: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<Related<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a vic_lint_core::Evidence>,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    #[serde(flatten)]
    position: Position<'a>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    description: &'a str,
    safe: bool,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    position: Position<'a>,
    replacement: &'a str,
}

fn position<'a>(input: &'a Input<'_>, file: FileId, span: Span) -> Position<'a> {
    let one = LineCol { line: 1, column: 1 };
    let (start, end) = input.file(file).map_or((one, one), |f| f.span_lines(span));
    Position {
        path: input.path(file),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

fn finding<'a>(input: &'a Input<'_>, f: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        rule: f.meta.code,
        name: f.meta.name,
        requirement: f.meta.requirement,
        level: f.meta.level.family(),
        severity: f.severity.as_str(),
        message: &f.message,
        position: position(input, f.file, f.span),
        component: f.component.as_deref(),
        help: f.help.as_deref(),
        fingerprint: f.fingerprint(input.path(f.file)),
        related: f
            .labels
            .iter()
            .map(|l| Related { message: &l.message, position: position(input, l.file, l.span) })
            .collect(),
        fix: f.fix.as_ref().map(|x| JsonFix {
            description: &x.description,
            safe: x.safe,
            edits: x
                .edits
                .iter()
                .map(|e| JsonEdit { position: position(input, e.file, e.span), replacement: &e.replacement })
                .collect(),
        }),
        evidence: f.evidence.as_ref(),
    }
}

/// One finding per line, each the object of `--format json`: for streaming and `jq -c`.
pub fn render_lines(input: &Input<'_>) -> String {
    let mut out = String::new();
    for f in input.findings {
        if let Ok(line) = serde_json::to_string(&finding(input, f)) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

pub fn render(input: &Input<'_>) -> String {
    let doc = Document {
        version: 1,
        findings: input.findings.iter().map(|f| finding(input, f)).collect(),
        summary: input.summary(),
        scenarios: input.scenarios,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
