use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// SEC-2: a service that asks to run as root gives that away to any compromise.
pub struct RootUser;

impl Rule for RootUser {
    fn code(&self) -> &'static str {
        "K007"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        let Some(user) = &spec.user else { return };
        let name = user.text.trim().split(':').next().unwrap_or("");
        if name == "root" || name == "0" {
            sink.report(user.file, user.span, format!("the container runs as `{}`", user.text.trim()))
                .help("run as an unprivileged user, e.g. `1000:1000`, and give it the files it needs")
                .anchor(spec.anchor_for("user"));
        }
    }
}
