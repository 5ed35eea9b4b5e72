//! `--fix`, `--unsafe-fixes` and `--diff`: apply the edits findings carry. One pass applies
//! edits that do not touch each other (two edits at one place would interleave; the second waits
//! for the next pass, which sees the file as the first left it); passes repeat until nothing is
//! left to fix, so a second `--fix` changes nothing.

use std::collections::BTreeMap;

use vic_lint_core::{Edit, Finding};
use vic_lint_rules::engine::Report;
use vic_lint_syntax::SourceFile;

/// More passes than this means two fixes undo each other: stop rather than loop.
pub const MAX_PASSES: usize = 10;

pub struct Pass {
    /// Path → (old text, new text) of every file this pass changes.
    pub changes: BTreeMap<String, (std::path::PathBuf, String, String)>,
    pub applied: usize,
    /// Fixes left out because they are unsafe and `--unsafe-fixes` was not given.
    pub unsafe_skipped: usize,
}

/// The edits of one pass, chosen and applied in memory.
pub fn pass(files: &[SourceFile], findings: &[Finding], unsafe_ok: bool) -> Pass {
    let mut per_file: BTreeMap<u32, Vec<&Edit>> = BTreeMap::new();
    let mut applied = 0;
    let mut unsafe_skipped = 0;
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if !fix.safe && !unsafe_ok {
            unsafe_skipped += 1;
            continue;
        }
        // A fix is all or nothing: take it only if none of its edits meets one already taken.
        let clashes = fix.edits.iter().any(|e| {
            per_file.get(&e.file.0).is_some_and(|taken| {
                taken.iter().any(|t| {
                    t.span.start.max(e.span.start) < t.span.end.min(e.span.end)
                        || t.span.start == e.span.start
                })
            })
        });
        if clashes {
            continue;
        }
        for e in &fix.edits {
            per_file.entry(e.file.0).or_default().push(e);
        }
        applied += 1;
    }
    let mut changes = BTreeMap::new();
    for (id, mut edits) in per_file {
        let Some(file) = files.get(id as usize) else { continue };
        edits.sort_by_key(|e| e.span.start);
        let mut out = String::with_capacity(file.text.len());
        let mut at = 0usize;
        for e in edits {
            let (start, end) = (e.span.start as usize, e.span.end as usize);
            let (Some(before), true) = (file.text.get(at..start), end <= file.text.len()) else { continue };
            out.push_str(before);
            out.push_str(&e.replacement);
            at = end;
        }
        out.push_str(file.text.get(at..).unwrap_or_default());
        if out != file.text {
            changes.insert(file.path.clone(), (file.fs_path.clone(), file.text.clone(), out));
        }
    }
    Pass { changes, applied, unsafe_skipped }
}

/// `--fix`: passes until nothing is left to fix, writing the files after each; returns the
/// report of the last check, which is what the user sees.
pub fn fix_all(
    mut report: Report,
    check: impl Fn() -> Result<Report, u8>,
    unsafe_ok: bool,
) -> Result<Report, u8> {
    let mut fixed = 0;
    for _ in 0..MAX_PASSES {
        let pass = pass(&report.files, &report.findings, unsafe_ok);
        if pass.changes.is_empty() {
            if pass.unsafe_skipped > 0 {
                eprintln!(
                    "note: {} unsafe fix(es) not applied; --unsafe-fixes applies them",
                    pass.unsafe_skipped
                );
            }
            eprintln!("note: {fixed} fix(es) applied");
            return Ok(report);
        }
        for (path, (fs_path, _, new)) in &pass.changes {
            if let Err(e) = std::fs::write(fs_path, new) {
                eprintln!("vic-lint: cannot write {path}: {e}");
                return Err(crate::exit::CANNOT_RUN);
            }
        }
        fixed += pass.applied;
        report = check()?;
    }
    eprintln!("warning: fixes still pending after {MAX_PASSES} passes; two fixes may undo each other");
    eprintln!("note: {fixed} fix(es) applied");
    Ok(report)
}

/// A unified diff of one file, as `git diff` shows it.
pub fn diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
