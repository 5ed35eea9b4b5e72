use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
pub use vic_lint_report::Format;

#[derive(Parser, Debug)]
#[command(
    name = "vic-lint",
    version = concat!(env!("CARGO_PKG_VERSION"), " (", env!("VIC_LINT_GIT_DESCRIBE"), ")"),
    about = "Compliance linter for VIC appliance components",
    long_about = "Checks a component's systemd units (with drop-ins), Compose files, version file, \
                  integration document and Drone pipeline against the MUST and SHOULD requirements \
                  of the VIC appliance design document (`vic-lint check`), and runs its upgrade and \
                  runtime containers on real Docker (`vic-lint test`). Every finding names the \
                  requirement it breaks (SVC-8, UPG-4, ...) and points at the exact token.",
    after_help = "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 vic-lint could not run \
                  (usage, configuration, I/O, missing image), 3 `vic-lint test` found no Docker engine."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files or folders (default: the current folder)
    #[command(after_help = "Examples:\n  vic-lint check\n  vic-lint check fixtures/reference\n  \
                            vic-lint check --format json --fail-on warning units/\n  \
                            vic-lint check --format human --format sarif=out.sarif --format junit=out.xml")]
    Check(CheckArgs),
    /// Run the upgrade and runtime containers of [upgrade] and [runtime] on real Docker
    #[command(after_help = "Examples:\n  vic-lint test\n  vic-lint test fixtures/reference --jobs 4\n  \
                            vic-lint test --format json --logs-dir logs/ --keep\n\n\
                            Exit codes: 0 every scenario passed, 1 findings at or above --fail-on, \
                            2 bad manifest or missing image, 3 no Docker engine (DOCKER_HOST), \
                            130 interrupted.")]
    Test(TestArgs),
    /// Show the components `check` sees, every file's place and why; or pin them in vic-lint.toml
    #[command(
        after_help = "Examples:\n  vic-lint components\n  vic-lint components installer/ --format json\n  \
                            vic-lint components --write-config"
    )]
    Components(ComponentsArgs),
    /// Show the configuration vic-lint would use here
    #[command(
        after_help = "Examples:\n  vic-lint config --show\n  vic-lint config --show --config ci/vic-lint.toml"
    )]
    Config(ConfigArgs),
    /// List every rule: code, name, requirement, level
    #[command(
        after_help = "Examples:\n  vic-lint rules\n  vic-lint rules --all\n  vic-lint rules --format json"
    )]
    Rules(RulesArgs),
    /// Scaffold a new component that passes `vic-lint check` and `vic-lint test` as generated
    #[command(
        after_help = "Examples:\n  vic-lint init harbor\n  vic-lint init admiral components/admiral --compose\n  \
                            vic-lint init demo --base-image registry.example.com/busybox:1.36"
    )]
    Init(InitArgs),
    /// Print a shell completion script
    #[command(after_help = "Examples:\n  vic-lint completions bash > /etc/bash_completion.d/vic-lint\n  \
                            vic-lint completions zsh > \"${fpath[1]}/_vic-lint\"\n  \
                            vic-lint completions fish > ~/.config/fish/completions/vic-lint.fish")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (vic-lint.1 and one per subcommand), or print vic-lint.1
    #[command(
        after_help = "Examples:\n  vic-lint man > vic-lint.1\n  vic-lint man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// Write every page into this folder instead of printing vic-lint.1
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// The design's requirements and what checks each: rules, scenarios, or nothing (process)
    #[command(after_help = "Examples:\n  vic-lint requirements\n  vic-lint requirements --format json")]
    Requirements(ListArgs),
    /// Run the language server on stdin/stdout, for editors (Neovim, Helix, VS Code)
    Server,
    /// Print a rule's documentation
    #[command(
        after_help = "Examples:\n  vic-lint explain U001\n  vic-lint explain missing-ready-dependency"
    )]
    Explain {
        /// A rule code (U001) or name (missing-ready-dependency)
        rule: String,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Exit 1 when a finding has this severity or a higher one
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Use this configuration file instead of discovering vic-lint.toml upward
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file: the defaults apply
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
    /// Hide the findings FILE lists (written by --write-baseline); its entries that no longer
    /// occur are reported (S003)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Apply the safe fixes findings carry, then report what is left
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// With --fix or --diff: also apply fixes marked unsafe (they change behaviour; read them)
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes --fix would make, as a unified diff, and change nothing (exit 1 if any)
    #[arg(long)]
    pub diff: bool,
    /// Record every current finding in FILE, report nothing, and exit 0
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// When to use colours and hyperlinks in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The component's name (lowercase letters, digits and dashes)
    pub name: String,
    /// Where to create it (default: a folder named NAME)
    pub dir: Option<PathBuf>,
    /// Deliver the component as a Compose application started by its unit
    #[arg(long, conflicts_with = "docker_run")]
    pub compose: bool,
    /// Deliver the component as a `docker run` line in its unit (the default)
    #[arg(long)]
    pub docker_run: bool,
    /// Base image of the generated upgrade and runtime Dockerfiles (needs a shell)
    #[arg(long, value_name = "IMAGE", default_value = "busybox:1.36")]
    pub base_image: String,
    /// Overwrite files that already exist
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct ComponentsArgs {
    /// Files or folders, as for `check`
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    /// Write the map as vic-lint.toml in the first PATH (a folder), for the team to pin and edit
    #[arg(long)]
    pub write_config: bool,
    /// With --write-config: overwrite an existing vic-lint.toml
    #[arg(long, requires = "write_config")]
    pub force: bool,
    /// Use this configuration file instead of discovering vic-lint.toml upward
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file: the defaults apply
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

#[derive(clap::Args, Debug)]
pub struct ConfigArgs {
    /// Print the effective configuration: the file found (or the defaults) with every default filled in
    #[arg(long)]
    pub show: bool,
    /// Use this configuration file instead of discovering vic-lint.toml upward
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file: the defaults apply
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

#[derive(clap::Args, Debug)]
pub struct TestArgs {
    /// The component folder (vic-lint.toml is looked for here and upward) or its vic-lint.toml
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Use this manifest instead of discovering vic-lint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Scenarios run at the same time (each owns its containers and tree copies)
    #[arg(long, short = 'j', default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
    /// Keep containers and tree copies for debugging (the run id and the copies are printed)
    #[arg(long)]
    pub keep: bool,
    /// Write the full logs of every run here (default: a new folder under the temp folder)
    #[arg(long, value_name = "DIR")]
    pub logs_dir: Option<PathBuf>,
    /// Exit 1 when a finding has this severity or a higher one
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// When to use colours and hyperlinks in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// Also list the design's requirements no tool can check (team obligations)
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub list: ListArgs,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// Output format, repeatable; `FORMAT=FILE` writes that format to FILE. Formats: human,
    /// concise, json, json-lines, sarif, junit, github, gitlab, checkstyle. At most one goes to
    /// stdout.
    #[arg(long, value_name = "FORMAT[=FILE]", value_parser = parse_format, default_value = "human")]
    pub format: Vec<FormatSpec>,
    /// Print the number of findings per rule on stdout instead of the findings (files named with
    /// FORMAT=FILE are still written)
    #[arg(long)]
    pub statistics: bool,
}

/// One `--format`: what to render and where.
#[derive(Clone, Debug)]
pub struct FormatSpec {
    pub format: Format,
    /// None: stdout.
    pub path: Option<PathBuf>,
}

fn parse_format(s: &str) -> Result<FormatSpec, String> {
    let (name, path) = match s.split_once('=') {
        Some((name, path)) if !path.is_empty() => (name, Some(PathBuf::from(path))),
        Some((name, _)) => return Err(format!("`{name}=` needs a file name after `=`")),
        None => (s, None),
    };
    Ok(FormatSpec { format: name.parse()?, path })
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}
