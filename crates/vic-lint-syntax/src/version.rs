//! The appliance version file (`/etc/vmware/version`, copied to `/storage/data/version`).
//!
//! One `name=value` line per component:
//!
//! ```text
//! appliance=v1.2.0-rc1-118-ge50b7b1
//! harbor=harbor-offline-installer-v1.2.0.tgz
//! admiral=vmware/admiral:vic_v1.2.1 1fa8a0f5ec6d
//! ```
//!
//! A value is either one word (a version, an artifact file name) or an image reference followed
//! by its image ID (`repository[:tag] <image id>`). Blank lines and lines starting with `#` are
//! skipped. Every name and value keeps its byte span in the file; whitespace around either is not
//! part of it. The parser never fails: what it cannot read becomes a [`VersionError`] and the rest
//! of the file is still read.

use crate::span::Span;
use std::collections::HashMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionFile {
    /// One entry per component, in file order. A repeated name keeps only its first line.
    pub entries: Vec<VersionEntry>,
    pub errors: Vec<VersionError>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionEntry {
    pub name: String,
    pub name_span: Span,
    /// The value after `=`, trimmed; `value == text[value_span]`.
    pub value: String,
    pub value_span: Span,
    /// The whole line, without the line break.
    pub line_span: Span,
    /// Set when the value looks like an image reference (see [`looks_like_image`]).
    pub image: Option<ImageRef>,
}

/// `repository[:tag][@digest] [<image id>]`, as written in a version file value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    /// Everything before the tag (or digest): `gcr.io/project/name`, `host:5000/name`.
    pub repository: String,
    pub repository_span: Span,
    /// The text after the last `:` that follows the last `/` of the reference (so a registry
    /// port is never a tag). `None` when there is no tag, or when it is empty (`repo:`).
    pub tag: Option<String>,
    pub tag_span: Option<Span>,
    /// The text after `@` (`sha256:…`), as written.
    pub digest: Option<String>,
    /// The second word of the value, if any (not checked: see [`is_hex_id`]).
    pub id: Option<String>,
    pub id_span: Option<Span>,
}

