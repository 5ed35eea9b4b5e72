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
    use crate::{
        compose as c, container as k, docs as d, drone as p, layout as l, syntax as e, unit as u,
        version as v,
    };
    vec![
        Box::new(e::UnreadableFile),
        Box::new(e::UnitSyntaxError),
        Box::new(e::InvalidYaml),
        Box::new(e::DuplicateYamlKey),
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
        Box::new(k::HostPortConflict),
        Box::new(c::UnsupportedComposeVersion),
        Box::new(c::MisreadComposeVersion),
        Box::new(c::LiteralVolumeHostPath),
        Box::new(c::SharedHostDirectory),
        Box::new(c::KeyNotInComposeVersion),
        Box::new(c::UnversionedConfigFile),
        Box::new(c::NoUpgradeContainer),
        Box::new(v::ComponentNotInVersionFile),
        Box::new(v::MalformedVersionEntry),
        Box::new(v::ImageEntryWithoutId),
        Box::new(v::ImageNotRecorded),
        Box::new(v::FloatingVersionEntry),
        Box::new(v::VersionWithoutGitTag),
        Box::new(v::DevVersionWithoutBuildNumber),
        Box::new(v::UpgradeVersionMismatch),
        Box::new(d::MissingIntegrationDoc),
        Box::new(d::UnansweredQuestion),
        Box::new(d::NoAcceptanceTests),
        Box::new(d::UnconfirmedScaffoldAnswer),
        Box::new(d::UndocumentedUpgradeExitCode),
        Box::new(p::NoDownstreamTrigger),
        Box::new(p::DownstreamTriggerBeforeTests),
        Box::new(p::NoTagPublishStep),
        Box::new(p::NoStagingWorkflow),
        Box::new(l::InvalidCertificateSet),
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

/// Rules reported by the engine (suppress.rs) or the CLI (baselines) rather than a `Rule`.
pub const ENGINE_CODES: &[&str] = &["S001", "S002", "S003"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_page_and_every_page_a_rule() {
        let impls: Vec<&str> = implementations().iter().map(|r| r.code()).collect();
        for code in &impls {
            assert!(meta(code).is_some(), "rule {code} has no page rules/{code}.md");
        }
        // Harness pages are implemented by the scenarios of vic-lint-harness, which checks them;
        // the suppression checks by `suppress.rs`, which runs after every rule.
        for m in RULE_META.iter().filter(|m| m.kind != Kind::Harness && !ENGINE_CODES.contains(&m.code)) {
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

    /// Which requirement check kinds (REQUIREMENTS.md) a rule of each kind checks. Container
    /// rules read `docker run` lines and Compose services alike.
    fn covers(kind: Kind) -> &'static [&'static str] {
        match kind {
            Kind::Syntax => &[],
            Kind::Unit => &["unit"],
            Kind::Container => &["unit", "compose"],
            Kind::Compose => &["compose"],
            Kind::Version => &["version"],
            Kind::Docs => &["docs"],
            Kind::Drone => &["drone"],
            Kind::Layout => &["layout"],
            Kind::Harness => &["harness"],
        }
    }

    /// Rules that check one side of a requirement from another file: V004 compares the images
    /// units run with the version file, C007 counts upgrade units as the upgrade container, V008
    /// reads the upgrade service of a Compose file, U008 (a host process instead of a
    /// container) is the unit side of SVC-1, C006 reads the configuration files a Compose file
    /// mounts from the repository's layout, and U009 checks the appliance paths of startup
    /// scripts (FS-4's layout side) where they appear: in the units.
    const CROSS: &[(&str, &str, &str)] = &[
        ("VER-3", "unit", "V004"),
        ("VER-3", "compose", "V004"),
        ("UPG-1", "unit", "C007"),
        ("UPG-9", "compose", "V008"),
        ("SVC-1", "unit", "U008"),
        ("VER-8", "layout", "C006"),
        ("FS-4", "layout", "U009"),
    ];

    #[test]
    fn every_machine_checkable_requirement_has_a_rule_for_each_of_its_files() {
        let cat = vic_lint_core::requirements::catalogue();
        assert!(!cat.is_empty());
        let statics = ["unit", "compose", "version", "docs", "drone", "layout"];
        for req in cat {
            for check in req.check.iter().filter(|c| statics.contains(&c.as_str())) {
                let direct = RULE_META
                    .iter()
                    .any(|m| m.requirement == req.id && covers(m.kind).contains(&check.as_str()));
                let cross = CROSS.iter().find(|(r, c, _)| *r == req.id && c == check);
                if let Some((_, _, code)) = cross {
                    assert!(!direct, "{} ({check}) has a rule of that kind now: drop it from CROSS", req.id);
                    assert!(meta(code).is_some(), "{code} in CROSS does not exist");
                    continue;
                }
                assert!(direct, "requirement {} (check: {check}) has no rule", req.id);
            }
        }
    }
}
