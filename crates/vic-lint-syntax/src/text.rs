use std::ops::Range;

use smallvec::SmallVec;

use crate::span::Span;

/// A piece of text assembled from a file (joined continuation lines, unquoted words, unescaped
/// strings), together with the way back from each of its bytes to the file.
///
/// The map is a list of segments. A segment whose text length equals its file length maps byte
/// for byte; any other segment (an escape such as `\x41`, a joined line break) maps as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpannedText {
    text: String,
    /// Inline when there is one segment, as for most words: no allocation of its own.
    segs: SmallVec<[Seg; 1]>,
    /// Where an empty text stands in the file (`Requires=` has an empty value after the `=`).
    origin: u32,
}

/// The whitespace systemd's parsers strip and split on (its `WHITESPACE`): narrower than Rust's
/// Unicode notion, so that a no-break space stays part of a value as systemd keeps it.
pub fn is_systemd_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Seg {
    text_start: u32,
    text_len: u32,
    file_start: u32,
    file_len: u32,
}

impl SpannedText {
    pub fn new() -> SpannedText {
        SpannedText::default()
    }

    /// Text copied verbatim from the file starting at `file_start`.
    pub fn verbatim(text: &str, file_start: usize) -> SpannedText {
        let mut t = SpannedText::empty_at(file_start);
        t.push_verbatim(text, file_start);
        t
    }

    /// An empty text at a position of the file.
    pub fn empty_at(file_pos: usize) -> SpannedText {
        SpannedText { origin: u32::try_from(file_pos).unwrap_or(u32::MAX), ..SpannedText::default() }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends text that stands in the file unchanged at `file_start`.
    pub fn push_verbatim(&mut self, text: &str, file_start: usize) {
        if text.is_empty() {
            return;
        }
        let text_start = self.text.len() as u32;
        let (file_start, len) = (file_start as u32, text.len() as u32);
        if let Some(last) = self.segs.last_mut() {
            let linear = last.text_len == last.file_len;
            if linear
                && last.text_start + last.text_len == text_start
                && last.file_start + last.file_len == file_start
            {
                last.text_len += len;
                last.file_len += len;
                self.text.push_str(text);
                return;
            }
        }
        self.segs.push(Seg { text_start, text_len: len, file_start, file_len: len });
        self.text.push_str(text);
    }

    /// Appends text that was produced from `file` (an escape, a folded line break): any part of
    /// it maps to the whole of `file`.
    pub fn push_mapped(&mut self, text: &str, file: Span) {
        if text.is_empty() {
            return;
        }
        self.segs.push(Seg {
            text_start: self.text.len() as u32,
            text_len: text.len() as u32,
            file_start: file.start,
            file_len: file.len() as u32,
        });
        self.text.push_str(text);
    }

    /// Appends a sub-range of another spanned text, keeping its map.
    pub fn push_slice(&mut self, other: &SpannedText, range: Range<usize>) {
        let Some(part) = other.text.get(range.clone()) else {
            return;
        };
        if part.is_empty() {
            return;
        }
        // Walk only the other text's segments that intersect the range: they are sorted, so the
        // first is found by bisection and the walk stops past the end (a word of a value joined
        // from 100,000 lines must not walk them all).
        let first = other.segs.partition_point(|s| (s.text_start + s.text_len) as usize <= range.start);
        for seg in other.segs.get(first..).unwrap_or_default() {
            let s_start = seg.text_start as usize;
            if s_start >= range.end {
                break;
            }
            let s_end = s_start + seg.text_len as usize;
            let lo = s_start.max(range.start);
            let hi = s_end.min(range.end);
            if lo >= hi {
                continue;
            }
            let Some(piece) = other.text.get(lo..hi) else {
                continue;
            };
            if seg.text_len == seg.file_len {
                self.push_verbatim(piece, seg.file_start as usize + (lo - s_start));
            } else {
                let file =
                    Span::new(seg.file_start as usize, seg.file_start as usize + seg.file_len as usize);
                self.push_mapped(piece, file);
            }
        }
    }

    /// A new spanned text for a sub-range of this one.
    pub fn slice(&self, range: Range<usize>) -> SpannedText {
        let mut t = SpannedText::empty_at(self.span_of(range.start..range.start).start as usize);
        t.push_slice(self, range);
        t
    }

    /// The span in the file covering the whole text.
    pub fn span(&self) -> Span {
        self.span_of(0..self.text.len())
    }

    /// The span in the file covering `range` of this text. An empty range maps to an empty span
    /// at the position it would start.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let start = self.file_pos(range.start, false);
        if range.end <= range.start {
            return Span::empty(start);
        }
        let end = self.file_pos(range.end - 1, true);
        Span::new(start, end.max(start))
    }

