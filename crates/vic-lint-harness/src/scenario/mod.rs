//! The scenarios of `vic-lint test`: what runs, on which tree, and what each outcome proves.
//!
//! Work is split into jobs that own their runs (a migration and its rerun share one tree), run
//! concurrently up to `--jobs`, and come back in plan order, so the report is deterministic.
//! Scenarios that judge every run (unattended, exit codes, logs) are evaluated at the end.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt;
use vic_lint_core::{Evidence, Finding};
use vic_lint_syntax::{FileId, Span};

use crate::engine::{Engine, EngineError, Limit, MountSpec, Resources, RunOutcome, RunSpec};
use crate::manifest::{Manifest, Tree};
use crate::tree::{self, Snapshot};

mod all_runs;
mod rotation;
mod runtime;
mod ui;
mod upgrade;

/// The appliance folders a data tree may hold, and where the container sees them.
const STORAGE: [&str; 3] = ["storage/data", "storage/db", "storage/log"];
const VERSION_FILE: &str = "etc/vmware/version";
const LOG_TAIL_LINES: usize = 10;
const CHANGES_SHOWN: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// Not applicable or inconclusive, with the reason.
    Skip(String),
}

impl Status {
    /// The word reports and the live display use for it.
    pub fn word(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip(_) => "skip",
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub name: &'static str,
    pub requirements: &'static str,
    /// The tree (or image) it ran on, as the manifest writes it.
    pub subject: String,
    pub status: Status,
    pub duration: Option<Duration>,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub scenarios: Vec<ScenarioResult>,
    pub findings: Vec<Finding>,
}

pub struct Options {
    pub run_id: String,
    pub jobs: usize,
    pub keep: bool,
    pub logs_dir: PathBuf,
    pub component: Option<String>,
    /// The manifest's file in the report.
    pub file: FileId,
    /// Told as each job starts and ends, for a live display; `None` prints nothing.
    pub progress: Option<std::sync::Arc<dyn Progress>>,
}

/// What a live display hears while the jobs run. A job is one or more scenarios on one tree
/// (a migration and its rerun share one); `label` names it as the manifest does.
pub trait Progress: Send + Sync {
    /// Called once, before any job starts.
    fn planned(&self, jobs: usize);
    fn started(&self, job: usize, label: &str);
    fn finished(&self, job: usize, label: &str, scenarios: &[ScenarioResult]);
}

/// Images resolved before anything runs.
pub struct Images {
    pub upgrade: Option<crate::engine::ImageInfo>,
    pub runtime: Option<crate::engine::ImageInfo>,
    /// The neighbour of the degraded runs (RUN-4), or why there is none.
    pub neighbour: Result<String, String>,
}

#[derive(Debug)]
pub enum HarnessError {
    Engine(EngineError),
    Io(String),
}

impl std::fmt::Display for HarnessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HarnessError::Engine(e) => write!(f, "{e}"),
            HarnessError::Io(m) => f.write_str(m),
        }
    }
}

impl From<EngineError> for HarnessError {
    fn from(e: EngineError) -> HarnessError {
        HarnessError::Engine(e)
    }
}

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> HarnessError {
    HarnessError::Io(format!("{what} {}: {e}", path.display()))
}

/// One container run and what it did to its tree.
#[derive(Debug, Clone)]
struct Run {
    scenario: &'static str,
    tree: Tree,
    outcome: RunOutcome,
    before: Snapshot,
    after: Snapshot,
    logs: Option<String>,
    /// A run that had data to migrate: it must say what it did (UPG-8).
    migrating: bool,
}

impl Run {
    fn changes(&self) -> Vec<tree::Change> {
        tree::diff(&self.before, &self.after)
    }
}

/// A fresh copy of a fixture tree, removed when dropped unless `--keep`.
struct Workdir {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
    tree: Tree,
}

impl Drop for Workdir {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            if let Err(e) = dir.close() {
                eprintln!("warning: could not remove {}: {e}", self.path.display());
            }
        }
    }
}

