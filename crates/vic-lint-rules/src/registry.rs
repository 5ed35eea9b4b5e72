//! Joins the metadata generated from `rules/` with the implementations.

use vic_lint_core::rule::Rule;
use vic_lint_core::{Kind, Level, RuleMeta};

include!(concat!(env!("OUT_DIR"), "/rule_meta.rs"));

/// Every rule's metadata, in code order.
pub fn rule_meta() -> &'static [RuleMeta] {
    RULE_META
}

pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    RULE_META.iter().find(|m| m.code == code)
}

/// Finds a rule by code or name, case-insensitively.
pub fn lookup(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULE_META
        .iter()
        .find(|m| m.code.eq_ignore_ascii_case(code_or_name) || m.name.eq_ignore_ascii_case(code_or_name))
}

pub struct RegisteredRule {
    pub meta: &'static RuleMeta,
    pub rule: Box<dyn Rule>,
}

/// The implementations. A test checks that this list and `rules/` name the same codes.
pub fn implementations() -> Vec<Box<dyn Rule>> {
    use crate::{container as k, syntax as e, unit as u};
    vec![
        Box::new(e::UnreadableFile),
        Box::new(e::UnitSyntaxError),
        Box::new(u::MissingReadyDependency),
        Box::new(u::MissingWantedBy),
        Box::new(u::ConfigurationOutsideExecStartPre),
        Box::new(u::ConfigureUnitNotOrdered),
        Box::new(u::ExecStartRunsScript),
        Box::new(u::ExecRunsSystemctl),
        Box::new(u::UnitStartsSeveralContainers),
        Box::new(u::HostProcessNotContainer),
        Box::new(u::ScriptOutsideComponentDir),
        Box::new(k::PrivilegedContainer),
        Box::new(k::DangerousCapability),
        Box::new(k::MissingCapDrop),
        Box::new(k::DockerSocketMounted),
        Box::new(k::HostNamespace),
        Box::new(k::UnconfinedSecurityProfile),
        Box::new(k::RootUser),
        Box::new(k::WritableCertificateMount),
        Box::new(k::LogDirOutsideComponent),
        Box::new(k::DataDirOutsideComponent),
        Box::new(k::DbDirOutsideComponent),
        Box::new(k::MissingLogLimits),
        Box::new(k::NoLogVolume),
        Box::new(k::FloatingImageTag),
        Box::new(k::UnapprovedHostPort),
    ]
}

/// Every implemented rule with its metadata. Rules without a page are left out (and fail the
/// registry test), so a release never runs an undocumented rule.
pub fn all() -> Vec<RegisteredRule> {
    implementations()
        .into_iter()
        .filter_map(|rule| meta(rule.code()).map(|meta| RegisteredRule { meta, rule }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_page_and_every_page_a_rule() {
        let impls: Vec<&str> = implementations().iter().map(|r| r.code()).collect();
        for code in &impls {
            assert!(meta(code).is_some(), "rule {code} has no page rules/{code}.md");
        }
        for m in RULE_META {
            assert!(impls.contains(&m.code), "rules/{} has no implementation", m.file);
        }
        let mut sorted = impls.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), impls.len(), "a rule is registered twice");
    }

    #[test]
    fn pages_are_complete() {
        for m in RULE_META {
            for heading in ["## What it checks", "## Rationale", "## Bad", "## Good"] {
                assert!(m.docs.contains(heading), "rules/{} lacks `{heading}`", m.file);
            }
            assert!(m.docs.matches("```").count() >= 4, "rules/{} needs bad and good examples", m.file);
            let name_ok = !m.name.is_empty()
                && m.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            assert!(name_ok, "rules/{}: name `{}` is not kebab-case", m.file, m.name);
            assert!(!m.summary.ends_with('.'), "rules/{}: summary ends with a period", m.file);
            let req = vic_lint_core::requirements::find(m.requirement);
            let req =
                req.unwrap_or_else(|| panic!("rules/{}: unknown requirement {}", m.file, m.requirement));
            assert_eq!(
                req.level().map(Level::family),
                Some(m.level.family()),
                "rules/{}: level differs from {}",
                m.file,
                req.id
            );
        }
        let names: std::collections::HashSet<_> = RULE_META.iter().map(|m| m.name).collect();
        assert_eq!(names.len(), RULE_META.len(), "two rules share a name");
    }

    /// Requirements whose unit-side check compares a unit with a Compose or version file (the
    /// Compose version a unit starts, the image ids recorded for the images it runs, its upgrade
    /// container). They arrive with the Compose and version-file parsers; until then they are
    /// listed here, and the test fails as soon as one gets a rule, so the list only shrinks.
    const UNIT_CHECKS_NEEDING_OTHER_FILES: &[&str] = &["SVC-1", "VER-3", "UPG-1"];

    #[test]
    fn every_machine_checkable_unit_requirement_has_a_rule() {
        let cat = vic_lint_core::requirements::catalogue();
        assert!(!cat.is_empty());
        for req in cat.iter().filter(|r| r.check.iter().any(|c| c == "unit")) {
            let has_rule = RULE_META
                .iter()
                .any(|m| m.requirement == req.id && matches!(m.kind, Kind::Unit | Kind::Container));
            let deferred = UNIT_CHECKS_NEEDING_OTHER_FILES.contains(&req.id.as_str());
            assert!(has_rule || deferred, "requirement {} (check: unit) has no unit rule", req.id);
            assert!(!(has_rule && deferred), "{} has a rule now: drop it from the deferred list", req.id);
        }
    }
}
