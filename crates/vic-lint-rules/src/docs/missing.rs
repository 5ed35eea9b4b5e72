use vic_lint_core::rule::{ComponentCx, Rule, Sink};

/// CI-3: the integration document is the interface between the appliance and the component.
pub struct MissingIntegrationDoc;

impl Rule for MissingIntegrationDoc {
    fn code(&self) -> &'static str {
        "D001"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if !cx.docs.is_empty() || !cx.alone || (cx.units.is_empty() && cx.composes.is_empty()) {
            return;
        }
        let Some((file, span)) = cx.anchor_point() else { return };
        sink.report(file, span, format!("component `{}` has no integration document", cx.component.name))
            .help(
                "copy the appliance's INTEGRATION-TEMPLATE.md into the component, answer every question, \
                 and name it with `integration-doc` in vic-lint.toml if vic-lint does not find it",
            )
            .anchor("integration-doc");
    }
}
