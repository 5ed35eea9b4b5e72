//! Which rules run, and at what severity: `[rules] select / ignore / severity`.

use vic_lint_core::config::{span_of, ConfigError, Loaded};
use vic_lint_core::{RuleMeta, Severity};

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
        for sel in select.unwrap_or_default().iter().chain(&rules.ignore) {
            known(sel)?;
        }
        let enabled = all
            .iter()
            .filter(|m| select.is_none_or(|s| s.iter().any(|x| matches(x.get_ref(), m))))
            .filter(|m| !rules.ignore.iter().any(|x| matches(x.get_ref(), m)))
            .map(|m| m.code)
            .collect();
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
        Ok(Selection { enabled, overrides })
    }

    pub fn everything(all: &'static [RuleMeta]) -> Selection {
        Selection { enabled: all.iter().map(|m| m.code).collect(), overrides: Vec::new() }
    }

    pub fn is_enabled(&self, code: &str) -> bool {
        self.enabled.contains(&code)
    }

    pub fn severity(&self, m: &RuleMeta) -> Severity {
        self.overrides.iter().find(|(c, _)| *c == m.code).map_or(m.default_severity(), |(_, s)| *s)
    }
}
