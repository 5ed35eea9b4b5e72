//! Inline suppressions: `# vic-lint: ignore[CODE] reason` on the line of a finding or the line
//! before, and `# vic-lint: ignore-file[CODE] reason` in the comments at the top of a file
//! (`;` comments in units, `<!-- … -->` in Markdown). A reason is required; MUST rules are not
//! silenced inline unless `[suppressions] inline-must = true`; a suppression that silences
//! nothing is reported, with a fix that removes it.

use std::collections::HashMap;

use rayon::prelude::*;

use vic_lint_core::discover::FileKind;
use vic_lint_core::{Edit, Finding, Fix, RuleMeta};
use vic_lint_syntax::{FileId, SourceFile, Span};

use crate::registry;

const MARKER: &str = "vic-lint:";

/// How a file kind writes comments.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// systemd: `#` or `;` first on a line; nothing at the end of a line is a comment.
    Unit,
    /// YAML and the version file: `#` first on a line or after whitespace.
    Hash,
    /// Markdown: `<!-- … -->`.
    Html,
}

fn style(kind: Option<FileKind>) -> Option<Style> {
    match kind? {
        FileKind::Unit | FileKind::DropIn => Some(Style::Unit),
        FileKind::Compose | FileKind::MaybeCompose | FileKind::Drone | FileKind::VersionFile => {
            Some(Style::Hash)
        }
        FileKind::Markdown => Some(Style::Html),
        FileKind::Certificate | FileKind::UpgradeImage => None,
    }
}

/// The line that silences `code` in a file of this kind, without its indentation or line end:
/// what an editor inserts just above a finding. None where the kind has no comments.
pub fn directive_line(kind: Option<FileKind>, code: &str, reason: &str) -> Option<String> {
    Some(match style(kind)? {
        Style::Unit | Style::Hash => format!("# {MARKER} ignore[{code}] {reason}"),
        Style::Html => format!("<!-- {MARKER} ignore[{code}] {reason} -->"),
    })
}

struct Directive {
    file: FileId,
    /// 1-based line of the comment.
    line: u32,
    /// Alone on its line, so it speaks for the next line.
    own_line: bool,
    file_level: bool,
    /// The rules it names, resolved; unknown names are reported, not kept.
    rules: Vec<&'static RuleMeta>,
    /// The comment, for findings about it.
    span: Span,
    /// What a fix deletes to remove it: the whole line, or the comment and the blanks before it.
    removal: Span,
    used: Vec<bool>,
}

fn problem(code: &str, file: FileId, span: Span, message: String, help: &str) -> Option<Finding> {
    let meta = registry::meta(code)?;
    let mut f = Finding::new(meta, file, span, message);
    f.help(help).anchor(format!("suppression@{}", span.start));
    Some(f)
}

/// Finds the directives of one file, and reports the malformed ones.
fn parse(file: &SourceFile, style: Style, out: &mut Vec<Finding>) -> Vec<Directive> {
    let mut directives = Vec::new();
    let mut at_top = true;
    let mut offset = 0usize;
    for (i, raw) in file.text.split_inclusive('\n').enumerate() {
        let line_no = i as u32 + 1;
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let comment_at = match style {
            Style::Unit => {
                (trimmed.starts_with('#') || trimmed.starts_with(';')).then(|| line.len() - trimmed.len())
            }
            Style::Hash => line
                .match_indices('#')
                .map(|(p, _)| p)
                .find(|&p| p == 0 || line[..p].ends_with(char::is_whitespace)),
            Style::Html => line.find("<!--"),
        };
        let is_comment_line = comment_at.is_some_and(|p| line[..p].trim().is_empty());
        let markdown_title = style == Style::Html && trimmed.starts_with('#');
        if !(is_comment_line || trimmed.is_empty() || markdown_title) {
            // The top of a file is its leading comments (and, in Markdown, its title).
            at_top = false;
        }
        // A marker after something that is not a comment is either a unit's value or text.
        let Some(marker) = line.find(MARKER) else { continue };
        let Some(comment) = comment_at.filter(|p| *p < marker) else {
            if style == Style::Unit && line[..marker].trim_end().ends_with(['#', ';']) {
                out.extend(problem(
                    "S001",
                    file.id,
                    Span::new(start + marker, start + line.len()),
                    "systemd has no end-of-line comments: this is part of the value, not a suppression"
                        .into(),
                    "put `# vic-lint: ignore[CODE] reason` on its own line, just above",
                ));
            }
            continue;
        };
        let span = Span::new(start + comment, start + line.len());
        let body = line[marker + MARKER.len()..].trim();
        let body = body.strip_suffix("-->").map_or(body, str::trim_end);
        let (file_level, rest) = if let Some(r) = body.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = body.strip_prefix("ignore") {
            (false, r)
        } else {
            out.extend(problem(
                "S001",
                file.id,
                span,
                format!("`{body}` is not a vic-lint directive"),
                "write `vic-lint: ignore[CODE] reason` or `vic-lint: ignore-file[CODE] reason`",
            ));
            continue;
        };
        let Some((names, reason)) = rest.trim_start().strip_prefix('[').and_then(|r| r.split_once(']'))
        else {
            out.extend(problem(
                "S001",
                file.id,
                span,
                "the rules to silence are missing: `ignore[CODE]`".into(),
                "name the rule codes in brackets, e.g. `vic-lint: ignore[U005] started by a wrapper on purpose`",
            ));
            continue;
        };
        if reason.trim().is_empty() {
            out.extend(problem(
                "S001",
                file.id,
                span,
                "a suppression needs a reason".into(),
                "say why the rule does not apply here, after the brackets",
            ));
            continue;
        }
        if file_level && !at_top {
            out.extend(problem(
                "S001",
                file.id,
                span,
                "`ignore-file` only counts in the comments at the top of the file".into(),
                "move it above the first line that is not a comment",
            ));
            continue;
        }
        let mut rules = Vec::new();
        for name in names.split([',', ' ']).map(str::trim).filter(|n| !n.is_empty()) {
            match registry::lookup(name) {
                Some(m) => rules.push(m),
                None => out.extend(problem(
                    "S001",
                    file.id,
                    span,
                    format!("`{name}` names no rule"),
                    "use a code or name from `vic-lint rules`",
                )),
            }
        }
        if rules.is_empty() {
            continue;
        }
        let removal = if is_comment_line {
            Span::new(start, offset)
        } else {
            let before = line[..comment].trim_end().len();
            Span::new(start + before, start + line.len())
        };
        let used = vec![false; rules.len()];
        directives.push(Directive {
            file: file.id,
            line: line_no,
            own_line: is_comment_line,
            file_level,
            rules,
            span,
            removal,
            used,
        });
    }
    directives
}

