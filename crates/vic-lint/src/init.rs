//! `vic-lint init NAME [DIR]`: a new component that passes `vic-lint check` and `vic-lint test`
//! as generated. It is the reference component of the tests (fixtures/reference), renamed, with
//! its images built from Dockerfiles on `--base-image`; the integration document's guessed
//! answers carry a marker that `check` reports (D005, information) until the team confirms them.

use std::path::{Path, PathBuf};

use vic_lint_rules::docs::scaffold::MARKER;

use crate::cli::InitArgs;
use crate::exit;

include!(concat!(env!("OUT_DIR"), "/template.rs"));

/// The template's own name, replaced by the new component's.
const TEMPLATE_NAME: &str = "reference";
const VERSION: &str = "v1.2.0";

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
        && !name.starts_with("vic-appliance")
}

struct File {
    path: String,
    text: String,
    executable: bool,
}

fn file(path: impl Into<String>, text: impl Into<String>) -> File {
    let path = path.into();
    let executable = path.ends_with(".sh") || path.ends_with(".cgi");
    File { path, text: text.into(), executable }
}

/// The guessed answers of the integration document get the marker D005 reports: the first line
/// of every answer to a question, unless the answer is a plain NO.
fn mark_guesses(doc: &str) -> String {
    let lines: Vec<&str> = doc.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        let after_question = i >= 2
            && lines.get(i - 1).is_some_and(|l| l.trim().is_empty())
            && lines
                .get(i - 2)
                .is_some_and(|l| l.trim_start().starts_with("- ") && l.trim_end().ends_with('?'));
        let answer = line.starts_with("  ") && !line.trim().is_empty();
        if after_question && answer && !line.trim().eq_ignore_ascii_case("no") {
            out.push(format!("{line} {MARKER}"));
        } else {
            out.push((*line).to_string());
        }
    }
    out.join("\n")
}

fn dockerfile(base: &str, script: &str, extra: &str, what: &str) -> String {
    // The runtime's UI pages are a folder of their own.
    let folder = if what == "runtime" { "COPY ui /ui\n" } else { "" };
    format!(
        "# The component's {what} image. `vic-lint test` builds it from this folder (see vic-lint.toml).\n\
         FROM {base}\n\
         COPY {script}{extra} /\n\
         {folder}\
         LABEL org.opencontainers.image.version={VERSION}\n\
         ENTRYPOINT [\"/{script}\"]\n"
    )
}

/// 150 requests to the UI once it answers: each one is a line in the component's log.
const WORKLOAD: &str = "until wget -q -O /dev/null http://127.0.0.1:8080/; do sleep 0.2; done; i=0; \
                        while [ $i -lt 150 ]; do wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1; \
                        i=$((i+1)); done";

fn manifest(name: &str) -> String {
    format!(
        "# vic-lint configuration and test manifest of {name} (written by `vic-lint init`).\n\
         # `vic-lint check` reads the files here; `vic-lint test` builds the two images below and runs\n\
         # them on the data trees under harness/.\n\
         \n\
         [upgrade]\n\
         build = \"upgrade\"\n\
         version = \"{VERSION}\"\n\
         timeout = \"60s\"\n\
         # from[0] is migrated and compared with `expected`.\n\
         from = [\"harness/upgrade/v1.1.0\", \"harness/upgrade/v1.0.0\"]\n\
         current = \"harness/upgrade/v1.2.0\"\n\
         incompatible = [\"harness/upgrade/v9.0.0\", \"harness/upgrade/unversioned\"]\n\
         expected = \"harness/upgrade/v1.2.0\"\n\
         \n\
         # Every non-zero code upgrade/upgrade.sh can return; docs/INTEGRATION.md lists the same.\n\
         [upgrade.exit-codes]\n\
         3 = \"The {name} data is newer than this version of {name}.\"\n\
         4 = \"The {name} data has no data-version file: its version is unknown.\"\n\
         5 = \"The {name} data disk is not writable.\"\n\
         \n\
         [runtime]\n\
         build = \"runtime\"\n\
         run-for = \"3s\"\n\
         data = \"harness/runtime/normal\"\n\
         degraded = [\"harness/runtime/no-certs\"]\n\
         \n\
         # The UI the ui normal and ui degraded scenarios probe (runtime/ui.sh).\n\
         [runtime.ui]\n\
         port = 8080\n\
         \n\
         # Requests to the UI are logged; runtime/log.sh rotates at 2 KiB and keeps three files.\n\
         [runtime.rotation]\n\
         workload = [\"/bin/sh\", \"-c\", \"{WORKLOAD}\"]\n\
         log-dir = \"{name}\"\n\
         max-size = \"2k\"\n\
         max-files = 3\n\
         run-for = \"15s\"\n"
    )
}

