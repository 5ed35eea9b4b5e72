use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};
use vic_lint_syntax::command::{Command, Invocation};

use super::exec_kind::{program_name, script};
use crate::model::each_command;

/// SVC-3: configuration belongs in `ExecStartPre=`, where it runs before every start.
pub struct ConfigurationOutsideExecStartPre;

const CONFIG_PROGRAMS: &[&str] =
    &["mkdir", "cp", "install", "chown", "chmod", "ln", "envsubst", "openssl", "tee", "touch"];
const CONFIG_WORDS: &[&str] = &["configure", "config", "setup", "init", "prepare", "generate"];

fn is_configuration(c: &Command) -> bool {
    let Invocation::Other { args } = &c.invocation else { return false };
    let name = program_name(c);
    if CONFIG_PROGRAMS.contains(&name) {
        return true;
    }
    if name == "sed" && args.iter().any(|a| a.as_str().starts_with("-i") || a.as_str() == "--in-place") {
        return true;
    }
    script(c).is_some_and(|s| {
        let base = vic_lint_syntax::command::basename(s.as_str()).to_ascii_lowercase();
        CONFIG_WORDS.iter().any(|w| base.contains(w))
    })
}

impl Rule for ConfigurationOutsideExecStartPre {
    fn code(&self) -> &'static str {
        "U003"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role != UnitRole::Main {
            return;
        }
        for exec in cx.execs.iter().filter(|e| matches!(e.key, "ExecStart" | "ExecStartPost")) {
            each_command(exec, |c| {
                if is_configuration(c) {
                    sink.report(
                        exec.file,
                        c.program.span(),
                        format!("`{}` configures the service from `{}=`", program_name(c), exec.key),
                    )
                    .help("move configuration steps to `ExecStartPre=`, and make them safe to run at every start")
                    .anchor(exec.anchor());
                }
            });
        }
    }
}
