//! The `[upgrade]` and `[runtime]` sections of `vic-lint.toml`, read again with spans and
//! checked completely before any container runs: a missing folder, a bad duration or an
//! unknown key is a diagnostic at its span.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use vic_lint_core::config::{span_of, ConfigError, Loaded};
use vic_lint_syntax::Span;

use crate::duration;
use crate::engine::{Resources, DEFAULT_MEMORY, DEFAULT_PIDS};

pub const DEFAULT_ERROR_PATTERN: &str = r"(?i)\b(error|fatal|panic)\b";
/// Words by which a page tells its user that something is wrong (`[runtime.ui] error-pattern`).
pub const DEFAULT_UI_ERROR_PATTERN: &str = r"(?i)\b(error|errors|unavailable|failed|failure|cannot|can't|unable|degraded|not available|not running|missing|problem|contact)\b";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
const DEFAULT_RUN_FOR: Duration = Duration::from_secs(10);

#[derive(Deserialize)]
struct Doc {
    upgrade: Option<UpgradeRaw>,
    runtime: Option<RuntimeRaw>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct UpgradeRaw {
    image: Option<Spanned<String>>,
    build: Option<Spanned<String>>,
    version: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
    #[serde(default)]
    from: Vec<Spanned<String>>,
    current: Option<Spanned<String>>,
    #[serde(default)]
    incompatible: Vec<Spanned<String>>,
    expected: Option<Spanned<String>>,
    writes_data_version: Option<Spanned<bool>>,
    #[serde(default)]
    exit_codes: BTreeMap<Spanned<String>, Spanned<String>>,
    network: Option<Spanned<String>>,
    memory: Option<Spanned<String>>,
    pids: Option<Spanned<i64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuntimeRaw {
    image: Option<Spanned<String>>,
    build: Option<Spanned<String>>,
    run_for: Option<Spanned<String>>,
    data: Option<Spanned<String>>,
    #[serde(default)]
    degraded: Vec<Spanned<String>>,
    error_pattern: Option<Spanned<String>>,
    network: Option<Spanned<String>>,
    memory: Option<Spanned<String>>,
    pids: Option<Spanned<i64>>,
    ui: Option<Spanned<UiRaw>>,
    rotation: Option<Spanned<RotationRaw>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct UiRaw {
    port: Spanned<i64>,
    scheme: Option<Spanned<String>>,
    path: Option<Spanned<String>>,
    certificate: Option<Spanned<String>>,
    error_pattern: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RotationRaw {
    workload: Spanned<Vec<String>>,
    log_dir: Spanned<String>,
    max_size: Spanned<String>,
    max_files: Spanned<i64>,
    run_for: Option<Spanned<String>>,
}

/// Where the image comes from.
#[derive(Debug, Clone)]
pub enum ImageSource {
    Image(String),
    /// A Dockerfile context to build first.
    Build(PathBuf),
}

/// A data tree: as written in the manifest, where it is on disk, and where it was declared.
#[derive(Debug, Clone)]
pub struct Tree {
    pub label: String,
    pub path: PathBuf,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Upgrade {
    pub image: ImageSource,
    pub image_span: Span,
    pub version: String,
    pub version_span: Span,
    pub timeout: Duration,
    pub timeout_span: Span,
    pub from: Vec<Tree>,
    pub current: Option<Tree>,
    pub incompatible: Vec<Tree>,
    pub expected: Option<Tree>,
    /// Set (with its span) when `writes-data-version = true`.
    pub writes_data_version: Option<Span>,
    pub exit_codes: BTreeMap<i64, String>,
    pub network: String,
    pub resources: Resources,
    pub section_span: Span,
}

#[derive(Debug, Clone)]
pub struct Runtime {
    pub image: ImageSource,
    pub image_span: Span,
    pub run_for: Duration,
    pub run_for_span: Span,
    pub data: Tree,
    pub degraded: Vec<Tree>,
    pub error_pattern: regex::Regex,
    pub error_pattern_span: Span,
    /// `None` when the manifest names none: each run gets an internal network of its own.
    pub network: Option<String>,
    pub resources: Resources,
    pub ui: Option<Ui>,
    pub rotation: Option<Rotation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// The component's primary UI, probed on its container's address (RUN-2).
#[derive(Debug, Clone)]
pub struct Ui {
    pub port: u16,
    pub scheme: Scheme,
    pub path: String,
    /// The certificate the UI serves, as a path inside each data tree (HTTPS).
    pub certificate: Option<String>,
    pub error_pattern: regex::Regex,
    pub span: Span,
}

/// The log rotation scenario (LOG-2): a workload that makes the component log, and the limits.
#[derive(Debug, Clone)]
pub struct Rotation {
    pub workload: Vec<String>,
    /// The folder under `/storage/log`.
    pub log_dir: String,
    pub max_size: u64,
    pub max_files: u64,
    pub run_for: Duration,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub upgrade: Option<Upgrade>,
    pub runtime: Option<Runtime>,
}

/// Collects every problem, so one run shows them all.
struct Check<'a> {
    loaded: &'a Loaded,
    errors: Vec<ConfigError>,
}

impl Check<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ConfigError::at(self.loaded, Some(span), message));
    }

    fn tree(&mut self, key: &str, raw: &Spanned<String>) -> Option<Tree> {
        let span = span_of(raw);
        let label = raw.get_ref().clone();
        if label.trim().is_empty() {
            self.error(span, format!("`{key}` names no folder"));
            return None;
        }
        let path = resolve(&self.loaded.base_dir, &label);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => Some(Tree { label, path, span }),
            Ok(_) => {
                self.error(span, format!("`{key}`: {} is not a folder", path.display()));
                None
            }
            Err(e) => {
                self.error(span, format!("`{key}`: data tree {} cannot be read: {e}", path.display()));
                None
            }
        }
    }

    fn trees(&mut self, key: &str, raw: &[Spanned<String>]) -> Vec<Tree> {
        raw.iter().filter_map(|r| self.tree(key, r)).collect()
    }

    fn duration(
        &mut self,
        key: &str,
        raw: Option<&Spanned<String>>,
        default: Duration,
        at: Span,
    ) -> (Duration, Span) {
        let Some(raw) = raw else { return (default, at) };
        match duration::parse(raw.get_ref()) {
            Ok(d) => (d, span_of(raw)),
            Err(e) => {
                self.error(span_of(raw), format!("`{key}`: {e}"));
                (default, span_of(raw))
            }
        }
    }

    fn image(
        &mut self,
        section: &str,
        image: Option<&Spanned<String>>,
        build: Option<&Spanned<String>>,
        at: Span,
    ) -> Option<(ImageSource, Span)> {
        match (image, build) {
            (Some(i), None) => {
                let name = i.get_ref().trim();
                if name.is_empty() || name.contains(char::is_whitespace) {
                    self.error(span_of(i), "`image` must be an image reference like `example/app:v1.2.0`");
                    return None;
                }
                Some((ImageSource::Image(name.to_string()), span_of(i)))
            }
            (None, Some(b)) => {
                let dir = resolve(&self.loaded.base_dir, b.get_ref());
                if dir.join("Dockerfile").is_file() {
                    Some((ImageSource::Build(dir), span_of(b)))
                } else {
                    self.error(span_of(b), format!("`build`: {} holds no Dockerfile", dir.display()));
                    None
                }
            }
            (Some(i), Some(_)) => {
                self.error(span_of(i), format!("[{section}] takes `image` or `build`, not both"));
                None
            }
            (None, None) => {
                self.error(
                    at,
                    format!("[{section}] needs `image` (a local image) or `build` (a Dockerfile folder)"),
                );
                None
            }
        }
    }

    fn resources(&mut self, memory: Option<&Spanned<String>>, pids: Option<&Spanned<i64>>) -> Resources {
        let mut r = Resources::default();
        if let Some(m) = memory {
            match crate::size::parse(m.get_ref()) {
                // Docker refuses less than 6 MiB; a limit that small is a typo here anyway.
                Ok(bytes) if bytes >= 6 << 20 => r.memory = i64::try_from(bytes).unwrap_or(DEFAULT_MEMORY),
                Ok(_) => self.error(span_of(m), "`memory` must be at least 6m, the least Docker accepts"),
                Err(e) => self.error(span_of(m), format!("`memory`: {e}")),
            }
        }
        if let Some(p) = pids {
            if *p.get_ref() >= 1 {
                r.pids = *p.get_ref();
            } else {
                self.error(span_of(p), "`pids` must be at least 1");
                r.pids = DEFAULT_PIDS;
            }
        }
        r
    }

    fn regex(
        &mut self,
        key: &str,
        raw: Option<&Spanned<String>>,
        default: &str,
        at: Span,
    ) -> Option<(regex::Regex, Span)> {
        let (pattern, span) = match raw {
            Some(p) => (p.get_ref().as_str(), span_of(p)),
            None => (default, at),
        };
        match regex::Regex::new(pattern) {
            Ok(re) => Some((re, span)),
            Err(e) => {
                self.error(span, format!("`{key}` is not a valid regular expression: {e}"));
                None
            }
        }
    }

    fn ui(&mut self, raw: &Spanned<UiRaw>) -> Option<Ui> {
        let span = span_of(raw);
        let u = raw.get_ref();
        let port = match u16::try_from(*u.port.get_ref()) {
            Ok(p) if p > 0 => Some(p),
            _ => {
                self.error(span_of(&u.port), "`port` must be a TCP port from 1 to 65535");
                None
            }
        };
        let scheme = match u.scheme.as_ref().map(|s| s.get_ref().as_str()) {
            None | Some("http") => Some(Scheme::Http),
            Some("https") => Some(Scheme::Https),
            Some(other) => {
                let at = u.scheme.as_ref().map_or(span, span_of);
                self.error(at, format!("`scheme` is `http` or `https`, not `{other}`"));
                None
            }
        };
        let path = u.path.as_ref().map_or_else(|| "/".to_string(), |p| p.get_ref().clone());
        if !path.starts_with('/') || path.contains(char::is_whitespace) {
            let at = u.path.as_ref().map_or(span, span_of);
            self.error(at, "`path` must start with `/` and hold no spaces");
        }
        if let Some(c) = &u.certificate {
            if scheme != Some(Scheme::Https) {
                self.error(span_of(c), "`certificate` needs `scheme = \"https\"`");
            }
        }
        let (error_pattern, _) =
            self.regex("error-pattern", u.error_pattern.as_ref(), DEFAULT_UI_ERROR_PATTERN, span)?;
        Some(Ui {
            port: port?,
            scheme: scheme?,
            path,
            certificate: u.certificate.as_ref().map(|c| c.get_ref().trim_start_matches('/').to_string()),
            error_pattern,
            span,
        })
    }

    fn rotation(&mut self, raw: &Spanned<RotationRaw>, run_for: Duration) -> Option<Rotation> {
        let span = span_of(raw);
        let r = raw.get_ref();
        let workload = r.workload.get_ref().clone();
        if workload.first().is_none_or(|w| w.trim().is_empty()) {
            self.error(
                span_of(&r.workload),
                "`workload` must name a command to run in the container, as argv words",
            );
        }
        let log_dir = r.log_dir.get_ref().trim_matches('/').to_string();
        if log_dir.is_empty() || log_dir.split('/').any(|p| p == ".." || p == ".") {
            self.error(
                span_of(&r.log_dir),
                "`log-dir` names a folder under /storage/log, such as `reference`",
            );
        }
        let max_size = match crate::size::parse(r.max_size.get_ref()) {
            Ok(n) => Some(n),
            Err(e) => {
                self.error(span_of(&r.max_size), format!("`max-size`: {e}"));
                None
            }
        };
        let max_files = match u64::try_from(*r.max_files.get_ref()) {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                self.error(span_of(&r.max_files), "`max-files` must be at least 1");
                None
            }
        };
        let (run_for, _) = self.duration("run-for", r.run_for.as_ref(), run_for, span);
        Some(Rotation { workload, log_dir, max_size: max_size?, max_files: max_files?, run_for, span })
    }

