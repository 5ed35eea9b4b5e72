//! A spanned YAML tree for Compose files and `.drone.yml`, built from granit-parser's events.
//!
//! The tree keeps what a linter needs and a plain YAML loader throws away: the exact byte span of
//! every key and value, how each scalar was written (`3.10` and `"3.10"` are different answers to
//! "which Compose version?"), which nodes arrived through an alias or a `<<` merge key, and the
//! comments (for `# vic-lint: ignore[...]`). It is also built to survive hostile input: nesting
//! and alias expansion are bounded by [`Limits`], nothing recurses on the parser's events, and
//! every problem becomes a [`YamlError`] next to whatever could still be read.

mod alias;
mod build;
mod json;
mod merge;
mod tabs;
mod token;

#[cfg(test)]
mod tests;

use crate::span::Span;

/// Resource bounds for one [`parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Collections nested deeper than this are not read (a [`ErrorKind::TooDeep`] error).
    /// Values above [`MAX_DEPTH_CEILING`] are lowered to it.
    pub max_depth: usize,
    /// Nodes materialised in total, counting every node read, every copy kept for an anchor and
    /// every node an alias expands to. Only alias expansion is refused when it would exceed the
    /// budget; the nodes written out in the file are bounded by its size anyway.
    pub max_nodes: usize,
}

/// The deepest nesting [`parse`] ever builds, whatever [`Limits::max_depth`] says: the tree is
/// dropped, cloned and converted to JSON recursively, which must fit a 2 MiB thread stack.
pub const MAX_DEPTH_CEILING: usize = 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 256, max_nodes: 100_000 }
    }
}

/// Everything read from one file: its documents, the problems found, and every comment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    pub docs: Vec<Document>,
    /// Sorted by position.
    pub errors: Vec<YamlError>,
    /// Sorted by position, from every document and from between documents.
    pub comments: Vec<Comment>,
}

/// One YAML document (`---` starts another). A document cut short by a syntax error keeps the
/// part read before the error.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// `None` for a document without content (only `---`, or broken before its first node).
    pub root: Option<Node>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, with its leading space if any.
    pub text: String,
    /// Covers the `#` and the text, not the line break.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The parser rejected the text; the message is the parser's.
    Syntax,
    DuplicateKey,
    TooDeep,
    /// An alias would expand past [`Limits::max_nodes`] (an alias bomb).
    AliasBudget,
    /// An alias without an anchor of that name before it in the same document, or inside the
    /// very collection the anchor is on.
    UnknownAnchor,
    /// A tab where YAML wants indentation.
    Tab,
    /// A `<<` merge key whose value is not a mapping, an alias to one, or a list of those.
    InvalidMerge,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// A second location: the first occurrence of a duplicate key.
    pub other: Option<Span>,
}

/// A node of the tree: a scalar, a sequence or a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Where the node is written: the scalar token (quotes and block header included), or a
    /// collection from its first to its last entry (`[` to `]` for flow style). Tag and anchor
    /// are not part of it. For a node reached through an alias this is the anchored definition.
    pub span: Span,
    /// The resolved tag: `!reset` stays `!reset`, `!!str` becomes `tag:yaml.org,2002:str`.
    pub tag: Option<String>,
    /// The anchor name defined on the node, without `&`.
    pub anchor: Option<String>,
    /// For a node materialised through an alias (the aliased node and everything inside it),
    /// the `*name` that brought it here.
    pub via_alias: Option<Span>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// In source order, with `<<` merge keys already applied (see [`Pair::merged_from`]).
    Map(Vec<Pair>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar {
    /// The value as the parser returns it: escapes decoded, lines folded. An empty plain value
    /// (`key:`) reads as `~`; a node that replaces an unreadable one (see [`parse`]) reads as ``.
    pub text: String,
    pub style: Style,
    /// The exact source text of the token, e.g. `3.10` or `"3.10"`.
    pub raw: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub key: Node,
    pub value: Node,
    /// The span of the `<<` key when the pair was brought in by a merge; the pair's own spans
    /// are still where it is defined.
    pub merged_from: Option<Span>,
}

/// Reads a YAML stream. Never panics; every problem is an entry of [`Stream::errors`], and
/// whatever could be read is kept:
/// - a syntax error ends its document (the nodes read so far are kept, open collections
///   closed); reading resumes at the next `---` or `...`;
/// - a collection deeper than [`Limits::max_depth`], an alias that would exceed
///   [`Limits::max_nodes`] or nest too deep, and an alias to an unknown anchor are each replaced
///   by an empty plain scalar (null) at their position; after the first alias refused for the
///   budget, every later alias is replaced silently;
/// - of duplicate keys the first is kept.
pub fn parse(text: &str, limits: &Limits) -> Stream {
    build::build(text, limits)
}

impl Node {
    /// The value of the first entry whose key is a scalar with this text.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.pair(key).map(|p| &p.value)
    }

    /// The first entry whose key is a scalar with this text.
    pub fn pair(&self, key: &str) -> Option<&Pair> {
        self.as_map()?.iter().find(|p| p.key.as_str() == Some(key))
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// A scalar's text, whatever its style; `None` for a collection.
    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text.as_str())
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Pair]> {
        match &self.value {
            Value::Map(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// A plain `null` (`Null`, `NULL`), `~` or nothing at all, as the core schema reads it.
    pub fn is_null(&self) -> bool {
        self.as_scalar().is_some_and(|s| json::is_null_scalar(s, self.tag.as_deref()))
    }

    /// The node as JSON. Plain scalars resolve by the YAML 1.2 core schema (null, booleans,
    /// integers including `0x`/`0o`, floats; `.inf`/`.nan` stay strings as JSON has no such
    /// numbers); quoted and block scalars, and plain ones tagged `!!str` or `!`, stay strings.
    /// Keys become their text; a collection key becomes its JSON text.
    pub fn to_json(&self) -> serde_json::Value {
        json::to_json(self)
    }

    /// Where the node appears in the file: the alias that brought it, or its own span.
    pub fn site(&self) -> Span {
        self.via_alias.unwrap_or(self.span)
    }
}
