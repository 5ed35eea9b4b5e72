//! The unified diff of a file that fixes changed, as `git diff` shows it.
//!
//! A line diff of the whole file (Myers) costs lines × changes: 20,000 fixes in one file took
//! over a minute. The fixes say where the file changed, so only the lines they touch are diffed,
//! each stretch on its own, and the lines between are known to be equal.

use similar::{Algorithm, ChangeTag, DiffOp};

/// Where one edit sits: its byte range in the old text and in the new one.
#[derive(Clone, Copy, Debug)]
pub struct Changed {
    pub old: (usize, usize),
    pub new: (usize, usize),
}

const CONTEXT: usize = 3;

/// The unified diff of `old` → `new` with 3 lines of context, given the edits (in order, not
/// overlapping) that made `new`.
pub fn unified(path: &str, old: &str, new: &str, edits: &[Changed]) -> String {
    let old_lines = lines(old);
    let new_lines = lines(new);
    let old_starts = starts(&old_lines);
    let new_starts = starts(&new_lines);
    let mut ops = Vec::new();
    // Line ranges [old_a, old_b) of the old text that hold edits, merged where they meet, with
    // the byte range the same lines take in the new text.
    let mut stretches: Vec<(usize, usize, usize, usize)> = Vec::new();
    for e in edits {
        let (oa, ob) = line_span(&old_starts, e.old);
        let from = old_starts.get(oa).copied().unwrap_or(0);
        let to = old_starts.get(ob).copied().unwrap_or(old.len());
        // Before the edit and after it, up to the ends of its lines, the text is unchanged.
        let (na, nb) = ((from + e.new.0).saturating_sub(e.old.0), (to + e.new.1).saturating_sub(e.old.1));
        match stretches.last_mut() {
            Some(last) if oa <= last.1 => {
                last.1 = last.1.max(ob);
                last.3 = nb;
            }
            _ => stretches.push((oa, ob, na, nb)),
        }
    }
    let stretches: Vec<(usize, usize, usize, usize)> = stretches
        .into_iter()
        .map(|(oa, ob, na, nb)| {
            (oa, ob, new_starts.partition_point(|s| *s < na), new_starts.partition_point(|s| *s < nb))
        })
        .collect();
    let (mut o, mut n) = (0usize, 0usize);
    for (oa, ob, na, nb) in stretches {
        if oa > o {
            push(&mut ops, DiffOp::Equal { old_index: o, new_index: n, len: oa - o });
        }
        let (Some(os), Some(ns)) = (old_lines.get(oa..ob), new_lines.get(na..nb)) else { continue };
        for op in similar::capture_diff_slices(Algorithm::Myers, os, ns) {
            push(&mut ops, shift(op, oa, na));
        }
        (o, n) = (ob, nb);
    }
    if old_lines.len() > o {
        push(&mut ops, DiffOp::Equal { old_index: o, new_index: n, len: old_lines.len() - o });
    }
    let mut out = String::new();
    for (i, hunk) in similar::group_diff_ops(ops, CONTEXT).into_iter().filter(|h| !h.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(&format!("--- a/{path}\n+++ b/{path}\n"));
        }
        out.push_str(&format!("{}\n", similar::udiff::UnifiedHunkHeader::new(&hunk)));
        for op in &hunk {
            for change in op.iter_changes(&old_lines, &new_lines) {
                let sign = match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                };
                let line = change.value();
                out.push(sign);
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// Lines with their line ends, as similar splits them (`\n`, `\r\n`).
fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn starts(lines: &[&str]) -> Vec<usize> {
    let mut at = 0;
    lines
        .iter()
        .map(|l| {
            let s = at;
            at += l.len();
            s
        })
        .collect()
}

/// The lines a byte range touches, as [first, past the last): the line of its start up to the
/// line of its last byte (or of its start, when it is empty).
fn line_span(starts: &[usize], (a, b): (usize, usize)) -> (usize, usize) {
    let line_of = |at: usize| starts.partition_point(|s| *s <= at).saturating_sub(1);
    let first = line_of(a);
    let last = if b > a { line_of(b - 1) } else { first };
    (first, (last + 1).min(starts.len()).max(first))
}

/// Adds an op, joining equal runs that meet: the context of a hunk is counted in one run.
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    if let (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) = (ops.last_mut(), op) {
        *len += more;
        return;
    }
    ops.push(op);
}

fn shift(op: DiffOp, o: usize, n: usize) -> DiffOp {
    match op {
        DiffOp::Equal { old_index, new_index, len } => {
            DiffOp::Equal { old_index: old_index + o, new_index: new_index + n, len }
        }
        DiffOp::Delete { old_index, old_len, new_index } => {
            DiffOp::Delete { old_index: old_index + o, old_len, new_index: new_index + n }
        }
        DiffOp::Insert { old_index, new_index, new_len } => {
            DiffOp::Insert { old_index: old_index + o, new_index: new_index + n, new_len }
        }
        DiffOp::Replace { old_index, old_len, new_index, new_len } => {
            DiffOp::Replace { old_index: old_index + o, old_len, new_index: new_index + n, new_len }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies `(start, end, replacement)` edits in order, as `fix::pass` does.
    fn apply(old: &str, edits: &[(usize, usize, &str)]) -> (String, Vec<Changed>) {
        let mut new = String::new();
        let mut at = 0;
        let mut changed = Vec::new();
        for &(a, b, r) in edits {
            new.push_str(&old[at..a]);
            let s = new.len();
            new.push_str(r);
            changed.push(Changed { old: (a, b), new: (s, new.len()) });
            at = b;
        }
        new.push_str(&old[at..]);
        (new, changed)
    }

    fn whole(path: &str, old: &str, new: &str) -> String {
        similar::TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string()
    }

    #[test]
    fn matches_a_diff_of_the_whole_file() {
        let old: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let at = |l: usize| old.match_indices("line ").nth(l).map(|(p, _)| p).unwrap();
        let end = |l: usize| at(l) + format!("line {l}").len();
        let cases: Vec<Vec<(usize, usize, &str)>> = vec![
            vec![(end(3), end(3), ":ro")],                        // append to a line
            vec![(at(5), at(6), "")],                             // delete a line
            vec![(at(7), at(7), "new\n")],                        // insert a line
            vec![(end(1), end(1), "x"), (end(2), end(2), "y")],   // adjacent lines: one hunk
            vec![(end(1), end(1), "x"), (end(30), end(30), "y")], // far apart: two hunks
            vec![(end(10), end(10), "a"), (end(10) + 1, end(10) + 1, "b\n")], // one line, twice
            vec![(at(0), at(0), "first\n"), (end(39), old.len(), "")], // both ends, last newline
        ];
        for edits in cases {
            let (new, changed) = apply(&old, &edits);
            assert_eq!(unified("f", &old, &new, &changed), whole("f", &old, &new), "{edits:?}");
        }
    }

    #[test]
    fn matches_a_diff_of_the_whole_file_for_random_edits() {
        let old: String = (0..60).map(|i| format!("key{i} = value {i}\n")).collect();
        let starts: Vec<usize> =
            std::iter::once(0).chain(old.match_indices('\n').map(|(p, _)| p + 1)).collect();
        let mut seed = 7u64;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % m
        };
        for _ in 0..300 {
            let mut edits = Vec::new();
            let mut line = next(4);
            while line + 1 < starts.len() - 1 {
                let (a, b) = (starts[line], starts[line + 1]);
                edits.push(match next(4) {
                    0 => (b - 1, b - 1, ":ro"),
                    1 => (a, b, ""),
                    2 => (a, a, "inserted = 1\n"),
                    _ => (a, b, "replaced = 2\n"),
                });
                line += 1 + next(9);
            }
            let (new, changed) = apply(&old, &edits);
            assert_eq!(unified("f", &old, &new, &changed), whole("f", &old, &new), "{edits:?}");
        }
    }

    #[test]
    fn no_change_no_diff() {
        assert_eq!(unified("f", "a\n", "a\n", &[]), "");
    }
}
