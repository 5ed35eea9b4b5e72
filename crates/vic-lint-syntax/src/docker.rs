//! docker CLI invocations: global options, `docker run` / `docker create` with their options,
//! and the compose plugin's global options.
//!
//! Options follow docker's flag library (spf13/pflag): `--flag=value`, `--flag value`, `-v x`,
//! `-vx`, `-v=x`, combined short booleans (`-dit`) that may end in a value flag (`-itp 80:80`,
//! `-itp80:80`), and `--` to end the options. `docker run` stops reading options at the first
//! positional argument, the image, so the container's command is never read as options.
//!
//! Variables stay as written: an unquoted `$OPTS` that systemd would split into several options
//! reads as one positional word here.

use crate::span::Span;
use crate::text::SpannedText;
use crate::unit::SyntaxError;

/// One option as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerOption {
    /// The canonical long name without dashes (`volume` for `-v`, `network` for `--net`). An
    /// unknown short flag keeps its letter.
    pub name: String,
    /// The flag as written (`--volume`, `-v`); in a combined group like `-itv`, just its letter
    /// (with the dash for the group's first flag).
    pub flag_span: Span,
    /// The value; `None` for a boolean flag written without `=value` (and after a missing value).
    pub value: Option<SpannedText>,
    /// The flag and its value.
    pub span: Span,
}

impl DockerOption {
    /// For a boolean flag: present without a value, or with a value pflag reads as true.
    pub fn is_on(&self) -> bool {
        self.value.as_ref().is_none_or(|v| matches!(v.as_str(), "1" | "t" | "T" | "true" | "TRUE" | "True"))
    }
}

/// `docker run` / `docker create` (also `docker container run|create`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DockerRun {
    /// From the subcommand to the last argument.
    pub span: Span,
    /// `run`, `create`, `container run` or `container create`.
    pub subcommand_span: Span,
    /// `create`: the container is only created, not started.
    pub create: bool,
    pub options: Vec<DockerOption>,
    /// The first positional argument.
    pub image: Option<SpannedText>,
    /// Everything after the image: the container's command and its arguments.
    pub command: Vec<SpannedText>,
    /// Options that miss their value, a missing image.
    pub errors: Vec<SyntaxError>,
}

impl DockerRun {
    /// Every occurrence of an option, by canonical long name, in order.
    pub fn options_named<'a, 'n>(
        &'a self,
        name: &'n str,
    ) -> impl Iterator<Item = &'a DockerOption> + use<'a, 'n> {
        self.options.iter().filter(move |o| o.name == name)
    }

    /// The values of an option, in order (`volume` gives every `-v`).
    pub fn values<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a SpannedText> + use<'a, 'n> {
        self.options_named(name).filter_map(|o| o.value.as_ref())
    }

    /// A boolean flag that is on. The last occurrence decides, as in docker:
    /// `--privileged --privileged=false` is off.
    pub fn flag(&self, name: &str) -> Option<&DockerOption> {
        self.options_named(name).last().filter(|o| o.is_on())
    }
}

/// `docker compose …` or `docker-compose …`, up to the compose subcommand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposeInvocation {
    /// From the word naming compose to the last argument.
    pub span: Span,
    /// `-f`/`--file` values, in order.
    pub files: Vec<SpannedText>,
    /// The last `-p`/`--project-name`.
    pub project_name: Option<SpannedText>,
    pub project_directory: Option<SpannedText>,
    pub env_files: Vec<SpannedText>,
    /// Every global option, including the ones above.
    pub options: Vec<DockerOption>,
    /// `up`, `down`, `run` …
    pub subcommand: Option<SpannedText>,
    /// The words after the subcommand, unparsed.
    pub args: Vec<SpannedText>,
    /// Options that miss their value.
    pub errors: Vec<SyntaxError>,
}

/// What a docker command line does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DockerInvocation {
    Run(DockerRun),
    Compose(ComposeInvocation),
    /// Any other subcommand. For `docker container X`, `subcommand` is `X`: the `container`
    /// management command adds nothing (`docker container start` is `docker start`). `None`
    /// when there is no subcommand (`docker --version`).
    Other {
        subcommand: Option<SpannedText>,
        args: Vec<SpannedText>,
    },
}

