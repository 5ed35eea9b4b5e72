//! The Component Integration Documentation: the appliance's Markdown questionnaire
//! (`installer/docs/INTEGRATION.md`) that every component keeps a filled-in copy of.
//!
//! This is not a general Markdown parser. It reads the parts the questionnaire is made of: ATX
//! headings, nested bullet lists of questions, and the answers written under them.
//!
//! # Lines
//!
//! - `#` … `######` headings (at most 3 spaces of indentation). A heading ends every list.
//! - Bullets `-`, `*`, `+` and ordered markers (`1.`, `1)`), followed by a space or the end of the
//!   line. A bullet's depth comes from its indentation (tabs count to the next multiple of 4): it
//!   is nested in the nearest open bullet whose text column it does not fall left of.
//! - HTML comments (`<!-- … -->`, over several lines too) are blanked out; code fences (```` ``` ````,
//!   `~~~`) hide everything inside them from the line reader, their contents are plain text;
//!   thematic breaks (`---`) count as blank lines.
//! - Every other line belongs to the most recent bullet, however it is indented, up to the next
//!   bullet or heading. Text before the first bullet of a section belongs to nothing.
//!
//! # Questions and answers
//!
//! A bullet and the lines that belong to it form a block, which is split into the question
//! ([`Item::text`]) and the answer ([`Item::answer`]):
//!
//! 1. The question starts with the bullet's text. It ends at a *terminator* on the bullet line:
//!    the last `?`, or failing that the first `:`, that is followed by white space or the end of
//!    the line (outside `code`; bold or italic markers right after it are part of it). Without
//!    a terminator, the lines that follow directly (no blank line between, plain text) continue
//!    the question, until one of them has a terminator or the text so far is one of the
//!    template's statements that end without one (`Specify networking requirements`).
//! 2. Everything after the terminator, on the same line and on the following lines (blank lines,
//!    quotes and code included), is the answer. Without a terminator, the answer is what follows
//!    the question's paragraph. `> ` quote markers and `**Answer:**`-style prefixes are stripped
//!    (a quote line or a line starting with such a prefix never continues a question).
//! 3. After a `?`, the guidance text the template itself writes there (`(such as /storage/db)`,
//!    `This should be avoided if possible.`, reference links, see [`TEMPLATE_REMARKS`]) is part
//!    of the question, not an answer.
//! 4. A question also counts as answered by its sub-bullets that are not questions and have no
//!    question under them (`- Does it need a disk?` / `  - YES, /storage/db`); their text is
//!    appended to the answer.
//!
//! Parsed this way the template itself has no answers, except for two bullets that carry text
//! after a colon: `Examples: OS packages, …` and `… environment variables: https://…`. Neither is
//! a question the component answers (the sub-bullets under them are), so counting them answered
//! keeps them out of missing-answer findings.
//!
//! Question and answer texts have their lines joined with one space; in [`Item::text`] every run
//! of white space is one space, so a filled-in copy's question compares equal to the template's.

use crate::span::Span;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    pub headings: Vec<Heading>,
    pub items: Vec<Item>,
    /// Per item, the bullets directly under it, built once so that asking is not a scan.
    children: Vec<Vec<usize>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// The heading text without the `#` marks, white space runs collapsed.
    pub text: String,
    /// From the first `#` to the end of the line's text.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// 0 for a top-level bullet, 1 for one nested in it, and so on.
    pub depth: usize,
    /// The question (or the bullet's text when it asks nothing), without the answer; lines
    /// joined, white space runs collapsed to one space, trimmed.
    pub text: String,
    /// The bullet's first line, from the marker to the end of its text.
    pub span: Span,
    /// Index into [`Doc::headings`] of the nearest heading above.
    pub section: Option<usize>,
    /// The answer, trimmed; `None` when nothing is written.
    pub answer: Option<String>,
    /// From the answer's first character to its last; may cover several lines and sub-bullets.
    pub answer_span: Option<Span>,
    /// Index into [`Doc::items`] of the enclosing bullet.
    pub parent: Option<usize>,
}

impl Item {
    /// A question or prompt: [`Item::question`] ends with `?` or `:` (emphasis markers after it
    /// aside).
    pub fn is_question(&self) -> bool {
        let core = self.question().trim_end_matches(['*', '_']);
        core.ends_with('?') || core.ends_with(':')
    }

    /// [`Item::text`] without the template remarks at its end ([`TEMPLATE_REMARKS`]): the question
    /// alone, for comparing a copy's questions with the template's.
    pub fn question(&self) -> &str {
        strip_trailing_remarks(&self.text)
    }

    /// The answer is a "no": its first word is `NO`, `N/A`, `NA` or `None` (any case). Questions
    /// under a bullet answered this way usually do not apply.
    pub fn is_negative_answer(&self) -> bool {
        let Some(answer) = &self.answer else {
            return false;
        };
        let first = answer.split_whitespace().next().unwrap_or("");
        let word = first.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
        ["no", "n/a", "na", "none"].iter().any(|w| word.eq_ignore_ascii_case(w))
    }
}

impl Doc {
    /// Indices of the bullets directly under `item`.
    pub fn children(&self, item: usize) -> impl Iterator<Item = usize> + '_ {
        self.children.get(item).into_iter().flatten().copied()
    }

    /// The heading an item sits under.
    pub fn section_of(&self, item: &Item) -> Option<&Heading> {
        item.section.and_then(|s| self.headings.get(s))
    }
}

/// The template's section headings below "Component Inclusion".
pub const TEMPLATE_SECTIONS: [&str; 4] =
    ["Component Requirements", "Runtime", "Continuous Integration", "Appliance Upgrade"];

