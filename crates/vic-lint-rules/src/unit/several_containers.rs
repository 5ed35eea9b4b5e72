use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};
use vic_lint_syntax::{FileId, Span};

use super::exec_kind::{detach_span, starts_container, starts_detached};
use crate::model::each_command;

/// SVC-7: one unit, one container; dependencies are units of their own.
pub struct UnitStartsSeveralContainers;

impl Rule for UnitStartsSeveralContainers {
    fn code(&self) -> &'static str {
        "U007"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role == UnitRole::Other {
            return;
        }
        let help = "start each dependency from its own unit and declare it with `Requires=` and `After=`";
        let mut first: Option<(FileId, Span)> = None;
        for exec in cx.execs {
            let main = exec.key == "ExecStart";
            let pre_post = matches!(exec.key, "ExecStartPre" | "ExecStartPost");
            each_command(exec, |c| {
                if pre_post && starts_detached(c) {
                    sink.report(
                        exec.file,
                        detach_span(c),
                        format!("`{}=` starts a container in the background", exec.key),
                    )
                    .help(help)
                    .anchor(exec.anchor());
                } else if main && cx.role == UnitRole::Main && starts_container(c) {
                    match first {
                        None => first = Some((exec.file, c.span)),
                        Some((file, span)) => {
                            sink.report(exec.file, c.span, "the unit starts a second container")
                                .label(file, span, "the first container")
                                .help(help)
                                .anchor(exec.anchor());
                        }
                    }
                }
            });
        }
    }
}