    /// File offset where text byte `i` starts (`end == false`) or ends (`end == true`).
    fn file_pos(&self, i: usize, end: bool) -> usize {
        let idx = self.segs.partition_point(|s| (s.text_start as usize) <= i).saturating_sub(1);
        let Some(seg) = self.segs.get(idx) else {
            return self.origin as usize;
        };
        let within = i.saturating_sub(seg.text_start as usize);
        if seg.text_len == seg.file_len && within < seg.text_len as usize {
            seg.file_start as usize + within + usize::from(end)
        } else if end || within >= seg.text_len as usize {
            (seg.file_start + seg.file_len) as usize
        } else {
            seg.file_start as usize
        }
    }

    /// Whitespace-separated items with their spans, as systemd splits list settings.
    pub fn words(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in self.text.char_indices() {
            match (is_systemd_space(c), start) {
                (true, Some(s)) => {
                    out.push((&self.text[s..i], self.span_of(s..i)));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((&self.text[s..], self.span_of(s..self.text.len())));
        }
        out
    }

    /// Leading and trailing whitespace removed, map kept.
    pub fn trim(&self) -> SpannedText {
        let start = self.text.len() - self.text.trim_start_matches(is_systemd_space).len();
        let end = self.text.trim_end_matches(is_systemd_space).len().max(start);
        self.slice(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_maps_byte_for_byte() {
        let t = SpannedText::verbatim("hello world", 10);
        assert_eq!(t.span(), Span::new(10, 21));
        assert_eq!(t.span_of(6..11), Span::new(16, 21));
        let words = t.words();
        assert_eq!(words, vec![("hello", Span::new(10, 15)), ("world", Span::new(16, 21))]);
    }

    #[test]
    fn escapes_map_as_a_whole() {
        // File: `a\x41b` at offset 0; text "aAb".
        let mut t = SpannedText::new();
        t.push_verbatim("a", 0);
        t.push_mapped("A", Span::new(1, 5));
        t.push_verbatim("b", 5);
        assert_eq!(t.as_str(), "aAb");
        assert_eq!(t.span_of(1..2), Span::new(1, 5));
        assert_eq!(t.span_of(0..3), Span::new(0, 6));
        assert_eq!(t.span_of(2..3), Span::new(5, 6));
    }

    #[test]
    fn joined_lines_keep_positions() {
        // "a \\\n  b" → text "a b" with the line break folded to one space.
        let mut t = SpannedText::new();
        t.push_verbatim("a", 0);
        t.push_mapped(" ", Span::new(1, 6));
        t.push_verbatim("b", 6);
        assert_eq!(t.words(), vec![("a", Span::new(0, 1)), ("b", Span::new(6, 7))]);
        let s = t.slice(2..3);
        assert_eq!(s.span(), Span::new(6, 7));
    }

    #[test]
    fn empty_range_is_an_empty_span() {
        let t = SpannedText::verbatim("abc", 4);
        assert_eq!(t.span_of(1..1), Span::empty(5));
        assert_eq!(SpannedText::new().span(), Span::empty(0));
        assert_eq!(t.slice(3..3).span(), Span::empty(7));
        assert_eq!(SpannedText::empty_at(9).span(), Span::empty(9));
    }
}
