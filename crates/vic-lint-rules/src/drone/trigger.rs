use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::model::{all, anchor, is_downstream, names_appliance};

/// CI-5: a new component build starts the appliance build, through a Drone downstream trigger.
pub struct NoDownstreamTrigger;

impl Rule for NoDownstreamTrigger {
    fn code(&self) -> &'static str {
        "P001"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if cx.units.is_empty() && cx.composes.is_empty() && cx.drones.is_empty() {
            return;
        }
        let pipelines = all(cx);
        let triggers: Vec<_> = pipelines
            .iter()
            .flat_map(|p| p.steps.iter().map(move |s| (p.file, s)))
            .filter(|(_, s)| is_downstream(s))
            .collect();
        if triggers.iter().any(|(_, s)| names_appliance(s)) {
            return;
        }
        let help =
            "add a step with `image: plugins/downstream` whose `repositories` name `vmware/vic-product`";
        if let Some((file, step)) = triggers.first() {
            sink.report(
                *file,
                step.span,
                format!("the downstream step `{}` does not trigger vic-product", step.name),
            )
            .help("add `vmware/vic-product` to the step's `repositories`")
            .anchor(format!("steps/{}", step.name));
            return;
        }
        if cx.drones.is_empty() && !cx.alone {
            return;
        }
        let Some((file, span)) = anchor(cx, &pipelines) else { return };
        let message = if cx.drones.is_empty() {
            "no `.drone.yml`: nothing triggers the appliance build".to_string()
        } else {
            "no step triggers the appliance build (vic-product)".to_string()
        };
        sink.report(file, span, message).help(help).anchor("downstream");
    }
}
