//! What a command line runs, looking through the wrappers that only pass it on (`env`, `exec`,
//! `nohup`, `command`) and into `sh -c` scripts.

use crate::docker::{parse_compose, parse_docker, ComposeInvocation, DockerInvocation, DockerRun};
use crate::exec::ExecCommand;
use crate::shell::split_script;
use crate::span::Span;
use crate::text::SpannedText;

/// How deep `sh -c "bash -c '…'"` nesting is followed; deeper scripts are left unsplit.
pub const MAX_SHELL_DEPTH: usize = 4;

/// A classified command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The program that runs once the wrappers are looked through: `/usr/bin/docker` in
    /// `/usr/bin/env FOO=1 nohup /usr/bin/docker run …`.
    pub program: SpannedText,
    pub invocation: Invocation,
    /// The whole command, wrappers included.
    pub span: Span,
}

/// What the program does. Program names match by basename (`/usr/bin/docker` and `docker`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invocation {
    /// `docker run|create`, `docker container run|create`.
    DockerRun(DockerRun),
    /// `docker-compose …` or `docker compose …`.
    Compose(ComposeInvocation),
    /// Any other docker command (`docker start web`, `docker rm -f web`); see
    /// [`DockerInvocation::Other`].
    Docker { subcommand: Option<SpannedText>, args: Vec<SpannedText> },
    /// `systemctl`: `verb` is the first word that is not an option; `args` are all the other
    /// words after the program.
    Systemctl { verb: Option<SpannedText>, args: Vec<SpannedText> },
    /// `sh|bash|dash|ash|zsh … -c SCRIPT`. `commands` are the script's simple commands, each
    /// classified; empty beyond [`MAX_SHELL_DEPTH`].
    Shell { script: SpannedText, commands: Vec<Command> },
    /// Anything else, including a shell that runs a script file (see [`Command::script_file`]).
    Other { args: Vec<SpannedText> },
}

impl Command {
    /// Calls `f` on this command, then on every command nested in its shell scripts, depth first.
    pub fn walk(&self, f: &mut impl FnMut(&Command)) {
        f(self);
        if let Invocation::Shell { commands, .. } = &self.invocation {
            for c in commands {
                c.walk(f);
            }
        }
    }

    /// docker or compose, whatever the subcommand.
    pub fn runs_docker(&self) -> bool {
        matches!(
            self.invocation,
            Invocation::DockerRun(_) | Invocation::Compose(_) | Invocation::Docker { .. }
        )
    }

    /// The script this command runs from a file: the FILE of `sh FILE` / `bash [options] FILE`,
    /// or the program itself when it ends in `.sh`, `.bash`, `.py`, `.pl` or `.rb`.
    pub fn script_file(&self) -> Option<&SpannedText> {
        if let Invocation::Other { args } = &self.invocation {
            if is_shell(basename(self.program.as_str())) {
                let shell = shell_args(args);
                if !shell.command_string && !shell.stdin {
                    return shell.operand.and_then(|i| args.get(i));
                }
            }
        }
        let name = basename(self.program.as_str());
        let script = [".sh", ".bash", ".py", ".pl", ".rb"].iter().any(|ext| name.ends_with(ext));
        script.then_some(&self.program)
    }
}

/// The last path component: `/usr/bin/docker` → `docker`.
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Classifies an argv (program first); `None` when it is empty. The span covers the words'
/// spans; [`classify_exec`] uses the Exec line's own span, which includes quotes.
pub fn classify(argv: &[SpannedText]) -> Option<Command> {
    let first = argv.first()?;
    let span = argv.iter().fold(first.span(), |acc, w| acc.cover(w.span()));
    classify_at(argv, span, 0)
}

/// Classifies one command of an `Exec*=` line, leaving out the argv0 word of the `@` prefix.
pub fn classify_exec(cmd: &ExecCommand) -> Option<Command> {
    let mut argv = Vec::with_capacity(cmd.argv.len());
    argv.push(cmd.program()?.clone());
    argv.extend(cmd.args().iter().cloned());
    classify_at(&argv, cmd.span, 0)
}