/// Reads a docker command line; `args` are the words after the `docker` program.
pub fn parse_docker(args: &[SpannedText]) -> DockerInvocation {
    let globals = parse_options(args, &GLOBAL);
    let rest = args.get(globals.positional..).unwrap_or(&[]);
    let Some((sub, after)) = rest.split_first() else {
        return DockerInvocation::Other { subcommand: None, args: Vec::new() };
    };
    match sub.as_str() {
        "run" | "create" => DockerInvocation::Run(parse_run(after, sub.span(), sub.as_str() == "create")),
        "compose" => DockerInvocation::Compose(parse_compose(after, sub.span())),
        "container" => match after.split_first() {
            Some((op, after)) if matches!(op.as_str(), "run" | "create") => {
                let span = sub.span().cover(op.span());
                DockerInvocation::Run(parse_run(after, span, op.as_str() == "create"))
            }
            Some((op, after)) => {
                DockerInvocation::Other { subcommand: Some(op.clone()), args: after.to_vec() }
            }
            None => DockerInvocation::Other { subcommand: Some(sub.clone()), args: Vec::new() },
        },
        _ => DockerInvocation::Other { subcommand: Some(sub.clone()), args: after.to_vec() },
    }
}

/// Reads the words after `run` / `create`; `subcommand_span` is where that subcommand is.
pub fn parse_run(args: &[SpannedText], subcommand_span: Span, create: bool) -> DockerRun {
    let mut parsed = parse_options(args, &RUN);
    let positional = args.get(parsed.positional..).unwrap_or(&[]);
    let (image, command) = match positional.split_first() {
        Some((image, command)) => (Some(image.clone()), command.to_vec()),
        None => (None, Vec::new()),
    };
    if image.is_none() && parsed.errors.is_empty() {
        parsed.errors.push(SyntaxError {
            span: subcommand_span,
            message: "`docker run` without an image".into(),
            help: Some("name the image after the options, like `docker run --rm example/app:1.0`".into()),
        });
    }
    DockerRun {
        span: cover_all(subcommand_span, args),
        subcommand_span,
        create,
        options: parsed.options,
        image,
        command,
        errors: parsed.errors,
    }
}

/// Reads the words after `docker-compose` or `docker compose`; `span` is the word naming compose.
pub fn parse_compose(args: &[SpannedText], span: Span) -> ComposeInvocation {
    let parsed = parse_options(args, &COMPOSE);
    let values = |name: &'static str| {
        parsed.options.iter().filter(move |o| o.name == name).filter_map(|o| o.value.clone())
    };
    let rest = args.get(parsed.positional..).unwrap_or(&[]);
    let (subcommand, after) = match rest.split_first() {
        Some((sub, after)) => (Some(sub.clone()), after.to_vec()),
        None => (None, Vec::new()),
    };
    ComposeInvocation {
        span: cover_all(span, args),
        files: values("file").collect(),
        project_name: values("project-name").next_back(),
        project_directory: values("project-directory").next_back(),
        env_files: values("env-file").collect(),
        subcommand,
        args: after,
        errors: parsed.errors,
        options: parsed.options,
    }
}

fn cover_all(span: Span, args: &[SpannedText]) -> Span {
    args.iter().fold(span, |acc, a| acc.cover(a.span()))
}

/// The options one command accepts. Names not listed are unknown: they take a value only when
/// written `--name=value`, since nothing else tells.
struct FlagTable {
    booleans: &'static [&'static str],
    with_value: &'static [&'static str],
    aliases: &'static [(&'static str, &'static str)],
    shorts: &'static [(char, &'static str)],
}

impl FlagTable {
    /// Canonical name, and whether it takes a value (`None`: unknown).
    fn long(&self, name: &str) -> (String, Option<bool>) {
        let name = self.aliases.iter().find(|(a, _)| *a == name).map_or(name, |(_, c)| c);
        let kind = if self.booleans.contains(&name) {
            Some(false)
        } else if self.with_value.contains(&name) {
            Some(true)
        } else {
            None
        };
        (name.to_string(), kind)
    }

    /// Unknown short flags read as booleans: a guess that at least keeps the next word.
    fn short(&self, c: char) -> (String, bool) {
        match self.shorts.iter().find(|(s, _)| *s == c) {
            Some((_, long)) => {
                let (name, kind) = self.long(long);
                (name, kind.unwrap_or(false))
            }
            None => (c.to_string(), false),
        }
    }
}

