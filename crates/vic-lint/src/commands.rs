use std::io::{IsTerminal, Write};

use vic_lint_core::config::{self, ConfigError};
use vic_lint_core::Severity;
use vic_lint_report::{human, Format, Input};
use vic_lint_rules::engine::CheckError;
use vic_lint_rules::{registry, CheckOptions};

use crate::cli::{CheckArgs, Cli, Color, Command, FailOn, OutputArgs};
use crate::exit;
use crate::info;

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Test(args) => crate::test_cmd::test(&args),
        Command::Init(args) => crate::init::init(&args),
        Command::Components(args) => crate::components::components(&args),
        Command::Config(args) => info::show_config(&args),
        Command::Rules(args) => info::rules(&args),
        Command::Completions { shell } => info::completions(shell),
        Command::Man { dir } => info::man(dir.as_deref()),
        Command::Requirements(args) => info::requirements_cmd(&args),
        Command::Explain { rule } => info::explain(&rule),
        Command::Server => crate::server::run(),
    }
}

fn check(args: &CheckArgs) -> u8 {
    if let Err(code) = check_outputs(&args.output) {
        return code;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let loaded = match config::resolve(args.config.as_deref(), &cwd, args.isolated) {
        Ok(l) => l,
        Err(e) => return config_error(&e, args.color),
    };
    let run_check = || match vic_lint_rules::check(&CheckOptions {
        paths: &args.paths,
        config: &loaded,
        overlay: None,
    }) {
        Ok(r) => Ok(r),
        Err(CheckError::Usage(msg)) => {
            eprintln!("vic-lint: {msg}");
            Err(exit::CANNOT_RUN)
        }
        Err(CheckError::Config(e)) => Err(config_error(&e, args.color)),
    };
    let mut report = match run_check() {
        Ok(r) => r,
        Err(code) => return code,
    };
    if args.diff {
        return show_diff(&report, args.unsafe_fixes);
    }
    if args.fix {
        report = match crate::fix::fix_all(report, run_check, args.unsafe_fixes) {
            Ok(r) => r,
            Err(code) => return code,
        };
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    if let Some(path) = &args.write_baseline {
        return match crate::baseline::write(path, &report.files, &report.findings) {
            Ok(n) => {
                eprintln!("vic-lint: wrote {n} finding(s) to the baseline {}", path.display());
                exit::CLEAN
            }
            Err(m) => {
                eprintln!("vic-lint: {m}");
                exit::CANNOT_RUN
            }
        };
    }
    let mut baselined = 0;
    if let Some(path) = &args.baseline {
        let findings = std::mem::take(&mut report.findings);
        match crate::baseline::apply(path, &mut report.files, findings) {
            Ok((kept, hidden)) => {
                report.findings = kept;
                baselined = hidden;
            }
            Err(m) => {
                eprintln!("vic-lint: {m}");
                return exit::CANNOT_RUN;
            }
        }
    }
    let input = Input {
        files: &report.files,
        findings: &report.findings,
        scenarios: &[],
        rules: registry::RULE_META,
        baselined,
    };
    if let Err(code) = emit(&args.output, &input, args.color, "") {
        return code;
    }
    let code = verdict(&report.findings, args.fail_on);
    // The process ends here: the operating system takes back the texts and findings at once,
    // where freeing them one by one costs as much as sorting them.
    std::mem::forget(report);
    code
}

/// Exit 1 when a finding reaches `--fail-on`.
pub(crate) fn verdict(findings: &[vic_lint_core::Finding], fail_on: FailOn) -> u8 {
    let threshold = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    if findings.iter().any(|f| f.severity >= threshold) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    }
}

/// `--diff`: the next pass of fixes as a unified diff; nothing is written.
fn show_diff(report: &vic_lint_rules::engine::Report, unsafe_ok: bool) -> u8 {
    let pass = crate::fix::pass(&report.files, &report.findings, unsafe_ok);
    let mut out = String::new();
    for (path, change) in &pass.changes {
        out.push_str(&crate::fix::diff(path, change));
    }
    if pass.unsafe_skipped > 0 {
        eprintln!("note: {} unsafe fix(es) not shown; --unsafe-fixes shows them", pass.unsafe_skipped);
    }
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    if pass.changes.is_empty() {
        exit::CLEAN
    } else {
        exit::FINDINGS
    }
}

/// At most one format may go to stdout; said before any work is done.
pub(crate) fn check_outputs(output: &OutputArgs) -> Result<(), u8> {
    if output.format.iter().filter(|f| f.path.is_none()).count() > 1 {
        eprintln!("vic-lint: only one --format can go to stdout; give the others a file (`--format sarif=out.sarif`)");
        return Err(exit::CANNOT_RUN);
    }
    Ok(())
}

/// Renders every requested format; `stdout_tail` is appended to human output on stdout. In a
/// Drone step (`DRONE_CARD_PATH` set) the summary card is written too.
pub(crate) fn emit(
    output: &OutputArgs,
    input: &Input<'_>,
    color: Color,
    stdout_tail: &str,
) -> Result<(), u8> {
    if let Some(card) = std::env::var_os("DRONE_CARD_PATH").filter(|p| !p.is_empty()) {
        let command = if input.scenarios.is_empty() { "check" } else { "test" };
        if let Err(e) = std::fs::write(&card, vic_lint_report::drone_card::render(input, command)) {
            // The card is a nicety: the build's verdict must not depend on it.
            eprintln!("warning: cannot write the Drone card {}: {e}", std::path::Path::new(&card).display());
        }
    }
    for spec in &output.format {
        match &spec.path {
            None if output.statistics => write_stdout(&statistics(input)).map_err(|_| exit::CANNOT_RUN)?,
            None => {
                let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
                let written = vic_lint_report::write(spec.format, input, style(color), &mut out)
                    .and_then(|()| {
                        if spec.format == Format::Human {
                            out.write_all(stdout_tail.as_bytes())
                        } else {
                            Ok(())
                        }
                    })
                    .and_then(|()| out.flush());
                written.map_err(|_| exit::CANNOT_RUN)?;
            }
            Some(path) => {
                let written = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::File::create(path))
                    .and_then(|file| {
                        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
                        vic_lint_report::write(spec.format, input, human::Style::plain(), &mut out)?;
                        out.flush()
                    });
                if let Err(e) = written {
                    eprintln!("vic-lint: cannot write {}: {e}", path.display());
                    return Err(exit::CANNOT_RUN);
                }
            }
        }
    }
    Ok(())
}

/// A closed pipe (`vic-lint check | head`) is not worth a panic.
pub(crate) fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

pub(crate) fn style(color: Color) -> human::Style {
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let on = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => tty && !no_color,
    };
    let width = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(100);
    human::Style { color: on, links: on, width: if tty { width } else { 100 } }
}

pub(crate) fn config_error(e: &ConfigError, color: Color) -> u8 {
    let text = human::render_config_error(e, style(color));
    eprint!("{text}");
    exit::CANNOT_RUN
}

/// Findings per rule, most frequent first, as `ruff --statistics` prints them.
fn statistics(input: &Input<'_>) -> String {
    let mut counts: Vec<(usize, &vic_lint_core::RuleMeta)> = Vec::new();
    for f in input.findings {
        match counts.iter_mut().find(|(_, m)| m.code == f.meta.code) {
            Some((n, _)) => *n += 1,
            None => counts.push((1, f.meta)),
        }
    }
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.code.cmp(b.1.code)));
    let mut out = String::new();
    for (n, m) in counts {
        out.push_str(&format!(
            "{n:>6}  {:<5} {:<38} {:<7} {}\n",
            m.code,
            m.name,
            m.requirement,
            m.level.family()
        ));
    }
    out
}
