//! The log rotation scenario (LOG-2): the component runs on healthy data while a workload from
//! the manifest makes it log; its files under `/storage/log/<log-dir>` must stay within
//! `max-size` and `max-files`, and rotated files must appear.

use std::collections::BTreeMap;
use std::path::Path;

use super::{io, Harness, HarnessError, JobResult, ROTATION};
use crate::manifest::{Rotation, Runtime};
use crate::size;

/// A file may pass `max-size` by this fraction: rotation happens after a write, not inside it.
const SLACK: u64 = 10;
const NAMED: usize = 3;

/// The file a rotated file was once (`app.log.1`, `app.log.2.gz`, `app.log-20261204` are all
/// `app.log`), and whether it is a rotated one.
pub fn family(name: &str) -> (&str, bool) {
    let mut base = name;
    let mut rotated = false;
    for ext in [".gz", ".bz2", ".xz", ".zst"] {
        if let Some(b) = base.strip_suffix(ext) {
            base = b;
            rotated = true;
        }
    }
    if let Some((head, tail)) = base.rsplit_once(['.', '-', '_']) {
        if !head.is_empty() && !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit()) {
            return (head, true);
        }
    }
    (base, rotated)
}

/// Every regular file below `dir`, relative, with its size.
fn files(dir: &Path) -> std::io::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in std::fs::read_dir(&d)? {
            let path = item?.path();
            let meta = std::fs::symlink_metadata(&path)?;
            // `.keep` and other hidden files hold folders in place; they are not logs.
            let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() && !hidden {
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().into_owned();
                out.push((rel, meta.len()));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// What is wrong with the log folder, or why the run proves nothing (`Err`).
pub fn judge(rot: &Rotation, files: &[(String, u64)]) -> Result<Vec<String>, String> {
    let dir = format!("/storage/log/{}", rot.log_dir);
    if files.is_empty() {
        return Ok(vec![format!("wrote no log file under {dir}")]);
    }
    let mut problems = Vec::new();
    let limit = rot.max_size + rot.max_size / SLACK;
    let big: Vec<String> = files
        .iter()
        .filter(|(_, len)| *len > limit)
        .map(|(name, len)| format!("{name} ({})", size::show(*len)))
        .collect();
    if !big.is_empty() {
        let shown: Vec<&str> = big.iter().take(NAMED).map(String::as_str).collect();
        problems.push(format!(
            "{} file(s) above max-size {}: {}",
            big.len(),
            size::show(rot.max_size),
            shown.join(", ")
        ));
    }
    let mut families: BTreeMap<String, (u64, bool)> = BTreeMap::new();
    for (name, _) in files {
        let (base, rotated) = family(name);
        let entry = families.entry(base.to_string()).or_default();
        entry.0 += 1;
        entry.1 |= rotated;
    }
    for (base, (count, _)) in families.iter().filter(|(_, (n, _))| *n > rot.max_files) {
        problems.push(format!("{count} files of {base}, above max-files {}", rot.max_files));
    }
    let total: u64 = files.iter().map(|(_, len)| len).sum();
    if !families.values().any(|(_, rotated)| *rotated) {
        if total <= rot.max_size {
            return Err(format!(
                "the workload logged only {} to {dir}, not more than max-size {}: make it log more",
                size::show(total),
                size::show(rot.max_size)
            ));
        }
        problems.push(format!("logs grew to {} with no rotated file", size::show(total)));
    }
    Ok(problems)
}

impl Harness<'_> {
    pub(super) async fn rotation(&self, rt: &Runtime, r: &mut JobResult) -> Result<(), HarnessError> {
        let Some(rot) = &rt.rotation else { return Ok(()) };
        let w = self.prepare(&rt.data)?;
        let network = self.network(rt, "rotation").await?;
        let result = self.rotate(rt, rot, &w, &network.0).await;
        self.drop_network(network).await;
        let (run, workload) = result?;
        let label = rt.data.label.as_str();
        if let Some(code) = run.outcome.exit_code {
            let why = format!("the component exited ({code}) during the workload; see runtime normal");
            r.scenarios.push(Self::skip(ROTATION, label, &why));
            return Ok(());
        }
        match workload {
            (Some(0), _) => {}
            (code, output) => {
                let last = output.lines().last().unwrap_or("").trim().to_string();
                let how =
                    code.map_or_else(|| "did not end within run-for".to_string(), |c| format!("exited {c}"));
                let why = format!(
                    "the workload {how}{}",
                    if last.is_empty() { String::new() } else { format!(": {last}") }
                );
                r.scenarios.push(Self::skip(ROTATION, label, &why));
                return Ok(());
            }
        }
        let dir = w.path.join("storage/log").join(&rot.log_dir);
        let found =
            if dir.is_dir() { files(&dir).map_err(|e| io("cannot read", &dir, e))? } else { Vec::new() };
        let problems = match judge(rot, &found) {
            Ok(p) => p,
            Err(why) => {
                r.scenarios.push(Self::skip(ROTATION, label, &why));
                return Ok(());
            }
        };
        r.scenarios.push(Self::result(ROTATION, &run, !problems.is_empty()));
        if problems.is_empty() {
            return Ok(());
        }
        let mut evidence = self.evidence(ROTATION.name, &run, &[]);
        evidence.files = found
            .iter()
            .take(super::CHANGES_SHOWN)
            .map(|(n, len)| format!("storage/log/{}/{n} {}", rot.log_dir, size::show(*len)))
            .collect();
        r.findings.extend(self.finding(
            "T023",
            rot.span,
            format!("under load, /storage/log/{}: {}", rot.log_dir, problems.join("; ")),
            format!(
                "rotate the log files in the component: at most {} per file and {} files, oldest removed",
                size::show(rot.max_size),
                rot.max_files
            ),
            evidence,
        ));
        Ok(())
    }

    async fn rotate(
        &self,
        rt: &Runtime,
        rot: &Rotation,
        w: &super::Workdir,
        network: &str,
    ) -> Result<(super::Run, (Option<i64>, String)), HarnessError> {
        let before = self.snapshot(w)?;
        let spec = self.runtime_spec(rt, w, "rotation", network, rot.run_for);
        let started = self.engine.start(&spec).await?;
        let workload = self.engine.exec(&started.id, &rot.workload, rot.run_for).await;
        let ended = !self.engine.running(&started.id).await;
        let outcome = self.engine.finish(started, &spec, ended).await?;
        let run = self.ran(w, "rotation", outcome, before)?;
        Ok((run, workload?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rot(max_size: u64, max_files: u64) -> Rotation {
        Rotation {
            workload: vec!["x".into()],
            log_dir: "app".into(),
            max_size,
            max_files,
            run_for: std::time::Duration::from_secs(1),
            span: vic_lint_syntax::Span::new(0, 0),
        }
    }

    fn f(list: &[(&str, u64)]) -> Vec<(String, u64)> {
        list.iter().map(|(n, l)| (n.to_string(), *l)).collect()
    }

    #[test]
    fn rotated_names_fold_into_their_file() {
        assert_eq!(family("app.log"), ("app.log", false));
        assert_eq!(family("app.log.1"), ("app.log", true));
        assert_eq!(family("app.log.2.gz"), ("app.log", true));
        assert_eq!(family("app.log-20261204"), ("app.log", true));
        assert_eq!(family("access.log.gz"), ("access.log", true));
        assert_eq!(family("v1.2"), ("v1", true));
    }

    #[test]
    fn limits_and_rotation_are_judged() {
        let ok = f(&[("app.log", 900), ("app.log.1", 1000), ("app.log.2", 1000)]);
        assert_eq!(judge(&rot(1000, 3), &ok), Ok(vec![]));
        let none = judge(&rot(1000, 3), &[]).unwrap_or_default();
        assert!(none[0].contains("no log file"), "{none:?}");
        let grown = judge(&rot(1000, 3), &f(&[("app.log", 50_000)])).unwrap_or_default();
        assert_eq!(grown.len(), 2, "{grown:?}");
        assert!(grown[0].contains("above max-size") && grown[1].contains("no rotated file"), "{grown:?}");
        let many = f(&[("app.log", 10), ("app.log.1", 900), ("app.log.2", 900), ("app.log.3", 900)]);
        let too_many = judge(&rot(1000, 3), &many).unwrap_or_default();
        assert!(too_many[0].contains("4 files of app.log"), "{too_many:?}");
        assert!(judge(&rot(1000, 3), &f(&[("app.log", 200)])).is_err(), "too little logged proves nothing");
    }
}
