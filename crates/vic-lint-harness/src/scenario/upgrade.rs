//! Scenarios on the upgrade container's own runs: migrate, golden, rerun, data version, no-op,
//! refuse and read-only disk.

use super::{as_git_records, code_text, storage_only};
use super::{io, Harness, HarnessError, JobResult, Run, Workdir, KILLED, VERSION_FILE};
use crate::engine::Limit;
use crate::manifest::Upgrade;
use crate::tree;

impl Harness<'_> {
    pub(super) async fn migrate(&self, u: &Upgrade, i: usize, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = u.from.get(i) else { return Ok(()) };
        let w = self.prepare(tree)?;
        let limit = Limit::Deadline(u.timeout);
        let mut first = self.exec(&w, "migrate", self.upgrade_image(), limit, false, &u.network).await?;
        first.migrating = true;
        let exit = first.outcome.exit_code;
        if first.outcome.timed_out {
            r.scenarios.push(Self::skip("migrate", "UPG-2", &tree.label, KILLED));
        } else {
            let failed = exit != Some(0);
            r.scenarios.push(Self::result("migrate", "UPG-2", &first, failed));
            if failed {
                let f = self.finding(
                    "T001",
                    tree.span,
                    format!("the upgrade exited {} on data it should migrate", code_text(exit)),
                    "an upgrade that cannot migrate supported older data fails the appliance upgrade; \
                     see the logs for why it gave up"
                        .into(),
                    self.evidence(&first, &[]),
                );
                self.push(r, f);
            }
        }
        if u.writes_data_version.is_some() {
            self.data_version(u, &first, &w, r);
        }
        if i == 0 {
            self.golden(u, &first, r)?;
            let ran_ok = !first.outcome.timed_out && exit == Some(0);
            if ran_ok {
                let second = self.exec(&w, "rerun", self.upgrade_image(), limit, false, &u.network).await?;
                if second.outcome.timed_out {
                    r.scenarios.push(Self::skip("rerun", "UPG-4", &tree.label, KILLED));
                } else {
                    let changes = second.changes();
                    let failed = second.outcome.exit_code != Some(0) || !changes.is_empty();
                    r.scenarios.push(Self::result("rerun", "UPG-4", &second, failed));
                    if failed {
                        let what = if changes.is_empty() {
                            format!("exited {}", code_text(second.outcome.exit_code))
                        } else {
                            format!(
                                "exited {} and changed {} path(s)",
                                code_text(second.outcome.exit_code),
                                changes.len()
                            )
                        };
                        let f = self.finding(
                            "T003",
                            tree.span,
                            format!("running the upgrade again on the data it had just migrated {what}"),
                            "a second run must find nothing to do: check the data version first and \
                             make every step skip work that is already done"
                                .into(),
                            self.evidence(&second, &changes),
                        );
                        self.push(r, f);
                    }
                }
                r.runs.push(second);
            } else {
                let why = if first.outcome.timed_out { KILLED } else { "the first migration failed" };
                r.scenarios.push(Self::skip("rerun", "UPG-4", &tree.label, why));
            }
        }
        r.runs.push(first);
        Ok(())
    }

    fn golden(&self, u: &Upgrade, first: &Run, r: &mut JobResult) -> Result<(), HarnessError> {
        let label = &first.tree.label;
        let Some(expected) = &u.expected else {
            r.scenarios.push(Self::skip("golden", "UPG-6", label, "no `expected` tree in [upgrade]"));
            return Ok(());
        };
        if first.outcome.timed_out || first.outcome.exit_code != Some(0) {
            let why = if first.outcome.timed_out { KILLED } else { "the migration failed" };
            r.scenarios.push(Self::skip("golden", "UPG-6", label, why));
            return Ok(());
        }
        // Only the storage folders are mounted; the rest of a tree is context, not output. The
        // expected tree comes from a git checkout, which keeps only 644 or 755 and applies the
        // user's umask: both sides are compared as git would record them.
        let expected_tree =
            tree::snapshot(&expected.path).map_err(|e| io("cannot read", &expected.path, e))?;
        let want = as_git_records(storage_only(expected_tree));
        let got = as_git_records(storage_only(first.after.clone()));
        let changes = tree::diff(&want, &got);
        r.scenarios.push(Self::result("golden", "UPG-6", first, !changes.is_empty()));
        if !changes.is_empty() {
            let mut evidence = self.evidence(first, &changes);
            evidence.scenario = "golden".into();
            let f = self.finding(
                "T002",
                expected.span,
                format!(
                    "migrating {label} gives a tree that differs from {} in {} path(s)",
                    expected.label,
                    changes.len()
                ),
                "`added` means the upgrade wrote a path the expected tree lacks, `removed` one it \
                 failed to produce; fix the migration or, if the new result is right, the expected tree"
                    .into(),
                evidence,
            );
            self.push(r, f);
        }
        Ok(())
    }

    fn data_version(&self, u: &Upgrade, first: &Run, w: &Workdir, r: &mut JobResult) {
        let label = &first.tree.label;
        if first.outcome.timed_out || first.outcome.exit_code != Some(0) {
            let why = if first.outcome.timed_out { KILLED } else { "the migration failed" };
            r.scenarios.push(Self::skip("data version", "VER-2", label, why));
            return;
        }
        let system = std::fs::read(w.path.join(VERSION_FILE)).ok();
        let data = std::fs::read(w.path.join("storage/data/version")).ok();
        let ok = system.is_some() && system == data;
        r.scenarios.push(Self::result("data version", "VER-2", first, !ok));
        if !ok {
            let what = if data.is_none() {
                "/storage/data/version does not exist".to_string()
            } else {
                "/storage/data/version differs from /etc/vmware/version".to_string()
            };
            let mut evidence = self.evidence(first, &first.changes());
            evidence.scenario = "data version".into();
            let f = self.finding(
                "T013",
                u.writes_data_version.unwrap_or(u.section_span),
                format!("after a successful upgrade of {label}, {what}"),
                "copy /etc/vmware/version to /storage/data/version as the last step of a successful upgrade"
                    .into(),
                evidence,
            );
            self.push(r, f);
        }
    }

    pub(super) async fn noop(&self, u: &Upgrade, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = &u.current else { return Ok(()) };
        let w = self.prepare(tree)?;
        let run = self
            .exec(&w, "no-op", self.upgrade_image(), Limit::Deadline(u.timeout), false, &u.network)
            .await?;
        if run.outcome.timed_out {
            r.scenarios.push(Self::skip("no-op", "UPG-4", &tree.label, KILLED));
        } else {
            let changes = run.changes();
            let failed = run.outcome.exit_code != Some(0) || !changes.is_empty();
            r.scenarios.push(Self::result("no-op", "UPG-4", &run, failed));
            if failed {
                let f = self.finding(
                    "T004",
                    tree.span,
                    format!(
                        "on data already at {} the upgrade exited {} and changed {} path(s)",
                        u.version,
                        code_text(run.outcome.exit_code),
                        changes.len()
                    ),
                    "with nothing to migrate the upgrade must exit 0 and leave every file as it was".into(),
                    self.evidence(&run, &changes),
                );
                self.push(r, f);
            }
        }
        r.runs.push(run);
        Ok(())
    }

    pub(super) async fn refuse(&self, u: &Upgrade, i: usize, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = u.incompatible.get(i) else { return Ok(()) };
        let w = self.prepare(tree)?;
        let run = self
            .exec(&w, "refuse", self.upgrade_image(), Limit::Deadline(u.timeout), false, &u.network)
            .await?;
        if run.outcome.timed_out {
            r.scenarios.push(Self::skip("refuse", "UPG-5, UPG-10, VER-4", &tree.label, KILLED));
            r.runs.push(run);
            return Ok(());
        }
        let changes = run.changes();
        let accepted = run.outcome.exit_code == Some(0);
        let modified = !changes.is_empty();
        r.scenarios.push(Self::result("refuse", "UPG-5, UPG-10, VER-4", &run, accepted || modified));
        if accepted {
            let f = self.finding(
                "T005",
                tree.span,
                format!("the upgrade exited 0 on incompatible data ({})", tree.label),
                "refuse data this version cannot handle with a documented non-zero exit code, so the \
                 appliance upgrade stops"
                    .into(),
                self.evidence(&run, &[]),
            );
            self.push(r, f);
        }
        if modified {
            let f = self.finding(
                "T006",
                tree.span,
                format!(
                    "the upgrade changed {} path(s) of incompatible data ({})",
                    changes.len(),
                    tree.label
                ),
                "check compatibility before the first write, and write nothing when refusing".into(),
                self.evidence(&run, &changes),
            );
            self.push(r, f);
        }
        if accepted && modified {
            let f = self.finding(
                "T008",
                tree.span,
                format!(
                    "the upgrade migrated data of an incompatible version ({}) as if it were compatible",
                    tree.label
                ),
                "store a data version with the data, read it first, and refuse versions this upgrade \
                 does not know"
                    .into(),
                self.evidence(&run, &changes),
            );
            self.push(r, f);
        }
        r.runs.push(run);
        Ok(())
    }

    pub(super) async fn read_only(&self, u: &Upgrade, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(tree) = u.from.first() else { return Ok(()) };
        let w = self.prepare(tree)?;
        let run = self
            .exec(&w, "read-only", self.upgrade_image(), Limit::Deadline(u.timeout), true, &u.network)
            .await?;
        if run.outcome.timed_out {
            r.scenarios.push(Self::skip("read-only disk", "UPG-5", &tree.label, KILLED));
        } else {
            let hidden = run.outcome.exit_code == Some(0);
            r.scenarios.push(Self::result("read-only disk", "UPG-5", &run, hidden));
            if hidden {
                let f = self.finding(
                    "T007",
                    tree.span,
                    format!("with the storage mounted read-only, migrating {} exited 0", tree.label),
                    "a write that fails is a failed upgrade: check every write and exit with a \
                     documented non-zero code"
                        .into(),
                    self.evidence(&run, &[]),
                );
                self.push(r, f);
            }
        }
        r.runs.push(run);
        Ok(())
    }
}
