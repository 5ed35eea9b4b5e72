use std::io::{IsTerminal, Write};

use vic_lint_core::config::{self, ConfigError};
use vic_lint_core::{requirements, Severity};
use vic_lint_report::{human, Format, Input};
use vic_lint_rules::engine::CheckError;
use vic_lint_rules::{registry, CheckOptions};

use crate::cli::{CheckArgs, Cli, Color, Command, FailOn, OutputArgs, RulesArgs};
use crate::exit;

pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Test(args) => crate::test_cmd::test(&args),
        Command::Rules(args) => rules(&args),
        Command::Explain { rule } => explain(&rule),
    }
}

fn check(args: &CheckArgs) -> u8 {
    if let Err(code) = check_outputs(&args.output) {
        return code;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let loaded = match config::resolve(args.config.as_deref(), &cwd) {
        Ok(l) => l,
        Err(e) => return config_error(&e, args.color),
    };
    let report = match vic_lint_rules::check(&CheckOptions { paths: &args.paths, config: &loaded }) {
        Ok(r) => r,
        Err(CheckError::Usage(msg)) => {
            eprintln!("vic-lint: {msg}");
            return exit::CANNOT_RUN;
        }
        Err(CheckError::Config(e)) => return config_error(&e, args.color),
    };
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    let input = Input {
        files: &report.files,
        findings: &report.findings,
        scenarios: &[],
        rules: registry::RULE_META,
    };
    if let Err(code) = emit(&args.output, &input, args.color, "") {
        return code;
    }
    verdict(&report.findings, args.fail_on)
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

/// At most one format may go to stdout; said before any work is done.
pub(crate) fn check_outputs(output: &OutputArgs) -> Result<(), u8> {
    if output.format.iter().filter(|f| f.path.is_none()).count() > 1 {
        eprintln!("vic-lint: only one --format can go to stdout; give the others a file (`--format sarif=out.sarif`)");
        return Err(exit::CANNOT_RUN);
    }
    Ok(())
}

/// Renders every requested format; `stdout_tail` is appended to human output on stdout.
pub(crate) fn emit(
    output: &OutputArgs,
    input: &Input<'_>,
    color: Color,
    stdout_tail: &str,
) -> Result<(), u8> {
    for spec in &output.format {
        match &spec.path {
            None => {
                let mut text = vic_lint_report::render(spec.format, input, style(color));
                if spec.format == Format::Human {
                    text.push_str(stdout_tail);
                }
                write_stdout(&text).map_err(|_| exit::CANNOT_RUN)?;
            }
            Some(path) => {
                let text = vic_lint_report::render(spec.format, input, human::Style::plain());
                let written = path
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(path, text));
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

fn rules(args: &RulesArgs) -> u8 {
    let mut out = String::new();
    out.push_str(&format!("{:<6} {:<38} {:<8} {:<10} {}\n", "CODE", "NAME", "REQ", "LEVEL", "SUMMARY"));
    for m in registry::rule_meta() {
        out.push_str(&format!(
            "{:<6} {:<38} {:<8} {:<10} {}\n",
            m.code,
            m.name,
            m.requirement,
            m.level.as_str(),
            m.summary
        ));
    }
    if args.all {
        out.push_str("\nRequirements no tool can check (team obligations, listed for reviewers):\n");
        for r in requirements::catalogue().iter().filter(|r| r.is_process()) {
            out.push_str(&format!("{:<8} {:<20} {}\n", r.id, r.level, r.text));
        }
    }
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

fn explain(rule: &str) -> u8 {
    let Some(m) = registry::lookup(rule) else {
        eprintln!("vic-lint: no rule is called `{rule}`; `vic-lint rules` lists them");
        return exit::CANNOT_RUN;
    };
    let req = requirements::find(m.requirement);
    let mut out = format!("# {} {}\n\n{}\n\n", m.code, m.name, m.summary);
    out.push_str(&format!(
        "Requirement: {} ({}){}\nDefault severity: {}\nChecks: {} files\n\n",
        m.requirement,
        m.level,
        req.map(|r| format!(" — {}", r.text)).unwrap_or_default(),
        m.default_severity(),
        m.kind.as_str(),
    ));
    out.push_str(m.docs);
    out.push('\n');
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}
