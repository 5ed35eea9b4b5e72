//! What an exec command amounts to, in the terms the design uses: a container, a script, a
//! systemctl call, or a host program. Shared by every unit rule that reads `Exec*=` lines.

use vic_lint_syntax::command::{basename, Command, Invocation};
use vic_lint_syntax::SpannedText;

const SYSTEM_DIRS: &[&str] = &[
    "/bin/",
    "/sbin/",
    "/usr/bin/",
    "/usr/sbin/",
    "/usr/local/bin/",
    "/usr/local/sbin/",
    "/usr/lib/systemd/",
    "/usr/libexec/",
    "/lib/systemd/",
];

/// The script a command runs, if it runs one: `x.sh`, `sh x`, or a program outside the system
/// binary folders (a component's own executable is as opaque as a script).
pub fn script(c: &Command) -> Option<&SpannedText> {
    if let Some(s) = c.script_file() {
        return Some(s);
    }
    let Invocation::Other { .. } = &c.invocation else { return None };
    let p = c.program.as_str();
    (p.starts_with('/') && !SYSTEM_DIRS.iter().any(|d| p.starts_with(d))).then_some(&c.program)
}

/// Starts a container that keeps running: `docker run`, `docker start`, compose `up`/`run`/`start`.
pub fn starts_container(c: &Command) -> bool {
    match &c.invocation {
        Invocation::DockerRun(run) => !run.create,
        Invocation::Docker { subcommand: Some(s), .. } => s.as_str() == "start",
        Invocation::Compose(c) => {
            c.subcommand.as_ref().is_some_and(|s| matches!(s.as_str(), "up" | "start" | "run"))
        }
        _ => false,
    }
}

/// Starts a container in the background and returns: the unit does not own its lifetime.
pub fn starts_detached(c: &Command) -> bool {
    match &c.invocation {
        Invocation::DockerRun(run) => !run.create && run.flag("detach").is_some(),
        Invocation::Docker { subcommand: Some(s), args } => {
            s.as_str() == "start" && !args.iter().any(|a| matches!(a.as_str(), "-a" | "--attach"))
        }
        Invocation::Compose(c) => {
            c.subcommand.as_ref().is_some_and(|s| s.as_str() == "up")
                && c.args.iter().any(|a| matches!(a.as_str(), "-d" | "--detach"))
        }
        _ => false,
    }
}

/// The token that makes a start detached: `-d`, the `start` subcommand, or the whole command.
pub fn detach_span(c: &Command) -> vic_lint_syntax::Span {
    match &c.invocation {
        Invocation::DockerRun(run) => run.flag("detach").map_or(c.span, |o| o.flag_span),
        Invocation::Docker { subcommand: Some(s), .. } => s.span(),
        _ => c.span,
    }
}

pub fn program_name(c: &Command) -> &str {
    basename(c.program.as_str())
}
