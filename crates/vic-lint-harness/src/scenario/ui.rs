//! The UI scenarios (RUN-2): what the last probe of a runtime run showed the user.

use vic_lint_core::finding::ProbeEvidence;

use super::runtime::Watched;
use super::{Harness, JobResult, UI_DEGRADED, UI_NORMAL};
use crate::manifest::{Runtime, Tree};
use crate::probe::{self, Outcome, Probe, Verdict};

/// How much of a body the evidence shows.
const BODY_SHOWN: usize = 200;

fn evidence(p: &Probe) -> ProbeEvidence {
    let at_ms = u64::try_from(p.at.as_millis()).unwrap_or(u64::MAX);
    match &p.outcome {
        Outcome::Answer { status, body, certificate } => {
            let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut start: String = flat.chars().take(BODY_SHOWN).collect();
            if flat.chars().nth(BODY_SHOWN).is_some() {
                start.push('…');
            }
            ProbeEvidence {
                url: p.url.clone(),
                at_ms,
                status: Some(*status),
                body_start: Some(start),
                error: None,
                certificate: certificate.clone(),
            }
        }
        Outcome::NoAnswer(why) => {
            ProbeEvidence { url: p.url.clone(), at_ms, error: Some(why.clone()), ..Default::default() }
        }
    }
}

impl Harness<'_> {
    pub(super) fn judge_ui(
        &self,
        rt: &Runtime,
        tree: &Tree,
        degraded: bool,
        watched: &Watched,
        r: &mut JobResult,
    ) {
        let scenario = if degraded { UI_DEGRADED } else { UI_NORMAL };
        let probe = match (&rt.ui, &watched.probe) {
            (None, _) | (_, None) => {
                r.scenarios.push(Self::skip(scenario, &tree.label, "no [runtime.ui] in the manifest"));
                return;
            }
            (_, Some(Err(why))) => {
                r.scenarios.push(Self::skip(scenario, &tree.label, why));
                return;
            }
            (Some(ui), Some(Ok(p))) => (ui, p),
        };
        let (ui, p) = probe;
        let verdict = probe::judge(&p.outcome, degraded, &ui.error_pattern);
        r.scenarios.push(Self::result(scenario, &watched.run, verdict != Verdict::Pass));
        let data = if degraded { "degraded" } else { "healthy" };
        let (code, what, help) = match verdict {
            Verdict::Pass => return,
            Verdict::NoAnswer(why) => (
                "T018",
                format!("gave no answer ({why})"),
                if degraded {
                    "keep the UI up when the component cannot work, and show there what is wrong"
                } else {
                    "the UI must answer within `run-for` on healthy data; check `[runtime.ui] port` and `path`"
                },
            ),
            Verdict::Bare(what) => (
                "T019",
                format!("answered with {what}"),
                "show a page a user can read: what is wrong and what to do, with details in the logs",
            ),
            Verdict::HidesFailure { status } => (
                "T020",
                format!("answered {status} with a page that gives no sign of the failure"),
                "answer with an error status (503) and a page that says the component is not working and why",
            ),
            Verdict::ErrorWhenHealthy(what) => (
                "T021",
                format!("shows an error: {what}"),
                "on healthy data the UI works without error; if the words are not errors, set \
                 `[runtime.ui] error-pattern`",
            ),
        };
        let mut evidence = self.evidence(scenario.name, &watched.run, &[]);
        evidence.probe = Some(self::evidence(p));
        r.findings.extend(self.finding(
            code,
            tree.span,
            format!("on {data} data ({}) the UI (port {}, {}) {what}", tree.label, ui.port, ui.path),
            help.to_string(),
            evidence,
        ));
    }
}
