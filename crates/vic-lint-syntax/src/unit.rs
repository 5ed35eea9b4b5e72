//! systemd unit files: a spanned parser that follows systemd's own reading rules, and the
//! effective view of a unit with its drop-ins.

use crate::source::FileId;
use crate::span::Span;
use crate::text::{is_systemd_space, SpannedText};

/// systemd refuses logical lines longer than this (LONG_LINE_MAX).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

#[derive(Debug, Default)]
pub struct UnitFile {
    pub sections: Vec<Section>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Debug)]
pub struct Section {
    pub name: String,
    /// The name inside the brackets.
    pub name_span: Span,
    pub entries: Vec<Entry>,
}

#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    /// The value after `=`, trimmed, with continuation lines joined as systemd joins them.
    pub value: SpannedText,
    /// From the first character of the key to the end of the value.
    pub span: Span,
}

impl Entry {
    /// An empty assignment (`Requires=`) resets a list setting.
    pub fn is_reset(&self) -> bool {
        self.value.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl UnitFile {
    pub fn sections<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Section> + 'a {
        self.sections.iter().filter(move |s| s.name == name)
    }

    pub fn entries<'a>(&'a self, section: &'a str, key: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.sections(section).flat_map(|s| s.entries.iter()).filter(move |e| e.key == key)
    }
}

/// Parses a unit file (or drop-in) the way systemd's config parser reads it.
pub fn parse(text: &str) -> UnitFile {
    let mut out = UnitFile::default();
    let mut logical: Option<SpannedText> = None;
    let mut in_invalid = false;
    let mut offset = 0usize;
    if text.starts_with('\u{feff}') {
        offset = '\u{feff}'.len_utf8();
    }
    while offset < text.len() {
        let line_start = offset;
        let (line, eol, next) = next_line(text, offset);
        offset = next;

        // Comment lines are skipped even in the middle of a continuation, as systemd does.
        if line.trim_start_matches(is_systemd_space).starts_with(['#', ';']) {
            continue;
        }
        let mut current = logical.take().unwrap_or_default();
        if current.len() + line.len() > MAX_LINE_BYTES {
            let start = current.span().start as usize;
            let start = if current.is_empty() { line_start } else { start };
            out.errors.push(SyntaxError {
                span: Span::new(start, line_start + line.len()),
                message: format!("line longer than {MAX_LINE_BYTES} bytes; systemd ignores it"),
                help: Some("split the setting over several lines or assignments".into()),
            });
            // Skip the rest of a continued line too.
            if !ends_with_unescaped_backslash(line) {
                continue;
            }
            logical = None;
            skip_continuation(text, &mut offset);
            continue;
        }
        if ends_with_unescaped_backslash(line) {
            let body = &line[..line.len() - 1];
            current.push_verbatim(body, line_start);
            // The backslash and the line break read as one space.
            let bs = line_start + body.len();
            current.push_mapped(" ", Span::new(bs, (bs + 1 + eol).min(text.len())));
            logical = Some(current);
            continue;
        }
        current.push_verbatim(line, line_start);
        parse_logical(&current, &mut out, &mut in_invalid);
    }
    if let Some(rest) = logical {
        // A file ending in a backslash: systemd parses what it has.
        parse_logical(&rest, &mut out, &mut in_invalid);
    }
    out
}

/// The line at `offset` without its terminator, the terminator's length, and the next offset.
/// systemd ends a line at `\n`, `\r\n` or a lone `\r`.
fn next_line(text: &str, offset: usize) -> (&str, usize, usize) {
    let rest = text.get(offset..).unwrap_or("");
    match rest.find(['\n', '\r']) {
        Some(i) => {
            let eol = if rest.get(i..).is_some_and(|r| r.starts_with("\r\n")) { 2 } else { 1 };
            (rest.get(..i).unwrap_or(""), eol, offset + i + eol)
        }
        None => (rest, 0, text.len()),
    }
}

