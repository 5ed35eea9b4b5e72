//! Scenarios that judge every upgrade run together (logs, unattended, exit codes) and the
//! image itself (version).

use vic_lint_core::Evidence;

use super::{human_duration, looks_like_prompt, Harness, Outcome, Run, ScenarioResult, Status};
use crate::manifest::{ImageSource, Upgrade};

impl Harness<'_> {
    pub(super) fn logs(&self, runs: &[Run], out: &mut Outcome) {
        let migrating: Vec<&Run> = runs.iter().filter(|r| r.migrating && !r.outcome.timed_out).collect();
        if migrating.is_empty() {
            out.scenarios.push(Self::skip(
                "logs",
                "UPG-8",
                "migrating runs",
                "no migrating run ended by itself",
            ));
            return;
        }
        let silent: Vec<&&Run> = migrating.iter().filter(|r| !r.outcome.printed).collect();
        out.scenarios.push(ScenarioResult {
            name: "logs",
            requirements: "UPG-8",
            subject: "migrating runs".into(),
            status: if silent.is_empty() { Status::Pass } else { Status::Fail },
            duration: None,
        });
        for run in silent {
            let mut evidence = self.evidence(run, &[]);
            evidence.scenario = "logs".into();
            out.findings.extend(
                self.finding(
                    "T009",
                    run.tree.span,
                    format!("migrating {} printed nothing on stdout or stderr", run.tree.label),
                    "log each step of the migration to stdout, so a failed appliance upgrade can be \
                 diagnosed from the container's logs"
                        .into(),
                    evidence,
                ),
            );
        }
    }

    pub(super) fn unattended(&self, u: &Upgrade, runs: &[Run], out: &mut Outcome) {
        let hung: Vec<&Run> = runs.iter().filter(|r| r.outcome.timed_out).collect();
        out.scenarios.push(ScenarioResult {
            name: "unattended",
            requirements: "UPG-11",
            subject: format!("{} run(s)", runs.len()),
            status: if hung.is_empty() { Status::Pass } else { Status::Fail },
            duration: None,
        });
        for run in hung {
            let last = run.outcome.logs.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
            let waiting = looks_like_prompt(last);
            let what = if waiting { "waiting for input" } else { "hung" };
            let mut evidence = self.evidence(run, &[]);
            evidence.scenario = format!("unattended ({})", run.scenario);
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
                    evidence,
                ),
            );
        }
    }

    pub(super) fn exit_codes(&self, u: &Upgrade, runs: &[Run], out: &mut Outcome) {
        let mut seen: Vec<i64> = Vec::new();
        let mut bad = Vec::new();
        for run in runs {
            let Some(code) = run.outcome.exit_code.filter(|c| *c != 0) else { continue };
            if seen.contains(&code) {
                continue;
            }
            seen.push(code);
            if !u.exit_codes.contains_key(&code) {
                bad.push((code, run));
            }
        }
        out.scenarios.push(ScenarioResult {
            name: "exit codes",
            requirements: "UPG-7",
            subject: if seen.is_empty() {
                "no non-zero exit".into()
            } else {
                seen.sort_unstable();
                let list: Vec<String> = seen.iter().map(ToString::to_string).collect();
                format!("seen: {}", list.join(", "))
            },
            status: if bad.is_empty() { Status::Pass } else { Status::Fail },
            duration: None,
        });
        for (code, run) in bad {
            let mut evidence = self.evidence(run, &[]);
            evidence.scenario = format!("exit codes ({})", run.scenario);
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
                evidence,
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
        out.scenarios.push(ScenarioResult {
            name: "version",
            requirements: "UPG-9",
            subject: info.reference.clone(),
            status: if ok { Status::Pass } else { Status::Fail },
            duration: None,
        });
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
                    Evidence { scenario: "version".into(), ..Evidence::default() },
                ),
            );
        }
    }
}