/// Guidance the template writes after a question mark, which belongs to the question. Compared
/// word by word, so line breaks and spacing do not matter.
pub const TEMPLATE_REMARKS: [&str; 9] = [
    "(such as `/storage/db`)",
    "The number of volumes should be minimized.",
    "https://docs.docker.com/compose/networking/#use-a-pre-existing-network",
    "This should be avoided if possible.",
    "If so, component team MUST guarantee that the value provided above will identify the correct artifact",
    "https://github.com/vmware/vic-product/blob/master/installer/docs/DESIGN.md#upgrade-requirements",
    // The same link in copies made from the template before the design document moved.
    "https://github.com/vmware/vic-product/blob/master/installer/DESIGN.md#requirements-3",
    "(This question is about the responsibility for the component upgrade script)",
    "https://docs.docker.com/compose/env-file/",
];

/// Template bullets that ask for something without ending in `?` or `:`; a question that reaches
/// one of these texts is complete, and the next line is its answer.
const TEMPLATE_STATEMENTS: [&str; 3] = [
    "Describe the requirements the platform must provide for the component",
    "Specify networking requirements",
    "Consider a branching strategy for ongoing development on master while maintaining versions \
     included with previous release versions",
];

/// Whether the document is a copy of the integration template: it has a "Component Inclusion"
/// heading, or at least three of [`TEMPLATE_SECTIONS`] (any case).
pub fn follows_template(doc: &Doc) -> bool {
    let has = |name: &str| {
        doc.headings.iter().any(|h| h.text.trim().trim_end_matches(':').trim_end().eq_ignore_ascii_case(name))
    };
    has("Component Inclusion") || TEMPLATE_SECTIONS.iter().filter(|s| has(s)).count() >= 3
}

/// Reads an integration document. Never panics.
pub fn parse(text: &str) -> Doc {
    let lines = scan(text);
    let mut doc = Doc::default();
    // Open bullets: (item index, text column).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut block: Option<(usize, Vec<Piece>)> = None;
    let mut section: Option<usize> = None;
    // Per item: from its marker to the end of its question text (which may run over lines).
    let mut text_spans: Vec<Span> = Vec::new();
    for line in &lines {
        match line.kind {
            Kind::Heading { level } => {
                finish(text, &mut doc, &mut text_spans, block.take());
                stack.clear();
                section = Some(doc.headings.len());
                doc.headings.push(Heading {
                    level,
                    text: collapse_ws(slice(text, line.start, line.end)),
                    span: Span::new(line.lead, line.end),
                });
            }
            Kind::Bullet { indent, content_col } => {
                finish(text, &mut doc, &mut text_spans, block.take());
                while stack.last().is_some_and(|&(_, col)| indent < col) {
                    stack.pop();
                }
                let index = doc.items.len();
                doc.items.push(Item {
                    depth: stack.len(),
                    text: String::new(),
                    span: Span::new(line.lead, line.end),
                    section,
                    answer: None,
                    answer_span: None,
                    parent: stack.last().map(|&(i, _)| i),
                });
                text_spans.push(Span::new(line.lead, line.end));
                stack.push((index, content_col));
                let first = Piece { kind: PieceKind::Bullet, start: line.start, end: line.end };
                block = Some((index, vec![first]));
            }
            Kind::Text | Kind::Quote | Kind::FenceBody => {
                if let Some((_, pieces)) = &mut block {
                    let kind = match line.kind {
                        Kind::Quote => PieceKind::Quote,
                        Kind::FenceBody => PieceKind::Code,
                        _ => PieceKind::Text,
                    };
                    pieces.push(Piece { kind, start: line.start, end: line.end });
                }
            }
            Kind::Blank | Kind::Rule | Kind::FenceDelim => {
                if let Some((_, pieces)) = &mut block {
                    pieces.push(Piece { kind: PieceKind::Break, start: line.start, end: line.start });
                }
            }
        }
    }
    finish(text, &mut doc, &mut text_spans, block.take());
    answer_from_sub_bullets(&mut doc, &text_spans);
    let mut children = vec![Vec::new(); doc.items.len()];
    for (i, item) in doc.items.iter().enumerate() {
        if let Some(list) = item.parent.and_then(|p| children.get_mut(p)) {
            list.push(i);
        }
    }
    doc.children = children;
    doc
}

// ---------------------------------------------------------------------------------------------
// Lines

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Blank,
    /// A thematic break (`---`, `***`, `___`).
    Rule,
    /// A code fence's opening or closing line.
    FenceDelim,
    FenceBody,
    Heading {
        level: u8,
    },
    Bullet {
        /// Column of the marker.
        indent: usize,
        /// Column of the text after the marker.
        content_col: usize,
    },
    /// A `>` line; its text is after the markers.
    Quote,
    Text,
}

#[derive(Clone, Copy, Debug)]
struct Line {
    kind: Kind,
    /// Where the line's span starts: the bullet marker, the first `#`; else `start`.
    lead: usize,
    /// The line's text (after markers), trimmed, as file offsets.
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Normal,
    Comment,
    Fence { ch: u8, len: usize },
}