fn classify_at(argv: &[SpannedText], span: Span, depth: usize) -> Option<Command> {
    let argv = look_through_wrappers(argv);
    let (program, args) = argv.split_first()?;
    let invocation = match basename(program.as_str()) {
        "docker" => match parse_docker(args) {
            DockerInvocation::Run(run) => Invocation::DockerRun(run),
            DockerInvocation::Compose(compose) => Invocation::Compose(compose),
            DockerInvocation::Other { subcommand, args } => Invocation::Docker { subcommand, args },
        },
        "docker-compose" => Invocation::Compose(parse_compose(args, program.span())),
        "systemctl" => systemctl(args),
        name if is_shell(name) => shell(args, depth),
        _ => Invocation::Other { args: args.to_vec() },
    };
    Some(Command { program: program.clone(), invocation, span })
}

fn is_shell(name: &str) -> bool {
    matches!(name, "sh" | "bash" | "dash" | "ash" | "zsh")
}

fn shell(args: &[SpannedText], depth: usize) -> Invocation {
    let parsed = shell_args(args);
    let script = parsed.operand.and_then(|i| args.get(i));
    let (true, Some(script)) = (parsed.command_string, script) else {
        return Invocation::Other { args: args.to_vec() };
    };
    let commands = if depth + 1 >= MAX_SHELL_DEPTH {
        Vec::new()
    } else {
        split_script(script).iter().filter_map(|c| classify_at(&c.words, c.span, depth + 1)).collect()
    };
    Invocation::Shell { script: script.clone(), commands }
}

struct ShellArgs {
    /// `-c` among the options: the operand is a command string.
    command_string: bool,
    /// `-s`: commands come from stdin, operands are positional parameters.
    stdin: bool,
    /// Index of the first operand.
    operand: Option<usize>,
}

fn shell_args(args: &[SpannedText]) -> ShellArgs {
    let mut out = ShellArgs { command_string: false, stdin: false, operand: None };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let s = arg.as_str();
        if s == "--" || s == "-" {
            i += 1;
            break;
        }
        if let Some(long) = s.strip_prefix("--") {
            // bash's long options; these two take a file name.
            i += if matches!(long, "rcfile" | "init-file") { 2 } else { 1 };
            continue;
        }
        let Some(flags) = s.strip_prefix('-').or_else(|| s.strip_prefix('+')) else {
            break;
        };
        if flags.is_empty() {
            break;
        }
        if s.starts_with('-') {
            out.command_string |= flags.contains('c');
            out.stdin |= flags.contains('s');
        }
        // `-o pipefail`, `+o posix`, bash's `-O extglob`: the option name is the next word.
        i += 1 + flags.chars().filter(|f| matches!(f, 'o' | 'O')).count();
    }
    out.operand = args.get(i).map(|_| i);
    out
}

fn systemctl(args: &[SpannedText]) -> Invocation {
    const SHORT_VALUE: &[&str] = &["-t", "-p", "-P", "-H", "-M", "-n", "-o", "-s"];
    const LONG_VALUE: &[&str] = &[
        "--type",
        "--property",
        "--host",
        "--machine",
        "--lines",
        "--output",
        "--signal",
        "--state",
        "--root",
        "--image",
        "--image-policy",
        "--kill-whom",
        "--kill-value",
        "--job-mode",
        "--preset-mode",
        "--what",
        "--timestamp",
        "--reboot-argument",
        "--boot-loader-menu",
        "--boot-loader-entry",
        "--message",
        "--drop-in",
        "--when",
        "--check-inhibitors",
    ];
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let s = arg.as_str();
        if s == "--" {
            i += 1;
            break;
        }
        if !s.starts_with('-') || s == "-" {
            break;
        }
        i += if SHORT_VALUE.contains(&s) || LONG_VALUE.contains(&s) { 2 } else { 1 };
    }
    let verb = args.get(i).cloned();
    let rest =
        args.iter().enumerate().filter(|(n, _)| verb.is_none() || *n != i).map(|(_, a)| a.clone()).collect();
    Invocation::Systemctl { verb, args: rest }
}

