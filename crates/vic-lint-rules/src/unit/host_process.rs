use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};
use vic_lint_syntax::command::Invocation;

use super::exec_kind::{program_name, script};

/// SEC-1: components run as Docker containers, isolated from the appliance.
pub struct HostProcessNotContainer;

impl Rule for HostProcessNotContainer {
    fn code(&self) -> &'static str {
        "U008"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role != UnitRole::Main {
            return;
        }
        for exec in cx.execs.iter().filter(|e| e.key == "ExecStart") {
            for c in &exec.commands {
                let host = matches!(c.invocation, Invocation::Other { .. }) && script(c).is_none();
                if host {
                    sink.report(
                        exec.file,
                        c.program.span(),
                        format!("`ExecStart=` runs `{}` on the host, not in a container", program_name(c)),
                    )
                    .help("package the service as a Docker image and start it with `docker run`")
                    .anchor(exec.anchor());
                }
            }
        }
    }
}
