//! Renderers for findings. Each takes the files (for paths, positions and snippets) and the
//! findings, already filtered and sorted.

pub mod checkstyle;
pub mod concise;
pub mod drone_card;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
mod stream;
mod xml;

use vic_lint_core::{Finding, RuleMeta, Severity};
use vic_lint_syntax::{FileId, LineCol, SourceFile};

/// One scenario of `vic-lint test`, as the renderers show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScenarioLine {
    pub name: String,
    pub requirements: String,
    pub subject: String,
    /// `pass`, `fail` or `skip`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

/// What every renderer reads.
pub struct Input<'a> {
    pub files: &'a [SourceFile],
    pub findings: &'a [Finding],
    /// Only `vic-lint test` has scenarios.
    pub scenarios: &'a [ScenarioLine],
    /// Every rule vic-lint has, for formats that describe the tool (SARIF).
    pub rules: &'a [RuleMeta],
    /// Findings hidden because `--baseline` lists them.
    pub baselined: usize,
}

/// The output formats, for `check` and `test` alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    JsonLines,
    Sarif,
    Junit,
    Github,
    Gitlab,
    Checkstyle,
}

impl Format {
    pub const ALL: &'static [(&'static str, Format)] = &[
        ("human", Format::Human),
        ("concise", Format::Concise),
        ("json", Format::Json),
        ("json-lines", Format::JsonLines),
        ("sarif", Format::Sarif),
        ("junit", Format::Junit),
        ("github", Format::Github),
        ("gitlab", Format::Gitlab),
        ("checkstyle", Format::Checkstyle),
    ];
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL.iter().find(|(name, _)| *name == s).map(|(_, f)| *f).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|(n, _)| *n).collect();
            format!("unknown format `{s}` (expected one of: {})", names.join(", "))
        })
    }
}

/// Renders `input` in `format`; `style` matters to `human` only.
pub fn render(format: Format, input: &Input<'_>, style: human::Style) -> String {
    match format {
        Format::Human => human::render(input, style),
        Format::Concise => concise::render(input),
        Format::Json | Format::JsonLines | Format::Sarif => {
            let mut out = Vec::new();
            // Writing to a Vec fails only if serialization does, which these types cannot.
            let _ = write(format, input, style, &mut out);
            String::from_utf8_lossy(&out).into_owned()
        }
        Format::Junit => junit::render(input),
        Format::Github => github::render(input),
        Format::Gitlab => gitlab::render(input),
        Format::Checkstyle => checkstyle::render(input),
    }
}

/// Writes `input` in `format` to `out`. The JSON formats stream, finding by finding.
pub fn write(
    format: Format,
    input: &Input<'_>,
    style: human::Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(input, out),
        Format::JsonLines => json::write_lines(input, out),
        Format::Sarif => sarif::write(input, out),
        Format::Human => human::write(input, style, out),
        _ => out.write_all(render(format, input, style).as_bytes()),
    }
}

impl Input<'_> {
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn path(&self, id: FileId) -> &str {
        self.file(id).map_or("", |f| f.path.as_str())
    }

    /// 1-based start and exclusive end positions.
    pub fn position(&self, f: &Finding) -> (LineCol, LineCol) {
        self.file(f.file)
            .map(|file| file.span_lines(f.span))
            .unwrap_or((LineCol { line: 1, column: 1 }, LineCol { line: 1, column: 1 }))
    }

    pub fn summary(&self) -> Summary {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files: self.files.len(),
            baselined: self.baselined,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(f, "{}, {}", plural(self.errors, "error"), plural(self.warnings, "warning"))?;
        if self.infos > 0 {
            write!(f, ", {}", plural(self.infos, "info"))?;
        }
        write!(f, " in {}", plural(self.files, "file"))?;
        if self.baselined > 0 {
            write!(f, " ({} in the baseline, not shown)", self.baselined)?;
        }
        Ok(())
    }
}