fn slice(text: &str, start: usize, end: usize) -> &str {
    text.get(start..end).unwrap_or("")
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits the text into lines (`\n` or `\r\n`) and classifies them.
fn scan(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut offset = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut state = State::Normal;
    while offset < text.len() {
        let rest = text.get(offset..).unwrap_or("");
        let (raw, next) = match rest.find('\n') {
            Some(i) => (rest.get(..i).unwrap_or(""), offset + i + 1),
            None => (rest, text.len()),
        };
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let base = offset;
        offset = next;

        if let State::Fence { ch, len } = state {
            let t = line.trim();
            if t.len() >= len && t.bytes().all(|b| b == ch) {
                state = State::Normal;
                lines.push(Line { kind: Kind::FenceDelim, lead: base, start: base, end: base });
            } else {
                let (s, e) = trimmed_range(line, 0);
                let kind = if s == e { Kind::Blank } else { Kind::FenceBody };
                lines.push(Line { kind, lead: base + s, start: base + s, end: base + e });
            }
            continue;
        }

        let (masked, in_comment) = mask_comments(line, state == State::Comment);
        state = if in_comment { State::Comment } else { State::Normal };
        let (kind, lead, start, end, fence) = classify(&masked);
        if let Some((ch, len)) = fence {
            state = State::Fence { ch, len };
        }
        lines.push(Line { kind, lead: base + lead, start: base + start, end: base + end });
    }
    lines
}

/// The line with HTML comments replaced by spaces (same byte length), and whether a comment is
/// still open at its end.
fn mask_comments(line: &str, mut in_comment: bool) -> (String, bool) {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    loop {
        if in_comment {
            match rest.find("-->") {
                Some(j) => {
                    push_spaces(&mut out, j + 3);
                    rest = rest.get(j + 3..).unwrap_or("");
                    in_comment = false;
                }
                None => {
                    push_spaces(&mut out, rest.len());
                    break;
                }
            }
        } else {
            match rest.find("<!--") {
                Some(j) => {
                    out.push_str(rest.get(..j).unwrap_or(""));
                    push_spaces(&mut out, 4);
                    rest = rest.get(j + 4..).unwrap_or("");
                    in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
        }
    }
    (out, in_comment)
}

fn push_spaces(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Byte range of `s` without surrounding white space, shifted by `at`.
fn trimmed_range(s: &str, at: usize) -> (usize, usize) {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len().max(start);
    (at + start, at + end)
}

/// Columns of leading indentation (a tab advances to the next multiple of 4) and its byte length.
fn indentation(line: &str) -> (usize, usize) {
    let mut col = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' => col += 1,
            '\t' => col = (col / 4 + 1) * 4,
            _ => return (col, i),
        }
    }
    (col, line.len())
}

/// Kind, lead, text start, text end (offsets in the line), and the fence it opens.
#[allow(clippy::type_complexity)]
fn classify(line: &str) -> (Kind, usize, usize, usize, Option<(u8, usize)>) {
    let (col, at) = indentation(line);
    let rest = line.get(at..).unwrap_or("");
    let (s, e) = trimmed_range(rest, at);
    if s == e {
        return (Kind::Blank, s, s, s, None);
    }
    let bytes = rest.as_bytes();
    let first = bytes.first().copied().unwrap_or(b' ');

    // Code fence.
    if first == b'`' || first == b'~' {
        let run = bytes.iter().take_while(|&&b| b == first).count();
        let info = rest.get(run..).unwrap_or("");
        if run >= 3 && !(first == b'`' && info.contains('`')) {
            return (Kind::FenceDelim, s, s, s, Some((first, run)));
        }
    }

    // ATX heading.
    if col <= 3 && first == b'#' {
        let hashes = bytes.iter().take_while(|&&b| b == b'#').count();
        let after = bytes.get(hashes).copied();
        if hashes <= 6 && after.is_none_or(|b| b == b' ' || b == b'\t') {
            let content = rest.get(hashes..).unwrap_or("").trim_end();
            // A closing run of `#` goes, when it stands apart from the text.
            let unclosed = content.trim_end_matches('#');
            let content =
                if unclosed.is_empty() || unclosed.ends_with([' ', '\t']) { unclosed } else { content };
            let (hs, he) = trimmed_range(content, at + hashes);
            let level = u8::try_from(hashes).unwrap_or(6);
            return (Kind::Heading { level }, s, hs, he.max(hs), None);
        }
    }

    // Thematic break.
    let trimmed = rest.trim();
    for mark in ['-', '*', '_'] {
        if trimmed.chars().filter(|&c| c == mark).count() >= 3
            && trimmed.chars().all(|c| c == mark || c == ' ' || c == '\t')
        {
            return (Kind::Rule, s, s, s, None);
        }
    }

    // Bullet.
    let marker_len = if matches!(first, b'-' | b'*' | b'+') {
        1
    } else {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        let closer = bytes.get(digits).copied();
        if (1..=9).contains(&digits) && matches!(closer, Some(b'.' | b')')) {
            digits + 1
        } else {
            0
        }
    };
    if marker_len > 0 && bytes.get(marker_len).is_none_or(|&b| b == b' ' || b == b'\t') {
        let after = rest.get(marker_len..).unwrap_or("");
        let (ts, te) = trimmed_range(after, at + marker_len);
        let end = if ts == te { at + marker_len } else { te };
        let kind = Kind::Bullet { indent: col, content_col: col + marker_len + 1 };
        return (kind, s, ts.min(end), end, None);
    }

    // Block quote: strip every `>` level.
    if first == b'>' {
        let mut inner = rest;
        while let Some(r) = inner.trim_start().strip_prefix('>') {
            inner = r;
        }
        let (qs, qe) = trimmed_range(inner, at + rest.len() - inner.len());
        return (Kind::Quote, s, qs, qe, None);
    }

    (Kind::Text, s, s, e, None)
}

// ---------------------------------------------------------------------------------------------
// Questions and answers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PieceKind {
    /// The bullet line's text.
    Bullet,
    Text,
    Quote,
    Code,
    /// A blank line, a fence line or a thematic break.
    Break,
}

#[derive(Clone, Copy, Debug)]
struct Piece {
    kind: PieceKind,
    start: usize,
    end: usize,
}

/// Where the question on a line ends: just after the last `?` (or else the first `:`) that is
/// followed by white space or the end, outside backticks; emphasis markers right after it are
/// taken along. Also returns whether it was a `?`.
fn find_terminator(s: &str) -> Option<(usize, bool)> {
    let bytes = s.as_bytes();
    let mut in_code = false;
    let mut last_q = None;
    let mut first_colon = None;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'`' {
            in_code = !in_code;
            continue;
        }
        if in_code || !(b == b'?' || b == b':') {
            continue;
        }
        let mut j = i + 1;
        while bytes.get(j).is_some_and(|&c| c == b'*' || c == b'_') {
            j += 1;
        }
        if !bytes.get(j).is_none_or(|c| c.is_ascii_whitespace()) {
            continue;
        }
        if b == b'?' {
            last_q = Some(j);
        } else if first_colon.is_none() {
            first_colon = Some(j);
        }
    }
    last_q.map(|j| (j, true)).or(first_colon.map(|j| (j, false)))
}

