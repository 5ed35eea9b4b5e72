//! `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. Every rule is described in
//! `tool.driver.rules` (help URI, default level, requirement); results point at regions with
//! line and column and carry the finding's fingerprint as a partial fingerprint.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use serde::Serialize;
use serde_json::{json, Value};
use vic_lint_core::{Finding, RuleMeta, Severity};
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

// Typed and streamed, not built as a `serde_json::Value`: a tree of maps per result cost 6 GB and
// 13 s on 440,000 findings. Fields are declared in sorted order, as the earlier map wrote them.

#[derive(Serialize)]
struct Region {
    #[serde(rename = "endColumn")]
    end_column: u32,
    #[serde(rename = "endLine")]
    end_line: u32,
    #[serde(rename = "startColumn")]
    start_column: u32,
    #[serde(rename = "startLine")]
    start_line: u32,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
struct PhysicalLocation {
    #[serde(rename = "artifactLocation")]
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
    #[serde(rename = "physicalLocation")]
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "vicLint/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<&'a str>,
    requirement: &'a str,
}

#[derive(Serialize)]
struct SarifResult<'a> {
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    #[serde(rename = "partialFingerprints")]
    partial_fingerprints: Fingerprints,
    properties: Properties<'a>,
    #[serde(rename = "relatedLocations", skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(rename = "ruleId")]
    rule_id: &'a str,
    #[serde(rename = "ruleIndex", skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

fn location<'a>(input: &Input<'_>, file: FileId, span: Span, message: Option<&'a str>) -> Location<'a> {
    let one = vic_lint_syntax::LineCol { line: 1, column: 1 };
    let (start, end) = input.file(file).map_or((one, one), |f| f.span_lines(span));
    Location {
        id: None,
        message: message.map(|text| Text { text }),
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(input.path(file)) },
            region: Region {
                end_column: end.column,
                end_line: end.line,
                start_column: start.column,
                start_line: start.line,
            },
        },
    }
}

/// The results, serialized one at a time as the writer takes them.
struct OneResult<'a, 'i> {
    f: &'a Finding,
    input: &'a Input<'i>,
    rule_index: &'a HashMap<&'static str, usize>,
}

impl Serialize for OneResult<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (f, input) = (self.f, self.input);
        let text = match &f.help {
            Some(help) => Cow::Owned(format!("{}\nhelp: {help}", f.message)),
            None => Cow::Borrowed(f.message.as_str()),
        };
        SarifResult {
            level: level(f.severity),
            locations: [location(input, f.file, f.span, None)],
            message: Text { text: &text },
            partial_fingerprints: Fingerprints { v1: f.fingerprint(input.path(f.file)) },
            properties: Properties { component: f.component.as_deref(), requirement: f.meta.requirement },
            related_locations: f
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| Location { id: Some(i), ..location(input, l.file, l.span, Some(&l.message)) })
                .collect(),
            rule_id: f.meta.code,
            rule_index: self.rule_index.get(f.meta.code).copied(),
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct Driver {
    #[serde(rename = "informationUri")]
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Value>,
    version: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Run {
    #[serde(rename = "columnKind")]
    column_kind: &'static str,
    results: crate::stream::ArraySlot,
    tool: Tool,
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run; 1],
    version: &'static str,
}

pub fn write(input: &Input<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    // The first rule of a code wins, as a linear search from the start would find it.
    let mut rule_index = HashMap::new();
    for (i, r) in input.rules.iter().enumerate() {
        rule_index.entry(r.code).or_insert(i);
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            results: crate::stream::ArraySlot,
            tool: Tool {
                driver: Driver {
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    name: "vic-lint",
                    rules: input.rules.iter().map(rule).collect(),
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    let rule_index = &rule_index;
    crate::stream::pretty_with_array(&log, input.findings, out, |f, buf| {
        serde_json::to_writer_pretty(buf, &OneResult { f, input, rule_index })
    })?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("units/a b#1.service"), "units/a%20b%231.service");
    }
}
