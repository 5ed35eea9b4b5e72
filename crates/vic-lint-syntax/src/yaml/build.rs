//! The tree builder: one pass over granit-parser's events with an explicit stack of open
//! collections, so that nesting costs heap rather than call stack, and any prefix of the events
//! still makes a tree (a syntax error closes whatever is open).

use std::borrow::Cow;

use granit_parser::{
    options, ErrorKind as ParserKind, Event, Parser, ScalarStyle, ScanError, StrInput, StructureStyle, Tag,
};

use super::alias::{self, Anchors, Budget, Lookup};
use super::{merge, tabs, token};
use super::{
    Comment, Document, ErrorKind, Limits, Node, Pair, Scalar, Stream, Style, Value, YamlError,
    MAX_DEPTH_CEILING,
};
use crate::span::Span;

/// granit-parser's own nesting limits. Far above any `max_depth`, so that a collection nested a
/// bit too deep is skipped by the builder (a null in its place, and reading goes on), but
/// bounded: the parser keeps state per open level, and a file of nothing but `[` would otherwise
/// cost that per byte.
const PARSER_NESTING_LIMIT: usize = 16 * MAX_DEPTH_CEILING;

type YamlParser<'t> = Parser<'t, StrInput<'t>>;

pub(super) fn build(text: &str, limits: &Limits) -> Stream {
    let options = options! {
        emit_anchor_events: true,
        // An unknown anchor is one finding, not a reason to drop the rest of the document.
        emit_unresolved_aliases: true,
        // Comments are kept anyway; the default of 96 rejects a long commented-out block.
        max_buffered_comment_events: usize::MAX,
        flow_nesting_limit: PARSER_NESTING_LIMIT,
        block_nesting_limit: PARSER_NESTING_LIMIT,
    };
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut builder = Builder::new(text, limits);
    builder.run(&mut parser);
    builder.finish()
}

struct Builder<'t> {
    text: &'t str,
    max_depth: usize,
    stream: Stream,
    doc: Option<Doc>,
    anchors: Anchors,
    budget: Budget,
    /// End of the last event other than a comment: where a block scalar's header search starts.
    last_end: usize,
    lines: tabs::Lines,
}

struct Doc {
    start: usize,
    end: usize,
    root: Option<Node>,
    frames: Vec<Frame>,
    /// Open flow collections: inside them tabs are ordinary blanks.
    flow: usize,
    skip: Option<Skip>,
}

/// A collection refused as too deep, whose events are being passed over.
struct Skip {
    /// Collections still open inside it, itself included.
    depth: usize,
    span: Span,
}

struct Frame {
    kind: Kind,
    flow: bool,
    start: usize,
    /// Where the content read so far ends: a block collection ends with its last entry, not
    /// where the parser notices that it has ended (the next line's key).
    end: usize,
    tag: Option<String>,
    anchor_id: usize,
    anchor: Option<String>,
    /// Nodes in the subtree so far, the collection included.
    size: usize,
    /// Collection levels below this one.
    height: usize,
}

enum Kind {
    Seq(Vec<Node>),
    Map { pairs: Vec<Pair>, key: Option<Node> },
}

