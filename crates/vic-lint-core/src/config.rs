//! `vic-lint.toml`: discovered upward from the working directory, overridden by `--config`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
pub use toml::Spanned;
use vic_lint_syntax::Span;

pub const FILE_NAME: &str = "vic-lint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub appliance: Appliance,
    #[serde(default)]
    pub component: Vec<ComponentDecl>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub suppressions: Suppressions,
    /// The harness manifest (`vic-lint test`); `check` only carries it.
    pub upgrade: Option<toml::Table>,
    pub runtime: Option<toml::Table>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Appliance {
    /// Units a component must require and order itself after (SVC-8). The design names the
    /// `.service`, the shipped appliance the `.target`.
    #[serde(default = "default_ready_units")]
    pub ready_units: Vec<String>,
    #[serde(default = "default_target")]
    pub target: String,
    #[serde(default = "default_ports")]
    pub ports: Vec<u16>,
    /// Unit-name globs of the appliance's own units, which are never components.
    #[serde(default = "default_infrastructure")]
    pub infrastructure_units: Vec<String>,
    /// `infrastructure_units` compiled on first use: every unit of a tree is matched against it.
    #[serde(skip)]
    infrastructure_set: std::sync::OnceLock<globset::GlobSet>,
}

impl Default for Appliance {
    fn default() -> Appliance {
        Appliance {
            ready_units: default_ready_units(),
            target: default_target(),
            ports: default_ports(),
            infrastructure_units: default_infrastructure(),
            infrastructure_set: std::sync::OnceLock::new(),
        }
    }
}

fn default_ready_units() -> Vec<String> {
    vec!["vic-appliance-ready.service".into(), "vic-appliance-ready.target".into()]
}
fn default_target() -> String {
    "vic-appliance.target".into()
}
fn default_ports() -> Vec<u16> {
    vec![22, 80, 443, 8282, 8443, 9443]
}
fn default_infrastructure() -> Vec<String> {
    vec!["vic-appliance*".into()]
}

