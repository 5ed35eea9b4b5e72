//! Scenarios that judge every upgrade run together (logs, unattended, exit codes) and the
//! image itself (version).

use vic_lint_core::Evidence;

use super::{human_duration, looks_like_prompt, Harness, Outcome, Run};
use super::{EXIT_CODES, LOGS, UNATTENDED, VERSION};
use crate::manifest::{ImageSource, Upgrade};

impl Harness<'_> {
    pub(super) fn logs(&self, runs: &[Run], out: &mut Outcome) {
        let subject = "migrating runs";
        let migrating: Vec<&Run> = runs.iter().filter(|r| r.migrating && !r.outcome.timed_out).collect();
        if migrating.is_empty() {
            out.scenarios.push(Self::skip(LOGS, subject, "no migrating run ended by itself"));
            return;
        }
        let silent: Vec<&Run> = migrating.into_iter().filter(|r| !r.outcome.printed).collect();
        out.scenarios.push(Self::judged(LOGS, subject, !silent.is_empty()));
        for run in silent {
            out.findings.extend(
                self.finding(
                    "T009",
                    run.tree.span,
                    format!("migrating {} printed nothing on stdout or stderr", run.tree.label),
                    "log each step of the migration to stdout, so a failed appliance upgrade can be \
                 diagnosed from the container's logs"
                        .into(),
                    self.evidence(LOGS.name, run, &[]),
                ),
            );
        }
    }

    pub(super) fn unattended(&self, u: &Upgrade, runs: &[Run], out: &mut Outcome) {
        let hung: Vec<&Run> = runs.iter().filter(|r| r.outcome.timed_out).collect();
        out.scenarios.push(Self::judged(UNATTENDED, &format!("{} run(s)", runs.len()), !hung.is_empty()));
        for run in hung {
            let last = run.outcome.logs.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
            let what = if looks_like_prompt(last) { "waiting for input" } else { "hung" };
            out.findings.extend(
                self.finding(
                    "T010",
                    u.timeout_span,
                    format!(
                        "the {} run on {} was still running after the timeout of {} and was killed: {what}",
                        run.scenario,
                        run.tree.label,
                        human_duration(u.timeout)
                    ),
                    "the upgrade runs with no TTY and stdin closed: it must never ask, and must finish \
                 (or fail) by itself"
                        .into(),
                    self.evidence(&format!("unattended ({})", run.scenario), run, &[]),
                ),
            );
        }
    }

    pub(super) fn exit_codes(&self, u: &Upgrade, runs: &[Run], out: &mut Outcome) {
        // The first run that returned each code, in run order; a killed run has no code.
        let mut first_of: Vec<(i64, &Run)> = Vec::new();
        for run in runs {
            if let Some(code) = run.outcome.exit_code.filter(|c| *c != 0) {
                if !first_of.iter().any(|(c, _)| *c == code) {
                    first_of.push((code, run));
                }
            }
        }
        let mut seen: Vec<i64> = first_of.iter().map(|(c, _)| *c).collect();
        seen.sort_unstable();
        let subject = if seen.is_empty() {
            "no non-zero exit".to_string()
        } else {
            let list: Vec<String> = seen.iter().map(ToString::to_string).collect();
            format!("seen: {}", list.join(", "))
        };
        let undocumented: Vec<(i64, &Run)> =
            first_of.into_iter().filter(|(c, _)| !u.exit_codes.contains_key(c)).collect();
        out.scenarios.push(Self::judged(EXIT_CODES, &subject, !undocumented.is_empty()));
        for (code, run) in undocumented {
            out.findings.extend(self.finding(
                "T011",
                run.tree.span,
                format!(
                    "exit code {code} (seen in the {} run on {}) is not in [upgrade.exit-codes]",
                    run.scenario, run.tree.label
                ),
                format!(
                    "add `{code} = \"<what the user should read>\"` under [upgrade.exit-codes], and \
                     document it in the integration document"
                ),
                self.evidence(&format!("exit codes ({})", run.scenario), run, &[]),
            ));
        }
    }

    pub(super) fn version(&self, u: &Upgrade, out: &mut Outcome) {
        let Some(info) = &self.images.upgrade else { return };
        let tag = match &u.image {
            ImageSource::Image(r) => Some(crate::engine::split_reference(r).1),
            // A built image's tag is vic-lint's own; only its label speaks for it.
            ImageSource::Build(_) => None,
        };
        let label = info.labels.get("org.opencontainers.image.version").cloned();
        let ok = tag.as_deref() == Some(u.version.as_str()) || label.as_deref() == Some(u.version.as_str());
        out.scenarios.push(Self::judged(VERSION, &info.reference, !ok));
        if !ok {
            let carries = match (&tag, &label) {
                (Some(t), Some(l)) => format!("tag `{t}` and label `{l}`"),
                (Some(t), None) => format!("tag `{t}` and no org.opencontainers.image.version label"),
                (None, Some(l)) => format!("label `{l}`"),
                (None, None) => "no org.opencontainers.image.version label".into(),
            };
            out.findings.extend(
                self.finding(
                    "T012",
                    u.version_span,
                    format!(
                        "image {} carries {carries}, not the component version {}",
                        info.reference, u.version
                    ),
                    "tag the upgrade image with the component's version, or set \
                 LABEL org.opencontainers.image.version to it"
                        .into(),
                    Evidence { scenario: VERSION.name.into(), ..Evidence::default() },
                ),
            );
        }
    }
}
