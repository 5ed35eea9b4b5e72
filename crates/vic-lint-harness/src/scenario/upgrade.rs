//! Scenarios on the upgrade container's own runs: migrate, golden, rerun, data version, no-op,
//! refuse and read-only disk.

use super::{as_git_records, code_text, storage_only, Scenario};
use super::{io, Harness, HarnessError, JobResult, Run, Workdir, KILLED, VERSION_FILE};
use super::{DATA_VERSION, GOLDEN, MIGRATE, NO_OP, READ_ONLY, REFUSE, RERUN};
use crate::engine::{Limit, RunSpec};
use crate::manifest::{Tree, Upgrade};
use crate::tree;

impl Harness<'_> {
    async fn upgrade_run(
        &self,
        u: &Upgrade,
        w: &Workdir,
        scenario: &'static str,
        read_only: bool,
    ) -> Result<Run, HarnessError> {
        let spec = RunSpec {
            network: u.network.clone(),
            resources: u.resources,
            ..self.spec(w, scenario, self.upgrade_image(), Limit::Deadline(u.timeout), read_only)
        };
        self.exec(w, scenario, &spec).await
    }

    /// One run on a fresh copy of `tree`.
    async fn upgrade_once(
        &self,
        u: &Upgrade,
        tree: &Tree,
        scenario: &'static str,
        read_only: bool,
    ) -> Result<Run, HarnessError> {
        let w = self.prepare(tree)?;
        self.upgrade_run(u, &w, scenario, read_only).await
    }

    pub(super) async fn migrate(&self, u: &Upgrade, i: usize, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = u.from.get(i) else { return Ok(()) };
        let w = self.prepare(tree)?;
        let mut first = self.upgrade_run(u, &w, "migrate", false).await?;
        first.migrating = true;
        let exit = first.outcome.exit_code;
        if !Self::killed(MIGRATE, &first, r) {
            r.scenarios.push(Self::result(MIGRATE, &first, exit != Some(0)));
            if exit != Some(0) {
                r.findings.extend(
                    self.finding(
                        "T001",
                        tree.span,
                        format!("the upgrade exited {} on data it should migrate", code_text(exit)),
                        "an upgrade that cannot migrate supported older data fails the appliance upgrade; \
                     see the logs for why it gave up"
                            .into(),
                        self.evidence(MIGRATE.name, &first, &[]),
                    ),
                );
            }
        }
        // What follows judges the migrated tree: only a migration that succeeded made one.
        let unusable = if first.outcome.timed_out {
            Some(KILLED)
        } else {
            (exit != Some(0)).then_some("the migration failed")
        };
        if u.writes_data_version.is_some() {
            match unusable {
                Some(why) => r.scenarios.push(Self::skip(DATA_VERSION, &tree.label, why)),
                None => self.data_version(u, &first, &w, r),
            }
        }
        if i == 0 {
            match (unusable, &u.expected) {
                (_, None) => {
                    r.scenarios.push(Self::skip(GOLDEN, &tree.label, "no `expected` tree in [upgrade]"))
                }
                (Some(why), Some(_)) => r.scenarios.push(Self::skip(GOLDEN, &tree.label, why)),
                (None, Some(expected)) => self.golden(expected, &first, r)?,
            }
            match unusable {
                Some(why) => r.scenarios.push(Self::skip(RERUN, &tree.label, why)),
                None => {
                    let second = self.upgrade_run(u, &w, "rerun", false).await?;
                    self.unchanged(RERUN, "T003", &second, r, |what| {
                        format!("running the upgrade again on the data it had just migrated {what}")
                    });
                    r.runs.push(second);
                }
            }
        }
        r.runs.push(first);
        Ok(())
    }

    /// Rerun and no-op: a run with nothing to do exits 0 and leaves every file as it was.
    fn unchanged(
        &self,
        s: Scenario,
        code: &str,
        run: &Run,
        r: &mut JobResult,
        message: impl Fn(&str) -> String,
    ) {
        if Self::killed(s, run, r) {
            return;
        }
        let changes = run.changes();
        let exit = run.outcome.exit_code;
        let failed = exit != Some(0) || !changes.is_empty();
        r.scenarios.push(Self::result(s, run, failed));
        if failed {
            let what = match changes.len() {
                0 => format!("exited {}", code_text(exit)),
                n => format!("exited {} and changed {n} path(s)", code_text(exit)),
            };
            r.findings.extend(
                self.finding(
                    code,
                    run.tree.span,
                    message(&what),
                    "with nothing to migrate the upgrade must exit 0 and leave every file as it was: read \
                 the data version first and make every step skip work that is already done"
                        .into(),
                    self.evidence(s.name, run, &changes),
                ),
            );
        }
    }

    fn golden(&self, expected: &Tree, first: &Run, r: &mut JobResult) -> Result<(), HarnessError> {
        // Only the storage folders are mounted; the rest of a tree is context, not output. The
        // expected tree comes from a git checkout, which keeps only 644 or 755 and applies the
        // user's umask: both sides are compared as git would record them.
        let expected_tree =
            tree::snapshot(&expected.path).map_err(|e| io("cannot read", &expected.path, e))?;
        let want = as_git_records(storage_only(expected_tree));
        let got = as_git_records(storage_only(first.after.clone()));
        let changes = tree::diff(&want, &got);
        r.scenarios.push(Self::result(GOLDEN, first, !changes.is_empty()));
        if !changes.is_empty() {
            r.findings.extend(
                self.finding(
                    "T002",
                    expected.span,
                    format!(
                        "migrating {} gives a tree that differs from {} in {} path(s)",
                        first.tree.label,
                        expected.label,
                        changes.len()
                    ),
                    "`added` means the upgrade wrote a path the expected tree lacks, `removed` one it \
                 failed to produce; fix the migration or, if the new result is right, the expected tree"
                        .into(),
                    self.evidence(GOLDEN.name, first, &changes),
                ),
            );
        }
        Ok(())
    }

    fn data_version(&self, u: &Upgrade, first: &Run, w: &Workdir, r: &mut JobResult) {
        let system = std::fs::read(w.path.join(VERSION_FILE)).ok();
        let data = std::fs::read(w.path.join("storage/data/version")).ok();
        let ok = system.is_some() && system == data;
        r.scenarios.push(Self::result(DATA_VERSION, first, !ok));
        if !ok {
            let what = if data.is_none() { "does not exist" } else { "differs from /etc/vmware/version" };
            r.findings.extend(self.finding(
                "T013",
                u.writes_data_version.unwrap_or(u.section_span),
                format!("after a successful upgrade of {}, /storage/data/version {what}", first.tree.label),
                "copy /etc/vmware/version to /storage/data/version as the last step of a successful upgrade"
                    .into(),
                self.evidence(DATA_VERSION.name, first, &first.changes()),
            ));
        }
    }

    pub(super) async fn noop(&self, u: &Upgrade, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = &u.current else { return Ok(()) };
        let run = self.upgrade_once(u, tree, "no-op", false).await?;
        self.unchanged(NO_OP, "T004", &run, r, |what| {
            format!("on data already at {} the upgrade {what}", u.version)
        });
        r.runs.push(run);
        Ok(())
    }

    pub(super) async fn refuse(&self, u: &Upgrade, i: usize, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = u.incompatible.get(i) else { return Ok(()) };
        let run = self.upgrade_once(u, tree, "refuse", false).await?;
        if !Self::killed(REFUSE, &run, r) {
            self.judge_refusal(tree, &run, r);
        }
        r.runs.push(run);
        Ok(())
    }

    fn judge_refusal(&self, tree: &Tree, run: &Run, r: &mut JobResult) {
        let changes = run.changes();
        let accepted = run.outcome.exit_code == Some(0);
        let modified = !changes.is_empty();
        r.scenarios.push(Self::result(REFUSE, run, accepted || modified));
        let label = &tree.label;
        let mut report = |code: &str, message: String, help: &str, changes: &[tree::Change]| {
            let evidence = self.evidence(REFUSE.name, run, changes);
            r.findings.extend(self.finding(code, tree.span, message, help.into(), evidence));
        };
        if accepted {
            report(
                "T005",
                format!("the upgrade exited 0 on incompatible data ({label})"),
                "refuse data this version cannot handle with a documented non-zero exit code, so the \
                 appliance upgrade stops",
                &[],
            );
        }
        if modified {
            report(
                "T006",
                format!("the upgrade changed {} path(s) of incompatible data ({label})", changes.len()),
                "check compatibility before the first write, and write nothing when refusing",
                &changes,
            );
        }
        if accepted && modified {
            report(
                "T008",
                format!(
                    "the upgrade migrated data of an incompatible version ({label}) as if it were compatible"
                ),
                "store a data version with the data, read it first, and refuse versions this upgrade \
                 does not know",
                &changes,
            );
        }
    }

    pub(super) async fn read_only(&self, u: &Upgrade, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = u.from.first() else { return Ok(()) };
        let run = self.upgrade_once(u, tree, "read-only", true).await?;
        if !Self::killed(READ_ONLY, &run, r) {
            let hidden = run.outcome.exit_code == Some(0);
            r.scenarios.push(Self::result(READ_ONLY, &run, hidden));
            if hidden {
                r.findings.extend(
                    self.finding(
                        "T007",
                        tree.span,
                        format!("with the storage mounted read-only, migrating {} exited 0", tree.label),
                        "a write that fails is a failed upgrade: check every write and exit with a \
                     documented non-zero code"
                            .into(),
                        self.evidence(READ_ONLY.name, &run, &[]),
                    ),
                );
            }
        }
        r.runs.push(run);
        Ok(())
    }
}
