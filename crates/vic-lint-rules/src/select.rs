//! Which rules run, and at what severity: `[rules] select / ignore / severity`.

use vic_lint_core::config::{span_of, ConfigError, Loaded};
use vic_lint_core::{RuleMeta, Severity};

/// True when a selector names the rule specifically: its code, its name, its requirement id
/// (`DATA-2`) or the level `MAY`. Only such a selector turns on a rule that is off by default.
fn names_specifically(selector: &str, m: &RuleMeta) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case(m.code)
        || s.eq_ignore_ascii_case(m.name)
        || s.eq_ignore_ascii_case(m.requirement)
        || (m.level == vic_lint_core::Level::May && s.eq_ignore_ascii_case("MAY"))
}

/// True when a selector names the rule: `ALL`, a code or code prefix (`U`, `K01`), a name, a
/// requirement id (`SVC-8`), a kind (`unit`) or a level (`MUST`, `SHOULD`, `MAY`).
pub fn matches(selector: &str, m: &RuleMeta) -> bool {
    let s = selector.trim();
    s.eq_ignore_ascii_case("ALL")
        || (!s.is_empty() && m.code.starts_with(&s.to_ascii_uppercase()) && s.len() <= m.code.len())
        || s.eq_ignore_ascii_case(m.name)
        || s.eq_ignore_ascii_case(m.requirement)
        || s.eq_ignore_ascii_case(m.kind.as_str())
        || s.eq_ignore_ascii_case(m.level.family())
}

pub struct Selection {
    enabled: Vec<&'static str>,
    overrides: Vec<(&'static str, Severity)>,
    /// Globs matched against paths relative to `base`, all at once, and the codes each one
    /// silences, by the glob's index in the set.
    per_path: globset::GlobSet,
    per_path_codes: Vec<Vec<&'static str>>,
    base: std::path::PathBuf,
}

impl Selection {
    pub fn from_config(loaded: &Loaded, all: &'static [RuleMeta]) -> Result<Selection, ConfigError> {
        let rules = &loaded.config.rules;
        let known = |sel: &vic_lint_core::config::Spanned<String>| -> Result<(), ConfigError> {
            if all.iter().any(|m| matches(sel.get_ref(), m)) {
                Ok(())
            } else {
                Err(ConfigError::at(
                    loaded,
                    Some(span_of(sel)),
                    format!("`{}` names no rule (see `vic-lint rules`)", sel.get_ref()),
                ))
            }
        };
        let select = rules.select.as_deref();
        let per_path_selectors = rules.per_path_ignores.values().flatten();
        for sel in select
            .unwrap_or_default()
            .iter()
            .chain(&rules.extend_select)
            .chain(&rules.ignore)
            .chain(per_path_selectors)
        {
            known(sel)?;
        }
        let named = |list: &[vic_lint_core::config::Spanned<String>], m: &RuleMeta| {
            list.iter().any(|x| matches(x.get_ref(), m))
        };
        let specific = |list: &[vic_lint_core::config::Spanned<String>], m: &RuleMeta| {
            list.iter().any(|x| names_specifically(x.get_ref(), m))
        };
        // Rules that are off by default (the design's MAY) need a selector naming them: `ALL`
        // or a kind does not turn them on.
        let by_default = |m: &RuleMeta| select.is_none_or(|s| named(s, m)) && m.enabled_by_default();
        let enabled = all
            .iter()
            .filter(|m| {
                by_default(m)
                    || select.is_some_and(|s| specific(s, m))
                    || (m.enabled_by_default() && named(&rules.extend_select, m))
                    || specific(&rules.extend_select, m)
            })
            .filter(|m| !named(&rules.ignore, m))
            .map(|m| m.code)
            .collect();
        let mut set = globset::GlobSetBuilder::new();
        let mut per_path_codes = Vec::new();
        for (glob, sels) in &rules.per_path_ignores {
            let Ok(g) = globset::Glob::new(glob.get_ref()) else { continue };
            set.add(g);
            per_path_codes.push(all.iter().filter(|m| named(sels, m)).map(|m| m.code).collect());
        }
        let per_path = set.build().unwrap_or_else(|_| globset::GlobSet::empty());
        let mut overrides = Vec::new();
        for (code, sev) in &rules.severity {
            let Some(m) = all.iter().find(|m| m.code == code || m.name == code) else {
                return Err(ConfigError::at(
                    loaded,
                    Some(span_of(sev)),
                    format!("`{code}` is not a rule code or name"),
                ));
            };
            let sev = sev
                .get_ref()
                .parse::<Severity>()
                .map_err(|e| ConfigError::at(loaded, Some(span_of(sev)), e))?;
            overrides.push((m.code, sev));
        }
        let base = std::path::absolute(&loaded.base_dir).unwrap_or_else(|_| loaded.base_dir.clone());
        Ok(Selection { enabled, overrides, per_path, per_path_codes, base })
    }

    pub fn everything(all: &'static [RuleMeta]) -> Selection {
        Selection {
            enabled: all.iter().map(|m| m.code).collect(),
            overrides: Vec::new(),
            per_path: globset::GlobSet::empty(),
            per_path_codes: Vec::new(),
            base: std::path::PathBuf::new(),
        }
    }

    /// The codes `[rules] per-path-ignores` silences in the file at `fs_path`: asked once per
    /// file, not once per finding.
    pub fn ignored_in(&self, fs_path: &std::path::Path) -> Vec<&'static str> {
        if self.per_path_codes.is_empty() {
            return Vec::new();
        }
        let abs = std::path::absolute(fs_path).unwrap_or_else(|_| fs_path.to_path_buf());
        let rel = abs.strip_prefix(&self.base).unwrap_or(&abs);
        let mut codes: Vec<&'static str> = self
            .per_path
            .matches(rel)
            .into_iter()
            .filter_map(|i| self.per_path_codes.get(i))
            .flatten()
            .copied()
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The codes that run, in registry order.
    pub fn enabled(&self) -> &[&'static str] {
        &self.enabled
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        self.enabled.contains(&code)
    }

    pub fn severity(&self, m: &RuleMeta) -> Severity {
        self.overrides.iter().find(|(c, _)| *c == m.code).map_or(m.default_severity(), |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enabled(toml: &str) -> Vec<&'static str> {
        let config = vic_lint_core::config::parse(toml).unwrap_or_default();
        let loaded = Loaded { config, ..Loaded::default() };
        match Selection::from_config(&loaded, crate::registry::rule_meta()) {
            Ok(s) => s.enabled().to_vec(),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn may_rules_run_only_when_named() {
        for off in ["", "[rules]\nselect = [\"ALL\"]\n", "[rules]\nselect = [\"C\", \"compose\"]\n"] {
            let on = enabled(off);
            assert!(!on.contains(&"C004") && !on.contains(&"U004"), "{off}: {on:?}");
        }
        assert!(enabled("").contains(&"D005"), "vic-lint's own MAY rule stays on");
        for named in ["C004", "shared-host-directory", "DATA-2", "MAY"] {
            let on = enabled(&format!("[rules]\nextend-select = [\"{named}\"]\n"));
            assert!(on.contains(&"C004") && on.contains(&"C001"), "{named}: {on:?}");
            let only = enabled(&format!("[rules]\nselect = [\"{named}\"]\n"));
            assert!(only.contains(&"C004") && !only.contains(&"C001"), "{named}: {only:?}");
        }
    }
}