/// Length of an `**Answer:**`-style prefix (any case, with or without emphasis, and the white
/// space after it), if the text starts with one.
fn answer_marker(s: &str) -> Option<usize> {
    let t = s.trim_start_matches(['*', '_']);
    if !t.get(..6)?.eq_ignore_ascii_case("answer") {
        return None;
    }
    let u = t.get(6..)?.trim_start_matches(['*', '_']).strip_prefix(':')?;
    let v = u.trim_start_matches(['*', '_']).trim_start();
    Some(s.len() - v.len())
}

/// Removes template remarks from the end of a question text (single-spaced).
fn strip_trailing_remarks(text: &str) -> &str {
    let mut core = text;
    loop {
        let before = core.len();
        for remark in TEMPLATE_REMARKS {
            if let Some(rest) = core.strip_suffix(remark) {
                if rest.ends_with(' ') {
                    core = rest.trim_end();
                }
            }
        }
        if core.len() == before {
            return core;
        }
    }
}

/// The whitespace-separated words of the text between `start` and `end`, as file ranges.
fn words(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let s = slice(text, start, end);
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), word) {
            (true, Some(w)) => {
                out.push((start + w, start + i));
                word = None;
            }
            (false, None) => word = Some(i),
            _ => {}
        }
    }
    if let Some(w) = word {
        out.push((start + w, start + s.len()));
    }
    out
}

fn join_ranges(text: &str, ranges: &[(usize, usize)]) -> String {
    let parts: Vec<&str> =
        ranges.iter().map(|&(s, e)| slice(text, s, e).trim()).filter(|p| !p.is_empty()).collect();
    parts.join(" ")
}

/// Splits a bullet's block into question and answer and stores them on the item.
fn finish(text: &str, doc: &mut Doc, text_spans: &mut [Span], block: Option<(usize, Vec<Piece>)>) {
    let Some((index, pieces)) = block else {
        return;
    };
    let mut prompt: Vec<(usize, usize)> = Vec::new();
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    let mut after_question_mark = false;
    let mut next = 0;
    let mut so_far = String::new();
    let longest = TEMPLATE_STATEMENTS.iter().map(|s| s.len()).max().unwrap_or(0);
    for (i, piece) in pieces.iter().enumerate() {
        let line = slice(text, piece.start, piece.end);
        let continues = piece.kind == PieceKind::Bullet
            || (piece.kind == PieceKind::Text && answer_marker(line).is_none());
        if !continues {
            break;
        }
        next = i + 1;
        if let Some((cut, question_mark)) = find_terminator(line) {
            prompt.push((piece.start, piece.start + cut));
            let rest = line.get(cut..).unwrap_or("");
            let rest_start = piece.start + cut + (rest.len() - rest.trim_start().len());
            if rest_start < piece.end {
                candidates.push((rest_start, piece.end));
            }
            after_question_mark = question_mark;
            break;
        }
        prompt.push((piece.start, piece.end));
        // The prompt so far with its whitespace collapsed, grown a line at a time; once it is
        // longer than every template statement it cannot become one and stops growing.
        if so_far.len() <= longest {
            let part = collapse_ws(line.trim());
            if !part.is_empty() {
                if !so_far.is_empty() {
                    so_far.push(' ');
                }
                so_far.push_str(&part);
            }
            if TEMPLATE_STATEMENTS.iter().any(|s| s.eq_ignore_ascii_case(&so_far)) {
                break;
            }
        }
    }
    for piece in pieces.get(next..).unwrap_or(&[]) {
        if piece.kind != PieceKind::Break && piece.start < piece.end {
            candidates.push((piece.start, piece.end));
        }
    }
    if after_question_mark {
        move_remarks_to_prompt(text, &mut prompt, &mut candidates);
    }

    let mut answer: Vec<(usize, usize)> = Vec::new();
    for (start, end) in candidates {
        let line = slice(text, start, end);
        let skip = answer_marker(line).unwrap_or(0);
        let (s, e) = trimmed_range(line.get(skip..).unwrap_or(""), start + skip);
        if s < e {
            answer.push((s, e));
        }
    }
    let Some(item) = doc.items.get_mut(index) else {
        return;
    };
    item.text = collapse_ws(&join_ranges(text, &prompt));
    if let (Some(span), Some(&(_, end))) = (text_spans.get_mut(index), prompt.iter().max_by_key(|r| r.1)) {
        *span = span.cover(Span::new(end, end));
    }
    if let (Some(&(first, _)), Some(&(_, last))) = (answer.first(), answer.last()) {
        item.answer = Some(join_ranges(text, &answer));
        item.answer_span = Some(Span::new(first, last));
    }
}

/// Moves template remarks at the start of the answer candidates into the question.
fn move_remarks_to_prompt(
    text: &str,
    prompt: &mut Vec<(usize, usize)>,
    candidates: &mut Vec<(usize, usize)>,
) {
    let all: Vec<(usize, usize)> = candidates.iter().flat_map(|&(s, e)| words(text, s, e)).collect();
    let mut taken = 0;
    loop {
        let before = taken;
        for remark in TEMPLATE_REMARKS {
            let want: Vec<&str> = remark.split_whitespace().collect();
            let have = all.get(taken..taken + want.len());
            if have.is_some_and(|h| h.iter().zip(&want).all(|(&(s, e), w)| slice(text, s, e) == *w)) {
                taken += want.len();
            }
        }
        if taken == before {
            break;
        }
    }
    if taken == 0 {
        return;
    }
    prompt.extend(all.iter().take(taken).copied());
    let Some(&(resume, _)) = all.get(taken) else {
        candidates.clear();
        return;
    };
    candidates.retain(|&(_, e)| e > resume);
    if let Some(first) = candidates.first_mut() {
        first.0 = first.0.max(resume);
    }
}