/// Applies the directives of every file to `findings`, and adds the findings about directives.
pub fn apply(
    files: &[SourceFile],
    kinds: &[Option<FileKind>],
    findings: Vec<Finding>,
    inline_must: bool,
) -> Vec<Finding> {
    // Most files hold no directive; looking for the marker in each is the cost, so in parallel.
    let parsed: Vec<(Vec<Finding>, Vec<Directive>)> = files
        .par_iter()
        .zip(kinds)
        .filter_map(|(file, kind)| {
            let style = style(*kind).filter(|_| file.text.contains(MARKER))?;
            let mut problems = Vec::new();
            let directives = parse(file, style, &mut problems);
            Some((problems, directives))
        })
        .collect();
    let mut out = Vec::new();
    let mut directives: Vec<Directive> = Vec::new();
    for (problems, found) in parsed {
        out.extend(problems);
        directives.extend(found);
    }
    // MUST rules stay loud unless the configuration allows otherwise; the attempt is reported.
    for d in &mut directives {
        let (must, rest): (Vec<&'static RuleMeta>, Vec<&'static RuleMeta>) =
            d.rules.iter().partition(|m| m.level.family() == "MUST" && !inline_must);
        for m in must {
            out.extend(problem(
                "S001",
                d.file,
                d.span,
                format!("{} is a MUST rule ({}): it cannot be silenced inline", m.code, m.requirement),
                "fix the finding, record it in a baseline, or allow it with `[suppressions] inline-must = true`",
            ));
        }
        d.used = vec![false; rest.len()];
        d.rules = rest;
    }
    // Where each directive speaks, by file, line and code, so that a finding finds its directive
    // by lookup. The first directive (and the first of its names) wins, in file order.
    let mut by_line: HashMap<(FileId, u32, &str), (usize, usize)> = HashMap::new();
    let mut by_file: HashMap<(FileId, &str), (usize, usize)> = HashMap::new();
    for (di, d) in directives.iter().enumerate() {
        for (ri, m) in d.rules.iter().enumerate() {
            if d.file_level {
                by_file.entry((d.file, m.code)).or_insert((di, ri));
            }
            by_line.entry((d.file, d.line, m.code)).or_insert((di, ri));
            if d.own_line {
                by_line.entry((d.file, d.line + 1, m.code)).or_insert((di, ri));
            }
        }
    }
    for f in findings {
        if directives.is_empty() {
            out.push(f);
            continue;
        }
        let line = files.get(f.file.0 as usize).map_or(0, |file| file.line_col(f.span.start).line);
        let here = by_line.get(&(f.file, line, f.meta.code));
        let anywhere = by_file.get(&(f.file, f.meta.code));
        let hit = match (here, anywhere) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        match hit.and_then(|&(di, ri)| directives.get_mut(di)?.used.get_mut(ri)) {
            Some(u) => *u = true,
            None => out.push(f),
        }
    }
    for d in &directives {
        let unused: Vec<&str> =
            d.rules.iter().zip(&d.used).filter(|(_, used)| !**used).map(|(m, _)| m.code).collect();
        if unused.is_empty() || d.rules.is_empty() {
            continue;
        }
        let Some(mut f) = problem(
            "S002",
            d.file,
            d.span,
            format!("this suppression of {} silences nothing", unused.join(", ")),
            "remove it: the finding it was for is gone",
        ) else {
            continue;
        };
        if unused.len() == d.rules.len() {
            f.fix(Fix {
                description: "remove the unused suppression".into(),
                safe: true,
                edits: vec![Edit { file: d.file, span: d.removal, replacement: String::new() }],
            });
        }
        out.push(f);
    }
    out
}
