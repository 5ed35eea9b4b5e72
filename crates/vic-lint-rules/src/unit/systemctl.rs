use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};
use vic_lint_syntax::command::Invocation;

use crate::model::each_command;

/// SVC-6: dependencies are declared, so systemd can order, restart and stop them.
pub struct ExecRunsSystemctl;

impl Rule for ExecRunsSystemctl {
    fn code(&self) -> &'static str {
        "U006"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role == UnitRole::Other {
            return;
        }
        for exec in cx.execs {
            each_command(exec, |c| {
                let Invocation::Systemctl { verb, .. } = &c.invocation else { return };
                let what = verb.as_ref().map_or(String::new(), |v| format!(" {}", v.as_str()));
                sink.report(exec.file, c.program.span(), format!("`{}=` runs `systemctl{what}`", exec.key))
                    .help("declare the other service with `Wants=`/`Requires=` and `After=`/`Before=` in [Unit]")
                    .anchor(exec.anchor());
            });
        }
    }
}
