//! Pipelines and steps of a `.drone.yml`, in both formats Drone reads: 1.x (documents with
//! `kind: pipeline` and a `steps:` list) and 0.8 (one `pipeline:` mapping of named steps).

use vic_lint_core::rule::{ComponentCx, DroneDoc};
use vic_lint_syntax::yaml::{Node, Value};
use vic_lint_syntax::{FileId, Span};

pub(crate) struct Pipeline<'a> {
    pub file: FileId,
    /// 1.x `name:`; empty for 0.8.
    pub name: &'a str,
    /// 1.x pipeline-level `depends_on:`: this pipeline runs after those succeed.
    pub depends_on: Vec<&'a str>,
    pub steps: Vec<Step<'a>>,
    /// 1.x `trigger:`, which conditions every step.
    pub trigger: Option<&'a Node>,
    /// The `kind: pipeline` document's first key, or the `pipeline:` key.
    pub span: Span,
}

pub(crate) struct Step<'a> {
    pub name: String,
    /// The step's name (1.x) or its key (0.8).
    pub span: Span,
    pub node: &'a Node,
    pub image: Option<&'a str>,
    pub commands: Vec<&'a str>,
    pub when: Option<&'a Node>,
    pub depends_on: Vec<&'a str>,
}

pub(crate) fn pipelines<'a>(doc: &'a DroneDoc<'a>) -> Vec<Pipeline<'a>> {
    let file = doc.source.id;
    let mut out = Vec::new();
    for root in doc.stream.docs.iter().filter_map(|d| d.root.as_ref()) {
        if let Some(p) = root.pair("pipeline").filter(|p| p.value.as_map().is_some()) {
            let steps = p
                .value
                .as_map()
                .unwrap_or_default()
                .iter()
                .filter_map(|s| Some(step(s.key.as_str()?.to_string(), s.key.span, &s.value)));
            out.push(Pipeline {
                file,
                name: "",
                depends_on: Vec::new(),
                steps: steps.collect(),
                trigger: None,
                span: p.key.span,
            });
        } else if root.get("kind").and_then(Node::as_str).is_none_or(|k| k == "pipeline") {
            let Some(list) = root.get("steps").and_then(Node::as_seq) else { continue };
            let steps = list.iter().map(|s| {
                let name = s.get("name");
                step(
                    name.and_then(Node::as_str).unwrap_or("").to_string(),
                    name.map_or(s.span, |n| n.span),
                    s,
                )
            });
            let span = root.as_map().and_then(|m| m.first()).map_or(root.span, |p| p.key.span);
            out.push(Pipeline {
                file,
                name: root.get("name").and_then(Node::as_str).unwrap_or(""),
                depends_on: strings(root.get("depends_on")),
                steps: steps.collect(),
                trigger: root.get("trigger"),
                span,
            });
        }
    }
    out
}

fn step<'a>(name: String, span: Span, node: &'a Node) -> Step<'a> {
    Step {
        name,
        span,
        node,
        image: node.get("image").and_then(Node::as_str),
        commands: strings(node.get("commands")),
        when: node.get("when"),
        depends_on: strings(node.get("depends_on")),
    }
}

/// A list of strings, or one string.
fn strings(node: Option<&Node>) -> Vec<&str> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items.iter().filter_map(Node::as_str).collect(),
        Some(Value::Scalar(s)) => vec![s.text.as_str()],
        _ => Vec::new(),
    }
}

/// The values a condition (`when:` or `trigger:`) lists under `key`: `event: tag`,
/// `event: [push, tag]`, `event: {include: [tag]}`. Excluded values are left out.
pub(crate) fn condition<'a>(cond: Option<&'a Node>, key: &str) -> Vec<&'a str> {
    let Some(node) = cond.and_then(|c| c.get(key)) else { return Vec::new() };
    match &node.value {
        Value::Map(_) => strings(node.get("include")),
        _ => strings(Some(node)),
    }
}

/// Whether any scalar in the node's subtree satisfies `f`; bounded by the tree's size.
pub(crate) fn any_scalar(node: &Node, f: &dyn Fn(&str) -> bool) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Scalar(s) => {
                if f(&s.text) {
                    return true;
                }
            }
            Value::Seq(items) => stack.extend(items),
            Value::Map(pairs) => stack.extend(pairs.iter().flat_map(|p| [&p.key, &p.value])),
        }
    }
    false
}

/// The downstream-trigger steps: the `plugins/downstream` image, or any image named so.
pub(crate) fn is_downstream(step: &Step<'_>) -> bool {
    step.image.is_some_and(|i| i.contains("downstream"))
}

pub(crate) fn names_appliance(step: &Step<'_>) -> bool {
    any_scalar(step.node, &|s| s.contains("vic-product"))
}

/// Where a finding about a missing step points: the first pipeline, else the component.
pub(crate) fn anchor(cx: &ComponentCx<'_>, pipelines: &[Pipeline<'_>]) -> Option<(FileId, Span)> {
    pipelines
        .first()
        .map(|p| (p.file, p.span))
        .or_else(|| cx.drones.first().map(|d| (d.source.id, Span::empty(0))).or_else(|| cx.anchor_point()))
}

/// Every pipeline of every `.drone.yml` of the component.
pub(crate) fn all<'a>(cx: &'a ComponentCx<'a>) -> Vec<Pipeline<'a>> {
    cx.drones.iter().flat_map(pipelines).collect()
}
