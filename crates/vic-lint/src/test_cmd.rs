//! `vic-lint test`: validate the manifest, run the harness, render like `check`.

use std::path::{Path, PathBuf};

use vic_lint_core::config;
use vic_lint_harness::{Status, TestError, TestOptions};
use vic_lint_report::{Input, ScenarioLine};
use vic_lint_rules::registry::RULE_META;
use vic_lint_syntax::{FileId, SourceFile};

use crate::cli::TestArgs;
use crate::commands::{check_outputs, config_error, emit, verdict};
use crate::exit;

fn manifest_path(args: &TestArgs) -> Result<PathBuf, String> {
    if let Some(c) = &args.config {
        return Ok(c.clone());
    }
    if args.path.is_file() {
        return Ok(args.path.clone());
    }
    if !args.path.is_dir() {
        return Err(format!("{} is neither a folder nor a vic-lint.toml", args.path.display()));
    }
    let start = args.path.canonicalize().unwrap_or_else(|_| args.path.clone());
    config::discover(&start).ok_or_else(|| {
        format!(
            "no {} in {} or a folder above it; `vic-lint test` reads its [upgrade] and [runtime] sections",
            config::FILE_NAME,
            args.path.display()
        )
    })
}

/// The manifest's path as the user would write it: relative to the working folder when below it.
fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    abs.strip_prefix(&cwd).map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

pub fn test(args: &TestArgs) -> u8 {
    if let Err(code) = check_outputs(&args.output) {
        return code;
    }
    let path = match manifest_path(args) {
        Ok(p) => p,
        Err(m) => {
            eprintln!("vic-lint: {m}");
            return exit::CANNOT_RUN;
        }
    };
    let loaded = match config::load_file(&path) {
        Ok(l) => l,
        Err(e) => return config_error(&e, args.color),
    };
    let manifest = match vic_lint_harness::manifest::load(&loaded) {
        Ok(m) => m,
        Err(errors) => {
            for e in &errors {
                config_error(e, args.color);
            }
            return exit::CANNOT_RUN;
        }
    };
    if manifest.upgrade.is_none() && manifest.runtime.is_none() {
        eprintln!(
            "vic-lint: {} has neither an [upgrade] nor a [runtime] section: nothing to test (the README \
             shows both)",
            path.display()
        );
        return exit::CANNOT_RUN;
    }
    let component = match loaded.config.component.as_slice() {
        [one] => Some(one.name.get_ref().clone()),
        _ => loaded
            .base_dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned())),
    };
    let live = crate::progress::Live::for_terminal();
    let options = TestOptions {
        jobs: usize::from(args.jobs),
        keep: args.keep,
        logs_dir: args.logs_dir.clone(),
        component,
        file: FileId(0),
        progress: live.clone().map(|l| l as std::sync::Arc<dyn vic_lint_harness::Progress>),
    };
    let run = vic_lint_harness::run(&manifest, options);
    if let Some(live) = &live {
        live.finish();
    }
    let report = match run {
        Ok(r) => r,
        Err(TestError::Unreachable(m)) => {
            eprintln!("vic-lint: {m}");
            return exit::NO_ENGINE;
        }
        Err(TestError::CannotRun(m)) => {
            eprintln!("vic-lint: {m}");
            return exit::CANNOT_RUN;
        }
        Err(TestError::Interrupted { removed }) => {
            eprintln!("vic-lint: interrupted; removed {removed} container(s) and the temporary trees");
            return exit::INTERRUPTED;
        }
    };
    // `[rules]` applies to scenarios as to static rules: `ignore = ["T009"]`, `severity = {...}`.
    let selection = match vic_lint_rules::select::Selection::from_config(&loaded, RULE_META) {
        Ok(s) => s,
        Err(e) => return config_error(&e, args.color),
    };
    let mut findings = report.outcome.findings;
    findings.retain(|f| selection.is_enabled(f.meta.code));
    for f in &mut findings {
        f.severity = selection.severity(f.meta);
    }
    let file = SourceFile::new(FileId(0), display_path(&path), path.clone(), loaded.text.clone());
    findings.sort_by_key(|f| (f.span.start, f.meta.code));
    let lines: Vec<ScenarioLine> = report.outcome.scenarios.iter().map(line).collect();
    let files = [file];
    let input =
        Input { files: &files, findings: &findings, scenarios: &lines, rules: RULE_META, baselined: 0 };
    let tail = format!("logs: {}\n", report.logs_dir.display());
    if let Err(code) = emit(&args.output, &input, args.color, &tail) {
        return code;
    }
    verdict(&findings, args.fail_on)
}

fn line(r: &vic_lint_harness::ScenarioResult) -> ScenarioLine {
    let reason = match &r.status {
        Status::Skip(why) => Some(why.clone()),
        Status::Pass | Status::Fail => None,
    };
    let status = r.status.word();
    ScenarioLine {
        name: r.name.to_string(),
        requirements: r.requirements.to_string(),
        subject: r.subject.clone(),
        status,
        reason,
        duration_ms: r.duration.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
    }
}
