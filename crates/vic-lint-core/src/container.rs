//! One container as the rules see it, whether a `docker run` line in a unit or (later) a Compose
//! service: every setting with the span it came from, variables resolved where they can be.

use vic_lint_syntax::{FileId, Span, SpannedText};

/// A setting's text after variable substitution, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub text: String,
    /// Settings of one container can come from several files (`-f a.yml -f b.yml`).
    pub file: FileId,
    pub span: Span,
    /// It still holds a variable nothing defines: its final value is the appliance's choice.
    pub variable: bool,
    /// It was written with a variable (`${DATA_DIR}`), resolved or not.
    pub interpolated: bool,
}

impl Value {
    /// A value vic-lint knows without reading it from the text (a boolean flag).
    pub fn fixed(text: &str, file: FileId, span: Span) -> Value {
        Value { text: text.to_string(), file, span, variable: false, interpolated: false }
    }
}

/// Where values come from: their file, and how its variables resolve.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub file: FileId,
    pub lookup: Lookup<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub file: FileId,
    /// The host side: a path, a named volume, or nothing (an anonymous volume).
    pub source: Option<Value>,
    pub target: Option<Value>,
    pub read_only: bool,
    /// The whole mount as written (`-v` value, `--mount` value, a Compose list item).
    pub span: Span,
}

impl Mount {
    /// A host path (absolute or relative), as opposed to a named volume.
    pub fn is_bind(&self) -> bool {
        self.source
            .as_ref()
            .is_some_and(|s| s.text.starts_with('/') || s.text.starts_with('.') || s.text.starts_with('~'))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub file: FileId,
    pub host_ip: Option<Value>,
    /// None: Docker picks a random host port.
    pub host_port: Option<Value>,
    pub container_port: Option<Value>,
    pub span: Span,
}

#[derive(Debug, Clone, Default)]
pub struct ContainerSpec {
    pub file: FileId,
    /// Semantic location, e.g. `Service/ExecStart#0`.
    pub anchor: String,
    /// Where findings about something missing point (the `run` word, the service key).
    pub span: Span,
    /// The long-running container of the service, as opposed to a one-off helper.
    pub is_service: bool,
    /// Written as a Compose service rather than a `docker run` line: only changes how options
    /// are named in messages.
    pub compose: bool,
    /// Byte offset where new options may be inserted (right after `run`), for fixes.
    pub insert_at: Option<u32>,
    pub image: Option<Value>,
    pub privileged: Option<Value>,
    pub cap_add: Vec<Value>,
    pub cap_drop: Vec<Value>,
    pub mounts: Vec<Mount>,
    pub publishes: Vec<Publish>,
    pub publish_all: Option<Value>,
    pub network: Option<Value>,
    pub pid: Option<Value>,
    pub ipc: Option<Value>,
    pub uts: Option<Value>,
    pub userns: Option<Value>,
    pub security_opts: Vec<Value>,
    pub user: Option<Value>,
    pub log_driver: Option<Value>,
    pub log_opts: Vec<Value>,
}

impl ContainerSpec {
    /// An option's name as the author wrote it: `--cap-drop` on a command line, `cap_drop` in
    /// a Compose file.
    pub fn option(&self, docker_flag: &str) -> String {
        if self.compose {
            format!("`{}`", docker_flag.replace('-', "_"))
        } else {
            format!("`--{docker_flag}`")
        }
    }

    /// An option with a value as the author would write it: `--pid=host` or `pid: host`.
    pub fn setting(&self, docker_flag: &str, value: &str) -> String {
        if self.compose {
            format!("`{}: {value}`", docker_flag.replace('-', "_"))
        } else {
            format!("`--{docker_flag}={value}`")
        }
    }