fn skip_continuation(text: &str, offset: &mut usize) {
    while *offset < text.len() {
        let (line, _, next) = next_line(text, *offset);
        *offset = next;
        if !ends_with_unescaped_backslash(line) {
            break;
        }
    }
}

fn ends_with_unescaped_backslash(line: &str) -> bool {
    let trailing = line.bytes().rev().take_while(|b| *b == b'\\').count();
    trailing % 2 == 1
}

/// Characters systemd refuses in a section name ("Bad characters in section header").
fn bad_section_char(c: char) -> bool {
    c.is_control() || matches!(c, '"' | '\'' | '\\' | '[' | ']')
}

fn parse_logical(line: &SpannedText, out: &mut UnitFile, in_invalid: &mut bool) {
    let line = line.trim();
    let text = line.as_str();
    if text.is_empty() {
        return;
    }
    if text.starts_with('[') {
        // Settings under a header systemd rejects go nowhere, not to the previous section.
        *in_invalid = true;
        if !text.ends_with(']') || text.len() < 2 {
            out.errors.push(SyntaxError {
                span: line.span(),
                message: "invalid section header".into(),
                help: Some("a section header is a name in brackets, like `[Unit]`".into()),
            });
            return;
        }
        let name = &text[1..text.len() - 1];
        if name.is_empty() || name.contains(bad_section_char) {
            out.errors.push(SyntaxError {
                span: line.span(),
                message: format!("invalid section name `{name}`"),
                help: Some("a section header is a name in brackets, like `[Unit]`".into()),
            });
            return;
        }
        *in_invalid = false;
        out.sections.push(Section {
            name: name.to_string(),
            name_span: line.span_of(1..text.len() - 1),
            entries: Vec::new(),
        });
        return;
    }
    if text.starts_with(".include") {
        out.errors.push(SyntaxError {
            span: line.span(),
            message: "`.include` is no longer supported by systemd".into(),
            help: Some("use a drop-in directory (`<unit>.d/*.conf`) instead".into()),
        });
        return;
    }
    let Some(eq) = text.find('=') else {
        out.errors.push(SyntaxError {
            span: line.span(),
            message: "missing `=`: systemd ignores this line".into(),
            help: Some("settings are written `Key=value`".into()),
        });
        return;
    };
    let key_raw = &text[..eq];
    let key = key_raw.trim_end_matches(is_systemd_space);
    if key.is_empty() {
        out.errors.push(SyntaxError {
            span: line.span_of(0..eq + 1),
            message: "missing key before `=`".into(),
            help: Some("settings are written `Key=value`".into()),
        });
        return;
    }
    let after_eq = text.get(eq + 1..).unwrap_or("");
    let value_start = eq + 1 + (after_eq.len() - after_eq.trim_start_matches(is_systemd_space).len());
    let value = line.slice(value_start..text.len());
    let entry =
        Entry { key: key.to_string(), key_span: line.span_of(0..key.len()), span: line.span(), value };
    if *in_invalid {
        return;
    }
    match out.sections.last_mut() {
        Some(section) => section.entries.push(entry),
        None => out.errors.push(SyntaxError {
            span: entry.key_span,
            message: format!("`{}` is outside any section: systemd ignores it", entry.key),
            help: Some("put settings under a section header such as `[Unit]` or `[Service]`".into()),
        }),
    }
}

/// A value together with the file it came from.
#[derive(Clone, Copy, Debug)]
pub struct Assigned<'a> {
    pub file: FileId,
    pub entry: &'a Entry,
}

#[derive(Debug, Default)]
pub struct KeyState<'a> {
    /// The values in effect, in the order systemd applies them.
    pub values: Vec<Assigned<'a>>,
    /// The last empty assignment, if any.
    pub reset: Option<Assigned<'a>>,
    /// Values that the last reset cleared.
    pub cleared: Vec<Assigned<'a>>,
}