/// The Compose delivery: the unit runs `docker-compose up` on a file that holds what the
/// `docker run` line of the other style says.
fn compose_files(name: &str) -> Vec<File> {
    let unit = format!(
        "[Unit]\n\
         Description=VIC appliance {name} component\n\
         Documentation=https://github.com/vmware/vic-product\n\
         Requires=vic-appliance-ready.target configure-{name}.service\n\
         After=vic-appliance-ready.target configure-{name}.service\n\
         \n\
         [Service]\n\
         Type=simple\n\
         Restart=on-failure\n\
         TimeoutStartSec=0\n\
         ExecStartPre=-/usr/local/bin/docker-compose -f /etc/vmware/{name}/docker-compose.yml down\n\
         ExecStart=/usr/local/bin/docker-compose -f /etc/vmware/{name}/docker-compose.yml up\n\
         ExecStop=/usr/local/bin/docker-compose -f /etc/vmware/{name}/docker-compose.yml down\n\
         \n\
         [Install]\n\
         WantedBy=vic-appliance.target\n"
    );
    let compose = format!(
        "# The {name} component, started by {name}.service.\n\
         version: \"3.3\"\n\
         services:\n\
         \x20 {name}:\n\
         \x20   image: example/{name}:{VERSION}\n\
         \x20   cap_drop:\n\
         \x20     - ALL\n\
         \x20   user: \"1000:1000\"\n\
         \x20   ports:\n\
         \x20     - \"9443:9443\"\n\
         \x20   volumes:\n\
         \x20     - ${{DATA_DIR}}:/data\n\
         \x20     - ${{LOG_DIR}}:/var/log/{name}\n\
         \x20     - ${{CERTS_DIR}}:/certs:ro\n\
         \x20   logging:\n\
         \x20     driver: json-file\n\
         \x20     options:\n\
         \x20       max-size: 10m\n\
         \x20       max-file: \"5\"\n"
    );
    vec![file(format!("{name}.service"), unit), file("docker-compose.yml", compose)]
}

pub fn init(args: &InitArgs) -> u8 {
    let name = args.name.as_str();
    if !valid_name(name) {
        eprintln!(
            "vic-lint: `{name}` cannot name a component: use lowercase letters, digits and dashes, \
             starting with a letter (at most 40), and not `vic-appliance…`, which is the appliance's own"
        );
        return exit::CANNOT_RUN;
    }
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from(name));
    let rename = |s: &str| s.replace(TEMPLATE_NAME, name);
    let mut files: Vec<File> = TEMPLATE
        .iter()
        .map(|(path, text)| {
            let text = rename(text);
            let text = if *path == "docs/INTEGRATION.md" { mark_guesses(&text) } else { text };
            file(rename(path), text)
        })
        .collect();
    if args.compose {
        let unit = format!("{name}.service");
        files.retain(|f| f.path != unit);
        files.extend(compose_files(name));
        if let Some(env) = files.iter_mut().find(|f| f.path == ".env") {
            env.text.push_str("CERTS_DIR=/storage/data/certs\n");
        }
    }
    files.push(file("vic-lint.toml", manifest(name)));
    files.push(file(
        "upgrade/Dockerfile",
        dockerfile(&args.base_image, "upgrade.sh", " convert-config.sh", "upgrade"),
    ));
    files
        .push(file("runtime/Dockerfile", dockerfile(&args.base_image, "run.sh", " log.sh ui.sh", "runtime")));

    let existing: Vec<&str> =
        files.iter().filter(|f| dir.join(&f.path).exists()).map(|f| f.path.as_str()).collect();
    if !existing.is_empty() && !args.force {
        eprintln!(
            "vic-lint: {} already holds {} of the files init writes ({}); nothing was written. \
             --force overwrites them.",
            dir.display(),
            existing.len(),
            existing.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        );
        return exit::CANNOT_RUN;
    }
    for f in &files {
        if let Err(e) = write(&dir.join(&f.path), &f.text, f.executable) {
            eprintln!("vic-lint: cannot write {}: {e}", dir.join(&f.path).display());
            return exit::CANNOT_RUN;
        }
    }
    let style = if args.compose { "Compose" } else { "docker run" };
    println!(
        "Created {name} ({style} delivery) in {}: {} files.\n\nNext:\n  cd {}\n  vic-lint check        \
         # clean; the integration document's guessed answers show as D005 until you confirm them\n  \
         vic-lint test         # builds upgrade/ and runtime/ on {} and runs every scenario",
        dir.display(),
        files.len(),
        dir.display(),
        args.base_image
    );
    exit::CLEAN
}

fn write(path: &Path, text: &str, executable: bool) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)?;
    if executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(valid_name("harbor") && valid_name("vic-machine-server") && valid_name("a1"));
        for bad in ["", "Harbor", "1a", "a_b", "a-", "vic-appliance-x", &"a".repeat(41)] {
            assert!(!valid_name(bad), "{bad}");
        }
    }

    #[test]
    fn guesses_are_marked_and_no_answers_are_not() {
        let doc = "- Who?\n\n  The team.\n\n- Extra?\n\n  NO\n";
        let marked = mark_guesses(doc);
        assert!(marked.contains(&format!("  The team. {MARKER}")));
        assert!(marked.contains("  NO\n"));
    }
}
