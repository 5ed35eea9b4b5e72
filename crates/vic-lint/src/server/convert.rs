//! Byte spans to LSP positions, and findings to diagnostics and edits.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    Position, Range, TextEdit, Url, WorkspaceEdit,
};
use vic_lint_core::{Finding, Severity};
use vic_lint_rules::Report;
use vic_lint_syntax::{LineCol, SourceFile, Span};

/// How the client counts columns: UTF-16 code units unless it offered UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

pub fn position(file: &SourceFile, offset: usize, enc: Encoding) -> Position {
    let text = file.text.as_str();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let LineCol { line, .. } = file.line_col(offset as u32);
    let start = file.offset_of(LineCol { line, column: 1 }).min(offset);
    let before = text.get(start..offset).unwrap_or("");
    let character = match enc {
        Encoding::Utf8 => before.len(),
        Encoding::Utf16 if before.is_ascii() => before.len(),
        Encoding::Utf16 => before.encode_utf16().count(),
    };
    Position { line: line.saturating_sub(1), character: u32::try_from(character).unwrap_or(u32::MAX) }
}

pub fn range(file: &SourceFile, span: Span, enc: Encoding) -> Range {
    Range { start: position(file, span.start as usize, enc), end: position(file, span.end as usize, enc) }
}

pub fn uri(path: &Path) -> Option<Url> {
    let abs = std::path::absolute(path).ok()?;
    Url::from_file_path(abs).ok()
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The diagnostic of a finding whose file is `file`: the requirement leads the message, as in
/// `check`, and the labels become related locations.
pub fn diagnostic(report: &Report, file: &SourceFile, f: &Finding, enc: Encoding) -> Diagnostic {
    let mut message = format!("{}: {}", f.meta.requirement, f.message);
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .labels
        .iter()
        .filter_map(|l| {
            let lf = report.file(l.file)?;
            Some(DiagnosticRelatedInformation {
                location: Location { uri: uri(&lf.fs_path)?, range: range(lf, l.span, enc) },
                message: if l.message.is_empty() { "here".into() } else { l.message.clone() },
            })
        })
        .collect();
    Diagnostic {
        range: range(file, f.span, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.meta.code.to_string())),
        code_description: Url::parse(&f.meta.url()).ok().map(|href| CodeDescription { href }),
        source: Some("vic-lint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// A fix's edits, which may touch several files, as one workspace edit.
pub fn fix_edit(report: &Report, f: &Finding, enc: Encoding) -> Option<WorkspaceEdit> {
    let fix = f.fix.as_deref()?;
    let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
    for e in &fix.edits {
        let file = report.file(e.file)?;
        changes
            .entry(uri(&file.fs_path)?)
            .or_default()
            .push(TextEdit { range: range(file, e.span, enc), new_text: e.replacement.clone() });
    }
    Some(WorkspaceEdit { changes: Some(changes), ..WorkspaceEdit::default() })
}

/// A range in the usual LSP sense: touching counts as intersecting, so that a cursor at the end
/// of a finding still offers its actions.
pub fn touches(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use vic_lint_syntax::FileId;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(FileId(0), "f".into(), PathBuf::from("/f"), text.into())
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_utf8_counts_bytes() {
        let f = file("a\n😀é=x\n");
        let at = f.text.find('=').unwrap_or(0);
        assert_eq!(position(&f, at, Encoding::Utf16), Position { line: 1, character: 3 });
        assert_eq!(position(&f, at, Encoding::Utf8), Position { line: 1, character: 6 });
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        let f = file("é\n");
        assert_eq!(position(&f, 1, Encoding::Utf16), Position { line: 0, character: 0 });
        assert_eq!(position(&f, 99, Encoding::Utf16), Position { line: 1, character: 0 });
    }

    #[test]
    fn touching_ranges_intersect_and_disjoint_ones_do_not() {
        let r = |a, b, c, d| Range { start: Position::new(a, b), end: Position::new(c, d) };
        assert!(touches(&r(1, 0, 1, 5), &r(1, 5, 1, 5)));
        assert!(!touches(&r(1, 0, 1, 5), &r(2, 0, 2, 1)));
        assert!(touches(&r(0, 0, 9, 0), &r(3, 2, 3, 4)));
    }
}
