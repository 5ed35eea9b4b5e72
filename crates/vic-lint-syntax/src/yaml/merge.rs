//! Duplicate keys and `<<` merge keys, settled when a mapping is complete.
//!
//! Merging here rather than leaving it to each rule matters for Compose: `x-defaults` blocks
//! merged into services are where most real settings live, and a rule that missed them would
//! miss the setting. Explicit keys win over merged ones wherever they stand in the mapping, and
//! earlier merge sources win over later ones, as in YAML 1.1's merge type.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use super::json::key_text;
use super::{ErrorKind, Node, Pair, Value, YamlError};
use crate::span::Span;

const MERGE_TAG: &str = "tag:yaml.org,2002:merge";

enum Action {
    Keep,
    Drop,
    /// One entry per merge source, `None` for a source that is not a mapping; per source, which
    /// of its pairs are taken.
    Merge(Vec<Option<Vec<bool>>>),
}

/// The pairs of a complete mapping with duplicates dropped (the first is kept) and merge keys
/// replaced by the pairs they bring, at their position.
pub(super) fn finish_map(pairs: Vec<Pair>, errors: &mut Vec<YamlError>) -> Vec<Pair> {
    if pairs.len() < 2 && !pairs.iter().any(|p| is_merge_key(&p.key)) {
        return pairs;
    }
    let actions = plan(&pairs, errors);
    // The usual mapping: nothing to drop or merge, so no reason to move every pair.
    if actions.iter().all(|a| matches!(a, Action::Keep)) {
        return pairs;
    }
    apply(pairs, actions)
}

/// Decides everything while the pairs are only borrowed: keys are compared by text without
/// copying them.
fn plan(pairs: &[Pair], errors: &mut Vec<YamlError>) -> Vec<Action> {
    let mut explicit: HashMap<Cow<'_, str>, Span> = HashMap::with_capacity(pairs.len());
    let mut first_merge: Option<Span> = None;
    let mut actions = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let site = pair.key.site();
        let first = if is_merge_key(&pair.key) {
            let first = first_merge;
            first_merge = first_merge.or(Some(site));
            first
        } else {
            match explicit.entry(key_text(&pair.key)) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(site);
                    None
                }
            }
        };
        actions.push(match first {
            Some(first) => {
                errors.push(duplicate(&pair.key, site, first));
                Action::Drop
            }
            None if is_merge_key(&pair.key) => Action::Merge(Vec::new()),
            None => Action::Keep,
        });
    }
    let mut merged: HashSet<Cow<'_, str>> = HashSet::new();
    for (pair, action) in pairs.iter().zip(actions.iter_mut()) {
        let Action::Merge(sources) = action else { continue };
        for source in merge_sources(&pair.value) {
            let taken = match &source.value {
                Value::Map(from) => Some(
                    from.iter()
                        .map(|p| {
                            let key = key_text(&p.key);
                            !explicit.contains_key(&key) && merged.insert(key)
                        })
                        .collect(),
                ),
                // Already reported where the node was refused.
                _ if is_placeholder(source) => None,
                _ => {
                    errors.push(invalid(source));
                    None
                }
            };
            sources.push(taken);
        }
    }
    actions
}

fn apply(pairs: Vec<Pair>, actions: Vec<Action>) -> Vec<Pair> {
    let mut out = Vec::with_capacity(pairs.len());
    for (pair, action) in pairs.into_iter().zip(actions) {
        match action {
            Action::Keep => out.push(pair),
            Action::Drop => {}
            Action::Merge(plan) => {
                let merged_from = Some(pair.key.site());
                for (source, taken) in into_merge_sources(pair.value).into_iter().zip(plan) {
                    let (Value::Map(from), Some(taken)) = (source.value, taken) else { continue };
                    let kept = from.into_iter().zip(taken).filter_map(|(p, take)| take.then_some(p));
                    out.extend(kept.map(|p| Pair { merged_from, ..p }));
                }
            }
        }
    }
    out
}

/// A plain `<<`, or one tagged `!!merge`; a quoted `"<<"` is an ordinary key.
fn is_merge_key(key: &Node) -> bool {
    key.as_scalar().is_some_and(|s| s.style == super::Style::Plain && s.text == "<<")
        && key.tag.as_deref().is_none_or(|t| t == MERGE_TAG)
}

/// A mapping merges itself; a sequence merges its items, each of which must be a mapping.
fn merge_sources(value: &Node) -> &[Node] {
    match &value.value {
        Value::Seq(items) => items,
        _ => std::slice::from_ref(value),
    }
}

fn into_merge_sources(value: Node) -> Vec<Node> {
    match value.value {
        Value::Seq(items) => items,
        _ => vec![value],
    }
}

/// The null that stands for a node that could not be read (see [`super::parse`]); the plain
/// empty value `<<:` reads as `~` and is not one.
fn is_placeholder(node: &Node) -> bool {
    node.tag.is_none()
        && node.as_scalar().is_some_and(|s| s.style == super::Style::Plain && s.text.is_empty())
}

fn duplicate(key: &Node, site: Span, first: Span) -> YamlError {
    YamlError {
        kind: ErrorKind::DuplicateKey,
        span: site,
        message: format!("duplicate key `{}`: only the first one is read", short(&key_text(key))),
        help: Some("remove one of the two, or merge their values".into()),
        other: Some(first),
    }
}

fn invalid(source: &Node) -> YamlError {
    let what = match &source.value {
        Value::Scalar(_) => "a scalar",
        Value::Seq(_) => "a sequence",
        Value::Map(_) => "a mapping",
    };
    YamlError {
        kind: ErrorKind::InvalidMerge,
        span: source.site(),
        message: format!("a `<<` merge key takes mappings, but this is {what}"),
        help: Some("merge a mapping, an alias to one, or a list of those: `<<: [*a, *b]`".into()),
        other: None,
    }
}

/// Keys in messages are for recognition, not reproduction: a huge key would swamp the report.
fn short(key: &str) -> Cow<'_, str> {
    const MAX: usize = 60;
    match key.char_indices().nth(MAX) {
        Some((cut, _)) => Cow::Owned(format!("{}…", key.get(..cut).unwrap_or(key))),
        None => Cow::Borrowed(key),
    }
}