/// `docker run --help` / `docker create --help`, docker 20.10 to 28, hidden and deprecated
/// options included.
const RUN: FlagTable = FlagTable {
    booleans: &[
        "detach",
        "interactive",
        "tty",
        "rm",
        "privileged",
        "publish-all",
        "init",
        "read-only",
        "oom-kill-disable",
        "no-healthcheck",
        "disable-content-trust",
        "quiet",
        "sig-proxy",
        "help",
        "use-api-socket",
    ],
    with_value: &[
        "add-host",
        "annotation",
        "attach",
        "blkio-weight",
        "blkio-weight-device",
        "cap-add",
        "cap-drop",
        "cgroup-parent",
        "cgroupns",
        "cidfile",
        "cpu-count",
        "cpu-percent",
        "cpu-period",
        "cpu-quota",
        "cpu-rt-period",
        "cpu-rt-runtime",
        "cpu-shares",
        "cpus",
        "cpuset-cpus",
        "cpuset-mems",
        "detach-keys",
        "device",
        "device-cgroup-rule",
        "device-read-bps",
        "device-read-iops",
        "device-write-bps",
        "device-write-iops",
        "dns",
        "dns-option",
        "dns-search",
        "domainname",
        "entrypoint",
        "env",
        "env-file",
        "expose",
        "gpus",
        "group-add",
        "health-cmd",
        "health-interval",
        "health-retries",
        "health-start-interval",
        "health-start-period",
        "health-timeout",
        "hostname",
        "io-maxbandwidth",
        "io-maxiops",
        "ip",
        "ip6",
        "ipc",
        "isolation",
        "kernel-memory",
        "label",
        "label-file",
        "link",
        "link-local-ip",
        "log-driver",
        "log-opt",
        "mac-address",
        "memory",
        "memory-reservation",
        "memory-swap",
        "memory-swappiness",
        "mount",
        "name",
        "network",
        "network-alias",
        "oom-score-adj",
        "pid",
        "pids-limit",
        "platform",
        "publish",
        "pull",
        "restart",
        "runtime",
        "security-opt",
        "shm-size",
        "stop-signal",
        "stop-timeout",
        "storage-opt",
        "sysctl",
        "tmpfs",
        "ulimit",
        "user",
        "userns",
        "uts",
        "volume",
        "volume-driver",
        "volumes-from",
        "workdir",
    ],
    aliases: &[("net", "network"), ("net-alias", "network-alias"), ("dns-opt", "dns-option")],
    shorts: &[
        ('d', "detach"),
        ('i', "interactive"),
        ('t', "tty"),
        ('P', "publish-all"),
        ('q', "quiet"),
        ('a', "attach"),
        ('c', "cpu-shares"),
        ('e', "env"),
        ('h', "hostname"),
        ('l', "label"),
        ('m', "memory"),
        ('p', "publish"),
        ('u', "user"),
        ('v', "volume"),
        ('w', "workdir"),
    ],
};

/// docker's own options, before the subcommand.
const GLOBAL: FlagTable = FlagTable {
    booleans: &["debug", "tls", "tlsverify", "version", "help"],
    with_value: &["host", "config", "context", "log-level", "tlscacert", "tlscert", "tlskey"],
    aliases: &[],
    shorts: &[
        ('H', "host"),
        ('c', "context"),
        ('l', "log-level"),
        ('D', "debug"),
        ('v', "version"),
        ('h', "help"),
    ],
};

/// Global options of the compose plugin (v2) and of docker-compose v1.
const COMPOSE: FlagTable = FlagTable {
    booleans: &[
        "verbose",
        "no-ansi",
        "compatibility",
        "dry-run",
        "all-resources",
        "tls",
        "tlsverify",
        "skip-hostname-check",
        "version",
        "help",
    ],
    with_value: &[
        "file",
        "project-name",
        "project-directory",
        "env-file",
        "profile",
        "ansi",
        "progress",
        "parallel",
        "host",
        "context",
        "log-level",
        "tlscacert",
        "tlscert",
        "tlskey",
    ],
    aliases: &[],
    shorts: &[
        ('f', "file"),
        ('p', "project-name"),
        ('H', "host"),
        ('c', "context"),
        ('v', "version"),
        ('h', "help"),
    ],
};

