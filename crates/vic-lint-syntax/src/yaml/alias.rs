//! Anchors and the node budget that keeps alias expansion linear in the input.
//!
//! An alias is expanded by copying the anchored subtree, so that every consumer of the tree sees
//! plain nodes. Copies are what an alias bomb multiplies, hence the budget: every node that
//! exists is counted, and an expansion that would pass [`Limits::max_nodes`] is refused before
//! anything is copied.

use std::collections::{HashMap, HashSet};

use super::{ErrorKind, Limits, Node, Pair, Value, YamlError};
use crate::span::Span;

/// A complete anchored node, kept for the aliases that follow it.
struct Entry {
    node: Node,
    /// Nodes in the subtree, the node itself included.
    size: usize,
    /// Collection levels in the subtree: 0 for a scalar.
    height: usize,
}

/// What became of an alias.
pub(super) enum Lookup<'a> {
    Found {
        node: &'a Node,
        size: usize,
        height: usize,
    },
    /// The anchor is on a collection refused as too deep: that refusal is already reported.
    Skipped,
    Unknown,
}

/// The anchors of one document, by the parser's anchor id (names can be redefined; ids cannot).
#[derive(Default)]
pub(super) struct Anchors {
    defined: HashMap<usize, Entry>,
    skipped: HashSet<usize>,
}

impl Anchors {
    pub(super) fn define(&mut self, id: usize, node: Node, size: usize, height: usize) {
        self.defined.insert(id, Entry { node, size, height });
    }

    pub(super) fn skip(&mut self, id: usize) {
        if id != 0 {
            self.skipped.insert(id);
        }
    }

    pub(super) fn lookup(&self, id: usize) -> Lookup<'_> {
        match self.defined.get(&id) {
            Some(e) => Lookup::Found { node: &e.node, size: e.size, height: e.height },
            None if self.skipped.contains(&id) => Lookup::Skipped,
            None => Lookup::Unknown,
        }
    }

    /// Anchors are scoped to their document.
    pub(super) fn clear(&mut self) {
        self.defined.clear();
        self.skipped.clear();
    }
}

/// Nodes materialised so far against [`Limits::max_nodes`].
pub(super) struct Budget {
    used: usize,
    max: usize,
    /// Set by the first refused expansion: a bomb has many aliases, and one error says it all.
    exhausted: bool,
}

impl Budget {
    pub(super) fn new(limits: &Limits) -> Budget {
        Budget { used: 0, max: limits.max_nodes, exhausted: false }
    }

    /// Counts nodes that exist anyway (read from the file, or copied for an anchor).
    pub(super) fn add(&mut self, n: usize) {
        self.used = self.used.saturating_add(n);
    }

    pub(super) fn max(&self) -> usize {
        self.max
    }

    pub(super) fn is_exhausted(&self) -> bool {
        self.exhausted
    }

    /// Takes `n` nodes for an alias expansion, or refuses them for good.
    pub(super) fn take(&mut self, n: usize) -> bool {
        match self.used.checked_add(n) {
            Some(total) if total <= self.max => {
                self.used = total;
                true
            }
            _ => {
                self.exhausted = true;
                false
            }
        }
    }
}

/// Marks a copy as brought by the alias at `site`. The copy may contain earlier expansions; the
/// outermost alias is where all of it appears in this position, so it wins.
pub(super) fn mark_copy(node: &mut Node, site: Span) {
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        n.via_alias = Some(site);
        match &mut n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => todo.extend(items.iter_mut()),
            Value::Map(pairs) => {
                for Pair { key, value, .. } in pairs.iter_mut() {
                    todo.push(key);
                    todo.push(value);
                }
            }
        }
    }
}

/// The name in an alias token, without `*`.
pub(super) fn name(text: &str, site: Span) -> &str {
    let token = text.get(site.range()).unwrap_or_default();
    token.strip_prefix('*').unwrap_or(token)
}

pub(super) fn too_deep(span: Span, name: &str, max: usize) -> YamlError {
    YamlError {
        kind: ErrorKind::TooDeep,
        span,
        message: format!("alias `*{name}` would nest collections deeper than {max} levels"),
        help: Some("the alias reads as null".into()),
        other: None,
    }
}

pub(super) fn over_budget(span: Span, max: usize) -> YamlError {
    YamlError {
        kind: ErrorKind::AliasBudget,
        span,
        message: format!("aliases expand to more than {} nodes in all (an alias bomb?)", thousands(max)),
        help: Some("this alias and every later one read as null".into()),
        other: None,
    }
}

/// `100000` as `100,000`, the way a person reads a limit.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub(super) fn recursive(span: Span, name: &str) -> YamlError {
    YamlError {
        kind: ErrorKind::UnknownAnchor,
        span,
        message: format!("alias `*{name}` is inside the collection its anchor is on"),
        help: Some("a collection cannot contain itself; the alias reads as null".into()),
        other: None,
    }
}

pub(super) fn unknown(span: Span, name: &str) -> YamlError {
    YamlError {
        kind: ErrorKind::UnknownAnchor,
        span,
        message: format!("no anchor `&{name}` before this alias in its document"),
        help: Some(
            "define the anchor before the alias; anchors do not carry over to the next document".into(),
        ),
        other: None,
    }
}

#[cfg(test)]
mod thousands_tests {
    #[test]
    fn groups_of_three() {
        assert_eq!(super::thousands(100_000), "100,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(0), "0");
    }
}
