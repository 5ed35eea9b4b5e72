//! `--fix`, `--unsafe-fixes` and `--diff`: apply the edits findings carry. One pass applies
//! edits that do not touch each other (two edits at one place would interleave; the second waits
//! for the next pass, which sees the file as the first left it); passes repeat until nothing is
//! left to fix, so a second `--fix` changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use vic_lint_core::{Edit, Finding};
use vic_lint_rules::engine::Report;
use vic_lint_syntax::SourceFile;

use crate::udiff::Changed;

/// More passes than this means two fixes undo each other: stop rather than loop.
pub const MAX_PASSES: usize = 10;

pub struct Pass {
    /// Path → what this pass changes in that file.
    pub changes: BTreeMap<String, Change>,
    pub applied: usize,
    /// Fixes left out because they are unsafe and `--unsafe-fixes` was not given.
    pub unsafe_skipped: usize,
}

pub struct Change {
    pub fs_path: std::path::PathBuf,
    pub old: String,
    pub new: String,
    /// Where each applied edit sits in `old` and `new`, in order: what `diff` shows.
    pub edits: Vec<Changed>,
}

/// The edits a pass has taken in one file, kept so that a new edit finds what it would meet by
/// lookup, not by a scan of all of them.
#[derive(Default)]
struct Taken<'a> {
    edits: Vec<&'a Edit>,
    /// Every start taken; two edits may not start at one place.
    starts: BTreeSet<u32>,
    /// Start → end of the edits that replace something. They do not overlap one another, so
    /// the one that starts last before a range ends is the only one that can overlap it.
    spans: BTreeMap<u32, u32>,
}

impl Taken<'_> {
    fn meets(&self, e: &Edit) -> bool {
        let (s, end) = (e.span.start, e.span.end);
        self.starts.contains(&s)
            || (s < end && self.spans.range(..end).next_back().is_some_and(|(_, t_end)| *t_end > s))
    }
}

/// The edits of one pass, chosen and applied in memory.
pub fn pass(files: &[SourceFile], findings: &[Finding], unsafe_ok: bool) -> Pass {
    let mut per_file: BTreeMap<u32, Taken<'_>> = BTreeMap::new();
    let mut applied = 0;
    let mut unsafe_skipped = 0;
    for f in findings {
        let Some(fix) = &f.fix else { continue };
        if !fix.safe && !unsafe_ok {
            unsafe_skipped += 1;
            continue;
        }
        // A fix is all or nothing: take it only if none of its edits meets one already taken.
        if fix.edits.iter().any(|e| per_file.get(&e.file.0).is_some_and(|t| t.meets(e))) {
            continue;
        }
        for e in &fix.edits {
            let taken = per_file.entry(e.file.0).or_default();
            taken.edits.push(e);
            taken.starts.insert(e.span.start);
            if e.span.start < e.span.end {
                taken.spans.insert(e.span.start, e.span.end);
            }
        }
        applied += 1;
    }
    let mut changes = BTreeMap::new();
    for (id, taken) in per_file {
        let Some(file) = files.get(id as usize) else { continue };
        let mut edits = taken.edits;
        edits.sort_by_key(|e| e.span.start);
        let mut out = String::with_capacity(file.text.len());
        let mut at = 0usize;
        let mut shown = Vec::with_capacity(edits.len());
        for e in edits {
            let (start, end) = (e.span.start as usize, e.span.end as usize);
            let (Some(before), true) = (file.text.get(at..start), end <= file.text.len()) else { continue };
            out.push_str(before);
            let new_start = out.len();
            out.push_str(&e.replacement);
            shown.push(Changed { old: (start, end), new: (new_start, out.len()) });
            at = end;
        }
        out.push_str(file.text.get(at..).unwrap_or_default());
        if out != file.text {
            let change =
                Change { fs_path: file.fs_path.clone(), old: file.text.clone(), new: out, edits: shown };
            changes.insert(file.path.clone(), change);
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
        for (path, change) in &pass.changes {
            if let Err(e) = std::fs::write(&change.fs_path, &change.new) {
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
pub fn diff(path: &str, change: &Change) -> String {
    crate::udiff::unified(path, &change.old, &change.new, &change.edits)
}
