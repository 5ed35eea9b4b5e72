use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// SEC-2: capabilities that amount to root on the host.
pub struct DangerousCapability;

const DANGEROUS: &[&str] = &["ALL", "SYS_ADMIN", "NET_ADMIN"];

impl Rule for DangerousCapability {
    fn code(&self) -> &'static str {
        "K002"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        for (i, cap) in spec.cap_add.iter().enumerate() {
            let upper = cap.text.trim().to_ascii_uppercase();
            let name = upper.strip_prefix("CAP_").unwrap_or(&upper);
            if DANGEROUS.contains(&name) {
                sink.report(cap.file, cap.span, format!("the container is granted the `{name}` capability"))
                    .help("add only the narrow capabilities the service needs (e.g. NET_BIND_SERVICE)")
                    .anchor(spec.anchor_for(&format!("cap_add#{i}")));
            }
        }
    }
}
