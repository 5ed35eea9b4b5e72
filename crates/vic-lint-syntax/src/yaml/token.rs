//! From the parser's positions to spans over the text.

use std::ops::Range;

use granit_parser::Marker;

use crate::span::Span;

/// The parser's span as a span of `text`. granit-parser promises in-bounds UTF-8 boundaries for
/// string input; clamping anyway keeps a broken promise from becoming a panic downstream.
pub(super) fn convert(text: &str, span: &granit_parser::Span, fallback: usize) -> Span {
    match span.byte_range() {
        Some(r) => clamp(text, r),
        None => clamp(text, fallback..fallback),
    }
}

fn clamp(text: &str, r: Range<usize>) -> Span {
    let start = floor_boundary(text, r.start);
    let end = floor_boundary(text, r.end).max(start);
    Span::new(start, end)
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where a parser error points: the character at its position (so that a label has something
/// to underline), or an empty span at the end of the text.
pub(super) fn error_span(text: &str, mark: &Marker) -> Span {
    let at = match mark.byte_offset() {
        Some(b) => floor_boundary(text, b),
        // Only streaming inputs lack byte offsets; counting characters is the slow way there.
        None => text.char_indices().nth(mark.index()).map_or(text.len(), |(i, _)| i),
    };
    let len = text.get(at..).and_then(|t| t.chars().next()).filter(|c| *c != '\n').map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

/// The token of a block scalar. The parser's span covers only the content, from its first line
/// through the trailing line breaks; a finding reads better from the `|`/`>` header to the last
/// character of content, which is also what `raw` should show.
pub(super) fn block_scalar_span(text: &str, content: Span, prev_end: usize) -> Span {
    let start = content.start as usize;
    // An empty block scalar's span can begin at its own header instead.
    let Some(header) = find_header(text, start, prev_end).or_else(|| header_at(text, start)) else {
        return content;
    };
    let body_start = start.max(header.end);
    let body = text.get(body_start..content.end as usize).unwrap_or("");
    let content_len = body.trim_end_matches([' ', '\t', '\r', '\n']).len();
    let end = if content_len == 0 { header.end } else { body_start + content_len };
    Span::new(header.start, end)
}

/// A header right at `at`, on the rest of its line.
fn header_at(text: &str, at: usize) -> Option<Range<usize>> {
    let rest = text.get(at..)?;
    let line = rest.get(..rest.find('\n').unwrap_or(rest.len()))?;
    header_in_line(line).filter(|r| r.start == 0).map(|r| r.start + at..r.end + at)
}

/// The header is on the last non-blank line before the content's first line (only blank lines
/// can sit between them), after whatever the previous event ended with (a key, a `-`).
fn find_header(text: &str, content_start: usize, prev_end: usize) -> Option<Range<usize>> {
    let before = text.get(..content_start)?;
    let mut end = before.len();
    loop {
        let line_start = before.get(..end)?.rfind('\n').map_or(0, |i| i + 1);
        let line = before.get(line_start..end)?;
        if !line.trim_matches([' ', '\t', '\r']).is_empty() {
            let from = prev_end.max(line_start);
            return header_in_line(before.get(from..end)?).map(|r| r.start + from..r.end + from);
        }
        end = line_start.checked_sub(1)?;
    }
}

/// `|` or `>` after a blank (not inside `&a|b` or `"x|y"`), then indentation and chomping
/// indicators, then a blank or the end of the line.
fn header_in_line(line: &str) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    let is_blank = |b: Option<&u8>| b.is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r'));
    for (i, b) in bytes.iter().enumerate() {
        if !matches!(b, b'|' | b'>') || !is_blank(i.checked_sub(1).and_then(|p| bytes.get(p))) {
            continue;
        }
        let end = bytes
            .iter()
            .skip(i + 1)
            .position(|b| !matches!(b, b'0'..=b'9' | b'+' | b'-'))
            .map_or(bytes.len(), |n| i + 1 + n);
        if is_blank(bytes.get(end)) {
            return Some(i..end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, content: Range<usize>, prev_end: usize) -> &str {
        let span = block_scalar_span(text, Span::new(content.start, content.end), prev_end);
        &text[span.range()]
    }

    #[test]
    fn block_header_is_found_past_keys_properties_and_comments() {
        assert_eq!(block("a: |\n  x\n  y\n", 7..13, 1), "|\n  x\n  y");
        assert_eq!(block("b: >+ # c|x\n\n  t\n\n", 15..18, 1), ">+ # c|x\n\n  t");
        assert_eq!(block("- &a|b !t |2\n    x\n", 15..19, 0), "|2\n    x");
        assert_eq!(block("\"k | x\": |\n y\n", 12..14, 7), "|\n y");
        assert_eq!(block("a: |\n", 5..5, 1), "|");
        assert_eq!(block("a: |\n\nb: 1\n", 6..6, 1), "|");
    }

    #[test]
    fn empty_block_scalar_span_that_starts_at_its_header() {
        assert_eq!(block("a: >-\n", 3..6, 1), ">-");
        assert_eq!(block("- |\n", 2..4, 0), "|");
        assert_eq!(block("a: |", 3..4, 1), "|");
    }

    #[test]
    fn no_header_keeps_the_parser_span() {
        assert_eq!(block("x\n  y\n", 4..6, 0), "y\n");
        assert_eq!(block("", 0..0, 0), "");
    }

    #[test]
    fn error_span_covers_one_character() {
        let text = "a: é\n";
        let mark = Marker::new(3, 1, 3).with_byte_offset(Some(3));
        assert_eq!(error_span(text, &mark), Span::new(3, 5));
        let eol = Marker::new(4, 1, 4).with_byte_offset(Some(5));
        assert_eq!(error_span(text, &eol), Span::new(5, 5));
        let inside = Marker::new(4, 1, 4).with_byte_offset(Some(4));
        assert_eq!(error_span(text, &inside), Span::new(3, 5));
        let beyond = Marker::new(9, 1, 9).with_byte_offset(Some(99));
        assert_eq!(error_span(text, &beyond), Span::new(6, 6));
    }
}
