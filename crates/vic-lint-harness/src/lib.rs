//! `vic-lint test`: runs a component's upgrade container and the component itself in real
//! containers and reports, as findings, the dynamic requirements of the design they break.

pub mod duration;
pub mod engine;
pub mod manifest;
pub mod probe;
pub mod scenario;
pub mod sentinel;
pub mod size;
pub mod tree;

use std::path::PathBuf;

pub use engine::{Engine, EngineError};
pub use manifest::Manifest;
pub use scenario::{HarnessError, Outcome, Progress, ScenarioResult, Status};
use vic_lint_syntax::FileId;

use crate::engine::ImageInfo;
use crate::manifest::ImageSource;
use crate::scenario::{Harness, Images, Options};

/// The harness codes (rules/T*.md), each produced by one scenario of `scenario.rs`.
pub const CODES: &[&str] = &[
    "T001", "T002", "T003", "T004", "T005", "T006", "T007", "T008", "T009", "T010", "T011", "T012", "T013",
    "T014", "T015", "T016", "T017", "T018", "T019", "T020", "T021", "T022", "T023",
];

pub struct TestOptions {
    pub jobs: usize,
    pub keep: bool,
    pub logs_dir: Option<PathBuf>,
    pub component: Option<String>,
    pub file: FileId,
    pub progress: Option<std::sync::Arc<dyn Progress>>,
}

/// How a `vic-lint test` run ended, for the CLI's exit code.
#[derive(Debug)]
pub enum TestError {
    /// No engine: exit 3.
    Unreachable(String),
    /// The engine could not do what the manifest asks (missing image, failed build), or I/O.
    CannotRun(String),
    /// Ctrl-C or SIGTERM; everything started was removed.
    Interrupted { removed: usize },
}

pub struct TestReport {
    pub outcome: Outcome,
    pub logs_dir: PathBuf,
    pub run_id: String,
}

/// A run id unique enough to tell concurrent runs' containers apart.
fn run_id() -> String {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{}-{nanos:x}", std::process::id())
}

async fn image(engine: &Engine, source: &ImageSource, section: &str) -> Result<ImageInfo, EngineError> {
    match source {
        ImageSource::Image(reference) => engine.image(reference).await,
        ImageSource::Build(dir) => {
            let name: String = dir
                .canonicalize()
                .unwrap_or_else(|_| dir.clone())
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            // The folder's full path in the tag keeps two components' `upgrade/` folders apart.
            let full = dir.canonicalize().unwrap_or_else(|_| dir.clone());
            let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
            for b in full.to_string_lossy().bytes() {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            let tag =
                format!("vic-lint-build/{section}-{}-{:08x}:latest", name.trim_matches('-'), hash as u32);
            engine.build(dir, &tag).await?;
            engine.image(&tag).await
        }
    }
}

/// Runs every scenario of the manifest. Builds a runtime of its own, so the CLI stays
/// synchronous; Ctrl-C and SIGTERM stop the runs and remove what they started.
pub fn run(manifest: &Manifest, options: TestOptions) -> Result<TestReport, TestError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| TestError::CannotRun(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(run_async(manifest, options))
}

async fn run_async(manifest: &Manifest, options: TestOptions) -> Result<TestReport, TestError> {
    let engine = Engine::connect().await.map_err(|e| TestError::Unreachable(e.to_string()))?;
    let cannot = |e: EngineError| match e {
        EngineError::Unreachable(m) => TestError::Unreachable(m),
        EngineError::Failed(m) => TestError::CannotRun(m),
    };
    let upgrade = match &manifest.upgrade {
        Some(u) => Some(image(&engine, &u.image, "upgrade").await.map_err(cannot)?),
        None => None,
    };
    let runtime = match &manifest.runtime {
        Some(r) => Some(image(&engine, &r.image, "runtime").await.map_err(cannot)?),
        None => None,
    };
    let neighbour = match &manifest.runtime {
        Some(r) if !r.degraded.is_empty() => sentinel::image(&engine).await,
        _ => Err("no degraded runs".to_string()),
    };
    let images = Images { upgrade, runtime, neighbour };
    let run_id = run_id();
    let logs_dir = options
        .logs_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("vic-lint-logs-{run_id}")));
    let opts = Options {
        run_id: run_id.clone(),
        jobs: options.jobs,
        keep: options.keep,
        logs_dir: logs_dir.clone(),
        component: options.component.clone(),
        file: options.file,
        progress: options.progress.clone(),
    };
    // The id finds this run's leftovers: `docker ps -a --filter label=vic-lint.run=<id>`.
    eprintln!("note: run {run_id}: containers are labelled {}={run_id}", engine::RUN_LABEL);
    let harness = Harness { engine: &engine, manifest, images: &images, options: &opts };
    let result = tokio::select! {
        r = harness.run() => Some(r),
        () = interrupted() => None,
    };
    // Whatever happened, nothing of this run may stay behind (unless --keep asked for it).
    let mut removed = 0;
    if !options.keep {
        removed = engine.sweep(&run_id).await;
        if result.is_none() {
            // A create request cut short by the interruption may still land in the engine after
            // the first sweep; a second one, a moment later, catches it.
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            removed += engine.sweep(&run_id).await;
        }
    }
    match result {
        None => Err(TestError::Interrupted { removed }),
        Some(Err(HarnessError::Engine(EngineError::Unreachable(m)))) => Err(TestError::Unreachable(m)),
        Some(Err(e)) => Err(TestError::CannotRun(e.to_string())),
        Some(Ok(outcome)) => Ok(TestReport { outcome, logs_dir, run_id }),
    }
}

async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use vic_lint_core::Kind;
    use vic_lint_rules::registry::RULE_META;

    #[test]
    fn every_harness_page_has_a_scenario_and_back() {
        let pages: Vec<&str> = RULE_META.iter().filter(|m| m.kind == Kind::Harness).map(|m| m.code).collect();
        assert_eq!(pages, super::CODES);
        let source = [
            include_str!("scenario/upgrade.rs"),
            include_str!("scenario/all_runs.rs"),
            include_str!("scenario/runtime.rs"),
            include_str!("scenario/ui.rs"),
            include_str!("scenario/rotation.rs"),
        ]
        .concat();
        for code in super::CODES {
            assert!(source.contains(&format!("\"{code}\"")), "no scenario reports {code}");
        }
    }

    /// UPG-3 (the appliance upgrade script may run again) is the rerun scenario run on an
    /// appliance-level script (`writes-data-version = true`); its findings carry UPG-4, the
    /// component-level twin.
    const BY_ANOTHER: &[&str] = &["UPG-3"];

    #[test]
    fn every_harness_requirement_has_a_rule() {
        for req in
            vic_lint_core::requirements::catalogue().iter().filter(|r| r.check.iter().any(|c| c == "harness"))
        {
            let has = RULE_META.iter().any(|m| m.kind == Kind::Harness && m.requirement == req.id);
            if BY_ANOTHER.contains(&req.id.as_str()) {
                assert!(!has, "{} has a rule now: drop it from BY_ANOTHER", req.id);
            } else {
                assert!(has, "requirement {} (harness) has no scenario rule", req.id);
            }
        }
    }
}
