use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::model::{all, is_downstream, names_appliance, Step};

/// CI-7: a build handed to the appliance has passed the component's integration tests.
pub struct DownstreamTriggerBeforeTests;

/// Commands that print, wait, look around or test a condition, and so prove nothing.
const TRIVIAL: &[&str] = &[
    "echo", "printf", "true", "false", ":", "sleep", "exit", "cat", "ls", "env", "pwd", "date", "set",
    "export", "[", "[[", "test",
];

/// Shell words that start a command without being one (`if`, `then` ...).
const KEYWORDS: &[&str] =
    &["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}"];

/// A step that checks the commit author's membership of the organisation (the GitHub
/// `/orgs/<org>/members/<user>` call): a gate on who pushed, not a build or a test.
fn checks_membership(step: &Step<'_>) -> bool {
    step.name.to_ascii_lowercase().contains("membership")
        || step
            .commands
            .iter()
            .any(|c| c.contains("/members/") || c.to_ascii_lowercase().contains("membership"))
}

/// A step builds or tests when it runs something other than echo, true, sleep and the like,
/// and is neither the downstream trigger nor a membership check.
fn runs_tests(step: &Step<'_>) -> bool {
    !is_downstream(step)
        && !checks_membership(step)
        && step.commands.iter().any(|c| {
            c.split(['\n', ';', '&', '|']).any(|part| {
                part.split_whitespace()
                    .find(|w| !KEYWORDS.contains(w))
                    .is_some_and(|w| !TRIVIAL.contains(&w) && !w.starts_with('#'))
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