/// A unit as systemd sees it: the main file, then each drop-in in lexical order.
#[derive(Debug, Default)]
pub struct EffectiveUnit<'a> {
    keys: Vec<(&'a str, &'a str, KeyState<'a>)>,
    /// Where each (section, key) is in `keys`: a hostile unit has hundreds of thousands.
    index: std::collections::HashMap<(&'a str, &'a str), usize>,
    sections: Vec<(&'a str, FileId, Span)>,
}

impl<'a> EffectiveUnit<'a> {
    /// `files` is the main unit first, then its drop-ins already sorted by file name.
    pub fn merge(files: &[(FileId, &'a UnitFile)]) -> EffectiveUnit<'a> {
        let mut unit = EffectiveUnit::default();
        for (file, parsed) in files {
            for section in &parsed.sections {
                unit.sections.push((section.name.as_str(), *file, section.name_span));
                for entry in &section.entries {
                    let state = unit.state_mut(&section.name, &entry.key);
                    let assigned = Assigned { file: *file, entry };
                    if entry.is_reset() {
                        state.cleared = std::mem::take(&mut state.values);
                        state.reset = Some(assigned);
                    } else {
                        state.values.push(assigned);
                    }
                }
            }
        }
        unit
    }

    fn state_mut(&mut self, section: &'a str, key: &'a str) -> &mut KeyState<'a> {
        let next = self.keys.len();
        let at = *self.index.entry((section, key)).or_insert(next);
        if at == next {
            self.keys.push((section, key, KeyState::default()));
        }
        // `at` is in range: it is either an earlier index or the key just pushed.
        &mut self.keys[at].2
    }

    pub fn state(&self, section: &str, key: &str) -> Option<&KeyState<'a>> {
        self.index.get(&(section, key)).and_then(|i| self.keys.get(*i)).map(|(_, _, st)| st)
    }

    /// The values in effect for a key, in order.
    pub fn values(&self, section: &str, key: &str) -> &[Assigned<'a>] {
        self.state(section, key).map_or(&[], |s| s.values.as_slice())
    }

    /// The last value, which wins for single-valued settings.
    pub fn last(&self, section: &str, key: &str) -> Option<Assigned<'a>> {
        self.values(section, key).last().copied()
    }

    /// Each whitespace-separated item of a list setting, with where it came from.
    pub fn items(&self, section: &str, key: &str) -> Vec<(&'a str, FileId, Span)> {
        self.values(section, key)
            .iter()
            .flat_map(|a| a.entry.value.words().into_iter().map(move |(w, s)| (w, a.file, s)))
            .collect()
    }

    pub fn has_section(&self, name: &str) -> bool {
        self.sections.iter().any(|(n, _, _)| *n == name)
    }

    /// Where a section header first appears.
    pub fn section_span(&self, name: &str) -> Option<(FileId, Span)> {
        self.sections.iter().find(|(n, _, _)| *n == name).map(|(_, f, s)| (*f, *s))
    }

    /// The first section header of the main file, for findings about a missing section.
    pub fn first_section_span(&self) -> Option<(FileId, Span)> {
        self.sections.first().map(|(_, f, s)| (*f, *s))
    }

    /// Every assignment in effect, in file order, for rules that look at all `Exec*=` lines.
    pub fn assignments(&self, section: &str) -> Vec<(&'a str, Assigned<'a>)> {
        let mut all: Vec<(&'a str, Assigned<'a>)> = self
            .keys
            .iter()
            .filter(|(s, _, _)| *s == section)
            .flat_map(|(_, k, st)| st.values.iter().map(move |a| (*k, *a)))
            .collect();
        all.sort_by_key(|(_, a)| (a.file, a.entry.span.start));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_texts(u: &UnitFile) -> Vec<(String, String, String)> {
        u.sections
            .iter()
            .flat_map(|s| {
                s.entries.iter().map(|e| (s.name.clone(), e.key.clone(), e.value.as_str().to_string()))
            })
            .collect()
    }

    #[test]
    fn sections_keys_comments() {
        let src =
            "# c\n[Unit]\n; c2\nDescription = Hello world \nRequires=a b\n\n[Service]\nExecStart=/bin/true\n";
        let u = parse(src);
        assert!(u.errors.is_empty(), "{:?}", u.errors);
        assert_eq!(
            entry_texts(&u),
            vec![
                ("Unit".into(), "Description".into(), "Hello world".into()),
                ("Unit".into(), "Requires".into(), "a b".into()),
                ("Service".into(), "ExecStart".into(), "/bin/true".into()),
            ]
        );
        let e = u.entries("Unit", "Description").next().unwrap();
        assert_eq!(&src[e.key_span.range()], "Description");
        assert_eq!(&src[e.value.span().range()], "Hello world");
        let s = &u.sections[0];
        assert_eq!(&src[s.name_span.range()], "Unit");
    }

    #[test]
    fn continuation_joins_and_skips_comment_lines() {
        let src = "[Service]\nExecStart=/usr/bin/docker run \\\n# a comment inside\n  --rm \\\n  img:1\n";
        let u = parse(src);
        assert!(u.errors.is_empty());
        let e = u.entries("Service", "ExecStart").next().unwrap();
        assert_eq!(e.value.as_str(), "/usr/bin/docker run    --rm    img:1");
        let words = e.value.words();
        let img = words.last().unwrap();
        assert_eq!(img.0, "img:1");
        assert_eq!(&src[img.1.range()], "img:1");
        let rm = words[2];
        assert_eq!(&src[rm.1.range()], "--rm");
    }

    #[test]
    fn escaped_backslash_is_not_a_continuation() {
        let u = parse("[S]\nA=x\\\\\nB=y\n");
        assert_eq!(u.entries("S", "A").next().unwrap().value.as_str(), "x\\\\");
        assert!(u.entries("S", "B").next().is_some());
    }

    #[test]
    fn crlf_and_bom() {
        let src = "\u{feff}[Unit]\r\nA=b\r\n";
        let u = parse(src);
        assert!(u.errors.is_empty());
        let e = u.entries("Unit", "A").next().unwrap();
        assert_eq!(e.value.as_str(), "b");
        assert_eq!(&src[e.value.span().range()], "b");
    }

    #[test]
    fn errors_have_spans() {
        let src = "A=outside\n[Unit\n[Unit]\nnoequals\n=novalue\n.include /x\n";
        let u = parse(src);
        let msgs: Vec<_> = u.errors.iter().map(|e| (&src[e.span.range()], e.message.as_str())).collect();
        assert_eq!(msgs.len(), 5, "{msgs:?}");
        assert_eq!(msgs[0].0, "A");
        assert_eq!(msgs[1].0, "[Unit");
        assert_eq!(msgs[2].0, "noequals");
        assert_eq!(msgs[3].0, "=");
        assert_eq!(msgs[4].0, ".include /x");
    }

    #[test]
    fn long_line_is_an_error_not_a_panic() {
        let src = format!("[Unit]\nA={}\nB=c\n", "x".repeat(MAX_LINE_BYTES + 10));
        let u = parse(&src);
        assert_eq!(u.errors.len(), 1);
        assert!(u.entries("Unit", "B").next().is_some());
    }

    #[test]
    fn dropin_reset_clears_and_is_remembered() {
        let main = parse("[Unit]\nRequires=a.target b.service\nAfter=a.target\n");
        let drop = parse("[Unit]\nRequires=\nRequires=c.service\n");
        let eff = EffectiveUnit::merge(&[(FileId(0), &main), (FileId(1), &drop)]);
        let items: Vec<_> = eff.items("Unit", "Requires").into_iter().map(|(w, f, _)| (w, f)).collect();
        assert_eq!(items, vec![("c.service", FileId(1))]);
        let st = eff.state("Unit", "Requires").unwrap();
        assert_eq!(st.reset.unwrap().file, FileId(1));
        assert_eq!(st.cleared.len(), 1);
        assert_eq!(eff.items("Unit", "After").len(), 1);
    }
}