struct Parsed {
    options: Vec<DockerOption>,
    /// Index of the first positional argument (`args.len()` when there is none).
    positional: usize,
    errors: Vec<SyntaxError>,
}

/// Reads options up to the first positional argument or `--`.
fn parse_options(args: &[SpannedText], table: &FlagTable) -> Parsed {
    let mut out = Parsed { options: Vec::new(), positional: args.len(), errors: Vec::new() };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let s = arg.as_str();
        i += 1;
        if s == "--" {
            out.positional = i;
            return out;
        }
        if let Some(long) = s.strip_prefix("--") {
            i += parse_long(arg, long, args.get(i), table, &mut out);
        } else if s.len() > 1 && s.starts_with('-') {
            i += parse_shorts(arg, args.get(i), table, &mut out);
        } else {
            out.positional = i - 1;
            return out;
        }
    }
    out
}

/// One `--name[=value]`; returns how many following words it used as its value.
fn parse_long(
    arg: &SpannedText,
    long: &str,
    next: Option<&SpannedText>,
    table: &FlagTable,
    out: &mut Parsed,
) -> usize {
    let (name, inline) = match long.split_once('=') {
        Some((name, _)) => (name, Some(2 + name.len() + 1)),
        None => (long, None),
    };
    let (canonical, kind) = table.long(name);
    let flag_span = arg.span_of(0..2 + name.len());
    let option = |value: Option<SpannedText>, span: Span| DockerOption {
        name: canonical.clone(),
        flag_span,
        value,
        span,
    };
    if let Some(at) = inline {
        out.options.push(option(Some(arg.slice(at..arg.len())), arg.span()));
        return 0;
    }
    if kind != Some(true) {
        out.options.push(option(None, flag_span));
        return 0;
    }
    take_next(option, &format!("--{name}"), flag_span, next, out)
}

/// A group of short flags (`-v`, `-dit`, `-itp80:80`, `-p=80`); returns how many following
/// words it used as a value.
fn parse_shorts(arg: &SpannedText, next: Option<&SpannedText>, table: &FlagTable, out: &mut Parsed) -> usize {
    let s = arg.as_str();
    for (j, c) in s.char_indices().skip(1) {
        let after = j + c.len_utf8();
        let (name, takes_value) = table.short(c);
        // The dash belongs to the first flag of a group: `-v`, but `-it`'s `t` is just the letter.
        let flag_span = arg.span_of(if j == 1 { 0 } else { j }..after);
        let option = |value: Option<SpannedText>, span: Span| DockerOption {
            name: name.clone(),
            flag_span,
            value,
            span,
        };
        let rest = s.get(after..).unwrap_or("");
        // pflag: `-x=value` for any flag, but only with something after the `=`.
        if rest.len() > 1 && rest.starts_with('=') {
            let value = arg.slice(after + 1..s.len());
            out.options.push(option(Some(value), flag_span.cover(arg.span_of(j..s.len()))));
            return 0;
        }
        if !takes_value {
            out.options.push(option(None, flag_span));
            continue;
        }
        if !rest.is_empty() {
            let value = arg.slice(after..s.len());
            out.options.push(option(Some(value), flag_span.cover(arg.span_of(j..s.len()))));
            return 0;
        }
        return take_next(option, &format!("-{c}"), flag_span, next, out);
    }
    0
}