/// A complete node on its way to its parent.
struct Built {
    node: Node,
    size: usize,
    height: usize,
    /// Where it appears: its span, or the alias that brought it.
    site: Span,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, limits: &Limits) -> Builder<'t> {
        Builder {
            text,
            max_depth: limits.max_depth.min(MAX_DEPTH_CEILING),
            stream: Stream::default(),
            doc: None,
            anchors: Anchors::default(),
            budget: Budget::new(limits),
            last_end: 0,
            lines: tabs::Lines::default(),
        }
    }

    fn run(&mut self, parser: &mut YamlParser<'t>) {
        // Recovery that landed on the same error again, without reading anything, would loop.
        let mut last_error = None;
        let mut progressed = true;
        while let Some(next) = parser.next_event() {
            match next {
                Ok((event, span)) => {
                    progressed = true;
                    self.event(parser, event, &span);
                }
                Err(e) => {
                    let at = e.marker().byte_offset();
                    if !progressed && last_error == at {
                        break;
                    }
                    self.parse_error(&e);
                    (last_error, progressed) = (at, false);
                    if let Err(e) = parser.proceed_next_document() {
                        self.parse_error(&e);
                        break;
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Stream {
        self.close_doc(self.last_end);
        self.stream.errors.sort_by_key(|e| (e.span.start, e.span.end));
        self.stream.comments.sort_by_key(|c| (c.span.start, c.span.end));
        self.stream
    }

    fn event(&mut self, parser: &mut YamlParser<'t>, event: Event<'t>, span: &granit_parser::Span) {
        let sp = token::convert(self.text, span, self.last_end);
        match event {
            Event::Comment(text, _) => {
                self.stream.comments.push(Comment { text: text.into_owned(), span: sp });
                return;
            }
            // Taken with its node (see `anchor_name`); one on its own would name nothing.
            Event::Anchor(..) => return,
            _ => {}
        }
        let prev_end = std::mem::replace(&mut self.last_end, sp.end as usize);
        match event {
            Event::DocumentStart(..) => self.open_doc(sp),
            Event::DocumentEnd => self.close_doc(sp.end as usize),
            Event::Scalar(value, style, id, tag) => {
                let anchor = anchor_name(parser, id);
                self.scalar(value, style, (id, anchor), tag, sp, prev_end);
            }
            Event::SequenceStart(style, id, tag) => {
                let anchor = anchor_name(parser, id);
                self.open(Kind::Seq(Vec::new()), style, (id, anchor), tag, sp);
            }
            Event::MappingStart(style, id, tag) => {
                let anchor = anchor_name(parser, id);
                self.open(Kind::Map { pairs: Vec::new(), key: None }, style, (id, anchor), tag, sp);
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(sp),
            Event::Alias(id) => self.alias(id, sp),
            Event::UnresolvedAlias(name) => self.unresolved(&name, sp),
            _ => {}
        }
    }

    fn open_doc(&mut self, sp: Span) {
        self.close_doc(sp.start as usize);
        let (start, end) = (sp.start as usize, sp.end as usize);
        self.doc = Some(Doc { start, end, root: None, frames: Vec::new(), flow: 0, skip: None });
    }

    /// The open document; the parser always starts one before a node, but a node outside one
    /// must not be lost if it ever does not.
    fn doc_at(&mut self, at: usize) -> &mut Doc {
        self.doc.get_or_insert_with(|| Doc {
            start: at,
            end: at,
            root: None,
            frames: Vec::new(),
            flow: 0,
            skip: None,
        })
    }

    fn close_doc(&mut self, end: usize) {
        let Some(doc) = self.doc.as_mut() else { return };
        if let Some(skip) = doc.skip.take() {
            self.attach_placeholder(skip.span);
        }
        while let Some(frame) = self.doc.as_mut().and_then(|d| d.frames.pop()) {
            let end = frame.end;
            self.finish_frame(frame, end);
        }
        let Some(doc) = self.doc.take() else { return };
        let root = doc.root.filter(|root| !is_no_content(root));
        let span = Span::new(doc.start, doc.end.max(end));
        self.stream.docs.push(Document { root, span });
        self.anchors.clear();
    }

    fn scalar(
        &mut self,
        value: Cow<'t, str>,
        style: ScalarStyle,
        (id, anchor): (usize, Option<String>),
        tag: Option<Cow<'t, Tag>>,
        sp: Span,
        prev_end: usize,
    ) {
        let style = match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted => Style::SingleQuoted,
            ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
            ScalarStyle::Literal => Style::Literal,
            ScalarStyle::Folded => Style::Folded,
        };
        let span = match style {
            Style::Literal | Style::Folded => token::block_scalar_span(self.text, sp, prev_end),
            _ => sp,
        };
        if self.skipping(span, id) {
            return;
        }
        self.check_tabs(span.start as usize, false);
        let raw = slice(self.text, span);
        let scalar = Scalar { text: value.into_owned(), style, raw };
        let tag = tag.map(|t| t.to_string());
        let node = Node { value: Value::Scalar(scalar), span, tag, anchor, via_alias: None };
        self.budget.add(1);
        if id != 0 {
            self.anchors.define(id, node.clone(), 1, 0);
            self.budget.add(1);
        }
        self.attach(Built { node, size: 1, height: 0, site: span });
    }

    fn open(
        &mut self,
        kind: Kind,
        style: StructureStyle,
        (id, anchor): (usize, Option<String>),
        tag: Option<Cow<'t, Tag>>,
        sp: Span,
    ) {
        let flow = style == StructureStyle::Flow;
        if let Some(skip) = self.doc_at(sp.start as usize).skip.as_mut() {
            skip.depth += 1;
            skip.span = skip.span.cover(sp);
            self.anchors.skip(id);
            return;
        }
        self.check_tabs(sp.start as usize, !flow);
        let (text, max_depth) = (self.text, self.max_depth);
        let (start, end) = (sp.start as usize, sp.end as usize);
        let start = match kind {
            Kind::Seq(_) if !flow => entry_dash(text, start).unwrap_or(start),
            _ => start,
        };
        let doc = self.doc_at(start);
        if doc.frames.len() >= max_depth {
            doc.skip = Some(Skip { depth: 1, span: Span::new(start, end) });
            self.anchors.skip(id);
            let error = too_deep(visible(text, Span::new(start, end)), max_depth);
            self.stream.errors.push(error);
            return;
        }
        doc.flow += usize::from(flow);
        let tag = tag.map(|t| t.to_string());
        doc.frames.push(Frame { kind, flow, start, end, tag, anchor_id: id, anchor, size: 1, height: 0 });
        self.budget.add(1);
    }

    fn close(&mut self, sp: Span) {
        let Some(doc) = self.doc.as_mut() else { return };
        if let Some(skip) = doc.skip.as_mut() {
            // Block collections end with an empty span at the next token, which is not theirs.
            if !sp.is_empty() {
                skip.span = skip.span.cover(sp);
            }
            skip.depth = skip.depth.saturating_sub(1);
            if skip.depth == 0 {
                let span = skip.span;
                doc.skip = None;
                self.attach_placeholder(span);
            }
            return;
        }
        let Some(frame) = doc.frames.pop() else { return };
        doc.flow = doc.flow.saturating_sub(usize::from(frame.flow));
        let end = if frame.flow { sp.end as usize } else { frame.end };
        self.finish_frame(frame, end);
    }

    fn finish_frame(&mut self, frame: Frame, end: usize) {
        let span = Span::new(frame.start, end.max(frame.start));
        // The tree outlives the parse: growth slack would be most of a big file's memory.
        let value = match frame.kind {
            Kind::Seq(mut items) => {
                items.shrink_to_fit();
                Value::Seq(items)
            }
            Kind::Map { mut pairs, key } => {
                // Cut short by an error between a key and its value.
                if let Some(key) = key {
                    let value = placeholder(self.text, Span::empty(key.site().end as usize));
                    pairs.push(Pair { key, value, merged_from: None });
                }
                let mut pairs = merge::finish_map(pairs, &mut self.stream.errors);
                pairs.shrink_to_fit();
                Value::Map(pairs)
            }
        };
        let height = frame.height + 1;
        let node = Node { value, span, tag: frame.tag, anchor: frame.anchor, via_alias: None };
        if frame.anchor_id != 0 {
            self.anchors.define(frame.anchor_id, node.clone(), frame.size, height);
            self.budget.add(frame.size);
        }
        self.attach(Built { node, size: frame.size, height, site: span });
    }

    fn attach(&mut self, built: Built) {
        let Some(doc) = self.doc.as_mut() else { return };
        let site_end = built.site.end as usize;
        let Some(frame) = doc.frames.last_mut() else {
            doc.end = doc.end.max(site_end);
            doc.root.get_or_insert(built.node);
            return;
        };
        frame.size = frame.size.saturating_add(built.size);
        frame.height = frame.height.max(built.height);
        frame.end = frame.end.max(site_end);
        match &mut frame.kind {
            Kind::Seq(items) => items.push(built.node),
            Kind::Map { pairs, key } => match key.take() {
                None => *key = Some(built.node),
                Some(key) => pairs.push(Pair { key, value: built.node, merged_from: None }),
            },
        }
    }

    fn attach_placeholder(&mut self, span: Span) {
        self.budget.add(1);
        let node = placeholder(self.text, span);
        self.attach(Built { node, size: 1, height: 0, site: span });
    }

    /// Inside a refused collection every node is passed over, its anchor remembered as refused.
    fn skipping(&mut self, sp: Span, id: usize) -> bool {
        let Some(skip) = self.doc_at(sp.start as usize).skip.as_mut() else { return false };
        skip.span = skip.span.cover(sp);
        self.anchors.skip(id);
        true
    }

    fn alias(&mut self, id: usize, site: Span) {
        if self.skipping(site, 0) {
            return;
        }
        self.check_tabs(site.start as usize, false);
        if self.budget.is_exhausted() {
            return self.attach_placeholder(site);
        }
        let depth = self.doc.as_ref().map_or(0, |d| d.frames.len());
        let name = alias::name(self.text, site);
        let outcome = match self.anchors.lookup(id) {
            Lookup::Found { height, .. } if depth + height > self.max_depth => {
                Err(Some(alias::too_deep(site, name, self.max_depth)))
            }
            Lookup::Found { node, size, height } => {
                if self.budget.take(size) {
                    let mut node = node.clone();
                    alias::mark_copy(&mut node, site);
                    Ok(Built { node, size, height, site })
                } else {
                    Err(Some(alias::over_budget(site, self.budget.max())))
                }
            }
            Lookup::Skipped => Err(None),
            // The parser knows the anchor, so it is on a collection still open around the alias.
            Lookup::Unknown => Err(Some(alias::recursive(site, name))),
        };
        match outcome {
            Ok(built) => self.attach(built),
            Err(error) => {
                self.stream.errors.extend(error);
                self.attach_placeholder(site);
            }
        }
    }

    fn unresolved(&mut self, name: &str, site: Span) {
        if self.skipping(site, 0) {
            return;
        }
        self.check_tabs(site.start as usize, false);
        if !self.budget.is_exhausted() {
            self.stream.errors.push(alias::unknown(site, name));
        }
        self.attach_placeholder(site);
    }

    /// Tab indentation the parser let through, before a node in block context.
    fn check_tabs(&mut self, at: usize, block_collection: bool) {
        let Some(doc) = &self.doc else { return };
        // Before a root scalar or flow collection a tab only separates; it indents nothing.
        if doc.flow > 0 || doc.skip.is_some() || (doc.frames.is_empty() && !block_collection) {
            return;
        }
        if let Some(span) = self.lines.node_at(self.text, at) {
            self.stream.errors.push(tabs::error(span));
        }
    }

    /// Records a parser error and ends the document.
    fn parse_error(&mut self, e: &ScanError) {
        let at = token::error_span(self.text, e.marker());
        let kind = e.kind();
        let error = if tabs::is_tab_error(kind) {
            let span = tabs::locate(self.text, kind, at.start as usize).unwrap_or(at);
            // The same tab may already be reported from a node the parser accepted before it.
            let known =
                self.stream.errors.iter().rev().take(4).any(|e| e.kind == ErrorKind::Tab && e.span == span);
            (!known).then(|| tabs::error(span))
        } else if matches!(kind, ParserKind::RecursionLimitExceeded) {
            // Only ever inside a collection already refused as too deep, but not assumed.
            let refused = self.doc.as_ref().is_some_and(|d| d.skip.is_some());
            (!refused).then(|| too_deep(at, self.max_depth))
        } else {
            let message = e.info();
            let message = if message.is_empty() { format!("{kind:?}") } else { message };
            Some(YamlError { kind: ErrorKind::Syntax, span: at, message, help: None, other: None })
        };
        self.stream.errors.extend(error);
        self.close_doc((at.start as usize).max(self.last_end));
    }
}

/// The name of the anchor a node event defines, from the `Anchor` event the parser sends right
/// after it.
fn anchor_name(parser: &mut YamlParser<'_>, id: usize) -> Option<String> {
    if id == 0 {
        return None;
    }
    let name = match parser.peek() {
        Some(Ok((Event::Anchor(next, name), _))) if *next == id => name.to_string(),
        _ => return None,
    };
    let _anchor_event = parser.next_event();
    Some(name)
}

fn slice(text: &str, span: Span) -> String {
    text.get(span.range()).unwrap_or_default().to_owned()
}

/// The null that stands for a node that could not be read. Its raw text is what stood there,
/// so that `raw` is the source text at `span` for every plain scalar.
fn placeholder(text: &str, span: Span) -> Node {
    let scalar = Scalar { text: String::new(), style: Style::Plain, raw: slice(text, span) };
    Node { value: Value::Scalar(scalar), span, tag: None, anchor: None, via_alias: None }
}

/// What the parser reads for a document that has nothing in it (only `---`).
fn is_no_content(root: &Node) -> bool {
    root.tag.is_none() && root.anchor.is_none() && root.as_scalar().is_some_and(|s| s.raw.is_empty())
}

/// A span worth underlining: a block collection starts with an empty one.
fn visible(text: &str, sp: Span) -> Span {
    if !sp.is_empty() {
        return sp;
    }
    let at = sp.start as usize;
    let len = text.get(at..).and_then(|t| t.chars().next()).filter(|c| *c != '\n').map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

/// The parser starts a block sequence at its first `-`, except for one not indented under its
/// key (`key:\n- a`), which it starts at the first item: both should cover the `-`.
fn entry_dash(text: &str, at: usize) -> Option<usize> {
    if text.get(at..)?.starts_with('-') {
        return None;
    }
    let before = text.get(..at)?.trim_end_matches([' ', '\t']);
    before.ends_with('-').then(|| before.len() - 1)
}

fn too_deep(span: Span, max: usize) -> YamlError {
    YamlError {
        kind: ErrorKind::TooDeep,
        span,
        message: format!("collections nested deeper than {max} levels are not read"),
        help: Some("the collection reads as null".into()),
        other: None,
    }
}
