use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};
use vic_lint_syntax::command::Invocation;

use super::exec_kind::script;

/// SVC-5: `ExecStart=` runs the container itself, so systemd sees and supervises it.
pub struct ExecStartRunsScript;

impl Rule for ExecStartRunsScript {
    fn code(&self) -> &'static str {
        "U005"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role != UnitRole::Main {
            return;
        }
        let help = "call `docker run` (or `docker-compose up`) directly in `ExecStart=`; put preparation in `ExecStartPre=`";
        for exec in cx.execs.iter().filter(|e| e.key == "ExecStart") {
            for c in &exec.commands {
                if let Invocation::Shell { commands, .. } = &c.invocation {
                    let mut other = None;
                    for inner in commands {
                        inner.walk(&mut |x| {
                            let plain = !x.runs_docker() && !matches!(x.invocation, Invocation::Shell { .. });
                            if plain && other.is_none() {
                                other = Some(x.program.span());
                            }
                        });
                    }
                    let (span, what) = match other {
                        Some(s) => (s, "runs a shell script, not the container"),
                        None if commands.is_empty() => {
                            (c.program.span(), "runs a shell script, not the container")
                        }
                        None => continue,
                    };
                    sink.report(exec.file, span, format!("`ExecStart=` {what}"))
                        .help(help)
                        .anchor(exec.anchor());
                } else if let Some(s) = script(c) {
                    let what = if c.script_file().is_some() || s.as_str().ends_with(".sh") {
                        format!("`ExecStart=` runs the script `{}`", s.as_str())
                    } else {
                        format!("`ExecStart=` runs `{}`, not a container", s.as_str())
                    };
                    sink.report(exec.file, s.span(), what).help(help).anchor(exec.anchor());
                }
            }
        }
    }
}