impl ImageRef {
    /// `true` when the image ID is present and is a hex ID.
    pub fn has_hex_id(&self) -> bool {
        self.id.as_deref().is_some_and(is_hex_id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// Characters allowed in a component name.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// Byte length of the whitespace at the start of `s`.
fn leading_ws(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// Reads a version file. Never panics; unreadable lines become errors.
pub fn parse(text: &str) -> VersionFile {
    let mut out = VersionFile::default();
    // Name → 1-based line number of the entry that recorded it.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut offset = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut line_no = 0usize;
    while offset < text.len() {
        line_no += 1;
        let rest = text.get(offset..).unwrap_or("");
        let (raw, next) = match rest.find('\n') {
            Some(i) => (rest.get(..i).unwrap_or(""), offset + i + 1),
            None => (rest, text.len()),
        };
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let line_start = offset;
        offset = next;
        parse_line(line, line_start, line_no, &mut seen, &mut out);
    }
    out
}

fn parse_line(
    line: &str,
    line_start: usize,
    line_no: usize,
    seen: &mut HashMap<String, usize>,
    out: &mut VersionFile,
) {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return;
    }
    let line_span = Span::new(line_start, line_start + line.len());
    let content_start = line_start + leading_ws(line);
    let content_span = Span::new(content_start, content_start + trimmed.len());
    let Some(eq) = line.find('=') else {
        out.errors.push(VersionError {
            span: content_span,
            message: "expected `name=value`".into(),
            help: Some("the version file has one `name=value` line per component".into()),
        });
        return;
    };
    let name_raw = line.get(..eq).unwrap_or("");
    let value_raw = line.get(eq + 1..).unwrap_or("");
    let name = name_raw.trim();
    let value = value_raw.trim();
    let name_start = line_start + leading_ws(name_raw);
    let name_span = Span::new(name_start, name_start + name.len());
    let value_start = line_start + eq + 1 + leading_ws(value_raw);
    let value_span = Span::new(value_start, value_start + value.len());

    if name.is_empty() {
        out.errors.push(VersionError {
            span: content_span,
            message: "missing component name before `=`".into(),
            help: Some(
                "write the component's name, like `admiral=vmware/admiral:v1.2.1 1fa8a0f5ec6d`".into(),
            ),
        });
        return;
    }
    if value.is_empty() {
        out.errors.push(VersionError {
            span: content_span,
            message: format!("`{name}` has no value"),
            help: Some("record the component's version or its image and image ID after `=`".into()),
        });
        return;
    }
    if let Some(&first_line) = seen.get(name) {
        out.errors.push(VersionError {
            span: name_span,
            message: format!("`{name}` is already recorded on line {first_line}"),
            help: Some("record each component once".into()),
        });
        return;
    }
    if !name.chars().all(is_name_char) {
        out.errors.push(VersionError {
            span: name_span,
            message: format!("invalid component name `{name}`"),
            help: Some("a name may contain letters, digits, `.`, `_` and `-`".into()),
        });
    }
    let words = value.split_whitespace().count();
    if words > 2 {
        out.errors.push(VersionError {
            span: value_span,
            message: format!("expected a version or `repository:tag <image id>`, found {words} words"),
            help: Some("a value is one word, or an image reference followed by its image ID".into()),
        });
    }
    seen.insert(name.to_string(), line_no);
    let image = looks_like_image(value).then(|| parse_image_ref(value, value_start));
    out.entries.push(VersionEntry {
        name: name.to_string(),
        name_span,
        value: value.to_string(),
        value_span,
        line_span,
        image,
    });
}

/// Artifact file names recorded in a version file are not images (`harbor-offline-installer-v1.2.0.tgz`).
const FILE_SUFFIXES: [&str; 8] = [".tgz", ".tar.gz", ".tar", ".zip", ".ova", ".jar", ".rpm", ".deb"];

/// Whether a value reads as an image reference: its first word has a `/` or `:` and is neither a
/// file name (`.tgz`, `.tar.gz`, `.tar`, `.zip`, `.ova`, `.jar`, `.rpm`, `.deb`) nor a URL
/// (`scheme://`); or its second word is a hex image ID.
pub fn looks_like_image(value: &str) -> bool {
    let mut words = value.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    if words.next().is_some_and(is_hex_id) {
        return true;
    }
    let lower = first.to_ascii_lowercase();
    let is_file = FILE_SUFFIXES.iter().any(|s| lower.ends_with(s));
    (first.contains('/') || first.contains(':')) && !is_file && !first.contains("://")
}

/// Splits `repository[:tag][@digest] [id]`. `start` is the byte offset of `value` in the file;
/// the spans are offsets into the file. Leading whitespace in `value` is allowed.
pub fn parse_image_ref(value: &str, start: usize) -> ImageRef {
    let words = words_with_offsets(value);
    let (reference, ref_at) = words.first().copied().unwrap_or(("", leading_ws(value)));
    let ref_start = start + ref_at;
    let (name_part, digest) = match reference.find('@') {
        Some(at) => (reference.get(..at).unwrap_or(""), reference.get(at + 1..).map(str::to_string)),
        None => (reference, None),
    };
    let after_slash = name_part.rfind('/').map_or(0, |i| i + 1);
    let colon = name_part.get(after_slash..).and_then(|tail| tail.rfind(':')).map(|i| after_slash + i);
    let (repository, tag, tag_span) = match colon {
        Some(c) => {
            let tag = name_part.get(c + 1..).unwrap_or("");
            let repo = name_part.get(..c).unwrap_or("");
            if tag.is_empty() {
                (repo, None, None)
            } else {
                let tag_start = ref_start + c + 1;
                (repo, Some(tag.to_string()), Some(Span::new(tag_start, tag_start + tag.len())))
            }
        }
        None => (name_part, None, None),
    };
    let (id, id_span) = match words.get(1) {
        Some(&(id, at)) => (Some(id.to_string()), Some(Span::new(start + at, start + at + id.len()))),
        None => (None, None),
    };
    ImageRef {
        repository: repository.to_string(),
        repository_span: Span::new(ref_start, ref_start + repository.len()),
        tag,
        tag_span,
        digest,
        id,
        id_span,
    }
}

/// The whitespace-separated words of `s` with their byte offsets in `s`.
fn words_with_offsets(s: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), word_start) {
            (true, Some(w)) => {
                out.push((s.get(w..i).unwrap_or(""), w));
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
    }
    if let Some(w) = word_start {
        out.push((s.get(w..).unwrap_or(""), w));
    }
    out
}

/// An image ID: at least 12 hex digits (either case), optionally prefixed with `sha256:`.
pub fn is_hex_id(s: &str) -> bool {
    let hex = s.strip_prefix("sha256:").unwrap_or(s);
    hex.len() >= 12 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN_EXAMPLE: &str = "appliance=v1.2.0-rc1-118-ge50b7b1\n\
        harbor=harbor-offline-installer-v1.2.0.tgz\n\
        engine=vic_1.2.1.tar.gz\n\
        admiral=vmware/admiral:vic_v1.2.1 1fa8a0f5ec6d\n\
        vic-machine-server=gcr.io/eminent-nation-87317/vic-machine-server:latest 22b9d53190ff\n";

    fn slice(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn design_document_example() {
        let f = parse(DESIGN_EXAMPLE);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let names: Vec<_> = f.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["appliance", "harbor", "engine", "admiral", "vic-machine-server"]);
        for e in &f.entries {
            assert_eq!(slice(DESIGN_EXAMPLE, e.name_span), e.name);
            assert_eq!(slice(DESIGN_EXAMPLE, e.value_span), e.value);
            assert!(slice(DESIGN_EXAMPLE, e.line_span).starts_with(&e.name));
            assert!(!slice(DESIGN_EXAMPLE, e.line_span).contains('\n'));
        }
        assert!(f.entries[0].image.is_none());
        assert!(f.entries[1].image.is_none());
        assert!(f.entries[2].image.is_none());

        let admiral = f.entries[3].image.as_ref().unwrap();
        assert_eq!(admiral.repository, "vmware/admiral");
        assert_eq!(slice(DESIGN_EXAMPLE, admiral.repository_span), "vmware/admiral");
        assert_eq!(admiral.tag.as_deref(), Some("vic_v1.2.1"));
        assert_eq!(slice(DESIGN_EXAMPLE, admiral.tag_span.unwrap()), "vic_v1.2.1");
        assert_eq!(admiral.id.as_deref(), Some("1fa8a0f5ec6d"));
        assert_eq!(slice(DESIGN_EXAMPLE, admiral.id_span.unwrap()), "1fa8a0f5ec6d");
        assert!(admiral.has_hex_id());
        assert_eq!(admiral.digest, None);

        let vms = f.entries[4].image.as_ref().unwrap();
        assert_eq!(vms.repository, "gcr.io/eminent-nation-87317/vic-machine-server");
        assert_eq!(vms.tag.as_deref(), Some("latest"));
        assert_eq!(vms.id.as_deref(), Some("22b9d53190ff"));
    }

    #[test]
    fn crlf_comments_blank_lines_and_whitespace() {
        let text = "# built 2017-10-01\r\n\r\n  admiral =  vmware/admiral:v1.2.1   1fa8a0f5ec6d  \r\n\t\r\nappliance=v1.2.0";
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(f.entries.len(), 2);
        let a = &f.entries[0];
        assert_eq!(a.name, "admiral");
        assert_eq!(slice(text, a.name_span), "admiral");
        assert_eq!(a.value, "vmware/admiral:v1.2.1   1fa8a0f5ec6d");
        assert_eq!(slice(text, a.value_span), a.value);
        assert_eq!(slice(text, a.line_span), "  admiral =  vmware/admiral:v1.2.1   1fa8a0f5ec6d  ");
        let img = a.image.as_ref().unwrap();
        assert_eq!(slice(text, img.id_span.unwrap()), "1fa8a0f5ec6d");
        assert_eq!(slice(text, img.tag_span.unwrap()), "v1.2.1");
        assert_eq!(f.entries[1].value, "v1.2.0");
        assert_eq!(slice(text, f.entries[1].line_span), "appliance=v1.2.0");
    }

    #[test]
    fn missing_equals_empty_name_and_empty_value() {
        let text = "admiral vmware/admiral:v1\n=v1.2\nharbor=  \nok=1\n";
        let f = parse(text);
        assert_eq!(f.entries.len(), 1);
        assert_eq!(f.errors.len(), 3, "{:?}", f.errors);
        assert_eq!(f.errors[0].message, "expected `name=value`");
        assert_eq!(slice(text, f.errors[0].span), "admiral vmware/admiral:v1");
        assert_eq!(slice(text, f.errors[1].span), "=v1.2");
        assert!(f.errors[1].message.contains("name"));
        assert_eq!(slice(text, f.errors[2].span), "harbor=");
        assert_eq!(f.errors[2].message, "`harbor` has no value");
    }

    #[test]
    fn duplicate_names_keep_the_first_entry() {
        let text = "appliance=v1\n# comment\nadmiral=vmware/admiral:a 1fa8a0f5ec6d\nharbor=h.tgz\n  admiral = other\n";
        let f = parse(text);
        assert_eq!(f.entries.len(), 3);
        assert_eq!(f.entries[1].value, "vmware/admiral:a 1fa8a0f5ec6d");
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].message, "`admiral` is already recorded on line 3");
        assert_eq!(slice(text, f.errors[0].span), "admiral");
        assert_eq!(f.errors[0].span.start, text.rfind("admiral").unwrap() as u32);
    }

