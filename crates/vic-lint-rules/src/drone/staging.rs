use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::model::{all, anchor, condition};

/// CI-6: a staging branch tests the component with the appliance before it is included.
pub struct NoStagingWorkflow;

impl Rule for NoStagingWorkflow {
    fn code(&self) -> &'static str {
        "P004"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if cx.drones.is_empty() {
            return;
        }
        let pipelines = all(cx);
        let staging = |c| condition(c, "branch").iter().any(|b| b.contains("staging"));
        if pipelines.iter().any(|p| staging(p.trigger) || p.steps.iter().any(|s| staging(s.when))) {
            return;
        }
        let Some((file, span)) = anchor(cx, &pipelines) else { return };
        sink.report(file, span, "no step or pipeline runs for a staging branch")
            .help("add a step with `when: {branch: staging}` that builds and uploads staging artifacts")
            .anchor("staging");
    }
}