/// Strips `env`, `exec`, `nohup` and `command` with their options. A wrapper with nothing to
/// run after it (`env` printing the environment, `command -v docker`) is the program itself.
fn look_through_wrappers(argv: &[SpannedText]) -> &[SpannedText] {
    let mut rest = argv;
    while let Some((program, args)) = rest.split_first() {
        let skip = match basename(program.as_str()) {
            "env" => env_prefix(args),
            "exec" => exec_prefix(args),
            "nohup" => usize::from(args.first().is_some_and(|a| a.as_str() == "--")),
            "command" => match command_prefix(args) {
                Some(n) => n,
                None => return rest,
            },
            _ => return rest,
        };
        match args.get(skip..) {
            Some(inner) if !inner.is_empty() => rest = inner,
            _ => return rest,
        }
    }
    rest
}

/// GNU `env [OPTION]… [NAME=VALUE]… COMMAND`: the number of words before COMMAND.
fn env_prefix(args: &[SpannedText]) -> usize {
    const WITH_VALUE: &[&str] = &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"];
    let mut i = 0;
    let mut options = true;
    while let Some(arg) = args.get(i) {
        let s = arg.as_str();
        if options && s == "--" {
            options = false;
            i += 1;
        } else if options && WITH_VALUE.contains(&s) {
            i += 2;
        } else if options && s.len() > 1 && s.starts_with('-') {
            // A group like `-iu NAME` ends in a flag that takes the next word.
            let takes_next = !s.starts_with("--") && s.ends_with(['u', 'C', 'S']);
            i += 1 + usize::from(takes_next);
        } else if options && s == "-" {
            i += 1;
        } else if s.contains('=') && !s.starts_with('=') {
            options = false;
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// bash's `exec [-cl] [-a NAME] [COMMAND]`.
fn exec_prefix(args: &[SpannedText]) -> usize {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let s = arg.as_str();
        if s == "--" {
            return i + 1;
        }
        if s.len() < 2 || !s.starts_with('-') {
            break;
        }
        i += 1 + usize::from(s.ends_with('a'));
    }
    i
}

/// `command [-p] COMMAND`; `None` for `command -v|-V`, which only look the name up.
fn command_prefix(args: &[SpannedText]) -> Option<usize> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let s = arg.as_str();
        if s == "--" {
            return Some(i + 1);
        }
        if s.len() < 2 || !s.starts_with('-') {
            break;
        }
        if s.contains(['v', 'V']) {
            return None;
        }
        i += 1;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::parse_exec;

    fn exec(src: &str) -> (String, Command) {
        let file = format!("ExecStart={src}");
        let line = parse_exec(&SpannedText::verbatim(src, 10));
        assert!(line.errors.is_empty(), "{:?}", line.errors);
        let cmd = line.commands.first().and_then(classify_exec).expect("a command");
        (file, cmd)
    }

    fn kind(c: &Command) -> String {
        let sub = |s: &Option<SpannedText>| s.as_ref().map_or("-", |s| s.as_str()).to_string();
        match &c.invocation {
            Invocation::DockerRun(r) => {
                format!("run {}", r.image.as_ref().map_or("-", |i| i.as_str()))
            }
            Invocation::Compose(co) => format!("compose {}", sub(&co.subcommand)),
            Invocation::Docker { subcommand, .. } => format!("docker {}", sub(subcommand)),
            Invocation::Systemctl { verb, .. } => format!("systemctl {}", sub(verb)),
            Invocation::Shell { commands, .. } => format!("shell {}", commands.len()),
            Invocation::Other { .. } => format!("other {}", c.program.as_str()),
        }
    }

    fn all(c: &Command) -> Vec<String> {
        let mut out = Vec::new();
        c.walk(&mut |c| out.push(kind(c)));
        out
    }

    #[test]
    fn reference_unit_exec_start() {
        let src = "[Service]\nExecStart=/usr/bin/docker run --rm --name reference \\\n  --cap-drop=ALL --user 1000:1000 \\\n  --log-opt max-size=10m --log-opt max-file=5 \\\n  -p 9443:9443 \\\n  -v ${DATA_DIR}:/data -v ${LOG_DIR}:/var/log/reference \\\n  -v /storage/data/certs:/certs:ro \\\n  example/reference:v1.2.0\n";
        let unit = crate::unit::parse(src);
        let entry = unit.entries("Service", "ExecStart").next().expect("ExecStart");
        let line = parse_exec(&entry.value);
        assert!(line.errors.is_empty());
        let cmd = line.commands.first().and_then(classify_exec).expect("a command");
        let Invocation::DockerRun(run) = &cmd.invocation else { panic!("{cmd:?}") };
        assert!(run.errors.is_empty());
        assert!(run.flag("rm").is_some());
        let logs: Vec<&str> = run.values("log-opt").map(SpannedText::as_str).collect();
        assert_eq!(logs, ["max-size=10m", "max-file=5"]);
        let volumes: Vec<&str> = run.values("volume").map(|v| &src[v.span().range()]).collect();
        assert_eq!(
            volumes,
            ["${DATA_DIR}:/data", "${LOG_DIR}:/var/log/reference", "/storage/data/certs:/certs:ro"]
        );
        assert_eq!(run.image.as_ref().map(|i| &src[i.span().range()]), Some("example/reference:v1.2.0"));
        assert_eq!(run.values("user").next().map(SpannedText::as_str), Some("1000:1000"));
        assert_eq!(run.options_named("cap-drop").count(), 1);
    }

    #[test]
    fn empty_argv() {
        assert!(classify(&[]).is_none());
    }

    #[test]
    fn docker_by_basename() {
        let (file, c) = exec("/usr/bin/docker run --rm img:1");
        assert_eq!(kind(&c), "run img:1");
        assert!(c.runs_docker());
        assert_eq!(&file[c.program.span().range()], "/usr/bin/docker");
        assert_eq!(&file[c.span.range()], "/usr/bin/docker run --rm img:1");
        assert_eq!(kind(&exec("docker start web").1), "docker start");
        assert_eq!(kind(&exec("docker compose up -d").1), "compose up");
        assert_eq!(kind(&exec("/usr/local/bin/docker-compose -f x.yml up").1), "compose up");
        assert_eq!(kind(&exec("/usr/bin/dockerd").1), "other /usr/bin/dockerd");
    }

    #[test]
    fn wrappers_are_looked_through() {
        for src in [
            "/usr/bin/env docker run img",
            "/usr/bin/env -i -u HOME FOO=1 BAR=x docker run img",
            "env -iu HOME -- FOO=1 docker run img",
            "env --unset=HOME -C /tmp docker run img",
            "exec -a name docker run img",
            "nohup docker run img",
            "command -p docker run img",
            "env nohup exec docker run img",
        ] {
            let (file, c) = exec(src);
            assert_eq!(kind(&c), "run img", "{src}");
            assert_eq!(c.program.as_str(), "docker", "{src}");
            assert_eq!(&file[c.span.range()], src);
        }
        assert_eq!(kind(&exec("/usr/bin/env").1), "other /usr/bin/env");
        assert_eq!(kind(&exec("env FOO=1").1), "other env");
        assert_eq!(kind(&exec("command -v docker").1), "other command");
    }

    #[test]
    fn at_prefix_argv0_is_skipped() {
        let (_, c) = exec("@/usr/bin/docker docker-argv0 run img");
        assert_eq!(kind(&c), "run img");
    }

    #[test]
    fn systemctl_verb() {
        let (file, c) = exec("/bin/systemctl --no-block -q -t service restart foo.service");
        let Invocation::Systemctl { verb, args } = &c.invocation else { panic!("{c:?}") };
        assert_eq!(verb.as_ref().map(|v| &file[v.span().range()]), Some("restart"));
        assert_eq!(args.len(), 5);
        let (_, c) = exec("systemctl --property=X show");
        assert_eq!(kind(&c), "systemctl show");
        let (_, c) = exec("systemctl");
        assert_eq!(kind(&c), "systemctl -");
    }

    #[test]
    fn shell_scripts_are_split_and_classified() {
        let (file, c) = exec(
            r#"/bin/sh -c 'FOO=1 exec /usr/bin/docker run -v "/a b":/c img:1; systemctl restart x && /opt/x.sh'"#,
        );
        assert_eq!(all(&c), ["shell 3", "run img:1", "systemctl restart", "other /opt/x.sh"]);
        let Invocation::Shell { commands, .. } = &c.invocation else { panic!() };
        assert_eq!(&file[commands[0].program.span().range()], "/usr/bin/docker");
        assert_eq!(&file[commands[0].span.range()], r#"FOO=1 exec /usr/bin/docker run -v "/a b":/c img:1"#);
        let Invocation::DockerRun(run) = &commands[0].invocation else { panic!() };
        assert_eq!(run.image.as_ref().map(|i| &file[i.span().range()]), Some("img:1"));
        let Invocation::Systemctl { verb, .. } = &commands[1].invocation else { panic!() };
        assert_eq!(verb.as_ref().map(|v| &file[v.span().range()]), Some("restart"));
        assert_eq!(commands[2].script_file().map(SpannedText::as_str), Some("/opt/x.sh"));
    }

    #[test]
    fn shell_flag_spellings() {
        for src in [
            "/bin/bash -c 'docker ps'",
            "/bin/bash -ec 'docker ps'",
            "/bin/bash -xc 'docker ps'",
            "/bin/bash -e -c 'docker ps'",
            "/bin/bash -c -e 'docker ps'",
            "/bin/bash -euo pipefail -c 'docker ps'",
            "/bin/bash --noprofile --norc -c 'docker ps' name arg",
            "zsh -c 'docker ps'",
            "dash -c 'docker ps'",
            "/usr/bin/env ash -c 'docker ps'",
        ] {
            assert_eq!(all(&exec(src).1), ["shell 1", "docker ps"], "{src}");
        }
    }

    #[test]
    fn script_files() {
        let (file, c) = exec("/bin/bash -e /etc/vmware/x/start.sh arg");
        assert_eq!(kind(&c), "other /bin/bash");
        let script = c.script_file().map(|s| &file[s.span().range()]);
        assert_eq!(script, Some("/etc/vmware/x/start.sh"));
        let (_, c) = exec("/bin/sh -o errexit script");
        assert_eq!(c.script_file().map(SpannedText::as_str), Some("script"));
        for (src, script) in [
            ("/etc/vmware/x/configure.sh", Some("/etc/vmware/x/configure.sh")),
            ("/opt/a.py --x", Some("/opt/a.py")),
            ("/opt/a.rb", Some("/opt/a.rb")),
            ("/opt/a.pl", Some("/opt/a.pl")),
            ("/opt/a.bash", Some("/opt/a.bash")),
            ("/usr/bin/java -jar x.jar", None),
            ("/bin/sh", None),
            ("/bin/sh -s arg", None),
            ("/bin/sh -c 'x.sh'", None),
        ] {
            assert_eq!(exec(src).1.script_file().map(SpannedText::as_str), script, "{src}");
        }
    }

    #[test]
    fn nesting_is_depth_limited() {
        let src = r#"sh -c "sh -c 'sh -c \"sh -c \\\"sh -c docker\\\"\"'""#;
        let (_, c) = exec(src);
        let shells: Vec<String> = all(&c);
        assert_eq!(shells, ["shell 1", "shell 1", "shell 1", "shell 0"]);
    }

    #[test]
    fn shell_without_script_is_other() {
        assert_eq!(kind(&exec("/bin/sh -c").1), "other /bin/sh");
    }

    #[test]
    fn basenames() {
        assert_eq!(basename("/usr/bin/docker"), "docker");
        assert_eq!(basename("docker"), "docker");
        assert_eq!(basename("/"), "");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn never_panics(input in r#"(sh -c |env |exec |docker |run |compose |-[a-z]+ |[ "';&|\\$()]|[a-z]){0,40}"#) {
                let line = parse_exec(&SpannedText::verbatim(&input, 0));
                for cmd in &line.commands {
                    if let Some(c) = classify_exec(cmd) {
                        let mut n = 0;
                        c.walk(&mut |c| {
                            n += 1;
                            assert!(c.span.end as usize <= input.len());
                        });
                        prop_assert!(n >= 1);
                    }
                }
            }
        }
    }
}
