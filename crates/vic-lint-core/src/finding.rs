use vic_lint_syntax::{FileId, Span};

use crate::meta::{RuleMeta, Severity};

/// One violation: the rule, where it is, what to do about it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub meta: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub file: FileId,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Boxed, like `evidence`: most findings have neither, and a finding is copied and kept
    /// by the hundred thousand on hostile input.
    pub fix: Option<Box<Fix>>,
    /// Shared by every finding of the component: one allocation, not one per finding.
    pub component: Option<std::sync::Arc<str>>,
    /// The semantic location (`Unit/Requires`, `Service/ExecStart#0`, a JSON pointer), which
    /// survives edits that only move lines; fingerprints hash it instead of line numbers.
    pub anchor: String,
    /// What a harness scenario observed; static rules leave it empty.
    pub evidence: Option<Box<Evidence>>,
}

/// The facts behind a `vic-lint test` finding: which run, how it ended, what it printed.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Evidence {
    pub scenario: String,
    /// The data tree the run worked on, as written in the manifest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tree: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    /// Changes to a data tree, one line per path (`content storage/data/x`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_tail: Vec<String>,
    /// Where the full logs of the run were written (`--logs-dir`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logs: Option<String>,
    /// Files the scenario looked at, one line each with what it saw (`app.log 4.6 KiB`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The last probe of the component's UI, for the UI scenarios.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbeEvidence>,
}

/// One request to a component's UI and what came back.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ProbeEvidence {
    pub url: String,
    /// Since the container started.
    pub at_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The first characters of the body, as received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_start: Option<String>,
    /// Why there was no answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// HTTPS: which certificate the UI served.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
}

/// A secondary location, possibly in another file (a drop-in, the other unit of a pair).
#[derive(Debug, Clone)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Fix {
    pub description: String,
    /// A safe fix keeps behaviour the author meant; an unsafe one needs a human look.
    pub safe: bool,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone)]
pub struct Edit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

impl Finding {
    pub fn new(meta: &'static RuleMeta, file: FileId, span: Span, message: impl Into<String>) -> Finding {
        Finding {
            meta,
            severity: meta.default_severity(),
            message: message.into(),
            file,
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
            component: None,
            anchor: String::new(),
            evidence: None,
        }
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.help = Some(help.into());
        self
    }

    pub fn label(&mut self, file: FileId, span: Span, message: impl Into<String>) -> &mut Finding {
        self.labels.push(Label { file, span, message: message.into() });
        self
    }

    pub fn anchor(&mut self, anchor: impl Into<String>) -> &mut Finding {
        self.anchor = anchor.into();
        self
    }

    pub fn fix(&mut self, fix: Fix) -> &mut Finding {
        self.fix = Some(Box::new(fix));
        self
    }

    /// Stable across edits that move lines: rule, path and semantic location only.
    pub fn fingerprint(&self, path: &str) -> String {
        let mut h = Fnv::default();
        for part in [self.meta.code, path, &self.anchor] {
            h.write(part.as_bytes());
            h.write(&[0]);
        }
        format!("{:016x}", h.0)
    }
}

/// FNV-1a: tiny, stable across releases and platforms, which a baseline key must be.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
