use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};

use super::exec_kind::script;
use crate::model::each_command;

/// FS-4: component startup scripts live in /etc/vmware/<component>/.
pub struct ScriptOutsideComponentDir;

impl Rule for ScriptOutsideComponentDir {
    fn code(&self) -> &'static str {
        "U009"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role == UnitRole::Other {
            return;
        }
        let dir = format!("/etc/vmware/{}/", cx.component.name);
        for exec in cx.execs {
            each_command(exec, |c| {
                let Some(s) = script(c) else { return };
                let path = s.as_str();
                if path.contains('$') || path.starts_with(&dir) {
                    return;
                }
                sink.report(exec.file, s.span(), format!("the script `{path}` is outside {dir}"))
                    .help(format!("install the component's scripts under {dir}"))
                    .anchor(exec.anchor());
            });
        }
    }
}
