use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// SEC-2: a privileged container has every capability and every host device.
pub struct PrivilegedContainer;

impl Rule for PrivilegedContainer {
    fn code(&self) -> &'static str {
        "K001"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        if let Some(v) = &spec.privileged {
            sink.report(v.file, v.span, "the container runs privileged: all capabilities and host devices")
                .help(format!(
                    "remove {}; grant only the capabilities the service needs with {}",
                    spec.option("privileged"),
                    spec.option("cap-add")
                ))
                .anchor(spec.anchor_for("privileged"));
        }
    }
}
