//! The live display of `vic-lint test` on a terminal: which jobs are running, how many are done
//! and left, and the time since the start. Off the terminal nothing is drawn, so logs and CI
//! output stay line-based.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use vic_lint_harness::{Progress, ScenarioResult};

/// How many running jobs the status line names before it says "and N more".
const NAMED: usize = 3;

pub struct Live {
    bar: ProgressBar,
    running: Mutex<BTreeMap<usize, String>>,
}

impl Live {
    /// A display on stderr when both output streams are terminals; `None` otherwise, so a report
    /// piped to a file or a pager is never mixed with redraws.
    pub fn for_terminal() -> Option<Arc<Live>> {
        let tty = std::io::stdout().is_terminal() && std::io::stderr().is_terminal();
        tty.then(|| Arc::new(Live::new(ProgressDrawTarget::stderr())))
    }

    fn new(target: ProgressDrawTarget) -> Live {
        let bar = ProgressBar::with_draw_target(Some(0), target);
        // The template is a constant; if indicatif ever refused it the bar would keep its default.
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>4} [{bar:20}] {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        Live { bar, running: Mutex::new(BTreeMap::new()) }
    }

    /// Clears the display before the report is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn redraw(&self, running: &BTreeMap<usize, String>) {
        let total = self.bar.length().unwrap_or(0);
        let done = self.bar.position();
        let left = total.saturating_sub(done).saturating_sub(running.len() as u64);
        let mut names: Vec<&str> = running.values().take(NAMED).map(String::as_str).collect();
        let more = running.len().saturating_sub(NAMED);
        let extra = if more > 0 { format!(" and {more} more") } else { String::new() };
        if names.is_empty() {
            names.push("nothing");
        }
        self.bar.set_message(format!(
            "{done} done, {} running, {left} left: {}{extra}",
            running.len(),
            names.join(", ")
        ));
    }
}

fn summary(scenarios: &[ScenarioResult]) -> String {
    let parts: Vec<String> = scenarios.iter().map(|s| format!("{} {}", s.name, s.status.word())).collect();
    parts.join(", ")
}

impl Progress for Live {
    fn planned(&self, jobs: usize) {
        self.bar.set_length(jobs as u64);
        // The clock starts with the jobs: image checks and builds before them are not counted.
        self.bar.reset_elapsed();
        self.bar.enable_steady_tick(Duration::from_millis(120));
        self.redraw(&BTreeMap::new());
    }

    fn started(&self, job: usize, label: &str) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        running.insert(job, label.to_string());
        self.redraw(&running);
    }

    fn finished(&self, job: usize, label: &str, scenarios: &[ScenarioResult]) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        running.remove(&job);
        self.bar.inc(1);
        self.redraw(&running);
        let secs = self.bar.elapsed().as_secs_f64();
        self.bar.println(format!("  done {label} at {secs:.1} s: {}", summary(scenarios)));
    }
}

#[cfg(test)]
mod tests {
    use indicatif::{InMemoryTerm, TermLike};

    use super::*;
    use vic_lint_harness::Status;

    fn result(name: &'static str, status: Status) -> ScenarioResult {
        ScenarioResult { name, requirements: "UPG-2", subject: "1.0".into(), status, duration: None }
    }

    fn screen(term: &InMemoryTerm) -> String {
        term.contents()
    }

    #[test]
    fn shows_running_done_and_left_then_clears() {
        let term = InMemoryTerm::new(10, 120);
        let live = Live::new(ProgressDrawTarget::term_like(Box::new(term.clone())));
        live.planned(5);
        live.started(0, "migrate 1.0");
        live.started(1, "refuse v0");
        assert!(
            screen(&term).contains("0 done, 2 running, 3 left: migrate 1.0, refuse v0"),
            "{}",
            screen(&term)
        );

        live.finished(0, "migrate 1.0", &[result("migrate", Status::Pass), result("rerun", Status::Fail)]);
        let shown = screen(&term);
        assert!(shown.contains("done migrate 1.0 at "), "{shown}");
        assert!(shown.contains("migrate pass, rerun fail"), "{shown}");
        assert!(shown.contains("1 done, 1 running, 3 left: refuse v0"), "{shown}");
        assert!(shown.contains("[===="), "a fifth of the bar is full: {shown}");

        for n in 2..6 {
            live.started(n, &format!("job {n}"));
        }
        assert!(screen(&term).contains("refuse v0, job 2, job 3 and 2 more"), "{}", screen(&term));

        live.finish();
        let last = screen(&term);
        assert!(!last.contains("running"), "the bar is cleared before the report: {last}");
        assert!(last.contains("done migrate 1.0"), "finished lines stay: {last}");
        assert_eq!(term.width(), 120);
    }
}
