use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// SEC-2: sharing a host namespace removes the isolation a container exists for.
pub struct HostNamespace;

impl Rule for HostNamespace {
    fn code(&self) -> &'static str {
        "K005"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        let settings = [
            ("network", &spec.network),
            ("pid", &spec.pid),
            ("ipc", &spec.ipc),
            ("uts", &spec.uts),
            ("userns", &spec.userns),
        ];
        for (what, value) in settings {
            let Some(v) = value else { continue };
            if v.text.trim().eq_ignore_ascii_case("host") {
                sink.report(v.file, v.span, format!("the container shares the host's {what} namespace"))
                    .help(match what {
                        "network" => {
                            "use a bridge network and publish only the appliance's ports".to_string()
                        }
                        _ => format!("remove {}", spec.setting(what, "host")),
                    })
                    .anchor(spec.anchor_for(what));
            }
        }
    }
}
