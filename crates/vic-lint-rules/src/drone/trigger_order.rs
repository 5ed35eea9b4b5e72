use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::model::{all, is_downstream, names_appliance, Step};

/// CI-7: a build handed to the appliance has passed the component's integration tests.
pub struct DownstreamTriggerBeforeTests;

/// Commands that print, wait or look around, and so prove nothing.
const TRIVIAL: &[&str] =
    &["echo", "printf", "true", ":", "sleep", "exit", "cat", "ls", "env", "pwd", "date", "set"];

fn runs_tests(step: &Step<'_>) -> bool {
    !is_downstream(step)
        && step.commands.iter().any(|c| {
            c.split(['\n', ';', '&', '|']).any(|part| {
                part.split_whitespace().next().is_some_and(|w| !TRIVIAL.contains(&w) && !w.starts_with('#'))
            })
        })
}

impl Rule for DownstreamTriggerBeforeTests {
    fn code(&self) -> &'static str {
        "P002"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        let pipelines = all(cx);
        for p in &pipelines {
            // A pipeline that depends on others runs after all their steps passed.
            let upstream_tests = pipelines
                .iter()
                .filter(|q| !q.name.is_empty() && p.depends_on.contains(&q.name))
                .any(|q| q.steps.iter().any(runs_tests));
            if upstream_tests {
                continue;
            }
            for (i, step) in p.steps.iter().enumerate() {
                if !is_downstream(step) || !names_appliance(step) {
                    continue;
                }
                // With `depends_on`, Drone 1.x runs a step after exactly those; else in order.
                let before: Vec<&Step<'_>> = if step.depends_on.is_empty() {
                    p.steps.iter().take(i).collect()
                } else {
                    p.steps.iter().filter(|s| step.depends_on.contains(&s.name.as_str())).collect()
                };
                if before.iter().any(|s| runs_tests(s)) {
                    continue;
                }
                sink.report(p.file, step.span, format!("`{}` triggers the appliance build before any test runs", step.name))
                    .help("run the component's integration tests in a step before the trigger (or in its `depends_on`)")
                    .anchor(format!("steps/{}", step.name));
            }
        }
    }
}
