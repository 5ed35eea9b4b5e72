//! Tabs where YAML wants indentation.
//!
//! granit-parser rejects most of them, with a choice of error kinds and a position that is not
//! always the tab's; those errors are rephrased here and pointed at the tab. It also accepts a
//! few (`\tkey: v`, `\t- a`, ` \t key: v` under a parent), which editors that render a tab as
//! eight columns show at a different nesting than YAML reads: those are found here too.

use granit_parser::ErrorKind as ParserKind;

use super::{ErrorKind, YamlError};
use crate::span::Span;

const MESSAGE: &str = "tabs are not allowed for indentation in YAML";
const HELP: &str = "indent with spaces; a tab's width depends on the editor, so YAML refuses to guess";

/// How far past the parser's position the offending tab may be: the parser reports some tab
/// errors at the start of the scalar the tab's line would have continued.
const LOOKAHEAD_LINES: usize = 8;

pub(super) fn error(span: Span) -> YamlError {
    YamlError { kind: ErrorKind::Tab, span, message: MESSAGE.into(), help: Some(HELP.into()), other: None }
}

/// The parser's errors that are all about a tab in indentation.
pub(super) fn is_tab_error(kind: &ParserKind) -> bool {
    matches!(
        kind,
        ParserKind::TabInIndentation
            | ParserKind::TabInBlockIndentation
            | ParserKind::TabNotAllowed
            | ParserKind::TabAtBlockScalarStart
            | ParserKind::TabInPlainScalar
    )
}

/// The tab a parser error at `at` is about: in the indentation of the error's line, or of a
/// line shortly after when the parser reports the scalar that the tab's line would continue.
pub(super) fn locate(text: &str, kind: &ParserKind, at: usize) -> Option<Span> {
    let mut line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    if matches!(kind, ParserKind::TabInPlainScalar | ParserKind::TabAtBlockScalarStart) {
        line_start = at + text.get(at..)?.find('\n')? + 1;
    }
    for _ in 0..LOOKAHEAD_LINES {
        let line = text.get(line_start..)?;
        if let Some(tab) = indent_tab(line) {
            return Some(Span::new(line_start + tab, line_start + tab + 1));
        }
        line_start += line.find('\n')? + 1;
    }
    None
}

/// The first tab in the leading blanks of `line`.
fn indent_tab(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    line.get(..indent)?.find('\t')
}

/// Finds tab indentation the parser accepted, from the positions of block-context nodes.
///
/// Only the first node of each line is looked at, and positions only move forward, so the text
/// is scanned once however long its lines are.
#[derive(Default)]
pub(super) struct Lines {
    /// How far the text has been scanned for line breaks.
    pos: usize,
    line_start: usize,
    line_seen: bool,
}

impl Lines {
    /// A tab in the indentation before a node starting at `at`, when nothing but block
    /// indicators (`-`, `?`, `:`) stands between that indentation and the node.
    pub(super) fn node_at(&mut self, text: &str, at: usize) -> Option<Span> {
        // Anchor and property spans can point backwards; the node events used here do not, but
        // a position behind the scan would make the line unknown.
        if at < self.pos {
            return None;
        }
        if let Some(i) = text.get(self.pos..at)?.rfind('\n') {
            self.line_start = self.pos + i + 1;
            self.line_seen = false;
        }
        self.pos = at;
        if std::mem::replace(&mut self.line_seen, true) {
            return None;
        }
        let before = text.get(self.line_start..at)?;
        let tab = indent_tab(before)?;
        let indicators = before.trim_start_matches([' ', '\t']);
        if indicators.chars().all(|c| matches!(c, '-' | '?' | ':' | ' ' | '\t')) {
            Some(Span::new(self.line_start + tab, self.line_start + tab + 1))
        } else {
            None
        }
    }
}
