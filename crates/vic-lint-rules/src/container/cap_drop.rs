use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// SEC-2: without a capability drop the container keeps Docker's default set.
pub struct MissingCapDrop;

impl Rule for MissingCapDrop {
    fn code(&self) -> &'static str {
        "K003"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        if spec.cap_drop.is_empty() {
            sink.report(
                spec.file,
                spec.span,
                format!("the container keeps Docker's default capabilities: no {}", spec.option("cap-drop")),
            )
            .help(format!(
                "add {}, then {} only what the service needs",
                // Compose wants a list here; a bare `ALL` is a string it rejects.
                spec.setting("cap-drop", if spec.compose { "[ALL]" } else { "ALL" }),
                spec.option("cap-add")
            ))
            .anchor(spec.anchor_for("cap_drop"));
        }
    }
}