    /// Applies a later Compose file's settings for the same service (`-f a.yml -f b.yml`):
    /// single settings are replaced, lists add up, as Compose merges overrides.
    pub fn overlay(&mut self, later: &ContainerSpec) {
        fn replace(mine: &mut Option<Value>, theirs: &Option<Value>) {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
        replace(&mut self.image, &later.image);
        replace(&mut self.privileged, &later.privileged);
        replace(&mut self.publish_all, &later.publish_all);
        replace(&mut self.network, &later.network);
        replace(&mut self.pid, &later.pid);
        replace(&mut self.ipc, &later.ipc);
        replace(&mut self.uts, &later.uts);
        replace(&mut self.userns, &later.userns);
        replace(&mut self.user, &later.user);
        replace(&mut self.log_driver, &later.log_driver);
        self.cap_add.extend(later.cap_add.iter().cloned());
        self.cap_drop.extend(later.cap_drop.iter().cloned());
        self.mounts.extend(later.mounts.iter().cloned());
        self.publishes.extend(later.publishes.iter().cloned());
        self.security_opts.extend(later.security_opts.iter().cloned());
        self.log_opts.extend(later.log_opts.iter().cloned());
    }

    /// A sub-anchor for a finding on one setting of this container.
    pub fn anchor_for(&self, what: &str) -> String {
        anchor_for(&self.anchor, self.compose, what)
    }

    /// What the workspace rules keep of this container once its component is checked.
    pub fn into_published(self) -> Published {
        Published { anchor: self.anchor, compose: self.compose, publishes: self.publishes }
    }
}

/// A container as the workspace rules see it, after its component was checked: its anchor and
/// the ports it publishes. A full `ContainerSpec` is ten times larger, and these are kept for
/// every container of the tree at once.
#[derive(Debug, Clone)]
pub struct Published {
    pub anchor: String,
    pub compose: bool,
    pub publishes: Vec<Publish>,
}

impl Published {
    pub fn anchor_for(&self, what: &str) -> String {
        anchor_for(&self.anchor, self.compose, what)
    }
}

fn anchor_for(anchor: &str, compose: bool, what: &str) -> String {
    // Compose anchors are JSON pointers (`/services/web/volumes/1`).
    let what = if compose { what.replace('#', "/") } else { what.to_string() };
    format!("{anchor}/{what}")
}

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$$`.
/// Returns the text and whether a variable stayed unresolved.
pub fn expand(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut unresolved = false;
    let mut rest = text;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(body) = after.strip_prefix('{') {
            let Some(close) = body.find('}') else {
                out.push_str(&rest[pos..]);
                unresolved = true;
                rest = "";
                break;
            };
            let inner = &body[..close];
            let (name, default) = split_default(inner);
            match lookup(name).filter(|v| !(v.is_empty() && inner.contains(":-"))).or(default) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str(&rest[pos..pos + 2 + close + 1]);
                    unresolved = true;
                }
            }
            rest = &body[close + 1..];
        } else {
            let len = after
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
                .map_or(after.len(), |(i, _)| i);
            if len == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            match lookup(&after[..len]) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str(&rest[pos..pos + 1 + len]);
                    unresolved = true;
                }
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    (out, unresolved)
}

fn split_default(inner: &str) -> (&str, Option<String>) {
    if let Some((name, d)) = inner.split_once(":-") {
        return (name, Some(d.to_string()));
    }
    if let Some((name, d)) = inner.split_once('-') {
        return (name, Some(d.to_string()));
    }
    // `${VAR:?err}` and `${VAR?err}` have no default: unresolved unless set.
    let name = inner.split([':', '?']).next().unwrap_or(inner);
    (name, None)
}

pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

pub fn value(raw: &SpannedText, range: std::ops::Range<usize>, origin: Origin<'_>) -> Value {
    let written = raw.as_str().get(range.clone()).unwrap_or("");
    let (text, variable) = expand(written, origin.lookup);
    let interpolated = written.replace("$$", "").contains('$');
    Value { text, file: origin.file, span: raw.span_of(range), variable, interpolated }
}

/// Splits at `sep`, but not inside `${…}` or `[…]` (IPv6 addresses).
fn split_outside(text: &str, sep: char) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    let mut prev = '\0';
    for (i, c) in text.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '[' => depth += 1,
            '}' | ']' if depth > 0 => depth -= 1,
            c if c == sep && depth == 0 => {
                parts.push(start..i);
                start = i + c.len_utf8();
            }
            _ => {}
        }
        prev = c;
    }
    parts.push(start..text.len());
    parts
}

/// `-v [SOURCE:]TARGET[:OPTIONS]`
pub fn parse_volume(raw: &SpannedText, origin: Origin<'_>) -> Mount {
    let parts = split_outside(raw.as_str(), ':');
    let get = |i: usize| parts.get(i).cloned();
    let (source, target, opts) = match parts.len() {
        0 | 1 => (None, get(0), None),
        2 => (get(0), get(1), None),
        _ => (get(0), get(1), get(2)),
    };
    let read_only = opts
        .and_then(|r| raw.as_str().get(r))
        .is_some_and(|o| o.split(',').any(|x| x == "ro" || x == "readonly"));
    Mount {
        file: origin.file,
        source: source.filter(|r| !r.is_empty()).map(|r| value(raw, r, origin)),
        target: target.map(|r| value(raw, r, origin)),
        read_only,
        span: raw.span(),
    }
}

/// `--mount type=bind,source=/a,target=/b,readonly`
pub fn parse_mount(raw: &SpannedText, origin: Origin<'_>) -> Mount {
    let mut m = Mount { file: origin.file, source: None, target: None, read_only: false, span: raw.span() };
    for r in split_outside(raw.as_str(), ',') {
        let Some(field) = raw.as_str().get(r.clone()) else { continue };
        let (key, val) = field.split_once('=').unwrap_or((field, ""));
        let vrange = r.start + key.len() + 1..r.end;
        match key.trim() {
            "source" | "src" => m.source = Some(value(raw, vrange, origin)),
            "target" | "destination" | "dst" => m.target = Some(value(raw, vrange, origin)),
            "readonly" | "ro" => m.read_only = matches!(val, "" | "true" | "1"),
            _ => {}
        }
    }
    m
}

/// `-p [IP:][HOST:]CONTAINER[/PROTO]`
pub fn parse_publish(raw: &SpannedText, origin: Origin<'_>) -> Publish {
    let text = raw.as_str();
    let end = text.rfind('/').filter(|i| !text[..*i].contains("${") || text[*i..].find('}').is_none());
    let body = end.map_or(text.len(), |i| i);
    let parts: Vec<_> = split_outside(&text[..body], ':');
    let v = |r: std::ops::Range<usize>| (!r.is_empty()).then(|| value(raw, r, origin));
    let (ip, host, cont) = match parts.as_slice() {
        [c] => (None, None, v(c.clone())),
        [h, c] => (None, v(h.clone()), v(c.clone())),
        [ip, h, c, ..] => (v(ip.clone()), v(h.clone()), v(c.clone())),
        [] => (None, None, None),
    };
    Publish { file: origin.file, host_ip: ip, host_port: host, container_port: cont, span: raw.span() }
}

/// Host ports a published value names; None when it is not a port or range.
pub fn port_range(text: &str) -> Option<std::ops::RangeInclusive<u32>> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let (a, b) = (a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?);
    (a <= b && b <= 65535).then_some(a..=b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin<'static> {
        Origin { file: FileId(0), lookup: &env }
    }

    fn env(name: &str) -> Option<String> {
        match name {
            "DATA" => Some("/storage/data/x".into()),
            "EMPTY" => Some(String::new()),
            _ => None,
        }
    }

    #[test]
    fn expands_variables() {
        assert_eq!(expand("${DATA}/a", &env), ("/storage/data/x/a".into(), false));
        assert_eq!(expand("$DATA:/d", &env), ("/storage/data/x:/d".into(), false));
        assert_eq!(expand("${NOPE:-/def}", &env), ("/def".into(), false));
        assert_eq!(expand("${EMPTY:-/def}", &env), ("/def".into(), false));
        assert_eq!(expand("${EMPTY-/def}", &env), ("".into(), false));
        assert_eq!(expand("${NOPE}", &env), ("${NOPE}".into(), true));
        assert_eq!(expand("$$HOME", &env), ("$HOME".into(), false));
        assert_eq!(expand("${NOPE:?must be set}", &env), ("${NOPE:?must be set}".into(), true));
        assert_eq!(expand("a$", &env), ("a$".into(), false));
        assert_eq!(expand("${open", &env), ("${open".into(), true));
    }

    #[test]
    fn volumes() {
        let t = SpannedText::verbatim("${DATA:-/a:b}:/data:ro,z", 10);
        let m = parse_volume(&t, origin());
        let src = m.source.unwrap();
        assert_eq!(src.text, "/storage/data/x");
        assert_eq!(src.span, Span::new(10, 23));
        assert!(m.read_only);
        let m = parse_volume(&SpannedText::verbatim("/only", 0), origin());
        assert!(m.source.is_none());
        assert!(!parse_volume(&SpannedText::verbatim("named:/x", 0), origin()).is_bind());
        let m = parse_mount(&SpannedText::verbatim("type=bind,src=/a,dst=/b,readonly", 0), origin());
        assert_eq!(m.source.unwrap().span, Span::new(14, 16));
        assert!(m.read_only);
    }

    #[test]
    fn publishes() {
        let p = parse_publish(&SpannedText::verbatim("127.0.0.1:8080:80/tcp", 0), origin());
        assert_eq!(p.host_port.unwrap().text, "8080");
        assert_eq!(p.host_ip.unwrap().text, "127.0.0.1");
        let p = parse_publish(&SpannedText::verbatim("80", 0), origin());
        assert!(p.host_port.is_none());
        let p = parse_publish(&SpannedText::verbatim("[::1]:443:443", 0), origin());
        assert_eq!(p.host_port.unwrap().text, "443");
        let p = parse_publish(&SpannedText::verbatim("127.0.0.1::80", 0), origin());
        assert!(p.host_port.is_none());
        assert_eq!(port_range("8000-8002"), Some(8000..=8002));
        assert_eq!(port_range("x"), None);
    }
}
