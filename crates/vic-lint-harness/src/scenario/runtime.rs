//! Scenarios on the component's own container: a normal run and degraded runs.

use super::{Harness, HarnessError, JobResult, Run, LOG_TAIL_LINES, RUNTIME_DEGRADED, RUNTIME_NORMAL};
use crate::engine::Limit;
use crate::manifest::{Runtime, Tree};

impl Harness<'_> {
    async fn runtime_run(
        &self,
        rt: &Runtime,
        tree: &Tree,
        scenario: &'static str,
    ) -> Result<Run, HarnessError> {
        let w = self.prepare(tree)?;
        self.exec(&w, scenario, self.runtime_image(), Limit::RunFor(rt.run_for), false, &rt.network).await
    }

    pub(super) async fn runtime_normal(&self, rt: &Runtime, r: &mut JobResult) -> Result<(), HarnessError> {
        let run = self.runtime_run(rt, &rt.data, "runtime").await?;
        let errors: Vec<&str> = run.outcome.logs.lines().filter(|l| rt.error_pattern.is_match(l)).collect();
        let bad_exit = run.outcome.exit_code.filter(|c| *c != 0);
        let failed = bad_exit.is_some() || !errors.is_empty();
        r.scenarios.push(Self::result(RUNTIME_NORMAL, &run, failed));
        if failed {
            let mut parts = Vec::new();
            if let Some(code) = bad_exit {
                parts.push(format!("exited {code}"));
            }
            if !errors.is_empty() {
                parts.push(format!("logged {} line(s) matching error-pattern", errors.len()));
            }
            let mut evidence = self.evidence(RUNTIME_NORMAL.name, &run, &[]);
            // The lines that matched say more than the last lines.
            if !errors.is_empty() {
                evidence.log_tail = errors.iter().take(LOG_TAIL_LINES).map(|l| l.to_string()).collect();
            }
            r.findings.extend(self.finding(
                "T014",
                rt.data.span,
                format!("on healthy data ({}) the component {}", rt.data.label, parts.join(" and ")),
                "keep error-level messages for real failures; a healthy start logs at info level".into(),
                evidence,
            ));
        }
        Ok(())
    }

    pub(super) async fn degraded(
        &self,
        rt: &Runtime,
        i: usize,
        r: &mut JobResult,
    ) -> Result<(), HarnessError> {
        let Some(tree) = rt.degraded.get(i) else { return Ok(()) };
        let run = self.runtime_run(rt, tree, "degraded").await?;
        let code = run.outcome.exit_code;
        let exit_zero = code == Some(0);
        let silent = !run.outcome.printed;
        let crashed = run.outcome.oom_killed || code.is_some_and(|c| c >= 128);
        r.scenarios.push(Self::result(RUNTIME_DEGRADED, &run, exit_zero || silent || crashed));
        let evidence = self.evidence(RUNTIME_DEGRADED.name, &run, &[]);
        let mut report = |code: &str, what: String, help: &str| {
            let message = format!("on degraded data ({}) the component {what}", tree.label);
            r.findings.extend(self.finding(code, tree.span, message, help.into(), evidence.clone()));
        };
        if exit_zero {
            report(
                "T015",
                "exited 0".into(),
                "a component that cannot work must exit non-zero, so systemd and the appliance see the failure",
            );
        }
        if silent {
            report(
                "T016",
                "printed nothing".into(),
                "log what is missing or wrong, and where, so the failure can be fixed from the logs",
            );
        }
        if crashed {
            let how = match code {
                Some(c) if !run.outcome.oom_killed => {
                    format!("was killed by signal {} (exit code {c})", c - 128)
                }
                _ => "was killed for running out of memory".to_string(),
            };
            report(
                "T017",
                how,
                "detect the missing resource and exit with a non-zero status, or stay up and report the \
                 problem to the user, instead of crashing",
            );
        }
        Ok(())
    }
}
