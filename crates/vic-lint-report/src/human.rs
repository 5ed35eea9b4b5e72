//! Rich terminal diagnostics through miette: code, requirement and level in the header, the
//! snippet with the exact token labelled, help, and the rule's page.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use vic_lint_core::{Finding, Severity};
use vic_lint_syntax::{FileId, SourceFile, Span};

use crate::Input;

/// How the terminal is: decided once by the CLI (TTY, `NO_COLOR`, width).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Hyperlinks in the header; otherwise the URL is printed in the text.
    pub links: bool,
    pub width: usize,
}

impl Style {
    /// Plain text, fixed width: files, pipes, CI logs and snapshots.
    pub fn plain() -> Style {
        Style { color: false, links: false, width: 100 }
    }
}

/// A file's text with its path, so the snippet header shows `path:line:col`.
struct Named<'a> {
    name: &'a str,
    file: &'a SourceFile,
}

impl SourceCode for Named<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette counts lines from the start of the text it is given: give it the window only.
        let offset = u32::try_from(span.offset()).unwrap_or(u32::MAX);
        let end = u32::try_from(span.offset().saturating_add(span.len())).unwrap_or(u32::MAX);
        let (first_line, window) = self.file.lines_around(Span { start: offset, end }, before, after);
        let Some(text) = self.file.text.get(window.clone()) else {
            return Err(MietteError::OutOfBounds);
        };
        let local = SourceSpan::new(span.offset().saturating_sub(window.start).into(), span.len());
        let inner = text.read_span(&local, before, after)?;
        let found = SourceSpan::new((inner.span().offset() + window.start).into(), inner.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            found,
            inner.line() + first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

struct Diag<'a> {
    header: String,
    message: String,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<Named<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Diag<'a>>,
}

impl fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.header.is_empty()).then(|| Box::new(&self.header) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.url.as_ref().map(|u| Box::new(u) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty())
            .then(|| Box::new(self.labels.iter().cloned()) as Box<dyn Iterator<Item = _>>)
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        (!self.related.is_empty()).then(|| {
            Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)) as Box<dyn Iterator<Item = _>>
        })
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

fn named<'a>(input: &'a Input<'_>, file: FileId) -> Option<Named<'a>> {
    input.file(file).map(|f| Named { name: &f.path, file: f })
}

fn diag<'a>(input: &'a Input<'_>, f: &'a Finding) -> Diag<'a> {
    let m = f.meta;
    let mut labels = vec![LabeledSpan::new_primary_with_span(Some(label_text(f)), source_span(f.span))];
    let mut related = Vec::new();
    for l in &f.labels {
        if l.file == f.file {
            labels.push(LabeledSpan::new_with_span(Some(l.message.clone()), source_span(l.span)));
        } else {
            related.push(Diag {
                header: String::new(),
                message: format!("related: {}", l.message),
                severity: miette::Severity::Advice,
                help: None,
                url: None,
                source: named(input, l.file),
                labels: vec![LabeledSpan::new_primary_with_span(
                    Some(l.message.clone()),
                    source_span(l.span),
                )],
                related: Vec::new(),
            });
        }
    }
    Diag {
        header: format!("{} {} [{} {}]", m.code, m.name, m.requirement, m.level.family()),
        message: f.message.clone(),
        severity: severity(f.severity),
        help: f.help.clone(),
        url: Some(m.url()),
        source: named(input, f.file),
        labels,
        related,
    }
}

/// The primary label names the requirement, so the snippet alone says what is wrong.
fn label_text(f: &Finding) -> String {
    format!("{}: {}", f.meta.requirement, f.meta.summary)
}

fn handler(style: Style) -> GraphicalReportHandler {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    GraphicalReportHandler::new_themed(theme)
        .with_links(style.links)
        .with_width(style.width)
        .with_context_lines(1)
        .with_show_related_as_nested(true)
}