impl Appliance {
    pub fn is_infrastructure(&self, unit_name: &str) -> bool {
        let set = self.infrastructure_set.get_or_init(|| {
            let mut b = globset::GlobSetBuilder::new();
            // A pattern that is no glob matches nothing, as it did when each was compiled alone.
            for g in self.infrastructure_units.iter().filter_map(|p| globset::Glob::new(p).ok()) {
                b.add(g);
            }
            b.build().unwrap_or_else(|_| globset::GlobSet::empty())
        });
        set.is_match(unit_name)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ComponentDecl {
    pub name: Spanned<String>,
    /// Globs relative to the configuration file's folder.
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    pub integration_doc: Option<Spanned<String>>,
    pub version_file: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Codes, names, requirement ids, kinds or levels; `ALL` selects everything.
    pub select: Option<Vec<Spanned<String>>>,
    /// Added to `select` (or to everything when `select` is absent), before `ignore`.
    #[serde(default)]
    pub extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    pub ignore: Vec<Spanned<String>>,
    #[serde(default)]
    pub severity: BTreeMap<String, Spanned<String>>,
    /// Path globs (relative to the configuration's folder) and the rules ignored there.
    #[serde(default)]
    pub per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Suppressions {
    #[serde(default)]
    pub inline_must: bool,
}

/// A configuration with where it came from.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    /// None when no file was found: the defaults apply.
    pub path: Option<PathBuf>,
    pub text: String,
    /// Component path globs are relative to this folder.
    pub base_dir: PathBuf,
}

/// A configuration file that cannot be used; the CLI renders it with its span and exits 2.
#[derive(Debug)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Option<Span>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl ConfigError {
    pub fn at(loaded: &Loaded, span: Option<Span>, message: impl Into<String>) -> ConfigError {
        ConfigError {
            path: loaded.path.clone().unwrap_or_else(|| PathBuf::from(FILE_NAME)),
            text: loaded.text.clone(),
            span,
            message: message.into(),
        }
    }
}

pub fn span_of<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

impl Config {
    /// What `[upgrade]` says, as far as the static rules need it; the harness validates the
    /// section fully.
    pub fn upgrade_decl(&self) -> crate::rule::UpgradeDecl {
        let Some(t) = &self.upgrade else { return crate::rule::UpgradeDecl::default() };
        let text = |k: &str| t.get(k).and_then(toml::Value::as_str).map(str::to_string);
        let exit_codes = t
            .get("exit-codes")
            .and_then(toml::Value::as_table)
            .map(|codes| {
                codes
                    .iter()
                    .filter_map(|(k, v)| {
                        Some((k.trim().parse::<i64>().ok()?, v.as_str().unwrap_or("").to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        crate::rule::UpgradeDecl {
            declared: true,
            image: text("image"),
            version: text("version"),
            exit_codes,
        }
    }
}

/// Finds `vic-lint.toml` in `start` or the nearest folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file())
}

pub fn load_file(path: &Path) -> Result<Loaded, ConfigError> {
    let fail = |message: String, text: String, span: Option<Span>| ConfigError {
        path: path.to_path_buf(),
        text,
        span,
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}"), String::new(), None))?;
    let text =
        vic_lint_syntax::source::decode(bytes).map_err(|e| fail(e.to_string(), String::new(), None))?;
    load_text(path, text)
}

/// A configuration whose text is already in hand: an editor's unsaved buffer, for one.
pub fn load_text(path: &Path, text: String) -> Result<Loaded, ConfigError> {
    let fail = |message: String, text: String, span: Option<Span>| ConfigError {
        path: path.to_path_buf(),
        text,
        span,
        message,
    };
    let config = parse(&text).map_err(|(message, span)| fail(message, text.clone(), span))?;
    // `--config vic-lint.toml` has an empty parent, which would match no path.
    let base_dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let loaded = Loaded { config, path: Some(path.to_path_buf()), text, base_dir };
    validate(&loaded)?;
    Ok(loaded)
}

pub fn parse(text: &str) -> Result<Config, (String, Option<Span>)> {
    toml::from_str::<Config>(text).map_err(|e| {
        let span = e.span().map(|r| Span::new(r.start, r.end));
        (e.message().to_string(), span)
    })
}

/// Checks what serde cannot: values that parse but make no sense.
fn validate(loaded: &Loaded) -> Result<(), ConfigError> {
    let c = &loaded.config;
    let mut names: Vec<&str> = Vec::new();
    for decl in &c.component {
        let name = decl.name.get_ref();
        if name.trim().is_empty() {
            return Err(ConfigError::at(loaded, Some(span_of(&decl.name)), "a component needs a name"));
        }
        if names.contains(&name.as_str()) {
            return Err(ConfigError::at(
                loaded,
                Some(span_of(&decl.name)),
                format!("component `{name}` is declared twice"),
            ));
        }
        names.push(name);
        for pat in &decl.paths {
            if let Err(e) = globset::Glob::new(pat.get_ref()) {
                return Err(ConfigError::at(loaded, Some(span_of(pat)), format!("invalid glob: {e}")));
            }
        }
    }
    for pat in c.rules.per_path_ignores.keys() {
        if let Err(e) = globset::Glob::new(pat.get_ref()) {
            return Err(ConfigError::at(loaded, Some(span_of(pat)), format!("invalid glob: {e}")));
        }
    }
    for (code, sev) in &c.rules.severity {
        if let Err(e) = sev.get_ref().parse::<crate::Severity>() {
            return Err(ConfigError::at(loaded, Some(span_of(sev)), format!("rule `{code}`: {e}")));
        }
    }
    if c.appliance.ports.contains(&0) {
        return Err(ConfigError::at(loaded, None, "[appliance] ports: 0 is not a port"));
    }
    Ok(())
}

/// Resolves `--config`, or discovers a file upward from `cwd`, or falls back to the defaults
/// (also when `isolated`).
pub fn resolve(explicit: Option<&Path>, cwd: &Path, isolated: bool) -> Result<Loaded, ConfigError> {
    if isolated {
        return Ok(Loaded { base_dir: cwd.to_path_buf(), ..Loaded::default() });
    }
    match explicit.map(Path::to_path_buf).or_else(|| discover(cwd)) {
        Some(path) => load_file(&path),
        None => Ok(Loaded { base_dir: cwd.to_path_buf(), ..Loaded::default() }),
    }
}

impl Loaded {
    /// The effective configuration as TOML: every key with its value or its default.
    pub fn effective(&self) -> toml::Table {
        use toml::Value;
        let strings = |v: &[Spanned<String>]| {
            Value::Array(v.iter().map(|s| Value::from(s.get_ref().as_str())).collect())
        };
        let plain = |v: &[String]| Value::Array(v.iter().map(|s| Value::from(s.as_str())).collect());
        let c = &self.config;
        let mut t = toml::Table::new();
        let mut appliance = toml::Table::new();
        appliance.insert("ready-units".into(), plain(&c.appliance.ready_units));
        appliance.insert("target".into(), c.appliance.target.clone().into());
        appliance.insert(
            "ports".into(),
            Value::Array(c.appliance.ports.iter().map(|p| Value::Integer(i64::from(*p))).collect()),
        );
        appliance.insert("infrastructure-units".into(), plain(&c.appliance.infrastructure_units));
        t.insert("appliance".into(), Value::Table(appliance));
        let components: Vec<Value> = c
            .component
            .iter()
            .map(|d| {
                let mut ct = toml::Table::new();
                ct.insert("name".into(), d.name.get_ref().clone().into());
                ct.insert("paths".into(), strings(&d.paths));
                if let Some(doc) = &d.integration_doc {
                    ct.insert("integration-doc".into(), doc.get_ref().clone().into());
                }
                if let Some(v) = &d.version_file {
                    ct.insert("version-file".into(), v.get_ref().clone().into());
                }
                Value::Table(ct)
            })
            .collect();
        if !components.is_empty() {
            t.insert("component".into(), Value::Array(components));
        }
        let mut rules = toml::Table::new();
        let all = vec![Spanned::new(0..0, "ALL".to_string())];
        rules.insert("select".into(), strings(c.rules.select.as_deref().unwrap_or(&all)));
        rules.insert("extend-select".into(), strings(&c.rules.extend_select));
        rules.insert("ignore".into(), strings(&c.rules.ignore));
        let severity: toml::Table =
            c.rules.severity.iter().map(|(k, v)| (k.clone(), Value::from(v.get_ref().as_str()))).collect();
        rules.insert("severity".into(), Value::Table(severity));
        let per_path: toml::Table =
            c.rules.per_path_ignores.iter().map(|(k, v)| (k.get_ref().clone(), strings(v))).collect();
        rules.insert("per-path-ignores".into(), Value::Table(per_path));
        t.insert("rules".into(), Value::Table(rules));
        let mut sup = toml::Table::new();
        sup.insert("inline-must".into(), c.suppressions.inline_must.into());
        t.insert("suppressions".into(), Value::Table(sup));
        if let Some(u) = &c.upgrade {
            t.insert("upgrade".into(), Value::Table(u.clone()));
        }
        if let Some(r) = &c.runtime {
            t.insert("runtime".into(), Value::Table(r.clone()));
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_design() {
        let c = parse("").unwrap();
        assert_eq!(c.appliance.target, "vic-appliance.target");
        assert_eq!(c.appliance.ports, vec![22, 80, 443, 8282, 8443, 9443]);
        assert!(c.appliance.is_infrastructure("vic-appliance-ready.service"));
        assert!(!c.appliance.is_infrastructure("admiral.service"));
    }

    #[test]
    fn unknown_keys_have_spans() {
        let text = "[appliance]\ntarget = \"x\"\nbogus = 1\n";
        let (msg, span) = parse(text).unwrap_err();
        assert!(msg.contains("bogus"), "{msg}");
        let span = span.unwrap();
        assert_eq!(&text[span.range()], "bogus");
    }

    #[test]
    fn bad_values_are_errors_with_spans() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "[rules]\nseverity = { U001 = \"fatal\" }\n").unwrap();
        let err = load_file(&path).unwrap_err();
        assert!(err.message.contains("fatal"));
        assert_eq!(&err.text[err.span.unwrap().range()], "\"fatal\"");
    }

    #[test]
    fn discovered_upward() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&sub), Some(dir.path().join(FILE_NAME)));
    }
}
