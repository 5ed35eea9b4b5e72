//! Scenarios on the component's own container: a normal run and degraded runs.

use super::{Harness, HarnessError, JobResult, LOG_TAIL_LINES};
use crate::engine::Limit;
use crate::manifest::Runtime;

impl Harness<'_> {
    pub(super) async fn runtime_normal(&self, rt: &Runtime, r: &mut JobResult) -> Result<(), HarnessError> {
        let w = self.prepare(&rt.data)?;
        let run = self
            .exec(&w, "runtime", self.runtime_image(), Limit::RunFor(rt.run_for), false, &rt.network)
            .await?;
        let errors: Vec<&str> = run.outcome.logs.lines().filter(|l| rt.error_pattern.is_match(l)).collect();
        let bad_exit = run.outcome.exit_code.is_some_and(|c| c != 0);
        r.scenarios.push(Self::result("runtime normal", "RUN-1", &run, bad_exit || !errors.is_empty()));
        if bad_exit || !errors.is_empty() {
            let mut parts = Vec::new();
            if let Some(code) = run.outcome.exit_code.filter(|c| *c != 0) {
                parts.push(format!("exited {code}"));
            }
            if !errors.is_empty() {
                parts.push(format!("logged {} line(s) matching error-pattern", errors.len()));
            }
            let mut evidence = self.evidence(&run, &[]);
            evidence.scenario = "runtime normal".into();
            evidence.log_tail = errors.iter().take(LOG_TAIL_LINES).map(|l| l.to_string()).collect();
            let f = self.finding(
                "T014",
                rt.data.span,
                format!("on healthy data ({}) the component {}", rt.data.label, parts.join(" and ")),
                "keep error-level messages for real failures; a healthy start logs at info level".into(),
                evidence,
            );
            self.push(r, f);
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
        let w = self.prepare(tree)?;
        let run = self
            .exec(&w, "degraded", self.runtime_image(), Limit::RunFor(rt.run_for), false, &rt.network)
            .await?;
        let code = run.outcome.exit_code;
        let exit_zero = code == Some(0);
        let silent = !run.outcome.printed;
        let crashed = run.outcome.oom_killed || code.is_some_and(|c| c >= 128);
        r.scenarios.push(Self::result(
            "runtime degraded",
            "RUN-3, RUN-4, RUN-5",
            &run,
            exit_zero || silent || crashed,
        ));
        let mut evidence = self.evidence(&run, &[]);
        evidence.scenario = "runtime degraded".into();
        if exit_zero {
            r.findings.extend(self.finding(
                "T015",
                tree.span,
                format!("on degraded data ({}) the component exited 0", tree.label),
                "a component that cannot work must exit non-zero, so systemd and the appliance see the failure"
                    .into(),
                evidence.clone(),
            ));
        }
        if silent {
            r.findings.extend(self.finding(
                "T016",
                tree.span,
                format!("on degraded data ({}) the component printed nothing", tree.label),
                "log what is missing or wrong, and where, so the failure can be fixed from the logs".into(),
                evidence.clone(),
            ));
        }
        if crashed {
            let how = if run.outcome.oom_killed {
                "was killed for running out of memory".to_string()
            } else {
                let c = code.unwrap_or_default();
                format!("was killed by signal {} (exit code {c})", c - 128)
            };
            r.findings.extend(
                self.finding(
                    "T017",
                    tree.span,
                    format!("on degraded data ({}) the component {how}", tree.label),
                    "detect the missing resource and exit with a non-zero status, or stay up and report \
                 the problem to the user, instead of crashing"
                        .into(),
                    evidence,
                ),
            );
        }
        Ok(())
    }
}
