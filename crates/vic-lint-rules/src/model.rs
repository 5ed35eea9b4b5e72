//! From a unit's `Exec*=` lines to the model rules read: parsed command lines, what each runs,
//! and the containers they start.

use rayon::prelude::*;
use vic_lint_core::container::{self, ContainerSpec, Value};
use vic_lint_core::rule::{ExecEntry, UnitCx};
use vic_lint_syntax::command::{classify_exec, Command, Invocation};
use vic_lint_syntax::docker::DockerRun;
use vic_lint_syntax::exec::parse_exec;
use vic_lint_syntax::unit::{Assigned, EffectiveUnit};
use vic_lint_syntax::{FileId, SpannedText};

pub const EXEC_KEYS: &[&str] = &[
    "ExecCondition",
    "ExecStartPre",
    "ExecStart",
    "ExecStartPost",
    "ExecReload",
    "ExecStop",
    "ExecStopPost",
];

/// Every `Exec*=` assignment in effect, parsed and classified.
pub fn exec_entries<'a>(eff: &EffectiveUnit<'a>) -> Vec<ExecEntry<'a>> {
    let mut counts = [0usize; EXEC_KEYS.len()];
    let found: Vec<_> = eff
        .assignments("Service")
        .into_iter()
        .filter_map(|(key, a)| {
            let k = EXEC_KEYS.iter().position(|k| *k == key)?;
            let index = counts.get(k).copied().unwrap_or(0);
            if let Some(c) = counts.get_mut(k) {
                *c += 1;
            }
            Some((EXEC_KEYS.get(k).copied().unwrap_or(key), index, a))
        })
        .collect();
    let entry = |(key, index, a): &(&'a str, usize, Assigned<'a>)| {
        let line = parse_exec(&a.entry.value);
        let commands = line.commands.iter().filter_map(classify_exec).collect();
        ExecEntry { key, index: *index, file: a.file, entry: a.entry, line, commands }
    };
    // Lines are parsed in parallel only when they are long (a unit of megabytes of continued
    // lines): for the few short lines of a typical unit, the tasks would cost more than they save.
    let bytes: usize = found.iter().map(|(_, _, a)| a.entry.value.len()).sum();
    if bytes > 1 << 16 {
        found.par_iter().map(entry).collect()
    } else {
        found.iter().map(entry).collect()
    }
}

/// Every command of an exec entry, including those inside `sh -c` scripts.
pub fn each_command(exec: &ExecEntry<'_>, mut f: impl FnMut(&Command)) {
    for c in &exec.commands {
        c.walk(&mut f);
    }
}

/// `Environment=` values, for `${VAR}` in docker arguments.
fn environment(cx: &UnitCx<'_>) -> Vec<(String, String)> {
    let mut env = Vec::new();
    for a in cx.eff.values("Service", "Environment") {
        for c in parse_exec(&a.entry.value).commands {
            for w in c.argv {
                if let Some((k, v)) = w.as_str().split_once('=') {
                    env.push((k.to_string(), v.to_string()));
                }
            }
        }
    }
    env
}

/// Variables by name, the last assignment of each winning, as systemd and Compose apply them;
/// a map, since every `${VAR}` of every line is looked up.
pub fn last_wins(pairs: Vec<(String, String)>) -> std::collections::HashMap<String, String> {
    pairs.into_iter().collect()
}

/// The containers a unit's exec lines start, in file order.
pub fn containers(cx: &UnitCx<'_>) -> Vec<ContainerSpec> {
    let env = last_wins(environment(cx));
    let lookup = |name: &str| env.get(name).cloned();
    let mut out = Vec::new();
    for exec in cx.execs {
        let mut n = 0;
        each_command(exec, |c| {
            if let Invocation::DockerRun(run) = &c.invocation {
                let anchor = if n == 0 { exec.anchor() } else { format!("{}/{n}", exec.anchor()) };
                n += 1;
                out.push(from_run(run, exec.file, anchor, exec.key == "ExecStart", &lookup));
            }
        });
    }
    out
}

pub fn from_run(
    run: &DockerRun,
    file: FileId,
    anchor: String,
    is_service: bool,
    lookup: container::Lookup<'_>,
) -> ContainerSpec {
    let origin = container::Origin { file, lookup };
    let val = |t: &SpannedText| container::value(t, 0..t.len(), origin);
    let one = |name: &str| run.values(name).last().map(val);
    let all = |name: &str| run.values(name).map(val).collect::<Vec<Value>>();
    let flag = |name: &str| run.flag(name).map(|o| Value::fixed("true", file, o.flag_span));
    let mut mounts: Vec<_> = run.values("volume").map(|v| container::parse_volume(v, origin)).collect();
    mounts.extend(run.values("mount").map(|v| container::parse_mount(v, origin)));
    // Docker 28's `--use-api-socket` mounts the engine's socket without naming it.
    if let Some(o) = run.flag("use-api-socket") {
        let source = Value::fixed("/var/run/docker.sock", file, o.flag_span);
        mounts.push(container::Mount {
            file,
            source: Some(source),
            target: None,
            read_only: false,
            span: o.flag_span,
        });
    }
    ContainerSpec {
        file,
        anchor,
        span: run.subcommand_span,
        is_service,
        compose: false,
        insert_at: Some(run.subcommand_span.end),
        image: run.image.as_ref().map(val),
        privileged: flag("privileged"),
        cap_add: all("cap-add"),
        cap_drop: all("cap-drop"),
        mounts,
        publishes: run.values("publish").map(|v| container::parse_publish(v, origin)).collect(),
        publish_all: flag("publish-all"),
        network: one("network"),
        pid: one("pid"),
        ipc: one("ipc"),
        uts: one("uts"),
        userns: one("userns"),
        security_opts: all("security-opt"),
        user: one("user"),
        log_driver: one("log-driver"),
        log_opts: all("log-opt"),
    }
}