    #[test]
    fn bad_names_and_too_many_words() {
        let text = "vic machine=v1\nadmiral=vmware/admiral:v1 1fa8a0f5ec6d extra\n";
        let f = parse(text);
        assert_eq!(f.errors.len(), 2, "{:?}", f.errors);
        assert_eq!(slice(text, f.errors[0].span), "vic machine");
        assert!(f.errors[0].message.contains("invalid component name"));
        assert_eq!(slice(text, f.errors[1].span), "vmware/admiral:v1 1fa8a0f5ec6d extra");
        assert!(f.errors[1].message.contains("3 words"));
        // Both lines are still recorded, so later checks can look at them.
        assert_eq!(f.entries.len(), 2);
    }

    #[test]
    fn value_may_contain_equals() {
        let text = "x=a=b\n";
        let f = parse(text);
        assert_eq!(f.entries[0].name, "x");
        assert_eq!(f.entries[0].value, "a=b");
    }

    #[test]
    fn image_refs() {
        let r = parse_image_ref("host:5000/team/app", 10);
        assert_eq!(r.repository, "host:5000/team/app");
        assert_eq!(r.tag, None);
        assert_eq!(r.repository_span, Span::new(10, 28));

        let r = parse_image_ref("host:5000/team/app:v2 abcdefabcdef", 0);
        assert_eq!(r.repository, "host:5000/team/app");
        assert_eq!(r.tag.as_deref(), Some("v2"));
        assert_eq!(r.tag_span, Some(Span::new(19, 21)));
        assert_eq!(r.id_span, Some(Span::new(22, 34)));

        let r = parse_image_ref("vmware/admiral@sha256:0123456789abcdef", 0);
        assert_eq!(r.repository, "vmware/admiral");
        assert_eq!(r.tag, None);
        assert_eq!(r.digest.as_deref(), Some("sha256:0123456789abcdef"));

        let r = parse_image_ref("vmware/admiral:v1@sha256:0123", 0);
        assert_eq!(r.tag.as_deref(), Some("v1"));
        assert_eq!(r.digest.as_deref(), Some("sha256:0123"));

        let r = parse_image_ref("vmware/admiral:", 0);
        assert_eq!(r.repository, "vmware/admiral");
        assert_eq!(r.tag, None);

        let r = parse_image_ref("  busybox", 5);
        assert_eq!(r.repository, "busybox");
        assert_eq!(r.repository_span, Span::new(7, 14));

        let r = parse_image_ref("", 3);
        assert_eq!(r.repository, "");
        assert_eq!(r.repository_span, Span::new(3, 3));
        assert_eq!(r.id, None);
    }