/// Rule 4: a question's sub-bullets that ask nothing (and have no question under them) answer it.
fn answer_from_sub_bullets(doc: &mut Doc, text_spans: &[Span]) {
    let n = doc.items.len();
    let question: Vec<bool> = doc.items.iter().map(Item::is_question).collect();
    let mut asks_below = vec![false; n];
    for i in (0..n).rev() {
        let below = asks_below.get(i).copied().unwrap_or(false) || question.get(i).copied().unwrap_or(false);
        if let Some(p) = doc.items.get(i).and_then(|it| it.parent) {
            if let Some(flag) = asks_below.get_mut(p) {
                *flag |= below;
            }
        }
    }
    let mut additions: Vec<(usize, String, Span)> = Vec::new();
    for (i, item) in doc.items.iter().enumerate() {
        let Some(p) = item.parent else { continue };
        let is_answer = !question.get(i).copied().unwrap_or(true)
            && !asks_below.get(i).copied().unwrap_or(true)
            && question.get(p).copied().unwrap_or(false);
        if !is_answer {
            continue;
        }
        let words: Vec<&str> = [Some(item.text.as_str()), item.answer.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let whole = text_spans.get(i).map_or(item.span, |t| t.cover(item.span));
        let span = item.answer_span.map_or(whole, |a| whole.cover(a));
        additions.push((p, words.join(" "), span));
    }
    for (p, add, span) in additions {
        let Some(parent) = doc.items.get_mut(p) else { continue };
        // Appended in place: a parent with thousands of sub-bullets is not copied for each.
        match &mut parent.answer {
            Some(existing) => {
                existing.push(' ');
                existing.push_str(&add);
            }
            None => parent.answer = Some(add),
        }
        parent.answer_span = Some(parent.answer_span.map_or(span, |a| a.cover(span)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The appliance template, verbatim (installer/docs/INTEGRATION.md).
    const TEMPLATE: &str = r##"<!-- The appliance's Component Integration Documentation template, verbatim from vmware/vic-product installer/docs/INTEGRATION.md at 732adf05c (Apache-2.0). Requirement CI-3: every component keeps a filled-in copy of it. -->
# VIC Appliance Component Integration Documentation

The responses to the considerations in this document will serve as the interface between the VIC
appliance and each component it includes. 

The key words "MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT",
"RECOMMENDED",  "MAY", and "OPTIONAL" in this document are to be interpreted as described in [RFC
2119](https://tools.ietf.org/html/rfc2119).

Each component MUST document and maintain a current copy of [Component
Inclusion](#component-inclusion) in `vic-product/installer/docs/integration`. Before the interface
is modified, the component team MUST coordinate with the VIC appliance team to agree on integration.

## Component Inclusion

### Component Requirements
- What is the component's naming scheme for development and release builds?

- What is the component's versioning scheme for development and release builds?

- What is the Docker container or Docker Compose application that will be included in the appliance?

    - Release versions MUST be retained. Where will previously released versions be stored? 

- Aside from the primary component, are there other dependencies maintained by the component team
  that need to be included in the VIC appliance? 

    - How are these delivered?
    - Consider a branching strategy for ongoing development on master while maintaining versions
      included with previous release versions
        - Release versions MUST be retained. Where will previously released versions be stored?
        - How will the component team notify the VIC appliance team to pull in a new version?
        - How are these dependencies versioned? 

- Does the component need a separate disk? (such as `/storage/db`)
    - What is the default size in GB?

- Describe the requirements the platform must provide for the component
    - Examples: OS packages, certificates, token files, configuration
    - Specify the location the component expects any dependencies to be on the filesystem:

### Runtime
- What configuration must be present for the service to start?

    - The canonical method for providing configuration to a Docker Compose application is through
      environment variables: https://docs.docker.com/compose/environment-variables/#the-env-file
        - Will the component use the default `.env` file? https://docs.docker.com/compose/env-file/
            - If not, specify the environment file:
        - What default values will the VIC appliance need to override?

- What volumes need to be mounted to the container or application? The number of volumes should be
  minimized.

- Specify networking requirements
    - External networking:
    - Will the component connect to the appliance's `vic-appliance` network?
      https://docs.docker.com/compose/networking/#use-a-pre-existing-network

- Does the component require any other components to be running before it starts?

- Are there any steps that need to be performed before starting the component?

- Should a script be run before starting the component? This should be avoided if possible.

- How do you start the component?

- How do you stop the component?

- Are there any steps that need to be performed after the component stops?

- Are there any additional runtime requirements?

### Continuous Integration
- Link to .drone.yml that triggers downstream `vic-product` build:

- Where will the VIC appliance build obtain component artifacts?

    - Link to bucket that will contain development builds:
    - Link to bucket that will contain tagged builds for releases (including release candidates):
    - How will the VIC appliance build recognize what artifact to pick up?
        - Will there be other artifacts in the bucket? If so, component team MUST guarantee that the
          value provided above will identify the correct artifact 

### Appliance Upgrade
- Does the component specific upgrade script meet the requirements of the design doc?
  https://github.com/vmware/vic-product/blob/master/installer/docs/DESIGN.md#upgrade-requirements

- How does the VIC appliance team know when a change needs to be made to the component specific
  upgrade script? (This question is about the responsibility for the component upgrade script)

    - Should the upgrade script be in component repo? As a container?
    - How will the upgrade script be versioned?

- How are configuration changes handled during upgrade?

- Are there additional upgrade requirements?

    
## Additional Information

- [VIC Appliance Design
  Document](https://github.com/vmware/vic-product/blob/master/installer/docs/DESIGN.md)
"##;

    fn find<'a>(doc: &'a Doc, prefix: &str) -> &'a Item {
        doc.items.iter().find(|i| i.text.starts_with(prefix)).unwrap_or_else(|| panic!("no item `{prefix}`"))
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn template_has_no_answers() {
        let doc = parse(TEMPLATE);
        assert!(follows_template(&doc));
        let heads: Vec<_> = doc.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(
            heads,
            [
                (1, "VIC Appliance Component Integration Documentation"),
                (2, "Component Inclusion"),
                (3, "Component Requirements"),
                (3, "Runtime"),
                (3, "Continuous Integration"),
                (3, "Appliance Upgrade"),
                (2, "Additional Information"),
            ]
        );
        let answered: Vec<_> = doc
            .items
            .iter()
            .filter(|i| i.answer.is_some())
            .map(|i| (i.text.as_str(), i.answer.clone()))
            .collect();
        assert_eq!(
            answered,
            [
                ("Examples:", Some("OS packages, certificates, token files, configuration".to_string())),
                (
                    "The canonical method for providing configuration to a Docker Compose application is \
                     through environment variables:",
                    Some("https://docs.docker.com/compose/environment-variables/#the-env-file".to_string())
                ),
            ]
        );
        let questions = doc.items.iter().filter(|i| i.is_question()).count();
        assert_eq!(questions, 40);
        let not_questions: Vec<_> =
            doc.items.iter().filter(|i| !i.is_question()).map(|i| i.text.as_str()).collect();
        assert_eq!(
            not_questions,
            [
                "Consider a branching strategy for ongoing development on master while maintaining versions \
                 included with previous release versions",
                "Describe the requirements the platform must provide for the component",
                "Specify networking requirements",
                "[VIC Appliance Design Document](https://github.com/vmware/vic-product/blob/master/installer/docs/DESIGN.md)",
            ]
        );
        // Remarks stay with their question.
        assert_eq!(
            find(&doc, "Does the component need a separate disk?").text,
            "Does the component need a separate disk? (such as `/storage/db`)"
        );
        let volumes = find(&doc, "What volumes");
        assert_eq!(
            volumes.text,
            "What volumes need to be mounted to the container or application? The number of volumes should be \
             minimized."
        );
        assert!(volumes.is_question());
        let artifacts = find(&doc, "Will there be other artifacts");
        assert!(artifacts.is_question());
        assert_eq!(artifacts.question(), "Will there be other artifacts in the bucket?");
        assert_eq!(volumes.question(), "What volumes need to be mounted to the container or application?");
        assert_eq!(artifacts.depth, 2);
        assert_eq!(find(&doc, "Aside from the primary component").text,
            "Aside from the primary component, are there other dependencies maintained by the component team \
             that need to be included in the VIC appliance?");
        assert_eq!(
            find(&doc, "Should the upgrade script").text,
            "Should the upgrade script be in component repo? As a container?"
        );
    }

    #[test]
    fn template_structure() {
        let doc = parse(TEMPLATE);
        let sections: Vec<_> = doc.headings.iter().map(|h| h.text.as_str()).collect();
        for item in &doc.items {
            let span = at(TEMPLATE, item.span);
            assert!(span.starts_with("- "), "{span:?}");
            assert!(!span.contains('\n'));
            if let Some(p) = item.parent {
                assert_eq!(doc.items[p].depth + 1, item.depth);
            } else {
                assert_eq!(item.depth, 0);
            }
        }
        let delivered = find(&doc, "How are these delivered?");
        let aside = delivered.parent.unwrap();
        assert!(doc.items[aside].text.starts_with("Aside from"));
        assert_eq!(sections[delivered.section.unwrap()], "Component Requirements");
        let env_file = find(&doc, "If not, specify the environment file:");
        assert_eq!(env_file.depth, 3);
        let default_values = find(&doc, "What default values");
        assert_eq!(default_values.depth, 2);
        assert_eq!(doc.items[default_values.parent.unwrap()].text.split(' ').next(), Some("The"));
        let link = doc.items.last().unwrap();
        assert_eq!(sections[link.section.unwrap()], "Additional Information");
        assert_eq!(doc.section_of(link).unwrap().level, 2);
        assert_eq!(doc.children(aside).count(), 2);
    }

    /// Every question of the template answered, in every style a component might use.
    const FILLED: &str = "\
# VIC Appliance Component Integration Documentation

## Admiral

### Component Requirements
- What is the component's naming scheme for development and release builds?
  `admiral:dev-<build>` for development builds, `admiral:vX.Y.Z` for releases
- What is the component's versioning scheme for development and release builds?

  Semantic versions with the git tag; development builds add the drone build number.

- What is the Docker container or Docker Compose application that will be included in the appliance? `vmware/admiral`

    - Release versions MUST be retained. Where will previously released versions be stored?
      > Docker Hub, `vmware/admiral`
- Aside from the primary component, are there other dependencies maintained by the component team
  that need to be included in the VIC appliance?
  NO
- Does the component need a separate disk? (such as `/storage/db`)
    - YES, `/storage/db/admiral`
    - What is the default size in GB? 8
- Describe the requirements the platform must provide for the component
  A PSC token in `/etc/vmware/psc/admiral`
    - Examples: OS packages, certificates, token files, configuration
    - Specify the location the component expects any dependencies to be on the filesystem:
  `/etc/vmware/psc/admiral/tokens.properties`

### Runtime
- What configuration must be present for the service to start?
  **Answer:** `/storage/data/admiral/configs/config.properties`
- Specify networking requirements
    - External networking: port 8282/tcp
    - Will the component connect to the appliance's `vic-appliance` network?
      https://docs.docker.com/compose/networking/#use-a-pre-existing-network
      No, it uses the host network.
- Should a script be run before starting the component? This should be avoided if possible.
  Yes, `/etc/vmware/admiral/configure_admiral.sh`
- How do you start the component?

  ```
  systemctl start admiral
  ```
- How do you stop the component? systemctl stop admiral

### Continuous Integration
- Link to .drone.yml that triggers downstream `vic-product` build: https://github.com/vmware/admiral/blob/master/.drone.yml
    - Will there be other artifacts in the bucket? If so, component team MUST guarantee that the
      value provided above will identify the correct artifact
      NO

### Appliance Upgrade
- Does the component specific upgrade script meet the requirements of the design doc?
  https://github.com/vmware/vic-product/blob/master/installer/docs/DESIGN.md#upgrade-requirements
  > Yes.
  > It is run by `upgrade-admiral.sh`.
- How does the VIC appliance team know when a change needs to be made to the component specific
  upgrade script? (This question is about the responsibility for the component upgrade script)
  * The admiral team opens an issue in `vic-product`.
";

    #[test]
    fn filled_in_copy_is_answered() {
        let doc = parse(FILLED);
        assert!(follows_template(&doc));
        for item in doc.items.iter().filter(|i| i.is_question()) {
            assert!(item.answer.is_some(), "unanswered: {}", item.text);
            let written = at(FILLED, item.answer_span.unwrap());
            // Every answer word comes from the span (markers like `>` are stripped from the text).
            for word in item.answer.as_ref().unwrap().split_whitespace() {
                assert!(written.contains(word), "{word:?} not in {written:?}");
            }
        }
        let answer = |prefix: &str| find(&doc, prefix).answer.clone().unwrap();
        assert_eq!(
            answer("What is the component's naming"),
            "`admiral:dev-<build>` for development builds, `admiral:vX.Y.Z` for releases"
        );
        assert_eq!(
            answer("What is the component's versioning"),
            "Semantic versions with the git tag; development builds add the drone build number."
        );
        assert_eq!(answer("What is the Docker container"), "`vmware/admiral`");
        assert_eq!(answer("Release versions MUST"), "Docker Hub, `vmware/admiral`");
        assert_eq!(answer("What is the default size"), "8");
        assert_eq!(answer("Does the component need a separate disk?"), "YES, `/storage/db/admiral`");
        assert_eq!(answer("Describe the requirements"), "A PSC token in `/etc/vmware/psc/admiral`");
        assert_eq!(answer("Specify the location"), "`/etc/vmware/psc/admiral/tokens.properties`");
        assert_eq!(answer("What configuration must"), "`/storage/data/admiral/configs/config.properties`");
        assert_eq!(answer("External networking:"), "port 8282/tcp");
        assert_eq!(answer("Will the component connect"), "No, it uses the host network.");
        assert_eq!(answer("Should a script be run"), "Yes, `/etc/vmware/admiral/configure_admiral.sh`");
        assert_eq!(answer("How do you start"), "systemctl start admiral");
        assert_eq!(answer("How do you stop"), "systemctl stop admiral");
        assert_eq!(answer("Link to .drone.yml"), "https://github.com/vmware/admiral/blob/master/.drone.yml");
        assert_eq!(answer("Will there be other artifacts"), "NO");
        assert_eq!(answer("Does the component specific upgrade"), "Yes. It is run by `upgrade-admiral.sh`.");
        assert_eq!(
            answer("How does the VIC appliance team"),
            "The admiral team opens an issue in `vic-product`."
        );

        // Question texts match the template's.
        let template = parse(TEMPLATE);
        for prefix in
            ["Should a script be run", "Will there be other artifacts", "Does the component need a separate"]
        {
            assert_eq!(find(&doc, prefix).text, find(&template, prefix).text);
        }
    }

    #[test]
    fn no_answers_and_negative_answers() {
        let doc = parse(FILLED);
        let aside = find(&doc, "Aside from the primary component");
        assert_eq!(aside.answer.as_deref(), Some("NO"));
        assert!(aside.is_negative_answer());
        assert_eq!(at(FILLED, aside.answer_span.unwrap()), "NO");
        assert!(find(&doc, "Will the component connect").is_negative_answer());
        assert!(!find(&doc, "Does the component need a separate disk?").is_negative_answer());
        for text in ["N/A", "n/a - nothing to do", "None.", "`NO`"] {
            let doc = parse(&format!("- Q?\n  {text}\n"));
            assert!(doc.items[0].is_negative_answer(), "{text}");
        }
        let doc = parse("- Q?\n  Nope, notably\n");
        assert!(!doc.items[0].is_negative_answer());
    }

    #[test]
    fn answer_on_the_same_line() {
        let text =
            "- How do you start the component? systemctl start admiral\n- External networking: ports 443\n";
        let doc = parse(text);
        assert_eq!(doc.items[0].text, "How do you start the component?");
        assert_eq!(doc.items[0].answer.as_deref(), Some("systemctl start admiral"));
        assert_eq!(at(text, doc.items[0].answer_span.unwrap()), "systemctl start admiral");
        assert_eq!(at(text, doc.items[0].span), "- How do you start the component? systemctl start admiral");
        assert_eq!(doc.items[1].text, "External networking:");
        assert_eq!(doc.items[1].answer.as_deref(), Some("ports 443"));
        assert!(doc.items[1].is_question());
    }

    #[test]
    fn urls_and_code_do_not_end_a_question() {
        let doc = parse("- Where are builds? gs://bucket/x?y=1 `a: b? c`\n- See `x: y` here\n");
        assert_eq!(doc.items[0].answer.as_deref(), Some("gs://bucket/x?y=1 `a: b? c`"));
        assert_eq!(doc.items[1].text, "See `x: y` here");
        assert!(!doc.items[1].is_question());
        assert_eq!(doc.items[1].answer, None);
        let doc = parse("- **Port:** 443\n");
        assert_eq!(doc.items[0].text, "**Port:**");
        assert!(doc.items[0].is_question());
        assert_eq!(doc.items[0].answer.as_deref(), Some("443"));
    }

    #[test]
    fn paragraph_answers_and_spans() {
        let text = "## Runtime\r\n- How do you stop the component?\r\n\r\n  Run `docker stop admiral`\r\n  and wait.\r\n\r\n- Next?\r\n";
        let doc = parse(text);
        let item = &doc.items[0];
        assert_eq!(item.answer.as_deref(), Some("Run `docker stop admiral` and wait."));
        assert_eq!(at(text, item.answer_span.unwrap()), "Run `docker stop admiral`\r\n  and wait.");
        assert_eq!(at(text, item.span), "- How do you stop the component?");
        assert_eq!(at(text, doc.headings[0].span), "## Runtime");
        assert_eq!(doc.items[1].answer, None);
        assert_eq!(doc.items[1].section, Some(0));
    }

    #[test]
    fn sub_bullet_answers() {
        let text = "- Does it need a separate disk?\n  - YES, /storage/db\n  - 10 GB\n- Does it need more?\n  - Which?\n";
        let doc = parse(text);
        assert_eq!(doc.items[0].answer.as_deref(), Some("YES, /storage/db 10 GB"));
        assert_eq!(at(text, doc.items[0].answer_span.unwrap()), "- YES, /storage/db\n  - 10 GB");
        assert_eq!(doc.items[1].depth, 1);
        assert_eq!(doc.items[1].parent, Some(0));
        // A question under a question is not its answer.
        let text = "- Q?\n  - first line\n    goes on\n";
        let doc = parse(text);
        assert_eq!(doc.items[0].answer.as_deref(), Some("first line goes on"));
        assert_eq!(at(text, doc.items[0].answer_span.unwrap()), "- first line\n    goes on");
        let text = "- Does it need a separate disk?\n  - YES, /storage/db\n  - 10 GB\n- Does it need more?\n  - Which?\n";
        let doc = parse(text);
        assert_eq!(doc.items[3].answer, None);
        assert_eq!(doc.items[4].answer, None);
    }

    #[test]
    fn quotes_and_answer_markers() {
        let text = "- Q one?\n> > quoted answer\n- Q two?\n  __answer__: marked\n- Describe it\n  **Answer:** described\n- Q three?\n  **Answer:**\n";
        let doc = parse(text);
        assert_eq!(doc.items[0].answer.as_deref(), Some("quoted answer"));
        assert_eq!(at(text, doc.items[0].answer_span.unwrap()), "quoted answer");
        assert_eq!(doc.items[1].answer.as_deref(), Some("marked"));
        assert_eq!(doc.items[2].text, "Describe it");
        assert_eq!(doc.items[2].answer.as_deref(), Some("described"));
        assert_eq!(doc.items[3].answer, None);
    }

    #[test]
    fn code_fences_and_comments() {
        let text = "\
<!-- - not a bullet
# not a heading -->
# Title <!-- inline -->
- Q?
  ```sh
  - not a bullet
  # not a heading
  ```
- After? <!-- placeholder -->
~~~
- unclosed fence
";
        let doc = parse(text);
        assert_eq!(doc.headings.len(), 1);
        assert_eq!(doc.headings[0].text, "Title");
        assert_eq!(doc.items.len(), 2);
        assert_eq!(doc.items[0].answer.as_deref(), Some("- not a bullet # not a heading"));
        assert_eq!(doc.items[1].text, "After?");
        assert_eq!(doc.items[1].answer.as_deref(), Some("- unclosed fence"));
    }

    #[test]
    fn bullets_markers_tabs_and_depth() {
        let text = "* a\n\t+ b\n\t\t- c\n  1. d\n- e\n - f\n---\n";
        let doc = parse(text);
        let shape: Vec<_> = doc.items.iter().map(|i| (i.text.as_str(), i.depth, i.parent)).collect();
        assert_eq!(
            shape,
            [
                ("a", 0, None),
                ("b", 1, Some(0)),
                ("c", 2, Some(1)),
                ("d", 1, Some(0)),
                ("e", 0, None),
                ("f", 0, None),
            ]
        );
        // `*emphasis*`, `-1` and `#tag` are text.
        let doc = parse("- Q?\n*emphasis*\n-1\n#tag\n");
        assert_eq!(doc.items.len(), 1);
        assert!(doc.headings.is_empty());
        assert_eq!(doc.items[0].answer.as_deref(), Some("*emphasis* -1 #tag"));
    }

    #[test]
    fn heading_closing_hashes_and_levels() {
        let doc = parse("### Runtime ###\n####### seven\n#\n");
        assert_eq!(doc.headings.len(), 2);
        assert_eq!(doc.headings[0].text, "Runtime");
        assert_eq!(doc.headings[0].level, 3);
        assert_eq!(doc.headings[1].text, "");
    }

    #[test]
    fn follows_template_by_sections() {
        assert!(follows_template(&parse("## component inclusion\n")));
        assert!(follows_template(&parse("### Runtime\n### Continuous Integration\n### Appliance Upgrade\n")));
        assert!(!follows_template(&parse("### Runtime\n### Appliance Upgrade\n- x?\n")));
        assert!(!follows_template(&parse("")));
    }

    #[test]
    fn empty_bullets_and_hostile_input() {
        for text in [
            "",
            "-",
            "- ",
            "-\n  What?\n  yes",
            "<!--",
            "```",
            "#",
            "\u{feff}# Ü\n- é? ü\n",
            "- a?\u{2003}b\n",
            "> x\n- \u{2003}\n",
            "- `unclosed? code\n",
            "\t\t\t-\t\u{feff}x",
            "10. x\n1234567890. y",
            "- ?\n- :",
        ] {
            let doc = parse(text);
            for item in &doc.items {
                let _ = at(text, item.span);
                if let Some(s) = item.answer_span {
                    let _ = at(text, s);
                }
            }
            for h in &doc.headings {
                let _ = at(text, h.span);
            }
        }
        let doc = parse("-\n  What?\n  yes");
        assert_eq!(doc.items[0].text, "What?");
        assert_eq!(doc.items[0].answer.as_deref(), Some("yes"));
        assert_eq!(parse("- ?\n").items[0].text, "?");
    }
}
