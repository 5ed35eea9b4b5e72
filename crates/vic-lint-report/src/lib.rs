//! Renderers for findings. Each takes the files (for paths, positions and snippets) and the
//! findings, already filtered and sorted.

pub mod human;
pub mod json;

use vic_lint_core::{Finding, Severity};
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(f, "{}, {}", plural(self.errors, "error"), plural(self.warnings, "warning"))?;
        if self.infos > 0 {
            write!(f, ", {}", plural(self.infos, "info"))?;
        }
        write!(f, " in {}", plural(self.files, "file"))
    }
}
