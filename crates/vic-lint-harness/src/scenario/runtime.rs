//! Scenarios on the component's own container: a normal run and degraded runs, each watched
//! while it runs: its UI probed (RUN-2) and, on degraded data, a neighbour beside it (RUN-4).

use super::{
    io, Harness, HarnessError, JobResult, Run, Workdir, LOG_TAIL_LINES, NEIGHBOUR, ROTATION,
    RUNTIME_DEGRADED, RUNTIME_NORMAL,
};
use crate::engine::{Limit, RunSpec};
use crate::manifest::{Runtime, Tree};
use crate::probe::{self, Probe};
use crate::sentinel;
use crate::tree::Change;

/// What was seen beside a runtime run.
pub(super) struct Watched {
    pub run: Run,
    /// The last probe of the UI, or why there was none; `None` without `[runtime.ui]`.
    pub probe: Option<Result<Probe, String>>,
    /// The neighbour after the run, or why there was none; `None` when none was asked for.
    pub neighbour: Option<Result<Neighbour, String>>,
}

pub(super) struct Neighbour {
    pub running: bool,
    pub changes: Vec<Change>,
}

/// The probe's view of one container.
struct Container<'a> {
    harness: &'a Harness<'a>,
    id: &'a str,
    network: &'a str,
}

impl probe::Target for Container<'_> {
    async fn address(&self) -> Option<std::net::IpAddr> {
        self.harness.engine.address(self.id, self.network).await
    }

    async fn running(&self) -> bool {
        self.harness.engine.running(self.id).await
    }
}

impl Harness<'_> {
    /// The network a runtime run joins: the manifest's, or an internal one of its own (`true`).
    pub(super) async fn network(&self, rt: &Runtime, name: &str) -> Result<(String, bool), HarnessError> {
        match &rt.network {
            Some(n) => Ok((n.clone(), false)),
            None => Ok((self.engine.create_network(&self.options.run_id, name).await?, true)),
        }
    }

    pub(super) async fn drop_network(&self, (name, own): (String, bool)) {
        if own && !self.options.keep {
            self.engine.remove_network(&name).await;
        }
    }

    pub(super) fn runtime_spec(
        &self,
        rt: &Runtime,
        w: &Workdir,
        scenario: &'static str,
        network: &str,
        run_for: std::time::Duration,
    ) -> RunSpec {
        RunSpec {
            network: network.to_string(),
            resources: rt.resources,
            ..self.spec(w, scenario, self.runtime_image(), Limit::RunFor(run_for), false)
        }
    }

    async fn runtime_run(
        &self,
        rt: &Runtime,
        tree: &Tree,
        scenario: &'static str,
        job: &str,
        neighbour: bool,
    ) -> Result<Watched, HarnessError> {
        let w = self.prepare(tree)?;
        let network = self.network(rt, job).await?;
        let watched = self.watch(rt, &w, scenario, &network.0, neighbour).await;
        self.drop_network(network).await;
        watched
    }

    async fn watch(
        &self,
        rt: &Runtime,
        w: &Workdir,
        scenario: &'static str,
        network: &str,
        with_neighbour: bool,
    ) -> Result<Watched, HarnessError> {
        let neighbour = match (with_neighbour, &self.images.neighbour) {
            (false, _) => None,
            (true, Err(why)) => Some(Err(why.clone())),
            (true, Ok(image)) => {
                sentinel::seed(&w.path)
                    .map_err(|e| io("cannot give the neighbour its files in", &w.path, e))?;
                let spec = RunSpec {
                    network: network.to_string(),
                    ..self.spec(w, "neighbour", image, Limit::RunFor(rt.run_for), false)
                };
                Some(Ok((self.engine.start(&spec).await?, spec)))
            }
        };
        let before = self.snapshot(w)?;
        let spec = self.runtime_spec(rt, w, scenario, network, rt.run_for);
        let started = self.engine.start(&spec).await?;
        let target = Container { harness: self, id: &started.id, network };
        let probing = async {
            let ui = rt.ui.as_ref()?;
            Some(if network == "none" {
                Err("the manifest sets `network = \"none\"`, so nothing can reach the UI".to_string())
            } else if !self.engine.local() {
                Err("the engine is remote (DOCKER_HOST), so its containers' addresses cannot be reached from here".to_string())
            } else {
                probe::watch(&target, ui, &w.path, started.at, rt.run_for).await
            })
        };
        let (ended, probe) = tokio::join!(self.engine.wait_exit(&started.id, rt.run_for), probing);
        let outcome = self.engine.finish(started, &spec, ended).await?;
        let run = self.ran(w, scenario, outcome, before)?;
        let neighbour = match neighbour {
            None => None,
            Some(Err(why)) => Some(Err(why)),
            Some(Ok((n, spec))) => {
                let running = self.engine.running(&n.id).await;
                self.engine.finish(n, &spec, false).await?;
                let changes = run.changes().into_iter().filter(|c| sentinel::owns(c.path())).collect();
                Some(Ok(Neighbour { running, changes }))
            }
        };
        Ok(Watched { run, probe, neighbour })
    }

    pub(super) async fn runtime_normal(&self, rt: &Runtime, r: &mut JobResult) -> Result<(), HarnessError> {
        let watched = self.runtime_run(rt, &rt.data, "runtime", "runtime", false).await?;
        self.judge_ui(rt, &rt.data, false, &watched, r);
        if rt.rotation.is_none() {
            r.scenarios.push(Self::skip(ROTATION, &rt.data.label, "no [runtime.rotation] in the manifest"));
        }
        let run = watched.run;
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
        let watched = self.runtime_run(rt, tree, "degraded", &format!("degraded-{i}"), true).await?;
        self.judge_ui(rt, tree, true, &watched, r);
        self.judge_neighbour(tree, &watched, r);
        let run = watched.run;
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

    fn judge_neighbour(&self, tree: &Tree, watched: &Watched, r: &mut JobResult) {
        let seen = match &watched.neighbour {
            None => return,
            Some(Err(why)) => {
                r.scenarios.push(Self::skip(NEIGHBOUR, &tree.label, why));
                return;
            }
            Some(Ok(seen)) => seen,
        };
        let failed = !seen.running || !seen.changes.is_empty();
        r.scenarios.push(Self::result(NEIGHBOUR, &watched.run, failed));
        if !failed {
            return;
        }
        let mut what = Vec::new();
        if !seen.running {
            what.push("the neighbour container stopped".to_string());
        }
        if !seen.changes.is_empty() {
            what.push(format!("{} of the neighbour's paths changed", seen.changes.len()));
        }
        let evidence = self.evidence(NEIGHBOUR.name, &watched.run, &seen.changes);
        r.findings.extend(self.finding(
            "T022",
            tree.span,
            format!(
                "on degraded data ({}) the component affected an unrelated process: {}",
                tree.label,
                what.join(" and ")
            ),
            format!(
                "touch only the component's own folders under /storage (the neighbour keeps its files in \
                 storage/*/{}); fail without removing or rewriting anything else",
                sentinel::FOLDER
            ),
            evidence,
        ));
    }
}