/// Every finding, then the summary line; for `vic-lint test`, the scenario table first.
pub fn render(input: &Input<'_>, style: Style) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(input, style, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// As [`render`], written finding by finding.
pub fn write(input: &Input<'_>, style: Style, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let handler = handler(style);
    out.write_all(scenarios(input.scenarios).as_bytes())?;
    crate::stream::each(input.findings, b"", out, |f, buf| {
        let mut text = String::new();
        let d = diag(input, f);
        if handler.render_report(&mut text, &d).is_err() {
            text.push_str(&format!("{}: {}\n", input.path(f.file), f.message));
        }
        if let Some(e) = &f.evidence {
            evidence(&mut text, e);
        }
        text.push('\n');
        buf.extend_from_slice(text.as_bytes());
        Ok(())
    })?;
    let mut tail = input.summary().to_string();
    tail.push('\n');
    if !input.scenarios.is_empty() {
        let count = |s: &str| input.scenarios.iter().filter(|l| l.status == s).count();
        tail.push_str(&format!(
            "{} scenarios: {} passed, {} failed, {} skipped\n",
            input.scenarios.len(),
            count("pass"),
            count("fail"),
            count("skip")
        ));
    }
    out.write_all(tail.as_bytes())
}

/// One line per scenario, in plan order: status, name, requirements, subject, time or reason.
fn scenarios(lines: &[crate::ScenarioLine]) -> String {
    let mut out = String::new();
    for l in lines {
        let status = match l.status {
            "pass" => "PASS",
            "fail" => "FAIL",
            _ => "SKIP",
        };
        let tail = match (&l.reason, l.duration_ms) {
            (Some(r), _) => format!("  ({r})"),
            (None, Some(ms)) => format!("  {:.1} s", ms as f64 / 1000.0),
            (None, None) => String::new(),
        };
        out.push_str(&format!("{status}  {:<17} {:<21} {}{tail}\n", l.name, l.requirements, l.subject));
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// A harness run's facts, below its diagnostic: plain lines, as miette has no slot for them.
fn evidence(out: &mut String, e: &vic_lint_core::Evidence) {
    let mut head = format!("  scenario {}", e.scenario);
    if let Some(tree) = &e.tree {
        head.push_str(&format!(" on {tree}"));
    }
    if let Some(code) = e.exit_code {
        head.push_str(&format!(": exit code {code}"));
    }
    if let Some(ms) = e.duration_ms {
        head.push_str(&format!(" after {:.1} s", ms as f64 / 1000.0));
    }
    out.push_str(&head);
    out.push('\n');
    if !e.changes.is_empty() {
        out.push_str("  changed:\n");
        for c in &e.changes {
            out.push_str(&format!("    {c}\n"));
        }
    }
    if !e.files.is_empty() {
        out.push_str("  files:\n");
        for f in &e.files {
            out.push_str(&format!("    {f}\n"));
        }
    }
    if let Some(p) = &e.probe {
        let mut line = format!("  probe GET {} at {:.1} s: ", p.url, p.at_ms as f64 / 1000.0);
        match (p.status, &p.error) {
            (Some(status), _) => line.push_str(&format!("status {status}")),
            (None, Some(why)) => line.push_str(&format!("no answer ({why})")),
            (None, None) => line.push_str("no answer"),
        }
        out.push_str(&line);
        out.push('\n');
        if let Some(cert) = &p.certificate {
            out.push_str(&format!("  certificate: {cert}\n"));
        }
        if let Some(body) = &p.body_start {
            out.push_str(&format!("  body: {body}\n"));
        }
    }
    if !e.log_tail.is_empty() {
        out.push_str("  last log lines:\n");
        for l in &e.log_tail {
            out.push_str(&format!("    | {l}\n"));
        }
    }
    if let Some(path) = &e.logs {
        out.push_str(&format!("  full logs: {path}\n"));
    }
}

/// A configuration file vic-lint cannot use, shown at the offending key or value.
pub fn render_config_error(e: &vic_lint_core::config::ConfigError, style: Style) -> String {
    let path = e.path.display().to_string();
    let file = SourceFile::new(FileId(0), path.clone(), e.path.clone(), e.text.clone());
    let d = Diag {
        header: "vic-lint.toml".into(),
        message: format!("invalid configuration: {}", e.message),
        severity: miette::Severity::Error,
        help: Some("see the README for the keys vic-lint.toml accepts".into()),
        url: None,
        source: e.span.map(|_| Named { name: &path, file: &file }),
        labels: e
            .span
            .map(|s| LabeledSpan::new_primary_with_span(Some("here".into()), source_span(s)))
            .into_iter()
            .collect(),
        related: Vec::new(),
    };
    let mut out = String::new();
    if handler(style).render_report(&mut out, &d).is_err() {
        out = format!("{e}\n");
    }
    out
}