    #[test]
    fn image_detection() {
        assert!(looks_like_image("vmware/admiral:vic_v1.2.1 1fa8a0f5ec6d"));
        assert!(looks_like_image("vmware/admiral"));
        assert!(looks_like_image("busybox:1.28"));
        assert!(looks_like_image("busybox 1fa8a0f5ec6d"));
        assert!(looks_like_image("busybox sha256:1fa8a0f5ec6d"));
        assert!(!looks_like_image("busybox"));
        assert!(!looks_like_image("v1.2.0-rc1-118-ge50b7b1"));
        assert!(!looks_like_image("harbor-offline-installer-v1.2.0.tgz"));
        assert!(!looks_like_image("builds/vic_1.2.1.tar.gz"));
        assert!(!looks_like_image("gs://bucket/vic.OVA"));
        assert!(!looks_like_image("https://example.com/x"));
        assert!(!looks_like_image(""));
        assert!(!looks_like_image("   "));
    }

    #[test]
    fn hex_ids() {
        assert!(is_hex_id("1fa8a0f5ec6d"));
        assert!(is_hex_id("1FA8A0F5EC6D"));
        assert!(is_hex_id("sha256:1fa8a0f5ec6d1fa8a0f5ec6d"));
        assert!(!is_hex_id("1fa8a0f5ec6"));
        assert!(!is_hex_id("sha256:"));
        assert!(!is_hex_id("1fa8a0f5ec6g"));
        assert!(!is_hex_id("latest"));
        assert!(!is_hex_id(""));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        for text in [
            "",
            "=",
            "\u{feff}a=b",
            "é=ü\r",
            "\r\n\r\n",
            "a=\u{2003}x\u{2003}",
            "ü=ß:é/ñ@ 𝔘",
            "name=:",
            "name=/",
            "name=@",
            "x=a:b@",
        ] {
            let f = parse(text);
            for e in &f.entries {
                assert_eq!(slice(text, e.name_span), e.name);
                assert_eq!(slice(text, e.value_span), e.value);
                if let Some(img) = &e.image {
                    let _ = slice(text, img.repository_span);
                }
            }
            for e in &f.errors {
                let _ = slice(text, e.span);
            }
        }
        let f = parse("\u{feff}a=b");
        assert_eq!(f.entries[0].name, "a");
    }
}