enum Job {
    Migrate(usize),
    Noop,
    Refuse(usize),
    ReadOnly,
    RuntimeNormal,
    Degraded(usize),
    Rotation,
}

/// What a job hands back: its scenarios, their findings, and its upgrade runs for the
/// scenarios that judge all runs together.
#[derive(Default)]
struct JobResult {
    scenarios: Vec<ScenarioResult>,
    findings: Vec<Finding>,
    runs: Vec<Run>,
}

pub struct Harness<'a> {
    pub engine: &'a Engine,
    pub manifest: &'a Manifest,
    pub images: &'a Images,
    pub options: &'a Options,
}

const KILLED: &str = "killed at the timeout; see unattended";

/// A scenario of the table in the README: its name and the requirements it proves.
#[derive(Debug, Clone, Copy)]
struct Scenario {
    name: &'static str,
    requirements: &'static str,
}

const MIGRATE: Scenario = Scenario { name: "migrate", requirements: "UPG-2" };
const GOLDEN: Scenario = Scenario { name: "golden", requirements: "UPG-6" };
const RERUN: Scenario = Scenario { name: "rerun", requirements: "UPG-4" };
const NO_OP: Scenario = Scenario { name: "no-op", requirements: "UPG-4" };
const REFUSE: Scenario = Scenario { name: "refuse", requirements: "UPG-5, UPG-10, VER-4" };
const READ_ONLY: Scenario = Scenario { name: "read-only disk", requirements: "UPG-5" };
const DATA_VERSION: Scenario = Scenario { name: "data version", requirements: "VER-2" };
const LOGS: Scenario = Scenario { name: "logs", requirements: "UPG-8" };
const UNATTENDED: Scenario = Scenario { name: "unattended", requirements: "UPG-11" };
const EXIT_CODES: Scenario = Scenario { name: "exit codes", requirements: "UPG-7" };
const VERSION: Scenario = Scenario { name: "version", requirements: "UPG-9" };
const RUNTIME_NORMAL: Scenario = Scenario { name: "runtime normal", requirements: "RUN-1" };
const RUNTIME_DEGRADED: Scenario = Scenario { name: "runtime degraded", requirements: "RUN-3, RUN-4, RUN-5" };
const UI_NORMAL: Scenario = Scenario { name: "ui normal", requirements: "RUN-2" };
const UI_DEGRADED: Scenario = Scenario { name: "ui degraded", requirements: "RUN-2" };
const NEIGHBOUR: Scenario = Scenario { name: "neighbour", requirements: "RUN-4" };
const ROTATION: Scenario = Scenario { name: "log rotation", requirements: "LOG-2" };

