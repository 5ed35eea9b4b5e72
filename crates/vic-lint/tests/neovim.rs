//! A real LSP client: Neovim, headless, with its built-in client, against `vic-lint server`. It
//! opens a unit of the reference component with one violation, is shown vic-lint's diagnostic,
//! and applies the safe fix through a code action (`tests/nvim/fix.lua` drives it).
//!
//! Without `nvim` (Debian package `neovim`) the test says so and passes; with `CI=true` it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn neovim_shows_the_diagnostic_and_applies_the_safe_fix() {
    if Command::new("nvim").arg("--version").stdout(Stdio::null()).status().is_err() {
        support::unavailable("the Neovim test needs `nvim` (Debian package `neovim`)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap().join("reference");
    support::copy_dir(&support::repo_root().join("fixtures/reference"), &root);
    let unit = root.join("reference.service");
    let good = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, good.replace("WantedBy=vic-appliance.target", "WantedBy=multi-user.target"))
        .unwrap();
    let out = tmp.path().join("nvim.out");
    let script = support::repo_root().join("crates/vic-lint/tests/nvim/fix.lua");

    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("VIC_LINT_BIN", env!("CARGO_BIN_EXE_vic-lint"))
        .env("VIC_LINT_ROOT", &root)
        .env("VIC_LINT_FILE", &unit)
        .env("VIC_LINT_OUT", &out)
        .env("HOME", tmp.path())
        .env("XDG_STATE_HOME", tmp.path())
        .env("XDG_DATA_HOME", tmp.path())
        .current_dir(&root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("Neovim did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("Neovim wrote nothing ({e})"));
    let lines: Vec<&str> = seen.lines().collect();
    assert_eq!(lines.first(), Some(&"ok"), "{seen}");
    let diags: Vec<&&str> = lines.iter().filter(|l| l.starts_with("diagnostic ")).collect();
    assert_eq!(diags.len(), 1, "{seen}");
    assert!(
        diags[0].starts_with(
            "diagnostic U002 22:9-22:26 severity=1 SVC-9: `WantedBy=` names `multi-user.target`"
        ),
        "{seen}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("action U002: add `vic-appliance.target`") && l.ends_with("[preferred]")),
        "{seen}"
    );
    assert!(lines.contains(&"cleared true"), "{seen}");
    let written = std::fs::read_to_string(&unit).unwrap();
    assert!(written.contains("\nWantedBy=multi-user.target vic-appliance.target\n"), "{written}");
    assert_eq!(
        support::run_in(&root, &["check", "--format", "concise", "."]).code,
        0,
        "the fixed copy is clean"
    );
}
