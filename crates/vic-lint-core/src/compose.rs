//! A Compose file as the rules see it: its declared version and each service turned into the
//! same container model as a `docker run` line, with `.env` interpolation.

use vic_lint_syntax::yaml::{Node, Style, Value as Yaml};
use vic_lint_syntax::{FileId, Span, SpannedText};

use crate::container::{self, ContainerSpec, Lookup, Mount, Origin, Publish, Value};

#[derive(Debug, Clone)]
pub struct VersionDecl {
    /// The scalar's text as written, without quotes.
    pub text: String,
    /// The version Compose uses: YAML reads a plain `3.10` as the number 3.1.
    pub effective: String,
    /// As written, quotes included.
    pub raw: String,
    pub plain: bool,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    pub key_span: Span,
    pub spec: ContainerSpec,
}

#[derive(Debug, Clone, Default)]
pub struct ComposeFile {
    pub version: Option<VersionDecl>,
    /// The `services` key, where findings about the whole application point.
    pub services_span: Option<Span>,
    pub services: Vec<Service>,
    /// A file with neither `version` nor `services`: the legacy v1 format, services at the top.
    pub legacy: bool,
}

/// The text of a scalar with its way back to the file: exact when the scalar is written
/// verbatim (plain, or quoted without escapes), else as a whole.
/// Nulls (`key:`, `~`) and the placeholders the parser leaves for unreadable nodes are absent.
pub fn scalar_text(node: &Node) -> Option<SpannedText> {
    let Yaml::Scalar(s) = &node.value else { return None };
    if s.raw.is_empty() || node.is_null() {
        return None;
    }
    let start = node.span.start as usize;
    let quoted = matches!(s.style, Style::SingleQuoted | Style::DoubleQuoted);
    if s.raw == s.text {
        return Some(SpannedText::verbatim(&s.text, start));
    }
    if quoted && s.raw.len() == s.text.len() + 2 && s.raw.get(1..s.raw.len() - 1) == Some(s.text.as_str()) {
        return Some(SpannedText::verbatim(&s.text, start + 1));
    }
    let mut t = SpannedText::empty_at(start);
    t.push_mapped(&s.text, node.span);
    Some(t)
}

fn value_of(node: &Node, origin: Origin<'_>) -> Option<Value> {
    let t = scalar_text(node)?;
    Some(container::value(&t, 0..t.len(), origin))
}

fn truthy(node: &Node) -> bool {
    node.as_str().is_some_and(|s| matches!(s, "true" | "True" | "TRUE" | "yes" | "on"))
}

fn seq_values(node: Option<&Node>, origin: Origin<'_>) -> Vec<Value> {
    node.and_then(Node::as_seq)
        .map_or_else(Vec::new, |items| items.iter().filter_map(|n| value_of(n, origin)).collect())
}

fn long_volume(node: &Node, origin: Origin<'_>) -> Mount {
    Mount {
        file: origin.file,
        source: node.get("source").and_then(|n| value_of(n, origin)),
        target: node.get("target").and_then(|n| value_of(n, origin)),
        read_only: node.get("read_only").is_some_and(truthy),
        span: node.span,
    }
}

fn long_port(node: &Node, origin: Origin<'_>) -> Publish {
    Publish {
        file: origin.file,
        host_ip: node.get("host_ip").and_then(|n| value_of(n, origin)),
        host_port: node.get("published").and_then(|n| value_of(n, origin)),
        container_port: node.get("target").and_then(|n| value_of(n, origin)),
        span: node.span,
    }
}

/// `logging: {driver, options: {max-size: 10m}}` (and v1's `log_driver` / `log_opt`): options
/// become `key=value` values spanning the whole pair, as `--log-opt` would.
fn logging(svc: &Node, origin: Origin<'_>) -> (Option<Value>, Vec<Value>) {
    let (driver, options) = match svc.get("logging") {
        Some(l) => (l.get("driver"), l.get("options")),
        None => (svc.get("log_driver"), svc.get("log_opt")),
    };
    let opts = options.and_then(Node::as_map).map_or_else(Vec::new, |pairs| {
        pairs
            .iter()
            .filter_map(|p| {
                let key = p.key.as_str()?;
                let v = value_of(&p.value, origin)?;
                Some(Value { text: format!("{key}={}", v.text), span: p.key.span.cover(p.value.span), ..v })
            })
            .collect()
    });
    (driver.and_then(|d| value_of(d, origin)), opts)
}

