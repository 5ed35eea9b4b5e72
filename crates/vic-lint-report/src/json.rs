//! `--format json`: the Finding contract of ARCHITECTURE.md, `{"version": 1, ...}`.

use std::io::Write;

use serde::Serialize;
use vic_lint_core::Finding;
use vic_lint_syntax::{FileId, LineCol, Span};

use crate::{Input, Summary};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    findings: crate::stream::ArraySlot,
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
        evidence: f.evidence.as_deref(),
    }
}

/// One finding per line, each the object of `--format json`: for streaming and `jq -c`.
pub fn write_lines(input: &Input<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    crate::stream::each(input.findings, b"", out, |f, buf| {
        serde_json::to_writer(&mut *buf, &finding(input, f))?;
        buf.push(b'\n');
        Ok(())
    })
}

pub fn write(input: &Input<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = Document {
        version: 1,
        findings: crate::stream::ArraySlot,
        summary: input.summary(),
        scenarios: input.scenarios,
    };
    crate::stream::pretty_with_array(&doc, input.findings, out, |f, buf| {
        serde_json::to_writer_pretty(buf, &finding(input, f))
    })?;
    out.write_all(b"\n")
}