    fn network(&mut self, raw: Option<&Spanned<String>>) -> String {
        let Some(raw) = raw else { return "none".into() };
        let n = raw.get_ref().trim();
        if n.is_empty() || n.starts_with("container:") || n == "host" {
            self.error(
                span_of(raw),
                "`network` must name a Docker network; `host` and `container:` would share another's",
            );
        }
        n.to_string()
    }
}

fn resolve(base: &Path, rel: &str) -> PathBuf {
    let p = Path::new(rel);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

/// The span of a whole section header, for findings about a key that was left out.
fn section_span(text: &str, name: &str) -> Span {
    let header = format!("[{name}]");
    text.find(&header).map_or(Span::new(0, 0), |at| Span::new(at, at + header.len()))
}

/// Reads the harness sections of the loaded configuration.
pub fn load(loaded: &Loaded) -> Result<Manifest, Vec<ConfigError>> {
    let doc: Doc = toml::from_str(&loaded.text).map_err(|e| {
        vec![ConfigError::at(loaded, e.span().map(|r| Span::new(r.start, r.end)), e.message())]
    })?;
    let mut c = Check { loaded, errors: Vec::new() };
    let upgrade = doc.upgrade.and_then(|u| upgrade(&mut c, u));
    let runtime = doc.runtime.and_then(|r| runtime(&mut c, r));
    if c.errors.is_empty() {
        Ok(Manifest { upgrade, runtime })
    } else {
        Err(c.errors)
    }
}

fn upgrade(c: &mut Check<'_>, u: UpgradeRaw) -> Option<Upgrade> {
    let at = section_span(&c.loaded.text, "upgrade");
    let image = c.image("upgrade", u.image.as_ref(), u.build.as_ref(), at);
    let (timeout, timeout_span) = c.duration("timeout", u.timeout.as_ref(), DEFAULT_TIMEOUT, at);
    let version = match &u.version {
        Some(v) if !v.get_ref().trim().is_empty() => Some((v.get_ref().trim().to_string(), span_of(v))),
        Some(v) => {
            c.error(span_of(v), "`version` is empty");
            None
        }
        None => {
            c.error(at, "[upgrade] needs `version`: the component version the image must carry (UPG-9)");
            None
        }
    };
    if u.from.is_empty() {
        c.error(at, "[upgrade] needs `from`: at least one data tree of an older version to migrate");
    }
    let from = c.trees("from", &u.from);
    let current = u.current.as_ref().and_then(|t| c.tree("current", t));
    let incompatible = c.trees("incompatible", &u.incompatible);
    let expected = u.expected.as_ref().and_then(|t| c.tree("expected", t));
    let mut exit_codes = BTreeMap::new();
    for (code, message) in &u.exit_codes {
        match code.get_ref().trim().parse::<i64>() {
            Ok(n) if (1..=255).contains(&n) => {
                if message.get_ref().trim().is_empty() {
                    c.error(span_of(message), format!("exit code {n} needs a message for the user"));
                }
                exit_codes.insert(n, message.get_ref().clone());
            }
            _ => c.error(span_of(code), format!("`{}` is not an exit code from 1 to 255", code.get_ref())),
        }
    }
    let network = c.network(u.network.as_ref());
    let resources = c.resources(u.memory.as_ref(), u.pids.as_ref());
    let writes_data_version = u.writes_data_version.as_ref().filter(|w| *w.get_ref()).map(span_of);
    if writes_data_version.is_some() {
        // The data version is compared with the system's: each tree to migrate must bring one.
        for t in from.iter().filter(|t| !t.path.join("etc/vmware/version").is_file()) {
            c.error(
                t.span,
                format!(
                    "with `writes-data-version = true`, {} needs etc/vmware/version (mounted as the \
                     system's version file)",
                    t.label
                ),
            );
        }
    }
    let (image, image_span) = image?;
    let (version, version_span) = version?;
    Some(Upgrade {
        image,
        image_span,
        version,
        version_span,
        timeout,
        timeout_span,
        from,
        current,
        incompatible,
        expected,
        writes_data_version,
        exit_codes,
        network,
        resources,
        section_span: at,
    })
}

fn runtime(c: &mut Check<'_>, r: RuntimeRaw) -> Option<Runtime> {
    let at = section_span(&c.loaded.text, "runtime");
    let image = c.image("runtime", r.image.as_ref(), r.build.as_ref(), at);
    let (run_for, run_for_span) = c.duration("run-for", r.run_for.as_ref(), DEFAULT_RUN_FOR, at);
    let data = match &r.data {
        Some(d) => c.tree("data", d),
        None => {
            c.error(at, "[runtime] needs `data`: the tree for a normal run");
            None
        }
    };
    let degraded = c.trees("degraded", &r.degraded);
    let error_pattern = c.regex("error-pattern", r.error_pattern.as_ref(), DEFAULT_ERROR_PATTERN, at);
    let network = r.network.as_ref().map(|n| c.network(Some(n)));
    let resources = c.resources(r.memory.as_ref(), r.pids.as_ref());
    let ui = r.ui.as_ref().map(|u| c.ui(u));
    let rotation = r.rotation.as_ref().map(|raw| c.rotation(raw, run_for));
    let (image, image_span) = image?;
    let error_pattern = error_pattern?;
    Some(Runtime {
        image,
        image_span,
        run_for,
        run_for_span,
        data: data?,
        degraded,
        error_pattern: error_pattern.0,
        error_pattern_span: error_pattern.1,
        network,
        resources,
        ui: ui.flatten(),
        rotation: rotation.flatten(),
    })
}