impl Harness<'_> {
    pub async fn run(&self) -> Result<Outcome, HarnessError> {
        std::fs::create_dir_all(&self.options.logs_dir)
            .map_err(|e| io("cannot create the logs folder", &self.options.logs_dir, e))?;
        let mut jobs = Vec::new();
        if let Some(u) = &self.manifest.upgrade {
            jobs.extend((0..u.from.len()).map(Job::Migrate));
            if u.current.is_some() {
                jobs.push(Job::Noop);
            }
            jobs.extend((0..u.incompatible.len()).map(Job::Refuse));
            if !u.from.is_empty() {
                jobs.push(Job::ReadOnly);
            }
        }
        if let Some(r) = &self.manifest.runtime {
            jobs.push(Job::RuntimeNormal);
            jobs.extend((0..r.degraded.len()).map(Job::Degraded));
            if r.rotation.is_some() {
                jobs.push(Job::Rotation);
            }
        }
        let progress = self.options.progress.as_deref();
        if let Some(p) = progress {
            p.planned(jobs.len());
        }
        let results: Vec<Result<JobResult, HarnessError>> =
            futures_util::stream::iter(jobs.into_iter().enumerate())
                .map(|(n, job)| async move {
                    let label = self.describe(&job);
                    if let Some(p) = progress {
                        p.started(n, &label);
                    }
                    let r = self.job(job).await;
                    if let (Some(p), Ok(done)) = (progress, &r) {
                        p.finished(n, &label, &done.scenarios);
                    }
                    r
                })
                .buffered(self.options.jobs.max(1))
                .collect()
                .await;

        let mut out = Outcome::default();
        let mut runs = Vec::new();
        for r in results {
            let r = r?;
            out.scenarios.extend(r.scenarios);
            out.findings.extend(r.findings);
            runs.extend(r.runs);
        }
        if let Some(u) = &self.manifest.upgrade {
            self.logs(&runs, &mut out);
            self.unattended(u, &runs, &mut out);
            self.exit_codes(u, &runs, &mut out);
            self.version(u, &mut out);
        }
        Ok(out)
    }

    /// The job as the progress display names it: the scenario and the tree it runs on.
    fn describe(&self, job: &Job) -> String {
        let u = self.manifest.upgrade.as_ref();
        let r = self.manifest.runtime.as_ref();
        let tree = |t: Option<&Tree>| t.map_or_else(String::new, |t| format!(" {}", t.label));
        match job {
            Job::Migrate(i) => format!("migrate{}", tree(u.and_then(|u| u.from.get(*i)))),
            Job::Noop => format!("no-op{}", tree(u.and_then(|u| u.current.as_ref()))),
            Job::Refuse(i) => format!("refuse{}", tree(u.and_then(|u| u.incompatible.get(*i)))),
            Job::ReadOnly => format!("read-only disk{}", tree(u.and_then(|u| u.from.first()))),
            Job::RuntimeNormal => format!("runtime normal{}", tree(r.map(|r| &r.data))),
            Job::Degraded(i) => format!("runtime degraded{}", tree(r.and_then(|r| r.degraded.get(*i)))),
            Job::Rotation => format!("log rotation{}", tree(r.map(|r| &r.data))),
        }
    }

    async fn job(&self, job: Job) -> Result<JobResult, HarnessError> {
        let mut r = JobResult::default();
        match (job, &self.manifest.upgrade, &self.manifest.runtime) {
            (Job::Migrate(i), Some(u), _) => self.migrate(u, i, &mut r).await?,
            (Job::Noop, Some(u), _) => self.noop(u, &mut r).await?,
            (Job::Refuse(i), Some(u), _) => self.refuse(u, i, &mut r).await?,
            (Job::ReadOnly, Some(u), _) => self.read_only(u, &mut r).await?,
            (Job::RuntimeNormal, _, Some(rt)) => self.runtime_normal(rt, &mut r).await?,
            (Job::Degraded(i), _, Some(rt)) => self.degraded(rt, i, &mut r).await?,
            (Job::Rotation, _, Some(rt)) => self.rotation(rt, &mut r).await?,
            _ => {}
        }
        Ok(r)
    }

    // ---- building blocks ----

    fn prepare(&self, tree: &Tree) -> Result<Workdir, HarnessError> {
        // TMPDIR may name a folder shared with a remote engine (Drone's workspace) not made yet.
        let _ = std::fs::create_dir_all(std::env::temp_dir());
        let dir = tempfile::Builder::new()
            .prefix("vic-lint-tree-")
            .tempdir()
            .map_err(|e| io("cannot create a temporary folder for", &tree.path, e))?;
        tree::copy(&tree.path, dir.path()).map_err(|e| io("cannot copy data tree", &tree.path, e))?;
        for sub in STORAGE {
            std::fs::create_dir_all(dir.path().join(sub))
                .map_err(|e| io("cannot prepare", &dir.path().join(sub), e))?;
        }
        let path = dir.path().to_path_buf();
        let dir = if self.options.keep {
            eprintln!("note: keeping the copy of {} at {}", tree.label, path.display());
            let _ = dir.keep();
            None
        } else {
            Some(dir)
        };
        Ok(Workdir { dir, path, tree: tree.clone() })
    }

    /// What a container of `image` gets: the tree copy's storage folders and version file.
    fn spec(
        &self,
        w: &Workdir,
        scenario: &'static str,
        image: &str,
        limit: Limit,
        read_only: bool,
    ) -> RunSpec {
        let mut mounts: Vec<MountSpec> = STORAGE
            .iter()
            .map(|sub| MountSpec { host: w.path.join(sub), target: format!("/{sub}"), read_only })
            .collect();
        let version = w.path.join(VERSION_FILE);
        if version.is_file() {
            mounts.push(MountSpec { host: version, target: format!("/{VERSION_FILE}"), read_only: true });
        }
        RunSpec {
            image: image.to_string(),
            mounts,
            limit,
            resources: Resources::default(),
            network: "none".into(),
            run_id: self.options.run_id.clone(),
            scenario: scenario.to_string(),
            keep: self.options.keep,
        }
    }

    async fn exec(&self, w: &Workdir, scenario: &'static str, spec: &RunSpec) -> Result<Run, HarnessError> {
        let before = self.snapshot(w)?;
        let outcome = self.engine.run(spec).await?;
        self.ran(w, scenario, outcome, before)
    }

    fn snapshot(&self, w: &Workdir) -> Result<Snapshot, HarnessError> {
        tree::snapshot(&w.path).map_err(|e| io("cannot read", &w.path, e))
    }

    /// A finished run with what it did to the tree; its logs are written out.
    fn ran(
        &self,
        w: &Workdir,
        scenario: &'static str,
        outcome: RunOutcome,
        before: Snapshot,
    ) -> Result<Run, HarnessError> {
        let after = self.snapshot(w)?;
        let logs = self.save_logs(scenario, &w.tree, &outcome);
        Ok(Run { scenario, tree: w.tree.clone(), outcome, before, after, logs, migrating: false })
    }

    /// Writes the full logs of a run; the finding shows only their tail.
    fn save_logs(&self, scenario: &str, tree: &Tree, outcome: &RunOutcome) -> Option<String> {
        let slug: String =
            tree.label.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).collect();
        let path = self.options.logs_dir.join(format!("{scenario}--{}.log", slug.trim_matches('-')));
        match std::fs::write(&path, &outcome.logs) {
            Ok(()) => Some(path.display().to_string()),
            Err(e) => {
                eprintln!("warning: cannot write {}: {e}", path.display());
                None
            }
        }
    }

    fn upgrade_image(&self) -> &str {
        self.images.upgrade.as_ref().map_or("", |i| i.reference.as_str())
    }

    fn runtime_image(&self) -> &str {
        self.images.runtime.as_ref().map_or("", |i| i.reference.as_str())
    }

    fn finding(
        &self,
        code: &str,
        span: Span,
        message: String,
        help: String,
        evidence: Evidence,
    ) -> Option<Finding> {
        let meta = vic_lint_rules::registry::meta(code)?;
        let mut f = Finding::new(meta, self.options.file, span, message);
        f.help(help).anchor(format!("{}:{}", evidence.scenario, evidence.tree.as_deref().unwrap_or("")));
        f.component = self.options.component.as_deref().map(std::sync::Arc::from);
        f.evidence = Some(Box::new(evidence));
        Some(f)
    }

    /// What a finding shows of a run; `scenario` names what judged it.
    fn evidence(&self, scenario: &str, run: &Run, changes: &[tree::Change]) -> Evidence {
        let mut shown: Vec<String> = changes.iter().take(CHANGES_SHOWN).map(ToString::to_string).collect();
        if changes.len() > CHANGES_SHOWN {
            shown.push(format!("… and {} more", changes.len() - CHANGES_SHOWN));
        }
        let lines: Vec<&str> = run.outcome.logs.lines().collect();
        let tail = lines.get(lines.len().saturating_sub(LOG_TAIL_LINES)..).unwrap_or_default();
        Evidence {
            scenario: scenario.to_string(),
            tree: Some(run.tree.label.clone()),
            exit_code: run.outcome.exit_code,
            duration_ms: Some(u64::try_from(run.outcome.duration.as_millis()).unwrap_or(u64::MAX)),
            changes: shown,
            log_tail: tail.iter().map(|l| l.to_string()).collect(),
            logs: run.logs.clone(),
            files: Vec::new(),
            probe: None,
        }
    }

    /// A scenario judged on one run.
    fn result(s: Scenario, run: &Run, failed: bool) -> ScenarioResult {
        ScenarioResult { duration: Some(run.outcome.duration), ..Self::judged(s, &run.tree.label, failed) }
    }

    /// A scenario judged on several runs, or on none.
    fn judged(s: Scenario, subject: &str, failed: bool) -> ScenarioResult {
        ScenarioResult {
            name: s.name,
            requirements: s.requirements,
            subject: subject.to_string(),
            status: if failed { Status::Fail } else { Status::Pass },
            duration: None,
        }
    }

    fn skip(s: Scenario, subject: &str, why: &str) -> ScenarioResult {
        ScenarioResult { status: Status::Skip(why.to_string()), ..Self::judged(s, subject, false) }
    }

    /// A run the harness killed proves nothing but UPG-11: its scenario is recorded as skipped.
    fn killed(s: Scenario, run: &Run, r: &mut JobResult) -> bool {
        if run.outcome.timed_out {
            r.scenarios.push(Self::skip(s, &run.tree.label, KILLED));
        }
        run.outcome.timed_out
    }
}