/// A value flag whose value is the next word, which pflag takes whatever it looks like.
fn take_next(
    option: impl Fn(Option<SpannedText>, Span) -> DockerOption,
    written: &str,
    flag_span: Span,
    next: Option<&SpannedText>,
    out: &mut Parsed,
) -> usize {
    match next {
        Some(value) => {
            out.options.push(option(Some(value.clone()), flag_span.cover(value.span())));
            1
        }
        None => {
            out.errors.push(SyntaxError {
                span: flag_span,
                message: format!("`{written}` needs a value"),
                help: Some(format!("write the value after the flag, like `{written} VALUE`")),
            });
            out.options.push(option(None, flag_span));
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::parse_exec;

    /// The argv of an Exec line, its text at offset 10 of the returned "file".
    fn argv(src: &str) -> (String, Vec<SpannedText>) {
        let file = format!("ExecStart={src}");
        let line = parse_exec(&SpannedText::verbatim(src, 10));
        assert!(line.errors.is_empty(), "{:?}", line.errors);
        let argv = line.commands.into_iter().next().map(|c| c.argv).unwrap_or_default();
        (file, argv)
    }

    fn run(src: &str) -> (String, DockerRun) {
        let (file, argv) = argv(src);
        match parse_docker(argv.get(1..).unwrap_or(&[])) {
            DockerInvocation::Run(r) => (file, r),
            other => panic!("not a run: {other:?}"),
        }
    }

    fn opts(r: &DockerRun) -> Vec<(&str, Option<&str>)> {
        r.options.iter().map(|o| (o.name.as_str(), o.value.as_ref().map(SpannedText::as_str))).collect()
    }

    #[test]
    fn long_options_with_and_without_equals() {
        let (file, r) =
            run("docker run --rm --name=web --volume /a:/b --net host --cap-add=NET_ADMIN img:1 sh -c x");
        assert_eq!(
            opts(&r),
            [
                ("rm", None),
                ("name", Some("web")),
                ("volume", Some("/a:/b")),
                ("network", Some("host")),
                ("cap-add", Some("NET_ADMIN")),
            ]
        );
        assert_eq!(r.image.as_ref().map(SpannedText::as_str), Some("img:1"));
        let cmd: Vec<&str> = r.command.iter().map(SpannedText::as_str).collect();
        assert_eq!(cmd, ["sh", "-c", "x"]);
        assert!(!r.create);
        assert!(r.errors.is_empty());
        let net = &r.options[3];
        assert_eq!(&file[net.flag_span.range()], "--net");
        assert_eq!(&file[net.span.range()], "--net host");
        let cap = &r.options[4];
        assert_eq!(&file[cap.flag_span.range()], "--cap-add");
        assert_eq!(cap.value.as_ref().map(|v| &file[v.span().range()]), Some("NET_ADMIN"));
        assert_eq!(&file[r.subcommand_span.range()], "run");
        assert_eq!(&file[r.span.range()], &file[file.find("run").unwrap_or(0)..]);
    }

    #[test]
    fn short_groups() {
        let (file, r) = run("docker run -dit -v/x:/y -e=A=1 -itp 80:80 -Pq -itp8080:80 img");
        assert_eq!(
            opts(&r),
            [
                ("detach", None),
                ("interactive", None),
                ("tty", None),
                ("volume", Some("/x:/y")),
                ("env", Some("A=1")),
                ("interactive", None),
                ("tty", None),
                ("publish", Some("80:80")),
                ("publish-all", None),
                ("quiet", None),
                ("interactive", None),
                ("tty", None),
                ("publish", Some("8080:80")),
            ]
        );
        assert_eq!(&file[r.options[1].flag_span.range()], "i");
        assert_eq!(&file[r.options[7].flag_span.range()], "p");
        assert_eq!(&file[r.options[7].span.range()], "p 80:80");
        assert_eq!(&file[r.options[0].flag_span.range()], "-d");
        assert_eq!(&file[r.options[3].flag_span.range()], "-v");
        assert_eq!(&file[r.options[3].span.range()], "-v/x:/y");
        let glued = &r.options[12];
        assert_eq!(&file[glued.span.range()], "p8080:80");
        assert_eq!(glued.value.as_ref().map(|v| &file[v.span().range()]), Some("8080:80"));
        assert_eq!(r.image.as_ref().map(SpannedText::as_str), Some("img"));
    }

    #[test]
    fn command_after_image_is_not_options() {
        let (_, r) = run("docker run img --privileged -v /:/host");
        assert!(r.options.is_empty());
        assert!(r.flag("privileged").is_none());
        assert_eq!(r.command.len(), 3);
    }

    #[test]
    fn double_dash_ends_options() {
        let (_, r) = run("docker run --rm -- -weird-image arg");
        assert_eq!(r.image.as_ref().map(SpannedText::as_str), Some("-weird-image"));
        assert_eq!(r.command.len(), 1);
    }

    #[test]
    fn value_is_taken_even_when_it_looks_like_a_flag() {
        let (_, r) = run("docker run -e -x --entrypoint --rm img");
        assert_eq!(opts(&r), [("env", Some("-x")), ("entrypoint", Some("--rm"))]);
    }

    #[test]
    fn boolean_flags() {
        let (file, r) = run("docker run --privileged --read-only=false -d=true --init=1 img");
        let p = r.flag("privileged").map(|o| &file[o.flag_span.range()]);
        assert_eq!(p, Some("--privileged"));
        assert!(r.flag("read-only").is_none());
        assert!(r.flag("detach").is_some());
        assert!(r.flag("init").is_some());
        assert!(r.flag("rm").is_none());
        let (_, r) = run("docker run --privileged --privileged=false img");
        assert!(r.flag("privileged").is_none());
        assert_eq!(r.options_named("privileged").count(), 2);
    }

    #[test]
    fn unknown_options() {
        let (_, r) = run("docker run --future-flag --future-value=3 -Z img");
        assert_eq!(opts(&r), [("future-flag", None), ("future-value", Some("3")), ("Z", None)]);
        assert_eq!(r.image.as_ref().map(SpannedText::as_str), Some("img"));
    }

    #[test]
    fn missing_values_and_image_are_errors() {
        let (file, r) = run("docker run --rm -v");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(&file[r.errors[0].span.range()], "-v");
        assert!(r.image.is_none());
        let (file, r) = run("docker run -itp");
        assert_eq!(&file[r.errors[0].span.range()], "p");
        let (file, r) = run("docker run --rm");
        assert_eq!(r.errors.len(), 1);
        assert_eq!(&file[r.errors[0].span.range()], "run");
        let (_, r) = run("docker run --name=");
        assert_eq!(opts(&r), [("name", Some(""))]);
    }

    #[test]
    fn values_helper() {
        let (_, r) = run("docker run -v a:/a --volume=b:/b -p 1:1 img");
        let v: Vec<&str> = r.values("volume").map(SpannedText::as_str).collect();
        assert_eq!(v, ["a:/a", "b:/b"]);
    }

    #[test]
    fn global_options_and_subcommands() {
        let (file, a) = argv("docker -H unix:///x --tls --log-level=debug -D container create --name n img");
        let DockerInvocation::Run(r) = parse_docker(&a[1..]) else { panic!("not a run") };
        assert!(r.create);
        assert_eq!(&file[r.subcommand_span.range()], "container create");
        assert_eq!(r.image.as_ref().map(SpannedText::as_str), Some("img"));

        let (_, a) = argv("docker -c remote start web");
        let DockerInvocation::Other { subcommand, args } = parse_docker(&a[1..]) else { panic!() };
        assert_eq!(subcommand.as_ref().map(SpannedText::as_str), Some("start"));
        assert_eq!(args.len(), 1);

        let (_, a) = argv("docker container stop web");
        let DockerInvocation::Other { subcommand, args } = parse_docker(&a[1..]) else { panic!() };
        assert_eq!(subcommand.as_ref().map(SpannedText::as_str), Some("stop"));
        assert_eq!(args.len(), 1);

        let (_, a) = argv("docker --version");
        assert_eq!(parse_docker(&a[1..]), DockerInvocation::Other { subcommand: None, args: vec![] });
        assert_eq!(parse_docker(&[]), DockerInvocation::Other { subcommand: None, args: vec![] });
    }

    #[test]
    fn compose() {
        let (file, a) =
            argv("docker compose -f a.yml --file=b.yml -p proj --project-directory /d --env-file e --verbose up -d --remove-orphans");
        let DockerInvocation::Compose(c) = parse_docker(&a[1..]) else { panic!("not compose") };
        let files: Vec<&str> = c.files.iter().map(SpannedText::as_str).collect();
        assert_eq!(files, ["a.yml", "b.yml"]);
        assert_eq!(c.project_name.as_ref().map(SpannedText::as_str), Some("proj"));
        assert_eq!(c.project_directory.as_ref().map(SpannedText::as_str), Some("/d"));
        assert_eq!(c.env_files.len(), 1);
        assert_eq!(c.subcommand.as_ref().map(|s| &file[s.span().range()]), Some("up"));
        let args: Vec<&str> = c.args.iter().map(SpannedText::as_str).collect();
        assert_eq!(args, ["-d", "--remove-orphans"]);
        assert_eq!(&file[c.span.range()], &file[file.find("compose").unwrap_or(0)..]);

        let (_, a) = argv("docker-compose -fx.yml -p");
        let c = parse_compose(&a[1..], a[0].span());
        assert_eq!(c.files.first().map(SpannedText::as_str), Some("x.yml"));
        assert!(c.subcommand.is_none());
        assert_eq!(c.errors.len(), 1);
    }
}
