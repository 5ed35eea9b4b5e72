//! The commands that describe vic-lint rather than check anything: `config --show`, `rules`,
//! `requirements`, `explain`, `completions` and `man`.

use vic_lint_core::config;
use vic_lint_core::requirements;
use vic_lint_rules::registry;

use crate::cli::{Cli, Color, ConfigArgs, ListArgs, ListFormat, RulesArgs};
use crate::commands::{config_error, write_stdout};
use crate::exit;

pub(crate) fn show_config(args: &ConfigArgs) -> u8 {
    if !args.show {
        eprintln!("vic-lint: `vic-lint config` needs --show (see --help)");
        return exit::CANNOT_RUN;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let loaded = match config::resolve(args.config.as_deref(), &cwd, args.isolated) {
        Ok(l) => l,
        Err(e) => return config_error(&e, Color::Auto),
    };
    let enabled = match vic_lint_rules::select::Selection::from_config(&loaded, registry::rule_meta()) {
        Ok(s) => s.enabled().len(),
        Err(e) => return config_error(&e, Color::Auto),
    };
    let source = match &loaded.path {
        Some(p) => format!("# from {}", p.display()),
        None if args.isolated => "# --isolated: no file read, the defaults apply".to_string(),
        None => "# no vic-lint.toml found here or above: the defaults apply".to_string(),
    };
    let body = toml::to_string_pretty(&loaded.effective()).unwrap_or_default();
    let out = format!("{source}\n# {enabled} of {} rules enabled\n\n{body}", registry::rule_meta().len());
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

pub(crate) fn completions(shell: clap_complete::Shell) -> u8 {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "vic-lint", &mut out);
    if write_stdout(&String::from_utf8_lossy(&out)).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

/// The man pages come from the same definition as `--help`, so they cannot drift apart.
pub(crate) fn man(dir: Option<&std::path::Path>) -> u8 {
    let cmd = <Cli as clap::CommandFactory>::command();
    let render = |c: &clap::Command| {
        let mut buf = Vec::new();
        clap_mangen::Man::new(c.clone()).render(&mut buf).map(|()| buf)
    };
    let Some(dir) = dir else {
        return match render(&cmd) {
            Ok(page) if write_stdout(&String::from_utf8_lossy(&page)).is_ok() => exit::CLEAN,
            _ => exit::CANNOT_RUN,
        };
    };
    let mut pages = vec![("vic-lint.1".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("vic-lint-{}", sub.get_name());
        pages.push((format!("{name}.1"), sub.clone().name(name)));
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("vic-lint: cannot create {}: {e}", dir.display());
        return exit::CANNOT_RUN;
    }
    for (file, c) in pages {
        let written = render(&c).and_then(|page| std::fs::write(dir.join(&file), page));
        if let Err(e) = written {
            eprintln!("vic-lint: cannot write {}: {e}", dir.join(&file).display());
            return exit::CANNOT_RUN;
        }
    }
    exit::CLEAN
}

fn to_json(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

pub(crate) fn rules(args: &RulesArgs) -> u8 {
    let out = if args.list.format == ListFormat::Json {
        let list: Vec<serde_json::Value> = registry::rule_meta()
            .iter()
            .map(|m| {
                serde_json::json!({
                    "code": m.code,
                    "name": m.name,
                    "requirement": m.requirement,
                    "level": m.level.as_str(),
                    "severity": m.default_severity().as_str(),
                    "kind": m.kind.as_str(),
                    "summary": m.summary,
                    "enabled_by_default": m.enabled_by_default(),
                    "url": m.url(),
                })
            })
            .collect();
        to_json(&serde_json::Value::Array(list))
    } else {
        let mut out = format!("{:<6} {:<38} {:<8} {:<10} {}\n", "CODE", "NAME", "REQ", "LEVEL", "SUMMARY");
        for m in registry::rule_meta() {
            let off = if m.enabled_by_default() { "" } else { " (off by default: `select` it)" };
            out.push_str(&format!(
                "{:<6} {:<38} {:<8} {:<10} {}{off}\n",
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
        out
    };
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

/// Requirements checked by a rule that names another requirement, with where.
const CHECKED_ELSEWHERE: &[(&str, &str)] = &[(
    "UPG-3",
    "T003 (the rerun scenario, on an appliance-level upgrade image: writes-data-version = true)",
)];

/// The coverage map a reviewer of the design document asks for.
pub(crate) fn requirements_cmd(args: &ListArgs) -> u8 {
    let rows: Vec<(&requirements::Requirement, Vec<&'static str>, Option<&str>)> = requirements::catalogue()
        .iter()
        .map(|r| {
            let codes: Vec<&'static str> =
                registry::rule_meta().iter().filter(|m| m.requirement == r.id).map(|m| m.code).collect();
            let elsewhere = CHECKED_ELSEWHERE.iter().find(|(id, _)| *id == r.id).map(|(_, how)| *how);
            (r, codes, elsewhere)
        })
        .collect();
    let out = if args.format == ListFormat::Json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(r, codes, elsewhere)| {
                serde_json::json!({
                    "id": r.id,
                    "level": r.level,
                    "section": r.section,
                    "text": r.text,
                    "check": r.check,
                    "rules": codes,
                    "checked_by": elsewhere,
                    "machine_checkable": !r.is_process() || !codes.is_empty(),
                })
            })
            .collect();
        to_json(&serde_json::Value::Array(list))
    } else {
        let mut out = String::new();
        for (r, codes, elsewhere) in &rows {
            // The design marks some requirements as process that the harness observes anyway
            // (RUN-2, LOG-2): a rule that checks one wins over the design's label.
            let how = if r.is_process() && codes.is_empty() {
                "process: not machine-checkable".to_string()
            } else if let Some(how) = elsewhere {
                format!("checked by {how}")
            } else {
                codes.join(", ")
            };
            out.push_str(&format!("{:<8} {:<19} {:<32} {}\n", r.id, r.level, how, r.text));
        }
        out
    };
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

pub(crate) fn explain(rule: &str) -> u8 {
    let Some(m) = registry::lookup(rule) else {
        eprintln!("vic-lint: no rule is called `{rule}`; `vic-lint rules` lists them");
        return exit::CANNOT_RUN;
    };
    let out = page(m);
    if write_stdout(&out).is_err() {
        return exit::CANNOT_RUN;
    }
    exit::CLEAN
}

/// A rule's page as Markdown: `explain` prints it, the language server shows it on hover.
pub(crate) fn page(m: &vic_lint_core::RuleMeta) -> String {
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
    out
}