fn service(name: &str, key_span: Span, svc: &Node, origin: Origin<'_>) -> Service {
    let one = |k: &str| svc.get(k).and_then(|n| value_of(n, origin));
    let mounts = svc.get("volumes").and_then(Node::as_seq).map_or_else(Vec::new, |items| {
        items
            .iter()
            .filter_map(|n| match &n.value {
                Yaml::Map(_) => Some(long_volume(n, origin)),
                _ => scalar_text(n).map(|t| container::parse_volume(&t, origin)),
            })
            .collect()
    });
    let publishes = svc.get("ports").and_then(Node::as_seq).map_or_else(Vec::new, |items| {
        items
            .iter()
            .filter_map(|n| match &n.value {
                Yaml::Map(_) => Some(long_port(n, origin)),
                _ => scalar_text(n).map(|t| container::parse_publish(&t, origin)),
            })
            .collect()
    });
    let (log_driver, log_opts) = logging(svc, origin);
    let privileged = svc
        .pair("privileged")
        .filter(|p| truthy(&p.value))
        .map(|p| Value::fixed("true", origin.file, p.key.span.cover(p.value.span)));
    let spec = ContainerSpec {
        file: origin.file,
        anchor: format!("/services/{name}"),
        span: key_span,
        is_service: !name.contains("upgrade"),
        compose: true,
        insert_at: None,
        image: one("image"),
        privileged,
        cap_add: seq_values(svc.get("cap_add"), origin),
        cap_drop: seq_values(svc.get("cap_drop"), origin),
        mounts,
        publishes,
        publish_all: None,
        network: one("network_mode").or_else(|| one("net")),
        pid: one("pid"),
        ipc: one("ipc"),
        uts: None,
        userns: one("userns_mode"),
        security_opts: seq_values(svc.get("security_opt"), origin),
        user: one("user"),
        log_driver,
        log_opts,
    };
    Service { name: name.to_string(), key_span, spec }
}

/// Builds the model of one Compose document.
pub fn build(file: FileId, root: &Node, lookup: Lookup<'_>) -> ComposeFile {
    let origin = Origin { file, lookup };
    let version = root.pair("version").and_then(|p| {
        let Yaml::Scalar(s) = &p.value.value else { return None };
        let number = (s.style == Style::Plain).then(|| s.text.parse::<f64>().ok()).flatten();
        let effective = number.filter(|n| n.is_finite()).map_or_else(|| s.text.clone(), |n| n.to_string());
        Some(VersionDecl {
            text: s.text.clone(),
            effective,
            raw: s.raw.clone(),
            plain: s.style == Style::Plain,
            span: p.value.span,
        })
    });
    let services_pair = root.pair("services");
    let legacy = version.is_none() && services_pair.is_none();
    let pairs = if legacy { root.as_map() } else { services_pair.and_then(|p| p.value.as_map()) };
    let services = pairs
        .unwrap_or_default()
        .iter()
        .filter(|p| matches!(p.value.value, Yaml::Map(_)))
        .filter_map(|p| Some(service(p.key.as_str()?, p.key.span, &p.value, origin)))
        .collect();
    ComposeFile { version, services_span: services_pair.map(|p| p.key.span), services, legacy }
}

/// `KEY=value` lines of a `.env` file (comments and blank lines skipped, quotes removed).
pub fn parse_env(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let l = l.strip_prefix("export ").unwrap_or(l);
            let (k, v) = l.split_once('=')?;
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
                .unwrap_or(v);
            Some((k.trim().to_string(), v.to_string()))
        })
        .collect()
}
