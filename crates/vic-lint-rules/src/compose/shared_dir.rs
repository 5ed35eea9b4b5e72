use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use crate::container::paths::{normalize, under};

/// DATA-2: separate volumes let the appliance put data, databases and logs on separate disks.
pub struct SharedHostDirectory;

impl Rule for SharedHostDirectory {
    fn code(&self) -> &'static str {
        "C004"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        let mut seen: Vec<(usize, String, &vic_lint_core::container::Value)> = Vec::new();
        // Only long-running Compose services (DATA-2 is a Compose requirement): an upgrade or
        // one-off configuration container exists to work on the service's own directories.
        for (ci, spec) in cx.containers.iter().enumerate().filter(|(_, s)| s.is_service && s.compose) {
            for (mi, m) in spec.mounts.iter().enumerate() {
                let Some(src) = m.source.as_ref().filter(|s| !s.variable && !m.read_only && m.is_bind())
                else {
                    continue;
                };
                let path = normalize(&src.text);
                let clash =
                    seen.iter().find(|(other, p, _)| *other != ci && (under(&path, p) || under(p, &path)));
                if let Some((_, p, first)) = clash {
                    let message = if *p == path {
                        format!("`{path}` is also mounted by another container")
                    } else if under(&path, p) {
                        format!("`{path}` is inside `{p}`, which another container mounts")
                    } else {
                        format!("`{path}` contains `{p}`, which another container mounts")
                    };
                    sink.report(src.file, src.span, message)
                        .label(first.file, first.span, "the other container's mount")
                        .help("give each container (and each kind of data) its own directory")
                        .anchor(spec.anchor_for(&format!("volumes#{mi}")));
                }
                seen.push((ci, path, src));
            }
        }
    }
}