fn storage_only(s: Snapshot) -> Snapshot {
    s.into_iter().filter(|(p, _)| STORAGE.iter().any(|root| p.starts_with(&format!("{root}/")))).collect()
}

/// Modes as git stores them: files executable or not, folders and links without a mode.
fn as_git_records(s: Snapshot) -> Snapshot {
    s.into_iter()
        .map(|(p, mut e)| {
            e.mode = match e.kind {
                tree::Kind::File { .. } if e.mode & 0o111 != 0 => 0o755,
                tree::Kind::File { .. } => 0o644,
                _ => 0,
            };
            (p, e)
        })
        .collect()
}

fn code_text(code: Option<i64>) -> String {
    code.map_or_else(|| "without an exit code".into(), |c| c.to_string())
}

pub fn human_duration(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A last line that asks something: `[y/N]`, a question mark, or a trailing colon.
fn looks_like_prompt(line: &str) -> bool {
    let l = line.trim_end();
    l.ends_with('?')
        || l.ends_with(':')
        || l.contains("[y/N]")
        || l.contains("[Y/n]")
        || l.contains("(yes/no)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prompts_are_recognised() {
        assert!(looks_like_prompt("Migrate reference data from 1.1.0 to 1.2.0? [y/N]"));
        assert!(looks_like_prompt("Password:"));
        assert!(!looks_like_prompt("migrating step 3 of 5"));
    }

    #[test]
    fn golden_modes_are_what_git_can_record() {
        let mut s = Snapshot::new();
        let file = |mode| tree::Entry { kind: tree::Kind::File { len: 0, sha256: [0; 32] }, mode };
        s.insert("a".into(), file(0o664));
        s.insert("b".into(), file(0o775));
        s.insert("c".into(), file(0o600));
        s.insert("d".into(), tree::Entry { kind: tree::Kind::Dir, mode: 0o2775 });
        let modes: Vec<u32> = as_git_records(s).values().map(|e| e.mode).collect();
        assert_eq!(modes, [0o644, 0o755, 0o644, 0]);
    }

    #[test]
    fn golden_compares_the_mounted_folders_only() {
        let mut s = Snapshot::new();
        let e = tree::Entry { kind: tree::Kind::Dir, mode: 0o755 };
        for p in ["etc", "etc/vmware", "storage", "storage/data", "storage/data/x", "storage/dbx"] {
            s.insert(p.into(), e.clone());
        }
        let kept: Vec<String> = storage_only(s).into_keys().collect();
        assert_eq!(kept, ["storage/data/x"]);
    }
}
